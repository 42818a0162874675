// Where the real-editor test harness keeps things, and what scripts/install-test-harness.sh installed.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
/** Git-ignored: code-server, its install log and harness.json (scripts/install-test-harness.sh). */
export const HARNESS_DIR = process.env.LIM_HARNESS_DIR ?? join(ROOT, '.vscode-test');
/** Git-ignored: everything the tests write for people to look at. */
export const OUTPUT_DIR = join(ROOT, 'test-output');
export const SCREENSHOT_DIR = join(OUTPUT_DIR, 'screenshots');
/** The editor tests' fixture workspace (copied to a throwaway folder before each run, see workspace.ts). */
export const FIXTURE_WORKSPACE = join(ROOT, 'test', 'fixtures', 'workspace');
/** Test-only files copied over that copy. */
export const EDITOR_OVERLAY = join(ROOT, 'test', 'fixtures', 'editor-overlay');
export const CHROMIUM = process.env.LIM_CHROMIUM ?? '/usr/bin/chromium';

export class HarnessMissingError extends Error {
  override name = 'HarnessMissingError';
}

export interface Harness {
  codeServerBin: string;
  codeServerVersion: string;
  vscodeVersion: string;
  chromium: string;
  /** Newer code-server releases ignore the test payload unless VS Code's smoke-test driver is switched on. */
  smokeTestDriverFlag: boolean;
}

function installHint(): string {
  const err = join(HARNESS_DIR, 'install-error.txt');
  const why = existsSync(err) ? `\n  the last install failed: ${readFileSync(err, 'utf8').trim()}\n  (full log: ${join(HARNESS_DIR, 'install.log')})` : '';
  return `${why}\n  install it with: npm run test:setup   (bash scripts/install-test-harness.sh; npm test does this first)`;
}

/** Chromium alone (the webview tests); throws a HarnessMissingError saying what to install. */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM)) throw new HarnessMissingError(`Chromium is not installed at ${CHROMIUM} (Debian package "chromium").${installHint()}`);
  return CHROMIUM;
}

/** code-server + Chromium (integration and smoke tests). */
export function requireHarness(): Harness {
  const chromium = requireChromium();
  const stampFile = join(HARNESS_DIR, 'harness.json');
  if (!existsSync(stampFile)) throw new HarnessMissingError(`code-server is not installed (no ${stampFile}).${installHint()}`);
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { codeServer: string; vscode: string; nodeAbi: string; smokeTestDriverFlag?: boolean };
  const codeServerBin = join(HARNESS_DIR, 'code-server', 'node_modules', '.bin', 'code-server');
  if (!existsSync(codeServerBin)) throw new HarnessMissingError(`code-server ${stamp.codeServer} is recorded but ${codeServerBin} is missing.${installHint()}`);
  if (stamp.nodeAbi !== process.versions.modules) {
    throw new HarnessMissingError(`code-server was built for Node ABI ${stamp.nodeAbi}, this is Node ${process.version} (ABI ${process.versions.modules}).${installHint()}`);
  }
  return { codeServerBin, codeServerVersion: stamp.codeServer, vscodeVersion: stamp.vscode, chromium, smokeTestDriverFlag: stamp.smokeTestDriverFlag === true };
}
