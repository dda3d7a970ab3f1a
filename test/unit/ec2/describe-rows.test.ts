import { describe, it, expect } from 'vitest';
import { world } from './world';

describe('EC2 Describe* calls share one selection and paging rule', () => {
  it('rejects unknown ids with each resource’s own NotFound code, and only sees the region’s rows', () => {
    const w = world();
    const cases: [string, string][] = [
      ['aws ec2 describe-vpcs --vpc-ids vpc-0123456789abcdef0', 'InvalidVpcID.NotFound'],
      ['aws ec2 describe-route-tables --route-table-ids rtb-0123456789abcdef0', 'InvalidRouteTableID.NotFound'],
      ['aws ec2 describe-internet-gateways --internet-gateway-ids igw-0123456789abcdef0', 'InvalidInternetGatewayID.NotFound'],
      ['aws ec2 describe-vpc-endpoints --vpc-endpoint-ids vpce-0123456789abcdef0', 'InvalidVpcEndpointId.NotFound'],
    ];
    for (const [line, code] of cases) {
      const r = w.run(line);
      expect(r.exitCode).toBe(254);
      expect(r.stderr).toContain(code);
    }
    const vpc = w.json('aws ec2 describe-vpcs').Vpcs[0].VpcId;
    expect(w.json(`aws ec2 describe-vpcs --vpc-ids ${vpc}`).Vpcs.map((v: any) => v.VpcId)).toEqual([vpc]);
    const other = w.run(`aws ec2 describe-vpcs --region eu-west-1 --vpc-ids ${vpc}`);
    expect(other.stderr).toContain(`The vpc ID '${vpc}' does not exist`);
  });

  it('pages with MaxResults and NextToken until every row was seen once', () => {
    const w = world();
    const all = w.json('aws ec2 describe-subnets').Subnets.map((s: any) => s.SubnetId);
    expect(all.length).toBeGreaterThan(2);
    const ctx = { service: 'ec2', operation: 'DescribeSubnets', region: 'us-east-1' };
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = w.sb.call({ ...ctx, input: { MaxResults: 5, ...(token ? { NextToken: token } : {}) } });
      if (!r.ok) throw new Error(r.error.message);
      const out = r.output as { Subnets: { SubnetId: string }[]; NextToken?: string };
      expect(out.Subnets.length).toBeLessThanOrEqual(5);
      seen.push(...out.Subnets.map((s) => s.SubnetId));
      token = out.NextToken;
      pages++;
    } while (token);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 5));
  });
});
