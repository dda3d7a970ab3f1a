import { describe, it, expect } from 'vitest';
import { term } from '../s3/helpers';
import { estimateTransfer, isAccelerateUrl, nearestEdge, REGION_PLACES } from '../../../src/engine/services/s3/acceleration';

describe('Transfer Acceleration configuration', () => {
  it('put/get-bucket-accelerate-configuration; nothing at all before it is set', () => {
    const t = term();
    t.ok('aws s3 mb s3://fast-uploads');
    expect(t.ok('aws s3api get-bucket-accelerate-configuration --bucket fast-uploads')).toBe('');
    t.ok('aws s3api put-bucket-accelerate-configuration --bucket fast-uploads --accelerate-configuration Status=Enabled');
    expect(t.json('aws s3api get-bucket-accelerate-configuration --bucket fast-uploads')).toEqual({ Status: 'Enabled' });
    t.ok('aws s3api put-bucket-accelerate-configuration --bucket fast-uploads --accelerate-configuration Status=Suspended');
    expect(t.json('aws s3api get-bucket-accelerate-configuration --bucket fast-uploads')).toEqual({ Status: 'Suspended' });
  });

  it('is refused for bucket names with periods', () => {
    const t = term();
    t.ok('aws s3 mb s3://www.example-site.org');
    const r = t.run('aws s3api put-bucket-accelerate-configuration --bucket www.example-site.org --accelerate-configuration Status=Enabled');
    expect(r.code).toBe(254);
    expect(r.err).toContain(
      'An error occurred (InvalidRequest) when calling the PutBucketAccelerateConfiguration operation: S3 Transfer Acceleration is not supported for buckets with periods (.) in their names',
    );
  });

  it('the accelerate endpoint (--endpoint-url or s3.use_accelerate_endpoint) fails until acceleration is enabled', () => {
    const t = term();
    t.ok('aws s3 mb s3://fast-uploads');
    t.write('a.txt', 'data');
    let r = t.run('aws s3 cp a.txt s3://fast-uploads/a.txt --endpoint-url https://s3-accelerate.amazonaws.com');
    expect(r.code).toBe(1);
    expect(r.err).toContain('An error occurred (InvalidRequest) when calling the PutObject operation: S3 Transfer Acceleration is not configured on this bucket');
    t.ok('aws configure set s3.use_accelerate_endpoint true');
    r = t.run('aws s3api put-object --bucket fast-uploads --key a.txt --body a.txt --debug');
    expect(r.code).toBe(254);
    expect(r.err).toContain('fast-uploads.s3-accelerate.amazonaws.com');
    t.ok('aws s3api put-bucket-accelerate-configuration --bucket fast-uploads --accelerate-configuration Status=Enabled');
    expect(t.run('aws s3api put-object --bucket fast-uploads --key a.txt --body a.txt').code).toBe(0);
    t.ok('aws configure set s3.use_accelerate_endpoint false');
    t.ok('aws s3api put-bucket-accelerate-configuration --bucket fast-uploads --accelerate-configuration Status=Suspended');
    expect(t.run('aws s3 cp a.txt s3://fast-uploads/b.txt').code).toBe(0);
    // the profile's setting wins over the sandbox-wide one
    t.ok('sandbox config set s3.use_accelerate_endpoint true');
    expect(t.run('aws s3 cp a.txt s3://fast-uploads/b.txt').code).toBe(0);
    const t2 = term();
    t2.ok('aws s3 mb s3://fast-uploads');
    t2.write('a.txt', 'data');
    t2.ok('sandbox config set s3.use_accelerate_endpoint true');
    expect(t2.run('aws s3 cp a.txt s3://fast-uploads/b.txt').code).toBe(1);
    expect(isAccelerateUrl('https://s3-accelerate.amazonaws.com')).toBe(true);
    expect(isAccelerateUrl('https://s3-accelerate.dualstack.amazonaws.com/')).toBe(true);
    expect(isAccelerateUrl('https://s3.us-east-1.amazonaws.com')).toBe(false);
  });

  it('curl through BUCKET.s3-accelerate.amazonaws.com checks the bucket setting too', () => {
    const t = term();
    t.ok('aws s3 mb s3://fast-uploads');
    expect(t.ok('curl -i https://fast-uploads.s3-accelerate.amazonaws.com/x')).toContain('S3 Transfer Acceleration is not configured on this bucket');
  });
});

describe('simulated transfer times', () => {
  it('far away and big: acceleration helps; same region and small: it does not', () => {
    const far = estimateTransfer(1024 ** 3, 'eu-central-1', 'ap-southeast-2')!;
    expect(far.accelerated.seconds).toBeLessThan(far.direct.seconds / 2);
    expect(far.speedupPercent).toBeGreaterThan(50);
    expect(far.distanceKm).toBeGreaterThan(15000);
    const near = estimateTransfer(100 * 1024, 'eu-central-1', 'eu-central-1')!;
    expect(near.accelerated.seconds).toBeGreaterThan(near.direct.seconds);
    const nearBig = estimateTransfer(1024 ** 3, 'us-east-1', 'us-east-1')!;
    expect(Math.abs(nearBig.speedupPercent)).toBeLessThan(5);
    expect(nearestEdge(REGION_PLACES['eu-central-1']!).name).toBe('Frankfurt');
    // deterministic
    expect(estimateTransfer(5e8, 'sa-east-1', 'ap-northeast-1')).toEqual(estimateTransfer(5e8, 'sa-east-1', 'ap-northeast-1'));
  });

  it('sandbox network from REGION makes uploads report both durations; estimate compares them', () => {
    const t = term();
    t.ok('aws s3 mb s3://far-away --region ap-southeast-2');
    t.writeBytes('video.bin', new Uint8Array(3 * 1024 * 1024));
    expect(t.run('aws s3 cp video.bin s3://far-away/').err).toBe('');
    t.ok('sandbox network from eu-central-1');
    const r = t.run('aws s3 cp video.bin s3://far-away/');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/\[simulated network\] upload of 3\.0 MiB between Frankfurt \(eu-central-1\) and ap-southeast-2, 16,484 km: [\d.]+ s direct \(direct [\d.]+ s, accelerated via edge Frankfurt [\d.]+ s: acceleration \d+% faster\)/);
    const est = t.ok('sandbox network estimate 1GB --bucket far-away');
    expect(est).toMatch(/acceleration is \d+% faster/);
    expect(t.ok('sandbox network estimate 100KB --to eu-central-1')).toMatch(/slower/);
    t.ok('sandbox network from off');
    expect(t.run('aws s3 cp video.bin s3://far-away/').err).toBe('');
  });
});
