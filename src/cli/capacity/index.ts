/**
 * The capacity side in the shell: completers and waiters for EC2 and ECR,
 * `aws ecr get-login-password`, and `sandbox ec2 add-capacity`.
 */
import { registerCompleter } from '../aws/completers';
import { registerWaiter } from '../aws/waiters';
import { registerAwsCustomCommand } from '../aws/custom';
import { registerSandboxCommand } from '../sandbox/registry';
import type { CommandContext } from '../types';
import { ADMIN_IDENTITY, availabilityZones, isRegion } from '../../engine';
import type { Sandbox } from '../../engine';
import { instances, securityGroups, subnets, vpcs, defaultSubnets, securityGroups as sgTable } from '../../engine/services/ec2/model';
import { launchInstances } from '../../engine/services/ec2/handlers/instances';
import { amiByKey, amiId } from '../../engine/services/ec2/amis';
import { instanceType } from '../../engine/services/ec2/instance-types';
import { repositories } from '../../engine/services/ecr/model';
import { registerContainerInstance, AGENT_TIMER, INSTANCE_PROFILE_SETTING } from '../../engine/services/ecs/container-instances';
import { readConfig, updateConfig } from '../../engine/config';
import { tryFindCluster } from '../../engine/services/ecs/model';

const starts = (list: Iterable<string>, partial: string) => [...new Set(list)].filter((x) => x.startsWith(partial)).sort();

function ctxFor(sandbox: Sandbox, region: string) {
  return sandbox.context(region, ADMIN_IDENTITY);
}

// ---------------------------------------------------------------- completers

/** A completer offering the ids of one table's rows in the region. */
function regionalCompleter<T extends { region: string }>(
  name: string,
  table: (ctx: ReturnType<typeof ctxFor>) => { filter(p: (row: T) => boolean): T[] },
  id: (row: T) => string,
): void {
  registerCompleter(name, (sb, region, partial) =>
    starts(
      table(ctxFor(sb, region))
        .filter((r) => r.region === region)
        .map(id),
      partial,
    ),
  );
}
regionalCompleter('instance', instances, (i) => i.InstanceId);
regionalCompleter('subnet', subnets, (x) => x.SubnetId);
regionalCompleter('security-group', securityGroups, (g) => g.GroupId);
regionalCompleter('vpc', vpcs, (v) => v.VpcId);
regionalCompleter('repository', repositories, (r) => r.name);
registerCompleter('container-instance', (sb, region, partial) =>
  starts(
    sb.db
      .table<{ region: string; arn: string; id: string; status: string }>('ecs.containerInstances')
      .filter((c) => c.region === region && c.status !== 'INACTIVE')
      .flatMap((c) => [c.id, c.arn]),
    partial,
  ),
);

// ---------------------------------------------------------------- waiters (facts from the EC2 model's waiters)

const stateArg = 'Reservations[].Instances[].State.Name';
registerWaiter({
  service: 'ec2',
  name: 'instance-running',
  operation: 'DescribeInstances',
  delaySeconds: 15,
  maxAttempts: 40,
  doc: 'Waits until every instance described is running (fails if one is shutting down, terminated or stopping).',
  acceptors: [
    { state: 'success', matcher: 'pathAll', argument: stateArg, expected: 'running' },
    { state: 'failure', matcher: 'pathAny', argument: stateArg, expected: 'shutting-down' },
    { state: 'failure', matcher: 'pathAny', argument: stateArg, expected: 'terminated' },
    { state: 'failure', matcher: 'pathAny', argument: stateArg, expected: 'stopping' },
    { state: 'retry', matcher: 'error', expected: 'InvalidInstanceID.NotFound' },
  ],
});
registerWaiter({
  service: 'ec2',
  name: 'instance-terminated',
  operation: 'DescribeInstances',
  delaySeconds: 15,
  maxAttempts: 40,
  doc: 'Waits until every instance described is terminated.',
  acceptors: [
    { state: 'success', matcher: 'pathAll', argument: stateArg, expected: 'terminated' },
    { state: 'failure', matcher: 'pathAny', argument: stateArg, expected: 'pending' },
    { state: 'failure', matcher: 'pathAny', argument: stateArg, expected: 'stopping' },
  ],
});
registerWaiter({
  service: 'ec2',
  name: 'instance-exists',
  operation: 'DescribeInstances',
  delaySeconds: 5,
  maxAttempts: 40,
  doc: 'Waits until DescribeInstances finds the instances.',
  acceptors: [
    { state: 'success', matcher: 'path', argument: 'length(Reservations[]) > `0`', expected: true },
    { state: 'retry', matcher: 'error', expected: 'InvalidInstanceID.NotFound' },
  ],
});
registerWaiter({
  service: 'ec2',
  name: 'security-group-exists',
  operation: 'DescribeSecurityGroups',
  delaySeconds: 5,
  maxAttempts: 6,
  doc: 'Waits until the security group can be described.',
  acceptors: [
    { state: 'success', matcher: 'path', argument: 'length(SecurityGroups[].GroupId) > `0`', expected: true },
    { state: 'retry', matcher: 'error', expected: 'InvalidGroup.NotFound' },
  ],
});
registerWaiter({
  service: 'ec2',
  name: 'vpc-available',
  operation: 'DescribeVpcs',
  delaySeconds: 15,
  maxAttempts: 40,
  doc: 'Waits until the VPCs are available.',
  acceptors: [{ state: 'success', matcher: 'pathAll', argument: 'Vpcs[].State', expected: 'available' }],
});
registerWaiter({
  service: 'ec2',
  name: 'subnet-available',
  operation: 'DescribeSubnets',
  delaySeconds: 15,
  maxAttempts: 40,
  doc: 'Waits until the subnets are available.',
  acceptors: [{ state: 'success', matcher: 'pathAll', argument: 'Subnets[].State', expected: 'available' }],
});

