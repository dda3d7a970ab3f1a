import { describe, it, expect } from 'vitest';
import { world, testLesson, importTestPack } from './helpers';
import { afterExec, checkLessonReport, getProgress, currentLesson, lessonsView, parseLesson } from '../../../src/lessons';
import { importState } from '../../../src/engine/snapshot';
import { Sandbox } from '../../../src/engine';

function started() {
  const w = world();
  importTestPack(w.session, [testLesson()]);
  return w;
}

describe('sandbox lessons list', () => {
  it('lists imported lessons as text and JSON', () => {
    const { session } = started();
    const j = session.run('sandbox lessons list --output json');
    expect(j.exitCode).toBe(0);
    const rows = JSON.parse(j.stdout) as { id: string; title: string; track: string; order: number }[];
    expect(rows.find((r) => r.id === 'test/01-buckets')).toMatchObject({ title: 'Test buckets', track: 'test', order: 1 });
    const t = session.run('sandbox lessons list');
    expect(t.stdout).toContain('test/01-buckets');
    expect(session.run('sandbox lessons list --output xml').exitCode).toBe(2);
  });
});

describe('sandbox lesson start / check', () => {
  it('starts from a fresh world plus setup, and check exits 1 until the goals are met', () => {
    const { session, sandbox, run } = started();
    run('aws s3api create-bucket --bucket mine-before');
    const s = session.run('sandbox lesson start test/01-buckets');
    expect(s.exitCode).toBe(0);
    expect(s.stdout).toContain('Step 1 of 2: Make a bucket');
    expect(s.effects).toContainEqual({ type: 'lesson', action: 'open', id: 'test/01-buckets' });
    const ls = run('aws s3api list-buckets --query "Buckets[].Name" --output text');
    expect(ls.trim()).toBe('setup-bucket-1');
    const c = session.run('sandbox lesson check');
    expect(c.exitCode).toBe(1);
    expect(c.stdout).toContain('[ ] A bucket named notes-1 exists');
    expect(c.stdout).toContain('still missing: there is no bucket named notes-1 yet');
    expect(c.stdout).toContain('compared against: a bucket named notes-1 in us-east-1');
    expect(c.stdout).toContain('Stuck? sandbox lesson hint shows a hint.');
    run('aws s3api create-bucket --bucket notes-1');
    const ok = session.run('sandbox lesson check');
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('[x] A bucket named notes-1 exists');
    expect(ok.stdout).toContain('Step done. Next: step 2, Turn on versioning.');
    expect(currentLesson(sandbox)!.stepIndex).toBe(1);
    expect(session.run('sandbox lesson check').exitCode).toBe(1);
    expect(session.run('sandbox lesson check --all').exitCode).toBe(1);
  });

  it('an unknown lesson fails with exit 1, a missing id is a usage error', () => {
    const { session } = started();
    expect(session.run('sandbox lesson start nope/01-x').exitCode).toBe(1);
    expect(session.run('sandbox lesson start').exitCode).toBe(2);
    expect(session.run('sandbox lesson check').exitCode).toBe(1);
  });
});

