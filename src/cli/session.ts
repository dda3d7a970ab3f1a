/**
 * A terminal session: the shell state (folder, variables, last exit code,
 * history) over one Sandbox. `run(line)` executes a whole terminal line and
 * returns what the terminal shows. The same class serves the Worker, the
 * headless runner and the lesson checker, so they always agree.
 *
 * NOTE: `run` is a placeholder until the shell (src/cli/shell/) lands: it splits on
 * spaces and runs one command.
 */
import type { Sandbox } from '../engine';
import { HOME } from '../engine';
import type { CommandContext, Effect, LineResult, CompletionResult } from './types';
import { getCommand } from './commands/registry';
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

export class Session {
  readonly sandbox: Sandbox;

  constructor(sandbox: Sandbox, _opts: SessionOptions = {}) {
    this.sandbox = sandbox;
  }

  /** The shell state, kept in the sandbox's meta table so it is persisted and exported. */
  get shell(): ShellState {
    return (this.sandbox.db.table<ShellState>('meta').get('shell') as ShellState | undefined) ?? DEFAULT_SHELL_STATE;
  }
  setShell(next: ShellState): void {
    this.sandbox.mutate(() => this.sandbox.db.table<ShellState>('meta').set('shell', next));
  }

  /** The region commands use when no --region is given (AWS_DEFAULT_REGION, else the profile's). */
  get region(): string {
    return this.shell.vars['AWS_REGION'] ?? this.shell.vars['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  }

  run(line: string): LineResult {
    const argv = line.trim().split(/\s+/).filter(Boolean);
    const effects: Effect[] = [];
    let stdout = '';
    let stderr = '';
    if (argv.length === 0) return { exitCode: 0, stdout, stderr, effects };
    const cmd = getCommand(argv[0]!);
    if (!cmd) return { exitCode: 127, stdout, stderr: `nimbus: ${argv[0]}: command not found\n`, effects };
    const ctx: CommandContext = {
      session: this,
      sandbox: this.sandbox,
      stdin: '',
      cwd: this.shell.cwd,
      env: this.shell.vars,
      out: (t) => (stdout += t),
      err: (t) => (stderr += t),
      effect: (e) => effects.push(e),
    };
    const exitCode = cmd.run(ctx, argv.slice(1));
    return { exitCode, stdout, stderr, effects };
  }

  complete(line: string, cursor: number): CompletionResult {
    return { from: cursor, candidates: [] };
  }
}
