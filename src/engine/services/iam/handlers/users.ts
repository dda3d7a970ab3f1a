/** IAM users, their inline policies, attached managed policies and access keys. */
import { op, s } from '../../../shapes';
import { isoTime } from '../../../clock';
import type { Ctx } from '../../../context';
import {
  ADMIN_CREATED,
  ADMIN_NAME,
  ADMIN_USER_IDS,
  accessKeys,
  adminArn,
  groups,
  checkName,
  checkPath,
  iamErrors,
  rowKey,
  userArn,
  users,
  type UserRow,
} from '../model';
import { ADMINISTRATOR_ACCESS_ARN, awsManagedPolicy } from '../managed';
import { policies } from '../model';
import { attachManagedPolicy, checkTags, deleteInlinePolicy, detachManagedPolicy, documentArg, documentOut, iamPaginator, inlinePolicy, pageMembers, pageOut, pathArg, policyArnArg, policyNameArg, putInlinePolicy, requireAttachable, userNameArg } from './common';

function userOut(u: UserRow, withTags = false) {
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.id,
    Arn: userArn(u),
    CreateDate: isoTime(u.created),
    ...(withTags && u.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: u.boundary } } : {}),
    ...(withTags && u.tags?.length ? { Tags: u.tags.map((t) => ({ ...t })) } : {}),
  };
}

/** The built-in admin as a user row (read-only view). */
function adminRow(account: string): UserRow {
  return { account, name: ADMIN_NAME, path: '/', id: ADMIN_USER_IDS[account] ?? 'AIDAEXAMPLEADMIN0001', created: ADMIN_CREATED, inline: {}, attached: [ADMINISTRATOR_ACCESS_ARN] };
}

/** A user of the caller's account (the built-in admin included), or NoSuchEntity. */
export function requireUser(ctx: Ctx, name: string): UserRow {
  if (name === ADMIN_NAME) return adminRow(ctx.identity.accountId);
  const u = users(ctx).get(rowKey(ctx.identity.accountId, name));
  if (!u) throw iamErrors.noSuchEntity(`The user with name ${name} cannot be found.`);
  return u;
}

/** A user the learner may change (not the built-in admin). */
function requireMutableUser(ctx: Ctx, name: string): UserRow {
  const u = requireUser(ctx, name);
  if (name === ADMIN_NAME) throw iamErrors.unmodifiable(`Cannot perform the operation on the protected user ${name}: Nimbus keeps each account's admin user as it is (switch identity with sandbox whoami instead).`);
  return u;
}

export const CreateUser = op({
  name: 'CreateUser',
  doc: 'Creates an IAM user in your account. A new user can do nothing until a policy allows it.',
  input: s.struct({ Path: pathArg(), UserName: userNameArg(), PermissionsBoundary: s.str(), Tags: s.tagsUpper() }, ['UserName']),
  errors: ['EntityAlreadyExists', 'ValidationError', 'LimitExceeded'],
  example: 'aws iam create-user --user-name alice',
  handler: (ctx, input) => {
    checkName(input.UserName, 'userName', 64);
    const path = checkPath(input.Path);
    const key = rowKey(ctx.identity.accountId, input.UserName);
    const t = users(ctx);
    if (input.UserName.toLowerCase() === ADMIN_NAME || [...t.keys()].some((k) => k.toLowerCase() === key.toLowerCase())) {
      throw iamErrors.alreadyExists(`User with name ${input.UserName} already exists.`);
    }
    const tags = checkTags(input.Tags);
    if (input.PermissionsBoundary !== undefined) requireAttachable(ctx, input.PermissionsBoundary);
    const row: UserRow = {
      account: ctx.identity.accountId,
      name: input.UserName,
      path,
      id: 'AIDA' + ctx.rng.upperAlnum(17),
      created: Math.floor(ctx.now() / 1000) * 1000,
      inline: {},
      attached: [],
      ...(tags ? { tags } : {}),
      ...(input.PermissionsBoundary !== undefined ? { boundary: input.PermissionsBoundary } : {}),
    };
    t.set(key, row);
    return { User: userOut(row, true) };
  },
});

