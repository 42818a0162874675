import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { InvalidBoundInputsError } from '../core';
import { InvalidSimulationConfigError } from '../core/analog';
import { HostToWorker, type MessageOf, type WorkerToHost } from '../protocol/worker';
import { parseJobInput, type JobKind } from '../protocol/jobs';
import { JobCancelledError, type JobContext } from './context';
import { HANDLERS } from './handlers';

/**
 * Worker entry: runs core jobs off the extension host thread, one message protocol (src/protocol/worker). The
 * host starts one worker for the interactive lane and a pool for the batch lane (src/extension/workerPool.ts);
 * `workerData.lane` says which this one serves.
 */

const port = parentPort;
if (!port) throw new Error('dist/worker.js must be started as a worker thread');

const lane = (workerData as { lane?: unknown } | null)?.lane;
if (lane === 'batch' && process.platform === 'linux') {
  // Linux schedules threads, and setpriority(PRIO_PROCESS, 0) changes the calling thread only: this lowers the
  // priority of this batch worker, so the interactive worker and the extension host win the CPU. (Elsewhere it
  // would lower the whole process, the extension host included, so it is left alone.)
  try {
    setPriority(0, 10);
  } catch {
    // Refused (a sandbox that filters setpriority): run at normal priority.
  }
}

/** Jobs this worker is running, and those of them the host cancelled by message. */
const running = new Set<number>();
const cancelled = new Set<number>();
const post = (m: WorkerToHost) => port.postMessage(m);

async function run(job: MessageOf<HostToWorker, 'job'>): Promise<void> {
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
  running.add(job.id);
  try {
    // Cancelled while it waited behind other jobs (a hover that moved on): do not start it.
    ctx.throwIfCancelled();
    // An input of a shape the protocol declares (JOB_INPUTS) is read with its schema first.
    const input = parseJobInput(job.kind, job.input);
    if (!input.ok) {
      post({ type: 'error', id: job.id, message: `${job.kind}: ${input.reason}`, code: 'invalid-input' });
      return;
    }
    const handler = HANDLERS[job.kind as JobKind] as (input: unknown, ctx: JobContext) => unknown;
    const data = await handler(input.value, ctx);
    post({ type: 'result', id: job.id, data });
  } catch (e) {
    if (e instanceof JobCancelledError) post({ type: 'error', id: job.id, message: 'cancelled', code: 'cancelled' });
    else if (e instanceof InvalidBoundInputsError || e instanceof InvalidSimulationConfigError) post({ type: 'error', id: job.id, message: e.message, code: 'invalid-input' });
    else post({ type: 'error', id: job.id, message: e instanceof Error ? e.message : String(e), code: 'failed' });
  } finally {
    running.delete(job.id);
    cancelled.delete(job.id);
  }
}

port.on('message', (raw: unknown) => {
  const parsed = HostToWorker.parse(raw);
  if (!parsed.ok) {
    // A malformed message cannot be answered by id; the job's deadline (JOB_SCHEDULE) fails it on the host with
    // `timeout`. Say so on stderr.
    console.error(`lim-lens worker: dropped a malformed message (${parsed.reason})`);
    return;
  }
  const m = parsed.value;
  if (m.type === 'cancel') {
    if (running.has(m.id)) cancelled.add(m.id); // (a cancel for a job that already answered is dropped)
  } else void run(m);
});

post({ type: 'ready' });
