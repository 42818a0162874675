// Driving the VS Code workbench (code-server in Chromium) the way a person does: the command palette, the
// activity bar and sidebar, Quick Open, the mouse over a word, webviews. Used by the UI smoke test; written so
// later UI tests (the LIM Lens sidebar, config hovers, CodeLens) only add assertions. See docs/testing.md.
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from '../harness/browser';
import { installExtension, listExtensions, startCodeServer, type CodeServer } from '../harness/codeServer';
import { runCleanups, sandbox } from '../harness/lifecycle';
import { nodeNetworkProblem } from '../harness/network';
import { OUTPUT_DIR, requireHarness, SCREENSHOT_DIR } from '../harness/paths';
import { prepareWorkspace } from '../harness/workspace';

export interface Workbench {
  page: Page;
  codeServer: CodeServer;
  browser: BrowserSession;
  /** The throwaway copy of the fixture workspace that is open. */
  workspace: string;
  /** `publisher.name@version` of every installed extension. */
  installed: string[];
  screenshot(name: string): Promise<string>;
  /** Loopback guard: undefined when the pages, code-server and the extension host stayed on loopback. */
  networkProblem(): string | undefined;
  close(): Promise<void>;
}

/** Starts code-server with `vsix` installed (as a user would install it), opens the fixture workspace. */
export async function launchWorkbench(opts: { vsix: string; folder?: string; outDir: string }): Promise<Workbench> {
  const harness = requireHarness();
  const sb = sandbox('smoke');
  installExtension(harness, sb, opts.vsix);
  const installed = listExtensions(harness, sb);
  const workspace = prepareWorkspace(sb, opts.folder);
  mkdirSync(opts.outDir, { recursive: true });
  const codeServer = await startCodeServer(harness, sb, { folder: workspace });
  const browser = await launchBrowser({ sandbox: sb, network: { allowWebviewResourceHost: true }, requestLog: join(opts.outDir, 'requests.log') });
  const { page } = browser;
  await page.goto(codeServer.workbenchUrl(workspace), { timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  return {
    page,
    codeServer,
    browser,
    workspace,
    installed,
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    networkProblem: () =>
      [browser.network.problem(), nodeNetworkProblem(codeServer.guardLog, { expectExtensionHost: true })].filter(Boolean).join('\n') || undefined,
    async close() {
      await browser.close();
      await codeServer.stop();
      await runCleanups();
    },
  };
}

/** Moves keyboard focus back to the workbench (after a webview had it, shortcuts do not reach VS Code). */
export async function focusWorkbench(page: Page): Promise<void> {
  await page.locator('.part.statusbar').click({ position: { x: 400, y: 5 } }).catch(() => {});
  await page.locator('.monaco-workbench').focus().catch(() => {});
}

const quickInput = (page: Page) => page.locator('.quick-input-widget input.input');
const quickRows = (page: Page) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row');

/** Opens the command palette (F1) and returns the labels of the commands matching `filter`. */
export async function paletteCommands(page: Page, filter: string): Promise<string[]> {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  await quickInput(page).waitFor({ state: 'visible', timeout: 15_000 });
  await quickInput(page).fill(`>${filter}`);
  await quickRows(page).first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300); // the list filters as you type
  return (await quickRows(page).locator('.label-name').allTextContents()).map((s) => s.trim());
}

export async function closeQuickInput(page: Page): Promise<void> {
  if (await quickInput(page).isVisible()) await page.keyboard.press('Escape');
}

/** Runs a command by its palette title ("Category: Title"), as typed into F1. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const labels = await paletteCommands(page, title);
  const i = labels.findIndex((l) => l === title);
  if (i < 0) throw new Error(`"${title}" is not in the command palette; it shows: ${labels.slice(0, 10).join(' | ') || 'nothing'}`);
  await quickRows(page).nth(i).click();
  // The palette closes; a command that asks something (Compare Configs) may open its own quick pick at once, so the
  // widget need not be hidden in between: wait until it is hidden or no longer the palette (whose value starts ">").
  await page.waitForFunction(() => {
    const input = document.querySelector<HTMLInputElement>('.quick-input-widget input.input');
    const widget = document.querySelector<HTMLElement>('.quick-input-widget');
    return !input || !widget || widget.style.display === 'none' || input.offsetParent === null || !input.value.startsWith('>');
  }, undefined, { timeout: 10_000 });
}

/** Opens a workspace file through Quick Open (F1, then the path); resolves when its editor tab is active. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  await quickInput(page).waitFor({ state: 'visible', timeout: 15_000 });
  await quickInput(page).fill(relPath); // no '>' prefix: file search
  const dir = dirname(relPath);
  const row = quickRows(page).filter({ hasText: basename(relPath) }).filter({ hasText: dir === '.' ? '' : dir }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.click();
  await page.locator('.tabs-container .tab.active', { hasText: basename(relPath) }).waitFor({ timeout: 15_000 });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor({ timeout: 15_000 });
}

/** Shows the sidebar of an activity-bar entry by its label ("Explorer", "LIM Lens"); returns the sidebar title. */
export async function openSidebar(page: Page, label: string): Promise<string> {
  const item = page.locator(`.part.activitybar .action-item a[aria-label^="${label}"], .part.activitybar .action-item [aria-label^="${label}"]`).first();
  await item.waitFor({ timeout: 15_000 });
  const sidebar = page.locator('.part.sidebar');
  const title = sidebar.locator('.composite.title .title-label h2');
  const current = (await sidebar.isVisible()) ? ((await title.textContent().catch(() => '')) ?? '') : '';
  if (!current.toUpperCase().startsWith(label.toUpperCase())) await item.click(); // clicking the active entry would hide the sidebar
  await sidebar.waitFor({ state: 'visible', timeout: 10_000 });
  await title.filter({ hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i') }).waitFor({ timeout: 10_000 });
  return ((await title.textContent()) ?? '').trim();
}

/** Headers of the views (sections) in the visible sidebar, e.g. ["TRAINING RUNS"]. */
export async function sidebarViewTitles(page: Page): Promise<string[]> {
  return (await page.locator('.part.sidebar .pane-header .title').allTextContents()).map((s) => s.trim()).filter(Boolean);
}

/**
 * The content frame of a LIM Lens webview on screen, found by what it holds (`<main id="app" class="dashboard">`
 * or `class="sidebar"`). Webviews are two nested iframes (the host frame, then #active-frame), and the host frame's
 * src cannot tell them apart: `purpose=webviewView` is missing once a view is hidden and shown again (Ctrl+B), and
 * the old frame may linger. Waits up to `timeoutMs` for it to appear.
 */
export async function webviewFrame(page: Page, view: 'dashboard' | 'sidebar', timeoutMs = 75_000): Promise<Frame> {
  const marker = `main#app.${view}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || (await frame.locator(marker).count().catch(() => 0)) === 0) continue;
      const host = frame.parentFrame();
      const iframe = await (host && host !== page.mainFrame() ? host : frame).frameElement().catch(() => undefined);
      if (iframe && (await iframe.isVisible().catch(() => false))) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no ${view} webview on screen after ${timeoutMs} ms`);
    await page.waitForTimeout(200);
  }
}

/**
 * Runs a palette command that asks through quick picks, answering each in turn: the text is typed into the quick
 * input (it filters the list) and Enter accepts the first match (or, in a multi-select, the ticked items).
 */
export async function quickPick(page: Page, commandTitle: string, answers: string[]): Promise<void> {
  const labels = await paletteCommands(page, commandTitle);
  const i = labels.findIndex((l) => l === commandTitle);
  if (i < 0) throw new Error(`"${commandTitle}" is not in the command palette; it shows: ${labels.slice(0, 10).join(' | ') || 'nothing'}`);
  const title = page.locator('.quick-input-widget .quick-input-title');
  let before = '';
  await quickRows(page).nth(i).click();
  for (const answer of answers) {
    // The next quick pick: visible, with another title than the palette or the previous question.
    const deadline = Date.now() + 15_000;
    let now = '';
    for (;;) {
      now = (await quickInput(page).isVisible()) ? ((await title.textContent().catch(() => '')) ?? '').trim() : '';
      if (now && now !== before) break;
      if (Date.now() > deadline) throw new Error(`no quick pick appeared after "${before || commandTitle}"`);
      await page.waitForTimeout(100);
    }
    before = now;
    await quickInput(page).fill(answer);
    await page.waitForTimeout(300); // the list filters as you type
    if (answer) await quickRows(page).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
  }
  await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Drags the sash on the side bar's right edge so the side bar is `width` pixels wide (as a person resizes it). */
export async function resizeSidebar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('the side bar is not shown');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 10 });
  await page.mouse.up();
  await page.mouse.move(1, 1);
}

