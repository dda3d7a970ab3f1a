/**
 * Bodies (S3 object data, home-folder files) live apart from the metadata rows,
 * referenced by id and reference-counted, so copies (CopyObject, `aws s3 cp`
 * to the home folder) share one buffer instead of duplicating it.
 * Persistence stores each one as an IndexedDB Blob.
 */
import SparkMD5 from 'spark-md5';
import type { Db, Table } from './db';

export interface BlobRow {
  bytes: Uint8Array;
  refs: number;
  md5: string;
}

export const BLOB_TABLE = 'blobs';

export class BlobStore {
  private readonly table: Table<BlobRow>;
  private readonly nextId: () => string;

  constructor(db: Db, nextId: () => string) {
    this.table = db.table<BlobRow>(BLOB_TABLE);
    this.nextId = nextId;
  }

  /** Store bytes with one reference; returns the blob id. */
  put(bytes: Uint8Array, md5?: string): string {
    const id = this.nextId();
    this.table.set(id, { bytes, refs: 1, md5: md5 ?? md5Hex(bytes) });
    return id;
  }
  get(id: string): Uint8Array {
    const row = this.table.get(id);
    if (!row) throw new Error(`missing blob ${id}`);
    return row.bytes;
  }
  md5(id: string): string {
    const row = this.table.get(id);
    if (!row) throw new Error(`missing blob ${id}`);
    return row.md5;
  }
  size(id: string): number {
    return this.get(id).byteLength;
  }
  retain(id: string): string {
    this.table.update(id, (r) => ({ ...r, refs: r.refs + 1 }));
    return id;
  }
  release(id: string | undefined): void {
    if (!id) return;
    const row = this.table.get(id);
    if (!row) return;
    if (row.refs <= 1) this.table.delete(id);
    else this.table.set(id, { ...row, refs: row.refs - 1 });
  }
  get count(): number {
    return this.table.size;
  }
  totalBytes(): number {
    let n = 0;
    for (const r of this.table.values()) n += r.bytes.byteLength;
    return n;
  }
}

export function md5Hex(bytes: Uint8Array): string {
  const view = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
  return SparkMD5.ArrayBuffer.hash(view);
}

/** MD5 of raw bytes as base64 (Content-MD5, SSE-C key MD5). */
export function md5Base64(bytes: Uint8Array): string {
  const hex = md5Hex(bytes);
  let bin = '';
  for (let i = 0; i < hex.length; i += 2) bin += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(bin);
}

export const utf8 = {
  encode: (s: string): Uint8Array => new TextEncoder().encode(s),
  decode: (b: Uint8Array): string => new TextDecoder().decode(b),
};

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  const CH = 0x8000;
  for (let i = 0; i < bytes.length; i += CH) bin += String.fromCharCode(...bytes.subarray(i, i + CH));
  return btoa(bin);
}

export function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
