// The pages refuse what the protocol's schemas refuse, and only that: every mutation of every field of the host's
// messages (derived from the schemas by test/unit/protocol/mutations.ts, as they arrive over JSON) is posted to the
// real bundles (dist/webview/sidebar.js, dashboard.js) under the extension's CSP; each one the schema refuses must be
// dropped with one log naming its field, each one it accepts must draw without a log. Markup in every text field of
// accepted messages must stay text: no element, script or request comes of it (the harness fails a test on any CSP
// violation or page error).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostToDashboard } from '../../src/protocol/dashboard';
import * as v from 'valibot';
import { HostToSidebar } from '../../src/protocol/sidebar';
import { HOSTILE_STRINGS, fields, mutations, sample, setAt } from '../unit/protocol/mutations';
import { brainScaleView, fixtureRuns, initMessage, sidebarState } from './fixtures';
import { webviewTestHooks, type WebviewPage } from './harness';

type Options = { options: Array<v.ObjectSchema<v.ObjectEntries, undefined>> };
const optionOf = (schema: unknown, type: string) => (schema as Options).options.find((o) => (o.entries.type as v.LiteralSchema<string, undefined>).literal === type) as unknown as v.GenericSchema;

/** Posts every message in one go (each is a separate message event, handled in order). */
async function postAll(p: WebviewPage, messages: unknown[]): Promise<void> {
  await p.page.evaluate((ms) => {
    for (const m of ms) window.postMessage(m, '*');
  }, messages);
}

const dropLogs = async (p: WebviewPage) => (await p.sent()).filter((m) => m.type === 'log' && m.level === 'warn' && /^dropped a malformed message/.test(String(m.message)));

type Refused = { label: string; path: string; message: unknown };

/** Posts the refused messages: each is dropped with one log naming its field, none draws, nothing else is logged. */
async function assertDropped(p: WebviewPage, refused: Refused[], timeoutMs: number): Promise<void> {
  await postAll(p, refused.map((r) => r.message));
  await p.waitForMessage('log', { count: refused.length, accept: (m) => m.level === 'warn', timeoutMs });
  const logs = await dropLogs(p);
  assert.equal(logs.length, refused.length, 'one log per refused message, none for another');
  logs.forEach((l, i) => assert.match(String(l.message), new RegExp(`^dropped a malformed message \\(${refused[i].path}`), refused[i].label));
  assert.equal(await p.count('rendered'), 0, 'a refused message draws nothing');
}

/** A message with every text field of its schema holding `hostile`. */
function withMarkup(schema: v.GenericSchema, message: unknown, hostile: string): unknown {
  let out = message;
  for (const f of fields(schema, message)) if (f.kind === 'text') out = setAt(out, f.path, hostile);
  return out;
}

/** Nothing on the page came of markup: no image, no second script, no element a payload names; no code ran. */
async function assertInert(p: WebviewPage): Promise<void> {
  const found = await p.page.evaluate(() => ({
    images: document.querySelectorAll('img').length,
    scripts: document.querySelectorAll('script').length,
    bold: document.querySelectorAll('b').length,
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
  }));
  assert.deepEqual(found, { images: 0, scripts: 1, bold: 0, pwned: undefined });
}

describe('webview pages and the protocol schemas', () => {
  const pages = webviewTestHooks();
  const runs = fixtureRuns();

  it('sidebar: drops exactly the state and progress mutations the schema refuses, each with its field named', async () => {
    const p = await pages.open('sidebar', 'Training Runs');
    await p.waitForMessage('ready');
    const refused: Refused[] = [];
    const accepted: unknown[] = [];
    for (const [type, original] of [['state', sample(optionOf(HostToSidebar.schema, 'state'))], ['progress', { type: 'progress', done: 3, total: 9 }]] as const) {
      for (const mu of mutations(optionOf(HostToSidebar.schema, type), original, 'json')) {
        if (mu.expect.accept) accepted.push(mu.message);
        else refused.push({ label: `${type} ${mu.label}`, path: String(mu.path[0]), message: mu.message });
      }
    }
    await assertDropped(p, refused, 60_000);
    // The accepted mutations draw (the last one's rows are reported), and none of them is logged.
    await postAll(p, accepted);
    await p.waitForMessage('rendered', { timeoutMs: 60_000 });
    assert.equal((await dropLogs(p)).length, refused.length);
    await assertInert(p);
  });

  it('sidebar: markup and formulas in every text field of real runs stay text', async () => {
    const p = await pages.open('sidebar', 'Training Runs');
    await p.waitForMessage('ready');
    const schema = optionOf(HostToSidebar.schema, 'state');
    // The image payload last, so it is what the list shows at the end.
    for (const h of [...HOSTILE_STRINGS].reverse()) await p.post(withMarkup(schema, JSON.parse(JSON.stringify(sidebarState(runs.slice(0, 4)))), h));
    await p.waitForMessage('rendered', { count: HOSTILE_STRINGS.length, timeoutMs: 30_000 });
    assert.equal((await dropLogs(p)).length, 0);
    const text = await p.page.locator('#app').innerText();
    assert.ok(text.includes('<img src=x onerror'), 'the last markup shows as the text it is');
    await assertInert(p);
  });

  it('dashboard: drops exactly the mutations of each host message the schema refuses, each with its field named', async () => {
    const p = await pages.open('dashboard', 'LIM Lens Dashboard');
    await p.waitForMessage('ready');
    const refused: Refused[] = [];
    for (const type of HostToDashboard.types) {
      const schema = optionOf(HostToDashboard.schema, type);
      for (const mu of mutations(schema, sample(schema), 'json')) if (!mu.expect.accept) refused.push({ label: `${type} ${mu.label}`, path: String(mu.path[0]), message: mu.message });
    }
    await assertDropped(p, refused, 120_000);
    assert.equal(await p.page.locator('canvas').count(), 0);
  });

  it('dashboard: markup in every text field of init, runs and a real energy view stays text', async () => {
    const p = await pages.open('dashboard', 'LIM Lens Dashboard');
    await p.waitForMessage('ready');
    const h = HOSTILE_STRINGS[0];
    const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
    await p.post(withMarkup(optionOf(HostToDashboard.schema, 'init'), json(initMessage()), h));
    await p.post(withMarkup(optionOf(HostToDashboard.schema, 'runs'), json({ type: 'runs', runs }), h));
    await p.post(withMarkup(optionOf(HostToDashboard.schema, 'energy'), json({ type: 'energy', view: brainScaleView() }), h));
    await p.waitForMessage('rendered', { accept: (m) => m.tab === 'energy' && (m.charts as unknown[]).length > 0, timeoutMs: 30_000 });
    assert.equal((await dropLogs(p)).length, 0, 'markup is data: nothing is refused for it');
    await assertInert(p);
  });
});
