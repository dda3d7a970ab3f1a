/** ECS services as the Fargate tutorial uses them: create-service, list/describe, replacement, scaling, delete --force. */
import { describe, expect, it } from 'vitest';
import { world } from '../ecs/helpers';

const TD = JSON.stringify({
  family: 'sample-fargate',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'fargate-app', image: 'public.ecr.aws/docker/library/httpd:latest', essential: true, portMappings: [{ containerPort: 80 }] }],
});

function setup() {
  const w = world();
  w.json('aws ecs create-cluster --cluster-name fargate-cluster');
  w.writeFile('td.json', TD);
  w.json('aws ecs register-task-definition --cli-input-json file://td.json');
  const sub = w.run("aws ec2 describe-subnets --query 'Subnets[0].SubnetId' --output text").stdout.trim();
  const net = `--network-configuration "awsvpcConfiguration={subnets=[${sub}],assignPublicIp=ENABLED}"`;
  return { w, net };
}

describe('ECS services', () => {
  it('create-service answers with the service and its PRIMARY deployment; the scheduler starts the task; the waiter sees it stable', () => {
    const { w, net } = setup();
    const r = w.json(`aws ecs create-service --cluster fargate-cluster --service-name fargate-service --task-definition sample-fargate:1 --desired-count 1 --launch-type FARGATE ${net}`);
    const svc = r.service;
    expect(svc.serviceArn).toBe('arn:aws:ecs:us-east-1:123456789012:service/fargate-cluster/fargate-service');
    expect(svc).toMatchObject({ status: 'ACTIVE', desiredCount: 1, runningCount: 0, pendingCount: 0, launchType: 'FARGATE', platformVersion: 'LATEST', schedulingStrategy: 'REPLICA' });
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments[0].id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(svc.deployments[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' });
    expect(svc.networkConfiguration.awsvpcConfiguration.assignPublicIp).toBe('ENABLED');
    expect(w.json('aws ecs list-services --cluster fargate-cluster').serviceArns).toEqual([svc.serviceArn]);
    expect(w.json('aws ecs describe-clusters --clusters fargate-cluster').clusters[0].activeServicesCount).toBe(1);
    const wait = w.run('aws ecs wait services-stable --cluster fargate-cluster --services fargate-service');
    expect(wait.exitCode).toBe(0);
    const d = w.json('aws ecs describe-services --cluster fargate-cluster --services fargate-service').services[0];
    expect(d).toMatchObject({ runningCount: 1, pendingCount: 0 });
    expect(d.deployments[0].rolloutState).toBe('COMPLETED');
    expect(d.events[0].message).toBe('(service fargate-service) has reached a steady state.');
    expect(d.events[1].message).toMatch(/^\(service fargate-service\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/);
    const t = w.json('aws ecs list-tasks --cluster fargate-cluster --service-name fargate-service').taskArns;
    expect(t).toHaveLength(1);
    const task = w.json(`aws ecs describe-tasks --cluster fargate-cluster --tasks ${t[0]}`).tasks[0];
    expect(task.group).toBe('service:fargate-service');
    expect(task.startedBy).toBe(d.deployments[0].id);
  });

  it('replaces a stopped task, scales with update-service, and deletes with --force only', () => {
    const { w, net } = setup();
    w.json(`aws ecs create-service --cluster fargate-cluster --service-name web --task-definition sample-fargate --desired-count 1 --launch-type FARGATE ${net}`);
    w.advance(60);
    const [first] = w.json('aws ecs list-tasks --cluster fargate-cluster --service-name web').taskArns;
    w.json(`aws ecs stop-task --cluster fargate-cluster --task ${first}`);
    w.advance(90);
    const now = w.json('aws ecs list-tasks --cluster fargate-cluster --service-name web').taskArns;
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(first);
    w.json('aws ecs update-service --cluster fargate-cluster --service web --desired-count 3');
    w.advance(90);
    expect(w.run("aws ecs describe-services --cluster fargate-cluster --services web --query 'services[0].[desiredCount,runningCount]' --output text").stdout.trim()).toBe('3\t3');
    const refused = w.run('aws ecs delete-service --cluster fargate-cluster --service web');
    expect(refused.exitCode).toBe(254);
    expect(refused.stderr).toContain('An error occurred (InvalidParameterException) when calling the DeleteService operation: The service cannot be stopped while it is scaled above 0.');
    expect(w.json('aws ecs delete-service --cluster fargate-cluster --service web --force').service.status).toBe('DRAINING');
    const busy = w.run('aws ecs delete-cluster --cluster fargate-cluster');
    expect(busy.stderr).toContain('ClusterContainsServicesException');
    expect(w.run('aws ecs wait services-inactive --cluster fargate-cluster --services web').exitCode).toBe(0);
    expect(w.json('aws ecs list-services --cluster fargate-cluster').serviceArns).toEqual([]);
    expect(w.json('aws ecs list-tasks --cluster fargate-cluster').taskArns).toEqual([]);
    w.advance(120);
    expect(w.json('aws ecs delete-cluster --cluster fargate-cluster').cluster.status).toBe('INACTIVE');
  });

  it('a new task definition revision rolls the service to a new deployment', () => {
    const { w, net } = setup();
    w.json(`aws ecs create-service --cluster fargate-cluster --service-name web --task-definition sample-fargate --desired-count 2 --launch-type FARGATE ${net}`);
    w.advance(60);
    w.json('aws ecs register-task-definition --cli-input-json file://td.json');
    const u = w.json('aws ecs update-service --cluster fargate-cluster --service web --task-definition sample-fargate:2').service;
    expect(u.deployments.map((d: any) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);
    expect(u.taskDefinition).toMatch(/sample-fargate:2$/);
    expect(w.run('aws ecs wait services-stable --cluster fargate-cluster --services web').exitCode).toBe(0);
    const arns = w.json('aws ecs list-tasks --cluster fargate-cluster --service-name web').taskArns;
    const tasks = w.json(`aws ecs describe-tasks --cluster fargate-cluster --tasks ${arns.join(' ')}`).tasks;
    expect(tasks.map((t: any) => t.taskDefinitionArn.split(':').pop())).toEqual(['2', '2']);
  });

  it('errors as ECS words them', () => {
    const { w, net } = setup();
    w.json(`aws ecs create-service --cluster fargate-cluster --service-name web --task-definition sample-fargate --desired-count 0 --launch-type FARGATE ${net}`);
    const dup = w.run(`aws ecs create-service --cluster fargate-cluster --service-name web --task-definition sample-fargate --desired-count 1 --launch-type FARGATE ${net}`);
    expect(dup.stderr).toContain('(InvalidParameterException) when calling the CreateService operation: Creation of service was not idempotent.');
    const nonet = w.run('aws ecs create-service --cluster fargate-cluster --service-name x --task-definition sample-fargate --desired-count 1 --launch-type FARGATE');
    expect(nonet.stderr).toContain("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    expect(w.run('aws ecs update-service --cluster fargate-cluster --service nope --desired-count 1').stderr).toContain('(ServiceNotFoundException) when calling the UpdateService operation: Service not found.');
    const lt = w.run('aws ecs list-tasks --cluster fargate-cluster --service-name nope');
    expect(lt.exitCode).toBe(254);
    expect(lt.stderr).toContain('(ServiceNotFoundException) when calling the ListTasks operation: Service not found.');
    expect(w.json('aws ecs list-tasks --cluster fargate-cluster --service-name web').taskArns).toEqual([]);
    const missing = w.json('aws ecs describe-services --cluster fargate-cluster --services nope');
    expect(missing.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/fargate-cluster/nope', reason: 'MISSING' }]);
  });
});

describe('ECS service actions and IAM', () => {
  it('are checked against the service ARN', () => {
    const { w, net } = setup();
    w.json('aws iam create-user --user-name alice');
    w.writeFile(
      'p.json',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['ecs:CreateService', 'ecs:DescribeServices'], Resource: 'arn:aws:ecs:us-east-1:123456789012:service/fargate-cluster/web-*' },
          { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
        ],
      }),
    );
    w.json('aws iam put-user-policy --user-name alice --policy-name svc --policy-document file://p.json');
    const ok = w.run(`aws ecs create-service --cluster fargate-cluster --service-name web-1 --task-definition sample-fargate --desired-count 0 --launch-type FARGATE ${net} --profile user:alice`);
    expect(ok.exitCode).toBe(0);
    expect(w.json('aws ecs describe-services --cluster fargate-cluster --services web-1 --profile user:alice').services).toHaveLength(1);
    const denied = w.run(`aws ecs create-service --cluster fargate-cluster --service-name api --task-definition sample-fargate --desired-count 0 --launch-type FARGATE ${net} --profile user:alice`);
    expect(denied.exitCode).toBe(254);
    expect(denied.stderr).toContain('is not authorized to perform: ecs:CreateService on resource: arn:aws:ecs:us-east-1:123456789012:service/fargate-cluster/api');
  });
});

describe('ECS service without capacity', () => {
  it('says why it cannot place tasks, and starts them once container instances join', () => {
    const w = world();
    w.json('aws ecs create-cluster');
    w.json('aws ecs register-task-definition --family web --container-definitions "name=web,image=nginx,memory=512,portMappings=[{containerPort=80,hostPort=80}]"');
    expect(w.json('aws ecs create-service --service-name web --task-definition web --desired-count 2').service.launchType).toBe('EC2');
    w.advance(30);
    const ev = w.json('aws ecs describe-services --services web').services[0].events;
    expect(ev).toHaveLength(1);
    expect(ev[0].message).toBe(
      '(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    expect(w.run('sandbox ec2 add-capacity --cluster default --count 2').exitCode).toBe(0);
    w.advance(600);
    const svc = w.json('aws ecs describe-services --services web').services[0];
    expect(svc.runningCount).toBe(2);
    expect(svc.events[0].message).toBe('(service web) has reached a steady state.');
    // A third task cannot get host port 80 on either instance: the event names the closest instance.
    w.json('aws ecs update-service --service web --desired-count 3');
    w.advance(30);
    const m = w.json('aws ecs describe-services --services web').services[0].events[0].message;
    expect(m).toMatch(/^\(service web\) was unable to place a task because no container instance met all of its requirements\. The closest matching \(container-instance [0-9a-f]{32}\) is already using a port required by your task\./);
  });
});

describe('service name completion', () => {
  it('completes --service with the region\'s services', () => {
    const w = world();
    w.json('aws ecs create-cluster');
    w.json('aws ecs register-task-definition --family web --container-definitions "name=web,image=nginx,memory=64"');
    w.json('aws ecs create-service --service-name web-svc --task-definition web --desired-count 0');
    const line = 'aws ecs update-service --service we';
    expect(w.sh.complete(line, line.length).candidates).toEqual(['web-svc']);
  });
});
