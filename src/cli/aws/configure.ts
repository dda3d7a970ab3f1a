/**
 * `aws configure` and its subcommands (get, set, list, list-profiles) over a
 * small config kept in the sandbox (table `aws.config`, one row per profile),
 * so `aws configure set region eu-west-1` changes the default region the way
 * ~/.aws/config does. The sandbox needs no keys: what is stored is shown masked.
 */
import type { Sandbox } from '../../engine';
import { registerAwsCustomCommand, type AwsCommandContext, type AwsCustomCommand } from './custom';

export type ProfileConfig = Record<string, string>;

const TABLE = 'aws.config';

export function profileConfig(sandbox: Sandbox, profile: string): ProfileConfig | undefined {
  return sandbox.db.table<ProfileConfig>(TABLE).get(profile) as ProfileConfig | undefined;
}

export function configuredProfiles(sandbox: Sandbox): string[] {
  return [...sandbox.db.table<ProfileConfig>(TABLE).keys()].sort();
}

function setValue(sandbox: Sandbox, profile: string, key: string, value: string): void {
  sandbox.mutate((sb) => {
    const t = sb.db.table<ProfileConfig>(TABLE);
    const cur = (t.get(profile) as ProfileConfig | undefined) ?? {};
    t.set(profile, { ...cur, [key]: value });
  });
}

function profileOf(ctx: AwsCommandContext, args: string[]): { profile: string; rest: string[] } {
  const rest: string[] = [];
  let profile = ctx.globals.profile ?? 'default';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--profile' && args[i + 1] !== undefined) profile = args[++i]!;
    else rest.push(args[i]!);
  }
  return { profile, rest };
}

/** `default.region` / `profile.dev.region` / `region` -> [profile, key]. */
function splitName(name: string, profile: string): [string, string] {
  const parts = name.split('.');
  if (parts.length === 2 && parts[0] === 'default') return ['default', parts[1]!];
  if (parts.length === 3 && parts[0] === 'profile') return [parts[1]!, parts[2]!];
  return [profile, name];
}

const mask = (v: string | undefined) => (v ? '*'.repeat(16) + v.slice(-4) : undefined);

const USAGE_ERR = (sub: string, args: string) =>
  `\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\naws: error: the following arguments are required: ${args}\n`;

const commands: AwsCustomCommand[] = [
  {
    service: 'configure',
    name: 'get',
    summary: 'Print one configuration value (region, output ...) of a profile.',
    usage: 'aws configure get NAME [--profile PROFILE]\n\nPrints the value, or nothing with exit code 1 when it is not set.\n\n  aws configure get region\n',
    options: ['--profile'],
    run(ctx, args) {
      const { profile, rest } = profileOf(ctx, args);
      if (!rest.length) {
        ctx.err(USAGE_ERR('get', 'varname'));
        return 252;
      }
      const [p, key] = splitName(rest[0]!, profile);
      const v = profileConfig(ctx.sandbox, p)?.[key];
      if (v === undefined) return 1;
      ctx.out(v + '\n');
      return 0;
    },
  },
  {
    service: 'configure',
    name: 'set',
    summary: 'Set one configuration value of a profile.',
    usage: 'aws configure set NAME VALUE [--profile PROFILE]\n\n  aws configure set region eu-west-1\n  aws configure set output table --profile dev\n',
    options: ['--profile'],
    run(ctx, args) {
      const { profile, rest } = profileOf(ctx, args);
      if (rest.length < 2) {
        ctx.err(USAGE_ERR('set', rest.length ? 'value' : 'varname, value'));
        return 252;
      }
      const [p, key] = splitName(rest[0]!, profile);
      setValue(ctx.sandbox, p, key, rest[1]!);
      return 0;
    },
  },
  {
    service: 'configure',
    name: 'list',
    summary: 'Show the configuration the CLI will use and where each value comes from.',
    usage: 'aws configure list [--profile PROFILE]\n',
    options: ['--profile'],
    run(ctx, args) {
      const { profile } = profileOf(ctx, args);
      const cfg = profileConfig(ctx.sandbox, profile) ?? {};
      const env = ctx.env;
      const row = (name: string, value: string | undefined, type: string, loc: string) =>
        `${name.padStart(10)} ${(value ?? '<not set>').padStart(24)} ${(value ? type : 'None').padStart(16)}    ${value ? loc : 'None'}\n`;
      let out = row('Name', 'Value', 'Type', 'Location') + row('----', '-----', '----', '--------');
      const named = ctx.globals.profile ?? env['AWS_PROFILE'];
      out += row('profile', named, env['AWS_PROFILE'] && !args.includes('--profile') ? 'env' : 'manual', env['AWS_PROFILE'] ? 'AWS_PROFILE' : '--profile');
      const key = cfg['aws_access_key_id'] ?? 'AKIAEXAMPLENIMBUSKEY';
      const secret = cfg['aws_secret_access_key'] ?? 'nimbus/sandbox/secret/access/keyEXAMPLEKEY';
      out += row('access_key', mask(key), 'shared-credentials-file', '');
      out += row('secret_key', mask(secret), 'shared-credentials-file', '');
      let region: string | undefined;
      let type = 'config-file';
      let loc = '~/.aws/config';
      if (env['AWS_REGION']) [region, type, loc] = [env['AWS_REGION'], 'env', 'AWS_REGION'];
      else if (env['AWS_DEFAULT_REGION']) [region, type, loc] = [env['AWS_DEFAULT_REGION'], 'env', 'AWS_DEFAULT_REGION'];
      else region = cfg['region'];
      out += row('region', region, type, loc);
      ctx.out(out);
      return 0;
    },
  },
  {
    service: 'configure',
    name: 'list-profiles',
    summary: 'List the profile names the CLI knows.',
    usage: 'aws configure list-profiles\n',
    run(ctx) {
      const names = new Set(['default', ...configuredProfiles(ctx.sandbox)]);
      ctx.out([...names].map((n) => n + '\n').join(''));
      return 0;
    },
  },
];

for (const c of commands) registerAwsCustomCommand(c);

/** `aws configure` alone: reads the four answers from standard input when given, else explains. */
export const configureInteractive: AwsCustomCommand = {
  service: 'configure',
  name: '',
  summary: 'Set the access keys, default region and output format of a profile.',
  usage: 'aws configure [--profile PROFILE]\n',
  run(ctx, args) {
    const { profile } = profileOf(ctx, args);
    const cur = profileConfig(ctx.sandbox, profile) ?? {};
    const answers = ctx.stdin ? ctx.stdin.split('\n') : [];
    const prompts: [string, string, (v?: string) => string][] = [
      ['AWS Access Key ID', 'aws_access_key_id', (v) => (v ? mask(v)! : 'None')],
      ['AWS Secret Access Key', 'aws_secret_access_key', (v) => (v ? mask(v)! : 'None')],
      ['Default region name', 'region', (v) => v ?? 'None'],
      ['Default output format', 'output', (v) => v ?? 'None'],
    ];
    if (!answers.length) {
      ctx.out(
        'Nimbus needs no access keys: every command already runs as the sandbox administrator.\n' +
          'To change the defaults, use for example:\n\n  aws configure set region eu-west-1\n  aws configure set output table\n',
      );
      return 0;
    }
    prompts.forEach(([label, key, show], i) => {
      ctx.out(`${label} [${show(cur[key])}]: `);
      const a = (answers[i] ?? '').trim();
      if (a) setValue(ctx.sandbox, profile, key, a);
    });
    ctx.out('\n');
    return 0;
  },
};
