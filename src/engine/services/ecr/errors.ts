/** ECR error codes with AWS's wording (all HTTP 400). */
import { AwsError } from '../../errors';

const e = (code: string, message: string, status = 400) => new AwsError(code, message, status);

export const ecrErrors = {
  repositoryNotFound: (name: string, registryId: string) =>
    e('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registryId}'`),
  repositoryAlreadyExists: (name: string, registryId: string) =>
    e('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${registryId}'`),
  repositoryNotEmpty: (name: string, registryId: string) =>
    e(
      'RepositoryNotEmptyException',
      `The repository with name '${name}' in registry with id '${registryId}' cannot be deleted because it still contains images`,
    ),
  invalidRepositoryName: () =>
    e(
      'InvalidParameterException',
      "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''",
    ),
  invalidParameter: (message: string) => e('InvalidParameterException', message),
  validation: (message: string) => e('ValidationException', message),
  imageNotFound: (id: { imageDigest?: string; imageTag?: string }, repo: string, registryId: string) =>
    e(
      'ImageNotFoundException',
      `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repo}' in the registry with id '${registryId}'`,
    ),
  imageTagAlreadyExists: (tag: string, repo: string, registryId: string) =>
    e(
      'ImageTagAlreadyExistsException',
      `The image tag '${tag}' already exists in the '${repo}' repository and cannot be overwritten because the repository is immutable.`,
    ),
  limitExceeded: (message: string) => e('LimitExceededException', message),
  invalidTagParameter: (message: string) => e('InvalidTagParameterException', message),
};
