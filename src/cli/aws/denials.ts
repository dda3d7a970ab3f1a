/** The explanation of a denial for `--debug` and `sandbox explain-last-denial`. */
import type { Sandbox } from '../../engine';
import { denialCount, lastDenial } from '../../engine/services/iam/authz';
import { explainDecision } from '../../engine/policy';

export function denialsSoFar(sandbox: Sandbox): number {
  return denialCount(sandbox.db);
}

/** The explanation of the denial recorded since `before`, as --debug lines (empty when none). */
export function debugDenialNote(sandbox: Sandbox, before: number, stamp: string): string {
  const d = lastDenial(sandbox.db);
  if (!d || d.count === before) return '';
  return explainDecision(d.decision)
    .trimEnd()
    .split('\n')
    .map((l) => `${stamp} - MainThread - nimbus.access - DEBUG - ${l}`)
    .join('\n') + '\n';
}

/** The full explanation of the last denial, or undefined when nothing was denied yet. */
export function explainLastDenial(sandbox: Sandbox): string | undefined {
  const d = lastDenial(sandbox.db);
  if (!d) return undefined;
  return `Last denied request: ${d.service} ${d.operation}\n\n` + explainDecision(d.decision);
}
