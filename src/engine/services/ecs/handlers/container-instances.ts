/**
 * Container instance operations: list (with the cluster query language),
 * describe (registered and remaining resources, attributes), custom
 * attributes, draining, deregistering.
 */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { isoTime } from '../../../clock';
import { AwsError } from '../../../errors';
import { ecsErrors } from '../errors';
import { findCluster, paginate, parseEcsArn, tasksOnInstance, type ClusterRow } from '../model';
import {
  MAX_CUSTOM_ATTRIBUTES,
  containerInstancesOf,
  containerInstancesTable,
  isAgentAttribute,
  queryTargetOf,
  remainingOf,
  resourceValue,
  stopTasksOnInstance,
  updateContainerInstance,
  type ContainerInstanceRow,
  type EcsAttribute,
  type EcsResource,
} from '../container-instances';
import { evaluateQuery, tryParseQuery } from '../query-language';

type Obj = Record<string, unknown>;

function renderResources(list: { name: string; type: string; integerValue?: number; stringSetValue?: string[] }[]): Obj[] {
  return list.map((r) =>
    r.type === 'STRINGSET'
      ? { name: r.name, type: r.type, doubleValue: 0.0, longValue: 0, integerValue: 0, stringSetValue: r.stringSetValue ?? [] }
      : { name: r.name, type: r.type, doubleValue: 0.0, longValue: 0, integerValue: r.integerValue ?? 0 },
  );
}

/** The ContainerInstance object as the API returns it. */
export function renderContainerInstance(ctx: Ctx, ci: ContainerInstanceRow, include: readonly string[] = []): Obj {
  const rem = remainingOf(ctx, ci);
  const remaining: EcsResource[] = [
    { name: 'CPU', type: 'INTEGER', integerValue: ci.status === 'INACTIVE' ? resourceValue(ci.registeredResources, 'CPU') : rem.cpu },
    { name: 'MEMORY', type: 'INTEGER', integerValue: ci.status === 'INACTIVE' ? resourceValue(ci.registeredResources, 'MEMORY') : rem.memory },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: [...new Set(rem.ports)].map(String) },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [...new Set(rem.udpPorts)].map(String) },
  ];
  const out: Obj = {
    containerInstanceArn: ci.arn,
    ec2InstanceId: ci.ec2InstanceId,
    ...(ci.capacityProviderName ? { capacityProviderName: ci.capacityProviderName } : {}),
    version: ci.version,
    versionInfo: { ...ci.versionInfo },
    remainingResources: renderResources(remaining),
    registeredResources: renderResources(ci.registeredResources),
    status: ci.status,
    ...(ci.statusReason ? { statusReason: ci.statusReason } : {}),
    agentConnected: ci.agentConnected,
    runningTasksCount: rem.runningTasksCount,
    pendingTasksCount: rem.pendingTasksCount,
    attributes: ci.attributes.map((a) => (a.value !== undefined ? { name: a.name, value: a.value } : { name: a.name })),
    registeredAt: isoTime(ci.registeredAt),
    attachments: [],
  };
  if (include.includes('TAGS')) out['tags'] = ci.tags.map((t) => ({ key: t.key, value: t.value ?? '' }));
  if (include.includes('CONTAINER_INSTANCE_HEALTH')) {
    const at = isoTime(ci.registeredAt);
    out['healthStatus'] = {
      overallStatus: ci.agentConnected ? 'OK' : 'IMPAIRED',
      details: [{ type: 'CONTAINER_RUNTIME', status: ci.agentConnected ? 'OK' : 'IMPAIRED', lastUpdated: isoTime(ctx.now()), lastStatusChange: at }],
    };
  }
  return out;
}

/** Resolve an id or ARN within a cluster; undefined when it is not there. */
export function findContainerInstance(ctx: Ctx, cluster: ClusterRow, ref: string): ContainerInstanceRow | undefined {
  const table = containerInstancesTable(ctx);
  if (ref.startsWith('arn:')) {
    const parsed = parseEcsArn(ref);
    if (!parsed || parsed.kind !== 'container-instance') return undefined;
    const id = parsed.rest.slice(parsed.rest.lastIndexOf('/') + 1);
    const row = containerInstancesOf(ctx, cluster.arn).find((c) => c.id === id);
    return row && parsed.region === ctx.region ? row : undefined;
  }
  const rows = containerInstancesOf(ctx, cluster.arn).filter((c) => c.id === ref);
  return rows[0] ?? (table.get(ref) && table.get(ref)!.clusterArn === cluster.arn ? table.get(ref) : undefined);
}

