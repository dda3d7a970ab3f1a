import { describe, it, expect, beforeEach } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';
import { splitFields, suggest } from '../../../src/cli/shell/interpreter';

let s: Session;
beforeEach(() => {
  s = new Session(new Sandbox());
});
const out = (line: string) => s.run(line).stdout;

describe('expansion', () => {
  it('expands variables, with word splitting only when unquoted', () => {
    s.run('X="a   b"');
    expect(out('echo $X')).toBe('a b\n');
    expect(out('echo "$X"')).toBe('a   b\n');
    expect(out('printf "[%s]" $X')).toBe('[a][b]');
    expect(out('printf "[%s]" "$X"')).toBe('[a   b]');
    expect(out('printf "[%s]" ${X}c')).toBe('[a][bc]');
  });
  it('drops an empty unquoted expansion but keeps an empty quoted one', () => {
    expect(out('printf "[%s]" $NOPE x')).toBe('[x]');
    expect(out('printf "[%s]" "$NOPE" x')).toBe('[][x]');
  });
  it('supports ${X:-d} ${X:=d} ${X:+a} ${#X}', () => {
    expect(out('echo ${A:-dflt}')).toBe('dflt\n');
    expect(out('echo ${A:=set}; echo $A')).toBe('set\nset\n');
    expect(out('echo ${A:+alt} ${#A}')).toBe('alt 3\n');
    const r = s.run('echo ${B:?must be set}; echo after');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('nimbus: B: must be set\n');
    expect(r.stdout).toBe('');
  });
  it('expands ~ at the start of unquoted words only', () => {
    expect(out('echo ~ ~/a "~" a~')).toBe('/home/learner /home/learner/a ~ a~\n');
  });
  it('runs command substitution, nested and in double quotes, trimming trailing newlines', () => {
    expect(out('echo "[$(echo a; echo b)]"')).toBe('[a\nb]\n');
    expect(out('echo $(echo $(echo deep))')).toBe('deep\n');
    expect(out('X=$(echo "one two"); echo "$X"')).toBe('one two\n');
    expect(out('echo `echo tick`')).toBe('tick\n');
  });
  it('substitutions run in a subshell', () => {
    s.run('X=outer; Y=$(X=inner; cd /; echo $X)');
    expect(out('echo $X $Y; pwd')).toBe('outer inner\n/home/learner\n');
  });
  it('globs files in the home folder and leaves unmatched patterns alone', () => {
    s.run('touch a.json b.json c.txt; mkdir d; touch d/e.json');
    expect(out('echo *.json')).toBe('a.json b.json\n');
    expect(out('echo */*.json ?.txt')).toBe('d/e.json c.txt\n');
    expect(out('echo "*.json" nomatch*')).toBe('*.json nomatch*\n');
    expect(out('echo tasks[0].arn')).toBe('tasks[0].arn\n');
  });
  it('splits on a custom IFS', () => {
    expect(splitFields('a:b::c', ':').pieces).toEqual(['a', 'b', '', 'c']);
    expect(splitFields('  a b ', ' \t\n')).toEqual({ pieces: ['a', 'b'], leading: true, trailing: true });
    s.run('IFS=,; L="x,y"');
    expect(out('printf "<%s>" $L')).toBe('<x><y>');
  });
});

describe('lists, pipes and exit codes', () => {
  it('&& stops at a failing command, || runs on failure, ; always continues', () => {
    const r = s.run('false && echo no; echo $?');
    expect(r.stdout).toBe('1\n');
    expect(out('true && echo yes || echo no')).toBe('yes\n');
    expect(out('false && echo a || echo b')).toBe('b\n');
    expect(out('cat missing && echo never')).toBe('');
  });
  it('a failing command in a && b stops b, even with files', () => {
    const r = s.run('cat nope.txt && echo done > marker.txt');
    expect(r.exitCode).toBe(1);
    expect(s.sandbox.vfs.exists('/home/learner/marker.txt')).toBe(false);
  });
  it('$? holds the last status, also across lines', () => {
    s.run('false');
    expect(out('echo $?')).toBe('1\n');
    expect(out('echo $?')).toBe('0\n');
    expect(s.run('! true').exitCode).toBe(1);
  });
  it('pipes stdout to the next command', () => {
    s.run('printf "alpha\\nbeta\\ngamma\\nalphabet\\n" > words.txt');
    expect(out('cat words.txt | grep alpha')).toBe('alpha\nalphabet\n');
    expect(out('cat words.txt | grep -v alpha | wc -l')).toBe('2\n');
    expect(out('cat words.txt | head -n 2 | tail -1')).toBe('beta\n');
    expect(s.run('echo x | grep y').exitCode).toBe(1);
  });
  it('the status of a pipeline is the last command\'s (or pipefail)', () => {
    expect(s.run('false | true').exitCode).toBe(0);
    expect(s.run('set -o pipefail; false | true').exitCode).toBe(1);
  });
  it('command not found: 127 with a suggestion', () => {
    const r = s.run('grpe foo');
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toBe("nimbus: grpe: command not found\nnimbus: did you mean 'grep'?\n");
    expect(suggest('zzzzzz', ['ls', 'cat'])).toBeUndefined();
    expect(out('nosuch; echo $?')).toBe('127\n');
  });
  it('running a folder is 126; running a script file works', () => {
    s.run('mkdir dir');
    expect(s.run('./dir').exitCode).toBe(126);
    s.run(`printf 'echo "arg=$1"\\nexit 3\\n' > run.sh`);
    const r = s.run('./run.sh hello');
    expect(r.stdout).toBe('arg=hello\n');
    expect(r.exitCode).toBe(3);
  });
  it('syntax errors exit 2 and run nothing', () => {
    const r = s.run("echo one; echo 'two");
    expect(r).toMatchObject({ exitCode: 2, stdout: '', stderr: "nimbus: syntax error: unexpected end of file (unclosed ')\n" });
    expect(out('echo $?')).toBe('2\n');
  });
  it('set -e stops the script at the first failure; exit stops with a code', () => {
    const r = s.run('set -e\necho a\nfalse\necho b');
    expect(r.stdout).toBe('a\n');
    expect(r.exitCode).toBe(1);
    expect(s.run('echo a; exit 4; echo b')).toMatchObject({ stdout: 'a\n', exitCode: 4 });
  });
  it('a multi-line script is one run', () => {
    const r = s.run('X=1\nif_not_keyword=2\necho $X $if_not_keyword\n# comment\n');
    expect(r.stdout).toBe('1 2\n');
  });
});

