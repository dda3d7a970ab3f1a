/**
 * Server-side encryption of S3 objects (S3 part 2): SSE-S3 (AES256, always at
 * least), SSE-KMS with keys from the simulated KMS (alias/aws/s3 by default,
 * bucket keys), and SSE-C (a key the client sends with every request; only its
 * MD5 is kept). The object handlers call these helpers:
 *  - `encryptionForWrite` on PutObject / CopyObject / CreateMultipartUpload,
 *  - `checkDecryptable` before GetObject / HeadObject / CopyObject read a version,
 *  - `sseHeader` / `sseDetails` for the response members.
 * Bodies are not transformed: the simulation keeps what the encryption would be.
 */
import type { Ctx } from '../../context';
import { AwsError } from '../../errors';
import { md5Base64, md5Hex, utf8 } from '../../store/blobs';
import { s } from '../../shapes';
import { findKey, keyArn, requireUsable, awsManagedKey, asS3KmsError, requireKmsForS3, type KeyRow } from '../kms';
import type { BucketRow, ObjVersion } from './model';
import { s3Errors } from './errors';

export interface ObjectEncryption {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse' | 'SSE-C';
  /** Full key ARN (SSE-KMS). */
  kmsKeyArn?: string;
  bucketKey?: boolean;
  /** SSE-C: base64 MD5 of the customer key (the key itself is never stored). */
  customerKeyMd5?: string;
  /** SSE-KMS: the encryption context given with the request (base64 JSON as sent). */
  context?: string;
}

/** Request members for writes (PutObject, CopyObject, CreateMultipartUpload). */
export const sseWriteMembers = () => ({
  SSECustomerAlgorithm: s.str({ doc: 'SSE-C: AES256, with --sse-customer-key.' }),
  SSECustomerKey: s.str({ doc: 'SSE-C: your 256-bit key (32 bytes). The CLI sends its MD5 too; S3 keeps only the MD5.' }),
  SSECustomerKeyMD5: s.str({ doc: 'Computed by the CLI when not given.' }),
  SSEKMSKeyId: s.str({ doc: 'SSE-KMS: key id, key ARN, alias name or alias ARN (alias/aws/s3 when omitted).', complete: 'kms-key' }),
  SSEKMSEncryptionContext: s.str({ doc: 'SSE-KMS: base64 JSON of an encryption context.' }),
  BucketKeyEnabled: s.bool({ doc: 'SSE-KMS: use an S3 Bucket Key (fewer KMS calls).' }),
});

/** Request members for reads (GetObject, HeadObject). */
export const sseReadMembers = () => ({
  SSECustomerAlgorithm: s.str(),
  SSECustomerKey: s.str({ doc: 'SSE-C: the same key the object was written with.' }),
  SSECustomerKeyMD5: s.str(),
});

/** Request members for the source of CopyObject. */
export const sseCopySourceMembers = () => ({
  CopySourceSSECustomerAlgorithm: s.str(),
  CopySourceSSECustomerKey: s.str(),
  CopySourceSSECustomerKeyMD5: s.str(),
});

interface WriteInput {
  ServerSideEncryption?: string;
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
  SSECustomerKeyMD5?: string;
  SSEKMSKeyId?: string;
  SSEKMSEncryptionContext?: string;
  BucketKeyEnabled?: boolean;
}

interface CustomerKeyInput {
  algorithm?: string;
  key?: string;
  md5?: string;
}

/** Validate SSE-C headers; returns the key's MD5 (base64) or undefined when none were sent. */
function customerKey(k: CustomerKeyInput, what: 'x-amz-server-side-encryption-customer' | 'x-amz-copy-source-server-side-encryption-customer'): string | undefined {
  if (k.algorithm === undefined && k.key === undefined && k.md5 === undefined) return undefined;
  if (k.algorithm === undefined) {
    throw s3Errors.invalidArgument(
      'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.',
      `${what}-algorithm`,
      'null',
    );
  }
  if (k.algorithm !== 'AES256') {
    throw s3Errors.invalidArgument('The encryption algorithm specified is not valid.', `${what}-algorithm`, k.algorithm);
  }
  if (k.key === undefined) {
    throw s3Errors.invalidArgument(
      'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.',
      `${what}-key`,
      'null',
    );
  }
  const bytes = utf8.encode(k.key);
  if (bytes.byteLength !== 32) throw s3Errors.invalidArgument('The secret key was invalid for the specified algorithm.', `${what}-key`, '');
  const md5 = md5Base64(bytes);
  if (k.md5 !== undefined && k.md5 !== md5) {
    throw s3Errors.invalidArgument('The calculated MD5 hash of the key did not match the hash that was provided.', `${what}-key-MD5`, k.md5);
  }
  return md5;
}

/** The key for SSE-KMS (the bucket default's or alias/aws/s3); KMS errors become S3's KMS.* errors. */
function kmsKey(ctx: Ctx, id: string | undefined): KeyRow {
  try {
    const k = id ? findKey(ctx, id) : awsManagedKey(ctx, 's3');
    requireUsable(k);
    return k;
  } catch (e) {
    throw asS3KmsError(e);
  }
}

