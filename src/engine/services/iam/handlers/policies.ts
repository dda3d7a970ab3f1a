/** Managed policies: the account's own (CreatePolicy ...) and a few AWS managed ones. */
import { op, s } from '../../../shapes';
import { isoTime } from '../../../clock';
import type { Ctx } from '../../../context';
import { checkName, checkPath, iamErrors, policies, type PolicyRow } from '../model';
import { AWS_MANAGED, awsManagedPolicy, managedArn, type ManagedPolicy } from '../managed';
import { attachmentCount, checkDocument, policySize, checkTags, documentArg, documentOut, iamPaginator, page, pageMembers, pathArg, policyArnArg, policyNameArg, policyOut } from './common';

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
    return { Policy: policyOut(p, attachmentCount(ctx, p.arn, ctx.identity.accountId), true) };
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
    const pg = page(withCount, input);
    return { Policies: pg.items.map((x) => policyOut(x.p, x.n, false)), IsTruncated: pg.IsTruncated, ...(pg.Marker ? { Marker: pg.Marker } : {}) };
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
    if (attachmentCount(ctx, p.arn, ctx.identity.accountId) > 0) throw iamErrors.deleteConflict('Cannot delete a policy attached to entities.');
    policies(ctx).delete(p.arn);
    return {};
  },
});

export const policyOperations = [CreatePolicy, GetPolicy, GetPolicyVersion, ListPolicies, DeletePolicy];
