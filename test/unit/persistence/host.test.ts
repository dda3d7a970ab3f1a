import 'fake-indexeddb/auto';
import { describe, it, expect, vi } from 'vitest';
import { NimbusHost, FOLLOWER_MESSAGE, FOLLOW_MS, type LockManagerLike } from '../../../src/worker/host';
import { registerAfterExec } from '../../../src/worker/hooks';
import type { Status } from '../../../src/worker/protocol';
import { COMPACT_AFTER } from '../../../src/worker/persistence';
import { openDB } from 'idb';

/** A minimal Web Locks stand-in: exclusive locks, ifAvailable, queued waiters. */
class FakeLocks implements LockManagerLike {
  private held = new Set<string>();
  private waiters = new Map<string, (() => void)[]>();
  async request(name: string, options: { ifAvailable?: boolean }, cb: (lock: unknown) => unknown): Promise<unknown> {
    if (this.held.has(name)) {
      if (options.ifAvailable) return cb(null);
      await new Promise<void>((r) => this.waiters.set(name, [...(this.waiters.get(name) ?? []), r]));
    }
    this.held.add(name);
    try {
      return await cb({ name });
    } finally {
      this.held.delete(name);
      const next = this.waiters.get(name)?.shift();
      next?.();
    }
  }
}

let n = 0;
const dbName = () => `nimbus-host-${++n}`;

