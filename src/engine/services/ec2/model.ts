/**
 * EC2 state: the default network of every region (VPC 172.31.0.0/16, one /20
 * default subnet per AZ, default security group, internet gateway, main route
 * table), security groups, instances and the private addresses they hold.
 *
 * Other services use the helpers at the bottom (default VPC and subnets, subnet
 * and security group lookup, private IP allocation) for their own network
 * interfaces (Fargate task ENIs, VPC endpoints).
 */
import type { Ctx } from '../../context';
import { REGIONS, availabilityZones, azId } from '../../regions';
import { ec2Errors } from './errors';
import { AwsError } from '../../errors';

export interface Tag {
  Key: string;
  Value: string;
}

export interface VpcRow {
  VpcId: string;
  region: string;
  CidrBlock: string;
  IsDefault: boolean;
  DhcpOptionsId: string;
  cidrAssociationId: string;
  Tags: Tag[];
}

export interface SubnetRow {
  SubnetId: string;
  region: string;
  VpcId: string;
  CidrBlock: string;
  AvailabilityZone: string;
  DefaultForAz: boolean;
  MapPublicIpOnLaunch: boolean;
  Tags: Tag[];
}

/** One security group rule, flat (as DescribeSecurityGroupRules shows it). */
export interface SgRule {
  ruleId: string;
  isEgress: boolean;
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  CidrIpv4?: string;
  CidrIpv6?: string;
  /** Rule whose source is another group. */
  ReferencedGroupId?: string;
  PrefixListId?: string;
  Description?: string;
}

export interface SecurityGroupRow {
  GroupId: string;
  region: string;
  GroupName: string;
  Description: string;
  VpcId: string;
  rules: SgRule[];
  Tags: Tag[];
}

export interface InternetGatewayRow {
  InternetGatewayId: string;
  region: string;
  attachments: { VpcId: string; State: string }[];
  Tags: Tag[];
}

export interface RouteRow {
  DestinationCidrBlock?: string;
  DestinationPrefixListId?: string;
  GatewayId?: string;
  Origin: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
  State: 'active' | 'blackhole';
}

export interface RouteTableRow {
  RouteTableId: string;
  region: string;
  VpcId: string;
  main: boolean;
  /** Association id of the main association (when main). */
  mainAssociationId?: string;
  subnetAssociations: { RouteTableAssociationId: string; SubnetId: string }[];
  routes: RouteRow[];
  Tags: Tag[];
}

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface InstanceRow {
  InstanceId: string;
  region: string;
  ReservationId: string;
  ImageId: string;
  InstanceType: string;
  KeyName?: string;
  launchTime: number;
  state: InstanceStateName;
  StateTransitionReason: string;
  stateReason?: { Code: string; Message: string };
  SubnetId: string;
  VpcId: string;
  AvailabilityZone: string;
  PrivateIpAddress: string;
  PublicIpAddress?: string;
  SecurityGroups: { GroupId: string; GroupName: string }[];
  /** Decoded user data text (the API carries it base64). */
  userData?: string;
  Tags: Tag[];
  AmiLaunchIndex: number;
  ClientToken: string;
  NetworkInterfaceId: string;
  MacAddress: string;
  AttachmentId: string;
  VolumeId: string;
  IamInstanceProfileArn?: string;
  Architecture: 'x86_64' | 'arm64';
  /** When the instance reached terminated (it disappears from listings an hour later). */
  terminatedAt?: number;
  MonitoringEnabled: boolean;
}

export interface AddressRow {
  subnetId: string;
  ip: string;
  /** Who holds the address: an instance id, an ENI id ... */
  owner: string;
}

export const T_VPCS = 'ec2.vpcs';
export const T_SUBNETS = 'ec2.subnets';
export const T_SGS = 'ec2.securityGroups';
export const T_IGWS = 'ec2.internetGateways';
export const T_RTBS = 'ec2.routeTables';
export const T_INSTANCES = 'ec2.instances';
export const T_ADDRESSES = 'ec2.addresses';

