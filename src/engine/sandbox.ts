/**
 * The engine's one entry: a Sandbox holds the whole simulated cloud and answers
 * API requests `{service, operation, input, identity, region}` with the output
 * shape or an AWS error. Every request runs in a transaction: an operation
 * that fails changes nothing.
 */
import { Db, type Change } from './store/db';
import { BlobStore } from './store/blobs';
import { Rng, seedState, nextCounter } from './random';
import { Scheduler } from './scheduler';
import { Vfs, HOME } from './vfs';
import { clockNow, setClock, DEFAULT_START_MS } from './clock';
import { AwsError, commonErrors, type AwsErrorShape } from './errors';
import { ADMIN_IDENTITY, type Identity } from './identity';
import { ACCOUNT_ID, DEFAULT_REGION, isRegion } from './regions';
import { readConfig, defaultConfig, type SandboxConfig } from './config';
import type { Ctx } from './context';
import type { ServiceDef } from './service';
import type { AnyOperation } from './shapes';
import { ALL_SERVICES } from './services';

export interface ApiRequest {
  service: string;
  operation: string;
  input?: Record<string, unknown>;
  identity?: Identity;
  region?: string;
  /** Where the request comes from and how (policy condition keys). */
  requestContext?: Record<string, unknown>;
}

export type ApiResponse = { ok: true; output: unknown } | { ok: false; error: AwsErrorShape };

export interface CallLogEntry {
  seq: number;
  at: number;
  service: string;
  operation: string;
  region: string;
  caller: string;
  input: Record<string, unknown>;
  ok: boolean;
  errorCode?: string;
}

export interface SandboxOptions {
  seed?: number;
  startTime?: number;
  services?: ServiceDef[];
}

const CALL_LOG_LIMIT = 2000;

export class Sandbox {
  readonly db = new Db();
  readonly blobs: BlobStore;
  readonly rng: Rng;
  readonly scheduler: Scheduler;
  readonly vfs: Vfs;
  readonly services: ServiceDef[];
  private readonly byName = new Map<string, ServiceDef>();
  private readonly ops = new Map<string, AnyOperation>();
  private pending: Change[] = [];
  private readonly changeListeners = new Set<(changes: Change[]) => void>();

  constructor(opts: SandboxOptions = {}) {
    this.services = opts.services ?? ALL_SERVICES;
    this.rng = new Rng(this.db);
    this.blobs = new BlobStore(this.db, () => `b${nextCounter(this.db, 'blob')}`);
    this.scheduler = new Scheduler(this.db);
    this.vfs = new Vfs(this.db, this.blobs);
    for (const svc of this.services) {
      this.byName.set(svc.name, svc);
      for (const op of svc.operations) this.ops.set(`${svc.name}.${op.name}`, op);
    }
    for (const svc of this.services) svc.setup?.(this);
    this.initFresh(opts.seed ?? 1, opts.startTime ?? DEFAULT_START_MS);
  }

  /** Lay down a fresh world: clock, seed, config, home folder, each service's defaults. */
  initFresh(seed: number, startTime: number = DEFAULT_START_MS): void {
    this.db.clear();
    this.db.transact(() => {
      const meta = this.db.table<unknown>('meta');
      meta.set('rng', seedState(seed));
      meta.set('seed', seed);
      setClock(this.db, startTime);
      meta.set('config', defaultConfig());
      this.db.table('fs').set(HOME, { type: 'dir', size: 0, mtime: startTime });
      // Tutorials write scratch files to /tmp; it exists as on any Linux machine.
      this.db.table('fs').set('/tmp', { type: 'dir', size: 0, mtime: startTime });
      const ctx = this.context(DEFAULT_REGION, ADMIN_IDENTITY);
      for (const svc of this.services) svc.seed?.(ctx);
    });
    this.pending = [];
  }

  service(name: string): ServiceDef | undefined {
    return this.byName.get(name);
  }
  operation(service: string, operation: string): AnyOperation | undefined {
    return this.ops.get(`${service}.${operation}`);
  }

  now(): number {
    return clockNow(this.db);
  }
  config(): SandboxConfig {
    return readConfig(this.db);
  }

  /** A handler context for a region and identity (also used by lesson checks and seeding). */
  context(region: string, identity: Identity, requestContext: Record<string, unknown> = {}): Ctx {
    const db = this.db;
    return {
      db,
      blobs: this.blobs,
      rng: this.rng,
      scheduler: this.scheduler,
      vfs: this.vfs,
      region,
      identity,
      accountId: ACCOUNT_ID,
      now: () => clockNow(db),
      config: () => readConfig(db),
      table: <T>(name: string) => db.table<T>(name),
      requestContext,
    };
  }