/** Shows or hides the primary side bar (Ctrl+B), as a person does to give an editor the whole width. */
export async function toggleSidebar(page: Page): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('Control+KeyB');
  await page.waitForTimeout(300);
}

/** Texts of the status-bar entries, left to right. */
export async function statusBarTexts(page: Page): Promise<string[]> {
  return (await page.locator('.part.statusbar .statusbar-item').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
}

/** The CodeLens texts shown in the active editor, once some appear (and satisfy `accept`). */
export async function codeLensTexts(page: Page, timeoutMs = 15_000, accept: (text: string) => boolean = () => true): Promise<string[]> {
  const lenses = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration');
  const deadline = Date.now() + timeoutMs;
  let texts: string[] = [];
  while (Date.now() < deadline) {
    texts = (await lenses.allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
    if (texts.length > 0 && texts.some(accept)) return texts;
    await page.waitForTimeout(200);
  }
  return texts;
}

/** Painted (non-transparent) pixels of a canvas inside a webview frame. */
export async function canvasPainted(frame: Frame, selector = 'canvas'): Promise<number> {
  return frame.locator(selector).first().evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0) return 0;
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
    return n;
  });
}

/**
 * Moves the mouse onto `word` in the active editor (the first token whose text is the word, with or without
 * JSON quotes) and returns the hover's text, or undefined if no hover appears within `timeoutMs`. The caller
 * opens the file first (openFile). A hover that appears is left open for a screenshot; press Escape to close it.
 */
