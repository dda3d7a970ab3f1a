/** Lifecycle configuration: validation as S3 does it, and the daily run at 00:00 UTC on the simulated clock. */
import { op, s } from '../../../shapes';
import type { Ctx } from '../../../context';
import { s3Errors } from '../errors';
import {
  buckets,
  objects,
  objKey,
  requireBucket,
  keyIndex,
  uploads,
  writeVersions,
  releaseVersions,
  type BucketRow,
  type LifecycleRule,
  type ObjVersion,
  type StorageClass,
  type Tag,
} from '../model';
import { DAY_MS, nextMidnight } from '../util';
import { ruleMatches, dueAt } from '../rules';
import { bucketArg, putVersion, newVersionId } from './common';

export const LIFECYCLE_TIMER = 's3.lifecycle';
const TRANSITION_CLASSES = ['GLACIER', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'DEEP_ARCHIVE', 'GLACIER_IR'] as const;

/** The waterfall: an object only moves to a class further down. */
const RANK: Record<string, number> = {
  STANDARD: 0,
  REDUCED_REDUNDANCY: 0,
  STANDARD_IA: 1,
  INTELLIGENT_TIERING: 2,
  ONEZONE_IA: 3,
  GLACIER_IR: 4,
  GLACIER: 5,
  DEEP_ARCHIVE: 6,
};

const tag = () => s.struct({ Key: s.str(), Value: s.str() }, ['Key', 'Value']);
const ruleShape = () =>
  s.struct(
    {
      ID: s.str({ max: 255 }),
      Status: s.enum(['Enabled', 'Disabled'] as const),
      Prefix: s.str(),
      Filter: s.struct({
        Prefix: s.str(),
        Tag: tag(),
        ObjectSizeGreaterThan: s.long(),
        ObjectSizeLessThan: s.long(),
        And: s.struct({ Prefix: s.str(), Tags: s.list(tag()), ObjectSizeGreaterThan: s.long(), ObjectSizeLessThan: s.long() }),
      }),
      Expiration: s.struct({ Days: s.int(), Date: s.ts(), ExpiredObjectDeleteMarker: s.bool() }),
      Transitions: s.list(s.struct({ Days: s.int(), Date: s.ts(), StorageClass: s.enum(TRANSITION_CLASSES) })),
      NoncurrentVersionExpiration: s.struct({ NoncurrentDays: s.int(), NewerNoncurrentVersions: s.int() }),
      NoncurrentVersionTransitions: s.list(s.struct({ NoncurrentDays: s.int(), StorageClass: s.enum(TRANSITION_CLASSES), NewerNoncurrentVersions: s.int() })),
      AbortIncompleteMultipartUpload: s.struct({ DaysAfterInitiation: s.int() }),
    },
    ['Status'],
  );

type RuleInput = {
  ID?: string;
  Status: string;
  Prefix?: string;
  Filter?: LifecycleRule['Filter'];
  Expiration?: { Days?: number; Date?: number; ExpiredObjectDeleteMarker?: boolean };
  Transitions?: { Days?: number; Date?: number; StorageClass: string }[];
  NoncurrentVersionExpiration?: LifecycleRule['NoncurrentVersionExpiration'];
  NoncurrentVersionTransitions?: LifecycleRule['NoncurrentVersionTransitions'];
  AbortIncompleteMultipartUpload?: LifecycleRule['AbortIncompleteMultipartUpload'];
};

const isoDate = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');

