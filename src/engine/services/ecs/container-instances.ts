/**
 * The capacity side of ECS: container instances and the container agent.
 *
 * An EC2 instance launched from an ECS-optimized AMI runs the agent; 10-20
 * simulated seconds after launch it reads ECS_CLUSTER (and
 * ECS_INSTANCE_ATTRIBUTES) from the user data and registers the instance with
 * that cluster (`default` when unset, creating it as the real agent does). A
 * named cluster that does not exist makes the registration fail; the agent
 * retries with back-off until the cluster appears or the instance goes away.
 *
 * Rows live in `ecs.containerInstances` keyed by ARN. What tasks hold is not
 * written here: it is computed from the tasks table (model.ts
 * `reservedOnInstance`), so remaining = registered - reserved.
 *
 * For placement: `listActiveInstances`, `remainingOf`, `queryTargetOf`
 * (with query-language.ts). For the tasks side: `setInstanceTaskStopper`
 * registers the function that stops a container instance's tasks.
 */
import type { Ctx } from '../../context';
import type { Sandbox } from '../../sandbox';
import { ADMIN_IDENTITY } from '../../identity';
import type { AmiInfo } from '../ec2/amis';
import { findAmi } from '../ec2/amis';
import { instanceType, ecsRegisteredCpu, ecsRegisteredMemory } from '../ec2/instance-types';
import type { InstanceRow } from '../ec2/model';
import { getInstance, instances } from '../ec2/model';
import {
  TABLES,
  clustersTable,
  containerInstanceArn,
  reservedOnInstance,
  tasksOnInstance,
  tryFindCluster,
  type Tag,
} from './model';
import type { QueryTarget } from './query-language';
import { CreateCluster } from './handlers/clusters';

export type ContainerInstanceStatus = 'REGISTERING' | 'REGISTRATION_FAILED' | 'ACTIVE' | 'DRAINING' | 'DEREGISTERING' | 'INACTIVE';

export interface EcsResource {
  name: 'CPU' | 'MEMORY' | 'PORTS' | 'PORTS_UDP';
  type: 'INTEGER' | 'STRINGSET';
  integerValue?: number;
  stringSetValue?: string[];
}

export interface EcsAttribute {
  name: string;
  value?: string;
}

export interface ContainerInstanceRow {
  arn: string;
  /** The 32-hex id at the end of the ARN. */
  id: string;
  clusterArn: string;
  clusterName: string;
  region: string;
  ec2InstanceId: string;
  status: ContainerInstanceStatus;
  statusReason?: string;
  agentConnected: boolean;
  /** Bumped on every change, as DescribeContainerInstances' version. */
  version: number;
  versionInfo: { agentVersion: string; agentHash: string; dockerVersion: string };
  registeredResources: EcsResource[];
  /** Agent attributes first, then custom ones (PutAttributes / ECS_INSTANCE_ATTRIBUTES). */
  attributes: EcsAttribute[];
  registeredAt: number;
  deregisteredAt?: number;
  tags: Tag[];
  capacityProviderName?: string;
  availabilityZone: string;
  instanceType: string;
}

export const AGENT_TIMER = 'ecs.agent-register';

/** Ports the agent reserves on every instance: SSH, Docker (2375/2376), the agent's introspection and credentials endpoints. */
export const RESERVED_PORTS = [22, 2375, 2376, 51678, 51679];

/** Custom attributes a container instance may carry. */
export const MAX_CUSTOM_ATTRIBUTES = 10;

export const containerInstancesTable = (ctx: Pick<Ctx, 'table'>) => ctx.table<ContainerInstanceRow>(TABLES.containerInstances);

// ---------------------------------------------------------------- the agent's attributes

const DOCKER_API_VERSIONS = ['1.17', '1.18', '1.19', '1.20', '1.21', '1.22', '1.23', '1.24', '1.25', '1.26', '1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.44'];

