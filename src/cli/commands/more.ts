/**
 * More text tools people pipe AWS CLI output through: cut, tr, xargs, seq,
 * basename, dirname, base64, md5sum and a small awk ('{print $2}', -F, NR, /re/).
 */
import type { CommandContext } from '../types';
import { md5Hex, toBase64, fromBase64, utf8 } from '../../engine/store/blobs';
import { shellOf, ioOf, Stdin } from '../shell/interpreter';
import { getCommand } from './registry';
import { builtin, parseOpts, usageFail, readInputs, splitLines, abs, UsageError, stdinBytesOf } from './util';

/** Parse a cut LIST (1,3-5,7-) into a membership test. */
function cutList(spec: string): (n: number) => boolean {
  const ranges: [number, number][] = [];
  for (const part of spec.split(',')) {
    const m = /^([0-9]*)(-?)([0-9]*)$/.exec(part);
    if (!m || (!m[1] && !m[3]) || m[1] === '0' || m[3] === '0') throw new UsageError(`cut: invalid field value '${part}'`);
    const a = m[1] ? Number(m[1]) : 1;
    const b = m[2] ? (m[3] ? Number(m[3]) : Infinity) : a;
    if (b < a) throw new UsageError('cut: invalid decreasing range');
    ranges.push([a, b]);
  }
  return (n) => ranges.some(([a, b]) => n >= a && n <= b);
}

builtin({
  name: 'cut',
  summary: 'print selected fields or characters of each line',
  usage: `Usage: cut -f LIST [-d DELIM] [-s] [FILE]...
   or: cut -c LIST [FILE]...
Print the selected parts of each line. LIST is like 1,3 or 2-4 or 3-.

  -d D    use D instead of TAB as the field delimiter
  -f LIST select these fields
  -c LIST select these characters
  -s      skip lines without the delimiter
  --output-delimiter=S  join the selected fields with S
`,
  run(ctx, argv) {
    let o;
    let pick: (n: number) => boolean;
    try {
      o = parseOpts('cut', argv, {
        flags: 's',
        values: 'dfcbO',
        long: { 'delimiter=': 'd', 'fields=': 'f', 'characters=': 'c', 'bytes=': 'b', 'only-delimited': 's', 'output-delimiter=': 'O' },
      });
      const list = o.values.get('f') ?? o.values.get('c') ?? o.values.get('b');
      if (list === undefined) throw new UsageError('cut: you must specify a list of bytes, characters, or fields');
      pick = cutList(list);
    } catch (e) {
      return usageFail(ctx, 'cut', e);
    }
    const delim = o.values.get('d') ?? '\t';
    if (delim.length !== 1) {
      ctx.err("cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n");
      return 1;
    }
    const outDelim = o.values.get('O') ?? delim;
    const { inputs, failed } = readInputs(ctx, 'cut', o.args);
    const out: string[] = [];
    for (const inp of inputs) {
      for (const raw of splitLines(inp.text)) {
        const line = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
        if (o.values.has('f')) {
          if (!line.includes(delim)) {
            if (!o.flags.has('s')) out.push(line + '\n');
            continue;
          }
          out.push(line.split(delim).filter((_, i) => pick(i + 1)).join(outDelim) + '\n');
        } else out.push([...line].filter((_, i) => pick(i + 1)).join('') + '\n');
      }
    }
    ctx.out(out.join(''));
    return failed ? 1 : 0;
  },
});

