/**
 * `sandbox run-from subnet-...|internet` (where the learner's commands run),
 * `sandbox network [from REGION|off]` (where the learner is on the map, for
 * simulated transfer times), `sandbox network estimate SIZE --bucket B|--to REGION`,
 * `sandbox config [get|set] KEY [VALUE]` (s3.use_accelerate_endpoint ...).
 */
import { registerSandboxCommand } from './registry';
import type { CommandContext } from '../types';
import { ADMIN_IDENTITY, isRegion } from '../../engine';
import { updateConfig } from '../../engine/config';
import { routeFromSubnet, routeTableOf } from '../../engine/services/ec2/endpoints';
import type { SubnetRow } from '../../engine/services/ec2/model';
import { estimateTransfer, REGION_PLACES } from '../../engine/services/s3/acceleration';
import type { BucketRow } from '../../engine/services/s3/model';
import { websiteList, websiteUrl } from '../../engine/services/s3/website';
import { ACCELERATE_SETTING, LOCATION_SETTING, SOURCE_SETTING, networkLocation, networkSource } from '../aws/network';
import { humanSize } from '../aws/s3/util';

function setSetting(ctx: CommandContext, key: string, value: unknown): void {
  ctx.sandbox.mutate((sb) =>
    updateConfig(sb.db, (c) => {
      const settings = { ...c.settings };
      if (value === undefined) delete settings[key];
      else settings[key] = value;
      return { ...c, settings };
    }),
  );
}

function regionOf(ctx: CommandContext): string {
  return ctx.env['AWS_REGION'] ?? ctx.env['AWS_DEFAULT_REGION'] ?? ctx.session.region ?? 'us-east-1';
}

function describeSubnet(ctx: CommandContext, sn: SubnetRow): string {
  const c = ctx.sandbox.context(sn.region, ADMIN_IDENTITY);
  const rt = routeTableOf(c, sn);
  const path = routeFromSubnet(c, sn.SubnetId, 's3', sn.region);
  let s3: string;
  if (!path) s3 = 'unknown';
  else if (path.kind === 'endpoint') s3 = `through gateway endpoint ${path.endpoint.VpcEndpointId} (aws:SourceVpce=${path.endpoint.VpcEndpointId}, aws:SourceVpc=${path.vpc})`;
  else if (path.kind === 'igw') s3 = `over the internet through ${path.gateway}, from ${path.publicIp} (aws:SourceIp)`;
  else if (path.kind === 'nat') s3 = `over the internet through NAT gateway ${path.gateway}, from ${path.publicIp} (aws:SourceIp)`;
  else if (path.kind === 'none') s3 = `nowhere: ${path.reason} (the CLI will not connect)`;
  else s3 = 'over the internet';
  return (
    `Your commands now run on an instance in ${sn.SubnetId} (${sn.VpcId}, ${sn.AvailabilityZone}, ${sn.CidrBlock}).\n` +
    `Route table: ${rt?.RouteTableId ?? 'none'}${rt?.main ? ' (the main one)' : ''}.\n` +
    `S3 requests to ${sn.region} go ${s3}.\n` +
    'Use --debug to see the path each request takes; `sandbox run-from internet` to come back.\n'
  );
}

registerSandboxCommand({
  path: ['run-from'],
  summary: 'Run your next commands from an instance in a subnet (VPC endpoints, routes), or from the internet',
  usage:
    'sandbox run-from [subnet-ID | internet]\n\n' +
    'Puts you on an instance in the subnet: AWS requests then leave through the subnet\'s route table\n' +
    '(a gateway VPC endpoint when the table routes the service\'s prefix list to one, else the internet\n' +
    'or NAT gateway of the 0.0.0.0/0 route; with neither, the CLI cannot connect). Policies see\n' +
    'aws:SourceVpce and aws:SourceVpc on the endpoint path, aws:SourceIp on the internet path.\n' +
    'Without an argument, shows where you are.\n',
  run(ctx, args) {
    const target = args[0];
    if (!target) {
      const src = networkSource(ctx.sandbox);
      if (!src) {
        ctx.out('You run commands from your own computer, over the internet.\n');
        return 0;
      }
      const sn = ctx.sandbox.db.table<SubnetRow>('ec2.subnets').get(src);
      ctx.out(sn ? describeSubnet(ctx, sn) : `You were placed in ${src}, which no longer exists: requests go over the internet.\n`);
      return 0;
    }
    if (target === 'internet' || target === 'local') {
      setSetting(ctx, SOURCE_SETTING, undefined);
      ctx.out('Your commands now run from your own computer, over the internet.\n');
      return 0;
    }
    const sn = ctx.sandbox.db.table<SubnetRow>('ec2.subnets').get(target);
    if (!sn) {
      ctx.err(`sandbox: run-from: no subnet ${target} (see: aws ec2 describe-subnets)\n`);
      return 1;
    }
    setSetting(ctx, SOURCE_SETTING, sn.SubnetId);
    ctx.out(describeSubnet(ctx, sn));
    return 0;
  },
  complete(ctx, _args, partial) {
    const ids = ctx.sandbox.db.table<SubnetRow>('ec2.subnets').filter((s) => s.region === regionOf(ctx)).map((s) => s.SubnetId);
    return ['internet', ...ids].filter((x) => x.startsWith(partial));
  },
});

