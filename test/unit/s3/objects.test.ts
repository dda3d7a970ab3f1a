import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { term } from './helpers';

const md5 = (s: string | Uint8Array) => createHash('md5').update(s).digest('hex');

function withBucket() {
  const t = term();
  t.ok('aws s3 mb s3://photos');
  return t;
}

describe('S3 objects through s3api', () => {
  it('put-object reads the body from a file; ETag is the quoted MD5; SSE-S3 by default', () => {
    const t = withBucket();
    t.write('note.txt', 'hello world\n');
    const out = t.json('aws s3api put-object --bucket photos --key notes/note.txt --body note.txt');
    expect(out.ETag).toBe(`"${md5('hello world\n')}"`);
    expect(out.ServerSideEncryption).toBe('AES256');
    expect(out.ChecksumType).toBe('FULL_OBJECT');
    const head = t.json('aws s3api head-object --bucket photos --key notes/note.txt');
    expect(head).toMatchObject({ AcceptRanges: 'bytes', ContentLength: 12, ETag: out.ETag, ContentType: 'binary/octet-stream', ServerSideEncryption: 'AES256', Metadata: {} });
    expect(head.LastModified).toBe('2026-01-05T09:00:00+00:00');
    expect(head.StorageClass).toBeUndefined();
  });

  it('get-object writes the outfile in the home folder and prints the metadata', () => {
    const t = withBucket();
    t.write('a.txt', 'abcdefghij');
    t.ok('aws s3api put-object --bucket photos --key a.txt --body a.txt --content-type text/plain --metadata Owner=Ana,Project=X');
    const out = t.json('aws s3api get-object --bucket photos --key a.txt copy.txt');
    expect(out.Body).toBeUndefined();
    expect(out.ContentType).toBe('text/plain');
    expect(out.Metadata).toEqual({ owner: 'Ana', project: 'X' });
    expect(t.ok('cat copy.txt')).toBe('abcdefghij');
  });

  it('--range returns the partial body with ContentRange; out of range is InvalidRange', () => {
    const t = withBucket();
    t.write('a.txt', 'abcdefghij');
    t.ok('aws s3api put-object --bucket photos --key a.txt --body a.txt');
    const out = t.json('aws s3api get-object --bucket photos --key a.txt --range bytes=2-4 part.txt');
    expect(out.ContentRange).toBe('bytes 2-4/10');
    expect(out.ContentLength).toBe(3);
    expect(t.ok('cat part.txt')).toBe('cde');
    t.json('aws s3api get-object --bucket photos --key a.txt --range bytes=-3 tail.txt');
    expect(t.ok('cat tail.txt')).toBe('hij');
    const r = t.run('aws s3api get-object --bucket photos --key a.txt --range bytes=20-30 x.txt');
    expect(r.code).toBe(254);
    expect(r.err).toContain('An error occurred (InvalidRange) when calling the GetObject operation: The requested range is not satisfiable');
  });

  it('NoSuchKey on get, bare 404 on head, NoSuchBucket on a missing bucket', () => {
    const t = withBucket();
    expect(t.run('aws s3api get-object --bucket photos --key nope out').err).toContain(
      'An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.',
    );
    expect(t.run('aws s3api head-object --bucket photos --key nope').err).toBe('\nAn error occurred (404) when calling the HeadObject operation: Not Found\n');
    expect(t.run('aws s3api put-object --bucket nope-nope --key k').err).toContain(
      '(NoSuchBucket) when calling the PutObject operation: The specified bucket does not exist',
    );
  });

  it('KeyTooLongError above 1024 UTF-8 bytes (multi-byte characters count by bytes)', () => {
    const t = withBucket();
    expect(t.call('PutObject', { Bucket: 'photos', Key: 'k'.repeat(1024) }).ok).toBe(true);
    const r = t.call('PutObject', { Bucket: 'photos', Key: 'é'.repeat(513) });
    expect(r.error).toMatchObject({ code: 'KeyTooLongError', message: 'Your key is too long', httpStatus: 400 });
  });

  it('MetadataTooLarge past 2 KB of user metadata', () => {
    const t = withBucket();
    const big = 'v'.repeat(2100);
    const r = t.run(`aws s3api put-object --bucket photos --key k --metadata big=${big}`);
    expect(r.code).toBe(254);
    expect(r.err).toContain('(MetadataTooLarge) when calling the PutObject operation: Your metadata headers exceed the maximum allowed metadata size');
  });

  it('copy-object copies metadata by default and replaces it with REPLACE; shares the blob', () => {
    const t = withBucket();
    t.ok('aws s3 mb s3://photos-backup');
    t.write('a.txt', 'same bytes');
    t.ok('aws s3api put-object --bucket photos --key a.txt --body a.txt --content-type text/plain --metadata k=v');
    const blobsBefore = t.sb.blobs.count;
    const c = t.json('aws s3api copy-object --copy-source photos/a.txt --bucket photos-backup --key b.txt');
    expect(c.CopyObjectResult.ETag).toBe(`"${md5('same bytes')}"`);
    expect(t.sb.blobs.count).toBe(blobsBefore);
    expect(t.json('aws s3api head-object --bucket photos-backup --key b.txt')).toMatchObject({ ContentType: 'text/plain', Metadata: { k: 'v' } });
    t.ok('aws s3api copy-object --copy-source photos/a.txt --bucket photos-backup --key c.txt --metadata-directive REPLACE --metadata x=1');
    const h = t.json('aws s3api head-object --bucket photos-backup --key c.txt');
    expect(h.Metadata).toEqual({ x: '1' });
    expect(h.ContentType).toBe('binary/octet-stream');
  });

  it('copying an object onto itself without changes is an InvalidRequest; with a new storage class it works', () => {
    const t = withBucket();
    t.write('a.txt', 'x');
    t.ok('aws s3api put-object --bucket photos --key a.txt --body a.txt');
    const r = t.run('aws s3api copy-object --copy-source photos/a.txt --bucket photos --key a.txt');
    expect(r.err).toContain('(InvalidRequest) when calling the CopyObject operation: This copy request is illegal because it is trying to copy an object to itself');
    t.ok('aws s3api copy-object --copy-source photos/a.txt --bucket photos --key a.txt --storage-class STANDARD_IA');
    expect(t.json('aws s3api head-object --bucket photos --key a.txt').StorageClass).toBe('STANDARD_IA');
  });

  it('object tagging and the Tagging query string on put', () => {
    const t = withBucket();
    t.ok('aws s3api put-object --bucket photos --key a --tagging "animal=cat&color=grey"');
    expect(t.json('aws s3api get-object-tagging --bucket photos --key a').TagSet).toEqual([
      { Key: 'animal', Value: 'cat' },
      { Key: 'color', Value: 'grey' },
    ]);
    expect(t.json('aws s3api get-object --bucket photos --key a out').TagCount).toBe(2);
    t.ok('aws s3api put-object-tagging --bucket photos --key a --tagging "TagSet=[{Key=k,Value=v}]"');
    expect(t.json('aws s3api get-object-tagging --bucket photos --key a').TagSet).toEqual([{ Key: 'k', Value: 'v' }]);
    t.ok('aws s3api delete-object-tagging --bucket photos --key a');
    expect(t.json('aws s3api get-object-tagging --bucket photos --key a').TagSet).toEqual([]);
    const tags = Array.from({ length: 11 }, (_, i) => `{Key=k${i},Value=v}`).join(',');
    expect(t.run(`aws s3api put-object-tagging --bucket photos --key a --tagging 'TagSet=[${tags}]'`).err).toContain('(InvalidTag)');
  });

  it('delete-object and delete-objects', () => {
    const t = withBucket();
    for (const k of ['a', 'b', 'c']) t.ok(`aws s3api put-object --bucket photos --key ${k}`);
    expect(t.ok('aws s3api delete-object --bucket photos --key a')).toBe('');
    const d = t.json('aws s3api delete-objects --bucket photos --delete "Objects=[{Key=b},{Key=c},{Key=zz}]"');
    expect(d.Deleted).toEqual([{ Key: 'b' }, { Key: 'c' }, { Key: 'zz' }]);
    expect(t.call('ListObjectsV2', { Bucket: 'photos' }).output.KeyCount).toBe(0);
  });

  it('conditional GET: If-None-Match gives 304, If-Match mismatch gives PreconditionFailed', () => {
    const t = withBucket();
    t.write('a.txt', 'x');
    const { ETag } = t.json('aws s3api put-object --bucket photos --key a --body a.txt');
    expect(t.run(`aws s3api get-object --bucket photos --key a --if-none-match ${ETag.replace(/"/g, '')} o`).err).toContain('(304)');
    expect(t.run('aws s3api get-object --bucket photos --key a --if-match abc o').err).toContain('(PreconditionFailed)');
  });
});
