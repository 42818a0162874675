// The dashboard read at a glance, at two sizes: a wide editor (1400×900) and a 360 px side column, in a dark, a light
// and a high-contrast theme. Every tab (energy, scaling, trade-offs, analog with a finished comparison, compare) must
// lay out with nothing clipped and nothing outside the view (findOverflow: scrollWidth > clientWidth on buttons,
// cells, labels and captions; elements past the viewport's edge). Screenshots:
// test-output/screenshots/webview-layout-<theme>-<width>-<tab>.png. Also: the run picker, the comparison, digital
// SGD's energy and the measured series.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readCodeCarbon } from '../../src/core/measured/codecarbon';
import { formatEnergy } from '../../src/core/units/format';
import type { RunSummary } from '../../src/protocol/runs';
import { COMPARE_HEADER, DIGITAL_ENERGY } from '../../webview/dashboard/labels';
import { ROOT } from '../harness/paths';
import { brainScaleView, fixtureRuns, initMessage, simulationBatch } from './fixtures';
import { webviewTestHooks, type Message, type WebviewPage } from './harness';
import { openDashboardPage } from './dashboardPage';
import { findOverflow } from './overflow';
import { themeById, type Theme } from './themes';

type Chart = { id: string; datasets: number; points: number; painted: number };
const charts = (m: Message) => m.charts as Chart[];
const TABS = ['energy', 'scaling', 'tradeoffs', 'analog', 'compare'] as const;
const SIZES = [
  { width: 1400, height: 900 },
  { width: 360, height: 900 },
];
const THEMES: Theme[] = [themeById('dark'), themeById('light'), themeById('high-contrast')];

/** One CodeCarbon file of the shared test data: a real measured energy, in joules. */
function codeCarbonJoules(): { joules: number; file: string } | undefined {
  const shared = process.env.LIM_SHARED_DIR ?? join(ROOT, '..', 'shared');
  const file = join(shared, 'data', 'realworld-python', 'measured', 'Ambroise012__Unstructured-pruning-Llama__emissions.csv');
  if (!existsSync(file)) return undefined;
  // Read as the product reads it (its 103 rows are 103 separate runs, so the total is their sum).
  const { runs } = readCodeCarbon(file, readFileSync(file, 'utf8'));
  return { joules: runs.reduce((s, r) => s + (r.energyJ?.value ?? 0), 0), file };
}

