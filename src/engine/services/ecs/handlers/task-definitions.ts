/** Task definitions: register revisions per family, describe, list, deregister, delete. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { isoTime } from '../../../clock';
import { ecsErrors } from '../errors';
import {
  taskDefinitionsTable,
  taskDefinitionArn,
  parseEcsArn,
  paginate,
  type TaskDefinitionRow,
  type Tag,
} from '../model';
import { ContainerDefinition, Volume, Tags } from '../shapes';
import {
  validateTaskDefinition,
  firstError,
  normaliseTaskCpu,
  normaliseTaskMemory,
  isValidFargateSize,
  isEcrImage,
} from '../task-definition-validator';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const FAMILIES = 'ecs.taskDefinitionFamilies';
interface FamilyRow {
  region: string;
  family: string;
  lastRevision: number;
}

function familyKey(ctx: Ctx, family: string): string {
  return `${ctx.region}/${family}`;
}

export const RegisterTaskDefinitionInput = s.struct(
  {
    family: s.str({ doc: 'Name of the family; each registration adds a revision.', complete: 'task-definition-family' }),
    taskRoleArn: s.str({ doc: 'IAM role the containers use to call AWS.', complete: 'iam-role' }),
    executionRoleArn: s.str({ doc: 'IAM role ECS uses to pull private images, send logs and fetch secrets.', complete: 'iam-role' }),
    networkMode: s.enum(['bridge', 'host', 'awsvpc', 'none'] as const, { doc: 'Container networking: bridge (EC2 default), host, awsvpc (own ENI; required by Fargate) or none.' }),
    containerDefinitions: s.list(ContainerDefinition, { doc: 'One to ten containers that make up the task.' }),
    volumes: s.list(Volume, { doc: 'Volumes the containers can mount.' }),
    placementConstraints: s.list(s.struct({ type: s.enum(['memberOf'] as const), expression: s.str() })),
    requiresCompatibilities: s.list(s.enum(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const), { doc: 'Launch types the definition is validated for.' }),
    cpu: s.str({ doc: 'Task CPU: units ("256") or vCPUs ("0.25 vCPU"). Required for Fargate.' }),
    memory: s.str({ doc: 'Task memory: MiB ("512") or GB ("0.5 GB"). Required for Fargate.' }),
    tags: Tags(),
    pidMode: s.enum(['host', 'task'] as const),
    ipcMode: s.enum(['host', 'task', 'none'] as const),
    proxyConfiguration: s.struct(
      { type: s.enum(['APPMESH'] as const), containerName: s.str(), properties: s.list(s.struct({ name: s.str(), value: s.str() })) },
      ['containerName'],
    ),
    inferenceAccelerators: s.list(s.struct({ deviceName: s.str(), deviceType: s.str() }, ['deviceName', 'deviceType'])),
    ephemeralStorage: s.struct({ sizeInGiB: s.int({ doc: 'Fargate scratch space, 21-200 GiB (default 20).' }) }, ['sizeInGiB']),
    runtimePlatform: s.struct({
      cpuArchitecture: s.enum(['X86_64', 'ARM64'] as const),
      operatingSystemFamily: s.enum(
        [
          'WINDOWS_SERVER_2019_FULL',
          'WINDOWS_SERVER_2019_CORE',
          'WINDOWS_SERVER_2016_FULL',
          'WINDOWS_SERVER_2004_CORE',
          'WINDOWS_SERVER_2022_CORE',
          'WINDOWS_SERVER_2022_FULL',
          'WINDOWS_SERVER_2025_CORE',
          'WINDOWS_SERVER_2025_FULL',
          'WINDOWS_SERVER_20H2_CORE',
          'LINUX',
        ] as const,
      ),
    }),
    enableFaultInjection: s.bool(),
  },
  ['family', 'containerDefinitions'],
);

/** Container definition as ECS echoes it: defaults filled in, members in the API's order. */
function normaliseContainer(c: Obj, networkMode: string): Obj {
  const out: Obj = {};
  const copy = (k: string) => {
    if (c[k] !== undefined) out[k] = c[k];
  };
  copy('name');
  copy('image');
  copy('repositoryCredentials');
  out['cpu'] = c['cpu'] ?? 0;
  copy('memory');
  copy('memoryReservation');
  copy('links');
  out['portMappings'] = (Array.isArray(c['portMappings']) ? c['portMappings'] : []).map((pm: unknown) => {
    const p = isObj(pm) ? pm : {};
    const o: Obj = {};
    if (p['containerPort'] !== undefined) o['containerPort'] = p['containerPort'];
    if (p['hostPort'] !== undefined) o['hostPort'] = p['hostPort'];
    else if (p['containerPort'] !== undefined) o['hostPort'] = networkMode === 'bridge' ? 0 : p['containerPort'];
    o['protocol'] = p['protocol'] ?? 'tcp';
    for (const k of ['name', 'appProtocol', 'containerPortRange']) if (p[k] !== undefined) o[k] = p[k];
    return o;
  });
  out['essential'] = c['essential'] ?? true;
  copy('restartPolicy');
  copy('entryPoint');
  copy('command');
  out['environment'] = c['environment'] ?? [];
  copy('environmentFiles');
  out['mountPoints'] = c['mountPoints'] ?? [];
  out['volumesFrom'] = c['volumesFrom'] ?? [];
  copy('linuxParameters');
  copy('secrets');
  copy('dependsOn');
  for (const k of [
    'startTimeout',
    'stopTimeout',
    'versionConsistency',
    'hostname',
    'user',
    'workingDirectory',
    'disableNetworking',
    'privileged',
    'readonlyRootFilesystem',
    'dnsServers',
    'dnsSearchDomains',
    'extraHosts',
    'dockerSecurityOptions',
    'interactive',
    'pseudoTerminal',
    'dockerLabels',
    'ulimits',
    'logConfiguration',
  ])
    copy(k);
  if (isObj(c['healthCheck'])) {
    const h = c['healthCheck'];
    out['healthCheck'] = { command: h['command'], interval: h['interval'] ?? 30, timeout: h['timeout'] ?? 5, retries: h['retries'] ?? 3, ...(h['startPeriod'] !== undefined ? { startPeriod: h['startPeriod'] } : {}) };
  }
  out['systemControls'] = c['systemControls'] ?? [];
  copy('resourceRequirements');
  copy('firelensConfiguration');
  copy('credentialSpecs');
  return out;
}

