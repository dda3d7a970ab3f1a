/**
 * Waiters (`aws SERVICE wait NAME ...`): poll an operation, moving the
 * simulated clock between attempts, until an acceptor says success or
 * failure, as botocore's waiters do. Services register theirs with facts
 * from the models' waiters-2.json.
 */
import type { ApiResponse } from '../../engine';
import { search } from './paginate';
import { camelFromKebab } from './names';

export interface WaiterAcceptor {
  state: 'success' | 'failure' | 'retry';
  matcher: 'path' | 'pathAll' | 'pathAny' | 'error' | 'status';
  /** JMESPath over the output (path matchers). */
  argument?: string;
  expected: unknown;
}

export interface WaiterDef {
  /** The CLI service word's API service name ('ecs', 's3'). */
  service: string;
  /** CLI name: 'tasks-running'. */
  name: string;
  /** botocore's name ('TasksRunning'); derived from `name` when absent. */
  waiterName?: string;
  operation: string;
  delaySeconds: number;
  maxAttempts: number;
  acceptors: WaiterAcceptor[];
  /** Help text in our words. */
  doc?: string;
}

const WAITERS = new Map<string, WaiterDef>();

export function registerWaiter(def: WaiterDef): void {
  WAITERS.set(`${def.service} ${def.name}`, def);
}
export function getWaiter(service: string, name: string): WaiterDef | undefined {
  return WAITERS.get(`${service} ${name}`);
}
export function waitersOf(service: string): WaiterDef[] {
  return [...WAITERS.values()].filter((w) => w.service === service).sort((a, b) => (a.name < b.name ? -1 : 1));
}

function pyValue(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  return String(v);
}

function explanation(a: WaiterAcceptor): string {
  switch (a.matcher) {
    case 'path':
      return `For expression "${a.argument}" we matched expected path: "${pyValue(a.expected)}"`;
    case 'pathAll':
      return `For expression "${a.argument}" all members matched expected path: "${pyValue(a.expected)}"`;
    case 'pathAny':
      return `For expression "${a.argument}" we matched expected path: "${pyValue(a.expected)}" at least once`;
    case 'status':
      return `Matched expected HTTP status code: ${pyValue(a.expected)}`;
    case 'error':
      return `Matched expected service error code: ${pyValue(a.expected)}`;
  }
}

function eq(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function matches(a: WaiterAcceptor, r: ApiResponse): boolean {
  if (a.matcher === 'error') {
    if (r.ok) return false;
    if (typeof a.expected === 'boolean') return a.expected;
    return r.error.code === a.expected;
  }
  if (a.matcher === 'status') return (r.ok ? 200 : r.error.httpStatus) === a.expected;
  if (!r.ok) return false;
  const v = search(r.output, a.argument ?? '@');
  if (a.matcher === 'path') return eq(v, a.expected);
  if (!Array.isArray(v)) return false;
  if (a.matcher === 'pathAll') return v.length > 0 && v.every((x) => eq(x, a.expected));
  return v.some((x) => eq(x, a.expected));
}

export interface WaitResult {
  ok: boolean;
  /** `Waiter TasksRunning failed: ...` when not ok. */
  message?: string;
  attempts: number;
}

/**
 * Poll `call` until an acceptor decides, advancing the clock by the delay
 * between attempts. `delay`/`maxAttempts` may be overridden by the caller.
 */
export function runWaiter(w: WaiterDef, call: () => ApiResponse, advance: (ms: number) => void): WaitResult {
  const name = w.waiterName ?? camelFromKebab(w.name);
  let last: WaiterAcceptor | undefined;
  for (let attempt = 1; ; attempt++) {
    const r = call();
    let state: 'success' | 'failure' | 'retry' | 'waiting' = 'waiting';
    let matched: WaiterAcceptor | undefined;
    for (const a of w.acceptors) {
      if (matches(a, r)) {
        matched = a;
        state = a.state;
        break;
      }
    }
    if (matched) last = matched;
    if (state === 'success') return { ok: true, attempts: attempt };
    if (state === 'failure') {
      return { ok: false, attempts: attempt, message: `Waiter ${name} failed: Waiter encountered a terminal failure state: ${explanation(matched!)}` };
    }
    if (state === 'waiting' && !r.ok) {
      return { ok: false, attempts: attempt, message: `Waiter ${name} failed: An error occurred (${r.error.code}): ${r.error.message}` };
    }
    if (attempt >= w.maxAttempts) {
      const reason = last ? `Max attempts exceeded. Previously accepted state: ${explanation(last)}` : 'Max attempts exceeded';
      return { ok: false, attempts: attempt, message: `Waiter ${name} failed: ${reason}` };
    }
    advance(w.delaySeconds * 1000);
  }
}
