import { describe, it, expect } from 'vitest';
import { LineEditor, commonPrefix, formatColumns, needsContinuation, joinContinued, splitPaste } from '../../../src/ui/terminal/line-editor';

describe('LineEditor', () => {
  it('inserts at the cursor and moves with left/right/home/end', () => {
    const e = new LineEditor();
    e.insert('cho hi');
    e.home();
    e.insert('e');
    expect(e.buffer).toBe('echo hi');
    expect(e.cursor).toBe(1);
    e.end();
    e.insert('!');
    expect(e.buffer).toBe('echo hi!');
    expect(e.left()).toBe(true);
    e.del();
    expect(e.buffer).toBe('echo hi');
    e.home();
    expect(e.left()).toBe(false);
    expect(e.backspace()).toBe(false);
  });

  it('Ctrl-U / Ctrl-K / Ctrl-W kill text and Ctrl-Y yanks it back', () => {
    const e = new LineEditor();
    e.insert('aws s3 ls  s3://bucket');
    e.killWordBack();
    expect(e.buffer).toBe('aws s3 ls  ');
    e.yank();
    expect(e.buffer).toBe('aws s3 ls  s3://bucket');
    e.setLine('one two three', 4);
    e.killToEnd();
    expect(e.buffer).toBe('one ');
    e.setLine('one two three', 8);
    e.killToStart();
    expect(e.buffer).toBe('three');
    expect(e.cursor).toBe(0);
  });

  it('word moves skip whitespace like bash', () => {
    const e = new LineEditor();
    e.insert('aws  ecs list-clusters');
    e.wordLeft();
    expect(e.cursor).toBe(9);
    e.wordLeft();
    expect(e.cursor).toBe(5);
    e.wordRight();
    expect(e.cursor).toBe(8);
  });

  it('history walks back and forth and keeps the draft', () => {
    const e = new LineEditor(['first', 'second']);
    e.insert('dra');
    expect(e.historyPrev()).toBe(true);
    expect(e.buffer).toBe('second');
    e.historyPrev();
    expect(e.buffer).toBe('first');
    expect(e.historyPrev()).toBe(false);
    e.historyNext();
    expect(e.buffer).toBe('second');
    e.historyNext();
    expect(e.buffer).toBe('dra');
    expect(e.historyNext()).toBe(false);
  });

  it('pushHistory skips blanks and immediate repeats', () => {
    const e = new LineEditor();
    e.pushHistory('ls');
    e.pushHistory('ls');
    e.pushHistory('   ');
    e.pushHistory('pwd');
    expect(e.history).toEqual(['ls', 'pwd']);
  });

  it('replaceBeforeCursor swaps the partial word for a completion', () => {
    const e = new LineEditor();
    e.insert('aws s3 l rest');
    e.setLine(e.buffer, 8);
    e.replaceBeforeCursor(7, 'ls');
    expect(e.buffer).toBe('aws s3 ls rest');
    expect(e.cursor).toBe(9);
  });
});

describe('completion helpers', () => {
  it('commonPrefix', () => {
    expect(commonPrefix(['list-clusters', 'list-services', 'list-tasks'])).toBe('list-');
    expect(commonPrefix(['abc'])).toBe('abc');
    expect(commonPrefix([])).toBe('');
  });
  it('formatColumns lays words out column-major within the width', () => {
    const out = formatColumns(['a', 'b', 'c', 'd', 'e'], 9);
    const lines = out.trimEnd().split('\n');
    expect(lines.every((l) => l.length <= 9)).toBe(true);
    expect(lines[0]).toMatch(/^a\s+c\s+e$/);
    expect(lines[1]).toMatch(/^b\s+d$/);
  });
});

describe('line continuation', () => {
  it('detects trailing backslash, open quotes and trailing pipes', () => {
    expect(needsContinuation('aws s3 ls \\')).toBe(true);
    expect(needsContinuation("echo 'open")).toBe(true);
    expect(needsContinuation('echo "open')).toBe(true);
    expect(needsContinuation('echo "a\\"b')).toBe(true);
    expect(needsContinuation('cat file |')).toBe(true);
    expect(needsContinuation('true &&')).toBe(true);
    expect(needsContinuation("echo 'a\\'")).toBe(false);
    expect(needsContinuation('echo "done"')).toBe(false);
    expect(needsContinuation('echo a\\\\')).toBe(false);
    expect(needsContinuation("echo it's open")).toBe(true);
    expect(needsContinuation("echo it's # closed 'x")).toBe(false);
    expect(needsContinuation('echo x # don\'t')).toBe(false);
    expect(needsContinuation('echo "a\nb"')).toBe(false);
  });
  it('joins lines: backslash-newline vanishes, quoted newlines stay', () => {
    expect(joinContinued(['aws s3 ls \\', '  s3://b'])).toBe('aws s3 ls   s3://b');
    expect(joinContinued(['echo "one', 'two"'])).toBe('echo "one\ntwo"');
    expect(joinContinued(["echo 'a\\", "b'"])).toBe("echo 'a\\\nb'");
  });
  it('splitPaste handles every newline convention', () => {
    expect(splitPaste('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd']);
  });
});
