/**
 * Reload of a saved state with 100,000 S3 objects in Chromium (issue 4): the
 * state is generated here with the engine (one bucket, 100,000 small objects),
 * imported through the app's Worker (written to IndexedDB as the saved state),
 * then the page is reloaded; the figure is navigation start to ready terminal
 * (the app's `nimbus-ready` mark), median of 3 reloads. Target <= 2 s.
 * NIMBUS_DIST points at a built app (default dist/, built if missing).
 */
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './harness';
import { Sandbox } from '../src/engine/sandbox';
import { exportStateJson } from '../src/engine/snapshot';
import { startServer, launchChromium } from '../test/browser/server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = process.env.NIMBUS_DIST ? process.env.NIMBUS_DIST : join(ROOT, 'dist');
export const RELOAD_OBJECTS = 100_000;

/** A state document with one bucket of `n` small objects. */
export function bigState(n: number): string {
  const sb = new Sandbox();
  const enc = new TextEncoder();
  const ok = (r: { ok: boolean; error?: unknown }) => {
    if (!r.ok) throw new Error(JSON.stringify(r.error));
  };
  ok(sb.call({ service: 's3', operation: 'CreateBucket', input: { Bucket: 'big-bucket' } }));
  for (let i = 0; i < n; i++) {
    ok(sb.call({ service: 's3', operation: 'PutObject', input: { Bucket: 'big-bucket', Key: `logs/${String(i).padStart(6, '0')}.txt`, Body: enc.encode(`object ${i}\n`) } }));
  }
  sb.takeChanges();
  return exportStateJson(sb);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const benchmarks: Benchmark[] = [
  {
    name: `browser: reload of a saved state with ${RELOAD_OBJECTS.toLocaleString('en-US')} S3 objects, navigation to ready terminal`,
    async run() {
      if (!existsSync(join(DIST, 'index.html'))) execSync('npx vite build', { cwd: ROOT, stdio: 'ignore' });
      const state = bigState(RELOAD_OBJECTS);
      const server = await startServer({ root: DIST, pages: { '/bench-state.json': { type: 'application/json', body: state } } });
      const browser = await launchChromium();
      try {
        const context = await browser.newContext({ serviceWorkers: 'block' });
        const page = await context.newPage();
        const ready = async () => {
          await page.waitForFunction(() => document.documentElement.dataset.ready === '1', null, { timeout: 120000, polling: 10 });
          return page.evaluate(() => performance.getEntriesByName('nimbus-ready')[0]?.startTime ?? NaN);
        };
        await page.goto(`${server.origin}/`);
        await ready();
        const imported = (await page.evaluate(`(async () => {
          const text = await (await fetch('/bench-state.json')).text();
          const r = await window.__nimbusApp.api.importState(text);
          return { ok: r.ok, error: r.error, save: window.__nimbusApp.status.save };
        })()`)) as { ok: boolean; error?: string; save: string };
        if (!imported.ok) throw new Error(`import failed: ${imported.error}`);
        if (imported.save !== 'saved') throw new Error(`the state is not saved (${imported.save})`);
        const times: number[] = [];
        let listed = '';
        for (let i = 0; i < 3; i++) {
          await page.reload();
          times.push(await ready());
          if (i === 0) {
            // the reloaded state really holds the objects (and the first listing builds the key index)
            listed = (await page.evaluate(`(async () => {
              const r = await window.__nimbusApp.api.exec('aws s3api list-objects-v2 --bucket big-bucket --query \"length(Contents)\"');
              return r.stdout.trim();
            })()`)) as string;
          }
        }
        await context.close();
        if (listed !== String(RELOAD_OBJECTS)) throw new Error(`after the reload the bucket lists ${listed} keys`);
        return { figure: median(times), unit: 'ms', target: 2000, higherIsBetter: false, note: `reloads: ${times.map((x) => Math.round(x)).join(', ')}; state ${(state.length / 1e6).toFixed(0)} MB of JSON` };
      } finally {
        await browser.close();
        await server.close();
      }
    },
  },
];
