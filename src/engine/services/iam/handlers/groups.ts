/** IAM groups: members inherit the group's inline and attached policies. */
import { op, s } from '../../../shapes';
import { isoTime } from '../../../clock';
import type { Ctx } from '../../../context';
import { checkName, checkPath, groupArn, groups, iamErrors, rowKey, userArn, type GroupRow } from '../model';
import { attachManagedPolicy, deleteInlinePolicy, detachManagedPolicy, documentArg, documentOut, groupNameArg, iamPaginator, inlinePolicy, page, pageMembers, pageOut, pathArg, policyArnArg, policyNameArg, putInlinePolicy, userNameArg } from './common';
import { attachedOut, requireUser } from './users';

function groupOut(g: GroupRow) {
  return { Path: g.path, GroupName: g.name, GroupId: g.id, Arn: groupArn(g), CreateDate: isoTime(g.created) };
}

function requireGroup(ctx: Ctx, name: string): GroupRow {
  const g = groups(ctx).get(rowKey(ctx.identity.accountId, name));
  if (!g) throw iamErrors.noSuchEntity(`The group with name ${name} cannot be found.`);
  return g;
}

const save = (ctx: Ctx, g: GroupRow) => groups(ctx).set(rowKey(g.account, g.name), g);

export const CreateGroup = op({
  name: 'CreateGroup',
  doc: 'Creates a group. Users added to it get its policies.',
  input: s.struct({ Path: pathArg(), GroupName: groupNameArg() }, ['GroupName']),
  errors: ['EntityAlreadyExists', 'ValidationError'],
  example: 'aws iam create-group --group-name readers',
  handler: (ctx, input) => {
    checkName(input.GroupName, 'groupName', 128);
    const path = checkPath(input.Path);
    const key = rowKey(ctx.identity.accountId, input.GroupName);
    if ([...groups(ctx).keys()].some((k) => k.toLowerCase() === key.toLowerCase())) throw iamErrors.alreadyExists(`Group with name ${input.GroupName} already exists.`);
    const row: GroupRow = { account: ctx.identity.accountId, name: input.GroupName, path, id: 'AGPA' + ctx.rng.upperAlnum(17), created: Math.floor(ctx.now() / 1000) * 1000, inline: {}, attached: [], members: [] };
    save(ctx, row);
    return { Group: groupOut(row) };
  },
});

export const GetGroup = op({
  name: 'GetGroup',
  doc: 'Shows a group and its users.',
  input: s.struct({ GroupName: groupNameArg(), ...pageMembers() }, ['GroupName']),
  paginator: iamPaginator('Users'),
  errors: ['NoSuchEntity'],
  readOnly: true,
  handler: (ctx, input) => {
    const g = requireGroup(ctx, input.GroupName);
    const members = g.members.map((n) => requireUser(ctx, n));
    const p = page(members, input);
    return {
      Group: groupOut(g),
      Users: p.items.map((u) => ({ Path: u.path, UserName: u.name, UserId: u.id, Arn: userArn(u), CreateDate: isoTime(u.created) })),
      IsTruncated: p.IsTruncated,
      ...(p.Marker ? { Marker: p.Marker } : {}),
    };
  },
});

export const ListGroups = op({
  name: 'ListGroups',
  doc: "Lists the account's groups.",
  input: s.struct({ PathPrefix: pathArg(), ...pageMembers() }),
  paginator: iamPaginator('Groups'),
  readOnly: true,
  handler: (ctx, input) => {
    const all = groups(ctx)
      .filter((g) => g.account === ctx.identity.accountId && (!input.PathPrefix || g.path.startsWith(input.PathPrefix)))
      .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
    return pageOut('Groups', all, input, groupOut);
  },
});

export const DeleteGroup = op({
  name: 'DeleteGroup',
  doc: 'Deletes a group; remove its users and policies first.',
  input: s.struct({ GroupName: groupNameArg() }, ['GroupName']),
  errors: ['NoSuchEntity', 'DeleteConflict'],
  handler: (ctx, input) => {
    const g = requireGroup(ctx, input.GroupName);
    if (g.members.length) throw iamErrors.deleteConflict('Cannot delete entity, must remove users from group first.');
    if (Object.keys(g.inline).length) throw iamErrors.deleteConflict('Cannot delete entity, must delete policies first.');
    if (g.attached.length) throw iamErrors.deleteConflict('Cannot delete entity, must detach all policies first.');
    groups(ctx).delete(rowKey(g.account, g.name));
    return {};
  },
});

export const AddUserToGroup = op({
  name: 'AddUserToGroup',
  doc: 'Adds a user to a group.',
  input: s.struct({ GroupName: groupNameArg(), UserName: userNameArg() }, ['GroupName', 'UserName']),
  errors: ['NoSuchEntity'],
  example: 'aws iam add-user-to-group --group-name readers --user-name alice',
  handler: (ctx, input) => {
    const g = requireGroup(ctx, input.GroupName);
    const u = requireUser(ctx, input.UserName);
    if (u.name === 'admin') throw iamErrors.unmodifiable('Cannot perform the operation on the protected user admin.');
    if (!g.members.includes(u.name)) save(ctx, { ...g, members: [...g.members, u.name] });
    return {};
  },
});

