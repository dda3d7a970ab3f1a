/**
 * The predicate vocabulary: each predicate type knows how to say what it
 * compares against (`describe`) and how to evaluate itself against the model
 * (`evaluate`), returning whether it holds and, in plain words, what was found
 * or what is still missing. State is read through read-only API calls inside
 * a rolled-back probe (see probe.ts); the call log is read from the sandbox.
 * Adding a predicate: add its type to types.ts, its entry here, its schema in
 * lessons/schema.json, a paragraph in lessons/README.md, and tests.
 */
import type { Sandbox, CallLogEntry } from '../engine';
import { HOME, resolvePath, parseDuration, formatDuration } from '../engine';
import type { SandboxConfig } from '../engine/config';
import type { ProbeApi } from './probe';
import { countOk, countWords, deepIncludes, plural, listWords } from './probe';
import type * as T from './types';
import { identityByName, keepingLastDenial } from '../engine/services/iam';
import { findSubnetByRef, pathRequestContext, routeFromSubnet } from '../engine/services/ec2/endpoints';
import { fetchS3Url } from '../engine/services/s3/website';
import { findKey, keyArn } from '../engine/services/kms';
import { ADMIN_IDENTITY } from '../engine';
import type { BucketRow, ObjectRow } from '../engine/services/s3/model';

/** Error codes that mean "not allowed" (S3, IAM, STS, JSON services, HEAD requests). */
const DENIAL_CODES = new Set(['AccessDenied', 'AccessDeniedException', '403', 'MissingAuthenticationToken', 'ExpiredToken', 'UnauthorizedOperation']);

export interface CheckEnv {
  sandbox: Sandbox;
  api: ProbeApi;
  /** The lesson's region: the default for predicates that do not name one. */
  region: string;
  /** The learner's API calls since the lesson started. */
  calls: CallLogEntry[];
  /** The config as the learner has it (the probe itself reads S3 strongly). */
  config: SandboxConfig;
  /** Simulated time when the lesson started. */
  startClock: number;
}

export interface Outcome {
  met: boolean;
  /** Plain words: what was found, or what is still missing. */
  detail: string;
}

interface PredicateDef<P> {
  describe(p: P, region: string): string;
  evaluate(p: P, env: CheckEnv): Outcome;
}

type ByType = { [K in T.Predicate['type']]: PredicateDef<Extract<T.Predicate, { type: K }>> };

const yes = (detail: string): Outcome => ({ met: true, detail });
const no = (detail: string): Outcome => ({ met: false, detail });
const q = (s: string) => `"${s}"`;

// ---------------------------------------------------------------- S3 helpers

interface BucketInfo {
  name: string;
  region: string;
}

function bucketRegion(api: ProbeApi, name: string): string {
  const r = api.call('s3', 'GetBucketLocation', { Bucket: name });
  if (!r.ok) return 'us-east-1';
  const lc = r.output['LocationConstraint'];
  if (lc === undefined || lc === null || lc === '') return 'us-east-1';
  if (lc === 'EU') return 'eu-west-1';
  return String(lc);
}

function listBuckets(api: ProbeApi): BucketInfo[] {
  const r = api.call('s3', 'ListBuckets', {});
  if (!r.ok) return [];
  const list = (r.output['Buckets'] as { Name: string; BucketRegion?: string }[] | undefined) ?? [];
  return list.map((b) => ({ name: b.Name, region: b.BucketRegion ?? bucketRegion(api, b.Name) }));
}

function matchBuckets(api: ProbeApi, name?: string, prefix?: string): BucketInfo[] {
  return listBuckets(api).filter((b) => (name === undefined || b.name === name) && (prefix === undefined || b.name.startsWith(prefix)));
}

function bucketWords(name?: string, prefix?: string): string {
  if (name !== undefined) return `a bucket named ${name}`;
  if (prefix !== undefined) return `a bucket whose name starts with ${prefix}`;
  return 'a bucket';
}

function noBucketText(name?: string, prefix?: string): string {
  if (name !== undefined) return `there is no bucket named ${name} yet`;
  if (prefix !== undefined) return `there is no bucket whose name starts with ${prefix} yet`;
  return 'there is no bucket yet';
}

function tagSet(output: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of (output['TagSet'] as { Key: string; Value: string }[] | undefined) ?? []) out[t.Key] = t.Value;
  return out;
}

function tagsMissing(have: Record<string, string>, want: Record<string, string>): string[] {
  return Object.entries(want)
    .filter(([k, v]) => have[k] !== v)
    .map(([k, v]) => (k in have ? `tag ${k} is ${q(have[k]!)}, not ${q(v)}` : `tag ${k}=${v} is missing`));
}

function listKeys(api: ProbeApi, bucket: string, region: string, prefix = ''): string[] {
  const keys: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const r = api.call('s3', 'ListObjectsV2', { Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }, region);
    if (!r.ok) break;
    for (const o of (r.output['Contents'] as { Key: string }[] | undefined) ?? []) keys.push(o.Key);
    token = r.output['NextContinuationToken'] as string | undefined;
    if (!r.output['IsTruncated'] || !token) break;
  }
  return keys;
}

function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return undefined;
}

function restoreState(restore: unknown): 'none' | 'in-progress' | 'completed' {
  if (typeof restore !== 'string' || !restore) return 'none';
  return /ongoing-request="true"/.test(restore) ? 'in-progress' : 'completed';
}

function countVersions(api: ProbeApi, bucket: BucketInfo, key: string): number {
  const v = api.call('s3', 'ListObjectVersions', { Bucket: bucket.name, Prefix: key }, bucket.region);
  return v.ok ? ((v.output['Versions'] as { Key: string }[] | undefined) ?? []).filter((x) => x.Key === key).length : 0;
}

