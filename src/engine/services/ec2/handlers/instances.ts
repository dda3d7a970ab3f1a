/** RunInstances, DescribeInstances, TerminateInstances: instances on the simulated clock. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { isoTime } from '../../../clock';
import { azId } from '../../../regions';
import { utf8, fromBase64, toBase64 } from '../../../store/blobs';
import { ec2Errors } from '../errors';
import { applyFilters, paginate, tagsFor } from '../filters';
import { DryRun, Filters, MaxResults, NextToken, TagSpecifications } from '../shapes';
import { findAmi, type AmiInfo } from '../amis';
import { instanceType } from '../instance-types';
import {
  STATE_CODES,
  type InstanceRow,
  type InstanceStateName,
  type SecurityGroupRow,
  type SubnetRow,
  type Tag,
  allocatePrivateIp,
  allocatePublicIp,
  defaultSubnets,
  defaultVpc,
  findSecurityGroupByName,
  getSecurityGroup,
  getSubnet,
  instances,
  newId,
  newMac,
  privateDnsName,
  publicDnsName,
  releasePrivateIp,
  securityGroups,
} from '../model';
import { agentOnInstanceLaunched, agentOnInstanceShuttingDown, agentOnInstanceTerminated } from '../../ecs/container-instances';

/** Timer kinds of the instance lifecycle. */
export const TIMER_RUNNING = 'ec2.instance-running';
export const TIMER_TERMINATED = 'ec2.instance-terminated';
export const TIMER_PURGE = 'ec2.instance-purge';

/** How long a terminated instance stays visible in DescribeInstances. */
export const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

export interface InstancePayload {
  region: string;
  instanceId: string;
}

const state = (name: InstanceStateName) => ({ Code: STATE_CODES[name], Name: name });

/**
 * One instance as DescribeInstances shows it. `launch`: as RunInstances answers, at the moment
 * of the launch (no public address or root volume yet, the interface still attaching).
 */
export function renderInstance(ctx: Ctx, i: InstanceRow, launch = false) {
  const t = instanceType(i.InstanceType);
  const running = i.state === 'pending' || i.state === 'running';
  const publicIp = running && !launch ? i.PublicIpAddress : undefined;
  const sgs = i.SecurityGroups.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName }));
  return {
    Architecture: i.Architecture,
    BlockDeviceMappings:
      i.state === 'terminated' || launch
        ? []
        : [{ DeviceName: '/dev/xvda', Ebs: { AttachTime: isoTime(i.launchTime), DeleteOnTermination: true, Status: i.state === 'shutting-down' ? 'detaching' : 'attached', VolumeId: i.VolumeId } }],
    ClientToken: i.ClientToken,
    EbsOptimized: false,
    EnaSupport: true,
    Hypervisor: 'xen',
    ...(i.IamInstanceProfileArn ? { IamInstanceProfile: { Arn: i.IamInstanceProfileArn, Id: 'AIPA' + i.InstanceId.slice(2, 18).toUpperCase() } } : {}),
    NetworkInterfaces:
      i.state === 'terminated'
        ? []
        : [
            {
              ...(publicIp ? { Association: { IpOwnerId: 'amazon', PublicDnsName: publicDnsName(i.region, publicIp), PublicIp: publicIp } } : {}),
              Attachment: {
                AttachTime: isoTime(i.launchTime),
                AttachmentId: i.AttachmentId,
                DeleteOnTermination: true,
                DeviceIndex: 0,
                Status: launch ? 'attaching' : 'attached',
                NetworkCardIndex: 0,
              },
              Description: '',
              Groups: sgs,
              Ipv6Addresses: [],
              MacAddress: i.MacAddress,
              NetworkInterfaceId: i.NetworkInterfaceId,
              OwnerId: ctx.accountId,
              PrivateDnsName: privateDnsName(i.region, i.PrivateIpAddress),
              PrivateIpAddress: i.PrivateIpAddress,
              PrivateIpAddresses: [
                {
                  ...(publicIp ? { Association: { IpOwnerId: 'amazon', PublicDnsName: publicDnsName(i.region, publicIp), PublicIp: publicIp } } : {}),
                  Primary: true,
                  PrivateDnsName: privateDnsName(i.region, i.PrivateIpAddress),
                  PrivateIpAddress: i.PrivateIpAddress,
                },
              ],
              SourceDestCheck: true,
              Status: 'in-use',
              SubnetId: i.SubnetId,
              VpcId: i.VpcId,
              InterfaceType: 'interface',
            },
          ],
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    SecurityGroups: i.state === 'terminated' ? [] : sgs,
    SourceDestCheck: true,
    ...(launch ? { StateReason: { Code: 'pending', Message: 'pending' } } : i.stateReason ? { StateReason: i.stateReason } : {}),
    ...(i.Tags.length ? { Tags: i.Tags } : {}),
    VirtualizationType: 'hvm',
    CpuOptions: { CoreCount: t?.cores ?? 1, ThreadsPerCore: t ? Math.max(1, t.vcpus / t.cores) : 1 },
    CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    HibernationOptions: { Configured: false },
    MetadataOptions: { State: launch ? 'pending' : 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled', HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'disabled' },
    EnclaveOptions: { Enabled: false },
    BootMode: 'uefi-preferred',
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    UsageOperationUpdateTime: isoTime(i.launchTime),
    PrivateDnsNameOptions: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    MaintenanceOptions: { AutoRecovery: 'default' },
    CurrentInstanceBootMode: 'legacy-bios',
    InstanceId: i.InstanceId,
    ImageId: i.ImageId,
    State: state(i.state),
    PrivateDnsName: i.state === 'terminated' ? '' : privateDnsName(i.region, i.PrivateIpAddress),
    PublicDnsName: publicIp && i.state === 'running' ? publicDnsName(i.region, publicIp) : '',
    StateTransitionReason: i.StateTransitionReason,
    ...(i.KeyName ? { KeyName: i.KeyName } : {}),
    AmiLaunchIndex: i.AmiLaunchIndex,
    ProductCodes: [],
    InstanceType: i.InstanceType,
    LaunchTime: isoTime(i.launchTime),
    Placement: { GroupName: '', Tenancy: 'default', AvailabilityZoneId: azId(i.AvailabilityZone), AvailabilityZone: i.AvailabilityZone },
    Monitoring: { State: i.MonitoringEnabled ? 'enabled' : 'disabled' },
    ...(i.state === 'terminated' ? {} : { SubnetId: i.SubnetId, VpcId: i.VpcId, PrivateIpAddress: i.PrivateIpAddress }),
    ...(publicIp ? { PublicIpAddress: publicIp } : {}),
  };
}

