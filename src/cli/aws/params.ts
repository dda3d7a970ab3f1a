/**
 * From CLI words to API parameters, as AWS CLI v2's argprocess does it:
 * file:// and fileb:// paramfiles, scalars by type, lists, shorthand or JSON
 * for structures and maps, then botocore's client-side validation.
 */
import type { Sandbox, Shape, StructureShape } from '../../engine';
import { parse as parseYaml } from 'yaml';
import { resolvePath, FsError, HOME } from '../../engine';
import { parseShorthand, coerceShorthand, ShorthandParseError, toNumber, pyStr } from './shorthand';

/** A usage/parameter error (exit 252) or another failure (exit 255), with the CLI's text. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 252,
    /** Print the usage block before the message. */
    readonly usage = false,
  ) {
    super(message);
  }
}

export interface FileAccess {
  sandbox: Sandbox;
  cwd: string;
}

function readHome(fa: FileAccess, prefix: string, given: string, binary: boolean, optName: string): string | Uint8Array {
  const path = resolvePath(given, fa.cwd);
  // the error names the path after ~ expansion, as Python's open() reports it
  const rest = given === '~' || given.startsWith('~/') ? HOME + given.slice(1) : given;
  try {
    if (fa.sandbox.vfs.isDir(path)) throw new CliError(`Error parsing parameter '${optName}': Unable to load paramfile ${prefix}${given}: [Errno 21] Is a directory: ${pyStr(rest)}`);
    return binary ? fa.sandbox.vfs.readBytes(path) : fa.sandbox.vfs.readText(path);
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e instanceof FsError || (e as Error)?.message) {
      throw new CliError(`Error parsing parameter '${optName}': Unable to load paramfile ${prefix}${given}: [Errno 2] No such file or directory: ${pyStr(rest)}`);
    }
    throw e;
  }
}

/** Load `file://` (text) / `fileb://` (bytes) values; other values come back unchanged. */
export function paramfile(fa: FileAccess, value: string, optName: string): string | Uint8Array | undefined {
  if (value.startsWith('file://')) return readHome(fa, 'file://', value.slice(7), false, optName);
  if (value.startsWith('fileb://')) return readHome(fa, 'fileb://', value.slice(8), true, optName);
  return undefined;
}

const te = new TextEncoder();
const td = new TextDecoder();

export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    throw new CliError(`Invalid base64: ${pyStr(text)}`);
  }
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const s = clean.replace(/=+$/, '');
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  for (const ch of s) {
    buf = (buf << 6) | A.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buf >> bits) & 255);
    }
  }
  return new Uint8Array(out);
}

export interface ParseOptions {
  files: FileAccess;
  /** --cli-binary-format raw-in-base64-out: blob text is taken as raw bytes. */
  rawBlobs: boolean;
}

function isComplex(shape: Shape): boolean {
  if (shape.type === 'structure' || shape.type === 'map') return true;
  if (shape.type === 'list') {
    const m = shape.member as Shape;
    return m.type === 'structure' || m.type === 'list' || m.type === 'map';
  }
  return false;
}

/** Where and why a JSON text is invalid, in the words of Python's json module. */
export function jsonError(text: string, _e?: unknown): string {
  const err = scanJson(text);
  const at = err ? err.pos : text.length;
  const before = text.slice(0, at);
  // Python counts code points (an emoji is one character), JavaScript UTF-16 units
  const cp = (s: string) => [...s].length;
  const pos = cp(before);
  const line = before.split('\n').length;
  const col = pos - cp(before.slice(0, before.lastIndexOf('\n') + 1)) + 1;
  return `${err ? err.msg : 'Expecting value'}: line ${line} column ${col} (char ${pos})`;
}

