/** PutBucketAcl / GetBucketAcl / PutObjectAcl / GetObjectAcl, and the ACL checks of writes. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { AwsError } from '../../../errors';
import { buckets, objects, objKey, requireBucket, type BucketRow, type ObjVersion } from '../model';
import { s3Errors } from '../errors';
import { findVersion } from '../handlers/common';
import {
  cannedGrants,
  canonicalId,
  grantOut,
  headerGrants,
  isPublicGrant,
  onlyOwnerFullControl,
  policyGrants,
  type Grant,
  type Permission,
} from './acl';
import { effectivePublicAccessBlock } from './bpa';

export const aclNotSupported = () => new AwsError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);

export interface AclInput {
  ACL?: string;
  AccessControlPolicy?: { Grants?: { Grantee?: { Type?: string; ID?: string; URI?: string; EmailAddress?: string }; Permission?: string }[] };
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
}

function headersOf(input: AclInput): Partial<Record<Permission, string>> {
  return {
    ...(input.GrantFullControl ? { FULL_CONTROL: input.GrantFullControl } : {}),
    ...(input.GrantRead ? { READ: input.GrantRead } : {}),
    ...(input.GrantReadACP ? { READ_ACP: input.GrantReadACP } : {}),
    ...(input.GrantWrite ? { WRITE: input.GrantWrite } : {}),
    ...(input.GrantWriteACP ? { WRITE_ACP: input.GrantWriteACP } : {}),
  };
}

/** The grants a request asks for (canned, header grants or a full policy), or undefined when it sets none. */
export function requestedGrants(input: AclInput, owner: string, bucketOwner: string, forObject: boolean): Grant[] | undefined {
  const headers = headersOf(input);
  const hasHeaders = Object.keys(headers).length > 0;
  if (input.ACL !== undefined && hasHeaders) throw s3Errors.invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
  if (input.ACL !== undefined) return cannedGrants(input.ACL, owner, bucketOwner, forObject);
  if (hasHeaders) return headerGrants(headers);
  if (input.AccessControlPolicy) return policyGrants(input.AccessControlPolicy);
  return undefined;
}

/**
 * The checks every ACL write passes: ACLs disabled (BucketOwnerEnforced) accept only
 * the bucket owner's full control; BlockPublicAcls refuses public grants.
 */
export function checkAclWrite(ctx: Ctx, bucket: BucketRow, grants: readonly Grant[]): void {
  if (bucket.ownership === 'BucketOwnerEnforced' && !onlyOwnerFullControl(grants, bucket.ownerAccount)) throw aclNotSupported();
  if (grants.some(isPublicGrant) && effectivePublicAccessBlock(ctx, bucket).BlockPublicAcls) throw s3Errors.accessDenied();
}

/** Who owns an object written now by the caller, under the bucket's Object Ownership. */
export function writerOwner(ctx: Ctx, bucket: BucketRow, acl: string | undefined): string {
  const writer = ctx.identity.type === 'anonymous' ? bucket.ownerAccount : ctx.identity.accountId;
  if (bucket.ownership === 'BucketOwnerEnforced') return bucket.ownerAccount;
  if (bucket.ownership === 'BucketOwnerPreferred' && acl === 'bucket-owner-full-control') return bucket.ownerAccount;
  return writer;
}

/** The fields a new object version gets from its ACL and owner (nothing for the default). */
export function objectAclFields(owner: string, bucket: BucketRow, grants: Grant[] | undefined): Pick<ObjVersion, 'acl' | 'owner'> {
  const out: Pick<ObjVersion, 'acl' | 'owner'> = {};
  if (owner !== bucket.ownerAccount) out.owner = owner;
  if (bucket.ownership !== 'BucketOwnerEnforced' && grants && !onlyOwnerFullControl(grants, owner)) out.acl = grants;
  return out;
}

export const objectOwner = (bucket: BucketRow, v: ObjVersion) => (bucket.ownership === 'BucketOwnerEnforced' ? bucket.ownerAccount : v.owner ?? bucket.ownerAccount);

/** The grants in force on a bucket / an object version (ACLs disabled: only the owner's). */
export function bucketGrants(bucket: BucketRow): Grant[] {
  const own: Grant[] = [{ Grantee: { Type: 'CanonicalUser', ID: canonicalId(bucket.ownerAccount) }, Permission: 'FULL_CONTROL' }];
  return bucket.ownership === 'BucketOwnerEnforced' || !bucket.acl ? own : bucket.acl;
}
export function objectGrants(bucket: BucketRow, v: ObjVersion): Grant[] {
  const owner = objectOwner(bucket, v);
  const own: Grant[] = [{ Grantee: { Type: 'CanonicalUser', ID: canonicalId(owner) }, Permission: 'FULL_CONTROL' }];
  return bucket.ownership === 'BucketOwnerEnforced' || !v.acl ? own : v.acl;
}

const bucketArg = () => s.str({ doc: 'The bucket name.', complete: 'bucket' });
const grantStruct = () =>
  s.struct(
    {
      Grantee: s.struct(
        { DisplayName: s.str(), EmailAddress: s.str(), ID: s.str(), Type: s.enum(['CanonicalUser', 'AmazonCustomerByEmail', 'Group'] as const), URI: s.str() },
        ['Type'],
      ),
      Permission: s.enum(['FULL_CONTROL', 'WRITE', 'WRITE_ACP', 'READ', 'READ_ACP'] as const),
    },
  );
