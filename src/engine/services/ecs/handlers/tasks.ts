/** Tasks: RunTask (EC2 placement or Fargate), StartTask, StopTask, DescribeTasks, ListTasks. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { isoTime } from '../../../clock';
import { availabilityZones } from '../../../regions';
import { ecsErrors } from '../errors';
import {
  findCluster,
  tasksTable,
  taskArn,
  shortId,
  paginate,
  mergeTags,
  holdOnInstance,
  instanceLoadTable,
  type ClusterRow,
  type TaskRow,
  type TaskDefinitionRow,
  type ContainerStateRow,
  type Tag,
  type CapacityProviderStrategyItem,
  type NetworkBindingRow,
  type EniAttachment,
} from '../model';
import { findTaskDefinition } from './task-definitions';
import { Tags, NetworkConfiguration, TaskOverride, PlacementConstraint, PlacementStrategy, CapacityProviderStrategy } from '../shapes';
import { placeTasks, checkPlacementInput, NO_INSTANCES_MESSAGE, type PlacementCandidate, type PortNeed, type PlacementConstraintInput, type PlacementStrategyInput } from '../placement';
import { checkAwsvpcConfiguration, createTaskEni, resolvePlatformVersion, type AwsvpcConfigInput, type SubnetLike } from '../fargate';
import { startLifecycle, beginStop, TASK_TIMINGS } from '../lifecycle';
import { imageFacts } from '../image-info';
import { containerBehaviour } from '../../../images';
import { containerInstancesOf, queryTargetOf, type ContainerInstanceRow } from '../container-instances';
import { parseQuery, evaluateQuery, QueryError, type QueryNode, type QueryTarget } from '../query-language';

type Obj = Record<string, unknown>;
type ContainerDef = Obj & { name: string; image: string };

/** Stopped tasks stay visible to DescribeTasks and ListTasks this long (as on AWS, about an hour). */
export const STOPPED_TASK_RETENTION_MS = TASK_TIMINGS.stoppedRetentionMs;

function visible(ctx: Ctx, t: TaskRow): boolean {
  return t.lastStatus !== 'STOPPED' || (t.stoppedAt ?? 0) + STOPPED_TASK_RETENTION_MS > ctx.now();
}

// ---------------------------------------------------------------- output

export function taskOutput(ctx: Ctx, t: TaskRow, includeTags = true): Obj {
  const clusterName = shortId(t.clusterArn);
  const out: Obj = {};
  const attachments: Obj[] = [];
  if (t.eni) {
    const details = [
      { name: 'subnetId', value: t.eni.subnetId },
      { name: 'networkInterfaceId', value: t.eni.networkInterfaceId },
      { name: 'macAddress', value: t.eni.macAddress },
      { name: 'privateDnsName', value: t.eni.privateDnsName },
      { name: 'privateIPv4Address', value: t.eni.privateIPv4Address },
    ];
    attachments.push({ id: t.eni.id, type: 'ElasticNetworkInterface', status: t.eni.status, details });
  }
  out['attachments'] = attachments;
  out['attributes'] = [{ name: 'ecs.cpu-architecture', value: 'x86_64' }];
  out['availabilityZone'] = t.availabilityZone;
  if (t.capacityProviderName) out['capacityProviderName'] = t.capacityProviderName;
  out['clusterArn'] = t.clusterArn;
  if (t.connectivity) out['connectivity'] = t.connectivity;
  if (t.connectivityAt !== undefined) out['connectivityAt'] = isoTime(t.connectivityAt);
  if (t.containerInstanceArn) out['containerInstanceArn'] = t.containerInstanceArn;
  out['containers'] = t.containers.map((c) => containerOutput(t, c, clusterName));
  if (t.cpu !== undefined) out['cpu'] = t.cpu;
  out['createdAt'] = isoTime(t.createdAt);
  out['desiredStatus'] = t.desiredStatus;
  out['enableExecuteCommand'] = t.enableExecuteCommand;
  if (t.executionStoppedAt !== undefined) out['executionStoppedAt'] = isoTime(t.executionStoppedAt);
  out['group'] = t.group;
  out['healthStatus'] = t.healthStatus;
  out['lastStatus'] = t.lastStatus;
  out['launchType'] = t.launchType;
  if (t.memory !== undefined) out['memory'] = t.memory;
  out['overrides'] = t.overrides;
  if (t.platformVersion) out['platformVersion'] = t.platformVersion;
  if (t.platformFamily) out['platformFamily'] = t.platformFamily;
  if (t.pullStartedAt !== undefined) out['pullStartedAt'] = isoTime(t.pullStartedAt);
  if (t.pullStoppedAt !== undefined) out['pullStoppedAt'] = isoTime(t.pullStoppedAt);
  if (t.startedAt !== undefined) out['startedAt'] = isoTime(t.startedAt);
  if (t.startedBy) out['startedBy'] = t.startedBy;
  if (t.stopCode) out['stopCode'] = t.stopCode;
  if (t.stoppedAt !== undefined) out['stoppedAt'] = isoTime(t.stoppedAt);
  if (t.stoppedReason) out['stoppedReason'] = t.stoppedReason;
  if (t.stoppingAt !== undefined) out['stoppingAt'] = isoTime(t.stoppingAt);
  if (includeTags) out['tags'] = t.tags;
  out['taskArn'] = t.arn;
  out['taskDefinitionArn'] = t.taskDefinitionArn;
  out['version'] = t.version;
  if (t.ephemeralStorageGiB !== undefined) {
    out['ephemeralStorage'] = { sizeInGiB: t.ephemeralStorageGiB };
    out['fargateEphemeralStorage'] = { sizeInGiB: t.ephemeralStorageGiB };
  }
  void ctx;
  return out;
}

