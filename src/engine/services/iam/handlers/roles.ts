/** IAM roles: trust policies, inline and attached policies. */
import { op, s } from '../../../shapes';
import { isoTime } from '../../../clock';
import type { Ctx } from '../../../context';
import { checkName, checkPath, iamErrors, roleArn, roles, rowKey, type RoleRow } from '../model';
import { attachManagedPolicy, checkDocument, checkTags, deleteInlinePolicy, detachManagedPolicy, documentArg, documentOut, iamPaginator, inlinePolicy, pageMembers, pageOut, pathArg, policyArnArg, policyNameArg, policySize, putInlinePolicy, requireAttachable, roleNameArg } from './common';
import { attachedOut } from './users';

function roleOut(r: RoleRow, detail: boolean) {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id,
    Arn: roleArn(r),
    CreateDate: isoTime(r.created),
    AssumeRolePolicyDocument: documentOut(r.trust),
    ...(r.description !== undefined ? { Description: r.description } : {}),
    MaxSessionDuration: r.maxSession,
    ...(detail && r.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: r.boundary } } : {}),
    ...(detail && r.tags?.length ? { Tags: r.tags.map((t) => ({ ...t })) } : {}),
    ...(detail ? { RoleLastUsed: {} } : {}),
  };
}

function checkTrustSize(doc: string): string {
  if (policySize(doc) > 2048) throw iamErrors.limitExceeded('Cannot exceed quota for ACLSizePerRole: 2048');
  return doc;
}

export function requireRole(ctx: Ctx, name: string): RoleRow {
  const r = roles(ctx).get(rowKey(ctx.identity.accountId, name));
  if (!r) throw iamErrors.noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}

export const CreateRole = op({
  name: 'CreateRole',
  doc: 'Creates a role. Its trust policy (AssumeRolePolicyDocument) says who may assume it: users, accounts or services such as ecs-tasks.amazonaws.com.',
  input: s.struct(
    {
      Path: pathArg(),
      RoleName: roleNameArg(),
      AssumeRolePolicyDocument: documentArg('The trust policy as JSON (file://trust.json).'),
      Description: s.str({ max: 1000 }),
      MaxSessionDuration: s.int({ min: 3600, max: 43200 }),
      PermissionsBoundary: s.str(),
      Tags: s.tagsUpper(),
    },
    ['RoleName', 'AssumeRolePolicyDocument'],
  ),
  errors: ['EntityAlreadyExists', 'MalformedPolicyDocument', 'ValidationError'],
  example: 'aws iam create-role --role-name reader --assume-role-policy-document file://trust.json',
  handler: (ctx, input) => {
    checkName(input.RoleName, 'roleName', 64);
    const path = checkPath(input.Path);
    const key = rowKey(ctx.identity.accountId, input.RoleName);
    const t = roles(ctx);
    if ([...t.keys()].some((k) => k.toLowerCase() === key.toLowerCase())) throw iamErrors.alreadyExists(`Role with name ${input.RoleName} already exists.`);
    const trust = checkTrustSize(checkDocument(input.AssumeRolePolicyDocument, 'trust'));
    const tags = checkTags(input.Tags);
    if (input.PermissionsBoundary !== undefined) requireAttachable(ctx, input.PermissionsBoundary);
    const row: RoleRow = {
      account: ctx.identity.accountId,
      name: input.RoleName,
      path,
      id: 'AROA' + ctx.rng.upperAlnum(17),
      created: Math.floor(ctx.now() / 1000) * 1000,
      trust,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      maxSession: input.MaxSessionDuration ?? 3600,
      inline: {},
      attached: [],
      ...(tags ? { tags } : {}),
      ...(input.PermissionsBoundary !== undefined ? { boundary: input.PermissionsBoundary } : {}),
    };
    t.set(key, row);
    const { MaxSessionDuration: _m, ...out } = roleOut(row, false);
    return { Role: { ...out, ...(tags ? { Tags: tags } : {}) } };
  },
});

