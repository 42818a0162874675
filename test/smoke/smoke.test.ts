// UI smoke test, as a person would use LIM Lens: the packaged .vsix installed into VS Code (code-server), the
// fixture workspace open, driven with mouse and keyboard only (no test hooks): the command palette, the dashboard
// and its tabs, the Training Runs sidebar, a config's CodeLens and hover, the hardware picker, an analog-training
// comparison; then every surface in three themes at two sizes (screen-*.png), checked for clipped or overflowing
// elements. Screenshots: test-output/screenshots/smoke-*.png, screen-*.png, and readme-*.png for the README.
import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { ROOT } from '../harness/paths';
import { packageVsix, vsixEntries } from './packageVsix';
import { findOverflow } from '../webview/overflow';
import {
  acceptAllInQuickPick,
  canvasPainted,
  closeQuickInput,
  codeLensTexts,
  dialogs,
  editorSideColumn,
  extensionId,
  focusWorkbench,
  hoverWord,
  joinEditorGroups,
  launchWorkbench,
  notifications,
  openFile,
  quickPick,
  resetUi,
  resizeSidebar,
  setColorTheme,
  toggleSidebar,
  step,
  openSidebar,
  paletteCommands,
  runCommand,
  sidebarViewTitles,
  SMOKE_OUT,
  statusBarTexts,
  webviewFrame,
  type Workbench,
} from './ui';

const T = { timeout: 120_000 };

/** The LIM Lens commands package.json contributes, as the palette shows them. */
const COMMANDS = [
  'LIM Lens: Calibrate Utilisation and Power from Measured Runs',
  'LIM Lens: Compare Configs',
  'LIM Lens: Create Example Run File',
  'LIM Lens: Estimate Training Energy',
  'LIM Lens: Estimate Workspace',
  'LIM Lens: Export Report',
  'LIM Lens: Export Simulation as aihwkit Script',
  'LIM Lens: Open Dashboard',
  'LIM Lens: Refresh Training Runs',
  'LIM Lens: What Do These Numbers Mean? (Glossary)',
  'LIM Lens: Run Analog Training Simulation…',
  'LIM Lens: Select Hardware Profile',
  'LIM Lens: Show Log',
];

