import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';
import { probe } from '../../../src/lessons/probe';
import { evaluatePredicate, describePredicate, type CheckEnv, type Outcome } from '../../../src/lessons/predicates';
import type { Predicate, LessonMeta } from '../../../src/lessons/types';

export function world(seed = 1): { sandbox: Sandbox; session: Session; run: (...lines: string[]) => string } {
  const sandbox = new Sandbox({ seed });
  const session = new Session(sandbox);
  const run = (...lines: string[]) => {
    let out = '';
    for (const line of lines) {
      const r = session.run(line);
      if (r.exitCode !== 0) throw new Error(`"${line}" exited ${r.exitCode}: ${r.stderr}${r.stdout}`);
      out += r.stdout;
    }
    return out;
  };
  return { sandbox, session, run };
}

export function check(sandbox: Sandbox, p: Predicate, opts: { region?: string; startSeq?: number; startClock?: number } = {}): Outcome & { expected: string } {
  const region = opts.region ?? 'us-east-1';
  const config = sandbox.config();
  const calls = sandbox.callLog().filter((c) => c.seq > (opts.startSeq ?? 0));
  const o = probe(sandbox, (api) => {
    const env: CheckEnv = { sandbox, api, region, calls, config, startClock: opts.startClock ?? sandbox.now() };
    return evaluatePredicate(p, env);
  });
  return { ...o, expected: describePredicate(p, region) };
}

/** A small lesson for tests (imported as a pack). */
export function testLesson(over: Partial<LessonMeta> = {}): LessonMeta & { text: string } {
  const meta: LessonMeta = {
    id: 'test/01-buckets',
    title: 'Test buckets',
    track: 'test',
    order: 1,
    minutes: 5,
    region: 'us-east-1',
    setup: ['aws s3api create-bucket --bucket setup-bucket-1'],
    steps: [
      {
        id: 'make',
        title: 'Make a bucket',
        goals: [{ label: 'A bucket named notes-1 exists', check: { type: 'bucket', name: 'notes-1' }, hints: ['Buckets are made with create-bucket.', 'aws s3api create-bucket --bucket notes-1'] }],
        solution: ['aws s3api create-bucket --bucket notes-1'],
      },
      {
        id: 'version',
        title: 'Turn on versioning',
        goals: [
          { label: 'notes-1 keeps versions', check: { type: 'bucket', name: 'notes-1', versioning: 'Enabled' }, hints: ['put-bucket-versioning'] },
          { label: 'A file was uploaded', check: { type: 'object', bucket: 'notes-1', key: 'a.txt' }, hints: ['put-object'] },
        ],
        solution: ['aws s3api put-bucket-versioning --bucket notes-1 --versioning-configuration Status=Enabled', 'echo hi > a.txt', 'aws s3api put-object --bucket notes-1 --key a.txt --body a.txt'],
      },
    ],
    ...over,
  };
  const md = `# ${meta.title}\n\nIntro text.\n\n${meta.steps.map((s) => `<!-- step: ${s.id} -->\nDo ${s.title}.\n`).join('\n')}`;
  return { ...meta, text: md };
}

export function packJson(lessons: (LessonMeta & { text: string })[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: 'nimbus-lesson-pack', version: 1, id: 'test-pack', title: 'Test pack', lessons, ...extra });
}

/** Write a pack into the home folder and import it through the CLI. */
export function importTestPack(session: Session, lessons: (LessonMeta & { text: string })[], extra: Record<string, unknown> = {}): void {
  session.sandbox.mutate((sb) => sb.vfs.writeText('/home/learner/pack.json', packJson(lessons, extra)));
  const r = session.run('sandbox lessons import pack.json');
  if (r.exitCode !== 0) throw new Error(r.stderr);
}
