import { describe, it, expect } from 'vitest';
import { term } from '../s3/helpers';

// botocore's S3 paginators carry non-aggregate keys (RequestCharged, Prefix; Owner, Prefix for
// ListBuckets), so the merged result of the CLI shows them even when S3 left them out.
describe('S3 listing output as the AWS CLI v2 prints it', () => {
  it('list-objects-v2 on an empty bucket prints RequestCharged null and Prefix ""', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const r = t.run('aws s3api list-objects-v2 --bucket photos');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ RequestCharged: null, Prefix: '' });
    expect(Object.keys(JSON.parse(r.out))).toEqual(['RequestCharged', 'Prefix']);
  });

  it('the non-aggregate keys follow the result keys; --prefix is echoed', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.write('a.txt', 'hi\n');
    t.ok('aws s3 cp a.txt s3://photos/x/a.txt');
    const out = t.json('aws s3api list-objects-v2 --bucket photos --prefix x/');
    expect(Object.keys(out)).toEqual(['Contents', 'RequestCharged', 'Prefix']);
    expect(out.Prefix).toBe('x/');
    const v = t.json('aws s3api list-object-versions --bucket photos');
    expect(Object.keys(v)).toEqual(['Versions', 'RequestCharged', 'Prefix']);
    const u = t.json('aws s3api list-multipart-uploads --bucket photos');
    expect(u).toEqual({ RequestCharged: null, Prefix: '' });
  });

  it('text output prints the scalar line of the first page (sorted keys, None for null)', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    expect(t.ok('aws s3api list-objects-v2 --bucket photos --output text')).toBe('None\tNone\t\tNone\n');
    t.write('a.txt', 'hi\n');
    t.ok('aws s3 cp a.txt s3://photos/x/a.txt');
    const lines = t.ok('aws s3api list-objects-v2 --bucket photos --delimiter / --output text').split('\n');
    expect(lines[0]).toBe('None\t\tNone');
    expect(lines[1]).toBe('COMMONPREFIXES\tx/');
  });

  it('list-buckets prints Owner and Prefix (null without --prefix)', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const out = t.json('aws s3api list-buckets');
    expect(Object.keys(out)).toEqual(['Buckets', 'Owner', 'Prefix']);
    expect(out.Prefix).toBeNull();
    expect(t.json('aws s3api list-buckets --prefix ph').Prefix).toBe('ph');
  });
});
