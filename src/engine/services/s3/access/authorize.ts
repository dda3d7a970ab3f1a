/**
 * The S3 authorize hook: every S3 operation is checked here, before its handler,
 * against the caller's identity policies, the bucket policy, ACL grants (when the
 * bucket's Object Ownership enables them) and Block Public Access.
 */
import type { Ctx } from '../../../context';
import { evaluate, type ContextValue, type Decision, type ExtraGrant, type PolicySource } from '../../../policy';
import { callerOf, checkCredentials, conditionContext, identityPolicySources, limitSources, isBuiltInAdmin, parsedPolicy, recordDenial } from '../../iam';
import { buckets, objects, objKey, visibleVersions, type BucketRow, type ObjVersion } from '../model';
import { s3Errors, asHeadError } from '../errors';
import { actionFor } from './actions';
import { aclPermissionFor, describeGrant, granteeMatch, isPublicGrant } from './acl';
import { bucketGrants, objectGrants, objectOwner } from './acl-ops';
import { effectivePublicAccessBlock } from './bpa';
import { isPublicPolicy } from './policy';

/** What an extension sees of a request. */
export interface S3AccessRequest {
  operation: string;
  action: string;
  resource: string;
  bucket: BucketRow;
  key?: string;
  input: Record<string, unknown>;
}

/** What an extension adds: condition keys, and gate policies that must also allow (VPC endpoint policies). */
export interface S3AccessAddition {
  context?: Record<string, ContextValue | undefined>;
  gates?: PolicySource[][];
}

export type S3AccessExtension = (ctx: Ctx, req: S3AccessRequest) => S3AccessAddition | undefined;

const EXTENSIONS: S3AccessExtension[] = [];

/** Let another part of Nimbus (VPC endpoints, KMS ...) add condition keys or gate policies to every S3 check. */
export function registerS3AccessExtension(fn: S3AccessExtension): void {
  EXTENSIONS.push(fn);
}

/** The S3 condition keys of a request. */
function s3Keys(operation: string, input: Record<string, unknown>, bucket: BucketRow, v: ObjVersion | undefined): Record<string, ContextValue | undefined> {
  const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : undefined);
  const out: Record<string, ContextValue | undefined> = {
    's3:ResourceAccount': bucket.ownerAccount,
    's3:authType': 'REST-HEADER',
    's3:signatureversion': 'AWS4-HMAC-SHA256',
    's3:TlsVersion': '1.3',
    's3:x-amz-acl': str('ACL'),
    's3:x-amz-server-side-encryption': str('ServerSideEncryption'),
    's3:x-amz-server-side-encryption-aws-kms-key-id': str('SSEKMSKeyId'),
    's3:x-amz-storage-class': str('StorageClass'),
    's3:x-amz-copy-source': str('CopySource'),
    's3:x-amz-metadata-directive': str('MetadataDirective'),
    's3:VersionId': str('VersionId'),
  };
  if (operation === 'ListObjects' || operation === 'ListObjectsV2' || operation === 'ListObjectVersions') {
    out['s3:prefix'] = str('Prefix') ?? '';
    out['s3:delimiter'] = str('Delimiter');
    out['s3:max-keys'] = typeof input['MaxKeys'] === 'number' ? String(input['MaxKeys']) : undefined;
  }
  if (v) for (const t of v.tags) out[`s3:ExistingObjectTag/${t.Key}`] = t.Value;
  const tagging = str('Tagging');
  if (tagging) {
    const keys: string[] = [];
    for (const part of tagging.split('&')) {
      const [k, val] = part.split('=');
      if (!k) continue;
      const key = decodeURIComponent(k);
      keys.push(key);
      out[`s3:RequestObjectTag/${key}`] = decodeURIComponent(val ?? '');
    }
    out['s3:RequestObjectTagKeys'] = keys;
  }
  return out;
}

