/**
 * Networks of your own (S3 part 2: network): CreateVpc/Subnet/RouteTable/Route,
 * internet gateways, route table associations, and gateway VPC endpoints
 * (S3, DynamoDB) with their prefix lists and endpoint policies.
 */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { AwsError } from '../../../errors';
import { isoTime } from '../../../clock';
import { availabilityZones } from '../../../regions';
import { tryParsePolicy } from '../../../policy';
import { ec2Errors } from '../errors';
import { applyFilters, tagsFor } from '../filters';
import { DryRun, Filters, MaxResults, NextToken, TagSpecifications } from '../shapes';
import {
  createSecurityGroupRow,
  getSubnet,
  getVpc,
  internetGateways,
  newId,
  parseCidr,
  routeTables,
  securityGroups,
  subnets,
  vpcs,
  type RouteTableRow,
  type RouteRow,
} from '../model';
import { describePage, describeRows, renderRouteTable, renderSubnet, renderVpc } from './network';
import { DEFAULT_ENDPOINT_POLICY, GATEWAY_SERVICES, prefixListId, prefixLists, vpcEndpoints, type VpcEndpointRow } from '../endpoints';

const e = (code: string, message: string) => new AwsError(code, message, 400);
const anyRow = <T>(t: { filter(p: (r: T) => boolean): T[] }, p: (r: T) => boolean): boolean => t.filter(p).length > 0;
const firstRow = <T>(t: { filter(p: (r: T) => boolean): T[] }, p: (r: T) => boolean): T | undefined => t.filter(p)[0];

function getRouteTable(ctx: Ctx, id: string): RouteTableRow {
  const t = routeTables(ctx).get(id);
  if (!t || t.region !== ctx.region) throw ec2Errors.routeTableNotFound(id);
  return t;
}

function overlaps(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  return x.base < y.base + y.size && y.base < x.base + x.size;
}

// ---------------------------------------------------------------- VPCs and subnets

export const CreateVpc = op({
  name: 'CreateVpc',
  doc: 'Creates a VPC with an IPv4 CIDR block (/16 to /28). It gets a main route table with only the local route, a default security group, and no internet gateway: nothing in it can reach the internet until you attach one and add a route.',
  input: s.struct({ CidrBlock: s.str({ doc: 'For example 10.0.0.0/16.' }), InstanceTenancy: s.str(), AmazonProvidedIpv6CidrBlock: s.bool(), TagSpecifications: TagSpecifications(), DryRun: DryRun() }),
  errors: ['InvalidVpc.Range', 'MissingParameter'],
  example: 'aws ec2 create-vpc --cidr-block 10.0.0.0/16',
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const cidr = input.CidrBlock;
    if (!cidr) throw ec2Errors.missingParameter('cidrBlock');
    const c = parseCidr(cidr);
    if (!c || c.bits < 16 || c.bits > 28) throw e('InvalidVpc.Range', `The CIDR '${cidr}' is invalid.`);
    const vpcId = newId(ctx, 'vpc');
    const dhcp = firstRow(vpcs(ctx), (v) => v.region === ctx.region)?.DhcpOptionsId ?? newId(ctx, 'dopt');
    vpcs(ctx).set(vpcId, { VpcId: vpcId, region: ctx.region, CidrBlock: cidr, IsDefault: false, DhcpOptionsId: dhcp, cidrAssociationId: newId(ctx, 'vpc-cidr-assoc'), Tags: tagsFor(input.TagSpecifications, 'vpc') });
    const rtbId = newId(ctx, 'rtb');
    routeTables(ctx).set(rtbId, {
      RouteTableId: rtbId,
      region: ctx.region,
      VpcId: vpcId,
      main: true,
      mainAssociationId: newId(ctx, 'rtbassoc'),
      subnetAssociations: [],
      routes: [{ DestinationCidrBlock: cidr, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }],
      Tags: [],
    });
    createSecurityGroupRow(ctx, ctx.region, 'default', 'default VPC security group', vpcId);
    return { Vpc: { ...renderVpc(ctx, vpcs(ctx).get(vpcId)!), State: 'pending' } };
  },
});