export async function hoverWord(page: Page, word: string, timeoutMs = 4000): Promise<string | undefined> {
  const editor = page.locator('.editor-group-container.active .monaco-editor');
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const token = editor.locator('.view-line span span', { hasText: new RegExp(`^"?${escaped}"?$`) }).first();
  await token.waitFor({ timeout: 10_000 });
  const box = await token.boundingBox();
  if (!box) throw new Error(`"${word}" is not visible in the editor`);
  // Approach from the left in steps: Monaco starts the hover timer on mouse moves, not on a jump.
  await page.mouse.move(box.x - 20, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
  const deadline = Date.now() + timeoutMs;
  try {
    await hover.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    return undefined;
  }
  // A provider still starting (the JSON language server, say) shows "Loading..." first.
  let text = ((await hover.innerText().catch(() => '')) ?? '').trim();
  while (/^Loading(\.\.\.|…)?$/.test(text) && Date.now() < deadline) {
    await page.waitForTimeout(200);
    text = ((await hover.innerText().catch(() => '')) ?? '').trim();
  }
  await page.waitForTimeout(300); // fade-in, for screenshots
  return text;
}

/** Texts of modal dialogs currently shown (e.g. "Command … resulted in an error"). */
export async function dialogs(page: Page): Promise<string[]> {
  const boxes = page.locator('.monaco-dialog-box');
  const out: string[] = [];
  for (const b of await boxes.all()) if (await b.isVisible()) out.push(((await b.innerText()) ?? '').replace(/\s+/g, ' ').trim());
  return out;
}

/**
 * Puts the workbench back into a neutral state between steps, so one failure does not cascade: dismisses modal
 * dialogs, the quick input and hovers. Returns the texts of the dialogs it dismissed.
 */
export async function resetUi(page: Page): Promise<string[]> {
  const dismissed = await dialogs(page);
  for (let i = 0; i < 3 && (await page.locator('.monaco-dialog-box').isVisible()); i++) {
    await page.keyboard.press('Escape');
    await page.waitForTimeout(200);
  }
  await closeQuickInput(page).catch(() => {});
  await page.mouse.move(1, 1);
  return dismissed;
}

/**
 * Runs a UI step; if it fails, saves test-output/smoke/failure-<name>.png and adds what the screen says (modal
 * dialogs, notifications) to the error, so the cause is in the test report.
 */
export async function step<T>(wb: Workbench, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const file = join(SMOKE_OUT, `failure-${name}.png`);
    await wb.page.screenshot({ path: file }).catch(() => {});
    const said = [...(await dialogs(wb.page).catch(() => [])).map((d) => `dialog: ${d}`), ...(await notifications(wb.page).catch(() => [])).map((n) => `${n.severity}: ${n.text}`)];
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`${msg.split('\n')[0]}\n  on screen: ${said.join(' | ') || 'no dialog or notification'}\n  screenshot: ${file}`, { cause: e });
  }
}

