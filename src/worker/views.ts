/**
 * The 'resources' view for the side panel: a short list of buckets, clusters,
 * services and tasks. It reads the tables by name and tolerates services that
 * are not built yet (their tables are simply empty).
 */
import { registerView } from '../engine/views';
import type { Sandbox } from '../engine';

interface Item {
  name: string;
  detail?: string;
}

function rows(sb: Sandbox, table: string): Record<string, unknown>[] {
  try {
    return [...sb.db.table<Record<string, unknown>>(table).values()];
  } catch {
    return [];
  }
}

function s(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function tail(arn: string | undefined): string | undefined {
  return arn ? arn.split('/').pop() : undefined;
}

export function resourcesView(sb: Sandbox): Record<string, Item[]> {
  const clusterName = new Map<string, string>();
  const clusters = rows(sb, 'ecs.clusters')
    .filter((c) => c.status !== 'INACTIVE')
    .map((c) => {
      if (s(c.arn)) clusterName.set(s(c.arn)!, s(c.name) ?? '');
      return { name: s(c.name) ?? '?', detail: [s(c.status), s(c.region)].filter(Boolean).join(' · ') };
    });
  const objectsPerBucket = new Map<string, number>();
  for (const o of rows(sb, 's3.objects')) {
    const b = s(o.bucket) ?? s(o.Bucket);
    if (b && o.deleteMarker !== true && o.isLatest !== false) objectsPerBucket.set(b, (objectsPerBucket.get(b) ?? 0) + 1);
  }
  const buckets = rows(sb, 's3.buckets').map((b) => {
    const name = s(b.name) ?? '?';
    const n = objectsPerBucket.get(name);
    return { name, detail: [s(b.region), n !== undefined ? `${n} object${n === 1 ? '' : 's'}` : undefined].filter(Boolean).join(' · ') };
  });
  const services = rows(sb, 'ecs.services')
    .filter((x) => x.status !== 'INACTIVE')
    .map((x) => ({
      name: s(x.serviceName) ?? s(x.name) ?? tail(s(x.arn)) ?? '?',
      detail: [clusterName.get(s(x.clusterArn) ?? ''), s(x.status), x.desiredCount !== undefined ? `desired ${s(x.desiredCount)}` : undefined]
        .filter(Boolean)
        .join(' · '),
    }));
  const tasks = rows(sb, 'ecs.tasks')
    .filter((t) => t.lastStatus !== 'STOPPED' || t.desiredStatus !== 'STOPPED')
    .map((t) => ({
      name: s(t.id) ?? tail(s(t.arn)) ?? '?',
      detail: [clusterName.get(s(t.clusterArn) ?? ''), s(t.family) && t.revision !== undefined ? `${s(t.family)}:${s(t.revision)}` : undefined, s(t.lastStatus)]
        .filter(Boolean)
        .join(' · '),
    }));
  return { buckets, clusters, services, tasks };
}

registerView('resources', (sb) => resourcesView(sb));
