/**
 * The learner's home folder: a small POSIX-like file tree kept in the engine's
 * database (so it is persisted, exported and undone with everything else).
 * File bodies are blobs. Paths are absolute; HOME is /home/learner.
 */
import type { Db, Table } from './store/db';
import type { BlobStore } from './store/blobs';
import { utf8 } from './store/blobs';
import { clockNow } from './clock';

export const HOME = '/home/learner';

export interface FsNode {
  type: 'file' | 'dir';
  /** Blob id of a file's body. */
  blob?: string;
  size: number;
  mtime: number;
}

export class FsError extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EINVAL' | 'EFBIG',
  ) {
    super(`${path}: ${FS_MESSAGES[reason]}`);
  }
}

const FS_MESSAGES = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
  EFBIG: 'File too large',
};

/** Normalise `path` against `cwd`; `~` means HOME. Returns an absolute path without trailing slash. */
export function resolvePath(path: string, cwd: string = HOME): string {
  let p = path;
  if (p === '~' || p.startsWith('~/')) p = HOME + p.slice(1);
  if (!p.startsWith('/')) p = `${cwd}/${p}`;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Show a path the way a prompt does: HOME as ~. */
export function displayPath(path: string): string {
  if (path === HOME) return '~';
  if (path.startsWith(HOME + '/')) return '~' + path.slice(HOME.length);
  return path;
}

export class Vfs {
  private readonly nodes: Table<FsNode>;
  constructor(
    private readonly db: Db,
    private readonly blobs: BlobStore,
  ) {
    this.nodes = db.table<FsNode>('fs');
  }

  private now(): number {
    return clockNow(this.db);
  }

  /** The root folders exist implicitly. */
  stat(path: string): FsNode | undefined {
    if (path === '/' || path === '/home' || path === HOME) return this.nodes.get(path) ?? { type: 'dir', size: 0, mtime: 0 };
    return this.nodes.get(path);
  }
  exists(path: string): boolean {
    return this.stat(path) !== undefined;
  }
  isDir(path: string): boolean {
    return this.stat(path)?.type === 'dir';
  }
  isFile(path: string): boolean {
    return this.stat(path)?.type === 'file';
  }

  readBytes(path: string): Uint8Array {
    const n = this.stat(path);
    if (!n) throw new FsError(path, 'ENOENT');
    if (n.type === 'dir') throw new FsError(path, 'EISDIR');
    return n.blob ? this.blobs.get(n.blob) : new Uint8Array(0);
  }
  readText(path: string): string {
    return utf8.decode(this.readBytes(path));
  }
  blobId(path: string): string | undefined {
    return this.stat(path)?.blob;
  }

  private ensureParent(path: string): void {
    const parent = dirname(path);
    const p = this.stat(parent);
    if (!p) throw new FsError(parent, 'ENOENT');
    if (p.type !== 'dir') throw new FsError(parent, 'ENOTDIR');
  }

  /** Create or replace a file. Must run inside a transaction. */
  writeBytes(path: string, bytes: Uint8Array, opts: { mtime?: number; createParents?: boolean } = {}): void {
    if (opts.createParents) this.mkdirp(dirname(path));
    this.ensureParent(path);
    const old = this.stat(path);
    if (old?.type === 'dir') throw new FsError(path, 'EISDIR');
    const blob = this.blobs.put(bytes);
    this.blobs.release(old?.blob);
    this.nodes.set(path, { type: 'file', blob, size: bytes.byteLength, mtime: opts.mtime ?? this.now() });
  }
  writeText(path: string, text: string, opts: { mtime?: number; createParents?: boolean } = {}): void {
    this.writeBytes(path, utf8.encode(text), opts);
  }
  appendText(path: string, text: string): void {
    const prev = this.isFile(path) ? this.readBytes(path) : new Uint8Array(0);
    const add = utf8.encode(text);
    const next = new Uint8Array(prev.byteLength + add.byteLength);
    next.set(prev, 0);
    next.set(add, prev.byteLength);
    this.writeBytes(path, next);
  }
  /** Point a file at an existing blob (no copy): `aws s3 cp s3://b/k ./f`, `cp`. */
  linkBlob(path: string, blobId: string, opts: { mtime?: number; createParents?: boolean } = {}): void {
    if (opts.createParents) this.mkdirp(dirname(path));
    this.ensureParent(path);
    const old = this.stat(path);
    if (old?.type === 'dir') throw new FsError(path, 'EISDIR');
    this.blobs.retain(blobId);
    this.blobs.release(old?.blob);
    this.nodes.set(path, { type: 'file', blob: blobId, size: this.blobs.size(blobId), mtime: opts.mtime ?? this.now() });
  }
  mkdir(path: string): void {
    if (this.exists(path)) throw new FsError(path, 'EEXIST');
    this.ensureParent(path);
    this.nodes.set(path, { type: 'dir', size: 0, mtime: this.now() });
  }
  mkdirp(path: string): void {
    if (path === '/' || this.isDir(path)) return;
    if (this.isFile(path)) throw new FsError(path, 'ENOTDIR');
    this.mkdirp(dirname(path));
    this.nodes.set(path, { type: 'dir', size: 0, mtime: this.now() });
  }
  /** Names directly inside a folder, sorted. */
  list(path: string): string[] {
    const n = this.stat(path);
    if (!n) throw new FsError(path, 'ENOENT');
    if (n.type !== 'dir') throw new FsError(path, 'ENOTDIR');
    const prefix = path === '/' ? '/' : path + '/';
    const names = new Set<string>();
    for (const k of this.nodes.keys()) {
      if (k.startsWith(prefix) && k.length > prefix.length) names.add(k.slice(prefix.length).split('/')[0]!);
    }
    if (path === '/') names.add('home');
    if (path === '/home') names.add('learner');
    return [...names].sort();
  }
  /** Every file below a folder (recursive), as absolute paths, sorted. */
  walk(path: string): string[] {
    const prefix = path === '/' ? '/' : path + '/';
    const out: string[] = [];
    for (const [k, n] of this.nodes.entries()) if (n.type === 'file' && k.startsWith(prefix)) out.push(k);
    return out.sort();
  }
  remove(path: string, opts: { recursive?: boolean } = {}): void {
    const n = this.stat(path);
    if (!n || path === HOME || path === '/' || path === '/home') throw new FsError(path, n ? 'EINVAL' : 'ENOENT');
    if (n.type === 'dir') {
      const inside = [...this.nodes.keys()].filter((k) => k.startsWith(path + '/'));
      if (inside.length && !opts.recursive) throw new FsError(path, 'ENOTEMPTY');
      for (const k of inside) {
        this.blobs.release(this.nodes.get(k)?.blob);
        this.nodes.delete(k);
      }
    } else this.blobs.release(n.blob);
    this.nodes.delete(path);
  }
  rename(from: string, to: string): void {
    const n = this.stat(from);
    if (!n) throw new FsError(from, 'ENOENT');
    this.ensureParent(to);
    if (n.type === 'file') {
      const old = this.stat(to);
      if (old?.type === 'dir') throw new FsError(to, 'EISDIR');
      this.blobs.release(old?.blob);
      this.nodes.delete(from);
      this.nodes.set(to, n);
      return;
    }
    if (this.exists(to)) throw new FsError(to, 'EEXIST');
    for (const k of [...this.nodes.keys()].filter((k) => k === from || k.startsWith(from + '/'))) {
      const v = this.nodes.get(k)!;
      this.nodes.delete(k);
      this.nodes.set(to + k.slice(from.length), v);
    }
  }
  touch(path: string): void {
    const n = this.stat(path);
    if (n) this.nodes.set(path, { ...n, mtime: this.now() });
    else this.writeBytes(path, new Uint8Array(0));
  }
}
