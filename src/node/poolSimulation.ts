/**
 * The simulations of a sweep or a comparison, run side by side on worker threads (src/node/pool.ts) or one after
 * another in this thread. Each run is `runSimulation(config, …, data)` of the core, whatever runs it: a run's
 * random numbers come from its own seed only, so the results are the same bit for bit, serial or parallel, and
 * come back in the order of the runs.
 *
 * This module is also the workers' entry: bundled as dist/simulate-worker.js beside dist/cli.js, or loaded from
 * source by the tests.
 */
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { runSimulation, type Dataset, type SimulationConfig, type SimulationResult } from '../core/analog';
import { isPoolWorker, runTasks, serveTasks, type PoolTask } from './pool';

/** The bundle the workers start from, beside the CLI's. */
export const SIMULATE_WORKER_FILE = 'simulate-worker.js';
const KIND = 'simulate';

/** The cores this process may use. */
export function availableCores(): number {
  try {
    return Math.max(1, availableParallelism());
  } catch {
    return Math.max(1, cpus().length);
  }
}

/**
 * How many runs go at once when not told (`--jobs`'s default): one per core; all of them when they are at most one
 * more than the cores. A comparison is a few runs of nearly equal length: 3 on 2 cores, 2 at a time, take two
 * run-lengths (the third starts when the first ends, 0.67× of one after another), while 3 at once share both cores
 * to the end (1.5 run-lengths, 0.5×; the extension's batch pool keeps one worker more than the cores for the same
 * reason). More runs than that gain nothing from sharing and would only hold more memory.
 */
export function defaultJobs(runs: number, cores = availableCores()): number {
  return runs <= cores + 1 ? Math.max(1, runs) : cores;
}

export interface SimulationRun {
  /** What an error or a table calls the run ("tiki-taka, lr = 0.1"). */
  name: string;
  config: SimulationConfig;
}

export interface RunSimulationsOptions {
  /** Runs at once: 1 runs them one after another in this thread; more starts that many worker threads. */
  jobs: number;
  signal?: AbortSignal;
}

/** A data set whose arrays live in shared memory, so the workers read it without a copy each. */
function shared(data: Dataset | undefined): Dataset | undefined {
  if (!data) return undefined;
  const share = <T extends Float32Array | Uint8Array | Uint16Array>(a: T): T => {
    const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
    copy.set(a as never);
    return copy;
  };
  return { ...data, x: share(data.x), y: share(data.y) };
}

function workerEntry(): string {
  // From source (tests, tsx) this file is its own entry; bundled, the CLI's folder holds the workers' bundle.
  return __filename.endsWith('.ts') ? __filename : join(__dirname, SIMULATE_WORKER_FILE);
}

/**
 * Runs the simulations, `options.jobs` at a time, and gives their results in the order of `runs`. A run that
 * fails rejects with a PoolTaskError naming it (parallel) or its own error (serial).
 */
export async function runSimulations(runs: readonly SimulationRun[], data: Dataset | undefined, options: RunSimulationsOptions): Promise<SimulationResult[]> {
  const jobs = Math.max(1, Math.floor(options.jobs) || 1);
  if (jobs === 1 || runs.length <= 1) {
    const out: SimulationResult[] = [];
    for (const r of runs) {
      if (options.signal?.aborted) break;
      out.push(runSimulation(r.config, { shouldStop: () => options.signal?.aborted === true }, data));
    }
    return out;
  }
  const tasks: Array<PoolTask<SimulationConfig>> = runs.map((r) => ({ name: r.name, input: r.config }));
  return runTasks<SimulationConfig, SimulationResult>(workerEntry(), KIND, tasks, { jobs, signal: options.signal, shared: shared(data) });
}

if (isPoolWorker(KIND)) {
  serveTasks((config, ctx) => runSimulation(config as SimulationConfig, { shouldStop: () => ctx.isCancelled() }, ctx.shared as Dataset | undefined));
}
