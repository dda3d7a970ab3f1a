import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logicalLines, parseRunnerArgs, runScript, UsageError, type RunnerIO, type RunnerOptions } from '../../../src/runner/run';

const ROOT = join(__dirname, '../../..');

function runCli(args: string[], input: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/runner/main.ts'), ...args], {
    input,
    encoding: 'utf8',
    cwd: ROOT,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function memIO(files: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io: RunnerIO = {
    out: (t) => (out += t),
    err: (t) => (err += t),
    readFile: (p) => {
      if (!(p in files)) throw new Error(`ENOENT ${p}`);
      return files[p]!;
    },
    readBytes: (p) => new TextEncoder().encode(io.readFile(p)),
    writeFile: (p, t) => (files[p] = t),
    walk: (d) => Object.keys(files).filter((f) => f.startsWith(d + '/')).map((f) => f.slice(d.length + 1)),
  };
  return { io, files, get out() { return out; }, get err() { return err; } };
}

const opts = (o: Partial<RunnerOptions> = {}): RunnerOptions => ({ mode: 'json', ...o });
const jsonLines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l));

describe('runner: script lines', () => {
  it('joins backslash continuations and unclosed quotes, skips blanks and comments', () => {
    const lines = logicalLines('echo a \\\n  b\n\n# a comment\n  # indented comment\necho "x\ny" # it\'s fine\necho \'q\' # "\necho last');
    expect(lines.map((l) => l.text)).toEqual(['echo a   b', 'echo "x\ny" # it\'s fine', 'echo \'q\' # "', 'echo last']);
    expect(lines.map((l) => l.lineNo)).toEqual([1, 6, 8, 9]);
  });

  it('a quote left open to the end fails alone and the following lines still run', () => {
    const lines = logicalLines('echo "oops\necho ok\necho \'multi\nline\'\n');
    expect(lines).toEqual([
      { text: 'echo "oops', lineNo: 1 },
      { text: 'echo ok', lineNo: 2 },
      { text: "echo 'multi\nline'", lineNo: 3 },
    ]);
  });

  it('parses options and rejects bad ones', () => {
    expect(parseRunnerArgs(['--json', '--seed', '7', '--home=dir', 's.sh'])).toEqual({ mode: 'json', seed: 7, home: 'dir', script: 's.sh' });
    expect(() => parseRunnerArgs(['--seed', 'x'])).toThrow(UsageError);
    expect(() => parseRunnerArgs(['--nope'])).toThrow(/unknown option/);
    expect(() => parseRunnerArgs(['--state'])).toThrow(/needs a value/);
    expect(() => parseRunnerArgs(['a', 'b'])).toThrow(/only one SCRIPT/);
  });
});

describe('runner: in process', () => {
  it('--json gives one object per logical line, and the exit code of the last line', async () => {
    const m = memIO();
    const code = await runScript(opts(), 'echo one\n\necho two; echo three\nnosuchcmd\n', m.io);
    const objs = jsonLines(m.out);
    expect(objs).toEqual([
      { cmd: 'echo one', exitCode: 0, stdout: 'one\n', stderr: '' },
      { cmd: 'echo two; echo three', exitCode: 0, stdout: 'two\nthree\n', stderr: '' },
      { cmd: 'nosuchcmd', exitCode: 127, stdout: '', stderr: expect.stringContaining('command not found') },
    ]);
    expect(code).toBe(127);
  });

  it('text mode prints stdout and stderr as the terminal would', async () => {
    const m = memIO();
    const code = await runScript(opts({ mode: 'text' }), 'echo hi\nsandbox clok\n', m.io);
    expect(m.out).toBe('hi\n');
    expect(m.err).toContain('unknown subcommand "clok"');
    expect(code).toBe(2);
  });

  it('--home copies files into the home folder; --save then --state carries the state over', async () => {
    const m = memIO({ 'proj/taskdef.json': '{"family":"web"}', 'proj/site/index.html': '<p>hi</p>' });
    await runScript(opts({ home: 'proj', save: 'out.json', seed: 4 }), 'sandbox clock advance 1h\nsandbox quota set s3-buckets 100\n', m.io);
    const saved = JSON.parse(m.files['out.json']!);
    expect(saved.format).toBe('nimbus-state');
    expect(Object.keys(saved.tables.fs)).toEqual(expect.arrayContaining(['/home/learner/taskdef.json', '/home/learner/site/index.html']));

    const m2 = memIO({ 'out.json': m.files['out.json']! });
    const code = await runScript(opts({ state: 'out.json' }), 'sandbox clock\nsandbox seed\n', m2.io);
    const [clock, seed] = jsonLines(m2.out);
    expect(clock.stdout).toContain('2026-01-05T10:00:00+00:00');
    expect(seed.stdout).toBe('4\n');
    expect(code).toBe(0);
  });

  it('a bad --state file is a usage error (exit 2 in main)', async () => {
    const m = memIO({ 'bad.json': '{"format":"nope"}' });
    await expect(runScript(opts({ state: 'bad.json' }), 'echo x', m.io)).rejects.toThrow(/not a valid Nimbus state/);
    await expect(runScript(opts({ state: 'missing.json' }), 'echo x', m.io)).rejects.toThrow(/cannot read --state/);
  });

  it('--check-lesson returns the checker\'s verdict as the exit code', async () => {
    const checker = (sb: { config(): { quotas: Record<string, number> } }, id: string) => ({
      ok: sb.config().quotas['s3-buckets'] === 100,
      text: `lesson ${id}: quota goal`,
    });
    const pass = memIO();
    expect(await runScript(opts({ mode: 'text', checkLesson: 'demo' }), 'sandbox quota set s3-buckets 100', pass.io, { checkLesson: checker })).toBe(0);
    expect(pass.out).toContain('lesson demo: quota goal');
    const fail = memIO();
    expect(await runScript(opts({ mode: 'text', checkLesson: 'demo' }), 'echo nothing', fail.io, { checkLesson: checker })).toBe(1);
  });

  it('--parse reports only aws lines and runs nothing', async () => {
    const m = memIO();
    const seen: string[] = [];
    const code = await runScript(opts({ mode: 'parse', save: 's.json' }), 'sandbox clock advance 1h\naws s3api list-buckets\naws bad\n', m.io, {
      parseAwsLine: (_s, line) => {
        seen.push(line);
        return line.includes('bad') ? { exitCode: 252, stderr: 'usage' } : { exitCode: 0, operation: 'ListBuckets', params: {} };
      },
    });
    expect(seen).toEqual(['aws s3api list-buckets', 'aws bad']);
    expect(jsonLines(m.out)).toEqual([
      { cmd: 'aws s3api list-buckets', exitCode: 0, operation: 'ListBuckets', params: {} },
      { cmd: 'aws bad', exitCode: 252, operation: null, stderr: 'usage' },
    ]);
    expect(code).toBe(252);
    expect(JSON.parse(m.files['s.json']!).tables.meta.clock).toBe(Date.UTC(2026, 0, 5, 9, 0, 0));
  });
});

