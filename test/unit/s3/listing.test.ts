import { describe, it, expect } from 'vitest';
import { term } from './helpers';

function filled(keys: string[]) {
  const t = term();
  t.ok('aws s3 mb s3://photos');
  for (const k of keys) expect(t.call('PutObject', { Bucket: 'photos', Key: k, Body: new TextEncoder().encode(k) }).ok).toBe(true);
  return t;
}

describe('S3 listing', () => {
  it('Prefix + Delimiter roll keys up into CommonPrefixes', () => {
    const t = filled(['2026/01/a.jpg', '2026/01/b.jpg', '2026/02/c.jpg', '2026/readme.txt', 'top.txt']);
    const out = t.json('aws s3api list-objects-v2 --bucket photos --prefix 2026/ --delimiter /');
    expect(out.CommonPrefixes).toEqual([{ Prefix: '2026/01/' }, { Prefix: '2026/02/' }]);
    expect(out.Contents.map((c: any) => c.Key)).toEqual(['2026/readme.txt']);
    const raw = t.call('ListObjectsV2', { Bucket: 'photos', Prefix: '2026/', Delimiter: '/' }).output;
    expect(raw.KeyCount).toBe(3);
    expect(raw.IsTruncated).toBe(false);
  });

  it('orders keys by UTF-8 bytes (uppercase before lowercase, astral after BMP)', () => {
    const t = filled(['b', 'a', 'B', '\u{1F600}', '\uFF21', 'a/b', 'a-b']);
    const keys = t.call('ListObjectsV2', { Bucket: 'photos' }).output.Contents.map((c: any) => c.Key);
    expect(keys).toEqual(['B', 'a', 'a-b', 'a/b', 'b', '\uFF21', '\u{1F600}']);
  });

  it('MaxKeys pages with ContinuationToken; StartAfter skips', () => {
    const t = filled(['k1', 'k2', 'k3', 'k4', 'k5']);
    const p1 = t.call('ListObjectsV2', { Bucket: 'photos', MaxKeys: 2 }).output;
    expect(p1.IsTruncated).toBe(true);
    expect(p1.KeyCount).toBe(2);
    const p2 = t.call('ListObjectsV2', { Bucket: 'photos', MaxKeys: 2, ContinuationToken: p1.NextContinuationToken }).output;
    expect(p2.Contents.map((c: any) => c.Key)).toEqual(['k3', 'k4']);
    expect(p2.ContinuationToken).toBe(p1.NextContinuationToken);
    const sa = t.call('ListObjectsV2', { Bucket: 'photos', StartAfter: 'k3' }).output;
    expect(sa.Contents.map((c: any) => c.Key)).toEqual(['k4', 'k5']);
    expect(t.call('ListObjectsV2', { Bucket: 'photos', ContinuationToken: '!!bad' }).error.code).toBe('InvalidArgument');
  });

  it('the CLI paginates automatically (2,500 keys with the default page of 1,000)', () => {
    const keys = Array.from({ length: 2500 }, (_, i) => `k${String(i).padStart(5, '0')}`);
    const t = filled(keys);
    const out = t.json('aws s3api list-objects-v2 --bucket photos --query "length(Contents)"');
    expect(out).toBe(2500);
    expect(t.json('aws s3api list-objects-v2 --bucket photos --max-items 10 --query "Contents[-1].Key"')).toBe('k00009');
  });

  it('page boundaries inside common prefixes do not repeat a prefix', () => {
    const t = filled(['a/1', 'a/2', 'b/1', 'b/2', 'c']);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const o = t.call('ListObjectsV2', { Bucket: 'photos', Delimiter: '/', MaxKeys: 1, ...(token ? { ContinuationToken: token } : {}) }).output;
      for (const p of o.CommonPrefixes ?? []) seen.push(p.Prefix);
      for (const c of o.Contents ?? []) seen.push(c.Key);
      token = o.NextContinuationToken;
    } while (token);
    expect(seen).toEqual(['a/', 'b/', 'c']);
  });

  it('ListObjects v1 uses Marker and NextMarker (with a delimiter)', () => {
    const t = filled(['a/1', 'b/1', 'c']);
    const o = t.call('ListObjects', { Bucket: 'photos', Delimiter: '/', MaxKeys: 2 }).output;
    expect(o.IsTruncated).toBe(true);
    expect(o.NextMarker).toBe('b/');
    const o2 = t.call('ListObjects', { Bucket: 'photos', Delimiter: '/', Marker: o.NextMarker }).output;
    expect(o2.Contents.map((c: any) => c.Key)).toEqual(['c']);
    expect(t.json('aws s3api list-objects --bucket photos --query "Contents[].Key"')).toEqual(['a/1', 'b/1', 'c']);
  });

  it('listing a missing bucket is NoSuchBucket', () => {
    const t = term();
    const r = t.run('aws s3api list-objects-v2 --bucket nope-nope');
    expect(r.code).toBe(254);
    expect(r.err).toContain('An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist');
  });

  it('the key index follows deletes and rollbacks', () => {
    const t = filled(['a', 'b', 'c']);
    t.call('DeleteObject', { Bucket: 'photos', Key: 'b' });
    // a failing call (bad storage class) must leave no trace in listings
    t.call('PutObject', { Bucket: 'photos', Key: 'zz', StorageClass: 'NOPE' });
    expect(t.call('ListObjectsV2', { Bucket: 'photos' }).output.Contents.map((c: any) => c.Key)).toEqual(['a', 'c']);
  });
});

describe('S3 key index across undo, reset and import', () => {
  it('listings follow sandbox undo/redo and a reset', async () => {
    const { UndoStack, attachUndoStack } = await import('../../../src/cli/undo');
    const t = term();
    const undo = attachUndoStack(t.sb, new UndoStack());
    const line = (l: string) => {
      const out = t.ok(l);
      undo.record(t.sb.takeChanges(), l);
      return out;
    };
    line('aws s3 mb s3://photos');
    line('echo hi > a.txt');
    line('aws s3 cp a.txt s3://photos/a.txt');
    line('aws s3 cp a.txt s3://photos/b.txt');
    expect(t.ok('aws s3 ls s3://photos').split('\n').filter(Boolean)).toHaveLength(2);
    t.ok('sandbox undo');
    expect(t.ok('aws s3 ls s3://photos')).toBe('2026-01-05 09:00:00          3 a.txt\n');
    t.ok('sandbox redo');
    expect(t.ok('aws s3 ls s3://photos').split('\n').filter(Boolean)).toHaveLength(2);
    t.ok('sandbox reset --yes');
    t.ok('aws s3 mb s3://photos');
    t.write('b.txt', 'x');
    t.ok('aws s3 cp b.txt s3://photos/z.txt');
    expect(t.ok('aws s3 ls s3://photos')).toBe('2026-01-05 09:00:00          1 z.txt\n');
  });

  it('listings work after loading a dumped state into a fresh sandbox', () => {
    const t = filled(['x/1', 'x/2', 'y']);
    const dump = t.sb.db.dump();
    const u = term();
    u.sb.db.clear();
    for (const [name, rows] of Object.entries(dump)) u.sb.db.load(name, Object.entries(rows));
    expect(u.call('ListObjectsV2', { Bucket: 'photos', Delimiter: '/' }).output.CommonPrefixes).toEqual([{ Prefix: 'x/' }]);
    expect(u.ok('aws s3 ls s3://photos --recursive').split('\n').filter(Boolean)).toHaveLength(3);
  });
});
