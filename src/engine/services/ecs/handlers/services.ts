/**
 * ECS services (REPLICA scheduling): the service scheduler keeps desiredCount
 * tasks of the service's task definition running, replaces tasks that stop,
 * rolls to a new deployment on update-service --task-definition or
 * --force-new-deployment, and drains the tasks when the service is deleted.
 *
 * The scheduler acts on timers (kind `ecs.service`): a couple of simulated
 * seconds after a create/update/delete, and whenever one of the service's tasks
 * reaches RUNNING or STOPPED. Its tasks carry startedBy = the deployment id
 * (ecs-svc/NNNNNNNNNNNNNNNNNNN) and group service:NAME, as in ECS.
 * Not simulated: load balancers, service discovery/Service Connect, DAEMON
 * scheduling, deployment circuit breaker and alarms, task sets.
 */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import type { Sandbox } from '../../../sandbox';
import { ADMIN_IDENTITY } from '../../../identity';
import { isoTime } from '../../../clock';
import { AwsError } from '../../../errors';
import { ecsErrors } from '../errors';
import { TABLES, findCluster, tasksTable, isTaskLive, type ClusterRow, type TaskRow, type Tag } from '../model';
import { findTaskDefinition } from './task-definitions';
import { runTasks } from './tasks';
import { Tags, NetworkConfiguration, PlacementConstraint, PlacementStrategy, CapacityProviderStrategy } from '../shapes';
import { checkAwsvpcConfiguration, resolvePlatformVersion, type AwsvpcConfigInput } from '../fargate';
import { checkPlacementInput, type PlacementConstraintInput, type PlacementStrategyInput } from '../placement';
import { beginStop, onTaskStatusChange } from '../lifecycle';

type Obj = Record<string, unknown>;

export const SERVICE_TIMER = 'ecs.service';
/** How long after a change the scheduler acts. */
const SCHEDULER_DELAY_MS = 2_000;
/** How long a deleted (INACTIVE) service stays visible to DescribeServices. */
const INACTIVE_RETENTION_MS = 60 * 60 * 1000;

interface DeploymentRow {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  createdAt: number;
  updatedAt: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
}

interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface ServiceRow {
  arn: string;
  name: string;
  region: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinition: string;
  launchType?: string;
  capacityProviderStrategy?: Obj[];
  platformVersion?: string;
  networkConfiguration?: { awsvpcConfiguration?: AwsvpcConfigInput };
  placementConstraints: PlacementConstraintInput[];
  placementStrategy: PlacementStrategyInput[];
  deploymentConfiguration: Obj;
  deployments: DeploymentRow[];
  events: ServiceEvent[];
  createdAt: number;
  createdBy: string;
  tags: Tag[];
  enableECSManagedTags: boolean;
  propagateTags: string;
  enableExecuteCommand: boolean;
  healthCheckGracePeriodSeconds?: number;
  inactiveAt?: number;
  /** Backoff of the scheduler's retries while tasks cannot be placed. */
  retryDelayMs?: number;
  retryAt?: number;
}

const servicesTable = (ctx: Pick<Ctx, 'table'>) => ctx.table<ServiceRow>(TABLES.services);

function serviceArn(ctx: Ctx, cluster: ClusterRow, name: string): string {
  return `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${cluster.name}/${name}`;
}

function findService(ctx: Ctx, cluster: ClusterRow, ref: string): ServiceRow | undefined {
  const arn = ref.startsWith('arn:') ? ref : serviceArn(ctx, cluster, ref);
  const row = servicesTable(ctx).get(arn);
  return row && row.clusterArn === cluster.arn ? row : undefined;
}

function deploymentId(ctx: Ctx): string {
  return `ecs-svc/${ctx.rng.int(1, 9)}${Array.from({ length: 18 }, () => ctx.rng.int(0, 9)).join('')}`;
}

function scheduleScheduler(ctx: Ctx, svc: ServiceRow, delay = SCHEDULER_DELAY_MS): void {
  ctx.scheduler.schedule(ctx.now() + delay, SERVICE_TIMER, { arn: svc.arn });
}

