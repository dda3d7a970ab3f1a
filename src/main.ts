/**
 * Entry: read the URL parameters, mount the app, start the Worker, and when
 * the terminal takes input set window.sandbox and fire `nimbus:ready`.
 */
import './ui/styles.css';
import { mount } from 'svelte';
import App from './ui/App.svelte';
import { NimbusApp } from './ui/app.svelte';
import { parseParams } from './ui/params';
import type { TerminalController } from './ui/terminal/controller';

declare global {
  interface Window {
    /** Test hooks: the terminal's text, and printing through the output path. */
    __nimbusTerminalText?: () => string;
    __nimbusPrint?: (text: string, stream?: 'stdout' | 'stderr') => Promise<void>;
    __nimbusApp?: NimbusApp;
  }
}

const BANNER =
  '\x1b[1mNimbus\x1b[0m: a practice AWS account (S3 and ECS) that runs in this page, offline.\n' +
  "Type \x1b[36mhelp\x1b[0m for the commands; try \x1b[36maws s3 mb s3://my-first-bucket\x1b[0m. Tab completes, \u2191/\u2193 recall.\n\n";

async function boot(): Promise<void> {
  performance.mark('nimbus-boot');
  const params = parseParams(location.search);
  // State carried from an embed ("open in full sandbox"); fflate loads only then.
  let initial: string | null = null;
  if (location.hash.includes('state=')) {
    initial = (await import('./ui/embed/share')).stateFromHash(location.hash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  if (initial !== null && !window.confirm('This link carries a sandbox state. Open it here? It replaces the state saved in this browser.')) initial = null;

  const app = new NimbusApp(params, initial);
  app.bridge.install();
  window.__nimbusApp = app;
  let gotTerminal!: (c: TerminalController) => void;
  const terminalP = new Promise<TerminalController>((r) => (gotTerminal = r));
  const target = document.getElementById('app')!;
  target.textContent = '';
  mount(App, { target, props: { app, onterminal: (c: TerminalController) => gotTerminal(c) } });

  const [, term] = await Promise.all([app.start(), terminalP]);
  term.editor.setHistory(app.history);
  window.__nimbusTerminalText = () => term.bufferText();
  window.__nimbusPrint = (text, stream) => term.print(text, stream);
  term.start(params.embed ? '' : BANNER);
  for (const line of params.run) await term.exec(line);
  if (!params.embed) term.focus();
  performance.mark('nimbus-ready');
  app.ready = true;
  document.documentElement.dataset.ready = '1';
  app.bridge.markReady({ status: app.status });

  // The service worker (offline precache, update prompt) starts after the terminal is usable.
  if (import.meta.env.PROD && 'serviceWorker' in navigator) {
    setTimeout(() => {
      void import('virtual:pwa-register').then(({ registerSW }) => {
        const update = registerSW({
          immediate: true,
          onNeedRefresh() {
            app.offerUpdate(() => void update(true));
          },
        });
      });
    }, 1000);
  }
}

boot().catch((e) => {
  console.error(e);
  const el = document.getElementById('app');
  if (el && !el.querySelector('.app')) el.textContent = `Nimbus could not start: ${e?.message ?? e}`;
});
