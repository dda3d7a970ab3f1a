import { describe, it, expect } from 'vitest';
import { world, ECS_USER_DATA } from '../ec2/world';
import { parseEcsConfig } from '../../../src/engine/services/ecs/container-instances';

function launch(w: ReturnType<typeof world>, userData: string | undefined, extra = '', ami = w.ecsAmi()) {
  if (userData !== undefined) w.writeFile('ud.sh', userData);
  return w.json(`aws ec2 run-instances --image-id ${ami} --instance-type t3.medium ${userData !== undefined ? '--user-data file://ud.sh' : ''} ${extra}`).Instances;
}

const list = (w: ReturnType<typeof world>, cluster: string) => w.json(`aws ecs list-container-instances --cluster ${cluster}`).containerInstanceArns as string[];

describe('the container agent', () => {
  it('registers an ECS-optimized instance with the cluster named in its user data 10-20 s after launch', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    const [inst] = launch(w, ECS_USER_DATA('demo'));
    w.advance(9_000);
    expect(list(w, 'demo')).toHaveLength(0);
    w.advance(12_000);
    const arns = list(w, 'demo');
    expect(arns).toHaveLength(1);
    expect(arns[0]).toMatch(/^arn:aws:ecs:us-east-1:123456789012:container-instance\/demo\/[0-9a-f]{32}$/);
    expect(w.json('aws ecs describe-clusters --clusters demo').clusters[0].registeredContainerInstancesCount).toBe(1);
    const ci = w.json(`aws ecs describe-container-instances --cluster demo --container-instances ${arns[0]}`).containerInstances[0];
    expect(ci.ec2InstanceId).toBe(inst.InstanceId);
    expect(ci.status).toBe('ACTIVE');
    expect(ci.agentConnected).toBe(true);
    const reg = Object.fromEntries(ci.registeredResources.map((r: any) => [r.name, r.type === 'STRINGSET' ? r.stringSetValue : r.integerValue]));
    expect(reg.CPU).toBe(2048);
    expect(reg.MEMORY).toBe(3904);
    expect(reg.PORTS).toEqual(['22', '2375', '2376', '51678', '51679']);
    const attrs = Object.fromEntries(ci.attributes.map((a: any) => [a.name, a.value ?? null]));
    expect(attrs['ecs.instance-type']).toBe('t3.medium');
    expect(attrs['ecs.availability-zone']).toBe(inst.Placement.AvailabilityZone);
    expect(attrs['ecs.os-type']).toBe('linux');
    expect(attrs['ecs.ami-id']).toBe(inst.ImageId);
    expect(attrs['ecs.cpu-architecture']).toBe('x86_64');
    expect('com.amazonaws.ecs.capability.docker-remote-api.1.30' in attrs).toBe(true);
    expect('ecs.capability.task-eni' in attrs).toBe(true);
    expect('ecs.capability.execution-role-ecr-pull' in attrs).toBe(true);
    expect(ci.versionInfo.agentVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('never registers an instance without the agent (plain Amazon Linux AMI)', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    const plain = w.json('aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64').Parameter.Value;
    launch(w, ECS_USER_DATA('demo'), '', plain);
    w.advance(10 * 60_000);
    expect(list(w, 'demo')).toHaveLength(0);
  });

  it('without ECS_CLUSTER joins the default cluster, creating it as the agent does', () => {
    const w = world();
    expect(w.json('aws ecs list-clusters').clusterArns).toHaveLength(0);
    launch(w, undefined);
    w.advance(30_000);
    expect(w.json('aws ecs list-clusters').clusterArns).toEqual(['arn:aws:ecs:us-east-1:123456789012:cluster/default']);
    expect(list(w, 'default')).toHaveLength(1);
  });

  it('keeps retrying while the named cluster does not exist, and joins once it is created', () => {
    const w = world();
    launch(w, ECS_USER_DATA('later'));
    w.advance(5 * 60_000);
    expect(w.json('aws ecs list-clusters').clusterArns).toHaveLength(0);
    w.json('aws ecs create-cluster --cluster-name later');
    expect(list(w, 'later')).toHaveLength(0);
    w.advance(6 * 60_000);
    expect(list(w, 'later')).toHaveLength(1);
  });

  it('reads ECS_INSTANCE_ATTRIBUTES as custom attributes', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    launch(w, `#!/bin/bash\ncat <<'EOF' >> /etc/ecs/ecs.config\nECS_CLUSTER=demo\nECS_INSTANCE_ATTRIBUTES={"stack":"prod","team":"blue"}\nEOF\n`);
    w.advance(30_000);
    const filtered = w.json('aws ecs list-container-instances --cluster demo --filter "attribute:stack == prod"').containerInstanceArns;
    expect(filtered).toHaveLength(1);
    expect(w.json('aws ecs list-container-instances --cluster demo --filter "attribute:stack == dev"').containerInstanceArns).toHaveLength(0);
  });

  it('terminating the instance disconnects the agent, then the container instance goes INACTIVE', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    const [inst] = launch(w, ECS_USER_DATA('demo'));
    w.advance(30_000);
    const arn = list(w, 'demo')[0]!;
    w.json(`aws ec2 terminate-instances --instance-ids ${inst.InstanceId}`);
    const mid = w.json(`aws ecs describe-container-instances --cluster demo --container-instances ${arn}`).containerInstances[0];
    expect(mid.agentConnected).toBe(false);
    w.advance(120_000);
    const after = w.json(`aws ecs describe-container-instances --cluster demo --container-instances ${arn}`).containerInstances[0];
    expect(after.status).toBe('INACTIVE');
    expect(list(w, 'demo')).toHaveLength(0);
    expect(w.json('aws ecs describe-clusters --clusters demo').clusters[0].registeredContainerInstancesCount).toBe(0);
    expect(w.run('aws ecs delete-cluster --cluster demo').exitCode).toBe(0);
  });

  it('an instance terminated before its agent starts never registers', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    const [inst] = launch(w, ECS_USER_DATA('demo'));
    w.json(`aws ec2 terminate-instances --instance-ids ${inst.InstanceId}`);
    w.advance(10 * 60_000);
    expect(w.json('aws ecs list-container-instances --cluster demo --status ACTIVE').containerInstanceArns).toHaveLength(0);
    expect(w.json('aws ecs describe-clusters --clusters demo').clusters[0].registeredContainerInstancesCount).toBe(0);
  });

  it('parses the agent configuration from the shapes user data takes', () => {
    expect(parseEcsConfig(ECS_USER_DATA('web')).cluster).toBe('web');
    expect(parseEcsConfig('#!/bin/bash\necho "ECS_CLUSTER=quoted" >> /etc/ecs/ecs.config').cluster).toBe('quoted');
    expect(parseEcsConfig('#!/bin/bash\ncluster=perf-test\necho ECS_CLUSTER=$cluster >> /etc/ecs/ecs.config').cluster).toBe('perf-test');
    const mime = 'Content-Type: multipart/mixed; boundary="==B=="\nMIME-Version: 1.0\n\n--==B==\nContent-Type: text/x-shellscript\n\n#!/bin/bash\necho ECS_CLUSTER=mime >> /etc/ecs/ecs.config\n--==B==--\n';
    expect(parseEcsConfig(mime).cluster).toBe('mime');
    expect(parseEcsConfig('#!/bin/bash\nyum update -y').cluster).toBeUndefined();
    expect(parseEcsConfig("echo 'ECS_INSTANCE_ATTRIBUTES={\"a\":\"1\"}' >> /etc/ecs/ecs.config").attributes).toEqual({ a: '1' });
  });
});

describe('instance profile mode', () => {
  it('when required, an instance without a profile never registers; with one it does', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    expect(w.run('sandbox ec2 instance-profile').stdout).toMatch(/^optional/);
    expect(w.run('sandbox ec2 instance-profile required').exitCode).toBe(0);
    expect(w.run('sandbox ec2 instance-profile').stdout).toMatch(/^required/);
    expect(w.run('sandbox ec2 instance-profile maybe').exitCode).toBe(2);
    launch(w, ECS_USER_DATA('demo'));
    w.advance(10 * 60_000);
    expect(list(w, 'demo')).toHaveLength(0);
    launch(w, ECS_USER_DATA('demo'), '--iam-instance-profile Name=ecsInstanceRole');
    w.advance(30_000);
    expect(list(w, 'demo')).toHaveLength(1);
    w.run('sandbox ec2 instance-profile optional');
    w.advance(10 * 60_000);
    expect(list(w, 'demo')).toHaveLength(2);
  });
});
