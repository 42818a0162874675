// The Training Runs view (dist/webview/sidebar.js) in headless Chromium under the extension's CSP, with the VS Code
// API stubbed: the list against the fixture workspace's runs, filter and sort, the empty and scanning states, every
// action it posts, themes, malformed messages. Screenshots: test-output/screenshots/webview-sidebar-*.png.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocumentSync } from '../../src/core/estimate';
import { formatCO2, formatDeviceHours, formatEnergy } from '../../src/core/units/format';
import type { RunSummary } from '../../src/protocol/runs';
import { runFigures } from '../../src/worker/summarize';
import { ROOT } from '../harness/paths';
import { fixtureRuns, sidebarState } from './fixtures';
import { pickOption, webviewTestHooks, type Message, type WebviewPage } from './harness';
import { THEMES, themeById, type Theme } from './themes';

/** A narrow view, as the side bar is. */
const SIZE = { width: 340, height: 900 };

describe('sidebar webview', () => {
  const pages = webviewTestHooks();
  const runs = fixtureRuns();
  const byEnergy = [...runs].sort((a, b) => (b.energyJ ?? 0) - (a.energyJ ?? 0));

  async function sidebar(theme: Theme = themeById('dark')): Promise<WebviewPage> {
    const p = await pages.open('sidebar', 'Training Runs');
    await p.page.setViewportSize(SIZE);
    await p.waitForMessage('ready');
    await p.setTheme(theme);
    return p;
  }

  /** Posts a state and waits for the draw it reports. */
  async function show(p: WebviewPage, state: ReturnType<typeof sidebarState>): Promise<Message> {
    const n = await p.count('rendered');
    await p.post(state);
    return p.waitForMessage('rendered', { count: n + 1, accept: () => true });
  }

  const labels = (p: WebviewPage) => p.page.locator('li.run .run-label').allInnerTexts();
  const rowText = async (p: WebviewPage, id: string) => (await p.page.locator(`li.run[data-run-id="${id}"]`).innerText()).replace(/\s+/g, ' ');

  /** A run as the worker summarises one file (src/worker/summarize.ts), with the path the workspace index gives it. */
  function summarize(path: string, text: string, relativePath: string): RunSummary {
    const figures = runFigures(analyzeDocumentSync({ path, text }));
    if (!figures) throw new Error(`${path} is not recognised`);
    return { ...figures, id: `file://${path}`, uri: `file://${path}`, relativePath };
  }
  const fixtureText = (rel: string) => readFileSync(join(ROOT, 'test', 'fixtures', rel), 'utf8');


  it('posts ready once, shows "Looking for configs…" until the host answers', async () => {
    const p = await sidebar();
    await p.page.waitForTimeout(200);
    assert.deepEqual(await p.sent(), [{ type: 'ready' }]);
    assert.match(await p.page.locator('#app').innerText(), /Looking for configs…/);
  });

  it('lists the fixture workspace’s runs, highest energy first, each with its figures; reports rows', async () => {
    const p = await sidebar();
    const rendered = await show(p, sidebarState(runs));
    assert.deepEqual({ rows: rendered.rows, empty: rendered.empty, scanning: rendered.scanning }, { rows: 7, empty: false, scanning: false });
    assert.deepEqual(await labels(p), byEnergy.map((r) => r.label));
    // Each label names its run: the run file's name, the Hub id, the model folder a fine-tune reads, else
    // framework · file. Never the bare model type ("llama" for four runs of seven before).
    assert.deepEqual(new Map(runs.map((r) => [r.relativePath.replace(/^workspace\//, ''), r.label])), new Map([
      ['axolotl/qlora.yml', 'llama-2-7b'],
      ['finetune/training_args.json', 'llama-2-7b'],
      ['models/llama-2-7b/config.json', 'meta-llama/Llama-2-7b-hf'],
      ['models/mixtral-8x7b/config.json', 'Hugging Face · mixtral-8x7b/config.json'],
      ['pretrain/pretrain_gpt_1.3b.sh', 'Megatron-LM · pretrain_gpt_1.3b.sh'],
      ['runs/llama-2-7b-pretrain.lim.yaml', 'Llama-2-7B pre-training'],
      ['runs/mixtral-what-if.lim.yaml', 'Mixtral-8x7B, 1T tokens'],
    ]));
    // The model type is on the secondary line, after the path.
    // Paths over 40 characters are cut in the middle (the start folder, the last folders and the file name kept);
    // the whole path is the line's tooltip.
    const shown = new Map([
      ['axolotl/qlora.yml', 'workspace/axolotl/qlora.yml'],
      ['finetune/training_args.json', 'workspace/finetune/training_args.json'],
      ['models/llama-2-7b/config.json', 'workspace/models/llama-2-7b/config.json'],
      ['models/mixtral-8x7b/config.json', 'workspace/…/mixtral-8x7b/config.json'],
      ['pretrain/pretrain_gpt_1.3b.sh', 'workspace/pretrain/pretrain_gpt_1.3b.sh'],
      ['runs/llama-2-7b-pretrain.lim.yaml', 'workspace/…/llama-2-7b-pretrain.lim.yaml'],
      ['runs/mixtral-what-if.lim.yaml', 'workspace/runs/mixtral-what-if.lim.yaml'],
    ]);
    for (const r of runs) {
      const line = p.page.locator(`li.run[data-run-id="${r.id}"] .run-path`);
      assert.equal((await line.innerText()).trim(), `${shown.get(r.relativePath.replace(/^workspace\//, ''))} · ${r.modelType}`);
      assert.equal(await line.getAttribute('title'), r.relativePath);
    }
    // The badge: two fine-tunes, five pretraining runs.
    const kinds = await p.page.locator('li.run').evaluateAll((els) => els.map((e) => e.querySelector('.run-kind')?.textContent ?? ''));
    assert.deepEqual(kinds, byEnergy.map((r) => (r.relativePath.includes('axolotl/') || r.relativePath.includes('finetune/') ? 'fine-tune' : 'pretraining')));
    const llama = runs.find((r) => r.relativePath.endsWith('models/llama-2-7b/config.json'));
    assert.ok(llama && llama.energyJ !== undefined && llama.limJ !== undefined);
    const row = p.page.locator(`li.run[data-run-id="${llama.id}"]`);
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    assert.ok(text.includes('meta-llama/Llama-2-7b-hf'), text);
    assert.ok(text.includes('N 6.74B · D 135B · 5.45e21 FLOP'), text);
    // No device count in a config.json: device-hours, as the hover and the CodeLens say, never a wall-clock on "1×".
    assert.equal(llama.wallClockHours, undefined);
    assert.ok(text.includes(`≈ ${formatEnergy(llama.energyJ)} · ${formatDeviceHours(llama.deviceHours!)} on H100 SXM · 1.13 t CO₂`), text);
    assert.ok(text.includes('LIM bound 847 J'), text);
    assert.ok(!/orders/.test(text), `no "orders above" on a card: ${text}`);
    // CO₂ in the unit that reads, the LIM bound in the same notation as the estimates (no 1.1e4 J, no 8.0e-2 J).
    const qlora = runs.find((r) => r.relativePath.endsWith('axolotl/qlora.yml'))!;
    assert.ok((await rowText(p, qlora.id)).includes('· 46.2 g CO₂'), await rowText(p, qlora.id));
    assert.ok((await rowText(p, qlora.id)).includes('LIM bound 29.3 mJ'), await rowText(p, qlora.id));
    const bounds = await p.page.locator('li.run .run-bound').allInnerTexts();
    assert.equal(bounds.length, 7);
    for (const [i, b] of bounds.entries()) {
      assert.equal(b, `LIM bound ${formatEnergy(byEnergy[i].limJ!)}`);
      assert.match(b, /^LIM bound [\d.,]+ [mkMG]?(J|Wh)$/, 'never scientific notation');
    }
    const energies = await p.page.locator('li.run .run-energy').allInnerTexts();
    for (const [i, e] of energies.entries()) {
      assert.ok(e.endsWith(`· ${formatCO2(byEnergy[i].co2Kg!)}`), e);
      assert.match(e, /· [\d.,]+ (g|kg|t) CO₂$/);
    }
    // The near-constant gap is said once, in the header, with what the LIM bound is in plain words.
    const orders = runs.map((r) => r.ordersAboveLim!);
    const header = p.page.locator('.runs-header .lim-gap');
    assert.equal((await header.innerText()).trim(), `Accelerators run ${Math.min(...orders).toFixed(1)}–${Math.max(...orders).toFixed(1)} orders of magnitude above the LIM bound`);
    assert.equal((await header.innerText()).trim(), 'Accelerators run 7.1–7.3 orders of magnitude above the LIM bound');
    const tip = (await header.getAttribute('title')) ?? '';
    assert.match(tip, /physical floor/);
    assert.match(tip, /hypothetical learning-in-memory hardware/);
    assert.match(tip, /not an estimate of this run/);
    assert.equal(await p.page.locator('li.run .run-bound').first().getAttribute('title'), tip);
    assert.match(await p.page.locator('.assumptions').innerText(), /40 % utilisation · PUE 1\.1 · 0\.385 kg CO₂\/kWh/);
    await p.screenshot('webview-sidebar-dark');
  });

  it('filters as you type (and keeps the filter in the view state), and says when nothing matches', async () => {
    const p = await sidebar();
    await show(p, sidebarState(runs));
    const field = p.page.locator('#runs-filter input');
    await field.fill('mixtral');
    const filtered = await p.waitForMessage('rendered', { accept: (m) => m.rows === 2 });
    assert.equal(filtered.empty, false);
    assert.deepEqual((await labels(p)).sort(), ['Hugging Face · mixtral-8x7b/config.json', 'Mixtral-8x7B, 1T tokens']);
    assert.deepEqual(await p.page.evaluate(() => (window as unknown as { __getState(): unknown }).__getState()), { filter: 'mixtral', sort: 'energy' });
    await field.fill('megatron');
    await p.waitForMessage('rendered', { accept: (m) => m.rows === 1 });
    assert.deepEqual(await labels(p), ['Megatron-LM · pretrain_gpt_1.3b.sh']);
    await field.fill('llama');
    await p.waitForMessage('rendered', { accept: (m) => m.rows === 4 });
    assert.deepEqual((await labels(p)).sort(), ['Llama-2-7B pre-training', 'llama-2-7b', 'llama-2-7b', 'meta-llama/Llama-2-7b-hf'].sort(), 'the model type still filters');
    await field.fill('resnet');
    await p.waitForMessage('rendered', { accept: (m) => m.rows === 0 });
    assert.equal(await p.page.locator('ul.runs').innerText(), 'No run matches “resnet”.');
  });

  it('sorts by parameters, model name and file path', async () => {
    const p = await sidebar();
    await show(p, sidebarState(runs));
    const sort = p.page.locator('vscode-single-select.sort');
    const sortedBy = async (option: string, key: string, expected: string[]) => {
      await pickOption(sort, option);
      await p.page.waitForFunction((k) => (window as unknown as { __getState(): { sort: string } }).__getState()?.sort === k, key);
      assert.deepEqual(await labels(p), expected, `sorted by ${option}`);
    };
    await sortedBy('Model name', 'name', [...runs].sort((a, b) => a.label.localeCompare(b.label)).map((r) => r.label));
    await sortedBy('File path', 'file', [...runs].sort((a, b) => a.relativePath.localeCompare(b.relativePath)).map((r) => r.label));
    await sortedBy('Parameters (large first)', 'params', [...runs].sort((a, b) => (b.paramsTotal ?? 0) - (a.paramsTotal ?? 0)).map((r) => r.label));
    assert.match((await labels(p))[0], /mixtral/i);
  });

  it('posts its actions: open a run (click, Enter), open it in the dashboard, rescan, dashboard, settings, hardware', async () => {
    const p = await sidebar();
    await show(p, sidebarState(runs));
    const [first, second] = byEnergy;
    await p.page.locator(`li.run[data-run-id="${first.id}"] .run-label`).click();
    assert.equal((await p.waitForMessage('openRun')).runId, first.id);
    await p.page.locator(`li.run[data-run-id="${second.id}"]`).focus();
    await p.page.keyboard.press('Enter');
    assert.equal((await p.waitForMessage('openRun', { count: 2 })).runId, second.id);
    await p.page.locator(`li.run[data-run-id="${second.id}"] vscode-icon[name="graph"]`).click();
    assert.equal((await p.waitForMessage('openDashboard')).runId, second.id);
    assert.equal(await p.count('openRun'), 2, 'the graph icon does not also open the file');
    await p.page.locator('vscode-toolbar-button[icon="refresh"]').click();
    await p.waitForMessage('refresh');
    await p.page.locator('vscode-toolbar-button[icon="graph"]').click();
    const dash = await p.waitForMessage('openDashboard', { count: 2 });
    assert.equal(dash.runId, undefined);
    await p.page.locator('.assumptions a').click();
    await p.waitForMessage('editAssumptions');
    await pickOption(p.page.locator('.toolbar vscode-single-select').first(), 'NVIDIA A100 SXM 80GB');
    assert.equal((await p.waitForMessage('setHardware')).hardwareId, 'a100');
  });

  it('empty workspace: explains what it reads, and "Create example run file" posts createExample', async () => {
    const p = await sidebar();
    const rendered = await show(p, sidebarState([]));
    assert.deepEqual({ rows: rendered.rows, empty: rendered.empty }, { rows: 0, empty: true });
    const text = await p.page.locator('li.empty').innerText();
    assert.match(text, /No model or training configs found in this workspace\./);
    assert.match(text, /Files looked at: \*\*\/\*\.json, \*\*\/\*\.\{yaml,yml\}, \*\*\/\*\.sh/);
    await p.screenshot('webview-sidebar-empty-dark');
    await p.page.locator('#create-example').click();
    await p.waitForMessage('createExample');
  });

  it('no folder open: asks for one', async () => {
    const p = await sidebar();
    await show(p, sidebarState([], { workspaceOpen: false }));
    assert.equal(await p.page.locator('li.empty').innerText(), 'Open a folder with model or training configs to see what training them costs.');
  });

  it('while scanning: a progress bar with the files done, then the list', async () => {
    const p = await sidebar();
    const scanning = await show(p, sidebarState([], { scanning: true }));
    assert.deepEqual({ rows: scanning.rows, scanning: scanning.scanning, empty: scanning.empty }, { rows: 0, scanning: true, empty: true });
    assert.equal(await p.page.locator('li.empty').count(), 0, 'no empty state while scanning');
    await p.post({ type: 'progress', done: 120, total: 400 });
    await p.page.locator('.scan-status', { hasText: 'Scanning 120 of 400 files…' }).waitFor({ timeout: 5000 });
    assert.equal(await p.page.locator('.scan-status vscode-progress-bar').getAttribute('value'), '120');
    await p.screenshot('webview-sidebar-scanning-dark');
    const done = await show(p, sidebarState(runs));
    assert.equal(done.rows, 7);
    assert.equal(await p.page.locator('.scan-status').innerText(), '');
  });

  it('a run with problems shows the error count and the first message instead of an estimate', async () => {
    const broken: RunSummary = {
      id: 'file:///ws/models/broken/config.json',
      uri: 'file:///ws/models/broken/config.json',
      relativePath: 'workspace/models/broken/config.json',
      label: 'llama',
      format: 'Hugging Face model config',
      hardwareId: '',
      hardwareName: '',
      definition: { line: 0, character: 0 },
      diagnostics: [
        { severity: 'error', message: 'num_hidden_layers must be greater than 0, got -32', line: 5, character: 2, field: 'num_hidden_layers' },
        { severity: 'warning', message: 'rope_scaling is ignored', line: 7, character: 2 },
      ],
    };
    const p = await sidebar();
    const rendered = await show(p, sidebarState([...runs, broken]));
    assert.equal(rendered.rows, 8);
    const row = p.page.locator(`li.run[data-run-id="${broken.id}"]`);
    assert.equal(await row.locator('vscode-badge').innerText(), '1');
    assert.match(await row.innerText(), /num_hidden_layers must be greater than 0, got -32/);
    assert.equal(await row.locator('.warn .codicon-warning').getAttribute('aria-label'), '1 warnings');
    assert.equal((await labels(p)).at(-1), 'llama', 'runs without an estimate sort last by energy');
  });

  it('says why a run has no estimate (the first error, else the first warning), and a fine-tune without a total its energy per unit of data', async () => {
    // Real summaries of real files: a model type the engine has no formula for, a run file that names no model,
    // a DPO fine-tune whose file bounds nothing (energy per 1,000 rows).
    const unsupported = summarize('/ws/models/fancy/config.json', JSON.stringify({ _name_or_path: '/home/someone/checkpoints/fancy-1b', model_type: 'fancy-new', hidden_size: 512 }), 'workspace/models/fancy/config.json');
    const noModel = summarize('/ws/runs/empty.lim.yaml', 'tokens: 1e9\nhardware: h100\n', 'workspace/runs/empty.lim.yaml');
    const dpo = summarize('/ws/axolotl/llama-3-instruct-dpo-lora-8b.yml', fixtureText('configs/axolotl/llama-3-instruct-dpo-lora-8b.yml'), 'workspace/axolotl/llama-3-instruct-dpo-lora-8b.yml');
    const bare: RunSummary = { ...noModel, id: 'file:///ws/bare.json', uri: 'file:///ws/bare.json', diagnostics: [] };
    assert.equal(dpo.kind, 'preference');
    assert.equal(dpo.perUnit, 'per 1,000 rows');
    assert.ok(dpo.perUnitEnergyJ !== undefined && dpo.energyJ === undefined);
    const p = await sidebar();
    await show(p, sidebarState([...runs, unsupported, noModel, dpo, bare]));
    const u = await rowText(p, unsupported.id);
    assert.match(u, /unsupported model_type "fancy-new"/);
    assert.doesNotMatch(u, /run size is unknown/);
    assert.equal(await p.page.locator(`li.run[data-run-id="${unsupported.id}"] .run-kind`).count(), 0, 'no badge without an estimate');
    const n = await rowText(p, noModel.id);
    assert.match(n, /a run file needs model:, config: or params: to know the model size/);
    assert.equal(await p.page.locator(`li.run[data-run-id="${noModel.id}"] vscode-badge`).innerText(), '1');
    assert.equal((await p.page.locator(`li.run[data-run-id="${noModel.id}"] .run-label`).innerText()).trim(), 'LIM Lens · empty.lim.yaml');
    const d = await rowText(p, dpo.id);
    assert.ok(d.includes(`≈ ${formatEnergy(dpo.perUnitEnergyJ!)} per 1,000 rows on H100 SXM`), d);
    assert.match(d, /a preference run, not sized as pretraining/, 'the warning says what to add for a total');
    const reason = p.page.locator(`li.run[data-run-id="${dpo.id}"] .run-reason`);
    assert.equal(await reason.getAttribute('title'), dpo.diagnostics[0].message, 'the whole reason in the tooltip');
    assert.ok(await reason.evaluate((e) => e.scrollHeight > e.clientHeight), 'a long reason is cut to four lines');
    assert.equal(await p.page.locator(`li.run[data-run-id="${dpo.id}"] .run-kind`).innerText(), 'preference');
    assert.equal(await p.page.locator(`li.run[data-run-id="${dpo.id}"] .run-label`).innerText(), 'llama-3-8b');
    // Only with nothing to say does it fall back on a reason of its own, and that one says the model is unknown.
    assert.match(await rowText(p, bare.id), /No energy estimate: the model is not known\./);
    await p.page.locator(`li.run[data-run-id="${dpo.id}"]`).scrollIntoViewIfNeeded();
    await p.screenshot('webview-sidebar-reasons-dark');
  });

  it('labels a model named by a disk path with its folder name, and cuts long paths in the middle with the whole path in a tooltip', async () => {
    const llamaText = fixtureText('workspace/models/llama-2-7b/config.json').replace('"meta-llama/Llama-2-7b-hf"', '"/home/someone/checkpoints/t5-v1_1-base"');
    assert.ok(llamaText.includes('/home/someone/'));
    const deepPath = 'workspace/experiments/2024-q3/ablations/tokenizer-sweep/llama-2-7b/config.json';
    const fromDisk = summarize('/ws/experiments/2024-q3/ablations/tokenizer-sweep/llama-2-7b/config.json', llamaText, deepPath);
    assert.equal(fromDisk.label, 't5-v1_1-base');
    const p = await sidebar();
    await show(p, sidebarState([...runs, fromDisk]));
    const row = p.page.locator(`li.run[data-run-id="${fromDisk.id}"]`);
    assert.equal(await row.locator('.run-label').innerText(), 't5-v1_1-base');
    assert.doesNotMatch(await row.innerText(), /home\/someone/, 'someone else’s disk path is not shown');
    const path = row.locator('.run-path');
    assert.equal(await path.innerText(), 'workspace/…/llama-2-7b/config.json · llama', 'the start folder and the file name, cut in the middle');
    assert.equal(await path.getAttribute('title'), deepPath);
    assert.equal(await path.getAttribute('aria-hidden'), 'true');
    assert.equal(await row.locator('.visually-hidden').textContent(), `${deepPath} · llama`, 'a screen reader reads the whole path');
    // Short paths are shown whole.
    const llama = runs.find((r) => r.relativePath.endsWith('models/llama-2-7b/config.json'))!;
    assert.equal(await p.page.locator(`li.run[data-run-id="${llama.id}"] .run-path`).innerText(), `${llama.relativePath} · llama`);
    const fits = await row.locator('.run-path').evaluate((e) => e.scrollWidth <= e.clientWidth);
    assert.ok(fits, 'the secondary line fits the narrow view');
  });

  for (const theme of THEMES) {
    it(`follows the ${theme.name} theme: text and background in its colours`, async () => {
      const p = await sidebar(theme);
      await show(p, sidebarState(runs));
      const colours = await p.page.evaluate(() => ({
        body: getComputedStyle(document.body).backgroundColor,
        label: getComputedStyle(document.querySelector('li.run .run-label') as Element).color,
      }));
      const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
      assert.equal(colours.body, rgb(theme.background));
      assert.equal(colours.label, rgb(theme.foreground));
      if (theme.id !== 'dark') await p.screenshot(`webview-sidebar-${theme.id}`);
    });
  }

  it('drops malformed messages and says so in a log message', async () => {
    const p = await sidebar();
    const bad: unknown[] = [{ type: 'state', runs: 'none' }, { type: 'progress', done: '1' }, { type: 'runs', runs: [] }, 42, { no: 'type' }];
    for (const m of bad) await p.post(m);
    await p.waitForMessage('log', { count: bad.length });
    for (const l of (await p.sent()).filter((m) => m.type === 'log')) {
      assert.equal(l.level, 'warn');
      assert.match(String(l.message), /^dropped a malformed message/);
    }
    assert.equal(await p.count('rendered'), 0);
    assert.match(await p.page.locator('#app').innerText(), /Looking for configs…/);
  });

  it('asked for nothing but loopback', () => {
    assert.equal(pages.env().networkProblem(), undefined);
  });
});
