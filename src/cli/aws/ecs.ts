/** ECS in the `aws` command: waiters (facts from the model's waiters-2.json) and resource-name completers. */
import { registerCompleter } from './completers';
import { registerWaiter } from './waiters';
import { ADMIN_IDENTITY } from '../../engine';
import type { Sandbox } from '../../engine';
import { clustersTable, taskDefinitionsTable, tasksTable, isTaskLive } from '../../engine/services/ecs/model';

const starts = (list: Iterable<string>, partial: string) => [...new Set(list)].filter((x) => x.startsWith(partial)).sort();
const ctxFor = (sb: Sandbox, region: string) => sb.context(region, ADMIN_IDENTITY);

registerWaiter({
  service: 'ecs',
  name: 'tasks-running',
  operation: 'DescribeTasks',
  delaySeconds: 6,
  maxAttempts: 100,
  doc: 'Waits until every task given is RUNNING (polls describe-tasks every 6 seconds of simulated time). Fails as soon as one of them is STOPPED or MISSING.',
  acceptors: [
    { matcher: 'pathAny', argument: 'tasks[].lastStatus', state: 'failure', expected: 'STOPPED' },
    { matcher: 'pathAny', argument: 'failures[].reason', state: 'failure', expected: 'MISSING' },
    { matcher: 'pathAll', argument: 'tasks[].lastStatus', state: 'success', expected: 'RUNNING' },
  ],
});

registerWaiter({
  service: 'ecs',
  name: 'tasks-stopped',
  operation: 'DescribeTasks',
  delaySeconds: 6,
  maxAttempts: 100,
  doc: 'Waits until every task given is STOPPED (polls describe-tasks every 6 seconds of simulated time).',
  acceptors: [{ matcher: 'pathAll', argument: 'tasks[].lastStatus', state: 'success', expected: 'STOPPED' }],
});

registerWaiter({
  service: 'ecs',
  name: 'services-stable',
  operation: 'DescribeServices',
  delaySeconds: 15,
  maxAttempts: 40,
  doc: 'Waits until every service given has one deployment and runs desiredCount tasks (polls describe-services every 15 seconds of simulated time). Fails if one is MISSING, DRAINING or INACTIVE.',
  acceptors: [
    { matcher: 'pathAny', argument: 'failures[].reason', state: 'failure', expected: 'MISSING' },
    { matcher: 'pathAny', argument: 'services[].status', state: 'failure', expected: 'DRAINING' },
    { matcher: 'pathAny', argument: 'services[].status', state: 'failure', expected: 'INACTIVE' },
    { matcher: 'path', argument: 'length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`', state: 'success', expected: true },
  ],
});

registerWaiter({
  service: 'ecs',
  name: 'services-inactive',
  operation: 'DescribeServices',
  delaySeconds: 15,
  maxAttempts: 40,
  doc: 'Waits until every service given is INACTIVE (deleted and drained).',
  acceptors: [
    { matcher: 'pathAny', argument: 'failures[].reason', state: 'failure', expected: 'MISSING' },
    { matcher: 'pathAny', argument: 'services[].status', state: 'success', expected: 'INACTIVE' },
  ],
});

registerCompleter('service', (sb, region, partial) =>
  starts(
    sb.db
      .table<{ region: string; name: string; status: string }>('ecs.services')
      .filter((x) => x.region === region && x.status !== 'INACTIVE')
      .map((x) => x.name),
    partial,
  ),
);

registerCompleter('cluster', (sb, region, partial) =>
  starts(
    clustersTable(ctxFor(sb, region))
      .filter((c) => c.region === region && c.status === 'ACTIVE')
      .map((c) => c.name),
    partial,
  ),
);

registerCompleter('task-definition-family', (sb, region, partial) =>
  starts(
    taskDefinitionsTable(ctxFor(sb, region))
      .filter((t) => t.region === region && t.status !== 'DELETE_IN_PROGRESS')
      .map((t) => t.family),
    partial,
  ),
);

registerCompleter('task-definition', (sb, region, partial) => {
  const rows = taskDefinitionsTable(ctxFor(sb, region)).filter((t) => t.region === region && t.status === 'ACTIVE');
  const names = partial.includes(':') ? rows.map((t) => `${t.family}:${t.revision}`) : rows.map((t) => t.family);
  return starts(names, partial);
});

registerCompleter('task', (sb, region, partial) =>
  starts(
    tasksTable(ctxFor(sb, region))
      .filter((t) => t.region === region && isTaskLive(t))
      .map((t) => (partial.startsWith('arn:') ? t.arn : t.id)),
    partial,
  ),
);
