/*!
 * Nimbus embed: <nimbus-sandbox> puts a live AWS S3/ECS sandbox in any page.
 *
 *   <script src="https://YOUR-NIMBUS-HOST/embed.js"></script>
 *   <nimbus-sandbox lesson="s3/01-first-bucket" layout="terminal" height="400" theme="dark"></nimbus-sandbox>
 *
 * Attributes: src (the Nimbus app URL; default: where this script came from),
 * lesson, layout (terminal|editor|full), height (px or any CSS length),
 * theme (light|dark), run (commands, one per line), persist (keep state
 * between visits instead of a scratch state).
 * Methods: el.exec(line) -> Promise<{exitCode, stdout, stderr}>.
 * Events: 'ready', 'result' (detail: result), 'state' (detail: status), 'error'.
 * Protocol: versioned handshake nimbus:hello / nimbus:ready (version 1).
 */
(() => {
  'use strict';
  const PROTOCOL_VERSION = 1;
  const script = document.currentScript;
  const DEFAULT_BASE = script && script.src ? new URL('./', script.src).href : new URL('./', location.href).href;

  class NimbusSandbox extends HTMLElement {
    static get observedAttributes() {
      return ['src', 'lesson', 'layout', 'height', 'theme', 'run', 'persist'];
    }

    constructor() {
      super();
      this.ready = false;
      this._seq = 0;
      this._pending = new Map();
      this._queue = [];
      this._iframe = null;
      this._hello = null;
      this._onMessage = this._onMessage.bind(this);
      this.attachShadow({ mode: 'open' });
    }

    connectedCallback() {
      window.addEventListener('message', this._onMessage);
      this._render();
    }

    disconnectedCallback() {
      window.removeEventListener('message', this._onMessage);
      clearInterval(this._hello);
      for (const p of this._pending.values()) p.reject(new Error('the sandbox was removed'));
      this._pending.clear();
    }

    attributeChangedCallback(_name, oldValue, newValue) {
      if (oldValue !== newValue && this.isConnected && this._iframe) this._render();
    }

    /** Run a command line in the embedded terminal. */
    exec(line) {
      return new Promise((resolve, reject) => {
        const id = ++this._seq;
        this._pending.set(id, { resolve, reject });
        const msg = { type: 'nimbus:exec', id, line: String(line) };
        if (this.ready) this._post(msg);
        else this._queue.push(msg);
      });
    }

    get appUrl() {
      const base = this.getAttribute('src') || DEFAULT_BASE;
      const u = new URL(base, location.href);
      u.searchParams.set('embed', '1');
      u.searchParams.set('parentOrigin', location.origin);
      if (!this.hasAttribute('persist')) u.searchParams.set('fresh', '1');
      for (const a of ['lesson', 'layout', 'theme', 'run']) {
        const v = this.getAttribute(a);
        if (v) u.searchParams.set(a, v);
      }
      return u;
    }

    _render() {
      this.ready = false;
      clearInterval(this._hello);
      const url = this.appUrl;
      this._origin = url.origin;
      const h = this.getAttribute('height') || '420';
      const height = /^\d+$/.test(h) ? `${h}px` : h;
      this.shadowRoot.innerHTML = `<style>
  :host { display: block; }
  iframe { display: block; width: 100%; height: ${height}; border: 1px solid #8884; border-radius: 8px; background: #14171c; }
</style>`;
      const iframe = document.createElement('iframe');
      iframe.title = 'Nimbus AWS sandbox';
      iframe.setAttribute('allow', 'clipboard-read; clipboard-write');
      iframe.setAttribute('loading', 'lazy');
      iframe.src = url.href;
      iframe.addEventListener('load', () => this._startHandshake());
      this.shadowRoot.appendChild(iframe);
      this._iframe = iframe;
    }

    _startHandshake() {
      clearInterval(this._hello);
      let tries = 0;
      const hello = () => {
        if (this.ready || ++tries > 120) return clearInterval(this._hello);
        this._post({ type: 'nimbus:hello', version: PROTOCOL_VERSION });
      };
      hello();
      this._hello = setInterval(hello, 250);
    }

    _post(msg) {
      if (this._iframe && this._iframe.contentWindow) this._iframe.contentWindow.postMessage(msg, this._origin);
    }

    _onMessage(ev) {
      if (!this._iframe || ev.source !== this._iframe.contentWindow || ev.origin !== this._origin) return;
      const d = ev.data;
      if (!d || typeof d.type !== 'string') return;
      if (d.type === 'nimbus:ready') {
        if (this.ready) return;
        clearInterval(this._hello);
        if (d.version !== PROTOCOL_VERSION) {
          this.dispatchEvent(new CustomEvent('error', { detail: { message: `Nimbus speaks protocol ${d.version}, this embed.js speaks ${PROTOCOL_VERSION}` } }));
        }
        this.ready = true;
        const q = this._queue;
        this._queue = [];
        for (const m of q) this._post(m);
        this.dispatchEvent(new CustomEvent('ready', { detail: { version: d.version } }));
      } else if (d.type === 'nimbus:result') {
        const p = this._pending.get(d.id);
        if (p) {
          this._pending.delete(d.id);
          const r = { exitCode: d.exitCode, stdout: d.stdout, stderr: d.stderr };
          p.resolve(r);
          this.dispatchEvent(new CustomEvent('result', { detail: r }));
        }
      } else if (d.type === 'nimbus:state') {
        this.dispatchEvent(new CustomEvent('state', { detail: d.status }));
      } else if (d.type === 'nimbus:error') {
        const p = d.id !== undefined ? this._pending.get(d.id) : undefined;
        if (p) {
          this._pending.delete(d.id);
          p.reject(new Error(d.message));
        }
        this.dispatchEvent(new CustomEvent('error', { detail: { message: d.message } }));
      }
    }
  }

  if (!customElements.get('nimbus-sandbox')) customElements.define('nimbus-sandbox', NimbusSandbox);
})();