function containerOutput(t: TaskRow, c: ContainerStateRow, clusterName: string): Obj {
  const o: Obj = {
    containerArn: `arn:aws:ecs:${t.region}:${t.arn.split(':')[4]}:container/${clusterName}/${t.id}/${c.id}`,
    taskArn: t.arn,
    name: c.name,
    image: c.image,
  };
  if (c.imageDigest) o['imageDigest'] = c.imageDigest;
  if (c.runtimeId) o['runtimeId'] = c.runtimeId;
  o['lastStatus'] = c.lastStatus;
  if (c.exitCode !== undefined) o['exitCode'] = c.exitCode;
  if (c.reason) o['reason'] = c.reason;
  o['networkBindings'] = c.networkBindings;
  o['networkInterfaces'] = t.eni ? [{ attachmentId: t.eni.id, privateIpv4Address: t.eni.privateIPv4Address }] : [];
  o['healthStatus'] = c.healthStatus;
  o['cpu'] = c.cpu;
  if (c.memory) o['memory'] = c.memory;
  if (c.memoryReservation) o['memoryReservation'] = c.memoryReservation;
  return o;
}

// ---------------------------------------------------------------- lookups

/** Find a task by id or ARN in a cluster (visible ones only). */
export function findTask(ctx: Ctx, cluster: ClusterRow, ref: string): TaskRow | undefined {
  const arn = ref.startsWith('arn:') ? ref : taskArn(ctx, cluster.name, ref);
  const t = tasksTable(ctx).get(arn);
  return t && t.clusterArn === cluster.arn && visible(ctx, t) ? t : undefined;
}

// ---------------------------------------------------------------- run

interface RunInput {
  cluster?: string;
  taskDefinition: string;
  count?: number;
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  networkConfiguration?: { awsvpcConfiguration?: AwsvpcConfigInput };
  overrides?: Obj;
  startedBy?: string;
  group?: string;
  placementConstraints?: PlacementConstraintInput[];
  placementStrategy?: PlacementStrategyInput[];
  platformVersion?: string;
  enableECSManagedTags?: boolean;
  propagateTags?: string;
  tags?: Tag[];
  enableExecuteCommand?: boolean;
}

function containerDefs(td: TaskDefinitionRow): ContainerDef[] {
  return td.doc['containerDefinitions'] as ContainerDef[];
}

function checkOverrides(td: TaskDefinitionRow, overrides: Obj | undefined): void {
  const names = new Set(containerDefs(td).map((c) => c.name));
  for (const co of (overrides?.['containerOverrides'] as Obj[] | undefined) ?? []) {
    const n = co['name'] as string | undefined;
    if (!n || !names.has(n)) throw ecsErrors.invalidParameter(`Override for container named ${n ?? ''} is not a container in the TaskDefinition.`);
  }
}

function containerOverride(overrides: Obj | undefined, name: string): Obj | undefined {
  return ((overrides?.['containerOverrides'] as Obj[] | undefined) ?? []).find((c) => c['name'] === name);
}

/** What one task reserves: task-level size or the sum of its containers (with overrides). */
function taskNeeds(td: TaskDefinitionRow, overrides: Obj | undefined): { cpu: number; memory: number } {
  const taskCpu = (overrides?.['cpu'] as string | undefined) ?? (td.doc['cpu'] as string | undefined);
  const taskMem = (overrides?.['memory'] as string | undefined) ?? (td.doc['memory'] as string | undefined);
  let cpu = 0;
  let memory = 0;
  for (const c of containerDefs(td)) {
    const o = containerOverride(overrides, c.name);
    cpu += ((o?.['cpu'] as number | undefined) ?? (c['cpu'] as number | undefined) ?? 0) as number;
    memory += ((o?.['memoryReservation'] as number | undefined) ??
      (o?.['memory'] as number | undefined) ??
      (c['memoryReservation'] as number | undefined) ??
      (c['memory'] as number | undefined) ??
      0) as number;
  }
  return {
    cpu: taskCpu !== undefined ? parseInt(taskCpu, 10) : cpu,
    memory: taskMem !== undefined ? parseInt(taskMem, 10) : memory,
  };
}

