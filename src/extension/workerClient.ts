import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { JobInput, JobKind, JobResult } from '../protocol/jobs';
import { isWorkerToHost, type HostToWorker, type WorkerErrorCode } from '../protocol/worker';

export class JobError extends Error {
  constructor(message: string, readonly code: WorkerErrorCode) {
    super(message);
    this.name = 'JobError';
  }
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (fraction: number, message?: string) => void;
  onPartial?: (data: unknown) => void;
  cancelFlag: Int32Array;
}

export interface RunOptions<K extends JobKind> {
  token?: vscode.CancellationToken;
  onProgress?: (fraction: number, message?: string) => void;
  onPartial?: (data: unknown) => void;
  _kind?: K;
}

/**
 * Runs core jobs in a worker thread, started on first use. If the worker dies, every job it held fails with
 * `worker-died` and the next job starts a fresh worker.
 */
export class WorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  run<K extends JobKind>(kind: K, input: JobInput<K>, options: RunOptions<K> = {}): Promise<JobResult<K>> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const cancelBuffer = new SharedArrayBuffer(4);
    const cancelFlag = new Int32Array(cancelBuffer);
    return new Promise<JobResult<K>>((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress,
        onPartial: options.onPartial,
        cancelFlag,
      });
      options.token?.onCancellationRequested(() => this.cancel(id));
      const message: HostToWorker = { type: 'job', id, kind, input, cancelFlag: cancelBuffer };
      worker.postMessage(message);
    });
  }

  cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    Atomics.store(p.cancelFlag, 0, 1);
    this.worker?.postMessage({ type: 'cancel', id } satisfies HostToWorker);
  }

  /** For tests and recovery: the live worker's thread id, if one is running. */
  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  /** Stops the worker; jobs it still held fail with `worker-died`, and the next job starts a fresh worker. */
  async terminate(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new JobError('the LIM Lens worker was stopped; the job did not finish', 'worker-died'));
    }
    await w?.terminate();
  }

  dispose(): void {
    void this.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(this.extensionPath, 'dist', 'worker.js'));
    this.log.info(`worker started (thread ${worker.threadId})`);
    worker.on('message', (m: unknown) => {
      if (!isWorkerToHost(m)) {
        this.log.warn('dropped a malformed message from the worker');
        return;
      }
      if (m.type === 'ready') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      switch (m.type) {
        case 'progress':
          p.onProgress?.(m.fraction, m.message);
          break;
        case 'partial':
          p.onPartial?.(m.data);
          break;
        case 'result':
          this.pending.delete(m.id);
          p.resolve(m.data);
          break;
        case 'error':
          this.pending.delete(m.id);
          p.reject(new JobError(m.message, m.code));
          break;
      }
    });
    const fail = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.log.error(`worker stopped: ${reason}`);
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new JobError(`the LIM Lens worker stopped (${reason}); the job did not finish`, 'worker-died'));
      }
    };
    worker.on('error', (e) => fail(e.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}
