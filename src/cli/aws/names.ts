/**
 * Name transforms the AWS CLI applies to API names: operation `ListObjectsV2`
 * becomes the command `list-objects-v2`, member `taskDefinition` becomes the
 * option `--task-definition` (the same rules as botocore's xform_name).
 */
const CACHE = new Map<string, string>();

export function xformName(name: string, sep = '-'): string {
  if (name.includes(sep)) return name;
  const key = sep + name;
  const hit = CACHE.get(key);
  if (hit !== undefined) return hit;
  let n = name;
  const special = /[A-Z]{2,}s$/.exec(n);
  if (special) n = n.slice(0, n.length - special[0].length) + sep + special[0].toLowerCase();
  n = n.replace(/(.)([A-Z][a-z]+)/g, `$1${sep}$2`);
  n = n.replace(/([a-z])([0-9]+)/g, `$1${sep}$2`);
  n = n.replace(/([a-z0-9])([A-Z])/g, `$1${sep}$2`).toLowerCase();
  CACHE.set(key, n);
  return n;
}

/** `tasks-running` -> `TasksRunning` (waiter names as botocore spells them). */
export function camelFromKebab(name: string): string {
  return name
    .split('-')
    .map((p) => (p ? p[0]!.toUpperCase() + p.slice(1) : p))
    .join('');
}

/** Similarity ratio of two strings as Python's difflib.SequenceMatcher computes it. */
export function similarity(a: string, b: string): number {
  const total = a.length + b.length;
  if (!total) return 1;
  return (2 * matchingChars(a, b)) / total;
}

function matchingChars(a: string, b: string): number {
  if (!a.length || !b.length) return 0;
  // longest common substring, then recurse on both sides (Ratcliff/Obershelp)
  let bestI = 0;
  let bestJ = 0;
  let bestLen = 0;
  const prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      if (a[i - 1] === b[j - 1]) {
        prev[j] = diag + 1;
        if (prev[j]! > bestLen) {
          bestLen = prev[j]!;
          bestI = i - bestLen;
          bestJ = j - bestLen;
        }
      } else prev[j] = 0;
      diag = tmp;
    }
  }
  if (!bestLen) return 0;
  return (
    bestLen +
    matchingChars(a.slice(0, bestI), b.slice(0, bestJ)) +
    matchingChars(a.slice(bestI + bestLen), b.slice(bestJ + bestLen))
  );
}

/** difflib.get_close_matches: up to n names with a ratio >= cutoff, best first. */
export function closeMatches(word: string, choices: readonly string[], n = 3, cutoff = 0.6): string[] {
  const scored: [number, string][] = [];
  for (const c of choices) {
    const r = similarity(word, c);
    if (r >= cutoff) scored.push([r, c]);
  }
  scored.sort((x, y) => y[0] - x[0] || (x[1] < y[1] ? 1 : x[1] > y[1] ? -1 : 0));
  return scored.slice(0, n).map((s) => s[1]);
}
