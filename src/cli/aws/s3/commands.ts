/**
 * The high-level `aws s3` commands (ls, cp, mv, rm, sync, mb, rb, presign),
 * printing what AWS CLI v2 prints and exiting as it does: 0, 1 when a
 * transfer failed, 2 when files were skipped with a warning, 252 for usage
 * errors, 254 for a service error outside a transfer.
 */
import { lsTime, basename, FsError, ADMIN_IDENTITY } from '../../../engine';
import { buckets as bucketTable, walkKeys } from '../../../engine/services/s3';
import type { AwsCommandContext } from '../custom';
import { registerAwsCustomCommand } from '../custom';
import { md5Hex, utf8 } from '../../../engine/store/blobs';
import {
  parseArgs,
  usage,
  one,
  isS3,
  parseS3,
  s3Url,
  displayLocal,
  absLocal,
  makeFilter,
  humanSize,
  type Parsed,
} from './util';
import { objectParams, sseCParams, sseCCopySourceParams, uploadBytes, downloadTo, copyObject, deleteObject, listAll, errorText, guarded, type CallError, type Listed } from './transfer';

const ARCHIVE = new Set(['GLACIER', 'DEEP_ARCHIVE']);

function parsed(ctx: AwsCommandContext, args: string[], allowed: readonly string[]): Parsed | number {
  const p = parseArgs(args, allowed);
  if ('error' in p) {
    if (p.error.startsWith('Unknown options')) {
      ctx.err(`\n${'usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n'}\n${p.error}\n`);
      return 252;
    }
    return usage(ctx, p.error);
  }
  return p;
}

/** Collects output lines and the exit status of a transfer command. */
class Report {
  failed = false;
  warned = false;
  constructor(
    private readonly ctx: AwsCommandContext,
    private readonly p: Parsed,
  ) {}
  private get quiet() {
    return this.p.flags.has('--quiet') || this.p.flags.has('--only-show-errors');
  }
  done(line: string): void {
    if (!this.quiet) this.ctx.out(`${this.p.flags.has('--dryrun') ? '(dryrun) ' : ''}${line}\n`);
  }
  failure(line: string): void {
    this.failed = true;
    if (!this.p.flags.has('--quiet')) this.ctx.err(`${line}\n`);
  }
  warning(line: string): void {
    this.warned = true;
    if (!this.p.flags.has('--quiet') && !this.p.flags.has('--ignore-glacier-warnings')) this.ctx.err(`warning: ${line}\n`);
    if (this.p.flags.has('--ignore-glacier-warnings')) this.warned = false;
  }
  fatal(e: CallError): number {
    this.ctx.err(`fatal error: ${errorText(e)}\n`);
    return 1;
  }
  get code(): number {
    return this.failed ? 1 : this.warned ? 2 : 0;
  }
}

const TRANSFER_OPTS = [
  '--dryrun',
  '--quiet',
  '--only-show-errors',
  '--no-progress',
  '--recursive',
  '--exclude',
  '--include',
  '--storage-class',
  '--content-type',
  '--no-guess-mime-type',
  '--cache-control',
  '--content-disposition',
  '--content-encoding',
  '--content-language',
  '--expires',
  '--metadata',
  '--metadata-directive',
  '--acl',
  '--sse',
  '--sse-kms-key-id',
  '--sse-c',
  '--sse-c-key',
  '--sse-c-copy-source',
  '--sse-c-copy-source-key',
  '--website-redirect',
  '--follow-symlinks',
  '--no-follow-symlinks',
  '--force-glacier-transfer',
  '--ignore-glacier-warnings',
  '--page-size',
  '--request-payer',
  '--expected-size',
  '--copy-props',
  '--grants',
  '--checksum-algorithm',
  '--checksum-mode',
];

function glacierWarning(op: 'download' | 'copy', url: string, sc: string): string {
  return `Skipping file ${url}. Object is of storage class ${sc}. Unable to perform ${op} operations on ${sc} objects. You must restore the object to be able to perform the operation. See aws s3 ${op} help for additional parameter options to ignore or force these transfers.`;
}

type Endpoint = { type: 's3'; bucket: string; key: string; text: string } | { type: 'local'; abs: string; text: string };

