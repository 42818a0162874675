import { JOB_KINDS, type JobInput, type JobKind } from './jobs';
import * as v from 'valibot';
import { count, family, finite, message, text, type Infer } from './schema';

/**
 * Extension host ⇄ worker protocol, each message declared once. Each job has an id; the host may cancel it, and the
 * worker answers with progress, partial results (a simulation's curve as it grows; their shape per job kind is
 * JOB_PARTIALS), then exactly one result or error.
 * Cancellation goes through a shared Int32Array flag as well as a message, because a job that never yields
 * to the event loop would not see the message; the flag is read synchronously between steps.
 *
 * A job's input is checked here as an object only; the worker then reads it with its kind's schema where the
 * protocol owns the shape (JOB_INPUTS), and the handlers check the engine's own values with the engine's validators
 * (validateBoundInputs, validateSimulationConfig), which say which field is wrong and why. A result is the
 * engine's own value, passed by structured clone between two threads of the extension; what a view receives of it
 * is checked again at the view's boundary (HostToDashboard, HostToSidebar).
 */

/**
 * `timeout`: the job passed its kind's deadline (JOB_SCHEDULE) and was cancelled; `worker-died`: the worker
 * thread exited, was stopped, or stopped answering after a cancellation and was replaced.
 */
export const WORKER_ERROR_CODES = ['invalid-input', 'cancelled', 'failed', 'unknown-job', 'worker-died', 'timeout'] as const;
export type WorkerErrorCode = (typeof WORKER_ERROR_CODES)[number];

const jobId = () => v.pipe(count(), v.minValue(1));

export const HostToWorker = family([
  message('job', {
    id: jobId(),
    kind: v.picklist(JOB_KINDS),
    input: v.custom<JobInput<JobKind>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'a job input is an object'),
    cancelFlag: v.optional(v.instance(SharedArrayBuffer)),
  }),
  message('cancel', { id: jobId() }),
]);
export type HostToWorker = Infer<typeof HostToWorker.schema>;

export const WorkerToHost = family([
  message('ready', {}),
  message('progress', { id: jobId(), fraction: finite(), message: v.optional(text(500)) }),
  /** `data`: the kind's partial (JOB_PARTIALS), checked by the host against the kind of the job it belongs to. */
  message('partial', { id: jobId(), data: v.unknown() }),
  message('result', { id: jobId(), data: v.unknown() }),
  message('error', { id: jobId(), message: text(), code: v.picklist(WORKER_ERROR_CODES) }),
]);
export type WorkerToHost = Infer<typeof WorkerToHost.schema>;

/** Narrows a message to one type of its family (a worker's `job`, say). */
export type MessageOf<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;
