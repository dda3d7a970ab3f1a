/**
 * Where an `aws` request comes from, and how it travels (S3 part 2: network).
 * `sandbox run-from subnet-...` puts the learner on an instance in a subnet;
 * `sandbox network from REGION` places the learner on the map (transfer times);
 * `--endpoint-url https://s3-accelerate.amazonaws.com` or the
 * `s3.use_accelerate_endpoint` setting sends S3 requests to the accelerate endpoint.
 * The route gives the request context the engine's policies see (aws:SourceVpce,
 * aws:SourceVpc, aws:SourceIp) and, with --debug, the path the request took.
 */
import type { Sandbox, ApiResponse } from '../../engine';
import { ADMIN_IDENTITY } from '../../engine';
import { routeFromSubnet, type NetworkPath } from '../../engine/services/ec2/endpoints';
import { estimateTransfer, isAccelerateUrl, REGION_PLACES, accelerateEndpoint } from '../../engine/services/s3/acceleration';
import { ENDPOINT_KEY } from '../../engine/services/s3/network';
import { objects, objKey, type BucketRow } from '../../engine/services/s3/model';
import { humanSize } from './s3/util';
import { profileConfig } from './configure';

export const SOURCE_SETTING = 'network.source';
export const LOCATION_SETTING = 'network.location';
export const ACCELERATE_SETTING = 's3.use_accelerate_endpoint';

export function networkSource(sandbox: Sandbox): string | undefined {
  const v = sandbox.config().settings[SOURCE_SETTING];
  return typeof v === 'string' && v !== 'internet' ? v : undefined;
}

export function networkLocation(sandbox: Sandbox): string | undefined {
  const v = sandbox.config().settings[LOCATION_SETTING];
  return typeof v === 'string' ? v : undefined;
}

/** `aws configure set default.s3.use_accelerate_endpoint true` (the CLI's way) or `sandbox config set s3.use_accelerate_endpoint true`. */
export function useAccelerate(sandbox: Sandbox, profile?: string): boolean {
  const cfg = profileConfig(sandbox, profile ?? sandbox.config().currentProfile ?? 'default');
  const fromProfile = cfg?.[ACCELERATE_SETTING] ?? cfg?.[`default.${ACCELERATE_SETTING}`];
  if (fromProfile !== undefined) return fromProfile.toLowerCase() === 'true';
  const v = sandbox.config().settings[ACCELERATE_SETTING];
  return v === true || v === 'true';
}

export interface RouteInfo {
  requestContext?: Record<string, unknown>;
  /** Lines for --debug. */
  debug: string[];
  /** The request cannot leave the subnet: the CLI's connection error. */
  connectError?: boolean;
  /** The URL the request goes to, when it differs from the usual one (accelerate). */
  url?: string;
  path?: NetworkPath;
}

function describePath(p: NetworkPath): string {
  switch (p.kind) {
    case 'internet':
      return 'from your computer over the internet';
    case 'endpoint':
      return `from ${p.subnet} (${p.vpc}): route table ${p.routeTable} sends ${p.prefixList} to gateway endpoint ${p.endpoint.VpcEndpointId}; the request stays on the AWS network (aws:SourceVpce=${p.endpoint.VpcEndpointId}, aws:SourceVpc=${p.vpc})`;
    case 'igw':
      return `from ${p.subnet} (${p.vpc}): route table ${p.routeTable} sends 0.0.0.0/0 to internet gateway ${p.gateway}; the request reaches the public endpoint from ${p.publicIp} (aws:SourceIp)`;
    case 'nat':
      return `from ${p.subnet} (${p.vpc}): route table ${p.routeTable} sends 0.0.0.0/0 to NAT gateway ${p.gateway}; the request reaches the public endpoint from ${p.publicIp} (aws:SourceIp)`;
    case 'none':
      return `from ${p.subnet} (${p.vpc}): no way out: ${p.reason}`;
  }
}

