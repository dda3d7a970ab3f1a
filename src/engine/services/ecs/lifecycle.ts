/**
 * A task's life on the simulated clock. States and durations are data
 * (TASK_TIMINGS); each step is a scheduler timer of kind 'ecs.task' that moves
 * the task to its next state:
 *
 *   PROVISIONING -> PENDING (image pull, by image size) -> ACTIVATING -> RUNNING
 *   -> DEACTIVATING -> STOPPING -> DEPROVISIONING -> STOPPED
 *
 * PROVISIONING and DEPROVISIONING only take time for tasks with their own ENI
 * (awsvpc, Fargate). A pull that fails stops the task with TaskFailedToStart;
 * an essential container that exits stops it with EssentialContainerExited.
 */
import type { Ctx } from '../../context';
import type { Sandbox } from '../../sandbox';
import { ADMIN_IDENTITY } from '../../identity';
import { tasksTable, releaseFromInstance, type TaskRow, type StopCode, type ContainerStateRow } from './model';
import { imageFacts, cannotPullMessage } from './image-info';
import { releasePrivateIp } from '../ec2/model';
import { interpretCommand } from '../../images/commands';

const MB = 1024 * 1024;

export const TASK_TIMINGS = {
  /** ENI creation and attachment before the pull starts. */
  provisioningMs: { FARGATE: 12_000, awsvpc: 5_000, other: 0 },
  /** From RunTask to the agent starting the pull (tasks without their own ENI). */
  agentPickupMs: 1_000,
  /** Fixed cost of a pull (manifest, auth). */
  pullBaseMs: 1_500,
  /** Download speed by launch type. */
  pullBytesPerSecond: { FARGATE: 40 * MB, EC2: 80 * MB },
  /** EC2 host that already holds the image. */
  cachedPullMs: 300,
  /** Retries before the agent gives up on an image it cannot pull. */
  pullFailMs: 9_000,
  activatingMs: 1_500,
  deactivatingMs: 1_000,
  /** SIGTERM to exit for a well-behaved process. */
  stoppingMs: 2_000,
  deprovisioningMs: { FARGATE: 25_000, awsvpc: 5_000, other: 0 },
  /** How long a STOPPED task stays visible to DescribeTasks and ListTasks. */
  stoppedRetentionMs: 60 * 60 * 1000,
} as const;

export const TIMER_KIND = 'ecs.task';

type Step = 'expire' | 'deactivate' | 'provisioned' | 'pulled' | 'running' | 'container-exit' | 'pull-failed' | 'stopping' | 'deprovision' | 'stopped' | 'healthy';

interface TimerPayload {
  arn: string;
  token: number;
  step: Step;
  container?: string;
  message?: string;
}

function hasOwnEni(t: TaskRow): boolean {
  return t.launchType === 'FARGATE' || t.networkMode === 'awsvpc';
}

function timing(table: { FARGATE: number; awsvpc: number; other: number }, t: TaskRow): number {
  if (t.launchType === 'FARGATE') return table.FARGATE;
  if (t.networkMode === 'awsvpc') return table.awsvpc;
  return table.other;
}

type TaskStatusListener = (ctx: Ctx, t: TaskRow) => void;
const statusListeners: TaskStatusListener[] = [];

/** Be told when a task's lastStatus changes (the service scheduler replaces stopped tasks through this). */
export function onTaskStatusChange(fn: TaskStatusListener): void {
  statusListeners.push(fn);
}

/** Write the task with a new lifecycle token and version; returns the new row. */
function write(ctx: Ctx, t: TaskRow, patch: Partial<TaskRow>): TaskRow {
  const row = tasksTable(ctx).set(t.arn, { ...t, ...patch, version: t.version + 1, lifecycleToken: t.lifecycleToken + 1 });
  if (patch.lastStatus && patch.lastStatus !== t.lastStatus) for (const fn of statusListeners) fn(ctx, row);
  return row;
}

