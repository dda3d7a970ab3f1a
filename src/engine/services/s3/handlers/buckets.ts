/** Buckets: create, delete, list, head, location, tagging, and the default settings of new buckets. */
import { op, s } from '../../../shapes';
import { quota } from '../../../config';
import { isRegion, ACCOUNT_ID } from '../../../regions';
import { isoTime } from '../../../clock';
import type { Ctx } from '../../../context';
import { s3Errors, asHeadError } from '../errors';
import { bucketNameProblem, TAKEN_BUCKET_NAMES } from '../naming';
import { buckets, requireBucket, bucketHasContent, uploads, OWNER_ID, type BucketRow, type Tag } from '../model';

const bucketArg = () => s.str({ doc: 'The bucket name.', complete: 'bucket' });

export const DEFAULT_ENCRYPTION = { SSEAlgorithm: 'AES256', BucketKeyEnabled: false } as const;
export const DEFAULT_PUBLIC_ACCESS_BLOCK = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } as const;

export const CreateBucket = op({
  name: 'CreateBucket',
  doc: 'Creates a bucket. Names are global: 3-63 lowercase letters, digits, dots and hyphens. Outside us-east-1 give the region as LocationConstraint.',
  input: s.struct(
    {
      Bucket: bucketArg(),
      ACL: s.enum(['private', 'public-read', 'public-read-write', 'authenticated-read'] as const),
      CreateBucketConfiguration: s.struct({
        LocationConstraint: s.str({ complete: 'region' }),
        Tags: s.tagsUpper(),
      }),
      ObjectLockEnabledForBucket: s.bool(),
      ObjectOwnership: s.enum(['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced'] as const),
    },
    ['Bucket'],
  ),
  errors: ['InvalidBucketName', 'BucketAlreadyExists', 'BucketAlreadyOwnedByYou', 'InvalidLocationConstraint', 'IllegalLocationConstraintException', 'TooManyBuckets'],
  example: 'aws s3api create-bucket --bucket photos-1234 --region eu-west-1 --create-bucket-configuration LocationConstraint=eu-west-1',
  handler: (ctx, input) => {
    const name = input.Bucket;
    if (bucketNameProblem(name)) throw s3Errors.invalidBucketName(name);
    const lc = input.CreateBucketConfiguration?.LocationConstraint;
    const endpoint = ctx.region;
    let region: string;
    if (lc === undefined || lc === '') {
      if (endpoint !== 'us-east-1') throw s3Errors.illegalLocationConstraint(undefined);
      region = 'us-east-1';
    } else {
      const target = lc === 'EU' ? 'eu-west-1' : lc;
      if (lc === 'us-east-1' || !isRegion(target)) throw s3Errors.invalidLocationConstraint(lc);
      if (target !== endpoint) throw s3Errors.illegalLocationConstraint(lc);
      region = target;
    }
    if (TAKEN_BUCKET_NAMES.has(name)) throw s3Errors.bucketAlreadyExists(name);
    const t = buckets(ctx);
    const existing = t.get(name);
    if (existing) {
      if (existing.ownerAccount !== ctx.identity.accountId) throw s3Errors.bucketAlreadyExists(name);
      // The legacy exception: in us-east-1 creating your own bucket again succeeds.
      if (existing.region === 'us-east-1' && region === 'us-east-1') return { Location: `/${name}` };
      throw s3Errors.bucketAlreadyOwnedByYou(name);
    }
    if (t.size >= quota(ctx.db, 's3-buckets')) throw s3Errors.tooManyBuckets();
    const tags = input.CreateBucketConfiguration?.Tags;
    if (tags) validateTags(tags, 50);
    const row: BucketRow = {
      name,
      region,
      locationConstraint: lc ? lc : null,
      created: Math.floor(ctx.now() / 1000) * 1000,
      ownerAccount: ctx.identity.accountId || ACCOUNT_ID,
      encryption: { ...DEFAULT_ENCRYPTION },
      publicAccessBlock: { ...DEFAULT_PUBLIC_ACCESS_BLOCK },
      ownership: input.ObjectOwnership ?? 'BucketOwnerEnforced',
      ...(tags?.length ? { tags } : {}),
    };
    t.set(name, row);
    return { Location: region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
  },
});

export const DeleteBucket = op({
  name: 'DeleteBucket',
  doc: 'Deletes an empty bucket. Every object, version and delete marker must be deleted first.',
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  errors: ['NoSuchBucket', 'BucketNotEmpty'],
  example: 'aws s3api delete-bucket --bucket photos',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    if (bucketHasContent(ctx, b.name)) throw s3Errors.bucketNotEmpty(b.name, !!b.versioning);
    const up = uploads(ctx);
    for (const u of up.filter((u) => u.bucket === b.name)) {
      for (const p of Object.values(u.parts)) ctx.blobs.release(p.blob);
      up.delete(u.uploadId);
    }
    buckets(ctx).delete(b.name);
    return {};
  },
});