describe('afterExec: live checking, steps, misses and hints', () => {
  it('moves through the steps as commands land and records a solve by the learner', () => {
    const { session, sandbox } = started();
    session.run('sandbox lesson start test/01-buckets');
    const exec = (line: string) => {
      session.run(line);
      return afterExec(sandbox, session, line);
    };
    let u = exec('aws s3api list-buckets');
    expect(u!.stepIndex).toBe(0);
    expect(u!.report!.parts[0]!.met).toBe(false);
    u = exec('aws s3api create-bucket --bucket notes-1');
    expect(u!.advanced).toEqual(['make']);
    expect(u!.stepIndex).toBe(1);
    u = exec('aws s3api put-bucket-versioning --bucket notes-1 --versioning-configuration Status=Enabled');
    expect(u!.report!.parts.map((p) => p.met)).toEqual([true, false]);
    exec('echo hi > a.txt');
    u = exec('aws s3api put-object --bucket notes-1 --key a.txt --body a.txt');
    expect(u!.completed).toBe(true);
    const p = getProgress(sandbox, 'test/01-buckets');
    expect(p.solved).toBe(true);
    expect(p.solvedWithSolution).toBe(false);
    expect(p.steps).toEqual({ make: 'learner', version: 'learner' });
    expect(session.run('sandbox lessons list').stdout).toMatch(/test\/01-buckets.*\[current\]/);
    expect(session.run('sandbox lesson check').exitCode).toBe(0);
  });

  it('offers a hint after repeated misses; hints come one at a time', () => {
    const { session, sandbox } = started();
    session.run('sandbox lesson start test/01-buckets');
    let u = null;
    for (let i = 0; i < 3; i++) {
      session.run('aws s3api list-buckets');
      u = afterExec(sandbox, session, 'aws s3api list-buckets');
    }
    expect(u!.offerHint).toBe(true);
    const h1 = session.run('sandbox lesson hint');
    expect(h1.exitCode).toBe(0);
    expect(h1.stdout).toContain('Hint 1 of 2 for "A bucket named notes-1 exists"');
    expect(h1.stdout).toContain('Buckets are made with create-bucket.');
    expect(afterExec(sandbox, session, 'sandbox lesson hint')!.offerHint).toBe(false);
    const h2 = session.run('sandbox lesson hint');
    expect(h2.stdout).toContain('aws s3api create-bucket --bucket notes-1');
    expect(h2.stdout).toContain('(the last hint)');
    expect(getProgress(sandbox, 'test/01-buckets').hintsUsed).toBe(2);
  });
});

describe('solutions', () => {
  it('prints the lines, and marks the lesson as seen', () => {
    const { session, sandbox } = started();
    const r = session.run('sandbox lesson solution test/01-buckets');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('# Step 1: Make a bucket\naws s3api create-bucket --bucket notes-1');
    expect(getProgress(sandbox, 'test/01-buckets').solutionSeen).toEqual(['make', 'version']);
  });

  it('replay keeps the attempt apart, counts as "with solution", and the attempt comes back', () => {
    const { session, sandbox, run } = started();
    session.run('sandbox lesson start test/01-buckets');
    run('aws s3api create-bucket --bucket my-own-try');
    afterExec(sandbox, session, 'x');
    const r = session.run('sandbox lesson solution --replay');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('$ aws s3api create-bucket --bucket notes-1');
    expect(lessonsView(sandbox).current!.hasAttempt).toBe(true);
    expect(run('aws s3api list-buckets --query "Buckets[].Name" --output text')).not.toContain('my-own-try');
    expect(currentLesson(sandbox)!.done).toEqual({ make: 'solution' });
    const back = session.run('sandbox lesson attempt');
    expect(back.exitCode).toBe(0);
    expect(run('aws s3api list-buckets --query "Buckets[].Name" --output text')).toContain('my-own-try');
    expect(currentLesson(sandbox)!.stepIndex).toBe(0);
    // finish it by hand: still not a solve by the learner, because step 1's solution was seen
    run('aws s3api create-bucket --bucket notes-1');
    afterExec(sandbox, session, 'x');
    run('aws s3api put-bucket-versioning --bucket notes-1 --versioning-configuration Status=Enabled', 'echo hi > a.txt', 'aws s3api put-object --bucket notes-1 --key a.txt --body a.txt');
    const u = afterExec(sandbox, session, 'x');
    expect(u!.completed).toBe(true);
    const p = getProgress(sandbox, 'test/01-buckets');
    expect(p.solved).toBe(false);
    expect(p.solvedWithSolution).toBe(true);
    expect(p.steps).toEqual({ make: 'solution', version: 'learner' });
    expect(session.run('sandbox lesson attempt').exitCode).toBe(1);
  });

  it('an assessment pack hides hints and solutions', () => {
    const { session } = world();
    importTestPack(session, [testLesson({ id: 'test/02-exam', title: 'Exam' })], { assessment: true });
    session.run('sandbox lesson start test/02-exam');
    expect(session.run('sandbox lesson hint').stderr).toContain('Hints are hidden in this assessment.');
    expect(session.run('sandbox lesson solution').exitCode).toBe(1);
    expect(session.run('sandbox lesson solution --replay').exitCode).toBe(1);
  });
});

