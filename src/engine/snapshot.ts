/**
 * The whole state of a sandbox as one JSON document, for `sandbox export`,
 * `sandbox import`, the headless runner's --state/--save, "open in full
 * sandbox" links and the Worker's restore from IndexedDB.
 *
 * Format (version 1):
 *   {
 *     "format": "nimbus-state",
 *     "version": 1,
 *     "exportedAt": "2026-01-05T09:00:00+00:00",   // simulated time
 *     "tables": { "<table>": { "<key>": <row>, ... }, ... },   // every Db table except 'blobs'
 *     "blobs": { "<id>": { "md5": "<hex>", "refs": 1, "data": "<base64>" }, ... }
 *   }
 *
 * Loading never goes through journaled transactions: the database is cleared
 * and every table is loaded with `db.load`.
 */
import type { Sandbox } from './sandbox';
import { BLOB_TABLE, type BlobRow, toBase64, fromBase64, md5Hex } from './store/blobs';
import { isoTime } from './clock';
import { HOME, resolvePath } from './vfs';

export const STATE_FORMAT = 'nimbus-state';
export const STATE_VERSION = 1;
/** Largest export we accept (characters of JSON text). */
export const MAX_STATE_CHARS = 512 * 1024 * 1024;

export interface SnapshotBlob {
  md5: string;
  refs: number;
  /** The bytes, base64. */
  data: string;
}

export interface NimbusState {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  exportedAt: string;
  tables: Record<string, Record<string, unknown>>;
  blobs: Record<string, SnapshotBlob>;
}

/** A file that is not a valid Nimbus state. The message says what is wrong, in plain words. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

/** Take the whole state as a plain object. */
export function exportState(sandbox: Sandbox): NimbusState {
  const dump = sandbox.db.dump();
  const tables: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(dump).sort()) {
    if (name === BLOB_TABLE) continue;
    tables[name] = dump[name]!;
  }
  const blobs: Record<string, SnapshotBlob> = {};
  for (const [id, row] of sandbox.db.table<BlobRow>(BLOB_TABLE).entries()) {
    blobs[id] = { md5: row.md5, refs: row.refs, data: toBase64(row.bytes) };
  }
  return { format: STATE_FORMAT, version: STATE_VERSION, exportedAt: isoTime(sandbox.now()), tables, blobs };
}

/** The whole state as JSON text (pretty when `pretty`, the default for files a person may read). */
export function exportStateJson(sandbox: Sandbox, pretty = false): string {
  return JSON.stringify(exportState(sandbox), null, pretty ? 1 : undefined);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const TABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const BLOB_ID = /^b(\d{1,15})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Tables whose rows hold copies of other rows (lesson snapshots of the world:
 * "back to my attempt") rather than live references: their blob ids are not
 * checked against "blobs" (the copies carry their own bytes).
 */
export const COPY_TABLE_PREFIXES = ['lessons.'];

/** Field names that hold a blob id in any row (`blob` in the home folder, `blob`/`bodyBlob` ... in services). */
function isBlobRefField(name: string): boolean {
  return name === 'blob' || name === 'blobId' || /[a-z]Blob(Id)?$/.test(name);
}

/** Collect every blob id a row refers to (fields named blob / blobId / xxxBlob, at any depth). */
export function blobRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) blobRefs(v, out);
  else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && isBlobRefField(k) && BLOB_ID.test(v)) out.push(v);
      else if (typeof v === 'object') blobRefs(v, out);
    }
  }
  return out;
}

/**
 * Check a document (JSON text or parsed) and return it typed, or throw a
 * SnapshotError that names the first problem.
 */
