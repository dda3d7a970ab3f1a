/**
 * A lesson in progress: start (fresh world + modes + files + setup lines),
 * live checking after every command, hints, solution replay with "back to my
 * attempt", reset, exit, and the learner's progress. Everything is kept in
 * sandbox tables, so it is persisted, exported and undone with the rest:
 *   lessons.state      'current' (the running lesson), 'record' (author aid)
 *   lessons.progress   one row per lesson id (see Progress)
 *   lessons.snapshots  'attempt' (the learner's world before a solution replay),
 *                      'before' (the free sandbox before the lesson started)
 */
import type { Sandbox } from '../engine';
import { HOME, resolvePath, setClock } from '../engine';
import { updateConfig, defaultConfig, type SandboxConfig } from '../engine/config';
import type { Lesson } from './types';
import { findLesson } from './catalog';
import { captureWorld, restoreWorld, freshWorld, worldSize, type WorldDump } from './world';
import { evaluateSteps, defaultWindow, formatStep, type StepReport, type CheckWindow } from './checker';

export const STATE_TABLE = 'lessons.state';
export const PROGRESS_TABLE = 'lessons.progress';
export const SNAPSHOT_TABLE = 'lessons.snapshots';

/** Snapshots bigger than this are not kept (the free sandbox is then not restorable on exit). */
export const SNAPSHOT_LIMIT_BYTES = 16 * 1024 * 1024;
/** Commands without progress before a hint is offered. */
export const MISSES_BEFORE_HINT = 3;

export type Credit = 'learner' | 'solution';

export interface CurrentLesson {
  lessonId: string;
  stepIndex: number;
  startSeq: number;
  startClock: number;
  /** Steps done in this attempt and how. */
  done: Record<string, Credit>;
  completed: boolean;
  /** Commands in a row that made no progress on the current step. */
  misses: number;
  /** Goal parts met at the last check (to notice progress). */
  lastMet: string[];
  /** Hints shown per goal key. */
  hintsShown: Record<string, number>;
}

export interface Progress {
  lessonId: string;
  attempts: number;
  /** Best credit per step over every attempt. */
  steps: Record<string, Credit>;
  /** Steps whose solution the learner has seen: they can no longer earn 'learner' credit. */
  solutionSeen: string[];
  /** Solved from start to end without the solution of any step. */
  solved: boolean;
  /** Completed, with at least one step's solution shown. */
  solvedWithSolution: boolean;
  solvedAt?: number;
  hintsUsed: number;
}

interface SnapshotRow {
  taken: number;
  world: WorldDump;
  stepIndex?: number;
  done?: Record<string, Credit>;
}

export type RunLine = (line: string) => { exitCode: number; stdout: string; stderr: string };

export interface LessonUpdate {
  lessonId: string;
  stepIndex: number;
  completed: boolean;
  /** Steps finished by this check, in order. */
  advanced: string[];
  report: StepReport | null;
  offerHint: boolean;
}

// ------------------------------------------------------------------ state access

const state = (sb: Sandbox) => sb.db.table<CurrentLesson>(STATE_TABLE);
const progressTable = (sb: Sandbox) => sb.db.table<Progress>(PROGRESS_TABLE);
const snapshots = (sb: Sandbox) => sb.db.table<SnapshotRow>(SNAPSHOT_TABLE);

export function currentLesson(sandbox: Sandbox): CurrentLesson | undefined {
  return state(sandbox).get('current');
}

export function getProgress(sandbox: Sandbox, id: string): Progress {
  return progressTable(sandbox).get(id) ?? { lessonId: id, attempts: 0, steps: {}, solutionSeen: [], solved: false, solvedWithSolution: false, hintsUsed: 0 };
}

export function allProgress(sandbox: Sandbox): Progress[] {
  return [...progressTable(sandbox).values()];
}

export function hasAttemptSnapshot(sandbox: Sandbox): boolean {
  return snapshots(sandbox).has('attempt');
}

function lastSeq(sandbox: Sandbox): number {
  const log = sandbox.callLog();
  return log.length ? log[log.length - 1]!.seq : 0;
}

function windowOf(cur: CurrentLesson): CheckWindow {
  return { startSeq: cur.startSeq, startClock: cur.startClock };
}

// ------------------------------------------------------------------ setup

