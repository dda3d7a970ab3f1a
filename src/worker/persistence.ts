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
 *   - 'packs' (v3): number -> Pack, the whole state in a few large records
 *     (written by replaceAll: first start, import, reset); 'rows' and 'blobs'
 *     then hold only what compaction changed since, over the packs (a deleted
 *     packed row is a TOMBSTONE, a deleted packed body `{d: true}`, a refs
 *     change of a packed body `{r: true, md5, refs}`)
 *   - 'log' (v2): auto-increment key -> one command line's changes (LogRecord),
 *     bodies inside as in 'blobs'
 *
 * `save(changes)` writes one command line's Change[] as ONE record in ONE
 * readwrite transaction and resolves when it has committed, so a closed tab
 * never leaves half a change, and a line costs one IndexedDB request however
 * many rows it touched. `compact()` folds the log into 'rows' and 'blobs' (one
 * transaction; the host runs it when the log grows and the terminal is idle);
 * `load()` reads 'packs', 'rows', 'blobs' and 'log' with one getAll each (a
 * state of 100,000 objects is a few dozen records, not 200,000), applies them
 * in that order and restores the sandbox without journaling.
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
export const SCHEMA_VERSION = 3;
/** Rows (and bodies) per pack record. */
export const PACK_ROWS = 5000;
/** Bytes of bodies per pack record (about). */
export const PACK_BYTES = 8 * 1024 * 1024;
/** The 'rows' value that says "deleted" for a row kept in a pack. */
export const TOMBSTONE = Object.freeze({ '\u0000nimbus': 'deleted' });

/** Part of the whole state: rows as [table, key, value], bodies as [id, bytes or Blob, md5, refs]. */
export interface Pack {
  rows: [string, string, unknown][];
  bodies: [string, Uint8Array | Blob, string, number][];
}

