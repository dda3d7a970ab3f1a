/**
 * `sandbox s3 cost` (what the stored bytes would cost per month, by class)
 * and `sandbox s3 consistency [strong|eventual] [--region R]` (switch a region
 * to the historical eventual-consistency model of S3, or back).
 */
import { registerSandboxCommand } from './registry';
import type { CommandContext } from '../types';
import { isRegion } from '../../engine';
import { updateConfig } from '../../engine/config';
import { storageCost, PRICE_PER_GB_MONTH } from '../../engine/services/s3/cost';
import { humanSize } from '../aws/s3/util';

function regionOf(ctx: CommandContext): string {
  return ctx.env['AWS_REGION'] ?? ctx.env['AWS_DEFAULT_REGION'] ?? ctx.session.region ?? 'us-east-1';
}

/** Dollars: cents for real amounts, enough decimals to see a sandbox's tiny ones. */
const money = (n: number) => {
  if (n === 0 || n >= 0.01) return `$${n.toFixed(2)}`;
  const digits = Math.min(12, 2 - Math.floor(Math.log10(n)) + 1);
  return `$${n.toFixed(digits)}`;
};

registerSandboxCommand({
  path: ['s3', 'cost'],
  summary: 'Monthly storage cost of your buckets by storage class (us-east-1 list prices)',
  usage:
    'sandbox s3 cost [--bucket NAME] [--prices]\n\n' +
    'Adds up the bytes of every object version by bucket and storage class and prices a month of\n' +
    'storage with S3 us-east-1 list prices per GB-month. IA and Glacier Instant Retrieval bill at least\n' +
    '128 KB per object; GLACIER and DEEP_ARCHIVE add 40 KB of overhead per object.\n' +
    '--prices prints the price table (note REDUCED_REDUNDANCY now costs more than STANDARD).\n',
  run(ctx, args) {
    if (args.includes('--prices')) {
      ctx.out('STORAGE CLASS          USD PER GB-MONTH\n');
      for (const [c, p] of Object.entries(PRICE_PER_GB_MONTH).sort((a, b) => b[1] - a[1])) ctx.out(`${c.padEnd(22)} ${p.toFixed(5)}\n`);
      return 0;
    }
    const bi = args.indexOf('--bucket');
    const bucket = bi >= 0 ? args[bi + 1] : undefined;
    if (bi >= 0 && !bucket) {
      ctx.err('sandbox: s3 cost: --bucket needs a bucket name\n');
      return 2;
    }
    const lines = storageCost(ctx.sandbox.context('us-east-1', { type: 'user', accountId: '', arn: '', userId: '', name: '' }), bucket);
    if (!lines.length) {
      ctx.out(bucket ? `No objects in ${bucket}: $0.00 per month.\n` : 'No objects stored: $0.00 per month.\n');
      return 0;
    }
    const rows = lines.map((l) => [l.bucket, l.storageClass, String(l.objects), humanSize(l.bytes), l.pricePerGbMonth.toFixed(5), money(l.monthly)]);
    const head = ['BUCKET', 'STORAGE CLASS', 'OBJECTS', 'SIZE', 'USD/GB-MONTH', 'PER MONTH'];
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (r: string[]) => r.map((c, i) => (i >= 2 ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd() + '\n';
    ctx.out(fmt(head));
    for (const r of rows) ctx.out(fmt(r));
    const total = lines.reduce((n, l) => n + l.monthly, 0);
    ctx.out(`Total: ${money(total)} per month (us-east-1 list prices; requests and retrievals not included)\n`);
    return 0;
  },
});

registerSandboxCommand({
  path: ['s3', 'consistency'],
  summary: "Show or switch a region's S3 consistency model: strong (today) or eventual (historical)",
  usage:
    'sandbox s3 consistency [strong|eventual] [--region REGION]\n\n' +
    'strong   (default) every read sees the latest write, as S3 does since December 2020.\n' +
    'eventual the model S3 had before: a new object is readable at once (unless it was read before it\n' +
    '         existed), but an overwrite or a delete is seen late by GET and LIST for a few simulated\n' +
    '         seconds (a seeded window). Advance the clock (sandbox clock advance 10s) to see it settle.\n' +
    'Without a mode, prints the model of each region that is not strong.\n',
  run(ctx, args) {
    const ri = args.indexOf('--region');
    const region = ri >= 0 ? args[ri + 1] : regionOf(ctx);
    if (!region || !isRegion(region)) {
      ctx.err(`sandbox: s3 consistency: unknown region ${region ?? ''}\n`);
      return 2;
    }
    const mode = args.filter((a, i) => !a.startsWith('--') && (ri < 0 || i !== ri + 1))[0];
    if (mode === undefined) {
      const cfg = ctx.sandbox.config().s3Consistency;
      ctx.out(`${region}: ${cfg[region] ?? 'strong'}\n`);
      for (const [r, m] of Object.entries(cfg)) if (r !== region && m !== 'strong') ctx.out(`${r}: ${m}\n`);
      return 0;
    }
    if (mode !== 'strong' && mode !== 'eventual') {
      ctx.err(`sandbox: s3 consistency: expected strong or eventual, got '${mode}'\n`);
      return 2;
    }
    ctx.sandbox.mutate((sb) =>
      updateConfig(sb.db, (c) => {
        const next = { ...c.s3Consistency };
        if (mode === 'strong') delete next[region];
        else next[region] = 'eventual';
        return { ...c, s3Consistency: next };
      }),
    );
    ctx.out(`S3 consistency in ${region}: ${mode}\n`);
    return 0;
  },
});