/** Capability attributes the definition needs on an EC2 container instance (as ECS lists them). */
function requiredAttributes(input: Obj, containers: Obj[]): { name: string }[] {
  const names = new Set<string>();
  const nm = input['networkMode'];
  if (nm === 'awsvpc') names.add('ecs.capability.task-eni');
  if (nm) names.add('com.amazonaws.ecs.capability.docker-remote-api.1.18');
  if (input['taskRoleArn']) names.add('com.amazonaws.ecs.capability.task-iam-role');
  if (input['executionRoleArn']) names.add('ecs.capability.execution-role-awslogs');
  for (const c of containers) {
    const lc = c['logConfiguration'];
    if (isObj(lc) && typeof lc['logDriver'] === 'string') {
      names.add(lc['logDriver'] === 'awsfirelens' ? 'ecs.capability.logging-driver.awsfirelens' : `com.amazonaws.ecs.capability.logging-driver.${lc['logDriver']}`);
      names.add('com.amazonaws.ecs.capability.docker-remote-api.1.19');
    }
    if (typeof c['image'] === 'string' && isEcrImage(c['image'])) {
      names.add('com.amazonaws.ecs.capability.ecr-auth');
      if (input['executionRoleArn']) names.add('ecs.capability.execution-role-ecr-pull');
    }
    if (isObj(c['healthCheck'])) names.add('ecs.capability.container-health-check');
    if (Array.isArray(c['dependsOn']) && c['dependsOn'].length) names.add('ecs.capability.container-ordering');
    if (Array.isArray(c['secrets']) && c['secrets'].length) names.add('ecs.capability.secrets.asm.environment-variables');
    if (c['memoryReservation'] !== undefined) names.add('com.amazonaws.ecs.capability.docker-remote-api.1.21');
  }
  return [...names].sort().map((name) => ({ name }));
}

