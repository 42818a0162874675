import * as vscode from 'vscode';
import { HARDWARE_PROFILES, formatEnergy, formatSci, joulesPerFlopAtPeak } from '../core';
import { reportCsv, reportJson, reportTable, sortForReport } from '../core/estimate/reportFormats';
import { exclusionSummary, workspaceMessage, workspaceTotal, type WorkspaceTotal } from '../core/estimate/workspaceTotal';
import type { DocumentAnalysis } from '../core/estimate';
import { MAX_COMPARED, isSimulationSettings, simulationSettingsFrom, withExperiment, type SimulationSettings } from '../protocol/dashboard';
import { labelText, markdownText, notificationText } from '../core/text/escape';
import type { RunSummary } from '../protocol/runs';
import { DEVICE_CHOICES, SIMULATION_ALGORITHMS } from '../protocol/simulationChoices';
import type { AnalysisService } from './analysisService';
import { DashboardPanel, type DashboardDeps } from './dashboardPanel';
import { EXAMPLE_RUN_FILE } from './exampleRun';
import { saveBytes } from './exports';
import { readTextFile } from './files';
import { isNotebookPath } from '../core/python/notebook';
import { revealNotebookCell, revealNotebookFilePosition } from './notebookCells';
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
const REPORT_SCOPES = ['file', 'workspace'] as const;
const isReportScope = (x: unknown): x is (typeof REPORT_SCOPES)[number] => typeof x === 'string' && (REPORT_SCOPES as readonly string[]).includes(x);
const isLineNumber = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 10_000_000;

