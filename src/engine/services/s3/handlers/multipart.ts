/** Multipart upload: create, upload parts, complete (ETag "md5-of-md5s-N"), abort, list. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { isoTime } from '../../../clock';
import { md5Hex } from '../../../store/blobs';
import { s3Errors } from '../errors';
import { requireBucket, uploads, storeBody, OWNER_ID, type ObjVersion, type UploadRow } from '../model';
import { cmpUtf8 } from '../util';
import { encryptionForWrite, sseOutput } from '../encryption';
import { bucketArg, keyArg, objectMetaMembers, checkKey, checkStorageClass, metaFields, parseTagging, newVersionId, putVersion, storedHeaders } from './common';

export const MIN_PART = 5 * 1024 * 1024;

function requireUpload(ctx: Ctx, bucket: string, key: string, uploadId: string): UploadRow {
  const u = uploads(ctx).get(uploadId);
  if (!u || u.bucket !== bucket || u.key !== key) throw s3Errors.noSuchUpload(uploadId);
  return u;
}

export const CreateMultipartUpload = op({
  name: 'CreateMultipartUpload',
  doc: 'Starts a multipart upload and returns its UploadId. Parts are 5 MiB to 5 GiB (the last may be smaller), numbered 1 to 10,000.',
  input: s.struct({ Bucket: bucketArg(), Key: keyArg(), ...objectMetaMembers() }, ['Bucket', 'Key']),
  errors: ['NoSuchBucket', 'KeyTooLongError', 'MetadataTooLarge'],
  example: 'aws s3api create-multipart-upload --bucket photos --key video.mp4',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    checkKey(input.Key);
    const storageClass = checkStorageClass(input.StorageClass);
    const f = metaFields(input);
    const encryption = encryptionForWrite(ctx, b, input);
    const uploadId = ctx.rng.alnum(64);
    const row: UploadRow = {
      uploadId,
      bucket: b.name,
      key: input.Key,
      initiated: Math.floor(ctx.now() / 1000) * 1000,
      storageClass,
      metadata: f.metadata,
      tags: parseTagging(input.Tagging),
      parts: {},
      ...(encryption.algorithm !== 'AES256' ? { encryption } : {}),
      ...storedHeaders(f),
    };
    uploads(ctx).set(uploadId, row);
    return { Bucket: b.name, Key: input.Key, UploadId: uploadId, ...sseOutput(encryption) };
  },
});

export const UploadPart = op({
  name: 'UploadPart',
  doc: 'Uploads one part of a multipart upload from a file. Uploading the same part number again replaces it.',
  input: s.struct(
    { Bucket: bucketArg(), Key: keyArg(), PartNumber: s.int({ min: 1, max: 10000 }), UploadId: s.str(), Body: s.blob({ streaming: true }), ContentMD5: s.str() },
    ['Bucket', 'Key', 'PartNumber', 'UploadId'],
  ),
  errors: ['NoSuchUpload', 'InvalidArgument'],
  example: 'aws s3api upload-part --bucket photos --key video.mp4 --part-number 1 --upload-id ID --body part1',
  handler: (ctx, input) => {
    requireBucket(ctx, input.Bucket);
    const n = input.PartNumber;
    if (!Number.isInteger(n) || n < 1 || n > 10000) {
      throw s3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', n);
    }
    const u = requireUpload(ctx, input.Bucket, input.Key, input.UploadId);
    const body = input.Body ?? new Uint8Array(0);
    const blob = ctx.blobs.put(body);
    const etag = `"${ctx.blobs.md5(blob)}"`;
    const old = u.parts[String(n)];
    if (old) ctx.blobs.release(old.blob);
    uploads(ctx).set(u.uploadId, {
      ...u,
      parts: { ...u.parts, [String(n)]: { blob, etag, size: body.byteLength, lastModified: Math.floor(ctx.now() / 1000) * 1000 } },
    });
    return { ServerSideEncryption: 'AES256', ETag: etag };
  },
});

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Join the parts' bytes. When the parts are consecutive views of one buffer
 * (`aws s3 cp` slices the file without copying) the result is a view too, so a
 * large upload never holds a second full copy.
 */
