import { describe, it, expect } from 'vitest';
import { Sandbox } from '../../../src/engine';

function sandboxWithLog() {
  const sb = new Sandbox({ services: [] });
  const ran: string[] = [];
  sb.scheduler.on('note', (p, at) => ran.push(`${p as string}@${at}`));
  return { sb, ran };
}

describe('Scheduler', () => {
  it('runs due timers in time order, ties in scheduling order, and moves the clock', () => {
    const { sb, ran } = sandboxWithLog();
    const t0 = sb.now();
    sb.mutate(() => {
      sb.scheduler.schedule(t0 + 3000, 'note', 'c');
      sb.scheduler.schedule(t0 + 1000, 'note', 'a');
      sb.scheduler.schedule(t0 + 1000, 'note', 'b');
      sb.scheduler.schedule(t0 + 9000, 'note', 'late');
    });
    expect(sb.advance(5000)).toBe(3);
    expect(ran).toEqual([`a@${t0 + 1000}`, `b@${t0 + 1000}`, `c@${t0 + 3000}`]);
    expect(sb.now()).toBe(t0 + 5000);
  });

  it('forgets cancelled timers and restores rolled-back ones', () => {
    const { sb, ran } = sandboxWithLog();
    const t0 = sb.now();
    const id = sb.mutate(() => sb.scheduler.schedule(t0 + 10, 'note', 'x'));
    sb.mutate(() => sb.scheduler.cancel(id));
    expect(() =>
      sb.mutate(() => {
        sb.scheduler.schedule(t0 + 20, 'note', 'rolled-back');
        throw new Error('fail');
      }),
    ).toThrow();
    sb.mutate(() => sb.scheduler.schedule(t0 + 30, 'note', 'kept'));
    sb.advance(100);
    expect(ran).toEqual([`kept@${t0 + 30}`]);
  });

  it('lets a handler schedule follow-up timers within the same advance', () => {
    const sb = new Sandbox({ services: [] });
    const ran: number[] = [];
    sb.scheduler.on('tick', (p, at) => {
      ran.push(at);
      if ((p as number) > 0) sb.scheduler.schedule(at + 1000, 'tick', (p as number) - 1);
    });
    sb.mutate(() => sb.scheduler.schedule(sb.now() + 1000, 'tick', 3));
    sb.advance(10_000);
    expect(ran.length).toBe(4);
  });
});
