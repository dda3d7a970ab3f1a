import { describe, it, expect } from 'vitest';
import { world, addCapacity, defaultSubnets, FARGATE_WEB, type World } from './helpers';

function fargateWorld(): { w: World; subnet: string; az: string; net: string } {
  const w = world();
  w.json('aws ecs create-cluster --cluster-name demo --capacity-providers FARGATE FARGATE_SPOT');
  w.writeFile('web.json', FARGATE_WEB);
  w.json('aws ecs register-task-definition --cli-input-json file://web.json');
  const s = defaultSubnets(w)[1]!;
  return { w, subnet: s.SubnetId, az: s.AvailabilityZone, net: `--network-configuration "awsvpcConfiguration={subnets=[${s.SubnetId}],assignPublicIp=ENABLED}"` };
}

const describeTask = (w: World, arn: string) => w.json(`aws ecs describe-tasks --cluster demo --tasks ${arn}`).tasks[0];

describe('Fargate tasks', () => {
  it('need a network configuration for awsvpc', () => {
    const { w } = fargateWorld();
    const r = w.run('aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE');
    expect(r.exitCode).toBe(254);
    expect(r.stderr.trim()).toBe(
      "An error occurred (InvalidParameterException) when calling the RunTask operation: Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  });

  it('refuse unknown subnets and unknown platform versions', () => {
    const { w, subnet } = fargateWorld();
    const r = w.run('aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE --network-configuration "awsvpcConfiguration={subnets=[subnet-0000000000000000f]}"');
    expect(r.stderr).toContain('InvalidParameterException');
    expect(r.stderr).toContain('subnet-0000000000000000f');
    const p = w.run(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE --platform-version 9.9.9 --network-configuration "awsvpcConfiguration={subnets=[${subnet}]}"`);
    expect(p.stderr).toContain('PlatformUnknownException');
  });

  it('get an ENI with a private IP from the subnet, platform 1.4.0, and go through the lifecycle on the clock', () => {
    const { w, subnet, az, net } = fargateWorld();
    const out = w.json(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE --count 2 ${net}`);
    expect(out.failures).toEqual([]);
    expect(out.tasks).toHaveLength(2);
    const t = out.tasks[0];
    expect(t.taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/demo\/[0-9a-f]{32}$/);
    expect(t).toMatchObject({ lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', launchType: 'FARGATE', platformVersion: '1.4.0', cpu: '256', memory: '512', availabilityZone: az, group: 'family:web' });
    expect(t.containerInstanceArn).toBeUndefined();
    const eni = t.attachments[0];
    expect(eni.type).toBe('ElasticNetworkInterface');
    const detail = Object.fromEntries(eni.details.map((d: any) => [d.name, d.value]));
    expect(detail.subnetId).toBe(subnet);
    expect(detail.privateIPv4Address).toMatch(/^172\.31\.(1[6-9]|2\d|3[01])\.\d+$/); // inside the subnet's 172.31.16.0/20
    expect(detail.networkInterfaceId).toMatch(/^eni-[0-9a-f]{17}$/);
    expect(t.containers[0].networkInterfaces[0].privateIpv4Address).toBe(detail.privateIPv4Address);
    // The two tasks got different addresses.
    const ip2 = out.tasks[1].attachments[0].details.find((d: any) => d.name === 'privateIPv4Address').value;
    expect(ip2).not.toBe(detail.privateIPv4Address);

    const states: string[] = [];
    for (let i = 0; i < 40; i++) {
      const s = describeTask(w, t.taskArn).lastStatus;
      if (states[states.length - 1] !== s) states.push(s);
      w.advance(1);
    }
    expect(states).toEqual(['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING']);
    const running = describeTask(w, t.taskArn);
    expect(running.containers[0].lastStatus).toBe('RUNNING');
    expect(running.pullStartedAt <= running.pullStoppedAt && running.pullStoppedAt <= running.startedAt).toBe(true);
    expect(running.connectivity).toBe('CONNECTED');
    expect(w.json('aws ecs describe-clusters --clusters demo').clusters[0].runningTasksCount).toBe(2);
  });

  it('stop with UserInitiated: StopTask answers RUNNING/STOPPED, then DEACTIVATING, STOPPING, DEPROVISIONING to STOPPED', () => {
    const { w, net } = fargateWorld();
    const t = w.json(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE ${net}`).tasks[0];
    w.advance(60);
    const stopped = w.json(`aws ecs stop-task --cluster demo --task ${t.taskArn} --reason "done for today"`).task;
    expect(stopped).toMatchObject({ desiredStatus: 'STOPPED', lastStatus: 'RUNNING', stopCode: 'UserInitiated', stoppedReason: 'done for today' });
    const states: string[] = [];
    for (let i = 0; i < 60; i++) {
      const s = describeTask(w, t.taskArn).lastStatus;
      if (states[states.length - 1] !== s) states.push(s);
      w.advance(1);
    }
    expect(states).toEqual(['RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED']);
    const final = describeTask(w, t.taskArn);
    expect(final.containers[0].exitCode).toBe(0);
    expect(final.attachments[0].status).toBe('DELETED');
    expect(final.stoppedAt).toBeDefined();
    expect(w.json('aws ecs list-tasks --cluster demo').taskArns).toEqual([]);
    expect(w.json('aws ecs list-tasks --cluster demo --desired-status STOPPED').taskArns).toEqual([t.taskArn]);
    // After an hour, a stopped task is gone.
    w.advance(3700);
    expect(w.json(`aws ecs describe-tasks --cluster demo --tasks ${t.taskArn}`).failures[0].reason).toBe('MISSING');
    expect(w.sb.db.table('ecs.tasks').has(t.taskArn)).toBe(false);
  });

  it('--count is 1 to 10 (the tasks-per-run quota)', () => {
    const { w, net } = fargateWorld();
    expect(w.run(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE --count 11 ${net}`).stderr).toContain(
      '(InvalidParameterException) when calling the RunTask operation: Task count can not be greater than 10',
    );
    expect(w.run(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE --count 0 ${net}`).exitCode).toBe(254);
    w.run('sandbox quota set ecs-tasks-per-run 20');
    expect(w.json(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE --count 11 ${net}`).tasks).toHaveLength(11);
  });

  it('stop-task on an unknown task', () => {
    const { w } = fargateWorld();
    const r = w.run('aws ecs stop-task --cluster demo --task 0123456789abcdef0123456789abcdef');
    expect(r.stderr.trim()).toBe('An error occurred (InvalidParameterException) when calling the StopTask operation: The referenced task was not found.');
  });

  it('a missing image fails the task with CannotPullContainerError and TaskFailedToStart', () => {
    const { w, net } = fargateWorld();
    w.json(`aws ecs register-task-definition --family broken --requires-compatibilities FARGATE --network-mode awsvpc --cpu 256 --memory 512 --container-definitions '[{"name":"app","image":"nginxx:latest"}]'`);
    const t = w.json(`aws ecs run-task --cluster demo --task-definition broken --launch-type FARGATE ${net}`).tasks[0];
    w.advance(120);
    const d = describeTask(w, t.taskArn);
    expect(d.lastStatus).toBe('STOPPED');
    expect(d.stopCode).toBe('TaskFailedToStart');
    expect(d.stoppedReason).toMatch(/^CannotPullContainerError: /);
    expect(d.containers[0].reason).toContain('docker.io/library/nginxx:latest');
    expect(d.startedAt).toBeUndefined();
  });

  it('an essential container that exits stops the task with its exit code', () => {
    const { w, net } = fargateWorld();
    w.json(`aws ecs register-task-definition --family job --requires-compatibilities FARGATE --network-mode awsvpc --cpu 256 --memory 512 --container-definitions '[{"name":"job","image":"busybox","command":["sh","-c","sleep 30; exit 3"]}]'`);
    const t = w.json(`aws ecs run-task --cluster demo --task-definition job --launch-type FARGATE ${net}`).tasks[0];
    w.advance(25);
    expect(describeTask(w, t.taskArn).lastStatus).toBe('RUNNING');
    w.advance(80);
    const d = describeTask(w, t.taskArn);
    expect(d.lastStatus).toBe('STOPPED');
    expect(d.stopCode).toBe('EssentialContainerExited');
    expect(d.stoppedReason).toBe('Essential container in task exited');
    expect(d.containers[0].exitCode).toBe(3);
  });

  it('container overrides change the command; unknown container names are refused', () => {
    const { w, net } = fargateWorld();
    w.writeFile('ov.json', JSON.stringify({ containerOverrides: [{ name: 'web', command: ['sh', '-c', 'exit 7'] }] }));
    const t = w.json(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE ${net} --overrides file://ov.json`).tasks[0];
    expect(t.overrides.containerOverrides[0].command).toEqual(['sh', '-c', 'exit 7']);
    w.advance(120);
    expect(describeTask(w, t.taskArn).containers[0].exitCode).toBe(7);
    w.writeFile('bad.json', JSON.stringify({ containerOverrides: [{ name: 'nope' }] }));
    expect(w.run(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE ${net} --overrides file://bad.json`).stderr).toContain(
      'Override for container named nope is not a container in the TaskDefinition.',
    );
  });

  it('FARGATE_SPOT through a capacity provider strategy', () => {
    const { w, net } = fargateWorld();
    const out = w.json(`aws ecs run-task --cluster demo --task-definition web --count 4 --capacity-provider-strategy capacityProvider=FARGATE,base=1,weight=1 capacityProvider=FARGATE_SPOT,weight=1 ${net}`);
    const providers = out.tasks.map((t: any) => t.capacityProviderName).sort();
    expect(providers.filter((p: string) => p === 'FARGATE_SPOT').length).toBeGreaterThanOrEqual(1);
    expect(providers).toContain('FARGATE');
    expect(out.tasks.every((t: any) => t.launchType === 'FARGATE')).toBe(true);
    const both = w.run(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE --capacity-provider-strategy capacityProvider=FARGATE ${net}`);
    expect(both.stderr).toContain('Specifying both a launch type and capacity provider strategy is not supported.');
  });

  it('tags: --tags, propagate from the task definition, managed tags, and tag-resource', () => {
    const { w, net } = fargateWorld();
    w.json('aws ecs tag-resource --resource-arn arn:aws:ecs:us-east-1:123456789012:task-definition/web:1 --tags key=app,value=web');
    const t = w.json(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE ${net} --tags key=run,value=1 --propagate-tags TASK_DEFINITION --enable-ecs-managed-tags`).tasks[0];
    const tags = w.json(`aws ecs list-tags-for-resource --resource-arn ${t.taskArn}`).tags;
    expect(tags).toEqual(expect.arrayContaining([{ key: 'app', value: 'web' }, { key: 'run', value: '1' }, { key: 'aws:ecs:clusterName', value: 'demo' }]));
    w.json(`aws ecs untag-resource --resource-arn ${t.taskArn} --tag-keys run`);
    expect(w.json(`aws ecs list-tags-for-resource --resource-arn ${t.taskArn}`).tags.map((x: any) => x.key)).not.toContain('run');
    w.json('aws ecs tag-resource --resource-arn arn:aws:ecs:us-east-1:123456789012:cluster/demo --tags key=team,value=a');
    expect(w.json('aws ecs describe-clusters --clusters demo --include TAGS').clusters[0].tags).toEqual([{ key: 'team', value: 'a' }]);
    expect(w.run('aws ecs tag-resource --resource-arn arn:aws:ecs:us-east-1:123456789012:cluster/demo --tags key=aws:x,value=1').exitCode).toBe(254);
  });

  it('list-tasks filters by family, started-by and launch type', () => {
    const { w, net } = fargateWorld();
    w.json(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE ${net} --started-by me`);
    w.json(`aws ecs run-task --cluster demo --task-definition web --launch-type FARGATE ${net}`);
    expect(w.json('aws ecs list-tasks --cluster demo').taskArns).toHaveLength(2);
    expect(w.json('aws ecs list-tasks --cluster demo --started-by me').taskArns).toHaveLength(1);
    expect(w.json('aws ecs list-tasks --cluster demo --family web --launch-type FARGATE').taskArns).toHaveLength(2);
    expect(w.json('aws ecs list-tasks --cluster demo --launch-type EC2').taskArns).toHaveLength(0);
  });

  it('refuses a definition that does not support the launch type, and INACTIVE revisions', () => {
    const { w, net } = fargateWorld();
    w.json(`aws ecs register-task-definition --family ec2only --container-definitions '[{"name":"a","image":"nginx","memory":64}]'`);
    expect(w.run(`aws ecs run-task --cluster demo --task-definition ec2only --launch-type FARGATE`).stderr).toContain(
      'Task definition does not support launch_type FARGATE.',
    );
    w.json('aws ecs deregister-task-definition --task-definition web:1');
    expect(w.run(`aws ecs run-task --cluster demo --task-definition web:1 --launch-type FARGATE ${net}`).stderr).toContain('ClientException');
    expect(w.run('aws ecs run-task --cluster nope --task-definition web').stderr).toContain('ClusterNotFoundException');
  });
});

describe('EC2 tasks', () => {
  function ec2World(count = 2, type = 't3.medium') {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    const cis = addCapacity(w, 'demo', count, { type });
    w.json(`aws ecs register-task-definition --family app --container-definitions '[{"name":"app","image":"nginx","memory":512,"cpu":256,"portMappings":[{"containerPort":80}]}]'`);
    return { w, cis };
  }

  it('fails with a message when the cluster has no container instances', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    w.json(`aws ecs register-task-definition --family app --container-definitions '[{"name":"app","image":"nginx","memory":512}]'`);
    const r = w.run('aws ecs run-task --cluster demo --task-definition app');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toContain('No Container Instances were found in your cluster.');
  });

  it('places on container instances, binds dynamic host ports and reserves resources', () => {
    const { w, cis } = ec2World(1);
    const out = w.json('aws ecs run-task --cluster demo --task-definition app --count 2');
    expect(out.tasks).toHaveLength(2);
    expect(out.tasks[0].containerInstanceArn).toBe(cis[0]);
    expect(out.tasks[0].lastStatus).toBe('PENDING');
    w.advance(30);
    const d = describeTask(w, out.tasks[0].taskArn);
    expect(d.lastStatus).toBe('RUNNING');
    expect(d.containers[0].networkBindings[0]).toMatchObject({ containerPort: 80, hostPort: 49153, protocol: 'tcp' });
    const ci = w.json(`aws ecs describe-container-instances --cluster demo --container-instances ${cis[0]}`).containerInstances[0];
    const reg = Object.fromEntries(ci.registeredResources.map((r: any) => [r.name, r.integerValue]));
    const rem = Object.fromEntries(ci.remainingResources.map((r: any) => [r.name, r.integerValue]));
    expect(reg.CPU - rem.CPU).toBe(512);
    expect(reg.MEMORY - rem.MEMORY).toBe(1024);
    expect(ci.runningTasksCount).toBe(2);
  });

  it('reports RESOURCE:MEMORY failures when the instances are full', () => {
    const { w, cis } = ec2World(1, 't3.micro');
    const out = w.json('aws ecs run-task --cluster demo --task-definition app --count 3');
    expect(out.tasks.length).toBeLessThan(3);
    expect(out.failures).toEqual([{ arn: cis[0], reason: 'RESOURCE:MEMORY' }]);
  });

  it('binpack fills one instance, spread uses both', () => {
    const a = ec2World(2);
    const bin = a.w.json('aws ecs run-task --cluster demo --task-definition app --count 2 --placement-strategy type=binpack,field=memory');
    expect(new Set(bin.tasks.map((t: any) => t.containerInstanceArn)).size).toBe(1);
    const b = ec2World(2);
    const spread = b.w.json('aws ecs run-task --cluster demo --task-definition app --count 2 --placement-strategy type=spread,field=instanceId');
    expect(new Set(spread.tasks.map((t: any) => t.containerInstanceArn)).size).toBe(2);
  });

  it('memberOf and distinctInstance constraints', () => {
    const { w, cis } = ec2World(2);
    const r = w.json(`aws ecs run-task --cluster demo --task-definition app --count 2 --placement-constraints type=distinctInstance`);
    expect(new Set(r.tasks.map((t: any) => t.containerInstanceArn)).size).toBe(2);
    const third = w.json('aws ecs run-task --cluster demo --task-definition app --placement-constraints type=distinctInstance');
    expect(third.tasks).toEqual([]);
    expect(third.failures.map((f: any) => f.reason)).toEqual(['DistinctInstance placement constraint unsatisfied.', 'DistinctInstance placement constraint unsatisfied.']);
    const none = w.json(`aws ecs run-task --cluster demo --task-definition app --placement-constraints "type=memberOf,expression=attribute:ecs.instance-type == m5.large"`);
    expect(none.failures.map((f: any) => f.reason)).toEqual(['MemberOf placement constraint unsatisfied.', 'MemberOf placement constraint unsatisfied.']);
    const some = w.json(`aws ecs run-task --cluster demo --task-definition app --placement-constraints "type=memberOf,expression=attribute:ecs.instance-type == t3.medium"`);
    expect(cis).toContain(some.tasks[0].containerInstanceArn);
  });

  it('fixed host ports clash between tasks (RESOURCE:PORTS)', () => {
    const { w } = ec2World(1);
    w.json(`aws ecs register-task-definition --family fixed --container-definitions '[{"name":"web","image":"nginx","memory":64,"portMappings":[{"containerPort":80,"hostPort":8080}]}]'`);
    expect(w.json('aws ecs run-task --cluster demo --task-definition fixed').tasks).toHaveLength(1);
    const second = w.json('aws ecs run-task --cluster demo --task-definition fixed');
    expect(second.tasks).toEqual([]);
    expect(second.failures[0].reason).toBe('RESOURCE:PORTS');
  });

  it('awsvpc on EC2: each task takes a network interface of the instance (t3.medium: 2), then RESOURCE:ENI', () => {
    const { w } = ec2World(1);
    w.json(`aws ecs register-task-definition --family vpcapp --network-mode awsvpc --container-definitions '[{"name":"a","image":"nginx","memory":64}]'`);
    const subnets = defaultSubnets(w).map((s) => s.SubnetId).join(',');
    const net = `--network-configuration "awsvpcConfiguration={subnets=[${subnets}]}"`;
    const r = w.json(`aws ecs run-task --cluster demo --task-definition vpcapp --count 3 ${net}`);
    expect(r.tasks).toHaveLength(2);
    expect(r.failures.map((f: any) => f.reason)).toEqual(['RESOURCE:ENI']);
    // Each ENI sits in a subnet of the instance's availability zone.
    for (const t of r.tasks) {
      const subnet = t.attachments[0].details.find((d: any) => d.name === 'subnetId').value;
      const az = defaultSubnets(w).find((s) => s.SubnetId === subnet)!.AvailabilityZone;
      expect(az).toBe(t.availabilityZone);
    }
  });

  it('start-task runs on the named instance; list-tasks by container instance', () => {
    const { w, cis } = ec2World(2);
    const t = w.json(`aws ecs start-task --cluster demo --task-definition app --container-instances ${cis[1]}`).tasks[0];
    expect(t.containerInstanceArn).toBe(cis[1]);
    expect(w.json(`aws ecs list-tasks --cluster demo --container-instance ${cis[1]}`).taskArns).toEqual([t.taskArn]);
    expect(w.json(`aws ecs list-tasks --cluster demo --container-instance ${cis[0]}`).taskArns).toEqual([]);
  });

  it('EC2 tasks start faster the second time (image cached on the host)', () => {
    const { w } = ec2World(1);
    const a = w.json('aws ecs run-task --cluster demo --task-definition app').tasks[0];
    w.advance(30);
    const d1 = describeTask(w, a.taskArn);
    const b = w.json('aws ecs run-task --cluster demo --task-definition app').tasks[0];
    w.advance(30);
    const d2 = describeTask(w, b.taskArn);
    const pull = (d: any) => Date.parse(d.pullStoppedAt) - Date.parse(d.pullStartedAt);
    expect(pull(d2)).toBeLessThan(pull(d1));
  });
});