function endpoint(text: string, cwd: string): Endpoint {
  if (isS3(text)) return { type: 's3', ...parseS3(text), text };
  return { type: 'local', abs: absLocal(text, cwd), text };
}

interface Job {
  /** 'upload' | 'download' | 'copy' */
  kind: 'upload' | 'download' | 'copy';
  src: Endpoint;
  dest: Endpoint;
  /** For display. */
  srcText: string;
  destText: string;
  storageClass?: string;
  restored?: boolean;
}

function describe(ctx: AwsCommandContext, e: Endpoint): string {
  return e.type === 's3' ? s3Url(e.bucket, e.key) : displayLocal(e.abs, ctx.cwd);
}

/** Run one job; prints its line. `verb` is the printed word (upload/download/copy or move). */
function runJob(ctx: AwsCommandContext, r: Report, p: Parsed, job: Job, move: boolean): void {
  const src = describe(ctx, job.src);
  const dest = describe(ctx, job.dest);
  const verb = move ? 'move' : job.kind;
  if (job.kind !== 'upload' && job.storageClass && ARCHIVE.has(job.storageClass) && !job.restored && !p.flags.has('--force-glacier-transfer')) {
    r.warning(glacierWarning(job.kind === 'download' ? 'download' : 'copy', src, job.storageClass));
    return;
  }
  if (p.flags.has('--dryrun')) {
    r.done(`${verb}: ${src} to ${dest}`);
    return;
  }
  let err: CallError | null = null;
  if (job.src.type === 'local' && job.dest.type === 's3') {
    let bytes: Uint8Array;
    try {
      bytes = ctx.sandbox.vfs.readBytes(job.src.abs);
    } catch (e) {
      r.failure(`${verb} failed: ${src} to ${dest} ${e instanceof FsError ? `[Errno 2] ${e.message}` : String(e)}`);
      return;
    }
    const [d, name] = [job.dest, basename(job.src.abs)];
    err = guarded(() => uploadBytes(ctx, bytes, d.bucket, d.key, objectParams(p, name)));
  } else if (job.src.type === 's3' && job.dest.type === 'local') {
    const [s, d] = [job.src, job.dest];
    err = guarded(() => downloadTo(ctx, s.bucket, s.key, d.abs, sseCParams(p)));
  } else if (job.src.type === 's3' && job.dest.type === 's3') {
    const [s, d] = [job.src, job.dest];
    err = guarded(() => copyObject(ctx, s, d.bucket, d.key, { ...objectParams(p, undefined), ...sseCCopySourceParams(p, 'copy') }));
  }
  if (err) {
    r.failure(`${verb} failed: ${src} to ${dest} ${errorText(err)}`);
    return;
  }
  if (move) {
    if (job.src.type === 's3') {
      const s = job.src;
      const d = guarded(() => deleteObject(ctx, s.bucket, s.key));
      if (d) {
        r.failure(`${verb} failed: ${src} to ${dest} ${errorText(d)}`);
        return;
      }
    } else {
      const abs = job.src.abs;
      ctx.sandbox.mutate((sb) => sb.vfs.remove(abs));
    }
  }
  r.done(`${verb}: ${src} to ${dest}`);
}

/** Join a destination folder or prefix and a relative name. */
function under(dest: Endpoint, rel: string): Endpoint {
  if (dest.type === 's3') {
    const base = dest.key === '' || dest.key.endsWith('/') ? dest.key : dest.key + '/';
    return { type: 's3', bucket: dest.bucket, key: base + rel, text: dest.text };
  }
  return { type: 'local', abs: `${dest.abs === '/' ? '' : dest.abs}/${rel}`, text: dest.text };
}

/** The source's files: [relative name, job source, size, mtime, storage class]. */
interface SourceFile {
  rel: string;
  ep: Endpoint;
  size: number;
  mtime: number;
  storageClass?: string;
  /** MD5 of the content when known without reading it: a local file's blob, or an object's single-part ETag. */
  md5?: string;
}

