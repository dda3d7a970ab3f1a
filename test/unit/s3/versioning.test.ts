import { describe, it, expect } from 'vitest';
import { term } from './helpers';

function versioned() {
  const t = term();
  t.ok('aws s3 mb s3://photos');
  t.ok('aws s3api put-bucket-versioning --bucket photos --versioning-configuration Status=Enabled');
  return t;
}

describe('S3 versioning', () => {
  it('get-bucket-versioning is empty before, then Enabled and Suspended', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    expect(t.ok('aws s3api get-bucket-versioning --bucket photos')).toBe('');
    t.ok('aws s3api put-bucket-versioning --bucket photos --versioning-configuration Status=Enabled');
    expect(t.json('aws s3api get-bucket-versioning --bucket photos')).toEqual({ Status: 'Enabled' });
    t.ok('aws s3api put-bucket-versioning --bucket photos --versioning-configuration Status=Suspended');
    expect(t.json('aws s3api get-bucket-versioning --bucket photos')).toEqual({ Status: 'Suspended' });
  });

  it('each put makes a version; get --version-id reads an old one', () => {
    const t = versioned();
    t.write('a.txt', 'one');
    const v1 = t.json('aws s3api put-object --bucket photos --key a.txt --body a.txt').VersionId;
    t.write('a.txt', 'two');
    const v2 = t.json('aws s3api put-object --bucket photos --key a.txt --body a.txt').VersionId;
    expect(v1).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(v2).not.toBe(v1);
    t.ok(`aws s3api get-object --bucket photos --key a.txt --version-id ${v1} old.txt`);
    expect(t.ok('cat old.txt')).toBe('one');
    t.ok('aws s3api get-object --bucket photos --key a.txt new.txt');
    expect(t.ok('cat new.txt')).toBe('two');
    const lv = t.json('aws s3api list-object-versions --bucket photos');
    expect(lv.Versions.map((v: any) => [v.VersionId, v.IsLatest])).toEqual([
      [v2, true],
      [v1, false],
    ]);
  });

  it('delete adds a delete marker; the key disappears from listings but versions stay', () => {
    const t = versioned();
    t.ok('aws s3api put-object --bucket photos --key a.txt');
    const del = t.json('aws s3api delete-object --bucket photos --key a.txt');
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(t.run('aws s3api get-object --bucket photos --key a.txt out').err).toContain('(NoSuchKey)');
    expect(t.run('aws s3 ls s3://photos').code).toBe(0);
    expect(t.ok('aws s3 ls s3://photos')).toBe('');
    const lv = t.json('aws s3api list-object-versions --bucket photos');
    expect(lv.DeleteMarkers).toHaveLength(1);
    expect(lv.DeleteMarkers[0].IsLatest).toBe(true);
    expect(lv.Versions).toHaveLength(1);
    // GET of the marker by id: 405
    expect(t.run(`aws s3api get-object --bucket photos --key a.txt --version-id ${del.VersionId} out`).err).toContain('(MethodNotAllowed)');
    // removing the marker brings the object back
    t.ok(`aws s3api delete-object --bucket photos --key a.txt --version-id ${del.VersionId}`);
    t.ok('aws s3api get-object --bucket photos --key a.txt out');
  });

  it('a versioned bucket with versions left cannot be deleted; BucketNotEmpty says so', () => {
    const t = versioned();
    t.ok('aws s3api put-object --bucket photos --key a.txt');
    t.ok('aws s3 rm s3://photos/a.txt');
    const r = t.run('aws s3api delete-bucket --bucket photos');
    expect(r.err).toContain('The bucket you tried to delete is not empty. You must delete all versions in the bucket.');
  });

  it('objects written before versioning have the null version; suspended puts replace it', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.write('a.txt', 'zero');
    t.ok('aws s3api put-object --bucket photos --key a.txt --body a.txt');
    t.ok('aws s3api put-bucket-versioning --bucket photos --versioning-configuration Status=Enabled');
    t.write('a.txt', 'one');
    t.ok('aws s3api put-object --bucket photos --key a.txt --body a.txt');
    let lv = t.json('aws s3api list-object-versions --bucket photos');
    expect(lv.Versions.map((v: any) => v.VersionId)[1]).toBe('null');
    t.ok('aws s3api get-object --bucket photos --key a.txt --version-id null z.txt');
    expect(t.ok('cat z.txt')).toBe('zero');
    t.ok('aws s3api put-bucket-versioning --bucket photos --versioning-configuration Status=Suspended');
    t.write('a.txt', 'two');
    t.ok('aws s3api put-object --bucket photos --key a.txt --body a.txt');
    lv = t.json('aws s3api list-object-versions --bucket photos');
    expect(lv.Versions).toHaveLength(2);
    expect(lv.Versions[0]).toMatchObject({ VersionId: 'null', IsLatest: true, Size: 3 });
  });

  it('invalid and unknown version ids', () => {
    const t = versioned();
    t.ok('aws s3api put-object --bucket photos --key a');
    expect(t.run('aws s3api get-object --bucket photos --key a --version-id x! out').err).toContain('(InvalidArgument)');
    expect(t.run(`aws s3api get-object --bucket photos --key a --version-id ${'A'.repeat(32)} out`).err).toContain(
      '(NoSuchVersion) when calling the GetObject operation: The specified version does not exist.',
    );
  });
});

