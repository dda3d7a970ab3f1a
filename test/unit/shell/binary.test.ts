import { describe, it, expect, beforeEach } from 'vitest';
import { Sandbox, HOME } from '../../../src/engine';
import { Session } from '../../../src/cli/session';
import { md5Hex } from '../../../src/engine/store/blobs';

/** 3,000 bytes that are not valid UTF-8 (a seeded generator, every byte value present). */
function binary(n = 3000): Uint8Array {
  const b = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = i < 256 ? i : (x >>> 16) & 0xff;
  }
  return b;
}

let sb: Sandbox;
let s: Session;
const data = binary();
const read = (p: string) => sb.vfs.readBytes(`${HOME}/${p}`);
beforeEach(() => {
  sb = new Sandbox();
  s = new Session(sb);
  sb.mutate(() => sb.vfs.writeBytes(`${HOME}/bin.dat`, data));
});

describe('binary data through the shell', () => {
  it('wc -c counts bytes of a binary file and of binary stdin', () => {
    expect(s.run('wc -c bin.dat').stdout).toBe('3000 bin.dat\n');
    expect(s.run('cat bin.dat | wc -c').stdout).toBe('3000\n');
    expect(s.run('wc -c < bin.dat').stdout).toBe('3000\n');
  });

  it('cat > file, pipes and < redirections keep the bytes', () => {
    expect(s.run('cat bin.dat > copy.dat').exitCode).toBe(0);
    expect(read('copy.dat')).toEqual(data);
    s.run('cat < bin.dat | cat | cat > c2.dat');
    expect(read('c2.dat')).toEqual(data);
    s.run('cat bin.dat >> c3.dat; cat bin.dat >> c3.dat');
    expect(read('c3.dat').length).toBe(6000);
    expect(read('c3.dat').subarray(3000)).toEqual(data);
    s.run('cat bin.dat | tee t1.dat t2.dat > t3.dat');
    expect(read('t1.dat')).toEqual(data);
    expect(read('t3.dat')).toEqual(data);
  });

  it('head -c / tail -c cut bytes', () => {
    s.run('head -c 100 bin.dat > h.dat; tail -c 50 bin.dat > t.dat; tail -c +2991 bin.dat > t2.dat');
    expect(read('h.dat')).toEqual(data.subarray(0, 100));
    expect(read('t.dat')).toEqual(data.subarray(2950));
    expect(read('t2.dat')).toEqual(data.subarray(2990));
    expect(s.run('cat bin.dat | head -c 1000 | wc -c').stdout).toBe('1000\n');
  });

  it('md5sum and base64 both ways are binary-safe', () => {
    const md5 = md5Hex(data);
    expect(s.run('md5sum bin.dat').stdout).toBe(`${md5}  bin.dat\n`);
    expect(s.run('cat bin.dat | md5sum').stdout).toBe(`${md5}  -\n`);
    s.run('base64 bin.dat > b.txt; base64 -d b.txt > back.dat');
    expect(read('back.dat')).toEqual(data);
    expect(s.run('base64 bin.dat | base64 -d | md5sum').stdout).toBe(`${md5}  -\n`);
  });

  it('aws s3 cp streams binary stdin and stdout', () => {
    s.run('aws s3 mb s3://photos');
    expect(s.run('cat bin.dat | aws s3 cp - s3://photos/p').exitCode).toBe(0);
    expect(s.run('aws s3api head-object --bucket photos --key p --query ContentLength').stdout).toBe('3000\n');
    s.run('aws s3 cp bin.dat s3://photos/bin.dat');
    expect(s.run('aws s3 cp s3://photos/bin.dat - | wc -c').stdout).toBe('3000\n');
    s.run('aws s3 cp s3://photos/p - > got.dat');
    expect(read('got.dat')).toEqual(data);
  });

  it('text still works: read loops, substitutions, terminal output decoded lossily', () => {
    expect(s.run('printf "a\\nb\\n" | while read l; do echo "<$l>"; done').stdout).toBe('<a>\n<b>\n');
    expect(s.run('x=$(echo héllo | cat); echo ${#x}').stdout).toBe('5\n');
    const r = s.run('head -c 3 bin.dat');
    expect(r.stdout).toBe('\u0000\u0001\u0002');
    sb.mutate(() => sb.vfs.writeBytes(`${HOME}/bad.dat`, new Uint8Array([0x61, 0xff, 0x62])));
    expect(s.run('cat bad.dat').stdout).toBe('a\ufffdb');
    expect(s.run('echo é | wc -c').stdout).toBe('3\n');
  });
});

describe('raw bytes from echo -e and printf escapes', () => {
  it('\\xHH above 0x7f is one byte, as in bash', () => {
    const sb2 = new Sandbox();
    const s2 = new Session(sb2);
    expect(s2.run("printf '\\x89PNG\\r\\n' | wc -c").stdout).toBe('6\n');
    expect(s2.run("echo -e '\\xff\\x00a' | wc -c").stdout).toBe('4\n');
    expect(s2.run("echo -e '\\xc3\\xa9'").stdout).toBe('é\n');
    s2.run("printf '\\x89PNG' > sig.bin");
    expect(sb2.vfs.readBytes(`${HOME}/sig.bin`)).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    expect(s2.run("printf 'é\\n' | wc -c").stdout).toBe('3\n');
  });
});

describe('printf octal escapes', () => {
  it('\\NNN in the format is an octal byte', () => {
    const s2 = new Session(new Sandbox());
    expect(s2.run("printf '\\303\\251 a\\101\\n'").stdout).toBe('é aA\n');
    expect(s2.run("printf '\\0101'").stdout).toBe('\b1');
  });
});
