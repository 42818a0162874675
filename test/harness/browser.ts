// Debian's Chromium driven by playwright-core: headless, throwaway profile and HOME, loopback only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { onCleanup, type Sandbox } from './lifecycle';
import { NetworkRecorder, type NetworkPolicy } from './network';
import { requireChromium } from './paths';

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  network: NetworkRecorder;
  /** Console errors and uncaught page errors from every frame, newest last. */
  errors: string[];
  /** Content-Security-Policy complaints printed to the console by any frame. */
  cspMessages: string[];
  /** Uncaught exceptions in a webview's frame (their stack names a webview resource URL). */
  webviewErrors: string[];
  close(): Promise<void>;
}

export interface BrowserOptions {
  sandbox: Sandbox;
  network: NetworkPolicy;
  requestLog?: string;
  viewport?: { width: number; height: number };
  /** Print every console line of the page (LIM_PAGE_CONSOLE=1 does this too). */
  echoConsole?: boolean;
}

const FLAGS = [
  '--no-sandbox', // running as root in CI containers
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,InterestFeedContentSuggestions',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
  // Resolve nothing but loopback: a request to any other host fails here instead of leaving the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export async function launchBrowser(opts: BrowserOptions): Promise<BrowserSession> {
  const executablePath = requireChromium();
  const profile = opts.sandbox.dir('chromium-profile');
  // Webviews register a service worker; a fresh profile blocks third-party storage, which some VS Code builds
  // need for it. Allow it up front.
  mkdirSync(join(profile, 'Default'), { recursive: true });
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));

  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    deviceScaleFactor: 1,
    args: FLAGS,
    env: { ...process.env, ...opts.sandbox.env },
    timeout: 60_000,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => {});
  };
  onCleanup(close);

  // tsx compiles the tests with esbuild's keepNames, which wraps named inner functions in `__name(fn, "name")`.
  // Functions passed to page.evaluate()/addInitScript() are sent as source text, so every frame needs __name.
  await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  const network = new NetworkRecorder(opts.network, opts.requestLog);
  network.attach(context);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const cspMessages: string[] = [];
  const echo = opts.echoConsole || process.env.LIM_PAGE_CONSOLE === '1';
  const onConsole = (m: ConsoleMessage) => {
    const text = m.text();
    const where = m.location().url ? ` (${m.location().url.slice(0, 120)})` : '';
    if (/Content[- ]Security[- ]Policy/i.test(text)) cspMessages.push(`${text.slice(0, 400)}${where}`);
    if (m.type() === 'error') errors.push(`${text.slice(0, 400)}${where}`);
    if (echo) console.log(`[console.${m.type()}] ${text.slice(0, 300)}`);
  };
  page.on('console', onConsole);
  const webviewErrors: string[] = [];
  page.on('pageerror', (e) => {
    errors.push(`pageerror: ${e.message}`);
    if (/vscode-resource|vscode-cdn\.net|\/dist\/webview\//.test(e.stack ?? '')) webviewErrors.push(`${e.message}\n${(e.stack ?? '').split('\n').slice(1, 4).join('\n')}`);
  });
  return { context, page, network, errors, cspMessages, webviewErrors, close };
}
