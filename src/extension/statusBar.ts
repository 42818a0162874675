import * as vscode from 'vscode';
import { findHardware } from '../core';
import { labelText, markdownText } from '../core/text/escape';
import { formatSig } from '../core/units/format';
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
    // Numbers through the one formatter, as every other surface prints them.
    const util = `${formatSig(s.utilization * 100, 2)} %`;
    this.item.text = `$(pulse) ${labelText(name, 40)} · ${util}`;
    const power = s.powerW ?? profile?.tdpW;
    const tip = new vscode.MarkdownString(
      `**LIM Lens** — energy estimates use **${markdownText(profile?.name ?? s.hardwareId, 80)}** at ${util} utilisation, ` +
        `${power !== undefined ? `${formatSig(power, 3)} W` : 'the profile’s power'}, PUE ${formatSig(s.pue, 3)}, ${formatSig(s.gridKgPerKwh, 3)} kg CO₂/kWh.\n\nClick to choose another hardware profile.`,
    );
    this.item.tooltip = tip;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
