// Helpers for tests that run inside the extension host (real `vscode` API). They work the same in code-server
// (npm test) and in a desktop VS Code; only screenshot() needs the code-server runner and is a no-op elsewhere.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { diskSiblings } from '../../harness/siblings';
import { analyzeDocumentSync, type DocumentAnalysis, type EnergyReport, type EstimateAssumptions } from '../../../src/core/estimate';
import type { LimLensExports } from '../../../src/extension/extension';
import { codeLensTitle } from '../../../src/extension/hoverMarkdown';
import type { WebviewReport } from '../../../src/extension/testHooks';
import type { UiAction } from '../launcher/runInCodeServer';
import { sleep, waitUntil } from '../../harness/lifecycle';

export const EXTENSION_ID = 'lim-lens.lim-lens';

export { sleep };

/** Activates LIM Lens (if it is not yet) and returns what activate() returned: { worker, testHooks }. */
export async function activateExtension(): Promise<LimLensExports> {
  const ext = vscode.extensions.getExtension<LimLensExports>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const exports = await ext.activate();
  assert.ok(exports?.testHooks, 'activate() did not return the test hooks');
  if (!recording) {
    recording = true;
    exports.testHooks.onDidReceiveMessage((r) => history.push({ ...r, direction: 'received' }));
    exports.testHooks.onDidPostMessage((r) => history.push({ ...r, direction: 'posted' }));
  }
  return exports;
}

/** Every message between the webviews and their hosts since this test file first activated the extension. */
const history: Array<WebviewReport & { direction: 'received' | 'posted' }> = [];
let recording = false;

/** Polls `check` until it returns something truthy; fails naming `what` after `timeoutMs` (test/harness/lifecycle.ts). */
export function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000, intervalMs = 100): Promise<NonNullable<T>> {
  return waitUntil(what, check, timeoutMs, intervalMs);
}

export interface WaitOptions {
  /** Only messages received at or after this Date.now() count (take it just before the action). */
  since?: number;
  accept?: (m: Record<string, unknown>) => boolean;
  timeoutMs?: number;
}

/**
 * Waits for a webview to post a message of `type` (received after `since`, satisfying `accept`) and returns it.
 * Views: 'dashboard' today; 'sidebar' once its host reports to the test hooks.
 */
export async function waitForWebviewMessage(view: string, type: string, opts: WaitOptions = {}): Promise<WebviewReport> {
  return waitForReport('received', view, type, opts);
}

/** Waits for the host of a webview to post it a message of `type` (the other direction), and returns it. */
export async function waitForPosted(view: string, type: string, opts: WaitOptions = {}): Promise<WebviewReport> {
  return waitForReport('posted', view, type, opts);
}

async function record(): Promise<void> {
  await activateExtension();
}

/** The messages of a view and type recorded since `since` (oldest first), in one direction. */
export async function messagesSince(direction: 'received' | 'posted', view: string, type: string, since = 0): Promise<WebviewReport[]> {
  await record();
  return history.filter((r) => r.direction === direction && r.view === view && r.message.type === type && r.at >= since);
}

async function waitForReport(direction: 'received' | 'posted', view: string, type: string, opts: WaitOptions): Promise<WebviewReport> {
  const { testHooks } = await activateExtension();
  await record();
  const since = opts.since ?? 0;
  const ok = (r: WebviewReport | undefined): r is WebviewReport =>
    !!r && r.view === view && r.message.type === type && r.at >= since && (opts.accept?.(r.message) ?? true);
  // Recorded messages first (a command may have finished the whole exchange before the test waits), then the
  // newest one from before recording started, then the ones to come.
  const seen = history.find((r) => r.direction === direction && ok(r));
  if (seen) return seen;
  const last = () => (direction === 'received' ? testHooks.lastMessage(view, type) : testHooks.lastPosted(view, type));
  const existing = last();
  if (ok(existing)) return existing;
  // Generous: a webview that opens right after another one closed may wait 30 s for the service worker.
  const timeoutMs = opts.timeoutMs ?? 75_000;
  const event = direction === 'received' ? testHooks.onDidReceiveMessage : testHooks.onDidPostMessage;
  const what = direction === 'received' ? `the ${view} webview posted` : `the ${view} host posted its webview`;
  return new Promise<WebviewReport>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      const l = last();
      const n = history.filter((r) => r.direction === direction && r.view === view && r.message.type === type && r.at >= since).length;
      reject(new Error(`${what} no matching "${type}" within ${timeoutMs} ms (${n} not matching since; last one: ${l ? JSON.stringify(l.message).slice(0, 300) : 'none'})`));
    }, timeoutMs);
    const sub = event((r) => {
      if (!ok(r)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(r);
    });
  });
}