function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g|tb|tib|t)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const mult = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[unit as 'b'] ?? 1;
  return Math.round(Number(m[1]) * mult);
}

registerSandboxCommand({
  path: ['network'],
  summary: 'Where you are on the map (simulated transfer times for S3 uploads and downloads)',
  usage:
    'sandbox network                      show your place and where your commands run from\n' +
    'sandbox network from REGION|off      place yourself near an AWS region (e.g. eu-central-1)\n' +
    'sandbox network estimate SIZE (--bucket NAME | --to REGION)\n' +
    '                                     compare a transfer direct vs through Transfer Acceleration\n\n' +
    'Once placed, `aws s3 cp` and put-object/get-object report a simulated duration on standard error:\n' +
    'direct over the internet, and through the nearest edge location with Transfer Acceleration.\n' +
    'The model (distance, round trips, packet loss, a 200 Mbit/s uplink) is explained in docs/network-and-hosting.md.\n',
  run(ctx, args) {
    if (args[0] === 'from') {
      const r = args[1];
      if (!r) {
        ctx.err('sandbox: network from: give a region, e.g. sandbox network from eu-central-1 (or off)\n');
        return 2;
      }
      if (r === 'off') {
        setSetting(ctx, LOCATION_SETTING, undefined);
        ctx.out('Transfer times are no longer reported.\n');
        return 0;
      }
      if (!REGION_PLACES[r]) {
        ctx.err(`sandbox: network from: unknown region ${r} (one of: ${Object.keys(REGION_PLACES).join(', ')})\n`);
        return 2;
      }
      setSetting(ctx, LOCATION_SETTING, r);
      ctx.out(`You are now near ${REGION_PLACES[r]!.name} (${r}). S3 uploads and downloads report simulated transfer times.\n`);
      return 0;
    }
    if (args[0] === 'estimate') {
      const size = args[1] !== undefined ? parseSize(args[1]) : undefined;
      if (size === undefined) {
        ctx.err('sandbox: network estimate: give a size, e.g. 500MB\n');
        return 2;
      }
      const from = networkLocation(ctx.sandbox) ?? regionOf(ctx);
      let to: string | undefined;
      const bi = args.indexOf('--bucket');
      const ti = args.indexOf('--to');
      if (bi >= 0) {
        const b = ctx.sandbox.db.table<BucketRow>('s3.buckets').get(args[bi + 1] ?? '');
        if (!b) {
          ctx.err(`sandbox: network estimate: no bucket ${args[bi + 1] ?? ''}\n`);
          return 1;
        }
        to = b.region;
      } else if (ti >= 0) to = args[ti + 1];
      if (!to || !isRegion(to) || !REGION_PLACES[to]) {
        ctx.err('sandbox: network estimate: give --bucket NAME or --to REGION\n');
        return 2;
      }
      const e = estimateTransfer(size, from, to)!;
      const secs = (s: number) => (s < 10 ? s.toFixed(2) : s.toFixed(1)) + ' s';
      const mbps = (b: number) => ((b * 8) / 1e6).toFixed(0) + ' Mbit/s';
      ctx.out(
        `${humanSize(size)} from ${REGION_PLACES[from]?.name ?? from} (${from}) to ${to}, ${e.distanceKm.toLocaleString('en-US')} km\n` +
          `  direct:      ${secs(e.direct.seconds).padStart(9)}   round trip ${e.direct.rttMs} ms, about ${mbps(e.direct.bytesPerSecond)}\n` +
          `  accelerated: ${secs(e.accelerated.seconds).padStart(9)}   via edge ${e.accelerated.edge}, round trip ${e.accelerated.rttMs} ms, about ${mbps(e.accelerated.bytesPerSecond)}\n` +
          `  ${e.speedupPercent > 0 ? `acceleration is ${e.speedupPercent}% faster` : e.speedupPercent < 0 ? `acceleration is ${-e.speedupPercent}% slower (and costs extra)` : 'no difference'}\n`,
      );
      return 0;
    }
    if (args.length) {
      ctx.err(`sandbox: network: unknown subcommand ${args[0]}\n`);
      return 2;
    }
    const loc = networkLocation(ctx.sandbox);
    const src = networkSource(ctx.sandbox);
    ctx.out(`Place on the map: ${loc ? `near ${REGION_PLACES[loc]?.name ?? loc} (${loc})` : 'not set (no transfer times)'}\n`);
    ctx.out(`Commands run from: ${src ?? 'your computer (internet)'}\n`);
    return 0;
  },
  complete(_ctx, args, partial) {
    if (args.length === 0) return ['from', 'estimate'].filter((x) => x.startsWith(partial));
    if (args[0] === 'from') return [...Object.keys(REGION_PLACES), 'off'].filter((x) => x.startsWith(partial));
    return [];
  },
});

