// The dashboard webview (dist/webview/dashboard.js) in headless Chromium under the extension's CSP, with the VS Code
// API stubbed: the test plays the extension host with the real protocol (init, runs, energy, showTab, sim*),
// checks what each tab draws against fixed data in every theme, what the page posts back, and that malformed
// messages are dropped and logged. Screenshots: test-output/screenshots/webview-dashboard-*.png.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEnergy, formatSci } from '../../src/core/units/format';
import { DEFAULT_SIMULATION_SETTINGS, EXPERIMENT_RECIPES, type EnergyView, type SimulationSettings } from '../../src/protocol/dashboard';
import { glossaryLine, termTitle } from '../../src/core/glossary';
import { BOUNDS_HEADER, CHART_TITLES } from '../../webview/dashboard/labels';
import { BRAIN_SCALE_TITLE, brainScaleView, fixtureRuns, simulationBatch } from './fixtures';
import { openDashboardPage } from './dashboardPage';
import { pickOption, webviewTestHooks, type Message, type WebviewPage } from './harness';
import { THEMES, themeById, type Theme } from './themes';

type Chart = { id: string; datasets: number; points: number; painted: number };
const charts = (m: Message) => m.charts as Chart[];
const chart = (m: Message, id: string): Chart => {
  const c = charts(m).find((x) => x.id === id);
  assert.ok(c, `chart ${id} drawn (charts: ${charts(m).map((x) => x.id).join(', ') || 'none'})`);
  return c;
};
const TAB_LABELS = { energy: 'Energy', scaling: 'Scaling', tradeoffs: 'Trade-offs', analog: 'Analog training' } as const;

