/**
 * A jq subset for `aws ... | jq ...`: paths (.a.b, .[0], .[], .[1:3], ?),
 * pipes, commas, literals, string interpolation, [ ] and { } construction,
 * arithmetic, comparisons, and/or, //, if/elif/else/end, `as $x`, --arg,
 * and the common builtins (length keys values map select has sort sort_by
 * unique min max add join split test startswith to_entries ...).
 * Options: -r -j -c -s -n -e --arg --argjson --tab.
 */
import { builtin, readInputs } from './util';
import { toBase64, fromBase64, utf8 } from '../../engine/store/blobs';

type V = unknown;
type Node =
  | { t: 'identity' }
  | { t: 'recurse' }
  | { t: 'lit'; v: V }
  | { t: 'str'; parts: (string | Node)[]; fmt?: string }
  | { t: 'field'; of: Node; name: Node; opt: boolean }
  | { t: 'index'; of: Node; idx: Node; opt: boolean }
  | { t: 'slice'; of: Node; from?: Node; to?: Node; opt: boolean }
  | { t: 'iter'; of: Node; opt: boolean }
  | { t: 'pipe'; a: Node; b: Node }
  | { t: 'comma'; a: Node; b: Node }
  | { t: 'bin'; op: string; a: Node; b: Node }
  | { t: 'neg'; a: Node }
  | { t: 'array'; body?: Node }
  | { t: 'object'; entries: { key: Node; value: Node }[] }
  | { t: 'call'; name: string; args: Node[] }
  | { t: 'var'; name: string }
  | { t: 'if'; cond: Node; then: Node; elifs: { cond: Node; then: Node }[]; else?: Node }
  | { t: 'as'; src: Node; name: string; body: Node }
  | { t: 'try'; body: Node; handler?: Node }
  | { t: 'reduce'; src: Node; name: string; init: Node; update: Node };

export class JqError extends Error {}
class JqSyntax extends Error {}

// ---- lexer -------------------------------------------------------------------

type Tok = { k: 'num'; v: number } | { k: 'str'; v: (string | Node)[] } | { k: 'ident'; v: string } | { k: 'field'; v: string } | { k: 'var'; v: string } | { k: 'op'; v: string };

