/** Static website hosting configuration (Put/Get/DeleteBucketWebsite) and Transfer Acceleration (Put/GetBucketAccelerateConfiguration). */
import { op, s } from '../../../shapes';
import { AwsError } from '../../../errors';
import { buckets, requireBucket } from '../model';
import { s3Errors } from '../errors';
import { bucketArg } from './common';

export interface WebsiteConfig {
  IndexDocument?: { Suffix: string };
  ErrorDocument?: { Key: string };
  RedirectAllRequestsTo?: { HostName: string; Protocol?: 'http' | 'https' };
  RoutingRules?: RoutingRule[];
}

export interface RoutingRule {
  Condition?: { HttpErrorCodeReturnedEquals?: string; KeyPrefixEquals?: string };
  Redirect: { HostName?: string; HttpRedirectCode?: string; Protocol?: 'http' | 'https'; ReplaceKeyPrefixWith?: string; ReplaceKeyWith?: string };
}

declare module '../model' {
  interface BucketRow {
    /** Static website hosting configuration (S3 part 2: website). */
    website?: WebsiteConfig;
    /** Transfer Acceleration status, once set. */
    accelerate?: 'Enabled' | 'Suspended';
  }
}

const protocol = () => s.enum(['http', 'https'] as const);

const websiteShape = () =>
  s.struct({
    ErrorDocument: s.struct({ Key: s.str({ min: 1 }) }, ['Key']),
    IndexDocument: s.struct({ Suffix: s.str() }, ['Suffix']),
    RedirectAllRequestsTo: s.struct({ HostName: s.str(), Protocol: protocol() }, ['HostName']),
    RoutingRules: s.list(
      s.struct(
        {
          Condition: s.struct({ HttpErrorCodeReturnedEquals: s.str(), KeyPrefixEquals: s.str() }),
          Redirect: s.struct({ HostName: s.str(), HttpRedirectCode: s.str(), Protocol: protocol(), ReplaceKeyPrefixWith: s.str(), ReplaceKeyWith: s.str() }),
        },
        ['Redirect'],
      ),
    ),
  });

const invalid = (message: string) => new AwsError('InvalidArgument', message, 400);

function validateWebsite(w: WebsiteConfig): void {
  if (w.RedirectAllRequestsTo) {
    if (w.IndexDocument || w.ErrorDocument || w.RoutingRules?.length) {
      throw invalid('RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.');
    }
    return;
  }
  if (!w.IndexDocument) throw invalid('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty');
  const suffix = w.IndexDocument.Suffix;
  if (!suffix || suffix.includes('/')) throw invalid('The IndexDocument Suffix is not well formed');
  if ((w.RoutingRules?.length ?? 0) > 50) throw invalid('The number of routing rules must not exceed 50.');
  for (const r of w.RoutingRules ?? []) {
    const red = r.Redirect;
    if (red.ReplaceKeyPrefixWith !== undefined && red.ReplaceKeyWith !== undefined) {
      throw invalid('You can only define ReplaceKeyPrefix or ReplaceKey but not both.');
    }
    if (!red.HostName && !red.HttpRedirectCode && !red.Protocol && red.ReplaceKeyPrefixWith === undefined && red.ReplaceKeyWith === undefined) {
      throw invalid('Redirect must contain at least one of the following: HostName, Protocol, ReplaceKeyPrefixWith, ReplaceKeyWith or HttpRedirectCode.');
    }
    if (red.HttpRedirectCode !== undefined && !/^3\d\d$/.test(red.HttpRedirectCode)) throw invalid('The provided HTTP redirect code (' + red.HttpRedirectCode + ') is not valid. Valid codes are 3XX except 300.');
    const code = r.Condition?.HttpErrorCodeReturnedEquals;
    if (code !== undefined && !/^[45]\d\d$/.test(code)) throw invalid('The provided HTTP error code (' + code + ') is not valid. Valid codes are 4XX or 5XX.');
  }
}

