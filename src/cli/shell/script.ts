/**
 * Split a script file into the units a terminal would run one at a time:
 * each complete command (a line, or several when a quote, a `\` continuation,
 * an if/for/while/case block, a `{ }` group or a here-document spans lines).
 * For the headless runner and lesson replays that work line by line.
 */
import { ShellSyntaxError, tokenizeStrict } from './tokenizer';
import { parseTokens } from './parser';

export interface ScriptUnit {
  /** The text to pass to Session.run (lines joined with '\n'). */
  text: string;
  /** 1-based number of its first line. */
  lineNo: number;
}

/** Parse strictly: an unterminated here-document counts as incomplete. */
export function isComplete(src: string): boolean | ShellSyntaxError {
  try {
    parseTokens(tokenizeStrict(src));
    return true;
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    return e.incomplete ? false : e;
  }
}

export function splitScript(text: string): ScriptUnit[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return split(lines, 1);
}

function split(lines: string[], firstNo: number): ScriptUnit[] {
  const out: ScriptUnit[] = [];
  let buf: string[] = [];
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!buf.length) {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) continue;
      start = i;
    }
    buf.push(line);
    const src = buf.join('\n');
    const ok = isComplete(src);
    if (ok === false) continue;
    // complete, or a hard syntax error: either way this is one unit (running it reports the error)
    out.push({ text: src, lineNo: firstNo + start });
    buf = [];
  }
  if (buf.length) {
    if (buf.length === 1) out.push({ text: buf[0]!, lineNo: firstNo + start });
    else {
      // never completed (an unclosed quote or block): that first line fails alone, the rest goes on
      out.push({ text: buf[0]!, lineNo: firstNo + start });
      out.push(...split(lines.slice(start + 1), firstNo + start + 1));
    }
  }
  return out;
}
