import { describe, it, expect } from 'vitest';
import { world, check } from './helpers';

describe('http predicate', () => {
  it('fetches a website endpoint as an anonymous visitor; status, body and headers', () => {
    const { sandbox, run } = world();
    const url = 'http://site-1.s3-website-us-east-1.amazonaws.com/';
    let o = check(sandbox, { type: 'http', url, status: 200 });
    expect(o.met).toBe(false);
    expect(o.detail).toContain('answers 404 Not Found (NoSuchBucket), not 200');
    run('aws s3 mb s3://site-1', 'echo hello > index.html', 'aws s3 cp index.html s3://site-1/', 'aws s3 website s3://site-1 --index-document index.html');
    o = check(sandbox, { type: 'http', url, status: 403, headers: { 'x-amz-error-code': 'AccessDenied' } });
    expect(o.met).toBe(true);
    run(
      'aws s3api delete-public-access-block --bucket site-1',
      `aws s3api put-bucket-policy --bucket site-1 --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site-1/*"}]}'`,
    );
    expect(check(sandbox, { type: 'http', url, status: 200, bodyContains: 'hello' }).met).toBe(true);
    expect(check(sandbox, { type: 'http', url, bodyContains: 'bye' }).detail).toContain('does not contain "bye"');
    // the probe leaves no trace in the call log
    const before = sandbox.callLog().length;
    check(sandbox, { type: 'http', url });
    expect(sandbox.callLog().length).toBe(before);
  });
});

describe('encryption and kms-key predicates', () => {
  it('follow the key state and the object/bucket encryption', () => {
    const { sandbox, run } = world();
    expect(check(sandbox, { type: 'kms-key', key: 'alias/k' }).met).toBe(false);
    run('K=$(aws kms create-key --query KeyMetadata.KeyId --output text)', 'aws kms create-alias --alias-name alias/k --target-key-id $K', 'aws s3 mb s3://enc-1', 'echo x > f');
    expect(check(sandbox, { type: 'kms-key', key: 'alias/k', state: 'Enabled' }).met).toBe(true);
    run('aws s3api put-object --bucket enc-1 --key f --body f --server-side-encryption aws:kms --ssekms-key-id alias/k --bucket-key-enabled');
    expect(check(sandbox, { type: 'encryption', bucket: 'enc-1', key: 'f', algorithm: 'aws:kms', kmsKey: 'alias/k', bucketKey: true }).met).toBe(true);
    const wrong = check(sandbox, { type: 'encryption', bucket: 'enc-1', key: 'f', algorithm: 'AES256' });
    expect(wrong.met).toBe(false);
    expect(wrong.detail).toContain('uses aws:kms');
    expect(check(sandbox, { type: 'encryption', bucket: 'enc-1', algorithm: 'AES256' }).met).toBe(true);
    run('aws kms disable-key --key-id $K');
    expect(check(sandbox, { type: 'kms-key', key: 'alias/k', state: 'Enabled' }).detail).toContain('is Disabled, not Enabled');
    run('aws s3api put-object --bucket enc-1 --key c --body f --sse-customer-algorithm AES256 --sse-customer-key 0123456789abcdef0123456789abcdef');
    expect(check(sandbox, { type: 'encryption', bucket: 'enc-1', key: 'c', algorithm: 'SSE-C' }).met).toBe(true);
  });
});

describe('access predicate from a subnet', () => {
  it('sends the request through the subnet route table (VPC endpoint keys), or fails to connect', () => {
    const { sandbox, run } = world();
    run(
      "VPC=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text)",
      "SUB=$(aws ec2 create-subnet --vpc-id $VPC --cidr-block 10.0.1.0/24 --tag-specifications 'ResourceType=subnet,Tags=[{Key=Name,Value=app}]' --query Subnet.SubnetId --output text)",
      'RTB=$(aws ec2 create-route-table --vpc-id $VPC --query RouteTable.RouteTableId --output text)',
      'aws ec2 associate-route-table --route-table-id $RTB --subnet-id $SUB',
      'aws s3 mb s3://vpc-data',
    );
    const list = { type: 'access' as const, as: 'admin', operation: 'ListObjectsV2', input: { Bucket: 'vpc-data' }, from: 'subnet:app' };
    const o = check(sandbox, { ...list, allowed: true });
    expect(o.met).toBe(false);
    expect(o.detail).toContain('cannot reach the service');
    expect(check(sandbox, { ...list, allowed: false }).met).toBe(true);
    run('VPCE=$(aws ec2 create-vpc-endpoint --vpc-id $VPC --service-name com.amazonaws.us-east-1.s3 --route-table-ids $RTB --query VpcEndpoint.VpcEndpointId --output text)');
    expect(check(sandbox, { ...list, allowed: true }).met).toBe(true);
    const vpce = run('echo $VPCE').trim();
    run(
      `aws s3api put-bucket-policy --bucket vpc-data --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::vpc-data","arn:aws:s3:::vpc-data/*"],"Condition":{"StringNotEquals":{"aws:SourceVpce":"${vpce}"}}}]}'`,
    );
    expect(check(sandbox, { ...list, allowed: true }).met).toBe(true);
    expect(check(sandbox, { ...list, from: 'internet', allowed: false }).met).toBe(true);
    expect(check(sandbox, { ...list, from: 'subnet:nope', allowed: true }).detail).toContain('there is no subnet nope');
  });
});