export const DeleteVpc = op({
  name: 'DeleteVpc',
  doc: 'Deletes a VPC once its subnets, endpoints and attached internet gateways are gone (its main route table and default security group go with it).',
  input: s.struct({ VpcId: s.str({ complete: 'vpc' }), DryRun: DryRun() }, ['VpcId']),
  errors: ['InvalidVpcID.NotFound', 'DependencyViolation'],
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const v = getVpc(ctx, input.VpcId);
    const busy =
      anyRow(subnets(ctx), (x) => x.VpcId === v.VpcId) ||
      anyRow(vpcEndpoints(ctx), (x) => x.VpcId === v.VpcId) ||
      anyRow(internetGateways(ctx), (g) => g.attachments.some((a) => a.VpcId === v.VpcId)) ||
      anyRow(routeTables(ctx), (t) => t.VpcId === v.VpcId && !t.main) ||
      anyRow(securityGroups(ctx), (g) => g.VpcId === v.VpcId && g.GroupName !== 'default');
    if (busy) throw e('DependencyViolation', `The vpc '${v.VpcId}' has dependencies and cannot be deleted.`);
    for (const t of routeTables(ctx).filter((t) => t.VpcId === v.VpcId)) routeTables(ctx).delete(t.RouteTableId);
    for (const g of securityGroups(ctx).filter((g) => g.VpcId === v.VpcId)) securityGroups(ctx).delete(g.GroupId);
    vpcs(ctx).delete(v.VpcId);
    return {};
  },
});

export const CreateSubnet = op({
  name: 'CreateSubnet',
  doc: "Creates a subnet inside a VPC's CIDR block, in one Availability Zone. It uses the VPC's main route table until you associate another.",
  input: s.struct(
    { VpcId: s.str({ complete: 'vpc' }), CidrBlock: s.str(), AvailabilityZone: s.str(), AvailabilityZoneId: s.str(), TagSpecifications: TagSpecifications(), DryRun: DryRun() },
    ['VpcId'],
  ),
  errors: ['InvalidVpcID.NotFound', 'InvalidSubnet.Range', 'InvalidSubnet.Conflict', 'InvalidParameterValue'],
  example: 'aws ec2 create-subnet --vpc-id vpc-0123456789abcdef0 --cidr-block 10.0.1.0/24',
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const v = getVpc(ctx, input.VpcId);
    const cidr = input.CidrBlock;
    if (!cidr) throw ec2Errors.missingParameter('cidrBlock');
    const c = parseCidr(cidr);
    const vc = parseCidr(v.CidrBlock)!;
    if (!c || c.bits < 16 || c.bits > 28 || c.base < vc.base || c.base + c.size > vc.base + vc.size) throw e('InvalidSubnet.Range', `The CIDR '${cidr}' is invalid.`);
    if (anyRow(subnets(ctx), (x) => x.VpcId === v.VpcId && overlaps(x.CidrBlock, cidr))) throw e('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`);
    const zones = availabilityZones(ctx.region);
    const az = input.AvailabilityZone ?? zones[subnets(ctx).filter((x) => x.VpcId === v.VpcId).length % zones.length]!;
    if (!zones.includes(az)) throw ec2Errors.zoneNotFound(az);
    const id = newId(ctx, 'subnet');
    subnets(ctx).set(id, { SubnetId: id, region: ctx.region, VpcId: v.VpcId, CidrBlock: cidr, AvailabilityZone: az, DefaultForAz: false, MapPublicIpOnLaunch: false, Tags: tagsFor(input.TagSpecifications, 'subnet') });
    return { Subnet: renderSubnet(ctx, subnets(ctx).get(id)!) };
  },
});

export const DeleteSubnet = op({
  name: 'DeleteSubnet',
  doc: 'Deletes a subnet (its route table association goes with it).',
  input: s.struct({ SubnetId: s.str({ complete: 'subnet' }), DryRun: DryRun() }, ['SubnetId']),
  errors: ['InvalidSubnetID.NotFound', 'DependencyViolation'],
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const sn = getSubnet(ctx, input.SubnetId);
    if (anyRow(ctx.table<{ SubnetId?: string; State?: { Name: string } }>('ec2.instances'), (i) => i.SubnetId === sn.SubnetId && i.State?.Name !== 'terminated')) {
      throw e('DependencyViolation', `The subnet '${sn.SubnetId}' has dependencies and cannot be deleted.`);
    }
    for (const t of routeTables(ctx).filter((t) => t.subnetAssociations.some((a) => a.SubnetId === sn.SubnetId))) {
      routeTables(ctx).set(t.RouteTableId, { ...t, subnetAssociations: t.subnetAssociations.filter((a) => a.SubnetId !== sn.SubnetId) });
    }
    subnets(ctx).delete(sn.SubnetId);
    return {};
  },
});

