import { describe, it, expect } from 'vitest';
import { term } from '../s3/helpers';

describe('robustness of the aws command on extreme input', () => {
  it('a 1 MB JSON argument and a 20,000-tag --cli-input-json reach S3 and get its answer', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.write('tags.json', JSON.stringify({ TagSet: [{ Key: 'k', Value: 'x'.repeat(1024 * 1024) }] }));
    const a = t.run('aws s3api put-bucket-tagging --bucket photos --tagging file://tags.json');
    expect(a.code).toBe(254);
    expect(a.err).toContain('(InvalidTag)');
    t.write('in.json', JSON.stringify({ Bucket: 'photos', Tagging: { TagSet: Array.from({ length: 20000 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) } }));
    const b = t.run('aws s3api put-bucket-tagging --cli-input-json file://in.json');
    expect(b.code).toBe(254);
    expect(b.err).toContain('Bucket tag count cannot be greater than 50');
  });

  it('deeply nested shorthand or JSON ends in an error line, never a thrown exception', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    for (const depth of [500, 5000]) {
      let sh = 'a';
      for (let i = 0; i < depth; i++) sh = `{x=${sh}}`;
      const r = t.run(`aws s3api put-bucket-tagging --bucket photos --tagging "TagSet=[{Key=a,Value=${sh}}]"`);
      expect([252, 255]).toContain(r.code);
      expect(r.err.length).toBeGreaterThan(0);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('binary bytes survive aws s3 cp up and s3api get-object down unchanged', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const bytes = new Uint8Array(4096).map((_, i) => (i * 131 + 7) & 255);
    t.writeBytes('bin.dat', bytes);
    t.ok('aws s3 cp bin.dat s3://photos/bin.dat');
    t.ok('aws s3api get-object --bucket photos --key bin.dat back.dat');
    const back = t.sb.vfs.readBytes('/home/learner/back.dat');
    expect(back.byteLength).toBe(4096);
    expect([...back].every((b, i) => b === bytes[i])).toBe(true);
  });
});
