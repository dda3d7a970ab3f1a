/** Text builtins for pipes: head, tail, grep, wc, sort, uniq, tee. */
import type { CommandContext } from '../types';
import { POSIX_CLASSES } from '../shell/glob';
import { withoutColor } from './files';
import { builtin, parseOpts, usageFail, readInputs, splitLines, abs, stdinBytesOf, concatBytes, UsageError } from './util';

/** `-5` is `-n 5` for head and tail. */
function numericShortcut(argv: string[]): string[] {
  // `-5` is `-n 5`, but not when it is the value of -n/-c (`head -n -2`)
  return argv.map((a, i) => (/^-[0-9]+$/.test(a) && !/^-[nc]$|^--(lines|bytes)$/.test(argv[i - 1] ?? '') ? '-n' + a.slice(1) : a));
}

function headTail(which: 'head' | 'tail') {
  return (ctx: CommandContext, argv: string[]): number => {
    let o;
    try {
      o = parseOpts(which, numericShortcut(argv), { flags: 'qvf', values: 'nc', long: { 'lines=': 'n', 'bytes=': 'c', quiet: 'q', verbose: 'v' } });
    } catch (e) {
      return usageFail(ctx, which, e);
    }
    const bytes = o.values.has('c');
    const spec = o.values.get(bytes ? 'c' : 'n') ?? '10';
    const m = /^([+-]?)([0-9]+)$/.exec(spec);
    if (!m) {
      ctx.err(`${which}: invalid number of ${bytes ? 'bytes' : 'lines'}: '${spec}'\n`);
      return 1;
    }
    const sign = m[1]!;
    const n = Number(m[2]);
    const { inputs, failed } = readInputs(ctx, which, o.args);
    const headers = (inputs.length > 1 || o.flags.has('v')) && !o.flags.has('q');
    inputs.forEach((inp, i) => {
      if (headers) ctx.out(`${i ? '\n' : ''}==> ${inp.name === '-' ? 'standard input' : inp.name} <==\n`);
      if (bytes) {
        const b = inp.bytes;
        let part: Uint8Array;
        if (which === 'head') part = sign === '-' ? b.subarray(0, Math.max(0, b.length - n)) : b.subarray(0, n);
        else part = sign === '+' ? b.subarray(Math.max(0, n - 1)) : n === 0 ? b.subarray(0, 0) : b.subarray(Math.max(0, b.length - n));
        if (part.length) ctx.out(part);
        return;
      }
      const lines = splitLines(inp.text);
      let pick: string[];
      if (which === 'head') pick = sign === '-' ? lines.slice(0, Math.max(0, lines.length - n)) : lines.slice(0, n);
      else pick = sign === '+' ? lines.slice(Math.max(0, n - 1)) : n === 0 ? [] : lines.slice(-n);
      ctx.out(pick.join(''));
    });
    return failed ? 1 : 0;
  };
}

builtin({
  name: 'head',
  summary: 'print the first lines of files or input',
  usage: `Usage: head [OPTION]... [FILE]...
Print the first 10 lines of each FILE (or of standard input).

  -n N    print the first N lines (-n -N: all but the last N)
  -N      same as -n N
  -c N    print the first N bytes
`,
  run: headTail('head'),
});

builtin({
  name: 'tail',
  summary: 'print the last lines of files or input',
  usage: `Usage: tail [OPTION]... [FILE]...
Print the last 10 lines of each FILE (or of standard input).

  -n N    print the last N lines (-n +N: from line N on)
  -N      same as -n N
  -c N    print the last N bytes
`,
  run: headTail('tail'),
});

