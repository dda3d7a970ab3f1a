import { describe, it, expect } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { exportState, exportStateJson, importState, parseState, SnapshotError, tableCounts } from '../../../src/engine/snapshot';
import { updateConfig } from '../../../src/engine/config';

function world(): Sandbox {
  const sb = new Sandbox({ seed: 7 });
  sb.mutate((s) => {
    s.vfs.mkdir('/home/learner/site');
    s.vfs.writeText('/home/learner/site/index.html', '<h1>hi</h1>');
    s.vfs.writeBytes('/home/learner/bin.dat', new Uint8Array([0, 1, 2, 250, 255]));
    updateConfig(s.db, (c) => ({ ...c, quotas: { ...c.quotas, 's3-buckets': 100 } }));
    s.db.table('lessons.progress').set('s3/01', { done: ['step1'] });
  });
  sb.advance(90_000);
  sb.call({ service: 'sts', operation: 'GetCallerIdentity' });
  return sb;
}

describe('snapshot export/import', () => {
  it('exports every table, blobs as base64, and the simulated time', () => {
    const sb = world();
    const st = exportState(sb);
    expect(st.format).toBe('nimbus-state');
    expect(st.version).toBe(1);
    expect(st.exportedAt).toBe('2026-01-05T09:01:30+00:00');
    expect(st.tables['blobs']).toBeUndefined();
    expect(Object.keys(st.tables)).toEqual(expect.arrayContaining(['meta', 'fs', 'calls', 'lessons.progress']));
    expect(Object.keys(st.blobs)).toHaveLength(2);
    const bin = Object.values(st.blobs).find((b) => b.data === 'AAEC+v8=');
    expect(bin).toBeDefined();
  });

  it('round-trips the whole state into another sandbox', () => {
    const sb = world();
    const json = exportStateJson(sb);
    const other = new Sandbox({ seed: 99 });
    other.mutate((s) => s.vfs.writeText('/home/learner/stale.txt', 'old'));
    importState(other, json);
    expect(other.vfs.exists('/home/learner/stale.txt')).toBe(false);
    expect(other.vfs.readText('/home/learner/site/index.html')).toBe('<h1>hi</h1>');
    expect([...other.vfs.readBytes('/home/learner/bin.dat')]).toEqual([0, 1, 2, 250, 255]);
    expect(other.now()).toBe(sb.now());
    expect(other.config().quotas['s3-buckets']).toBe(100);
    expect(other.db.table('lessons.progress').get('s3/01')).toEqual({ done: ['step1'] });
    expect(other.callLog()).toEqual(sb.callLog());
    expect(tableCounts(other)).toEqual(tableCounts(sb));
    expect(other.takeChanges()).toEqual([]);
    // the random generator continues where it was: both give the same next ids
    expect(other.mutate((s) => s.rng.uuid())).toBe(sb.mutate((s) => s.rng.uuid()));
    expect(exportStateJson(other)).toBe(exportStateJson(sb));
  });

  it('keeps files the learner made outside the home folder (/opt/data)', () => {
    const sb = new Sandbox();
    sb.mutate((s) => s.vfs.writeText('/opt/data/a.txt', 'scratch', { createParents: true }));
    const other = new Sandbox();
    importState(other, exportStateJson(sb));
    expect(other.vfs.readText('/opt/data/a.txt')).toBe('scratch');
  });

  it('accepts lesson snapshots whose copied rows name blobs that are gone (they carry their own bytes)', () => {
    const sb = world();
    sb.mutate((s) => s.db.table('lessons.snapshots').set('attempt', { world: { fs: { '/home/learner/old.txt': { type: 'file', blob: 'b99', size: 3, mtime: 0 } } } }));
    const other = new Sandbox();
    importState(other, exportStateJson(sb));
    expect(other.db.table('lessons.snapshots').get('attempt')).toBeDefined();
  });

  const bad: [string, (st: any) => unknown, RegExp][] = [
    ['not JSON', () => '{nope', /not valid JSON/],
    ['empty', () => '', /empty/],
    ['an array', () => [], /expected a JSON object/],
    ['wrong format', (st) => ({ ...st, format: 'other' }), /"format" must be "nimbus-state"/],
    ['newer version', (st) => ({ ...st, version: 2 }), /newer Nimbus/],
    ['tables missing', (st) => ({ ...st, tables: undefined }), /"tables" must be an object/],
    ['meta missing', (st) => ({ ...st, tables: { ...st.tables, meta: undefined } }), /table "meta" is missing/],
    ['clock not a number', (st) => ({ ...st, tables: { ...st.tables, meta: { ...st.tables.meta, clock: 'noon' } } }), /"clock" must be a number/],
    ['rng broken', (st) => ({ ...st, tables: { ...st.tables, meta: { ...st.tables.meta, rng: { a: 1 } } } }), /"rng"/],
    ['missing blob', (st) => ({ ...st, blobs: {} }), /refers to blob b\d+, which is not in "blobs"/],
    ['bad base64', (st) => ({ ...st, blobs: Object.fromEntries(Object.entries(st.blobs).map(([k, b]: [string, any]) => [k, { ...b, data: '***' }])) }), /base64/],
    ['damaged data (md5)', (st) => ({ ...st, blobs: Object.fromEntries(Object.entries(st.blobs).map(([k, b]: [string, any]) => [k, { ...b, data: 'AAAA' }])) }), /does not match/],
    ['bad refs', (st) => ({ ...st, blobs: Object.fromEntries(Object.entries(st.blobs).map(([k, b]: [string, any]) => [k, { ...b, refs: 0 }])) }), /"refs"/],
    ['a relative file path', (st) => ({ ...st, tables: { ...st.tables, fs: { ...st.tables.fs, 'notes/../x.txt': { type: 'file', size: 0, mtime: 0 } } } }), /not a normalised absolute path/],
    ['wrong file size', (st) => ({ ...st, tables: { ...st.tables, fs: { ...st.tables.fs, '/home/learner/bin.dat': { ...st.tables.fs['/home/learner/bin.dat'], size: 99 } } } }), /size 99 does not match/],
    ['a body used more often than its refs count', (st) => ({ ...st, tables: { ...st.tables, fs: { ...st.tables.fs, '/home/learner/twin.dat': st.tables.fs['/home/learner/bin.dat'] } } }), /used 2 times but its "refs" count is 1/],
    ['bad table name', (st) => ({ ...st, tables: { ...st.tables, 'a b': {} } }), /table name/],
    ['blobs in tables', (st) => ({ ...st, tables: { ...st.tables, blobs: {} } }), /must not contain "blobs"/],
  ];
  for (const [what, mangle, msg] of bad) {
    it(`rejects a file with ${what}, changing nothing`, () => {
      const st = JSON.parse(exportStateJson(world()));
      const doc = mangle(st);
      const target = new Sandbox();
      target.mutate((s) => s.vfs.writeText('/home/learner/mine.txt', 'mine'));
      const before = exportStateJson(target);
      expect(() => importState(target, typeof doc === 'string' ? doc : JSON.stringify(doc))).toThrow(SnapshotError);
      expect(() => parseState(typeof doc === 'string' ? doc : JSON.stringify(doc))).toThrow(msg);
      expect(exportStateJson(target)).toBe(before);
    });
  }
});
