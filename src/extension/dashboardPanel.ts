import * as vscode from 'vscode';
import type { EnergyBounds } from '../core';
import { isDashboardToHost, type HostToDashboard } from '../protocol/webview';
import { testHooks } from './testHooks';
import { webviewHtml } from './webviewHtml';

export const DASHBOARD_VIEW_TYPE = 'limLens.dashboard';

/** The dashboard webview panel: one per window, revealed again when asked twice. */
export class DashboardPanel {
  private static current: DashboardPanel | undefined;
  private ready = false;
  private queued: HostToDashboard[] = [];

  static show(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal(undefined, false);
      return DashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'LIM Lens Dashboard', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    DashboardPanel.current = new DashboardPanel(panel, extensionUri, log);
    return DashboardPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'lim-lens.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, { script: 'dashboard', title: 'LIM Lens Dashboard' });
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m));
    panel.onDidDispose(() => {
      if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    });
  }

  showBounds(bounds: EnergyBounds, title: string): void {
    this.post({ type: 'bounds', bounds, title });
  }

  private post(m: HostToDashboard): void {
    if (!this.ready) {
      this.queued.push(m);
      return;
    }
    void this.panel.webview.postMessage(m);
  }

  private onMessage(m: unknown): void {
    if (!isDashboardToHost(m)) {
      this.log.warn(`dashboard: dropped a malformed message ${JSON.stringify(m)?.slice(0, 200)}`);
      return;
    }
    testHooks.reportMessage('dashboard', m);
    switch (m.type) {
      case 'ready':
        this.ready = true;
        for (const q of this.queued.splice(0)) void this.panel.webview.postMessage(q);
        break;
      case 'log':
        this.log[m.level](`dashboard: ${m.message}`);
        break;
    }
  }
}
