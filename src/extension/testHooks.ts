import * as vscode from 'vscode';

/**
 * Observation points for the integration tests (test/integration, docs/testing.md); nothing in the product reads
 * them. A webview cannot be inspected from the extension host, so each webview posts a `rendered` message after
 * it draws (what it drew: charts, points, painted pixels) and its host passes that message here. `activate`
 * returns this object, so a test gets it from `vscode.extensions.getExtension(id).exports.testHooks`.
 */
export interface RenderReport {
  /** Which webview: 'dashboard', 'sidebar', … */
  view: string;
  /** The webview's `rendered` message, as received. */
  message: Record<string, unknown>;
  /** Date.now() when the host received it. */
  at: number;
}

export class TestHooks implements vscode.Disposable {
  private readonly renderEmitter = new vscode.EventEmitter<RenderReport>();
  /** Fires for every `rendered` message any webview posts. */
  readonly onDidRender = this.renderEmitter.event;
  private readonly last = new Map<string, RenderReport>();

  /** Called by a webview's host when the webview posts `{ type: 'rendered', … }`. */
  reportRendered(view: string, message: Record<string, unknown>): void {
    const report = { view, message, at: Date.now() };
    this.last.set(view, report);
    this.renderEmitter.fire(report);
  }

  /** The newest report of a view, if it has rendered at all. */
  lastRender(view: string): RenderReport | undefined {
    return this.last.get(view);
  }

  dispose(): void {
    this.renderEmitter.dispose();
  }
}

export const testHooks = new TestHooks();
