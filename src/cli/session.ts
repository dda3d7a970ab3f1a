/**
 * A terminal session: the shell state (folder, variables, last exit code,
 * history) over one Sandbox. `run(line)` executes a whole terminal line (or a
 * multi-line script) with the shell in ./shell/ and returns what the terminal
 * shows. The same class serves the Worker, the headless runner and the lesson
 * checker, so they always agree.
 */
import type { Sandbox } from '../engine';
import { HOME } from '../engine';
import type { Effect, LineResult, CompletionResult } from './types';
import { Shell, ExitSignal, LoopSignal, ReturnSignal, Stdin, parseCached, joinChunks, chunkText, type Chunk } from './shell/interpreter';
import type { Command, Script } from './shell/parser';
import { ShellSyntaxError } from './shell/tokenizer';
import { complete } from './shell/complete';
import './commands';

export interface ShellState {
  cwd: string;
  /** Variables set with NAME=value or export. */
  vars: Record<string, string>;
  exported: string[];
  lastExit: number;
}

export const DEFAULT_SHELL_STATE: ShellState = { cwd: HOME, vars: {}, exported: [], lastExit: 0 };

export interface SessionOptions {
  /** Extra variables (AWS_DEFAULT_REGION, ...). */
  env?: Record<string, string>;
}

/** Table of terminal history rows, keyed by zero-padded sequence number. */
export const HISTORY_TABLE = 'history';
export const HISTORY_LIMIT = 1000;
const HISTORY_COUNTER = 'counter:history';

export interface HistoryRow {
  line: string;
  /** Simulated time the line was entered. */
  at: number;
}

const histKey = (n: number) => String(n).padStart(10, '0');

export class Session {
  readonly sandbox: Sandbox;
  /** Variables every command sees unless the shell overrides them. */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** The shell while a line runs (so `shell` and `region` see changes made earlier on the line). */
  private live: Shell | null = null;
  /** Shell functions defined in this session (kept while the session lives, not persisted). */
  private readonly functions = new Map<string, Command>();
  /** The env object of the last line, reused while the variables and folder are unchanged. */
  private envCache: { vars: Record<string, string>; cwd: string; env: Record<string, string> } | null = null;

  constructor(sandbox: Sandbox, opts: SessionOptions = {}) {
    this.sandbox = sandbox;
    this.baseEnv = Object.freeze({ ...(opts.env ?? {}) });
  }

  /** The shell state, kept in the sandbox's meta table so it is persisted and exported. */
  get shell(): ShellState {
    if (this.live) return this.live.snapshot();
    return this.stored();
  }
  setShell(next: ShellState): void {
    this.sandbox.mutate(() => this.sandbox.db.table<ShellState>('meta').set('shell', next));
    this.live?.load(next);
  }

  /** The persisted shell state (ignoring a line in progress). */
  storedShell(): ShellState {
    return this.stored();
  }

  private stored(): ShellState {
    return (this.sandbox.db.table<ShellState>('meta').get('shell') as ShellState | undefined) ?? DEFAULT_SHELL_STATE;
  }

  /** The region commands use when no --region is given (AWS_REGION, AWS_DEFAULT_REGION, else us-east-1). */
  get region(): string {
    const get = (n: string) => (this.live ? this.live.getVar(n) : (this.stored().vars[n] ?? this.baseEnv[n]));
    return get('AWS_REGION') || get('AWS_DEFAULT_REGION') || 'us-east-1';
  }

