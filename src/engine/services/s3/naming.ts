/** Bucket naming rules for general purpose buckets, as S3 enforces them today. */

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Returns why a name is refused (for our help/debug), or null when it is valid. */
export function bucketNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 63) return 'must be between 3 and 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may contain only lowercase letters, numbers, dots (.) and hyphens (-)';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'must begin and end with a letter or number';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return 'must not be formatted as an IP address';
  for (const p of RESERVED_PREFIXES) if (name.startsWith(p)) return `must not start with the reserved prefix ${p}`;
  for (const s of RESERVED_SUFFIXES) if (name.endsWith(s)) return `must not end with the reserved suffix ${s}`;
  return null;
}

/**
 * Names that already belong to another account in the simulated world (the
 * bucket namespace is global). `photos` is deliberately free: lessons use it.
 */
export const TAKEN_BUCKET_NAMES: ReadonlySet<string> = new Set([
  'test',
  'my-bucket',
  'mybucket',
  'test-bucket',
  'example',
  'example-bucket',
  'images',
  'backup',
  'backups',
  'data',
  'bucket',
  'logs',
  'assets',
  'static',
  'media',
  'files',
  'uploads',
  'downloads',
  'website',
  'www',
  'public',
  'private',
  'archive',
  'temp',
  'tmp',
  'aws',
  's3',
]);

/** The patterns of botocore's client-side check of S3 bucket names (printed in its error). */
export const BOTOCORE_VALID_BUCKET = '^[a-zA-Z0-9.\\-_]{1,255}$';
export const BOTOCORE_VALID_S3_ARN =
  '^arn:(aws).*:(s3|s3-object-lambda):[a-z\\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\\-.]{1,63}$|' +
  '^arn:(aws).*:s3-outposts:[a-z\\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\\-]{1,63}$';
const VALID_BUCKET_RE = new RegExp(BOTOCORE_VALID_BUCKET);
const VALID_S3_ARN_RE = new RegExp(BOTOCORE_VALID_S3_ARN);

/** The client-side check botocore makes before sending (the CLI's ParamValidation). */
export function botocoreBucketParamOk(name: string): boolean {
  return VALID_BUCKET_RE.test(name) || VALID_S3_ARN_RE.test(name);
}
