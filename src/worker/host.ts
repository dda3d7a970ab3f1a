/**
 * The Worker's side of NimbusWorkerApi, as a plain class so tests run it in
 * Node (fake-indexeddb, a fake lock manager). worker.ts exposes one instance
 * with comlink.
 *
 * Every call runs in one queue, one at a time: a line's changes are written to
 * IndexedDB (one transaction) before its result is returned and before the
 * next call starts.
 */
import { Sandbox } from '../engine/sandbox';
import { mergeChanges } from '../engine/sandbox';
import type { Change } from '../engine/store/db';
import { HOME, resolvePath, displayPath } from '../engine/vfs';
import { runView } from '../engine/views';
import { exportStateJson, importState, SnapshotError } from '../engine/snapshot';
import { Session } from '../cli/session';
import type { LineResult, CompletionResult } from '../cli/types';
import { UndoStack, attachUndoStack } from '../cli/undo';
import { resetSandbox } from '../cli/sandbox/core';
import { Persistence, COMPACT_AFTER } from './persistence';
import { runAfterExec, currentLessonId, type AfterExecKind } from './hooks';
import { PROTOCOL_VERSION, type NimbusWorkerApi, type StartOptions, type Status, type ExecResult, type SaveState } from './protocol';

/** The part of the Web Locks API the host uses (navigator.locks). */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean; mode?: 'exclusive' | 'shared' }, cb: (lock: unknown) => Promise<unknown> | unknown): Promise<unknown>;
}

export interface HostOptions {
  /** IndexedDB database name (tests use their own). */
  dbName?: string;
  /** navigator.locks, or a stand-in; null means no locking available. */
  locks?: LockManagerLike | null;
  /** Lines of undo kept. */
  undoLimit?: number;
}

export const LOCK_NAME = 'nimbus-owner';
/** Subscribers hear about changes at most this often (ms): about one frame. */
export const NOTIFY_MS = 16;
/** A follower tab reloads the saved state this long after the owner saved (ms). */
export const FOLLOW_MS = 150;
/** The saved log is compacted after this long without a new line (ms). */
export const COMPACT_IDLE_MS = 300;

export const FOLLOWER_MESSAGE = 'Nimbus is open in another tab; changes here are not saved. Until you run something here, this tab follows the other one. Close the other tab and reload this one to continue your saved work.';
export const SCRATCH_MESSAGE = 'This is a scratch sandbox: nothing you do here is saved. Use `sandbox export` to keep it.';
export const SHARED_STATE_MESSAGE = 'Started from a shared state: changes here are not saved over your own sandbox. Use `sandbox export` to keep them.';
export const TAKEOVER_MESSAGE = 'The other Nimbus tab was closed. Reload this tab to continue with your saved work.';

export class NimbusHost implements NimbusWorkerApi {
  private sandbox: Sandbox = new Sandbox();
  private session: Session = new Session(this.sandbox);
  private undoStack: UndoStack;
  private persistence: Persistence | null = null;
  private role: 'owner' | 'follower' | 'scratch' = 'scratch';
  private started: Promise<{ status: Status; history: string[] }> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private subscribers: ((status: Status) => void)[] = [];
  private releaseLock: (() => void) | null = null;
  private extraMessage: string | undefined;
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private compactTimer: ReturnType<typeof setTimeout> | null = null;
  /** Owner: tells followers a line was saved. Follower: hears it. */
  private channel: BroadcastChannel | null = null;
  private followTimer: ReturnType<typeof setTimeout> | null = null;
  private announceTimer: ReturnType<typeof setTimeout> | null = null;
  /** A follower that changed its copy stops following (and does not take over silently). */
  private followerDirty = false;
  private readonly opts: HostOptions;

  constructor(opts: HostOptions = {}) {
    this.opts = opts;
    this.undoStack = attachUndoStack(this.sandbox, new UndoStack(opts.undoLimit));
  }

  /** Run calls one at a time, in order. */
  private serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private locks(): LockManagerLike | null {
    if (this.opts.locks !== undefined) return this.opts.locks;
    const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
    return nav?.locks ?? null;
  }