/** Replace the world by a fresh one, apply the lesson's modes and files, then run its setup lines. */
export function applySetup(sandbox: Sandbox, lesson: Lesson, run: RunLine): string[] {
  sandbox.mutate(() => {
    restoreWorld(sandbox.db, freshWorld(sandbox));
    const m = lesson.modes ?? {};
    if (m.clock) {
      const t = Date.parse(m.clock);
      if (Number.isFinite(t)) setClock(sandbox.db, t);
    }
    updateConfig(sandbox.db, (c): SandboxConfig => {
      const s3Consistency = { ...c.s3Consistency };
      if (m.s3Consistency) for (const r of m.s3ConsistencyRegions ?? [lesson.region]) s3Consistency[r] = m.s3Consistency;
      return { ...c, s3Consistency, quotas: { ...c.quotas, ...(m.quotas ?? {}) }, currentProfile: m.profile ?? c.currentProfile };
    });
    for (const [path, text] of Object.entries(lesson.files ?? {})) sandbox.vfs.writeText(resolvePath(path, HOME), text, { createParents: true });
  });
  const errors: string[] = [];
  for (const line of lesson.setup ?? []) {
    const r = run(line);
    if (r.exitCode !== 0) errors.push(`setup line failed (exit ${r.exitCode}): ${line}\n${r.stderr.trim()}`);
  }
  return errors;
}

/** Start (or restart) a lesson. The world is replaced by the lesson's; the free sandbox is kept to come back to. */
export function startLesson(sandbox: Sandbox, id: string, run: RunLine): { ok: true; lesson: Lesson; warnings: string[] } | { ok: false; error: string } {
  const lesson = findLesson(sandbox, id);
  if (!lesson) return { ok: false, error: `There is no lesson ${id}. See: sandbox lessons list` };
  const warnings: string[] = [];
  if (!currentLesson(sandbox)) {
    const world = captureWorld(sandbox.db);
    if (worldSize(world) <= SNAPSHOT_LIMIT_BYTES) sandbox.mutate(() => snapshots(sandbox).set('before', { taken: sandbox.now(), world }));
    else {
      warnings.push('Your free sandbox is too large to keep a copy of; export it first if you want it back (sandbox export).');
      sandbox.mutate(() => snapshots(sandbox).delete('before'));
    }
  }
  const errors = applySetup(sandbox, lesson, run);
  warnings.push(...errors);
  sandbox.mutate(() => {
    snapshots(sandbox).delete('attempt');
    state(sandbox).set('current', {
      lessonId: lesson.id,
      stepIndex: 0,
      startSeq: lastSeq(sandbox),
      startClock: sandbox.now(),
      done: {},
      completed: false,
      misses: 0,
      lastMet: [],
      hintsShown: {},
    });
    const p = getProgress(sandbox, lesson.id);
    progressTable(sandbox).set(lesson.id, { ...p, attempts: p.attempts + 1 });
  });
  return { ok: true, lesson, warnings };
}

/** Back to the lesson's starting state (same attempt: seen solutions stay seen). */
export function resetLesson(sandbox: Sandbox, run: RunLine): { ok: true; warnings: string[] } | { ok: false; error: string } {
  const cur = currentLesson(sandbox);
  const lesson = cur && findLesson(sandbox, cur.lessonId);
  if (!cur || !lesson) return { ok: false, error: 'No lesson is running. Start one with: sandbox lesson start ID' };
  const warnings = applySetup(sandbox, lesson, run);
  sandbox.mutate(() => {
    snapshots(sandbox).delete('attempt');
    state(sandbox).set('current', { ...cur, stepIndex: 0, startSeq: lastSeq(sandbox), startClock: sandbox.now(), done: {}, completed: false, misses: 0, lastMet: [] });
  });
  return { ok: true, warnings };
}

