import { describe, it, expect, beforeEach } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session, HISTORY_LIMIT } from '../../../src/cli/session';
import { registerCommand, getCommand } from '../../../src/cli/commands/registry';
import { scanLine } from '../../../src/cli/shell/complete';

let s: Session;
beforeEach(() => {
  s = new Session(new Sandbox());
});

describe('completion', () => {
  it('completes command names for the first word', () => {
    expect(s.complete('gr', 2)).toEqual({ from: 0, candidates: ['grep'] });
    expect(s.complete('ls; ec', 6)).toEqual({ from: 4, candidates: ['echo'] });
    expect(s.complete('cat x | hea', 11).candidates).toEqual(['head']);
    expect(s.complete('X=1 ech', 7).candidates).toEqual(['echo']);
  });
  it('completes files and folders (folders with a trailing slash)', () => {
    s.run('mkdir -p app/src; touch app/main.ts apple.txt .hidden');
    expect(s.complete('cat ap', 6)).toEqual({ from: 4, candidates: ['app/', 'apple.txt'] });
    expect(s.complete('cat app/', 8)).toEqual({ from: 4, candidates: ['app/main.ts', 'app/src/'] });
    expect(s.complete('cat ', 4).candidates).toEqual(['app/', 'apple.txt']);
    expect(s.complete('cat .h', 6).candidates).toEqual(['.hidden']);
    expect(s.complete('echo x > app/m', 14)).toEqual({ from: 9, candidates: ['app/main.ts'] });
    expect(s.complete('cd ~/ap', 7).candidates).toEqual(['~/app/', '~/apple.txt']);
  });
  it('uses the word under the cursor, not the end of the line', () => {
    s.run('touch alpha.txt');
    expect(s.complete('cat al more', 6)).toEqual({ from: 4, candidates: ['alpha.txt'] });
  });
  it('escapes special characters unless the word is quoted', () => {
    s.run('touch "my file.txt"');
    expect(s.complete('cat my', 6).candidates).toEqual(['my\\ file.txt']);
    expect(s.complete('cat "my', 7)).toEqual({ from: 4, candidates: ['"my file.txt'] });
  });
  it('completes $variables', () => {
    s.run('BUCKET=b; BUCKET_2=c');
    expect(s.complete('echo $BUC', 9).candidates).toEqual(['$BUCKET', '$BUCKET_2']);
  });
  it("hands arguments to the command's own completer", () => {
    const name = 'zz-completer-test';
    let seen: string[] = [];
    registerCommand({
      name,
      summary: 'test',
      run: () => 0,
      complete(_ctx, argv, partial) {
        seen = [...argv, `<${partial}>`];
        return ['beta', 'alpha', 'alpha'].filter((c) => c.startsWith(partial));
      },
    });
    expect(s.complete(`${name} one a`, name.length + 6)).toEqual({ from: name.length + 5, candidates: ['alpha'] });
    expect(seen).toEqual(['one', '<a>']);
    expect(getCommand(name)).toBeDefined();
  });
  it('scans quotes and operators', () => {
    expect(scanLine('aws s3 cp "a b" s3://x')).toMatchObject({ words: ['aws', 's3', 'cp', 'a b'], partial: 's3://x', from: 16 });
    expect(scanLine('echo hi 2> er')).toMatchObject({ words: ['echo', 'hi'], partial: 'er', afterRedirect: true });
    expect(scanLine('echo $(ca')).toMatchObject({ words: [], partial: 'ca' });
  });
});

describe('history', () => {
  it('adds lines, skipping blanks and repeats; run() does not add', () => {
    s.run('echo not recorded');
    s.addHistory('aws s3 ls');
    s.addHistory('aws s3 ls');
    s.addHistory('   ');
    s.addHistory('ls -l');
    s.addHistory('aws s3 ls');
    expect(s.history()).toEqual(['aws s3 ls', 'ls -l', 'aws s3 ls']);
    const rows = [...s.sandbox.db.table<{ line: string; at: number }>('history').entries()];
    expect(rows[0]).toEqual(['0000000001', { line: 'aws s3 ls', at: s.sandbox.now() }]);
  });
  it('the history builtin numbers lines like bash; -c clears', () => {
    s.addHistory('aws s3 ls');
    s.addHistory('history');
    expect(s.run('history').stdout).toBe('    1  aws s3 ls\n    2  history\n');
    expect(s.run('history 1').stdout).toBe('    2  history\n');
    s.run('history -c');
    expect(s.history()).toEqual([]);
    s.addHistory('pwd');
    expect(s.run('history').stdout).toBe('    1  pwd\n');
  });
  it(`keeps only the last ${HISTORY_LIMIT} entries`, () => {
    for (let i = 1; i <= HISTORY_LIMIT + 25; i++) s.addHistory(`echo ${i}`);
    const h = s.history();
    expect(h).toHaveLength(HISTORY_LIMIT);
    expect(h[0]).toBe('echo 26');
    expect(h[h.length - 1]).toBe(`echo ${HISTORY_LIMIT + 25}`);
    expect(s.sandbox.db.table('history').size).toBe(HISTORY_LIMIT);
    expect(s.run('history 1').stdout).toBe(` ${HISTORY_LIMIT + 25}  echo ${HISTORY_LIMIT + 25}\n`);
  });
  it('history is part of the persisted changes', () => {
    s.sandbox.takeChanges();
    s.addHistory('aws sts get-caller-identity');
    const tables = s.sandbox.takeChanges().map((c) => c.table);
    expect(tables).toContain('history');
  });
});

describe('completion of session functions', () => {
  it('offers functions defined earlier as command names', () => {
    s.run('deploy_stack() { echo deploying; }');
    expect(s.complete('deploy_', 7).candidates).toEqual(['deploy_stack']);
    expect(s.run('deploy_stack').stdout).toBe('deploying\n');
  });
});
