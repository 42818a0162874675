import { parentPort } from 'node:worker_threads';
import { InvalidBoundInputsError } from '../core';
import { InvalidSimulationConfigError } from '../core/analog';
import { isHostToWorker, type WorkerToHost, type HostToWorker } from '../protocol/worker';
import type { JobKind } from '../protocol/jobs';
import { JobCancelledError, type JobContext } from './context';
import { HANDLERS } from './handlers';

/** Worker entry: runs core jobs off the extension host thread, one message protocol (src/protocol/worker). */

const port = parentPort;
if (!port) throw new Error('dist/worker.js must be started as a worker thread');

const cancelled = new Set<number>();
const post = (m: WorkerToHost) => port.postMessage(m);

async function run(job: Extract<HostToWorker, { type: 'job' }>): Promise<void> {
  const flag = job.cancelFlag ? new Int32Array(job.cancelFlag) : undefined;
  const isCancelled = () => cancelled.has(job.id) || (flag !== undefined && Atomics.load(flag, 0) !== 0);
  const ctx: JobContext = {
    isCancelled,
    throwIfCancelled() {
      if (isCancelled()) throw new JobCancelledError();
    },
    progress: (fraction, message) => post({ type: 'progress', id: job.id, fraction, message }),
    partial: (data) => post({ type: 'partial', id: job.id, data }),
  };
  try {
    const handler = HANDLERS[job.kind as JobKind] as (input: unknown, ctx: JobContext) => unknown;
    const data = await handler(job.input, ctx);
    post({ type: 'result', id: job.id, data });
  } catch (e) {
    if (e instanceof JobCancelledError) post({ type: 'error', id: job.id, message: 'cancelled', code: 'cancelled' });
    else if (e instanceof InvalidBoundInputsError || e instanceof InvalidSimulationConfigError) post({ type: 'error', id: job.id, message: e.message, code: 'invalid-input' });
    else post({ type: 'error', id: job.id, message: e instanceof Error ? e.message : String(e), code: 'failed' });
  } finally {
    cancelled.delete(job.id);
  }
}

port.on('message', (m: unknown) => {
  if (!isHostToWorker(m)) {
    // A malformed message cannot be answered by id; the host times such jobs out. Say so on stderr.
    console.error('lim-lens worker: dropped a malformed message');
    return;
  }
  if (m.type === 'cancel') cancelled.add(m.id);
  else void run(m);
});

post({ type: 'ready' });