// ---------------------------------------------------------------- internet gateways

export const CreateInternetGateway = op({
  name: 'CreateInternetGateway',
  doc: 'Creates an internet gateway; attach it to a VPC and add a 0.0.0.0/0 route to it to reach the internet.',
  input: s.struct({ TagSpecifications: TagSpecifications(), DryRun: DryRun() }),
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const id = newId(ctx, 'igw');
    const Tags = tagsFor(input.TagSpecifications, 'internet-gateway');
    internetGateways(ctx).set(id, { InternetGatewayId: id, region: ctx.region, attachments: [], Tags });
    return { InternetGateway: { Attachments: [], InternetGatewayId: id, OwnerId: ctx.accountId, Tags } };
  },
});

export const AttachInternetGateway = op({
  name: 'AttachInternetGateway',
  doc: 'Attaches an internet gateway to a VPC (one gateway per VPC).',
  input: s.struct({ InternetGatewayId: s.str(), VpcId: s.str({ complete: 'vpc' }), DryRun: DryRun() }, ['InternetGatewayId', 'VpcId']),
  errors: ['InvalidInternetGatewayID.NotFound', 'Resource.AlreadyAssociated'],
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const g = internetGateways(ctx).get(input.InternetGatewayId);
    if (!g || g.region !== ctx.region) throw ec2Errors.igwNotFound(input.InternetGatewayId);
    const v = getVpc(ctx, input.VpcId);
    if (g.attachments.length) throw e('Resource.AlreadyAssociated', `resource ${g.InternetGatewayId} is already attached to network ${g.attachments[0]!.VpcId}`);
    const other = firstRow(internetGateways(ctx), (x) => x.attachments.some((a) => a.VpcId === v.VpcId));
    if (other) throw e('Resource.AlreadyAssociated', `Network ${v.VpcId} already has an internet gateway attached`);
    internetGateways(ctx).set(g.InternetGatewayId, { ...g, attachments: [{ VpcId: v.VpcId, State: 'available' }] });
    return {};
  },
});

export const DetachInternetGateway = op({
  name: 'DetachInternetGateway',
  doc: 'Detaches an internet gateway from its VPC: routes to it become blackholes.',
  input: s.struct({ InternetGatewayId: s.str(), VpcId: s.str({ complete: 'vpc' }), DryRun: DryRun() }, ['InternetGatewayId', 'VpcId']),
  errors: ['InvalidInternetGatewayID.NotFound', 'Gateway.NotAttached'],
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const g = internetGateways(ctx).get(input.InternetGatewayId);
    if (!g || g.region !== ctx.region) throw ec2Errors.igwNotFound(input.InternetGatewayId);
    if (!g.attachments.some((a) => a.VpcId === input.VpcId)) throw e('Gateway.NotAttached', `resource ${g.InternetGatewayId} is not attached to network ${input.VpcId}`);
    internetGateways(ctx).set(g.InternetGatewayId, { ...g, attachments: [] });
    for (const t of routeTables(ctx).filter((t) => t.VpcId === input.VpcId && t.routes.some((r) => r.GatewayId === g.InternetGatewayId))) {
      routeTables(ctx).set(t.RouteTableId, { ...t, routes: t.routes.map((r) => (r.GatewayId === g.InternetGatewayId ? { ...r, State: 'blackhole' as const } : r)) });
    }
    return {};
  },
});

// ---------------------------------------------------------------- route tables and routes

export const CreateRouteTable = op({
  name: 'CreateRouteTable',
  doc: 'Creates a route table in a VPC with only the local route. Associate it with subnets to use it.',
  input: s.struct({ VpcId: s.str({ complete: 'vpc' }), TagSpecifications: TagSpecifications(), DryRun: DryRun(), ClientToken: s.str() }, ['VpcId']),
  errors: ['InvalidVpcID.NotFound'],
  example: 'aws ec2 create-route-table --vpc-id vpc-0123456789abcdef0',
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const v = getVpc(ctx, input.VpcId);
    const id = newId(ctx, 'rtb');
    const row: RouteTableRow = {
      RouteTableId: id,
      region: ctx.region,
      VpcId: v.VpcId,
      main: false,
      subnetAssociations: [],
      routes: [{ DestinationCidrBlock: v.CidrBlock, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }],
      Tags: tagsFor(input.TagSpecifications, 'route-table'),
    };
    routeTables(ctx).set(id, row);
    return { RouteTable: renderRouteTable(ctx, row) };
  },
});

