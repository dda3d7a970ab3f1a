/**
 * ECS error codes with the HTTP status the service answers with and AWS's
 * wording. Every ECS handler throws through these factories.
 */
import { AwsError } from '../../errors';

export const ecsErrors = {
  /** Caller mistake that the API reports generically (bad task definition, unknown revision ...). */
  client: (message: string) => new AwsError('ClientException', message, 400),
  server: (message = 'Service Unavailable. Please try again later.') => new AwsError('ServerException', message, 500),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message, 400),
  clusterNotFound: (message = 'Cluster not found.') => new AwsError('ClusterNotFoundException', message, 400),
  clusterContainsContainerInstances: () =>
    new AwsError(
      'ClusterContainsContainerInstancesException',
      'The Cluster cannot be deleted while Container Instances are active or draining.',
      400,
    ),
  clusterContainsServices: () =>
    new AwsError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.', 400),
  clusterContainsTasks: () =>
    new AwsError('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.', 400),
  clusterContainsCapacityProvider: () =>
    new AwsError(
      'ClusterContainsCapacityProviderException',
      'The cluster cannot be deleted while capacity providers are associated with it.',
      400,
    ),
  platformUnknown: (message = 'The specified platform version does not exist.') =>
    new AwsError('PlatformUnknownException', message, 400),
  platformIncompatible: (message: string) => new AwsError('PlatformTaskDefinitionIncompatibilityException', message, 400),
  accessDenied: (identityArn: string, action: string, resource: string) =>
    new AwsError(
      'AccessDeniedException',
      `User: ${identityArn} is not authorized to perform: ecs:${action} on resource: ${resource}`,
      400,
    ),
  limitExceeded: (message: string) => new AwsError('LimitExceededException', message, 400),
  resourceNotFound: (message = 'The specified resource could not be found.') =>
    new AwsError('ResourceNotFoundException', message, 400),
  resourceInUse: (message: string) => new AwsError('ResourceInUseException', message, 400),
  serviceNotFound: (message = 'Service not found.') => new AwsError('ServiceNotFoundException', message, 400),
  serviceNotActive: (message = 'Service was not ACTIVE.') => new AwsError('ServiceNotActiveException', message, 400),
  unsupportedFeature: (message: string) => new AwsError('UnsupportedFeatureException', message, 400),
  attributeLimitExceeded: (message = 'You have exceeded the maximum number of attributes for this resource.') =>
    new AwsError('AttributeLimitExceededException', message, 400),
  blocked: (message = 'Your AWS account has been blocked.') => new AwsError('BlockedException', message, 400),
  /** The error RunTask and friends give when the task definition cannot be found. */
  taskDefinitionNotFound: () => new AwsError('ClientException', 'Unable to describe task definition.', 400),
};

export type EcsErrorFactory = keyof typeof ecsErrors;
