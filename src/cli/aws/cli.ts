/**
 * The `aws` command line, AWS CLI v2 style: global options, service and
 * command lookup, option parsing into API parameters (see params.ts), and a
 * plan of what to run. Shared by the `aws` command (main.ts) and the headless
 * runner's --parse mode (parse.ts).
 */
import type { Identity, Sandbox, StructureShape } from '../../engine';
import { ANONYMOUS_IDENTITY, ADMIN_IDENTITY } from '../../engine';
import { profileConfig, configureInteractive } from './configure';
import jmespath from 'jmespath';
import type { GlobalOptions, OutputFormat, AwsCustomCommand } from './custom';
import { awsCustomCommands, getAwsCustomCommand } from './custom';
import { cliServices, type CliCommand, type CliOption } from './model';
import { closeMatches, xformName } from './names';
import { KNOWN_OPERATIONS } from './known-operations';
import { CliError, unpackOption, loadCliInput, validateParams, type ParseOptions } from './params';
import { ScalarConversionError, toNumber } from './shorthand';
import { resolveProfile } from './profiles';
import { getWaiter, waitersOf, type WaiterDef } from './waiters';
import { HELP_TOPICS } from './help';

export const VERSION = 'aws-cli/2.17.0 Python/3.11.9 Linux/6.1 exe/x86_64.nimbus prompt/off';

export const USAGE =
  'aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n' +
  'To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n';

/** An argparse-style usage error (exit 252). */
export function usageError(message: string): CliError {
  return new CliError(`usage: ${USAGE}\naws: error: ${message}\n`, 252, true);
}
export function unknownOptions(opts: string[]): CliError {
  return new CliError(`usage: ${USAGE}\nUnknown options: ${opts.join(', ')}\n`, 252, true);
}

/** argparse's "Invalid choice" text, two choices a line, plus difflib suggestions. */
export function invalidChoice(arg: string, value: string, choices: string[], extraSuggestions: string[] = []): CliError {
  const lines: string[] = ['Invalid choice, valid choices are:\n'];
  for (let i = 0; i < choices.length; i += 2) {
    lines.push(
      choices
        .slice(i, i + 2)
        .map((c) => c.padEnd(40))
        .join(' | '),
    );
  }
  const possible = closeMatches(value, extraSuggestions.length ? [...new Set([...choices, ...extraSuggestions])] : choices, 3, 0.8);
  if (possible.length) {
    lines.push(`\n\nInvalid choice: '${value}', maybe you meant:\n`);
    for (const p of possible) lines.push(`  * ${p}`);
  }
  return usageError(`argument ${arg}: ${lines.join('\n')}`);
}

export const OUTPUT_FORMATS = ['json', 'text', 'table', 'yaml', 'yaml-stream', 'off'] as const;

interface GlobalSpec {
  takesValue: boolean;
  choices?: readonly string[];
  doc: string;
}

export const GLOBAL_OPTIONS: Record<string, GlobalSpec> = {
  '--debug': { takesValue: false, doc: 'Turn on debug logging: each request is shown on standard error.' },
  '--endpoint-url': { takesValue: true, doc: "Send requests to this URL instead of the service's default endpoint." },
  '--no-verify-ssl': { takesValue: false, doc: 'Do not verify TLS certificates (accepted; the sandbox has no network).' },
  '--no-paginate': { takesValue: false, doc: 'Make a single call and show only the first page of results.' },
  '--output': { takesValue: true, choices: OUTPUT_FORMATS, doc: 'The output format: json, text, table, yaml, yaml-stream or off.' },
  '--query': { takesValue: true, doc: 'A JMESPath expression applied to the response before it is printed.' },
  '--profile': { takesValue: true, doc: 'Use the identity of a named profile.' },
  '--region': { takesValue: true, doc: 'The region to send the request to (else AWS_REGION, AWS_DEFAULT_REGION, us-east-1).' },
  '--version': { takesValue: false, doc: 'Show the version of this tool.' },
  '--color': { takesValue: true, choices: ['on', 'off', 'auto'], doc: 'Turn coloured output on or off.' },
  '--no-sign-request': { takesValue: false, doc: 'Send requests unsigned, as an anonymous caller.' },
  '--ca-bundle': { takesValue: true, doc: 'A CA bundle for TLS verification (accepted, unused).' },
  '--cli-read-timeout': { takesValue: true, doc: 'Socket read timeout in seconds (accepted, unused).' },
  '--cli-connect-timeout': { takesValue: true, doc: 'Socket connect timeout in seconds (accepted, unused).' },
  '--cli-binary-format': { takesValue: true, choices: ['base64', 'raw-in-base64-out'], doc: 'How blob values are given: base64 (default) or raw-in-base64-out.' },
  '--no-cli-pager': { takesValue: false, doc: 'Do not send output to a pager.' },
  '--cli-auto-prompt': { takesValue: false, doc: 'Prompt for the command (not available in Nimbus).' },
  '--no-cli-auto-prompt': { takesValue: false, doc: 'Do not prompt for the command.' },
};

