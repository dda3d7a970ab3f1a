import { describe, it, expect } from 'vitest';
import { term } from './helpers';

function setup(mode: 'strong' | 'eventual') {
  const t = term();
  t.ok('aws s3 mb s3://photos');
  if (mode === 'eventual') expect(t.ok('sandbox s3 consistency eventual')).toBe('S3 consistency in us-east-1: eventual\n');
  return t;
}
const get = (t: ReturnType<typeof term>, key: string) => {
  const r = t.run(`aws s3api get-object --bucket photos --key ${key} out.txt`);
  return r.code === 0 ? t.ok('cat out.txt') : r.err;
};

describe('S3 consistency', () => {
  it('strong by default: overwrites and deletes are seen at once', () => {
    const t = setup('strong');
    expect(t.ok('sandbox s3 consistency')).toBe('us-east-1: strong\n');
    t.write('a.txt', 'v1');
    t.ok('aws s3 cp a.txt s3://photos/a.txt');
    t.write('a.txt', 'v2');
    t.ok('aws s3 cp a.txt s3://photos/a.txt');
    expect(get(t, 'a.txt')).toBe('v2');
    t.ok('aws s3 rm s3://photos/a.txt');
    expect(get(t, 'a.txt')).toContain('(NoSuchKey)');
  });

  it('eventual: an overwrite is seen late, then settles', () => {
    const t = setup('eventual');
    t.write('a.txt', 'v1');
    t.ok('aws s3 cp a.txt s3://photos/a.txt');
    expect(get(t, 'a.txt')).toBe('v1');
    t.write('a.txt', 'v2');
    t.ok('aws s3 cp a.txt s3://photos/a.txt');
    expect(get(t, 'a.txt')).toBe('v1');
    t.ok('sandbox clock advance 15s');
    expect(get(t, 'a.txt')).toBe('v2');
  });

  it('eventual: a delete is still listed for a while', () => {
    const t = setup('eventual');
    t.write('a.txt', 'v1');
    t.ok('aws s3 cp a.txt s3://photos/a.txt');
    t.ok('aws s3 rm s3://photos/a.txt');
    expect(t.ok('aws s3 ls s3://photos')).toContain('a.txt');
    expect(get(t, 'a.txt')).toBe('v1');
    t.ok('sandbox clock advance 15s');
    expect(t.ok('aws s3 ls s3://photos')).toBe('');
  });

  it('eventual: a new key is readable at once, unless it was asked for before it existed', () => {
    const t = setup('eventual');
    t.write('a.txt', 'new');
    t.ok('aws s3 cp a.txt s3://photos/fresh.txt');
    expect(get(t, 'fresh.txt')).toBe('new');
    expect(get(t, 'late.txt')).toContain('(NoSuchKey)');
    t.ok('aws s3 cp a.txt s3://photos/late.txt');
    expect(get(t, 'late.txt')).toContain('(NoSuchKey)');
    t.ok('sandbox clock advance 15s');
    expect(get(t, 'late.txt')).toBe('new');
  });

  it('the mode is per region and can be switched back', () => {
    const t = setup('eventual');
    t.ok('sandbox s3 consistency strong');
    expect(t.ok('sandbox s3 consistency')).toBe('us-east-1: strong\n');
    t.ok('sandbox s3 consistency eventual --region eu-west-1');
    expect(t.sb.config().s3Consistency).toEqual({ 'eu-west-1': 'eventual' });
    expect(t.run('sandbox s3 consistency sometimes').code).toBe(2);
  });
});

describe('S3 consistency bookkeeping', () => {
  it('the old body is kept during the window and freed after it', () => {
    const t = setup('eventual');
    t.write('a.txt', 'v1');
    t.ok('aws s3 cp a.txt s3://photos/a.txt');
    t.ok('rm a.txt');
    const base = t.sb.blobs.count;
    t.ok('aws s3 rm s3://photos/a.txt');
    expect(t.sb.blobs.count).toBe(base);
    t.ok('sandbox clock advance 15s');
    expect(t.sb.blobs.count).toBe(base - 1);
    expect(t.sb.db.table('s3.objects').size).toBe(0);
  });
});
