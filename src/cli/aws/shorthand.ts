/**
 * The AWS CLI's shorthand syntax (`Key=Value,Other=[a,b],Nested={x=y}`):
 * a purely syntactic parser whose errors point at the failing character the
 * way the real CLI's do, plus the model-driven fix-ups applied afterwards
 * (scalar in a list slot becomes a list, numbers and booleans by shape).
 */
import type { Shape } from '../../engine';

export type ShorthandValue = string | ShorthandValue[] | { [k: string]: ShorthandValue };

export class ShorthandParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShorthandParseError';
  }
}

const KEY_CHARS = /[A-Za-z0-9\-_.#/:]/;
const WS = /\s/;
// Characters a value may start with / continue with, from the CLI's grammar.
const START = String.raw`!#-&(-+\--<>-Z\\-z|-\uffff`;
const FIRST_FOLLOW = String.raw`\s!#-&(-+\--\\^-|~-\uffff`;
const SECOND_FOLLOW = String.raw`\s!#-&(-+\--<>-\uffff`;
const FIRST_VALUE = new RegExp(`(?:(?:\\\\,)|[${START}])(?:(?:\\\\,)|[${FIRST_FOLLOW}])*`, 'y');
const SECOND_VALUE = new RegExp(`(?:(?:\\\\,)|[${START}])(?:(?:\\\\,)|[${SECOND_FOLLOW}])*`, 'y');
const SINGLE_QUOTED = /'(?:\\\\|\\'|[^'])*'/y;
const DOUBLE_QUOTED = /"(?:\\\\|\\"|[^"])*"/y;

export interface ShorthandOptions {
  /** Resolve `key@=file://...` values (returns undefined when the value is no paramfile). */
  paramfile?: (value: string) => string | undefined;
}

/** Show the input with a caret under `index` (counting from the last newline). */
function marker(value: string, index: number): string {
  let consumed = value;
  let remaining = '';
  let spaces = index;
  const before = value.slice(0, index);
  if (before.includes('\n')) spaces = index - before.lastIndexOf('\n') - 1;
  const nl = value.indexOf('\n', index);
  if (nl >= 0) {
    consumed = value.slice(0, nl);
    remaining = value.slice(nl);
  }
  return `${consumed}\n${' '.repeat(spaces)}^${remaining}`;
}

class Parser {
  private i = 0;
  private resolve = false;
  constructor(
    private readonly v: string,
    private readonly opts: ShorthandOptions,
  ) {}

  private err(expected: string, actual: string, index: number): ShorthandParseError {
    return new ShorthandParseError(`Expected: '${expected}', received: '${actual}' for input:\n${marker(this.v, index)}`);
  }
  private eof(): boolean {
    return this.i >= this.v.length;
  }
  private cur(): string | undefined {
    return this.v[this.i];
  }
  private ws(): void {
    while (!this.eof() && WS.test(this.v[this.i]!)) this.i++;
  }
  private expect(ch: string, consumeWs = false): void {
    if (consumeWs) this.ws();
    if (this.eof()) throw this.err(ch, 'EOF', this.i);
    const a = this.v[this.i]!;
    if (a !== ch) throw this.err(ch, a, this.i);
    this.i++;
    if (consumeWs) this.ws();
  }
  private mustMatch(re: RegExp, name: string): string {
    re.lastIndex = this.i;
    const m = re.exec(this.v);
    if (!m) throw this.err(`<${name}>`, '<none>', this.i);
    this.i += m[0].length;
    return m[0];
  }

  parse(): Record<string, ShorthandValue> {
    const params: Record<string, ShorthandValue> = {};
    const [k0, v0] = this.keyval();
    params[k0] = v0;
    let last = this.i;
    while (this.i < this.v.length) {
      this.expect(',', true);
      const [k, val] = this.keyval();
      if (Object.prototype.hasOwnProperty.call(params, k)) {
        throw new ShorthandParseError(
          `Second instance of key "${k}" encountered for input:\n${marker(this.v, last + 1)}\nThis is often because there is a preceding "," instead of a space.`,
        );
      }
      params[k] = val;
      last = this.i;
    }
    return params;
  }

  private atSign(): void {
    this.resolve = false;
    const save = this.i;
    this.ws();
    if (this.cur() === '@') {
      this.i++;
      this.ws();
      this.resolve = true;
    } else this.i = save;
  }

  private keyval(): [string, ShorthandValue] {
    const key = this.key();
    this.atSign();
    this.expect('=', true);
    return [key, this.values()];
  }
  private key(): string {
    const start = this.i;
    while (!this.eof() && KEY_CHARS.test(this.v[this.i]!)) this.i++;
    return this.v.slice(start, this.i);
  }
  private values(): ShorthandValue {
    if (this.eof()) return '';
    const c = this.cur();
    if (c === '[') return this.explicitList();
    if (c === '{') return this.hashLiteral();
    return this.csvValue();
  }
  private csvValue(): ShorthandValue {
    const first = this.firstValue();
    this.ws();
    if (this.eof() || this.v[this.i] !== ',') return first;
    this.expect(',', true);
    const list: ShorthandValue[] = [first];
    for (;;) {
      try {
        const current = this.secondValue();
        this.ws();
        if (this.eof()) {
          list.push(current);
          break;
        }
        this.expect(',', true);
        list.push(current);
      } catch (e) {
        if (!(e instanceof ShorthandParseError)) throw e;
        if (this.eof()) throw e;
        while (this.i >= 0 && this.v[this.i] !== ',') this.i--;
        break;
      }
    }
    return list.length === 1 ? first : list;
  }
  private explicitList(): ShorthandValue[] {
    this.expect('[', true);
    const out: ShorthandValue[] = [];
    while (this.cur() !== ']') {
      if (this.eof()) throw this.err(']', 'EOF', this.i);
      out.push(this.explicitValues());
      this.ws();
      if (this.cur() !== ']') {
        this.expect(',');
        this.ws();
      }
    }
    this.expect(']');
    return out;
  }
  private explicitValues(): ShorthandValue {
    const c = this.cur();
    if (c === '[') return this.explicitList();
    if (c === '{') return this.hashLiteral();
    return this.firstValue();
  }
  private hashLiteral(): Record<string, ShorthandValue> {
    this.expect('{', true);
    const out: Record<string, ShorthandValue> = {};
    while (this.cur() !== '}') {
      if (this.eof()) throw this.err('=', 'EOF', this.i);
      const key = this.key();
      this.atSign();
      this.expect('=', true);
      const val = this.explicitValues();
      this.ws();
      if (this.cur() !== '}') {
        this.expect(',');
        this.ws();
      }
      out[key] = val;
    }
    this.expect('}');
    return out;
  }
  private quoted(re: RegExp, q: string, name: string): string {
    const body = this.mustMatch(re, name).slice(1, -1);
    return this.resolved(body.split('\\' + q).join(q).split('\\\\').join('\\'));
  }
  private firstValue(): string {
    const c = this.cur();
    if (c === "'") return this.quoted(SINGLE_QUOTED, "'", 'singled quoted');
    if (c === '"') return this.quoted(DOUBLE_QUOTED, '"', 'double quoted');
    FIRST_VALUE.lastIndex = this.i;
    const m = FIRST_VALUE.exec(this.v);
    if (!m) return '';
    this.i += m[0].length;
    return this.resolved(m[0].split('\\,').join(',').trimEnd());
  }
  private secondValue(): string {
    const c = this.cur();
    if (c === "'") return this.quoted(SINGLE_QUOTED, "'", 'singled quoted');
    if (c === '"') return this.quoted(DOUBLE_QUOTED, '"', 'double quoted');
    return this.resolved(this.mustMatch(SECOND_VALUE, 'second').split('\\,').join(',').trimEnd());
  }
  private resolved(value: string): string {
    if (!this.resolve || !this.opts.paramfile) return value;
    return this.opts.paramfile(value) ?? value;
  }
}

/** Parse shorthand text into plain values (strings, lists, objects). */
export function parseShorthand(text: string, opts: ShorthandOptions = {}): Record<string, ShorthandValue> {
  return new Parser(text, opts).parse();
}

/**
 * The CLI's fix-ups after parsing, driven by the shape: `a=b` in a list slot
 * becomes `[b]`, a list of one-member structures takes bare values, numbers
 * and booleans are converted. Returns the new value.
 */
export function coerceShorthand(value: unknown, shape: Shape): unknown {
  if (value === undefined || value === null) return value;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(obj)) {
        const m = (shape.members as Record<string, Shape>)[k];
        out[k] = m ? coerceShorthand(v, m) : v;
      }
      return out;
    }
    case 'list': {
      const member = shape.member as Shape;
      if (!Array.isArray(value)) return [coerceShorthand(value, member)];
      if (member.type === 'structure' && Object.keys(member.members).length === 1) {
        const name = Object.keys(member.members)[0]!;
        return value.map((v) => (typeof v === 'string' ? { [name]: v } : coerceShorthand(v, member)));
      }
      return value.map((v) => coerceShorthand(v, member));
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = coerceShorthand(v, shape.value as Shape);
      return out;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      if (typeof value !== 'string') return value;
      return toNumber(value, shape.type === 'integer' || shape.type === 'long');
    }
    case 'boolean': {
      if (typeof value !== 'string') return value;
      if (value.toLowerCase() === 'true') return true;
      if (value.toLowerCase() === 'false') return false;
      return value;
    }
    default:
      return value;
  }
}

export class ScalarConversionError extends Error {}

/** Python's int()/float() on a CLI string, with Python's error messages. */
export function toNumber(text: string, integer: boolean): number {
  const t = text.trim();
  if (integer) {
    if (/^[+-]?\d+(_\d+)*$/.test(t)) return parseInt(t.replace(/_/g, ''), 10);
    throw new ScalarConversionError(`invalid literal for int() with base 10: ${pyStr(text)}`);
  }
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return parseFloat(t);
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  throw new ScalarConversionError(`could not convert string to float: ${pyStr(text)}`);
}

/** Python's repr of a str. */
export function pyStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
    else out += ch;
  }
  return q + out + q;
}