function listSource(ctx: AwsCommandContext, src: Endpoint): SourceFile[] | CallError | { missing: string } {
  if (src.type === 'local') {
    if (!ctx.sandbox.vfs.isDir(src.abs)) return { missing: src.text };
    const base = src.abs === '/' ? '/' : src.abs + '/';
    return ctx.sandbox.vfs.walk(src.abs).map((abs) => {
      const st = ctx.sandbox.vfs.stat(abs)!;
      const md5 = st.blob ? ctx.sandbox.blobs.md5(st.blob) : undefined;
      return { rel: abs.slice(base.length), ep: { type: 'local', abs, text: src.text } as Endpoint, size: st.size, mtime: st.mtime, ...(md5 ? { md5 } : {}) };
    });
  }
  const prefix = src.key === '' || src.key.endsWith('/') ? src.key : src.key + '/';
  const listed = listAll(ctx, src.bucket, prefix);
  if (!Array.isArray(listed)) return listed;
  return listed
    .filter((o) => !o.key.endsWith('/') || o.size > 0)
    .map((o: Listed) => ({
      rel: o.key.slice(prefix.length),
      ep: { type: 's3', bucket: src.bucket, key: o.key, text: src.text } as Endpoint,
      size: o.size,
      mtime: o.lastModified,
      storageClass: o.storageClass,
      ...(/^"[0-9a-f]{32}"$/.test(o.etag) ? { md5: o.etag.slice(1, -1) } : {}),
    }));
}

function kindOf(src: Endpoint, dest: Endpoint): Job['kind'] | null {
  if (src.type === 'local' && dest.type === 's3') return 'upload';
  if (src.type === 's3' && dest.type === 'local') return 'download';
  if (src.type === 's3' && dest.type === 's3') return 'copy';
  return null;
}

function cpOrMv(ctx: AwsCommandContext, args: string[], move: boolean): number {
  const p = parsed(ctx, args, TRANSFER_OPTS);
  if (typeof p === 'number') return p;
  if (p.positionals.length < 2) return usage(ctx, 'the following arguments are required: paths');
  if (p.positionals.length > 2) return usage(ctx, `Unknown options: ${p.positionals.slice(2).join(', ')}`);
  const [a, b] = p.positionals as [string, string];
  const r = new Report(ctx, p);
  // Streams: `-` is stdin (upload) or stdout (download).
  if (b === '-' && isS3(a)) {
    const s = parseS3(a);
    const res = ctx.call('s3', 'GetObject', { Bucket: s.bucket, Key: s.key, ...sseCParams(p) });
    if (!res.ok) return r.fatal({ code: res.error.code, message: res.error.message, operation: 'GetObject' });
    ctx.out((res.output as { Body: Uint8Array }).Body);
    return 0;
  }
  if (a === '-' && isS3(b)) {
    const d = parseS3(b);
    const e = uploadBytes(ctx, ctx.stdinBytes ?? utf8.encode(ctx.stdin), d.bucket, d.key, objectParams(p, d.key));
    if (e) {
      r.failure(`upload failed: - to ${b} ${errorText(e)}`);
      return 1;
    }
    return 0;
  }
  const src = endpoint(a, ctx.cwd);
  const dest = endpoint(b, ctx.cwd);
  const kind = kindOf(src, dest);
  if (!kind) {
    ctx.err(`\nError: Invalid argument type\n`);
    return 252;
  }
  if (src.type === 's3' && !src.bucket) return usage(ctx, 'Invalid S3 path');
  const filter = makeFilter(args);
  if (p.flags.has('--recursive')) {
    const files = listSource(ctx, src);
    if ('missing' in files) {
      ctx.err(`\nThe user-provided path ${files.missing} does not exist.\n`);
      return 255;
    }
    if (!Array.isArray(files)) return r.fatal(files);
    for (const f of files) {
      if (!filter(f.rel)) continue;
      runJob(ctx, r, p, { kind, src: f.ep, dest: under(dest, f.rel), srcText: '', destText: '', storageClass: f.storageClass }, move);
    }
    return r.code;
  }
  // one file
  let srcEp = src;
  let storageClass: string | undefined;
  let restored = false;
  let name: string;
  if (src.type === 'local') {
    if (ctx.sandbox.vfs.isDir(src.abs) && dest.type === 's3') {
      // a folder without --recursive: the CLI tries to upload it as one file and fails
      const slash = a.endsWith('/');
      const shown = slash ? (src.abs === ctx.cwd ? './' : `${displayLocal(src.abs, ctx.cwd).replace(/^\.\//, '')}/`) : displayLocal(src.abs, ctx.cwd);
      const key = dest.key === '' || dest.key.endsWith('/') ? dest.key + (slash ? '' : basename(src.abs)) : dest.key;
      const why = key === '' ? 'Parameter validation failed:\nInvalid length for parameter Key, value: 0, valid range: 1-inf' : `[Errno 21] Is a directory: '${src.abs}${slash && src.abs !== '/' ? '/' : ''}'`;
      r.failure(`upload failed: ${shown} to ${b} ${why}`);
      return r.code;
    }
    if (!ctx.sandbox.vfs.isFile(src.abs)) {
      ctx.err(`\nThe user-provided path ${a} does not exist.\n`);
      return 255;
    }
    name = basename(src.abs);
  } else {
    const head = ctx.call('s3', 'HeadObject', { Bucket: src.bucket, Key: src.key, ...(isS3(b) ? sseCCopySourceParams(p, 'read') : sseCParams(p)) });
    if (!head.ok) {
      const msg = head.error.code === '404' ? `Key "${src.key}" does not exist` : head.error.message;
      return r.fatal({ code: head.error.code, message: msg, operation: 'HeadObject' });
    }
    const h = head.output as { StorageClass?: string; Restore?: string };
    storageClass = h.StorageClass;
    restored = !!h.Restore && h.Restore.includes('ongoing-request="false"');
    name = basename('/' + src.key);
    srcEp = src;
  }
  if (!filter(name)) return 0;
  let destEp: Endpoint = dest;
  if (dest.type === 's3') {
    if (dest.key === '' || dest.key.endsWith('/')) destEp = { ...dest, key: dest.key + name };
  } else if (ctx.sandbox.vfs.isDir(dest.abs) || b.endsWith('/')) {
    destEp = under(dest, name);
  }
  runJob(ctx, r, p, { kind, src: srcEp, dest: destEp, srcText: a, destText: b, storageClass, restored }, move);
  return r.code;
}

