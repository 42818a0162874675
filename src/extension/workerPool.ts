import { JOB_SCHEDULE, parseJobPartial, type JobInput, type JobKind, type JobLane, type JobPartial, type JobResult } from '../protocol/jobs';
import { WorkerToHost, type HostToWorker, type WorkerErrorCode } from '../protocol/worker';

/**
 * The scheduling policy of the worker threads, apart from VS Code and from `worker_threads` (the threads come from
 * a factory), so unit tests can drive it with fake workers:
 *
 * - one **interactive** worker for the jobs a hover, a CodeLens, the problems or a view waits for (JOB_SCHEDULE's
 *   `interactive` lane). Its jobs are posted at once, so they queue only behind each other, never behind a
 *   simulation; it keeps the worker-side parse cache warm.
 * - a **batch** pool of `batchWorkers` threads (`batchPoolSize`: one per core plus one, at most
 *   MAX_BATCH_WORKERS), one job each at a time, for simulations, planning and exports; a batch job waits
 *   first-in first-out while every batch worker is busy.
 * - workers start on first use. A job that passes its deadline fails with `timeout` and is cancelled; a worker
 *   that has not answered `graceMs` after a cancellation is stuck: it is terminated, its other jobs fail with
 *   `worker-died`, and the next job starts a fresh one.
 */

