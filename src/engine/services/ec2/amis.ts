/**
 * The machine images (AMIs) the sandbox knows: public Amazon Linux images and
 * the ECS-optimized images whose container agent joins a cluster. Image ids are
 * derived from the region and image name by a hash, so they are stable without
 * any state, and the SSM public parameters return the same ids EC2 accepts.
 */
import { REGIONS } from '../../regions';

export interface AmiInfo {
  /** Key used in code: 'ecs-al2023', 'al2023' ... */
  key: string;
  name: string;
  description: string;
  arch: 'x86_64' | 'arm64';
  /** Has the ECS container agent: it registers the instance with a cluster. */
  ecsOptimized: boolean;
  /** SSM public parameter (without the `/image_id` suffix for ECS images). */
  parameter: string;
  osName: string;
  /** For ECS images: the agent and docker versions the image ships. */
  agentVersion?: string;
  dockerVersion?: string;
  imageVersion?: string;
  sourceImageName?: string;
}

const ECS_AGENT = '1.99.1';
const DOCKER = '25.0.8';

export const AMIS: readonly AmiInfo[] = [
  {
    key: 'ecs-al2023',
    name: 'al2023-ami-ecs-hvm-2023.0.20251210-kernel-6.1-x86_64',
    description: 'Amazon Linux AMI 2023.0.20251210 x86_64 ECS HVM EBS',
    arch: 'x86_64',
    ecsOptimized: true,
    parameter: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended',
    osName: 'Amazon Linux 2023',
    agentVersion: ECS_AGENT,
    dockerVersion: DOCKER,
    imageVersion: '2023.0.20251210',
    sourceImageName: 'al2023-ami-minimal-2023.9.20251208.0-kernel-6.1-x86_64',
  },
  {
    key: 'ecs-al2023-arm64',
    name: 'al2023-ami-ecs-hvm-2023.0.20251210-kernel-6.1-arm64',
    description: 'Amazon Linux AMI 2023.0.20251210 arm64 ECS HVM EBS',
    arch: 'arm64',
    ecsOptimized: true,
    parameter: '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended',
    osName: 'Amazon Linux 2023',
    agentVersion: ECS_AGENT,
    dockerVersion: DOCKER,
    imageVersion: '2023.0.20251210',
    sourceImageName: 'al2023-ami-minimal-2023.9.20251208.0-kernel-6.1-arm64',
  },
  {
    key: 'ecs-al2',
    name: 'amzn2-ami-ecs-hvm-2.0.20251210-x86_64-ebs',
    description: 'Amazon Linux AMI 2.0.20251210 x86_64 ECS HVM GP2',
    arch: 'x86_64',
    ecsOptimized: true,
    parameter: '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended',
    osName: 'Amazon Linux 2',
    agentVersion: ECS_AGENT,
    dockerVersion: '25.0.8',
    imageVersion: '2.0.20251210',
    sourceImageName: 'amzn2-ami-minimal-hvm-2.0.20251208.0-x86_64-ebs',
  },
  {
    key: 'al2023',
    name: 'al2023-ami-2023.9.20251208.0-kernel-6.1-x86_64',
    description: 'Amazon Linux 2023 AMI 2023.9.20251208.0 x86_64 HVM kernel-6.1',
    arch: 'x86_64',
    ecsOptimized: false,
    parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    osName: 'Amazon Linux 2023',
  },
  {
    key: 'al2023-arm64',
    name: 'al2023-ami-2023.9.20251208.0-kernel-6.1-arm64',
    description: 'Amazon Linux 2023 AMI 2023.9.20251208.0 arm64 HVM kernel-6.1',
    arch: 'arm64',
    ecsOptimized: false,
    parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    osName: 'Amazon Linux 2023',
  },
  {
    key: 'al2',
    name: 'amzn2-ami-hvm-2.0.20251208.0-x86_64-gp2',
    description: 'Amazon Linux 2 AMI 2.0.20251208.0 x86_64 HVM gp2',
    arch: 'x86_64',
    ecsOptimized: false,
    parameter: '/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2',
    osName: 'Amazon Linux 2',
  },
];

/** 32-bit FNV-1a with a seed, for stable derived ids. */
export function fnv32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A stable 16-hex-digit string derived from text. */
export function stableHex16(text: string): string {
  return fnv32(text).toString(16).padStart(8, '0') + fnv32(text, 0x2545f491).toString(16).padStart(8, '0');
}

export function amiId(region: string, ami: AmiInfo): string {
  return 'ami-0' + stableHex16(`${region}|${ami.name}`);
}

/** The AMI an id names in a region, if the sandbox knows it. */
export function findAmi(region: string, imageId: string): AmiInfo | undefined {
  return AMIS.find((a) => amiId(region, a) === imageId);
}

/** Does this id name a known AMI in any region (for the "exists elsewhere" hint)? */
export function amiRegions(imageId: string): string[] {
  return REGIONS.filter((r) => AMIS.some((a) => amiId(r.name, a) === imageId)).map((r) => r.name);
}

export function amiByKey(key: string): AmiInfo {
  const a = AMIS.find((x) => x.key === key);
  if (!a) throw new Error(`unknown AMI key ${key}`);
  return a;
}
