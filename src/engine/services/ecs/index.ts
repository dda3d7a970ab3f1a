/** Amazon ECS: clusters, task definitions, tasks (and the capacity side's container instances). */
import { defineService } from '../../service';
import type { AnyOperation } from '../../shapes';
import { clusterOperations } from './handlers/clusters';
import { taskDefinitionOperations } from './handlers/task-definitions';
import { containerInstanceOperations } from './handlers/container-instances';

const operations: AnyOperation[] = [...clusterOperations, ...taskDefinitionOperations, ...containerInstanceOperations];

export const ecs = defineService({
  name: 'ecs',
  cliName: 'ecs',
  title: 'Amazon Elastic Container Service',
  doc: 'Runs containers on a cluster: register task definitions that describe your containers, then run them as tasks on EC2 capacity you launch or on Fargate, which needs no servers at all.',
  protocol: 'json',
  operations,
});