export const PutBucketWebsite = op({
  name: 'PutBucketWebsite',
  doc: 'Turns the bucket into a static website: an index document for folders, an error document for 4XX errors, redirects. Objects still need to be public for anonymous visitors.',
  input: s.struct({ Bucket: bucketArg(), WebsiteConfiguration: websiteShape(), ContentMD5: s.str(), ChecksumAlgorithm: s.str(), ExpectedBucketOwner: s.str() }, [
    'Bucket',
    'WebsiteConfiguration',
  ]),
  errors: ['NoSuchBucket', 'InvalidArgument', 'MalformedXML'],
  example: 'aws s3api put-bucket-website --bucket my-site --website-configuration \'{"IndexDocument":{"Suffix":"index.html"},"ErrorDocument":{"Key":"error.html"}}\'',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const w = JSON.parse(JSON.stringify(input.WebsiteConfiguration)) as WebsiteConfig;
    validateWebsite(w);
    buckets(ctx).set(b.name, { ...b, website: w });
    return {};
  },
});

export const GetBucketWebsite = op({
  name: 'GetBucketWebsite',
  doc: "Shows the bucket's website configuration; NoSuchWebsiteConfiguration when it has none.",
  input: s.struct({ Bucket: bucketArg(), ExpectedBucketOwner: s.str() }, ['Bucket']),
  errors: ['NoSuchBucket', 'NoSuchWebsiteConfiguration'],
  readOnly: true,
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    if (!b.website) throw noSuchWebsite(b.name);
    const w = b.website;
    return {
      ...(w.RedirectAllRequestsTo ? { RedirectAllRequestsTo: { ...w.RedirectAllRequestsTo } } : {}),
      ...(w.IndexDocument ? { IndexDocument: { ...w.IndexDocument } } : {}),
      ...(w.ErrorDocument ? { ErrorDocument: { ...w.ErrorDocument } } : {}),
      ...(w.RoutingRules?.length ? { RoutingRules: JSON.parse(JSON.stringify(w.RoutingRules)) as RoutingRule[] } : {}),
    };
  },
});

export const noSuchWebsite = (bucket: string) =>
  new AwsError('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', 404, { BucketName: bucket });

export const DeleteBucketWebsite = op({
  name: 'DeleteBucketWebsite',
  doc: 'Turns website hosting off (succeeds even when it was not on).',
  input: s.struct({ Bucket: bucketArg(), ExpectedBucketOwner: s.str() }, ['Bucket']),
  errors: ['NoSuchBucket'],
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    if (b.website) {
      const next = { ...b };
      delete next.website;
      buckets(ctx).set(b.name, next);
    }
    return {};
  },
});

export const PutBucketAccelerateConfiguration = op({
  name: 'PutBucketAccelerateConfiguration',
  doc: 'Turns Transfer Acceleration on (Enabled) or off (Suspended): transfers through bucket.s3-accelerate.amazonaws.com then enter the AWS network at the nearest edge location. Not for bucket names with dots.',
  input: s.struct(
    { Bucket: bucketArg(), AccelerateConfiguration: s.struct({ Status: s.enum(['Enabled', 'Suspended'] as const) }), ExpectedBucketOwner: s.str(), ChecksumAlgorithm: s.str() },
    ['Bucket', 'AccelerateConfiguration'],
  ),
  errors: ['NoSuchBucket', 'InvalidRequest', 'MalformedXML'],
  example: 'aws s3api put-bucket-accelerate-configuration --bucket photos --accelerate-configuration Status=Enabled',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    if (b.name.includes('.')) throw s3Errors.invalidRequest('S3 Transfer Acceleration is not supported for buckets with periods (.) in their names');
    const status = input.AccelerateConfiguration.Status;
    if (status !== 'Enabled' && status !== 'Suspended') throw s3Errors.malformedXml();
    buckets(ctx).set(b.name, { ...b, accelerate: status });
    return {};
  },
});

export const GetBucketAccelerateConfiguration = op({
  name: 'GetBucketAccelerateConfiguration',
  doc: 'Shows the Transfer Acceleration status; nothing at all when it was never set.',
  input: s.struct({ Bucket: bucketArg(), ExpectedBucketOwner: s.str(), RequestPayer: s.str() }, ['Bucket']),
  errors: ['NoSuchBucket'],
  readOnly: true,
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    return b.accelerate ? { Status: b.accelerate } : {};
  },
});

export const websiteOperations = [PutBucketWebsite, GetBucketWebsite, DeleteBucketWebsite, PutBucketAccelerateConfiguration, GetBucketAccelerateConfiguration];
