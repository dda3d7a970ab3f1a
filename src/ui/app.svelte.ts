/**
 * The app's state: one class wraps the Worker client and everything the
 * panels show. Components read its $state fields; actions go through it.
 */
import { proxy, type Remote } from 'comlink';
import type { NimbusWorkerApi, Status, ExecResult, StartOptions } from '../worker/protocol';
import type { Effect } from '../cli/types';
import type { UiParams, ThemeName } from './params';
import type { UiHost, SideTab } from './host';
import type { TerminalController } from './terminal/controller';
import { SandboxBridge } from './embed/bridge';
import { stripAnsi } from './terminal/colorize';
import { connectWorker } from './worker-link';

const LS_THEME = 'nimbus.theme';
const LS_SR = 'nimbus.screenReader';
const LS_TOUCH = 'nimbus.touchInput';

export interface OpenFile {
  path: string;
  text: string;
  /** Changes on every open request, so reopening the same path reloads it. */
  nonce: number;
}

function lsGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function lsSet(key: string, v: string): void {
  try {
    localStorage.setItem(key, v);
  } catch {
    /* private mode */
  }
}

export class NimbusApp implements UiHost {
  readonly params: UiParams;
  api: Remote<NimbusWorkerApi> | null = null;
  /** The engine Worker, terminated and replaced when a runaway command is interrupted. */
  private worker: Worker | null = null;
  /** Rejects the pending exec when the learner interrupts it (Ctrl-C). */
  private interruptPending: ((e: Error) => void) | null = null;
  status = $state<Status | null>(null);
  ready = $state(false);
  startError = $state<string | null>(null);
  theme = $state<ThemeName>('dark');
  screenReader = $state(false);
  touchInput = $state(false);
  sideTab = $state<SideTab>('lesson');
  /** The website endpoint URL the Preview tab shows (set by `sandbox preview` through an open-url effect). */
  previewUrl = $state('');
  files = $state<string[]>([]);
  changeCount = $state(0);
  /** Plain-text copy of the last result, for the aria-live region. */
  lastResultText = $state('');
  openFileReq = $state<OpenFile | null>(null);
  editorDirty = $state(false);
  updateReady = $state(false);
  notice = $state<string | null>(null);
  history: string[] = [];
  terminal: TerminalController | null = null;
  readonly bridge: SandboxBridge;
  private applyUpdateFn: (() => void) | null = null;
  private changeListeners = new Set<(s: Status) => void>();
  private nonce = 0;

