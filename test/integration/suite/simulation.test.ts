// Analog-training simulations from the editor: streamed into the dashboard's analog tab with the core's numbers,
// and cancelled (the Stop button) while running.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runSimulation } from '../../../src/core/analog';
import { DEFAULT_SIMULATION_SETTINGS, type CurvePoint, type RenderedChart, type SimulationSettings, type SimulationSummary } from '../../../src/protocol/dashboard';
import { configFor } from '../../../src/worker/simulationPlan';
import { activateExtension, assertClose, closeAllEditors, dashboardTrace, messagesSince, openFixture, screenshot, sleep, ui, skipWithoutUi, uiAvailable, waitFor, waitForPosted, waitForRender, waitForWebviewMessage } from './helpers';

const charts = (m: Record<string, unknown>) => (Array.isArray(m.charts) ? (m.charts as RenderedChart[]) : []);
const chart = (m: Record<string, unknown>, id: string) => charts(m).find((c) => c.id === id);

interface Sim {
  simId: string;
  series: string;
  points: CurvePoint[];
  summary?: SimulationSummary;
  error?: string;
}

/** Everything the host told the dashboard about the simulations started since `since`, by simId. */
async function simulationsSince(since: number): Promise<Sim[]> {
  const sims = new Map<string, Sim>();
  for (const m of await messagesSince('posted', 'dashboard', 'simStarted', since)) sims.set(m.message.simId as string, { simId: m.message.simId as string, series: m.message.series as string, points: [] });
  for (const m of await messagesSince('posted', 'dashboard', 'simPoints', since)) sims.get(m.message.simId as string)?.points.push(...(m.message.points as CurvePoint[]));
  for (const m of await messagesSince('posted', 'dashboard', 'simDone', since)) {
    const s = sims.get(m.message.simId as string);
    if (s) s.summary = m.message.summary as SimulationSummary;
  }
  for (const m of await messagesSince('posted', 'dashboard', 'simError', since)) {
    const s = sims.get(m.message.simId as string);
    if (s) s.error = m.message.message as string;
  }
  return [...sims.values()];
}