function schedule(ctx: Ctx, t: TaskRow, delay: number, step: Step, extra: Partial<TimerPayload> = {}): void {
  const payload: TimerPayload = { arn: t.arn, token: t.lifecycleToken, step, ...extra };
  ctx.scheduler.schedule(ctx.now() + delay, TIMER_KIND, payload);
}

/** Start the lifecycle of a freshly created task (row already written in PROVISIONING or PENDING). */
export function startLifecycle(ctx: Ctx, t: TaskRow): void {
  if (t.lastStatus === 'PROVISIONING') schedule(ctx, t, timing(TASK_TIMINGS.provisioningMs, t), 'provisioned');
  // The agent picks the task up a moment later: RunTask answers PENDING without pullStartedAt (version 1).
  else schedule(ctx, t, TASK_TIMINGS.agentPickupMs, 'provisioned');
}

const INSTANCE_IMAGES = 'ecs.instanceImages';
const HOST_VOLUMES = 'ecs.hostVolumes';

/** Bind-mount data kept on an EC2 host after its tasks stop. */
export interface HostVolumeNote {
  containerInstanceArn: string;
  sourcePath: string;
  lastTaskArn: string;
  updatedAt: number;
}

function beginPull(ctx: Ctx, t0: TaskRow): void {
  const t = write(ctx, t0, {
    lastStatus: 'PENDING',
    pullStartedAt: ctx.now(),
    ...(t0.eni ? { eni: { ...t0.eni, status: 'ATTACHED' as const } } : {}),
  });
  const td = ctx.table<{ doc: Record<string, unknown> }>('ecs.taskDefinitions').get(t.taskDefinitionArn);
  const hasExecRole = Boolean(td?.doc['executionRoleArn']);
  let pullMs = 0;
  for (const c of t.containers) {
    const facts = imageFacts(ctx, c.image);
    if (!facts.found) {
      schedule(ctx, t, TASK_TIMINGS.pullFailMs, 'pull-failed', { container: c.name, message: pullFailure(c.image, t.launchType, facts.pullError) });
      return;
    }
    if (facts.private && facts.registry === 'ecr' && t.launchType === 'FARGATE' && !hasExecRole) {
      schedule(ctx, t, TASK_TIMINGS.pullFailMs, 'pull-failed', { container: c.name, message: cannotPullMessage(c.image, 'no-credentials', t.launchType) });
      return;
    }
    if (facts.private && facts.registry !== 'ecr') {
      const cd = containerDef(ctx, t, c.name);
      if (!cd?.['repositoryCredentials']) {
        schedule(ctx, t, TASK_TIMINGS.pullFailMs, 'pull-failed', { container: c.name, message: cannotPullMessage(c.image, 'no-credentials', t.launchType) });
        return;
      }
    }
    const cached = t.containerInstanceArn && ctx.table(INSTANCE_IMAGES).has(`${t.containerInstanceArn}|${c.image}`);
    const speed = t.launchType === 'FARGATE' ? TASK_TIMINGS.pullBytesPerSecond.FARGATE : TASK_TIMINGS.pullBytesPerSecond.EC2;
    const ms = cached ? TASK_TIMINGS.cachedPullMs : TASK_TIMINGS.pullBaseMs + Math.round((facts.sizeBytes / speed) * 1000);
    pullMs = Math.max(pullMs, ms); // images pull in parallel
  }
  schedule(ctx, t, pullMs, 'pulled');
}

/** The agent's CannotPullContainerError text: the daemon's words on EC2, containerd's on Fargate. */
function pullFailure(image: string, launchType: string, detail: string | undefined): string {
  if (!detail) return cannotPullMessage(image, 'not-found', launchType);
  if (detail.startsWith('CannotPullContainerError')) return detail;
  if (launchType === 'FARGATE') {
    const ref = image.includes('/') && /[.:]/.test(image.split('/')[0]!) ? image : `docker.io/${image.includes('/') ? '' : 'library/'}${image}`;
    const withTag = /:[^/]+$/.test(ref) || ref.includes('@') ? ref : `${ref}:latest`;
    return `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${withTag}: ${detail}`;
  }
  return `CannotPullContainerError: Error response from daemon: ${detail}`;
}

