import { describe, it, expect } from 'vitest';
import { world, ECS_USER_DATA } from './world';
import { encodeUserData, decodeUserData } from '../../../src/engine/services/ec2/handlers/instances';
import { instanceType, ecsRegisteredMemory, ecsRegisteredCpu } from '../../../src/engine/services/ec2/instance-types';

describe('SSM public AMI parameters', () => {
  it('returns per-region ECS-optimized AMI ids that EC2 accepts, and reports unknown names', () => {
    const w = world();
    const us = w.ecsAmi();
    const eu = w.ecsAmi('eu-west-1');
    expect(us).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(eu).not.toBe(us);
    const both = w.json('aws ssm get-parameters --names /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id /aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id /nope');
    expect(both.Parameters).toHaveLength(2);
    expect(both.InvalidParameters).toEqual(['/nope']);
    const rec = JSON.parse(w.json('aws ssm get-parameter --name /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended').Parameter.Value);
    expect(rec.image_id).toBe(us);
    expect(rec.os).toBe('Amazon Linux 2023');
    const nf = w.run('aws ssm get-parameter --name /aws/service/nothing');
    expect(nf.exitCode).toBe(254);
    expect(nf.stderr).toContain('ParameterNotFound');
    // an AMI id is regional: the us-east-1 id does not exist in eu-west-1
    const wrong = w.run(`aws ec2 run-instances --region eu-west-1 --image-id ${us} --instance-type t3.micro`);
    expect(wrong.stderr).toContain('InvalidAMIID.NotFound');
  });
});

