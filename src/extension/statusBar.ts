import * as vscode from 'vscode';
import { findHardware } from '../core';
import { labelText, markdownText } from '../core/text/escape';
import { readSettings, SECTION } from './settings';

/**
 * "$(pulse) H100 · 40 %": the active hardware profile; clicking opens the picker. A workspace's own settings can name
 * any string as the hardware, so what is shown of the settings is escaped like a file's text.
 */
export class HardwareStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('limLens.hardware', vscode.StatusBarAlignment.Right, 100);
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.item.name = 'LIM Lens hardware profile';
    this.item.command = 'limLens.selectHardware';
    this.update();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) this.update();
    });
    this.item.show();
  }

  update(): void {
    const s = readSettings();
    const profile = findHardware(s.hardwareId);
    const name = profile?.name.replace(/^NVIDIA |^Google /, '').replace(/ \(chip\)$/, '') ?? s.hardwareId;
    this.item.text = `$(pulse) ${labelText(name, 40)} · ${Math.round(s.utilization * 100)} %`;
    const tip = new vscode.MarkdownString(
      `**LIM Lens** — energy estimates use **${markdownText(profile?.name ?? s.hardwareId, 80)}** at ${Math.round(s.utilization * 100)} % utilisation, ` +
        `${markdownText(s.powerW ?? profile?.tdpW)} W, PUE ${markdownText(s.pue)}, ${markdownText(s.gridKgPerKWh)} kg CO₂/kWh.\n\nClick to choose another hardware profile.`,
    );
    this.item.tooltip = tip;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
