/** Amazon ECS: clusters, task definitions, tasks (and the capacity side's container instances). */
import { defineService } from '../../service';
import type { AnyOperation } from '../../shapes';
import type { Sandbox } from '../../sandbox';
import { clusterOperations } from './handlers/clusters';
import { taskDefinitionOperations } from './handlers/task-definitions';
import { taskOperations } from './handlers/tasks';
import { tagOperations } from './handlers/tags';
import { containerInstanceOperations } from './handlers/container-instances';
import { registerLifecycle, beginStop } from './lifecycle';
import { setInstanceTaskStopper } from './container-instances';
import { tasksOnInstance, type StopCode } from './model';
import './views';

const operations: AnyOperation[] = [
  ...clusterOperations,
  ...taskDefinitionOperations,
  ...taskOperations,
  ...containerInstanceOperations,
  ...tagOperations,
];

// The capacity side stops an instance's tasks through this (terminate, forced deregister).
setInstanceTaskStopper((ctx, containerInstanceArn, reason, stopCode) => {
  for (const t of tasksOnInstance(ctx, containerInstanceArn)) beginStop(ctx, t.arn, (stopCode as StopCode | undefined) ?? 'TerminationNotice', reason);
});

export const ecs = defineService({
  name: 'ecs',
  cliName: 'ecs',
  title: 'Amazon Elastic Container Service',
  doc: 'Runs containers on a cluster: register task definitions that describe your containers, then run them as tasks on EC2 capacity you launch or on Fargate, which needs no servers at all.',
  protocol: 'json',
  operations,
  setup(sandbox: Sandbox) {
    registerLifecycle(sandbox);
  },
});
