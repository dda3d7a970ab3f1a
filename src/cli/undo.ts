/**
 * Undo and redo of whole terminal lines. Whoever owns the Session (the Worker,
 * the headless runner) keeps one UndoStack per sandbox and, after each line,
 * calls `undo.record(sandbox.takeChanges(), line)` (before or after saving
 * them). `sandbox undo` / `sandbox redo` find the stack with `getUndoStack`.
 *
 * An entry is the line's net Change[] (from the engine's journal). Undo
 * applies it backward inside one `sandbox.mutate`, so the undo is itself a
 * normal atomic change that persistence saves. Terminal history and the
 * shell's own state (folder, variables) are not undone.
 */
import type { Sandbox, Change } from '../engine';

export interface UndoEntry {
  /** What the learner typed (or 'edit FILE' for an editor save). */
  label: string;
  changes: Change[];
  /** Bytes of bodies the entry keeps alive (for the memory bound). */
  bytes: number;
}

/** Bytes of blob bodies referenced by a change list (before and after). */
function bodyBytes(changes: Change[]): number {
  let n = 0;
  const seen = new Set<unknown>();
  for (const c of changes) {
    for (const v of [c.value, c.prev]) {
      const b = (v as { bytes?: unknown } | undefined)?.bytes;
      if (b instanceof Uint8Array && !seen.has(b)) {
        seen.add(b);
        n += b.byteLength;
      }
    }
  }
  return n;
}

export interface UndoOutcome {
  entry: UndoEntry;
  /** One line per table: "s3.buckets: 1 removed". */
  summary: string[];
}

/** Rows that undo leaves alone: terminal history and the shell's state. */
export function isUndoExcluded(c: Change): boolean {
  if (c.table === 'history' || c.table.endsWith('.history')) return true;
  if (c.table === 'meta' && (c.key === 'shell' || c.key.startsWith('history') || c.key === 'counter:history')) return true;
  return false;
}

const REGISTRY = new WeakMap<Sandbox, UndoStack>();

/** Make `stack` the undo stack of `sandbox` (what `sandbox undo` uses). */
export function attachUndoStack(sandbox: Sandbox, stack: UndoStack): UndoStack {
  REGISTRY.set(sandbox, stack);
  return stack;
}

export function getUndoStack(sandbox: Sandbox): UndoStack | undefined {
  return REGISTRY.get(sandbox);
}

export class UndoStack {
  private done: UndoEntry[] = [];
  private undone: UndoEntry[] = [];
  /** Changes made by the last undo/redo, to leave out of the next record(). */
  private applied: Change[] | null = null;

  /**
   * @param limit most lines kept
   * @param maxBytes most bytes of object/file bodies kept alive by the entries
   *   (a big upload is still undoable on its own, but pushes older lines out)
   */
  constructor(
    readonly limit = 50,
    readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }
  get canRedo(): boolean {
    return this.undone.length > 0;
  }
  get size(): { undo: number; redo: number } {
    return { undo: this.done.length, redo: this.undone.length };
  }

  /** Forget everything (after import or reset). */
  clear(): void {
    this.done = [];
    this.undone = [];
    this.applied = null;
  }

  /** Record one line's changes. Empty lines (nothing undoable) are not recorded. */
  record(changes: Change[], label = ''): void {
    let list = changes.filter((c) => !isUndoExcluded(c));
    if (this.applied) {
      const applied = new Map(this.applied.map((c) => [c.table + '\u0000' + c.key, c]));
      this.applied = null;
      // leave out what the undo/redo itself wrote (unless the same line changed the row again)
      list = list.filter((c) => {
        const a = applied.get(c.table + '\u0000' + c.key);
        return !a || a.value !== c.value;
      });
    }
    if (!list.length) return;
    this.done.push({ label, changes: list, bytes: bodyBytes(list) });
    if (this.done.length > this.limit) this.done.splice(0, this.done.length - this.limit);
    let total = this.done.reduce((n, e) => n + e.bytes, 0);
    while (total > this.maxBytes && this.done.length > 1) total -= this.done.shift()!.bytes;
    this.undone = [];
  }

  /** Undo the last recorded line. Returns null when there is nothing to undo. */
  undo(sandbox: Sandbox): UndoOutcome | null {
    const entry = this.done.pop();
    if (!entry) return null;
    try {
      this.applied = sandbox.mutate((sb) => {
        sb.db.apply(entry.changes, 'backward');
        return entry.changes.map((c) => ({ ...c, value: sb.db.table(c.table).get(c.key) }));
      });
    } catch (e) {
      this.done.push(entry);
      throw e;
    }
    this.undone.push(entry);
    return { entry, summary: summarise(entry.changes, 'backward') };
  }

  /** Redo the last undone line. */
  redo(sandbox: Sandbox): UndoOutcome | null {
    const entry = this.undone.pop();
    if (!entry) return null;
    try {
      this.applied = sandbox.mutate((sb) => {
        sb.db.apply(entry.changes, 'forward');
        return entry.changes.map((c) => ({ ...c, value: sb.db.table(c.table).get(c.key) }));
      });
    } catch (e) {
      this.undone.push(entry);
      throw e;
    }
    this.done.push(entry);
    return { entry, summary: summarise(entry.changes, 'forward') };
  }
}

/** Group changes by table as "N added, N changed, N removed" in the direction they are applied. */
export function summarise(changes: Change[], direction: 'forward' | 'backward'): string[] {
  const by = new Map<string, { added: number; changed: number; removed: number; keys: string[] }>();
  for (const c of changes) {
    const before = direction === 'forward' ? c.prev : c.value;
    const after = direction === 'forward' ? c.value : c.prev;
    const t = by.get(c.table) ?? { added: 0, changed: 0, removed: 0, keys: [] };
    t.keys.push(c.key);
    if (before === undefined) t.added++;
    else if (after === undefined) t.removed++;
    else t.changed++;
    by.set(c.table, t);
  }
  const out: string[] = [];
  for (const [table, t] of [...by].sort((a, b) => a[0].localeCompare(b[0]))) {
    const parts: string[] = [];
    if (t.added) parts.push(`${t.added} added`);
    if (t.changed) parts.push(`${t.changed} changed`);
    if (t.removed) parts.push(`${t.removed} removed`);
    out.push(`${table}: ${parts.join(', ')}${t.keys.length <= 3 ? ` (${t.keys.join(', ')})` : ''}`);
  }
  return out;
}
