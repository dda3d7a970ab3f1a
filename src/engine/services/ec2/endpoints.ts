/**
 * VPC endpoints, AWS prefix lists and the path a request takes out of a subnet
 * (S3 part 2: network). Table `ec2.vpcEndpoints`: id -> VpcEndpointRow.
 *
 * `routeFromSubnet` answers "where does traffic to SERVICE in REGION go from this
 * subnet?": through a gateway endpoint when the subnet's route table has the
 * service's prefix-list route, else through an internet gateway or NAT gateway
 * (0.0.0.0/0 route), else nowhere (the CLI cannot connect).
 */
import type { Ctx } from '../../context';
import { md5Hex, utf8 } from '../../store/blobs';
import { routeTables, subnets, internetGateways, type RouteTableRow, type SubnetRow, type Tag } from './model';

export interface VpcEndpointRow {
  VpcEndpointId: string;
  region: string;
  VpcId: string;
  ServiceName: string;
  VpcEndpointType: 'Gateway' | 'Interface';
  RouteTableIds: string[];
  PolicyDocument: string;
  created: number;
  Tags: Tag[];
}

export const T_ENDPOINTS = 'ec2.vpcEndpoints';
export const vpcEndpoints = (ctx: Pick<Ctx, 'table'>) => ctx.table<VpcEndpointRow>(T_ENDPOINTS);

/** Services that offer gateway endpoints. */
export const GATEWAY_SERVICES = ['s3', 'dynamodb'] as const;

/** Real prefix list ids where we know them; a stable made-up one elsewhere. */
const KNOWN_PREFIX_LISTS: Record<string, string> = {
  'com.amazonaws.us-east-1.s3': 'pl-63a5400a',
  'com.amazonaws.us-east-1.dynamodb': 'pl-02cd2c6b',
};

const PREFIX_CIDRS: Record<string, string[]> = {
  s3: ['16.15.176.0/20', '16.182.0.0/16', '3.5.0.0/19', '44.192.134.240/28', '52.216.0.0/15', '54.231.0.0/16'],
  dynamodb: ['3.218.182.0/24', '3.218.180.0/23', '52.94.0.0/22', '52.119.224.0/20'],
};

export function prefixListId(serviceName: string): string {
  return KNOWN_PREFIX_LISTS[serviceName] ?? `pl-${md5Hex(utf8.encode(serviceName)).slice(0, 8)}`;
}

export function prefixLists(region: string): { PrefixListId: string; PrefixListName: string; Cidrs: string[] }[] {
  return GATEWAY_SERVICES.map((svc) => {
    const name = `com.amazonaws.${region}.${svc}`;
    return { PrefixListId: prefixListId(name), PrefixListName: name, Cidrs: [...PREFIX_CIDRS[svc]!] };
  });
}

export const DEFAULT_ENDPOINT_POLICY = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });

/** The route table a subnet uses: its explicit association, else its VPC's main table. */
export function routeTableOf(ctx: Ctx, subnet: SubnetRow): RouteTableRow | undefined {
  const all = routeTables(ctx).filter((t) => t.VpcId === subnet.VpcId);
  return all.find((t) => t.subnetAssociations.some((a) => a.SubnetId === subnet.SubnetId)) ?? all.find((t) => t.main);
}

export type NetworkPath =
  | { kind: 'internet'; via: 'client' }
  | { kind: 'endpoint'; subnet: string; vpc: string; routeTable: string; endpoint: VpcEndpointRow; prefixList: string }
  | { kind: 'igw'; subnet: string; vpc: string; routeTable: string; gateway: string; publicIp: string }
  | { kind: 'nat'; subnet: string; vpc: string; routeTable: string; gateway: string; publicIp: string }
  | { kind: 'none'; subnet: string; vpc: string; routeTable: string; reason: string };

/** A stable public address for a subnet's instance (for aws:SourceIp on the internet path). */
export function subnetPublicIp(subnetId: string): string {
  const h = md5Hex(utf8.encode(subnetId));
  return `54.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2, 4), 16)}.${1 + (parseInt(h.slice(4, 6), 16) % 254)}`;
}

/** Where a request to `service` in `region` goes from an instance in `subnetId` (ctx.region is the subnet's region). */
export function routeFromSubnet(ctx: Ctx, subnetId: string, service: string, region: string): NetworkPath | undefined {
  const sn = subnets(ctx).get(subnetId);
  if (!sn) return undefined;
  const rt = routeTableOf(ctx, sn);
  const base = { subnet: sn.SubnetId, vpc: sn.VpcId, routeTable: rt?.RouteTableId ?? '' };
  if (!rt) return { kind: 'none', ...base, reason: 'the subnet has no route table' };
  if (region === sn.region && (GATEWAY_SERVICES as readonly string[]).includes(service)) {
    const pl = prefixListId(`com.amazonaws.${region}.${service}`);
    const route = rt.routes.find((r) => r.DestinationPrefixListId === pl && r.State === 'active');
    const ep = route?.GatewayId ? vpcEndpoints(ctx).get(route.GatewayId) : undefined;
    if (ep) return { kind: 'endpoint', ...base, endpoint: ep, prefixList: pl };
  }
  const def = rt.routes.find((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.State === 'active');
  const gw = def?.GatewayId ?? (def as { NatGatewayId?: string } | undefined)?.NatGatewayId;
  if (gw?.startsWith('igw-')) {
    const igw = internetGateways(ctx).get(gw);
    if (igw && igw.attachments.some((a) => a.VpcId === sn.VpcId)) return { kind: 'igw', ...base, gateway: gw, publicIp: subnetPublicIp(sn.SubnetId) };
    return { kind: 'none', ...base, reason: `the route to ${gw} is a blackhole (the gateway is not attached to ${sn.VpcId})` };
  }
  if (gw?.startsWith('nat-')) return { kind: 'nat', ...base, gateway: gw, publicIp: subnetPublicIp(gw) };
  return { kind: 'none', ...base, reason: `route table ${rt.RouteTableId} has no route to the internet (0.0.0.0/0) and no endpoint route for ${service}` };
}

/** The policy condition keys a request carries on a path; undefined when it cannot leave the subnet. */
export function pathRequestContext(path: NetworkPath): Record<string, unknown> | undefined {
  switch (path.kind) {
    case 'none':
      return undefined;
    case 'endpoint':
      return { 'aws:SourceVpce': path.endpoint.VpcEndpointId, 'aws:SourceVpc': path.vpc };
    case 'igw':
    case 'nat':
      return { 'aws:SourceIp': path.publicIp };
    default:
      return {};
  }
}

/** A subnet by id, or by its Name tag (lesson checks name subnets that way). */
export function findSubnetByRef(ctx: Ctx, ref: string): SubnetRow | undefined {
  return subnets(ctx).get(ref) ?? subnets(ctx).filter((s) => s.Tags.some((t) => t.Key === 'Name' && t.Value === ref))[0];
}
