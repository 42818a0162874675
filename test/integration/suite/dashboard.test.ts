// The dashboard command end to end: worker → panel → webview, which draws and reports back what it drew.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RenderedChart } from '../../../src/protocol/dashboard';
import { closeAllEditors, screenshot, sleep, tabsLabelled, waitForRender, waitForWebviewReady } from './helpers';

const PANEL_TITLE = 'LIM Lens Dashboard';
const charts = (m: Record<string, unknown>) => (Array.isArray(m.charts) ? (m.charts as RenderedChart[]) : []);

suite('dashboard', () => {
  suiteSetup(closeAllEditors);
  suiteTeardown(closeAllEditors);

  test('LIM Lens: Open Dashboard opens the panel, and its webview draws the energy ladder it was sent', async () => {
    const since = Date.now();
    await vscode.commands.executeCommand('limLens.openDashboard');
    await waitForWebviewReady('dashboard', { since });
    const { message } = await waitForRender('dashboard', { since, accept: (m) => charts(m).length > 0 });
    assert.equal(message.title, 'Brain-scale model (1e15 parameters)');
    const ladder = charts(message).find((c) => c.id === 'chart-ladder');
    assert.ok(ladder, `the energy tab draws the ladder (charts: ${charts(message).map((c) => c.id).join(', ')})`);
    assert.equal(ladder.datasets, 1);
    assert.equal(ladder.points, 4, 'Landauer, LIM, static barrier, accelerator');
    assert.ok(ladder.painted > 1000, `the canvas has painted pixels (${ladder.painted})`);
    assert.equal(tabsLabelled(PANEL_TITLE).length, 1);
    await sleep(300); // let the webview's paint reach the screen
    await screenshot('integration-dashboard');
  });

  test('running the command again reveals the same panel instead of opening a second one', async () => {
    await vscode.commands.executeCommand('limLens.openDashboard');
    await vscode.commands.executeCommand('limLens.openDashboard');
    assert.equal(tabsLabelled(PANEL_TITLE).length, 1);
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
});
