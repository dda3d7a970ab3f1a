/**
 * Runs a parsed script synchronously against the registered commands:
 * expansion (variables, `$(...)`, tilde, field splitting, globbing),
 * pipes (stdout text becomes the next command's stdin), redirections into
 * the virtual home folder (through sandbox.vfs inside sandbox.mutate),
 * `&&` / `||` / `;`, exit codes as bash.
 *
 * A `Shell` is the live shell state during one `Session.run`; subshells
 * (`$(...)`, `( ... )`, pipeline members) run on a clone.
 */
import type { Sandbox } from '../../engine';
import { HOME, resolvePath, FsError } from '../../engine';
import { utf8 } from '../../engine/store/blobs';
import type { CommandContext, Effect } from '../types';
import type { Session } from '../session';
import { getCommand, commandNames } from '../commands/registry';
import { parse, type Script, type AndOr, type Pipeline, type Command, type SimpleCommand, type Word, type Part, type Redirect } from './parser';
import { evalArith } from './arith';
import { ShellSyntaxError } from './tokenizer';
import { expandGlob, hasGlobChars, globToRegExp } from './glob';

/** Thrown by `exit` (and fatal expansion errors) to stop the script. */
export class ExitSignal {
  constructor(readonly code: number) {}
}

/** `break N` / `continue N` unwinding to the enclosing loop. */
export class LoopSignal {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {}
}

/** `return N` from a function or a sourced script. */
export class ReturnSignal {
  constructor(readonly code: number) {}
}

/** What a command writes to a stream: text (sent as UTF-8) or raw bytes. */
export type Chunk = string | Uint8Array;

