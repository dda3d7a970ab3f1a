/**
 * DescribeNetworkInterfaces: the elastic network interfaces of the region.
 * Nimbus has no ENI table of its own: the interfaces are derived from the rows
 * that own them, the primary ENI of every instance that is not terminated and
 * the ENI of every ECS task in awsvpc mode (Fargate or EC2) until the task has
 * gone through DEPROVISIONING. A task ENI is requester-managed by ECS, its
 * description is the ECS attachment ARN, as in AWS.
 */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { isoTime } from '../../../clock';
import { ec2Errors } from '../errors';
import { applyFilters, paginate } from '../filters';
import { DryRun, Filters, MaxResults, NextToken } from '../shapes';
import { instances, privateDnsName, publicDnsName, securityGroups, subnets, type Tag } from '../model';
import { tasksTable } from '../../ecs/model';
import { AwsError } from '../../../errors';

/** The account ECS uses as requester of the task ENIs it creates (RequesterId). */
const ECS_REQUESTER_ID = '578734482556';

interface EniView {
  id: string;
  subnetId: string;
  vpcId: string;
  az: string;
  privateIp: string;
  publicIp?: string;
  mac: string;
  groups: { GroupId: string; GroupName: string }[];
  description: string;
  attachment: Record<string, unknown>;
  requesterManaged: boolean;
  instanceId?: string;
  tags: Tag[];
}

function groupsOf(ctx: Ctx, ids: string[]): { GroupId: string; GroupName: string }[] {
  const table = securityGroups(ctx);
  return ids.map((id) => ({ GroupId: id, GroupName: table.get(id)?.GroupName ?? id }));
}

/** Every network interface of the current region, in a stable order (instances first, then tasks). */
export function networkInterfaces(ctx: Ctx): EniView[] {
  const out: EniView[] = [];
  for (const i of instances(ctx).values()) {
    if (i.region !== ctx.region || i.state === 'terminated') continue;
    out.push({
      id: i.NetworkInterfaceId,
      subnetId: i.SubnetId,
      vpcId: i.VpcId,
      az: i.AvailabilityZone,
      privateIp: i.PrivateIpAddress,
      ...(i.PublicIpAddress && i.state !== 'stopped' ? { publicIp: i.PublicIpAddress } : {}),
      mac: i.MacAddress,
      groups: i.SecurityGroups.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName })),
      description: '',
      attachment: {
        AttachTime: isoTime(i.launchTime),
        AttachmentId: i.AttachmentId,
        DeleteOnTermination: true,
        DeviceIndex: 0,
        NetworkCardIndex: 0,
        InstanceId: i.InstanceId,
        InstanceOwnerId: ctx.accountId,
        Status: i.state === 'pending' ? 'attaching' : 'attached',
      },
      requesterManaged: false,
      instanceId: i.InstanceId,
      tags: [],
    });
  }
  const subnetTable = subnets(ctx);
  for (const t of tasksTable(ctx).values()) {
    const eni = t.eni;
    if (t.region !== ctx.region || !eni || eni.status === 'DELETED') continue;
    const subnet = subnetTable.get(eni.subnetId);
    out.push({
      id: eni.networkInterfaceId,
      subnetId: eni.subnetId,
      vpcId: subnet?.VpcId ?? '',
      az: subnet?.AvailabilityZone ?? t.availabilityZone,
      privateIp: eni.privateIPv4Address,
      ...(eni.publicIPv4Address ? { publicIp: eni.publicIPv4Address } : {}),
      mac: eni.macAddress,
      groups: groupsOf(ctx, eni.securityGroups),
      description: `arn:aws:ecs:${t.region}:${ctx.accountId}:attachment/${eni.id}`,
      attachment: {
        AttachTime: isoTime(t.createdAt),
        AttachmentId: `ela-attach-${eni.networkInterfaceId.slice(4)}`,
        DeleteOnTermination: false,
        DeviceIndex: 1,
        NetworkCardIndex: 0,
        ...(t.ec2InstanceId ? { InstanceId: t.ec2InstanceId, InstanceOwnerId: ctx.accountId } : { InstanceOwnerId: ECS_REQUESTER_ID }),
        Status: eni.status === 'ATTACHED' ? 'attached' : 'attaching',
      },
      requesterManaged: true,
      tags: [],
    });
  }
  return out;
}

