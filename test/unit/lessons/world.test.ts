import { describe, it, expect } from 'vitest';
import { world } from './helpers';
import { captureWorld, restoreWorld, freshWorld } from '../../../src/lessons/world';

describe('world snapshots', () => {
  it('restores objects with their bodies and keeps lesson tables and the shell', () => {
    const { sandbox, run } = world();
    run('aws s3api create-bucket --bucket snap-1', 'echo one > f.txt', 'aws s3api put-object --bucket snap-1 --key f --body f.txt');
    const snap = captureWorld(sandbox.db);
    sandbox.mutate(() => sandbox.db.table('lessons.progress').set('x', { keep: true }));
    run('aws s3api delete-object --bucket snap-1 --key f', 'aws s3api create-bucket --bucket snap-2', 'rm f.txt');
    sandbox.takeChanges();
    sandbox.mutate(() => restoreWorld(sandbox.db, snap));
    expect(sandbox.takeChanges().length).toBeGreaterThan(0);
    expect(run('aws s3api list-buckets --query "Buckets[].Name" --output text').trim()).toBe('snap-1');
    run('aws s3api get-object --bucket snap-1 --key f out.txt');
    expect(run('cat out.txt')).toBe('one\n');
    expect(sandbox.db.table('lessons.progress').get('x')).toEqual({ keep: true });
  });

  it('a fresh world has the same ids as a new sandbox with the same seed', () => {
    const a = world(7);
    a.run('aws s3api create-bucket --bucket fresh-1');
    a.sandbox.mutate(() => restoreWorld(a.sandbox.db, freshWorld(a.sandbox)));
    const b = world(7);
    const ida = a.run('aws ec2 describe-subnets --query "Subnets[0].SubnetId" --output text');
    const idb = b.run('aws ec2 describe-subnets --query "Subnets[0].SubnetId" --output text');
    expect(ida).toBe(idb);
    expect(a.run('aws s3api list-buckets --query "Buckets[].Name" --output text').trim()).toBe('');
  });
});
