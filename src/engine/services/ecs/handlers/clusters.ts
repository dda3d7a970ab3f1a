/** Clusters: create, list, describe (with counters computed from the model), update, delete, capacity providers. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { ecsErrors } from '../errors';
import {
  clustersTable,
  clusterArn,
  findCluster,
  resolveClusterArn,
  tasksOfCluster,
  containerInstancesOfCluster,
  activeServicesOfCluster,
  paginate,
  TABLES,
  type ClusterRow,
  type KeyValue,
  type CapacityProviderStrategyItem,
} from '../model';
import { Tags, CapacityProviderStrategy } from '../shapes';

type Obj = Record<string, unknown>;

const PENDING_STATES = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);
export const BUILTIN_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

const ClusterSettings = () =>
  s.list(
    s.struct({
      name: s.enum(['containerInsights'] as const, { doc: 'containerInsights' }),
      value: s.str({ doc: 'enabled, disabled or enhanced.' }),
    }),
    { doc: 'Cluster settings: containerInsights=enabled|disabled|enhanced.' },
  );

const ClusterConfiguration = () =>
  s.struct({
    executeCommandConfiguration: s.struct({
      kmsKeyId: s.str(),
      logging: s.enum(['NONE', 'DEFAULT', 'OVERRIDE'] as const),
      logConfiguration: s.struct({
        cloudWatchLogGroupName: s.str(),
        cloudWatchEncryptionEnabled: s.bool(),
        s3BucketName: s.str(),
        s3EncryptionEnabled: s.bool(),
        s3KeyPrefix: s.str(),
      }),
    }),
    managedStorageConfiguration: s.struct({ kmsKeyId: s.str(), fargateEphemeralStorageKmsKeyId: s.str() }),
  });

function checkSettings(settings: { name?: string; value?: string }[] | undefined): KeyValue[] | undefined {
  if (!settings) return undefined;
  return settings.map((st) => {
    if (st.name !== 'containerInsights') throw ecsErrors.invalidParameter(`Unsupported cluster setting name '${st.name ?? ''}'. Valid values: containerInsights.`);
    if (!['enabled', 'disabled', 'enhanced'].includes(st.value ?? '')) {
      throw ecsErrors.invalidParameter(`Invalid value '${st.value ?? ''}' for setting containerInsights. Valid values: enabled, disabled, enhanced.`);
    }
    return { name: st.name, value: st.value! };
  });
}

function checkProviders(providers: string[], strategy: CapacityProviderStrategyItem[]): void {
  for (const p of providers) {
    if (!BUILTIN_CAPACITY_PROVIDERS.includes(p)) {
      throw ecsErrors.invalidParameter(`The specified capacity provider '${p}' does not exist. Specify a valid capacity provider and try again.`);
    }
  }
  if (new Set(providers).size !== providers.length) throw ecsErrors.invalidParameter('The capacity providers list contains duplicates.');
  for (const item of strategy) {
    if (!providers.includes(item.capacityProvider)) {
      throw ecsErrors.invalidParameter(
        'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
      );
    }
  }
  if (strategy.filter((i) => (i.base ?? 0) > 0).length > 1) {
    throw ecsErrors.invalidParameter('The specified capacity provider strategy is invalid. Only one capacity provider in a strategy can have a base value greater than 0.');
  }
}

export interface ClusterCounters {
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
  runningEC2: number;
  runningFargate: number;
  pendingEC2: number;
  pendingFargate: number;
}

export function clusterCounters(ctx: Pick<Ctx, 'table'>, arn: string): ClusterCounters {
  const c: ClusterCounters = {
    registeredContainerInstancesCount: containerInstancesOfCluster(ctx, arn).filter((ci) => ci.status === 'ACTIVE' || ci.status === 'DRAINING').length,
    runningTasksCount: 0,
    pendingTasksCount: 0,
    activeServicesCount: activeServicesOfCluster(ctx, arn),
    runningEC2: 0,
    runningFargate: 0,
    pendingEC2: 0,
    pendingFargate: 0,
  };
  for (const t of tasksOfCluster(ctx, arn)) {
    const fargate = t.launchType === 'FARGATE';
    if (t.lastStatus === 'RUNNING') {
      c.runningTasksCount++;
      if (fargate) c.runningFargate++;
      else c.runningEC2++;
    } else if (PENDING_STATES.has(t.lastStatus)) {
      c.pendingTasksCount++;
      if (fargate) c.pendingFargate++;
      else c.pendingEC2++;
    }
  }
  return c;
}

/** The Cluster object as the API returns it. `include` lists the optional parts asked for. */
export function clusterOutput(ctx: Pick<Ctx, 'table'>, row: ClusterRow, include: readonly string[] | 'all'): Obj {
  const inc = (k: string) => include === 'all' || include.includes(k);
  const counters = clusterCounters(ctx, row.arn);
  const out: Obj = { clusterArn: row.arn, clusterName: row.name };
  if (row.configuration && (include === 'all' || inc('CONFIGURATIONS'))) out['configuration'] = row.configuration;
  out['status'] = row.status;
  out['registeredContainerInstancesCount'] = counters.registeredContainerInstancesCount;
  out['runningTasksCount'] = counters.runningTasksCount;
  out['pendingTasksCount'] = counters.pendingTasksCount;
  out['activeServicesCount'] = counters.activeServicesCount;
  out['statistics'] = inc('STATISTICS')
    ? [
        { name: 'runningEC2TasksCount', value: String(counters.runningEC2) },
        { name: 'runningFargateTasksCount', value: String(counters.runningFargate) },
        { name: 'pendingEC2TasksCount', value: String(counters.pendingEC2) },
        { name: 'pendingFargateTasksCount', value: String(counters.pendingFargate) },
        { name: 'activeEC2ServiceCount', value: String(serviceCount(ctx, row.arn, 'EC2')) },
        { name: 'activeFargateServiceCount', value: String(serviceCount(ctx, row.arn, 'FARGATE')) },
        { name: 'drainingEC2ServiceCount', value: '0' },
        { name: 'drainingFargateServiceCount', value: '0' },
      ]
    : [];
  out['tags'] = inc('TAGS') ? row.tags : [];
  if (inc('SETTINGS')) out['settings'] = row.settings;
  out['capacityProviders'] = row.capacityProviders;
  out['defaultCapacityProviderStrategy'] = row.defaultCapacityProviderStrategy;
  if (inc('ATTACHMENTS')) out['attachments'] = [];
  if (row.serviceConnectDefaults) out['serviceConnectDefaults'] = row.serviceConnectDefaults;
  return out;
}

