import { describe, it, expect, vi, beforeEach } from 'vitest';
import { NimbusApp } from '../../../src/ui/app.svelte';
import { parseParams } from '../../../src/ui/params';
import type { Status } from '../../../src/worker/protocol';

const status: Status = { protocol: 1, clock: 0, region: 'us-east-1', cwd: '~', save: 'saved', lessonId: null };

function fakeApi(files: Record<string, string> = {}) {
  return {
    readFile: vi.fn(async (p: string) => (p in files ? { ok: true as const, text: files[p]! } : { ok: false as const, error: 'No such file' })),
    writeFile: vi.fn(async (p: string, t: string) => {
      files[p] = t;
      return { ok: true as const };
    }),
    listFiles: vi.fn(async () => Object.keys(files)),
    status: vi.fn(async () => status),
    history: vi.fn(async () => ['ls']),
    reset: vi.fn(async () => status),
  };
}

function makeApp(confirmAnswer = true) {
  (globalThis as any).window = { confirm: vi.fn(() => confirmAnswer), open: vi.fn() };
  const app = new NimbusApp(parseParams('?fresh=1'));
  return app;
}

describe('NimbusApp', () => {
  beforeEach(() => {
    delete (globalThis as any).window;
  });

  it('starts without a Worker global and reports it instead of hanging', () => {
    const app = makeApp();
    // Node has no Worker: the error is kept for the status line
    expect(app.startError ?? '').toMatch(/could not start/);
  });

  it('open-editor effects read the file; a missing file opens empty; saving writes through the worker', async () => {
    const app = makeApp();
    const api = fakeApi({ 'a.json': '{}' });
    app.api = api as any;
    await app.applyEffect({ type: 'open-editor', path: 'a.json' });
    expect(app.openFileReq).toMatchObject({ path: 'a.json', text: '{}' });
    await app.applyEffect({ type: 'open-editor', path: 'new.txt' });
    expect(app.openFileReq).toMatchObject({ path: 'new.txt', text: '' });
    expect(await app.saveFile('new.txt', 'hello')).toBe(true);
    expect(api.writeFile).toHaveBeenCalledWith('new.txt', 'hello');
    expect(app.editorDirty).toBe(false);
  });

  it('asks before dropping unsaved changes', async () => {
    const app = makeApp(false);
    app.api = fakeApi({ 'a.txt': 'x', 'b.txt': 'y' }) as any;
    await app.openFile('a.txt');
    app.editorDirty = true;
    await app.openFile('b.txt');
    expect(app.openFileReq?.path).toBe('a.txt'); // declined
    expect(app.closeEditor()).toBe(false);
    expect(app.openFileReq?.path).toBe('a.txt');
  });

  it('an update is applied only outside a lesson', () => {
    const app = makeApp();
    const apply = vi.fn();
    app.offerUpdate(apply);
    expect(app.updateReady).toBe(true);
    app.status = { ...status, lessonId: 's3/01-first' };
    app.applyUpdate();
    expect(apply).not.toHaveBeenCalled();
    app.status = { ...status, lessonId: null };
    app.applyUpdate();
    expect(apply).toHaveBeenCalledTimes(1);
  });

  it('lesson effects show the lesson tab; afterResult keeps a plain copy for screen readers', async () => {
    const app = makeApp();
    app.api = fakeApi() as any;
    app.showTab('files');
    await app.afterResult('x', { exitCode: 1, stdout: '', stderr: '\x1b[31mboom\x1b[0m\n', effects: [{ type: 'lesson', action: 'open', id: 'l' }], status });
    expect(app.sideTab).toBe('lesson');
    expect(app.lastResultText).toBe('boom\n');
  });
});
