// Every command LIM Lens contributes, run with its arguments (no quick picks) or, where a person would pick, through
// the quick pick itself; each test asserts the command's real effect: files written and their content, settings,
// panels, markdown, the log.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { exportAihwkitScript } from '../../../src/core/analog';
import { reportJson, type EnergyReport } from '../../../src/core/estimate';
import { workspaceMessage, workspaceTotal } from '../../../src/core/estimate/workspaceTotal';
import { formatSig } from '../../../src/core/units/format';
import { markdownText } from '../../../src/core/text/escape';
import { EXAMPLE_RUN_FILE } from '../../../src/extension/exampleRun';
import { glossaryMarkdown, GLOSSARY_TITLE } from '../../../src/core/glossary';
import { DEFAULT_SIMULATION_SETTINGS, type EnergyView, type SimulationSettings } from '../../../src/protocol/dashboard';
import type { RunSummary } from '../../../src/protocol/runs';
import { configFor } from '../../../src/worker/simulationPlan';
import { activateExtension, assertClose, closeAllEditors, codeLenses, coreAnalysis, dashboardTrace, EXTENSION_ID, fixtureUri, limHover, messagesSince, screenshot, setSetting, sleep, tabsLabelled, ui, skipWithoutUi, suiteWithCleanEditors, uiAvailable, waitFor, waitForPosted, waitForRender, workspaceRoot } from './helpers';
import { FIXTURE_CONFIGS } from '../../harness/workspaceConfigs';

const FIXTURES = FIXTURE_CONFIGS;

/** Texts of the notification toasts on screen (empty without the runner). */
async function toasts(): Promise<string[]> {
  if (!uiAvailable()) return [];
  const selector = '.notifications-toasts .notification-toast';
  return (await ui<number>({ op: 'count', selector })) > 0 ? ui<string[]>({ op: 'texts', selector }) : [];
}

const exportTarget = (name: string) => vscode.Uri.joinPath(workspaceRoot(), 'exports', name);

