import { describe, it, expect } from 'vitest';
import { world } from './helpers';
import { runAfterExec, currentLessonId } from '../../../src/worker/hooks';
import '../../../src/lessons/worker';
import { currentLesson, checkLessonReport, bundledLessons, lessonsView } from '../../../src/lessons';
import { runScript, parseRunnerArgs } from '../../../src/runner/run';
import { runView } from '../../../src/engine/views';

describe('the Worker hook (src/lessons/worker.ts)', () => {
  it('checks the lesson after every line and reports the lesson id', async () => {
    const { sandbox, session } = world();
    const exec = async (line: string) => {
      const result = session.run(line);
      await runAfterExec({ kind: 'exec', line, result, sandbox, session });
    };
    await exec('sandbox lesson start s3/01-objects');
    expect(currentLessonId(sandbox)).toBe('s3/01-objects');
    expect(currentLesson(sandbox)!.stepIndex).toBe(0);
    await exec('aws s3api create-bucket --bucket notes-hook-1');
    expect(currentLesson(sandbox)!.stepIndex).toBe(1);
    await exec('sandbox lesson exit');
    expect(currentLessonId(sandbox)).toBeNull();
  });

  it("serves the panel's 'lessons' view with the track map and live goals", () => {
    const { sandbox, session } = world();
    session.run('sandbox lesson start ecs/01-cluster-capacity');
    const v = runView(sandbox, 'lessons') as ReturnType<typeof lessonsView>;
    expect(v.tracks.map((t) => t.track)).toEqual(['s3', 's3-security', 'ecs']);
    expect(v.current!.id).toBe('ecs/01-cluster-capacity');
    expect(v.current!.steps[0]!.goals[0]).toMatchObject({ met: false, detail: 'there is no cluster named training in us-east-1 yet' });
    const all = bundledLessons();
    expect(v.current!.prev).toBe(all[all.findIndex((l) => l.id === 'ecs/01-cluster-capacity') - 1]!.id);
  });
});

describe('the headless runner with --check-lesson', () => {
  it('prints the goal report and exits 0 only when every goal is met', async () => {
    const lesson = bundledLessons().find((l) => l.id === 's3/01-objects')!;
    const io = () => {
      const o = { out: '', err: '' };
      return { o, io: { out: (t: string) => (o.out += t), err: (t: string) => (o.err += t), readFile: () => '', writeFile: () => undefined } };
    };
    const partial = io();
    const opts = parseRunnerArgs(['--check-lesson', 's3/01-objects']);
    const code1 = await runScript(opts, 'sandbox lesson start s3/01-objects\n' + lesson.steps[0]!.solution.join('\n') + '\n', partial.io as never, { checkLesson: checkLessonReport });
    expect(code1).toBe(1);
    expect(partial.o.out).toContain('[ ] The object docs/hello.txt exists in your notes- bucket');
    const full = io();
    const script = ['sandbox lesson start s3/01-objects', ...lesson.steps.flatMap((s) => s.solution)].join('\n') + '\n';
    const code2 = await runScript(opts, script, full.io as never, { checkLesson: checkLessonReport });
    expect(code2).toBe(0);
    expect(full.o.out).toContain('4 of 4 goals met; every step is done (recorded: solved by the learner).');
  });
});

describe('recording editor saves', () => {
  it('an editor save while recording becomes a replayable here-document line', async () => {
    const { sandbox, session } = world();
    session.run('sandbox lessons record start');
    sandbox.mutate((sb) => sb.vfs.writeText('/home/learner/td.json', '{"family": "web"}\nEOF\n'));
    await runAfterExec({ kind: 'edit', line: 'edit ~/td.json', sandbox, session });
    const line = (sandbox.db.table('lessons.state').get('record') as { lines: string[] }).lines[0]!;
    expect(line).toBe(`cat > td.json <<'EOF_'\n{"family": "web"}\nEOF\nEOF_`);
    const replay = world();
    expect(replay.session.run(line).exitCode).toBe(0);
    expect(replay.sandbox.vfs.readText('/home/learner/td.json')).toBe('{"family": "web"}\nEOF\n');
  });
});
