/**
 * Benchmark harness: `npm run bench [-- [--json] [--strict] [NAME_FILTER]]`.
 *
 * Contract for benchmark files: every file bench/*.bench.ts is loaded and must
 * export
 *
 *   export const benchmarks: Benchmark[]      // from './harness'
 *
 * where a Benchmark is `{ name, run(): Promise<BenchResult> }` and a BenchResult
 * is `{ figure, unit, baseline?, baselineLabel?, target?, higherIsBetter?, maxRatio?, note? }`.
 * Measure the baseline in the same run as the figure (same machine, same
 * moment) so the ratio means something. `target` is an absolute goal
 * (>= for rates, <= when higherIsBetter is false); `maxRatio` is a goal
 * relative to the baseline (figure/baseline for times, baseline/figure for rates).
 *
 * The harness prints one table (or JSON lines with --json). With --strict it
 * exits 1 when a benchmark misses its target.
 *
 * Browser benchmarks (playwright): files run under tsx, whose keepNames makes
 * page.evaluate callbacks call `__name`; install PAGE_NAME_SHIM from
 * ./harness with `context.addInitScript({ content: PAGE_NAME_SHIM })` first.
 */
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, BenchResult } from './harness';

const here = dirname(fileURLToPath(import.meta.url));

function fmt(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '-';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(3);
}

/** How the figure compares with the baseline: "x faster/slower" in the better direction. */
function ratioOf(r: BenchResult): number | undefined {
  if (r.baseline === undefined || !r.baseline || !r.figure) return undefined;
  return (r.higherIsBetter ?? true) ? r.baseline / r.figure : r.figure / r.baseline;
}

export function verdict(r: BenchResult): 'ok' | 'MISS' | '' {
  if (Number.isNaN(r.figure)) return 'MISS';
  const hi = r.higherIsBetter ?? true;
  let ok: boolean | undefined;
  if (r.target !== undefined) ok = hi ? r.figure >= r.target : r.figure <= r.target;
  const ratio = ratioOf(r);
  if (r.maxRatio !== undefined && ratio !== undefined) ok = (ok ?? true) && ratio <= r.maxRatio;
  return ok === undefined ? '' : ok ? 'ok' : 'MISS';
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const strict = args.includes('--strict');
  const filter = args.find((a) => !a.startsWith('--'));
  const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();
  const rows: { file: string; name: string; result: BenchResult; error?: string }[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { benchmarks?: Benchmark[] };
    if (!Array.isArray(mod.benchmarks)) {
      process.stderr.write(`bench: ${f} does not export \`benchmarks\`; skipped\n`);
      continue;
    }
    for (const b of mod.benchmarks) {
      if (filter && !b.name.includes(filter)) continue;
      try {
        const result = await b.run();
        rows.push({ file: f, name: b.name, result });
      } catch (e) {
        rows.push({ file: f, name: b.name, result: { figure: NaN, unit: '' }, error: e instanceof Error ? e.message : String(e) });
      }
      if (json) {
        const r = rows[rows.length - 1]!;
        process.stdout.write(JSON.stringify({ file: r.file, name: r.name, ...r.result, ratio: ratioOf(r.result), verdict: verdict(r.result), error: r.error }) + '\n');
      }
    }
  }
  if (!json) {
    const header = ['benchmark', 'figure', 'unit', 'baseline', 'ratio', 'target', ''];
    const table = rows.map(({ name, result: r, error }) => [
      name,
      fmt(r.figure),
      r.unit,
      r.baseline !== undefined ? `${fmt(r.baseline)}${r.baselineLabel ? ` (${r.baselineLabel})` : ''}` : '-',
      ratioOf(r) !== undefined ? `${ratioOf(r)!.toFixed(2)}x` : '-',
      [r.target !== undefined ? `${(r.higherIsBetter ?? true) ? '>=' : '<='} ${fmt(r.target)}` : '', r.maxRatio !== undefined ? `ratio <= ${r.maxRatio}` : ''].filter(Boolean).join(', ') || '-',
      error ? `ERROR: ${error}` : [verdict(r), r.note].filter(Boolean).join(' '),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 2 || i >= 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
    process.stdout.write(`Node ${process.version}, ${new Date().toISOString()}\n`);
    process.stdout.write(line(header) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
    for (const row of table) process.stdout.write(line(row) + '\n');
    process.stdout.write('ratio: how many times the baseline is better than the figure (1.00x = as fast as the baseline).\n');
  }
  const missed = rows.filter((r) => verdict(r.result) === 'MISS' || r.error);
  return strict && missed.length ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