function portNeeds(td: TaskDefinitionRow): PortNeed[] {
  const mode = (td.doc['networkMode'] as string | undefined) ?? 'bridge';
  if (mode === 'awsvpc' || mode === 'none') return [];
  const out: PortNeed[] = [];
  for (const c of containerDefs(td)) {
    for (const pm of (c['portMappings'] as Obj[] | undefined) ?? []) {
      const cp = pm['containerPort'] as number | undefined;
      if (cp === undefined) continue;
      const hp = mode === 'host' ? cp : ((pm['hostPort'] as number | undefined) ?? 0);
      out.push({ containerPort: cp, hostPort: hp, protocol: (pm['protocol'] as 'tcp' | 'udp' | undefined) ?? 'tcp' });
    }
  }
  return out;
}

/** Split `count` tasks over a capacity provider strategy (base first, then by weight). */
function splitByStrategy(strategy: CapacityProviderStrategyItem[], count: number): string[] {
  const out: string[] = [];
  const based = strategy.find((i) => (i.base ?? 0) > 0);
  if (based) for (let i = 0; i < Math.min(based.base ?? 0, count); i++) out.push(based.capacityProvider);
  const weighted = strategy.filter((i) => (i.weight ?? 0) > 0);
  const totalWeight = weighted.reduce((a, i) => a + (i.weight ?? 0), 0);
  const given = new Map<string, number>();
  while (out.length < count) {
    if (totalWeight === 0) {
      out.push(strategy[0]!.capacityProvider);
      continue;
    }
    // Pick the provider furthest below its share.
    let best = weighted[0]!;
    let bestGap = -Infinity;
    const n = out.length - (based ? Math.min(based.base ?? 0, count) : 0) + 1;
    for (const w of weighted) {
      const gap = (n * (w.weight ?? 0)) / totalWeight - (given.get(w.capacityProvider) ?? 0);
      if (gap > bestGap) {
        bestGap = gap;
        best = w;
      }
    }
    given.set(best.capacityProvider, (given.get(best.capacityProvider) ?? 0) + 1);
    out.push(best.capacityProvider);
  }
  return out;
}

/**
 * Behaviour of a container: the image's (from the image catalogue), run with
 * the container's entry point, command and environment (overrides first).
 */
function behaviour(ctx: Ctx, def: ContainerDef, o: Obj | undefined): { exitAfterMs?: number; exitCode?: number; reason?: string } {
  const env = [...(((def['environment'] as { name: string; value: string }[] | undefined) ?? [])), ...(((o?.['environment'] as { name: string; value: string }[] | undefined) ?? []))];
  const eff = containerBehaviour(ctx, def.image, {
    ...((o?.['command'] ?? def['command']) ? { command: (o?.['command'] ?? def['command']) as string[] } : {}),
    ...(def['entryPoint'] ? { entryPoint: def['entryPoint'] as string[] } : {}),
    environment: env,
  });
  if (eff) {
    const b = eff.behaviour;
    return b.kind === 'command' ? { exitAfterMs: b.durationMs, exitCode: b.exitCode, ...(eff.reason ? { reason: eff.reason } : {}) } : {};
  }
  const facts = imageFacts(ctx, def.image);
  return { exitAfterMs: facts.exitAfterMs, exitCode: facts.exitCode };
}

interface NewTaskSpec {
  cluster: ClusterRow;
  td: TaskDefinitionRow;
  input: RunInput;
  launchType: 'EC2' | 'FARGATE' | 'EXTERNAL';
  capacityProviderName?: string;
  ci?: ContainerInstanceRow;
  hostPorts?: PortNeed[];
  eni?: EniAttachment;
  az: string;
  platformVersion?: string;
  needs: { cpu: number; memory: number };
}