  /** Answer one API request. */
  call(req: ApiRequest): ApiResponse {
    const region = req.region ?? DEFAULT_REGION;
    const identity = req.identity ?? ADMIN_IDENTITY;
    const op = this.ops.get(`${req.service}.${req.operation}`);
    let outcome: ApiResponse;
    if (!this.byName.has(req.service)) {
      outcome = { ok: false, error: new AwsError('UnknownService', `Nimbus does not simulate the service ${req.service}.`, 400).toJSON() };
    } else if (!op) {
      outcome = { ok: false, error: commonErrors.notYetSimulated(req.service, req.operation).toJSON() };
    } else if (!isRegion(region)) {
      outcome = {
        ok: false,
        error: new AwsError('InvalidRegion', `Could not connect to the endpoint URL: the region "${region}" does not exist.`, 400).toJSON(),
      };
    } else {
      try {
        const { result, changes } = this.db.transact(() => {
          const ctx = this.context(region, identity, req.requestContext ?? {});
          this.byName.get(req.service)!.authorize?.(ctx, req.operation, req.input ?? {});
          const output = (op.handler as (c: Ctx, i: unknown) => unknown)(ctx, req.input ?? {});
          this.scheduler.runDue();
          this.logCall(req, region, identity, true);
          return output;
        });
        this.push(changes);
        outcome = { ok: true, output: result ?? {} };
      } catch (e) {
        outcome = { ok: false, error: toErrorShape(e) };
        const { changes } = this.db.transact(() => this.logCall(req, region, identity, false, outcome.ok ? undefined : outcome.error.code));
        this.push(changes);
      }
    }
    return outcome;
  }

  /** Run a non-API change (home folder, clock, config, lessons) atomically. */
  mutate<R>(fn: (sb: this) => R): R {
    const { result, changes } = this.db.transact(() => fn(this));
    this.push(changes);
    return result;
  }

  /** Move the simulated clock forward by `ms`, running everything due in between. */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new Error('the clock can only move forward');
    return this.mutate(() => this.scheduler.advanceTo(this.now() + ms));
  }

  private logCall(req: ApiRequest, region: string, identity: Identity, ok: boolean, errorCode?: string): void {
    const seq = nextCounter(this.db, 'call');
    const calls = this.db.table<CallLogEntry>('calls');
    calls.set(String(seq).padStart(10, '0'), {
      seq,
      at: this.now(),
      service: req.service,
      operation: req.operation,
      region,
      caller: identity.arn,
      input: summariseInput(req.input ?? {}),
      ok,
      ...(errorCode ? { errorCode } : {}),
    });
    if (seq > CALL_LOG_LIMIT) calls.delete(String(seq - CALL_LOG_LIMIT).padStart(10, '0'));
  }

  /** The log of API calls, oldest first (the last 2,000). */
  callLog(): CallLogEntry[] {
    return [...this.db.table<CallLogEntry>('calls').values()].sort((a, b) => a.seq - b.seq);
  }

  private push(changes: Change[]): void {
    if (!changes.length) return;
    this.pending.push(...changes);
    for (const l of this.changeListeners) l(changes);
  }

  /** The changes since the last call, merged per row (first prev, last value). */
  takeChanges(): Change[] {
    const merged = mergeChanges(this.pending);
    this.pending = [];
    return merged;
  }

  onChange(listener: (changes: Change[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }
}

export function mergeChanges(list: Change[]): Change[] {
  const byId = new Map<string, Change>();
  for (const c of list) {
    const id = c.table + '\u0000' + c.key;
    const prev = byId.get(id);
    if (prev) byId.set(id, { ...prev, value: c.value });
    else byId.set(id, { ...c });
  }
  return [...byId.values()].filter((c) => c.value !== c.prev);
}

function toErrorShape(e: unknown): AwsErrorShape {
  if (e instanceof AwsError) return e.toJSON();
  const msg = e instanceof Error ? e.message : String(e);
  return commonErrors.internal(msg).toJSON();
}

/** Secrets a request may carry (SSE-C keys): never kept in the call log, as CloudTrail redacts them. */
const SENSITIVE_MEMBERS = new Set(['SSECustomerKey', 'CopySourceSSECustomerKey']);

/** Keep the call log small: bodies become their size; secrets are redacted. */
function summariseInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v instanceof Uint8Array) out[k] = { bytes: v.byteLength };
    else if (SENSITIVE_MEMBERS.has(k)) out[k] = '*** (sensitive, not logged)';
    else out[k] = v;
  }
  return out;
}