export const GetUser = op({
  name: 'GetUser',
  doc: 'Shows a user; without --user-name, the user making the request.',
  input: s.struct({ UserName: userNameArg() }),
  errors: ['NoSuchEntity'],
  readOnly: true,
  example: 'aws iam get-user --user-name alice',
  handler: (ctx, input) => {
    let name = input.UserName;
    if (name === undefined) {
      if (ctx.identity.type !== 'user') throw iamErrors.validation('Must specify userName when calling with non-User credentials');
      name = ctx.identity.name;
    }
    return { User: userOut(requireUser(ctx, name), true) };
  },
});

export const ListUsers = op({
  name: 'ListUsers',
  doc: "Lists the account's IAM users (the built-in admin included).",
  input: s.struct({ PathPrefix: pathArg(), ...pageMembers() }),
  paginator: iamPaginator('Users'),
  readOnly: true,
  example: 'aws iam list-users --query "Users[].UserName"',
  handler: (ctx, input) => {
    const acct = ctx.identity.accountId;
    const all = [adminRow(acct), ...users(ctx).filter((u) => u.account === acct)]
      .filter((u) => !input.PathPrefix || u.path.startsWith(input.PathPrefix))
      .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
    return pageOut('Users', all, input, (u) => userOut(u));
  },
});

export const DeleteUser = op({
  name: 'DeleteUser',
  doc: 'Deletes a user. Its inline policies, attached policies and access keys must be removed first.',
  input: s.struct({ UserName: userNameArg() }, ['UserName']),
  errors: ['NoSuchEntity', 'DeleteConflict'],
  example: 'aws iam delete-user --user-name alice',
  handler: (ctx, input) => {
    const u = requireMutableUser(ctx, input.UserName);
    if (Object.keys(u.inline).length) throw iamErrors.deleteConflict('Cannot delete entity, must delete policies first.');
    if (u.attached.length) throw iamErrors.deleteConflict('Cannot delete entity, must detach all policies first.');
    if (groups(ctx).filter((g) => g.account === u.account && g.members.includes(u.name)).length) {
      throw iamErrors.deleteConflict('Cannot delete entity, must remove user from all groups first.');
    }
    if (accessKeys(ctx).filter((k) => k.account === u.account && k.user === u.name).length) {
      throw iamErrors.deleteConflict('Cannot delete entity, must delete access keys first.');
    }
    users(ctx).delete(rowKey(u.account, u.name));
    return {};
  },
});

export const PutUserPolicy = op({
  name: 'PutUserPolicy',
  doc: 'Adds or replaces an inline policy of a user (the document as JSON text or file://policy.json).',
  input: s.struct({ UserName: userNameArg(), PolicyName: policyNameArg(), PolicyDocument: documentArg('The policy as JSON (file://policy.json).') }, ['UserName', 'PolicyName', 'PolicyDocument']),
  errors: ['NoSuchEntity', 'MalformedPolicyDocument'],
  example: 'aws iam put-user-policy --user-name alice --policy-name read-photos --policy-document file://policy.json',
  handler: (ctx, input) => {
    checkName(input.PolicyName, 'policyName', 128);
    const u = requireMutableUser(ctx, input.UserName);
    putInlinePolicy(u, 'user', input.PolicyName, input.PolicyDocument, (row) => users(ctx).set(rowKey(row.account, row.name), row));
    return {};
  },
});

export const GetUserPolicy = op({
  name: 'GetUserPolicy',
  doc: 'Shows one inline policy of a user.',
  input: s.struct({ UserName: userNameArg(), PolicyName: policyNameArg() }, ['UserName', 'PolicyName']),
  errors: ['NoSuchEntity'],
  readOnly: true,
  handler: (ctx, input) => {
    const u = requireUser(ctx, input.UserName);
    return { UserName: u.name, PolicyName: input.PolicyName, PolicyDocument: documentOut(inlinePolicy(u, 'user', input.PolicyName)) };
  },
});

