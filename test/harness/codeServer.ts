// Starting code-server (VS Code server + web workbench) for one test run: a free loopback port, no auth, no
// gallery, no telemetry, a throwaway HOME/XDG/user-data/extensions tree, net-guard.cjs preloaded, and a stop()
// that takes down the whole process group (server, extension host, pty host, file watcher).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, onCleanup, sleep, tail, type Sandbox } from './lifecycle';
import type { Harness } from './paths';

export interface CodeServer {
  port: number;
  origin: string;
  /** The workbench URL for a folder, optionally with the test payload (extensionDevelopmentPath, …). */
  workbenchUrl(folder: string, payload?: Array<[string, string]>): string;
  /** `vscode-remote://` form of a path on this machine, as the payload wants it. */
  remoteUri(path: string): string;
  log(): string;
  logTail(lines?: number): string;
  stop(): Promise<void>;
  /** Where net-guard.cjs writes what the server and the extension host asked for. */
  guardLog: string;
}

const SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'json.schemaDownload.enable': false,
  'chat.disableAIFeatures': true,
  'workbench.colorTheme': 'Default Dark Modern',
  'window.zoomLevel': 0,
};

function isolatedEnv(sb: Sandbox, guardLog: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...sb.env, ...extra };
  env.EXTENSIONS_GALLERY = '{}'; // no Open VSX queries
  env.LIM_NET_GUARD_LOG = guardLog;
  env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${join(__dirname, 'net-guard.cjs')}`.trim();
  // code-server reads these; none may point outside the sandbox
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.VSCODE_CLI;
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  return env;
}

function baseArgs(sb: Sandbox): string[] {
  return ['--config', join(sb.dir('code-server'), 'config.yaml'), '--user-data-dir', sb.dir('user-data'), '--extensions-dir', sb.dir('extensions')];
}

/** `code-server --install-extension <vsix>` into the sandbox's extensions folder; returns its output. */
export function installExtension(h: Harness, sb: Sandbox, vsix: string): string {
  const guardLog = join(sb.root, 'net-guard.jsonl');
  const r = spawnSync(h.codeServerBin, [...baseArgs(sb), '--install-extension', vsix], {
    env: isolatedEnv(sb, guardLog),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}):\n${tail(out, 30)}`);
  return out;
}

export function listExtensions(h: Harness, sb: Sandbox): string[] {
  const r = spawnSync(h.codeServerBin, [...baseArgs(sb), '--list-extensions', '--show-versions'], {
    env: isolatedEnv(sb, join(sb.root, 'net-guard.jsonl')),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return (r.stdout ?? '').split('\n').map((s) => s.trim()).filter((s) => /^[\w-]+\.[\w-]+@/.test(s));
}

export async function startCodeServer(
  h: Harness,
  sb: Sandbox,
  opts: { folder: string; env?: Record<string, string>; startTimeoutMs?: number },
): Promise<CodeServer> {
  const userData = sb.dir('user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  const guardLog = join(sb.root, 'net-guard.jsonl');
  const env = isolatedEnv(sb, guardLog, opts.env);

  let lastError = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const args = [
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-file-downloads',
      '--ignore-last-opened',
      '--locale', 'en',
      ...baseArgs(sb),
      ...(h.smokeTestDriverFlag ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      opts.folder,
    ];
    // detached: its own process group, so stop() reaches the extension host and helpers too.
    const child = spawn(h.codeServerBin, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let log = '';
    child.stdout?.on('data', (d) => (log += d));
    child.stderr?.on('data', (d) => (log += d));
    const stop = stopper(child);
    onCleanup(stop);
    const origin = `http://127.0.0.1:${port}`;
    const up = await waitHealthy(origin, child, opts.startTimeoutMs ?? 60_000);
    if (up === true) {
      return {
        port,
        origin,
        guardLog,
        remoteUri: (p) => `vscode-remote://127.0.0.1:${port}${p}`,
        workbenchUrl: (folder, payload) =>
          `${origin}/?folder=${encodeURIComponent(folder)}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`,
        log: () => log,
        logTail: (n = 60) => tail(log, n),
        stop,
      };
    }
    await stop();
    lastError = `${up}\n${tail(log, 40)}`;
    if (!/EADDRINUSE/.test(log)) break; // only a lost port race is worth another try
  }
  throw new Error(`code-server did not start: ${lastError}`);
}

async function waitHealthy(origin: string, child: ChildProcess, timeoutMs: number): Promise<true | string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return `code-server exited (${child.exitCode ?? child.signalCode}) before it was ready`;
    try {
      const r = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return `no answer on ${origin}/healthz within ${timeoutMs} ms`;
}

function stopper(child: ChildProcess): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= (async () => {
      const pid = child.pid;
      if (pid === undefined) return;
      const exited = new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
      const signalGroup = (sig: NodeJS.Signals) => {
        try {
          process.kill(-pid, sig); // the whole group: server, extension host, pty host, watcher
        } catch {
          // already gone
        }
      };
      signalGroup('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      await sleep(200); // let the group's other members go too
      signalGroup('SIGKILL');
    })();
    return done;
  };
}
