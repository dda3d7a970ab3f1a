/** Objects: put, get, head, delete, copy, tagging, versioning, restore from the archive classes. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { isoTime } from '../../../clock';
import { AwsError } from '../../../errors';
import { md5Hex } from '../../../store/blobs';
import { s3Errors, asHeadError } from '../errors';
import {
  ARCHIVE_CLASSES,
  buckets,
  objects,
  objKey,
  requireBucket,
  writeVersions,
  releaseVersions,
  visibleVersions,
  storeBody,
  type BucketRow,
  type ObjVersion,
} from '../model';
import { crc32Base64, DAY_MS, nextMidnight } from '../util';
import {
  bucketArg,
  keyArg,
  objectMetaMembers,
  checkKey,
  checkStorageClass,
  metaFields,
  parseTagging,
  newVersionId,
  putVersion,
  findVersion,
  isReadable,
  objectHeaders,
  etagMatches,
  normaliseMetadata,
  storedHeaders,
} from './common';
import { validateTags } from './buckets';
import { expirationHeader } from '../rules';
import { encryptionForWrite, checkDecryptable, etagFor, sseOutput, sseReadMembers, sseCopySourceMembers } from '../encryption';

function isCurrent(ctx: Ctx, b: BucketRow, key: string, v: ObjVersion): boolean {
  return visibleVersions(objects(ctx).get(objKey(b.name, key)), ctx.now())[0] === v;
}

const MAX_PUT = 5 * 1024 ** 3;

export const PutObject = op({
  name: 'PutObject',
  doc: 'Uploads an object in one request (up to 5 GB). The body is read from a file: --body ./photo.jpg.',
  input: s.struct(
    {
      Bucket: bucketArg(),
      Key: keyArg(),
      Body: s.blob({ streaming: true, doc: 'The file to upload.' }),
      ContentLength: s.long(),
      ContentMD5: s.str(),
      ...objectMetaMembers(),
    },
    ['Bucket', 'Key'],
  ),
  errors: ['NoSuchBucket', 'KeyTooLongError', 'MetadataTooLarge', 'InvalidStorageClass', 'EntityTooLarge', 'InvalidTag'],
  example: 'aws s3api put-object --bucket photos --key cat.jpg --body cat.jpg --content-type image/jpeg',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    checkKey(input.Key);
    const body = input.Body ?? new Uint8Array(0);
    if (body.byteLength > MAX_PUT) throw s3Errors.entityTooLarge(body.byteLength);
    const storageClass = checkStorageClass(input.StorageClass);
    const fields = metaFields(input);
    const tags = parseTagging(input.Tagging);
    const encryption = encryptionForWrite(ctx, b, input);
    const blob = storeBody(ctx, body);
    const etag = etagFor(ctx.blobs.md5(blob), encryption);
    if (input.ContentMD5 !== undefined) {
      const hex = ctx.blobs.md5(blob);
      let given = '';
      try {
        given = [...atob(input.ContentMD5)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
      } catch {
        throw s3Errors.invalidArgument('The Content-MD5 you specified was invalid.', 'Content-MD5', input.ContentMD5);
      }
      if (given !== hex) throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
    }
    const crc = crc32Base64(body);
    const v: ObjVersion = {
      versionId: newVersionId(ctx, b),
      blob,
      size: body.byteLength,
      etag,
      lastModified: Math.floor(ctx.now() / 1000) * 1000,
      storageClass,
      tags,
      crc32: crc,
      ...fields,
      ...(encryption.algorithm !== 'AES256' ? { encryption } : {}),
    };
    putVersion(ctx, b, input.Key, v);
    const expiration = expirationHeader(b, input.Key, v);
    return {
      ...(expiration ? { Expiration: expiration } : {}),
      ETag: etag,
      ChecksumCRC32: crc,
      ChecksumType: 'FULL_OBJECT',
      ...sseOutput(encryption),
      ...(b.versioning === 'Enabled' ? { VersionId: v.versionId } : {}),
    };
  },
});

const getInput = () =>
  s.struct(
    {
      Bucket: bucketArg(),
      Key: keyArg(),
      VersionId: s.str(),
      Range: s.str({ doc: 'A byte range, e.g. bytes=0-99.' }),
      IfMatch: s.str(),
      IfNoneMatch: s.str(),
      IfModifiedSince: s.ts(),
      IfUnmodifiedSince: s.ts(),
      PartNumber: s.int(),
      ResponseCacheControl: s.str(),
      ResponseContentDisposition: s.str(),
      ResponseContentEncoding: s.str(),
      ResponseContentLanguage: s.str(),
      ResponseContentType: s.str(),
      ResponseExpires: s.ts(),
      ...sseReadMembers(),
    },
    ['Bucket', 'Key'],
  );

function checkConditions(v: ObjVersion, input: { IfMatch?: string; IfNoneMatch?: string; IfModifiedSince?: number; IfUnmodifiedSince?: number }): void {
  if (input.IfMatch !== undefined && !etagMatches(input.IfMatch, v.etag)) throw s3Errors.preconditionFailed('If-Match');
  if (input.IfUnmodifiedSince !== undefined && input.IfMatch === undefined && v.lastModified > input.IfUnmodifiedSince) {
    throw s3Errors.preconditionFailed('If-Unmodified-Since');
  }
  if (input.IfNoneMatch !== undefined && etagMatches(input.IfNoneMatch, v.etag)) throw new AwsError('304', 'Not Modified', 304);
  if (input.IfModifiedSince !== undefined && input.IfNoneMatch === undefined && v.lastModified <= input.IfModifiedSince) {
    throw new AwsError('304', 'Not Modified', 304);
  }
}

/** Parse a Range header; null when it is not a single byte range S3 understands (then it is ignored). */
function parseRange(range: string, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

export const GetObject = op({
    name: 'GetObject',
    doc: 'Downloads an object into a file (the outfile argument). Archived objects (GLACIER, DEEP_ARCHIVE) must be restored first.',
    input: getInput(),
    errors: ['NoSuchBucket', 'NoSuchKey', 'NoSuchVersion', 'InvalidObjectState', 'InvalidRange', 'PreconditionFailed'],
    example: 'aws s3api get-object --bucket photos --key cat.jpg cat-copy.jpg',
    handler: (ctx, input) => {
      const b = requireBucket(ctx, input.Bucket);
      const v = findVersion(ctx, b, input.Key, input.VersionId);
      checkDecryptable(ctx, v, { algorithm: input.SSECustomerAlgorithm, key: input.SSECustomerKey, md5: input.SSECustomerKeyMD5 });
      if (!isReadable(v)) throw s3Errors.invalidObjectState(v.storageClass);
      checkConditions(v, input);
      const bytes = v.blob ? ctx.blobs.get(v.blob) : new Uint8Array(0);
      let body = bytes;
      let range: string | undefined;
      if (input.Range !== undefined) {
        const r = parseRange(input.Range, v.size);
        if (r === 'unsatisfiable') throw s3Errors.invalidRange(v.size, input.Range);
        if (r) {
          body = bytes.subarray(r.start, r.end + 1);
          range = `bytes ${r.start}-${r.end}/${v.size}`;
        }
      }
      const out = objectHeaders(b, v, { head: false, length: body.byteLength, range, key: input.Key, current: isCurrent(ctx, b, input.Key, v) });
      if (input.ResponseContentType) out['ContentType'] = input.ResponseContentType;
      if (input.ResponseCacheControl) out['CacheControl'] = input.ResponseCacheControl;
      if (input.ResponseContentDisposition) out['ContentDisposition'] = input.ResponseContentDisposition;
      if (input.ResponseContentEncoding) out['ContentEncoding'] = input.ResponseContentEncoding;
      if (input.ResponseContentLanguage) out['ContentLanguage'] = input.ResponseContentLanguage;
      // Body first (as the CLI's parser does); the aws command writes it to the outfile and does not print it.
      // It is the stored bytes themselves (or a view of them for a range): nothing is copied.
      return { Body: body, ...out };
    },
  });

export const HeadObject = op({
  name: 'HeadObject',
  doc: "Returns an object's metadata without its body. Errors have no body: the CLI shows only the HTTP status, such as (404) Not Found.",
  input: getInput(),
  errors: ['404', '403', '400'],
  readOnly: false,
  example: 'aws s3api head-object --bucket photos --key cat.jpg',
  handler: (ctx, input) => {
    try {
      const b = requireBucket(ctx, input.Bucket);
      const v = findVersion(ctx, b, input.Key, input.VersionId);
      checkDecryptable(ctx, v, { algorithm: input.SSECustomerAlgorithm, key: input.SSECustomerKey, md5: input.SSECustomerKeyMD5 }, false, true);
      checkConditions(v, input);
      let length = v.size;
      let range: string | undefined;
      if (input.Range !== undefined) {
        const r = parseRange(input.Range, v.size);
        if (r === 'unsatisfiable') throw s3Errors.invalidRange(v.size, input.Range);
        if (r) {
          length = r.end - r.start + 1;
          range = `bytes ${r.start}-${r.end}/${v.size}`;
        }
      }
      const out = objectHeaders(b, v, { head: true, length, range, key: input.Key, current: isCurrent(ctx, b, input.Key, v) });
      if (input.PartNumber !== undefined && v.partsCount) out['PartsCount'] = v.partsCount;
      return out;
    } catch (e) {
      throw asHeadError(e);
    }
  },
});

/** Delete one key or version; the result as DeleteObject reports it. */
export function deleteOne(ctx: Ctx, b: BucketRow, key: string, versionId: string | undefined): { DeleteMarker?: boolean; VersionId?: string } {
  const row = objects(ctx).get(objKey(b.name, key));
  const old = row?.versions ?? [];
  if (versionId !== undefined) {
    if (versionId !== 'null' && !/^[A-Za-z0-9]{32}$/.test(versionId)) throw s3Errors.invalidVersionId();
    const v = old.find((x) => x.versionId === versionId);
    if (!v) return { VersionId: versionId };
    writeVersions(
      ctx,
      b,
      key,
      old.filter((x) => x !== v),
    );
    releaseVersions(ctx, [v]);
    return { ...(v.marker ? { DeleteMarker: true } : {}), VersionId: versionId };
  }
  if (!b.versioning) {
    if (old.length) {
      writeVersions(ctx, b, key, []);
      releaseVersions(ctx, old);
    }
    return {};
  }
  const marker: ObjVersion = {
    versionId: newVersionId(ctx, b),
    marker: true,
    size: 0,
    etag: '',
    lastModified: Math.floor(ctx.now() / 1000) * 1000,
    metadata: {},
    storageClass: 'STANDARD',
    tags: [],
  };
  putVersion(ctx, b, key, marker);
  return { DeleteMarker: true, VersionId: marker.versionId };
}

export const DeleteObject = op({
  name: 'DeleteObject',
  doc: 'Deletes an object. In a versioned bucket it adds a delete marker, unless --version-id names the version to remove for good.',
  input: s.struct({ Bucket: bucketArg(), Key: keyArg(), VersionId: s.str() }, ['Bucket', 'Key']),
  errors: ['NoSuchBucket', 'InvalidArgument'],
  example: 'aws s3api delete-object --bucket photos --key cat.jpg',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    return deleteOne(ctx, b, input.Key, input.VersionId);
  },
});

