/**
 * Pathname expansion (`*`, `?`, `[...]`) over the virtual file tree.
 * Patterns use backslash to mark characters that were quoted.
 */
import type { Vfs } from '../../engine';
import { resolvePath } from '../../engine';

export function hasGlobChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 42 /* * */ || c === 63 /* ? */ || c === 91 /* [ */) return true;
  }
  return false;
}

/** Does this pattern segment contain an unescaped glob character? */
function segmentIsGlob(seg: string): boolean {
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

function unescape(seg: string): string {
  return seg.replace(/\\(.)/g, '$1');
}

const RE_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** Convert one path segment of a glob pattern to an anchored RegExp. */
export function globToRegExp(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\') {
      const n = seg[++i] ?? '\\';
      re += n.replace(RE_SPECIAL, '\\$&');
    } else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i + 1;
      if (seg[j] === '!' || seg[j] === '^') j++;
      if (seg[j] === ']') j++;
      while (j < seg.length && seg[j] !== ']') j++;
      if (j >= seg.length) {
        re += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, j);
      let neg = false;
      if (body[0] === '!' || body[0] === '^') {
        neg = true;
        body = body.slice(1);
      }
      body = body
        .replace(/\[:(alpha|digit|alnum|upper|lower|space|punct|xdigit):\]/g, (_m, cls: string) => POSIX_CLASSES[cls] ?? '')
        .replace(/\\(?![dswDSW])/g, '\\\\')
        .replace(/\]/g, '\\]');
      re += `[${neg ? '^' : ''}${body}]`;
      i = j;
    } else re += c.replace(RE_SPECIAL, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    // A bracket expression bash cannot use either (e.g. the range t-1 in [subnet-1]):
    // it matches nothing, so the word stays as typed.
    return /(?!)/;
  }
}

export const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
};

/**
 * Expand a pattern against the file tree. Returns the matching paths, sorted,
 * spelled as the pattern was (relative stays relative); [] when nothing matches.
 */
export function expandGlob(vfs: Vfs, pattern: string, cwd: string): string[] {
  const absolute = pattern.startsWith('/');
  const segs = pattern.split('/');
  if (absolute) segs.shift();
  let results: { shown: string; abs: string }[] = [{ shown: absolute ? '/' : '', abs: absolute ? '/' : cwd }];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    const next: { shown: string; abs: string }[] = [];
    if (seg === '') {
      // trailing slash or '//': keep folders only
      for (const r of results) if (vfs.isDir(r.abs)) next.push({ shown: r.shown + (r.shown && !r.shown.endsWith('/') ? '/' : ''), abs: r.abs });
      results = next;
      continue;
    }
    const join = (shown: string, name: string) => (shown === '' ? name : shown.endsWith('/') ? shown + name : shown + '/' + name);
    if (!segmentIsGlob(seg)) {
      const name = unescape(seg);
      for (const r of results) {
        const abs = resolvePath(name, r.abs);
        if (vfs.exists(abs) && (last || vfs.isDir(abs))) next.push({ shown: join(r.shown, name), abs });
      }
    } else {
      const re = globToRegExp(seg);
      const dotOk = seg.startsWith('.') || seg.startsWith('\\.');
      for (const r of results) {
        if (!vfs.isDir(r.abs)) continue;
        for (const name of vfs.list(r.abs)) {
          if (name.startsWith('.') && !dotOk) continue;
          if (!re.test(name)) continue;
          const abs = r.abs === '/' ? '/' + name : r.abs + '/' + name;
          if (!last && !vfs.isDir(abs)) continue;
          next.push({ shown: join(r.shown, name), abs });
        }
      }
    }
    results = next;
    if (!results.length) return [];
  }
  return results.map((r) => r.shown).sort();
}
