// The Training Runs view (a webview view in the LIM Lens container): it lists the fixture configs with the core's
// numbers, a click on a run opens the file at the model definition, and file-system changes update it.
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunSummary } from '../../../src/protocol/runs';
import { activateExtension, assertClose, closeAllEditors, coreAnalysis, fixtureUri, messagesSince, screenshot, sleep, tabsLabelled, ui, skipWithoutUi, uiAvailable, waitFor, waitForPosted, waitForRender, waitForWebviewMessage, waitForWebviewReady, suiteWithCleanEditors } from './helpers';
import { FIXTURE_CONFIGS } from '../../harness/workspaceConfigs';

const GPT2 = {
  activation_function: 'gelu_new',
  architectures: ['GPT2LMHeadModel'],
  model_type: 'gpt2',
  n_ctx: 1024,
  n_embd: 768,
  n_head: 12,
  n_layer: 12,
  n_positions: 1024,
  vocab_size: 50257,
};

type State = { runs: RunSummary[]; scanning: boolean; hardwareId: string };
const runsOf = (m: Record<string, unknown>) => (m as unknown as State).runs;
const paths = (runs: RunSummary[]) => runs.map((r) => r.relativePath.replace(/^[^/]+\//, '')).sort();

/** Waits until the sidebar was sent a settled state whose runs satisfy `accept`, then for the draw it reports. */
async function settledState(since: number, accept: (runs: RunSummary[]) => boolean): Promise<{ runs: RunSummary[]; rows: number }> {
  const state = await waitForPosted('sidebar', 'state', { since, accept: (m) => !(m as unknown as State).scanning && accept(runsOf(m)) }).catch(async (e: unknown) => {
    const states = await messagesSince('posted', 'sidebar', 'state', since);
    const seen = states.map((m) => `${runsOf(m.message).length} runs${(m.message as unknown as State).scanning ? ' (scanning)' : ''}`);
    throw new Error(`${e instanceof Error ? e.message.slice(0, 120) : String(e)}… states posted since: ${seen.join(', ') || 'none'}`);
  });
  const rendered = await waitForRender('sidebar', { since: state.at, accept: (m) => m.scanning === false });
  return { runs: runsOf(state.message), rows: rendered.message.rows as number };
}

suite('sidebar: Training Runs', () => {
  let initial: RunSummary[] = [];
  suiteWithCleanEditors(() => vscode.commands.executeCommand('workbench.view.explorer'));

  test('showing the view scans the workspace: state posted, then "rendered" with one row per fixture config', async function () {
    await vscode.commands.executeCommand('limLens.runs.focus');
    await waitForWebviewReady('sidebar', { since: 0 });
    const { runs, rows } = await settledState(0, (r) => r.length >= FIXTURE_CONFIGS.length);
    assert.deepEqual(paths(runs), FIXTURE_CONFIGS);
    assert.equal(rows, FIXTURE_CONFIGS.length, 'one row drawn per run');
    // Each row carries the core's numbers for its file.
    for (const run of runs) {
      const rel = run.relativePath.replace(/^[^/]+\//, '');
      const r = coreAnalysis(rel).report;
      assert.ok(r && run.energyJ !== undefined, rel);
      assertClose(run.energyJ, r.accelerator.energyJ, 1e-12, `${rel}: energy`);
      assert.equal(run.paramsTotal, r.params.total, `${rel}: parameters`);
      assertClose(run.limJ ?? NaN, r.bounds?.lim ?? NaN, 1e-12, `${rel}: LIM bound`);
      assert.deepEqual(run.diagnostics.filter((d) => d.severity === 'error'), [], `${rel}: no errors`);
    }
    const llama = runs.find((r) => r.relativePath.endsWith('models/llama-2-7b/config.json'));
    assert.equal(llama?.paramsTotal, 6_738_415_616);
    // Labels name the run (its name, the Hub id, the model folder a fine-tune reads, else framework · file), never the
    // bare model type; the kind comes from the engine's fine-tune facts.
    const byPath = (rel: string) => runs.find((r) => r.relativePath.endsWith(rel));
    const expected: Array<[string, string, string]> = [
      ['axolotl/qlora.yml', 'llama-2-7b', 'finetune'],
      ['finetune/training_args.json', 'llama-2-7b', 'finetune'],
      ['models/llama-2-7b/config.json', 'meta-llama/Llama-2-7b-hf', 'pretrain'],
      ['models/mixtral-8x7b/config.json', 'Hugging Face · mixtral-8x7b/config.json', 'pretrain'],
      ['pretrain/pretrain_gpt_1.3b.sh', 'Megatron-LM · pretrain_gpt_1.3b.sh', 'pretrain'],
      ['runs/llama-2-7b-pretrain.lim.yaml', 'Llama-2-7B pre-training', 'pretrain'],
      ['runs/mixtral-what-if.lim.yaml', 'Mixtral-8x7B, 1T tokens', 'pretrain'],
    ];
    for (const [rel, label, kind] of expected) {
      assert.equal(byPath(rel)?.label, label, `${rel}: label`);
      assert.equal(byPath(rel)?.kind, kind, `${rel}: kind`);
      assert.equal(byPath(rel)?.modelType, coreAnalysis(rel).report?.modelType, `${rel}: the model type kept apart`);
    }
    initial = runs;
    if (uiAvailable()) {
      const labels = await ui<string[]>({ op: 'texts', webview: 'sidebar', selector: 'li.run .run-label' });
      assert.equal(labels.length, FIXTURE_CONFIGS.length);
      assert.ok(labels.includes('Llama-2-7B pre-training'), labels.join(' | '));
      // Sorted by energy, highest first (the default sort).
      const energies = [...runs].sort((a, b) => (b.energyJ ?? 0) - (a.energyJ ?? 0)).map((r) => r.label);
      assert.deepEqual(labels, energies);
      // The gap to the LIM bound once, in the header, with what the bound is; no card repeats it.
      const orders = runs.map((r) => r.ordersAboveLim ?? NaN);
      const header = await ui<string>({ op: 'text', webview: 'sidebar', selector: '.runs-header .lim-gap' });
      assert.equal(header, `Accelerators run ${Math.min(...orders).toFixed(1)}–${Math.max(...orders).toFixed(1)} orders of magnitude above the LIM bound`);
      const [tip] = await ui<Array<string | null>>({ op: 'attrs', webview: 'sidebar', selector: '.runs-header .lim-gap', attribute: 'title' });
      assert.match(tip ?? '', /physical floor.*hypothetical learning-in-memory hardware.*not an estimate of this run/);
      const bounds = await ui<string[]>({ op: 'texts', webview: 'sidebar', selector: 'li.run .run-bound' });
      for (const b of bounds) assert.match(b, /^LIM bound [\d.,]+ [mkMG]?(J|Wh)$/);
      const paths = await ui<Array<string | null>>({ op: 'attrs', webview: 'sidebar', selector: 'li.run .run-path', attribute: 'title' });
      assert.deepEqual([...paths].sort(), runs.map((r) => r.relativePath).sort(), 'each row’s whole path in its tooltip');
      const kinds = await ui<string[]>({ op: 'texts', webview: 'sidebar', selector: 'li.run .run-kind' });
      assert.deepEqual([...kinds].sort(), ['fine-tune', 'fine-tune', 'pretraining', 'pretraining', 'pretraining', 'pretraining', 'pretraining']);
    }
    await sleep(400);
    await screenshot('integration-sidebar');
    skipWithoutUi(this, 'the labels drawn in the view');
  });

  test('clicking a run opens its file at the model definition (through limLens.openRun)', async function () {
    const run = initial.find((r) => r.relativePath.endsWith('models/llama-2-7b/config.json'));
    assert.ok(run);
    // The core's anchor of the model: "model_type" on line 13.
    const anchor = coreAnalysis('models/llama-2-7b/config.json').modelAnchor;
    assert.ok(anchor);
    assert.deepEqual(run.definition, { line: anchor.line - 1, character: anchor.column - 1 });
    await closeAllEditors();
    const since = Date.now();
    if (uiAvailable()) await ui({ op: 'click', webview: 'sidebar', selector: `li.run[data-run-id="${run.id}"] .run-label` });
    else await vscode.commands.executeCommand('limLens.openRun', run.id);
    // The click went through the webview: it posted openRun with this run's id.
    if (uiAvailable()) assert.equal((await waitForWebviewMessage('sidebar', 'openRun', { since })).message.runId, run.id);
    const editor = await waitFor('the config to open', () => (vscode.window.activeTextEditor?.document.uri.toString() === run.uri ? vscode.window.activeTextEditor : undefined));
    assert.equal(editor.selection.active.line, 12);
    assert.equal(editor.document.lineAt(editor.selection.active.line).text.trim(), '"model_type": "llama",');
    // A run file opens at its `config:` line, where its model comes from.
    const runFile = initial.find((r) => r.relativePath.endsWith('runs/llama-2-7b-pretrain.lim.yaml'));
    assert.ok(runFile);
    if (uiAvailable()) await ui({ op: 'click', webview: 'sidebar', selector: `li.run[data-run-id="${runFile.id}"]` });
    else await vscode.commands.executeCommand('limLens.openRun', runFile.id);
    const e2 = await waitFor('the run file to open', () => (vscode.window.activeTextEditor?.document.uri.toString() === runFile.uri ? vscode.window.activeTextEditor : undefined));
    assert.match(e2.document.lineAt(e2.selection.active.line).text, /^config: \.\.\/models\/llama-2-7b\/config\.json/);
    skipWithoutUi(this, 'clicking the run in the view');
  });

  test('the graph icon on a run opens the dashboard on that run', async function () {
    const run = initial.find((r) => r.relativePath.endsWith('runs/mixtral-what-if.lim.yaml'));
    assert.ok(run);
    const since = Date.now();
    if (uiAvailable()) await ui({ op: 'click', webview: 'sidebar', selector: `li.run[data-run-id="${run.id}"] vscode-icon[name="graph"]` });
    else await vscode.commands.executeCommand('limLens.openDashboard', run.id);
    const energy = await waitForPosted('dashboard', 'energy', { since, accept: (m) => (m.view as { selection: string }).selection === run.id });
    assert.match((energy.message.view as { title: string }).title, /^Mixtral-8x7B, 1T tokens — .*runs\/mixtral-what-if\.lim\.yaml$/);
    // …on the energy tab, whatever tab the dashboard showed before.
    await waitForPosted('dashboard', 'showTab', { since, accept: (m) => m.tab === 'energy' });
    assert.equal(tabsLabelled('LIM Lens Dashboard').length, 1);
    await closeAllEditors();
    skipWithoutUi(this, 'clicking the graph icon in the view');
  });

  test('a config created on disk appears, a change to it updates its numbers, and deleting it removes it', async () => {
    const rel = 'models/gpt2-small/config.json';
    const file = fixtureUri(rel).fsPath;
    const n = FIXTURE_CONFIGS.length;
    try {
      // Created outside the editor: the FileSystemWatcher sees it.
      let since = Date.now();
      mkdirSync(fixtureUri('models/gpt2-small').fsPath, { recursive: true });
      writeFileSync(file, JSON.stringify(GPT2, null, 2));
      let s = await settledState(since, (runs) => runs.length === n + 1);
      const added = s.runs.find((r) => r.relativePath.endsWith(rel));
      assert.ok(added, paths(s.runs).join(', '));
      assert.equal(s.rows, n + 1);
      const core = coreAnalysis(rel).report;
      assert.ok(core);
      assert.equal(added.paramsTotal, core.params.total);
      assert.equal(added.paramsTotal, 124_439_808, 'GPT-2 small, tied embeddings');
      assertClose(added.energyJ ?? NaN, core.accelerator.energyJ, 1e-12, 'energy of the new config');

      // Changed: twice the layers, more parameters and more energy.
      since = Date.now();
      writeFileSync(file, JSON.stringify({ ...GPT2, n_layer: 24 }, null, 2));
      s = await settledState(since, (runs) => (runs.find((r) => r.relativePath.endsWith(rel))?.paramsTotal ?? 0) > 124_439_808);
      const changed = s.runs.find((r) => r.relativePath.endsWith(rel));
      const core24 = coreAnalysis(rel).report;
      assert.ok(changed && core24);
      assert.equal(changed.paramsTotal, core24.params.total);
      assert.ok((changed.energyJ ?? 0) > (added.energyJ ?? 0));
      assert.equal(s.rows, n + 1);

      // Deleted.
      since = Date.now();
      rmSync(fixtureUri('models/gpt2-small').fsPath, { recursive: true, force: true });
      s = await settledState(since, (runs) => runs.length === n);
      assert.deepEqual(paths(s.runs), FIXTURE_CONFIGS);
      assert.equal(s.rows, n);
    } finally {
      rmSync(fixtureUri('models/gpt2-small').fsPath, { recursive: true, force: true });
    }
  });

  test('editing a model config.json updates a run file that reads it through its training config, all scanned together', async () => {
    // runs/tiny-chain.lim.yaml → models/tiny-chain/args.json → models/tiny-chain-model/config.json, each a folder
    // below the workspace root (new folders one level under the fixtures' own, as the test above creates its model:
    // the file watchers see changes inside them). In the rescan the run file reads the config.json fetched for
    // args.json without reporting it missing; it must still depend on it, or the edit below re-analyses args.json
    // and the config.json but leaves the run stale.
    const runRel = 'runs/tiny-chain.lim.yaml';
    const argsRel = 'models/tiny-chain/args.json';
    const modelRel = 'models/tiny-chain-model/config.json';
    const model = { model_type: 'gpt2', vocab_size: 1000, n_embd: 64, n_layer: 2, n_head: 4, n_positions: 128 };
    const n = FIXTURE_CONFIGS.length;
    const runOf = (runs: RunSummary[]) => runs.find((r) => r.relativePath.endsWith(runRel));
    const cleanUp = () => {
      for (const rel of [runRel, 'models/tiny-chain', 'models/tiny-chain-model']) rmSync(fixtureUri(rel).fsPath, { recursive: true, force: true });
    };
    try {
      await vscode.commands.executeCommand('limLens.runs.focus');
      await waitForWebviewReady('sidebar', { since: 0 });
      let since = Date.now();
      for (const d of ['models/tiny-chain', 'models/tiny-chain-model']) mkdirSync(fixtureUri(d).fsPath, { recursive: true });
      writeFileSync(fixtureUri(runRel).fsPath, 'config: ../models/tiny-chain/args.json\nhardware: a100\n');
      writeFileSync(fixtureUri(argsRel).fsPath, JSON.stringify({ model_name_or_path: '../tiny-chain-model', per_device_train_batch_size: 2, max_steps: 10, block_size: 128, output_dir: 'o' }));
      writeFileSync(fixtureUri(modelRel).fsPath, JSON.stringify(model));
      const before = coreAnalysis(runRel).report;
      assert.ok(before, 'the core estimates the run file');
      let s = await settledState(since, (runs) => runs.length === n + 3 && runOf(runs)?.paramsTotal === before.params.total);
      // The watchers' re-analyses of the new files are debounced (at most a second): once they are over, one scan of
      // everything, where the three files are analysed together, in the same rounds. Without that wait a late
      // re-analysis of the new files would bring the run up to date whatever its dependencies say.
      await sleep(2_000);
      since = Date.now();
      await vscode.commands.executeCommand('limLens.refresh');
      await waitForPosted('sidebar', 'state', { since, accept: (m) => (m as unknown as State).scanning });
      s = await settledState(since, (runs) => runs.length === n + 3 && runOf(runs)?.paramsTotal === before.params.total);
      assert.equal(runOf(s.runs)?.paramsTotal, before.params.total);
      await sleep(1_000);

      // Four layers instead of two: the run's parameters and energy follow the edit.
      since = Date.now();
      writeFileSync(fixtureUri(modelRel).fsPath, JSON.stringify({ ...model, n_layer: 4 }));
      const after = coreAnalysis(runRel).report;
      const edited = coreAnalysis(modelRel).report;
      assert.ok(after && edited && after.params.total > before.params.total, 'more layers, more parameters');
      // The config.json's own entry shows the edit was seen; the run, analysed in the same flush, must show it too.
      s = await settledState(since, (runs) => runs.find((r) => r.relativePath.endsWith(modelRel))?.paramsTotal === edited.params.total);
      const run = runOf(s.runs);
      assert.equal(run?.paramsTotal, after.params.total, 'the run file that reads the edited config.json through args.json');
      assertClose(run?.energyJ ?? NaN, after.accelerator.energyJ, 1e-12, 'energy of the edited run');
    } finally {
      const since = Date.now();
      cleanUp();
      await settledState(since, (runs) => runs.length === n);
    }
  });

  test('Refresh Training Runs rescans: the view shows scanning, then the same runs again', async () => {
    const since = Date.now();
    await vscode.commands.executeCommand('limLens.refresh');
    const scanning = await waitForPosted('sidebar', 'state', { since, accept: (m) => (m as unknown as State).scanning });
    assert.ok(scanning);
    const { runs, rows } = await settledState(since, (r) => r.length === FIXTURE_CONFIGS.length);
    assert.deepEqual(paths(runs), FIXTURE_CONFIGS);
    assert.equal(rows, FIXTURE_CONFIGS.length);
  });

  test('the view follows limLens.hardware: the state names the new profile and the compute-route runs change', async () => {
    const c = vscode.workspace.getConfiguration('limLens');
    const since = Date.now();
    await c.update('hardware', 'b200', vscode.ConfigurationTarget.Global);
    try {
      const { runs } = await settledState(since, (r) => r.some((x) => x.relativePath.endsWith('models/llama-2-7b/config.json') && x.hardwareId === 'b200'));
      const last = (await activateExtension()).testHooks.lastPosted('sidebar', 'state');
      assert.equal((last?.message as unknown as State).hardwareId, 'b200');
      const llama = runs.find((r) => r.relativePath.endsWith('models/llama-2-7b/config.json'));
      const expected = coreAnalysis('models/llama-2-7b/config.json', { hardwareId: 'b200' }).report;
      assert.ok(llama && expected);
      assertClose(llama.energyJ ?? NaN, expected.accelerator.energyJ, 1e-12, 'Llama-2-7B on the B200');
      // Run files that name their hardware keep it.
      assert.equal(runs.find((r) => r.relativePath.endsWith('runs/llama-2-7b-pretrain.lim.yaml'))?.hardwareId, 'a100');
    } finally {
      await c.update('hardware', undefined, vscode.ConfigurationTarget.Global);
    }
    await settledState(Date.now(), (r) => r.some((x) => x.relativePath.endsWith('models/llama-2-7b/config.json') && x.hardwareId === 'h100'));
  });
});