/** The version an object request addresses (undefined when there is none). */
function addressedVersion(ctx: Ctx, bucket: BucketRow, key: string, versionId: unknown): ObjVersion | undefined {
  const vs = visibleVersions(objects(ctx).get(objKey(bucket.name, key)), ctx.now());
  if (typeof versionId === 'string') return vs.find((x) => x.versionId === versionId && !x.marker);
  const v = vs[0];
  return v && !v.marker ? v : undefined;
}

/** Keep only the Deny statements of a policy (the bucket owner's policy cannot grant on objects it does not own). */
function denyOnly(src: PolicySource): PolicySource {
  return { ...src, policy: { ...src.policy, Statement: src.policy.Statement.filter((s) => s.Effect === 'Deny') } };
}

export interface S3Check {
  operation: string;
  action: string;
  bucket: BucketRow;
  /** For object actions. */
  key?: string;
  versionId?: string;
  input: Record<string, unknown>;
}

/**
 * Decide one S3 request for the caller in ctx. Returns undefined on the fast path
 * (the bucket owner's admin, no Deny in the bucket policy, nothing extra): allowed.
 */
export function decideS3(ctx: Ctx, c: S3Check): Decision | undefined {
  const { bucket, action } = c;
  const onObject = c.key !== undefined;
  const resource = onObject ? `arn:aws:s3:::${bucket.name}/${c.key}` : `arn:aws:s3:::${bucket.name}`;
  const ext: S3AccessAddition[] = [];
  for (const fn of EXTENSIONS) {
    const a = fn(ctx, { operation: c.operation, action, resource, bucket, ...(c.key !== undefined ? { key: c.key } : {}), input: c.input });
    if (a) ext.push(a);
  }
  const gates = ext.flatMap((a) => a.gates ?? []);
  const v = onObject ? addressedVersion(ctx, bucket, c.key!, c.versionId) : undefined;
  const owner = v ? objectOwner(bucket, v) : bucket.ownerAccount;
  const policy = bucket.policy ? parsedPolicy(bucket.policy, 'resource') : undefined;
  const id = ctx.identity;
  if (
    isBuiltInAdmin(id) &&
    id.accountId === bucket.ownerAccount &&
    owner === bucket.ownerAccount &&
    bucket.ownership === 'BucketOwnerEnforced' &&
    !gates.length &&
    (!policy || policy.Statement.every((s) => s.Effect === 'Allow'))
  ) {
    return undefined;
  }
  const bpa = effectivePublicAccessBlock(ctx, bucket);
  const resourcePolicies: PolicySource[] = [];
  const notes: string[] = [];
  if (policy) {
    let src: PolicySource = { kind: 'resource', label: `bucket policy of ${bucket.name}`, policy };
    const outsider = id.type === 'anonymous' || id.accountId !== bucket.ownerAccount;
    // RestrictPublicBuckets: a public policy only serves the owner's account (and AWS services)
    if (bpa.RestrictPublicBuckets && outsider && isPublicPolicy(policy)) {
      src = denyOnly(src);
      notes.push(`the bucket policy of ${bucket.name} is public and RestrictPublicBuckets (Block Public Access) is on, so its Allow statements only serve principals of account ${bucket.ownerAccount}.`);
    }
    if (owner !== bucket.ownerAccount) {
      src = denyOnly(src);
      notes.push(`the object belongs to account ${owner}, not to the bucket owner: the bucket policy cannot grant access to it (only its Deny statements count); the object's ACL can.`);
    }
    resourcePolicies.push(src);
  }
  const extraGrants: ExtraGrant[] = [];
  if (bucket.ownership !== 'BucketOwnerEnforced') {
    const bucketLevel = !onObject || action === 's3:PutObject' || action === 's3:DeleteObject' || action === 's3:DeleteObjectVersion';
    const perm = aclPermissionFor(action, !bucketLevel);
    const grants = bucketLevel ? bucketGrants(bucket) : v ? objectGrants(bucket, v) : [];
    if (perm) {
      for (const g of grants) {
        if (g.Permission !== perm && g.Permission !== 'FULL_CONTROL') continue;
        if (isPublicGrant(g) && bpa.IgnorePublicAcls) {
          notes.push(`the ${bucketLevel ? 'bucket' : 'object'} ACL grants ${describeGrant(g)}, but IgnorePublicAcls (Block Public Access) is on, so public grants are ignored.`);
          continue;
        }
        const m = granteeMatch(g, id);
        if (m) extraGrants.push({ label: `${bucketLevel ? 'bucket' : 'object'} ACL grant ${describeGrant(g)}`, scope: m });
      }
      if (!extraGrants.length) {
        notes.push(`ACLs are enabled on ${bucket.name} (Object Ownership ${bucket.ownership ?? 'ObjectWriter'}); the ${bucketLevel ? 'bucket' : 'object'} ACL grants ${grants.map(describeGrant).join(', ') || 'nothing'}, none of which gives this caller ${perm}.`);
      }
    }
  }
  const extra: Record<string, ContextValue | undefined> = { ...s3Keys(c.operation, c.input, bucket, v) };
  for (const a of ext) Object.assign(extra, a.context ?? {});
  return evaluate({
    caller: callerOf(ctx, id),
    action,
    resource,
    resourceAccount: owner,
    context: conditionContext(ctx, extra),
    identityPolicies: identityPolicySources(ctx, id),
    limits: limitSources(ctx, id),
    resourcePolicies,
    extraGrants,
    gates,
    notes,
  });
}