export const DeleteObjects = op({
  name: 'DeleteObjects',
  doc: 'Deletes up to 1,000 objects in one request; reports each deletion and each error.',
  input: s.struct(
    {
      Bucket: bucketArg(),
      Delete: s.struct({ Objects: s.list(s.struct({ Key: s.str(), VersionId: s.str() }, ['Key'])), Quiet: s.bool() }, ['Objects']),
    },
    ['Bucket', 'Delete'],
  ),
  errors: ['NoSuchBucket', 'MalformedXML'],
  example: 'aws s3api delete-objects --bucket photos --delete "Objects=[{Key=a.txt},{Key=b.txt}]"',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const list = input.Delete.Objects;
    if (list.length === 0 || list.length > 1000) throw s3Errors.malformedXml();
    const deleted: Record<string, unknown>[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const o of list) {
      try {
        const r = deleteOne(ctx, b, o.Key, o.VersionId);
        if (input.Delete.Quiet) continue;
        if (o.VersionId !== undefined) deleted.push({ Key: o.Key, VersionId: o.VersionId, ...(r.DeleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: o.VersionId } : {}) });
        else if (r.DeleteMarker) deleted.push({ Key: o.Key, DeleteMarker: true, DeleteMarkerVersionId: r.VersionId });
        else deleted.push({ Key: o.Key });
      } catch (e) {
        if (!(e instanceof AwsError)) throw e;
        errors.push({ Key: o.Key, ...(o.VersionId ? { VersionId: o.VersionId } : {}), Code: e.code, Message: e.message });
      }
    }
    return { ...(deleted.length ? { Deleted: deleted } : {}), ...(errors.length ? { Errors: errors } : {}) };
  },
});