export const vpcs = (ctx: Ctx) => ctx.table<VpcRow>(T_VPCS);
export const subnets = (ctx: Ctx) => ctx.table<SubnetRow>(T_SUBNETS);
export const securityGroups = (ctx: Ctx) => ctx.table<SecurityGroupRow>(T_SGS);
export const internetGateways = (ctx: Ctx) => ctx.table<InternetGatewayRow>(T_IGWS);
export const routeTables = (ctx: Ctx) => ctx.table<RouteTableRow>(T_RTBS);
export const instances = (ctx: Ctx) => ctx.table<InstanceRow>(T_INSTANCES);
export const addresses = (ctx: Ctx) => ctx.table<AddressRow>(T_ADDRESSES);

/** A new EC2 resource id: prefix + 17 hex digits (`i-0abc...`). */
export function newId(ctx: Ctx, prefix: string): string {
  return `${prefix}-0${ctx.rng.hex(16)}`;
}

// ---------------------------------------------------------------- IPv4 helpers

export function ipToInt(ip: string): number {
  const p = ip.split('.').map((x) => parseInt(x, 10));
  return (((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!) >>> 0;
}

export function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): { base: number; bits: number; size: number } | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return null;
  const parts = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (parts.some((x) => x > 255) || bits > 32) return null;
  const size = 2 ** (32 - bits);
  const base = ipToInt(parts.join('.'));
  return { base: base - (base % size), bits, size };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  if (!c) return false;
  const n = ipToInt(ip);
  return n >= c.base && n < c.base + c.size;
}

/** Addresses AWS reserves in every subnet: the first four and the last. */
export function usableAddressCount(cidr: string): number {
  const c = parseCidr(cidr);
  return c ? Math.max(0, c.size - 5) : 0;
}

// ---------------------------------------------------------------- seed