function containerDef(ctx: Ctx, t: TaskRow, name: string): Record<string, unknown> | undefined {
  const td = ctx.table<{ doc: Record<string, unknown> }>('ecs.taskDefinitions').get(t.taskDefinitionArn);
  const defs = (td?.doc['containerDefinitions'] as Record<string, unknown>[] | undefined) ?? [];
  return defs.find((d) => d['name'] === name);
}

function onPulled(ctx: Ctx, t0: TaskRow): void {
  if (t0.containerInstanceArn) {
    for (const c of t0.containers) ctx.table(INSTANCE_IMAGES).set(`${t0.containerInstanceArn}|${c.image}`, { at: ctx.now() });
  }
  // The agent records the digest each image tag resolved to (DescribeTasks shows it as imageDigest).
  const containers = t0.containers.map((c) => {
    const digest = c.imageDigest ?? imageFacts(ctx, c.image).digest;
    return digest ? { ...c, imageDigest: digest } : c;
  });
  const t = write(ctx, t0, { containers, lastStatus: 'ACTIVATING', pullStoppedAt: ctx.now() });
  schedule(ctx, t, TASK_TIMINGS.activatingMs, 'running');
}

type DepVerdict = 'ready' | 'wait' | { failed: string };

/**
 * Whether a container's dependsOn conditions allow it to start now, as the
 * agent's dependency graph decides: START (the other one started), COMPLETE
 * (it exited), SUCCESS (it exited 0), HEALTHY (its health check passed).
 */
function dependencyVerdict(ctx: Ctx, t: TaskRow, c: ContainerStateRow, containers: readonly ContainerStateRow[]): DepVerdict {
  const deps = (containerDef(ctx, t, c.name)?.['dependsOn'] as { containerName: string; condition: string }[] | undefined) ?? [];
  let verdict: DepVerdict = 'ready';
  for (const d of deps) {
    const target = containers.find((x) => x.name === d.containerName);
    if (!target) continue;
    const started = target.lastStatus === 'RUNNING' || target.lastStatus === 'STOPPED';
    const stopped = target.lastStatus === 'STOPPED';
    const failure = () => ({
      failed: `CannotStartContainerError: dependency graph: failed to resolve container ordering dependency [${target.name}(${target.image}) (STOPPED->RUNNING) - Exit: ${target.exitCode ?? 'unknown'}] for target [${c.name}(${c.image}) (NONE->RUNNING)] as dependency did not exit successfully.`,
    });
    switch (d.condition) {
      case 'START':
        if (!started) verdict = 'wait';
        break;
      case 'COMPLETE':
        if (!stopped) verdict = 'wait';
        break;
      case 'SUCCESS':
        if (stopped && target.exitCode !== 0) return failure();
        if (!stopped) verdict = 'wait';
        break;
      case 'HEALTHY':
        if (stopped && target.healthStatus !== 'HEALTHY') return failure();
        if (target.healthStatus !== 'HEALTHY') verdict = 'wait';
        break;
    }
  }
  return verdict;
}

/**
 * Start every waiting container whose dependencies are met (repeatedly: a
 * START dependency is met by a container started in the same round), stop
 * those whose dependencies can never be met (exit 143). Returns the new row.
 */