const OPS = ['?//', '|=', '+=', '-=', '//', '==', '!=', '<=', '>=', '..', '|', ',', '.', '[', ']', '(', ')', '{', '}', ':', ';', '+', '-', '*', '/', '%', '<', '>', '?', '='];

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '"') {
      const parts: (string | Node)[] = [];
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new JqSyntax('unterminated string literal');
        const d = src[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\') {
          const e = src[i + 1];
          if (e === '(') {
            // interpolation: find the matching paren
            let depth = 1;
            let j = i + 2;
            let inStr = false;
            for (; j < src.length; j++) {
              const ch = src[j];
              if (inStr) {
                if (ch === '\\') j++;
                else if (ch === '"') inStr = false;
              } else if (ch === '"') inStr = true;
              else if (ch === '(') depth++;
              else if (ch === ')' && --depth === 0) break;
            }
            if (s) parts.push(s);
            s = '';
            parts.push(parseJq(src.slice(i + 2, j)));
            i = j + 1;
            continue;
          }
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
          if (e === 'u') {
            s += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          if (e === undefined || map[e] === undefined) throw new JqSyntax(`invalid escape \\${e ?? ''}`);
          s += map[e];
          i += 2;
          continue;
        }
        s += d;
        i++;
      }
      if (s || !parts.length) parts.push(s);
      out.push({ k: 'str', v: parts });
      continue;
    }
    const num = /^(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(src.slice(i));
    if (num && !(c === '.' && out.length && isValueEnd(out[out.length - 1]!))) {
      out.push({ k: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    if (c === '.' && /[A-Za-z_]/.test(src[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i + 1))!;
      out.push({ k: 'field', v: m[0] });
      i += 1 + m[0].length;
      continue;
    }
    if (c === '$') {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i + 1));
      if (!m) throw new JqSyntax('syntax error: unexpected $');
      out.push({ k: 'var', v: m[0] });
      i += 1 + m[0].length;
      continue;
    }
    if (c === '@') {
      const m = /^@[A-Za-z0-9_]+/.exec(src.slice(i));
      if (!m) throw new JqSyntax(`syntax error, unexpected INVALID_CHARACTER '@'`);
      out.push({ k: 'ident', v: m[0] });
      i += m[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)?/.exec(src.slice(i));
    if (id) {
      out.push({ k: 'ident', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new JqSyntax(`syntax error, unexpected INVALID_CHARACTER '${c}'`);
    out.push({ k: 'op', v: op });
    i += op.length;
  }
  return out;
}

function isValueEnd(t: Tok): boolean {
  return t.k === 'ident' || t.k === 'field' || (t.k === 'op' && (t.v === ']' || t.v === ')'));
}

// ---- parser ------------------------------------------------------------------

export function parseJq(src: string): Node {
  const toks = lex(src);
  let pos = 0;
  const peek = () => toks[pos];
  const isOp = (v: string) => {
    const t = toks[pos];
    return !!t && t.k === 'op' && t.v === v;
  };
  const isId = (v: string) => {
    const t = toks[pos];
    return !!t && t.k === 'ident' && t.v === v;
  };
  const expectOp = (v: string) => {
    if (!isOp(v)) throw new JqSyntax(`syntax error, expected '${v}'${peek() ? ` near '${String(peek()!.v)}'` : ' at end of filter'}`);
    pos++;
  };
  const expectId = (v: string) => {
    if (!isId(v)) throw new JqSyntax(`syntax error, expected '${v}'`);
    pos++;
  };

  const pipe = (): Node => {
    const a = comma();
    if (isId('as')) {
      pos++;
      const v = peek();
      if (!v || v.k !== 'var') throw new JqSyntax("syntax error, expected '$name' after 'as'");
      pos++;
      expectOp('|');
      return { t: 'as', src: a, name: v.v, body: pipe() };
    }
    if (isOp('|')) {
      pos++;
      return { t: 'pipe', a, b: pipe() };
    }
    return a;
  };
  const comma = (): Node => {
    let a = alt();
    while (isOp(',')) {
      pos++;
      a = { t: 'comma', a, b: alt() };
    }
    return a;
  };
  const alt = (): Node => {
    const a = or();
    if (isOp('//')) {
      pos++;
      return { t: 'bin', op: '//', a, b: alt() };
    }
    return a;
  };
  const or = (): Node => {
    let a = and();
    while (isId('or')) {
      pos++;
      a = { t: 'bin', op: 'or', a, b: and() };
    }
    return a;
  };
  const and = (): Node => {
    let a = cmp();
    while (isId('and')) {
      pos++;
      a = { t: 'bin', op: 'and', a, b: cmp() };
    }
    return a;
  };
  const cmp = (): Node => {
    const a = add();
    const t = peek();
    if (t && t.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      pos++;
      return { t: 'bin', op: t.v, a, b: add() };
    }
    return a;
  };
  const add = (): Node => {
    let a = mul();
    for (;;) {
      const t = peek();
      if (!t || t.k !== 'op' || (t.v !== '+' && t.v !== '-')) return a;
      pos++;
      a = { t: 'bin', op: t.v, a, b: mul() };
    }
  };
  const mul = (): Node => {
    let a = unary();
    for (;;) {
      const t = peek();
      if (!t || t.k !== 'op' || !['*', '/', '%'].includes(t.v)) return a;
      pos++;
      a = { t: 'bin', op: t.v, a, b: unary() };
    }
  };
  const unary = (): Node => {
    if (isOp('-')) {
      pos++;
      return { t: 'neg', a: postfix() };
    }
    return postfix();
  };
  const postfix = (): Node => {
    let n = term();
    for (;;) {
      const t = peek();
      if (!t) return n;
      if (t.k === 'field') {
        pos++;
        n = { t: 'field', of: n, name: { t: 'lit', v: t.v }, opt: optMark() };
      } else if (t.k === 'op' && t.v === '.' && toks[pos + 1]?.k === 'str') {
        pos++;
        const s = toks[pos++] as { k: 'str'; v: (string | Node)[] };
        n = { t: 'field', of: n, name: { t: 'str', parts: s.v }, opt: optMark() };
      } else if (t.k === 'op' && (t.v === '[' || (t.v === '.' && toks[pos + 1]?.k === 'op' && (toks[pos + 1] as { v: string }).v === '['))) {
        if (t.v === '.') pos++;
        n = bracket(n);
      } else if (t.k === 'op' && t.v === '?') {
        pos++;
        n = { t: 'try', body: n };
      } else return n;
    }
  };
  const optMark = (): boolean => {
    if (isOp('?')) {
      pos++;
      return true;
    }
    return false;
  };
  const bracket = (of: Node): Node => {
    expectOp('[');
    if (isOp(']')) {
      pos++;
      return { t: 'iter', of, opt: optMark() };
    }
    if (isOp(':')) {
      pos++;
      const to = pipe();
      expectOp(']');
      return { t: 'slice', of, to, opt: optMark() };
    }
    const idx = pipe();
    if (isOp(':')) {
      pos++;
      if (isOp(']')) {
        pos++;
        return { t: 'slice', of, from: idx, opt: optMark() };
      }
      const to = pipe();
      expectOp(']');
      return { t: 'slice', of, from: idx, to, opt: optMark() };
    }
    expectOp(']');
    return { t: 'index', of, idx, opt: optMark() };
  };
  const term = (): Node => {
    const t = peek();
    if (!t) throw new JqSyntax('syntax error, unexpected end of file');
    pos++;
    switch (t.k) {
      case 'num':
        return { t: 'lit', v: t.v };
      case 'str':
        return t.v.length === 1 && typeof t.v[0] === 'string' ? { t: 'lit', v: t.v[0] } : { t: 'str', parts: t.v };
      case 'field':
        return { t: 'field', of: { t: 'identity' }, name: { t: 'lit', v: t.v }, opt: optMark() };
      case 'var':
        return { t: 'var', name: t.v };
      case 'ident': {
        const name = t.v;
        if (name === 'true' || name === 'false') return { t: 'lit', v: name === 'true' };
        if (name === 'null') return { t: 'lit', v: null };
        if (name.startsWith('@')) {
          if (!FORMATS.has(name)) throw new JqError(`${name.slice(1)} is not a valid format`);
          const nx = peek();
          // `@csv "\(...)"`: the format applies to each interpolated value
          if (nx && nx.k === 'str') {
            pos++;
            return { t: 'str', parts: nx.v, fmt: name };
          }
          return { t: 'call', name, args: [] };
        }
        if (name === 'if') {
          const cond = pipe();
          expectId('then');
          const then = pipe();
          const elifs: { cond: Node; then: Node }[] = [];
          let otherwise: Node | undefined;
          for (;;) {
            if (isId('elif')) {
              pos++;
              const c = pipe();
              expectId('then');
              elifs.push({ cond: c, then: pipe() });
            } else if (isId('else')) {
              pos++;
              otherwise = pipe();
            } else break;
          }
          expectId('end');
          const n: Node = { t: 'if', cond, then, elifs };
          if (otherwise) n.else = otherwise;
          return n;
        }
        if (name === 'try') {
          const body = postfix();
          if (isId('catch')) {
            pos++;
            return { t: 'try', body, handler: postfix() };
          }
          return { t: 'try', body };
        }
        if (name === 'reduce') {
          const src = postfix();
          expectId('as');
          const v = peek();
          if (!v || v.k !== 'var') throw new JqSyntax("syntax error, expected '$name'");
          pos++;
          expectOp('(');
          const init = pipe();
          expectOp(';');
          const update = pipe();
          expectOp(')');
          return { t: 'reduce', src, name: v.v, init, update };
        }
        const args: Node[] = [];
        if (isOp('(')) {
          pos++;
          args.push(pipe());
          while (isOp(';')) {
            pos++;
            args.push(pipe());
          }
          expectOp(')');
        }
        return { t: 'call', name, args };
      }
      case 'op':
        switch (t.v) {
          case '.':
            if (toks[pos]?.k === 'str') {
              const s = toks[pos++] as { k: 'str'; v: (string | Node)[] };
              return { t: 'field', of: { t: 'identity' }, name: { t: 'str', parts: s.v }, opt: optMark() };
            }
            if (isOp('[')) return bracket({ t: 'identity' });
            return { t: 'identity' };
          case '..':
            return { t: 'recurse' };
          case '(': {
            const e = pipe();
            expectOp(')');
            return e;
          }
          case '[': {
            if (isOp(']')) {
              pos++;
              return { t: 'array' };
            }
            const body = pipe();
            expectOp(']');
            return { t: 'array', body };
          }
          case '{': {
            const entries: { key: Node; value: Node }[] = [];
            while (!isOp('}')) {
              const k = peek();
              if (!k) throw new JqSyntax('syntax error, unexpected end of file in object');
              pos++;
              let key: Node;
              let value: Node | undefined;
              if (k.k === 'ident' || k.k === 'num') key = { t: 'lit', v: String(k.v) };
              else if (k.k === 'str') key = k.v.length === 1 && typeof k.v[0] === 'string' ? { t: 'lit', v: k.v[0] } : { t: 'str', parts: k.v };
              else if (k.k === 'var') {
                key = { t: 'lit', v: k.v };
                value = { t: 'var', name: k.v };
              } else if (k.k === 'op' && k.v === '(') {
                key = pipe();
                expectOp(')');
              } else throw new JqSyntax(`syntax error, unexpected '${String(k.v)}' in object`);
              if (isOp(':')) {
                pos++;
                value = alt();
              } else if (!value) value = { t: 'field', of: { t: 'identity' }, name: key, opt: false };
              entries.push({ key, value });
              if (!isOp('}')) expectOp(',');
            }
            pos++;
            return { t: 'object', entries };
          }
        }
    }
    throw new JqSyntax(`syntax error, unexpected '${String(t.v)}'`);
  };

  if (!toks.length) return { t: 'identity' };
  const n = pipe();
  if (pos < toks.length) throw new JqSyntax(`syntax error, unexpected '${String(toks[pos]!.v)}'`);
  return n;
}

// ---- evaluation --------------------------------------------------------------

const typeOf = (v: V): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v);
const isObj = (v: V): v is Record<string, V> => v !== null && typeof v === 'object' && !Array.isArray(v);
const truthy = (v: V) => v !== null && v !== false;
const ORDER: Record<string, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5 };

function desc(v: V): string {
  const s = JSON.stringify(v) ?? 'null';
  return `${typeOf(v)} (${s.length > 11 ? s.slice(0, 10) + '...' : s})`;
}

export function compare(a: V, b: V): number {
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) {
    if (ta === 'boolean' && tb === 'boolean') return 0;
    return ORDER[ta]! - ORDER[tb]!;
  }
  if (ta === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  if (ta === 'number') return (a as number) - (b as number);
  if (ta === 'string') return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (ta === 'array') {
    const x = a as V[];
    const y = b as V[];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const c = compare(x[i], y[i]);
      if (c) return c;
    }
    return x.length - y.length;
  }
  if (ta === 'object') {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    const c = compare(ka, kb);
    if (c) return c;
    for (const k of ka) {
      const d = compare((a as Record<string, V>)[k], (b as Record<string, V>)[k]);
      if (d) return d;
    }
  }
  return 0;
}

const equal = (a: V, b: V) => compare(a, b) === 0;

type Env = Record<string, V>;

function product(lists: V[][]): V[][] {
  let out: V[][] = [[]];
  for (const l of lists) {
    const next: V[][] = [];
    for (const o of out) for (const v of l) next.push([...o, v]);
    out = next;
  }
  return out;
}

function binop(op: string, a: V, b: V): V {
  switch (op) {
    case '+':
      if (a === null) return b;
      if (b === null) return a;
      if (typeof a === 'number' && typeof b === 'number') return a + b;
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      if (isObj(a) && isObj(b)) return { ...a, ...b };
      break;
    case '-':
      if (typeof a === 'number' && typeof b === 'number') return a - b;
      if (Array.isArray(a) && Array.isArray(b)) return a.filter((x) => !b.some((y) => equal(x, y)));
      break;
    case '*':
      if (typeof a === 'number' && typeof b === 'number') return a * b;
      if (typeof a === 'string' && typeof b === 'number') return b > 0 ? a.repeat(Math.ceil(b)) : null;
      if (isObj(a) && isObj(b)) return deepMerge(a, b);
      break;
    case '/':
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) throw new JqError(`${desc(a)} and ${desc(b)} cannot be divided because the divisor is zero`);
        return a / b;
      }
      if (typeof a === 'string' && typeof b === 'string') return a.split(b);
      break;
    case '%':
      if (typeof a === 'number' && typeof b === 'number') {
        if (Math.trunc(b) === 0) throw new JqError(`${desc(a)} and ${desc(b)} cannot be divided because the divisor is zero`);
        return Math.trunc(a) % Math.trunc(b);
      }
      break;
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
      return compare(a, b) < 0;
    case '<=':
      return compare(a, b) <= 0;
    case '>':
      return compare(a, b) > 0;
    case '>=':
      return compare(a, b) >= 0;
  }
  const verb = { '+': 'added', '-': 'subtracted', '*': 'multiplied', '/': 'divided', '%': 'divided' }[op] ?? 'combined';
  throw new JqError(`${desc(a)} and ${desc(b)} cannot be ${verb}`);
}

