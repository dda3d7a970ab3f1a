import { describe, it, expect } from 'vitest';
import { placeTasks, checkPlacementInput, EPHEMERAL_PORT_MIN, type PlacementCandidate, type PlacementRequest } from '../../../src/engine/services/ecs/placement';
import { matchesQuery } from '../../../src/engine/services/ecs/query-language';

function inst(n: number, over: Partial<PlacementCandidate> = {}): PlacementCandidate {
  return {
    arn: `ci-${n}`,
    ec2InstanceId: `i-${n}`,
    status: 'ACTIVE',
    agentConnected: true,
    attributes: { 'ecs.availability-zone': 'us-east-1a', 'ecs.instance-type': 't3.medium' },
    remainingCpu: 2048,
    remainingMemory: 3800,
    usedTcpPorts: [22, 2375, 2376, 51678, 51679],
    usedUdpPorts: [],
    taskGroups: [],
    ...over,
  };
}

let seed = 7;
const req = (over: Partial<PlacementRequest> = {}): PlacementRequest => ({
  needs: { cpu: 256, memory: 512, ports: [] },
  count: 1,
  group: 'family:web',
  constraints: [],
  strategies: [],
  memberOf: (expr, c) =>
    matchesQuery(expr, {
      attributes: Object.entries(c.attributes).map(([name, value]) => ({ name, value })),
      ec2InstanceId: c.ec2InstanceId,
      agentConnected: c.agentConnected,
      registeredAt: 0,
      runningTasksCount: 0,
      taskGroups: c.taskGroups,
    }),
  randomInt: (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  },
  ...over,
});

describe('binpack', () => {
  it('puts tasks on the instance with the least remaining memory first, and fills it', () => {
    const cands = [inst(1, { remainingMemory: 3000 }), inst(2, { remainingMemory: 1200 }), inst(3, { remainingMemory: 2000 })];
    const r = placeTasks(cands, req({ count: 4, strategies: [{ type: 'binpack', field: 'memory' }] }));
    // ci-2 takes 2 (1200 -> 688 -> 176), then ci-3 (2000 -> 1488 -> ...)
    expect(r.placements.map((p) => p.arn)).toEqual(['ci-2', 'ci-2', 'ci-3', 'ci-3']);
    expect(r.failures).toEqual([]);
  });
  it('binpack on cpu looks at CPU', () => {
    const cands = [inst(1, { remainingCpu: 512, remainingMemory: 100000 }), inst(2, { remainingCpu: 2048, remainingMemory: 600 })];
    expect(placeTasks(cands, req({ strategies: [{ type: 'binpack', field: 'cpu' }] })).placements[0]!.arn).toBe('ci-1');
    expect(placeTasks(cands, req({ strategies: [{ type: 'binpack', field: 'memory' }] })).placements[0]!.arn).toBe('ci-2');
  });
});

describe('spread', () => {
  it('spreads over availability zones, then instances', () => {
    const cands = [
      inst(1, { attributes: { 'ecs.availability-zone': 'us-east-1a' } }),
      inst(2, { attributes: { 'ecs.availability-zone': 'us-east-1a' } }),
      inst(3, { attributes: { 'ecs.availability-zone': 'us-east-1b' } }),
    ];
    const r = placeTasks(cands, req({ count: 4, strategies: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'spread', field: 'instanceId' }] }));
    const perAz = { a: 0, b: 0 };
    for (const p of r.placements) p.arn === 'ci-3' ? perAz.b++ : perAz.a++;
    expect(perAz).toEqual({ a: 2, b: 2 });
    // Within us-east-1a, the two tasks went to different instances.
    expect(new Set(r.placements.filter((p) => p.arn !== 'ci-3').map((p) => p.arn)).size).toBe(2);
  });
  it('spread on instanceId counts tasks already there in the same group', () => {
    const cands = [inst(1, { taskGroups: ['family:web', 'family:web'] }), inst(2, { taskGroups: ['family:other', 'family:other', 'family:other'] })];
    const r = placeTasks(cands, req({ count: 2, strategies: [{ type: 'spread', field: 'instanceId' }] }));
    expect(r.placements.map((p) => p.arn)).toEqual(['ci-2', 'ci-2']);
  });
  it('binpack and spread place the same tasks differently', () => {
    const cands = [inst(1), inst(2), inst(3)];
    const bin = placeTasks(cands, req({ count: 3, strategies: [{ type: 'binpack', field: 'memory' }] }));
    const spread = placeTasks(cands, req({ count: 3, strategies: [{ type: 'spread', field: 'host' }] }));
    expect(new Set(bin.placements.map((p) => p.arn)).size).toBe(1);
    expect(new Set(spread.placements.map((p) => p.arn)).size).toBe(3);
  });
});

describe('random', () => {
  it('uses the random source (seeded) and only eligible instances', () => {
    const cands = [inst(1), inst(2, { remainingMemory: 100 }), inst(3)];
    const picks: number[] = [];
    const r = placeTasks(cands, req({ count: 6, strategies: [{ type: 'random' }], randomInt: (n) => { picks.push(n); return picks.length % n; } }));
    expect(r.placements.every((p) => p.arn !== 'ci-2')).toBe(true);
    expect(picks.every((n) => n === 2)).toBe(true);
    expect(new Set(r.placements.map((p) => p.arn))).toEqual(new Set(['ci-1', 'ci-3']));
  });
});

