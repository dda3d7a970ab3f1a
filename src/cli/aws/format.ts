/**
 * The AWS CLI's output formats: json (4-space indent, keys as returned,
 * non-ASCII kept), text (awscli's tab-separated format), table (awscli's
 * boxed table) and yaml. Each takes the final data (after pagination and
 * --query) and returns the text to print.
 */
import { Document, isScalar, visit } from 'yaml';
import type { OutputFormat } from './custom';

export function formatOutput(data: unknown, format: OutputFormat | 'off', title: string, width = 80): string {
  switch (format) {
    case 'json':
      return formatJson(data);
    case 'text':
      return formatText(data);
    case 'table':
      return formatTable(data, title, width);
    case 'yaml':
      return isEmptyObject(data) ? '' : formatYaml(data);
    case 'yaml-stream':
      return formatYaml([data]);
    case 'off':
      return '';
  }
}

function isEmptyObject(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  for (const _ in v as object) return false;
  return true;
}

/** JSON as the CLI prints it; an empty object prints nothing. */
export function formatJson(data: unknown): string {
  if (isEmptyObject(data)) return '';
  return JSON.stringify(data === undefined ? null : data, jsonReplacer, 4) + '\n';
}

function jsonReplacer(_k: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return base64(v);
  return v;
}

export function base64(bytes: Uint8Array): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += A[a >> 2]! + A[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : A[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : A[c & 63]!;
  }
  return out;
}

/** Python's str() of a scalar as the text and table formats print it. */
export function pyScalar(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') {
    if (Number.isInteger(v) || !Number.isFinite(v)) return Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan';
    return String(v);
  }
  if (v instanceof Uint8Array) return base64(v);
  return String(v);
}

const isContainer = (v: unknown): boolean => v !== null && typeof v === 'object' && !(v instanceof Uint8Array);
const sortKeys = (keys: string[]): string[] => keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

// ---------------------------------------------------------------- text

export function formatText(data: unknown): string {
  const out: string[] = [];
  textItem(data, out, undefined, undefined);
  return out.join('');
}

function textItem(item: unknown, out: string[], identifier: string | undefined, scalarKeys: string[] | undefined): void {
  if (Array.isArray(item)) textList(item, out, identifier);
  else if (isContainer(item)) textDict(item as Record<string, unknown>, out, identifier, scalarKeys);
  else out.push(pyScalar(item) + '\n');
}

function textList(item: unknown[], out: string[], identifier: string | undefined): void {
  if (!item.length) return;
  if (item.some((el) => isContainer(el) && !Array.isArray(el))) {
    const keys = new Set<string>();
    for (const el of item) {
      if (isContainer(el) && !Array.isArray(el)) for (const [k, v] of Object.entries(el as object)) if (!isContainer(v)) keys.add(k);
    }
    const all = sortKeys([...keys]);
    for (const el of item) textItem(el, out, identifier, all);
  } else if (item.some((el) => Array.isArray(el))) {
    const scalars = item.filter((el) => !isContainer(el));
    if (scalars.length) textScalarList(scalars, out, identifier);
    for (const el of item) if (isContainer(el)) textItem(el, out, identifier, undefined);
  } else textScalarList(item, out, identifier);
}

function textScalarList(els: unknown[], out: string[], identifier: string | undefined): void {
  if (identifier !== undefined) for (const el of els) out.push(`${identifier.toUpperCase()}\t${pyScalar(el)}\n`);
  else out.push(els.map(pyScalar).join('\t') + '\n');
}

function textDict(item: Record<string, unknown>, out: string[], identifier: string | undefined, scalarKeys: string[] | undefined): void {
  const scalars: string[] = [];
  const nonScalars: [string, unknown][] = [];
  if (!scalarKeys) {
    for (const k of sortKeys(Object.keys(item))) {
      const v = item[k];
      if (isContainer(v)) nonScalars.push([k, v]);
      else scalars.push(pyScalar(v));
    }
  } else {
    for (const k of scalarKeys) scalars.push(k in item ? pyScalar(item[k]) : '');
    const set = new Set(scalarKeys);
    for (const k of sortKeys(Object.keys(item).filter((k) => !set.has(k)))) nonScalars.push([k, item[k]]);
  }
  if (scalars.length) {
    if (identifier !== undefined) scalars.unshift(identifier.toUpperCase());
    out.push(scalars.join('\t') + '\n');
  }
  for (const [k, v] of nonScalars) textItem(v, out, k, undefined);
}

