/** Moving bytes for `aws s3 cp|mv|sync`: uploads (multipart above 8 MiB), downloads, copies, as API calls. */
import type { ApiResponse } from '../../../engine';
import type { AwsCommandContext } from '../custom';
import { guessContentType } from '../../../engine/services/s3/util';
import { objects, objKey, currentVersion } from '../../../engine/services/s3/model';
import { parseMetadata, one, type Parsed } from './util';
import { CliError } from '../params';

/** The CLI's defaults: multipart_threshold and multipart_chunksize are both 8 MiB. */
export const MULTIPART_THRESHOLD = 8 * 1024 * 1024;
export const MULTIPART_CHUNKSIZE = 8 * 1024 * 1024;

export interface CallError {
  code: string;
  message: string;
  operation: string;
  /** A client-side failure (botocore's ParamValidationError): printed as it is. */
  client?: string;
}

export const errorText = (e: CallError) => e.client ?? `An error occurred (${e.code}) when calling the ${e.operation} operation: ${e.message}`;

/**
 * Run a transfer step; a client-side parameter error (thrown by the caller, exit 252 when
 * uncaught) becomes this file's failure, as s3transfer reports it for each file.
 */
export function guarded(fn: () => CallError | null): CallError | null {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CliError && e.exitCode === 252) return { code: '', message: e.message, operation: '', client: e.message };
    // a request that cannot leave the network (sandbox run-from a subnet without a route): one failed transfer, as the CLI reports it
    if (e instanceof CliError && e.exitCode === 255 && e.message.startsWith('Could not connect to the endpoint URL')) return { code: '', message: e.message, operation: '', client: e.message };
    throw e;
  }
}

function fail(r: ApiResponse, operation: string): CallError | null {
  return r.ok ? null : { code: r.error.code, message: r.error.message, operation };
}

/** Request members for uploads and copies, from the command's options. */
export function objectParams(p: Parsed, fileName: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ct = one(p, '--content-type') ?? (fileName && !p.flags.has('--no-guess-mime-type') ? guessContentType(fileName) : undefined);
  if (ct) out['ContentType'] = ct;
  const map: [string, string][] = [
    ['--storage-class', 'StorageClass'],
    ['--cache-control', 'CacheControl'],
    ['--content-disposition', 'ContentDisposition'],
    ['--content-encoding', 'ContentEncoding'],
    ['--content-language', 'ContentLanguage'],
    ['--website-redirect', 'WebsiteRedirectLocation'],
    ['--acl', 'ACL'],
  ];
  for (const [opt, member] of map) {
    const v = one(p, opt);
    if (v !== undefined) out[member] = v;
  }
  const exp = one(p, '--expires');
  if (exp !== undefined) {
    const t = Date.parse(exp);
    if (!Number.isNaN(t)) out['Expires'] = t;
  }
  const md = one(p, '--metadata');
  if (md !== undefined) out['Metadata'] = parseMetadata(md);
  const md2 = one(p, '--metadata-directive');
  if (md2 !== undefined) out['MetadataDirective'] = md2;
  const sse = one(p, '--sse');
  if (sse !== undefined) out['ServerSideEncryption'] = sse === '' ? 'AES256' : sse;
  const kmsKey = one(p, '--sse-kms-key-id');
  if (kmsKey !== undefined) out['SSEKMSKeyId'] = kmsKey;
  return { ...out, ...sseCParams(p) };
}

/** `--sse-c [AES256] --sse-c-key KEY`: SSE-C members for the object written or read. */
export function sseCParams(p: Parsed): Record<string, unknown> {
  const alg = one(p, '--sse-c');
  const key = one(p, '--sse-c-key');
  if (alg === undefined && key === undefined) return {};
  return { SSECustomerAlgorithm: alg || 'AES256', ...(key !== undefined ? { SSECustomerKey: key } : {}) };
}

/** `--sse-c-copy-source [AES256] --sse-c-copy-source-key KEY`: the SSE-C key of a copy's source, as CopyObject (`copy`) or HeadObject (`read`) takes it. */
export function sseCCopySourceParams(p: Parsed, as: 'copy' | 'read'): Record<string, unknown> {
  const alg = one(p, '--sse-c-copy-source');
  const key = one(p, '--sse-c-copy-source-key');
  if (alg === undefined && key === undefined) return {};
  const pre = as === 'copy' ? 'CopySourceSSECustomer' : 'SSECustomer';
  return { [`${pre}Algorithm`]: alg || 'AES256', ...(key !== undefined ? { [`${pre}Key`]: key } : {}) };
}