const GLOBAL_NAMES = Object.keys(GLOBAL_OPTIONS);

export interface AwsEnv {
  cwd: string;
  env: Readonly<Record<string, string>>;
  /** The profile's settings from `aws configure set` (region, output). */
  config?: (profile: string) => Record<string, string> | undefined;
}

export interface ParsedGlobals extends GlobalOptions {
  version: boolean;
  color: string;
  noSignRequest: boolean;
  rawBlobs: boolean;
  /** Table width: the terminal's COLUMNS when known, else 80 as the CLI assumes. */
  termWidth: number;
}

export type Plan =
  | { kind: 'version' }
  | { kind: 'help'; service?: string; command?: string }
  | { kind: 'custom'; cmd: AwsCustomCommand; args: string[]; globals: ParsedGlobals; identity: Identity }
  | { kind: 'wait'; waiter: WaiterDef; command: CliCommand; params: Record<string, unknown>; globals: ParsedGlobals; identity: Identity }
  | { kind: 'skeleton'; command: CliCommand; which: string; globals: ParsedGlobals }
  /** A real AWS command the sandbox does not simulate yet: the engine answers NotYetSimulated. */
  | { kind: 'unsimulated'; service: string; operation: string; globals: ParsedGlobals; identity: Identity }
  | {
      kind: 'op';
      command: CliCommand;
      params: Record<string, unknown>;
      globals: ParsedGlobals;
      identity: Identity;
      outfile?: string;
    };

