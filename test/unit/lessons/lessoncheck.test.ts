import { describe, it, expect } from 'vitest';
import { testLesson } from './helpers';
import { checkLessonSource } from '../../../src/lessons/lessoncheck';
import { catalogModule, readLessonSources } from '../../../scripts/lessons-check';
import type { LessonMeta } from '../../../src/lessons/types';

function src(l: LessonMeta & { text: string }) {
  const { text, ...json } = l;
  return { json, markdown: text, path: l.id };
}

describe('lessons:check logic', () => {
  it('a sound lesson passes', () => {
    const r = checkLessonSource(src(testLesson()));
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('a step whose goal already holds after setup fails (its check cannot fail)', () => {
    const l = testLesson();
    l.steps[0]!.goals = [{ label: 'The setup bucket exists', check: { type: 'bucket', name: 'setup-bucket-1' }, hints: ['h'] }];
    const r = checkLessonSource(src(l));
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toContain('step make: its goals are already met before its solution runs (the check cannot fail)');
  });

  it('a solution that does not reach its goal fails, naming the goal and what is missing', () => {
    const l = testLesson();
    l.steps[1]!.solution = ['aws s3api put-bucket-versioning --bucket notes-1 --versioning-configuration Status=Suspended'];
    const r = checkLessonSource(src(l));
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toContain('after its solution, "notes-1 keeps versions" is not met: the bucket notes-1 exists, but versioning is not enabled yet');
  });

  it('a failing solution line fails unless marked "# fails on purpose"', () => {
    const l = testLesson();
    l.steps[0]!.solution = ['aws s3api create-bucket --bucket Bad_Name', 'aws s3api create-bucket --bucket notes-1'];
    expect(checkLessonSource(src(l)).problems.join('\n')).toContain('"aws s3api create-bucket --bucket Bad_Name" exited 254');
    l.steps[0]!.solution = ['aws s3api create-bucket --bucket Bad_Name # fails on purpose', 'aws s3api create-bucket --bucket notes-1'];
    expect(checkLessonSource(src(l)).ok).toBe(true);
  });

  it('a goal part without hints fails', () => {
    const l = testLesson();
    delete l.steps[0]!.goals[0]!.hints;
    expect(checkLessonSource(src(l)).problems).toEqual(['step make: the goal "A bucket named notes-1 exists" has no hints']);
  });

  it('a broken setup line and an invalid lesson.json are failures', () => {
    const bad = testLesson({ setup: ['aws s3api create-bucket --bucket Bad_Name'] });
    expect(checkLessonSource(src(bad)).problems.join('\n')).toContain('setup line failed');
    const invalid = src(testLesson());
    (invalid.json as Record<string, unknown>)['minutes'] = 'five';
    const r = checkLessonSource(invalid);
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toContain('$.minutes: expected integer, found string');
  });

  it('the generated catalogue module is in sync with lessons/', async () => {
    const fs = await import('node:fs');
    const schema = JSON.parse(fs.readFileSync('lessons/schema.json', 'utf8')) as unknown;
    const expected = catalogModule(readLessonSources(), schema);
    expect(fs.readFileSync('src/lessons/catalog.generated.ts', 'utf8')).toBe(expected);
  });
});
