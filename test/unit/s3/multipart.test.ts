import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { term } from './helpers';

const MiB = 1024 * 1024;
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest();

describe('S3 multipart upload', () => {
  it('complete gives the md5-of-md5s-N ETag and the joined object', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const { UploadId } = t.json('aws s3api create-multipart-upload --bucket photos --key big.bin');
    const p1 = bytes(5 * MiB, 1);
    const p2 = bytes(1000, 2);
    t.writeBytes('p1', p1);
    t.writeBytes('p2', p2);
    const e1 = t.json(`aws s3api upload-part --bucket photos --key big.bin --part-number 1 --upload-id ${UploadId} --body p1`).ETag;
    const e2 = t.json(`aws s3api upload-part --bucket photos --key big.bin --part-number 2 --upload-id ${UploadId} --body p2`).ETag;
    const parts = t.json(`aws s3api list-parts --bucket photos --key big.bin --upload-id ${UploadId}`);
    expect(parts.Parts.map((p: any) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * MiB],
      [2, 1000],
    ]);
    expect(t.json('aws s3api list-multipart-uploads --bucket photos').Uploads[0].UploadId).toBe(UploadId);
    const done = t.json(
      `aws s3api complete-multipart-upload --bucket photos --key big.bin --upload-id ${UploadId} --multipart-upload 'Parts=[{ETag=${e1},PartNumber=1},{ETag=${e2},PartNumber=2}]'`,
    );
    const expected = createHash('md5').update(Buffer.concat([md5(p1), md5(p2)])).digest('hex') + '-2';
    expect(done.ETag).toBe(`"${expected}"`);
    expect(t.json('aws s3api head-object --bucket photos --key big.bin').ContentLength).toBe(5 * MiB + 1000);
    expect(t.run(`aws s3api list-parts --bucket photos --key big.bin --upload-id ${UploadId}`).err).toContain('(NoSuchUpload)');
  });

  it('EntityTooSmall, InvalidPart, InvalidPartOrder, NoSuchUpload', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const id = t.call('CreateMultipartUpload', { Bucket: 'photos', Key: 'k' }).output.UploadId;
    const e1 = t.call('UploadPart', { Bucket: 'photos', Key: 'k', UploadId: id, PartNumber: 1, Body: bytes(100, 1) }).output.ETag;
    const e2 = t.call('UploadPart', { Bucket: 'photos', Key: 'k', UploadId: id, PartNumber: 2, Body: bytes(100, 2) }).output.ETag;
    const complete = (Parts: unknown) => t.call('CompleteMultipartUpload', { Bucket: 'photos', Key: 'k', UploadId: id, MultipartUpload: { Parts } });
    expect(complete([{ ETag: e1, PartNumber: 1 }, { ETag: e2, PartNumber: 2 }]).error).toMatchObject({
      code: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed object size.',
    });
    expect(complete([{ ETag: e2, PartNumber: 2 }, { ETag: e1, PartNumber: 1 }]).error.code).toBe('InvalidPartOrder');
    expect(complete([{ ETag: '"00"', PartNumber: 1 }]).error.code).toBe('InvalidPart');
    expect(complete([{ ETag: e1, PartNumber: 3 }]).error.code).toBe('InvalidPart');
    // a single small part is fine: it is the last one
    expect(complete([{ ETag: e1, PartNumber: 1 }]).ok).toBe(true);
    expect(t.call('AbortMultipartUpload', { Bucket: 'photos', Key: 'k', UploadId: id }).error.code).toBe('NoSuchUpload');
    expect(t.call('UploadPart', { Bucket: 'photos', Key: 'k', UploadId: 'nope', PartNumber: 1 }).error.message).toBe(
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    );
  });

  it('abort frees the parts', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const before = t.sb.blobs.count;
    const id = t.call('CreateMultipartUpload', { Bucket: 'photos', Key: 'k' }).output.UploadId;
    t.call('UploadPart', { Bucket: 'photos', Key: 'k', UploadId: id, PartNumber: 1, Body: bytes(10, 1) });
    expect(t.sb.blobs.count).toBe(before + 1);
    t.ok(`aws s3api abort-multipart-upload --bucket photos --key k --upload-id ${id}`);
    expect(t.sb.blobs.count).toBe(before);
    expect(t.call('ListMultipartUploads', { Bucket: 'photos' }).output.Uploads).toBeUndefined();
  });

  it('aws s3 cp switches to multipart above 8 MiB (ETag ends in -3 for 20 MiB)', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.writeBytes('big.bin', bytes(20 * MiB, 7));
    expect(t.ok('aws s3 cp big.bin s3://photos/')).toBe('upload: ./big.bin to s3://photos/big.bin\n');
    expect(t.json('aws s3api head-object --bucket photos --key big.bin').ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    t.writeBytes('small.bin', bytes(8 * MiB, 7));
    t.ok('aws s3 cp small.bin s3://photos/');
    expect(t.json('aws s3api head-object --bucket photos --key small.bin').ETag).toMatch(/^"[0-9a-f]{32}"$/);
  });
});

describe('S3 upload memory', () => {
  it('an upload of a home-folder file shares its blob (single put and multipart)', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    t.writeBytes('mid.bin', bytes(100_000, 5));
    t.writeBytes('big.bin', bytes(9 * MiB, 6));
    const n = t.sb.blobs.count;
    t.ok('aws s3 cp mid.bin s3://photos/');
    t.ok('aws s3 cp big.bin s3://photos/');
    expect(t.sb.blobs.count).toBe(n);
    t.ok('aws s3 cp s3://photos/big.bin back.bin');
    expect(t.sb.blobs.count).toBe(n);
    expect(t.sb.vfs.readBytes('/home/learner/back.bin')[9 * MiB - 1]).toBe(6);
    t.ok('rm big.bin');
    t.ok('rm back.bin');
    expect(t.sb.vfs.exists('/home/learner/big.bin')).toBe(false);
    t.ok('aws s3 cp s3://photos/big.bin again.bin');
    expect(t.sb.vfs.readBytes('/home/learner/again.bin')).toHaveLength(9 * MiB);
  });
});
