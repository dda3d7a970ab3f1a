/** The default network: VPCs, subnets, security groups, zones, route tables, internet gateways. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { availabilityZones, azId, regionInfo } from '../../../regions';
import { ec2Errors } from '../errors';
import { applyFilters, paginate, tagsFor } from '../filters';
import { DryRun, Filters, MaxResults, NextToken, TagSpecifications } from '../shapes';
import {
  type SecurityGroupRow,
  type SgRule,
  type SubnetRow,
  type VpcRow,
  type RouteTableRow,
  type InternetGatewayRow,
  availableIpCount,
  createSecurityGroupRow,
  defaultVpc,
  findSecurityGroupByName,
  getSecurityGroup,
  getVpc,
  internetGateways,
  newId,
  parseCidr,
  routeTables,
  securityGroups,
  subnets,
  vpcs,
} from '../model';

const tagsOut = (tags: { Key: string; Value: string }[]) => (tags.length ? { Tags: tags } : {});

// ---------------------------------------------------------------- renderers

export function renderVpc(ctx: Ctx, v: VpcRow) {
  return {
    CidrBlock: v.CidrBlock,
    DhcpOptionsId: v.DhcpOptionsId,
    State: 'available',
    VpcId: v.VpcId,
    OwnerId: ctx.accountId,
    InstanceTenancy: 'default',
    CidrBlockAssociationSet: [{ AssociationId: v.cidrAssociationId, CidrBlock: v.CidrBlock, CidrBlockState: { State: 'associated' } }],
    IsDefault: v.IsDefault,
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    ...tagsOut(v.Tags),
  };
}

export function renderSubnet(ctx: Ctx, sn: SubnetRow) {
  return {
    AvailabilityZoneId: azId(sn.AvailabilityZone),
    MapCustomerOwnedIpOnLaunch: false,
    OwnerId: ctx.accountId,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    ...tagsOut(sn.Tags),
    SubnetArn: `arn:aws:ec2:${sn.region}:${ctx.accountId}:subnet/${sn.SubnetId}`,
    EnableDns64: false,
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    SubnetId: sn.SubnetId,
    State: 'available',
    VpcId: sn.VpcId,
    CidrBlock: sn.CidrBlock,
    AvailableIpAddressCount: availableIpCount(ctx, sn),
    AvailabilityZone: sn.AvailabilityZone,
    DefaultForAz: sn.DefaultForAz,
    MapPublicIpOnLaunch: sn.MapPublicIpOnLaunch,
  };
}

/** Rules grouped into IpPermissions as DescribeSecurityGroups shows them. */
export function ipPermissions(ctx: Ctx, rules: SgRule[]) {
  const groups = new Map<string, { IpProtocol: string; FromPort?: number; ToPort?: number; UserIdGroupPairs: unknown[]; IpRanges: unknown[]; Ipv6Ranges: unknown[]; PrefixListIds: unknown[] }>();
  for (const r of rules) {
    const key = `${r.IpProtocol}|${r.FromPort ?? ''}|${r.ToPort ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        IpProtocol: r.IpProtocol,
        ...(r.IpProtocol !== '-1' ? { FromPort: r.FromPort, ToPort: r.ToPort } : {}),
        UserIdGroupPairs: [],
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
      };
      groups.set(key, g);
    }
    const desc = r.Description !== undefined ? { Description: r.Description } : {};
    if (r.CidrIpv4) g.IpRanges.push({ ...desc, CidrIp: r.CidrIpv4 });
    if (r.CidrIpv6) g.Ipv6Ranges.push({ ...desc, CidrIpv6: r.CidrIpv6 });
    if (r.PrefixListId) g.PrefixListIds.push({ ...desc, PrefixListId: r.PrefixListId });
    if (r.ReferencedGroupId) g.UserIdGroupPairs.push({ ...desc, UserId: ctx.accountId, GroupId: r.ReferencedGroupId });
  }
  return [...groups.values()];
}

export function renderSecurityGroup(ctx: Ctx, g: SecurityGroupRow) {
  return {
    GroupId: g.GroupId,
    IpPermissionsEgress: ipPermissions(ctx, g.rules.filter((r) => r.isEgress)),
    ...tagsOut(g.Tags),
    VpcId: g.VpcId,
    SecurityGroupArn: sgArn(ctx, g),
    OwnerId: ctx.accountId,
    GroupName: g.GroupName,
    Description: g.Description,
    IpPermissions: ipPermissions(ctx, g.rules.filter((r) => !r.isEgress)),
  };
}

const sgArn = (ctx: Ctx, g: SecurityGroupRow) => `arn:aws:ec2:${g.region}:${ctx.accountId}:security-group/${g.GroupId}`;

export function renderRule(ctx: Ctx, g: SecurityGroupRow, r: SgRule) {
  return {
    SecurityGroupRuleId: r.ruleId,
    GroupId: g.GroupId,
    GroupOwnerId: ctx.accountId,
    IsEgress: r.isEgress,
    IpProtocol: r.IpProtocol,
    FromPort: r.FromPort ?? -1,
    ToPort: r.ToPort ?? -1,
    ...(r.CidrIpv4 ? { CidrIpv4: r.CidrIpv4 } : {}),
    ...(r.CidrIpv6 ? { CidrIpv6: r.CidrIpv6 } : {}),
    ...(r.ReferencedGroupId ? { ReferencedGroupInfo: { GroupId: r.ReferencedGroupId, UserId: ctx.accountId } } : {}),
    ...(r.Description !== undefined ? { Description: r.Description } : {}),
    SecurityGroupRuleArn: `arn:aws:ec2:${g.region}:${ctx.accountId}:security-group-rule/${r.ruleId}`,
  };
}

export function renderRouteTable(ctx: Ctx, t: RouteTableRow) {
  const associations: unknown[] = [];
  if (t.main && t.mainAssociationId) {
    associations.push({ Main: true, RouteTableAssociationId: t.mainAssociationId, RouteTableId: t.RouteTableId, AssociationState: { State: 'associated' } });
  }
  for (const a of t.subnetAssociations) {
    associations.push({ Main: false, RouteTableAssociationId: a.RouteTableAssociationId, RouteTableId: t.RouteTableId, SubnetId: a.SubnetId, AssociationState: { State: 'associated' } });
  }
  return {
    Associations: associations,
    PropagatingVgws: [],
    RouteTableId: t.RouteTableId,
    Routes: t.routes.map((r) => ({ ...r })),
    Tags: t.Tags,
    VpcId: t.VpcId,
    OwnerId: ctx.accountId,
  };
}

function renderIgw(ctx: Ctx, g: InternetGatewayRow) {
  return { Attachments: g.attachments.map((a) => ({ State: a.State, VpcId: a.VpcId })), InternetGatewayId: g.InternetGatewayId, OwnerId: ctx.accountId, Tags: g.Tags };
}

function checkIds(ids: string[] | undefined, prefix: string, malformed: (id: string) => Error): void {
  for (const id of ids ?? []) if (!new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`).test(id)) throw malformed(id);
}