export function parseState(input: string | unknown): NimbusState {
  let doc: unknown = input;
  if (typeof input === 'string') {
    if (input.length > MAX_STATE_CHARS) throw new SnapshotError(`the file is too large (${input.length} characters; the limit is ${MAX_STATE_CHARS})`);
    if (input.trim() === '') throw new SnapshotError('the file is empty');
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw new SnapshotError(`the file is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (!isObj(doc)) throw new SnapshotError('the file is not a Nimbus state: expected a JSON object');
  if (doc['format'] !== STATE_FORMAT) {
    throw new SnapshotError(`the file is not a Nimbus state: "format" must be "${STATE_FORMAT}"${doc['format'] === undefined ? '' : `, not ${JSON.stringify(doc['format'])}`}`);
  }
  const version = doc['version'];
  if (!isInt(version)) throw new SnapshotError('"version" must be an integer');
  if (version > STATE_VERSION) throw new SnapshotError(`the file was written by a newer Nimbus (state version ${version}; this one reads up to ${STATE_VERSION})`);
  if (version < 1) throw new SnapshotError(`unknown state version ${version}`);
  if (typeof doc['exportedAt'] !== 'string') throw new SnapshotError('"exportedAt" must be a string');
  const tables = doc['tables'];
  if (!isObj(tables)) throw new SnapshotError('"tables" must be an object of tables');
  const blobs = doc['blobs'] ?? {};
  if (!isObj(blobs)) throw new SnapshotError('"blobs" must be an object');

  // blobs
  const blobSizes = new Map<string, number>();
  for (const [id, b] of Object.entries(blobs)) {
    if (!BLOB_ID.test(id)) throw new SnapshotError(`blob id "${id}" is not valid (expected b followed by digits)`);
    if (!isObj(b)) throw new SnapshotError(`blob ${id} must be an object {md5, refs, data}`);
    if (typeof b['md5'] !== 'string' || !/^[0-9a-f]{32}$/.test(b['md5'])) throw new SnapshotError(`blob ${id}: "md5" must be 32 lowercase hex digits`);
    if (!isInt(b['refs']) || b['refs'] < 1) throw new SnapshotError(`blob ${id}: "refs" must be a positive integer`);
    const data = b['data'];
    if (typeof data !== 'string' || data.length % 4 !== 0 || !BASE64.test(data)) throw new SnapshotError(`blob ${id}: "data" must be base64 text`);
    const pad = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
    blobSizes.set(id, (data.length / 4) * 3 - pad);
  }

  // tables
  const refCount = new Map<string, number>();
  if (Object.prototype.hasOwnProperty.call(tables, BLOB_TABLE)) throw new SnapshotError(`"tables" must not contain "${BLOB_TABLE}" (bodies go in "blobs")`);
  for (const [name, rows] of Object.entries(tables)) {
    if (!TABLE_NAME.test(name)) throw new SnapshotError(`table name "${name}" is not valid`);
    if (!isObj(rows)) throw new SnapshotError(`table ${name} must be an object of rows`);
    for (const [key, row] of Object.entries(rows)) {
      if (row === null || row === undefined) throw new SnapshotError(`table ${name}, row "${key}": a row cannot be null`);
      if (COPY_TABLE_PREFIXES.some((p) => name.startsWith(p))) continue;
      for (const ref of blobRefs(row)) {
        if (!blobSizes.has(ref)) throw new SnapshotError(`table ${name}, row "${key}" refers to blob ${ref}, which is not in "blobs"`);
        refCount.set(ref, (refCount.get(ref) ?? 0) + 1);
      }
    }
  }
  // a body used more often than its count says would be freed while still in use
  for (const [id, n] of refCount) {
    const declared = (blobs[id] as { refs: number }).refs;
    if (n > declared) throw new SnapshotError(`blob ${id} is used ${n} times but its "refs" count is ${declared}`);
  }

  // the rows every sandbox has
  const meta = tables['meta'];
  if (!isObj(meta)) throw new SnapshotError('table "meta" is missing');
  if (typeof meta['clock'] !== 'number' || !Number.isFinite(meta['clock'])) throw new SnapshotError('meta "clock" must be a number (ms since the epoch)');
  const rng = meta['rng'];
  if (!isObj(rng) || !['a', 'b', 'c', 'd'].every((k) => isInt(rng[k]))) throw new SnapshotError('meta "rng" must be the generator state {a, b, c, d}');
  if (!isInt(meta['seed'])) throw new SnapshotError('meta "seed" must be an integer');
  const config = meta['config'];
  if (config !== undefined) {
    if (!isObj(config) || !isObj(config['quotas']) || !isObj(config['s3Consistency'])) throw new SnapshotError('meta "config" must have "quotas" and "s3Consistency" objects');
    for (const [q, n] of Object.entries(config['quotas'])) if (typeof n !== 'number' || !(n >= 0)) throw new SnapshotError(`quota ${q} must be a number >= 0`);
  }

  // the home folder
  const fs = tables['fs'] ?? {};
  if (!isObj(fs)) throw new SnapshotError('table "fs" must be an object');
  for (const [path, node] of Object.entries(fs)) {
    if (resolvePath(path, HOME) !== path || path === '/') throw new SnapshotError(`file "${path}" is not a normalised absolute path`);
    if (!isObj(node) || (node['type'] !== 'file' && node['type'] !== 'dir')) throw new SnapshotError(`file ${path}: "type" must be "file" or "dir"`);
    if (!isInt(node['size']) || node['size'] < 0) throw new SnapshotError(`file ${path}: "size" must be an integer >= 0`);
    if (typeof node['mtime'] !== 'number') throw new SnapshotError(`file ${path}: "mtime" must be a number`);
    if (node['type'] === 'file' && node['blob'] !== undefined) {
      const blob = node['blob'];
      if (typeof blob !== 'string' || !blobSizes.has(blob)) throw new SnapshotError(`file ${path} refers to a missing blob ${String(blob)}`);
      if (blobSizes.get(blob) !== node['size']) throw new SnapshotError(`file ${path}: size ${node['size']} does not match its data (${blobSizes.get(blob)} bytes)`);
    }
  }
  return doc as unknown as NimbusState;
}

/** Decode the blobs of a checked state, verifying each one's MD5. */
function decodeBlobs(state: NimbusState): Map<string, BlobRow> {
  const out = new Map<string, BlobRow>();
  for (const [id, b] of Object.entries(state.blobs ?? {})) {
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(b.data);
    } catch {
      throw new SnapshotError(`blob ${id}: "data" is not valid base64`);
    }
    if (md5Hex(bytes) !== b.md5) throw new SnapshotError(`blob ${id}: its data does not match its md5 (the file was changed or damaged)`);
    out.set(id, { bytes, refs: b.refs, md5: b.md5 });
  }
  return out;
}

/**
 * Replace the sandbox's whole state with rows (no journal, no pending changes).
 * Used by import and by the Worker's load from IndexedDB.
 */
export function restoreRows(
  sandbox: Sandbox,
  tables: Iterable<[string, Iterable<[string, unknown]>]>,
  blobs: Iterable<[string, BlobRow]>,
): void {
  if (sandbox.db.inTransaction) throw new Error('restoreRows cannot run inside a transaction');
  sandbox.db.clear();
  let maxBlob = 0;
  const blobList: [string, BlobRow][] = [];
  for (const [id, row] of blobs) {
    blobList.push([id, row]);
    const m = BLOB_ID.exec(id);
    if (m) maxBlob = Math.max(maxBlob, Number(m[1]));
  }
  for (const [name, rows] of tables) {
    if (name === BLOB_TABLE) continue;
    sandbox.db.load(name, rows);
  }
  sandbox.db.load(BLOB_TABLE, blobList);
  // never hand out a blob id that is already used
  const meta = sandbox.db.table<unknown>('meta');
  const counter = (meta.get('counter:blob') as number | undefined) ?? 0;
  if (counter < maxBlob) sandbox.db.load('meta', [['counter:blob', maxBlob]]);
  sandbox.takeChanges();
}

/**
 * Check a state document and make it the sandbox's state. Throws SnapshotError
 * (and leaves the sandbox untouched) when the document is not valid.
 */
export function importState(sandbox: Sandbox, input: string | unknown): NimbusState {
  const state = parseState(input);
  const blobs = decodeBlobs(state);
  const seed = (state.tables['meta']!['seed'] as number) ?? 1;
  sandbox.initFresh(seed, state.tables['meta']!['clock'] as number);
  restoreRows(
    sandbox,
    Object.entries(state.tables).map(([name, rows]) => [name, Object.entries(rows)] as [string, [string, unknown][]]),
    blobs,
  );
  return state;
}

/** Count rows per table (status, tests). */
export function tableCounts(sandbox: Sandbox): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of sandbox.db.tableNames()) {
    const n = sandbox.db.table(name).size;
    if (n) out[name] = n;
  }
  return out;
}
