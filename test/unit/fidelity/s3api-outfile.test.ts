import { describe, it, expect } from 'vitest';
import { term } from '../s3/helpers';

describe('s3api get-object outfile errors (Python open() failing)', () => {
  it('prints [Errno N] ... with the path as typed, exit 255', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.write('a.txt', 'hi\n');
    t.ok('aws s3api put-object --bucket photos --key k --body a.txt');
    const a = t.run('aws s3api get-object --bucket photos --key k nodir/out.txt');
    expect(a.code).toBe(255);
    expect(a.err).toBe("\n[Errno 2] No such file or directory: 'nodir/out.txt'\n");
    const b = t.run('aws s3api get-object --bucket photos --key k /');
    expect(b.err).toBe("\n[Errno 21] Is a directory: '/'\n");
    expect(t.run('aws s3api get-object --bucket photos --key k out.txt').code).toBe(0);
  });
});
