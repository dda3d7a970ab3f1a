/**
 * The page's scripting surface: `window.sandbox` (exec + events) and a
 * postMessage bridge for a parent page that embeds Nimbus in an iframe.
 *
 * Messages (all carry `type`):
 *   parent -> nimbus  {type:'nimbus:hello', version}            handshake
 *   nimbus -> parent  {type:'nimbus:ready', version, protocol}  when the terminal takes input
 *   parent -> nimbus  {type:'nimbus:exec', id, line}
 *   nimbus -> parent  {type:'nimbus:result', id, exitCode, stdout, stderr}
 *   nimbus -> parent  {type:'nimbus:state', status}            after each change of state
 *   nimbus -> parent  {type:'nimbus:error', id?, message}      refused or unknown request
 * Other origins are accepted only when they equal `?parentOrigin=`.
 */
export const EMBED_PROTOCOL_VERSION = 1;

export interface ExecOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type SandboxEvent = 'ready' | 'result' | 'state';

export interface SandboxApi {
  readonly version: number;
  exec(line: string): Promise<ExecOutcome>;
  on(event: SandboxEvent, cb: (data: unknown) => void): () => void;
}

declare global {
  interface Window {
    sandbox?: SandboxApi;
  }
}

export function isAllowedOrigin(origin: string, selfOrigin: string, parentOrigin: string | null): boolean {
  if (origin === selfOrigin) return true;
  return parentOrigin !== null && origin === parentOrigin;
}

export class SandboxBridge {
  private listeners = new Map<SandboxEvent, Set<(data: unknown) => void>>();
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  /** Windows that said hello (and their origins), told about state changes. */
  private peers = new Map<MessageEventSource, string>();

  constructor(
    private exec: (line: string) => Promise<ExecOutcome>,
    private parentOrigin: string | null,
    private readonly win: Window = window,
  ) {}

  install(): void {
    this.win.addEventListener('message', (ev) => void this.onMessage(ev));
  }

  /** The terminal takes input: set window.sandbox, fire nimbus:ready, answer waiting peers. */
  markReady(detail: unknown): void {
    if (this.ready) return;
    this.ready = true;
    const api: SandboxApi = {
      version: EMBED_PROTOCOL_VERSION,
      exec: (line) => this.exec(String(line)),
      on: (event, cb) => {
        let set = this.listeners.get(event);
        if (!set) this.listeners.set(event, (set = new Set()));
        set.add(cb);
        return () => set!.delete(cb);
      },
    };
    this.win.sandbox = api;
    this.win.dispatchEvent(new CustomEvent('nimbus:ready', { detail }));
    this.emit('ready', detail);
    for (const f of this.readyWaiters) f();
    this.readyWaiters = [];
    // An embedded page announces itself to the allowed parent without waiting for hello.
    if (this.win.parent && this.win.parent !== this.win && this.parentOrigin) {
      this.win.parent.postMessage({ type: 'nimbus:ready', version: EMBED_PROTOCOL_VERSION }, this.parentOrigin);
    }
  }

  emit(event: SandboxEvent, data: unknown): void {
    for (const cb of this.listeners.get(event) ?? []) {
      try {
        cb(data);
      } catch (e) {
        console.error(e);
      }
    }
    if (event === 'state') {
      for (const [peer, origin] of this.peers) this.post(peer, origin, { type: 'nimbus:state', status: data });
    }
  }

  private whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((r) => this.readyWaiters.push(r));
  }

  private post(target: MessageEventSource, origin: string, msg: unknown): void {
    try {
      (target as Window).postMessage(msg, origin === 'null' ? '*' : origin);
    } catch {
      /* the peer went away */
    }
  }

  private async onMessage(ev: MessageEvent): Promise<void> {
    const data = ev.data as { type?: unknown; id?: unknown; line?: unknown; version?: unknown } | null;
    if (!data || typeof data !== 'object' || typeof data.type !== 'string' || !data.type.startsWith('nimbus:')) return;
    if (!ev.source) return;
    const source = ev.source;
    if (!isAllowedOrigin(ev.origin, this.win.location.origin, this.parentOrigin)) {
      this.post(source, ev.origin, { type: 'nimbus:error', id: data.id, message: `origin ${ev.origin} is not allowed (see ?parentOrigin=)` });
      return;
    }
    switch (data.type) {
      case 'nimbus:hello': {
        this.peers.set(source, ev.origin);
        await this.whenReady();
        const ok = data.version === undefined || data.version === EMBED_PROTOCOL_VERSION;
        this.post(source, ev.origin, { type: 'nimbus:ready', version: EMBED_PROTOCOL_VERSION, compatible: ok });
        return;
      }
      case 'nimbus:exec': {
        if (typeof data.line !== 'string') {
          this.post(source, ev.origin, { type: 'nimbus:error', id: data.id, message: 'nimbus:exec needs a string line' });
          return;
        }
        await this.whenReady();
        const r = await this.exec(data.line);
        this.post(source, ev.origin, { type: 'nimbus:result', id: data.id, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr });
        return;
      }
      default:
        return;
    }
  }
}
