/**
 * The IAM action each S3 operation needs, and the resource it acts on.
 * Bucket actions act on arn:aws:s3:::BUCKET, object actions on arn:aws:s3:::BUCKET/KEY.
 */

export interface ActionInfo {
  action: string;
  /** 'bucket': arn:aws:s3:::bucket; 'object': arn:aws:s3:::bucket/key; 'account': `*` (ListBuckets). */
  on: 'bucket' | 'object' | 'account';
}

const B = (action: string): ActionInfo => ({ action, on: 'bucket' });
const O = (action: string): ActionInfo => ({ action, on: 'object' });

/** Operation -> action. Operations given a VersionId use the *Version* action (see actionFor). */
export const S3_ACTIONS: Record<string, ActionInfo> = {
  ListBuckets: { action: 's3:ListAllMyBuckets', on: 'account' },
  ListDirectoryBuckets: { action: 's3express:ListAllMyDirectoryBuckets', on: 'account' },
  CreateBucket: B('s3:CreateBucket'),
  DeleteBucket: B('s3:DeleteBucket'),
  HeadBucket: B('s3:ListBucket'),
  GetBucketLocation: B('s3:GetBucketLocation'),
  ListObjects: B('s3:ListBucket'),
  ListObjectsV2: B('s3:ListBucket'),
  ListObjectVersions: B('s3:ListBucketVersions'),
  ListMultipartUploads: B('s3:ListBucketMultipartUploads'),
  PutBucketTagging: B('s3:PutBucketTagging'),
  GetBucketTagging: B('s3:GetBucketTagging'),
  DeleteBucketTagging: B('s3:PutBucketTagging'),
  PutBucketEncryption: B('s3:PutEncryptionConfiguration'),
  GetBucketEncryption: B('s3:GetEncryptionConfiguration'),
  DeleteBucketEncryption: B('s3:PutEncryptionConfiguration'),
  PutPublicAccessBlock: B('s3:PutBucketPublicAccessBlock'),
  GetPublicAccessBlock: B('s3:GetBucketPublicAccessBlock'),
  DeletePublicAccessBlock: B('s3:PutBucketPublicAccessBlock'),
  PutBucketOwnershipControls: B('s3:PutBucketOwnershipControls'),
  GetBucketOwnershipControls: B('s3:GetBucketOwnershipControls'),
  DeleteBucketOwnershipControls: B('s3:PutBucketOwnershipControls'),
  PutBucketLifecycleConfiguration: B('s3:PutLifecycleConfiguration'),
  GetBucketLifecycleConfiguration: B('s3:GetLifecycleConfiguration'),
  DeleteBucketLifecycle: B('s3:PutLifecycleConfiguration'),
  PutBucketVersioning: B('s3:PutBucketVersioning'),
  GetBucketVersioning: B('s3:GetBucketVersioning'),
  PutBucketPolicy: B('s3:PutBucketPolicy'),
  GetBucketPolicy: B('s3:GetBucketPolicy'),
  DeleteBucketPolicy: B('s3:DeleteBucketPolicy'),
  GetBucketPolicyStatus: B('s3:GetBucketPolicyStatus'),
  PutBucketAcl: B('s3:PutBucketAcl'),
  GetBucketAcl: B('s3:GetBucketAcl'),
  PutBucketWebsite: B('s3:PutBucketWebsite'),
  GetBucketWebsite: B('s3:GetBucketWebsite'),
  DeleteBucketWebsite: B('s3:DeleteBucketWebsite'),
  PutBucketAccelerateConfiguration: B('s3:PutAccelerateConfiguration'),
  GetBucketAccelerateConfiguration: B('s3:GetAccelerateConfiguration'),
  PutBucketCors: B('s3:PutBucketCORS'),
  GetBucketCors: B('s3:GetBucketCORS'),
  DeleteBucketCors: B('s3:PutBucketCORS'),
  PutBucketLogging: B('s3:PutBucketLogging'),
  GetBucketLogging: B('s3:GetBucketLogging'),
  PutBucketNotificationConfiguration: B('s3:PutBucketNotification'),
  GetBucketNotificationConfiguration: B('s3:GetBucketNotification'),
  PutBucketReplication: B('s3:PutReplicationConfiguration'),
  GetBucketReplication: B('s3:GetReplicationConfiguration'),
  DeleteBucketReplication: B('s3:PutReplicationConfiguration'),
  PutBucketRequestPayment: B('s3:PutBucketRequestPayment'),
  GetBucketRequestPayment: B('s3:GetBucketRequestPayment'),
  PutObjectLockConfiguration: B('s3:PutBucketObjectLockConfiguration'),
  GetObjectLockConfiguration: B('s3:GetBucketObjectLockConfiguration'),
  PutObject: O('s3:PutObject'),
  GetObject: O('s3:GetObject'),
  HeadObject: O('s3:GetObject'),
  GetObjectAttributes: O('s3:GetObject'),
  DeleteObject: O('s3:DeleteObject'),
  DeleteObjects: O('s3:DeleteObject'),
  CopyObject: O('s3:PutObject'),
  CreateMultipartUpload: O('s3:PutObject'),
  UploadPart: O('s3:PutObject'),
  UploadPartCopy: O('s3:PutObject'),
  CompleteMultipartUpload: O('s3:PutObject'),
  AbortMultipartUpload: O('s3:AbortMultipartUpload'),
  ListParts: O('s3:ListMultipartUploadParts'),
  PutObjectTagging: O('s3:PutObjectTagging'),
  GetObjectTagging: O('s3:GetObjectTagging'),
  DeleteObjectTagging: O('s3:DeleteObjectTagging'),
  PutObjectAcl: O('s3:PutObjectAcl'),
  GetObjectAcl: O('s3:GetObjectAcl'),
  RestoreObject: O('s3:RestoreObject'),
  PutObjectRetention: O('s3:PutObjectRetention'),
  GetObjectRetention: O('s3:GetObjectRetention'),
  PutObjectLegalHold: O('s3:PutObjectLegalHold'),
  GetObjectLegalHold: O('s3:GetObjectLegalHold'),
  SelectObjectContent: O('s3:GetObject'),
};