export const ListBuckets = op({
  name: 'ListBuckets',
  doc: 'Lists the buckets of the account, with their creation dates and regions.',
  input: s.struct({
    MaxBuckets: s.int({ min: 1, max: 10000 }),
    ContinuationToken: s.str(),
    Prefix: s.str(),
    BucketRegion: s.str({ complete: 'region' }),
  }),
  paginator: { inputToken: 'ContinuationToken', outputToken: 'ContinuationToken', limitKey: 'MaxBuckets', resultKeys: ['Buckets'], nonAggregateKeys: ['Owner', 'Prefix'] },
  readOnly: true,
  example: 'aws s3api list-buckets --query "Buckets[].Name"',
  handler: (ctx, input) => {
    let list = [...buckets(ctx).values()]
      .filter((b) => b.ownerAccount === ctx.identity.accountId)
      .filter((b) => !input.Prefix || b.name.startsWith(input.Prefix))
      .filter((b) => !input.BucketRegion || b.region === input.BucketRegion)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    if (input.ContinuationToken) list = list.filter((b) => b.name > input.ContinuationToken!);
    const max = input.MaxBuckets;
    const page = max ? list.slice(0, max) : list;
    const more = max !== undefined && list.length > max;
    return {
      Buckets: page.map((b) => ({ Name: b.name, CreationDate: isoTime(b.created), BucketRegion: b.region })),
      Owner: { ID: OWNER_ID },
      ...(more ? { ContinuationToken: page[page.length - 1]!.name } : {}),
      ...(input.Prefix !== undefined ? { Prefix: input.Prefix } : {}),
    };
  },
});

export const HeadBucket = op({
  name: 'HeadBucket',
  doc: 'Checks that a bucket exists and that you may use it. Answers only with an HTTP status: 404 when it does not exist, 403 when it is not yours.',
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  errors: ['404', '403'],
  readOnly: true,
  example: 'aws s3api head-bucket --bucket photos',
  handler: (ctx, input) => {
    try {
      const b = requireBucket(ctx, input.Bucket);
      return { BucketRegion: b.region, AccessPointAlias: false };
    } catch (e) {
      throw asHeadError(e);
    }
  },
});

export const GetBucketLocation = op({
  name: 'GetBucketLocation',
  doc: "Returns the bucket's region as its LocationConstraint; null means us-east-1.",
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  readOnly: true,
  example: 'aws s3api get-bucket-location --bucket photos',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    return { LocationConstraint: b.region === 'us-east-1' ? null : b.locationConstraint ?? b.region };
  },
});

// ---------------------------------------------------------------- tagging

export function validateTags(tags: readonly Tag[], max: number): void {
  if (tags.length > max) throw s3Errors.invalidTag(max === 10 ? 'Object tags cannot be greater than 10' : 'Bucket tag count cannot be greater than 50');
  const seen = new Set<string>();
  for (const t of tags) {
    if (seen.has(t.Key)) throw s3Errors.invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(t.Key);
    if (!t.Key || [...t.Key].length > 128) throw s3Errors.invalidTag('The TagKey you have provided is invalid');
    if ([...(t.Value ?? '')].length > 256) throw s3Errors.invalidTag('The TagValue you have provided is invalid');
    if (t.Key.toLowerCase().startsWith('aws:')) throw s3Errors.invalidTag('System tags cannot be added/updated by requester');
  }
}

