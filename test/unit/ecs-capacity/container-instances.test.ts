import { describe, it, expect } from 'vitest';
import { world } from '../ec2/world';

function cluster(count = 3, type = 't3.medium') {
  const w = world();
  w.json('aws ecs create-cluster --cluster-name demo');
  const r = w.run(`sandbox ec2 add-capacity --cluster demo --count ${count} --instance-type ${type}`);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  const arns = w.json('aws ecs list-container-instances --cluster demo').containerInstanceArns as string[];
  return { w, arns };
}

const ids = (w: ReturnType<typeof world>, args: string) => w.json(`aws ecs list-container-instances --cluster demo ${args}`).containerInstanceArns as string[];

describe('sandbox ec2 add-capacity', () => {
  it('launches running instances spread over AZs that are registered at once', () => {
    const { w, arns } = cluster(3);
    expect(arns).toHaveLength(3);
    const cis = w.json(`aws ecs describe-container-instances --cluster demo --container-instances ${arns.join(' ')}`).containerInstances;
    const azs = cis.map((c: any) => c.attributes.find((a: any) => a.name === 'ecs.availability-zone').value);
    expect(new Set(azs).size).toBe(3);
    const insts = w.json('aws ec2 describe-instances').Reservations.flatMap((r: any) => r.Instances);
    expect(insts.map((i: any) => i.State.Name)).toEqual(['running', 'running', 'running']);
    expect(w.json('aws ecs describe-clusters --clusters demo').clusters[0].registeredContainerInstancesCount).toBe(3);
  });

  it('pins an AZ, refuses unknown clusters, types and zones', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    expect(w.run('sandbox ec2 add-capacity --cluster demo --count 2 --az us-east-1c').exitCode).toBe(0);
    expect(ids(w, '--filter "attribute:ecs.availability-zone == us-east-1c"')).toHaveLength(2);
    expect(w.run('sandbox ec2 add-capacity --cluster nope').stderr).toContain('does not exist');
    expect(w.run('sandbox ec2 add-capacity --cluster demo --instance-type t9.huge').exitCode).not.toBe(0);
    expect(w.run('sandbox ec2 add-capacity --cluster demo --az us-east-1z').exitCode).not.toBe(0);
    expect(w.run('sandbox ec2 add-capacity').exitCode).toBe(2);
    expect(w.run('sandbox ec2 add-capacity --cluster demo --instance-type t4g.medium').exitCode).toBe(0);
    expect(ids(w, '--filter "attribute:ecs.cpu-architecture == arm64"')).toHaveLength(1);
  });
});

describe('ListContainerInstances --filter and --status', () => {
  it('filters with the cluster query language', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    w.run('sandbox ec2 add-capacity --cluster demo --count 2 --instance-type t3.medium --az us-east-1a');
    w.run('sandbox ec2 add-capacity --cluster demo --count 1 --instance-type m5.large --az us-east-1b');
    expect(ids(w, '--filter "attribute:ecs.instance-type == t3.medium"')).toHaveLength(2);
    expect(ids(w, '--filter "attribute:ecs.instance-type != t3.medium"')).toHaveLength(1);
    expect(ids(w, '--filter "attribute:ecs.instance-type in [m5.large, c5.large]"')).toHaveLength(1);
    expect(ids(w, '--filter "attribute:ecs.instance-type =~ t3.*"')).toHaveLength(2);
    expect(ids(w, '--filter "attribute:ecs.availability-zone == us-east-1b or attribute:ecs.instance-type == t3.medium"')).toHaveLength(3);
    expect(ids(w, '--filter "not(attribute:ecs.availability-zone == us-east-1a)"')).toHaveLength(1);
    expect(ids(w, '--filter "attribute:ecs.os-type exists && attribute:stack !exists"')).toHaveLength(3);
    expect(ids(w, '--filter "runningTasksCount == 0"')).toHaveLength(3);
    for (const expr of ['attribute:ecs.instance-type ==', 'colour == blue', '(attribute:a == b', 'attribute:a in b']) {
      const bad = w.run(`aws ecs list-container-instances --cluster demo --filter "${expr}"`);
      expect(bad.exitCode).toBe(254);
      expect(bad.stderr).toContain('InvalidParameterException');
    }
    expect(w.run('aws ecs list-container-instances --cluster nope').stderr).toContain('ClusterNotFoundException');
    expect(w.json('aws ecs list-container-instances --cluster demo --max-results 2').containerInstanceArns).toHaveLength(2);
  });
});

describe('attributes', () => {
  it('puts, lists, filters on and deletes custom attributes', () => {
    const { w, arns } = cluster(2);
    const id = arns[0]!.split('/').pop();
    const put = w.json(`aws ecs put-attributes --cluster demo --attributes name=stack,value=prod,targetId=${id}`);
    expect(put.attributes[0]).toMatchObject({ name: 'stack', value: 'prod', targetId: arns[0] });
    expect(ids(w, '--filter "attribute:stack == prod"')).toEqual([arns[0]]);
    const listed = w.json('aws ecs list-attributes --cluster demo --target-type container-instance --attribute-name stack').attributes;
    expect(listed).toEqual([{ name: 'stack', value: 'prod', targetId: arns[0] }]);
    expect(w.json('aws ecs list-attributes --cluster demo --target-type container-instance --attribute-name ecs.os-type --attribute-value linux').attributes).toHaveLength(2);
    w.json(`aws ecs delete-attributes --cluster demo --attributes name=stack,targetId=${arns[0]}`);
    expect(ids(w, '--filter "attribute:stack exists"')).toHaveLength(0);
  });

  it('refuses unknown targets, reserved names and more than 10 custom attributes', () => {
    const { w, arns } = cluster(1);
    const nf = w.run('aws ecs put-attributes --cluster demo --attributes name=a,value=b,targetId=0123456789abcdef0123456789abcdef');
    expect(nf.exitCode).toBe(254);
    expect(nf.stderr).toContain('TargetNotFoundException');
    expect(w.run(`aws ecs put-attributes --cluster demo --attributes name=ecs.instance-type,value=x,targetId=${arns[0]}`).stderr).toContain('InvalidParameterException');
    for (let i = 0; i < 10; i++) w.json(`aws ecs put-attributes --cluster demo --attributes name=k${i},value=v,targetId=${arns[0]}`);
    const over = w.run(`aws ecs put-attributes --cluster demo --attributes name=k10,value=v,targetId=${arns[0]}`);
    expect(over.stderr).toContain('AttributeLimitExceededException');
    // replacing an existing one is fine
    expect(w.run(`aws ecs put-attributes --cluster demo --attributes name=k3,value=w,targetId=${arns[0]}`).exitCode).toBe(0);
  });
});

