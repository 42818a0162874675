// The dashboard end to end: command → panel → worker → webview, which draws and reports back what it drew; its
// tabs clicked as a person would; a workspace run's ladder carries the energy of that run's report.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { formatSci } from '../../../src/core/units/format';
import { DEFAULT_SIMULATION_SETTINGS, type EnergyView, type RenderedChart } from '../../../src/protocol/dashboard';
import { activateExtension, assertClose, closeAllEditors, coreAnalysis, dashboardTrace, fixtureUri, messagesSince, screenshot, sleep, tabsLabelled, ui, skipWithoutUi, uiAvailable, waitForPosted, waitForRender, waitForWebviewReady } from './helpers';

const PANEL_TITLE = 'LIM Lens Dashboard';
const charts = (m: Record<string, unknown>) => (Array.isArray(m.charts) ? (m.charts as RenderedChart[]) : []);
const chart = (m: Record<string, unknown>, id: string) => {
  const c = charts(m).find((x) => x.id === id);
  assert.ok(c, `chart ${id} drawn (charts: ${charts(m).map((x) => x.id).join(', ') || 'none'})`);
  return c;
};

const TAB_LABELS = { energy: 'Energy', scaling: 'Scaling', tradeoffs: 'Trade-offs', analog: 'Analog training' } as const;

/** Clicks a tab of the dashboard (as a person would) and returns the draw the webview reports for it. */
async function showTab(tab: keyof typeof TAB_LABELS): Promise<Record<string, unknown>> {
  const since = Date.now();
  // (by its label: <vscode-tabs> renumbers the ids of its headers)
  await ui({ op: 'click', webview: 'dashboard', selector: 'vscode-tab-header', hasText: TAB_LABELS[tab] });
  const { message } = await waitForRender('dashboard', { since, accept: (m) => m.tab === tab && charts(m).length > 0 && charts(m).every((c) => c.painted > 0) });
  return message;
}

