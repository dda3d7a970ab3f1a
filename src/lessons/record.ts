/**
 * The author's aid: `sandbox lessons record start` notes where the call log
 * stands; every command typed afterwards is kept (afterExec passes the line);
 * `sandbox lessons record stop` turns the lines into a solution and proposes
 * goal checks from the resources the recorded calls touched, written as a
 * lesson folder (lesson.json + lesson.md) in the home folder.
 */
import type { Sandbox, CallLogEntry } from '../engine';
import { HOME, resolvePath } from '../engine';
import type { GoalPart, LessonMeta, Predicate } from './types';
import { probe, type ProbeApi } from './probe';
import { evaluateSteps } from './checker';
import { parseLesson } from './catalog';
import { STATE_TABLE } from './runtime';

export interface RecordState {
  startSeq: number;
  startClock: number;
  lines: string[];
}

const table = (sb: Sandbox) => sb.db.table<RecordState>(STATE_TABLE);

export function recording(sandbox: Sandbox): RecordState | undefined {
  return table(sandbox).get('record') as RecordState | undefined;
}

export function recordStart(sandbox: Sandbox): void {
  const log = sandbox.callLog();
  const startSeq = log.length ? log[log.length - 1]!.seq : 0;
  sandbox.mutate(() => table(sandbox).set('record', { startSeq, startClock: sandbox.now(), lines: [] }));
}

/** Keep a typed line while recording (not the record commands themselves). */
export function recordLine(sandbox: Sandbox, line: string): void {
  const r = recording(sandbox);
  const t = line.trim();
  if (!r || !t || /^sandbox\s+lessons?\s+record\b/.test(t)) return;
  sandbox.mutate(() => table(sandbox).set('record', { ...r, lines: [...r.lines, t] }));
}

/**
 * An editor save while recording becomes a line that writes the same text
 * (a quoted here-document), so the recorded solution can be replayed.
 */
