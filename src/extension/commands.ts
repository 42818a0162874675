import * as vscode from 'vscode';
import { HARDWARE_PROFILES, formatEnergy, formatSci, formatCount, formatInteger, formatSig, joulesPerFlopAtPeak } from '../core';
import { reportCsv, reportJson, reportTable } from '../core/estimate/reportFormats';
import type { DocumentAnalysis, EnergyReport } from '../core/estimate';
import { DEFAULT_SIMULATION_SETTINGS, isSimulationSettings, withExperiment, type SimulationSettings } from '../protocol/dashboard';
import { labelText, markdownText, notificationText } from '../core/text/escape';
import type { RunSummary } from '../protocol/runs';
import { DEVICE_CHOICES, SIMULATION_ALGORITHMS } from '../protocol/simulationChoices';
import type { AnalysisService } from './analysisService';
import { DashboardPanel, type DashboardDeps } from './dashboardPanel';
import { EXAMPLE_RUN_FILE } from './exampleRun';
import { saveBytes } from './exports';
import { readTextFile } from './files';
import { readSettings, updateSetting } from './settings';
import { SIDEBAR_VIEW_ID } from './sidebarView';
import type { WorkspaceIndex } from './workspaceIndex';

export interface CommandDeps extends DashboardDeps {
  analysis: AnalysisService;
  index: WorkspaceIndex;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Commands can be reached from a hover link, a webview, a menu or another extension, so each one checks the shape of
 * what it is given and ignores what it does not expect (it then asks, as it would with no argument). None takes a
 * place to write to: an export asks with a save dialog, every time.
 */
const REPORT_FORMATS = ['markdown', 'csv', 'json'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];
const isReportFormat = (x: unknown): x is ReportFormat => typeof x === 'string' && (REPORT_FORMATS as readonly string[]).includes(x);
/** A run id or URI string from LIM Lens's own views: a string of a sane length. */
const isIdString = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 4096;
const isLineNumber = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 10_000_000;

/** A file LIM Lens may open for a "read" link: one in a workspace folder, or a document already open. */
function isOpenable(uri: vscode.Uri): boolean {
  if (['command', 'http', 'https', 'mailto', 'javascript', 'data'].includes(uri.scheme)) return false;
  return vscode.workspace.getWorkspaceFolder(uri) !== undefined || vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
}

function parseUri(s: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(s, true);
  } catch {
    return undefined;
  }
}

async function textOf(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  const r = await readTextFile(uri, readSettings(uri).maxFileSizeKB * 1024);
  if (!r.ok) throw new Error(`${vscode.workspace.asRelativePath(uri)} ${r.reason}`);
  return r.text;
}

