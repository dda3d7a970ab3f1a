/** IAM's policy simulator: SimulatePrincipalPolicy and SimulateCustomPolicy, on the same evaluator S3 uses. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { AwsError } from '../../../errors';
import { parseArn } from '../../../regions';
import {
  actionMatches,
  evaluate,
  globMatch,
  makeContext,
  tryParsePolicy,
  type Caller,
  type ContextValue,
  type PolicySource,
  type StatementTrace,
} from '../../../policy';
import { identityPolicySources } from '../authz';
import { roles, rowKey, users, userIdentity, sessionIdentity, iamErrors } from '../model';
import { iamPaginator, pageOut } from './common';

const contextEntry = () =>
  s.struct({
    ContextKeyName: s.str({ min: 5, max: 256 }),
    ContextKeyValues: s.list(s.str()),
    ContextKeyType: s.enum(['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'] as const),
  });

const commonMembers = () => ({
  ActionNames: s.list(s.str({ min: 3, max: 128 }), { doc: 'Actions to test, e.g. s3:GetObject s3:PutObject.' }),
  ResourceArns: s.list(s.str({ min: 1, max: 2048 }), { doc: 'Resources to test (default *).' }),
  ResourcePolicy: s.str({ doc: 'A resource policy (a bucket policy) to include.' }),
  ResourceOwner: s.str(),
  CallerArn: s.str(),
  ContextEntries: s.list(contextEntry(), { doc: 'Condition key values: ContextKeyName=aws:SourceIp,ContextKeyValues=203.0.113.5,ContextKeyType=ip' }),
  ResourceHandlingOption: s.str(),
  PermissionsBoundaryPolicyInputList: s.list(s.str()),
  Marker: s.str({ min: 1, max: 320 }),
  MaxItems: s.int({ min: 1, max: 1000 }),
});

/** Line/column (1-based) of each top-level statement object in a policy text. */
function statementPositions(text: string): { start: { Line: number; Column: number }; end: { Line: number; Column: number } }[] {
  const out: { start: { Line: number; Column: number }; end: { Line: number; Column: number } }[] = [];
  const at = (i: number) => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    return { Line: line, Column: i - before.lastIndexOf('\n') };
  };
  const k = text.search(/"Statement"\s*:/);
  if (k < 0) return out;
  let i = text.indexOf(':', k) + 1;
  while (/\s/.test(text[i] ?? '')) i++;
  const single = text[i] === '{';
  let depth = 0;
  let inStr = false;
  let start = -1;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
      continue;
    }
    if (ch === '"') inStr = true;
    else if (ch === '{') {
      if (depth === (single ? 0 : 1)) start = i;
      depth++;
    } else if (ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (ch === '}' && depth === (single ? 0 : 1) && start >= 0) {
        out.push({ start: at(start), end: at(i + 1) });
        start = -1;
        if (single) break;
      }
      if (depth < (single ? 0 : 1)) break;
    }
  }
  return out;
}

function contextOf(entries: { ContextKeyName?: string; ContextKeyValues?: string[]; ContextKeyType?: string }[] | undefined, base: Record<string, ContextValue>) {
  const m: Record<string, ContextValue> = { ...base };
  for (const e of entries ?? []) {
    if (!e.ContextKeyName) continue;
    const vals = e.ContextKeyValues ?? [];
    m[e.ContextKeyName] = e.ContextKeyType?.endsWith('List') ? vals : vals[0] ?? '';
  }
  return makeContext(m);
}

function simulate(
  ctx: Ctx,
  caller: Caller,
  sources: PolicySource[],
  input: { ActionNames: string[]; ResourceArns?: string[]; ResourcePolicy?: string; ResourceOwner?: string; ContextEntries?: { ContextKeyName?: string; ContextKeyValues?: string[]; ContextKeyType?: string }[]; Marker?: string; MaxItems?: number },
  baseContext: Record<string, ContextValue>,
) {
  const resourcePolicies: PolicySource[] = [];
  if (input.ResourcePolicy !== undefined) {
    const r = tryParsePolicy(input.ResourcePolicy, 'resource');
    if (!r.ok) throw iamErrors.malformed(r.error.message);
    resourcePolicies.push({ kind: 'resource', label: 'resource policy', policy: r.policy, origin: { id: 'ResourcePolicy', type: 'resource', text: input.ResourcePolicy } });
  }
  const context = contextOf(input.ContextEntries, baseContext);
  const results: Record<string, unknown>[] = [];
  for (const action of input.ActionNames) {
    for (const resource of input.ResourceArns?.length ? input.ResourceArns : ['*']) {
      const d = evaluate({
        caller,
        action,
        resource,
        ...(input.ResourceOwner ? { resourceAccount: parseArn(input.ResourceOwner)?.account ?? input.ResourceOwner } : {}),
        context,
        identityPolicies: sources,
        resourcePolicies,
      });
      const all = [...sources, ...resourcePolicies];
      const matched = (d.kind === 'ImplicitDeny' ? [] : d.deciding).map((t: StatementTrace) => {
        const src = all.find((p) => p.label === t.policy);
        const pos = src?.origin ? statementPositions(src.origin.text)[t.index] : undefined;
        return {
          SourcePolicyId: src?.origin?.id ?? t.policy,
          SourcePolicyType: src?.origin?.type ?? 'none',
          ...(pos ? { StartPosition: pos.start, EndPosition: pos.end } : {}),
        };
      });
      const missing = new Set<string>();
      for (const src of all) {
        for (const st of src.policy.Statement) {
          if (st.Action && !st.Action.some((a) => actionMatches(a, action))) continue;
          if (st.NotAction && st.NotAction.some((a) => actionMatches(a, action))) continue;
          if (st.Resource && !st.Resource.some((r) => r.includes('${') || globMatch(r, resource))) continue;
          for (const keys of Object.values(st.Condition ?? {})) for (const key of Object.keys(keys)) if (!context.has(key.toLowerCase())) missing.add(key);
        }
      }
      results.push({
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: d.kind === 'Allow' ? 'allowed' : d.kind === 'ExplicitDeny' ? 'explicitDeny' : 'implicitDeny',
        MatchedStatements: matched,
        MissingContextValues: [...missing].sort(),
        ...(resourcePolicies.length ? { EvalDecisionDetails: {} } : {}),
      });
    }
  }
  return pageOut('EvaluationResults', results, input);
}

