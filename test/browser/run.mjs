// Browser tests: serve dist/ on 127.0.0.1, drive the real app in Debian's
// Chromium with playwright-core, type into the terminal and read it back.
// Prints one line per test and closes with "N passed, N failed".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchChromium } from './server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.NIMBUS_DIST ? path.resolve(process.env.NIMBUS_DIST) : path.join(ROOT, 'dist');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
const ONLY = process.env.ONLY ? new RegExp(process.env.ONLY) : null;

if (!fs.existsSync(path.join(DIST, 'index.html'))) {
  console.error('dist/ is missing: run `vite build` first (npm run test:browser does).');
  process.exit(1);
}
fs.mkdirSync(SHOTS, { recursive: true });

const app = await startServer({ root: DIST });
const pages = {}; // served by the parent server at request time
const parent = await startServer({ pages }); // another origin, for the embed tests
const browser = await launchChromium();
const tests = [];
const test = (name, fn) => tests.push({ name, fn });

// ---------- helpers ----------
/** Uncaught errors in any page of the current test: the test fails on them. */
let pageErrors = [];
/** Console messages of the current test (printed when a page does not become ready). */
let consoleLog = [];
async function newPage(ctxOpts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, ...ctxOpts });
  const page = await context.newPage();
  context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => consoleLog.push(`${m.type()}: ${m.text()}`));
  return { context, page };
}
async function ready(page, timeout = 30000) {
  try {
    await page.waitForFunction(() => document.documentElement.dataset.ready === '1' && !!window.sandbox, null, { timeout });
  } catch (e) {
    const body = await page.evaluate(() => document.body.innerText.slice(0, 400)).catch(() => '?');
    throw new Error(`page not ready after ${timeout} ms; page shows: ${body}; console: ${consoleLog.slice(-10).join(' | ')}`);
  }
}
async function open(page, query = '') {
  await page.goto(`${app.origin}/${query}`);
  await ready(page);
}
const termText = (page) => page.evaluate(() => window.__nimbusTerminalText?.() ?? '');
async function waitFor(fn, what, timeout = 10000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
async function waitText(page, re, timeout = 10000) {
  let text = '';
  try {
    return await waitFor(async () => {
      text = await termText(page);
      return re.test(text) ? text : null;
    }, String(re), timeout);
  } catch (e) {
    throw new Error(`${e.message}; terminal ends with:\n${text.split('\n').slice(-8).join('\n')}`);
  }
}
async function focusTerm(page) {
  await page.focus('.xterm-helper-textarea');
}
async function typeLine(page, line) {
  await focusTerm(page);
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}
/** Wait until the terminal is idle at a fresh prompt and return the text. */
async function idle(page) {
  await waitFor(() => page.evaluate(() => !window.__nimbusApp?.terminal?.isBusy), 'terminal idle');
  return termText(page);
}
const lastLine = (text) => text.split('\n').filter((l) => l.trim()).pop() ?? '';
function count(text, s) {
  return text.split(s).length - 1;
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

// ---------- tests ----------
test('the terminal shows the prompt and runs a typed command', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1&theme=dark');
  const t0 = await termText(page);
  assert(/learner@nimbus us-east-1 ~ \$ $/.test(lastLine(t0) + ' ') || /learner@nimbus us-east-1 ~ \$/.test(lastLine(t0)), `prompt: ${lastLine(t0)}`);
  await typeLine(page, 'echo hello from nimbus');
  const t = await waitText(page, /\nhello from nimbus\n/);
  assert(/learner@nimbus us-east-1 ~ \$ echo hello from nimbus/.test(t), 'typed line echoed after the prompt');
  await shot(page, '01-terminal');
  await context.close();
});

test('an aws command answers with JSON', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  await typeLine(page, 'aws sts get-caller-identity');
  await waitText(page, /"Account": "123456789012"/);
  await context.close();
});

test('an unknown command gives a clear error', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  await typeLine(page, 'frobnicate --now');
  await waitText(page, /frobnicate: command not found/);
  // stderr is red (palette colour 1) in the terminal's cells
  const fg = await page.evaluate(() => {
    const buf = window.__nimbusApp.terminal.term.buffer.active;
    for (let y = buf.length - 1; y >= 0; y--) {
      const line = buf.getLine(y);
      const text = line.translateToString(true);
      const x = text.indexOf('command not found');
      if (x >= 0) {
        const cell = line.getCell(x);
        return { palette: cell.isFgPalette(), color: cell.getFgColor() };
      }
    }
    return null;
  });
  assert(fg && fg.palette && fg.color === 1, `error text colour: ${JSON.stringify(fg)}`);
  const live = await page.textContent('[data-testid="last-result"]');
  assert(/command not found/.test(live ?? ''), `aria-live copy: ${live}`);
  await context.close();
});

