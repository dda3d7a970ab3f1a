/**
 * ECS state: clusters, task definitions and tasks, with their table names,
 * lookups and ARN helpers. Rows are plain JSON and keyed by ARN, so every
 * resource is regional by construction (a us-east-1 ARN is never found from
 * eu-west-1).
 *
 * Contract for the capacity side (container instances, agent):
 * - container instance rows live in `ecs.containerInstances` (see
 *   container-instances.ts); this file only reads the members listed in
 *   `ContainerInstanceLike`.
 * - what tasks reserve on an instance is computed from the tasks table with
 *   `reservedOnInstance(ctx, arn)` / `tasksOnInstance(ctx, arn)`; nothing is
 *   written into container instance rows when a task is placed.
 */
import type { Ctx } from '../../context';
import { arn as buildArn, parseArn } from '../../regions';
import { ecsErrors } from './errors';

export const TABLES = {
  clusters: 'ecs.clusters',
  taskDefinitions: 'ecs.taskDefinitions',
  tasks: 'ecs.tasks',
  containerInstances: 'ecs.containerInstances',
  services: 'ecs.services',
  instanceLoad: 'ecs.instanceLoad',
} as const;

export interface Tag {
  key: string;
  value?: string;
}
export interface KeyValue {
  name: string;
  value: string;
}

export type ClusterStatus = 'ACTIVE' | 'PROVISIONING' | 'DEPROVISIONING' | 'FAILED' | 'INACTIVE';

export interface CapacityProviderStrategyItem {
  capacityProvider: string;
  weight?: number;
  base?: number;
}

export interface ClusterRow {
  arn: string;
  name: string;
  region: string;
  status: ClusterStatus;
  /** containerInsights: enabled | disabled | enhanced */
  settings: KeyValue[];
  /** executeCommandConfiguration / managedStorageConfiguration as given. */
  configuration?: Record<string, unknown>;
  capacityProviders: string[];
  defaultCapacityProviderStrategy: CapacityProviderStrategyItem[];
  serviceConnectDefaults?: { namespace: string };
  tags: Tag[];
  createdAt: number;
}

export type TaskDefinitionStatus = 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';

/** A registered revision: the normalised document as DescribeTaskDefinition returns it, plus bookkeeping. */
export interface TaskDefinitionRow {
  arn: string;
  region: string;
  family: string;
  revision: number;
  status: TaskDefinitionStatus;
  /** The taskDefinition output object (members as in the API), without tags. */
  doc: Record<string, unknown>;
  tags: Tag[];
  registeredAt: number;
  registeredBy: string;
  deregisteredAt?: number;
}

export type TaskStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED'
  | 'DELETED';

export type StopCode =
  | 'TaskFailedToStart'
  | 'EssentialContainerExited'
  | 'UserInitiated'
  | 'ServiceSchedulerInitiated'
  | 'SpotInterruption'
  | 'TerminationNotice';

