/**
 * A small pool of Node worker threads that runs a list of named tasks, at most `jobs` at a time, and gives their
 * results in the order of the tasks whatever order they finish in. The CLI runs the simulations of a sweep or a
 * comparison through it (src/node/poolSimulation.ts); the core stays free of Node: a task's work is a plain core
 * call inside the worker.
 *
 * - Each worker takes the next task when it finishes one (first in, first out), so a slow task does not hold the
 *   others back.
 * - A task that throws, or a worker that dies, fails the whole run with an error naming the task; the other
 *   workers are told to stop (a shared flag their task polls) and are terminated, so no thread outlives the call.
 * - `signal` stops the run the same way: it rejects with a `PoolCancelledError` once every worker is gone.
 *
 * The worker side is `serveTasks(handler)`, called at the top level of the entry module when it runs in a
 * worker started by this pool (`isPoolWorker(kind)` tells).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface PoolTask<I> {
  /** What an error about this task calls it ("tiki-taka, lr = 0.1"). */
  name: string;
  input: I;
}

export interface PoolOptions {
  /** At most this many workers (at least 1; never more than there are tasks). */
  jobs: number;
  /** Aborting it stops every worker and rejects with PoolCancelledError. */
  signal?: AbortSignal;
  /** Values that every task of the run needs (a data set): sent to each worker once, not with every task. */
  shared?: unknown;
}

/** A task failed: its name, and the message of what it threw (or why its worker died). */
export class PoolTaskError extends Error {
  constructor(
    readonly task: string,
    readonly index: number,
    readonly reason: string,
  ) {
    super(`${task}: ${reason}`);
    this.name = 'PoolTaskError';
  }
}

export class PoolCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'PoolCancelledError';
  }
}

/** What the pool puts in each worker's workerData. */
interface PoolWorkerData {
  limLensPool: string;
  cancel: SharedArrayBuffer;
  shared: unknown;
}

type ToWorker = { type: 'task'; index: number; input: unknown };
type FromWorker = { type: 'result'; index: number; result: unknown } | { type: 'error'; index: number; message: string };

/** True in a worker that this pool started for tasks of `kind`. */
export function isPoolWorker(kind: string): boolean {
  return !isMainThread && (workerData as Partial<PoolWorkerData> | null)?.limLensPool === kind;
}

/** What a task's handler gets besides its input. */
export interface TaskContext {
  /** True once the pool asked every worker to stop (another task failed, or the run was cancelled). */
  isCancelled(): boolean;
  /** The run's `shared` values. */
  shared: unknown;
}

/**
 * The worker side: answers each task with the handler's result, or with the message of what it threw. Call it
 * only where `isPoolWorker(kind)` holds.
 */
export function serveTasks(handler: (input: unknown, ctx: TaskContext) => unknown): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs in a worker thread');
  const data = workerData as PoolWorkerData;
  const flag = new Int32Array(data.cancel);
  const ctx: TaskContext = { isCancelled: () => Atomics.load(flag, 0) !== 0, shared: data.shared };
  port.on('message', (m: ToWorker) => {
    let answer: FromWorker;
    try {
      answer = { type: 'result', index: m.index, result: handler(m.input, ctx) };
    } catch (e) {
      answer = { type: 'error', index: m.index, message: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(answer);
  });
}

/**
 * A worker for `entry`: the bundled .js file as it is; a TypeScript source (tests run from source through tsx) is
 * loaded through tsx's CommonJS hook, which a worker does not inherit from `--import tsx`.
 */
function startWorker(entry: string, data: PoolWorkerData): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData: data });
  // A computed name, so a bundler leaves it alone (tsx is a development dependency, used only when run from source).
  const tsx = require.resolve(['tsx', 'cjs'].join('/'));
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true, workerData: data });
}

/**
 * Runs `tasks` on up to `options.jobs` worker threads started from `entry` (a module that calls `serveTasks` when
 * `isPoolWorker(kind)`), and resolves with their results in task order.
 */
export async function runTasks<I, O>(entry: string, kind: string, tasks: ReadonlyArray<PoolTask<I>>, options: PoolOptions): Promise<O[]> {
  const results = new Array<O>(tasks.length);
  if (tasks.length === 0) return results;
  const jobs = Math.max(1, Math.min(tasks.length, Math.floor(options.jobs) || 1));
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;

  return new Promise<O[]>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      Atomics.store(flag, 0, 1);
      // Every worker is terminated before the caller hears of the end, so no thread outlives the call.
      void Promise.allSettled(workers.map((w) => w.terminate())).then(() => (error ? reject(error) : resolve(results)));
    };
    const fail = (error: Error) => finish(error);
    const onAbort = () => fail(new PoolCancelledError());
    if (options.signal?.aborted) {
      reject(new PoolCancelledError());
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const feed = (w: Worker, running: { index: number }) => {
      if (settled) return;
      if (next >= tasks.length) {
        running.index = -1;
        return;
      }
      const index = (running.index = next++);
      try {
        w.postMessage({ type: 'task', index, input: tasks[index].input } satisfies ToWorker);
      } catch (e) {
        // An input that cannot be copied to a thread (a function, a closed port).
        fail(new PoolTaskError(tasks[index].name, index, `its input cannot be sent to a worker thread (${e instanceof Error ? e.message : String(e)})`));
      }
    };

    for (let k = 0; k < jobs; k++) {
      let w: Worker;
      try {
        w = startWorker(entry, { limLensPool: kind, cancel, shared: options.shared });
      } catch (e) {
        fail(new Error(`a worker thread could not start: ${e instanceof Error ? e.message : String(e)}`));
        return;
      }
      workers.push(w);
      const running = { index: -1 };
      w.on('message', (m: FromWorker) => {
        if (settled) return;
        if (m.type === 'error') {
          fail(new PoolTaskError(tasks[m.index]?.name ?? `task ${m.index}`, m.index, m.message));
          return;
        }
        results[m.index] = m.result as O;
        done++;
        if (done === tasks.length) finish();
        else feed(w, running);
      });
      const died = (reason: string) => {
        if (settled) return;
        const i = running.index;
        fail(i >= 0 ? new PoolTaskError(tasks[i].name, i, `its worker thread stopped (${reason})`) : new Error(`a worker thread stopped (${reason})`));
      };
      w.on('error', (e) => died(e instanceof Error ? e.message : String(e)));
      w.on('exit', (code) => died(`exit code ${code}`));
      feed(w, running);
    }
  });
}
