/**
 * The sandbox's state in IndexedDB (through `idb`).
 *
 * Database 'nimbus', schema version SCHEMA_VERSION, migrations run in order
 * from version 0 (see MIGRATIONS). Version 1:
 *   - 'rows':  out-of-line key [table, key] -> the row value (plain JSON data)
 *   - 'blobs': key blob id -> { blob: Blob, md5, refs }  (bodies as Blobs, never base64)
 *   - 'meta':  'format' -> { schema: 1 }
 *
 * `save(changes)` writes one command line's Change[] in ONE readwrite
 * transaction over 'rows' and 'blobs' and resolves when it has committed, so
 * a closed tab never leaves half a change. If IndexedDB is unavailable
 * (private mode, blocked) or a write fails (QuotaExceededError ...), the
 * persistence switches to 'memory-only' with a message and the sandbox keeps
 * working in memory. 'scratch' mode (?fresh=1, a follower tab) may read the
 * saved state but never writes it.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { Sandbox, type SandboxOptions } from '../engine/sandbox';
import type { Change } from '../engine/store/db';
import { BLOB_TABLE, type BlobRow } from '../engine/store/blobs';
import { restoreRows } from '../engine/snapshot';

export const DB_NAME = 'nimbus';
export const SCHEMA_VERSION = 1;

export interface StoredBlob {
  blob: Blob;
  md5: string;
  refs: number;
}

export interface NimbusDbSchema extends DBSchema {
  rows: { key: [string, string]; value: unknown };
  blobs: { key: string; value: StoredBlob };
  meta: { key: string; value: unknown };
}

type Db = IDBPDatabase<NimbusDbSchema>;
type UpgradeTx = IDBPTransaction<NimbusDbSchema, StoreNames<NimbusDbSchema>[], 'versionchange'>;

/** MIGRATIONS[i] upgrades a database from version i to i + 1. Append, never edit. */
export const MIGRATIONS: ((db: Db, tx: UpgradeTx) => void)[] = [
  // 0 -> 1: the first layout
  (db) => {
    db.createObjectStore('rows');
    db.createObjectStore('blobs');
    db.createObjectStore('meta');
  },
];

export type PersistenceMode = 'saved' | 'memory-only' | 'scratch';

export interface PersistenceOptions {
  name?: string;
  /** Never write; read the saved state only if `readSaved`. */
  scratch?: boolean;
  readSaved?: boolean;
}

export const MESSAGES = {
  unavailable: (why: string) =>
    `Your browser does not let Nimbus save (${why}); this happens in private windows. The sandbox works, but nothing is kept after you close the tab. Use \`sandbox export\` to keep your work.`,
  quota: 'The browser\'s storage for Nimbus is full, so saving stopped. The sandbox keeps working in memory; export your work (`sandbox export`) and free space (delete large objects) or reset.',
  failed: (why: string) => `Saving failed (${why}). The sandbox keeps working in memory from now on; export your work with \`sandbox export\`.`,
  newer: 'Your saved sandbox was written by a newer version of Nimbus. Reload the page to update; until then this tab works in memory and does not touch the saved state.',
  unreadable: (why: string) =>
    `Your saved sandbox could not be read (${why}). This tab starts a fresh sandbox in memory and leaves the saved data as it is.`,
};

function errName(e: unknown): string {
  return (e as { name?: string } | null)?.name ?? '';
}
function errText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export function isQuotaError(e: unknown): boolean {
  const n = errName(e);
  return n === 'QuotaExceededError' || n === 'NS_ERROR_DOM_QUOTA_REACHED' || (e as { code?: number } | null)?.code === 22;
}

export class Persistence {
  mode: PersistenceMode;
  message: string | undefined;
  private db: Db | null;

  private constructor(db: Db | null, mode: PersistenceMode, message?: string) {
    this.db = db;
    this.mode = mode;
    this.message = message;
  }

  /** Open (creating or migrating) the database. Never throws: failures give a memory-only persistence. */
  static async open(opts: PersistenceOptions = {}): Promise<Persistence> {
    const name = opts.name ?? DB_NAME;
    if (opts.scratch && !opts.readSaved) return new Persistence(null, 'scratch');
    if (typeof indexedDB === 'undefined' || indexedDB === null) {
      return opts.scratch ? new Persistence(null, 'scratch') : new Persistence(null, 'memory-only', MESSAGES.unavailable('IndexedDB is not available'));
    }
    try {
      const db = await openDB<NimbusDbSchema>(name, SCHEMA_VERSION, {
        upgrade(db, oldVersion, newVersion, tx) {
          for (let v = oldVersion; v < (newVersion ?? SCHEMA_VERSION); v++) MIGRATIONS[v]!(db, tx);
          void tx.objectStore('meta').put({ schema: newVersion ?? SCHEMA_VERSION }, 'format');
        },
        blocking() {
          // a newer version of the app wants to upgrade: let it
          db.close();
        },
      });
      return new Persistence(db, opts.scratch ? 'scratch' : 'saved');
    } catch (e) {
      if (opts.scratch) return new Persistence(null, 'scratch');
      return new Persistence(null, 'memory-only', errName(e) === 'VersionError' ? MESSAGES.newer : MESSAGES.unavailable(errText(e)));
    }
  }

  get canSave(): boolean {
    return this.mode === 'saved' && this.db !== null;
  }

  /** Stop saving (after a failure); the sandbox keeps working in memory. */
  private fallBack(e: unknown): void {
    this.mode = 'memory-only';
    this.message = isQuotaError(e) ? MESSAGES.quota : MESSAGES.failed(errText(e));
  }

