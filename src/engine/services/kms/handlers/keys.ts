/** KMS operations: keys, aliases, key state and deletion, key policies, and the cryptographic calls. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { isoTime } from '../../../clock';
import { tryParsePolicy } from '../../../policy';
import { kmsErrors } from '../errors';
import {
  aliases,
  aliasArn,
  aliasKey,
  AWS_MANAGED_ALIASES,
  DELETE_TIMER,
  findKey,
  keyArn,
  keyMetadata,
  keys,
  newKey,
  requireUsable,
  type KeyRow,
} from '../model';
import { sealBlob, openBlob, blobKeyId, hexBytes } from '../crypto';

const keyIdArg = (doc = 'A key id, key ARN, alias name (alias/...) or alias ARN.') => s.str({ doc, min: 1, max: 2048, complete: 'kms-key' });
const EncryptionContext = () => s.map(s.str(), { doc: 'Key-value pairs bound to the ciphertext: Decrypt must be given the same ones.' });
const GrantTokens = () => s.list(s.str());

function page<T>(items: T[], marker: string | undefined, limit: number | undefined): { items: T[]; next?: string } {
  const lim = limit ?? 100;
  if (limit !== undefined && (limit < 1 || limit > 1000)) {
    throw kmsErrors.validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`);
  }
  const start = marker ? Number(marker) : 0;
  if (!Number.isInteger(start) || start < 0) throw kmsErrors.validation('Could not unmarshal marker');
  const slice = items.slice(start, start + lim);
  return { items: slice, ...(start + lim < items.length ? { next: String(start + lim) } : {}) };
}

function regionKeys(ctx: Ctx): KeyRow[] {
  return keys(ctx)
    .filter((k) => k.region === ctx.region && k.account === ctx.accountId)
    .sort((a, b) => a.created - b.created || a.keyId.localeCompare(b.keyId));
}

function customerKey(ctx: Ctx, id: string): KeyRow {
  const k = findKey(ctx, id, false);
  if (k.manager === 'AWS') throw kmsErrors.awsManaged(keyArn(k));
  return k;
}

export const CreateKey = op({
  name: 'CreateKey',
  doc: 'Creates a customer managed symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT). Simulated: key material never leaves Nimbus.',
  input: s.struct({
    Policy: s.str({ doc: 'The key policy (JSON); by default the account root may do everything (kms:*).' }),
    Description: s.str({ max: 8192 }),
    KeyUsage: s.enum(['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const),
    CustomerMasterKeySpec: s.str(),
    KeySpec: s.str(),
    Origin: s.enum(['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const),
    CustomKeyStoreId: s.str(),
    BypassPolicyLockoutSafetyCheck: s.bool(),
    Tags: s.list(s.struct({ TagKey: s.str(), TagValue: s.str() }, ['TagKey', 'TagValue'])),
    MultiRegion: s.bool(),
    XksKeyId: s.str(),
  }),
  errors: ['MalformedPolicyDocumentException', 'ValidationException'],
  example: 'aws kms create-key --description "photos key"',
  handler: (ctx, input) => {
    const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
    if (spec !== 'SYMMETRIC_DEFAULT' || (input.KeyUsage && input.KeyUsage !== 'ENCRYPT_DECRYPT') || (input.Origin && input.Origin !== 'AWS_KMS') || input.MultiRegion) {
      throw kmsErrors.validation('Nimbus simulates symmetric encryption keys only (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT, Origin AWS_KMS, single-Region).');
    }
    if (input.Policy !== undefined) checkPolicy(input.Policy);
    const k = newKey(ctx, { description: input.Description ?? '', ...(input.Policy ? { policy: input.Policy } : {}), tags: input.Tags ?? [] });
    return { KeyMetadata: keyMetadata(k) };
  },
});

function checkPolicy(text: string): void {
  if (text.length > 32768) throw kmsErrors.malformedPolicy('Policy exceeds the maximum size of 32 KB.');
  const r = tryParsePolicy(text, 'resource');
  if (!r.ok) throw kmsErrors.malformedPolicy(r.error.message);
}

export const DescribeKey = op({
  name: 'DescribeKey',
  doc: "Shows a key's metadata: ARN, state (Enabled, Disabled, PendingDeletion), manager (AWS or CUSTOMER), deletion date.",
  input: s.struct({ KeyId: keyIdArg(), GrantTokens: GrantTokens() }, ['KeyId']),
  errors: ['NotFoundException'],
  example: 'aws kms describe-key --key-id alias/photos',
  readOnly: false,
  handler: (ctx, input) => ({ KeyMetadata: keyMetadata(findKey(ctx, input.KeyId)) }),
});

export const ListKeys = op({
  name: 'ListKeys',
  doc: 'Lists the keys of the region (id and ARN), AWS managed ones included once they exist.',
  input: s.struct({ Limit: s.int({ min: 1, max: 1000 }), Marker: s.str() }),
  paginator: { inputToken: 'Marker', outputToken: 'NextMarker', limitKey: 'Limit', resultKeys: ['Keys'], moreResults: 'Truncated' },
  readOnly: true,
  handler: (ctx, input) => {
    const p = page(regionKeys(ctx), input.Marker, input.Limit);
    return { Keys: p.items.map((k) => ({ KeyId: k.keyId, KeyArn: keyArn(k) })), ...(p.next ? { NextMarker: p.next } : {}), Truncated: !!p.next };
  },
});

export const CreateAlias = op({
  name: 'CreateAlias',
  doc: 'Gives a key a friendly name (alias/NAME) usable wherever a key id is.',
  input: s.struct({ AliasName: s.str({ min: 1, max: 256 }), TargetKeyId: keyIdArg('The key id or ARN (not an alias).') }, ['AliasName', 'TargetKeyId']),
  errors: ['AlreadyExistsException', 'NotFoundException', 'ValidationException'],
  example: 'aws kms create-alias --alias-name alias/photos --target-key-id 1234abcd-12ab-34cd-56ef-1234567890ab',
  handler: (ctx, input) => {
    const name = input.AliasName;
    if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(name)) {
      throw kmsErrors.validation(
        `1 validation error detected: Value '${name}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$`,
      );
    }
    if (name.startsWith('alias/aws/')) throw kmsErrors.reservedAlias(name);
    const k = customerKey(ctx, input.TargetKeyId);
    if (k.state === 'PendingDeletion') throw kmsErrors.pendingDeletion(keyArn(k));
    const id = aliasKey(ctx.region, name);
    if (aliases(ctx).get(id)) throw kmsErrors.aliasExists(aliasArn(ctx.region, ctx.accountId, name));
    const now = ctx.now();
    aliases(ctx).set(id, { name, region: ctx.region, targetKeyId: k.keyId, created: now, updated: now });
    return {};
  },
});

export const UpdateAlias = op({
  name: 'UpdateAlias',
  doc: 'Points an existing alias at another key.',
  input: s.struct({ AliasName: s.str(), TargetKeyId: keyIdArg() }, ['AliasName', 'TargetKeyId']),
  errors: ['NotFoundException'],
  handler: (ctx, input) => {
    const id = aliasKey(ctx.region, input.AliasName);
    const a = aliases(ctx).get(id);
    if (!a || input.AliasName.startsWith('alias/aws/')) throw kmsErrors.aliasNotFound(aliasArn(ctx.region, ctx.accountId, input.AliasName));
    const k = customerKey(ctx, input.TargetKeyId);
    aliases(ctx).set(id, { ...a, targetKeyId: k.keyId, updated: ctx.now() });
    return {};
  },
});

export const DeleteAlias = op({
  name: 'DeleteAlias',
  doc: 'Deletes an alias (the key stays).',
  input: s.struct({ AliasName: s.str() }, ['AliasName']),
  errors: ['NotFoundException'],
  handler: (ctx, input) => {
    const id = aliasKey(ctx.region, input.AliasName);
    if (input.AliasName.startsWith('alias/aws/')) throw kmsErrors.reservedAlias(input.AliasName);
    if (!aliases(ctx).get(id)) throw kmsErrors.aliasNotFound(aliasArn(ctx.region, ctx.accountId, input.AliasName));
    aliases(ctx).delete(id);
    return {};
  },
});

export const ListAliases = op({
  name: 'ListAliases',
  doc: 'Lists aliases: yours and the AWS managed ones (alias/aws/s3 has no TargetKeyId until S3 first uses it).',
  input: s.struct({ KeyId: keyIdArg(), Limit: s.int({ min: 1, max: 100 }), Marker: s.str() }),
  paginator: { inputToken: 'Marker', outputToken: 'NextMarker', limitKey: 'Limit', resultKeys: ['Aliases'], moreResults: 'Truncated' },
  readOnly: true,
  handler: (ctx, input) => {
    const only = input.KeyId !== undefined ? findKey(ctx, input.KeyId, false).keyId : undefined;
    const rows = aliases(ctx).filter((a) => a.region === ctx.region);
    const list: Record<string, unknown>[] = rows.map((a) => ({
      AliasName: a.name,
      AliasArn: aliasArn(ctx.region, ctx.accountId, a.name),
      TargetKeyId: a.targetKeyId,
      CreationDate: isoTime(a.created),
      LastUpdatedDate: isoTime(a.updated),
    }));
    for (const name of AWS_MANAGED_ALIASES) {
      if (!rows.some((a) => a.name === name)) list.push({ AliasName: name, AliasArn: aliasArn(ctx.region, ctx.accountId, name) });
    }
    list.sort((a, b) => String(a['AliasName']).localeCompare(String(b['AliasName'])));
    const filtered = only ? list.filter((a) => a['TargetKeyId'] === only) : list;
    const p = page(filtered, input.Marker, input.Limit);
    return { Aliases: p.items, ...(p.next ? { NextMarker: p.next } : {}), Truncated: !!p.next };
  },
});

export const EnableKey = op({
  name: 'EnableKey',
  doc: 'Turns a disabled key back on.',
  input: s.struct({ KeyId: keyIdArg('The key id or ARN.') }, ['KeyId']),
  errors: ['NotFoundException', 'KMSInvalidStateException'],
  handler: (ctx, input) => {
    const k = customerKey(ctx, input.KeyId);
    if (k.state === 'PendingDeletion') throw kmsErrors.pendingDeletion(keyArn(k));
    keys(ctx).set(k.keyId, { ...k, state: 'Enabled' });
    return {};
  },
});

export const DisableKey = op({
  name: 'DisableKey',
  doc: 'Turns a key off: nothing can encrypt or decrypt with it (S3 objects under it can no longer be read) until EnableKey.',
  input: s.struct({ KeyId: keyIdArg('The key id or ARN.') }, ['KeyId']),
  errors: ['NotFoundException', 'KMSInvalidStateException'],
  example: 'aws kms disable-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab',
  handler: (ctx, input) => {
    const k = customerKey(ctx, input.KeyId);
    if (k.state === 'PendingDeletion') throw kmsErrors.pendingDeletion(keyArn(k));
    keys(ctx).set(k.keyId, { ...k, state: 'Disabled' });
    return {};
  },
});

export const ScheduleKeyDeletion = op({
  name: 'ScheduleKeyDeletion',
  doc: 'Schedules a key for deletion after a waiting period of 7 to 30 days (30 by default) on the simulated clock. Until then CancelKeyDeletion can save it; afterwards everything encrypted under it is lost.',
  input: s.struct({ KeyId: keyIdArg('The key id or ARN.'), PendingWindowInDays: s.int({ min: 1, max: 365 }) }, ['KeyId']),
  errors: ['NotFoundException', 'KMSInvalidStateException', 'ValidationException'],
  example: 'aws kms schedule-key-deletion --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --pending-window-in-days 7',
  handler: (ctx, input) => {
    const days = input.PendingWindowInDays ?? 30;
    if (days < 7 || days > 30) {
      throw kmsErrors.validation(
        `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value ${days < 7 ? 'greater than or equal to 7' : 'less than or equal to 30'}`,
      );
    }
    const k = customerKey(ctx, input.KeyId);
    if (k.state === 'PendingDeletion') throw kmsErrors.pendingDeletion(keyArn(k));
    const when = ctx.now() + days * 86_400_000;
    keys(ctx).set(k.keyId, { ...k, state: 'PendingDeletion', deletionDate: when, pendingWindowInDays: days });
    ctx.scheduler.schedule(when, DELETE_TIMER, { keyId: k.keyId });
    return { KeyId: keyArn(k), DeletionDate: isoTime(when), KeyState: 'PendingDeletion', PendingWindowInDays: days };
  },
});

export const CancelKeyDeletion = op({
  name: 'CancelKeyDeletion',
  doc: 'Cancels a scheduled deletion. The key comes back Disabled: enable it to use it again.',
  input: s.struct({ KeyId: keyIdArg('The key id or ARN.') }, ['KeyId']),
  errors: ['NotFoundException', 'KMSInvalidStateException'],
  handler: (ctx, input) => {
    const k = customerKey(ctx, input.KeyId);
    if (k.state !== 'PendingDeletion') throw kmsErrors.notPendingDeletion(keyArn(k));
    const next: KeyRow = { ...k, state: 'Disabled' };
    delete next.deletionDate;
    delete next.pendingWindowInDays;
    keys(ctx).set(k.keyId, next);
    ctx.scheduler.cancelWhere(DELETE_TIMER, (p) => (p as { keyId: string }).keyId === k.keyId);
    return { KeyId: keyArn(k) };
  },
});

export const GetKeyPolicy = op({
  name: 'GetKeyPolicy',
  doc: "Shows a key's policy (its only policy is named default).",
  input: s.struct({ KeyId: keyIdArg('The key id or ARN.'), PolicyName: s.str() }, ['KeyId']),
  errors: ['NotFoundException'],
  readOnly: true,
  handler: (ctx, input) => {
    const k = findKey(ctx, input.KeyId, false);
    if (input.PolicyName !== undefined && input.PolicyName !== 'default') throw kmsErrors.validation("The policy name must be 'default'.");
    return { Policy: k.policy, PolicyName: 'default' };
  },
});

export const PutKeyPolicy = op({
  name: 'PutKeyPolicy',
  doc: "Replaces a key's policy (name default).",
  input: s.struct({ KeyId: keyIdArg('The key id or ARN.'), PolicyName: s.str(), Policy: s.str(), BypassPolicyLockoutSafetyCheck: s.bool() }, ['KeyId', 'Policy']),
  errors: ['NotFoundException', 'MalformedPolicyDocumentException'],
  handler: (ctx, input) => {
    const k = customerKey(ctx, input.KeyId);
    if (input.PolicyName !== undefined && input.PolicyName !== 'default') throw kmsErrors.validation("The policy name must be 'default'.");
    checkPolicy(input.Policy);
    keys(ctx).set(k.keyId, { ...k, policy: input.Policy });
    return {};
  },
});

// ---------------------------------------------------------------- cryptographic operations

/** Encrypt bytes under a key (any id form); returns the blob and the key. Used by Encrypt, GenerateDataKey and S3. */
export function encryptUnder(ctx: Ctx, keyId: string, plain: Uint8Array, context?: Record<string, string>): { blob: Uint8Array; key: KeyRow } {
  const k = findKey(ctx, keyId);
  requireUsable(k);
  return { blob: sealBlob(k.keyId, k.secret, ctx.rng.hex(24), plain, context), key: k };
}

