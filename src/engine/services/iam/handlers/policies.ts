/** Managed policies: the account's own (CreatePolicy ...) and a few AWS managed ones. */
import { op, s } from '../../../shapes';
import { isoTime } from '../../../clock';
import type { Ctx } from '../../../context';
import { checkName, checkPath, iamErrors, policies, type PolicyRow } from '../model';
import { AWS_MANAGED, awsManagedPolicy, managedArn, type ManagedPolicy } from '../managed';
import { attachmentCount, boundaryCount, checkDocument, policySize, checkTags, documentArg, documentOut, iamPaginator, pageMembers, pageOut, pathArg, policyArnArg, policyNameArg, policyOut } from './common';

function managedRow(p: ManagedPolicy): PolicyRow {
  return {
    arn: managedArn(p),
    account: 'aws',
    name: p.name,
    path: p.path,
    id: p.id,
    created: p.created,
    updated: p.updated,
    description: p.description,
    defaultVersion: p.versionId,
    versions: [{ id: p.versionId, doc: JSON.stringify(p.document), created: p.updated }],
  };
}

/** A policy the caller can see (AWS managed, or one of its account), or NoSuchEntity. */
function requirePolicy(ctx: Ctx, arn: string): PolicyRow {
  const aws = awsManagedPolicy(arn);
  if (aws) return managedRow(aws);
  const row = policies(ctx).get(arn);
  if (!row || row.account !== ctx.identity.accountId) throw iamErrors.noSuchEntity(`Policy ${arn} was not found.`);
  return row;
}

export const CreatePolicy = op({
  name: 'CreatePolicy',
  doc: 'Creates a customer managed policy you can attach to users and roles.',
  input: s.struct(
    { PolicyName: policyNameArg(), Path: pathArg(), PolicyDocument: documentArg('The policy as JSON (file://policy.json).'), Description: s.str({ max: 1000 }), Tags: s.tagsUpper() },
    ['PolicyName', 'PolicyDocument'],
  ),
  errors: ['EntityAlreadyExists', 'MalformedPolicyDocument'],
  example: 'aws iam create-policy --policy-name photos-read --policy-document file://policy.json',
  handler: (ctx, input) => {
    checkName(input.PolicyName, 'policyName', 128);
    const path = checkPath(input.Path);
    const arn = `arn:aws:iam::${ctx.identity.accountId}:policy${path}${input.PolicyName}`;
    if (policies(ctx).filter((p) => p.account === ctx.identity.accountId && p.name.toLowerCase() === input.PolicyName.toLowerCase()).length) {
      throw iamErrors.alreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
    }
    const doc = checkDocument(input.PolicyDocument, 'identity');
    if (policySize(doc) > 6144) throw iamErrors.limitExceeded('Cannot exceed quota for PolicySize: 6144');
    const now = Math.floor(ctx.now() / 1000) * 1000;
    const tags = checkTags(input.Tags);
    const row: PolicyRow = {
      arn,
      account: ctx.identity.accountId,
      name: input.PolicyName,
      path,
      id: 'ANPA' + ctx.rng.upperAlnum(17),
      created: now,
      updated: now,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      defaultVersion: 'v1',
      versions: [{ id: 'v1', doc, created: now }],
      ...(tags ? { tags } : {}),
    };
    policies(ctx).set(arn, row);
    const { PermissionsBoundaryUsageCount: _p, ...out } = policyOut(row, 0, false);
    return { Policy: { ...out, ...(tags ? { Tags: tags } : {}) } };
  },
});

export const GetPolicy = op({
  name: 'GetPolicy',
  doc: 'Shows a managed policy (not its document: see get-policy-version).',
  input: s.struct({ PolicyArn: policyArnArg() }, ['PolicyArn']),
  errors: ['NoSuchEntity'],
  readOnly: true,
  example: 'aws iam get-policy --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  handler: (ctx, input) => {
    const p = requirePolicy(ctx, input.PolicyArn);
    return { Policy: policyOut(p, attachmentCount(ctx, p.arn, ctx.identity.accountId), true, boundaryCount(ctx, p.arn)) };
  },
});

export const GetPolicyVersion = op({
  name: 'GetPolicyVersion',
  doc: 'Shows the document of one version of a managed policy.',
  input: s.struct({ PolicyArn: policyArnArg(), VersionId: s.str({ doc: 'v1, v2 ...' }) }, ['PolicyArn', 'VersionId']),
  errors: ['NoSuchEntity'],
  readOnly: true,
  example: 'aws iam get-policy-version --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess --version-id v3',
  handler: (ctx, input) => {
    const p = requirePolicy(ctx, input.PolicyArn);
    const v = p.versions.find((x) => x.id === input.VersionId);
    if (!v) throw iamErrors.noSuchEntity(`Policy ${input.PolicyArn} version ${input.VersionId} does not exist or is not attachable.`);
    return { PolicyVersion: { Document: documentOut(v.doc), VersionId: v.id, IsDefaultVersion: v.id === p.defaultVersion, CreateDate: isoTime(v.created) } };
  },
});