/** Waits for the webview's page to run (`ready`). */
export const waitForWebviewReady = (view: string, opts: WaitOptions = {}) => waitForWebviewMessage(view, 'ready', opts);

/** Waits for a draw the webview reports (`rendered`): what is on screen, e.g. charts with painted pixels. */
export const waitForRender = (view: string, opts: WaitOptions = {}) => waitForWebviewMessage(view, 'rendered', opts);

/**
 * Saves a screenshot of the whole workbench as test-output/screenshots/<name>.png and resolves when the file
 * exists. Only the code-server runner can take it (it watches the console for the marker); elsewhere it
 * returns undefined. Give webviews a moment to paint before calling it.
 */
export async function screenshot(name: string): Promise<string | undefined> {
  const dir = process.env.LIM_SCREENSHOT_DIR;
  if (!dir) return undefined;
  assert.match(name, /^[\w.-]+$/, 'screenshot names are letters, digits, . _ -');
  const file = join(dir, `${name}.png`);
  rmSync(file, { force: true });
  console.log(`__screenshot__:${name}`);
  await waitFor(`screenshot ${name}.png`, () => existsSync(file), 20_000, 100);
  return file;
}

/** The first workspace folder (a copy of test/fixtures/workspace plus test/fixtures/editor-overlay). */
export function workspaceRoot(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the tests need a workspace folder (test/fixtures/workspace)');
  return f.uri;
}

export function fixtureUri(relPath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relPath.split('/'));
}

/** Opens a file of the fixture workspace in an editor and returns the editor. */
export async function openFixture(relPath: string, column = vscode.ViewColumn.One): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(relPath));
  return vscode.window.showTextDocument(doc, { viewColumn: column, preview: false });
}

/** The position of the first occurrence of `text` in a document (e.g. a JSON key with its quotes). */
export function positionOf(doc: vscode.TextDocument, text: string, offsetInText = 1): vscode.Position {
  const i = doc.getText().indexOf(text);
  assert.ok(i >= 0, `${text} not found in ${doc.uri.path}`);
  return doc.positionAt(i + offsetInText);
}

/** Hover texts every provider (VS Code's own and LIM Lens's) gives at a position, as plain strings. */
export async function hoverTexts(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c))));
}

/** CodeLens titles on a document (resolved), for the config-file lenses to come. */
export async function codeLensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return lenses.map((l) => l.command?.title ?? '');
}

/** Open tabs whose label matches, across all editor groups (webview panels included). */
export function tabsLabelled(label: string | RegExp): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => (typeof label === 'string' ? t.label === label : label.test(t.label)));
}

/**
 * Closes the editors. The LIM Lens dashboard stays open unless `dashboard: true`: in code-server a webview closed
 * while it still loads resources leaves its service-worker requests hanging, and the next webview to open waits
 * for them (30 s) before it loads (docs/testing.md, pitfalls). Tests reuse the panel instead.
 */
export async function closeAllEditors(opts: { dashboard?: boolean } = {}): Promise<void> {
  if (opts.dashboard) {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    return;
  }
  const keep = (t: vscode.Tab) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(DASHBOARD_VIEW_TYPE);
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => !keep(t));
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

/** A suite's frame: the extension active and no editor open before it; after it, editors closed again and `after` run. */
export function suiteWithCleanEditors(after?: () => unknown): void {
  suiteSetup(async () => {
    await activateExtension();
    await closeAllEditors();
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await after?.();
  });
}

/** The dashboard's webview type (src/extension/dashboardPanel.ts); tab inputs carry it with a prefix. */
export const DASHBOARD_VIEW_TYPE = 'limLens.dashboard';

/** Relative closeness for floating-point results: |a-b| <= rel·max(|a|,|b|). */
export function assertClose(actual: number, expected: number, rel = 1e-9, what = 'value'): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= rel * scale, `${what}: expected ${expected}, got ${actual} (relative tolerance ${rel})`);
}

let uiSeq = 0;

/** True under the code-server runner, which can click and read the workbench and its webviews for a test. */
export function uiAvailable(): boolean {
  return !!process.env.LIM_TEST_OUTPUT_DIR && !!process.env.LIM_SCREENSHOT_DIR;
}

/**
 * The end of a test whose UI steps (clicks, texts on screen) need the code-server runner: there it returns;
 * anywhere else (a desktop VS Code) it logs what was not checked and skips the test, which therefore never passes
 * without its UI assertions. The suite runs with forbidPending (index.ts), so the skip counts as a failure.
 */
