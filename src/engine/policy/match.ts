/**
 * Matching pieces of the evaluator: wildcards (`*`, `?`), ARN segments,
 * CIDR blocks, policy variables and condition operators.
 */
import { parseOperator, type ConditionBlock } from './document';

/** A request's condition keys. Keys are matched case-insensitively (lower-cased here). */
export type ContextValue = string | number | boolean | readonly string[];
export type ConditionContext = ReadonlyMap<string, ContextValue>;

export function makeContext(entries: Record<string, ContextValue | undefined>): Map<string, ContextValue> {
  const m = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) m.set(k.toLowerCase(), v);
  return m;
}

const GLOB_CACHE = new Map<string, RegExp>();

/** Does `text` match `pattern` with `*` (any run) and `?` (one character)? */
export function globMatch(pattern: string, text: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return ignoreCase ? pattern.toLowerCase() === text.toLowerCase() : pattern === text;
  const id = (ignoreCase ? 'i' : 's') + pattern;
  let re = GLOB_CACHE.get(id);
  if (!re) {
    let src = '';
    for (const ch of pattern) src += ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
    re = new RegExp(`^${src}$`, ignoreCase ? 'i' : '');
    if (GLOB_CACHE.size > 5000) GLOB_CACHE.clear();
    GLOB_CACHE.set(id, re);
  }
  return re.test(text);
}

/** Action names are case-insensitive: `s3:getobject` matches `s3:GetObject`. */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}

/** Split an ARN into its six parts (the resource part may contain colons). */
function arnParts(a: string): string[] | undefined {
  const p = a.split(':');
  if (p.length < 6) return undefined;
  return [...p.slice(0, 5), p.slice(5).join(':')];
}

/** ArnLike / ArnEquals: each of the six colon-separated parts is matched on its own. */
export function arnLike(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const pp = arnParts(pattern);
  const vp = arnParts(value);
  if (!pp || !vp) return false;
  return pp.every((seg, i) => globMatch(seg, vp[i]!));
}

/** IPv4 (and simple IPv6) CIDR membership. A bare address is a /32 (/128). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const a = ipBits(ip);
  const b = ipBits(base ?? '');
  if (!a || !b || a.length !== b.length) return false;
  const bits = bitsText === undefined ? a.length : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > a.length) return false;
  for (let i = 0; i < bits; i++) if (a[i] !== b[i]) return false;
  return true;
}

function ipBits(ip: string): number[] | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const out: number[] = [];
    for (const part of ip.split('.')) {
      const n = Number(part);
      if (n > 255) return undefined;
      for (let i = 7; i >= 0; i--) out.push((n >> i) & 1);
    }
    return out;
  }
  if (ip.includes(':')) {
    const [head, tail] = ip.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    if (tail === undefined && h.length !== 8) return undefined;
    const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    if (groups.length !== 8) return undefined;
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      const n = parseInt(g, 16);
      for (let i = 15; i >= 0; i--) out.push((n >> i) & 1);
    }
    return out;
  }
  return undefined;
}

/**
 * Replace policy variables (`${aws:username}`, `${s3:prefix}`, `${*}`, `${?}`, `${$}`,
 * `${key, 'default'}`). Returns undefined when a variable has no value: the
 * element then matches nothing, as AWS documents.
 */
export function substituteVariables(text: string, ctx: ConditionContext): string | undefined {
  if (!text.includes('${')) return text;
  let missing = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (_m, inner: string) => {
    const body = inner.trim();
    if (body === '*' || body === '?' || body === '$') return body;
    const d = /^([^,]+),\s*'([^']*)'$/.exec(body);
    const key = (d ? d[1]! : body).trim().toLowerCase();
    const v = ctx.get(key);
    if (v === undefined || Array.isArray(v)) {
      if (d) return d[2]!;
      missing = true;
      return '';
    }
    return String(v);
  });
  return missing ? undefined : out;
}

/** A condition evaluation result with a reason in plain words when it fails. */
export interface ConditionResult {
  ok: boolean;
  /** For a failed condition: which operator and key failed, and why. */
  why?: string;
}