/** Expand a tr SET: ranges a-z, escapes, [:classes:]. */
function trSet(spec: string): string[] {
  const classes: Record<string, string> = {
    lower: 'abcdefghijklmnopqrstuvwxyz',
    upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    digit: '0123456789',
    space: ' \t\n\r\f\v',
    blank: ' \t',
    alpha: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
    alnum: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  };
  const chars: string[] = [];
  let i = 0;
  const one = (): string => {
    const c = spec[i]!;
    if (c === '\\' && i + 1 < spec.length) {
      const n = spec[i + 1]!;
      i += 2;
      return { n: '\n', t: '\t', r: '\r', '\\': '\\' }[n] ?? n;
    }
    i++;
    return c;
  };
  while (i < spec.length) {
    const m = /^\[:([a-z]+):\]/.exec(spec.slice(i));
    if (m && classes[m[1]!] !== undefined) {
      chars.push(...classes[m[1]!]!);
      i += m[0].length;
      continue;
    }
    const a = one();
    if (spec[i] === '-' && i + 1 < spec.length) {
      i++;
      const b = one();
      for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) chars.push(String.fromCharCode(c));
    } else chars.push(a);
  }
  return chars;
}

builtin({
  name: 'tr',
  summary: 'translate or delete characters',
  usage: `Usage: tr [-d] [-s] SET1 [SET2]
Copy standard input to standard output, replacing characters of SET1 by those of SET2.

  -d      delete the characters in SET1
  -c      use the complement of SET1 (-cd: keep only SET1's characters)
  -s      squeeze repeats of the (last set's) characters into one
  SETs accept ranges (a-z), escapes (\\n) and classes ([:upper:], [:lower:], [:space:] ...)
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('tr', argv, { flags: 'dscC', long: { delete: 'd', 'squeeze-repeats': 's' } });
      if (!o.args.length) throw new UsageError('tr: missing operand');
      if (!o.flags.has('d') && !o.flags.has('s') && o.args.length < 2) throw new UsageError(`tr: missing operand after '${o.args[0]}'`);
    } catch (e) {
      return usageFail(ctx, 'tr', e);
    }
    const set1 = trSet(o.args[0]!);
    const set2 = o.args[1] !== undefined ? trSet(o.args[1]) : [];
    const complement = o.flags.has('c') || o.flags.has('C');
    const inSet1 = new Set(set1);
    /** Whether c belongs to SET1 as given (its complement with -c). */
    const inS1 = (c: string) => inSet1.has(c) !== complement;
    const text = ctx.stdin;
    const out: string[] = [];
    const map = new Map<string, string>();
    if (!o.flags.has('d') && set2.length && !complement) set1.forEach((c, i) => map.set(c, set2[Math.min(i, set2.length - 1)]!));
    // with -c, every character outside SET1 becomes the last character of SET2
    const compTo = complement && !o.flags.has('d') && set2.length ? set2[set2.length - 1]! : undefined;
    const del = o.flags.has('d');
    // -s squeezes the last set given: SET2 when translating (or with -d), else SET1
    const sq2 = set2.length > 0;
    const squeezeSet = new Set(sq2 ? set2 : []);
    const squeezes = (r: string) => (sq2 ? squeezeSet.has(r) : inS1(r));
    const squeeze = o.flags.has('s');
    let last = '';
    for (const c of text) {
      if (del && inS1(c)) continue;
      const r = compTo !== undefined && inS1(c) ? compTo : (map.get(c) ?? c);
      if (squeeze && r === last && squeezes(r)) continue;
      out.push(r);
      last = r;
    }
    ctx.out(out.join(''));
    return 0;
  },
});

builtin({
  name: 'xargs',
  summary: 'run a command with arguments read from standard input',
  usage: `Usage: xargs [-n N] [-I STR] [COMMAND [ARG]...]
Read blank-separated words (or lines with -I) from standard input and run
COMMAND with them as extra arguments (echo by default).

  -n N    use at most N words per command
  -I STR  run COMMAND once per input line, replacing STR in the arguments
  -L N    use N input lines per command
  -r      do not run COMMAND when the input is empty
  -0      words are separated by NUL characters
`,
  run(ctx, argv) {
    const sh = shellOf(ctx);
    if (!sh) return 1;
    let n = Infinity;
    let replace: string | undefined;
    let nul = false;
    let noRunIfEmpty = false;
    let linesPer = 0;
    let i = 0;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-L') linesPer = Number(argv[++i]);
      else if (/^-L[0-9]+$/.test(a)) linesPer = Number(a.slice(2));
      else if (a === '-r' || a === '--no-run-if-empty') noRunIfEmpty = true;
      else if (a === '-P') i++;
      else if (a === '-n') n = Number(argv[++i]);
      else if (/^-n[0-9]+$/.test(a)) n = Number(a.slice(2));
      else if (a === '-I') replace = argv[++i];
      else if (a.startsWith('-I') && a.length > 2) replace = a.slice(2);
      else if (a === '-0') nul = true;
      else if (a === '-t' || /^-P[0-9]+$/.test(a)) continue;
      else if (a === '--') {
        i++;
        break;
      } else if (a.startsWith('-') && a.length > 1) {
        ctx.err(`xargs: invalid option -- '${a.slice(1)}'\n`);
        return 1;
      } else break;
    }
    if (!(n >= 1)) {
      ctx.err('xargs: value for -n option should be >= 1\n');
      return 1;
    }
    const cmd = argv.slice(i);
    if (!cmd.length) cmd.push('echo');
    const input = ctx.stdin;
    const io = ioOf(ctx);
    io.stdin = new Stdin('');
    if (!getCommand(cmd[0]!) && !sh.functions.has(cmd[0]!)) {
      ctx.err(`xargs: ${cmd[0]}: No such file or directory\n`);
      return 127;
    }
    const runOne = (args: string[]): number => sh.exec(args, ctx.env, io, io.effects);
    let status = 0;
    const fail = (code: number) => {
      if (code === 255) status = 124;
      else if (code === 127 || code === 126) status = code;
      else if (code !== 0 && status === 0) status = 123;
    };
    if (replace !== undefined) {
      for (const line of input.split('\n')) {
        if (!line.trim()) continue;
        fail(runOne(cmd.map((a) => a.split(replace!).join(line))));
      }
      return status;
    }
    if (linesPer > 0) {
      // -L N: N non-blank input lines per command
      const lines = input.split('\n').filter((l) => l.trim());
      if (!lines.length && !noRunIfEmpty) fail(runOne(cmd));
      for (let k = 0; k < lines.length; k += linesPer) {
        const ws = lines.slice(k, k + linesPer).flatMap((l) => (l.match(/(?:[^\s"'\\]|\\.|"[^"]*"|'[^']*')+/g) ?? []).map(unquoteXargs));
        fail(runOne([...cmd, ...ws]));
      }
      return status;
    }
    const words = nul ? input.split('\0').filter(Boolean) : (input.match(/(?:[^\s"'\\]|\\.|"[^"]*"|'[^']*')+/g) ?? []).map(unquoteXargs);
    // GNU xargs runs the command once even without input, unless -r
    if (!words.length) {
      if (!noRunIfEmpty) fail(runOne(cmd));
      return status;
    }
    for (let k = 0; k < words.length; k += n === Infinity ? words.length : n) fail(runOne([...cmd, ...words.slice(k, k + (n === Infinity ? words.length : n))]));
    return status;
  },
});

function unquoteXargs(w: string): string {
  return w.replace(/\\(.)|"([^"]*)"|'([^']*)'/g, (_m, esc: string | undefined, dq: string | undefined, sq: string | undefined) => esc ?? dq ?? sq ?? '');
}

builtin({
  name: 'seq',
  summary: 'print a sequence of numbers',
  usage: `Usage: seq [-s SEP] [-w] [FIRST [STEP]] LAST
Print the numbers from FIRST (1) to LAST, counting by STEP (1).
`,
  run(ctx, argv) {
    let sep = '\n';
    let width = false;
    const nums: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-s') sep = argv[++i] ?? '\n';
      else if (a.startsWith('-s') && a.length > 2) sep = a.slice(2);
      else if (a === '-w') width = true;
      else nums.push(a);
    }
    if (!nums.length || nums.length > 3) {
      ctx.err(`seq: ${nums.length ? `extra operand '${nums[3]}'` : 'missing operand'}\nTry 'seq --help' for more information.\n`);
      return 1;
    }
    for (const x of nums) {
      if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(x)) {
        ctx.err(`seq: invalid floating point argument: '${x}'\nTry 'seq --help' for more information.\n`);
        return 1;
      }
    }
    const [first, step, last] = nums.length === 1 ? [1, 1, Number(nums[0])] : nums.length === 2 ? [Number(nums[0]), 1, Number(nums[1])] : [Number(nums[0]), Number(nums[1]), Number(nums[2])];
    if (step === 0) {
      ctx.err(`seq: invalid Zero increment value: '${nums[1]}'\n`);
      return 1;
    }
    const decimals = Math.max(...nums.map((x) => (x.includes('.') && !/[eE]/.test(x) ? x.split('.')[1]!.length : 0)));
    const list: string[] = [];
    let capped = false;
    for (let k = 0; ; k++) {
      const v = first + k * step;
      if (step > 0 ? v > last + 1e-9 : v < last - 1e-9) break;
      if (list.length >= SEQ_LIMIT) {
        capped = true;
        break;
      }
      list.push(v.toFixed(decimals));
    }
    if (width) {
      const w = Math.max(...list.map((x) => x.length));
      for (let k = 0; k < list.length; k++) list[k] = list[k]!.startsWith('-') ? '-' + list[k]!.slice(1).padStart(w - 1, '0') : list[k]!.padStart(w, '0');
    }
    if (list.length) ctx.out(list.join(sep) + '\n');
    if (capped) {
      ctx.err(`seq: stopped after ${SEQ_LIMIT} numbers (the sandbox's limit)\n`);
      return 1;
    }
    return 0;
  },
});