function startReady(ctx: Ctx, t0: TaskRow): TaskRow {
  let containers = [...t0.containers];
  const started: ContainerStateRow[] = [];
  let essentialFailed = false;
  for (let changed = true; changed; ) {
    changed = false;
    containers = containers.map((c) => {
      if (c.lastStatus !== 'PENDING') return c;
      const v = dependencyVerdict(ctx, t0, c, containers);
      if (v === 'wait') return c;
      changed = true;
      if (v === 'ready') {
        const next = { ...c, lastStatus: 'RUNNING', runtimeId: `${t0.id}-${ctx.rng.hex(10)}` };
        started.push(next);
        return next;
      }
      if (c.essential) essentialFailed = true;
      return { ...c, lastStatus: 'STOPPED', exitCode: 143, reason: v.failed };
    });
  }
  if (!started.length && containers.every((c, i) => c === t0.containers[i])) return t0;
  const t = write(ctx, t0, { containers });
  for (const c of started) {
    if (c.exitAfterMs !== undefined) schedule(ctx, t, Math.max(0, c.exitAfterMs), 'container-exit', { container: c.name });
    const check = healthCheckOf(ctx, t, c.name);
    if (check) schedule(ctx, t, check.passes ? check.intervalMs : check.startPeriodMs + check.intervalMs * check.retries, 'healthy', { container: c.name });
  }
  if (essentialFailed) return beginStop(ctx, t.arn, 'EssentialContainerExited', 'Essential container in task exited') ?? t;
  return t;
}

function onRunning(ctx: Ctx, t0: TaskRow): void {
  const now = ctx.now();
  const t = startReady(ctx, write(ctx, t0, { lastStatus: 'RUNNING', startedAt: now, connectivity: 'CONNECTED', connectivityAt: now }));
  void t;
}

/**
 * A container's health check, judged by running its command the way the image
 * would (CMD-SHELL through sh -c): exit 0 passes. A passing check reports
 * HEALTHY after one interval; a failing one UNHEALTHY after the start period
 * and `retries` intervals.
 */
function healthCheckOf(ctx: Ctx, t: TaskRow, name: string): { passes: boolean; intervalMs: number; startPeriodMs: number; retries: number } | undefined {
  const hc = containerDef(ctx, t, name)?.['healthCheck'] as { command?: string[]; interval?: number; startPeriod?: number; retries?: number } | undefined;
  if (!hc || !hc.command?.length || hc.command[0] === 'NONE') return undefined;
  const [kind, ...rest] = hc.command;
  const argv = kind === 'CMD-SHELL' ? ['sh', '-c', rest.join(' ')] : kind === 'CMD' ? rest : hc.command;
  const b = interpretCommand(argv);
  const passes = !b || b.kind === 'server' || b.exitCode === 0;
  return { passes, intervalMs: (hc.interval ?? 30) * 1000, startPeriodMs: (hc.startPeriod ?? 0) * 1000, retries: hc.retries ?? 3 };
}

function onHealthy(ctx: Ctx, t0: TaskRow, name: string): void {
  const check = healthCheckOf(ctx, t0, name);
  if (!check) return;
  const containers = t0.containers.map((c) => (c.name === name && c.lastStatus === 'RUNNING' ? { ...c, healthStatus: check.passes ? ('HEALTHY' as const) : ('UNHEALTHY' as const) } : c));
  // The task is as healthy as its essential containers that have a health check.
  const judged = containers.filter((c) => c.essential && healthCheckOf(ctx, t0, c.name));
  const healthStatus = judged.some((c) => c.healthStatus === 'UNHEALTHY')
    ? ('UNHEALTHY' as const)
    : judged.length && judged.every((c) => c.healthStatus === 'HEALTHY')
      ? ('HEALTHY' as const)
      : ('UNKNOWN' as const);
  const t = write(ctx, t0, { containers, healthStatus });
  startReady(ctx, t);
}

function onContainerExit(ctx: Ctx, t0: TaskRow, name: string): void {
  const c = t0.containers.find((x) => x.name === name);
  if (!c || c.lastStatus !== 'RUNNING') return;
  const exitCode = c.exitCodeOnExit ?? 0;
  const containers = t0.containers.map((x) => (x.name === name ? { ...x, lastStatus: 'STOPPED', exitCode, ...(x.exitReason ? { reason: x.exitReason } : {}) } : x));
  const t = startReady(ctx, write(ctx, t0, { containers }));
  if (t.desiredStatus === 'STOPPED') return;
  const allStopped = t.containers.every((x) => x.lastStatus === 'STOPPED');
  if (c.essential || allStopped) {
    beginStop(ctx, t.arn, 'EssentialContainerExited', 'Essential container in task exited');
  }
}