/** Is the definition runnable on Fargate as registered (the compatibilities ECS computes)? */
function fargateCompatible(input: Obj, cpu?: string, memory?: string): boolean {
  if (input['networkMode'] !== 'awsvpc' || !cpu || !memory) return false;
  if (!isValidFargateSize(parseInt(cpu, 10), parseInt(memory, 10))) return false;
  if (input['ipcMode'] !== undefined || input['pidMode'] === 'host') return false;
  const vols = Array.isArray(input['volumes']) ? input['volumes'] : [];
  if (vols.some((v) => isObj(v) && (v['dockerVolumeConfiguration'] !== undefined || (isObj(v['host']) && v['host']['sourcePath'])))) return false;
  return true;
}

export function registerTaskDefinition(ctx: Ctx, input: Obj): TaskDefinitionRow {
  const problem = firstError(validateTaskDefinition(input));
  if (problem) throw problem.code === 'ClientException' ? ecsErrors.client(problem.message) : ecsErrors.invalidParameter(problem.message);
  const family = input['family'] as string;
  const fams = ctx.table<FamilyRow>(FAMILIES);
  const fk = familyKey(ctx, family);
  const revision = (fams.get(fk)?.lastRevision ?? 0) + 1;
  fams.set(fk, { region: ctx.region, family, lastRevision: revision });
  const arn = taskDefinitionArn(ctx, family, revision);
  const networkMode = (input['networkMode'] as string | undefined) ?? 'bridge';
  const containers = (input['containerDefinitions'] as Obj[]).map((c) => normaliseContainer(c, networkMode));
  const cpu = typeof input['cpu'] === 'string' ? (normaliseTaskCpu(input['cpu']) ?? undefined) : undefined;
  const memory = typeof input['memory'] === 'string' ? (normaliseTaskMemory(input['memory']) ?? undefined) : undefined;
  const requires = (input['requiresCompatibilities'] as string[] | undefined) ?? [];
  const compat = ['EC2'];
  if (fargateCompatible(input, cpu, memory)) compat.push('FARGATE');
  if (requires.includes('EXTERNAL')) compat.push('EXTERNAL');
  const now = ctx.now();
  const doc: Obj = {
    taskDefinitionArn: arn,
    containerDefinitions: containers,
    family,
  };
  if (input['taskRoleArn']) doc['taskRoleArn'] = roleArn(ctx, input['taskRoleArn'] as string);
  if (input['executionRoleArn']) doc['executionRoleArn'] = roleArn(ctx, input['executionRoleArn'] as string);
  if (input['networkMode']) doc['networkMode'] = input['networkMode'];
  doc['revision'] = revision;
  doc['volumes'] = ((input['volumes'] as Obj[] | undefined) ?? []).map((v) => {
    const o: Obj = { name: v['name'] };
    if (v['dockerVolumeConfiguration']) o['dockerVolumeConfiguration'] = v['dockerVolumeConfiguration'];
    else if (v['efsVolumeConfiguration']) o['efsVolumeConfiguration'] = v['efsVolumeConfiguration'];
    else if (v['fsxWindowsFileServerVolumeConfiguration']) o['fsxWindowsFileServerVolumeConfiguration'] = v['fsxWindowsFileServerVolumeConfiguration'];
    else o['host'] = v['host'] ?? {};
    if (v['configuredAtLaunch'] !== undefined) o['configuredAtLaunch'] = v['configuredAtLaunch'];
    return o;
  });
  doc['status'] = 'ACTIVE';
  doc['requiresAttributes'] = requiredAttributes(input, containers);
  doc['placementConstraints'] = input['placementConstraints'] ?? [];
  doc['compatibilities'] = compat;
  if (input['runtimePlatform']) doc['runtimePlatform'] = input['runtimePlatform'];
  if (requires.length) doc['requiresCompatibilities'] = requires;
  if (cpu) doc['cpu'] = cpu;
  if (memory) doc['memory'] = memory;
  for (const k of ['inferenceAccelerators', 'pidMode', 'ipcMode', 'proxyConfiguration']) if (input[k] !== undefined) doc[k] = input[k];
  doc['registeredAt'] = isoTime(now);
  doc['registeredBy'] = ctx.identity.arn;
  if (input['ephemeralStorage']) doc['ephemeralStorage'] = input['ephemeralStorage'];
  if (input['enableFaultInjection'] !== undefined) doc['enableFaultInjection'] = input['enableFaultInjection'];
  const row: TaskDefinitionRow = {
    arn,
    region: ctx.region,
    family,
    revision,
    status: 'ACTIVE',
    doc,
    tags: ((input['tags'] as Tag[] | undefined) ?? []).map((t) => ({ key: t.key, value: t.value ?? '' })),
    registeredAt: now,
    registeredBy: ctx.identity.arn,
  };
  return taskDefinitionsTable(ctx).set(arn, row);
}

