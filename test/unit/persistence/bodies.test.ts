import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { Persistence, INLINE_MAX } from '../../../src/worker/persistence';
import { openDB } from 'idb';

let n = 0;
const dbName = () => `nimbus-bodies-${++n}`;

describe('stored bodies: small ones as bytes, large ones as Blobs', () => {
  it('a body over INLINE_MAX is a Blob in the log and in the store, and both kinds load back', async () => {
    const name = dbName();
    const p = await Persistence.open({ name });
    const { sandbox } = await p.load();
    const big = new Uint8Array(INLINE_MAX + 1).map((_, i) => i % 251);
    sandbox.mutate((s) => {
      s.vfs.writeBytes('/home/learner/big.bin', big, { createParents: true });
      s.vfs.writeText('/home/learner/small.txt', 'small');
    });
    expect(await p.save(sandbox.takeChanges())).toBe(true);
    let raw = await openDB(name);
    const [rec] = await raw.getAll('log');
    const kinds = rec.blobs.map((b: { blob?: unknown; bytes?: unknown }) => (b.blob ? 'blob' : b.bytes ? 'bytes' : 'none')).sort();
    expect(kinds).toEqual(['blob', 'bytes']);
    raw.close();

    const replayed = (await (await Persistence.open({ name })).load()).sandbox;
    expect(replayed.vfs.readBytes('/home/learner/big.bin')).toEqual(big);
    expect(replayed.vfs.readText('/home/learner/small.txt')).toBe('small');

    expect(await p.compact()).toBe(true);
    p.close();
    raw = await openDB(name);
    const stored = await raw.getAll('blobs');
    expect(stored.map((b: { blob?: unknown }) => (b.blob ? 'blob' : 'bytes')).sort()).toEqual(['blob', 'bytes']);
    raw.close();
    const again = (await (await Persistence.open({ name })).load()).sandbox;
    expect(again.vfs.readBytes('/home/learner/big.bin')).toEqual(big);
    expect(again.vfs.readText('/home/learner/small.txt')).toBe('small');
  });

  it('a body that is a view of a larger buffer is stored as exactly its own bytes', async () => {
    const name = dbName();
    const p = await Persistence.open({ name });
    const { sandbox } = await p.load();
    const buf = new TextEncoder().encode('XXXXpartYYYY');
    sandbox.mutate((s) => s.vfs.writeBytes('/home/learner/part.txt', buf.subarray(4, 8), { createParents: true }));
    await p.save(sandbox.takeChanges());
    const raw = await openDB(name);
    const [rec] = await raw.getAll('log');
    const body = rec.blobs.find((b: { bytes?: Uint8Array }) => b.bytes)!.bytes as Uint8Array;
    expect(body.buffer.byteLength).toBe(4);
    expect(new TextDecoder().decode(body)).toBe('part');
    raw.close();
    p.close();
  });
});

describe('packs (the whole state in a few records) and changes compacted over them', () => {
  it('a deleted packed row and body stay deleted, a refs change of a packed body is kept, across reloads', async () => {
    const name = dbName();
    const p = await Persistence.open({ name });
    const { sandbox } = await p.load();
    sandbox.mutate((s) => s.vfs.writeText('/home/learner/a.txt', 'AAA', { createParents: true }));
    const id = sandbox.vfs.blobId('/home/learner/a.txt')!;
    expect(await p.replaceAll(sandbox)).toBe(true);
    sandbox.takeChanges();
    expect(await p.stats()).toMatchObject({ rows: 0, blobs: 0, log: 0 });
    const reload = async () => (await (await Persistence.open({ name })).load()).sandbox;
    expect((await reload()).vfs.readText('/home/learner/a.txt')).toBe('AAA');

    // a second name for the packed body (refs 2), then the first name goes
    sandbox.mutate((s) => s.vfs.linkBlob('/home/learner/copy.txt', id));
    await p.save(sandbox.takeChanges());
    sandbox.mutate((s) => s.vfs.remove('/home/learner/a.txt'));
    await p.save(sandbox.takeChanges());
    expect(await p.compact()).toBe(true);
    let r = await reload();
    expect(r.vfs.exists('/home/learner/a.txt')).toBe(false);
    expect(r.vfs.readText('/home/learner/copy.txt')).toBe('AAA');
    expect(r.db.table<{ refs: number }>('blobs').get(id)?.refs).toBe(sandbox.db.table<{ refs: number }>('blobs').get(id)?.refs);

    sandbox.mutate((s) => s.vfs.remove('/home/learner/copy.txt'));
    await p.save(sandbox.takeChanges());
    await p.compact();
    r = await reload();
    expect(r.vfs.exists('/home/learner/copy.txt')).toBe(false);
    expect(r.db.table('blobs').get(id)).toBeUndefined();
    // the reloaded state is the same as the one in memory
    expect(JSON.stringify(r.db.dump(), (_k, v) => (v instanceof Uint8Array ? [...v] : v))).toBe(JSON.stringify(sandbox.db.dump(), (_k, v) => (v instanceof Uint8Array ? [...v] : v)));
    p.close();
  });

  it('a state larger than one pack is split and loads back whole', async () => {
    const name = dbName();
    const p = await Persistence.open({ name });
    const { sandbox } = await p.load();
    sandbox.mutate((s) => {
      for (let i = 0; i < 12000; i++) s.db.table('bench.rows').set(`k${i}`, { i });
    });
    sandbox.takeChanges();
    await p.replaceAll(sandbox);
    expect((await p.stats())!.packs).toBeGreaterThanOrEqual(3);
    const again = (await (await Persistence.open({ name })).load()).sandbox;
    expect(again.db.table('bench.rows').size).toBe(12000);
    expect(again.db.table('bench.rows').get('k11999')).toEqual({ i: 11999 });
    p.close();
  });
});