/** Leave the lesson. With restore, the free sandbox as it was before the lesson comes back. */
export function exitLesson(sandbox: Sandbox, restore: boolean): { ok: true; restored: boolean } | { ok: false; error: string } {
  const cur = currentLesson(sandbox);
  if (!cur) return { ok: false, error: 'No lesson is running.' };
  const before = snapshots(sandbox).get('before');
  sandbox.mutate(() => {
    if (restore && before) restoreWorld(sandbox.db, before.world);
    else {
      // The lesson's modes end with it: back to the settings the learner had.
      const prev = (before?.world['meta']?.['config'] as SandboxConfig | undefined) ?? defaultConfig();
      updateConfig(sandbox.db, (c) => ({ ...c, s3Consistency: prev.s3Consistency, quotas: prev.quotas, currentProfile: prev.currentProfile }));
    }
    state(sandbox).delete('current');
    snapshots(sandbox).delete('before');
    snapshots(sandbox).delete('attempt');
  });
  return { ok: true, restored: restore && !!before };
}

// ------------------------------------------------------------------ checking

function credit(p: Progress, stepId: string): Credit {
  return p.solutionSeen.includes(stepId) ? 'solution' : 'learner';
}

/**
 * Check the current step; finished steps are recorded and the lesson moves on
 * (several steps at once if the learner went ahead). Called after every
 * command and editor save (afterExec) and by `sandbox lesson check`.
 */
export function syncLesson(sandbox: Sandbox, opts: { countMiss?: boolean } = {}): LessonUpdate | null {
  const cur0 = currentLesson(sandbox);
  if (!cur0) return null;
  const lesson = findLesson(sandbox, cur0.lessonId);
  if (!lesson) return null;
  let cur = cur0;
  let prog = getProgress(sandbox, lesson.id);
  const advanced: string[] = [];
  let report: StepReport | null = null;
  while (!cur.completed) {
    report = evaluateSteps(sandbox, lesson, windowOf(cur), [cur.stepIndex])[0] ?? null;
    if (!report || !report.met) break;
    const how = credit(prog, report.id);
    advanced.push(report.id);
    const done = { ...cur.done, [report.id]: how };
    const steps = { ...prog.steps, [report.id]: prog.steps[report.id] === 'learner' ? 'learner' : how };
    prog = { ...prog, steps };
    const next = cur.stepIndex + 1;
    const completed = next >= lesson.steps.length;
    cur = { ...cur, done, stepIndex: completed ? cur.stepIndex : next, completed, misses: 0, lastMet: [] };
    if (completed) {
      const byLearner = lesson.steps.every((s) => done[s.id] === 'learner');
      prog = { ...prog, solved: prog.solved || byLearner, solvedWithSolution: prog.solvedWithSolution || !byLearner, solvedAt: prog.solvedAt ?? sandbox.now() };
    }
  }
  if (!cur.completed && report && !advanced.length) {
    const met = report.parts.filter((p) => p.met).map((p) => p.key);
    const progressed = met.some((k) => !cur.lastMet.includes(k));
    cur = { ...cur, lastMet: met, misses: progressed ? 0 : opts.countMiss ? cur.misses + 1 : cur.misses };
  } else if (report && !cur.completed) {
    cur = { ...cur, lastMet: report.parts.filter((p) => p.met).map((p) => p.key) };
  }
  const changed = JSON.stringify(cur) !== JSON.stringify(cur0) || JSON.stringify(prog) !== JSON.stringify(getProgress(sandbox, lesson.id));
  if (changed) {
    const c = cur;
    const p = prog;
    sandbox.mutate(() => {
      state(sandbox).set('current', c);
      progressTable(sandbox).set(lesson.id, p);
    });
  }
  const hintsLeft = !lesson.assessment && !!report && report.parts.some((p) => !p.met && p.hintCount > 0);
  return { lessonId: lesson.id, stepIndex: cur.stepIndex, completed: cur.completed, advanced, report: cur.completed ? null : report, offerHint: !cur.completed && cur.misses >= MISSES_BEFORE_HINT && hintsLeft };
}