function roleArn(ctx: Ctx, v: string): string {
  return v.startsWith('arn:') ? v : `arn:aws:iam::${ctx.accountId}:role/${v}`;
}

/**
 * Find a revision by "family" (latest ACTIVE revision), "family:revision" or
 * ARN. Throws ClientException 'Unable to describe task definition.' when none.
 */
export function findTaskDefinition(ctx: Ctx, ref: string): TaskDefinitionRow {
  const t = taskDefinitionsTable(ctx);
  let family: string;
  let revision: number | undefined;
  if (ref.startsWith('arn:')) {
    const a = parseEcsArn(ref);
    if (!a || a.kind !== 'task-definition') throw ecsErrors.client('Unable to describe task definition.');
    if (a.region !== ctx.region) throw ecsErrors.taskDefinitionNotFound();
    const m = /^([A-Za-z0-9_-]+):(\d+)$/.exec(a.rest);
    if (!m) throw ecsErrors.client('Unable to describe task definition.');
    family = m[1]!;
    revision = parseInt(m[2]!, 10);
  } else {
    const m = /^([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(ref);
    if (!m) throw ecsErrors.client('Unable to describe task definition.');
    family = m[1]!;
    revision = m[2] !== undefined ? parseInt(m[2], 10) : undefined;
  }
  if (revision !== undefined) {
    const row = t.get(taskDefinitionArn(ctx, family, revision));
    if (!row) throw ecsErrors.taskDefinitionNotFound();
    return row;
  }
  let best: TaskDefinitionRow | undefined;
  for (const r of t.values()) {
    if (r.region === ctx.region && r.family === family && r.status === 'ACTIVE' && (!best || r.revision > best.revision)) best = r;
  }
  if (!best) throw ecsErrors.taskDefinitionNotFound();
  return best;
}

/** The taskDefinition object for output (status and deregisteredAt current). */
export function taskDefinitionOutput(row: TaskDefinitionRow): Obj {
  const doc: Obj = { ...row.doc, status: row.status };
  if (row.deregisteredAt !== undefined) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(doc)) {
      out[k] = v;
      if (k === 'registeredAt') out['deregisteredAt'] = isoTime(row.deregisteredAt);
    }
    return out;
  }
  return doc;
}

export const RegisterTaskDefinition = op({
  name: 'RegisterTaskDefinition',
  doc: 'Registers a new revision of a task definition family: the containers, their images and sizes, networking and volumes. Use --cli-input-json file://taskdef.json for a whole document.',
  input: RegisterTaskDefinitionInput,
  errors: ['ClientException', 'InvalidParameterException', 'ServerException'],
  example:
    'aws ecs register-task-definition --family web --requires-compatibilities FARGATE --network-mode awsvpc --cpu 256 --memory 512 --container-definitions \'[{"name":"web","image":"nginx","portMappings":[{"containerPort":80}]}]\'',
  handler: (ctx, input) => {
    const row = registerTaskDefinition(ctx, input as unknown as Obj);
    const out: Obj = { taskDefinition: taskDefinitionOutput(row) };
    if (row.tags.length) out['tags'] = row.tags;
    return out;
  },
});