function fullArnFor(ctx: Ctx, cluster: ClusterRow, ref: string): string {
  return ref.startsWith('arn:') ? ref : `arn:aws:ecs:${ctx.region}:${ctx.accountId}:container-instance/${cluster.name}/${ref}`;
}

function requireContainerInstance(ctx: Ctx, cluster: ClusterRow, ref: string): ContainerInstanceRow {
  const ci = findContainerInstance(ctx, cluster, ref);
  if (!ci) throw ecsErrors.invalidParameter(`Container instance ${ref} not found.`);
  return ci;
}

export const ListContainerInstances = op({
  name: 'ListContainerInstances',
  doc: 'Lists the container instances of a cluster. --filter takes a cluster query language expression such as "attribute:ecs.instance-type == t3.medium"; --status picks ACTIVE, DRAINING ... (default: all but INACTIVE).',
  input: s.struct({
    cluster: s.str({ complete: 'cluster', doc: 'Cluster name or ARN (default: default).' }),
    filter: s.str({ doc: 'A cluster query language expression.' }),
    nextToken: s.str(),
    maxResults: s.int({ min: 1, max: 100 }),
    status: s.enum(['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED'] as const),
  }),
  errors: ['ClusterNotFoundException', 'InvalidParameterException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ['containerInstanceArns'] },
  example: 'aws ecs list-container-instances --cluster demo --filter "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"',
  readOnly: true,
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    let rows = containerInstancesOf(ctx, cluster.arn).filter((c) => (input.status ? c.status === input.status : c.status !== 'INACTIVE'));
    if (input.filter !== undefined) {
      const parsed = tryParseQuery(input.filter);
      if (!parsed.ok) throw ecsErrors.invalidParameter(`Invalid filter expression: ${parsed.message}`);
      rows = rows.filter((c) => evaluateQuery(parsed.node, queryTargetOf(ctx, c)));
    }
    const { page, nextToken } = paginate(rows.map((c) => c.arn), input.nextToken, input.maxResults, 100);
    return { containerInstanceArns: page, ...(nextToken ? { nextToken } : {}) };
  },
});

export const DescribeContainerInstances = op({
  name: 'DescribeContainerInstances',
  doc: 'Describes container instances (id or ARN): registered and remaining CPU, memory and ports, the agent and Docker versions, attributes, task counts. Unknown ones come back in failures.',
  input: s.struct(
    {
      cluster: s.str({ complete: 'cluster' }),
      containerInstances: s.list(s.str({ complete: 'container-instance' }), { doc: 'Up to 100 ids or ARNs.' }),
      include: s.list(s.enum(['TAGS', 'CONTAINER_INSTANCE_HEALTH'] as const)),
    },
    ['containerInstances'],
  ),
  errors: ['ClusterNotFoundException', 'InvalidParameterException'],
  example: 'aws ecs describe-container-instances --cluster demo --container-instances 2f9a... --query "containerInstances[].remainingResources"',
  readOnly: true,
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    if (input.containerInstances.length > 100) throw ecsErrors.invalidParameter('The maximum number of container instances you can describe is 100.');
    const containerInstances: Obj[] = [];
    const failures: Obj[] = [];
    for (const ref of input.containerInstances) {
      const ci = findContainerInstance(ctx, cluster, ref);
      if (ci) containerInstances.push(renderContainerInstance(ctx, ci, input.include ?? []));
      else failures.push({ arn: fullArnFor(ctx, cluster, ref), reason: 'MISSING' });
    }
    return { containerInstances, failures };
  },
});

const AttributeShape = () =>
  s.struct(
    {
      name: s.str({ doc: 'Up to 128 letters, numbers, hyphens, underscores, periods, slashes.' }),
      value: s.str({ doc: 'Up to 128 characters.' }),
      targetType: s.enum(['container-instance'] as const),
      targetId: s.str({ complete: 'container-instance', doc: 'The container instance id or ARN.' }),
    },
    ['name'],
  );

const NAME_RE = /^[A-Za-z0-9_./\\-]{1,128}$/;
const VALUE_RE = /^[A-Za-z0-9_.@/\\: -]{1,128}$/;

interface AttrInput {
  name: string;
  value?: string;
  targetType?: string;
  targetId?: string;
}

