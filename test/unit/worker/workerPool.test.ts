// The worker pool's scheduling policy (src/extension/workerPool.ts), driven with fake workers: lanes, the batch
// queue, deadlines, stuck workers, cancellation, and jobs shared by several callers. Ordering, never timing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { batchPoolSize, CancelSource, JobError, MAX_BATCH_WORKERS, runInLanes, SharedJob, StreamBuffer, WorkerPool, type PoolWorker, type StreamClock, type WorkerEvents } from '../../../src/extension/workerPool';
import { OverallProgress } from '../../../src/extension/workerPoolProgress';
import { JOB_KINDS, JOB_SCHEDULE, type JobLane } from '../../../src/protocol/jobs';
import type { HostToWorker } from '../../../src/protocol/worker';

type JobMessage = Extract<HostToWorker, { type: 'job' }>;

/** A worker the test answers by hand. `onCancel` says what it does with a cancel: answer it, or nothing (stuck). */
class FakeWorker implements PoolWorker {
  static nextThread = 1;
  readonly threadId = FakeWorker.nextThread++;
  readonly jobs: JobMessage[] = [];
  readonly cancels: number[] = [];
  terminated = false;
  constructor(
    readonly lane: JobLane,
    readonly events: WorkerEvents,
    private readonly onCancel: 'answer' | 'ignore',
  ) {}
  postMessage(m: HostToWorker): void {
    if (m.type === 'job') this.jobs.push(m);
    else {
      this.cancels.push(m.id);
      if (this.onCancel === 'answer') queueMicrotask(() => this.events.message({ type: 'error', id: m.id, message: 'cancelled', code: 'cancelled' }));
    }
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(id: number, data: unknown = { ok: id }): void {
    this.events.message({ type: 'result', id, data });
  }
  flagged(id: number): boolean {
    const job = this.jobs.find((j) => j.id === id);
    return job?.cancelFlag !== undefined && Atomics.load(new Int32Array(job.cancelFlag), 0) !== 0;
  }
}

interface Harness {
  pool: WorkerPool;
  workers: FakeWorker[];
  logs: string[];
  of(lane: JobLane): FakeWorker[];
}

function harness(opts: { batchWorkers?: number; graceMs?: number; onCancel?: 'answer' | 'ignore' } = {}): Harness {
  const workers: FakeWorker[] = [];
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) };
  const pool = new WorkerPool(
    (lane, events) => {
      const w = new FakeWorker(lane, events, opts.onCancel ?? 'answer');
      workers.push(w);
      return w;
    },
    log,
    { batchWorkers: opts.batchWorkers ?? 2, graceMs: opts.graceMs ?? 20 },
  );
  return { pool, workers, logs, of: (lane) => workers.filter((w) => w.lane === lane) };
}

const tick = () => new Promise<void>((r) => setImmediate(r));
const bounds = { params: 1e9, flops: 6e18 };
const simulate = { config: {} as never };
const code = (c: string) => (e: unknown) => e instanceof JobError && e.code === c;

describe('JOB_SCHEDULE: one lane and one deadline per job kind', () => {
  test('every job kind has a lane and a positive deadline; JOB_KINDS comes from the table', () => {
    assert.deepEqual([...JOB_KINDS].sort(), Object.keys(JOB_SCHEDULE).sort());
    for (const k of JOB_KINDS) {
      assert.ok(['interactive', 'batch'].includes(JOB_SCHEDULE[k].lane), k);
      assert.ok(JOB_SCHEDULE[k].deadlineMs > 0, k);
    }
  });
  test('what the editor waits for is interactive; simulations, planning and exports are batch', () => {
    for (const k of ['analyze', 'fieldInfo', 'energyView', 'bounds'] as const) assert.equal(JOB_SCHEDULE[k].lane, 'interactive', k);
    for (const k of ['simulate', 'planSimulations', 'aihwkitScript'] as const) assert.equal(JOB_SCHEDULE[k].lane, 'batch', k);
  });
});