/** Upload bytes to bucket/key: PutObject, or a multipart upload above the threshold (parts are views, not copies). */
export function uploadBytes(ctx: AwsCommandContext, bytes: Uint8Array, bucket: string, key: string, params: Record<string, unknown>): CallError | null {
  if (bytes.byteLength <= MULTIPART_THRESHOLD) {
    return fail(ctx.call('s3', 'PutObject', { Bucket: bucket, Key: key, Body: bytes, ...params }), 'PutObject');
  }
  const created = ctx.call('s3', 'CreateMultipartUpload', { Bucket: bucket, Key: key, ...params });
  if (!created.ok) return fail(created, 'CreateMultipartUpload');
  const uploadId = (created.output as { UploadId: string }).UploadId;
  let chunk = MULTIPART_CHUNKSIZE;
  if (Math.ceil(bytes.byteLength / chunk) > 10000) chunk = Math.ceil(bytes.byteLength / 10000);
  const parts: { ETag: string; PartNumber: number }[] = [];
  for (let off = 0, n = 1; off < bytes.byteLength; off += chunk, n++) {
    const r = ctx.call('s3', 'UploadPart', { Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: n, Body: bytes.subarray(off, off + chunk) });
    if (!r.ok) {
      ctx.call('s3', 'AbortMultipartUpload', { Bucket: bucket, Key: key, UploadId: uploadId });
      return fail(r, 'UploadPart');
    }
    parts.push({ ETag: (r.output as { ETag: string }).ETag, PartNumber: n });
  }
  const done = ctx.call('s3', 'CompleteMultipartUpload', { Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } });
  if (!done.ok) {
    ctx.call('s3', 'AbortMultipartUpload', { Bucket: bucket, Key: key, UploadId: uploadId });
    return fail(done, 'CompleteMultipartUpload');
  }
  return null;
}

/** Download bucket/key into a home-folder file, giving it the object's LastModified as its mtime (as the CLI does). */
export function downloadTo(ctx: AwsCommandContext, bucket: string, key: string, abs: string, extra: Record<string, unknown> = {}): CallError | null {
  const r = ctx.call('s3', 'GetObject', { Bucket: bucket, Key: key, ...extra });
  if (!r.ok) return fail(r, 'GetObject');
  const out = r.output as { Body: Uint8Array; LastModified: string; ETag: string };
  // Link the file to the object's own blob when it is the whole body: no second copy, no second MD5.
  const sb0 = ctx.sandbox;
  const v = currentVersion(objects({ table: (n) => sb0.db.table(n) }).get(objKey(bucket, key)), sb0.now());
  const blob = v?.blob && v.etag === out.ETag && sb0.blobs.get(v.blob) === out.Body ? v.blob : undefined;
  const opts = { mtime: Date.parse(out.LastModified), createParents: true };
  try {
    ctx.sandbox.mutate((sb) => (blob ? sb.vfs.linkBlob(abs, blob, opts) : sb.vfs.writeBytes(abs, out.Body, opts)));
  } catch (e) {
    return { code: 'Errno', message: e instanceof Error ? e.message : String(e), operation: 'GetObject' };
  }
  return null;
}

export function copyObject(ctx: AwsCommandContext, src: { bucket: string; key: string }, bucket: string, key: string, params: Record<string, unknown>): CallError | null {
  const source = `${src.bucket}/${encodeURIComponent(src.key).replace(/%2F/g, '/')}`;
  const replace = ['ContentType', 'CacheControl', 'ContentDisposition', 'ContentEncoding', 'ContentLanguage', 'Expires', 'Metadata'].some((k) => k in params);
  const input: Record<string, unknown> = { Bucket: bucket, Key: key, CopySource: source, ...params };
  if (replace && input['MetadataDirective'] === undefined) input['MetadataDirective'] = 'REPLACE';
  return fail(ctx.call('s3', 'CopyObject', input), 'CopyObject');
}

export function deleteObject(ctx: AwsCommandContext, bucket: string, key: string): CallError | null {
  return fail(ctx.call('s3', 'DeleteObject', { Bucket: bucket, Key: key }), 'DeleteObject');
}

export interface Listed {
  key: string;
  size: number;
  lastModified: number;
  storageClass: string;
  etag: string;
}

/** Every object under a prefix (all pages of ListObjectsV2). */
export function listAll(ctx: AwsCommandContext, bucket: string, prefix: string): Listed[] | CallError {
  const out: Listed[] = [];
  let token: string | undefined;
  for (;;) {
    const r = ctx.call('s3', 'ListObjectsV2', { Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) });
    if (!r.ok) return fail(r, 'ListObjectsV2')!;
    const o = r.output as {
      Contents?: { Key: string; Size: number; LastModified: string; StorageClass: string; ETag: string }[];
      NextContinuationToken?: string;
      IsTruncated: boolean;
    };
    for (const c of o.Contents ?? []) out.push({ key: c.Key, size: c.Size, lastModified: Date.parse(c.LastModified), storageClass: c.StorageClass, etag: c.ETag });
    if (!o.IsTruncated || !o.NextContinuationToken) break;
    token = o.NextContinuationToken;
  }
  return out;
}