/** seq prints at most this many numbers (a sandbox limit; real seq has none). */
export const SEQ_LIMIT = 2_000_000;

builtin({
  name: 'basename',
  summary: 'strip the folder (and a suffix) from a path',
  usage: 'Usage: basename NAME [SUFFIX]\nPrint NAME without its leading folders (and without SUFFIX).\n',
  run(ctx, argv) {
    if (!argv.length) {
      ctx.err("basename: missing operand\nTry 'basename --help' for more information.\n");
      return 1;
    }
    const p = argv[0]!.replace(/\/+$/, '');
    let b = p === '' ? (argv[0]!.startsWith('/') ? '/' : '') : p.slice(p.lastIndexOf('/') + 1);
    const suffix = argv[1];
    if (suffix && b.endsWith(suffix) && b !== suffix) b = b.slice(0, -suffix.length);
    ctx.out(b + '\n');
    return 0;
  },
});

builtin({
  name: 'dirname',
  summary: 'strip the last part of a path',
  usage: 'Usage: dirname NAME\nPrint NAME without its last part (. when there is no folder).\n',
  run(ctx, argv) {
    if (!argv.length) {
      ctx.err("dirname: missing operand\nTry 'dirname --help' for more information.\n");
      return 1;
    }
    for (const a of argv) {
      const p = a.replace(/\/+$/, '');
      const i = p.lastIndexOf('/');
      ctx.out((i < 0 ? (a.startsWith('/') ? '/' : '.') : i === 0 ? '/' : p.slice(0, i).replace(/\/+$/, '') || '/') + '\n');
    }
    return 0;
  },
});