/** Describe* calls: the region's rows, narrowed to the ids asked for (each must exist, else `notFound`). */
export function describeRows<T extends { region: string }>(
  ctx: Ctx,
  table: { filter(p: (row: T) => boolean): T[] },
  idOf: (row: T) => string,
  ids: string[] | undefined,
  notFound: (id: string) => Error,
): T[] {
  const rows = table.filter((r) => r.region === ctx.region);
  if (!ids?.length) return rows;
  for (const id of ids) if (!rows.some((r) => idOf(r) === id)) throw notFound(id);
  return rows.filter((r) => ids.includes(idOf(r)));
}

/** One page of a Describe* answer: the rendered rows under `key`, and NextToken while more remain. */
export function describePage<T>(key: string, rows: T[], input: { MaxResults?: number; NextToken?: string }, render: (row: T) => unknown) {
  const { page, NextToken: next } = paginate(rows, input.MaxResults, input.NextToken);
  return { [key]: page.map(render), ...(next ? { NextToken: next } : {}) };
}

// ---------------------------------------------------------------- VPCs and subnets

export const DescribeVpcs = op({
  name: 'DescribeVpcs',
  doc: 'Lists the virtual networks (VPCs) of the region, starting with the default VPC every region has.',
  input: s.struct({ Filters: Filters(), VpcIds: s.list(s.str({ complete: 'vpc' })), NextToken: NextToken(), MaxResults: MaxResults(), DryRun: DryRun() }),
  errors: ['InvalidVpcID.NotFound', 'InvalidVpcID.Malformed', 'InvalidParameterValue'],
  paginator: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: ['Vpcs'] },
  example: 'aws ec2 describe-vpcs --filters Name=is-default,Values=true',
  readOnly: true,
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    checkIds(input.VpcIds, 'vpc', ec2Errors.vpcMalformed);
    let rows = describeRows(ctx, vpcs(ctx), (v) => v.VpcId, input.VpcIds, ec2Errors.vpcNotFound);
    rows = applyFilters(
      rows,
      input.Filters,
      {
        'vpc-id': (v) => v.VpcId,
        'is-default': (v) => v.IsDefault,
        'cidr': (v) => v.CidrBlock,
        'cidr-block-association.cidr-block': (v) => v.CidrBlock,
        'cidr-block-association.association-id': (v) => v.cidrAssociationId,
        'cidr-block-association.state': () => 'associated',
        'dhcp-options-id': (v) => v.DhcpOptionsId,
        'owner-id': () => ctx.accountId,
        state: () => 'available',
      },
      (v) => v.Tags,
    );
    return describePage('Vpcs', rows, input, (x) => renderVpc(ctx, x));
  },
});

