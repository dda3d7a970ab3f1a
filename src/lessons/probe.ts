/**
 * Read-only access to the model for checks. A probe runs read-only API calls
 * (ListBuckets, HeadObject, DescribeTasks ...) with the admin identity inside
 * one transaction that is always rolled back: the learner's call log, the
 * random-number state and everything else stay exactly as they were. Inside
 * the probe S3 reads are strongly consistent, so a check sees the truth even
 * while a lesson runs the eventual-consistency mode.
 */
import type { Sandbox } from '../engine';
import { ADMIN_IDENTITY } from '../engine';
import { updateConfig } from '../engine/config';
import { T_OBJECTS, type ObjectRow } from '../engine/services/s3/model';

export type ProbeResult = { ok: true; output: Record<string, unknown> } | { ok: false; code: string; message: string };

export interface ProbeApi {
  call(service: string, operation: string, input?: Record<string, unknown>, region?: string): ProbeResult;
}

const ROLLBACK = Symbol('probe-rollback');

export function probe<R>(sandbox: Sandbox, fn: (api: ProbeApi) => R): R {
  if (sandbox.db.inTransaction) throw new Error('lesson checks cannot run inside a transaction');
  const api: ProbeApi = {
    call(service, operation, input = {}, region) {
      const r = sandbox.call({ service, operation, input, region, identity: ADMIN_IDENTITY });
      if (r.ok) return { ok: true, output: (r.output ?? {}) as Record<string, unknown> };
      return { ok: false, code: r.error.code, message: r.error.message };
    },
  };
  let result: { value: R } | undefined;
  try {
    sandbox.db.transact(() => {
      const eventual = Object.values(sandbox.config().s3Consistency).includes('eventual');
      updateConfig(sandbox.db, (c) => ({ ...c, s3Consistency: {} }));
      if (eventual) {
        // S3 keeps the stale view of an eventual-consistency window in the object row: drop it here.
        const objects = sandbox.db.table<ObjectRow>(T_OBJECTS);
        for (const [key, row] of [...objects.entries()]) {
          if (!row.stale) continue;
          const { stale: _stale, ...rest } = row;
          void _stale;
          if (rest.versions.length) objects.set(key, rest);
          else objects.delete(key);
        }
      }
      result = { value: fn(api) };
      throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return result!.value;
}

/** True when `n` satisfies the count. */
export function countOk(n: number, c: { exactly?: number; atLeast?: number; atMost?: number }): boolean {
  if (c.exactly !== undefined && n !== c.exactly) return false;
  if (c.atLeast !== undefined && n < c.atLeast) return false;
  if (c.atMost !== undefined && n > c.atMost) return false;
  return true;
}

/** "exactly 3", "at least 2", "between 1 and 4". */
export function countWords(c: { exactly?: number; atLeast?: number; atMost?: number }): string {
  if (c.exactly !== undefined) return `exactly ${c.exactly}`;
  if (c.atLeast !== undefined && c.atMost !== undefined) return `between ${c.atLeast} and ${c.atMost}`;
  if (c.atLeast !== undefined) return `at least ${c.atLeast}`;
  if (c.atMost !== undefined) return `at most ${c.atMost}`;
  return 'any number of';
}

/** Does `actual` contain `expected` (objects: every listed member; arrays: every expected item somewhere; scalars compared as text)? */
export function deepIncludes(actual: unknown, expected: unknown): boolean {
  if (expected === null || expected === undefined) return actual === expected || actual === undefined || actual === null;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    return expected.every((e) => actual.some((a) => deepIncludes(a, e)));
  }
  if (typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).every(([k, v]) => deepIncludes(a[k], v));
  }
  if (actual === undefined || actual === null || typeof actual === 'object') return false;
  return String(actual) === String(expected);
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function listWords(items: string[], max = 5): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
