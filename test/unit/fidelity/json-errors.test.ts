import { describe, it, expect } from 'vitest';
import { term } from '../s3/helpers';

describe('Invalid JSON positions as Python counts them', () => {
  it('an emoji before the error counts as one character', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const r = t.run(`aws s3api put-bucket-tagging --bucket photos --tagging '{"TagSet":[{"Key":"name","Value":"é🚀\\\\"q"}]}'`);
    expect(r.code).toBe(252);
    expect(r.err).toContain("Invalid JSON: Expecting ',' delimiter: line 1 column 40 (char 39)");
  });

  it('line and column on a later line', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const r = t.run(`aws s3api put-bucket-tagging --bucket photos --tagging '{"TagSet":\n [x]}'`);
    expect(r.err).toContain('Expecting value: line 2 column 3 (char 13)');
  });
});