export const PutBucketTagging = op({
  name: 'PutBucketTagging',
  doc: "Replaces the bucket's tags (up to 50).",
  input: s.struct({ Bucket: bucketArg(), Tagging: s.struct({ TagSet: s.tagsUpper() }, ['TagSet']) }, ['Bucket', 'Tagging']),
  errors: ['NoSuchBucket', 'InvalidTag'],
  example: 'aws s3api put-bucket-tagging --bucket photos --tagging "TagSet=[{Key=team,Value=web}]"',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    validateTags(input.Tagging.TagSet, 50);
    buckets(ctx).set(b.name, { ...b, tags: input.Tagging.TagSet });
    return {};
  },
});

export const GetBucketTagging = op({
  name: 'GetBucketTagging',
  doc: "Returns the bucket's tags; NoSuchTagSet when it has none.",
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  errors: ['NoSuchBucket', 'NoSuchTagSet'],
  readOnly: true,
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    if (!b.tags?.length) throw s3Errors.noSuchTagSet();
    return { TagSet: b.tags.map((t) => ({ ...t })) };
  },
});

export const DeleteBucketTagging = op({
  name: 'DeleteBucketTagging',
  doc: "Removes all of the bucket's tags.",
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const { tags: _t, ...rest } = b;
    buckets(ctx).set(b.name, rest);
    return {};
  },
});

// ---------------------------------------------------------------- default settings (stored here; S3 part 2 enforces them)

export const GetBucketEncryption = op({
  name: 'GetBucketEncryption',
  doc: "Shows the bucket's default encryption. Every bucket encrypts new objects with SSE-S3 (AES256) unless set otherwise.",
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  readOnly: true,
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const { BucketKeyEnabled, ...byDefault } = b.encryption;
    return { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: byDefault, BucketKeyEnabled }] } };
  },
});

export const PutBucketEncryption = op({
  name: 'PutBucketEncryption',
  doc: "Sets the bucket's default encryption (AES256, or aws:kms with a key).",
  input: s.struct(
    {
      Bucket: bucketArg(),
      ServerSideEncryptionConfiguration: s.struct(
        {
          Rules: s.list(
            s.struct({
              ApplyServerSideEncryptionByDefault: s.struct(
                { SSEAlgorithm: s.enum(['AES256', 'aws:kms', 'aws:kms:dsse'] as const), KMSMasterKeyID: s.str({ complete: 'kms-key' }) },
                ['SSEAlgorithm'],
              ),
              BucketKeyEnabled: s.bool(),
            }),
          ),
        },
        ['Rules'],
      ),
    },
    ['Bucket', 'ServerSideEncryptionConfiguration'],
  ),
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const rule = input.ServerSideEncryptionConfiguration.Rules[0];
    if (!rule || input.ServerSideEncryptionConfiguration.Rules.length > 1) throw s3Errors.malformedXml();
    const d = rule.ApplyServerSideEncryptionByDefault;
    if (d?.KMSMasterKeyID && d.SSEAlgorithm === 'AES256') {
      throw s3Errors.invalidArgument('a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 'ApplyServerSideEncryptionByDefault');
    }
    buckets(ctx).set(b.name, {
      ...b,
      encryption: {
        SSEAlgorithm: d?.SSEAlgorithm ?? 'AES256',
        ...(d?.KMSMasterKeyID ? { KMSMasterKeyID: d.KMSMasterKeyID } : {}),
        BucketKeyEnabled: rule.BucketKeyEnabled ?? false,
      },
    });
    return {};
  },
});

