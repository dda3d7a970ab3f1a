import { describe, it, expect } from 'vitest';
import { term } from './helpers';

function site() {
  const t = term();
  t.ok('aws s3 mb s3://photos');
  t.write('site/index.html', '<h1>hi</h1>');
  t.write('site/css/main.css', 'body{}');
  t.write('site/img/cat.jpg', 'JPEGDATA');
  t.write('site/tmp/x.tmp', 'tmp');
  return t;
}

describe('aws s3 high-level commands', () => {
  it('cp upload/download lines, guessed Content-Type', () => {
    const t = site();
    expect(t.run('aws s3 cp site/index.html s3://photos/')).toEqual({ code: 0, out: 'upload: site/index.html to s3://photos/index.html\n', err: '' });
    expect(t.json('aws s3api head-object --bucket photos --key index.html').ContentType).toBe('text/html');
    t.write('a.txt', 'hello');
    expect(t.ok('aws s3 cp a.txt s3://photos/docs/b.txt')).toBe('upload: ./a.txt to s3://photos/docs/b.txt\n');
    expect(t.ok('aws s3 cp s3://photos/docs/b.txt .')).toBe('download: s3://photos/docs/b.txt to ./b.txt\n');
    expect(t.ok('cat b.txt')).toBe('hello');
    expect(t.ok('aws s3 cp s3://photos/docs/b.txt s3://photos/docs/c.txt')).toBe('copy: s3://photos/docs/b.txt to s3://photos/docs/c.txt\n');
    expect(t.ok('aws s3 cp s3://photos/docs/c.txt -')).toBe('hello');
  });

  it('cp --recursive with --exclude/--include (the last matching filter wins)', () => {
    const t = site();
    const out = t.ok('aws s3 cp site s3://photos/web --recursive --exclude "*" --include "*.html" --include "css/*"');
    expect(out).toBe('upload: site/css/main.css to s3://photos/web/css/main.css\nupload: site/index.html to s3://photos/web/index.html\n');
    const out2 = t.ok('aws s3 cp site s3://photos/all --recursive --exclude "tmp/*"');
    expect(out2).not.toContain('x.tmp');
    expect(out2.split('\n').filter(Boolean)).toHaveLength(3);
    const dl = t.ok('aws s3 cp s3://photos/web ./copy --recursive');
    expect(dl).toBe('download: s3://photos/web/css/main.css to copy/css/main.css\ndownload: s3://photos/web/index.html to copy/index.html\n');
    expect(t.ok('cat copy/css/main.css')).toBe('body{}');
  });

  it('ls: PRE lines, sizes, --recursive, --human-readable, --summarize, exit 1 for an empty prefix', () => {
    const t = site();
    t.ok('aws s3 cp site s3://photos/web --recursive');
    t.writeBytes('big.bin', new Uint8Array(1536));
    t.ok('aws s3 cp big.bin s3://photos/');
    expect(t.ok('aws s3 ls s3://photos')).toBe(`${' '.repeat(27)}PRE web/\n2026-01-05 09:00:00       1536 big.bin\n`);
    expect(t.ok('aws s3 ls s3://photos/web/')).toBe(
      `${' '.repeat(27)}PRE css/\n${' '.repeat(27)}PRE img/\n${' '.repeat(27)}PRE tmp/\n2026-01-05 09:00:00         11 index.html\n`,
    );
    expect(t.ok('aws s3 ls s3://photos/web/in')).toBe('2026-01-05 09:00:00         11 index.html\n');
    const rec = t.ok('aws s3 ls s3://photos --recursive --human-readable --summarize');
    expect(rec).toContain('2026-01-05 09:00:00    1.5 KiB big.bin\n');
    expect(rec).toContain('2026-01-05 09:00:00   11 Bytes web/index.html\n');
    expect(rec).toContain('\nTotal Objects: 5\n   Total Size: 1.5 KiB\n');
    expect(t.run('aws s3 ls s3://photos/nothing-here').code).toBe(1);
    const miss = t.run('aws s3 ls s3://nope-nope');
    expect(miss.code).toBe(254);
    expect(miss.err).toContain('An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist');
  });

  it('transfer failures: upload failed (exit 1), fatal error on a missing key (exit 1), missing local path (255)', () => {
    const t = site();
    const up = t.run('aws s3 cp site/index.html s3://nope-nope/index.html');
    expect(up.code).toBe(1);
    expect(up.err).toBe(
      'upload failed: site/index.html to s3://nope-nope/index.html An error occurred (NoSuchBucket) when calling the PutObject operation: The specified bucket does not exist\n',
    );
    const dl = t.run('aws s3 cp s3://photos/missing.txt .');
    expect(dl.code).toBe(1);
    expect(dl.err).toBe('fatal error: An error occurred (404) when calling the HeadObject operation: Key "missing.txt" does not exist\n');
    const rec = t.run('aws s3 cp s3://nope-nope/ . --recursive');
    expect(rec.code).toBe(1);
    expect(rec.err).toBe('fatal error: An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist\n');
    expect(t.run('aws s3 cp nothing.txt s3://photos/').code).toBe(255);
    expect(t.run('aws s3 cp a').code).toBe(252);
  });

  it('mv moves and rm deletes (recursive, with filters)', () => {
    const t = site();
    expect(t.ok('aws s3 mv site/index.html s3://photos/index.html')).toBe('move: site/index.html to s3://photos/index.html\n');
    expect(t.run('cat site/index.html').code).not.toBe(0);
    expect(t.ok('aws s3 mv s3://photos/index.html s3://photos/home.html')).toBe('move: s3://photos/index.html to s3://photos/home.html\n');
    t.ok('aws s3 cp site s3://photos/web --recursive');
    expect(t.ok('aws s3 rm s3://photos/web --recursive --exclude "img/*"')).toBe(
      'delete: s3://photos/web/css/main.css\ndelete: s3://photos/web/tmp/x.tmp\n',
    );
    expect(t.ok('aws s3 rm s3://photos/home.html')).toBe('delete: s3://photos/home.html\n');
    expect(t.ok('aws s3 ls s3://photos --recursive')).toBe('2026-01-05 09:00:00          8 web/img/cat.jpg\n');
    expect(t.ok('aws s3 rm s3://photos/web --recursive --dryrun')).toBe('(dryrun) delete: s3://photos/web/img/cat.jpg\n');
  });

  it('sync uploads new and changed files only, --delete removes extras, and syncs back down', () => {
    const t = site();
    const first = t.ok('aws s3 sync site s3://photos/site');
    expect(first.split('\n').filter(Boolean)).toHaveLength(4);
    expect(t.ok('aws s3 sync site s3://photos/site')).toBe('');
    t.ok('sandbox clock advance 1m');
    t.write('site/index.html', '<h1>changed</h1>');
    t.ok('rm site/tmp/x.tmp');
    expect(t.ok('aws s3 sync site s3://photos/site')).toBe('upload: site/index.html to s3://photos/site/index.html\n');
    expect(t.ok('aws s3 sync site s3://photos/site --delete')).toBe('delete: s3://photos/site/tmp/x.tmp\n');
    const down = t.ok('aws s3 sync s3://photos/site mirror');
    expect(down).toBe(
      'download: s3://photos/site/css/main.css to mirror/css/main.css\ndownload: s3://photos/site/img/cat.jpg to mirror/img/cat.jpg\ndownload: s3://photos/site/index.html to mirror/index.html\n',
    );
    expect(t.ok('aws s3 sync s3://photos/site mirror')).toBe('');
    t.write('mirror/extra.txt', 'x');
    expect(t.ok('aws s3 sync s3://photos/site mirror --delete')).toBe('delete: mirror/extra.txt\n');
  });

  it('rb --force deletes the objects then the bucket', () => {
    const t = site();
    t.ok('aws s3 cp site s3://photos/ --recursive');
    const r = t.run('aws s3 rb s3://photos --force');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean)).toEqual([
      'delete: s3://photos/css/main.css',
      'delete: s3://photos/img/cat.jpg',
      'delete: s3://photos/index.html',
      'delete: s3://photos/tmp/x.tmp',
      'remove_bucket: photos',
    ]);
  });

  it('mb uses --region as the LocationConstraint', () => {
    const t = term();
    expect(t.ok('aws s3 mb s3://eu-photos-1 --region eu-west-1')).toBe('make_bucket: eu-photos-1\n');
    expect(t.json('aws s3api get-bucket-location --bucket eu-photos-1')).toEqual({ LocationConstraint: 'eu-west-1' });
    expect(t.run('aws s3 mb s3://Bad_Name').err).toContain('make_bucket failed: s3://Bad_Name An error occurred (InvalidBucketName)');
  });

  it('presign: URL shape, expiry from the simulated clock; above 7 days still signed (S3 refuses it at use)', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const url = t.ok('aws s3 presign s3://photos/cat.jpg --expires-in 600').trim();
    const u = new URL(url);
    expect(u.host).toBe('photos.s3.amazonaws.com');
    expect(u.pathname).toBe('/cat.jpg');
    expect(u.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(u.searchParams.get('X-Amz-Credential')).toMatch(/^AKIA[A-Z0-9]{16}\/20260105\/us-east-1\/s3\/aws4_request$/);
    expect(u.searchParams.get('X-Amz-Date')).toBe('20260105T090000Z');
    expect(u.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(u.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(u.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(new URL(t.ok('aws s3 presign s3://photos/cat.jpg').trim()).searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(t.run('aws s3 presign s3://photos/cat.jpg --expires-in 604801').code).toBe(0);
    t.ok('sandbox clock advance 1h');
    expect(new URL(t.ok('aws s3 presign s3://photos/cat.jpg').trim()).searchParams.get('X-Amz-Date')).toBe('20260105T100000Z');
  });

  it('sandbox s3 cost prices storage by class (REDUCED_REDUNDANCY costs more than STANDARD)', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const MiB = 1024 * 1024;
    t.writeBytes('f', new Uint8Array(10 * MiB));
    t.ok('aws s3 cp f s3://photos/std');
    t.ok('aws s3 cp f s3://photos/rrs --storage-class REDUCED_REDUNDANCY');
    t.ok('aws s3 cp f s3://photos/deep --storage-class DEEP_ARCHIVE');
    const out = t.ok('sandbox s3 cost');
    const line = (cls: string) => out.split('\n').find((l) => l.includes(` ${cls} `))!;
    const cost = (cls: string) => Number(line(cls).trim().split(/\s+/).at(-1)!.slice(1));
    expect(cost('REDUCED_REDUNDANCY')).toBeGreaterThan(cost('STANDARD'));
    expect(cost('DEEP_ARCHIVE')).toBeLessThan(cost('STANDARD'));
    expect(out).toMatch(/Total: \$/);
  });

  it('waiters: bucket-exists and object-not-exists', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    expect(t.run('aws s3api wait bucket-exists --bucket photos').code).toBe(0);
    expect(t.run('aws s3api wait object-not-exists --bucket photos --key nope').code).toBe(0);
    const before = t.sb.now();
    expect(t.run('aws s3api wait object-exists --bucket photos --key nope').code).toBe(255);
    expect(t.sb.now() - before).toBe(19 * 5000);
  });
});