describe('reset and exit', () => {
  it('reset goes back to the setup state and step 1', () => {
    const { session, sandbox, run } = started();
    session.run('sandbox lesson start test/01-buckets');
    run('aws s3api create-bucket --bucket notes-1', 'aws s3api create-bucket --bucket extra-1');
    afterExec(sandbox, session, 'x');
    expect(currentLesson(sandbox)!.stepIndex).toBe(1);
    expect(session.run('sandbox lesson reset').exitCode).toBe(0);
    expect(currentLesson(sandbox)!.stepIndex).toBe(0);
    expect(run('aws s3api list-buckets --query "Buckets[].Name" --output text').trim()).toBe('setup-bucket-1');
  });

  it('a lesson switches modes for its duration; exit --restore brings the free sandbox back', () => {
    const { session, sandbox, run } = world();
    importTestPack(session, [testLesson({ modes: { s3Consistency: 'eventual', quotas: { 's3-buckets': 100 } } })]);
    run('aws s3api create-bucket --bucket free-1');
    session.run('sandbox lesson start test/01-buckets');
    expect(sandbox.config().s3Consistency['us-east-1']).toBe('eventual');
    expect(sandbox.config().quotas['s3-buckets']).toBe(100);
    const e = session.run('sandbox lesson exit --restore');
    expect(e.exitCode).toBe(0);
    expect(e.stdout).toContain('your free sandbox is back');
    expect(sandbox.config().s3Consistency['us-east-1']).toBeUndefined();
    expect(run('aws s3api list-buckets --query "Buckets[].Name" --output text').trim()).toBe('free-1');
    expect(currentLesson(sandbox)).toBeUndefined();
    expect(session.run('sandbox lesson').stdout).toContain('free sandbox mode');
  });

  it('exit without --restore keeps the lesson world but ends its modes', () => {
    const { session, sandbox, run } = world();
    importTestPack(session, [testLesson({ modes: { s3Consistency: 'eventual' } })]);
    session.run('sandbox lesson start test/01-buckets');
    session.run('sandbox lesson exit');
    expect(sandbox.config().s3Consistency['us-east-1']).toBeUndefined();
    expect(run('aws s3api list-buckets --query "Buckets[].Name" --output text').trim()).toBe('setup-bucket-1');
  });
});

describe('grading: progress export and checkLessonReport', () => {
  it('a teacher checks an exported progress file', () => {
    const { session, sandbox, run } = started();
    session.run('sandbox lesson start test/01-buckets');
    run('aws s3api create-bucket --bucket notes-1');
    afterExec(sandbox, session, 'x');
    const partial = checkLessonReport(sandbox, 'test/01-buckets');
    expect(partial.ok).toBe(false);
    expect(partial.exitCode).toBe(1);
    expect(partial.text).toContain('[x] A bucket named notes-1 exists');
    expect(partial.text).toContain('[ ] notes-1 keeps versions');
    run('aws s3api put-bucket-versioning --bucket notes-1 --versioning-configuration Status=Enabled', 'echo hi > a.txt', 'aws s3api put-object --bucket notes-1 --key a.txt --body a.txt');
    afterExec(sandbox, session, 'x');
    const ex = session.run('sandbox progress export hand-in.json');
    expect(ex.exitCode).toBe(0);
    expect(ex.effects).toContainEqual({ type: 'download', path: '/home/learner/hand-in.json' });
    const text = sandbox.vfs.readText('/home/learner/hand-in.json');
    const doc = JSON.parse(text) as { format: string; progress: { lessons: { id: string; solved: boolean }[] } };
    expect(doc.format).toBe('nimbus-state');
    expect(doc.progress.lessons[0]).toMatchObject({ id: 'test/01-buckets', solved: true });
    // the teacher's side: a new sandbox loads the file
    const teacher = new Sandbox();
    importState(teacher, text);
    const rep = checkLessonReport(teacher, 'test/01-buckets');
    expect(rep.ok).toBe(true);
    expect(rep.exitCode).toBe(0);
    expect(rep.text).toContain('solved by the learner');
    expect(checkLessonReport(teacher, 'nope/01-x').exitCode).toBe(2);
  });
});

