/**
 * The one set of task definition rules, shared by the engine's
 * RegisterTaskDefinition and the editor's live diagnostics. Pure: it takes the
 * request document (the `--cli-input-json` form) as parsed JSON and returns the
 * problems found, each with the JSON path of the member at fault so the editor
 * can underline it. The engine rejects with the first problem of severity
 * 'error' (code and message as AWS answers); 'warning's are editor hints only.
 */

export type JsonPath = (string | number)[];

export interface TaskDefinitionProblem {
  path: JsonPath;
  message: string;
  /** The AWS error code the API answers with. */
  code: 'ClientException' | 'InvalidParameterException';
  severity: 'error' | 'warning';
}

/** Valid Fargate task sizes: CPU units -> allowed memory values in MiB. */
export const FARGATE_SIZES: ReadonlyArray<{ cpu: number; memory: readonly number[] }> = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
];

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

export function fargateMemoryOptions(cpu: number): readonly number[] {
  return FARGATE_SIZES.find((s) => s.cpu === cpu)?.memory ?? [];
}

export function isValidFargateSize(cpu: number, memory: number): boolean {
  return fargateMemoryOptions(cpu).includes(memory);
}

/**
 * Task-level cpu as AWS stores it: "256", "0.25 vCPU", "1 vcpu" -> CPU units
 * as a string of digits. Returns null when the text is not a valid value.
 */
export function normaliseTaskCpu(text: string): string | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return String(parseInt(t, 10));
  const m = /^(\d+(?:\.\d+)?)\s*vcpu$/i.exec(t);
  if (m) {
    const units = parseFloat(m[1]!) * 1024;
    if (!Number.isInteger(units)) return null;
    return String(units);
  }
  return null;
}

/** Task-level memory: "512", "1 GB", "0.5gb", "2048 MiB" -> MiB as a string of digits. */
export function normaliseTaskMemory(text: string): string | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return String(parseInt(t, 10));
  const m = /^(\d+(?:\.\d+)?)\s*(gb|gib|mb|mib)$/i.exec(t);
  if (m) {
    const n = parseFloat(m[1]!);
    const mib = /^g/i.test(m[2]!) ? n * 1024 : n;
    if (!Number.isInteger(mib)) return null;
    return String(mib);
  }
  return null;
}

const NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;
const LOG_DRIVERS = ['json-file', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'awsfirelens'];
const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none'];
const COMPATIBILITIES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'];
const CONDITIONS = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'];

