import * as vscode from 'vscode';
import { AnalysisService } from './analysisService';
import { calibrateFromMeasured, CALIBRATE_COMMAND } from './calibrate';
import { registerCommands } from './commands';
import { DASHBOARD_VIEW_TYPE, DashboardPanel, type DashboardDeps } from './dashboardPanel';
import { CONFIG_SELECTOR, ConfigDiagnostics, EstimateCodeLensProvider, EstimateHoverProvider } from './editorProviders';
import { invalidSettings, watchSettings } from './settings';
import { SIDEBAR_VIEW_ID, SidebarViewProvider } from './sidebarView';
import { SimulationRunner } from './simulationRunner';
import { HardwareStatusBar } from './statusBar';
import { testHooks } from './testHooks';
import { notificationText } from '../core/text/escape';
import { WorkerClient } from './workerClient';
import { WorkspaceIndex } from './workspaceIndex';

/**
 * Activation wires the editor to the engine and does nothing else: no scan, no worker until something asks
 * (a hover, a CodeLens, the sidebar being shown, a command). Every computation runs in the worker.
 */
export function activate(context: vscode.ExtensionContext) {
  const t0 = performance.now();
  context.subscriptions.push(watchSettings()); // first: later listeners of a settings change read fresh values
  const log = vscode.window.createOutputChannel('LIM Lens', { log: true });
  const worker = new WorkerClient(context.extensionPath, log);
  const analysis = new AnalysisService(worker, log);
  const index = new WorkspaceIndex(analysis, log);
  const simulations = new SimulationRunner(worker, log);
  const deps: DashboardDeps = { extensionUri: context.extensionUri, log, worker, analysis, index, simulations };
  const codeLens = new EstimateCodeLensProvider(analysis);
  const sidebar = new SidebarViewProvider(context.extensionUri, index, log, {
    openRun: (runId) => vscode.commands.executeCommand('limLens.openRun', runId),
    openDashboard: (runId) => vscode.commands.executeCommand('limLens.openDashboard', runId),
    createExample: () => vscode.commands.executeCommand('limLens.createExampleRun'),
  });

  context.subscriptions.push(
    log,
    worker,
    analysis,
    index,
    codeLens,
    sidebar,
    new HardwareStatusBar(),
    new ConfigDiagnostics(analysis),
    vscode.languages.registerHoverProvider(CONFIG_SELECTOR, new EstimateHoverProvider(analysis)),
    vscode.languages.registerCodeLensProvider(CONFIG_SELECTOR, codeLens),
    vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, sidebar),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, DashboardPanel.serializer(deps)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('limLens')) return;
      for (const problem of invalidSettings()) log.warn(`setting ignored: ${problem}`);
      analysis.invalidateAll();
      index.reset();
      codeLens.refreshSoon();
    }),
  );
  registerCommands(context, deps);
  context.subscriptions.push(
    vscode.commands.registerCommand(CALIBRATE_COMMAND, async (given?: unknown) => {
      try {
        return await calibrateFromMeasured(deps, given);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        log.error(`${CALIBRATE_COMMAND}: ${message}`);
        void vscode.window.showErrorMessage(`LIM Lens: ${notificationText(message, 500)}`);
        return undefined;
      }
    }),
  );

  for (const problem of invalidSettings()) log.warn(`setting ignored: ${problem}`);
  const activationMs = performance.now() - t0;
  log.info(`LIM Lens activated in ${activationMs.toFixed(1)} ms`);
  // Read by the integration tests only (docs/testing.md): the worker client, the index, what the webviews drew.
  return { worker, index, analysis, testHooks, activationMs };
}

export type LimLensExports = ReturnType<typeof activate>;

export function deactivate() {}