function joinParts(list: Uint8Array[]): Uint8Array {
  if (list.length === 1) return list[0]!;
  let contiguous = true;
  for (let i = 1; i < list.length && contiguous; i++) {
    const a = list[i - 1]!;
    const b = list[i]!;
    contiguous = a.buffer === b.buffer && a.byteOffset + a.byteLength === b.byteOffset;
  }
  const total = list.reduce((n, p) => n + p.byteLength, 0);
  if (contiguous && list.length) return new Uint8Array(list[0]!.buffer, list[0]!.byteOffset, total);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of list) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}

export const CompleteMultipartUpload = op({
  name: 'CompleteMultipartUpload',
  doc: 'Assembles the listed parts (in ascending order, with their ETags) into the object. Every part but the last must be at least 5 MiB.',
  input: s.struct(
    {
      Bucket: bucketArg(),
      Key: keyArg(),
      UploadId: s.str(),
      MultipartUpload: s.struct({ Parts: s.list(s.struct({ ETag: s.str(), PartNumber: s.int() })) }),
    },
    ['Bucket', 'Key', 'UploadId'],
  ),
  errors: ['NoSuchUpload', 'InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'MalformedXML'],
  example: 'aws s3api complete-multipart-upload --bucket photos --key video.mp4 --upload-id ID --multipart-upload file://parts.json',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const u = requireUpload(ctx, input.Bucket, input.Key, input.UploadId);
    const parts = input.MultipartUpload?.Parts ?? [];
    if (parts.length === 0) throw s3Errors.malformedXml();
    let prev = 0;
    for (const p of parts) {
      if (p.PartNumber === undefined || p.ETag === undefined) throw s3Errors.malformedXml();
      if (p.PartNumber <= prev) throw s3Errors.invalidPartOrder();
      prev = p.PartNumber;
    }
    const rows = parts.map((p) => {
      const r = u.parts[String(p.PartNumber)];
      if (!r || r.etag.replace(/"/g, '') !== p.ETag!.replace(/"/g, '')) throw s3Errors.invalidPart(p.PartNumber!);
      return r;
    });
    rows.forEach((r, i) => {
      if (i < rows.length - 1 && r.size < MIN_PART) throw s3Errors.entityTooSmall(r.size, parts[i]!.PartNumber!, r.etag);
    });
    const md5s = joinParts(rows.map((r) => hexToBytes(r.etag.replace(/"/g, ''))));
    const etag = `"${md5Hex(md5s)}-${rows.length}"`;
    const bytes = joinParts(rows.map((r) => ctx.blobs.get(r.blob)));
    const blob = storeBody(ctx, bytes);
    for (const r of Object.values(u.parts)) ctx.blobs.release(r.blob);
    uploads(ctx).delete(u.uploadId);
    const v: ObjVersion = {
      versionId: newVersionId(ctx, b),
      blob,
      size: bytes.byteLength,
      etag,
      lastModified: Math.floor(ctx.now() / 1000) * 1000,
      storageClass: u.storageClass,
      tags: u.tags,
      partsCount: rows.length,
      metadata: u.metadata,
      ...(u.encryption ? { encryption: u.encryption } : {}),
      ...storedHeaders(u),
    };
    putVersion(ctx, b, input.Key, v);
    const loc = b.region === 'us-east-1' ? `https://${b.name}.s3.amazonaws.com/` : `https://${b.name}.s3.${b.region}.amazonaws.com/`;
    return {
      ...sseOutput(u.encryption),
      ...(b.versioning === 'Enabled' ? { VersionId: v.versionId } : {}),
      Location: loc + encodeURIComponent(input.Key).replace(/%2F/g, '/'),
      Bucket: b.name,
      Key: input.Key,
      ETag: etag,
    };
  },
});

export const AbortMultipartUpload = op({
  name: 'AbortMultipartUpload',
  doc: 'Abandons a multipart upload and frees its parts.',
  input: s.struct({ Bucket: bucketArg(), Key: keyArg(), UploadId: s.str() }, ['Bucket', 'Key', 'UploadId']),
  errors: ['NoSuchUpload'],
  handler: (ctx, input) => {
    requireBucket(ctx, input.Bucket);
    const u = requireUpload(ctx, input.Bucket, input.Key, input.UploadId);
    for (const r of Object.values(u.parts)) ctx.blobs.release(r.blob);
    uploads(ctx).delete(u.uploadId);
    return {};
  },
});

export const ListParts = op({
  name: 'ListParts',
  doc: 'Lists the parts uploaded so far for one multipart upload.',
  input: s.struct(
    { Bucket: bucketArg(), Key: keyArg(), UploadId: s.str(), MaxParts: s.int(), PartNumberMarker: s.str() },
    ['Bucket', 'Key', 'UploadId'],
  ),
  paginator: { inputToken: 'PartNumberMarker', outputToken: 'NextPartNumberMarker', limitKey: 'MaxParts', resultKeys: ['Parts'], moreResults: 'IsTruncated', nonAggregateKeys: ['ChecksumAlgorithm', 'Initiator', 'Owner', 'StorageClass'] },
  errors: ['NoSuchUpload'],
  readOnly: true,
  handler: (ctx, input) => {
    requireBucket(ctx, input.Bucket);
    const u = requireUpload(ctx, input.Bucket, input.Key, input.UploadId);
    const max = Math.min(input.MaxParts ?? 1000, 1000);
    const marker = Number(input.PartNumberMarker ?? 0) || 0;
    const all = Object.entries(u.parts)
      .map(([n, p]) => ({ n: Number(n), p }))
      .filter((x) => x.n > marker)
      .sort((a, b) => a.n - b.n);
    const page = all.slice(0, max);
    const truncated = all.length > max;
    const owner = { ID: OWNER_ID };
    return {
      Bucket: u.bucket,
      Key: u.key,
      UploadId: u.uploadId,
      PartNumberMarker: marker,
      ...(page.length ? { NextPartNumberMarker: page[page.length - 1]!.n } : {}),
      MaxParts: max,
      IsTruncated: truncated,
      ...(page.length ? { Parts: page.map(({ n, p }) => ({ PartNumber: n, LastModified: isoTime(p.lastModified), ETag: p.etag, Size: p.size })) } : {}),
      Initiator: { ID: ctx.identity.arn, DisplayName: ctx.identity.name },
      Owner: owner,
      StorageClass: u.storageClass,
    };
  },
});

export const ListMultipartUploads = op({
  name: 'ListMultipartUploads',
  doc: 'Lists the multipart uploads in progress in a bucket (started, neither completed nor aborted).',
  input: s.struct(
    { Bucket: bucketArg(), Prefix: s.str(), Delimiter: s.str(), MaxUploads: s.int(), KeyMarker: s.str(), UploadIdMarker: s.str() },
    ['Bucket'],
  ),
  paginator: {
    inputToken: ['KeyMarker', 'UploadIdMarker'],
    outputToken: ['NextKeyMarker', 'NextUploadIdMarker'],
    limitKey: 'MaxUploads',
    resultKeys: ['Uploads', 'CommonPrefixes'],
    moreResults: 'IsTruncated',
    nonAggregateKeys: ['RequestCharged', 'Prefix'],
  },
  readOnly: true,
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const prefix = input.Prefix ?? '';
    const max = Math.min(input.MaxUploads ?? 1000, 1000);
    let list = uploads(ctx)
      .filter((u) => u.bucket === b.name && u.key.startsWith(prefix))
      .sort((a, c) => cmpUtf8(a.key, c.key) || a.initiated - c.initiated || (a.uploadId < c.uploadId ? -1 : 1));
    if (input.KeyMarker) {
      const km = input.KeyMarker;
      const idm = input.UploadIdMarker;
      list = list.filter((u) => {
        const c = cmpUtf8(u.key, km);
        if (c > 0) return true;
        if (c < 0 || !idm) return false;
        return u.uploadId > idm;
      });
    }
    const page = list.slice(0, max);
    const truncated = list.length > max;
    const last = page[page.length - 1];
    return {
      Bucket: b.name,
      KeyMarker: input.KeyMarker ?? '',
      UploadIdMarker: input.UploadIdMarker ?? '',
      ...(truncated && last ? { NextKeyMarker: last.key, NextUploadIdMarker: last.uploadId } : {}),
      Prefix: prefix,
      MaxUploads: max,
      IsTruncated: truncated,
      ...(page.length
        ? {
            Uploads: page.map((u) => ({
              UploadId: u.uploadId,
              Key: u.key,
              Initiated: isoTime(u.initiated),
              StorageClass: u.storageClass,
              Owner: { ID: OWNER_ID },
              Initiator: { ID: ctx.identity.arn, DisplayName: ctx.identity.name },
            })),
          }
        : {}),
    };
  },
});

export const multipartOperations = [CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads];