/** Translate a POSIX basic or extended regular expression to a JavaScript one. */
export function posixRegex(pattern: string, extended: boolean): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '[') {
      // bracket expression: copy up to the closing ], translating [:class:]
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') {
        if (pattern[j] === '[' && pattern[j + 1] === ':') {
          const end = pattern.indexOf(':]', j + 2);
          if (end > 0) {
            j = end + 2;
            continue;
          }
        }
        j++;
      }
      if (j >= pattern.length) throw new Error('Unmatched [, [^, [:, [., or [=');
      let body = pattern.slice(i + 1, j);
      let neg = '';
      if (body[0] === '^') {
        neg = '^';
        body = body.slice(1);
      }
      body = body
        .replace(/\[:([a-z]+):\]/g, (_m, cls: string) => {
          const v = POSIX_CLASSES[cls];
          if (v === undefined) throw new Error('Invalid character class name');
          return v;
        })
        .replace(/\\/g, '\\\\')
        .replace(/^\]/, '\\]');
      out += `[${neg}${body}]`;
      i = j + 1;
      continue;
    }
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) throw new Error('Trailing backslash');
      if (!extended && '+?|(){}'.includes(n)) out += n;
      else if ('<>'.includes(n)) out += '\\b';
      else if (/[0-9wWsSbB]/.test(n)) out += '\\' + n;
      else out += '\\' + n;
      i += 2;
      continue;
    }
    if (!extended && '+?|(){}'.includes(c)) {
      out += '\\' + c;
      i++;
      continue;
    }
    if (extended && c === '{' && !/^\{[0-9]*(,[0-9]*)?\}/.test(pattern.slice(i))) {
      out += '\\{';
      i++;
      continue;
    }
    if (c === '/') out += '\\/';
    else out += c;
    i++;
  }
  return out;
}

/** Several `-e P` options become one `-e` with the patterns on separate lines (grep ORs them). */
function grepArgs(argv: string[]): string[] {
  const pats: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if ((a === '-e' || a === '--regexp') && i + 1 < argv.length) pats.push(argv[++i]!);
    else if (a.startsWith('--regexp=')) pats.push(a.slice(9));
    else rest.push(a);
  }
  const args = rest.map((a) => (/^-[0-9]+$/.test(a) ? '-C' + a.slice(1) : a));
  return pats.length ? ['-e', pats.join('\n'), ...args] : args;
}

