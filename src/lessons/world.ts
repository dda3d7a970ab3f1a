/**
 * The simulated world as a whole, for lessons: a fresh world to start a lesson
 * in, and snapshots of the learner's world ("back to my attempt", "leave the
 * lesson and get my free sandbox back"). Lesson progress and the learner's
 * shell history are not part of the world: they survive every reset.
 * Restores are ordinary journaled writes (inside sandbox.mutate), so the Worker
 * persists them like any other change, and undo works across them.
 */
import { Sandbox, HOME } from '../engine';
import type { Db } from '../engine/store/db';

/** Tables that belong to the learner, not to the simulated world. */
const KEPT_TABLE_PREFIXES = ['lessons.', 'undo', 'history', 'ui.'];
/** meta keys that belong to the learner's shell (its state and history). */
const isKeptMetaKey = (k: string) => k === 'shell' || k.startsWith('history') || k === 'counter:history';

export type WorldDump = Record<string, Record<string, unknown>>;

function isKeptTable(name: string): boolean {
  return KEPT_TABLE_PREFIXES.some((p) => name === p.replace(/\.$/, '') || name.startsWith(p));
}

function encode(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $bytes: toB64(v) };
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = encode(x);
    return out;
  }
  return v;
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o['$bytes'] === 'string' && Object.keys(o).length === 1) return fromB64(o['$bytes']);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decode(x);
    return out;
  }
  return v;
}

function toB64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromB64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The world's rows as plain JSON (bodies as base64), without the learner's own tables. */
export function captureWorld(db: Db): WorldDump {
  const out: WorldDump = {};
  for (const [name, rows] of Object.entries(db.dump())) {
    if (isKeptTable(name)) continue;
    const t: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rows)) {
      if (name === 'meta' && isKeptMetaKey(k)) continue;
      t[k] = encode(v);
    }
    out[name] = t;
  }
  return out;
}

/** Approximate size in bytes of a captured world. */
export function worldSize(w: WorldDump): number {
  return JSON.stringify(w).length;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Replace the world by `dump` (journaled: call inside sandbox.mutate). */
export function restoreWorld(db: Db, dump: WorldDump): void {
  const names = new Set([...db.tableNames(), ...Object.keys(dump)]);
  for (const name of names) {
    if (isKeptTable(name)) continue;
    const table = db.table<unknown>(name);
    const rows = dump[name] ?? {};
    for (const key of [...table.keys()]) {
      if (name === 'meta' && isKeptMetaKey(key)) continue;
      if (!(key in rows)) table.delete(key);
    }
    for (const [key, raw] of Object.entries(rows)) {
      const v = decode(raw);
      if (!same(table.get(key), v)) table.set(key, v);
    }
  }
  // The shell's folder may be gone with the old world: go home.
  const meta = db.table<Record<string, unknown>>('meta');
  const shell = meta.get('shell');
  if (shell && shell['cwd'] !== HOME) meta.set('shell', { ...shell, cwd: HOME });
}

/** A fresh world as a new sandbox with the same seed and services would start. */
export function freshWorld(sandbox: Sandbox): WorldDump {
  const seed = (sandbox.db.table<unknown>('meta').get('seed') as number | undefined) ?? 1;
  const fresh = new Sandbox({ seed, services: sandbox.services });
  return captureWorld(fresh.db);
}
