/**
 * The `aws` command: runs a plan from cli.ts against the sandbox and prints
 * the result the way AWS CLI v2 does (exit codes 0 / 252 / 254 / 255).
 */
import jmespath from 'jmespath';
import type { ApiResponse, Identity } from '../../engine';
import { isRegion, isoTime, resolvePath, REGIONS, FsError } from '../../engine';
import type { CommandContext } from '../types';
import { registerCommand } from '../commands/registry';
import type { AwsCommandContext } from './custom';
import { planInvocation, VERSION, type ParsedGlobals, type Plan } from './cli';
import { CliError, skeleton as makeSkeleton, pyRepr } from './params';
import { formatOutput, formatYaml } from './format';
import { pyStr } from './shorthand';
import { paginate, type Paged } from './paginate';
import { runWaiter } from './waiters';
import { renderHelp } from './help';
import { completeAws } from './complete';
import { parseAwsInvocation, parseCapture } from './parse';
import { routeRequest, transferReport } from './network';
import { debugDenialNote, denialsSoFar } from './denials';
import { checkBucketParam, LIST_ENCODED, decodeListing } from './botocore';

const ENDPOINT_PREFIX: Record<string, string> = { ecr: 'api.ecr', elbv2: 'elasticloadbalancing', cloudwatch: 'monitoring' };
const GLOBAL_SERVICES = new Set(['iam']);

/** The endpoint the real CLI would connect to (S3 uses the bucket's virtual host). */
function endpointFor(service: string, region: string, params: Record<string, unknown> = {}): string {
  if (GLOBAL_SERVICES.has(service)) return `https://${service}.amazonaws.com/`;
  if (service === 's3' && typeof params['Bucket'] === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(params['Bucket'])) {
    const key = typeof params['Key'] === 'string' ? params['Key'].split('/').map(encodeURIComponent).join('/') : '';
    return `https://${params['Bucket']}.s3.${region}.amazonaws.com/${key}`;
  }
  return `https://${ENDPOINT_PREFIX[service] ?? service}.${region}.amazonaws.com/`;
}

/** Real AWS regions the sandbox does not simulate get a clear message instead of a connection error. */
const REAL_REGIONS = new Set(
  'af-south-1 ap-east-1 ap-east-2 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-3 ap-southeast-4 ap-southeast-5 ap-southeast-7 ca-central-1 ca-west-1 eu-central-2 eu-north-1 eu-south-1 eu-south-2 eu-west-3 il-central-1 me-central-1 me-south-1 mx-central-1 us-gov-east-1 us-gov-west-1'.split(' '),
);

/** Region checks botocore makes before sending: format, then "DNS" (unknown regions). */
function checkRegion(service: string, g: ParsedGlobals, params: Record<string, unknown> = {}): void {
  if (!/^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$/.test(g.region)) {
    throw new CliError(`Provided region_name '${g.region}' doesn't match a supported format.`, 255);
  }
  if (!isRegion(g.region) && !GLOBAL_SERVICES.has(service)) {
    if (REAL_REGIONS.has(g.region)) {
      throw new CliError(
        `Could not connect to the endpoint URL: "${g.endpointUrl ?? endpointFor(service, g.region, params)}"\n` +
          `(Nimbus simulates these regions only: ${REGIONS.map((r) => r.name).join(', ')}.)`,
        255,
      );
    }
    throw new CliError(`Could not connect to the endpoint URL: "${g.endpointUrl ?? endpointFor(service, g.region, params)}"`, 255);
  }
}

function debugTime(ms: number): string {
  return isoTime(ms).slice(0, 19).replace('T', ' ') + ',' + String(ms % 1000).padStart(3, '0');
}

/** Print the result as --output and --query say. */
function render(data: unknown, g: ParsedGlobals, title: string): string {
  const d = g.query !== undefined ? jmespath.search(data as never, g.query) : data;
  return formatOutput(d, g.output, title, g.termWidth);
}

/** The text format prints a paginated result page by page, --query applied to each (as the CLI does). */
function renderPaged(paged: Paged, g: ParsedGlobals, title: string): string {
  if (g.output !== 'text') return render(paged.full, g, title);
  let out = '';
  for (const page of paged.pages) out += render(page, g, title);
  if (paged.resumeToken) out += render({ NextToken: { NextToken: paged.resumeToken } }, g, title);
  return out;
}

/** errno and strerror of the file errors Python reports when it opens a file. */
const PY_ERRNO: Partial<Record<FsError['reason'], [number, string]>> = {
  ENOENT: [2, 'No such file or directory'],
  EISDIR: [21, 'Is a directory'],
  ENOTDIR: [20, 'Not a directory'],
  EFBIG: [27, 'File too large'],
};

