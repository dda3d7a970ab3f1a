/**
 * Shell arithmetic `$(( ... ))`: integers, variables by name, the C operators
 * bash supports (unary + - ! ~, ** * / % + - << >> < <= > >= == != & ^ | && ||,
 * ?:, = += -= *= /= %=, ++ --) and parentheses.
 */
import { ShellError } from './interpreter';

type Tok = { t: 'num'; v: number } | { t: 'name'; v: string } | { t: 'op'; v: string };

const OPS = ['**=', '<<=', '>>=', '**', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '+', '-', '*', '/', '%', '<', '>', '&', '|', '^', '!', '~', '(', ')', '?', ':', '=', ','];

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|[0-9]+#[0-9a-zA-Z@_]+|[0-9]+)/.exec(src.slice(i));
    if (num) {
      const text = num[0];
      let v: number;
      if (/^0[xX]/.test(text)) v = parseInt(text.slice(2), 16);
      else if (text.includes('#')) {
        const [base, digits] = text.split('#') as [string, string];
        v = parseInt(digits, Number(base));
      } else if (text.length > 1 && text[0] === '0') {
        if (/[89]/.test(text)) throw new ShellError(`${src}: value too great for base (error token is "${text}")`);
        v = parseInt(text, 8);
      } else v = Number(text);
      if (Number.isNaN(v)) throw new ShellError(`${src}: invalid number (error token is "${text}")`);
      out.push({ t: 'num', v });
      i += text.length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      out.push({ t: 'name', v: name[0] });
      i += name[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ShellError(`${src}: syntax error: invalid arithmetic operator (error token is "${src.slice(i)}")`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

const BINARY: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
  '**': 11,
};

const toInt = (n: number) => (Number.isFinite(n) ? Math.trunc(n) : 0);

/** Evaluate an arithmetic expression (after parameter expansion). */
export function evalArith(src: string, getVar: (name: string) => string | undefined, setVar: (name: string, value: string) => void): number {
  try {
    return evalArithImpl(src, getVar, setVar);
  } catch (e) {
    if (e instanceof RangeError) throw new ShellError(`${src.trim().slice(0, 40)}: expression nested too deeply`);
    throw e;
  }
}

function evalArithImpl(src: string, getVar: (name: string) => string | undefined, setVar: (name: string, value: string) => void): number {
  const toks = lex(src);
  let pos = 0;
  const fail = (): never => {
    const rest = toks
      .slice(pos)
      .map((t) => String(t.v))
      .join(' ');
    throw new ShellError(`${src.trim()}: syntax error in expression (error token is "${rest}")`);
  };
  const peek = () => toks[pos];
  const isOp = (v: string) => {
    const t = toks[pos];
    return !!t && t.t === 'op' && t.v === v;
  };
  const valueOf = (name: string, depth = 0): number => {
    const raw = (getVar(name) ?? '').trim();
    if (!raw) return 0;
    if (/^-?[0-9]+$/.test(raw)) return Number(raw);
    if (depth > 10) throw new ShellError(`${name}: expression recursion level exceeded`);
    return evalArith(raw, getVar, setVar);
  };
  const assign = (name: string, v: number) => {
    setVar(name, String(v));
    return v;
  };

  // skip: evaluate without side effects for the branch not taken
  let skip = 0;
  const binop = (op: string, a: number, b: number): number => {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
      case '%':
        if (b === 0) {
          if (skip) return 0;
          throw new ShellError(`${src.trim()}: division by 0 (error token is "${b}")`);
        }
        return op === '/' ? toInt(a / b) : a % b;
      case '**':
        if (b < 0) throw new ShellError(`${src.trim()}: exponent less than 0`);
        return a ** b;
      case '<<':
        return a << b;
      case '>>':
        return a >> b;
      case '<':
        return +(a < b);
      case '<=':
        return +(a <= b);
      case '>':
        return +(a > b);
      case '>=':
        return +(a >= b);
      case '==':
        return +(a === b);
      case '!=':
        return +(a !== b);
      case '&':
        return a & b;
      case '^':
        return a ^ b;
      case '|':
        return a | b;
    }
    return fail();
  };

  const primary = (): number => {
    const t = peek();
    if (!t) return fail();
    if (t.t === 'num') {
      pos++;
      return t.v;
    }
    if (t.t === 'name') {
      pos++;
      if (isOp('++') || isOp('--')) {
        const d = (peek() as { v: string }).v === '++' ? 1 : -1;
        pos++;
        const old = valueOf(t.v);
        if (!skip) assign(t.v, old + d);
        return old;
      }
      const a = peek();
      if (a && a.t === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^=', '**='].includes(a.v)) {
        pos++;
        const rhs = assignment();
        const v = a.v === '=' ? rhs : binop(a.v.slice(0, -1), valueOf(t.v), rhs);
        return skip ? v : assign(t.v, toInt(v));
      }
      return valueOf(t.v);
    }
    if (t.v === '(') {
      pos++;
      const v = comma();
      if (!isOp(')')) fail();
      pos++;
      return v;
    }
    if (t.v === '++' || t.v === '--') {
      pos++;
      const n = peek();
      if (!n || n.t !== 'name') return fail();
      pos++;
      const v = valueOf(n.v) + (t.v === '++' ? 1 : -1);
      return skip ? v : assign(n.v, v);
    }
    if (t.v === '-' || t.v === '+' || t.v === '!' || t.v === '~') {
      pos++;
      const v = unary();
      return t.v === '-' ? -v : t.v === '+' ? v : t.v === '!' ? +(v === 0) : ~v;
    }
    return fail();
  };
  const unary = (): number => primary();

  const binary = (minPrec: number): number => {
    let left = unary();
    for (;;) {
      const t = peek();
      if (!t || t.t !== 'op') break;
      const prec = BINARY[t.v];
      if (prec === undefined || prec < minPrec) break;
      pos++;
      if (t.v === '&&' || t.v === '||') {
        const short = t.v === '&&' ? left === 0 : left !== 0;
        if (short) skip++;
        const right = binary(prec + 1);
        if (short) skip--;
        left = t.v === '&&' ? +(left !== 0 && right !== 0) : +(left !== 0 || right !== 0);
        continue;
      }
      // ** is right-associative
      const right = binary(t.v === '**' ? prec : prec + 1);
      left = toInt(binop(t.v, left, right));
    }
    return left;
  };

  const ternary = (): number => {
    const c = binary(1);
    if (!isOp('?')) return c;
    pos++;
    if (!c) skip++;
    const a = assignment();
    if (!c) skip--;
    if (!isOp(':')) fail();
    pos++;
    if (c) skip++;
    const b = assignment();
    if (c) skip--;
    return c ? a : b;
  };
  const assignment = (): number => ternary();
  const comma = (): number => {
    let v = assignment();
    while (isOp(',')) {
      pos++;
      v = assignment();
    }
    return v;
  };

  if (!toks.length) return 0;
  const v = comma();
  if (pos < toks.length) fail();
  return v;
}