/** Texts of the notification toasts currently shown, with their severity. */
export async function notifications(page: Page): Promise<Array<{ severity: 'error' | 'warning' | 'info'; text: string }>> {
  const toasts = page.locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item');
  const out: Array<{ severity: 'error' | 'warning' | 'info'; text: string }> = [];
  for (const t of await toasts.all()) {
    const html = await t.innerHTML();
    const severity = /codicon-error/.test(html) ? 'error' : /codicon-warning/.test(html) ? 'warning' : 'info';
    out.push({ severity, text: ((await t.locator('.notification-list-item-message').first().textContent().catch(() => '')) ?? '').trim() });
  }
  return out;
}

/** The extension's version from package.json, for matching the installed `publisher.name@version`. */
export function extensionId(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  return `${pkg.publisher}.${pkg.name}@${pkg.version}`;
}

export const SMOKE_OUT = join(OUTPUT_DIR, 'smoke');

/** Switches the colour theme as a person does: Preferences: Color Theme, then the theme's name. */
export async function setColorTheme(page: Page, name: string): Promise<void> {
  // Ctrl+K Ctrl+T, the theme picker's own shortcut (its palette entry opens it too, but not reliably in code-server).
  await focusWorkbench(page);
  await page.keyboard.press('Control+KeyK');
  await page.keyboard.press('Control+KeyT');
  const row = quickRows(page).filter({ hasText: name }).first();
  await quickInput(page).waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForTimeout(300);
  await quickInput(page).fill(name);
  await row.waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
  await page.waitForTimeout(800); // the workbench and the webviews restyle
}

/**
 * Makes the active editor a side column `width` px wide, as a person does: moves it into a group on the right
 * (View: Move Editor into Right Group) and drags the sash between the groups.
 */
export async function editorSideColumn(page: Page, width: number): Promise<void> {
  // Once more if the palette did not open (a webview kept the keyboard focus).
  await runCommand(page, 'View: Move Editor into Right Group').catch(async () => {
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Move Editor into Right Group');
  });
  const groups = page.locator('.part.editor .editor-group-container');
  await groups.nth(1).waitFor({ timeout: 10_000 });
  const right = await groups.nth(1).boundingBox();
  if (!right) throw new Error('no right editor group');
  const y = right.y + right.height / 2;
  await page.mouse.move(right.x, y);
  await page.mouse.down();
  await page.mouse.move(right.x + right.width - width, y, { steps: 12 });
  await page.mouse.up();
  await page.mouse.move(1, 1);
  await page.waitForTimeout(600);
}

/** Back to one editor group (View: Join All Editor Groups). */
export async function joinEditorGroups(page: Page): Promise<void> {
  await runCommand(page, 'View: Join All Editor Groups');
  await page.waitForTimeout(300);
}

/** Ticks every item of a multi-select quick pick, one click each as a person does, and accepts. */
export async function acceptAllInQuickPick(page: Page): Promise<void> {
  await quickInput(page).waitFor({ state: 'visible', timeout: 15_000 });
  await quickRows(page).first().waitFor({ timeout: 15_000 });
  const n = await quickRows(page).count();
  for (let i = 0; i < n; i++) await quickRows(page).nth(i).click();
  await page.locator('.quick-input-widget .quick-input-count, .quick-input-widget .monaco-count-badge').first().waitFor({ timeout: 5_000 }).catch(() => {});
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
}