export const DescribeSubnets = op({
  name: 'DescribeSubnets',
  doc: 'Lists subnets. Each default VPC has one default subnet per Availability Zone; filter with default-for-az, vpc-id or availability-zone.',
  input: s.struct({ Filters: Filters(), SubnetIds: s.list(s.str({ complete: 'subnet' })), NextToken: NextToken(), MaxResults: MaxResults(), DryRun: DryRun() }),
  errors: ['InvalidSubnetID.NotFound', 'InvalidSubnetID.Malformed', 'InvalidParameterValue'],
  paginator: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: ['Subnets'] },
  example: 'aws ec2 describe-subnets --filters Name=default-for-az,Values=true --query "Subnets[].SubnetId"',
  readOnly: true,
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    checkIds(input.SubnetIds, 'subnet', ec2Errors.subnetMalformed);
    let rows = describeRows(ctx, subnets(ctx), (x) => x.SubnetId, input.SubnetIds, ec2Errors.subnetNotFound);
    rows = applyFilters(
      rows,
      input.Filters,
      {
        'subnet-id': (x) => x.SubnetId,
        'vpc-id': (x) => x.VpcId,
        'availability-zone': (x) => x.AvailabilityZone,
        'availability-zone-id': (x) => azId(x.AvailabilityZone),
        availabilityZone: (x) => x.AvailabilityZone,
        'default-for-az': (x) => x.DefaultForAz,
        defaultForAz: (x) => x.DefaultForAz,
        'cidr-block': (x) => x.CidrBlock,
        cidr: (x) => x.CidrBlock,
        cidrBlock: (x) => x.CidrBlock,
        'map-public-ip-on-launch': (x) => x.MapPublicIpOnLaunch,
        'available-ip-address-count': (x) => availableIpCount(ctx, x),
        'owner-id': () => ctx.accountId,
        state: () => 'available',
        'subnet-arn': (x) => `arn:aws:ec2:${x.region}:${ctx.accountId}:subnet/${x.SubnetId}`,
      },
      (x) => x.Tags,
    );
    return describePage('Subnets', rows, input, (x) => renderSubnet(ctx, x));
  },
});

// ---------------------------------------------------------------- security groups

export const DescribeSecurityGroups = op({
  name: 'DescribeSecurityGroups',
  doc: 'Lists security groups with their inbound (IpPermissions) and outbound (IpPermissionsEgress) rules.',
  input: s.struct({
    GroupIds: s.list(s.str({ complete: 'security-group' })),
    GroupNames: s.list(s.str(), { doc: 'Group names (default VPC only).' }),
    NextToken: NextToken(),
    MaxResults: MaxResults(),
    DryRun: DryRun(),
    Filters: Filters(),
  }),
  errors: ['InvalidGroup.NotFound', 'InvalidGroupId.Malformed', 'InvalidParameterValue'],
  paginator: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: ['SecurityGroups'] },
  example: 'aws ec2 describe-security-groups --group-names default',
  readOnly: true,
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    checkIds(input.GroupIds, 'sg', ec2Errors.groupMalformed);
    let rows = describeRows(ctx, securityGroups(ctx), (g) => g.GroupId, input.GroupIds, ec2Errors.groupNotFound);
    if (input.GroupNames?.length) {
      const dv = defaultVpc(ctx);
      const found: SecurityGroupRow[] = [];
      for (const name of input.GroupNames) {
        const g = findSecurityGroupByName(ctx, name);
        if (!g) throw ec2Errors.groupNameNotFoundInDefaultVpc(name, dv?.VpcId ?? '');
        found.push(g);
      }
      rows = rows.filter((g) => found.includes(g));
    }
    const ruleVals = (g: SecurityGroupRow, egress: boolean, pick: (r: SgRule) => string | number | undefined) =>
      g.rules.filter((r) => r.isEgress === egress).map(pick);
    rows = applyFilters(
      rows,
      input.Filters,
      {
        'group-id': (g) => g.GroupId,
        'group-name': (g) => g.GroupName,
        description: (g) => g.Description,
        'vpc-id': (g) => g.VpcId,
        'owner-id': () => ctx.accountId,
        'ip-permission.protocol': (g) => ruleVals(g, false, (r) => r.IpProtocol),
        'ip-permission.from-port': (g) => ruleVals(g, false, (r) => r.FromPort),
        'ip-permission.to-port': (g) => ruleVals(g, false, (r) => r.ToPort),
        'ip-permission.cidr': (g) => ruleVals(g, false, (r) => r.CidrIpv4),
        'ip-permission.group-id': (g) => ruleVals(g, false, (r) => r.ReferencedGroupId),
        'egress.ip-permission.protocol': (g) => ruleVals(g, true, (r) => r.IpProtocol),
        'egress.ip-permission.cidr': (g) => ruleVals(g, true, (r) => r.CidrIpv4),
        'egress.ip-permission.from-port': (g) => ruleVals(g, true, (r) => r.FromPort),
        'egress.ip-permission.to-port': (g) => ruleVals(g, true, (r) => r.ToPort),
      },
      (g) => g.Tags,
    );
    return describePage('SecurityGroups', rows, input, (x) => renderSecurityGroup(ctx, x));
  },
});

