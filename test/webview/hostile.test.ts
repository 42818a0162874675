// Runs whose names, paths, types and messages come from a hostile repository, shown by the Training Runs view and
// the dashboard in headless Chromium under the extension's CSP: every string is text (no element, link, image or
// script is made of it), right-to-left overrides and control characters are visible, long strings are cut, and
// nothing the page posts back carries the page's own markup.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainText } from '../../src/core/text/escape';
import type { RunSummary } from '../../src/protocol/runs';
import { HOSTILE_STRINGS, INVISIBLE_OR_REORDERING } from '../hostileStrings';
import { brainScaleView, fixtureRuns, initMessage, sidebarState } from './fixtures';
import { webviewTestHooks, type WebviewPage } from './harness';
import { themeById } from './themes';

/** One run per hostile string, the string in every text field a view shows. */
function hostileRuns(): RunSummary[] {
  const base = fixtureRuns().find((r) => r.relativePath.endsWith('models/llama-2-7b/config.json'));
  assert.ok(base);
  return Object.entries(HOSTILE_STRINGS).map(([name, s], i) => ({
    ...base,
    id: `${base.id}#hostile-${i}`,
    uri: `${base.uri}-${i}`,
    label: s,
    relativePath: `hostile/${name}/${s.slice(0, 300)}/config.json`,
    modelType: s,
    energyJ: (base.energyJ ?? 1) * (i + 1),
    diagnostics: [{ severity: 'warning', message: `unknown precision ${s}`, line: 3, character: 2, field: s }],
  }));
}

/**
 * The elements that show a file's strings hold text only: no element was made of a string (a crafted `<img>`,
 * `<script>` or link would be a child), no script ran (`alert` is counted), nothing invisible or reordering shows.
 */
async function assertInert(p: WebviewPage, textSelectors: string): Promise<void> {
  const made = await p.page.locator(textSelectors).evaluateAll((els) => els.filter((e) => e.children.length > 0).map((e) => e.outerHTML.slice(0, 160)));
  assert.deepEqual(made, [], 'markup made from a string');
  assert.ok((await p.page.locator(textSelectors).count()) > 0, `nothing matched ${textSelectors}`);
  assert.equal(await p.page.evaluate(() => (window as unknown as { __alerts?: number }).__alerts ?? 0), 0);
  assert.equal(await p.page.locator('#app img, #app script, #app iframe, #app a[href^="http"], #app a[href^="command:"]').count(), 0);
  const text = await p.page.locator('#app').innerText();
  assert.doesNotMatch(text, INVISIBLE_OR_REORDERING, 'an invisible or reordering character reached the page');
}

describe('webviews in a hostile workspace', () => {
  const pages = webviewTestHooks();
  const runs = hostileRuns();

  async function open(script: 'sidebar' | 'dashboard', title: string): Promise<WebviewPage> {
    const p = await pages.open(script, title);
    await p.page.evaluate(() => {
      (window as unknown as { __alerts: number }).__alerts = 0;
      window.alert = () => void ((window as unknown as { __alerts: number }).__alerts += 1);
    });
    await p.waitForMessage('ready');
    await p.setTheme(themeById('dark'));
    return p;
  }

  it('Training Runs: every crafted label, path, type and message is shown as its safe text', async () => {
    const p = await open('sidebar', 'Training Runs');
    await p.page.setViewportSize({ width: 340, height: 2400 });
    await p.post(sidebarState(runs));
    await p.waitForMessage('rendered', { accept: (m) => m.rows === runs.length });
    await assertInert(p, 'li.run .run-label, li.run .run-path, li.run .muted');
    const labels = await p.page.locator('li.run .run-label').allInnerTexts();
    // (HTML collapses runs of spaces; the text is otherwise exactly the safe text.)
    const squash = (t: string) => t.replace(/\s+/g, ' ').trim();
    const expected = [...runs].sort((a, b) => (b.energyJ ?? 0) - (a.energyJ ?? 0)).map((r) => squash(plainText(r.label, 120)));
    assert.deepEqual(labels.map(squash), expected);
    // The override is visible, the 100 KB name is cut, the path and the type are there as text.
    assert.ok(labels.includes('safe[U+202E]gnp.exe'));
    assert.ok(labels.some((l) => l.length === 120 && l.endsWith('…')));
    const row = p.page.locator(`li.run[data-run-id="${runs[0].id}"]`);
    assert.ok((await row.innerText()).includes(plainText(runs[0].relativePath, 300).slice(0, 40)));
    // Tooltips are text as well.
    const titles = await p.page.locator('li.run [title]').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    for (const t of titles) assert.doesNotMatch(t, INVISIBLE_OR_REORDERING, t);
    await p.screenshot('webview-sidebar-hostile');
  });

  it('dashboard: the run picker, an energy view titled by a crafted name, and an error quoting one are text', async () => {
    const p = await open('dashboard', 'LIM Lens Dashboard');
    await p.page.setViewportSize({ width: 1280, height: 900 });
    await p.post(initMessage());
    await p.post({ type: 'runs', runs });
    const view = { ...brainScaleView(), selection: runs[0].id, title: `${HOSTILE_STRINGS.script} ${HOSTILE_STRINGS.rtlOverride}` };
    await p.post({ type: 'energy', view });
    await p.waitForMessage('rendered', { accept: (m) => m.tab === 'energy' });
    await assertInert(p, '.page-header vscode-option');
    const options = await p.page.locator('.page-header vscode-option').allInnerTexts();
    assert.ok(options.some((o) => o.startsWith('safe[U+202E]gnp.exe')), options.slice(0, 5).join(' | '));
    // The path under each option (its description) is text too, with the override shown, not applied.
    const descriptions = await p.page.locator('.page-header vscode-option').evaluateAll((els) => els.map((e) => e.getAttribute('description') ?? ''));
    assert.ok(descriptions.some((d) => d.includes('[U+202E]')), descriptions.slice(0, 5).join(' | '));
    await p.post({ type: 'error', message: `could not read ${HOSTILE_STRINGS.rawHtml} ${HOSTILE_STRINGS.controls}` });
    const alert = await p.page.locator('.error[role=alert]').first().innerText();
    assert.equal(alert.trim(), plainText(`could not read ${HOSTILE_STRINGS.rawHtml} ${HOSTILE_STRINGS.controls}`, 500).trim());
    await assertInert(p, '.error[role=alert], .page-header vscode-option');
  });
});
