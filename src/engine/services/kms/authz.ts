/**
 * Who may use a KMS key: the key policy (a resource policy) together with IAM
 * policies, through the shared evaluator. The default key policy names the
 * account root, which (as in AWS) only delegates to IAM: a user still needs an
 * identity-policy Allow. The AWS managed key alias/aws/s3 allows use only
 * through S3 (kms:ViaService) by callers of the account (kms:CallerAccount).
 * The account's built-in admin passes at once on its own keys.
 */
import type { Ctx } from '../../context';
import { AwsError } from '../../errors';
import type { Decision } from '../../policy';
import { decide, isBuiltInAdmin, notAuthorizedMessage, parsedPolicy } from '../iam';
import { blobKeyId } from './crypto';
import { findKey, keyArn, keys, type KeyRow } from './model';

/** Evaluate `kms:ACTION` on a key for the caller in ctx; undefined when allowed on the fast path. */
export function decideKms(ctx: Ctx, operation: string, action: string, key: KeyRow | undefined, viaService?: string): Decision | undefined {
  const id = ctx.identity;
  if (isBuiltInAdmin(id) && (!key || key.account === id.accountId)) return undefined;
  const resource = key ? keyArn(key) : '*';
  const d = decide(ctx, {
    service: 'kms',
    operation,
    action,
    resource,
    ...(key ? { resourceAccount: key.account, resourcePolicies: [{ kind: 'resource' as const, label: `key policy of ${resource}`, policy: parsedPolicy(key.policy, 'resource') }] } : {}),
    extra: {
      'kms:CallerAccount': id.accountId || undefined,
      ...(viaService ? { 'kms:ViaService': viaService } : {}),
    },
  });
  return d.allowed ? undefined : d;
}

const KEY_MEMBER: Record<string, string> = { CreateAlias: 'TargetKeyId', UpdateAlias: 'TargetKeyId' };

/** The service hook. */
export function authorizeKms(ctx: Ctx, operation: string, input: Record<string, unknown>): void {
  if (ctx.identity.type === 'anonymous') throw new AwsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token', 400);
  let key: KeyRow | undefined;
  const member = KEY_MEMBER[operation] ?? 'KeyId';
  try {
    if (typeof input[member] === 'string') key = findKey(ctx, input[member] as string);
    else if (operation === 'Decrypt' && input['CiphertextBlob'] instanceof Uint8Array) {
      const id = blobKeyId(input['CiphertextBlob']);
      key = id ? keys(ctx).get(id) : undefined;
    }
  } catch {
    key = undefined; // the handler answers NotFoundException
  }
  const d = decideKms(ctx, operation, `kms:${operation}`, key);
  if (d) throw new AwsError('AccessDeniedException', notAuthorizedMessage(d), 400);
}

/** S3 asks KMS on the caller's behalf (GenerateDataKey to write, Decrypt to read): the caller needs that permission. */
export function requireKmsForS3(ctx: Ctx, operation: 'GenerateDataKey' | 'Decrypt', key: KeyRow, s3Operation: string): void {
  const d = decideKms(ctx, s3Operation, `kms:${operation}`, key, `s3.${ctx.region}.amazonaws.com`);
  if (d) throw new AwsError('AccessDenied', notAuthorizedMessage(d), 403);
}
