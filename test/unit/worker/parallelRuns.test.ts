// The extension's comparisons on its batch pool with real worker threads (src/worker/worker.ts from source): each
// run's summary is the same whether the runs share three workers or follow one another on one, and the curves the
// worker streams are the same points.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runInLanes, WorkerPool } from '../../../src/extension/workerPool';
import { DEFAULT_SIMULATION_SETTINGS } from '../../../src/protocol/dashboard';
import type { CurvePoint, SimulationSummary } from '../../../src/protocol/dashboard';
import { planSimulations } from '../../../src/worker/simulationPlan';
import { sourceWorkerPool } from '../../harness/sourceWorkerPool';

const pool = (batchWorkers: number): WorkerPool => sourceWorkerPool(batchWorkers);

async function comparison(p: WorkerPool, plan: ReturnType<typeof planSimulations>) {
  const summaries: SimulationSummary[] = [];
  const curves: CurvePoint[][] = plan.map(() => []);
  const threads = new Set<number | undefined>();
  await runInLanes(plan.length, p.batchWorkers, async (i) => {
    summaries[i] = await p.run('simulate', { config: plan[i].config }, { onPartial: (pts) => curves[i].push(...pts) });
    p.threadIds.batch.forEach((t) => threads.add(t));
  });
  return { summaries: summaries.map(({ wallMs: _wallMs, ...rest }) => rest), curves, threads: [...threads].filter((t) => t !== undefined).length };
}

describe('the extension batch pool: a comparison side by side is the same as one after another', () => {
  test('three algorithms, pulsed least squares: 3 workers and 1 worker give the same summaries and curves', async () => {
    const plan = planSimulations({ ...DEFAULT_SIMULATION_SETTINGS, mode: 'pulsed', steps: 300, algorithms: ['sgd', 'analog-sgd', 'tiki-taka'] });
    const three = pool(3);
    const one = pool(1);
    try {
      const a = await comparison(three, plan);
      const b = await comparison(one, plan);
      assert.equal(a.threads, 3, 'the runs went to three worker threads');
      assert.equal(b.threads, 1);
      assert.deepEqual(a.summaries, b.summaries);
      assert.deepEqual(a.curves, b.curves);
      assert.ok(a.summaries[1].pulses > 0 && a.summaries[0].pulses === 0, 'Analog SGD pulses, digital SGD does not');
      assert.ok(a.curves.every((c) => c.length > 10), `points streamed: ${a.curves.map((c) => c.length)}`);
    } finally {
      await three.terminate();
      await one.terminate();
    }
  });
});
