/**
 * The shell's grammar, a small subset of POSIX sh:
 *
 *   script   := list
 *   list     := and_or ((';' | '&' | newline) and_or)*
 *   and_or   := pipeline (('&&' | '||') newline* pipeline)*
 *   pipeline := '!'? command ('|' newline* command)*
 *   command  := '(' list ')' redirect*  |  compound redirect*  |  NAME '(' ')' compound
 *             | (assignment | word | redirect)+
 *   compound := '{' list '}' | if | for | while | until
 *   if       := 'if' list 'then' list ('elif' list 'then' list)* ('else' list)? 'fi'
 *   for      := 'for' NAME ('in' word*)? (';' | newline) 'do' list 'done'
 *   while    := ('while' | 'until') list 'do' list 'done'
 *   case     := 'case' word 'in' ('('? word ('|' word)* ')' list? ';;')* 'esac'
 *
 * `&` (background) runs the command in the foreground: the simulated cloud is synchronous.
 */
import { tokenize, isRedirOp, lexArith, ShellSyntaxError, type LexPart, type OpName, type Token, type VarOp, type WordToken } from './tokenizer';

export type Part =
  | { k: 'lit'; v: string; q: boolean }
  | { k: 'var'; name: string; q: boolean; op?: VarOp; arg?: Part[]; arg2?: Part[] }
  | { k: 'sub'; script: Script; q: boolean; src: string }
  | { k: 'arith'; expr: Part[]; q: boolean; src: string };

export type Word = Part[];

export type RedirOp = '>' | '>>' | '<' | '<<' | '<<<' | '>&' | '<&' | '&>' | '&>>' | '<>';

export interface Redirect {
  /** The file descriptor redirected (0, 1, 2); for `&>` it is 1 (and 2 follows). */
  fd: number;
  op: RedirOp;
  target: Word;
  /** For `<<`: the body (already split into parts; quoted delimiter = no expansion). */
  body?: Word;
}

export interface Assignment {
  name: string;
  value: Word;
}

export interface SimpleCommand {
  type: 'simple';
  assigns: Assignment[];
  words: Word[];
  redirs: Redirect[];
}

export interface Subshell {
  type: 'subshell';
  body: Script;
  redirs: Redirect[];
}

export interface Group {
  type: 'group';
  body: Script;
  redirs: Redirect[];
}

export interface IfCommand {
  type: 'if';
  clauses: { cond: Script; body: Script }[];
  otherwise?: Script;
  redirs: Redirect[];
}

export interface ForCommand {
  type: 'for';
  name: string;
  /** undefined: `for x; do` iterates over the positional parameters. */
  words?: Word[];
  body: Script;
  redirs: Redirect[];
}

export interface WhileCommand {
  type: 'while';
  until: boolean;
  cond: Script;
  body: Script;
  redirs: Redirect[];
}

export interface FunctionDef {
  type: 'function';
  name: string;
  body: Command;
  redirs: Redirect[];
}

export interface CaseCommand {
  type: 'case';
  word: Word;
  items: { patterns: Word[]; body: Script }[];
  redirs: Redirect[];
}

/** `(( expr ))`: status 0 when the value is not zero. */
export interface ArithCommand {
  type: 'arith';
  expr: Word;
  redirs: Redirect[];
}

/** `for (( init; cond; step )); do ...; done` */
export interface ArithFor {
  type: 'cfor';
  init: Word;
  cond: Word;
  step: Word;
  body: Script;
  redirs: Redirect[];
}

export type Command = SimpleCommand | Subshell | Group | IfCommand | ForCommand | WhileCommand | FunctionDef | CaseCommand | ArithCommand | ArithFor;

export interface Pipeline {
  negate: boolean;
  cmds: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export interface Script {
  items: AndOr[];
}

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/** Parse a whole script (one terminal line or many). Throws ShellSyntaxError. */
export function parse(src: string): Script {
  try {
    return parseTokens(tokenize(src));
  } catch (e) {
    // thousands of nested ( { $( ... : a syntax error, not a crash
    if (e instanceof RangeError) throw new ShellSyntaxError('syntax error: nesting too deep');
    throw e;
  }
}

export function parseTokens(tokens: Token[]): Script {
  const p = new Parser(tokens);
  const script = p.list(false, NO_TERMS);
  if (p.pos < tokens.length) p.unexpected(tokens[p.pos]!);
  return script;
}

const NO_TERMS = new Set<string>();
/** Reserved words that close a compound command; a syntax error anywhere else in command position. */
const CLOSERS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', '}', 'esac']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The text of an unquoted one-part literal word (a reserved word candidate). */
function keyword(t: Token | undefined): string | undefined {
  if (!t || t.t !== 'word' || t.parts.length !== 1) return undefined;
  const p = t.parts[0]!;
  return p.k === 'lit' && !p.q ? p.v : undefined;
}

