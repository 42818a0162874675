// The loopback guard. Every request a page (and its iframes, workers and service workers) makes is recorded;
// any host other than loopback fails the run. In code-server one more pattern is allowed: webview resources are
// addressed as https://<authority>.vscode-resource.vscode-cdn.net/..., but the webview's service worker answers
// them from the workbench (over loopback), so nothing leaves the machine. Chromium is also started with a host
// resolver that resolves nothing but loopback (see browser.ts), so a leak shows up as a failed request too.
// The Node side (code-server and the extension host) is watched by net-guard.cjs.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { BrowserContext, Request } from 'playwright-core';

export const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const WEBVIEW_RESOURCE_HOST = /^[a-z0-9+-]+\.vscode-resource\.vscode-cdn\.net$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost');
}

export interface NetworkPolicy {
  /** Allow code-server's webview resource host pattern (served locally by the webview's service worker). */
  allowWebviewResourceHost?: boolean;
}

/** Whether a URL stays on the machine under the policy; non-network schemes (data:, blob:, …) always do. */
export function isAllowedUrl(url: string, policy: NetworkPolicy = {}): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (!/^(https?|wss?|ftp):$/.test(u.protocol)) return true;
  if (isLoopbackHost(u.hostname)) return true;
  return policy.allowWebviewResourceHost === true && WEBVIEW_RESOURCE_HOST.test(u.hostname);
}

export class NetworkRecorder {
  readonly violations: string[] = [];
  private count = 0;

  constructor(
    private readonly policy: NetworkPolicy,
    /** Every request is appended here (one line each) for looking into a failure afterwards. */
    private readonly logFile?: string,
  ) {}

  attach(context: BrowserContext): void {
    context.on('request', (r) => this.record(r));
  }

  private record(r: Request): void {
    this.count++;
    const url = r.url();
    const allowed = isAllowedUrl(url, this.policy);
    if (!allowed) this.violations.push(`${r.method()} ${url.slice(0, 200)} (${r.resourceType()})`);
    if (this.logFile) {
      try {
        appendFileSync(this.logFile, `${allowed ? 'ok ' : 'BAD'} ${r.method()} ${url.slice(0, 300)}\n`);
      } catch {
        // the log is only a debugging aid
      }
    }
  }

  get requests(): number {
    return this.count;
  }

  /** Undefined when everything stayed local, else a message listing the offending requests. */
  problem(): string | undefined {
    if (this.violations.length === 0) return undefined;
    const unique = [...new Set(this.violations)];
    return `the page asked for non-loopback hosts (${unique.length}):\n${unique.slice(0, 20).map((v) => `    ${v}`).join('\n')}`;
  }
}

/**
 * Reads what net-guard.cjs recorded in code-server and the extension host: DNS look-ups of and connections to
 * anything but loopback. Undefined when there were none.
 */
export function nodeNetworkProblem(guardLog: string, opts: { expectExtensionHost?: boolean } = {}): string | undefined {
  if (opts.expectExtensionHost) {
    const procs = existsSync(`${guardLog}.processes`) ? readFileSync(`${guardLog}.processes`, 'utf8') : '';
    if (!/--type=extensionHost/.test(procs)) {
      return `net-guard.cjs was not loaded in the extension host (NODE_OPTIONS did not reach it), so its network use was not watched. Processes that loaded it:\n${procs || '    none'}`;
    }
  }
  if (!existsSync(guardLog)) return undefined;
  const lines = readFileSync(guardLog, 'utf8').split('\n').filter(Boolean);
  if (lines.length === 0) return undefined;
  const entries = lines.map((l) => {
    try {
      const e = JSON.parse(l) as { what: string; host: string; process: string; stack: string };
      return `${e.what} ${e.host} from ${e.process}\n        at ${e.stack}`;
    } catch {
      return l;
    }
  });
  return `code-server or the extension host asked for non-loopback hosts (${entries.length}):\n${entries.slice(0, 20).map((e) => `    ${e}`).join('\n')}`;
}
