/** Amazon S3, part 1: buckets, objects, listing, multipart, versioning, storage classes, restore, lifecycle, consistency. */
import { defineService } from '../../service';
import { ADMIN_IDENTITY } from '../../identity';
import { DEFAULT_REGION } from '../../regions';
import { bucketOperations } from './handlers/buckets';
import { objectOperations, onRestoreTimer, RESTORE_DONE, RESTORE_EXPIRE, type RestoreTimer } from './handlers/objects';
import { listingOperations } from './handlers/listing';
import { multipartOperations } from './handlers/multipart';
import { lifecycleOperations, runLifecycle, LIFECYCLE_TIMER } from './handlers/lifecycle';
import { trackChanges, endStaleWindow, STALE_TIMER } from './model';
import './views';
import { accessOperations, authorizeS3, withAccessControl } from './access';
import { websiteOperations } from './handlers/website';
import './network';

export const s3 = defineService({
  name: 's3',
  cliName: 's3api',
  title: 'Amazon Simple Storage Service',
  doc: 'Object storage: buckets hold objects addressed by key. `aws s3api` calls one API operation per command; `aws s3` offers file-like commands (ls, cp, sync ...).',
  protocol: 'rest-xml',
  operations: [...withAccessControl([...bucketOperations, ...objectOperations, ...listingOperations, ...multipartOperations, ...lifecycleOperations, ...websiteOperations]), ...accessOperations],
  authorize: authorizeS3,
  setup(sandbox) {
    const ctx = () => sandbox.context(DEFAULT_REGION, ADMIN_IDENTITY);
    sandbox.scheduler.on(RESTORE_DONE, (p, at) => onRestoreTimer(ctx(), RESTORE_DONE, p as RestoreTimer, at));
    sandbox.scheduler.on(RESTORE_EXPIRE, (p, at) => onRestoreTimer(ctx(), RESTORE_EXPIRE, p as RestoreTimer, at));
    sandbox.scheduler.on(LIFECYCLE_TIMER, (_p, at) => runLifecycle(ctx(), at));
    sandbox.scheduler.on(STALE_TIMER, (p) => endStaleWindow(ctx(), p as { bucket: string; key: string; until: number }));
    sandbox.onChange((changes) => trackChanges(sandbox.db, changes));
  },
});

export * from './model';
export { storageCost, PRICE_PER_GB_MONTH } from './cost';
export { walkKeys } from './handlers/listing';
export { MIN_PART } from './handlers/multipart';