/** Split out the global options (they may appear anywhere). */
export function parseGlobals(argv: string[], env: AwsEnv): { globals: ParsedGlobals; rest: string[] } {
  const e = env.env;
  const g: ParsedGlobals = {
    region: '',
    output: '' as OutputFormat,
    debug: false,
    paginate: true,
    version: false,
    color: 'auto',
    noSignRequest: false,
    rawBlobs: false,
    termWidth: Number(e['COLUMNS']) > 20 ? Number(e['COLUMNS']) : 80,
  };
  if (e['AWS_PROFILE']) g.profile = e['AWS_PROFILE'];
  // credentials in the environment win over AWS_PROFILE (--profile on the line still wins): see identities.ts
  if (e['AWS_ACCESS_KEY_ID']) g.profile = `env-key:${e['AWS_ACCESS_KEY_ID']}`;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    const eq = tok.startsWith('--') ? tok.indexOf('=') : -1;
    let name = eq > 0 ? tok.slice(0, eq) : tok;
    let spec = GLOBAL_OPTIONS[name];
    if (!spec && name.startsWith('--') && name.length > 2) {
      // argparse accepts a unique abbreviation of a global option (--reg for --region)
      const hits = GLOBAL_NAMES.filter((g) => g.startsWith(name));
      if (hits.length === 1) {
        name = hits[0]!;
        spec = GLOBAL_OPTIONS[name];
      } else if (hits.length > 1) throw usageError(`ambiguous option: ${name} could match ${hits.join(', ')}`);
    }
    if (!spec) {
      rest.push(tok);
      continue;
    }
    let value: string | undefined;
    if (spec.takesValue) {
      if (eq > 0) value = tok.slice(eq + 1);
      else {
        const next = argv[i + 1];
        if (next === undefined || (next.startsWith('-') && next.length > 1 && !/^-\d/.test(next))) throw usageError(`argument ${name}: expected one argument`);
        value = next;
        i++;
      }
      if (spec.choices && !spec.choices.includes(value)) throw invalidChoice(name, value, [...spec.choices]);
    } else if (eq > 0) {
      throw usageError(`argument ${name}: ignored explicit argument '${tok.slice(eq + 1)}'`);
    }
    switch (name) {
      case '--region':
        g.region = value!;
        break;
      case '--output':
        g.output = value as OutputFormat;
        break;
      case '--query':
        g.query = value!;
        break;
      case '--profile':
        g.profile = value!;
        break;
      case '--endpoint-url':
        g.endpointUrl = value!;
        break;
      case '--debug':
        g.debug = true;
        break;
      case '--no-paginate':
        g.paginate = false;
        break;
      case '--version':
        g.version = true;
        break;
      case '--color':
        g.color = value!;
        break;
      case '--no-sign-request':
        g.noSignRequest = true;
        break;
      case '--no-cli-pager':
        g.noCliPager = true;
        break;
      case '--cli-binary-format':
        g.rawBlobs = value === 'raw-in-base64-out';
        break;
    }
  }
  const cfg = env.config?.(g.profile ?? 'default');
  if (!g.region) g.region = e['AWS_REGION'] || e['AWS_DEFAULT_REGION'] || cfg?.['region'] || 'us-east-1';
  if (!g.output) {
    const o = e['AWS_DEFAULT_OUTPUT'] || cfg?.['output'];
    g.output = o && (OUTPUT_FORMATS as readonly string[]).includes(o) ? (o as OutputFormat) : 'json';
  }
  if (g.query !== undefined) {
    try {
      (jmespath as unknown as { compile(e: string): unknown }).compile(g.query);
    } catch (err) {
      throw new CliError(`Bad value for --query ${g.query}: ${(err as Error).message}`, 252);
    }
  }
  return { globals: g, rest };
}

/** The identity for the globals (profile, --no-sign-request); throws the CLI's profile error. */
export function identityFor(sandbox: Sandbox, g: ParsedGlobals): Identity {
  if (g.noSignRequest) return ANONYMOUS_IDENTITY;
  const id = resolveProfile(sandbox, g.profile) ?? (g.profile && profileConfig(sandbox, g.profile) ? ADMIN_IDENTITY : undefined);
  if (!id) throw new CliError(`The config profile (${g.profile}) could not be found`, 255);
  return id;
}

/** AWS CLI service words a learner may try that Nimbus does not simulate (for a clearer error). */
const OTHER_AWS_SERVICES = new Set(
  'acm apigateway apigatewayv2 appsync athena autoscaling backup batch bedrock cloudformation cloudfront codebuild codecommit codepipeline cognito-idp dynamodb ebs eks elasticache elasticbeanstalk elb emr firehose glue kinesis lambda lightsail organizations rds redshift route53 sagemaker secretsmanager ses sns sqs ssm stepfunctions textract'.split(' '),
);

const KNOWN_CACHE = new Map<string, Map<string, string>>();

/** The API operation a command word names in real AWS, when Nimbus does not declare it. */
export function knownOperation(service: string, word: string): string | undefined {
  let m = KNOWN_CACHE.get(service);
  if (!m) {
    m = new Map((KNOWN_OPERATIONS[service] ?? '').split(' ').filter(Boolean).map((op) => [xformName(op), op]));
    KNOWN_CACHE.set(service, m);
  }
  return m.get(word);
}

function knownWords(service: string): Iterable<string> {
  knownOperation(service, '');
  return KNOWN_CACHE.get(service)!.keys();
}

/** Every service word the CLI knows: API services and high-level command groups. */
export function serviceWords(sandbox: Sandbox): string[] {
  const words = new Set<string>(cliServices(sandbox).keys());
  for (const c of awsCustomCommands()) words.add(c.service);
  return [...words].sort();
}