/** `sandbox lesson check [--all]`: the report text and exit code (0 only when met). */
export function checkCurrent(sandbox: Sandbox, all: boolean): { text: string; exitCode: number } {
  const cur = currentLesson(sandbox);
  const lesson = cur && findLesson(sandbox, cur.lessonId);
  if (!cur || !lesson) return { text: 'No lesson is running. Start one with: sandbox lesson start ID\n', exitCode: 1 };
  const head = `Lesson ${lesson.id}: ${lesson.title}`;
  if (all) {
    const reports = evaluateSteps(sandbox, lesson, windowOf(cur));
    const lines = [head];
    let ok = true;
    for (const r of reports) {
      const done = cur.done[r.id];
      if (!r.met && !done) ok = false;
      lines.push(formatStep(r, lesson.steps.length, r.met ? undefined : done));
    }
    syncLesson(sandbox);
    lines.push(ok ? 'Every step is done.' : 'Not every step is done yet.');
    return { text: lines.join('\n') + '\n', exitCode: ok ? 0 : 1 };
  }
  if (cur.completed) return { text: `${head}\nThe lesson is complete. Every step is done.\n`, exitCode: 0 };
  const r = evaluateSteps(sandbox, lesson, windowOf(cur), [cur.stepIndex])[0]!;
  const metCount = r.parts.filter((p) => p.met).length;
  const lines = [head, formatStep(r, lesson.steps.length), `${metCount} of ${r.parts.length} goals met.`];
  if (!r.met && !lesson.assessment && r.parts.some((p) => !p.met && p.hintCount > 0)) lines.push('Stuck? sandbox lesson hint shows a hint.');
  if (r.met) {
    const u = syncLesson(sandbox);
    if (u?.completed) lines.push('Lesson complete!');
    else if (u) lines.push(`Step done. Next: step ${u.stepIndex + 1}, ${lesson.steps[u.stepIndex]!.title}.`);
  }
  return { text: lines.join('\n') + '\n', exitCode: r.met ? 0 : 1 };
}

/**
 * The goal report for a lesson, for grading (`--check-lesson ID`): every step,
 * each counted as met when it holds now or was recorded as done in this state.
 */
export function checkLessonReport(sandbox: Sandbox, lessonId: string, opts: { nowOnly?: boolean } = {}): { text: string; allMet: boolean; exitCode: number } {
  const lesson = findLesson(sandbox, lessonId);
  if (!lesson) return { text: `There is no lesson ${lessonId}.\n`, allMet: false, exitCode: 2 };
  const cur = currentLesson(sandbox);
  const window = cur && cur.lessonId === lessonId ? windowOf(cur) : defaultWindow(lesson);
  const prog = getProgress(sandbox, lessonId);
  const reports = evaluateSteps(sandbox, lesson, window);
  const lines = [`Lesson ${lesson.id}: ${lesson.title}`];
  let allMet = true;
  let partsMet = 0;
  let partsTotal = 0;
  for (const r of reports) {
    const done = opts.nowOnly ? undefined : (cur?.lessonId === lessonId ? cur.done[r.id] : undefined) ?? prog.steps[r.id];
    if (!r.met && !done) allMet = false;
    for (const p of r.parts) {
      partsTotal++;
      if (p.met || done) partsMet++;
    }
    lines.push(formatStep(r, lesson.steps.length, r.met ? undefined : done));
  }
  const solvedBy = prog.solved ? 'solved by the learner' : prog.solvedWithSolution ? 'completed with a solution shown' : 'not completed';
  lines.push(`${partsMet} of ${partsTotal} goals met; ${allMet ? 'every step is done' : 'some steps are not done'} (recorded: ${solvedBy}).`);
  return { text: lines.join('\n') + '\n', allMet, exitCode: allMet ? 0 : 1 };
}

// ------------------------------------------------------------------ hints and solutions

/** The next hint for the first goal part of the current step that is not met. */
export function nextHint(sandbox: Sandbox): { ok: boolean; text: string } {
  const cur = currentLesson(sandbox);
  const lesson = cur && findLesson(sandbox, cur.lessonId);
  if (!cur || !lesson) return { ok: false, text: 'No lesson is running. Start one with: sandbox lesson start ID' };
  if (lesson.assessment) return { ok: false, text: 'Hints are hidden in this assessment.' };
  if (cur.completed) return { ok: false, text: 'The lesson is complete: no hint needed.' };
  const step = lesson.steps[cur.stepIndex]!;
  const r = evaluateSteps(sandbox, lesson, windowOf(cur), [cur.stepIndex])[0]!;
  const idx = r.parts.findIndex((p) => !p.met && p.hintCount > 0);
  if (idx < 0) return { ok: false, text: r.met ? 'This step is already done: run sandbox lesson check.' : 'There is no hint for what is left in this step.' };
  const part = r.parts[idx]!;
  const hints = step.goals[idx]!.hints ?? [];
  const shown = cur.hintsShown[part.key] ?? 0;
  const i = Math.min(shown, hints.length - 1);
  sandbox.mutate(() => {
    state(sandbox).set('current', { ...cur, misses: 0, hintsShown: { ...cur.hintsShown, [part.key]: Math.min(shown + 1, hints.length) } });
    const p = getProgress(sandbox, lesson.id);
    progressTable(sandbox).set(lesson.id, { ...p, hintsUsed: p.hintsUsed + (shown < hints.length ? 1 : 0) });
  });
  const more = i + 1 < hints.length ? '' : ' (the last hint)';
  return { ok: true, text: `Hint ${i + 1} of ${hints.length} for "${part.label}"${more}:\n  ${hints[i]}` };
}

