import { describe, it, expect } from 'vitest';
import { world, check } from './helpers';
import { updateConfig } from '../../../src/engine/config';

describe('probe isolation', () => {
  it('checking adds nothing to the call log, the journal or the random state', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket iso-1');
    sandbox.takeChanges();
    const calls = sandbox.callLog().length;
    const rng = JSON.stringify(sandbox.db.table('meta').get('rng'));
    const dump = JSON.stringify(sandbox.db.dump());
    check(sandbox, { type: 'all', checks: [{ type: 'bucket', name: 'iso-1', versioning: 'Enabled' }, { type: 'object', bucket: 'iso-1', key: 'x' }, { type: 'cluster', cluster: 'c' }] });
    expect(sandbox.callLog().length).toBe(calls);
    expect(JSON.stringify(sandbox.db.table('meta').get('rng'))).toBe(rng);
    expect(JSON.stringify(sandbox.db.dump())).toBe(dump);
    expect(sandbox.takeChanges()).toEqual([]);
  });
});

describe('api-call predicate', () => {
  it('RestoreObject was called with the Bulk tier', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket arch-1', 'echo x > x', 'aws s3api put-object --bucket arch-1 --key x --body x --storage-class GLACIER');
    const p = { type: 'api-call' as const, service: 's3', operation: 'RestoreObject', input: { RestoreRequest: { GlacierJobParameters: { Tier: 'Bulk' } } } };
    expect(check(sandbox, p).detail).toBe('RestoreObject has not been called yet');
    run('aws s3api restore-object --bucket arch-1 --key x --restore-request Days=1,GlacierJobParameters={Tier=Standard}');
    const o = check(sandbox, p);
    expect(o.met).toBe(false);
    expect(o.detail).toContain('RestoreObject was called 1 time, but not with the asked parameters');
    expect(o.expected).toContain('RestoreObject (s3) called with');
    sandbox.advance(13 * 3600_000);
    sandbox.advance(3 * 86400_000);
    run('aws s3api restore-object --bucket arch-1 --key x --restore-request Days=1,GlacierJobParameters={Tier=Bulk}');
    expect(check(sandbox, p).met).toBe(true);
  });

  it('counts only calls after the window start, and can ask for failures', () => {
    const { sandbox, session, run } = world();
    run('aws s3api create-bucket --bucket win-1');
    const start = sandbox.callLog().at(-1)!.seq;
    const p = { type: 'api-call' as const, service: 's3', operation: 'CreateBucket' };
    expect(check(sandbox, p, { startSeq: start }).met).toBe(false);
    expect(check(sandbox, p).met).toBe(true);
    session.run('aws s3api create-bucket --bucket "Bad_Name"');
    const failed = { type: 'api-call' as const, service: 's3', operation: 'CreateBucket', ok: false, errorCode: 'InvalidBucketName' };
    expect(check(sandbox, failed, { startSeq: start }).met).toBe(true);
    expect(check(sandbox, { ...p, count: { exactly: 1 } }, { startSeq: start }).detail).toContain('but it failed with InvalidBucketName');
  });
});

describe('sandbox-config predicate', () => {
  it('S3 consistency mode, quotas and clock movement', () => {
    const { sandbox, run } = world();
    const start = sandbox.now();
    expect(check(sandbox, { type: 'sandbox-config', s3Consistency: 'eventual' }).detail).toBe('S3 in us-east-1 is in strong consistency mode, not eventual');
    sandbox.mutate(() => updateConfig(sandbox.db, (c) => ({ ...c, s3Consistency: { 'us-east-1': 'eventual' }, quotas: { ...c.quotas, 's3-buckets': 100 } })));
    expect(check(sandbox, { type: 'sandbox-config', s3Consistency: 'eventual', quotas: { 's3-buckets': 100 } }).met).toBe(true);
    const clock = { type: 'sandbox-config' as const, clockAdvancedAtLeast: '5h' };
    expect(check(sandbox, clock, { startClock: start }).detail).toBe('the simulated clock has not moved on yet (5h are needed)');
    run('sandbox clock advance 1h');
    expect(check(sandbox, clock, { startClock: start }).detail).toContain('the clock has moved on by 1h only');
    run('sandbox clock advance 6h');
    expect(check(sandbox, clock, { startClock: start }).met).toBe(true);
  });
});

describe('file predicate', () => {
  it('a home-folder file with text or JSON content', () => {
    const { sandbox, run } = world();
    expect(check(sandbox, { type: 'file', path: 'td.json' }).detail).toBe('there is no file td.json yet');
    run(`cat > td.json <<EOF
{"family":"web","cpu":"256"}
EOF`);
    expect(check(sandbox, { type: 'file', path: '~/td.json', json: { family: 'web' } }).met).toBe(true);
    expect(check(sandbox, { type: 'file', path: 'td.json', json: { family: 'api' } }).met).toBe(false);
    expect(check(sandbox, { type: 'file', path: 'td.json', contains: '"cpu"' }).met).toBe(true);
  });
});

describe('combinators', () => {
  it('all, any and not', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket comb-1');
    const a = { type: 'bucket' as const, name: 'comb-1' };
    const b = { type: 'bucket' as const, name: 'comb-2' };
    expect(check(sandbox, { type: 'all', checks: [a, b] }).met).toBe(false);
    expect(check(sandbox, { type: 'all', checks: [a, b] }).detail).toBe('there is no bucket named comb-2 yet');
    expect(check(sandbox, { type: 'any', checks: [a, b] }).met).toBe(true);
    expect(check(sandbox, { type: 'not', check: b }).met).toBe(true);
    expect(check(sandbox, { type: 'not', check: a }).detail).toContain('this still holds');
  });

  it('an unknown type is not met and says why', () => {
    const { sandbox } = world();
    const o = check(sandbox, { type: 'nonsense' } as never);
    expect(o.met).toBe(false);
    expect(o.detail).toContain('unknown check type nonsense');
  });
});
