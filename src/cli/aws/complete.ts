/**
 * Tab completion for `aws`: services, commands (+ help, wait), options not yet
 * used, enum values, region and output names, and resource names through the
 * completers registry (completers.ts).
 */
import type { Shape } from '../../engine';
import { REGIONS, resolvePath } from '../../engine';
import type { CompletionContext } from '../types';
import { getAwsCustomCommand } from './custom';
import { cliServices, type CliCommand, type CliOption } from './model';
import { GLOBAL_OPTIONS, OUTPUT_FORMATS, serviceWords, commandWords } from './cli';
import { waitersOf, getWaiter } from './waiters';
import { getCompleter } from './completers';
import { configuredProfiles } from './configure';
import { knownProfiles } from './identities';

const starts = (list: readonly string[], p: string) => list.filter((x) => x.startsWith(p));

/** Home-folder paths for a partial path (folders end with '/'). */
function fileNames(ctx: CompletionContext, partial: string): string[] {
  const vfs = ctx.sandbox.vfs;
  const slash = partial.lastIndexOf('/');
  const dirPart = slash >= 0 ? partial.slice(0, slash + 1) : '';
  const namePart = partial.slice(slash + 1);
  const dir = resolvePath(dirPart || '.', ctx.cwd);
  if (!vfs.isDir(dir)) return [];
  return vfs
    .list(dir)
    .filter((n) => n.startsWith(namePart) && (!n.startsWith('.') || namePart.startsWith('.')))
    .map((n) => dirPart + n + (vfs.isDir(dir === '/' ? '/' + n : `${dir}/${n}`) ? '/' : ''));
}

function paramfileNames(ctx: CompletionContext, partial: string): string[] | undefined {
  for (const prefix of ['file://', 'fileb://']) {
    if (partial.startsWith(prefix)) return fileNames(ctx, partial.slice(prefix.length)).map((f) => prefix + f);
  }
  return undefined;
}

function valueCandidates(ctx: CompletionContext, region: string, shape: Shape, partial: string): string[] {
  const pf = paramfileNames(ctx, partial);
  if (pf) return pf;
  if ((shape.type === 'blob' && shape.streaming) || shape.complete === 'file') return fileNames(ctx, partial);
  let s: Shape = shape;
  if (s.type === 'list') s = s.member as Shape;
  if (s.type === 'string' && s.enum) return starts(s.enum, partial);
  if (s.type === 'boolean') return starts(['true', 'false'], partial);
  if (s.complete) {
    if (s.complete === 'region') return starts(REGIONS.map((r) => r.name), partial);
    const fn = getCompleter(s.complete);
    if (fn) {
      try {
        return starts(fn(ctx.sandbox, region, partial), partial);
      } catch {
        return [];
      }
    }
  }
  return [];
}

export function completeAws(ctx: CompletionContext, argvIn: string[], partial: string): string[] {
  const argv = argvIn[0] === 'aws' ? argvIn.slice(1) : argvIn;
  let region = ctx.session?.region ?? 'us-east-1';
  const positionals: string[] = [];
  const words: string[] = [];
  let pendingGlobal: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const spec = GLOBAL_OPTIONS[w];
    if (spec) {
      if (spec.takesValue) {
        if (i + 1 < argv.length) {
          if (w === '--region') region = argv[i + 1]!;
          i++;
        } else pendingGlobal = w;
      }
      continue;
    }
    words.push(w);
    if (!w.startsWith('-')) positionals.push(w);
  }
  if (pendingGlobal) {
    if (pendingGlobal === '--region') return starts(REGIONS.map((r) => r.name), partial);
    if (pendingGlobal === '--output') return starts(OUTPUT_FORMATS, partial);
    if (pendingGlobal === '--profile') return starts([...new Set(['default', ...configuredProfiles(ctx.sandbox), ...knownProfiles(ctx.sandbox).map((p) => p.name)])], partial);
    const ch = GLOBAL_OPTIONS[pendingGlobal]?.choices;
    return ch ? starts(ch, partial) : [];
  }
  const service = words.find((w) => !w.startsWith('-'));
  if (!service) {
    if (partial.startsWith('-')) return starts(Object.keys(GLOBAL_OPTIONS), partial);
    return starts([...serviceWords(ctx.sandbox), 'help'], partial);
  }
  const afterService = words.slice(words.indexOf(service) + 1);
  const command = afterService.find((w) => !w.startsWith('-'));
  if (!command) {
    if (partial.startsWith('-')) return starts(Object.keys(GLOBAL_OPTIONS), partial);
    return starts([...commandWords(ctx.sandbox, service), 'help'], partial);
  }
  const svc = cliServices(ctx.sandbox).get(service);
  let rest = afterService.slice(afterService.indexOf(command) + 1);
  let cmd: CliCommand | undefined;
  if (command === 'wait' && svc) {
    const wName = rest.find((w) => !w.startsWith('-'));
    if (!wName) return starts(waitersOf(svc.def.name).map((w) => w.name), partial);
    const waiter = getWaiter(svc.def.name, wName);
    cmd = waiter ? [...svc.commands.values()].find((c) => c.op.name === waiter.operation) : undefined;
    rest = rest.slice(rest.indexOf(wName) + 1);
  } else {
    const custom = getAwsCustomCommand(service, command);
    if (custom) {
      if (custom.complete) {
        try {
          return custom.complete(
            Object.assign({}, ctx, { globals: { region, output: 'json', debug: false, paginate: true } }) as never,
            rest,
            partial,
          );
        } catch {
          return [];
        }
      }
      return partial.startsWith('-') ? starts(custom.options ?? [], partial) : [];
    }
    cmd = svc?.commands.get(command);
  }
  if (!cmd) return [];
  // the option whose value is being typed
  let current: CliOption | undefined;
  for (const w of rest) {
    if (w.startsWith('--')) current = cmd.options.get(w);
    else if (current && current.shape.type !== 'list') current = undefined;
  }
  if (current && current.shape.type === 'boolean') current = undefined;
  if (current && !partial.startsWith('-')) {
    if (current.special === 'generate-cli-skeleton') return starts(['input', 'output', 'yaml-input'], partial);
    if (current.special === 'cli-input-json' || current.special === 'cli-input-yaml') return paramfileNames(ctx, partial) ?? starts(['file://'], partial);
    if (current.special) return [];
    return valueCandidates(ctx, region, current.shape, partial);
  }
  if (partial.startsWith('-') || partial === '') {
    const used = new Set(rest.filter((w) => w.startsWith('--')).map((w) => cmd!.options.get(w)?.member ?? w));
    const names = cmd.ordered
      .filter((o) => !(o.member && used.has(o.member)) && !used.has(o.name))
      .map((o) => o.name);
    const opts = starts(names, partial || '--');
    // a command with an outfile (s3api get-object) takes a file name after its options
    if (partial === '' && cmd.outfile) return [...opts, ...fileNames(ctx, '')];
    return opts;
  }
  if (cmd.outfile) return fileNames(ctx, partial);
  return [];
}