function createTask(ctx: Ctx, spec: NewTaskSpec): TaskRow {
  const { cluster, td, input } = spec;
  const id = ctx.rng.hex(32);
  const arn = taskArn(ctx, cluster.name, id);
  const mode = (td.doc['networkMode'] as string | undefined) ?? 'bridge';
  const overrides = input.overrides;
  const bindings = spec.hostPorts ?? [];
  let bi = 0;
  const containers: ContainerStateRow[] = containerDefs(td).map((def) => {
    const o = containerOverride(overrides, def.name);
    const b = behaviour(ctx, def, o);
    const nb: NetworkBindingRow[] = [];
    if (mode === 'bridge' || mode === 'host') {
      for (const pm of (def['portMappings'] as Obj[] | undefined) ?? []) {
        if (pm['containerPort'] === undefined) continue;
        const hp = bindings[bi++];
        if (hp) nb.push({ bindIP: '0.0.0.0', containerPort: hp.containerPort, hostPort: hp.hostPort, protocol: hp.protocol });
      }
    }
    const mem = (o?.['memory'] as number | undefined) ?? (def['memory'] as number | undefined);
    const memRes = (o?.['memoryReservation'] as number | undefined) ?? (def['memoryReservation'] as number | undefined);
    return {
      id: ctx.rng.uuid(),
      name: def.name,
      image: def.image,
      lastStatus: 'PENDING',
      essential: def['essential'] !== false,
      cpu: String((o?.['cpu'] as number | undefined) ?? (def['cpu'] as number | undefined) ?? 0),
      ...(mem !== undefined ? { memory: String(mem) } : {}),
      ...(memRes !== undefined ? { memoryReservation: String(memRes) } : {}),
      networkBindings: nb,
      healthStatus: 'UNKNOWN',
      ...(b.exitAfterMs !== undefined ? { exitAfterMs: b.exitAfterMs, exitCodeOnExit: b.exitCode ?? 0 } : {}),
      ...(b.reason ? { exitReason: b.reason } : {}),
    };
  });
  let tags: Tag[] = (input.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? '' }));
  if (input.propagateTags === 'TASK_DEFINITION') tags = mergeTags(td.tags, tags);
  if (input.enableECSManagedTags) tags = mergeTags(tags, [{ key: 'aws:ecs:clusterName', value: cluster.name }]);
  const ownEni = spec.launchType === 'FARGATE' || mode === 'awsvpc';
  const taskCpu = (overrides?.['cpu'] as string | undefined) ?? (td.doc['cpu'] as string | undefined);
  const taskMem = (overrides?.['memory'] as string | undefined) ?? (td.doc['memory'] as string | undefined);
  const es = td.doc['ephemeralStorage'] as { sizeInGiB: number } | undefined;
  const overriddenOut: Obj = {
    containerOverrides: containerDefs(td).map((def) => containerOverride(overrides, def.name) ?? { name: def.name }),
    inferenceAcceleratorOverrides: [],
  };
  for (const k of ['cpu', 'memory', 'taskRoleArn', 'executionRoleArn', 'ephemeralStorage']) if (overrides?.[k] !== undefined) overriddenOut[k] = overrides[k];
  const row: TaskRow = {
    arn,
    id,
    region: ctx.region,
    clusterArn: cluster.arn,
    taskDefinitionArn: td.arn,
    family: td.family,
    revision: td.revision,
    ...(spec.ci ? { containerInstanceArn: spec.ci.arn, ec2InstanceId: spec.ci.ec2InstanceId } : {}),
    launchType: spec.launchType,
    ...(spec.capacityProviderName ? { capacityProviderName: spec.capacityProviderName } : {}),
    networkMode: mode,
    lastStatus: ownEni ? 'PROVISIONING' : 'PENDING',
    desiredStatus: 'RUNNING',
    cpu: taskCpu ?? String(spec.needs.cpu),
    memory: taskMem ?? String(spec.needs.memory),
    reserved: {
      cpu: spec.launchType === 'FARGATE' ? 0 : spec.needs.cpu,
      memory: spec.launchType === 'FARGATE' ? 0 : spec.needs.memory,
      ports: bindings.filter((p) => p.protocol === 'tcp').map((p) => p.hostPort),
      udpPorts: bindings.filter((p) => p.protocol === 'udp').map((p) => p.hostPort),
    },
    containers,
    ...(spec.eni ? { eni: spec.eni } : {}),
    availabilityZone: spec.az,
    group: input.group ?? `family:${td.family}`,
    ...(input.startedBy ? { startedBy: input.startedBy } : {}),
    ...(spec.platformVersion ? { platformVersion: spec.platformVersion, platformFamily: 'Linux' } : {}),
    overrides: overriddenOut,
    tags,
    ...(spec.launchType === 'FARGATE' ? { ephemeralStorageGiB: es?.sizeInGiB ?? 20 } : {}),
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    healthStatus: 'UNKNOWN',
    createdAt: ctx.now(),
    version: 1,
    storageRetained: true,
    lifecycleToken: 0,
  };
  tasksTable(ctx).set(arn, row);
  holdOnInstance(ctx, row);
  startLifecycle(ctx, row);
  return tasksTable(ctx).get(arn)!;
}

/** Static facts of a container instance row for placement, cached per (immutable) row. */
interface StaticFacts {
  attributes: Record<string, string | undefined>;
  cpu: number;
  memory: number;
  ports: number[];
  udpPorts: number[];
}
const STATIC = new WeakMap<object, StaticFacts>();

function staticFacts(ci: ContainerInstanceRow): StaticFacts {
  let f = STATIC.get(ci);
  if (f) return f;
  const attributes: Record<string, string | undefined> = {};
  for (const a of ci.attributes) attributes[a.name] = a.value;
  if (!('ecs.availability-zone' in attributes)) attributes['ecs.availability-zone'] = ci.availabilityZone;
  if (!('ecs.instance-type' in attributes)) attributes['ecs.instance-type'] = ci.instanceType;
  const reg = (n: string) => ci.registeredResources.find((r) => r.name === n);
  f = {
    attributes,
    cpu: reg('CPU')?.integerValue ?? 0,
    memory: reg('MEMORY')?.integerValue ?? 0,
    ports: (reg('PORTS')?.stringSetValue ?? []).map(Number),
    udpPorts: (reg('PORTS_UDP')?.stringSetValue ?? []).map(Number),
  };
  STATIC.set(ci, f);
  return f;
}