describe('UI smoke test (packaged extension in VS Code)', () => {
  let wb: Workbench;
  let vsix: string;

  before(async () => {
    vsix = packageVsix(SMOKE_OUT);
    wb = await launchWorkbench({ vsix, outDir: SMOKE_OUT });
  }, { timeout: 300_000 });

  beforeEach(async () => {
    if (wb) await resetUi(wb.page);
  });

  after(async () => {
    await wb?.close();
  });

  /** Waits until a webview's canvas (the first matching `selector`) has painted pixels; returns how many. */
  async function painted(frame: Frame, selector = 'canvas', min = 5000): Promise<number> {
    await frame.locator(selector).first().waitFor({ timeout: 75_000 });
    let n = 0;
    for (let i = 0; i < 100 && n < min; i++) {
      n = await canvasPainted(frame, selector);
      if (n < min) await wb.page.waitForTimeout(100);
    }
    assert.ok(n >= min, `painted canvas pixels in ${selector}: ${n}`);
    return n;
  }

  it('the .vsix holds what the extension needs at run time, with the licenses, and no source maps or sources', () => {
    const entries = vsixEntries(vsix).filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
    for (const f of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'dist/extension.js', 'dist/worker.js', 'dist/cli.js', 'dist/webview/dashboard.js', 'dist/webview/sidebar.js', 'dist/codicons/codicon.ttf', 'dist/THIRD_PARTY_NOTICES.md', 'dist/GLOSSARY.md', 'media/webview.css', 'media/icon.png', 'data/uci-digits-8x8.csv.gz', 'docs/images/readme-hover.png']) {
      assert.ok(entries.includes(f), `${f} in the .vsix: ${entries.join(', ')}`);
    }
    assert.deepEqual(entries.filter((e) => e.endsWith('.map') || e.endsWith('.ts') || e.startsWith('test/') || e.startsWith('node_modules/')), []);
  });

  it('the .vsix installs and the workbench opens the fixture workspace', T, async () => {
    await step(wb, 'workbench', async () => {
      assert.ok(wb.installed.includes(extensionId(ROOT)), `installed: ${wb.installed.join(', ') || 'nothing'}`);
      const rows = await wb.page.locator('.explorer-folders-view .monaco-list-row').allTextContents();
      assert.ok(rows.some((r) => r.includes('models')), `explorer shows: ${rows.join(' | ')}`);
      await wb.screenshot('smoke-01-workbench');
    });
  });

  it('the command palette lists every LIM Lens command', T, async () => {
    await step(wb, 'palette', async () => {
      const labels = await paletteCommands(wb.page, 'LIM Lens:');
      for (const c of COMMANDS) assert.ok(labels.includes(c), `"${c}" in the palette: ${labels.join(' | ')}`);
      await wb.screenshot('smoke-02-palette');
      await closeQuickInput(wb.page);
    });
  });

  it('LIM Lens: Open Dashboard from the palette opens the dashboard, which draws the energy ladder', T, async () => {
    await step(wb, 'dashboard', async () => {
      await runCommand(wb.page, 'LIM Lens: Open Dashboard');
      await wb.page.locator('.tabs-container .tab.active', { hasText: 'LIM Lens Dashboard' }).waitFor({ timeout: 30_000 });
      const frame = await webviewFrame(wb.page, 'dashboard');
      await frame.locator('vscode-tab-header', { hasText: 'Energy' }).waitFor({ timeout: 75_000 });
      await frame.locator('.fact', { hasText: 'LIM bound' }).waitFor({ timeout: 30_000 });
      assert.match((await frame.locator('.facts').innerText()).replace(/\s+/g, ' '), /Parameters N 1\.00e15 .*LIM bound 102 kWh/);
      await painted(frame, 'canvas#chart-ladder');
      await painted(frame, 'canvas#chart-walls');
      assert.match(await frame.locator('#bounds-table').innerText(), /LIM bound E_LIM\s+3\.683e8/);
      const errors = (await notifications(wb.page)).filter((n) => n.severity === 'error');
      assert.deepEqual(errors, [], 'no error notifications');
      assert.deepEqual(await dialogs(wb.page), [], 'no dialogs');
      await wb.page.waitForTimeout(300);
      await wb.screenshot('smoke-03-dashboard');
      await wb.screenshot('readme-dashboard');
    });
  });

  it('the dashboard’s Scaling tab, clicked, draws energy versus model size with the workspace runs', T, async () => {
    await step(wb, 'scaling', async () => {
      const frame = await webviewFrame(wb.page, 'dashboard');
      await frame.locator('vscode-tab-header', { hasText: 'Scaling' }).click();
      await frame.locator('figcaption', { hasText: 'Energy versus model size' }).waitFor({ timeout: 15_000 });
      await painted(frame, 'canvas#chart-scaling', 20_000);
      // The workspace scan has finished by now (the dashboard started it): seven runs on the chart.
      await frame.locator('.note', { hasText: 'Points: the 7 workspace runs' }).waitFor({ timeout: 30_000 });
      await painted(frame, 'canvas#chart-scaling', 20_000);
      await wb.page.waitForTimeout(300);
      await wb.screenshot('readme-scaling');
      await frame.locator('vscode-tab-header', { hasText: 'Energy' }).click();
    });
  });

  it('the dashboard’s “What do these numbers mean?” button opens the packaged glossary in a Markdown preview', T, async () => {
    await step(wb, 'glossary', async () => {
      const frame = await webviewFrame(wb.page, 'dashboard');
      await frame.locator('#glossary-button').click();
      await wb.page.locator('.tabs-container .tab.active', { hasText: 'GLOSSARY.md' }).waitFor({ timeout: 30_000 });
      // The preview is a webview of its own: its page shows the title and, first, the LIM bound.
      let shown = '';
      const deadline = Date.now() + 60_000;
      while (!/LIM bound — A physical floor/.test(shown)) {
        if (Date.now() > deadline) throw new Error(`the glossary preview shows: ${shown.slice(0, 300) || 'nothing'}`);
        for (const f of wb.page.frames()) {
          if ((await f.locator('h1', { hasText: 'What do these numbers mean?' }).count().catch(() => 0)) > 0) shown = (await f.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ');
        }
        await wb.page.waitForTimeout(200);
      }
      await wb.screenshot('smoke-glossary');
      await runCommand(wb.page, 'View: Close Editor');
      await wb.page.locator('.tabs-container .tab', { hasText: 'GLOSSARY.md' }).waitFor({ state: 'detached', timeout: 15_000 });
    });
  });

  it('the LIM Lens activity-bar entry opens the Training Runs view, which lists the fixture configs', T, async () => {
    await step(wb, 'sidebar', async () => {
      const title = await openSidebar(wb.page, 'LIM Lens');
      assert.match(title, /^LIM LENS/i);
      const views = await sidebarViewTitles(wb.page);
      assert.ok(views.some((v) => /training runs/i.test(v)), `sidebar views: ${views.join(' | ')}`);
      const runs = await webviewFrame(wb.page, 'sidebar');
      await runs.locator('li.run').nth(6).waitFor({ timeout: 75_000 });
      const labels = (await runs.locator('li.run .run-label').allInnerTexts()).map((s) => s.trim());
      assert.equal(labels.length, 7, labels.join(' | '));
      for (const l of ['Llama-2-7B pre-training', 'Mixtral-8x7B, 1T tokens', 'meta-llama/Llama-2-7b-hf', 'Megatron-LM · pretrain_gpt_1.3b.sh', 'Hugging Face · mixtral-8x7b/config.json']) assert.ok(labels.includes(l), `${l} in ${labels.join(' | ')}`);
      const paths = (await runs.locator('li.run .run-path').allInnerTexts()).join('\n');
      for (const f of ['models/llama-2-7b/config.json', 'runs/mixtral-what-if.lim.yaml', 'pretrain/pretrain_gpt_1.3b.sh', 'axolotl/qlora.yml', 'finetune/training_args.json']) assert.ok(paths.includes(f), `${f} listed`);
      const first = (await runs.locator('li.run').first().innerText()).replace(/\s+/g, ' ');
      assert.match(first, /^Llama-2-7B pre-training .*≈ 81\.1 MWh · 184K device-hours on A100 SXM 80GB · 31\.2 t CO₂/);
      await wb.page.waitForTimeout(300);
      await wb.screenshot('smoke-04-sidebar');
    });
  });

  it('clicking a run opens its config at the model definition, with the energy CodeLens on top', T, async () => {
    await step(wb, 'codelens', async () => {
      const runs = await webviewFrame(wb.page, 'sidebar');
      await runs.locator('li.run', { hasText: 'meta-llama/Llama-2-7b-hf' }).locator('.run-label').click();
      await wb.page.locator('.tabs-container .tab.active', { hasText: 'config.json' }).waitFor({ timeout: 15_000 });
      // The cursor is on the model definition ("model_type", line 13).
      const status = await statusBarTexts(wb.page);
      assert.ok(status.some((s) => /^Ln 13, Col 3$/.test(s)), `status bar: ${status.join(' | ')}`);
      const lenses = await codeLensTexts(wb.page, 30_000);
      assert.ok(lenses.some((l) => l.includes('≈ 2.94 MWh · 3.82K device-hours on H100 SXM · 1.13 t CO₂ · tokens defaulted: 20 per parameter · LIM bound 847 J')), `CodeLens: ${lenses.join(' | ')}`);
      assert.ok(lenses.some((l) => l.includes('change hardware')), `CodeLens: ${lenses.join(' | ')}`);
      await wb.page.waitForTimeout(300);
      await wb.screenshot('readme-codelens');
      // A wider side bar for the README: each run's figures on fewer lines.
      await resizeSidebar(wb.page, 440);
      const width = (await wb.page.locator('.part.sidebar').boundingBox())?.width ?? 0;
      assert.ok(width > 400, `side bar ${width} px wide after dragging its edge`);
      await wb.page.waitForTimeout(500);
      await wb.screenshot('readme-sidebar');
    });
  });

  it('hovering "hidden_size" in the config shows the LIM Lens estimate and how the field moves it', T, async () => {
    await step(wb, 'hover-config', async () => {
      await openFile(wb.page, 'models/llama-2-7b/config.json');
      const hover = await hoverWord(wb.page, 'hidden_size', 30_000);
      assert.ok(hover, 'a hover appears');
      assert.match(hover, /LIM Lens/);
      assert.match(hover, /Parameters N\s+6\.74B total/);
      // Answer first: the run's energy, device-hours and CO₂, then the field and its effect with D held.
      assert.match(hover, /≈ 2\.94 MWh · 3\.82K device-hours on H100 SXM · 1\.13 t CO₂ · tokens defaulted: 20 per parameter/);
      assert.match(hover, /hidden_size = 4096 \(config\.json:9\) — halved \(2,048\): −58 % energy \(2\.83B parameters\) · doubled \(8,192\)/);
      assert.match(hover, /tokens held at 135B/);
      assert.match(hover, /Accelerator energy\s+≈ 2\.94 MWh on H100 SXM \(1 device assumed\)/);
      await wb.screenshot('smoke-06-config-json');
      await wb.screenshot('readme-hover');
      await wb.page.keyboard.press('Escape');
    });
  });

  it('hovering a settings key brings up VS Code’s own hover (checks the hover helper)', T, async () => {
    await step(wb, 'hover-settings', async () => {
      await openFile(wb.page, '.vscode/settings.json');
      const hover = await hoverWord(wb.page, 'files.insertFinalNewline', 15_000);
      assert.match(hover ?? '(no hover)', /final new ?line/i);
      assert.doesNotMatch(hover ?? '', /LIM Lens/, 'no LIM Lens hover on a settings file');
      await wb.screenshot('smoke-05-hover');
      await wb.page.keyboard.press('Escape');
    });
  });

  it('Select Hardware Profile from the palette: picking A100 changes the status bar and the CodeLens', T, async () => {
    await step(wb, 'hardware', async () => {
      await openFile(wb.page, 'models/llama-2-7b/config.json');
      const lim = async () => (await statusBarTexts(wb.page)).filter((s) => / · \d+ %$/.test(s));
      assert.deepEqual(await lim(), ['H100 SXM · 40 %']);
      await quickPick(wb.page, 'LIM Lens: Select Hardware Profile', ['a100']);
      await wb.page.locator('.part.statusbar .statusbar-item', { hasText: 'A100 SXM 80GB · 40 %' }).waitFor({ timeout: 15_000 });
      const lenses = await codeLensTexts(wb.page, 30_000, (t) => t.includes('A100'));
      assert.ok(lenses.some((l) => / device-hours on A100 SXM 80GB · .* CO₂ · tokens defaulted: 20 per parameter · LIM bound 847 J/.test(l)), `CodeLens: ${lenses.join(' | ')}`);
      await quickPick(wb.page, 'LIM Lens: Select Hardware Profile', ['h100']);
      await wb.page.locator('.part.statusbar .statusbar-item', { hasText: 'H100 SXM · 40 %' }).waitFor({ timeout: 15_000 });
    });
  });

  it('Run Analog Training Simulation from the palette: digital SGD, Analog SGD and Tiki-Taka, compared in the dashboard', T, async () => {
    await step(wb, 'analog', async () => {
      // Three quick picks: the experiment, the device, the algorithms (three are ticked already: Enter accepts).
      await quickPick(wb.page, 'LIM Lens: Run Analog Training Simulation…', ['Least squares', 'Soft bounds', '']);
      const frame = await webviewFrame(wb.page, 'dashboard');
      await frame.locator('vscode-tab-header[active]', { hasText: 'Analog training' }).waitFor({ timeout: 30_000 });
      await frame.locator('#sim-status', { hasText: '3 finished.' }).waitFor({ timeout: 90_000 });
      const rows = await frame.locator('#sim-table tbody tr').allInnerTexts();
      assert.deepEqual(rows.map((r) => r.split('\t')[0].trim()), ['Digital SGD', 'Analog SGD', 'Tiki-Taka']);
      for (const r of rows) assert.match(r, /done\s*$/);
      const loss = (label: string) => Number(rows.find((r) => r.startsWith(label))?.split('\t')[1]);
      assert.ok(loss('Tiki-Taka') < loss('Analog SGD') / 3, `Tiki-Taka ${loss('Tiki-Taka')} well below Analog SGD ${loss('Analog SGD')}`);
      await painted(frame, 'canvas#chart-loss');
      await painted(frame, 'canvas#chart-saturation', 2000);
      // The comparison for the README, with the whole window: the side bar hidden, the charts redrawn wider.
      await toggleSidebar(wb.page);
      assert.equal(await wb.page.locator('.part.sidebar').isVisible(), false, 'Ctrl+B hides the side bar');
      await wb.page.mouse.move(1, 1);
      await wb.page.waitForTimeout(800);
      await painted(frame, 'canvas#chart-loss');
      await wb.screenshot('readme-analog');
      await toggleSidebar(wb.page);
    });
  });

  it('the MLP on the bundled digits trains in the packaged extension and reports test accuracy', T, async () => {
    await step(wb, 'analog-digits', async () => {
      await quickPick(wb.page, 'LIM Lens: Run Analog Training Simulation…', ['MLP on handwritten digits', 'Soft bounds', '']);
      const frame = await webviewFrame(wb.page, 'dashboard');
      // The previous comparison also ended "3 finished.": wait for this one's rows, done and with an accuracy.
      let rows: string[][] = [];
      // The accuracy cell reads "95.5 % (train 99.9 %)"; the loop ends before the test's own timeout so a miss shows the rows.
      const finished = (r: string[]) => r.at(-1) === 'done' && /^\d+(\.\d+)? % \(train \d+(\.\d+)? %\)$/.test(r[2]);
      for (const deadline = Date.now() + 100_000; Date.now() < deadline; await wb.page.waitForTimeout(250)) {
        rows = (await frame.locator('#sim-table tbody tr').allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
        if (rows.length === 3 && rows.every(finished)) break;
      }
      assert.ok(rows.length === 3 && rows.every(finished), `the three runs, done with test (train) accuracy: ${JSON.stringify(rows)}`);
      assert.equal(await frame.locator('#sim-status').innerText(), '3 finished.');
      assert.deepEqual(rows.map((r) => r[0]), ['Digital SGD', 'Analog SGD', 'Tiki-Taka']);
      // Test-set accuracy on the 449 held-out digits with the experiment's recipe (pulsed update, seed 1): the
      // figures of docs/analog.md, bit for bit. Analog SGD stalls; Tiki-Taka trains as well as digital SGD.
      assert.deepEqual(rows.map((r) => `${r[0]} ${r[2].split(' (')[0]}`), ['Digital SGD 95.5 %', 'Analog SGD 77.3 %', 'Tiki-Taka 96.0 %']);
      assert.equal(await frame.locator('#sim-lr').getAttribute('value'), '0.1', 'the form shows the MLP recipe');
      await wb.screenshot('smoke-08-analog-digits');
    });
  });

  it('the sidebar’s graph icon opens a run in the dashboard', T, async () => {
    await step(wb, 'run-in-dashboard', async () => {
      await openSidebar(wb.page, 'LIM Lens');
      const runs = await webviewFrame(wb.page, 'sidebar');
      await runs.locator('li.run', { hasText: 'Llama-2-7B pre-training' }).locator('vscode-icon[name="graph"]').click();
      const frame = await webviewFrame(wb.page, 'dashboard');
      await frame.locator('vscode-tab-header[active]', { hasText: 'Energy' }).waitFor({ timeout: 30_000 });
      await frame.locator('.fact', { hasText: 'NVIDIA A100 SXM 80GB' }).waitFor({ timeout: 30_000 });
      assert.match((await frame.locator('.facts').innerText()).replace(/\s+/g, ' '), /NVIDIA A100 SXM 80GB 81\.1 MWh/);
      await painted(frame, 'canvas#chart-ladder');
      await wb.screenshot('smoke-07-run-dashboard');
      await focusWorkbench(wb.page);
    });
  });

  it('screens: every surface in a dark, a light and a high-contrast theme, at 1400×900 and in a 360 px column, with nothing clipped', { timeout: 600_000 }, async () => {
    await step(wb, 'screens', async () => {
      const problems: string[] = [];
      const check = async (frame: Frame, where: string) => {
        for (const p of await frame.evaluate(findOverflow)) problems.push(`${where}: ${p.element}: ${p.problem}`);
      };
      const TABS = ['Energy', 'Scaling', 'Trade-offs', 'Analog', 'Compare'];
      const CHART: Record<string, string> = { Energy: 'canvas#chart-ladder', Scaling: 'canvas#chart-scaling', 'Trade-offs': 'canvas#chart-precision', Compare: 'canvas#chart-compare' };
      const dashboardTabs = async (theme: string, size: string) => {
        const frame = await webviewFrame(wb.page, 'dashboard');
        for (const tab of TABS) {
          await frame.locator('vscode-tab-header', { hasText: tab }).first().click();
          await wb.page.waitForTimeout(700);
          if (CHART[tab]) await painted(frame, CHART[tab], 2000);
          await check(frame, `${theme} ${size} dashboard ${tab}`);
          await wb.screenshot(`screen-${theme}-${size}-dashboard-${tab.toLowerCase()}`);
        }
      };
      for (const [theme, name] of [['dark', 'Dark Modern'], ['light', 'Light Modern'], ['hc', 'Dark High Contrast']] as const) {
        await setColorTheme(wb.page, name);
        // Wide: the dashboard with the whole window (opened by Compare Configs with every fixture config ticked, so
        // the Compare tab has a comparison), the hover, the Training Runs view.
        await runCommand(wb.page, 'LIM Lens: Compare Configs');
        await acceptAllInQuickPick(wb.page);
        const compared = await webviewFrame(wb.page, 'dashboard');
        await compared.locator('#compare-table tbody tr').nth(6).waitFor({ timeout: 30_000 });
        await dashboardTabs(theme, '1400');
        await openFile(wb.page, 'models/llama-2-7b/config.json');
        // The first hover after a theme switch can be missed while the editor restyles: move away and try again.
        let hover: string | undefined;
        for (let i = 0; i < 3 && !hover; i++) {
          await wb.page.mouse.move(1, 1);
          hover = await hoverWord(wb.page, 'hidden_size', 15_000);
        }
        assert.match(hover ?? '(no hover)', /LIM Lens/);
        await wb.screenshot(`screen-${theme}-1400-hover`);
        await wb.page.keyboard.press('Escape');
        await openSidebar(wb.page, 'LIM Lens');
        const runs = await webviewFrame(wb.page, 'sidebar');
        await runs.locator('li.run').first().waitFor({ timeout: 30_000 });
        await check(runs, `${theme} sidebar`);
        await wb.screenshot(`screen-${theme}-1400-runs`);
        // Narrow: the dashboard in a 360 px column beside the config, and the side bar 360 px wide.
        await runCommand(wb.page, 'LIM Lens: Open Dashboard');
        await editorSideColumn(wb.page, 360);
        const column = (await wb.page.locator('.part.editor .editor-group-container').nth(1).boundingBox())?.width ?? 0;
        assert.ok(Math.abs(column - 360) <= 12, `the dashboard's column is ${column} px wide`);
        await dashboardTabs(theme, '360');
        await joinEditorGroups(wb.page);
        await resizeSidebar(wb.page, 360);
        await check(await webviewFrame(wb.page, 'sidebar'), `${theme} sidebar 360`);
        await wb.screenshot(`screen-${theme}-360-runs`);
        await closeAllEditorsCommand();
      }
      await setColorTheme(wb.page, 'Dark Modern');
      assert.deepEqual(problems, [], 'clipped or overflowing elements');
    });
  });

  async function closeAllEditorsCommand(): Promise<void> {
    await runCommand(wb.page, 'View: Close All Editors');
    await wb.page.waitForTimeout(300);
  }

  it('no error notification or dialog from LIM Lens along the way', () => {
    return notifications(wb.page).then((n) => assert.deepEqual(n.filter((x) => x.severity === 'error'), []));
  });

  it('nothing asked for a host other than loopback', () => {
    assert.equal(wb.networkProblem(), undefined);
  });

  it('no Content-Security-Policy violations in the workbench or its webviews, no uncaught errors in webviews', () => {
    assert.deepEqual(wb.browser.cspMessages, []);
    assert.deepEqual(wb.browser.webviewErrors, []);
  });
});
