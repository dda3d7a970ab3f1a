import { describe, it, expect } from 'vitest';
import { term, type Term } from '../s3/helpers';

/** A VPC with one subnet on its own route table (no internet), a bucket with one object. */
function setup(): Term & { vpc: string; sub: string; rtb: string } {
  const t = term();
  t.ok('VPC=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text)');
  t.ok('SUB=$(aws ec2 create-subnet --vpc-id $VPC --cidr-block 10.0.1.0/24 --query Subnet.SubnetId --output text)');
  t.ok('RTB=$(aws ec2 create-route-table --vpc-id $VPC --query RouteTable.RouteTableId --output text)');
  t.ok('aws ec2 associate-route-table --route-table-id $RTB --subnet-id $SUB');
  t.ok('aws s3 mb s3://secret-data');
  t.write('f.txt', 'classified\n');
  t.ok('aws s3 cp f.txt s3://secret-data/f.txt');
  const v = (n: string) => t.ok(`echo $${n}`).trim();
  return Object.assign(t, { vpc: v('VPC'), sub: v('SUB'), rtb: v('RTB') });
}

const lockdown = (vpce: string) =>
  `aws s3api put-bucket-policy --bucket secret-data --policy '${JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OnlyThroughTheEndpoint',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::secret-data', 'arn:aws:s3:::secret-data/*'],
        Condition: { StringNotEquals: { 'aws:SourceVpce': vpce } },
      },
    ],
  })}'`;

describe('VPCs, subnets and route tables', () => {
  it('create-vpc makes a main route table with the local route; create-subnet checks the CIDR', () => {
    const t = setup();
    const main = t.json(`aws ec2 describe-route-tables --filters Name=vpc-id,Values=${t.vpc} Name=association.main,Values=true`).RouteTables[0];
    expect(main.Routes).toEqual([{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }]);
    expect(t.run(`aws ec2 create-subnet --vpc-id ${t.vpc} --cidr-block 10.1.0.0/24`).err).toContain("(InvalidSubnet.Range) when calling the CreateSubnet operation: The CIDR '10.1.0.0/24' is invalid.");
    expect(t.run(`aws ec2 create-subnet --vpc-id ${t.vpc} --cidr-block 10.0.1.128/25`).err).toContain('InvalidSubnet.Conflict');
    expect(t.run('aws ec2 create-vpc --cidr-block 10.0.0.0/8').err).toContain("(InvalidVpc.Range) when calling the CreateVpc operation: The CIDR '10.0.0.0/8' is invalid.");
    expect(t.run(`aws ec2 associate-route-table --route-table-id ${t.rtb} --subnet-id ${t.sub}`).err).toContain('Resource.AlreadyAssociated');
    expect(t.run(`aws ec2 delete-vpc --vpc-id ${t.vpc}`).err).toContain('DependencyViolation');
  });

  it('a subnet without a route out cannot reach S3: the CLI cannot connect (exit 255)', () => {
    const t = setup();
    t.ok(`sandbox run-from ${t.sub}`);
    const r = t.run('aws s3 ls s3://secret-data');
    expect(r.code).toBe(255);
    expect(r.err).toContain('Could not connect to the endpoint URL: "https://secret-data.s3.us-east-1.amazonaws.com/"');
    t.write('g.txt', 'x');
    const up = t.run('aws s3 cp g.txt s3://secret-data/g.txt');
    expect(up.code).toBe(1);
    expect(up.err).toContain('upload failed: ./g.txt to s3://secret-data/g.txt Could not connect to the endpoint URL');
  });

  it('with an internet gateway and a 0.0.0.0/0 route, S3 is reached over the internet (aws:SourceIp, --debug shows it)', () => {
    const t = setup();
    t.ok('IGW=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text)');
    expect(t.run(`aws ec2 create-route --route-table-id ${t.rtb} --destination-cidr-block 0.0.0.0/0 --gateway-id $IGW`).err).toContain('belong to different networks');
    t.ok(`aws ec2 attach-internet-gateway --internet-gateway-id $IGW --vpc-id ${t.vpc}`);
    t.ok(`aws ec2 create-route --route-table-id ${t.rtb} --destination-cidr-block 0.0.0.0/0 --gateway-id $IGW`);
    t.ok(`sandbox run-from ${t.sub}`);
    const r = t.run('aws s3 ls s3://secret-data --debug');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/nimbus\.network - DEBUG - Network path: .*internet gateway igw-/);
    expect(r.out).toContain('f.txt');
  });
});