  constructor(params: UiParams, private readonly initialState: string | null = null) {
    this.params = params;
    const savedTheme = lsGet(LS_THEME);
    this.theme =
      params.theme ??
      (savedTheme === 'light' || savedTheme === 'dark'
        ? savedTheme
        : typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: light)').matches
          ? 'light'
          : 'dark');
    this.screenReader = lsGet(LS_SR) === '1';
    const coarse = typeof matchMedia !== 'undefined' && matchMedia('(pointer: coarse)').matches;
    const t = lsGet(LS_TOUCH);
    this.touchInput = t === null ? coarse : t === '1';
    if (params.lesson) this.sideTab = 'lesson';
    this.bridge = new SandboxBridge(
      async (line) => {
        const r = await this.exec(line);
        return r ? { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr } : { exitCode: 255, stdout: '', stderr: 'nimbus: not ready\n' };
      },
      params.parentOrigin,
    );
    // Start the Worker download and boot now, in parallel with mounting the UI.
    try {
      const pair = connectWorker();
      this.api = pair.api;
      this.worker = pair.worker;
    } catch (e) {
      this.startError = `The sandbox could not start: ${(e as Error)?.message ?? e}`;
    }
  }

  /** Connect to the Worker and open the saved (or scratch / carried) state. */
  async start(): Promise<void> {
    try {
      if (!this.api) throw new Error(this.startError ?? 'no worker');
      const opts: StartOptions = {};
      if (this.params.fresh) opts.fresh = true;
      if (this.initialState) opts.initialState = this.initialState;
      if (this.params.lesson) opts.lessonId = this.params.lesson;
      // A Worker that failed to load never answers: say so instead of waiting forever.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const r = await Promise.race([
        this.api.start(opts),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('the engine did not answer within 30 seconds; try reloading the page')), 30_000);
        }),
      ]).finally(() => clearTimeout(timer));
      this.status = r.status;
      this.history = r.history;
      await this.api.subscribe(proxy((s: Status) => this.onStatus(s)));
      void this.refreshFiles();
    } catch (e) {
      this.startError = `The sandbox could not start: ${(e as Error)?.message ?? e}`;
      throw e;
    }
  }

  private filesTimer: ReturnType<typeof setTimeout> | undefined;

  private onStatus(s: Status): void {
    this.status = s;
    this.changeCount++;
    // Coalesce: a burst of changes (a pasted script, a benchmark) asks for the file list once.
    clearTimeout(this.filesTimer);
    this.filesTimer = setTimeout(() => void this.refreshFiles(), 150);
    for (const cb of this.changeListeners) {
      try {
        cb(s);
      } catch (e) {
        console.error(e);
      }
    }
    this.bridge.emit('state', s);
  }

  onChange(cb: (status: Status) => void): () => void {
    this.changeListeners.add(cb);
    return () => this.changeListeners.delete(cb);
  }

  showTab(tab: SideTab): void {
    this.sideTab = tab;
  }

  /** Run a line through the terminal (shown there as if typed). */
  exec(line: string): Promise<ExecResult | null> {
    if (!this.terminal) return Promise.resolve(null);
    return this.terminal.exec(line);
  }

  /** The terminal's path to the Worker. */
  async execRaw(line: string): Promise<ExecResult> {
    if (!this.api) throw new Error('not started');
    const interrupted = new Promise<never>((_, reject) => (this.interruptPending = reject));
    try {
      const r = await Promise.race([this.api.exec(line), interrupted]);
      this.status = r.status; // panels refresh from the change notification (subscribe)
      return r;
    } finally {
      this.interruptPending = null;
    }
  }

  /**
   * Ctrl-C while a command runs. The engine runs each line synchronously, so a
   * runaway line (a pathological regular expression, a huge jq range) cannot be
   * told to stop: the Worker is terminated and a new one opens the saved state.
   * The interrupted line changed nothing, since a line's changes are saved whole
   * or not at all. A scratch state (?fresh=1, a follower tab) starts over.
   */
  async interrupt(): Promise<string | null> {
    const reject = this.interruptPending;
    if (!reject || !this.worker) return null;
    const scratch = this.status?.save !== 'saved' && this.status?.save !== 'saving';
    this.worker.terminate();
    const pair = connectWorker();
    this.api = pair.api;
    this.worker = pair.worker;
    reject(new Error('interrupted'));
    await this.start();
    return scratch
      ? 'nimbus: interrupted: the engine was restarted; this tab\'s state was not being saved (scratch, follower or memory-only), so it starts over.\n'
      : 'nimbus: interrupted: the engine was restarted from the saved state; the interrupted command changed nothing.\n';
  }

  async afterResult(line: string, r: ExecResult): Promise<void> {
    const text = stripAnsi([r.stdout, r.stderr].filter(Boolean).join('\n'));
    this.lastResultText = (text.length > 4000 ? text.slice(0, 4000) + '\n(output truncated; the full text is in the terminal)' : text) || `(no output, exit code ${r.exitCode})`;
    for (const e of r.effects) await this.applyEffect(e);
    this.bridge.emit('result', { line, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr });
  }

  async applyEffect(e: Effect): Promise<void> {
    switch (e.type) {
      case 'open-editor':
        await this.openFile(e.path);
        return;
      case 'clear-screen':
        return; // the terminal handles it before printing
      case 'download':
        await this.downloadFile(e.path);
        return;
      case 'confirm-reset':
        await this.reset();
        return;
      case 'state-replaced':
        await this.refreshAll();
        return;
      case 'lesson':
        if (e.action !== 'close') this.sideTab = 'lesson';
        return;
      case 'open-url':
        if (/^https?:\/\/[^/]+\.s3-website[.-]/i.test(e.url)) {
          this.previewUrl = e.url;
          this.sideTab = 'preview';
          return;
        }
        window.open(e.url, '_blank', 'noopener');
        return;
    }
  }

  async refreshAll(): Promise<void> {
    if (!this.api) return;
    this.status = await this.api.status();
    this.history = await this.api.history();
    this.terminal?.editor.setHistory(this.history);
    this.changeCount++;
    await this.refreshFiles();
  }

  async refreshFiles(): Promise<void> {
    if (!this.api) return;
    try {
      this.files = await this.api.listFiles();
    } catch {
      /* keep the old list */
    }
  }

  async openFile(path: string): Promise<void> {
    if (!this.api) return;
    if (this.openFileReq && this.editorDirty && this.openFileReq.path !== path) {
      if (!window.confirm(`${this.openFileReq.path} has unsaved changes. Open ${path} and lose them?`)) return;
    }
    const r = await this.api.readFile(path);
    // A file that does not exist yet opens empty; saving creates it.
    const text = r.ok ? r.text : '';
    this.editorDirty = false;
    this.openFileReq = { path, text, nonce: ++this.nonce };
  }

  async saveFile(path: string, text: string): Promise<boolean> {
    if (!this.api) return false;
    const r = await this.api.writeFile(path, text);
    if (!r.ok) {
      this.notice = `Could not save ${path}: ${r.error}`;
      return false;
    }
    this.editorDirty = false;
    this.changeCount++;
    void this.refreshFiles();
    return true;
  }

  /** Close the editor; asks first when there are unsaved changes. */
  closeEditor(): boolean {
    if (this.editorDirty && this.openFileReq && !window.confirm(`${this.openFileReq.path} has unsaved changes. Close it anyway?`)) return false;
    this.openFileReq = null;
    this.editorDirty = false;
    this.terminal?.focus();
    return true;
  }

  async downloadFile(path: string): Promise<void> {
    if (!this.api) return;
    const r = await this.api.readFile(path);
    if (!r.ok) {
      this.notice = `Could not download ${path}: ${r.error}`;
      return;
    }
    saveBlob(new Blob([r.text], { type: 'application/octet-stream' }), path.split('/').pop() || 'download');
  }

  async exportState(): Promise<void> {
    if (!this.api) return;
    const json = await this.api.exportState();
    saveBlob(new Blob([json], { type: 'application/json' }), 'nimbus-state.json');
  }

  /** Replace the state with an exported one (a file the learner picked). */
  async importState(json: string): Promise<void> {
    if (!this.api) return;
    if (!window.confirm('Replace the current sandbox with the imported state?')) return;
    const r = await this.api.importState(json);
    if (!r.ok) {
      this.notice = `Could not import: ${r.error}`;
      return;
    }
    this.openFileReq = null;
    this.editorDirty = false;
    await this.refreshAll();
    void this.terminal?.notice('The imported state is loaded.');
  }

  async reset(): Promise<void> {
    if (!this.api) return;
    if (!window.confirm('Reset the sandbox? Every resource, object and home-folder file is deleted; the command history and lesson progress are kept.')) return;
    this.status = await this.api.reset();
    this.openFileReq = null;
    this.editorDirty = false;
    await this.refreshAll();
    this.terminal?.clearScreen();
    void this.terminal?.notice('The sandbox was reset.');
  }

  /** Open this state in a full sandbox tab (the embed's storage is separate). */
  async openInFull(): Promise<void> {
    if (!this.api) return;
    const json = await this.api.exportState();
    const base = new URL(import.meta.env.BASE_URL, location.href).toString();
    const { fullSandboxUrl } = await import('./embed/share');
    const url = fullSandboxUrl(base, json);
    if (url.length > 1_500_000) {
      // Browsers cap URL length (about 2 MB in Chromium): hand over a file instead.
      this.notice = 'This state is too large for a link: it was downloaded instead. Open the full sandbox and use Import in its status line.';
      saveBlob(new Blob([json], { type: 'application/json' }), 'nimbus-state.json');
      return;
    }
    window.open(url, '_blank', 'noopener');
  }

  setTheme(t: ThemeName): void {
    this.theme = t;
    lsSet(LS_THEME, t);
  }
  setScreenReader(on: boolean): void {
    this.screenReader = on;
    lsSet(LS_SR, on ? '1' : '0');
  }
  setTouchInput(on: boolean): void {
    this.touchInput = on;
    lsSet(LS_TOUCH, on ? '1' : '0');
  }

  /** A new app version is waiting (service worker); `apply` reloads into it. */
  offerUpdate(apply: () => void): void {
    this.applyUpdateFn = apply;
    this.updateReady = true;
  }
  get inLesson(): boolean {
    return !!this.status?.lessonId;
  }
  applyUpdate(): void {
    if (this.inLesson || !this.applyUpdateFn) return;
    this.applyUpdateFn();
  }
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