/** A file LIM Lens may open for a "read" link: one in a workspace folder, or a document already open. */
function isOpenable(uri: vscode.Uri): boolean {
  if (['command', 'http', 'https', 'mailto', 'javascript', 'data'].includes(uri.scheme)) return false;
  const key = uri.toString();
  return vscode.workspace.getWorkspaceFolder(uri) !== undefined || vscode.workspace.textDocuments.some((d) => d.uri.toString() === key) || vscode.workspace.notebookDocuments.some((nb) => nb.uri.toString() === key);
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

  /** The full analyses of runs of the index (files that could not be read are left out), paths workspace-relative. */
  const analyseRuns = async (runs: RunSummary[]): Promise<DocumentAnalysis[]> => {
    const texts = await Promise.all(runs.filter((r) => r.format !== 'not read').map(async (r) => ({ uri: vscode.Uri.parse(r.uri), text: await textOf(vscode.Uri.parse(r.uri)) })));
    if (texts.length === 0) return [];
    const results = await analysis.analyze(texts, 'full');
    // Paths in the report are workspace-relative, as a reader of the file expects.
    const rel = (p: string) => vscode.workspace.asRelativePath(texts[0].uri.with({ path: p }), true);
    return results
      .map((r) => r.analysis)
      .filter((a): a is DocumentAnalysis => a !== undefined)
      .map((a) => ({ ...a, file: rel(a.file), diagnostics: a.diagnostics.map((d) => ({ ...d, file: rel(d.file) })) }));
  };

  /** Files as the run lists summarise them, in the order given; a file that is no config says so. */
  const summariesOf = async (uris: vscode.Uri[]): Promise<RunSummary[]> => {
    const texts = await Promise.all(uris.map(async (uri) => ({ uri, text: await textOf(uri), explicit: true })));
    const results = await analysis.analyze(texts, 'figures');
    return uris.map((uri, i): RunSummary => {
      const figures = results[i]?.figures;
      const base = { id: uri.toString(), uri: uri.toString(), relativePath: vscode.workspace.asRelativePath(uri, true) };
      if (figures) return { ...figures, ...base };
      const message = results[i]?.analysis?.diagnostics[0]?.message ?? 'not a recognised model or training config';
      return { ...base, label: uri.path.slice(uri.path.lastIndexOf('/') + 1), format: 'not a config', hardwareId: '', hardwareName: '', definition: { line: 0, character: 0 }, diagnostics: [{ severity: 'error', message, line: 0, character: 0 }] };
    });
  };

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
    const analyses = await analyseRuns(runs);
    const total = workspaceTotal(analyses);
    const withProblems = runs.filter((r) => r.diagnostics.some((d) => d.severity === 'error')).length;
    const estimated = runs.filter((r) => r.energyJ !== undefined).length;
    const openReport = 'Open Report';
    const showProblems = 'Show Problems';
    void vscode.window
      .showInformationMessage(workspaceMessage(runs.length, estimated, total, withProblems), ...(analyses.length ? [openReport] : []), ...(withProblems ? [showProblems] : []))
      .then(async (choice) => {
        if (choice === showProblems) await vscode.commands.executeCommand('workbench.actions.view.problems');
        if (choice === openReport) {
          const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: reportMarkdown(analyses, 'the workspace', total) });
          await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
        }
      });
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
    // A notebook's definition is a position in its JSON text: opened in the notebook editor, at that cell.
    // (A notebook that cannot be read, or a position in no code cell, opens as text at that position.)
    const atCell = isNotebookPath(uri.path) ? await textOf(uri).then((text) => revealNotebookFilePosition(uri, text, pos.line, pos.character)).catch(() => false) : false;
    if (atCell) return;
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: false });
  });

  // The target of a hover's "read" link: the file and position a number was read from; in a notebook, the position
  // is in the cell given (0-based, as the notebook numbers its cells).
  register('limLens.revealSource', async (target?: string, line?: number, character?: number, cell?: number) => {
    const uri = isIdString(target) ? parseUri(target) : undefined;
    if (!uri || !isLineNumber(line) || !isLineNumber(character)) {
      log.warn('revealSource: ignored arguments that are not a file and a position');
      return;
    }
    if (!isOpenable(uri)) {
      void vscode.window.showWarningMessage(`LIM Lens: ${notificationText(uri.toString(true), 200)} is outside the workspace; it was not opened.`);
      return;
    }
    if (isNotebookPath(uri.path) && isLineNumber(cell) && (await revealNotebookCell(uri, cell, line, character).catch(() => false))) return;
    const pos = new vscode.Position(line, character);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: false });
  });

  register('limLens.runSimulation', async (given?: Partial<SimulationSettings>) => {
    let settings = simulationSettingsFrom(readSettings().simulation);
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
    let uris = Array.isArray(all) && all.length > 1 ? all.filter((u) => u instanceof vscode.Uri) : first instanceof vscode.Uri ? [first] : [];
    if (uris.length < 2) {
      await index.ensureScanned();
      const folder = (r: RunSummary) => r.relativePath.slice(0, Math.max(0, r.relativePath.lastIndexOf('/')));
      const candidates = index
        .list()
        .filter((r) => r.energyJ !== undefined || r.perUnitEnergyJ !== undefined)
        .sort((a, b) => folder(a).localeCompare(folder(b)) || a.label.localeCompare(b.label));
      const picks = await vscode.window.showQuickPick(
        candidates.map((r) => ({ label: labelText(r.label, 80), description: labelText(r.relativePath, 200), detail: r.energyJ !== undefined ? `≈ ${formatEnergy(r.energyJ)} on ${labelText(r.hardwareName)}` : undefined, uri: vscode.Uri.parse(r.uri), picked: uris.some((u) => u.toString() === r.uri) })),
        { title: 'Compare Configs', placeHolder: `Choose two to ${MAX_COMPARED} configs (type to search by name or path)`, canPickMany: true, matchOnDescription: true },
      );
      if (!picks) return undefined;
      uris = picks.map((p) => p.uri);
    }
    if (uris.length < 2) {
      void vscode.window.showWarningMessage('LIM Lens: choose at least two configs to compare.');
      return undefined;
    }
    if (uris.length > MAX_COMPARED) {
      void vscode.window.showWarningMessage(`LIM Lens: ${uris.length} configs chosen; the first ${MAX_COMPARED} are compared.`);
      uris = uris.slice(0, MAX_COMPARED);
    }
    const runs = await summariesOf(uris);
    DashboardPanel.show(deps).showComparison(runs);
    return runs;
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

  register('limLens.exportReport', async (format?: unknown, scope?: unknown) => {
    await index.ensureScanned();
    const runs = index.list();
    const active = vscode.window.activeTextEditor?.document.uri;
    const activeRun = active ? index.byUri(active) : undefined;
    if (runs.length === 0 && !activeRun) {
      void vscode.window.showWarningMessage('LIM Lens: no model or training configs in this workspace to report on.');
      return undefined;
    }
    // Scripted (a format given): the scope given, else the workspace. Asked: this file, when the active editor holds
    // a config, or the workspace.
    let where: 'file' | 'workspace' = isReportScope(scope) && (scope === 'workspace' || activeRun) ? scope : 'workspace';
    if (!isReportFormat(format) && activeRun && runs.length > 1) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'This file', description: labelText(activeRun.relativePath, 200), detail: labelText(activeRun.label, 120), id: 'file' as const },
          { label: 'The workspace', description: `${runs.length} configs`, detail: 'runs with an estimate first, largest energy first; then the others, with why', id: 'workspace' as const },
        ],
        { title: 'LIM Lens: export a report of…' },
      );
      if (!pick) return undefined;
      where = pick.id;
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
    const chosen = where === 'file' && activeRun ? [activeRun] : runs;
    const analyses = sortForReport(await analyseRuns(chosen));
    const content = fmt === 'json' ? reportJson(analyses) : fmt === 'csv' ? reportCsv(analyses) : reportMarkdown(analyses, where === 'file' ? analyses[0]?.file ?? 'this file' : 'the workspace', where === 'file' ? undefined : workspaceTotal(analyses));
    const bytes = new TextEncoder().encode(content);
    const ext = fmt === 'markdown' ? 'md' : fmt;
    const base = where === 'file' && activeRun ? `lim-lens-report-${activeRun.relativePath.replace(/^.*\//, '').replace(/[^\w.-]+/g, '_').replace(/\.[^.]*$/, '')}` : 'lim-lens-report';
    return saveBytes(`${base}.${ext}`, bytes, { [fmt.toUpperCase()]: [ext] });
  });

  register('limLens.exportAihwkit', async (given?: unknown) => {
    if (given !== undefined && !isSimulationSettings(given)) throw new Error('exportAihwkit: the settings given are not valid simulation settings');
    const settings = given ?? simulationSettingsFrom(readSettings().simulation);
    let algorithm: string | undefined = settings.algorithms.find((a) => a !== 'sgd') ?? settings.algorithms[0];
    const analogs = settings.algorithms.filter((a) => a !== 'sgd');
    if (analogs.length > 1) {
      algorithm = (await vscode.window.showQuickPick(analogs, { title: 'Export Simulation as aihwkit Script', placeHolder: 'Which algorithm' })) ?? undefined;
    }
    if (!algorithm) return undefined;
    const { script, caveats } = await deps.worker.run('aihwkitScript', { settings, algorithm });
    const bytes = new TextEncoder().encode(script);
    const saved = await saveBytes(`lim_lens_${settings.experiment.replace(/-/g, '_')}_${algorithm.replace(/-/g, '_')}.py`, bytes, { Python: ['py'] });
    // What aihwkit cannot reproduce (the expected mode) is said at the top of the script and here.
    if (saved && caveats.length > 0) void vscode.window.showWarningMessage(notificationText(`aihwkit export: ${caveats.join(' ')}`, 1000));
    return saved;
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

/**
 * The Markdown report: the table (in the order given: sortForReport), for the workspace the total with what it
 * leaves out, and each file without an estimate with its reason. Every string from a file is escaped.
 */
export function reportMarkdown(analyses: DocumentAnalysis[], scope: string, total?: WorkspaceTotal): string {
  const without = analyses.filter((a) => !a.report);
  const reason = (a: DocumentAnalysis) => (a.diagnostics.find((d) => d.severity === 'error') ?? a.diagnostics[0])?.message ?? 'not a recognised model or training config';
  return [
    `# LIM Lens energy report — ${markdownText(scope, 200)}`,
    '',
    ...(total && total.counted.length > 0
      ? [`**Total:** ≈ ${formatEnergy(total.energyJ)} on accelerators for ${total.counted.length} distinct run${total.counted.length === 1 ? '' : 's'}${total.excluded.length ? ` (${exclusionSummary(total)})` : ''}.`, '']
      : []),
    reportTable(analyses, 0, true),
    '',
    ...(without.length ? ['**Without an estimate**', '', ...without.map((a) => `- ${markdownText(a.file, 200)}: ${markdownText(reason(a), 300)}`), ''] : []),
  ].join('\n');
}

export type { RunSummary };