describe('redirections', () => {
  it('> creates or truncates, >> appends, < reads', () => {
    s.run('echo one > f.txt');
    s.run('echo two >> f.txt');
    expect(out('cat < f.txt')).toBe('one\ntwo\n');
    s.run('echo three > f.txt');
    expect(out('cat f.txt')).toBe('three\n');
    expect(s.sandbox.vfs.readText('/home/learner/f.txt')).toBe('three\n');
  });
  it('2> 2>&1 &> route stderr', () => {
    const r = s.run('cat nope 2> err.txt');
    expect(r.stderr).toBe('');
    expect(out('cat err.txt')).toBe('cat: nope: No such file or directory\n');
    s.run('cat nope > all.txt 2>&1');
    expect(out('cat all.txt')).toBe('cat: nope: No such file or directory\n');
    s.run('echo hi &> both.txt');
    expect(out('cat both.txt')).toBe('hi\n');
    expect(s.run('cat nope 2>/dev/null').stderr).toBe('');
    expect(s.run('echo gone > /dev/null').stdout).toBe('');
    expect(s.run('echo x >&2').stderr).toBe('x\n');
  });
  it('redirect into a folder or a missing folder fails with status 1', () => {
    s.run('mkdir d');
    expect(s.run('echo x > d')).toMatchObject({ exitCode: 1, stderr: 'nimbus: d: Is a directory\n' });
    expect(s.run('echo x > no/such.txt')).toMatchObject({ exitCode: 1, stderr: 'nimbus: no/such.txt: No such file or directory\n' });
    expect(s.run('cat < missing')).toMatchObject({ exitCode: 1, stderr: 'nimbus: missing: No such file or directory\n' });
  });
  it('here-documents and here-strings feed stdin', () => {
    s.run('NAME=photos');
    s.run('cat > policy.json <<EOF\n{"Bucket": "$NAME"}\nEOF');
    expect(s.sandbox.vfs.readText('/home/learner/policy.json')).toBe('{"Bucket": "photos"}\n');
    expect(out("cat <<'EOF'\n$NAME\nEOF")).toBe('$NAME\n');
    expect(out('grep -c o <<< "foo"')).toBe('1\n');
    expect(out('cat <<-EOF\n\tindented\n\tEOF')).toBe('indented\n');
  });
  it('redirections apply to subshells', () => {
    s.run('(echo a; echo b) > ab.txt');
    expect(out('wc -l < ab.txt')).toBe('2\n');
  });
});

