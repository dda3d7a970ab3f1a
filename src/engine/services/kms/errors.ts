/** KMS error codes (JSON protocol, HTTP 400 unless noted) with AWS's wording. */
import { AwsError } from '../../errors';

const e = (code: string, message: string, status = 400) => new AwsError(code, message, status);

export const kmsErrors = {
  keyNotFound: (arn: string) => e('NotFoundException', `Key '${arn}' does not exist`),
  aliasNotFound: (arn: string) => e('NotFoundException', `Alias '${arn}' is not found.`),
  invalidKeyId: (id: string) => e('NotFoundException', `Invalid keyId '${id}'`),
  disabled: (arn: string) => e('DisabledException', `${arn} is disabled.`),
  pendingDeletion: (arn: string) => e('KMSInvalidStateException', `${arn} is pending deletion.`),
  notPendingDeletion: (arn: string) => e('KMSInvalidStateException', `${arn} is not pending deletion.`),
  aliasExists: (arn: string) => e('AlreadyExistsException', `An alias with the name ${arn} already exists`),
  reservedAlias: (name: string) => e('NotAuthorizedException', `${name}: the alias/aws/ prefix is reserved for AWS managed keys.`),
  awsManaged: (arn: string) => e('UnsupportedOperationException', `${arn} is an AWS managed key. You cannot change its state or policy.`),
  invalidCiphertext: () => e('InvalidCiphertextException', ''),
  incorrectKey: () => e('IncorrectKeyException', 'The key ID in the request does not identify a KMS key that can perform this operation.'),
  validation: (message: string) => e('ValidationException', message),
  malformedPolicy: (message: string) => e('MalformedPolicyDocumentException', message),
};

/** As S3 reports a KMS failure: the KMS code prefixed with `KMS.`. */
export function asS3KmsError(err: unknown): unknown {
  if (err instanceof AwsError && !err.code.startsWith('KMS.') && /Exception$/.test(err.code)) {
    return new AwsError(`KMS.${err.code}`, err.message || err.code, err.httpStatus);
  }
  return err;
}
