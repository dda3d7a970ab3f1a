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
  /** Network interfaces still free for awsvpc tasks (one each); absent = no limit. */
  freeEnis?: number;
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
  /** awsvpc tasks take one network interface of the instance. */
  eni?: boolean;
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
  /** The instance's value for each spread field (precomputed). */
  spreadValues: (string | undefined)[];
  memberOfOk: boolean;
  hasRequired: boolean;
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
  const spreadFields = req.strategies.filter((s) => s.type === 'spread').map((s) => s.field!);
  const distinct = req.constraints.some((c) => c.type === 'distinctInstance');
  const memberOfExprs = req.constraints.filter((c) => c.type === 'memberOf').map((c) => c.expression ?? '');
  // A literal with a fixed shape (not a spread): property access in the hot loop stays monomorphic.
  const work: Working[] = candidates.map((c, order) => ({
    arn: c.arn,
    ec2InstanceId: c.ec2InstanceId,
    status: c.status,
    agentConnected: c.agentConnected,
    attributes: c.attributes,
    remainingCpu: c.remainingCpu,
    remainingMemory: c.remainingMemory,
    usedTcpPorts: c.usedTcpPorts,
    usedUdpPorts: c.usedUdpPorts,
    taskGroups: c.taskGroups,
    freeEnis: c.freeEnis ?? Infinity,
    tcp: new Set(c.usedTcpPorts),
    udp: new Set(c.usedUdpPorts),
    groupCount: c.taskGroups.filter((g) => g === req.group).length,
    order,
    spreadValues: spreadFields.map((f) => attrValue(c, f)),
    // memberOf depends only on attributes, which placement does not change: evaluate once.
    memberOfOk: memberOfExprs.every((e) => req.memberOf(e, c)),
    hasRequired: !req.requiredAttributes || req.requiredAttributes.every((a) => a in c.attributes),
  }));
  // Tasks of the group per attribute value, per spread field.
  const spreadCounts = spreadFields.map((_, fi) => {
    const m = new Map<string | undefined, number>();
    for (const w of work) m.set(w.spreadValues[fi], (m.get(w.spreadValues[fi]) ?? 0) + w.groupCount);
    return m;
  });
  const { cpu, memory, ports } = req.needs;
  const noPorts = ports.length === 0;
  const needsEni = req.needs.eni === true;

  const why = (w: Working): string | undefined => {
    if (!w.agentConnected) return 'AGENT';
    if (!w.memberOfOk) return 'MemberOf placement constraint unsatisfied.';
    if (distinct && w.groupCount > 0) return 'DistinctInstance placement constraint unsatisfied.';
    if (!w.hasRequired) return 'ATTRIBUTE';
    if (w.remainingCpu < cpu) return 'RESOURCE:CPU';
    if (w.remainingMemory < memory) return 'RESOURCE:MEMORY';
    if (!noPorts && !portsFit(w, ports)) return 'RESOURCE:PORTS';
    if (needsEni && w.freeEnis! < 1) return 'RESOURCE:ENI';
    return undefined;
  };

  // The strategies up to the first random one order the instances; random then picks among the ties.
  const strategies: PlacementStrategyInput[] = req.strategies.length ? req.strategies : [{ type: 'random' }];
  const firstRandom = strategies.findIndex((s) => s.type === 'random');
  const ordering = firstRandom >= 0 ? strategies.slice(0, firstRandom) : strategies;
  const spreadIndex = ordering.map((st) => (st.type === 'spread' ? spreadFields.indexOf(st.field!) : -1));
  const keys = new Array<number>(ordering.length);
  const keyOf = (w: Working, si: number): number => {
    const st = ordering[si]!;
    if (st.type === 'binpack') return st.field === 'cpu' ? w.remainingCpu : w.remainingMemory;
    const fi = spreadIndex[si]!;
    return spreadCounts[fi]!.get(w.spreadValues[fi]) ?? 0;
  };

  const ties: Working[] = [];
  for (let i = 0; i < req.count; i++) {
    ties.length = 0;
    for (const w of work) {
      if (w.status !== 'ACTIVE') continue;
      const reason = why(w);
      if (reason) {
        if (!failureByArn.has(w.arn)) failureByArn.set(w.arn, reason);
        continue;
      }
      // Compare this instance's key vector with the best so far.
      let cmp = ties.length === 0 ? -1 : 0;
      if (cmp === 0) {
        for (let si = 0; si < ordering.length; si++) {
          const k = keyOf(w, si);
          if (k !== keys[si]) {
            cmp = k < keys[si]! ? -1 : 1;
            break;
          }
        }
      }
      if (cmp < 0) {
        ties.length = 0;
        ties.push(w);
        for (let si = 0; si < ordering.length; si++) keys[si] = keyOf(w, si);
      } else if (cmp === 0) ties.push(w);
    }
    if (ties.length === 0) continue;
    const best = firstRandom >= 0 && ties.length > 1 ? ties[req.randomInt(ties.length)]! : ties[0]!;
    // Take the resources.
    best.remainingCpu -= cpu;
    best.remainingMemory -= memory;
    if (needsEni) best.freeEnis = best.freeEnis! - 1;
    const hostPorts = noPorts ? [] : assignPorts(best, ports);
    best.groupCount++;
    spreadFields.forEach((_, fi) => {
      const v = best.spreadValues[fi];
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
