/** S3 access through the CLI: bucket policies, Block Public Access, ACLs, Object Ownership, identities. */
import { describe, it, expect } from 'vitest';
import { term, type Term } from '../s3/helpers';

const policy = (bucket: string, ...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => ({ Resource: `arn:aws:s3:::${bucket}/*`, ...s })) });
const publicRead = (bucket: string) => policy(bucket, { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject' });

function world(): Term {
  const t = term();
  t.ok('aws s3 mb s3://photos');
  t.write('cat.txt', 'meow');
  t.ok('aws s3 cp cat.txt s3://photos/cat.txt');
  return t;
}

function putPolicy(t: Term, bucket: string, text: string) {
  t.write('policy.json', text);
  return t.run(`aws s3api put-bucket-policy --bucket ${bucket} --policy file://policy.json`);
}

describe('bucket policies', () => {
  it('put, get, status and delete', () => {
    const t = world();
    t.ok('aws s3api delete-public-access-block --bucket photos');
    expect(putPolicy(t, 'photos', publicRead('photos')).code).toBe(0);
    expect(JSON.parse(t.json('aws s3api get-bucket-policy --bucket photos').Policy).Statement[0].Sid).toBe('PublicRead');
    expect(t.json('aws s3api get-bucket-policy-status --bucket photos')).toEqual({ PolicyStatus: { IsPublic: true } });
    t.ok('aws s3api delete-bucket-policy --bucket photos');
    const r = t.run('aws s3api get-bucket-policy --bucket photos');
    expect(r.code).toBe(254);
    expect(r.err).toContain('(NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist');
  });

  it('a policy pinned to a VPC endpoint or an account is not public', () => {
    const t = world();
    putPolicy(t, 'photos', policy('photos', { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }));
    expect(t.json('aws s3api get-bucket-policy-status --bucket photos').PolicyStatus.IsPublic).toBe(false);
    putPolicy(t, 'photos', policy('photos', { Effect: 'Allow', Principal: { AWS: '210987654321' }, Action: 's3:GetObject' }));
    expect(t.json('aws s3api get-bucket-policy-status --bucket photos').PolicyStatus.IsPublic).toBe(false);
  });

  it.each([
    ['{bad json', 'This policy contains invalid Json'],
    [JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:Fly', Resource: 'arn:aws:s3:::photos/*' }] }), 'Policy has invalid action'],
    [JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ec2:RunInstances', Resource: 'arn:aws:s3:::photos/*' }] }), 'Policy has invalid action'],
    [JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::videos/*' }] }), 'Policy has invalid resource'],
    [JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] }), 'Policy has invalid resource'],
    [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }] }), 'Missing required field Principal'],
    [JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'alice' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }] }), 'Invalid principal in policy'],
  ])('MalformedPolicy: %s', (text, message) => {
    const t = world();
    t.ok('aws s3api delete-public-access-block --bucket photos');
    const r = putPolicy(t, 'photos', text);
    expect(r.code).toBe(254);
    expect(r.err).toContain(`(MalformedPolicy) when calling the PutBucketPolicy operation: ${message}`);
    expect(t.run('aws s3api get-bucket-policy --bucket photos').code).toBe(254);
  });

  it('wildcard actions and bucket-name wildcards are valid', () => {
    const t = world();
    expect(putPolicy(t, 'photos', JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: ['s3:Delete*', 's3:PutObject'], Resource: ['arn:aws:s3:::photos', 'arn:aws:s3:::pho*/*'] }] })).code).toBe(0);
  });

  it('BlockPublicPolicy refuses a public policy until it is switched off', () => {
    const t = world();
    const r = putPolicy(t, 'photos', publicRead('photos'));
    expect(r.code).toBe(254);
    expect(r.err).toContain('(AccessDenied) when calling the PutBucketPolicy operation: User: arn:aws:iam::123456789012:user/admin is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::photos" because public policies are blocked by the BlockPublicPolicy block public access setting.');
    t.ok('aws s3api put-public-access-block --bucket photos --public-access-block-configuration BlockPublicPolicy=false,RestrictPublicBuckets=true,BlockPublicAcls=true,IgnorePublicAcls=true');
    expect(putPolicy(t, 'photos', publicRead('photos')).code).toBe(0);
    // the account-level switch blocks it too
    t.ok('aws s3api delete-bucket-policy --bucket photos');
    t.ok('aws s3control put-public-access-block --account-id 123456789012 --public-access-block-configuration BlockPublicPolicy=true');
    expect(putPolicy(t, 'photos', publicRead('photos')).code).toBe(254);
  });

  it('anonymous access: a public policy serves it only when RestrictPublicBuckets is off (bucket and account)', () => {
    const t = world();
    const get = () => t.run('aws s3api get-object --bucket photos --key cat.txt out.txt --no-sign-request');
    expect(get().code).toBe(254);
    t.ok('aws s3api put-public-access-block --bucket photos --public-access-block-configuration BlockPublicPolicy=false,RestrictPublicBuckets=true');
    putPolicy(t, 'photos', publicRead('photos'));
    const denied = get();
    expect(denied.err).toContain('(AccessDenied) when calling the GetObject operation: Access Denied');
    expect(t.ok('sandbox explain-last-denial')).toContain('RestrictPublicBuckets');
    t.ok('aws s3api delete-public-access-block --bucket photos');
    expect(get().code).toBe(0);
    expect(t.ok('cat out.txt')).toBe('meow');
    t.ok('aws s3control put-public-access-block --account-id 123456789012 --public-access-block-configuration RestrictPublicBuckets=true');
    expect(get().code).toBe(254);
    t.ok('aws s3control delete-public-access-block --account-id 123456789012');
    expect(get().code).toBe(0);
    // anonymous callers still cannot list or write
    expect(t.run('aws s3 ls s3://photos --no-sign-request').code).toBe(254);
    expect(t.run('aws s3 cp cat.txt s3://photos/x.txt --no-sign-request').code).toBe(1);
  });

  it('only the owner account may read or change the policy (405 for others)', () => {
    const t = world();
    putPolicy(t, 'photos', policy('photos', { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 's3:*' }, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 's3:*', Resource: 'arn:aws:s3:::photos' }));
    const r = t.run('aws s3api get-bucket-policy --bucket photos --profile other-account');
    expect(r.err).toContain('(MethodNotAllowed) when calling the GetBucketPolicy operation: The specified method is not allowed against this resource.');
  });
});

describe('identities against buckets', () => {
  it('a read-only user lists and reads but cannot write; the denial is explained', () => {
    const t = world();
    t.ok('aws iam create-user --user-name alice');
    expect(t.run('aws s3 ls s3://photos --profile user:alice').code).toBe(254);
    t.ok('aws iam attach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    t.ok('sandbox whoami user:alice');
    expect(t.ok('aws s3 ls s3://photos')).toContain('cat.txt');
    expect(t.ok('aws s3 cp s3://photos/cat.txt -')).toBe('meow');
    const w = t.run('aws s3 cp cat.txt s3://photos/dog.txt');
    expect(w.code).toBe(1);
    expect(w.err).toContain('An error occurred (AccessDenied) when calling the PutObject operation: Access Denied');
    const ex = t.ok('sandbox explain-last-denial');
    expect(ex).toContain('s3:PutObject on arn:aws:s3:::photos/dog.txt');
    expect(ex).toContain('arn:aws:iam::123456789012:user/alice');
    expect(ex).toContain('AmazonS3ReadOnlyAccess');
    expect(ex).toContain('does not include s3:PutObject');
    t.ok('sandbox whoami admin');
    expect(t.run('aws s3 cp cat.txt s3://photos/dog.txt').code).toBe(0);
  });

  it('a bucket policy naming the user suffices in the same account; a Deny wins and is named by Sid', () => {
    const t = world();
    t.ok('aws iam create-user --user-name bob');
    putPolicy(
      t,
      'photos',
      policy('photos', { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/bob' }, Action: ['s3:GetObject', 's3:DeleteObject'] }, { Sid: 'KeepCats', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::photos/cat*' }),
    );
    expect(t.ok('aws s3 cp s3://photos/cat.txt - --profile user:bob')).toBe('meow');
    const r = t.run('aws s3api delete-object --bucket photos --key cat.txt --profile user:bob');
    expect(r.code).toBe(254);
    expect(t.ok('sandbox explain-last-denial')).toMatch(/DENY \(explicit\)[\s\S]*"KeepCats"/);
    // the Deny applies to the admin too
    expect(t.run('aws s3api delete-object --bucket photos --key cat.txt').code).toBe(254);
  });

  it('an account principal only delegates: the user still needs an identity policy', () => {
    const t = world();
    t.ok('aws iam create-user --user-name carol');
    putPolicy(t, 'photos', policy('photos', { Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 's3:GetObject' }));
    expect(t.run('aws s3api get-object --bucket photos --key cat.txt o.txt --profile user:carol').code).toBe(254);
    expect(t.ok('sandbox explain-last-denial')).toContain('only delegates to the account');
  });

  it('cross-account: both the bucket policy and the other account\'s identity policy must allow', () => {
    const t = world();
    const get = (p: string) => t.run(`aws s3api get-object --bucket photos --key cat.txt o.txt --profile ${p}`);
    expect(get('other-account').code).toBe(254);
    putPolicy(t, 'photos', policy('photos', { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 's3:GetObject' }));
    expect(get('other-account').code).toBe(0);
    // a user of the other account without an identity policy is still denied
    t.ok('aws iam create-user --user-name dave --profile other-account');
    expect(get('other-account:user:dave').code).toBe(254);
    expect(t.ok('sandbox explain-last-denial')).toContain('cross-account access also needs an identity policy in account 210987654321');
    t.write('read.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }] }));
    t.ok('aws iam put-user-policy --user-name dave --policy-name read --policy-document file://read.json --profile other-account');
    expect(get('other-account:user:dave').code).toBe(0);
  });

  it('a missing key answers 404 only to callers allowed to list the bucket', () => {
    const t = world();
    t.ok('aws iam create-user --user-name erin');
    t.write('p.json', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }] }));
    t.ok('aws iam put-user-policy --user-name erin --policy-name get --policy-document file://p.json');
    expect(t.run('aws s3api get-object --bucket photos --key nope o.txt --profile user:erin').err).toContain('(AccessDenied)');
    expect(t.run('aws s3api head-object --bucket photos --key nope --profile user:erin').err).toContain('(403)');
    t.write('p.json', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }, { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::photos' }] }));
    t.ok('aws iam put-user-policy --user-name erin --policy-name get --policy-document file://p.json');
    expect(t.run('aws s3api get-object --bucket photos --key nope o.txt --profile user:erin').err).toContain('(NoSuchKey)');
  });

  it('s3:prefix conditions limit what a user may list', () => {
    const t = world();
    t.ok('aws iam create-user --user-name fay');
    t.write('p.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::photos', Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } } }] }));
    t.ok('aws iam put-user-policy --user-name fay --policy-name list --policy-document file://p.json');
    expect(t.run('aws s3api list-objects-v2 --bucket photos --prefix home/fay/ --profile user:fay').code).toBe(0);
    expect(t.run('aws s3api list-objects-v2 --bucket photos --prefix home/gus/ --profile user:fay').code).toBe(254);
    expect(t.run('aws s3api list-objects-v2 --bucket photos --profile user:fay').code).toBe(254);
  });

  it('DeleteObjects reports AccessDenied per key and deletes the allowed ones', () => {
    const t = world();
    t.ok('aws s3 cp cat.txt s3://photos/tmp/a.txt');
    t.ok('aws iam create-user --user-name gil');
    t.write('p.json', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::photos/tmp/*' }] }));
    t.ok('aws iam put-user-policy --user-name gil --policy-name del --policy-document file://p.json');
    const out = t.json('aws s3api delete-objects --bucket photos --delete "Objects=[{Key=tmp/a.txt},{Key=cat.txt}]" --profile user:gil');
    expect(out.Deleted).toEqual([{ Key: 'tmp/a.txt' }]);
    expect(out.Errors).toEqual([{ Key: 'cat.txt', Code: 'AccessDenied', Message: 'Access Denied' }]);
    expect(t.ok('aws s3 ls s3://photos --recursive')).toContain('cat.txt');
  });

  it('CopyObject needs s3:GetObject on the source too', () => {
    const t = world();
    t.ok('aws s3 mb s3://nimbus-backup-7');
    t.ok('aws iam create-user --user-name hal');
    t.write('p.json', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::nimbus-backup-7/*' }] }));
    t.ok('aws iam put-user-policy --user-name hal --policy-name put --policy-document file://p.json');
    expect(t.run('aws s3api copy-object --bucket nimbus-backup-7 --key cat.txt --copy-source photos/cat.txt --profile user:hal').code).toBe(254);
    expect(t.ok('sandbox explain-last-denial')).toContain('s3:GetObject on arn:aws:s3:::photos/cat.txt');
  });

  it('--debug explains a denied call', () => {
    const t = world();
    t.ok('aws iam create-user --user-name ivy');
    const r = t.run('aws s3api get-object --bucket photos --key cat.txt o.txt --profile user:ivy --debug');
    expect(r.err).toContain('nimbus.access - DEBUG - Decision: DENY (implicit: nothing allows it)');
    expect(r.err).toContain('An error occurred (AccessDenied) when calling the GetObject operation: Access Denied');
  });
});

describe('ACLs and Object Ownership', () => {
  it('BucketOwnerEnforced (the default) refuses ACLs but reads them', () => {
    const t = world();
    expect(t.run('aws s3api put-object --bucket photos --key a.txt --body cat.txt --acl public-read').err).toContain(
      '(AccessControlListNotSupported) when calling the PutObject operation: The bucket does not allow ACLs',
    );
    expect(t.run('aws s3 cp cat.txt s3://photos/b.txt --acl public-read').code).toBe(1);
    expect(t.run('aws s3api put-bucket-acl --bucket photos --acl public-read').err).toContain('(AccessControlListNotSupported)');
    expect(t.run('aws s3api put-object --bucket photos --key c.txt --body cat.txt --acl bucket-owner-full-control').code).toBe(0);
    const acl = t.json('aws s3api get-object-acl --bucket photos --key cat.txt');
    expect(acl.Grants).toEqual([{ Grantee: { ID: acl.Owner.ID, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }]);
    expect(t.run('aws s3api create-bucket --bucket pub-bucket --acl public-read').err).toContain(
      "(InvalidBucketAclWithObjectOwnership) when calling the CreateBucket operation: Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    );
  });

  it('with ACLs enabled, Block Public Access decides whether a public-read object is public', () => {
    const t = world();
    t.ok('aws s3api put-bucket-ownership-controls --bucket photos --ownership-controls "Rules=[{ObjectOwnership=BucketOwnerPreferred}]"');
    expect(t.run('aws s3api put-object --bucket photos --key pub.txt --body cat.txt --acl public-read').err).toContain('(AccessDenied) when calling the PutObject operation: Access Denied');
    t.ok('aws s3api put-public-access-block --bucket photos --public-access-block-configuration BlockPublicAcls=false,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true');
    expect(t.run('aws s3 cp cat.txt s3://photos/pub.txt --acl public-read').code).toBe(0);
    const acl = t.json('aws s3api get-object-acl --bucket photos --key pub.txt');
    expect(acl.Grants).toContainEqual({ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' });
    const get = () => t.run('aws s3api get-object --bucket photos --key pub.txt o.txt --no-sign-request');
    expect(get().code).toBe(254);
    expect(t.ok('sandbox explain-last-denial')).toContain('IgnorePublicAcls');
    t.ok('aws s3api put-public-access-block --bucket photos --public-access-block-configuration BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=true,RestrictPublicBuckets=true');
    expect(get().code).toBe(0);
    // a private object next to it stays private
    expect(t.run('aws s3api get-object --bucket photos --key cat.txt o.txt --no-sign-request').code).toBe(254);
    // put-object-acl back to private closes it
    t.ok('aws s3api put-object-acl --bucket photos --key pub.txt --acl private');
    expect(get().code).toBe(254);
    // enforcing ownership again is refused while the bucket ACL grants others
    t.ok('aws s3api put-bucket-acl --bucket photos --acl public-read');
    expect(t.run('aws s3api put-bucket-ownership-controls --bucket photos --ownership-controls "Rules=[{ObjectOwnership=BucketOwnerEnforced}]"').err).toContain('(InvalidBucketAclWithObjectOwnership)');
    t.ok('aws s3api put-bucket-acl --bucket photos --acl private');
    t.ok('aws s3api put-bucket-ownership-controls --bucket photos --ownership-controls "Rules=[{ObjectOwnership=BucketOwnerEnforced}]"');
  });

  it('ObjectWriter: an object uploaded by another account belongs to it unless it grants bucket-owner-full-control', () => {
    const t = world();
    t.ok('aws s3api put-bucket-ownership-controls --bucket photos --ownership-controls "Rules=[{ObjectOwnership=ObjectWriter}]"');
    putPolicy(t, 'photos', policy('photos', { Effect: 'Allow', Principal: { AWS: '210987654321' }, Action: 's3:PutObject' }, { Effect: 'Allow', Principal: { AWS: '210987654321' }, Action: 's3:PutObjectAcl' }));
    t.ok('aws s3 cp cat.txt s3://photos/theirs.txt --profile other-account');
    const acl = t.json('aws s3api get-object-acl --bucket photos --key theirs.txt --profile other-account');
    expect(acl.Owner.ID).not.toBe(t.json('aws s3api get-bucket-acl --bucket photos').Owner.ID);
    expect(t.run('aws s3api get-object --bucket photos --key theirs.txt o.txt').code).toBe(254);
    expect(t.ok('sandbox explain-last-denial')).toContain('belongs to account 210987654321');
    t.ok('aws s3 cp cat.txt s3://photos/shared.txt --acl bucket-owner-full-control --profile other-account');
    expect(t.run('aws s3api get-object --bucket photos --key shared.txt o.txt').code).toBe(0);
  });

  it('grant headers and authenticated-read', () => {
    const t = world();
    t.ok('aws s3api put-bucket-ownership-controls --bucket photos --ownership-controls "Rules=[{ObjectOwnership=ObjectWriter}]"');
    t.ok('aws s3api delete-public-access-block --bucket photos');
    const other = 'b4c1a9e27d3f4e6a8c0b2d4f6a8c1e3f5b7d9a0c2e4f6b8d0a2c4e6f8b1d3a5c';
    t.ok(`aws s3api put-object-acl --bucket photos --key cat.txt --grant-read id=${other}`);
    const acl = t.json('aws s3api get-object-acl --bucket photos --key cat.txt');
    expect(acl.Grants).toEqual([{ Grantee: { ID: other, Type: 'CanonicalUser' }, Permission: 'READ' }]);
    expect(t.run('aws s3api get-object --bucket photos --key cat.txt o.txt --profile other-account').code).toBe(0);
    expect(t.run('aws s3api put-object-acl --bucket photos --key cat.txt --acl private --grant-read id=x').err).toContain('Specifying both Canned ACLs and Header Grants is not allowed');
  });
});

describe('account-level Block Public Access (s3control)', () => {
  it('get before put, wrong account, round trip', () => {
    const t = term();
    expect(t.run('aws s3control get-public-access-block --account-id 123456789012').err).toContain(
      '(NoSuchPublicAccessBlockConfiguration) when calling the GetPublicAccessBlock operation: The public access block configuration was not found',
    );
    expect(t.run('aws s3control put-public-access-block --account-id 210987654321 --public-access-block-configuration BlockPublicAcls=true').err).toContain('(AccessDenied)');
    t.ok('aws s3control put-public-access-block --account-id 123456789012 --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true');
    expect(t.json('aws s3control get-public-access-block --account-id 123456789012')).toEqual({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
    });
  });
});
