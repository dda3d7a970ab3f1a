import { describe, it, expect, beforeEach } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';
import { parse } from '../../../src/cli/shell/parser';
import { evalArith } from '../../../src/cli/shell/arith';
import { MAX_LOOP_ITERATIONS } from '../../../src/cli/shell/interpreter';

let s: Session;
beforeEach(() => {
  s = new Session(new Sandbox());
});
const out = (line: string) => s.run(line).stdout;

describe('compound commands', () => {
  it('parses if/for/while/until/{ }/functions', () => {
    const types = parse('if a; then b; fi; for x in 1 2; do c; done; while d; do e; done; until f; do g; done; { h; }; k() { l; }').items.map(
      (i) => i.first.cmds[0]!.type,
    );
    expect(types).toEqual(['if', 'for', 'while', 'while', 'group', 'function']);
  });
  it('keywords count only in command position', () => {
    expect(out('echo if then fi done')).toBe('if then fi done\n');
    expect(s.run('fi').stderr).toBe("nimbus: syntax error near unexpected token 'fi'\n");
    expect(s.run('if true; then echo x').exitCode).toBe(2);
  });
  it('if / elif / else with test and [ ]', () => {
    s.run('touch f.txt; mkdir d');
    const script = (p: string) => `if [ -d ${p} ]; then echo dir; elif test -f ${p}; then echo file; else echo none; fi`;
    expect(out(script('d'))).toBe('dir\n');
    expect(out(script('f.txt'))).toBe('file\n');
    expect(out(script('zz'))).toBe('none\n');
  });
  it('for loops over words, globs and substitutions; break and continue', () => {
    expect(out('for b in alpha beta; do echo "bucket-$b"; done')).toBe('bucket-alpha\nbucket-beta\n');
    s.run('touch a.json b.json');
    expect(out('for f in *.json; do echo $f; done')).toBe('a.json\nb.json\n');
    expect(out('for i in $(echo 1 2 3 4); do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done')).toBe('1\n3\n');
    expect(out('for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done')).toBe('1a\n2a\n');
  });
  it('while and until loops with arithmetic', () => {
    expect(out('i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done')).toBe('1\n2\n3\n');
    expect(out('n=3; until [ $n -eq 0 ]; do echo $n; n=$((n-1)); done')).toBe('3\n2\n1\n');
  });
  it('a runaway loop stops with an error instead of hanging', () => {
    const r = s.run('while true; do :; done; echo after');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`nimbus: while: loop stopped after ${MAX_LOOP_ITERATIONS} iterations\n`);
    expect(r.stdout).toBe('');
  });
  it('polling with sleep moves the simulated clock', () => {
    const t0 = s.sandbox.now();
    s.run('n=0; while [ $n -lt 5 ]; do sleep 10; n=$((n+1)); done');
    expect(s.sandbox.now() - t0).toBe(50_000);
  });
  it('while read loops consume a pipe line by line', () => {
    expect(out('printf "a 1\\nb 2\\n" | while read -r name n; do echo "$n:$name"; done')).toBe('1:a\n2:b\n');
    s.run('printf "x\\ny\\nz" > lines.txt');
    // as in bash, a last line without a newline makes read fail (but still sets the variable)
    expect(out('while read l; do echo "[$l]"; done < lines.txt')).toBe('[x]\n[y]\n');
    expect(out('while read l || [ -n "$l" ]; do echo "[$l]"; done < lines.txt')).toBe('[x]\n[y]\n[z]\n');
    expect(out('read a b <<< "one two three"; echo "$a|$b"')).toBe('one|two three\n');
    expect(s.run('read x < /dev/null').exitCode).toBe(1);
  });
  it('functions take arguments, return a status and persist for the session', () => {
    expect(out('greet() { echo "hello $1 ($#)"; return 3; }; greet bob; echo $?')).toBe('hello bob (1)\n3\n');
    expect(out('greet ann')).toBe('hello ann (1)\n');
    expect(out('function twice { echo $1$1; }; twice ab')).toBe('abab\n');
    expect(s.run('return').exitCode).toBe(1);
  });
  it('{ } groups share redirections and run in the current shell', () => {
    s.run('{ echo a; X=inside; } > g.txt');
    expect(out('cat g.txt; echo $X')).toBe('a\ninside\n');
  });
  it('set -e ignores failures in conditions and && lists', () => {
    expect(out('set -e; if false; then echo no; fi; false || true; false && true; echo survived')).toBe('survived\n');
  });
});