describe('instances', () => {
  it('launches pending instances with ids, private IPs from the subnet and moves them to running on the clock', () => {
    const w = world();
    const ami = w.ecsAmi();
    const res = w.json(`aws ec2 run-instances --image-id ${ami} --instance-type t3.medium --count 2`);
    expect(res.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(res.Instances).toHaveLength(2);
    const subnets = w.json('aws ec2 describe-subnets').Subnets;
    for (const i of res.Instances) {
      expect(i.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
      expect(i.State).toEqual({ Code: 0, Name: 'pending' });
      expect(i.InstanceType).toBe('t3.medium');
      const sn = subnets.find((s: any) => s.SubnetId === i.SubnetId);
      const [a, b, c] = i.PrivateIpAddress.split('.').map(Number);
      expect([a, b]).toEqual([172, 31]);
      const base = Number(sn.CidrBlock.split('.')[2]);
      expect(c).toBeGreaterThanOrEqual(base);
      expect(c).toBeLessThan(base + 16);
      expect(i.Placement.AvailabilityZone).toBe(sn.AvailabilityZone);
      // RunInstances answers at launch: the public address comes a moment later
      expect(i.PublicIpAddress).toBeUndefined();
      expect(i.StateReason).toEqual({ Code: 'pending', Message: 'pending' });
    }
    expect(w.json('aws ec2 describe-instances').Reservations[0].Instances[0].PublicIpAddress).toBeTruthy();
    expect(res.Instances[0].PrivateIpAddress).not.toBe(res.Instances[1].PrivateIpAddress);
    w.advance(15_000);
    const d = w.json('aws ec2 describe-instances');
    expect(d.Reservations).toHaveLength(1);
    expect(d.Reservations[0].Instances.map((i: any) => i.State.Name)).toEqual(['running', 'running']);
    expect(d.Reservations[0].Instances[0].PublicDnsName).toMatch(/\.compute-1\.amazonaws\.com$/);
    const sn = subnets.find((s: any) => s.SubnetId === res.Instances[0].SubnetId);
    const now = w.json(`aws ec2 describe-subnets --subnet-ids ${sn.SubnetId}`).Subnets[0];
    const inThatSubnet = res.Instances.filter((i: any) => i.SubnetId === sn.SubnetId).length;
    expect(now.AvailableIpAddressCount).toBe(4091 - inThatSubnet);
  });

  it('refuses unknown and malformed AMIs, unknown types and architecture mismatches', () => {
    const w = world();
    const ami = w.ecsAmi();
    let r = w.run('aws ec2 run-instances --image-id ami-0123456789abcdef0 --instance-type t3.micro');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toContain("InvalidAMIID.NotFound");
    expect(r.stderr).toContain("The image id '[ami-0123456789abcdef0]' does not exist");
    r = w.run('aws ec2 run-instances --image-id ubuntu --instance-type t3.micro');
    expect(r.stderr).toContain('InvalidAMIID.Malformed');
    r = w.run(`aws ec2 run-instances --image-id ${ami} --instance-type t3.mega`);
    expect(r.stderr).toContain("Invalid value 't3.mega' for InstanceType");
    r = w.run(`aws ec2 run-instances --image-id ${ami} --instance-type t4g.medium`);
    expect(r.stderr).toContain("architecture 'arm64' of the specified instance type does not match the architecture 'x86_64'");
    r = w.run(`aws ec2 run-instances --image-id ${ami} --instance-type t3.micro --subnet-id subnet-0123456789abcdef0`);
    expect(r.stderr).toContain('InvalidSubnetID.NotFound');
    expect(w.json('aws ec2 describe-instances').Reservations).toHaveLength(0);
  });

  it('places instances in the AZ asked for and filters describe-instances', () => {
    const w = world();
    const ami = w.ecsAmi();
    const a = w.json(`aws ec2 run-instances --image-id ${ami} --instance-type t3.micro --placement AvailabilityZone=us-east-1b`).Instances[0];
    expect(a.Placement.AvailabilityZone).toBe('us-east-1b');
    const b = w.json(`aws ec2 run-instances --image-id ${ami} --instance-type t3.small --tag-specifications "ResourceType=instance,Tags=[{Key=Name,Value=web}]"`).Instances[0];
    expect(b.Tags).toEqual([{ Key: 'Name', Value: 'web' }]);
    expect(w.json('aws ec2 describe-instances').Reservations).toHaveLength(2);
    const ids = (q: string) => w.json(`aws ec2 describe-instances ${q}`).Reservations.flatMap((r: any) => r.Instances.map((i: any) => i.InstanceId));
    expect(ids('--filters Name=instance-type,Values=t3.small')).toEqual([b.InstanceId]);
    expect(ids('--filters Name=tag:Name,Values=web')).toEqual([b.InstanceId]);
    expect(ids('--filters Name=availability-zone,Values=us-east-1b Name=instance-type,Values=t3.micro')).toEqual([a.InstanceId]);
    expect(ids(`--instance-ids ${a.InstanceId}`)).toEqual([a.InstanceId]);
    const nf = w.run('aws ec2 describe-instances --instance-ids i-0123456789abcdef0');
    expect(nf.exitCode).toBe(254);
    expect(nf.stderr).toContain("The instance ID 'i-0123456789abcdef0' does not exist");
    const bad = w.run(`aws ec2 run-instances --image-id ${ami} --placement AvailabilityZone=us-east-1z`);
    expect(bad.stderr).toContain('InvalidParameterValue');
  });

  it('terminates: shutting-down now, terminated on the clock, address released, gone after an hour', () => {
    const w = world();
    const ami = w.ecsAmi();
    const i = w.json(`aws ec2 run-instances --image-id ${ami} --instance-type t3.micro`).Instances[0];
    w.advance(20_000);
    const t = w.json(`aws ec2 terminate-instances --instance-ids ${i.InstanceId}`).TerminatingInstances[0];
    expect(t).toEqual({ InstanceId: i.InstanceId, CurrentState: { Code: 32, Name: 'shutting-down' }, PreviousState: { Code: 16, Name: 'running' } });
    const wait = w.run(`aws ec2 wait instance-terminated --instance-ids ${i.InstanceId}`);
    expect(wait.exitCode).toBe(0);
    const d = w.json(`aws ec2 describe-instances --instance-ids ${i.InstanceId}`).Reservations[0].Instances[0];
    expect(d.State.Name).toBe('terminated');
    expect(d.StateTransitionReason).toMatch(/^User initiated \(/);
    expect(w.json(`aws ec2 describe-subnets --subnet-ids ${i.SubnetId}`).Subnets[0].AvailableIpAddressCount).toBe(4091);
    const again = w.json(`aws ec2 terminate-instances --instance-ids ${i.InstanceId}`).TerminatingInstances[0];
    expect(again.PreviousState.Name).toBe('terminated');
    w.advance(61 * 60_000);
    expect(w.run(`aws ec2 describe-instances --instance-ids ${i.InstanceId}`).stderr).toContain('InvalidInstanceID.NotFound');
    expect(w.run('aws ec2 terminate-instances --instance-ids i-0123456789abcdef0 i-0123456789abcdef1').stderr).toContain(
      "The instance IDs 'i-0123456789abcdef0', 'i-0123456789abcdef1' do not exist",
    );
  });

  it('waits for instance-running by moving the clock', () => {
    const w = world();
    const i = w.json(`aws ec2 run-instances --image-id ${w.ecsAmi()} --instance-type t3.micro`).Instances[0];
    const before = w.sb.now();
    expect(w.run(`aws ec2 wait instance-running --instance-ids ${i.InstanceId}`).exitCode).toBe(0);
    expect(w.sb.now()).toBeGreaterThan(before);
  });

  it('enforces the 64 vCPU on-demand limit, launching what fits between MinCount and MaxCount', () => {
    const w = world();
    const ami = w.ecsAmi();
    const r = w.run(`aws ec2 run-instances --image-id ${ami} --instance-type m5.4xlarge --count 5`);
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toContain('VcpuLimitExceeded');
    const some = w.json(`aws ec2 run-instances --image-id ${ami} --instance-type m5.4xlarge --count 1:5`).Instances;
    expect(some).toHaveLength(4);
  });

  it('is deterministic: the same script gives the same ids', () => {
    const ids = () => {
      const w = world(7);
      return w.json(`aws ec2 run-instances --image-id ${w.ecsAmi()} --instance-type t3.micro --count 2`).Instances.map((i: any) => [i.InstanceId, i.PrivateIpAddress]);
    };
    expect(ids()).toEqual(ids());
  });

  it('decodes base64 user data and keeps plain text', () => {
    const text = ECS_USER_DATA('demo');
    expect(decodeUserData(encodeUserData(text))).toBe(text);
    expect(decodeUserData(text)).toBe(text);
    expect(decodeUserData(undefined)).toBeUndefined();
  });

  it('knows real instance sizes and the ECS registration arithmetic', () => {
    const t3m = instanceType('t3.medium')!;
    expect([t3m.vcpus, t3m.memoryMiB]).toEqual([2, 4096]);
    expect(ecsRegisteredMemory(t3m)).toBe(3904);
    expect(ecsRegisteredCpu(t3m)).toBe(2048);
    expect(instanceType('m5.large')!.memoryMiB).toBe(8192);
    expect(instanceType('c5.xlarge')!.vcpus).toBe(4);
    expect(instanceType('r5.large')!.memoryMiB).toBe(16384);
    expect(ecsRegisteredMemory(instanceType('m5.large')!)).toBeLessThan(8192);
  });
});