// ---------------------------------------------------------------- aws ecr get-login-password

registerAwsCustomCommand({
  service: 'ecr',
  name: 'get-login-password',
  summary: 'Print a password for docker login to your ECR registry (valid 12 hours).',
  usage:
    'aws ecr get-login-password [--region REGION]\n\n' +
    'Calls GetAuthorizationToken and prints only the password, for piping into docker:\n\n' +
    '  aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com\n\n' +
    'The user name is always AWS. The token works for the registry of the region it was issued in.\n',
  options: [],
  run(ctx, args) {
    if (args.length) {
      ctx.err(`\nUnknown options: ${args.join(', ')}\n`);
      return 252;
    }
    const r = ctx.call('ecr', 'GetAuthorizationToken', {});
    if (!r.ok) return ctx.printError(r.error, 'GetAuthorizationToken');
    const data = (r.output as { authorizationData: { authorizationToken: string }[] }).authorizationData[0]!;
    const decoded = atob(data.authorizationToken);
    ctx.out(decoded.slice(decoded.indexOf(':') + 1) + '\n');
    return 0;
  },
});

// ---------------------------------------------------------------- sandbox ec2 add-capacity

function regionOf(ctx: CommandContext): string {
  return ctx.env['AWS_REGION'] ?? ctx.env['AWS_DEFAULT_REGION'] ?? ctx.session.region ?? 'us-east-1';
}

function opt(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(name + '='));
  return eq ? eq.slice(name.length + 1) : undefined;
}

const ADD_USAGE =
  'sandbox ec2 add-capacity --cluster NAME [--count N] [--instance-type TYPE] [--az ZONE] [--region REGION]\n\n' +
  'A lesson shortcut: launches N EC2 instances (default 1, t3.medium) from the ECS-optimized\n' +
  'Amazon Linux 2023 AMI with ECS_CLUSTER=NAME in their user data, and registers them with the\n' +
  'cluster at once (the agent would take 10-20 simulated seconds after a plain run-instances).\n' +
  'Without --az the instances are spread over the default subnets of the region in AZ order.\n' +
  'Graviton types (t4g, m6g) get the arm64 image.\n\n' +
  'Example: sandbox ec2 add-capacity --cluster demo --count 3 --instance-type t3.medium\n';

