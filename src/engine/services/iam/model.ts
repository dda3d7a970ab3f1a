/**
 * IAM state (global, per account). Tables:
 *  - `iam.users`     `${account}:${name}` -> UserRow
 *  - `iam.roles`     `${account}:${name}` -> RoleRow
 *  - `iam.policies`  policy ARN -> PolicyRow (customer managed policies)
 *  - `iam.keys`      access key id -> AccessKeyRow
 * The account's `admin` user is built in (not a row): it always has AdministratorAccess.
 */
import type { Ctx } from '../../context';
import type { Identity } from '../../identity';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID } from '../../regions';
import { AwsError } from '../../errors';

export interface Tag {
  Key: string;
  Value: string;
}

export interface UserRow {
  account: string;
  name: string;
  path: string;
  id: string;
  created: number;
  /** Inline policies: name -> document text. */
  inline: Record<string, string>;
  /** Attached managed policy ARNs. */
  attached: string[];
  tags?: Tag[];
  /** The permissions boundary (a managed policy ARN). */
  boundary?: string;
}

export interface RoleRow {
  account: string;
  name: string;
  path: string;
  id: string;
  created: number;
  trust: string;
  description?: string;
  maxSession: number;
  inline: Record<string, string>;
  attached: string[];
  tags?: Tag[];
  boundary?: string;
}

export interface GroupRow {
  account: string;
  name: string;
  path: string;
  id: string;
  created: number;
  inline: Record<string, string>;
  attached: string[];
  /** Member user names. */
  members: string[];
}

export interface PolicyVersionRow {
  id: string;
  doc: string;
  created: number;
}

export interface PolicyRow {
  arn: string;
  account: string;
  name: string;
  path: string;
  id: string;
  created: number;
  updated: number;
  description?: string;
  defaultVersion: string;
  versions: PolicyVersionRow[];
  tags?: Tag[];
}

export interface AccessKeyRow {
  id: string;
  account: string;
  user: string;
  secret: string;
  created: number;
  status: 'Active' | 'Inactive';
}

export const T_USERS = 'iam.users';
export const T_ROLES = 'iam.roles';
export const T_POLICIES = 'iam.policies';
export const T_KEYS = 'iam.keys';
export const T_GROUPS = 'iam.groups';

export const users = (ctx: Pick<Ctx, 'table'>) => ctx.table<UserRow>(T_USERS);
export const roles = (ctx: Pick<Ctx, 'table'>) => ctx.table<RoleRow>(T_ROLES);
export const policies = (ctx: Pick<Ctx, 'table'>) => ctx.table<PolicyRow>(T_POLICIES);
export const groups = (ctx: Pick<Ctx, 'table'>) => ctx.table<GroupRow>(T_GROUPS);
export const groupArn = (g: Pick<GroupRow, 'account' | 'path' | 'name'>) => `arn:aws:iam::${g.account}:group${g.path}${g.name}`;
export const accessKeys = (ctx: Pick<Ctx, 'table'>) => ctx.table<AccessKeyRow>(T_KEYS);
export const rowKey = (account: string, name: string) => `${account}:${name}`;

export const userArn = (u: Pick<UserRow, 'account' | 'path' | 'name'>) => `arn:aws:iam::${u.account}:user${u.path}${u.name}`;
export const roleArn = (r: Pick<RoleRow, 'account' | 'path' | 'name'>) => `arn:aws:iam::${r.account}:role${r.path}${r.name}`;

/** The built-in administrator of an account (the learner's, or the other account's). */
export const ADMIN_NAME = 'admin';
export const adminArn = (account: string) => `arn:aws:iam::${account}:user/${ADMIN_NAME}`;
export const OTHER_ADMIN_IDENTITY: Identity = {
  type: 'user',
  accountId: OTHER_ACCOUNT_ID,
  arn: adminArn(OTHER_ACCOUNT_ID),
  userId: 'AIDAEXAMPLEOTHERADMIN',
  name: ADMIN_NAME,
};
/** Both built-in admins' creation date (the sandbox's accounts predate the learner). */
export const ADMIN_CREATED = Date.UTC(2025, 0, 1, 0, 0, 0);
export const ADMIN_USER_IDS: Record<string, string> = { [ACCOUNT_ID]: 'AIDAEXAMPLEADMIN0001', [OTHER_ACCOUNT_ID]: OTHER_ADMIN_IDENTITY.userId };

export function isBuiltInAdmin(identity: Identity): boolean {
  return identity.type === 'user' && identity.arn === adminArn(identity.accountId);
}

/** The IAM user row behind an identity (undefined for admins, roles, anonymous, or a deleted user). */
export function userOf(ctx: Pick<Ctx, 'table'>, identity: Identity): UserRow | undefined {
  if (identity.type !== 'user' || isBuiltInAdmin(identity)) return undefined;
  return users(ctx).get(rowKey(identity.accountId, identity.name));
}

/** The role behind an assumed-role identity. */
export function roleOf(ctx: Pick<Ctx, 'table'>, identity: Identity): RoleRow | undefined {
  if (identity.type !== 'assumed-role') return undefined;
  const m = /:assumed-role\/([^/]+)\//.exec(identity.arn);
  return m ? roles(ctx).get(rowKey(identity.accountId, m[1]!)) : undefined;
}

export function userIdentity(u: UserRow): Identity {
  return { type: 'user', accountId: u.account, arn: userArn(u), userId: u.id, name: u.name };
}

export function sessionIdentity(r: RoleRow, session: string): Identity {
  return {
    type: 'assumed-role',
    accountId: r.account,
    arn: `arn:aws:sts::${r.account}:assumed-role/${r.name}/${session}`,
    userId: `${r.id}:${session}`,
    name: r.name,
  };
}

// ---------------------------------------------------------------- names and errors

export const iamErrors = {
  noSuchEntity: (message: string) => new AwsError('NoSuchEntity', message, 404),
  alreadyExists: (message: string) => new AwsError('EntityAlreadyExists', message, 409),
  malformed: (message: string) => new AwsError('MalformedPolicyDocument', message, 400),
  deleteConflict: (message: string) => new AwsError('DeleteConflict', message, 409),
  invalidInput: (message: string) => new AwsError('InvalidInput', message, 400),
  validation: (message: string) => new AwsError('ValidationError', message, 400),
  limitExceeded: (message: string) => new AwsError('LimitExceeded', message, 409),
  unmodifiable: (message: string) => new AwsError('UnmodifiableEntity', message, 400),
};

const NAME_RE = /^[\w+=,.@-]+$/;

export function checkName(value: string, member: string, max: number): void {
  if (value.length < 1 || value.length > max) {
    throw iamErrors.validation(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
  if (!NAME_RE.test(value)) {
    throw iamErrors.validation(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
  }
}

export function checkPath(path: string | undefined): string {
  if (path === undefined) return '/';
  if (!/^\/([\x21-\x7e]*\/)?$/.test(path) || path.length > 512) {
    throw iamErrors.validation(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
  }
  return path;
}