function targetsOf(ctx: Ctx, cluster: ClusterRow, attrs: AttrInput[], checkValues: boolean): { attr: AttrInput; ci: ContainerInstanceRow }[] {
  if (!attrs.length) throw ecsErrors.invalidParameter('Attributes cannot be empty.');
  return attrs.map((a) => {
    if (!NAME_RE.test(a.name)) throw ecsErrors.invalidParameter(`Attribute name ${a.name} is invalid: use up to 128 letters, numbers, hyphens, underscores, periods and slashes.`);
    if (checkValues && a.value !== undefined && (!VALUE_RE.test(a.value) || a.value.trim() !== a.value)) {
      throw ecsErrors.invalidParameter(`Attribute value ${a.value} is invalid: use up to 128 letters, numbers, hyphens, underscores, periods, at signs, slashes, colons and spaces, not starting or ending with a space.`);
    }
    if (a.targetType !== undefined && a.targetType !== 'container-instance') throw ecsErrors.invalidParameter(`Invalid target type ${a.targetType}.`);
    if (!a.targetId) throw ecsErrors.invalidParameter('A targetId is required for container instance attributes.');
    const ci = findContainerInstance(ctx, cluster, a.targetId);
    if (!ci || ci.status === 'INACTIVE') throw new AwsError('TargetNotFoundException', `Could not find ${a.targetId}.`, 400);
    return { attr: a, ci };
  });
}

const echo = (a: AttrInput, ci: ContainerInstanceRow) => ({
  name: a.name,
  ...(a.value !== undefined ? { value: a.value } : {}),
  targetType: 'container-instance',
  targetId: ci.arn,
});

export const PutAttributes = op({
  name: 'PutAttributes',
  doc: 'Adds or replaces custom attributes on container instances (up to 10 each), for memberOf placement constraints and --filter. Names beginning with ecs. are the agent\'s.',
  input: s.struct({ cluster: s.str({ complete: 'cluster' }), attributes: s.list(AttributeShape()) }, ['attributes']),
  errors: ['ClusterNotFoundException', 'TargetNotFoundException', 'AttributeLimitExceededException', 'InvalidParameterException'],
  example: 'aws ecs put-attributes --cluster demo --attributes name=stack,value=prod,targetId=2f9a...',
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    const targets = targetsOf(ctx, cluster, input.attributes, true);
    for (const { attr } of targets) {
      if (isAgentAttribute(attr.name)) throw ecsErrors.invalidParameter(`Attribute names beginning with 'ecs.' or 'com.amazonaws.ecs.' are reserved: ${attr.name}.`);
    }
    for (const { attr, ci } of targets) {
      updateContainerInstance(ctx, ci.arn, (c) => {
        const others = c.attributes.filter((x) => x.name !== attr.name);
        const next: EcsAttribute[] = [...others, attr.value !== undefined ? { name: attr.name, value: attr.value } : { name: attr.name }];
        if (next.filter((x) => !isAgentAttribute(x.name)).length > MAX_CUSTOM_ATTRIBUTES) throw ecsErrors.attributeLimitExceeded();
        return { ...c, attributes: next };
      });
    }
    return { attributes: targets.map(({ attr, ci }) => echo(attr, ci)) };
  },
});

export const DeleteAttributes = op({
  name: 'DeleteAttributes',
  doc: 'Removes custom attributes from container instances.',
  input: s.struct({ cluster: s.str({ complete: 'cluster' }), attributes: s.list(AttributeShape()) }, ['attributes']),
  errors: ['ClusterNotFoundException', 'TargetNotFoundException', 'InvalidParameterException'],
  example: 'aws ecs delete-attributes --cluster demo --attributes name=stack,targetId=2f9a...',
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    const targets = targetsOf(ctx, cluster, input.attributes, false);
    for (const { attr } of targets) {
      if (isAgentAttribute(attr.name)) throw ecsErrors.invalidParameter(`Attributes set by the container agent cannot be deleted: ${attr.name}.`);
    }
    for (const { attr, ci } of targets) {
      updateContainerInstance(ctx, ci.arn, (c) => ({ ...c, attributes: c.attributes.filter((x) => x.name !== attr.name) }));
    }
    return { attributes: targets.map(({ attr, ci }) => echo(attr, ci)) };
  },
});

