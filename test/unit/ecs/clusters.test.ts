import { describe, it, expect } from 'vitest';
import { world, addCapacity, defaultSubnets, FARGATE_WEB } from './helpers';

describe('clusters through the CLI', () => {
  it('creates, lists and describes clusters with their counters', () => {
    const w = world();
    const c = w.json('aws ecs create-cluster --cluster-name demo').cluster;
    expect(c).toMatchObject({ clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/demo', clusterName: 'demo', status: 'ACTIVE', runningTasksCount: 0 });
    expect(c.settings).toEqual([{ name: 'containerInsights', value: 'disabled' }]);
    expect(w.json('aws ecs list-clusters').clusterArns).toEqual(['arn:aws:ecs:us-east-1:123456789012:cluster/demo']);
    // Calling again returns the same cluster.
    expect(w.json('aws ecs create-cluster --cluster-name demo').cluster.clusterArn).toBe(c.clusterArn);
    expect(w.json('aws ecs list-clusters').clusterArns).toHaveLength(1);
  });

  it('creates "default" without a name', () => {
    const w = world();
    expect(w.json('aws ecs create-cluster').cluster.clusterName).toBe('default');
    expect(w.json('aws ecs describe-clusters').clusters[0].clusterName).toBe('default');
  });

  it('reports missing clusters as failures with reason MISSING', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name a');
    const out = w.json('aws ecs describe-clusters --clusters a ghost');
    expect(out.clusters.map((c: any) => c.clusterName)).toEqual(['a']);
    expect(out.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/ghost', reason: 'MISSING' }]);
  });

  it('includes settings, statistics and tags only when asked', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name a --tags key=team,value=web --settings name=containerInsights,value=enabled');
    const plain = w.json('aws ecs describe-clusters --clusters a').clusters[0];
    expect(plain.tags).toEqual([]);
    expect(plain.statistics).toEqual([]);
    expect(plain.settings).toBeUndefined();
    const full = w.json('aws ecs describe-clusters --clusters a --include SETTINGS STATISTICS TAGS').clusters[0];
    expect(full.tags).toEqual([{ key: 'team', value: 'web' }]);
    expect(full.settings).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
    expect(full.statistics.find((s: any) => s.name === 'runningFargateTasksCount')).toEqual({ name: 'runningFargateTasksCount', value: '0' });
  });

  it('updates settings and rejects bad values', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name a');
    const c = w.json('aws ecs update-cluster-settings --cluster a --settings name=containerInsights,value=enhanced').cluster;
    expect(c.settings).toEqual([{ name: 'containerInsights', value: 'enhanced' }]);
    const bad = w.run('aws ecs update-cluster --cluster a --settings name=containerInsights,value=maybe');
    expect(bad.exitCode).toBe(254);
    expect(bad.stderr).toContain('InvalidParameterException');
    expect(w.run('aws ecs update-cluster --cluster nope --settings name=containerInsights,value=enabled').stderr).toContain(
      'An error occurred (ClusterNotFoundException) when calling the UpdateCluster operation: Cluster not found.',
    );
  });

  it('is regional', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    expect(w.json('aws ecs list-clusters --region eu-west-1').clusterArns).toEqual([]);
    expect(w.json('aws ecs describe-clusters --clusters demo --region eu-west-1').failures[0].reason).toBe('MISSING');
    const r = w.run('aws ecs delete-cluster --cluster demo --region eu-west-1');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toContain('ClusterNotFoundException');
  });

  it('manages FARGATE / FARGATE_SPOT capacity providers', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name a --capacity-providers FARGATE');
    const c = w.json('aws ecs put-cluster-capacity-providers --cluster a --capacity-providers FARGATE FARGATE_SPOT --default-capacity-provider-strategy capacityProvider=FARGATE_SPOT,weight=1').cluster;
    expect(c.capacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT']);
    expect(c.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }]);
    const bad = w.run('aws ecs put-cluster-capacity-providers --cluster a --capacity-providers FARGATE --default-capacity-provider-strategy capacityProvider=FARGATE_SPOT,weight=1');
    expect(bad.exitCode).toBe(254);
    expect(bad.stderr).toContain('not associated with the cluster');
    expect(w.run('aws ecs create-cluster --cluster-name b --capacity-providers MYSTERY').stderr).toContain('InvalidParameterException');
  });

  it('deletes an empty cluster, which then shows INACTIVE', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name a');
    expect(w.json('aws ecs delete-cluster --cluster a').cluster.status).toBe('INACTIVE');
    expect(w.json('aws ecs describe-clusters --clusters a').clusters[0].status).toBe('INACTIVE');
    expect(w.json('aws ecs list-clusters').clusterArns).toEqual([]);
    expect(w.run('aws ecs delete-cluster --cluster a').stderr).toContain('ClusterNotFoundException');
  });

  it('refuses to delete a cluster with tasks, then allows it once they stopped', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name a');
    w.writeFile('web.json', FARGATE_WEB);
    w.json('aws ecs register-task-definition --cli-input-json file://web.json');
    const subnet = defaultSubnets(w)[0]!.SubnetId;
    const t = w.json(`aws ecs run-task --cluster a --task-definition web --launch-type FARGATE --network-configuration "awsvpcConfiguration={subnets=[${subnet}]}"`).tasks[0];
    const r = w.run('aws ecs delete-cluster --cluster a');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toContain('An error occurred (ClusterContainsTasksException) when calling the DeleteCluster operation: The Cluster cannot be deleted while Tasks are active.');
    w.json(`aws ecs stop-task --cluster a --task ${t.taskArn}`);
    w.advance(120);
    expect(w.json('aws ecs delete-cluster --cluster a').cluster.status).toBe('INACTIVE');
  });

  it('refuses to delete a cluster with registered container instances', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name cap');
    const arns = addCapacity(w, 'cap', 1);
    expect(arns).toHaveLength(1);
    expect(w.json('aws ecs describe-clusters --clusters cap').clusters[0].registeredContainerInstancesCount).toBe(1);
    const r = w.run('aws ecs delete-cluster --cluster cap');
    expect(r.stderr).toContain('ClusterContainsContainerInstancesException');
  });
});