function render(ctx: Ctx, n: EniView): Record<string, unknown> {
  const assoc = n.publicIp ? { Association: { IpOwnerId: 'amazon', PublicDnsName: publicDnsName(ctx.region, n.publicIp), PublicIp: n.publicIp } } : {};
  const dns = privateDnsName(ctx.region, n.privateIp);
  return {
    ...assoc,
    Attachment: n.attachment,
    AvailabilityZone: n.az,
    Description: n.description,
    Groups: n.groups,
    InterfaceType: 'interface',
    Ipv6Addresses: [],
    MacAddress: n.mac,
    NetworkInterfaceId: n.id,
    OwnerId: ctx.accountId,
    PrivateDnsName: dns,
    PrivateIpAddress: n.privateIp,
    PrivateIpAddresses: [{ ...assoc, Primary: true, PrivateDnsName: dns, PrivateIpAddress: n.privateIp }],
    ...(n.requesterManaged ? { RequesterId: ECS_REQUESTER_ID } : {}),
    RequesterManaged: n.requesterManaged,
    SourceDestCheck: true,
    Status: 'in-use',
    SubnetId: n.subnetId,
    TagSet: n.tags,
    VpcId: n.vpcId,
  };
}

const eniMalformed = (id: string) => new AwsError('InvalidNetworkInterfaceID.Malformed', `Invalid id: "${id}" (expecting "eni-...")`, 400);
const eniNotFound = (id: string) => new AwsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`, 400);

export const DescribeNetworkInterfaces = op({
  name: 'DescribeNetworkInterfaces',
  doc: 'Lists the network interfaces (ENIs): the primary interface of each instance and the interface ECS creates for each task in awsvpc mode (Fargate tasks included). The public IP of a Fargate task is under Association.PublicIp.',
  input: s.struct({
    Filters: Filters(),
    NetworkInterfaceIds: s.list(s.str(), { doc: 'The interfaces to describe (eni-...).' }),
    NextToken: NextToken(),
    MaxResults: MaxResults(5, 1000),
    DryRun: DryRun(),
  }),
  errors: ['InvalidNetworkInterfaceID.NotFound', 'InvalidNetworkInterfaceID.Malformed', 'InvalidParameterValue', 'InvalidParameterCombination'],
  paginator: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: ['NetworkInterfaces'] },
  example: 'aws ec2 describe-network-interfaces --network-interface-ids eni-0123456789abcdef0 --query "NetworkInterfaces[0].Association.PublicIp"',
  readOnly: true,
  handler: (ctx, input) => {
    if (input.DryRun) throw ec2Errors.dryRun();
    for (const id of input.NetworkInterfaceIds ?? []) if (!/^eni-[0-9a-f]{8,17}$/.test(id)) throw eniMalformed(id);
    if (input.NetworkInterfaceIds?.length && input.MaxResults !== undefined) {
      throw ec2Errors.invalidParameterCombination('The parameter NetworkInterfaceIds cannot be used with the parameter MaxResults');
    }
    let rows = networkInterfaces(ctx);
    if (input.NetworkInterfaceIds?.length) {
      for (const id of input.NetworkInterfaceIds) if (!rows.some((r) => r.id === id)) throw eniNotFound(id);
      rows = rows.filter((r) => input.NetworkInterfaceIds!.includes(r.id));
    }
    rows = applyFilters(
      rows,
      input.Filters,
      {
        'network-interface-id': (r) => r.id,
        'subnet-id': (r) => r.subnetId,
        'vpc-id': (r) => r.vpcId,
        'availability-zone': (r) => r.az,
        'private-ip-address': (r) => r.privateIp,
        'addresses.private-ip-address': (r) => r.privateIp,
        'association.public-ip': (r) => r.publicIp,
        'mac-address': (r) => r.mac,
        description: (r) => r.description,
        'group-id': (r) => r.groups.map((g) => g.GroupId),
        'group-name': (r) => r.groups.map((g) => g.GroupName),
        'attachment.instance-id': (r) => r.instanceId,
        'attachment.status': (r) => String(r.attachment.Status),
        'attachment.device-index': (r) => Number(r.attachment.DeviceIndex),
        'interface-type': () => 'interface',
        'requester-managed': (r) => r.requesterManaged,
        'requester-id': (r) => (r.requesterManaged ? ECS_REQUESTER_ID : undefined),
        'owner-id': () => ctx.accountId,
        status: () => 'in-use',
        'source-dest-check': () => true,
      },
      (r) => r.tags,
    );
    const { page, NextToken: next } = paginate(rows, input.MaxResults, input.NextToken);
    return { NetworkInterfaces: page.map((r) => render(ctx, r)), ...(next ? { NextToken: next } : {}) };
  },
});

export const networkInterfaceOperations = [DescribeNetworkInterfaces];