describe('dashboard webview', () => {
  const pages = webviewTestHooks();
  const view = brainScaleView();
  const runs = fixtureRuns();
  const batch = simulationBatch();

  /** A fresh dashboard page in `theme` that got init, runs and the brain-scale energy view, and drew it. */
  async function dashboard(theme: Theme = themeById('dark'), size = { width: 1280, height: 900 }): Promise<{ p: WebviewPage; rendered: Message }> {
    const { p, rendered, posted } = await openDashboardPage(pages, theme, size, runs, view);
    // The report names when the charts were drawn (the benchmark's time to first chart): after the data came,
    // before the report, which waits for the charts to settle.
    const drawnAt = Number(rendered.drawnAt);
    assert.ok(drawnAt >= posted - 5 && drawnAt <= Date.now(), `drawnAt ${drawnAt - posted} ms after the energy view was posted`);
    return { p, rendered };
  }

  /** Posts showTab and waits for the draw of that tab (after `after` earlier renders). */
  async function showTab(p: WebviewPage, tab: keyof typeof TAB_LABELS): Promise<Message> {
    const before = (await p.sent()).filter((m) => m.type === 'rendered' && m.tab === tab).length;
    await p.post({ type: 'showTab', tab });
    return p.waitForMessage('rendered', { count: before + 1, accept: (m) => m.tab === tab });
  }


  it('posts ready exactly once when it loads, and nothing else', async () => {
    const p = await pages.open('dashboard');
    await p.waitForMessage('ready');
    await p.page.waitForTimeout(200);
    assert.deepEqual(await p.sent(), [{ type: 'ready' }]);
  });

  it('energy tab: draws the ladder and the walls it is sent, the key figures and the bounds table, and reports the draw', async () => {
    const { p, rendered } = await dashboard();
    assert.equal(rendered.title, BRAIN_SCALE_TITLE);
    const ladder = chart(rendered, 'chart-ladder');
    assert.deepEqual([ladder.datasets, ladder.points], [1, 4], 'Landauer, LIM, static barrier, accelerator');
    const walls = chart(rendered, 'chart-walls');
    assert.equal(walls.datasets, 3);
    const px = await p.canvasPixels('canvas#chart-ladder');
    assert.ok(px.width > 300 && px.height > 200, `canvas ${px.width}×${px.height}`);
    assert.ok(px.painted > 5000, `painted pixels: ${px.painted}`);
    assert.ok(Math.abs(ladder.painted - px.painted) / px.painted < 0.2, 'the reported painted count matches the canvas');
    assert.equal(await p.page.locator('canvas#chart-ladder').getAttribute('aria-label'), 'Energy ladder, log scale');
    // Figures and the table carry the numbers of the view.
    const e = view.bounds.energy;
    const facts = await p.page.locator('.fact').allInnerTexts();
    assert.ok(facts.some((f) => f.replace(/\s+/g, ' ').includes(`LIM bound ${formatEnergy(e.lim)}`)), facts.join(' | '));
    const cells = await p.page.locator('#bounds-table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    assert.equal(cells.length, 5);
    assert.deepEqual(cells.map((r) => r[1]), [e.landauer, e.limNonEquilibrium, e.lim, e.staticBarrier, e.accelerator].map((j) => formatSci(j, 4)));
    assert.match(String(cells[4][0]), /^NVIDIA H100 SXM, 40 % utilisation, PUE 1\.1$/);
    // The run selector offers the presets and the runs with a size; the hardware selector the profiles.
    const options = await p.page.locator('#run-picker vscode-option').evaluateAll((els) => els.map((e) => [e.textContent ?? '', e.getAttribute('description') ?? '']));
    assert.ok(options.some(([l, d]) => l === 'Brain-scale model, 1e15 parameters' && d === 'preset'));
    // Short labels, the path as the option's description, the runs sorted by folder.
    for (const r of runs) assert.ok(options.some(([l, d]) => l === r.label && d === r.relativePath), `${r.relativePath} in the run selector`);
    const paths = options.map(([, d]) => d).filter((d) => d.startsWith('workspace/'));
    const folder = (x: string) => x.slice(0, x.lastIndexOf('/'));
    assert.deepEqual(paths.map(folder), [...paths.map(folder)].sort((a, b) => a.localeCompare(b)), 'sorted by folder');
    // The page tells the host its state (for restoring after a reload).
    assert.ok((await p.sent()).some((m) => m.type === 'stateChanged' && m.tab === 'energy' && m.selection === 'preset:brain-scale'));
  });

  it('glossary: the bounds table headers and rows, the key figures and every chart title carry their glossary line as a tooltip; the glossary button posts showGlossary', async () => {
    const { p } = await dashboard();
    const titles = (selector: string) => p.page.locator(selector).evaluateAll((els) => els.map((e) => [e.textContent?.trim() ?? '', e.getAttribute('title') ?? '']));
    const headers = await titles('#bounds-table thead th');
    assert.deepEqual(headers.map(([t]) => t), BOUNDS_HEADER);
    for (const [t, title] of headers) assert.equal(title, termTitle(t), `header ${t}`);
    assert.ok(headers.every(([, title]) => title.length > 20));
    const rows = await titles('#bounds-table tbody tr td:first-child');
    assert.deepEqual(rows.slice(0, 4).map(([, title]) => title), [glossaryLine('landauer'), glossaryLine('nonEquilibrium'), glossaryLine('limBound'), glossaryLine('staticBarrier')]);
    assert.equal(rows[4][1], glossaryLine('accelerator'));
    const captions = async () => (await p.page.locator('figcaption').evaluateAll((els) => els.map((e) => [e.childNodes[0]?.textContent ?? '', e.getAttribute('title') ?? ''])));
    const energy = await captions();
    assert.deepEqual(energy.map(([t]) => t), [CHART_TITLES.ladder, CHART_TITLES.walls, CHART_TITLES.bounds]);
    for (const [t, title] of energy) assert.ok(title.length > 20 && title === termTitle(t), `chart title "${t}": ${title}`);
    const facts = await p.page.locator('.fact').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    assert.ok(facts.every((t) => t.length > 20), facts.join(' | '));
    assert.ok(!(await p.page.locator('body').innerText()).includes('docs/'), 'no internal document reference on the page');
    for (const tab of ['scaling', 'tradeoffs'] as const) {
      await showTab(p, tab);
      const shown = (await captions()).filter(([t]) => t !== CHART_TITLES.ladder && t !== CHART_TITLES.walls && t !== CHART_TITLES.bounds);
      assert.ok(shown.length > 0, tab);
      for (const [t, title] of shown) assert.ok(title.length > 20 && title === termTitle(t), `${tab}: chart title "${t}": ${title}`);
    }
    await p.page.locator('#glossary-button').click();
    await p.waitForMessage('showGlossary');
  });

  for (const theme of THEMES) {
    it(`follows the ${theme.name} theme (${theme.bodyClass}): text, bars and background use its colours`, async () => {
      const { p } = await dashboard(theme);
      const others = THEMES.filter((t) => t.foreground !== theme.foreground);
      const px = await p.canvasPixels('canvas#chart-ladder', {
        text: theme.foreground,
        lim: theme.bar,
        ...Object.fromEntries(others.map((t) => [`text of ${t.id}`, t.foreground])),
      });
      assert.ok(px.matches.lim > 1000, `LIM bar pixels in ${theme.bar}: ${px.matches.lim}`);
      assert.ok(px.matches.text > 30, `text pixels in ${theme.foreground}: ${px.matches.text}`);
      for (const t of others) assert.ok(px.matches[`text of ${t.id}`] < 5, `pixels in ${t.id}'s text colour ${t.foreground}: ${px.matches[`text of ${t.id}`]}`);
      const bg = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(theme.background.slice(i, i + 2), 16));
      assert.equal(bg, `rgb(${r}, ${g}, ${b})`);
      await p.screenshot(`webview-dashboard-${theme.id}`);
    });
  }

  it('redraws in the new colours when VS Code switches the theme while it is open', async () => {
    const dark = themeById('high-contrast-light');
    const light = themeById('light');
    const { p } = await dashboard(dark);
    const before = await p.canvasPixels('canvas#chart-ladder', { darkBar: dark.bar, lightBar: light.bar });
    assert.ok(before.matches.darkBar > 1000);
    const n = await p.count('rendered');
    await p.setTheme(light);
    await p.waitForMessage('rendered', { count: n + 1 });
    const afterSwitch = await p.canvasPixels('canvas#chart-ladder', { darkBar: dark.bar, lightBar: light.bar });
    assert.ok(afterSwitch.matches.lightBar > 1000, `bars in the light theme's blue: ${afterSwitch.matches.lightBar}`);
    assert.ok(afterSwitch.matches.darkBar < 50, `bars left in the previous theme's blue: ${afterSwitch.matches.darkBar}`);
  });

  it('scaling tab: the bound lines over 1e6–1e15 parameters and the workspace runs as points', async () => {
    const { p } = await dashboard();
    const rendered = await showTab(p, 'scaling');
    const c = chart(rendered, 'chart-scaling');
    // Four bound lines, the runs' accelerator and LIM points, and the paper's box named in the legend (no points).
    assert.equal(c.datasets, 7);
    assert.equal(c.points, 4 * view.sweeps.size.length + 2 * runs.filter((r) => r.energyJ && r.limJ).length);
    assert.ok(c.painted > 10_000, `painted ${c.painted}`);
    assert.match(await p.page.locator('#app').innerText(), /Points: the 7 workspace runs at their own size and length/);
    await p.screenshot('webview-dashboard-scaling-dark');
  });

  it('trade-offs tab: precision, schedule exponent and per-update barrier charts', async () => {
    const { p } = await dashboard();
    const rendered = await showTab(p, 'tradeoffs');
    assert.deepEqual(charts(rendered).map((c) => c.id).sort(), ['chart-alpha', 'chart-barrier', 'chart-precision']);
    assert.equal(chart(rendered, 'chart-precision').points, 3 * view.sweeps.precision.length);
    assert.equal(chart(rendered, 'chart-alpha').points, 2 * view.sweeps.alpha.length);
    assert.equal(chart(rendered, 'chart-barrier').points, view.sweeps.barrier.length);
    for (const c of charts(rendered)) assert.ok(c.painted > 3000, `${c.id}: ${c.painted}`);
    await p.screenshot('webview-dashboard-tradeoffs-dark');
  });

  it('clicking a tab header switches tab and tells the host (stateChanged)', async () => {
    const { p } = await dashboard();
    const n = await p.count('rendered');
    await p.page.locator('vscode-tab-header', { hasText: TAB_LABELS.scaling }).click();
    const rendered = await p.waitForMessage('rendered', { count: n + 1 });
    assert.equal(rendered.tab, 'scaling');
    assert.ok((await p.sent()).some((m) => m.type === 'stateChanged' && m.tab === 'scaling'));
  });

  it('analog tab: streamed simStarted/simPoints/simDone draw three loss curves, the saturation histogram and the table', async () => {
    const { p } = await dashboard();
    await showTab(p, 'analog');
    assert.equal(await p.page.locator('#sim-status').innerText(), 'Choose the algorithms and a device, then Run — or try one of the paper’s sweeps.');
    for (const s of batch) for (const m of s.messages) await p.post(m);
    const rendered = await p.waitForMessage('rendered', { accept: (m) => m.tab === 'analog' && (charts(m).find((c) => c.id === 'chart-saturation')?.datasets ?? 0) === 3 });
    const loss = chart(rendered, 'chart-loss');
    assert.equal(loss.datasets, 3, 'one curve per algorithm of the batch');
    assert.equal(loss.points, batch.reduce((n, s) => n + s.points.filter((q) => q.loss > 0).length, 0), 'every streamed point');
    assert.ok(loss.painted > 5000);
    const sat = chart(rendered, 'chart-saturation');
    assert.ok(sat.points > 0 && sat.painted > 2000, JSON.stringify(sat));
    // The curves in the algorithms' colours: digital SGD green, Analog SGD red, Tiki-Taka blue (dark theme).
    const dark = themeById('dark');
    const px = await p.canvasPixels('canvas#chart-loss', { sgd: dark.vars['--vscode-charts-green'], analog: dark.vars['--vscode-charts-red'], tt: dark.vars['--vscode-charts-blue'] }, 24);
    for (const k of ['sgd', 'analog', 'tt']) assert.ok(px.matches[k] > 100, `${k} curve pixels: ${px.matches[k]}`);
    assert.equal(await p.page.locator('#sim-status').innerText(), '3 finished.');
    const rows = await p.page.locator('#sim-table tbody tr').evaluateAll((trs) => trs.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(rows.map((r) => r[0]), ['Digital SGD', 'Analog SGD', 'Tiki-Taka']);
    assert.deepEqual(rows.map((r) => r[1]), batch.map((s) => formatSci(s.finalLoss, 3)));
    assert.deepEqual(rows.map((r) => r.at(-1)), ['done', 'done', 'done']);
    await p.screenshot('webview-dashboard-analog-dark');
  });

  it('analog tab: a new batch (index 0) replaces the previous comparison; a stopped run and a failure are reported', async () => {
    const { p } = await dashboard();
    await showTab(p, 'analog');
    for (const s of batch) for (const m of s.messages) await p.post(m);
    await p.waitForMessage('rendered', { accept: (m) => m.tab === 'analog' && chart(m, 'chart-loss').datasets === 3 && (charts(m).find((c) => c.id === 'chart-saturation')?.datasets ?? 0) === 3 });
    const settings: SimulationSettings = { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['analog-sgd'] };
    await p.post({ type: 'simStarted', simId: 'sim-9', series: 'Analog SGD', settings, index: 0, total: 2 });
    await p.post({ type: 'simPoints', simId: 'sim-9', points: [{ step: 0, loss: 0.01 }, { step: 10, loss: 0.005 }] });
    await p.post({ type: 'simDone', simId: 'sim-9', summary: { finalLoss: 0.005, pulses: 10, energyJ: 1e-12, wallMs: 5, cancelled: true } });
    await p.post({ type: 'simStarted', simId: 'sim-10', series: 'Tiki-Taka', settings: { ...settings, algorithms: ['tiki-taka'] }, index: 1, total: 2 });
    await p.post({ type: 'simError', simId: 'sim-10', message: 'the LIM Lens worker stopped' });
    // Only the new batch's curves: Analog SGD's two points (Tiki-Taka failed before any).
    await p.waitForMessage('rendered', { accept: (m) => m.tab === 'analog' && chart(m, 'chart-loss').datasets === 2 && chart(m, 'chart-loss').points === 2 });
    await p.page.waitForFunction(() => document.querySelector('#sim-status')?.textContent?.includes('failed'));
    assert.equal(await p.page.locator('#sim-status').innerText(), '1 finished (stopped early), 1 failed: the LIM Lens worker stopped.');
    const status = await p.page.locator('#sim-table tbody tr td:last-child').allTextContents();
    assert.deepEqual(status, ['stopped', 'failed: the LIM Lens worker stopped']);
  });

  it('analog tab: three runs streaming at once redraw the loss chart at most every 100 ms, live before any run ends; Stop posts meanwhile', async () => {
    const { p } = await dashboard();
    await showTab(p, 'analog');
    const streams = simulationBatch(undefined, 4); // small batches: many messages
    for (const s of streams) await p.post(s.messages[0]); // the three simStarted
    await p.waitForMessage('rendered', { accept: (m) => m.tab === 'analog' && chart(m, 'chart-loss').datasets === 3 });
    // Interleaved as three runs side by side send them, one message every 2 ms, driven by a timer in the page so
    // the page stays free for the click below. Chart.js clears the canvas once per draw: count the clears.
    const points = streams.map((s) => s.messages.filter((m) => m.type === 'simPoints'));
    const interleaved = Array.from({ length: Math.max(...points.map((x) => x.length)) }, (_, i) => points.map((x) => x[i]).filter(Boolean)).flat();
    assert.ok(interleaved.length >= 150, `${interleaved.length} simPoints messages`);
    await p.page.evaluate((messages) => {
      const w = window as unknown as { __draws: number; __flood: { done: boolean; ms: number } };
      w.__draws = 0;
      const clear = CanvasRenderingContext2D.prototype.clearRect;
      CanvasRenderingContext2D.prototype.clearRect = function (this: CanvasRenderingContext2D, ...a: [number, number, number, number]) {
        if (this.canvas.id === 'chart-loss' && this.canvas.isConnected) w.__draws++;
        return clear.apply(this, a);
      };
      w.__flood = { done: false, ms: 0 };
      const t0 = performance.now();
      let i = 0;
      const timer = setInterval(() => {
        window.postMessage(messages[i++], '*');
        if (i === messages.length) {
          clearInterval(timer);
          w.__flood = { done: true, ms: performance.now() - t0 };
        }
      }, 2);
    }, interleaved);
    // Stop while the points stream: the button is not rebuilt under the pointer, its message goes out.
    await p.page.locator('#sim-stop').click();
    await p.waitForMessage('cancelSimulation');
    assert.equal(await p.page.evaluate(() => (window as unknown as { __flood: { done: boolean } }).__flood.done), false, 'Stop was clicked while the points still streamed');
    await p.page.waitForFunction(() => (window as unknown as { __flood: { done: boolean } }).__flood.done, undefined, { timeout: 30_000 });
    // Every streamed point is drawn, with no simDone yet: the curves are live.
    const total = streams.reduce((n, s) => n + s.points.filter((q) => q.loss > 0).length, 0);
    const live = await p.waitForMessage('rendered', { accept: (m) => m.tab === 'analog' && chart(m, 'chart-loss').points === total });
    assert.equal(chart(live, 'chart-loss').datasets, 3);
    assert.equal(await p.page.locator('#sim-status').innerText(), 'Running 3 of 3 simulations…');
    const { ms } = await p.page.evaluate(() => (window as unknown as { __flood: { ms: number } }).__flood);
    const draws = await p.page.evaluate(() => (window as unknown as { __draws: number }).__draws);
    // One draw at most per 100 ms of streaming, plus the first at once and the last after it.
    assert.ok(draws >= 2, `the chart drew while the points streamed (${draws} draws)`);
    assert.ok(draws <= Math.ceil(ms / 100) + 2, `${draws} draws for ${interleaved.length} messages in ${ms.toFixed(0)} ms`);
    assert.ok(draws < interleaved.length / 4, `${draws} draws for ${interleaved.length} messages`);
  });

  it('analog tab: choosing the MLP experiment loads its recipe (rates, pulsed update, epochs) and Run sends it', async () => {
    const { p } = await dashboard();
    await showTab(p, 'analog');
    await p.page.locator('#sim-lr input').fill('0.05'); // a person's own rate for least squares…
    await pickOption(p.page.locator('vscode-single-select[aria-label="Experiment"]'), 'MLP on handwritten digits');
    await p.page.locator('#sim-epochs').waitFor({ timeout: 5000 });
    assert.equal(await p.page.locator('#sim-steps').count(), 0, 'no step count for an epoch-based experiment');
    const field = (id: string) => p.page.locator(id).getAttribute('value');
    assert.deepEqual([await field('#sim-lr'), await field('#sim-fast-lr'), await field('#sim-transfer-lr'), await field('#sim-epochs')], ['0.1', '0.05', '1', '30']);
    await p.page.locator('#sim-run').click();
    const run = (await p.waitForMessage('simulate')).settings as SimulationSettings;
    assert.deepEqual({ experiment: run.experiment, lr: run.lr, fastLr: run.fastLr, transferLr: run.transferLr, mode: run.mode }, { experiment: 'mlp-digits', ...EXPERIMENT_RECIPES['mlp-digits'] });
  });

  it('analog tab: the form shows the settings of the batch that runs, also when a command started it', async () => {
    const { p } = await dashboard();
    await showTab(p, 'analog');
    assert.equal(await p.page.locator('#sim-steps').getAttribute('value'), String(DEFAULT_SIMULATION_SETTINGS.steps));
    const settings: SimulationSettings = { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['analog-sgd', 'ttv2'], steps: 5000, device: 'reram-sb', seed: 7 };
    for (const m of simulationBatch(settings)[0].messages) await p.post(m);
    await p.page.locator('#sim-status', { hasText: '1 finished.' }).waitFor({ timeout: 5000 });
    assert.equal(await p.page.locator('#sim-steps').getAttribute('value'), '5000');
    assert.equal(await p.page.locator('#sim-seed').getAttribute('value'), '7');
    const ticked = await p.page.locator('.algos vscode-checkbox[checked]').evaluateAll((els) => els.map((e) => e.id));
    assert.deepEqual(ticked, ['algo-analog-sgd', 'algo-ttv2']);
    // …and Run runs them again.
    await p.page.locator('#sim-run').click();
    const run = await p.waitForMessage('simulate');
    assert.deepEqual({ ...(run.settings as SimulationSettings) }, settings);
  });

  it('analog tab: Run, Stop, a paper sweep and the aihwkit export post their messages with the settings on screen', async () => {
    const { p } = await dashboard();
    await showTab(p, 'analog');
    await p.page.locator('#algo-tiki-taka').click(); // untick Tiki-Taka
    const steps = p.page.locator('#sim-steps');
    await steps.click();
    await steps.locator('input').fill('5000');
    await steps.locator('input').press('Tab');
    await p.page.locator('#sim-run').click();
    const run = await p.waitForMessage('simulate');
    const settings = run.settings as SimulationSettings;
    assert.deepEqual(settings.algorithms, ['sgd', 'analog-sgd']);
    assert.equal(settings.steps, 5000);
    assert.equal(run.sweep, undefined);
    await p.page.locator('#sim-stop').click();
    await p.waitForMessage('cancelSimulation');
    await p.page.locator('vscode-button', { hasText: 'τ sweep' }).click();
    const sweep = await p.waitForMessage('simulate', { count: 2 });
    assert.deepEqual(sweep.sweep, { param: 'tau', values: [1, 1.5, 2, 2.5] });
    await p.page.locator('vscode-button', { hasText: 'Export aihwkit script' }).click();
    const exp = await p.waitForMessage('exportAihwkit');
    assert.deepEqual((exp.settings as SimulationSettings).algorithms, ['sgd', 'analog-sgd']);
  });

  it('exports: a chart as PNG (a data URL on the theme background) and the bounds table as CSV and Markdown', async () => {
    const { p } = await dashboard();
    await p.page.locator('figure', { hasText: 'Energy ladder' }).locator('vscode-button', { hasText: 'PNG' }).click();
    const png = await p.waitForMessage('exportPng');
    assert.equal(png.name, 'energy-ladder');
    assert.match(String(png.dataUrl), /^data:image\/png;base64,[A-Za-z0-9+/]{1000,}/);
    await p.page.locator('figure', { hasText: 'Bounds' }).locator('vscode-button', { hasText: 'CSV' }).click();
    const csv = await p.waitForMessage('exportTable');
    assert.equal(csv.format, 'csv');
    assert.match(String(csv.content), /^bound,joules,energy,× E_L,provenance\n/);
    await p.page.locator('figure', { hasText: 'Bounds' }).locator('vscode-button', { hasText: 'Markdown' }).click();
    const md = await p.waitForMessage('exportTable', { count: 2 });
    // Text cells are escaped as every Markdown table is (markdownText); the table reads the same rendered.
    assert.match(String(md.content), /^\| bound \| joules \| energy \| × E\\_L \| provenance \|\n\| --- \| ---: \|/);
    assert.match(String(md.content), /\n\| Landauer \\\(adiabatic\\\) E\\_L \| 1\.654e8 \| /);
  });

  it('shows an error it is sent in place of the energy charts, and leaves the analog tab’s runs alone', async () => {
    const { p } = await dashboard();
    await p.post({ type: 'error', message: 'no estimate for models/broken/config.json' });
    await p.page.locator('[role="alert"]', { hasText: 'no estimate for models/broken/config.json' }).first().waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await p.page.locator('canvas#chart-ladder').count(), 0);
    await showTab(p, 'analog');
    for (const m of batch[0].messages) await p.post(m);
    await p.page.locator('#sim-status', { hasText: '1 finished.' }).waitFor({ timeout: 5000 });
    await p.post({ type: 'error', message: 'the LIM Lens worker stopped' });
    await p.page.waitForTimeout(300);
    assert.equal(await p.page.locator('#sim-status').innerText(), '1 finished.', 'the analog tab keeps its runs');
    assert.equal(await p.page.locator('#sim-table tbody tr').count(), 1);
  });

  it('drops malformed messages, says so in a log message, and draws nothing for them', async () => {
    const p = await pages.open('dashboard');
    await p.waitForMessage('ready');
    const bad: unknown[] = [
      { type: 'bounds', bounds: {}, title: 'the old protocol' },
      { type: 'energy', view: { title: 'no bounds' } },
      { type: 'showTab', tab: 'settings' },
      { type: 'simStarted', simId: 's', series: 'x', settings: { experiment: 'chess' } },
      { type: 'simPoints', simId: 1, points: [] },
      'energy',
      null,
      { no: 'type' },
    ];
    for (const m of bad) await p.post(m);
    const logs = await p.waitForMessage('log', { count: bad.length });
    assert.equal(logs.level, 'warn');
    const all = (await p.sent()).filter((m) => m.type === 'log');
    assert.equal(all.length, bad.length);
    for (const l of all) assert.match(String(l.message), /^dropped a malformed message/);
    assert.equal(await p.page.locator('canvas').count(), 0);
    assert.equal(await p.count('rendered'), 0);
  });

  it('selecting a run in the header posts select with its id', async () => {
    const { p } = await dashboard();
    const llama = runs.find((r) => r.relativePath.endsWith('models/llama-2-7b/config.json'));
    assert.ok(llama);
    await pickOption(p.page.locator('#run-picker'), llama.label);
    const select = await p.waitForMessage('select');
    assert.equal(select.selection, llama.id);
    // The host answers with that run's view: the page draws it under its title.
    const runView: EnergyView = { ...view, selection: llama.id, title: `${llama.label} — models/llama-2-7b/config.json` };
    await p.post({ type: 'energy', view: runView });
    const rendered = await p.waitForMessage('rendered', { accept: (m) => m.title === runView.title });
    assert.equal(chart(rendered, 'chart-ladder').points, 4);
  });

  it('enforces its CSP: an injected inline script is blocked and reported', async () => {
    const p = await pages.env().open('dashboard'); // not checked after the test: it provokes a violation
    await p.waitForMessage('ready');
    const ran = await p.page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true;';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 100));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    assert.equal(ran, false, 'the inline script must not run');
    const csp = await p.cspViolations();
    assert.ok(csp.some((v) => /script-src/.test(v)), `the violation was reported: ${JSON.stringify(csp)}`);
    await p.close(); // not via afterEach, which fails on any violation
  });

  it('asked for nothing but loopback', () => {
    assert.equal(pages.env().networkProblem(), undefined);
  });
});