export const DescribeTaskDefinition = op({
  name: 'DescribeTaskDefinition',
  doc: 'Shows a task definition revision: give family (latest ACTIVE revision), family:revision or the full ARN.',
  input: s.struct(
    {
      taskDefinition: s.str({ doc: 'family, family:revision or ARN.', complete: 'task-definition' }),
      include: s.list(s.enum(['TAGS'] as const), { doc: 'TAGS to also return the tags.' }),
    },
    ['taskDefinition'],
  ),
  readOnly: true,
  errors: ['ClientException', 'InvalidParameterException'],
  example: 'aws ecs describe-task-definition --task-definition web:1',
  handler: (ctx, input) => {
    const row = findTaskDefinition(ctx, input.taskDefinition);
    const out: Obj = { taskDefinition: taskDefinitionOutput(row) };
    if (input.include?.includes('TAGS')) out['tags'] = row.tags;
    return out;
  },
});

function compareRows(a: TaskDefinitionRow, b: TaskDefinitionRow): number {
  return a.family < b.family ? -1 : a.family > b.family ? 1 : a.revision - b.revision;
}

export const ListTaskDefinitions = op({
  name: 'ListTaskDefinitions',
  doc: 'Lists task definition ARNs, ACTIVE ones by default, sorted by family and revision. --family-prefix takes a whole family name.',
  input: s.struct({
    familyPrefix: s.str({ doc: 'Only revisions of this family (the full family name).', complete: 'task-definition-family' }),
    status: s.enum(['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'] as const, { doc: 'ACTIVE (default), INACTIVE or DELETE_IN_PROGRESS.' }),
    sort: s.enum(['ASC', 'DESC'] as const, { doc: 'ASC (default) or DESC.' }),
    nextToken: s.str(),
    maxResults: s.int({ doc: '1-100.' }),
  }),
  readOnly: true,
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ['taskDefinitionArns'] },
  example: 'aws ecs list-task-definitions --family-prefix web --sort DESC',
  handler: (ctx, input) => {
    const status = input.status ?? 'ACTIVE';
    const rows = taskDefinitionsTable(ctx)
      .filter((r) => r.region === ctx.region && r.status === status && (!input.familyPrefix || r.family === input.familyPrefix))
      .sort(compareRows);
    if (input.sort === 'DESC') rows.reverse();
    const { page, nextToken } = paginate(
      rows.map((r) => r.arn),
      input.nextToken,
      input.maxResults,
    );
    return nextToken ? { taskDefinitionArns: page, nextToken } : { taskDefinitionArns: page };
  },
});

export const ListTaskDefinitionFamilies = op({
  name: 'ListTaskDefinitionFamilies',
  doc: 'Lists the task definition family names, optionally those starting with a prefix; ACTIVE families have at least one ACTIVE revision.',
  input: s.struct({
    familyPrefix: s.str({ doc: 'Only families whose name starts with this.' }),
    status: s.enum(['ACTIVE', 'INACTIVE', 'ALL'] as const, { doc: 'ACTIVE, INACTIVE or ALL (default).' }),
    nextToken: s.str(),
    maxResults: s.int({ doc: '1-100.' }),
  }),
  readOnly: true,
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ['families'] },
  example: 'aws ecs list-task-definition-families --status ACTIVE',
  handler: (ctx, input) => {
    const active = new Set<string>();
    const all = new Set<string>();
    for (const r of taskDefinitionsTable(ctx).values()) {
      if (r.region !== ctx.region || r.status === 'DELETE_IN_PROGRESS') continue;
      all.add(r.family);
      if (r.status === 'ACTIVE') active.add(r.family);
    }
    const status = input.status ?? 'ALL';
    const fams = [...all]
      .filter((f) => (status === 'ALL' ? true : status === 'ACTIVE' ? active.has(f) : !active.has(f)))
      .filter((f) => !input.familyPrefix || f.startsWith(input.familyPrefix))
      .sort();
    const { page, nextToken } = paginate(fams, input.nextToken, input.maxResults);
    return nextToken ? { families: page, nextToken } : { families: page };
  },
});