suite('commands: every contributed command and its effect', () => {
  const ran = new Set<string>();
  const run = async <T>(command: string, ...args: unknown[]): Promise<T> => {
    ran.add(command);
    return vscode.commands.executeCommand<T>(command, ...args);
  };

  suiteWithCleanEditors(() => rmSync(exportTarget('').fsPath, { recursive: true, force: true }));

  test('Estimate Training Energy (estimateFile uri): returns the core’s report and opens the dashboard on the file', async () => {
    const uri = fixtureUri('pretrain/pretrain_gpt_1.3b.sh');
    const since = Date.now();
    const report = await run<EnergyReport>('limLens.estimateFile', uri);
    const core = coreAnalysis('pretrain/pretrain_gpt_1.3b.sh').report;
    assert.ok(report && core);
    assert.equal(report.params.total, core.params.total);
    assertClose(report.accelerator.energyJ, core.accelerator.energyJ, 1e-12, 'energy (J)');
    assert.equal(report.accelerator.devices, 32, '4 nodes × 8 GPUs, read from the script');
    const energy = await waitForPosted('dashboard', 'energy', { since, accept: (m) => (m.view as EnergyView).selection === uri.toString() });
    assertClose((energy.message.view as EnergyView).bounds.energy.accelerator, core.accelerator.energyJ, 1e-9, 'dashboard ladder (J)');
    await waitForPosted('dashboard', 'showTab', { since, accept: (m) => m.tab === 'energy' });
    assert.equal(tabsLabelled('LIM Lens Dashboard').length, 1);
    await closeAllEditors();
  });

  test('Estimate Training Energy on the active editor; on a file that is not a config it says so and returns the reason', async function () {
    await vscode.window.showTextDocument(fixtureUri('models/mixtral-8x7b/config.json'));
    const report = await run<EnergyReport>('limLens.estimateFile');
    assert.equal(report?.modelType, 'mixtral');
    assert.equal(report?.params.total, coreAnalysis('models/mixtral-8x7b/config.json').report?.params.total);
    await closeAllEditors();
    const since = Date.now();
    const analysis = await run<{ report?: unknown; diagnostics: Array<{ code: string }> }>('limLens.estimateFile', fixtureUri('package.json'));
    assert.equal(analysis.report, undefined);
    assert.deepEqual(analysis.diagnostics.map((d) => d.code), ['not-a-config']);
    if (uiAvailable()) await waitFor('the warning', async () => (await toasts()).some((t) => /no estimate for .*package\.json.*not a recognised model or training config/.test(t)));
    await vscode.commands.executeCommand('notifications.clearAll'); // the warning has been seen; later suites count toasts
    assert.deepEqual(await messagesSince('posted', 'dashboard', 'showTab', since), [], 'the dashboard is not shown for a file without an estimate');
    skipWithoutUi(this, 'the warning notification');
  });

  test('Estimate Workspace: every fixture config; the total counts distinct runs of known size and says what it leaves out; actions; the sidebar focused', async function () {
    const runs = await run<RunSummary[]>('limLens.estimateWorkspace');
    assert.deepEqual(runs.map((r) => r.relativePath.replace(/^[^/]+\//, '')).sort(), FIXTURES);
    // The core's total of the same files: the bare model configs (tokens from 20 per parameter) are left out.
    const total = workspaceTotal(FIXTURES.map((f) => ({ ...coreAnalysis(f), file: f })));
    assert.ok(total.counted.includes('runs/llama-2-7b-pretrain.lim.yaml'));
    assert.equal(total.excluded.find((e) => e.file === 'models/llama-2-7b/config.json')?.reason, 'size-defaulted');
    const naive = FIXTURES.reduce((s, rel) => s + (coreAnalysis(rel).report?.accelerator.energyJ ?? 0), 0);
    assert.ok(total.energyJ < naive, 'the total is not the sum of every file');
    const estimated = runs.filter((r) => r.energyJ !== undefined).length;
    const problems = runs.filter((r) => r.diagnostics.some((d) => d.severity === 'error')).length;
    const expected = workspaceMessage(FIXTURES.length, estimated, total, problems);
    assert.match(expected, /^LIM Lens: 7 configs, \d with an estimate · ≈ .* on accelerators for \d distinct runs · \d+ left out of the total: /);
    if (uiAvailable()) {
      await waitFor('the summary notification', async () => (await toasts()).some((t) => t.includes(expected)));
      const title = await ui<string>({ op: 'text', selector: '.part.sidebar .composite.title .title-label h2' });
      assert.match(title, /^LIM LENS/i, 'the Training Runs view is shown');
      const actions = await ui<string[]>({ op: 'texts', selector: '.notifications-toasts .notification-list-item-buttons-container .monaco-button' }).catch(() => [] as string[]);
      if (actions.length) assert.ok(actions.includes('Open Report'), `actions: ${actions.join(', ')}`);
      await sleep(300);
      await screenshot('integration-estimate-workspace');
    }
    skipWithoutUi(this, 'the summary notification');
  });

  test('Open Dashboard (no argument): reveals the open panel as it is; a new panel starts on the brain-scale preset', async () => {
    assert.equal(tabsLabelled('LIM Lens Dashboard').length, 1, 'open since the first test');
    let since = Date.now();
    await run('limLens.openDashboard');
    await sleep(500);
    assert.deepEqual(await messagesSince('posted', 'dashboard', 'energy', since), [], 'the selection stays');
    assert.equal(tabsLabelled('LIM Lens Dashboard').length, 1);
    await closeAllEditors({ dashboard: true });
    since = Date.now();
    await run('limLens.openDashboard');
    const energy = await waitForPosted('dashboard', 'energy', { since });
    assert.equal((energy.message.view as EnergyView).selection, 'preset:brain-scale');
  });

  test('Compare Configs (uri, uris): the configs side by side in the dashboard’s Compare tab, with their short names and the core’s numbers', async () => {
    const a = fixtureUri('models/llama-2-7b/config.json');
    const b = fixtureUri('runs/llama-2-7b-pretrain.lim.yaml');
    const c = fixtureUri('models/mixtral-8x7b/config.json');
    const since = Date.now();
    const runs = await run<RunSummary[]>('limLens.compareConfigs', a, [a, b, c]);
    const reports = ['models/llama-2-7b/config.json', 'runs/llama-2-7b-pretrain.lim.yaml', 'models/mixtral-8x7b/config.json'].map((r) => coreAnalysis(r).report);
    assert.ok(reports.every((r) => r !== undefined));
    assert.deepEqual(runs.map((r) => r.uri), [a, b, c].map((u) => u.toString()), 'in the order chosen');
    // The labels the run lists show (a model config without a name: framework · folder/file).
    assert.deepEqual(runs.map((r) => r.label), ['meta-llama/Llama-2-7b-hf', 'Llama-2-7B pre-training', 'Hugging Face · mixtral-8x7b/config.json']);
    assert.deepEqual(runs.map((r) => r.energyJ), reports.map((r) => r?.accelerator.energyJ));
    assert.deepEqual(runs.map((r) => r.paramsActive), reports.map((r) => r?.params.active));
    // The dashboard shows them on its Compare tab; no Markdown document is opened.
    const posted = await waitForPosted('dashboard', 'comparison', { since });
    assert.deepEqual((posted.message.runs as RunSummary[]).map((r) => r.label), runs.map((r) => r.label));
    await waitForPosted('dashboard', 'showTab', { since, accept: (m) => m.tab === 'compare' });
    // The first draw may come before the tab is shown (a hidden canvas paints nothing); the next one, once it shows.
    const rendered = await waitForRender('dashboard', { since, accept: (m) => m.tab === 'compare' && (m.charts as Array<{ painted: number }>).some((c) => c.painted > 1000) });
    const bars = (rendered.message.charts as Array<{ id: string; points: number; painted: number }>).find((x) => x.id === 'chart-compare');
    assert.ok(bars && bars.points === 6 && bars.painted > 1000, JSON.stringify(rendered.message.charts));
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.languageId === 'markdown' && d.isUntitled).length, 0, 'no untitled Markdown document');
    await sleep(300);
    await screenshot('integration-compare');
    await closeAllEditors();
  });

  test('Select Hardware Profile (id) sets limLens.hardware; from the quick pick, picking B200 sets it too', async function () {
    const config = () => vscode.workspace.getConfiguration('limLens');
    try {
      assert.equal(await run<string>('limLens.selectHardware', 'tpu-v4'), 'tpu-v4');
      assert.equal(config().get('hardware'), 'tpu-v4');
      assert.equal(config().inspect('hardware')?.globalValue, 'tpu-v4', 'written to the user settings');
      await vscode.window.showTextDocument(fixtureUri('models/llama-2-7b/config.json'));
      await waitFor('the CodeLens on TPU v4', async () => / device-hours on TPU v4 \(chip\) · /.test((await codeLenses(fixtureUri('models/llama-2-7b/config.json')))[0]?.command?.title ?? ''));
      if (uiAvailable()) {
        // As a person would: the command without an argument opens a quick pick of the profiles.
        const picked = vscode.commands.executeCommand<string>('limLens.selectHardware');
        await ui({ op: 'click', selector: '.quick-input-widget .quick-input-list .monaco-list-row', hasText: 'NVIDIA B200' });
        assert.equal(await picked, 'b200');
        assert.equal(config().get('hardware'), 'b200');
      }
    } finally {
      await config().update('hardware', undefined, vscode.ConfigurationTarget.Global);
      await closeAllEditors();
    }
    skipWithoutUi(this, 'picking from the quick pick');
  });

  /** Runs an export command with the save dialog answered `answer` (the dialog cannot be clicked from here). */
  const exportVia = async (answer: vscode.Uri, command: string, ...args: unknown[]): Promise<vscode.Uri> => {
    const { testHooks } = await activateExtension();
    const asked = testHooks.saveDialog.asked.length;
    testHooks.saveDialog.answers.push(answer);
    const written = await run<vscode.Uri>(command, ...args);
    assert.equal(testHooks.saveDialog.asked.length, asked + 1, `${command} asked where to save`);
    assert.equal(testHooks.saveDialog.answers.length, 0);
    return written;
  };

  test('Export Report (markdown, csv, json): asks where to save every time; the files hold every fixture config, JSON as the CLI writes it', async () => {
    const md = await exportVia(exportTarget('report.md'), 'limLens.exportReport', 'markdown');
    const csv = await exportVia(exportTarget('report.csv'), 'limLens.exportReport', 'csv');
    const json = await exportVia(exportTarget('report.json'), 'limLens.exportReport', 'json');
    for (const f of [md, csv, json]) assert.ok(f && existsSync(f.fsPath), `${f?.fsPath} written`);

    // JSON: one record per config, the same as `lim-lens estimate --json` (reportJson) computes for the files.
    type Rec = { file: string; accelerator: { energyJ: number } };
    const records = (JSON.parse(readFileSync(json.fsPath, 'utf8')) as Rec[]).sort((x, y) => x.file.localeCompare(y.file));
    assert.deepEqual(records.map((r) => r.file), FIXTURES.map((f) => `workspace/${f}`));
    const expected = (JSON.parse(reportJson(FIXTURES.map((f) => ({ ...coreAnalysis(f), file: `workspace/${f}` })))) as Array<Rec & Record<string, unknown>>).map((r) => ({
      ...r,
      diagnostics: r.diagnostics as unknown[],
    }));
    for (const [i, r] of records.entries()) {
      const e = expected[i] as Rec & { diagnostics: Array<{ file: string }> };
      assert.deepEqual(
        { ...r, diagnostics: undefined },
        { ...e, diagnostics: undefined },
        `${r.file}: the same record as the CLI's JSON`,
      );
    }

    // CSV: a header and one row per config, energy in joules.
    const rows = readFileSync(csv.fsPath, 'utf8').trim().split('\n');
    assert.match(rows[0], /^file,format,model_type,params_total,/);
    assert.equal(rows.length, 1 + FIXTURES.length);
    const llama = rows.find((r) => r.startsWith('workspace/models/llama-2-7b/config.json,'));
    assert.ok(llama?.includes(',6738415616,'), llama);

    // Markdown: a titled table with a row per config, the total of distinct runs of known size first.
    const text = readFileSync(md.fsPath, 'utf8');
    assert.match(text, /^# LIM Lens energy report — the workspace\n\n\*\*Total:\*\* ≈ .* for \d distinct runs \(\d+ left out of the total: .*\)\.\n\n\| file \| model \|/);
    // Sorted: the largest energy first (the Llama-2-7B pre-training run, 184,320 A100 GPU-hours).
    const firstRow = text.split('\n').find((l) => l.startsWith('| workspace/'));
    assert.ok(firstRow?.startsWith('| workspace/runs/llama-2-7b-pretrain.lim.yaml |'), firstRow);
    for (const f of FIXTURES) assert.ok(text.includes(`| ${markdownText(`workspace/${f}`, 200)} |`), `${f} in the markdown table`);
    assert.match(text, /7 estimated, 0 without an estimate/);
  });

  test('Export Report (markdown, file) from an open run file: that file alone, under its own name', async () => {
    await vscode.window.showTextDocument(fixtureUri('runs/mixtral-what-if.lim.yaml'));
    const { testHooks } = await activateExtension();
    const asked = testHooks.saveDialog.asked.length;
    const md = await exportVia(exportTarget('one.md'), 'limLens.exportReport', 'markdown', 'file');
    assert.match(testHooks.saveDialog.asked[asked]?.defaultUri ?? '', /lim-lens-report-mixtral-what-if\.lim\.md$/, 'the save dialog offers the file’s own name');
    const text = readFileSync(md.fsPath, 'utf8');
    assert.match(text, /^# LIM Lens energy report — workspace\/runs\/mixtral-what-if\.lim\.yaml\n/);
    assert.deepEqual(text.split('\n').filter((l) => l.startsWith('| workspace/')).length, 1, 'one row');
    assert.match(text, /1 estimated, 0 without an estimate/);
    await closeAllEditors();
  });

  test('Export Simulation as aihwkit Script (settings): asks where to save; the script for the first analog algorithm', async () => {
    const settings: SimulationSettings = { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['sgd', 'tiki-taka'], device: 'reram-sb', lr: 0.05 };
    const target = exportTarget('tiki_taka.py');
    const written = await exportVia(target, 'limLens.exportAihwkit', settings);
    assert.equal(written.toString(), target.toString());
    const script = readFileSync(target.fsPath, 'utf8');
    // Exactly what the core writes for the same simulation (through the worker).
    assert.equal(script, exportAihwkitScript(configFor(settings, 'tiki-taka'), { command: 'LIM Lens: Export Simulation as aihwkit Script' }));
    assert.match(script, /^#!\/usr\/bin\/env python3\n"""aihwkit replica of a LIM Lens simulation/);
    assert.match(script, /from aihwkit\.optim import AnalogSGD/);
    assert.match(script, /Algorithm: {2}tiki-taka/);
  });

  test('Create Example Run File (folder): writes example.lim.yaml, then example-2; opens it; the estimate and the sidebar follow', async () => {
    const folder = vscode.Uri.joinPath(workspaceRoot(), 'examples');
    const { index } = await activateExtension();
    try {
      const first = await run<vscode.Uri>('limLens.createExampleRun', folder);
      assert.equal(first.path, `${folder.path}/example.lim.yaml`);
      assert.equal(readFileSync(first.fsPath, 'utf8'), EXAMPLE_RUN_FILE);
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), first.toString());
      const second = await run<vscode.Uri>('limLens.createExampleRun', folder);
      assert.equal(second.path, `${folder.path}/example-2.lim.yaml`);
      // Its CodeLens: Llama-3-8B on 1,024 H100s, 15T tokens.
      const titles = await waitFor('the example’s CodeLens', async () => (await codeLenses(second)).map((l) => l.command?.title ?? '').filter(Boolean));
      assert.match(titles[0], /^\$\(zap\) ≈ .* on 1,024× H100 SXM · .* t CO₂ · (.* · )?LIM bound /);
      // The workspace index (the sidebar) picks both up through the file watcher.
      await index.ensureScanned();
      await waitFor('the index to list the examples', () => index.get(first.toString()) && index.get(second.toString()));
      assert.equal(index.get(first.toString())?.label, 'Llama-3-8B pre-training (example)');
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(folder, { recursive: true });
      await waitFor('the index to drop the examples', () => !index.list().some((r) => r.uri.startsWith(folder.toString())));
    }
  });

  test('Calibrate from Measured Runs: current → proposed from the CodeCarbon record beside a run file, written only on Apply', async () => {
    const folder = vscode.Uri.joinPath(workspaceRoot(), 'measured-calibration');
    const { index, testHooks } = await activateExtension();
    const config = () => vscode.workspace.getConfiguration('limLens');
    // The fixture of the unit tests, from the extension under test (this suite runs bundled elsewhere).
    const source = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures', 'measured', 'run');
    const runUri = vscode.Uri.joinPath(folder, 'gpt2-run.lim.yaml');
    try {
      for (const f of ['gpt2-run.lim.yaml', 'emissions.csv']) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, f), readFileSync(join(source, f)));
      await index.ensureScanned();
      const summary = await waitFor('the index to list the run with its record', () => {
        const r = index.get(runUri.toString());
        return r?.measuredLabel !== undefined ? r : undefined;
      });
      // The record's last snapshot: 7.5 kWh in 3 h on 8 A100s (the sidebar's "measured" badge reads these).
      assert.deepEqual([summary.measuredLabel, summary.measuredEnergyJ, summary.measuredHours], ['CodeCarbon run 66666666', 27e6, 3]);
      // The hover on the run file (a YAML config, not a script) leads with the estimate and the record beside it.
      const runDoc = await vscode.workspace.openTextDocument(runUri);
      await vscode.window.showTextDocument(runDoc, { preview: false });
      const onModel = runDoc.positionAt(runDoc.getText().indexOf('gpt2') + 1);
      const hover = await waitFor('a hover with the measured record', async () => {
        const t = await limHover(runUri, onModel).catch(() => '');
        return /measured/.test(t) ? t : undefined;
      }, 60_000, 500);
      assert.match(hover.split('\n')[0], /measured\\?: 7\.5 kWh in 3 h \\?\(estimate [−-]?\d+ %\\?\)/, hover);
      // What the engine proposes from the same files: FLOPs / (3 h × 8 × A100 peak), and 27 MJ / (3 h × 8).
      const flops = coreAnalysis('measured-calibration/gpt2-run.lim.yaml').report!.flops;
      const utilization = Number(formatSig(flops / (10_800 * 8 * 312e12), 2));
      assert.equal(utilization, 0.25);
      const asked = testHooks.confirmations.asked.length;
      testHooks.confirmations.answers.push(undefined); // dismissed: nothing changes
      const declined = await run<{ applied: string[] }>('limLens.calibrateFromMeasured');
      assert.deepEqual(declined.applied, []);
      assert.equal(config().inspect('utilization')?.globalValue, undefined);
      assert.equal(config().inspect('powerW')?.globalValue, undefined);
      const question = testHooks.confirmations.asked[asked];
      assert.ok(question, 'the command asked before changing anything');
      assert.match(question.detail!, /Utilisation \(limLens\.utilization\): 0\.4 → 0\.25, from 1 run \(CodeCarbon run 66666666 in measured-calibration\/gpt2-run\.lim\.yaml\)/);
      assert.match(question.detail!, /Power per device \(limLens\.powerW\): the hardware profile's TDP → 313 W, from 1 run/);
      // Only the utilisation, asked by argument; then Apply writes it, and only it.
      testHooks.confirmations.answers.push('Apply');
      const applied = await run<{ applied: string[] }>('limLens.calibrateFromMeasured', { settings: ['utilization'] });
      assert.deepEqual(applied.applied, ['utilization']);
      assert.equal(config().get('utilization'), utilization);
      assert.equal(config().inspect('powerW')?.globalValue, undefined);
      // A stray argument (a URI from a menu) is ignored: both settings are proposed again (the utilisation now agrees).
      testHooks.confirmations.answers.push(undefined);
      const again = await run<{ proposal: { proposals: Array<{ key: string }> } }>('limLens.calibrateFromMeasured', runUri);
      assert.deepEqual(again.proposal.proposals.map((p) => p.key), ['powerW']);
    } finally {
      testHooks.confirmations.answers.length = 0;
      await config().update('utilization', undefined, vscode.ConfigurationTarget.Global);
      await config().update('powerW', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.fs.delete(folder, { recursive: true });
      await waitFor('the index to drop the calibration runs', () => !index.list().some((r) => r.uri.startsWith(folder.toString())));
    }
  });

  test('Refresh Training Runs rescans the workspace', async () => {
    const { index } = await activateExtension();
    let changes = 0;
    const sub = index.onDidChange(() => changes++);
    try {
      await run('limLens.refresh');
    } finally {
      sub.dispose();
    }
    assert.ok(changes >= 2, 'scan started and ended');
    assert.equal(index.isScanning, false);
    assert.deepEqual(index.list().map((r) => r.relativePath.replace(/^[^/]+\//, '')).sort(), FIXTURES);
  });

  test('Show Log opens the LIM Lens output channel, which says the extension activated and the worker started', async function () {
    const { worker } = await activateExtension();
    await worker.run('bounds', { params: 1e9, flops: 6e18 }); // the worker is up (and said so in the log)
    await run('limLens.showLog');
    if (uiAvailable()) {
      let lines: string[] = [];
      await waitFor('the log in the Output panel', async () => {
        // (Monaco renders spaces as no-break spaces)
        lines = (await ui<string[]>({ op: 'texts', selector: '.part.panel .view-lines' })).map((l) => l.replace(/\u00a0/g, ' '));
        return lines.some((l) => /\[info\] LIM Lens activated in [\d.]+ ms/.test(l) && /\[info\] worker started \(thread \d+\)/.test(l));
      }).catch((e: unknown) => {
        throw new Error(`${String(e)}; the panel shows: ${lines.join(' / ').slice(0, 500)}`);
      });
      await screenshot('integration-log');
      await vscode.commands.executeCommand('workbench.action.closePanel');
    }
    skipWithoutUi(this, 'the output channel on screen');
  });

  test('Run Analog Training Simulation (partial settings) opens the analog tab and runs (the details: simulation.test.ts)', async () => {
    const since = Date.now();
    const settings = await run<SimulationSettings>('limLens.runSimulation', { algorithms: ['sgd'], steps: 500 });
    assert.deepEqual(settings.algorithms, ['sgd']);
    assert.equal(settings.steps, 500);
    assert.equal(settings.experiment, 'least-squares', 'the rest from the settings and defaults');
    await waitForPosted('dashboard', 'showTab', { since, accept: (m) => m.tab === 'analog' });
    await waitForPosted('dashboard', 'simDone', { since });
    await closeAllEditors();
  });

  test('What do these numbers mean? opens the packaged glossary page, starting with the LIM bound, in a Markdown preview', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const page = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'dist', 'GLOSSARY.md')));
    assert.equal(page, glossaryMarkdown(), 'the build wrote the page from the glossary');
    assert.ok(page.startsWith(`# ${GLOSSARY_TITLE}\n`));
    assert.match(page, /\*\*LIM bound\*\* — A physical floor/);
    await run('limLens.showGlossary');
    await waitFor('a tab showing GLOSSARY.md', () => tabsLabelled(/GLOSSARY\.md/).length > 0);
    const tab = tabsLabelled(/GLOSSARY\.md/)[0];
    const input = tab.input;
    const shown = input instanceof vscode.TabInputWebview ? `webview ${input.viewType}` : input instanceof vscode.TabInputText ? input.uri.path : String(input);
    assert.match(shown, /markdown\.preview|GLOSSARY\.md$/, shown);
    await screenshot('integration-glossary');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Open Dashboard with a config in the active editor: a new panel opens on that run; with A100 chosen, a preset shows A100 figures', async () => {
    await closeAllEditors({ dashboard: true });
    // A new webview right after one closed can find code-server's webview loader stalled (the panel is then opened
    // again, 20 s later; docs/testing.md): give the closed one a moment.
    await sleep(1500);
    const file = fixtureUri('runs/llama-2-7b-pretrain.lim.yaml');
    await vscode.window.showTextDocument(file);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), file.toString());
    let since = Date.now();
    await run('limLens.openDashboard');
    const energy = await waitForPosted('dashboard', 'energy', { since });
    const view = energy.message.view as EnergyView;
    assert.equal(view.selection, file.toString(), `the active editor’s run, not the brain-scale preset (${dashboardTrace(since)})`);
    assertClose(view.bounds.energy.accelerator, coreAnalysis('runs/llama-2-7b-pretrain.lim.yaml').report?.accelerator.energyJ ?? NaN, 1e-9, 'the run’s accelerator energy');
    const restore = await setSetting('hardware', 'a100');
    try {
      since = Date.now();
      await run('limLens.openDashboard', 'preset:brain-scale');
      const preset = await waitForPosted('dashboard', 'energy', { since, accept: (m) => (m.view as EnergyView).selection === 'preset:brain-scale' });
      const pv = preset.message.view as EnergyView;
      assert.equal(pv.bounds.inputs.accelerator.id, 'a100', 'the chosen hardware applies to the preset');
      assert.match(pv.bounds.inputs.accelerator.name, /A100/);
    } finally {
      await restore();
      await closeAllEditors();
    }
  });

  test('every command contributed to the palette was run above', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = ((ext?.packageJSON.contributes?.commands ?? []) as Array<{ command: string }>).map((c) => c.command).sort();
    assert.equal(contributed.length, 13);
    assert.deepEqual(contributed.filter((c) => !ran.has(c)), []);
  });
});