function inputBytes(ctx: CommandContext, cmd: string, file: string | undefined): Uint8Array | null {
  if (file === undefined || file === '-') return stdinBytesOf(ctx);
  const path = abs(ctx, file);
  const node = ctx.sandbox.vfs.stat(path);
  if (!node) {
    ctx.err(`${cmd}: ${file}: No such file or directory\n`);
    return null;
  }
  if (node.type === 'dir') {
    ctx.err(`${cmd}: ${file}: Is a directory\n`);
    return null;
  }
  return ctx.sandbox.vfs.readBytes(path);
}

builtin({
  name: 'base64',
  summary: 'encode or decode base64',
  usage: `Usage: base64 [-d] [-w COLS] [FILE]
Base64-encode FILE (or standard input), wrapping lines at 76 characters; -d decodes.
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('base64', argv, { flags: 'di', values: 'w', long: { decode: 'd', 'ignore-garbage': 'i', 'wrap=': 'w' } });
    } catch (e) {
      return usageFail(ctx, 'base64', e);
    }
    const bytes = inputBytes(ctx, 'base64', o.args[0]);
    if (!bytes) return 1;
    if (o.flags.has('d')) {
      const text = utf8.decode(bytes).replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) {
        ctx.err('base64: invalid input\n');
        return 1;
      }
      ctx.out(fromBase64(text));
      return 0;
    }
    const enc = toBase64(bytes);
    const w = o.values.has('w') ? Number(o.values.get('w')) : 76;
    if (!enc) return 0;
    ctx.out((w > 0 ? (enc.match(new RegExp(`.{1,${w}}`, 'g')) ?? []).join('\n') : enc) + '\n');
    return 0;
  },
});

builtin({
  name: 'md5sum',
  summary: 'print MD5 checksums (compare with S3 ETags)',
  usage: 'Usage: md5sum [FILE]...\nPrint the MD5 checksum of each FILE (or standard input).\n',
  run(ctx, argv) {
    let status = 0;
    for (const f of argv.length ? argv : ['-']) {
      const bytes = inputBytes(ctx, 'md5sum', f);
      if (!bytes) {
        status = 1;
        continue;
      }
      ctx.out(`${md5Hex(bytes)}  ${f}\n`);
    }
    return status;
  },
});

// ---- a small awk ------------------------------------------------------------

type AwkExpr = { k: 'field'; n: number | 'NF' } | { k: 'str'; v: string } | { k: 'var'; name: 'NR' | 'NF' | 'FILENAME' } | { k: 'uvar'; name: string };
/** `NAME += EXPR`, `NAME = EXPR`, `NAME++` (user variables, numbers or text). */
interface AwkAssign {
  set: string;
  op: '=' | '+=' | '-=' | '++' | '--';
  expr: AwkExpr[];
}
interface AwkRule {
  pattern?: (fields: string[], nr: number, line: string) => boolean;
  begin?: boolean;
  end?: boolean;
  print?: (AwkExpr[] | AwkAssign)[];
  printAll: boolean;
}

class AwkUnsupported extends Error {}

function parseAwkExpr(src: string): AwkExpr[] {
  // a concatenation of $N, $NF, "str", NR, NF
  const out: AwkExpr[] = [];
  let rest = src.trim();
  while (rest) {
    let m: RegExpExecArray | null;
    if ((m = /^\$(\d+)/.exec(rest))) out.push({ k: 'field', n: Number(m[1]) });
    else if ((m = /^\$NF/.exec(rest))) out.push({ k: 'field', n: 'NF' });
    else if ((m = /^\$\((NF-(\d+))\)/.exec(rest))) out.push({ k: 'field', n: -Number(m[2]) });
    else if ((m = /^"((?:[^"\\]|\\.)*)"/.exec(rest))) out.push({ k: 'str', v: m[1]!.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\(.)/g, '$1') });
    else if ((m = /^(NR|NF|FILENAME)\b/.exec(rest))) out.push({ k: 'var', name: m[1] as 'NR' | 'NF' | 'FILENAME' });
    else if ((m = /^-?[0-9]+(?:\.[0-9]+)?/.exec(rest))) out.push({ k: 'str', v: String(Number(m[0])) });
    else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)) && !AWK_KEYWORDS.has(m[0])) out.push({ k: 'uvar', name: m[0] });
    else throw new AwkUnsupported(rest);
    rest = rest.slice(m[0].length).trimStart();
  }
  return out;
}

const AWK_KEYWORDS = new Set(['print', 'printf', 'if', 'else', 'while', 'for', 'in', 'BEGIN', 'END', 'function', 'next', 'exit', 'getline', 'delete']);

function parseAwk(program: string): AwkRule[] {
  const rules: AwkRule[] = [];
  let rest = program.trim();
  while (rest) {
    let pattern: AwkRule['pattern'];
    let begin = false;
    let end = false;
    let m: RegExpExecArray | null;
    if ((m = /^BEGIN\s*/.exec(rest))) begin = true;
    else if ((m = /^END\s*/.exec(rest))) end = true;
    else if ((m = /^\/((?:[^/\\]|\\.)*)\/\s*/.exec(rest))) {
      const re = new RegExp(m[1]!);
      pattern = (_f, _nr, line) => re.test(line);
    } else if ((m = /^NR\s*(==|!=|>=|<=|>|<)\s*(\d+)\s*/.exec(rest))) {
      const op = m[1]!;
      const n = Number(m[2]);
      pattern = (_f, nr) => cmpNum(nr, op, n);
    } else if ((m = /^\$(\d+|NF)\s*(==|!=|>=|<=|>|<)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*/.exec(rest))) {
      // numeric comparison of a field: $3 > 100
      const idx = m[1] === 'NF' ? -1 : Number(m[1]);
      const op = m[2]!;
      const n = Number(m[3]);
      pattern = (f, _nr, line) => {
        const v = idx === 0 ? line : idx < 0 ? (f[f.length - 1] ?? '') : (f[idx - 1] ?? '');
        return cmpNum(Number.parseFloat(v) || 0, op, n);
      };
    } else if ((m = /^\$(\d+)\s*(==|!=|~|!~)\s*("((?:[^"\\]|\\.)*)"|\/((?:[^/\\]|\\.)*)\/)\s*/.exec(rest))) {
      const idx = Number(m[1]);
      const op = m[2]!;
      const str = m[4];
      const re = m[5] !== undefined ? new RegExp(m[5]) : undefined;
      pattern = (f) => {
        const v = idx === 0 ? f.join(' ') : (f[idx - 1] ?? '');
        if (op === '==') return v === (str ?? '');
        if (op === '!=') return v !== (str ?? '');
        const hit = (re ?? new RegExp(str ?? '')).test(v);
        return op === '~' ? hit : !hit;
      };
    } else m = /^/.exec(rest)!;
    rest = rest.slice(m[0].length);
    if (!rest.startsWith('{')) {
      if (pattern && (!rest || rest.startsWith(';'))) {
        rules.push({ pattern, printAll: true });
        rest = rest.replace(/^;\s*/, '');
        continue;
      }
      throw new AwkUnsupported(rest);
    }
    const close = rest.indexOf('}');
    if (close < 0) throw new AwkUnsupported(rest);
    const body = rest.slice(1, close).trim();
    rest = rest.slice(close + 1).trim().replace(/^;\s*/, '');
    const prints: (AwkExpr[] | AwkAssign)[] = [];
    let printAll = false;
    for (const stmt of body.split(';').map((x) => x.trim()).filter(Boolean)) {
      const am = /^([A-Za-z_][A-Za-z0-9_]*)\s*(\+=|-=|=(?!=))\s*(.+)$/.exec(stmt) ?? /^([A-Za-z_][A-Za-z0-9_]*)\s*(\+\+|--)$/.exec(stmt);
      if (am && !AWK_KEYWORDS.has(am[1]!) && !['NR', 'NF', 'FILENAME'].includes(am[1]!)) {
        prints.push({ set: am[1]!, op: am[2] as AwkAssign['op'], expr: am[3] ? parseAwkExpr(am[3]) : [] });
        continue;
      }
      const pm = /^print(?:\s+(.*))?$/.exec(stmt);
      if (!pm) throw new AwkUnsupported(stmt);
      if (!pm[1]) {
        printAll = true;
        prints.push([{ k: 'field', n: 0 }]);
      } else {
        const exprs = pm[1].split(/\s*,\s*/);
        prints.push(exprs.flatMap((e, i): AwkExpr[] => (i ? [{ k: 'str', v: '\u0000OFS' }, ...parseAwkExpr(e)] : parseAwkExpr(e))));
      }
    }
    rules.push({ ...(pattern ? { pattern } : {}), begin, end, print: prints, printAll });
  }
  return rules;
}

function cmpNum(a: number, op: string, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    default:
      return a <= b;
  }
}

builtin({
  name: 'awk',
  summary: "print fields of each line (simple programs like '{print $2}')",
  usage: `Usage: awk [-F SEP] 'PROGRAM' [FILE]...
A small awk: PROGRAM is one or more rules [PATTERN] { print EXPR, ... } where
PATTERN is /regex/, NR==N (also > <), $N == "text", $N > NUMBER, $N ~ /re/, BEGIN or END,
EXPR is $N, $NF, $(NF-1), NR, NF, a variable, a number or "text", and a rule may also
set variables: { s += $3 } END { print s }. Example: aws s3 ls | awk '{print $3}'
`,
  run(ctx, argv) {
    let sep: string | undefined;
    let i = 0;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-F') sep = argv[++i];
      else if (a.startsWith('-F')) sep = a.slice(2);
      else break;
    }
    const program = argv[i];
    if (program === undefined) {
      ctx.err("usage: awk [-F fs] 'prog' [file ...]\n");
      return 2;
    }
    let rules: AwkRule[];
    try {
      rules = parseAwk(program);
    } catch (e) {
      if (!(e instanceof AwkUnsupported)) throw e;
      ctx.err(`awk: this sandbox's awk supports only simple programs such as '{print $2}' or '/re/ {print $1, $NF}' (near: ${e.message})\n`);
      return 2;
    }
    const { inputs, failed } = readInputs(ctx, 'awk', argv.slice(i + 1));
    const fsRe = sep === undefined || sep === ' ' ? null : sep.length === 1 ? sep : new RegExp(sep);
    const outParts: string[] = [];
    let nr = 0;
    let file = '';
    const vars = new Map<string, string | number>();
    // awk prints integers as such and other numbers with %.6g
    const numText = (x: number) => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6))));
    const emit = (rule: AwkRule, fields: string[], line: string) => {
      const text = (p: AwkExpr[]) =>
        p
          .map((e) => {
            if (e.k === 'str') return e.v === '\u0000OFS' ? ' ' : e.v;
            if (e.k === 'var') return e.name === 'NR' ? String(nr) : e.name === 'NF' ? String(fields.length) : file;
            if (e.k === 'uvar') {
              const v = vars.get(e.name) ?? '';
              return typeof v === 'number' ? numText(v) : v;
            }
            const n = e.n === 'NF' ? fields.length : e.n < 0 ? fields.length + e.n : e.n;
            return n === 0 ? line : (fields[n - 1] ?? '');
          })
          .join('');
      for (const p of rule.print ?? []) {
        if (!Array.isArray(p)) {
          const cur = Number.parseFloat(String(vars.get(p.set) ?? 0)) || 0;
          const rhs = text(p.expr);
          const num = Number.parseFloat(rhs) || 0;
          if (p.op === '=') vars.set(p.set, /^\s*-?[0-9]+(\.[0-9]+)?\s*$/.test(rhs) ? num : rhs);
          else vars.set(p.set, p.op === '+=' ? cur + num : p.op === '-=' ? cur - num : p.op === '++' ? cur + 1 : cur - 1);
          continue;
        }
        outParts.push(text(p) + '\n');
      }
    };
    for (const r of rules) if (r.begin) emit(r, [], '');
    for (const inp of inputs) {
      file = inp.name === '-' ? '' : inp.name;
      for (const raw of splitLines(inp.text)) {
        const line = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
        nr++;
        const fields = fsRe === null ? line.trim().split(/\s+/).filter(Boolean) : line.split(fsRe);
        for (const r of rules) {
          if (r.begin || r.end) continue;
          if (r.pattern && !r.pattern(fields, nr, line)) continue;
          if (r.printAll && !r.print) outParts.push(line + '\n');
          else emit(r, fields, line);
        }
      }
    }
    for (const r of rules) if (r.end) emit(r, [], '');
    ctx.out(outParts.join(''));
    return failed ? 2 : 0;
  },
});
