/**
 * Authorisation helpers every service can use: the identity policies of a
 * caller, its Principal view, the condition context of a request, the last
 * denial (for `sandbox explain-last-denial`), and a ready-made `authorize`
 * hook for services whose resources have no policies of their own.
 */
import type { Ctx } from '../../context';
import type { Db } from '../../store/db';
import type { Identity } from '../../identity';
import { AwsError } from '../../errors';
import {
  evaluate,
  makeContext,
  parsePolicy,
  type Caller,
  type ContextValue,
  type Decision,
  type EvaluationRequest,
  type PolicyDocument,
  type PolicyKind,
  type PolicySource,
} from '../../policy';
import { awsManagedPolicy, ADMINISTRATOR_ACCESS_ARN } from './managed';
import { groups, isBuiltInAdmin, policies, roleOf, roleArn, userOf, type GroupRow, type RoleRow, type UserRow } from './model';
import { T_SESSIONS, type SessionRow } from '../sts/model';

// ---------------------------------------------------------------- parsed-policy cache

const PARSED = new Map<string, PolicyDocument>();

/** Parse a stored (already validated) policy text, cached by its text. */
export function parsedPolicy(text: string, kind: PolicyKind): PolicyDocument {
  const id = kind + '\u0000' + text;
  let p = PARSED.get(id);
  if (!p) {
    p = parsePolicy(text, kind);
    if (PARSED.size > 500) PARSED.clear();
    PARSED.set(id, p);
  }
  return p;
}

const ADMIN_POLICY: PolicySource = {
  kind: 'identity',
  label: 'AWS managed policy AdministratorAccess',
  policy: parsePolicy(awsManagedPolicy(ADMINISTRATOR_ACCESS_ARN)!.document, 'identity'),
  origin: { id: 'AdministratorAccess', type: 'aws-managed', text: JSON.stringify(awsManagedPolicy(ADMINISTRATOR_ACCESS_ARN)!.document) },
};

/** The documents of a managed policy ARN (AWS managed or the account's own), if it exists. */
export function managedPolicyDocument(ctx: Pick<Ctx, 'table'>, arn: string): { label: string; text: string } | undefined {
  const aws = awsManagedPolicy(arn);
  if (aws) return { label: `AWS managed policy ${aws.name}`, text: JSON.stringify(aws.document) };
  const row = policies(ctx).get(arn);
  if (!row) return undefined;
  const v = row.versions.find((x) => x.id === row.defaultVersion);
  return v ? { label: `managed policy ${row.name}`, text: v.doc } : undefined;
}

function entitySources(ctx: Pick<Ctx, 'table'>, e: UserRow | RoleRow | GroupRow, what: string): PolicySource[] {
  const out: PolicySource[] = [];
  for (const [name, text] of Object.entries(e.inline)) {
    out.push({ kind: 'identity', label: `inline policy ${name} of ${what} ${e.name}`, policy: parsedPolicy(text, 'identity'), origin: { id: name, type: what, text } });
  }
  for (const arn of e.attached) {
    const m = managedPolicyDocument(ctx, arn);
    if (m) {
      const type = arn.startsWith('arn:aws:iam::aws:') ? 'aws-managed' : 'user-managed';
      out.push({ kind: 'identity', label: `${m.label} (attached to ${what} ${e.name})`, policy: parsedPolicy(m.text, 'identity'), origin: { id: arn.split('/').pop()!, type, text: m.text } });
    }
  }
  return out;
}

/** The identity-based policies that apply to a caller. */
export function identityPolicySources(ctx: Pick<Ctx, 'table'>, identity: Identity): PolicySource[] {
  if (identity.type === 'anonymous') return [];
  if (isBuiltInAdmin(identity)) return [ADMIN_POLICY];
  const u = userOf(ctx, identity);
  if (u) {
    const out = entitySources(ctx, u, 'user');
    for (const g of groups(ctx).values()) if (g.account === u.account && g.members.includes(u.name)) out.push(...entitySources(ctx, g, 'group'));
    return out;
  }
  const r = roleOf(ctx, identity);
  if (r) return entitySources(ctx, r, 'role');
  return [];
}

/**
 * The policies that cap a caller's identity policies: the user's or role's permissions
 * boundary, and an assumed-role session's session policies (inline and managed).
 */