describe('arithmetic', () => {
  const vars: Record<string, string> = {};
  const ev = (e: string) =>
    evalArith(
      e,
      (n) => vars[n],
      (n, v) => (vars[n] = v),
    );
  it('evaluates operators with C precedence', () => {
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('7 / 2')).toBe(3);
    expect(ev('-7 / 2')).toBe(-3);
    expect(ev('7 % 3')).toBe(1);
    expect(ev('2 ** 3 ** 2')).toBe(512);
    expect(ev('1 < 2 && 3 > 4')).toBe(0);
    expect(ev('0 || 5')).toBe(1);
    expect(ev('1 ? 10 : 20')).toBe(10);
    expect(ev('0x10 + 010')).toBe(24);
    expect(ev('!0 + ~0')).toBe(0);
  });
  it('reads and assigns variables', () => {
    vars['x'] = '4';
    expect(ev('x * 2')).toBe(8);
    expect(ev('y = x + 1')).toBe(5);
    expect(vars['y']).toBe('5');
    expect(ev('x++')).toBe(4);
    expect(vars['x']).toBe('5');
    expect(ev('unset_var + 1')).toBe(1);
    expect(ev('0 && (z = 9)')).toBe(0);
    expect(vars['z']).toBeUndefined();
  });
  it('reports errors through the shell', () => {
    expect(s.run('echo $((1/0))')).toMatchObject({ exitCode: 1, stderr: 'nimbus: 1/0: division by 0 (error token is "0")\n' });
    expect(s.run('echo $((1 +))').exitCode).toBe(1);
    expect(out('echo $(( $(echo 6) * 7 ))')).toBe('42\n');
    expect(out('echo $( (echo sub) )')).toBe('sub\n');
  });
});

describe('test / [ / [[', () => {
  it('strings, integers, files', () => {
    s.run('echo x > full; touch empty');
    const t = (e: string) => s.run(`[ ${e} ]`).exitCode;
    expect(t('-n abc')).toBe(0);
    expect(t('-z ""')).toBe(0);
    expect(t('a = b')).toBe(1);
    expect(t('a != b')).toBe(0);
    expect(t('3 -gt 2 -a 1 -le 1')).toBe(0);
    expect(t('! 3 -lt 2')).toBe(0);
    expect(t('-s full')).toBe(0);
    expect(t('-s empty')).toBe(1);
    expect(t('-e nope -o -f full')).toBe(0);
    expect(s.run('[ 1 -eq x ]')).toMatchObject({ exitCode: 2, stderr: 'nimbus: [: x: integer expression expected\n' });
    expect(s.run('[ 1 = 1')).toMatchObject({ exitCode: 2, stderr: "nimbus: [: missing ']'\n" });
    expect(s.run('[[ photos-123 == photos-* ]]').exitCode).toBe(0);
    expect(s.run('[[ arn:aws:ecs =~ ^arn:aws ]]').exitCode).toBe(0);
  });
});

describe('case', () => {
  it('matches glob patterns, alternatives and the default', () => {
    const script = `for s in RUNNING STOPPED PENDING other; do case $s in
  RUNNING) echo up;;
  STOPPED|DEPROVISIONING) echo down ;;
  PEND*) echo wait ;;
  *) echo "?" ;;
esac; done`;
    expect(out(script)).toBe('up\ndown\nwait\n?\n');
  });
  it('quoted patterns are literal; empty bodies and no match give status 0', () => {
    expect(out('case "a*" in "a*") echo literal;; esac')).toBe('literal\n');
    expect(out('case abc in "a*") echo glob;; a*) echo real;; esac')).toBe('real\n');
    expect(s.run('false; case x in (x) ;; esac').exitCode).toBe(0);
    expect(s.run('false; case x in y) echo;; esac').exitCode).toBe(0);
    expect(s.run('case x in x) echo a').exitCode).toBe(2);
    expect(out('echo case esac in')).toBe('case esac in\n');
  });
});

describe('(( )) and C-style for', () => {
  it('arithmetic commands set the status and variables', () => {
    expect(out('i=5; ((i++)); echo $i; (( i > 3 )) && echo big')).toBe('6\nbig\n');
    expect(s.run('((0))').exitCode).toBe(1);
    expect(s.run('((2 - 1))').exitCode).toBe(0);
    expect(out('n=0; while ((n < 3)); do ((n++)); done; echo $n')).toBe('3\n');
    expect(s.run('((1/0)); echo after')).toMatchObject({ stdout: 'after\n' });
  });
  it('for (( init; cond; step ))', () => {
    expect(out('for ((i=0; i<3; i++)); do echo -n $i; done')).toBe('012');
    expect(out('for ((i=10; i>0; i-=4))\ndo\n echo $i\ndone')).toBe('10\n6\n2\n');
    expect(out('for ((;;)); do echo once; break; done')).toBe('once\n');
  });
  it('(( is only arithmetic in command position', () => {
    expect(out('( (echo nested) )')).toBe('nested\n');
    expect(out('echo "((not arith))"')).toBe('((not arith))\n');
  });
});