export const DeleteRouteTable = op({
  name: 'DeleteRouteTable',
  doc: 'Deletes a route table that is neither the main one nor associated with subnets.',
  input: s.struct({ RouteTableId: s.str(), DryRun: DryRun() }, ['RouteTableId']),
  errors: ['InvalidRouteTableID.NotFound', 'DependencyViolation'],
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const t = getRouteTable(ctx, input.RouteTableId);
    if (t.main || t.subnetAssociations.length) throw e('DependencyViolation', `The routeTable '${t.RouteTableId}' has dependencies and cannot be deleted.`);
    routeTables(ctx).delete(t.RouteTableId);
    for (const ep of vpcEndpoints(ctx).filter((x) => x.RouteTableIds.includes(t.RouteTableId))) {
      vpcEndpoints(ctx).set(ep.VpcEndpointId, { ...ep, RouteTableIds: ep.RouteTableIds.filter((r) => r !== t.RouteTableId) });
    }
    return {};
  },
});

export const AssociateRouteTable = op({
  name: 'AssociateRouteTable',
  doc: "Makes a subnet use this route table instead of its VPC's main table.",
  input: s.struct({ RouteTableId: s.str(), SubnetId: s.str({ complete: 'subnet' }), GatewayId: s.str(), DryRun: DryRun() }, ['RouteTableId']),
  errors: ['InvalidRouteTableID.NotFound', 'InvalidSubnetID.NotFound', 'Resource.AlreadyAssociated', 'InvalidParameterValue'],
  example: 'aws ec2 associate-route-table --route-table-id rtb-0123456789abcdef0 --subnet-id subnet-0123456789abcdef0',
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const t = getRouteTable(ctx, input.RouteTableId);
    if (!input.SubnetId) throw ec2Errors.missingParameter('subnetId');
    const sn = getSubnet(ctx, input.SubnetId);
    if (sn.VpcId !== t.VpcId) throw ec2Errors.invalidParameterValue(`Route table ${t.RouteTableId} and subnet ${sn.SubnetId} belong to different networks`);
    if (anyRow(routeTables(ctx), (x) => x.subnetAssociations.some((a) => a.SubnetId === sn.SubnetId))) {
      throw e('Resource.AlreadyAssociated', `the specified association for route table ${t.RouteTableId} conflicts with an existing association`);
    }
    const assoc = newId(ctx, 'rtbassoc');
    routeTables(ctx).set(t.RouteTableId, { ...t, subnetAssociations: [...t.subnetAssociations, { RouteTableAssociationId: assoc, SubnetId: sn.SubnetId }] });
    return { AssociationId: assoc, AssociationState: { State: 'associated' } };
  },
});

export const DisassociateRouteTable = op({
  name: 'DisassociateRouteTable',
  doc: "Removes a subnet's route table association: the subnet falls back to the VPC's main route table.",
  input: s.struct({ AssociationId: s.str(), DryRun: DryRun() }, ['AssociationId']),
  errors: ['InvalidAssociationID.NotFound'],
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const t = firstRow(routeTables(ctx), (x) => x.region === ctx.region && x.subnetAssociations.some((a) => a.RouteTableAssociationId === input.AssociationId));
    if (!t) throw e('InvalidAssociationID.NotFound', `The association ID '${input.AssociationId}' does not exist`);
    routeTables(ctx).set(t.RouteTableId, { ...t, subnetAssociations: t.subnetAssociations.filter((a) => a.RouteTableAssociationId !== input.AssociationId) });
    return {};
  },
});