export const GetRole = op({
  name: 'GetRole',
  doc: 'Shows a role with its trust policy.',
  input: s.struct({ RoleName: roleNameArg() }, ['RoleName']),
  errors: ['NoSuchEntity'],
  readOnly: true,
  example: 'aws iam get-role --role-name reader',
  handler: (ctx, input) => ({ Role: roleOut(requireRole(ctx, input.RoleName), true) }),
});

export const ListRoles = op({
  name: 'ListRoles',
  doc: "Lists the account's roles.",
  input: s.struct({ PathPrefix: pathArg(), ...pageMembers() }),
  paginator: iamPaginator('Roles'),
  readOnly: true,
  handler: (ctx, input) => {
    const all = roles(ctx)
      .filter((r) => r.account === ctx.identity.accountId && (!input.PathPrefix || r.path.startsWith(input.PathPrefix)))
      .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
    return pageOut('Roles', all, input, (r) => roleOut(r, false));
  },
});

export const DeleteRole = op({
  name: 'DeleteRole',
  doc: 'Deletes a role. Its inline and attached policies must be removed first.',
  input: s.struct({ RoleName: roleNameArg() }, ['RoleName']),
  errors: ['NoSuchEntity', 'DeleteConflict'],
  handler: (ctx, input) => {
    const r = requireRole(ctx, input.RoleName);
    if (Object.keys(r.inline).length) throw iamErrors.deleteConflict('Cannot delete entity, must delete policies first.');
    if (r.attached.length) throw iamErrors.deleteConflict('Cannot delete entity, must detach all policies first.');
    roles(ctx).delete(rowKey(r.account, r.name));
    return {};
  },
});

export const UpdateAssumeRolePolicy = op({
  name: 'UpdateAssumeRolePolicy',
  doc: "Replaces a role's trust policy.",
  input: s.struct({ RoleName: roleNameArg(), PolicyDocument: documentArg('The trust policy as JSON.') }, ['RoleName', 'PolicyDocument']),
  errors: ['NoSuchEntity', 'MalformedPolicyDocument'],
  handler: (ctx, input) => {
    const r = requireRole(ctx, input.RoleName);
    roles(ctx).set(rowKey(r.account, r.name), { ...r, trust: checkTrustSize(checkDocument(input.PolicyDocument, 'trust')) });
    return {};
  },
});

export const PutRolePolicy = op({
  name: 'PutRolePolicy',
  doc: 'Adds or replaces an inline policy of a role.',
  input: s.struct({ RoleName: roleNameArg(), PolicyName: policyNameArg(), PolicyDocument: documentArg('The policy as JSON (file://policy.json).') }, ['RoleName', 'PolicyName', 'PolicyDocument']),
  errors: ['NoSuchEntity', 'MalformedPolicyDocument'],
  handler: (ctx, input) => {
    checkName(input.PolicyName, 'policyName', 128);
    const r = requireRole(ctx, input.RoleName);
    putInlinePolicy(r, 'role', input.PolicyName, input.PolicyDocument, (row) => roles(ctx).set(rowKey(row.account, row.name), row));
    return {};
  },
});

export const GetRolePolicy = op({
  name: 'GetRolePolicy',
  doc: 'Shows one inline policy of a role.',
  input: s.struct({ RoleName: roleNameArg(), PolicyName: policyNameArg() }, ['RoleName', 'PolicyName']),
  errors: ['NoSuchEntity'],
  readOnly: true,
  handler: (ctx, input) => {
    const r = requireRole(ctx, input.RoleName);
    return { RoleName: r.name, PolicyName: input.PolicyName, PolicyDocument: documentOut(inlinePolicy(r, 'role', input.PolicyName)) };
  },
});

export const ListRolePolicies = op({
  name: 'ListRolePolicies',
  doc: 'Lists the names of the inline policies of a role.',
  input: s.struct({ RoleName: roleNameArg(), ...pageMembers() }, ['RoleName']),
  paginator: iamPaginator('PolicyNames'),
  readOnly: true,
  handler: (ctx, input) => {
    const r = requireRole(ctx, input.RoleName);
    return pageOut('PolicyNames', Object.keys(r.inline).sort(), input);
  },
});

