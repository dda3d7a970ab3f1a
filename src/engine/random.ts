/**
 * Seeded randomness. The generator's state lives in the database (meta table),
 * so it is journaled: a failed operation does not consume randomness, and the
 * same script always yields the same ids.
 */
import type { Db, Table } from './store/db';

interface RngState {
  a: number;
  b: number;
  c: number;
  d: number;
}

export function seedState(seed: number): RngState {
  // splitmix32 to spread a small seed over the four words
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return { a: next(), b: next(), c: next(), d: next() };
}

const HEX = '0123456789abcdef';
const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class Rng {
  private readonly meta: Table<unknown>;

  constructor(db: Db) {
    this.meta = db.table('meta');
  }

  private load(): RngState {
    const s = this.meta.get('rng') as RngState | undefined;
    if (!s) throw new Error('rng not seeded');
    return { ...s };
  }

  /** One sfc32 step on a working copy of the state. */
  private static step(s: RngState): number {
    const t = (((s.a + s.b) | 0) + s.d) | 0;
    s.d = (s.d + 1) | 0;
    s.a = s.b ^ (s.b >>> 9);
    s.b = (s.c + (s.c << 3)) | 0;
    s.c = (s.c << 21) | (s.c >>> 11);
    s.c = (s.c + t) | 0;
    return t >>> 0;
  }

  /** A uint32 (sfc32). */
  u32(): number {
    const s = this.load();
    const v = Rng.step(s);
    this.meta.set('rng', s);
    return v;
  }
  /** Float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[this.int(0, items.length - 1)]!;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const a = [...items];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
  /** n characters from one load and one write of the state (the same draws as n u32() calls). */
  private chars(alphabet: string, n: number): string {
    const s = this.load();
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Rng.step(s) % alphabet.length];
    this.meta.set('rng', s);
    return out;
  }
  hex(n: number): string {
    return this.chars(HEX, n);
  }
  upperAlnum(n: number): string {
    return this.chars(ALNUM_UPPER, n);
  }
  alnum(n: number): string {
    return this.chars(ALNUM, n);
  }
  /** RFC 4122 version-4 shaped UUID. */
  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = HEX[(parseInt(h[16]!, 16) & 0x3) | 0x8]!;
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
  /** 32 hex characters, as ECS task ids. */
  taskId(): string {
    return this.hex(32);
  }
}

/** Sequential counters (stored in meta), for ids that need no randomness. */
export function nextCounter(db: Db, name: string): number {
  const meta = db.table<unknown>('meta');
  const key = `counter:${name}`;
  const n = ((meta.get(key) as number | undefined) ?? 0) + 1;
  meta.set(key, n);
  return n;
}
