// UI smoke test, as a person would use LIM Lens: the packaged .vsix installed into VS Code (code-server), the
// fixture workspace open, the command palette, the dashboard, the sidebar, a hover on a config file. No test
// hooks: only what is on screen. Screenshots: test-output/screenshots/smoke-*.png. See docs/testing.md.
import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ROOT } from '../harness/paths';
import { packageVsix } from './packageVsix';
import {
  canvasPainted,
  closeQuickInput,
  dialogs,
  extensionId,
  hoverWord,
  launchWorkbench,
  notifications,
  openFile,
  resetUi,
  step,
  openSidebar,
  paletteCommands,
  runCommand,
  sidebarViewTitles,
  SMOKE_OUT,
  webviewFrame,
  type Workbench,
} from './ui';

const T = { timeout: 120_000 };

describe('UI smoke test (packaged extension in VS Code)', () => {
  let wb: Workbench;

  before(async () => {
    const vsix = packageVsix(SMOKE_OUT);
    wb = await launchWorkbench({ vsix, outDir: SMOKE_OUT });
  }, { timeout: 300_000 });

  beforeEach(async () => {
    if (wb) await resetUi(wb.page);
  });

  after(async () => {
    await wb?.close();
  });

  it('the .vsix installs and the workbench opens the fixture workspace', T, async () => {
    await step(wb, 'workbench', async () => {
      assert.ok(wb.installed.includes(extensionId(ROOT)), `installed: ${wb.installed.join(', ') || 'nothing'}`);
      const rows = await wb.page.locator('.explorer-folders-view .monaco-list-row').allTextContents();
      assert.ok(rows.some((r) => r.includes('models')), `explorer shows: ${rows.join(' | ')}`);
      await wb.screenshot('smoke-01-workbench');
    });
  });

  it('the command palette lists LIM Lens: Open Dashboard', T, async () => {
    await step(wb, 'palette', async () => {
      const labels = await paletteCommands(wb.page, 'LIM Lens');
      assert.ok(labels.includes('LIM Lens: Open Dashboard'), `palette shows: ${labels.join(' | ')}`);
      await wb.screenshot('smoke-02-palette');
      await closeQuickInput(wb.page);
    });
  });

  it('running it opens the dashboard, which draws the energy ladder', T, async () => {
    await step(wb, 'dashboard', async () => {
      await runCommand(wb.page, 'LIM Lens: Open Dashboard');
      await wb.page.locator('.tabs-container .tab.active', { hasText: 'LIM Lens Dashboard' }).waitFor({ timeout: 30_000 });
      const frame = webviewFrame(wb.page, { extensionId: 'lim-lens.lim-lens' });
      await frame.locator('h1', { hasText: 'Brain-scale model (1e15 parameters)' }).waitFor({ timeout: 30_000 });
      await frame.locator('canvas').first().waitFor({ timeout: 30_000 });
      let painted = 0;
      for (let i = 0; i < 50 && painted < 5000; i++) {
        painted = await canvasPainted(frame);
        if (painted < 5000) await wb.page.waitForTimeout(100);
      }
      assert.ok(painted > 5000, `painted canvas pixels: ${painted}`);
      const errors = (await notifications(wb.page)).filter((n) => n.severity === 'error');
      assert.deepEqual(errors, [], 'no error notifications');
      assert.deepEqual(await dialogs(wb.page), [], 'no dialogs');
      await wb.page.waitForTimeout(300);
      await wb.screenshot('smoke-03-dashboard');
    });
  });

  it('the LIM Lens activity-bar entry opens its sidebar', T, async () => {
    await step(wb, 'sidebar', async () => {
      const title = await openSidebar(wb.page, 'LIM Lens');
      assert.match(title, /^LIM LENS/i);
      const views = await sidebarViewTitles(wb.page);
      assert.ok(views.some((v) => /training runs/i.test(v)), `sidebar views: ${views.join(' | ')}`);
      // When the Training Runs webview view is implemented, assert its content, e.g.
      //   const runs = webviewFrame(wb.page, { srcIncludes: 'purpose=webviewView' });
      //   await runs.locator('text=llama-2-7b-pretrain').waitFor();
      await wb.page.waitForTimeout(300);
      await wb.screenshot('smoke-04-sidebar');
      await openSidebar(wb.page, 'Explorer');
    });
  });

  it('hovering a settings key brings up VS Code’s own hover (checks the hover helper)', T, async () => {
    await step(wb, 'hover-settings', async () => {
      await openFile(wb.page, '.vscode/settings.json');
      const hover = await hoverWord(wb.page, 'files.insertFinalNewline', 15_000);
      assert.match(hover ?? '(no hover)', /final new ?line/i);
      await wb.screenshot('smoke-05-hover');
      await wb.page.keyboard.press('Escape');
    });
  });

  it('hovering a key of a config.json shows VS Code’s hover or none, and the file opens in an editor', T, async () => {
    await step(wb, 'hover-config', async () => {
      await openFile(wb.page, 'models/llama-2-7b/config.json');
      const hover = await hoverWord(wb.page, 'hidden_size');
      // Today LIM Lens contributes no hover: VS Code's JSON hover (if any) or nothing. When the config hover
      // lands, assert it here, e.g. assert.match(hover ?? '', /hidden size.*4096/i).
      assert.ok(hover === undefined || typeof hover === 'string');
      assert.doesNotMatch(hover ?? '', /error|exception/i);
      await wb.screenshot('smoke-06-config-json');
      await wb.page.keyboard.press('Escape');
    });
  });

  it('nothing asked for a host other than loopback', () => {
    assert.equal(wb.networkProblem(), undefined);
  });

  it('no Content-Security-Policy violations in the workbench or its webviews, no uncaught errors in webviews', () => {
    assert.deepEqual(wb.browser.cspMessages, []);
    assert.deepEqual(wb.browser.webviewErrors, []);
  });
});
