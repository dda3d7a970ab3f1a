import { describe, it, expect, beforeEach } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

// expected outputs checked against GNU coreutils 9 / grep 3.8 (LC_ALL=C)
let s: Session;
const out = (l: string) => s.run(l).stdout;
beforeEach(() => {
  s = new Session(new Sandbox());
  s.run('printf "b 2\\na 10\\nc 1\\na 10\\n" > f.txt');
});

describe('sort as GNU sort', () => {
  it('per-key numeric modifiers and -t', () => {
    expect(out('sort -t" " -k2n f.txt')).toBe('c 1\nb 2\na 10\na 10\n');
    expect(out('sort -k2nr -k1 f.txt')).toBe('a 10\na 10\nb 2\nc 1\n');
    expect(out('sort -k2 -n f.txt')).toBe('c 1\nb 2\na 10\na 10\n');
    // a key with its own options does not inherit the global -r (only the last-resort comparison does)
    expect(out('sort -k2,2n -r f.txt')).toBe('c 1\nb 2\na 10\na 10\n');
    expect(out('printf "a,2,x\\nb,1,y\\nc,1,a\\n" | sort -t, -k2,2n -k3')).toBe('c,1,a\nb,1,y\na,2,x\n');
  });
  it('-u, -h, leading blanks in fields, -o', () => {
    expect(out('printf "10\\n9\\n10\\n" | sort -nu')).toBe('9\n10\n');
    expect(out('printf "1K\\n2M\\n3\\n" | sort -h')).toBe('3\n1K\n2M\n');
    expect(out('printf "a b\\na  c\\n" | sort -k2')).toBe('a  c\na b\n');
    s.run('sort -r f.txt -o f.txt');
    expect(out('cat f.txt')).toBe('c 1\nb 2\na 10\na 10\n');
  });
});

describe('head/tail/wc', () => {
  it('head -n -N and tail -n -N take N as a count', () => {
    expect(out('seq 5 | head -n -2')).toBe('1\n2\n3\n');
    expect(out('seq 5 | tail -n -2')).toBe('4\n5\n');
    expect(out('seq 5 | tail -n +4')).toBe('4\n5\n');
  });
  it('wc with several files aligns columns and still totals when one is missing', () => {
    const r = s.run('wc f.txt nope.txt f.txt');
    expect(r.stdout).toBe(' 4  8 18 f.txt\n 4  8 18 f.txt\n 8 16 36 total\n');
    expect(r.stderr).toBe('wc: nope.txt: No such file or directory\n');
    expect(r.exitCode).toBe(1);
  });
});

describe('tr, cut, xargs', () => {
  it('tr -c complements SET1 (delete, translate, squeeze)', () => {
    expect(out("printf 'x:y\\nno-colon\\n' | tr -cd 'a-z\\n'")).toBe('xy\nnocolon\n');
    expect(out("echo 'a1b22c' | tr -c 'a-z\\n' '_'")).toBe('a_b__c\n');
    expect(out("echo 'one, two  three' | tr -cs 'a-z' '\\n'")).toBe('one\ntwo\nthree\n');
    expect(out("echo 'a  b' | tr -s ' ' '_'")).toBe('a_b\n');
  });
  it('cut --output-delimiter', () => {
    expect(out("printf 'x:y:z\\nplain\\n' | cut -d: -f1,3 --output-delimiter=,")).toBe('x,z\nplain\n');
  });
  it('xargs runs once on empty input (not with -r) and -L takes lines', () => {
    expect(out('printf "" | xargs echo hi')).toBe('hi\n');
    expect(out('printf "" | xargs -r echo hi')).toBe('');
    expect(out("printf 'a b\\nc\\nd\\n' | xargs -L 2 echo")).toBe('a b c\nd\n');
  });
});

describe('jq format strings (jq 1.6 output)', () => {
  const t = `echo '{"tasks":[{"taskArn":"arn:1","cpu":"256"},{"taskArn":"arn:2","cpu":"512"}]}'`;
  it('@tsv, @csv, @sh, @json, @base64, @uri as filters and before a string', () => {
    expect(out(`${t} | jq -r '.tasks[] | [.taskArn, .cpu] | @tsv'`)).toBe('arn:1\t256\narn:2\t512\n');
    expect(out(`${t} | jq -r '.tasks[0] | [.taskArn, 3, null, true] | @csv'`)).toBe('"arn:1",3,,true\n');
    expect(out(`${t} | jq -r '@csv "\\([.tasks[].cpu])"'`)).toBe('"256","512"\n');
    expect(out(`${t} | jq -r '@sh "echo \\(.tasks[0].taskArn)"'`)).toBe("echo 'arn:1'\n");
    expect(out(`${t} | jq -r '.tasks[0] | @json'`)).toBe('{"taskArn":"arn:1","cpu":"256"}\n');
    expect(out(`${t} | jq -r '.tasks[0].taskArn | @base64 | ., @base64d'`)).toBe('YXJuOjE=\narn:1\n');
    expect(out(`${t} | jq -r '.tasks[0].taskArn | @uri'`)).toBe('arn%3A1\n');
    expect(out(`echo '["a\\tb","c\\\\d"]' | jq -r @tsv`)).toBe('a\\tb\tc\\\\d\n');
    const r = s.run(`echo '[[1]]' | jq -r @csv`);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain('is not valid in a csv row');
  });
});

describe('tac, rev, paste, nl, eval', () => {
  it('print as GNU coreutils / bash', () => {
    expect(out("printf 'a\\nb\\nc\\n' | tac")).toBe('c\nb\na\n');
    expect(out("printf 'abc\\nde\\n' | rev")).toBe('cba\ned\n');
    expect(out('seq 3 | paste -sd, -')).toBe('1,2,3\n');
    expect(out('seq 4 | paste - -')).toBe('1\t2\n3\t4\n');
    expect(out("seq 6 | paste -d'|,' - - -")).toBe('1|2,3\n4|5,6\n');
    expect(out("printf 'a\\n\\nb\\n' | nl")).toBe('     1\ta\n       \n     2\tb\n');
    expect(out(`x='echo hi; echo $((1+2))'; eval "$x"; eval 'y=5'; echo $y`)).toBe('hi\n3\n5\n');
  });
});

describe('awk: sums and numeric patterns', () => {
  it('accumulates variables and compares fields as numbers', () => {
    expect(out("seq 10 | awk '{s+=$1} END {print s}'")).toBe('55\n');
    expect(out("printf 'x 1.5\\ny 2.25\\n' | awk '{t += $2} END {print \"total\", t}'")).toBe('total 3.75\n');
    expect(out("printf 'x 1\\ny 2\\nz 10\\n' | awk '$2 > 1 {print $1}'")).toBe('y\nz\n');
    expect(out("printf 'a\\nb\\n' | awk '{n++} END {print n}'")).toBe('2\n');
  });
});
