/** What a running job sees of the worker: its cancellation flag and the channels to stream progress. */
export class JobCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelledError';
  }
}

import type { JobKind, JobPartial } from '../protocol/jobs';

/** What a running job of kind K sees; it may stream only its kind's partials (JOB_PARTIALS). */
export interface JobContext<K extends JobKind = JobKind> {
  /** True once the host asked to stop; read synchronously, so loops can check it between steps. */
  isCancelled(): boolean;
  throwIfCancelled(): void;
  progress(fraction: number, message?: string): void;
  partial(data: JobPartial<K>): void;
}
