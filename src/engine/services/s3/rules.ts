/** Lifecycle rule matching, shared by the daily run and the Expiration header of PUT/GET/HEAD. */
import { httpDate } from '../../clock';
import type { BucketRow, LifecycleRule, ObjVersion, Tag } from './model';
import { DAY_MS, nextMidnight } from './util';

export function ruleMatches(rule: LifecycleRule, key: string, v: Pick<ObjVersion, 'tags' | 'size'>): boolean {
  const f = rule.Filter;
  const hasTag = (t: Tag) => v.tags.some((x) => x.Key === t.Key && x.Value === t.Value);
  if (!f) return key.startsWith(rule.Prefix ?? '');
  if (f.Prefix !== undefined && !key.startsWith(f.Prefix)) return false;
  if (f.Tag && !hasTag(f.Tag)) return false;
  if (f.ObjectSizeGreaterThan !== undefined && !(v.size > f.ObjectSizeGreaterThan)) return false;
  if (f.ObjectSizeLessThan !== undefined && !(v.size < f.ObjectSizeLessThan)) return false;
  if (f.And) {
    const a = f.And;
    if (a.Prefix !== undefined && !key.startsWith(a.Prefix)) return false;
    if (a.Tags && !a.Tags.every(hasTag)) return false;
    if (a.ObjectSizeGreaterThan !== undefined && !(v.size > a.ObjectSizeGreaterThan)) return false;
    if (a.ObjectSizeLessThan !== undefined && !(v.size < a.ObjectSizeLessThan)) return false;
  }
  return true;
}

/** When an action of `days` becomes due for something that started at `since`: rounded up to the next 00:00 UTC. */
export const dueAt = (since: number, days: number) => nextMidnight(since + days * DAY_MS, true);

/**
 * The `Expiration` S3 sends with PUT, GET and HEAD of a current version that
 * a lifecycle expiration rule will delete: `expiry-date="...", rule-id="..."`.
 */
export function expirationHeader(bucket: BucketRow, key: string, v: Pick<ObjVersion, 'tags' | 'size' | 'lastModified'>): string | undefined {
  let best: { at: number; id: string } | undefined;
  for (const r of bucket.lifecycle ?? []) {
    if (r.Status !== 'Enabled' || !r.Expiration || !ruleMatches(r, key, v)) continue;
    const at = r.Expiration.Days !== undefined ? dueAt(v.lastModified, r.Expiration.Days) : r.Expiration.Date ? Date.parse(r.Expiration.Date) : undefined;
    if (at !== undefined && (!best || at < best.at)) best = { at, id: r.ID ?? '' };
  }
  return best ? `expiry-date="${httpDate(best.at)}", rule-id="${best.id}"` : undefined;
}