/** What encryption a new object gets, from the request and the bucket's default. */
export function encryptionForWrite(ctx: Ctx, b: BucketRow, input: WriteInput): ObjectEncryption {
  const sse = input.ServerSideEncryption;
  const cmd5 = customerKey({ algorithm: input.SSECustomerAlgorithm, key: input.SSECustomerKey, md5: input.SSECustomerKeyMD5 }, 'x-amz-server-side-encryption-customer');
  if (cmd5 !== undefined) {
    if (sse !== undefined) {
      throw s3Errors.invalidArgument(
        'Server Side Encryption with Customer provided key is incompatible with the encryption method specified',
        'x-amz-server-side-encryption',
        sse,
      );
    }
    return { algorithm: 'SSE-C', customerKeyMd5: cmd5 };
  }
  if (input.SSEKMSKeyId !== undefined && sse !== 'aws:kms' && sse !== 'aws:kms:dsse') {
    throw s3Errors.invalidArgument(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      'x-amz-server-side-encryption',
      sse ?? 'null',
    );
  }
  const byDefault = sse === undefined;
  const algorithm = (sse ?? b.encryption.SSEAlgorithm) as ObjectEncryption['algorithm'];
  if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') return { algorithm: 'AES256' };
  const keyId = input.SSEKMSKeyId ?? (b.encryption.SSEAlgorithm.startsWith('aws:kms') ? b.encryption.KMSMasterKeyID : undefined);
  const k = kmsKey(ctx, keyId);
  requireKmsForS3(ctx, 'GenerateDataKey', k, 'PutObject');
  const bucketKey = input.BucketKeyEnabled ?? (byDefault || b.encryption.SSEAlgorithm.startsWith('aws:kms') ? b.encryption.BucketKeyEnabled : false);
  return {
    algorithm,
    kmsKeyArn: keyArn(k),
    ...(bucketKey ? { bucketKey: true } : {}),
    ...(input.SSEKMSEncryptionContext ? { context: input.SSEKMSEncryptionContext } : {}),
  };
}

/** The ETag S3 gives an object: the body's MD5 for SSE-S3, something else for SSE-KMS and SSE-C (as in AWS). */
export function etagFor(blobMd5: string, enc: ObjectEncryption): string {
  if (enc.algorithm === 'AES256') return `"${blobMd5}"`;
  return `"${md5Hex(utf8.encode(`${enc.algorithm}|${enc.kmsKeyArn ?? enc.customerKeyMd5 ?? ''}|${blobMd5}`))}"`;
}

/** Can this version be read with these request members? Throws as S3 does (SSE-C key missing or wrong, KMS key unusable). */
/** `metadataOnly` (HeadObject): S3 does not call KMS to answer a HEAD, so the KMS key's state does not matter. */
export function checkDecryptable(ctx: Ctx, v: ObjVersion, k: CustomerKeyInput, copySource = false, metadataOnly = false): void {
  const enc = v.encryption;
  const what = copySource ? 'x-amz-copy-source-server-side-encryption-customer' : 'x-amz-server-side-encryption-customer';
  const given = customerKey(k, what);
  if (enc?.algorithm === 'SSE-C') {
    if (given === undefined) {
      throw s3Errors.invalidRequest('The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
    }
    if (given !== enc.customerKeyMd5) throw new AwsError('AccessDenied', 'Access Denied', 403);
    return;
  }
  if (given !== undefined) {
    throw s3Errors.invalidRequest('The encryption parameters are not applicable to this object.');
  }
  if (enc?.kmsKeyArn && !metadataOnly) {
    try {
      const key = findKey(ctx, enc.kmsKeyArn);
      requireUsable(key);
      requireKmsForS3(ctx, 'Decrypt', key, 'GetObject');
    } catch (e) {
      throw asS3KmsError(e);
    }
  }
}

/** The ServerSideEncryption member (before Metadata in AWS's member order); none for SSE-C. */
export function sseHeader(enc: ObjectEncryption | undefined): Record<string, unknown> {
  if (enc?.algorithm === 'SSE-C') return {};
  return { ServerSideEncryption: enc?.algorithm ?? 'AES256' };
}

/** SSECustomerAlgorithm, SSECustomerKeyMD5, SSEKMSKeyId, BucketKeyEnabled (after Metadata). */
export function sseDetails(enc: ObjectEncryption | undefined): Record<string, unknown> {
  if (!enc) return {};
  if (enc.algorithm === 'SSE-C') return { SSECustomerAlgorithm: 'AES256', SSECustomerKeyMD5: enc.customerKeyMd5 };
  return {
    ...(enc.kmsKeyArn ? { SSEKMSKeyId: enc.kmsKeyArn } : {}),
    ...(enc.bucketKey ? { BucketKeyEnabled: true } : {}),
  };
}

/** Both, for write responses (PutObject, CopyObject ...). */
export function sseOutput(enc: ObjectEncryption | undefined): Record<string, unknown> {
  return { ...sseHeader(enc), ...sseDetails(enc) };
}

declare module './model' {
  interface ObjVersion {
    /** How the version is encrypted at rest (absent: SSE-S3). */
    encryption?: ObjectEncryption;
  }
  interface UploadRow {
    encryption?: ObjectEncryption;
  }
}
