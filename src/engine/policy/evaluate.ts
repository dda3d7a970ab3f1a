/**
 * The policy evaluator: AWS's documented evaluation logic, in our own code.
 *
 *  1. An applicable Deny statement in any policy wins (explicit deny).
 *  2. Every "gate" policy group (VPC endpoint policies, permission boundaries, session policies) must allow.
 *  3. Same account: an Allow in an identity policy OR in the resource policy suffices. A resource-policy
 *     Allow that names the account (root ARN or account id) only delegates to the account: the
 *     identity still needs an identity-policy Allow. One that names the user, the role, the session or `*` suffices.
 *  4. Cross account: both an identity-policy Allow (in the caller's account) and a resource-policy Allow.
 *  5. Anonymous callers have no identity policies: only a resource Allow for `*` lets them in.
 *  6. Otherwise: implicit deny.
 *
 * Pure: no clock, no state. The caller builds the condition context (aws:CurrentTime from the simulated clock ...).
 */
import type { PolicyDocument, PrincipalBlock, Statement } from './document';
import { actionMatches, evaluateConditions, globMatch, substituteVariables, type ConditionContext } from './match';

/** Who is asking, as policies see it. */
export interface Caller {
  anonymous: boolean;
  /** '' for anonymous. */
  accountId: string;
  /** The caller's ARN (session ARN for an assumed role, '*' for anonymous). */
  arn: string;
  /** ARNs a Principal element may name for this caller (user ARN; for a session: the session ARN and the role ARN). */
  principalArns: readonly string[];
  /** An AWS service principal (ecs-tasks.amazonaws.com) when a service acts. */
  service?: string;
  /** The account's S3 canonical user id (CanonicalUser principals). */
  canonicalId?: string;
}

export type PolicySourceKind = 'identity' | 'resource' | 'endpoint' | 'boundary' | 'session';

export interface PolicySource {
  kind: PolicySourceKind;
  /** In plain words: "inline policy read-only of user alice", "bucket policy of photos". */
  label: string;
  policy: PolicyDocument;
  /** Where it comes from, for IAM's policy simulator: the policy name and IAM's source type (user, role, aws-managed, user-managed, resource). */
  origin?: { id: string; type: string; text: string };
}

/** An allow decided outside policies (an S3 ACL grant), already evaluated by the caller. */
export interface ExtraGrant {
  label: string;
  /** 'direct' grants suffice on their own (AllUsers, the caller itself); 'account' ones need an identity Allow too. */
  scope: 'direct' | 'account';
}

export interface EvaluationRequest {
  caller: Caller;
  /** `s3:GetObject` */
  action: string;
  /** `arn:aws:s3:::photos/cat.jpg` */
  resource: string;
  /** The account that owns the resource; undefined means the caller's own. */
  resourceAccount?: string;
  context: ConditionContext;
  identityPolicies: readonly PolicySource[];
  /** The resource's own policies (bucket policy, role trust policy). */
  resourcePolicies?: readonly PolicySource[];
  extraGrants?: readonly ExtraGrant[];
  /** Each group must contain an applicable Allow (VPC endpoint policy ...). */
  gates?: readonly (readonly PolicySource[])[];
  /**
   * Permissions boundaries and session policies: each must allow for an identity-policy Allow
   * (or a resource-policy Allow that names the role ARN) to count. A resource policy naming the
   * user or the session itself is not limited by them, as AWS documents.
   */
  limits?: readonly PolicySource[];
  /** Facts the caller wants shown with the decision (Block Public Access dropped a grant ...). */
  notes?: readonly string[];
}

export interface StatementTrace {
  kind: PolicySourceKind;
  policy: string;
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  applies: boolean;
  /** Why it does not apply, or for a resource statement how the principal matched. */
  why: string;
  principalMatch?: 'direct' | 'account';
  /** A resource statement that names the caller's role ARN (not the session, not `*`): limited by boundaries and session policies. */
  viaRoleArn?: boolean;
  statement: unknown;
}

export type DecisionKind = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export interface Decision {
  allowed: boolean;
  kind: DecisionKind;
  action: string;
  resource: string;
  caller: string;
  /** The statements (or grants) that decided: the Deny(s), the Allow(s) used, or none for an implicit deny. */
  deciding: StatementTrace[];
  /** Every statement looked at, in order. */
  considered: StatementTrace[];
  /** One paragraph in plain words. */
  summary: string;
  /** Extra facts from the request (see EvaluationRequest.notes). */
  notes: string[];
}

function principalMatch(block: PrincipalBlock, caller: Caller): 'direct' | 'account' | undefined {
  if (block === '*') return 'direct';
  let best: 'direct' | 'account' | undefined;
  for (const [type, values] of Object.entries(block)) {
    for (const v of values) {
      if (type === 'AWS') {
        if (v === '*') return 'direct';
        if (caller.anonymous) continue;
        if (v === caller.accountId || v === `arn:aws:iam::${caller.accountId}:root`) best ??= 'account';
        else if (caller.principalArns.includes(v)) return 'direct';
      } else if (type === 'Service') {
        if (v === '*' || (caller.service && v === caller.service)) return 'direct';
      } else if (type === 'CanonicalUser') {
        if (caller.canonicalId && v === caller.canonicalId) best ??= 'account';
      }
    }
  }
  return best;
}

