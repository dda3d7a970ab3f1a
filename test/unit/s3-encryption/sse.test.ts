import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { term } from '../s3/helpers';

const KEY = '0123456789abcdef0123456789abcdef';
const OTHER = 'ffffffffffffffffffffffffffffffff';
const keyMd5 = (k: string) => createHash('md5').update(k).digest('base64');

function setup() {
  const t = term();
  t.ok('aws s3 mb s3://vault');
  t.write('doc.txt', 'private words\n');
  const kid = t.ok('aws kms create-key --query KeyMetadata.KeyId --output text').trim();
  t.ok(`aws kms create-alias --alias-name alias/vault --target-key-id ${kid}`);
  return { t, kid, arn: `arn:aws:kms:us-east-1:123456789012:key/${kid}` };
}

describe('SSE-S3 and default bucket encryption', () => {
  it('every new object is encrypted with AES256 by default; get-bucket-encryption says so', () => {
    const { t } = setup();
    const cfg = t.json('aws s3api get-bucket-encryption --bucket vault').ServerSideEncryptionConfiguration.Rules[0];
    expect(cfg.ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
    expect(t.json('aws s3api put-object --bucket vault --key a --body doc.txt').ServerSideEncryption).toBe('AES256');
    const head = t.json('aws s3api head-object --bucket vault --key a');
    expect(head.ServerSideEncryption).toBe('AES256');
    expect(head.SSEKMSKeyId).toBeUndefined();
  });

  it('a bucket default of aws:kms with a key and bucket keys applies to new objects (full key ARN shown)', () => {
    const { t, arn } = setup();
    t.ok(`aws s3api put-bucket-encryption --bucket vault --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/vault"},"BucketKeyEnabled":true}]}'`);
    const put = t.json('aws s3api put-object --bucket vault --key a --body doc.txt');
    expect(put).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn, BucketKeyEnabled: true });
    const head = t.json('aws s3api head-object --bucket vault --key a');
    expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn, BucketKeyEnabled: true });
    // the ETag of an SSE-KMS object is not the MD5 of its content
    expect(head.ETag).not.toBe(`"${createHash('md5').update('private words\n').digest('hex')}"`);
    t.ok('aws s3api delete-bucket-encryption --bucket vault');
    expect(t.json('aws s3api put-object --bucket vault --key b --body doc.txt').ServerSideEncryption).toBe('AES256');
  });
});