/** Split `bucket/key?versionId=...` (URL-encoded, optional leading slash). */
function parseCopySource(src: string): { bucket: string; key: string; versionId?: string } {
  let text = src.startsWith('/') ? src.slice(1) : src;
  let versionId: string | undefined;
  const q = text.indexOf('?versionId=');
  if (q >= 0) {
    versionId = text.slice(q + '?versionId='.length);
    text = text.slice(0, q);
  }
  const i = text.indexOf('/');
  if (i <= 0 || i === text.length - 1) throw s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', src);
  let key = text.slice(i + 1);
  try {
    key = decodeURIComponent(key);
  } catch {
    /* keep as given */
  }
  return { bucket: text.slice(0, i), key, ...(versionId !== undefined ? { versionId } : {}) };
}

export const CopyObject = op({
  name: 'CopyObject',
  doc: 'Copies an object (up to 5 GB) within S3. Metadata is copied unless --metadata-directive REPLACE; the copy is STANDARD unless --storage-class says otherwise.',
  input: s.struct(
    {
      Bucket: bucketArg(),
      Key: keyArg(),
      CopySource: s.str({ doc: 'source-bucket/source-key, optionally ?versionId=ID.' }),
      MetadataDirective: s.enum(['COPY', 'REPLACE'] as const),
      TaggingDirective: s.enum(['COPY', 'REPLACE'] as const),
      CopySourceIfMatch: s.str(),
      CopySourceIfNoneMatch: s.str(),
      ...objectMetaMembers(),
      ...sseCopySourceMembers(),
    },
    ['Bucket', 'Key', 'CopySource'],
  ),
  errors: ['NoSuchBucket', 'NoSuchKey', 'InvalidObjectState', 'InvalidRequest', 'MetadataTooLarge'],
  example: 'aws s3api copy-object --copy-source photos/cat.jpg --bucket backup-photos --key cat.jpg',
  handler: (ctx, input) => {
    const src = parseCopySource(input.CopySource);
    const sb = requireBucket(ctx, src.bucket);
    const db = requireBucket(ctx, input.Bucket);
    checkKey(input.Key);
    const v = findVersion(ctx, sb, src.key, src.versionId);
    checkDecryptable(ctx, v, { algorithm: input.CopySourceSSECustomerAlgorithm, key: input.CopySourceSSECustomerKey, md5: input.CopySourceSSECustomerKeyMD5 }, true);
    if (!isReadable(v)) throw s3Errors.invalidObjectState(v.storageClass);
    if (input.CopySourceIfMatch !== undefined && !etagMatches(input.CopySourceIfMatch, v.etag)) throw s3Errors.preconditionFailed('x-amz-copy-source-If-Match');
    if (input.CopySourceIfNoneMatch !== undefined && etagMatches(input.CopySourceIfNoneMatch, v.etag)) throw s3Errors.preconditionFailed('x-amz-copy-source-If-None-Match');
    const replace = input.MetadataDirective === 'REPLACE';
    const storageClass = checkStorageClass(input.StorageClass);
    if (sb.name === db.name && src.key === input.Key && !replace && input.StorageClass === undefined && input.WebsiteRedirectLocation === undefined && input.ServerSideEncryption === undefined && input.SSECustomerKey === undefined && input.SSEKMSKeyId === undefined) {
      throw s3Errors.invalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    const fields = replace
      ? metaFields(input)
      : {
          contentType: v.contentType,
          metadata: normaliseMetadata(v.metadata),
          ...storedHeaders(v),
        };
    const tags = input.TaggingDirective === 'REPLACE' ? parseTagging(input.Tagging) : v.tags;
    const now = Math.floor(ctx.now() / 1000) * 1000;
    // The copy shares the source's blob: no bytes are duplicated.
    const blob = v.blob ? ctx.blobs.retain(v.blob) : ctx.blobs.put(new Uint8Array(0));
    const encryption = encryptionForWrite(ctx, db, input);
    const etag = encryption.algorithm !== 'AES256' ? etagFor(ctx.blobs.md5(blob), encryption) : v.partsCount || v.encryption ? `"${ctx.blobs.md5(blob)}"` : v.etag;
    const nv: ObjVersion = {
      versionId: newVersionId(ctx, db),
      blob,
      size: v.size,
      etag,
      lastModified: now,
      storageClass,
      tags: [...tags],
      ...(v.crc32 ? { crc32: v.crc32 } : {}),
      ...fields,
      ...(encryption.algorithm !== 'AES256' ? { encryption } : {}),
    };
    putVersion(ctx, db, input.Key, nv);
    return {
      ...(sb.versioning ? { CopySourceVersionId: v.versionId } : {}),
      ...(db.versioning === 'Enabled' ? { VersionId: nv.versionId } : {}),
      ...sseOutput(encryption),
      CopyObjectResult: { ETag: etag, LastModified: isoTime(now) },
    };
  },
});

// ---------------------------------------------------------------- object tagging

function updateVersion(ctx: Ctx, b: BucketRow, key: string, versionId: string | undefined, fn: (v: ObjVersion) => ObjVersion): ObjVersion {
  const v = findVersion(ctx, b, key, versionId);
  const row = objects(ctx).get(objKey(b.name, key))!;
  const next = fn(v);
  objects(ctx).set(objKey(b.name, key), {
    ...row,
    versions: row.versions.map((x) => (x.versionId === v.versionId ? next : x)),
  });
  return next;
}

export const PutObjectTagging = op({
  name: 'PutObjectTagging',
  doc: "Replaces an object's tags (up to 10).",
  input: s.struct({ Bucket: bucketArg(), Key: keyArg(), VersionId: s.str(), Tagging: s.struct({ TagSet: s.tagsUpper() }, ['TagSet']) }, [
    'Bucket',
    'Key',
    'Tagging',
  ]),
  errors: ['NoSuchKey', 'InvalidTag'],
  example: 'aws s3api put-object-tagging --bucket photos --key cat.jpg --tagging "TagSet=[{Key=animal,Value=cat}]"',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    validateTags(input.Tagging.TagSet, 10);
    const v = updateVersion(ctx, b, input.Key, input.VersionId, (v) => ({ ...v, tags: input.Tagging.TagSet }));
    return b.versioning ? { VersionId: v.versionId } : {};
  },
});