function seedRegion(ctx: Ctx, region: string): void {
  const vpcId = newId(ctx, 'vpc');
  vpcs(ctx).set(vpcId, {
    VpcId: vpcId,
    region,
    CidrBlock: '172.31.0.0/16',
    IsDefault: true,
    DhcpOptionsId: newId(ctx, 'dopt'),
    cidrAssociationId: newId(ctx, 'vpc-cidr-assoc'),
    Tags: [],
  });
  const igwId = newId(ctx, 'igw');
  internetGateways(ctx).set(igwId, { InternetGatewayId: igwId, region, attachments: [{ VpcId: vpcId, State: 'available' }], Tags: [] });
  const rtbId = newId(ctx, 'rtb');
  routeTables(ctx).set(rtbId, {
    RouteTableId: rtbId,
    region,
    VpcId: vpcId,
    main: true,
    mainAssociationId: newId(ctx, 'rtbassoc'),
    subnetAssociations: [],
    routes: [
      { DestinationCidrBlock: '172.31.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId, Origin: 'CreateRoute', State: 'active' },
    ],
    Tags: [],
  });
  createSecurityGroupRow(ctx, region, 'default', 'default VPC security group', vpcId);
  availabilityZones(region).forEach((az, i) => {
    const subnetId = newId(ctx, 'subnet');
    subnets(ctx).set(subnetId, {
      SubnetId: subnetId,
      region,
      VpcId: vpcId,
      CidrBlock: `172.31.${i * 16}.0/20`,
      AvailabilityZone: az,
      DefaultForAz: true,
      MapPublicIpOnLaunch: true,
      Tags: [],
    });
  });
}

/** Lay down every region's default network (runs once, when a sandbox is created). */
export function seedEc2(ctx: Ctx): void {
  for (const r of REGIONS) seedRegion(ctx, r.name);
}

/** Create a security group row with AWS's default rules (egress to anywhere; the default group also admits itself). */
export function createSecurityGroupRow(ctx: Ctx, region: string, name: string, description: string, vpcId: string, tags: Tag[] = []): SecurityGroupRow {
  const groupId = newId(ctx, 'sg');
  const rules: SgRule[] = [];
  if (name === 'default') rules.push({ ruleId: newId(ctx, 'sgr'), isEgress: false, IpProtocol: '-1', ReferencedGroupId: groupId });
  rules.push({ ruleId: newId(ctx, 'sgr'), isEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' });
  return securityGroups(ctx).set(groupId, { GroupId: groupId, region, GroupName: name, Description: description, VpcId: vpcId, rules, Tags: tags });
}

// ---------------------------------------------------------------- lookups for everyone

export function defaultVpc(ctx: Ctx, region = ctx.region): VpcRow | undefined {
  return vpcs(ctx).filter((v) => v.region === region && v.IsDefault)[0];
}

/** The default subnets of a region, in AZ order. */
export function defaultSubnets(ctx: Ctx, region = ctx.region): SubnetRow[] {
  return subnets(ctx)
    .filter((s) => s.region === region && s.DefaultForAz)
    .sort((a, b) => a.AvailabilityZone.localeCompare(b.AvailabilityZone));
}

export function getVpc(ctx: Ctx, vpcId: string): VpcRow {
  if (!/^vpc-[0-9a-f]+$/.test(vpcId)) throw ec2Errors.vpcMalformed(vpcId);
  const v = vpcs(ctx).get(vpcId);
  if (!v || v.region !== ctx.region) throw ec2Errors.vpcNotFound(vpcId);
  return v;
}

export function getSubnet(ctx: Ctx, subnetId: string): SubnetRow {
  if (!/^subnet-[0-9a-f]+$/.test(subnetId)) throw ec2Errors.subnetMalformed(subnetId);
  const s = subnets(ctx).get(subnetId);
  if (!s || s.region !== ctx.region) throw ec2Errors.subnetNotFound(subnetId);
  return s;
}

export function findSubnet(ctx: Ctx, subnetId: string): SubnetRow | undefined {
  const s = subnets(ctx).get(subnetId);
  return s && s.region === ctx.region ? s : undefined;
}

export function getSecurityGroup(ctx: Ctx, groupId: string): SecurityGroupRow {
  if (!/^sg-[0-9a-f]+$/.test(groupId)) throw ec2Errors.groupMalformed(groupId);
  const g = securityGroups(ctx).get(groupId);
  if (!g || g.region !== ctx.region) throw ec2Errors.groupNotFound(groupId);
  return g;
}

export function findSecurityGroup(ctx: Ctx, groupId: string): SecurityGroupRow | undefined {
  const g = securityGroups(ctx).get(groupId);
  return g && g.region === ctx.region ? g : undefined;
}

/** A security group by name in a VPC (the default VPC when none is given). */
export function findSecurityGroupByName(ctx: Ctx, name: string, vpcId?: string): SecurityGroupRow | undefined {
  const vpc = vpcId ?? defaultVpc(ctx)?.VpcId;
  return securityGroups(ctx).filter((g) => g.region === ctx.region && g.VpcId === vpc && g.GroupName === name)[0];
}

export function getInstance(ctx: Ctx, instanceId: string): InstanceRow | undefined {
  const i = instances(ctx).get(instanceId);
  return i && i.region === ctx.region ? i : undefined;
}

/** The availability zone id (use1-az1) of a zone name. */
export { azId };

// ---------------------------------------------------------------- addresses

const addrKey = (subnetId: string, ip: string) => `${subnetId}|${ip}`;

/** Per-subnet count of taken addresses (kept beside the address rows so counting is O(1)). */
export const T_ADDRESS_COUNTS = 'ec2.addressCounts';
const addressCounts = (ctx: Ctx) => ctx.table<number>(T_ADDRESS_COUNTS);

export function addressesInUse(ctx: Ctx, subnetId: string): number {
  return addressCounts(ctx).get(subnetId) ?? 0;
}

function bumpCount(ctx: Ctx, subnetId: string, by: number): void {
  const n = addressesInUse(ctx, subnetId) + by;
  if (n <= 0) addressCounts(ctx).delete(subnetId);
  else addressCounts(ctx).set(subnetId, n);
}

/** Free usable addresses left in a subnet (AvailableIpAddressCount). */
export function availableIpCount(ctx: Ctx, subnet: SubnetRow): number {
  return usableAddressCount(subnet.CidrBlock) - addressesInUse(ctx, subnet.SubnetId);
}

/**
 * Take a free private address in a subnet for `owner` (instance or ENI id).
 * Skips the four first and the last address as AWS reserves them. Throws
 * InsufficientFreeAddressesInSubnet when the subnet is full.
 */
export function allocatePrivateIp(ctx: Ctx, subnetId: string, owner: string, wanted?: string): string {
  const subnet = subnets(ctx).get(subnetId);
  if (!subnet) throw ec2Errors.subnetNotFound(subnetId);
  const c = parseCidr(subnet.CidrBlock)!;
  const table = addresses(ctx);
  if (wanted) {
    const n = ipToInt(wanted);
    if (!cidrContains(subnet.CidrBlock, wanted) || n < c.base + 4 || n >= c.base + c.size - 1) {
      throw ec2Errors.invalidParameterValue(`Address ${wanted} does not fall within the subnet's address range`);
    }
    if (table.has(addrKey(subnetId, wanted))) {
      throw ec2Errors.invalidParameterValue(`Address ${wanted} is in use.`);
    }
    table.set(addrKey(subnetId, wanted), { subnetId, ip: wanted, owner });
    bumpCount(ctx, subnetId, 1);
    return wanted;
  }
  const usable = c.size - 5;
  if (usable <= addressesInUse(ctx, subnetId)) {
    throw insufficientAddresses(subnetId);
  }
  // Pick a random free slot (AWS hands out addresses in no particular order).
  let offset = ctx.rng.int(0, usable - 1);
  for (let tries = 0; tries < usable; tries++) {
    const ip = intToIp(c.base + 4 + ((offset + tries) % usable));
    if (!table.has(addrKey(subnetId, ip))) {
      table.set(addrKey(subnetId, ip), { subnetId, ip, owner });
      bumpCount(ctx, subnetId, 1);
      return ip;
    }
  }
  throw insufficientAddresses(subnetId);
}

function insufficientAddresses(subnetId: string) {
  return new AwsError(
    'InsufficientFreeAddressesInSubnet',
    `There are not enough free addresses in subnet '${subnetId}' to satisfy the requested number of instances.`,
    400,
  );
}

export function releasePrivateIp(ctx: Ctx, subnetId: string, ip: string): void {
  if (addresses(ctx).delete(addrKey(subnetId, ip))) bumpCount(ctx, subnetId, -1);
}

/** A public IPv4 address from Amazon's pool (not tracked: collisions are harmless here). */
export function allocatePublicIp(ctx: Ctx): string {
  const first = ctx.rng.pick([3, 18, 34, 35, 44, 52, 54]);
  return `${first}.${ctx.rng.int(0, 255)}.${ctx.rng.int(0, 255)}.${ctx.rng.int(1, 254)}`;
}

/** A MAC address as EC2 shows it on an ENI. */
export function newMac(ctx: Ctx): string {
  const h = ctx.rng.hex(10);
  return `0e:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}:${h.slice(8, 10)}`;
}

/** Private DNS name of an address: ip-172-31-5-9.ec2.internal (us-east-1) or ip-...REGION.compute.internal. */
export function privateDnsName(region: string, ip: string): string {
  const host = 'ip-' + ip.replace(/\./g, '-');
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

export function publicDnsName(region: string, ip: string): string {
  const host = 'ec2-' + ip.replace(/\./g, '-');
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}