/**
 * Network interfaces an instance type can attach (the primary one included),
 * as EC2 documents them for the common sizes; without ENI trunking each
 * awsvpc task on EC2 takes one of the others.
 */
export function maxEnis(type: string): number {
  const [family = '', size = ''] = type.split('.');
  if (type === 't2.xlarge' || type === 't2.2xlarge') return 3;
  if (size === 'nano' || size === 'micro') return 2;
  if (size === 'small') return family.startsWith('t') ? 3 : 2;
  if (size === 'medium') return family.startsWith('t') ? 3 : 2;
  if (size === 'large') return 3;
  if (size === 'xlarge' || size === '2xlarge') return 4;
  if (size === '4xlarge' || size === '8xlarge' || size === '12xlarge') return 8;
  return 15;
}

function candidateOf(ctx: Ctx, ci: ContainerInstanceRow, awsvpc: boolean): PlacementCandidate {
  const f = staticFacts(ci);
  const load = instanceLoadTable(ctx).get(ci.arn);
  const groups: string[] = [];
  if (load) for (const [g, n] of Object.entries(load.groups)) for (let i = 0; i < n; i++) groups.push(g);
  let freeEnis: number | undefined;
  if (awsvpc) {
    const tasks = tasksTable(ctx);
    const used = (load?.arns ?? []).filter((a) => tasks.get(a)?.eni).length;
    freeEnis = maxEnis(ci.instanceType) - 1 - used;
  }
  return {
    arn: ci.arn,
    ec2InstanceId: ci.ec2InstanceId,
    status: ci.status,
    agentConnected: ci.agentConnected,
    attributes: f.attributes,
    remainingCpu: f.cpu - (load?.cpu ?? 0),
    remainingMemory: f.memory - (load?.memory ?? 0),
    usedTcpPorts: load ? [...f.ports, ...load.ports] : f.ports,
    usedUdpPorts: load ? [...f.udpPorts, ...load.udpPorts] : f.udpPorts,
    taskGroups: groups,
    ...(freeEnis !== undefined ? { freeEnis } : {}),
  };
}

function parseConstraints(list: PlacementConstraintInput[]): Map<string, QueryNode> {
  const parsed = new Map<string, QueryNode>();
  for (const c of list) {
    if (c.type !== 'memberOf' || !c.expression || parsed.has(c.expression)) continue;
    try {
      parsed.set(c.expression, parseQuery(c.expression));
    } catch (e) {
      if (e instanceof QueryError) throw ecsErrors.invalidParameter(`Invalid placement constraint expression: ${e.message}`);
      throw e;
    }
  }
  return parsed;
}

function placeOnEc2(
  ctx: Ctx,
  cluster: ClusterRow,
  td: TaskDefinitionRow,
  input: RunInput,
  count: number,
  instances: ContainerInstanceRow[],
  strategies: PlacementStrategyInput[],
): { placed: { ci: ContainerInstanceRow; hostPorts: PortNeed[] }[]; failures: Obj[] } {
  const tdConstraints = ((td.doc['placementConstraints'] as PlacementConstraintInput[] | undefined) ?? []).filter((c) => c.type === 'memberOf');
  const constraints = [...tdConstraints, ...(input.placementConstraints ?? [])];
  const parsed = parseConstraints(constraints);
  const byArn = new Map(instances.map((ci) => [ci.arn, ci]));
  // Query targets are only needed (and built lazily) for memberOf constraints.
  const targets = new Map<string, QueryTarget>();
  const targetOf = (arn: string): QueryTarget => {
    let t = targets.get(arn);
    if (!t) targets.set(arn, (t = queryTargetOf(ctx, byArn.get(arn)!)));
    return t;
  };
  const needs = taskNeeds(td, input.overrides);
  const awsvpc = td.doc['networkMode'] === 'awsvpc';
  const result = placeTasks(
    instances.map((ci) => candidateOf(ctx, ci, awsvpc)),
    {
      needs: { ...needs, ports: portNeeds(td), eni: awsvpc },
      count,
      group: input.group ?? `family:${td.family}`,
      constraints,
      strategies,
      memberOf: (expr, c) => evaluateQuery(parsed.get(expr)!, targetOf(c.arn)),
      // Capabilities the definition needs must be among the instance's agent attributes.
      requiredAttributes: ((td.doc['requiresAttributes'] as { name: string }[] | undefined) ?? []).map((a) => a.name),
      randomInt: (n) => ctx.rng.int(0, n - 1),
    },
  );
  return {
    placed: result.placements.map((p) => ({ ci: byArn.get(p.arn)!, hostPorts: p.hostPorts })),
    failures: result.failures.map((f) => (f.arn ? { arn: f.arn, reason: f.reason } : { reason: f.reason })),
  };
}

