// A tiny static server for dist/ (and in-memory pages), loopback only, with
// the MIME types a PWA needs. Used by the browser tests and the benchmarks.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Start a server on 127.0.0.1. `root` is served as static files; `pages`
 * maps a URL path to {type, body} served from memory. `gzip` compresses text
 * responses (for realistic transfer sizes in benchmarks).
 * Resolves to {port, origin, close(), requests, log}: requests lists every URL path,
 * log the same with the time each request arrived (ms since the epoch).
 */
export function startServer({ root = null, pages = {}, port = 0, gzip = false, host = '127.0.0.1' } = {}) {
  const requests = [];
  const log = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let p = decodeURIComponent(url.pathname);
    requests.push(p);
    log.push({ path: p, t: Date.now() });
    const send = (status, type, body) => {
      // Hashed build assets are immutable (as on any static host); the rest is revalidated.
      const immutable = status === 200 && /^\/assets\/.+-[\w-]{8,}\.\w+$/.test(p);
      const headers = { 'Content-Type': type, 'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' };
      let data = body;
      if (gzip && /text|javascript|json|svg|css/.test(type) && /gzip/.test(String(req.headers['accept-encoding'] ?? ''))) {
        data = zlib.gzipSync(body);
        headers['Content-Encoding'] = 'gzip';
      }
      headers['Content-Length'] = String(data.length);
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : data);
    };
    if (pages[p]) {
      const pg = pages[p];
      return send(200, pg.type ?? MIME['.html'], Buffer.from(typeof pg.body === 'function' ? pg.body() : pg.body));
    }
    if (!root) return send(404, MIME['.txt'], Buffer.from('not found'));
    if (p.endsWith('/')) p += 'index.html';
    const file = path.normalize(path.join(root, p));
    if (!file.startsWith(path.normalize(root))) return send(403, MIME['.txt'], Buffer.from('forbidden'));
    fs.readFile(file, (err, data) => {
      if (err) return send(404, MIME['.txt'], Buffer.from('not found'));
      send(200, MIME[path.extname(file)] ?? 'application/octet-stream', data);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve({
        port: addr.port,
        origin: `http://${host}:${addr.port}`,
        requests,
        log,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}
