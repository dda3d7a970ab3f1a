import { describe, it, expect } from 'vitest';
import { term } from './helpers';

function archived(cls = 'GLACIER') {
  const t = term();
  t.ok('aws s3 mb s3://photos');
  t.write('trip.zip', 'zipzip');
  t.ok(`aws s3api put-object --bucket photos --key trip.zip --body trip.zip --storage-class ${cls}`);
  return t;
}

describe('S3 storage classes, Glacier and restore', () => {
  it('storage class shows in head-object and ls listings', () => {
    const t = archived('STANDARD_IA');
    expect(t.json('aws s3api head-object --bucket photos --key trip.zip').StorageClass).toBe('STANDARD_IA');
    expect(t.json('aws s3api list-objects-v2 --bucket photos --query "Contents[0].StorageClass"')).toBe('STANDARD_IA');
    expect(t.call('PutObject', { Bucket: 'photos', Key: 'x', StorageClass: 'PLATINUM' }).error.code).toBe('InvalidStorageClass');
  });

  it('GET of a GLACIER object is InvalidObjectState until restored; the restore takes the tier delay', () => {
    const t = archived();
    const r = t.run('aws s3api get-object --bucket photos --key trip.zip out.zip');
    expect(r.code).toBe(254);
    expect(r.err).toContain("An error occurred (InvalidObjectState) when calling the GetObject operation: The operation is not valid for the object's storage class");
    t.ok('aws s3api restore-object --bucket photos --key trip.zip --restore-request Days=2,GlacierJobParameters={Tier=Expedited}');
    expect(t.json('aws s3api head-object --bucket photos --key trip.zip').Restore).toBe('ongoing-request="true"');
    const again = t.run('aws s3api restore-object --bucket photos --key trip.zip --restore-request Days=2');
    expect(again.err).toContain('(RestoreAlreadyInProgress) when calling the RestoreObject operation: Object restore is already in progress');
    expect(t.run('aws s3api get-object --bucket photos --key trip.zip out.zip').code).toBe(254);
    t.ok('sandbox clock advance 5m');
    const h = t.json('aws s3api head-object --bucket photos --key trip.zip');
    // done at most 5 minutes after 09:00 on Jan 5; + 2 days, rounded up to midnight UTC
    expect(h.Restore).toBe('ongoing-request="false", expiry-date="Thu, 08 Jan 2026 00:00:00 GMT"');
    t.ok('aws s3api get-object --bucket photos --key trip.zip out.zip');
    expect(t.ok('cat out.zip')).toBe('zipzip');
    t.ok('sandbox clock advance 3d');
    expect(t.json('aws s3api head-object --bucket photos --key trip.zip').Restore).toBeUndefined();
    expect(t.run('aws s3api get-object --bucket photos --key trip.zip out.zip').err).toContain('(InvalidObjectState)');
  });

  it('Standard restores of GLACIER take 3-5 hours; DEEP_ARCHIVE takes 12 hours and has no Expedited', () => {
    const t = archived();
    t.ok('aws s3api restore-object --bucket photos --key trip.zip --restore-request Days=1');
    t.ok('sandbox clock advance 2h59m');
    expect(t.json('aws s3api head-object --bucket photos --key trip.zip').Restore).toBe('ongoing-request="true"');
    t.ok('sandbox clock advance 2h1m');
    expect(t.json('aws s3api head-object --bucket photos --key trip.zip').Restore).toContain('ongoing-request="false"');

    const d = archived('DEEP_ARCHIVE');
    expect(d.run('aws s3api restore-object --bucket photos --key trip.zip --restore-request Days=1,GlacierJobParameters={Tier=Expedited}').code).toBe(254);
    d.ok('aws s3api restore-object --bucket photos --key trip.zip --restore-request Days=1');
    d.ok('sandbox clock advance 11h59m');
    expect(d.json('aws s3api head-object --bucket photos --key trip.zip').Restore).toBe('ongoing-request="true"');
    d.ok('sandbox clock advance 1m');
    expect(d.json('aws s3api head-object --bucket photos --key trip.zip').Restore).toContain('ongoing-request="false"');
  });

  it('restore of a STANDARD object is refused', () => {
    const t = archived('STANDARD');
    expect(t.run('aws s3api restore-object --bucket photos --key trip.zip --restore-request Days=1').err).toContain(
      "(InvalidObjectState) when calling the RestoreObject operation: Restore is not allowed for the object's current storage class",
    );
  });

  it('GLACIER_IR is readable at once', () => {
    const t = archived('GLACIER_IR');
    t.ok('aws s3api get-object --bucket photos --key trip.zip out.zip');
  });

  it('aws s3 cp skips an archived object with a warning and exit code 2', () => {
    const t = archived();
    const r = t.run('aws s3 cp s3://photos/trip.zip .');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'warning: Skipping file s3://photos/trip.zip. Object is of storage class GLACIER. Unable to perform download operations on GLACIER objects. You must restore the object to be able to perform the operation. See aws s3 download help for additional parameter options to ignore or force these transfers.\n',
    );
    expect(t.run('aws s3 cp s3://photos/ ./dl --recursive').code).toBe(2);
    expect(t.run('aws s3 cp s3://photos/ ./dl --recursive --ignore-glacier-warnings').code).toBe(0);
  });
});

describe('S3 restore status in listings', () => {
  it('list-objects-v2 --optional-object-attributes RestoreStatus shows the restore state', () => {
    const t = archived();
    t.ok('aws s3api restore-object --bucket photos --key trip.zip --restore-request Days=1,GlacierJobParameters={Tier=Expedited}');
    expect(t.json('aws s3api list-objects-v2 --bucket photos --optional-object-attributes RestoreStatus --query "Contents[0].RestoreStatus"')).toEqual({
      IsRestoreInProgress: true,
    });
    expect(t.json('aws s3api list-objects-v2 --bucket photos --query "Contents[0].RestoreStatus"')).toBeNull();
    t.ok('sandbox clock advance 5m');
    expect(t.json('aws s3api list-objects-v2 --bucket photos --optional-object-attributes RestoreStatus --query "Contents[0].RestoreStatus"')).toEqual({
      IsRestoreInProgress: false,
      RestoreExpiryDate: '2026-01-07T00:00:00+00:00',
    });
  });
});