describe('sandbox lessons record', () => {
  it('turns typed commands into a draft lesson with proposed goals', () => {
    const { session, sandbox } = world();
    expect(session.run('sandbox lessons record stop').exitCode).toBe(1);
    const lines = ['sandbox lessons record start', 'aws s3api create-bucket --bucket rec-1', 'echo hi > h.txt', 'aws s3api put-object --bucket rec-1 --key h.txt --body h.txt --content-type text/plain'];
    for (const l of lines) {
      session.run(l);
      afterExec(sandbox, session, l);
    }
    const stop = session.run('sandbox lessons record stop --id mine/01-first --title "My first"');
    expect(stop.exitCode).toBe(0);
    expect(stop.stdout).toContain('Proposed 2 goal check(s). 2 of 2 proposed goals hold now.');
    const json = JSON.parse(sandbox.vfs.readText('/home/learner/lesson-drafts/mine/01-first/lesson.json')) as { steps: { solution: string[]; goals: { check: { type: string } }[] }[] };
    expect(json.steps[0]!.solution).toEqual(lines.slice(1));
    expect(json.steps[0]!.goals.map((g) => g.check.type)).toEqual(['bucket', 'object']);
    const md = sandbox.vfs.readText('/home/learner/lesson-drafts/mine/01-first/lesson.md');
    expect(parseLesson({ json, markdown: md }).errors).toEqual([]);
    expect(stop.effects.filter((e) => e.type === 'download')).toHaveLength(2);
  });
});

describe('resuming', () => {
  it('starting the running lesson again resumes it; --restart starts over', () => {
    const { session, sandbox, run } = started();
    session.run('sandbox lesson start test/01-buckets');
    run('aws s3api create-bucket --bucket notes-1');
    afterExec(sandbox, session, 'x');
    const again = session.run('sandbox lesson start test/01-buckets');
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('Resuming lesson test/01-buckets: Test buckets (step 2 of 2: Turn on versioning)');
    expect(currentLesson(sandbox)!.stepIndex).toBe(1);
    expect(run('aws s3api list-buckets --query "Buckets[].Name" --output text')).toContain('notes-1');
    session.run('sandbox lesson start test/01-buckets --restart');
    expect(currentLesson(sandbox)!.stepIndex).toBe(0);
    expect(run('aws s3api list-buckets --query "Buckets[].Name" --output text')).not.toContain('notes-1');
  });
});

describe('lesson modes', () => {
  it('sets the clock, the consistency of listed regions and files for the lesson', () => {
    const { session, sandbox, run } = world();
    importTestPack(session, [
      testLesson({
        modes: { clock: '2026-03-01T12:00:00Z', s3Consistency: 'eventual', s3ConsistencyRegions: ['eu-west-1', 'us-west-2'] },
        files: { 'data/a.txt': 'alpha\n' },
      }),
    ]);
    session.run('sandbox lesson start test/01-buckets');
    expect(sandbox.now()).toBe(Date.UTC(2026, 2, 1, 12));
    expect(sandbox.config().s3Consistency).toEqual({ 'eu-west-1': 'eventual', 'us-west-2': 'eventual' });
    expect(run('cat data/a.txt')).toBe('alpha\n');
  });
});