function scanJson(t: string): { pos: number; msg: string } | undefined {
  let i = 0;
  const ws = () => {
    while (i < t.length && ' \t\n\r'.includes(t[i]!)) i++;
  };
  class Fail {
    constructor(
      readonly pos: number,
      readonly msg: string,
    ) {}
  }
  const str = () => {
    const start = i;
    i++;
    while (i < t.length) {
      const c = t[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const n = t[i + 1];
        if (n === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) throw new Fail(i, 'Invalid \\uXXXX escape');
          i += 6;
          continue;
        }
        if (n === undefined || !'"\\/bfnrt'.includes(n)) throw new Fail(i, 'Invalid \\escape');
        i += 2;
        continue;
      }
      if (c < ' ') throw new Fail(i, 'Invalid control character at');
      i++;
    }
    throw new Fail(start, 'Unterminated string starting at');
  };
  const value = (): void => {
    ws();
    const c = t[i];
    if (c === '{') {
      i++;
      ws();
      if (t[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (t[i] !== '"') {
          if (t[i] === '}') {
            let k = i - 1;
            while (k >= 0 && ' \t\n\r'.includes(t[k]!)) k--;
            if (t[k] === ',') throw new Fail(k, 'Illegal trailing comma before end of object');
          }
          throw new Fail(i, 'Expecting property name enclosed in double quotes');
        }
        str();
        ws();
        if (t[i] !== ':') throw new Fail(i, "Expecting ':' delimiter");
        i++;
        value();
        ws();
        if (t[i] === '}') {
          i++;
          return;
        }
        if (t[i] !== ',') throw new Fail(i, "Expecting ',' delimiter");
        i++;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (t[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (t[i] === ']') {
          let k = i - 1;
          while (k >= 0 && ' \t\n\r'.includes(t[k]!)) k--;
          throw new Fail(k, 'Illegal trailing comma before end of array');
        }
        value();
        ws();
        if (t[i] === ']') {
          i++;
          return;
        }
        if (t[i] !== ',') throw new Fail(i, "Expecting ',' delimiter");
        i++;
      }
    }
    if (c === '"') return str();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null|NaN|Infinity|-Infinity)/.exec(t.slice(i));
    if (!m) throw new Fail(i, 'Expecting value');
    i += m[0].length;
  };
  try {
    value();
    ws();
    if (i < t.length) return { pos: i, msg: 'Extra data' };
    return undefined;
  } catch (e) {
    if (e instanceof Fail) return { pos: e.pos, msg: e.msg };
    throw e;
  }
}

export function parseJsonValue(text: string, optName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`Error parsing parameter '${optName}': Invalid JSON: ${jsonError(text, e)}\nJSON received: ${text}`);
  }
}

/** Convert JSON-decoded values to what the API takes (timestamps to ms, blobs to bytes). */
function normalizeJson(value: unknown, shape: Shape, opts: ParseOptions, optName: string): unknown {
  if (value === null || value === undefined) return value;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const m = (shape.members as Record<string, Shape>)[k];
        out[k] = m ? normalizeJson(v, m, opts, optName) : v;
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((v) => normalizeJson(v, shape.member as Shape, opts, optName)) : value;
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = normalizeJson(v, shape.value as Shape, opts, optName);
      return out;
    }
    case 'timestamp':
      return typeof value === 'string' || typeof value === 'number' ? parseTimestamp(value) ?? value : value;
    case 'blob':
      if (typeof value === 'string') return opts.rawBlobs ? te.encode(value) : decodeBase64(value);
      return value;
    default:
      return value;
  }
}