registerSandboxCommand({
  path: ['ec2', 'add-capacity'],
  summary: 'Launch EC2 instances that join an ECS cluster at once (lesson shortcut)',
  usage: ADD_USAGE,
  run(ctx, args) {
    const fail = (msg: string, code = 2) => {
      ctx.err(`sandbox: ec2 add-capacity: ${msg}\n`);
      return code;
    };
    const known = new Set(['--cluster', '--count', '--instance-type', '--az', '--region']);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
      if (!known.has(name)) return fail(`unknown option ${a}\n\n${ADD_USAGE}`);
      if (!a.includes('=')) i++;
    }
    const clusterName = opt(args, '--cluster');
    if (!clusterName) return fail(`--cluster is required\n\n${ADD_USAGE}`);
    const countText = opt(args, '--count') ?? '1';
    const count = Number(countText);
    if (!Number.isInteger(count) || count < 1 || count > 1000) return fail(`--count must be a whole number from 1 to 1000 (got ${countText})`);
    const typeName = opt(args, '--instance-type') ?? 't3.medium';
    const type = instanceType(typeName);
    if (!type) return fail(`unknown instance type ${typeName}`);
    const region = opt(args, '--region') ?? regionOf(ctx);
    if (!isRegion(region)) return fail(`unknown region ${region}`);
    const az = opt(args, '--az');
    if (az && !availabilityZones(region).includes(az)) return fail(`${az} is not an Availability Zone of ${region} (${availabilityZones(region).join(', ')})`);
    const sb = ctx.sandbox;
    const actx = ctxFor(sb, region);
    const cluster = tryFindCluster(actx, clusterName);
    if (!cluster) return fail(`cluster ${clusterName} does not exist in ${region}; create it first: aws ecs create-cluster --cluster-name ${clusterName}`, 1);
    const ami = amiByKey(type.arch === 'arm64' ? 'ecs-al2023-arm64' : 'ecs-al2023');
    const rows = sb.mutate(() => {
      const c = ctxFor(sb, region);
      const subs = defaultSubnets(c, region).filter((x) => !az || x.AvailabilityZone === az);
      if (!subs.length) throw new Error(`no default subnet in ${az ?? region}`);
      const group = sgTable(c).filter((g) => g.region === region && g.VpcId === subs[0]!.VpcId && g.GroupName === 'default');
      const out: { instanceId: string; az: string; ip: string; ci: string }[] = [];
      for (let n = 0; n < count; n++) {
        const subnet = subs[n % subs.length]!;
        const { instances: launched } = launchInstances(c, {
          imageId: amiId(region, ami),
          instanceType: typeName,
          count: 1,
          subnet,
          groups: group,
          userData: `#!/bin/bash\necho ECS_CLUSTER=${cluster.name} >> /etc/ecs/ecs.config\n`,
          tags: [{ Key: 'Name', Value: `ecs-${cluster.name}` }],
          iamInstanceProfileArn: `arn:aws:iam::${c.accountId}:instance-profile/ecsInstanceRole`,
        });
        const inst = launched[0]!;
        // The shortcut: the instance is up and its agent registered now.
        c.scheduler.cancelWhere(AGENT_TIMER, (p) => (p as { instanceId: string }).instanceId === inst.InstanceId);
        const running = instances(c).set(inst.InstanceId, { ...inst, state: 'running' });
        const ci = registerContainerInstance(c, running, ami, cluster.arn, cluster.name);
        out.push({ instanceId: inst.InstanceId, az: inst.AvailabilityZone, ip: inst.PrivateIpAddress, ci: ci.id });
      }
      return out;
    });
    ctx.out(`Launched ${count} ${typeName} instance${count === 1 ? '' : 's'} (${type.vcpus * 1024} CPU units, ${type.memoryMiB} MiB each) into cluster ${cluster.name} (${region}):\n`);
    const head = ['INSTANCE ID', 'AZ', 'PRIVATE IP', 'CONTAINER INSTANCE'];
    const table = rows.map((r) => [r.instanceId, r.az, r.ip, r.ci]);
    const w = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
    const fmt = (r: string[]) => r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd() + '\n';
    ctx.out(fmt(head));
    for (const r of table) ctx.out(fmt(r));
    return 0;
  },
  complete(_ctx, args, partial) {
    const prev = args[args.length - 1];
    if (prev === '--instance-type') return ['t3.micro', 't3.small', 't3.medium', 't3.large', 'm5.large', 'c5.large', 'r5.large', 't4g.medium'].filter((t) => t.startsWith(partial));
    if (prev === '--az') return availabilityZones(regionOf(_ctx)).filter((z) => z.startsWith(partial));
    if (prev === '--cluster') {
      return _ctx.sandbox.db
        .table<{ name: string; region: string; status: string }>('ecs.clusters')
        .filter((c) => c.region === regionOf(_ctx) && c.status === 'ACTIVE')
        .map((c) => c.name)
        .filter((n) => n.startsWith(partial));
    }
    return ['--cluster', '--count', '--instance-type', '--az', '--region'].filter((o) => o.startsWith(partial) && !args.includes(o));
  },
});

registerSandboxCommand({
  path: ['ec2', 'instance-profile'],
  summary: 'Show or switch whether the ECS agent needs an instance profile to register (required|optional)',
  usage:
    'sandbox ec2 instance-profile [required|optional]\n\n' +
    'On real EC2 the container agent calls RegisterContainerInstance with the credentials of the\n' +
    "instance's role, so an instance launched without --iam-instance-profile (e.g. Name=ecsInstanceRole)\n" +
    'never joins its cluster: the agent keeps retrying. The sandbox starts with this check off\n' +
    '(optional) so first lessons can skip IAM; switch it on with `sandbox ec2 instance-profile required`.\n',
  run(ctx, args) {
    const mode = args[0];
    if (mode === undefined) {
      const on = readConfig(ctx.sandbox.db).settings[INSTANCE_PROFILE_SETTING] === true;
      ctx.out(on ? 'required: instances without an instance profile do not register with ECS\n' : 'optional: the ECS agent registers instances with or without an instance profile\n');
      return 0;
    }
    if (mode !== 'required' && mode !== 'optional' || args.length > 1) {
      ctx.err('sandbox: ec2 instance-profile: expected required or optional\n');
      return 2;
    }
    ctx.sandbox.mutate(() => updateConfig(ctx.sandbox.db, (c) => ({ ...c, settings: { ...c.settings, [INSTANCE_PROFILE_SETTING]: mode === 'required' } })));
    ctx.out(`The ECS agent now ${mode === 'required' ? 'needs an instance profile to register' : 'registers with or without an instance profile'}.\n`);
    return 0;
  },
});