export class JobError extends Error {
  constructor(
    message: string,
    readonly code: WorkerErrorCode,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

/** A cancellation token: VS Code's `CancellationToken` fits, and so does `CancelSource.token`. */
export interface CancelToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

/** A minimal cancellation source (VS Code's needs the `vscode` module). */
export class CancelSource {
  private cancelled = false;
  private readonly listeners = new Set<() => unknown>();
  readonly token: CancelToken = new SourceToken(this);

  get isCancellationRequested(): boolean {
    return this.cancelled;
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const l of listeners) l();
  }

  subscribe(listener: () => unknown): { dispose(): unknown } {
    if (this.cancelled) {
      listener();
      return { dispose() {} };
    }
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** How many listeners are still registered (tests check that finished jobs disposed theirs). */
  get listenerCount(): number {
    return this.listeners.size;
  }
}

class SourceToken implements CancelToken {
  constructor(private readonly source: CancelSource) {}
  get isCancellationRequested(): boolean {
    return this.source.isCancellationRequested;
  }
  onCancellationRequested(listener: () => unknown): { dispose(): unknown } {
    return this.source.subscribe(listener);
  }
}

/** One worker thread, as the pool sees it. */
export interface PoolWorker {
  readonly threadId: number;
  postMessage(m: HostToWorker): void;
  terminate(): unknown;
}

/** What a worker tells the pool: each message it posts, and its end (an error or an exit). */
export interface WorkerEvents {
  message(m: unknown): void;
  exit(reason: string): void;
}

export type WorkerFactory = (lane: JobLane, events: WorkerEvents) => PoolWorker;

export interface PoolLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface PoolOptions {
  /** Batch workers (at least 1). */
  batchWorkers: number;
  /** How long a worker may take to answer a cancelled job before it counts as stuck (default 5 s). */
  graceMs?: number;
}

export interface RunOptions<K extends JobKind = JobKind> {
  token?: CancelToken;
  onProgress?: (fraction: number, message?: string) => void;
  /** What the job streams, of its kind's shape (JOB_PARTIALS), checked on arrival. */
  onPartial?: (data: JobPartial<K>) => void;
  /** This job's deadline instead of its kind's (JOB_SCHEDULE). */
  deadlineMs?: number;
  /** This job's lane instead of its kind's (tests: a long simulation keeps the interactive worker busy). */
  lane?: JobLane;
}

interface Slot {
  lane: JobLane;
  /** Its place in the lane: 0 for the interactive worker, 0… for the batch workers. */
  index: number;
  worker: PoolWorker | undefined;
  /** Jobs posted to this worker that it has not answered (a timed-out job stays until it answers or is stopped). */
  jobs: Map<number, Job>;
}

interface Job {
  id: number;
  kind: JobKind;
  input: unknown;
  deadlineMs: number;
  cancelBuffer: SharedArrayBuffer;
  cancelFlag: Int32Array;
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (fraction: number, message?: string) => void;
  onPartial?: (data: unknown) => void;
  /** The caller has its answer (a result, an error, a timeout). */
  settled: boolean;
  /** The worker was asked to stop it (a cancelled token, a deadline). */
  stopRequested: boolean;
  slot?: Slot;
  deadlineTimer?: ReturnType<typeof setTimeout>;
  graceTimer?: ReturnType<typeof setTimeout>;
  tokenListener?: { dispose(): unknown };
}

export const DEFAULT_GRACE_MS = 5_000;

/** The most batch workers a pool gets from the cores (each is a thread with its own V8 heap and digits data). */
export const MAX_BATCH_WORKERS = 8;

/**
 * The batch pool's size from the cores the process may use: `cores + 1`, at least 2, at most MAX_BATCH_WORKERS.
 *
 * Why one more than the cores: a comparison is k nearly equal runs (one per algorithm, 2–5). With one worker per
 * core, k = cores + 1 runs take two run-lengths (the last run starts when the first ones end): 3 runs on 2 cores
 * cost 2/3 of running them one after another, whatever the order. With cores + 1 workers they all start at once
 * and share the cores, so they end after k/cores run-lengths (1.5 on 2 cores, 1/cores of the sum), and a
 * comparison of up to cores + 1 runs keeps every core busy to its end. The extra worker costs the editor little:
 * batch workers run at nice 10 on Linux (src/worker/worker.ts), so the interactive worker and the extension host
 * take a core first (measured: hover p99 during a comparison +5–7 ms on 2 cores, BENCHMARKS.md). More than that
 * would not make a comparison of k ≤ cores + 1 runs faster, only hold more threads: a sweep of many runs (up to 20)
 * waits first-in first-out beyond the pool, so memory stays bounded by MAX_BATCH_WORKERS threads.
 */
export function batchPoolSize(cores: number): number {
  const c = Number.isFinite(cores) && cores >= 1 ? Math.floor(cores) : 1;
  return Math.min(MAX_BATCH_WORKERS, c + 1);
}

export class WorkerPool {
  private nextId = 1;
  private readonly interactive: Slot = { lane: 'interactive', index: 0, worker: undefined, jobs: new Map() };
  private readonly batch: Slot[];
  /** Batch jobs waiting for a free batch worker, oldest first. */
  private readonly queue: Job[] = [];
  private readonly graceMs: number;

  constructor(
    private readonly createWorker: WorkerFactory,
    private readonly log: PoolLog,
    options: PoolOptions,
  ) {
    const n = Math.max(1, Math.floor(options.batchWorkers) || 1);
    this.batch = Array.from({ length: n }, (_, index) => ({ lane: 'batch' as const, index, worker: undefined, jobs: new Map<number, Job>() }));
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  }

  /** How many batch jobs run at once. */
  get batchWorkers(): number {
    return this.batch.length;
  }

  /** The interactive worker's thread id, if it is running (tests and recovery). */
  get threadId(): number | undefined {
    return this.interactive.worker?.threadId;
  }

  /** The thread ids of the running workers, by lane (tests). */
  get threadIds(): { interactive: number | undefined; batch: Array<number | undefined> } {
    return { interactive: this.interactive.worker?.threadId, batch: this.batch.map((s) => s.worker?.threadId) };
  }

  /** Batch jobs waiting for a worker (tests). */
  get queued(): number {
    return this.queue.length;
  }

  run<K extends JobKind>(kind: K, input: JobInput<K>, options: RunOptions<K> = {}): Promise<JobResult<K>> {
    const cancelBuffer = new SharedArrayBuffer(4);
    return new Promise<JobResult<K>>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        kind,
        input,
        deadlineMs: options.deadlineMs ?? JOB_SCHEDULE[kind].deadlineMs,
        cancelBuffer,
        cancelFlag: new Int32Array(cancelBuffer),
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress,
        onPartial: options.onPartial as Job['onPartial'],
        settled: false,
        stopRequested: false,
      };
      if (options.token?.isCancellationRequested) {
        this.settle(job, new JobError('cancelled', 'cancelled'));
        return;
      }
      if (options.token) job.tokenListener = options.token.onCancellationRequested(() => this.cancel(job));
      if ((options.lane ?? JOB_SCHEDULE[kind].lane) === 'interactive') this.start(job, this.interactive);
      else {
        const free = this.freeBatchSlot();
        if (free) this.start(job, free);
        else this.queue.push(job);
      }
    });
  }

  /** Stops every worker; their jobs and the waiting ones fail with `worker-died`. The next job starts afresh. */
  async terminate(): Promise<void> {
    const message = 'the LIM Lens worker was stopped; the job did not finish';
    for (const job of this.queue.splice(0)) this.settle(job, new JobError(message, 'worker-died'));
    const stopping = [this.interactive, ...this.batch].map((slot) => this.retire(slot, message, false));
    await Promise.all(stopping);
  }

  dispose(): void {
    void this.terminate();
  }

  /** An idle batch worker, a running one first; else a slot whose worker has not started yet. */
  private freeBatchSlot(): Slot | undefined {
    const idle = this.batch.filter((s) => s.jobs.size === 0);
    return idle.find((s) => s.worker !== undefined) ?? idle[0];
  }

  private start(job: Job, slot: Slot): void {
    let worker: PoolWorker;
    try {
      worker = this.ensureWorker(slot);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.log.error(`the ${slot.lane} worker could not start: ${reason}`);
      this.settle(job, new JobError(`the LIM Lens worker could not start (${reason})`, 'worker-died'));
      return;
    }
    job.slot = slot;
    slot.jobs.set(job.id, job);
    job.deadlineTimer = setTimeout(() => this.overrun(job), job.deadlineMs);
    worker.postMessage({ type: 'job', id: job.id, kind: job.kind, input: job.input as JobInput<JobKind>, cancelFlag: job.cancelBuffer });
  }

  private ensureWorker(slot: Slot): PoolWorker {
    if (slot.worker) return slot.worker;
    let worker: PoolWorker | undefined = undefined;
    const mine = () => worker !== undefined && slot.worker === worker;
    worker = this.createWorker(slot.lane, {
      message: (m) => {
        if (mine()) this.onMessage(slot, m);
      },
      exit: (reason) => {
        if (!mine()) return;
        this.log.error(`${this.describe(slot)} stopped: ${reason}`);
        void this.retire(slot, `the LIM Lens worker stopped (${reason}); the job did not finish`, false);
      },
    });
    slot.worker = worker;
    this.log.info(`worker started (thread ${worker.threadId}): ${slot.lane === 'interactive' ? 'the interactive worker' : `batch worker ${slot.index + 1} of ${this.batch.length}`}`);
    return worker;
  }

  private describe(slot: Slot): string {
    const name = slot.lane === 'interactive' ? 'interactive worker' : `batch worker ${slot.index + 1} of ${this.batch.length}`;
    return slot.worker ? `${name} (thread ${slot.worker.threadId})` : name;
  }

  private onMessage(slot: Slot, raw: unknown): void {
    const parsed = WorkerToHost.parse(raw);
    if (!parsed.ok) {
      this.log.warn(`dropped a malformed message from the ${this.describe(slot)} (${parsed.reason})`);
      return;
    }
    const m = parsed.value;
    if (m.type === 'ready') return;
    const job = slot.jobs.get(m.id);
    if (!job) return;
    switch (m.type) {
      case 'progress':
        if (!job.settled) job.onProgress?.(m.fraction, m.message);
        break;
      case 'partial': {
        if (job.settled || !job.onPartial) break;
        const p = parseJobPartial(job.kind, m.data);
        if (p.ok) job.onPartial(p.value);
        else this.log.warn(`dropped a malformed partial result of ${job.kind} job ${job.id} (${p.reason})`);
        break;
      }
      case 'result':
        this.finish(job);
        this.settle(job, undefined, m.data);
        this.pump();
        break;
      case 'error':
        this.finish(job);
        this.settle(job, new JobError(m.message, m.code));
        this.pump();
        break;
    }
  }

  /** A cancelled token: a waiting job is dropped at once; a running one is asked to stop and answers as it does. */
  private cancel(job: Job): void {
    if (job.settled) return;
    const waiting = this.queue.indexOf(job);
    if (waiting >= 0) {
      this.queue.splice(waiting, 1);
      this.settle(job, new JobError('cancelled', 'cancelled'));
      return;
    }
    this.requestStop(job);
  }

  private overrun(job: Job): void {
    job.deadlineTimer = undefined;
    if (!job.slot) return;
    this.log.warn(`${job.kind} job ${job.id} passed its deadline of ${job.deadlineMs} ms on the ${this.describe(job.slot)}: cancelled`);
    this.settle(job, new JobError(`the ${job.kind} job did not finish within its deadline of ${job.deadlineMs} ms and was cancelled`, 'timeout'));
    this.requestStop(job);
  }

  /** Sets the job's shared flag (read between simulation steps) and sends `cancel`; a worker that stays silent is stuck. */
  private requestStop(job: Job): void {
    const slot = job.slot;
    if (job.stopRequested || !slot) return;
    job.stopRequested = true;
    Atomics.store(job.cancelFlag, 0, 1);
    slot.worker?.postMessage({ type: 'cancel', id: job.id });
    job.graceTimer = setTimeout(() => {
      job.graceTimer = undefined;
      if (slot.jobs.get(job.id) !== job) return;
      this.log.error(`${this.describe(slot)} has not answered ${job.kind} job ${job.id} ${this.graceMs} ms after cancelling it: stopped; the next job starts a fresh worker`);
      void this.retire(slot, `the LIM Lens worker stopped answering (its ${job.kind} job ${job.id} did not stop when cancelled) and was replaced; the job did not finish`, true);
    }, this.graceMs);
  }

  /** The job left its worker: timers off, listener disposed. */
  private finish(job: Job): void {
    if (job.deadlineTimer) clearTimeout(job.deadlineTimer);
    if (job.graceTimer) clearTimeout(job.graceTimer);
    job.deadlineTimer = job.graceTimer = undefined;
    if (job.slot?.jobs.get(job.id) === job) job.slot.jobs.delete(job.id);
    job.tokenListener?.dispose();
    job.tokenListener = undefined;
  }

  private settle(job: Job, error: Error | undefined, data?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    job.tokenListener?.dispose();
    job.tokenListener = undefined;
    if (error) job.reject(error);
    else job.resolve(data);
  }

  /**
   * Stops a slot's worker and fails its jobs: a job its caller cancelled fails with `cancelled`, the others with
   * `worker-died`. Waiting batch jobs then go to the workers that are free.
   */
  private async retire(slot: Slot, message: string, stuck: boolean): Promise<void> {
    const worker = slot.worker;
    slot.worker = undefined;
    const jobs = [...slot.jobs.values()];
    for (const job of jobs) {
      this.finish(job);
      this.settle(job, stuck && job.stopRequested ? new JobError(`cancelled; ${message}`, 'cancelled') : new JobError(message, 'worker-died'));
    }
    this.pump();
    try {
      await worker?.terminate();
    } catch (e) {
      this.log.warn(`stopping the ${slot.lane} worker: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Starts waiting batch jobs on free batch workers, oldest first. */
  private pump(): void {
    while (this.queue.length > 0) {
      const free = this.freeBatchSlot();
      if (!free) return;
      this.start(this.queue.shift()!, free);
    }
  }
}

/**
 * Runs items 0 … count − 1 side by side on `lanes` lanes: each lane takes the next item when its previous one ends,
 * so items start in order and at most `lanes` run at once; no item starts once `stopped()` says so. A simulation
 * batch uses one lane per batch worker: every run of a comparison of up to that many starts at once.
 */
export async function runInLanes(count: number, lanes: number, run: (index: number) => Promise<void>, stopped: () => boolean = () => false): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count && !stopped()) await run(next++);
  };
  await Promise.all(Array.from({ length: Math.max(0, Math.min(lanes, count)) }, lane));
}

/** The clock a StreamBuffer reads and sets its timer with (tests pass a fake one). */
export interface StreamClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_CLOCK: StreamClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Coalesces what a job streams (a simulation's `partial` points) and forwards it at most every `everyMs`: the
 * first items after a quiet interval at once, items meanwhile in one batch when the interval ends, in order.
 * `flush()` forwards what is buffered now (the job ended: its last items go before its result).
 */
export class StreamBuffer<T> {
  private pending: T[] = [];
  private lastAt = -Infinity;
  private timer: unknown;

  constructor(
    private readonly send: (items: T[]) => void,
    private readonly everyMs: number,
    private readonly clock: StreamClock = REAL_CLOCK,
  ) {}

  push(items: readonly T[]): void {
    if (items.length === 0) return;
    for (const x of items) this.pending.push(x);
    if (this.timer !== undefined) return;
    const wait = this.lastAt + this.everyMs - this.clock.now();
    if (wait <= 0) this.flush();
    else this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.lastAt = this.clock.now();
    this.send(items);
  }

  /** Items waiting for the interval to end (tests). */
  get buffered(): number {
    return this.pending.length;
  }
}

/**
 * One job shared by several callers (the hover, the CodeLens and the problems all wait for the same analysis):
 * it is cancelled only when every caller that joined with a token has cancelled and none joined without one.
 * Each caller's cancellation listener is disposed when the job ends.
 */
export class SharedJob<T> {
  readonly promise: Promise<T>;
  private readonly source = new CancelSource();
  /** Callers that may still cancel. */
  private waiting = 0;
  /** A caller joined without a token: it waits to the end, so the job is never cancelled. */
  private pinned = false;
  private ended = false;

  /** `onCancelled` runs when the last caller cancelled (e.g. to drop the job from a cache). */
  constructor(
    start: (token: CancelToken) => Promise<T>,
    private readonly onCancelled?: () => void,
  ) {
    this.promise = start(this.source.token);
    const end = () => {
      this.ended = true;
    };
    this.promise.then(end, end);
  }

  /** True once every caller cancelled and the job was asked to stop. */
  get cancelled(): boolean {
    return this.source.isCancellationRequested;
  }

  /** Callers still waiting that may cancel (tests). */
  get waitingCallers(): number {
    return this.waiting;
  }

  /** Joins as one more caller and returns the shared promise. */
  join(token?: CancelToken): Promise<T> {
    if (!token) {
      this.pinned = true;
      return this.promise;
    }
    if (token.isCancellationRequested) {
      this.check();
      return this.promise;
    }
    this.waiting++;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      listener.dispose();
      this.waiting--;
      this.check();
    };
    const listener = token.onCancellationRequested(leave);
    const dispose = () => listener.dispose();
    this.promise.then(dispose, dispose);
    return this.promise;
  }

  private check(): void {
    if (this.ended || this.pinned || this.waiting > 0 || this.source.isCancellationRequested) return;
    this.source.cancel();
    this.onCancelled?.();
  }
}
