/**
 * Read-only views of the model for UI panels (resource list, cluster picture,
 * lesson progress). Services register views by name; the Worker serves them
 * through `view(name, args)`. Views must not change state.
 */
import type { Sandbox } from './sandbox';

export type ViewFn = (sandbox: Sandbox, args: Record<string, unknown>) => unknown;

const VIEWS = new Map<string, ViewFn>();

export function registerView(name: string, fn: ViewFn): void {
  VIEWS.set(name, fn);
}

export function runView(sandbox: Sandbox, name: string, args: Record<string, unknown> = {}): unknown {
  const fn = VIEWS.get(name);
  if (!fn) throw new Error(`unknown view ${name}`);
  return fn(sandbox, args);
}

export function viewNames(): string[] {
  return [...VIEWS.keys()].sort();
}
