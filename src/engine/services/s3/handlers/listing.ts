/** Listing: ListObjectsV2, ListObjects (v1) and ListObjectVersions, over the sorted key index. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { isoTime } from '../../../clock';
import { toBase64, fromBase64, utf8 } from '../../../store/blobs';
import { s3Errors } from '../errors';
import { requireBucket, keyIndex, objects, objKey, visibleVersions, lowerBound, upperBound, endOfPrefix, OWNER_ID, type ObjVersion } from '../model';
import { cmpUtf8 } from '../util';
import { bucketArg } from './common';

export type ListEntry = { type: 'key'; key: string; v: ObjVersion } | { type: 'prefix'; prefix: string };

/**
 * The core walk: keys under `prefix`, strictly after `after`, rolled up into
 * common prefixes at `delimiter`, `max` entries at most. Keys whose current
 * version is a delete marker (or is not visible yet) are skipped.
 */
export function walkKeys(
  ctx: Ctx,
  bucket: string,
  opts: { prefix: string; delimiter?: string; after?: string; max: number },
): { entries: ListEntry[]; truncated: boolean } {
  const arr = keyIndex(ctx.db).keys(bucket);
  const t = objects(ctx);
  const now = ctx.now();
  const { prefix, delimiter, after } = opts;
  let i = lowerBound(arr, prefix);
  if (after !== undefined && after !== '') i = Math.max(i, upperBound(arr, after));
  const entries: ListEntry[] = [];
  const visible = (k: string): ObjVersion | undefined => {
    const v = visibleVersions(t.get(objKey(bucket, k)), now)[0];
    return v && !v.marker ? v : undefined;
  };
  while (i < arr.length) {
    const k = arr[i]!;
    if (!k.startsWith(prefix)) break;
    if (delimiter) {
      const j = k.indexOf(delimiter, prefix.length);
      if (j >= 0) {
        const cp = k.slice(0, j + delimiter.length);
        const end = endOfPrefix(arr, cp, i);
        if (after === undefined || cmpUtf8(cp, after) > 0) {
          let any = false;
          for (let x = i; x < end && !any; x++) any = !!visible(arr[x]!);
          if (any) {
            if (entries.length >= opts.max) return { entries, truncated: true };
            entries.push({ type: 'prefix', prefix: cp });
          }
        }
        i = end;
        continue;
      }
    }
    const v = visible(k);
    if (v) {
      if (entries.length >= opts.max) return { entries, truncated: true };
      entries.push({ type: 'key', key: k, v });
    }
    i++;
  }
  return { entries, truncated: false };
}

function clampMax(n: number | undefined): number {
  if (n === undefined) return 1000;
  if (n < 0) throw s3Errors.invalidArgument('Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', n);
  return Math.min(n, 1000);
}

export function contentEntry(key: string, v: ObjVersion, owner: boolean, restoreStatus = false) {
  return {
    Key: key,
    LastModified: isoTime(v.lastModified),
    ETag: v.etag,
    ...(v.crc32 ? { ChecksumAlgorithm: ['CRC32'], ChecksumType: 'FULL_OBJECT' } : {}),
    Size: v.size,
    StorageClass: v.storageClass,
    ...(owner ? { Owner: { ID: OWNER_ID } } : {}),
    ...(restoreStatus && v.restore
      ? { RestoreStatus: { IsRestoreInProgress: v.restore.ongoing, ...(v.restore.expiry !== undefined ? { RestoreExpiryDate: isoTime(v.restore.expiry) } : {}) } }
      : {}),
  };
}

const optionalAttrs = () => s.list(s.enum(['RestoreStatus'] as const), { doc: 'RestoreStatus adds the restore state of archived objects.' });

const encodeToken = (last: string) => toBase64(utf8.encode('1' + last));

/** S3's encoding-type=url form of a key: UTF-8 percent-encoding, "/" kept, space as "+". */
export function s3UrlEncode(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * With EncodingType=url, S3 encodes the key-bearing members of a listing and says so with
 * EncodingType (placed where the model has it: before KeyCount or RequestCharged).
 */
function urlEncoded(out: Record<string, unknown>, top: string[], nested: [string, string][]): Record<string, unknown> {
  const res: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(out)) {
    if (k === 'KeyCount') res['EncodingType'] = 'url';
    if (typeof v === 'string' && top.includes(k)) res[k] = s3UrlEncode(v);
    else {
      const n = nested.find(([list]) => list === k);
      res[k] = n && Array.isArray(v) ? v.map((e: Record<string, unknown>) => ({ ...e, [n[1]]: s3UrlEncode(String(e[n[1]])) })) : v;
    }
  }
  if (!('EncodingType' in res)) res['EncodingType'] = 'url';
  return res;
}
function decodeToken(token: string): string {
  try {
    const t = utf8.decode(fromBase64(token));
    if (t[0] !== '1') throw new Error('bad');
    return t.slice(1);
  } catch {
    throw s3Errors.invalidToken();
  }
}

const lastOf = (e: ListEntry) => (e.type === 'key' ? e.key : e.prefix);