function onPullFailed(ctx: Ctx, t0: TaskRow, container: string, message: string): void {
  const now = ctx.now();
  const containers = t0.containers.map((c) => ({ ...c, lastStatus: 'STOPPED', ...(c.name === container ? { reason: message } : {}) }));
  const t = write(ctx, t0, {
    containers,
    desiredStatus: 'STOPPED',
    stopCode: 'TaskFailedToStart',
    stoppedReason: message,
    stoppingAt: now,
    executionStoppedAt: now,
    pullStoppedAt: now,
  });
  toDeprovisioning(ctx, t);
}

/**
 * Ask a task to stop (StopTask, an essential container's exit, the capacity
 * side terminating its instance, a Spot interruption). Idempotent: a task
 * already stopping keeps its first stop code and reason.
 */
export function beginStop(ctx: Ctx, arn: string, stopCode: StopCode, reason: string): TaskRow | undefined {
  const t0 = tasksTable(ctx).get(arn);
  if (!t0) return undefined;
  if (t0.desiredStatus === 'STOPPED' || t0.lastStatus === 'STOPPED') return t0;
  const now = ctx.now();
  const base: Partial<TaskRow> = { desiredStatus: 'STOPPED', stopCode, stoppedReason: reason, stoppingAt: now };
  if (t0.lastStatus === 'RUNNING' || t0.lastStatus === 'ACTIVATING') {
    // As in ECS, the desired status changes at once (StopTask answers lastStatus RUNNING, desiredStatus STOPPED);
    // the last status follows when the agent acts on it.
    const t = write(ctx, t0, base);
    schedule(ctx, t, TASK_TIMINGS.deactivatingMs, 'deactivate');
    return t;
  }
  // Not started yet: nothing to deactivate.
  const t = write(ctx, t0, { ...base, lastStatus: 'STOPPING' });
  schedule(ctx, t, 0, 'deprovision');
  return t;
}

/**
 * A running container whose main process is a shell command (sleep, a loop)
 * runs as PID 1 and ignores SIGTERM: Docker kills it after stopTimeout
 * (default 30 s) with exit code 137. Servers exit at once with 0.
 */
function ignoresSigterm(c: ContainerStateRow): boolean {
  return c.lastStatus === 'RUNNING' && c.exitAfterMs !== undefined;
}

function stopTimeoutMs(ctx: Ctx, t: TaskRow, c: ContainerStateRow): number {
  const v = containerDef(ctx, t, c.name)?.['stopTimeout'];
  return (typeof v === 'number' ? v : 30) * 1000;
}

function onStopping(ctx: Ctx, t0: TaskRow): void {
  const t = write(ctx, t0, { lastStatus: 'STOPPING' });
  let ms: number = TASK_TIMINGS.stoppingMs;
  for (const c of t.containers) if (ignoresSigterm(c)) ms = Math.max(ms, stopTimeoutMs(ctx, t, c));
  schedule(ctx, t, ms, 'deprovision');
}

function onDeprovision(ctx: Ctx, t0: TaskRow): void {
  const containers = t0.containers.map((c) =>
    c.lastStatus === 'STOPPED'
      ? c
      : c.lastStatus === 'RUNNING'
        ? { ...c, lastStatus: 'STOPPED', exitCode: ignoresSigterm(c) ? 137 : 0 }
        : { ...c, lastStatus: 'STOPPED' },
  );
  const t = write(ctx, t0, { containers, executionStoppedAt: ctx.now() });
  toDeprovisioning(ctx, t);
}

function toDeprovisioning(ctx: Ctx, t0: TaskRow): void {
  if (hasOwnEni(t0)) {
    const t = write(ctx, t0, { lastStatus: 'DEPROVISIONING' });
    schedule(ctx, t, timing(TASK_TIMINGS.deprovisioningMs, t), 'stopped');
  } else onStopped(ctx, t0);
}

