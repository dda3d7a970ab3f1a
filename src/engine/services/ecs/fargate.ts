/**
 * Fargate facts: platform versions, task ENIs (a private IP from the chosen
 * subnet, a public one with assignPublicIp ENABLED) and prices. No container
 * instances and no agent exist for Fargate tasks.
 */
import type { Ctx } from '../../context';
import { ecsErrors } from './errors';
import { AwsError } from '../../errors';
import { allocatePrivateIp } from '../ec2/model';
import { tasksTable, isTaskLive, type EniAttachment } from './model';

export const FARGATE_LATEST_LINUX = '1.4.0';
export const FARGATE_LINUX_VERSIONS = ['1.4.0', '1.3.0'];
export const FARGATE_LATEST_WINDOWS = '1.0.0';

/** Resolve --platform-version (LATEST when absent) for a Fargate task. */
export function resolvePlatformVersion(requested: string | undefined, windows = false): string {
  const v = requested ?? 'LATEST';
  if (v === 'LATEST') return windows ? FARGATE_LATEST_WINDOWS : FARGATE_LATEST_LINUX;
  if (windows ? v === FARGATE_LATEST_WINDOWS : FARGATE_LINUX_VERSIONS.includes(v)) return v;
  throw ecsErrors.platformUnknown(`The specified platform version (${v}) does not exist.`);
}

/** Per-hour prices in us-east-1 (USD). */
export const FARGATE_PRICES = {
  linuxX86: { vcpuHour: 0.04048, gbHour: 0.004445 },
  linuxArm: { vcpuHour: 0.03238, gbHour: 0.00356 },
  spotX86: { vcpuHour: 0.01246568, gbHour: 0.00136883 },
  /** Ephemeral storage above the included 20 GiB. */
  storageGbHour: 0.000111,
} as const;

export function fargateHourlyPrice(cpuUnits: number, memoryMiB: number, kind: keyof Omit<typeof FARGATE_PRICES, 'storageGbHour'> = 'linuxX86', storageGiB = 20): number {
  const p = FARGATE_PRICES[kind];
  return (cpuUnits / 1024) * p.vcpuHour + (memoryMiB / 1024) * p.gbHour + Math.max(0, storageGiB - 20) * FARGATE_PRICES.storageGbHour;
}

// ---------- network ----------

/** What this side reads of the EC2 engineer's subnet rows (table ec2.subnets). */
export interface SubnetLike {
  SubnetId: string;
  region: string;
  VpcId: string;
  CidrBlock: string;
  AvailabilityZone: string;
}
interface SecurityGroupLike {
  GroupId: string;
  region: string;
  VpcId: string;
  GroupName: string;
}

export function findSubnetRow(ctx: Ctx, subnetId: string): SubnetLike | undefined {
  const row = ctx.table<SubnetLike>('ec2.subnets').get(subnetId);
  return row && row.region === ctx.region ? row : undefined;
}

export interface AwsvpcConfigInput {
  subnets: string[];
  securityGroups?: string[];
  assignPublicIp?: 'ENABLED' | 'DISABLED';
}

