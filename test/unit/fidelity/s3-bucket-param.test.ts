import { describe, it, expect } from 'vitest';
import { term } from '../s3/helpers';
import { parseAwsLine } from '../../../src/cli/aws/parse';

const MSG = 'Parameter validation failed:\nInvalid bucket name "bad name": Bucket name must match the regex "^[a-zA-Z0-9.\\-_]{1,255}$" or be an ARN matching the regex';

// botocore refuses a Bucket parameter that fails its regex before anything is sent.
describe('botocore client-side bucket name validation', () => {
  it('s3api: ParamValidation, exit 252, no request reaches S3', () => {
    const t = term();
    const r = t.run('aws s3api create-bucket --bucket "bad name"');
    expect(r.code).toBe(252);
    expect(r.err.startsWith(`\n${MSG}`)).toBe(true);
    expect(r.err).toContain('accesspoint[/:]');
    expect(t.sb.call({ service: 's3', operation: 'ListBuckets', input: {} }).ok && t.json('aws s3api list-buckets').Buckets).toEqual([]);
    expect(t.run('aws s3api head-object --bucket a/b --key x').code).toBe(252);
  });

  it('the parse-only mode (runner --parse) refuses it too', () => {
    const t = term();
    const r = parseAwsLine(t.se, 'aws s3api create-bucket --bucket "bad name"');
    expect(r?.exitCode).toBe(252);
    expect(r?.stderr).toContain('Invalid bucket name "bad name"');
    expect(parseAwsLine(t.se, 'aws s3api create-bucket --bucket good')?.exitCode).toBe(0);
  });

  it('names the regex accepts still go to S3, which answers InvalidBucketName', () => {
    const t = term();
    const r = t.run('aws s3api create-bucket --bucket Bad_Name');
    expect(r.code).toBe(254);
    expect(r.err).toContain('(InvalidBucketName)');
  });

  it('high-level commands report it per command as the CLI does', () => {
    const t = term();
    t.write('a.txt', 'hi\n');
    const mb = t.run('aws s3 mb "s3://bad name"');
    expect(mb.code).toBe(1);
    expect(mb.err.startsWith(`make_bucket failed: s3://bad name ${MSG}`)).toBe(true);
    const cp = t.run('aws s3 cp a.txt "s3://bad name/a.txt"');
    expect(cp.code).toBe(1);
    expect(cp.err.startsWith(`upload failed: ./a.txt to s3://bad name/a.txt ${MSG}`)).toBe(true);
    const ls = t.run('aws s3 ls "s3://bad name"');
    expect(ls.code).toBe(252);
    expect(ls.err.startsWith(`\n${MSG}`)).toBe(true);
  });

  it('make_bucket / remove_bucket failures show the path as typed', () => {
    const t = term();
    const r = t.run('aws s3 rb s3://nope/');
    expect(r.code).toBe(1);
    expect(r.err).toBe('remove_bucket failed: s3://nope/ An error occurred (NoSuchBucket) when calling the DeleteBucket operation: The specified bucket does not exist\n');
  });
});
