import { describe, it, expect } from 'vitest';
import { term } from '../s3/helpers';

// botocore sets EncodingType=url on S3 listings and decodes the keys; S3 encodes only when asked.
describe('S3 listings and EncodingType', () => {
  it('the CLI asks for url encoding and decodes: keys as stored, EncodingType in the full answer', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.write('a.txt', 'hi\n');
    t.ok('aws s3 cp a.txt "s3://photos/dir/a b+c é.txt"');
    const full = t.json('aws s3api list-objects-v2 --bucket photos --no-paginate');
    expect(Object.keys(full)).toEqual(['IsTruncated', 'Contents', 'Name', 'Prefix', 'MaxKeys', 'EncodingType', 'KeyCount']);
    expect(full.EncodingType).toBe('url');
    expect(full.Contents[0].Key).toBe('dir/a b+c é.txt');
    const cp = t.json('aws s3api list-objects-v2 --bucket photos --delimiter / --prefix "dir/a b" --no-paginate');
    expect(cp.Prefix).toBe('dir/a b');
    expect(t.json('aws s3api list-object-versions --bucket photos').Versions[0].Key).toBe('dir/a b+c é.txt');
    expect(t.json('aws s3api list-objects --bucket photos').Contents[0].Key).toBe('dir/a b+c é.txt');
    expect(t.ok('aws s3 ls s3://photos/dir/')).toContain(' a b+c é.txt');
  });

  it('--encoding-type url given by the learner: keys stay encoded, as S3 sent them', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.write('a.txt', 'hi\n');
    t.ok('aws s3 cp a.txt "s3://photos/a b+c.txt"');
    const out = t.json('aws s3api list-objects-v2 --bucket photos --encoding-type url --no-paginate');
    expect(out.Contents[0].Key).toBe('a+b%2Bc.txt');
    const direct = t.call('ListObjectsV2', { Bucket: 'photos' }).output;
    expect(direct.EncodingType).toBeUndefined();
    expect(direct.Contents[0].Key).toBe('a b+c.txt');
  });
});
