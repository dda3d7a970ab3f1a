import { describe, it, expect } from 'vitest';
import { splitScript, isComplete } from '../../../src/cli/shell/script';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

describe('splitScript', () => {
  it('keeps one line per simple command and drops blanks and comments', () => {
    expect(splitScript('echo a\n\n# note\necho b; echo c\n')).toEqual([
      { text: 'echo a', lineNo: 1 },
      { text: 'echo b; echo c', lineNo: 4 },
    ]);
  });
  it('joins continuations, quotes, blocks and here-documents', () => {
    const units = splitScript(
      [
        'aws s3api create-bucket \\',
        '  --bucket b',
        'echo "multi',
        'line"',
        'for i in 1 2; do',
        '  echo $i',
        'done',
        'cat > f.json <<EOF',
        '{"a": 1}',
        'EOF',
        'echo after',
      ].join('\n'),
    );
    expect(units.map((u) => u.lineNo)).toEqual([1, 3, 5, 8, 11]);
    expect(units[3]!.text).toBe('cat > f.json <<EOF\n{"a": 1}\nEOF');
  });
  it('a quote never closed fails alone and the lines after it still run', () => {
    const units = splitScript("echo 'oops\necho next");
    expect(units).toEqual([
      { text: "echo 'oops", lineNo: 1 },
      { text: 'echo next', lineNo: 2 },
    ]);
  });
  it('hard syntax errors are their own unit', () => {
    expect(splitScript('echo a |\n| b\necho c').map((u) => u.lineNo)).toEqual([1, 3]);
    expect(isComplete('if true; then')).toBe(false);
    expect(isComplete('cat <<EOF\nx')).toBe(false);
    expect(isComplete('echo ok')).toBe(true);
  });
  it('units run through a session give the same result as the whole script', () => {
    const script = 'X=1\nif [ $X = 1 ]; then\n  echo one\nfi\ncat <<EOF\nx=$X\nEOF\n';
    const a = new Session(new Sandbox());
    const outs = splitScript(script).map((u) => a.run(u.text).stdout).join('');
    expect(outs).toBe(new Session(new Sandbox()).run(script).stdout);
    expect(outs).toBe('one\nx=1\n');
  });
});