builtin({
  name: 'grep',
  summary: 'print lines that match a pattern',
  usage: `Usage: grep [OPTION]... PATTERN [FILE]...
Search for PATTERN in each FILE (or standard input). Exit status is 0 when a line
matched, 1 when none did, 2 on error.

  -E      PATTERN is an extended regular expression
  -F      PATTERN is a fixed string
  -e P    use P as the pattern
  -i      ignore case
  -v      select non-matching lines
  -w      match whole words only
  -x      match whole lines only
  -c      print only a count of matching lines
  -n      print line numbers
  -o      print only the matching parts
  -l      print only names of files with a match
  -q      quiet: exit status only
  -H/-h   with / without file names
  -r      search folders recursively
  -A N    also print N lines after each match (-B N: before, -C N or -N: both);
          groups are separated by --
  -m N    stop after N matching lines
  -L      print only names of files without a match
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('grep', grepArgs(withoutColor(argv)), {
        flags: 'EFGivwxcnolLqsHhrRaI',
        values: 'emABC',
        long: {
          'extended-regexp': 'E',
          'fixed-strings': 'F',
          'ignore-case': 'i',
          'invert-match': 'v',
          'word-regexp': 'w',
          'line-regexp': 'x',
          count: 'c',
          'line-number': 'n',
          'only-matching': 'o',
          'files-with-matches': 'l',
          quiet: 'q',
          silent: 'q',
          recursive: 'r',
          'regexp=': 'e',
          'max-count=': 'm',
          'after-context=': 'A',
          'before-context=': 'B',
          'context=': 'C',
          'with-filename': 'H',
          'no-filename': 'h',
          'no-messages': 's',
          'files-without-match': 'L',
          text: 'a',
        },
      });
    } catch (e) {
      return usageFail(ctx, 'grep', e, 2);
    }
    const f = o.flags;
    const args = [...o.args];
    let pattern = o.values.get('e');
    if (pattern === undefined) {
      pattern = args.shift();
      if (pattern === undefined) {
        ctx.err(`Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`);
        return 2;
      }
    }
    let src: string;
    try {
      src = pattern
        .split('\n')
        .map((p) => (f.has('F') ? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : posixRegex(p, f.has('E'))))
        .join('|');
    } catch (e) {
      ctx.err(`grep: ${(e as Error).message}\n`);
      return 2;
    }
    if (f.has('w')) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
    if (f.has('x')) src = `^(?:${src})$`;
    let re: RegExp;
    try {
      re = new RegExp(src, f.has('i') ? 'gi' : 'g');
    } catch {
      ctx.err(`grep: Invalid regular expression\n`);
      return 2;
    }
    const ctxNum = (k: string): number | undefined => {
      const v = o.values.get(k);
      if (v === undefined) return undefined;
      if (!/^[0-9]+$/.test(v)) throw new UsageError(`grep: ${v}: invalid context length argument`);
      return Number(v);
    };
    let after: number, before: number;
    try {
      const c = ctxNum('C') ?? 0;
      after = ctxNum('A') ?? c;
      before = ctxNum('B') ?? c;
    } catch (e) {
      ctx.err(`${(e as Error).message}\n`);
      return 2;
    }
    // gather inputs (recursive: every file below the folders)
    let files = args;
    let failed = false;
    if (f.has('r') || f.has('R')) {
      const expanded: string[] = [];
      for (const a of files.length ? files : ['.']) {
        const p = abs(ctx, a);
        if (ctx.sandbox.vfs.isDir(p)) {
          // GNU grep -r without a file operand names files without the leading ./
          const base = files.length ? a.replace(/\/+$/, '') || '/' : '';
          for (const file of ctx.sandbox.vfs.walk(p)) {
            const rel = file.slice(p.length).replace(/^\/+/, '');
            expanded.push(base ? (base.endsWith('/') ? base + rel : `${base}/${rel}`) : rel);
          }
        } else expanded.push(a);
      }
      files = expanded;
    }
    const read = readInputs(ctx, 'grep', files);
    failed = read.failed;
    const withNames = f.has('H') || (!f.has('h') && (read.inputs.length > 1 || f.has('r') || f.has('R')));
    const max = o.values.has('m') ? Number(o.values.get('m')) : Infinity;
    const listing = f.has('q') || f.has('l') || f.has('c') || f.has('L');
    const useContext = !listing && !f.has('o') && (after > 0 || before > 0);
    let any = false;
    const out: string[] = [];
    // the last line number printed in any file (for the `--` group separator)
    let printedAny = false;
    for (const inp of read.inputs) {
      const name = inp.name === '-' ? '(standard input)' : inp.name;
      const lines = splitLines(inp.text);
      const binary = !f.has('a') && inp.text.includes('\0');
      let count = 0;
      let lastPrinted = -1;
      let afterLeft = 0;
      const emit = (i: number, sep: ':' | '-', text: string) => {
        if (useContext && printedAny && lastPrinted >= 0 && i > lastPrinted + 1) out.push('--\n');
        else if (useContext && printedAny && lastPrinted < 0) out.push('--\n');
        out.push(`${withNames ? name + sep : ''}${f.has('n') ? `${i + 1}${sep}` : ''}${text}\n`);
        lastPrinted = i;
        printedAny = true;
      };
      const lineAt = (i: number) => (lines[i]!.endsWith('\n') ? lines[i]!.slice(0, -1) : lines[i]!);
      for (let i = 0; i < lines.length; i++) {
        if (count >= max) {
          // trailing context after the last allowed match
          if (afterLeft > 0 && !binary) {
            emit(i, '-', lineAt(i));
            afterLeft--;
            continue;
          }
          break;
        }
        const line = lineAt(i);
        re.lastIndex = 0;
        const hit = re.test(line);
        if (hit === f.has('v')) {
          if (useContext && afterLeft > 0 && !binary) {
            emit(i, '-', line);
            afterLeft--;
          }
          continue;
        }
        count++;
        any = true;
        if (listing || binary) continue;
        if (f.has('o') && !f.has('v')) {
          re.lastIndex = 0;
          for (const m of line.matchAll(re)) if (m[0]) out.push(`${withNames ? name + ':' : ''}${f.has('n') ? `${i + 1}:` : ''}${m[0]}\n`);
          continue;
        }
        if (useContext) for (let j = Math.max(lastPrinted + 1, i - before); j < i; j++) emit(j, '-', lineAt(j));
        emit(i, ':', line);
        afterLeft = after;
      }
      if (f.has('q')) {
        if (any) break;
        continue;
      }
      if (f.has('c')) out.push(`${withNames ? name + ':' : ''}${count}\n`);
      else if (f.has('l') && count) out.push(`${name}\n`);
      else if (f.has('L') && !count) out.push(`${name}\n`);
      else if (binary && count) {
        ctx.out(out.join(''));
        out.length = 0;
        ctx.err(`grep: ${name}: binary file matches\n`);
      }
    }
    const out2 = out.join('');
    ctx.out(out2);
    if (f.has('q') && any) return 0;
    if (failed && !(f.has('s') && any)) return 2;
    return any ? 0 : 1;
  },
});

/** Characters (code points) in text, as `wc -m` counts them; replacement characters from invalid bytes are not counted. */
function countChars(t: string): number {
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) continue;
    if (c !== 0xfffd) n++;
  }
  return n;
}

builtin({
  name: 'wc',
  summary: 'count lines, words and bytes',
  usage: `Usage: wc [OPTION]... [FILE]...
Print newline, word and byte counts for each FILE (or standard input), and a total line for several.

  -l      print the newline counts
  -w      print the word counts
  -c      print the byte counts
  -m      print the character counts
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('wc', argv, { flags: 'lwcmL', long: { lines: 'l', words: 'w', bytes: 'c', chars: 'm' } });
    } catch (e) {
      return usageFail(ctx, 'wc', e);
    }
    let which = ['l', 'w', 'm', 'c'].filter((k) => o.flags.has(k));
    if (!which.length) which = ['l', 'w', 'c'];
    const { inputs, failed } = readInputs(ctx, 'wc', o.args);
    const rows: { counts: number[]; name: string }[] = [];
    const total = which.map(() => 0);
    let allBytes = 0;
    for (const inp of inputs) {
      const b = inp.bytes;
      allBytes += b.length;
      const need = (k: string) => which.includes(k);
      let lines = 0;
      if (need('l')) for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
      const t = need('w') || need('m') ? inp.text : '';
      const c: Record<string, number> = {
        l: lines,
        w: need('w') ? (t.match(/\S+/g) ?? []).length : 0,
        m: need('m') ? countChars(t) : 0,
        c: b.length,
      };
      const counts = which.map((k) => c[k]!);
      counts.forEach((v, i) => (total[i]! += v));
      rows.push({ counts, name: inp.name === '-' && !o.args.length ? '' : inp.name });
    }
    if (rows.length > 1) rows.push({ counts: total, name: 'total' });
    // GNU's width: one count of one input -> no padding; stdin -> 7; else digits of the total bytes
    let width: number;
    const fromStdin = inputs.some((i) => i.name === '-');
    if (which.length === 1 && inputs.length === 1 && !failed) width = 1;
    else if (fromStdin) width = 7;
    else width = Math.max(1, String(allBytes).length);
    let out = '';
    for (const r of rows) out += r.counts.map((n) => String(n).padStart(width)).join(' ') + (r.name ? ` ${r.name}` : '') + '\n';
    ctx.out(out);
    return failed ? 1 : 0;
  },
});