export const GetObjectTagging = op({
  name: 'GetObjectTagging',
  doc: "Returns an object's tags (an empty TagSet when it has none).",
  input: s.struct({ Bucket: bucketArg(), Key: keyArg(), VersionId: s.str() }, ['Bucket', 'Key']),
  readOnly: true,
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const v = findVersion(ctx, b, input.Key, input.VersionId);
    return { ...(b.versioning ? { VersionId: v.versionId } : {}), TagSet: v.tags.map((t) => ({ ...t })) };
  },
});

export const DeleteObjectTagging = op({
  name: 'DeleteObjectTagging',
  doc: "Removes all of an object's tags.",
  input: s.struct({ Bucket: bucketArg(), Key: keyArg(), VersionId: s.str() }, ['Bucket', 'Key']),
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const v = updateVersion(ctx, b, input.Key, input.VersionId, (v) => ({ ...v, tags: [] }));
    return b.versioning ? { VersionId: v.versionId } : {};
  },
});

// ---------------------------------------------------------------- versioning

export const PutBucketVersioning = op({
  name: 'PutBucketVersioning',
  doc: 'Turns versioning on (Enabled) or pauses it (Suspended). Once enabled, a bucket can never return to unversioned.',
  input: s.struct(
    {
      Bucket: bucketArg(),
      VersioningConfiguration: s.struct({ Status: s.enum(['Enabled', 'Suspended'] as const), MFADelete: s.enum(['Enabled', 'Disabled'] as const) }),
      MFA: s.str(),
    },
    ['Bucket', 'VersioningConfiguration'],
  ),
  errors: ['NoSuchBucket', 'MalformedXML'],
  example: 'aws s3api put-bucket-versioning --bucket photos --versioning-configuration Status=Enabled',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const status = input.VersioningConfiguration.Status;
    if (status !== 'Enabled' && status !== 'Suspended') throw s3Errors.malformedXml();
    if (input.VersioningConfiguration.MFADelete === 'Enabled') {
      throw s3Errors.invalidRequest('DevPay and Mfa are mutually exclusive authorization methods.');
    }
    buckets(ctx).set(b.name, { ...b, versioning: status });
    return {};
  },
});