describe('S3 versioning: paging and copies', () => {
  it('list-object-versions pages by KeyMarker/VersionIdMarker and the CLI joins the pages', () => {
    const t = versioned();
    for (const k of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) t.call('PutObject', { Bucket: 'photos', Key: k, Body: new TextEncoder().encode(`${k}${i}`) });
    const p1 = t.call('ListObjectVersions', { Bucket: 'photos', MaxKeys: 4 }).output;
    expect(p1.IsTruncated).toBe(true);
    expect(p1.Versions).toHaveLength(4);
    expect(p1.NextKeyMarker).toBe('b');
    const p2 = t.call('ListObjectVersions', { Bucket: 'photos', MaxKeys: 4, KeyMarker: p1.NextKeyMarker, VersionIdMarker: p1.NextVersionIdMarker }).output;
    expect(p2.Versions.map((v: any) => v.Key)).toEqual(['b', 'b', 'c', 'c']);
    const all = t.json('aws s3api list-object-versions --bucket photos --page-size 2 --query "Versions[].Key"');
    expect(all).toEqual(['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c']);
  });

  it('copy-object from a version reports CopySourceVersionId and the new VersionId', () => {
    const t = versioned();
    t.write('a.txt', 'one');
    const v1 = t.json('aws s3api put-object --bucket photos --key a.txt --body a.txt').VersionId;
    t.write('a.txt', 'two');
    t.ok('aws s3api put-object --bucket photos --key a.txt --body a.txt');
    const c = t.json(`aws s3api copy-object --copy-source photos/a.txt?versionId=${v1} --bucket photos --key restored.txt`);
    expect(c.CopySourceVersionId).toBe(v1);
    expect(c.VersionId).toMatch(/^[A-Za-z0-9]{32}$/);
    t.ok('aws s3 cp s3://photos/restored.txt r.txt');
    expect(t.ok('cat r.txt')).toBe('one');
  });

  it('delete-objects in a versioned bucket reports delete markers', () => {
    const t = versioned();
    t.ok('aws s3api put-object --bucket photos --key a');
    const d = t.json('aws s3api delete-objects --bucket photos --delete "Objects=[{Key=a}]"');
    expect(d.Deleted[0]).toMatchObject({ Key: 'a', DeleteMarker: true });
    expect(d.Deleted[0].DeleteMarkerVersionId).toMatch(/^[A-Za-z0-9]{32}$/);
  });
});