describe('SSE-KMS per request', () => {
  it('put-object --server-side-encryption aws:kms --ssekms-key-id ALIAS --bucket-key-enabled', () => {
    const { t, arn } = setup();
    const put = t.json('aws s3api put-object --bucket vault --key k --body doc.txt --server-side-encryption aws:kms --ssekms-key-id alias/vault --bucket-key-enabled');
    expect(put).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn, BucketKeyEnabled: true });
    const get = t.json('aws s3api get-object --bucket vault --key k out.txt');
    expect(get).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn });
    expect(t.ok('cat out.txt')).toBe('private words\n');
  });

  it('without a key id S3 uses the AWS managed key alias/aws/s3, created on first use', () => {
    const { t } = setup();
    const put = t.json('aws s3api put-object --bucket vault --key k --body doc.txt --server-side-encryption aws:kms');
    const managed = t.json('aws kms describe-key --key-id alias/aws/s3').KeyMetadata;
    expect(put.SSEKMSKeyId).toBe(managed.Arn);
    expect(managed.KeyManager).toBe('AWS');
    expect(put.BucketKeyEnabled).toBeUndefined();
  });

  it('a KMS key id without aws:kms is refused; an unknown key gives KMS.NotFoundException', () => {
    const { t } = setup();
    let r = t.run('aws s3api put-object --bucket vault --key k --body doc.txt --ssekms-key-id alias/vault');
    expect(r.code).toBe(254);
    expect(r.err).toContain('(InvalidArgument) when calling the PutObject operation: Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms');
    r = t.run('aws s3api put-object --bucket vault --key k --body doc.txt --server-side-encryption aws:kms --ssekms-key-id alias/missing');
    expect(r.err).toContain('(KMS.NotFoundException) when calling the PutObject operation');
  });

  it('GetObject of an object under a disabled key fails with KMS.DisabledException; HeadObject still works; enabling fixes it', () => {
    const { t, kid, arn } = setup();
    t.ok('aws s3api put-object --bucket vault --key k --body doc.txt --server-side-encryption aws:kms --ssekms-key-id alias/vault');
    t.ok(`aws kms disable-key --key-id ${kid}`);
    const r = t.run('aws s3api get-object --bucket vault --key k out.txt');
    expect(r.code).toBe(254);
    expect(r.err).toContain(`An error occurred (KMS.DisabledException) when calling the GetObject operation: ${arn} is disabled.`);
    expect(t.run('aws s3 cp s3://vault/k -').code).toBe(1);
    expect(t.json('aws s3api head-object --bucket vault --key k').SSEKMSKeyId).toBe(arn);
    expect(t.run('aws s3api put-object --bucket vault --key k2 --body doc.txt --server-side-encryption aws:kms --ssekms-key-id alias/vault').err).toContain('KMS.DisabledException');
    t.ok(`aws kms enable-key --key-id ${kid}`);
    expect(t.ok('aws s3 cp s3://vault/k -')).toBe('private words\n');
  });

  it('an object whose key is pending deletion cannot be read (KMS.KMSInvalidStateException)', () => {
    const { t, kid } = setup();
    t.ok('aws s3api put-object --bucket vault --key k --body doc.txt --server-side-encryption aws:kms --ssekms-key-id alias/vault');
    t.ok(`aws kms schedule-key-deletion --key-id ${kid} --pending-window-in-days 7`);
    expect(t.run('aws s3api get-object --bucket vault --key k out.txt').err).toContain('KMS.KMSInvalidStateException');
  });

  it('copy-object can re-encrypt with another key; the copy does not keep the source encryption', () => {
    const { t, arn } = setup();
    t.ok('aws s3api put-object --bucket vault --key k --body doc.txt --server-side-encryption aws:kms --ssekms-key-id alias/vault');
    const plain = t.json('aws s3api copy-object --bucket vault --key plain --copy-source vault/k');
    expect(plain.ServerSideEncryption).toBe('AES256');
    const again = t.json('aws s3api copy-object --bucket vault --key k --copy-source vault/k --server-side-encryption aws:kms --ssekms-key-id alias/vault');
    expect(again.SSEKMSKeyId).toBe(arn);
  });

  it('multipart uploads (aws s3 cp above 8 MiB) carry the encryption to the object', () => {
    const { t, arn } = setup();
    t.writeBytes('big.bin', new Uint8Array(9 * 1024 * 1024));
    const created = t.json('aws s3api create-multipart-upload --bucket vault --key big --server-side-encryption aws:kms --ssekms-key-id alias/vault');
    expect(created.SSEKMSKeyId).toBe(arn);
    t.ok(`aws s3api upload-part --bucket vault --key big --part-number 1 --upload-id ${created.UploadId} --body big.bin`);
    const etag = t.json(`aws s3api list-parts --bucket vault --key big --upload-id ${created.UploadId}`).Parts[0].ETag;
    const done = t.json(`aws s3api complete-multipart-upload --bucket vault --key big --upload-id ${created.UploadId} --multipart-upload 'Parts=[{PartNumber=1,ETag=${etag}}]'`);
    expect(done.ServerSideEncryption).toBe('aws:kms');
    expect(t.json('aws s3api head-object --bucket vault --key big').SSEKMSKeyId).toBe(arn);
  });
});