/** Route one request. */
export function routeRequest(sandbox: Sandbox, service: string, region: string, input: Record<string, unknown>, endpointUrl: string | undefined, profile?: string): RouteInfo {
  const out: RouteInfo = { debug: [] };
  const rc: Record<string, unknown> = {};
  const accelerate = service === 's3' && (isAccelerateUrl(endpointUrl) || (useAccelerate(sandbox, profile) && !endpointUrl));
  if (accelerate) {
    rc[ENDPOINT_KEY] = 'accelerate';
    const bucket = typeof input['Bucket'] === 'string' ? input['Bucket'] : undefined;
    if (bucket) out.url = `https://${accelerateEndpoint(bucket)}/${typeof input['Key'] === 'string' ? input['Key'] : ''}`;
    out.debug.push(`Transfer Acceleration: the request goes to ${out.url ?? 's3-accelerate.amazonaws.com'} and enters the AWS network at the nearest edge location`);
  }
  // run-from places S3 traffic (the data path this model is about); other services' calls go as from your computer
  const source = service === 's3' ? networkSource(sandbox) : undefined;
  if (source) {
    const row = sandbox.db.table<{ region: string }>('ec2.subnets').get(source);
    const ctx = sandbox.context(row?.region ?? region, ADMIN_IDENTITY);
    // gateway endpoints serve the regional service endpoint, not the accelerate one
    const path = routeFromSubnet(ctx, source, accelerate ? 's3-accelerate' : service, region);
    if (path) {
      out.path = path;
      out.debug.push(`Network path: ${describePath(path)}`);
      if (path.kind === 'none') out.connectError = true;
      else if (path.kind === 'endpoint') {
        rc['aws:SourceVpce'] = path.endpoint.VpcEndpointId;
        rc['aws:SourceVpc'] = path.vpc;
      } else if (path.kind !== 'internet') rc['aws:SourceIp'] = path.publicIp;
    } else out.debug.push(`Network path: ${source} no longer exists; the request goes over the internet`);
  } else out.debug.push(`Network path: ${describePath({ kind: 'internet', via: 'client' })}`);
  if (Object.keys(rc).length) out.requestContext = rc;
  return out;
}

/** After an upload or download, report a simulated transfer time when the learner has a place on the map. */
export function transferReport(sandbox: Sandbox, operation: string, input: Record<string, unknown>, r: ApiResponse, accelerated: boolean): string | undefined {
  const from = networkLocation(sandbox);
  if (!from || !r.ok) return undefined;
  const bucket = typeof input['Bucket'] === 'string' ? input['Bucket'] : undefined;
  if (!bucket) return undefined;
  let bytes: number | undefined;
  if (operation === 'PutObject' && input['Body'] instanceof Uint8Array) bytes = input['Body'].byteLength;
  else if (operation === 'GetObject') bytes = Number((r.output as Record<string, unknown>)['ContentLength'] ?? 0);
  else if (operation === 'CompleteMultipartUpload' && typeof input['Key'] === 'string') {
    const row = objects({ table: (n) => sandbox.db.table(n) }).get(objKey(bucket, input['Key']));
    bytes = row?.versions[0]?.size;
  }
  if (bytes === undefined) return undefined;
  const b = sandbox.db.table<BucketRow>('s3.buckets').get(bucket);
  if (!b) return undefined;
  const est = estimateTransfer(bytes, from, b.region);
  if (!est) return undefined;
  const secs = (s: number) => (s < 10 ? s.toFixed(2) : s.toFixed(1)) + ' s';
  const verdict = est.speedupPercent > 0 ? `acceleration ${est.speedupPercent}% faster` : est.speedupPercent < 0 ? `acceleration ${-est.speedupPercent}% slower` : 'no difference';
  const taken = accelerated ? est.accelerated.seconds : est.direct.seconds;
  return (
    `[simulated network] ${operation === 'GetObject' ? 'download' : 'upload'} of ${humanSize(bytes)} between ${REGION_PLACES[from]?.name ?? from} (${from}) and ${b.region}, ${est.distanceKm.toLocaleString('en-US')} km: ` +
    `${secs(taken)} ${accelerated ? 'through the accelerate endpoint' : 'direct'} (direct ${secs(est.direct.seconds)}, accelerated via edge ${est.accelerated.edge} ${secs(est.accelerated.seconds)}: ${verdict})\n`
  );
}
