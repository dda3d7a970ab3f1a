import { describe, it, expect } from 'vitest';
import { term } from './helpers';

describe('S3 buckets', () => {
  it('creates a bucket with aws s3 mb and lists it with its date', () => {
    const t = term();
    expect(t.run('aws s3 mb s3://photos')).toEqual({ code: 0, out: 'make_bucket: photos\n', err: '' });
    expect(t.ok('aws s3 ls')).toBe('2026-01-05 09:00:00 photos\n');
    const lb = t.json('aws s3api list-buckets');
    expect(lb.Buckets).toEqual([{ Name: 'photos', CreationDate: '2026-01-05T09:00:00+00:00', BucketRegion: 'us-east-1' }]);
    expect(lb.Owner.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['ab'],
    ['a'.repeat(64)],
    ['my.bucket..x'],
    
    ['end-'],
    ['192.168.1.1'],
    ['xn--bucket'],
    ['sthree-bucket'],
    ['bucket-s3alias'],
    ['bucket--ol-s3'],
    ['amzn-s3-demo-bucket'],
    ['my_bucket'],
  ])('refuses the name %s with InvalidBucketName', (name) => {
    const t = term();
    const r = t.run(`aws s3api create-bucket --bucket ${name}`);
    expect(r.code).toBe(254);
    expect(r.err).toContain('An error occurred (InvalidBucketName) when calling the CreateBucket operation: The specified bucket is not valid.');
  });

  it('upper case names fail InvalidBucketName too', () => {
    const t = term();
    expect(t.call('CreateBucket', { Bucket: 'MyBucket' }).error.code).toBe('InvalidBucketName');
  });

  it('names owned by another account give BucketAlreadyExists, but photos is free', () => {
    const t = term();
    for (const n of ['test', 'my-bucket', 'example', 'images', 'backup', 'data']) {
      const r = t.run(`aws s3 mb s3://${n}`);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        `make_bucket failed: s3://${n} An error occurred (BucketAlreadyExists) when calling the CreateBucket operation: The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.\n`,
      );
    }
    expect(t.run('aws s3 mb s3://photos').code).toBe(0);
    const head = t.run('aws s3api head-bucket --bucket test');
    expect(head.code).toBe(254);
    expect(head.err).toContain('An error occurred (403) when calling the HeadBucket operation: Forbidden');
  });

  it('creating your own bucket again: 200 in us-east-1, BucketAlreadyOwnedByYou elsewhere', () => {
    const t = term();
    t.ok('aws s3api create-bucket --bucket photos');
    expect(t.json('aws s3api create-bucket --bucket photos')).toEqual({ Location: '/photos' });
    t.ok('aws s3api create-bucket --bucket eu-photos --region eu-west-1 --create-bucket-configuration LocationConstraint=eu-west-1');
    const r = t.run('aws s3api create-bucket --bucket eu-photos --region eu-west-1 --create-bucket-configuration LocationConstraint=eu-west-1');
    expect(r.code).toBe(254);
    expect(r.err).toContain('(BucketAlreadyOwnedByYou) when calling the CreateBucket operation: Your previous request to create the named bucket succeeded and you already own it.');
  });

  it('applies the LocationConstraint rules', () => {
    const t = term();
    let r = t.run('aws s3api create-bucket --bucket a-bucket-1 --create-bucket-configuration LocationConstraint=us-east-1');
    expect(r.err).toContain('(InvalidLocationConstraint) when calling the CreateBucket operation: The specified location-constraint is not valid');
    r = t.run('aws s3api create-bucket --bucket a-bucket-1 --region eu-west-1');
    expect(r.err).toContain(
      '(IllegalLocationConstraintException) when calling the CreateBucket operation: The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
    );
    r = t.run('aws s3api create-bucket --bucket a-bucket-1 --region eu-west-1 --create-bucket-configuration LocationConstraint=eu-central-1');
    expect(r.err).toContain('The eu-central-1 location constraint is incompatible for the region specific endpoint this request was sent to.');
    expect(t.run('aws s3 mb s3://a-bucket-2 --region eu-central-1').out).toBe('make_bucket: a-bucket-2\n');
    expect(t.json('aws s3api get-bucket-location --bucket a-bucket-2')).toEqual({ LocationConstraint: 'eu-central-1' });
    t.ok('aws s3 mb s3://a-bucket-3');
    expect(t.json('aws s3api get-bucket-location --bucket a-bucket-3')).toEqual({ LocationConstraint: null });
    expect(t.json('aws s3api head-bucket --bucket a-bucket-2')).toEqual({ BucketRegion: 'eu-central-1', AccessPointAlias: false });
  });

  it('head-bucket on a missing bucket prints the bare 404', () => {
    const t = term();
    const r = t.run('aws s3api head-bucket --bucket nope-nope');
    expect(r.code).toBe(254);
    expect(r.err).toBe('\nAn error occurred (404) when calling the HeadBucket operation: Not Found\n');
  });

  it('DeleteBucket: NoSuchBucket, BucketNotEmpty, then success', () => {
    const t = term();
    expect(t.run('aws s3api delete-bucket --bucket nope-nope').err).toContain(
      '(NoSuchBucket) when calling the DeleteBucket operation: The specified bucket does not exist',
    );
    t.ok('aws s3 mb s3://photos');
    t.write('a.txt', 'hi');
    t.ok('aws s3 cp a.txt s3://photos/a.txt');
    const r = t.run('aws s3 rb s3://photos');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'remove_bucket failed: s3://photos An error occurred (BucketNotEmpty) when calling the DeleteBucket operation: The bucket you tried to delete is not empty\n',
    );
    t.ok('aws s3 rm s3://photos/a.txt');
    expect(t.run('aws s3 rb s3://photos')).toEqual({ code: 0, out: 'remove_bucket: photos\n', err: '' });
    expect(t.ok('aws s3 ls')).toBe('');
  });

  it('enforces the bucket quota as a soft limit (TooManyBuckets)', () => {
    const t = term();
    t.ok('sandbox quota set s3-buckets 2');
    t.ok('aws s3 mb s3://b-one');
    t.ok('aws s3 mb s3://b-two');
    const r = t.run('aws s3api create-bucket --bucket b-three');
    expect(r.code).toBe(254);
    expect(r.err).toContain('(TooManyBuckets) when calling the CreateBucket operation: You have attempted to create more buckets than allowed');
    t.ok('sandbox quota set s3-buckets 3');
    t.ok('aws s3api create-bucket --bucket b-three');
  });

  it('stores and returns the defaults of a new bucket', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    expect(t.json('aws s3api get-bucket-encryption --bucket photos')).toEqual({
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] },
    });
    expect(t.json('aws s3api get-public-access-block --bucket photos')).toEqual({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    });
    expect(t.json('aws s3api get-bucket-ownership-controls --bucket photos')).toEqual({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    t.ok('aws s3api delete-public-access-block --bucket photos');
    expect(t.run('aws s3api get-public-access-block --bucket photos').err).toContain('(NoSuchPublicAccessBlockConfiguration)');
  });

  it('bucket tagging: put, get, NoSuchTagSet after delete, InvalidTag for duplicates', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    expect(t.run('aws s3api get-bucket-tagging --bucket photos').err).toContain(
      '(NoSuchTagSet) when calling the GetBucketTagging operation: The TagSet does not exist',
    );
    t.ok('aws s3api put-bucket-tagging --bucket photos --tagging "TagSet=[{Key=team,Value=web},{Key=env,Value=dev}]"');
    expect(t.json('aws s3api get-bucket-tagging --bucket photos').TagSet).toEqual([
      { Key: 'team', Value: 'web' },
      { Key: 'env', Value: 'dev' },
    ]);
    expect(t.run('aws s3api put-bucket-tagging --bucket photos --tagging "TagSet=[{Key=a,Value=1},{Key=a,Value=2}]"').err).toContain(
      '(InvalidTag) when calling the PutBucketTagging operation: Cannot provide multiple Tags with the same key',
    );
    t.ok('aws s3api delete-bucket-tagging --bucket photos');
    expect(t.run('aws s3api get-bucket-tagging --bucket photos').code).toBe(254);
  });

  it('a failing operation changes nothing', () => {
    const t = term();
    t.ok('sandbox quota set s3-buckets 1');
    t.ok('aws s3 mb s3://photos');
    const before = JSON.stringify(t.sb.db.dump()['s3.buckets']);
    t.run('aws s3 mb s3://photos2');
    expect(JSON.stringify(t.sb.db.dump()['s3.buckets'])).toBe(before);
  });
});
