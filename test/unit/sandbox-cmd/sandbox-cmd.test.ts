import { describe, it, expect } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';
import { UndoStack, attachUndoStack } from '../../../src/cli/undo';
import { completeSandbox } from '../../../src/cli/sandbox/command';

/** A session whose owner records undo after each line, as the Worker and runner do. */
function setup(seed = 1) {
  const sandbox = new Sandbox({ seed });
  const session = new Session(sandbox);
  const undo = attachUndoStack(sandbox, new UndoStack());
  sandbox.takeChanges();
  const run = (line: string) => {
    const r = session.run(line);
    undo.record(sandbox.takeChanges(), line);
    return r;
  };
  return { sandbox, session, undo, run };
}

describe('sandbox command: dispatch and help', () => {
  it('lists subcommands with `sandbox help` and with no arguments', () => {
    const { run } = setup();
    for (const line of ['sandbox help', 'sandbox']) {
      const r = run(line);
      expect(r.exitCode).toBe(0);
      for (const w of ['clock advance', 'status', 'quota set', 'export', 'import', 'reset', 'undo', 'redo', 'seed']) expect(r.stdout).toContain(w);
    }
  });

  it('an unknown subcommand exits 2 with a suggestion', () => {
    const { run } = setup();
    const r = run('sandbox clok');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown subcommand "clok"');
    expect(r.stderr).toContain('Did you mean: sandbox clock');
    expect(r.stdout).toBe('');
  });

  it('shows one subcommand\'s usage with help or --help', () => {
    const { run } = setup();
    expect(run('sandbox help clock advance').stdout).toMatch(/Usage: sandbox clock advance DURATION/);
    expect(run('sandbox quota set --help').stdout).toMatch(/sandbox quota set NAME N/);
  });

  it('completes subcommand words', () => {
    const { sandbox, session } = setup();
    const c = { sandbox, session, cwd: '/home/learner' };
    expect(completeSandbox(c, [], 'cl')).toEqual(['clock']);
    expect(completeSandbox(c, [], 're')).toEqual(['redo', 'reset']);
    expect(completeSandbox(c, ['quota'], '')).toEqual(['list', 'set']);
    expect(completeSandbox(c, ['quota', 'set'], 's3')).toEqual(['s3-buckets']);
    expect(completeSandbox(c, ['clock'], 'adv')).toEqual(['advance']);
  });
});

describe('sandbox clock', () => {
  it('shows the simulated time in ISO and in words', () => {
    const { run } = setup();
    const r = run('sandbox clock');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('2026-01-05T09:00:00+00:00');
    expect(r.stdout).toContain('Monday 5 January 2026, 09:00:00 UTC');
  });

  it('advance runs the timers that fall due, in order, and says how many ran', () => {
    const { sandbox, run } = setup();
    const seen: [string, number][] = [];
    sandbox.scheduler.on('test-ping', (payload, at) => {
      seen.push([String(payload), at]);
      sandbox.db.table('test.pings').set(String(payload), { at });
    });
    const t0 = sandbox.now();
    sandbox.mutate((s) => {
      s.scheduler.schedule(t0 + 120_000, 'test-ping', 'b');
      s.scheduler.schedule(t0 + 60_000, 'test-ping', 'a');
      s.scheduler.schedule(t0 + 10 * 3_600_000, 'test-ping', 'late');
    });
    sandbox.takeChanges();
    expect(run('sandbox clock').stdout).toContain('3 scheduled events');
    const r = run('sandbox clock advance 1h30m');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('2026-01-05T10:30:00+00:00');
    expect(r.stdout).toContain('2 scheduled events ran');
    expect(seen).toEqual([['a', t0 + 60_000], ['b', t0 + 120_000]]);
    expect(sandbox.db.table('test.pings').size).toBe(2);
    expect(run('sandbox clock advance 9h').stdout).toContain('1 scheduled event ran');
    expect(seen.map((s) => s[0])).toEqual(['a', 'b', 'late']);
  });

  it('accepts 90s, 5m, 2h, 3d and rejects a non-duration with exit 2', () => {
    const { sandbox, run } = setup();
    const t0 = sandbox.now();
    for (const d of ['90s', '5m', '2h', '3d']) expect(run(`sandbox clock advance ${d}`).exitCode).toBe(0);
    expect(sandbox.now() - t0).toBe(90_000 + 300_000 + 7_200_000 + 3 * 86_400_000);
    const bad = run('sandbox clock advance soon');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('"soon" is not a duration');
    expect(run('sandbox clock advance').exitCode).toBe(2);
  });
});

