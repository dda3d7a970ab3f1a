/** Block Public Access: the bucket's settings OR'ed with its account's (s3control). */
import type { Ctx } from '../../../context';
import type { BucketRow } from '../model';

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

/** Account-level settings: `s3control.publicAccessBlock` account id -> PublicAccessBlock. */
export const T_ACCOUNT_PAB = 's3control.publicAccessBlock';

export function accountPublicAccessBlock(ctx: Pick<Ctx, 'table'>, account: string): PublicAccessBlock | undefined {
  return ctx.table<PublicAccessBlock>(T_ACCOUNT_PAB).get(account);
}

/** What governs a bucket: a switch is on when the bucket's or its account's setting is on. */
export function effectivePublicAccessBlock(ctx: Pick<Ctx, 'table'>, bucket: BucketRow): PublicAccessBlock {
  const b = bucket.publicAccessBlock;
  const a = accountPublicAccessBlock(ctx, bucket.ownerAccount);
  return {
    BlockPublicAcls: !!(b?.BlockPublicAcls || a?.BlockPublicAcls),
    IgnorePublicAcls: !!(b?.IgnorePublicAcls || a?.IgnorePublicAcls),
    BlockPublicPolicy: !!(b?.BlockPublicPolicy || a?.BlockPublicPolicy),
    RestrictPublicBuckets: !!(b?.RestrictPublicBuckets || a?.RestrictPublicBuckets),
  };
}