export const CreateRoute = op({
  name: 'CreateRoute',
  doc: 'Adds a route to a route table, e.g. 0.0.0.0/0 to an internet gateway (igw-...) or a NAT gateway (nat-...).',
  input: s.struct(
    {
      RouteTableId: s.str(),
      DestinationCidrBlock: s.str(),
      DestinationPrefixListId: s.str(),
      GatewayId: s.str(),
      NatGatewayId: s.str(),
      VpcEndpointId: s.str(),
      InstanceId: s.str(),
      NetworkInterfaceId: s.str(),
      DryRun: DryRun(),
    },
    ['RouteTableId'],
  ),
  errors: ['InvalidRouteTableID.NotFound', 'RouteAlreadyExists', 'InvalidGatewayID.NotFound', 'InvalidParameterValue'],
  example: 'aws ec2 create-route --route-table-id rtb-0123456789abcdef0 --destination-cidr-block 0.0.0.0/0 --gateway-id igw-0123456789abcdef0',
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const t = getRouteTable(ctx, input.RouteTableId);
    const dest = input.DestinationCidrBlock;
    if (!dest) throw ec2Errors.missingParameter('destinationCidrBlock');
    if (!parseCidr(dest)) throw ec2Errors.invalidParameterValue(`Value (${dest}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
    if (t.routes.some((r) => r.DestinationCidrBlock === dest)) throw e('RouteAlreadyExists', `The route identified by ${dest} already exists.`);
    let route: RouteRow & { NatGatewayId?: string };
    if (input.GatewayId) {
      const g = internetGateways(ctx).get(input.GatewayId);
      if (!g || g.region !== ctx.region) throw e('InvalidGatewayID.NotFound', `The gateway ID '${input.GatewayId}' does not exist`);
      if (!g.attachments.some((a) => a.VpcId === t.VpcId)) {
        throw ec2Errors.invalidParameterValue(`route table ${t.RouteTableId} and network gateway ${g.InternetGatewayId} belong to different networks`);
      }
      route = { DestinationCidrBlock: dest, GatewayId: g.InternetGatewayId, Origin: 'CreateRoute', State: 'active' };
    } else if (input.NatGatewayId) {
      if (!/^nat-[0-9a-f]{8,17}$/.test(input.NatGatewayId)) throw e('InvalidNatGatewayID.NotFound', `The natGateway ID '${input.NatGatewayId}' does not exist`);
      route = { DestinationCidrBlock: dest, NatGatewayId: input.NatGatewayId, Origin: 'CreateRoute', State: 'active' };
    } else {
      throw ec2Errors.invalidParameterCombination('Nimbus routes to internet gateways (--gateway-id) and NAT gateways (--nat-gateway-id); gateway endpoints add their own routes.');
    }
    routeTables(ctx).set(t.RouteTableId, { ...t, routes: [...t.routes, route] });
    return { Return: true };
  },
});

export const DeleteRoute = op({
  name: 'DeleteRoute',
  doc: 'Removes a route (by destination CIDR block or prefix list).',
  input: s.struct({ RouteTableId: s.str(), DestinationCidrBlock: s.str(), DestinationPrefixListId: s.str(), DryRun: DryRun() }, ['RouteTableId']),
  errors: ['InvalidRouteTableID.NotFound', 'InvalidRoute.NotFound'],
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const t = getRouteTable(ctx, input.RouteTableId);
    const byCidr = input.DestinationCidrBlock;
    const i = t.routes.findIndex((r) => (byCidr ? r.DestinationCidrBlock === byCidr : r.DestinationPrefixListId === input.DestinationPrefixListId));
    if (i < 0 || t.routes[i]!.GatewayId === 'local') {
      throw e('InvalidRoute.NotFound', byCidr ? `no route with destination-cidr-block ${byCidr} in route table ${t.RouteTableId}` : `no route with destination-prefix-list-id ${input.DestinationPrefixListId} in route table ${t.RouteTableId}`);
    }
    routeTables(ctx).set(t.RouteTableId, { ...t, routes: t.routes.filter((_, j) => j !== i) });
    return {};
  },
});

// ---------------------------------------------------------------- VPC endpoints

function parseServiceName(name: string): { region: string; service: string } | undefined {
  const m = /^com\.amazonaws\.([a-z0-9-]+)\.([a-z0-9.-]+)$/.exec(name);
  return m ? { region: m[1]!, service: m[2]! } : undefined;
}

function checkEndpointPolicy(text: string): void {
  const r = tryParsePolicy(text, 'endpoint');
  if (!r.ok) throw e('MalformedPolicyDocument', r.error.message);
}

function renderEndpoint(ctx: Ctx, x: VpcEndpointRow) {
  return {
    VpcEndpointId: x.VpcEndpointId,
    VpcEndpointType: x.VpcEndpointType,
    VpcId: x.VpcId,
    ServiceName: x.ServiceName,
    State: 'available',
    PolicyDocument: x.PolicyDocument,
    RouteTableIds: [...x.RouteTableIds],
    SubnetIds: [],
    Groups: [],
    IpAddressType: 'ipv4',
    PrivateDnsEnabled: false,
    RequesterManaged: false,
    NetworkInterfaceIds: [],
    DnsEntries: [],
    CreationTimestamp: isoTime(x.created),
    ...(x.Tags.length ? { Tags: x.Tags } : {}),
    OwnerId: ctx.accountId,
  };
}

const endpointNotFound = (id: string) => e('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${id}' does not exist`);

function getEndpoint(ctx: Ctx, id: string): VpcEndpointRow {
  const x = vpcEndpoints(ctx).get(id);
  if (!x || x.region !== ctx.region) throw endpointNotFound(id);
  return x;
}

function addEndpointRoute(ctx: Ctx, ep: VpcEndpointRow, rtbId: string): void {
  const t = getRouteTable(ctx, rtbId);
  if (t.VpcId !== ep.VpcId) throw ec2Errors.invalidParameterValue(`route table ${rtbId} is not in VPC ${ep.VpcId}`);
  const pl = prefixListId(ep.ServiceName);
  if (t.routes.some((r) => r.DestinationPrefixListId === pl)) throw e('RouteAlreadyExists', `route table ${rtbId} already has a route with destination-prefix-list-id ${pl}`);
  routeTables(ctx).set(t.RouteTableId, { ...t, routes: [...t.routes, { DestinationPrefixListId: pl, GatewayId: ep.VpcEndpointId, Origin: 'CreateRoute', State: 'active' }] });
}

function removeEndpointRoute(ctx: Ctx, ep: VpcEndpointRow, rtbId: string): void {
  const t = routeTables(ctx).get(rtbId);
  if (!t) return;
  routeTables(ctx).set(t.RouteTableId, { ...t, routes: t.routes.filter((r) => r.GatewayId !== ep.VpcEndpointId) });
}

export const CreateVpcEndpoint = op({
  name: 'CreateVpcEndpoint',
  doc: "Creates a gateway endpoint for S3 or DynamoDB in the VPC's region: each route table given gets a route to the service's prefix list (pl-...) through the endpoint, so traffic to the service stays on the AWS network. --policy-document limits what may pass (full access by default).",
  input: s.struct(
    {
      VpcEndpointType: s.enum(['Interface', 'Gateway', 'GatewayLoadBalancer', 'Resource', 'ServiceNetwork'] as const),
      VpcId: s.str({ complete: 'vpc' }),
      ServiceName: s.str({ doc: 'com.amazonaws.REGION.s3 or com.amazonaws.REGION.dynamodb.' }),
      PolicyDocument: s.str({ doc: 'An endpoint policy (JSON); full access when omitted.' }),
      RouteTableIds: s.list(s.str()),
      SubnetIds: s.list(s.str()),
      SecurityGroupIds: s.list(s.str()),
      PrivateDnsEnabled: s.bool(),
      ClientToken: s.str(),
      TagSpecifications: TagSpecifications(),
      DryRun: DryRun(),
    },
    ['VpcId'],
  ),
  errors: ['InvalidServiceName', 'InvalidVpcID.NotFound', 'InvalidRouteTableID.NotFound', 'RouteAlreadyExists', 'MalformedPolicyDocument'],
  example: 'aws ec2 create-vpc-endpoint --vpc-id vpc-0123456789abcdef0 --service-name com.amazonaws.us-east-1.s3 --route-table-ids rtb-0123456789abcdef0',
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const v = getVpc(ctx, input.VpcId);
    const name = input.ServiceName ?? '';
    if (!name) throw ec2Errors.missingParameter('ServiceName');
    const parsed = parseServiceName(name);
    if (!parsed || parsed.region !== ctx.region || !(GATEWAY_SERVICES as readonly string[]).includes(parsed.service)) {
      throw e('InvalidServiceName', `The Vpc Endpoint Service '${name}' does not exist`);
    }
    const type = input.VpcEndpointType ?? 'Gateway';
    if (type !== 'Gateway') {
      throw e('InvalidParameter', `Nimbus simulates Gateway endpoints for ${name}; use --vpc-endpoint-type Gateway.`);
    }
    const policy = input.PolicyDocument ?? DEFAULT_ENDPOINT_POLICY;
    checkEndpointPolicy(policy);
    const ep: VpcEndpointRow = {
      VpcEndpointId: newId(ctx, 'vpce'),
      region: ctx.region,
      VpcId: v.VpcId,
      ServiceName: name,
      VpcEndpointType: 'Gateway',
      RouteTableIds: [...new Set(input.RouteTableIds ?? [])],
      PolicyDocument: policy,
      created: ctx.now(),
      Tags: tagsFor(input.TagSpecifications, 'vpc-endpoint'),
    };
    for (const r of ep.RouteTableIds) addEndpointRoute(ctx, ep, r);
    vpcEndpoints(ctx).set(ep.VpcEndpointId, ep);
    return { VpcEndpoint: { ...renderEndpoint(ctx, ep), State: 'available' } };
  },
});

export const DescribeVpcEndpoints = op({
  name: 'DescribeVpcEndpoints',
  doc: 'Lists VPC endpoints with their route tables and policies.',
  input: s.struct({ VpcEndpointIds: s.list(s.str()), Filters: Filters(), MaxResults: MaxResults(), NextToken: NextToken(), DryRun: DryRun() }),
  errors: ['InvalidVpcEndpointId.NotFound'],
  paginator: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: ['VpcEndpoints'] },
  readOnly: true,
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    let rows = describeRows(ctx, vpcEndpoints(ctx), (x) => x.VpcEndpointId, input.VpcEndpointIds, endpointNotFound);
    rows = applyFilters(
      rows,
      input.Filters,
      {
        'vpc-endpoint-id': (x) => x.VpcEndpointId,
        'vpc-id': (x) => x.VpcId,
        'service-name': (x) => x.ServiceName,
        'vpc-endpoint-type': (x) => x.VpcEndpointType,
        'vpc-endpoint-state': () => 'available',
      },
      (x) => x.Tags,
    );
    return describePage('VpcEndpoints', rows, input, (x) => renderEndpoint(ctx, x));
  },
});