builtin({
  name: 'sort',
  summary: 'sort lines of text',
  usage: `Usage: sort [OPTION]... [FILE]...
Write the sorted lines of the FILEs (or standard input).

  -r      reverse the result
  -n      compare numerically
  -u      output only the first of equal lines
  -f      ignore case
  -k KEY  sort by a key: F[.C][OPTS][,F[.C][OPTS]] (fields counted from 1, e.g. -k2,2n); repeatable
  -t C    use C as the field separator
  -h      compare human-readable sizes (2K, 1G)
  -s      stable: no last-resort comparison of whole lines
  -o FILE write the result to FILE
`,
  run(ctx, argv) {
    // -k may be given several times: collect the keys in order before the common option parser
    const keySpecs: string[] = [];
    const rest: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-k' || a === '--key') {
        if (i + 1 >= argv.length) return usageFail(ctx, 'sort', new UsageError(`sort: option requires an argument -- 'k'`), 2);
        keySpecs.push(argv[++i]!);
      } else if (a.startsWith('--key=')) keySpecs.push(a.slice(6));
      else if (/^-[a-zA-Z]*k./.test(a) && !a.startsWith('--')) {
        const at = a.indexOf('k');
        if (at > 1) rest.push(a.slice(0, at));
        keySpecs.push(a.slice(at + 1));
      } else rest.push(a);
    }
    let o;
    try {
      o = parseOpts('sort', rest, {
        flags: 'rnufbhVgsMR',
        values: 'tok',
        long: {
          reverse: 'r',
          'numeric-sort': 'n',
          unique: 'u',
          'ignore-case': 'f',
          'human-numeric-sort': 'h',
          'general-numeric-sort': 'g',
          'version-sort': 'V',
          stable: 's',
          'ignore-leading-blanks': 'b',
          'field-separator=': 't',
          'output=': 'o',
        },
      });
    } catch (e) {
      return usageFail(ctx, 'sort', e, 2);
    }
    const sep = o.values.get('t');
    if (sep !== undefined && sep.length !== 1) {
      ctx.err(sep ? `sort: multi-character tab '${sep}'\n` : 'sort: empty tab\n');
      return 2;
    }
    const global = [...o.flags].filter((c) => 'rnfbhgV'.includes(c)).join('');
    const keys: SortKey[] = [];
    for (const k of keySpecs) {
      const key = parseSortKey(k, global);
      if (!key) {
        ctx.err(`sort: invalid number at field start: invalid count at start of '${k}'\n`);
        return 2;
      }
      keys.push(key);
    }
    const { inputs, failed } = readInputs(ctx, 'sort', o.args);
    if (failed) return 2;
    const lines = inputs.flatMap((i) => splitLines(i.text).map((l) => (l.endsWith('\n') ? l.slice(0, -1) : l)));
    const whole: SortKey = { f1: 1, c1: 1, f2: 0, c2: 0, opts: global };
    const ks = keys.length ? keys : [whole];
    const cmpKeys = (a: string, b: string) => {
      for (const k of ks) {
        const d = compareBy(k.opts, sortKeyText(a, k, sep), sortKeyText(b, k, sep));
        if (d) return k.opts.includes('r') ? -d : d;
      }
      return 0;
    };
    const lastResort = !o.flags.has('s') && !o.flags.has('u');
    const rev = o.flags.has('r');
    const cmp = (a: string, b: string) => {
      const d = cmpKeys(a, b);
      if (d || !lastResort) return d;
      const e = a < b ? -1 : a > b ? 1 : 0;
      return rev ? -e : e;
    };
    let sorted = [...lines].sort(cmp);
    if (o.flags.has('u')) sorted = sorted.filter((l, i) => i === 0 || cmpKeys(l, sorted[i - 1]!) !== 0);
    const text = sorted.map((l) => l + '\n').join('');
    const outFile = o.values.get('o');
    if (outFile !== undefined) {
      ctx.sandbox.mutate(() => ctx.sandbox.vfs.writeText(abs(ctx, outFile), text));
      return 0;
    }
    ctx.out(text);
    return 0;
  },
});