export interface NetworkBindingRow {
  bindIP: string;
  containerPort: number;
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

export interface ContainerStateRow {
  /** The uuid at the end of the container ARN. */
  id: string;
  name: string;
  image: string;
  imageDigest?: string;
  runtimeId?: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  essential: boolean;
  cpu: string;
  memory?: string;
  memoryReservation?: string;
  networkBindings: NetworkBindingRow[];
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  /** Simulated ms after RUNNING at which the container exits by itself (from the image behaviour). */
  exitAfterMs?: number;
  exitCodeOnExit?: number;
  /** What the process says when it exits by itself (postgres without a password ...). */
  exitReason?: string;
}

export interface EniAttachment {
  id: string;
  networkInterfaceId: string;
  subnetId: string;
  privateIPv4Address: string;
  privateDnsName: string;
  macAddress: string;
  publicIPv4Address?: string;
  securityGroups: string[];
  status: 'PRECREATED' | 'ATTACHED' | 'DELETED';
}

export interface TaskRow {
  arn: string;
  id: string;
  region: string;
  clusterArn: string;
  taskDefinitionArn: string;
  family: string;
  revision: number;
  containerInstanceArn?: string;
  /** EC2 instance id of the container instance (EC2 launch type). */
  ec2InstanceId?: string;
  launchType: 'EC2' | 'FARGATE' | 'EXTERNAL';
  capacityProviderName?: string;
  networkMode: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED' | 'PENDING';
  /** Task-level size as DescribeTasks prints it (strings). */
  cpu?: string;
  memory?: string;
  /** What the task holds on its container instance while not STOPPED (CPU units, MiB, host ports). */
  reserved: { cpu: number; memory: number; ports: number[]; udpPorts: number[] };
  containers: ContainerStateRow[];
  eni?: EniAttachment;
  availabilityZone: string;
  group: string;
  startedBy?: string;
  serviceName?: string;
  platformVersion?: string;
  platformFamily?: string;
  overrides: Record<string, unknown>;
  tags: Tag[];
  ephemeralStorageGiB?: number;
  enableExecuteCommand: boolean;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  connectivity?: 'CONNECTED' | 'DISCONNECTED';
  connectivityAt?: number;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  executionStoppedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
  version: number;
  /** Whether the task's scratch storage still exists (Fargate: gone once stopped). */
  storageRetained: boolean;
  /** Bumped at every lifecycle step; timers carrying an older token are stale. */
  lifecycleToken: number;
}

/** What this side reads of a container instance row (the capacity engineer's table). */
export interface ContainerInstanceLike {
  arn?: string;
  containerInstanceArn?: string;
  clusterArn: string;
  status: string;
  agentConnected: boolean;
  ec2InstanceId: string;
  registeredResources: { name: string; type?: string; integerValue?: number; stringSetValue?: string[] }[];
  attributes?: { name: string; value?: string }[];
}

// ---------- ARNs ----------

export function clusterArn(ctx: Pick<Ctx, 'region' | 'accountId'>, name: string): string {
  return buildArn('ecs', ctx.region, ctx.accountId, `cluster/${name}`);
}
export function taskArn(ctx: Pick<Ctx, 'region' | 'accountId'>, clusterName: string, id: string): string {
  return buildArn('ecs', ctx.region, ctx.accountId, `task/${clusterName}/${id}`);
}
export function taskDefinitionArn(ctx: Pick<Ctx, 'region' | 'accountId'>, family: string, revision: number): string {
  return buildArn('ecs', ctx.region, ctx.accountId, `task-definition/${family}:${revision}`);
}
export function containerInstanceArn(ctx: Pick<Ctx, 'region' | 'accountId'>, clusterName: string, id: string): string {
  return buildArn('ecs', ctx.region, ctx.accountId, `container-instance/${clusterName}/${id}`);
}
export function serviceArn(ctx: Pick<Ctx, 'region' | 'accountId'>, clusterName: string, name: string): string {
  return buildArn('ecs', ctx.region, ctx.accountId, `service/${clusterName}/${name}`);
}

export interface EcsArn {
  region: string;
  account: string;
  /** cluster, task, task-definition, container-instance, service ... */
  kind: string;
  /** The part after kind/: e.g. CLUSTER/ID for tasks. */
  rest: string;
}

export function parseEcsArn(text: string): EcsArn | null {
  const p = parseArn(text);
  if (!p || p.service !== 'ecs') return null;
  const slash = p.resource.indexOf('/');
  if (slash < 0) return null;
  return { region: p.region, account: p.account, kind: p.resource.slice(0, slash), rest: p.resource.slice(slash + 1) };
}

/** The last segment of an ARN's resource (task id, container instance id), or the text itself. */
export function shortId(arnOrId: string): string {
  const i = arnOrId.lastIndexOf('/');
  return i >= 0 ? arnOrId.slice(i + 1) : arnOrId;
}

// ---------- tables ----------

export const clustersTable = (ctx: Pick<Ctx, 'table'>) => ctx.table<ClusterRow>(TABLES.clusters);
export const taskDefinitionsTable = (ctx: Pick<Ctx, 'table'>) => ctx.table<TaskDefinitionRow>(TABLES.taskDefinitions);
export const tasksTable = (ctx: Pick<Ctx, 'table'>) => ctx.table<TaskRow>(TABLES.tasks);

/** Resolve a cluster name or ARN to the ARN in this region (default: 'default'). */
export function resolveClusterArn(ctx: Pick<Ctx, 'region' | 'accountId'>, nameOrArn?: string): string {
  const ref = nameOrArn && nameOrArn.length ? nameOrArn : 'default';
  if (ref.startsWith('arn:')) return ref;
  return clusterArn(ctx, ref);
}

/**
 * Find an ACTIVE cluster by name or ARN (default cluster 'default'). Throws
 * ClusterNotFoundException 'Cluster not found.' otherwise. Pass
 * `{includeInactive: true}` to also get INACTIVE (deleted) clusters.
 */
export function findCluster(ctx: Ctx, nameOrArn?: string, opts: { includeInactive?: boolean } = {}): ClusterRow {
  const row = clustersTable(ctx).get(resolveClusterArn(ctx, nameOrArn));
  if (!row || (!opts.includeInactive && row.status === 'INACTIVE')) throw ecsErrors.clusterNotFound();
  return row;
}

export function tryFindCluster(ctx: Ctx, nameOrArn?: string): ClusterRow | undefined {
  const row = clustersTable(ctx).get(resolveClusterArn(ctx, nameOrArn));
  return row && row.status !== 'INACTIVE' ? row : undefined;
}

/** Tasks that still hold resources (every state before STOPPED). */
export function isTaskLive(t: TaskRow): boolean {
  return t.lastStatus !== 'STOPPED' && t.lastStatus !== 'DELETED';
}

export function tasksOfCluster(ctx: Pick<Ctx, 'table'>, clusterArnValue: string): TaskRow[] {
  return tasksTable(ctx).filter((t) => t.clusterArn === clusterArnValue);
}

/**
 * Index of what live tasks hold on each container instance (table
 * ecs.instanceLoad, keyed by container instance ARN), kept by the task
 * lifecycle: `holdOnInstance` when a task is placed, `releaseFromInstance`
 * when it reaches STOPPED. Placement and the counters read it instead of
 * scanning every task.
 */
export interface InstanceLoadRow {
  cpu: number;
  memory: number;
  ports: number[];
  udpPorts: number[];
  /** Task group -> live tasks of that group on the instance. */
  groups: Record<string, number>;
  /** Live task ARNs on the instance. */
  arns: string[];
}

export const instanceLoadTable = (ctx: Pick<Ctx, 'table'>) => ctx.table<InstanceLoadRow>(TABLES.instanceLoad);

export function holdOnInstance(ctx: Pick<Ctx, 'table'>, t: TaskRow): void {
  if (!t.containerInstanceArn) return;
  const table = instanceLoadTable(ctx);
  const l = table.get(t.containerInstanceArn) ?? { cpu: 0, memory: 0, ports: [], udpPorts: [], groups: {}, arns: [] };
  table.set(t.containerInstanceArn, {
    cpu: l.cpu + t.reserved.cpu,
    memory: l.memory + t.reserved.memory,
    ports: [...l.ports, ...t.reserved.ports],
    udpPorts: [...l.udpPorts, ...t.reserved.udpPorts],
    groups: { ...l.groups, [t.group]: (l.groups[t.group] ?? 0) + 1 },
    arns: [...l.arns, t.arn],
  });
}

export function releaseFromInstance(ctx: Pick<Ctx, 'table'>, t: TaskRow): void {
  if (!t.containerInstanceArn) return;
  const table = instanceLoadTable(ctx);
  const l = table.get(t.containerInstanceArn);
  if (!l || !l.arns.includes(t.arn)) return;
  const without = (list: readonly number[], remove: readonly number[]) => {
    const out = [...list];
    for (const p of remove) {
      const i = out.indexOf(p);
      if (i >= 0) out.splice(i, 1);
    }
    return out;
  };
  const arns = l.arns.filter((a) => a !== t.arn);
  if (arns.length === 0) {
    table.delete(t.containerInstanceArn);
    return;
  }
  const groups = { ...l.groups };
  if ((groups[t.group] ?? 0) <= 1) delete groups[t.group];
  else groups[t.group] = groups[t.group]! - 1;
  table.set(t.containerInstanceArn, {
    cpu: l.cpu - t.reserved.cpu,
    memory: l.memory - t.reserved.memory,
    ports: without(l.ports, t.reserved.ports),
    udpPorts: without(l.udpPorts, t.reserved.udpPorts),
    groups,
    arns,
  });
}

export function tasksOnInstance(ctx: Pick<Ctx, 'table'>, containerInstanceArnValue: string): TaskRow[] {
  const l = instanceLoadTable(ctx).get(containerInstanceArnValue);
  if (!l) return [];
  const tasks = tasksTable(ctx);
  const out: TaskRow[] = [];
  for (const a of l.arns) {
    const t = tasks.get(a);
    if (t && isTaskLive(t)) out.push(t);
  }
  return out;
}

/** CPU units, MiB and host ports that live tasks hold on a container instance. */
export function reservedOnInstance(
  ctx: Pick<Ctx, 'table'>,
  containerInstanceArnValue: string,
): { cpu: number; memory: number; ports: number[]; udpPorts: number[]; runningTasksCount: number; pendingTasksCount: number } {
  const l = instanceLoadTable(ctx).get(containerInstanceArnValue);
  let running = 0;
  let pending = 0;
  for (const t of tasksOnInstance(ctx, containerInstanceArnValue)) {
    if (t.lastStatus === 'RUNNING') running++;
    else pending++;
  }
  return { cpu: l?.cpu ?? 0, memory: l?.memory ?? 0, ports: [...(l?.ports ?? [])], udpPorts: [...(l?.udpPorts ?? [])], runningTasksCount: running, pendingTasksCount: pending };
}

export function containerInstancesOfCluster(ctx: Pick<Ctx, 'table'>, clusterArnValue: string): ContainerInstanceLike[] {
  return ctx
    .table<ContainerInstanceLike>(TABLES.containerInstances)
    .filter((ci) => ci.clusterArn === clusterArnValue && ci.status !== 'INACTIVE' && ci.status !== 'DEREGISTERED');
}

export function activeServicesOfCluster(ctx: Pick<Ctx, 'table'>, clusterArnValue: string): number {
  return ctx
    .table<{ clusterArn: string; status: string }>(TABLES.services)
    .filter((s) => s.clusterArn === clusterArnValue && (s.status === 'ACTIVE' || s.status === 'DRAINING')).length;
}

/** Tags in ECS's lower-case key/value form, merged (later keys win). */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const m = new Map<string, Tag>();
  for (const t of existing) m.set(t.key, t);
  for (const t of added) m.set(t.key, { key: t.key, value: t.value ?? '' });
  return [...m.values()];
}

// ---------- paging ----------

/** Page a list the way ECS List* calls do: opaque nextToken, maxResults 1..max. */
export function paginate<T>(items: readonly T[], nextToken: string | undefined, maxResults: number | undefined, max = 100): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken) {
    const m = /^nimbus-ecs-([0-9a-f]+)$/.exec(nextToken);
    if (!m) throw ecsErrors.invalidParameter('Invalid nextToken.');
    start = parseInt(m[1]!, 16);
  }
  if (maxResults !== undefined && (maxResults < 1 || maxResults > max)) {
    throw ecsErrors.invalidParameter(`maxResults must be between 1 and ${max}.`);
  }
  const size = maxResults ?? max;
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? `nimbus-ecs-${(start + size).toString(16)}` : undefined;
  return next ? { page, nextToken: next } : { page };
}