export const CreateSecurityGroup = op({
  name: 'CreateSecurityGroup',
  doc: 'Creates a security group in a VPC (the default VPC when --vpc-id is not given). It starts with one outbound rule allowing all traffic and no inbound rules.',
  input: s.struct(
    {
      Description: s.str({ max: 255, doc: 'What the group is for (up to 255 characters).' }),
      GroupName: s.str({ max: 255, doc: 'A name unique within the VPC; it may not start with sg-.' }),
      VpcId: s.str({ complete: 'vpc', doc: 'The VPC; the default VPC when omitted.' }),
      TagSpecifications: TagSpecifications(),
      DryRun: DryRun(),
    },
    ['Description', 'GroupName'],
  ),
  errors: ['InvalidGroup.Duplicate', 'InvalidGroup.Reserved', 'InvalidVpcID.NotFound', 'VPCIdNotSpecified', 'InvalidParameterValue'],
  example: 'aws ec2 create-security-group --group-name web --description "Web servers"',
  handler: (ctx, input) => {
    const name = input.GroupName;
    if (name.length === 0) throw ec2Errors.missingParameter('GroupName');
    if (/^sg-/i.test(name)) throw ec2Errors.invalidParameterValue('Group names may not be in the format sg-*.');
    if (name === 'default') throw ec2Errors.groupReserved();
    if (!/^[\x20-\x7e]*$/.test(input.Description)) {
      throw ec2Errors.invalidParameterValue(`Value (${input.Description}) for parameter GroupDescription is invalid. Character sets beyond ASCII are not supported.`);
    }
    let vpcId = input.VpcId;
    if (vpcId) getVpc(ctx, vpcId);
    else {
      const dv = defaultVpc(ctx);
      if (!dv) throw ec2Errors.vpcIdNotSpecified();
      vpcId = dv.VpcId;
    }
    if (findSecurityGroupByName(ctx, name, vpcId)) throw ec2Errors.groupDuplicate(name, vpcId);
    if (input.DryRun) throw ec2Errors.dryRun();
    const g = createSecurityGroupRow(ctx, ctx.region, name, input.Description, vpcId, tagsFor(input.TagSpecifications, 'security-group'));
    return { GroupId: g.GroupId, ...tagsOut(g.Tags), SecurityGroupArn: sgArn(ctx, g) };
  },
});

const IpPermissionsShape = () =>
  s.list(
    s.struct({
      IpProtocol: s.str({ doc: 'tcp, udp, icmp, or -1 for all traffic.' }),
      FromPort: s.int(),
      ToPort: s.int(),
      UserIdGroupPairs: s.list(s.struct({ Description: s.str(), UserId: s.str(), GroupName: s.str(), GroupId: s.str(), VpcId: s.str() })),
      IpRanges: s.list(s.struct({ Description: s.str(), CidrIp: s.str() })),
      Ipv6Ranges: s.list(s.struct({ Description: s.str(), CidrIpv6: s.str() })),
      PrefixListIds: s.list(s.struct({ Description: s.str(), PrefixListId: s.str() })),
    }),
    { doc: 'The rules, in the IpPermission shape.' },
  );

const PROTOCOLS: Record<string, string> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', '-1': '-1', all: '-1', icmpv6: 'icmpv6', '58': 'icmpv6' };

interface PermissionInput {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  UserIdGroupPairs?: { Description?: string; GroupName?: string; GroupId?: string }[];
  IpRanges?: { Description?: string; CidrIp?: string }[];
  Ipv6Ranges?: { Description?: string; CidrIpv6?: string }[];
  PrefixListIds?: { Description?: string; PrefixListId?: string }[];
}