interface SortKey {
  f1: number;
  c1: number;
  /** 0: to the end of the line. */
  f2: number;
  /** 0: to the end of field f2. */
  c2: number;
  opts: string;
}

/** `F[.C][OPTS][,F[.C][OPTS]]`; key options replace the global ones when present. */
function parseSortKey(spec: string, global: string): SortKey | null {
  const m = /^([0-9]+)(?:\.([0-9]+))?([bdfghinMrRV]*)(?:,([0-9]+)(?:\.([0-9]+))?([bdfghinMrRV]*))?$/.exec(spec);
  if (!m || Number(m[1]) < 1) return null;
  const opts = (m[3] ?? '') + (m[6] ?? '');
  return { f1: Number(m[1]), c1: m[2] ? Number(m[2]) : 1, f2: m[4] ? Number(m[4]) : 0, c2: m[5] ? Number(m[5]) : 0, opts: opts || global };
}

/** Field boundaries as GNU sort sees them: with -t, split at each separator; else a field is its leading blanks plus non-blanks. */
function sortFields(line: string, sep: string | undefined): [number, number][] {
  const out: [number, number][] = [];
  if (sep !== undefined) {
    let start = 0;
    for (;;) {
      const i = line.indexOf(sep, start);
      if (i < 0) {
        out.push([start, line.length]);
        return out;
      }
      out.push([start, i]);
      start = i + 1;
    }
  }
  let i = 0;
  while (i < line.length) {
    const start = i;
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
    out.push([start, i]);
  }
  return out;
}

function sortKeyText(line: string, k: SortKey, sep: string | undefined): string {
  if (k.f1 === 1 && k.c1 === 1 && k.f2 === 0) return k.opts.includes('b') ? line.trimStart() : line;
  const fields = sortFields(line, sep);
  const f1 = fields[k.f1 - 1];
  if (!f1) return '';
  let from = f1[0];
  if (k.opts.includes('b')) while (from < f1[1] && (line[from] === ' ' || line[from] === '\t')) from++;
  from = Math.min(from + k.c1 - 1, f1[1]);
  let to = line.length;
  if (k.f2) {
    const f2 = fields[k.f2 - 1];
    if (f2) to = k.c2 ? Math.min(f2[0] + k.c2, f2[1]) : f2[1];
  }
  return to > from ? line.slice(from, to) : '';
}

