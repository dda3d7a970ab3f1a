/**
 * S3 state. Tables:
 *  - `s3.buckets`  name -> BucketRow
 *  - `s3.objects`  `${bucket}/${key}` -> ObjectRow (every version of one key, newest first)
 *  - `s3.uploads`  uploadId -> UploadRow (multipart uploads in progress)
 * Bodies are blobs referenced by id.
 */
import type { Ctx } from '../../context';
import type { Db } from '../../store/db';
import { s3Errors } from './errors';
import { TAKEN_BUCKET_NAMES } from './naming';
import { cmpUtf8 } from './util';

export const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];
export const ARCHIVE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** The learner's canonical user id (the one AWS documentation uses in examples). */
export const OWNER_ID = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

export interface Tag {
  Key: string;
  Value: string;
}

export interface LifecycleRule {
  ID?: string;
  Status: 'Enabled' | 'Disabled';
  Prefix?: string;
  Filter?: {
    Prefix?: string;
    Tag?: Tag;
    ObjectSizeGreaterThan?: number;
    ObjectSizeLessThan?: number;
    And?: { Prefix?: string; Tags?: Tag[]; ObjectSizeGreaterThan?: number; ObjectSizeLessThan?: number };
  };
  Expiration?: { Days?: number; Date?: string; ExpiredObjectDeleteMarker?: boolean };
  Transitions?: { Days?: number; Date?: string; StorageClass: string }[];
  NoncurrentVersionExpiration?: { NoncurrentDays?: number; NewerNoncurrentVersions?: number };
  NoncurrentVersionTransitions?: { NoncurrentDays?: number; StorageClass: string; NewerNoncurrentVersions?: number }[];
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: number };
}

export interface BucketRow {
  name: string;
  region: string;
  /** What CreateBucket was given (GetBucketLocation answers it; 'EU' stays 'EU'). */
  locationConstraint: string | null;
  created: number;
  ownerAccount: string;
  versioning?: 'Enabled' | 'Suspended';
  tags?: Tag[];
  encryption: { SSEAlgorithm: string; KMSMasterKeyID?: string; BucketKeyEnabled: boolean };
  publicAccessBlock: { BlockPublicAcls: boolean; IgnorePublicAcls: boolean; BlockPublicPolicy: boolean; RestrictPublicBuckets: boolean } | null;
  ownership: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | null;
  lifecycle?: LifecycleRule[];
  /** The bucket policy as given (S3 part 2: access/). */
  policy?: string;
  /** The bucket ACL's grants when not just the owner's FULL_CONTROL (S3 part 2: access/acl.ts). */
  acl?: import('./access/acl').Grant[];
}

export interface RestoreState {
  ongoing: boolean;
  /** When the restored copy expires (ms, a midnight UTC), once done. */
  expiry?: number;
  days: number;
  tier: string;
}

export interface ObjVersion {
  versionId: string;
  /** A delete marker has no body. */
  marker?: boolean;
  blob?: string;
  size: number;
  etag: string;
  lastModified: number;
  contentType?: string;
  metadata: Record<string, string>;
  storageClass: StorageClass;
  cacheControl?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  expires?: string;
  websiteRedirectLocation?: string;
  tags: Tag[];
  crc32?: string;
  partsCount?: number;
  restore?: RestoreState;
  /** The object ACL's grants when not just the owner's FULL_CONTROL (S3 part 2). */
  acl?: import('./access/acl').Grant[];
  /** The owning account when it is not the bucket's (ACLs enabled, written by another account). */
  owner?: string;
}

export interface ObjectRow {
  bucket: string;
  key: string;
  /** Newest first. Empty only while an eventual-consistency window still shows an older state. */
  versions: ObjVersion[];
  /** Eventual mode: until `until`, readers still see `versions` as they were. */
  stale?: { until: number; versions: ObjVersion[] };
}

export interface PartRow {
  blob: string;
  etag: string;
  size: number;
  lastModified: number;
}

export interface UploadRow {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: number;
  storageClass: StorageClass;
  contentType?: string;
  metadata: Record<string, string>;
  cacheControl?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  expires?: string;
  tags: Tag[];
  parts: Record<string, PartRow>;
}

export const T_BUCKETS = 's3.buckets';
export const T_OBJECTS = 's3.objects';
export const T_UPLOADS = 's3.uploads';

export const buckets = (ctx: Pick<Ctx, 'table'>) => ctx.table<BucketRow>(T_BUCKETS);
export const objects = (ctx: Pick<Ctx, 'table'>) => ctx.table<ObjectRow>(T_OBJECTS);
export const uploads = (ctx: Pick<Ctx, 'table'>) => ctx.table<UploadRow>(T_UPLOADS);
export const objKey = (bucket: string, key: string) => `${bucket}/${key}`;