export const ModifyVpcEndpoint = op({
  name: 'ModifyVpcEndpoint',
  doc: "Changes an endpoint's policy (--policy-document, or --reset-policy for full access) and which route tables route to it.",
  input: s.struct(
    {
      VpcEndpointId: s.str(),
      ResetPolicy: s.bool(),
      PolicyDocument: s.str(),
      AddRouteTableIds: s.list(s.str()),
      RemoveRouteTableIds: s.list(s.str()),
      AddSubnetIds: s.list(s.str()),
      RemoveSubnetIds: s.list(s.str()),
      PrivateDnsEnabled: s.bool(),
      DryRun: DryRun(),
    },
    ['VpcEndpointId'],
  ),
  errors: ['InvalidVpcEndpointId.NotFound', 'InvalidRouteTableID.NotFound', 'MalformedPolicyDocument'],
  example: 'aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0123456789abcdef0 --policy-document file://endpoint-policy.json',
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    let ep = getEndpoint(ctx, input.VpcEndpointId);
    if (input.PolicyDocument !== undefined && input.ResetPolicy) throw ec2Errors.invalidParameterCombination('PolicyDocument and ResetPolicy cannot be used together');
    if (input.PolicyDocument !== undefined) {
      checkEndpointPolicy(input.PolicyDocument);
      ep = { ...ep, PolicyDocument: input.PolicyDocument };
    }
    if (input.ResetPolicy) ep = { ...ep, PolicyDocument: DEFAULT_ENDPOINT_POLICY };
    for (const r of input.AddRouteTableIds ?? []) {
      if (ep.RouteTableIds.includes(r)) continue;
      addEndpointRoute(ctx, ep, r);
      ep = { ...ep, RouteTableIds: [...ep.RouteTableIds, r] };
    }
    for (const r of input.RemoveRouteTableIds ?? []) {
      getRouteTable(ctx, r);
      removeEndpointRoute(ctx, ep, r);
      ep = { ...ep, RouteTableIds: ep.RouteTableIds.filter((x) => x !== r) };
    }
    vpcEndpoints(ctx).set(ep.VpcEndpointId, ep);
    return { Return: true };
  },
});

