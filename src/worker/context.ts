/** What a running job sees of the worker: its cancellation flag and the channels to stream progress. */
export class JobCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelledError';
  }
}

export interface JobContext {
  /** True once the host asked to stop; read synchronously, so loops can check it between steps. */
  isCancelled(): boolean;
  throwIfCancelled(): void;
  progress(fraction: number, message?: string): void;
  partial(data: unknown): void;
}