function isTombstone(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)['\u0000nimbus'] === 'deleted';
}
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
  /** Over a pack: the packed body was deleted / only its refs and md5 changed. */
  d?: true;
  r?: true;
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
  packs: { key: number; value: Pack };
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
  // 2 -> 3: the whole state in a few large records (bulk load)
  (db) => {
    db.createObjectStore('packs');
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
  /** Row ids (table + NUL + key) and body ids held in packs: their deletion needs a tombstone. */
  private packedRows = new Set<string>();
  private packedBodies = new Set<string>();

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
    let packs: Pack[];
    try {
      const tx = this.db.transaction(['packs', 'rows', 'blobs', 'log'], 'readonly');
      [packs, keys, values, blobKeys, blobValues, log] = await Promise.all([
        tx.objectStore('packs').getAll(),
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
    if (keys.length === 0 && log.length === 0 && packs.length === 0) {
      sandbox.takeChanges();
      if (this.mode === 'saved') await this.replaceAll(sandbox);
      return { sandbox, empty: true };
    }
    try {
      const tables = new Map<string, Map<string, unknown>>();
      const tableOf = (t: string) => {
        let m = tables.get(t);
        if (!m) tables.set(t, (m = new Map()));
        return m;
      };
      const stored = new Map<string, StoredBlob>();
      const packedRows = new Set<string>();
      const packedBodies = new Set<string>();
      for (const pack of packs) {
        for (const [t, k, v] of pack.rows) {
          tableOf(t).set(k, v);
          packedRows.add(t + '\u0000' + k);
        }
        for (const [id, body, md5, refs] of pack.bodies) {
          stored.set(id, body instanceof Uint8Array ? { bytes: body, md5, refs } : { blob: body, md5, refs });
          packedBodies.add(id);
        }
      }
      keys.forEach(([table, key], i) => {
        const v = values[i];
        if (isTombstone(v)) tables.get(table)?.delete(key);
        else tableOf(table).set(key, v);
      });
      blobKeys.forEach((id, i) => {
        const b = blobValues[i]!;
        if (b.d) stored.delete(id);
        else if (b.r) {
          const old = stored.get(id);
          if (!old) throw new Error(`the stored refs of body ${id} have no body`);
          stored.set(id, { ...old, md5: b.md5, refs: b.refs });
        } else stored.set(id, b);
      });
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
      this.packedRows = packedRows;
      this.packedBodies = packedBodies;
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
            for (const r of rows.values()) {
              const packed = this.packedRows.has(r.t + '\u0000' + r.k);
              ops.push(quiet(r.d ? (packed ? rowStore.put(TOMBSTONE, [r.t, r.k]) : rowStore.delete([r.t, r.k])) : rowStore.put(r.v, [r.t, r.k])));
            }
            for (const [id, b] of blobs) {
              const gone = this.packedBodies.has(id) ? blobStore.put({ md5: '', refs: 0, d: true }, id) : blobStore.delete(id);
              ops.push(quiet(b === null ? gone : blobStore.put(b, id)));
            }
            for (const [id, u] of refsOnly) {
              ops.push(
                quiet(
                  blobStore.get(id).then((rec) => {
                    if (rec) return blobStore.put({ ...rec, refs: u.refs, md5: u.md5 }, id);
                    if (this.packedBodies.has(id)) return blobStore.put({ md5: u.md5, refs: u.refs, r: true }, id);
                    return undefined;
                  }),
                ),
              );
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
    const packs = toPacks(sandbox);
    return this.write(
      ['packs', 'rows', 'blobs', 'log'],
      (tx) => {
        const store = tx.objectStore('packs');
        const ops: Promise<unknown>[] = [quiet(store.clear()), quiet(tx.objectStore('rows').clear()), quiet(tx.objectStore('blobs').clear()), quiet(tx.objectStore('log').clear())];
        packs.forEach((p, i) => ops.push(quiet(store.put(p, i))));
        return ops;
      },
      () => {
        this.logCount = 0;
        this.packedRows = new Set(packs.flatMap((p) => p.rows.map(([t, k]) => t + '\u0000' + k)));
        this.packedBodies = new Set(packs.flatMap((p) => p.bodies.map(([id]) => id)));
      },
    );
  }

  /**
   * Run one readwrite transaction: `issue` makes the requests synchronously;
   * resolves true once it has committed. On any error the transaction is
   * aborted (nothing of it is kept) and the persistence falls back to memory.
   */
  private async write(
    stores: ('rows' | 'blobs' | 'log' | 'packs')[],
    issue: (tx: IDBPTransaction<NimbusDbSchema, ('rows' | 'blobs' | 'log' | 'packs')[], 'readwrite'>) => Promise<unknown>[],
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
  async stats(): Promise<{ rows: number; blobs: number; log: number; packs: number } | null> {
    if (!this.db) return null;
    return { rows: await this.db.count('rows'), blobs: await this.db.count('blobs'), log: await this.db.count('log'), packs: await this.db.count('packs') };
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

/** The whole state as packs of at most PACK_ROWS rows / bodies (and about PACK_BYTES of bodies). */
export function toPacks(sandbox: Sandbox): Pack[] {
  const packs: Pack[] = [];
  let cur: Pack = { rows: [], bodies: [] };
  let bytes = 0;
  const next = () => {
    packs.push(cur);
    cur = { rows: [], bodies: [] };
    bytes = 0;
  };
  for (const name of sandbox.db.tableNames()) {
    if (name === BLOB_TABLE) continue;
    for (const [k, v] of sandbox.db.table(name).entries()) {
      if (cur.rows.length >= PACK_ROWS) next();
      cur.rows.push([name, k, v]);
    }
  }
  for (const [id, b] of sandbox.db.table<BlobRow>(BLOB_TABLE).entries()) {
    if (cur.bodies.length >= PACK_ROWS || bytes >= PACK_BYTES) next();
    const s = toStored(b.bytes);
    cur.bodies.push([id, 'bytes' in s ? s.bytes : s.blob, b.md5, b.refs]);
    bytes += b.bytes.byteLength;
  }
  if (cur.rows.length || cur.bodies.length || packs.length === 0) packs.push(cur);
  return packs;
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
