/**
 * Benchmark helpers. Each bench/*.bench.ts file calls `bench(...)` / `record(...)` and the runner
 * (scripts/run-bench.mjs) collects the lines marked BENCH_RESULT from its output into one table.
 * Timings are measured here and recorded in BENCHMARKS.md, never asserted in tests.
 */
import { performance } from 'node:perf_hooks';

export interface BenchResult {
  name: string;
  /** A headline figure with its unit, e.g. { value: 2.1e6, unit: 'evaluations/s' }. */
  value: number;
  unit: string;
  /** Optional percentiles (ms) and other details shown after the headline. */
  p50Ms?: number;
  p99Ms?: number;
  samples?: number;
  note?: string;
}

export function record(result: BenchResult): void {
  console.log('BENCH_RESULT ' + JSON.stringify(result));
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i];
}

/** Times `fn` per call: warm-up first, then `samples` timed calls; returns ms per call, sorted. */
export function timeCalls(fn: () => unknown, samples: number, warmup = Math.min(100, samples)): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out = new Array<number>(samples);
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    fn();
    out[i] = performance.now() - t0;
  }
  return out.sort((a, b) => a - b);
}

/** Throughput of a cheap function: runs it in batches for at least `minMs` and reports calls per second. */
export function throughput(fn: () => unknown, minMs = 1000): { perSecond: number; calls: number } {
  for (let i = 0; i < 1000; i++) fn();
  let calls = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 1000; i++) fn();
    calls += 1000;
    elapsed = performance.now() - t0;
  }
  return { perSecond: (calls / elapsed) * 1000, calls };
}
