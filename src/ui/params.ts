/** The URL parameters that choose what the page shows (used by embeds and docs links). */
export type Layout = 'terminal' | 'editor' | 'full';
export type ThemeName = 'light' | 'dark';

export interface UiParams {
  embed: boolean;
  lesson: string | null;
  layout: Layout;
  theme: ThemeName | null;
  /** Commands to run once the terminal is ready (newline-separated in ?run=). */
  run: string[];
  fresh: boolean;
  /** The one other origin allowed to drive this page with postMessage. */
  parentOrigin: string | null;
}

const LAYOUTS: readonly Layout[] = ['terminal', 'editor', 'full'];

function flag(v: string | null): boolean {
  return v !== null && v !== '0' && v !== 'false' && v !== 'no';
}

export function parseParams(search: string): UiParams {
  const q = new URLSearchParams(search);
  const embed = flag(q.get('embed'));
  const layoutRaw = q.get('layout');
  const lesson = q.get('lesson') || null;
  // An embed shows only the terminal unless it carries a lesson (whose text is in the side panel).
  const layout: Layout =
    layoutRaw && (LAYOUTS as readonly string[]).includes(layoutRaw) ? (layoutRaw as Layout) : embed && !lesson ? 'terminal' : 'full';
  const themeRaw = q.get('theme');
  const theme: ThemeName | null = themeRaw === 'light' || themeRaw === 'dark' ? themeRaw : null;
  const run = q
    .getAll('run')
    .flatMap((r) => r.split(/\r?\n/))
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  let parentOrigin: string | null = null;
  const po = q.get('parentOrigin');
  if (po) {
    try {
      const u = new URL(po);
      if (u.protocol === 'http:' || u.protocol === 'https:') parentOrigin = u.origin;
    } catch {
      parentOrigin = null;
    }
  }
  return { embed, lesson, layout, theme, run, fresh: flag(q.get('fresh')), parentOrigin };
}