function opText(op: OpName): string {
  return op === '\n' ? 'newline' : op;
}

class Parser {
  pos = 0;
  /** Inside a case item: its list ends at ';;'. */
  private caseDepth = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token | undefined {
    return this.toks[this.pos];
  }
  private isOp(t: Token | undefined, ...ops: OpName[]): t is Token & { t: 'op' } {
    return !!t && t.t === 'op' && ops.includes(t.op);
  }
  unexpected(t: Token | undefined): never {
    if (!t) throw new ShellSyntaxError('syntax error: unexpected end of file', true);
    if (t.t === 'op') throw new ShellSyntaxError(`syntax error near unexpected token '${opText(t.op)}'`);
    throw new ShellSyntaxError(`syntax error near unexpected token '${wordText(t)}'`);
  }
  private skipNewlines(): void {
    while (this.isOp(this.peek(), '\n')) this.pos++;
  }

  /** A list; inside parentheses it ends at ')', inside a compound command at one of `terms`. */
  list(inParens: boolean, terms: Set<string>): Script {
    const items: AndOr[] = [];
    this.skipNewlines();
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (inParens && this.isOp(t, ')')) break;
      if (this.caseDepth > 0 && this.isOp(t, ';;')) break;
      const kw = keyword(t);
      if (kw !== undefined && terms.has(kw)) break;
      items.push(this.andOr());
      const sep = this.peek();
      if (!sep) break;
      if (this.isOp(sep, ';', '&', '\n')) {
        this.pos++;
        this.skipNewlines();
        continue;
      }
      if (inParens && this.isOp(sep, ')')) break;
      if (this.caseDepth > 0 && this.isOp(sep, ';;')) break;
      this.unexpected(sep);
    }
    return { items };
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, '&&', '||')) break;
      this.pos++;
      this.skipNewlines();
      rest.push({ op: t.op as '&&' | '||', pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    let negate = false;
    const t = this.peek();
    if (t && t.t === 'word' && t.parts.length === 1 && t.parts[0]!.k === 'lit' && !t.parts[0]!.q && t.parts[0]!.v === '!') {
      negate = true;
      this.pos++;
    }
    const cmds: Command[] = [this.command()];
    while (this.isOp(this.peek(), '|')) {
      this.pos++;
      this.skipNewlines();
      cmds.push(this.command());
    }
    return { negate, cmds };
  }

  /** Consume the reserved word `kw` or fail. */
  private expect(kw: string): void {
    const t = this.peek();
    if (keyword(t) !== kw) this.unexpected(t);
    this.pos++;
  }

  /** A compound list that must not be empty, ended by one of `terms`. */
  private body(terms: string[]): Script {
    const set = new Set(terms);
    const s = this.list(false, set);
    const end = this.peek();
    if (!s.items.length || keyword(end) === undefined || !set.has(keyword(end)!)) this.unexpected(end);
    return s;
  }

  private trailingRedirs(): Redirect[] {
    const redirs: Redirect[] = [];
    while (this.isRedirStart(this.peek())) redirs.push(this.redirect());
    return redirs;
  }

  private compound(kw: string): Command | undefined {
    switch (kw) {
      case '{': {
        this.pos++;
        const body = this.body(['}']);
        this.pos++;
        return { type: 'group', body, redirs: this.trailingRedirs() };
      }
      case 'if': {
        this.pos++;
        const clauses: IfCommand['clauses'] = [];
        let otherwise: Script | undefined;
        const cond = this.body(['then']);
        this.pos++;
        clauses.push({ cond, body: this.body(['elif', 'else', 'fi']) });
        for (;;) {
          const k = keyword(this.peek());
          this.pos++;
          if (k === 'elif') {
            const c = this.body(['then']);
            this.pos++;
            clauses.push({ cond: c, body: this.body(['elif', 'else', 'fi']) });
          } else if (k === 'else') {
            otherwise = this.body(['fi']);
            this.pos++;
            break;
          } else break;
        }
        const cmd: IfCommand = { type: 'if', clauses, redirs: this.trailingRedirs() };
        if (otherwise) cmd.otherwise = otherwise;
        return cmd;
      }
      case 'for': {
        this.pos++;
        const arith = this.peek();
        if (arith && arith.t === 'op' && arith.op === '((') {
          this.pos++;
          const sections = splitTopLevel(arith.text ?? '', ';');
          if (sections.length !== 3) throw new ShellSyntaxError(`syntax error: arithmetic expression required in for ((${arith.text ?? ''}))`);
          if (this.isOp(this.peek(), ';')) this.pos++;
          this.skipNewlines();
          this.expect('do');
          const body = this.body(['done']);
          this.pos++;
          const [init, cond, step] = sections.map((x) => convertParts(lexArith(x))) as [Word, Word, Word];
          return { type: 'cfor', init, cond, step, body, redirs: this.trailingRedirs() };
        }
        const nameTok = this.peek();
        const name = keyword(nameTok);
        if (name === undefined || !NAME.test(name)) this.unexpected(nameTok);
        this.pos++;
        this.skipNewlines();
        let words: Word[] | undefined;
        if (keyword(this.peek()) === 'in') {
          this.pos++;
          words = [];
          for (;;) {
            const w = this.peek();
            if (!w) this.unexpected(w);
            if (w.t === 'op') {
              if (w.op === ';' || w.op === '\n') {
                this.pos++;
                break;
              }
              this.unexpected(w);
            }
            words.push(convertParts(w.parts));
            this.pos++;
          }
        } else if (this.isOp(this.peek(), ';')) this.pos++;
        this.skipNewlines();
        this.expect('do');
        const body = this.body(['done']);
        this.pos++;
        const cmd: ForCommand = { type: 'for', name: name!, body, redirs: this.trailingRedirs() };
        if (words) cmd.words = words;
        return cmd;
      }
      case 'while':
      case 'until': {
        this.pos++;
        const cond = this.body(['do']);
        this.pos++;
        const body = this.body(['done']);
        this.pos++;
        return { type: 'while', until: kw === 'until', cond, body, redirs: this.trailingRedirs() };
      }
      case 'case': {
        this.pos++;
        const w = this.peek();
        if (!w || w.t !== 'word') this.unexpected(w);
        this.pos++;
        const word = convertParts(w.parts);
        this.skipNewlines();
        this.expect('in');
        this.skipNewlines();
        const items: CaseCommand['items'] = [];
        while (keyword(this.peek()) !== 'esac') {
          if (this.isOp(this.peek(), '(')) this.pos++;
          const patterns: Word[] = [];
          for (;;) {
            const p = this.peek();
            if (!p || p.t !== 'word') this.unexpected(p);
            patterns.push(convertParts(p.parts));
            this.pos++;
            if (this.isOp(this.peek(), '|')) {
              this.pos++;
              continue;
            }
            break;
          }
          if (!this.isOp(this.peek(), ')')) this.unexpected(this.peek());
          this.pos++;
          this.caseDepth++;
          let body: Script;
          try {
            body = this.list(false, new Set(['esac']));
          } finally {
            this.caseDepth--;
          }
          items.push({ patterns, body });
          if (this.isOp(this.peek(), ';;')) {
            this.pos++;
            this.skipNewlines();
          } else if (keyword(this.peek()) !== 'esac') this.unexpected(this.peek());
        }
        this.pos++;
        return { type: 'case', word, items, redirs: this.trailingRedirs() };
      }
      case 'function': {
        this.pos++;
        const nameTok = this.peek();
        const name = keyword(nameTok);
        if (name === undefined) this.unexpected(nameTok);
        this.pos++;
        if (this.isOp(this.peek(), '(')) {
          this.pos++;
          if (!this.isOp(this.peek(), ')')) this.unexpected(this.peek());
          this.pos++;
        }
        return this.functionBody(name!);
      }
    }
    return undefined;
  }

  private functionBody(name: string): FunctionDef {
    this.skipNewlines();
    const kw = keyword(this.peek());
    const body = kw !== undefined ? this.compound(kw) : this.isOp(this.peek(), '(') ? this.command() : undefined;
    if (!body) this.unexpected(this.peek());
    return { type: 'function', name, body, redirs: [] };
  }

  private command(): Command {
    const t = this.peek();
    const kw = keyword(t);
    if (kw !== undefined) {
      if (CLOSERS.has(kw)) this.unexpected(t);
      const c = this.compound(kw);
      if (c) return c;
      // NAME() { ... }
      const n1 = this.toks[this.pos + 1];
      const n2 = this.toks[this.pos + 2];
      if (NAME.test(kw) && this.isOp(n1, '(') && this.isOp(n2, ')')) {
        this.pos += 3;
        return this.functionBody(kw);
      }
    }
    if (this.isOp(t, '((')) {
      this.pos++;
      return { type: 'arith', expr: convertParts(lexArith((t as { text?: string }).text ?? '')), redirs: this.trailingRedirs() };
    }
    if (this.isOp(t, '(')) {
      this.pos++;
      const body = this.list(true, NO_TERMS);
      if (!this.isOp(this.peek(), ')')) this.unexpected(this.peek());
      if (!body.items.length) this.unexpected(this.peek());
      this.pos++;
      const redirs: Redirect[] = [];
      while (this.isRedirStart(this.peek())) redirs.push(this.redirect());
      return { type: 'subshell', body, redirs };
    }
    const cmd: SimpleCommand = { type: 'simple', assigns: [], words: [], redirs: [] };
    for (;;) {
      const n = this.peek();
      if (!n) break;
      if (n.t === 'op') {
        if (isRedirOp(n.op)) {
          cmd.redirs.push(this.redirect());
          continue;
        }
        break;
      }
      this.pos++;
      if (!cmd.words.length) {
        const a = asAssignment(n);
        if (a) {
          cmd.assigns.push(a);
          continue;
        }
      }
      cmd.words.push(convertParts(n.parts));
    }
    if (!cmd.words.length && !cmd.assigns.length && !cmd.redirs.length) this.unexpected(this.peek());
    if (cmd.words.length && this.isOp(this.peek(), '(')) this.unexpected(this.peek());
    return cmd;
  }

  private isRedirStart(t: Token | undefined): boolean {
    return !!t && t.t === 'op' && isRedirOp(t.op);
  }

  private redirect(): Redirect {
    const t = this.toks[this.pos++] as Token & { t: 'op' };
    const target = this.peek();
    if (!target) throw new ShellSyntaxError("syntax error near unexpected token 'newline'");
    if (target.t !== 'word') this.unexpected(target);
    this.pos++;
    let op = t.op as RedirOp | '<<-' | '>|';
    if (op === '>|') op = '>';
    if (op === '<<-') op = '<<';
    const fd = t.fd ?? (op === '<' || op === '<<' || op === '<<<' || op === '<&' || op === '<>' ? 0 : 1);
    const r: Redirect = { fd, op, target: convertParts(target.parts) };
    if (op === '<<') r.body = convertParts(target.heredoc?.parts ?? []);
    return r;
  }
}

