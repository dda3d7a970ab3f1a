/** `aws s3 website s3://BUCKET --index-document index.html [--error-document error.html]`: PutBucketWebsite in one line. */
import { registerAwsCustomCommand, type AwsCommandContext } from '../custom';
import { usage } from './util';

function website(ctx: AwsCommandContext, args: string[]): number {
  const positionals: string[] = [];
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (name === '--index-document' || name === '--error-document') {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) return usage(ctx, `argument ${name}: expected one argument`);
      values[name] = v;
    } else if (a.startsWith('--')) return usage(ctx, `Unknown options: ${a}`);
    else positionals.push(a);
  }
  if (positionals.length !== 1) return usage(ctx, positionals.length ? `Unknown options: ${positionals.slice(1).join(', ')}` : 'the following arguments are required: paths');
  const target = positionals[0]!;
  const bucket = (target.startsWith('s3://') ? target.slice(5) : target).split('/')[0]!;
  const index = values['--index-document'];
  const error = values['--error-document'];
  const cfg: Record<string, unknown> = {};
  if (index !== undefined) cfg['IndexDocument'] = { Suffix: index };
  if (error !== undefined) cfg['ErrorDocument'] = { Key: error };
  const r = ctx.call('s3', 'PutBucketWebsite', { Bucket: bucket, WebsiteConfiguration: cfg });
  if (!r.ok) return ctx.printError(r.error, 'PutBucketWebsite');
  return 0;
}

registerAwsCustomCommand({
  service: 's3',
  name: 'website',
  summary: 'Set the website configuration of a bucket (index and error documents).',
  usage:
    'aws s3 website s3://BUCKET --index-document index.html [--error-document error.html]\n\n' +
    'Turns static website hosting on. The site is served at http://BUCKET.s3-website-REGION.amazonaws.com\n' +
    '(or s3-website.REGION in newer regions) to anonymous visitors: the objects must be public (a bucket\n' +
    'policy allowing s3:GetObject to everyone, with Block Public Access turned off for the bucket).\n' +
    'Try it with `curl` or the app\'s Preview.\n',
  options: ['--index-document', '--error-document'],
  run: website,
});