/** Throw S3's AccessDenied (a bare 403 for HEAD requests) when a request is not allowed. */
export function requireS3(ctx: Ctx, c: S3Check): void {
  const d = decideS3(ctx, c);
  if (!d || d.allowed) return;
  recordDenial(ctx.db, d, 's3', c.operation);
  const err = s3Errors.accessDenied();
  throw c.operation === 'HeadObject' || c.operation === 'HeadBucket' ? asHeadError(err) : err;
}

/** Is the caller allowed (no throw, no record)? For per-key checks such as DeleteObjects. */
export function allowedS3(ctx: Ctx, c: S3Check): { allowed: boolean; decision?: Decision } {
  const d = decideS3(ctx, c);
  return d ? { allowed: d.allowed, decision: d } : { allowed: true };
}

function parseCopySource(src: string): { bucket: string; key: string; versionId?: string } | undefined {
  let text = src.startsWith('/') ? src.slice(1) : src;
  let versionId: string | undefined;
  const q = text.indexOf('?versionId=');
  if (q >= 0) {
    versionId = text.slice(q + '?versionId='.length);
    text = text.slice(0, q);
  }
  const i = text.indexOf('/');
  if (i <= 0) return undefined;
  let key = text.slice(i + 1);
  try {
    key = decodeURIComponent(key);
  } catch {
    /* as given */
  }
  return { bucket: text.slice(0, i), key, ...(versionId !== undefined ? { versionId } : {}) };
}

const HAS_DENY = new Map<string, boolean>();

/** Does a stored bucket policy hold a Deny statement? (cached by its text) */
function policyHasDeny(text: string): boolean {
  let v = HAS_DENY.get(text);
  if (v === undefined) {
    v = parsedPolicy(text, 'resource').Statement.some((s) => s.Effect === 'Deny');
    if (HAS_DENY.size > 200) HAS_DENY.clear();
    HAS_DENY.set(text, v);
  }
  return v;
}

/**
 * The common case, decided without the evaluator: the bucket owner's built-in admin
 * (AdministratorAccess) on a bucket with ACLs disabled (so every object is the bucket
 * owner's), no Deny in the bucket policy, no extension (VPC endpoint policies ...).
 * Exactly what the full evaluation would answer, only faster.
 */
