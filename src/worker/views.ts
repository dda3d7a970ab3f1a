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
  /** A read-only command that shows this resource (the panel runs it on click). */
  command?: string;
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
      const name = s(c.name) ?? '?';
      return {
        name,
        detail: [s(c.status), s(c.region)].filter(Boolean).join(' · '),
        command: `aws ecs describe-clusters --clusters ${name} --region ${s(c.region) ?? 'us-east-1'}`,
      };
    });
  const objectsPerBucket = new Map<string, number>();
  for (const o of rows(sb, 's3.objects')) {
    const b = s(o.bucket);
    // an object counts when its newest version is not a delete marker
    const newest = Array.isArray(o.versions) ? (o.versions[0] as Record<string, unknown> | undefined) : undefined;
    if (b && newest && newest.marker !== true) objectsPerBucket.set(b, (objectsPerBucket.get(b) ?? 0) + 1);
  }
  const buckets = rows(sb, 's3.buckets').map((b) => {
    const name = s(b.name) ?? '?';
    const n = objectsPerBucket.get(name) ?? 0;
    return {
      name,
      detail: [s(b.region), `${n} object${n === 1 ? '' : 's'}`].filter(Boolean).join(' · '),
      command: `aws s3 ls s3://${name}`,
    };
  });
  const services = rows(sb, 'ecs.services')
    .filter((x) => x.status !== 'INACTIVE')
    .map((x) => ({
      name: s(x.serviceName) ?? s(x.name) ?? tail(s(x.arn)) ?? '?',
      command:
        clusterName.get(s(x.clusterArn) ?? '') && (s(x.serviceName) ?? s(x.name))
          ? `aws ecs describe-services --cluster ${clusterName.get(s(x.clusterArn) ?? '')} --services ${s(x.serviceName) ?? s(x.name)} --region ${s(x.region) ?? 'us-east-1'}`
          : undefined,
      detail: [clusterName.get(s(x.clusterArn) ?? ''), s(x.status), x.desiredCount !== undefined ? `desired ${s(x.desiredCount)}` : undefined]
        .filter(Boolean)
        .join(' · '),
    }));
  const tasks = rows(sb, 'ecs.tasks')
    .filter((t) => t.lastStatus !== 'STOPPED' || t.desiredStatus !== 'STOPPED')
    .map((t) => ({
      name: s(t.id) ?? tail(s(t.arn)) ?? '?',
      command:
        clusterName.get(s(t.clusterArn) ?? '') && s(t.arn)
          ? `aws ecs describe-tasks --cluster ${clusterName.get(s(t.clusterArn) ?? '')} --tasks ${s(t.id) ?? tail(s(t.arn))} --region ${s(t.region) ?? 'us-east-1'}`
          : undefined,
      detail: [clusterName.get(s(t.clusterArn) ?? ''), s(t.family) && t.revision !== undefined ? `${s(t.family)}:${s(t.revision)}` : undefined, s(t.lastStatus)]
        .filter(Boolean)
        .join(' · '),
    }));
  return { buckets, clusters, services, tasks };
}

registerView('resources', (sb) => resourcesView(sb));