describe('worker pool: lanes', () => {
  test('no worker starts before a job; an interactive job starts the interactive worker only', async () => {
    const h = harness();
    assert.equal(h.workers.length, 0);
    const p = h.pool.run('bounds', bounds);
    assert.deepEqual(h.workers.map((w) => w.lane), ['interactive']);
    h.workers[0].answer(h.workers[0].jobs[0].id);
    assert.deepEqual(await p, { ok: 1 });
    assert.equal(h.pool.threadId, h.workers[0].threadId);
  });

  test('an interactive job is answered while every batch worker is busy: it never queues behind a simulation', async () => {
    const h = harness({ batchWorkers: 2 });
    const order: string[] = [];
    const sims = [1, 2, 3].map((i) => h.pool.run('simulate', simulate).then(() => order.push(`sim ${i}`)));
    const hover = h.pool.run('analyze', { docs: [], files: {}, assumptions: {}, detail: 'full' } as never).then(() => order.push('hover'));
    assert.equal(h.of('batch').length, 2, 'two batch workers for the first two runs');
    assert.equal(h.pool.queued, 1, 'the third run waits');
    const [interactive] = h.of('interactive');
    assert.equal(interactive.jobs.length, 1, 'the analysis went to the interactive worker at once');
    interactive.answer(interactive.jobs[0].id, []);
    await hover;
    assert.deepEqual(order, ['hover'], 'answered before any simulation finished');
    for (const w of h.of('batch')) w.answer(w.jobs[0].id);
    await tick();
    const third = h.of('batch').find((w) => w.jobs.length === 2);
    assert.ok(third, 'the waiting run went to the first batch worker that became free');
    third.answer(third.jobs[1].id);
    await Promise.all(sims);
    assert.deepEqual(order, ['hover', 'sim 1', 'sim 2', 'sim 3']);
    assert.equal(h.workers.length, 3, 'no worker beyond one interactive and two batch');
  });

  test('waiting batch jobs start first in, first out; each batch worker runs one job at a time', async () => {
    const h = harness({ batchWorkers: 1 });
    const runs = [0, 1, 2, 3].map(() => h.pool.run('simulate', simulate));
    const [w] = h.of('batch');
    for (let i = 0; i < 4; i++) {
      assert.equal(w.jobs.length, i + 1, `job ${i + 1} posted only after job ${i} answered`);
      w.answer(w.jobs[i].id);
      await tick();
    }
    assert.deepEqual(w.jobs.map((j) => j.id), [1, 2, 3, 4]);
    await Promise.all(runs);
  });

  test('a batch pool of 0 or NaN workers still has one', () => {
    assert.equal(harness({ batchWorkers: 0 }).pool.batchWorkers, 1);
    assert.equal(harness({ batchWorkers: NaN }).pool.batchWorkers, 1);
  });

  test('the batch pool is sized from the cores: one more than the cores, at least 2, at most MAX_BATCH_WORKERS', () => {
    assert.deepEqual([1, 2, 3, 4, 6].map(batchPoolSize), [2, 3, 4, 5, 7]);
    assert.equal(batchPoolSize(64), MAX_BATCH_WORKERS, 'a sweep of many runs on a big machine holds a bounded number of threads');
    for (const bad of [0, -1, NaN, Infinity]) assert.equal(batchPoolSize(bad), 2, String(bad));
    assert.equal(batchPoolSize(2.5), 3);
  });

  test('on 2 cores a three-algorithm comparison runs all at once; a longer sweep waits first in, first out beyond the pool', async () => {
    const h = harness({ batchWorkers: batchPoolSize(2) });
    const order: number[] = [];
    const comparison = [1, 2, 3].map((i) => h.pool.run('simulate', simulate).then(() => order.push(i)));
    assert.equal(h.of('batch').length, 3, 'three batch workers, one run each');
    assert.ok(h.of('batch').every((w) => w.jobs.length === 1));
    assert.equal(h.pool.queued, 0, 'none of the three waits');
    const sweep = [4, 5, 6, 7, 8].map((i) => h.pool.run('simulate', simulate).then(() => order.push(i)));
    assert.equal(h.pool.queued, 5, 'the sweep waits; no fourth batch worker starts');
    assert.equal(h.of('batch').length, 3);
    // Each finished run frees a worker for the oldest waiting one.
    const answered = new Set<number>();
    for (let n = 0; n < 8; n++) {
      const job = h.of('batch').flatMap((w) => w.jobs.map((j) => ({ w, id: j.id }))).filter((j) => !answered.has(j.id)).sort((a, b) => a.id - b.id)[0];
      assert.ok(job, `a running job (${n})`);
      assert.ok(h.of('batch').every((w) => w.jobs.filter((j) => !answered.has(j.id)).length <= 1), 'one job at a time on each worker');
      answered.add(job.id);
      job.w.answer(job.id);
      await tick();
    }
    await Promise.all([...comparison, ...sweep]);
    assert.deepEqual(order.slice(3), [4, 5, 6, 7, 8], 'the sweep ran in order');
    assert.equal(h.workers.length, 3, 'no worker beyond the three batch workers');
  });
});

