/**
 * Policy evaluation cases checked against AWS's documented outcomes
 * (IAM User Guide: policy evaluation logic, condition operators, cross-account access).
 */
import { describe, it, expect } from 'vitest';
import { evaluate, makeContext, parsePolicy, PolicyError, globMatch, arnLike, ipInCidr, substituteVariables, type Caller, type PolicySource, type ContextValue } from '../../../src/engine/policy';

const ACCT = '123456789012';
const OTHER = '210987654321';
const alice: Caller = { anonymous: false, accountId: ACCT, arn: `arn:aws:iam::${ACCT}:user/alice`, principalArns: [`arn:aws:iam::${ACCT}:user/alice`] };
const bob: Caller = { anonymous: false, accountId: OTHER, arn: `arn:aws:iam::${OTHER}:user/bob`, principalArns: [`arn:aws:iam::${OTHER}:user/bob`] };
const session: Caller = {
  anonymous: false,
  accountId: ACCT,
  arn: `arn:aws:sts::${ACCT}:assumed-role/reader/s1`,
  principalArns: [`arn:aws:sts::${ACCT}:assumed-role/reader/s1`, `arn:aws:iam::${ACCT}:role/reader`],
};
const anon: Caller = { anonymous: true, accountId: '', arn: '*', principalArns: [] };

const idp = (...statements: object[]): PolicySource => ({ kind: 'identity', label: 'identity policy', policy: parsePolicy({ Version: '2012-10-17', Statement: statements }, 'identity') });
const rp = (...statements: object[]): PolicySource => ({ kind: 'resource', label: 'bucket policy', policy: parsePolicy({ Version: '2012-10-17', Statement: statements }, 'resource') });

interface Case {
  name: string;
  caller?: Caller;
  action?: string;
  resource?: string;
  resourceAccount?: string;
  identity?: PolicySource[];
  resource_?: PolicySource[];
  context?: Record<string, ContextValue>;
  expect: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
}

const OBJ = 'arn:aws:s3:::photos/cat.jpg';
const BKT = 'arn:aws:s3:::photos';