export const DeleteRolePolicy = op({
  name: 'DeleteRolePolicy',
  doc: 'Deletes an inline policy of a role.',
  input: s.struct({ RoleName: roleNameArg(), PolicyName: policyNameArg() }, ['RoleName', 'PolicyName']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const r = requireRole(ctx, input.RoleName);
    deleteInlinePolicy(r, 'role', input.PolicyName, (row) => roles(ctx).set(rowKey(row.account, row.name), row));
    return {};
  },
});

export const AttachRolePolicy = op({
  name: 'AttachRolePolicy',
  doc: 'Attaches a managed policy to a role (e.g. AmazonECSTaskExecutionRolePolicy to a task execution role).',
  input: s.struct({ RoleName: roleNameArg(), PolicyArn: policyArnArg() }, ['RoleName', 'PolicyArn']),
  errors: ['NoSuchEntity', 'LimitExceeded'],
  example: 'aws iam attach-role-policy --role-name ecsTaskExecutionRole --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
  handler: (ctx, input) => {
    const r = requireRole(ctx, input.RoleName);
    attachManagedPolicy(ctx, r, 'role', input.PolicyArn, (row) => roles(ctx).set(rowKey(row.account, row.name), row));
    return {};
  },
});

export const DetachRolePolicy = op({
  name: 'DetachRolePolicy',
  doc: 'Detaches a managed policy from a role.',
  input: s.struct({ RoleName: roleNameArg(), PolicyArn: policyArnArg() }, ['RoleName', 'PolicyArn']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const r = requireRole(ctx, input.RoleName);
    detachManagedPolicy(r, input.PolicyArn, (row) => roles(ctx).set(rowKey(row.account, row.name), row));
    return {};
  },
});

export const ListAttachedRolePolicies = op({
  name: 'ListAttachedRolePolicies',
  doc: 'Lists the managed policies attached to a role.',
  input: s.struct({ RoleName: roleNameArg(), PathPrefix: pathArg(), ...pageMembers() }, ['RoleName']),
  paginator: iamPaginator('AttachedPolicies'),
  readOnly: true,
  handler: (ctx, input) => {
    const r = requireRole(ctx, input.RoleName);
    return pageOut('AttachedPolicies', attachedOut(ctx, r.attached, input.PathPrefix), input);
  },
});

export const PutRolePermissionsBoundary = op({
  name: 'PutRolePermissionsBoundary',
  doc: "Sets a role's permissions boundary: a managed policy that caps what its identity policies can allow.",
  input: s.struct({ RoleName: roleNameArg(), PermissionsBoundary: policyArnArg() }, ['RoleName', 'PermissionsBoundary']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const r = requireRole(ctx, input.RoleName);
    requireAttachable(ctx, input.PermissionsBoundary);
    roles(ctx).set(rowKey(r.account, r.name), { ...r, boundary: input.PermissionsBoundary });
    return {};
  },
});

export const DeleteRolePermissionsBoundary = op({
  name: 'DeleteRolePermissionsBoundary',
  doc: "Removes a role's permissions boundary.",
  input: s.struct({ RoleName: roleNameArg() }, ['RoleName']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const r = requireRole(ctx, input.RoleName);
    const { boundary: _b, ...rest } = r;
    roles(ctx).set(rowKey(r.account, r.name), rest);
    return {};
  },
});

export const roleOperations = [
  PutRolePermissionsBoundary,
  DeleteRolePermissionsBoundary,
  CreateRole,
  GetRole,
  ListRoles,
  DeleteRole,
  UpdateAssumeRolePolicy,
  PutRolePolicy,
  GetRolePolicy,
  ListRolePolicies,
  DeleteRolePolicy,
  AttachRolePolicy,
  DetachRolePolicy,
  ListAttachedRolePolicies,
];
