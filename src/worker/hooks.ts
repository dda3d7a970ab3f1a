/**
 * Extension points of the Worker host for other layers (the lesson checker).
 *
 * - `registerAfterExec(fn)`: called after every terminal line (undo and redo
 *   included), editor save, import and reset, with the sandbox already holding the new state.
 *   A hook may change state (lesson progress) through `sandbox.mutate`; those
 *   changes are saved in the same IndexedDB transaction as the line's.
 * - `setLessonIdProvider(fn)`: where Status.lessonId comes from.
 *
 * The Worker and the headless runner import `src/lessons/worker.ts`, where the
 * lessons layer registers its hooks.
 */
import type { Sandbox } from '../engine/sandbox';
import type { Session } from '../cli/session';
import type { LineResult } from '../cli/types';

/** 'exec' covers every terminal line, including `sandbox undo` / `redo` and the UI's undo button. */
export type AfterExecKind = 'exec' | 'edit' | 'import' | 'reset' | 'start';

export interface AfterExecEvent {
  kind: AfterExecKind;
  /** The terminal line ('exec'), or 'edit PATH' for an editor save. */
  line?: string;
  result?: LineResult;
  sandbox: Sandbox;
  session: Session;
}

export type AfterExecHook = (ev: AfterExecEvent) => void | Promise<void>;

const HOOKS: AfterExecHook[] = [];
let lessonIdProvider: ((sandbox: Sandbox) => string | null) | null = null;

/** Run `fn` after every change of state. Returns a function that removes it. */
export function registerAfterExec(fn: AfterExecHook): () => void {
  HOOKS.push(fn);
  return () => {
    const i = HOOKS.indexOf(fn);
    if (i >= 0) HOOKS.splice(i, 1);
  };
}

export function setLessonIdProvider(fn: ((sandbox: Sandbox) => string | null) | null): void {
  lessonIdProvider = fn;
}

export function currentLessonId(sandbox: Sandbox): string | null {
  try {
    return lessonIdProvider ? lessonIdProvider(sandbox) : null;
  } catch {
    return null;
  }
}

/** Run every hook; a failing hook is reported on the console and does not stop the others. */
export async function runAfterExec(ev: AfterExecEvent): Promise<void> {
  for (const h of [...HOOKS]) {
    try {
      await h(ev);
    } catch (e) {
      console.error('after-exec hook failed', e);
    }
  }
}