/** With a VersionId these operations need the version-specific action. */
const VERSIONED: Record<string, string> = {
  's3:GetObject': 's3:GetObjectVersion',
  's3:DeleteObject': 's3:DeleteObjectVersion',
  's3:GetObjectTagging': 's3:GetObjectVersionTagging',
  's3:PutObjectTagging': 's3:PutObjectVersionTagging',
  's3:DeleteObjectTagging': 's3:DeleteObjectVersionTagging',
  's3:GetObjectAcl': 's3:GetObjectVersionAcl',
  's3:PutObjectAcl': 's3:PutObjectVersionAcl',
};

/** The action and resource of a request (unknown operations: `s3:<Operation>` on the bucket). */
export function actionFor(operation: string, input: Record<string, unknown>): { action: string; resource: string; on: ActionInfo['on'] } {
  const info = S3_ACTIONS[operation] ?? B(`s3:${operation}`);
  let action = info.action;
  if (typeof input['VersionId'] === 'string' && VERSIONED[action]) action = VERSIONED[action]!;
  const bucket = typeof input['Bucket'] === 'string' ? input['Bucket'] : '';
  const key = typeof input['Key'] === 'string' ? input['Key'] : '';
  const resource = info.on === 'account' ? '*' : info.on === 'object' ? `arn:aws:s3:::${bucket}/${key}` : `arn:aws:s3:::${bucket}`;
  return { action, resource, on: info.on };
}

/** Every S3 action name a bucket policy may use (for "Policy has invalid action"). */
export const KNOWN_S3_ACTIONS: readonly string[] = [
  ...new Set([
    ...Object.values(S3_ACTIONS).map((a) => a.action).filter((a) => a.startsWith('s3:')),
    ...Object.values(VERSIONED),
    's3:AbortMultipartUpload',
    's3:BypassGovernanceRetention',
    's3:CreateAccessPoint',
    's3:CreateJob',
    's3:DeleteAccessPoint',
    's3:DeleteBucketOwnershipControls',
    's3:DeleteObjectVersion',
    's3:GetAccessPoint',
    's3:GetAccountPublicAccessBlock',
    's3:GetAnalyticsConfiguration',
    's3:GetBucketNotification',
    's3:GetBucketObjectLockConfiguration',
    's3:GetBucketVersioning',
    's3:GetIntelligentTieringConfiguration',
    's3:GetInventoryConfiguration',
    's3:GetMetricsConfiguration',
    's3:GetObjectAttributes',
    's3:GetObjectTorrent',
    's3:GetObjectVersionAttributes',
    's3:GetObjectVersionForReplication',
    's3:GetObjectVersionTorrent',
    's3:InitiateReplication',
    's3:ListAccessPoints',
    's3:ListAllMyBuckets',
    's3:ListBucketMultipartUploads',
    's3:ListJobs',
    's3:ObjectOwnerOverrideToBucketOwner',
    's3:PutAccountPublicAccessBlock',
    's3:PutAnalyticsConfiguration',
    's3:PutIntelligentTieringConfiguration',
    's3:PutInventoryConfiguration',
    's3:PutMetricsConfiguration',
    's3:ReplicateDelete',
    's3:ReplicateObject',
    's3:ReplicateTags',
  ]),
].sort();