const aclMembers = () => ({
  AccessControlPolicy: s.struct({ Grants: s.list(grantStruct()), Owner: s.struct({ DisplayName: s.str(), ID: s.str() }) }),
  GrantFullControl: s.str({ doc: 'id="CANONICAL-ID" or uri="http://acs.amazonaws.com/groups/global/AllUsers", comma separated.' }),
  GrantRead: s.str(),
  GrantReadACP: s.str(),
  GrantWrite: s.str(),
  GrantWriteACP: s.str(),
  ContentMD5: s.str(),
  ChecksumAlgorithm: s.enum(['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'] as const),
  ExpectedBucketOwner: s.str(),
});

export const PutBucketAcl = op({
  name: 'PutBucketAcl',
  doc: "Replaces the bucket's ACL (canned --acl, --grant-* or --access-control-policy). Refused with AccessControlListNotSupported while Object Ownership is BucketOwnerEnforced (ACLs disabled, the default).",
  input: s.struct(
    { Bucket: bucketArg(), ACL: s.enum(['private', 'public-read', 'public-read-write', 'authenticated-read'] as const), ...aclMembers() },
    ['Bucket'],
  ),
  errors: ['NoSuchBucket', 'AccessControlListNotSupported', 'AccessDenied', 'MissingSecurityHeader'],
  example: 'aws s3api put-bucket-acl --bucket photos --acl public-read',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const grants = requestedGrants(input, b.ownerAccount, b.ownerAccount, false);
    if (!grants) throw new AwsError('MissingSecurityHeader', 'Your request was missing a required header', 400, { MissingHeaderName: 'x-amz-acl' });
    checkAclWrite(ctx, b, grants);
    const { acl: _a, ...rest } = b;
    buckets(ctx).set(b.name, onlyOwnerFullControl(grants, b.ownerAccount) ? rest : { ...rest, acl: grants });
    return {};
  },
});

export const GetBucketAcl = op({
  name: 'GetBucketAcl',
  doc: "Shows the bucket's owner and ACL grants (with ACLs disabled: the owner's FULL_CONTROL only).",
  input: s.struct({ Bucket: bucketArg(), ExpectedBucketOwner: s.str() }, ['Bucket']),
  errors: ['NoSuchBucket'],
  readOnly: true,
  example: 'aws s3api get-bucket-acl --bucket photos',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    return { Owner: { ID: canonicalId(b.ownerAccount) }, Grants: bucketGrants(b).map(grantOut) };
  },
});

export const PutObjectAcl = op({
  name: 'PutObjectAcl',
  doc: "Replaces an object's ACL. Needs ACLs enabled on the bucket (Object Ownership BucketOwnerPreferred or ObjectWriter).",
  input: s.struct(
    {
      Bucket: bucketArg(),
      Key: s.str({ min: 1, complete: 's3-key' }),
      VersionId: s.str(),
      ACL: s.enum(['private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'bucket-owner-read', 'bucket-owner-full-control'] as const),
      RequestPayer: s.str(),
      ...aclMembers(),
    },
    ['Bucket', 'Key'],
  ),
  errors: ['NoSuchBucket', 'NoSuchKey', 'AccessControlListNotSupported', 'AccessDenied'],
  example: 'aws s3api put-object-acl --bucket photos --key cat.jpg --acl public-read',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const v = findVersion(ctx, b, input.Key, input.VersionId);
    const owner = objectOwner(b, v);
    const grants = requestedGrants(input, owner, b.ownerAccount, true);
    if (!grants) throw new AwsError('MissingSecurityHeader', 'Your request was missing a required header', 400, { MissingHeaderName: 'x-amz-acl' });
    checkAclWrite(ctx, b, grants);
    const t = objects(ctx);
    const id = objKey(b.name, input.Key);
    const row = t.get(id)!;
    const next = row.versions.map((x) => {
      if (x.versionId !== v.versionId) return x;
      const { acl: _a, ...rest } = x;
      return onlyOwnerFullControl(grants, owner) ? rest : { ...rest, acl: grants };
    });
    t.set(id, { ...row, versions: next });
    return {};
  },
});

export const GetObjectAcl = op({
  name: 'GetObjectAcl',
  doc: "Shows an object's owner and ACL grants.",
  input: s.struct({ Bucket: bucketArg(), Key: s.str({ min: 1, complete: 's3-key' }), VersionId: s.str(), RequestPayer: s.str(), ExpectedBucketOwner: s.str() }, ['Bucket', 'Key']),
  errors: ['NoSuchBucket', 'NoSuchKey'],
  readOnly: true,
  example: 'aws s3api get-object-acl --bucket photos --key cat.jpg',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const v = findVersion(ctx, b, input.Key, input.VersionId);
    return { Owner: { ID: canonicalId(objectOwner(b, v)) }, Grants: objectGrants(b, v).map(grantOut) };
  },
});

export const aclOperations = [PutBucketAcl, GetBucketAcl, PutObjectAcl, GetObjectAcl];
