/**
 * The ECS cluster query language: the expressions of `list-container-instances
 * --filter` and of the memberOf placement constraint.
 *
 *   subject operator [argument]
 *   attribute:ecs.instance-type == t3.medium
 *   attribute:ecs.availability-zone in [us-east-1a, us-east-1b]
 *   attribute:stack exists            attribute:gpu !exists
 *   ec2InstanceId =~ i-0abc.*         runningTasksCount < 3
 *   registeredAt >= 2026-01-05        agentVersion >= 1.70.0
 *   task:group == service:web         agentConnected == true
 *   (expr) and/&& or/|| not/! expr
 *
 * Operators: ==/equals, !=/not_equals, >/greater_than, >=/greater_than_equal,
 * </less_than, <=/less_than_equal, exists, !exists/not_exists, in, !in/not_in,
 * =~/matches, !~/not_matches. `matches` takes a (Java-style) regular expression
 * that must match the whole value.
 *
 * parseQuery(text) -> QueryNode (throws QueryError); evaluateQuery(node, target).
 */

export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

export type Operator = '==' | '!=' | '>' | '>=' | '<' | '<=' | 'exists' | '!exists' | 'in' | '!in' | '=~' | '!~';

export type QueryNode =
  | { type: 'and' | 'or'; left: QueryNode; right: QueryNode }
  | { type: 'not'; expr: QueryNode }
  | { type: 'cmp'; subject: string; op: Operator; arg?: string; args?: string[] };

/** What an expression is evaluated against: a container instance's facts. */
export interface QueryTarget {
  attributes: readonly { name: string; value?: string }[];
  ec2InstanceId: string;
  agentConnected: boolean;
  agentVersion?: string;
  /** ms since the epoch */
  registeredAt: number;
  runningTasksCount: number;
  /** Groups of the live tasks on the instance (for task:group). */
  taskGroups: readonly string[];
}

const OPERATORS: Record<string, Operator> = {
  '==': '==',
  equals: '==',
  '!=': '!=',
  not_equals: '!=',
  '>': '>',
  greater_than: '>',
  '>=': '>=',
  greater_than_equal: '>=',
  '<': '<',
  less_than: '<',
  '<=': '<=',
  less_than_equal: '<=',
  exists: 'exists',
  '!exists': '!exists',
  not_exists: '!exists',
  in: 'in',
  '!in': '!in',
  not_in: '!in',
  '=~': '=~',
  matches: '=~',
  '!~': '!~',
  not_matches: '!~',
};

