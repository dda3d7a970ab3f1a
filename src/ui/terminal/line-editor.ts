/**
 * Bash-like line editing, independent of xterm: a buffer, a cursor and a
 * history. The terminal controller maps keys to these methods and redraws.
 */
export class LineEditor {
  buffer = '';
  cursor = 0;
  history: string[] = [];
  /** Index into history while browsing with up/down; history.length = the draft. */
  private histIndex = 0;
  private draft = '';
  /** The kill ring (last text removed with Ctrl-U/K/W), pasted back with Ctrl-Y. */
  killed = '';

  constructor(history: string[] = []) {
    this.setHistory(history);
  }

  setHistory(history: string[]): void {
    this.history = [...history];
    this.histIndex = this.history.length;
    this.draft = '';
  }

  /** Record a submitted line (skips blanks and an immediate repeat, like HISTCONTROL=ignoredups). */
  pushHistory(line: string): void {
    if (line.trim() && this.history[this.history.length - 1] !== line) this.history.push(line);
    this.histIndex = this.history.length;
    this.draft = '';
  }

  setLine(text: string, cursor = text.length): void {
    this.buffer = text;
    this.cursor = Math.max(0, Math.min(cursor, text.length));
  }

  /** Take the line (Enter / Ctrl-C): returns the text and empties the editor. */
  take(): string {
    const line = this.buffer;
    this.buffer = '';
    this.cursor = 0;
    this.histIndex = this.history.length;
    this.draft = '';
    return line;
  }

  insert(text: string): void {
    this.buffer = this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor);
    this.cursor += text.length;
  }

  /** Replace buffer[from, cursor) with text (completion). */
  replaceBeforeCursor(from: number, text: string): void {
    const start = Math.max(0, Math.min(from, this.cursor));
    this.buffer = this.buffer.slice(0, start) + text + this.buffer.slice(this.cursor);
    this.cursor = start + text.length;
  }

  left(): boolean {
    if (this.cursor === 0) return false;
    this.cursor--;
    return true;
  }
  right(): boolean {
    if (this.cursor >= this.buffer.length) return false;
    this.cursor++;
    return true;
  }
  home(): void {
    this.cursor = 0;
  }
  end(): void {
    this.cursor = this.buffer.length;
  }
  /** Alt-B / Ctrl-Left: to the start of the previous word. */
  wordLeft(): void {
    let i = this.cursor;
    while (i > 0 && /\s/.test(this.buffer[i - 1]!)) i--;
    while (i > 0 && !/\s/.test(this.buffer[i - 1]!)) i--;
    this.cursor = i;
  }
  /** Alt-F / Ctrl-Right: to the end of the next word. */
  wordRight(): void {
    let i = this.cursor;
    const n = this.buffer.length;
    while (i < n && /\s/.test(this.buffer[i]!)) i++;
    while (i < n && !/\s/.test(this.buffer[i]!)) i++;
    this.cursor = i;
  }
  backspace(): boolean {
    if (this.cursor === 0) return false;
    this.buffer = this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor);
    this.cursor--;
    return true;
  }
  del(): boolean {
    if (this.cursor >= this.buffer.length) return false;
    this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1);
    return true;
  }
  /** Ctrl-U: remove from the start of the line to the cursor. */
  killToStart(): void {
    this.killed = this.buffer.slice(0, this.cursor);
    this.buffer = this.buffer.slice(this.cursor);
    this.cursor = 0;
  }
  /** Ctrl-K: remove from the cursor to the end of the line. */
  killToEnd(): void {
    this.killed = this.buffer.slice(this.cursor);
    this.buffer = this.buffer.slice(0, this.cursor);
  }
  /** Ctrl-W: remove the whitespace-delimited word before the cursor. */
  killWordBack(): void {
    let i = this.cursor;
    while (i > 0 && /\s/.test(this.buffer[i - 1]!)) i--;
    while (i > 0 && !/\s/.test(this.buffer[i - 1]!)) i--;
    this.killed = this.buffer.slice(i, this.cursor);
    this.buffer = this.buffer.slice(0, i) + this.buffer.slice(this.cursor);
    this.cursor = i;
  }
  /** Ctrl-Y: paste back what was last removed. */
  yank(): void {
    if (this.killed) this.insert(this.killed);
  }
  /** Up arrow: the previous history entry (keeps the draft being typed). */
  historyPrev(): boolean {
    if (this.histIndex === 0) return false;
    if (this.histIndex === this.history.length) this.draft = this.buffer;
    this.histIndex--;
    this.setLine(this.history[this.histIndex]!);
    return true;
  }
  /** Down arrow: the next history entry, then back to the draft. */
  historyNext(): boolean {
    if (this.histIndex >= this.history.length) return false;
    this.histIndex++;
    this.setLine(this.histIndex === this.history.length ? this.draft : this.history[this.histIndex]!);
    return true;
  }
}

/** Longest common prefix of completion candidates. */
export function commonPrefix(words: string[]): string {
  if (!words.length) return '';
  let p = words[0]!;
  for (const w of words.slice(1)) {
    let i = 0;
    while (i < p.length && i < w.length && p[i] === w[i]) i++;
    p = p.slice(0, i);
  }
  return p;
}

/** Lay candidates out in columns for a terminal `cols` wide (bash's double-Tab listing). */
export function formatColumns(words: string[], cols: number): string {
  if (!words.length) return '';
  const width = Math.max(...words.map((w) => w.length)) + 2;
  const perRow = Math.max(1, Math.floor(cols / width));
  const rows = Math.ceil(words.length / perRow);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < perRow; c++) {
      const w = words[c * rows + r];
      if (w === undefined) continue;
      line += w.padEnd(width);
    }
    lines.push(line.trimEnd());
  }
  return lines.join('\n') + '\n';
}

/**
 * Does this (possibly multi-line) input need another line before it can run?
 * True for a trailing backslash, an unclosed quote, or a trailing pipe / && / ||.
 */
export function needsContinuation(text: string): boolean {
  let quote: "'" | '"' | null = null;
  let i = 0;
  let lastSignificant = '';
  let prevSignificant = '';
  while (i < text.length) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      i++;
      continue;
    }
    if (ch === '\\') {
      if (i === text.length - 1) return true;
      i += 2;
      prevSignificant = lastSignificant;
      lastSignificant = 'x';
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      // a comment runs to the end of the line
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
      continue;
    }
    if (!/\s/.test(ch)) {
      prevSignificant = lastSignificant;
      lastSignificant = ch;
    }
    i++;
  }
  if (quote) return true;
  if (lastSignificant === '|') return true;
  if (lastSignificant === '&' && prevSignificant === '&') return true;
  return false;
}

/** Join continued lines as the shell would: backslash-newline disappears, other newlines stay. */
export function joinContinued(lines: string[]): string {
  let out = '';
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    if (k === lines.length - 1) {
      out += line;
      break;
    }
    if (endsWithEscape(out + line)) out += line.slice(0, -1);
    else out += line + '\n';
  }
  return out;
}

function endsWithEscape(text: string): boolean {
  // an unquoted (or double-quoted) trailing backslash that is not itself escaped
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      continue;
    }
    if (ch === '\\') {
      if (i === text.length - 1) return true;
      i++;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
  }
  return false;
}

/** Split pasted text into lines (any newline convention). */
export function splitPaste(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}
