import { describe, it, expect } from 'vitest';
import {
  validateTaskDefinition,
  firstError,
  FARGATE_SIZES,
  normaliseTaskCpu,
  normaliseTaskMemory,
} from '../../../src/engine/services/ecs/task-definition-validator';

const fargate = (over: Record<string, unknown> = {}) => ({
  family: 'web',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'web', image: 'nginx' }],
  ...over,
});
const ec2 = (over: Record<string, unknown> = {}) => ({
  family: 'app',
  containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }],
  ...over,
});
const errs = (doc: unknown) => validateTaskDefinition(doc).filter((p) => p.severity === 'error');

describe('Fargate cpu/memory table', () => {
  const allowed: [number, number[]][] = [
    [256, [512, 1024, 2048]],
    [512, [1024, 2048, 3072, 4096]],
    [1024, [2048, 3072, 4096, 5120, 6144, 7168, 8192]],
    [2048, Array.from({ length: 13 }, (_, i) => 4096 + i * 1024)],
    [4096, Array.from({ length: 23 }, (_, i) => 8192 + i * 1024)],
    [8192, Array.from({ length: 12 }, (_, i) => 16384 + i * 4096)],
    [16384, Array.from({ length: 12 }, (_, i) => 32768 + i * 8192)],
  ];
  it('declares exactly the documented combinations', () => {
    expect(FARGATE_SIZES.map((s) => [s.cpu, [...s.memory]])).toEqual(allowed);
  });
  for (const [cpu, mems] of allowed) {
    it(`accepts every memory value for ${cpu} CPU and rejects the others`, () => {
      for (const m of mems) expect(errs(fargate({ cpu: String(cpu), memory: String(m) })), `${cpu}/${m}`).toEqual([]);
      const lo = mems[0]!;
      const hi = mems[mems.length - 1]!;
      const step = mems.length > 1 ? mems[1]! - mems[0]! : 1024;
      for (const bad of [Math.max(128, lo - step), hi + step, lo + 256]) {
        const e = firstError(validateTaskDefinition(fargate({ cpu: String(cpu), memory: String(bad) })));
        expect(e?.message, `${cpu}/${bad}`).toBe(
          `No Fargate configuration exists for given values: ${cpu} CPU, ${bad} memory. See the Amazon ECS documentation for the valid values.`,
        );
        expect(e?.code).toBe('ClientException');
        expect(e?.path).toEqual(['memory']);
      }
    });
  }
  it('rejects a CPU value that is not in the table, pointing at cpu', () => {
    const e = firstError(validateTaskDefinition(fargate({ cpu: '384', memory: '1024' })));
    expect(e?.path).toEqual(['cpu']);
  });
  it('needs task-level cpu and memory', () => {
    expect(errs(fargate({ cpu: undefined })).map((p) => p.message)).toContain("Fargate requires that 'cpu' be defined at the task level.");
    expect(errs(fargate({ memory: undefined })).map((p) => p.message)).toContain("Fargate requires that 'memory' be defined at the task level.");
  });
});

describe('normalising task sizes', () => {
  it('turns vCPU and GB into units and MiB', () => {
    expect(normaliseTaskCpu('0.25 vCPU')).toBe('256');
    expect(normaliseTaskCpu('1 vcpu')).toBe('1024');
    expect(normaliseTaskCpu('2048')).toBe('2048');
    expect(normaliseTaskCpu('lots')).toBeNull();
    expect(normaliseTaskMemory('1 GB')).toBe('1024');
    expect(normaliseTaskMemory('0.5GB')).toBe('512');
    expect(normaliseTaskMemory('512')).toBe('512');
    expect(normaliseTaskMemory('1.3 MB')).toBeNull();
  });
  it('accepts vCPU / GB spellings in the Fargate check', () => {
    expect(errs(fargate({ cpu: '0.5 vCPU', memory: '1 GB' }))).toEqual([]);
    expect(firstError(validateTaskDefinition(fargate({ cpu: 'fast' })))?.message).toBe("Invalid 'cpu' setting for task.");
  });
});