/** Check one object against the predicate; returns the list of what does not hold. */
function objectProblems(api: ProbeApi, p: T.ObjectPredicate, bucket: BucketInfo, key: string): { exists: boolean; problems: string[]; found: string[] } {
  const head = api.call('s3', 'HeadObject', { Bucket: bucket.name, Key: key }, bucket.region);
  const onlyVersions = p.versions && Object.keys(p).every((k) => ['type', 'bucket', 'bucketPrefix', 'key', 'keyPrefix', 'versions'].includes(k));
  if (!head.ok && onlyVersions) {
    // Versions outlive the current object (a delete only adds a delete marker).
    const n = countVersions(api, bucket, key);
    if (n === 0) return { exists: false, problems: [`there is no object ${key} in ${bucket.name} yet`], found: [] };
    const ok = countOk(n, p.versions!);
    const text = `${plural(n, 'version')} (the current one is deleted)`;
    return { exists: true, problems: ok ? [] : [`it has ${text}, expected ${countWords(p.versions!)}`], found: ok ? [text] : [] };
  }
  if (!head.ok) return { exists: false, problems: [`there is no object ${key} in ${bucket.name} yet`], found: [] };
  const h = head.output;
  const problems: string[] = [];
  const found: string[] = [];
  if (p.contentType !== undefined) {
    const ct = String(h['ContentType'] ?? '');
    if (ct.split(';')[0]!.trim() !== p.contentType) problems.push(`its Content-Type is ${ct || 'not set'}, not ${p.contentType}`);
    else found.push(`Content-Type ${ct}`);
  }
  if (p.metadata) {
    const md = (h['Metadata'] as Record<string, string> | undefined) ?? {};
    for (const [k, v] of Object.entries(p.metadata)) {
      const have = md[k.toLowerCase()];
      if (have === undefined) problems.push(`it has no user metadata ${k.toLowerCase()} yet`);
      else if (have !== v) problems.push(`its metadata ${k.toLowerCase()} is ${q(have)}, not ${q(v)}`);
      else found.push(`metadata ${k.toLowerCase()}=${v}`);
    }
  }
  if (p.storageClass !== undefined) {
    const sc = String(h['StorageClass'] ?? 'STANDARD');
    if (sc !== p.storageClass) problems.push(`its storage class is ${sc}, not ${p.storageClass}`);
    else found.push(`storage class ${sc}`);
  }
  if (p.restore !== undefined) {
    const st = restoreState(h['Restore']);
    if (st === p.restore) found.push(st === 'completed' ? 'a restored copy is available' : 'a restore is in progress');
    else if (st === 'none') problems.push('no restore has been requested for it');
    else if (st === 'in-progress') problems.push('its restore is still in progress (the simulated clock has to move on)');
    else problems.push('its restore has already completed');
  }
  if (p.tags) {
    const t = api.call('s3', 'GetObjectTagging', { Bucket: bucket.name, Key: key }, bucket.region);
    const miss = tagsMissing(t.ok ? tagSet(t.output) : {}, p.tags);
    if (miss.length) problems.push(...miss);
    else found.push('the tags match');
  }
  if (p.body !== undefined) {
    const g = api.call('s3', 'GetObject', { Bucket: bucket.name, Key: key }, bucket.region);
    const text = g.ok ? bodyText(g.output['Body']) : undefined;
    if (!g.ok) problems.push(`its body cannot be read (${g.code})`);
    else if (text !== undefined && text !== p.body) problems.push(`its content is not ${q(p.body)}`);
    else if (text === undefined && String(h['ContentLength'] ?? '') !== String(new TextEncoder().encode(p.body).length)) problems.push(`its content is not ${q(p.body)}`);
    else found.push('the content matches');
  }
  if (p.versions) {
    const n = countVersions(api, bucket, key);
    if (!countOk(n, p.versions)) problems.push(`it has ${plural(n, 'version')}, expected ${countWords(p.versions)}`);
    else found.push(plural(n, 'version'));
  }
  return { exists: true, problems, found };
}