function onStopped(ctx: Ctx, t0: TaskRow): void {
  const now = ctx.now();
  releaseFromInstance(ctx, t0);
  // The task ENI is deleted: its private IP goes back to the subnet.
  if (t0.eni && t0.eni.status !== 'DELETED') releasePrivateIp(ctx, t0.eni.subnetId, t0.eni.privateIPv4Address);
  const t = write(ctx, t0, {
    lastStatus: 'STOPPED',
    stoppedAt: now,
    ...(t0.connectivity ? { connectivity: 'DISCONNECTED' as const } : {}),
    ...(t0.eni ? { eni: { ...t0.eni, status: 'DELETED' as const } } : {}),
    // Fargate task storage goes with the task; an EC2 task's scratch space also goes, bind mounts stay on the host.
    storageRetained: false,
  });
  // AWS forgets a stopped task after about an hour; so does the sandbox (keeps the tables small).
  schedule(ctx, t, TASK_TIMINGS.stoppedRetentionMs, 'expire');
  if (t0.containerInstanceArn) {
    const td = ctx.table<{ doc: Record<string, unknown> }>('ecs.taskDefinitions').get(t0.taskDefinitionArn);
    for (const v of (td?.doc['volumes'] as { name: string; host?: { sourcePath?: string } }[] | undefined) ?? []) {
      const path = v.host?.sourcePath;
      if (path) {
        const note: HostVolumeNote = { containerInstanceArn: t0.containerInstanceArn, sourcePath: path, lastTaskArn: t0.arn, updatedAt: now };
        ctx.table<HostVolumeNote>(HOST_VOLUMES).set(`${t0.containerInstanceArn}|${path}`, note);
      }
    }
  }
}

/** Bind-mount paths with data left on a container instance by stopped tasks. */
export function hostVolumeNotes(ctx: Pick<Ctx, 'table'>, containerInstanceArn: string): HostVolumeNote[] {
  return ctx.table<HostVolumeNote>(HOST_VOLUMES).filter((n) => n.containerInstanceArn === containerInstanceArn);
}

/** Register the timer handler (from the service's setup hook). */
export function registerLifecycle(sandbox: Sandbox): void {
  sandbox.scheduler.on(TIMER_KIND, (raw) => {
    const p = raw as TimerPayload;
    const region = p.arn.split(':')[3] ?? 'us-east-1';
    const ctx = sandbox.context(region, ADMIN_IDENTITY);
    const t = tasksTable(ctx).get(p.arn);
    if (!t) return;
    // Exits and health checks belong to the RUNNING phase as a whole; other steps to one exact state.
    const phaseWide = p.step === 'container-exit' || p.step === 'healthy';
    if (phaseWide ? t.lastStatus !== 'RUNNING' || t.desiredStatus !== 'RUNNING' : t.lifecycleToken !== p.token) return;
    switch (p.step) {
      case 'provisioned':
        return beginPull(ctx, t);
      case 'pulled':
        return onPulled(ctx, t);
      case 'running':
        return onRunning(ctx, t);
      case 'healthy':
        return onHealthy(ctx, t, p.container ?? '');
      case 'container-exit':
        return onContainerExit(ctx, t, p.container ?? '');
      case 'pull-failed':
        return onPullFailed(ctx, t, p.container ?? '', p.message ?? 'CannotPullContainerError');
      case 'deactivate': {
        const d = write(ctx, t, { lastStatus: 'DEACTIVATING' });
        return schedule(ctx, d, TASK_TIMINGS.deactivatingMs, 'stopping');
      }
      case 'stopping':
        return onStopping(ctx, t);
      case 'deprovision':
        return onDeprovision(ctx, t);
      case 'stopped':
        return onStopped(ctx, t);
      case 'expire':
        if (t.lastStatus === 'STOPPED') tasksTable(ctx).delete(t.arn);
        return;
    }
  });
}
