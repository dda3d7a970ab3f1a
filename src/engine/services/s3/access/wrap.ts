/**
 * ACL and ownership rules around part 1's write operations, without touching
 * their handlers: each wrapper checks the request's ACL before the write and
 * stamps the new version's owner and grants after it.
 */
import type { AnyOperation } from '../../../shapes';
import type { Ctx } from '../../../context';
import { AwsError } from '../../../errors';
import { buckets, objects, objKey, requireBucket, type BucketRow } from '../model';
import { s3Errors } from '../errors';
import { cannedGrants, isPublicGrant, onlyOwnerFullControl, type Grant } from './acl';
import { checkAclWrite, objectAclFields, requestedGrants, writerOwner } from './acl-ops';
import { allowedS3, requireS3 } from './authorize';
import { recordDenial } from '../../iam';

/** Pending ACLs of multipart uploads: uploadId -> what CompleteMultipartUpload stamps. */
const T_UPLOAD_ACL = 's3.uploadAcls';
interface UploadAcl {
  owner: string;
  acl?: Grant[];
}

type Handler = (ctx: Ctx, input: any) => any;

/** The owner and grants a write asks for, checked against ownership and Block Public Access. */
function planObjectAcl(ctx: Ctx, bucket: BucketRow, input: Record<string, unknown>): UploadAcl {
  const acl = typeof input['ACL'] === 'string' ? input['ACL'] : undefined;
  const owner = writerOwner(ctx, bucket, acl);
  const grants = requestedGrants(input, owner, bucket.ownerAccount, true);
  if (grants) {
    // with ACLs disabled, "the bucket owner has full control" is the only ACL accepted
    const effective = bucket.ownership === 'BucketOwnerEnforced' ? grants.filter((g) => !(g.Grantee.Type === 'CanonicalUser' && g.Permission === 'FULL_CONTROL' && owner === bucket.ownerAccount)) : grants;
    if (bucket.ownership === 'BucketOwnerEnforced' && effective.length && !onlyOwnerFullControl(effective, bucket.ownerAccount)) {
      throw new AwsError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
    }
    checkAclWrite(ctx, bucket, bucket.ownership === 'BucketOwnerEnforced' ? [] : grants);
  }
  return { owner, ...objectAclFields(owner, bucket, grants) };
}

/** Stamp the newest version of a key with its owner and grants. */
function stamp(ctx: Ctx, bucket: string, key: string, plan: UploadAcl, b: BucketRow): void {
  const fields = { ...(plan.owner !== b.ownerAccount ? { owner: plan.owner } : {}), ...(plan.acl ? { acl: plan.acl } : {}) };
  if (!Object.keys(fields).length) return;
  const t = objects(ctx);
  const id = objKey(bucket, key);
  const row = t.get(id);
  const v = row?.versions[0];
  if (!row || !v || v.marker) return;
  t.set(id, { ...row, versions: [{ ...v, ...fields }, ...row.versions.slice(1)] });
}

const WRAPPERS: Record<string, (orig: Handler) => Handler> = {
  CreateBucket: (orig) => (ctx, input) => {
    const acl = input.ACL as string | undefined;
    if (acl !== undefined) {
      const ownership = input.ObjectOwnership ?? 'BucketOwnerEnforced';
      const grants = cannedGrants(acl, ctx.identity.accountId, ctx.identity.accountId, false);
      if (ownership === 'BucketOwnerEnforced' && !onlyOwnerFullControl(grants, ctx.identity.accountId)) {
        throw new AwsError('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
      }
      if (grants.some(isPublicGrant)) {
        throw new AwsError('InvalidBucketAclWithBlockPublicAccessError', 'Bucket cannot have public ACLs set with BlockPublicAccess enabled', 400);
      }
    }
    return orig(ctx, input);
  },
  PutObject: (orig) => (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const plan = planObjectAcl(ctx, b, input);
    const out = orig(ctx, input);
    stamp(ctx, b.name, input.Key, plan, b);
    return out;
  },
  CopyObject: (orig) => (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const plan = planObjectAcl(ctx, b, input);
    const out = orig(ctx, input);
    stamp(ctx, b.name, input.Key, plan, b);
    return out;
  },
  CreateMultipartUpload: (orig) => (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const plan = planObjectAcl(ctx, b, input);
    const out = orig(ctx, input);
    if (out && typeof out.UploadId === 'string' && (plan.acl || plan.owner !== b.ownerAccount)) ctx.table<UploadAcl>(T_UPLOAD_ACL).set(out.UploadId, plan);
    return out;
  },
  CompleteMultipartUpload: (orig) => (ctx, input) => {
    const out = orig(ctx, input);
    const t = ctx.table<UploadAcl>(T_UPLOAD_ACL);
    const plan = t.get(input.UploadId);
    if (plan) {
      const b = buckets(ctx).get(input.Bucket);
      if (b) stamp(ctx, b.name, input.Key, plan, b);
      t.delete(input.UploadId);
    }
    return out;
  },
  AbortMultipartUpload: (orig) => (ctx, input) => {
    const out = orig(ctx, input);
    ctx.table<UploadAcl>(T_UPLOAD_ACL).delete(input.UploadId);
    return out;
  },
  DeleteObjects: (orig) => (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const list = (input.Delete?.Objects ?? []) as { Key: string; VersionId?: string }[];
    if (list.length === 0 || list.length > 1000) throw s3Errors.malformedXml();
    const denied: Record<string, unknown>[] = [];
    const allowed = list.filter((o) => {
      const r = allowedS3(ctx, {
        operation: 'DeleteObjects',
        action: o.VersionId !== undefined ? 's3:DeleteObjectVersion' : 's3:DeleteObject',
        bucket: b,
        key: o.Key,
        ...(o.VersionId !== undefined ? { versionId: o.VersionId } : {}),
        input: { Bucket: b.name, Key: o.Key },
      });
      if (!r.allowed) {
        if (r.decision) recordDenial(ctx.db, r.decision, 's3', 'DeleteObjects');
        denied.push({ Key: o.Key, ...(o.VersionId ? { VersionId: o.VersionId } : {}), Code: 'AccessDenied', Message: 'Access Denied' });
      }
      return r.allowed;
    });
    if (!denied.length) return orig(ctx, input);
    const out = allowed.length ? orig(ctx, { ...input, Delete: { ...input.Delete, Objects: allowed } }) : {};
    const errors = [...((out.Errors as unknown[]) ?? []), ...denied];
    return { ...out, Errors: errors };
  },
  PutBucketOwnershipControls: (orig) => (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const next = input.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
    if (next === 'BucketOwnerEnforced' && b.acl && !onlyOwnerFullControl(b.acl, b.ownerAccount)) {
      throw new AwsError('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
    }
    return orig(ctx, input);
  },
};

/** Part 1's operations with the access rules wrapped around the ones that need them. */
export function withAccessControl(ops: AnyOperation[]): AnyOperation[] {
  return ops.map((o) => (WRAPPERS[o.name] ? { ...o, handler: WRAPPERS[o.name]!(o.handler as Handler) } : o));
}

export { requireS3 };