describe('gateway VPC endpoints for S3', () => {
  it('create-vpc-endpoint adds the prefix-list route; another region\'s service is refused', () => {
    const t = setup();
    const ep = t.json(`aws ec2 create-vpc-endpoint --vpc-id ${t.vpc} --service-name com.amazonaws.us-east-1.s3 --route-table-ids ${t.rtb}`).VpcEndpoint;
    expect(ep).toMatchObject({ VpcEndpointType: 'Gateway', ServiceName: 'com.amazonaws.us-east-1.s3', State: 'available', RouteTableIds: [t.rtb] });
    expect(JSON.parse(ep.PolicyDocument).Statement[0]).toEqual({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' });
    const routes = t.json(`aws ec2 describe-route-tables --route-table-ids ${t.rtb}`).RouteTables[0].Routes;
    expect(routes).toContainEqual({ DestinationPrefixListId: 'pl-63a5400a', GatewayId: ep.VpcEndpointId, Origin: 'CreateRoute', State: 'active' });
    const pl = t.json('aws ec2 describe-prefix-lists --prefix-list-ids pl-63a5400a').PrefixLists[0];
    expect(pl.PrefixListName).toBe('com.amazonaws.us-east-1.s3');
    const r = t.run(`aws ec2 create-vpc-endpoint --vpc-id ${t.vpc} --service-name com.amazonaws.eu-west-1.s3 --route-table-ids ${t.rtb}`);
    expect(r.err).toContain("(InvalidServiceName) when calling the CreateVpcEndpoint operation: The Vpc Endpoint Service 'com.amazonaws.eu-west-1.s3' does not exist");
    expect(t.json('aws ec2 describe-vpc-endpoint-services').ServiceNames).toEqual(['com.amazonaws.us-east-1.s3', 'com.amazonaws.us-east-1.dynamodb']);
    expect(t.json(`aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=${t.vpc}`).VpcEndpoints).toHaveLength(1);
  });

  it('requests from the subnet go through the endpoint (aws:SourceVpce); a bucket policy denies everything else', () => {
    const t = setup();
    const vpce = t.ok(`aws ec2 create-vpc-endpoint --vpc-id ${t.vpc} --service-name com.amazonaws.us-east-1.s3 --route-table-ids ${t.rtb} --query VpcEndpoint.VpcEndpointId --output text`).trim();
    t.ok(lockdown(vpce));
    // from the internet: denied by the bucket policy
    let r = t.run('aws s3 cp s3://secret-data/f.txt -');
    expect(r.code).toBe(1);
    expect(r.err).toContain('AccessDenied');
    expect(t.ok('sandbox explain-last-denial')).toContain('OnlyThroughTheEndpoint');
    // from the subnet: through the endpoint, allowed
    t.ok(`sandbox run-from ${t.sub}`);
    r = t.run('aws s3 cp s3://secret-data/f.txt - --debug');
    expect(r.out).toBe('classified\n');
    expect(r.err).toContain(`gateway endpoint ${vpce}`);
    // a subnet of the same VPC still on the main route table (no endpoint route, no internet): cannot connect
    t.ok(`OTHER=$(aws ec2 create-subnet --vpc-id ${t.vpc} --cidr-block 10.0.2.0/24 --query Subnet.SubnetId --output text)`);
    t.ok('sandbox run-from $OTHER');
    expect(t.run('aws s3 ls s3://secret-data').code).toBe(255);
    // a request to S3 in another region does not use the (regional) endpoint
    t.ok(`sandbox run-from ${t.sub}`);
    expect(t.run('aws s3 ls --region eu-west-1 s3://secret-data').code).toBe(255);
  });

  it('the endpoint policy is evaluated on every request through it; modify-vpc-endpoint changes it and the route tables', () => {
    const t = setup();
    const vpce = t.ok(`aws ec2 create-vpc-endpoint --vpc-id ${t.vpc} --service-name com.amazonaws.us-east-1.s3 --route-table-ids ${t.rtb} --query VpcEndpoint.VpcEndpointId --output text`).trim();
    t.ok(`aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${vpce} --policy-document '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::secret-data"}]}'`);
    t.ok(`sandbox run-from ${t.sub}`);
    expect(t.ok('aws s3 ls s3://secret-data')).toContain('f.txt');
    expect(t.run('aws s3 cp s3://secret-data/f.txt -').err).toContain('AccessDenied');
    expect(t.ok('sandbox explain-last-denial')).toContain(`VPC endpoint policy of ${vpce}`);
    t.ok('sandbox run-from internet');
    expect(t.ok('aws s3 cp s3://secret-data/f.txt -')).toBe('classified\n');
    expect(t.run(`aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${vpce} --policy-document '{bad'`).err).toContain('MalformedPolicyDocument');
    t.ok(`aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${vpce} --reset-policy --remove-route-table-ids ${t.rtb}`);
    expect(t.json(`aws ec2 describe-route-tables --route-table-ids ${t.rtb}`).RouteTables[0].Routes).toHaveLength(1);
    t.ok(`sandbox run-from ${t.sub}`);
    expect(t.run('aws s3 ls s3://secret-data').code).toBe(255);
  });

  it('delete-vpc-endpoints removes its routes and reports unknown ids', () => {
    const t = setup();
    const vpce = t.ok(`aws ec2 create-vpc-endpoint --vpc-id ${t.vpc} --service-name com.amazonaws.us-east-1.s3 --route-table-ids ${t.rtb} --query VpcEndpoint.VpcEndpointId --output text`).trim();
    const out = t.json(`aws ec2 delete-vpc-endpoints --vpc-endpoint-ids ${vpce} vpce-0000000000000000a`);
    expect(out.Unsuccessful).toEqual([{ Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: "The Vpc Endpoint Id 'vpce-0000000000000000a' does not exist" }, ResourceId: 'vpce-0000000000000000a' }]);
    expect(t.json(`aws ec2 describe-route-tables --route-table-ids ${t.rtb}`).RouteTables[0].Routes.some((r: { DestinationPrefixListId?: string }) => r.DestinationPrefixListId)).toBe(false);
    expect(t.run(`aws ec2 describe-vpc-endpoints --vpc-endpoint-ids ${vpce}`).err).toContain('InvalidVpcEndpointId.NotFound');
  });

  it('the default VPC subnets reach S3 through the internet gateway; run-from rejects unknown subnets', () => {
    const t = term();
    t.ok('aws s3 mb s3://pub');
    const sub = t.ok('aws ec2 describe-subnets --filters Name=default-for-az,Values=true --query "Subnets[0].SubnetId" --output text').trim();
    expect(t.ok(`sandbox run-from ${sub}`)).toContain('over the internet through igw-');
    expect(t.run('aws s3 ls s3://pub').code).toBe(0);
    expect(t.run('sandbox run-from subnet-0000000000000000b').code).toBe(1);
  });
});
