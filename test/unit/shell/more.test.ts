import { describe, it, expect, beforeEach } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

let s: Session;
beforeEach(() => {
  s = new Session(new Sandbox());
});
const out = (line: string) => s.run(line).stdout;

describe('cut, tr, awk', () => {
  it('cut fields and characters', () => {
    expect(out('echo arn:aws:ecs:us-east-1:123456789012:task/demo/0a1b | cut -d/ -f3')).toBe('0a1b\n');
    expect(out('echo a:b:c:d | cut -d: -f2-3')).toBe('b:c\n');
    expect(out('echo abcdef | cut -c1-3,5')).toBe('abce\n');
    expect(out('printf "x\\ta\\ny\\n" | cut -f2 -s')).toBe('a\n');
    expect(s.run('echo x | cut -f0').exitCode).toBe(1);
  });
  it('tr translates, deletes and squeezes', () => {
    expect(out('echo My-Bucket | tr "[:upper:]" "[:lower:]"')).toBe('my-bucket\n');
    expect(out('echo "a  b   c" | tr -s " "')).toBe('a b c\n');
    expect(out('echo hello | tr -d l')).toBe('heo\n');
    expect(out('echo a,b | tr , "\\n"')).toBe('a\nb\n');
  });
  it('awk prints fields with patterns', () => {
    const listing = '2026-01-05 09:00:00 photos\\n2026-01-05 09:00:00 logs\\n';
    expect(out(`printf "${listing}" | awk '{print $3}'`)).toBe('photos\nlogs\n');
    expect(out(`printf "${listing}" | awk '/logs/ {print $NF, NR}'`)).toBe('logs 2\n');
    expect(out(`printf "a,b\\nc,d\\n" | awk -F, 'NR>1 {print $2}'`)).toBe('d\n');
    expect(out(`printf "a 1\\nb 2\\n" | awk '$1 == "b"'`)).toBe('b 2\n');
    expect(out(`printf "a\\nb\\n" | awk 'END {print NR}'`)).toBe('2\n');
    expect(s.run(`awk '{x=1}'`).exitCode).toBe(0);
    expect(s.run(`awk '{if ($1) print}'`).exitCode).toBe(2);
  });
});

describe('xargs, seq, basename, dirname', () => {
  it('xargs appends words, splits with -n, replaces with -I', () => {
    expect(out('echo a b c | xargs echo got')).toBe('got a b c\n');
    expect(out('echo a b c | xargs -n 2 echo')).toBe('a b\nc\n');
    expect(out('printf "one\\ntwo\\n" | xargs -I{} echo "<{}>"')).toBe('<one>\n<two>\n');
    s.run('touch f1 f2');
    s.run('ls | xargs rm');
    expect(out('ls | wc -l')).toBe('0\n');
    expect(s.run('echo x | xargs nosuchcmd').exitCode).toBe(127);
  });
  it('seq counts', () => {
    expect(out('seq 3')).toBe('1\n2\n3\n');
    expect(out('seq -s, 2 2 8')).toBe('2,4,6,8\n');
    expect(out('seq -w 9 10')).toBe('09\n10\n');
    expect(out('for i in $(seq 2); do echo n$i; done')).toBe('n1\nn2\n');
  });
  it('basename and dirname', () => {
    expect(out('basename /a/b/task.json .json; dirname /a/b/task.json; dirname file; basename dir/')).toBe('task\n/a/b\n.\ndir\n');
  });
});

describe('base64 and md5sum', () => {
  it('round-trips base64 and wraps at 76', () => {
    expect(out('echo -n hello | base64')).toBe('aGVsbG8=\n');
    expect(out('echo aGVsbG8= | base64 -d')).toBe('hello');
    const long = out('printf "%0100d" 0 | base64');
    expect(long.split('\n')[0]).toHaveLength(76);
    expect(s.run('echo "@@" | base64 -d').exitCode).toBe(1);
  });
  it('md5sum matches the MD5 of the bytes', () => {
    expect(out('echo -n hi | md5sum')).toBe('49f68a5c8493ec2c0bf489821c21fc3b  -\n');
    s.run('echo -n hi > h.txt');
    expect(out('md5sum h.txt')).toBe('49f68a5c8493ec2c0bf489821c21fc3b  h.txt\n');
  });
});