describe('constraints', () => {
  it('distinctInstance puts each task of the group on its own instance', () => {
    const cands = [inst(1), inst(2, { taskGroups: ['family:web'] }), inst(3)];
    const r = placeTasks(cands, req({ count: 3, constraints: [{ type: 'distinctInstance' }], strategies: [{ type: 'binpack', field: 'memory' }] }));
    expect(r.placements.map((p) => p.arn).sort()).toEqual(['ci-1', 'ci-3']);
    expect(r.failures).toContainEqual({ arn: 'ci-2', reason: 'DistinctInstance placement constraint unsatisfied.' });
  });
  it('memberOf filters with the cluster query language', () => {
    const cands = [inst(1, { attributes: { 'ecs.instance-type': 't3.small' } }), inst(2, { attributes: { 'ecs.instance-type': 'm5.large' } })];
    const r = placeTasks(cands, req({ count: 2, constraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ m5.*' }] }));
    expect(r.placements.map((p) => p.arn)).toEqual(['ci-2', 'ci-2']);
    const none = placeTasks(cands, req({ constraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type == c5.large' }] }));
    expect(none.placements).toEqual([]);
    expect(none.failures.map((f) => f.reason)).toEqual(['MemberOf placement constraint unsatisfied.', 'MemberOf placement constraint unsatisfied.']);
  });
});

describe('resources and failures', () => {
  it('reports RESOURCE:CPU and RESOURCE:MEMORY per instance', () => {
    const cands = [inst(1, { remainingCpu: 100 }), inst(2, { remainingMemory: 100 })];
    const r = placeTasks(cands, req());
    expect(r.placements).toEqual([]);
    expect(r.failures).toEqual([
      { arn: 'ci-1', reason: 'RESOURCE:CPU' },
      { arn: 'ci-2', reason: 'RESOURCE:MEMORY' },
    ]);
  });
  it('places what fits and reports the rest', () => {
    const r = placeTasks([inst(1, { remainingMemory: 1100 })], req({ count: 3 }));
    expect(r.placements).toHaveLength(2);
    expect(r.failures).toEqual([{ arn: 'ci-1', reason: 'RESOURCE:MEMORY' }]);
  });
  it('fixed host ports clash (RESOURCE:PORTS); dynamic ones come from the ephemeral range', () => {
    const fixed = { cpu: 10, memory: 10, ports: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' as const }] };
    const r = placeTasks([inst(1), inst(2)], req({ count: 3, needs: fixed }));
    expect(r.placements.map((p) => p.arn).sort()).toEqual(['ci-1', 'ci-2']);
    expect(r.failures.map((f) => f.reason)).toEqual(['RESOURCE:PORTS', 'RESOURCE:PORTS']);
    const dyn = { cpu: 10, memory: 10, ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' as const }] };
    const d = placeTasks([inst(1)], req({ count: 3, needs: dyn }));
    expect(d.placements.map((p) => p.hostPorts[0]!.hostPort)).toEqual([EPHEMERAL_PORT_MIN, EPHEMERAL_PORT_MIN + 1, EPHEMERAL_PORT_MIN + 2]);
    // The agent's reserved ports are never handed out.
    const ssh = placeTasks([inst(1)], req({ needs: { cpu: 1, memory: 1, ports: [{ containerPort: 22, hostPort: 22, protocol: 'tcp' }] } }));
    expect(ssh.failures[0]!.reason).toBe('RESOURCE:PORTS');
  });
  it('an instance whose agent is disconnected fails with AGENT; DRAINING ones are skipped', () => {
    const r = placeTasks([inst(1, { agentConnected: false }), inst(2, { status: 'DRAINING' })], req());
    expect(r.failures).toEqual([{ arn: 'ci-1', reason: 'AGENT' }]);
  });
  it('awsvpc tasks use up the instance\'s network interfaces (RESOURCE:ENI)', () => {
    const r = placeTasks([inst(1, { freeEnis: 2 })], req({ count: 3, needs: { cpu: 1, memory: 1, ports: [], eni: true } }));
    expect(r.placements).toHaveLength(2);
    expect(r.failures).toEqual([{ arn: 'ci-1', reason: 'RESOURCE:ENI' }]);
    // Tasks that are not awsvpc do not care.
    expect(placeTasks([inst(1, { freeEnis: 0 })], req({ count: 3 })).placements).toHaveLength(3);
  });
  it('no instances at all', () => {
    expect(placeTasks([], req()).failures).toEqual([{ reason: 'No Container Instances were found in your cluster.' }]);
  });
  it('checks strategy and constraint input', () => {
    expect(checkPlacementInput([], [{ type: 'binpack', field: 'disk' }])).toMatch(/binpack/);
    expect(checkPlacementInput([], [{ type: 'spread' }])).toMatch(/spread/);
    expect(checkPlacementInput([{ type: 'memberOf' }], [])).toMatch(/expression/);
    expect(checkPlacementInput([{ type: 'distinctInstance' }], [{ type: 'spread', field: 'attribute:ecs.availability-zone' }])).toBeUndefined();
  });
});
