import 'fake-indexeddb/auto';
import { describe, it, expect, afterEach } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Persistence, SCHEMA_VERSION, MESSAGES, MIGRATIONS } from '../../../src/worker/persistence';
import { md5Hex } from '../../../src/engine/store/blobs';
import { openDB } from 'idb';

let n = 0;
const dbName = () => `nimbus-test-${++n}`;

function writeFile(sb: Sandbox, path: string, text: string): void {
  sb.mutate((s) => s.vfs.writeText(path, text));
}

describe('IndexedDB persistence', () => {
  const origPut = IDBObjectStore.prototype.put;
  afterEach(() => {
    IDBObjectStore.prototype.put = origPut;
  });

  it('creates the schema with a version and loads a fresh sandbox the first time', async () => {
    const name = dbName();
    const p = await Persistence.open({ name });
    expect(p.mode).toBe('saved');
    const { sandbox, empty } = await p.load();
    expect(empty).toBe(true);
    const stats = await p.stats();
    expect(stats!.packs).toBeGreaterThan(0); // the fresh world was written whole, in packs
    expect(stats!.rows).toBe(0);
    p.close();
    const raw = await openDB(name);
    expect(raw.version).toBe(SCHEMA_VERSION);
    expect([...raw.objectStoreNames].sort()).toEqual(['blobs', 'log', 'meta', 'packs', 'rows']);
    expect(await raw.get('meta', 'format')).toEqual({ schema: SCHEMA_VERSION });
    raw.close();
    expect(sandbox.now()).toBeGreaterThan(0);
  });

  it('migrates a version 1 database in order, keeping its data', async () => {
    const name = dbName();
    // a database as version 1 wrote it
    const v1 = await openDB(name, 1, { upgrade: (db, _o, _n, tx) => { MIGRATIONS[0]!(db as never, tx as never); } });
    const fresh = new Sandbox();
    fresh.mutate((s) => s.vfs.writeText('/home/learner/old.txt', 'from v1'));
    for (const t of fresh.db.tableNames()) {
      if (t === 'blobs') continue;
      for (const [k, v] of fresh.db.table(t).entries()) await v1.put('rows', v, [t, k]);
    }
    for (const [id, b] of fresh.db.table<{ bytes: Uint8Array; md5: string; refs: number }>('blobs').entries()) {
      await v1.put('blobs', { blob: new Blob([b.bytes as Uint8Array<ArrayBuffer>]), md5: b.md5, refs: b.refs }, id);
    }
    v1.close();
    const p = await Persistence.open({ name });
    expect(p.mode).toBe('saved');
    const { sandbox, empty } = await p.load();
    expect(empty).toBe(false);
    expect(sandbox.vfs.readText('/home/learner/old.txt')).toBe('from v1');
    writeFile(sandbox, '/home/learner/new.txt', 'v2');
    expect(await p.save(sandbox.takeChanges())).toBe(true);
    p.close();
    const raw = await openDB(name);
    expect(raw.version).toBe(SCHEMA_VERSION);
    expect(await raw.count('log')).toBe(1);
    raw.close();
  });

  it('writes a line as one log record (small bodies as bytes), replays it on load, and compacts it into the tables', async () => {
    const name = dbName();
    const p = await Persistence.open({ name });
    const { sandbox } = await p.load();
    writeFile(sandbox, '/home/learner/notes.txt', 'hello blobs');
    sandbox.advance(60_000);
    expect(await p.save(sandbox.takeChanges())).toBe(true);
    expect(await p.stats()).toMatchObject({ log: 1, blobs: 0 });
    const raw = await openDB(name);
    const [rec] = await raw.getAll('log');
    expect(rec.blobs).toHaveLength(1);
    expect(rec.blobs[0].bytes).toBeInstanceOf(Uint8Array);
    expect(rec.blobs[0].blob).toBeUndefined();
    expect(rec.rows.length).toBeGreaterThan(1);
    raw.close();

    // a reload before compaction replays the log
    const { sandbox: replayed } = await (await Persistence.open({ name })).load();
    expect(replayed.vfs.readText('/home/learner/notes.txt')).toBe('hello blobs');
    expect(replayed.now()).toBe(sandbox.now());

    expect(await p.compact()).toBe(true);
    expect(p.pendingLog).toBe(0);
    expect(await p.stats()).toMatchObject({ log: 0, blobs: 1 });
    p.close();
    const raw2 = await openDB(name);
    const stored = await raw2.getAll('blobs');
    expect(new TextDecoder().decode(stored[0].bytes)).toBe('hello blobs');
    expect(stored[0].md5).toBe(md5Hex(new TextEncoder().encode('hello blobs')));
    raw2.close();

    const p2 = await Persistence.open({ name });
    const { sandbox: again, empty } = await p2.load();
    expect(empty).toBe(false);
    expect(again.vfs.readText('/home/learner/notes.txt')).toBe('hello blobs');
    expect(again.now()).toBe(sandbox.now());
    // new blobs do not reuse an id that is already taken
    writeFile(again, '/home/learner/b.txt', 'second');
    expect(again.vfs.readText('/home/learner/notes.txt')).toBe('hello blobs');
    expect(again.vfs.blobId('/home/learner/b.txt')).not.toBe(again.vfs.blobId('/home/learner/notes.txt'));
    p2.close();
  });

  for (const compactBetween of [false, true]) {
    it(`deletes removed rows and blobs, and keeps the stored Blob when only refs change (compacting ${compactBetween ? 'after each line' : 'at the end'})`, async () => {
      const name = dbName();
      const p = await Persistence.open({ name });
      const { sandbox } = await p.load();
      const line = async (fn: (s: Sandbox) => void) => {
        sandbox.mutate(fn);
        await p.save(sandbox.takeChanges());
        if (compactBetween) await p.compact();
      };
      await line((s) => s.vfs.writeText('/home/learner/a.txt', 'AAA'));
      const id = sandbox.vfs.blobId('/home/learner/a.txt')!;
      await line((s) => s.vfs.linkBlob('/home/learner/copy.txt', id));
      await line((s) => s.vfs.remove('/home/learner/a.txt'));
      const { sandbox: replayed } = await (await Persistence.open({ name })).load();
      expect(replayed.vfs.exists('/home/learner/a.txt')).toBe(false);
      expect(replayed.vfs.readText('/home/learner/copy.txt')).toBe('AAA');
      await p.compact();
      const raw = await openDB(name);
      expect(await raw.get('blobs', id)).toMatchObject({ refs: 1 });
      expect(await raw.get('rows', ['fs', '/home/learner/a.txt'])).toBeUndefined();
      raw.close();
      await line((s) => s.vfs.remove('/home/learner/copy.txt'));
      await p.compact();
      expect(await p.stats()).toMatchObject({ blobs: 0, log: 0 });
      const { sandbox: again } = await (await Persistence.open({ name })).load();
      expect(again.vfs.exists('/home/learner/copy.txt')).toBe(false);
      p.close();
    });
  }

  it('a line whose write fails leaves the previous state intact', async () => {
    const name = dbName();
    const p = await Persistence.open({ name });
    const { sandbox } = await p.load();
    writeFile(sandbox, '/home/learner/keep.txt', 'v1');
    await p.save(sandbox.takeChanges());

    writeFile(sandbox, '/home/learner/keep.txt', 'v2');
    writeFile(sandbox, '/home/learner/new.txt', 'new');
    sandbox.advance(3_600_000);
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('simulated crash', 'UnknownError');
    } as unknown as IDBObjectStore['put'];
    expect(await p.save(sandbox.takeChanges())).toBe(false);
    IDBObjectStore.prototype.put = origPut;
    expect(p.mode).toBe('memory-only');
    expect(p.message).toMatch(/Saving failed/);
    p.close();

    const { sandbox: again } = await (await Persistence.open({ name })).load();
    expect(again.vfs.readText('/home/learner/keep.txt')).toBe('v1');
    expect(again.vfs.exists('/home/learner/new.txt')).toBe(false);
    expect(again.now()).toBe(new Sandbox().now());
  });

  it('a compaction that fails half-way loses nothing: the log is kept and replayed', async () => {
    const name = dbName();
    const p = await Persistence.open({ name });
    const { sandbox } = await p.load();
    for (let i = 0; i < 5; i++) {
      writeFile(sandbox, `/home/learner/f${i}.txt`, `file ${i}`);
      sandbox.advance(60_000);
      await p.save(sandbox.takeChanges());
    }
    let puts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++puts === 3) throw new DOMException('simulated crash', 'UnknownError');
      return origPut.apply(this, args);
    } as IDBObjectStore['put'];
    expect(await p.compact()).toBe(false);
    IDBObjectStore.prototype.put = origPut;
    expect(puts).toBeGreaterThanOrEqual(3);
    p.close();

    const p2 = await Persistence.open({ name });
    expect(await p2.stats()).toMatchObject({ log: 5, blobs: 0 });
    const { sandbox: again } = await p2.load();
    for (let i = 0; i < 5; i++) expect(again.vfs.readText(`/home/learner/f${i}.txt`)).toBe(`file ${i}`);
    expect(again.now()).toBe(sandbox.now());
    expect(await p2.compact()).toBe(true);
    expect(await p2.stats()).toMatchObject({ log: 0, blobs: 5 });
    p2.close();
  });

  it('a put that cannot be stored aborts the whole transaction', async () => {
    const name = dbName();
    const p = await Persistence.open({ name });
    const { sandbox } = await p.load();
    writeFile(sandbox, '/home/learner/x.txt', 'x');
    const changes = sandbox.takeChanges();
    // a row that structured clone refuses (a function) in the middle of the list
    changes.splice(1, 0, { table: 'bad', key: 'k', value: { f: () => 1 }, prev: undefined });
    expect(await p.save(changes)).toBe(false);
    p.close();
    const { sandbox: again } = await (await Persistence.open({ name })).load();
    expect(again.vfs.exists('/home/learner/x.txt')).toBe(false);
  });

  it('QuotaExceededError switches to memory-only with a clear message, and saving stops', async () => {
    const name = dbName();
    const p = await Persistence.open({ name });
    const { sandbox } = await p.load();
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    } as unknown as IDBObjectStore['put'];
    writeFile(sandbox, '/home/learner/big.bin', 'x'.repeat(1000));
    expect(await p.save(sandbox.takeChanges())).toBe(false);
    IDBObjectStore.prototype.put = origPut;
    expect(p.mode).toBe('memory-only');
    expect(p.message).toBe(MESSAGES.quota);
    // keeps working in memory; later saves are skipped
    writeFile(sandbox, '/home/learner/more.txt', 'more');
    expect(await p.save(sandbox.takeChanges())).toBe(false);
    expect(sandbox.vfs.readText('/home/learner/more.txt')).toBe('more');
    p.close();
  });

  it('IndexedDB unavailable (private mode) gives memory-only with a message', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error simulate a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const p = await Persistence.open({ name: dbName() });
      expect(p.mode).toBe('memory-only');
      expect(p.message).toMatch(/private/);
      const { sandbox, empty } = await p.load();
      expect(empty).toBe(true);
      writeFile(sandbox, '/home/learner/a.txt', 'a');
      expect(await p.save(sandbox.takeChanges())).toBe(false);
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('an open that fails (blocked, SecurityError) also gives memory-only', async () => {
    const orig = indexedDB.open;
    indexedDB.open = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    try {
      const p = await Persistence.open({ name: dbName() });
      expect(p.mode).toBe('memory-only');
      expect(p.message).toMatch(/SecurityError/);
    } finally {
      indexedDB.open = orig;
    }
  });

  it('scratch mode reads the saved state but never writes it', async () => {
    const name = dbName();
    const owner = await Persistence.open({ name });
    const { sandbox } = await owner.load();
    writeFile(sandbox, '/home/learner/mine.txt', 'owner data');
    await owner.save(sandbox.takeChanges());

    const scratch = await Persistence.open({ name, scratch: true, readSaved: true });
    expect(scratch.mode).toBe('scratch');
    const { sandbox: copy } = await scratch.load();
    expect(copy.vfs.readText('/home/learner/mine.txt')).toBe('owner data');
    writeFile(copy, '/home/learner/mine.txt', 'changed in follower');
    expect(await scratch.save(copy.takeChanges())).toBe(false);
    scratch.close();
    owner.close();
    const { sandbox: again } = await (await Persistence.open({ name })).load();
    expect(again.vfs.readText('/home/learner/mine.txt')).toBe('owner data');
  });
});

