import * as vscode from 'vscode';

/**
 * Observation points for the integration tests (test/integration, docs/testing.md); the product reads only
 * `faults`, which stay off unless a test sets them. A webview cannot be inspected from the extension host, so
 * each webview's host passes every valid message the webview posts to `reportMessage`: `ready` says the page
 * runs, and `rendered` (posted after each draw) says what is on screen (charts, points, painted pixels).
 * `activate` returns this object, so a test gets it from `vscode.extensions.getExtension(id).exports.testHooks`.
 */
export interface WebviewReport {
  /** Which webview: 'dashboard', 'sidebar', … */
  view: string;
  /** The webview's message, as received (it has a string `type`). */
  message: Record<string, unknown> & { type: string };
  /** Date.now() when the host received it. */
  at: number;
}

/** One direction of a webview's messages: the newest of each view and type, and an event for each. */
class MessageLog {
  private readonly emitter = new vscode.EventEmitter<WebviewReport>();
  readonly event = this.emitter.event;
  private readonly newest = new Map<string, WebviewReport>();

  add(view: string, message: { type: string }): void {
    const report: WebviewReport = { view, message: message as WebviewReport['message'], at: Date.now() };
    this.newest.set(`${view}\n${message.type}`, report);
    this.emitter.fire(report);
  }

  latest(view: string, type: string): WebviewReport | undefined {
    return this.newest.get(`${view}\n${type}`);
  }
}

export class TestHooks {
  private readonly received = new MessageLog();
  /** Fires for every message any webview posts to its host. */
  readonly onDidReceiveMessage = this.received.event;
  private readonly posted = new MessageLog();
  /** Fires for every message a host posts to its webview (the other direction: what the view was told). */
  readonly onDidPostMessage = this.posted.event;
  /**
   * Fault injection, for failures a test cannot provoke on purpose. `stalledDashboardPage`: the next dashboard
   * panel ignores its page's "ready", like a page whose loader never finished; `dashboardStallMs` replaces the
   * 20 s the panel waits before it is opened again.
   */
  readonly faults: { stalledDashboardPage: boolean; dashboardStallMs?: number } = { stalledDashboardPage: false };
  /**
   * Every save dialog an export opens is recorded in `asked` (what it offered). A test that cannot click the
   * dialog queues its answers in `answers`: the next dialog takes the first one instead of showing itself. The
   * product never fills `answers`; with it empty, the real dialog is shown.
   */
  readonly saveDialog: { asked: Array<{ defaultUri?: string; filters: Record<string, string[]> }>; answers: Array<vscode.Uri | undefined> } = { asked: [], answers: [] };
  /**
   * Every modal question a command asks before it changes settings (limLens.calibrateFromMeasured) is recorded in
   * `asked`; a test queues the button it would click in `answers` (undefined = dismissed). Empty, the modal is shown.
   */
  readonly confirmations: { asked: Array<{ message: string; detail?: string; items: string[] }>; answers: Array<string | undefined> } = { asked: [], answers: [] };

  /** Called by a webview's host for each valid message from the webview. */
  reportMessage(view: string, message: { type: string }): void {
    this.received.add(view, message);
  }

  /** The newest message of a type from a view, if any. */
  lastMessage(view: string, type: string): WebviewReport | undefined {
    return this.received.latest(view, type);
  }

  /**
   * Called by a webview's host for each message it posts to the webview, so a test can compare what the view
   * was sent (e.g. the dashboard's energy view) with what it reports having drawn.
   */
  reportPosted(view: string, message: { type: string }): void {
    this.posted.add(view, message);
  }

  /** The newest message of a type the host posted to a view, if any. */
  lastPosted(view: string, type: string): WebviewReport | undefined {
    return this.posted.latest(view, type);
  }

  /** The newest `rendered` report of a view, if it has drawn at all. */
  lastRender(view: string): WebviewReport | undefined {
    return this.lastMessage(view, 'rendered');
  }
}

export const testHooks = new TestHooks();
