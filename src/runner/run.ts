/**
 * The headless runner's logic (main.ts is the command-line wrapper): run
 * terminal lines against one fresh Sandbox + Session in Node, exactly as the
 * browser's terminal would, and report them as text, JSON or parsed API calls.
 */
import { Sandbox } from '../engine/sandbox';
import { HOME } from '../engine/vfs';
import { exportStateJson, importState, SnapshotError } from '../engine/snapshot';
import { Session } from '../cli/session';
import type { LineResult } from '../cli/types';
import { UndoStack, attachUndoStack } from '../cli/undo';
import { runAfterExec } from '../worker/hooks';

export interface RunnerOptions {
  mode: 'text' | 'json' | 'parse';
  script?: string;
  home?: string;
  state?: string;
  save?: string;
  seed?: number;
  checkLesson?: string;
  help?: boolean;
}

export const RUNNER_USAGE = `Usage: npm run -s sandbox -- [options] [SCRIPT]

Runs terminal lines from SCRIPT (or standard input) against one fresh Nimbus
sandbox, with the same engine and CLI as the browser app.

Options:
  --json              one JSON object per input line: {"cmd","exitCode","stdout","stderr"}
  --parse             for each aws line, print {"cmd","exitCode","operation","params"}
                      (the API call the AWS CLI would make) without running anything
  --home DIR          copy DIR's files (recursively) into the home folder first
  --state FILE        start from a state written by \`sandbox export\` or --save
  --save FILE         write the final state to FILE (same format as \`sandbox export\`)
  --seed N            seed of the ids and random choices (default 1)
  --check-lesson ID   after the script, print the lesson's goal report
  -h, --help          show this help

Lines: a line ending in a backslash continues on the next one, and so does an
unclosed quote; blank lines and # comments are skipped.
Exit code: the last line's exit code (0 with no lines); with --check-lesson,
0 when every goal of the lesson is met and 1 otherwise; 2 for a bad option or
an unreadable --home/--state/SCRIPT.
`;

export class UsageError extends Error {}

export function parseRunnerArgs(argv: string[]): RunnerOptions {
  const o: RunnerOptions = { mode: 'text' };
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.match(/^(--[a-z-]+)=(.*)$/);
    const [name, inline] = eq ? [eq[1]!, eq[2]!] : [a, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = value(i, name);
      i++;
      return v;
    };
    switch (name) {
      case '--json':
        o.mode = 'json';
        break;
      case '--parse':
        o.mode = 'parse';
        break;
      case '--home':
        o.home = take();
        break;
      case '--state':
        o.state = take();
        break;
      case '--save':
        o.save = take();
        break;
      case '--seed': {
        const v = take();
        if (!/^\d{1,9}$/.test(v)) throw new UsageError(`--seed must be a whole number, not "${v}"`);
        o.seed = Number(v);
        break;
      }
      case '--check-lesson':
        o.checkLesson = take();
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        if (o.script !== undefined) throw new UsageError(`only one SCRIPT may be given (got "${o.script}" and "${a}")`);
        o.script = a;
    }
  }
  return o;
}

export interface LogicalLine {
  /** The line as the shell receives it (continuations joined). */
  text: string;
  /** 1-based number of its first physical line. */
  lineNo: number;
}

/**
 * Split a script into logical lines: a trailing backslash (outside single
 * quotes) joins the next line, an unclosed quote continues on the next line
 * (keeping the newline) unless it is still open at the end of the script:
 * then that one line stands alone (and fails) and the lines after it run.
 * Blank lines and whole-line comments are dropped.
 */
export function logicalLines(text: string): LogicalLine[] {
  const phys = text.replace(/\r\n?/g, '\n').split('\n');
  if (phys.length && phys[phys.length - 1] === '') phys.pop();
  return splitLines(phys, 0);
}

function splitLines(phys: string[], offset: number): LogicalLine[] {
  const out: LogicalLine[] = [];
  let buf = '';
  let start = 0;
  let quote: "'" | '"' | null = null;
  for (let n = 0; n < phys.length; n++) {
    const line = phys[n]!;
    if (buf === '' && quote === null) start = n + 1;
    let cont: 'none' | 'backslash' | 'quote' = 'none';
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote === "'") {
        if (c === "'") quote = null;
        continue;
      }
      if (c === '\\') {
        if (i === line.length - 1) {
          cont = 'backslash';
          break;
        }
        i++;
        continue;
      }
      if (quote === '"') {
        if (c === '"') quote = null;
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break; // a comment: quotes after it do not count
    }
    if (cont === 'none' && quote !== null) cont = 'quote';
    if (cont === 'backslash') buf += line.slice(0, -1);
    else if (cont === 'quote') buf += line + '\n';
    else {
      buf += line;
      const whole = buf;
      buf = '';
      const trimmed = whole.trim();
      if (trimmed !== '' && !trimmed.startsWith('#')) out.push({ text: whole, lineNo: start + offset });
    }
  }
  if (quote !== null) {
    // a quote never closed: that line alone is malformed (the shell reports it); go on after it
    const first = phys[start - 1]!;
    out.push({ text: first, lineNo: start + offset });
    return out.concat(splitLines(phys.slice(start), offset + start));
  }
  if (buf.trim() !== '') out.push({ text: buf, lineNo: start + offset });
  return out;
}

export interface RunnerIO {
  out(text: string): void;
  err(text: string): void;
  /** Read a file of the real file system (text). */
  readFile(path: string): string;
  readBytes(path: string): Uint8Array;
  writeFile(path: string, text: string): void;
  /** Every file below a folder, as paths relative to it (with '/'). */
  walk(dir: string): string[];
}