describe('runInLanes: the simulation runner\'s schedule', () => {
  test('a comparison of up to `lanes` runs starts at once; more start in order as lanes free; none after stop', async () => {
    const started: number[] = [];
    const finish = new Map<number, () => void>();
    let running = 0;
    let most = 0;
    let stop = false;
    const run = (i: number) =>
      new Promise<void>((resolve) => {
        started.push(i);
        most = Math.max(most, ++running);
        finish.set(i, () => {
          running--;
          resolve();
        });
      });
    const done = runInLanes(6, 3, run, () => stop);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, [0, 1, 2], 'three lanes: the first three runs start together');
    finish.get(1)!();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, [0, 1, 2, 3], 'the next run takes the lane that freed');
    stop = true;
    for (const i of [0, 2, 3]) finish.get(i)!();
    await done;
    assert.deepEqual(started, [0, 1, 2, 3], 'nothing starts once stopped');
    assert.equal(most, 3);
    await runInLanes(0, 3, run);
    assert.equal(started.length, 4, 'no items, no runs');
  });
});

describe('worker pool: deadlines and stuck workers', () => {
  test('a job past its deadline fails with timeout, is cancelled (flag and message) and logged; the next job works', async () => {
    const h = harness();
    const late = h.pool.run('simulate', simulate, { deadlineMs: 5 });
    await assert.rejects(late, (e: unknown) => code('timeout')(e) && /deadline of 5 ms/.test((e as Error).message));
    const [w] = h.of('batch');
    assert.deepEqual(w.cancels, [1]);
    assert.ok(w.flagged(1), 'the shared flag is set');
    assert.ok(h.logs.some((l) => /^warn simulate job 1 passed its deadline of 5 ms/.test(l)), h.logs.join('\n'));
    await tick(); // the worker answers the cancel
    const next = h.pool.run('simulate', simulate);
    assert.equal(w.jobs.length, 2, 'the same worker takes the next job');
    w.answer(2);
    assert.deepEqual(await next, { ok: 2 });
    assert.ok(!w.terminated);
  });

  test('a worker that does not answer a cancelled job is stuck: it is stopped, its jobs fail, the next job gets a fresh worker', async () => {
    const h = harness({ graceMs: 10, onCancel: 'ignore' });
    const stuck = h.pool.run('analyze', { docs: [], files: {}, assumptions: {}, detail: 'full' } as never, { deadlineMs: 5 });
    const behind = h.pool.run('fieldInfo', { doc: { path: '/a', text: '' }, files: {}, assumptions: {}, offset: 0 } as never);
    const [first] = h.of('interactive');
    await assert.rejects(stuck, code('timeout'));
    await assert.rejects(behind, (e: unknown) => code('worker-died')(e) && /stopped answering/.test((e as Error).message));
    assert.ok(first.terminated, 'the stuck worker was terminated');
    assert.ok(h.logs.some((l) => /^error interactive worker \(thread \d+\) has not answered analyze job 1/.test(l)), h.logs.join('\n'));
    assert.equal(h.pool.threadId, undefined, 'no interactive worker until the next job');
    const again = h.pool.run('bounds', bounds);
    const [, second] = h.of('interactive');
    assert.ok(second && second !== first, 'a replacement worker');
    first.answer(1); // the old worker's late answer changes nothing
    second.answer(second.jobs[0].id, 'fresh');
    assert.equal(await again, 'fresh');
    assert.equal(h.pool.threadId, second.threadId);
  });

  test('a stuck batch worker is replaced and the waiting batch job runs on the replacement', async () => {
    const h = harness({ batchWorkers: 1, graceMs: 10, onCancel: 'ignore' });
    const stuck = h.pool.run('simulate', simulate, { deadlineMs: 5 });
    const waiting = h.pool.run('simulate', simulate);
    await assert.rejects(stuck, code('timeout'));
    await waitFor(() => h.of('batch').length === 2);
    const [old, fresh] = h.of('batch');
    assert.ok(old.terminated);
    assert.deepEqual(fresh.jobs.map((j) => j.id), [2]);
    fresh.answer(2);
    assert.deepEqual(await waiting, { ok: 2 });
  });

  test('a worker that exits fails the jobs it held with worker-died; the next job starts a fresh one', async () => {
    const h = harness();
    const running = h.pool.run('bounds', bounds);
    const [w] = h.of('interactive');
    w.events.exit('exit code 1');
    await assert.rejects(running, (e: unknown) => code('worker-died')(e) && /exit code 1/.test((e as Error).message));
    const next = h.pool.run('bounds', bounds);
    assert.equal(h.of('interactive').length, 2);
    h.of('interactive')[1].answer(2);
    await next;
  });

  test('terminate() fails running and waiting jobs; the next job starts afresh', async () => {
    const h = harness({ batchWorkers: 1 });
    const running = h.pool.run('simulate', simulate);
    const waiting = h.pool.run('simulate', simulate);
    const checks = [assert.rejects(running, code('worker-died')), assert.rejects(waiting, code('worker-died'))];
    await h.pool.terminate();
    await Promise.all(checks);
    assert.ok(h.workers.every((w) => w.terminated));
    assert.deepEqual(h.of('batch')[0].jobs.map((j) => j.id), [1], 'the waiting job was never posted');
  });
});