describe('SSE-C (customer-provided keys)', () => {
  it('put with a customer key returns its MD5; S3 keeps only the MD5', () => {
    const { t } = setup();
    const put = t.json(`aws s3api put-object --bucket vault --key c --body doc.txt --sse-customer-algorithm AES256 --sse-customer-key ${KEY}`);
    expect(put).toMatchObject({ SSECustomerAlgorithm: 'AES256', SSECustomerKeyMD5: keyMd5(KEY) });
    expect(put.ServerSideEncryption).toBeUndefined();
    const rows = JSON.stringify([...t.sb.db.table('s3.objects').values()]);
    expect(rows).not.toContain(KEY);
    expect(rows).toContain(keyMd5(KEY));
  });

  it('GET without the key: InvalidRequest; with another key: 403 AccessDenied; HEAD: 400/403 without a body; with the key: the object', () => {
    const { t } = setup();
    t.ok(`aws s3api put-object --bucket vault --key c --body doc.txt --sse-customer-algorithm AES256 --sse-customer-key ${KEY}`);
    let r = t.run('aws s3api get-object --bucket vault --key c out.txt');
    expect(r.code).toBe(254);
    expect(r.err).toContain(
      'An error occurred (InvalidRequest) when calling the GetObject operation: The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
    );
    r = t.run(`aws s3api get-object --bucket vault --key c out.txt --sse-customer-algorithm AES256 --sse-customer-key ${OTHER}`);
    expect(r.err).toContain('(AccessDenied) when calling the GetObject operation: Access Denied');
    expect(t.run('aws s3api head-object --bucket vault --key c').err).toContain('(400) when calling the HeadObject operation: Bad Request');
    expect(t.run(`aws s3api head-object --bucket vault --key c --sse-customer-algorithm AES256 --sse-customer-key ${OTHER}`).err).toContain('(403) when calling the HeadObject operation: Forbidden');
    const head = t.json(`aws s3api head-object --bucket vault --key c --sse-customer-algorithm AES256 --sse-customer-key ${KEY}`);
    expect(head).toMatchObject({ SSECustomerAlgorithm: 'AES256', SSECustomerKeyMD5: keyMd5(KEY) });
    t.ok(`aws s3api get-object --bucket vault --key c out.txt --sse-customer-algorithm AES256 --sse-customer-key ${KEY}`);
    expect(t.ok('cat out.txt')).toBe('private words\n');
  });

  it('validates the key: 256 bits, matching MD5, not combined with another SSE method', () => {
    const { t } = setup();
    expect(t.run('aws s3api put-object --bucket vault --key c --body doc.txt --sse-customer-algorithm AES256 --sse-customer-key short').err).toContain(
      'The secret key was invalid for the specified algorithm.',
    );
    expect(t.run(`aws s3api put-object --bucket vault --key c --body doc.txt --sse-customer-algorithm AES256 --sse-customer-key ${KEY} --sse-customer-key-md5 ${keyMd5(OTHER)}`).err).toContain(
      'The calculated MD5 hash of the key did not match the hash that was provided.',
    );
    expect(t.run(`aws s3api put-object --bucket vault --key c --body doc.txt --sse-customer-algorithm AES256 --sse-customer-key ${KEY} --server-side-encryption AES256`).code).toBe(254);
    t.ok('aws s3api put-object --bucket vault --key plain --body doc.txt');
    expect(t.run(`aws s3api get-object --bucket vault --key plain out.txt --sse-customer-algorithm AES256 --sse-customer-key ${KEY}`).err).toContain('InvalidRequest');
  });

  it('copy-object of an SSE-C source needs the copy-source key', () => {
    const { t } = setup();
    t.ok(`aws s3api put-object --bucket vault --key c --body doc.txt --sse-customer-algorithm AES256 --sse-customer-key ${KEY}`);
    expect(t.run('aws s3api copy-object --bucket vault --key d --copy-source vault/c').err).toContain('InvalidRequest');
    const ok = t.json(`aws s3api copy-object --bucket vault --key d --copy-source vault/c --copy-source-sse-customer-algorithm AES256 --copy-source-sse-customer-key ${KEY}`);
    expect(ok.ServerSideEncryption).toBe('AES256');
  });
});

describe('client-side encryption', () => {
  it('sandbox encrypt with a KMS key: the file (and S3) hold only ciphertext; sandbox decrypt asks KMS for the data key', () => {
    const { t, kid } = setup();
    t.ok('sandbox encrypt --key-id alias/vault doc.txt doc.enc');
    const stored = t.ok('cat doc.enc');
    expect(stored).not.toContain('private words');
    expect(stored.startsWith('NIMBUS-CSE/1 ')).toBe(true);
    t.ok('aws s3 cp doc.enc s3://vault/doc.enc');
    t.ok('aws s3 cp s3://vault/doc.enc back.enc');
    const calls = t.sb.callLog().length;
    t.ok('sandbox decrypt back.enc back.txt');
    expect(t.ok('cat back.txt')).toBe('private words\n');
    expect(t.sb.callLog().slice(calls).map((c) => c.operation)).toEqual(['Decrypt']);
    t.ok(`aws kms disable-key --key-id ${kid}`);
    const r = t.run('sandbox decrypt back.enc again.txt');
    expect(r.code).toBe(1);
    expect(r.err).toContain('DisabledException');
  });

  it('with a client-side master key AWS is never called; the wrong master key fails', () => {
    const { t } = setup();
    t.ok('sandbox encrypt --new-master-key master.key');
    t.ok('sandbox encrypt --new-master-key other.key');
    const calls = t.sb.callLog().length;
    t.ok('sandbox encrypt --master-key-file master.key doc.txt doc.enc');
    expect(t.ok('cat doc.enc')).not.toContain('private words');
    expect(t.run('sandbox decrypt doc.enc x.txt').err).toContain('--master-key-file');
    expect(t.run('sandbox decrypt doc.enc x.txt --master-key-file other.key').err).toContain('wrong key');
    t.ok('sandbox decrypt doc.enc x.txt --master-key-file master.key');
    expect(t.ok('cat x.txt')).toBe('private words\n');
    expect(t.sb.callLog().length).toBe(calls);
  });
});

