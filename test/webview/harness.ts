// Webview tests without VS Code: the built webview bundles (dist/webview/*.js) in headless Chromium, inside the
// very HTML and Content-Security-Policy the extension generates (src/extension/webviewHtml.ts, with the page's
// origin as webview.cspSource), with acquireVsCodeApi stubbed. The test plays the extension host: it reads what
// the page posted and posts messages to it. See docs/testing.md.
import * as assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, afterEach, before } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from '../harness/browser';
import { runCleanups, sandbox, waitUntil } from '../harness/lifecycle';
import { OUTPUT_DIR, ROOT, SCREENSHOT_DIR } from '../harness/paths';
import type { Theme } from './themes';

type WebviewHtml = (
  webview: { cspSource: string; asWebviewUri(u: { path: string }): { toString(): string } },
  extensionUri: unknown,
  opts: { script: string; title: string },
) => string;

/** The extension's own webviewHtml(), bundled with `vscode` replaced by vscodeShim.ts. */
async function loadWebviewHtml(): Promise<{ webviewHtml: WebviewHtml; Uri: { file(p: string): unknown } }> {
  const outfile = join(ROOT, 'out', 'test', 'webview', 'webviewHtml.cjs');
  await esbuild.build({
    stdin: {
      contents: `export { webviewHtml } from './src/extension/webviewHtml'; export { Uri } from 'vscode';`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    alias: { vscode: join(__dirname, 'vscodeShim.ts') },
    logLevel: 'warning',
  });
  const mod = (await import(pathToFileURL(outfile).href)) as { default?: unknown };
  return (mod.default ?? mod) as { webviewHtml: WebviewHtml; Uri: { file(p: string): unknown } };
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.json': 'application/json',
};

/** Runs in the page before any of its scripts: the VS Code API stub and the CSP violation recorder. */
function initScript() {
  const w = window as unknown as Record<string, unknown>;
  const sent: unknown[] = [];
  const csp: string[] = [];
  let state: unknown;
  let acquired = false;
  w.__sent = sent;
  w.__csp = csp;
  w.__getState = () => state;
  w.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (m: unknown) => void sent.push(structuredClone(m)),
      getState: () => state,
      setState: (v: unknown) => (state = structuredClone(v)),
    });
  };
  document.addEventListener('securitypolicyviolation', (e) => {
    csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || '?'}:${e.lineNumber}`);
  });
}

export interface Message {
  type: string;
  [k: string]: unknown;
}

export class WebviewPage {
  constructor(
    readonly page: Page,
    /** CSP complaints this page printed on its console. */
    private readonly consoleCsp: string[],
    /** Uncaught exceptions and console.error lines of this page. */
    readonly errors: string[],
  ) {}

  /** Everything the page posted to the "extension host", oldest first. */
  sent(): Promise<Message[]> {
    return this.page.evaluate(() => (window as unknown as { __sent: Message[] }).__sent);
  }

  /** Waits until the page has posted `count` messages of `type` (matching `accept`); returns the newest. */
  async waitForMessage(type: string, opts: { count?: number; accept?: (m: Message) => boolean; timeoutMs?: number } = {}): Promise<Message> {
    const count = opts.count ?? 1;
    return waitUntil(
      `the webview to post ${count}× "${type}"`,
      async () => {
        const ms = (await this.sent()).filter((m) => m.type === type && (opts.accept?.(m) ?? true));
        return ms.length >= count ? ms[ms.length - 1] : undefined;
      },
      opts.timeoutMs ?? 10_000,
      50,
    );
  }

  async count(type: string): Promise<number> {
    return (await this.sent()).filter((m) => m.type === type).length;
  }

  /** Posts a message to the page as the extension host would (webview.postMessage). */
  async post(message: unknown): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  /**
   * Applies a theme the way VS Code does: the theme class (and data attributes) on <body>, the --vscode-*
   * variables on <html>'s style.
   */
  async setTheme(theme: Theme): Promise<void> {
    await this.page.evaluate((t) => {
      const body = document.body;
      body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
      body.classList.add(...t.bodyClass.split(' '));
      body.dataset.vscodeThemeKind = t.bodyClass.split(' ').at(-1);
      body.dataset.vscodeThemeName = t.name;
      const style = document.documentElement.style;
      for (let i = style.length - 1; i >= 0; i--) if (style[i].startsWith('--vscode-')) style.removeProperty(style[i]);
      for (const [k, v] of Object.entries(t.vars)) style.setProperty(k, v);
    }, theme);
  }

  /**
   * Canvas pixels: how many are painted at all, and how many of them (opaque enough to judge) are within
   * `tolerance` of each colour asked for.
   */
  async canvasPixels(selector: string, colours: Record<string, string> = {}, tolerance = 8): Promise<{ width: number; height: number; painted: number; matches: Record<string, number> }> {
    return this.page.evaluate(
      ({ selector, colours, tolerance }) => {
        const canvas = document.querySelector(selector);
        if (!(canvas instanceof HTMLCanvasElement)) throw new Error(`no canvas matches ${selector}`);
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d context');
        const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
        const targets = Object.entries(colours).map(([k, hex]) => [k, rgb(hex)] as const);
        const matches: Record<string, number> = Object.fromEntries(targets.map(([k]) => [k, 0]));
        const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] === 0) continue;
          painted++;
          if (d[i + 3] < 160) continue;
          for (const [k, [r, g, b]] of targets) {
            if (Math.abs(d[i] - r) <= tolerance && Math.abs(d[i + 1] - g) <= tolerance && Math.abs(d[i + 2] - b) <= tolerance) matches[k]++;
          }
        }
        return { width: canvas.width, height: canvas.height, painted, matches };
      },
      { selector, colours, tolerance },
    );
  }

  /** CSP violations: `securitypolicyviolation` events in the page plus CSP complaints on its console. */
  async cspViolations(): Promise<string[]> {
    const events = await this.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    return [...events, ...this.consoleCsp];
  }

  /** `fullPage`: the whole page, below the fold too (a narrow column stacks what a wide one shows side by side). */
  async screenshot(name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path, fullPage: opts.fullPage });
    return path;
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

/** One Chromium and one local server for a test file; `open()` gives each test a fresh page. */
export class WebviewEnv {
  private constructor(
    readonly browser: BrowserSession,
    private readonly server: Server,
    readonly origin: string,
    private readonly html: (script: string, title: string) => string,
  ) {}

  static async start(): Promise<WebviewEnv> {
    const { webviewHtml, Uri } = await loadWebviewHtml();
    const sb = sandbox('webview');
    mkdirSync(join(OUTPUT_DIR, 'webview'), { recursive: true });
    const browser = await launchBrowser({ sandbox: sb, network: {}, requestLog: join(OUTPUT_DIR, 'webview', 'requests.log'), viewport: { width: 1000, height: 640 } });
    const pages = new Map<string, string>();
    let origin = '';
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end(); // the browser asks by itself; a webview in VS Code never does
        return;
      }
      const page = pages.get(url.pathname);
      if (page !== undefined) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(page);
        return;
      }
      // Like localResourceRoots: only dist/ and media/ are readable.
      const file = normalize(join(ROOT, decodeURIComponent(url.pathname)));
      const rel = relative(ROOT, file);
      const allowed = (rel.startsWith(`dist${sep}`) || rel.startsWith(`media${sep}`)) && existsSync(file) && statSync(file).isFile();
      if (!allowed) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const extensionUri = Uri.file(ROOT);
    const webview = {
      cspSource: origin,
      asWebviewUri: (u: { path: string }) => ({ toString: () => `${origin}/${relative(ROOT, u.path).split(sep).join('/')}` }),
    };
    const html = (script: string, title: string) => {
      const h = webviewHtml(webview, extensionUri, { script, title });
      pages.set(`/${script}.html`, h);
      return h;
    };
    return new WebviewEnv(browser, server, origin, html);
  }

  /** Opens dist/webview/<script>.js in the extension's webview HTML; resolves once the page has loaded. */
  async open(script: string, title = `LIM Lens ${script}`): Promise<WebviewPage> {
    const bundle = join(ROOT, 'dist', 'webview', `${script}.js`);
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build`);
    this.html(script, title);
    const page = await this.browser.context.newPage();
    const consoleCsp: string[] = [];
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) consoleCsp.push(`console: ${m.text().slice(0, 400)}`);
      else if (m.type() === 'error') errors.push(`console.error: ${m.text().slice(0, 400)} (${m.location().url})`);
    });
    await page.addInitScript(initScript);
    await page.goto(`${this.origin}/${script}.html`, { waitUntil: 'load' });
    return new WebviewPage(page, consoleCsp, errors);
  }

  /** Undefined when every request of every page stayed on loopback. */
  networkProblem(): string | undefined {
    return this.browser.network.problem();
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((r) => this.server.close(() => r()));
    await runCleanups();
  }
}

/** Opens a <vscode-single-select> and clicks an option of its dropdown (rendered in its shadow root), as a person does. */
export async function pickOption(select: Locator, label: string): Promise<void> {
  await select.click();
  await select.locator('li[role="option"]').filter({ hasText: label }).first().click();
}

/**
 * The hooks of a webview test file: one browser for the file, and after each test the page it opened through
 * `open` is closed and must have had no Content-Security-Policy violation and no uncaught error. `env()` is for
 * what the checks must not see (a test that provokes a violation on purpose) and for the network check.
 */
export function webviewTestHooks(): { open(script: string, title?: string): Promise<WebviewPage>; env(): WebviewEnv } {
  let env: WebviewEnv | undefined;
  let page: WebviewPage | undefined;
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
  const started = (): WebviewEnv => {
    if (!env) throw new Error('the webview environment starts in before(): use it inside a test');
    return env;
  };
  return {
    env: started,
    open: async (script, title) => (page = await started().open(script, title)),
  };
}
