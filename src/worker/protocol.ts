/**
 * The typed protocol between the UI (main thread) and the Worker that hosts
 * engine + CLI + lessons + persistence. Exposed with comlink; the UI holds a
 * `Remote<NimbusWorkerApi>`. Bump PROTOCOL_VERSION on any breaking change.
 */
import type { LineResult, CompletionResult } from '../cli/types';

export const PROTOCOL_VERSION = 1;

export interface StartOptions {
  /** Start a scratch state that never touches the saved one (?fresh=1, embeds). */
  fresh?: boolean;
  /**
   * An exported state (JSON text) to start from instead of the saved one (hash of
   * "open in full sandbox"). Runs as 'scratch': the learner's saved sandbox is
   * left alone (they can `sandbox export` and later `sandbox import` it there).
   */
  initialState?: string;
  /** A lesson to start once started (?lesson=s3/02-metadata): runs `sandbox lesson start ID`. */
  lessonId?: string;
  /** Lines to run once started (?run=...), not written to history. */
  run?: string[];
}

export type SaveState =
  | 'saved' // every change is in IndexedDB
  | 'saving'
  | 'memory-only' // IndexedDB unavailable, or quota exceeded: working in memory
  | 'follower' // another tab owns the saved state; this one runs a scratch copy
  | 'scratch'; // ?fresh=1, embeds or a shared initialState: never saved, by design

export interface Status {
  protocol: number;
  /** Simulated time, ms since the epoch. */
  clock: number;
  region: string;
  /** The prompt's folder, with HOME shown as ~. */
  cwd: string;
  save: SaveState;
  /** Plain-words explanation when save is not 'saved' (private mode, quota, other tab). */
  saveMessage?: string;
  /** Current lesson id, if one is running. */
  lessonId?: string | null;
  /** How many lines `sandbox undo` / `sandbox redo` can step over. */
  undo?: { undo: number; redo: number };
}

export interface ExecResult extends LineResult {
  status: Status;
  /** Where the time went in the Worker (ms): running the line, the after-exec hooks, the IndexedDB write. */
  timings?: { runMs: number; hooksMs: number; saveMs: number };
}

export interface NimbusWorkerApi {
  /** Open (or create) the saved state, take the ownership lock, return status and history. */
  start(opts: StartOptions): Promise<{ status: Status; history: string[] }>;
  /** Run one terminal line; its changes are in IndexedDB before this resolves. */
  exec(line: string): Promise<ExecResult>;
  complete(line: string, cursor: number): Promise<CompletionResult>;
  status(): Promise<Status>;
  history(): Promise<string[]>;
  /** Undo / redo the last command line (buttons); same as `sandbox undo|redo`, not added to history. */
  undo(): Promise<ExecResult>;
  redo(): Promise<ExecResult>;
  /**
   * Home-folder files for the editor and file list. readFile/writeFile take paths
   * absolute or relative to HOME; listFiles returns them relative to HOME
   * ("taskdef.json", "site/index.html"). writeFile counts as one undoable change
   * and runs the after-exec hooks (lesson checker).
   */
  readFile(path: string): Promise<{ ok: true; text: string } | { ok: false; error: string }>;
  writeFile(path: string, text: string): Promise<{ ok: true } | { ok: false; error: string }>;
  listFiles(): Promise<string[]>;
  /** The whole state as export JSON (for download, URL hash). */
  exportState(): Promise<string>;
  importState(json: string): Promise<{ ok: true } | { ok: false; error: string }>;
  reset(): Promise<Status>;
  /** A named read-only view of the model for panels (see src/engine/views.ts). */
  view(name: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Called after every change of state. Pass `Comlink.proxy(cb)` (client.ts re-exports proxy). */
  subscribe(cb: (status: Status) => void): Promise<void>;
}
