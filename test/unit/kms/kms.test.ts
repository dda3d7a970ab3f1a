import { describe, it, expect } from 'vitest';
import { term } from '../s3/helpers';

function withKey() {
  const t = term();
  const kid = t.ok('aws kms create-key --description photos --query KeyMetadata.KeyId --output text').trim();
  t.ok(`aws kms create-alias --alias-name alias/photos --target-key-id ${kid}`);
  return { t, kid, arn: `arn:aws:kms:us-east-1:123456789012:key/${kid}` };
}

describe('KMS keys and aliases', () => {
  it('create-key returns symmetric key metadata; describe-key finds it by id, ARN, alias and alias ARN', () => {
    const { t, kid, arn } = withKey();
    expect(kid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    for (const id of [kid, arn, 'alias/photos', 'arn:aws:kms:us-east-1:123456789012:alias/photos']) {
      const md = t.json(`aws kms describe-key --key-id ${id}`).KeyMetadata;
      expect(md).toMatchObject({ KeyId: kid, Arn: arn, KeyState: 'Enabled', Enabled: true, KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'photos' });
    }
    expect(t.json('aws kms list-keys').Keys).toEqual([{ KeyId: kid, KeyArn: arn }]);
  });

  it('unknown keys and aliases answer NotFoundException; a duplicate alias AlreadyExistsException; alias/aws/ is reserved', () => {
    const { t, kid } = withKey();
    let r = t.run('aws kms describe-key --key-id alias/nope');
    expect(r.code).toBe(254);
    expect(r.err).toContain("(NotFoundException) when calling the DescribeKey operation: Alias 'arn:aws:kms:us-east-1:123456789012:alias/nope' is not found.");
    r = t.run('aws kms describe-key --key-id 11111111-2222-3333-4444-555555555555');
    expect(r.err).toContain("Key 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555' does not exist");
    r = t.run(`aws kms create-alias --alias-name alias/photos --target-key-id ${kid}`);
    expect(r.err).toContain('(AlreadyExistsException)');
    r = t.run(`aws kms create-alias --alias-name alias/aws/mine --target-key-id ${kid}`);
    expect(r.code).toBe(254);
    expect(r.err).toContain('reserved');
  });

  it('list-aliases shows alias/aws/s3 without a target until S3 first uses it', () => {
    const t = term();
    let aliases = t.json('aws kms list-aliases').Aliases;
    expect(aliases).toEqual([{ AliasName: 'alias/aws/s3', AliasArn: 'arn:aws:kms:us-east-1:123456789012:alias/aws/s3' }]);
    t.ok('aws s3 mb s3://bkt1');
    t.write('f.txt', 'x');
    t.ok('aws s3api put-object --bucket bkt1 --key f --body f.txt --server-side-encryption aws:kms');
    aliases = t.json('aws kms list-aliases').Aliases;
    expect(aliases[0].TargetKeyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.json(`aws kms describe-key --key-id alias/aws/s3`).KeyMetadata.KeyManager).toBe('AWS');
    expect(t.run('aws kms disable-key --key-id ' + aliases[0].TargetKeyId).code).toBe(254);
  });
});

describe('KMS cryptography (simulated)', () => {
  it('encrypt gives a KMS-looking blob that decrypt opens; the encryption context must match', () => {
    const { t, arn } = withKey();
    t.write('secret.txt', 'top secret');
    const blob = t.ok('aws kms encrypt --key-id alias/photos --plaintext fileb://secret.txt --encryption-context app=web --query CiphertextBlob --output text').trim();
    expect(blob.startsWith('AQICAH')).toBe(true);
    const out = t.json(`aws kms decrypt --ciphertext-blob ${blob} --encryption-context app=web`);
    expect(out.KeyId).toBe(arn);
    expect(Buffer.from(out.Plaintext, 'base64').toString()).toBe('top secret');
    const bad = t.run(`aws kms decrypt --ciphertext-blob ${blob} --encryption-context app=other`);
    expect(bad.err).toContain('(InvalidCiphertextException) when calling the Decrypt operation');
    const tampered = blob.slice(0, -6) + (blob.at(-6) === 'A' ? 'B' : 'A') + blob.slice(-5);
    expect(t.run(`aws kms decrypt --ciphertext-blob ${tampered} --encryption-context app=web`).err).toContain('InvalidCiphertextException');
  });

  it('generate-data-key returns 32 bytes twice: plaintext and encrypted under the key', () => {
    const { t } = withKey();
    const out = t.json('aws kms generate-data-key --key-id alias/photos --key-spec AES_256');
    expect(Buffer.from(out.Plaintext, 'base64').length).toBe(32);
    const dec = t.json(`aws kms decrypt --ciphertext-blob ${out.CiphertextBlob}`);
    expect(dec.Plaintext).toBe(out.Plaintext);
    expect(t.run('aws kms generate-data-key --key-id alias/photos').err).toContain('ValidationException');
  });

  it('a disabled key refuses to encrypt and decrypt (DisabledException) until enabled again', () => {
    const { t, kid, arn } = withKey();
    t.write('p', 'hello');
    const blob = t.ok('aws kms encrypt --key-id alias/photos --plaintext fileb://p --query CiphertextBlob --output text').trim();
    t.ok(`aws kms disable-key --key-id ${kid}`);
    expect(t.json(`aws kms describe-key --key-id ${kid}`).KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    const r = t.run(`aws kms decrypt --ciphertext-blob ${blob}`);
    expect(r.err).toContain(`(DisabledException) when calling the Decrypt operation: ${arn} is disabled.`);
    expect(t.run('aws kms encrypt --key-id alias/photos --plaintext fileb://p').err).toContain('DisabledException');
    expect(t.run('aws kms disable-key --key-id alias/photos').err).toContain('NotFoundException');
    t.ok(`aws kms enable-key --key-id ${kid}`);
    expect(t.run(`aws kms decrypt --ciphertext-blob ${blob}`).code).toBe(0);
  });

  it('schedule-key-deletion: 7 to 30 days, PendingDeletion, cancel returns it Disabled, deleted on the simulated clock', () => {
    const { t, kid, arn } = withKey();
    expect(t.run(`aws kms schedule-key-deletion --key-id ${kid} --pending-window-in-days 6`).err).toContain(
      "Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
    );
    const s = t.json(`aws kms schedule-key-deletion --key-id ${kid} --pending-window-in-days 7`);
    expect(s).toEqual({ KeyId: arn, DeletionDate: '2026-01-12T09:00:00+00:00', KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(t.run('aws kms encrypt --key-id alias/photos --plaintext aGk=').err).toContain(`(KMSInvalidStateException) when calling the Encrypt operation: ${arn} is pending deletion.`);
    t.ok(`aws kms cancel-key-deletion --key-id ${kid}`);
    expect(t.json(`aws kms describe-key --key-id ${kid}`).KeyMetadata.KeyState).toBe('Disabled');
    t.ok(`aws kms schedule-key-deletion --key-id ${kid} --pending-window-in-days 7`);
    t.ok('sandbox clock advance 6d');
    expect(t.json(`aws kms describe-key --key-id ${kid}`).KeyMetadata.KeyState).toBe('PendingDeletion');
    t.ok('sandbox clock advance 1d');
    expect(t.run(`aws kms describe-key --key-id ${kid}`).err).toContain('NotFoundException');
    expect(t.json('aws kms list-aliases').Aliases.map((a: { AliasName: string }) => a.AliasName)).toEqual(['alias/aws/s3']);
  });

  it('key policies: the default one lets the account root do kms:*; put-key-policy validates JSON', () => {
    const { t, kid } = withKey();
    const p = JSON.parse(t.json(`aws kms get-key-policy --key-id ${kid}`).Policy);
    expect(p.Statement[0]).toMatchObject({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*' });
    expect(t.run(`aws kms put-key-policy --key-id ${kid} --policy '{not json'`).err).toContain('MalformedPolicyDocumentException');
    t.ok(`aws kms put-key-policy --key-id ${kid} --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:Describe*","Resource":"*"}]}'`);
    expect(JSON.parse(t.json(`aws kms get-key-policy --key-id ${kid}`).Policy).Statement[0].Action).toBe('kms:Describe*');
  });
});

describe('who may use a key (key policy + IAM)', () => {
  it('a user needs an IAM allow under the default key policy; S3 SSE-KMS needs kms:GenerateDataKey / kms:Decrypt', () => {
    const { t, kid, arn } = withKey();
    t.ok('aws s3 mb s3://team');
    t.write('f.txt', 'x');
    t.ok('aws s3api put-object --bucket team --key k --body f.txt --server-side-encryption aws:kms --ssekms-key-id alias/photos');
    t.ok('aws iam create-user --user-name dev');
    t.ok('aws iam attach-user-policy --user-name dev --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess');
    let r = t.run(`aws kms describe-key --key-id ${kid} --profile user:dev`);
    expect(r.code).toBe(254);
    expect(r.err).toContain(`(AccessDeniedException) when calling the DescribeKey operation: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: kms:DescribeKey on resource: ${arn}`);
    r = t.run('aws s3api get-object --bucket team --key k out --profile user:dev');
    expect(r.err).toContain('(AccessDenied) when calling the GetObject operation: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: kms:Decrypt');
    expect(t.run('aws s3api put-object --bucket team --key k2 --body f.txt --server-side-encryption aws:kms --ssekms-key-id alias/photos --profile user:dev').err).toContain('kms:GenerateDataKey');
    // the AWS managed key works through S3 for anyone of the account allowed to use S3
    expect(t.run('aws s3api put-object --bucket team --key k3 --body f.txt --server-side-encryption aws:kms --profile user:dev').code).toBe(0);
    expect(t.run('aws s3api get-object --bucket team --key k3 out --profile user:dev').code).toBe(0);
    // ... but not directly
    expect(t.run('aws kms encrypt --key-id alias/aws/s3 --plaintext aGk= --profile user:dev').err).toContain('AccessDeniedException');
    t.ok(
      `aws iam put-user-policy --user-name dev --policy-name use-photos-key --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey","kms:DescribeKey"],"Resource":"${arn}"}]}'`,
    );
    expect(t.run('aws s3api get-object --bucket team --key k out --profile user:dev').code).toBe(0);
    expect(t.run(`aws kms describe-key --key-id ${kid} --profile user:dev`).code).toBe(0);
    expect(t.run('aws kms list-keys --no-sign-request').code).toBe(254);
  });
});