// ---------------------------------------------------------------- ls

function ls(ctx: AwsCommandContext, args: string[]): number {
  const p = parsed(ctx, args, ['--recursive', '--human-readable', '--summarize', '--page-size', '--request-payer']);
  if (typeof p === 'number') return p;
  const size = (n: number) => (p.flags.has('--human-readable') ? humanSize(n) : String(n));
  const target = p.positionals[0];
  if (!target || target === 's3://') {
    const r = ctx.call('s3', 'ListBuckets', {});
    if (!r.ok) return ctx.printError(r.error, 'ListBuckets');
    for (const b of (r.output as { Buckets: { Name: string; CreationDate: string }[] }).Buckets) ctx.out(`${lsTime(Date.parse(b.CreationDate))} ${b.Name}\n`);
    return 0;
  }
  if (!isS3(target)) {
    ctx.err(`\nError: Invalid argument type\n`);
    return 252;
  }
  const { bucket, key } = parseS3(target);
  const recursive = p.flags.has('--recursive');
  const dirPart = key.slice(0, key.lastIndexOf('/') + 1);
  let token: string | undefined;
  let count = 0;
  let total = 0;
  let lines = 0;
  for (;;) {
    const input: Record<string, unknown> = { Bucket: bucket, Prefix: key, ...(recursive ? {} : { Delimiter: '/' }), ...(token ? { ContinuationToken: token } : {}) };
    const ps = one(p, '--page-size');
    if (ps) input['MaxKeys'] = Number(ps);
    const r = ctx.call('s3', 'ListObjectsV2', input);
    if (!r.ok) return ctx.printError(r.error, 'ListObjectsV2');
    const o = r.output as {
      Contents?: { Key: string; Size: number; LastModified: string }[];
      CommonPrefixes?: { Prefix: string }[];
      IsTruncated: boolean;
      NextContinuationToken?: string;
    };
    for (const cp of o.CommonPrefixes ?? []) {
      ctx.out(`${' '.repeat(27)}PRE ${cp.Prefix.slice(dirPart.length)}\n`);
      lines++;
    }
    for (const c of o.Contents ?? []) {
      const name = recursive ? c.Key : c.Key.slice(dirPart.length);
      ctx.out(`${lsTime(Date.parse(c.LastModified))} ${size(c.Size).padStart(10)} ${name}\n`);
      count++;
      total += c.Size;
      lines++;
    }
    if (!o.IsTruncated || !o.NextContinuationToken) break;
    token = o.NextContinuationToken;
  }
  if (p.flags.has('--summarize')) ctx.out(`\nTotal Objects: ${count}\n   Total Size: ${size(total)}\n`);
  // Nothing under a non-empty prefix: exit status 1, as the CLI does.
  return lines === 0 && key !== '' ? 1 : 0;
}

