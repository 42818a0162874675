// The worker thread: same numbers as the core, and recovery after the worker dies.
import * as assert from 'node:assert/strict';
import { computeEnergyBounds, findBoundPreset, resolveBoundInputs } from '../../../src/core';
import type { JobError } from '../../../src/extension/workerClient';
import * as vscode from 'vscode';
import { DEFAULT_SIMULATION_SETTINGS } from '../../../src/protocol/dashboard';
import { activateExtension, assertClose, closeAllEditors, dashboardTrace, limHover, messagesSince, openFixture, positionOf, ui, skipWithoutUi, uiAvailable, waitFor, waitForPosted } from './helpers';

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
    // (the expectation is attached before the worker is stopped: a rejection left unhandled for a second is
    // reported by the extension host)
    const failed = assert.rejects(running, (e: JobError) => {
      assert.equal(e.code, 'worker-died');
      assert.match(e.message, /worker .*stopped.*did not finish/);
      return true;
    });
    await worker.terminate();
    await failed;
    const again = await worker.run('bounds', brainScale());
    assertClose(again.energy.lim, 3.682983e8, 1e-6, 'E_LIM after restart');
    assert.ok(worker.threadId !== undefined && worker.threadId !== before, `a new worker thread (was ${before}, now ${worker.threadId})`);
  });

  test('the worker killed while a simulation streams: the dashboard says it failed; hovers and the next simulation work', async function () {
    const { worker } = await activateExtension();
    await closeAllEditors();
    const since = Date.now();
    await vscode.commands.executeCommand('limLens.runSimulation', { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['analog-sgd'], steps: 100_000_000 });
    await waitForPosted('dashboard', 'simPoints', { since }).catch(async (e: unknown) => {
      const trace = dashboardTrace(since);
      await vscode.commands.executeCommand('limLens.runSimulation', { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['sgd'], steps: 10 }); // ends the long run
      const screen = uiAvailable() ? await ui<string[]>({ op: 'texts', selector: '.notifications-toasts' }).catch(() => []) : [];
      const started = await messagesSince('posted', 'dashboard', 'simStarted', since);
      throw new Error(`${String(e).slice(0, 200)}; simStarted since: ${started.length}; notifications: ${screen.join(' | ')}; ${trace}`);
    });
    const before = worker.threadId;
    await worker.terminate();
    const failed = await waitForPosted('dashboard', 'simError', { since });
    assert.match(String(failed.message.message), /worker was stopped; the job did not finish/);
    assert.deepEqual(await messagesSince('posted', 'dashboard', 'simDone', since), [], 'no result for the killed run');
    if (uiAvailable()) {
      const status = await waitFor('the failure in the status line', async () => {
        const t = await ui<string>({ op: 'text', webview: 'dashboard', selector: '#sim-status' });
        return /failed/.test(t) ? t : undefined;
      });
      assert.match(status, /^0 finished, 1 failed: the LIM Lens worker was stopped/);
    }
    // A fresh worker answers the editor again…
    const editor = await openFixture('models/llama-2-7b/config.json');
    const md = await limHover(editor.document.uri, positionOf(editor.document, '"num_hidden_layers"'));
    assert.match(md, /6\.74B total/);
    assert.ok(worker.threadId !== undefined && worker.threadId !== before, 'a new worker thread');
    // …and runs the next simulation to the end.
    const again = Date.now();
    await vscode.commands.executeCommand('limLens.runSimulation', { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['analog-sgd'], steps: 1000 });
    const done = await waitForPosted('dashboard', 'simDone', { since: again });
    assert.equal((done.message.summary as { cancelled: boolean }).cancelled, false);
    await closeAllEditors();
    skipWithoutUi(this, 'the failure in the dashboard status line');
  });
});
