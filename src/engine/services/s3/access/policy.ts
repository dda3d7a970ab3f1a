/** Bucket policies: validation (MalformedPolicy), "is it public?", and the four operations. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { AwsError } from '../../../errors';
import { globMatch, parseOperator, tryParsePolicy, type PolicyDocument, type Statement } from '../../../policy';
import { buckets, requireBucket, type BucketRow } from '../model';
import { s3Errors } from '../errors';
import { KNOWN_S3_ACTIONS } from './actions';
import { effectivePublicAccessBlock } from './bpa';

const malformed = (message: string) => new AwsError('MalformedPolicy', message, 400);

/** Check a bucket policy as S3 does; returns the parsed document or throws MalformedPolicy. */
export function validateBucketPolicy(text: string, bucket: string): PolicyDocument {
  if (new TextEncoder().encode(text).byteLength > 20 * 1024) throw malformed('Policies must be less than 20 KB');
  const r = tryParsePolicy(text, 'resource');
  if (!r.ok) {
    switch (r.error.problem) {
      case 'json':
        throw malformed('This policy contains invalid Json');
      case 'missing-principal':
        throw malformed('Missing required field Principal');
      case 'invalid-principal':
        throw malformed('Invalid principal in policy');
      case 'missing-action':
        throw malformed('Missing required field Action');
      case 'missing-resource':
        throw malformed('Missing required field Resource');
      case 'missing-effect':
        throw malformed('Missing required field Effect');
      case 'missing-statement':
        throw malformed('Missing required field Statement');
      case 'unknown-condition-operator':
        throw malformed(r.error.message);
      default:
        throw malformed('Policies must be valid JSON and the first byte must be \'{\'');
    }
  }
  for (const st of r.policy.Statement) {
    for (const a of [...(st.Action ?? []), ...(st.NotAction ?? [])]) {
      if (a === '*') continue;
      if (!KNOWN_S3_ACTIONS.some((k) => globMatch(a, k, true))) throw malformed('Policy has invalid action');
    }
    for (const res of [...(st.Resource ?? []), ...(st.NotResource ?? [])]) {
      if (!resourceInBucket(res, bucket)) throw malformed('Policy has invalid resource');
    }
  }
  return r.policy;
}

/** A bucket policy may only name this bucket and its objects (wildcards allowed). */
function resourceInBucket(res: string, bucket: string): boolean {
  if (!res.startsWith('arn:aws:s3:::')) return false;
  const rest = res.slice('arn:aws:s3:::'.length);
  const slash = rest.indexOf('/');
  return globMatch(slash < 0 ? rest : rest.slice(0, slash), bucket);
}

/** Condition keys that pin a statement to known callers (so it is not public), per AWS's definition. */
const FIXING_KEYS = new Set(
  [
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceAccount',
    'aws:SourceOwner',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:userid',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
    'aws:SourceIp',
  ].map((k) => k.toLowerCase()),
);

function statementIsPublic(st: Statement): boolean {
  if (st.Effect !== 'Allow') return false;
  const wildcard =
    st.NotPrincipal !== undefined ||
    st.Principal === '*' ||
    (typeof st.Principal === 'object' && Object.entries(st.Principal).some(([t, v]) => (t === 'AWS' || t === 'CanonicalUser') && v.includes('*')));
  if (!wildcard) return false;
  for (const [opName, keys] of Object.entries(st.Condition ?? {})) {
    const p = parseOperator(opName);
    if (!p || p.ifExists || p.qualifier === 'ForAllValues') continue;
    const fixedOp = ['StringEquals', 'StringEqualsIgnoreCase', 'ArnEquals', 'StringLike', 'ArnLike', 'IpAddress'].includes(p.base);
    if (!fixedOp) continue;
    for (const [key, values] of Object.entries(keys)) {
      if (!FIXING_KEYS.has(key.toLowerCase())) continue;
      if (key.toLowerCase() === 'aws:sourceip') {
        // a range of /8 or narrower pins the callers; 0.0.0.0/0 and the like do not
        if (values.every((v) => Number(v.split('/')[1] ?? (v.includes(':') ? 128 : 32)) >= 8)) return false;
        continue;
      }
      if (values.every((v) => !v.includes('*') && !v.includes('?'))) return false;
    }
  }
  return true;
}