/** Join chunks once: a string when all are text, else the bytes (text encoded as UTF-8). */
export function joinChunks(chunks: readonly Chunk[]): Chunk {
  let binary = false;
  for (const c of chunks) if (typeof c !== 'string') binary = true;
  if (!binary) return chunks.length === 1 ? (chunks[0] as string) : (chunks as string[]).join('');
  const parts = chunks.map((c) => (typeof c === 'string' ? utf8.encode(c) : c));
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

/** Text for the terminal or a text consumer: bytes are decoded as UTF-8 (invalid sequences become U+FFFD). */
export function chunkText(c: Chunk): string {
  return typeof c === 'string' ? c : utf8.decode(c);
}

/** Bytes for a binary consumer: text is encoded as UTF-8. */
export function chunkBytes(c: Chunk): Uint8Array {
  return typeof c === 'string' ? utf8.encode(c) : c;
}

/**
 * Standard input as a stream: `read` takes a line, any other command that reads takes the rest.
 * It holds text, or bytes when binary data was written into it (a pipe, a file redirection).
 */
export class Stdin {
  pos = 0;
  private readonly str: string | null;
  private readonly bin: Uint8Array | null;
  constructor(data: Chunk = '') {
    if (typeof data === 'string') {
      this.str = data;
      this.bin = null;
    } else {
      this.str = null;
      this.bin = data;
    }
  }
  static of(chunks: readonly Chunk[]): Stdin {
    return new Stdin(joinChunks(chunks));
  }
  /** The whole input as text (lossy for binary data). */
  get text(): string {
    return this.str ?? utf8.decode(this.bin!);
  }
  private get size(): number {
    return this.str !== null ? this.str.length : this.bin!.length;
  }
  /** The rest of the input as it was written (text or bytes), consumed. */
  takeData(): Chunk {
    const from = this.pos;
    this.pos = this.size;
    if (this.str !== null) return from ? this.str.slice(from) : this.str;
    return from ? this.bin!.subarray(from) : this.bin!;
  }
  takeAll(): string {
    return chunkText(this.takeData());
  }
  /** The next line without its newline, or null at the end. `complete` is false for a last line without newline. */
  readLine(): { line: string; complete: boolean } | null {
    if (this.pos >= this.size) return null;
    if (this.bin) {
      const nl = this.bin.indexOf(10, this.pos);
      const end = nl < 0 ? this.bin.length : nl;
      const line = utf8.decode(this.bin.subarray(this.pos, end));
      this.pos = nl < 0 ? end : nl + 1;
      return { line, complete: nl >= 0 };
    }
    const text = this.str!;
    const nl = text.indexOf('\n', this.pos);
    if (nl < 0) {
      const line = text.slice(this.pos);
      this.pos = text.length;
      return { line, complete: false };
    }
    const line = text.slice(this.pos, nl);
    this.pos = nl + 1;
    return { line, complete: true };
  }
}

/** Loops stop after this many iterations (a runaway `while true` must not hang the tab). */
export const MAX_LOOP_ITERATIONS = 10_000;

/** A fatal shell error (bad substitution, unbound variable): message printed, script stops. */
export class ShellError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

export interface IO {
  stdin: Stdin;
  /** Standard output: text (UTF-8) or bytes. */
  out: (data: Chunk) => void;
  err: (text: string) => void;
  effects: Effect[];
  /** Whether stdout goes to the terminal (not a pipe or a file): `ls` prints columns then. */
  tty: boolean;
}

export interface ShellOptions {
  errexit: boolean;
  nounset: boolean;
  xtrace: boolean;
  pipefail: boolean;
}

export interface ShellStateData {
  cwd: string;
  vars: Record<string, string>;
  exported: string[];
  lastExit: number;
}

const DEFAULT_VARS: Record<string, string> = {
  HOME,
  USER: 'learner',
  LOGNAME: 'learner',
  SHELL: '/bin/bash',
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOSTNAME: 'nimbus',
  TERM: 'xterm-256color',
  LANG: 'C.UTF-8',
};

/** Names the shell treats as its own builtins (for `type`). */
export const SHELL_BUILTINS = new Set([
  'cd', 'pwd', 'echo', 'export', 'unset', 'history', 'help', 'true', 'false', 'type', 'source', '.', 'exit', 'set', 'printf', 'read',
  'break', 'continue', 'return', 'local', 'let', 'test', '[', '[[', ':',
]);

const MAX_DEPTH = 64;

/** Parsed scripts by source text: the same lines come back often (lessons, scripts, benchmarks). */
const PARSE_CACHE = new Map<string, Script>();
export function parseCached(src: string): Script {
  let s = PARSE_CACHE.get(src);
  if (s) return s;
  s = parse(src);
  if (PARSE_CACHE.size >= 256) PARSE_CACHE.delete(PARSE_CACHE.keys().next().value as string);
  PARSE_CACHE.set(src, s);
  return s;
}

/** The live shell behind a command context (for builtins such as cd, export, history). */
export function shellOf(ctx: CommandContext): Shell | undefined {
  return (ctx as Partial<ShellCommandContext>).shell;
}

/** Whether the command's stdout is the terminal (false when piped or redirected). */
export function isTty(ctx: CommandContext): boolean {
  return (ctx as Partial<ShellCommandContext>).tty ?? false;
}

class ShellCommandContext implements CommandContext {
  constructor(
    readonly session: Session,
    readonly sandbox: Sandbox,
    readonly input: Stdin,
    readonly cwd: string,
    readonly env: Readonly<Record<string, string>>,
    readonly out: (data: Chunk) => void,
    readonly err: (text: string) => void,
    readonly effect: (e: Effect) => void,
    readonly shell: Shell,
    readonly tty: boolean,
    readonly effects: Effect[],
    /** `NAME=value cmd` assignments for this command only. */
    readonly prefix: Readonly<Record<string, string>> | undefined,
  ) {}
  private stdinData: Chunk | undefined;
  private stdinText: string | undefined;
  private stdinBin: Uint8Array | undefined;
  /** Reading stdin consumes it (so `while read` loops see only what is left). */
  get stdin(): string {
    if (this.stdinText === undefined) this.stdinText = chunkText(this.stdinData ??= this.input.takeData());
    return this.stdinText;
  }
  /** The same input as bytes (binary-safe); reading either view consumes it. */
  get stdinBytes(): Uint8Array {
    if (this.stdinBin === undefined) this.stdinBin = chunkBytes(this.stdinData ??= this.input.takeData());
    return this.stdinBin;
  }
}

/** The stdin stream behind a command context (for `read`). */
export function stdinOf(ctx: CommandContext): Stdin {
  return (ctx as Partial<ShellCommandContext>).input ?? new Stdin(ctx.stdin);
}

/** The variables a real process would inherit: exported ones plus `NAME=value cmd` prefixes. */
export function exportedEnvOf(ctx: CommandContext): Record<string, string> {
  const c = ctx as Partial<ShellCommandContext>;
  if (!c.shell) return { ...ctx.env };
  return { ...c.shell.exportedEnv(), ...(c.prefix ?? {}) };
}

/** The IO of a running command, to run more shell code with the same streams (`source`, `sh -c`). */
export function ioOf(ctx: CommandContext): IO {
  const c = ctx as Partial<ShellCommandContext>;
  const effects = c.effects ?? [];
  return { stdin: c.input ?? new Stdin(ctx.stdin), out: (t) => ctx.out(t), err: (t) => ctx.err(t), effects, tty: c.tty ?? false };
}

interface FileSink {
  path: string;
  append: boolean;
  chunks: Chunk[];
}

/** Where a command's file descriptors point while it runs. */
interface Fds {
  stdin: Stdin;
  out: (t: Chunk) => void;
  err: (t: string) => void;
  tty: boolean;
  files: FileSink[];
}

const NOOP = () => {};

export class Shell {
  cwd: string;
  vars: Record<string, string>;
  exported: Set<string>;
  lastExit: number;
  /** Set when vars/exported changed (so the session persists them). */
  varsDirty = false;
  opts: ShellOptions;
  /** `$_`: the last argument of the previous command. */
  lastArg = '';
  /** Positional parameters ($1 ...) inside a script run with `sh FILE args`. */
  positional: string[] = [];
  scriptName = 'nimbus';
  depth = 0;
  /** Functions defined with `name() { ... }` (kept by the Session for its lifetime, not persisted). */
  functions: Map<string, Command>;
  /** Enclosing loops (for break/continue) and functions (for return). */
  loopDepth = 0;
  funcDepth = 0;
  /** Inside an if/while condition or a && || list: set -e does not apply. */
  private condDepth = 0;
  /** The env object commands get; rebuilt only after a variable or the folder changes. */
  envCache: Record<string, string> | null = null;
  /** Exit status of the last command substitution in the current command. */
  private subStatus: number | null = null;

  constructor(
    readonly session: Session,
    readonly sandbox: Sandbox,
    readonly baseEnv: Readonly<Record<string, string>>,
    state: ShellStateData,
    opts?: ShellOptions,
    functions?: Map<string, Command>,
  ) {
    this.functions = functions ?? new Map();
    this.cwd = state.cwd;
    this.vars = { ...state.vars };
    this.exported = new Set(state.exported);
    this.lastExit = state.lastExit;
    this.opts = opts ? { ...opts } : { errexit: false, nounset: false, xtrace: false, pipefail: false };
  }

  /** Replace the state (after `sandbox import` / `reset`). */
  load(state: ShellStateData): void {
    this.cwd = this.sandbox.vfs.isDir(state.cwd) ? state.cwd : HOME;
    this.vars = { ...state.vars };
    this.exported = new Set(state.exported);
    this.lastExit = state.lastExit;
    this.envCache = null;
    this.varsDirty = false;
  }

  snapshot(): ShellStateData {
    return { cwd: this.cwd, vars: { ...this.vars }, exported: [...this.exported].sort(), lastExit: this.lastExit };
  }

  clone(): Shell {
    const c = new Shell(this.session, this.sandbox, this.baseEnv, this.snapshot(), this.opts, new Map(this.functions));
    c.positional = this.positional;
    c.loopDepth = this.loopDepth;
    c.funcDepth = this.funcDepth;
    c.scriptName = this.scriptName;
    c.depth = this.depth + 1;
    if (c.depth > MAX_DEPTH) throw new ShellError('maximum nesting level exceeded', 1);
    return c;
  }

  // ---- variables ---------------------------------------------------------

  getVar(name: string): string | undefined {
    const v = this.vars[name];
    if (v !== undefined) return v;
    switch (name) {
      case '?':
        return String(this.lastExit);
      case '$':
        return '4242';
      case '!':
        return '';
      case '#':
        return String(this.positional.length);
      case '@':
      case '*':
        return this.positional.join(' ');
      case '0':
        return this.scriptName;
      case '_':
        return this.lastArg;
      case '-':
        return (this.opts.errexit ? 'e' : '') + (this.opts.nounset ? 'u' : '') + (this.opts.xtrace ? 'x' : '');
      case 'PWD':
        return this.cwd;
      case 'RANDOM':
        // from the sandbox's seeded generator, so scripts stay reproducible
        return String(this.sandbox.mutate((sb) => sb.rng.int(0, 32767)));
    }
    if (name.length === 1 && name >= '1' && name <= '9') return this.positional[Number(name) - 1];
    return this.baseEnv[name] ?? DEFAULT_VARS[name];
  }

  setVar(name: string, value: string): void {
    if (this.vars[name] === value) return;
    this.vars[name] = value;
    this.varsDirty = true;
    this.envCache = null;
  }

  unsetVar(name: string): void {
    if (name in this.vars || this.exported.has(name)) {
      delete this.vars[name];
      this.exported.delete(name);
      this.varsDirty = true;
      this.envCache = null;
    }
  }

  exportVar(name: string, value?: string): void {
    if (value !== undefined) this.setVar(name, value);
    if (!this.exported.has(name)) {
      this.exported.add(name);
      this.varsDirty = true;
    }
  }

  setCwd(path: string): void {
    if (path === this.cwd) return;
    this.setVar('OLDPWD', this.cwd);
    this.cwd = path;
    this.envCache = null;
  }

  /** Every variable a command sees: defaults, the session's env, the shell's variables, PWD. */
  env(): Record<string, string> {
    if (!this.envCache) this.envCache = { ...DEFAULT_VARS, ...this.baseEnv, ...this.vars, PWD: this.cwd };
    return this.envCache;
  }

  /** Exported variables as `env` prints them. */
  exportedEnv(): Record<string, string> {
    const out: Record<string, string> = { ...DEFAULT_VARS, ...this.baseEnv, PWD: this.cwd };
    for (const n of this.exported) {
      const v = this.vars[n];
      if (v !== undefined) out[n] = v;
    }
    return out;
  }

  // ---- running -------------------------------------------------------------

  /** Parse and run source text in this shell (for `source`, `sh -c`). */
  runSource(src: string, io: IO): number {
    let script: Script;
    try {
      script = parseCached(src);
    } catch (e) {
      if (e instanceof ShellSyntaxError) {
        io.err(`${this.scriptName === 'nimbus' ? 'nimbus' : this.scriptName}: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
    return this.runScript(script, io);
  }

  runScript(script: Script, io: IO): number {
    let status = this.lastExit;
    for (const item of script.items) {
      status = this.runAndOr(item, io);
    }
    return status;
  }

  private runAndOr(item: AndOr, io: IO): number {
    let status = this.runPipeline(item.first, io);
    this.lastExit = status;
    let lastRan = item.rest.length === 0;
    for (let i = 0; i < item.rest.length; i++) {
      const r = item.rest[i]!;
      if (r.op === '&&' ? status !== 0 : status === 0) continue;
      status = this.runPipeline(r.pipeline, io);
      this.lastExit = status;
      if (i === item.rest.length - 1) lastRan = true;
    }
    const lastPipe = item.rest.length ? item.rest[item.rest.length - 1]!.pipeline : item.first;
    if (this.opts.errexit && this.condDepth === 0 && status !== 0 && lastRan && !lastPipe.negate) throw new ExitSignal(status);
    return status;
  }

  private runPipeline(p: Pipeline, io: IO): number {
    let status: number;
    if (p.cmds.length === 1) status = this.runCommand(p.cmds[0]!, io);
    else {
      let input = io.stdin;
      let failed = 0;
      status = 0;
      for (let i = 0; i < p.cmds.length; i++) {
        const last = i === p.cmds.length - 1;
        const buf: Chunk[] = [];
        const stageIo: IO = last
          ? { ...io, stdin: input }
          : { stdin: input, out: (t) => void buf.push(t), err: io.err, effects: io.effects, tty: false };
        const feed = (b: Chunk[]) => Stdin.of(b);
        const sub = this.clone();
        try {
          status = sub.runCommand(p.cmds[i]!, stageIo);
        } catch (e) {
          if (e instanceof ExitSignal) status = e.code;
          else throw e;
        }
        if (status !== 0) failed = status;
        input = feed(buf);
      }
      if (this.opts.pipefail && failed) status = failed;
    }
    if (p.negate) status = status === 0 ? 1 : 0;
    return status;
  }

  private runCommand(cmd: Command, io: IO): number {
    if (cmd.type === 'simple') return this.runSimple(cmd, io);
    if (cmd.type === 'function') {
      this.functions.set(cmd.name, cmd.body);
      return 0;
    }
    let fds: Fds;
    try {
      fds = cmd.redirs.length ? this.openRedirs(cmd.redirs, io) : { stdin: io.stdin, out: io.out, err: io.err, tty: io.tty, files: [] };
    } catch (e) {
      return this.redirFailure(e, io);
    }
    const inner: IO = { stdin: fds.stdin, out: fds.out, err: fds.err, effects: io.effects, tty: fds.tty };
    let status = 0;
    try {
      switch (cmd.type) {
        case 'subshell': {
          const sub = this.clone();
          try {
            status = sub.runScript(cmd.body, inner);
          } catch (e) {
            if (e instanceof ExitSignal) status = e.code;
            else throw e;
          }
          break;
        }
        case 'group':
          status = this.runScript(cmd.body, inner);
          break;
        case 'if': {
          let matched = false;
          for (const c of cmd.clauses) {
            if (this.runCondition(c.cond, inner) === 0) {
              status = this.runScript(c.body, inner);
              matched = true;
              break;
            }
          }
          if (!matched) status = cmd.otherwise ? this.runScript(cmd.otherwise, inner) : 0;
          break;
        }
        case 'for': {
          let values: string[];
          try {
            values = cmd.words ? cmd.words.flatMap((w) => this.expandWord(w, inner)) : [...this.positional];
          } catch (e) {
            return this.fatal(e, io);
          }
          status = 0;
          this.loopDepth++;
          try {
            let n = 0;
            for (const v of values) {
              if (++n > MAX_LOOP_ITERATIONS) throw new ShellError(`for: loop stopped after ${MAX_LOOP_ITERATIONS} iterations`);
              this.setVar(cmd.name, v);
              const r = this.loopBody(cmd.body, inner);
              status = r.status;
              if (r.stop) break;
            }
          } finally {
            this.loopDepth--;
          }
          break;
        }
        case 'arith':
          status = this.arithStatus(cmd.expr, inner);
          break;
        case 'cfor': {
          status = 0;
          this.loopDepth++;
          try {
            if (cmd.init.length) this.arithValue(cmd.init, inner);
            let n = 0;
            for (;;) {
              if (cmd.cond.length && this.arithValue(cmd.cond, inner) === 0) break;
              if (++n > MAX_LOOP_ITERATIONS) throw new ShellError(`for: loop stopped after ${MAX_LOOP_ITERATIONS} iterations`);
              const r = this.loopBody(cmd.body, inner);
              status = r.status;
              if (r.stop) break;
              if (cmd.step.length) this.arithValue(cmd.step, inner);
            }
          } finally {
            this.loopDepth--;
          }
          break;
        }
        case 'case': {
          let value: string;
          try {
            value = this.expandString(cmd.word, inner, true);
          } catch (e) {
            return this.fatal(e, io);
          }
          status = 0;
          outer: for (const item of cmd.items) {
            for (const p of item.patterns) {
              if (globToRegExp(this.patternOf(p, inner)).test(value)) {
                status = this.runScript(item.body, inner);
                if (!item.body.items.length) status = 0;
                break outer;
              }
            }
          }
          break;
        }
        case 'while': {
          status = 0;
          this.loopDepth++;
          try {
            let n = 0;
            for (;;) {
              const c = this.runCondition(cmd.cond, inner);
              if (cmd.until ? c === 0 : c !== 0) break;
              if (++n > MAX_LOOP_ITERATIONS) throw new ShellError(`${cmd.until ? 'until' : 'while'}: loop stopped after ${MAX_LOOP_ITERATIONS} iterations`);
              const r = this.loopBody(cmd.body, inner);
              status = r.status;
              if (r.stop) break;
            }
          } finally {
            this.loopDepth--;
          }
          break;
        }
      }
    } catch (e) {
      if (e instanceof ShellError) {
        this.flushFiles(fds);
        return this.fatal(e, io);
      }
      throw e;
    }
    this.flushFiles(fds);
    return status;
  }

  private arithValue(expr: Word, io: IO): number {
    const text = this.expandString(expr, io, false);
    if (!text.trim()) return 1;
    return evalArith(
      text,
      (n) => this.getVar(n),
      (n, v) => this.setVar(n, v),
    );
  }

  /** `(( expr ))`: 0 when the value is not zero, 1 when it is; errors print and give 1. */
  private arithStatus(expr: Word, io: IO): number {
    try {
      return this.arithValue(expr, io) !== 0 ? 0 : 1;
    } catch (e) {
      if (!(e instanceof ShellError)) throw e;
      io.err(`nimbus: ${e.message}\n`);
      return 1;
    }
  }

  /** Run an if/while condition: `set -e` does not stop the script there. */
  private runCondition(script: Script, io: IO): number {
    this.condDepth++;
    try {
      return this.runScript(script, io);
    } finally {
      this.condDepth--;
    }
  }

  /** One loop iteration; `stop` when a break (or an outer continue) ends this loop. */
  private loopBody(body: Script, io: IO): { status: number; stop: boolean } {
    try {
      return { status: this.runScript(body, io), stop: false };
    } catch (e) {
      if (!(e instanceof LoopSignal)) throw e;
      if (e.levels > 1) {
        e.levels--;
        throw e;
      }
      return { status: 0, stop: e.kind === 'break' };
    }
  }

  /** Call a shell function with its arguments as $1 ... */
  private runFunction(body: Command, argv: string[], io: IO): number {
    const saved = this.positional;
    const savedLoops = this.loopDepth;
    this.positional = argv.slice(1);
    this.funcDepth++;
    this.loopDepth = 0;
    if (this.funcDepth > MAX_DEPTH) {
      this.funcDepth--;
      this.positional = saved;
      this.loopDepth = savedLoops;
      throw new ShellError(`${argv[0]}: maximum function nesting level exceeded (${MAX_DEPTH})`);
    }
    try {
      return this.runCommand(body, io);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.code;
      throw e;
    } finally {
      this.funcDepth--;
      this.positional = saved;
      this.loopDepth = savedLoops;
    }
  }

  private redirFailure(e: unknown, io: IO): number {
    if (e instanceof ShellError) {
      io.err(`nimbus: ${e.message}\n`);
      return e.code;
    }
    if (e instanceof FsError) {
      io.err(`nimbus: ${e.message}\n`);
      return 1;
    }
    throw e;
  }

  private runSimple(cmd: SimpleCommand, io: IO): number {
    this.subStatus = null;
    let argv: string[];
    try {
      argv = [];
      const decl = cmd.words.length > 1 && isDeclaration(cmd.words[0]!);
      for (let i = 0; i < cmd.words.length; i++) {
        const w = cmd.words[i]!;
        // `export NAME=$VALUE`: the value is not split (as bash does for declaration builtins)
        if (decl && i > 0 && isAssignmentWord(w)) {
          argv.push(this.expandString(w, io, true));
          continue;
        }
        const fields = this.expandWord(w, io);
        for (const f of fields) argv.push(f);
      }
    } catch (e) {
      return this.fatal(e, io);
    }
    if (argv.length === 0) {
      // assignments only (and maybe redirections)
      try {
        for (const a of cmd.assigns) this.setVar(a.name, this.expandString(a.value, io, true));
      } catch (e) {
        return this.fatal(e, io);
      }
      if (cmd.redirs.length) {
        let fds: Fds;
        try {
          fds = this.openRedirs(cmd.redirs, io);
        } catch (e) {
          return this.redirFailure(e, io);
        }
        this.flushFiles(fds);
      }
      return this.subStatus ?? 0;
    }
    let env = this.env();
    if (cmd.assigns.length) {
      const overlay: Record<string, string> = {};
      try {
        for (const a of cmd.assigns) overlay[a.name] = this.expandString(a.value, io, true);
      } catch (e) {
        return this.fatal(e, io);
      }
      env = { ...env, ...overlay };
    }
    if (this.opts.xtrace) io.err('+ ' + argv.map(traceQuote).join(' ') + '\n');
    let fds: Fds;
    if (cmd.redirs.length) {
      try {
        fds = this.openRedirs(cmd.redirs, io);
      } catch (e) {
        return this.redirFailure(e, io);
      }
    } else fds = { stdin: io.stdin, out: io.out, err: io.err, tty: io.tty, files: [] };
    let status: number;
    try {
      this.lastArg = argv[argv.length - 1]!;
      status = this.exec(argv, env, fds, io.effects, cmd.assigns.length ? Object.fromEntries(cmd.assigns.map((a) => [a.name, env[a.name]!])) : undefined);
    } finally {
      if (fds.files.length) this.flushFiles(fds);
    }
    return status;
  }

  private fatal(e: unknown, io: IO): never {
    if (e instanceof ShellError) {
      io.err(`nimbus: ${e.message}\n`);
      throw new ExitSignal(e.code);
    }
    throw e;
  }

  /** Run one command by name with its arguments. */
  exec(argv: string[], env: Readonly<Record<string, string>>, fds: Fds | IO, effects: Effect[], prefix?: Record<string, string>): number {
    const name = argv[0]!;
    const fn = this.functions.get(name);
    if (fn) return this.runFunction(fn, argv, { stdin: fds.stdin, out: fds.out, err: fds.err, effects, tty: fds.tty });
    const def = getCommand(name);
    if (!def) return this.execPath(argv, fds, effects, prefix);
    const ctx = new ShellCommandContext(
      this.session,
      this.sandbox,
      fds.stdin,
      this.cwd,
      env,
      fds.out,
      fds.err,
      (e) => effects.push(e),
      this,
      fds.tty,
      effects,
      prefix,
    );
    let status: number;
    try {
      status = def.run(ctx, argv.slice(1));
    } catch (e) {
      if (e instanceof ExitSignal || e instanceof LoopSignal || e instanceof ReturnSignal) throw e;
      if (e instanceof ShellError) {
        fds.err(`nimbus: ${e.message}\n`);
        return e.code;
      }
      if (e instanceof FsError) {
        fds.err(`${name}: ${e.message}\n`);
        return 1;
      }
      const msg = e instanceof Error ? e.message : String(e);
      fds.err(`${name}: ${msg}\n`);
      return 1;
    }
    if (typeof status !== 'number' || !Number.isFinite(status)) return 0;
    // `sandbox import` / `reset` replaced the whole state: continue from its shell state
    if (effects.length && effects[effects.length - 1]!.type === 'state-replaced') this.load(this.session.storedShell());
    return status;
  }

  /** A command that is not registered: a script path (./deploy.sh) or "command not found". */
  private execPath(argv: string[], fds: Fds | IO, effects: Effect[], prefix?: Record<string, string>): number {
    const name = argv[0]!;
    if (!name.includes('/')) {
      let msg = `nimbus: ${name}: command not found\n`;
      const guess = suggest(name, commandNames());
      if (guess) msg += `nimbus: did you mean '${guess}'?\n`;
      fds.err(msg);
      return 127;
    }
    const path = resolvePath(name, this.cwd);
    const node = this.sandbox.vfs.stat(path);
    if (!node) {
      fds.err(`nimbus: ${name}: No such file or directory\n`);
      return 127;
    }
    if (node.type === 'dir') {
      fds.err(`nimbus: ${name}: Is a directory\n`);
      return 126;
    }
    const text = utf8.decode(this.sandbox.vfs.readBytes(path));
    return this.runScriptFile(name, text, argv.slice(1), { stdin: fds.stdin, out: fds.out, err: fds.err, effects, tty: fds.tty }, prefix);
  }

  /** Run a script's text in a child shell with positional parameters (`sh FILE args`, `./FILE`). */
  runScriptFile(name: string, text: string, args: string[], io: IO, prefix?: Record<string, string>): number {
    const sub = this.clone();
    sub.positional = args;
    sub.scriptName = name;
    if (prefix) for (const [k, v] of Object.entries(prefix)) sub.setVar(k, v);
    const body = text.startsWith('#!') ? text.slice(text.indexOf('\n') + 1 || text.length) : text;
    try {
      return sub.runSource(body, io);
    } catch (e) {
      if (e instanceof ExitSignal || e instanceof ReturnSignal) return e.code;
      throw e;
    }
  }

  // ---- redirections ----------------------------------------------------------

  private openRedirs(redirs: Redirect[], io: IO): Fds {
    const fds: Fds = { stdin: io.stdin, out: io.out, err: io.err, tty: io.tty, files: [] };
    for (const r of redirs) {
      if (r.op === '<<') {
        fds.stdin = new Stdin(this.expandString(r.body ?? [], io, false));
        continue;
      }
      const target = this.expandString(r.target, io, true);
      switch (r.op) {
        case '<':
        case '<>':
          fds.stdin = new Stdin(this.readInput(target));
          break;
        case '<<<':
          fds.stdin = new Stdin(target + '\n');
          break;
        case '<&':
          break;
        case '>&':
          if (target === '1' || target === '2') {
            const err = fds.err;
            const src: (t: Chunk) => void = target === '1' ? fds.out : (t) => err(chunkText(t));
            const srcTty = target === '1' ? fds.tty : false;
            if (r.fd === 2) fds.err = src;
            else if (r.fd === 1) {
              fds.out = src;
              fds.tty = srcTty;
            }
          } else if (target === '-') {
            if (r.fd === 1) fds.out = NOOP;
            if (r.fd === 2) fds.err = NOOP;
          } else {
            const w = this.openOutput(target, false, fds);
            fds.out = w;
            fds.err = w;
            fds.tty = false;
          }
          break;
        case '>':
        case '>>':
        case '&>':
        case '&>>': {
          const w = this.openOutput(target, r.op === '>>' || r.op === '&>>', fds);
          const both = r.op === '&>' || r.op === '&>>';
          if (both || r.fd === 1) {
            fds.out = w;
            fds.tty = target === '/dev/tty';
          }
          if (both || r.fd === 2) fds.err = w;
          break;
        }
      }
    }
    return fds;
  }

  private readInput(target: string): Chunk {
    if (target === '/dev/null') return '';
    if (target === '') throw new ShellError(': No such file or directory');
    const path = resolvePath(target, this.cwd);
    const node = this.sandbox.vfs.stat(path);
    if (!node) throw new ShellError(`${target}: No such file or directory`);
    if (node.type === 'dir') throw new ShellError(`${target}: Is a directory`);
    return this.sandbox.vfs.readBytes(path);
  }

  private openOutput(target: string, append: boolean, fds: Fds): (t: Chunk) => void {
    if (target === '/dev/null') return NOOP;
    if (target === '/dev/stdout' || target === '/dev/tty') return fds.out;
    if (target === '/dev/stderr') {
      const err = fds.err;
      return (t) => err(chunkText(t));
    }
    if (target === '') throw new ShellError(': No such file or directory');
    const path = resolvePath(target, this.cwd);
    const vfs = this.sandbox.vfs;
    const node = vfs.stat(path);
    if (node?.type === 'dir') throw new ShellError(`${target}: Is a directory`);
    if (!node) {
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      const p = vfs.stat(parent);
      if (!p) throw new ShellError(`${target}: No such file or directory`);
      if (p.type !== 'dir') throw new ShellError(`${target}: Not a directory`);
    }
    const sink: FileSink = { path, append, chunks: [] };
    fds.files.push(sink);
    return (t) => {
      sink.chunks.push(t);
    };
  }

  private flushFiles(fds: Fds): void {
    if (!fds.files.length) return;
    this.sandbox.mutate((sb) => {
      for (const f of fds.files) {
        const data = chunkBytes(joinChunks(f.chunks));
        if (f.append && sb.vfs.isFile(f.path)) {
          const prev = sb.vfs.readBytes(f.path);
          if (!data.length) continue;
          sb.vfs.writeBytes(f.path, chunkBytes(joinChunks([prev, data])));
        } else sb.vfs.writeBytes(f.path, data);
      }
    });
  }

  // ---- expansion -------------------------------------------------------------

  private ifs(): string {
    return this.getVar('IFS') ?? ' \t\n';
  }

  /** Expand a word into fields: tilde, variables, substitutions, field splitting, globbing. */
  expandWord(word: Word, io: IO): string[] {
    if (word.length === 1) {
      const p = word[0]!;
      if (p.k === 'lit' && (p.q || (p.v[0] !== '~' && !hasGlobChars(p.v) && !p.v.includes('{')))) return [p.v];
    }
    // brace expansion first: a{b,c} -> ab ac, {1..3} -> 1 2 3
    const braced = braceWords(word);
    if (braced) return braced.flatMap((w) => this.expandFields(w, io));
    return this.expandFields(word, io);
  }

  private expandFields(word: Word, io: IO): string[] {
    const fields: string[] = [];
    let cur: string | null = null;
    let pat = '';
    let glob = false;
    const append = (s: string, globbable: boolean) => {
      if (cur === null) {
        cur = '';
        pat = '';
        glob = false;
      }
      cur += s;
      if (globbable) {
        pat += s.replace(/\\/g, '\\\\');
        if (!glob && hasGlobChars(s)) glob = true;
      } else pat += s.replace(/[\\*?[\]]/g, '\\$&');
    };
    const finish = () => {
      if (cur === null) return;
      if (glob) {
        const matches = expandGlob(this.sandbox.vfs, pat, this.cwd);
        if (matches.length) fields.push(...matches);
        else fields.push(cur);
      } else fields.push(cur);
      cur = null;
    };
    for (let i = 0; i < word.length; i++) {
      const p = word[i]!;
      if (p.k === 'lit') {
        let v = p.v;
        if (i === 0 && !p.q && v[0] === '~' && (v.length === 1 || v[1] === '/')) {
          append(HOME, false);
          v = v.slice(1);
        }
        append(v, !p.q);
        continue;
      }
      if (p.k === 'var' && p.name === '@' && p.q && !p.op) {
        // "$@": one field per positional parameter
        this.positional.forEach((a, j) => {
          if (j > 0) finish();
          append(a, false);
        });
        continue;
      }
      const value = this.expandPart(p, io);
      if (p.q) {
        append(value, false);
        continue;
      }
      if (value === '') continue;
      const { pieces, leading, trailing } = splitFields(value, this.ifs());
      if (!pieces.length) {
        if (leading) finish();
        continue;
      }
      if (leading) finish();
      for (let j = 0; j < pieces.length; j++) {
        if (j > 0) finish();
        append(pieces[j]!, true);
      }
      if (trailing) finish();
    }
    finish();
    return fields;
  }

  /** A word as a glob pattern (case patterns): quoted characters are escaped. */
  patternOf(word: Word, io: IO): string {
    let pat = '';
    for (let i = 0; i < word.length; i++) {
      const p = word[i]!;
      const text = p.k === 'lit' ? p.v : this.expandPart(p, io);
      pat += p.q ? text.replace(/[\\*?[\]]/g, '\\$&') : text;
    }
    return pat;
  }

  /** Expand a word into one string (assignments, redirection targets, here-documents). */
  expandString(word: Word, io: IO, tilde: boolean): string {
    let out = '';
    for (let i = 0; i < word.length; i++) {
      const p = word[i]!;
      if (p.k === 'lit') {
        if (tilde && i === 0 && !p.q && p.v[0] === '~' && (p.v.length === 1 || p.v[1] === '/')) out += HOME + p.v.slice(1);
        else out += p.v;
      } else out += this.expandPart(p, io);
    }
    return out;
  }

  private expandPart(p: Exclude<Part, { k: 'lit' }>, io: IO): string {
    if (p.k === 'sub') return this.substitute(p.script, io);
    if (p.k === 'arith') {
      const text = this.expandString(p.expr, io, false);
      return String(
        evalArith(
          text,
          (n) => this.getVar(n),
          (n, v) => this.setVar(n, v),
        ),
      );
    }
    const v = this.getVar(p.name);
    if (!p.op) {
      if (v === undefined && this.opts.nounset && !'@*'.includes(p.name)) throw new ShellError(`${p.name}: unbound variable`);
      return v ?? '';
    }
    if (p.op === '#len') return String((v ?? '').length);
    const edited = this.editValue(p.op, v, p, io);
    if (edited !== undefined) return edited;
    const colon = p.op[0] === ':';
    const missing = v === undefined || (colon && v === '');
    const arg = () => this.expandString(p.arg ?? [], io, true);
    switch (p.op) {
      case ':-':
      case '-':
        return missing ? arg() : v!;
      case ':=':
      case '=': {
        if (!missing) return v!;
        const a = arg();
        this.setVar(p.name, a);
        return a;
      }
      case ':+':
      case '+':
        return missing ? '' : arg();
      case ':?':
      case '?': {
        if (!missing) return v!;
        const a = arg();
        throw new ShellError(`${p.name}: ${a || 'parameter null or not set'}`);
      }
    }
    return v ?? '';
  }

  /** `${v#pat}` `${v%pat}` `${v/pat/rep}` `${v:off:len}` `${v^^}` `${v,,}`; undefined for the other operators. */
  private editValue(op: string, value: string | undefined, p: Extract<Part, { k: 'var' }>, io: IO): string | undefined {
    const v = value ?? '';
    const pat = () => this.expandString(p.arg ?? [], io, true);
    // glob -> regex source without anchors; lazy stars for the shortest match
    const source = (glob: string, lazy: boolean) => {
      const src = globToRegExp(glob).source.replace(/^\^/, '').replace(/\$$/, '');
      return lazy ? src.replace(/(^|[^\\])\.\*/g, '$1.*?') : src;
    };
    const literal = (glob: string) => !/[*?[\\]/.test(glob);
    switch (op) {
      case '#':
      case '##': {
        const g = pat();
        if (literal(g)) return v.startsWith(g) ? v.slice(g.length) : v;
        const m = new RegExp(`^(?:${source(g, op === '#')})`).exec(v);
        return m ? v.slice(m[0].length) : v;
      }
      case '%':
      case '%%': {
        const g = pat();
        if (literal(g)) return v.endsWith(g) ? v.slice(0, v.length - g.length) : v;
        const re = new RegExp(`(?:${source(g, false)})$`, 'y');
        if (op === '%%') {
          for (let k = 0; k <= v.length; k++) {
            re.lastIndex = k;
            if (re.test(v)) return v.slice(0, k);
          }
        } else
          for (let k = v.length; k >= 0; k--) {
            re.lastIndex = k;
            if (re.test(v)) return v.slice(0, k);
          }
        return v;
      }
      case '/':
      case '//':
      case '/#':
      case '/%': {
        const g = pat();
        const rep = this.expandString(p.arg2 ?? [], io, true);
        if (!g) return v;
        const src = literal(g) ? g.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : source(g, false);
        if (op === '/#') {
          const m = new RegExp(`^(?:${src})`).exec(v);
          return m && m[0] ? rep + v.slice(m[0].length) : v;
        }
        if (op === '/%') {
          const re = new RegExp(`(?:${src})$`, 'y');
          for (let k = 0; k < v.length; k++) {
            re.lastIndex = k;
            if (re.test(v)) return v.slice(0, k) + rep;
          }
          return v;
        }
        const re = new RegExp(`(?:${src})`, op === '//' ? 'g' : '');
        return v.replace(re, (m) => (m ? rep : m));
      }
      case ':': {
        const spec = pat();
        const colon = spec.indexOf(':');
        const ar = (e: string) =>
          evalArith(
            e.trim() || '0',
            (n) => this.getVar(n),
            (n, x) => this.setVar(n, x),
          );
        let off = ar(colon < 0 ? spec : spec.slice(0, colon));
        if (off < 0) off = Math.max(0, v.length + off);
        if (colon < 0) return v.slice(off);
        const len = ar(spec.slice(colon + 1));
        if (len < 0) {
          const end = v.length + len;
          if (end < off) throw new ShellError(`${spec.slice(colon + 1).trim()}: substring expression < 0`);
          return v.slice(off, end);
        }
        return v.slice(off, off + len);
      }
      case '^^':
        return v.toUpperCase();
      case ',,':
        return v.toLowerCase();
      case '^':
        return v.slice(0, 1).toUpperCase() + v.slice(1);
      case ',':
        return v.slice(0, 1).toLowerCase() + v.slice(1);
    }
    return undefined;
  }

  /** `$(...)`: run in a subshell, capture stdout, drop trailing newlines. */
  private substitute(script: Script, io: IO): string {
    const chunks: Chunk[] = [];
    const sub = this.clone();
    let status: number;
    try {
      status = sub.runScript(script, { stdin: io.stdin, out: (t) => void chunks.push(t), err: io.err, effects: io.effects, tty: false });
    } catch (e) {
      if (e instanceof ExitSignal) status = e.code;
      else throw e;
    }
    this.subStatus = status;
    this.lastExit = status;
    // bash drops NUL bytes from a substitution's output
    return chunkText(joinChunks(chunks)).replace(/\0/g, '').replace(/\n+$/, '');
  }
}

/** Brace-expand a word whose unquoted literal parts hold `{a,b}` or `{1..5}`; undefined when none do. */
function braceWords(word: Word): Word[] | undefined {
  for (let i = 0; i < word.length; i++) {
    const p = word[i]!;
    if (p.k !== 'lit' || p.q || !p.v.includes('{')) continue;
    const list = braceExpand(p.v);
    if (list.length === 1 && list[0] === p.v) continue;
    const out: Word[] = [];
    for (const v of list) {
      const w = [...word.slice(0, i), { k: 'lit' as const, v, q: false }, ...word.slice(i + 1)];
      out.push(...(braceWords(w.slice(i + 1))?.map((rest) => [...w.slice(0, i + 1), ...rest]) ?? [w]));
    }
    return out;
  }
  return undefined;
}

/** Bash brace expansion of one string (nested braces, comma lists, numeric and letter ranges). */
export function braceExpand(s: string): string[] {
  // find the first top-level {...} that contains a comma or a range
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '{' || (i > 0 && s[i - 1] === '$')) continue;
    let depth = 0;
    const commas: number[] = [];
    let j = i;
    for (; j < s.length; j++) {
      const c = s[j];
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) break;
      } else if (c === ',' && depth === 1) commas.push(j);
    }
    if (j >= s.length) return [s];
    const pre = s.slice(0, i);
    const body = s.slice(i + 1, j);
    const post = s.slice(j + 1);
    let items: string[] | undefined;
    if (commas.length) {
      items = [];
      let start = i + 1;
      for (const c of [...commas, j]) {
        items.push(s.slice(start, c));
        start = c + 1;
      }
      items = items.flatMap((x) => braceExpand(x));
    } else {
      const m = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body) ?? /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(body);
      if (m) {
        const numeric = /\d/.test(m[1]!);
        const a = numeric ? Number(m[1]) : m[1]!.charCodeAt(0);
        const b = numeric ? Number(m[2]) : m[2]!.charCodeAt(0);
        const step = Math.abs(Number(m[3] ?? 1)) || 1;
        const width = numeric && (/^-?0\d/.test(m[1]!) || /^-?0\d/.test(m[2]!)) ? Math.max(m[1]!.length, m[2]!.length) : 0;
        items = [];
        for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) {
          items.push(numeric ? (width ? String(Math.abs(v)).padStart(width - (v < 0 ? 1 : 0), '0').replace(/^/, v < 0 ? '-' : '') : String(v)) : String.fromCharCode(v));
          if (items.length > 100_000) break;
        }
      }
    }
    if (!items) {
      // not an expansion: keep this brace literal and look further
      const rest = braceExpand(s.slice(i + 1));
      return rest.map((r) => s.slice(0, i + 1) + r);
    }
    const tails = braceExpand(post);
    const out: string[] = [];
    for (const it of items) for (const t of tails) out.push(pre + it + t);
    return out;
  }
  return [s];
}

/** Split an unquoted expansion on IFS. */
export function splitFields(value: string, ifs: string): { pieces: string[]; leading: boolean; trailing: boolean } {
  if (ifs === '') return { pieces: [value], leading: false, trailing: false };
  if (ifs === ' \t\n') {
    const leading = /^[ \t\n]/.test(value);
    const trailing = /[ \t\n]$/.test(value);
    const t = value.trim();
    return { pieces: t ? t.split(/[ \t\n]+/) : [], leading, trailing };
  }
  let ws = '';
  let other = '';
  for (const c of ifs) {
    if (c === ' ' || c === '\t' || c === '\n') ws += c;
    else other += c;
  }
  const esc = (s: string) => s.replace(/[\\\]^-]/g, '\\$&');
  const wsClass = ws ? `[${esc(ws)}]` : '';
  let v = value;
  let leading = false;
  let trailing = false;
  if (ws) {
    const m1 = new RegExp(`^${wsClass}+`).exec(v);
    if (m1) {
      leading = true;
      v = v.slice(m1[0].length);
    }
    const m2 = new RegExp(`${wsClass}+$`).exec(v);
    if (m2) {
      trailing = true;
      v = v.slice(0, v.length - m2[0].length);
    }
  }
  if (!v) return { pieces: [], leading, trailing };
  const sep = other ? new RegExp(ws ? `${wsClass}*[${esc(other)}]${wsClass}*|${wsClass}+` : `[${esc(other)}]`) : new RegExp(`${wsClass}+`);
  const pieces = v.split(sep);
  if (other && pieces.length > 1 && pieces[pieces.length - 1] === '') {
    pieces.pop();
    trailing = true;
  }
  return { pieces, leading, trailing };
}

const DECLARATIONS = new Set(['export', 'readonly', 'declare', 'local', 'typeset']);
function isDeclaration(w: Word): boolean {
  const p = w[0];
  return w.length === 1 && p!.k === 'lit' && !p!.q && DECLARATIONS.has(p!.v);
}
function isAssignmentWord(w: Word): boolean {
  const p = w[0];
  return !!p && p.k === 'lit' && !p.q && /^[A-Za-z_][A-Za-z0-9_]*=/.test(p.v);
}

function traceQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Levenshtein distance (small strings). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n]!;
}

/** The closest name within a small edit distance, if any. */
export function suggest(name: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const limit = name.length <= 3 ? 1 : 2;
  for (const n of names) {
    const d = editDistance(name.toLowerCase(), n.toLowerCase());
    if (d < bestD || (d === bestD && best !== undefined && n < best)) {
      best = n;
      bestD = d;
    }
  }
  return bestD <= limit ? best : undefined;
}
