import { describe, it, expect } from 'vitest';
import { term } from '../s3/helpers';

// aws-cli#2929 / #3544: a folder without --recursive is attempted as one file and fails
describe('aws s3 cp FOLDER without --recursive', () => {
  it('fails per file (exit 1) with the errors the CLI prints, not "does not exist"', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.write('d/a.jpg', '1');
    const a = t.run('aws s3 cp d s3://photos/x');
    expect(a.code).toBe(1);
    expect(a.err).toBe("upload failed: ./d to s3://photos/x [Errno 21] Is a directory: '/home/learner/d'\n");
    const b = t.run('aws s3 cp d/ s3://photos/');
    expect(b.code).toBe(1);
    expect(b.err).toBe('upload failed: d/ to s3://photos/ Parameter validation failed:\nInvalid length for parameter Key, value: 0, valid range: 1-inf\n');
    expect(t.run('aws s3 cp missing s3://photos/').err).toBe('\nThe user-provided path missing does not exist.\n');
    expect(t.call('ListObjectsV2', { Bucket: 'photos' }).output.KeyCount).toBe(0);
  });
});