export function runTasks(ctx: Ctx, input: RunInput, fixedInstances?: string[]): { tasks: Obj[]; failures: Obj[] } {
  const cluster = findCluster(ctx, input.cluster);
  const td = findTaskDefinition(ctx, input.taskDefinition);
  if (td.status !== 'ACTIVE') throw ecsErrors.client('TaskDefinition is inactive');
  const count = fixedInstances ? fixedInstances.length : (input.count ?? 1);
  const maxCount = ctx.config().quotas['ecs-tasks-per-run'] ?? 10;
  if (fixedInstances && (count < 1 || count > maxCount)) throw ecsErrors.invalidParameter(`containerInstances must contain between 1 and ${maxCount} items.`);
  if (!Number.isInteger(count) || count < 1) throw ecsErrors.invalidParameter('Task count must be greater than 0.');
  if (count > maxCount) throw ecsErrors.invalidParameter(`Task count can not be greater than ${maxCount}`);
  if (input.startedBy && input.startedBy.length > 128) throw ecsErrors.invalidParameter('startedBy must be at most 128 characters.');
  if (input.group && input.group.length > 255) throw ecsErrors.invalidParameter('group must be at most 255 characters.');
  checkOverrides(td, input.overrides);
  if (input.launchType && input.capacityProviderStrategy?.length) {
    throw ecsErrors.invalidParameter('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
  }
  // Launch type per task.
  let providers: (string | undefined)[] = [];
  let launchType: 'EC2' | 'FARGATE' | 'EXTERNAL';
  const strategy = input.capacityProviderStrategy?.length ? input.capacityProviderStrategy : !input.launchType && !fixedInstances ? cluster.defaultCapacityProviderStrategy : [];
  if (strategy.length && !fixedInstances) {
    for (const item of strategy) {
      if (!cluster.capacityProviders.includes(item.capacityProvider)) {
        throw ecsErrors.invalidParameter(
          'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
        );
      }
    }
    providers = splitByStrategy(strategy, count);
    launchType = 'FARGATE';
  } else {
    launchType = fixedInstances ? 'EC2' : ((input.launchType as 'EC2' | 'FARGATE' | 'EXTERNAL' | undefined) ?? 'EC2');
    if (!['EC2', 'FARGATE', 'EXTERNAL'].includes(launchType)) throw ecsErrors.invalidParameter(`Launch type ${launchType} is not supported.`);
    providers = Array.from({ length: count }, () => undefined);
  }
  const compat = td.doc['compatibilities'] as string[];
  if (!compat.includes(launchType)) throw ecsErrors.invalidParameter(`Task definition does not support launch_type ${launchType}.`);
  const mode = (td.doc['networkMode'] as string | undefined) ?? 'bridge';
  const awsvpc = input.networkConfiguration?.awsvpcConfiguration;
  if (mode === 'awsvpc' && !awsvpc) throw ecsErrors.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  if (mode !== 'awsvpc' && input.networkConfiguration) {
    throw ecsErrors.invalidParameter('Network Configuration is not valid for the given networkMode of this task definition.');
  }
  let net: { subnets: SubnetLike[]; securityGroups: string[] } | undefined;
  if (awsvpc) net = checkAwsvpcConfiguration(ctx, awsvpc, launchType);
  let platformVersion: string | undefined;
  if (launchType === 'FARGATE') platformVersion = resolvePlatformVersion(input.platformVersion);
  else if (input.platformVersion) throw ecsErrors.invalidParameter('The platform version must be null when specifying an EC2 launch type.');
  const strategies = input.placementStrategy ?? [];
  const placementProblem = checkPlacementInput(input.placementConstraints ?? [], strategies);
  if (placementProblem) throw ecsErrors.invalidParameter(placementProblem);
  if (launchType === 'FARGATE' && (input.placementConstraints?.length || strategies.length)) {
    throw ecsErrors.invalidParameter('Task placement constraints and strategies are not supported with the FARGATE launch type.');
  }

  const needs = taskNeeds(td, input.overrides);
  const tasks: Obj[] = [];
  let failures: Obj[] = [];
  const eniFor = (az?: string): { eni: EniAttachment; az: string } => {
    const subs = az ? net!.subnets.filter((sb) => sb.AvailabilityZone === az) : net!.subnets;
    const pool = subs.length ? subs : net!.subnets;
    const subnet = ctx.rng.pick(pool);
    return { eni: createTaskEni(ctx, subnet, net!.securityGroups, launchType === 'FARGATE' && awsvpc?.assignPublicIp === 'ENABLED'), az: subnet.AvailabilityZone };
  };

  if (launchType === 'FARGATE') {
    for (let i = 0; i < count; i++) {
      const { eni, az } = eniFor();
      const row = createTask(ctx, { cluster, td, input, launchType, capacityProviderName: providers[i] ?? undefined, eni, az, platformVersion, needs });
      tasks.push(taskOutput(ctx, row));
    }
    return { tasks, failures };
  }
  if (launchType === 'EXTERNAL') {
    throw ecsErrors.invalidParameter('No Container Instances were found in your cluster.');
  }
  let placed: { ci: ContainerInstanceRow; hostPorts: PortNeed[] }[];
  if (fixedInstances) {
    placed = [];
    for (const ref of fixedInstances) {
      const ci = containerInstancesOf(ctx, cluster.arn).find((c) => c.arn === ref || c.id === ref || c.arn.endsWith('/' + ref));
      if (!ci || ci.status === 'INACTIVE') {
        failures.push({ arn: ref, reason: 'MISSING' });
        continue;
      }
      const r = placeOnEc2(ctx, cluster, td, input, 1, [ci], [{ type: 'binpack', field: 'memory' }]);
      if (r.placed.length) placed.push(...r.placed);
      else failures.push(...r.failures);
    }
  } else {
    const instances = containerInstancesOf(ctx, cluster.arn).filter((c) => c.status === 'ACTIVE' || c.status === 'DRAINING');
    if (!instances.some((c) => c.status === 'ACTIVE')) throw ecsErrors.invalidParameter(NO_INSTANCES_MESSAGE);
    const r = placeOnEc2(ctx, cluster, td, input, count, instances, strategies);
    placed = r.placed;
    failures = r.failures;
  }
  for (const p of placed) {
    const e = mode === 'awsvpc' ? eniFor(p.ci.availabilityZone) : undefined;
    const row = createTask(ctx, {
      cluster,
      td,
      input,
      launchType: 'EC2',
      ci: p.ci,
      hostPorts: p.hostPorts,
      ...(e ? { eni: e.eni } : {}),
      az: p.ci.availabilityZone || availabilityZones(ctx.region)[0]!,
      needs,
    });
    tasks.push(taskOutput(ctx, row));
  }
  return { tasks, failures };
}

// ---------------------------------------------------------------- operations

const RunTaskInput = s.struct(
  {
    capacityProviderStrategy: CapacityProviderStrategy(),
    cluster: s.str({ doc: 'Cluster name or ARN (default: default).', complete: 'cluster' }),
    count: s.int({ doc: 'How many tasks to start (1-10).' }),
    enableECSManagedTags: s.bool({ doc: 'Tag the tasks with aws:ecs:clusterName.' }),
    enableExecuteCommand: s.bool(),
    group: s.str({ doc: 'Task group name (default family:FAMILY); spread and distinctInstance count tasks per group.' }),
    launchType: s.enum(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const, { doc: 'EC2 (your instances) or FARGATE (serverless).' }),
    networkConfiguration: NetworkConfiguration,
    overrides: TaskOverride,
    placementConstraints: s.list(PlacementConstraint, { doc: 'distinctInstance, or memberOf with a cluster query expression.' }),
    placementStrategy: s.list(PlacementStrategy, { doc: 'binpack, spread or random, applied in order.' }),
    platformVersion: s.str({ doc: 'Fargate platform version (LATEST = 1.4.0).' }),
    propagateTags: s.enum(['TASK_DEFINITION', 'SERVICE', 'NONE'] as const, { doc: 'Copy the task definition\'s tags to the tasks.' }),
    referenceId: s.str(),
    startedBy: s.str({ doc: 'A label you choose; list-tasks --started-by finds the tasks again.' }),
    tags: Tags(),
    taskDefinition: s.str({ doc: 'family, family:revision or ARN.', complete: 'task-definition' }),
    clientToken: s.str(),
  },
  ['taskDefinition'],
);

export const RunTask = op({
  name: 'RunTask',
  doc: 'Starts tasks from a task definition: on your EC2 container instances (placed by the constraints and strategies) or on Fargate (each task gets its own network interface).',
  input: RunTaskInput,
  errors: [
    'ClientException',
    'InvalidParameterException',
    'ClusterNotFoundException',
    'PlatformUnknownException',
    'PlatformTaskDefinitionIncompatibilityException',
    'AccessDeniedException',
    'BlockedException',
  ],
  example:
    'aws ecs run-task --cluster demo --launch-type FARGATE --task-definition web --network-configuration "awsvpcConfiguration={subnets=[subnet-0123],assignPublicIp=ENABLED}"',
  handler: (ctx, input) => runTasks(ctx, input as unknown as RunInput),
});

export const StartTask = op({
  name: 'StartTask',
  doc: 'Starts a task on each of the container instances you name (no placement strategy).',
  input: s.struct(
    {
      cluster: s.str({ complete: 'cluster' }),
      containerInstances: s.list(s.str({ complete: 'container-instance' }), { doc: 'Container instance ids or ARNs (up to 10).' }),
      enableECSManagedTags: s.bool(),
      enableExecuteCommand: s.bool(),
      group: s.str(),
      networkConfiguration: NetworkConfiguration,
      overrides: TaskOverride,
      propagateTags: s.enum(['TASK_DEFINITION', 'SERVICE', 'NONE'] as const),
      referenceId: s.str(),
      startedBy: s.str(),
      tags: Tags(),
      taskDefinition: s.str({ complete: 'task-definition' }),
    },
    ['containerInstances', 'taskDefinition'],
  ),
  errors: ['ClientException', 'InvalidParameterException', 'ClusterNotFoundException'],
  example: 'aws ecs start-task --cluster demo --task-definition web --container-instances 0123456789abcdef0123456789abcdef',
  handler: (ctx, input) => runTasks(ctx, input as unknown as RunInput, input.containerInstances),
});

export const StopTask = op({
  name: 'StopTask',
  doc: 'Stops a running task: its containers get SIGTERM, then the task goes through DEACTIVATING and STOPPING to STOPPED with stopCode UserInitiated.',
  input: s.struct(
    {
      cluster: s.str({ complete: 'cluster' }),
      task: s.str({ doc: 'Task id or ARN.', complete: 'task' }),
      reason: s.str({ doc: 'Shown as stoppedReason (up to 255 characters).' }),
    },
    ['task'],
  ),
  errors: ['ClientException', 'InvalidParameterException', 'ClusterNotFoundException'],
  example: 'aws ecs stop-task --cluster demo --task 0123456789abcdef0123456789abcdef --reason "done testing"',
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    const t = findTask(ctx, cluster, input.task);
    if (!t) throw ecsErrors.invalidParameter('The referenced task was not found.');
    if (input.reason && input.reason.length > 255) throw ecsErrors.invalidParameter('Reason must be at most 255 characters.');
    const next = beginStop(ctx, t.arn, 'UserInitiated', input.reason ?? 'Task stopped by user') ?? t;
    return { task: taskOutput(ctx, tasksTable(ctx).get(next.arn) ?? next) };
  },
});

