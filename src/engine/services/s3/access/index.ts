/** S3 access control: the authorize hook, bucket policies, ACLs, Object Ownership, Block Public Access. */
import type { AnyOperation } from '../../../shapes';
import { policyOperations } from './policy';
import { aclOperations } from './acl-ops';

export const accessOperations: AnyOperation[] = [...policyOperations, ...aclOperations];
export { authorizeS3, decideS3, requireS3, allowedS3, registerS3AccessExtension, type S3AccessExtension, type S3AccessRequest, type S3AccessAddition, type S3Check } from './authorize';
export { withAccessControl } from './wrap';
export { S3_ACTIONS, actionFor, KNOWN_S3_ACTIONS } from './actions';
export { effectivePublicAccessBlock, accountPublicAccessBlock, T_ACCOUNT_PAB, type PublicAccessBlock } from './bpa';
export { isPublicPolicy, validateBucketPolicy } from './policy';
export * from './acl';
export { bucketGrants, objectGrants, objectOwner } from './acl-ops';