describe('worker pool: cancellation', () => {
  test('a cancelled token stops a running job through its flag and a message; the job answers as it stops', async () => {
    const h = harness();
    const source = new CancelSource();
    const p = h.pool.run('simulate', simulate, { token: source.token });
    source.cancel();
    const [w] = h.of('batch');
    assert.ok(w.flagged(1));
    assert.deepEqual(w.cancels, [1]);
    await assert.rejects(p, code('cancelled'));
  });

  test('a waiting batch job whose token is cancelled fails at once and is never posted', async () => {
    const h = harness({ batchWorkers: 1 });
    const source = new CancelSource();
    const first = h.pool.run('simulate', simulate);
    const second = h.pool.run('simulate', simulate, { token: source.token });
    source.cancel();
    await assert.rejects(second, code('cancelled'));
    h.of('batch')[0].answer(1);
    await first;
    assert.deepEqual(h.of('batch')[0].jobs.map((j) => j.id), [1]);
  });

  test('an already-cancelled token: the job fails without reaching a worker', async () => {
    const h = harness();
    const source = new CancelSource();
    source.cancel();
    await assert.rejects(h.pool.run('bounds', bounds, { token: source.token }), code('cancelled'));
    assert.equal(h.workers.length, 0);
  });

  test('the cancellation listener is disposed when the job ends (result, error or timeout)', async () => {
    const h = harness();
    const source = new CancelSource();
    const ok = h.pool.run('bounds', bounds, { token: source.token });
    const failing = h.pool.run('bounds', bounds, { token: source.token });
    const late = h.pool.run('bounds', bounds, { token: source.token, deadlineMs: 5 });
    assert.equal(source.listenerCount, 3);
    const [w] = h.of('interactive');
    w.answer(1);
    w.events.message({ type: 'error', id: 2, message: 'no', code: 'failed' });
    await ok;
    await assert.rejects(failing, code('failed'));
    await assert.rejects(late, code('timeout'));
    assert.equal(source.listenerCount, 0);
  });
});

