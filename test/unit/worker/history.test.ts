import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { NimbusHost } from '../../../src/worker/host';
import { runScript, type RunnerIO } from '../../../src/runner/run';

let n = 0;
const host = () => new NimbusHost({ dbName: `nimbus-history-${++n}`, locks: null });

describe('history order (as bash: a line joins the history before it runs)', () => {
  it('`history` lists itself as the last entry', async () => {
    const h = host();
    await h.start({});
    await h.exec('echo one');
    const r = await h.exec('history');
    expect(r.stdout.trim().split('\n').map((l) => l.trim())).toEqual(['1  echo one', '2  history']);
    expect(await h.history()).toEqual(['echo one', 'history']);
    h.close();
  });

  it('`history -c` clears everything, itself included; the next line starts again', async () => {
    const h = host();
    await h.start({});
    await h.exec('echo one');
    await h.exec('echo two');
    await h.exec('history -c');
    expect(await h.history()).toEqual([]);
    await h.exec('echo three');
    expect(await h.history()).toEqual(['echo three']);
    h.close();
  });

  it('is kept across a reload (the history row is saved with the line)', async () => {
    const dbName = `nimbus-history-${++n}`;
    const a = new NimbusHost({ dbName, locks: null });
    await a.start({});
    await a.exec('echo saved');
    await a.exec('history -c');
    await a.exec('echo after');
    a.close();
    const b = new NimbusHost({ dbName, locks: null });
    const { history } = await b.start({});
    expect(history).toEqual(['echo after']);
    b.close();
  });

  it('the headless runner does the same', async () => {
    let out = '';
    const io: RunnerIO = {
      out: (t) => (out += t),
      err: () => undefined,
      readFile: () => {
        throw new Error('ENOENT');
      },
      readBytes: () => new Uint8Array(),
      writeFile: () => undefined,
      walk: () => [],
    };
    await runScript({ mode: 'text' }, 'echo a\nhistory\nhistory -c\nhistory\necho b\nhistory\n', io);
    const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
    // after `history -c`, the next `history` is entry 1 and lists only itself
    expect(lines).toEqual(['a', '1  echo a', '2  history', '1  history', 'b', '1  history', '2  echo b', '3  history']);
  });
});
