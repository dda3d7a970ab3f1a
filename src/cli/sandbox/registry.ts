/**
 * `sandbox ...` subcommands: the sandbox's own controls (clock, export,
 * import, reset, status, quota, s3 consistency, lessons, ec2 add-capacity ...).
 * Each module registers its subcommands by their word path.
 */
import type { CommandContext } from '../types';

export interface SandboxSubcommand {
  /** Words after `sandbox`, e.g. ['clock'] or ['s3', 'consistency']. The longest match wins. */
  path: string[];
  summary: string;
  usage: string;
  run(ctx: CommandContext, args: string[]): number;
  complete?(ctx: CommandContext, args: string[], partial: string): string[];
}

const SUBCOMMANDS: SandboxSubcommand[] = [];

export function registerSandboxCommand(cmd: SandboxSubcommand): void {
  const i = SUBCOMMANDS.findIndex((c) => c.path.join(' ') === cmd.path.join(' '));
  if (i >= 0) SUBCOMMANDS.splice(i, 1);
  SUBCOMMANDS.push(cmd);
}

/** Find the subcommand with the longest path that prefixes argv. */
export function findSandboxCommand(argv: string[]): { cmd: SandboxSubcommand; rest: string[] } | undefined {
  let best: SandboxSubcommand | undefined;
  for (const c of SUBCOMMANDS) {
    if (c.path.length <= argv.length && c.path.every((w, i) => argv[i] === w)) {
      if (!best || c.path.length > best.path.length) best = c;
    }
  }
  return best ? { cmd: best, rest: argv.slice(best.path.length) } : undefined;
}

export function sandboxCommands(): SandboxSubcommand[] {
  return [...SUBCOMMANDS].sort((a, b) => a.path.join(' ').localeCompare(b.path.join(' ')));
}