export const GetBucketVersioning = op({
  name: 'GetBucketVersioning',
  doc: "Shows the bucket's versioning status; nothing at all for a bucket that was never versioned.",
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  readOnly: true,
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    return b.versioning ? { Status: b.versioning } : {};
  },
});

// ---------------------------------------------------------------- restore (GLACIER, DEEP_ARCHIVE)

export const RESTORE_DONE = 's3.restore-done';
export const RESTORE_EXPIRE = 's3.restore-expire';

/** How long a restore takes, in simulated ms, by class and tier (AWS's documented ranges; the exact value is seeded). */
export function restoreDelay(ctx: Ctx, storageClass: string, tier: string): number {
  const MIN = 60_000;
  const H = 3_600_000;
  if (storageClass === 'DEEP_ARCHIVE') return tier === 'Bulk' ? 48 * H : 12 * H;
  if (tier === 'Expedited') return ctx.rng.int(1, 5) * MIN;
  if (tier === 'Bulk') return ctx.rng.int(5 * 60, 12 * 60) * MIN;
  return ctx.rng.int(3 * 60, 5 * 60) * MIN;
}

export interface RestoreTimer {
  bucket: string;
  key: string;
  versionId: string;
}

export const RestoreObject = op({
  name: 'RestoreObject',
  doc: 'Starts restoring a temporary copy of a GLACIER or DEEP_ARCHIVE object for --restore-request Days=N[,GlacierJobParameters={Tier=...}]. It becomes readable after the tier\'s delay on the simulated clock.',
  input: s.struct(
    {
      Bucket: bucketArg(),
      Key: keyArg(),
      VersionId: s.str(),
      RestoreRequest: s.struct({
        Days: s.int(),
        GlacierJobParameters: s.struct({ Tier: s.enum(['Standard', 'Bulk', 'Expedited'] as const) }, ['Tier']),
        Tier: s.enum(['Standard', 'Bulk', 'Expedited'] as const),
        Description: s.str(),
      }),
    },
    ['Bucket', 'Key'],
  ),
  errors: ['NoSuchKey', 'InvalidObjectState', 'RestoreAlreadyInProgress', 'InvalidArgument'],
  example: 'aws s3api restore-object --bucket photos --key 2019/trip.zip --restore-request "Days=7,GlacierJobParameters={Tier=Expedited}"',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const v = findVersion(ctx, b, input.Key, input.VersionId);
    if (!ARCHIVE_CLASSES.has(v.storageClass)) throw s3Errors.restoreNotAllowed(v.storageClass);
    const req = input.RestoreRequest ?? {};
    const days = req.Days;
    if (days === undefined) throw s3Errors.malformedXml();
    if (!Number.isInteger(days) || days < 1) throw s3Errors.invalidArgument('Days must be a positive integer', 'Days', days);
    const tier = req.GlacierJobParameters?.Tier ?? req.Tier ?? 'Standard';
    if (v.storageClass === 'DEEP_ARCHIVE' && tier === 'Expedited') {
      throw s3Errors.invalidArgument('Expedited retrievals are not supported for the DEEP_ARCHIVE storage class', 'Tier', tier);
    }
    if (v.restore?.ongoing) throw s3Errors.restoreInProgress();
    const payload: RestoreTimer = { bucket: b.name, key: input.Key, versionId: v.versionId };
    if (v.restore && !v.restore.ongoing) {
      // Already restored: only the expiry moves (200 OK).
      const expiry = nextMidnight(ctx.now() + days * DAY_MS, true);
      ctx.scheduler.cancelWhere(RESTORE_EXPIRE, (p) => sameTarget(p, payload));
      ctx.scheduler.schedule(expiry, RESTORE_EXPIRE, payload);
      updateVersion(ctx, b, input.Key, v.versionId, (x) => ({ ...x, restore: { ongoing: false, expiry, days, tier } }));
      return {};
    }
    updateVersion(ctx, b, input.Key, v.versionId, (x) => ({ ...x, restore: { ongoing: true, days, tier } }));
    ctx.scheduler.schedule(ctx.now() + restoreDelay(ctx, v.storageClass, tier), RESTORE_DONE, payload);
    return {};
  },
});