function validateRule(r: RuleInput): LifecycleRule {
  const bad = (m: string) => s3Errors.invalidArgument(m);
  if (r.Status !== 'Enabled' && r.Status !== 'Disabled') throw s3Errors.malformedXml();
  if (r.Prefix !== undefined && r.Filter !== undefined) throw s3Errors.malformedXml();
  if (r.Prefix === undefined && r.Filter === undefined) throw s3Errors.malformedXml();
  if (r.Filter) {
    const n = ['Prefix', 'Tag', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan', 'And'].filter((k) => (r.Filter as Record<string, unknown>)[k] !== undefined).length;
    if (n > 1) throw s3Errors.malformedXml();
  }
  if (!r.Expiration && !r.Transitions?.length && !r.NoncurrentVersionExpiration && !r.NoncurrentVersionTransitions?.length && !r.AbortIncompleteMultipartUpload) {
    throw s3Errors.invalidRequest('At least one action needs to be specified in a rule');
  }
  const exp = r.Expiration;
  if (exp) {
    const given = [exp.Days !== undefined, exp.Date !== undefined, exp.ExpiredObjectDeleteMarker !== undefined].filter(Boolean).length;
    if (given !== 1) throw s3Errors.malformedXml();
    if (exp.Days !== undefined && (!Number.isInteger(exp.Days) || exp.Days <= 0)) throw bad("'Days' for Expiration action must be a positive integer");
    if (exp.Date !== undefined && exp.Date % DAY_MS !== 0) throw bad("'Date' must be at midnight GMT");
  }
  const seen = new Set<string>();
  const trans = [...(r.Transitions ?? [])].sort((a, b) => (a.Days ?? 0) - (b.Days ?? 0));
  let prev: { Days?: number; StorageClass: string } | undefined;
  for (const t of trans) {
    if ((t.Days === undefined) === (t.Date === undefined)) throw s3Errors.malformedXml();
    if (seen.has(t.StorageClass)) throw bad(`'StorageClass' must be different for 'Transition' actions in same 'Rule' with filter '(prefix=${r.Filter?.Prefix ?? r.Prefix ?? ''})'`);
    seen.add(t.StorageClass);
    if (t.Days !== undefined) {
      if (!Number.isInteger(t.Days) || t.Days < 0) throw bad("'Days' in Transition action must be a non-negative integer");
      if ((t.StorageClass === 'STANDARD_IA' || t.StorageClass === 'ONEZONE_IA') && t.Days < 30) {
        throw bad(`'Days' in Transition action must be greater than or equal to 30 for storageClass '${t.StorageClass}'`);
      }
      if (prev?.Days !== undefined && (prev.StorageClass === 'STANDARD_IA' || prev.StorageClass === 'ONEZONE_IA' || prev.StorageClass === 'INTELLIGENT_TIERING') && t.Days - prev.Days < 30) {
        throw bad(`'Days' in the Transition action for StorageClass '${t.StorageClass}' must be 30 days more than 'Days' in the Transition action for StorageClass '${prev.StorageClass}'`);
      }
      if (prev && RANK[t.StorageClass]! <= RANK[prev.StorageClass]!) {
        throw bad(`Transition to StorageClass '${t.StorageClass}' cannot follow a transition to StorageClass '${prev.StorageClass}'`);
      }
    }
    prev = t;
  }
  const lastDays = trans.reduce((m, t) => Math.max(m, t.Days ?? -1), -1);
  if (exp?.Days !== undefined && lastDays >= 0 && exp.Days <= lastDays) {
    throw bad("'Days' in the Expiration action must be greater than 'Days' in the Transition action");
  }
  const nve = r.NoncurrentVersionExpiration;
  if (nve && (nve.NoncurrentDays === undefined || !Number.isInteger(nve.NoncurrentDays) || nve.NoncurrentDays <= 0)) {
    throw bad("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
  }
  for (const t of r.NoncurrentVersionTransitions ?? []) {
    if (t.NoncurrentDays === undefined || t.NoncurrentDays < 0) throw bad("'NoncurrentDays' in NoncurrentVersionTransition action must be a non-negative integer");
    if ((t.StorageClass === 'STANDARD_IA' || t.StorageClass === 'ONEZONE_IA') && t.NoncurrentDays < 30) {
      throw bad(`'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '${t.StorageClass}'`);
    }
  }
  const ab = r.AbortIncompleteMultipartUpload;
  if (ab) {
    if (ab.DaysAfterInitiation === undefined || ab.DaysAfterInitiation <= 0) throw bad("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
    if (r.Filter?.Tag || r.Filter?.And?.Tags?.length) {
      throw bad('AbortIncompleteMultipartUpload cannot be specified with Tags.');
    }
  }
  const out: LifecycleRule = { Status: r.Status };
  if (r.ID !== undefined) out.ID = r.ID;
  if (r.Filter !== undefined) out.Filter = r.Filter;
  if (r.Prefix !== undefined) out.Prefix = r.Prefix;
  if (exp)
    out.Expiration = {
      ...(exp.Days !== undefined ? { Days: exp.Days } : {}),
      ...(exp.Date !== undefined ? { Date: isoDate(exp.Date) } : {}),
      ...(exp.ExpiredObjectDeleteMarker !== undefined ? { ExpiredObjectDeleteMarker: exp.ExpiredObjectDeleteMarker } : {}),
    };
  if (r.Transitions?.length)
    out.Transitions = r.Transitions.map((t) => ({
      ...(t.Days !== undefined ? { Days: t.Days } : {}),
      ...(t.Date !== undefined ? { Date: isoDate(t.Date) } : {}),
      StorageClass: t.StorageClass,
    }));
  if (nve) out.NoncurrentVersionExpiration = nve;
  if (r.NoncurrentVersionTransitions?.length) out.NoncurrentVersionTransitions = r.NoncurrentVersionTransitions;
  if (ab) out.AbortIncompleteMultipartUpload = ab;
  return out;
}

export const PutBucketLifecycleConfiguration = op({
  name: 'PutBucketLifecycleConfiguration',
  doc: 'Replaces the bucket\'s lifecycle rules: transitions to cheaper classes and expirations, applied every day at 00:00 UTC on the simulated clock.',
  input: s.struct({ Bucket: bucketArg(), LifecycleConfiguration: s.struct({ Rules: s.list(ruleShape()) }, ['Rules']) }, ['Bucket']),
  errors: ['NoSuchBucket', 'InvalidArgument', 'InvalidRequest', 'MalformedXML'],
  example: 'aws s3api put-bucket-lifecycle-configuration --bucket photos --lifecycle-configuration file://lifecycle.json',
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const rules = input.LifecycleConfiguration?.Rules ?? [];
    if (rules.length === 0 || rules.length > 1000) throw s3Errors.malformedXml();
    const ids = new Set<string>();
    const out = rules.map((r) => {
      const v = validateRule(r as RuleInput);
      if (v.ID !== undefined) {
        if (ids.has(v.ID)) throw s3Errors.invalidArgument('Rule ID must be unique. Found same ID for more than one rule');
        ids.add(v.ID);
      }
      return v;
    });
    // Rules without an ID get a generated one, as S3 does.
    const named = out.map((r) => (r.ID !== undefined ? r : { ...r, ID: ctx.rng.alnum(48) }));
    buckets(ctx).set(b.name, { ...b, lifecycle: named });
    ensureLifecycleTimer(ctx);
    return { TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K' };
  },
});

export const GetBucketLifecycleConfiguration = op({
  name: 'GetBucketLifecycleConfiguration',
  doc: "Returns the bucket's lifecycle rules; NoSuchLifecycleConfiguration when there are none.",
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  readOnly: true,
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    if (!b.lifecycle?.length) throw s3Errors.noSuchLifecycle(b.name);
    return { Rules: structuredClone(b.lifecycle) as typeof b.lifecycle, TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K' };
  },
});

export const DeleteBucketLifecycle = op({
  name: 'DeleteBucketLifecycle',
  doc: "Removes the bucket's lifecycle rules.",
  input: s.struct({ Bucket: bucketArg() }, ['Bucket']),
  handler: (ctx, input) => {
    const b = requireBucket(ctx, input.Bucket);
    const { lifecycle: _l, ...rest } = b;
    buckets(ctx).set(b.name, rest);
    return {};
  },
});

export function ensureLifecycleTimer(ctx: Ctx): void {
  if (ctx.scheduler.pending().some((t) => t.kind === LIFECYCLE_TIMER)) return;
  ctx.scheduler.schedule(nextMidnight(ctx.now()), LIFECYCLE_TIMER, {});
}

// ---------------------------------------------------------------- the daily run

const matches = ruleMatches;

function transitioned(v: ObjVersion, target: string): ObjVersion {
  const { restore: _r, ...rest } = v;
  return { ...rest, storageClass: target as StorageClass };
}

function applyBucket(ctx: Ctx, b: BucketRow, at: number): void {
  const rules = (b.lifecycle ?? []).filter((r) => r.Status === 'Enabled');
  if (!rules.length) return;
  const t = objects(ctx);
  for (const key of [...keyIndex(ctx.db).keys(b.name)]) {
    const row = t.get(objKey(b.name, key));
    if (!row || !row.versions.length) continue;
    let versions = [...row.versions];
    const removed: ObjVersion[] = [];
    let expireCurrent = false;
    for (const rule of rules) {
      // current version
      const cur = versions[0];
      if (cur && !cur.marker && matches(rule, key, cur)) {
        const e = rule.Expiration;
        if (e?.Days !== undefined && at >= dueAt(cur.lastModified, e.Days)) expireCurrent = true;
        if (e?.Date !== undefined && at >= Date.parse(e.Date)) expireCurrent = true;
        let best: string | undefined;
        for (const tr of rule.Transitions ?? []) {
          const due = tr.Days !== undefined ? at >= dueAt(cur.lastModified, tr.Days) : tr.Date !== undefined && at >= Date.parse(tr.Date);
          if (due && RANK[tr.StorageClass]! > RANK[best ?? versions[0]!.storageClass]!) best = tr.StorageClass;
        }
        if (best) versions[0] = transitioned(versions[0]!, best);
      }
      // noncurrent versions: noncurrent since the next newer version was written
      for (let x = 1; x < versions.length; x++) {
        const v = versions[x]!;
        if (v.marker || !matches(rule, key, v)) continue;
        const since = versions[x - 1]!.lastModified;
        const nve = rule.NoncurrentVersionExpiration;
        const keep = nve?.NewerNoncurrentVersions ?? 0;
        if (nve?.NoncurrentDays !== undefined && at >= dueAt(since, nve.NoncurrentDays) && x > keep) {
          removed.push(v);
          versions.splice(x, 1);
          x--;
          continue;
        }
        let best: string | undefined;
        for (const tr of rule.NoncurrentVersionTransitions ?? []) {
          if (tr.NoncurrentDays !== undefined && at >= dueAt(since, tr.NoncurrentDays) && RANK[tr.StorageClass]! > RANK[best ?? v.storageClass]!) best = tr.StorageClass;
        }
        if (best) versions[x] = transitioned(v, best);
      }
      // a delete marker left alone
      if (rule.Expiration?.ExpiredObjectDeleteMarker && versions.length === 1 && versions[0]!.marker && key.startsWith(rule.Filter?.Prefix ?? rule.Prefix ?? '')) {
        versions = [];
      }
    }
    const changed = versions.length !== row.versions.length || versions.some((v, i) => v !== row.versions[i]);
    if (changed) {
      writeVersions(ctx, b, key, versions);
      releaseVersions(ctx, removed);
    }
    if (expireCurrent) {
      const fresh = t.get(objKey(b.name, key));
      const cur = fresh?.versions[0];
      if (!cur || cur.marker) continue;
      if (!b.versioning) {
        writeVersions(ctx, b, key, []);
        releaseVersions(ctx, fresh!.versions);
      } else {
        putVersion(ctx, b, key, {
          versionId: newVersionId(ctx, b),
          marker: true,
          size: 0,
          etag: '',
          lastModified: at,
          metadata: {},
          storageClass: 'STANDARD',
          tags: [],
        });
      }
    }
  }
  // incomplete multipart uploads
  for (const rule of rules) {
    const ab = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
    if (ab === undefined) continue;
    const prefix = rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '';
    for (const u of uploads(ctx).filter((u) => u.bucket === b.name && u.key.startsWith(prefix))) {
      if (at >= dueAt(u.initiated, ab)) {
        for (const p of Object.values(u.parts)) ctx.blobs.release(p.blob);
        uploads(ctx).delete(u.uploadId);
      }
    }
  }
}

/** The timer handler: apply every bucket's rules, then schedule tomorrow's run while any rules remain. */
export function runLifecycle(ctx: Ctx, at: number): void {
  let any = false;
  for (const b of [...buckets(ctx).values()]) {
    if (!b.lifecycle?.length) continue;
    any = true;
    applyBucket(ctx, b, at);
  }
  if (any) ctx.scheduler.schedule(nextMidnight(at), LIFECYCLE_TIMER, {});
}

export const lifecycleOperations = [PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration, DeleteBucketLifecycle];