/** Command words of a service: API commands, custom commands, 'wait' when it has waiters. */
export function commandWords(sandbox: Sandbox, service: string): string[] {
  const svc = cliServices(sandbox).get(service);
  const words = new Set<string>(svc ? svc.names : []);
  for (const c of awsCustomCommands(service)) words.add(c.name);
  if (svc && waitersOf(svc.def.name).length) words.add('wait');
  return [...words].sort();
}

const isOptionLike = (t: string) => t.startsWith('-') && t.length > 1 && !/^-\d/.test(t);

/** Resolve `--name`, `--name=value`, or a unique prefix of an option name. */
function lookupOption(cmd: CliCommand, name: string): CliOption | undefined {
  const exact = cmd.options.get(name);
  if (exact) return exact;
  const hits = [...cmd.options.keys()].filter((k) => k.startsWith(name));
  if (hits.length === 1) return cmd.options.get(hits[0]!);
  if (hits.length > 1) throw usageError(`ambiguous option: ${name} could match ${hits.join(', ')}`);
  return undefined;
}

interface RawArgs {
  values: Map<CliOption, string | string[] | boolean>;
  unknown: string[];
  positionals: string[];
}

function scanArgs(cmd: CliCommand, args: string[]): RawArgs {
  const values = new Map<CliOption, string | string[] | boolean>();
  const unknown: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const tok = args[i]!;
    if (!isOptionLike(tok)) {
      positionals.push(tok);
      continue;
    }
    const eq = tok.startsWith('--') ? tok.indexOf('=') : -1;
    const name = eq > 0 ? tok.slice(0, eq) : tok;
    const opt = tok.startsWith('--') ? lookupOption(cmd, name) : undefined;
    if (!opt) {
      unknown.push(tok);
      continue;
    }
    // later occurrences of the same member replace earlier ones (--x / --no-x included)
    for (const k of [...values.keys()]) if (k.member && k.member === opt.member) values.delete(k);
    if (opt.shape.type === 'boolean' && !opt.special) {
      if (eq > 0) throw usageError(`argument ${opt.name}: ignored explicit argument '${tok.slice(eq + 1)}'`);
      values.set(opt, !opt.negated);
      continue;
    }
    if (opt.special === 'generate-cli-skeleton') {
      const next = args[i + 1];
      if (eq > 0) values.set(opt, tok.slice(eq + 1));
      else if (next !== undefined && ['input', 'output', 'yaml-input'].includes(next)) {
        values.set(opt, next);
        i++;
      } else values.set(opt, 'input');
      const v = values.get(opt) as string;
      if (!['input', 'output', 'yaml-input'].includes(v)) throw invalidChoice(opt.name, v, ['input', 'output', 'yaml-input']);
      continue;
    }
    if (opt.shape.type === 'list' && !opt.special) {
      const list: string[] = [];
      if (eq > 0) list.push(tok.slice(eq + 1));
      else while (i + 1 < args.length && !isOptionLike(args[i + 1]!)) list.push(args[++i]!);
      if (!list.length) throw usageError(`argument ${opt.name}: expected at least one argument`);
      values.set(opt, list);
      continue;
    }
    if (eq > 0) values.set(opt, tok.slice(eq + 1));
    else {
      const next = args[i + 1];
      if (next === undefined || isOptionLike(next)) throw usageError(`argument ${opt.name}: expected one argument`);
      values.set(opt, next);
      i++;
    }
  }
  return { values, unknown, positionals };
}