export const ListPolicies = op({
  name: 'ListPolicies',
  doc: 'Lists managed policies: AWS managed and your own (--scope Local|AWS|All, --only-attached).',
  input: s.struct({
    Scope: s.enum(['All', 'AWS', 'Local'] as const),
    OnlyAttached: s.bool(),
    PathPrefix: pathArg(),
    PolicyUsageFilter: s.enum(['PermissionsPolicy', 'PermissionsBoundary'] as const),
    ...pageMembers(),
  }),
  paginator: iamPaginator('Policies'),
  readOnly: true,
  example: 'aws iam list-policies --scope Local',
  handler: (ctx, input) => {
    const acct = ctx.identity.accountId;
    const scope = input.Scope ?? 'All';
    let list: PolicyRow[] = [];
    if (scope !== 'Local') list.push(...AWS_MANAGED.map(managedRow));
    if (scope !== 'AWS') list.push(...policies(ctx).filter((p) => p.account === acct));
    list = list.filter((p) => !input.PathPrefix || p.path.startsWith(input.PathPrefix));
    const withCount = list.map((p) => ({ p, n: attachmentCount(ctx, p.arn, acct) })).filter((x) => !input.OnlyAttached || x.n > 0);
    withCount.sort((a, b) => (a.p.name.toLowerCase() < b.p.name.toLowerCase() ? -1 : 1));
    return pageOut('Policies', withCount, input, (x) => policyOut(x.p, x.n, false));
  },
});

