import { describe, it, expect } from 'vitest';
import { world } from './world';

describe('default network', () => {
  it('every region has a default VPC 172.31.0.0/16 with one /20 default subnet per AZ', () => {
    const w = world();
    const vpcs = w.json('aws ec2 describe-vpcs').Vpcs;
    expect(vpcs).toHaveLength(1);
    expect(vpcs[0]).toMatchObject({ CidrBlock: '172.31.0.0/16', IsDefault: true, State: 'available', OwnerId: '123456789012' });
    expect(vpcs[0].VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    const subnets = w.json('aws ec2 describe-subnets --filters Name=default-for-az,Values=true').Subnets;
    expect(subnets.map((s: any) => s.AvailabilityZone).sort()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
    for (const s of subnets) {
      expect(s.CidrBlock).toMatch(/^172\.31\.\d+\.0\/20$/);
      expect(s.VpcId).toBe(vpcs[0].VpcId);
      expect(s.AvailableIpAddressCount).toBe(4091);
      expect(s.MapPublicIpOnLaunch).toBe(true);
    }
    expect(new Set(subnets.map((s: any) => s.CidrBlock)).size).toBe(6);
    const eu = w.json('aws ec2 describe-vpcs --region eu-west-1').Vpcs;
    expect(eu[0].VpcId).not.toBe(vpcs[0].VpcId);
    expect(w.json('aws ec2 describe-subnets --region eu-west-1').Subnets).toHaveLength(3);
  });

  it('filters subnets by vpc-id, availability-zone and wildcards; unknown filters fail', () => {
    const w = world();
    const vpc = w.json('aws ec2 describe-vpcs').Vpcs[0].VpcId;
    expect(w.json(`aws ec2 describe-subnets --filters Name=vpc-id,Values=${vpc}`).Subnets).toHaveLength(6);
    const one = w.json('aws ec2 describe-subnets --filters Name=availability-zone,Values=us-east-1b').Subnets;
    expect(one).toHaveLength(1);
    expect(one[0].AvailabilityZone).toBe('us-east-1b');
    expect(w.json('aws ec2 describe-subnets --filters "Name=availability-zone,Values=us-east-1a,us-east-1c"').Subnets).toHaveLength(2);
    expect(w.json('aws ec2 describe-subnets --filters "Name=availability-zone,Values=us-east-1?"').Subnets).toHaveLength(6);
    expect(w.json('aws ec2 describe-subnets --filters Name=vpc-id,Values=vpc-00000000000000000').Subnets).toHaveLength(0);
    const bad = w.run('aws ec2 describe-subnets --filters Name=colour,Values=blue');
    expect(bad.exitCode).toBe(254);
    expect(bad.stderr).toContain('InvalidParameterValue');
    const id = one[0].SubnetId;
    expect(w.json(`aws ec2 describe-subnets --subnet-ids ${id}`).Subnets[0].SubnetId).toBe(id);
    const missing = w.run('aws ec2 describe-subnets --subnet-ids subnet-0123456789abcdef0');
    expect(missing.exitCode).toBe(254);
    expect(missing.stderr).toContain("InvalidSubnetID.NotFound");
    expect(missing.stderr).toContain("The subnet ID 'subnet-0123456789abcdef0' does not exist");
    expect(w.run('aws ec2 describe-subnets --subnet-ids nonsense').stderr).toContain('InvalidSubnetID.Malformed');
  });

  it('has a default security group, an internet gateway and a main route table', () => {
    const w = world();
    const vpc = w.json('aws ec2 describe-vpcs').Vpcs[0].VpcId;
    const sg = w.json('aws ec2 describe-security-groups --group-names default').SecurityGroups[0];
    expect(sg).toMatchObject({ GroupName: 'default', VpcId: vpc, Description: 'default VPC security group' });
    expect(sg.IpPermissionsEgress[0]).toMatchObject({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
    expect(sg.IpPermissions[0].UserIdGroupPairs[0].GroupId).toBe(sg.GroupId);
    const igw = w.json('aws ec2 describe-internet-gateways').InternetGateways;
    expect(igw).toHaveLength(1);
    expect(igw[0].Attachments).toEqual([{ State: 'available', VpcId: vpc }]);
    const rt = w.json(`aws ec2 describe-route-tables --filters Name=vpc-id,Values=${vpc} Name=association.main,Values=true`).RouteTables;
    expect(rt).toHaveLength(1);
    expect(rt[0].Routes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ DestinationCidrBlock: '172.31.0.0/16', GatewayId: 'local' }),
        expect.objectContaining({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw[0].InternetGatewayId }),
      ]),
    );
    const azs = w.json('aws ec2 describe-availability-zones').AvailabilityZones;
    expect(azs.map((z: any) => z.ZoneName)).toHaveLength(6);
    expect(azs[0]).toMatchObject({ ZoneName: 'us-east-1a', ZoneId: 'use1-az1', State: 'available', RegionName: 'us-east-1' });
  });

  it('creates security groups and adds inbound rules with AWS errors for mistakes', () => {
    const w = world();
    const created = w.json('aws ec2 create-security-group --group-name web --description "Web servers"');
    expect(created.GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(created.SecurityGroupArn).toBe(`arn:aws:ec2:us-east-1:123456789012:security-group/${created.GroupId}`);
    const dup = w.run('aws ec2 create-security-group --group-name web --description again');
    expect(dup.exitCode).toBe(254);
    expect(dup.stderr).toContain('InvalidGroup.Duplicate');
    expect(w.run('aws ec2 create-security-group --group-name default --description x').stderr).toContain('InvalidGroup.Reserved');
    expect(w.run('aws ec2 create-security-group --group-name sg-web --description x').stderr).toContain('InvalidParameterValue');

    const auth = w.json(`aws ec2 authorize-security-group-ingress --group-id ${created.GroupId} --ip-permissions IpProtocol=tcp,FromPort=80,ToPort=80,IpRanges=[{CidrIp=0.0.0.0/0}]`);
    expect(auth.Return).toBe(true);
    expect(auth.SecurityGroupRules[0]).toMatchObject({ IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '0.0.0.0/0' });
    const again = w.run(`aws ec2 authorize-security-group-ingress --group-id ${created.GroupId} --ip-permissions IpProtocol=tcp,FromPort=80,ToPort=80,IpRanges=[{CidrIp=0.0.0.0/0}]`);
    expect(again.exitCode).toBe(254);
    expect(again.stderr).toContain('InvalidPermission.Duplicate');
    const noPort = w.run(`aws ec2 authorize-security-group-ingress --group-id ${created.GroupId} --ip-permissions IpProtocol=tcp,IpRanges=[{CidrIp=10.0.0.0/8}]`);
    expect(noPort.stderr).toContain('InvalidParameterValue');
    const g = w.json(`aws ec2 describe-security-groups --group-ids ${created.GroupId}`).SecurityGroups[0];
    expect(g.IpPermissions).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] })]);
    expect(w.json('aws ec2 describe-security-groups --filters Name=group-name,Values=web').SecurityGroups).toHaveLength(1);
    const missing = w.run('aws ec2 describe-security-groups --group-ids sg-0123456789abcdef0');
    expect(missing.stderr).toContain("InvalidGroup.NotFound");
  });

  it('keeps failed calls from changing anything (no half-created group)', () => {
    const w = world();
    const before = w.json('aws ec2 describe-security-groups').SecurityGroups.length;
    w.run('aws ec2 create-security-group --group-name x --description y --vpc-id vpc-0123456789abcdef0');
    expect(w.json('aws ec2 describe-security-groups').SecurityGroups.length).toBe(before);
  });
});