function sameTarget(p: unknown, t: RestoreTimer): boolean {
  const q = p as RestoreTimer;
  return q.bucket === t.bucket && q.key === t.key && q.versionId === t.versionId;
}

/** Timer handlers: a restore finishes (the copy is readable until a midnight `days` later), or the copy expires. */
export function onRestoreTimer(ctx: Ctx, kind: string, p: RestoreTimer, at: number): void {
  const row = objects(ctx).get(objKey(p.bucket, p.key));
  if (!row) return;
  const v = row.versions.find((x) => x.versionId === p.versionId);
  if (!v?.restore) return;
  let restore: ObjVersion['restore'];
  if (kind === RESTORE_DONE) {
    const expiry = nextMidnight(at + v.restore.days * DAY_MS, true);
    restore = { ...v.restore, ongoing: false, expiry };
    ctx.scheduler.schedule(expiry, RESTORE_EXPIRE, p);
  } else {
    restore = undefined;
  }
  const next: ObjVersion = { ...v };
  if (restore) next.restore = restore;
  else delete next.restore;
  objects(ctx).set(objKey(p.bucket, p.key), { ...row, versions: row.versions.map((x) => (x === v ? next : x)) });
}

export const objectOperations = [
  PutObject,
  GetObject,
  HeadObject,
  DeleteObject,
  DeleteObjects,
  CopyObject,
  PutObjectTagging,
  GetObjectTagging,
  DeleteObjectTagging,
  PutBucketVersioning,
  GetBucketVersioning,
  RestoreObject,
];

export { visibleVersions, md5Hex };
