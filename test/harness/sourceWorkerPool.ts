/**
 * The extension's worker pool policy with real worker threads running the worker from source (src/worker/worker.ts
 * through tsx), for tests and benchmarks that need real workers without a build.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { WorkerPool } from '../../src/extension/workerPool';

const ENTRY = join(__dirname, '..', '..', 'src', 'worker', 'worker.ts');

export function sourceWorkerPool(batchWorkers: number, log: { warn(m: string): void; error(m: string): void } = { warn() {}, error() {} }): WorkerPool {
  const tsx = require.resolve(['tsx', 'cjs'].join('/'));
  return new WorkerPool(
    (lane, events) => {
      const w = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(ENTRY)});`, { eval: true, workerData: { lane } });
      w.on('message', events.message);
      w.on('error', (e) => events.exit(e.message));
      w.on('exit', (code) => events.exit(`exit code ${code}`));
      return w;
    },
    { info() {}, warn: (m) => log.warn(m), error: (m) => log.error(m) },
    { batchWorkers },
  );
}
