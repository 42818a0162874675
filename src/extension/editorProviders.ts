import * as vscode from 'vscode';
import type { AnalysisService, FullAnalysis } from './analysisService';
import { fieldAtOffset } from '../core/configs/fields';
import { codeLensTitle, hoverMarkdown } from './hoverMarkdown';
import { labelText, plainText } from '../core/text/escape';
import { readSettings } from './settings';
import { cellPosition, isNotebookCell, joinedLocator, joinedOffset, joinNotebook, jsonLocator, notebookOfCell, type JoinedNotebook } from './notebookCells';

function notebookOf(cell: vscode.TextDocument): JoinedNotebook | undefined {
  const nb = notebookOfCell(cell);
  return nb ? joinNotebook(nb) : undefined;
}

/**
 * The editors LIM Lens reads: JSON (with comments), YAML, Megatron-style shell scripts, Python training scripts and
 * the Python cells of notebooks (read with the rest of their notebook, see notebookCells.ts).
 */
export const CONFIG_SELECTOR: vscode.DocumentSelector = [
  { language: 'json' }, { language: 'jsonc' }, { language: 'yaml' }, { language: 'shellscript' }, { language: 'python' },
  { notebookType: 'jupyter-notebook', language: 'python' },
];

/**
 * Hover over a config: over a field the engine read, the estimate of the whole run plus how that field moves it;
 * over the model's definition line, the estimate alone. Answers come from the per-document cache, so typing is
 * never blocked: a hover only waits for the worker when the document changed since the last analysis.
 */
export class EstimateHoverProvider implements vscode.HoverProvider {
  constructor(private readonly analysis: AnalysisService) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!readSettings(doc.uri).hoverEnabled) return undefined;
    try {
      return await this.hover(doc, position, token);
    } catch (e) {
      if (token.isCancellationRequested) return undefined; // (the shared analysis was cancelled with this hover)
      throw e;
    }
  }

  private async hover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (isNotebookCell(doc)) return this.cellHover(doc, position, token);
    // The token reaches the worker: a hover that moved on cancels its job unless another caller waits for it.
    const full = await this.analysis.analyzeDocument(doc, token);
    if (token.isCancellationRequested || !full.recognised || !full.analysis.format) return undefined;
    const offset = doc.offsetAt(position);
    const field = fieldAtOffset(full.analysis.fields, full.path, offset);
    const anchor = full.analysis.modelAnchor;
    const onAnchorLine = anchor !== undefined && anchor.line - 1 === position.line;
    if (!field && !onAnchorLine) return undefined;
    const info = field ? await this.analysis.fieldInfo(doc, offset, token) : undefined;
    if (token.isCancellationRequested) return undefined;
    const range = field ? new vscode.Range(doc.positionAt(field.offset), doc.positionAt(field.offset + field.length)) : doc.getWordRangeAtPosition(position);
    return new vscode.Hover(hoverMarkdown(full.analysis, doc.uri, doc.uri.toString(), info?.field ?? field, info?.sensitivity, jsonLocator(doc, full.path)), range);
  }

  /** A notebook cell: the run of the whole notebook (its code cells joined), the field under the cursor mapped into that text. */
  private async cellHover(cell: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const notebook = notebookOfCell(cell);
    if (!notebook) return undefined;
    const j = joinNotebook(notebook);
    const offset = joinedOffset(j, cell, position);
    if (offset === undefined) return undefined;
    const full = await this.analysis.analyzeDocument(j.doc, token);
    if (token.isCancellationRequested || !full.recognised || !full.analysis.format) return undefined;
    const field = fieldAtOffset(full.analysis.fields, full.path, offset);
    const anchor = full.analysis.modelAnchor;
    const onAnchorLine = anchor !== undefined && j.doc.positionAt(anchor.offset).line === j.doc.positionAt(offset).line;
    if (!field && !onAnchorLine) return undefined;
    const info = field ? await this.analysis.fieldInfo(j.doc, offset, token) : undefined;
    if (token.isCancellationRequested) return undefined;
    const start = field ? cellPosition(j, field.offset) : undefined;
    const end = field ? cellPosition(j, field.offset + field.length) : undefined;
    const range = start && end && start.cell.document === cell ? new vscode.Range(start.position, end.position) : cell.getWordRangeAtPosition(position);
    return new vscode.Hover(hoverMarkdown(full.analysis, notebook.uri, notebook.uri.toString(), info?.field ?? field, info?.sensitivity, joinedLocator(j, full.path)), range);
  }
}