describe('container rules', () => {
  it('needs 1 to 10 containers', () => {
    expect(firstError(validateTaskDefinition(ec2({ containerDefinitions: [] })))?.message).toBe('Container list cannot be empty.');
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `c${i}`, image: 'nginx', memory: 64 }));
    expect(firstError(validateTaskDefinition(ec2({ containerDefinitions: eleven })))?.path).toEqual(['containerDefinitions']);
    const ten = eleven.slice(0, 10);
    expect(errs(ec2({ containerDefinitions: ten }))).toEqual([]);
  });
  it('needs unique names and an image', () => {
    const dup = errs(ec2({ containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }, { name: 'a', image: 'y', memory: 64 }] }));
    expect(dup[0]?.path).toEqual(['containerDefinitions', 1, 'name']);
    const noImage = errs(ec2({ containerDefinitions: [{ name: 'a', memory: 64 }] }));
    expect(noImage[0]?.message).toBe('Container.image should not be null or empty.');
    expect(noImage[0]?.path).toEqual(['containerDefinitions', 0, 'image']);
  });
  it('needs at least one essential container', () => {
    const e = errs(ec2({ containerDefinitions: [{ name: 'a', image: 'x', memory: 64, essential: false }] }));
    expect(e.map((p) => p.message)).toContain('A task definition must have at least one essential container.');
  });
  it('EC2 needs container memory or task memory; Fargate does not', () => {
    const e = errs(ec2({ containerDefinitions: [{ name: 'app', image: 'nginx' }] }));
    expect(e[0]?.message).toBe("Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.");
    expect(errs(ec2({ memory: '512', containerDefinitions: [{ name: 'app', image: 'nginx' }] }))).toEqual([]);
    expect(errs(ec2({ containerDefinitions: [{ name: 'app', image: 'nginx', memoryReservation: 64 }] }))).toEqual([]);
    expect(errs(fargate())).toEqual([]);
  });
  it('memoryReservation may not exceed memory', () => {
    const e = errs(ec2({ containerDefinitions: [{ name: 'app', image: 'nginx', memory: 64, memoryReservation: 128 }] }));
    expect(e[0]?.path).toEqual(['containerDefinitions', 0, 'memoryReservation']);
  });
  it('the containers must fit in the task size', () => {
    const e = errs(fargate({ containerDefinitions: [{ name: 'web', image: 'nginx', memory: 1024 }] }));
    expect(e[0]?.path).toEqual(['memory']);
  });
});

describe('network rules', () => {
  it('FARGATE requires awsvpc', () => {
    const e = errs(fargate({ networkMode: 'bridge' }));
    expect(e[0]?.message).toBe('Fargate only supports network mode \u2018awsvpc\u2019.');
    expect(errs(fargate({ networkMode: undefined }))[0]?.path).toEqual(['networkMode']);
  });
  it('awsvpc host ports must equal container ports or be absent', () => {
    const ok = fargate({ containerDefinitions: [{ name: 'web', image: 'nginx', portMappings: [{ containerPort: 80, hostPort: 80 }] }] });
    expect(errs(ok)).toEqual([]);
    const bad = fargate({ containerDefinitions: [{ name: 'web', image: 'nginx', portMappings: [{ containerPort: 80, hostPort: 8080 }] }] });
    expect(errs(bad)[0]).toMatchObject({
      message: 'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
      path: ['containerDefinitions', 0, 'portMappings', 0, 'hostPort'],
    });
  });
  it('bridge mode allows any host port', () => {
    expect(errs(ec2({ containerDefinitions: [{ name: 'app', image: 'nginx', memory: 64, portMappings: [{ containerPort: 80, hostPort: 8080 }] }] }))).toEqual([]);
  });
  it('hostname is not allowed with awsvpc', () => {
    expect(errs(fargate({ containerDefinitions: [{ name: 'web', image: 'nginx', hostname: 'x' }] }))[0]?.message).toBe(
      'hostname is not supported on container when networkMode=awsvpc.',
    );
  });
});

