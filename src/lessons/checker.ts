/**
 * The checker: evaluates a lesson's goal parts against the model (in one
 * rolled-back probe) and turns the outcome into reports and plain text. It
 * never reads terminal output.
 */
import type { Sandbox, CallLogEntry } from '../engine';
import { DEFAULT_START_MS } from '../engine';
import type { Lesson, GoalPart } from './types';
import { probe } from './probe';
import { describePredicate, evaluatePredicate, type CheckEnv } from './predicates';

export interface PartReport {
  /** Step id + goal id, unique in the lesson. */
  key: string;
  label: string;
  /** What the check compares against, in words. */
  expected: string;
  met: boolean;
  /** What was found, or what is still missing. */
  detail: string;
  hintCount: number;
}

export interface StepReport {
  index: number;
  id: string;
  title: string;
  met: boolean;
  parts: PartReport[];
}

export interface CheckWindow {
  /** Calls with a larger seq count (the learner's calls since the lesson started). */
  startSeq: number;
  /** Simulated time when the lesson started. */
  startClock: number;
}

export function goalKey(stepId: string, g: GoalPart, i: number): string {
  return `${stepId}/${g.id ?? String(i + 1)}`;
}

export function defaultWindow(lesson: Lesson): CheckWindow {
  const clock = lesson.modes?.clock ? Date.parse(lesson.modes.clock) : DEFAULT_START_MS;
  return { startSeq: 0, startClock: Number.isFinite(clock) ? clock : DEFAULT_START_MS };
}

/** Evaluate the given steps (all when omitted) against the current state. */
export function evaluateSteps(sandbox: Sandbox, lesson: Lesson, window: CheckWindow, indexes?: number[]): StepReport[] {
  const which = indexes ?? lesson.steps.map((_, i) => i);
  const config = sandbox.config();
  const calls: CallLogEntry[] = sandbox.callLog().filter((c) => c.seq > window.startSeq);
  return probe(sandbox, (api) => {
    const env: CheckEnv = { sandbox, api, region: lesson.region, calls, config, startClock: window.startClock };
    return which
      .filter((i) => i >= 0 && i < lesson.steps.length)
      .map((i) => {
        const step = lesson.steps[i]!;
        const parts = step.goals.map((g, gi): PartReport => {
          const o = evaluatePredicate(g.check, env);
          return { key: goalKey(step.id, g, gi), label: g.label, expected: describePredicate(g.check, lesson.region), met: o.met, detail: o.detail, hintCount: g.hints?.length ?? 0 };
        });
        return { index: i, id: step.id, title: step.title, met: parts.every((p) => p.met), parts };
      });
  });
}

export function formatPart(p: PartReport, note?: string): string {
  const lines = [`  [${p.met ? 'x' : ' '}] ${p.label}${note ? ` (${note})` : ''}`];
  if (p.met) lines.push(`      ${p.detail}`);
  else {
    lines.push(`      still missing: ${p.detail}`);
    lines.push(`      compared against: ${p.expected}`);
  }
  return lines.join('\n');
}

export function formatStep(r: StepReport, total: number, done?: 'learner' | 'solution'): string {
  const head = `Step ${r.index + 1} of ${total}: ${r.title}`;
  if (done && !r.met) return `${head}\n  done earlier${done === 'solution' ? ' (with the solution shown)' : ''}; the goals no longer hold now, which later steps may expect.`;
  return [head, ...r.parts.map((p) => formatPart(p))].join('\n');
}
