// The dashboard webview (dist/webview/dashboard.js) in headless Chromium under the extension's CSP, with the
// VS Code API stubbed: message round trips, drawing, themes, CSP, loopback only.
import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { computeEnergyBounds, findBoundPreset, resolveBoundInputs, type EnergyBounds } from '../../src/core';
import { WebviewEnv, type Message, type WebviewPage } from './harness';
import { THEMES, themeById, type Theme } from './themes';

const TITLE = 'Brain-scale model (1e15 parameters)';

function brainScale(): EnergyBounds {
  const preset = findBoundPreset('brain-scale');
  assert.ok(preset);
  return computeEnergyBounds(resolveBoundInputs(preset.inputs));
}

type Chart = { id: string; datasets: number; points: number; painted: number };
const charts = (m: Message) => m.charts as Chart[];

describe('dashboard webview', () => {
  let env: WebviewEnv;
  let page: WebviewPage | undefined;
  const bounds = brainScale();

  /** Opens a fresh dashboard page in `theme`, sends the bounds, waits for the draw it reports. */
  async function showBounds(theme: Theme): Promise<{ page: WebviewPage; rendered: Message }> {
    const p = await env.open('dashboard', 'LIM Lens Dashboard');
    page = p;
    await p.waitForMessage('ready');
    await p.setTheme(theme);
    await p.post({ type: 'bounds', bounds, title: TITLE });
    const rendered = await p.waitForMessage('rendered');
    return { page: p, rendered };
  }

  before(async () => {
    env = await WebviewEnv.start();
  });
  afterEach(async () => {
    if (!page) return;
    const csp = await page.cspViolations();
    const errors = [...page.errors];
    await page.close();
    page = undefined;
    assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
    assert.deepEqual(errors, [], 'no uncaught exceptions or console errors in the page');
  });
  after(async () => {
    await env?.close();
  });

  it('posts ready exactly once when it loads, and nothing else', async () => {
    const p = (page = await env.open('dashboard'));
    await p.waitForMessage('ready');
    await p.page.waitForTimeout(200);
    assert.deepEqual(await p.sent(), [{ type: 'ready' }]);
  });

  it('draws the energy ladder it is sent and reports what it drew', async () => {
    const { page: p, rendered } = await showBounds(themeById('dark'));
    assert.equal(rendered.title, TITLE);
    assert.deepEqual(charts(rendered).map((c) => [c.id, c.datasets, c.points]), [['ladder', 1, 4]]);
    assert.equal(await p.page.locator('#app h1').textContent(), TITLE);
    const px = await p.canvasPixels('canvas#ladder');
    assert.ok(px.width > 200 && px.height > 100, `canvas ${px.width}×${px.height}`);
    assert.ok(px.painted > 5000, `painted pixels: ${px.painted}`);
    assert.ok(Math.abs(charts(rendered)[0].painted - px.painted) / px.painted < 0.2, 'the reported painted count matches the canvas');
    assert.equal(await p.page.locator('canvas#ladder').getAttribute('aria-label'), 'Energy ladder, log scale');
  });

  for (const theme of THEMES) {
    it(`follows the ${theme.name} theme (${theme.bodyClass}): text, bars and background use its colours`, async () => {
      const { page: p } = await showBounds(theme);
      const others = THEMES.filter((t) => t.foreground !== theme.foreground);
      const px = await p.canvasPixels('canvas#ladder', {
        text: theme.foreground,
        bar: theme.bar,
        ...Object.fromEntries(others.map((t) => [`text of ${t.id}`, t.foreground])),
      });
      assert.ok(px.matches.bar > 2000, `bar pixels in ${theme.bar}: ${px.matches.bar}`);
      assert.ok(px.matches.text > 30, `text pixels in ${theme.foreground}: ${px.matches.text}`);
      for (const t of others) assert.ok(px.matches[`text of ${t.id}`] < 5, `pixels in ${t.id}'s text colour ${t.foreground}: ${px.matches[`text of ${t.id}`]}`);
      const bg = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(theme.background.slice(i, i + 2), 16));
      assert.equal(bg, `rgb(${r}, ${g}, ${b})`);
      await p.screenshot(`webview-dashboard-${theme.id}`);
    });
  }

  it('redraws in the new colours when VS Code switches the theme while it is open', async () => {
    const dark = themeById('dark');
    const light = themeById('light');
    const { page: p } = await showBounds(dark);
    const before = await p.canvasPixels('canvas#ladder', { darkBar: dark.bar, lightBar: light.bar });
    assert.ok(before.matches.darkBar > 2000);
    await p.setTheme(light);
    await p.waitForMessage('rendered', { count: 2 });
    const afterSwitch = await p.canvasPixels('canvas#ladder', { darkBar: dark.bar, lightBar: light.bar });
    assert.ok(afterSwitch.matches.lightBar > 2000, `bars in the light theme's blue: ${afterSwitch.matches.lightBar}`);
    assert.ok(afterSwitch.matches.darkBar < 50, `bars left in the dark theme's blue: ${afterSwitch.matches.darkBar}`);
  });

  it('shows an error message it is sent', async () => {
    const p = (page = await env.open('dashboard'));
    await p.waitForMessage('ready');
    await p.post({ type: 'error', message: 'the LIM Lens worker stopped' });
    await p.page.locator('#app', { hasText: 'the LIM Lens worker stopped' }).waitFor({ timeout: 5000 });
  });

  it('drops a malformed message and says so in a log message instead of drawing', async () => {
    const p = (page = await env.open('dashboard'));
    await p.waitForMessage('ready');
    await p.post({ type: 'bounds', title: TITLE }); // no bounds
    const log = await p.waitForMessage('log');
    assert.equal(log.level, 'warn');
    assert.match(String(log.message), /malformed/);
    assert.equal(await p.page.locator('canvas').count(), 0);
  });

  it('enforces its CSP: an injected inline script is blocked and reported', async () => {
    const p = await env.open('dashboard');
    await p.waitForMessage('ready');
    const ran = await p.page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true;';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 100));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    assert.equal(ran, false, 'the inline script must not run');
    const csp = await p.cspViolations();
    assert.ok(csp.some((v) => /script-src/.test(v)), `the violation was reported: ${JSON.stringify(csp)}`);
    await p.close(); // not via afterEach, which fails on any violation
  });

  it('asked for nothing but loopback', () => {
    assert.equal(env.networkProblem(), undefined);
  });
});
