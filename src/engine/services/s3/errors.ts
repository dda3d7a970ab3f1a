/** S3's error codes, each with the HTTP status and message S3 answers with. */
import { AwsError } from '../../errors';

const e = (code: string, message: string, status: number, extra: Record<string, unknown> = {}) => new AwsError(code, message, status, extra);

export const s3Errors = {
  noSuchBucket: (bucket: string) => e('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket }),
  noSuchKey: (key: string) => e('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }),
  noSuchUpload: (uploadId: string) =>
    e('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, {
      UploadId: uploadId,
    }),
  noSuchVersion: (key: string, versionId: string) =>
    e('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId }),
  invalidVersionId: () => e('InvalidArgument', 'Invalid version id specified', 400, { ArgumentName: 'versionId' }),
  bucketAlreadyExists: (bucket: string) =>
    e(
      'BucketAlreadyExists',
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      409,
      { BucketName: bucket },
    ),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    e('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucket }),
  invalidBucketName: (bucket: string) => e('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket }),
  invalidLocationConstraint: (lc: string) =>
    e('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: lc }),
  illegalLocationConstraint: (lc: string | undefined) =>
    e(
      'IllegalLocationConstraintException',
      `The ${lc ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      400,
    ),
  bucketNotEmpty: (bucket: string, versioned: boolean) =>
    e(
      'BucketNotEmpty',
      versioned ? 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.' : 'The bucket you tried to delete is not empty',
      409,
      { BucketName: bucket },
    ),
  tooManyBuckets: () => e('TooManyBuckets', 'You have attempted to create more buckets than allowed', 400),
  accessDenied: () => e('AccessDenied', 'Access Denied', 403),
  invalidObjectState: (storageClass: string) =>
    e('InvalidObjectState', "The operation is not valid for the object's storage class", 403, { StorageClass: storageClass }),
  restoreNotAllowed: (storageClass: string) =>
    e('InvalidObjectState', "Restore is not allowed for the object's current storage class", 403, { StorageClass: storageClass }),
  restoreInProgress: () => e('RestoreAlreadyInProgress', 'Object restore is already in progress', 409),
  invalidArgument: (message: string, name?: string, value?: unknown) =>
    e('InvalidArgument', message, 400, name ? { ArgumentName: name, ArgumentValue: value } : {}),
  invalidRequest: (message: string) => e('InvalidRequest', message, 400),
  keyTooLong: (size: number) => e('KeyTooLongError', 'Your key is too long', 400, { MaxSizeAllowed: 1024, Size: size }),
  metadataTooLarge: (size: number) =>
    e('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', 400, { MaxSizeAllowed: 2048, Size: size }),
  entityTooSmall: (size: number, partNumber: number, etag: string) =>
    e('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, {
      ProposedSize: size,
      MinSizeAllowed: 5242880,
      PartNumber: partNumber,
      ETag: etag,
    }),
  entityTooLarge: (size: number) =>
    e('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: size, MaxSizeAllowed: 5368709120 }),
  invalidPart: (partNumber: number) =>
    e(
      'InvalidPart',
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      400,
      { PartNumber: partNumber },
    ),
  invalidPartOrder: () =>
    e('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400),
  invalidRange: (size: number, range: string) =>
    e('InvalidRange', 'The requested range is not satisfiable', 416, { ActualObjectSize: size, RangeRequested: range }),
  noSuchTagSet: () => e('NoSuchTagSet', 'The TagSet does not exist', 404),
  invalidTag: (message: string) => e('InvalidTag', message, 400),
  noSuchLifecycle: (bucket: string) => e('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404, { BucketName: bucket }),
  noSuchPublicAccessBlock: (bucket: string) =>
    e('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, { BucketName: bucket }),
  noOwnershipControls: (bucket: string) =>
    e('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', 404, { BucketName: bucket }),
  malformedXml: () =>
    e('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400),
  methodNotAllowed: () => e('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405),
  invalidStorageClass: () => e('InvalidStorageClass', 'The storage class you specified is not valid', 400),
  invalidToken: () => e('InvalidArgument', 'The continuation token provided is incorrect', 400, { ArgumentName: 'continuation-token' }),
  preconditionFailed: (condition: string) => e('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition }),
};

/** HEAD requests carry no body, so the CLI only sees the HTTP status: `(404) ... Not Found`. */
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 412: 'Precondition Failed', 416: 'Requested Range Not Satisfiable' };

export function asHeadError(err: unknown): unknown {
  if (err instanceof AwsError) {
    return new AwsError(String(err.httpStatus), STATUS_TEXT[err.httpStatus] ?? 'Error', err.httpStatus, { ...err.extra, S3Code: err.code });
  }
  return err;
}