export function skipWithoutUi(ctx: Mocha.Context, what: string): void {
  if (uiAvailable()) return;
  console.log(`    skipped: "${ctx.test?.title ?? 'test'}": ${what} needs the code-server runner (npm run test:integration)`);
  ctx.skip();
}

/**
 * A UI step done by the runner in the workbench page, as a person would: click an element or read its text, in
 * the workbench or in a LIM Lens webview (runInCodeServer.ts: uiAction). Throws with the runner's error.
 */
export async function ui<T = unknown>(action: UiAction): Promise<T> {
  const dir = process.env.LIM_TEST_OUTPUT_DIR;
  assert.ok(dir && uiAvailable(), 'UI steps need the code-server runner (npm run test:integration)');
  // Unique across the test files (each is its own bundle, with its own counter) and across runs.
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${++uiSeq}`;
  const file = join(dir, 'ui', `${id}.json`);
  console.log(`__ui__:${id}:${JSON.stringify(action)}`);
  const answer = await waitFor(
    `the runner to do ${action.op} ${action.selector}`,
    () => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { ok: boolean; value?: T; error?: string }) : undefined),
    (action.timeoutMs ?? 15_000) + 20_000,
  );
  rmSync(file, { force: true });
  if (!answer.ok) throw new Error(`UI step ${action.op} "${action.selector}"${action.webview ? ` in the ${action.webview} webview` : ''} failed: ${answer.error}`);
  return answer.value as T;
}

/** Reads a file of the (throwaway) fixture workspace from disk. */
export function readFixture(relPath: string): string {
  return readFileSync(fixtureUri(relPath).fsPath, 'utf8');
}

/**
 * What the engine (src/core) computes for a fixture file, read from disk with its sibling files, under the
 * given assumptions: the expected value for what the editor shows.
 */
export function coreAnalysis(relPath: string, assumptions: Partial<EstimateAssumptions> = {}, text?: string): DocumentAnalysis {
  const uri = fixtureUri(relPath);
  return analyzeDocumentSync({ path: uri.path, text: text ?? readFileSync(uri.fsPath, 'utf8') }, { readSibling: siblingsOf(relPath), settings: { assumptions } });
}

/** The core's sibling reader for a fixture file: paths relative to its folder, read from disk. */
export function siblingsOf(relPath: string): (rel: string) => string | undefined {
  return diskSiblings(fixtureUri(relPath).path);
}

/** Sets a `limLens.*` user setting and returns a function that restores the previous value. */
export async function setSetting(key: string, value: unknown): Promise<() => Promise<void>> {
  const c = vscode.workspace.getConfiguration('limLens');
  const before = c.inspect(key)?.globalValue;
  await c.update(key, value, vscode.ConfigurationTarget.Global);
  return async () => {
    await vscode.workspace.getConfiguration('limLens').update(key, before, vscode.ConfigurationTarget.Global);
  };
}

/** The CodeLenses on a document with their commands (resolved). */
export async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}

/** LIM Lens's diagnostics on a file (source "LIM Lens"). */
export function limDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'LIM Lens');
}

/**
 * The CodeLens title the extension shows for a report, from the core's numbers of the same file (the editor's own
 * figures come through the worker): energy, time, CO₂, the LIM bound and the main caveat, as the hover's first line.
 */
/**
 * The CodeLens of the Llama-2-7B config.json fixture (models/llama-2-7b): 6.74B parameters × 135B tokens (20 per
 * parameter, the caveat) on the default H100 at 40 % MFU, no device count in the file (device-hours, no wall-clock).
 */
export const LLAMA_LENS = '$(zap) ≈ 2.94 MWh · 3.82K device-hours on H100 SXM · 1.13 t CO₂ · tokens defaulted: 20 per parameter · LIM bound 847 J';

export function expectedLensTitle(r: EnergyReport): string {
  return codeLensTitle(r);
}

/** The LIM Lens hover at the first occurrence of `text` (plain markdown), waiting for the worker if needed. */
export async function limHover(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  return waitFor(`a LIM Lens hover at ${uri.path}:${pos.line + 1}`, async () => (await hoverTexts(uri, pos)).find((t) => t.includes('**LIM Lens**')), 30_000, 200);
}


/** What the dashboard exchanged since `since` and what is open: added to a failure's message. */
export function dashboardTrace(since: number): string {
  const seen = history.filter((r) => r.view === 'dashboard' && r.at >= since).map((r) => `${r.direction === 'posted' ? '→' : '←'}${r.message.type}`);
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => `${t.label}${t.isActive ? '*' : ''}`));
  return `dashboard messages since: ${seen.join(' ').slice(0, 400) || 'none'}; tabs: ${tabs.join(', ') || 'none'}`;
}