function serviceCount(ctx: Pick<Ctx, 'table'>, arn: string, launchType: string): number {
  return ctx
    .table<{ clusterArn: string; status: string; launchType?: string }>(TABLES.services)
    .filter((sv) => sv.clusterArn === arn && sv.status === 'ACTIVE' && (sv.launchType ?? 'EC2') === launchType).length;
}

const NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;

export const CreateCluster = op({
  name: 'CreateCluster',
  doc: 'Creates a cluster (named "default" when no name is given). Calling it again with the name of an existing cluster returns that cluster.',
  input: s.struct({
    clusterName: s.str({ doc: 'Up to 255 letters, numbers, hyphens and underscores.' }),
    tags: Tags(),
    settings: ClusterSettings(),
    configuration: ClusterConfiguration(),
    capacityProviders: s.list(s.str(), { doc: 'FARGATE and/or FARGATE_SPOT.' }),
    defaultCapacityProviderStrategy: CapacityProviderStrategy(),
    serviceConnectDefaults: s.struct({ namespace: s.str() }, ['namespace']),
  }),
  errors: ['ClientException', 'InvalidParameterException', 'ServerException'],
  example: 'aws ecs create-cluster --cluster-name demo --capacity-providers FARGATE FARGATE_SPOT',
  handler: (ctx, input) => {
    const name = input.clusterName ?? 'default';
    if (!NAME_RE.test(name)) {
      throw ecsErrors.invalidParameter('Cluster names can only contain alphanumeric characters, hyphens and underscores, up to 255 characters.');
    }
    const settings = checkSettings(input.settings) ?? [{ name: 'containerInsights', value: 'disabled' }];
    const providers = input.capacityProviders ?? [];
    const strategy = (input.defaultCapacityProviderStrategy ?? []) as CapacityProviderStrategyItem[];
    checkProviders(providers, strategy);
    const arn = clusterArn(ctx, name);
    const table = clustersTable(ctx);
    const existing = table.get(arn);
    if (existing && existing.status === 'ACTIVE') return { cluster: clusterOutput(ctx, existing, ['SETTINGS', 'TAGS']) };
    const active = table.filter((c) => c.region === ctx.region && c.status === 'ACTIVE').length;
    const limit = ctx.config().quotas['ecs-clusters'] ?? 10000;
    if (active >= limit) throw ecsErrors.limitExceeded(`The maximum number of clusters (${limit}) has been reached.`);
    const row: ClusterRow = {
      arn,
      name,
      region: ctx.region,
      status: 'ACTIVE',
      settings,
      ...(input.configuration ? { configuration: input.configuration as Obj } : {}),
      capacityProviders: providers,
      defaultCapacityProviderStrategy: strategy.map((i) => ({ capacityProvider: i.capacityProvider, weight: i.weight ?? 0, base: i.base ?? 0 })),
      ...(input.serviceConnectDefaults ? { serviceConnectDefaults: { namespace: input.serviceConnectDefaults.namespace } } : {}),
      tags: (input.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? '' })),
      createdAt: ctx.now(),
    };
    table.set(arn, row);
    return { cluster: clusterOutput(ctx, row, ['SETTINGS', 'TAGS', 'CONFIGURATIONS']) };
  },
});