export const DescribeTasks = op({
  name: 'DescribeTasks',
  doc: 'Describes tasks by id or ARN: state, containers, network interface, timestamps, stop code and reason. Unknown ones come back in failures (MISSING).',
  input: s.struct(
    {
      cluster: s.str({ complete: 'cluster' }),
      tasks: s.list(s.str({ complete: 'task' }), { doc: 'Up to 100 task ids or ARNs.' }),
      include: s.list(s.enum(['TAGS'] as const)),
    },
    ['tasks'],
  ),
  readOnly: true,
  errors: ['ClientException', 'InvalidParameterException', 'ClusterNotFoundException'],
  example: 'aws ecs describe-tasks --cluster demo --tasks 0123456789abcdef0123456789abcdef',
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    if (input.tasks.length === 0) throw ecsErrors.invalidParameter('Tasks cannot be empty.');
    if (input.tasks.length > 100) throw ecsErrors.invalidParameter('Tasks cannot have more than 100 elements');
    const tasks: Obj[] = [];
    const failures: Obj[] = [];
    const withTags = input.include?.includes('TAGS') ?? false;
    for (const ref of input.tasks) {
      const t = findTask(ctx, cluster, ref);
      if (t) tasks.push(taskOutput(ctx, t, withTags));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : taskArn(ctx, cluster.name, ref), reason: 'MISSING' });
    }
    return { tasks, failures };
  },
});