export function recordEdit(sandbox: Sandbox, path: string): void {
  const r = recording(sandbox);
  if (!r) return;
  const abs = resolvePath(path, HOME);
  if (!sandbox.vfs.isFile(abs)) return;
  const text = sandbox.vfs.readText(abs);
  let tag = 'EOF';
  while (text.split('\n').includes(tag)) tag += '_';
  const shown = abs.startsWith(HOME + '/') ? abs.slice(HOME.length + 1) : abs;
  const line = `cat > ${shown} <<'${tag}'\n${text.endsWith('\n') ? text : text + '\n'}${tag}`;
  sandbox.mutate(() => table(sandbox).set('record', { ...r, lines: [...r.lines, line] }));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Goal checks proposed from what the recorded calls touched, as the state is now. */
export function proposeGoals(sandbox: Sandbox, calls: CallLogEntry[], region: string): GoalPart[] {
  const ok = calls.filter((c) => c.ok);
  return probe(sandbox, (api: ProbeApi) => {
    const goals: GoalPart[] = [];
    const add = (label: string, check: Predicate) => goals.push({ label, check, hints: [] });
    const seen = new Set<string>();
    const once = (k: string) => (seen.has(k) ? false : (seen.add(k), true));
    for (const c of ok) {
      const i = c.input;
      if (c.service === 's3') {
        const bucket = str(i['Bucket']);
        if (!bucket) continue;
        const exists = api.call('s3', 'HeadBucket', { Bucket: bucket }, c.region).ok;
        if (exists && once(`b:${bucket}`)) {
          const loc = api.call('s3', 'GetBucketLocation', { Bucket: bucket });
          const lc = loc.ok ? str(loc.output['LocationConstraint']) : undefined;
          const v = api.call('s3', 'GetBucketVersioning', { Bucket: bucket }, c.region);
          const st = v.ok ? str(v.output['Status']) : undefined;
          const check: Predicate = { type: 'bucket', name: bucket, region: lc === 'EU' ? 'eu-west-1' : lc ?? 'us-east-1', ...(st === 'Enabled' || st === 'Suspended' ? { versioning: st } : {}) };
          add(`The bucket ${bucket} exists`, check);
        }
        const key = str(i['Key']);
        if (key && exists && once(`o:${bucket}/${key}`)) {
          const h = api.call('s3', 'HeadObject', { Bucket: bucket, Key: key }, c.region);
          if (h.ok) {
            const md = (h.output['Metadata'] as Record<string, string> | undefined) ?? {};
            const sc = str(h.output['StorageClass']);
            add(`The object ${key} is in ${bucket}`, {
              type: 'object',
              bucket,
              key,
              ...(str(h.output['ContentType']) ? { contentType: str(h.output['ContentType'])! } : {}),
              ...(Object.keys(md).length ? { metadata: md } : {}),
              ...(sc && sc !== 'STANDARD' ? { storageClass: sc } : {}),
            });
          }
        }
        if (c.operation === 'RestoreObject' && once(`call:${c.operation}`)) add('A restore was requested', { type: 'api-call', service: 's3', operation: 'RestoreObject' });
        if (c.operation === 'PutBucketLifecycleConfiguration' && once(`lc:${bucket}`)) add(`${bucket} has a lifecycle rule`, { type: 'lifecycle-rule', bucket });
      } else if (c.service === 'ecs') {
        const cluster = str(i['clusterName']) ?? str(i['cluster']);
        if (cluster && once(`c:${cluster}`)) {
          const d = api.call('ecs', 'DescribeClusters', { clusters: [cluster] }, c.region);
          const cl = d.ok ? ((d.output['clusters'] as Record<string, unknown>[] | undefined) ?? [])[0] : undefined;
          if (cl && cl['status'] === 'ACTIVE') {
            const n = Number(cl['registeredContainerInstancesCount'] ?? 0);
            add(`The cluster ${cluster} is active`, { type: 'cluster', cluster, ...(c.region !== region ? { region: c.region } : {}), ...(n ? { registeredContainerInstances: { atLeast: n } } : {}) });
          }
        }
        const family = str(i['family']);
        if (c.operation === 'RegisterTaskDefinition' && family && once(`td:${family}`)) {
          const compat = i['requiresCompatibilities'] as string[] | undefined;
          add(`A task definition ${family} is registered`, {
            type: 'task-definition',
            family,
            ...(compat?.length ? { requiresCompatibilities: compat } : {}),
            ...(i['cpu'] !== undefined ? { cpu: String(i['cpu']) } : {}),
            ...(i['memory'] !== undefined ? { memory: String(i['memory']) } : {}),
          });
        }
        if (c.operation === 'RunTask' && cluster && once(`rt:${cluster}:${String(i['taskDefinition'])}`)) {
          const fam = String(i['taskDefinition'] ?? '').split(':')[0]!.split('/').pop()!;
          const l = api.call('ecs', 'ListTasks', { cluster, family: fam, desiredStatus: 'RUNNING' }, c.region);
          const n = l.ok ? ((l.output['taskArns'] as unknown[]) ?? []).length : 0;
          if (n) add(`${n} task(s) of ${fam} run in ${cluster}`, { type: 'tasks', cluster, family: fam, count: { atLeast: n } });
        }
      } else if (c.service === 'ecr') {
        const repo = str(i['repositoryName']);
        if (repo && once(`r:${repo}`)) {
          const l = api.call('ecr', 'ListImages', { repositoryName: repo }, c.region);
          const tags = l.ok ? ((l.output['imageIds'] as { imageTag?: string }[]) ?? []).map((x) => x.imageTag).filter((t): t is string => !!t) : [];
          if (tags.length) for (const tag of tags) add(`${repo}:${tag} is in ECR`, { type: 'ecr-image', repository: repo, tag });
          else add(`The repository ${repo} exists`, { type: 'ecr-repository', repository: repo });
        }
      }
    }
    return goals;
  });
}

/** Stop recording; write the draft lesson folder. Returns the files written and a summary. */
export function recordStop(
  sandbox: Sandbox,
  opts: { id?: string; title?: string; region?: string; folder?: string } = {},
): { ok: true; files: string[]; text: string } | { ok: false; text: string } {
  const r = recording(sandbox);
  if (!r) return { ok: false, text: 'Not recording. Start with: sandbox lessons record start' };
  const region = opts.region ?? 'us-east-1';
  const calls = sandbox.callLog().filter((c) => c.seq > r.startSeq);
  const goals = proposeGoals(sandbox, calls, region);
  const id = opts.id ?? 'custom/01-my-lesson';
  const [track] = id.split('/');
  const meta: LessonMeta = {
    id,
    title: opts.title ?? 'My lesson',
    track: track ?? 'custom',
    order: 1,
    minutes: 5,
    region,
    setup: [],
    steps: [{ id: 'step-1', title: 'Do it', goals: goals.length ? goals : [{ label: 'Describe the goal here', check: { type: 'bucket-count', count: { atLeast: 1 } }, hints: [] }], solution: r.lines.length ? r.lines : ['# type the solution lines here'] }],
  };
  const md = `# ${meta.title}\n\nExplain the idea of the lesson here, in your own words.\n\n<!-- step: step-1 -->\nTell the learner what to do in this step.\n`;
  const folder = resolvePath(opts.folder ?? `~/lesson-drafts/${id}`, HOME);
  const json = JSON.stringify({ $schema: '../../schema.json', ...meta }, null, 2) + '\n';
  sandbox.mutate(() => {
    sandbox.vfs.writeText(`${folder}/lesson.json`, json, { createParents: true });
    sandbox.vfs.writeText(`${folder}/lesson.md`, md, { createParents: true });
    sandbox.db.table(STATE_TABLE).delete('record');
  });
  // Tell the author whether the proposed goals hold now (they should, after the recorded commands).
  const parsed = parseLesson({ json: meta, markdown: md });
  let note = '';
  if (parsed.lesson) {
    const rep = evaluateSteps(sandbox, parsed.lesson, { startSeq: r.startSeq, startClock: r.startClock })[0];
    if (rep) note = `${rep.parts.filter((p) => p.met).length} of ${rep.parts.length} proposed goals hold now.`;
  }
  const text = [
    `Recorded ${r.lines.length} line(s) and ${calls.length} API call(s).`,
    `Proposed ${goals.length} goal check(s). ${note}`,
    `Wrote ${folder}/lesson.json and ${folder}/lesson.md: edit them, add a setup and hints, then put the folder under lessons/ (or in a pack) and run npm run lessons:check.`,
  ].join('\n');
  return { ok: true, files: [`${folder}/lesson.json`, `${folder}/lesson.md`], text };
}