describe('sandbox status, seed and quota', () => {
  it('status shows clock, region, identity, seed and changed quotas', () => {
    const { run } = setup(42);
    run('sandbox quota set s3-buckets 100');
    const r = run('sandbox status');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('2026-01-05T09:00:00+00:00');
    expect(r.stdout).toContain('us-east-1');
    expect(r.stdout).toContain('arn:aws:iam::123456789012:user/admin');
    expect(r.stdout).toContain('Seed:       42');
    expect(r.stdout).toContain('s3-buckets: 100 (default 10000)');
    expect(r.stdout).toContain('S3 consistency: strong');
    const j = JSON.parse(run('sandbox status --json').stdout);
    expect(j.seed).toBe(42);
    expect(j.quotas['s3-buckets']).toEqual({ value: 100, default: 10000 });
    expect(run('sandbox seed').stdout).toBe('42\n');
  });

  it('quota set changes the config and explains it; bad input exits 2', () => {
    const { sandbox, run } = setup();
    const r = run('sandbox quota set s3-buckets 20000');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('approved quota increase');
    expect(sandbox.config().quotas['s3-buckets']).toBe(20000);
    expect(run('sandbox quota list').stdout).toMatch(/s3-buckets\s+20000\s+10000/);
    const unknown = run('sandbox quota set s3-bukets 5');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('known quotas: ');
    expect(run('sandbox quota set s3-buckets -1').exitCode).toBe(2);
    expect(sandbox.config().quotas['s3-buckets']).toBe(20000);
  });
});

describe('sandbox export / import / reset', () => {
  it('export writes the state into the home folder and asks the app to download it', () => {
    const { sandbox, run } = setup();
    run('sandbox quota set s3-buckets 100');
    const r = run('sandbox export saved.json');
    expect(r.exitCode).toBe(0);
    expect(r.effects).toEqual([{ type: 'download', path: '/home/learner/saved.json' }]);
    const doc = JSON.parse(sandbox.vfs.readText('/home/learner/saved.json'));
    expect(doc.format).toBe('nimbus-state');
    expect(doc.tables.meta.config.quotas['s3-buckets']).toBe(100);
  });

  it('import loads an exported file and says the state was replaced', () => {
    const a = setup(3);
    a.run('sandbox quota set ecs-clusters 5');
    a.run('sandbox clock advance 2h');
    a.run('sandbox export state.json');
    const json = a.sandbox.vfs.readText('/home/learner/state.json');

    const b = setup(9);
    b.sandbox.mutate((s) => s.vfs.writeText('/home/learner/in.json', json));
    const r = b.run('sandbox import in.json');
    expect(r.exitCode).toBe(0);
    expect(r.effects).toEqual([{ type: 'state-replaced' }]);
    expect(b.sandbox.config().quotas['ecs-clusters']).toBe(5);
    expect(b.sandbox.now()).toBe(a.sandbox.now());
    expect(b.run('sandbox seed').stdout).toBe('3\n');
    // the imported state did not contain in.json
    expect(b.sandbox.vfs.exists('/home/learner/in.json')).toBe(false);
  });

  it('export/import carries S3 buckets, object bodies and uploads in progress', () => {
    const a = setup();
    a.sandbox.mutate((s) => s.vfs.writeText('/home/learner/f.txt', 'hello\n'));
    expect(a.run('aws s3 mb s3://photos-rt').exitCode).toBe(0);
    expect(a.run('aws s3 cp f.txt s3://photos-rt/a/f.txt').exitCode).toBe(0);
    expect(a.run('aws s3api create-multipart-upload --bucket photos-rt --key big').exitCode).toBe(0);
    expect(a.run('sandbox export st.json').exitCode).toBe(0);
    const b = setup(8);
    b.sandbox.mutate((s) => s.vfs.writeText('/home/learner/st.json', a.sandbox.vfs.readText('/home/learner/st.json')));
    expect(b.run('sandbox import st.json').exitCode).toBe(0);
    expect(b.run('aws s3 cp s3://photos-rt/a/f.txt -').stdout).toBe('hello\n');
    expect(JSON.parse(b.run('aws s3api list-multipart-uploads --bucket photos-rt --query Uploads[].Key').stdout)).toEqual(['big']);
    // new bodies after the import do not collide with imported ones
    b.sandbox.mutate((s) => s.vfs.writeText('/home/learner/g.txt', 'other'));
    expect(b.run('aws s3 cp g.txt s3://photos-rt/g.txt').exitCode).toBe(0);
    expect(b.run('aws s3 cp s3://photos-rt/a/f.txt -').stdout).toBe('hello\n');
  });

  it('import refuses a damaged file and changes nothing', () => {
    const { sandbox, run } = setup();
    sandbox.mutate((s) => s.vfs.writeText('/home/learner/bad.json', '{"format":"nimbus-state","version":1}'));
    run('sandbox quota set s3-buckets 7');
    const r = run('sandbox import bad.json');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('is not a valid Nimbus state');
    expect(r.effects).toEqual([]);
    expect(sandbox.config().quotas['s3-buckets']).toBe(7);
    expect(run('sandbox import missing.json').exitCode).toBe(1);
  });

  it('reset asks first without --yes, and starts over with it (keeping history and lesson progress)', () => {
    const { sandbox, session, run } = setup();
    run('sandbox quota set s3-buckets 1');
    session.addHistory('sandbox quota set s3-buckets 1');
    sandbox.mutate((s) => {
      s.db.table('lessons.progress').set('s3/01', { solved: true });
      s.vfs.writeText('/home/learner/gone.txt', 'bye');
    });
    const ask = run('sandbox reset');
    expect(ask.exitCode).toBe(0);
    expect(ask.effects).toEqual([{ type: 'confirm-reset' }]);
    expect(sandbox.config().quotas['s3-buckets']).toBe(1);
    const r = run('sandbox reset --yes --seed 5');
    expect(r.exitCode).toBe(0);
    expect(r.effects).toEqual([{ type: 'state-replaced' }]);
    expect(sandbox.config().quotas['s3-buckets']).toBe(10000);
    expect(sandbox.vfs.exists('/home/learner/gone.txt')).toBe(false);
    expect(sandbox.db.table('lessons.progress').get('s3/01')).toEqual({ solved: true });
    expect(session.history()).toEqual(['sandbox quota set s3-buckets 1']);
    expect(run('sandbox seed').stdout).toBe('5\n');
  });
});