/** The solution lines of the given steps (all by default), by step. */
export function solutionText(lesson: Lesson, upTo?: number): string {
  const steps = lesson.steps.slice(0, upTo === undefined ? lesson.steps.length : upTo + 1);
  return steps.map((s, i) => `# Step ${i + 1}: ${s.title}\n${s.solution.join('\n')}`).join('\n\n') + '\n';
}

/** Record that the learner has seen the solution of these steps (they no longer earn 'learner' credit). */
export function markSolutionSeen(sandbox: Sandbox, lessonId: string, stepIds: string[]): void {
  const p = getProgress(sandbox, lessonId);
  const seen = [...new Set([...p.solutionSeen, ...stepIds])];
  if (seen.length !== p.solutionSeen.length) sandbox.mutate(() => progressTable(sandbox).set(lessonId, { ...p, solutionSeen: seen }));
}

/**
 * "Show solution": keep the learner's world as the attempt snapshot, go back to
 * the lesson's start, and replay the solution lines up to the current step.
 * Returns what the terminal shows (each line with its output).
 */
export function replaySolution(sandbox: Sandbox, run: RunLine): { ok: boolean; text: string; exitCode: number } {
  const cur = currentLesson(sandbox);
  const lesson = cur && findLesson(sandbox, cur.lessonId);
  if (!cur || !lesson) return { ok: false, text: 'No lesson is running. Start one with: sandbox lesson start ID\n', exitCode: 1 };
  if (lesson.assessment) return { ok: false, text: 'Solutions are hidden in this assessment.\n', exitCode: 1 };
  const upTo = cur.completed ? lesson.steps.length - 1 : cur.stepIndex;
  const world = captureWorld(sandbox.db);
  sandbox.mutate(() => snapshots(sandbox).set('attempt', { taken: sandbox.now(), world, stepIndex: cur.stepIndex, done: cur.done }));
  markSolutionSeen(sandbox, lesson.id, lesson.steps.slice(0, upTo + 1).map((s) => s.id));
  applySetup(sandbox, lesson, run);
  sandbox.mutate(() => {
    state(sandbox).set('current', { ...cur, stepIndex: 0, startSeq: lastSeq(sandbox), done: {}, completed: false, misses: 0, lastMet: [] });
  });
  let text = '';
  let exitCode = 0;
  for (const s of lesson.steps.slice(0, upTo + 1)) {
    for (const line of s.solution) {
      const r = run(line);
      text += `$ ${line}\n${r.stdout}${r.stderr}`;
      if (r.exitCode !== 0) exitCode = r.exitCode;
    }
    syncLesson(sandbox);
  }
  text += 'The solution has been replayed; this lesson now counts these steps as solved with the solution.\n';
  text += 'To go back to your own attempt: sandbox lesson attempt\n';
  return { ok: true, text, exitCode };
}

/** "Back to my attempt": restore the world as it was before the solution replay. */
export function backToAttempt(sandbox: Sandbox): { ok: boolean; text: string } {
  const cur = currentLesson(sandbox);
  const snap = snapshots(sandbox).get('attempt');
  if (!cur || !snap) return { ok: false, text: 'There is no attempt to go back to (it is kept only after a solution is shown).' };
  sandbox.mutate(() => {
    restoreWorld(sandbox.db, snap.world);
    state(sandbox).set('current', { ...cur, stepIndex: snap.stepIndex ?? cur.stepIndex, done: snap.done ?? {}, completed: false, misses: 0, lastMet: [] });
    snapshots(sandbox).delete('attempt');
  });
  syncLesson(sandbox);
  return { ok: true, text: 'Your own attempt is back.' };
}