export const ListTasks = op({
  name: 'ListTasks',
  doc: 'Lists task ARNs of a cluster: desired status RUNNING by default; filter by family, container instance, started-by, service or launch type.',
  input: s.struct({
    cluster: s.str({ complete: 'cluster' }),
    containerInstance: s.str({ complete: 'container-instance' }),
    family: s.str({ complete: 'task-definition-family' }),
    nextToken: s.str(),
    maxResults: s.int({ doc: '1-100.' }),
    startedBy: s.str(),
    serviceName: s.str({ complete: 'service' }),
    desiredStatus: s.enum(['RUNNING', 'PENDING', 'STOPPED'] as const, { doc: 'RUNNING (default), PENDING or STOPPED.' }),
    launchType: s.enum(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const),
    daemonName: s.str(),
  }),
  readOnly: true,
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ['taskArns'] },
  example: 'aws ecs list-tasks --cluster demo --desired-status STOPPED',
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    if (input.serviceName !== undefined) {
      const name = input.serviceName.startsWith('arn:') ? input.serviceName.split('/').pop()! : input.serviceName;
      const svc = ctx.table<{ clusterArn: string; status: string }>('ecs.services').get(`${cluster.arn.replace(':cluster/', ':service/')}/${name}`);
      if (!svc || svc.status === 'INACTIVE') throw ecsErrors.serviceNotFound();
      input = { ...input, serviceName: name };
    }
    const desired = input.desiredStatus ?? 'RUNNING';
    const ci = input.containerInstance;
    const arns = tasksTable(ctx)
      .filter(
        (t) =>
          t.clusterArn === cluster.arn &&
          visible(ctx, t) &&
          t.desiredStatus === desired &&
          (!input.family || t.family === input.family) &&
          (!input.startedBy || t.startedBy === input.startedBy) &&
          (!input.serviceName || t.serviceName === input.serviceName || (t.group === `service:${input.serviceName}`)) &&
          (!input.launchType || t.launchType === input.launchType) &&
          (!ci || t.containerInstanceArn === ci || (t.containerInstanceArn ?? '').endsWith('/' + ci)),
      )
      .sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : 1))
      .map((t) => t.arn);
    const { page, nextToken } = paginate(arns, input.nextToken, input.maxResults);
    return nextToken ? { taskArns: page, nextToken } : { taskArns: page };
  },
});

export const taskOperations = [RunTask, StartTask, StopTask, DescribeTasks, ListTasks];