function toRules(ctx: Ctx, group: SecurityGroupRow, perms: PermissionInput[], egress: boolean): SgRule[] {
  const out: SgRule[] = [];
  for (const p of perms) {
    const rawProto = (p.IpProtocol ?? '').toLowerCase();
    if (!rawProto) throw ec2Errors.missingParameter('ipPermissions.ipProtocol');
    const proto = PROTOCOLS[rawProto] ?? (/^\d+$/.test(rawProto) && Number(rawProto) <= 255 ? rawProto : undefined);
    if (!proto) throw ec2Errors.invalidParameterValue(`Invalid value '${p.IpProtocol}' for IP protocol. Unknown protocol.`);
    let from: number | undefined;
    let to: number | undefined;
    if (proto === 'tcp' || proto === 'udp') {
      if (p.FromPort === undefined || p.ToPort === undefined) {
        throw ec2Errors.invalidParameterValue("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange");
      }
      for (const port of [p.FromPort, p.ToPort]) {
        if (port < 0 || port > 65535) throw ec2Errors.invalidParameterValue(`Invalid value '${port}' for portRange. Must be a port number from 0 to 65535.`);
      }
      if (p.FromPort > p.ToPort) throw ec2Errors.invalidParameterValue(`Invalid value 'from port ${p.FromPort} must be lower than or equal to to port ${p.ToPort}' for portRange`);
      from = p.FromPort;
      to = p.ToPort;
    } else if (proto === 'icmp' || proto === 'icmpv6') {
      from = p.FromPort ?? -1;
      to = p.ToPort ?? -1;
    } else if (proto !== '-1') {
      from = p.FromPort;
      to = p.ToPort;
    }
    const base = { isEgress: egress, IpProtocol: proto, ...(from !== undefined ? { FromPort: from } : {}), ...(to !== undefined ? { ToPort: to } : {}) };
    const sources: Partial<SgRule>[] = [];
    for (const r of p.IpRanges ?? []) {
      if (!r.CidrIp || !parseCidr(r.CidrIp)) throw ec2Errors.invalidParameterValue(`Value (${r.CidrIp ?? ''}) for parameter cidrIp is invalid. This is not a valid CIDR block.`);
      sources.push({ CidrIpv4: r.CidrIp, ...(r.Description !== undefined ? { Description: r.Description } : {}) });
    }
    for (const r of p.Ipv6Ranges ?? []) {
      if (!r.CidrIpv6 || !r.CidrIpv6.includes(':')) throw ec2Errors.invalidParameterValue(`Value (${r.CidrIpv6 ?? ''}) for parameter cidrIpv6 is invalid. This is not a valid IPv6 CIDR block.`);
      sources.push({ CidrIpv6: r.CidrIpv6, ...(r.Description !== undefined ? { Description: r.Description } : {}) });
    }
    for (const r of p.PrefixListIds ?? []) sources.push({ PrefixListId: r.PrefixListId, ...(r.Description !== undefined ? { Description: r.Description } : {}) });
    for (const r of p.UserIdGroupPairs ?? []) {
      let ref: SecurityGroupRow | undefined;
      if (r.GroupId) ref = getSecurityGroup(ctx, r.GroupId);
      else if (r.GroupName) {
        ref = findSecurityGroupByName(ctx, r.GroupName, group.VpcId);
        if (!ref) throw ec2Errors.groupNotFound(r.GroupName);
      } else throw ec2Errors.missingParameter('groupId');
      sources.push({ ReferencedGroupId: ref.GroupId, ...(r.Description !== undefined ? { Description: r.Description } : {}) });
    }
    if (!sources.length) {
      // AWS accepts a rule with no source only for group-to-itself forms; treat as an error as the CLI sees it.
      throw ec2Errors.missingParameter('ipPermissions');
    }
    for (const src of sources) out.push({ ruleId: newId(ctx, 'sgr'), ...base, ...src } as SgRule);
  }
  return out;
}

function sameRule(a: SgRule, b: SgRule): boolean {
  return (
    a.isEgress === b.isEgress &&
    a.IpProtocol === b.IpProtocol &&
    a.FromPort === b.FromPort &&
    a.ToPort === b.ToPort &&
    a.CidrIpv4 === b.CidrIpv4 &&
    a.CidrIpv6 === b.CidrIpv6 &&
    a.ReferencedGroupId === b.ReferencedGroupId &&
    a.PrefixListId === b.PrefixListId
  );
}

function describeRule(r: SgRule): string {
  const peer = r.CidrIpv4 ?? r.CidrIpv6 ?? r.ReferencedGroupId ?? r.PrefixListId ?? '';
  const proto = r.IpProtocol === '-1' ? 'ALL' : r.IpProtocol.toUpperCase();
  const ports = r.IpProtocol === '-1' ? '' : `, from port: ${r.FromPort}, to port: ${r.ToPort}`;
  return `peer: ${peer}, ${proto}${ports}, ALLOW`;
}

function authorize(ctx: Ctx, input: AuthorizeInput, egress: boolean) {
  let group: SecurityGroupRow;
  if (input.GroupId) group = getSecurityGroup(ctx, input.GroupId);
  else if (input.GroupName) {
    const g = findSecurityGroupByName(ctx, input.GroupName);
    if (!g) throw ec2Errors.groupNameNotFoundInDefaultVpc(input.GroupName, defaultVpc(ctx)?.VpcId ?? '');
    group = g;
  } else throw ec2Errors.missingParameter('groupId');
  let perms: PermissionInput[] = input.IpPermissions ?? [];
  if (!perms.length) {
    if (input.IpProtocol === undefined && input.CidrIp === undefined && input.SourceSecurityGroupName === undefined) {
      throw ec2Errors.missingParameter('ipPermissions');
    }
    perms = [
      {
        IpProtocol: input.IpProtocol ?? '-1',
        FromPort: input.FromPort,
        ToPort: input.ToPort,
        ...(input.CidrIp ? { IpRanges: [{ CidrIp: input.CidrIp }] } : {}),
        ...(input.SourceSecurityGroupName ? { UserIdGroupPairs: [{ GroupName: input.SourceSecurityGroupName }] } : {}),
      },
    ];
  }
  const added = toRules(ctx, group, perms, egress);
  for (const r of added) {
    if (group.rules.some((x) => sameRule(x, r)) || added.filter((x) => sameRule(x, r)).length > 1) throw ec2Errors.permissionDuplicate(describeRule(r));
  }
  if (input.DryRun) throw ec2Errors.dryRun();
  const next = securityGroups(ctx).update(group.GroupId, (g) => ({ ...g, rules: [...g.rules, ...added] }));
  return { Return: true, SecurityGroupRules: added.map((r) => renderRule(ctx, next, r)) };
}

