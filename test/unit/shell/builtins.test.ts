import { describe, it, expect, beforeEach } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';
import { columns, humanSize } from '../../../src/cli/commands/files';
import { posixRegex } from '../../../src/cli/commands/text';
import { formatPrintf } from '../../../src/cli/commands/shell';

let s: Session;
beforeEach(() => {
  s = new Session(new Sandbox());
});
const run = (line: string) => s.run(line);
const out = (line: string) => s.run(line).stdout;

describe('ls', () => {
  beforeEach(() => {
    run('mkdir -p app/src; echo hello > app/readme.md; touch .hidden b.txt');
  });
  it('lists names (columns on the terminal, one per line in a pipe)', () => {
    expect(out('ls')).toBe('app  b.txt\n');
    expect(out('ls | cat')).toBe('app\nb.txt\n');
    expect(out('ls -a | cat')).toBe('.\n..\n.hidden\napp\nb.txt\n');
    expect(out('ls -A | cat')).toBe('.hidden\napp\nb.txt\n');
  });
  it('-l prints a long listing with sizes and -h human sizes', () => {
    const l = out('ls -l app');
    expect(l).toMatch(/^total 8\n/);
    expect(l).toContain('-rw-r--r-- 1 learner learner    6 Jan  5 09:00 readme.md\n');
    expect(l).toContain('drwxr-xr-x 2 learner learner 4096 Jan  5 09:00 src\n');
    expect(out('ls -lh app')).toContain(' 4.0K Jan  5 09:00 src\n');
    expect(humanSize(1536)).toBe('1.5K');
    expect(humanSize(10 * 1024 * 1024 + 1)).toBe('11M');
  });
  it('-R recurses with headers; several args get headers', () => {
    expect(out('ls -R app')).toBe('app:\nreadme.md  src\n\napp/src:\n');
    expect(out('ls b.txt app')).toBe('b.txt\n\napp:\nreadme.md  src\n');
  });
  it('reports missing paths with exit 2', () => {
    expect(run('ls nope')).toMatchObject({ exitCode: 2, stderr: "ls: cannot access 'nope': No such file or directory\n" });
    expect(run('ls -z').exitCode).toBe(2);
  });
  it('lays out columns column-major within 80 characters', () => {
    const names = Array.from({ length: 30 }, (_, i) => `file-${String(i).padStart(2, '0')}.json`);
    const text = columns(names);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text.split('\n')[0]!.startsWith('file-00.json  file-06.json  file-12.json')).toBe(true);
  });
});

