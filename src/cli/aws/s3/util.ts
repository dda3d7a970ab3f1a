/** Shared pieces of the high-level `aws s3` commands: argument parsing, paths, filters, sizes. */
import { resolvePath, dirname, basename, HOME } from '../../../engine';
import type { AwsCommandContext } from '../custom';

export const USAGE_TEXT = `usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  aws help
  aws <command> help
  aws <command> <subcommand> help
`;

/** Print an argparse-style usage error (exit 252). */
export function usage(ctx: AwsCommandContext, message: string): number {
  ctx.err(`\n${USAGE_TEXT}\naws: error: ${message}\n`);
  return 252;
}

export interface Parsed {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string[]>;
}

/** Options taking a value; all others are flags. */
const VALUE_OPTS = new Set([
  '--exclude',
  '--include',
  '--storage-class',
  '--content-type',
  '--cache-control',
  '--content-disposition',
  '--content-encoding',
  '--content-language',
  '--expires',
  '--metadata',
  '--metadata-directive',
  '--acl',
  '--sse',
  '--sse-kms-key-id',
  '--website-redirect',
  '--expires-in',
  '--page-size',
  '--grants',
  '--request-payer',
  '--expected-size',
  '--copy-props',
  '--sse-c',
  '--sse-c-key',
  '--sse-c-copy-source',
  '--sse-c-copy-source-key',
  '--checksum-algorithm',
  '--checksum-mode',
]);

/** Split args into positionals, flags and option values; returns an error message for unknown options. */
export function parseArgs(args: string[], allowed: readonly string[]): Parsed | { error: string } {
  const out: Parsed = { positionals: [], flags: new Set(), values: new Map() };
  const unknown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (!allowed.includes(name)) {
        unknown.push(a);
        if (VALUE_OPTS.has(name) && eq < 0) i++;
        continue;
      }
      if (VALUE_OPTS.has(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) return { error: `argument ${name}: expected one argument` };
        const list = out.values.get(name) ?? [];
        list.push(v);
        out.values.set(name, list);
      } else out.flags.add(name);
    } else out.positionals.push(a);
  }
  if (unknown.length) return { error: `Unknown options: ${unknown.join(', ')}` };
  return out;
}

export const one = (p: Parsed, name: string): string | undefined => p.values.get(name)?.at(-1);

export interface S3Path {
  bucket: string;
  key: string;
}

export const isS3 = (p: string) => p.startsWith('s3://');

export function parseS3(p: string): S3Path {
  const rest = p.slice(5);
  const i = rest.indexOf('/');
  return i < 0 ? { bucket: rest, key: '' } : { bucket: rest.slice(0, i), key: rest.slice(i + 1) };
}

export const s3Url = (bucket: string, key: string) => `s3://${bucket}/${key}`;

/** How the CLI shows a local path: relative to the current folder, `./a.txt`. */
export function displayLocal(abs: string, cwd: string): string {
  const dir = relDir(dirname(abs), cwd);
  return `${dir}/${basename(abs)}`;
}

function relDir(dir: string, cwd: string): string {
  if (dir === cwd) return '.';
  const a = dir.split('/').filter(Boolean);
  const b = cwd.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = b.length - i;
  const parts = [...Array(up).fill('..'), ...a.slice(i)];
  return parts.length ? parts.join('/') : '.';
}

export const absLocal = (p: string, cwd: string) => resolvePath(p, cwd || HOME);

/** fnmatch as Python has it: `*` matches anything (slashes too), `?` one character, `[...]` a set. */
export function fnmatch(name: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const j = pattern.indexOf(']', i + 2);
      if (j < 0) re += '\\[';
      else {
        let set = pattern.slice(i + 1, j);
        if (set.startsWith('!')) set = '^' + set.slice(1);
        re += `[${set.replace(/\\/g, '\\\\')}]`;
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's').test(name);
}

/**
 * The CLI's --exclude/--include: every file starts included, each filter in
 * the order given may change that, so the last matching filter wins.
 * Patterns are relative to the source folder or prefix.
 */
export function makeFilter(args: string[]): (rel: string) => boolean {
  const filters: { include: boolean; pattern: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--(exclude|include)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const v = m[2] ?? args[++i];
    if (v !== undefined) filters.push({ include: m[1] === 'include', pattern: v });
  }
  return (rel) => {
    let ok = true;
    for (const f of filters) if (fnmatch(rel, f.pattern)) ok = f.include;
    return ok;
  };
}

/** Sizes as `aws s3 ls --human-readable` prints them. */
export function humanSize(n: number): string {
  if (n === 1) return '1 Byte';
  if (n < 1024) return `${n} Bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(1)} ${units[u]}`;
}

/** `a=1,b=2` or JSON `{"a":"1"}` for --metadata. */
export function parseMetadata(text: string): Record<string, string> {
  const t = text.trim();
  if (t.startsWith('{')) {
    const o = JSON.parse(t) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
  }
  const out: Record<string, string> = {};
  for (const part of t.split(',')) {
    if (!part) continue;
    const i = part.indexOf('=');
    if (i < 0) throw new Error(`Error parsing parameter '--metadata': Expected: '=', received: 'EOF' for input:\n${text}`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}