interface AuthorizeInput {
  GroupId?: string;
  GroupName?: string;
  IpPermissions?: PermissionInput[];
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string;
  SourceSecurityGroupName?: string;
  DryRun?: boolean;
}

export const AuthorizeSecurityGroupIngress = op({
  name: 'AuthorizeSecurityGroupIngress',
  doc: 'Adds inbound rules to a security group: who may connect (a CIDR range or another group) on which protocol and ports.',
  input: s.struct({
    CidrIp: s.str({ doc: 'An IPv4 range such as 0.0.0.0/0 (with --protocol and --port).' }),
    FromPort: s.int(),
    GroupId: s.str({ complete: 'security-group' }),
    GroupName: s.str({ doc: 'Group name (default VPC only).' }),
    IpPermissions: IpPermissionsShape(),
    IpProtocol: s.str(),
    SourceSecurityGroupName: s.str(),
    SourceSecurityGroupOwnerId: s.str(),
    ToPort: s.int(),
    TagSpecifications: TagSpecifications(),
    DryRun: DryRun(),
  }),
  errors: ['InvalidGroup.NotFound', 'InvalidPermission.Duplicate', 'InvalidParameterValue', 'MissingParameter'],
  example: 'aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 --protocol tcp --port 80 --cidr 0.0.0.0/0',
  handler: (ctx, input) => authorize(ctx, input, false),
});

export const AuthorizeSecurityGroupEgress = op({
  name: 'AuthorizeSecurityGroupEgress',
  doc: 'Adds outbound rules to a security group.',
  input: s.struct({ GroupId: s.str({ complete: 'security-group' }), IpPermissions: IpPermissionsShape(), DryRun: DryRun(), TagSpecifications: TagSpecifications() }, ['GroupId']),
  errors: ['InvalidGroup.NotFound', 'InvalidPermission.Duplicate'],
  handler: (ctx, input) => authorize(ctx, input, true),
});

function revoke(ctx: Ctx, input: AuthorizeInput & { SecurityGroupRuleIds?: string[] }, egress: boolean) {
  let group: SecurityGroupRow;
  if (input.GroupId) group = getSecurityGroup(ctx, input.GroupId);
  else if (input.GroupName) {
    const g = findSecurityGroupByName(ctx, input.GroupName);
    if (!g) throw ec2Errors.groupNameNotFoundInDefaultVpc(input.GroupName, defaultVpc(ctx)?.VpcId ?? '');
    group = g;
  } else throw ec2Errors.missingParameter('groupId');
  let removed: SgRule[] = [];
  if (input.SecurityGroupRuleIds?.length) {
    for (const id of input.SecurityGroupRuleIds) {
      const r = group.rules.find((x) => x.ruleId === id && x.isEgress === egress);
      if (!r) throw ec2Errors.ruleIdNotFound(id);
      removed.push(r);
    }
  } else {
    let perms: PermissionInput[] = input.IpPermissions ?? [];
    if (!perms.length) {
      perms = [
        {
          IpProtocol: input.IpProtocol ?? '-1',
          FromPort: input.FromPort,
          ToPort: input.ToPort,
          ...(input.CidrIp ? { IpRanges: [{ CidrIp: input.CidrIp }] } : {}),
          ...(input.SourceSecurityGroupName ? { UserIdGroupPairs: [{ GroupName: input.SourceSecurityGroupName }] } : {}),
        },
      ];
    }
    const wanted = toRules(ctx, group, perms, egress);
    removed = group.rules.filter((x) => wanted.some((w) => sameRule(w, x)));
    if (removed.length < wanted.length) {
      throw ec2Errors.permissionNotFound();
    }
  }
  if (input.DryRun) throw ec2Errors.dryRun();
  securityGroups(ctx).update(group.GroupId, (g) => ({ ...g, rules: g.rules.filter((r) => !removed.includes(r)) }));
  return { Return: true };
}


