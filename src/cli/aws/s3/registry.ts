/** S3 completers (bucket names, keys) and waiters (bucket-exists ... object-not-exists), facts from waiters-2.json. */
import { registerCompleter } from '../completers';
import { registerWaiter } from '../waiters';
import { buckets, keyIndex, objects, objKey, currentVersion } from '../../../engine/services/s3/model';
import { ACCOUNT_ID } from '../../../engine';

registerCompleter('bucket', (sandbox, _region, partial) =>
  [...buckets({ table: (n) => sandbox.db.table(n) }).values()]
    .filter((b) => b.ownerAccount === ACCOUNT_ID && b.name.startsWith(partial))
    .map((b) => b.name)
    .sort(),
);

/** Keys of every bucket whose name starts with the partial text (the CLI does not say which bucket). */
registerCompleter('s3-key', (sandbox, _region, partial) => {
  const out: string[] = [];
  const t = objects({ table: (n) => sandbox.db.table(n) });
  const idx = keyIndex(sandbox.db);
  const now = sandbox.now();
  for (const b of buckets({ table: (n) => sandbox.db.table(n) }).values()) {
    for (const k of idx.keys(b.name)) {
      if (!k.startsWith(partial)) continue;
      if (!currentVersion(t.get(objKey(b.name, k)), now)) continue;
      out.push(k);
      if (out.length >= 200) return [...new Set(out)].sort();
    }
  }
  return [...new Set(out)].sort();
});

registerWaiter({
  service: 's3',
  name: 'bucket-exists',
  operation: 'HeadBucket',
  delaySeconds: 5,
  maxAttempts: 20,
  doc: 'Waits until HeadBucket answers 200 (or 301/403: the bucket exists, if not for you).',
  acceptors: [
    { state: 'success', matcher: 'status', expected: 200 },
    { state: 'success', matcher: 'status', expected: 301 },
    { state: 'success', matcher: 'status', expected: 403 },
    { state: 'retry', matcher: 'status', expected: 404 },
  ],
});
registerWaiter({
  service: 's3',
  name: 'bucket-not-exists',
  operation: 'HeadBucket',
  delaySeconds: 5,
  maxAttempts: 20,
  doc: 'Waits until HeadBucket answers 404.',
  acceptors: [{ state: 'success', matcher: 'status', expected: 404 }],
});
registerWaiter({
  service: 's3',
  name: 'object-exists',
  operation: 'HeadObject',
  delaySeconds: 5,
  maxAttempts: 20,
  doc: 'Waits until HeadObject answers 200.',
  acceptors: [
    { state: 'success', matcher: 'status', expected: 200 },
    { state: 'retry', matcher: 'status', expected: 404 },
  ],
});
registerWaiter({
  service: 's3',
  name: 'object-not-exists',
  operation: 'HeadObject',
  delaySeconds: 5,
  maxAttempts: 20,
  doc: 'Waits until HeadObject answers 404.',
  acceptors: [{ state: 'success', matcher: 'status', expected: 404 }],
});