describe('the SSE-C key is not kept anywhere', () => {
  it('the call log redacts it', () => {
    const t = term();
    t.ok('aws s3 mb s3://vault');
    t.write('doc.txt', 'x');
    t.ok(`aws s3api put-object --bucket vault --key c --body doc.txt --sse-customer-algorithm AES256 --sse-customer-key ${KEY}`);
    const last = t.sb.callLog().at(-1)!;
    expect(last.input['SSECustomerKey']).toBe('*** (sensitive, not logged)');
    expect(JSON.stringify(t.sb.callLog())).not.toContain(KEY);
  });
});

describe('aws s3 cp with encryption options', () => {
  it('--sse aws:kms --sse-kms-key-id, and --sse-c/--sse-c-key for upload, download and copy', () => {
    const t = term();
    t.ok('aws s3 mb s3://vault');
    t.write('doc.txt', 'private words\n');
    t.ok('K=$(aws kms create-key --query KeyMetadata.KeyId --output text); aws kms create-alias --alias-name alias/vault --target-key-id $K');
    t.ok('aws s3 cp doc.txt s3://vault/kms.txt --sse aws:kms --sse-kms-key-id alias/vault');
    expect(t.json('aws s3api head-object --bucket vault --key kms.txt').ServerSideEncryption).toBe('aws:kms');
    t.ok(`aws s3 cp doc.txt s3://vault/c.txt --sse-c AES256 --sse-c-key ${KEY}`);
    expect(t.run('aws s3 cp s3://vault/c.txt got.txt').code).toBe(1);
    t.ok(`aws s3 cp s3://vault/c.txt got.txt --sse-c AES256 --sse-c-key ${KEY}`);
    expect(t.ok('cat got.txt')).toBe('private words\n');
    expect(t.ok(`aws s3 cp s3://vault/c.txt - --sse-c AES256 --sse-c-key ${KEY}`)).toBe('private words\n');
    t.ok(`aws s3 cp s3://vault/c.txt s3://vault/plain.txt --sse-c-copy-source AES256 --sse-c-copy-source-key ${KEY}`);
    expect(t.ok('aws s3 cp s3://vault/plain.txt -')).toBe('private words\n');
  });
});

describe('sandbox s3 stored', () => {
  it('shows ciphertext and what S3 keeps to decrypt it, per encryption type', () => {
    const t = term();
    t.ok('aws s3 mb s3://vault');
    t.write('doc.txt', 'private words\n');
    t.ok('K=$(aws kms create-key --query KeyMetadata.KeyId --output text)');
    t.ok('aws s3 cp doc.txt s3://vault/kms --sse aws:kms --sse-kms-key-id $K');
    t.ok(`aws s3 cp doc.txt s3://vault/c --sse-c AES256 --sse-c-key ${KEY}`);
    const kms = t.ok('sandbox s3 stored s3://vault/kms');
    expect(kms).toContain('Encryption: SSE-KMS (aws:kms) under arn:aws:kms:us-east-1:123456789012:key/');
    expect(kms).toMatch(/only KMS can open it\):\n {2}AQICAH/);
    expect(kms).not.toContain('private words');
    const c = t.ok('sandbox s3 stored s3://vault/c');
    expect(c).toContain(`its MD5 ${keyMd5(KEY)}`);
    expect(c).not.toContain(KEY);
    expect(t.run('sandbox s3 stored s3://vault/missing').code).toBe(1);
  });
});