// ---------------------------------------------------------------- rm

function rm(ctx: AwsCommandContext, args: string[]): number {
  const p = parsed(ctx, args, ['--dryrun', '--quiet', '--only-show-errors', '--recursive', '--exclude', '--include', '--page-size', '--request-payer']);
  if (typeof p === 'number') return p;
  const target = p.positionals[0];
  if (!target) return usage(ctx, 'the following arguments are required: paths');
  if (!isS3(target)) {
    ctx.err(`\nError: Invalid argument type\n`);
    return 252;
  }
  const r = new Report(ctx, p);
  const { bucket, key } = parseS3(target);
  const filter = makeFilter(args);
  const del = (k: string) => {
    const url = s3Url(bucket, k);
    if (p.flags.has('--dryrun')) return r.done(`delete: ${url}`);
    const e = guarded(() => deleteObject(ctx, bucket, k));
    if (e) r.failure(`delete failed: ${url} ${errorText(e)}`);
    else r.done(`delete: ${url}`);
  };
  if (!p.flags.has('--recursive')) {
    if (filter(basename('/' + key))) del(key);
    return r.code;
  }
  const prefix = key === '' || key.endsWith('/') ? key : key + '/';
  const listed = listAll(ctx, bucket, prefix);
  if (!Array.isArray(listed)) return r.fatal(listed);
  for (const o of listed) if (filter(o.key.slice(prefix.length))) del(o.key);
  return r.code;
}

// ---------------------------------------------------------------- sync

function sync(ctx: AwsCommandContext, args: string[]): number {
  const p = parsed(ctx, args, [...TRANSFER_OPTS, '--delete', '--size-only', '--exact-timestamps']);
  if (typeof p === 'number') return p;
  if (p.positionals.length < 2) return usage(ctx, 'the following arguments are required: paths');
  const [a, b] = p.positionals as [string, string];
  const src = endpoint(a, ctx.cwd);
  const dest = endpoint(b, ctx.cwd);
  const kind = kindOf(src, dest);
  if (!kind) {
    ctx.err(`\nError: Invalid argument type\n`);
    return 252;
  }
  const r = new Report(ctx, p);
  const filter = makeFilter(args);
  const srcFiles = listSource(ctx, src);
  if ('missing' in srcFiles) {
    ctx.err(`\nThe user-provided path ${srcFiles.missing} does not exist.\n`);
    return 255;
  }
  if (!Array.isArray(srcFiles)) return r.fatal(srcFiles);
  let destFiles: SourceFile[] = [];
  if (dest.type === 'local' && !ctx.sandbox.vfs.isDir(dest.abs)) destFiles = [];
  else {
    const d = listSource(ctx, dest);
    if ('missing' in d) destFiles = [];
    else if (!Array.isArray(d)) return r.fatal(d);
    else destFiles = d;
  }
  const destBy = new Map(destFiles.map((f) => [f.rel, f]));
  const srcBy = new Map(srcFiles.map((f) => [f.rel, f]));
  const names = [...new Set([...srcBy.keys(), ...destBy.keys()])].sort();
  const sec = (ms: number) => Math.floor(ms / 1000);
  for (const rel of names) {
    if (!filter(rel)) continue;
    const s = srcBy.get(rel);
    const d = destBy.get(rel);
    if (!s) {
      if (!d || !p.flags.has('--delete')) continue;
      const shown = describe(ctx, d.ep);
      if (p.flags.has('--dryrun')) {
        r.done(`delete: ${shown}`);
        continue;
      }
      if (d.ep.type === 's3') {
        const e = deleteObject(ctx, d.ep.bucket, d.ep.key);
        if (e) r.failure(`delete failed: ${shown} ${errorText(e)}`);
        else r.done(`delete: ${shown}`);
      } else {
        const abs = d.ep.abs;
        ctx.sandbox.mutate((sb) => sb.vfs.remove(abs));
        r.done(`delete: ${shown}`);
      }
      continue;
    }
    if (d) {
      let same = s.size === d.size;
      if (same && !p.flags.has('--size-only')) {
        const delta = sec(d.mtime) - sec(s.mtime);
        if (kind === 'download') same = p.flags.has('--exact-timestamps') ? delta === 0 : delta <= 0;
        else same = delta >= 0;
        // The simulated clock does not move between commands, so a file edited and synced within the
        // same second ties on time; then the content decides (where real time would have moved on).
        if (same && delta === 0 && s.md5 && d.md5 && s.md5 !== d.md5) same = false;
      }
      if (same) continue;
    }
    runJob(ctx, r, p, { kind, src: s.ep, dest: d ? d.ep : under(dest, rel), srcText: '', destText: '', storageClass: s.storageClass }, false);
  }
  return r.code;
}