/** ISO 8601 text or epoch seconds -> ms since the epoch; undefined when neither. */
export function parseTimestamp(v: string | number): number | undefined {
  if (typeof v === 'number') return v * 1000;
  const t = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Math.round(parseFloat(t) * 1000);
  if (/^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?([Zz]|[+-]\d{2}:?\d{2})?$/.test(t)) {
    let iso = t.replace(' ', 'T');
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += 'T00:00:00Z';
    else if (!/([Zz]|[+-]\d{2}:?\d{2})$/.test(iso)) iso += 'Z';
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function unpackScalar(shape: Shape, value: string, opts: ParseOptions, optName: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
      return toNumber(value, true);
    case 'float':
    case 'double':
      return toNumber(value, false);
    case 'boolean':
      return value.toLowerCase() === 'false' ? false : Boolean(value);
    case 'timestamp':
      return parseTimestamp(value) ?? value;
    case 'blob':
      if (shape.streaming) {
        const path = resolvePath(value, opts.files.cwd);
        if (!opts.files.sandbox.vfs.isFile(path)) throw new CliError(`Error parsing parameter '${optName}': Blob values must be a path to a file.`);
        return opts.files.sandbox.vfs.readBytes(path);
      }
      return opts.rawBlobs ? te.encode(value) : decodeBase64(value);
    default:
      return value;
  }
}

/** One option's words -> its API value. `words` is a list for list-typed options. */
export function unpackOption(shape: Shape, optName: string, raw: string | string[], opts: ParseOptions): unknown {
  // paramfiles: any top-level value may be file:// or fileb://
  let words: (string | Uint8Array)[] = (Array.isArray(raw) ? raw : [raw]).map((w) => paramfile(opts.files, w, optName) ?? w);
  if (shape.type === 'blob' && !shape.streaming && words[0] instanceof Uint8Array) return words[0];
  words = words.map((w) => (w instanceof Uint8Array ? td.decode(w) : w));
  const strs = words as string[];
  const first = strs[0] ?? '';
  if (!Array.isArray(raw)) return unpackOne(shape, optName, first, opts);
  // list-typed option
  if (strs.length === 1 && first.trim().startsWith('[')) return normalizeJson(parseJsonValue(first, optName), shape, opts, optName);
  if (isComplex(shape)) {
    if (first.trim().startsWith('{')) {
      return strs.map((w) => normalizeJson(parseJsonValue(w, optName), shape.type === 'list' ? (shape.member as Shape) : shape, opts, optName));
    }
    const member = shape.type === 'list' ? (shape.member as Shape) : shape;
    try {
      const parsed = strs.map((w) => parseShorthandFor(member, w, opts, optName));
      return coerceShorthand(parsed, shape);
    } catch (e) {
      if (e instanceof ShorthandParseError) throw new CliError(`Error parsing parameter '${optName}': ${e.message}`);
      throw e;
    }
  }
  return strs.map((w) => unpackOne(shape.type === 'list' ? (shape.member as Shape) : shape, optName, w, opts));
}

function parseShorthandFor(member: Shape, text: string, opts: ParseOptions, optName: string): unknown {
  // list of one-member structures takes bare words: --x a b  -> [{Name: a}, {Name: b}] handled by coercion
  if (member.type === 'structure' && Object.keys(member.members).length === 1 && !text.includes('=')) return text;
  if (member.type === 'structure' && !text.includes('=') && 'Value' in member.members && Object.keys(member.members).length === 1) return { Value: text };
  return parseShorthand(text, { paramfile: (v) => shorthandParamfile(opts, v, optName) });
}

function shorthandParamfile(opts: ParseOptions, v: string, optName: string): string | undefined {
  const r = paramfile(opts.files, v, optName);
  if (r === undefined) return undefined;
  return r instanceof Uint8Array ? td.decode(r) : r;
}

function unpackOne(shape: Shape, optName: string, value: string, opts: ParseOptions): unknown {
  if (shape.type === 'structure' || shape.type === 'map') {
    const t = value.trimStart();
    if (t.startsWith('{') || t.startsWith('[')) {
      if (!t.startsWith('{')) throw new CliError(`Error parsing parameter '${optName}': Invalid JSON:\n${value}`);
      return normalizeJson(parseJsonValue(value, optName), shape, opts, optName);
    }
    if (shape.type === 'structure' && Object.keys(shape.members).length === 1 && 'Value' in shape.members && !value.includes('=')) {
      return { Value: value };
    }
    try {
      const parsed = parseShorthand(value, { paramfile: (v) => shorthandParamfile(opts, v, optName) });
      return coerceShorthand(parsed, shape);
    } catch (e) {
      if (e instanceof ShorthandParseError) throw new CliError(`Error parsing parameter '${optName}': ${e.message}`);
      throw e;
    }
  }
  if (shape.type === 'list') return unpackOption(shape, optName, [value], opts);
  return unpackScalar(shape, value, opts, optName);
}

/** Merge `--cli-input-json` under the explicit parameters. */
export function loadCliInput(text: string, optName: string, yaml: boolean, input: StructureShape, opts: ParseOptions): Record<string, unknown> {
  const loaded = paramfile(opts.files, text, optName);
  const body = loaded === undefined ? text : loaded instanceof Uint8Array ? td.decode(loaded) : loaded;
  let data: unknown;
  if (yaml) data = parseYamlInput(body, optName);
  else {
    try {
      data = JSON.parse(body);
    } catch {
      throw new CliError(`Error parsing parameter '${optName}': Invalid JSON received.`);
    }
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new CliError(`Error parsing parameter '${optName}': Invalid JSON received.`);
  }
  return normalizeJson(data, input, opts, optName) as Record<string, unknown>;
}

function parseYamlInput(text: string, optName: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    throw new CliError(`Error parsing parameter '${optName}': Invalid YAML received.`);
  }
}

// ---------------------------------------------------------------- validation (botocore's ParamValidator)

function pyTypeOf(v: unknown): string {
  if (typeof v === 'string') return "<class 'str'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  if (v === null) return "<class 'NoneType'>";
  if (Array.isArray(v)) return "<class 'list'>";
  if (v instanceof Uint8Array) return "<class 'bytes'>";
  return "<class 'dict'>";
}

/** Python's repr-ish rendering of a value inside validation messages. */
export function pyRepr(v: unknown, top = true): string {
  if (typeof v === 'string') return top ? v : pyStr(v);
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return '[' + v.map((x) => pyRepr(x, false)).join(', ') + ']';
  if (v instanceof Uint8Array) return "b'" + td.decode(v) + "'";
  return '{' + Object.entries(v as object).map(([k, x]) => `${pyStr(k)}: ${pyRepr(x, false)}`).join(', ') + '}';
}

