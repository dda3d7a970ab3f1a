/**
 * S3 ACLs: canned ACLs, grants, canonical user ids, and what a grant lets a
 * caller do. Stored on the bucket row (`acl`) and on each object version (`acl`,
 * `owner` when the object belongs to another account than the bucket).
 */
import { ACCOUNT_ID, OTHER_ACCOUNT_ID } from '../../../regions';
import type { Identity } from '../../../identity';
import { AwsError } from '../../../errors';
import { OWNER_ID } from '../model';

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

/** The other account's canonical user id (64 hex digits, like every canonical id). */
export const OTHER_OWNER_ID = 'b4c1a9e27d3f4e6a8c0b2d4f6a8c1e3f5b7d9a0c2e4f6b8d0a2c4e6f8b1d3a5c';

const CANONICAL: Record<string, string> = { [ACCOUNT_ID]: OWNER_ID, [OTHER_ACCOUNT_ID]: OTHER_OWNER_ID };
const ACCOUNT_OF: Record<string, string> = { [OWNER_ID]: ACCOUNT_ID, [OTHER_OWNER_ID]: OTHER_ACCOUNT_ID };

export function canonicalId(account: string): string {
  return CANONICAL[account] ?? account;
}
export function accountOfCanonical(id: string): string | undefined {
  return ACCOUNT_OF[id];
}

export type Permission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
export const PERMISSIONS: readonly Permission[] = ['FULL_CONTROL', 'WRITE', 'WRITE_ACP', 'READ', 'READ_ACP'];

export type Grantee = { Type: 'CanonicalUser'; ID: string } | { Type: 'Group'; URI: string };
export interface Grant {
  Grantee: Grantee;
  Permission: Permission;
}

export const CANNED_BUCKET_ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'log-delivery-write'] as const;
export const CANNED_OBJECT_ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'bucket-owner-read', 'bucket-owner-full-control'] as const;

const user = (account: string, p: Permission): Grant => ({ Grantee: { Type: 'CanonicalUser', ID: canonicalId(account) }, Permission: p });
const group = (uri: string, p: Permission): Grant => ({ Grantee: { Type: 'Group', URI: uri }, Permission: p });

