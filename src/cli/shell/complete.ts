/**
 * Tab completion: find the word under the cursor (with the shell's quoting
 * rules), then offer command names for the first word of a command, the
 * command's own completer (`aws`, `sandbox`) for its arguments, `$NAME`
 * variables, or file and folder names (folders end with '/').
 */
import type { CompletionResult, CompletionContext } from '../types';
import type { Session } from '../session';
import { getCommand, commandNames } from '../commands/registry';
import { resolvePath } from '../../engine';

interface Scan {
  /** Words of the current command before the word under the cursor (unquoted values). */
  words: string[];
  /** Start of the word under the cursor. */
  from: number;
  /** Its value so far (quotes removed). */
  partial: string;
  /** The quote the word is open in, if any. */
  quote: '' | "'" | '"';
  /** The word began with a quote character. */
  quotedStart: string;
  /** The previous token was a redirection operator. */
  afterRedirect: boolean;
}

const OPS = '|&;()<>';

/** Split the text before the cursor into the current command's words. */
export function scanLine(text: string): Scan {
  let words: string[] = [];
  let cur: string | null = null;
  let from = text.length;
  let quote: Scan['quote'] = '';
  let quotedStart = '';
  let afterRedirect = false;
  let prevRedirect = false;
  const endWord = () => {
    if (cur !== null) {
      if (!prevRedirect) words.push(cur);
      prevRedirect = false;
    }
    cur = null;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = '';
      else cur = (cur ?? '') + c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = '';
      else if (c === '\\' && i + 1 < text.length && '$`"\\'.includes(text[i + 1]!)) cur = (cur ?? '') + text[++i]!;
      else cur = (cur ?? '') + c;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      endWord();
      continue;
    }
    if (OPS.includes(c)) {
      // `2>`: the fd digits are not a word
      if ((c === '<' || c === '>') && cur !== null && /^[0-9]+$/.test(cur) && from + cur.length === i) cur = null;
      endWord();
      if (c === '<' || c === '>') {
        prevRedirect = true;
      } else {
        words = [];
        prevRedirect = false;
      }
      continue;
    }
    if (cur === null) {
      cur = '';
      from = i;
      quotedStart = c === "'" || c === '"' ? c : '';
      afterRedirect = prevRedirect;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\' && i + 1 < text.length) cur += text[++i];
    else if (c === '$' && text[i + 1] === '(') {
      // completion inside $( ... ): start a new command
      words = [];
      cur = null;
      i++;
    } else cur += c;
  }
  if (cur === null) {
    from = text.length;
    afterRedirect = prevRedirect;
    quotedStart = '';
    return { words, from, partial: '', quote, quotedStart, afterRedirect };
  }
  return { words, from, partial: cur, quote, quotedStart, afterRedirect };
}

const ESCAPE_RE = /([ \t\n'"\\$`&|;<>()*?[\]!#{}])/g;

export function complete(session: Session, line: string, cursor: number): CompletionResult {
  const text = line.slice(0, Math.max(0, Math.min(cursor, line.length)));
  const scan = scanLine(text);
  const shell = session.shell;
  const cwd = shell.cwd;
  const ctx: CompletionContext = { session, sandbox: session.sandbox, cwd };
  // the command's words, without leading assignments
  let k = 0;
  while (k < scan.words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(scan.words[k]!)) k++;
  const cmdWords = scan.words.slice(k);
  const partial = scan.partial;
  let candidates: string[];
  let raw = false;
  if (partial.startsWith('$') && scan.quote !== "'") {
    const brace = partial.startsWith('${');
    const prefix = partial.slice(brace ? 2 : 1);
    const names = new Set<string>([...Object.keys(shell.vars), ...Object.keys(session.baseEnv), 'HOME', 'PWD', 'USER', 'PATH']);
    candidates = [...names].filter((n) => n.startsWith(prefix)).map((n) => (brace ? '${' + n + '}' : '$' + n));
    raw = true;
  } else if (cmdWords.length === 0 && !scan.afterRedirect) {
    if (partial.includes('/')) candidates = fileCandidates(session, cwd, partial);
    else candidates = [...commandNames(), ...session.functionNames()].filter((n) => n.startsWith(partial));
  } else {
    candidates = [];
    const def = cmdWords.length && !scan.afterRedirect ? getCommand(cmdWords[0]!) : undefined;
    if (def?.complete) {
      try {
        candidates = def.complete(ctx, cmdWords.slice(1), partial);
      } catch {
        candidates = [];
      }
    }
    if (!candidates.length) candidates = fileCandidates(session, cwd, partial);
  }
  const unique = [...new Set(candidates)].sort();
  const quoted = scan.quotedStart || scan.quote;
  const out = unique.map((c) => {
    if (raw) return c;
    if (quoted) return scan.quotedStart + c;
    return c.replace(ESCAPE_RE, '\\$1');
  });
  return { from: scan.from, candidates: out };
}

/** File and folder names matching a partial path (folders get a trailing '/'). */
export function fileCandidates(session: Session, cwd: string, partial: string): string[] {
  const vfs = session.sandbox.vfs;
  const slash = partial.lastIndexOf('/');
  const dirPart = slash >= 0 ? partial.slice(0, slash + 1) : '';
  const namePart = slash >= 0 ? partial.slice(slash + 1) : partial;
  const dir = resolvePath(dirPart || '.', cwd);
  if (!vfs.isDir(dir)) return [];
  const out: string[] = [];
  for (const name of vfs.list(dir)) {
    if (!name.startsWith(namePart)) continue;
    if (name.startsWith('.') && !namePart.startsWith('.')) continue;
    const abs = dir === '/' ? '/' + name : dir + '/' + name;
    out.push(dirPart + name + (vfs.isDir(abs) ? '/' : ''));
  }
  return out;
}