function fastPath(ctx: Ctx, operation: string, input: Record<string, unknown>): boolean {
  if (operation === 'CopyObject' || !isBuiltInAdmin(ctx.identity)) return false;
  const name = input['Bucket'];
  if (typeof name !== 'string') return false;
  const b = buckets(ctx).get(name);
  if (!b || b.ownerAccount !== ctx.identity.accountId || b.ownership !== 'BucketOwnerEnforced') return false;
  if (b.policy && policyHasDeny(b.policy)) return false;
  if (EXTENSIONS.length) {
    // extensions still see the request (they may refuse it); any gate policy needs the full evaluation
    const { action, resource, on } = actionFor(operation, input);
    const key = on === 'object' && typeof input['Key'] === 'string' ? input['Key'] : undefined;
    for (const fn of EXTENSIONS) {
      const a = fn(ctx, { operation, action, resource, bucket: b, ...(key !== undefined ? { key } : {}), input });
      if (a?.gates?.length) return false;
    }
  }
  return true;
}

const ACL_WRITES = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload']);

/** The service hook (ServiceDef.authorize). */
export function authorizeS3(ctx: Ctx, operation: string, input: Record<string, unknown>): void {
  checkCredentials(ctx, 's3');
  if (operation === 'DeleteObjects') return; // checked key by key (wrap.ts)
  if (fastPath(ctx, operation, input)) return;
  const { action, resource, on } = actionFor(operation, input);
  const id = ctx.identity;
  if (on === 'account' || operation === 'CreateBucket') {
    if (id.type === 'anonymous') throw s3Errors.accessDenied();
    if (isBuiltInAdmin(id)) return;
    const d = evaluate({
      caller: callerOf(ctx, id),
      action,
      resource,
      context: conditionContext(ctx, { 's3:x-amz-acl': typeof input['ACL'] === 'string' ? input['ACL'] : undefined }),
      identityPolicies: identityPolicySources(ctx, id),
      limits: limitSources(ctx, id),
    });
    if (!d.allowed) {
      recordDenial(ctx.db, d, 's3', operation);
      throw s3Errors.accessDenied();
    }
    return;
  }
  const name = input['Bucket'];
  if (typeof name !== 'string') return;
  const bucket = buckets(ctx).get(name);
  if (!bucket) return; // the handler answers NoSuchBucket (S3 tells anyone a bucket does not exist)
  const key = on === 'object' && typeof input['Key'] === 'string' ? input['Key'] : undefined;
  const versionId = typeof input['VersionId'] === 'string' ? input['VersionId'] : undefined;
  const check: S3Check = { operation, action, bucket, ...(key !== undefined ? { key } : {}), ...(versionId !== undefined ? { versionId } : {}), input };
  if ((operation === 'GetObject' || operation === 'HeadObject') && key !== undefined && !addressedVersion(ctx, bucket, key, versionId)) {
    // A missing key: 404 only for callers allowed to list the bucket, 403 for the others.
    const listing = decideS3(ctx, { operation, action: 's3:ListBucket', bucket, input });
    if (listing && !listing.allowed) {
      const d = decideS3(ctx, check);
      if (d && !d.allowed) {
        recordDenial(ctx.db, d, 's3', operation);
      } else {
        recordDenial(ctx.db, { ...listing, summary: `${listing.summary} The key does not exist, and without s3:ListBucket S3 answers 403 instead of 404 so as not to reveal that.` }, 's3', operation);
      }
      const err = s3Errors.accessDenied();
      throw operation === 'HeadObject' ? asHeadError(err) : err;
    }
    return;
  }
  requireS3(ctx, check);
  if (ACL_WRITES.has(operation) && key !== undefined && (input['ACL'] !== undefined || Object.keys(input).some((k) => k.startsWith('Grant')))) {
    requireS3(ctx, { ...check, action: 's3:PutObjectAcl' });
  }
  if (operation === 'CopyObject' && typeof input['CopySource'] === 'string') {
    const src = parseCopySource(input['CopySource']);
    const sb = src && buckets(ctx).get(src.bucket);
    if (src && sb) {
      requireS3(ctx, {
        operation,
        action: src.versionId !== undefined ? 's3:GetObjectVersion' : 's3:GetObject',
        bucket: sb,
        key: src.key,
        ...(src.versionId !== undefined ? { versionId: src.versionId } : {}),
        input: {},
      });
    }
  }
}