/** One page of ListObjects / ListObjectsV2: the keys after `after`, split into Contents and CommonPrefixes. */
function keyPage(
  ctx: Ctx,
  bucket: string,
  input: { Prefix?: string; Delimiter?: string; MaxKeys?: number; OptionalObjectAttributes?: string[] },
  after: string | undefined,
  fetchOwner: boolean,
) {
  const max = clampMax(input.MaxKeys);
  const prefix = input.Prefix ?? '';
  const { entries, truncated } = walkKeys(ctx, bucket, { prefix, delimiter: input.Delimiter || undefined, after, max });
  const rs = !!input.OptionalObjectAttributes?.includes('RestoreStatus');
  const contents = entries.flatMap((e) => (e.type === 'key' ? [contentEntry(e.key, e.v, fetchOwner, rs)] : []));
  const cps = entries.flatMap((e) => (e.type === 'prefix' ? [{ Prefix: e.prefix }] : []));
  return { max, prefix, entries, truncated, contents, cps };
}

export const ListObjectsV2 = op({
  name: 'ListObjectsV2',
  doc: 'Lists objects in UTF-8 byte order, up to 1,000 per page. --prefix filters, --delimiter rolls keys up into CommonPrefixes. The CLI fetches every page unless --no-paginate.',
  input: s.struct(
    {
      Bucket: bucketArg(),
      Prefix: s.str({ complete: 's3-key' }),
      Delimiter: s.str(),
      MaxKeys: s.int(),
      StartAfter: s.str(),
      ContinuationToken: s.str(),
      FetchOwner: s.bool(),
      EncodingType: s.enum(['url'] as const),
      OptionalObjectAttributes: optionalAttrs(),
    },
    ['Bucket'],
  ),
  paginator: {
    inputToken: 'ContinuationToken',
    outputToken: 'NextContinuationToken',
    limitKey: 'MaxKeys',
    resultKeys: ['Contents', 'CommonPrefixes'],
    moreResults: 'IsTruncated',
    nonAggregateKeys: ['RequestCharged', 'Prefix'],
  },
  errors: ['NoSuchBucket', 'InvalidArgument'],
  readOnly: true,
  example: 'aws s3api list-objects-v2 --bucket photos --prefix 2026/ --delimiter /',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const after = input.ContinuationToken !== undefined ? decodeToken(input.ContinuationToken) : input.StartAfter;
    const { max, prefix, entries, truncated, contents, cps } = keyPage(ctx, b.name, input, after, !!input.FetchOwner);
    const out = {
      IsTruncated: truncated,
      ...(contents.length ? { Contents: contents } : {}),
      Name: b.name,
      Prefix: prefix,
      ...(input.Delimiter ? { Delimiter: input.Delimiter } : {}),
      MaxKeys: max,
      ...(cps.length ? { CommonPrefixes: cps } : {}),
      KeyCount: entries.length,
      ...(input.ContinuationToken !== undefined ? { ContinuationToken: input.ContinuationToken } : {}),
      ...(truncated && entries.length ? { NextContinuationToken: encodeToken(lastOf(entries[entries.length - 1]!)) } : {}),
      ...(input.StartAfter !== undefined ? { StartAfter: input.StartAfter } : {}),
    };
    return input.EncodingType === 'url' ? urlEncoded(out, ['Delimiter', 'Prefix', 'StartAfter'], [['Contents', 'Key'], ['CommonPrefixes', 'Prefix']]) : out;
  },
});

export const ListObjects = op({
  name: 'ListObjects',
  doc: 'The original listing API (version 1), paged with --marker. Prefer list-objects-v2.',
  input: s.struct(
    {
      Bucket: bucketArg(),
      Prefix: s.str({ complete: 's3-key' }),
      Delimiter: s.str(),
      MaxKeys: s.int(),
      Marker: s.str(),
      EncodingType: s.enum(['url'] as const),
      OptionalObjectAttributes: optionalAttrs(),
    },
    ['Bucket'],
  ),
  paginator: {
    inputToken: 'Marker',
    outputToken: 'NextMarker || Contents[-1].Key',
    limitKey: 'MaxKeys',
    resultKeys: ['Contents', 'CommonPrefixes'],
    moreResults: 'IsTruncated',
    nonAggregateKeys: ['RequestCharged', 'Prefix'],
  },
  errors: ['NoSuchBucket'],
  readOnly: true,
  example: 'aws s3api list-objects --bucket photos --prefix 2026/',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const { max, prefix, entries, truncated, contents, cps } = keyPage(ctx, b.name, input, input.Marker, true);
    const out = {
      IsTruncated: truncated,
      Marker: input.Marker ?? '',
      ...(truncated && input.Delimiter && entries.length ? { NextMarker: lastOf(entries[entries.length - 1]!) } : {}),
      ...(contents.length ? { Contents: contents } : {}),
      Name: b.name,
      Prefix: prefix,
      ...(input.Delimiter ? { Delimiter: input.Delimiter } : {}),
      MaxKeys: max,
      ...(cps.length ? { CommonPrefixes: cps } : {}),
    };
    return input.EncodingType === 'url' ? urlEncoded(out, ['Delimiter', 'Marker', 'NextMarker', 'Prefix'], [['Contents', 'Key'], ['CommonPrefixes', 'Prefix']]) : out;
  },
});