export const SimulatePrincipalPolicy = op({
  name: 'SimulatePrincipalPolicy',
  doc: "Tests which actions a user's or role's policies allow on which resources (allowed, explicitDeny, implicitDeny) without making the requests.",
  input: s.struct({ PolicySourceArn: s.str({ min: 20, max: 2048, doc: 'The user or role ARN.' }), PolicyInputList: s.list(s.str()), ...commonMembers() }, ['PolicySourceArn', 'ActionNames']),
  paginator: iamPaginator('EvaluationResults'),
  errors: ['NoSuchEntity', 'InvalidInput'],
  readOnly: true,
  example: 'aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:user/alice --action-names s3:GetObject s3:PutObject --resource-arns "arn:aws:s3:::photos/*"',
  handler: (ctx, input) => {
    const a = parseArn(input.PolicySourceArn);
    if (!a || a.service !== 'iam' || a.account !== ctx.identity.accountId) throw new AwsError('InvalidInput', `Invalid ARN: ${input.PolicySourceArn}`, 400);
    const name = a.resource.split('/').pop()!;
    let identity;
    if (a.resource.startsWith('user/')) {
      const u = users(ctx).get(rowKey(a.account, name));
      if (name === 'admin') identity = { type: 'user' as const, accountId: a.account, arn: input.PolicySourceArn, userId: '', name };
      else if (!u) throw iamErrors.noSuchEntity(`The user with name ${name} cannot be found.`);
      else identity = userIdentity(u);
    } else if (a.resource.startsWith('role/')) {
      const r = roles(ctx).get(rowKey(a.account, name));
      if (!r) throw iamErrors.noSuchEntity(`The role with name ${name} cannot be found.`);
      identity = sessionIdentity(r, 'simulation');
    } else throw new AwsError('InvalidInput', `Nimbus simulates users and roles only: ${input.PolicySourceArn}`, 400);
    const sources = identityPolicySources(ctx, identity);
    for (const [i, text] of (input.PolicyInputList ?? []).entries()) {
      const r = tryParsePolicy(text, 'identity');
      if (!r.ok) throw iamErrors.malformed(r.error.message);
      sources.push({ kind: 'identity', label: `PolicyInputList.${i + 1}`, policy: r.policy, origin: { id: `PolicyInputList.${i + 1}`, type: 'none', text } });
    }
    const caller: Caller = { anonymous: false, accountId: a.account, arn: input.CallerArn ?? input.PolicySourceArn, principalArns: [input.CallerArn ?? input.PolicySourceArn] };
    return simulate(ctx, caller, sources, input, identity.type === 'user' ? { 'aws:username': identity.name, 'aws:PrincipalArn': input.PolicySourceArn } : { 'aws:PrincipalArn': input.PolicySourceArn });
  },
});

export const SimulateCustomPolicy = op({
  name: 'SimulateCustomPolicy',
  doc: 'Tests policies you give (not attached to anyone): which actions they allow on which resources.',
  input: s.struct({ PolicyInputList: s.list(s.str(), { doc: 'Identity policies as JSON.' }), ...commonMembers() }, ['PolicyInputList', 'ActionNames']),
  paginator: iamPaginator('EvaluationResults'),
  errors: ['InvalidInput', 'MalformedPolicyDocument'],
  readOnly: true,
  example: "aws iam simulate-custom-policy --policy-input-list file://policy.json --action-names s3:DeleteObject --resource-arns 'arn:aws:s3:::photos/a.txt'",
  handler: (ctx, input) => {
    const sources: PolicySource[] = input.PolicyInputList.map((text, i) => {
      const r = tryParsePolicy(text, 'identity');
      if (!r.ok) throw iamErrors.malformed(r.error.message);
      return { kind: 'identity', label: `PolicyInputList.${i + 1}`, policy: r.policy, origin: { id: `PolicyInputList.${i + 1}`, type: 'none', text } };
    });
    const arn = input.CallerArn ?? `arn:aws:iam::${ctx.identity.accountId}:user/simulated`;
    const caller: Caller = { anonymous: false, accountId: ctx.identity.accountId, arn, principalArns: [arn] };
    return simulate(ctx, caller, sources, input, {});
  },
});

export const simulateOperations = [SimulatePrincipalPolicy, SimulateCustomPolicy];
