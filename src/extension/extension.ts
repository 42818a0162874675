import * as vscode from 'vscode';
import { findBoundPreset } from '../core';
import { DashboardPanel } from './dashboardPanel';
import { testHooks } from './testHooks';
import { WorkerClient } from './workerClient';

/** Activation: wire the commands to the worker and the views; no computation happens on this thread. */
export function activate(context: vscode.ExtensionContext) {
  const log = vscode.window.createOutputChannel('LIM Lens', { log: true });
  const worker = new WorkerClient(context.extensionPath, log);
  context.subscriptions.push(log, worker);

  context.subscriptions.push(
    vscode.commands.registerCommand('limLens.openDashboard', async () => {
      const panel = DashboardPanel.show(context.extensionUri, log);
      const preset = findBoundPreset('brain-scale');
      if (!preset) return;
      try {
        panel.showBounds(await worker.run('bounds', preset.inputs), 'Brain-scale model (1e15 parameters)');
      } catch (e) {
        log.error(`bounds: ${e instanceof Error ? e.message : String(e)}`);
        void vscode.window.showErrorMessage(`LIM Lens: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
  );
  log.info('LIM Lens activated');
  // Read by the integration tests only (docs/testing.md): the worker client, and what the webviews drew.
  return { worker, testHooks };
}

export type LimLensExports = ReturnType<typeof activate>;

export function deactivate() {}
