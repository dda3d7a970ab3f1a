/**
 * Read-only views of S3 for UI panels:
 *  - `s3-buckets`: every bucket with its region, versioning, and the count and size of its current objects;
 *  - `s3-objects` {bucket, prefix?, delimiter?}: one listing page (1,000 entries), as ListObjectsV2 sees it.
 */
import { registerView } from '../../views';
import { ADMIN_IDENTITY } from '../../identity';
import { isoTime } from '../../clock';
import type { Sandbox } from '../../sandbox';
import { buckets, objects, currentVersion } from './model';
import { walkKeys } from './handlers/listing';

export function bucketsView(sb: Sandbox) {
  const ctx = sb.context('us-east-1', ADMIN_IDENTITY);
  const now = sb.now();
  const stats = new Map<string, { objects: number; bytes: number }>();
  for (const row of objects(ctx).values()) {
    const v = currentVersion(row, now);
    if (!v) continue;
    const s = stats.get(row.bucket) ?? { objects: 0, bytes: 0 };
    s.objects++;
    s.bytes += v.size;
    stats.set(row.bucket, s);
  }
  return [...buckets(ctx).values()]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((b) => ({
      name: b.name,
      region: b.region,
      created: isoTime(b.created),
      versioning: b.versioning ?? 'Off',
      objects: stats.get(b.name)?.objects ?? 0,
      bytes: stats.get(b.name)?.bytes ?? 0,
    }));
}

export function objectsView(sb: Sandbox, args: Record<string, unknown>) {
  const bucket = String(args['bucket'] ?? '');
  const ctx = sb.context('us-east-1', ADMIN_IDENTITY);
  if (!buckets(ctx).has(bucket)) return { bucket, prefixes: [], objects: [], truncated: false };
  const { entries, truncated } = walkKeys(ctx, bucket, {
    prefix: String(args['prefix'] ?? ''),
    delimiter: args['delimiter'] === undefined ? '/' : String(args['delimiter']) || undefined,
    max: 1000,
  });
  return {
    bucket,
    prefixes: entries.flatMap((e) => (e.type === 'prefix' ? [e.prefix] : [])),
    objects: entries.flatMap((e) =>
      e.type === 'key' ? [{ key: e.key, size: e.v.size, lastModified: isoTime(e.v.lastModified), storageClass: e.v.storageClass, etag: e.v.etag }] : [],
    ),
    truncated,
  };
}

registerView('s3-buckets', (sb) => bucketsView(sb));
registerView('s3-objects', (sb, args) => objectsView(sb, args));