/** Each command takes optional arguments, so it is scriptable (and testable) as well as interactive. */
export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { analysis, index, log } = deps;
  const register = (id: string, fn: (...args: never[]) => unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: never[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          log.error(`${id}: ${errorText(e)}`);
          void vscode.window.showErrorMessage(`LIM Lens: ${notificationText(errorText(e), 500)}`);
          return undefined;
        }
      }),
    );

  register('limLens.estimateFile', async (target?: vscode.Uri) => {
    const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showWarningMessage('LIM Lens: open a model or training config first, or run it from the Explorer’s context menu.');
      return undefined;
    }
    const [r] = await analysis.analyze([{ uri, text: await textOf(uri), explicit: true }], 'full');
    const report = r?.analysis?.report;
    if (report) {
      DashboardPanel.show(deps, { selection: uri.toString(), tab: 'energy' });
      return report;
    }
    const first = r?.analysis?.diagnostics.find((d) => d.severity === 'error') ?? r?.analysis?.diagnostics[0];
    const where = first ? `${vscode.workspace.asRelativePath(uri)}:${first.line}:${first.column}${first.field ? ` (${first.field})` : ''}` : vscode.workspace.asRelativePath(uri);
    const problems = 'Show Problems';
    void vscode.window.showWarningMessage(`LIM Lens: no estimate for ${notificationText(where, 200)}: ${notificationText(first?.message ?? 'not a recognised config', 300)}`, problems).then((c) => {
      if (c === problems) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return r?.analysis;
  });

  register('limLens.estimateWorkspace', async () => {
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showWarningMessage('LIM Lens: open a folder first.');
      return [];
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'LIM Lens: reading configs', cancellable: true }, async (progress, token) => {
      let last = 0;
      const sub = index.onProgress((p) => {
        const pct = p.total ? (p.done / p.total) * 100 : 0;
        progress.report({ increment: pct - last, message: `${p.done} of ${p.total} files` });
        last = pct;
      });
      try {
        await index.rescan(token);
      } finally {
        sub.dispose();
      }
    });
    const runs = index.list();
    await vscode.commands.executeCommand(`${SIDEBAR_VIEW_ID}.focus`);
    const total = runs.reduce((s, r) => s + (r.energyJ ?? 0), 0);
    const withProblems = runs.filter((r) => r.diagnostics.some((d) => d.severity === 'error')).length;
    void vscode.window.showInformationMessage(
      `LIM Lens: ${runs.length} config${runs.length === 1 ? '' : 's'}` +
        (total > 0 ? ` · ≈ ${formatEnergy(total)} on accelerators in all` : '') +
        (withProblems ? ` · ${withProblems} with problems` : ''),
    );
    return runs;
  });

  register('limLens.openDashboard', (runId?: string) => {
    // A run asked for by name (CodeLens, hover, sidebar) is shown on the energy tab: left on the analog tab, the
    // page only changed its selector (found by the UI smoke test).
    const selection = isIdString(runId) ? runId : undefined;
    DashboardPanel.show(deps, { selection, tab: selection ? 'energy' : undefined });
  });

  // The "What do these numbers mean?" page: dist/GLOSSARY.md, written by the build from src/core/glossary.ts and
  // shipped in the package, shown in the Markdown preview (as text if the preview is unavailable).
  register('limLens.showGlossary', async () => {
    const uri = vscode.Uri.joinPath(context.extensionUri, 'dist', 'GLOSSARY.md');
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(uri, { preview: true });
    }
  });

  register('limLens.openRun', async (runId?: string) => {
    if (!isIdString(runId)) return;
    const run = index.get(runId);
    const uri = parseUri(run?.uri ?? runId);
    if (!uri || !isOpenable(uri)) {
      log.warn(`openRun: not a run or a workspace file, not opened: ${JSON.stringify(runId.slice(0, 200))}`);
      return;
    }
    const pos = new vscode.Position(run?.definition.line ?? 0, run?.definition.character ?? 0);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: false });
  });

  // The target of a hover's "read" link: the file and position a number was read from.
  register('limLens.revealSource', async (target?: string, line?: number, character?: number) => {
    const uri = isIdString(target) ? parseUri(target) : undefined;
    if (!uri || !isLineNumber(line) || !isLineNumber(character)) {
      log.warn('revealSource: ignored arguments that are not a file and a position');
      return;
    }
    if (!isOpenable(uri)) {
      void vscode.window.showWarningMessage(`LIM Lens: ${notificationText(uri.toString(true), 200)} is outside the workspace; it was not opened.`);
      return;
    }
    const pos = new vscode.Position(line, character);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: false });
  });

  register('limLens.runSimulation', async (given?: Partial<SimulationSettings>) => {
    const s = readSettings().simulation;
    let settings: SimulationSettings = { ...DEFAULT_SIMULATION_SETTINGS, device: s.device, mode: s.mode, tau: s.tau, lr: s.lr, noise: s.noise, steps: s.steps, seed: s.seed };
    if (given !== undefined && given !== null && typeof given === 'object' && !Array.isArray(given)) {
      const merged: unknown = { ...settings, ...given };
      if (!isSimulationSettings(merged)) throw new Error('runSimulation: the settings given are not valid simulation settings');
      settings = merged;
    } else {
      const experiment = await vscode.window.showQuickPick(
        [
          { label: 'Least squares', description: 'the paper’s Fig. 1–4 problem', id: 'least-squares' as const },
          { label: 'Scalar quadratic', description: 'Analog SGD’s closed-form bias', id: 'quadratic' as const },
          { label: 'MLP on handwritten digits', description: 'UCI digits, bundled', id: 'mlp-digits' as const },
        ],
        { title: 'Run Analog Training Simulation (1/3): experiment', placeHolder: 'What to train' },
      );
      if (!experiment) return undefined;
      const device = await vscode.window.showQuickPick(
        DEVICE_CHOICES.map((d) => ({ label: d.label, description: d.id, detail: d.detail, id: d.id, picked: d.id === settings.device })),
        { title: 'Run Analog Training Simulation (2/3): device', placeHolder: 'The resistive device the weights live on', matchOnDetail: true },
      );
      if (!device) return undefined;
      const labels: Record<string, string> = { sgd: 'Digital SGD', 'analog-sgd': 'Analog SGD', 'tiki-taka': 'Tiki-Taka (TT-v1)', ttv2: 'TTv2 (buffered transfer)', 'c-ttv2': 'c-TTv2 (chopped)' };
      const algorithms = await vscode.window.showQuickPick(
        SIMULATION_ALGORITHMS.map((a) => ({ label: labels[a], id: a, picked: ['sgd', 'analog-sgd', 'tiki-taka'].includes(a) })),
        { title: 'Run Analog Training Simulation (3/3): algorithms', placeHolder: 'Compare one or more', canPickMany: true },
      );
      if (!algorithms || algorithms.length === 0) return undefined;
      settings = { ...withExperiment(settings, experiment.id), device: device.id, algorithms: algorithms.map((a) => a.id) };
    }
    DashboardPanel.show(deps, { tab: 'analog' }).runSimulation(settings);
    return settings;
  });

  register('limLens.compareConfigs', async (first?: vscode.Uri, all?: vscode.Uri[]) => {
    let uris = Array.isArray(all) && all.length > 1 ? all : first instanceof vscode.Uri ? [first] : [];
    if (uris.length < 2) {
      await index.ensureScanned();
      const picks = await vscode.window.showQuickPick(
        index.list().filter((r) => r.energyJ !== undefined).map((r) => ({ label: labelText(r.label, 80), description: labelText(r.relativePath, 200), detail: r.energyJ ? `≈ ${formatEnergy(r.energyJ)} on ${labelText(r.hardwareName)}` : undefined, uri: vscode.Uri.parse(r.uri), picked: uris.some((u) => u.toString() === r.uri) })),
        { title: 'Compare Configs', placeHolder: 'Choose two or more configs', canPickMany: true, matchOnDescription: true },
      );
      if (!picks) return undefined;
      uris = picks.map((p) => p.uri);
    }
    if (uris.length < 2) {
      void vscode.window.showWarningMessage('LIM Lens: choose at least two configs to compare.');
      return undefined;
    }
    const texts = await Promise.all(uris.map(async (uri) => ({ uri, text: await textOf(uri), explicit: true })));
    const results = await analysis.analyze(texts, 'full');
    const markdown = comparisonMarkdown(results.map((r, i) => ({ path: vscode.workspace.asRelativePath(uris[i]), r })));
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('markdown.showPreviewToSide', doc.uri).then(undefined, () => undefined);
    return markdown;
  });

  register('limLens.selectHardware', async (id?: string) => {
    let chosen = typeof id === 'string' && HARDWARE_PROFILES.some((p) => p.id === id) ? id : undefined;
    if (!chosen) {
      const current = readSettings().hardwareId;
      const pick = await vscode.window.showQuickPick(
        HARDWARE_PROFILES.map((p) => ({
          label: `${p.id === current ? '$(check) ' : ''}${labelText(p.name)}`,
          description: p.id,
          detail: `${formatSci(p.peakFlops, 4)} FLOP/s ${p.peakPrecision} · ${p.tdpW} W · ${formatSci(joulesPerFlopAtPeak(p), 3)} J/FLOP at peak — ${p.source}`,
          id: p.id,
        })),
        { title: 'LIM Lens: hardware profile for estimates', placeHolder: 'Used when a config does not name its hardware', matchOnDetail: true },
      );
      chosen = pick?.id;
    }
    if (!chosen) return undefined;
    await updateSetting('hardware', chosen);
    return chosen;
  });

  register('limLens.exportReport', async (format?: unknown) => {
    await index.ensureScanned();
    const runs = index.list();
    if (runs.length === 0) {
      void vscode.window.showWarningMessage('LIM Lens: no model or training configs in this workspace to report on.');
      return undefined;
    }
    const fmt =
      (isReportFormat(format) ? format : undefined) ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'Markdown', description: 'a table for a README or a pull request', id: 'markdown' as const },
            { label: 'CSV', description: 'for a spreadsheet', id: 'csv' as const },
            { label: 'JSON', description: 'every number with its provenance, as `lim-lens estimate --json`', id: 'json' as const },
          ],
          { title: 'LIM Lens: export report' },
        )
      )?.id;
    if (!fmt) return undefined;
    const texts = await Promise.all(runs.filter((r) => r.format !== 'not read').map(async (r) => ({ uri: vscode.Uri.parse(r.uri), text: await textOf(vscode.Uri.parse(r.uri)) })));
    const results = await analysis.analyze(texts, 'full');
    // Paths in the report are workspace-relative, as a reader of the file expects.
    const rel = (p: string) => vscode.workspace.asRelativePath(texts[0].uri.with({ path: p }), true);
    const analyses = results
      .map((r) => r.analysis)
      .filter((a): a is DocumentAnalysis => a !== undefined)
      .map((a) => ({ ...a, file: rel(a.file), diagnostics: a.diagnostics.map((d) => ({ ...d, file: rel(d.file) })) }));
    const content = fmt === 'json' ? reportJson(analyses) : fmt === 'csv' ? reportCsv(analyses) : `# LIM Lens energy report\n\n${reportTable(analyses, 0, true)}\n`;
    const bytes = new TextEncoder().encode(content);
    const ext = fmt === 'markdown' ? 'md' : fmt;
    return saveBytes(`lim-lens-report.${ext}`, bytes, { [fmt.toUpperCase()]: [ext] });
  });

  register('limLens.exportAihwkit', async (given?: unknown) => {
    const s = readSettings().simulation;
    if (given !== undefined && !isSimulationSettings(given)) throw new Error('exportAihwkit: the settings given are not valid simulation settings');
    const settings: SimulationSettings = given ?? { ...DEFAULT_SIMULATION_SETTINGS, device: s.device, mode: s.mode, tau: s.tau, lr: s.lr, noise: s.noise, steps: s.steps, seed: s.seed };
    let algorithm: string | undefined = settings.algorithms.find((a) => a !== 'sgd') ?? settings.algorithms[0];
    const analogs = settings.algorithms.filter((a) => a !== 'sgd');
    if (analogs.length > 1) {
      algorithm = (await vscode.window.showQuickPick(analogs, { title: 'Export Simulation as aihwkit Script', placeHolder: 'Which algorithm' })) ?? undefined;
    }
    if (!algorithm) return undefined;
    const { script } = await deps.worker.run('aihwkitScript', { settings, algorithm });
    const bytes = new TextEncoder().encode(script);
    return saveBytes(`lim_lens_${settings.experiment.replace(/-/g, '_')}_${algorithm.replace(/-/g, '_')}.py`, bytes, { Python: ['py'] });
  });

  register('limLens.createExampleRun', async (folder?: unknown) => {
    // A folder given (the Explorer's context menu) must be in the workspace: this command writes a file there.
    const given = folder instanceof vscode.Uri && vscode.workspace.getWorkspaceFolder(folder) !== undefined ? folder : undefined;
    if (folder !== undefined && !given) log.warn('createExampleRun: ignored a folder outside the workspace');
    const base = given ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!base) {
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: EXAMPLE_RUN_FILE });
      await vscode.window.showTextDocument(doc);
      return doc.uri;
    }
    let uri = vscode.Uri.joinPath(base, 'example.lim.yaml');
    for (let i = 2; await exists(uri); i++) uri = vscode.Uri.joinPath(base, `example-${i}.lim.yaml`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(EXAMPLE_RUN_FILE));
    await vscode.window.showTextDocument(uri);
    return uri;
  });

  register('limLens.refresh', () => index.rescan());
  register('limLens.showLog', () => log.show());
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Side by side: the runs' key figures and how each compares with the first. */
export function comparisonMarkdown(items: Array<{ path: string; r: { analysis?: { report?: EnergyReport; diagnostics: Array<{ message: string }> } } }>): string {
  const head = ['', ...items.map((i) => markdownText(i.path, 120))];
  const rows: string[][] = [];
  const rep = items.map((i) => i.r.analysis?.report);
  const add = (label: string, f: (r: EnergyReport) => string) => rows.push([`**${label}**`, ...rep.map((r) => (r ? f(r) : '—'))]);
  add('Model', (r) => markdownText(r.name ?? r.modelType ?? '—', 80));
  add('Parameters', (r) => (r.params.total === r.params.active ? formatCount(r.params.total) : `${formatCount(r.params.total)} (${formatCount(r.params.active)} active)`));
  // A fine-tune without a total has per-unit figures (1,000 rows, an epoch, a million tokens): labelled, never compared.
  const per = (r: EnergyReport) => (r.perRows ? ` ${r.perRows.label}` : '');
  add('Tokens', (r) => (r.tokens !== undefined ? formatCount(r.tokens) : r.perRows ? 'no total' : '—'));
  add('Training FLOPs', (r) => `${formatSci(r.flops, 3)}${per(r)}`);
  add('Hardware', (r) => `${formatInteger(r.accelerator.devices)}× ${markdownText(r.accelerator.name)}`);
  add('Energy', (r) => `${formatEnergy(r.accelerator.energyJ)}${per(r)}`);
  add('Device-hours', (r) => `${formatSig(r.accelerator.deviceHours, 3)}${per(r)}`);
  add('CO₂', (r) => `${formatSig(r.accelerator.co2Kg / 1000, 3)} t${per(r)}`);
  add('LIM bound', (r) => (r.bounds ? `${formatSci(r.bounds.lim, 3)} J` : '—'));
  add('Accelerator / LIM', (r) => (r.bounds ? `${r.bounds.ordersAcceleratorOverLim.toFixed(1)} orders` : '—'));
  const base = rep[0];
  if (base) add('Energy vs first', (r) => (r === base || r.perRows || base.perRows ? '—' : `${formatSig(r.accelerator.energyJ / base.accelerator.energyJ, 3)}×`));
  const table = [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  const notes = items.filter((i) => !i.r.analysis?.report).map((i) => `- ${markdownText(i.path, 120)}: ${markdownText(i.r.analysis?.diagnostics[0]?.message ?? 'no estimate', 300)}`);
  return [
    '# LIM Lens — config comparison',
    '',
    table,
    '',
    ...(notes.length ? ['**Without an estimate**', '', ...notes, ''] : []),
    `Energy on accelerators at TDP × PUE; LIM bound: LIM model (reconstructed from the paper's stated assumptions and headline results). Generated ${new Date().toISOString().slice(0, 10)}.`,
    '',
  ].join('\n');
}

export type { RunSummary };