export const DeleteVpcEndpoints = op({
  name: 'DeleteVpcEndpoints',
  doc: 'Deletes endpoints and their routes; ids that do not exist are reported in Unsuccessful.',
  input: s.struct({ VpcEndpointIds: s.list(s.str()), DryRun: DryRun() }, ['VpcEndpointIds']),
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const unsuccessful: unknown[] = [];
    for (const id of input.VpcEndpointIds) {
      const ep = vpcEndpoints(ctx).get(id);
      if (!ep || ep.region !== ctx.region) {
        unsuccessful.push({ Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: `The Vpc Endpoint Id '${id}' does not exist` }, ResourceId: id });
        continue;
      }
      for (const r of ep.RouteTableIds) removeEndpointRoute(ctx, ep, r);
      vpcEndpoints(ctx).delete(id);
    }
    return { Unsuccessful: unsuccessful };
  },
});

export const DescribePrefixLists = op({
  name: 'DescribePrefixLists',
  doc: 'Lists the AWS-managed prefix lists of gateway services (the address ranges of S3 and DynamoDB in the region).',
  input: s.struct({ PrefixListIds: s.list(s.str()), Filters: Filters(), MaxResults: MaxResults(), NextToken: NextToken(), DryRun: DryRun() }),
  readOnly: true,
  handler: (ctx, input) => {
    let rows = prefixLists(ctx.region);
    if (input.PrefixListIds?.length) rows = rows.filter((p) => input.PrefixListIds!.includes(p.PrefixListId));
    rows = applyFilters(rows, input.Filters, { 'prefix-list-id': (p) => p.PrefixListId, 'prefix-list-name': (p) => p.PrefixListName }, () => []);
    return { PrefixLists: rows };
  },
});

