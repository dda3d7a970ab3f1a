import { describe, it, expect } from 'vitest';
import { term } from './helpers';

function withRules(rules: unknown) {
  const t = term();
  t.ok('aws s3 mb s3://photos');
  t.write('lc.json', JSON.stringify({ Rules: rules }));
  return { t, r: t.run('aws s3api put-bucket-lifecycle-configuration --bucket photos --lifecycle-configuration file://lc.json') };
}

describe('S3 lifecycle', () => {
  it('get before put is NoSuchLifecycleConfiguration; put/get/delete round trip', () => {
    const { t, r } = withRules([{ ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } }]);
    expect(r.code).toBe(0);
    expect(t.json('aws s3api get-bucket-lifecycle-configuration --bucket photos').Rules).toEqual([
      { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } },
    ]);
    t.ok('aws s3api delete-bucket-lifecycle --bucket photos');
    expect(t.run('aws s3api get-bucket-lifecycle-configuration --bucket photos').err).toContain(
      '(NoSuchLifecycleConfiguration) when calling the GetBucketLifecycleConfiguration operation: The lifecycle configuration does not exist',
    );
  });

  it('validates minimum days for STANDARD_IA and ONEZONE_IA', () => {
    const { r } = withRules([{ ID: 'a', Status: 'Enabled', Filter: {}, Transitions: [{ Days: 10, StorageClass: 'STANDARD_IA' }] }]);
    expect(r.code).toBe(254);
    expect(r.err).toContain(
      "(InvalidArgument) when calling the PutBucketLifecycleConfiguration operation: 'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'",
    );
    const o = withRules([{ ID: 'a', Status: 'Enabled', Filter: {}, Transitions: [{ Days: 29, StorageClass: 'ONEZONE_IA' }] }]);
    expect(o.r.err).toContain("for storageClass 'ONEZONE_IA'");
    expect(withRules([{ ID: 'a', Status: 'Enabled', Filter: {}, Transitions: [{ Days: 0, StorageClass: 'GLACIER' }] }]).r.code).toBe(0);
  });

  it('validates expiration after transitions, positive days, unique ids and at least one action', () => {
    expect(
      withRules([{ ID: 'a', Status: 'Enabled', Filter: {}, Transitions: [{ Days: 60, StorageClass: 'GLACIER' }], Expiration: { Days: 30 } }]).r.err,
    ).toContain("'Days' in the Expiration action must be greater than 'Days' in the Transition action");
    expect(withRules([{ ID: 'a', Status: 'Enabled', Filter: {}, Expiration: { Days: 0 } }]).r.err).toContain("'Days' for Expiration action must be a positive integer");
    expect(
      withRules([
        { ID: 'a', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } },
        { ID: 'a', Status: 'Enabled', Filter: {}, Expiration: { Days: 2 } },
      ]).r.err,
    ).toContain('Rule ID must be unique');
    expect(withRules([{ ID: 'a', Status: 'Enabled', Filter: {} }]).r.err).toContain('(InvalidRequest)');
    expect(
      withRules([{ ID: 'a', Status: 'Enabled', Filter: {}, Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 40, StorageClass: 'GLACIER' }] }]).r.err,
    ).toContain('must be 30 days more than');
  });

  it('transitions and expirations run at 00:00 UTC on the simulated clock', () => {
    const { t, r } = withRules([
      { ID: 'tier', Status: 'Enabled', Filter: { Prefix: 'old/' }, Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 90, StorageClass: 'GLACIER' }] },
      { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
    ]);
    expect(r.code).toBe(0);
    t.write('f', 'data');
    t.ok('aws s3 cp f s3://photos/old/f');
    t.ok('aws s3 cp f s3://photos/tmp/f');
    t.ok('aws s3 cp f s3://photos/keep/f');
    t.ok('sandbox clock advance 1d');
    expect(t.run('aws s3api head-object --bucket photos --key tmp/f').code).toBe(0);
    t.ok('sandbox clock advance 15h');
    expect(t.run('aws s3api head-object --bucket photos --key tmp/f').code).toBe(254);
    t.ok('sandbox clock advance 29d');
    expect(t.json('aws s3api head-object --bucket photos --key old/f').StorageClass).toBe('STANDARD_IA');
    t.ok('sandbox clock advance 60d');
    expect(t.json('aws s3api head-object --bucket photos --key old/f').StorageClass).toBe('GLACIER');
    expect(t.json('aws s3api head-object --bucket photos --key keep/f').StorageClass).toBeUndefined();
  });
});

describe('S3 lifecycle on versioned buckets', () => {
  it('NoncurrentVersionExpiration removes old versions; Expiration adds a delete marker', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.ok('aws s3api put-bucket-versioning --bucket photos --versioning-configuration Status=Enabled');
    t.write('lc.json', JSON.stringify({ Rules: [{ ID: 'nc', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Expiration: { Days: 10 } }] }));
    t.ok('aws s3api put-bucket-lifecycle-configuration --bucket photos --lifecycle-configuration file://lc.json');
    t.write('f', 'v1');
    t.ok('aws s3 cp f s3://photos/f');
    t.write('f', 'v2');
    t.ok('aws s3 cp f s3://photos/f');
    expect(t.json('aws s3api list-object-versions --bucket photos').Versions).toHaveLength(2);
    t.ok('sandbox clock advance 2d');
    expect(t.json('aws s3api list-object-versions --bucket photos').Versions).toHaveLength(1);
    t.ok('sandbox clock advance 9d');
    const lv = t.json('aws s3api list-object-versions --bucket photos');
    expect(lv.DeleteMarkers).toHaveLength(1);
    expect(t.run('aws s3api head-object --bucket photos --key f').code).toBe(254);
  });
});

describe('S3 lifecycle: the Expiration header', () => {
  it('put-object and head-object say when an expiration rule will delete the object', () => {
    const { t } = withRules([{ ID: 'tmp-cleanup', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } }]);
    t.write('f', 'x');
    const put = t.json('aws s3api put-object --bucket photos --key tmp/f --body f');
    expect(put.Expiration).toBe('expiry-date="Tue, 13 Jan 2026 00:00:00 GMT", rule-id="tmp-cleanup"');
    expect(t.json('aws s3api head-object --bucket photos --key tmp/f').Expiration).toBe(put.Expiration);
    t.ok('aws s3api put-object --bucket photos --key keep/f --body f');
    expect(t.json('aws s3api head-object --bucket photos --key keep/f').Expiration).toBeUndefined();
  });
});
