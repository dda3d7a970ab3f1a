/**
 * ECS benchmarks (issue 6):
 *  - placing 10,000 tasks on 1,000 container instances with binpack and with
 *    spread: the placement algorithm alone, and through RunTask (1,000 calls of
 *    --count 10, each a transaction that also starts the lifecycle);
 *  - advancing the clock a simulated day with 1,000 tasks running.
 */
import { performance } from 'node:perf_hooks';
import { Sandbox } from '../src/engine/sandbox';
import { ADMIN_IDENTITY } from '../src/engine/identity';
import { availabilityZones } from '../src/engine/regions';
import { placeTasks, type PlacementCandidate, type PlacementStrategyInput } from '../src/engine/services/ecs/placement';
import { containerInstanceArn, TABLES } from '../src/engine/services/ecs/model';
import type { ContainerInstanceRow } from '../src/engine/services/ecs/container-instances';
import type { Benchmark } from './harness';

const INSTANCES = 1000;
const TASKS = 10_000;
const AZS = availabilityZones('us-east-1');

function candidates(): PlacementCandidate[] {
  return Array.from({ length: INSTANCES }, (_, i) => ({
    arn: `ci-${i}`,
    ec2InstanceId: `i-${i}`,
    status: 'ACTIVE',
    agentConnected: true,
    attributes: { 'ecs.availability-zone': AZS[i % AZS.length]!, 'ecs.instance-type': 'm5.xlarge' },
    remainingCpu: 4096,
    remainingMemory: 15_500,
    usedTcpPorts: [22, 2375, 2376, 51678, 51679],
    usedUdpPorts: [],
    taskGroups: [],
  }));
}

const BINPACK: PlacementStrategyInput[] = [{ type: 'binpack', field: 'memory' }];
const SPREAD: PlacementStrategyInput[] = [
  { type: 'spread', field: 'attribute:ecs.availability-zone' },
  { type: 'spread', field: 'instanceId' },
];

function pure(strategies: PlacementStrategyInput[]): { msPer: number; placed: number } {
  let best = Infinity;
  let placed = 0;
  for (let trial = 0; trial < 3; trial++) {
    let seed = 1;
    const t0 = performance.now();
    const r = placeTasks(candidates(), {
      needs: { cpu: 256, memory: 512, ports: [] },
      count: TASKS,
      group: 'family:web',
      constraints: [],
      strategies,
      memberOf: () => true,
      randomInt: (n) => (seed = (seed * 48271) % 2147483647) % n,
    });
    best = Math.min(best, performance.now() - t0);
    placed = r.placements.length;
  }
  return { msPer: best / TASKS, placed };
}

/** A sandbox with a cluster of 1,000 registered m5.xlarge container instances and an EC2 task definition. */
function clusterWorld(): Sandbox {
  const sb = new Sandbox();
  const ok = (r: ReturnType<Sandbox['call']>) => {
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.output as Record<string, unknown>;
  };
  ok(sb.call({ service: 'ecs', operation: 'CreateCluster', input: { clusterName: 'bench' } }));
  ok(
    sb.call({
      service: 'ecs',
      operation: 'RegisterTaskDefinition',
      input: { family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx', cpu: 256, memory: 512 }] },
    }),
  );
  sb.mutate(() => {
    const ctx = sb.context('us-east-1', ADMIN_IDENTITY);
    const table = ctx.table<ContainerInstanceRow>(TABLES.containerInstances);
    for (let i = 0; i < INSTANCES; i++) {
      const id = i.toString(16).padStart(32, '0');
      const arn = containerInstanceArn(ctx, 'bench', id);
      const az = AZS[i % AZS.length]!;
      table.set(arn, {
        arn,
        id,
        clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/bench',
        clusterName: 'bench',
        region: 'us-east-1',
        ec2InstanceId: `i-${id.slice(15)}`,
        status: 'ACTIVE',
        agentConnected: true,
        version: 2,
        versionInfo: { agentVersion: '1.99.1', agentHash: 'bench', dockerVersion: 'DockerVersion: 25.0.8' },
        registeredResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 4096 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 15_500 },
          { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2375', '2376', '51678', '51679'] },
          { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] },
        ],
        attributes: [
          { name: 'ecs.availability-zone', value: az },
          { name: 'ecs.instance-type', value: 'm5.xlarge' },
        ],
        registeredAt: sb.now(),
        tags: [],
        availabilityZone: az,
        instanceType: 'm5.xlarge',
      });
    }
  });
  return sb;
}

