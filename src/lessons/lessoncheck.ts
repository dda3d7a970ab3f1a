/**
 * The logic of `npm run lessons:check` (scripts/lessons-check.ts does the file
 * work and printing). For each lesson, through the same engine and Session a
 * learner uses:
 *  1. lesson.json is valid against lessons/schema.json, lesson.md has a section per step;
 *  2. `sandbox lesson start ID` succeeds and every setup line exits 0;
 *  3. before each step's solution lines, that step's goals are NOT all met
 *     (a check that cannot fail is a failure);
 *  4. after them, every goal part of the step IS met;
 *  5. at the end, `sandbox lesson check --all` exits 0 and the lesson counts as completed.
 * A solution line ending in `# fails on purpose` must exit non-zero; others must exit 0.
 * Every goal part needs at least one hint (unless the lesson is an assessment).
 */
import { Sandbox } from '../engine';
import { Session } from '../cli/session';
import type { LessonSource, Lesson } from './types';
import { parseLesson, bundledLessons, importPack } from './catalog';
import { evaluateSteps } from './checker';
import { currentLesson, getProgress } from './runtime';

export interface LessonCheckResult {
  id: string;
  ok: boolean;
  problems: string[];
  ms: number;
}

const FAILS_ON_PURPOSE = /#\s*fails on purpose\s*$/;

export function checkLessonSource(src: LessonSource, opts: { seed?: number; clock?: () => number } = {}): LessonCheckResult {
  const t0 = opts.clock?.() ?? 0;
  const parsed = parseLesson(src);
  const id = parsed.lesson?.id ?? src.path ?? '(lesson)';
  const done = (problems: string[]): LessonCheckResult => ({ id, ok: problems.length === 0, problems, ms: (opts.clock?.() ?? 0) - t0 });
  if (!parsed.lesson) return done(parsed.errors);
  const lesson: Lesson = parsed.lesson;
  const hintless = lesson.steps.flatMap((s) => s.goals.filter((g) => !g.hints?.length).map((g) => `step ${s.id}: the goal "${g.label}" has no hints`));
  if (hintless.length && !lesson.assessment) return done(hintless);
  const sandbox = new Sandbox({ seed: opts.seed ?? 1 });
  const session = new Session(sandbox);
  const problems: string[] = [];
  const bundled = bundledLessons().find((l) => l.id === lesson.id);
  if (!bundled) {
    const pack = { format: 'nimbus-lesson-pack', version: 1, id: 'lessons-check', title: 'lessons:check', lessons: [{ ...(src.json as object), text: src.markdown }] };
    const r = importPack(sandbox, JSON.stringify(pack));
    if (!r.ok) return done(r.errors);
  } else if (JSON.stringify(bundled.steps) !== JSON.stringify(lesson.steps) || JSON.stringify(bundled.setup ?? []) !== JSON.stringify(lesson.setup ?? [])) {
    problems.push('the bundled catalogue (src/lessons/catalog.generated.ts) is out of date: run npm run lessons:build');
    return done(problems);
  }
  const start = session.run(`sandbox lesson start ${lesson.id}`);
  if (start.exitCode !== 0) return done([`sandbox lesson start failed (exit ${start.exitCode}): ${start.stderr.trim()}`]);
  if (/warning:/.test(start.stderr)) problems.push(`setup: ${start.stderr.trim()}`);
  const window = () => {
    const cur = currentLesson(sandbox)!;
    return { startSeq: cur.startSeq, startClock: cur.startClock };
  };
  lesson.steps.forEach((step, i) => {
    const before = evaluateSteps(sandbox, lesson, window(), [i])[0]!;
    if (before.met) problems.push(`step ${step.id}: its goals are already met before its solution runs (the check cannot fail)`);
    for (const line of step.solution) {
      const r = session.run(line);
      const expectFail = FAILS_ON_PURPOSE.test(line);
      if (expectFail && r.exitCode === 0) problems.push(`step ${step.id}: "${line}" should fail but exited 0`);
      if (!expectFail && r.exitCode !== 0) problems.push(`step ${step.id}: "${line}" exited ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
    }
    const after = evaluateSteps(sandbox, lesson, window(), [i])[0]!;
    for (const p of after.parts) if (!p.met) problems.push(`step ${step.id}: after its solution, "${p.label}" is not met: ${p.detail}`);
    // what afterExec does in the app: record the step and move on
    session.run('sandbox lesson check');
  });
  const all = session.run('sandbox lesson check --all');
  if (all.exitCode !== 0) problems.push(`sandbox lesson check --all exited ${all.exitCode} at the end`);
  const cur = currentLesson(sandbox);
  if (!cur?.completed) problems.push('the lesson is not recorded as completed after every solution ran');
  else if (!getProgress(sandbox, lesson.id).solved) problems.push('the lesson is not recorded as solved');
  return done(problems);
}
