import { availableParallelism, cpus } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import { batchPoolSize, WorkerPool, type PoolOptions } from './workerPool';

// (a VS Code CancellationToken is a workerPool CancelToken)
export { JobError, type RunOptions } from './workerPool';

/** Batch workers: one per core the process may use, plus one (`batchPoolSize` says why), at most 8. */
export function batchWorkerCount(): number {
  let n: number;
  try {
    n = availableParallelism();
  } catch {
    n = cpus().length;
  }
  return batchPoolSize(n);
}

/**
 * Runs core jobs in worker threads (dist/worker.js): one interactive worker for what the editor waits for, and a
 * batch pool for simulations and exports (the policy is in workerPool.ts; each job kind's lane and deadline in
 * JOB_SCHEDULE). Workers start on first use; if one dies or stops answering, the jobs it held fail and the next
 * job starts a fresh one.
 */
export class WorkerClient extends WorkerPool {
  constructor(extensionPath: string, log: vscode.LogOutputChannel, options: Partial<PoolOptions> = {}) {
    super(
      (lane, events) => {
        // The worker reads its lane to lower its own priority when it serves the batch pool.
        const worker = new Worker(path.join(extensionPath, 'dist', 'worker.js'), { workerData: { lane } });
        worker.on('message', events.message);
        worker.on('error', (e) => events.exit(e.message));
        worker.on('exit', (code) => events.exit(`exit code ${code}`));
        return worker;
      },
      log,
      { batchWorkers: options.batchWorkers ?? batchWorkerCount(), graceMs: options.graceMs },
    );
  }
}