/** Split on `sep` outside parentheses. */
function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function wordText(t: WordToken): string {
  return t.parts.map((p) => (p.k === 'lit' ? p.v : p.k === 'var' ? '$' + p.name : p.k === 'sub' ? '$(' + p.src + ')' : '$((' + p.src + '))')).join('');
}

function asAssignment(t: WordToken): Assignment | undefined {
  const first = t.parts[0];
  if (!first || first.k !== 'lit' || first.q) return undefined;
  const m = ASSIGN.exec(first.v);
  if (!m) return undefined;
  const rest = first.v.slice(m[0].length);
  const parts: LexPart[] = rest ? [{ k: 'lit', v: rest, q: false }, ...t.parts.slice(1)] : t.parts.slice(1);
  return { name: m[1]!, value: convertParts(parts) };
}

export function convertParts(parts: LexPart[]): Word {
  const out: Word = [];
  for (const p of parts) {
    if (p.k === 'lit') out.push(p);
    else if (p.k === 'var') {
      const v: Part = { k: 'var', name: p.name, q: p.q };
      if (p.op) v.op = p.op;
      if (p.arg) v.arg = convertParts(p.arg);
      if (p.arg2) v.arg2 = convertParts(p.arg2);
      out.push(v);
    } else if (p.k === 'sub') out.push({ k: 'sub', script: parseTokens(p.tokens), q: p.q, src: p.src });
    else out.push({ k: 'arith', expr: convertParts(p.expr), q: p.q, src: p.src });
  }
  return out;
}