function deepMerge(a: Record<string, V>, b: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(out[k]) && isObj(v) ? deepMerge(out[k] as Record<string, V>, v) : v;
  return out;
}

function tostring(v: V): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const FORMATS = new Set(['@text', '@json', '@csv', '@tsv', '@sh', '@base64', '@base64d', '@uri', '@html']);

/** jq's format strings (`@csv`, `@tsv`, `@sh` ...) applied to one value. */
function applyFormat(fmt: string, v: V): string {
  const row = (what: string): V[] => {
    if (!Array.isArray(v)) throw new JqError(`${desc(v)} cannot be ${what}-formatted, only an array can be`);
    return v;
  };
  const cell = (x: V, what: string, quote: (s: string) => string): string => {
    if (x === null) return '';
    if (typeof x === 'string') return quote(x);
    if (typeof x === 'number' || typeof x === 'boolean') return tostring(x);
    throw new JqError(`${desc(x)} is not valid in a ${what} row`);
  };
  switch (fmt) {
    case '@text':
      return tostring(v);
    case '@json':
      return JSON.stringify(v);
    case '@csv':
      return row('csv')
        .map((x) => cell(x, 'csv', (t) => `"${t.replace(/"/g, '""')}"`))
        .join(',');
    case '@tsv':
      return row('tsv')
        .map((x) => cell(x, 'tsv', (t) => t.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')))
        .join('\t');
    case '@sh': {
      const q = (x: V): string => {
        if (typeof x === 'string') return `'${x.replace(/'/g, "'\\''")}'`;
        if (x === null || typeof x === 'number' || typeof x === 'boolean') return tostring(x);
        throw new JqError(`${desc(x)} can not be escaped for shell`);
      };
      return Array.isArray(v) ? v.map(q).join(' ') : q(v);
    }
    case '@base64':
      return toBase64(utf8.encode(tostring(v)));
    case '@base64d':
      try {
        return utf8.decode(fromBase64(tostring(v)));
      } catch {
        throw new JqError(`${desc(v)} is not valid base64 data`);
      }
    case '@uri':
      return [...utf8.encode(tostring(v))].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0'))).join('');
    case '@html':
      return tostring(v).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&quot;' })[c]!);
  }
  throw new JqError(`${fmt.slice(1)} is not a valid format`);
}

function evalJq(n: Node, input: V, env: Env): V[] {
  switch (n.t) {
    case 'identity':
      return [input];
    case 'recurse': {
      const out: V[] = [];
      const walk = (v: V) => {
        out.push(v);
        if (Array.isArray(v)) v.forEach(walk);
        else if (isObj(v)) Object.values(v).forEach(walk);
      };
      walk(input);
      return out;
    }
    case 'lit':
      return [n.v];
    case 'str': {
      let outs: string[] = [''];
      for (const p of n.parts) {
        if (typeof p === 'string') outs = outs.map((o) => o + p);
        else {
          const fmt = n.fmt;
          const vals = evalJq(p, input, env).map((v) => (fmt ? applyFormat(fmt, v) : tostring(v)));
          outs = outs.flatMap((o) => vals.map((v) => o + v));
        }
      }
      return outs;
    }
    case 'var':
      if (!(n.name in env)) throw new JqError(`$${n.name} is not defined`);
      return [env[n.name]];
    case 'field':
    case 'index': {
      const out: V[] = [];
      for (const base of evalJq(n.of, input, env)) {
        const keys = n.t === 'field' ? evalJq(n.name, input, env) : evalJq(n.idx, input, env);
        for (const k of keys) {
          try {
            out.push(indexValue(base, k));
          } catch (e) {
            if (!n.opt) throw e;
          }
        }
      }
      return out;
    }
    case 'slice': {
      const out: V[] = [];
      for (const base of evalJq(n.of, input, env)) {
        if (base === null) {
          out.push(null);
          continue;
        }
        if (typeof base !== 'string' && !Array.isArray(base)) {
          if (n.opt) continue;
          throw new JqError(`Cannot index ${typeOf(base)} with object`);
        }
        const froms = n.from ? evalJq(n.from, input, env) : [null];
        const tos = n.to ? evalJq(n.to, input, env) : [null];
        for (const f of froms)
          for (const t of tos) {
            const len = base.length;
            const norm = (x: V, d: number) => {
              if (x === null) return d;
              const v = Math.floor(x as number);
              return v < 0 ? Math.max(0, len + v) : Math.min(len, v);
            };
            out.push(base.slice(norm(f, 0), norm(t, len)));
          }
      }
      return out;
    }
    case 'iter': {
      const out: V[] = [];
      for (const base of evalJq(n.of, input, env)) {
        if (Array.isArray(base)) out.push(...base);
        else if (isObj(base)) out.push(...Object.values(base));
        else if (!n.opt) throw new JqError(`Cannot iterate over ${base === null ? 'null' : desc(base)}`);
      }
      return out;
    }
    case 'pipe':
      return evalJq(n.a, input, env).flatMap((v) => evalJq(n.b, v, env));
    case 'comma':
      return [...evalJq(n.a, input, env), ...evalJq(n.b, input, env)];
    case 'neg':
      return evalJq(n.a, input, env).map((v) => {
        if (typeof v !== 'number') throw new JqError(`${desc(v)} cannot be negated`);
        return -v;
      });
    case 'bin': {
      if (n.op === '//') {
        let a: V[];
        try {
          a = evalJq(n.a, input, env).filter(truthy);
        } catch (e) {
          if (!(e instanceof JqError)) throw e;
          a = [];
        }
        return a.length ? a : evalJq(n.b, input, env);
      }
      if (n.op === 'and' || n.op === 'or') {
        const out: V[] = [];
        for (const a of evalJq(n.a, input, env)) {
          if (n.op === 'and' && !truthy(a)) out.push(false);
          else if (n.op === 'or' && truthy(a)) out.push(true);
          else for (const b of evalJq(n.b, input, env)) out.push(truthy(b));
        }
        return out;
      }
      const out: V[] = [];
      const bs = evalJq(n.b, input, env);
      for (const b of bs) for (const a of evalJq(n.a, input, env)) out.push(binop(n.op, a, b));
      return out;
    }
    case 'array':
      return [n.body ? evalJq(n.body, input, env) : []];
    case 'object': {
      const lists = n.entries.map((e) => {
        const keys = evalJq(e.key, input, env);
        const vals = evalJq(e.value, input, env);
        const pairs: V[] = [];
        for (const k of keys) {
          if (typeof k !== 'string') throw new JqError(`Object keys must be strings`);
          for (const v of vals) pairs.push([k, v]);
        }
        return pairs;
      });
      return product(lists).map((combo) => Object.fromEntries(combo as [string, V][]));
    }
    case 'if': {
      const out: V[] = [];
      for (const c of evalJq(n.cond, input, env)) {
        if (truthy(c)) out.push(...evalJq(n.then, input, env));
        else {
          const rest: Node | undefined = n.elifs.length
            ? { t: 'if', cond: n.elifs[0]!.cond, then: n.elifs[0]!.then, elifs: n.elifs.slice(1), ...(n.else ? { else: n.else } : {}) }
            : n.else;
          out.push(...(rest ? evalJq(rest, input, env) : [input]));
        }
      }
      return out;
    }
    case 'as':
      return evalJq(n.src, input, env).flatMap((v) => evalJq(n.body, input, { ...env, [n.name]: v }));
    case 'try':
      try {
        return evalJq(n.body, input, env);
      } catch (e) {
        if (!(e instanceof JqError)) throw e;
        return n.handler ? evalJq(n.handler, e.message, env) : [];
      }
    case 'reduce': {
      let acc = evalJq(n.init, input, env);
      for (const v of evalJq(n.src, input, env)) acc = acc.flatMap((a) => evalJq(n.update, a, { ...env, [n.name]: v }));
      return acc;
    }
    case 'call':
      return callBuiltin(n.name, n.args, input, env);
  }
}

function indexValue(base: V, k: V): V {
  if (base === null) return null;
  if (typeof k === 'string') {
    if (!isObj(base)) throw new JqError(`Cannot index ${typeOf(base)} with "${k}"`);
    return base[k] ?? null;
  }
  if (typeof k === 'number') {
    if (!Array.isArray(base)) throw new JqError(`Cannot index ${typeOf(base)} with number`);
    const i = Math.floor(k);
    return base[i < 0 ? base.length + i : i] ?? null;
  }
  throw new JqError(`Cannot index ${typeOf(base)} with ${typeOf(k)}`);
}

function need(name: string, args: Node[], n: number): void {
  if (args.length !== n) throw new JqError(`${name}/${args.length} is not defined`);
}

function callBuiltin(name: string, args: Node[], input: V, env: Env): V[] {
  const one = (i: number) => evalJq(args[i]!, input, env);
  const str = (what: string): string => {
    if (typeof input !== 'string') throw new JqError(`${desc(input)} cannot be ${what}`);
    return input;
  };
  const arr = (what: string): V[] => {
    if (!Array.isArray(input)) throw new JqError(`${desc(input)} cannot be ${what}`);
    return input;
  };
  if (name.startsWith('@') && !args.length) return [applyFormat(name, input)];
  switch (`${name}/${args.length}`) {
    case 'empty/0':
      return [];
    case 'not/0':
      return [!truthy(input)];
    case 'length/0':
      if (input === null) return [0];
      if (typeof input === 'string' || Array.isArray(input)) return [input.length];
      if (isObj(input)) return [Object.keys(input).length];
      if (typeof input === 'number') return [Math.abs(input)];
      throw new JqError(`${desc(input)} has no length`);
    case 'keys/0':
    case 'keys_unsorted/0':
      if (Array.isArray(input)) return [input.map((_, i) => i)];
      if (isObj(input)) return [name === 'keys' ? Object.keys(input).sort() : Object.keys(input)];
      throw new JqError(`${desc(input)} has no keys`);
    case 'values/0':
      return input === null ? [] : [input];
    case 'has/1':
      return one(0).map((k) => (Array.isArray(input) ? typeof k === 'number' && k >= 0 && k < input.length : isObj(input) ? Object.prototype.hasOwnProperty.call(input, k as string) : false));
    case 'in/1':
      return one(0).map((o) => (isObj(o) ? Object.prototype.hasOwnProperty.call(o, input as string) : Array.isArray(o) ? typeof input === 'number' && input < o.length : false));
    case 'map/1':
      if (isObj(input)) return [Object.values(input).flatMap((v) => evalJq(args[0]!, v, env))];
      return [arr('iterated over').flatMap((v) => evalJq(args[0]!, v, env))];
    case 'map_values/1': {
      if (isObj(input)) {
        const out: Record<string, V> = {};
        for (const [k, v] of Object.entries(input)) {
          const r = evalJq(args[0]!, v, env);
          if (r.length) out[k] = r[0];
        }
        return [out];
      }
      return [arr('iterated over').flatMap((v) => evalJq(args[0]!, v, env).slice(0, 1))];
    }
    case 'select/1':
      return one(0).some(truthy) ? [input] : [];
    case 'recurse/0':
      return evalJq({ t: 'recurse' }, input, env);
    case 'type/0':
      return [typeOf(input)];
    case 'add/0': {
      const list = isObj(input) ? Object.values(input) : arr('added');
      return [list.reduce((a: V, b) => binop('+', a, b), null)];
    }
    case 'any/0':
      return [arr('iterated over').some(truthy)];
    case 'all/0':
      return [arr('iterated over').every(truthy)];
    case 'any/1':
      return [arr('iterated over').some((v) => evalJq(args[0]!, v, env).some(truthy))];
    case 'all/1':
      return [arr('iterated over').every((v) => evalJq(args[0]!, v, env).every(truthy))];
    case 'range/1':
      return one(0).flatMap((n) => Array.from({ length: Math.max(0, Math.ceil(n as number)) }, (_, i) => i));
    case 'range/2': {
      const out: V[] = [];
      for (const a of one(0)) for (const b of one(1)) for (let i = a as number; i < (b as number); i++) out.push(i);
      return out;
    }
    case 'floor/0':
      return [Math.floor(input as number)];
    case 'ceil/0':
      return [Math.ceil(input as number)];
    case 'round/0':
      return [Math.round(input as number)];
    case 'sqrt/0':
      return [Math.sqrt(input as number)];
    case 'fabs/0':
    case 'abs/0':
      return [Math.abs(input as number)];
    case 'tostring/0':
      return [tostring(input)];
    case 'tonumber/0': {
      if (typeof input === 'number') return [input];
      const v = Number(str('parsed as a number'));
      if (Number.isNaN(v) || input === '') throw new JqError(`Cannot parse '${input}' as JSON`);
      return [v];
    }
    case 'ascii_downcase/0':
      return [str('lowercased').toLowerCase()];
    case 'ascii_upcase/0':
      return [str('uppercased').toUpperCase()];
    case 'ltrimstr/1':
      return one(0).map((p) => (typeof input === 'string' && typeof p === 'string' && input.startsWith(p) ? input.slice(p.length) : input));
    case 'rtrimstr/1':
      return one(0).map((p) => (typeof input === 'string' && typeof p === 'string' && p && input.endsWith(p) ? input.slice(0, -p.length) : input));
    case 'trim/0':
      return [str('trimmed').trim()];
    case 'startswith/1':
      return one(0).map((p) => str('checked').startsWith(p as string));
    case 'endswith/1':
      return one(0).map((p) => str('checked').endsWith(p as string));
    case 'contains/1':
      return one(0).map((b) => contains(input, b));
    case 'inside/1':
      return one(0).map((b) => contains(b, input));
    case 'split/1':
      return one(0).map((sep) => str('split').split(sep as string));
    case 'join/1':
      return one(0).map((sep) =>
        arr('joined')
          .map((v) => {
            if (v !== null && typeof v === 'object') throw new JqError(`Cannot join with ${typeOf(v)}`);
            return v === null ? '' : String(v);
          })
          .join(sep as string),
      );
    case 'test/1':
    case 'test/2':
      return one(0).map((re) => new RegExp(re as string, args[1] ? String(one(1)[0]).replace(/[^imsu]/g, '') : '').test(str('matched')));
    case 'sub/2':
    case 'gsub/2':
      return one(0).flatMap((re) => one(1).map((rep) => str('matched').replace(new RegExp(re as string, name === 'gsub' ? 'g' : ''), String(rep))));
    case 'sort/0':
      return [[...arr('sorted')].sort(compare)];
    case 'sort_by/1':
      return [[...arr('sorted')].map((v) => ({ v, k: evalJq(args[0]!, v, env) })).sort((a, b) => compare(a.k, b.k)).map((x) => x.v)];
    case 'group_by/1': {
      const sorted = [...arr('grouped')].map((v) => ({ v, k: evalJq(args[0]!, v, env) })).sort((a, b) => compare(a.k, b.k));
      const groups: V[][] = [];
      let last: V = undefined;
      for (const x of sorted) {
        if (groups.length && equal(last, x.k)) groups[groups.length - 1]!.push(x.v);
        else groups.push([x.v]);
        last = x.k;
      }
      return [groups];
    }
    case 'unique/0':
      return [[...arr('sorted')].sort(compare).filter((v, i, a) => i === 0 || !equal(v, a[i - 1]))];
    case 'unique_by/1': {
      const seen: V[] = [];
      const out: V[] = [];
      for (const v of [...arr('sorted')].sort((a, b) => compare(evalJq(args[0]!, a, env), evalJq(args[0]!, b, env)))) {
        const k = evalJq(args[0]!, v, env);
        if (!seen.some((s) => equal(s, k))) {
          seen.push(k);
          out.push(v);
        }
      }
      return [out];
    }
    case 'min/0':
    case 'max/0': {
      const a = [...arr('compared')].sort(compare);
      return [a.length ? (name === 'min' ? a[0] : a[a.length - 1]) : null];
    }
    case 'min_by/1':
    case 'max_by/1': {
      const a = [...arr('compared')].sort((x, y) => compare(evalJq(args[0]!, x, env), evalJq(args[0]!, y, env)));
      return [a.length ? (name === 'min_by' ? a[0] : a[a.length - 1]) : null];
    }
    case 'reverse/0':
      if (typeof input === 'string') return [[...input].reverse().join('')];
      return [input === null ? [] : [...arr('reversed')].reverse()];
    case 'flatten/0':
      return [arr('flattened').flat(Infinity)];
    case 'flatten/1':
      return one(0).map((d) => arr('flattened').flat(d as number));
    case 'first/0':
      return [arr('indexed')[0] ?? null];
    case 'last/0':
      return [arr('indexed').at(-1) ?? null];
    case 'first/1':
      return one(0).slice(0, 1);
    case 'last/1':
      return one(0).slice(-1);
    case 'limit/2': {
      const n = one(0)[0] as number;
      return evalJq(args[1]!, input, env).slice(0, Math.max(0, n));
    }
    case 'to_entries/0':
      if (!isObj(input)) throw new JqError(`${desc(input)} has no keys`);
      return [Object.entries(input).map(([key, value]) => ({ key, value }))];
    case 'from_entries/0':
      return [
        Object.fromEntries(
          arr('iterated over').map((e) => {
            const o = e as Record<string, V>;
            const k = o['key'] ?? o['k'] ?? o['name'] ?? o['Name'] ?? o['Key'];
            const v = 'value' in o ? o['value'] : 'v' in o ? o['v'] : o['Value'];
            return [typeof k === 'string' ? k : JSON.stringify(k), v ?? null];
          }),
        ),
      ];
    case 'with_entries/1': {
      if (!isObj(input)) throw new JqError(`${desc(input)} has no keys`);
      const entries = Object.entries(input).flatMap(([key, value]) => evalJq(args[0]!, { key, value }, env));
      return callBuiltin('from_entries', [], entries, env);
    }
    case 'tojson/0':
      return [JSON.stringify(input)];
    case 'fromjson/0':
      try {
        return [JSON.parse(str('parsed'))];
      } catch {
        throw new JqError(`${input} (while parsing '${input}')`);
      }
    case 'error/0':
      throw new JqError(tostring(input));
    case 'error/1':
      throw new JqError(tostring(one(0)[0]));
    case 'paths/0': {
      const out: V[] = [];
      const walk = (v: V, p: V[]) => {
        const kids: [V, V][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : isObj(v) ? Object.entries(v) : [];
        for (const [k, x] of kids) {
          out.push([...p, k]);
          walk(x, [...p, k]);
        }
      };
      walk(input, []);
      return out;
    }
    case 'env/0':
      return [env['ENV'] ?? {}];
    case 'splits/1':
      return one(0).flatMap((re) => str('split').split(new RegExp(re as string)));
    case 'ascii/0':
      return [String.fromCharCode(input as number)];
    case 'isempty/1':
      return [one(0).length === 0];
    case 'del/1':
    case 'getpath/1':
    case 'setpath/2':
      break;
  }
  throw new JqError(`${name}/${args.length} is not defined`);
}

function contains(a: V, b: V): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
  if (Array.isArray(a) && Array.isArray(b)) return b.every((y) => a.some((x) => contains(x, y)));
  if (isObj(a) && isObj(b)) return Object.entries(b).every(([k, v]) => k in a && contains(a[k], v));
  if (typeOf(a) !== typeOf(b)) throw new JqError(`${desc(a)} and ${desc(b)} cannot have their containment checked`);
  return equal(a, b);
}

/** Split a text into the JSON values it holds (jq reads a stream of them). */
export function parseJsonStream(text: string): V[] {
  const out: V[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    const c = text[i]!;
    if (c === '{' || c === '[') {
      let depth = 0;
      let inStr = false;
      for (; i < n; i++) {
        const d = text[i];
        if (inStr) {
          if (d === '\\') i++;
          else if (d === '"') inStr = false;
        } else if (d === '"') inStr = true;
        else if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
      }
    } else if (c === '"') {
      for (i++; i < n && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      i++;
    } else while (i < n && !/[\s{["]/.test(text[i]!)) i++;
    const chunk = text.slice(start, i).trim();
    try {
      out.push(JSON.parse(chunk));
    } catch {
      throw new JqError(`Invalid JSON text: ${chunk.length > 40 ? chunk.slice(0, 40) + '...' : chunk}`);
    }
  }
  return out;
}

function format(v: V, compact: boolean, raw: boolean, indent: string): string {
  if (raw && typeof v === 'string') return v;
  if (v === undefined) return 'null';
  return compact ? JSON.stringify(v) : JSON.stringify(v, null, indent);
}

builtin({
  name: 'jq',
  summary: 'filter and reshape JSON (a subset of jq)',
  usage: `Usage: jq [OPTIONS] FILTER [FILE]...
Run FILTER on each JSON value of the FILEs (or standard input). A subset of jq:
paths (.a.b, .[0], .[], .[2:4], ?), |, ',', literals, "\\(.x)" interpolation,
[ ] and { } construction, + - * / %, == != < <= > >=, and, or, //, if-then-else,
'as $x', reduce, try, and builtins such as length, keys, map, select, has,
sort_by, group_by, unique, min, max, add, join, split, test, to_entries.

  -r      print strings without quotes
  -j      like -r, without newlines
  -c      compact output (one line per value)
  -s      read all inputs into one array
  -n      use null as the input
  -e      exit 1 when the last output is false or null
  --arg NAME VALUE, --argjson NAME JSON   define $NAME
Example: aws ecs list-clusters | jq -r '.clusterArns[]'
`,
  run(ctx, argv) {
    let raw = false;
    let join = false;
    let compact = false;
    let slurp = false;
    let nullInput = false;
    let exitStatus = false;
    let indent = '  ';
    const vars: Env = {};
    let filter: string | undefined;
    const files: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (filter === undefined && a.startsWith('-') && a.length > 1) {
        if (a === '--arg' || a === '--argjson') {
          const name = argv[i + 1];
          const value = argv[i + 2];
          if (name === undefined || value === undefined) {
            ctx.err(`jq: ${a} takes two parameters (e.g. ${a} varname value)\n`);
            return 2;
          }
          if (a === '--arg') vars[name] = value;
          else {
            try {
              vars[name] = JSON.parse(value);
            } catch {
              ctx.err(`jq: invalid JSON text passed to --argjson\n`);
              return 2;
            }
          }
          i += 2;
          continue;
        }
        if (a === '--tab') {
          indent = '\t';
          continue;
        }
        if (a === '--raw-output') raw = true;
        else if (a === '--compact-output') compact = true;
        else if (a === '--slurp') slurp = true;
        else if (a === '--null-input') nullInput = true;
        else if (a === '--exit-status') exitStatus = true;
        else if (a === '--join-output') raw = join = true;
        else if (/^-[rjcsneaSM]+$/.test(a)) {
          for (const f of a.slice(1)) {
            if (f === 'r') raw = true;
            else if (f === 'j') raw = join = true;
            else if (f === 'c') compact = true;
            else if (f === 's') slurp = true;
            else if (f === 'n') nullInput = true;
            else if (f === 'e') exitStatus = true;
          }
        } else {
          ctx.err(`jq: Unknown option: ${a}\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n`);
          return 2;
        }
        continue;
      }
      if (filter === undefined) filter = a;
      else files.push(a);
    }
    if (filter === undefined) {
      ctx.err('Usage:\tjq [OPTIONS] FILTER [FILES...]\n');
      return 2;
    }
    let ast: Node;
    try {
      ast = parseJq(filter);
    } catch (e) {
      if (!(e instanceof JqSyntax || e instanceof JqError)) throw e;
      ctx.err(`jq: error: ${e.message}:\n${filter}\njq: 1 compile error\n`);
      return 3;
    }
    const { inputs, failed } = readInputs(ctx, 'jq', files);
    if (failed) return 2;
    let values: V[];
    try {
      values = nullInput ? [null] : inputs.flatMap((i) => parseJsonStream(i.text));
    } catch (e) {
      if (!(e instanceof JqError)) throw e;
      ctx.err(`jq: error (at <stdin>:0): ${e.message}\n`);
      return 2;
    }
    if (slurp && !nullInput) values = [values];
    let out = '';
    let last: V = undefined;
    let status = 0;
    for (const v of values) {
      try {
        for (const r of evalJq(ast, v, vars)) {
          out += format(r, compact, raw, indent) + (join ? '' : '\n');
          last = r;
        }
      } catch (e) {
        if (!(e instanceof JqError)) throw e;
        ctx.out(out);
        out = '';
        ctx.err(`jq: error (at <stdin>:0): ${e.message}\n`);
        status = 5;
      }
    }
    ctx.out(out);
    if (status) return status;
    if (exitStatus) return last === undefined ? 4 : truthy(last) ? 0 : 1;
    return 0;
  },
});
