import { describe, it, expect } from 'vitest';
import { testLesson, world, packJson } from './helpers';
import { parseLesson, splitMarkdown, importPack, bundledLessons } from '../../../src/lessons';
import { validateSchema } from '../../../src/lessons/validate';

function parse(over: Record<string, unknown>, md?: string) {
  const { text, ...json } = testLesson();
  return parseLesson({ json: { ...json, ...over }, markdown: md ?? text, path: 'test/01-buckets' });
}

describe('lesson validation', () => {
  it('accepts the test lesson and splits its text by step', () => {
    const r = parse({});
    expect(r.errors).toEqual([]);
    expect(r.lesson!.intro).toContain('Intro text.');
    expect(r.lesson!.stepText['make']).toBe('Do Make a bucket.');
  });

  it('reports schema errors with their path', () => {
    expect(parse({ region: 'mars-1' }).errors.join('\n')).toContain('$.region: must match');
    expect(parse({ colour: 'red' }).errors.join('\n')).toContain('$: unknown member colour');
    const steps = testLesson().steps.map((s) => ({ ...s, goals: [{ label: 'x y z', check: { type: 'bucket', nmae: 'a' } }] }));
    expect(parse({ steps }).errors.join('\n')).toContain('$.steps[0].goals[0].check: unknown member nmae');
    const steps2 = testLesson().steps.map((s) => ({ ...s, goals: [{ label: 'x y z', check: { type: 'bukket' } }] }));
    expect(parse({ steps: steps2 }).errors.join('\n')).toContain('unknown check type "bukket"');
    const steps3 = testLesson().steps.map((s) => ({ ...s, solution: [] }));
    expect(parse({ steps: steps3 }).errors.join('\n')).toContain('$.steps[0].solution: needs at least 1 items');
  });

  it('checks what the schema cannot: folder id, step sections, duplicate ids', () => {
    expect(parse({ id: 'test/02-other' }).errors.join('\n')).toContain('does not match the folder test/01-buckets');
    expect(parse({}, '# T\n\nIntro.\n\n<!-- step: make -->\nA\n').errors.join('\n')).toContain('lesson.md has no <!-- step: version --> section');
    expect(parse({}, 'Intro\n<!-- step: make -->\nA\n<!-- step: version -->\nB\n<!-- step: extra -->\nC').errors.join('\n')).toContain('unknown step extra');
    const dup = testLesson().steps.map((s) => ({ ...s, id: 'make' }));
    expect(parse({ steps: dup }).errors.join('\n')).toContain('step id make is used twice');
  });

  it('splitMarkdown keeps the introduction apart', () => {
    const r = splitMarkdown('# Title\nintro\n<!-- step: a -->\ntext a\n<!--step: b-->\ntext b\n');
    expect(r.intro).toBe('# Title\nintro');
    expect(r.sections).toEqual({ a: 'text a', b: 'text b' });
  });

  it('the validator handles enums, const, minimum, oneOf', () => {
    const schema = { definitions: { n: { type: 'integer', minimum: 2 } }, type: 'object', properties: { a: { enum: ['x', 'y'] }, b: { const: 1 }, c: { $ref: '#/definitions/n' }, d: { oneOf: [{ type: 'string' }, { type: 'integer' }] } } };
    expect(validateSchema({ a: 'x', b: 1, c: 3, d: 'q' }, schema)).toEqual([]);
    expect(validateSchema({ a: 'z', b: 2, c: 1, d: true }, schema)).toHaveLength(4);
  });
});

describe('lesson packs', () => {
  it('imports a valid pack and refuses invalid ones with reasons', () => {
    const { sandbox } = world();
    expect(importPack(sandbox, 'not json').ok).toBe(false);
    const bad = importPack(sandbox, JSON.stringify({ format: 'nimbus-lesson-pack', version: 1, id: 'p', title: 'P', lessons: [] }));
    expect(bad.ok).toBe(false);
    const noText = JSON.parse(packJson([testLesson()])) as { lessons: Record<string, unknown>[] };
    delete noText.lessons[0]!['text'];
    const r0 = importPack(sandbox, JSON.stringify(noText));
    expect(r0.ok).toBe(false);
    const r = importPack(sandbox, packJson([testLesson()]));
    expect(r.ok).toBe(true);
    expect(sandbox.db.table('lessons.packs').has('test-pack')).toBe(true);
  });

  it('a pack cannot shadow a bundled lesson', () => {
    const first = bundledLessons()[0];
    if (!first) return; // no bundled lessons yet
    const { sandbox } = world();
    const l = testLesson({ id: first.id, track: first.track });
    const r = importPack(sandbox, packJson([l]));
    expect(r.ok).toBe(false);
  });
});