describe('aws s3 completion, downloads and views', () => {
  it('completes s3:// bucket names and one folder level of keys', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.ok('aws s3 mb s3://photos-2');
    t.write('a.txt', 'x');
    t.ok('aws s3 cp a.txt s3://photos/2026/jan/a.txt');
    t.ok('aws s3 cp a.txt s3://photos/readme.txt');
    const c = (line: string) => t.se.complete(line, line.length).candidates;
    expect(c('aws s3 ls s3://pho').sort()).toEqual(['s3://photos-2/', 's3://photos/']);
    expect(c('aws s3 cp s3://photos/')).toEqual(['s3://photos/2026/', 's3://photos/readme.txt']);
    expect(c('aws s3 cp s3://photos/2026/j')).toEqual(['s3://photos/2026/jan/']);
    expect(c('aws s3api get-object --bucket pho')).toEqual(['photos', 'photos-2']);
  });

  it('a download shares the object blob instead of storing the bytes twice', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.writeBytes('big.bin', new Uint8Array(1000).fill(3));
    t.ok('aws s3 cp big.bin s3://photos/big.bin');
    const n = t.sb.blobs.count;
    t.ok('aws s3 cp s3://photos/big.bin copy.bin');
    expect(t.sb.blobs.count).toBe(n);
    expect(t.sb.vfs.readBytes('/home/learner/copy.bin')).toHaveLength(1000);
  });

  it('views: s3-buckets and s3-objects', async () => {
    const { runView } = await import('../../../src/engine/views');
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.write('a.txt', 'hello');
    t.ok('aws s3 cp a.txt s3://photos/dir/a.txt');
    t.ok('aws s3 cp a.txt s3://photos/b.txt');
    expect(runView(t.sb, 's3-buckets')).toEqual([
      { name: 'photos', region: 'us-east-1', created: '2026-01-05T09:00:00+00:00', versioning: 'Off', objects: 2, bytes: 10 },
    ]);
    const v = runView(t.sb, 's3-objects', { bucket: 'photos' }) as any;
    expect(v.prefixes).toEqual(['dir/']);
    expect(v.objects.map((o: any) => o.key)).toEqual(['b.txt']);
  });
});

describe('aws s3 sync on a clock that did not move', () => {
  it('an edit of the same size within the same simulated second is still synced (content decides a tie)', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.write('site/a.txt', 'v1');
    expect(t.ok('aws s3 sync site s3://photos')).toBe('upload: site/a.txt to s3://photos/a.txt\n');
    expect(t.ok('aws s3 sync site s3://photos')).toBe('');
    t.write('site/a.txt', 'v2');
    expect(t.ok('aws s3 sync site s3://photos')).toBe('upload: site/a.txt to s3://photos/a.txt\n');
    t.ok('aws s3 sync s3://photos down');
    t.write('b.txt', 'v3');
    t.ok('aws s3 cp b.txt s3://photos/a.txt');
    expect(t.ok('aws s3 sync s3://photos down')).toBe('download: s3://photos/a.txt to down/a.txt\n');
    expect(t.ok('cat down/a.txt')).toBe('v3');
  });
});
