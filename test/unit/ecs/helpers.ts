/** Test helpers for ECS: a session, JSON runs, EC2 capacity through the EC2 API and the agent. */
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';
import { AMIS, amiId } from '../../../src/engine/services/ec2/amis';
import { encodeUserData } from '../../../src/engine/services/ec2/handlers/instances';

export interface World {
  sb: Sandbox;
  sh: Session;
  run(line: string): { exitCode: number; stdout: string; stderr: string };
  json(line: string): any;
  call(service: string, operation: string, input: Record<string, unknown>, region?: string): any;
  advance(seconds: number): void;
  writeFile(name: string, text: string): void;
}

export function world(seed = 1): World {
  const sb = new Sandbox({ seed });
  const sh = new Session(sb);
  const w: World = {
    sb,
    sh,
    run: (line) => sh.run(line),
    json: (line) => {
      const r = sh.run(line);
      if (r.exitCode !== 0) throw new Error(`${line} -> ${r.exitCode}: ${r.stderr}`);
      return r.stdout.trim() ? JSON.parse(r.stdout) : {};
    },
    call: (service, operation, input, region) => {
      const r = sb.call({ service, operation, input, ...(region ? { region } : {}) });
      if (!r.ok) throw new Error(`${operation}: ${r.error.code}: ${r.error.message}`);
      return r.output;
    },
    advance: (seconds) => {
      sb.advance(seconds * 1000);
    },
    writeFile: (name, text) => {
      sb.mutate(() => sb.vfs.writeText(`/home/learner/${name}`, text));
    },
  };
  return w;
}

export function ecsAmi(region = 'us-east-1'): string {
  const ami = AMIS.find((a) => a.ecsOptimized && a.arch === 'x86_64');
  if (!ami) throw new Error('no ECS AMI');
  return amiId(region, ami);
}

/** Launch `count` ECS-optimized instances for a cluster and let their agents register. Returns container instance ARNs. */
export function addCapacity(w: World, cluster: string, count: number, opts: { type?: string; az?: string; attributes?: Record<string, string> } = {}): string[] {
  const before = new Set<string>(w.json(`aws ecs list-container-instances --cluster ${cluster}`).containerInstanceArns);
  let userData = `#!/bin/bash\necho ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config\n`;
  if (opts.attributes) userData += `echo 'ECS_INSTANCE_ATTRIBUTES=${JSON.stringify(opts.attributes)}' >> /etc/ecs/ecs.config\n`;
  w.call('ec2', 'RunInstances', {
    ImageId: ecsAmi(),
    InstanceType: opts.type ?? 't3.medium',
    MinCount: count,
    MaxCount: count,
    UserData: encodeUserData(userData),
    ...(opts.az ? { Placement: { AvailabilityZone: opts.az } } : {}),
  });
  w.advance(60);
  const after: string[] = w.json(`aws ecs list-container-instances --cluster ${cluster}`).containerInstanceArns;
  return after.filter((a) => !before.has(a));
}

export function defaultSubnets(w: World): { SubnetId: string; AvailabilityZone: string }[] {
  return w.call('ec2', 'DescribeSubnets', { Filters: [{ Name: 'default-for-az', Values: ['true'] }] }).Subnets;
}

export const FARGATE_WEB = JSON.stringify({
  family: 'web',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'web', image: 'nginx:latest', portMappings: [{ containerPort: 80 }] }],
});