describe('dashboard layout and reading', () => {
  const pages = webviewTestHooks();
  const view = brainScaleView();
  const runs = fixtureRuns();
  const batch = simulationBatch();
  const compared = [runs[5], runs[6], runs[2], runs[0]];

  async function open(theme: Theme, size: { width: number; height: number }): Promise<WebviewPage> {
    return (await openDashboardPage(pages, theme, size, runs, view)).p;
  }

  async function show(p: WebviewPage, tab: (typeof TABS)[number]): Promise<Message> {
    const before = (await p.sent()).filter((m) => m.type === 'rendered' && m.tab === tab).length;
    await p.post({ type: 'showTab', tab });
    return p.waitForMessage('rendered', { count: before + 1, accept: (m) => m.tab === tab });
  }

  for (const theme of THEMES) {
    for (const size of SIZES) {
      it(`${theme.name}, ${size.width} px: every tab lays out with nothing clipped or outside the view`, async () => {
        const p = await open(theme, size);
        for (const m of batch.flatMap((s) => s.messages)) await p.post(m);
        await p.post({ type: 'comparison', runs: compared });
        for (const tab of TABS) {
          const rendered = await show(p, tab);
          if (tab !== 'compare' || compared.length) assert.ok(charts(rendered).every((c) => c.painted > 500), `${tab}: every chart painted: ${JSON.stringify(charts(rendered))}`);
          await p.page.waitForTimeout(150);
          const problems = await p.page.evaluate(findOverflow);
          await p.screenshot(`webview-layout-${theme.id}-${size.width}-${tab}`, { fullPage: true });
          assert.deepEqual(problems, [], `${theme.name} at ${size.width} px, ${tab} tab`);
        }
      });
    }
  }

  it('the run picker: a combobox that filters as one types, presets first, then the runs sorted by folder with their paths', async () => {
    const p = await open(themeById('dark'), { width: 1000, height: 700 });
    const picker = p.page.locator('#run-picker');
    assert.equal(await picker.getAttribute('combobox'), '', 'typing searches');
    // Drawing the picker (and drawing it again as runs arrive) selects nothing: only a person's choice posts select.
    await p.post({ type: 'runs', runs: [...runs].reverse() });
    await p.page.waitForTimeout(300);
    assert.deepEqual((await p.sent()).filter((m) => m.type === 'select'), [], 'no select posted by drawing the picker');
    const labels = await picker.locator('vscode-option').allTextContents();
    assert.equal(labels.length, initMessage().presets.length + runs.filter((r) => r.flops).length);
    await picker.click();
    const input = picker.locator('input');
    await input.fill('mixtral');
    await p.page.waitForTimeout(200);
    const shown = (await picker.locator('li[role="option"]').allTextContents()).map((s) => s.trim());
    assert.ok(shown.length >= 1 && shown.every((s) => /mixtral/i.test(s)), `filtered: ${shown.join(' | ')}`);
    await picker.locator('li[role="option"]').first().click();
    const select = await p.waitForMessage('select', { accept: (m) => String(m.selection).includes('mixtral') });
    assert.match(String(select.selection), /mixtral/);
  });

  it('compare tab: short names with the path under them, a bar per config, the reason for a config without an estimate', async () => {
    const p = await open(themeById('dark'), { width: 1200, height: 900 });
    const noEstimate: RunSummary = { ...runs[0], id: 'file:///w/package.json', uri: 'file:///w/package.json', relativePath: 'workspace/package.json', label: 'package.json', format: 'not a config', energyJ: undefined, flops: undefined, paramsTotal: undefined, kind: undefined, diagnostics: [{ severity: 'error', message: 'not a recognised model or training config', line: 0, character: 0 }] };
    const list = [runs[5], runs[2], noEstimate];
    await p.post({ type: 'comparison', runs: list });
    const rendered = await show(p, 'compare');
    const bars = charts(rendered).find((c) => c.id === 'chart-compare');
    assert.ok(bars, 'the comparison chart');
    assert.equal(bars.points, 2 * 2, 'the energy and the LIM bound of the two configs with an estimate');
    const header = await p.page.locator('#compare-table thead th').allTextContents();
    assert.deepEqual(header, COMPARE_HEADER);
    const rows = await p.page.locator('#compare-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c as HTMLElement).innerText.trim())));
    assert.deepEqual(rows.map((r) => r[0].split('\n')), list.map((r) => [r.label, r.relativePath]));
    assert.ok(rows[0][3].startsWith(formatEnergy(list[0].energyJ!)), rows[0][3]);
    assert.equal(rows[0][6], 'first');
    assert.ok(rows[1][6].endsWith('×'), rows[1][6]);
    assert.equal(rows[2][7], 'not a recognised model or training config');
    assert.ok(!(await p.page.locator('#compare-table').innerText()).includes('file://'), 'no full URIs');
    await p.page.locator('#compare-choose').click();
    await p.waitForMessage('compare');
  });

  it('compare tab without a comparison: says what it is for and offers the picker', async () => {
    const p = await open(themeById('light'), { width: 800, height: 600 });
    await show(p, 'compare');
    assert.match(await p.page.locator('.placeholder.column').innerText(), /Compare two or more configs side by side/);
    assert.equal(await p.page.locator('#compare-choose').isVisible(), true);
    assert.equal(await p.page.locator('#chart-compare').count(), 0);
  });

  it('analog table: digital SGD’s energy says it has no analog updates, not “0”', async () => {
    const p = await open(themeById('dark'), { width: 1200, height: 900 });
    for (const m of batch.flatMap((s) => s.messages)) await p.post(m);
    await show(p, 'analog');
    await p.page.locator('#sim-status', { hasText: '3 finished.' }).waitFor();
    const rows = await p.page.locator('#sim-table tbody tr').evaluateAll((trs) => trs.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const sgd = rows.find((r) => r[0] === 'Digital SGD');
    assert.ok(sgd);
    assert.equal(sgd[4], DIGITAL_ENERGY);
    assert.equal(sgd[3], '—', 'no pulses');
    const analog = rows.find((r) => r[0] === 'Analog SGD');
    assert.match(analog?.[4] ?? '', /^\d\.\d+e-?\d+$/, 'Analog SGD has a pulse energy');
  });

  it('scaling tab: a run with a measured energy is its own series, “Measured”, at its size and measured joules', async (t) => {
    const measured = codeCarbonJoules();
    if (!measured) {
      t.skip('the shared test data (../shared/data/realworld-python/measured) is not here; set LIM_SHARED_DIR');
      return;
    }
    const p = await open(themeById('dark'), { width: 1200, height: 900 });
    const withRecord: RunSummary = { ...runs[2], measuredLabel: 'CodeCarbon emissions.csv', measuredEnergyJ: measured.joules, measuredHours: undefined };
    await p.post({ type: 'runs', runs: [...runs.slice(0, 2), withRecord, ...runs.slice(3)] });
    const rendered = await show(p, 'scaling');
    const scaling = charts(rendered).find((c) => c.id === 'chart-scaling');
    assert.ok(scaling);
    // Four lines, the runs' estimate and LIM points, the measured series and the paper's box in the legend.
    assert.equal(scaling.datasets, 8);
    assert.equal(scaling.points, 4 * view.sweeps.size.length + 2 * runs.filter((r) => r.energyJ && r.limJ).length + 1, 'one measured point');
    assert.match(await p.page.locator('.note').first().innerText(), /and 1 with measured energy \(their own records\)/);
    assert.ok(measured.joules > 1000 && measured.joules < 1e9, `${measured.file}: ${measured.joules} J`);
  });
});
