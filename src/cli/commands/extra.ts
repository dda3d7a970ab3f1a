/** More text builtins learners reach for with AWS output: tac, rev, paste, nl; and the shell's eval. */
import { builtin, parseOpts, usageFail, readInputs, splitLines } from './util';
import { shellOf, ioOf } from '../shell/interpreter';

const stripNl = (l: string) => (l.endsWith('\n') ? l.slice(0, -1) : l);

builtin({
  name: 'tac',
  summary: 'print lines in reverse order',
  usage: 'Usage: tac [FILE]...\nPrint the lines of each FILE (or standard input), last line first.\n',
  run(ctx, argv) {
    const { inputs, failed } = readInputs(ctx, 'tac', argv);
    const out: string[] = [];
    for (const inp of inputs) {
      const lines = splitLines(inp.text);
      // like GNU tac, a last line without newline is glued to the one printed after it
      for (let i = lines.length - 1; i >= 0; i--) out.push(lines[i]!);
    }
    ctx.out(out.join(''));
    return failed ? 1 : 0;
  },
});

builtin({
  name: 'rev',
  summary: 'reverse the characters of each line',
  usage: 'Usage: rev [FILE]...\nPrint each line of the FILEs (or standard input) with its characters reversed.\n',
  run(ctx, argv) {
    const { inputs, failed } = readInputs(ctx, 'rev', argv);
    const out: string[] = [];
    for (const inp of inputs) for (const l of splitLines(inp.text)) out.push([...stripNl(l)].reverse().join('') + (l.endsWith('\n') ? '\n' : ''));
    ctx.out(out.join(''));
    return failed ? 1 : 0;
  },
});

builtin({
  name: 'paste',
  summary: 'merge lines of files',
  usage: `Usage: paste [-s] [-d LIST] [FILE]...
Join the lines of the FILEs side by side, separated by TAB (or the characters of LIST in turn).

  -s      join all the lines of each FILE into one line instead
  -d LIST use the characters of LIST as separators
`,
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('paste', argv, { flags: 's', values: 'd', long: { serial: 's', 'delimiters=': 'd' } });
    } catch (e) {
      return usageFail(ctx, 'paste', e);
    }
    const delims = [...(o.values.get('d') ?? '\t').replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', '0': '' })[c] ?? c)];
    if (!delims.length) delims.push('');
    const d = (i: number) => delims[i % delims.length]!;
    const { inputs, failed } = readInputs(ctx, 'paste', o.args.length ? o.args : ['-']);
    const files = inputs.map((i) => splitLines(i.text).map(stripNl));
    const out: string[] = [];
    if (o.flags.has('s')) {
      for (const lines of files) out.push(lines.map((l, i) => (i ? d(i - 1) : '') + l).join('') + '\n');
    } else {
      // each column reads its own file; several `-` columns take turns reading standard input
      let stdinLines: string[] | undefined;
      let stdinPos = 0;
      const cols = inputs.map((inp, k) => {
        if (inp.name !== '-') {
          let pos = 0;
          return () => files[k]![pos++];
        }
        stdinLines ??= files[k]!;
        return () => stdinLines![stdinPos++];
      });
      for (;;) {
        const row = cols.map((c) => c());
        if (row.every((x) => x === undefined)) break;
        out.push(row.map((x, i) => (i ? d(i - 1) : '') + (x ?? '')).join('') + '\n');
      }
    }
    ctx.out(out.join(''));
    return failed ? 1 : 0;
  },
});

builtin({
  name: 'nl',
  summary: 'number the lines of files',
  usage: 'Usage: nl [-b a] [FILE]...\nPrint the FILEs (or standard input) with line numbers; blank lines are not numbered unless -b a.\n',
  run(ctx, argv) {
    let o;
    try {
      o = parseOpts('nl', argv, { values: 'bws', long: { 'body-numbering=': 'b', 'number-width=': 'w', 'number-separator=': 's' } });
    } catch (e) {
      return usageFail(ctx, 'nl', e);
    }
    const all = o.values.get('b') === 'a';
    const width = Number(o.values.get('w') ?? 6) || 6;
    const sep = o.values.get('s') ?? '\t';
    const { inputs, failed } = readInputs(ctx, 'nl', o.args);
    const out: string[] = [];
    let n = 0;
    for (const inp of inputs)
      for (const l of splitLines(inp.text)) {
        const body = stripNl(l);
        if (!body && !all) out.push(' '.repeat(width + sep.length) + '\n');
        else out.push(`${String(++n).padStart(width)}${sep}${body}\n`);
      }
    ctx.out(out.join(''));
    return failed ? 1 : 0;
  },
});

builtin(
  {
    name: 'eval',
    summary: 'run the arguments as a shell command',
    usage: 'Usage: eval [ARG]...\nJoin the ARGs with spaces and run the result as shell code in the current shell.\n',
    run(ctx, argv) {
      const sh = shellOf(ctx);
      if (!sh) return 1;
      const src = argv.join(' ');
      if (!src.trim()) return 0;
      return sh.runSource(src, ioOf(ctx));
    },
  },
  { literalArgs: true },
);
