/**
 * The 'ecs-cluster' view: the picture of a cluster for the app's cluster
 * panel. Instances with their registered and used CPU/memory and the tasks on
 * them, Fargate tasks apart. Read-only.
 */
import { registerView } from '../../views';
import { ADMIN_IDENTITY } from '../../identity';
import { DEFAULT_REGION } from '../../regions';
import { clustersTable, tasksTable, resolveClusterArn, shortId, reservedOnInstance, TABLES, type TaskRow } from './model';
import { clusterCounters } from './handlers/clusters';
import { hostVolumeNotes } from './lifecycle';

export interface ClusterViewTask {
  arn: string;
  id: string;
  family: string;
  revision: number;
  lastStatus: string;
  desiredStatus: string;
  launchType: string;
  capacityProviderName?: string;
  cpu: number;
  memory: number;
  group: string;
  availabilityZone: string;
  privateIp?: string;
  publicIp?: string;
  stopCode?: string;
  hostPorts: number[];
}

export interface ClusterViewInstance {
  arn: string;
  id: string;
  ec2InstanceId: string;
  instanceType: string;
  availabilityZone: string;
  status: string;
  agentConnected: boolean;
  cpu: { registered: number; used: number };
  memory: { registered: number; used: number };
  tasks: ClusterViewTask[];
  /** Host paths that bind mounts of stopped tasks left data in. */
  hostVolumes: string[];
}

export interface ClusterViewData {
  region: string;
  clusters: string[];
  cluster?: { name: string; arn: string; status: string; runningTasksCount: number; pendingTasksCount: number; registeredContainerInstancesCount: number; activeServicesCount: number };
  instances: ClusterViewInstance[];
  fargate: ClusterViewTask[];
  /** Recently stopped tasks (last hour), newest first. */
  stopped: ClusterViewTask[];
  now: number;
}

interface CiLike {
  arn: string;
  id?: string;
  clusterArn: string;
  status: string;
  agentConnected: boolean;
  ec2InstanceId: string;
  instanceType?: string;
  availabilityZone?: string;
  registeredResources: { name: string; integerValue?: number }[];
}

function viewTask(t: TaskRow): ClusterViewTask {
  return {
    arn: t.arn,
    id: t.id,
    family: t.family,
    revision: t.revision,
    lastStatus: t.lastStatus,
    desiredStatus: t.desiredStatus,
    launchType: t.launchType,
    ...(t.capacityProviderName ? { capacityProviderName: t.capacityProviderName } : {}),
    cpu: t.launchType === 'FARGATE' ? parseInt(t.cpu ?? '0', 10) : t.reserved.cpu,
    memory: t.launchType === 'FARGATE' ? parseInt(t.memory ?? '0', 10) : t.reserved.memory,
    group: t.group,
    availabilityZone: t.availabilityZone,
    ...(t.eni ? { privateIp: t.eni.privateIPv4Address } : {}),
    ...(t.eni?.publicIPv4Address && t.lastStatus !== 'STOPPED' ? { publicIp: t.eni.publicIPv4Address } : {}),
    ...(t.stopCode ? { stopCode: t.stopCode } : {}),
    hostPorts: t.reserved.ports,
  };
}

export function clusterView(sandbox: { context: (r: string, i: typeof ADMIN_IDENTITY) => import('../../context').Ctx; now(): number }, args: Record<string, unknown>): ClusterViewData {
  const region = typeof args['region'] === 'string' ? args['region'] : DEFAULT_REGION;
  const ctx = sandbox.context(region, ADMIN_IDENTITY);
  const clusters = clustersTable(ctx)
    .filter((c) => c.region === region && c.status === 'ACTIVE')
    .map((c) => c.name)
    .sort();
  const wanted = typeof args['cluster'] === 'string' && args['cluster'] ? args['cluster'] : clusters.includes('default') ? 'default' : clusters[0];
  const now = sandbox.now();
  const data: ClusterViewData = { region, clusters, instances: [], fargate: [], stopped: [], now };
  if (!wanted) return data;
  const arn = resolveClusterArn(ctx, wanted);
  const row = clustersTable(ctx).get(arn);
  if (!row) return data;
  const counters = clusterCounters(ctx, arn);
  data.cluster = {
    name: row.name,
    arn,
    status: row.status,
    runningTasksCount: counters.runningTasksCount,
    pendingTasksCount: counters.pendingTasksCount,
    registeredContainerInstancesCount: counters.registeredContainerInstancesCount,
    activeServicesCount: counters.activeServicesCount,
  };
  const tasks = tasksTable(ctx).filter((t) => t.clusterArn === arn);
  const byInstance = new Map<string, ClusterViewTask[]>();
  for (const t of tasks) {
    if (t.lastStatus === 'STOPPED') {
      if ((t.stoppedAt ?? 0) + 3_600_000 > now) data.stopped.push(viewTask(t));
      continue;
    }
    if (t.containerInstanceArn) {
      const list = byInstance.get(t.containerInstanceArn) ?? [];
      list.push(viewTask(t));
      byInstance.set(t.containerInstanceArn, list);
    } else data.fargate.push(viewTask(t));
  }
  data.stopped.sort((a, b) => (a.arn < b.arn ? 1 : -1));
  for (const ci of ctx.table<CiLike>(TABLES.containerInstances).filter((c) => c.clusterArn === arn && c.status !== 'INACTIVE')) {
    const reg = (n: string) => ci.registeredResources.find((r) => r.name === n)?.integerValue ?? 0;
    const used = reservedOnInstance(ctx, ci.arn);
    data.instances.push({
      arn: ci.arn,
      id: ci.id ?? shortId(ci.arn),
      ec2InstanceId: ci.ec2InstanceId,
      instanceType: ci.instanceType ?? '',
      availabilityZone: ci.availabilityZone ?? '',
      status: ci.status,
      agentConnected: ci.agentConnected,
      cpu: { registered: reg('CPU'), used: used.cpu },
      memory: { registered: reg('MEMORY'), used: used.memory },
      tasks: byInstance.get(ci.arn) ?? [],
      hostVolumes: hostVolumeNotes(ctx, ci.arn).map((n) => n.sourcePath).sort(),
    });
  }
  return data;
}

registerView('ecs-cluster', (sandbox, args) => clusterView(sandbox, args));