describe('SharedJob: one job, several callers', () => {
  function shared() {
    let token: { isCancellationRequested: boolean } | undefined;
    let finish!: (v: string) => void;
    let dropped = 0;
    const job = new SharedJob<string>(
      (t) => {
        token = t;
        return new Promise<string>((resolve, reject) => {
          finish = resolve;
          t.onCancellationRequested(() => reject(new JobError('cancelled', 'cancelled')));
        });
      },
      () => dropped++,
    );
    return { job, finish: (v: string) => finish(v), jobCancelled: () => token?.isCancellationRequested === true, dropped: () => dropped };
  }

  test('cancelled only when every caller has cancelled', async () => {
    const s = shared();
    const hover = new CancelSource();
    const lens = new CancelSource();
    const a = s.job.join(hover.token);
    const b = s.job.join(lens.token);
    hover.cancel();
    assert.equal(s.jobCancelled(), false, 'the CodeLens still waits');
    assert.equal(s.job.waitingCallers, 1);
    lens.cancel();
    assert.equal(s.jobCancelled(), true, 'no one waits any more');
    assert.equal(s.dropped(), 1, 'the cache is told to drop it');
    await assert.rejects(a, code('cancelled'));
    await assert.rejects(b, code('cancelled'));
  });

  test('a caller without a token (the problems) keeps the job running when the others cancel', async () => {
    const s = shared();
    const hover = new CancelSource();
    const a = s.job.join(hover.token);
    const diagnostics = s.job.join();
    hover.cancel();
    assert.equal(s.jobCancelled(), false);
    s.finish('done');
    assert.equal(await a, 'done');
    assert.equal(await diagnostics, 'done');
    assert.equal(s.dropped(), 0);
  });

  test('a caller that joins after another cancelled keeps it alive; listeners are disposed when it ends', async () => {
    const s = shared();
    const first = new CancelSource();
    const second = new CancelSource();
    void s.job.join(first.token).catch(() => undefined);
    const b = s.job.join(second.token);
    first.cancel();
    const third = new CancelSource();
    const c = s.job.join(third.token);
    second.cancel();
    assert.equal(s.jobCancelled(), false, 'the third caller still waits');
    s.finish('ok');
    assert.equal(await c, 'ok');
    assert.equal(await b, 'ok');
    assert.equal(third.listenerCount, 0, 'its listener was disposed when the job ended');
    third.cancel();
    assert.equal(s.jobCancelled(), false, 'a cancel after the end changes nothing');
  });

  test('a caller whose token is already cancelled, alone, cancels the job', async () => {
    const s = shared();
    const gone = new CancelSource();
    gone.cancel();
    await assert.rejects(s.job.join(gone.token), code('cancelled'));
    assert.equal(s.jobCancelled(), true);
  });
});

