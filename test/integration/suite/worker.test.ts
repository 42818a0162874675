// The worker thread: same numbers as the core, and recovery after the worker dies.
import * as assert from 'node:assert/strict';
import { computeEnergyBounds, findBoundPreset, resolveBoundInputs } from '../../../src/core';
import type { JobError } from '../../../src/extension/workerClient';
import { activateExtension, assertClose } from './helpers';

const brainScale = () => {
  const preset = findBoundPreset('brain-scale');
  assert.ok(preset, 'the brain-scale preset exists');
  return preset.inputs;
};

suite('worker', () => {
  test('computes the bounds in a worker thread, matching the core: E_LIM = 3.682983e8 J for brain-scale', async () => {
    const { worker } = await activateExtension();
    const fromWorker = await worker.run('bounds', brainScale());
    const fromCore = computeEnergyBounds(resolveBoundInputs(brainScale()));
    assert.ok(worker.threadId !== undefined && worker.threadId > 0, 'the job ran on a worker thread, not the extension host thread');
    assertClose(fromWorker.energy.lim, 3.682983e8, 1e-6, 'E_LIM (J)');
    for (const key of Object.keys(fromCore.energy) as Array<keyof typeof fromCore.energy>) {
      assertClose(fromWorker.energy[key], fromCore.energy[key], 1e-12, `energy.${key}`);
    }
    assert.deepEqual(fromWorker.inputs, fromCore.inputs);
  });

  test('rejects invalid inputs with an invalid-input error naming the field', async () => {
    const { worker } = await activateExtension();
    await assert.rejects(worker.run('bounds', { ...brainScale(), params: -1 }), (e: JobError) => {
      assert.equal(e.code, 'invalid-input');
      assert.match(e.message, /params/);
      return true;
    });
  });

  test('killing the worker fails the running job with a clear error, and the next job gets a fresh worker', async () => {
    const { worker } = await activateExtension();
    await worker.run('bounds', brainScale()); // make sure a worker is up
    const before = worker.threadId;
    assert.ok(before !== undefined);
    const running = worker.run('bounds', brainScale());
    await worker.terminate();
    await assert.rejects(running, (e: JobError) => {
      assert.equal(e.code, 'worker-died');
      assert.match(e.message, /worker .*stopped.*did not finish/);
      return true;
    });
    const again = await worker.run('bounds', brainScale());
    assertClose(again.energy.lim, 3.682983e8, 1e-6, 'E_LIM after restart');
    assert.ok(worker.threadId !== undefined && worker.threadId !== before, `a new worker thread (was ${before}, now ${worker.threadId})`);
  });
});