/** True for an image served by a private Amazon ECR registry (ACCOUNT.dkr.ecr.REGION.amazonaws.com/...). */
export function isEcrImage(image: string): boolean {
  return /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//.test(image);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The launch types a definition asks for (requiresCompatibilities), EC2 when none. */
export function requestedCompatibilities(doc: unknown): string[] {
  const rc = isObj(doc) ? arr(doc['requiresCompatibilities']).filter((x): x is string => typeof x === 'string') : [];
  return rc;
}

/**
 * Check a RegisterTaskDefinition request. `doc` is untrusted JSON (the editor
 * may hold anything). Problems come in the order AWS checks them, roughly:
 * shape of the request, containers, then task-level sizing and launch type rules.
 */
export function validateTaskDefinition(doc: unknown): TaskDefinitionProblem[] {
  const problems: TaskDefinitionProblem[] = [];
  const err = (path: JsonPath, message: string, code: TaskDefinitionProblem['code'] = 'ClientException') =>
    problems.push({ path, message, code, severity: 'error' });
  const warn = (path: JsonPath, message: string) => problems.push({ path, message, code: 'ClientException', severity: 'warning' });

  if (!isObj(doc)) {
    err([], 'The task definition must be a JSON object.');
    return problems;
  }

  // ---- family
  const family = doc['family'];
  if (typeof family !== 'string' || family.length === 0) {
    err(['family'], 'Family should not be null or empty.');
  } else if (!NAME_RE.test(family)) {
    err(
      ['family'],
      'Family contains invalid characters or is too long. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
    );
  }

  // ---- launch types and network mode
  const compat = requestedCompatibilities(doc);
  compat.forEach((c, i) => {
    if (!COMPATIBILITIES.includes(c)) err(['requiresCompatibilities', i], `Invalid launch type '${c}'. Valid values: EC2, FARGATE, EXTERNAL.`, 'InvalidParameterException');
  });
  const fargate = compat.includes('FARGATE');
  const ec2Like = compat.length === 0 || compat.includes('EC2') || compat.includes('EXTERNAL');
  const networkModeRaw = str(doc['networkMode']);
  if (networkModeRaw !== undefined && !NETWORK_MODES.includes(networkModeRaw)) {
    err(['networkMode'], `Invalid networkMode '${networkModeRaw}'. Valid values: bridge, host, awsvpc, none.`, 'InvalidParameterException');
  }
  const networkMode = networkModeRaw ?? 'bridge';
  if (fargate && networkMode !== 'awsvpc') err(['networkMode'], 'Fargate only supports network mode \u2018awsvpc\u2019.');

  // ---- volumes
  const volumeNames = new Set<string>();
  arr(doc['volumes']).forEach((v, i) => {
    if (!isObj(v)) return;
    const name = str(v['name']);
    if (!name) err(['volumes', i, 'name'], 'Volume name should not be null or empty.');
    else if (!NAME_RE.test(name)) err(['volumes', i, 'name'], `Invalid volume name '${name}'. Up to 255 letters, numbers, hyphens, and underscores are allowed.`);
    else if (volumeNames.has(name)) err(['volumes', i, 'name'], `Duplicate volume name '${name}'.`);
    else volumeNames.add(name);
    const kinds = ['host', 'dockerVolumeConfiguration', 'efsVolumeConfiguration', 'fsxWindowsFileServerVolumeConfiguration'].filter((k) => v[k] !== undefined);
    if (kinds.length > 1) err(['volumes', i], `Volume '${name ?? i}' can only have one of host, dockerVolumeConfiguration, efsVolumeConfiguration or fsxWindowsFileServerVolumeConfiguration.`);
    if (fargate && isObj(v['host']) && str(v['host']['sourcePath'])) {
      err(['volumes', i, 'host', 'sourcePath'], 'Fargate compatible task definitions do not support sourcePath for host volumes.');
    }
    if (fargate && v['dockerVolumeConfiguration'] !== undefined) {
      err(['volumes', i, 'dockerVolumeConfiguration'], 'Fargate compatible task definitions do not support dockerVolumeConfiguration.');
    }
    const dvc = v['dockerVolumeConfiguration'];
    if (isObj(dvc) && dvc['autoprovision'] === true && dvc['scope'] === 'task') {
      err(['volumes', i, 'dockerVolumeConfiguration', 'autoprovision'], 'Autoprovision can only be set when the scope is shared.', 'InvalidParameterException');
    }
    const efs = v['efsVolumeConfiguration'];
    if (isObj(efs) && !str(efs['fileSystemId'])) err(['volumes', i, 'efsVolumeConfiguration', 'fileSystemId'], 'EFS volume configuration requires a fileSystemId.');
  });

  // ---- containers
  const containersRaw = doc['containerDefinitions'];
  const containers = arr(containersRaw);
  if (!Array.isArray(containersRaw) || containers.length === 0) {
    err(['containerDefinitions'], 'Container list cannot be empty.');
  } else if (containers.length > 10) {
    err(['containerDefinitions'], 'Too many containers. A task definition can contain at most 10 containers.');
  }
  const names = new Map<string, number>();
  containers.forEach((c, i) => {
    if (!isObj(c)) return;
    const name = str(c['name']);
    if (name && !names.has(name)) names.set(name, i);
  });
  const taskCpuRaw = doc['cpu'];
  const taskMemRaw = doc['memory'];
  const taskMemory = typeof taskMemRaw === 'string' ? normaliseTaskMemory(taskMemRaw) : taskMemRaw === undefined ? undefined : null;
  const taskCpu = typeof taskCpuRaw === 'string' ? normaliseTaskCpu(taskCpuRaw) : taskCpuRaw === undefined ? undefined : null;

  let essentialCount = 0;
  let sumMemory = 0;
  let sumCpu = 0;
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const at = (...p: (string | number)[]): JsonPath => ['containerDefinitions', i, ...p];
    if (!isObj(c)) {
      err(at(), 'Each container definition must be an object.');
      return;
    }
    const name = str(c['name']);
    const label = name ?? `#${i + 1}`;
    if (!name) err(at('name'), 'Container.name should not be null or empty.');
    else if (!NAME_RE.test(name)) err(at('name'), `Invalid container name '${name}'. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.`);
    else if (seen.has(name)) err(at('name'), `Duplicate container name '${name}' in the task definition. Container names must be unique.`);
    if (name) seen.add(name);

    const image = str(c['image']);
    if (!image || !image.trim()) err(at('image'), 'Container.image should not be null or empty.');
    else if (/\s/.test(image)) err(at('image'), `Invalid 'image' setting for container '${label}'.`);

    const essential = c['essential'] === undefined ? true : c['essential'] === true;
    if (essential) essentialCount++;

    // memory
    const mem = c['memory'];
    const memRes = c['memoryReservation'];
    if (mem !== undefined && (num(mem) === undefined || !Number.isInteger(mem))) err(at('memory'), `Invalid 'memory' setting for container '${label}'.`);
    if (memRes !== undefined && (num(memRes) === undefined || !Number.isInteger(memRes))) err(at('memoryReservation'), `Invalid 'memoryReservation' setting for container '${label}'.`);
    const memN = num(mem);
    const memResN = num(memRes);
    if (memN !== undefined && memN < 6) err(at('memory'), `Invalid setting for container '${label}'. The memory value must be at least 6 MiB.`);
    if (memResN !== undefined && memResN < 6) err(at('memoryReservation'), `Invalid setting for container '${label}'. The memoryReservation value must be at least 6 MiB.`);
    if (memN !== undefined && memResN !== undefined && memResN > memN) {
      err(at('memoryReservation'), `Invalid setting for container '${label}'. The value for 'memoryReservation' must be less than or equal to the value for 'memory'.`);
    }
    if (memN === undefined && memResN === undefined && taskMemory === undefined && ec2Like && !fargate) {
      err(at('memory'), `Invalid setting for container '${label}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
    }
    sumMemory += memN ?? memResN ?? 0;
    const cpu = c['cpu'];
    if (cpu !== undefined && (num(cpu) === undefined || !Number.isInteger(cpu) || (cpu as number) < 0)) err(at('cpu'), `Invalid 'cpu' setting for container '${label}'.`);
    sumCpu += num(cpu) ?? 0;

    // ports
    const protoPorts = new Set<string>();
    arr(c['portMappings']).forEach((pm, j) => {
      if (!isObj(pm)) return;
      const cp = pm['containerPort'];
      const hp = pm['hostPort'];
      const range = str(pm['containerPortRange']);
      if (cp === undefined && !range) {
        err(at('portMappings', j, 'containerPort'), `Invalid 'containerPort' setting for container '${label}'.`);
        return;
      }
      if (cp !== undefined && (num(cp) === undefined || !Number.isInteger(cp) || (cp as number) < 1 || (cp as number) > 65535)) {
        err(at('portMappings', j, 'containerPort'), `Invalid 'containerPort' setting for container '${label}'.`);
        return;
      }
      if (hp !== undefined && (num(hp) === undefined || !Number.isInteger(hp) || (hp as number) < 0 || (hp as number) > 65535)) {
        err(at('portMappings', j, 'hostPort'), `Invalid 'hostPort' setting for container '${label}'.`);
        return;
      }
      const proto = str(pm['protocol']) ?? 'tcp';
      if (proto !== 'tcp' && proto !== 'udp') err(at('portMappings', j, 'protocol'), `Invalid 'protocol' setting for container '${label}'. Valid values: tcp, udp.`, 'InvalidParameterException');
      if (networkMode === 'awsvpc' && hp !== undefined && hp !== cp) {
        err(at('portMappings', j, 'hostPort'), 'When networkMode=awsvpc, the host ports and container ports in port mappings must match.');
      }
      if (networkMode === 'host' && hp !== undefined && hp !== cp) {
        err(at('portMappings', j, 'hostPort'), 'When networkMode=host, the host ports and container ports in port mappings must match.');
      }
      const key = `${proto}/${cp}`;
      if (cp !== undefined && protoPorts.has(key)) err(at('portMappings', j), `Container '${label}' maps container port ${cp}/${proto} more than once.`);
      protoPorts.add(key);
      if (networkMode === 'none') err(at('portMappings', j), 'Port mappings are not supported when networkMode=none.');
    });

    if (networkMode === 'awsvpc' && c['hostname'] !== undefined) err(at('hostname'), 'hostname is not supported on container when networkMode=awsvpc.');
    if (networkMode === 'awsvpc' && arr(c['links']).length) err(at('links'), 'links are not supported when networkMode=awsvpc.');
    if (fargate && c['privileged'] === true) err(at('privileged'), 'Fargate does not support privileged containers.');

    // mount points and volumesFrom
    arr(c['mountPoints']).forEach((mp, j) => {
      if (!isObj(mp)) return;
      const sv = str(mp['sourceVolume']);
      if (!sv) err(at('mountPoints', j, 'sourceVolume'), `Invalid 'mountPoints' setting for container '${label}'. sourceVolume should not be null or empty.`);
      else if (!volumeNames.has(sv)) err(at('mountPoints', j, 'sourceVolume'), `Unknown volume '${sv}'. The mount point of container '${label}' must name a volume declared in the task definition's volumes.`);
      const cpth = str(mp['containerPath']);
      if (!cpth) err(at('mountPoints', j, 'containerPath'), `Invalid 'mountPoints' setting for container '${label}'. containerPath should not be null or empty.`);
    });
    arr(c['volumesFrom']).forEach((vf, j) => {
      if (!isObj(vf)) return;
      const src = str(vf['sourceContainer']);
      if (!src || !names.has(src)) err(at('volumesFrom', j, 'sourceContainer'), `Invalid 'volumesFrom' setting for container '${label}'. Container '${src ?? ''}' does not exist in the task definition.`);
      else if (src === name) err(at('volumesFrom', j, 'sourceContainer'), `Container '${label}' cannot mount volumes from itself.`);
    });

    // dependsOn
    arr(c['dependsOn']).forEach((d, j) => {
      if (!isObj(d)) return;
      const target = str(d['containerName']);
      const cond = str(d['condition']);
      if (!target || !names.has(target)) {
        err(at('dependsOn', j, 'containerName'), `Container '${label}' depends on container '${target ?? ''}', which is not defined in the task definition.`);
        return;
      }
      if (target === name) err(at('dependsOn', j, 'containerName'), `Container '${label}' cannot depend on itself.`);
      if (!cond || !CONDITIONS.includes(cond)) {
        err(at('dependsOn', j, 'condition'), `Invalid dependency condition '${cond ?? ''}'. Valid values: START, COMPLETE, SUCCESS, HEALTHY.`, 'InvalidParameterException');
        return;
      }
      const tc = containers[names.get(target)!];
      if (isObj(tc)) {
        const targetEssential = tc['essential'] === undefined ? true : tc['essential'] === true;
        if ((cond === 'COMPLETE' || cond === 'SUCCESS') && targetEssential) {
          err(at('dependsOn', j, 'condition'), 'A dependency container with SUCCESS or COMPLETE condition cannot be an essential container');
        }
        if (cond === 'HEALTHY' && !isObj(tc['healthCheck'])) {
          err(at('dependsOn', j, 'condition'), `The HEALTHY dependency condition requires container '${target}' to have a healthCheck.`);
        }
      }
    });

    // health check
    const hc = c['healthCheck'];
    if (hc !== undefined) {
      if (!isObj(hc)) err(at('healthCheck'), `Invalid 'healthCheck' setting for container '${label}'.`);
      else {
        const cmd = arr(hc['command']);
        if (cmd.length === 0) err(at('healthCheck', 'command'), `Invalid 'healthCheck' setting for container '${label}'. command should not be null or empty.`);
        else if (cmd[0] !== 'CMD' && cmd[0] !== 'CMD-SHELL' && cmd[0] !== 'NONE') {
          warn(at('healthCheck', 'command', 0), 'A health check command usually starts with "CMD" or "CMD-SHELL".');
        }
        const bounds: [string, number, number][] = [
          ['interval', 5, 300],
          ['timeout', 2, 120],
          ['retries', 1, 10],
          ['startPeriod', 0, 300],
        ];
        for (const [k, lo, hi] of bounds) {
          const v = hc[k];
          if (v === undefined) continue;
          const n = num(v);
          if (n === undefined || n < lo || n > hi) err(at('healthCheck', k), `Invalid 'healthCheck' setting for container '${label}'. ${k} must be between ${lo} and ${hi}.`);
        }
      }
    }

    // log configuration
    const lc = c['logConfiguration'];
    if (isObj(lc)) {
      const driver = str(lc['logDriver']);
      const opts = isObj(lc['options']) ? lc['options'] : {};
      if (!driver || !LOG_DRIVERS.includes(driver)) {
        err(at('logConfiguration', 'logDriver'), `Invalid logDriver '${driver ?? ''}'. Valid values: ${LOG_DRIVERS.join(', ')}.`, 'InvalidParameterException');
      } else if (driver === 'awslogs') {
        for (const k of ['awslogs-group', 'awslogs-region']) {
          if (!str(opts[k])) err(at('logConfiguration', 'options', k), `Log driver awslogs option '${k}' should not be null or empty.`);
        }
        if (fargate && !str(opts['awslogs-stream-prefix'])) {
          err(at('logConfiguration', 'options', 'awslogs-stream-prefix'), "Log driver awslogs option 'awslogs-stream-prefix' should not be null or empty.");
        }
        if (fargate && !str(doc['executionRoleArn'])) {
          err(['executionRoleArn'], 'Fargate requires task definition to have execution role ARN to support log driver awslogs.');
        }
      } else if (fargate && !['awslogs', 'splunk', 'awsfirelens'].includes(driver)) {
        err(at('logConfiguration', 'logDriver'), `Fargate does not support the log driver '${driver}'. Use awslogs, splunk or awsfirelens.`);
      } else if (driver === 'awsfirelens' && !containers.some((o) => isObj(o) && isObj(o['firelensConfiguration']))) {
        err(at('logConfiguration', 'logDriver'), 'The awsfirelens log driver requires a container with a firelensConfiguration in the task definition.');
      }
    }

    // secrets and environment
    arr(c['secrets']).forEach((sct, j) => {
      if (!isObj(sct)) return;
      if (!str(sct['name'])) err(at('secrets', j, 'name'), 'Secret name should not be null or empty.');
      if (!str(sct['valueFrom'])) err(at('secrets', j, 'valueFrom'), 'Secret valueFrom should not be null or empty.');
    });
    if (arr(c['secrets']).length && !str(doc['executionRoleArn'])) {
      warn(['executionRoleArn'], 'Secrets are fetched with the task execution role: without executionRoleArn the task cannot start.');
    }
    const envNames = new Set<string>();
    arr(c['environment']).forEach((e, j) => {
      if (!isObj(e)) return;
      const n = str(e['name']);
      if (!n) err(at('environment', j, 'name'), `Invalid 'environment' setting for container '${label}'. name should not be null or empty.`);
      else if (envNames.has(n)) warn(at('environment', j, 'name'), `Environment variable '${n}' is set twice; the last value wins.`);
      if (n) envNames.add(n);
    });

    // linux parameters
    const lp = c['linuxParameters'];
    if (isObj(lp) && fargate) {
      if (arr(lp['devices']).length) err(at('linuxParameters', 'devices'), 'Fargate does not support devices in linuxParameters.');
      if (lp['sharedMemorySize'] !== undefined) err(at('linuxParameters', 'sharedMemorySize'), 'Fargate does not support sharedMemorySize in linuxParameters.');
      if (arr(lp['tmpfs']).length) err(at('linuxParameters', 'tmpfs'), 'Fargate does not support tmpfs in linuxParameters.');
      if (lp['maxSwap'] !== undefined || lp['swappiness'] !== undefined) err(at('linuxParameters'), 'Fargate does not support swap settings in linuxParameters.');
      const caps = isObj(lp['capabilities']) ? arr(lp['capabilities']['add']) : [];
      caps.forEach((cap, j) => {
        if (cap !== 'SYS_PTRACE') err(at('linuxParameters', 'capabilities', 'add', j), `Fargate only supports adding the SYS_PTRACE kernel capability, not '${String(cap)}'.`);
      });
    }

    // images that need an execution role on Fargate
    if (fargate && image && isEcrImage(image) && !str(doc['executionRoleArn'])) {
      err(['executionRoleArn'], 'Fargate requires task definition to have execution role ARN to support ECR images.');
    }
    if (isObj(c['repositoryCredentials']) && fargate && !str(doc['executionRoleArn'])) {
      err(['executionRoleArn'], 'Fargate requires task definition to have execution role ARN to support private registry authentication.');
    }
  });
  if (containers.length > 0 && containers.every(isObj) && essentialCount === 0) {
    err(['containerDefinitions'], 'A task definition must have at least one essential container.');
  }

  // ---- task size
  for (const [k, raw, norm] of [
    ['cpu', taskCpuRaw, taskCpu],
    ['memory', taskMemRaw, taskMemory],
  ] as const) {
    if (norm !== null) continue;
    if (typeof raw === 'number') err([k], `Invalid type for parameter ${k}, value: ${raw}: task-level ${k} is a string, write "${raw}".`);
    else err([k], `Invalid '${k}' setting for task.`);
  }
  if (fargate) {
    if (taskCpu === undefined) err(['cpu'], "Fargate requires that 'cpu' be defined at the task level.");
    if (taskMemory === undefined) err(['memory'], "Fargate requires that 'memory' be defined at the task level.");
    if (typeof taskCpu === 'string' && typeof taskMemory === 'string') {
      const cpuN = parseInt(taskCpu, 10);
      const memN = parseInt(taskMemory, 10);
      if (!isValidFargateSize(cpuN, memN)) {
        err(
          FARGATE_SIZES.some((s) => s.cpu === cpuN) ? ['memory'] : ['cpu'],
          `No Fargate configuration exists for given values: ${cpuN} CPU, ${memN} memory. See the Amazon ECS documentation for the valid values.`,
        );
      }
    }
    if (doc['ipcMode'] !== undefined) err(['ipcMode'], 'Tasks using the Fargate launch type do not support ipcMode.');
    if (doc['pidMode'] === 'host') err(['pidMode'], "Tasks using the Fargate launch type do not support pidMode 'host'.");
  } else if (typeof taskCpu === 'string' && ec2Like) {
    const cpuN = parseInt(taskCpu, 10);
    if (cpuN < 128 || cpuN > 196608) err(['cpu'], "Invalid 'cpu' setting for task. For EC2 tasks the value must be between 128 and 196608 CPU units.");
  }
  if (typeof taskMemory === 'string' && sumMemory > parseInt(taskMemory, 10)) {
    err(['memory'], `Invalid setting for task. The sum of the container memory values (${sumMemory} MiB) is larger than the task memory (${taskMemory} MiB).`);
  }
  if (typeof taskCpu === 'string' && sumCpu > parseInt(taskCpu, 10)) {
    err(['cpu'], `Invalid setting for task. The sum of the container cpu values (${sumCpu}) is larger than the task cpu (${taskCpu}).`);
  }

  // ---- ephemeral storage and platform
  const es = doc['ephemeralStorage'];
  if (es !== undefined) {
    const size = isObj(es) ? num(es['sizeInGiB']) : undefined;
    if (size === undefined || size < 21 || size > 200) {
      err(['ephemeralStorage', 'sizeInGiB'], 'The ephemeral storage size must be between 21 and 200 GiB.', 'InvalidParameterException');
    }
  }
  const rp = doc['runtimePlatform'];
  if (isObj(rp)) {
    const os = str(rp['operatingSystemFamily']);
    if (os && os !== 'LINUX' && networkMode !== 'awsvpc' && networkMode !== 'bridge' && networkMode !== 'default') {
      err(['networkMode'], `Windows containers do not support networkMode '${networkMode}'.`);
    }
  }
  for (const k of ['taskRoleArn', 'executionRoleArn'] as const) {
    const v = doc[k];
    if (v !== undefined && (typeof v !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(v))) {
      if (typeof v === 'string' && /^[\w+=,.@-]+$/.test(v)) continue; // a bare role name is accepted
      err([k], `Invalid ${k}: '${String(v)}' is not a valid IAM role ARN.`);
    }
  }
  if (!problems.length && !fargate && networkMode === 'awsvpc') {
    // nothing: awsvpc on EC2 is fine (needs network configuration at run time)
  }
  return problems;
}

/** The first problem the engine would reject with, or undefined. */
export function firstError(problems: TaskDefinitionProblem[]): TaskDefinitionProblem | undefined {
  return problems.find((p) => p.severity === 'error');
}