export const DeleteBucketEncryption = op({
  name: 'DeleteBucketEncryption',
  doc: 'Resets default encryption to SSE-S3 (AES256): S3 always encrypts new objects.',
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    buckets(ctx).set(b.name, { ...b, encryption: { ...DEFAULT_ENCRYPTION } });
    return {};
  },
});

const pabShape = () =>
  s.struct({ BlockPublicAcls: s.bool(), IgnorePublicAcls: s.bool(), BlockPublicPolicy: s.bool(), RestrictPublicBuckets: s.bool() });

export const GetPublicAccessBlock = op({
  name: 'GetPublicAccessBlock',
  doc: "Shows the bucket's Block Public Access settings (all four on for new buckets).",
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  readOnly: true,
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    if (!b.publicAccessBlock) throw s3Errors.noSuchPublicAccessBlock(b.name);
    return { PublicAccessBlockConfiguration: { ...b.publicAccessBlock } };
  },
});

export const PutPublicAccessBlock = op({
  name: 'PutPublicAccessBlock',
  doc: "Sets the bucket's four Block Public Access switches; omitted ones become false.",
  input: s.struct({ Bucket: bucketArg(), PublicAccessBlockConfiguration: pabShape() }, ['Bucket', 'PublicAccessBlockConfiguration']),
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const c = input.PublicAccessBlockConfiguration;
    buckets(ctx).set(b.name, {
      ...b,
      publicAccessBlock: {
        BlockPublicAcls: c.BlockPublicAcls ?? false,
        IgnorePublicAcls: c.IgnorePublicAcls ?? false,
        BlockPublicPolicy: c.BlockPublicPolicy ?? false,
        RestrictPublicBuckets: c.RestrictPublicBuckets ?? false,
      },
    });
    return {};
  },
});

export const DeletePublicAccessBlock = op({
  name: 'DeletePublicAccessBlock',
  doc: "Removes the bucket's Block Public Access configuration.",
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    buckets(ctx).set(b.name, { ...b, publicAccessBlock: null });
    return {};
  },
});

export const GetBucketOwnershipControls = op({
  name: 'GetBucketOwnershipControls',
  doc: "Shows the bucket's Object Ownership (BucketOwnerEnforced, ACLs disabled, for new buckets).",
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  readOnly: true,
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    if (!b.ownership) throw s3Errors.noOwnershipControls(b.name);
    return { OwnershipControls: { Rules: [{ ObjectOwnership: b.ownership }] } };
  },
});

export const PutBucketOwnershipControls = op({
  name: 'PutBucketOwnershipControls',
  doc: "Sets the bucket's Object Ownership.",
  input: s.struct(
    {
      Bucket: bucketArg(),
      OwnershipControls: s.struct(
        { Rules: s.list(s.struct({ ObjectOwnership: s.enum(['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced'] as const) }, ['ObjectOwnership'])) },
        ['Rules'],
      ),
    },
    ['Bucket', 'OwnershipControls'],
  ),
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const rule = input.OwnershipControls.Rules[0];
    if (!rule || input.OwnershipControls.Rules.length !== 1) throw s3Errors.malformedXml();
    buckets(ctx).set(b.name, { ...b, ownership: rule.ObjectOwnership });
    return {};
  },
});

export const DeleteBucketOwnershipControls = op({
  name: 'DeleteBucketOwnershipControls',
  doc: "Removes the bucket's Object Ownership setting.",
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    buckets(ctx).set(b.name, { ...b, ownership: null });
    return {};
  },
});

export const bucketOperations = [
  CreateBucket,
  DeleteBucket,
  ListBuckets,
  HeadBucket,
  GetBucketLocation,
  PutBucketTagging,
  GetBucketTagging,
  DeleteBucketTagging,
  GetBucketEncryption,
  PutBucketEncryption,
  DeleteBucketEncryption,
  GetPublicAccessBlock,
  PutPublicAccessBlock,
  DeletePublicAccessBlock,
  GetBucketOwnershipControls,
  PutBucketOwnershipControls,
  DeleteBucketOwnershipControls,
];

export type { Ctx };