  /** Run a terminal line (or a whole script). Does not add it to the history: the caller does. */
  run(line: string): LineResult {
    const outChunks: Chunk[] = [];
    let stderr = '';
    const effects: Effect[] = [];
    const io = {
      stdin: new Stdin(''),
      out: (t: Chunk) => {
        outChunks.push(t);
      },
      err: (t: string) => {
        stderr += t;
      },
      effects,
      tty: true,
    };
    const before = this.stored();
    let exitCode: number;
    let sh: Shell | null = null;
    let script: Script;
    let syntaxError: ShellSyntaxError | null = null;
    try {
      script = parseCached(line);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      // like bash reading a script, the complete commands before the bad line still run
      syntaxError = e;
      script = validPrefix(line);
    }
    if (!script.items.length && !syntaxError) return { exitCode: 0, stdout: '', stderr, effects };
    if (script.items.length) {
      sh = new Shell(this, this.sandbox, this.baseEnv, before, undefined, this.functions);
      const ec = this.envCache;
      if (ec && ec.vars === before.vars && ec.cwd === before.cwd) sh.envCache = ec.env;
      const outer = this.live;
      this.live = sh;
      try {
        exitCode = sh.runScript(script, io);
      } catch (e) {
        if (e instanceof ExitSignal || e instanceof ReturnSignal) {
          exitCode = e.code;
          syntaxError = null; // `exit` ends the script before the bad line
        } else if (e instanceof LoopSignal) exitCode = 0;
        else {
          // never let a line crash the terminal: report it like a shell would and go on
          const msg = e instanceof RangeError ? 'maximum nesting depth exceeded' : `internal error: ${e instanceof Error ? e.message : String(e)}`;
          io.err(`nimbus: ${msg}\n`);
          exitCode = e instanceof RangeError ? 2 : 1;
        }
      } finally {
        this.live = outer;
      }
    }
    if (syntaxError) {
      stderr += `nimbus: ${syntaxError.message}\n`;
      exitCode = 2;
    }
    this.persist(sh, exitCode!);
    // bytes reach the terminal as text: UTF-8, invalid sequences as U+FFFD
    const stdout = outChunks.length ? chunkText(joinChunks(outChunks)) : '';
    return { exitCode: exitCode!, stdout, stderr, effects };
  }

  /** Write the shell state back only when something changed (most lines change nothing). */
  private persist(sh: Shell | null, exitCode: number): void {
    const cur = this.stored();
    if (!sh) {
      if (cur.lastExit !== exitCode) this.setShell({ ...cur, lastExit: exitCode });
      return;
    }
    sh.lastExit = exitCode;
    if (!sh.varsDirty && sh.cwd === cur.cwd) {
      if (sh.envCache) this.envCache = { vars: cur.vars, cwd: cur.cwd, env: sh.envCache };
      // keep the same vars object so the env cache stays valid
      if (exitCode !== cur.lastExit) this.setShell({ ...cur, lastExit: exitCode });
      return;
    }
    this.setShell(sh.snapshot());
  }

  /** Names of the shell functions defined in this session. */
  functionNames(): string[] {
    return [...this.functions.keys()].sort();
  }

  /** Tab completion: the word under the cursor and its possible replacements. */
  complete(line: string, cursor: number): CompletionResult {
    return complete(this, line, cursor);
  }

  // ---- history -----------------------------------------------------------

  /** Record a line the learner entered (skips blank lines and repeats of the previous line). */
  addHistory(line: string): void {
    const text = line.replace(/\n+$/, '');
    if (!text.trim()) return;
    const db = this.sandbox.db;
    const meta = db.table<unknown>('meta');
    const table = db.table<HistoryRow>(HISTORY_TABLE);
    const seq = (meta.get(HISTORY_COUNTER) as number | undefined) ?? 0;
    if (seq > 0 && table.get(histKey(seq))?.line === text) return;
    this.sandbox.mutate((sb) => {
      const n = seq + 1;
      meta.set(HISTORY_COUNTER, n);
      table.set(histKey(n), { line: text, at: sb.now() });
      if (n > HISTORY_LIMIT) table.delete(histKey(n - HISTORY_LIMIT));
    });
  }

  /** The history, oldest first, with bash's numbers. */
  historyEntries(): { n: number; line: string }[] {
    const table = this.sandbox.db.table<HistoryRow>(HISTORY_TABLE);
    const keys = [...table.keys()].sort();
    const out: { n: number; line: string }[] = [];
    for (const k of keys) out.push({ n: Number(k), line: table.get(k)!.line });
    // keep only the newest HISTORY_LIMIT even if more were loaded
    return out.length > HISTORY_LIMIT ? out.slice(out.length - HISTORY_LIMIT) : out;
  }

  history(): string[] {
    return this.historyEntries().map((e) => e.line);
  }

  clearHistory(): void {
    const table = this.sandbox.db.table<HistoryRow>(HISTORY_TABLE);
    this.sandbox.mutate(() => {
      for (const k of [...table.keys()]) table.delete(k);
      this.sandbox.db.table<unknown>('meta').set(HISTORY_COUNTER, 0);
    });
  }
}

/** The longest run of whole lines at the start of `src` that parses (empty when none). */
function validPrefix(src: string): Script {
  const lines = src.split('\n');
  for (let k = lines.length - 1; k > 0; k--) {
    try {
      const s = parseCached(lines.slice(0, k).join('\n'));
      return s;
    } catch {
      // try a shorter prefix
    }
  }
  return { items: [] };
}
