/** Shared helpers for the shell builtins: option parsing, coreutils-style errors, input reading. */
import type { CommandContext, CommandDef } from '../types';
import { registerCommand } from './registry';
import { resolvePath, FsError } from '../../engine';
import { utf8 } from '../../engine/store/blobs';

export interface OptSpec {
  /** Single-letter boolean flags, e.g. 'alhR1'. */
  flags?: string;
  /** Single-letter options taking a value, e.g. 'n'. */
  values?: string;
  /** Long options mapped to a letter (or to themselves). Ending with '=' takes a value. */
  long?: Record<string, string>;
}

export interface ParsedOpts {
  flags: Set<string>;
  values: Map<string, string>;
  args: string[];
}

export class UsageError extends Error {}

/** Parse POSIX/GNU options (combined `-la`, `-n5`, `-n 5`, `--name`, `--name=v`, `--`). */
export function parseOpts(cmd: string, argv: string[], spec: OptSpec): ParsedOpts {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const args: string[] = [];
  const fl = spec.flags ?? '';
  const vl = spec.values ?? '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const long = spec.long ?? {};
      if (name + '=' in long) {
        const letter = long[name + '=']!;
        let v: string | undefined = eq < 0 ? argv[++i] : a.slice(eq + 1);
        if (v === undefined) throw new UsageError(`${cmd}: option '--${name}' requires an argument`);
        values.set(letter, v);
      } else if (name in long) {
        if (eq >= 0) throw new UsageError(`${cmd}: option '--${name}' doesn't allow an argument`);
        flags.add(long[name]!);
      } else throw new UsageError(`${cmd}: unrecognized option '${a}'`);
      continue;
    }
    if (a.length > 1 && a[0] === '-') {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (vl.includes(c)) {
          let v: string | undefined = a.slice(j + 1);
          if (!v) v = argv[++i];
          if (v === undefined) throw new UsageError(`${cmd}: option requires an argument -- '${c}'`);
          values.set(c, v);
          break;
        }
        if (!fl.includes(c)) throw new UsageError(`${cmd}: invalid option -- '${c}'`);
        flags.add(c);
      }
      continue;
    }
    args.push(a);
  }
  return { flags, values, args };
}

/** Print a usage error the coreutils way and return the exit code. */
export function usageFail(ctx: CommandContext, cmd: string, e: unknown, code = 1): number {
  if (!(e instanceof UsageError)) throw e;
  ctx.err(`${e.message}\nTry '${cmd} --help' for more information.\n`);
  return code;
}

export const FS_TEXT: Record<FsError['reason'], string> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
  EFBIG: 'File too large',
};

export function fsReason(e: unknown): string {
  if (e instanceof FsError) return FS_TEXT[e.reason];
  throw e;
}

export function abs(ctx: CommandContext, p: string): string {
  return resolvePath(p, ctx.cwd);
}

/** Decode bytes as UTF-8 text without failing on binary data. */
export function decode(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** Standard input as bytes (binary-safe when the context comes from the shell). */
export function stdinBytesOf(ctx: CommandContext): Uint8Array {
  return ctx.stdinBytes ?? utf8.encode(ctx.stdin);
}

/** One input of a command: a file or stdin, as text (lossy for binary data) or as bytes. */
export class Input {
  private t: string | undefined;
  private b: Uint8Array | undefined;
  constructor(
    readonly name: string,
    private readonly load: { text?: () => string; bytes: () => Uint8Array },
  ) {}
  get text(): string {
    return (this.t ??= this.load.text ? this.load.text() : decode(this.bytes));
  }
  get bytes(): Uint8Array {
    return (this.b ??= this.load.bytes());
  }
}

/**
 * Read each named file (or stdin for none / `-`), reporting errors as `cmd: name: reason`.
 * Returns the inputs read and whether any failed. Each input gives `text` and `bytes`, read lazily.
 */
export function readInputs(ctx: CommandContext, cmd: string, files: string[]): { inputs: Input[]; failed: boolean } {
  const stdin = () => new Input('-', { text: () => ctx.stdin, bytes: () => stdinBytesOf(ctx) });
  if (!files.length) return { inputs: [stdin()], failed: false };
  const inputs: Input[] = [];
  let failed = false;
  for (const f of files) {
    if (f === '-') {
      inputs.push(stdin());
      continue;
    }
    const path = abs(ctx, f);
    const node = ctx.sandbox.vfs.stat(path);
    if (!node) {
      ctx.err(`${cmd}: ${f}: No such file or directory\n`);
      failed = true;
    } else if (node.type === 'dir') {
      ctx.err(`${cmd}: ${f}: Is a directory\n`);
      failed = true;
    } else inputs.push(new Input(f, { bytes: () => ctx.sandbox.vfs.readBytes(path) }));
  }
  return { inputs, failed };
}

/** Concatenate byte arrays once. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Split text into lines, each keeping its newline (the last may lack one). */
export function splitLines(text: string): string[] {
  if (!text) return [];
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      if (start < text.length) out.push(text.slice(start));
      return out;
    }
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
}

/** `--help` for a builtin: print its usage. */
export function wantsHelp(argv: string[]): boolean {
  return argv[0] === '--help';
}

/** Register a builtin; `NAME --help` prints its usage (unless `literalArgs`: bash's echo prints `--help`). */
export function builtin(def: CommandDef, opts: { literalArgs?: boolean } = {}): void {
  const run = def.run;
  registerCommand({
    ...def,
    run(ctx, argv) {
      if (!opts.literalArgs && argv.length === 1 && argv[0] === '--help') {
        ctx.out((def.usage ?? `${def.name}: ${def.summary}`).replace(/\n?$/, '\n'));
        return 0;
      }
      return run.call(def, ctx, argv);
    },
  });
}
