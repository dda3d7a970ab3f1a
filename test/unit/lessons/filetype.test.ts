import { describe, it, expect } from 'vitest';
import { fileTypeFor } from '../../../src/ui/editor/file-types';
import '../../../src/ui/lessons/lesson.filetype';
import { testLesson, packJson } from './helpers';

describe('editor file type for lessons', () => {
  it('matches lesson.json and packs, validates and points at the bad member', () => {
    const { text: _t, ...meta } = testLesson();
    void _t;
    const good = JSON.stringify(meta, null, 2);
    const ft = fileTypeFor('/home/learner/lesson-drafts/test/01-buckets/lesson.json', good);
    expect(ft.id).toBe('nimbus-lesson');
    expect(ft.validate!(good)).toEqual([]);
    const bad = good.replace('"minutes": 5', '"minutes": 5,\n  "colour": "red"');
    const d = ft.validate!(bad);
    expect(d[0]!.message).toContain('unknown member colour');
    expect(d[0]!.line).toBe(bad.split('\n').findIndex((l) => l.includes('"colour"')) + 1);
    const pack = packJson([testLesson()]);
    expect(fileTypeFor('/home/learner/week3.json', pack).id).toBe('nimbus-lesson');
    expect(fileTypeFor('/home/learner/week3.json', pack).validate!(pack)).toEqual([]);
    expect(fileTypeFor('/home/learner/other.json', '{"a": 1}').id).not.toBe('nimbus-lesson');
  });
});
