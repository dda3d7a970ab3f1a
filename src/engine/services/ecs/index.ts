/** Amazon ECS: clusters, task definitions, tasks (and the capacity side's container instances). */
import { defineService } from '../../service';
import type { AnyOperation } from '../../shapes';
import type { Sandbox } from '../../sandbox';
import { clusterOperations } from './handlers/clusters';
import { taskDefinitionOperations } from './handlers/task-definitions';
import { taskOperations } from './handlers/tasks';
import { tagOperations } from './handlers/tags';
import { containerInstanceOperations } from './handlers/container-instances';
import { serviceOperations, registerServiceScheduler } from './handlers/services';
import { registerLifecycle, beginStop } from './lifecycle';
import { setInstanceTaskStopper } from './container-instances';
import { tasksOnInstance, resolveClusterArn, taskDefinitionArn, type StopCode } from './model';
import { identityOnlyAuthorize } from '../iam/authz';
import type { Ctx } from '../../context';
import './views';

const operations: AnyOperation[] = [
  ...clusterOperations,
  ...taskDefinitionOperations,
  ...taskOperations,
  ...containerInstanceOperations,
  ...tagOperations,
  ...serviceOperations,
];

// The capacity side stops an instance's tasks through this (terminate, forced deregister).
setInstanceTaskStopper((ctx, containerInstanceArn, reason, stopCode) => {
  for (const t of tasksOnInstance(ctx, containerInstanceArn)) beginStop(ctx, t.arn, (stopCode as StopCode | undefined) ?? 'TerminationNotice', reason);
});

/** The resource an ECS action is checked against in identity policies. */
function ecsResource(ctx: Ctx, operation: string, input: Record<string, unknown>): string {
  const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : undefined);
  if (str('resourceArn')) return str('resourceArn')!;
  if (operation === 'CreateCluster') return resolveClusterArn(ctx, str('clusterName'));
  if (['DescribeClusters', 'ListClusters', 'RegisterTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies', 'DescribeTaskDefinition', 'DeleteTaskDefinitions'].includes(operation)) return '*';
  if (operation === 'RunTask' || operation === 'StartTask') {
    const td = str('taskDefinition') ?? '';
    if (td.startsWith('arn:')) return td;
    const [family = td, revision] = td.split(':');
    return revision ? taskDefinitionArn(ctx, family, parseInt(revision, 10)) : `${taskDefinitionArn(ctx, family, 0).replace(/:0$/, '')}:*`;
  }
  if (operation === 'DeregisterTaskDefinition' || operation === 'ListServices') return '*';
  // Service actions are checked against the service ARN (service/CLUSTER/NAME).
  const svc = operation === 'CreateService' ? str('serviceName') : operation === 'DescribeServices' ? ((input['services'] as string[] | undefined) ?? [])[0] : str('service');
  if (['CreateService', 'UpdateService', 'DeleteService', 'DescribeServices'].includes(operation) && svc) {
    if (svc.startsWith('arn:')) return svc;
    return `${resolveClusterArn(ctx, str('cluster')).replace(':cluster/', ':service/')}/${svc}`;
  }
  if (str('cluster') !== undefined || ['UpdateCluster', 'DeleteCluster', 'ListTasks', 'ListContainerInstances'].includes(operation)) return resolveClusterArn(ctx, str('cluster'));
  return '*';
}

export const ecs = defineService({
  name: 'ecs',
  cliName: 'ecs',
  title: 'Amazon Elastic Container Service',
  doc: 'Runs containers on a cluster: register task definitions that describe your containers, then run them as tasks on EC2 capacity you launch or on Fargate, which needs no servers at all.',
  protocol: 'json',
  operations,
  // Identities other than the built-in admins need an IAM policy that allows ecs:ACTION.
  authorize: identityOnlyAuthorize({ prefix: 'ecs', code: 'AccessDeniedException', status: 400, resourceFor: ecsResource }),
  setup(sandbox: Sandbox) {
    registerLifecycle(sandbox);
    registerServiceScheduler(sandbox);
  },
});