const CAPABILITIES = [
  'com.amazonaws.ecs.capability.ecr-auth',
  'com.amazonaws.ecs.capability.logging-driver.awslogs',
  'com.amazonaws.ecs.capability.logging-driver.json-file',
  'com.amazonaws.ecs.capability.logging-driver.none',
  'com.amazonaws.ecs.capability.logging-driver.syslog',
  'com.amazonaws.ecs.capability.logging-driver.fluentd',
  'com.amazonaws.ecs.capability.logging-driver.splunk',
  'com.amazonaws.ecs.capability.privileged-container',
  'com.amazonaws.ecs.capability.task-iam-role',
  'com.amazonaws.ecs.capability.task-iam-role-network-host',
  'ecs.capability.aws-appmesh',
  'ecs.capability.container-health-check',
  'ecs.capability.container-ordering',
  'ecs.capability.docker-plugin.local',
  'ecs.capability.ecr-endpoint',
  'ecs.capability.efs',
  'ecs.capability.efsAuth',
  'ecs.capability.env-files.s3',
  'ecs.capability.execution-role-awslogs',
  'ecs.capability.execution-role-ecr-pull',
  'ecs.capability.firelens.fluentbit',
  'ecs.capability.firelens.fluentd',
  'ecs.capability.firelens.options.config.file',
  'ecs.capability.firelens.options.config.s3',
  'ecs.capability.full-sync',
  'ecs.capability.increased-task-cpu-limit',
  'ecs.capability.logging-driver.awsfirelens',
  'ecs.capability.pid-ipc-namespace-sharing',
  'ecs.capability.private-registry-authentication.secretsmanager',
  'ecs.capability.secrets.asm.bootstrap.log-driver',
  'ecs.capability.secrets.asm.environment-variables',
  'ecs.capability.secrets.ssm.bootstrap.log-driver',
  'ecs.capability.secrets.ssm.environment-variables',
  'ecs.capability.service-connect-v1',
  'ecs.capability.task-cpu-mem-limit',
  'ecs.capability.task-eni',
  'ecs.capability.task-eni-trunking',
  'ecs.capability.task-eni.ipv6',
];

/** The attributes the agent reports for an instance (sorted as the API returns them, values only where AWS has them). */
export function agentAttributes(instance: InstanceRow, ami: AmiInfo): EcsAttribute[] {
  const list: EcsAttribute[] = [
    ...DOCKER_API_VERSIONS.map((v) => ({ name: `com.amazonaws.ecs.capability.docker-remote-api.${v}` })),
    ...CAPABILITIES.map((name) => ({ name })),
    { name: 'ecs.capability.cni-plugin-version', value: '55b2ae77-2025.11.0' },
    { name: 'ecs.ami-id', value: instance.ImageId },
    { name: 'ecs.availability-zone', value: instance.AvailabilityZone },
    { name: 'ecs.instance-type', value: instance.InstanceType },
    { name: 'ecs.os-type', value: 'linux' },
    { name: 'ecs.os-family', value: 'LINUX' },
    { name: 'ecs.cpu-architecture', value: ami.arch },
    { name: 'ecs.vpc-id', value: instance.VpcId },
    { name: 'ecs.subnet-id', value: instance.SubnetId },
  ];
  return list;
}

export function isAgentAttribute(name: string): boolean {
  return name.startsWith('ecs.') || name.startsWith('com.amazonaws.ecs.');
}

// ---------------------------------------------------------------- user data

export interface EcsConfig {
  cluster?: string;
  attributes: Record<string, string>;
}

/**
 * Read the agent settings from user data: `ECS_CLUSTER=NAME` written into
 * /etc/ecs/ecs.config (echo, cat heredoc, MIME multipart all work: the last
 * assignment wins) and `ECS_INSTANCE_ATTRIBUTES={"k":"v"}`. Shell variables
 * assigned earlier in the script (`cluster=web; echo ECS_CLUSTER=$cluster`) are
 * substituted.
 */
