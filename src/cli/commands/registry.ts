/**
 * The commands the shell knows. Each module registers its commands here
 * (shell builtins, `aws`, `sandbox`, `docker`, `curl` ...); `registerAll`
 * in ../commands/index.ts imports them all.
 */
import type { CommandDef } from '../types';

const COMMANDS = new Map<string, CommandDef>();

export function registerCommand(def: CommandDef): void {
  COMMANDS.set(def.name, def);
}

export function getCommand(name: string): CommandDef | undefined {
  return COMMANDS.get(name);
}

export function commandNames(): string[] {
  return [...COMMANDS.keys()].sort();
}
