// Runs an extension test suite inside a real VS Code: code-server (VS Code server, Node extension host) and its
// web workbench in Debian's Chromium, driven by playwright-core. It takes VS Code's own command line, so
// @vscode/test-electron's runTests() can launch it through code-server-as-code.sh as if it were VS Code:
//
//   --extensionDevelopmentPath=<dir> --extensionTestsPath=<module> [<workspace folder>] [other flags, ignored]
//
// The workbench takes both paths from the `payload` URL parameter, loads the extension from source, runs the
// module's run() in the extension host, and reports console output and the exit code through
// window.codeAutomationLog / window.codeAutomationExit, which this runner provides.
//
// Besides the suite's own tests it checks that neither the pages nor code-server/the extension host asked for a
// host other than loopback, and prints one closing line: "integration: N passed, N failed".
// Screenshots: a test logs "__screenshot__:<name>" and this runner writes $LIM_SCREENSHOT_DIR/<name>.png.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import type { Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from '../../harness/browser';
import { startCodeServer, type CodeServer } from '../../harness/codeServer';
import { runCleanups, sandbox, tail } from '../../harness/lifecycle';
import { nodeNetworkProblem } from '../../harness/network';
import { FIXTURE_WORKSPACE, HarnessMissingError, OUTPUT_DIR, requireHarness, SCREENSHOT_DIR } from '../../harness/paths';
import { prepareWorkspace } from '../../harness/workspace';

/**
 * What a test can ask the runner to do in the workbench page (helpers.ts: ui()): click or read an element of the
 * workbench or of a LIM Lens webview, as a person would with the mouse. `webview`: 'dashboard' (the panel) or
 * 'sidebar' (the Training Runs view).
 */
export interface UiAction {
  op: 'click' | 'text' | 'texts' | 'count' | 'attrs';
  selector: string;
  /** With 'attrs': the attribute to read from every matching element (elements without it give null). */
  attribute?: string;
  webview?: 'dashboard' | 'sidebar';
  /** Only elements containing this text. */
  hasText?: string;
  timeoutMs?: number;
}

const WEBVIEW_HOST = 'iframe.webview.ready[src*="extensionId=lim-lens.lim-lens"]';
const WEBVIEW_FRAMES = {
  sidebar: `${WEBVIEW_HOST}[src*="purpose=webviewView"]`,
  dashboard: `${WEBVIEW_HOST}:not([src*="purpose=webviewView"])`,
};

async function uiAction(page: Page, a: UiAction): Promise<unknown> {
  const root = a.webview ? page.frameLocator(WEBVIEW_FRAMES[a.webview]).first().frameLocator('#active-frame') : page;
  let all = root.locator(a.selector);
  if (a.hasText) all = all.filter({ hasText: a.hasText });
  const timeout = a.timeoutMs ?? 15_000;
  switch (a.op) {
    case 'click':
      await all.first().click({ timeout });
      return true;
    case 'text':
      await all.first().waitFor({ timeout });
      return (await all.first().innerText()).trim();
    case 'texts':
      await all.first().waitFor({ timeout });
      return (await all.allInnerTexts()).map((t) => t.trim());
    case 'count':
      return all.count();
    case 'attrs': {
      const name = a.attribute ?? 'href';
      return Promise.all((await all.all()).map((el) => el.getAttribute(name)));
    }
  }
}

const t0 = Date.now();
const ts = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (s: string) => console.log(`[runner ${ts()}] ${s}`);

function parseArgs(argv: string[]) {
  let dev: string | undefined;
  let tests: string | undefined;
  let folder: string | undefined;
  for (const a of argv) {
    if (a.startsWith('--extensionDevelopmentPath=')) dev = a.slice(a.indexOf('=') + 1);
    else if (a.startsWith('--extensionTestsPath=')) tests = a.slice(a.indexOf('=') + 1);
    else if (!a.startsWith('-')) folder = a; // launchArgs: the workspace folder
    // every other flag is for Electron VS Code (--no-sandbox, --user-data-dir=…) and is ignored: the runner
    // makes its own throwaway dirs
  }
  if (!dev || !tests) throw new Error('usage: runInCodeServer --extensionDevelopmentPath=<dir> --extensionTestsPath=<module> [workspace]');
  return { dev: resolve(dev), tests: resolve(tests), folder: resolve(folder ?? FIXTURE_WORKSPACE) };
}