describe('OverallProgress: the notification of runs side by side', () => {
  test('the overall fraction is the mean of the runs, whatever order they report in, and ends at 100 %', () => {
    const p = new OverallProgress(3);
    let sum = 0;
    const add = (run: number, f: number) => (sum += p.set(run, f));
    add(0, 1); // the old code reported 100 % here: the first run's end
    assert.ok(Math.abs(sum - 100 / 3) < 1e-9, String(sum));
    add(1, 0.5);
    add(2, 0.5);
    assert.ok(Math.abs(sum - 200 / 3) < 1e-9, String(sum));
    add(1, 1);
    add(2, 1);
    assert.ok(Math.abs(sum - 100) < 1e-9, String(sum));
    assert.equal(p.set(2, 1), 0, 'nothing more once all are done');
  });
  test('never above 100 % nor backwards: fractions are clamped, a lower fraction reports nothing', () => {
    const p = new OverallProgress(2);
    let sum = p.set(0, 0.8);
    assert.equal(p.set(0, 0.2), 0);
    sum += p.set(0, 5) + p.set(1, 7) + p.set(1, NaN) + p.set(4, 1) + p.set(-1, 1);
    assert.ok(Math.abs(sum - 100) < 1e-9 && p.percent <= 100, String(sum));
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), 'condition never held');
}

describe('StreamBuffer: a job\'s streamed items, forwarded at most every interval', () => {
  /** A clock the test moves by hand; its timers run when the time passes them. */
  function fakeClock(): StreamClock & { advance(ms: number): void; timers: number } {
    let t = 1000;
    let nextId = 1;
    const timers = new Map<number, { at: number; fn: () => void }>();
    return {
      now: () => t,
      setTimeout: (fn, ms) => {
        timers.set(nextId, { at: t + ms, fn });
        return nextId++;
      },
      clearTimeout: (h) => void timers.delete(h as number),
      advance(ms: number) {
        t += ms;
        for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
          if (timer.at > t || !timers.has(id)) continue;
          timers.delete(id);
          timer.fn();
        }
      },
      get timers() {
        return timers.size;
      },
    };
  }

  test('the first batch goes at once; batches within the interval go together when it ends, in order', () => {
    const clock = fakeClock();
    const sent: number[][] = [];
    const b = new StreamBuffer<number>((xs) => sent.push(xs), 200, clock);
    b.push([1, 2]);
    assert.deepEqual(sent, [[1, 2]], 'at once');
    clock.advance(50);
    b.push([3]);
    clock.advance(50);
    b.push([4, 5]);
    assert.deepEqual(sent, [[1, 2]], 'held: 100 ms since the last message');
    assert.equal(b.buffered, 3);
    assert.equal(clock.timers, 1, 'one timer, however many batches came');
    clock.advance(100);
    assert.deepEqual(sent, [[1, 2], [3, 4, 5]], 'forwarded 200 ms after the previous message');
    clock.advance(500);
    b.push([6]);
    assert.deepEqual(sent.at(-1), [6], 'after a quiet interval, at once again');
  });

  test('flush forwards what is buffered at once (the job ended) and cancels the timer; an empty flush sends nothing', () => {
    const clock = fakeClock();
    const sent: string[][] = [];
    const b = new StreamBuffer<string>((xs) => sent.push(xs), 200, clock);
    b.push(['a']);
    clock.advance(10);
    b.push(['b']);
    b.push(['c']);
    b.flush();
    assert.deepEqual(sent, [['a'], ['b', 'c']]);
    assert.equal(clock.timers, 0);
    b.flush();
    b.push([]);
    assert.equal(sent.length, 2, 'nothing more to send');
    clock.advance(1000);
    assert.equal(sent.length, 2);
  });

  test('20 batches a second from each of three jobs become at most 5 messages a second each, every item kept', () => {
    const clock = fakeClock();
    const sent: Array<{ job: number; items: number[] }> = [];
    const buffers = [0, 1, 2].map((job) => new StreamBuffer<number>((items) => sent.push({ job, items }), 200, clock));
    for (let i = 0; i < 40; i++) {
      for (const [job, b] of buffers.entries()) b.push([job * 1000 + i]);
      clock.advance(50);
    }
    for (const b of buffers) b.flush();
    for (const job of [0, 1, 2]) {
      const mine = sent.filter((m) => m.job === job);
      assert.ok(mine.length <= 11, `job ${job}: ${mine.length} messages for 2 s of streaming`);
      assert.deepEqual(mine.flatMap((m) => m.items), Array.from({ length: 40 }, (_, i) => job * 1000 + i), 'every item, in order');
    }
  });
});
