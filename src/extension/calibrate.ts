import * as vscode from 'vscode';
import type { CalibratedSetting, CalibrationProposal, SettingProposal } from '../core/measured/calibrate';
import { notificationText } from '../core/text/escape';
import { formatInteger, formatSig } from '../core/units/format';
import type { AnalysisService } from './analysisService';
import { readTextFile } from './files';
import { readSettings, updateSetting } from './settings';
import { testHooks } from './testHooks';
import type { WorkerClient } from './workerClient';
import type { WorkspaceIndex } from './workspaceIndex';

export const CALIBRATE_COMMAND = 'limLens.calibrateFromMeasured';

export interface CalibrateDeps {
  analysis: AnalysisService;
  index: WorkspaceIndex;
  worker: WorkerClient;
}

export interface CalibrateResult {
  proposal: CalibrationProposal;
  /** The settings written (none unless the user agreed). */
  applied: CalibratedSetting[];
}

const SETTING_KEYS: readonly CalibratedSetting[] = ['utilization', 'powerW'];
const SETTING_WORDS: Record<CalibratedSetting, string> = { utilization: 'Utilisation (limLens.utilization)', powerW: 'Power per device (limLens.powerW)' };

/**
 * The command's one optional argument, `{ settings: ['utilization'] }`, limits which settings are proposed. Anything
 * else (a URI from a menu, a stray value from a link) is ignored and the command proposes both, as with none.
 */
function settingsAsked(given: unknown): readonly CalibratedSetting[] {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) return SETTING_KEYS;
  const s = (given as { settings?: unknown }).settings;
  if (!Array.isArray(s) || s.length === 0 || s.length > SETTING_KEYS.length) return SETTING_KEYS;
  const keys = SETTING_KEYS.filter((k) => s.includes(k));
  return keys.length === s.length ? keys : SETTING_KEYS;
}

const shown = (key: CalibratedSetting, v: number | undefined) =>
  v === undefined ? "the hardware profile's TDP" : key === 'utilization' ? formatSig(v, 2) : `${formatSig(v, 3)} W`;

/** "0.4 → 0.31, from 3 runs (CodeCarbon run 8a1d9822 in runs/a/config.json, …)": names come from files, escaped. */
function proposalLine(p: SettingProposal): string {
  const which = p.from
    .slice(0, 5)
    .map((f) => `${f.label} in ${vscode.workspace.asRelativePath(vscode.Uri.file(f.file))}`)
    .join('; ');
  const more = p.from.length > 5 ? `; ${formatInteger(p.from.length - 5)} more` : '';
  return notificationText(`${SETTING_WORDS[p.key]}: ${shown(p.key, p.current)} → ${shown(p.key, p.proposed)}, from ${p.from.length} run${p.from.length === 1 ? '' : 's'} (${which}${more})`, 600);
}

/** A modal question; a test queues its answer in testHooks.confirmations instead of clicking (the product never does). */
async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  testHooks.confirmations.asked.push({ message, detail, items: [action] });
  if (testHooks.confirmations.answers.length > 0) return testHooks.confirmations.answers.shift() === action;
  return (await vscode.window.showInformationMessage(message, { modal: true, detail }, action)) === action;
}

/**
 * Proposes utilisation and power settings from the measured runs of the workspace (the worker computes them), shows
 * "current → proposed, from N runs (which)" and writes the settings only when the user agrees.
 */
export async function calibrateFromMeasured(deps: CalibrateDeps, given?: unknown): Promise<CalibrateResult | undefined> {
  const keys = settingsAsked(given);
  await deps.index.ensureScanned();
  // Runs with an estimate that a record joins; a record alone has nothing to calibrate against.
  const runs = deps.index.list().filter((r) => r.measuredLabel !== undefined && r.paramsTotal !== undefined);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(
      'LIM Lens: no measured run beside a config in this workspace. Put the record of a finished run (CodeCarbon\'s emissions.csv, the Trainer\'s trainer_state.json, W&B\'s wandb-summary.json) in the folder of its config to calibrate from it.',
    );
    return undefined;
  }
  const maxBytes = readSettings().maxFileSizeKB * 1024;
  const docs: Array<{ uri: vscode.Uri; text: string }> = [];
  for (const r of runs) {
    const uri = vscode.Uri.parse(r.uri);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.uri);
    const read = open ? { ok: true as const, text: open.getText() } : await readTextFile(uri, maxBytes);
    if (read.ok) docs.push({ uri, text: read.text });
  }
  const analysed = await deps.analysis.analyze(docs, 'full');
  const settings = readSettings();
  const full = await deps.worker.run('calibrate', {
    analyses: analysed.flatMap((a) => (a.analysis ? [a.analysis] : [])),
    current: { utilization: settings.utilization, ...(settings.powerW !== undefined ? { powerW: settings.powerW } : {}) },
  });
  const proposal: CalibrationProposal = { ...full, proposals: full.proposals.filter((p) => keys.includes(p.key)) };
  if (proposal.proposals.length === 0) {
    const why = proposal.runs
      .slice(0, 5)
      .map((r) => `${r.label}: ${keys.map((k) => r.skipped[k] ?? (r[k] !== undefined ? `${k} ${shown(k, r[k])} (as set)` : '')).filter(Boolean).join('; ')}`)
      .join(' · ');
    void vscode.window.showInformationMessage(notificationText(`LIM Lens: nothing to change from ${proposal.runs.length} measured run${proposal.runs.length === 1 ? '' : 's'}. ${why}`, 1000));
    return { proposal, applied: [] };
  }
  const detail = [
    ...proposal.proposals.map(proposalLine),
    '',
    'Each value is the median over the runs: utilisation = FLOPs ÷ (measured time × devices × peak FLOP/s); power = measured energy ÷ (measured time × devices).',
  ].join('\n');
  const n = proposal.proposals.length;
  const ok = await confirm(`Change ${n === 1 ? 'this setting' : `these ${n} settings`} to match the measured runs?`, detail, 'Apply');
  if (!ok) return { proposal, applied: [] };
  for (const p of proposal.proposals) await updateSetting(p.key, p.proposed);
  void vscode.window.showInformationMessage(notificationText(`LIM Lens: ${proposal.proposals.map((p) => `${p.key} = ${shown(p.key, p.proposed)}`).join(', ')}; estimates now use the measured runs' figures.`, 500));
  return { proposal, applied: proposal.proposals.map((p) => p.key) };
}
