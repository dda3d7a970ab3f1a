/**
 * Helpers for benchmark files (bench/*.bench.ts). See bench/run.ts for the contract.
 */
import { performance } from 'node:perf_hooks';

export interface BenchResult {
  /** The measured figure (e.g. 31250). */
  figure: number;
  /** Its unit (e.g. 'commands/s', 'ms'). */
  unit: string;
  /** The same kind of figure for a baseline measured in the same run (optional). */
  baseline?: number;
  /** What the baseline is ("JSON round trip"). */
  baselineLabel?: string;
  /** The figure to reach (>= when higher is better, <= otherwise). */
  target?: number;
  /** Whether a higher figure is better (default true: rates). Use false for times. */
  higherIsBetter?: boolean;
  /** For a target relative to the baseline, e.g. 2 for "at most 2x the baseline". */
  maxRatio?: number;
  /** Anything worth printing next to the figure. */
  note?: string;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchResult>;
}

/**
 * Operations per second of `fn`: warm up, then `trials` timed runs of at least
 * `minMs` each; returns the best trial. The best, not the mean, because other
 * processes on a shared machine only ever make a trial slower.
 */
export function rate(fn: () => unknown, opts: { minMs?: number; warmup?: number; batch?: number; trials?: number } = {}): number {
  const minMs = opts.minMs ?? 200;
  const batch = opts.batch ?? 100;
  for (let i = 0; i < (opts.warmup ?? 500); i++) fn();
  let best = 0;
  for (let trial = 0; trial < (opts.trials ?? 5); trial++) {
    let ops = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < minMs) {
      for (let i = 0; i < batch; i++) fn();
      ops += batch;
      t = performance.now();
    }
    best = Math.max(best, ops / ((t - t0) / 1000));
  }
  return best;
}

/** Median wall time in ms of `runs` calls of an async function. */
export async function medianMs(fn: () => Promise<unknown>, runs = 20): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Functions handed to playwright's page.evaluate are compiled by tsx with
 * esbuild's keepNames, which wraps inner functions in `__name(...)`: a helper
 * the page does not have ("ReferenceError: __name is not defined"). Install
 * this first: `await context.addInitScript({ content: PAGE_NAME_SHIM })`.
 */
export const PAGE_NAME_SHIM = 'globalThis.__name = globalThis.__name || ((fn) => fn);';