export function limitSources(ctx: Pick<Ctx, 'table'>, identity: Identity): PolicySource[] {
  const out: PolicySource[] = [];
  const e = userOf(ctx, identity) ?? roleOf(ctx, identity);
  if (e?.boundary) {
    const m = managedPolicyDocument(ctx, e.boundary);
    if (m) out.push({ kind: 'boundary', label: `permissions boundary ${m.label.replace(/^(AWS )?managed policy /, '')} of ${identity.type === 'user' ? 'user' : 'role'} ${e.name}`, policy: parsedPolicy(m.text, 'identity') });
  }
  if (identity.type === 'assumed-role') {
    const m = /:assumed-role\/([^/]+)\/(.+)$/.exec(identity.arn);
    let row: SessionRow | undefined;
    for (const s of ctx.table<SessionRow>(T_SESSIONS).values()) {
      if (m && s.account === identity.accountId && s.role === m[1] && s.session === m[2] && (!row || s.expires > row.expires)) row = s;
    }
    if (row && (row.policy !== undefined || row.policyArns?.length)) {
      const statements: PolicySource['policy']['Statement'] = [];
      if (row.policy !== undefined) statements.push(...parsedPolicy(row.policy, 'identity').Statement);
      for (const arn of row.policyArns ?? []) {
        const d = managedPolicyDocument(ctx, arn);
        if (d) statements.push(...parsedPolicy(d.text, 'identity').Statement);
      }
      out.push({ kind: 'session', label: `session policy of session ${identity.arn.split('/').pop()}`, policy: { Version: '2012-10-17', Statement: statements.map((st, index) => ({ ...st, index })) } });
    }
  }
  return out;
}

/** How Principal elements see a caller. */
export function callerOf(ctx: Pick<Ctx, 'table'>, identity: Identity, canonicalId?: string): Caller {
  if (identity.type === 'anonymous') return { anonymous: true, accountId: '', arn: '*', principalArns: [] };
  const arns = [identity.arn];
  if (identity.type === 'assumed-role') {
    const r = roleOf(ctx, identity);
    const m = /:assumed-role\/([^/]+)\//.exec(identity.arn);
    arns.push(r ? roleArn(r) : `arn:aws:iam::${identity.accountId}:role/${m?.[1] ?? identity.name}`);
  }
  return { anonymous: false, accountId: identity.accountId, arn: identity.arn, principalArns: arns, ...(canonicalId ? { canonicalId } : {}) };
}

/** The address learners' requests come from when nothing else says (a documentation range, RFC 5737). */
export const DEFAULT_SOURCE_IP = '203.0.113.25';

/**
 * The global condition keys of a request, plus service keys in `extra`.
 * `ctx.requestContext` entries whose names look like condition keys (`aws:SourceVpce`,
 * `aws:SourceIp`, `aws:SecureTransport` ...) are taken as they are: that is how the
 * network layer (VPC endpoints, `sandbox run-from`) feeds policies.
 */
export function conditionContext(ctx: Ctx, extra: Record<string, ContextValue | undefined> = {}): Map<string, ContextValue> {
  const id = ctx.identity;
  const now = ctx.now();
  const base: Record<string, ContextValue | undefined> = {
    'aws:CurrentTime': new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now / 1000)),
    'aws:RequestedRegion': ctx.region,
    'aws:SecureTransport': 'true',
  };
  if (id.type !== 'anonymous') {
    const c = callerOf(ctx, id);
    base['aws:PrincipalArn'] = c.principalArns[c.principalArns.length - 1];
    base['aws:PrincipalAccount'] = id.accountId;
    base['aws:userid'] = id.userId;
    base['aws:PrincipalType'] = id.type === 'assumed-role' ? 'AssumedRole' : 'User';
    if (id.type === 'user') base['aws:username'] = id.name;
  } else base['aws:PrincipalType'] = 'Anonymous';
  const rc = ctx.requestContext;
  for (const [k, v] of Object.entries(rc)) {
    if (!k.includes(':')) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') base[k] = typeof v === 'boolean' ? String(v) : v;
    else if (Array.isArray(v)) base[k] = v.map(String);
  }
  if (!Object.keys(rc).some((k) => /^aws:(sourceip|sourcevpce)$/i.test(k))) base['aws:SourceIp'] = DEFAULT_SOURCE_IP;
  return makeContext({ ...base, ...extra });
}

// ---------------------------------------------------------------- expired credentials

const EXPIRED = new WeakSet<Identity>();

/** Mark an identity as coming from expired temporary credentials (a role session past its Expiration). */
export function markExpired(identity: Identity): Identity {
  EXPIRED.add(identity);
  return identity;
}

const INVALID = new WeakSet<Identity>();

/** Mark an identity as coming from an access key the sandbox does not know. */
export function markInvalid(identity: Identity): Identity {
  INVALID.add(identity);
  return identity;
}

/** Refuse requests signed with expired or unknown credentials (ExpiredToken, InvalidClientTokenId / InvalidAccessKeyId). */
export function checkCredentials(ctx: Pick<Ctx, 'identity'>, service = 'sts'): void {
  if (INVALID.has(ctx.identity)) {
    throw service === 's3'
      ? new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403)
      : new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
  if (!EXPIRED.has(ctx.identity)) return;
  throw service === 's3'
    ? new AwsError('ExpiredToken', 'The provided token has expired.', 400)
    : new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
}

// ---------------------------------------------------------------- the last denial