const KNOWN_SETTINGS: Record<string, string> = {
  [ACCELERATE_SETTING]: 'true: S3 requests go to BUCKET.s3-accelerate.amazonaws.com (like `aws configure set s3.use_accelerate_endpoint true`)',
};

registerSandboxCommand({
  path: ['config'],
  summary: 'Show or change sandbox settings (s3.use_accelerate_endpoint ...)',
  usage: 'sandbox config                 list the settings\nsandbox config get KEY\nsandbox config set KEY VALUE\nsandbox config unset KEY\n',
  run(ctx, args) {
    const settings = ctx.sandbox.config().settings;
    const [verb, key, value] = args;
    if (!verb) {
      for (const k of Object.keys(KNOWN_SETTINGS)) ctx.out(`${k} = ${String(settings[k] ?? 'false')}    # ${KNOWN_SETTINGS[k]}\n`);
      for (const [k, v] of Object.entries(settings)) if (!(k in KNOWN_SETTINGS)) ctx.out(`${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}\n`);
      return 0;
    }
    if (verb === 'get' && key) {
      const v = settings[key];
      if (v === undefined) return 1;
      ctx.out(`${typeof v === 'string' ? v : JSON.stringify(v)}\n`);
      return 0;
    }
    if (verb === 'set' && key && value !== undefined) {
      setSetting(ctx, key, value === 'true' ? true : value === 'false' ? false : value);
      return 0;
    }
    if (verb === 'unset' && key) {
      setSetting(ctx, key, undefined);
      return 0;
    }
    ctx.err('usage: sandbox config [get KEY | set KEY VALUE | unset KEY]\n');
    return 2;
  },
});

registerSandboxCommand({
  path: ['preview'],
  summary: "Open a bucket's website endpoint in the app's Preview panel",
  usage:
    'sandbox preview [BUCKET | URL]\n\n' +
    'Shows the website endpoint (http://BUCKET.s3-website-REGION.amazonaws.com) in the Preview panel,\n' +
    'as an anonymous visitor sees it: 403 until the objects are public. The page runs in a sandboxed\n' +
    'frame that cannot reach the app or its storage. Without an argument: the first bucket with a\n' +
    'website configuration. In the terminal, `curl` fetches the same pages.\n',
  run(ctx, args) {
    const arg = args[0];
    const list = websiteList(ctx.sandbox);
    let url: string | undefined;
    if (arg && /^https?:\/\//i.test(arg)) url = arg;
    else if (arg) {
      const b = ctx.sandbox.db.table<BucketRow>('s3.buckets').get(arg.replace(/^s3:\/\//, '').replace(/\/.*$/, ''));
      if (!b) {
        ctx.err(`sandbox: preview: no bucket ${arg}\n`);
        return 1;
      }
      url = websiteUrl(b.name, b.region) + '/';
      if (!b.website) ctx.err(`note: ${b.name} has no website configuration yet (aws s3 website s3://${b.name} --index-document index.html)\n`);
    } else url = list[0]?.url;
    if (!url) {
      ctx.err('sandbox: preview: no bucket has a website configuration yet (aws s3 website s3://BUCKET --index-document index.html)\n');
      return 1;
    }
    ctx.out(`Preview: ${url}\n`);
    ctx.effect({ type: 'open-url', url });
    return 0;
  },
});
