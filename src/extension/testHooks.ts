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

export class TestHooks {
  private readonly emitter = new vscode.EventEmitter<WebviewReport>();
  /** Fires for every message any webview posts to its host. */
  readonly onDidReceiveMessage = this.emitter.event;
  private readonly postedEmitter = new vscode.EventEmitter<WebviewReport>();
  /** Fires for every message a host posts to its webview (the other direction: what the view was told). */
  readonly onDidPostMessage = this.postedEmitter.event;
  private readonly last = new Map<string, WebviewReport>();
  /**
   * Fault injection, for failures a test cannot provoke on purpose. `stalledDashboardPage`: the next dashboard
   * panel ignores its page's "ready", like a page whose loader never finished; `dashboardStallMs` replaces the
   * 20 s the panel waits before it is opened again.
   */
  readonly faults: { stalledDashboardPage: boolean; dashboardStallMs?: number } = { stalledDashboardPage: false };
  private readonly lastSent = new Map<string, WebviewReport>();
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
    const report: WebviewReport = { view, message: message as WebviewReport['message'], at: Date.now() };
    this.last.set(`${view}\n${message.type}`, report);
    this.emitter.fire(report);
  }

  /** The newest message of a type from a view, if any. */
  lastMessage(view: string, type: string): WebviewReport | undefined {
    return this.last.get(`${view}\n${type}`);
  }

  /**
   * Called by a webview's host for each message it posts to the webview, so a test can compare what the view
   * was sent (e.g. the dashboard's energy view) with what it reports having drawn.
   */
  reportPosted(view: string, message: { type: string }): void {
    const report: WebviewReport = { view, message: message as WebviewReport['message'], at: Date.now() };
    this.lastSent.set(`${view}\n${message.type}`, report);
    this.postedEmitter.fire(report);
  }

  /** The newest message of a type the host posted to a view, if any. */
  lastPosted(view: string, type: string): WebviewReport | undefined {
    return this.lastSent.get(`${view}\n${type}`);
  }

  /** The newest `rendered` report of a view, if it has drawn at all. */
  lastRender(view: string): WebviewReport | undefined {
    return this.lastMessage(view, 'rendered');
  }
}

export const testHooks = new TestHooks();
