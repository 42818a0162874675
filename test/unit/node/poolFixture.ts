// The worker entry of test/unit/node/pool.test.ts: tasks that answer, sleep, throw, spin or kill their thread.
import { threadId } from 'node:worker_threads';
import { isPoolWorker, serveTasks } from '../../../src/node/pool';

export type FixtureTask = { op: 'echo'; value: number; sleepMs?: number } | { op: 'throw'; message: string } | { op: 'exit'; code: number } | { op: 'spin' } | { op: 'poll' };

if (isPoolWorker('fixture')) {
  serveTasks((input, ctx) => {
    const t = input as FixtureTask;
    switch (t.op) {
      case 'echo':
        if (t.sleepMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, t.sleepMs);
        return { value: t.value, shared: ctx.shared, thread: threadId };
      case 'throw':
        throw new RangeError(t.message);
      case 'exit':
        process.exit(t.code);
        break;
      case 'spin':
        // Never yields and never polls: only terminating the thread ends it.
        for (;;);
      case 'poll': {
        // A cooperative task: returns once the pool asks its workers to stop.
        while (!ctx.isCancelled()) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        return 'stopped';
      }
    }
  });
}