/** The decoded text of user data: the API carries base64; plain text is taken as is. */
export function decodeUserData(data: string | undefined): string | undefined {
  if (data === undefined || data === '') return undefined;
  const compact = data.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(compact));
      // Accept the decoding only when it reads as text.
      if (!/[\u0000-\u0008\u000e-\u001f]/.test(text)) return text;
    } catch {
      /* not base64 text */
    }
  }
  return data;
}

export interface LaunchOptions {
  imageId: string;
  instanceType: string;
  count: number;
  subnet: SubnetRow;
  groups: SecurityGroupRow[];
  userData?: string;
  keyName?: string;
  tags?: Tag[];
  iamInstanceProfileArn?: string;
  privateIp?: string;
  associatePublicIp?: boolean;
  clientToken?: string;
  monitoring?: boolean;
}

/**
 * Launch instances (no quota check: RunInstances does that). Used by
 * RunInstances and by `sandbox ec2 add-capacity`. Schedules the pending ->
 * running transition and, on ECS-optimized AMIs, the container agent.
 */
export function launchInstances(ctx: Ctx, o: LaunchOptions): { reservationId: string; instances: InstanceRow[] } {
  const ami = findAmi(ctx.region, o.imageId);
  if (!ami) throw ec2Errors.amiNotFound(o.imageId);
  const reservationId = newId(ctx, 'r');
  const out: InstanceRow[] = [];
  const now = ctx.now();
  const publicIp = o.associatePublicIp ?? o.subnet.MapPublicIpOnLaunch;
  for (let n = 0; n < o.count; n++) {
    const id = newId(ctx, 'i');
    const row: InstanceRow = {
      InstanceId: id,
      region: ctx.region,
      ReservationId: reservationId,
      ImageId: o.imageId,
      InstanceType: o.instanceType,
      ...(o.keyName ? { KeyName: o.keyName } : {}),
      launchTime: now,
      state: 'pending',
      StateTransitionReason: '',
      SubnetId: o.subnet.SubnetId,
      VpcId: o.subnet.VpcId,
      AvailabilityZone: o.subnet.AvailabilityZone,
      PrivateIpAddress: allocatePrivateIp(ctx, o.subnet.SubnetId, id, n === 0 ? o.privateIp : undefined),
      ...(publicIp ? { PublicIpAddress: allocatePublicIp(ctx) } : {}),
      SecurityGroups: o.groups.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName })),
      ...(o.userData !== undefined ? { userData: o.userData } : {}),
      Tags: o.tags ?? [],
      AmiLaunchIndex: n,
      ClientToken: o.clientToken ?? ctx.rng.uuid(),
      NetworkInterfaceId: newId(ctx, 'eni'),
      MacAddress: newMac(ctx),
      AttachmentId: newId(ctx, 'eni-attach'),
      VolumeId: newId(ctx, 'vol'),
      ...(o.iamInstanceProfileArn ? { IamInstanceProfileArn: o.iamInstanceProfileArn } : {}),
      Architecture: ami.arch,
      MonitoringEnabled: o.monitoring ?? false,
    };
    instances(ctx).set(id, row);
    out.push(row);
    const payload: InstancePayload = { region: ctx.region, instanceId: id };
    ctx.scheduler.schedule(now + ctx.rng.int(6, 11) * 1000, TIMER_RUNNING, payload);
    if (ami.ecsOptimized) agentOnInstanceLaunched(ctx, row, ami);
  }
  return { reservationId, instances: out };
}