export const ListUserPolicies = op({
  name: 'ListUserPolicies',
  doc: 'Lists the names of the inline policies of a user.',
  input: s.struct({ UserName: userNameArg(), ...pageMembers() }, ['UserName']),
  paginator: iamPaginator('PolicyNames'),
  readOnly: true,
  handler: (ctx, input) => {
    const u = requireUser(ctx, input.UserName);
    return pageOut('PolicyNames', Object.keys(u.inline).sort(), input);
  },
});

export const DeleteUserPolicy = op({
  name: 'DeleteUserPolicy',
  doc: 'Deletes an inline policy of a user.',
  input: s.struct({ UserName: userNameArg(), PolicyName: policyNameArg() }, ['UserName', 'PolicyName']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const u = requireMutableUser(ctx, input.UserName);
    deleteInlinePolicy(u, 'user', input.PolicyName, (row) => users(ctx).set(rowKey(row.account, row.name), row));
    return {};
  },
});

export const AttachUserPolicy = op({
  name: 'AttachUserPolicy',
  doc: 'Attaches a managed policy (AWS managed such as AmazonS3ReadOnlyAccess, or your own) to a user.',
  input: s.struct({ UserName: userNameArg(), PolicyArn: policyArnArg() }, ['UserName', 'PolicyArn']),
  errors: ['NoSuchEntity', 'LimitExceeded'],
  example: 'aws iam attach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  handler: (ctx, input) => {
    const u = requireMutableUser(ctx, input.UserName);
    attachManagedPolicy(ctx, u, 'user', input.PolicyArn, (row) => users(ctx).set(rowKey(row.account, row.name), row));
    return {};
  },
});

export const DetachUserPolicy = op({
  name: 'DetachUserPolicy',
  doc: 'Detaches a managed policy from a user.',
  input: s.struct({ UserName: userNameArg(), PolicyArn: policyArnArg() }, ['UserName', 'PolicyArn']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const u = requireMutableUser(ctx, input.UserName);
    detachManagedPolicy(u, input.PolicyArn, (row) => users(ctx).set(rowKey(row.account, row.name), row));
    return {};
  },
});

export function attachedOut(ctx: Ctx, arns: readonly string[], prefix?: string) {
  return arns
    .map((arn) => ({ PolicyName: awsManagedPolicy(arn)?.name ?? policies(ctx).get(arn)?.name ?? arn.split('/').pop()!, PolicyArn: arn }))
    .filter((p) => !prefix || p.PolicyArn.split(':policy')[1]?.startsWith(prefix));
}

export const ListAttachedUserPolicies = op({
  name: 'ListAttachedUserPolicies',
  doc: 'Lists the managed policies attached to a user.',
  input: s.struct({ UserName: userNameArg(), PathPrefix: pathArg(), ...pageMembers() }, ['UserName']),
  paginator: iamPaginator('AttachedPolicies'),
  readOnly: true,
  example: 'aws iam list-attached-user-policies --user-name alice',
  handler: (ctx, input) => {
    const u = requireUser(ctx, input.UserName);
    return pageOut('AttachedPolicies', attachedOut(ctx, u.attached, input.PathPrefix), input);
  },
});

