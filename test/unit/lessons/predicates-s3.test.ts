import { describe, it, expect } from 'vitest';
import { world, check } from './helpers';
import { updateConfig } from '../../../src/engine/config';

describe('bucket predicate', () => {
  it('is not met while the bucket is missing, and says so', () => {
    const { sandbox } = world();
    const o = check(sandbox, { type: 'bucket', name: 'photos-1' });
    expect(o.met).toBe(false);
    expect(o.detail).toBe('there is no bucket named photos-1 yet');
    expect(o.expected).toBe('a bucket named photos-1 in us-east-1');
  });

  it('matches a name prefix in a region, and explains a region mismatch', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket photos-abc');
    const wrong = check(sandbox, { type: 'bucket', namePrefix: 'photos-', region: 'eu-west-1' });
    expect(wrong.met).toBe(false);
    expect(wrong.detail).toContain('the bucket photos-abc exists, but it is in us-east-1, not eu-west-1');
    run('aws s3api create-bucket --bucket photos-xyz --region eu-west-1 --create-bucket-configuration LocationConstraint=eu-west-1');
    const right = check(sandbox, { type: 'bucket', namePrefix: 'photos-', region: 'eu-west-1' });
    expect(right.met).toBe(true);
    expect(right.detail).toContain('photos-xyz in eu-west-1');
  });

  it('says the bucket exists but versioning is not enabled yet', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket notes-1');
    const o = check(sandbox, { type: 'bucket', name: 'notes-1', versioning: 'Enabled' });
    expect(o.met).toBe(false);
    expect(o.detail).toBe('the bucket notes-1 exists, but versioning is not enabled yet');
    run('aws s3api put-bucket-versioning --bucket notes-1 --versioning-configuration Status=Enabled');
    expect(check(sandbox, { type: 'bucket', name: 'notes-1', versioning: 'Enabled' }).met).toBe(true);
    run('aws s3api put-bucket-versioning --bucket notes-1 --versioning-configuration Status=Suspended');
    const s = check(sandbox, { type: 'bucket', name: 'notes-1', versioning: 'Enabled' });
    expect(s.met).toBe(false);
    expect(s.detail).toContain('(it is Suspended)');
  });

  it('checks bucket tags', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket tagged-1');
    expect(check(sandbox, { type: 'bucket', name: 'tagged-1', tags: { team: 'red' } }).detail).toContain('tag team=red is missing');
    run("aws s3api put-bucket-tagging --bucket tagged-1 --tagging 'TagSet=[{Key=team,Value=red}]'");
    expect(check(sandbox, { type: 'bucket', name: 'tagged-1', tags: { team: 'red' } }).met).toBe(true);
  });

  it('exists:false holds only when the bucket is gone', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket gone-1');
    expect(check(sandbox, { type: 'bucket', name: 'gone-1', exists: false }).met).toBe(false);
    run('aws s3api delete-bucket --bucket gone-1');
    expect(check(sandbox, { type: 'bucket', name: 'gone-1', exists: false }).met).toBe(true);
  });

  it('bucket-count compares exactly and at least', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket many-1', 'aws s3api create-bucket --bucket many-2');
    expect(check(sandbox, { type: 'bucket-count', count: { atLeast: 2 } }).met).toBe(true);
    const o = check(sandbox, { type: 'bucket-count', count: { exactly: 3 }, namePrefix: 'many-' });
    expect(o.met).toBe(false);
    expect(o.detail).toBe('there are 2 buckets, expected exactly 3');
  });
});