/** Check an awsvpcConfiguration against the model; returns the subnets and security groups to use. */
export function checkAwsvpcConfiguration(ctx: Ctx, cfg: AwsvpcConfigInput, launchType: string): { subnets: SubnetLike[]; securityGroups: string[] } {
  if (!cfg.subnets || cfg.subnets.length === 0) throw ecsErrors.invalidParameter('subnets can not be empty.');
  if (cfg.subnets.length > 16) throw ecsErrors.invalidParameter('subnets can have at most 16 items.');
  const subs: SubnetLike[] = [];
  for (const id of cfg.subnets) {
    const row = findSubnetRow(ctx, id);
    if (!row) throw ecsErrors.invalidParameter(`Error retrieving subnet information for [${id}]: The subnet ID '${id}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)`);
    subs.push(row);
  }
  const vpcs = new Set(subs.map((sb) => sb.VpcId));
  if (vpcs.size > 1) throw ecsErrors.invalidParameter('Subnets must all belong to the same VPC.');
  const vpcId = subs[0]!.VpcId;
  const sgTable = ctx.table<SecurityGroupLike>('ec2.securityGroups');
  let groups = cfg.securityGroups ?? [];
  if (groups.length > 5) throw ecsErrors.invalidParameter('securityGroups can have at most 5 items.');
  for (const g of groups) {
    const row = sgTable.get(g);
    if (!row || row.region !== ctx.region) throw ecsErrors.invalidParameter(`Error retrieving security group information for [${g}]: The security group '${g}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)`);
    if (row.VpcId !== vpcId) throw ecsErrors.invalidParameter(`Security group ${g} and subnet ${subs[0]!.SubnetId} belong to different networks.`);
  }
  if (groups.length === 0) {
    const def = sgTable.filter((g) => g.region === ctx.region && g.VpcId === vpcId && g.GroupName === 'default')[0];
    groups = def ? [def.GroupId] : [];
  }
  if (cfg.assignPublicIp === 'ENABLED' && launchType !== 'FARGATE') {
    throw ecsErrors.invalidParameter('Assign public IP is not supported for this launch type.');
  }
  return { subnets: subs, securityGroups: groups };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, p) => a * 256 + parseInt(p, 10), 0);
}
function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** A free IP in a subnet the EC2 tables do not know (not reached with the seeded EC2 network). */
function pickFreeIp(ctx: Ctx, subnet: SubnetLike): string {
  const [base, bitsText] = subnet.CidrBlock.split('/');
  const size = 2 ** (32 - parseInt(bitsText ?? '24', 10));
  const start = ipToInt(base ?? '172.31.0.0');
  const used = usedIps(ctx, subnet.SubnetId);
  for (let off = 4; off < size - 1; off++) {
    const candidate = intToIp(start + off);
    if (!used.has(candidate)) return candidate;
  }
  throw ecsErrors.invalidParameter(`The subnet ${subnet.SubnetId} has no free IP addresses.`);
}

/** Private IPs in use in a subnet: live task ENIs and EC2 instances. */
function usedIps(ctx: Ctx, subnetId: string): Set<string> {
  const used = new Set<string>();
  for (const t of tasksTable(ctx).values()) if (t.eni && t.eni.subnetId === subnetId && isTaskLive(t)) used.add(t.eni.privateIPv4Address);
  for (const i of ctx.table<{ SubnetId?: string; PrivateIpAddress?: string }>('ec2.instances').values()) {
    if (i.SubnetId === subnetId && i.PrivateIpAddress) used.add(i.PrivateIpAddress);
  }
  return used;
}

/** Create the task's ENI in one of the subnets (picked by the seeded rng); its private IP is taken from the subnet's pool. */
export function createTaskEni(ctx: Ctx, subnet: SubnetLike, securityGroups: string[], publicIp: boolean): EniAttachment {
  const eniId = `eni-${ctx.rng.hex(17)}`;
  let ip: string;
  if (ctx.table('ec2.subnets').get(subnet.SubnetId)) {
    try {
      // Through the EC2 address pool, so the subnet's AvailableIpAddressCount counts task ENIs too.
      ip = allocatePrivateIp(ctx, subnet.SubnetId, eniId);
    } catch (e) {
      if (e instanceof AwsError && e.code === 'InsufficientFreeAddressesInSubnet') throw ecsErrors.invalidParameter(`The subnet ${subnet.SubnetId} has no free IP addresses.`);
      throw e;
    }
  } else ip = pickFreeIp(ctx, subnet);
  const mac = ['0a', ...Array.from({ length: 5 }, () => ctx.rng.hex(2))].join(':');
  const dnsSuffix = ctx.region === 'us-east-1' ? 'ec2.internal' : `${ctx.region}.compute.internal`;
  const eni: EniAttachment = {
    id: ctx.rng.uuid(),
    networkInterfaceId: eniId,
    subnetId: subnet.SubnetId,
    privateIPv4Address: ip,
    privateDnsName: `ip-${ip.replace(/\./g, '-')}.${dnsSuffix}`,
    macAddress: mac,
    securityGroups,
    status: 'PRECREATED',
  };
  if (publicIp) eni.publicIPv4Address = `${ctx.rng.pick([3, 18, 34, 44, 52, 54])}.${ctx.rng.int(0, 255)}.${ctx.rng.int(0, 255)}.${ctx.rng.int(1, 254)}`;
  return eni;
}
