/** Finding a Fargate task's public IP as the ECS tutorials do: describe-tasks -> ENI id -> describe-network-interfaces. */
import { describe, expect, it } from 'vitest';
import { world } from '../ecs/helpers';

const TASKDEF = JSON.stringify({
  family: 'sample-fargate',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/docker/library/httpd:latest', essential: true, portMappings: [{ containerPort: 80 }] }],
});

function fargateTask(w: ReturnType<typeof world>, publicIp = 'ENABLED') {
  w.json('aws ecs create-cluster --cluster-name fargate-cluster');
  w.writeFile('td.json', TASKDEF);
  w.json('aws ecs register-task-definition --cli-input-json file://td.json');
  const subnet = w.run("aws ec2 describe-subnets --query 'Subnets[0].SubnetId' --output text").stdout.trim();
  const sg = w.run("aws ec2 describe-security-groups --query 'SecurityGroups[0].GroupId' --output text").stdout.trim();
  const out = w.json(
    `aws ecs run-task --cluster fargate-cluster --task-definition sample-fargate --launch-type FARGATE --network-configuration "awsvpcConfiguration={subnets=[${subnet}],securityGroups=[${sg}],assignPublicIp=${publicIp}}"`,
  );
  return { taskArn: out.tasks[0].taskArn as string, subnet, sg };
}

describe('aws ec2 describe-network-interfaces', () => {
  it('shows the public IP, subnet, VPC, groups and ECS attachment of a Fargate task ENI', () => {
    const w = world();
    const { taskArn, subnet, sg } = fargateTask(w);
    w.advance(60);
    const eniId = w
      .run(`aws ecs describe-tasks --cluster fargate-cluster --tasks ${taskArn} --query "tasks[0].attachments[0].details[?name=='networkInterfaceId'].value" --output text`)
      .stdout.trim();
    expect(eniId).toMatch(/^eni-[0-9a-f]{17}$/);
    const attachmentId = w.run(`aws ecs describe-tasks --cluster fargate-cluster --tasks ${taskArn} --query "tasks[0].attachments[0].id" --output text`).stdout.trim();
    const privateIp = w
      .run(`aws ecs describe-tasks --cluster fargate-cluster --tasks ${taskArn} --query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value" --output text`)
      .stdout.trim();
    const r = w.json(`aws ec2 describe-network-interfaces --network-interface-ids ${eniId}`);
    expect(r.NetworkInterfaces).toHaveLength(1);
    const n = r.NetworkInterfaces[0];
    expect(n.NetworkInterfaceId).toBe(eniId);
    expect(n.Association.PublicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(n.PrivateIpAddress).toBe(privateIp);
    expect(n.SubnetId).toBe(subnet);
    expect(n.VpcId).toMatch(/^vpc-/);
    expect(n.Groups.map((g: any) => g.GroupId)).toEqual([sg]);
    expect(n.Status).toBe('in-use');
    expect(n.InterfaceType).toBe('interface');
    expect(n.Attachment.Status).toBe('attached');
    expect(n.MacAddress).toMatch(/^0a(:[0-9a-f]{2}){5}$/);
    expect(n.Description).toBe(`arn:aws:ecs:us-east-1:123456789012:attachment/${attachmentId}`);
    expect(n.RequesterManaged).toBe(true);
    const ip = w.run(`aws ec2 describe-network-interfaces --network-interface-ids ${eniId} --query 'NetworkInterfaces[0].Association.PublicIp' --output text`);
    expect(ip.exitCode).toBe(0);
    expect(ip.stdout.trim()).toBe(n.Association.PublicIp);
  });

  it('has no Association without a public IP, and filters by subnet and description', () => {
    const w = world();
    const { subnet } = fargateTask(w, 'DISABLED');
    w.advance(60);
    const all = w.json(`aws ec2 describe-network-interfaces --filters Name=subnet-id,Values=${subnet} Name=description,Values=arn:aws:ecs:*`);
    expect(all.NetworkInterfaces).toHaveLength(1);
    expect(all.NetworkInterfaces[0].Association).toBeUndefined();
    expect(w.json('aws ec2 describe-network-interfaces --filters Name=subnet-id,Values=subnet-00000000000000000').NetworkInterfaces).toEqual([]);
  });

  it('the ENI goes away once the task has stopped (after DEPROVISIONING)', () => {
    const w = world();
    const { taskArn } = fargateTask(w);
    w.advance(60);
    const eniId = w
      .run(`aws ecs describe-tasks --cluster fargate-cluster --tasks ${taskArn} --query "tasks[0].attachments[0].details[?name=='networkInterfaceId'].value" --output text`)
      .stdout.trim();
    w.json(`aws ecs stop-task --cluster fargate-cluster --task ${taskArn}`);
    expect(w.run(`aws ec2 describe-network-interfaces --network-interface-ids ${eniId}`).exitCode).toBe(0);
    w.advance(300);
    expect(w.run(`aws ecs describe-tasks --cluster fargate-cluster --tasks ${taskArn} --query 'tasks[0].lastStatus' --output text`).stdout.trim()).toBe('STOPPED');
    const gone = w.run(`aws ec2 describe-network-interfaces --network-interface-ids ${eniId}`);
    expect(gone.exitCode).toBe(254);
    expect(gone.stderr).toContain(`An error occurred (InvalidNetworkInterfaceID.NotFound) when calling the DescribeNetworkInterfaces operation: The networkInterface ID '${eniId}' does not exist`);
    expect(w.json('aws ec2 describe-network-interfaces').NetworkInterfaces).toEqual([]);
  });

  it('rejects a malformed id and lists instance primary ENIs', () => {
    const w = world();
    const bad = w.run('aws ec2 describe-network-interfaces --network-interface-ids eni-xyz');
    expect(bad.exitCode).toBe(254);
    expect(bad.stderr).toContain('InvalidNetworkInterfaceID.Malformed');
    w.json('aws ecs create-cluster');
    expect(w.run('sandbox ec2 add-capacity --cluster default --count 2').exitCode).toBe(0);
    const list = w.json('aws ec2 describe-network-interfaces');
    expect(list.NetworkInterfaces).toHaveLength(2);
    expect(list.NetworkInterfaces[0].Attachment.InstanceId).toMatch(/^i-/);
    expect(list.NetworkInterfaces[0].Attachment.DeviceIndex).toBe(0);
  });
});

describe('subnet addresses', () => {
  it('a Fargate task ENI takes one address of its subnet until the task has stopped', () => {
    const w = world();
    const count = (sub: string) => Number(w.run(`aws ec2 describe-subnets --subnet-ids ${sub} --query 'Subnets[0].AvailableIpAddressCount' --output text`).stdout.trim());
    const sub = w.run("aws ec2 describe-subnets --query 'Subnets[0].SubnetId' --output text").stdout.trim();
    const before = count(sub);
    const { taskArn, subnet } = fargateTask(w);
    expect(subnet).toBe(sub);
    expect(count(sub)).toBe(before - 1);
    w.advance(60);
    w.json(`aws ecs stop-task --cluster fargate-cluster --task ${taskArn}`);
    w.advance(300);
    expect(count(sub)).toBe(before);
  });
});
