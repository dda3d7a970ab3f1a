/**
 * The sandbox's state in IndexedDB (through `idb`).
 *
 * Database 'nimbus', schema version SCHEMA_VERSION, migrations run in order
 * from version 0 (see MIGRATIONS):
 *   - 'rows':  out-of-line key [table, key] -> the row value (plain JSON data)
 *   - 'blobs': key blob id -> { bytes: Uint8Array | blob: Blob, md5, refs }: bodies
 *     up to INLINE_MAX as bytes (read back with the row in one getAll, no
 *     per-body read at load), larger ones as Blobs; never base64
 *   - 'meta':  'format' -> { schema }
 *   - 'log' (v2): auto-increment key -> one command line's changes (LogRecord),
 *     bodies inside as in 'blobs'
 *
 * `save(changes)` writes one command line's Change[] as ONE record in ONE
 * readwrite transaction and resolves when it has committed, so a closed tab
 * never leaves half a change, and a line costs one IndexedDB request however
 * many rows it touched. `compact()` folds the log into 'rows' and 'blobs' (one
 * transaction; the host runs it when the log grows and the terminal is idle);
 * `load()` reads 'rows' and 'blobs' and replays the log on top.
 *
 * If IndexedDB is unavailable (private mode, blocked) or a write fails
 * (QuotaExceededError ...), the persistence switches to 'memory-only' with a
 * message and the sandbox keeps working in memory. 'scratch' mode (?fresh=1,
 * a follower tab) may read the saved state but never writes it.
 */