describe('runner: the real command line (npm run -s sandbox)', { timeout: 60_000 }, () => {
  it('--json on stdin: builtins, a malformed line, an unknown command; exit code of the last line', () => {
    const script = ['echo hello world', 'echo "unclosed', 'sandbox clock advance 5m', 'sandbox seed', 'frobnicate'].join('\n') + '\n';
    const r = runCli(['--json', '--seed', '3'], script);
    const objs = jsonLines(r.stdout);
    expect(objs.map((o) => o.cmd)).toEqual(['echo hello world', 'echo "unclosed', 'sandbox clock advance 5m', 'sandbox seed', 'frobnicate']);
    expect(objs[0]).toEqual({ cmd: 'echo hello world', exitCode: 0, stdout: 'hello world\n', stderr: '' });
    expect(objs[1].exitCode).toBe(2);
    expect(objs[1].stdout).toBe('');
    expect(objs[1].stderr).toMatch(/unexpected EOF|unclosed|matching/i);
    expect(objs[2]).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('2026-01-05T09:05:00+00:00') });
    expect(objs[3]).toMatchObject({ exitCode: 0, stdout: '3\n' });
    expect(objs[4]).toMatchObject({ exitCode: 127, stderr: expect.stringContaining('frobnicate: command not found') });
    expect(r.code).toBe(127);
  });

  it('--json runs the issue\'s script: aws --version, aws help, sts get-caller-identity, a malformed aws line, a builtin', () => {
    const script = ['aws --version', 'aws help', 'aws sts get-caller-identity', 'aws sts get-caller-identity --output tex', 'echo done'].join('\n');
    const r = runCli(['--json'], script);
    const objs = jsonLines(r.stdout);
    expect(objs.map((o) => o.exitCode)).toEqual([0, 0, 0, 252, 0]);
    expect(objs[0].stdout).toMatch(/^aws-cli\/2\.\d+\.\d+ /);
    expect(objs[1].stdout).toContain('aws');
    expect(JSON.parse(objs[2].stdout)).toEqual({ UserId: 'AIDAEXAMPLEADMIN0001', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/admin' });
    expect(objs[3].stdout).toBe('');
    expect(objs[3].stderr).toContain('usage: aws [options]');
    expect(objs[3].stderr).toContain('--output');
    expect(objs[4]).toEqual({ cmd: 'echo done', exitCode: 0, stdout: 'done\n', stderr: '' });
    expect(r.code).toBe(0);
  });

  it('--parse prints the API call of each aws line, variables expanded, and 252 for a refused line', () => {
    const script = 'B=my-bucket\naws s3api create-bucket --bucket $B\naws ecs register-task-definition --family web --cpu 256 --container-definitions name=a,image=nginx\necho skipped\naws s3api list-buckets --bogus\n';
    const r = runCli(['--parse'], script);
    const objs = jsonLines(r.stdout);
    expect(objs).toHaveLength(3);
    expect(objs[0]).toEqual({ cmd: 'aws s3api create-bucket --bucket $B', exitCode: 0, operation: 'CreateBucket', params: { Bucket: 'my-bucket' } });
    expect(objs[1].operation).toBe('RegisterTaskDefinition');
    expect(objs[1].params.cpu).toBe('256');
    expect(objs[2].exitCode).toBe(252);
    expect(objs[2].params).toBeUndefined();
    expect(r.code).toBe(252);
  });

  it('runs a SCRIPT file with --home, --save and prints like the terminal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-runner-'));
    mkdirSync(join(dir, 'home'));
    writeFileSync(join(dir, 'home', 'hello.txt'), 'from disk');
    writeFileSync(join(dir, 's.sh'), '# setup\nsandbox clock advance 90s\nsandbox seed\nfrobnicate\n');
    const r = runCli(['--home', join(dir, 'home'), '--save', join(dir, 'out.json'), join(dir, 's.sh')], '');
    expect(r.stdout).toContain('Advanced 1m30s');
    expect(r.stdout).toContain('\n1\n');
    expect(r.stderr).toContain('frobnicate: command not found');
    expect(r.code).toBe(127);
    const saved = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    expect(saved.tables.fs['/home/learner/hello.txt'].size).toBe(9);
    const bad = runCli(['--frob'], '');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown option --frob');
  });
});
