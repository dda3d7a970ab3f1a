/**
 * Guided lessons: the public surface for the CLI (`sandbox lesson ...`), the
 * Worker (afterExec after every command and editor save), the headless runner
 * (`--check-lesson ID`) and the lesson panel (the 'lessons' view).
 */
import type { Sandbox } from '../engine';
import { registerView } from '../engine/views';
import { exportState } from '../engine/snapshot';
import { allLessons, findLesson } from './catalog';
import {
  syncLesson,
  currentLesson,
  getProgress,
  allProgress,
  hasAttemptSnapshot,
  checkLessonReport as report,
  MISSES_BEFORE_HINT,
  type LessonUpdate,
} from './runtime';
import { recording, recordLine, recordEdit } from './record';
import { evaluateSteps } from './checker';

export * from './types';
export { allLessons, findLesson, bundledLessons, importPack, parseLesson, splitMarkdown, lessonSchema, PACKS_TABLE } from './catalog';
export {
  startLesson,
  resetLesson,
  exitLesson,
  syncLesson,
  checkCurrent,
  nextHint,
  solutionText,
  replaySolution,
  backToAttempt,
  markSolutionSeen,
  currentLesson,
  getProgress,
  allProgress,
  applySetup,
  STATE_TABLE,
  PROGRESS_TABLE,
  SNAPSHOT_TABLE,
  type LessonUpdate,
  type Progress,
  type CurrentLesson,
  type RunLine,
} from './runtime';
export { evaluateSteps, formatStep, type StepReport, type PartReport } from './checker';
export { describePredicate, evaluatePredicate, PREDICATE_TYPES } from './predicates';
export { recordStart, recordStop, recording, recordEdit, proposeGoals } from './record';
export { validateSchema } from './validate';

/**
 * The goal report of a lesson for the headless runner's `--check-lesson ID`:
 * every step of the lesson, met now or recorded as done in this state.
 * `ok`/`allMet` true and exitCode 0 only when every goal is met.
 */
export function checkLessonReport(sandbox: Sandbox, lessonId: string, opts: { nowOnly?: boolean } = {}): { text: string; allMet: boolean; ok: boolean; exitCode: number } {
  const r = report(sandbox, lessonId, opts);
  return { ...r, ok: r.allMet };
}

/**
 * Call after every terminal line and editor save (the Worker's after-exec
 * hook, the runner). Keeps the author's recording, checks the running lesson,
 * records finished steps. Returns the update for the panel, or null when no
 * lesson runs.
 */
export function afterExec(sandbox: Sandbox, _session?: unknown, line?: string, opts: { editedPath?: string } = {}): LessonUpdate | null {
  if (opts.editedPath !== undefined) recordEdit(sandbox, opts.editedPath);
  else if (line !== undefined && recording(sandbox)) recordLine(sandbox, line);
  if (!currentLesson(sandbox)) return null;
  const isLessonCommand = line !== undefined && /^\s*sandbox\s+(lessons?|progress)\b/.test(line);
  return syncLesson(sandbox, { countMiss: line !== undefined && line.trim() !== '' && !isLessonCommand });
}

/** The lesson currently running, for the Worker's Status.lessonId. */
export function currentLessonId(sandbox: Sandbox): string | null {
  return currentLesson(sandbox)?.lessonId ?? null;
}

/** The learner's progress file: a full state export (loadable with --state) plus a readable summary. */
export function progressExport(sandbox: Sandbox): Record<string, unknown> {
  const lessons = allLessons(sandbox);
  const cur = currentLesson(sandbox);
  const summary = lessons
    .map((l) => ({ l, p: getProgress(sandbox, l.id) }))
    .filter(({ p }) => p.attempts > 0)
    .map(({ l, p }) => ({
      id: l.id,
      title: l.title,
      attempts: p.attempts,
      solved: p.solved,
      solvedWithSolution: p.solvedWithSolution,
      stepsDone: l.steps.filter((s) => p.steps[s.id] || (cur?.lessonId === l.id && cur.done[s.id])).map((s) => ({ id: s.id, by: cur?.lessonId === l.id && cur.done[s.id] ? cur.done[s.id] : p.steps[s.id] })),
      steps: l.steps.length,
      hintsUsed: p.hintsUsed,
      solutionSeen: p.solutionSeen,
    }));
  return { ...exportState(sandbox), progress: { currentLesson: cur?.lessonId ?? null, lessons: summary } };
}

// ------------------------------------------------------------------ the panel's view

export interface LessonsView {
  tracks: { track: string; lessons: { id: string; title: string; order: number; minutes: number; summary?: string; solved: boolean; solvedWithSolution: boolean; started: boolean; source: string }[] }[];
  current: null | {
    id: string;
    title: string;
    track: string;
    region: string;
    minutes: number;
    intro: string;
    assessment: boolean;
    stepIndex: number;
    completed: boolean;
    steps: { id: string; title: string; text: string; done: 'learner' | 'solution' | null; goals: { label: string; met: boolean; detail: string; expected: string; hints: number }[] }[];
    offerHint: boolean;
    hasAttempt: boolean;
    prev: string | null;
    next: string | null;
  };
}

export function lessonsView(sandbox: Sandbox): LessonsView {
  const lessons = allLessons(sandbox);
  const tracks = new Map<string, LessonsView['tracks'][number]>();
  for (const l of lessons) {
    const p = getProgress(sandbox, l.id);
    const t = tracks.get(l.track) ?? { track: l.track, lessons: [] };
    t.lessons.push({ id: l.id, title: l.title, order: l.order, minutes: l.minutes, ...(l.summary ? { summary: l.summary } : {}), solved: p.solved, solvedWithSolution: p.solvedWithSolution, started: p.attempts > 0, source: l.source });
    tracks.set(l.track, t);
  }
  const cur = currentLesson(sandbox);
  const lesson = cur && findLesson(sandbox, cur.lessonId);
  let current: LessonsView['current'] = null;
  if (cur && lesson) {
    const idx = lessons.findIndex((l) => l.id === lesson.id);
    const live = cur.completed ? [] : evaluateSteps(sandbox, lesson, { startSeq: cur.startSeq, startClock: cur.startClock }, [cur.stepIndex]);
    const liveStep = live[0];
    current = {
      id: lesson.id,
      title: lesson.title,
      track: lesson.track,
      region: lesson.region,
      minutes: lesson.minutes,
      intro: lesson.intro,
      assessment: !!lesson.assessment,
      stepIndex: cur.stepIndex,
      completed: cur.completed,
      steps: lesson.steps.map((s, i) => ({
        id: s.id,
        title: s.title,
        text: lesson.stepText[s.id] ?? '',
        done: cur.done[s.id] ?? null,
        goals: s.goals.map((g, gi) => {
          const part = liveStep && liveStep.index === i ? liveStep.parts[gi] : undefined;
          const done = !!cur.done[s.id];
          return { label: g.label, met: part ? part.met : done, detail: part?.detail ?? '', expected: part?.expected ?? '', hints: lesson.assessment ? 0 : g.hints?.length ?? 0 };
        }),
      })),
      offerHint: !lesson.assessment && !cur.completed && cur.misses >= MISSES_BEFORE_HINT && !!liveStep?.parts.some((p) => !p.met && p.hintCount > 0),
      hasAttempt: hasAttemptSnapshot(sandbox),
      prev: idx > 0 ? lessons[idx - 1]!.id : null,
      next: idx >= 0 && idx + 1 < lessons.length ? lessons[idx + 1]!.id : null,
    };
  }
  return { tracks: [...tracks.values()], current };
}

registerView('lessons', (sandbox) => lessonsView(sandbox));
void allProgress;