export const DescribeVpcEndpointServices = op({
  name: 'DescribeVpcEndpointServices',
  doc: 'Lists the services you can create endpoints for in the region (Nimbus: the gateway services S3 and DynamoDB).',
  input: s.struct({ ServiceNames: s.list(s.str()), Filters: Filters(), MaxResults: MaxResults(), NextToken: NextToken(), DryRun: DryRun() }),
  readOnly: true,
  handler: (ctx, input) => {
    let names = GATEWAY_SERVICES.map((x) => `com.amazonaws.${ctx.region}.${x}`);
    if (input.ServiceNames?.length) {
      for (const n of input.ServiceNames) if (!names.includes(n)) throw e('InvalidServiceName', `The Vpc Endpoint Service '${n}' does not exist`);
      names = names.filter((n) => input.ServiceNames!.includes(n));
    }
    const details = names.map((n) => ({
      ServiceName: n,
      ServiceId: `vpce-svc-${prefixListId(n).slice(3)}`,
      ServiceType: [{ ServiceType: 'Gateway' }],
      ServiceRegion: ctx.region,
      AvailabilityZones: availabilityZones(ctx.region),
      Owner: 'amazon',
      BaseEndpointDnsNames: [`${n.split('.').slice(3).join('.')}.${ctx.region}.amazonaws.com`],
      VpcEndpointPolicySupported: true,
      AcceptanceRequired: false,
      ManagesVpcEndpoints: false,
      SupportedIpAddressTypes: ['ipv4'],
    }));
    const filtered = applyFilters(details, input.Filters, { 'service-name': (d) => d.ServiceName, 'service-type': () => 'Gateway' }, () => []);
    return { ServiceNames: filtered.map((d) => d.ServiceName), ServiceDetails: filtered };
  },
});

export const vpcOperations = [
  CreateVpc,
  DeleteVpc,
  CreateSubnet,
  DeleteSubnet,
  CreateInternetGateway,
  AttachInternetGateway,
  DetachInternetGateway,
  CreateRouteTable,
  DeleteRouteTable,
  AssociateRouteTable,
  DisassociateRouteTable,
  CreateRoute,
  DeleteRoute,
  CreateVpcEndpoint,
  DescribeVpcEndpoints,
  ModifyVpcEndpoint,
  DeleteVpcEndpoints,
  DescribePrefixLists,
  DescribeVpcEndpointServices,
];