/** "≈ 1.2 GWh · 9.8 days on 1,024× H100 SXM · 460 t CO₂ · LIM bound 102 kWh" atop each recognised config; refreshed after edits. */
export class EstimateCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analysis: AnalysisService) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument(() => this.refreshSoon()),
      analysis.onDidInvalidate(() => this.refreshSoon()),
    ];
  }

  /** Debounced: one refresh 400 ms after the last keystroke. */
  refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), 400);
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!readSettings(doc.uri).codeLensEnabled) return [];
    // A notebook's lens sits in the cell that defines its model (else its first code cell), at that line.
    const j = isNotebookCell(doc) ? notebookOf(doc) : undefined;
    if (isNotebookCell(doc) && !j) return [];
    let full: FullAnalysis;
    try {
      full = await this.analysis.analyzeDocument(j?.doc ?? doc, token);
    } catch {
      return [];
    }
    if (token.isCancellationRequested || !full.recognised || !full.analysis.format) return [];
    let top = new vscode.Range(0, 0, 0, 0);
    if (j) {
      const at = cellPosition(j, full.analysis.modelAnchor?.offset ?? 0);
      if (!at || at.cell.document.uri.toString() !== doc.uri.toString()) return [];
      top = new vscode.Range(at.position.line, 0, at.position.line, 0);
    }
    const r = full.analysis.report;
    if (!r) {
      const first = full.analysis.diagnostics.find((d) => d.severity === 'error') ?? full.analysis.diagnostics.find((d) => d.severity === 'warning');
      return [new vscode.CodeLens(top, { title: `$(warning) LIM Lens: ${labelText(first?.message ?? 'no estimate for this config', 120)}`, command: 'workbench.actions.view.problems', tooltip: 'Show the problems LIM Lens found' })];
    }
    // The same figures, units and caveat as the hover's first line (runHeadline), as label text.
    const title = codeLensTitle(r);
    return [
      // A notebook's run is its notebook's (the workspace scan's run id), not one cell's.
      new vscode.CodeLens(top, { title, command: 'limLens.openDashboard', arguments: [(j?.notebook.uri ?? doc.uri).toString()], tooltip: 'Open this run in the LIM Lens dashboard' }),
      new vscode.CodeLens(top, { title: '$(chip) change hardware', command: 'limLens.selectHardware', tooltip: 'Choose the accelerator profile for estimates' }),
    ];
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

/**
 * Problems in open configs (malformed JSON or YAML, missing or absurd fields) in the Problems panel, with the
 * file, line and field, refreshed as the document changes.
 */
export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('lim-lens');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analysis: AnalysisService) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 500)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      analysis.onDidInvalidate(() => vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 200))),
    ];
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
  }

  private schedule(doc: vscode.TextDocument, delayMs: number): void {
    // A notebook cell is read with its notebook (its problems are the notebook's, shown by the hover and the lens).
    if (vscode.languages.match(CONFIG_SELECTOR, doc) === 0 || isNotebookCell(doc)) return;
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(doc);
      }, delayMs),
    );
  }

  private async update(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return;
    try {
      const full = await this.analysis.analyzeDocument(doc);
      if (!full.recognised) {
        this.collection.delete(doc.uri);
        return;
      }
      const diags = full.analysis.diagnostics
        // Information stays out of Problems, except that the file is too large to read (the only word on it).
        .filter((d) => d.severity !== 'info' || d.code === 'file-too-large')
        .map((d) => {
          const here = d.file === full.path;
          const start = here ? doc.positionAt(d.offset) : new vscode.Position(0, 0);
          const end = here ? doc.positionAt(d.offset + Math.max(d.length, 1)) : new vscode.Position(0, 1);
          const diagnostic = new vscode.Diagnostic(
            new vscode.Range(start, end),
            plainText(here ? d.message : `${d.file}:${d.line}:${d.column}: ${d.message}`, 1000),
            d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
          );
          diagnostic.source = 'LIM Lens';
          diagnostic.code = d.field ? `${d.code} (${plainText(d.field, 80)})` : d.code;
          return diagnostic;
        });
      this.collection.set(doc.uri, diags);
    } catch {
      // The worker failed (and said so in the log); keep the previous problems rather than flicker.
    }
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.subscriptions.forEach((s) => s.dispose());
    this.collection.dispose();
  }
}