export const DeregisterTaskDefinition = op({
  name: 'DeregisterTaskDefinition',
  doc: 'Marks a revision INACTIVE: running tasks keep running, but no new task can use it. Needs family:revision or the ARN.',
  input: s.struct({ taskDefinition: s.str({ doc: 'family:revision or ARN.', complete: 'task-definition' }) }, ['taskDefinition']),
  errors: ['ClientException', 'InvalidParameterException'],
  example: 'aws ecs deregister-task-definition --task-definition web:1',
  handler: (ctx, input) => {
    if (!input.taskDefinition.startsWith('arn:') && !/:\d+$/.test(input.taskDefinition)) {
      throw ecsErrors.client('Invalid revision number. Number: ' + input.taskDefinition);
    }
    const row = findTaskDefinition(ctx, input.taskDefinition);
    if (row.status !== 'ACTIVE') throw ecsErrors.client('The specified task definition is already INACTIVE.');
    const next = taskDefinitionsTable(ctx).set(row.arn, { ...row, status: 'INACTIVE', deregisteredAt: ctx.now() });
    return { taskDefinition: taskDefinitionOutput(next) };
  },
});

export const DeleteTaskDefinitions = op({
  name: 'DeleteTaskDefinitions',
  doc: 'Deletes up to 10 INACTIVE revisions (deregister them first); they show DELETE_IN_PROGRESS until no task uses them.',
  input: s.struct({ taskDefinitions: s.list(s.str({ complete: 'task-definition' }), { doc: 'family:revision or ARNs, up to 10.' }) }, ['taskDefinitions']),
  errors: ['ClientException', 'InvalidParameterException'],
  example: 'aws ecs delete-task-definitions --task-definitions web:1',
  handler: (ctx, input) => {
    if (input.taskDefinitions.length < 1 || input.taskDefinitions.length > 10) {
      throw ecsErrors.invalidParameter('The taskDefinitions parameter must contain between 1 and 10 items.');
    }
    const done: Obj[] = [];
    const failures: Obj[] = [];
    for (const ref of input.taskDefinitions) {
      let row: TaskDefinitionRow;
      try {
        if (!ref.startsWith('arn:') && !/:\d+$/.test(ref)) throw ecsErrors.client('revision');
        row = findTaskDefinition(ctx, ref);
      } catch {
        failures.push({ arn: ref.startsWith('arn:') ? ref : taskDefinitionArnFromRef(ctx, ref), reason: 'TASK_DEFINITION_NOT_FOUND', detail: 'The specified task definition does not exist.' });
        continue;
      }
      if (row.status === 'ACTIVE') {
        failures.push({
          arn: row.arn,
          reason: 'The specified task definition is still in ACTIVE status. Please deregister the target and try again.',
        });
        continue;
      }
      const next = row.status === 'DELETE_IN_PROGRESS' ? row : taskDefinitionsTable(ctx).set(row.arn, { ...row, status: 'DELETE_IN_PROGRESS' });
      const out = taskDefinitionOutput(next);
      out['deleteRequestedAt'] = isoTime(ctx.now());
      done.push(out);
    }
    return { taskDefinitions: done, failures };
  },
});

function taskDefinitionArnFromRef(ctx: Ctx, ref: string): string {
  const m = /^([A-Za-z0-9_-]+):(\d+)$/.exec(ref);
  return m ? taskDefinitionArn(ctx, m[1]!, parseInt(m[2]!, 10)) : ref;
}

export const taskDefinitionOperations = [
  RegisterTaskDefinition,
  DescribeTaskDefinition,
  ListTaskDefinitions,
  ListTaskDefinitionFamilies,
  DeregisterTaskDefinition,
  DeleteTaskDefinitions,
];