  /** Try to take the owner lock without waiting; true when this tab owns the saved state. */
  private tryLock(): Promise<boolean> {
    const locks = this.locks();
    if (!locks) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      locks
        .request(LOCK_NAME, { ifAvailable: true }, (lock) => {
          if (!lock) {
            resolve(false);
            return undefined;
          }
          resolve(true);
          return new Promise<void>((release) => (this.releaseLock = release));
        })
        .catch(() => resolve(true));
    });
  }

  /** As a follower, wait for the owner to go away, then take over (if nothing was done here) or say so. */
  private waitForOwnership(): void {
    const locks = this.locks();
    if (!locks) return;
    void locks
      .request(LOCK_NAME, {}, () => {
        return new Promise<void>((release) => {
          this.releaseLock = release;
          void this.serial(async () => {
            if (this.role !== 'follower') return;
            if (!this.followerDirty) {
              await this.becomeOwner();
            } else this.extraMessage = TAKEOVER_MESSAGE;
            this.notify();
          });
        });
      })
      .catch(() => undefined);
  }

  private install(sandbox: Sandbox): void {
    this.sandbox = sandbox;
    this.session = new Session(sandbox);
    this.undoStack = attachUndoStack(sandbox, new UndoStack(this.opts.undoLimit));
  }

  private async becomeOwner(): Promise<void> {
    this.persistence?.close();
    const p = await Persistence.open({ name: this.opts.dbName });
    const { sandbox } = await p.load();
    this.persistence = p;
    this.install(sandbox);
    this.role = 'owner';
    this.extraMessage = undefined;
    this.openChannel();
  }

  private openChannel(): void {
    this.channel?.close();
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`nimbus-state:${this.opts.dbName ?? 'nimbus'}`) : null;
    if (this.channel && this.role === 'follower') this.channel.onmessage = () => this.scheduleFollow();
  }

  /** Follower: reload the saved state shortly after the owner saved (while nothing was done here). */
  private scheduleFollow(): void {
    if (this.followerDirty || this.followTimer !== null) return;
    this.followTimer = setTimeout(() => {
      this.followTimer = null;
      void this.serial(async () => {
        if (this.role !== 'follower' || this.followerDirty || !this.persistence) return;
        const { sandbox, empty } = await this.persistence.load();
        if (empty) return; // nothing readable: keep what this tab shows
        this.install(sandbox);
        this.notify();
      });
    }, FOLLOW_MS);
  }

  start(opts: StartOptions = {}): Promise<{ status: Status; history: string[] }> {
    if (this.started) return this.started;
    this.started = this.serial(async () => {
      if (opts.fresh || opts.initialState !== undefined) {
        this.role = 'scratch';
        this.persistence = await Persistence.open({ scratch: true });
        this.install(new Sandbox());
        this.extraMessage = opts.initialState !== undefined ? SHARED_STATE_MESSAGE : SCRATCH_MESSAGE;
        if (opts.initialState !== undefined) {
          try {
            importState(this.sandbox, opts.initialState);
          } catch (e) {
            this.extraMessage = `The shared state could not be opened (${e instanceof Error ? e.message : String(e)}); this is a fresh scratch sandbox.`;
          }
        }
      } else if (await this.tryLock()) {
        await this.becomeOwner();
      } else {
        this.role = 'follower';
        this.persistence = await Persistence.open({ name: this.opts.dbName, scratch: true, readSaved: true });
        const { sandbox } = await this.persistence.load();
        this.install(sandbox);
        this.extraMessage = FOLLOWER_MESSAGE;
        this.openChannel();
        this.waitForOwnership();
      }
      this.sandbox.takeChanges();
      for (const line of opts.run ?? []) await this.runLine(line, false);
      if (opts.lessonId) await this.runLine(`sandbox lesson start ${opts.lessonId}`, false);
      await runAfterExec({ kind: 'start', sandbox: this.sandbox, session: this.session });
      const startChanges = this.sandbox.takeChanges();
      if (this.role === 'owner') await this.persist(startChanges);
      return { status: this.statusNow(), history: this.session.history() };
    });
    return this.started;
  }

  private saveState(): SaveState {
    if (this.role === 'follower') return 'follower';
    if (this.role === 'scratch') return 'scratch';
    return this.persistence?.mode === 'saved' ? 'saved' : 'memory-only';
  }

  private statusNow(): Status {
    const save = this.saveState();
    const message = save === 'memory-only' ? this.persistence?.message : this.extraMessage;
    return {
      protocol: PROTOCOL_VERSION,
      clock: this.sandbox.now(),
      region: this.session.region,
      cwd: displayPath(this.session.shell.cwd),
      save,
      ...(message ? { saveMessage: message } : {}),
      lessonId: currentLessonId(this.sandbox),
      undo: this.undoStack.size,
    };
  }

  private async persist(changes: Change[]): Promise<void> {
    if (this.role === 'follower' && changes.length) this.followerDirty = true;
    if (this.role !== 'owner' || !this.persistence || !changes.length) return;
    if (await this.persistence.save(changes)) this.announceSaved();
    if (this.persistence.pendingLog >= COMPACT_AFTER) this.scheduleCompaction();
  }

  /**
   * Tell follower tabs that the saved state changed: once per burst of lines,
   * after the line's result has gone back (followers reload FOLLOW_MS later anyway).
   */
  private announceSaved(): void {
    if (this.announceTimer !== null || !this.channel) return;
    this.announceTimer = setTimeout(() => {
      this.announceTimer = null;
      this.channel?.postMessage('saved');
    }, 0);
  }

  /** Fold the saved log into the tables once the terminal has been quiet for a moment. */
  private scheduleCompaction(): void {
    if (this.compactTimer !== null) clearTimeout(this.compactTimer);
    this.compactTimer = setTimeout(() => {
      this.compactTimer = null;
      void this.serial(async () => {
        if (this.role === 'owner' && this.persistence) await this.persistence.compact();
      });
    }, COMPACT_IDLE_MS);
  }

  private async persistAll(): Promise<void> {
    if (this.role === 'follower') this.followerDirty = true;
    if (this.role === 'owner' && this.persistence && (await this.persistence.replaceAll(this.sandbox))) this.channel?.postMessage('saved');
  }

  /**
   * After something changed state: record undo (under `label`), run the hooks,
   * write everything in one transaction, tell subscribers. Returns how long the
   * hooks and the save took (ms).
   */
  private async afterChange(kind: AfterExecKind, label: string | undefined, result?: LineResult): Promise<{ hooksMs: number; saveMs: number }> {
    const lineChanges = this.sandbox.takeChanges();
    const replaced = result?.effects.some((e) => e.type === 'state-replaced') || kind === 'import' || kind === 'reset';
    if (replaced) this.undoStack.clear();
    else if (label !== undefined) this.undoStack.record(lineChanges, label);
    const t0 = performance.now();
    await runAfterExec({ kind, line: label, result, sandbox: this.sandbox, session: this.session });
    const hookChanges = this.sandbox.takeChanges();
    const t1 = performance.now();
    if (replaced) await this.persistAll();
    else await this.persist(hookChanges.length ? mergeChanges([...lineChanges, ...hookChanges]) : lineChanges);
    const t2 = performance.now();
    this.notify();
    return { hooksMs: t1 - t0, saveMs: t2 - t1 };
  }

  private async runLine(line: string, withHistory: boolean): Promise<ExecResult> {
    const t0 = performance.now();
    // As bash: the line joins the history before it runs (`history` lists itself, `history -c` clears it too).
    if (withHistory) this.session.addHistory(line);
    let result: LineResult;
    try {
      result = this.session.run(line);
    } catch (e) {
      result = { exitCode: 255, stdout: '', stderr: `nimbus: internal error: ${e instanceof Error ? e.message : String(e)}\n`, effects: [] };
    }
    const runMs = performance.now() - t0;
    const { hooksMs, saveMs } = await this.afterChange('exec', line, result);
    return { ...result, status: this.statusNow(), timings: { runMs, hooksMs, saveMs } };
  }

  exec(line: string): Promise<ExecResult> {
    return this.serial(() => this.runLine(line, true));
  }

  /** Undo / redo the last line (the UI's buttons; the terminal has `sandbox undo`). Not added to history. */
  undo(): Promise<ExecResult> {
    return this.serial(() => this.runLine('sandbox undo', false));
  }
  redo(): Promise<ExecResult> {
    return this.serial(() => this.runLine('sandbox redo', false));
  }

  complete(line: string, cursor: number): Promise<CompletionResult> {
    return this.serial(() => this.session.complete(line, cursor));
  }

  status(): Promise<Status> {
    return this.serial(() => this.statusNow());
  }

  history(): Promise<string[]> {
    return this.serial(() => this.session.history());
  }

  private homePath(path: string): string {
    return resolvePath(path, HOME);
  }

  readFile(path: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
    return this.serial(() => {
      try {
        return { ok: true as const, text: this.sandbox.vfs.readText(this.homePath(path)) };
      } catch (e) {
        return { ok: false as const, error: e instanceof Error ? e.message : String(e) };
      }
    });
  }

  writeFile(path: string, text: string): Promise<{ ok: true } | { ok: false; error: string }> {
    return this.serial(async () => {
      const abs = this.homePath(path);
      if (!abs.startsWith(HOME + '/')) return { ok: false as const, error: `${path}: files can only be written inside the home folder` };
      try {
        this.sandbox.mutate((sb) => sb.vfs.writeText(abs, text, { createParents: true }));
      } catch (e) {
        return { ok: false as const, error: e instanceof Error ? e.message : String(e) };
      }
      await this.afterChange('edit', `edit ${displayPath(abs)}`);
      return { ok: true as const };
    });
  }

  /** Every file in the home folder, relative to it ("taskdef.json", "site/index.html"). */
  listFiles(): Promise<string[]> {
    return this.serial(() => this.sandbox.vfs.walk(HOME).map((p) => p.slice(HOME.length + 1)));
  }

  exportState(): Promise<string> {
    return this.serial(() => exportStateJson(this.sandbox));
  }

  importState(json: string): Promise<{ ok: true } | { ok: false; error: string }> {
    return this.serial(async () => {
      try {
        importState(this.sandbox, json);
      } catch (e) {
        if (e instanceof SnapshotError) return { ok: false as const, error: `Not a valid Nimbus state: ${e.message}` };
        return { ok: false as const, error: e instanceof Error ? e.message : String(e) };
      }
      await this.afterChange('import', undefined);
      return { ok: true as const };
    });
  }

  reset(): Promise<Status> {
    return this.serial(async () => {
      resetSandbox(this.sandbox);
      await this.afterChange('reset', undefined);
      return this.statusNow();
    });
  }

  view(name: string, args: Record<string, unknown> = {}): Promise<unknown> {
    return this.serial(() => runView(this.sandbox, name, args));
  }

  subscribe(cb: (status: Status) => void): Promise<void> {
    this.subscribers.push(cb);
    return Promise.resolve();
  }

  /**
   * Tell subscribers the state changed, at most once per NOTIFY_MS: a burst of
   * lines (a pasted script, ?run=, a benchmark) gives one update per frame,
   * with the latest status. Each exec's caller has its status in the result.
   */
  private notify(): void {
    if (this.notifyTimer !== null) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      const status = this.statusNow();
      for (const cb of [...this.subscribers]) {
        try {
          const r = cb(status) as unknown;
          if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch(() => this.unsubscribe(cb));
        } catch {
          this.unsubscribe(cb);
        }
      }
    }, NOTIFY_MS);
  }

  private unsubscribe(cb: (status: Status) => void): void {
    this.subscribers = this.subscribers.filter((c) => c !== cb);
  }

  /** Tests and the page's unload: let go of the database and the lock. */
  close(): void {
    if (this.notifyTimer !== null) clearTimeout(this.notifyTimer);
    if (this.compactTimer !== null) clearTimeout(this.compactTimer);
    if (this.followTimer !== null) clearTimeout(this.followTimer);
    if (this.announceTimer !== null) clearTimeout(this.announceTimer);
    this.notifyTimer = this.compactTimer = this.followTimer = this.announceTimer = null;
    this.channel?.close();
    this.channel = null;
    this.persistence?.close();
    this.releaseLock?.();
    this.releaseLock = null;
  }
}
