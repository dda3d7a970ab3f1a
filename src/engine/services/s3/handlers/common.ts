/** Pieces shared by the object handlers: input members, validation, output headers, version lookup. */
import { s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { isoTime, httpDate } from '../../../clock';
import { s3Errors } from '../errors';
import {
  STORAGE_CLASSES,
  ARCHIVE_CLASSES,
  objects,
  objKey,
  visibleVersions,
  writeVersions,
  releaseVersions,
  type BucketRow,
  type ObjVersion,
  type StorageClass,
  type Tag,
} from '../model';
import { utf8Length } from '../util';
import { validateTags } from './buckets';
import { expirationHeader } from '../rules';
import { sseWriteMembers, sseHeader, sseDetails } from '../encryption';

export const bucketArg = () => s.str({ doc: 'The bucket name.', complete: 'bucket' });
export const keyArg = () => s.str({ doc: 'The object key.', min: 1, complete: 's3-key' });
export const storageClassShape = () =>
  s.enum(STORAGE_CLASSES, { doc: 'STANDARD (default), REDUCED_REDUNDANCY, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER, DEEP_ARCHIVE or GLACIER_IR.' });

/** The system and user metadata members PutObject, CopyObject and CreateMultipartUpload share. */
export const objectMetaMembers = () => ({
  ACL: s.str({ doc: 'A canned ACL (S3 part 2 evaluates it).' }),
  CacheControl: s.str(),
  ContentDisposition: s.str(),
  ContentEncoding: s.str(),
  ContentLanguage: s.str(),
  ContentType: s.str({ doc: 'MIME type; binary/octet-stream when not given.' }),
  Expires: s.ts(),
  Metadata: s.map(s.str(), { doc: 'User metadata, returned with lowercase keys (2 KB at most).' }),
  ServerSideEncryption: s.enum(['AES256', 'aws:kms', 'aws:kms:dsse'] as const),
  StorageClass: storageClassShape(),
  Tagging: s.str({ doc: 'Tags as a URL query string: key1=value1&key2=value2.' }),
  WebsiteRedirectLocation: s.str(),
  ...sseWriteMembers(),
});

export interface MetaInput {
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  ContentType?: string;
  Expires?: number;
  Metadata?: Record<string, string>;
  StorageClass?: string;
  Tagging?: string;
  WebsiteRedirectLocation?: string;
}

export function checkKey(key: string): void {
  const n = utf8Length(key);
  if (n > 1024) throw s3Errors.keyTooLong(n);
  if (n === 0) throw s3Errors.invalidArgument('Key must not be empty', 'key', key);
}

export function checkStorageClass(sc: string | undefined): StorageClass {
  if (sc === undefined || sc === '') return 'STANDARD';
  if (!(STORAGE_CLASSES as readonly string[]).includes(sc)) throw s3Errors.invalidStorageClass();
  return sc as StorageClass;
}

/** User metadata with lowercase keys; MetadataTooLarge past 2 KB. */
export function normaliseMetadata(meta: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  let size = 0;
  for (const [k, v] of Object.entries(meta ?? {})) {
    out[k.toLowerCase()] = String(v);
    size += utf8Length(k) + utf8Length(String(v));
  }
  if (size > 2048) throw s3Errors.metadataTooLarge(size);
  return out;
}

export function parseTagging(text: string | undefined): Tag[] {
  if (!text) return [];
  const tags: Tag[] = [];
  for (const part of text.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const dec = (x: string) => decodeURIComponent(x.replace(/\+/g, ' '));
    tags.push(i < 0 ? { Key: dec(part), Value: '' } : { Key: dec(part.slice(0, i)), Value: dec(part.slice(i + 1)) });
  }
  validateTags(tags, 10);
  return tags;
}

/** The system-metadata fields of a new version from a request. */
export function metaFields(input: MetaInput): Pick<ObjVersion, 'contentType' | 'cacheControl' | 'contentEncoding' | 'contentDisposition' | 'contentLanguage' | 'expires' | 'websiteRedirectLocation' | 'metadata'> {
  return {
    contentType: input.ContentType ?? 'binary/octet-stream',
    metadata: normaliseMetadata(input.Metadata),
    ...(input.CacheControl !== undefined ? { cacheControl: input.CacheControl } : {}),
    ...(input.ContentEncoding !== undefined ? { contentEncoding: input.ContentEncoding } : {}),
    ...(input.ContentDisposition !== undefined ? { contentDisposition: input.ContentDisposition } : {}),
    ...(input.ContentLanguage !== undefined ? { contentLanguage: input.ContentLanguage } : {}),
    ...(input.Expires !== undefined ? { expires: isoTime(input.Expires) } : {}),
    ...(input.WebsiteRedirectLocation !== undefined ? { websiteRedirectLocation: input.WebsiteRedirectLocation } : {}),
  };
}

const STORED_HEADERS = ['contentType', 'cacheControl', 'contentEncoding', 'contentDisposition', 'contentLanguage', 'expires'] as const;
type StoredHeaders = Partial<Record<(typeof STORED_HEADERS)[number], string>>;

/** The stored headers of a version or upload that are set, to spread into another row (absent ones stay absent). */
export function storedHeaders(src: StoredHeaders): StoredHeaders {
  const out: StoredHeaders = {};
  for (const k of STORED_HEADERS) if (src[k] !== undefined) out[k] = src[k];
  return out;
}

export function newVersionId(ctx: Ctx, bucket: BucketRow): string {
  return bucket.versioning === 'Enabled' ? ctx.rng.alnum(32) : 'null';
}

/** Add a new current version, replacing the `null` version unless versioning is Enabled. */
export function putVersion(ctx: Ctx, bucket: BucketRow, key: string, v: ObjVersion): void {
  const row = objects(ctx).get(objKey(bucket.name, key));
  const old = row?.versions ?? [];
  if (bucket.versioning === 'Enabled') {
    writeVersions(ctx, bucket, key, [v, ...old]);
  } else {
    // write first, then release: an eventual-consistency window may still retain the old body
    writeVersions(ctx, bucket, key, [v, ...old.filter((x) => x.versionId !== 'null')]);
    releaseVersions(
      ctx,
      old.filter((x) => x.versionId === 'null'),
    );
  }
}

/** Is the object readable now (archived classes need a finished restore)? */
export function isReadable(v: ObjVersion): boolean {
  if (!ARCHIVE_CLASSES.has(v.storageClass)) return true;
  return !!v.restore && !v.restore.ongoing;
}

/**
 * Find the version a GET/HEAD addresses. Throws NoSuchKey, NoSuchVersion, InvalidArgument or MethodNotAllowed
 * (a delete marker asked for by id).
 */
export function findVersion(ctx: Ctx, bucket: BucketRow, key: string, versionId: string | undefined): ObjVersion {
  const row = objects(ctx).get(objKey(bucket.name, key));
  const vs = visibleVersions(row, ctx.now());
  if (versionId !== undefined) {
    if (versionId !== 'null' && !/^[A-Za-z0-9._+/=-]{1,1024}$/.test(versionId)) throw s3Errors.invalidVersionId();
    const v = vs.find((x) => x.versionId === versionId);
    if (!v) {
      if (versionId !== 'null' && !/^[A-Za-z0-9]{32}$/.test(versionId)) throw s3Errors.invalidVersionId();
      throw s3Errors.noSuchVersion(key, versionId);
    }
    if (v.marker) throw s3Errors.methodNotAllowed();
    return v;
  }
  const v = vs[0];
  if (!v || v.marker) throw s3Errors.noSuchKey(key);
  return v;
}

export function restoreHeader(v: ObjVersion): string | undefined {
  if (!v.restore) return undefined;
  if (v.restore.ongoing) return 'ongoing-request="true"';
  return `ongoing-request="false", expiry-date="${httpDate(v.restore.expiry ?? 0)}"`;
}

/** The response headers of GET/HEAD, in the order the CLI prints them. */
export function objectHeaders(bucket: BucketRow, v: ObjVersion, opts: { head: boolean; length?: number; range?: string; key: string; current: boolean }) {
  const restore = restoreHeader(v);
  const out: Record<string, unknown> = { AcceptRanges: 'bytes' };
  const expiration = opts.current ? expirationHeader(bucket, opts.key, v) : undefined;
  if (expiration) out['Expiration'] = expiration;
  if (restore) out['Restore'] = restore;
  out['LastModified'] = isoTime(v.lastModified);
  out['ContentLength'] = opts.length ?? v.size;
  out['ETag'] = v.etag;
  if (bucket.versioning) out['VersionId'] = v.versionId;
  if (v.cacheControl !== undefined) out['CacheControl'] = v.cacheControl;
  if (v.contentDisposition !== undefined) out['ContentDisposition'] = v.contentDisposition;
  if (v.contentEncoding !== undefined) out['ContentEncoding'] = v.contentEncoding;
  if (v.contentLanguage !== undefined) out['ContentLanguage'] = v.contentLanguage;
  if (opts.range) out['ContentRange'] = opts.range;
  out['ContentType'] = v.contentType ?? 'binary/octet-stream';
  if (v.expires !== undefined) out['Expires'] = v.expires;
  if (v.websiteRedirectLocation !== undefined) out['WebsiteRedirectLocation'] = v.websiteRedirectLocation;
  Object.assign(out, sseHeader(v.encryption));
  out['Metadata'] = { ...v.metadata };
  Object.assign(out, sseDetails(v.encryption));
  if (v.storageClass !== 'STANDARD') out['StorageClass'] = v.storageClass;
  if (!opts.head && v.tags.length) out['TagCount'] = v.tags.length;
  return out;
}

/** ETag comparison ignoring quotes; `*` matches anything. */
export function etagMatches(header: string, etag: string): boolean {
  const bare = etag.replace(/"/g, '');
  return header.split(',').some((h) => {
    const t = h.trim().replace(/^W\//, '').replace(/"/g, '');
    return t === '*' || t === bare;
  });
}
