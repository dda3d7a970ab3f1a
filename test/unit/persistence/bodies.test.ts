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