export const RevokeSecurityGroupIngress = op({
  name: 'RevokeSecurityGroupIngress',
  doc: 'Removes inbound rules from a security group (give the same values you authorized, or the rule ids).',
  input: s.struct({
    CidrIp: s.str(),
    FromPort: s.int(),
    GroupId: s.str({ complete: 'security-group' }),
    GroupName: s.str(),
    IpPermissions: IpPermissionsShape(),
    IpProtocol: s.str(),
    SourceSecurityGroupName: s.str(),
    ToPort: s.int(),
    SecurityGroupRuleIds: s.list(s.str()),
    DryRun: DryRun(),
  }),
  errors: ['InvalidGroup.NotFound', 'InvalidPermission.NotFound'],
  handler: (ctx, input) => revoke(ctx, input, false),
});

export const RevokeSecurityGroupEgress = op({
  name: 'RevokeSecurityGroupEgress',
  doc: 'Removes outbound rules from a security group (the same values you authorized, or the rule ids).',
  input: s.struct({ GroupId: s.str({ complete: 'security-group' }), IpPermissions: IpPermissionsShape(), SecurityGroupRuleIds: s.list(s.str()), DryRun: DryRun() }, ['GroupId']),
  errors: ['InvalidGroup.NotFound', 'InvalidPermission.NotFound'],
  handler: (ctx, input) => revoke(ctx, input, true),
});

export const DescribeSecurityGroupRules = op({
  name: 'DescribeSecurityGroupRules',
  doc: 'Lists security group rules one by one, each with its own id (sgr-...).',
  input: s.struct({ Filters: Filters(), SecurityGroupRuleIds: s.list(s.str()), DryRun: DryRun(), NextToken: NextToken(), MaxResults: MaxResults(5, 1000) }),
  errors: ['InvalidSecurityGroupRuleId.NotFound'],
  paginator: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: ['SecurityGroupRules'] },
  example: 'aws ec2 describe-security-group-rules --filters Name=group-id,Values=sg-0123456789abcdef0',
  readOnly: true,
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    let pairs = securityGroups(ctx)
      .filter((g) => g.region === ctx.region)
      .flatMap((g) => g.rules.map((r) => ({ g, r })));
    for (const id of input.SecurityGroupRuleIds ?? []) if (!pairs.some((p) => p.r.ruleId === id)) throw ec2Errors.ruleIdNotFound(id);
    if (input.SecurityGroupRuleIds?.length) pairs = pairs.filter((p) => input.SecurityGroupRuleIds!.includes(p.r.ruleId));
    pairs = applyFilters(pairs, input.Filters, { 'group-id': (p) => p.g.GroupId, 'security-group-rule-id': (p) => p.r.ruleId }, () => []);
    return describePage('SecurityGroupRules', pairs, input, (p) => renderRule(ctx, p.g, p.r));
  },
});

export const DeleteSecurityGroup = op({
  name: 'DeleteSecurityGroup',
  doc: 'Deletes a security group that no instance or network interface uses. The default group cannot be deleted.',
  input: s.struct({ GroupId: s.str({ complete: 'security-group' }), GroupName: s.str(), DryRun: DryRun() }),
  errors: ['InvalidGroup.NotFound', 'CannotDelete', 'DependencyViolation'],
  handler: (ctx, input) => {
    let group: SecurityGroupRow;
    if (input.GroupId) group = getSecurityGroup(ctx, input.GroupId);
    else if (input.GroupName) {
      const g = findSecurityGroupByName(ctx, input.GroupName);
      if (!g) throw ec2Errors.groupNameNotFoundInDefaultVpc(input.GroupName, defaultVpc(ctx)?.VpcId ?? '');
      group = g;
    } else throw ec2Errors.missingParameter('GroupId');
    if (group.GroupName === 'default') {
      throw ec2Errors.cannotDeleteDefaultGroup(group.GroupId);
    }
    const users = ctx
      .table<{ region: string; state: string; SecurityGroups: { GroupId: string }[] }>('ec2.instances')
      .filter((i) => i.region === ctx.region && i.state !== 'terminated' && i.SecurityGroups.some((g) => g.GroupId === group.GroupId));
    const referencing = securityGroups(ctx).filter((g) => g.GroupId !== group.GroupId && g.rules.some((r) => r.ReferencedGroupId === group.GroupId));
    if (users.length || referencing.length) {
      throw ec2Errors.dependencyViolation(group.GroupId);
    }
    if (input.DryRun) throw ec2Errors.dryRun();
    securityGroups(ctx).delete(group.GroupId);
    return { Return: true, GroupId: group.GroupId };
  },
});

// ---------------------------------------------------------------- zones, route tables, gateways