function tasksOf(ctx: Ctx, svc: ServiceRow): TaskRow[] {
  const ids = new Set(svc.deployments.map((d) => d.id));
  return tasksTable(ctx).filter((t) => t.clusterArn === svc.clusterArn && t.group === `service:${svc.name}` && !!t.startedBy && ids.has(t.startedBy));
}

const wanted = (t: TaskRow) => isTaskLive(t) && t.desiredStatus === 'RUNNING';

const NO_INSTANCES = 'No Container Instances were found in your cluster.';
const TROUBLESHOOTING = 'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
/** Retry delays while tasks cannot be placed: 30 s doubling to 5 min. */
const RETRY_MIN_MS = 30_000;
const RETRY_MAX_MS = 300_000;

/** Record a placement failure (not repeating the same event within 5 minutes) and try again later. */
function unableToPlace(ctx: Ctx, svc: ServiceRow, message: string): ServiceRow {
  const last = svc.events[0];
  const out = last && last.message === message && ctx.now() - last.createdAt < 300_000 ? svc : addEvent(ctx, svc, message);
  // One pending retry at a time.
  if (svc.retryAt !== undefined && svc.retryAt > ctx.now()) return out;
  const delay = Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, (svc.retryDelayMs ?? 0) * 2));
  ctx.scheduler.schedule(ctx.now() + delay, SERVICE_TIMER, { arn: svc.arn });
  return { ...out, retryDelayMs: delay, retryAt: ctx.now() + delay };
}

function addEvent(ctx: Ctx, svc: ServiceRow, message: string): ServiceRow {
  const ev: ServiceEvent = { id: ctx.rng.uuid(), createdAt: ctx.now(), message };
  // Newest first, as DescribeServices lists them; ECS keeps the last 100.
  return { ...svc, events: [ev, ...svc.events].slice(0, 100) };
}

// ---------------------------------------------------------------- the scheduler

