/**
 * Resource-name completion for the `aws` command: service engineers register
 * a completer per kind (bucket, cluster, task-definition ...) that lists the
 * names a learner could type in a region.
 */
import type { CompletionKind, Sandbox } from '../../engine';

export type Completer = (sandbox: Sandbox, region: string, partial: string) => string[];

const COMPLETERS = new Map<string, Completer>();

export function registerCompleter(kind: CompletionKind | string, fn: Completer): void {
  COMPLETERS.set(kind, fn);
}
export function getCompleter(kind: string): Completer | undefined {
  return COMPLETERS.get(kind);
}