export const ListObjectVersions = op({
  name: 'ListObjectVersions',
  doc: 'Lists every version and delete marker, newest first within each key.',
  input: s.struct(
    {
      Bucket: bucketArg(),
      Prefix: s.str({ complete: 's3-key' }),
      Delimiter: s.str(),
      MaxKeys: s.int(),
      KeyMarker: s.str(),
      VersionIdMarker: s.str(),
      EncodingType: s.enum(['url'] as const),
    },
    ['Bucket'],
  ),
  paginator: {
    inputToken: ['KeyMarker', 'VersionIdMarker'],
    outputToken: ['NextKeyMarker', 'NextVersionIdMarker'],
    limitKey: 'MaxKeys',
    resultKeys: ['Versions', 'DeleteMarkers', 'CommonPrefixes'],
    moreResults: 'IsTruncated',
    nonAggregateKeys: ['RequestCharged', 'Prefix'],
  },
  errors: ['NoSuchBucket'],
  readOnly: true,
  example: 'aws s3api list-object-versions --bucket photos --prefix cat.jpg',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const max = clampMax(input.MaxKeys);
    const prefix = input.Prefix ?? '';
    const delimiter = input.Delimiter || undefined;
    const arr = keyIndex(ctx.db).keys(b.name);
    const t = objects(ctx);
    const now = ctx.now();
    const versions: Record<string, unknown>[] = [];
    const markers: Record<string, unknown>[] = [];
    const cps: { Prefix: string }[] = [];
    let count = 0;
    let truncated = false;
    let nextKey: string | undefined;
    let nextVid: string | undefined;
    let i = lowerBound(arr, prefix);
    const km = input.KeyMarker;
    if (km) i = Math.max(i, input.VersionIdMarker ? lowerBound(arr, km) : upperBound(arr, km));
    outer: while (i < arr.length) {
      const k = arr[i]!;
      if (!k.startsWith(prefix)) break;
      if (delimiter) {
        const j = k.indexOf(delimiter, prefix.length);
        if (j >= 0) {
          const cp = k.slice(0, j + delimiter.length);
          const end = endOfPrefix(arr, cp, i);
          if (!km || cmpUtf8(cp, km) > 0) {
            if (count >= max) {
              truncated = true;
              break;
            }
            cps.push({ Prefix: cp });
            count++;
            nextKey = cp;
            nextVid = undefined;
          }
          i = end;
          continue;
        }
      }
      const vs = visibleVersions(t.get(objKey(b.name, k)), now);
      let start = 0;
      if (km === k && input.VersionIdMarker) {
        const at = vs.findIndex((v) => v.versionId === input.VersionIdMarker);
        start = at >= 0 ? at + 1 : vs.length;
      }
      for (let x = start; x < vs.length; x++) {
        const v = vs[x]!;
        if (count >= max) {
          truncated = true;
          break outer;
        }
        const common = { Key: k, VersionId: v.versionId, IsLatest: x === 0, LastModified: isoTime(v.lastModified), Owner: { ID: OWNER_ID } };
        if (v.marker) markers.push({ Owner: common.Owner, Key: k, VersionId: v.versionId, IsLatest: x === 0, LastModified: common.LastModified });
        else
          versions.push({
            ETag: v.etag,
            ...(v.crc32 ? { ChecksumAlgorithm: ['CRC32'], ChecksumType: 'FULL_OBJECT' } : {}),
            Size: v.size,
            StorageClass: v.storageClass,
            Key: k,
            VersionId: v.versionId,
            IsLatest: x === 0,
            LastModified: common.LastModified,
            Owner: common.Owner,
          });
        count++;
        nextKey = k;
        nextVid = v.versionId;
      }
      i++;
    }
    const out = {
      IsTruncated: truncated,
      KeyMarker: km ?? '',
      VersionIdMarker: input.VersionIdMarker ?? '',
      ...(truncated && nextKey !== undefined ? { NextKeyMarker: nextKey, ...(nextVid !== undefined ? { NextVersionIdMarker: nextVid } : {}) } : {}),
      ...(versions.length ? { Versions: versions } : {}),
      ...(markers.length ? { DeleteMarkers: markers } : {}),
      Name: b.name,
      Prefix: prefix,
      ...(delimiter ? { Delimiter: delimiter } : {}),
      MaxKeys: max,
      ...(cps.length ? { CommonPrefixes: cps } : {}),
    };
    return input.EncodingType === 'url'
      ? urlEncoded(out, ['Delimiter', 'KeyMarker', 'NextKeyMarker', 'Prefix'], [['Versions', 'Key'], ['DeleteMarkers', 'Key'], ['CommonPrefixes', 'Prefix']])
      : out;
  },
});

export const listingOperations = [ListObjectsV2, ListObjects, ListObjectVersions];