const cases: Case[] = [
  { name: 'no policy at all: implicit deny', identity: [], expect: 'ImplicitDeny' },
  { name: 'identity Allow with exact action', identity: [idp({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ })], expect: 'Allow' },
  { name: 'action names are case-insensitive', identity: [idp({ Effect: 'Allow', Action: 'S3:getobject', Resource: OBJ })], expect: 'Allow' },
  { name: 'action wildcard s3:Get*', identity: [idp({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' })], expect: 'Allow' },
  { name: 'action wildcard s3:Put* does not cover GetObject', identity: [idp({ Effect: 'Allow', Action: 's3:Put*', Resource: '*' })], expect: 'ImplicitDeny' },
  { name: '? matches one character', identity: [idp({ Effect: 'Allow', Action: 's3:GetObjec?', Resource: '*' })], expect: 'Allow' },
  { name: 'explicit Deny beats Allow in the same policy', identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:GetObject', Resource: OBJ })], expect: 'ExplicitDeny' },
  { name: 'explicit Deny in bucket policy beats identity Allow', identity: [idp({ Effect: 'Allow', Action: '*', Resource: '*' })], resource_: [rp({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${BKT}/*` })], expect: 'ExplicitDeny' },
  { name: 'bucket ARN does not cover objects', identity: [idp({ Effect: 'Allow', Action: 's3:GetObject', Resource: BKT })], expect: 'ImplicitDeny' },
  { name: 'bucket/* covers objects', identity: [idp({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BKT}/*` })], expect: 'Allow' },
  { name: 'bucket/* does not cover the bucket itself', action: 's3:ListBucket', resource: BKT, identity: [idp({ Effect: 'Allow', Action: 's3:ListBucket', Resource: `${BKT}/*` })], expect: 'ImplicitDeny' },
  { name: 'NotAction allows everything else', identity: [idp({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], expect: 'Allow' },
  { name: 'NotAction excludes the action', action: 'iam:CreateUser', resource: '*', identity: [idp({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], expect: 'ImplicitDeny' },
  { name: 'NotResource covers other resources', identity: [idp({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' })], expect: 'Allow' },
  { name: 'NotResource with Deny: deny everything outside', identity: [idp({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::other', 'arn:aws:s3:::other/*'] })], expect: 'ExplicitDeny' },
  { name: 'same account: bucket policy naming the user suffices', identity: [], resource_: [rp({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 's3:GetObject', Resource: `${BKT}/*` })], expect: 'Allow' },
  { name: 'same account: bucket policy naming only the account needs an identity Allow', identity: [], resource_: [rp({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 's3:GetObject', Resource: `${BKT}/*` })], expect: 'ImplicitDeny' },
  { name: 'same account: account principal plus identity Allow', identity: [idp({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })], resource_: [rp({ Effect: 'Allow', Principal: { AWS: ACCT }, Action: 's3:GetObject', Resource: `${BKT}/*` })], expect: 'Allow' },
  { name: 'role ARN principal matches its sessions', caller: session, identity: [], resource_: [rp({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:role/reader` }, Action: 's3:GetObject', Resource: `${BKT}/*` })], expect: 'Allow' },
  { name: 'cross account: bucket policy alone is not enough', caller: bob, resourceAccount: ACCT, identity: [], resource_: [rp({ Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 's3:GetObject', Resource: `${BKT}/*` })], expect: 'ImplicitDeny' },
  { name: 'cross account: identity policy alone is not enough', caller: bob, resourceAccount: ACCT, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*' })], expect: 'ImplicitDeny' },
  { name: 'cross account: both sides allow', caller: bob, resourceAccount: ACCT, identity: [idp({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })], resource_: [rp({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', Resource: `${BKT}/*` })], expect: 'Allow' },
  { name: 'anonymous: Principal * allows', caller: anon, resource_: [rp({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BKT}/*` })], expect: 'Allow' },
  { name: 'anonymous: {"AWS":"*"} is the same as *', caller: anon, resource_: [rp({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: `${BKT}/*` })], expect: 'Allow' },
  { name: 'anonymous: an account principal does not match', caller: anon, resource_: [rp({ Effect: 'Allow', Principal: { AWS: ACCT }, Action: 's3:GetObject', Resource: `${BKT}/*` })], expect: 'ImplicitDeny' },
  { name: 'NotPrincipal Deny denies everyone else', caller: alice, identity: [idp({ Effect: 'Allow', Action: '*', Resource: '*' })], resource_: [rp({ Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${ACCT}:user/carol` }, Action: 's3:*', Resource: `${BKT}/*` })], expect: 'ExplicitDeny' },
  { name: 'NotPrincipal Deny spares the named user', caller: alice, identity: [idp({ Effect: 'Allow', Action: '*', Resource: '*' })], resource_: [rp({ Effect: 'Deny', NotPrincipal: { AWS: alice.arn }, Action: 's3:*', Resource: `${BKT}/*` })], expect: 'Allow' },
  // conditions
  { name: 'StringEquals on aws:SourceVpce matches', context: { 'aws:SourceVpce': 'vpce-1a2b' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b' } } })], expect: 'Allow' },
  { name: 'Deny with StringNotEquals aws:SourceVpce applies when the key is absent (internet)', identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*' })], resource_: [rp({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${BKT}/*`, Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' } } })], expect: 'ExplicitDeny' },
  { name: 'Deny with StringNotEquals aws:SourceVpce spares the endpoint', context: { 'aws:SourceVpce': 'vpce-1a2b' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*' })], resource_: [rp({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${BKT}/*`, Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' } } })], expect: 'Allow' },
  { name: 'condition keys are case-insensitive', context: { 'aws:sourcevpce': 'vpce-1a2b' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'AWS:SourceVPCE': 'vpce-1a2b' } } })], expect: 'Allow' },
  { name: 'StringEquals with a missing key is false', identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b' } } })], expect: 'ImplicitDeny' },
  { name: 'StringEqualsIfExists with a missing key is true', identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b' } } })], expect: 'Allow' },
  { name: 'StringEqualsIfExists with another value is false', context: { 'aws:SourceVpce': 'vpce-9' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b' } } })], expect: 'ImplicitDeny' },
  { name: 'StringLike on s3:prefix', action: 's3:ListBucket', resource: BKT, context: { 's3:prefix': 'home/alice/docs' }, identity: [idp({ Effect: 'Allow', Action: 's3:ListBucket', Resource: BKT, Condition: { StringLike: { 's3:prefix': ['home/alice/*'] } } })], expect: 'Allow' },
  { name: 'StringNotLike', context: { 's3:prefix': 'tmp/x' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringNotLike: { 's3:prefix': 'tmp/*' } } })], expect: 'ImplicitDeny' },
  { name: 'StringEqualsIgnoreCase', context: { 's3:x-amz-acl': 'Public-Read' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualsIgnoreCase: { 's3:x-amz-acl': 'public-read' } } })], expect: 'Allow' },
  { name: 'values in one key are ORed', context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 's3:x-amz-server-side-encryption': ['AES256', 'aws:kms'] } } })], expect: 'Allow' },
  { name: 'keys and operators are ANDed', context: { 'aws:SourceVpce': 'vpce-1', 'aws:SecureTransport': 'false' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' }, Bool: { 'aws:SecureTransport': 'true' } } })], expect: 'ImplicitDeny' },
  { name: 'Bool aws:SecureTransport false denies plain HTTP', context: { 'aws:SecureTransport': 'false' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*' })], resource_: [rp({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${BKT}/*`, Condition: { Bool: { 'aws:SecureTransport': false } } })], expect: 'ExplicitDeny' },
  { name: 'IpAddress in range', context: { 'aws:SourceIp': '203.0.113.25' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })], expect: 'Allow' },
  { name: 'IpAddress out of range', context: { 'aws:SourceIp': '198.51.100.7' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })], expect: 'ImplicitDeny' },
  { name: 'NotIpAddress Deny from outside the office', context: { 'aws:SourceIp': '198.51.100.7' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } } })], expect: 'ExplicitDeny' },
  { name: 'NumericLessThanEquals on s3:max-keys', action: 's3:ListBucket', resource: BKT, context: { 's3:max-keys': '10' }, identity: [idp({ Effect: 'Allow', Action: 's3:ListBucket', Resource: BKT, Condition: { NumericLessThanEquals: { 's3:max-keys': '10' } } })], expect: 'Allow' },
  { name: 'NumericLessThan fails above', action: 's3:ListBucket', resource: BKT, context: { 's3:max-keys': '100' }, identity: [idp({ Effect: 'Allow', Action: 's3:ListBucket', Resource: BKT, Condition: { NumericLessThan: { 's3:max-keys': 50 } } })], expect: 'ImplicitDeny' },
  { name: 'DateLessThan on aws:CurrentTime before the date', context: { 'aws:CurrentTime': '2026-01-05T09:00:00Z' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2026-02-01T00:00:00Z' } } })], expect: 'Allow' },
  { name: 'DateGreaterThan on aws:CurrentTime before the date', context: { 'aws:CurrentTime': '2026-01-05T09:00:00Z' }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-02-01T00:00:00Z' } } })], expect: 'ImplicitDeny' },
  { name: 'ArnLike on aws:PrincipalArn', context: { 'aws:PrincipalArn': alice.arn }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/al*' } } })], expect: 'Allow' },
  { name: 'ArnNotLike', context: { 'aws:PrincipalArn': alice.arn }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } } })], expect: 'ImplicitDeny' },
  { name: 'Null true: key absent', identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Null: { 'aws:SourceVpce': 'true' } } })], expect: 'Allow' },
  { name: 'Null false: key present', identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Null: { 'aws:SourceVpce': 'false' } } })], expect: 'ImplicitDeny' },
  { name: 'ForAnyValue:StringEquals with one matching tag key', context: { 's3:RequestObjectTagKeys': ['team', 'cost'] }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 's3:RequestObjectTagKeys': ['team'] } } })], expect: 'Allow' },
  { name: 'ForAnyValue with a missing key is false', identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 's3:RequestObjectTagKeys': ['team'] } } })], expect: 'ImplicitDeny' },
  { name: 'ForAllValues: every value must be allowed', context: { 's3:RequestObjectTagKeys': ['team', 'secret'] }, identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['team', 'cost'] } } })], expect: 'ImplicitDeny' },
  { name: 'ForAllValues with a missing key is true', identity: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['team'] } } })], expect: 'Allow' },
  { name: 'policy variable ${aws:username} in Resource', resource: 'arn:aws:s3:::home/alice/notes.txt', context: { 'aws:username': 'alice' }, identity: [idp({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' })], expect: 'Allow' },
  { name: 'policy variable does not match another user', resource: 'arn:aws:s3:::home/bob/notes.txt', context: { 'aws:username': 'alice' }, identity: [idp({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' })], expect: 'ImplicitDeny' },
  { name: 'policy variable without a value matches nothing', resource: 'arn:aws:s3:::home/alice/notes.txt', identity: [idp({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' })], expect: 'ImplicitDeny' },
  { name: 'variables are literal text in Version 2008-10-17', resource: 'arn:aws:s3:::home/alice/x', context: { 'aws:username': 'alice' }, identity: [{ kind: 'identity', label: 'old', policy: parsePolicy({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' }] }, 'identity') }], expect: 'ImplicitDeny' },
];

describe('policy evaluation (AWS documented outcomes)', () => {
  it.each(cases)('$name', (c) => {
    const d = evaluate({
      caller: c.caller ?? alice,
      action: c.action ?? 's3:GetObject',
      resource: c.resource ?? OBJ,
      ...(c.resourceAccount ? { resourceAccount: c.resourceAccount } : {}),
      context: makeContext(c.context ?? {}),
      identityPolicies: c.identity ?? [],
      resourcePolicies: c.resource_ ?? [],
    });
    expect(d.kind).toBe(c.expect);
    expect(d.allowed).toBe(c.expect === 'Allow');
    if (c.expect === 'ExplicitDeny') expect(d.deciding.every((t) => t.effect === 'Deny' && t.applies)).toBe(true);
  });

  it('names the deciding statement by Sid in the summary', () => {
    const d = evaluate({
      caller: alice,
      action: 's3:DeleteObject',
      resource: OBJ,
      context: makeContext({}),
      identityPolicies: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*' })],
      resourcePolicies: [rp({ Sid: 'NoDeletes', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `${BKT}/*` })],
    });
    expect(d.summary).toContain('"NoDeletes"');
    expect(d.deciding).toHaveLength(1);
    expect(d.considered).toHaveLength(2);
  });

  it('gate policies (VPC endpoint policy) must also allow', () => {
    const gate: PolicySource = { kind: 'endpoint', label: 'VPC endpoint policy', policy: parsePolicy({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' }] }, 'resource') };
    const base = { caller: alice, action: 's3:GetObject', resource: OBJ, context: makeContext({}), identityPolicies: [idp({ Effect: 'Allow', Action: 's3:*', Resource: '*' })] };
    expect(evaluate({ ...base, gates: [[gate]] }).kind).toBe('ImplicitDeny');
    expect(evaluate({ ...base, resource: 'arn:aws:s3:::other/x', gates: [[gate]] }).kind).toBe('Allow');
  });

  it('ACL-like extra grants: AllUsers serves anonymous callers, account grants need an identity Allow', () => {
    const base = { action: 's3:GetObject', resource: OBJ, context: makeContext({}), identityPolicies: [] };
    expect(evaluate({ ...base, caller: anon, extraGrants: [{ label: 'object ACL grant READ to everyone', scope: 'direct' }] }).allowed).toBe(true);
    expect(evaluate({ ...base, caller: alice, extraGrants: [{ label: 'grant to the account', scope: 'account' }] }).allowed).toBe(false);
  });
});

describe('policy documents', () => {
  it.each([
    ['not JSON', 'nope', 'json'],
    ['broken JSON', '{"Statement": [', 'json'],
    ['no Statement', '{"Version":"2012-10-17"}', 'missing-statement'],
    ['no Effect', '{"Statement":{"Action":"s3:*","Resource":"*"}}', 'missing-effect'],
    ['bad Effect', '{"Statement":{"Effect":"Maybe","Action":"s3:*","Resource":"*"}}', 'syntax'],
    ['no Action', '{"Statement":{"Effect":"Allow","Resource":"*"}}', 'missing-action'],
    ['no Resource', '{"Statement":{"Effect":"Allow","Action":"s3:*"}}', 'missing-resource'],
    ['a Principal in an identity policy', '{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}', 'principal-not-allowed'],
    ['unknown condition operator', '{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringSorta":{"a":"b"}}}}', 'unknown-condition-operator'],
    ['unknown version', '{"Version":"2020-01-01","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}', 'version'],
  ])('rejects %s', (_n, text, problem) => {
    let err: unknown;
    try {
      parsePolicy(text, 'identity');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).problem).toBe(problem);
  });

  it('a resource policy needs a Principal, a trust policy must not name resources', () => {
    expect(() => parsePolicy('{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}', 'resource')).toThrow(/Principal/);
    expect(() => parsePolicy('{"Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}', 'trust')).toThrow(/prohibited field Resource/);
    expect(() => parsePolicy('{"Statement":{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"s3:*","Resource":"*"}}', 'resource')).toThrow(/Invalid principal/);
  });
});

describe('matching helpers', () => {
  it('globs, ARNs, CIDRs, variables', () => {
    expect(globMatch('arn:aws:s3:::photos/*', 'arn:aws:s3:::photos/a/b.jpg')).toBe(true);
    expect(globMatch('arn:aws:s3:::photos/*', 'arn:aws:s3:::photos2/a')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(arnLike('arn:aws:iam::*:role/*', 'arn:aws:iam::123456789012:role/x')).toBe(true);
    expect(arnLike('arn:aws:iam::*:role/*', 'arn:aws:sts::123456789012:assumed-role/x/y')).toBe(false);
    expect(ipInCidr('10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(ipInCidr('11.1.2.3', '10.0.0.0/8')).toBe(false);
    expect(ipInCidr('2001:db8::1', '2001:db8::/32')).toBe(true);
    expect(ipInCidr('10.1.2.3', '10.1.2.3')).toBe(true);
    const ctx = makeContext({ 'aws:username': 'alice' });
    expect(substituteVariables('home/${aws:username}/${*}', ctx)).toBe('home/alice/*');
    expect(substituteVariables("x/${aws:userid, 'none'}", ctx)).toBe('x/none');
    expect(substituteVariables('x/${aws:userid}', ctx)).toBeUndefined();
  });
});

import { Sandbox } from '../../../src/engine';
import { roleTrustsService } from '../../../src/engine/services/iam';

describe('service principals', () => {
  it('roleTrustsService reads the trust policy for a service', () => {
    const sb = new Sandbox();
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    expect(sb.call({ service: 'iam', operation: 'CreateRole', input: { RoleName: 'taskRole', AssumeRolePolicyDocument: trust } }).ok).toBe(true);
    const ctx = sb.context('us-east-1', { type: 'user', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/admin', userId: 'x', name: 'admin' });
    expect(roleTrustsService(ctx, 'arn:aws:iam::123456789012:role/taskRole', 'ecs-tasks.amazonaws.com')).toBe(true);
    expect(roleTrustsService(ctx, 'arn:aws:iam::123456789012:role/taskRole', 'ec2.amazonaws.com')).toBe(false);
    expect(roleTrustsService(ctx, 'arn:aws:iam::123456789012:role/nope', 'ecs-tasks.amazonaws.com')).toBe(false);
  });
});
