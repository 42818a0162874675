// Scheduling by intent (src/extension/workerPool.ts): a hover never waits for a simulation, a job past its deadline
// fails with `timeout`, and a hover's cancellation reaches the worker only when no other caller waits for the job.
// Ordering assertions only, no timings.
import * as assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { WorkerClient, type JobError } from '../../../src/extension/workerClient';
import { batchPoolSize } from '../../../src/extension/workerPool';
import { DEFAULT_SIMULATION_SETTINGS, withExperiment, type SimulationSettings } from '../../../src/protocol/dashboard';
import { largeNemoConfig } from '../../../bench/editor/largeConfig';
import { activateExtension, closeAllEditors, dashboardTrace, hoverTexts, messagesSince, positionOf, waitFor, waitForPosted, suiteWithCleanEditors, workspaceRoot } from './helpers';

/** The repository's root: the suite runs from out/integration/suite/ (bundled) or test/integration/suite/. */
function repoRoot(): string {
  const ext = vscode.extensions.getExtension('lim-lens.lim-lens');
  assert.ok(ext, 'the extension is loaded');
  return ext.extensionPath ?? join(__dirname, '..', '..', '..');
}

async function writeWorkspaceFile(name: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

suite('scheduling: interactive and batch workers', () => {
  suiteWithCleanEditors();

  test('a cold hover on the 4,090-line NeMo config answers while a three-algorithm digits comparison is still running', async () => {
    const { worker } = await activateExtension();
    const uri = await writeWorkspaceFile('scheduling-large-nemo.yaml', largeNemoConfig(repoRoot()));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.lineCount, 4090, 'the large config has 4,090 lines');
    await vscode.window.showTextDocument(doc);
    const at = positionOf(doc, 'hidden_size:', 2);
    // Warm once (the interactive worker starts), so what follows measures waiting, not a thread's start.
    await waitFor('a first LIM Lens hover', async () => (await hoverTexts(uri, at)).find((t) => t.includes('**LIM Lens**')), 30_000, 200);

    // 100 epochs: each run takes seconds, so the comparison is still running when the hover is asked for.
    const settings: SimulationSettings = { ...withExperiment(DEFAULT_SIMULATION_SETTINGS, 'mlp-digits'), algorithms: ['sgd', 'analog-sgd', 'tiki-taka'], epochs: 100 };
    const since = Date.now();
    await vscode.commands.executeCommand('limLens.runSimulation', settings);
    try {
      await waitForPosted('dashboard', 'simPoints', { since }).catch((e: unknown) => {
        throw new Error(`${String(e).slice(0, 200)}; ${dashboardTrace(since)}`);
      });
      const startedBefore = await messagesSince('posted', 'dashboard', 'simStarted', since);
      // The pool is sized from the cores, one more than them: the three runs start together on 2 cores or more.
      assert.equal(worker.batchWorkers, batchPoolSize(availableParallelism()), `${worker.batchWorkers} batch workers on ${availableParallelism()} cores`);
      assert.equal(startedBefore.length, Math.min(3, worker.batchWorkers), `runs side by side, all at once: ${startedBefore.length} started`);
      assert.deepEqual(await messagesSince('posted', 'dashboard', 'simDone', since), [], 'no simulation has finished yet');

      // Cold: an edit, so the 4,090-line document is analysed again in the worker.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(doc.lineCount - 1, 0), '# edited while the comparison runs\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const hover = (await hoverTexts(uri, at)).find((t) => t.includes('**LIM Lens**'));
      const answeredAt = Date.now();
      assert.ok(hover, 'a LIM Lens hover on hidden_size');
      assert.deepEqual(
        (await messagesSince('posted', 'dashboard', 'simDone', since)).map((m) => m.at),
        [],
        'the hover answered before any simulation of the comparison finished',
      );

      const done = await waitFor('the three runs to finish', async () => {
        const d = await messagesSince('posted', 'dashboard', 'simDone', since);
        return d.length === 3 ? d : undefined;
      }, 120_000);
      assert.ok(done.every((d) => d.at >= answeredAt), 'every run finished after the hover');
      const started = await messagesSince('posted', 'dashboard', 'simStarted', since);
      assert.deepEqual(started.map((m) => m.message.index), [0, 1, 2], 'started in plan order, index 0 first');
      assert.deepEqual(started.map((m) => m.message.series), ['Digital SGD', 'Analog SGD', 'Tiki-Taka']);
    } finally {
      // Whatever happened, no long comparison is left running for the tests after this one.
      await vscode.commands.executeCommand('limLens.runSimulation', { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['sgd'], steps: 10 });
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await closeAllEditors();
      await vscode.workspace.fs.delete(uri);
    }
  });

  test('a job past its deadline fails with timeout; the worker takes the next job', async () => {
    const { worker } = await activateExtension();
    const [plan] = await worker.run('planSimulations', { settings: { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['analog-sgd'] } });
    await assert.rejects(worker.run('simulate', { config: { ...plan.config, steps: 1e8 } }, { deadlineMs: 300 }), (e: JobError) => {
      assert.equal(e.code, 'timeout');
      assert.match(e.message, /simulate job did not finish within its deadline of 300 ms/);
      return true;
    });
    const next = await worker.run('simulate', { config: { ...plan.config, steps: 500 } });
    assert.equal(next.cancelled, false, 'the next simulation ran to the end');
    assert.ok((await worker.run('bounds', { params: 1e9, flops: 6e18 })).energy.lim > 0);
  });

  test('a worker that does not stop when its job is cancelled is stuck: it is replaced, the job behind it fails, the next job works', async () => {
    // A client of its own, with a short grace period. Its job: one document of 200 copies of the large config
    // (25 MB), which the worker parses in one go (about 11 s) and cannot stop in the middle of: the analysis
    // checks its cancellation between documents. The deadline (2 s) passes while it parses (a job cancelled
    // before it starts is answered at once), and 50 ms later the worker counts as stuck.
    const log = vscode.window.createOutputChannel('LIM Lens scheduling test', { log: true });
    const client = new WorkerClient(repoRoot(), log, { graceMs: 50 });
    try {
      await client.run('bounds', { params: 1e9, flops: 6e18 }); // the interactive worker is up
      const first = client.threadId;
      const huge = largeNemoConfig(repoRoot()).repeat(200);
      const stuck = client.run('analyze', { docs: [{ path: '/stuck/huge.yaml', text: huge }], files: {}, assumptions: {}, detail: 'full' }, { deadlineMs: 2000 });
      const behind = client.run('bounds', { params: 1e9, flops: 6e18 });
      await assert.rejects(stuck, (e: JobError) => e.code === 'timeout');
      await assert.rejects(behind, (e: JobError) => {
        assert.equal(e.code, 'worker-died');
        assert.match(e.message, /stopped answering .* and was replaced/);
        return true;
      });
      assert.ok((await client.run('bounds', { params: 1e9, flops: 6e18 })).energy.lim > 0, 'the next job works');
      assert.ok(client.threadId !== undefined && client.threadId !== first, `a fresh worker thread (was ${first}, now ${client.threadId})`);
    } finally {
      await client.terminate();
      log.dispose();
    }
  });

  test('a cancelled hover token cancels the analysis only when no other caller waits for it; a cancelled analysis is not cached', async () => {
    const { analysis } = await activateExtension();
    // A plain-text document: no provider or problem checker of the extension asks for it on its own.
    const uri = await writeWorkspaceFile('scheduling-cancel.txt', largeNemoConfig(repoRoot()));
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.equal(doc.languageId, 'plaintext');

      // Two callers (a hover and a CodeLens): the hover moves on, the CodeLens still waits.
      const hover = new vscode.CancellationTokenSource();
      const lens = new vscode.CancellationTokenSource();
      const forHover = analysis.analyzeDocument(doc, hover.token);
      const forLens = analysis.analyzeDocument(doc, lens.token);
      hover.cancel();
      const [a, b] = await Promise.all([forHover, forLens]);
      assert.equal(a, b, 'one shared result');
      assert.ok(analysis.peek(doc), 'the finished analysis is cached');

      // One caller, which cancels: the job is cancelled and leaves the cache.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), '# edit\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const alone = new vscode.CancellationTokenSource();
      const cancelled = analysis.analyzeDocument(doc, alone.token);
      alone.cancel();
      await assert.rejects(cancelled, (e: JobError) => e.code === 'cancelled');
      assert.equal(analysis.peek(doc), undefined, 'nothing cancelled stays in the cache');
      // The next caller gets a fresh analysis.
      const again = await analysis.analyzeDocument(doc);
      assert.equal(again.path.endsWith('scheduling-cancel.txt'), true);
      for (const s of [hover, lens, alone]) s.dispose();
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });
});
