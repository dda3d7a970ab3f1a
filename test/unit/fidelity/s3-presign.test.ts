import { describe, it, expect } from 'vitest';
import { term } from '../s3/helpers';

describe('aws s3 presign', () => {
  it('signs an --expires-in above a week like the CLI (S3 refuses it only when the URL is used)', () => {
    const t = term();
    const r = t.run('aws s3 presign s3://photos/a.txt --expires-in 604801');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('X-Amz-Expires=604801&');
  });
});
