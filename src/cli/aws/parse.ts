/**
 * For the headless runner's `--parse` mode: what the AWS CLI would send to the
 * API for a command line, without running it. Params use the model's member
 * names and types; blobs appear as their UTF-8 text, timestamps as ISO 8601.
 */
import type { Sandbox, Shape } from '../../engine';
import { planInvocation, type AwsEnv } from './cli';
import { CliError } from './params';
import { checkBucketParam } from './botocore';
import { base64 } from './format';

export type AwsParseResult =
  | { ok: true; service: string; operation: string; params: Record<string, unknown> }
  | { ok: false; exitCode: number; stderr: string };

/** Timestamps go on the wire as epoch seconds (json protocol) or ISO 8601 (the others). */
function wireTime(ms: number, protocol: string): string | number {
  if (protocol === 'json') return ms % 1000 === 0 ? ms / 1000 : ms / 1000;
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace('.000Z', 'Z') : iso;
}

function jsonable(v: unknown, shape: Shape | undefined, protocol = 'json'): unknown {
  if (v instanceof Uint8Array) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(v);
    } catch {
      return base64(v);
    }
  }
  if (shape?.type === 'timestamp' && typeof v === 'number') return wireTime(v, protocol);
  if (Array.isArray(v)) return v.map((x) => jsonable(x, shape?.type === 'list' ? (shape.member as Shape) : undefined, protocol));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const sub =
        shape?.type === 'structure' ? (shape.members as Record<string, Shape>)[k] : shape?.type === 'map' ? (shape.value as Shape) : undefined;
      out[k] = jsonable(x, sub, protocol);
    }
    return out;
  }
  return v;
}

/**
 * Parse `argv` (the words after `aws`) as the CLI would. Commands that do not
 * map to one API call (help, --version, custom commands, skeletons) come back
 * with operation '' and no params, exit code 0.
 */
export function parseAwsInvocation(sandbox: Sandbox, where: AwsEnv, argv: string[]): AwsParseResult {
  try {
    const plan = planInvocation(sandbox, where, argv);
    if (plan.kind === 'op' || plan.kind === 'wait') {
      if (plan.command.service.name === 's3') checkBucketParam(plan.params);
      return {
        ok: true,
        service: plan.command.service.name,
        operation: plan.command.op.name,
        params: jsonable(plan.params, plan.command.op.input, plan.command.service.protocol) as Record<string, unknown>,
      };
    }
    if (plan.kind === 'custom') return { ok: true, service: plan.cmd.service, operation: '', params: {} };
    if (plan.kind === 'unsimulated') {
      return {
        ok: false,
        exitCode: 254,
        stderr: `\nAn error occurred (NotYetSimulated) when calling the ${plan.operation} operation: The ${plan.operation} operation of ${plan.service} is not yet simulated by Nimbus, so its options cannot be checked.\n`,
      };
    }
    return { ok: true, service: '', operation: '', params: {} };
  } catch (e) {
    if (e instanceof CliError) return { ok: false, exitCode: e.exitCode, stderr: `\n${e.message}\n` };
    return { ok: false, exitCode: 255, stderr: `\n${e instanceof Error ? e.message : String(e)}\n` };
  }
}

// ---------------------------------------------------------------- whole terminal lines

type Capture = (r: AwsParseResult) => void;
let capture: Capture | undefined;

/** While set, the `aws` command records its parse instead of running (main.ts reads this). */
export function parseCapture(): Capture | undefined {
  return capture;
}

/**
 * Parse one terminal line containing an `aws` command, with the shell's own
 * word expansion (quotes, variables): the line runs through the session with
 * `aws` switched to parse-only. Returns null when no aws command ran.
 * Matches the runner's AwsLineParser type (src/runner/run.ts).
 */
export function parseAwsLine(
  session: { run(line: string): { exitCode: number } },
  line: string,
): { exitCode: number; operation?: string; params?: unknown; stderr?: string } | null {
  const seen: AwsParseResult[] = [];
  const prev = capture;
  capture = (r) => seen.push(r);
  try {
    session.run(line);
  } finally {
    capture = prev;
  }
  const last = seen[seen.length - 1];
  if (!last) return null;
  if (last.ok) return last.operation ? { exitCode: 0, operation: last.operation, params: last.params } : { exitCode: 0 };
  return { exitCode: last.exitCode, stderr: last.stderr };
}
