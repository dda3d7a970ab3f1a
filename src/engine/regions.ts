/** The simulated world's account, regions, availability zones and ARNs. */

/** The learner's own account (the number AWS documentation uses in examples). */
export const ACCOUNT_ID = '123456789012';
/** Another account that owns the world's other buckets and serves cross-account lessons. */
export const OTHER_ACCOUNT_ID = '210987654321';

export const DEFAULT_REGION = 'us-east-1';

export interface RegionInfo {
  name: string;
  description: string;
  azSuffixes: string[];
  /** Short code used by AZ ids (use1-az1). */
  idPrefix: string;
}

export const REGIONS: RegionInfo[] = [
  { name: 'us-east-1', description: 'US East (N. Virginia)', azSuffixes: ['a', 'b', 'c', 'd', 'e', 'f'], idPrefix: 'use1' },
  { name: 'us-east-2', description: 'US East (Ohio)', azSuffixes: ['a', 'b', 'c'], idPrefix: 'use2' },
  { name: 'us-west-1', description: 'US West (N. California)', azSuffixes: ['a', 'c'], idPrefix: 'usw1' },
  { name: 'us-west-2', description: 'US West (Oregon)', azSuffixes: ['a', 'b', 'c', 'd'], idPrefix: 'usw2' },
  { name: 'eu-west-1', description: 'Europe (Ireland)', azSuffixes: ['a', 'b', 'c'], idPrefix: 'euw1' },
  { name: 'eu-west-2', description: 'Europe (London)', azSuffixes: ['a', 'b', 'c'], idPrefix: 'euw2' },
  { name: 'eu-central-1', description: 'Europe (Frankfurt)', azSuffixes: ['a', 'b', 'c'], idPrefix: 'euc1' },
  { name: 'ap-southeast-1', description: 'Asia Pacific (Singapore)', azSuffixes: ['a', 'b', 'c'], idPrefix: 'apse1' },
  { name: 'ap-southeast-2', description: 'Asia Pacific (Sydney)', azSuffixes: ['a', 'b', 'c'], idPrefix: 'apse2' },
  { name: 'ap-northeast-1', description: 'Asia Pacific (Tokyo)', azSuffixes: ['a', 'c', 'd'], idPrefix: 'apne1' },
  { name: 'sa-east-1', description: 'South America (São Paulo)', azSuffixes: ['a', 'b', 'c'], idPrefix: 'sae1' },
];

const BY_NAME = new Map(REGIONS.map((r) => [r.name, r]));

export function regionInfo(name: string): RegionInfo | undefined {
  return BY_NAME.get(name);
}

export function isRegion(name: string): boolean {
  return BY_NAME.has(name);
}

export function availabilityZones(region: string): string[] {
  const r = BY_NAME.get(region);
  return r ? r.azSuffixes.map((s) => region + s) : [];
}

/** The AZ id (use1-az4) of an AZ name: stable, deterministic mapping. */
export function azId(azName: string): string {
  const region = azName.slice(0, -1);
  const r = BY_NAME.get(region);
  if (!r) return azName;
  return `${r.idPrefix}-az${r.azSuffixes.indexOf(azName.slice(-1)) + 1}`;
}

/** Build an ARN. `region` and `account` are empty for global resources such as S3 buckets. */
export function arn(service: string, region: string, account: string, resource: string, partition = 'aws'): string {
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(text: string): ParsedArn | null {
  const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/.exec(text);
  if (!m) return null;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, account: m[4]!, resource: m[5]! };
}