/** Is a bucket policy public (grants to everyone without a pinning condition)? */
export function isPublicPolicy(doc: PolicyDocument): boolean {
  return doc.Statement.some(statementIsPublic);
}

/** Only the bucket owner's account may read or change its policy (others, even if allowed, get 405). */
function requireOwner(ctx: Ctx, b: BucketRow): void {
  if (ctx.identity.accountId !== b.ownerAccount) throw s3Errors.methodNotAllowed();
}

const bucketArg = () => s.str({ doc: 'The bucket name.', complete: 'bucket' });

export const PutBucketPolicy = op({
  name: 'PutBucketPolicy',
  doc:
    "Sets the bucket's policy (JSON, e.g. file://policy.json): who (Principal) may do what (Action) on which resources " +
    '(arn:aws:s3:::BUCKET and arn:aws:s3:::BUCKET/*). A public policy is refused while Block Public Access (BlockPublicPolicy) is on.',
  input: s.struct(
    {
      Bucket: bucketArg(),
      Policy: s.str({ doc: 'The policy document as JSON text.' }),
      ConfirmRemoveSelfBucketAccess: s.bool(),
      ContentMD5: s.str(),
      ChecksumAlgorithm: s.enum(['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'] as const),
      ExpectedBucketOwner: s.str(),
    },
    ['Bucket', 'Policy'],
  ),
  errors: ['NoSuchBucket', 'MalformedPolicy', 'AccessDenied', 'MethodNotAllowed'],
  example: 'aws s3api put-bucket-policy --bucket photos --policy file://policy.json',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    requireOwner(ctx, b);
    const doc = validateBucketPolicy(input.Policy, b.name);
    if (isPublicPolicy(doc) && effectivePublicAccessBlock(ctx, b).BlockPublicPolicy) {
      throw new AwsError(
        'AccessDenied',
        `User: ${ctx.identity.arn} is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${b.name}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
        403,
      );
    }
    buckets(ctx).set(b.name, { ...b, policy: input.Policy.trim() });
    return {};
  },
});

export const GetBucketPolicy = op({
  name: 'GetBucketPolicy',
  doc: "Returns the bucket's policy as JSON text (NoSuchBucketPolicy when it has none).",
  input: s.struct({ Bucket: bucketArg(), ExpectedBucketOwner: s.str() }, ['Bucket']),
  errors: ['NoSuchBucket', 'NoSuchBucketPolicy', 'MethodNotAllowed'],
  readOnly: true,
  example: 'aws s3api get-bucket-policy --bucket photos --query Policy --output text',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    requireOwner(ctx, b);
    if (!b.policy) throw new AwsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: b.name });
    return { Policy: b.policy };
  },
});

export const DeleteBucketPolicy = op({
  name: 'DeleteBucketPolicy',
  doc: "Removes the bucket's policy.",
  input: s.struct({ Bucket: bucketArg(), ExpectedBucketOwner: s.str() }, ['Bucket']),
  errors: ['NoSuchBucket', 'MethodNotAllowed'],
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    requireOwner(ctx, b);
    const { policy: _p, ...rest } = b;
    buckets(ctx).set(b.name, rest);
    return {};
  },
});

export const GetBucketPolicyStatus = op({
  name: 'GetBucketPolicyStatus',
  doc: "Says whether the bucket's policy is public (IsPublic): it grants access to everyone without a condition that pins the callers.",
  input: s.struct({ Bucket: bucketArg(), ExpectedBucketOwner: s.str() }, ['Bucket']),
  errors: ['NoSuchBucket', 'NoSuchBucketPolicy'],
  readOnly: true,
  example: 'aws s3api get-bucket-policy-status --bucket photos',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    requireOwner(ctx, b);
    if (!b.policy) throw new AwsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: b.name });
    const r = tryParsePolicy(b.policy, 'resource');
    return { PolicyStatus: { IsPublic: r.ok ? isPublicPolicy(r.policy) : false } };
  },
});

export const policyOperations = [PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy, GetBucketPolicyStatus];
