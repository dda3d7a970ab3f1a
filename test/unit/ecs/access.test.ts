import { describe, it, expect } from 'vitest';
import { world } from './helpers';

describe('ECS and IAM identities', () => {
  it('a user without an ECS policy gets AccessDeniedException; a policy that allows the action lets it through', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    w.json('aws iam create-user --user-name alice');
    const denied = w.run('aws ecs list-clusters --profile user:alice');
    expect(denied.exitCode).toBe(254);
    expect(denied.stderr).toContain('(AccessDeniedException) when calling the ListClusters operation: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: ecs:ListClusters');
    w.writeFile(
      'p.json',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['ecs:List*', 'ecs:Describe*'], Resource: '*' },
          { Effect: 'Allow', Action: 'ecs:DeleteCluster', Resource: 'arn:aws:ecs:us-east-1:123456789012:cluster/other' },
        ],
      }),
    );
    w.json('aws iam put-user-policy --user-name alice --policy-name ecs-read --policy-document file://p.json');
    expect(w.json('aws ecs list-clusters --profile user:alice').clusterArns).toHaveLength(1);
    expect(w.json('aws ecs describe-clusters --clusters demo --profile user:alice').clusters[0].clusterName).toBe('demo');
    // Allowed on another cluster's ARN only: deleting demo is refused, and nothing changes.
    expect(w.run('aws ecs delete-cluster --cluster demo --profile user:alice').stderr).toContain('AccessDeniedException');
    expect(w.json('aws ecs describe-clusters --clusters demo').clusters[0].status).toBe('ACTIVE');
  });
});
