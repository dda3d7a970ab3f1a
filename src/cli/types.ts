/** What the command layer hands back to whoever runs a terminal line (UI, runner, lessons). */

/** Things a command asks the host (the app) to do beyond printing. */
export type Effect =
  | { type: 'open-editor'; path: string }
  | { type: 'clear-screen' }
  | { type: 'download'; path: string }
  | { type: 'lesson'; action: 'open' | 'close' | 'update'; id?: string }
  | { type: 'confirm-reset' }
  | { type: 'state-replaced' }
  | { type: 'open-url'; url: string };

export interface LineResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  effects: Effect[];
}

/** Where one command runs: its streams, the session, the sandbox. */
export interface CommandContext {
  readonly session: import('./session').Session;
  readonly sandbox: import('../engine').Sandbox;
  /** Standard input (what a pipe fed in) as text, binary data decoded lossily; empty string when none. */
  readonly stdin: string;
  /**
   * The same standard input as bytes (binary-safe). Reading `stdin` or `stdinBytes` consumes the input;
   * reading the other one afterwards gives the same data. Absent on contexts not made by the shell:
   * use `stdinBytesOf(ctx)` from commands/util.
   */
  readonly stdinBytes?: Uint8Array;
  /** The shell's current folder (absolute). */
  readonly cwd: string;
  /** Shell variables visible to the command (exported and local). */
  readonly env: Readonly<Record<string, string>>;
  /** Standard output: text (written as UTF-8) or raw bytes; the terminal decodes bytes lossily. */
  out(data: string | Uint8Array): void;
  err(text: string): void;
  effect(e: Effect): void;
}

/** A command the shell can run (`aws`, `ls`, `sandbox`, `docker` ...). Returns the exit code. */
export interface CommandDef {
  name: string;
  /** One line for `help`. */
  summary: string;
  /** Full usage text for `help NAME` / `NAME --help`. */
  usage?: string;
  run(ctx: CommandContext, argv: string[]): number;
  /** Tab completion of the argument under the cursor (argv so far, the partial word). */
  complete?(ctx: CompletionContext, argv: string[], partial: string): string[];
}

export interface CompletionContext {
  readonly session: import('./session').Session;
  readonly sandbox: import('../engine').Sandbox;
  readonly cwd: string;
}

export interface CompletionResult {
  /** Where the word being completed starts in the line. */
  from: number;
  /** Full replacement words for the partial word. */
  candidates: string[];
}