export const DescribeAvailabilityZones = op({
  name: 'DescribeAvailabilityZones',
  doc: 'Lists the Availability Zones of the region with their names and zone ids.',
  input: s.struct({ ZoneNames: s.list(s.str()), ZoneIds: s.list(s.str()), AllAvailabilityZones: s.bool(), DryRun: DryRun(), Filters: Filters() }),
  errors: ['InvalidParameterValue'],
  example: 'aws ec2 describe-availability-zones --query "AvailabilityZones[].ZoneName"',
  readOnly: true,
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    const info = regionInfo(ctx.region);
    let zones = availabilityZones(ctx.region).map((z) => ({ name: z, id: azId(z) }));
    for (const n of input.ZoneNames ?? []) if (!zones.some((z) => z.name === n)) throw ec2Errors.invalidParameterValue(`The zone '${n}' does not exist.`);
    for (const n of input.ZoneIds ?? []) if (!zones.some((z) => z.id === n)) throw ec2Errors.invalidParameterValue(`The zone id '${n}' does not exist.`);
    if (input.ZoneNames?.length) zones = zones.filter((z) => input.ZoneNames!.includes(z.name));
    if (input.ZoneIds?.length) zones = zones.filter((z) => input.ZoneIds!.includes(z.id));
    zones = applyFilters(
      zones,
      input.Filters,
      {
        'zone-name': (z) => z.name,
        'zone-id': (z) => z.id,
        'region-name': () => ctx.region,
        state: () => 'available',
        'zone-type': () => 'availability-zone',
        'group-name': () => `${ctx.region}-zg-1`,
        'opt-in-status': () => 'opt-in-not-required',
      },
      () => [],
    );
    return {
      AvailabilityZones: zones.map((z) => ({
        OptInStatus: 'opt-in-not-required',
        Messages: [],
        RegionName: ctx.region,
        ZoneName: z.name,
        ZoneId: z.id,
        GroupName: `${ctx.region}-zg-1`,
        NetworkBorderGroup: ctx.region,
        ZoneType: 'availability-zone',
        GroupLongName: `${info?.description ?? ctx.region} 1`,
        State: 'available',
      })),
    };
  },
});

export const DescribeRouteTables = op({
  name: 'DescribeRouteTables',
  doc: 'Lists route tables: where traffic from the subnets goes (local VPC routes, the internet gateway, endpoints).',
  input: s.struct({ NextToken: NextToken(), MaxResults: MaxResults(), DryRun: DryRun(), RouteTableIds: s.list(s.str()), Filters: Filters() }),
  errors: ['InvalidRouteTableID.NotFound'],
  paginator: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: ['RouteTables'] },
  readOnly: true,
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    let rows = describeRows(ctx, routeTables(ctx), (t) => t.RouteTableId, input.RouteTableIds, ec2Errors.routeTableNotFound);
    rows = applyFilters(
      rows,
      input.Filters,
      {
        'route-table-id': (t) => t.RouteTableId,
        'vpc-id': (t) => t.VpcId,
        'association.main': (t) => t.main,
        'association.subnet-id': (t) => t.subnetAssociations.map((a) => a.SubnetId),
        'association.route-table-association-id': (t) => [t.mainAssociationId, ...t.subnetAssociations.map((a) => a.RouteTableAssociationId)],
        'route.gateway-id': (t) => t.routes.map((r) => r.GatewayId),
        'route.destination-cidr-block': (t) => t.routes.map((r) => r.DestinationCidrBlock),
        'route.destination-prefix-list-id': (t) => t.routes.map((r) => r.DestinationPrefixListId),
        'route.state': (t) => t.routes.map((r) => r.State),
        'owner-id': () => ctx.accountId,
      },
      (t) => t.Tags,
    );
    return describePage('RouteTables', rows, input, (x) => renderRouteTable(ctx, x));
  },
});

export const DescribeInternetGateways = op({
  name: 'DescribeInternetGateways',
  doc: 'Lists internet gateways and the VPCs they are attached to.',
  input: s.struct({ NextToken: NextToken(), MaxResults: MaxResults(), DryRun: DryRun(), InternetGatewayIds: s.list(s.str()), Filters: Filters() }),
  errors: ['InvalidInternetGatewayID.NotFound'],
  paginator: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: ['InternetGateways'] },
  readOnly: true,
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    let rows = describeRows(ctx, internetGateways(ctx), (g) => g.InternetGatewayId, input.InternetGatewayIds, ec2Errors.igwNotFound);
    rows = applyFilters(
      rows,
      input.Filters,
      {
        'internet-gateway-id': (g) => g.InternetGatewayId,
        'attachment.vpc-id': (g) => g.attachments.map((a) => a.VpcId),
        'attachment.state': (g) => g.attachments.map((a) => a.State),
        'owner-id': () => ctx.accountId,
      },
      (g) => g.Tags,
    );
    return describePage('InternetGateways', rows, input, (x) => renderIgw(ctx, x));
  },
});

export const networkOperations = [
  DescribeVpcs,
  DescribeSubnets,
  DescribeSecurityGroups,
  CreateSecurityGroup,
  AuthorizeSecurityGroupIngress,
  AuthorizeSecurityGroupEgress,
  RevokeSecurityGroupIngress,
  RevokeSecurityGroupEgress,
  DescribeSecurityGroupRules,
  DeleteSecurityGroup,
  DescribeAvailabilityZones,
  DescribeRouteTables,
  DescribeInternetGateways,
];