describe('sandbox undo / redo', () => {
  it('undoes and redoes whole lines, newest first', () => {
    const { sandbox, run } = setup();
    const t0 = sandbox.now();
    run('sandbox quota set s3-buckets 50');
    run('sandbox clock advance 1h');
    let r = run('sandbox undo');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Undone: sandbox clock advance 1h');
    expect(sandbox.now()).toBe(t0);
    expect(sandbox.config().quotas['s3-buckets']).toBe(50);
    r = run('sandbox undo');
    expect(r.stdout).toContain('Undone: sandbox quota set s3-buckets 50');
    expect(sandbox.config().quotas['s3-buckets']).toBe(10000);
    r = run('sandbox undo');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Nothing to undo');
    r = run('sandbox redo');
    expect(r.stdout).toContain('Redone: sandbox quota set s3-buckets 50');
    expect(sandbox.config().quotas['s3-buckets']).toBe(50);
    r = run('sandbox redo');
    expect(sandbox.now()).toBe(t0 + 3_600_000);
    expect(run('sandbox redo').exitCode).toBe(1);
  });

  it('undo restores home-folder files and their bodies; a new change clears redo', () => {
    const { sandbox, run, undo } = setup();
    sandbox.mutate((s) => s.vfs.writeText('/home/learner/a.txt', 'one'));
    undo.record(sandbox.takeChanges(), 'write one');
    sandbox.mutate((s) => s.vfs.writeText('/home/learner/a.txt', 'two'));
    undo.record(sandbox.takeChanges(), 'write two');
    expect(run('sandbox undo').exitCode).toBe(0);
    expect(sandbox.vfs.readText('/home/learner/a.txt')).toBe('one');
    run('sandbox quota set s3-buckets 3');
    expect(run('sandbox redo').exitCode).toBe(1);
    run('sandbox undo');
    run('sandbox undo');
    expect(sandbox.vfs.exists('/home/learner/a.txt')).toBe(false);
    expect(sandbox.blobs.count).toBe(0);
  });

  it('is not available without an undo stack', () => {
    const sandbox = new Sandbox();
    const r = new Session(sandbox).run('sandbox undo');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('not available');
  });
});
