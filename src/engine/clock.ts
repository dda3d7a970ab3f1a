/**
 * The simulated clock. The model never reads wall time: "now" is a number of
 * milliseconds since the epoch kept in the meta table, and it moves only when
 * someone advances it (`sandbox clock advance 5m`, waiters, lessons).
 */
import type { Db } from './store/db';

/** Where every fresh sandbox starts: Monday 5 January 2026, 09:00 UTC. */
export const DEFAULT_START_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

export function clockNow(db: Db): number {
  return (db.table<unknown>('meta').get('clock') as number | undefined) ?? DEFAULT_START_MS;
}

export function setClock(db: Db, ms: number): void {
  db.table<unknown>('meta').set('clock', ms);
}

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parse a duration such as `90s`, `5m`, `2h`, `3d`, `1h30m` or a bare number
 * of seconds. Returns milliseconds, or null when the text is not a duration.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(parseFloat(t) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|sec|min|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) {
    total += parseFloat(m[1]!) * UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (matched !== t.length || matched === 0) return null;
  return Math.round(total);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (s || parts.length === 0) parts.push(`${s}s`);
  return parts.join('');
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A timestamp as AWS CLI v2 prints it (Python's isoformat of a UTC datetime):
 * `2026-01-05T09:00:00+00:00`, with `.ffffff` only when there are fractions.
 */
export function isoTime(ms: number): string {
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac = d.getUTCMilliseconds();
  return frac ? `${base}.${pad(frac * 1000, 6)}+00:00` : `${base}+00:00`;
}

/** `2026-01-05 09:00:00` as `aws s3 ls` prints (UTC here: the sandbox lives in UTC). */
export function lsTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** RFC 7231 date, as in HTTP headers and S3's Expires / Restore expiry-date. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