/** The bucket, or NoSuchBucket / AccessDenied (a name another account owns). */
export function requireBucket(ctx: Ctx, name: string): BucketRow {
  const b = buckets(ctx).get(name);
  if (b) return b;
  if (TAKEN_BUCKET_NAMES.has(name)) throw s3Errors.accessDenied();
  throw s3Errors.noSuchBucket(name);
}

/** Does the bucket's region run the historical eventual-consistency model? */
export function isEventual(ctx: Ctx, bucket: BucketRow): boolean {
  return ctx.config().s3Consistency[bucket.region] === 'eventual';
}

/** The versions a reader sees now (the stale view during an eventual-consistency window). */
export function visibleVersions(row: ObjectRow | undefined, now: number): ObjVersion[] {
  if (!row) return [];
  if (row.stale && now < row.stale.until) return row.stale.versions;
  return row.versions;
}

/** The current (latest, non-marker) version a reader sees, if any. */
export function currentVersion(row: ObjectRow | undefined, now: number): ObjVersion | undefined {
  const v = visibleVersions(row, now)[0];
  return v && !v.marker ? v : undefined;
}

/** A seeded window, in simulated ms, during which an overwrite or delete is not yet seen (eventual mode). */
export function staleWindow(ctx: Ctx): number {
  return ctx.rng.int(2, 12) * 1000;
}

export const STALE_TIMER = 's3.stale-expire';
/** How long a failed GET/HEAD keeps a new key invisible in eventual mode (negative caching). */
const MISS_MEMORY_MS = 5 * 60_000;

/** Eventual mode: was this key asked for (and not found) recently? Read from the call log, which failed calls also reach. */
function recentlyMissed(ctx: Ctx, bucket: string, key: string): boolean {
  const since = ctx.now() - MISS_MEMORY_MS;
  for (const c of ctx.table<{ service: string; operation: string; input: Record<string, unknown>; ok: boolean; at: number; errorCode?: string }>('calls').values()) {
    if (c.ok || c.service !== 's3' || c.at < since) continue;
    if (c.operation !== 'GetObject' && c.operation !== 'HeadObject') continue;
    if (c.errorCode !== 'NoSuchKey' && c.errorCode !== '404') continue;
    if (c.input['Bucket'] === bucket && c.input['Key'] === key) return true;
  }
  return false;
}

/**
 * Write a key's new version list, keeping the eventual-consistency stale view
 * when the region is in eventual mode. An empty list deletes the row unless a
 * stale view must still be served. Blobs of a stale view are retained until it ends.
 */
export function writeVersions(ctx: Ctx, bucket: BucketRow, key: string, next: ObjVersion[]): void {
  const t = objects(ctx);
  const id = objKey(bucket.name, key);
  const row = t.get(id);
  const now = ctx.now();
  let stale = row?.stale && now < row.stale.until ? row.stale : undefined;
  if (row?.stale && !stale) releaseVersions(ctx, row.stale.versions);
  if (!stale && isEventual(ctx, bucket)) {
    const before = visibleVersions(row, now);
    const hadVisible = before.length > 0 && !before[0]!.marker;
    if (hadVisible || recentlyMissed(ctx, bucket.name, key)) {
      stale = { until: now + staleWindow(ctx), versions: before };
      for (const v of before) if (v.blob) ctx.blobs.retain(v.blob);
      ctx.scheduler.schedule(stale.until, STALE_TIMER, { bucket: bucket.name, key, until: stale.until });
    }
  }
  if (next.length === 0 && !stale) {
    if (row) t.delete(id);
    return;
  }
  t.set(id, { bucket: bucket.name, key, versions: next, ...(stale ? { stale } : {}) });
}

/** Timer: an eventual-consistency window ends; readers now see the latest state. */
export function endStaleWindow(ctx: Ctx, p: { bucket: string; key: string; until: number }): void {
  const t = objects(ctx);
  const id = objKey(p.bucket, p.key);
  const row = t.get(id);
  if (!row?.stale || row.stale.until !== p.until) return;
  releaseVersions(ctx, row.stale.versions);
  if (!row.versions.length) t.delete(id);
  else t.set(id, { bucket: row.bucket, key: row.key, versions: row.versions });
}

/**
 * Store a body as a blob. When the bytes are exactly those of a home-folder
 * file (an upload of that file: same buffer, offset and length), the file's
 * blob is shared instead: no second copy to persist and no second MD5.
 */
