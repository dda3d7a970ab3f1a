import { decodeEscape, rawBytesOut } from '../shell/tokenizer';
import { builtin } from './util';

/** Interpret echo -e escapes; returns the text and whether \c stopped the output. */
export function echoEscapes(s: string): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const r = decodeEscape(s, i + 1, false);
    if (r.stop) return { text: out, stop: true };
    out += r.text;
    i = r.next - 1;
  }
  return { text: out, stop: false };
}

builtin({
  name: 'echo',
  summary: 'print its arguments',
  usage: `Usage: echo [-neE] [ARG]...
Print the ARGs separated by spaces, then a newline.

  -n      do not print the trailing newline
  -e      interpret backslash escapes (\\n, \\t, \\\\, \\c ...)
  -E      do not interpret backslash escapes (the default)
`,
  run(ctx, argv) {
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (!/^-[neE]+$/.test(a)) break;
      for (const c of a.slice(1)) {
        if (c === 'n') newline = false;
        else if (c === 'e') escapes = true;
        else escapes = false;
      }
    }
    let text = argv.slice(i).join(' ');
    if (escapes) {
      const r = echoEscapes(text);
      text = r.text;
      if (r.stop) newline = false;
    }
    ctx.out(rawBytesOut(newline ? text + '\n' : text));
    return 0;
  },
}, { literalArgs: true });