describe('describe, drain, deregister', () => {
  it('reports missing container instances in failures', () => {
    const { w, arns } = cluster(1);
    const d = w.json(`aws ecs describe-container-instances --cluster demo --container-instances ${arns[0]} 0123456789abcdef0123456789abcdef`);
    expect(d.containerInstances).toHaveLength(1);
    expect(d.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/demo/0123456789abcdef0123456789abcdef', reason: 'MISSING' }]);
    const withTags = w.json(`aws ecs describe-container-instances --cluster demo --container-instances ${arns[0]} --include TAGS`).containerInstances[0];
    expect(withTags.tags).toEqual([]);
  });

  it('drains and reactivates', () => {
    const { w, arns } = cluster(2);
    const u = w.json(`aws ecs update-container-instances-state --cluster demo --container-instances ${arns[0]} --status DRAINING`);
    expect(u.containerInstances[0].status).toBe('DRAINING');
    expect(ids(w, '--status DRAINING')).toEqual([arns[0]]);
    expect(ids(w, '--status ACTIVE')).toEqual([arns[1]]);
    expect(ids(w, '')).toHaveLength(2);
    expect(w.run(`aws ecs update-container-instances-state --cluster demo --container-instances ${arns[0]} --status DEREGISTERING`).stderr).toContain('InvalidParameterException');
    w.json(`aws ecs update-container-instances-state --cluster demo --container-instances ${arns[0]} --status ACTIVE`);
    expect(ids(w, '--status ACTIVE')).toHaveLength(2);
  });

  it('deregisters to INACTIVE; then the cluster can be deleted', () => {
    const { w, arns } = cluster(1);
    expect(w.run('aws ecs delete-cluster --cluster demo').stderr).toContain('ClusterContainsContainerInstancesException');
    const d = w.json(`aws ecs deregister-container-instance --cluster demo --container-instance ${arns[0]}`).containerInstance;
    expect(d.status).toBe('INACTIVE');
    expect(ids(w, '')).toHaveLength(0);
    expect(w.json('aws ecs describe-clusters --clusters demo').clusters[0].registeredContainerInstancesCount).toBe(0);
    expect(w.run('aws ecs delete-cluster --cluster demo').exitCode).toBe(0);
  });

  it('shows what a running task holds and refuses to deregister under it unless --force', () => {
    const { w, arns } = cluster(1);
    w.json(`aws ecs register-task-definition --family web --requires-compatibilities EC2 --network-mode bridge --container-definitions '[{"name":"web","image":"nginx","cpu":512,"memory":1024,"essential":true,"portMappings":[{"containerPort":80,"hostPort":8080}]}]'`);
    const run = w.json('aws ecs run-task --cluster demo --task-definition web --launch-type EC2');
    expect(run.failures).toEqual([]);
    w.advance(60_000);
    const ci = w.json(`aws ecs describe-container-instances --cluster demo --container-instances ${arns[0]}`).containerInstances[0];
    const rem = Object.fromEntries(ci.remainingResources.map((r: any) => [r.name, r.type === 'STRINGSET' ? r.stringSetValue : r.integerValue]));
    expect(rem.CPU).toBe(2048 - 512);
    expect(rem.MEMORY).toBe(3904 - 1024);
    expect(rem.PORTS).toContain('8080');
    expect(ci.runningTasksCount + ci.pendingTasksCount).toBe(1);
    const refused = w.run(`aws ecs deregister-container-instance --cluster demo --container-instance ${arns[0]}`);
    expect(refused.exitCode).toBe(254);
    expect(refused.stderr).toContain('InvalidParameterException');
    expect(refused.stderr).toContain('Found running tasks on the instance.');
    const forced = w.json(`aws ecs deregister-container-instance --cluster demo --container-instance ${arns[0]} --force`).containerInstance;
    expect(forced.status).toBe('INACTIVE');
  });

  it('terminating an instance stops its tasks', () => {
    const { w, arns } = cluster(1);
    w.json(`aws ecs register-task-definition --family web --requires-compatibilities EC2 --container-definitions '[{"name":"web","image":"nginx","memory":256,"essential":true}]'`);
    const task = w.json('aws ecs run-task --cluster demo --task-definition web --launch-type EC2').tasks[0];
    w.advance(60_000);
    const ec2Id = w.json(`aws ecs describe-container-instances --cluster demo --container-instances ${arns[0]}`).containerInstances[0].ec2InstanceId;
    w.json(`aws ec2 terminate-instances --instance-ids ${ec2Id}`);
    w.advance(5 * 60_000);
    const t = w.json(`aws ecs describe-tasks --cluster demo --tasks ${task.taskArn}`).tasks[0];
    expect(t.lastStatus).toBe('STOPPED');
    expect(t.stoppedReason).toContain(ec2Id);
  });
});