describe('cat, echo, head, tail, wc, grep', () => {
  it('cat joins files and stdin and reports errors per file', () => {
    run('echo a > a; echo b > b');
    expect(out('cat a b')).toBe('a\nb\n');
    expect(out('echo in | cat a - b')).toBe('a\nin\nb\n');
    const r = run('cat a nope b');
    expect(r).toMatchObject({ exitCode: 1, stdout: 'a\nb\n', stderr: 'cat: nope: No such file or directory\n' });
    run('mkdir d');
    expect(run('cat d').stderr).toBe('cat: d: Is a directory\n');
    expect(out('cat -n a')).toBe('     1\ta\n');
  });
  it('cat decodes binary bodies without failing', () => {
    s.sandbox.mutate((sb) => sb.vfs.writeBytes('/home/learner/bin', new Uint8Array([0x68, 0xff, 0x69])));
    expect(run('cat bin')).toMatchObject({ exitCode: 0, stdout: 'h\ufffdi' });
  });
  it('echo -n -e', () => {
    expect(out('echo -n hi')).toBe('hi');
    expect(out('echo -e "a\\tb\\nc"')).toBe('a\tb\nc\n');
    expect(out('echo "a\\tb"')).toBe('a\\tb\n');
    expect(out('echo -e "stop\\cignored"')).toBe('stop');
    expect(out('echo -x')).toBe('-x\n');
  });
  it('head and tail with -n N and -N', () => {
    run('printf "1\\n2\\n3\\n4\\n5\\n" > n.txt');
    expect(out('head -n 2 n.txt')).toBe('1\n2\n');
    expect(out('head -3 n.txt')).toBe('1\n2\n3\n');
    expect(out('tail -n 2 n.txt')).toBe('4\n5\n');
    expect(out('tail -1 n.txt')).toBe('5\n');
    expect(out('tail -n +4 n.txt')).toBe('4\n5\n');
    expect(out('cat n.txt | head -n1')).toBe('1\n');
    expect(out('head -n 1 n.txt n.txt')).toBe('==> n.txt <==\n1\n\n==> n.txt <==\n1\n');
  });
  it('wc counts like GNU wc', () => {
    run('printf "one two\\nthree\\n" > w.txt');
    expect(out('wc w.txt')).toBe(' 2  3 14 w.txt\n');
    expect(out('wc -l w.txt')).toBe('2 w.txt\n');
    expect(out('cat w.txt | wc -l')).toBe('2\n');
    expect(out('cat w.txt | wc')).toBe('      2       3      14\n');
    expect(out('wc -w w.txt w.txt')).toBe(' 3 w.txt\n 3 w.txt\n 6 total\n');
  });
  it('grep -i -v -n -c -E -o and exit codes', () => {
    run('printf "Apple\\nbanana\\ncherry\\napple pie\\n" > f.txt');
    expect(out('grep apple f.txt')).toBe('apple pie\n');
    expect(out('grep -i apple f.txt')).toBe('Apple\napple pie\n');
    expect(out('grep -vi apple f.txt')).toBe('banana\ncherry\n');
    expect(out('grep -n an f.txt')).toBe('2:banana\n');
    expect(out('grep -c a f.txt')).toBe('2\n');
    expect(out('grep -E "^(b|c)" f.txt')).toBe('banana\ncherry\n');
    expect(out('grep "^\\(b\\|c\\)" f.txt')).toBe('banana\ncherry\n');
    expect(out('grep -o "an" f.txt')).toBe('an\nan\n');
    expect(run('grep zzz f.txt').exitCode).toBe(1);
    expect(run('grep x nope.txt')).toMatchObject({ exitCode: 2, stderr: 'grep: nope.txt: No such file or directory\n' });
    expect(out('grep -c x f.txt f.txt')).toBe('f.txt:0\nf.txt:0\n');
    expect(out('grep "[[:digit:]]" <<< "a1"')).toBe('a1\n');
  });
  it('translates POSIX regular expressions', () => {
    expect(posixRegex('a+b', false)).toBe('a\\+b');
    expect(posixRegex('a\\+b', false)).toBe('a+b');
    expect(posixRegex('a+b', true)).toBe('a+b');
    expect(posixRegex('[[:upper:]]', true)).toBe('[A-Z]');
  });
  it('sort and uniq', () => {
    run('printf "b\\na\\nc\\na\\n10\\n9\\n" > s.txt');
    expect(out('sort s.txt | uniq')).toBe('10\n9\na\nb\nc\n');
    expect(out('sort s.txt | uniq -c | head -n 3')).toBe('      1 10\n      1 9\n      2 a\n');
    expect(out('grep "[0-9]" s.txt | sort -n')).toBe('9\n10\n');
    expect(out('sort -r s.txt | head -1')).toBe('c\n');
  });
});