test('line editing: Home/End, Ctrl-A/E, Ctrl-U, Ctrl-W, Ctrl-K, arrows, Backspace/Delete', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  await focusTerm(page);
  const k = page.keyboard;
  await k.type('cho hi');
  await k.press('Home');
  await k.type('e');
  await k.press('End');
  await k.type('!!');
  await k.press('Backspace');
  await k.press('Enter');
  await waitText(page, /\nhi!\n/);
  await k.type('garbage here');
  await k.press('Control+U');
  await k.type('echo one two');
  await k.press('Control+W');
  await k.type('three');
  await k.press('Control+A');
  await k.press('Delete');
  await k.type('e');
  await k.press('Control+E');
  await k.press('ArrowLeft');
  await k.press('ArrowLeft');
  await k.press('Control+K');
  await k.type('ee');
  await k.press('Enter');
  const t = await waitText(page, /\none three\n/);
  assert(!/garbage/.test(t.split('\n').slice(-3).join('\n')), 'Ctrl-U removed the text');
  await context.close();
});

test('editing a line longer than the terminal is wide (wrapped) redraws cleanly', async () => {
  const { context, page } = await newPage({ viewport: { width: 700, height: 500 } });
  await open(page, '?fresh=1&layout=terminal');
  await focusTerm(page);
  const long = 'x'.repeat(140);
  await page.keyboard.type(`cho ${long} END`);
  await page.keyboard.press('Home');
  await page.keyboard.type('e');
  for (let i = 0; i < 4; i++) await page.keyboard.press('End');
  await page.keyboard.press('Control+W');
  await page.keyboard.type('FIN');
  await page.keyboard.press('Enter');
  const t = await waitText(page, new RegExp(`\\n${long} FIN\\n`));
  assert(count(t, `echo ${long} FIN`) === 1, 'the wrapped line appears once, as edited');
  assert(!/END/.test(t), 'no leftovers of the old text on screen');
  await context.close();
});

test('Ctrl-C drops the line and prints ^C; Ctrl-L clears the screen', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  await focusTerm(page);
  await page.keyboard.type('echo should-not-run');
  await page.keyboard.press('Control+C');
  let t = await waitText(page, /should-not-run\^C/);
  await typeLine(page, 'echo after');
  t = await waitText(page, /\nafter\n/);
  assert(count(t, 'should-not-run') === 1, 'the dropped line did not run');
  await page.keyboard.press('Control+L');
  t = await waitFor(async () => {
    const x = await termText(page);
    return !/after/.test(x) ? x : null;
  }, 'screen cleared');
  assert(/learner@nimbus/.test(t), 'prompt still shown after Ctrl-L');
  await context.close();
});

test('line continuation with a trailing backslash and an open quote', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  await typeLine(page, 'echo one \\');
  await waitText(page, /\n> $/m);
  await typeLine(page, 'two');
  await waitText(page, /\none two\n/);
  await context.close();
});

test('multi-line paste runs line by line', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  await focusTerm(page);
  await page.evaluate(() => {
    const ta = document.querySelector('.xterm-helper-textarea');
    const dt = new DataTransfer();
    dt.setData('text/plain', 'echo pasted-1\necho pasted-2\n');
    ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  const t = await waitText(page, /\npasted-2\n/);
  assert(/\npasted-1\n[\s\S]*\npasted-2\n/.test(t), 'both lines ran in order');
  await context.close();
});

test('Tab completes a command name; double Tab lists candidates', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  await focusTerm(page);
  await page.keyboard.type('ech');
  await page.keyboard.press('Tab');
  await waitText(page, /\$ echo $/m);
  await page.keyboard.type('done');
  await page.keyboard.press('Enter');
  await waitText(page, /\ndone\n/);
  await page.keyboard.type('aws s3api list-');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const t = await waitText(page, /list-buckets\s+[\s\S]*list-objects-v2[\s\S]*\$ aws s3api list-$/);
  assert(/\$ aws s3api list-\n/.test(t), 'candidates listed under the line, then the line is redrawn');
  await page.keyboard.type('bu');
  await page.keyboard.press('Tab');
  await waitText(page, /\$ aws s3api list-buckets $/m);
  await context.close();
});