export const ListClusters = op({
  name: 'ListClusters',
  doc: 'Lists the ARNs of the clusters in the region.',
  input: s.struct({ nextToken: s.str(), maxResults: s.int({ doc: '1-100.' }) }),
  readOnly: true,
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ['clusterArns'] },
  example: 'aws ecs list-clusters',
  handler: (ctx, input) => {
    const arns = clustersTable(ctx)
      .filter((c) => c.region === ctx.region && c.status !== 'INACTIVE')
      .map((c) => c.arn)
      .sort();
    const { page, nextToken } = paginate(arns, input.nextToken, input.maxResults);
    return nextToken ? { clusterArns: page, nextToken } : { clusterArns: page };
  },
});

export const DescribeClusters = op({
  name: 'DescribeClusters',
  doc: 'Describes clusters by name or ARN (default: the "default" cluster). Clusters that do not exist come back in failures with reason MISSING.',
  input: s.struct({
    clusters: s.list(s.str({ complete: 'cluster' }), { doc: 'Up to 100 cluster names or ARNs.' }),
    include: s.list(s.enum(['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'] as const), {
      doc: 'Extra parts: SETTINGS, STATISTICS, TAGS, CONFIGURATIONS, ATTACHMENTS.',
    }),
  }),
  readOnly: true,
  example: 'aws ecs describe-clusters --clusters demo --include SETTINGS STATISTICS TAGS',
  handler: (ctx, input) => {
    const refs = input.clusters && input.clusters.length ? input.clusters : ['default'];
    if (refs.length > 100) throw ecsErrors.invalidParameter('Clusters cannot have more than 100 elements');
    const include = input.include ?? [];
    const clusters: Obj[] = [];
    const failures: Obj[] = [];
    for (const ref of refs) {
      const arn = resolveClusterArn(ctx, ref);
      const row = clustersTable(ctx).get(arn);
      if (!row || row.region !== ctx.region) failures.push({ arn, reason: 'MISSING' });
      else clusters.push(clusterOutput(ctx, row, include));
    }
    return { clusters, failures };
  },
});

export const UpdateCluster = op({
  name: 'UpdateCluster',
  doc: 'Changes a cluster\'s settings, execute-command configuration or Service Connect defaults.',
  input: s.struct(
    {
      cluster: s.str({ complete: 'cluster' }),
      settings: ClusterSettings(),
      configuration: ClusterConfiguration(),
      serviceConnectDefaults: s.struct({ namespace: s.str() }, ['namespace']),
    },
    ['cluster'],
  ),
  errors: ['ClusterNotFoundException', 'InvalidParameterException'],
  example: 'aws ecs update-cluster --cluster demo --settings name=containerInsights,value=enabled',
  handler: (ctx, input) => {
    const row = findCluster(ctx, input.cluster);
    const settings = checkSettings(input.settings);
    const next: ClusterRow = {
      ...row,
      ...(settings ? { settings: mergeSettings(row.settings, settings) } : {}),
      ...(input.configuration ? { configuration: input.configuration as Obj } : {}),
      ...(input.serviceConnectDefaults ? { serviceConnectDefaults: { namespace: input.serviceConnectDefaults.namespace } } : {}),
    };
    clustersTable(ctx).set(row.arn, next);
    return { cluster: clusterOutput(ctx, next, ['SETTINGS', 'CONFIGURATIONS']) };
  },
});

