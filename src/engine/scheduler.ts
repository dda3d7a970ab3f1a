/**
 * Timers on the simulated clock. A service schedules `{kind, payload}` at a
 * time; advancing the clock runs every due timer in time order (ties by the
 * order they were scheduled), each inside the same transaction as the advance.
 * Handlers for a kind are registered by the services at start-up.
 */
import type { Db } from './store/db';
import { clockNow, setClock } from './clock';
import { nextCounter } from './random';

export interface TimerRow {
  id: string;
  at: number;
  seq: number;
  kind: string;
  payload: unknown;
}

export type TimerHandler = (payload: unknown, at: number) => void;

export class Scheduler {
  private readonly db: Db;
  private readonly handlers = new Map<string, (at: number, payload: unknown) => void>();

  /** Min-heap of (at, seq, id) with lazy deletion: an entry is live while its row still exists with the same seq. */
  private heap: TimerRow[] = [];

  constructor(db: Db) {
    this.db = db;
    db.table<TimerRow>('timers').watch((key, row) => {
      if (key === '') this.heap = [];
      else if (row) this.push(row);
    });
  }

  private less(a: TimerRow, b: TimerRow): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  private push(row: TimerRow): void {
    const h = this.heap;
    h.push(row);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }

  on(kind: string, handler: (payload: unknown, at: number) => void): void {
    this.handlers.set(kind, (at, payload) => handler(payload, at));
  }

  /** Schedule a timer; returns its id (to cancel it). */
  schedule(at: number, kind: string, payload: unknown): string {
    const seq = nextCounter(this.db, 'timer');
    const id = `t${seq}`;
    this.db.table<TimerRow>('timers').set(id, { id, at, seq, kind, payload });
    return id;
  }

  cancel(id: string): void {
    this.db.table<TimerRow>('timers').delete(id);
  }

  /** Cancel every timer of a kind whose payload matches. */
  cancelWhere(kind: string, pred: (payload: unknown) => boolean): void {
    const t = this.db.table<TimerRow>('timers');
    for (const row of t.filter((r) => r.kind === kind && pred(r.payload))) t.delete(row.id);
  }

  pending(): TimerRow[] {
    return [...this.db.table<TimerRow>('timers').values()].sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  private nextDue(limit: number): TimerRow | undefined {
    const table = this.db.table<TimerRow>('timers');
    while (this.heap.length) {
      const top = this.heap[0]!;
      const live = table.get(top.id);
      if (!live || live !== top) {
        // deleted, or replaced by a newer row that has its own heap entry
        this.pop();
        continue;
      }
      return top.at <= limit ? top : undefined;
    }
    return undefined;
  }

  /**
   * Move the clock to `target`, running due timers in order. The clock reads
   * each timer's own time while its handler runs. Must be called in a transaction.
   */
  advanceTo(target: number): number {
    let ran = 0;
    const now = clockNow(this.db);
    if (target < now) throw new Error('the simulated clock cannot go backwards');
    for (;;) {
      const t = this.nextDue(target);
      if (!t) break;
      this.db.table<TimerRow>('timers').delete(t.id);
      setClock(this.db, Math.max(t.at, clockNow(this.db)));
      const h = this.handlers.get(t.kind);
      if (h) h(t.at, t.payload);
      ran++;
      if (ran > 1_000_000) throw new Error('too many timers while advancing the clock');
    }
    setClock(this.db, target);
    return ran;
  }

  /** Run timers that are already due (after a command scheduled something at "now"). */
  runDue(): number {
    return this.advanceTo(clockNow(this.db));
  }
}