test('Ctrl-R searches the history backwards', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  await typeLine(page, 'echo alpha-one');
  await waitText(page, /\nalpha-one\n/);
  await typeLine(page, 'echo beta-two');
  await waitText(page, /\nbeta-two\n/);
  await page.keyboard.press('Control+R');
  await page.keyboard.type('alpha');
  await waitText(page, /\(reverse-i-search\)`alpha': echo alpha-one$/m);
  await page.keyboard.press('Enter');
  const t = await waitText(page, /\$ echo alpha-one\nalpha-one\n[\s\S]*\$ echo alpha-one\nalpha-one\n/);
  assert(!/reverse-i-search/.test(lastLine(t)), 'search prompt gone');
  await context.close();
});

test('history: up/down recall, kept across a reload', async () => {
  const { context, page } = await newPage();
  await open(page);
  await typeLine(page, 'echo first-hist');
  await waitText(page, /\nfirst-hist\n/);
  await typeLine(page, 'echo second-hist');
  await waitText(page, /\nsecond-hist\n/);
  await idle(page);
  await page.reload();
  await ready(page);
  await focusTerm(page);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await waitText(page, /\$ echo first-hist$/m);
  await page.keyboard.press('ArrowDown');
  await waitText(page, /\$ echo second-hist$/m);
  await page.keyboard.press('Enter');
  await waitText(page, /\$ echo second-hist\nsecond-hist\n/);
  await context.close();
});

test('the editor opens from the Files panel, saves with Ctrl-S, and cat shows the file; state survives a reload', async () => {
  const { context, page } = await newPage();
  await open(page);
  await page.click('#tab-files');
  page.once('dialog', (d) => d.accept('note.txt'));
  await page.click('[data-testid="files"] button:has-text("New file")');
  await page.waitForSelector('.monaco-host .view-lines', { timeout: 20000 });
  await page.click('.monaco-host .view-lines');
  await page.keyboard.type('hello from monaco');
  await waitFor(() => page.evaluate(() => document.querySelector('.dirty') !== null), 'dirty marker');
  await page.keyboard.press('Control+S');
  await page.waitForSelector('.editor-bar .saved');
  const saved = await page.evaluate(() => window.__nimbusApp.api.readFile('note.txt'));
  assert(saved.ok && saved.text === 'hello from monaco', `file written through the worker: ${JSON.stringify(saved)}`);
  await shot(page, '02-editor');
  await typeLine(page, 'cat note.txt');
  await waitText(page, /\nhello from monaco\n/);
  await idle(page);
  await page.reload();
  await ready(page);
  await typeLine(page, 'cat note.txt');
  await waitText(page, /\nhello from monaco\n/);
  await page.click('#tab-files');
  await page.waitForSelector('[data-testid="files"] button:has-text("note.txt")');
  await context.close();
});

test('edit FILE opens the editor; closing with unsaved changes asks first; JSON gets syntax checking', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  await typeLine(page, 'edit bad.json');
  await page.waitForSelector('.monaco-host .view-lines', { timeout: 20000 });
  await page.evaluate(() => window.__nimbusEditor.setValue('{"family": "web", }'));
  const markers = await waitFor(async () => {
    const m = await page.evaluate(() => window.__nimbusEditor.markers());
    return m.length ? m : null;
  }, 'JSON markers', 15000);
  assert(markers.some((m) => m.severity >= 4), 'a JSON error marker');
  await page.waitForSelector('.problems');
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    d.dismiss();
  });
  await page.click('button[aria-label="Close the editor"]');
  await waitFor(() => asked, 'confirm dialog');
  assert(await page.$('.monaco-host'), 'editor stays open after cancelling');
  // A registered file type (src/ui/**/*.filetype.ts): it is chosen from the text, its validator
  // gives live markers and its actions appear as buttons.
  page.once('dialog', (d) => d.accept());
  await page.click('button[aria-label="Close the editor"]');
  await typeLine(page, 'edit web-task.json');
  await page.waitForSelector('.monaco-host .view-lines');
  await page.evaluate(() =>
    window.__nimbusEditor.setValue(JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx', memory: 'lots' }] }, null, 2)),
  );
  const own = await waitFor(async () => {
    const m = await page.evaluate(() => window.__nimbusEditor.markers());
    return m.some((x) => x.owner === 'nimbus') ? m : null;
  }, 'validator markers', 15000);
  assert(own.length > 0, 'validator markers');
  const buttons = await page.$$eval('.editor-bar button', (bs) => bs.map((b) => b.textContent.trim()));
  assert(buttons.length > 2, `file-type actions shown: ${buttons}`);
  await context.close();
});

test('state after reload: a bucket made before the reload is listed after it', async () => {
  const { context, page } = await newPage();
  await open(page);
  await typeLine(page, 'aws s3api create-bucket --bucket keep-me-after-reload');
  await waitText(page, /"Location"/);
  await idle(page);
  await page.reload();
  await ready(page);
  const r = await page.evaluate(() => window.sandbox.exec('aws s3api list-buckets --query "Buckets[].Name" --output text'));
  assert(/keep-me-after-reload/.test(r.stdout), `list-buckets after reload: ${JSON.stringify(r)}`);
  await context.close();
});

test('a second tab says it runs a scratch copy while the first owns the saved state', async () => {
  const { context, page } = await newPage();
  await open(page);
  await waitFor(async () => (await page.textContent('[data-testid="save-state"]'))?.includes('Saved'), 'first tab saved');
  const second = await context.newPage();
  await second.goto(`${app.origin}/`);
  await ready(second);
  const label = await second.textContent('[data-testid="save-state"]');
  assert(/another tab/i.test(label ?? ''), `second tab status: ${label}`);
  await context.close();
});

test('window.sandbox.exec runs through the terminal and fires events', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  const r = await page.evaluate(async () => {
    const events = [];
    window.sandbox.on('result', (d) => events.push(d.line));
    const res = await window.sandbox.exec('echo via-api');
    return { res, events };
  });
  assert(r.res.exitCode === 0 && r.res.stdout === 'via-api\n', JSON.stringify(r.res));
  assert(r.events.includes('echo via-api'), 'result event');
  await waitText(page, /\$ echo via-api\nvia-api\n/);
  await context.close();
});

test('printing 10,000 lines finishes and keeps the page responsive', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  const r = await page.evaluate(async () => {
    const longest = { v: 0 };
    const obs = new PerformanceObserver((l) => l.getEntries().forEach((e) => (longest.v = Math.max(longest.v, e.duration))));
    obs.observe({ type: 'longtask', buffered: false });
    const text = Array.from({ length: 10000 }, (_, i) => `{"line": ${i}, "text": "row ${i} of the long output"}`).join('\n') + '\n';
    const t0 = performance.now();
    await window.__nimbusPrint(text);
    const ms = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
    obs.disconnect();
    return { ms, longest: longest.v };
  });
  const t = await termText(page);
  assert(/row 9999 of the long output/.test(t), 'last line printed');
  assert(r.longest <= 400, `longest task ${r.longest} ms`);
  console.log(`  (10,000 lines in ${Math.round(r.ms)} ms, longest task ${Math.round(r.longest)} ms)`);
  await context.close();
});

test('light theme, embed and narrow layouts render (screenshots)', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1&theme=light');
  await typeLine(page, 'aws sts get-caller-identity');
  await waitText(page, /"Arn"/);
  assert((await page.evaluate(() => document.documentElement.dataset.theme)) === 'light', 'light theme applied');
  await shot(page, '03-light');
  await typeLine(page, 'aws s3 mb s3://panel-bucket');
  await waitText(page, /make_bucket: panel-bucket/);
  await page.click('#tab-resources');
  await page.click('[data-testid="resources"] button:has-text("panel-bucket")');
  await waitText(page, /\$ aws s3 ls s3:\/\/panel-bucket\n/);
  await shot(page, '04-resources');
  await page.goto(`${app.origin}/?embed=1&fresh=1&run=${encodeURIComponent('echo embedded\naws sts get-caller-identity --output table')}`);
  await ready(page);
  await waitText(page, /\nembedded\n/);
  assert(!(await page.$('.side-panel')), 'embed shows no side panel');
  await page.setViewportSize({ width: 720, height: 420 });
  await shot(page, '05-embed');
  await page.setViewportSize({ width: 600, height: 900 });
  await page.goto(`${app.origin}/?fresh=1`);
  await ready(page);
  const boxes = await page.evaluate(() => ['.pane.term', '.pane.side'].map((s) => document.querySelector(s)?.getBoundingClientRect().top ?? -1));
  assert(boxes[1] > boxes[0], `panes stack on a narrow screen: ${boxes}`);
  await shot(page, '06-narrow');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${app.origin}/?fresh=1&layout=editor&theme=dark`);
  await ready(page);
  await page.waitForSelector('.editor-pane .empty');
  assert(!(await page.$('.side-panel')), 'editor layout: no side panel');
  await shot(page, '10-editor-layout');
  await context.close();
});

