// The extension host as a receiver of the worker's messages (src/extension/workerPool.ts, driven by a fake worker):
// it drops exactly what the protocol's schemas refuse, logging each once, and hands a job's caller exactly the
// partial results its kind's schema accepts. The mutations come from the schemas (mutations.ts), so a field added to
// a message or a partial is covered here as well.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type * as v from 'valibot';
import { JobError, WorkerPool, type PoolWorker, type WorkerEvents } from '../../../src/extension/workerPool';
import { JOB_PARTIALS } from '../../../src/protocol/jobs';
import { WorkerToHost, type HostToWorker } from '../../../src/protocol/worker';
import { mutations, sample } from './mutations';

type Options = { options: Array<v.ObjectSchema<v.ObjectEntries, undefined>> };
const optionOf = (type: string) => (WorkerToHost.schema as unknown as Options).options.find((o) => (o.entries.type as v.LiteralSchema<string, undefined>).literal === type) as unknown as v.GenericSchema;

function pool() {
  let events: WorkerEvents | undefined;
  const jobs: number[] = [];
  const logs: string[] = [];
  const worker: PoolWorker = {
    threadId: 1,
    postMessage: (m: HostToWorker) => void (m.type === 'job' && jobs.push(m.id)),
    terminate: () => undefined,
  };
  const p = new WorkerPool(
    (_lane, e) => {
      events = e;
      return worker;
    },
    { info: () => undefined, warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    { batchWorkers: 1, graceMs: 10 },
  );
  return { pool: p, jobs, logs, send: (m: unknown) => events?.message(m) };
}

const malformed = (logs: string[]) => logs.filter((l) => l.startsWith('dropped a malformed message'));
const malformedPartials = (logs: string[]) => logs.filter((l) => l.startsWith('dropped a malformed partial result'));

describe('protocol receivers: the worker pool', () => {
  test('drops exactly the progress, partial, result and error mutations the schema refuses, one log each', async () => {
    const { pool: p, jobs, logs, send } = pool();
    const progress: Array<number> = [];
    const job = p.run('simulate', { config: {} as never }, { onProgress: (f) => progress.push(f), onPartial: () => undefined });
    const id = jobs[0];
    let refused = 0;
    let acceptedProgress = 0;
    for (const type of ['progress', 'partial', 'error', 'result']) {
      const base = { ...(sample(optionOf(type)) as object), id };
      for (const mu of mutations(optionOf(type), base, 'clone')) {
        // A mutated id names no job: the message is well formed but for nobody, and is ignored without a log.
        if (!mu.expect.accept) refused++;
        else if (type === 'progress' && mu.path[0] !== 'id') acceptedProgress++;
        send(mu.message);
      }
    }
    assert.equal(malformed(logs).length, refused, 'one log per refused message, none for an accepted one');
    assert.ok(refused > 50, `${refused} refusals`);
    assert.equal(progress.length, acceptedProgress, 'each accepted progress reaches the caller');
    // The first accepted error or result settled the job.
    await assert.rejects(job, (e) => e instanceof JobError);
  });

  test('hands the caller exactly the partials its kind’s schema accepts, typed; drops the rest with one log each', async () => {
    const { pool: p, jobs, logs, send } = pool();
    const got: unknown[] = [];
    const job = p.run('simulate', { config: {} as never }, { onPartial: (points) => got.push(points) });
    const id = jobs[0];
    const all = mutations(JOB_PARTIALS.simulate, sample(JOB_PARTIALS.simulate), 'clone');
    let accepted = 0;
    for (const mu of all) {
      if (mu.expect.accept) accepted++;
      send({ type: 'partial', id, data: mu.message });
    }
    send({ type: 'partial', id, data: { done: 3 } }); // the analyze job's partial, sent for a simulation
    assert.equal(got.length, accepted);
    assert.equal(malformedPartials(logs).length, all.length - accepted + 1);
    assert.equal(malformed(logs).length, 0, 'the envelopes were well formed');
    for (const points of got) assert.ok(Array.isArray(points));
    send({ type: 'result', id, data: { finalLoss: 0.1 } });
    await job;
  });
});