/** Open a blob (the key is read from the blob); InvalidCiphertextException when it is not ours or the context differs. */
export function decryptBlob(ctx: Ctx, blob: Uint8Array, context?: Record<string, string>, expectKey?: string): { plain: Uint8Array; key: KeyRow } {
  const id = blobKeyId(blob);
  if (!id) throw kmsErrors.invalidCiphertext();
  const k = keys(ctx).get(id);
  if (!k) throw kmsErrors.invalidCiphertext();
  if (expectKey !== undefined && findKey(ctx, expectKey).keyId !== k.keyId) throw kmsErrors.incorrectKey();
  requireUsable(k);
  const plain = openBlob(k.secret, blob, context);
  if (!plain) throw kmsErrors.invalidCiphertext();
  return { plain, key: k };
}

export const Encrypt = op({
  name: 'Encrypt',
  doc: 'Encrypts up to 4,096 bytes under a key. The CiphertextBlob is simulated: it looks like a KMS blob but only Nimbus can decrypt it.',
  input: s.struct(
    {
      KeyId: keyIdArg(),
      Plaintext: s.blob({ doc: 'The data (base64 on the command line, or fileb://file).' }),
      EncryptionContext: EncryptionContext(),
      GrantTokens: GrantTokens(),
      EncryptionAlgorithm: s.enum(['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const),
      DryRun: s.bool(),
    },
    ['KeyId', 'Plaintext'],
  ),
  errors: ['NotFoundException', 'DisabledException', 'KMSInvalidStateException', 'ValidationException'],
  example: 'aws kms encrypt --key-id alias/photos --plaintext fileb://secret.txt --query CiphertextBlob --output text',
  handler: (ctx, input) => {
    if (input.Plaintext.byteLength < 1 || input.Plaintext.byteLength > 4096) {
      throw kmsErrors.validation(`1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length ${input.Plaintext.byteLength < 1 ? 'greater than or equal to 1' : 'less than or equal to 4096'}`);
    }
    const { blob, key } = encryptUnder(ctx, input.KeyId, input.Plaintext, input.EncryptionContext);
    return { CiphertextBlob: blob, KeyId: keyArn(key), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
});

export const Decrypt = op({
  name: 'Decrypt',
  doc: 'Decrypts a CiphertextBlob made by Encrypt or GenerateDataKey (the key is read from the blob). The EncryptionContext must match.',
  input: s.struct({
    CiphertextBlob: s.blob(),
    EncryptionContext: EncryptionContext(),
    GrantTokens: GrantTokens(),
    KeyId: keyIdArg(),
    EncryptionAlgorithm: s.str(),
    DryRun: s.bool(),
  }),
  errors: ['InvalidCiphertextException', 'DisabledException', 'KMSInvalidStateException', 'IncorrectKeyException'],
  example: 'aws kms decrypt --ciphertext-blob fileb://secret.enc --query Plaintext --output text | base64 --decode',
  handler: (ctx, input) => {
    if (!input.CiphertextBlob) throw kmsErrors.validation('CiphertextBlob is required.');
    const { plain, key } = decryptBlob(ctx, input.CiphertextBlob, input.EncryptionContext, input.KeyId);
    return { KeyId: keyArn(key), Plaintext: plain, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
});

/** A fresh data key: plaintext bytes and the same bytes encrypted under the key. */
export function newDataKey(ctx: Ctx, keyId: string, bytes: number, context?: Record<string, string>): { plain: Uint8Array; blob: Uint8Array; key: KeyRow } {
  const k = findKey(ctx, keyId);
  requireUsable(k);
  const plain = hexBytes(ctx.rng.hex(bytes * 2));
  const { blob } = encryptUnder(ctx, k.keyId, plain, context);
  return { plain, blob, key: k };
}

const dataKeyInput = () =>
  s.struct(
    {
      KeyId: keyIdArg(),
      EncryptionContext: EncryptionContext(),
      NumberOfBytes: s.int({ min: 1, max: 1024 }),
      KeySpec: s.enum(['AES_256', 'AES_128'] as const),
      GrantTokens: GrantTokens(),
      DryRun: s.bool(),
    },
    ['KeyId'],
  );

function dataKeySize(input: { NumberOfBytes?: number; KeySpec?: string }): number {
  if (input.NumberOfBytes !== undefined && input.KeySpec !== undefined) {
    throw kmsErrors.validation('Please specify either number of bytes or key spec.');
  }
  if (input.NumberOfBytes === undefined && input.KeySpec === undefined) throw kmsErrors.validation('Please specify either number of bytes or key spec.');
  return input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32);
}

export const GenerateDataKey = op({
  name: 'GenerateDataKey',
  doc: 'Returns a new data key twice: in plaintext (use it, then forget it) and encrypted under the KMS key (store it next to your data). This is envelope encryption.',
  input: dataKeyInput(),
  errors: ['NotFoundException', 'DisabledException', 'KMSInvalidStateException', 'ValidationException'],
  example: 'aws kms generate-data-key --key-id alias/photos --key-spec AES_256',
  handler: (ctx, input) => {
    const dk = newDataKey(ctx, input.KeyId, dataKeySize(input), input.EncryptionContext);
    return { CiphertextBlob: dk.blob, Plaintext: dk.plain, KeyId: keyArn(dk.key) };
  },
});

export const GenerateDataKeyWithoutPlaintext = op({
  name: 'GenerateDataKeyWithoutPlaintext',
  doc: 'Like GenerateDataKey, but returns only the encrypted data key.',
  input: dataKeyInput(),
  errors: ['NotFoundException', 'DisabledException', 'KMSInvalidStateException'],
  handler: (ctx, input) => {
    const dk = newDataKey(ctx, input.KeyId, dataKeySize(input), input.EncryptionContext);
    return { CiphertextBlob: dk.blob, KeyId: keyArn(dk.key) };
  },
});

export const keyOperations = [
  CreateKey,
  DescribeKey,
  ListKeys,
  CreateAlias,
  UpdateAlias,
  DeleteAlias,
  ListAliases,
  EnableKey,
  DisableKey,
  ScheduleKeyDeletion,
  CancelKeyDeletion,
  GetKeyPolicy,
  PutKeyPolicy,
  Encrypt,
  Decrypt,
  GenerateDataKey,
  GenerateDataKeyWithoutPlaintext,
];
