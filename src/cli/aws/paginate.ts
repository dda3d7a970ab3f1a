/**
 * The CLI's automatic pagination (botocore's PageIterator and
 * build_full_result): follow the output token, merge the pages by the
 * paginator's result keys, and with --max-items stop early and hand back
 * a NextToken for --starting-token.
 */
import jmespath from 'jmespath';
import type { ApiResponse, Paginator } from '../../engine';
import { CliError } from './params';

const SIMPLE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function search(data: unknown, expr: string): unknown {
  if (SIMPLE.test(expr)) {
    let cur: unknown = data;
    for (const part of expr.split('.')) {
      if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return null;
      cur = (cur as Record<string, unknown>)[part];
      if (cur === undefined) return null;
    }
    return cur;
  }
  return jmespath.search(data as never, expr) as unknown;
}

function setPath(obj: Record<string, unknown>, expr: string, value: unknown): void {
  const parts = expr.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (!cur[p] || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

const asList = (x: string | string[]): string[] => (Array.isArray(x) ? x : [x]);

/** Python's json.dumps separators for the token text. */
function pyJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return '[' + v.map(pyJson).join(', ') + ']';
  if (typeof v === 'object') return '{' + Object.entries(v as object).map(([k, x]) => JSON.stringify(k) + ': ' + pyJson(x)).join(', ') + '}';
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function b64encode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
function b64decode(text: string): string | undefined {
  try {
    const bin = atob(text);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function encodeToken(token: Record<string, unknown>): string {
  return b64encode(pyJson(token));
}

/** Decode --starting-token: the base64 JSON form, else the legacy `a___b___N` raw form. */
export function decodeToken(text: string, inputTokens: string[]): { tokens: Record<string, unknown>; truncate: number } {
  const json = b64decode(text);
  if (json !== undefined) {
    try {
      const obj = JSON.parse(json) as Record<string, unknown>;
      if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
        const truncate = typeof obj['boto_truncate_amount'] === 'number' ? (obj['boto_truncate_amount'] as number) : 0;
        const tokens: Record<string, unknown> = {};
        for (const k of inputTokens) tokens[k] = obj[k] ?? null;
        return { tokens, truncate };
      }
    } catch {
      /* legacy form */
    }
  }
  let parts = text.split('___');
  let truncate = 0;
  if (parts.length === inputTokens.length + 1) {
    const n = Number(parts[parts.length - 1]);
    if (Number.isInteger(n)) {
      truncate = n;
      parts = parts.slice(0, -1);
    } else parts = [text];
  }
  const tokens: Record<string, unknown> = {};
  inputTokens.forEach((k, i) => (tokens[k] = parts[i] === 'None' || parts[i] === undefined ? null : parts[i]));
  return { tokens, truncate };
}

export interface PageOptions {
  maxItems?: number;
  startingToken?: string;
  pageSize?: number;
}

/**
 * Run a paginated operation to the end (or to --max-items). `call` performs
 * one request; errors stop everything and are returned as they are.
 */
export interface Paged {
  /** build_full_result: merged result keys, non-aggregate keys, NextToken. */
  full: Record<string, unknown>;
  /** Each page as the text format prints it (first page carries the non-aggregate keys). */
  pages: Record<string, unknown>[];
  resumeToken?: string;
}

export function paginate(
  pg: Paginator,
  params: Record<string, unknown>,
  opts: PageOptions,
  call: (input: Record<string, unknown>) => ApiResponse,
): { ok: true; output: Record<string, unknown>; paged: Paged } | { ok: false; error: Extract<ApiResponse, { ok: false }>['error'] } {
  const inTok = asList(pg.inputToken);
  const outTok = asList(pg.outputToken);
  const kwargs: Record<string, unknown> = { ...params };
  let nextToken: Record<string, unknown> = Object.fromEntries(inTok.map((k) => [k, null]));
  let startTrunc = 0;
  if (opts.startingToken !== undefined) {
    const d = decodeToken(opts.startingToken, inTok);
    nextToken = d.tokens;
    startTrunc = d.truncate;
    for (const [k, v] of Object.entries(d.tokens)) if (v !== null) kwargs[k] = v;
  }
  if (opts.pageSize !== undefined && pg.limitKey) kwargs[pg.limitKey] = opts.pageSize;
  const primary = pg.resultKeys[0]!;
  const pages: Record<string, unknown>[] = [];
  let nonAggregate: Record<string, unknown> | undefined;
  let resume: Record<string, unknown> | undefined;
  let total = 0;
  let first = true;
  let prevToken: string | undefined;
  for (let guard = 0; guard < 100000; guard++) {
    const r = call({ ...kwargs });
    if (!r.ok) return r;
    const page = structuredCloneish(r.output);
    let starting = 0;
    if (first) {
      if (opts.startingToken !== undefined) {
        starting = startTrunc;
        const all = search(page, primary);
        setPath(page, primary, Array.isArray(all) || typeof all === 'string' ? all.slice(starting) : null);
        for (const rk of pg.resultKeys.slice(1)) {
          const sample = search(page, rk);
          setPath(page, rk, Array.isArray(sample) ? [] : typeof sample === 'string' ? '' : typeof sample === 'number' ? 0 : null);
        }
      }
      first = false;
      nonAggregate = {};
      for (const k of pg.nonAggregateKeys ?? []) setPath(nonAggregate, k, search(page, k));
    }
    const cur = search(page, primary);
    const curList = Array.isArray(cur) ? cur : [];
    const truncateAmount = opts.maxItems !== undefined ? total + curList.length - opts.maxItems : 0;
    if (truncateAmount > 0) {
      const keep = curList.length - truncateAmount;
      setPath(page, primary, curList.slice(0, keep));
      pages.push(page);
      resume = { ...nextToken, boto_truncate_amount: keep + starting };
      break;
    }
    pages.push(page);
    total += curList.length;
    nextToken = nextTokenOf(pg, page, inTok, outTok);
    if (Object.values(nextToken).every((t) => t === null)) break;
    if (opts.maxItems !== undefined && total === opts.maxItems) {
      resume = nextToken;
      break;
    }
    const key = JSON.stringify(nextToken);
    if (prevToken !== undefined && prevToken === key) {
      throw new CliError(`Error during pagination: The same next token was received twice: ${key}`, 255);
    }
    for (const [k, v] of Object.entries(nextToken)) {
      if (v === null) delete kwargs[k];
      else kwargs[k] = v;
    }
    prevToken = key;
  }
  // build_full_result
  const full: Record<string, unknown> = {};
  for (const page of pages) {
    for (const rk of pg.resultKeys) {
      const val = search(page, rk);
      if (val === null || val === undefined) continue;
      const existing = search(full, rk);
      if (existing === null || existing === undefined) {
        setPath(full, rk, Array.isArray(val) ? [...val] : val);
        continue;
      }
      if (Array.isArray(val) && Array.isArray(existing)) existing.push(...val);
      else if (typeof val === 'number' && typeof existing === 'number') setPath(full, rk, existing + val);
      else if (typeof val === 'string' && typeof existing === 'string') setPath(full, rk, existing + val);
    }
  }
  if (nonAggregate) for (const [k, v] of Object.entries(nonAggregate)) if (!(k in full)) full[k] = v;
  const resumeToken = resume ? encodeToken(resume) : undefined;
  if (resumeToken) full['NextToken'] = resumeToken;
  const textPages = pages.map((page, i) => {
    const cur: Record<string, unknown> = i === 0 ? { ...(nonAggregate ?? {}) } : {};
    for (const rk of pg.resultKeys) setPath(cur, rk, search(page, rk));
    return cur;
  });
  return { ok: true, output: full, paged: { full, pages: textPages, resumeToken } };
}

function nextTokenOf(pg: Paginator, page: unknown, inTok: string[], outTok: string[]): Record<string, unknown> {
  if (pg.moreResults !== undefined && !search(page, pg.moreResults)) return {};
  const out: Record<string, unknown> = {};
  inTok.forEach((k, i) => {
    const v = outTok[i] !== undefined ? search(page, outTok[i]!) : null;
    out[k] = v === '' || v === undefined || v === null || v === false ? null : v;
  });
  return out;
}

/** A shallow-enough copy of a page so truncation never touches engine data (rows are frozen). */
function structuredCloneish(v: unknown): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = Array.isArray(x) ? [...x] : x;
  return out;
}