// ---------------------------------------------------------------- table

/** Display width: East Asian wide, full-width and ambiguous characters count 2 (as awscli). */
export function textWidth(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c >= 0x1100 && isWide(c) ? 2 : 1;
  }
  return n;
}
function isWide(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1faff) ||
    (c >= 0x20000 && c <= 0x3fffd)
  );
}

/** Python's round(): halves go to the even neighbour. */
function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (Math.abs(d - 0.5) < 1e-12) return f % 2 === 0 ? f : f + 1;
  return Math.round(x);
}

class Section {
  title = '';
  headers: string[] = [];
  rows: string[][] = [];
  indent = 0;
  private cols: number | undefined;
  private maxWidths: number[] = [];

  widths(padding = 0, maxWidth?: number): number[] {
    const unscaled = this.maxWidths.map((w) => w + padding);
    if (maxWidth === undefined || !unscaled.length) return unscaled;
    const total = unscaled.reduce((a, b) => a + b, 0);
    const scale = maxWidth / total;
    const scaled = unscaled.map((w) => pyRound(scale * w));
    let off = scaled.reduce((a, b) => a + b, 0) - maxWidth;
    while (off !== 0) {
      const order = scaled.map((_, i) => i);
      if (off < 0) order.reverse();
      for (const i of order) {
        if (off > 0) {
          scaled[i]!--;
          off--;
        } else {
          scaled[i]!++;
          off++;
        }
        if (off === 0) break;
      }
    }
    return scaled;
  }
  totalWidth(padding: number, withBorder: boolean, outer: number): number {
    let total = 0;
    for (const w of this.widths()) total += w + padding;
    if (withBorder) total += 2;
    total += outer * 2;
    return Math.max(textWidth(this.title) + 2 + outer * 2, total);
  }
  addHeader(h: string[]): void {
    this.update(h);
    if (this.cols === undefined) this.cols = h.length;
    this.headers = h;
  }
  addRow(row: unknown[]): void {
    if (this.cols === undefined) this.cols = row.length;
    const r = row.map(pyScalar);
    this.rows.push(r);
    this.update(r);
  }
  private update(row: string[]): void {
    if (!this.maxWidths.length) this.maxWidths = row.map(textWidth);
    else row.forEach((el, i) => (this.maxWidths[i] = Math.max(textWidth(el), this.maxWidths[i] ?? 0)));
  }
}

function centerText(text: string, length: number, left: string, right: string): string {
  const tl = textWidth(text);
  const start = Math.floor(length / 2) - Math.floor(tl / 2) - 1;
  const soFar = textWidth(left) + start + tl;
  return left + ' '.repeat(Math.max(0, start)) + text + ' '.repeat(Math.max(0, length - textWidth(right) - soFar)) + right;
}

function alignLeft(text: string, length: number, left: string, right: string): string {
  const tl = textWidth(text);
  const padding = length - (tl + 2 + left.length + right.length) >= 0 ? 2 : 0;
  const soFar = left.length + padding + tl;
  return left + ' '.repeat(padding) + text + ' '.repeat(Math.max(0, length - soFar - right.length)) + right;
}

class MultiTable {
  sections: Section[] = [];
  current!: Section;
  newSection(title: string, indent: number): void {
    this.current = new Section();
    this.current.title = title;
    this.current.indent = indent;
    this.sections.push(this.current);
  }
  render(termWidth: number): string {
    let max = this.maxWidth();
    if (max > termWidth) {
      // too wide: single-row sections become key/value pairs
      this.sections = this.sections.map((s) => {
        if (s.rows.length !== 1 || !s.headers.length) return s;
        const n = new Section();
        n.title = s.title;
        n.indent = s.indent;
        s.headers.forEach((h, i) => n.addRow([h, s.rows[0]![i]]));
        return n;
      });
      max = this.maxWidth();
    }
    const out: string[] = ['-'.repeat(max) + '\n'];
    for (const s of this.sections) this.renderSection(s, max, out);
    return out.join('');
  }
  private maxWidth(): number {
    return Math.max(...this.sections.map((s) => s.totalWidth(4, true, s.indent)));
  }
  private renderSection(s: Section, maxWidth: number, out: string[]): void {
    const bar = '|'.repeat(s.indent);
    const write = (line: string) => out.push(bar + line + bar + '\n');
    const width = maxWidth - s.indent * 2;
    if (s.title) {
      write(centerText(s.title, width, '|', '|'));
      if (!s.headers.length && !s.rows.length) write('+' + '-'.repeat(width - 2) + '+');
    }
    const lineBreak = (widths: number[]) => write(widths.map((w, i) => (i === 0 ? '+' + '-'.repeat(w - 2) + '+' : '-'.repeat(w - 1) + '+')).join(''));
    if (s.headers.length) {
      const widths = s.widths(4, width);
      let cur = '';
      s.headers.forEach((h, i) => (cur += centerText(h, widths[i]!, i === 0 ? '|' : '', '|')));
      lineBreak(widths);
      write(cur);
    }
    if (s.rows.length) {
      const widths = s.widths(4, width);
      if (!widths.length) return;
      lineBreak(widths);
      for (const row of s.rows) {
        let cur = '';
        row.forEach((el, i) => {
          if (i < widths.length) cur += alignLeft(el, widths[i]!, i === 0 ? '|' : '', '|');
        });
        write(cur);
      }
      lineBreak(widths);
    }
  }
}

function isTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && !(v instanceof Uint8Array)) return Object.keys(v as object).length > 0;
  return true;
}

export function formatTable(data: unknown, title: string, width = 80): string {
  const t = new MultiTable();
  if (!buildTable(t, title, data, 0)) return '';
  return t.render(width);
}

function groupScalarKeys(obj: Record<string, unknown>): [string[], string[]] {
  const headers: string[] = [];
  const more: string[] = [];
  for (const k of Object.keys(obj)) (isContainer(obj[k]) ? more : headers).push(k);
  return [sortKeys(headers), sortKeys(more)];
}

function buildTable(t: MultiTable, title: string | null, current: unknown, indent: number): boolean {
  if (!isTruthy(current)) return false;
  if (title !== null) t.newSection(title, indent);
  if (Array.isArray(current)) {
    if (isContainer(current[0]) && !Array.isArray(current[0])) {
      const list = current as Record<string, unknown>[];
      const hs = new Set<string>();
      const ms = new Set<string>();
      for (const el of list) {
        if (!isContainer(el) || Array.isArray(el)) continue;
        const [h, m] = groupScalarKeys(el);
        h.forEach((x) => hs.add(x));
        m.forEach((x) => ms.add(x));
      }
      const headers = sortKeys([...hs]);
      const more = sortKeys([...ms]);
      t.current.addHeader(headers);
      let first = true;
      for (const el of list) {
        if (!first && more.length) {
          t.newSection(title ?? '', indent);
          t.current.addHeader(headers);
        }
        first = false;
        const e = isContainer(el) && !Array.isArray(el) ? el : {};
        t.current.addRow(headers.map((h) => (h in e ? e[h] : '')));
        for (const m of more) if (m in e) buildTable(t, m, e[m], indent + 1);
      }
    } else {
      for (const item of current) {
        if (!isContainer(item)) t.current.addRow([item]);
        else if (Array.isArray(item) && item.every((x) => !isContainer(x))) t.current.addRow(item);
        else buildTable(t, null, item, indent);
      }
    }
  } else if (isContainer(current)) {
    const obj = current as Record<string, unknown>;
    const [headers, more] = groupScalarKeys(obj);
    if (headers.length === 1) t.current.addRow([headers[0], obj[headers[0]!]]);
    else if (headers.length) {
      t.current.addHeader(headers);
      t.current.addRow(headers.map((h) => obj[h]));
    }
    for (const m of more) buildTable(t, m, obj[m], indent + 1);
  }
  return true;
}

// ---------------------------------------------------------------- yaml

const TIMESTAMP_LIKE = /^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)/;

/** YAML as the CLI prints it: block style, keys sorted, lists flush with their key. */
export function formatYaml(data: unknown): string {
  if (data === undefined) data = null;
  const doc = new Document(data, { sortMapEntries: true });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && TIMESTAMP_LIKE.test(node.value)) node.type = 'QUOTE_SINGLE';
      if (node.value instanceof Uint8Array) node.value = base64(node.value);
    },
  });
  const text = doc.toString({ indentSeq: false, singleQuote: true, lineWidth: 80 });
  // a plain (unquoted) top-level scalar is an open-ended document: the emitter closes it with '...'
  if (isScalar(doc.contents) && !/^['"|>]/.test(text)) return text + '...\n';
  return text;
}