const VALID_TYPES: Record<string, string> = {
  string: "<class 'str'>",
  integer: "<class 'int'>",
  long: "<class 'int'>",
  float: "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
  double: "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
  boolean: "<class 'bool'>",
  list: "<class 'list'>, <class 'tuple'>",
  map: "<class 'dict'>",
  structure: "<class 'dict'>",
  blob: "<class 'bytes'>, <class 'bytearray'>, file-like object",
  timestamp: "<class 'datetime.datetime'>, timestamp-string",
};

export function validateParams(params: Record<string, unknown>, input: StructureShape): string[] {
  const errors: string[] = [];
  validate(params, input, 'input', errors);
  return errors;
}

function typeError(v: unknown, shape: Shape, name: string, errors: string[]): void {
  errors.push(`Invalid type for parameter ${name}, value: ${pyRepr(v)}, type: ${pyTypeOf(v)}, valid types: ${VALID_TYPES[shape.type]}`);
}

function validate(v: unknown, shape: Shape, name: string, errors: string[]): void {
  switch (shape.type) {
    case 'structure': {
      if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) return typeError(v, shape, name, errors);
      const obj = v as Record<string, unknown>;
      for (const r of shape.required as readonly string[]) {
        if (obj[r] === undefined) errors.push(`Missing required parameter in ${name}: "${r}"`);
      }
      const members = shape.members as Record<string, Shape>;
      for (const [k, val] of Object.entries(obj)) {
        const m = members[k];
        if (!m) {
          errors.push(`Unknown parameter in ${name}: "${k}", must be one of: ${Object.keys(members).join(', ')}`);
          continue;
        }
        if (val === undefined) continue;
        validate(val, m, name === 'input' ? k : `${name}.${k}`, errors);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(v)) return typeError(v, shape, name, errors);
      if (shape.min !== undefined && v.length < shape.min) errors.push(`Invalid length for parameter ${name}, value: ${v.length}, valid min length: ${shape.min}`);
      v.forEach((x, i) => validate(x, shape.member as Shape, `${name}[${i}]`, errors));
      return;
    }
    case 'map': {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return typeError(v, shape, name, errors);
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        validate(k, shape.key, name, errors);
        validate(x, shape.value as Shape, `${name}.${k}`, errors);
      }
      return;
    }
    case 'string':
      if (typeof v !== 'string') return typeError(v, shape, name, errors);
      if (shape.min !== undefined && v.length < shape.min) errors.push(`Invalid length for parameter ${name}, value: ${v.length}, valid min length: ${shape.min}`);
      return;
    case 'integer':
    case 'long':
      if (typeof v !== 'number' || !Number.isInteger(v)) return typeError(v, shape, name, errors);
      if (shape.min !== undefined && v < shape.min) errors.push(`Invalid value for parameter ${name}, value: ${v}, valid min value: ${shape.min}`);
      return;
    case 'float':
    case 'double':
      if (typeof v !== 'number') return typeError(v, shape, name, errors);
      if (shape.min !== undefined && v < shape.min) errors.push(`Invalid value for parameter ${name}, value: ${v}, valid min value: ${shape.min}`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') return typeError(v, shape, name, errors);
      return;
    case 'timestamp':
      if (typeof v !== 'number') return typeError(v, shape, name, errors);
      return;
    case 'blob':
      if (!(v instanceof Uint8Array) && typeof v !== 'string') return typeError(v, shape, name, errors);
      return;
  }
}

// ---------------------------------------------------------------- skeleton

/** A JSON skeleton of a shape with the CLI's placeholder values. */
export function skeleton(shape: Shape, stack: Shape[] = []): unknown {
  switch (shape.type) {
    case 'structure': {
      if (stack.includes(shape)) return {};
      const out: Record<string, unknown> = {};
      for (const [k, m] of Object.entries(shape.members as Record<string, Shape>)) out[k] = skeleton(m, [...stack, shape]);
      return out;
    }
    case 'list':
      return [skeleton(shape.member as Shape, stack)];
    case 'map':
      return { KeyName: skeleton(shape.value as Shape, stack) };
    case 'string':
      return shape.enum && shape.enum.length ? shape.enum[0] : '';
    case 'integer':
    case 'long':
      return 0;
    case 'float':
    case 'double':
      return 0.0;
    case 'boolean':
      return true;
    case 'timestamp':
      return '1970-01-01T00:00:00';
    case 'blob':
      return null;
  }
}