describe('volumes, dependencies, logs, roles', () => {
  it('mountPoints must name a declared volume', () => {
    const doc = ec2({ containerDefinitions: [{ name: 'app', image: 'nginx', memory: 64, mountPoints: [{ sourceVolume: 'data', containerPath: '/d' }] }] });
    expect(errs(doc)[0]?.path).toEqual(['containerDefinitions', 0, 'mountPoints', 0, 'sourceVolume']);
    expect(errs({ ...doc, volumes: [{ name: 'data', host: { sourcePath: '/srv' } }] })).toEqual([]);
  });
  it('Fargate refuses host sourcePath and docker volumes', () => {
    expect(errs(fargate({ volumes: [{ name: 'd', host: { sourcePath: '/srv' } }] }))[0]?.path).toEqual(['volumes', 0, 'host', 'sourcePath']);
    expect(errs(fargate({ volumes: [{ name: 'd', dockerVolumeConfiguration: { scope: 'task' } }] }))[0]?.path).toEqual(['volumes', 0, 'dockerVolumeConfiguration']);
    expect(errs(fargate({ volumes: [{ name: 'scratch' }] }))).toEqual([]);
  });
  it('dependsOn names existing containers and valid conditions', () => {
    const base = (dep: unknown, extra: Record<string, unknown> = {}) =>
      ec2({
        containerDefinitions: [
          { name: 'app', image: 'nginx', memory: 64, dependsOn: [dep] },
          { name: 'init', image: 'busybox', memory: 32, essential: false, ...extra },
        ],
      });
    expect(errs(base({ containerName: 'init', condition: 'SUCCESS' }))).toEqual([]);
    expect(errs(base({ containerName: 'nope', condition: 'START' }))[0]?.path).toEqual(['containerDefinitions', 0, 'dependsOn', 0, 'containerName']);
    expect(errs(base({ containerName: 'init', condition: 'LATER' }))[0]?.code).toBe('InvalidParameterException');
    expect(errs(base({ containerName: 'init', condition: 'HEALTHY' }))[0]?.message).toMatch(/healthCheck/);
    expect(errs(base({ containerName: 'init', condition: 'COMPLETE' }, { essential: true }))[0]?.message).toMatch(/essential/);
  });
  it('awslogs needs group and region; on Fargate a stream prefix and an execution role', () => {
    const lc = (options: Record<string, string>) => [{ name: 'web', image: 'nginx', logConfiguration: { logDriver: 'awslogs', options } }];
    const noGroup = errs(ec2({ containerDefinitions: [{ name: 'app', image: 'nginx', memory: 64, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-region': 'us-east-1' } } }] }));
    expect(noGroup[0]?.message).toBe("Log driver awslogs option 'awslogs-group' should not be null or empty.");
    const full = { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web' };
    const noRole = errs(fargate({ containerDefinitions: lc(full) }));
    expect(noRole.map((p) => p.message)).toEqual(['Fargate requires task definition to have execution role ARN to support log driver awslogs.']);
    expect(errs(fargate({ containerDefinitions: lc(full), executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' }))).toEqual([]);
  });
  it('private ECR images need an execution role on Fargate', () => {
    const doc = fargate({ containerDefinitions: [{ name: 'web', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1' }] });
    expect(errs(doc)[0]?.message).toBe('Fargate requires task definition to have execution role ARN to support ECR images.');
    expect(errs({ ...doc, executionRoleArn: 'ecsTaskExecutionRole' })).toEqual([]);
  });
  it('ephemeral storage is 21-200 GiB', () => {
    expect(errs(fargate({ ephemeralStorage: { sizeInGiB: 20 } }))[0]?.path).toEqual(['ephemeralStorage', 'sizeInGiB']);
    expect(errs(fargate({ ephemeralStorage: { sizeInGiB: 50 } }))).toEqual([]);
  });
  it('survives garbage from the editor', () => {
    expect(validateTaskDefinition(null)[0]?.severity).toBe('error');
    expect(() => validateTaskDefinition({ containerDefinitions: [null, 3, 'x'] })).not.toThrow();
  });
});
