/**
 * What the app hands to panels written by other parts (the lesson panel in
 * src/ui/lessons/LessonPanel.svelte, the cluster picture in
 * src/ui/cluster/ClusterView.svelte). Both receive it as the prop `host`.
 * Reading `status` or `changeCount` inside a Svelte effect or $derived makes
 * the panel refresh after every change of state.
 */
import type { Remote } from 'comlink';
import type { NimbusWorkerApi, Status, ExecResult } from '../worker/protocol';

export interface UiHost {
  /** The Worker API (view(), status(), readFile() ...). Null until started. */
  readonly api: Remote<NimbusWorkerApi> | null;
  /** Latest status (reactive). */
  readonly status: Status | null;
  /** Increases after every change of state (reactive). */
  readonly changeCount: number;
  /** Run a line through the terminal, as if typed (it shows there). */
  exec(line: string): Promise<ExecResult | null>;
  /** Open a home-folder file in the editor pane. */
  openFile(path: string): Promise<void>;
  /** Show a side-panel tab: 'lesson' | 'resources' | 'cluster' | 'files'. */
  showTab(tab: SideTab): void;
  /** Called after every change of state; returns an unsubscribe function. */
  onChange(cb: (status: Status) => void): () => void;
}

export type SideTab = 'lesson' | 'resources' | 'cluster' | 'files' | 'preview';