describe('Worker host', () => {
  it('runs a line, saves it before answering, and a new host (reload) gets everything back', async () => {
    const name = dbName();
    const locks = new FakeLocks();
    const a = new NimbusHost({ dbName: name, locks });
    const { status } = await a.start({});
    expect(status.save).toBe('saved');
    await a.writeFile('notes.txt', 'remember me');
    const r = await a.exec('sandbox clock advance 2h');
    expect(r.exitCode).toBe(0);
    expect(r.status.clock).toBe(Date.UTC(2026, 0, 5, 11, 0, 0));
    await a.exec('sandbox quota set s3-buckets 100');
    a.close();

    const b = new NimbusHost({ dbName: name, locks });
    const started = await b.start({});
    expect(started.status.save).toBe('saved');
    expect(started.status.clock).toBe(Date.UTC(2026, 0, 5, 11, 0, 0));
    expect(started.history).toEqual(['sandbox clock advance 2h', 'sandbox quota set s3-buckets 100']);
    expect(await b.readFile('notes.txt')).toEqual({ ok: true, text: 'remember me' });
    expect(await b.listFiles()).toEqual(['notes.txt']);
    expect((await b.exec('sandbox status --json')).stdout).toContain('"value": 100');
    b.close();
  });

  it('a second tab becomes a follower with a clear message and never writes', async () => {
    const name = dbName();
    const locks = new FakeLocks();
    const owner = new NimbusHost({ dbName: name, locks });
    await owner.start({});
    await owner.writeFile('mine.txt', 'owner');
    const follower = new NimbusHost({ dbName: name, locks });
    const { status } = await follower.start({});
    expect(status.save).toBe('follower');
    expect(status.saveMessage).toBe(FOLLOWER_MESSAGE);
    expect(await follower.readFile('mine.txt')).toEqual({ ok: true, text: 'owner' });
    await follower.writeFile('mine.txt', 'follower');
    await follower.exec('sandbox clock advance 1d');
    owner.close();
    follower.close();
    const again = new NimbusHost({ dbName: name, locks: new FakeLocks() });
    const s = await again.start({});
    expect(await again.readFile('mine.txt')).toEqual({ ok: true, text: 'owner' });
    expect(s.status.clock).toBe(Date.UTC(2026, 0, 5, 9, 0, 0));
    again.close();
  });

  it('a follower follows the owner\'s saved changes until something is run in it', async () => {
    const name = dbName();
    const locks = new FakeLocks();
    const owner = new NimbusHost({ dbName: name, locks });
    await owner.start({});
    const follower = new NimbusHost({ dbName: name, locks });
    expect((await follower.start({})).status.save).toBe('follower');
    await owner.exec('sandbox clock advance 1h');
    await owner.writeFile('shared.txt', 'from the owner');
    await vi.waitFor(async () => expect((await follower.status()).clock).toBe(Date.UTC(2026, 0, 5, 10, 0, 0)), { timeout: 3000, interval: 20 });
    await vi.waitFor(async () => expect(await follower.readFile('shared.txt')).toEqual({ ok: true, text: 'from the owner' }), { timeout: 3000, interval: 20 });
    // the learner works in the follower: it stops following
    await follower.exec('sandbox clock advance 1m');
    await owner.exec('sandbox clock advance 1d');
    await new Promise((r) => setTimeout(r, FOLLOW_MS * 3));
    expect((await follower.status()).clock).toBe(Date.UTC(2026, 0, 5, 10, 1, 0));
    owner.close();
    follower.close();
  });

  it('a follower that did nothing takes over when the owner tab closes', async () => {
    const name = dbName();
    const locks = new FakeLocks();
    const owner = new NimbusHost({ dbName: name, locks });
    await owner.start({});
    const follower = new NimbusHost({ dbName: name, locks });
    const seen: Status[] = [];
    await follower.start({});
    await follower.subscribe((s) => seen.push(s));
    await owner.exec('sandbox clock advance 1h');
    owner.close();
    await vi.waitFor(() => expect(seen.at(-1)?.save).toBe('saved'), { timeout: 5000, interval: 10 });
    const st = await follower.status();
    expect(st.save).toBe('saved');
    expect(st.clock).toBe(Date.UTC(2026, 0, 5, 10, 0, 0));
    await follower.exec('sandbox clock advance 1h');
    follower.close();
    const again = new NimbusHost({ dbName: name, locks: new FakeLocks() });
    expect((await again.start({})).status.clock).toBe(Date.UTC(2026, 0, 5, 11, 0, 0));
    again.close();
  });

  it('fresh=1 is a scratch sandbox that never touches the saved one; run lines skip history', async () => {
    const name = dbName();
    const locks = new FakeLocks();
    const owner = new NimbusHost({ dbName: name, locks });
    await owner.start({});
    await owner.exec('sandbox quota set s3-buckets 5');
    owner.close();
    const scratch = new NimbusHost({ dbName: name, locks });
    const { status, history } = await scratch.start({ fresh: true, run: ['sandbox clock advance 30m'] });
    expect(status.save).toBe('scratch');
    expect(status.clock).toBe(Date.UTC(2026, 0, 5, 9, 30, 0));
    expect(history).toEqual([]);
    expect((await scratch.exec('sandbox status --json')).stdout).not.toContain('"value": 5');
    scratch.close();
  });

  it('export, import and reset replace the saved state; undo/redo through the API', async () => {
    const name = dbName();
    const locks = new FakeLocks();
    const h = new NimbusHost({ dbName: name, locks });
    await h.start({});
    await h.exec('sandbox quota set ecs-clusters 3');
    const json = await h.exportState();
    await h.exec('sandbox clock advance 1d');
    const u = await h.undo();
    expect(u.stdout).toContain('Undone: sandbox clock advance 1d');
    expect(u.status.undo).toEqual({ undo: 1, redo: 1 });
    expect((await h.redo()).status.clock).toBe(Date.UTC(2026, 0, 6, 9, 0, 0));
    expect(await h.importState('{"format":"x"}')).toMatchObject({ ok: false });
    await h.reset();
    expect((await h.status()).clock).toBe(Date.UTC(2026, 0, 5, 9, 0, 0));
    expect(await h.importState(json)).toEqual({ ok: true });
    h.close();
    const again = new NimbusHost({ dbName: name, locks });
    await again.start({});
    expect((await again.exec('sandbox status --json')).stdout).toContain('"ecs-clusters"');
    expect((await again.history())).toContain('sandbox quota set ecs-clusters 3');
    again.close();
  });

  it('without IndexedDB (private mode) the status says memory-only and the sandbox works', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error simulate a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const h = new NimbusHost({ dbName: dbName(), locks: new FakeLocks() });
      const { status } = await h.start({});
      expect(status.save).toBe('memory-only');
      expect(status.saveMessage).toMatch(/nothing is kept/);
      const r = await h.exec('sandbox clock advance 1h');
      expect(r.exitCode).toBe(0);
      expect(r.status.save).toBe('memory-only');
      expect(r.status.clock).toBe(Date.UTC(2026, 0, 5, 10, 0, 0));
      h.close();
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('compacts the saved log once it has grown and the terminal is idle', async () => {
    const name = dbName();
    const h = new NimbusHost({ dbName: name, locks: null });
    await h.start({});
    for (let i = 0; i < COMPACT_AFTER + 6; i++) await h.exec(`sandbox clock advance ${i + 1}s`);
    const raw = await openDB(name);
    expect(await raw.count('log')).toBeGreaterThanOrEqual(COMPACT_AFTER);
    await vi.waitFor(async () => expect(await raw.count('log')).toBe(0), { timeout: 5000, interval: 50 });
    raw.close();
    const clock = (await h.status()).clock;
    h.close();
    const again = new NimbusHost({ dbName: name, locks: null });
    expect((await again.start({})).status.clock).toBe(clock);
    again.close();
  });

  it('a burst of lines gives subscribers one update with the latest status', async () => {
    const h = new NimbusHost({ dbName: dbName(), locks: null });
    await h.start({ fresh: true });
    const seen: Status[] = [];
    await h.subscribe((s) => seen.push(s));
    await Promise.all(Array.from({ length: 5 }, () => h.exec('sandbox clock advance 1m')));
    await vi.waitFor(() => expect(seen.at(-1)?.clock).toBe(Date.UTC(2026, 0, 5, 9, 5, 0)), { timeout: 2000, interval: 5 });
    expect(seen.length).toBeLessThan(5);
    const before = seen.length;
    await h.exec('sandbox clock advance 1m');
    await vi.waitFor(() => expect(seen.at(-1)?.clock).toBe(Date.UTC(2026, 0, 5, 9, 6, 0)), { timeout: 2000, interval: 5 });
    expect(seen.length).toBe(before + 1);
    h.close();
  });

  it('runs after-exec hooks after lines and editor saves; their changes are saved too', async () => {
    const name = dbName();
    const kinds: string[] = [];
    const off = registerAfterExec((ev) => {
      kinds.push(ev.kind);
      if (ev.kind === 'exec') ev.sandbox.mutate((sb) => sb.db.table('lessons.test').set('last', { line: ev.line ?? '' }));
    });
    try {
      const h = new NimbusHost({ dbName: name, locks: null });
      await h.start({});
      await h.exec('echo hi');
      await h.writeFile('a.txt', 'x');
      h.close();
      expect(kinds).toEqual(['start', 'exec', 'edit']);
    } finally {
      off();
    }
    const again = new NimbusHost({ dbName: name, locks: null });
    await again.start({});
    const state = JSON.parse(await again.exportState());
    expect(state.tables['lessons.test'].last).toEqual({ line: 'echo hi' });
    again.close();
  });
});
