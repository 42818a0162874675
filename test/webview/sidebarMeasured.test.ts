// The Training Runs view's "measured" badge (dist/webview/sidebar.js in headless Chromium under the extension's CSP):
// a run a record joins and a record on its own, summarised by the worker's own code from the fixtures of
// test/fixtures/measured; what the record measured on its own line; crafted record names shown as text.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocumentSync } from '../../src/core/estimate';
import { formatEnergy } from '../../src/core/units/format';
import type { RunSummary } from '../../src/protocol/runs';
import { runFigures } from '../../src/worker/summarize';
import { ROOT } from '../harness/paths';
import { diskSiblings } from '../harness/siblings';
import { sidebarState } from './fixtures';
import { webviewTestHooks, type WebviewPage } from './harness';
import { themeById } from './themes';

const DIR = join(ROOT, 'test', 'fixtures', 'measured');

/** A file as the worker summarises it, reading the files beside it from disk (as the editor's rounds would). */
function summarize(rel: string, text?: string): RunSummary {
  const path = join(DIR, rel);
  const figures = runFigures(analyzeDocumentSync({ path, text: text ?? readFileSync(path, 'utf8') }, { readSibling: diskSiblings(path) }));
  if (!figures) throw new Error(`${rel} is not recognised`);
  return { ...figures, id: `file://${path}`, uri: `file://${path}`, relativePath: `measured/${rel}` };
}

describe('sidebar webview: measured runs', () => {
  const pages = webviewTestHooks();

  async function show(runs: RunSummary[]): Promise<WebviewPage> {
    const p = await pages.open('sidebar', 'Training Runs');
    await p.page.setViewportSize({ width: 340, height: 900 });
    await p.waitForMessage('ready');
    await p.setTheme(themeById('dark'));
    await p.post(sidebarState(runs));
    await p.waitForMessage('rendered', { accept: (m) => m.rows === runs.length });
    return p;
  }
  const row = (p: WebviewPage, r: RunSummary) => p.page.locator(`li.run[data-run-id="${r.id}"]`);

  it('a run with its CodeCarbon record: the estimate, a "measured" badge and the measured figures', async () => {
    const joined = summarize('run/gpt2-run.lim.yaml');
    const plain = { ...summarize('joined/config.json'), measuredLabel: undefined, measuredEnergyJ: undefined, measuredHours: undefined, measuredFlops: undefined, id: 'file:///plain', uri: 'file:///plain' };
    assert.equal(joined.measuredLabel, 'CodeCarbon run 66666666');
    const p = await show([joined, plain]);
    const badge = row(p, joined).locator('.run-measured');
    assert.equal(await badge.innerText(), 'measured');
    assert.match((await badge.getAttribute('title')) ?? '', /CodeCarbon run 66666666/);
    assert.equal(await row(p, plain).locator('.run-measured').count(), 0, 'no badge without a record');
    const figures = (await row(p, joined).locator('.run-measured-figures').innerText()).replace(/\s+/g, ' ');
    assert.equal(figures, `measured ${formatEnergy(27e6)} · 3 h`);
    // The estimate is still there, beside it.
    assert.match(await row(p, joined).locator('.run-energy').innerText(), /≈ .*Wh/);
  });

  it('a record on its own: named by its run, the badge, what it measured, and no "no estimate" complaint', async () => {
    const wandb = summarize('alone/wandb/run-20240305_101500-k3x9q2ab/files/wandb-summary.json');
    const p = await show([wandb]);
    assert.equal(await row(p, wandb).locator('.run-label').innerText(), 'W&B run k3x9q2ab');
    assert.equal(await row(p, wandb).locator('.run-measured').count(), 1);
    assert.match((await row(p, wandb).locator('.run-measured-figures').innerText()).replace(/\s+/g, ' '), /^measured 1\.47 h · 2\.50e17 FLOP$/);
    assert.equal(await row(p, wandb).locator('.run-reason').count(), 0);
  });

  it('a crafted record name is text: no element, link or icon comes from it', async () => {
    const head = 'timestamp,project_name,run_id,duration,emissions,energy_consumed\n';
    const crafted = summarize('hostile/emissions.csv', `${head}2024-01-01T00:00:00,p,<img src=x onerror=alert(1)>[x](command:y)$(zap),60,0.001,0.01\n`);
    const p = await show([crafted]);
    const r = row(p, crafted);
    assert.equal(await r.locator('img, a, .codicon-zap').count(), 0);
    // A run id that is no UUID is shown cut to 24 characters, as text.
    assert.equal(await r.locator('.run-label').innerText(), 'CodeCarbon run <img src=x onerror=alert');
    assert.match((await r.locator('.run-measured').getAttribute('title')) ?? '', /<img src=x onerror=alert/);
  });
});