function serviceError(err: { code: string; message: string }, operation: string): string {
  return `\nAn error occurred (${err.code}) when calling the ${operation} operation: ${err.message}\n`;
}

function makeCaller(ctx: CommandContext, g: ParsedGlobals, identity: Identity) {
  return (service: string, operation: string, inputIn: Record<string, unknown>): ApiResponse => {
    if (service === 's3') checkBucketParam(inputIn);
    const autoEncoding = service === 's3' && operation in LIST_ENCODED && inputIn['EncodingType'] === undefined;
    const input = autoEncoding ? { ...inputIn, EncodingType: 'url' } : inputIn;
    if (g.debug) {
      const t = debugTime(ctx.sandbox.now());
      ctx.err(
        `${t} - MainThread - botocore.endpoint - DEBUG - Making request for OperationModel(name=${operation}) with params: ` +
          `{'url': '${g.endpointUrl ?? endpointFor(service, g.region, input)}', 'region': '${g.region}', 'identity': '${identity.arn}', 'body': ${JSON.stringify(input, (_k, v) => (v instanceof Uint8Array ? `<${v.byteLength} bytes>` : v))}}\n`,
      );
    }
    const denials = g.debug ? denialsSoFar(ctx.sandbox) : 0;
    const route = routeRequest(ctx.sandbox, service, g.region, input, g.endpointUrl, g.profile);
    if (g.debug) for (const l of route.debug) ctx.err(`${debugTime(ctx.sandbox.now())} - MainThread - nimbus.network - DEBUG - ${l}\n`);
    if (route.connectError) throw new CliError(`Could not connect to the endpoint URL: "${route.url ?? g.endpointUrl ?? endpointFor(service, g.region, input)}"`, 255);
    const r = ctx.sandbox.call({ service, operation, input, identity, region: g.region, ...(route.requestContext ? { requestContext: route.requestContext } : {}) });
    const report = service === 's3' ? transferReport(ctx.sandbox, operation, input, r, !!route.url) : undefined;
    if (report) ctx.err(report);
    if (g.debug) {
      const t = debugTime(ctx.sandbox.now());
      ctx.err(
        r.ok
          ? `${t} - MainThread - botocore.parsers - DEBUG - Response: 200 OK\n`
          : `${t} - MainThread - botocore.parsers - DEBUG - Response: ${r.error.httpStatus} ${r.error.code}\n`,
      );
      if (!r.ok) ctx.err(debugDenialNote(ctx.sandbox, denials, t));
    }
    return autoEncoding && r.ok ? { ...r, output: decodeListing(operation, r.output) } : r;
  };
}

function awsContext(ctx: CommandContext, g: ParsedGlobals, identity: Identity, title: { op: string }): AwsCommandContext {
  const call = makeCaller(ctx, g, identity);
  return {
    ...ctx,
    session: ctx.session,
    sandbox: ctx.sandbox,
    // read lazily: `aws s3 cp - s3://...` reads stdin as bytes, other commands as text
    get stdin() {
      return ctx.stdin;
    },
    get stdinBytes() {
      return ctx.stdinBytes;
    },
    cwd: ctx.cwd,
    env: ctx.env,
    out: ctx.out,
    err: ctx.err,
    effect: ctx.effect,
    globals: g,
    identity,
    call: (service, operation, input) => {
      title.op = operation;
      checkRegion(service, g, input);
      return call(service, operation, input);
    },
    callAll: (service, operation, input) => {
      title.op = operation;
      checkRegion(service, g, input);
      const pg = ctx.sandbox.operation(service, operation)?.paginator;
      if (!pg) return call(service, operation, input);
      const r = paginate(pg, input, {}, (i) => call(service, operation, i));
      return r.ok ? { ok: true, output: r.output } : r;
    },
    print: (result) => ctx.out(render(result, g, title.op)),
    printError: (error, operation) => {
      ctx.err(serviceError(error, operation));
      return 254;
    },
  };
}

