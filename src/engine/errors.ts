/**
 * AWS errors as the engine returns them: the AWS error code, the HTTP status
 * the real service answers with, and a message in AWS's words.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  /** Extra fields some errors carry (S3's BucketName, Key, ...). */
  readonly extra: Record<string, unknown>;
  constructor(code: string, message: string, httpStatus = 400, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.httpStatus = httpStatus;
    this.extra = extra;
  }
  toJSON(): AwsErrorShape {
    return { code: this.code, message: this.message, httpStatus: this.httpStatus, ...(Object.keys(this.extra).length ? { extra: this.extra } : {}) };
  }
}

export interface AwsErrorShape {
  code: string;
  message: string;
  httpStatus: number;
  extra?: Record<string, unknown>;
}

export function isAwsError(e: unknown): e is AwsError {
  return e instanceof AwsError;
}

/** Generic errors shared by the JSON-protocol services (ECS, ECR, KMS, logs ...). */
export const commonErrors = {
  validation: (message: string) => new AwsError('ValidationException', message, 400),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message, 400),
  accessDenied: (message = 'Access Denied') => new AwsError('AccessDenied', message, 403),
  notYetSimulated: (service: string, operation: string) =>
    new AwsError(
      'NotYetSimulated',
      `The ${operation} operation of ${service} is not yet simulated by Nimbus. Nothing was changed.`,
      501,
    ),
  unknownOperation: (service: string, operation: string) =>
    new AwsError('UnknownOperationException', `The operation ${operation} is not known to the ${service} service.`, 400),
  internal: (message: string) => new AwsError('InternalError', `We encountered an internal error: ${message}`, 500),
};
