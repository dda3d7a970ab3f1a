import { describe, it, expect } from 'vitest';
import { term } from './helpers';

const HEADERS = '--content-type text/plain --cache-control max-age=60 --content-encoding identity --content-disposition attachment --content-language en';
const SHOWN = { ContentType: 'text/plain', CacheControl: 'max-age=60', ContentEncoding: 'identity', ContentDisposition: 'attachment', ContentLanguage: 'en' };
const OPTIONAL = ['CacheControl', 'ContentEncoding', 'ContentDisposition', 'ContentLanguage', 'Expires'];

describe('stored headers travel from a multipart upload and through a copy', () => {
  it('keeps the headers given to create-multipart-upload, and copy-object (COPY) keeps them again', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const { UploadId } = t.json(`aws s3api create-multipart-upload --bucket photos --key doc.txt ${HEADERS} --expires 2030-01-01T00:00:00Z`);
    t.writeBytes('part', new Uint8Array(10).fill(7));
    const e1 = t.json(`aws s3api upload-part --bucket photos --key doc.txt --part-number 1 --upload-id ${UploadId} --body part`).ETag;
    t.json(`aws s3api complete-multipart-upload --bucket photos --key doc.txt --upload-id ${UploadId} --multipart-upload 'Parts=[{ETag=${e1},PartNumber=1}]'`);
    const head = t.json('aws s3api head-object --bucket photos --key doc.txt');
    expect(head).toMatchObject(SHOWN);
    expect(head.Expires).toMatch(/^2030-01-01/);
    t.json('aws s3api copy-object --bucket photos --key copy.txt --copy-source photos/doc.txt');
    const copied = t.json('aws s3api head-object --bucket photos --key copy.txt');
    expect(copied).toMatchObject(SHOWN);
    expect(copied.Expires).toBe(head.Expires);
  });

  it('leaves unset headers absent', () => {
    const t = term();
    t.ok('aws s3 mb s3://photos');
    const { UploadId } = t.json('aws s3api create-multipart-upload --bucket photos --key plain.bin');
    t.writeBytes('part', new Uint8Array(10).fill(1));
    const e1 = t.json(`aws s3api upload-part --bucket photos --key plain.bin --part-number 1 --upload-id ${UploadId} --body part`).ETag;
    t.json(`aws s3api complete-multipart-upload --bucket photos --key plain.bin --upload-id ${UploadId} --multipart-upload 'Parts=[{ETag=${e1},PartNumber=1}]'`);
    t.json('aws s3api copy-object --bucket photos --key copy.bin --copy-source photos/plain.bin');
    for (const key of ['plain.bin', 'copy.bin']) {
      const head = t.json(`aws s3api head-object --bucket photos --key ${key}`);
      for (const h of OPTIONAL) expect(head).not.toHaveProperty(h);
    }
  });
});