export function parseEcsConfig(userData: string | undefined): EcsConfig {
  const out: EcsConfig = { attributes: {} };
  if (!userData) return out;
  const vars: Record<string, string> = {};
  for (const m of userData.matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(["']?)([^"'\s;]*)\2\s*(?:;|$)/gm)) {
    if (!m[1]!.startsWith('ECS_')) vars[m[1]!] = m[3]!;
  }
  const subst = (v: string) => v.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, n: string) => vars[n] ?? '');
  for (const m of userData.matchAll(/ECS_CLUSTER=(["']?)([^"'\s;>]*)\1/g)) {
    out.cluster = subst(m[2]!);
  }
  for (const m of userData.matchAll(/ECS_INSTANCE_ATTRIBUTES=(?:'([^']*)'|"((?:[^"\\]|\\.)*)"|(\{[^\n]*?\}))/g)) {
    const raw = (m[1] ?? m[2]?.replace(/\\"/g, '"') ?? m[3] ?? '').trim();
    try {
      const obj = JSON.parse(raw) as Record<string, unknown>;
      for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') out.attributes[k] = v;
    } catch {
      /* the real agent refuses to start on bad JSON; here the attributes are ignored */
    }
  }
  if (out.cluster === '') delete out.cluster;
  return out;
}

// ---------------------------------------------------------------- agent lifecycle

interface AgentPayload {
  region: string;
  instanceId: string;
  attempt: number;
}

/** Called by EC2 when an instance with an ECS-optimized AMI launches. */
export function agentOnInstanceLaunched(ctx: Ctx, instance: InstanceRow, _ami: AmiInfo): void {
  const payload: AgentPayload = { region: instance.region, instanceId: instance.InstanceId, attempt: 1 };
  ctx.scheduler.schedule(ctx.now() + ctx.rng.int(12, 20) * 1000, AGENT_TIMER, payload);
}

/** Setting: the agent needs an instance profile (role) to register, as on real EC2. Off by default for lessons. */
export const INSTANCE_PROFILE_SETTING = 'ec2.agentRequiresInstanceProfile';

export function requiresInstanceProfile(ctx: Ctx): boolean {
  return ctx.config().settings[INSTANCE_PROFILE_SETTING] === true;
}

/** The agent's retry delay after a failed registration: 30 s doubling up to 5 minutes. */
function retryDelay(attempt: number): number {
  return Math.min(30_000 * 2 ** (attempt - 1), 300_000);
}

/** Timer: the agent starts and registers (or retries later). */
export function agentRegister(ctx: Ctx, p: AgentPayload): void {
  const inst = getInstance(ctx, p.instanceId);
  if (!inst || (inst.state !== 'running' && inst.state !== 'pending')) return;
  if (inst.state === 'pending') {
    // Still booting: look again in a few seconds.
    ctx.scheduler.schedule(ctx.now() + 5000, AGENT_TIMER, p);
    return;
  }
  if (containerInstancesTable(ctx).filter((c) => c.ec2InstanceId === inst.InstanceId && c.status !== 'INACTIVE').length) return;
  const ami = findAmi(ctx.region, inst.ImageId);
  if (!ami?.ecsOptimized) return;
  if (requiresInstanceProfile(ctx) && !inst.IamInstanceProfileArn) {
    // No instance role: the agent has no credentials to call RegisterContainerInstance and keeps retrying.
    ctx.scheduler.schedule(ctx.now() + retryDelay(p.attempt), AGENT_TIMER, { ...p, attempt: p.attempt + 1 });
    return;
  }
  const config = parseEcsConfig(inst.userData);
  const name = config.cluster ?? 'default';
  let cluster = tryFindCluster(ctx, name);
  if (!cluster && config.cluster === undefined) cluster = createDefaultCluster(ctx);
  if (!cluster) {
    ctx.scheduler.schedule(ctx.now() + retryDelay(p.attempt), AGENT_TIMER, { ...p, attempt: p.attempt + 1 });
    return;
  }
  registerContainerInstance(ctx, inst, ami, cluster.arn, cluster.name, config.attributes);
}

/** The agent creates the `default` cluster when ECS_CLUSTER is not set and it does not exist. */
function createDefaultCluster(ctx: Ctx) {
  CreateCluster.handler(ctx, { clusterName: 'default' });
  return tryFindCluster(ctx, 'default');
}

/** Register an instance as a container instance of a cluster now. */
export function registerContainerInstance(
  ctx: Ctx,
  inst: InstanceRow,
  ami: AmiInfo,
  clusterArnValue: string,
  clusterName: string,
  customAttributes: Record<string, string> = {},
): ContainerInstanceRow {
  const type = instanceType(inst.InstanceType);
  const id = ctx.rng.hex(32);
  const arn = containerInstanceArn(ctx, clusterName, id);
  const custom = Object.entries(customAttributes)
    .slice(0, MAX_CUSTOM_ATTRIBUTES)
    .map(([name, value]) => ({ name, value }));
  const row: ContainerInstanceRow = {
    arn,
    id,
    clusterArn: clusterArnValue,
    clusterName,
    region: ctx.region,
    ec2InstanceId: inst.InstanceId,
    status: 'ACTIVE',
    agentConnected: true,
    version: 2,
    versionInfo: { agentVersion: ami.agentVersion ?? '1.99.1', agentHash: 'b0e0d2ba', dockerVersion: `DockerVersion: ${ami.dockerVersion ?? '25.0.8'}` },
    registeredResources: [
      { name: 'CPU', type: 'INTEGER', integerValue: type ? ecsRegisteredCpu(type) : 1024 },
      { name: 'MEMORY', type: 'INTEGER', integerValue: type ? ecsRegisteredMemory(type) : 1024 },
      { name: 'PORTS', type: 'STRINGSET', stringSetValue: RESERVED_PORTS.map(String) },
      { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] },
    ],
    attributes: [...agentAttributes(inst, ami), ...custom],
    registeredAt: ctx.now(),
    tags: [],
    availabilityZone: inst.AvailabilityZone,
    instanceType: inst.InstanceType,
  };
  return containerInstancesTable(ctx).set(arn, row);
}

// ---------------------------------------------------------------- instance going away

/** Stops the live tasks of a container instance; provided by the tasks side. */
export type InstanceTaskStopper = (ctx: Ctx, containerInstanceArn: string, reason: string, stopCode?: string) => void;

let taskStopper: InstanceTaskStopper | undefined;

/** The tasks engine registers how to stop a container instance's tasks (terminate, forced deregister). */
export function setInstanceTaskStopper(fn: InstanceTaskStopper): void {
  taskStopper = fn;
}

/** Stop the live tasks on a container instance through the tasks side's stopper (if registered). */
export function stopTasksOnInstance(ctx: Ctx, containerInstanceArnValue: string, reason: string, stopCode?: string): void {
  if (taskStopper && tasksOnInstance(ctx, containerInstanceArnValue).length) taskStopper(ctx, containerInstanceArnValue, reason, stopCode);
}

function stopTasksOn(ctx: Ctx, ci: ContainerInstanceRow, reason: string): void {
  stopTasksOnInstance(ctx, ci.arn, reason, 'TerminationNotice');
}

export function updateContainerInstance(ctx: Ctx, arn: string, fn: (ci: ContainerInstanceRow) => ContainerInstanceRow): ContainerInstanceRow {
  return containerInstancesTable(ctx).update(arn, (ci) => ({ ...fn(ci), version: ci.version + 1 }));
}

function liveContainerInstanceOf(ctx: Ctx, instanceId: string): ContainerInstanceRow | undefined {
  return containerInstancesTable(ctx).filter((c) => c.ec2InstanceId === instanceId && c.status !== 'INACTIVE')[0];
}

/** EC2: the instance is shutting down. The agent disconnects and the tasks stop. */
export function agentOnInstanceShuttingDown(ctx: Ctx, instanceId: string): void {
  ctx.scheduler.cancelWhere(AGENT_TIMER, (p) => (p as AgentPayload).instanceId === instanceId);
  const ci = liveContainerInstanceOf(ctx, instanceId);
  if (!ci) return;
  stopTasksOn(ctx, ci, `Host EC2 (instance ${instanceId}) terminated.`);
  updateContainerInstance(ctx, ci.arn, (c) => ({ ...c, agentConnected: false }));
}

/** EC2: the instance is terminated. Its container instance is deregistered (INACTIVE). */
export function agentOnInstanceTerminated(ctx: Ctx, instanceId: string): void {
  const ci = liveContainerInstanceOf(ctx, instanceId);
  if (!ci) return;
  updateContainerInstance(ctx, ci.arn, (c) => ({ ...c, status: 'INACTIVE', agentConnected: false, deregisteredAt: ctx.now() }));
}

/** Register the agent's timer (called from the EC2 service's setup). */
export function setupAgent(sandbox: Sandbox): void {
  sandbox.scheduler.on(AGENT_TIMER, (payload) => {
    const p = payload as AgentPayload;
    agentRegister(sandbox.context(p.region, ADMIN_IDENTITY), p);
  });
}

// ---------------------------------------------------------------- for placement and handlers

export function resourceValue(list: readonly EcsResource[], name: EcsResource['name']): number {
  return list.find((r) => r.name === name)?.integerValue ?? 0;
}

/** Container instances of a cluster that can take tasks: ACTIVE with a connected agent. */
export function listActiveInstances(ctx: Ctx, clusterArnValue: string): ContainerInstanceRow[] {
  return containerInstancesTable(ctx).filter((c) => c.clusterArn === clusterArnValue && c.status === 'ACTIVE' && c.agentConnected);
}

/** Every container instance of a cluster (any status) in registration order. */
export function containerInstancesOf(ctx: Ctx, clusterArnValue: string): ContainerInstanceRow[] {
  return containerInstancesTable(ctx).filter((c) => c.clusterArn === clusterArnValue);
}

/** What is left on an instance after what its live tasks hold. */
export function remainingOf(ctx: Ctx, ci: ContainerInstanceRow): { cpu: number; memory: number; ports: number[]; udpPorts: number[]; runningTasksCount: number; pendingTasksCount: number } {
  const r = reservedOnInstance(ctx, ci.arn);
  return {
    cpu: resourceValue(ci.registeredResources, 'CPU') - r.cpu,
    memory: resourceValue(ci.registeredResources, 'MEMORY') - r.memory,
    ports: [...RESERVED_PORTS, ...r.ports],
    udpPorts: [...r.udpPorts],
    runningTasksCount: r.runningTasksCount,
    pendingTasksCount: r.pendingTasksCount,
  };
}

/** The facts a cluster query expression is evaluated against. */
export function queryTargetOf(ctx: Ctx, ci: ContainerInstanceRow): QueryTarget {
  const tasks = tasksOnInstance(ctx, ci.arn);
  return {
    attributes: ci.attributes,
    ec2InstanceId: ci.ec2InstanceId,
    agentConnected: ci.agentConnected,
    agentVersion: ci.versionInfo.agentVersion,
    registeredAt: ci.registeredAt,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    taskGroups: [...new Set(tasks.map((t) => t.group))],
  };
}

/** The EC2 instance behind a container instance. */
export function ec2InstanceOf(ctx: Ctx, ci: ContainerInstanceRow): InstanceRow | undefined {
  return instances(ctx).get(ci.ec2InstanceId);
}

/** Find a cluster row by ARN (any status) for names in messages. */
export function clusterNameOf(ctx: Ctx, arn: string): string {
  return clustersTable(ctx).get(arn)?.name ?? arn.slice(arn.lastIndexOf('/') + 1);
}
