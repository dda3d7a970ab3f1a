/**
 * The `sandbox` command: the sandbox's own controls. Subcommands register in
 * ./registry.ts (longest word path wins); this module dispatches, prints help
 * and completes subcommand words. Usage errors exit 2.
 */
import { registerCommand } from '../commands/registry';
import type { CommandContext, CompletionContext } from '../types';
import { findSandboxCommand, sandboxCommands, type SandboxSubcommand } from './registry';
import { editDistance } from '../shell/interpreter';
import './core';

export const SANDBOX_USAGE_EXIT = 2;

/** The closest known words to `word` (for "did you mean"). */
export function closest(word: string, words: string[], max = 3): string[] {
  return words
    .map((w) => ({ w, d: w.startsWith(word) || word.startsWith(w) ? 1 : editDistance(word, w) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(x.w.length / 3)))
    .sort((a, b) => a.d - b.d || a.w.localeCompare(b.w))
    .slice(0, max)
    .map((x) => x.w);
}

function helpText(prefix: string[] = []): string {
  const cmds = sandboxCommands().filter((c) => prefix.every((w, i) => c.path[i] === w));
  const width = Math.max(10, ...cmds.map((c) => c.path.join(' ').length));
  const lines = [
    prefix.length ? `sandbox ${prefix.join(' ')}: subcommands` : 'sandbox: controls of the simulated cloud itself (clock, quotas, export, import, reset, undo).',
    '',
    'Usage: sandbox SUBCOMMAND [ARGS]',
    '',
    'Subcommands:',
    ...cmds.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Run `sandbox help SUBCOMMAND` for the details of one.',
  ];
  return lines.join('\n') + '\n';
}

/** Words that can follow `words` as the next subcommand word. */
function nextWords(words: string[]): string[] {
  const out = new Set<string>();
  for (const c of sandboxCommands()) {
    if (c.path.length > words.length && words.every((w, i) => c.path[i] === w)) out.add(c.path[words.length]!);
  }
  return [...out].sort();
}

function usageError(ctx: CommandContext, message: string): number {
  ctx.err(`sandbox: ${message}\n`);
  return SANDBOX_USAGE_EXIT;
}

export function runSandbox(ctx: CommandContext, argv: string[]): number {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    const topic = argv.slice(1);
    if (topic.length) {
      const found = findSandboxCommand(topic);
      if (found && found.rest.length === 0) {
        ctx.out(found.cmd.usage.endsWith('\n') ? found.cmd.usage : found.cmd.usage + '\n');
        return 0;
      }
      if (nextWords(topic).length) {
        ctx.out(helpText(topic));
        return 0;
      }
      return usageError(ctx, `no help for "${topic.join(' ')}"; run \`sandbox help\` for the list`);
    }
    ctx.out(helpText());
    return 0;
  }
  const found = findSandboxCommand(argv);
  if (!found) {
    // the longest known prefix, then the word that is wrong
    let depth = 0;
    while (depth < argv.length && nextWords(argv.slice(0, depth + 1)).length > 0 && nextWords(argv.slice(0, depth)).includes(argv[depth]!)) depth++;
    const known = argv.slice(0, depth);
    const choices = nextWords(known);
    const bad = argv[depth] ?? '';
    const where = known.length ? `sandbox ${known.join(' ')}` : 'sandbox';
    const sugg = closest(bad, choices);
    const hint = sugg.length ? `\nDid you mean: ${sugg.map((s) => `${where} ${s}`).join(', ')}?` : '';
    if (!bad) return usageError(ctx, `${where} needs a subcommand: ${choices.join(', ')}`);
    return usageError(ctx, `unknown subcommand "${bad}" for ${where}.${hint}\nValid choices: ${choices.join(', ')}`);
  }
  const { cmd, rest } = found;
  if (rest[0] === '--help' || rest[0] === '-h' || (rest[0] === 'help' && rest.length === 1 && nextWords(cmd.path).length === 0)) {
    ctx.out(cmd.usage.endsWith('\n') ? cmd.usage : cmd.usage + '\n');
    return 0;
  }
  return cmd.run(ctx, rest);
}

function completionCtx(c: CompletionContext): CommandContext {
  return {
    session: c.session,
    sandbox: c.sandbox,
    stdin: '',
    cwd: c.cwd,
    env: {},
    out: () => {},
    err: () => {},
    effect: () => {},
  };
}

/** Complete the word under the cursor; `argv` are the words after `sandbox` before it. */
export function completeSandbox(c: CompletionContext, argv: string[], partial: string): string[] {
  const found: { cmd: SandboxSubcommand; rest: string[] } | undefined = findSandboxCommand(argv);
  const words = nextWords(argv).filter((w) => w.startsWith(partial));
  if (words.length) return words;
  if (argv.length === 0) return ['help'].filter((w) => w.startsWith(partial));
  if (argv[0] === 'help') return nextWords(argv.slice(1)).filter((w) => w.startsWith(partial));
  if (found?.cmd.complete) return found.cmd.complete(completionCtx(c), found.rest, partial);
  return [];
}

registerCommand({
  name: 'sandbox',
  summary: 'control the simulated cloud: clock, quotas, status, export/import, reset, undo/redo',
  get usage() {
    return helpText();
  },
  run: runSandbox,
  complete: completeSandbox,
});
