// The Training Runs view (dist/webview/sidebar.js) in headless Chromium under the extension's CSP, with the VS Code
// API stubbed: the list against the fixture workspace's runs, filter and sort, the empty and scanning states, every
// action it posts, themes, malformed messages. Screenshots: test-output/screenshots/webview-sidebar-*.png.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEnergy, formatJoules } from '../../src/core/units/format';
import type { RunSummary } from '../../src/protocol/runs';
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
    const llama = runs.find((r) => r.relativePath.endsWith('models/llama-2-7b/config.json'));
    assert.ok(llama && llama.energyJ !== undefined && llama.limJ !== undefined);
    const row = p.page.locator(`li.run[data-run-id="${llama.id}"]`);
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    assert.ok(text.includes('meta-llama/Llama-2-7b-hf'), text);
    assert.ok(text.includes('N 6.74B · D 135B · 5.45e21 FLOP'), text);
    assert.ok(text.includes(`≈ ${formatEnergy(llama.energyJ)} on 1× NVIDIA H100 SXM`), text);
    assert.ok(text.includes(`LIM bound ${formatJoules(llama.limJ)} · 7.1 orders above`), text);
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
    assert.deepEqual((await labels(p)).sort(), ['Mixtral-8x7B, 1T tokens', 'mixtral']);
    assert.deepEqual(await p.page.evaluate(() => (window as unknown as { __getState(): unknown }).__getState()), { filter: 'mixtral', sort: 'energy' });
    await field.fill('megatron');
    await p.waitForMessage('rendered', { accept: (m) => m.rows === 1 });
    assert.deepEqual(await labels(p), ['megatron-gpt']);
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