export const RemoveUserFromGroup = op({
  name: 'RemoveUserFromGroup',
  doc: 'Removes a user from a group.',
  input: s.struct({ GroupName: groupNameArg(), UserName: userNameArg() }, ['GroupName', 'UserName']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const g = requireGroup(ctx, input.GroupName);
    requireUser(ctx, input.UserName);
    if (!g.members.includes(input.UserName)) throw iamErrors.noSuchEntity(`The user with name ${input.UserName} cannot be found.`);
    save(ctx, { ...g, members: g.members.filter((m) => m !== input.UserName) });
    return {};
  },
});

export const ListGroupsForUser = op({
  name: 'ListGroupsForUser',
  doc: 'Lists the groups a user belongs to.',
  input: s.struct({ UserName: userNameArg(), ...pageMembers() }, ['UserName']),
  paginator: iamPaginator('Groups'),
  readOnly: true,
  handler: (ctx, input) => {
    const u = requireUser(ctx, input.UserName);
    return pageOut('Groups', groups(ctx).filter((g) => g.account === u.account && g.members.includes(u.name)), input, groupOut);
  },
});

export const PutGroupPolicy = op({
  name: 'PutGroupPolicy',
  doc: 'Adds or replaces an inline policy of a group.',
  input: s.struct({ GroupName: groupNameArg(), PolicyName: policyNameArg(), PolicyDocument: documentArg('The policy as JSON (file://policy.json).') }, ['GroupName', 'PolicyName', 'PolicyDocument']),
  errors: ['NoSuchEntity', 'MalformedPolicyDocument'],
  handler: (ctx, input) => {
    checkName(input.PolicyName, 'policyName', 128);
    const g = requireGroup(ctx, input.GroupName);
    putInlinePolicy(g, 'group', input.PolicyName, input.PolicyDocument, (row) => save(ctx, row));
    return {};
  },
});

export const GetGroupPolicy = op({
  name: 'GetGroupPolicy',
  doc: 'Shows one inline policy of a group.',
  input: s.struct({ GroupName: groupNameArg(), PolicyName: policyNameArg() }, ['GroupName', 'PolicyName']),
  errors: ['NoSuchEntity'],
  readOnly: true,
  handler: (ctx, input) => {
    const g = requireGroup(ctx, input.GroupName);
    return { GroupName: g.name, PolicyName: input.PolicyName, PolicyDocument: documentOut(inlinePolicy(g, 'group', input.PolicyName)) };
  },
});

export const ListGroupPolicies = op({
  name: 'ListGroupPolicies',
  doc: 'Lists the names of the inline policies of a group.',
  input: s.struct({ GroupName: groupNameArg(), ...pageMembers() }, ['GroupName']),
  paginator: iamPaginator('PolicyNames'),
  readOnly: true,
  handler: (ctx, input) => {
    const g = requireGroup(ctx, input.GroupName);
    return pageOut('PolicyNames', Object.keys(g.inline).sort(), input);
  },
});

export const DeleteGroupPolicy = op({
  name: 'DeleteGroupPolicy',
  doc: 'Deletes an inline policy of a group.',
  input: s.struct({ GroupName: groupNameArg(), PolicyName: policyNameArg() }, ['GroupName', 'PolicyName']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const g = requireGroup(ctx, input.GroupName);
    deleteInlinePolicy(g, 'group', input.PolicyName, (row) => save(ctx, row));
    return {};
  },
});

export const AttachGroupPolicy = op({
  name: 'AttachGroupPolicy',
  doc: 'Attaches a managed policy to a group.',
  input: s.struct({ GroupName: groupNameArg(), PolicyArn: policyArnArg() }, ['GroupName', 'PolicyArn']),
  errors: ['NoSuchEntity', 'LimitExceeded'],
  example: 'aws iam attach-group-policy --group-name readers --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  handler: (ctx, input) => {
    const g = requireGroup(ctx, input.GroupName);
    attachManagedPolicy(ctx, g, 'group', input.PolicyArn, (row) => save(ctx, row));
    return {};
  },
});

export const DetachGroupPolicy = op({
  name: 'DetachGroupPolicy',
  doc: 'Detaches a managed policy from a group.',
  input: s.struct({ GroupName: groupNameArg(), PolicyArn: policyArnArg() }, ['GroupName', 'PolicyArn']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const g = requireGroup(ctx, input.GroupName);
    detachManagedPolicy(g, input.PolicyArn, (row) => save(ctx, row));
    return {};
  },
});

export const ListAttachedGroupPolicies = op({
  name: 'ListAttachedGroupPolicies',
  doc: 'Lists the managed policies attached to a group.',
  input: s.struct({ GroupName: groupNameArg(), PathPrefix: pathArg(), ...pageMembers() }, ['GroupName']),
  paginator: iamPaginator('AttachedPolicies'),
  readOnly: true,
  handler: (ctx, input) => {
    const g = requireGroup(ctx, input.GroupName);
    return pageOut('AttachedPolicies', attachedOut(ctx, g.attached, input.PathPrefix), input);
  },
});

export const groupOperations = [
  CreateGroup,
  GetGroup,
  ListGroups,
  DeleteGroup,
  AddUserToGroup,
  RemoveUserFromGroup,
  ListGroupsForUser,
  PutGroupPolicy,
  GetGroupPolicy,
  ListGroupPolicies,
  DeleteGroupPolicy,
  AttachGroupPolicy,
  DetachGroupPolicy,
  ListAttachedGroupPolicies,
];