interface Outcome {
  passed: number;
  failed: number;
  notes: string[];
}

async function main(): Promise<Outcome> {
  const { dev, tests, folder } = parseArgs(process.argv.slice(2));
  const harness = requireHarness();
  const timeoutMs = Number(process.env.LIM_TEST_TIMEOUT_MS ?? 480_000);
  const shots = process.env.LIM_SCREENSHOT_DIR ?? SCREENSHOT_DIR;
  const runOut = join(OUTPUT_DIR, 'integration');
  mkdirSync(shots, { recursive: true });
  rmSync(runOut, { recursive: true, force: true });
  mkdirSync(runOut, { recursive: true });

  const sb = sandbox('integration');
  // Tests may edit files: give them a copy of the fixture workspace.
  const workspace = prepareWorkspace(sb, folder);

  say(`starting code-server ${harness.codeServerVersion} (VS Code ${harness.vscodeVersion})`);
  let cs: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  const outcome: Outcome = { passed: 0, failed: 0, notes: [] };
  let suiteLine: { passed: number; failed: number } | undefined;
  const extLog: string[] = [];
  try {
    cs = await startCodeServer(harness, sb, { folder: workspace, env: { LIM_SCREENSHOT_DIR: shots, LIM_TEST_OUTPUT_DIR: runOut } });
    say(`code-server up on ${cs.origin}`);
    browser = await launchBrowser({ sandbox: sb, network: { allowWebviewResourceHost: true }, requestLog: join(runOut, 'requests.log') });
    const { page } = browser;

    let finish!: (code: number) => void;
    const finished = new Promise<number>((r) => (finish = r));
    await page.exposeFunction('codeAutomationLog', async (_level: string, args: unknown) => {
      const line = Array.isArray(args) ? format(...(args as unknown[])) : String(args);
      const ui = /^__ui__:([\w-]+):(\{.*\})$/s.exec(line.trim());
      if (ui) {
        // A UI step the test asks for (helpers.ts: ui()): done here, where the workbench page is, and answered
        // through a file the test waits for.
        const dir = join(runOut, 'ui');
        mkdirSync(dir, { recursive: true });
        const answer = await uiAction(page, JSON.parse(ui[2]) as UiAction).then(
          (value) => ({ ok: true, value }),
          (e: unknown) => ({ ok: false, error: e instanceof Error ? e.message.split('\n').slice(0, 6).join('\n') : String(e) }),
        );
        const file = join(dir, `${ui[1]}.json`);
        writeFileSync(`${file}.tmp`, JSON.stringify(answer));
        renameSync(`${file}.tmp`, file);
        return;
      }
      const shot = /^__screenshot__:([\w.-]+)$/.exec(line.trim());
      if (shot) {
        const file = join(shots, `${shot[1]}.png`);
        const tmp = `${file}.tmp`;
        writeFileSync(tmp, await page.screenshot());
        renameSync(tmp, file); // the test waits for the file: make it appear complete
        return;
      }
      extLog.push(line);
      const counts = /^(?:mocha: )?(\d+) passed, (\d+) failed$/.exec(line.trim());
      if (counts) suiteLine = { passed: Number(counts[1]), failed: Number(counts[2]) };
      for (const l of line.split('\n')) console.log(counts ? `  suite: ${l}` : `  ${l}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));

    const payload: Array<[string, string]> = [
      ['extensionDevelopmentPath', cs.remoteUri(dev)],
      ['extensionTestsPath', cs.remoteUri(tests)],
    ];
    await page.goto(cs.workbenchUrl(workspace, payload), { timeout: 60_000 });
    say('workbench loading; the suite runs in the extension host');
    // Besides the overall timeout, stop early when the page crashes or the extension host dies without the
    // workbench reporting an exit code (e.g. the host crashed while loading the extension).
    page.on('crash', () => finish(-2));
    let hostGoneAt = 0;
    const watch = setInterval(() => {
      if (!hostGoneAt && /Extension Host Process exited/.test(cs?.log() ?? '')) hostGoneAt = Date.now();
      if (hostGoneAt && Date.now() - hostGoneAt > 15_000) finish(-3);
    }, 500);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      finished,
      new Promise<number>((r) => (timer = setTimeout(() => r(-1), timeoutMs))),
    ]);
    clearTimeout(timer);
    clearInterval(watch);
    if (code === -1) {
      outcome.notes.push(`the suite did not finish within ${timeoutMs} ms (LIM_TEST_TIMEOUT_MS)`);
    } else if (code === -2) {
      outcome.notes.push('the browser page crashed');
    } else if (code === -3) {
      outcome.notes.push('the extension host exited without the workbench reporting a result (see the code-server log below)');
    } else {
      say(`suite finished, exit code ${code}`);
    }
    if (suiteLine) {
      outcome.passed += suiteLine.passed;
      outcome.failed += suiteLine.failed;
      if (code !== 0 && suiteLine.failed === 0) {
        outcome.failed++;
        outcome.notes.push(`the extension host exited with ${code} after reporting no failures`);
      }
    } else {
      outcome.failed++;
      outcome.notes.push(`the suite reported no "N passed, N failed" line (exit code ${code}): it did not load or crashed`);
    }
    if (code !== 0) {
      await page.screenshot({ path: join(runOut, 'failure.png') }).catch(() => {});
      outcome.notes.push(`screenshot of the workbench: ${join(runOut, 'failure.png')}`);
    }
  } catch (e) {
    outcome.failed++;
    outcome.notes.push(e instanceof HarnessMissingError ? e.message : `the runner failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    await browser?.page.screenshot({ path: join(runOut, 'failure.png') }).catch(() => {});
  }

  // The loopback guard, counted as one more check.
  if (browser && cs) {
    await browser.page.waitForTimeout(300);
    const problems = [browser.network.problem(), nodeNetworkProblem(cs.guardLog, { expectExtensionHost: true })].filter((p): p is string => !!p);
    if (problems.length === 0) {
      outcome.passed++;
      say(`loopback guard: ${browser.network.requests} browser requests, all local; no non-loopback look-ups in code-server or the extension host`);
    } else {
      outcome.failed++;
      outcome.notes.push(`loopback guard failed:\n${problems.join('\n')}`);
    }
  }

  // Webview health, one more check: no Content-Security-Policy violation in any frame (the workbench or a
  // LIM Lens webview) and no uncaught exception in a webview.
  if (browser) {
    const problems = [
      ...browser.cspMessages.map((m) => `CSP: ${m}`),
      ...browser.webviewErrors.map((m) => `uncaught in a webview: ${m}`),
    ];
    if (problems.length === 0) outcome.passed++;
    else {
      outcome.failed++;
      outcome.notes.push(`webview health:\n${problems.slice(0, 10).map((m) => `    ${m}`).join('\n')}`);
    }
  }

  if (outcome.failed > 0) {
    if (cs) outcome.notes.push(`code-server log (last lines):\n${cs.logTail(50)}`);
    if (browser?.errors.length) outcome.notes.push(`page console errors:\n${tail(browser.errors.join('\n'), 30)}`);
  }
  if (cs) writeFileSync(join(runOut, 'code-server.log'), cs.log());
  writeFileSync(join(runOut, 'extension-host.log'), extLog.join('\n'));
  await browser?.close();
  await cs?.stop();
  await runCleanups();
  return outcome;
}

main()
  .catch((e: unknown): Outcome => ({ passed: 0, failed: 1, notes: [e instanceof Error ? e.message : String(e)] }))
  .then((o) => {
    for (const n of o.notes) console.log(`[runner] ${n}`);
    say(`done`);
    console.log(`integration: ${o.passed} passed, ${o.failed} failed`);
    process.exit(o.failed === 0 ? 0 : 1);
  });
