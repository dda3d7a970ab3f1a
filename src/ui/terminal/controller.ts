/**
 * Glue between xterm.js and the Worker: a bash-like prompt with line editing,
 * history, Tab completion, line continuation, multi-line paste, and output
 * written in chunks so that long results never freeze the page.
 */
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import type { ExecResult } from '../../worker/protocol';
import type { CompletionResult } from '../../cli/types';
import { LineEditor, commonPrefix, formatColumns, needsContinuation, joinContinued } from './line-editor';
import { chunksOf, ANSI } from './colorize';

export interface TerminalHost {
  exec(line: string): Promise<ExecResult>;
  complete(line: string, cursor: number): Promise<CompletionResult>;
  /** Region and folder for the prompt. */
  prompt(): { region: string; cwd: string };
  /** After a result is printed: the app applies the other effects and updates panels. */
  afterResult(line: string, result: ExecResult): void | Promise<void>;
  /** Stop the running command (Ctrl-C); resolves to a message to print, or null when nothing runs. */
  interrupt?(): Promise<string | null>;
}

type Job =
  | { kind: 'data'; data: string }
  | { kind: 'exec'; line: string; resolve: (r: ExecResult | null) => void };

const ESC_SEQ = /^\x1b(?:\[[0-9;?]*[A-Za-z~]|O[A-Za-z]|[A-Za-z])/;

export class TerminalController {
  readonly term: Terminal;
  readonly fit = new FitAddon();
  readonly editor: LineEditor;
  private queue: Job[] = [];
  private pumping = false;
  private busy = false;
  private contLines: string[] = [];
  private cursorRow = 0;
  private lastWasTab = false;
  private promptShown = false;
  /** Ctrl-R reverse history search, when active. */
  private search: { query: string; index: number; saved: string; failed: boolean } | null = null;

  constructor(
    private host: TerminalHost,
    opts: { theme: ITheme; history: string[]; screenReader: boolean; fontSize?: number },
  ) {
    this.editor = new LineEditor(opts.history);
    this.term = new Terminal({
      theme: opts.theme,
      convertEol: false,
      // no blinking for people who ask the system for less motion
      cursorBlink: !(typeof matchMedia !== 'undefined' && matchMedia('(prefers-reduced-motion: reduce)').matches),
      scrollback: 20000,
      fontSize: opts.fontSize ?? 14,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace',
      screenReaderMode: opts.screenReader,
      allowProposedApi: false,
      rightClickSelectsWord: true,
    });
    this.term.loadAddon(this.fit);
    this.term.onData((data) => this.enqueue({ kind: 'data', data }));
    let escapeAt = 0;
    this.term.attachCustomKeyEventHandler((ev) => {
      // Keyboard users leave the terminal with Shift-Tab, or Esc then Tab (Tab alone completes).
      if (ev.key === 'Escape' && ev.type === 'keydown') escapeAt = ev.timeStamp;
      if (ev.key === 'Tab' && (ev.shiftKey || (escapeAt && ev.timeStamp - escapeAt < 2000))) {
        if (ev.type === 'keydown') escapeAt = 0;
        return false;
      }
      // Leave Ctrl-Shift-C/V and Cmd-C/V to the browser (copy/paste); Ctrl-C copies when text is selected.
      if (ev.type === 'keydown' && (ev.ctrlKey || ev.metaKey) && (ev.key === 'c' || ev.key === 'C') && this.term.hasSelection()) {
        void navigator.clipboard?.writeText(this.term.getSelection()).catch(() => undefined);
        return false;
      }
      if (ev.type === 'keydown' && ev.ctrlKey && ev.shiftKey && (ev.key === 'V' || ev.key === 'C')) return false;
      return true;
    });
  }

  open(el: HTMLElement): void {
    this.term.open(el);
    this.safeFit();
  }

  safeFit(): void {
    try {
      this.fit.fit();
    } catch {
      /* not visible yet */
    }
  }

  setTheme(theme: ITheme): void {
    this.term.options.theme = theme;
  }
  setScreenReader(on: boolean): void {
    this.term.options.screenReaderMode = on;
  }
  focus(): void {
    this.term.focus();
  }

  /** Print the first prompt. */
  start(banner?: string): void {
    if (banner) this.term.write(banner.replace(/\n/g, '\r\n'));
    this.showPrompt();
  }

  /** Run a line as if the learner typed it (window.sandbox.exec, ?run=, the touch input). */
  exec(line: string): Promise<ExecResult | null> {
    return new Promise((resolve) => this.enqueue({ kind: 'exec', line, resolve }));
  }

  /** Write output that did not come from a command (notices), keeping the prompt intact. */
  async notice(text: string): Promise<void> {
    await this.whenIdle();
    this.clearPromptArea();
    await this.writeChunks(chunksOf(text.endsWith('\n') ? text : text + '\n', 'stdout'));
    this.render();
  }

  /** Print text through the same chunked path as command output (tests and benchmarks). */
  async print(text: string, stream: 'stdout' | 'stderr' = 'stdout'): Promise<void> {
    await this.whenIdle();
    this.clearPromptArea();
    await this.writeOutput(stream === 'stdout' ? text : '', stream === 'stderr' ? text : '');
    this.render();
  }

  clearScreen(): void {
    this.term.clear();
  }

  /** The visible buffer as text (test hook). */
  bufferText(): string {
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) {
      const line = buf.getLine(i);
      if (!line) continue;
      const text = line.translateToString(true);
      if (line.isWrapped && lines.length) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  get isBusy(): boolean {
    return this.busy || this.pumping;
  }

  private idleWaiters: (() => void)[] = [];
  private whenIdle(): Promise<void> {
    if (!this.pumping && !this.busy) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private enqueue(job: Job): void {
    // Ctrl-C while a command runs: drop whatever was typed ahead.
    if (job.kind === 'data' && this.busy && job.data === '\x03') {
      this.queue = this.queue.filter((j) => j.kind !== 'data');
      this.term.write('^C');
      this.interruptNote = this.host.interrupt?.() ?? null;
      return;
    }
    this.queue.push(job);
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length) {
        const job = this.queue.shift()!;
        if (job.kind === 'data') await this.handleData(job.data);
        else {
          const saved = this.editor.buffer;
          const savedCont = this.contLines;
          this.contLines = [];
          this.editor.setLine(job.line);
          if (savedCont.length) this.showPrompt();
          else this.render();
          this.term.write('\r\n');
          this.editor.take();
          const r = await this.run(job.line);
          job.resolve(r);
          this.contLines = savedCont;
          this.editor.setLine(saved);
          this.showPrompt();
        }
      }
    } finally {
      this.pumping = false;
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }

  private async handleData(raw: string): Promise<void> {
    const data = raw.replace(/\r\n/g, '\r').replace(/\n/g, '\r');
    let i = 0;
    while (i < data.length) {
      const ch = data[i]!;
      if (ch === '\x1b') {
        const m = ESC_SEQ.exec(data.slice(i));
        const seq = m ? m[0] : ch;
        i += seq.length;
        if (this.search) {
          // Esc cancels the search; any other key takes the match and acts on it.
          if (seq === '\x1b') {
            this.endSearch(false);
            continue;
          }
          this.endSearch(true);
        }
        this.escape(seq);
        continue;
      }
      const code = ch.charCodeAt(0);
      if (code >= 32 && code !== 127) {
        let j = i;
        while (j < data.length && data.charCodeAt(j) >= 32 && data.charCodeAt(j) !== 127) j++;
        this.lastWasTab = false;
        if (this.search) this.searchType(data.slice(i, j));
        else {
          this.editor.insert(data.slice(i, j));
          this.render();
        }
        i = j;
        continue;
      }
      i++;
      // A Tab inside pasted text is a space, not completion.
      if (ch === '\t' && data.length > 1) {
        this.editor.insert(' ');
        this.render();
        continue;
      }
      if (this.search) {
        if (ch === '\x12') {
          this.searchStep(true);
          continue;
        }
        if (ch === '\x7f' || ch === '\x08') {
          this.searchType(null);
          continue;
        }
        if (ch === '\x07' || ch === '\x03') {
          this.endSearch(false);
          if (ch === '\x07') continue;
        } else this.endSearch(true);
      }
      if (ch === '\x12') {
        this.startSearch();
        continue;
      }
      await this.control(ch);
    }
  }

  // ----- Ctrl-R: reverse incremental history search -----
  private startSearch(): void {
    this.search = { query: '', index: this.editor.history.length, saved: this.editor.buffer, failed: false };
    this.render();
  }

  /** Find the query in history, from `from` going back; show the match. */
  private searchFrom(from: number): void {
    const s = this.search!;
    const h = this.editor.history;
    for (let k = Math.min(from, h.length - 1); k >= 0; k--) {
      const pos = s.query ? h[k]!.lastIndexOf(s.query) : -1;
      if (pos >= 0) {
        s.index = k;
        s.failed = false;
        this.editor.setLine(h[k]!, pos);
        this.render();
        return;
      }
    }
    s.failed = s.query !== '';
    this.render();
  }

  private searchType(text: string | null): void {
    const s = this.search!;
    s.query = text === null ? s.query.slice(0, -1) : s.query + text;
    if (!s.query) {
      s.failed = false;
      this.editor.setLine(s.saved);
      s.index = this.editor.history.length;
      this.render();
      return;
    }
    this.searchFrom(Math.min(s.index, this.editor.history.length - 1));
  }

  private searchStep(older: boolean): void {
    const s = this.search!;
    if (!s.query) return;
    this.searchFrom(older ? s.index - 1 : s.index);
  }

  /** Leave the search: keep the match in the line (accept) or go back to what was typed. */
  private endSearch(accept: boolean): void {
    const s = this.search!;
    this.search = null;
    if (!accept) this.editor.setLine(s.saved);
    else this.editor.setLine(this.editor.buffer);
    this.render();
  }

  private escape(seq: string): void {
    this.lastWasTab = false;
    const e = this.editor;
    switch (seq) {
      case '\x1b[D':
      case '\x1bOD':
        e.left();
        break;
      case '\x1b[C':
      case '\x1bOC':
        e.right();
        break;
      case '\x1b[A':
      case '\x1bOA':
        e.historyPrev();
        break;
      case '\x1b[B':
      case '\x1bOB':
        e.historyNext();
        break;
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
      case '\x1b[7~':
        e.home();
        break;
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
      case '\x1b[8~':
        e.end();
        break;
      case '\x1b[3~':
        e.del();
        break;
      case '\x1b[1;5D':
      case '\x1b[1;3D':
      case '\x1bb':
        e.wordLeft();
        break;
      case '\x1b[1;5C':
      case '\x1b[1;3C':
      case '\x1bf':
        e.wordRight();
        break;
      default:
        return;
    }
    this.render();
  }

  private async control(ch: string): Promise<void> {
    const e = this.editor;
    const wasTab = this.lastWasTab;
    this.lastWasTab = false;
    switch (ch) {
      case '\r':
        await this.enter();
        return;
      case '\x7f':
      case '\x08':
        e.backspace();
        break;
      case '\x01':
        e.home();
        break;
      case '\x05':
        e.end();
        break;
      case '\x02':
        e.left();
        break;
      case '\x06':
        e.right();
        break;
      case '\x10':
        e.historyPrev();
        break;
      case '\x0e':
        e.historyNext();
        break;
      case '\x15':
        e.killToStart();
        break;
      case '\x0b':
        e.killToEnd();
        break;
      case '\x17':
        e.killWordBack();
        break;
      case '\x19':
        e.yank();
        break;
      case '\x04':
        e.del();
        break;
      case '\x03': {
        // Ctrl-C: drop the line (and any continuation), print ^C, new prompt.
        e.end();
        this.render();
        this.term.write('^C\r\n');
        e.take();
        this.contLines = [];
        this.showPrompt();
        return;
      }
      case '\x0c':
        this.term.clear();
        this.cursorRow = 0;
        // term.clear keeps the cursor's line; redraw the prompt there
        break;
      case '\t':
        await this.tab(wasTab);
        return;
      default:
        return;
    }
    this.render();
  }

  private async tab(second: boolean): Promise<void> {
    const e = this.editor;
    const before = this.contLines.length ? joinContinued([...this.contLines, '']) : '';
    const line = before + e.buffer;
    const cursor = before.length + e.cursor;
    let res: CompletionResult;
    try {
      res = await this.host.complete(line, cursor);
    } catch {
      return;
    }
    const from = res.from - before.length;
    if (from < 0) return;
    const cands = [...new Set(res.candidates)];
    if (!cands.length) {
      this.term.write('\x07');
      return;
    }
    const partial = e.buffer.slice(from, e.cursor);
    if (cands.length === 1) {
      const c = cands[0]!;
      const addSpace = !c.endsWith('/') && e.cursor === e.buffer.length;
      e.replaceBeforeCursor(from, c + (addSpace ? ' ' : ''));
      this.render();
      return;
    }
    const lcp = commonPrefix(cands);
    if (lcp.length > partial.length && lcp.startsWith(partial)) {
      e.replaceBeforeCursor(from, lcp);
      this.render();
      this.lastWasTab = true;
      return;
    }
    if (!second) {
      this.lastWasTab = true;
      this.term.write('\x07');
      return;
    }
    // Second Tab: list the candidates under the line, then redraw the prompt.
    const saveCursor = e.cursor;
    e.end();
    this.render();
    this.term.write('\r\n' + formatColumns(cands, this.term.cols).replace(/\n/g, '\r\n'));
    e.cursor = saveCursor;
    this.cursorRow = 0;
    this.render();
    this.lastWasTab = true;
  }

  private async enter(): Promise<void> {
    const e = this.editor;
    e.end();
    this.render();
    this.term.write('\r\n');
    const line = e.take();
    const lines = [...this.contLines, line];
    if (needsContinuation(lines.join('\n'))) {
      this.contLines = lines;
      this.showPrompt();
      return;
    }
    this.contLines = [];
    const full = joinContinued(lines);
    if (full.trim()) {
      e.pushHistory(full);
      await this.run(full);
    }
    this.showPrompt();
  }

  /** Set by Ctrl-C while a command runs: the host's message once the engine is back. */
  private interruptNote: Promise<string | null> | null = null;

  private async run(line: string): Promise<ExecResult | null> {
    this.busy = true;
    let result: ExecResult | null = null;
    // A long command gets a hint, once, that Ctrl-C stops it.
    const hint = setTimeout(() => {
      if (this.busy && this.host.interrupt) this.term.write('\x1b[2m(still running: Ctrl-C stops it)\x1b[0m\r\n');
    }, 5000);
    try {
      result = await this.host.exec(line);
      if (result.effects.some((x) => x.type === 'clear-screen')) this.term.clear();
      await this.writeOutput(result.stdout, result.stderr);
    } catch (err) {
      const note = this.interruptNote ? await this.interruptNote.catch((e) => `nimbus: could not restart the engine: ${(e as Error)?.message ?? e}\n`) : null;
      if (note) await this.writeOutput('', '\n' + note);
      else await this.writeOutput('', `nimbus: the sandbox stopped answering: ${(err as Error)?.message ?? err}\n`);
    } finally {
      clearTimeout(hint);
      this.interruptNote = null;
      this.busy = false;
    }
    if (result) await this.host.afterResult(line, result);
    return result;
  }

  private async writeOutput(stdout: string, stderr: string): Promise<void> {
    await this.writeChunks(chunksOf(stdout, 'stdout'));
    if (stdout && !stdout.endsWith('\n')) this.term.write('\r\n');
    await this.writeChunks(chunksOf(stderr, 'stderr'));
    if (stderr && !stderr.endsWith('\n')) this.term.write('\r\n');
  }

  /**
   * Hand chunks to xterm with flow control: a few chunks in flight at most.
   * xterm parses its write queue in time slices (about 12 ms each), and the
   * chunks are coloured lazily, so no task gets long however big the output.
   */
  private async writeChunks(chunks: Iterable<string>): Promise<void> {
    const MAX_IN_FLIGHT = 4;
    let inFlight = 0;
    let drained: (() => void) | null = null;
    let last: Promise<void> = Promise.resolve();
    for (const chunk of chunks) {
      inFlight++;
      last = new Promise<void>((r) =>
        this.term.write(chunk, () => {
          inFlight--;
          r();
          if (drained && inFlight <= 1) {
            const d = drained;
            drained = null;
            d();
          }
        }),
      );
      if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (drained = r));
    }
    await last;
  }

  private promptParts(): { ansi: string; width: number } {
    if (this.search) {
      const label = `(${this.search.failed ? 'failed ' : ''}reverse-i-search)\`${this.search.query}': `;
      return { ansi: label, width: label.length };
    }
    if (this.contLines.length) return { ansi: '> ', width: 2 };
    const { region, cwd } = this.host.prompt();
    const plain = `learner@nimbus ${region} ${cwd} $ `;
    const ansi = `${ANSI.green}${ANSI.bold}learner@nimbus${ANSI.reset} ${ANSI.yellow}${region}${ANSI.reset} ${ANSI.blue}${ANSI.bold}${cwd}${ANSI.reset} $ `;
    return { ansi, width: plain.length };
  }

  private showPrompt(): void {
    this.cursorRow = 0;
    this.promptShown = true;
    this.render();
  }

  /** Erase the prompt and the line being typed (before printing a notice above it). */
  private clearPromptArea(): void {
    if (!this.promptShown) return;
    let s = '';
    if (this.cursorRow > 0) s += `\x1b[${this.cursorRow}A`;
    s += '\r\x1b[J';
    this.term.write(s);
    this.cursorRow = 0;
  }

  /** Redraw prompt + line and put the cursor where the editor's cursor is (handles wrapping). */
  private render(): void {
    const cols = Math.max(1, this.term.cols);
    const { ansi, width } = this.promptParts();
    const text = this.editor.buffer;
    let s = '';
    if (this.cursorRow > 0) s += `\x1b[${this.cursorRow}A`;
    s += '\r\x1b[J' + ansi + text;
    const total = width + text.length;
    const endRow = Math.floor(total / cols);
    if (total > 0 && total % cols === 0) s += '\r\n';
    const target = width + this.editor.cursor;
    const tRow = Math.floor(target / cols);
    const tCol = target % cols;
    if (endRow > tRow) s += `\x1b[${endRow - tRow}A`;
    s += '\r';
    if (tCol > 0) s += `\x1b[${tCol}C`;
    this.cursorRow = tRow;
    this.term.write(s);
  }
}