function throughRunTask(strategies: PlacementStrategyInput[]): { msPer: number; placed: number; instancesUsed: number } {
  const sb = clusterWorld();
  let placed = 0;
  const used = new Set<string>();
  const t0 = performance.now();
  for (let i = 0; i < TASKS / 10; i++) {
    const r = sb.call({ service: 'ecs', operation: 'RunTask', input: { cluster: 'bench', taskDefinition: 'web', count: 10, placementStrategy: strategies } });
    if (!r.ok) throw new Error(r.error.message);
    for (const t of (r.output as { tasks: { containerInstanceArn: string }[] }).tasks) {
      placed++;
      used.add(t.containerInstanceArn);
    }
  }
  const dt = performance.now() - t0;
  return { msPer: dt / TASKS, placed, instancesUsed: used.size };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'ecs: place 10,000 tasks on 1,000 instances, binpack (algorithm)',
    async run() {
      const r = pure(BINPACK);
      return { figure: r.msPer, unit: 'ms/placement', higherIsBetter: false, target: 0.5, note: `${r.placed} placed` };
    },
  },
  {
    name: 'ecs: place 10,000 tasks on 1,000 instances, spread AZ+instance (algorithm)',
    async run() {
      const r = pure(SPREAD);
      return { figure: r.msPer, unit: 'ms/placement', higherIsBetter: false, target: 0.5, note: `${r.placed} placed` };
    },
  },
  {
    name: 'ecs: RunTask x1,000 (--count 10) on 1,000 instances, binpack',
    async run() {
      const r = throughRunTask(BINPACK);
      return { figure: r.msPer, unit: 'ms/task', higherIsBetter: false, target: 2, note: `${r.placed} placed on ${r.instancesUsed} instances` };
    },
  },
  {
    name: 'ecs: RunTask x1,000 (--count 10) on 1,000 instances, spread',
    async run() {
      const r = throughRunTask(SPREAD);
      return { figure: r.msPer, unit: 'ms/task', higherIsBetter: false, target: 2, note: `${r.placed} placed on ${r.instancesUsed} instances` };
    },
  },
  {
    name: 'ecs: advance the clock one simulated day with 1,000 tasks running',
    async run() {
      const sb = clusterWorld();
      // 500 web servers that keep running, 500 batch jobs that finish at times spread over the day.
      for (let i = 0; i < 50; i++) {
        const r = sb.call({ service: 'ecs', operation: 'RunTask', input: { cluster: 'bench', taskDefinition: 'web', count: 10 } });
        if (!r.ok) throw new Error(r.error.message);
      }
      for (let i = 0; i < 50; i++) {
        const overrides = { containerOverrides: [{ name: 'web', command: ['sh', '-c', `sleep ${1800 + i * 1700}`] }] };
        const r = sb.call({ service: 'ecs', operation: 'RunTask', input: { cluster: 'bench', taskDefinition: 'web', count: 10, overrides } });
        if (!r.ok) throw new Error(r.error.message);
      }
      // Let them all start first (a minute), then time the day.
      sb.advance(60_000);
      const before = sb.scheduler.pending().length;
      const t0 = performance.now();
      sb.advance(86_400_000);
      const dt = performance.now() - t0;
      const running = sb.call({ service: 'ecs', operation: 'DescribeClusters', input: { clusters: ['bench'] } });
      const count = running.ok ? (running.output as { clusters: { runningTasksCount: number }[] }).clusters[0]!.runningTasksCount : -1;
      return { figure: dt, unit: 'ms', higherIsBetter: false, target: 1000, note: `${before} timers pending at the start; ${count} tasks RUNNING after the day` };
    },
  },
];