// ---------------------------------------------------------------- mb, rb

/** The options and the one s3:// path of mb, rb and presign, with the CLI's errors for a missing or local path. */
function s3PathArgs(ctx: AwsCommandContext, args: string[], allowed: readonly string[]): { p: Parsed; target: string } | number {
  const p = parsed(ctx, args, allowed);
  if (typeof p === 'number') return p;
  const target = p.positionals[0];
  if (!target) return usage(ctx, 'the following arguments are required: path');
  if (!isS3(target)) {
    ctx.err(`\n<S3Uri> must start with s3://\n`);
    return 252;
  }
  return { p, target };
}

function mb(ctx: AwsCommandContext, args: string[]): number {
  const a = s3PathArgs(ctx, args, ['--tags']);
  if (typeof a === 'number') return a;
  const { p, target } = a;
  const { bucket } = parseS3(target);
  const region = ctx.globals.region;
  const input: Record<string, unknown> = { Bucket: bucket };
  if (region !== 'us-east-1') input['CreateBucketConfiguration'] = { LocationConstraint: region };
  const e = guarded(() => {
    const r = ctx.call('s3', 'CreateBucket', input);
    return r.ok ? null : { ...r.error, operation: 'CreateBucket' };
  });
  if (e) {
    ctx.err(`make_bucket failed: ${target} ${errorText(e)}\n`);
    return 1;
  }
  ctx.out(`make_bucket: ${bucket}\n`);
  return 0;
}

function rb(ctx: AwsCommandContext, args: string[]): number {
  const a = s3PathArgs(ctx, args, ['--force']);
  if (typeof a === 'number') return a;
  const { p, target } = a;
  const { bucket, key } = parseS3(target);
  if (key) {
    ctx.err(`\nPlease specify a valid bucket name only. E.g. s3://${bucket}\n`);
    return 255;
  }
  if (p.flags.has('--force')) {
    const code = rm(ctx, [`s3://${bucket}/`, '--recursive']);
    if (code !== 0) {
      ctx.err(`remove_bucket failed: Unable to delete all objects in the bucket, bucket will not be deleted.\n`);
      return 1;
    }
  }
  const e = guarded(() => {
    const r = ctx.call('s3', 'DeleteBucket', { Bucket: bucket });
    return r.ok ? null : { ...r.error, operation: 'DeleteBucket' };
  });
  if (e) {
    ctx.err(`remove_bucket failed: ${target} ${errorText(e)}\n`);
    return 1;
  }
  ctx.out(`remove_bucket: ${bucket}\n`);
  return 0;
}

// ---------------------------------------------------------------- presign

/** The sandbox's access key id for the default profile (fake, as the signature is). */
export const SANDBOX_ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';

