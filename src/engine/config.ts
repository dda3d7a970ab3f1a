/** Sandbox-wide settings that lessons switch: quotas, consistency mode, network placement. */
import type { Db } from './store/db';

export interface SandboxConfig {
  /** Soft limits by name (s3-buckets: 10000 today; a lesson may set 100). */
  quotas: Record<string, number>;
  /** S3 consistency model per region: 'strong' (today) unless a lesson switches to 'eventual'. */
  s3Consistency: Record<string, 'strong' | 'eventual'>;
  /** The profile the CLI uses when no --profile is given. */
  currentProfile: string;
  /** Extra settings owned by services or lessons. */
  settings: Record<string, unknown>;
}

export const DEFAULT_QUOTAS: Record<string, number> = {
  's3-buckets': 10000,
  'ecs-clusters': 10000,
  'ecs-tasks-per-run': 10,
};

export function defaultConfig(): SandboxConfig {
  return { quotas: { ...DEFAULT_QUOTAS }, s3Consistency: {}, currentProfile: 'default', settings: {} };
}

export function readConfig(db: Db): SandboxConfig {
  return (db.table<SandboxConfig>('meta').get('config') as SandboxConfig | undefined) ?? defaultConfig();
}

/** Change the config; must run in a transaction (sandbox.mutate). */
export function updateConfig(db: Db, fn: (c: SandboxConfig) => SandboxConfig): SandboxConfig {
  const next = fn(readConfig(db));
  db.table<SandboxConfig>('meta').set('config', next);
  return next;
}

export function quota(db: Db, name: string): number {
  return readConfig(db).quotas[name] ?? DEFAULT_QUOTAS[name] ?? Infinity;
}
