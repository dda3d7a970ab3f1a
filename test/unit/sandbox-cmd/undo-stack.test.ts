import { describe, it, expect } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { UndoStack, isUndoExcluded, summarise } from '../../../src/cli/undo';

function fresh() {
  const sb = new Sandbox();
  sb.takeChanges();
  return sb;
}

describe('UndoStack', () => {
  it('keeps at most `limit` lines, dropping the oldest', () => {
    const sb = fresh();
    const u = new UndoStack(3);
    for (let i = 0; i < 5; i++) {
      sb.mutate((s) => s.db.table('t.rows').set(`k${i}`, { i }));
      u.record(sb.takeChanges(), `line ${i}`);
    }
    expect(u.size).toEqual({ undo: 3, redo: 0 });
    expect(u.undo(sb)!.entry.label).toBe('line 4');
    expect(u.undo(sb)!.entry.label).toBe('line 3');
    expect(u.undo(sb)!.entry.label).toBe('line 2');
    expect(u.undo(sb)).toBeNull();
    expect([...sb.db.table('t.rows').keys()]).toEqual(['k0', 'k1']);
  });

  it('bounds the bytes of bodies it keeps alive, but always keeps the last line', () => {
    const sb = fresh();
    const u = new UndoStack(50, 1000);
    const write = (name: string, size: number) => {
      sb.mutate((s) => s.vfs.writeBytes(`/home/learner/${name}`, new Uint8Array(size)));
      u.record(sb.takeChanges(), `write ${name}`);
    };
    write('a', 400);
    write('b', 400);
    expect(u.size.undo).toBe(2);
    write('c', 400); // 1200 > 1000: the oldest goes
    expect(u.size.undo).toBe(2);
    write('big', 5000); // alone over the bound, still undoable
    expect(u.size.undo).toBe(1);
    expect(u.undo(sb)!.entry.label).toBe('write big');
    expect(sb.vfs.exists('/home/learner/big')).toBe(false);
  });

  it('does not record history or shell state, and a line with only those is not an entry', () => {
    const sb = fresh();
    const u = new UndoStack();
    expect(isUndoExcluded({ table: 'history', key: '0001', value: {}, prev: undefined })).toBe(true);
    expect(isUndoExcluded({ table: 'meta', key: 'shell', value: {}, prev: undefined })).toBe(true);
    expect(isUndoExcluded({ table: 'meta', key: 'counter:history', value: 2, prev: 1 })).toBe(true);
    expect(isUndoExcluded({ table: 'meta', key: 'clock', value: 2, prev: 1 })).toBe(false);
    sb.mutate((s) => {
      s.db.table('history').set('0001', { line: 'ls' });
      s.db.table('meta').set('shell', { cwd: '/home/learner', vars: {}, exported: [], lastExit: 0 });
    });
    u.record(sb.takeChanges(), 'ls');
    expect(u.canUndo).toBe(false);
  });

  it('a new change after an undo clears redo; the undo itself is not recorded as a line', () => {
    const sb = fresh();
    const u = new UndoStack();
    sb.mutate((s) => s.db.table('t.rows').set('a', { v: 1 }));
    u.record(sb.takeChanges(), 'set a');
    u.undo(sb);
    u.record(sb.takeChanges(), 'sandbox undo'); // what the owner does after the undo line
    expect(u.size).toEqual({ undo: 0, redo: 1 });
    sb.mutate((s) => s.db.table('t.rows').set('b', { v: 2 }));
    u.record(sb.takeChanges(), 'set b');
    expect(u.size).toEqual({ undo: 1, redo: 0 });
  });

  it('summarises changes per table in the direction applied', () => {
    const changes = [
      { table: 's3.buckets', key: 'photos', value: { n: 1 }, prev: undefined },
      { table: 's3.objects', key: 'k', value: { n: 2 }, prev: { n: 1 } },
    ];
    expect(summarise(changes, 'forward')).toEqual(['s3.buckets: 1 added (photos)', 's3.objects: 1 changed (k)']);
    expect(summarise(changes, 'backward')).toEqual(['s3.buckets: 1 removed (photos)', 's3.objects: 1 changed (k)']);
  });
});
