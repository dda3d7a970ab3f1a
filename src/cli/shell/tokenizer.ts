/**
 * The shell's lexer: turns a terminal line (or a whole multi-line script)
 * into words and operators, the way a POSIX shell does. Words keep their
 * structure (literal text, quoted or not; `$NAME` / `${NAME}` / `$?`;
 * `$(...)` and backtick substitutions, lexed recursively) so the interpreter
 * can expand them and split only what bash splits.
 *
 * Positions (`start`, `end`) are offsets in the source, used by completion.
 */

export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    /** True when more input would have completed the line (unclosed quote, trailing `&&`). */
    readonly incomplete = false,
  ) {
    super(message);
  }
}

/** How `${NAME...}` modifies the value. */
export type VarOp =
  | ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?' | '#len'
  // pattern removal, replacement, substring, case
  | '#' | '##' | '%' | '%%' | '/' | '//' | '/#' | '/%' | ':' | '^^' | '^' | ',,' | ',';

export type LexPart =
  /** Literal text. `q` = quoted (no field splitting, no globbing, no tilde). */
  | { k: 'lit'; v: string; q: boolean }
  | { k: 'var'; name: string; q: boolean; op?: VarOp; arg?: LexPart[]; arg2?: LexPart[] }
  | { k: 'sub'; tokens: Token[]; q: boolean; src: string }
  /** `$(( expr ))`: the expression's text, expanded then evaluated. */
  | { k: 'arith'; expr: LexPart[]; q: boolean; src: string };

export interface WordToken {
  t: 'word';
  parts: LexPart[];
  start: number;
  end: number;
  /** Set on a here-document's delimiter word once its body has been read. */
  heredoc?: { parts: LexPart[]; quoted: boolean };
}

export type OpName =
  | '|'
  | '||'
  | '&&'
  | '&'
  | ';'
  | ';;'
  | '\n'
  | '('
  | ')'
  | '>'
  | '>>'
  | '<'
  | '<<'
  | '<<-'
  | '<<<'
  | '>&'
  | '<&'
  | '&>'
  | '&>>'
  | '>|'
  | '<>'
  /** `(( expr ))` in command position (arithmetic command, C-style for). */
  | '((';

export interface OpToken {
  t: 'op';
  op: OpName;
  /** The file descriptor before a redirection (`2>`), when given. */
  fd?: number;
  /** For `((`: the expression text between `((` and `))`. */
  text?: string;
  start: number;
  end: number;
}

export type Token = WordToken | OpToken;

const OPERATORS: OpName[] = ['<<<', '<<-', '&>>', '&&', '||', ';;', '>>', '<<', '>&', '<&', '&>', '>|', '<>', '|', '&', ';', '(', ')', '>', '<'];
const REDIR_OPS = new Set<OpName>(['>', '>>', '<', '<<', '<<-', '<<<', '>&', '<&', '&>', '&>>', '>|', '<>']);

export function isRedirOp(op: OpName): boolean {
  return REDIR_OPS.has(op);
}

const CMD_PREFIX_WORDS = new Set(['do', 'then', 'else', 'elif', 'if', 'while', 'until', '{', '!', 'time', 'for']);