test('the service worker precaches Monaco workers, fonts and the app shell', async () => {
  const sw = fs.readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  const must = [/editor\.worker-[\w-]+\.js/, /json\.worker-[\w-]+\.js/, /codicon-[\w-]+\.ttf/, /"index\.html"/, /manifest\.webmanifest/, /monaco-[\w-]+\.js/, /icon-192\.png/];
  for (const re of must) assert(re.test(sw), `precache list misses ${re}`);
  const lessonsDir = path.join(ROOT, 'lessons');
  if (fs.existsSync(lessonsDir) && fs.readdirSync(DIST + '/assets').some((f) => /lesson/i.test(f))) {
    assert(/lesson/i.test(sw), 'lesson chunks precached');
  }
});

test('offline: after the service worker is active, a reload works with the network off', async () => {
  const { context, page } = await newPage();
  await open(page);
  await waitFor(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated'), 'SW activated', 20000);
  await page.reload();
  await ready(page);
  await waitFor(() => page.evaluate(() => !!navigator.serviceWorker.controller), 'SW controls the page', 15000);
  // Let the precache finish (install completed before activation, so it is).
  await context.setOffline(true);
  await page.reload();
  await ready(page);
  await typeLine(page, 'echo offline-ok');
  await waitText(page, /\noffline-ok\n/);
  // The editor (a lazy chunk with its workers) also loads offline.
  await page.click('#tab-files');
  page.once('dialog', (d) => d.accept('offline.json'));
  await page.click('[data-testid="files"] button:has-text("New file")');
  await page.waitForSelector('.monaco-host .view-lines', { timeout: 20000 });
  await context.setOffline(false);
  await context.close();
});

test('Export downloads the state JSON; Reset asks, then empties the sandbox', async () => {
  const { context, page } = await newPage({ acceptDownloads: true });
  await open(page, '?fresh=1');
  await typeLine(page, 'aws s3api create-bucket --bucket exported-bucket');
  await waitText(page, /"Location"/);
  await idle(page);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export")')]);
  assert(dl.suggestedFilename() === 'nimbus-state.json', dl.suggestedFilename());
  const text = fs.readFileSync(await dl.path(), 'utf8');
  assert(JSON.parse(text) && text.includes('exported-bucket'), 'export holds the bucket');
  // Import it into another (fresh) page
  const other = await context.newPage();
  await other.goto(`${app.origin}/?fresh=1`);
  await ready(other);
  other.once('dialog', (d) => d.accept());
  await other.setInputFiles('[data-testid="import-file"]', { name: 'nimbus-state.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await waitFor(async () => /exported-bucket/.test((await other.evaluate(() => window.sandbox.exec('aws s3api list-buckets --query "Buckets[].Name" --output text'))).stdout), 'imported state');
  await other.close();
  // Dismissed confirm: nothing happens.
  page.once('dialog', (d) => d.dismiss());
  await page.click('button:has-text("Reset")');
  let r = await page.evaluate(() => window.sandbox.exec('aws s3api list-buckets --query "Buckets[].Name" --output text'));
  assert(/exported-bucket/.test(r.stdout), 'still there after a cancelled reset');
  page.once('dialog', (d) => d.accept());
  await page.click('button:has-text("Reset")');
  await waitText(page, /The sandbox was reset/);
  r = await page.evaluate(() => window.sandbox.exec('aws s3api list-buckets --query "Buckets[].Name" --output text'));
  assert(!/exported-bucket/.test(r.stdout), `gone after reset: ${r.stdout}`);
  await context.close();
});

test('an embed opens its state in a full sandbox tab (URL hash, compressed)', async () => {
  const { context, page } = await newPage();
  await open(page, '?embed=1&fresh=1');
  await page.evaluate(() => window.sandbox.exec('aws s3api create-bucket --bucket carried-over'));
  const [popup] = await Promise.all([context.waitForEvent('page'), page.click('button:has-text("Open in full sandbox")')]);
  popup.on('dialog', (d) => d.accept());
  await ready(popup);
  assert(!popup.url().includes('#state='), 'the hash is cleared after loading');
  const r = await popup.evaluate(() => window.sandbox.exec('aws s3api list-buckets --query "Buckets[].Name" --output text'));
  assert(/carried-over/.test(r.stdout), `carried state: ${JSON.stringify(r)}`);
  assert(!(await popup.$('.app.embed')), 'opens the full layout');
  await context.close();
});

test('a new version is offered, but never applied in the middle of a lesson', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  await page.evaluate(() => {
    window.__applied = 0;
    window.__nimbusApp.offerUpdate(() => window.__applied++);
    window.__nimbusApp.status = { ...window.__nimbusApp.status, lessonId: 'some/lesson' };
  });
  await page.waitForSelector('.update:has-text("when this lesson ends")');
  assert(!(await page.$('.update button')), 'no update button during a lesson');
  await page.evaluate(() => window.__nimbusApp.applyUpdate());
  assert((await page.evaluate(() => window.__applied)) === 0, 'not applied during a lesson');
  await page.evaluate(() => (window.__nimbusApp.status = { ...window.__nimbusApp.status, lessonId: null }));
  await page.click('.update button:has-text("Update now")');
  assert((await page.evaluate(() => window.__applied)) === 1, 'applied when the learner agrees');
  await context.close();
});

test('keyboard only: Shift-Tab leaves the terminal; the touch input line runs commands', async () => {
  const { context, page } = await newPage({ hasTouch: true, isMobile: false });
  await open(page, '?fresh=1');
  await focusTerm(page);
  await page.keyboard.press('Shift+Tab');
  const focused = await page.evaluate(() => document.activeElement?.className ?? '');
  assert(!/xterm-helper-textarea/.test(focused), `focus left the terminal (${focused})`);
  await page.click('button:has-text("SR")');
  await page.waitForSelector('.xterm-accessibility', { state: 'attached' });
  if ((await page.getAttribute('button:has-text("Input line")', 'aria-pressed')) !== 'true') await page.click('button:has-text("Input line")');
  await page.fill('#nimbus-touch-line', 'echo from-touch');
  await page.press('#nimbus-touch-line', 'Enter');
  await waitText(page, /\$ echo from-touch\nfrom-touch\n/);
  await page.press('#nimbus-touch-line', 'ArrowUp');
  assert((await page.inputValue('#nimbus-touch-line')) === 'echo from-touch', 'history in the input line');
  await context.close();
});

test('?lesson=ID starts the lesson and shows the lesson tab', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  // any lesson of the catalogue (from the lessons view)
  const id = await page.evaluate(async () => (await window.__nimbusApp.api.view('lessons')).tracks[0].lessons[0].id);
  await open(page, `?fresh=1&lesson=${encodeURIComponent(id)}`);
  const st = await page.evaluate(() => window.__nimbusApp.status);
  assert(st.lessonId === id, JSON.stringify(st));
  assert((await page.getAttribute('#tab-lesson', 'aria-selected')) === 'true', 'lesson tab selected');
  await shot(page, '08-lesson');
  // an embedded lesson keeps its text beside the terminal
  await page.setViewportSize({ width: 1000, height: 520 });
  await open(page, `?embed=1&fresh=1&lesson=${encodeURIComponent(id)}`);
  assert(await page.$('.side-panel'), 'embedded lesson shows the side panel');
  await shot(page, '13-embed-lesson');
  await context.close();
});

test('a lesson followed by typing: the panel ticks each goal as it becomes true, and survives a reload', async () => {
  const { context, page } = await newPage();
  await open(page, '?lesson=s3%2F01-objects');
  const goals = () => page.$$eval('.goals li', (els) => els.map((e) => ({ met: e.classList.contains('met'), label: e.querySelector('.label')?.textContent ?? '' })));
  const steps = () => page.$$eval('.steps li', (els) => els.map((e) => e.classList.contains('done')));
  // right after setup: the first goal is not met
  await waitFor(async () => (await goals()).length > 0, 'lesson goals shown');
  assert((await goals()).every((g) => !g.met), 'nothing is met after setup: ' + JSON.stringify(await goals()));
  await typeLine(page, 'aws s3api create-bucket --bucket notes-e2e-test');
  await idle(page);
  // step 1 done: the panel moves to step 2, whose goals are not met yet
  await waitFor(async () => (await steps())[0] === true, 'step 1 ticked');
  await waitFor(async () => (await goals()).some((g) => /docs\/hello\.txt/.test(g.label)), 'step 2 shown');
  // a partial solution ticks one goal part of two
  await typeLine(page, 'aws s3api put-object --bucket notes-e2e-test --key docs/hello.txt --body hello.txt');
  await idle(page);
  await waitFor(async () => {
    const g = await goals();
    return g.length === 2 && g[0].met && !g[1].met;
  }, 'first goal part ticked, second still open');
  await shot(page, '14-lesson-progress');
  // progress survives a reload
  await page.reload();
  await ready(page);
  await waitFor(async () => (await steps())[0] === true, 'step 1 still ticked after reload');
  await typeLine(page, 'aws s3api put-object --bucket notes-e2e-test --key docs/hello.txt --body hello.txt --content-type text/plain --metadata author=learner');
  await idle(page);
  await waitFor(async () => (await steps())[1] === true, 'step 2 ticked');
  await context.close();
});

test('the cluster view shows binpack filling one instance and spread evening them out', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  const lines = [
    'aws ecs create-cluster --cluster-name default',
    'sandbox ec2 add-capacity --cluster default --count 3 --instance-type t3.medium',
    'sandbox clock advance 1m',
    `aws ecs register-task-definition --family small --container-definitions '[{"name":"app","image":"busybox","memory":128,"essential":true,"command":["sleep","3600"]}]'`,
    'aws ecs run-task --task-definition small --count 4 --placement-strategy type=binpack,field=memory',
    'sandbox clock advance 2m',
  ];
  for (const l of lines) {
    await typeLine(page, l);
    await idle(page);
  }
  await page.click('#tab-cluster');
  const perInstance = () =>
    page.$$eval('[data-testid=instance]', (els) => els.map((e) => e.querySelectorAll('.task-chips .chip').length).sort((a, b) => b - a));
  await waitFor(async () => JSON.stringify(await perInstance()) === '[4,0,0]', 'binpack: all four tasks on one instance');
  await shot(page, '15-cluster-binpack');
  await typeLine(page, 'aws ecs run-task --task-definition small --count 3 --placement-strategy type=spread,field=instanceId');
  await idle(page);
  await waitFor(async () => JSON.stringify(await perInstance()) === '[4,2,1]', 'spread: the new tasks go to the emptier instances');
  await shot(page, '16-cluster-spread');
  await context.close();
});

