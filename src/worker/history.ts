/**
 * Terminal history through the Session (the shell keeps it in the sandbox so
 * it is persisted and exported). Written against `session.addHistory(line)`
 * and `session.history()` / `session.getHistory()`; until the shell has them,
 * a 'history' row list in the meta table stands in.
 */
import type { Session } from '../cli/session';

interface HistoryApi {
  addHistory?: (line: string) => void;
  history?: (() => string[]) | string[];
  getHistory?: () => string[];
}

const FALLBACK_KEY = 'history';
const FALLBACK_LIMIT = 1000;

export function addHistory(session: Session, line: string): void {
  const s = session as unknown as HistoryApi;
  if (typeof s.addHistory === 'function') {
    s.addHistory(line);
    return;
  }
  const meta = session.sandbox.db.table<unknown>('meta');
  const list = ((meta.get(FALLBACK_KEY) as string[] | undefined) ?? []).concat(line).slice(-FALLBACK_LIMIT);
  session.sandbox.mutate(() => meta.set(FALLBACK_KEY, list));
}

export function readHistory(session: Session): string[] {
  const s = session as unknown as HistoryApi;
  if (typeof s.getHistory === 'function') return [...s.getHistory()];
  if (typeof s.history === 'function') return [...s.history()];
  if (Array.isArray(s.history)) return [...s.history];
  return [...((session.sandbox.db.table<unknown>('meta').get(FALLBACK_KEY) as string[] | undefined) ?? [])];
}
