import { describe, it, expect } from 'vitest';
import { Db } from '../../../src/engine/store/db';
import { Sandbox } from '../../../src/engine';

describe('Db transactions', () => {
  it('rolls back every write when the function throws', () => {
    const db = new Db();
    const t = db.table<{ n: number }>('things');
    db.transact(() => t.set('a', { n: 1 }));
    expect(() =>
      db.transact(() => {
        t.set('a', { n: 2 });
        t.set('b', { n: 3 });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(t.get('a')).toEqual({ n: 1 });
    expect(t.has('b')).toBe(false);
  });

  it('reports net changes and freezes rows', () => {
    const db = new Db();
    const t = db.table<{ n: number }>('things');
    const { changes } = db.transact(() => {
      t.set('a', { n: 1 });
      t.set('a', { n: 2 });
      t.set('tmp', { n: 0 });
      t.delete('tmp');
    });
    expect(changes).toEqual([{ table: 'things', key: 'a', value: { n: 2 }, prev: undefined }]);
    expect(() => {
      (t.get('a') as { n: number }).n = 5;
    }).toThrow();
  });

  it('refuses writes outside a transaction', () => {
    const db = new Db();
    expect(() => db.table('x').set('k', 1)).toThrow(/outside a transaction/);
  });
});

describe('Sandbox', () => {
  it('answers GetCallerIdentity and reports unknown operations', () => {
    const sb = new Sandbox();
    const r = sb.call({ service: 'sts', operation: 'GetCallerIdentity' });
    expect(r).toEqual({ ok: true, output: { UserId: 'AIDAEXAMPLEADMIN0001', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/admin' } });
    const bad = sb.call({ service: 'sts', operation: 'Nope' });
    expect(bad.ok).toBe(false);
  });

  it('gives the same random ids for the same seed', () => {
    const ids = (seed: number) => {
      const sb = new Sandbox({ seed });
      return sb.mutate(() => [sb.rng.uuid(), sb.rng.hex(8)]);
    };
    expect(ids(7)).toEqual(ids(7));
    expect(ids(7)).not.toEqual(ids(8));
  });
});