describe('file commands', () => {
  it('mkdir and mkdir -p', () => {
    expect(run('mkdir a/b')).toMatchObject({ exitCode: 1, stderr: "mkdir: cannot create directory 'a/b': No such file or directory\n" });
    expect(run('mkdir -p a/b').exitCode).toBe(0);
    expect(run('mkdir a')).toMatchObject({ exitCode: 1, stderr: "mkdir: cannot create directory 'a': File exists\n" });
    expect(run('mkdir -p a/b').exitCode).toBe(0);
    expect(run('mkdir')).toMatchObject({ exitCode: 1, stderr: "mkdir: missing operand\nTry 'mkdir --help' for more information.\n" });
  });
  it('rm, rm -r, rm -f', () => {
    run('mkdir -p d/e; touch d/e/f x');
    expect(run('rm d')).toMatchObject({ exitCode: 1, stderr: "rm: cannot remove 'd': Is a directory\n" });
    expect(run('rm nope')).toMatchObject({ exitCode: 1, stderr: "rm: cannot remove 'nope': No such file or directory\n" });
    expect(run('rm -f nope').exitCode).toBe(0);
    expect(run('rm -rf d x').exitCode).toBe(0);
    expect(out('ls | cat')).toBe('');
    expect(run('rm -r ~').exitCode).toBe(1);
  });
  it('cp files and folders, sharing blobs', () => {
    run('echo data > a.txt; mkdir dir');
    run('cp a.txt b.txt; cp a.txt dir');
    expect(out('cat b.txt dir/a.txt')).toBe('data\ndata\n');
    expect(s.sandbox.vfs.blobId('/home/learner/b.txt')).toBe(s.sandbox.vfs.blobId('/home/learner/a.txt'));
    expect(run('cp dir dir2')).toMatchObject({ exitCode: 1, stderr: "cp: -r not specified; omitting directory 'dir'\n" });
    run('cp -r dir dir2');
    expect(out('cat dir2/a.txt')).toBe('data\n');
    expect(run('cp nope x').stderr).toBe("cp: cannot stat 'nope': No such file or directory\n");
    expect(run('cp a.txt b.txt c.txt').stderr).toBe("cp: target 'c.txt' is not a directory\n");
    expect(run('cp -r dir dir/sub').stderr).toBe("cp: cannot copy a directory, 'dir', into itself, 'dir/sub'\n");
  });
  it('mv renames and moves into folders', () => {
    run('echo x > a; mkdir d');
    run('mv a b');
    expect(out('ls | cat')).toBe('b\nd\n');
    run('mv b d');
    expect(out('cat d/b')).toBe('x\n');
    run('mv d e');
    expect(out('cat e/b')).toBe('x\n');
    expect(run('mv nope z').stderr).toBe("mv: cannot stat 'nope': No such file or directory\n");
  });
  it('touch creates files and needs an existing folder', () => {
    run('touch new.txt');
    expect(s.sandbox.vfs.isFile('/home/learner/new.txt')).toBe(true);
    expect(run('touch no/x')).toMatchObject({ exitCode: 1, stderr: "touch: cannot touch 'no/x': No such file or directory\n" });
  });
});

describe('shell builtins', () => {
  it('cd, pwd, cd -, cd ..', () => {
    run('mkdir -p a/b');
    expect(out('cd a/b; pwd')).toBe('/home/learner/a/b\n');
    expect(out('cd ..; pwd')).toBe('/home/learner/a\n');
    expect(out('cd -')).toBe('/home/learner/a/b\n');
    expect(out('cd; pwd')).toBe('/home/learner\n');
    expect(out('cd ~/a && pwd')).toBe('/home/learner/a\n');
    expect(run('cd nope')).toMatchObject({ exitCode: 1, stderr: 'nimbus: cd: nope: No such file or directory\n' });
    run('touch f');
    expect(run('cd f').stderr).toBe('nimbus: cd: f: Not a directory\n');
    expect(run('cd a b').stderr).toBe('nimbus: cd: too many arguments\n');
  });
  it('clear and edit emit effects', () => {
    expect(run('clear').effects).toEqual([{ type: 'clear-screen' }]);
    expect(run('edit task.json').effects).toEqual([{ type: 'open-editor', path: '/home/learner/task.json' }]);
    run('mkdir d');
    expect(run('edit d')).toMatchObject({ exitCode: 1, stderr: 'edit: d: Is a directory\n', effects: [] });
    expect(run('edit').exitCode).toBe(1);
  });
  it('help lists commands and explains one', () => {
    const h = out('help');
    expect(h).toMatch(/\n {2}grep +print lines that match a pattern\n/);
    expect(out('help ls')).toMatch(/^Usage: ls/);
    expect(out('ls --help')).toMatch(/^Usage: ls/);
    expect(run('help nope').exitCode).toBe(1);
  });
  it('true, false, which, type', () => {
    expect(run('true').exitCode).toBe(0);
    expect(run('false').exitCode).toBe(1);
    expect(out('which ls')).toBe('/usr/bin/ls\n');
    expect(run('which nope').exitCode).toBe(1);
    expect(out('type cd')).toBe('cd is a shell builtin\n');
  });
  it('source runs in this shell, sh in a child shell', () => {
    run('printf "X=sourced\\ncd /\\n" > setup.sh');
    run('sh setup.sh');
    expect(out('echo "[$X]"; pwd')).toBe('[]\n/home/learner\n');
    run('source setup.sh');
    expect(out('echo "[$X]"; pwd')).toBe('[sourced]\n/\n');
    expect(out('bash -c "echo inner \\$0" named')).toBe('inner named\n');
  });
  it('sleep moves the simulated clock; date reads it', () => {
    const t0 = s.sandbox.now();
    run('sleep 90');
    expect(s.sandbox.now() - t0).toBe(90_000);
    run('sleep 1m 0.5');
    expect(s.sandbox.now() - t0).toBe(150_500);
    expect(out('date +%Y-%m-%dT%H:%M:%S')).toBe('2026-01-05T09:02:30\n');
    expect(run('sleep x').exitCode).toBe(1);
  });
  it('printf formats', () => {
    expect(formatPrintf('%s=%d\\n', ['a', '1', 'b', '2']).text).toBe('a=1\nb=2\n');
    expect(formatPrintf('%5.2f|%-4s|%04d|%x', ['3.14159', 'ab', '42', '255']).text).toBe(' 3.14|ab  |0042|ff');
    expect(out("printf '%s\\n' one two")).toBe('one\ntwo\n');
  });
  it('env and printenv show exported variables', () => {
    run('export A=1; B=2');
    expect(out('printenv A')).toBe('1\n');
    expect(run('printenv B').exitCode).toBe(1);
    expect(out('env | grep "^A="')).toBe('A=1\n');
    expect(out('env C=3 printenv C')).toBe('3\n');
  });
});

