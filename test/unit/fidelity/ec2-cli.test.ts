import { describe, it, expect } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

function session() {
  const se = new Session(new Sandbox());
  const run = (line: string) => {
    const r = se.run(line);
    return { code: r.exitCode, out: r.stdout, err: r.stderr };
  };
  return { se, run };
}

// awscli/customizations/ec2/secgroupsimplify: --protocol --port --cidr --source-group --group-owner
describe('aws ec2 security group rule shortcuts', () => {
  it('--protocol/--port/--cidr build one IpPermissions entry', () => {
    const { run } = session();
    expect(run('aws ec2 create-security-group --group-name web --description web').code).toBe(0);
    const r = run('aws ec2 authorize-security-group-ingress --group-name web --protocol tcp --port 8000-8080 --cidr 0.0.0.0/0');
    expect(r.code).toBe(0);
    const rule = JSON.parse(r.out).SecurityGroupRules[0];
    expect([rule.IpProtocol, rule.FromPort, rule.ToPort, rule.CidrIpv4]).toEqual(['tcp', 8000, 8080, '0.0.0.0/0']);
    const g = run('aws ec2 authorize-security-group-ingress --group-name web --protocol tcp --port 22 --source-group default');
    expect(g.code).toBe(0);
    expect(JSON.parse(g.out).SecurityGroupRules[0].ReferencedGroupInfo.GroupId).toMatch(/^sg-/);
    const perms = JSON.parse(run("aws ec2 describe-security-groups --group-names web --query 'SecurityGroups[0].IpPermissions'").out);
    expect(perms).toHaveLength(2);
    expect(run('aws ec2 revoke-security-group-ingress --group-name web --protocol tcp --port 8000-8080 --cidr 0.0.0.0/0').code).toBe(0);
    expect(JSON.parse(run("aws ec2 describe-security-groups --group-names web --query 'SecurityGroups[0].IpPermissions'").out)).toHaveLength(1);
  });

  it('bad values and mixing with --ip-permissions are refused by the CLI (exit 255)', () => {
    const { run } = session();
    run('aws ec2 create-security-group --group-name web --description web');
    const p = run('aws ec2 authorize-security-group-ingress --group-name web --protocol tcpp --port 80 --cidr 0.0.0.0/0');
    expect(p.code).toBe(255);
    expect(p.err).toBe('\nprotocol parameter should be one of: tcp|udp|icmp|all or any valid protocol number.\n');
    const q = run('aws ec2 authorize-security-group-ingress --group-name web --protocol tcp --port 80-x --cidr 0.0.0.0/0');
    expect(q.code).toBe(255);
    expect(q.err).toContain('port parameter should be of the form <from[-to]> (e.g. 22 or 22-25)');
    const m = run('aws ec2 authorize-security-group-ingress --group-name web --port 22 --ip-permissions IpProtocol=tcp,FromPort=22,ToPort=22');
    expect(m.code).toBe(255);
    expect(m.err).toContain('The --port option is not compatible with the --ip-permissions option');
  });

  it('real EC2 commands Nimbus does not simulate answer NotYetSimulated, not Invalid choice', () => {
    const { run } = session();
    const r = run('aws ec2 stop-instances --instance-ids i-0123456789abcdef0');
    expect(r.code).toBe(254);
    expect(r.err).toContain('(NotYetSimulated) when calling the StopInstances operation');
    expect(run('aws ec2 describe-key-pairs').err).toContain('DescribeKeyPairs');
    expect(run('aws ec2 stop-instancez').code).toBe(252);
    const s = run('aws ssm put-parameter --name /app/x --value 1 --type String');
    expect(s.code).toBe(254);
    expect(s.err).toContain('(NotYetSimulated) when calling the PutParameter operation');
  });
});
