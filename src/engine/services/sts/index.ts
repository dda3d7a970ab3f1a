/** AWS STS: who am I, and AssumeRole (trust policy + the caller's sts:AssumeRole permission). */
import { defineService } from '../../service';
import { op, s } from '../../shapes';
import { AwsError } from '../../errors';
import { isoTime } from '../../clock';
import { parseArn } from '../../regions';
import { evaluate, tryParsePolicy } from '../../policy';
import { callerOf, checkCredentials, conditionContext, identityPolicySources, limitSources, parsedPolicy, recordDenial } from '../iam/authz';
import { roles, rowKey, roleArn, sessionIdentity } from '../iam/model';
import { managedPolicyDocument } from '../iam/authz';

import { T_SESSIONS, type SessionRow } from './model';

export { T_SESSIONS, type SessionRow };

export const GetCallerIdentity = op({
  name: 'GetCallerIdentity',
  doc: 'Shows the account, user id and ARN of the identity whose credentials sign the request.',
  input: s.struct({}),
  example: 'aws sts get-caller-identity',
  readOnly: true,
  handler: (ctx) => {
    checkCredentials(ctx);
    if (ctx.identity.type === 'anonymous') {
      throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    }
    return { UserId: ctx.identity.userId, Account: ctx.identity.accountId, Arn: ctx.identity.arn };
  },
});

export const AssumeRole = op({
  name: 'AssumeRole',
  doc:
    "Returns temporary credentials for a role. The role's trust policy must trust the caller, and (unless the trust " +
    'policy names the caller itself in the same account) an identity policy must allow sts:AssumeRole on the role. ' +
    'In Nimbus, `sandbox whoami role:NAME` or `--profile role:NAME` then acts as the role.',
  input: s.struct(
    {
      RoleArn: s.str({ min: 20, max: 2048, doc: 'The ARN of the role, e.g. arn:aws:iam::123456789012:role/reader.' }),
      RoleSessionName: s.str({ min: 2, max: 64, doc: 'A name for the session; it ends the assumed-role ARN.' }),
      PolicyArns: s.list(s.struct({ arn: s.str() })),
      Policy: s.str(),
      DurationSeconds: s.int({ min: 900, max: 43200 }),
      Tags: s.tagsUpper(),
      TransitiveTagKeys: s.list(s.str()),
      ExternalId: s.str({ min: 2, max: 1224 }),
      SerialNumber: s.str(),
      TokenCode: s.str(),
      SourceIdentity: s.str(),
    },
    ['RoleArn', 'RoleSessionName'],
  ),
  errors: ['AccessDenied', 'ValidationError', 'MalformedPolicyDocument'],
  example: 'aws sts assume-role --role-arn arn:aws:iam::123456789012:role/reader --role-session-name demo',
  handler: (ctx, input) => {
    checkCredentials(ctx);
    const id = ctx.identity;
    if (id.type === 'anonymous') throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    if (!/^[\w+=,.@-]{2,64}$/.test(input.RoleSessionName)) {
      throw new AwsError(
        'ValidationError',
        `1 validation error detected: Value '${input.RoleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
        400,
      );
    }
    const a = parseArn(input.RoleArn);
    if (!a || a.service !== 'iam' || !a.resource.startsWith('role/')) {
      throw new AwsError('ValidationError', `${input.RoleArn} is invalid`, 400);
    }
    const name = a.resource.split('/').pop()!;
    const role = roles(ctx).get(rowKey(a.account, name));
    const extra = { 'sts:RoleSessionName': input.RoleSessionName, ...(input.ExternalId !== undefined ? { 'sts:ExternalId': input.ExternalId } : {}) };
    const d = evaluate({
      caller: callerOf(ctx, id),
      action: 'sts:AssumeRole',
      resource: input.RoleArn,
      resourceAccount: a.account,
      context: conditionContext(ctx, extra),
      identityPolicies: identityPolicySources(ctx, id),
      limits: limitSources(ctx, id),
      resourcePolicies: role ? [{ kind: 'resource', label: `trust policy of role ${role.name}`, policy: parsedPolicy(role.trust, 'trust') }] : [],
    });
    // A role is only ever assumed by callers its trust policy trusts, even in its own account.
    const trusted = d.considered.some((t) => t.kind === 'resource' && t.applies && t.effect === 'Allow');
    if (!role || !d.allowed || !trusted) {
      const decision =
        d.allowed && !trusted
          ? {
              ...d,
              allowed: false,
              kind: 'ImplicitDeny' as const,
              deciding: [],
              summary: `Denied: ${role ? `the trust policy of role ${role.name} does not trust ${id.arn}` : `there is no role ${input.RoleArn}`}. A role can only be assumed by a caller its trust policy names (a user, a role, an account or a service); an identity policy allowing sts:AssumeRole is not enough on its own.`,
            }
          : d;
      recordDenial(ctx.db, decision, 'sts', 'AssumeRole');
      throw new AwsError('AccessDenied', `User: ${id.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`, 403);
    }
    const duration = input.DurationSeconds ?? 3600;
    if (duration > role.maxSession) {
      throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
    }
    if (input.Policy !== undefined) {
      const r = tryParsePolicy(input.Policy, 'identity');
      if (!r.ok) throw new AwsError('MalformedPolicyDocument', r.error.message, 400);
    }
    const policyArns = (input.PolicyArns ?? []).map((p) => p.arn).filter((a): a is string => typeof a === 'string');
    for (const arn of policyArns) {
      if (!managedPolicyDocument(ctx, arn)) throw new AwsError('InvalidParameterValue', `Managed policy ${arn} does not exist or is not attachable.`, 400);
    }
    const session = sessionIdentity(role, input.RoleSessionName);
    const accessKeyId = 'ASIA' + ctx.rng.upperAlnum(16);
    const expires = Math.floor(ctx.now() / 1000) * 1000 + duration * 1000;
    ctx.table<SessionRow>(T_SESSIONS).set(accessKeyId, {
      accessKeyId,
      account: role.account,
      role: role.name,
      session: input.RoleSessionName,
      expires,
      ...(input.Policy !== undefined ? { policy: input.Policy } : {}),
      ...(policyArns.length ? { policyArns } : {}),
    });
    return {
      Credentials: {
        AccessKeyId: accessKeyId,
        SecretAccessKey: ctx.rng.alnum(40),
        SessionToken: 'IQoJb3JpZ2luX2Vj' + ctx.rng.alnum(200),
        Expiration: isoTime(expires),
      },
      AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
      ...(input.Policy || input.PolicyArns?.length ? { PackedPolicySize: 6 } : {}),
    };
  },
});

export const sts = defineService({
  name: 'sts',
  cliName: 'sts',
  title: 'AWS Security Token Service',
  doc: 'Issues temporary credentials (AssumeRole) and tells you which identity is making a request.',
  protocol: 'query',
  operations: [GetCallerIdentity, AssumeRole],
});

export { roleArn };
