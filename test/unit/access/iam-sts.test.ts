/** IAM, STS and identities through the CLI. */
import { describe, it, expect } from 'vitest';
import { term } from '../s3/helpers';

const trust = (principal: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });

describe('IAM users and policies', () => {
  it('creates, shows, lists and refuses duplicates', () => {
    const t = term();
    const u = t.json('aws iam create-user --user-name alice --path /team/');
    expect(u.User).toMatchObject({ Path: '/team/', UserName: 'alice', Arn: 'arn:aws:iam::123456789012:user/team/alice', CreateDate: '2026-01-05T09:00:00+00:00' });
    expect(u.User.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
    expect(t.run('aws iam create-user --user-name alice').err).toContain('(EntityAlreadyExists) when calling the CreateUser operation: User with name alice already exists.');
    expect(t.run('aws iam create-user --user-name "bad name"').err).toContain('(ValidationError)');
    expect(t.json('aws iam list-users').Users.map((x: { UserName: string }) => x.UserName)).toEqual(['admin', 'alice']);
    expect(t.run('aws iam get-user --user-name zed').err).toContain('(NoSuchEntity) when calling the GetUser operation: The user with name zed cannot be found.');
    expect(t.json('aws iam get-user').User.Arn).toBe('arn:aws:iam::123456789012:user/admin');
  });

  it('inline and managed policies, with DeleteConflict until they are removed', () => {
    const t = term();
    t.ok('aws iam create-user --user-name alice');
    t.write('p.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] }));
    t.ok('aws iam put-user-policy --user-name alice --policy-name list --policy-document file://p.json');
    expect(t.json('aws iam get-user-policy --user-name alice --policy-name list').PolicyDocument.Statement[0].Action).toBe('s3:ListAllMyBuckets');
    expect(t.json('aws iam list-user-policies --user-name alice').PolicyNames).toEqual(['list']);
    t.ok('aws iam attach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    expect(t.run('aws iam attach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/NoSuchPolicy').err).toContain('(NoSuchEntity)');
    expect(t.run('aws iam delete-user --user-name alice').err).toContain('(DeleteConflict) when calling the DeleteUser operation: Cannot delete entity, must delete policies first.');
    t.ok('aws iam delete-user-policy --user-name alice --policy-name list');
    expect(t.run('aws iam delete-user --user-name alice').err).toContain('must detach all policies first.');
    t.ok('aws iam detach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    t.ok('aws iam delete-user --user-name alice');
    expect(t.run('aws iam get-user --user-name alice').code).toBe(254);
  });

  it('MalformedPolicyDocument for bad identity policies', () => {
    const t = term();
    t.ok('aws iam create-user --user-name alice');
    t.write('p.json', JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] }));
    expect(t.run('aws iam put-user-policy --user-name alice --policy-name p --policy-document file://p.json').err).toContain(
      '(MalformedPolicyDocument) when calling the PutUserPolicy operation: Policy document should not specify a principal.',
    );
    expect(t.run(`aws iam put-user-policy --user-name alice --policy-name p --policy-document '{"Statement":'`).err).toContain('This policy contains invalid Json');
  });

  it('customer managed policies: create, get, version, list, attach count, delete conflict', () => {
    const t = term();
    t.write('p.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }] }));
    const p = t.json('aws iam create-policy --policy-name photos-read --policy-document file://p.json').Policy;
    expect(p).toMatchObject({ PolicyName: 'photos-read', Arn: 'arn:aws:iam::123456789012:policy/photos-read', DefaultVersionId: 'v1', AttachmentCount: 0, IsAttachable: true });
    expect(t.run('aws iam create-policy --policy-name photos-read --policy-document file://p.json').err).toContain('(EntityAlreadyExists)');
    expect(t.json(`aws iam get-policy-version --policy-arn ${p.Arn} --version-id v1`).PolicyVersion).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true });
    t.ok('aws iam create-user --user-name alice');
    t.ok(`aws iam attach-user-policy --user-name alice --policy-arn ${p.Arn}`);
    expect(t.json(`aws iam get-policy --policy-arn ${p.Arn}`).Policy.AttachmentCount).toBe(1);
    expect(t.json('aws iam list-policies --scope Local --query "Policies[].PolicyName"')).toEqual(['photos-read']);
    expect(t.json('aws iam list-policies --only-attached --query "Policies[].PolicyName"')).toEqual(['AdministratorAccess', 'photos-read']);
    expect(t.run(`aws iam delete-policy --policy-arn ${p.Arn}`).err).toContain('(DeleteConflict) when calling the DeletePolicy operation: Cannot delete a policy attached to entities.');
    expect(t.json('aws iam get-policy-version --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess --version-id v3').PolicyVersion.Document.Statement[0].Action).toContain('s3:Get*');
  });

  it('a user without IAM permissions gets IAM\'s AccessDenied message', () => {
    const t = term();
    t.ok('aws iam create-user --user-name alice');
    const r = t.run('aws iam create-user --user-name bob --profile user:alice');
    expect(r.code).toBe(254);
    expect(r.err).toContain(
      '(AccessDenied) when calling the CreateUser operation: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/bob because no identity-based policy allows the iam:CreateUser action',
    );
    t.ok('aws iam attach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/IAMReadOnlyAccess');
    expect(t.run('aws iam list-users --profile user:alice').code).toBe(0);
    t.write('deny.json', JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' }] }));
    t.ok('aws iam put-user-policy --user-name alice --policy-name deny --policy-document file://deny.json');
    expect(t.run('aws iam list-users --profile user:alice').err).toContain('with an explicit deny in an identity-based policy');
  });

  it('the built-in admin cannot be changed', () => {
    const t = term();
    expect(t.run('aws iam delete-user --user-name admin').err).toContain('(UnmodifiableEntity)');
    expect(t.json('aws iam list-attached-user-policies --user-name admin').AttachedPolicies).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
  });
});

describe('roles and STS', () => {
  it('create-role shows the trust policy as JSON; trust policies are validated', () => {
    const t = term();
    t.write('trust.json', trust({ Service: 'ecs-tasks.amazonaws.com' }));
    const r = t.json('aws iam create-role --role-name ecsTaskExecutionRole --assume-role-policy-document file://trust.json').Role;
    expect(r.Arn).toBe('arn:aws:iam::123456789012:role/ecsTaskExecutionRole');
    expect(r.RoleId).toMatch(/^AROA/);
    expect(r.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'ecs-tasks.amazonaws.com' });
    t.ok('aws iam attach-role-policy --role-name ecsTaskExecutionRole --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy');
    expect(t.json('aws iam get-role --role-name ecsTaskExecutionRole').Role.MaxSessionDuration).toBe(3600);
    t.write('bad.json', JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' }] }));
    expect(t.run('aws iam create-role --role-name x --assume-role-policy-document file://bad.json').err).toContain('(MalformedPolicyDocument)');
    expect(t.run('aws iam delete-role --role-name ecsTaskExecutionRole').err).toContain('(DeleteConflict)');
  });

  it('assume-role: the trust policy decides, then the session acts with the role\'s policies', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.write('trust.json', trust({ AWS: 'arn:aws:iam::123456789012:root' }));
    t.ok('aws iam create-role --role-name reader --assume-role-policy-document file://trust.json');
    t.ok('aws iam attach-role-policy --role-name reader --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    const out = t.json('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/reader --role-session-name demo');
    expect(out.AssumedRoleUser.Arn).toBe('arn:aws:sts::123456789012:assumed-role/reader/demo');
    expect(out.AssumedRoleUser.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:demo$/);
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA/);
    expect(out.Credentials.Expiration).toBe('2026-01-05T10:00:00+00:00');
    // a user of the account trusted through the account root still needs sts:AssumeRole
    t.ok('aws iam create-user --user-name alice');
    const denied = t.run('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/reader --role-session-name xy --profile user:alice');
    expect(denied.err).toContain('(AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/reader');
    // the other account is not trusted, even with admin rights
    expect(t.run('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/reader --role-session-name xy --profile other-account').code).toBe(254);
    expect(t.ok('sandbox explain-last-denial')).toContain('trust policy');
    // a trust policy naming alice directly needs no identity policy
    t.write('trust2.json', trust({ AWS: 'arn:aws:iam::123456789012:user/alice' }));
    t.ok('aws iam update-assume-role-policy --role-name reader --policy-document file://trust2.json');
    expect(t.run('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/reader --role-session-name xy --profile user:alice').code).toBe(0);
    // the session can read but not write
    expect(t.json('aws sts get-caller-identity --profile role:reader/s1').Arn).toBe('arn:aws:sts::123456789012:assumed-role/reader/s1');
    expect(t.run('aws s3 ls s3://photos --profile role:reader').code).toBe(0);
    expect(t.run('aws s3 mb s3://reader-made-this --profile role:reader').code).toBe(1);
    expect(t.run('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/nope --role-session-name xy').err).toContain('(AccessDenied)');
    expect(t.run('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/reader --role-session-name xy --duration-seconds 7200 --profile user:alice').err).toContain('MaxSessionDuration');
  });

  it('access keys and assume-role credentials work as configured profiles', () => {
    const t = term();
    t.ok('aws iam create-user --user-name alice');
    const key = t.json('aws iam create-access-key --user-name alice').AccessKey;
    expect(key.AccessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(key.SecretAccessKey).toHaveLength(40);
    t.ok(`aws configure set aws_access_key_id ${key.AccessKeyId} --profile dev`);
    expect(t.json('aws sts get-caller-identity --profile dev').Arn).toBe('arn:aws:iam::123456789012:user/alice');
    expect(t.run('aws iam delete-user --user-name alice').err).toContain('must delete access keys first');
    t.write('trust.json', trust({ AWS: '123456789012' }));
    t.ok('aws iam create-role --role-name ops --assume-role-policy-document file://trust.json');
    const c = t.json('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/ops --role-session-name night').Credentials;
    t.ok(`aws configure set aws_access_key_id ${c.AccessKeyId} --profile ops`);
    expect(t.json('aws sts get-caller-identity --profile ops').Arn).toBe('arn:aws:sts::123456789012:assumed-role/ops/night');
    t.sb.advance(3601_000);
    expect(t.run('aws sts get-caller-identity --profile ops').err).toContain('(ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired');
    expect(t.run('aws s3 ls --profile ops').err).toContain('(ExpiredToken)');
  });
});

describe('sandbox whoami and profiles', () => {
  it('switches identity, lists identities, refuses unknown names', () => {
    const t = term();
    expect(t.ok('sandbox whoami')).toContain('Identity: arn:aws:iam::123456789012:user/admin');
    t.ok('aws iam create-user --user-name alice');
    expect(t.ok('sandbox whoami user:alice')).toContain('Now acting as arn:aws:iam::123456789012:user/alice');
    expect(t.json('aws sts get-caller-identity').Arn).toBe('arn:aws:iam::123456789012:user/alice');
    expect(t.ok('sandbox whoami')).toContain('Policies: none');
    expect(t.ok('sandbox status')).toContain('Identity:   arn:aws:iam::123456789012:user/alice (profile user:alice)');
    expect(t.json('aws sts get-caller-identity --profile admin').Arn).toBe('arn:aws:iam::123456789012:user/admin');
    const list = t.ok('sandbox profiles');
    expect(list).toMatch(/\* user:alice +arn:aws:iam::123456789012:user\/alice/);
    expect(list).toContain('other-account');
    expect(list).toContain('anonymous');
    expect(t.run('sandbox whoami user:nobody').code).toBe(1);
    t.ok('sandbox whoami anonymous');
    expect(t.run('aws sts get-caller-identity').err).toContain('MissingAuthenticationToken');
    t.ok('sandbox whoami other-account');
    expect(t.json('aws sts get-caller-identity').Account).toBe('210987654321');
    t.ok('sandbox whoami admin');
    expect(t.json('aws sts get-caller-identity').Arn).toBe('arn:aws:iam::123456789012:user/admin');
    expect(t.sb.config().currentProfile).toBe('default');
  });

  it('a deleted current user keeps its name and loses every permission', () => {
    const t = term();
    t.ok('aws iam create-user --user-name temp');
    t.ok('aws iam attach-user-policy --user-name temp --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess');
    t.ok('sandbox whoami user:temp');
    expect(t.run('aws s3 mb s3://temp-bucket-1').code).toBe(0);
    t.ok('aws iam detach-user-policy --user-name temp --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess --profile admin');
    t.ok('aws iam delete-user --user-name temp --profile admin');
    expect(t.run('aws s3 ls').code).toBe(254);
  });
});

describe('completion', () => {
  it('completes identity names after --profile and sandbox whoami, user and role names in iam commands', () => {
    const t = term();
    t.ok('aws iam create-user --user-name alice');
    t.write('trust.json', trust({ AWS: '123456789012' }));
    t.ok('aws iam create-role --role-name reader --assume-role-policy-document file://trust.json');
    const c = (line: string) => t.se.complete(line, line.length).candidates;
    expect(c('aws s3 ls --profile us')).toEqual(['user:alice']);
    expect(c('aws s3 ls --profile ro')).toEqual(['role:reader']);
    expect(c('sandbox whoami oth')).toEqual(['other-account']);
    expect(c('aws iam get-user --user-name al')).toEqual(['alice']);
    expect(c('aws iam get-role --role-name r')).toEqual(['reader']);
  });
});

describe('policy simulator', () => {
  const text = [
    '{',
    '  "Version": "2012-10-17",',
    '  "Statement": [',
    '    {',
    '      "Effect": "Allow",',
    '      "Action": "s3:GetObject",',
    '      "Resource": "arn:aws:s3:::photos/*"',
    '    },',
    '    {',
    '      "Sid": "NoSecret",',
    '      "Effect": "Deny",',
    '      "Action": "s3:*",',
    '      "Resource": "arn:aws:s3:::photos/secret/*",',
    '      "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}',
    '    }',
    '  ]',
    '}',
  ].join('\n');

  it('simulate-principal-policy: decisions, matched statements with positions, missing context keys', () => {
    const t = term();
    t.ok('aws iam create-user --user-name alice');
    t.write('p.json', text);
    t.ok('aws iam put-user-policy --user-name alice --policy-name read --policy-document file://p.json');
    const out = t.json(
      'aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:user/alice --action-names s3:GetObject s3:PutObject --resource-arns arn:aws:s3:::photos/a.jpg arn:aws:s3:::photos/secret/x',
    );
    const r = out.EvaluationResults as { EvalActionName: string; EvalResourceName: string; EvalDecision: string; MatchedStatements: unknown[]; MissingContextValues: string[] }[];
    expect(r.map((x) => `${x.EvalActionName} ${x.EvalResourceName} ${x.EvalDecision}`)).toEqual([
      's3:GetObject arn:aws:s3:::photos/a.jpg allowed',
      's3:GetObject arn:aws:s3:::photos/secret/x explicitDeny',
      's3:PutObject arn:aws:s3:::photos/a.jpg implicitDeny',
      's3:PutObject arn:aws:s3:::photos/secret/x explicitDeny',
    ]);
    expect(r[0]!.MatchedStatements).toEqual([{ SourcePolicyId: 'read', SourcePolicyType: 'user', StartPosition: { Line: 4, Column: 5 }, EndPosition: { Line: 8, Column: 6 } }]);
    expect(r[1]!.MatchedStatements).toEqual([{ SourcePolicyId: 'read', SourcePolicyType: 'user', StartPosition: { Line: 9, Column: 5 }, EndPosition: { Line: 15, Column: 6 } }]);
    expect(r[1]!.MissingContextValues).toEqual(['aws:SourceVpce']);
    const inVpc = t.json(
      'aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:user/alice --action-names s3:GetObject --resource-arns arn:aws:s3:::photos/secret/x --context-entries ContextKeyName=aws:SourceVpce,ContextKeyValues=vpce-1,ContextKeyType=string',
    );
    expect(inVpc.EvaluationResults[0].EvalDecision).toBe('allowed');
    expect(t.run('aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:user/zed --action-names s3:GetObject').err).toContain('(NoSuchEntity)');
  });

  it('simulate-custom-policy tests a policy before attaching it', () => {
    const t = term();
    t.write('p.json', text);
    const out = t.json('aws iam simulate-custom-policy --policy-input-list file://p.json --action-names s3:DeleteObject s3:GetObject --resource-arns arn:aws:s3:::photos/a.jpg');
    expect(out.EvaluationResults.map((x: { EvalDecision: string }) => x.EvalDecision)).toEqual(['implicitDeny', 'allowed']);
    expect(out.EvaluationResults[1].MatchedStatements[0].SourcePolicyId).toBe('PolicyInputList.1');
  });
});

describe('policy size quotas', () => {
  it('inline user policies share 2,048 characters (white space not counted); managed policies 6,144', () => {
    const t = term();
    t.ok('aws iam create-user --user-name alice');
    const big = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(4, '0')}/*`) }] });
    t.write('small.json', big(20));
    t.write('large.json', big(80));
    t.write('spaced.json', big(20).replace(/,/g, ',          '));
    t.ok('aws iam put-user-policy --user-name alice --policy-name a --policy-document file://spaced.json');
    expect(t.run('aws iam put-user-policy --user-name alice --policy-name b --policy-document file://large.json').err).toContain(
      '(LimitExceeded) when calling the PutUserPolicy operation: Maximum policy size of 2048 bytes exceeded for user alice',
    );
    t.write('huge.json', big(250));
    expect(t.run('aws iam create-policy --policy-name huge --policy-document file://huge.json').err).toContain('Cannot exceed quota for PolicySize: 6144');
    t.ok('aws iam create-policy --policy-name fits --policy-document file://large.json');
  });
});

describe('credentials in the environment', () => {
  it('export AWS_ACCESS_KEY_ID after assume-role acts as the session; unknown keys are refused; --profile still wins', () => {
    const t = term();
    t.write('trust.json', trust({ AWS: '123456789012' }));
    t.ok('aws iam create-role --role-name ops --assume-role-policy-document file://trust.json');
    const c = t.json('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/ops --role-session-name deploy').Credentials;
    t.ok(`export AWS_ACCESS_KEY_ID=${c.AccessKeyId} AWS_SECRET_ACCESS_KEY=${c.SecretAccessKey} AWS_SESSION_TOKEN=${c.SessionToken}`);
    expect(t.json('aws sts get-caller-identity').Arn).toBe('arn:aws:sts::123456789012:assumed-role/ops/deploy');
    expect(t.json('aws sts get-caller-identity --profile admin').Arn).toBe('arn:aws:iam::123456789012:user/admin');
    expect(t.run('aws s3 ls').code).toBe(254);
    t.ok('export AWS_ACCESS_KEY_ID=AKIANOTAREALKEY00000');
    expect(t.run('aws sts get-caller-identity').err).toContain('(InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.');
    expect(t.run('aws s3 ls').err).toContain('(InvalidAccessKeyId)');
    t.ok('unset AWS_ACCESS_KEY_ID');
    expect(t.json('aws sts get-caller-identity').Arn).toBe('arn:aws:iam::123456789012:user/admin');
  });
});

describe('IAM groups', () => {
  it('members get the group policies; delete conflicts until emptied', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.ok('aws iam create-user --user-name alice');
    expect(t.json('aws iam create-group --group-name readers').Group).toMatchObject({ GroupName: 'readers', Arn: 'arn:aws:iam::123456789012:group/readers' });
    expect(t.run('aws iam create-group --group-name readers').err).toContain('(EntityAlreadyExists)');
    expect(t.run('aws s3 ls s3://photos --profile user:alice').code).toBe(254);
    t.ok('aws iam attach-group-policy --group-name readers --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    t.ok('aws iam add-user-to-group --group-name readers --user-name alice');
    expect(t.run('aws s3 ls s3://photos --profile user:alice').code).toBe(0);
    expect(t.json('aws iam get-group --group-name readers').Users.map((u: { UserName: string }) => u.UserName)).toEqual(['alice']);
    expect(t.json('aws iam list-groups-for-user --user-name alice').Groups[0].GroupName).toBe('readers');
    expect(t.json('aws iam get-policy --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess').Policy.AttachmentCount).toBe(1);
    expect(t.run('aws iam delete-user --user-name alice').err).toContain('must remove user from all groups first');
    expect(t.run('aws iam delete-group --group-name readers').err).toContain('(DeleteConflict) when calling the DeleteGroup operation: Cannot delete entity, must remove users from group first.');
    t.ok('aws iam remove-user-from-group --group-name readers --user-name alice');
    expect(t.run('aws s3 ls s3://photos --profile user:alice').code).toBe(254);
    expect(t.run('aws iam delete-group --group-name readers').err).toContain('must detach all policies first');
    t.ok('aws iam detach-group-policy --group-name readers --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    t.ok('aws iam delete-group --group-name readers');
    expect(t.run('aws iam get-group --group-name readers').err).toContain('The group with name readers cannot be found.');
  });
});

describe('managed policy versions', () => {
  it('new versions, the default in force, roll back, delete rules, entities', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.ok('aws iam create-user --user-name alice');
    t.write('v1.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::photos' }] }));
    t.write('v2.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] }));
    const arn = t.json('aws iam create-policy --policy-name list --policy-document file://v1.json').Policy.Arn;
    t.ok(`aws iam attach-user-policy --user-name alice --policy-arn ${arn}`);
    expect(t.run('aws s3 ls s3://photos --profile user:alice').code).toBe(0);
    expect(t.json(`aws iam create-policy-version --policy-arn ${arn} --policy-document file://v2.json`).PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: false });
    expect(t.run('aws s3 ls s3://photos --profile user:alice').code).toBe(0);
    t.ok(`aws iam set-default-policy-version --policy-arn ${arn} --version-id v2`);
    expect(t.run('aws s3 ls s3://photos --profile user:alice').code).toBe(254);
    expect(t.json(`aws iam list-policy-versions --policy-arn ${arn}`).Versions.map((v: { VersionId: string; IsDefaultVersion: boolean }) => `${v.VersionId}${v.IsDefaultVersion ? '*' : ''}`)).toEqual(['v2*', 'v1']);
    expect(t.run(`aws iam delete-policy-version --policy-arn ${arn} --version-id v2`).err).toContain('Cannot delete the default version of a policy.');
    t.ok(`aws iam set-default-policy-version --policy-arn ${arn} --version-id v1`);
    expect(t.run('aws s3 ls s3://photos --profile user:alice').code).toBe(0);
    for (let i = 0; i < 3; i++) t.ok(`aws iam create-policy-version --policy-arn ${arn} --policy-document file://v1.json`);
    expect(t.run(`aws iam create-policy-version --policy-arn ${arn} --policy-document file://v1.json`).err).toContain('A managed policy can have up to 5 versions.');
    expect(t.json(`aws iam list-entities-for-policy --policy-arn ${arn}`).PolicyUsers).toEqual([{ UserName: 'alice', UserId: expect.stringMatching(/^AIDA/) }]);
    t.ok(`aws iam detach-user-policy --user-name alice --policy-arn ${arn}`);
    expect(t.run(`aws iam delete-policy --policy-arn ${arn}`).err).toContain('This policy has more than one version.');
    expect(t.run('aws iam create-policy-version --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess --policy-document file://v1.json').err).toContain('(UnmodifiableEntity)');
  });
});

describe('permissions boundaries and session policies', () => {
  it('a boundary caps identity policies but not a bucket policy naming the user', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.ok('aws s3 mb s3://logs-bucket-9');
    t.ok('aws iam create-user --user-name dev --permissions-boundary arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    t.ok('aws iam attach-user-policy --user-name dev --policy-arn arn:aws:iam::aws:policy/AdministratorAccess');
    expect(t.json('aws iam get-user --user-name dev').User.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    });
    expect(t.run('aws s3 ls s3://photos --profile user:dev').code).toBe(0);
    expect(t.run('aws iam list-users --profile user:dev').code).toBe(254);
    t.write('a.txt', 'x');
    expect(t.run('aws s3 cp a.txt s3://photos/a.txt --profile user:dev').code).toBe(1);
    expect(t.ok('sandbox explain-last-denial')).toContain('the permissions boundary AmazonS3ReadOnlyAccess of user dev does not');
    // a bucket policy that names the user is not capped by the boundary
    t.write('p.json', JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/dev' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::logs-bucket-9/*' }] }));
    t.ok('aws s3api put-bucket-policy --bucket logs-bucket-9 --policy file://p.json');
    expect(t.run('aws s3 cp a.txt s3://logs-bucket-9/a.txt --profile user:dev').code).toBe(0);
    expect(t.json('aws iam get-policy --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess').Policy.PermissionsBoundaryUsageCount).toBe(1);
    t.ok('aws iam delete-user-permissions-boundary --user-name dev');
    expect(t.run('aws s3 cp a.txt s3://photos/a.txt --profile user:dev').code).toBe(0);
  });

  it('session policies given to assume-role cap the session', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.write('trust.json', trust({ AWS: '123456789012' }));
    t.ok('aws iam create-role --role-name power --assume-role-policy-document file://trust.json');
    t.ok('aws iam attach-role-policy --role-name power --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess');
    t.write('session.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] }));
    const c = t.json('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/power --role-session-name narrow --policy file://session.json').Credentials;
    t.ok(`export AWS_ACCESS_KEY_ID=${c.AccessKeyId}`);
    expect(t.run('aws s3 ls s3://photos').code).toBe(0);
    expect(t.run('aws s3 mb s3://not-allowed-bucket-1').code).toBe(1);
    expect(t.ok('sandbox explain-last-denial')).toContain('the session policy of session narrow does not');
    t.ok('unset AWS_ACCESS_KEY_ID');
    const wide = t.json('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/power --role-session-name wide').Credentials;
    t.ok(`export AWS_ACCESS_KEY_ID=${wide.AccessKeyId}`);
    expect(t.run('aws s3 mb s3://allowed-bucket-1').code).toBe(0);
    // role chaining: the session itself has no sts:AssumeRole permission
    expect(t.run('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/power --role-session-name again').err).toContain('(AccessDenied)');
    t.ok('unset AWS_ACCESS_KEY_ID');
    expect(t.run('aws sts assume-role --role-arn arn:aws:iam::123456789012:role/power --role-session-name bad --policy "{nope"').err).toContain('(MalformedPolicyDocument)');
  });
});