function toDate(v: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress', 'ArnNotEquals', 'ArnNotLike']);
const POSITIVE_OF: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/** One context value against one policy value under a positive operator. */
function matchOne(op: string, value: string, pattern: string): boolean {
  switch (op) {
    case 'StringEquals':
      return value === pattern;
    case 'StringEqualsIgnoreCase':
      return value.toLowerCase() === pattern.toLowerCase();
    case 'StringLike':
      return globMatch(pattern, value);
    case 'NumericEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals': {
      const a = Number(value);
      const b = Number(pattern);
      if (Number.isNaN(a) || Number.isNaN(b) || value.trim() === '' || pattern.trim() === '') return false;
      return cmp(op.slice('Numeric'.length), a, b);
    }
    case 'DateEquals':
    case 'DateLessThan':
    case 'DateLessThanEquals':
    case 'DateGreaterThan':
    case 'DateGreaterThanEquals': {
      const a = toDate(value);
      const b = toDate(pattern);
      if (a === undefined || b === undefined) return false;
      return cmp(op.slice('Date'.length), a, b);
    }
    case 'Bool':
      return value.toLowerCase() === pattern.toLowerCase();
    case 'BinaryEquals':
      return value === pattern;
    case 'IpAddress':
      return ipInCidr(value, pattern);
    case 'ArnEquals':
    case 'ArnLike':
      return arnLike(pattern, value);
    default:
      return false;
  }
}

function cmp(rel: string, a: number, b: number): boolean {
  switch (rel) {
    case 'Equals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThan':
      return a > b;
    case 'GreaterThanEquals':
      return a >= b;
  }
  return false;
}

const show = (v: ContextValue | undefined) => (v === undefined ? 'absent' : Array.isArray(v) ? `[${v.join(', ')}]` : `"${String(v)}"`);

/** Evaluate one statement's Condition block: every operator, every key, any value (AND / AND / OR). */
export function evaluateConditions(block: ConditionBlock | undefined, ctx: ConditionContext, variables: boolean): ConditionResult {
  if (!block) return { ok: true };
  for (const [opName, keys] of Object.entries(block)) {
    const parsed = parseOperator(opName);
    if (!parsed) return { ok: false, why: `unknown condition operator ${opName}` };
    for (const [key, rawPatterns] of Object.entries(keys)) {
      const value = ctx.get(key.toLowerCase());
      const patterns: string[] = [];
      for (const p of rawPatterns) {
        const s = variables && parsed.base.startsWith('String') ? substituteVariables(p, ctx) : p;
        if (s !== undefined) patterns.push(s);
      }
      const ok = evalKey(parsed, value, patterns);
      if (!ok) {
        return { ok: false, why: `condition ${opName} on ${key} is not met (the request's value is ${show(value)}; the policy wants ${rawPatterns.join(' or ')})` };
      }
    }
  }
  return { ok: true };
}

function evalKey(op: { qualifier?: 'ForAnyValue' | 'ForAllValues'; base: string; ifExists: boolean }, value: ContextValue | undefined, patterns: string[]): boolean {
  if (op.base === 'Null') {
    const absent = value === undefined || (Array.isArray(value) && value.length === 0);
    return patterns.some((p) => (p.toLowerCase() === 'true' ? absent : !absent));
  }
  const values: string[] = value === undefined ? [] : Array.isArray(value) ? [...value] : [String(value)];
  const negated = NEGATED.has(op.base);
  const positive = negated ? POSITIVE_OF[op.base]! : op.base;
  const anyPattern = (v: string) => patterns.some((p) => matchOne(positive, v, p));
  // a negated operator matches a value when no policy value matches it
  const valueOk = (v: string) => (negated ? !anyPattern(v) : anyPattern(v));
  if (op.qualifier === 'ForAllValues') {
    return values.every(valueOk);
  }
  if (op.qualifier === 'ForAnyValue') {
    if (!values.length) return false;
    return values.some(valueOk);
  }
  if (!values.length) {
    if (op.ifExists) return true;
    return negated;
  }
  if (negated) return values.every(valueOk);
  return values.some(valueOk);
}