export const ListAttributes = op({
  name: 'ListAttributes',
  doc: 'Lists the attributes of the container instances of a cluster, optionally only those with a given name (and value).',
  input: s.struct(
    {
      cluster: s.str({ complete: 'cluster' }),
      targetType: s.enum(['container-instance'] as const),
      attributeName: s.str(),
      attributeValue: s.str(),
      nextToken: s.str(),
      maxResults: s.int(),
    },
    ['targetType'],
  ),
  errors: ['ClusterNotFoundException', 'InvalidParameterException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ['attributes'] },
  example: 'aws ecs list-attributes --cluster demo --target-type container-instance --attribute-name stack',
  readOnly: true,
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    if (input.attributeValue !== undefined && input.attributeName === undefined) {
      throw ecsErrors.invalidParameter('attributeValue can only be given together with attributeName.');
    }
    const out: Obj[] = [];
    for (const ci of containerInstancesOf(ctx, cluster.arn)) {
      if (ci.status === 'INACTIVE') continue;
      for (const a of ci.attributes) {
        if (input.attributeName !== undefined && a.name !== input.attributeName) continue;
        if (input.attributeValue !== undefined && a.value !== input.attributeValue) continue;
        out.push({ name: a.name, ...(a.value !== undefined ? { value: a.value } : {}), targetId: ci.arn });
      }
    }
    const { page, nextToken } = paginate(out, input.nextToken, input.maxResults, 100);
    return { attributes: page, ...(nextToken ? { nextToken } : {}) };
  },
});

export const UpdateContainerInstancesState = op({
  name: 'UpdateContainerInstancesState',
  doc: 'Sets container instances to DRAINING (no new tasks are placed there; service tasks move elsewhere) or back to ACTIVE.',
  input: s.struct(
    {
      cluster: s.str({ complete: 'cluster' }),
      containerInstances: s.list(s.str({ complete: 'container-instance' }), { doc: 'Up to 10 ids or ARNs.' }),
      status: s.enum(['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED'] as const),
    },
    ['containerInstances', 'status'],
  ),
  errors: ['ClusterNotFoundException', 'InvalidParameterException'],
  example: 'aws ecs update-container-instances-state --cluster demo --container-instances 2f9a... --status DRAINING',
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    if (input.status !== 'ACTIVE' && input.status !== 'DRAINING') {
      throw ecsErrors.invalidParameter('Container instance status can only be updated to ACTIVE or DRAINING.');
    }
    if (input.containerInstances.length > 10) throw ecsErrors.invalidParameter('The maximum number of container instances you can update at once is 10.');
    const containerInstances: Obj[] = [];
    const failures: Obj[] = [];
    for (const ref of input.containerInstances) {
      const ci = findContainerInstance(ctx, cluster, ref);
      if (!ci) {
        failures.push({ arn: fullArnFor(ctx, cluster, ref), reason: 'MISSING' });
        continue;
      }
      if (ci.status === 'INACTIVE') {
        failures.push({ arn: ci.arn, reason: 'INACTIVE', detail: 'The container instance is deregistered.' });
        continue;
      }
      const next = ci.status === input.status ? ci : updateContainerInstance(ctx, ci.arn, (c) => ({ ...c, status: input.status as 'ACTIVE' | 'DRAINING' }));
      containerInstances.push(renderContainerInstance(ctx, next));
    }
    return { containerInstances, failures };
  },
});

export const DeregisterContainerInstance = op({
  name: 'DeregisterContainerInstance',
  doc: 'Removes a container instance from its cluster (it becomes INACTIVE; the EC2 instance keeps running). Refused while tasks run on it unless --force, which stops them.',
  input: s.struct(
    { cluster: s.str({ complete: 'cluster' }), containerInstance: s.str({ complete: 'container-instance' }), force: s.bool() },
    ['containerInstance'],
  ),
  errors: ['ClusterNotFoundException', 'InvalidParameterException'],
  example: 'aws ecs deregister-container-instance --cluster demo --container-instance 2f9a... --force',
  handler: (ctx, input) => {
    const cluster = findCluster(ctx, input.cluster);
    const ci = requireContainerInstance(ctx, cluster, input.containerInstance);
    if (ci.status === 'INACTIVE') return { containerInstance: renderContainerInstance(ctx, ci) };
    const live = tasksOnInstance(ctx, ci.arn);
    if (live.length && !input.force) throw ecsErrors.invalidParameter('Found running tasks on the instance.');
    if (live.length) stopTasksOnInstance(ctx, ci.arn, 'Container instance deregistration forced by user.');
    const next = updateContainerInstance(ctx, ci.arn, (c) => ({ ...c, status: 'INACTIVE', agentConnected: false, deregisteredAt: ctx.now() }));
    return { containerInstance: renderContainerInstance(ctx, next) };
  },
});

export const containerInstanceOperations = [
  ListContainerInstances,
  DescribeContainerInstances,
  PutAttributes,
  DeleteAttributes,
  ListAttributes,
  UpdateContainerInstancesState,
  DeregisterContainerInstance,
];