describe('object predicate', () => {
  it('reports a wrong Content-Type and missing metadata in plain words', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket site-1', 'echo hi > index.html', 'aws s3api put-object --bucket site-1 --key index.html --body index.html --content-type text/plain');
    const p = { type: 'object' as const, bucket: 'site-1', key: 'index.html', contentType: 'text/html', metadata: { owner: 'ana' } };
    const o = check(sandbox, p);
    expect(o.met).toBe(false);
    expect(o.detail).toBe('the object index.html exists in site-1, but its Content-Type is text/plain, not text/html, and it has no user metadata owner yet');
    run('aws s3api put-object --bucket site-1 --key index.html --body index.html --content-type text/html --metadata owner=ana');
    expect(check(sandbox, p).met).toBe(true);
  });

  it('a missing object or bucket is reported as such', () => {
    const { sandbox, run } = world();
    expect(check(sandbox, { type: 'object', bucket: 'nope-1', key: 'a' }).detail).toBe('there is no bucket named nope-1 yet');
    run('aws s3api create-bucket --bucket empty-1');
    expect(check(sandbox, { type: 'object', bucket: 'empty-1', key: 'a' }).detail).toBe('there is no object a in empty-1 yet');
    expect(check(sandbox, { type: 'object', bucket: 'empty-1', key: 'a', exists: false }).met).toBe(true);
  });

  it('checks storage class, restore state on the clock and content', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket cold-1', 'echo old > old.log', 'aws s3api put-object --bucket cold-1 --key old.log --body old.log --storage-class GLACIER');
    expect(check(sandbox, { type: 'object', bucket: 'cold-1', key: 'old.log', storageClass: 'GLACIER' }).met).toBe(true);
    const std = check(sandbox, { type: 'object', bucket: 'cold-1', key: 'old.log', storageClass: 'STANDARD' });
    expect(std.detail).toContain('its storage class is GLACIER, not STANDARD');
    const done = { type: 'object' as const, bucket: 'cold-1', key: 'old.log', restore: 'completed' as const };
    expect(check(sandbox, done).detail).toContain('no restore has been requested');
    run('aws s3api restore-object --bucket cold-1 --key old.log --restore-request Days=1,GlacierJobParameters={Tier=Bulk}');
    expect(check(sandbox, { ...done, restore: 'in-progress' }).met).toBe(true);
    expect(check(sandbox, done).detail).toContain('still in progress');
    run('sandbox clock advance 13h');
    expect(check(sandbox, done).met).toBe(true);
  });

  it('checks object tags and body text', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket body-1', 'echo hello > h.txt', 'aws s3api put-object --bucket body-1 --key h.txt --body h.txt');
    expect(check(sandbox, { type: 'object', bucket: 'body-1', key: 'h.txt', body: 'hello\n' }).met).toBe(true);
    expect(check(sandbox, { type: 'object', bucket: 'body-1', key: 'h.txt', body: 'bye' }).met).toBe(false);
    expect(check(sandbox, { type: 'object', bucket: 'body-1', key: 'h.txt', tags: { k: 'v' } }).detail).toContain('tag k=v is missing');
    run("aws s3api put-object-tagging --bucket body-1 --key h.txt --tagging 'TagSet=[{Key=k,Value=v}]'");
    expect(check(sandbox, { type: 'object', bucket: 'body-1', key: 'h.txt', tags: { k: 'v' } }).met).toBe(true);
  });

  it('counts versions of a key', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket ver-1', 'aws s3api put-bucket-versioning --bucket ver-1 --versioning-configuration Status=Enabled', 'echo 1 > f', 'aws s3api put-object --bucket ver-1 --key f --body f');
    const p = { type: 'object' as const, bucket: 'ver-1', key: 'f', versions: { atLeast: 2 } };
    expect(check(sandbox, p).detail).toContain('it has 1 version, expected at least 2');
    run('aws s3api put-object --bucket ver-1 --key f --body f');
    expect(check(sandbox, p).met).toBe(true);
    run('aws s3api delete-object --bucket ver-1 --key f');
    const after = check(sandbox, p);
    expect(after.met).toBe(true);
    expect(after.detail).toContain('2 versions (the current one is deleted)');
    expect(check(sandbox, { type: 'object', bucket: 'ver-1', key: 'f', exists: false }).met).toBe(true);
    expect(check(sandbox, { ...p, versions: { exactly: 3 } }).detail).toContain('it has 2 versions (the current one is deleted), expected exactly 3');
  });

  it('reads the truth even in the eventual consistency mode', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket ev-1');
    sandbox.mutate(() => updateConfig(sandbox.db, (c) => ({ ...c, s3Consistency: { 'us-east-1': 'eventual' } })));
    run('echo a > a', 'aws s3api put-object --bucket ev-1 --key a --body a', 'aws s3api delete-object --bucket ev-1 --key a');
    expect(check(sandbox, { type: 'object', bucket: 'ev-1', key: 'a', exists: false }).met).toBe(true);
    expect(sandbox.config().s3Consistency['us-east-1']).toBe('eventual');
  });
});

describe('objects predicate (strictness)', () => {
  it('exactly refuses extra keys, atLeast allows them', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket list-1', 'echo x > x');
    for (const k of ['logs/a', 'logs/b', 'logs/c', 'other']) run(`aws s3api put-object --bucket list-1 --key ${k} --body x`);
    const exactly = check(sandbox, { type: 'objects', bucket: 'list-1', prefix: 'logs/', keys: ['logs/a', 'logs/b'], match: 'exactly' });
    expect(exactly.met).toBe(false);
    expect(exactly.detail).toContain('not expected (exactly these keys were asked for): logs/c');
    expect(check(sandbox, { type: 'objects', bucket: 'list-1', prefix: 'logs/', keys: ['logs/a', 'logs/b'], match: 'atLeast' }).met).toBe(true);
    const missing = check(sandbox, { type: 'objects', bucket: 'list-1', keys: ['logs/a', 'logs/z'], match: 'atLeast' });
    expect(missing.detail).toContain('still missing: logs/z');
    expect(missing.expected).toContain('at least the objects logs/a, logs/z in bucket list-1');
  });
});

describe('lifecycle-rule predicate', () => {
  it('finds a rule by prefix and transition, and explains what differs', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket lc-1');
    const p = { type: 'lifecycle-rule' as const, bucket: 'lc-1', prefix: 'logs/', transition: { days: 30, storageClass: 'GLACIER' }, expirationDays: 365 };
    expect(check(sandbox, p).detail).toBe('the bucket lc-1 has no lifecycle configuration yet');
    const cfg = JSON.stringify({ Rules: [{ ID: 'archive', Filter: { Prefix: 'logs/' }, Status: 'Enabled', Transitions: [{ Days: 60, StorageClass: 'GLACIER' }], Expiration: { Days: 365 } }] });
    sandbox.mutate((sb) => sb.vfs.writeText('/home/learner/lc.json', cfg));
    run('aws s3api put-bucket-lifecycle-configuration --bucket lc-1 --lifecycle-configuration file://lc.json');
    const o = check(sandbox, p);
    expect(o.met).toBe(false);
    expect(o.detail).toContain('its transition to GLACIER happens after 60 days, not 30');
    sandbox.mutate((sb) => sb.vfs.writeText('/home/learner/lc.json', cfg.replace('60', '30')));
    run('aws s3api put-bucket-lifecycle-configuration --bucket lc-1 --lifecycle-configuration file://lc.json');
    expect(check(sandbox, p).met).toBe(true);
  });
});
