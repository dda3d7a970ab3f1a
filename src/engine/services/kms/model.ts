/**
 * KMS state and rules. Tables:
 *  - `kms.keys`    keyId -> KeyRow
 *  - `kms.aliases` `${region}/${aliasName}` -> AliasRow
 * Key material is simulated: each key holds a random secret (never shown) used by
 * our own deterministic cipher (crypto.ts). Ciphertext blobs look like KMS's but
 * only this simulation can decrypt them.
 */
import type { Ctx } from '../../context';
import { isoTime } from '../../clock';
import { kmsErrors } from './errors';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface KeyRow {
  keyId: string;
  region: string;
  account: string;
  created: number;
  description: string;
  state: KeyState;
  manager: 'AWS' | 'CUSTOMER';
  /** Simulated key material (hex); never leaves the engine. */
  secret: string;
  policy: string;
  deletionDate?: number;
  pendingWindowInDays?: number;
  tags: { TagKey: string; TagValue: string }[];
}

export interface AliasRow {
  name: string;
  region: string;
  targetKeyId: string;
  created: number;
  updated: number;
}

export const T_KEYS = 'kms.keys';
export const T_ALIASES = 'kms.aliases';
export const DELETE_TIMER = 'kms.delete-key';

export const keys = (ctx: Pick<Ctx, 'table'>) => ctx.table<KeyRow>(T_KEYS);
export const aliases = (ctx: Pick<Ctx, 'table'>) => ctx.table<AliasRow>(T_ALIASES);
export const aliasKey = (region: string, name: string) => `${region}/${name}`;

export const keyArn = (k: Pick<KeyRow, 'region' | 'account' | 'keyId'>) => `arn:aws:kms:${k.region}:${k.account}:key/${k.keyId}`;
export const aliasArn = (region: string, account: string, name: string) => `arn:aws:kms:${region}:${account}:${name}`;

/** AWS managed aliases that exist in every account (a key is created behind them on first use). */
export const AWS_MANAGED_ALIASES = ['alias/aws/s3'] as const;

export function defaultKeyPolicy(account: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
    },
    null,
    2,
  );
}

function managedKeyPolicy(account: string, service: string, region: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: `auto-${service}-2`,
      Statement: [
        {
          Sid: `Allow access through ${service.toUpperCase()} for all principals in the account that are authorized to use ${service.toUpperCase()}`,
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': `${service}.${region}.amazonaws.com` } },
        },
        { Sid: 'Allow direct access to key metadata to the account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'], Resource: '*' },
      ],
    },
    null,
    2,
  );
}

export function newKey(ctx: Ctx, o: { description?: string; manager?: 'AWS' | 'CUSTOMER'; policy?: string; tags?: KeyRow['tags'] }): KeyRow {
  const row: KeyRow = {
    keyId: ctx.rng.uuid(),
    region: ctx.region,
    account: ctx.accountId,
    created: ctx.now(),
    description: o.description ?? '',
    state: 'Enabled',
    manager: o.manager ?? 'CUSTOMER',
    secret: ctx.rng.hex(64),
    policy: o.policy ?? defaultKeyPolicy(ctx.accountId),
    tags: o.tags ?? [],
  };
  keys(ctx).set(row.keyId, row);
  return row;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The AWS managed key behind alias/aws/<service> in this region, created on first use. */
export function awsManagedKey(ctx: Ctx, service: 's3'): KeyRow {
  const name = `alias/aws/${service}`;
  const a = aliases(ctx).get(aliasKey(ctx.region, name));
  const existing = a && keys(ctx).get(a.targetKeyId);
  if (existing) return existing;
  const k = newKey(ctx, {
    description: `Default key that protects my ${service.toUpperCase()} objects when no other key is defined`,
    manager: 'AWS',
    policy: managedKeyPolicy(ctx.accountId, service, ctx.region),
  });
  const now = ctx.now();
  aliases(ctx).set(aliasKey(ctx.region, name), { name, region: ctx.region, targetKeyId: k.keyId, created: now, updated: now });
  return k;
}

/**
 * Find a key from a key id, key ARN, alias name or alias ARN (aliases only when `allowAlias`).
 * Throws NotFoundException as KMS words it.
 */
export function findKey(ctx: Ctx, id: string, allowAlias = true): KeyRow {
  const text = id.trim();
  let region = ctx.region;
  let rest = text;
  const m = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(.+)$/.exec(text);
  if (m) {
    region = m[1]!;
    rest = m[3]!;
    if (m[2] !== ctx.accountId) throw kmsErrors.keyNotFound(text);
  }
  if (rest.startsWith('alias/')) {
    if (!allowAlias) throw kmsErrors.invalidKeyId(text);
    if (rest === 'alias/aws/s3' && region === ctx.region) return awsManagedKey(ctx, 's3');
    const a = aliases(ctx).get(aliasKey(region, rest));
    const k = a && keys(ctx).get(a.targetKeyId);
    if (!k) throw kmsErrors.aliasNotFound(aliasArn(region, ctx.accountId, rest));
    return k;
  }
  const keyId = rest.startsWith('key/') ? rest.slice(4) : rest;
  if (!UUID_RE.test(keyId) && !m) throw kmsErrors.invalidKeyId(text);
  const k = keys(ctx).get(keyId);
  if (!k || k.region !== region) throw kmsErrors.keyNotFound(arnFor(ctx, region, keyId));
  return k;
}

const arnFor = (ctx: Ctx, region: string, keyId: string) => `arn:aws:kms:${region}:${ctx.accountId}:key/${keyId}`;

/** A key must be Enabled to encrypt, decrypt or make data keys. */
export function requireUsable(k: KeyRow): void {
  if (k.state === 'Disabled') throw kmsErrors.disabled(keyArn(k));
  if (k.state === 'PendingDeletion') throw kmsErrors.pendingDeletion(keyArn(k));
}

export function keyMetadata(k: KeyRow) {
  return {
    AWSAccountId: k.account,
    KeyId: k.keyId,
    Arn: keyArn(k),
    CreationDate: isoTime(k.created),
    Enabled: k.state === 'Enabled',
    Description: k.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: k.state,
    ...(k.deletionDate !== undefined ? { DeletionDate: isoTime(k.deletionDate) } : {}),
    Origin: 'AWS_KMS',
    KeyManager: k.manager,
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
    ...(k.pendingWindowInDays !== undefined ? { PendingDeletionWindowInDays: k.pendingWindowInDays } : {}),
  };
}

/** Timer: a key whose waiting period is over is deleted with its aliases. */
export function onDeleteTimer(ctx: Ctx, p: { keyId: string }): void {
  const k = keys(ctx).get(p.keyId);
  if (!k || k.state !== 'PendingDeletion') return;
  keys(ctx).delete(k.keyId);
  for (const a of aliases(ctx).filter((x) => x.targetKeyId === k.keyId)) aliases(ctx).delete(aliasKey(a.region, a.name));
}
