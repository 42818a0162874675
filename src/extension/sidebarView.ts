import * as vscode from 'vscode';
import { HARDWARE_PROFILES, formatSci } from '../core';
import { SidebarToHost, type HostToSidebar } from '../protocol/sidebar';
import type { HardwareOption } from '../protocol/runs';
import { readSettings, updateSetting } from './settings';
import { testHooks } from './testHooks';
import { webviewHtml } from './webviewHtml';
import type { WorkspaceIndex } from './workspaceIndex';

export const SIDEBAR_VIEW_ID = 'limLens.runs';

export function hardwareOptions(): HardwareOption[] {
  return HARDWARE_PROFILES.map((p) => ({ id: p.id, name: p.name, detail: `${formatSci(p.peakFlops, 4)} FLOP/s ${p.peakPrecision}, ${p.tdpW} W` }));
}

/**
 * The "Training runs" view in the LIM Lens activity-bar container: every config in the workspace with its key
 * figures. The first time it is shown it starts the workspace scan; after that the index keeps it current.
 */
export class SidebarViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly index: WorkspaceIndex,
    private readonly log: vscode.LogOutputChannel,
    private readonly handlers: {
      openRun(runId: string): Thenable<unknown>;
      openDashboard(runId?: string): Thenable<unknown>;
      createExample(): Thenable<unknown>;
    },
  ) {
    this.subscriptions.push(
      index.onDidChange(() => this.pushState()),
      index.onProgress((p) => this.post({ type: 'progress', done: p.done, total: p.total })),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('limLens') && this.pushState()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.index.rescan()),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = webviewHtml(view.webview, this.extensionUri, { script: 'sidebar', title: 'Training Runs', bodyClass: 'sidebar' });
    view.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m));
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
    view.onDidChangeVisibility(() => view.visible && this.pushState());
    void this.index.ensureScanned();
  }

  private post(m: HostToSidebar): void {
    if (!this.view || !this.ready) return;
    testHooks.reportPosted('sidebar', m);
    void this.view.webview.postMessage(m);
  }

  private pushState(): void {
    const s = readSettings();
    this.post({
      type: 'state',
      workspaceOpen: (vscode.workspace.workspaceFolders?.length ?? 0) > 0,
      scanning: this.index.isScanning || !this.index.hasScanned,
      runs: this.index.list(),
      hardware: hardwareOptions(),
      hardwareId: s.hardwareId,
      assumptions: { utilization: s.utilization, pue: s.pue, gridKgPerKwh: s.gridKgPerKwh, powerW: s.powerW, devices: s.devices, tokensPerParameter: s.tokensPerParameter },
      patterns: s.include,
    });
  }

  private onMessage(raw: unknown): void {
    const parsed = SidebarToHost.parse(raw);
    if (!parsed.ok) {
      this.log.warn(`sidebar: dropped a malformed message (${parsed.reason}) ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const m = parsed.value;
    testHooks.reportMessage('sidebar', m);
    void this.handle(m).catch((e: unknown) => this.log.error(`sidebar: ${e instanceof Error ? e.message : String(e)}`));
  }

  private async handle(m: SidebarToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.pushState();
        break;
      case 'openRun':
        await this.handlers.openRun(m.runId);
        break;
      case 'openDashboard':
        await this.handlers.openDashboard(m.runId);
        break;
      case 'setHardware':
        await updateSetting('hardware', m.hardwareId);
        break;
      case 'refresh':
        await this.index.rescan();
        break;
      case 'createExample':
        await this.handlers.createExample();
        break;
      case 'editAssumptions':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'limLens');
        break;
      case 'rendered':
        break;
      case 'log':
        this.log[m.level](`sidebar: ${m.message}`);
        break;
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
