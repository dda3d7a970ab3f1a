import { describe, it, expect } from 'vitest';
import { Sandbox, HOME } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

describe('large data through the shell', () => {
  it('a 50 MB binary file through cat | wc -c, and 100,000 lines through tail', () => {
    const sb = new Sandbox();
    const s = new Session(sb);
    const big = new Uint8Array(50 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = 0xff;
    sb.mutate(() => sb.vfs.writeBytes(`${HOME}/big.bin`, big));
    const t0 = performance.now();
    expect(s.run('cat big.bin | wc -c').stdout).toBe('52428800\n');
    expect(s.run('seq 100000 | tail -n 1').stdout).toBe('100000\n');
    expect(s.run('printf "%s" "$(seq 200000)" | wc -l').stdout).toBe('199999\n');
    expect(performance.now() - t0).toBeLessThan(5000);
  });
  it('seq stops at its limit with a message instead of running away', () => {
    const r = new Session(new Sandbox()).run('seq 3000000 | wc -l; seq 3000000 >/dev/null');
    expect(r.stdout).toBe('2000000\n');
    expect(r.stderr).toContain('seq: stopped after 2000000');
    expect(r.exitCode).toBe(1);
  });
});

describe('parameter expansion operators (bash)', () => {
  const out = (l: string) => new Session(new Sandbox()).run(l).stdout;
  it('# ## % %% / // /# /% :off:len ^^ ,,', () => {
    expect(out('a=arn:aws:ecs:us-east-1:123:task/c/abc123; echo ${a##*/} ${a#*:} ${a%/*} ${a%%:*}')).toBe('abc123 aws:ecs:us-east-1:123:task/c/abc123 arn:aws:ecs:us-east-1:123:task/c arn\n');
    expect(out('x=hello.tar.gz; echo ${x%.*} ${x%%.*} ${x#*.} ${x##*.}')).toBe('hello.tar hello tar.gz gz\n');
    expect(out('x=banana; echo ${x/an/AN} ${x//an/AN} ${x/#ba/BA} ${x/%na/NA} ${x//a} ${x/z/q}')).toBe('bANana bANANa BAnana banaNA bnn banana\n');
    expect(out('x=abcdef; echo ${x:2} ${x:1:3} ${x: -2} ${x:0:-1} ${x:10}')).toBe('cdef bcd ef abcde\n');
    expect(out('x=Hello; echo ${x^^} ${x,,} ${x^} ${x,}')).toBe('HELLO hello Hello hello\n');
    expect(out('x=a/b/c; echo ${x//\\//-}')).toBe('a-b-c\n');
  });
});

describe('hostile input never throws', () => {
  it('deep nesting is a syntax or expansion error', () => {
    const s = new Session(new Sandbox());
    const r1 = s.run(`${'{ '.repeat(5000)}echo x${'; }'.repeat(5000)}`);
    expect(r1.exitCode).toBe(2);
    expect(r1.stderr).toContain('nesting too deep');
    const r2 = s.run(`echo $((${'('.repeat(20000)}1${')'.repeat(20000)}))`);
    expect(r2.exitCode).toBe(1);
    expect(r2.stderr).toContain('nested too deeply');
    expect(s.run('echo still alive').stdout).toBe('still alive\n');
  });

  it('random bytes and random shell syntax (seeded fuzz, short)', () => {
    let seed = 20261127;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
    const toks = ['echo', 'cat', 'grep -A1', 'sort -k2n', 'wc -c', 'head -c 3', 'tail -n +2', 'cut -d: -f2', 'tr -cd a', 'xargs -n1', 'jq -r', '.[]', '@tsv', 'awk', 'read x', 'printf %s', 'seq 3', 'base64 -d', 'md5sum', 'tee t', 'uniq -c', 'if', 'then', 'fi', 'for', 'in', 'do', 'done', 'while', 'case', 'esac', ';;', '(', ')', '{', '}', '|', '||', '&&', ';', '>', '>>', '<', '<<', '<<<', '2>&1', '$(', '`', '"', "'", '${', '${x##*/}', '${x/a/b}', '${x:1:2}', '$((', '))', '{1..3}', '~', '\\', '\n', 'x=1', 'f()', 'exit', 'set -e', 'aws s3 ls', '/dev/null', '\u0000', '\ud800', 'é', '$?', 'history', 'sandbox'];
    const s = new Session(new Sandbox());
    s.run('echo "[1,2]" > j; printf "a:b\\n" > f');
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 1200) {
      let line = '';
      if (rnd() < 0.2) for (let i = 0, L = Math.floor(rnd() * 30); i < L; i++) line += String.fromCharCode(Math.floor(rnd() * (rnd() < 0.8 ? 128 : 0x10000)));
      else for (let i = 0, L = 1 + Math.floor(rnd() * 10); i < L; i++) line += pick(toks) + (rnd() < 0.7 ? ' ' : '');
      const r = s.run(line);
      expect(typeof r.stdout).toBe('string');
      expect(Number.isInteger(r.exitCode)).toBe(true);
      n++;
    }
    expect(n).toBeGreaterThan(100);
  });
});