export const DeletePolicy = op({
  name: 'DeletePolicy',
  doc: 'Deletes a customer managed policy; detach it from every user and role first.',
  input: s.struct({ PolicyArn: policyArnArg() }, ['PolicyArn']),
  errors: ['NoSuchEntity', 'DeleteConflict'],
  handler: (ctx, input) => {
    if (awsManagedPolicy(input.PolicyArn)) throw iamErrors.unmodifiable(`Cannot delete the AWS managed policy ${input.PolicyArn}.`);
    const p = requirePolicy(ctx, input.PolicyArn);
    if (attachmentCount(ctx, p.arn, ctx.identity.accountId) > 0 || boundaryCount(ctx, p.arn) > 0) throw iamErrors.deleteConflict('Cannot delete a policy attached to entities.');
    if (p.versions.length > 1) {
      throw iamErrors.deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
    policies(ctx).delete(p.arn);
    return {};
  },
});

/** One of the account's own policies (AWS managed ones cannot be changed). */
function requireOwnPolicy(ctx: Ctx, arn: string): PolicyRow {
  if (awsManagedPolicy(arn)) throw iamErrors.unmodifiable(`Cannot modify the AWS managed policy ${arn}.`);
  return requirePolicy(ctx, arn);
}

export const CreatePolicyVersion = op({
  name: 'CreatePolicyVersion',
  doc: 'Adds a new version of a managed policy (5 at most); --set-as-default makes it the one in force.',
  input: s.struct({ PolicyArn: policyArnArg(), PolicyDocument: documentArg('The new document as JSON.'), SetAsDefault: s.bool() }, ['PolicyArn', 'PolicyDocument']),
  errors: ['NoSuchEntity', 'MalformedPolicyDocument', 'LimitExceeded'],
  example: 'aws iam create-policy-version --policy-arn arn:aws:iam::123456789012:policy/photos-read --policy-document file://v2.json --set-as-default',
  handler: (ctx, input) => {
    const p = requireOwnPolicy(ctx, input.PolicyArn);
    if (p.versions.length >= 5) {
      throw iamErrors.limitExceeded('A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
    }
    const doc = checkDocument(input.PolicyDocument, 'identity');
    if (policySize(doc) > 6144) throw iamErrors.limitExceeded('Cannot exceed quota for PolicySize: 6144');
    const next = Math.max(...p.versions.map((v) => Number(v.id.slice(1))), Number(p.defaultVersion.slice(1))) + 1;
    const now = Math.floor(ctx.now() / 1000) * 1000;
    const id = `v${next}`;
    policies(ctx).set(p.arn, { ...p, versions: [...p.versions, { id, doc, created: now }], ...(input.SetAsDefault ? { defaultVersion: id, updated: now } : {}) });
    return { PolicyVersion: { VersionId: id, IsDefaultVersion: !!input.SetAsDefault, CreateDate: isoTime(now) } };
  },
});

export const ListPolicyVersions = op({
  name: 'ListPolicyVersions',
  doc: 'Lists the versions of a managed policy, newest first.',
  input: s.struct({ PolicyArn: policyArnArg(), Marker: s.str({ min: 1, max: 320 }), MaxItems: s.int({ min: 1, max: 1000 }) }, ['PolicyArn']),
  paginator: iamPaginator('Versions'),
  readOnly: true,
  handler: (ctx, input) => {
    const p = requirePolicy(ctx, input.PolicyArn);
    const list = [...p.versions].reverse().map((v) => ({ VersionId: v.id, IsDefaultVersion: v.id === p.defaultVersion, CreateDate: isoTime(v.created) }));
    return pageOut('Versions', list, input);
  },
});

export const SetDefaultPolicyVersion = op({
  name: 'SetDefaultPolicyVersion',
  doc: 'Makes one version of a managed policy the one in force (to roll back, for example).',
  input: s.struct({ PolicyArn: policyArnArg(), VersionId: s.str() }, ['PolicyArn', 'VersionId']),
  errors: ['NoSuchEntity'],
  handler: (ctx, input) => {
    const p = requireOwnPolicy(ctx, input.PolicyArn);
    if (!p.versions.some((v) => v.id === input.VersionId)) throw iamErrors.noSuchEntity(`Policy ${input.PolicyArn} version ${input.VersionId} does not exist or is not attachable.`);
    policies(ctx).set(p.arn, { ...p, defaultVersion: input.VersionId, updated: Math.floor(ctx.now() / 1000) * 1000 });
    return {};
  },
});

export const DeletePolicyVersion = op({
  name: 'DeletePolicyVersion',
  doc: 'Deletes a version of a managed policy (not the default one).',
  input: s.struct({ PolicyArn: policyArnArg(), VersionId: s.str() }, ['PolicyArn', 'VersionId']),
  errors: ['NoSuchEntity', 'DeleteConflict'],
  handler: (ctx, input) => {
    const p = requireOwnPolicy(ctx, input.PolicyArn);
    if (!p.versions.some((v) => v.id === input.VersionId)) throw iamErrors.noSuchEntity(`Policy ${input.PolicyArn} version ${input.VersionId} does not exist or is not attachable.`);
    if (input.VersionId === p.defaultVersion) throw iamErrors.deleteConflict('Cannot delete the default version of a policy.');
    policies(ctx).set(p.arn, { ...p, versions: p.versions.filter((v) => v.id !== input.VersionId) });
    return {};
  },
});

export const ListEntitiesForPolicy = op({
  name: 'ListEntitiesForPolicy',
  doc: 'Lists the users, groups and roles a managed policy is attached to.',
  input: s.struct({ PolicyArn: policyArnArg(), EntityFilter: s.enum(['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const), PathPrefix: pathArg(), Marker: s.str({ min: 1, max: 320 }), MaxItems: s.int({ min: 1, max: 1000 }) }, ['PolicyArn']),
  readOnly: true,
  handler: (ctx, input) => {
    requirePolicy(ctx, input.PolicyArn);
    const acct = ctx.identity.accountId;
    const has = (r: { account: string; attached: string[] }) => r.account === acct && r.attached.includes(input.PolicyArn);
    const f = input.EntityFilter;
    const PolicyUsers = f && f !== 'User' ? [] : [...(input.PolicyArn === 'arn:aws:iam::aws:policy/AdministratorAccess' ? [{ UserName: 'admin', UserId: 'AIDAEXAMPLEADMIN0001' }] : []), ...ctx.table<{ account: string; name: string; id: string; attached: string[] }>('iam.users').filter(has).map((u) => ({ UserName: u.name, UserId: u.id }))];
    const PolicyGroups = f && f !== 'Group' ? [] : ctx.table<{ account: string; name: string; id: string; attached: string[] }>('iam.groups').filter(has).map((g) => ({ GroupName: g.name, GroupId: g.id }));
    const PolicyRoles = f && f !== 'Role' ? [] : ctx.table<{ account: string; name: string; id: string; attached: string[] }>('iam.roles').filter(has).map((r) => ({ RoleName: r.name, RoleId: r.id }));
    return { PolicyGroups, PolicyUsers, PolicyRoles, IsTruncated: false };
  },
});

export const policyOperations = [CreatePolicy, GetPolicy, GetPolicyVersion, ListPolicies, DeletePolicy, CreatePolicyVersion, ListPolicyVersions, SetDefaultPolicyVersion, DeletePolicyVersion, ListEntitiesForPolicy];
