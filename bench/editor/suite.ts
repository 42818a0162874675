// Runs inside a real VS Code extension host (code-server, like the integration tests) and measures what users
// feel: activation, hover latency on a large config (cold and cached), the CodeLens, and the time from
// "Open Dashboard" to the first chart on screen. Prints BENCH_RESULT lines for scripts/run-bench.mjs.
import * as vscode from 'vscode';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LimLensExports } from '../../src/extension/extension';
import { EstimateCodeLensProvider, EstimateHoverProvider } from '../../src/extension/editorProviders';
import { SimulationRunner } from '../../src/extension/simulationRunner';
import { WorkerClient } from '../../src/extension/workerClient';
import { DEFAULT_SIMULATION_SETTINGS, withExperiment, type SimulationSettings } from '../../src/protocol/dashboard';
import { largeNemoConfig } from './largeConfig';

const EXTENSION_ID = 'lim-lens.lim-lens';

function record(name: string, value: number, unit: string, sorted?: number[], note?: string): void {
  const pct = (p: number) => (sorted ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : undefined);
  const spread = sorted ? `p90 ${pct(90)?.toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms of ${sorted.length}` : undefined;
  console.log('BENCH_RESULT ' + JSON.stringify({ name, value, unit, p50Ms: pct(50), p99Ms: pct(99), samples: sorted?.length, note: [note, spread].filter(Boolean).join('; ') || undefined }));
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<LimLensExports>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  const exports = await ext.activate();
  record('extension: activate() (commands, providers, views registered; no worker yet)', exports.activationMs, 'ms');

  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error('the benchmark needs the fixture workspace open');
  const repo = join(__dirname, '..', '..', '..');
  const text = largeNemoConfig(repo);
  const file = vscode.Uri.joinPath(root, 'bench-large-nemo.yaml');
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  const at = doc.positionAt(text.indexOf('hidden_size:') + 2);
  const hover = new EstimateHoverProvider(exports.analysis);
  const token = new vscode.CancellationTokenSource().token;

  // Warm the worker once (its start is a one-off, measured separately below).
  const [workerStart] = await timed(() => hover.provideHover(doc, at, token));
  record('hover: first ever (starts the worker thread)', workerStart, 'ms', undefined, `${doc.lineCount} lines, ${(text.length / 1024).toFixed(0)} KB`);

  // Cold: each sample follows an edit, so the document and field analyses are recomputed in the worker.
  const cold: number[] = [];
  for (let i = 0; i < 100; i++) {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(doc.lineCount - 1, 0), `# edit ${i}\n`);
    await vscode.workspace.applyEdit(edit);
    const [ms, h] = await timed(() => hover.provideHover(doc, at, token));
    if (!h) throw new Error('no hover on hidden_size of the large config');
    cold.push(ms);
  }
  cold.sort((a, b) => a - b);
  record('hover: cold (after an edit), large config', cold[Math.floor(cold.length / 2)], 'ms (p50)', cold, `${doc.lineCount} lines`);

  await scheduling(exports, doc, hover, at, token);
  if (process.env.LIM_BENCH_ONLY === 'scheduling') {
    await vscode.workspace.fs.delete(file);
    console.log('1 passed, 0 failed');
    return;
  }

  const cached: number[] = [];
  for (let i = 0; i < 300; i++) cached.push((await timed(() => hover.provideHover(doc, at, token)))[0]);
  cached.sort((a, b) => a - b);
  record('hover: cached, large config', cached[Math.floor(cached.length / 2)], 'ms (p50)', cached);

  const e2e: number[] = [];
  for (let i = 0; i < 50; i++) e2e.push((await timed(() => Promise.resolve(vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at))))[0]);
  e2e.sort((a, b) => a - b);
  record('hover: through VS Code (executeHoverProvider, all providers), cached', e2e[Math.floor(e2e.length / 2)], 'ms (p50)', e2e);

  const lens = new EstimateCodeLensProvider(exports.analysis);
  const lensTimes: number[] = [];
  for (let i = 0; i < 30; i++) {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(doc.lineCount - 1, 0), `# lens ${i}\n`);
    await vscode.workspace.applyEdit(edit);
    lensTimes.push((await timed(() => Promise.resolve(lens.provideCodeLenses(doc, token))))[0]);
  }
  lens.dispose();
  lensTimes.sort((a, b) => a - b);
  record('CodeLens: after an edit, large config', lensTimes[Math.floor(lensTimes.length / 2)], 'ms (p50)', lensTimes);

  // Time to first chart: command → webview loads → worker computes → chart painted and reported.
  // (Save first: closing a dirty editor would wait on a "save changes?" dialog.)
  await doc.save();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  // Split at the page's "ready": before it, VS Code creates the webview and loads the bundle; after it, the host
  // sends the data, the worker computes, chart.js draws.
  // Opens that hit code-server's service-worker stall (the page waits until the previous webview's worker is
  // terminated, about 31 s after it was closed; see BENCHMARKS.md) are counted and listed, not mixed into the
  // figures: they measure Chromium's idle timeout, not the editor or LIM Lens.
  const STALL_MS = 20_000;
  const opens: Array<{ chart: number; ready: number; readyToChart: number }> = [];
  for (let i = 0; i < 10; i++) {
    const t0 = Date.now();
    let readyAt = NaN;
    const drawn = new Promise<number>((resolve) => {
      const sub = exports.testHooks.onDidReceiveMessage((r) => {
        if (r.view !== 'dashboard') return;
        if (r.message.type === 'ready' && Number.isNaN(readyAt)) readyAt = r.at;
        const charts = r.message.charts as Array<{ painted: number }> | undefined;
        if (r.message.type === 'rendered' && charts?.some((c) => c.painted > 0)) {
          sub.dispose();
          // When the chart was drawn, by the page's clock (the same machine's): the report itself follows a 60 ms
          // debounce and a read-back of every canvas.
          resolve(typeof r.message.drawnAt === 'number' ? r.message.drawnAt : r.at);
        }
      });
    });
    await vscode.commands.executeCommand('limLens.openDashboard');
    const at = await drawn;
    opens.push({ chart: at - t0, ready: readyAt - t0, readyToChart: at - readyAt });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
  console.log(`dashboard opens in order (first chart): ${opens.map((o) => o.chart.toFixed(0)).join(', ')} ms`);
  // The first open of a window is the common case (a panel opened once and kept); re-opens right after a close
  // pay for code-server tearing down the previous webview.
  const first = opens[0];
  record('dashboard: first open of the window → first chart painted', first.chart, 'ms', undefined, `page ready at ${first.ready.toFixed(0)} ms, chart ${first.readyToChart.toFixed(0)} ms later`);
  const reopens = opens.slice(1);
  const clean = reopens.filter((o) => o.ready < STALL_MS);
  const stalled = reopens.length - clean.length;
  const stallNote = `${stalled} of ${reopens.length} re-opens stalled ≥ 20 s in code-server's service worker, left out`;
  const sorted = (k: 'chart' | 'ready' | 'readyToChart') => clean.map((o) => o[k]).sort((x, y) => x - y);
  const p50 = (a: number[]) => a[Math.ceil(a.length / 2) - 1]; // as record()'s p50 column
  const firstChart = sorted('chart');
  if (firstChart.length === 0) throw new Error(`every dashboard re-open stalled: ${stallNote}`);
  record('dashboard: re-open → first chart painted', p50(firstChart), 'ms (p50)', firstChart, stallNote);
  record('dashboard: re-open → page ready (VS Code loads the webview)', p50(sorted('ready')), 'ms (p50)', sorted('ready'));
  record('dashboard: re-open, page ready → first chart painted (data, worker, chart.js)', p50(sorted('readyToChart')), 'ms (p50)', sorted('readyToChart'));

  await vscode.workspace.fs.delete(file);
  console.log('1 passed, 0 failed');
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/**
 * Hovers and simulations at once: a cold hover on the large config while a pulsed three-algorithm comparison on
 * the digits runs, and the comparison's wall time against the sum of its runs' times (each run alone): through
 * a SimulationRunner of its own (no webview), through the dashboard (limLens.runSimulation: the panel's runner,
 * its curves posted to the page, which draws them), and posted straight to the pool. Measured with the
 * extension's own worker pool, then with a pool of one batch worker per core (the rule before cores + 1, for
 * comparison; LIM_BENCH_OVERSUBSCRIBED=0 skips it).
 */
async function scheduling(exports: LimLensExports, doc: vscode.TextDocument, hover: EstimateHoverProvider, at: vscode.Position, token: vscode.CancellationToken): Promise<void> {
  const log = vscode.window.createOutputChannel('LIM Lens bench', { log: true });
  console.log(`scheduling: ${exports.worker.batchWorkers} batch workers on ${availableParallelism()} cores; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await comparisonFigures(exports.worker, '', doc, hover, at, token, log, exports);
  const ext = vscode.extensions.getExtension<LimLensExports>(EXTENSION_ID);
  const cores = availableParallelism();
  if (ext && process.env.LIM_BENCH_OVERSUBSCRIBED !== '0' && cores !== exports.worker.batchWorkers) {
    const other = new WorkerClient(ext.extensionPath, log, { batchWorkers: cores });
    try {
      await comparisonFigures(other, ` [${other.batchWorkers} batch workers, one per core, for comparison]`, doc, hover, at, token, log);
    } finally {
      await other.terminate();
    }
  }
  console.log(`scheduling: load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  log.dispose();
}

/**
 * One comparison started as the dashboard's Run button starts it (limLens.runSimulation: the panel opens on the
 * analog tab, its runner streams the curves to the page): the time from the command to the last run's end, the
 * simPoints messages posted, the draws the page reported.
 */
async function throughDashboard(exports: LimLensExports, settings: SimulationSettings, runs: number): Promise<{ ms: number; messages: number; renders: number }> {
  let messages = 0;
  let renders = 0;
  let ended = 0;
  const subs: vscode.Disposable[] = [];
  const t0 = performance.now();
  const finished = new Promise<void>((resolve, reject) => {
    subs.push(
      exports.testHooks.onDidPostMessage((r) => {
        if (r.view !== 'dashboard') return;
        if (r.message.type === 'simPoints') messages++;
        if (r.message.type === 'simError') reject(new Error(`a run through the dashboard failed: ${String(r.message.message)}`));
        if (r.message.type === 'simDone' && ++ended === runs) resolve();
      }),
      exports.testHooks.onDidReceiveMessage((r) => {
        if (r.view === 'dashboard' && r.message.type === 'rendered') renders++;
      }),
    );
  });
  try {
    await vscode.commands.executeCommand('limLens.runSimulation', settings);
    await finished;
    return { ms: performance.now() - t0, messages, renders };
  } finally {
    for (const d of subs) d.dispose();
  }
}

async function comparisonFigures(
  client: WorkerClient,
  label: string,
  doc: vscode.TextDocument,
  hover: EstimateHoverProvider,
  at: vscode.Position,
  token: vscode.CancellationToken,
  log: vscode.LogOutputChannel,
  exports?: LimLensExports,
): Promise<void> {
  const runner = new SimulationRunner(client, log);
  const digits = withExperiment({ ...DEFAULT_SIMULATION_SETTINGS }, 'mlp-digits');
  const plan = await client.run('planSimulations', { settings: digits });
  const failures: string[] = [];
  const quiet = { started() {}, points() {}, done() {}, failed: (_: string, m: string) => void failures.push(m) };
  // A comparison first, unmeasured: every worker that runs one has loaded the digits and compiled the simulator.
  await runner.run(digits, quiet);
  // (and one through the dashboard, which opens the panel and loads its page)
  if (exports) await throughDashboard(exports, digits, plan.length);
  // Three rounds of: each run alone, one after another (the sum a sequential comparison costs), then the comparison.
  // The same three jobs straight to the pool (no SimulationRunner, no progress notification), side by side.
  const rounds: Array<{ alone: number[]; wall: number; direct: number; dashboard?: { ms: number; messages: number; renders: number } }> = [];
  for (let round = 0; round < 3; round++) {
    const alone: number[] = [];
    for (const p of plan) alone.push((await timed(() => client.run('simulate', { config: p.config })))[0]);
    const [wall] = await timed(() => runner.run(digits, quiet));
    const [direct] = await timed(() => Promise.all(plan.map((p) => client.run('simulate', { config: p.config }))));
    const dashboard = exports ? await throughDashboard(exports, digits, plan.length) : undefined;
    rounds.push({ alone, wall, direct, dashboard });
  }
  if (failures.length > 0) throw new Error(`a run of the comparison failed: ${failures.join('; ')}`);
  const ratios = rounds.map((r) => r.wall / r.alone.reduce((a, b) => a + b, 0));
  const median = [...ratios].sort((a, b) => a - b)[1];
  const s = (ms: number) => (ms / 1000).toFixed(2);
  record(`simulation: ${plan.length}-algorithm pulsed digits comparison, wall time ÷ sum of its runs alone (median of 3)${label}`, median, '×', undefined,
    rounds.map((r, i) => `${ratios[i].toFixed(2)}× = ${s(r.wall)} s ÷ (${r.alone.map(s).join(' + ')}) s`).join('; '));
  const direct = rounds.map((r) => r.direct / r.alone.reduce((a, b) => a + b, 0));
  record(`simulation: the same ${plan.length} runs posted to the worker pool at once (no runner, no notification) ÷ runs alone (median of 3)${label}`, [...direct].sort((a, b) => a - b)[1], '×', undefined,
    rounds.map((r, i) => `${direct[i].toFixed(2)}× = ${s(r.direct)} s`).join('; '));
  if (exports) {
    const dash = rounds.map((r) => (r.dashboard?.ms ?? NaN) / r.alone.reduce((a, b) => a + b, 0));
    record(`simulation: the same comparison through the dashboard (limLens.runSimulation, curves drawn live) ÷ runs alone (median of 3)${label}`, [...dash].sort((a, b) => a - b)[1], '×', undefined,
      rounds.map((r, i) => `${dash[i].toFixed(2)}× = ${s(r.dashboard?.ms ?? NaN)} s, ${r.dashboard?.messages} simPoints posted, ${r.dashboard?.renders} draws reported`).join('; '));
  }

  // Cold hovers, one after another with 20 ms between, while comparisons run: at least 100 samples or 3 comparisons.
  const during: number[] = [];
  let edits = 0;
  for (let round = 0; round < 3 && during.length < 100; round++) {
    let running = true;
    const comparison = runner.run(digits, quiet).finally(() => (running = false));
    await sleep(200); // the runs are under way
    while (running) {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(doc.lineCount - 1, 0), `# busy ${edits++}\n`);
      await vscode.workspace.applyEdit(edit);
      const [ms, h] = await timed(() => hover.provideHover(doc, at, token));
      if (!h) throw new Error('no hover on hidden_size of the large config');
      if (running) during.push(ms);
      await sleep(20);
    }
    await comparison;
  }
  if (failures.length > 0) throw new Error(`a run of a comparison failed: ${failures.join('; ')}`);
  during.sort((a, b) => a - b);
  record(`hover: cold, large config, while a pulsed digits comparison runs${label}`, pct(during, 50), 'ms (p50)', during, `${doc.lineCount} lines`);
}