describe('IndexedDB persistence: damaged or newer saved data', () => {
  it('a database from a newer Nimbus gives memory-only with its own message', async () => {
    const name = `nimbus-newer-${Date.now()}`;
    const raw = await openDB(name, SCHEMA_VERSION + 1, { upgrade: (db) => void db.createObjectStore('rows') });
    raw.close();
    const p = await Persistence.open({ name });
    expect(p.mode).toBe('memory-only');
    expect(p.message).toBe(MESSAGES.newer);
  });

  it('saved data that cannot be read starts fresh in memory and leaves the data alone', async () => {
    const name = `nimbus-unreadable-${Date.now()}`;
    const p = await Persistence.open({ name });
    const { sandbox } = await p.load();
    sandbox.mutate((s) => s.vfs.writeText('/home/learner/a.txt', 'kept on disk'));
    await p.save(sandbox.takeChanges());
    await p.compact();
    p.close();
    // damage one stored body: a record without a Blob
    const raw = await openDB(name);
    const [id] = await raw.getAllKeys('blobs');
    await raw.put('blobs', { blob: null, md5: 'x', refs: 1 }, id!);
    const before = await raw.count('rows');
    raw.close();

    const p2 = await Persistence.open({ name });
    const { sandbox: fresh, empty } = await p2.load();
    expect(empty).toBe(true);
    expect(p2.mode).toBe('memory-only');
    expect(p2.message).toMatch(/could not be read/);
    expect(fresh.vfs.exists('/home/learner/a.txt')).toBe(false);
    fresh.mutate((s) => s.vfs.writeText('/home/learner/b.txt', 'new'));
    expect(await p2.save(fresh.takeChanges())).toBe(false);
    expect((await p2.stats())!.rows).toBe(before);
    p2.close();
  });
});
