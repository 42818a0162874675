// Throwaway folders, free ports and clean-up that also runs on Ctrl+C / SIGTERM / an uncaught error, so no
// code-server or Chromium outlives a test run.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Cleanup = () => void | Promise<void>;
const cleanups: Cleanup[] = [];
let installed = false;

/** Registers a clean-up step; they run last-in first-out from runCleanups() or when the process is stopped. */
export function onCleanup(fn: Cleanup): void {
  cleanups.push(fn);
  if (installed) return;
  installed = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      console.error(`\n[harness] ${sig}: cleaning up`);
      void runCleanups().finally(() => process.exit(130));
    });
  }
  // Synchronous last resort: whatever is left when the process exits (e.g. an uncaught exception).
  process.once('exit', () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        void fn();
      } catch {
        // nothing more can be done at exit
      }
    }
  });
}

export async function runCleanups(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (e) {
      console.error('[harness] clean-up step failed:', e);
    }
  }
}

export interface Sandbox {
  root: string;
  /** HOME for code-server, the extension host and Chromium: nothing is written to the real home. */
  home: string;
  env: Record<string, string>;
  dir(name: string): string;
}

/** A throwaway HOME/XDG tree, removed at clean-up unless LIM_KEEP_TMP=1. */
export function sandbox(prefix: string): Sandbox {
  const root = mkdtempSync(join(tmpdir(), `lim-lens-${prefix}-`));
  const dir = (name: string) => {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const home = dir('home');
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: dir('home/.config'),
    XDG_DATA_HOME: dir('home/.local/share'),
    XDG_CACHE_HOME: dir('home/.cache'),
    XDG_STATE_HOME: dir('home/.local/state'),
    XDG_RUNTIME_DIR: dir('runtime'),
    TMPDIR: dir('tmp'),
  };
  onCleanup(() => {
    if (process.env.LIM_KEEP_TMP === '1') console.error(`[harness] kept ${root}`);
    else rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  });
  return { root, home, env, dir };
}

/** A TCP port that was free a moment ago on 127.0.0.1 (callers retry if someone takes it first). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns a truthy value or `timeoutMs` passes; the error names what was awaited. */
export async function waitUntil<T>(what: string, check: () => T | Promise<T>, timeoutMs: number, intervalMs = 200): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** The last `n` lines of a log, indented, for failure messages. */
export function tail(text: string, n = 60): string {
  return text.trimEnd().split('\n').slice(-n).map((l) => `    ${l}`).join('\n');
}
