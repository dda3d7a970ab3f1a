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

  constructor(db: Db) {
    this.db = db;
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
    let best: TimerRow | undefined;
    for (const r of this.db.table<TimerRow>('timers').values()) {
      if (r.at > limit) continue;
      if (!best || r.at < best.at || (r.at === best.at && r.seq < best.seq)) best = r;
    }
    return best;
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
