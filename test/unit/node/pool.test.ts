// src/node/pool.ts with real worker threads: results in task order, a failing task named in the error, a dead
// worker named by its task, cancellation of a task that never yields, and no thread left behind.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PoolCancelledError, PoolTaskError, runTasks, type PoolTask } from '../../../src/node/pool';
import type { FixtureTask } from './poolFixture';

const ENTRY = join(__dirname, 'poolFixture.ts');
const run = (tasks: Array<PoolTask<FixtureTask>>, jobs: number, signal?: AbortSignal, shared?: unknown) =>
  runTasks<FixtureTask, { value: number; shared: unknown; thread: number }>(ENTRY, 'fixture', tasks, { jobs, signal, shared });

describe('worker-thread pool (src/node/pool.ts)', () => {
  test('results come back in task order, whatever order the workers finish in; each worker gets the shared values', async () => {
    // The first task sleeps longest, so the others finish before it.
    const tasks = [120, 10, 60, 0, 30].map((sleepMs, value) => ({ name: `t${value}`, input: { op: 'echo' as const, value, sleepMs } }));
    const shared = { data: new Float32Array([1.5, 2.5]) };
    const out = await run(tasks, 3, undefined, shared);
    assert.deepEqual(out.map((r) => r.value), [0, 1, 2, 3, 4]);
    for (const r of out) assert.deepEqual(r.shared, shared);
    assert.equal(new Set(out.map((r) => r.thread)).size, 3, 'three worker threads shared the five tasks');
  });

  test('never more workers than tasks, and jobs = 1 runs them on one thread', async () => {
    const one = await run([0, 1, 2].map((value) => ({ name: `t${value}`, input: { op: 'echo', value } })), 1);
    assert.equal(new Set(one.map((r) => r.thread)).size, 1);
    const two = await run([0, 1].map((value) => ({ name: `t${value}`, input: { op: 'echo', value, sleepMs: 50 } })), 8);
    assert.equal(new Set(two.map((r) => r.thread)).size, 2);
    assert.deepEqual(await run([], 4), []);
  });

  test('a task that throws fails the run with an error naming it; a task that never yields on another worker is stopped', async () => {
    const t0 = Date.now();
    await assert.rejects(
      run([{ name: 'spinner', input: { op: 'spin' } }, { name: 'tiki-taka, lr = 0.1', input: { op: 'throw', message: 'lr must be positive' } }], 2),
      (e: unknown) => e instanceof PoolTaskError && e.task === 'tiki-taka, lr = 0.1' && e.index === 1 && e.message === 'tiki-taka, lr = 0.1: lr must be positive',
    );
    assert.ok(Date.now() - t0 < 5_000, 'the spinning worker was terminated, not waited for');
  });

  test('a worker thread that dies fails the run with the name of the task it held', async () => {
    await assert.rejects(
      run([{ name: 'ok', input: { op: 'echo', value: 1 } }, { name: 'analog-sgd, tau = 0.7', input: { op: 'exit', code: 3 } }], 2),
      (e: unknown) => e instanceof PoolTaskError && e.task === 'analog-sgd, tau = 0.7' && /exit code 3/.test(e.message),
    );
  });

  test('an input that cannot be sent to a thread fails the run with its task named, not the process', async () => {
    await assert.rejects(
      runTasks(ENTRY, 'fixture', [{ name: 'ok', input: { op: 'echo', value: 1 } }, { name: 'with a function', input: { op: 'echo', value: 2, f: () => 1 } }], { jobs: 2 }),
      (e: unknown) => e instanceof PoolTaskError && e.task === 'with a function' && /cannot be sent to a worker thread/.test(e.message),
    );
  });

  test('aborting stops every worker, a cooperative one and one that never yields, and rejects with PoolCancelledError', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const p = run([{ name: 'spin', input: { op: 'spin' } }, { name: 'poll', input: { op: 'poll' } }], 2, ac.signal);
    setTimeout(() => ac.abort(), 300);
    await assert.rejects(p, PoolCancelledError);
    assert.ok(Date.now() - t0 < 5_000, `stopped after ${Date.now() - t0} ms`);
    const already = new AbortController();
    already.abort();
    await assert.rejects(run([{ name: 'x', input: { op: 'echo', value: 1 } }], 1, already.signal), PoolCancelledError);
  });

  test('no thread outlives the call: a process whose run failed exits by itself', () => {
    // The child neither calls process.exit nor unrefs anything: a worker left running would keep it alive.
    const script = `
      const { runTasks } = require(${JSON.stringify(join(__dirname, '..', '..', '..', 'src', 'node', 'pool.ts'))});
      runTasks(${JSON.stringify(ENTRY)}, 'fixture', [
        { name: 'spinner', input: { op: 'spin' } },
        { name: 'poller', input: { op: 'poll' } },
        { name: 'bad run', input: { op: 'throw', message: 'boom' } },
      ], { jobs: 3 }).then(() => console.log('resolved'), (e) => console.log('rejected: ' + e.message));`;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 30_000, cwd: join(__dirname, '..', '..', '..') });
    assert.equal(r.signal, null, `the process had to be killed after ${Date.now() - t0} ms: a worker kept it alive\n${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'rejected: bad run: boom');
  });
});
