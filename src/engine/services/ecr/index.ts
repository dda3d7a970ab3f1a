/** Amazon ECR: private image repositories (images arrive through the pseudo `docker push`). */
import { defineService } from '../../service';
import { repositoryOperations } from './handlers/repositories';
import '../../images/plug';

export const ecr = defineService({
  name: 'ecr',
  cliName: 'ecr',
  title: 'Amazon Elastic Container Registry',
  doc: 'Private Docker image repositories in your account. Create a repository, log docker in with `aws ecr get-login-password`, then tag and push images to its URI; ECS tasks pull them with the task execution role.',
  protocol: 'json',
  operations: repositoryOperations,
});