function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function presignUrl(bucket: string, key: string, region: string, now: number, expires: number): string {
  const host = region === 'us-east-1' ? `${bucket}.s3.amazonaws.com` : `${bucket}.s3.${region}.amazonaws.com`;
  const date = amzDate(now);
  const cred = `${SANDBOX_ACCESS_KEY}/${date.slice(0, 8)}/${region}/s3/aws4_request`;
  const path = '/' + encodeURIComponent(key).replace(/%2F/g, '/');
  const query =
    `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(cred)}&X-Amz-Date=${date}` +
    `&X-Amz-Expires=${expires}&X-Amz-SignedHeaders=host`;
  // Not a real HMAC: a deterministic stand-in of the right shape (64 hex digits).
  const seed = `${host}${path}?${query}`;
  const sig = md5Hex(utf8.encode(seed)) + md5Hex(utf8.encode(seed + '#2'));
  return `https://${host}${path}?${query}&X-Amz-Signature=${sig}`;
}

function presign(ctx: AwsCommandContext, args: string[]): number {
  const a = s3PathArgs(ctx, args, ['--expires-in']);
  if (typeof a === 'number') return a;
  const { p, target } = a;
  const raw = one(p, '--expires-in') ?? '3600';
  if (!/^\d+$/.test(raw)) return usage(ctx, `argument --expires-in: invalid int value: '${raw}'`);
  // the CLI signs any value; S3 refuses a URL valid for more than 604800 s only when it is used
  const expires = Number(raw);
  const { bucket, key } = parseS3(target);
  ctx.out(presignUrl(bucket, key, ctx.globals.region, ctx.sandbox.now(), expires) + '\n');
  return 0;
}

// ---------------------------------------------------------------- completion

/** Complete `s3://bucket/` and then one folder level of keys; options after `-`. */
function completeS3(options: readonly string[]) {
  return (ctx: AwsCommandContext, _args: string[], partial: string): string[] => {
    if (partial.startsWith('-')) return options.filter((o) => o.startsWith(partial));
    if (!partial.startsWith('s3://')) return partial && 's3://'.startsWith(partial) ? ['s3://'] : [];
    const c = ctx.sandbox.context(ctx.globals?.region ?? 'us-east-1', ADMIN_IDENTITY);
    const rest = partial.slice(5);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      return [...bucketTable(c).values()]
        .filter((b) => b.name.startsWith(rest))
        .map((b) => b.name)
        .sort()
        .map((n) => `s3://${n}/`);
    }
    const bucket = rest.slice(0, slash);
    if (!bucketTable(c).has(bucket)) return [];
    const typed = rest.slice(slash + 1);
    const dir = typed.slice(0, typed.lastIndexOf('/') + 1);
    const { entries } = walkKeys(c, bucket, { prefix: dir, delimiter: '/', max: 1000 });
    return entries
      .map((e) => `s3://${bucket}/${e.type === 'key' ? e.key : e.prefix}`)
      .filter((x) => x.startsWith(partial));
  };
}

// ---------------------------------------------------------------- registration

const H = (synopsis: string, body: string) => `${synopsis}\n\n${body}\n`;