function execute(ctx: CommandContext, plan: Plan): number {
  switch (plan.kind) {
    case 'version':
      ctx.out(VERSION + '\n');
      return 0;
    case 'help':
      ctx.out(renderHelp(ctx.sandbox, plan.service, plan.command));
      return 0;
    case 'custom': {
      const title = { op: plan.cmd.name };
      return plan.cmd.run(awsContext(ctx, plan.globals, plan.identity, title), plan.args);
    }
    case 'skeleton': {
      const { command, which } = plan;
      if (which === 'output') {
        throw new CliError(`--generate-cli-skeleton output is not available in Nimbus for ${command.name}: the sandbox does not declare output shapes.`, 252);
      }
      const skel = makeSkeleton(command.op.input);
      ctx.out(which === 'yaml-input' ? formatYaml(skel) : JSON.stringify(skel, null, 4) + '\n');
      return 0;
    }
    case 'unsimulated': {
      const { service, operation, globals: g, identity } = plan;
      checkRegion(service, g);
      const r = makeCaller(ctx, g, identity)(service, operation, {});
      if (r.ok) {
        ctx.out(render(r.output, g, operation));
        return 0;
      }
      ctx.err(serviceError(r.error, operation));
      return 254;
    }
    case 'wait': {
      const { waiter, command, params, globals: g, identity } = plan;
      checkRegion(command.service.name, g, params);
      const call = makeCaller(ctx, g, identity);
      const res = runWaiter(
        waiter,
        () => call(command.service.name, command.op.name, params),
        (ms) => ctx.sandbox.advance(ms),
      );
      if (res.ok) return 0;
      ctx.err(`\n${res.message}\n`);
      return 255;
    }
    case 'op': {
      const { command, params, globals: g, identity } = plan;
      const svc = command.service.name;
      checkRegion(svc, g, params);
      const call = makeCaller(ctx, g, identity);
      const pg = command.op.paginator;
      let r: ApiResponse;
      let paged: Paged | undefined;
      if (pg && g.paginate) {
        const p = paginate(pg, params, { maxItems: g.maxItems, startingToken: g.startingToken, pageSize: g.pageSize }, (input) => call(svc, command.op.name, input));
        r = p;
        if (p.ok) paged = p.paged;
      } else r = call(svc, command.op.name, params);
      if (!r.ok) {
        ctx.err(serviceError(r.error, command.op.name));
        return 254;
      }
      let output = r.output;
      if (plan.outfile !== undefined && output && typeof output === 'object') {
        const { Body, ...rest } = output as Record<string, unknown>;
        const abs = resolvePath(plan.outfile, ctx.cwd);
        try {
          ctx.sandbox.mutate((sb) => {
            if (Body instanceof Uint8Array) sb.vfs.writeBytes(abs, Body);
            else if (typeof Body === 'string') sb.vfs.writeText(abs, Body);
            else sb.vfs.writeBytes(abs, new Uint8Array());
          });
        } catch (e) {
          // Python's open(outfile, 'wb') failing, after the object was fetched
          if (e instanceof FsError && PY_ERRNO[e.reason]) throw new CliError(`[Errno ${PY_ERRNO[e.reason]![0]}] ${PY_ERRNO[e.reason]![1]}: ${pyStr(plan.outfile)}`, 255);
          throw e;
        }
        output = rest;
      }
      ctx.out(paged ? renderPaged(paged, g, command.op.name) : render(output, g, command.op.name));
      return 0;
    }
  }
}

/** Run `aws ARGV...` in a command context; returns the exit code. */
export function runAws(ctx: CommandContext, argv: string[]): number {
  const cap = parseCapture();
  if (cap) {
    const r = parseAwsInvocation(ctx.sandbox, { cwd: ctx.cwd, env: ctx.env }, argv);
    cap(r);
    if (!r.ok) ctx.err(r.stderr);
    return r.ok ? 0 : r.exitCode;
  }
  if (argv.includes('--debug')) {
    const t = debugTime(ctx.sandbox.now());
    ctx.err(`${t} - MainThread - awscli.clidriver - DEBUG - CLI version: ${VERSION}\n`);
    ctx.err(`${t} - MainThread - awscli.clidriver - DEBUG - Arguments entered to CLI: [${argv.map((a) => pyStr(a)).join(', ')}]\n`);
  }
  try {
    const plan = planInvocation(ctx.sandbox, { cwd: ctx.cwd, env: ctx.env }, argv);
    return execute(ctx, plan);
  } catch (e) {
    if (e instanceof CliError) {
      ctx.err(`\n${e.message}\n`);
      return e.exitCode;
    }
    ctx.err(`\n${e instanceof Error ? e.message : pyRepr(e)}\n`);
    return 255;
  }
}

registerCommand({
  name: 'aws',
  summary: 'the AWS command line interface (v2) against the simulated cloud',
  usage: 'aws [options] <command> <subcommand> [parameters]\n\nRun `aws help` for the services and global options.\n',
  run: runAws,
  complete: (ctx, argv, partial) => completeAws(ctx, argv, partial),
});

