import { describe, it, expect } from 'vitest';
import { world, check } from './helpers';

const CAPACITY = [
  'aws ecs create-cluster --cluster-name demo',
  'AMI=$(aws ssm get-parameters --names /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id --query "Parameters[0].Value" --output text)',
  "printf '#!/bin/bash\\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\\n' > ud.sh",
  'aws ec2 run-instances --image-id $AMI --instance-type t3.medium --min-count 3 --max-count 3 --user-data file://ud.sh',
  'sandbox clock advance 1m',
];
const TASKDEF = `cat > td.json <<EOF
{"family":"web","containerDefinitions":[{"name":"web","image":"nginx:latest","memory":256,"essential":true}]}
EOF`;

describe('cluster and container-instances predicates', () => {
  it('a missing cluster, then one without and with registered instances', () => {
    const { sandbox, run } = world();
    const p = { type: 'cluster' as const, cluster: 'demo', registeredContainerInstances: { atLeast: 3 } };
    expect(check(sandbox, p).detail).toBe('there is no cluster named demo in us-east-1 yet');
    run('aws ecs create-cluster --cluster-name demo');
    const o = check(sandbox, p);
    expect(o.met).toBe(false);
    expect(o.detail).toBe('the cluster demo exists, but it has 0 registered container instances, expected at least 3');
    run(...CAPACITY.slice(1));
    expect(check(sandbox, p).met).toBe(true);
    expect(check(sandbox, { type: 'container-instances', cluster: 'demo', count: { exactly: 3 }, instanceType: 't3.medium', agentConnected: true }).met).toBe(true);
    const wrongType = check(sandbox, { type: 'container-instances', cluster: 'demo', count: { atLeast: 1 }, instanceType: 'm5.large' });
    expect(wrongType.met).toBe(false);
    expect(wrongType.detail).toContain('(of 3 registered)');
  });

  it('a cluster in another region is not the one asked for', () => {
    const { sandbox, run } = world();
    run('aws ecs create-cluster --cluster-name demo --region eu-west-1');
    expect(check(sandbox, { type: 'cluster', cluster: 'demo' }).met).toBe(false);
    expect(check(sandbox, { type: 'cluster', cluster: 'demo', region: 'eu-west-1' }).met).toBe(true);
    run('aws ecs delete-cluster --cluster demo --region eu-west-1');
    expect(check(sandbox, { type: 'cluster', cluster: 'demo', region: 'eu-west-1', exists: false }).met).toBe(true);
  });
});

describe('task-definition predicate', () => {
  it('finds a revision with FARGATE, cpu and memory, and names what differs', () => {
    const { sandbox, run } = world();
    const p = { type: 'task-definition' as const, family: 'web', requiresCompatibilities: ['FARGATE'], cpu: 256, memory: '512' };
    expect(check(sandbox, p).detail).toBe('no task definition of the family web is registered in us-east-1 yet');
    run(TASKDEF, 'aws ecs register-task-definition --cli-input-json file://td.json');
    const o = check(sandbox, p);
    expect(o.met).toBe(false);
    expect(o.detail).toContain('web:1 is registered, but it does not require FARGATE');
    run(
      `cat > f.json <<EOF
{"family":"web","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"512","containerDefinitions":[{"name":"web","image":"nginx:latest","essential":true}]}
EOF`,
      'aws ecs register-task-definition --cli-input-json file://f.json',
    );
    expect(check(sandbox, p).met).toBe(true);
    expect(check(sandbox, { type: 'task-definition', family: 'web', revisions: { exactly: 2 }, image: 'nginx:*' }).met).toBe(true);
    expect(check(sandbox, { type: 'task-definition', family: 'web', image: 'httpd:2.4' }).detail).toContain('no container uses the image httpd:2.4');
  });
});

describe('tasks predicate', () => {
  it('counts RUNNING tasks of a family and the instances they run on', () => {
    const { sandbox, run } = world();
    run(...CAPACITY, TASKDEF, 'aws ecs register-task-definition --cli-input-json file://td.json');
    const p = { type: 'tasks' as const, cluster: 'demo', family: 'web', count: { atLeast: 3 }, distinctInstances: 3 };
    expect(check(sandbox, p).detail).toContain('there are 0 RUNNING tasks of web matching, expected at least 3');
    run('aws ecs run-task --cluster demo --task-definition web --count 3 --placement-strategy type=binpack,field=memory');
    run('sandbox clock advance 1m');
    const bin = check(sandbox, p);
    expect(bin.met).toBe(false);
    expect(bin.detail).toMatch(/run on 1 instance only, expected at least 3 different instances/);
    run('aws ecs run-task --cluster demo --task-definition web --count 3 --placement-strategy type=spread,field=instanceId', 'sandbox clock advance 1m');
    expect(check(sandbox, p).met).toBe(true);
    expect(check(sandbox, { type: 'tasks', cluster: 'demo', family: 'web', count: { exactly: 6 }, launchType: 'EC2' }).met).toBe(true);
  });

  it('sees STOPPED tasks and their reason', () => {
    const { sandbox, run } = world();
    run(...CAPACITY, TASKDEF, 'aws ecs register-task-definition --cli-input-json file://td.json', 'aws ecs run-task --cluster demo --task-definition web', 'sandbox clock advance 1m');
    const arn = run('aws ecs list-tasks --cluster demo --query "taskArns[0]" --output text').trim();
    run(`aws ecs stop-task --cluster demo --task ${arn} --reason "done for today"`, 'sandbox clock advance 2m');
    expect(check(sandbox, { type: 'tasks', cluster: 'demo', status: 'STOPPED', count: { exactly: 1 }, stoppedReason: 'done for today' }).met).toBe(true);
    expect(check(sandbox, { type: 'tasks', cluster: 'demo', count: { atLeast: 1 } }).detail).toContain('1 STOPPED');
  });
});

describe('ec2-instances predicate', () => {
  it('counts running instances of a type', () => {
    const { sandbox, run } = world();
    expect(check(sandbox, { type: 'ec2-instances', count: { atLeast: 1 } }).met).toBe(false);
    run(...CAPACITY);
    expect(check(sandbox, { type: 'ec2-instances', count: { exactly: 3 }, instanceType: 't3.medium' }).met).toBe(true);
  });
});
