import { describe, it, expect } from 'vitest';
import { SandboxBridge, isAllowedOrigin, EMBED_PROTOCOL_VERSION } from '../../../src/ui/embed/bridge';
import { Session } from '../../../src/cli/session';
import { Sandbox } from '../../../src/engine';
import { resourcesView } from '../../../src/worker/views';

class FakeWindow extends EventTarget {
  location = { origin: 'https://nimbus.test' };
  parent: unknown = this;
  sandbox?: unknown;
}
class FakePeer {
  got: { msg: any; origin: string }[] = [];
  postMessage(msg: unknown, origin: string) {
    this.got.push({ msg, origin });
  }
}
function message(win: FakeWindow, data: unknown, origin: string, source: FakePeer) {
  const ev = new MessageEvent('message', { data, origin });
  Object.defineProperty(ev, 'source', { value: source });
  win.dispatchEvent(ev);
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('embed bridge', () => {
  it('isAllowedOrigin accepts the page itself and only the named parent', () => {
    expect(isAllowedOrigin('https://a', 'https://a', null)).toBe(true);
    expect(isAllowedOrigin('https://docs', 'https://a', 'https://docs')).toBe(true);
    expect(isAllowedOrigin('https://evil', 'https://a', 'https://docs')).toBe(false);
    expect(isAllowedOrigin('https://docs', 'https://a', null)).toBe(false);
  });

  it('answers hello and exec from the allowed parent through the session, refuses others', async () => {
    const session = new Session(new Sandbox());
    const win = new FakeWindow();
    const bridge = new SandboxBridge(async (line) => session.run(line), 'https://docs.test', win as unknown as Window);
    bridge.install();
    const parent = new FakePeer();
    message(win, { type: 'nimbus:hello', version: EMBED_PROTOCOL_VERSION }, 'https://docs.test', parent);
    message(win, { type: 'nimbus:exec', id: 1, line: 'echo hi there' }, 'https://docs.test', parent);
    await tick();
    expect(parent.got).toHaveLength(0); // nothing before the terminal is ready
    let readyEvents = 0;
    win.addEventListener('nimbus:ready', () => readyEvents++);
    bridge.markReady({});
    await tick();
    await tick();
    expect(readyEvents).toBe(1);
    expect(parent.got.map((g) => g.msg.type).sort()).toEqual(['nimbus:ready', 'nimbus:result']);
    const result = parent.got.find((g) => g.msg.type === 'nimbus:result')!;
    expect(result.origin).toBe('https://docs.test');
    expect(result.msg).toMatchObject({ id: 1, exitCode: 0, stdout: 'hi there\n', stderr: '' });

    const evil = new FakePeer();
    message(win, { type: 'nimbus:exec', id: 2, line: 'echo nope' }, 'https://evil.test', evil);
    await tick();
    expect(evil.got[0]!.msg.type).toBe('nimbus:error');
    expect(evil.got[0]!.msg.message).toMatch(/not allowed/);

    // state events reach peers that said hello
    bridge.emit('state', { region: 'us-east-1' });
    expect(parent.got.at(-1)!.msg).toEqual({ type: 'nimbus:state', status: { region: 'us-east-1' } });
  });

  it('window.sandbox.exec and on(result) work once ready', async () => {
    const session = new Session(new Sandbox());
    const win = new FakeWindow();
    const bridge = new SandboxBridge(async (line) => session.run(line), null, win as unknown as Window);
    bridge.markReady({});
    const api = (win as unknown as { sandbox: { exec(l: string): Promise<{ exitCode: number; stderr: string }>; on: Function; version: number } }).sandbox;
    expect(api.version).toBe(EMBED_PROTOCOL_VERSION);
    const seen: unknown[] = [];
    const off = api.on('result', (d: unknown) => seen.push(d));
    bridge.emit('result', { line: 'x' });
    off();
    bridge.emit('result', { line: 'y' });
    expect(seen).toEqual([{ line: 'x' }]);
    const r = await api.exec('no-such-command');
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toMatch(/command not found/);
  });
});

describe('resources view', () => {
  it('lists buckets made through the CLI and tolerates empty services', () => {
    const session = new Session(new Sandbox());
    const before = resourcesView(session.sandbox);
    expect(before.buckets).toEqual([]);
    expect(before.clusters).toEqual([]);
    const r = session.run('aws s3api create-bucket --bucket view-test-bucket');
    expect(r.exitCode).toBe(0);
    const after = resourcesView(session.sandbox);
    expect(after.buckets!.map((b) => b.name)).toEqual(['view-test-bucket']);
    expect(after.buckets![0]!.detail).toBe('us-east-1 · 0 objects');
    session.sandbox.mutate((sb) => sb.vfs.writeText('/home/learner/a.txt', 'hello'));
    expect(session.run('aws s3 cp a.txt s3://view-test-bucket/a.txt').exitCode).toBe(0);
    expect(session.run('aws s3 cp a.txt s3://view-test-bucket/b.txt').exitCode).toBe(0);
    expect(session.run('aws s3 rm s3://view-test-bucket/b.txt').exitCode).toBe(0);
    expect(resourcesView(session.sandbox).buckets![0]!.detail).toBe('us-east-1 · 1 object');
    // the panel runs the item's command on click: it must work as typed
    const shown = session.run(after.buckets![0]!.command!);
    expect(shown.exitCode).toBe(0);
  });
  it('lists ECS clusters made through the CLI', () => {
    const session = new Session(new Sandbox());
    const r = session.run('aws ecs create-cluster --cluster-name demo');
    expect(r.exitCode).toBe(0);
    const clusters = resourcesView(session.sandbox).clusters!;
    expect(clusters.map((c) => c.name)).toEqual(['demo']);
    const shown = session.run(clusters[0]!.command!);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain('"clusterName": "demo"');
  });
});