describe('variables and shell state', () => {
  it('assignments persist across lines; prefix assignments only for one command', () => {
    s.run('BUCKET=photos');
    expect(out('echo $BUCKET')).toBe('photos\n');
    expect(out('REGION=eu-west-1 printenv REGION; echo "[$REGION]"')).toBe('eu-west-1\n[]\n');
  });
  it('export marks variables for env; unset removes them', () => {
    s.run('export AWS_DEFAULT_REGION=us-west-2 LOCAL=x');
    s.run('OTHER=y');
    const env = out('env');
    expect(env).toContain('AWS_DEFAULT_REGION=us-west-2\n');
    expect(env).not.toContain('OTHER=');
    expect(s.region).toBe('us-west-2');
    s.run('unset AWS_DEFAULT_REGION');
    expect(out('echo "[$AWS_DEFAULT_REGION]"')).toBe('[]\n');
    expect(s.region).toBe('us-east-1');
    expect(s.run("export '1x=2'")).toMatchObject({ exitCode: 1, stderr: "nimbus: export: '1x=2': not a valid identifier\n" });
  });
  it('export NAME=$VALUE does not split the value', () => {
    s.run('V="a b"; export W=$V');
    expect(out('echo "$W"')).toBe('a b\n');
  });
  it('AWS_* variables reach commands through ctx.env, and region follows the line', () => {
    s.run('export AWS_REGION=eu-west-1');
    expect(out('printenv AWS_REGION')).toBe('eu-west-1\n');
    expect(out('AWS_PROFILE=dev printenv AWS_PROFILE')).toBe('dev\n');
    expect(s.region).toBe('eu-west-1');
  });
  it('session env options are visible but the shell can override them', () => {
    const t = new Session(new Sandbox(), { env: { AWS_DEFAULT_REGION: 'ap-south-1' } });
    expect(t.run('echo $AWS_DEFAULT_REGION').stdout).toBe('ap-south-1\n');
    expect(t.region).toBe('ap-south-1');
    t.run('AWS_DEFAULT_REGION=eu-west-1');
    expect(t.region).toBe('eu-west-1');
  });
  it('persists shell state in the meta table, only when it changes', () => {
    s.run('mkdir -p x/y; cd x/y; Z=1');
    const stored = s.sandbox.db.table<{ cwd: string; vars: Record<string, string> }>('meta').get('shell')!;
    expect(stored.cwd).toBe('/home/learner/x/y');
    expect(stored.vars['Z']).toBe('1');
    s.sandbox.takeChanges();
    s.run('echo hi');
    s.run('pwd');
    expect(s.sandbox.takeChanges()).toEqual([]);
    s.run('false');
    expect(s.sandbox.takeChanges().map((c) => `${c.table}/${c.key}`)).toEqual(['meta/shell']);
    // a new session on the same sandbox sees the same folder and variables
    const again = new Session(s.sandbox);
    expect(again.run('pwd; echo $Z').stdout).toBe('/home/learner/x/y\n1\n');
  });
});

describe('special variables', () => {
  it('$RANDOM comes from the seeded generator: same seed, same numbers', () => {
    const a = new Session(new Sandbox({ seed: 7 })).run('echo $RANDOM $RANDOM').stdout;
    const b = new Session(new Sandbox({ seed: 7 })).run('echo $RANDOM $RANDOM').stdout;
    expect(a).toBe(b);
    expect(a).toMatch(/^\d+ \d+\n$/);
    expect(new Session(new Sandbox({ seed: 8 })).run('echo $RANDOM $RANDOM').stdout).not.toBe(a);
  });
  it('$HOME $PWD $USER and $0', () => {
    expect(new Session(new Sandbox()).run('echo $HOME $PWD $USER $0').stdout).toBe('/home/learner /home/learner learner nimbus\n');
  });
});

describe('brace expansion, "$@" and partial scripts', () => {
  it('expands {a,b} lists and {1..5} ranges before other expansions', () => {
    expect(out('echo {1..4} x{a,b}y {c..a} {08..10} a{b,c{d,e}}f')).toBe('1 2 3 4 xay xby c b a 08 09 10 abf acdf acef\n');
    expect(out('echo "{a,b}" {a} {} ${HOME}x')).toBe('{a,b} {a} {} /home/learnerx\n');
    s.run('mkdir -p app/{src,test}');
    expect(out('ls app | cat')).toBe('src\ntest\n');
    expect(out('for i in {1..3}; do echo -n $i; done')).toBe('123');
  });
  it('"$@" keeps each argument as one word', () => {
    s.run('each() { for a in "$@"; do echo "[$a]"; done; echo "n=$#"; }');
    expect(out('each "a b" c')).toBe('[a b]\n[c]\nn=2\n');
    expect(out('each')).toBe('n=0\n');
  });
  it('a multi-line script runs the lines before a syntax error, then reports it', () => {
    const r = s.run('echo a\necho b > b.txt\necho "c');
    expect(r).toMatchObject({ exitCode: 2, stdout: 'a\n', stderr: 'nimbus: syntax error: unexpected end of file (unclosed ")\n' });
    expect(s.sandbox.vfs.readText('/home/learner/b.txt')).toBe('b\n');
    expect(s.run('echo 1\nfi\necho 3')).toMatchObject({ exitCode: 2, stdout: '1\n', stderr: "nimbus: syntax error near unexpected token 'fi'\n" });
  });
});

describe('state replaced during a line', () => {
  it('after sandbox reset the shell continues from the fresh state (home folder, no variables)', () => {
    s.run('mkdir x; cd x; export A=1');
    const r = s.run('sandbox reset --yes; pwd; echo "[$A]"; mkdir y && echo made');
    expect(r.stdout.endsWith('/home/learner\n[]\nmade\n')).toBe(true);
    expect(s.shell.cwd).toBe('/home/learner');
  });
});