test('Ctrl-C stops a runaway command: the engine restarts from the saved state and the tab keeps working', async () => {
  const { context, page } = await newPage();
  await open(page);
  await typeLine(page, "printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac\\n' > slow.txt");
  await idle(page);
  // catastrophic backtracking: this would run for hours
  await typeLine(page, 'grep -E "(a*)*b" slow.txt');
  await page.waitForTimeout(1500);
  assert(await page.evaluate(() => window.__nimbusApp.terminal.isBusy), 'the runaway command is still running');
  await focusTerm(page);
  await page.keyboard.press('Control+C');
  await waitText(page, /interrupted: the engine was restarted from the saved state/, 20000);
  await idle(page);
  await typeLine(page, 'cat slow.txt | wc -c');
  await waitText(page, /^\s*56\s*$/m);
  await context.close();
});

test('service worker update: announced, applied only on "Update now", state kept', async () => {
  // Serve a private copy of dist/ so the service worker can be changed under the page.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nimbus-sw-'));
  fs.cpSync(DIST, root, { recursive: true });
  const srv = await startServer({ root });
  const { context, page } = await newPage();
  try {
    await page.goto(`${srv.origin}/`);
    await ready(page);
    await page.evaluate(() => window.sandbox.exec('aws s3api create-bucket --bucket survives-update'));
    await waitFor(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated'), 'first SW activated', 20000);
    await page.reload();
    await ready(page);
    await waitFor(() => page.evaluate(() => !!navigator.serviceWorker.controller), 'page controlled by the SW', 15000);
    // A new version: a different sw.js.
    fs.appendFileSync(path.join(root, 'sw.js'), '\n// next version\n');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.evaluate(() => (window.__beforeUpdate = 1));
    await page.waitForSelector('.update:has-text("A new version is ready")', { timeout: 20000 });
    await new Promise((r) => setTimeout(r, 1000));
    assert((await page.evaluate(() => window.__beforeUpdate)) === 1, 'not applied before the learner agrees');
    const nav = page.waitForNavigation({ timeout: 20000 });
    await page.click('.update button:has-text("Update now")');
    await nav;
    await ready(page);
    const r = await page.evaluate(() => window.sandbox.exec('aws s3api list-buckets --query "Buckets[].Name" --output text'));
    assert(/survives-update/.test(r.stdout), `state after the update: ${JSON.stringify(r)}`);
    assert(!(await page.$('.update')), 'no banner after updating');
  } finally {
    await context.close();
    await srv.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

function parentPage(iframeQuery, script) {
  return `<!doctype html><html><body><iframe id="f" style="width:800px;height:400px" src="${app.origin}/${iframeQuery}"></iframe>
<script>
window.results = [];
window.addEventListener('message', (ev) => { window.results.push({ origin: ev.origin, data: ev.data }); });
${script}
</script></body></html>`;
}

test('the postMessage bridge answers an allowed parent and refuses others', async () => {
  const po = encodeURIComponent(parent.origin);
  const script = `
    const f = document.getElementById('f');
    function send(m) { f.contentWindow.postMessage(m, '${app.origin}'); }
    window.run = () => new Promise((resolve) => {
      const t = setInterval(() => send({ type: 'nimbus:hello', version: 1 }), 200);
      let sent = false;
      window.addEventListener('message', function h(ev) {
        if (ev.data?.type === 'nimbus:ready' && !sent) { sent = true; clearInterval(t); send({ type: 'nimbus:exec', id: 7, line: 'echo from-parent' }); }
        if (ev.data?.type === 'nimbus:result' || ev.data?.type === 'nimbus:error') resolve(ev.data);
      });
    });`;
  const { context, page } = await newPage();
  // allowed: the parent's origin is named in ?parentOrigin=
  pages['/allowed.html'] = { body: parentPage(`?embed=1&fresh=1&parentOrigin=${po}`, script) };
  await page.goto(`${parent.origin}/allowed.html`);
  const r = await page.evaluate(() => window.run());
  assert(r.type === 'nimbus:result' && r.id === 7 && r.exitCode === 0 && r.stdout === 'from-parent\n', JSON.stringify(r));
  // refused: no parentOrigin
  pages['/refused.html'] = { body: parentPage(`?embed=1&fresh=1`, script) };
  await page.goto(`${parent.origin}/refused.html`);
  const r2 = await page.evaluate(() => window.run());
  assert(r2.type === 'nimbus:error' && /not allowed/.test(r2.message), JSON.stringify(r2));
  await context.close();
});

test('embed.js: <nimbus-sandbox> handshakes and runs commands; the example page works', async () => {
  const { context, page } = await newPage();
  const html = fs
    .readFileSync(path.join(ROOT, 'docs', 'embed-example.html'), 'utf8')
    .replaceAll('http://localhost:4173', app.origin);
  pages['/example.html'] = { body: html };
  await page.goto(`${parent.origin}/example.html`);
  await page.waitForFunction(() => document.querySelector('nimbus-sandbox')?.ready === true, null, { timeout: 20000 });
  const r = await page.evaluate(() => document.querySelector('nimbus-sandbox').exec('echo via-element'));
  assert(r.exitCode === 0 && r.stdout === 'via-element\n', JSON.stringify(r));
  // Every "Run this" button, in order: the last one lists the uploaded file.
  for (const bt of await page.$$('button.run-this')) {
    await bt.click();
    await page.waitForFunction((b) => !b.disabled, bt);
  }
  const outs = await page.$$eval('.run-output', (els) => els.map((e) => e.textContent));
  assert(/"Account": "123456789012"/.test(outs[0]), `first snippet: ${outs[0]}`);
  assert(/make_bucket: docs-demo-bucket/.test(outs[1]), `second snippet: ${outs[1]}`);
  assert(/hello\.txt/.test(outs[outs.length - 1]), `last snippet: ${outs[outs.length - 1]}`);
  await shot(page, '07-embed-example');
  await context.close();
});


test('website preview: a public index.html shows in a sandboxed frame whose scripts cannot read the app\'s IndexedDB', async () => {
  const { context, page } = await newPage();
  await open(page, '?fresh=1');
  const site = `<html><head><title>Site</title><link rel="stylesheet" href="style.css"></head><body>
<h1 id="t">Hello from S3</h1><p id="idb">pending</p><p id="origin"></p><a id="next" href="about.html">About</a>
<script>
  document.getElementById('origin').textContent = String(window.origin);
  var out = document.getElementById('idb');
  try {
    var req = indexedDB.open('nimbus-probe');
    req.onsuccess = function () { out.textContent = 'OPENED'; };
    req.onerror = function () { out.textContent = 'blocked: ' + (req.error && req.error.name); };
  } catch (e) { out.textContent = 'blocked: ' + e.name; }
</script></body></html>`;
  await page.evaluate(async (html) => {
    const api = window.__nimbusApp.api;
    await api.writeFile('/home/learner/site/index.html', html);
    await api.writeFile('/home/learner/site/about.html', '<h1 id="t">About page</h1>');
    await api.writeFile('/home/learner/site/style.css', 'h1 { color: rgb(200, 0, 0); }');
  }, site);
  for (const line of [
    'aws s3 mb s3://preview-site',
    'aws s3 sync site s3://preview-site',
    'aws s3 website s3://preview-site --index-document index.html',
    'sandbox preview preview-site',
  ]) {
    const r = await page.evaluate((l) => window.sandbox.exec(l), line);
    assert(r.exitCode === 0, `${line}: ${JSON.stringify(r)}`);
  }
  const frameSel = 'iframe[title="Website preview"]';
  await page.waitForSelector(frameSel, { timeout: 10000 });
  assert((await page.getAttribute(frameSel, 'sandbox')) === 'allow-scripts', 'sandbox attribute is exactly allow-scripts');
  const frameText = async () => {
    const f = page.frames().find((x) => x.url() === 'about:srcdoc');
    return f ? f.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
  };
  // not public yet: the endpoint answers 403
  await waitFor(async () => /403 Forbidden/.test(await frameText()), 'the 403 page while the bucket is private');
  for (const line of [
    'aws s3api delete-public-access-block --bucket preview-site',
    `aws s3api put-bucket-policy --bucket preview-site --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::preview-site/*"}]}'`,
  ]) {
    const r = await page.evaluate((l) => window.sandbox.exec(l), line);
    assert(r.exitCode === 0, `${line}: ${JSON.stringify(r)}`);
  }
  await waitFor(async () => /Hello from S3/.test(await frameText()), 'the public index.html in the preview');
  const f = page.frames().find((x) => x.url() === 'about:srcdoc');
  const probe = await waitFor(
    () => f.evaluate(() => ({ idb: document.getElementById('idb')?.textContent, origin: document.getElementById('origin')?.textContent, color: getComputedStyle(document.getElementById('t')).color })).then((p) => (p.idb !== 'pending' ? p : null)),
    'the IndexedDB probe in the page',
  );
  assert(/^blocked/.test(probe.idb), `a script in the preview opened IndexedDB: ${JSON.stringify(probe)}`);
  assert(probe.origin === 'null', `the preview has an opaque origin: ${probe.origin}`);
  assert(probe.color === 'rgb(200, 0, 0)', `the site's style sheet applies: ${probe.color}`);
  // the app's own storage is untouched and the page cannot reach the parent's DOM
  const reach = await f.evaluate(() => { try { return String(parent.document.title); } catch (e) { return 'blocked: ' + e.name; } });
  assert(/^blocked/.test(reach), `the preview reached the app's DOM: ${reach}`);
  // a link click loads the next page through the panel
  await f.click('#next');
  try {
    await waitFor(async () => /About page/.test(await frameText()), 'the linked page after a click');
  } catch (e) {
    throw new Error(`${e.message}; frames: ${page.frames().map((x) => x.url()).join(', ')}; text: ${await frameText()}; console: ${consoleLog.slice(-5).join(' | ')}`);
  }
  await shot(page, '08-website-preview');
  await context.close();
});

// ---------- run ----------
let passed = 0;
let failed = 0;
for (const t of tests) {
  if (ONLY && !ONLY.test(t.name)) continue;
  const t0 = Date.now();
  pageErrors = [];
  consoleLog = [];
  try {
    await Promise.race([t.fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('test timed out after 60 s')), 60000))]);
    if (pageErrors.length) throw new Error(`uncaught errors in the page: ${pageErrors.join(' | ')}`);
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name} (${Date.now() - t0} ms)\n     ${String(e?.message ?? e).split('\n').join('\n     ')}`);
  }
}
await browser.close();
await app.close();
await parent.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
