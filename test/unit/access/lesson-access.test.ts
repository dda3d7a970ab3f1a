/** The `access` lesson predicate: tries a request as an identity inside the rolled-back probe. */
import { describe, it, expect } from 'vitest';
import { world, check } from '../lessons/helpers';

describe('access predicate', () => {
  it('tells allowed from denied, changes nothing and keeps the last denial', () => {
    const { sandbox, run, session } = world();
    run('aws s3 mb s3://photos');
    run('echo hi > a.txt');
    run('aws s3 cp a.txt s3://photos/a.txt');
    run('aws iam create-user --user-name alice');
    const read = { type: 'access', as: 'user:alice', operation: 'GetObject', input: { Bucket: 'photos', Key: 'a.txt' } } as const;
    const denied = check(sandbox, { ...read, allowed: false });
    expect(denied.met).toBe(true);
    expect(denied.detail).toContain('it is denied (AccessDenied)');
    expect(check(sandbox, { ...read, allowed: true }).met).toBe(false);
    run('aws iam attach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    expect(check(sandbox, { ...read, allowed: true }).met).toBe(true);
    // a missing key passes access control (then fails with NoSuchKey)
    const missing = check(sandbox, { type: 'access', as: 'user:alice', operation: 'GetObject', input: { Bucket: 'photos', Key: 'nope' }, allowed: true });
    expect(missing.met).toBe(true);
    expect(missing.detail).toContain('NoSuchKey');
    // a write tried by the check is rolled back, and the learner's last denial stays
    expect(session.run('aws s3 ls s3://photos --profile anonymous').exitCode).toBe(254);
    const before = run('sandbox explain-last-denial');
    const calls = sandbox.callLog().length;
    expect(check(sandbox, { type: 'access', as: 'admin', operation: 'PutObject', input: { Bucket: 'photos', Key: 'probe.txt' }, allowed: true }).met).toBe(true);
    expect(check(sandbox, { type: 'access', as: 'user:alice', operation: 'PutObject', input: { Bucket: 'photos', Key: 'probe.txt' }, allowed: false }).met).toBe(true);
    expect(sandbox.callLog().length).toBe(calls);
    expect(session.run('aws s3api head-object --bucket photos --key probe.txt').exitCode).toBe(254);
    expect(run('sandbox explain-last-denial')).toEqual(before);
    expect(check(sandbox, { type: 'access', as: 'user:nobody', operation: 'ListBuckets', allowed: false }).detail).toContain('there is no identity user:nobody');
  });
});