/** The options of a command turned into API parameters (and the CLI-only values). */
export function buildParams(
  sandbox: Sandbox,
  env: AwsEnv,
  cmd: CliCommand,
  args: string[],
  globals: ParsedGlobals,
): { params: Record<string, unknown>; skeleton?: string; outfile?: string; positionals: string[] } {
  if (args.length === 0) {
    // fast path: nothing to parse
    const missing = cmd.required.map((o) => o.name);
    if (cmd.outfile) missing.push('outfile');
    if (missing.length) throw usageError(`the following arguments are required: ${missing.join(', ')}`);
    return { params: {}, positionals: [] };
  }
  const raw = scanArgs(cmd, args);
  const specials = new Map<string, string>();
  for (const [o, v] of raw.values) if (o.special) specials.set(o.special, v as string);
  const skeleton = specials.get('generate-cli-skeleton');
  const relaxed = skeleton !== undefined || specials.has('cli-input-json') || specials.has('cli-input-yaml');
  const positionals = [...raw.positionals];
  let outfile: string | undefined;
  if (cmd.outfile && positionals.length) outfile = positionals.shift();
  if (!relaxed) {
    const missing = cmd.required.filter((o) => !raw.values.has(o)).map((o) => o.name);
    if (cmd.outfile && outfile === undefined) missing.push('outfile');
    if (missing.length) throw usageError(`the following arguments are required: ${missing.join(', ')}`);
  }
  if (raw.unknown.length || positionals.length) throw unknownOptions([...raw.unknown, ...positionals]);
  const opts: ParseOptions = { files: { sandbox, cwd: env.cwd }, rawBlobs: globals.rawBlobs };
  const params: Record<string, unknown> = {};
  const input = cmd.op.input as StructureShape;
  // in the command's option order, as the CLI builds its call parameters
  for (const opt of cmd.options.values()) {
    const v = raw.values.get(opt);
    if (v === undefined || opt.special || opt.custom) continue;
    if (typeof v === 'boolean') {
      params[opt.member] = v;
      continue;
    }
    try {
      params[opt.member] = unpackOption(opt.shape, opt.name, v, opts);
    } catch (e) {
      if (e instanceof ScalarConversionError) throw new CliError(e.message, 255);
      throw e;
    }
  }
  if (cmd.customization) {
    const given = [...raw.values.entries()].filter(([o]) => o.custom);
    cmd.customization.check?.(params, given.map(([o]) => o.name));
    for (const [o, v] of given) o.custom!.addToParams(params, v as string);
  }
  for (const [which, name] of [
    ['cli-input-json', '--cli-input-json'],
    ['cli-input-yaml', '--cli-input-yaml'],
  ] as const) {
    const text = specials.get(which);
    if (text === undefined) continue;
    const loaded = loadCliInput(text, name, which === 'cli-input-yaml', input, opts);
    for (const [k, v] of Object.entries(loaded)) if (!(k in params)) params[k] = v;
  }
  const num = (name: 'page-size' | 'max-items') => {
    const t = specials.get(name);
    if (t === undefined) return undefined;
    try {
      return toNumber(t, true);
    } catch (e) {
      throw new CliError((e as Error).message, 255);
    }
  };
  const pageSize = num('page-size');
  const maxItems = num('max-items');
  if (pageSize !== undefined) globals.pageSize = pageSize;
  if (maxItems !== undefined) globals.maxItems = maxItems;
  const st = specials.get('starting-token');
  if (st !== undefined) globals.startingToken = st;
  for (const m of cmd.pagingMembers) if (params[m] !== undefined) globals.paginate = false;
  return { params, skeleton, outfile, positionals };
}

/** Validate as botocore does before sending (exit 252 with its report). */
export function checkParams(cmd: CliCommand, params: Record<string, unknown>): void {
  const errors = validateParams(params, cmd.op.input as StructureShape);
  if (errors.length) throw new CliError(`Parameter validation failed:\n${errors.join('\n')}`, 252);
}