import { openDB, unwrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { Sandbox, type SandboxOptions } from '../engine/sandbox';
import type { Change } from '../engine/store/db';
import { BLOB_TABLE, type BlobRow } from '../engine/store/blobs';
import { restoreRows } from '../engine/snapshot';

export const DB_NAME = 'nimbus';
export const SCHEMA_VERSION = 2;
/** Log records after which the host compacts (when idle). */
export const COMPACT_AFTER = 64;

/** Bodies up to this size are stored as bytes, larger ones as Blobs. */
export const INLINE_MAX = 64 * 1024;

/** A stored body: `bytes` (small) or `blob` (large; older saves hold every body as a Blob). */
export interface StoredBlob {
  bytes?: Uint8Array;
  blob?: Blob;
  md5: string;
  refs: number;
}

/** One command line's changes in the log. */
export interface LogRecord {
  /** Row writes in order: `d` set for a deletion, else `v` is the new value. */
  rows: { t: string; k: string; v?: unknown; d?: true }[];
  /** Body writes: `d` for a deletion; `bytes` and `blob` absent when only refs/md5 changed. */
  blobs: { id: string; bytes?: Uint8Array; blob?: Blob; md5: string; refs: number; d?: true }[];
}

export interface NimbusDbSchema extends DBSchema {
  rows: { key: [string, string]; value: unknown };
  blobs: { key: string; value: StoredBlob };
  meta: { key: string; value: unknown };
  log: { key: number; value: LogRecord };
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
  // 1 -> 2: one record per command line (a write-ahead log folded in by compact())
  (db) => {
    db.createObjectStore('log', { autoIncrement: true });
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
  private logCount = 0;

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

  /** Log records not yet folded into 'rows' and 'blobs'. */
  get pendingLog(): number {
    return this.logCount;
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
    let log: LogRecord[];
    try {
      const tx = this.db.transaction(['rows', 'blobs', 'log'], 'readonly');
      [keys, values, blobKeys, blobValues, log] = await Promise.all([
        tx.objectStore('rows').getAllKeys(),
        tx.objectStore('rows').getAll(),
        tx.objectStore('blobs').getAllKeys(),
        tx.objectStore('blobs').getAll(),
        tx.objectStore('log').getAll(),
      ]);
      await tx.done;
    } catch (e) {
      if (this.mode === 'saved') this.fallBack(e);
      sandbox.takeChanges();
      return { sandbox, empty: true };
    }
    this.logCount = log.length;
    if (keys.length === 0 && log.length === 0) {
      sandbox.takeChanges();
      if (this.mode === 'saved') await this.replaceAll(sandbox);
      return { sandbox, empty: true };
    }
    try {
      const tables = new Map<string, Map<string, unknown>>();
      keys.forEach(([table, key], i) => {
        if (!tables.has(table)) tables.set(table, new Map());
        tables.get(table)!.set(key, values[i]);
      });
      const stored = new Map<string, StoredBlob>(blobKeys.map((id, i) => [id, blobValues[i]!]));
      for (const rec of log) replay(rec, tables, stored);
      // small bodies came with getAll; only large ones (Blobs) are read, all at once
      const blobs: [string, BlobRow][] = [];
      const reads: Promise<void>[] = [];
      for (const [id, b] of stored) {
        if (b.bytes instanceof Uint8Array) blobs.push([id, { bytes: b.bytes, md5: b.md5, refs: b.refs }]);
        else if (b.blob && typeof b.blob.arrayBuffer === 'function') {
          const blob = b.blob;
          const i = blobs.push([id, null as unknown as BlobRow]) - 1;
          reads.push(blob.arrayBuffer().then((buf) => void (blobs[i] = [id, { bytes: new Uint8Array(buf), md5: b.md5, refs: b.refs }])));
        } else throw new Error(`the stored body ${id} is damaged`);
      }
      await Promise.all(reads);
      restoreRows(sandbox, [...tables].map(([t, rows]) => [t, rows.entries()] as [string, Iterable<[string, unknown]>]), blobs);
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
   * Write one command line's changes: one log record in one transaction.
   * Resolves true when committed, false when not saved (memory-only/scratch,
   * or it just failed: then the mode is 'memory-only' and `message` says why).
   */
  async save(changes: Change[]): Promise<boolean> {
    if (!this.canSave) return false;
    if (changes.length === 0) return true;
    // The hot path of every line: the raw IndexedDB API, one request, one
    // promise settled by the transaction's own events (no wrapper promises).
    let tx: IDBTransaction;
    try {
      tx = unwrap(this.db!).transaction('log', 'readwrite');
      tx.objectStore('log').put(toLogRecord(changes));
    } catch (e) {
      this.fallBack(e);
      return false;
    }
    return new Promise<boolean>((resolve) => {
      tx.oncomplete = () => {
        this.logCount++;
        resolve(true);
      };
      // a failed request aborts the transaction (nothing of it is kept)
      tx.onabort = () => {
        this.fallBack(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
        resolve(false);
      };
    });
  }

  /**
   * Fold the log into 'rows' and 'blobs' and empty it, in one transaction (a
   * failure leaves the log in place: nothing is lost).
   */
  async compact(): Promise<boolean> {
    if (!this.canSave) return false;
    const logged = this.logCount;
    return this.write(
      ['rows', 'blobs', 'log'],
      (tx) => {
        const log = tx.objectStore('log');
        return [
          Promise.all([log.getAllKeys(), log.getAll()]).then(([keys, recs]) => {
            if (!keys.length) return [];
            const { rows, blobs, refsOnly } = netOfLog(recs);
            const rowStore = tx.objectStore('rows');
            const blobStore = tx.objectStore('blobs');
            const ops: Promise<unknown>[] = [];
            for (const r of rows.values()) ops.push(quiet(r.d ? rowStore.delete([r.t, r.k]) : rowStore.put(r.v, [r.t, r.k])));
            for (const [id, b] of blobs) ops.push(quiet(b === null ? blobStore.delete(id) : blobStore.put(b, id)));
            for (const [id, u] of refsOnly) {
              ops.push(quiet(blobStore.get(id).then((rec) => (rec ? blobStore.put({ ...rec, refs: u.refs, md5: u.md5 }, id) : undefined))));
            }
            ops.push(quiet(log.delete(IDBKeyRange.upperBound(keys[keys.length - 1]!))));
            return Promise.all(ops);
          }),
        ];
      },
      () => (this.logCount = Math.max(0, this.logCount - logged)),
    );
  }

  /** Replace everything saved with the sandbox's whole state (first start, import, reset). */
  async replaceAll(sandbox: Sandbox): Promise<boolean> {
    if (!this.canSave) return false;
    return this.write(
      ['rows', 'blobs', 'log'],
      (tx) => {
        const rows = tx.objectStore('rows');
        const blobs = tx.objectStore('blobs');
        const ops: Promise<unknown>[] = [quiet(rows.clear()), quiet(blobs.clear()), quiet(tx.objectStore('log').clear())];
        for (const name of sandbox.db.tableNames()) {
          if (name === BLOB_TABLE) continue;
          for (const [k, v] of sandbox.db.table(name).entries()) ops.push(quiet(rows.put(v, [name, k])));
        }
        for (const [id, b] of sandbox.db.table<BlobRow>(BLOB_TABLE).entries()) {
          ops.push(quiet(blobs.put({ ...toStored(b.bytes), md5: b.md5, refs: b.refs }, id)));
        }
        return ops;
      },
      () => (this.logCount = 0),
    );
  }

  /**
   * Run one readwrite transaction: `issue` makes the requests synchronously;
   * resolves true once it has committed. On any error the transaction is
   * aborted (nothing of it is kept) and the persistence falls back to memory.
   */
  private async write(
    stores: ('rows' | 'blobs' | 'log')[],
    issue: (tx: IDBPTransaction<NimbusDbSchema, ('rows' | 'blobs' | 'log')[], 'readwrite'>) => Promise<unknown>[],
    onCommit: () => void,
  ): Promise<boolean> {
    const tx = this.db!.transaction(stores, 'readwrite');
    let ops: Promise<unknown>[] = [];
    try {
      ops = issue(tx);
      await Promise.all([...ops, tx.done]);
      onCommit();
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
  async stats(): Promise<{ rows: number; blobs: number; log: number } | null> {
    if (!this.db) return null;
    return { rows: await this.db.count('rows'), blobs: await this.db.count('blobs'), log: await this.db.count('log') };
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }
}

/**
 * Mark a request's promise as handled: when a later request of the same
 * transaction throws, the ones already issued reject with AbortError and
 * nobody awaits them any more. The caller still awaits it through Promise.all.
 */
function quiet(p: Promise<unknown>): Promise<unknown> {
  p.catch(() => undefined);
  return p;
}

/** A body as stored: bytes (exactly the body's, not a larger buffer it is a view of) or, when large, a Blob. */
function toStored(bytes: Uint8Array): { bytes: Uint8Array } | { blob: Blob } {
  if (bytes.byteLength > INLINE_MAX) return { blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) };
  return { bytes: bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice() };
}

function hasBody(b: { bytes?: Uint8Array; blob?: Blob }): boolean {
  return b.bytes !== undefined || b.blob !== undefined;
}

/** A line's changes as one log record (bodies as stored; a refs-only change carries no body). */
export function toLogRecord(changes: Change[]): LogRecord {
  const rec: LogRecord = { rows: [], blobs: [] };
  for (const c of changes) {
    if (c.table === BLOB_TABLE) {
      const v = c.value as BlobRow | undefined;
      const p = c.prev as BlobRow | undefined;
      if (v === undefined) rec.blobs.push({ id: c.key, md5: p?.md5 ?? '', refs: 0, d: true });
      else if (p && p.bytes === v.bytes) rec.blobs.push({ id: c.key, md5: v.md5, refs: v.refs });
      else rec.blobs.push({ id: c.key, ...toStored(v.bytes), md5: v.md5, refs: v.refs });
    } else if (c.value === undefined) rec.rows.push({ t: c.table, k: c.key, d: true });
    else rec.rows.push({ t: c.table, k: c.key, v: c.value });
  }
  return rec;
}

function body(b: { bytes?: Uint8Array; blob?: Blob; md5: string; refs: number }): StoredBlob {
  return b.bytes !== undefined ? { bytes: b.bytes, md5: b.md5, refs: b.refs } : { blob: b.blob, md5: b.md5, refs: b.refs };
}

/** Apply one log record to the rows and bodies read from the stores (load). */
function replay(rec: LogRecord, tables: Map<string, Map<string, unknown>>, blobs: Map<string, StoredBlob>): void {
  for (const r of rec.rows) {
    if (!tables.has(r.t)) tables.set(r.t, new Map());
    if (r.d) tables.get(r.t)!.delete(r.k);
    else tables.get(r.t)!.set(r.k, r.v);
  }
  for (const b of rec.blobs) {
    if (b.d) blobs.delete(b.id);
    else if (hasBody(b)) blobs.set(b.id, body(b));
    else {
      const old = blobs.get(b.id);
      if (!old) throw new Error(`the log changes body ${b.id}, which is not stored`);
      blobs.set(b.id, { ...old, md5: b.md5, refs: b.refs });
    }
  }
}

/** The net effect of log records on 'rows' and 'blobs' (compaction). */
function netOfLog(recs: LogRecord[]): {
  rows: Map<string, { t: string; k: string; v?: unknown; d?: true }>;
  blobs: Map<string, StoredBlob | null>;
  refsOnly: Map<string, { md5: string; refs: number }>;
} {
  const rows = new Map<string, { t: string; k: string; v?: unknown; d?: true }>();
  const blobs = new Map<string, StoredBlob | null>();
  const refsOnly = new Map<string, { md5: string; refs: number }>();
  for (const rec of recs) {
    for (const r of rec.rows) rows.set(r.t + '\u0000' + r.k, r);
    for (const b of rec.blobs) {
      if (b.d) {
        blobs.set(b.id, null);
        refsOnly.delete(b.id);
      } else if (hasBody(b)) {
        blobs.set(b.id, body(b));
        refsOnly.delete(b.id);
      } else {
        const cur = blobs.get(b.id);
        if (cur) blobs.set(b.id, { ...cur, md5: b.md5, refs: b.refs });
        else refsOnly.set(b.id, { md5: b.md5, refs: b.refs }); // the body is in the store already
      }
    }
  }
  return { rows, blobs, refsOnly };
}
