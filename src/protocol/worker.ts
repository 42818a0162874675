import { hasNumber, hasString, isOneOf, isRecord } from './guards';
import { isJobKind, type JobInput, type JobKind } from './jobs';

/**
 * Extension host ⇄ worker protocol. Each job has an id; the host may cancel it, and the worker answers with
 * progress, partial results (a simulation's curve as it grows), then exactly one result or error.
 * Cancellation goes through a shared Int32Array flag as well as a message, because a job that never yields
 * to the event loop would not see the message; the flag is read synchronously between steps.
 */
export type HostToWorker =
  | { type: 'job'; id: number; kind: JobKind; input: JobInput<JobKind>; cancelFlag?: SharedArrayBuffer }
  | { type: 'cancel'; id: number };

export type WorkerToHost =
  | { type: 'ready' }
  | { type: 'progress'; id: number; fraction: number; message?: string }
  | { type: 'partial'; id: number; data: unknown }
  | { type: 'result'; id: number; data: unknown }
  | { type: 'error'; id: number; message: string; code: WorkerErrorCode };

/**
 * `timeout`: the job passed its kind's deadline (JOB_SCHEDULE) and was cancelled; `worker-died`: the worker
 * thread exited, was stopped, or stopped answering after a cancellation and was replaced.
 */
export const WORKER_ERROR_CODES = ['invalid-input', 'cancelled', 'failed', 'unknown-job', 'worker-died', 'timeout'] as const;
export type WorkerErrorCode = (typeof WORKER_ERROR_CODES)[number];

export function isHostToWorker(m: unknown): m is HostToWorker {
  if (!isRecord(m) || !hasNumber(m, 'id')) return false;
  if (m.type === 'cancel') return true;
  return m.type === 'job' && isJobKind(m.kind) && isRecord(m.input) &&
    (m.cancelFlag === undefined || m.cancelFlag instanceof SharedArrayBuffer);
}

export function isWorkerToHost(m: unknown): m is WorkerToHost {
  if (!isRecord(m) || !hasString(m, 'type')) return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'progress':
      return hasNumber(m, 'id') && hasNumber(m, 'fraction') && (m.message === undefined || hasString(m, 'message'));
    case 'partial':
    case 'result':
      return hasNumber(m, 'id') && 'data' in m;
    case 'error':
      return hasNumber(m, 'id') && hasString(m, 'message') && isOneOf(m.code, WORKER_ERROR_CODES);
    default:
      return false;
  }
}