const HUMAN = 'KMGTPEZY';

function leadingNumber(s: string): number {
  const m = /^\s*(-?(?:[0-9]+\.?[0-9]*|\.[0-9]+))/.exec(s);
  return m ? Number(m[1]) : 0;
}

function compareBy(opts: string, a: string, b: string): number {
  if (opts.includes('n') || opts.includes('g')) {
    const x = opts.includes('g') ? Number.parseFloat(a) : leadingNumber(a);
    const y = opts.includes('g') ? Number.parseFloat(b) : leadingNumber(b);
    const xn = Number.isNaN(x) ? -Infinity : x;
    const yn = Number.isNaN(y) ? -Infinity : y;
    return xn < yn ? -1 : xn > yn ? 1 : 0;
  }
  if (opts.includes('h')) {
    const v = (s: string) => {
      const m = /^\s*(-?[0-9]*\.?[0-9]+)([KMGTPEZYk]?)/.exec(s);
      if (!m) return 0;
      const u = m[2] ? HUMAN.indexOf(m[2].toUpperCase()) + 1 : 0;
      return Number(m[1]) * 1024 ** u;
    };
    const x = v(a);
    const y = v(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (opts.includes('V')) return a.localeCompare(b, 'en', { numeric: true });
  if (opts.includes('f')) {
    a = a.toUpperCase();
    b = b.toUpperCase();
  }
  if (opts.includes('b')) {
    a = a.trimStart();
    b = b.trimStart();
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

builtin({
  name: 'uniq',
  summary: 'drop repeated adjacent lines',
  usage: `Usage: uniq [OPTION]... [INPUT]
Print INPUT (or standard input) without adjacent repeated lines.

  -c      prefix lines by the number of occurrences
  -d      only print duplicated lines
  -u      only print unique lines
  -i      ignore case
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('uniq', argv, { flags: 'cdui', long: { count: 'c', repeated: 'd', unique: 'u', 'ignore-case': 'i' } });
    } catch (e) {
      return usageFail(ctx, 'uniq', e);
    }
    const { inputs, failed } = readInputs(ctx, 'uniq', o.args.slice(0, 1));
    if (failed) return 1;
    const lines = splitLines(inputs[0]?.text ?? '').map((l) => (l.endsWith('\n') ? l.slice(0, -1) : l));
    const norm = (s: string) => (o.flags.has('i') ? s.toLowerCase() : s);
    let out = '';
    for (let i = 0; i < lines.length; ) {
      let j = i + 1;
      while (j < lines.length && norm(lines[j]!) === norm(lines[i]!)) j++;
      const n = j - i;
      if (!(o.flags.has('d') && n < 2) && !(o.flags.has('u') && n > 1)) out += (o.flags.has('c') ? `${String(n).padStart(7)} ` : '') + lines[i] + '\n';
      i = j;
    }
    ctx.out(out);
    return 0;
  },
});

builtin({
  name: 'tee',
  summary: 'copy standard input to files and standard output',
  usage: `Usage: tee [OPTION]... [FILE]...
Copy standard input to each FILE, and also to standard output.

  -a      append to the FILEs, do not overwrite
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('tee', argv, { flags: 'ai', long: { append: 'a' } });
    } catch (e) {
      return usageFail(ctx, 'tee', e);
    }
    let status = 0;
    const vfs = ctx.sandbox.vfs;
    const data = stdinBytesOf(ctx);
    for (const f of o.args) {
      const path = abs(ctx, f);
      try {
        ctx.sandbox.mutate(() => {
          if (o.flags.has('a') && vfs.isFile(path)) vfs.writeBytes(path, concatBytes([vfs.readBytes(path), data]));
          else vfs.writeBytes(path, data);
        });
      } catch (e) {
        const reason = e instanceof Error && 'reason' in e ? (e.message.split(': ').pop() ?? 'error') : String(e);
        ctx.err(`tee: ${f}: ${reason}\n`);
        status = 1;
      }
    }
    if (data.length) ctx.out(data);
    return status;
  },
});