/** Begin terminating an instance (shutting-down now, terminated on the clock). Returns the state change. */
export function terminateInstance(ctx: Ctx, id: string) {
  const i = instances(ctx).get(id)!;
  const previous = i.state;
  if (previous !== 'shutting-down' && previous !== 'terminated') {
    instances(ctx).set(id, {
      ...i,
      state: 'shutting-down',
      StateTransitionReason: `User initiated (${gmt(ctx.now())})`,
      stateReason: { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' },
    });
    const payload: InstancePayload = { region: i.region, instanceId: id };
    ctx.scheduler.schedule(ctx.now() + ctx.rng.int(20, 45) * 1000, TIMER_TERMINATED, payload);
    agentOnInstanceShuttingDown(ctx, id);
  }
  const current = instances(ctx).get(id)!.state;
  return { InstanceId: id, CurrentState: state(current), PreviousState: state(previous) };
}

function gmt(ms: number): string {
  return isoTime(ms).slice(0, 19).replace('T', ' ') + ' GMT';
}

/** Timer: pending -> running. */
export function onInstanceRunning(ctx: Ctx, p: InstancePayload): void {
  const i = instances(ctx).get(p.instanceId);
  if (i && i.state === 'pending') instances(ctx).set(i.InstanceId, { ...i, state: 'running' });
}

/** Timer: shutting-down -> terminated; its address goes back to the subnet. */
export function onInstanceTerminated(ctx: Ctx, p: InstancePayload): void {
  const i = instances(ctx).get(p.instanceId);
  if (!i || i.state !== 'shutting-down') return;
  releasePrivateIp(ctx, i.SubnetId, i.PrivateIpAddress);
  instances(ctx).set(i.InstanceId, { ...i, state: 'terminated', terminatedAt: ctx.now() });
  ctx.scheduler.schedule(ctx.now() + TERMINATED_VISIBLE_MS, TIMER_PURGE, p);
  agentOnInstanceTerminated(ctx, i.InstanceId);
}

export function onInstancePurge(ctx: Ctx, p: InstancePayload): void {
  const i = instances(ctx).get(p.instanceId);
  if (i && i.state === 'terminated') instances(ctx).delete(i.InstanceId);
}

// ---------------------------------------------------------------- RunInstances

const VCPU_QUOTA = 'ec2-standard-vcpus';
const DEFAULT_VCPU_LIMIT = 64;

function checkInstanceId(id: string): void {
  if (!/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw ec2Errors.instanceMalformed(id);
}

export const RunInstances = op({
  name: 'RunInstances',
  doc:
    'Launches instances from a machine image (AMI). With an ECS-optimized AMI and user data that sets ECS_CLUSTER, the container agent registers each instance with that cluster shortly after launch.',
  input: s.struct(
    {
      ImageId: s.str({ doc: 'The AMI, e.g. from the SSM parameter /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id.' }),
      InstanceType: s.str({ doc: 'The instance type (t3.micro, t3.medium, m5.large ...). Default m1.small.' }),
      MaxCount: s.int({ doc: 'Most instances to launch (default 1).' }),
      MinCount: s.int({ doc: 'Fewest instances to launch; fails if fewer can start (default 1).' }),
      Count: s.str({ doc: 'The CLI shortcut for both: N, or MIN:MAX (the AWS CLI turns it into MinCount and MaxCount).' }),
      KeyName: s.str(),
      SecurityGroupIds: s.list(s.str({ complete: 'security-group' })),
      SecurityGroups: s.list(s.str(), { doc: 'Security group names (default VPC).' }),
      SubnetId: s.str({ complete: 'subnet' }),
      UserData: s.str({ doc: 'A script run at boot; the CLI base64-encodes it for you (use file://script.sh).' }),
      Placement: s.struct({ AvailabilityZone: s.str(), Tenancy: s.str(), GroupName: s.str() }),
      Monitoring: s.struct({ Enabled: s.bool() }, ['Enabled']),
      IamInstanceProfile: s.struct({ Arn: s.str(), Name: s.str() }, [], { doc: 'The instance profile (role) the instance runs with; the ECS agent needs ecsInstanceRole.' }),
      TagSpecifications: TagSpecifications(),
      PrivateIpAddress: s.str(),
      ClientToken: s.str(),
      NetworkInterfaces: s.list(
        s.struct({
          AssociatePublicIpAddress: s.bool(),
          DeviceIndex: s.int(),
          SubnetId: s.str(),
          Groups: s.list(s.str()),
          PrivateIpAddress: s.str(),
          DeleteOnTermination: s.bool(),
        }),
      ),
      DryRun: DryRun(),
    },
  ),
  errors: [
    'InvalidAMIID.NotFound',
    'InvalidAMIID.Malformed',
    'InvalidParameterValue',
    'InvalidSubnetID.NotFound',
    'InvalidGroup.NotFound',
    'MissingParameter',
    'VcpuLimitExceeded',
  ],
  example:
    'aws ec2 run-instances --image-id ami-0123456789abcdef0 --instance-type t3.medium --count 2 --user-data file://ecs-user-data.sh',
  handler: (ctx, raw) => {
    const imageId = raw.ImageId;
    if (!imageId) throw ec2Errors.missingParameter('ImageId');
    if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(imageId)) throw ec2Errors.amiMalformed(imageId);
    const ami = findAmi(ctx.region, imageId);
    if (!ami) throw ec2Errors.amiNotFound(imageId);
    let minCount = raw.MinCount;
    let maxCount = raw.MaxCount;
    if (raw.Count !== undefined) {
      const m = /^(\d+)(?::(\d+))?$/.exec(raw.Count.trim());
      if (!m) throw ec2Errors.invalidParameterValue(`Invalid value '${raw.Count}' for --count: use N or MIN:MAX.`);
      minCount = Number(m[1]);
      maxCount = Number(m[2] ?? m[1]);
    }
    minCount ??= 1;
    maxCount ??= minCount;
    const input = { ...raw, ImageId: imageId, MinCount: minCount, MaxCount: maxCount };
    if (input.MinCount < 1) throw ec2Errors.invalidParameterValue(`Invalid value '${input.MinCount}' for MinCount. Must be greater than zero.`);
    if (input.MaxCount < 1) throw ec2Errors.invalidParameterValue(`Invalid value '${input.MaxCount}' for MaxCount. Must be greater than zero.`);
    if (input.MinCount > input.MaxCount) {
      throw ec2Errors.invalidParameterValue(`Invalid value '${input.MinCount}' for MinCount. Must be less than or equal to MaxCount (${input.MaxCount}).`);
    }
    const typeName = input.InstanceType ?? 'm1.small';
    const type = instanceType(typeName);
    if (!type) throw ec2Errors.invalidInstanceType(typeName);
    checkArchitecture(type.arch, ami);

    const nic = input.NetworkInterfaces?.[0];
    const subnet = pickSubnet(ctx, nic?.SubnetId ?? input.SubnetId, input.Placement?.AvailabilityZone);
    const groups = pickGroups(ctx, subnet, nic?.Groups ?? input.SecurityGroupIds, input.SecurityGroups);

    // vCPU quota for on-demand standard instances in the region.
    const limit = ctx.config().quotas[VCPU_QUOTA] ?? DEFAULT_VCPU_LIMIT;
    let used = 0;
    for (const i of instances(ctx).values()) {
      if (i.region === ctx.region && (i.state === 'pending' || i.state === 'running')) used += instanceType(i.InstanceType)?.vcpus ?? 1;
    }
    const fits = Math.floor((limit - used) / type.vcpus);
    const count = Math.min(input.MaxCount, fits);
    if (count < input.MinCount) throw ec2Errors.vcpuLimitExceeded(limit);
    if (input.DryRun) throw ec2Errors.dryRun();

    const profileArn = input.IamInstanceProfile?.Arn ?? (input.IamInstanceProfile?.Name ? `arn:aws:iam::${ctx.accountId}:instance-profile/${input.IamInstanceProfile.Name}` : undefined);
    const { reservationId, instances: launched } = launchInstances(ctx, {
      imageId: input.ImageId,
      instanceType: typeName,
      count,
      subnet,
      groups,
      userData: decodeUserData(input.UserData),
      keyName: input.KeyName,
      tags: tagsFor(input.TagSpecifications, 'instance'),
      iamInstanceProfileArn: profileArn,
      privateIp: nic?.PrivateIpAddress ?? input.PrivateIpAddress,
      associatePublicIp: nic?.AssociatePublicIpAddress,
      clientToken: input.ClientToken,
      monitoring: input.Monitoring?.Enabled,
    });
    return {
      ReservationId: reservationId,
      OwnerId: ctx.accountId,
      Groups: [],
      Instances: launched.map((i) => renderInstance(ctx, i, true)),
    };
  },
});

function checkArchitecture(arch: string, ami: AmiInfo): void {
  if (arch !== ami.arch) {
    throw ec2Errors.invalidParameterValue(
      `The architecture '${arch}' of the specified instance type does not match the architecture '${ami.arch}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
    );
  }
}

export function pickSubnet(ctx: Ctx, subnetId: string | undefined, az: string | undefined): SubnetRow {
  if (subnetId) {
    const sn = getSubnet(ctx, subnetId);
    if (az && az !== sn.AvailabilityZone) {
      throw ec2Errors.invalidParameterValue(`The specified Availability Zone (${az}) does not match the Availability Zone of the subnet (${sn.AvailabilityZone}).`);
    }
    return sn;
  }
  const defaults = defaultSubnets(ctx);
  if (!defaultVpc(ctx) || !defaults.length) throw ec2Errors.vpcIdNotSpecified();
  if (az) {
    const sn = defaults.find((x) => x.AvailabilityZone === az);
    if (!sn) throw ec2Errors.zoneNotFound(az);
    return sn;
  }
  return ctx.rng.pick(defaults);
}

export function pickGroups(ctx: Ctx, subnet: SubnetRow, ids: string[] | undefined, names: string[] | undefined): SecurityGroupRow[] {
  const out: SecurityGroupRow[] = [];
  for (const id of ids ?? []) {
    const g = getSecurityGroup(ctx, id);
    if (g.VpcId !== subnet.VpcId) throw ec2Errors.invalidParameter(`Security group ${g.GroupId} and subnet ${subnet.SubnetId} belong to different networks.`);
    out.push(g);
  }
  for (const name of names ?? []) {
    const g = findSecurityGroupByName(ctx, name, subnet.VpcId);
    if (!g) throw ec2Errors.groupNameNotFoundInDefaultVpc(name, subnet.VpcId);
    out.push(g);
  }
  if (!out.length) {
    const def = securityGroups(ctx).filter((g) => g.region === ctx.region && g.VpcId === subnet.VpcId && g.GroupName === 'default')[0];
    if (def) out.push(def);
  }
  return out;
}

// ---------------------------------------------------------------- DescribeInstances

export const DescribeInstances = op({
  name: 'DescribeInstances',
  doc: 'Lists instances grouped by the reservation (launch request) that started them. Terminated instances stay visible for about an hour.',
  input: s.struct({
    InstanceIds: s.list(s.str({ complete: 'instance' })),
    DryRun: DryRun(),
    Filters: Filters(),
    NextToken: NextToken(),
    MaxResults: MaxResults(),
  }),
  errors: ['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed', 'InvalidParameterCombination', 'InvalidParameterValue'],
  paginator: { inputToken: 'NextToken', outputToken: 'NextToken', limitKey: 'MaxResults', resultKeys: ['Reservations'] },
  example: 'aws ec2 describe-instances --filters Name=instance-state-name,Values=running --query "Reservations[].Instances[].InstanceId"',
  readOnly: true,
  handler: (ctx, input) => {
    if (input.InstanceIds?.length && input.MaxResults !== undefined) {
      throw ec2Errors.invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults');
    }
    for (const id of input.InstanceIds ?? []) checkInstanceId(id);
    let rows = instances(ctx).filter((i) => i.region === ctx.region);
    if (input.InstanceIds?.length) {
      const missing = input.InstanceIds.filter((id) => !rows.some((i) => i.InstanceId === id));
      if (missing.length) throw ec2Errors.instanceNotFound(missing);
      rows = rows.filter((i) => input.InstanceIds!.includes(i.InstanceId));
    }
    if (input.DryRun) throw ec2Errors.dryRun();
    rows = applyFilters(
      rows,
      input.Filters,
      {
        'instance-id': (i) => i.InstanceId,
        'instance-state-name': (i) => i.state,
        'instance-state-code': (i) => STATE_CODES[i.state],
        'instance-type': (i) => i.InstanceType,
        'image-id': (i) => i.ImageId,
        'availability-zone': (i) => i.AvailabilityZone,
        'availability-zone-id': (i) => azId(i.AvailabilityZone),
        'subnet-id': (i) => i.SubnetId,
        'vpc-id': (i) => i.VpcId,
        'private-ip-address': (i) => i.PrivateIpAddress,
        'ip-address': (i) => i.PublicIpAddress,
        'private-dns-name': (i) => privateDnsName(i.region, i.PrivateIpAddress),
        'dns-name': (i) => (i.PublicIpAddress ? publicDnsName(i.region, i.PublicIpAddress) : undefined),
        'reservation-id': (i) => i.ReservationId,
        'key-name': (i) => i.KeyName,
        'launch-index': (i) => i.AmiLaunchIndex,
        'launch-time': (i) => isoTime(i.launchTime),
        architecture: (i) => i.Architecture,
        'instance.group-id': (i) => i.SecurityGroups.map((g) => g.GroupId),
        'instance.group-name': (i) => i.SecurityGroups.map((g) => g.GroupName),
        'group-id': (i) => i.SecurityGroups.map((g) => g.GroupId),
        'group-name': (i) => i.SecurityGroups.map((g) => g.GroupName),
        'iam-instance-profile.arn': (i) => i.IamInstanceProfileArn,
        'network-interface.network-interface-id': (i) => i.NetworkInterfaceId,
        'owner-id': () => ctx.accountId,
        'root-device-type': () => 'ebs',
        'virtualization-type': () => 'hvm',
        'monitoring-state': (i) => (i.MonitoringEnabled ? 'enabled' : 'disabled'),
        'platform-details': () => 'Linux/UNIX',
        'client-token': (i) => i.ClientToken,
      },
      (i) => i.Tags,
    );
    const byRes = new Map<string, InstanceRow[]>();
    for (const i of rows) {
      const list = byRes.get(i.ReservationId) ?? [];
      list.push(i);
      byRes.set(i.ReservationId, list);
    }
    const reservations = [...byRes.entries()].map(([rid, list]) => ({
      ReservationId: rid,
      OwnerId: ctx.accountId,
      Groups: [],
      Instances: list.map((i) => renderInstance(ctx, i)),
    }));
    const { page, NextToken: next } = paginate(reservations, input.MaxResults, input.NextToken);
    return { Reservations: page, ...(next ? { NextToken: next } : {}) };
  },
});

// ---------------------------------------------------------------- TerminateInstances

export const TerminateInstances = op({
  name: 'TerminateInstances',
  doc: 'Shuts instances down and deletes them: shutting-down now, terminated a little later. An ECS container instance on it stops its tasks and becomes INACTIVE.',
  input: s.struct(
    { InstanceIds: s.list(s.str({ complete: 'instance' })), Force: s.bool(), SkipOsShutdown: s.bool(), DryRun: DryRun() },
    ['InstanceIds'],
  ),
  errors: ['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed', 'OperationNotPermitted'],
  example: 'aws ec2 terminate-instances --instance-ids i-0123456789abcdef0',
  handler: (ctx, input) => {
    if (!input.InstanceIds.length) throw ec2Errors.missingParameter('InstanceId');
    for (const id of input.InstanceIds) checkInstanceId(id);
    const missing = input.InstanceIds.filter((id) => !instances(ctx).get(id) || instances(ctx).get(id)!.region !== ctx.region);
    if (missing.length) throw ec2Errors.instanceNotFound(missing);
    if (input.DryRun) throw ec2Errors.dryRun();
    return { TerminatingInstances: input.InstanceIds.map((id) => terminateInstance(ctx, id)) };
  },
});

export const instanceOperations = [RunInstances, DescribeInstances, TerminateInstances];

/** Text of a string as UTF-8 bytes (for tests that base64 user data the way the CLI does). */
export function encodeUserData(text: string): string {
  return toBase64(utf8.encode(text));
}
