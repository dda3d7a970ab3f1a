import { describe, it, expect, beforeEach } from 'vitest';
import { Sandbox, HOME } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

let sb: Sandbox;
let s: Session;
const out = (l: string) => s.run(l).stdout;
beforeEach(() => {
  sb = new Sandbox();
  s = new Session(sb);
  s.run('seq 1 20 > n.txt; printf "alpha beta\\nalphabet\\nBeta gamma\\n" > w.txt; mkdir -p app/src; echo "needle one" > app/a.txt; echo "needle two" > app/src/b.txt; echo hay > app/c.txt');
});

describe('grep context and options (GNU behaviour)', () => {
  it('-A/-B/-C print context with -- between groups', () => {
    expect(out('grep -A 1 -e 5 -e 9 n.txt')).toBe('5\n6\n--\n9\n10\n--\n15\n16\n--\n19\n20\n');
    expect(out('grep -A1 -e ^5$ -e ^7$ n.txt')).toBe('5\n6\n7\n8\n');
    expect(out('grep -B 2 ^12$ n.txt')).toBe('10\n11\n12\n');
    expect(out('grep -C 1 -E "^(3|5|10)$" n.txt')).toBe('2\n3\n4\n5\n6\n--\n9\n10\n11\n');
    expect(out('grep -n -C1 ^7$ n.txt')).toBe('6-6\n7:7\n8-8\n');
    expect(out('grep -2 ^4$ n.txt')).toBe('2\n3\n4\n5\n6\n');
    expect(out('grep -H -A1 ^20$ n.txt w.txt')).toBe('n.txt:20\n');
    expect(out('grep -A1 -m1 ^1 n.txt')).toBe('1\n2\n');
    expect(s.run('grep -A x 1 n.txt').exitCode).toBe(2);
  });
  it('-o, -w, -F, -i, -l, -h/-H, -c', () => {
    expect(out('grep -o "al[a-z]*" w.txt')).toBe('alpha\nalphabet\n');
    expect(out('grep -w alpha w.txt')).toBe('alpha beta\n');
    expect(out('grep -iw beta w.txt')).toBe('alpha beta\nBeta gamma\n');
    expect(out('echo "a.b axb" | grep -oF a.b')).toBe('a.b\n');
    expect(out('grep -l needle app/a.txt app/c.txt app/src/b.txt')).toBe('app/a.txt\napp/src/b.txt\n');
    expect(out('grep -h needle app/a.txt app/src/b.txt')).toBe('needle one\nneedle two\n');
    expect(out('grep -H one app/a.txt')).toBe('app/a.txt:needle one\n');
    expect(out('grep -c needle app/a.txt app/c.txt')).toBe('app/a.txt:1\napp/c.txt:0\n');
  });
  it('-r over folders names files as given, without ./ when no folder is named', () => {
    expect(out('grep -r needle app | sort')).toBe('app/a.txt:needle one\napp/src/b.txt:needle two\n');
    s.run('cd app');
    expect(out('grep -r needle | sort')).toBe('a.txt:needle one\nsrc/b.txt:needle two\n');
    expect(out('grep -rl needle . | sort')).toBe('./a.txt\n./src/b.txt\n');
  });
  it('binary files: a match is reported, not printed', () => {
    sb.mutate(() => sb.vfs.writeBytes(`${HOME}/b.bin`, new Uint8Array([0x61, 0, 0x62, 10])));
    const r = s.run('grep a b.bin');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('grep: b.bin: binary file matches\n');
    expect(r.exitCode).toBe(0);
  });
});