registerAwsCustomCommand({
  service: 's3',
  name: 'ls',
  summary: 'List buckets, or the folders (PRE) and objects under a prefix.',
  usage: H('aws s3 ls [s3://bucket[/prefix]] [--recursive] [--human-readable] [--summarize]', 'With no path, lists your buckets with their creation dates. With a bucket, lists one level of folders (PRE) and objects: date, size and name. --recursive lists every key; --human-readable shows sizes in KiB/MiB; --summarize adds totals.\nExample: aws s3 ls s3://photos/2026/ --human-readable'),
  options: ['--recursive', '--human-readable', '--summarize', '--page-size'],
  run: ls,
  complete: completeS3(['--recursive', '--human-readable', '--summarize', '--page-size']),
});
registerAwsCustomCommand({
  service: 's3',
  name: 'cp',
  summary: 'Copy a file or object: home folder to S3, S3 to home folder, or S3 to S3.',
  usage: H('aws s3 cp <source> <destination> [--recursive] [--exclude P] [--include P] [--storage-class C] [--content-type T] [--metadata k=v] [--dryrun]', 'Uploads switch to a multipart upload above 8 MiB (the ETag then ends in -N). The Content-Type is guessed from the file name. --exclude/--include take shell-style patterns relative to the source; the last one that matches wins. Use - as the source or destination for standard input or output.\nExample: aws s3 cp ./site s3://photos/site --recursive --exclude "*.tmp"'),
  options: TRANSFER_OPTS,
  run: (ctx, args) => cpOrMv(ctx, args, false),
  complete: completeS3(TRANSFER_OPTS),
});
registerAwsCustomCommand({
  service: 's3',
  name: 'mv',
  summary: 'Move a file or object (copy, then delete the source).',
  usage: H('aws s3 mv <source> <destination> [--recursive] [--exclude P] [--include P]', 'Like cp, then deletes each source file or object that was transferred.\nExample: aws s3 mv s3://photos/tmp/a.jpg s3://photos/2026/a.jpg'),
  options: TRANSFER_OPTS,
  run: (ctx, args) => cpOrMv(ctx, args, true),
  complete: completeS3(TRANSFER_OPTS),
});
registerAwsCustomCommand({
  service: 's3',
  name: 'rm',
  summary: 'Delete an object, or every object under a prefix with --recursive.',
  usage: H('aws s3 rm s3://bucket/key [--recursive] [--exclude P] [--include P] [--dryrun]', 'In a versioned bucket this adds delete markers; older versions stay (see s3api list-object-versions).\nExample: aws s3 rm s3://photos/tmp/ --recursive'),
  options: ['--recursive', '--exclude', '--include', '--dryrun', '--quiet', '--only-show-errors'],
  run: rm,
  complete: completeS3(['--recursive', '--exclude', '--include', '--dryrun', '--quiet', '--only-show-errors']),
});
registerAwsCustomCommand({
  service: 's3',
  name: 'sync',
  summary: 'Make a destination folder or prefix match a source: copies new and changed files.',
  usage: H('aws s3 sync <source> <destination> [--delete] [--size-only] [--exact-timestamps] [--exclude P] [--include P] [--dryrun]', 'A file is copied when it is missing at the destination, its size differs, or its time says it changed. --delete also removes destination files that are not in the source.\nExample: aws s3 sync ./site s3://photos/site --delete'),
  options: [...TRANSFER_OPTS, '--delete', '--size-only', '--exact-timestamps'],
  run: sync,
  complete: completeS3([...TRANSFER_OPTS, '--delete', '--size-only', '--exact-timestamps']),
});
registerAwsCustomCommand({
  service: 's3',
  name: 'mb',
  summary: 'Make a bucket (in the region of --region).',
  usage: H('aws s3 mb s3://bucket [--region R]', 'Creates the bucket in the command\'s region.\nExample: aws s3 mb s3://photos'),
  options: ['--tags'],
  run: mb,
  complete: completeS3(['--tags']),
});
registerAwsCustomCommand({
  service: 's3',
  name: 'rb',
  summary: 'Remove an empty bucket; --force deletes its objects first.',
  usage: H('aws s3 rb s3://bucket [--force]', '--force deletes every current object first. A versioned bucket still holding old versions or delete markers cannot be removed this way.\nExample: aws s3 rb s3://photos --force'),
  options: ['--force'],
  run: rb,
  complete: completeS3(['--force']),
});
registerAwsCustomCommand({
  service: 's3',
  name: 'presign',
  summary: 'Print a pre-signed URL for an object.',
  usage: H('aws s3 presign s3://bucket/key [--expires-in SECONDS]', 'Prints a URL that grants temporary access, valid for --expires-in seconds (default 3600; the CLI signs any value, but S3 refuses a URL valid for more than 604800 s = 7 days when it is used) from the simulated clock. In Nimbus the X-Amz-Signature is a deterministic stand-in, not a real HMAC-SHA256 signature.\nExample: aws s3 presign s3://photos/cat.jpg --expires-in 600'),
  options: ['--expires-in'],
  run: presign,
  complete: completeS3(['--expires-in']),
});