/** What a lesson check returns (src/lessons/index.ts `checkLessonReport`). */
export interface LessonReportLike {
  ok?: boolean;
  met?: boolean;
  passed?: boolean;
  text?: string;
  report?: string;
  [k: string]: unknown;
}

export type LessonChecker = (sandbox: Sandbox, id: string) => LessonReportLike | string | boolean | Promise<LessonReportLike | string | boolean>;

/** Parse one aws line into the API call it would make (src/cli/aws/parse.ts). */
export type AwsLineParser = (session: Session, line: string) => { exitCode: number; operation?: string; params?: unknown; stderr?: string } | null;

export interface RunnerDeps {
  checkLesson?: LessonChecker;
  parseAwsLine?: AwsLineParser;
}

/** A sandbox and session set up as the options say (seed, state, home folder). */
export function prepare(opts: RunnerOptions, io: RunnerIO): { sandbox: Sandbox; session: Session; undo: UndoStack } {
  const sandbox = new Sandbox(opts.seed !== undefined ? { seed: opts.seed } : {});
  if (opts.state !== undefined) {
    let text: string;
    try {
      text = io.readFile(opts.state);
    } catch (e) {
      throw new UsageError(`cannot read --state ${opts.state}: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      importState(sandbox, text);
    } catch (e) {
      if (e instanceof SnapshotError) throw new UsageError(`--state ${opts.state} is not a valid Nimbus state: ${e.message}`);
      throw e;
    }
  }
  if (opts.home !== undefined) {
    let files: string[];
    try {
      files = io.walk(opts.home);
    } catch (e) {
      throw new UsageError(`cannot read --home ${opts.home}: ${e instanceof Error ? e.message : String(e)}`);
    }
    sandbox.mutate((sb) => {
      for (const rel of files) sb.vfs.writeBytes(`${HOME}/${rel}`, io.readBytes(`${opts.home}/${rel}`), { createParents: true });
    });
  }
  sandbox.takeChanges();
  const session = new Session(sandbox);
  const undo = attachUndoStack(sandbox, new UndoStack());
  return { sandbox, session, undo };
}

const AWS_WORD = /(^|[\s;&|(`])aws(\s|$)/;
const ASSIGNMENT = /^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*=[^;&|`$()]*$/;

function runOne(session: Session, line: string): LineResult {
  try {
    return session.run(line);
  } catch (e) {
    return { exitCode: 255, stdout: '', stderr: `nimbus: internal error: ${e instanceof Error ? e.message : String(e)}\n`, effects: [] };
  }
}

/** Run a script; returns the runner's exit code. */
export async function runScript(opts: RunnerOptions, script: string, io: RunnerIO, deps: RunnerDeps = {}): Promise<number> {
  const { sandbox, session, undo } = prepare(opts, io);
  const lines = logicalLines(script);
  let exit = 0;
  for (const { text } of lines) {
    if (opts.mode === 'parse') {
      if (!AWS_WORD.test(text)) {
        // variable assignments still run, so later aws lines expand $NAME as they would
        if (ASSIGNMENT.test(text)) runOne(session, text);
        continue;
      }
      if (!deps.parseAwsLine) throw new UsageError('--parse is not available: the aws command parser (src/cli/aws/parse.ts) is missing');
      const p = deps.parseAwsLine(session, text);
      if (!p) continue;
      exit = p.exitCode;
      const rec: Record<string, unknown> = { cmd: text, exitCode: p.exitCode, operation: p.operation ?? null };
      if (p.exitCode === 0 && p.params !== undefined) rec['params'] = p.params;
      if (p.exitCode !== 0 && p.stderr) rec['stderr'] = p.stderr;
      io.out(JSON.stringify(rec) + '\n');
      continue;
    }
    session.addHistory(text); // before it runs, as bash
    const r = runOne(session, text);
    undo.record(sandbox.takeChanges(), text);
    await runAfterExec({ kind: 'exec', line: text, result: r, sandbox, session });
    sandbox.takeChanges();
    if (r.effects.some((e) => e.type === 'state-replaced')) undo.clear();
    exit = r.exitCode;
    if (opts.mode === 'json') io.out(JSON.stringify({ cmd: text, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }) + '\n');
    else {
      if (r.stdout) io.out(r.stdout);
      if (r.stderr) io.err(r.stderr);
    }
  }
  if (opts.save !== undefined) io.writeFile(opts.save, exportStateJson(sandbox, true) + '\n');
  if (opts.checkLesson !== undefined) {
    if (!deps.checkLesson) throw new UsageError('--check-lesson is not available: the lesson checker (src/lessons/index.ts) is missing');
    const rep = await deps.checkLesson(sandbox, opts.checkLesson);
    return printReport(rep, io);
  }
  return exit;
}

function printReport(rep: LessonReportLike | string | boolean, io: RunnerIO): number {
  if (typeof rep === 'boolean') {
    io.out(rep ? 'All goals met.\n' : 'Some goals are not met.\n');
    return rep ? 0 : 1;
  }
  if (typeof rep === 'string') {
    io.out(rep.endsWith('\n') ? rep : rep + '\n');
    return 0;
  }
  const text = typeof rep.text === 'string' ? rep.text : typeof rep.report === 'string' ? rep.report : JSON.stringify(rep, null, 2);
  io.out(text.endsWith('\n') ? text : text + '\n');
  const ok = rep.ok ?? rep.met ?? rep.passed ?? false;
  return ok ? 0 : 1;
}