suite('simulation: analog training in the dashboard', () => {
  suiteSetup(async () => {
    await activateExtension();
    await closeAllEditors();
  });
  suiteTeardown(closeAllEditors);

  test('Run Analog Training Simulation: digital SGD, Analog SGD and Tiki-Taka stream their curves; numbers are the core’s', async function () {
    const since = Date.now();
    const settings: SimulationSettings = { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['sgd', 'analog-sgd', 'tiki-taka'], steps: 10_000 };
    const returned = await vscode.commands.executeCommand<SimulationSettings>('limLens.runSimulation', settings);
    // The run takes the form's values as given, and the energy per pulse from its setting (the form has no field for it).
    const perPulse = vscode.workspace.getConfiguration('limLens').get<number>('simulation.energyPerPulseJ');
    assert.ok(typeof perPulse === 'number' && perPulse > 0, `limLens.simulation.energyPerPulseJ reads ${String(perPulse)}`);
    assert.deepEqual(returned, { ...settings, energyPerPulseJ: perPulse });
    await waitForPosted('dashboard', 'showTab', { since, accept: (m) => m.tab === 'analog' }).catch(async (e: unknown) => {
      await screenshot('failure-simulation-showtab');
      throw new Error(`${String(e).slice(0, 150)}; ${dashboardTrace(since)}`);
    });
    const sims = await waitFor('three finished simulations', async () => {
      const s = await simulationsSince(since);
      return s.length === 3 && s.every((x) => x.summary) ? s : undefined;
    }, 60_000);
    assert.deepEqual(sims.map((s) => s.series), ['Digital SGD', 'Analog SGD', 'Tiki-Taka']);
    for (const s of sims) {
      assert.ok(s.points.length > 10, `${s.series}: streamed ${s.points.length} points`);
      assert.equal(s.summary?.cancelled, false);
      assert.equal(s.points.at(-1)?.step, 9_999, `${s.series}: the curve reaches the last step`);
    }
    // The same seed gives the same result as the core run directly (bit for bit).
    for (const [i, algorithm] of (['sgd', 'analog-sgd', 'tiki-taka'] as const).entries()) {
      const core = runSimulation(configFor(settings, algorithm));
      assert.equal(sims[i].summary?.finalLoss, core.final.loss, `${sims[i].series}: final loss`);
      assert.equal(sims[i].summary?.pulses, core.pulses.total, `${sims[i].series}: pulses`);
    }
    // The paper's result: Analog SGD stalls at a floor that Tiki-Taka gets well below.
    const [, analogSgd, tikiTaka] = sims;
    assert.ok((tikiTaka.summary?.finalLoss ?? 1) < (analogSgd.summary?.finalLoss ?? 0) / 3, `Tiki-Taka ${tikiTaka.summary?.finalLoss} vs Analog SGD ${analogSgd.summary?.finalLoss}`);
    assert.ok((analogSgd.summary?.energyJ ?? 0) > 0 && (analogSgd.summary?.limJ ?? 0) > 0, 'pulse energy and its LIM bound');
    // The webview drew the three loss curves and the saturation histogram of the analog runs.
    const lastDone = (await messagesSince('posted', 'dashboard', 'simDone', since)).at(-1);
    assert.ok(lastDone);
    const { message } = await waitForRender('dashboard', { since: lastDone.at, accept: (m) => m.tab === 'analog' && chart(m, 'chart-loss')?.datasets === 3 && chart(m, 'chart-saturation')?.datasets === 3 });
    const loss = chart(message, 'chart-loss');
    assert.ok(loss);
    assert.equal(loss.datasets, 3);
    assert.equal(loss.points, sims.reduce((n, s) => n + s.points.filter((p) => p.loss > 0).length, 0), 'every streamed point is on the chart');
    assert.ok(loss.painted > 3000, `loss chart painted pixels: ${loss.painted}`);
    const saturation = chart(message, 'chart-saturation');
    assert.ok(saturation && saturation.painted > 1000 && saturation.points > 0, JSON.stringify(saturation));
    if (uiAvailable()) {
      assert.equal(await ui<string>({ op: 'text', webview: 'dashboard', selector: '#sim-status' }), '3 finished.');
      const statuses = await ui<string[]>({ op: 'texts', webview: 'dashboard', selector: '#sim-table tbody tr td:last-child' });
      assert.deepEqual(statuses, ['done', 'done', 'done']);
    }
    await sleep(300);
    await screenshot('integration-analog');
    skipWithoutUi(this, 'the simulation status and table on screen');
  });

  test('long simulations side by side, stopped with the Stop button, all stop: reported as stopped, none runs on', async function () {
    const { worker } = await activateExtension();
    const steps = 100_000_000; // minutes of work: it must be the Stop that ends it
    const settings: SimulationSettings = { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['analog-sgd', 'tiki-taka'], steps };
    const since = Date.now();
    await vscode.commands.executeCommand('limLens.runSimulation', settings);
    // Should an assertion below fail before the Stop, a short batch replaces the long one (it cancels it), so the
    // worker is not left busy for the tests after this one.
    const replaceLongRun = () => vscode.commands.executeCommand('limLens.runSimulation', { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['sgd'], steps: 10 });
    const stopped = async (): Promise<Sim[]> => {
      // Running: points are streaming.
      await waitFor('the first points of the long run', async () => (await simulationsSince(since))[0]?.points.length > 0, 30_000);
      const stopAt = Date.now();
      if (uiAvailable()) {
        await ui({ op: 'click', webview: 'dashboard', selector: '#sim-stop' });
        await waitForWebviewMessage('dashboard', 'cancelSimulation', { since: stopAt }); // the Stop button's message
      } else {
        // (a desktop VS Code without the runner: starting another batch cancels the running one)
        await replaceLongRun();
      }
      // (the two runs go side by side on the batch workers; with one batch worker the second never starts)
      return waitFor('the long runs to end', async () => {
        const s = await simulationsSince(since);
        return s.length > 0 && s.every((x) => x.summary || x.error) ? s : undefined;
      }, 60_000);
    };
    const runs = await stopped().catch(async (e: unknown) => {
      await replaceLongRun();
      throw e;
    });
    const first = runs[0];
    assert.equal(first.series, 'Analog SGD');
    assert.deepEqual(runs.map((r) => r.series), ['Analog SGD', 'Tiki-Taka'].slice(0, Math.min(2, worker.batchWorkers)), 'side by side, as many as there are batch workers');
    for (const run of runs) {
      if (run.summary) {
        assert.equal(run.summary.cancelled, true, `${run.series}: the summary says cancelled`);
        const last = run.points.at(-1)?.step ?? 0;
        assert.ok(last < steps - 1, `${run.series}: stopped early, at step ${last} of ${steps}`);
      } else assert.equal(run.error, 'stopped', run.series);
    }
    if (uiAvailable()) {
      let status = '';
      await waitFor('the status to say stopped', async () => /stopped early/.test((status = await ui<string>({ op: 'text', webview: 'dashboard', selector: '#sim-status' })))).catch((e: unknown) => {
        throw new Error(`${String(e)}; the status reads "${status}"; first: ${JSON.stringify({ ...first, points: first.points.length })}`);
      });
      const statuses = await ui<string[]>({ op: 'texts', webview: 'dashboard', selector: '#sim-table tbody tr td:last-child' });
      assert.deepEqual(statuses, runs.map(() => 'stopped'));
      await screenshot('integration-analog-stopped');
    }
    // The worker is free again: a new simulation runs to the end.
    const again = Date.now();
    await vscode.commands.executeCommand('limLens.runSimulation', { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['sgd'], steps: 2000 });
    const [next] = await waitFor('a new simulation to finish', async () => {
      const s = await simulationsSince(again);
      return s[0]?.summary ? s : undefined;
    }, 60_000);
    assert.equal(next.summary?.cancelled, false);
    assertClose(next.summary?.finalLoss ?? NaN, runSimulation(configFor({ ...DEFAULT_SIMULATION_SETTINGS, steps: 2000 }, 'sgd')).final.loss, 0, 'digital SGD final loss');
    assert.ok((await worker.run('bounds', { params: 1e9, flops: 6e18 })).energy.lim > 0);
    skipWithoutUi(this, 'the Stop button and the status on screen');
  });

  test('started while the dashboard is hidden behind an editor, a simulation still shows when the panel comes back', async function () {
    // The dashboard is open (the tests above); an editor in the same group hides it.
    await openFixture('models/llama-2-7b/config.json');
    await sleep(3000); // hidden for a while, as when a person works in the editor
    // Meanwhile a setting changes (the dashboard is sent a new init and energy view while hidden).
    const c = vscode.workspace.getConfiguration('limLens');
    await c.update('hardware', 'a100', vscode.ConfigurationTarget.Global);
    await sleep(1000);
    await c.update('hardware', undefined, vscode.ConfigurationTarget.Global);
    await sleep(1000);
    const since = Date.now();
    await vscode.commands.executeCommand('limLens.runSimulation', { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['sgd', 'analog-sgd'], steps: 3000 });
    const rendered = await waitForRender('dashboard', {
      since,
      accept: (m) => m.tab === 'analog' && chart(m, 'chart-loss')?.datasets === 2 && (chart(m, 'chart-saturation')?.datasets ?? 0) === 2,
    }).catch((e: unknown) => {
      throw new Error(`${String(e).slice(0, 300)}; ${dashboardTrace(since)}`);
    });
    assert.ok((chart(rendered.message, 'chart-loss')?.painted ?? 0) > 1000);
    if (uiAvailable()) assert.equal(await ui<string>({ op: 'text', webview: 'dashboard', selector: '#sim-status' }), '2 finished.');
    skipWithoutUi(this, 'the simulation status on screen');
  });

  test('switching to an editor and back keeps the dashboard as it was: the finished curves are still drawn', async function () {
    const since = Date.now();
    await vscode.commands.executeCommand('limLens.runSimulation', { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['sgd', 'analog-sgd', 'tiki-taka'], steps: 2000 });
    await waitForRender('dashboard', { since, accept: (m) => m.tab === 'analog' && chart(m, 'chart-loss')?.datasets === 3 && chart(m, 'chart-saturation')?.datasets === 3 });
    await openFixture('models/llama-2-7b/config.json'); // hides the panel
    await sleep(2000);
    const back = Date.now();
    await vscode.commands.executeCommand('limLens.openDashboard'); // reveals it
    await sleep(2000);
    const reloaded = await messagesSince('received', 'dashboard', 'ready', back);
    assert.deepEqual(reloaded.map((m) => m.message.type), [], 'the page was kept, not loaded again');
    if (uiAvailable()) {
      assert.equal(await ui<string>({ op: 'text', webview: 'dashboard', selector: '#sim-status' }), '3 finished.');
      assert.equal((await ui<string[]>({ op: 'texts', webview: 'dashboard', selector: '#sim-table tbody tr' })).length, 3);
    }
    skipWithoutUi(this, 'the status and table on screen');
  });
});