/** Parse a whole `aws` argv (without the word `aws`) into a plan. Throws CliError. */
export function planInvocation(sandbox: Sandbox, envIn: AwsEnv, argv: string[]): Plan {
  const env: AwsEnv = envIn.config ? envIn : { ...envIn, config: (p) => profileConfig(sandbox, p) };
  const { globals, rest } = parseGlobals(argv, env);
  if (globals.version) return { kind: 'version' };
  const svcIdx = rest.findIndex((t) => !isOptionLike(t));
  if (svcIdx < 0) throw usageError('the following arguments are required: command');
  const word = rest[svcIdx]!;
  const after = [...rest.slice(0, svcIdx), ...rest.slice(svcIdx + 1)];
  if (word === 'help') {
    if (after.length === 1 && HELP_TOPICS[after[0]!]) return { kind: 'help', service: `topic:${after[0]}` };
    if (after.length) throw unknownOptions(after);
    return { kind: 'help' };
  }
  if (!cliServices(sandbox).has(word) && !awsCustomCommands(word).length) {
    const err = invalidChoice('command', word, serviceWords(sandbox));
    if (!OTHER_AWS_SERVICES.has(word)) throw err;
    throw new CliError(`${err.message}\nNimbus does not simulate the ${word} service: the sandbox covers ${serviceWords(sandbox).join(', ')}.\n`, 252, true);
  }
  const opIdx = after.findIndex((t) => !isOptionLike(t));
  if (word === 'configure' && (opIdx < 0 || !getAwsCustomCommand('configure', after[opIdx]!) && after[opIdx] !== 'help')) {
    return { kind: 'custom', cmd: configureInteractive, args: after, globals, identity: ADMIN_IDENTITY };
  }
  if (opIdx < 0) throw usageError('the following arguments are required: operation');
  const opWord = after[opIdx]!;
  const args = [...after.slice(0, opIdx), ...after.slice(opIdx + 1)];
  if (opWord === 'help') {
    if (args.length) throw unknownOptions(args);
    return { kind: 'help', service: word };
  }
  const custom = getAwsCustomCommand(word, opWord);
  if (custom) {
    if (args.length === 1 && args[0] === 'help') return { kind: 'help', service: word, command: opWord };
    // `aws configure ... --profile new` creates the profile: no identity lookup there
    return { kind: 'custom', cmd: custom, args, globals, identity: word === 'configure' ? ADMIN_IDENTITY : identityFor(sandbox, globals) };
  }
  const svc = cliServices(sandbox).get(word);
  if (opWord === 'wait' && svc && waitersOf(svc.def.name).length) {
    const names = waitersOf(svc.def.name).map((w) => w.name);
    const wIdx = args.findIndex((t) => !isOptionLike(t));
    if (wIdx < 0) throw usageError('the following arguments are required: subcommand');
    const wName = args[wIdx]!;
    const wArgs = [...args.slice(0, wIdx), ...args.slice(wIdx + 1)];
    if (wName === 'help') return { kind: 'help', service: word, command: 'wait' };
    const waiter = getWaiter(svc.def.name, wName);
    if (!waiter) throw invalidChoice('subcommand', wName, names);
    const command = [...svc.commands.values()].find((c) => c.op.name === waiter.operation);
    if (!command) throw new CliError(`The waiter ${wName} needs the ${waiter.operation} operation, which Nimbus does not simulate yet.`, 255);
    if (wArgs.length === 1 && wArgs[0] === 'help') return { kind: 'help', service: word, command: `wait ${wName}` };
    const built = buildParams(sandbox, env, command, wArgs, globals);
    if (built.skeleton) return { kind: 'skeleton', command, which: built.skeleton, globals };
    checkParams(command, built.params);
    return { kind: 'wait', waiter, command, params: built.params, globals, identity: identityFor(sandbox, globals) };
  }
  const cmd = svc?.commands.get(opWord);
  if (svc && !cmd) {
    const known = knownOperation(svc.def.name, opWord);
    if (known) {
      if (args.length === 1 && args[0] === 'help') return { kind: 'help', service: word, command: opWord };
      return { kind: 'unsimulated', service: svc.def.name, operation: known, globals, identity: identityFor(sandbox, globals) };
    }
  }
  if (!svc || !cmd) {
    const extra = svc ? [...knownWords(svc.def.name)] : [];
    throw invalidChoice('operation', opWord, commandWords(sandbox, word), extra);
  }
  if (args.length === 1 && args[0] === 'help') return { kind: 'help', service: word, command: opWord };
  const built = buildParams(sandbox, env, cmd, args, globals);
  if (built.skeleton) return { kind: 'skeleton', command: cmd, which: built.skeleton, globals };
  checkParams(cmd, built.params);
  return { kind: 'op', command: cmd, params: built.params, globals, identity: identityFor(sandbox, globals), outfile: built.outfile };
}