const FIXED_SUBJECTS = ['agentConnected', 'agentVersion', 'ec2InstanceId', 'registeredAt', 'runningTasksCount', 'task:group'];

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): QueryNode {
    this.ws();
    if (this.pos >= this.text.length) throw new QueryError('The expression is empty.');
    const node = this.orExpr();
    this.ws();
    if (this.pos < this.text.length) throw new QueryError(`Unexpected '${this.text.slice(this.pos)}' at position ${this.pos + 1}.`);
    return node;
  }

  private ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  /** Match a keyword (word operators need a boundary after them). */
  private keyword(words: string[]): string | undefined {
    this.ws();
    for (const w of words) {
      if (this.text.startsWith(w, this.pos)) {
        const after = this.text[this.pos + w.length];
        const isWord = /^[a-z_]+$/i.test(w);
        if (isWord && after !== undefined && /[A-Za-z0-9_.:-]/.test(after)) continue;
        this.pos += w.length;
        return w;
      }
    }
    return undefined;
  }

  private orExpr(): QueryNode {
    let left = this.andExpr();
    while (this.keyword(['||', 'or'])) left = { type: 'or', left, right: this.andExpr() };
    return left;
  }

  private andExpr(): QueryNode {
    let left = this.unary();
    while (this.keyword(['&&', 'and'])) left = { type: 'and', left, right: this.unary() };
    return left;
  }

  private unary(): QueryNode {
    this.ws();
    const save = this.pos;
    if (this.keyword(['not'])) {
      return { type: 'not', expr: this.unary() };
    }
    if (this.text[this.pos] === '!' && !/^!(=|~|in\b|exists\b)/.test(this.text.slice(this.pos))) {
      this.pos++;
      return { type: 'not', expr: this.unary() };
    }
    this.pos = save;
    if (this.text[this.pos] === '(') {
      this.pos++;
      const e = this.orExpr();
      this.ws();
      if (this.text[this.pos] !== ')') throw new QueryError(`Missing ')' at position ${this.pos + 1}.`);
      this.pos++;
      return e;
    }
    return this.comparison();
  }

  private word(): string {
    this.ws();
    const start = this.pos;
    while (this.pos < this.text.length && !/[\s()[\],]/.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private comparison(): QueryNode {
    const subject = this.word();
    if (!subject) throw new QueryError(`Expected a subject at position ${this.pos + 1}.`);
    if (!FIXED_SUBJECTS.includes(subject) && !/^attribute:.+/.test(subject)) {
      throw new QueryError(`Unknown subject '${subject}'.`);
    }
    this.ws();
    // operators: symbols first (longest first), then words
    let opText: string | undefined;
    for (const sym of ['!exists', '!in', '==', '!=', '>=', '<=', '=~', '!~', '>', '<']) {
      if (this.text.startsWith(sym, this.pos)) {
        const after = this.text[this.pos + sym.length];
        if ((sym === '!in' || sym === '!exists') && after !== undefined && /[A-Za-z0-9_]/.test(after)) continue;
        opText = sym;
        this.pos += sym.length;
        break;
      }
    }
    if (!opText) opText = this.keyword(['greater_than_equal', 'greater_than', 'less_than_equal', 'less_than', 'not_equals', 'equals', 'not_exists', 'exists', 'not_in', 'in', 'not_matches', 'matches']);
    if (!opText) throw new QueryError(`Expected an operator after '${subject}'.`);
    const op = OPERATORS[opText]!;
    if (op === 'exists' || op === '!exists') return { type: 'cmp', subject, op };
    this.ws();
    if (op === 'in' || op === '!in') {
      if (this.text[this.pos] !== '[') throw new QueryError(`The ${opText} operator expects an argument list [a, b, ...].`);
      this.pos++;
      const args: string[] = [];
      for (;;) {
        this.ws();
        if (this.text[this.pos] === ']') {
          this.pos++;
          break;
        }
        const v = this.literal(true);
        if (v === '') throw new QueryError(`Expected a value in the argument list at position ${this.pos + 1}.`);
        args.push(v);
        this.ws();
        if (this.text[this.pos] === ',') this.pos++;
        else if (this.text[this.pos] === ']') {
          this.pos++;
          break;
        } else throw new QueryError(`Expected ',' or ']' at position ${this.pos + 1}.`);
      }
      return { type: 'cmp', subject, op, args };
    }
    const arg = this.literal(false);
    if (arg === '') throw new QueryError(`The ${opText} operator expects an argument.`);
    if (op === '=~' || op === '!~') {
      try {
        new RegExp(arg);
      } catch {
        throw new QueryError(`'${arg}' is not a valid regular expression.`);
      }
    }
    return { type: 'cmp', subject, op, arg };
  }

  /** A literal: quoted text, or characters up to whitespace (and ',' ']' in lists, unbalanced ')'). */
  private literal(inList: boolean): string {
    this.ws();
    const q = this.text[this.pos];
    if (q === '"' || q === "'") {
      const end = this.text.indexOf(q, this.pos + 1);
      if (end < 0) throw new QueryError('Unterminated quoted value.');
      const v = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
      return v;
    }
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (/\s/.test(c)) break;
      if (inList && (c === ',' || c === ']')) break;
      if (c === '(') depth++;
      if (c === ')') {
        if (depth === 0) break;
        depth--;
      }
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }
}

export function parseQuery(text: string): QueryNode {
  return new Parser(text).parse();
}

/** Parse, returning an error message instead of throwing. */
export function tryParseQuery(text: string): { ok: true; node: QueryNode } | { ok: false; message: string } {
  try {
    return { ok: true, node: parseQuery(text) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.replace(/^v/, '').split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Dates as the docs accept them: 2018-06-18T22:28:28+00:00, ...Z, without zone, or a bare day. */
function parseDate(text: string): number {
  let t = text;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) t += 'T00:00:00Z';
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(t)) t += 'Z';
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new QueryError(`'${text}' is not a valid date.`);
  return ms;
}

function fullMatch(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`).test(value);
}

/** Values of a subject on the target; undefined when the subject does not exist there. */
function subjectValues(subject: string, t: QueryTarget): string[] | undefined {
  if (subject.startsWith('attribute:')) {
    const name = subject.slice('attribute:'.length);
    const a = t.attributes.find((x) => x.name === name);
    return a ? [a.value ?? ''] : undefined;
  }
  switch (subject) {
    case 'agentConnected':
      return [String(t.agentConnected)];
    case 'agentVersion':
      return t.agentVersion === undefined ? undefined : [t.agentVersion];
    case 'ec2InstanceId':
      return [t.ec2InstanceId];
    case 'registeredAt':
      return [String(t.registeredAt)];
    case 'runningTasksCount':
      return [String(t.runningTasksCount)];
    case 'task:group':
      return t.taskGroups.length ? [...t.taskGroups] : undefined;
  }
  return undefined;
}

function ordered(subject: string, value: string, arg: string): number {
  if (subject === 'registeredAt') return Number(value) - parseDate(arg);
  if (subject === 'agentVersion') return compareVersions(value, arg);
  const a = Number(value);
  const b = Number(arg);
  if (value !== '' && arg !== '' && !Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  return value < arg ? -1 : value > arg ? 1 : 0;
}

function equal(subject: string, value: string, arg: string): boolean {
  if (subject === 'registeredAt') return Number(value) === parseDate(arg);
  return value === arg;
}

export function evaluateQuery(node: QueryNode, t: QueryTarget): boolean {
  switch (node.type) {
    case 'and':
      return evaluateQuery(node.left, t) && evaluateQuery(node.right, t);
    case 'or':
      return evaluateQuery(node.left, t) || evaluateQuery(node.right, t);
    case 'not':
      return !evaluateQuery(node.expr, t);
    case 'cmp': {
      const vals = subjectValues(node.subject, t);
      const arg = node.arg ?? '';
      const any = (pred: (v: string) => boolean) => (vals ?? []).some(pred);
      switch (node.op) {
        case 'exists':
          return vals !== undefined;
        case '!exists':
          return vals === undefined;
        case '==':
          return any((v) => equal(node.subject, v, arg));
        case '!=':
          return !any((v) => equal(node.subject, v, arg));
        case 'in':
          return any((v) => (node.args ?? []).some((a) => equal(node.subject, v, a)));
        case '!in':
          return !any((v) => (node.args ?? []).some((a) => equal(node.subject, v, a)));
        case '=~':
          return any((v) => fullMatch(arg, v));
        case '!~':
          return !any((v) => fullMatch(arg, v));
        case '>':
          return any((v) => ordered(node.subject, v, arg) > 0);
        case '>=':
          return any((v) => ordered(node.subject, v, arg) >= 0);
        case '<':
          return any((v) => ordered(node.subject, v, arg) < 0);
        case '<=':
          return any((v) => ordered(node.subject, v, arg) <= 0);
      }
    }
  }
  return false;
}

/** Parse and evaluate in one step (throws QueryError on a bad expression). */
export function matchesQuery(expression: string, t: QueryTarget): boolean {
  return evaluateQuery(parseQuery(expression), t);
}