function mergeSettings(old: readonly KeyValue[], added: KeyValue[]): KeyValue[] {
  const m = new Map(old.map((k) => [k.name, k]));
  for (const k of added) m.set(k.name, k);
  return [...m.values()];
}

export const UpdateClusterSettings = op({
  name: 'UpdateClusterSettings',
  doc: 'Changes a cluster setting such as containerInsights.',
  input: s.struct({ cluster: s.str({ complete: 'cluster' }), settings: ClusterSettings() }, ['cluster', 'settings']),
  errors: ['ClusterNotFoundException', 'InvalidParameterException'],
  example: 'aws ecs update-cluster-settings --cluster demo --settings name=containerInsights,value=enabled',
  handler: (ctx, input) => {
    const row = findCluster(ctx, input.cluster);
    const settings = checkSettings(input.settings) ?? [];
    const next = clustersTable(ctx).set(row.arn, { ...row, settings: mergeSettings(row.settings, settings) });
    return { cluster: clusterOutput(ctx, next, ['SETTINGS']) };
  },
});

export const PutClusterCapacityProviders = op({
  name: 'PutClusterCapacityProviders',
  doc: 'Sets the capacity providers of a cluster (FARGATE, FARGATE_SPOT) and its default strategy; the lists replace the old ones.',
  input: s.struct(
    {
      cluster: s.str({ complete: 'cluster' }),
      capacityProviders: s.list(s.str(), { doc: 'The providers to associate (an empty list removes them all).' }),
      defaultCapacityProviderStrategy: CapacityProviderStrategy(),
    },
    ['cluster', 'capacityProviders', 'defaultCapacityProviderStrategy'],
  ),
  errors: ['ClusterNotFoundException', 'InvalidParameterException', 'ResourceInUseException'],
  example: 'aws ecs put-cluster-capacity-providers --cluster demo --capacity-providers FARGATE FARGATE_SPOT --default-capacity-provider-strategy capacityProvider=FARGATE,weight=1',
  handler: (ctx, input) => {
    const row = findCluster(ctx, input.cluster);
    const strategy = input.defaultCapacityProviderStrategy as CapacityProviderStrategyItem[];
    checkProviders(input.capacityProviders, strategy);
    for (const removed of row.capacityProviders.filter((p) => !input.capacityProviders.includes(p))) {
      const inUse = tasksOfCluster(ctx, row.arn).some((t) => t.capacityProviderName === removed && t.lastStatus !== 'STOPPED');
      if (inUse) throw ecsErrors.resourceInUse(`The specified capacity provider ${removed} is in use and cannot be removed.`);
    }
    const next = clustersTable(ctx).set(row.arn, {
      ...row,
      capacityProviders: input.capacityProviders,
      defaultCapacityProviderStrategy: strategy.map((i) => ({ capacityProvider: i.capacityProvider, weight: i.weight ?? 0, base: i.base ?? 0 })),
    });
    return { cluster: clusterOutput(ctx, next, ['SETTINGS']) };
  },
});

export const DeleteCluster = op({
  name: 'DeleteCluster',
  doc: 'Deletes an empty cluster: deregister its container instances, delete its services and stop its tasks first. The cluster then shows INACTIVE.',
  input: s.struct({ cluster: s.str({ complete: 'cluster' }) }, ['cluster']),
  errors: [
    'ClusterNotFoundException',
    'ClusterContainsContainerInstancesException',
    'ClusterContainsServicesException',
    'ClusterContainsTasksException',
    'UpdateInProgressException',
  ],
  example: 'aws ecs delete-cluster --cluster demo',
  handler: (ctx, input) => {
    const row = findCluster(ctx, input.cluster);
    const counters = clusterCounters(ctx, row.arn);
    if (counters.registeredContainerInstancesCount > 0) throw ecsErrors.clusterContainsContainerInstances();
    if (counters.activeServicesCount > 0) throw ecsErrors.clusterContainsServices();
    if (tasksOfCluster(ctx, row.arn).some((t) => t.lastStatus !== 'STOPPED' && t.lastStatus !== 'DELETED')) throw ecsErrors.clusterContainsTasks();
    const next = clustersTable(ctx).set(row.arn, { ...row, status: 'INACTIVE' });
    return { cluster: clusterOutput(ctx, next, ['SETTINGS']) };
  },
});

export const clusterOperations = [
  CreateCluster,
  ListClusters,
  DescribeClusters,
  UpdateCluster,
  UpdateClusterSettings,
  PutClusterCapacityProviders,
  DeleteCluster,
];