interface DenialRecord {
  count: number;
  decision: Decision;
  service: string;
  operation: string;
}

const DENIALS = new WeakMap<Db, DenialRecord>();

/** Remember a denial (kept in memory, per sandbox) so it can be explained afterwards. */
export function recordDenial(db: Db, decision: Decision, service: string, operation: string): void {
  const prev = DENIALS.get(db);
  DENIALS.set(db, { count: (prev?.count ?? 0) + 1, decision, service, operation });
}

/** The last denial of this sandbox, with a counter that grows with each one (to spot a new one). */
export function lastDenial(db: Db): DenialRecord | undefined {
  return DENIALS.get(db);
}

/** Run fn without changing the remembered last denial (lesson checks probe access as other identities). */
export function keepingLastDenial<R>(db: Db, fn: () => R): R {
  const saved = DENIALS.get(db);
  try {
    return fn();
  } finally {
    if (saved) DENIALS.set(db, saved);
    else DENIALS.delete(db);
  }
}

export function denialCount(db: Db): number {
  return DENIALS.get(db)?.count ?? 0;
}

// ---------------------------------------------------------------- IAM-style denials

/** `User: ARN is not authorized to perform: ACTION on resource: ARN because ...` as IAM, STS, ECS ... word it. */
export function notAuthorizedMessage(d: Decision): string {
  const tail =
    d.kind === 'ExplicitDeny'
      ? d.deciding.some((t) => t.kind === 'resource')
        ? 'with an explicit deny in a resource-based policy'
        : 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${d.action} action`;
  return `User: ${d.caller} is not authorized to perform: ${d.action} on resource: ${d.resource} ${tail}`;
}

export interface AuthorizeOptions {
  service: string;
  operation: string;
  action: string;
  resource: string;
  resourceAccount?: string;
  resourcePolicies?: PolicySource[];
  extra?: Record<string, ContextValue | undefined>;
}

/** Evaluate a request for the caller in ctx; records and returns the decision (does not throw). */
export function decide(ctx: Ctx, o: AuthorizeOptions): Decision {
  const req: EvaluationRequest = {
    caller: callerOf(ctx, ctx.identity),
    action: o.action,
    resource: o.resource,
    ...(o.resourceAccount !== undefined ? { resourceAccount: o.resourceAccount } : {}),
    context: conditionContext(ctx, o.extra),
    identityPolicies: identityPolicySources(ctx, ctx.identity),
    limits: limitSources(ctx, ctx.identity),
    ...(o.resourcePolicies ? { resourcePolicies: o.resourcePolicies } : {}),
  };
  const d = evaluate(req);
  if (!d.allowed) recordDenial(ctx.db, d, o.service, o.operation);
  return d;
}

/**
 * An `authorize` hook for services without resource policies (IAM, ECS, ECR, EC2 ...):
 * the built-in admins pass at once; anyone else needs an identity-policy Allow.
 */
export function identityOnlyAuthorize(opts: {
  prefix: string;
  /** AccessDenied (query protocols) or AccessDeniedException (JSON protocols). */
  code: string;
  status?: number;
  resourceFor?: (ctx: Ctx, operation: string, input: Record<string, unknown>) => string;
  /** Operations anyone signed in may call (sts:GetCallerIdentity). */
  open?: ReadonlySet<string>;
}): (ctx: Ctx, operation: string, input: Record<string, unknown>) => void {
  return (ctx, operation, input) => {
    checkCredentials(ctx);
    if (isBuiltInAdmin(ctx.identity) || opts.open?.has(operation)) return;
    if (ctx.identity.type === 'anonymous') throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    const action = `${opts.prefix}:${operation}`;
    const resource = opts.resourceFor?.(ctx, operation, input) ?? '*';
    const d = decide(ctx, { service: opts.prefix, operation, action, resource });
    if (!d.allowed) throw new AwsError(opts.code, notAuthorizedMessage(d), opts.status ?? 403);
  };
}

/**
 * May an AWS service (ecs-tasks.amazonaws.com, ec2.amazonaws.com ...) assume this role?
 * True when the role exists in the caller's account and its trust policy allows
 * sts:AssumeRole for that service principal. For ECS task roles, instance roles ...
 */
export function roleTrustsService(ctx: Ctx, roleArnText: string, service: string): boolean {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArnText);
  if (!m) return false;
  const role = ctx.table<RoleRow>('iam.roles').get(`${m[1]}:${m[2]}`);
  if (!role) return false;
  const d = evaluate({
    caller: { anonymous: false, accountId: '', arn: service, principalArns: [], service },
    action: 'sts:AssumeRole',
    resource: roleArnText,
    context: makeContext({ 'aws:PrincipalServiceName': service }),
    identityPolicies: [],
    resourcePolicies: [{ kind: 'resource', label: `trust policy of role ${role.name}`, policy: parsedPolicy(role.trust, 'trust') }],
  });
  return d.allowed;
}