function substitute(list: readonly string[], ctx: ConditionContext, vars: boolean): string[] {
  if (!vars) return [...list];
  const out: string[] = [];
  for (const r of list) {
    const s = substituteVariables(r, ctx);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** Does one statement apply to the request? (Principal only checked for resource/endpoint policies.) */
export function traceStatement(st: Statement, src: PolicySource, version: string | undefined, req: EvaluationRequest): StatementTrace {
  const base = { kind: src.kind, policy: src.label, index: st.index, ...(st.Sid ? { sid: st.Sid } : {}), effect: st.Effect, statement: st.source };
  const no = (why: string): StatementTrace => ({ ...base, applies: false, why });
  const vars = version === '2012-10-17';
  let pm: 'direct' | 'account' | undefined;
  if (src.kind === 'resource' || src.kind === 'endpoint') {
    if (st.Principal) {
      pm = principalMatch(st.Principal, req.caller);
      if (!pm) return no(`its Principal does not include ${req.caller.anonymous ? 'anonymous callers' : req.caller.arn}`);
    } else if (st.NotPrincipal) {
      if (principalMatch(st.NotPrincipal, req.caller)) return no(`its NotPrincipal excludes ${req.caller.arn}`);
      pm = 'direct';
    } else pm = src.kind === 'endpoint' ? 'direct' : undefined;
  }
  if (st.Action && !st.Action.some((a) => actionMatches(a, req.action))) return no(`its Action does not include ${req.action}`);
  if (st.NotAction && st.NotAction.some((a) => actionMatches(a, req.action))) return no(`its NotAction excludes ${req.action}`);
  if (st.Resource && !substitute(st.Resource, req.context, vars).some((r) => globMatch(r, req.resource))) return no(`its Resource does not cover ${req.resource}`);
  if (st.NotResource && substitute(st.NotResource, req.context, vars).some((r) => globMatch(r, req.resource))) return no(`its NotResource excludes ${req.resource}`);
  const c = evaluateConditions(st.Condition, req.context, vars);
  if (!c.ok) return no(c.why ?? 'a condition is not met');
  const roleArn = req.caller.arn.includes(':assumed-role/') ? req.caller.principalArns[1] : undefined;
  const aws = st.Principal && st.Principal !== '*' ? st.Principal['AWS'] ?? [] : [];
  const viaRoleArn = pm === 'direct' && roleArn !== undefined && aws.includes(roleArn) && !aws.includes(req.caller.arn) && !aws.includes('*');
  return {
    ...base,
    applies: true,
    why: st.Condition ? 'it matches and its conditions are met' : 'it matches',
    ...(pm ? { principalMatch: pm } : {}),
    ...(viaRoleArn ? { viaRoleArn } : {}),
  };
}

function traceAll(sources: readonly PolicySource[], req: EvaluationRequest): StatementTrace[] {
  const out: StatementTrace[] = [];
  for (const src of sources) for (const st of src.policy.Statement) out.push(traceStatement(st, src, src.policy.Version, req));
  return out;
}

const name = (t: StatementTrace) => `statement ${t.sid ? `"${t.sid}"` : `#${t.index + 1}`} of the ${t.policy}`;

/** Evaluate a request against its policies. */
export function evaluate(req: EvaluationRequest): Decision {
  const idTraces = req.caller.anonymous ? [] : traceAll(req.identityPolicies, req);
  const resTraces = traceAll(req.resourcePolicies ?? [], req);
  const gateTraces = (req.gates ?? []).map((g) => traceAll(g, req));
  const grants = (req.extraGrants ?? []).map(
    (g): StatementTrace => ({ kind: 'resource', policy: g.label, index: 0, effect: 'Allow', applies: true, why: 'the grant applies', principalMatch: g.scope, statement: g.label }),
  );
  const limitTraces = req.caller.anonymous ? [] : (req.limits ?? []).map((l) => traceAll([l], req));
  const considered = [...idTraces, ...resTraces, ...grants, ...gateTraces.flat(), ...limitTraces.flat()];
  const who = req.caller.anonymous ? 'An anonymous caller' : req.caller.arn;
  const result = (kind: DecisionKind, deciding: StatementTrace[], summary: string): Decision => ({
    allowed: kind === 'Allow',
    kind,
    action: req.action,
    resource: req.resource,
    caller: req.caller.arn,
    deciding,
    considered,
    summary,
    notes: [...(req.notes ?? [])],
  });

  const denies = considered.filter((t) => t.applies && t.effect === 'Deny');
  if (denies.length) {
    return result('ExplicitDeny', denies, `Denied: ${name(denies[0]!)} explicitly denies ${req.action} on ${req.resource}. An explicit Deny wins over every Allow.`);
  }
  for (const [i, g] of gateTraces.entries()) {
    if (!g.some((t) => t.applies && t.effect === 'Allow')) {
      const label = req.gates![i]!.map((p) => p.label).join(', ') || 'a required policy';
      return result('ImplicitDeny', [], `Denied: the ${label} does not allow ${req.action} on ${req.resource}; every request through it must be allowed by it.`);
    }
  }
  const failingLimit = limitTraces.findIndex((g) => !g.some((t) => t.applies && t.effect === 'Allow'));
  const limited = failingLimit >= 0;
  const idAllowsAll = idTraces.filter((t) => t.applies && t.effect === 'Allow');
  const idAllows = limited ? [] : idAllowsAll;
  const resAllows = resTraces.filter((t) => t.applies && t.effect === 'Allow' && !(limited && t.viaRoleArn));
  const limitNote = limited
    ? ` (${idAllowsAll.length ? `${name(idAllowsAll[0]!)} would allow it, but ` : ''}the ${req.limits![failingLimit]!.label} does not allow ${req.action}: a permissions boundary or session policy caps what identity policies can grant.)`
    : '';
  const direct = resAllows.filter((t) => t.principalMatch === 'direct');
  const viaAccount = resAllows.filter((t) => t.principalMatch === 'account');

  const directAll = [...direct, ...grants.filter((g) => g.principalMatch === 'direct')];
  const accountAll = [...viaAccount, ...grants.filter((g) => g.principalMatch === 'account')];
  const sameAccount = req.resourceAccount === undefined || req.resourceAccount === req.caller.accountId;

  if (req.caller.anonymous) {
    const pub = directAll;
    if (pub.length) return result('Allow', pub, `Allowed: ${pub[0]!.kind === 'resource' && pub[0]!.statement === pub[0]!.policy ? pub[0]!.policy : name(pub[0]!)} allows anyone.`);
    return result('ImplicitDeny', [], `Denied: anonymous requests are only allowed by a resource policy or ACL grant open to everyone ("*"), and none allows ${req.action} on ${req.resource}.`);
  }
  if (sameAccount) {
    if (idAllows.length) return result('Allow', idAllows, `Allowed: ${name(idAllows[0]!)} allows ${req.action}, and no statement denies it.`);
    if (directAll.length) return result('Allow', directAll, `Allowed: ${describe(directAll[0]!)} allows ${who} directly, and no statement denies it.`);
    if (limited && idAllowsAll.length) {
      return result(
        'ImplicitDeny',
        [],
        `Denied: ${name(idAllowsAll[0]!)} would allow ${req.action}, but the ${req.limits![failingLimit]!.label} does not: a permissions boundary or session policy caps what identity policies can grant, and nothing else allows it.`,
      );
    }
    const extra = accountAll.length
      ? ` (${describe(accountAll[0]!)} allows the account ${req.caller.accountId}, which only delegates to the account: an identity policy must still allow it.)`
      : '';
    return result('ImplicitDeny', [], `Denied: no statement allows ${req.action} on ${req.resource} for ${who}: nothing in its identity policies and nothing in the resource's policy.${extra}${limitNote} Everything not allowed is denied (implicit deny).`);
  }
  const resOk = [...directAll, ...accountAll];
  if (idAllows.length && resOk.length) {
    return result('Allow', [idAllows[0]!, resOk[0]!], `Allowed across accounts: ${name(idAllows[0]!)} allows it in the caller's account and ${describe(resOk[0]!)} allows it in the owner's account.`);
  }
  if (!resOk.length) {
    return result('ImplicitDeny', [], `Denied: ${who} belongs to account ${req.caller.accountId} but the resource belongs to account ${req.resourceAccount}. Cross-account access needs both sides, and the resource's policy does not allow ${req.action} for this caller${idAllows.length ? ' (the caller\'s own identity policy does allow it)' : ''}.`);
  }
  return result('ImplicitDeny', [], `Denied: the resource's policy allows it (${describe(resOk[0]!)}), but cross-account access also needs an identity policy in account ${req.caller.accountId} allowing ${req.action}, and there is none.${limitNote}`);
}

function describe(t: StatementTrace): string {
  return t.statement === t.policy ? t.policy : name(t);
}

/** A multi-line explanation of a decision for `sandbox explain-last-denial` and `--debug`. */
export function explainDecision(d: Decision): string {
  const lines: string[] = [];
  lines.push(`Request:  ${d.action} on ${d.resource}`);
  lines.push(`Caller:   ${d.caller === '*' ? 'anonymous (no credentials)' : d.caller}`);
  lines.push(`Decision: ${d.kind === 'Allow' ? 'ALLOW' : d.kind === 'ExplicitDeny' ? 'DENY (explicit)' : 'DENY (implicit: nothing allows it)'}`);
  lines.push('');
  lines.push(d.summary);
  for (const n of d.notes) lines.push('', `Note: ${n}`);
  if (d.considered.length) {
    lines.push('');
    lines.push('Statements considered:');
    for (const t of d.considered) {
      const mark = d.deciding.includes(t) ? '=>' : '  ';
      lines.push(`${mark} [${t.effect}] ${describe(t)}: ${t.applies ? 'applies' : 'does not apply'} (${t.why})`);
    }
  } else {
    lines.push('');
    lines.push('No policy statement applies to this caller at all.');
  }
  return lines.join('\n') + '\n';
}