describe('capacity views', () => {
  it('shows instances with their ECS registration, the network, repositories and local images', async () => {
    const { runView } = await import('../../../src/engine/views');
    const w = world();
    w.json('aws ecs create-cluster --cluster-name demo');
    w.run('sandbox ec2 add-capacity --cluster demo --count 2');
    const v = runView(w.sb, 'ec2-instances', { region: 'us-east-1' }) as any;
    expect(v.instances).toHaveLength(2);
    expect(v.instances[0]).toMatchObject({ instanceType: 't3.medium', state: 'running', vcpus: 2, memoryMiB: 4096, ecs: { cluster: 'demo', status: 'ACTIVE' } });
    const n = runView(w.sb, 'ec2-network', { region: 'eu-west-1' }) as any;
    expect(n.subnets).toHaveLength(3);
    w.json('aws ecr create-repository --repository-name web');
    expect((runView(w.sb, 'ecr-repositories', {}) as any).repositories[0].name).toBe('web');
    w.run('docker pull busybox');
    expect((runView(w.sb, 'docker-images', {}) as any)[0].tags).toEqual(['busybox:latest']);
  });
});

describe('security group rules', () => {
  it('lists rules with ids and revokes them', () => {
    const w = world();
    const g = w.json('aws ec2 create-security-group --group-name web --description web').GroupId;
    w.json(`aws ec2 authorize-security-group-ingress --group-id ${g} --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]`);
    const rules = w.json(`aws ec2 describe-security-group-rules --filters Name=group-id,Values=${g}`).SecurityGroupRules;
    expect(rules).toHaveLength(2);
    const egress = rules.find((r: any) => r.IsEgress);
    expect(egress).toMatchObject({ IpProtocol: '-1', CidrIpv4: '0.0.0.0/0', FromPort: -1, ToPort: -1 });
    expect(egress.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
    w.json(`aws ec2 revoke-security-group-egress --group-id ${g} --security-group-rule-ids ${egress.SecurityGroupRuleId}`);
    w.json(`aws ec2 revoke-security-group-ingress --group-id ${g} --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]`);
    const sg = w.json(`aws ec2 describe-security-groups --group-ids ${g}`).SecurityGroups[0];
    expect(sg.IpPermissions).toEqual([]);
    expect(sg.IpPermissionsEgress).toEqual([]);
    expect(w.run(`aws ec2 revoke-security-group-ingress --group-id ${g} --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]`).stderr).toContain('InvalidPermission.NotFound');
    expect(w.json(`aws ec2 delete-security-group --group-id ${g}`).Return).toBe(true);
    const def = w.json('aws ec2 describe-security-groups --group-names default').SecurityGroups[0].GroupId;
    expect(w.run(`aws ec2 delete-security-group --group-id ${def}`).stderr).toContain('CannotDelete');
  });

  it('refuses to delete a group an instance uses', () => {
    const w = world();
    const g = w.json('aws ec2 create-security-group --group-name app --description app').GroupId;
    w.json(`aws ec2 run-instances --image-id ${w.ecsAmi()} --instance-type t3.micro --security-group-ids ${g}`);
    const r = w.run(`aws ec2 delete-security-group --group-id ${g}`);
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toContain('DependencyViolation');
  });
});