suite('dashboard', () => {
  suiteSetup(async () => {
    await activateExtension();
    await closeAllEditors({ dashboard: true }); // the first test opens it afresh
  });
  suiteTeardown(closeAllEditors);

  test('LIM Lens: Open Dashboard opens the panel, and its webview draws the energy ladder it was sent', async () => {
    // No config in an editor: the dashboard opens on the brain-scale preset (with one, on its run: commands.test.ts).
    await closeAllEditors();
    const since = Date.now();
    await vscode.commands.executeCommand('limLens.openDashboard');
    await waitForWebviewReady('dashboard', { since });
    // The round trip: ready → init, runs, energy → rendered.
    const init = await waitForPosted('dashboard', 'init', { since });
    assert.ok((init.message.hardware as unknown[]).length >= 6, 'the hardware profiles');
    assert.equal(init.message.hardwareId, 'h100');
    await waitForPosted('dashboard', 'runs', { since });
    const energy = await waitForPosted('dashboard', 'energy', { since });
    const view = energy.message.view as EnergyView;
    assert.equal(view.selection, 'preset:brain-scale');
    assertClose(view.bounds.energy.lim, 3.682983e8, 1e-6, 'E_LIM of the brain-scale preset (J)');
    const { message } = await waitForRender('dashboard', { since, accept: (m) => charts(m).length > 0 });
    assert.equal(message.tab, 'energy');
    assert.equal(message.title, 'Brain-scale model (1e15 parameters)');
    const ladder = chart(message, 'chart-ladder');
    assert.equal(ladder.datasets, 1);
    assert.equal(ladder.points, 4, 'Landauer, LIM, static barrier, accelerator');
    assert.ok(ladder.painted > 1000, `the canvas has painted pixels (${ladder.painted})`);
    const walls = chart(message, 'chart-walls');
    assert.equal(walls.datasets, 3, 'memory, update and consolidation walls');
    assert.ok(walls.painted > 1000);
    assert.equal(tabsLabelled(PANEL_TITLE).length, 1);
    await sleep(300); // let the webview's paint reach the screen
    await screenshot('integration-dashboard');
  });

  test('running the command again reveals the same panel instead of opening a second one', async () => {
    await vscode.commands.executeCommand('limLens.openDashboard');
    await vscode.commands.executeCommand('limLens.openDashboard');
    assert.equal(tabsLabelled(PANEL_TITLE).length, 1);
  });

  test('each tab, clicked, draws its charts with painted pixels: scaling, trade-offs, analog, energy', async () => {
    assert.ok(uiAvailable(), 'clicking the tabs needs the code-server runner');
    const view = (await waitForPosted('dashboard', 'energy')).message.view as EnergyView;
    const runs = (await activateExtension()).index.list().filter((r) => r.paramsTotal && r.energyJ && r.limJ);
    assert.equal(runs.length, 7, 'the seven fixture configs are on the scaling chart');

    const scaling = await showTab('scaling');
    const sc = chart(scaling, 'chart-scaling');
    assert.equal(sc.datasets, 7, 'four bound lines, the workspace runs (accelerator, LIM) and the paper’s box in the legend');
    assert.equal(sc.points, 4 * view.sweeps.size.length + 2 * runs.length);
    assert.ok(sc.painted > 5000, `scaling chart painted pixels: ${sc.painted}`);
    await sleep(200);
    await screenshot('integration-dashboard-scaling');

    const tradeoffs = await showTab('tradeoffs');
    assert.deepEqual(charts(tradeoffs).map((c) => c.id).sort(), ['chart-alpha', 'chart-barrier', 'chart-precision']);
    assert.equal(chart(tradeoffs, 'chart-precision').points, 3 * view.sweeps.precision.length);
    assert.equal(chart(tradeoffs, 'chart-alpha').points, 2 * view.sweeps.alpha.length);
    assert.equal(chart(tradeoffs, 'chart-barrier').points, view.sweeps.barrier.length);
    for (const c of charts(tradeoffs)) assert.ok(c.painted > 1000, `${c.id}: ${c.painted} painted pixels`);
    await sleep(200);
    await screenshot('integration-dashboard-tradeoffs');

    const analog = await showTab('analog');
    assert.equal(analog.title, 'Analog training');
    assert.ok(chart(analog, 'chart-loss').painted > 0, 'the loss axes are drawn before any run');

    const energy = await showTab('energy');
    assert.equal(chart(energy, 'chart-ladder').points, 4);
  });

  test('a workspace run selected (openDashboard with its id): the ladder’s accelerator energy is its report’s', async function () {
    const { index } = await activateExtension();
    await index.ensureScanned();
    for (const rel of ['runs/llama-2-7b-pretrain.lim.yaml', 'models/llama-2-7b/config.json', 'pretrain/pretrain_gpt_1.3b.sh']) {
      const id = fixtureUri(rel).toString();
      assert.ok(index.get(id), `${rel} is a workspace run`);
      const report = coreAnalysis(rel).report;
      assert.ok(report);
      const since = Date.now();
      await vscode.commands.executeCommand('limLens.openDashboard', id);
      const energy = await waitForPosted('dashboard', 'energy', { since, accept: (m) => (m.view as EnergyView).selection === id }).catch((e: unknown) => {
        throw new Error(`${String(e).slice(0, 200)}; ${dashboardTrace(since)}`);
      });
      const view = energy.message.view as EnergyView;
      // Time route (the Llama-2 run file: device-hours) and compute route (the others) alike.
      assertClose(view.bounds.energy.accelerator, report.accelerator.energyJ, 1e-9, `${rel}: ladder accelerator energy vs report (J)`);
      assertClose(view.bounds.energy.lim, report.bounds?.lim ?? NaN, 1e-9, `${rel}: ladder LIM bound vs report (J)`);
      assert.equal(view.bounds.inputs.params, report.params.trained);
      const { message } = await waitForRender('dashboard', { since: energy.at, accept: (m) => m.tab === 'energy' && m.title === view.title && charts(m).length > 0 });
      assert.ok(chart(message, 'chart-ladder').painted > 1000);
      if (uiAvailable()) {
        // What is on screen: the bounds table's accelerator row, in joules.
        const row = await ui<string>({ op: 'text', webview: 'dashboard', selector: '#bounds-table tbody tr:nth-child(5) td:nth-child(2)' });
        assert.equal(row, formatSci(report.accelerator.energyJ, 4), `${rel}: the accelerator row of the table`);
      }
    }
    await sleep(200);
    await screenshot('integration-dashboard-run');
    skipWithoutUi(this, 'the figures on screen');
  });

  test('a closed panel opens again and draws again', async () => {
    const [tab] = tabsLabelled(PANEL_TITLE);
    assert.ok(tab);
    await vscode.window.tabGroups.close(tab);
    assert.equal(tabsLabelled(PANEL_TITLE).length, 0);
    const since = Date.now();
    await vscode.commands.executeCommand('limLens.openDashboard');
    const { message } = await waitForRender('dashboard', { since, accept: (m) => charts(m).length > 0 });
    assert.ok(charts(message)[0].painted > 1000);
    assert.equal(tabsLabelled(PANEL_TITLE).length, 1);
  });

  test('a page that never says it is ready (a stalled webview loader) is replaced by a fresh panel, which gets what was waiting', async () => {
    const { testHooks } = await activateExtension();
    await closeAllEditors({ dashboard: true });
    const id = fixtureUri('models/llama-2-7b/config.json').toString();
    const stallMs = 3000;
    testHooks.faults.stalledDashboardPage = true;
    testHooks.faults.dashboardStallMs = stallMs;
    try {
      const since = Date.now();
      // The energy tab's showTab and the run's view are posted while the first page has not said it is ready.
      await vscode.commands.executeCommand('limLens.openDashboard', id);
      const ready = await waitForWebviewReady('dashboard', { since });
      assert.ok(ready.at - since >= stallMs, `the ready that counts is the second page's, ${ready.at - since} ms after opening`);
      const shown = await waitForPosted('dashboard', 'showTab', { since });
      assert.equal(shown.message.tab, 'energy', 'what was queued for the stalled page went to the new one');
      assert.ok(shown.at >= ready.at, 'and only once the new page was ready');
      const energy = await waitForPosted('dashboard', 'energy', { since, accept: (m) => (m.view as EnergyView).selection === id });
      const { message } = await waitForRender('dashboard', { since: energy.at, accept: (m) => m.tab === 'energy' && charts(m).length > 0 });
      assert.ok(chart(message, 'chart-ladder').painted > 1000, 'the new panel draws');
      assert.equal(tabsLabelled(PANEL_TITLE).length, 1, 'the stalled panel is gone, one dashboard remains');
      assert.equal(testHooks.faults.stalledDashboardPage, false, 'the fault applied to one panel only');
    } finally {
      testHooks.faults.stalledDashboardPage = false;
      testHooks.faults.dashboardStallMs = undefined;
    }
  });

  test('closing the panel while it computes raises no error (results for a closed panel are dropped)', async function () {
    const { worker } = await activateExtension();
    await closeAllEditors({ dashboard: true });
    // Toasts of earlier tests (the commands suite's warnings) stay up until dismissed; only this test's count here.
    await vscode.commands.executeCommand('notifications.clearAll');
    // Keep the interactive worker (energy views run there) busy, so the panel's energy view is computed only after
    // the panel is gone.
    const [plan] = await worker.run('planSimulations', { settings: { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['analog-sgd'] } });
    const busy = new vscode.CancellationTokenSource();
    const long = worker.run('simulate', { config: { ...plan.config, steps: 1e8 } }, { token: busy.token, lane: 'interactive' });
    const since = Date.now();
    try {
      await vscode.commands.executeCommand('limLens.openDashboard', fixtureUri('runs/mixtral-what-if.lim.yaml').toString());
      await waitForWebviewReady('dashboard', { since });
      const [tab] = tabsLabelled(PANEL_TITLE);
      assert.ok(tab, 'the dashboard opened');
      await vscode.window.tabGroups.close(tab);
    } finally {
      busy.cancel(); // whatever happened, the worker must not stay busy for the next tests
    }
    assert.equal((await long).cancelled, true);
    // The interactive worker runs jobs in order: once this one is back, the closed panel's energy view was computed too.
    await worker.run('bounds', { params: 1e9, flops: 6e18 });
    await sleep(1000);
    const posted = await messagesSince('posted', 'dashboard', 'energy', since);
    assert.deepEqual(posted.map((m) => (m.message.view as EnergyView).selection), [], 'nothing is posted to the closed panel');
    if (uiAvailable()) {
      const selector = '.notifications-toasts .notification-toast';
      const toasts = (await ui<number>({ op: 'count', selector })) > 0 ? await ui<string[]>({ op: 'texts', selector }) : [];
      assert.deepEqual(toasts.filter((t) => /LIM Lens/.test(t)), [], 'no LIM Lens error notification ("Webview is disposed")');
    }
    // The panel was closed while loading: code-server's service worker holds the next webview up to 30 s. Open it
    // again here, so the wait is spent in this test.
    const reopened = Date.now();
    await vscode.commands.executeCommand('limLens.openDashboard');
    await waitForWebviewReady('dashboard', { since: reopened });
    skipWithoutUi(this, 'the status on screen');
  });
});