/** The grants of a canned ACL for an owner (and, for objects, the bucket's owner). */
export function cannedGrants(acl: string, owner: string, bucketOwner: string, forObject: boolean): Grant[] {
  const list = forObject ? CANNED_OBJECT_ACLS : CANNED_BUCKET_ACLS;
  if (!(list as readonly string[]).includes(acl)) {
    throw new AwsError('InvalidArgument', '', 400, { ArgumentName: 'x-amz-acl', ArgumentValue: acl });
  }
  const out = [user(owner, 'FULL_CONTROL')];
  switch (acl) {
    case 'public-read':
      out.push(group(ALL_USERS, 'READ'));
      break;
    case 'public-read-write':
      out.push(group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE'));
      break;
    case 'authenticated-read':
      out.push(group(AUTHENTICATED_USERS, 'READ'));
      break;
    case 'log-delivery-write':
      out.push(group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP'));
      break;
    case 'bucket-owner-read':
      if (bucketOwner !== owner) out.push(user(bucketOwner, 'READ'));
      break;
    case 'bucket-owner-full-control':
      if (bucketOwner !== owner) out.push(user(bucketOwner, 'FULL_CONTROL'));
      break;
  }
  return out;
}

/** Grants from the x-amz-grant-* headers (`id="..."`, `uri="..."`, comma separated). */
export function headerGrants(headers: Partial<Record<Permission, string>>): Grant[] {
  const out: Grant[] = [];
  for (const p of PERMISSIONS) {
    const text = headers[p];
    if (!text) continue;
    for (const part of text.split(',')) {
      const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
      if (!m) throw new AwsError('InvalidArgument', 'Invalid id', 400, { ArgumentName: `x-amz-grant-${p.toLowerCase().replace('_', '-')}`, ArgumentValue: part.trim() });
      const kind = m[1]!.toLowerCase();
      if (kind === 'id') out.push({ Grantee: { Type: 'CanonicalUser', ID: m[2]! }, Permission: p });
      else if (kind === 'uri') out.push(checkGroup(m[2]!, p));
      else throw new AwsError('UnresolvableGrantByEmailAddress', 'The e-mail address you provided does not match any account on record.', 400);
    }
  }
  return out;
}

function checkGroup(uri: string, p: Permission): Grant {
  if (uri !== ALL_USERS && uri !== AUTHENTICATED_USERS && uri !== LOG_DELIVERY) throw new AwsError('InvalidArgument', 'Invalid group uri', 400, { ArgumentName: 'uri', ArgumentValue: uri });
  return group(uri, p);
}

/** Grants from an AccessControlPolicy structure (as the CLI's --access-control-policy gives it). */
export function policyGrants(acp: { Grants?: { Grantee?: { Type?: string; ID?: string; URI?: string; EmailAddress?: string }; Permission?: string }[] }): Grant[] {
  const out: Grant[] = [];
  for (const g of acp.Grants ?? []) {
    const p = g.Permission as Permission;
    if (!PERMISSIONS.includes(p) || !g.Grantee) throw new AwsError('MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    const t = g.Grantee.Type;
    if (t === 'CanonicalUser' && g.Grantee.ID) out.push({ Grantee: { Type: 'CanonicalUser', ID: g.Grantee.ID }, Permission: p });
    else if (t === 'Group' && g.Grantee.URI) out.push(checkGroup(g.Grantee.URI, p));
    else if (t === 'AmazonCustomerByEmail') throw new AwsError('UnresolvableGrantByEmailAddress', 'The e-mail address you provided does not match any account on record.', 400);
    else throw new AwsError('MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  }
  return out;
}

export const isPublicGrant = (g: Grant) => g.Grantee.Type === 'Group' && (g.Grantee.URI === ALL_USERS || g.Grantee.URI === AUTHENTICATED_USERS);

/** Only the owner (and the bucket owner) with FULL_CONTROL: what a bucket with ACLs disabled accepts. */
export function onlyOwnerFullControl(grants: readonly Grant[], bucketOwner: string): boolean {
  return grants.every((g) => g.Grantee.Type === 'CanonicalUser' && g.Grantee.ID === canonicalId(bucketOwner) && g.Permission === 'FULL_CONTROL');
}

/** Does a grant name this caller? 'direct' for AllUsers (anyone), 'account' for its account or AuthenticatedUsers. */
export function granteeMatch(g: Grant, identity: Identity): 'direct' | 'account' | undefined {
  if (g.Grantee.Type === 'Group') {
    if (g.Grantee.URI === ALL_USERS) return 'direct';
    if (g.Grantee.URI === AUTHENTICATED_USERS) return identity.type === 'anonymous' ? undefined : 'account';
    return undefined;
  }
  if (identity.type === 'anonymous') return undefined;
  return g.Grantee.ID === canonicalId(identity.accountId) ? 'account' : undefined;
}

/** The ACL permission an S3 action needs (undefined: ACLs never grant it). */
export function aclPermissionFor(action: string, onObject: boolean): Permission | undefined {
  if (onObject) {
    if (action === 's3:GetObject' || action === 's3:GetObjectVersion') return 'READ';
    if (action === 's3:GetObjectAcl' || action === 's3:GetObjectVersionAcl') return 'READ_ACP';
    if (action === 's3:PutObjectAcl' || action === 's3:PutObjectVersionAcl') return 'WRITE_ACP';
    return undefined;
  }
  if (action === 's3:ListBucket' || action === 's3:ListBucketVersions' || action === 's3:ListBucketMultipartUploads') return 'READ';
  if (action === 's3:PutObject' || action === 's3:DeleteObject' || action === 's3:DeleteObjectVersion') return 'WRITE';
  if (action === 's3:GetBucketAcl') return 'READ_ACP';
  if (action === 's3:PutBucketAcl') return 'WRITE_ACP';
  return undefined;
}

export function grantOut(g: Grant) {
  return { Grantee: g.Grantee.Type === 'CanonicalUser' ? { ID: g.Grantee.ID, Type: 'CanonicalUser' } : { Type: 'Group', URI: g.Grantee.URI }, Permission: g.Permission };
}

export function describeGrant(g: Grant): string {
  const who =
    g.Grantee.Type === 'Group'
      ? g.Grantee.URI === ALL_USERS
        ? 'everyone (AllUsers)'
        : g.Grantee.URI === AUTHENTICATED_USERS
          ? 'any AWS account (AuthenticatedUsers)'
          : 'the log delivery group'
      : `account ${accountOfCanonical(g.Grantee.ID) ?? g.Grantee.ID}`;
  return `${g.Permission} to ${who}`;
}
