/**
 * The lesson catalogue: the lessons bundled with the app plus the packs a
 * teacher imported (kept in the sandbox table `lessons.packs`, so they are
 * persisted and exported with the state).
 *
 * Bundling: lessons/** is turned into a TypeScript module,
 * src/lessons/catalog.generated.ts, by `npm run lessons:build`
 * (scripts/lessons-check.ts --write). The same module serves the browser
 * bundle, the Worker, the headless runner and the tests, with no file-system
 * or bundler magic; `npm run lessons:check` fails when it is out of date.
 */
import type { Sandbox } from '../engine';
import type { Lesson, LessonMeta, LessonPack, LessonSource } from './types';
import { BUNDLED_LESSONS, LESSON_SCHEMA } from './catalog.generated';
import { validateSchema } from './validate';
import { PREDICATE_TYPES } from './predicates';

export const PACKS_TABLE = 'lessons.packs';
const STEP_MARKER = /^<!--\s*step:\s*([a-z0-9][a-z0-9-]*)\s*-->\s*$/gm;

export function lessonSchema(): Record<string, unknown> {
  return LESSON_SCHEMA as Record<string, unknown>;
}

/** Split lesson.md into the introduction and one section per step marker. */
export function splitMarkdown(md: string): { intro: string; sections: Record<string, string>; order: string[] } {
  const sections: Record<string, string> = {};
  const order: string[] = [];
  const marks = [...md.matchAll(STEP_MARKER)];
  const intro = (marks.length ? md.slice(0, marks[0]!.index) : md).trim();
  marks.forEach((m, i) => {
    const end = i + 1 < marks.length ? marks[i + 1]!.index : md.length;
    sections[m[1]!] = md.slice(m.index! + m[0].length, end).trim();
    order.push(m[1]!);
  });
  return { intro, sections, order };
}

/** Validate and load one lesson. Errors are plain sentences naming the lesson. */
export function parseLesson(src: LessonSource, origin: { source: string; assessment?: boolean } = { source: 'bundled' }): { lesson?: Lesson; errors: string[] } {
  const schema = lessonSchema();
  const name = src.path ?? ((src.json as { id?: string } | null)?.id ?? '(lesson)');
  const errors = validateSchema(src.json, { $ref: '#/definitions/lesson' }, schema).map((e) => `${name}: ${e}`);
  if (errors.length) return { errors };
  const meta = src.json as LessonMeta & { text?: string; $schema?: string };
  if (src.path && src.path !== meta.id) errors.push(`${name}: id ${meta.id} does not match the folder ${src.path}`);
  if (meta.id.split('/')[0] !== meta.track) errors.push(`${name}: the id must start with the track (${meta.track}/)`);
  const md = splitMarkdown(src.markdown);
  const ids = new Set<string>();
  for (const s of meta.steps) {
    if (ids.has(s.id)) errors.push(`${name}: step id ${s.id} is used twice`);
    ids.add(s.id);
    if (!(s.id in md.sections)) errors.push(`${name}: lesson.md has no <!-- step: ${s.id} --> section`);
    const gids = new Set<string>();
    s.goals.forEach((g, i) => {
      const gid = g.id ?? String(i + 1);
      if (gids.has(gid)) errors.push(`${name}: step ${s.id} has two goals with id ${gid}`);
      gids.add(gid);
    });
  }
  for (const id of md.order) if (!ids.has(id)) errors.push(`${name}: lesson.md has a section for an unknown step ${id}`);
  if (!md.intro) errors.push(`${name}: lesson.md needs an introduction before the first step`);
  const known = new Set<string>(PREDICATE_TYPES);
  const walk = (p: unknown): void => {
    const o = p as { type?: string; checks?: unknown[]; check?: unknown };
    if (!o || typeof o !== 'object') return;
    if (!known.has(String(o.type))) errors.push(`${name}: unknown check type ${String(o.type)}`);
    o.checks?.forEach(walk);
    if (o.check) walk(o.check);
  };
  for (const s of meta.steps) for (const g of s.goals) walk(g.check);
  if (errors.length) return { errors };
  const { $schema: _s, text: _t, ...rest } = meta;
  void _s;
  void _t;
  const lesson: Lesson = { ...rest, intro: md.intro, stepText: md.sections, source: origin.source, ...(origin.assessment ? { assessment: true } : {}) };
  return { lesson, errors: [] };
}

let bundledCache: { lessons: Lesson[]; errors: string[] } | undefined;

/** The lessons shipped with the app, sorted by track then order. */
export function bundledLessons(): Lesson[] {
  return loadBundled().lessons;
}

export function bundledErrors(): string[] {
  return loadBundled().errors;
}

function loadBundled(): { lessons: Lesson[]; errors: string[] } {
  if (!bundledCache) {
    const lessons: Lesson[] = [];
    const errors: string[] = [];
    for (const src of BUNDLED_LESSONS) {
      const r = parseLesson(src);
      if (r.lesson) lessons.push(r.lesson);
      errors.push(...r.errors);
    }
    bundledCache = { lessons: sortLessons(lessons), errors };
  }
  return bundledCache;
}

export const TRACK_ORDER = ['s3', 's3-security', 'ecs'];

export function sortLessons(list: Lesson[]): Lesson[] {
  const rank = (t: string) => {
    const i = TRACK_ORDER.indexOf(t);
    return i < 0 ? TRACK_ORDER.length : i;
  };
  return [...list].sort((a, b) => rank(a.track) - rank(b.track) || a.track.localeCompare(b.track) || a.order - b.order || a.id.localeCompare(b.id));
}

/** Every lesson available in this sandbox: bundled, then imported packs. */
export function allLessons(sandbox: Sandbox): Lesson[] {
  const out = [...bundledLessons()];
  const seen = new Set(out.map((l) => l.id));
  for (const pack of sandbox.db.table<LessonPack>(PACKS_TABLE).values()) {
    for (const l of pack.lessons) {
      if (seen.has(l.id)) continue;
      const r = parseLesson({ json: l, markdown: l.text }, { source: pack.id, assessment: pack.assessment === true });
      if (r.lesson) {
        out.push(r.lesson);
        seen.add(l.id);
      }
    }
  }
  return out;
}

export function findLesson(sandbox: Sandbox, id: string): Lesson | undefined {
  return allLessons(sandbox).find((l) => l.id === id);
}

/** Validate a pack (JSON text) and store it. Lessons in a pack may not reuse a bundled id. */
export function importPack(sandbox: Sandbox, text: string): { ok: true; pack: LessonPack } | { ok: false; errors: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`the file is not valid JSON (${e instanceof Error ? e.message : String(e)})`] };
  }
  const errors = validateSchema(json, { $ref: '#/definitions/pack' }, lessonSchema());
  if (errors.length) return { ok: false, errors };
  const pack = json as LessonPack;
  const bundled = new Set(bundledLessons().map((l) => l.id));
  const errs: string[] = [];
  for (const l of pack.lessons) {
    if (bundled.has(l.id)) errs.push(`${l.id}: a bundled lesson already has this id`);
    if (typeof l.text !== 'string') errs.push(`${l.id}: missing text (the lesson's markdown)`);
    else errs.push(...parseLesson({ json: l, markdown: l.text }, { source: pack.id }).errors);
  }
  if (errs.length) return { ok: false, errors: errs };
  sandbox.mutate(() => sandbox.db.table<LessonPack>(PACKS_TABLE).set(pack.id, pack));
  return { ok: true, pack };
}
