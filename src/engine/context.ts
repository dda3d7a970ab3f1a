/** What an operation handler gets: the state, the clock, randomness, who and where. */
import type { Db, Table } from './store/db';
import type { BlobStore } from './store/blobs';
import type { Rng } from './random';
import type { Scheduler } from './scheduler';
import type { Identity } from './identity';
import type { Vfs } from './vfs';
import type { SandboxConfig } from './config';

export interface Ctx {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly rng: Rng;
  readonly scheduler: Scheduler;
  readonly vfs: Vfs;
  /** The region the request was sent to. */
  readonly region: string;
  readonly identity: Identity;
  /** The learner's account id. */
  readonly accountId: string;
  /** Simulated time in ms since the epoch. */
  now(): number;
  /** Sandbox-wide settings (modes, quotas), read-only here; see config.ts to change them. */
  config(): SandboxConfig;
  table<T>(name: string): Table<T>;
  /** Extra facts about the request (source VPC/endpoint, secure transport, ...), for policy conditions. */
  readonly requestContext: Readonly<Record<string, unknown>>;
}
