// Settings: limLens.hardware and limLens.utilization change the CodeLens and hover numbers by the ratio the
// physics says, the status bar follows, and hover/CodeLens can be switched off.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findHardware, joulesPerFlopAtPeak } from '../../../src/core';
import { formatEnergy } from '../../../src/core/units/format';
import { activateExtension, assertClose, codeLenses, coreAnalysis, expectedLensTitle, fixtureUri, hoverTexts, limHover, openFixture, positionOf, screenshot, setSetting, sleep, ui, skipWithoutUi, uiAvailable, waitFor, LLAMA_LENS, suiteWithCleanEditors } from './helpers';

const LLAMA = 'models/llama-2-7b/config.json';
const LLAMA_RUN = 'runs/llama-2-7b-pretrain.lim.yaml';

/** Accelerator energy the extension computes now for an open fixture (through the worker). */
async function energyOf(rel: string): Promise<number> {
  const { analysis } = await activateExtension();
  const doc = await vscode.workspace.openTextDocument(fixtureUri(rel));
  const r = (await analysis.analyzeDocument(doc)).analysis.report;
  assert.ok(r, `an estimate for ${rel}`);
  return r.accelerator.energyJ;
}

/** Waits until the first CodeLens of a file reads `title` (settings apply asynchronously). */
async function lensBecomes(rel: string, title: string): Promise<void> {
  const uri = fixtureUri(rel);
  let last = '';
  await waitFor(`the CodeLens of ${rel} to read "${title}"`, async () => {
    last = (await codeLenses(uri))[0]?.command?.title ?? '';
    return last === title;
  }).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}; it reads "${last}"`);
  });
}

/** The LIM Lens status-bar entry's text as shown ("H100 SXM · 40 %"), read from the workbench. */
async function statusBarText(): Promise<string> {
  const items = await ui<string[]>({ op: 'texts', selector: '.part.statusbar .statusbar-item' });
  const mine = items.filter((t) => / · \d+ %$/.test(t));
  assert.equal(mine.length, 1, `one LIM Lens status-bar entry among: ${items.join(' | ')}`);
  return mine[0];
}

suite('settings: hardware, utilisation, hover and CodeLens switches', () => {
  const restore: Array<() => Promise<void>> = [];
  suiteWithCleanEditors();
  teardown(async () => {
    for (const r of restore.splice(0).reverse()) await r();
  });

  test('limLens.hardware = a100: energy scales by the J/FLOP ratio of the profiles; the status bar follows', async function () {
    await openFixture(LLAMA);
    const before = await energyOf(LLAMA);
    const runBefore = await energyOf(LLAMA_RUN);
    if (uiAvailable()) assert.equal(await statusBarText(), 'H100 SXM · 40 %');
    restore.push(await setSetting('hardware', 'a100'));
    const expected = coreAnalysis(LLAMA, { hardwareId: 'a100' }).report;
    assert.ok(expected);
    await lensBecomes(LLAMA, expectedLensTitle(expected));
    const after = await energyOf(LLAMA);
    const h100 = findHardware('h100');
    const a100 = findHardware('a100');
    assert.ok(h100 && a100);
    // Compute route: E = FLOPs / (peak × MFU) × TDP × PUE, so the ratio is that of the profiles' J/FLOP at peak.
    assertClose(after / before, joulesPerFlopAtPeak(a100) / joulesPerFlopAtPeak(h100), 1e-9, 'energy ratio a100 / h100');
    assertClose(after, expected.accelerator.energyJ, 1e-12, 'energy on the A100 (J)');
    // The lens names the new hardware; the hover too.
    const lens = (await codeLenses(fixtureUri(LLAMA)))[0].command?.title ?? '';
    assert.match(lens, / device-hours on A100 SXM 80GB · /);
    const doc = await vscode.workspace.openTextDocument(fixtureUri(LLAMA));
    const md = await limHover(doc.uri, positionOf(doc, '"hidden_size"'));
    assert.ok(md.startsWith(`$(zap) **≈ ${formatEnergy(after)}** · `), md);
    assert.ok(md.includes(`≈ **${formatEnergy(after)}** on A100 SXM 80GB (1 device assumed)`), md);
    // A run file that names its hardware and device-hours does not move.
    assertClose(await energyOf(LLAMA_RUN), runBefore, 1e-12, 'the Llama-2 run file (a100, device-hours)');
    if (uiAvailable()) {
      await waitFor('the status bar to show the A100', async () => (await statusBarText()) === 'A100 SXM 80GB · 40 %');
      await sleep(300);
      await screenshot('integration-settings-a100');
    }
    skipWithoutUi(this, 'the status bar text');
  });

  test('limLens.utilization 0.4 → 0.2 doubles the compute-route energy; the status bar says 20 %', async function () {
    await openFixture(LLAMA);
    const before = await energyOf(LLAMA);
    restore.push(await setSetting('utilization', 0.2));
    const expected = coreAnalysis(LLAMA, { utilization: 0.2 }).report;
    assert.ok(expected);
    await lensBecomes(LLAMA, expectedLensTitle(expected));
    assertClose((await energyOf(LLAMA)) / before, 2, 1e-9, 'energy at 20 % / at 40 % utilisation');
    if (uiAvailable()) await waitFor('the status bar to show 20 %', async () => (await statusBarText()) === 'H100 SXM · 20 %');
    // Restoring the setting restores the numbers.
    await restore.pop()?.();
    await lensBecomes(LLAMA, LLAMA_LENS);
    if (uiAvailable()) await waitFor('the status bar to show 40 % again', async () => (await statusBarText()) === 'H100 SXM · 40 %');
    skipWithoutUi(this, 'the status bar text');
  });

  test('an out-of-range utilisation (1.5) is ignored: the default applies and the estimate does not change', async () => {
    const before = await energyOf(LLAMA);
    restore.push(await setSetting('utilization', 1.5));
    await sleep(600);
    assertClose(await energyOf(LLAMA), before, 1e-12, 'energy with limLens.utilization = 1.5');
    await lensBecomes(LLAMA, LLAMA_LENS);
  });

  test('limLens.hover.enabled = false and limLens.codeLens.enabled = false switch them off, and back on', async () => {
    const editor = await openFixture(LLAMA);
    const pos = positionOf(editor.document, '"hidden_size"');
    restore.push(await setSetting('hover.enabled', false));
    restore.push(await setSetting('codeLens.enabled', false));
    await waitFor('no LIM Lens hover', async () => !(await hoverTexts(editor.document.uri, pos)).some((t) => t.includes('LIM Lens')));
    await waitFor('no LIM Lens CodeLens', async () => (await codeLenses(editor.document.uri)).every((l) => !l.command?.command.startsWith('limLens.')));
    for (const r of restore.splice(0).reverse()) await r();
    await limHover(editor.document.uri, pos);
    await lensBecomes(LLAMA, LLAMA_LENS);
  });
});