describe('find, less, editor aliases', () => {
  it('find filters by name, type and depth', () => {
    run('mkdir -p a/b; touch a/x.json a/b/y.json a/b/z.txt');
    expect(out('find . -name "*.json"')).toBe('./a/b/y.json\n./a/x.json\n');
    expect(out('find a -type d')).toBe('a\na/b\n');
    expect(out('find a -maxdepth 1 -type f')).toBe('a/x.json\n');
    expect(run('find nope').stderr).toBe("find: 'nope': No such file or directory\n");
  });
  it('less and more print without paging', () => {
    run('echo page > p.txt');
    expect(out('less p.txt')).toBe('page\n');
    expect(out('echo piped | more')).toBe('piped\n');
  });
  it('nano / vim open the editor like edit', () => {
    expect(run('nano task.json').effects).toEqual([{ type: 'open-editor', path: '/home/learner/task.json' }]);
    expect(run('vim +10 task.json').effects).toEqual([{ type: 'open-editor', path: '/home/learner/task.json' }]);
  });
});

describe('ls width', () => {
  it('uses $COLUMNS for the terminal width', () => {
    run('touch alpha-file.txt beta-file.txt gamma-file.txt');
    expect(out('ls')).toBe('alpha-file.txt  beta-file.txt  gamma-file.txt\n');
    expect(out('COLUMNS=20 ls')).toBe('alpha-file.txt\nbeta-file.txt\ngamma-file.txt\n');
  });
});

describe('sudo and package managers', () => {
  it('sudo runs the command', () => {
    expect(run('sudo -E echo hi')).toMatchObject({ exitCode: 0, stdout: 'hi\n' });
    expect(run('sudo').exitCode).toBe(1);
  });
  it('package managers explain that the tools are built in', () => {
    const r = run('sudo apt-get install -y jq');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^apt-get: installing packages is not possible in this sandbox \(jq\)/);
  });
});

describe('small conveniences', () => {
  it('ls and grep accept --color', () => {
    run('echo abc > f');
    expect(run('ls --color=auto')).toMatchObject({ exitCode: 0, stdout: 'f\n' });
    expect(out('grep --color b f')).toBe('abc\n');
  });
  it('$_ is the last argument of the previous command', () => {
    expect(out('mkdir -p deep/er && cd $_ && pwd')).toBe('/home/learner/deep/er\n');
  });
});

describe('--help', () => {
  it('prints usage for tools, but echo prints it literally like bash', () => {
    expect(out('grep --help')).toMatch(/^Usage: grep/);
    expect(out('echo --help')).toBe('--help\n');
    expect(run('false --help').exitCode).toBe(1);
    expect(out('help echo')).toMatch(/^Usage: echo/);
  });
});
