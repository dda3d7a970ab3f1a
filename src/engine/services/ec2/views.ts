/**
 * Read-only views of the capacity side for the app's panels:
 * - 'ec2-instances' {region?}: instances of a region with state, placement,
 *   addresses and the ECS cluster their agent joined;
 * - 'ec2-network' {region?}: the VPCs, subnets (free addresses) and security groups;
 * - 'ecr-repositories' {region?}: repositories with their images;
 * - 'docker-images': the learner's local images.
 */
import { registerView } from '../../views';
import { ADMIN_IDENTITY } from '../../identity';
import { DEFAULT_REGION, isRegion } from '../../regions';
import type { Sandbox } from '../../sandbox';
import { instanceType } from './instance-types';
import { availableIpCount, instances, securityGroups, subnets, vpcs } from './model';
import { containerInstancesTable } from '../ecs/container-instances';
import { imagesOf, repositories, repositoryUri } from '../ecr/model';
import { localImages } from '../../images/local';
import { uncompressedSize } from '../../images/catalogue';

function ctxOf(sb: Sandbox, args: Record<string, unknown>) {
  const r = typeof args['region'] === 'string' && isRegion(args['region']) ? args['region'] : DEFAULT_REGION;
  return sb.context(r, ADMIN_IDENTITY);
}

export function instancesView(sb: Sandbox, args: Record<string, unknown> = {}) {
  const ctx = ctxOf(sb, args);
  const cis = containerInstancesTable(ctx).filter((c) => c.region === ctx.region);
  return {
    region: ctx.region,
    now: sb.now(),
    instances: instances(ctx)
      .filter((i) => i.region === ctx.region)
      .map((i) => {
        const ci = cis.filter((c) => c.ec2InstanceId === i.InstanceId).pop();
        const t = instanceType(i.InstanceType);
        return {
          instanceId: i.InstanceId,
          instanceType: i.InstanceType,
          vcpus: t?.vcpus ?? 0,
          memoryMiB: t?.memoryMiB ?? 0,
          state: i.state,
          availabilityZone: i.AvailabilityZone,
          subnetId: i.SubnetId,
          privateIp: i.PrivateIpAddress,
          publicIp: i.state === 'running' || i.state === 'pending' ? i.PublicIpAddress : undefined,
          launchTime: i.launchTime,
          name: i.Tags.find((x) => x.Key === 'Name')?.Value,
          ecs: ci ? { cluster: ci.clusterName, containerInstanceId: ci.id, status: ci.status, agentConnected: ci.agentConnected } : undefined,
        };
      }),
  };
}

export function networkView(sb: Sandbox, args: Record<string, unknown> = {}) {
  const ctx = ctxOf(sb, args);
  return {
    region: ctx.region,
    vpcs: vpcs(ctx)
      .filter((v) => v.region === ctx.region)
      .map((v) => ({ vpcId: v.VpcId, cidr: v.CidrBlock, isDefault: v.IsDefault })),
    subnets: subnets(ctx)
      .filter((x) => x.region === ctx.region)
      .map((x) => ({ subnetId: x.SubnetId, vpcId: x.VpcId, az: x.AvailabilityZone, cidr: x.CidrBlock, defaultForAz: x.DefaultForAz, freeAddresses: availableIpCount(ctx, x) })),
    securityGroups: securityGroups(ctx)
      .filter((g) => g.region === ctx.region)
      .map((g) => ({ groupId: g.GroupId, name: g.GroupName, vpcId: g.VpcId, inbound: g.rules.filter((r) => !r.isEgress).length, outbound: g.rules.filter((r) => r.isEgress).length })),
  };
}

export function repositoriesView(sb: Sandbox, args: Record<string, unknown> = {}) {
  const ctx = ctxOf(sb, args);
  return {
    region: ctx.region,
    repositories: repositories(ctx)
      .filter((r) => r.region === ctx.region)
      .map((r) => ({
        name: r.name,
        uri: repositoryUri(ctx.accountId, r.region, r.name),
        mutability: r.imageTagMutability,
        images: imagesOf(ctx, r.region, r.name).map((i) => ({ digest: i.imageDigest, tags: i.imageTags, sizeBytes: i.imageSizeInBytes, pushedAt: i.imagePushedAt })),
      })),
  };
}

export function dockerImagesView(sb: Sandbox) {
  return [...localImages(sb.db).values()].map((i) => ({ id: i.id, tags: i.repoTags, sizeBytes: uncompressedSize(i.sizeBytes), createdAt: i.createdAt, behaviour: i.config.behaviour }));
}

registerView('ec2-instances', (sb, args) => instancesView(sb, args));
registerView('ec2-network', (sb, args) => networkView(sb, args));
registerView('ecr-repositories', (sb, args) => repositoriesView(sb, args));
registerView('docker-images', (sb) => dockerImagesView(sb));