function reconcile(ctx: Ctx, arn: string): void {
  let svc = servicesTable(ctx).get(arn);
  if (!svc || svc.status === 'INACTIVE') return;
  const tasks = tasksOf(ctx, svc);
  const reason = (d: string) => `Scaling activity initiated by (deployment ${d})`;
  if (svc.status === 'DRAINING') {
    for (const t of tasks.filter(wanted)) beginStop(ctx, t.arn, 'ServiceSchedulerInitiated', reason(svc.deployments[0]?.id ?? ''));
    if (!tasksOf(ctx, svc).some(isTaskLive)) {
      svc = { ...svc, status: 'INACTIVE', inactiveAt: ctx.now(), deployments: [] };
      servicesTable(ctx).set(svc.arn, svc);
    }
    return;
  }
  const primary = svc.deployments.find((d) => d.status === 'PRIMARY')!;
  // Older deployments: their tasks are replaced by the primary's.
  for (const d of svc.deployments.filter((x) => x.status !== 'PRIMARY')) {
    for (const t of tasks.filter((x) => x.startedBy === d.id && wanted(x))) beginStop(ctx, t.arn, 'ServiceSchedulerInitiated', reason(primary.id));
  }
  const live = tasks.filter((t) => t.startedBy === primary.id && wanted(t));
  const started: string[] = [];
  if (live.length < svc.desiredCount) {
    const need = Math.min(svc.desiredCount - live.length, 10);
    try {
      const r = runTasks(ctx, {
        cluster: svc.clusterArn,
        taskDefinition: primary.taskDefinition,
        count: need,
        ...(svc.launchType ? { launchType: svc.launchType } : {}),
        ...(svc.capacityProviderStrategy?.length ? { capacityProviderStrategy: svc.capacityProviderStrategy as never } : {}),
        ...(svc.networkConfiguration ? { networkConfiguration: svc.networkConfiguration } : {}),
        ...(svc.platformVersion ? { platformVersion: svc.platformVersion } : {}),
        placementConstraints: svc.placementConstraints,
        placementStrategy: svc.placementStrategy,
        startedBy: primary.id,
        group: `service:${svc.name}`,
        enableExecuteCommand: svc.enableExecuteCommand,
      });
      for (const t of r.tasks) started.push(String(t['taskArn']).split('/').pop()!);
      if (r.tasks.length < need) {
        const f = r.failures[0];
        const ci = f ? String(f['arn'] ?? '').split('/').pop() : undefined;
        const why = f ? String(f['reason']) : '';
        const closest: Record<string, string> = {
          'RESOURCE:PORTS': 'is already using a port required by your task',
          'RESOURCE:MEMORY': 'has insufficient memory available',
          'RESOURCE:CPU': 'has insufficient CPU units available',
          'RESOURCE:ENI': 'encountered error "RESOURCE:ENI"',
        };
        const detail = ci && closest[why] ? `The closest matching (container-instance ${ci}) ${closest[why]}.` : `Reason: ${why || NO_INSTANCES}`;
        svc = unableToPlace(ctx, svc, `(service ${svc.name}) was unable to place a task because no container instance met all of its requirements. ${detail} ${TROUBLESHOOTING}`);
      }
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      const text = e.message === NO_INSTANCES ? `was unable to place a task because no container instance met all of its requirements. Reason: ${NO_INSTANCES}` : `was unable to place a task. Reason: ${e.message}`;
      svc = unableToPlace(ctx, svc, `(service ${svc.name}) ${text} ${TROUBLESHOOTING}`);
    }
    if (started.length === need && svc.retryDelayMs !== undefined) {
      const { retryDelayMs: _r, retryAt: _a, ...rest } = svc;
      svc = rest;
    }
    if (started.length) svc = addEvent(ctx, svc, `(service ${svc.name}) has started ${started.length} tasks: ${started.map((id) => `(task ${id})`).join(' ')}.`);
  } else if (live.length > svc.desiredCount) {
    const extra = [...live].sort((a, b) => b.createdAt - a.createdAt).slice(0, live.length - svc.desiredCount);
    for (const t of extra) beginStop(ctx, t.arn, 'ServiceSchedulerInitiated', reason(primary.id));
    svc = addEvent(ctx, svc, `(service ${svc.name}) has stopped ${extra.length} running tasks: ${extra.map((t) => `(task ${t.id})`).join(' ')}.`);
  }
  // Old deployments go once their tasks are gone; steady state once the primary runs desiredCount tasks.
  const now = tasksOf(ctx, svc);
  const deployments = svc.deployments.filter((d) => d.status === 'PRIMARY' || now.some((t) => t.startedBy === d.id && isTaskLive(t)));
  const running = now.filter((t) => t.startedBy === primary.id && t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING').length;
  const steady = deployments.length === 1 && running === svc.desiredCount && !now.some((t) => t.startedBy === primary.id && wanted(t) && t.lastStatus !== 'RUNNING');
  let p = deployments.find((d) => d.status === 'PRIMARY')!;
  if (steady && p.rolloutState !== 'COMPLETED') {
    p = { ...p, rolloutState: 'COMPLETED', rolloutStateReason: 'ECS deployment ' + p.id + ' completed.', updatedAt: ctx.now() };
    svc = addEvent(ctx, svc, `(service ${svc.name}) has reached a steady state.`);
  }
  svc = { ...svc, deployments: deployments.map((d) => (d.status === 'PRIMARY' ? p : d)) };
  servicesTable(ctx).set(svc.arn, svc);
}

/** Timers and task hooks (called from the ECS service's setup). */
export function registerServiceScheduler(sandbox: Sandbox): void {
  sandbox.scheduler.on(SERVICE_TIMER, (raw) => {
    const arn = (raw as { arn: string }).arn;
    const ctx = sandbox.context(arn.split(':')[3] ?? 'us-east-1', ADMIN_IDENTITY);
    const svc = servicesTable(ctx).get(arn);
    if (svc?.status === 'INACTIVE') {
      if (svc.inactiveAt !== undefined && ctx.now() - svc.inactiveAt >= INACTIVE_RETENTION_MS) servicesTable(ctx).delete(arn);
      return;
    }
    reconcile(ctx, arn);
    const after = servicesTable(ctx).get(arn);
    if (after?.status === 'INACTIVE') ctx.scheduler.schedule(ctx.now() + INACTIVE_RETENTION_MS, SERVICE_TIMER, { arn });
  });
  onTaskStatusChange((ctx, t) => {
    if (!t.group.startsWith('service:') || !t.startedBy?.startsWith('ecs-svc/')) return;
    if (t.lastStatus !== 'RUNNING' && t.lastStatus !== 'STOPPED') return;
    const name = t.group.slice('service:'.length);
    const svcArn = t.clusterArn.replace(':cluster/', ':service/') + '/' + name;
    const svc = servicesTable(ctx).get(svcArn);
    if (svc && svc.status !== 'INACTIVE') scheduleScheduler(ctx, svc, t.lastStatus === 'RUNNING' ? 0 : SCHEDULER_DELAY_MS);
  });
}

// ---------------------------------------------------------------- output

function serviceOutput(ctx: Ctx, svc: ServiceRow, includeTags: boolean): Obj {
  const tasks = tasksOf(ctx, svc);
  const count = (pred: (t: TaskRow) => boolean, d?: string) => tasks.filter((t) => (!d || t.startedBy === d) && t.desiredStatus === 'RUNNING' && pred(t)).length;
  const running = (d?: string) => count((t) => t.lastStatus === 'RUNNING', d);
  const pending = (d?: string) => count((t) => isTaskLive(t) && t.lastStatus !== 'RUNNING', d);
  const net = svc.networkConfiguration?.awsvpcConfiguration
    ? {
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: svc.networkConfiguration.awsvpcConfiguration.subnets,
            securityGroups: svc.networkConfiguration.awsvpcConfiguration.securityGroups ?? [],
            assignPublicIp: svc.networkConfiguration.awsvpcConfiguration.assignPublicIp ?? 'DISABLED',
          },
        },
      }
    : {};
  const launch = svc.launchType ? { launchType: svc.launchType } : {};
  const platform = svc.platformVersion ? { platformVersion: svc.platformVersion, platformFamily: 'Linux' } : {};
  const out: Obj = {
    serviceArn: svc.arn,
    serviceName: svc.name,
    clusterArn: svc.clusterArn,
    loadBalancers: [],
    serviceRegistries: [],
    status: svc.status,
    desiredCount: svc.desiredCount,
    runningCount: running(),
    pendingCount: pending(),
    ...launch,
    ...(svc.capacityProviderStrategy?.length ? { capacityProviderStrategy: svc.capacityProviderStrategy } : {}),
    ...platform,
    taskDefinition: svc.taskDefinition,
    deploymentConfiguration: svc.deploymentConfiguration,
    deployments: svc.deployments.map((d) => ({
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition,
      desiredCount: d.status === 'PRIMARY' ? svc.desiredCount : 0,
      pendingCount: pending(d.id),
      runningCount: running(d.id),
      failedTasks: 0,
      createdAt: isoTime(d.createdAt),
      updatedAt: isoTime(d.updatedAt),
      ...launch,
      ...platform,
      ...net,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
    })),
    roleArn: `arn:aws:iam::${ctx.accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    events: svc.events.map((e) => ({ id: e.id, createdAt: isoTime(e.createdAt), message: e.message })),
    createdAt: isoTime(svc.createdAt),
    placementConstraints: svc.placementConstraints,
    placementStrategy: svc.placementStrategy,
    ...net,
    ...(svc.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds } : {}),
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    createdBy: svc.createdBy,
    enableECSManagedTags: svc.enableECSManagedTags,
    propagateTags: svc.propagateTags,
    enableExecuteCommand: svc.enableExecuteCommand,
    availabilityZoneRebalancing: 'DISABLED',
  };
  if (includeTags) out['tags'] = svc.tags;
  return out;
}

// ---------------------------------------------------------------- operations

const notSimulated = (what: string) => new AwsError('NotYetSimulated', `${what} is not yet simulated by Nimbus. Nothing was changed.`, 501);

const DeploymentConfiguration = s.struct({
  deploymentCircuitBreaker: s.struct({ enable: s.bool(), rollback: s.bool() }, ['enable', 'rollback']),
  maximumPercent: s.int({ doc: 'Upper limit of running tasks during a deployment, in percent of desiredCount (default 200).' }),
  minimumHealthyPercent: s.int({ doc: 'Lower limit of healthy tasks during a deployment, in percent of desiredCount (default 100).' }),
});

const LoadBalancers = () =>
  s.list(s.struct({ targetGroupArn: s.str(), loadBalancerName: s.str(), containerName: s.str(), containerPort: s.int() }), {
    doc: 'Load balancer target groups (not simulated).',
  });

function checkTaskDefinitionFor(ctx: Ctx, ref: string, launchType: string | undefined, net: { awsvpcConfiguration?: AwsvpcConfigInput } | undefined) {
  const td = findTaskDefinition(ctx, ref);
  if (td.status !== 'ACTIVE') throw ecsErrors.client('TaskDefinition is inactive');
  const lt = launchType ?? 'EC2';
  if (!(td.doc['compatibilities'] as string[]).includes(lt)) throw ecsErrors.invalidParameter(`Task definition does not support launch_type ${lt}.`);
  const mode = (td.doc['networkMode'] as string | undefined) ?? 'bridge';
  if (mode === 'awsvpc' && !net?.awsvpcConfiguration) throw ecsErrors.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  if (mode !== 'awsvpc' && net) throw ecsErrors.invalidParameter('Network Configuration is not valid for the given networkMode of this task definition.');
  if (net?.awsvpcConfiguration) checkAwsvpcConfiguration(ctx, net.awsvpcConfiguration, lt);
  return td;
}

export const CreateService = op({
  name: 'CreateService',
  doc: 'Creates a service: the scheduler keeps desiredCount tasks of the task definition running and replaces any that stop. Load balancers, service discovery and DAEMON scheduling are not simulated.',
  input: s.struct(
    {
      cluster: s.str({ doc: 'Cluster name or ARN (default: default).', complete: 'cluster' }),
      serviceName: s.str({ doc: 'Up to 255 letters, digits, hyphens and underscores; unique in the cluster.' }),
      taskDefinition: s.str({ doc: 'family, family:revision or ARN.', complete: 'task-definition' }),
      loadBalancers: LoadBalancers(),
      serviceRegistries: s.list(s.struct({ registryArn: s.str(), port: s.int(), containerName: s.str(), containerPort: s.int() })),
      desiredCount: s.int({ doc: 'How many tasks to keep running.' }),
      clientToken: s.str(),
      launchType: s.enum(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const, { doc: 'EC2 or FARGATE.' }),
      capacityProviderStrategy: CapacityProviderStrategy(),
      platformVersion: s.str({ doc: 'Fargate platform version (LATEST = 1.4.0).' }),
      role: s.str(),
      deploymentConfiguration: DeploymentConfiguration,
      placementConstraints: s.list(PlacementConstraint),
      placementStrategy: s.list(PlacementStrategy),
      networkConfiguration: NetworkConfiguration,
      healthCheckGracePeriodSeconds: s.int(),
      schedulingStrategy: s.enum(['REPLICA', 'DAEMON'] as const, { doc: 'REPLICA (desiredCount tasks); DAEMON is not simulated.' }),
      deploymentController: s.struct({ type: s.enum(['ECS', 'CODE_DEPLOY', 'EXTERNAL'] as const) }),
      tags: Tags(),
      enableECSManagedTags: s.bool(),
      propagateTags: s.enum(['TASK_DEFINITION', 'SERVICE', 'NONE'] as const),
      enableExecuteCommand: s.bool(),
    },
    ['serviceName'],
  ),
  errors: ['ServerException', 'ClientException', 'InvalidParameterException', 'ClusterNotFoundException', 'UnsupportedFeatureException', 'PlatformUnknownException', 'PlatformTaskDefinitionIncompatibilityException', 'AccessDeniedException'],
  example:
    'aws ecs create-service --cluster fargate-cluster --service-name web --task-definition web:1 --desired-count 1 --launch-type FARGATE --network-configuration "awsvpcConfiguration={subnets=[subnet-0123],assignPublicIp=ENABLED}"',
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    if (input.loadBalancers?.length) throw notSimulated('Attaching a load balancer to a service');
    if (input.serviceRegistries?.length) throw notSimulated('Service discovery (serviceRegistries)');
    if (input.schedulingStrategy === 'DAEMON') throw notSimulated('The DAEMON scheduling strategy');
    if (input.deploymentController?.type && input.deploymentController.type !== 'ECS') throw notSimulated(`The ${input.deploymentController.type} deployment controller`);
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(input.serviceName)) {
      throw ecsErrors.invalidParameter('Service name must be between 1 and 255 characters and contain only letters (uppercase and lowercase), numbers, hyphens, and underscores.');
    }
    if (!input.taskDefinition) throw ecsErrors.invalidParameter('TaskDefinition must be specified.');
    if (input.desiredCount === undefined) throw ecsErrors.invalidParameter('desiredCount is required for the REPLICA scheduling strategy.');
    if (input.desiredCount < 0) throw ecsErrors.invalidParameter('Desired count must be at least 0.');
    if (input.launchType && input.capacityProviderStrategy?.length) {
      throw ecsErrors.invalidParameter('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
    }
    const launchType = input.capacityProviderStrategy?.length ? undefined : (input.launchType ?? (cluster.defaultCapacityProviderStrategy.length ? undefined : 'EC2'));
    const td = checkTaskDefinitionFor(ctx, input.taskDefinition, launchType ?? 'FARGATE', input.networkConfiguration);
    const placementProblem = checkPlacementInput((input.placementConstraints ?? []) as PlacementConstraintInput[], (input.placementStrategy ?? []) as PlacementStrategyInput[]);
    if (placementProblem) throw ecsErrors.invalidParameter(placementProblem);
    if (launchType === 'FARGATE' && (input.placementConstraints?.length || input.placementStrategy?.length)) {
      throw ecsErrors.invalidParameter('Task placement constraints and strategies are not supported with the FARGATE launch type.');
    }
    const platformVersion = launchType !== 'EC2' ? resolvePlatformVersion(input.platformVersion) : undefined;
    if (launchType === 'EC2' && input.platformVersion) throw ecsErrors.invalidParameter('The platform version must be null when specifying an EC2 launch type.');
    const arn = serviceArn(ctx, cluster, input.serviceName);
    const existing = servicesTable(ctx).get(arn);
    if (existing && existing.status !== 'INACTIVE') throw ecsErrors.invalidParameter('Creation of service was not idempotent.');
    const now = ctx.now();
    const dep: DeploymentRow = { id: deploymentId(ctx), status: 'PRIMARY', taskDefinition: td.arn, createdAt: now, updatedAt: now, rolloutState: 'IN_PROGRESS', rolloutStateReason: 'ECS deployment in progress.' };
    const row: ServiceRow = {
      arn,
      name: input.serviceName,
      region: ctx.region,
      clusterArn: cluster.arn,
      status: 'ACTIVE',
      desiredCount: input.desiredCount,
      taskDefinition: td.arn,
      ...(launchType ? { launchType } : {}),
      ...(input.capacityProviderStrategy?.length ? { capacityProviderStrategy: input.capacityProviderStrategy as Obj[] } : {}),
      ...(platformVersion ? { platformVersion: input.platformVersion ?? 'LATEST' } : {}),
      ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration as ServiceRow['networkConfiguration'] } : {}),
      placementConstraints: (input.placementConstraints ?? []) as PlacementConstraintInput[],
      placementStrategy: (input.placementStrategy ?? []) as PlacementStrategyInput[],
      deploymentConfiguration: {
        deploymentCircuitBreaker: input.deploymentConfiguration?.deploymentCircuitBreaker ?? { enable: false, rollback: false },
        maximumPercent: input.deploymentConfiguration?.maximumPercent ?? 200,
        minimumHealthyPercent: input.deploymentConfiguration?.minimumHealthyPercent ?? 100,
      },
      deployments: [dep],
      events: [],
      createdAt: now,
      createdBy: ctx.identity.arn,
      tags: (input.tags ?? []) as Tag[],
      enableECSManagedTags: input.enableECSManagedTags ?? false,
      propagateTags: input.propagateTags ?? 'NONE',
      enableExecuteCommand: input.enableExecuteCommand ?? false,
      ...(input.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds } : {}),
    };
    servicesTable(ctx).set(arn, row);
    scheduleScheduler(ctx, row);
    return { service: serviceOutput(ctx, row, false) };
  },
});

export const UpdateService = op({
  name: 'UpdateService',
  doc: 'Changes a service: desiredCount scales it; a new task definition (or --force-new-deployment) starts a new deployment whose tasks replace the old ones.',
  input: s.struct(
    {
      cluster: s.str({ complete: 'cluster' }),
      service: s.str({ doc: 'Service name or ARN.', complete: 'service' }),
      desiredCount: s.int(),
      taskDefinition: s.str({ complete: 'task-definition' }),
      capacityProviderStrategy: CapacityProviderStrategy(),
      deploymentConfiguration: DeploymentConfiguration,
      networkConfiguration: NetworkConfiguration,
      placementConstraints: s.list(PlacementConstraint),
      placementStrategy: s.list(PlacementStrategy),
      platformVersion: s.str(),
      forceNewDeployment: s.bool({ doc: 'Start a new deployment even if nothing changed (pulls the image tag again).' }),
      healthCheckGracePeriodSeconds: s.int(),
      enableExecuteCommand: s.bool(),
      enableECSManagedTags: s.bool(),
      loadBalancers: LoadBalancers(),
      propagateTags: s.enum(['TASK_DEFINITION', 'SERVICE', 'NONE'] as const),
    },
    ['service'],
  ),
  errors: ['ServerException', 'ClientException', 'InvalidParameterException', 'ClusterNotFoundException', 'ServiceNotFoundException', 'ServiceNotActiveException', 'PlatformUnknownException', 'AccessDeniedException'],
  example: 'aws ecs update-service --cluster fargate-cluster --service web --desired-count 3',
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    const svc0 = findService(ctx, cluster, input.service);
    if (!svc0) throw ecsErrors.serviceNotFound();
    if (svc0.status !== 'ACTIVE') throw ecsErrors.serviceNotActive();
    if (input.loadBalancers?.length) throw notSimulated('Attaching a load balancer to a service');
    if (input.desiredCount !== undefined && input.desiredCount < 0) throw ecsErrors.invalidParameter('Desired count must be at least 0.');
    const net = (input.networkConfiguration as ServiceRow['networkConfiguration']) ?? svc0.networkConfiguration;
    const tdRef = input.taskDefinition ?? svc0.taskDefinition;
    const td = checkTaskDefinitionFor(ctx, tdRef, svc0.launchType ?? 'FARGATE', net);
    const now = ctx.now();
    let svc: ServiceRow = {
      ...svc0,
      ...(input.desiredCount !== undefined ? { desiredCount: input.desiredCount } : {}),
      ...(net ? { networkConfiguration: net } : {}),
      ...(input.placementConstraints ? { placementConstraints: input.placementConstraints as PlacementConstraintInput[] } : {}),
      ...(input.placementStrategy ? { placementStrategy: input.placementStrategy as PlacementStrategyInput[] } : {}),
      ...(input.platformVersion ? { platformVersion: input.platformVersion } : {}),
      ...(input.enableExecuteCommand !== undefined ? { enableExecuteCommand: input.enableExecuteCommand } : {}),
      ...(input.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds } : {}),
      ...(input.deploymentConfiguration ? { deploymentConfiguration: { ...svc0.deploymentConfiguration, ...input.deploymentConfiguration } } : {}),
    };
    const newDeployment = input.forceNewDeployment || td.arn !== svc0.taskDefinition || !!input.networkConfiguration || !!input.platformVersion;
    if (newDeployment) {
      const dep: DeploymentRow = { id: deploymentId(ctx), status: 'PRIMARY', taskDefinition: td.arn, createdAt: now, updatedAt: now, rolloutState: 'IN_PROGRESS', rolloutStateReason: 'ECS deployment in progress.' };
      svc = { ...svc, taskDefinition: td.arn, deployments: [dep, ...svc.deployments.map((d) => ({ ...d, status: 'ACTIVE' as const, updatedAt: now }))] };
    } else if (input.desiredCount !== undefined && input.desiredCount !== svc0.desiredCount) {
      svc = { ...svc, deployments: svc.deployments.map((d) => (d.status === 'PRIMARY' ? { ...d, updatedAt: now, rolloutState: 'IN_PROGRESS' as const, rolloutStateReason: 'ECS deployment in progress.' } : d)) };
    }
    servicesTable(ctx).set(svc.arn, svc);
    scheduleScheduler(ctx, svc);
    return { service: serviceOutput(ctx, svc, false) };
  },
});

export const DeleteService = op({
  name: 'DeleteService',
  doc: 'Deletes a service: it must be scaled to 0 first, or use --force. The service goes DRAINING while its tasks stop, then INACTIVE.',
  input: s.struct({ cluster: s.str({ complete: 'cluster' }), service: s.str({ complete: 'service' }), force: s.bool({ doc: 'Delete even if desiredCount is above 0.' }) }, ['service']),
  errors: ['ServerException', 'ClientException', 'InvalidParameterException', 'ClusterNotFoundException', 'ServiceNotFoundException'],
  example: 'aws ecs delete-service --cluster fargate-cluster --service web --force',
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    const svc0 = findService(ctx, cluster, input.service);
    if (!svc0) throw ecsErrors.serviceNotFound();
    if (svc0.status === 'INACTIVE') throw ecsErrors.serviceNotActive();
    if (svc0.status === 'DRAINING') return { service: serviceOutput(ctx, svc0, false) };
    if (svc0.desiredCount > 0 && !input.force) throw ecsErrors.invalidParameter('The service cannot be stopped while it is scaled above 0.');
    const svc: ServiceRow = { ...svc0, status: 'DRAINING', desiredCount: 0 };
    servicesTable(ctx).set(svc.arn, svc);
    scheduleScheduler(ctx, svc, 0);
    return { service: serviceOutput(ctx, svc, false) };
  },
});

export const DescribeServices = op({
  name: 'DescribeServices',
  doc: 'Describes services: counts, deployments, events (newest first). Unknown names come back in failures (MISSING).',
  input: s.struct(
    { cluster: s.str({ complete: 'cluster' }), services: s.list(s.str({ complete: 'service' }), { doc: 'Up to 10 service names or ARNs.' }), include: s.list(s.enum(['TAGS'] as const)) },
    ['services'],
  ),
  errors: ['ServerException', 'ClientException', 'InvalidParameterException', 'ClusterNotFoundException'],
  example: 'aws ecs describe-services --cluster fargate-cluster --services web',
  readOnly: true,
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    if (input.services.length > 10) throw ecsErrors.invalidParameter('services can have at most 10 items.');
    const services: Obj[] = [];
    const failures: Obj[] = [];
    for (const ref of input.services) {
      const svc = findService(ctx, cluster, ref);
      if (svc) services.push(serviceOutput(ctx, svc, !!input.include?.includes('TAGS')));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : serviceArn(ctx, cluster, ref), reason: 'MISSING' });
    }
    return { services, failures };
  },
});

export const ListServices = op({
  name: 'ListServices',
  doc: 'Lists the ARNs of the ACTIVE and DRAINING services of a cluster.',
  input: s.struct({
    cluster: s.str({ complete: 'cluster' }),
    nextToken: s.str(),
    maxResults: s.int({ min: 1, max: 100 }),
    launchType: s.enum(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const),
    schedulingStrategy: s.enum(['REPLICA', 'DAEMON'] as const),
    resourceManagementType: s.enum(['CUSTOMER', 'ECS'] as const),
  }),
  errors: ['ServerException', 'ClientException', 'InvalidParameterException', 'ClusterNotFoundException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ['serviceArns'] },
  example: 'aws ecs list-services --cluster fargate-cluster',
  readOnly: true,
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    let rows = servicesTable(ctx).filter((x) => x.clusterArn === cluster.arn && x.status !== 'INACTIVE');
    if (input.launchType) rows = rows.filter((x) => x.launchType === input.launchType);
    if (input.schedulingStrategy === 'DAEMON') rows = [];
    const arns = rows.map((x) => x.arn).sort();
    const start = input.nextToken ? Number(/^svc([0-9]+)$/.exec(input.nextToken)?.[1] ?? NaN) : 0;
    if (Number.isNaN(start)) throw ecsErrors.invalidParameter('Invalid nextToken.');
    const max = input.maxResults ?? 10;
    const page = arns.slice(start, start + max);
    return { serviceArns: page, ...(start + max < arns.length ? { nextToken: `svc${start + max}` } : {}) };
  },
});

export const serviceOperations = [CreateService, UpdateService, DeleteService, DescribeServices, ListServices];