function describeObject(p: T.ObjectPredicate, region: string): string {
  const where = p.bucket ? `bucket ${p.bucket}` : p.bucketPrefix ? `a bucket starting with ${p.bucketPrefix}` : 'a bucket';
  const what = p.key !== undefined ? `object ${p.key}` : p.keyPrefix !== undefined ? `an object whose key starts with ${p.keyPrefix}` : 'an object';
  if (p.exists === false) return `no ${what.replace(/^(an |object )/, 'object ')} in ${where}`;
  const parts: string[] = [];
  if (p.contentType) parts.push(`Content-Type ${p.contentType}`);
  if (p.metadata) parts.push(`user metadata ${Object.entries(p.metadata).map(([k, v]) => `${k.toLowerCase()}=${v}`).join(', ')}`);
  if (p.storageClass) parts.push(`storage class ${p.storageClass}`);
  if (p.tags) parts.push(`tags ${Object.entries(p.tags).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (p.body !== undefined) parts.push(`content ${q(p.body)}`);
  if (p.restore) parts.push(p.restore === 'completed' ? 'a completed restore' : 'a restore in progress');
  if (p.versions) parts.push(`${countWords(p.versions)} versions`);
  void region;
  return `${what} in ${where}${parts.length ? ' with ' + parts.join(', ') : ''}`;
}

// ---------------------------------------------------------------- ECS helpers

function paginate(api: ProbeApi, service: string, operation: string, input: Record<string, unknown>, region: string, listKey: string): { items: unknown[]; error?: string } {
  const items: unknown[] = [];
  let token: string | undefined;
  for (let page = 0; page < 200; page++) {
    const r = api.call(service, operation, { ...input, ...(token ? { nextToken: token } : {}) }, region);
    if (!r.ok) return { items, error: r.code };
    items.push(...(((r.output[listKey] as unknown[]) ?? []) as unknown[]));
    token = r.output['nextToken'] as string | undefined;
    if (!token) break;
  }
  return { items };
}

function chunks<X>(list: X[], n: number): X[][] {
  const out: X[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}

interface TaskInfo {
  taskArn: string;
  taskDefinitionArn?: string;
  lastStatus?: string;
  launchType?: string;
  containerInstanceArn?: string;
  availabilityZone?: string;
  stoppedReason?: string;
}

function familyOf(taskDefinitionArn: string | undefined): string {
  const m = /task-definition\/([^:]+)/.exec(taskDefinitionArn ?? '');
  return m ? m[1]! : '';
}

// ---------------------------------------------------------------- the vocabulary

function evalAll(list: T.Predicate[], env: CheckEnv): Outcome[] {
  return list.map((c) => evaluatePredicate(c, env));
}

const DEFS: ByType = {
  all: {
    describe: (p, r) => p.checks.map((c) => describePredicate(c, r)).join(', and '),
    evaluate(p, env) {
      const outs = evalAll(p.checks, env);
      const bad = outs.filter((o) => !o.met);
      return bad.length ? no(bad.map((o) => o.detail).join('; ')) : yes(outs.map((o) => o.detail).join('; '));
    },
  },
  any: {
    describe: (p, r) => 'one of: ' + p.checks.map((c) => describePredicate(c, r)).join(', or '),
    evaluate(p, env) {
      const outs = evalAll(p.checks, env);
      const good = outs.find((o) => o.met);
      return good ? yes(good.detail) : no('none of the choices holds yet: ' + outs.map((o) => o.detail).join('; '));
    },
  },
  not: {
    describe: (p, r) => `not (${describePredicate(p.check, r)})`,
    evaluate(p, env) {
      const o = evaluatePredicate(p.check, env);
      return o.met ? no(`this still holds: ${o.detail}`) : yes(o.detail);
    },
  },

  bucket: {
    describe(p, region) {
      if (p.exists === false) return `no ${bucketWords(p.name, p.namePrefix).replace(/^a /, '')}${p.region ? ` in ${p.region}` : ''}`;
      const extra: string[] = [];
      if (p.versioning) extra.push(`versioning ${p.versioning}`);
      if (p.tags) extra.push(`tags ${Object.entries(p.tags).map(([k, v]) => `${k}=${v}`).join(', ')}`);
      return `${bucketWords(p.name, p.namePrefix)} in ${p.region ?? region}${extra.length ? ' with ' + extra.join(' and ') : ''}`;
    },
    evaluate(p, env) {
      const found = matchBuckets(env.api, p.name, p.namePrefix);
      if (p.exists === false) {
        const bad = found.filter((b) => !p.region || b.region === p.region);
        return bad.length ? no(`the bucket ${listWords(bad.map((b) => b.name))} still exists`) : yes(`${noBucketText(p.name, p.namePrefix).replace(/ yet$/, '')}`);
      }
      if (!found.length) return no(noBucketText(p.name, p.namePrefix));
      const region = p.region ?? env.region;
      let best: { b: BucketInfo; problems: string[]; found: string[] } | undefined;
      for (const b of found) {
        const problems: string[] = [];
        const good: string[] = [`${b.name} in ${b.region}`];
        if (b.region !== region) problems.push(`it is in ${b.region}, not ${region} (a bucket's region never changes: create another one)`);
        if (p.versioning) {
          const v = env.api.call('s3', 'GetBucketVersioning', { Bucket: b.name }, b.region);
          const st = v.ok ? (v.output['Status'] as string | undefined) : undefined;
          if (st !== p.versioning) {
            problems.push(p.versioning === 'Enabled' ? `versioning is not enabled yet${st ? ` (it is ${st})` : ''}` : `versioning is ${st ?? 'not set'}, not ${p.versioning}`);
          } else good.push(`versioning ${st}`);
        }
        if (p.tags) {
          const t = env.api.call('s3', 'GetBucketTagging', { Bucket: b.name }, b.region);
          const miss = tagsMissing(t.ok ? tagSet(t.output) : {}, p.tags);
          if (miss.length) problems.push(...miss);
          else good.push('the tags match');
        }
        if (!best || problems.length < best.problems.length) best = { b, problems, found: good };
        if (!problems.length) break;
      }
      if (!best!.problems.length) return yes(`found ${best!.found.join(', ')}`);
      return no(`the bucket ${best!.b.name} exists, but ${best!.problems.join(', and ')}`);
    },
  },

  'bucket-count': {
    describe: (p) => `${countWords(p.count)} buckets${p.namePrefix ? ` whose names start with ${p.namePrefix}` : ''}${p.region ? ` in ${p.region}` : ''}`,
    evaluate(p, env) {
      const found = matchBuckets(env.api, undefined, p.namePrefix).filter((b) => !p.region || b.region === p.region);
      const n = found.length;
      return countOk(n, p.count) ? yes(`there are ${plural(n, 'bucket')}`) : no(`there are ${plural(n, 'bucket')}, expected ${countWords(p.count)}`);
    },
  },

  object: {
    describe: describeObject,
    evaluate(p, env) {
      const buckets = matchBuckets(env.api, p.bucket, p.bucketPrefix);
      if (!buckets.length) return p.exists === false ? yes(noBucketText(p.bucket, p.bucketPrefix)) : no(noBucketText(p.bucket, p.bucketPrefix));
      let best: { text: string; score: number } | undefined;
      for (const b of buckets) {
        const keys = p.key !== undefined ? [p.key] : listKeys(env.api, b.name, b.region, p.keyPrefix ?? '');
        if (p.exists === false) {
          const present = keys.filter((k) => objectProblems(env.api, { type: 'object' }, b, k).exists);
          if (present.length) return no(`the object ${listWords(present)} is still in ${b.name}`);
          continue;
        }
        if (!keys.length) {
          const t = `the bucket ${b.name} has no object whose key starts with ${p.keyPrefix ?? ''} yet`;
          if (!best) best = { text: t, score: 1000 };
          continue;
        }
        for (const k of keys) {
          const r = objectProblems(env.api, p, b, k);
          if (r.exists && !r.problems.length) return yes(`found ${k} in ${b.name}${r.found.length ? ' with ' + r.found.join(', ') : ''}`);
          const score = r.exists ? r.problems.length : 999;
          const text = r.exists ? `the object ${k} exists in ${b.name}, but ${r.problems.join(', and ')}` : r.problems[0]!;
          if (!best || score < best.score) best = { text, score };
        }
      }
      if (p.exists === false) return yes('no such object');
      return no(best?.text ?? 'no matching object yet');
    },
  },

  objects: {
    describe: (p) =>
      `${p.match === 'exactly' ? 'exactly' : 'at least'} the objects ${listWords(p.keys, 8)} in ${p.bucket ? `bucket ${p.bucket}` : `a bucket starting with ${p.bucketPrefix}`}${p.prefix ? ` under ${p.prefix}` : ''}`,
    evaluate(p, env) {
      const buckets = matchBuckets(env.api, p.bucket, p.bucketPrefix);
      if (!buckets.length) return no(noBucketText(p.bucket, p.bucketPrefix));
      let best: { text: string; score: number } | undefined;
      for (const b of buckets) {
        const keys = new Set(listKeys(env.api, b.name, b.region, p.prefix ?? ''));
        const missing = p.keys.filter((k) => !keys.has(k));
        const extra = p.match === 'exactly' ? [...keys].filter((k) => !p.keys.includes(k)) : [];
        if (!missing.length && !extra.length) return yes(`${b.name} holds ${plural(keys.size, 'object')}${p.prefix ? ` under ${p.prefix}` : ''}, as expected`);
        const parts: string[] = [];
        if (missing.length) parts.push(`still missing: ${listWords(missing)}`);
        if (extra.length) parts.push(`not expected (exactly these keys were asked for): ${listWords(extra)}`);
        const score = missing.length + extra.length;
        if (!best || score < best.score) best = { text: `in ${b.name}, ${parts.join('; ')}`, score };
      }
      return no(best!.text);
    },
  },

  'lifecycle-rule': {
    describe(p) {
      const parts: string[] = [];
      if (p.transition) parts.push(`moves objects to ${p.transition.storageClass}${p.transition.days !== undefined ? ` after ${p.transition.days} days` : ''}`);
      if (p.expirationDays !== undefined) parts.push(`expires them after ${p.expirationDays} days`);
      if (p.noncurrentExpirationDays !== undefined) parts.push(`expires noncurrent versions after ${p.noncurrentExpirationDays} days`);
      return `an ${p.status ?? 'Enabled'} lifecycle rule on ${p.bucket ?? `a bucket starting with ${p.bucketPrefix}`}${p.prefix !== undefined ? ` for the prefix ${q(p.prefix)}` : ''}${parts.length ? ' that ' + parts.join(' and ') : ''}`;
    },
    evaluate(p, env) {
      const buckets = matchBuckets(env.api, p.bucket, p.bucketPrefix);
      if (!buckets.length) return no(noBucketText(p.bucket, p.bucketPrefix));
      let best: string | undefined;
      let bestScore = Infinity;
      for (const b of buckets) {
        const r = env.api.call('s3', 'GetBucketLifecycleConfiguration', { Bucket: b.name }, b.region);
        if (!r.ok) {
          if (bestScore > 100) (best = `the bucket ${b.name} has no lifecycle configuration yet`), (bestScore = 100);
          continue;
        }
        const rules = (r.output['Rules'] as Record<string, unknown>[] | undefined) ?? [];
        for (const rule of rules) {
          const problems: string[] = [];
          const filter = (rule['Filter'] as Record<string, unknown> | undefined) ?? {};
          const and = (filter['And'] as Record<string, unknown> | undefined) ?? {};
          const prefix = String(filter['Prefix'] ?? and['Prefix'] ?? rule['Prefix'] ?? '');
          const id = rule['ID'] ? `rule ${rule['ID']}` : 'a rule';
          if (p.prefix !== undefined && prefix !== p.prefix) problems.push(`its prefix is ${q(prefix)}, not ${q(p.prefix)}`);
          if ((rule['Status'] ?? 'Enabled') !== (p.status ?? 'Enabled')) problems.push(`it is ${rule['Status']}, not ${p.status ?? 'Enabled'}`);
          if (p.transition) {
            const ts = (rule['Transitions'] as { Days?: number; StorageClass?: string }[] | undefined) ?? [];
            const t = ts.find((x) => x.StorageClass === p.transition!.storageClass);
            if (!t) problems.push(`it has no transition to ${p.transition.storageClass}`);
            else if (p.transition.days !== undefined && Number(t.Days) !== p.transition.days) problems.push(`its transition to ${p.transition.storageClass} happens after ${t.Days} days, not ${p.transition.days}`);
          }
          if (p.expirationDays !== undefined) {
            const d = (rule['Expiration'] as { Days?: number } | undefined)?.Days;
            if (d === undefined) problems.push('it has no expiration in days');
            else if (Number(d) !== p.expirationDays) problems.push(`it expires objects after ${d} days, not ${p.expirationDays}`);
          }
          if (p.noncurrentExpirationDays !== undefined) {
            const d = (rule['NoncurrentVersionExpiration'] as { NoncurrentDays?: number } | undefined)?.NoncurrentDays;
            if (Number(d) !== p.noncurrentExpirationDays) problems.push(d === undefined ? 'it does not expire noncurrent versions' : `it expires noncurrent versions after ${d} days, not ${p.noncurrentExpirationDays}`);
          }
          if (!problems.length) return yes(`${id} on ${b.name} matches`);
          if (problems.length < bestScore) (bestScore = problems.length), (best = `${b.name} has ${id}, but ${problems.join(', and ')}`);
        }
        if (!rules.length && bestScore > 100) (best = `the bucket ${b.name} has no lifecycle rules yet`), (bestScore = 100);
      }
      return no(best ?? 'no lifecycle rule yet');
    },
  },

  'api-call': {
    describe(p) {
      const n = p.count ?? { atLeast: 1 };
      const what = `${p.operation} (${p.service})`;
      const how = p.input ? ` with ${JSON.stringify(p.input)}` : '';
      const outcome = p.ok === false ? `, failing${p.errorCode ? ` with ${p.errorCode}` : ''}` : '';
      const times = n.atLeast === 1 && n.exactly === undefined && n.atMost === undefined ? 'called' : `called ${countWords(n)} times`;
      return `${what} ${times}${how}${outcome}${p.region ? ` in ${p.region}` : ''}`;
    },
    evaluate(p, env) {
      const want = p.count ?? { atLeast: 1 };
      const same = env.calls.filter((c) => c.service === p.service && c.operation === p.operation);
      const matching = same.filter(
        (c) =>
          (p.region === undefined || c.region === p.region) &&
          c.ok === (p.ok ?? true) &&
          (p.errorCode === undefined || c.errorCode === p.errorCode) &&
          (p.input === undefined || deepIncludes(c.input, p.input)),
      );
      const n = matching.length;
      if (countOk(n, want)) return yes(`${p.operation} was called ${plural(n, 'time')} as asked`);
      if (n === 0 && same.length === 0) return no(`${p.operation} has not been called yet`);
      if (n === 0) {
        const last = same[same.length - 1]!;
        const why = last.ok !== (p.ok ?? true) ? (last.ok ? 'it succeeded' : `it failed with ${last.errorCode ?? 'an error'}`) : 'not with the asked parameters';
        return no(`${p.operation} was called ${plural(same.length, 'time')}, but ${why}${p.input ? ` (looking for ${JSON.stringify(p.input)})` : ''}`);
      }
      return no(`${p.operation} was called ${plural(n, 'time')} that way, expected ${countWords(want)}`);
    },
  },

  'sandbox-config': {
    describe(p, region) {
      const parts: string[] = [];
      if (p.s3Consistency) parts.push(`S3 ${p.s3Consistency} consistency in ${p.region ?? region}`);
      for (const [k, v] of Object.entries(p.quotas ?? {})) parts.push(`the ${k} quota set to ${v}`);
      if (p.clockAdvancedAtLeast) parts.push(`the simulated clock moved on by at least ${p.clockAdvancedAtLeast}`);
      return parts.join(', ');
    },
    evaluate(p, env) {
      const problems: string[] = [];
      const found: string[] = [];
      if (p.s3Consistency) {
        const r = p.region ?? env.region;
        const mode = env.config.s3Consistency[r] ?? 'strong';
        if (mode !== p.s3Consistency) problems.push(`S3 in ${r} is in ${mode} consistency mode, not ${p.s3Consistency}`);
        else found.push(`S3 ${mode} consistency in ${r}`);
      }
      for (const [k, v] of Object.entries(p.quotas ?? {})) {
        const have = env.config.quotas[k];
        if (have !== v) problems.push(`the ${k} quota is ${have ?? 'the default'}, not ${v}`);
        else found.push(`${k} quota ${v}`);
      }
      if (p.clockAdvancedAtLeast) {
        const need = parseDuration(p.clockAdvancedAtLeast) ?? 0;
        const moved = env.sandbox.now() - env.startClock;
        if (moved < need) problems.push(moved < 1000 ? `the simulated clock has not moved on yet (${p.clockAdvancedAtLeast} are needed)` : `the clock has moved on by ${formatDuration(moved)} only, ${p.clockAdvancedAtLeast} are needed`);
        else found.push(`the clock moved on by ${formatDuration(moved)}`);
      }
      return problems.length ? no(problems.join(', and ')) : yes(found.join(', '));
    },
  },

  file: {
    describe: (p) => (p.exists === false ? `no file ${p.path}` : `a file ${p.path}${p.contains ? ` containing ${q(p.contains)}` : ''}${p.json ? ` with ${JSON.stringify(p.json)}` : ''}`),
    evaluate(p, env) {
      const path = resolvePath(p.path, HOME);
      const isFile = env.sandbox.vfs.isFile(path);
      if (p.exists === false) return isFile ? no(`the file ${p.path} still exists`) : yes(`there is no file ${p.path}`);
      if (!isFile) return no(`there is no file ${p.path} yet`);
      const text = env.sandbox.vfs.readText(path);
      if (p.contains !== undefined && !text.includes(p.contains)) return no(`the file ${p.path} does not contain ${q(p.contains)} yet`);
      if (p.json !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return no(`the file ${p.path} is not valid JSON`);
        }
        if (!deepIncludes(parsed, p.json)) return no(`the file ${p.path} does not have ${JSON.stringify(p.json)} yet`);
      }
      return yes(`the file ${p.path} is as asked`);
    },
  },

  cluster: {
    describe(p, region) {
      if (p.exists === false) return `no active cluster ${p.cluster} in ${p.region ?? region}`;
      const parts: string[] = [];
      if (p.registeredContainerInstances) parts.push(`${countWords(p.registeredContainerInstances)} registered container instances`);
      if (p.runningTasks) parts.push(`${countWords(p.runningTasks)} running tasks`);
      return `a cluster ${p.cluster} in ${p.region ?? region}${p.status ? ` with status ${p.status}` : ''}${parts.length ? ' with ' + parts.join(' and ') : ''}`;
    },
    evaluate(p, env) {
      const region = p.region ?? env.region;
      const r = env.api.call('ecs', 'DescribeClusters', { clusters: [p.cluster] }, region);
      const c = r.ok ? ((r.output['clusters'] as Record<string, unknown>[] | undefined) ?? [])[0] : undefined;
      const active = c && (c['status'] ?? 'ACTIVE') === 'ACTIVE';
      if (p.exists === false) return active ? no(`the cluster ${p.cluster} still exists in ${region}`) : yes(`there is no active cluster ${p.cluster} in ${region}`);
      if (!c) return no(`there is no cluster named ${p.cluster} in ${region} yet`);
      const problems: string[] = [];
      const status = String(c['status'] ?? '');
      if ((p.status ?? 'ACTIVE') !== status) problems.push(`its status is ${status}, not ${p.status ?? 'ACTIVE'}`);
      if (p.registeredContainerInstances) {
        const n = Number(c['registeredContainerInstancesCount'] ?? 0);
        if (!countOk(n, p.registeredContainerInstances)) problems.push(`it has ${plural(n, 'registered container instance')}, expected ${countWords(p.registeredContainerInstances)}`);
      }
      if (p.runningTasks) {
        const n = Number(c['runningTasksCount'] ?? 0);
        if (!countOk(n, p.runningTasks)) problems.push(`it has ${plural(n, 'running task')}, expected ${countWords(p.runningTasks)}`);
      }
      if (problems.length) return no(`the cluster ${p.cluster} exists, but ${problems.join(', and ')}`);
      return yes(`the cluster ${p.cluster} is ${status} with ${plural(Number(c['registeredContainerInstancesCount'] ?? 0), 'container instance')} and ${plural(Number(c['runningTasksCount'] ?? 0), 'running task')}`);
    },
  },

  'container-instances': {
    describe: (p, region) =>
      `${countWords(p.count)} ${p.status ?? 'ACTIVE'} container instances${p.instanceType ? ` of type ${p.instanceType}` : ''}${p.agentConnected !== undefined ? ` whose agent is ${p.agentConnected ? 'connected' : 'disconnected'}` : ''} in cluster ${p.cluster} (${p.region ?? region})`,
    evaluate(p, env) {
      const region = p.region ?? env.region;
      const l = paginate(env.api, 'ecs', 'ListContainerInstances', { cluster: p.cluster }, region, 'containerInstanceArns');
      if (l.error === 'ClusterNotFoundException') return no(`there is no cluster named ${p.cluster} in ${region} yet`);
      const arns = l.items as string[];
      const all: Record<string, unknown>[] = [];
      for (const part of chunks(arns, 100)) {
        const d = env.api.call('ecs', 'DescribeContainerInstances', { cluster: p.cluster, containerInstances: part }, region);
        if (d.ok) all.push(...((d.output['containerInstances'] as Record<string, unknown>[] | undefined) ?? []));
      }
      const typeOf = (ci: Record<string, unknown>) =>
        ((ci['attributes'] as { name: string; value?: string }[] | undefined) ?? []).find((a) => a.name === 'ecs.instance-type')?.value;
      const counted = all.filter(
        (ci) =>
          (ci['status'] ?? 'ACTIVE') === (p.status ?? 'ACTIVE') &&
          (p.instanceType === undefined || typeOf(ci) === p.instanceType) &&
          (p.agentConnected === undefined || Boolean(ci['agentConnected']) === p.agentConnected),
      );
      const n = counted.length;
      if (countOk(n, p.count)) return yes(`the cluster ${p.cluster} has ${plural(n, 'such container instance')}`);
      return no(`the cluster ${p.cluster} has ${plural(n, 'such container instance')} (of ${all.length} registered), expected ${countWords(p.count)}`);
    },
  },

  'task-definition': {
    describe(p, region) {
      const parts: string[] = [];
      if (p.requiresCompatibilities) parts.push(p.requiresCompatibilities.join(' and '));
      if (p.networkMode) parts.push(`network mode ${p.networkMode}`);
      if (p.cpu !== undefined) parts.push(`cpu ${p.cpu}`);
      if (p.memory !== undefined) parts.push(`memory ${p.memory}`);
      if (p.image) parts.push(`image ${p.image}`);
      if (p.containerCount) parts.push(`${countWords(p.containerCount)} containers`);
      const rev = p.revisions ? `${countWords(p.revisions)} active revisions of ` : '';
      return `${rev}task definition family ${p.family} in ${p.region ?? region}${parts.length ? ` with a revision that has ${parts.join(', ')}` : ''}`;
    },
    evaluate(p, env) {
      const region = p.region ?? env.region;
      const l = paginate(env.api, 'ecs', 'ListTaskDefinitions', { familyPrefix: p.family, status: 'ACTIVE' }, region, 'taskDefinitionArns');
      const arns = (l.items as string[]).filter((a) => familyOf(a) === p.family);
      if (!arns.length) return no(`no task definition of the family ${p.family} is registered in ${region} yet`);
      if (p.revisions && !countOk(arns.length, p.revisions)) return no(`the family ${p.family} has ${plural(arns.length, 'active revision')}, expected ${countWords(p.revisions)}`);
      let best: { rev: string; problems: string[] } | undefined;
      for (const arn of [...arns].reverse()) {
        const d = env.api.call('ecs', 'DescribeTaskDefinition', { taskDefinition: arn }, region);
        if (!d.ok) continue;
        const td = (d.output['taskDefinition'] as Record<string, unknown> | undefined) ?? {};
        const problems: string[] = [];
        const compat = (td['requiresCompatibilities'] as string[] | undefined) ?? [];
        for (const c of p.requiresCompatibilities ?? []) if (!compat.includes(c)) problems.push(`it does not require ${c}`);
        if (p.networkMode && (td['networkMode'] ?? 'bridge') !== p.networkMode) problems.push(`its network mode is ${td['networkMode'] ?? 'bridge'}, not ${p.networkMode}`);
        if (p.cpu !== undefined && String(td['cpu'] ?? '') !== String(p.cpu)) problems.push(`its task cpu is ${td['cpu'] ?? 'not set'}, not ${p.cpu}`);
        if (p.memory !== undefined && String(td['memory'] ?? '') !== String(p.memory)) problems.push(`its task memory is ${td['memory'] ?? 'not set'}, not ${p.memory}`);
        const containers = (td['containerDefinitions'] as { image?: string }[] | undefined) ?? [];
        if (p.image) {
          const want = p.image;
          const ok = containers.some((c) => (want.endsWith('*') ? (c.image ?? '').startsWith(want.slice(0, -1)) : c.image === want));
          if (!ok) problems.push(`no container uses the image ${want} (found ${listWords(containers.map((c) => c.image ?? '?'))})`);
        }
        if (p.containerCount && !countOk(containers.length, p.containerCount)) problems.push(`it has ${plural(containers.length, 'container')}, expected ${countWords(p.containerCount)}`);
        const rev = `${p.family}:${td['revision'] ?? arn.split(':').pop()}`;
        if (!problems.length) return yes(`${rev} matches`);
        if (!best || problems.length < best.problems.length) best = { rev, problems };
      }
      if (!best) return no(`the task definitions of ${p.family} cannot be read`);
      return no(`${best.rev} is registered, but ${best.problems.join(', and ')}`);
    },
  },

  tasks: {
    describe(p, region) {
      const parts: string[] = [];
      if (p.launchType) parts.push(`launched on ${p.launchType}`);
      if (p.distinctInstances) parts.push(`on at least ${p.distinctInstances} different instances`);
      if (p.distinctZones) parts.push(`in at least ${p.distinctZones} different Availability Zones`);
      if (p.stoppedReason) parts.push(`stopped because ${q(p.stoppedReason)}`);
      return `${countWords(p.count)} ${p.status ?? 'RUNNING'} tasks${p.family ? ` of ${p.family}` : ''} in cluster ${p.cluster} (${p.region ?? region})${parts.length ? ', ' + parts.join(', ') : ''}`;
    },
    evaluate(p, env) {
      const region = p.region ?? env.region;
      const status = p.status ?? 'RUNNING';
      const arns = new Set<string>();
      for (const desired of ['RUNNING', 'STOPPED']) {
        const l = paginate(env.api, 'ecs', 'ListTasks', { cluster: p.cluster, desiredStatus: desired, ...(p.family ? { family: p.family } : {}) }, region, 'taskArns');
        if (l.error === 'ClusterNotFoundException') return no(`there is no cluster named ${p.cluster} in ${region} yet`);
        for (const a of l.items as string[]) arns.add(a);
      }
      const tasks: TaskInfo[] = [];
      for (const part of chunks([...arns], 100)) {
        const d = env.api.call('ecs', 'DescribeTasks', { cluster: p.cluster, tasks: part }, region);
        if (d.ok) tasks.push(...((d.output['tasks'] as TaskInfo[] | undefined) ?? []));
      }
      const ofFamily = tasks.filter((t) => !p.family || familyOf(t.taskDefinitionArn) === p.family);
      const counted = ofFamily.filter(
        (t) =>
          t.lastStatus === status &&
          (p.launchType === undefined || t.launchType === p.launchType) &&
          (p.stoppedReason === undefined || (t.stoppedReason ?? '').toLowerCase().includes(p.stoppedReason.toLowerCase())),
      );
      const n = counted.length;
      const byStatus = new Map<string, number>();
      for (const t of ofFamily) byStatus.set(t.lastStatus ?? '?', (byStatus.get(t.lastStatus ?? '?') ?? 0) + 1);
      const seen = [...byStatus].map(([s, k]) => `${k} ${s}`).join(', ') || 'no tasks';
      const what = `${p.family ? `of ${p.family} ` : ''}`;
      if (!countOk(n, p.count)) return no(`there ${n === 1 ? 'is' : 'are'} ${plural(n, `${status} task`)} ${what}matching, expected ${countWords(p.count)} (the cluster shows ${seen})`);
      if (p.distinctInstances) {
        const k = new Set(counted.map((t) => t.containerInstanceArn).filter(Boolean)).size;
        if (k < p.distinctInstances) return no(`the ${plural(n, 'task')} ${what}run on ${plural(k, 'instance')} only, expected at least ${p.distinctInstances} different instances`);
      }
      if (p.distinctZones) {
        const k = new Set(counted.map((t) => t.availabilityZone).filter(Boolean)).size;
        if (k < p.distinctZones) return no(`the ${plural(n, 'task')} ${what}run in ${plural(k, 'Availability Zone')} only, expected at least ${p.distinctZones}`);
      }
      return yes(`${plural(n, `${status} task`)} ${what}as asked`);
    },
  },

  'ecr-repository': {
    describe: (p, region) => `${p.exists === false ? 'no' : 'an'} ECR repository ${p.repository} in ${p.region ?? region}`,
    evaluate(p, env) {
      const region = p.region ?? env.region;
      const r = env.api.call('ecr', 'DescribeRepositories', { repositoryNames: [p.repository] }, region);
      const exists = r.ok && (((r.output['repositories'] as unknown[]) ?? []).length > 0);
      if (p.exists === false) return exists ? no(`the repository ${p.repository} still exists`) : yes(`there is no repository ${p.repository}`);
      return exists ? yes(`the repository ${p.repository} exists in ${region}`) : no(`there is no ECR repository named ${p.repository} in ${region} yet`);
    },
  },

  'ecr-image': {
    describe: (p, region) => `an image tagged ${p.tag} in the ECR repository ${p.repository} (${p.region ?? region})`,
    evaluate(p, env) {
      const region = p.region ?? env.region;
      const l = paginate(env.api, 'ecr', 'ListImages', { repositoryName: p.repository }, region, 'imageIds');
      if (l.error === 'RepositoryNotFoundException') return no(`there is no ECR repository named ${p.repository} in ${region} yet`);
      const tags = (l.items as { imageTag?: string }[]).map((i) => i.imageTag).filter((t): t is string => !!t);
      if (tags.includes(p.tag)) return yes(`${p.repository}:${p.tag} is in the repository`);
      return no(tags.length ? `the repository ${p.repository} has the tags ${listWords(tags)}, but not ${p.tag}` : `the repository ${p.repository} exists, but no image has been pushed to it yet`);
    },
  },

  access: {
    describe(p) {
      const what = `${p.operation}${p.input ? ` ${JSON.stringify(p.input)}` : ''}`;
      return `${p.as} ${p.allowed ? 'is allowed' : 'is denied'} ${what}${p.region ? ` in ${p.region}` : ''}${p.from ? ` from ${p.from}` : ''}`;
    },
    evaluate(p, env) {
      const identity = identityByName(env.sandbox.db, p.as);
      if (!identity) return no(`there is no identity ${p.as} yet`);
      if (!env.sandbox.db.inTransaction) return no('access can only be checked inside a lesson check');
      let requestContext: Record<string, unknown> = {};
      if (p.from && p.from !== 'internet') {
        const ref = p.from.replace(/^subnet:/, '');
        const ctx = env.sandbox.context(p.region ?? env.region, ADMIN_IDENTITY);
        const sn = findSubnetByRef(ctx, ref);
        if (!sn) return no(`there is no subnet ${ref}`);
        const path = routeFromSubnet(ctx, sn.SubnetId, p.service ?? 's3', p.region ?? env.region);
        const rc = path && pathRequestContext(path);
        if (!rc) {
          if (!p.allowed) return yes(`from ${ref} the request cannot even reach the service (no route), as asked`);
          return no(`from ${ref} the request cannot reach the service: ${path && path.kind === 'none' ? path.reason : 'no route'}`);
        }
        requestContext = rc;
      }
      const r = keepingLastDenial(env.sandbox.db, () =>
        env.sandbox.call({ service: p.service ?? 's3', operation: p.operation, input: p.input ?? {}, identity, region: p.region ?? env.region, requestContext }),
      );
      const denied = !r.ok && DENIAL_CODES.has(r.error.code);
      const how = r.ok ? 'it succeeds' : denied ? `it is denied (${r.error.code})` : `it passes access control (then fails with ${r.error.code})`;
      if (denied === !p.allowed) return yes(`${p.as} tries ${p.operation}: ${how}, as asked`);
      return no(`${p.as} tries ${p.operation}: ${how}, but it should ${p.allowed ? 'be allowed' : 'be denied'}`);
    },
  },

  http: {
    describe: (p) => `GET ${p.url} answers${p.status !== undefined ? ` ${p.status}` : ''}${p.bodyContains !== undefined ? ` with ${q(p.bodyContains)} in the body` : ''}`,
    evaluate(p, env) {
      const r = keepingLastDenial(env.sandbox.db, () => fetchS3Url(env.sandbox, 'GET', p.url));
      if ('error' in r) return no(`GET ${p.url}: curl: (${r.code}) ${r.error}`);
      const body = new TextDecoder().decode(r.body);
      const got = `GET ${p.url} answers ${r.status} ${r.statusText}`;
      if (p.status !== undefined && r.status !== p.status) {
        const code = r.headers.find(([k]) => k === 'x-amz-error-code')?.[1];
        return no(`${got}${code ? ` (${code})` : ''}, not ${p.status}`);
      }
      if (p.bodyContains !== undefined && !body.includes(p.bodyContains)) return no(`${got}, but the body does not contain ${q(p.bodyContains)}`);
      for (const [name, value] of Object.entries(p.headers ?? {})) {
        const h = r.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
        if (h !== value) return no(`${got}, but its ${name} header is ${h === undefined ? 'missing' : q(h)}, not ${q(value)}`);
      }
      return yes(got);
    },
  },

  encryption: {
    describe: (p) =>
      `${p.key !== undefined ? `s3://${p.bucket}/${p.key}` : `new objects in ${p.bucket}`} ${p.key !== undefined ? 'is' : 'are'} encrypted with ${p.algorithm}${p.kmsKey ? ` under ${p.kmsKey}` : ''}${p.bucketKey !== undefined ? (p.bucketKey ? ' with a bucket key' : ' without a bucket key') : ''}`,
    evaluate(p, env) {
      const b = env.sandbox.db.table<BucketRow>('s3.buckets').get(p.bucket);
      if (!b) return no(`there is no bucket ${p.bucket}`);
      let algorithm: string;
      let kmsArn: string | undefined;
      let bucketKey = false;
      let what: string;
      if (p.key !== undefined) {
        const row = env.sandbox.db.table<ObjectRow>('s3.objects').get(`${p.bucket}/${p.key}`);
        const v = row?.versions[0];
        if (!v || v.marker) return no(`there is no object s3://${p.bucket}/${p.key}`);
        algorithm = v.encryption?.algorithm ?? 'AES256';
        kmsArn = v.encryption?.kmsKeyArn;
        bucketKey = !!v.encryption?.bucketKey;
        what = `s3://${p.bucket}/${p.key}`;
      } else {
        algorithm = b.encryption.SSEAlgorithm;
        bucketKey = b.encryption.BucketKeyEnabled;
        what = `the default encryption of ${p.bucket}`;
        if (b.encryption.KMSMasterKeyID) {
          try {
            kmsArn = keyArn(findKey(env.sandbox.context(b.region, ADMIN_IDENTITY), b.encryption.KMSMasterKeyID));
          } catch {
            kmsArn = b.encryption.KMSMasterKeyID;
          }
        }
      }
      const found = `${what} uses ${algorithm}${kmsArn ? ` with ${kmsArn}` : ''}${bucketKey ? ' and a bucket key' : ''}`;
      if (algorithm !== p.algorithm) return no(`${found}, not ${p.algorithm}`);
      if (p.kmsKey) {
        let want: string;
        try {
          want = keyArn(findKey(env.sandbox.context(b.region, ADMIN_IDENTITY), p.kmsKey));
        } catch {
          return no(`${found}, but the key ${p.kmsKey} does not exist`);
        }
        if (kmsArn !== want) return no(`${found}, not the key ${p.kmsKey}`);
      }
      if (p.bucketKey !== undefined && bucketKey !== p.bucketKey) return no(`${found}${p.bucketKey ? ', without a bucket key' : ''}`);
      return yes(found);
    },
  },

  'kms-key': {
    describe: (p, region) => (p.exists === false ? `no KMS key ${p.key} in ${p.region ?? region}` : `the KMS key ${p.key} exists in ${p.region ?? region}${p.state ? ` and is ${p.state}` : ''}`),
    evaluate(p, env) {
      const r = env.api.call('kms', 'DescribeKey', { KeyId: p.key }, p.region ?? env.region);
      if (!r.ok) return p.exists === false ? yes(`${p.key} does not exist`) : no(`${p.key} does not exist (${r.code})`);
      const md = r.output['KeyMetadata'] as { KeyState: string; Arn: string };
      if (p.exists === false) return no(`${p.key} exists (${md.Arn}, ${md.KeyState})`);
      if (p.state && md.KeyState !== p.state) return no(`${p.key} is ${md.KeyState}, not ${p.state}`);
      return yes(`${p.key} is ${md.KeyState}`);
    },
  },

  'ec2-instances': {
    describe: (p, region) => `${countWords(p.count)} ${p.state ?? 'running'} EC2 instances${p.instanceType ? ` of type ${p.instanceType}` : ''} in ${p.region ?? region}`,
    evaluate(p, env) {
      const region = p.region ?? env.region;
      const r = env.api.call('ec2', 'DescribeInstances', {}, region);
      const res = r.ok ? ((r.output['Reservations'] as { Instances?: Record<string, unknown>[] }[] | undefined) ?? []) : [];
      const all = res.flatMap((x) => x.Instances ?? []);
      const state = p.state ?? 'running';
      const n = all.filter(
        (i) => ((i['State'] as { Name?: string } | undefined)?.Name ?? '') === state && (p.instanceType === undefined || i['InstanceType'] === p.instanceType),
      ).length;
      return countOk(n, p.count) ? yes(`${plural(n, `${state} instance`)}`) : no(`there ${n === 1 ? 'is' : 'are'} ${plural(n, `${state} instance`)}, expected ${countWords(p.count)}`);
    },
  },
};

export const PREDICATE_TYPES = Object.keys(DEFS) as T.Predicate['type'][];

export function describePredicate(p: T.Predicate, region: string): string {
  const def = DEFS[p.type] as PredicateDef<T.Predicate> | undefined;
  if (!def) return `unknown check ${String((p as { type: unknown }).type)}`;
  return def.describe(p, region);
}

export function evaluatePredicate(p: T.Predicate, env: CheckEnv): Outcome {
  const def = DEFS[p.type] as PredicateDef<T.Predicate> | undefined;
  if (!def) return no(`unknown check type ${String((p as { type: unknown }).type)}`);
  try {
    return def.evaluate(p, env);
  } catch (e) {
    return no(`the check could not run: ${e instanceof Error ? e.message : String(e)}`);
  }
}