/** Lex the text of an arithmetic expression (`$((…))`, `((…))`) into parts: `$x` expands, the rest is literal. */
export function lexArith(text: string): LexPart[] {
  const parts: LexPart[] = [];
  new Lexer(text, 0, false).readDouble(parts, true);
  return parts;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r';
const isMeta = (c: string) => c === '|' || c === '&' || c === ';' || c === '<' || c === '>' || c === '(' || c === ')';
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

interface PendingHeredoc {
  token: WordToken;
  strip: boolean;
}

/** When set, a trailing backslash or a here-document without its delimiter is incomplete input (for splitting scripts). */
let strictInput = false;

/** Lex like `tokenize`, but treat an unterminated here-document as incomplete input. */
export function tokenizeStrict(src: string): Token[] {
  strictInput = true;
  try {
    return tokenize(src);
  } finally {
    strictInput = false;
  }
}

/** Lex a whole script. Throws ShellSyntaxError. */
export function tokenize(src: string): Token[] {
  const lx = new Lexer(src, 0, false);
  lx.run();
  return lx.tokens;
}

export class Lexer {
  readonly tokens: Token[] = [];
  pos: number;
  private parenDepth = 0;
  private pending: PendingHeredoc[] = [];
  private expectHeredocWord: boolean | null = null;
  /** Whether the next token starts a command (for `((`). */
  private atCmdStart = true;

  constructor(
    readonly src: string,
    start: number,
    /** Inside `$(...)`: stop at the unmatched `)`. */
    readonly inSubst: boolean,
  ) {
    this.pos = start;
  }

  run(): void {
    const src = this.src;
    for (;;) {
      // skip blanks and line continuations
      while (this.pos < src.length) {
        const c = src[this.pos]!;
        if (isSpace(c)) this.pos++;
        else if (c === '\\' && src[this.pos + 1] === '\n') this.pos += 2;
        else break;
      }
      if (this.pos >= src.length) {
        if (this.inSubst) throw new ShellSyntaxError('syntax error: unexpected end of file (unclosed $()', true);
        this.readHeredocBodies();
        return;
      }
      const c = src[this.pos]!;
      if (c === '#') {
        while (this.pos < src.length && src[this.pos] !== '\n') this.pos++;
        continue;
      }
      if (c === '\n') {
        this.tokens.push({ t: 'op', op: '\n', start: this.pos, end: this.pos + 1 });
        this.pos++;
        this.atCmdStart = true;
        this.readHeredocBodies();
        continue;
      }
      if (c === ')' && this.inSubst && this.parenDepth === 0) return; // caller consumes ')'
      if (this.atCmdStart && c === '(' && src[this.pos + 1] === '(') {
        const end = findArithEnd(src, this.pos + 2);
        if (end >= 0) {
          this.tokens.push({ t: 'op', op: '((', start: this.pos, end: end + 2, text: src.slice(this.pos + 2, end) });
          this.pos = end + 2;
          this.atCmdStart = false;
          continue;
        }
      }
      // io number: digits directly followed by < or >
      let fd: number | undefined;
      let p = this.pos;
      while (p < src.length && src[p]! >= '0' && src[p]! <= '9') p++;
      if (p > this.pos && (src[p] === '<' || src[p] === '>')) {
        fd = Number(src.slice(this.pos, p));
        this.pos = p;
      }
      const op = this.matchOp();
      if (op) {
        const start = fd === undefined ? this.pos : this.pos - String(fd).length;
        this.pos += op.length;
        if (op === '(') this.parenDepth++;
        if (op === ')') this.parenDepth--;
        const tok: OpToken = { t: 'op', op, start, end: this.pos };
        if (fd !== undefined) tok.fd = fd;
        this.tokens.push(tok);
        this.atCmdStart = !isRedirOp(op) && op !== ')';
        if (op === '<<' || op === '<<-') this.expectHeredocWord = op === '<<-';
        continue;
      }
      const word = this.readWord();
      this.tokens.push(word);
      // after a reserved word that opens a list, a command starts again (`do ((i++))`)
      const only = word.parts.length === 1 && word.parts[0]!.k === 'lit' && !word.parts[0]!.q ? word.parts[0]!.v : '';
      this.atCmdStart = this.atCmdStart && CMD_PREFIX_WORDS.has(only);
      if (this.expectHeredocWord !== null) {
        this.pending.push({ token: word, strip: this.expectHeredocWord });
        this.expectHeredocWord = null;
      }
    }
  }

  private matchOp(): OpName | undefined {
    const src = this.src;
    const c = src[this.pos]!;
    if (!isMeta(c)) return undefined;
    for (const op of OPERATORS) if (src.startsWith(op, this.pos)) return op;
    return undefined;
  }

  /** Read one word up to an unquoted blank or operator. */
  readWord(): WordToken {
    const start = this.pos;
    const parts: LexPart[] = [];
    const src = this.src;
    let lit = '';
    const flush = () => {
      if (lit) pushLit(parts, lit, false);
      lit = '';
    };
    while (this.pos < src.length) {
      const c = src[this.pos]!;
      if (isSpace(c) || c === '\n' || isMeta(c)) break;
      if (c === "'") {
        flush();
        pushLit(parts, this.readSingle(), true);
      } else if (c === '"') {
        flush();
        this.pos++;
        this.readDouble(parts, false);
      } else if (c === '\\') {
        const n = src[this.pos + 1];
        if (n === '\n') this.pos += 2;
        else if (n === undefined) {
          if (strictInput) throw new ShellSyntaxError('unexpected end of file after a backslash', true);
          lit += '\\';
          this.pos++;
        } else {
          flush();
          pushLit(parts, n, true);
          this.pos += 2;
        }
      } else if (c === '$') {
        if (src[this.pos + 1] === "'") {
          flush();
          pushLit(parts, this.readAnsiC(), true);
        } else {
          flush();
          if (!this.readDollar(parts, false)) {
            // a lone `$` is literal
            lit += '$';
            this.pos++;
          }
        }
      } else if (c === '`') {
        flush();
        parts.push(this.readBacktick(false));
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush();
    return { t: 'word', parts, start, end: this.pos };
  }

  private readSingle(): string {
    const end = this.src.indexOf("'", this.pos + 1);
    if (end < 0) throw new ShellSyntaxError("syntax error: unexpected end of file (unclosed ')", true);
    const v = this.src.slice(this.pos + 1, end);
    this.pos = end + 1;
    return v;
  }

  private readAnsiC(): string {
    const src = this.src;
    let i = this.pos + 2;
    let out = '';
    for (;;) {
      if (i >= src.length) throw new ShellSyntaxError("syntax error: unexpected end of file (unclosed ')", true);
      const c = src[i]!;
      if (c === "'") break;
      if (c === '\\' && i + 1 < src.length) {
        const r = decodeEscape(src, i + 1, true);
        out += r.text;
        i = r.next;
        continue;
      }
      out += c;
      i++;
    }
    this.pos = i + 1;
    return out;
  }

  /**
   * Read the inside of double quotes (pos just after the opening quote), or a
   * here-document body (`heredoc`: no closing quote, `"` is literal).
   */
  readDouble(parts: LexPart[], heredoc: boolean, stop = -1): void {
    const src = this.src;
    const end = stop < 0 ? src.length : stop;
    let lit = '';
    let any = false;
    const flush = () => {
      if (lit) pushLit(parts, lit, true);
      lit = '';
    };
    for (;;) {
      if (this.pos >= end) {
        if (heredoc) break;
        throw new ShellSyntaxError('syntax error: unexpected end of file (unclosed ")', true);
      }
      const c = src[this.pos]!;
      if (c === '"' && !heredoc) {
        this.pos++;
        break;
      }
      any = true;
      if (c === '\\') {
        const n = src[this.pos + 1];
        if (n === '\n') {
          this.pos += 2;
        } else if (n === '$' || n === '`' || n === '\\' || (n === '"' && !heredoc)) {
          lit += n;
          this.pos += 2;
        } else {
          lit += '\\';
          this.pos++;
        }
      } else if (c === '$') {
        flush();
        if (!this.readDollar(parts, true)) {
          lit += '$';
          this.pos++;
        }
      } else if (c === '`') {
        flush();
        parts.push(this.readBacktick(true));
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush();
    // "" is an empty (but present) word
    if (!any && !heredoc) parts.push({ k: 'lit', v: '', q: true });
  }

  /** At a `$`: read an expansion into `parts`. Returns false when the `$` is literal. */
  private readDollar(parts: LexPart[], q: boolean): boolean {
    const src = this.src;
    const n = src[this.pos + 1];
    if (n === undefined) return false;
    if (n === '(') {
      if (src[this.pos + 2] === '(') {
        const end = findArithEnd(src, this.pos + 3);
        if (end >= 0) {
          const text = src.slice(this.pos + 3, end);
          const expr: LexPart[] = [];
          new Lexer(text, 0, false).readDouble(expr, true);
          parts.push({ k: 'arith', expr, q, src: text });
          this.pos = end + 2;
          return true;
        }
      }
      const sub = new Lexer(src, this.pos + 2, true);
      sub.run();
      const text = src.slice(this.pos + 2, sub.pos);
      this.pos = sub.pos + 1; // past ')'
      parts.push({ k: 'sub', tokens: sub.tokens, q, src: text });
      return true;
    }
    if (n === '{') return this.readBrace(parts, q);
    if (NAME_START.test(n)) {
      let i = this.pos + 2;
      while (i < src.length && NAME_CHAR.test(src[i]!)) i++;
      parts.push({ k: 'var', name: src.slice(this.pos + 1, i), q });
      this.pos = i;
      return true;
    }
    if ('?$#!@*-0123456789'.includes(n)) {
      parts.push({ k: 'var', name: n, q });
      this.pos += 2;
      return true;
    }
    return false;
  }

  private readBrace(parts: LexPart[], q: boolean): boolean {
    const src = this.src;
    let i = this.pos + 2;
    let lenOp = false;
    if (src[i] === '#' && src[i + 1] !== '}') {
      lenOp = true;
      i++;
    }
    const nameStart = i;
    if (i < src.length && NAME_START.test(src[i]!)) {
      while (i < src.length && NAME_CHAR.test(src[i]!)) i++;
    } else if (i < src.length && '?$#!@*-0123456789'.includes(src[i]!)) i++;
    const name = src.slice(nameStart, i);
    if (i >= src.length) throw new ShellSyntaxError('syntax error: unexpected end of file (unclosed ${)', true);
    if (!name) throw new ShellSyntaxError(`\${${src.slice(nameStart, src.indexOf('}', i) < 0 ? undefined : src.indexOf('}', i))}}: bad substitution`);
    if (src[i] === '}') {
      this.pos = i + 1;
      parts.push(lenOp ? { k: 'var', name, q, op: '#len' } : { k: 'var', name, q });
      return true;
    }
    let op: VarOp | undefined;
    for (const o of [':-', ':=', ':+', ':?', ':', '-', '=', '+', '?', '##', '#', '%%', '%', '//', '/#', '/%', '/', '^^', '^', ',,', ','] as const) {
      if (src.startsWith(o, i)) {
        op = o;
        break;
      }
    }
    if (!op || lenOp) {
      const close = src.indexOf('}', i);
      throw new ShellSyntaxError(`\${${src.slice(nameStart - (lenOp ? 1 : 0), close < 0 ? undefined : close)}}: bad substitution`);
    }
    this.pos = i + op.length;
    if (op[0] === '/') {
      // ${NAME/pattern/replacement}: the pattern stops at the first unquoted /
      const pat = this.readBraceArg(q, '/');
      const arg2 = this.braceStop === '/' ? this.readBraceArg(q) : [];
      parts.push({ k: 'var', name, q, op, arg: pat, arg2 });
      return true;
    }
    const arg = this.readBraceArg(q);
    parts.push({ k: 'var', name, q, op, arg });
    return true;
  }

  /** What ended the last readBraceArg: '}' or the stop character. */
  private braceStop = '}';

  /** The word after `${NAME:-` up to the matching `}` (or up to `stop`). */
  private readBraceArg(q: boolean, stop?: string): LexPart[] {
    const src = this.src;
    const parts: LexPart[] = [];
    let lit = '';
    const flush = () => {
      if (lit) pushLit(parts, lit, q);
      lit = '';
    };
    for (;;) {
      if (this.pos >= src.length) throw new ShellSyntaxError('syntax error: unexpected end of file (unclosed ${)', true);
      const c = src[this.pos]!;
      if (c === '}' || c === stop) {
        this.braceStop = c;
        this.pos++;
        break;
      }
      if (c === "'" && !q) {
        flush();
        pushLit(parts, this.readSingle(), true);
      } else if (c === '"') {
        flush();
        this.pos++;
        this.readDouble(parts, false);
      } else if (c === '\\' && this.pos + 1 < src.length) {
        flush();
        pushLit(parts, src[this.pos + 1]!, true);
        this.pos += 2;
      } else if (c === '$') {
        flush();
        if (!this.readDollar(parts, q)) {
          lit += '$';
          this.pos++;
        }
      } else if (c === '`') {
        flush();
        parts.push(this.readBacktick(q));
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush();
    return parts;
  }

  private readBacktick(q: boolean): LexPart {
    const src = this.src;
    let i = this.pos + 1;
    let inner = '';
    for (;;) {
      if (i >= src.length) throw new ShellSyntaxError('syntax error: unexpected end of file (unclosed `)', true);
      const c = src[i]!;
      if (c === '`') break;
      if (c === '\\' && (src[i + 1] === '`' || src[i + 1] === '$' || src[i + 1] === '\\')) {
        inner += src[i + 1];
        i += 2;
        continue;
      }
      inner += c;
      i++;
    }
    this.pos = i + 1;
    return { k: 'sub', tokens: tokenize(inner), q, src: inner };
  }

  /** After a newline: read the bodies of the here-documents opened on that line. */
  private readHeredocBodies(): void {
    if (!this.pending.length) return;
    const src = this.src;
    for (const h of this.pending) {
      const delimQuoted = h.token.parts.some((p) => p.q);
      const delim = h.token.parts.map((p) => (p.k === 'lit' ? p.v : p.k === 'var' ? '$' + p.name : p.k === 'sub' ? '$(' + p.src + ')' : '$((' + p.src + '))')).join('');
      const bodyStart = this.pos;
      let bodyEnd = src.length;
      let next = src.length;
      let i = this.pos;
      while (i <= src.length) {
        let nl = src.indexOf('\n', i);
        if (nl < 0) nl = src.length;
        let line = src.slice(i, nl);
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === delim) {
          bodyEnd = i;
          next = Math.min(nl + 1, src.length);
          break;
        }
        if (nl >= src.length) {
          if (strictInput) throw new ShellSyntaxError(`here-document delimited by end-of-file (wanted '${delim}')`, true);
          break;
        }
        i = nl + 1;
      }
      let raw = src.slice(bodyStart, bodyEnd);
      if (h.strip) raw = raw.replace(/^\t+/gm, '');
      let parts: LexPart[];
      if (delimQuoted) parts = raw ? [{ k: 'lit', v: raw, q: true }] : [];
      else {
        const sub = new Lexer(raw, 0, false);
        parts = [];
        sub.readDouble(parts, true);
      }
      h.token.heredoc = { parts, quoted: delimQuoted };
      this.pos = next;
    }
    this.pending = [];
  }
}

/** The index of the `))` closing `$((`, or -1 (then it is `$( (...) )`). */
function findArithEnd(src: string, from: number): number {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return src[i + 1] === ')' ? i : -1;
      depth--;
    } else if (c === "'" || c === '"' || c === '`' || c === '\n') return -1;
  }
  return -1;
}

function pushLit(parts: LexPart[], v: string, q: boolean): void {
  const last = parts[parts.length - 1];
  if (last && last.k === 'lit' && last.q === q) {
    last.v += v;
    return;
  }
  parts.push({ k: 'lit', v, q });
}

/** Decode one backslash escape (for `$'...'` and `echo -e`); `i` is just after the backslash. */
/**
 * `\xHH` / `\0NNN` above 0x7f in echo -e / printf are raw bytes, not characters: they are kept
 * as private-use characters U+F780..U+F7FF until `rawBytesOut` turns the text into bytes.
 */
const RAW_BYTE_BASE = 0xf700;
function byteChar(code: number, ansiC: boolean): string {
  return String.fromCharCode(code >= 0x80 && !ansiC ? RAW_BYTE_BASE + code : code);
}

/** What echo/printf write: the text, or bytes when it holds raw-byte escapes (`printf '\x89PNG'`). */
export function rawBytesOut(text: string): string | Uint8Array {
  if (!/[\uf780-\uf7ff]/.test(text)) return text;
  const enc = new TextEncoder();
  const out: number[] = [];
  let lit = '';
  const flush = () => {
    if (lit) for (const b of enc.encode(lit)) out.push(b);
    lit = '';
  };
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c >= 0xf780 && c <= 0xf7ff) {
      flush();
      out.push(c - RAW_BYTE_BASE);
    } else lit += ch;
  }
  flush();
  return Uint8Array.from(out);
}

export function decodeEscape(s: string, i: number, ansiC: boolean): { text: string; next: number; stop?: boolean } {
  const c = s[i]!;
  switch (c) {
    case 'n':
      return { text: '\n', next: i + 1 };
    case 't':
      return { text: '\t', next: i + 1 };
    case 'r':
      return { text: '\r', next: i + 1 };
    case 'a':
      return { text: '\x07', next: i + 1 };
    case 'b':
      return { text: '\b', next: i + 1 };
    case 'f':
      return { text: '\f', next: i + 1 };
    case 'v':
      return { text: '\v', next: i + 1 };
    case 'e':
    case 'E':
      return { text: '\x1b', next: i + 1 };
    case '\\':
      return { text: '\\', next: i + 1 };
    case "'":
      return { text: ansiC ? "'" : "\\'", next: i + 1 };
    case '"':
      return { text: ansiC ? '"' : '\\"', next: i + 1 };
    case 'c':
      if (!ansiC) return { text: '', next: s.length, stop: true };
      break;
    case 'x': {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1, i + 3));
      if (m) return { text: byteChar(parseInt(m[0], 16), ansiC), next: i + 1 + m[0].length };
      break;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      // echo -e uses \0NNN; $'...' uses \NNN
      const from = !ansiC && c === '0' ? i + 1 : i;
      if (!ansiC && c !== '0') break;
      const m = /^[0-7]{0,3}/.exec(s.slice(from, from + 3))!;
      return { text: byteChar(parseInt(m[0] || '0', 8) & 0xff, ansiC), next: from + m[0].length };
    }
  }
  return { text: '\\' + c, next: i + 1 };
}
