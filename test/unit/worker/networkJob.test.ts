// The worker's simulate job on a network over a person's IDX files, as the dashboard runs it: the plan (configFor)
// reads the chosen folder, the job streams per-epoch points (epoch, test accuracy; train accuracy at the last) and
// progress, every partial and the summary pass the protocol's checks, and the test split is the t10k files'.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SIMULATION_SETTINGS, HostToDashboard, withExperiment, type CurvePoint, type SimulationSettings } from '../../../src/protocol/dashboard';
import { parseJobPartial } from '../../../src/protocol/jobs';
import { HANDLERS } from '../../../src/worker/handlers';
import { idx4x4 } from '../syntheticIdx';

/** Ten classes of 4×4 images, class c lit at pixel c (and c + 6), with noise. */
const tenClasses = (count: number, seed: number) => idx4x4(count, 10, seed, (c, r, k, rng) => (4 * r + k === c || 4 * r + k === c + 6 ? 200 + rng.int(55) : rng.int(40)));

describe('worker: a network job on chosen IDX data', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lim-job-'));
    const train = tenClasses(100, 1);
    const test = tenClasses(30, 2);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), train.images);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), train.labels);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), test.images);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), test.labels);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('mnist-fcn on the folder: per-epoch points and progress, tested on the 30 t10k rows', async () => {
    const settings: SimulationSettings = { ...withExperiment(DEFAULT_SIMULATION_SETTINGS, 'mnist-fcn'), algorithms: ['sgd'], epochs: 3, dataPath: dir };
    const [plan] = await HANDLERS.planSimulations({ settings }, undefined as never);
    assert.deepEqual([plan.config.experiment.kind, (plan.config.experiment as { dataset: string }).dataset], ['network', 'idx']);
    const partials: CurvePoint[] = [];
    const progress: number[] = [];
    const ctx = {
      isCancelled: () => false,
      throwIfCancelled() {},
      progress: (f: number) => progress.push(f),
      partial: (d: unknown) => {
        const r = parseJobPartial('simulate', structuredClone(d));
        assert.ok(r.ok, r.ok ? '' : r.reason);
        partials.push(...(r.value as CurvePoint[]));
      },
    };
    const summary = await HANDLERS.simulate({ config: plan.config }, ctx);
    const epochs = partials.filter((q) => q.epoch !== undefined);
    assert.deepEqual(epochs.map((q) => q.epoch), [1, 2, 3]);
    // 100 training rows in batches of 10: an epoch is 10 steps.
    assert.deepEqual(epochs.map((q) => q.step), [10, 20, 30]);
    for (const q of epochs) assert.ok(Math.abs((q.accuracy as number) * 30 - Math.round((q.accuracy as number) * 30)) < 1e-9, `accuracy ${q.accuracy} counts the 30 test rows`);
    assert.ok(epochs[2].trainAccuracy !== undefined, 'the last epoch reports its train accuracy');
    assert.ok(progress.every((f) => f >= 0 && f <= 1), `progress ${progress.join(', ')}`);
    // However fast the epochs, each one's end is reported (3 epochs: 1/3, 2/3, 1).
    for (const f of [1 / 3, 2 / 3, 1]) assert.ok(progress.some((p) => Math.abs(p - f) < 1e-12), `progress ${progress.join(', ')} has no ${f}`);
    const done = HostToDashboard.parse(JSON.parse(JSON.stringify({ type: 'simDone', simId: 'sim-1', summary })));
    assert.ok(done.ok, done.ok ? '' : done.reason);
    assert.equal(summary.accuracy, epochs[2].accuracy);
    assert.equal(summary.trainAccuracy, epochs[2].trainAccuracy);
  });

  test('a folder without the files fails the plan with a message naming the folder and what is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lim-job-empty-'));
    try {
      const settings: SimulationSettings = { ...withExperiment(DEFAULT_SIMULATION_SETTINGS, 'mnist-fcn'), algorithms: ['sgd'], dataPath: empty };
      await assert.rejects(async () => HANDLERS.planSimulations({ settings }, undefined as never), (e: unknown) => e instanceof Error && e.message.includes(empty) && /no train-images-idx3-ubyte and train-labels-idx1-ubyte/.test(e.message));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
