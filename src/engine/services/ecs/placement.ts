/**
 * Task placement on EC2 container instances, as ECS describes it: constraints
 * filter the instances first (distinctInstance, memberOf), instances without
 * the CPU, memory or ports the task needs drop out, then the strategies order
 * what is left, in the order given (binpack cpu|memory: least remaining first;
 * spread on instanceId/host or attribute:NAME: the value with the fewest tasks
 * of the group first; random: seeded). Pure: no tables, no clock; the caller
 * passes snapshots of the instances and a random source.
 */

export interface PlacementCandidate {
  /** Container instance ARN. */
  arn: string;
  ec2InstanceId: string;
  /** ACTIVE instances only take tasks; DRAINING and others are skipped. */
  status: string;
  agentConnected: boolean;
  /** Attribute name -> value (ecs.availability-zone, ecs.instance-type, custom ones ...). Present with undefined value = set without value. */
  attributes: Record<string, string | undefined>;
  remainingCpu: number;
  remainingMemory: number;
  /** Host ports in use or reserved by the agent (tcp and udp). */
  usedTcpPorts: number[];
  usedUdpPorts: number[];
  /** Task groups of the live tasks on the instance (one entry per task). */
  taskGroups: string[];
}

export interface PortNeed {
  containerPort: number;
  /** 0 = dynamic (bridge mode): an ephemeral host port is chosen. */
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

export interface TaskNeeds {
  cpu: number;
  memory: number;
  ports: PortNeed[];
}

export interface PlacementConstraintInput {
  type: 'distinctInstance' | 'memberOf';
  expression?: string;
}
export interface PlacementStrategyInput {
  type: 'random' | 'spread' | 'binpack';
  field?: string;
}

export interface PlacementRequest {
  needs: TaskNeeds;
  count: number;
  group: string;
  constraints: PlacementConstraintInput[];
  strategies: PlacementStrategyInput[];
  /** memberOf evaluation (the cluster query language); true when the instance matches. */
  memberOf: (expression: string, c: PlacementCandidate) => boolean;
  /** Seeded random integer in [0, n). */
  randomInt: (n: number) => number;
  /** Capability attributes the task definition requires (requiresAttributes). */
  requiredAttributes?: string[];
}

export interface Placement {
  arn: string;
  /** containerPort/protocol -> host port chosen. */
  hostPorts: PortNeed[];
}

export interface PlacementFailure {
  arn?: string;
  reason: string;
}

export interface PlacementResult {
  placements: Placement[];
  failures: PlacementFailure[];
}

/** The ephemeral range the agent uses for dynamic host ports (Linux). */
export const EPHEMERAL_PORT_MIN = 49153;
export const EPHEMERAL_PORT_MAX = 65535;

export const NO_INSTANCES_MESSAGE = 'No Container Instances were found in your cluster.';

interface Working extends PlacementCandidate {
  tcp: Set<number>;
  udp: Set<number>;
  groupCount: number;
  order: number;
}

/** Check a strategy or constraint list before placing; returns an error message or undefined. */
export function checkPlacementInput(constraints: PlacementConstraintInput[], strategies: PlacementStrategyInput[]): string | undefined {
  if (constraints.length > 10) return 'Too many placement constraints: at most 10 are allowed.';
  if (strategies.length > 5) return 'Too many placement strategies: at most 5 are allowed.';
  for (const c of constraints) {
    if (c.type === 'memberOf' && !c.expression) return 'A memberOf placement constraint requires an expression.';
    if (c.type === 'distinctInstance' && c.expression) return 'A distinctInstance placement constraint does not take an expression.';
  }
  for (const st of strategies) {
    if (st.type === 'binpack') {
      if (st.field !== 'cpu' && st.field !== 'memory') return `Invalid placement strategy field '${st.field ?? ''}' for binpack: use cpu or memory.`;
    } else if (st.type === 'spread') {
      if (!st.field) return 'A spread placement strategy requires a field: instanceId, host or attribute:NAME.';
      if (!(st.field === 'instanceId' || st.field === 'host' || /^attribute:.+/.test(st.field))) {
        return `Invalid placement strategy field '${st.field}' for spread: use instanceId, host or attribute:NAME.`;
      }
    } else if (st.type === 'random') {
      if (st.field) return 'A random placement strategy does not take a field.';
    }
  }
  return undefined;
}

function portsFit(w: Working, ports: PortNeed[]): boolean {
  const want = new Set<string>();
  for (const p of ports) {
    if (p.hostPort === 0) continue;
    const key = `${p.protocol}/${p.hostPort}`;
    if (want.has(key)) return false;
    want.add(key);
    if ((p.protocol === 'udp' ? w.udp : w.tcp).has(p.hostPort)) return false;
  }
  const dynamic = ports.filter((p) => p.hostPort === 0).length;
  if (dynamic > 0) {
    let free = 0;
    for (let port = EPHEMERAL_PORT_MIN; port <= EPHEMERAL_PORT_MAX && free < dynamic; port++) if (!w.tcp.has(port) && !w.udp.has(port)) free++;
    if (free < dynamic) return false;
  }
  return true;
}

function assignPorts(w: Working, ports: PortNeed[]): PortNeed[] {
  let next = EPHEMERAL_PORT_MIN;
  return ports.map((p) => {
    let host = p.hostPort;
    if (host === 0) {
      while (w.tcp.has(next) || w.udp.has(next)) next++;
      host = next++;
    }
    (p.protocol === 'udp' ? w.udp : w.tcp).add(host);
    return { containerPort: p.containerPort, hostPort: host, protocol: p.protocol };
  });
}

function attrValue(w: PlacementCandidate, field: string): string | undefined {
  if (field === 'instanceId' || field === 'host') return w.arn;
  const name = field.slice('attribute:'.length);
  return w.attributes[name];
}

/**
 * Place `count` tasks one after the other. Each placed task takes its
 * resources before the next is placed, so binpack fills and spread evens out
 * within one call too.
 */
export function placeTasks(candidates: readonly PlacementCandidate[], req: PlacementRequest): PlacementResult {
  const placements: Placement[] = [];
  const failureByArn = new Map<string, string>();
  if (candidates.length === 0) {
    return { placements, failures: [{ reason: NO_INSTANCES_MESSAGE }] };
  }
  const work: Working[] = candidates.map((c, order) => ({
    ...c,
    tcp: new Set(c.usedTcpPorts),
    udp: new Set(c.usedUdpPorts),
    groupCount: c.taskGroups.filter((g) => g === req.group).length,
    order,
  }));
  const distinct = req.constraints.some((c) => c.type === 'distinctInstance');
  const memberOfExprs = req.constraints.filter((c) => c.type === 'memberOf').map((c) => c.expression ?? '');
  // memberOf depends only on attributes, which placement does not change: evaluate once.
  const memberOfOk = new Map<string, boolean>();
  for (const w of work) memberOfOk.set(w.arn, memberOfExprs.every((e) => req.memberOf(e, w)));
  const spreadFields = req.strategies.filter((s) => s.type === 'spread').map((s) => s.field!);
  // Group tasks per attribute value, per spread field.
  const spreadCounts = spreadFields.map((field) => {
    const m = new Map<string | undefined, number>();
    for (const w of work) {
      const v = attrValue(w, field);
      m.set(v, (m.get(v) ?? 0) + w.groupCount);
    }
    return m;
  });

  const why = (w: Working): string | undefined => {
    if (!w.agentConnected) return 'AGENT';
    if (!memberOfOk.get(w.arn)) return 'MemberOf placement constraint unsatisfied.';
    if (distinct && w.groupCount > 0) return 'DistinctInstance placement constraint unsatisfied.';
    if (req.requiredAttributes?.some((a) => !(a in w.attributes))) return 'ATTRIBUTE';
    if (w.remainingCpu < req.needs.cpu) return 'RESOURCE:CPU';
    if (w.remainingMemory < req.needs.memory) return 'RESOURCE:MEMORY';
    if (!portsFit(w, req.needs.ports)) return 'RESOURCE:PORTS';
    return undefined;
  };

  for (let i = 0; i < req.count; i++) {
    const eligible: Working[] = [];
    for (const w of work) {
      if (w.status !== 'ACTIVE') continue;
      const reason = why(w);
      if (reason) {
        if (!failureByArn.has(w.arn)) failureByArn.set(w.arn, reason);
      } else eligible.push(w);
    }
    if (eligible.length === 0) continue;
    const keyOf = (w: Working, st: PlacementStrategyInput): number => {
      if (st.type === 'binpack') return st.field === 'cpu' ? w.remainingCpu : w.remainingMemory;
      const fi = spreadFields.indexOf(st.field!);
      return spreadCounts[fi]!.get(attrValue(w, st.field!)) ?? 0;
    };
    // Each strategy keeps the best-scoring instances; random picks one of those left.
    let pool = eligible;
    let picked: Working | undefined;
    const strategies = req.strategies.length ? req.strategies : [{ type: 'random' as const }];
    for (const st of strategies) {
      if (pool.length === 1) break;
      if (st.type === 'random') {
        picked = pool[req.randomInt(pool.length)]!;
        break;
      }
      let min = Infinity;
      for (const w of pool) min = Math.min(min, keyOf(w, st));
      pool = pool.filter((w) => keyOf(w, st) === min);
    }
    const best = picked ?? pool[0]!;
    // Take the resources.
    best.remainingCpu -= req.needs.cpu;
    best.remainingMemory -= req.needs.memory;
    const hostPorts = assignPorts(best, req.needs.ports);
    best.groupCount++;
    spreadFields.forEach((field, fi) => {
      const v = attrValue(best, field);
      spreadCounts[fi]!.set(v, (spreadCounts[fi]!.get(v) ?? 0) + 1);
    });
    placements.push({ arn: best.arn, hostPorts });
  }
  const failures: PlacementFailure[] = [];
  if (placements.length < req.count) {
    for (const [arn, reason] of failureByArn) failures.push({ arn, reason });
    if (failures.length === 0) failures.push({ reason: NO_INSTANCES_MESSAGE });
  }
  return { placements, failures };
}