export function storeBody(ctx: Ctx, bytes: Uint8Array): string {
  if (bytes.byteLength >= 65536) {
    for (const n of ctx.table<{ type: string; blob?: string }>('fs').values()) {
      if (n.type !== 'file' || !n.blob) continue;
      const b = ctx.blobs.get(n.blob);
      if (b.buffer === bytes.buffer && b.byteOffset === bytes.byteOffset && b.byteLength === bytes.byteLength) return ctx.blobs.retain(n.blob);
    }
  }
  return ctx.blobs.put(bytes);
}

/** Release the blobs a list of versions holds. */
export function releaseVersions(ctx: Ctx, versions: readonly ObjVersion[]): void {
  for (const v of versions) if (v.blob) ctx.blobs.release(v.blob);
}

// ---------------------------------------------------------------- key index

/**
 * A sorted index of each bucket's keys (UTF-8 byte order), kept outside the
 * journaled tables and maintained incrementally from committed changes, so a
 * listing does a binary search instead of sorting the whole bucket. It is an
 * exact mirror of the `s3.objects` table; when its size disagrees with the
 * table (after a load, an import or a reset) it is rebuilt.
 */
export class KeyIndex {
  private readonly byBucket = new Map<string, string[]>();
  total = 0;

  rebuild(db: Db): void {
    this.byBucket.clear();
    this.total = 0;
    for (const id of db.table<ObjectRow>(T_OBJECTS).keys()) {
      const i = id.indexOf('/');
      const b = id.slice(0, i);
      let arr = this.byBucket.get(b);
      if (!arr) this.byBucket.set(b, (arr = []));
      arr.push(id.slice(i + 1));
      this.total++;
    }
    for (const arr of this.byBucket.values()) arr.sort(cmpUtf8);
  }

  add(bucket: string, key: string): void {
    let arr = this.byBucket.get(bucket);
    if (!arr) this.byBucket.set(bucket, (arr = []));
    const n = arr.length;
    if (n === 0 || cmpUtf8(arr[n - 1]!, key) < 0) {
      arr.push(key);
      this.total++;
      return;
    }
    const i = lowerBound(arr, key);
    if (arr[i] === key) return;
    arr.splice(i, 0, key);
    this.total++;
  }

  remove(bucket: string, key: string): void {
    const arr = this.byBucket.get(bucket);
    if (!arr) return;
    const i = lowerBound(arr, key);
    if (arr[i] !== key) return;
    arr.splice(i, 1);
    this.total--;
    if (arr.length === 0) this.byBucket.delete(bucket);
  }

  keys(bucket: string): readonly string[] {
    return this.byBucket.get(bucket) ?? EMPTY;
  }
}

const EMPTY: readonly string[] = [];

/** First index whose key is >= `key`. */
export function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmpUtf8(arr[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is > `key`. */
export function upperBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmpUtf8(arr[mid]!, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index at or after `from` whose key does not start with `prefix` (keys with a prefix are contiguous). */
export function endOfPrefix(arr: readonly string[], prefix: string, from: number): number {
  let lo = from;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]!.startsWith(prefix)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const INDEXES = new WeakMap<Db, KeyIndex>();

export function keyIndex(db: Db): KeyIndex {
  let idx = INDEXES.get(db);
  if (!idx) {
    idx = new KeyIndex();
    idx.rebuild(db);
    INDEXES.set(db, idx);
  } else if (idx.total !== db.table(T_OBJECTS).size) idx.rebuild(db);
  return idx;
}

/** Keep the index in step with committed changes (registered in the service's setup). */
export function trackChanges(db: Db, changes: readonly { table: string; key: string; value: unknown; prev: unknown }[]): void {
  const idx = INDEXES.get(db);
  if (!idx) return;
  for (const c of changes) {
    if (c.table !== T_OBJECTS) continue;
    const i = c.key.indexOf('/');
    const b = c.key.slice(0, i);
    const k = c.key.slice(i + 1);
    if (c.value !== undefined && c.prev === undefined) idx.add(b, k);
    else if (c.value === undefined && c.prev !== undefined) idx.remove(b, k);
  }
}

/** Does the bucket hold any object, version or delete marker? (Uploads in progress do not count.) */
export function bucketHasContent(ctx: Ctx, bucket: string): boolean {
  const t = objects(ctx);
  for (const k of keyIndex(ctx.db).keys(bucket)) {
    const row = t.get(objKey(bucket, k));
    if (row && row.versions.length) return true;
  }
  return false;
}