export const CreateAccessKey = op({
  name: 'CreateAccessKey',
  doc: 'Creates an access key for a user (two at most). `aws configure --profile NAME` with the key makes the CLI call as that user.',
  input: s.struct({ UserName: userNameArg() }),
  errors: ['NoSuchEntity', 'LimitExceeded'],
  example: 'aws iam create-access-key --user-name alice',
  handler: (ctx, input) => {
    const name = input.UserName ?? (ctx.identity.type === 'user' ? ctx.identity.name : undefined);
    if (!name) throw iamErrors.validation('Must specify userName when calling with non-User credentials');
    const u = requireMutableUser(ctx, name);
    const t = accessKeys(ctx);
    if (t.filter((k) => k.account === u.account && k.user === u.name).length >= 2) throw iamErrors.limitExceeded('Cannot exceed quota for AccessKeysPerUser: 2');
    const id = 'AKIA' + ctx.rng.upperAlnum(16);
    const secret = ctx.rng.alnum(40);
    const created = Math.floor(ctx.now() / 1000) * 1000;
    t.set(id, { id, account: u.account, user: u.name, secret, created, status: 'Active' });
    return { AccessKey: { UserName: u.name, AccessKeyId: id, Status: 'Active', SecretAccessKey: secret, CreateDate: isoTime(created) } };
  },
});

export const ListAccessKeys = op({
  name: 'ListAccessKeys',
  doc: "Lists a user's access keys (ids only: the secret is shown once, at creation).",
  input: s.struct({ UserName: userNameArg(), ...pageMembers() }),
  paginator: iamPaginator('AccessKeyMetadata'),
  readOnly: true,
  handler: (ctx, input) => {
    const name = input.UserName ?? ctx.identity.name;
    const u = requireUser(ctx, name);
    const list = accessKeys(ctx)
      .filter((k) => k.account === u.account && k.user === u.name)
      .map((k) => ({ UserName: k.user, AccessKeyId: k.id, Status: k.status, CreateDate: isoTime(k.created) }));
    return pageOut('AccessKeyMetadata', list, input);
  },
});

export const DeleteAccessKey = op({
  name: 'DeleteAccessKey',
  doc: 'Deletes an access key of a user.',
  input: s.struct({ UserName: userNameArg(), AccessKeyId: s.str({ min: 16, max: 128 }) }, ['AccessKeyId']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const k = accessKeys(ctx).get(input.AccessKeyId);
    const name = input.UserName ?? ctx.identity.name;
    if (!k || k.account !== ctx.identity.accountId || k.user !== name) throw iamErrors.noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found.`);
    accessKeys(ctx).delete(k.id);
    return {};
  },
});

export const PutUserPermissionsBoundary = op({
  name: 'PutUserPermissionsBoundary',
  doc: "Sets a user's permissions boundary: a managed policy that caps what its identity policies can allow.",
  input: s.struct({ UserName: userNameArg(), PermissionsBoundary: policyArnArg() }, ['UserName', 'PermissionsBoundary']),
  errors: ['NoSuchEntity'],
  example: 'aws iam put-user-permissions-boundary --user-name alice --permissions-boundary arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  handler: (ctx, input) => {
    const u = requireMutableUser(ctx, input.UserName);
    requireAttachable(ctx, input.PermissionsBoundary);
    users(ctx).set(rowKey(u.account, u.name), { ...u, boundary: input.PermissionsBoundary });
    return {};
  },
});

export const DeleteUserPermissionsBoundary = op({
  name: 'DeleteUserPermissionsBoundary',
  doc: "Removes a user's permissions boundary.",
  input: s.struct({ UserName: userNameArg() }, ['UserName']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const u = requireMutableUser(ctx, input.UserName);
    const { boundary: _b, ...rest } = u;
    users(ctx).set(rowKey(u.account, u.name), rest);
    return {};
  },
});

export const userOperations = [
  PutUserPermissionsBoundary,
  DeleteUserPermissionsBoundary,
  CreateUser,
  GetUser,
  ListUsers,
  DeleteUser,
  PutUserPolicy,
  GetUserPolicy,
  ListUserPolicies,
  DeleteUserPolicy,
  AttachUserPolicy,
  DetachUserPolicy,
  ListAttachedUserPolicies,
  CreateAccessKey,
  ListAccessKeys,
  DeleteAccessKey,
];

export { adminArn };