  /**
   * Read the saved state into a new Sandbox. `empty` is true when nothing was
   * saved yet: the sandbox is fresh and (in 'saved' mode) written out whole.
   */
  async load(sandboxOptions: SandboxOptions = {}): Promise<{ sandbox: Sandbox; empty: boolean }> {
    const sandbox = new Sandbox(sandboxOptions);
    if (!this.db) return { sandbox, empty: true };
    let keys: [string, string][];
    let values: unknown[];
    let blobKeys: string[];
    let blobValues: StoredBlob[];
    try {
      const tx = this.db.transaction(['rows', 'blobs'], 'readonly');
      [keys, values, blobKeys, blobValues] = await Promise.all([
        tx.objectStore('rows').getAllKeys(),
        tx.objectStore('rows').getAll(),
        tx.objectStore('blobs').getAllKeys(),
        tx.objectStore('blobs').getAll(),
      ]);
      await tx.done;
    } catch (e) {
      if (this.mode === 'saved') this.fallBack(e);
      sandbox.takeChanges();
      return { sandbox, empty: true };
    }
    if (keys.length === 0) {
      sandbox.takeChanges();
      if (this.mode === 'saved') await this.replaceAll(sandbox);
      return { sandbox, empty: true };
    }
    const tables = new Map<string, [string, unknown][]>();
    keys.forEach(([table, key], i) => {
      if (!tables.has(table)) tables.set(table, []);
      tables.get(table)!.push([key, values[i]]);
    });
    try {
      const blobs: [string, BlobRow][] = await Promise.all(
        blobKeys.map(async (id, i) => {
          const b = blobValues[i]!;
          return [id, { bytes: new Uint8Array(await b.blob.arrayBuffer()), md5: b.md5, refs: b.refs }] as [string, BlobRow];
        }),
      );
      restoreRows(sandbox, tables, blobs);
    } catch (e) {
      // never overwrite what we could not read: stop saving, start fresh in memory
      if (this.mode === 'saved') {
        this.mode = 'memory-only';
        this.message = MESSAGES.unreadable(errText(e));
      }
      const fresh = new Sandbox(sandboxOptions);
      fresh.takeChanges();
      return { sandbox: fresh, empty: true };
    }
    return { sandbox, empty: false };
  }

  /**
   * Write one command line's changes in one transaction. Resolves true when
   * committed, false when not saved (memory-only/scratch, or it just failed:
   * then the mode is 'memory-only' and `message` says why).
   */
  async save(changes: Change[]): Promise<boolean> {
    if (!this.canSave) return false;
    if (changes.length === 0) return true;
    // one transaction, over 'blobs' only when a body changed (a smaller scope commits sooner)
    const withBlobs = changes.some((c) => c.table === BLOB_TABLE);
    const tx = this.db!.transaction(withBlobs ? ['rows', 'blobs'] : ['rows'], 'readwrite');
    const rows = tx.objectStore('rows');
    const blobs = withBlobs ? tx.objectStore('blobs') : null!;
    const ops: Promise<unknown>[] = [];
    try {
      for (const c of changes) {
        if (c.table === BLOB_TABLE) {
          const v = c.value as BlobRow | undefined;
          const p = c.prev as BlobRow | undefined;
          if (v === undefined) ops.push(blobs.delete(c.key));
          else if (p && p.bytes === v.bytes) {
            // only the reference count changed: keep the stored Blob
            ops.push(
              blobs.get(c.key).then((rec) =>
                blobs.put(rec ? { ...rec, refs: v.refs, md5: v.md5 } : { blob: new Blob([v.bytes as Uint8Array<ArrayBuffer>]), md5: v.md5, refs: v.refs }, c.key),
              ),
            );
          } else ops.push(blobs.put({ blob: new Blob([v.bytes as Uint8Array<ArrayBuffer>]), md5: v.md5, refs: v.refs }, c.key));
        } else if (c.value === undefined) ops.push(rows.delete([c.table, c.key]));
        else ops.push(rows.put(c.value, [c.table, c.key]));
      }
      await Promise.all([...ops, tx.done]);
      return true;
    } catch (e) {
      try {
        tx.abort();
      } catch {
        /* already finished */
      }
      await Promise.allSettled([...ops, tx.done]);
      this.fallBack(e);
      return false;
    }
  }

  /** Replace everything saved with the sandbox's whole state (first start, import, reset). */
  async replaceAll(sandbox: Sandbox): Promise<boolean> {
    if (!this.canSave) return false;
    const tx = this.db!.transaction(['rows', 'blobs'], 'readwrite');
    const rows = tx.objectStore('rows');
    const blobs = tx.objectStore('blobs');
    const ops: Promise<unknown>[] = [];
    try {
      ops.push(rows.clear(), blobs.clear());
      for (const name of sandbox.db.tableNames()) {
        if (name === BLOB_TABLE) continue;
        for (const [k, v] of sandbox.db.table(name).entries()) ops.push(rows.put(v, [name, k]));
      }
      for (const [id, b] of sandbox.db.table<BlobRow>(BLOB_TABLE).entries()) {
        ops.push(blobs.put({ blob: new Blob([b.bytes as Uint8Array<ArrayBuffer>]), md5: b.md5, refs: b.refs }, id));
      }
      await Promise.all([...ops, tx.done]);
      return true;
    } catch (e) {
      try {
        tx.abort();
      } catch {
        /* already finished */
      }
      await Promise.allSettled([...ops, tx.done]);
      this.fallBack(e);
      return false;
    }
  }

  /** Counts of what is stored (tests, diagnostics). */
  async stats(): Promise<{ rows: number; blobs: number } | null> {
    if (!this.db) return null;
    return { rows: await this.db.count('rows'), blobs: await this.db.count('blobs') };
  }

  /** Stop writing from now on (scratch), keeping the connection for reads. */
  detach(): void {
    this.mode = 'scratch';
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }
}
