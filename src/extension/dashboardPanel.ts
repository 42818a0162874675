import * as vscode from 'vscode';
import { notificationText } from '../core/text/escape';
import { BOUND_PRESETS, findBoundPreset, type PartialBoundInputs } from '../core';
import type { EnergyReport } from '../core/estimate';
import {
  DashboardToHost,
  EXPERIMENT_CHOICES,
  presetLabel,
  simulationSettingsFrom,
  type DashboardTab,
  type HostToDashboard,
  type SimulationOptions,
  type SimulationSettings,
} from '../protocol/dashboard';
import { LatestRequest } from '../protocol/requests';
import { DEVICE_CHOICES } from '../protocol/simulationChoices';
import type { AnalysisService } from './analysisService';
import { saveBytes } from './exports';
import { readTextFile } from './files';
import { readSettings, updateSetting } from './settings';
import { hardwareOptions } from './sidebarView';
import type { SimulationRunner } from './simulationRunner';
import { testHooks } from './testHooks';
import { webviewHtml } from './webviewHtml';
import type { WorkerClient } from './workerClient';
import type { WorkspaceIndex } from './workspaceIndex';
import type { RunSummary } from '../protocol/runs';

export const DASHBOARD_VIEW_TYPE = 'limLens.dashboard';
/** A run's progress goes to the page at most this often (the worker reports every 100 ms). */
const PROGRESS_EVERY_MS = 250;
/**
 * The data paths this session's file dialog returned (for any panel, so a reloaded page's choice still runs). A
 * simulation runs only these: a page cannot make the worker read a file the person did not choose.
 */
const chosenDataPaths = new Set<string>();
/** Whether the settings' data path, if any, is one the file dialog returned. */
const dataChosen = (s: SimulationSettings): boolean => s.dataPath === undefined || chosenDataPaths.has(s.dataPath);
function withoutData(s: SimulationSettings): SimulationSettings {
  const out = { ...s };
  delete out.dataPath;
  return out;
}
const DEFAULT_SELECTION = 'preset:brain-scale';
/**
 * How long a new page may take to say it is ready before the panel is opened again. In VS Code web (code-server)
 * every webview shares one service-worker scope, and now and then a new webview's loader waits for a
 * controllerchange that never comes: the page stays blank and its script is never requested (seen in the
 * integration runs; docs/testing.md). A fresh panel loads. Desktop VS Code gives each webview its own origin.
 */
const STALLED_PAGE_MS = 20_000;

export interface DashboardDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  worker: WorkerClient;
  analysis: AnalysisService;
  index: WorkspaceIndex;
  simulations: SimulationRunner;
}

/** What the webview keeps with setState, and VS Code hands back to the serializer after a reload. */
interface PanelState {
  tab?: DashboardTab;
  selection?: string;
  settings?: SimulationSettings;
}

/** The bound inputs of a workspace run, as its report resolved them (so the ladder matches the hover). */
function inputsOfReport(r: EnergyReport): PartialBoundInputs {
  const a = r.accelerator;
  return {
    params: r.params.trained,
    flops: r.flops,
    bits: r.precisionBits,
    temperatureK: r.run.temperatureK.value,
    schedule: r.run.schedule,
    hardwareId: a.id,
    // The time route implies a utilisation; using it makes E_hw equal the report's device-hours × power × PUE.
    utilization: Math.min(1, a.utilization),
    pue: a.pue,
    powerW: a.powerW,
  };
}

/** The dashboard: one panel per window, restored after a reload, fed by the worker. */
export class DashboardPanel {
  private static current: DashboardPanel | undefined;
  private ready = false;
  private disposed = false;
  private queued: HostToDashboard[] = [];
  /** The panel that replaced this one when its page stalled: what is posted here goes there. */
  private successor: DashboardPanel | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  /** A test's stand-in for a page that never loads (testHooks.faults). */
  private readonly ignoreReady: boolean;
  private selection: string;
  /** The energy views asked for: only the latest one's answer (or error) is shown. */
  private readonly energyRequests = new LatestRequest();
  /** Whether the selection was given (a restored panel, a run asked for by name), not the default. */
  private chosen: boolean;
  /** The file in the active editor when the panel opened: its run is shown first when it has an estimate. */
  private preferred: vscode.Uri | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** Shows the dashboard (creating it if needed), optionally on a run or preset and a tab. */
  static show(deps: DashboardDeps, options: { selection?: string; tab?: DashboardTab } = {}): DashboardPanel {
    let d = DashboardPanel.current;
    if (d) d.panel.reveal(undefined, false);
    else {
      // Read before the panel takes the focus (a webview is no text editor): a new dashboard opens on the run in
      // the active editor when it has an estimate, else on the brain-scale preset.
      const active = vscode.window.activeTextEditor?.document.uri;
      const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'LIM Lens Dashboard', vscode.ViewColumn.Active, DashboardPanel.options(deps.extensionUri));
      d = new DashboardPanel(panel, deps, {});
      if (!options.selection && active) d.preferred = active;
    }
    if (options.selection) void d.select(options.selection);
    if (options.tab) d.post({ type: 'showTab', tab: options.tab });
    return d;
  }

  static get instance(): DashboardPanel | undefined {
    return DashboardPanel.current;
  }

  static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // Kept alive behind other editors: otherwise the page is loaded again when shown, and what only the page
      // holds (a comparison's curves, a simulation streaming meanwhile) is lost, while the host, still "ready",
      // posts into the reload (found by test/integration/suite/simulation.test.ts and the UI smoke test).
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  /** Restores the panel VS Code kept across a reload, with the state its webview saved. */
  static serializer(deps: DashboardDeps): vscode.WebviewPanelSerializer<PanelState> {
    return {
      async deserializeWebviewPanel(panel, state) {
        panel.webview.options = DashboardPanel.options(deps.extensionUri);
        DashboardPanel.current?.panel.dispose();
        new DashboardPanel(panel, deps, state ?? {});
      },
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DashboardDeps,
    state: PanelState,
    /** Opened again after a stalled page: a second stall is reported, not retried. */
    private readonly retry = false,
  ) {
    DashboardPanel.current = this;
    this.ignoreReady = testHooks.faults.stalledDashboardPage;
    testHooks.faults.stalledDashboardPage = false;
    this.selection = state.selection ?? DEFAULT_SELECTION;
    this.chosen = state.selection !== undefined;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'lim-lens.svg');
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, { script: 'dashboard', title: 'LIM Lens Dashboard' });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      deps.index.onDidChange(() => this.post({ type: 'runs', runs: deps.index.list() })),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('limLens')) return;
        this.post(this.initMessage());
        void this.select(this.selection);
      }),
    );
    // Timed only while the panel shows: a panel restored behind other editors loads its page when first shown.
    this.armWatchdog();
    this.disposables.push(panel.onDidChangeViewState(() => (panel.visible ? this.armWatchdog() : this.disarmWatchdog())));
    panel.onDidDispose(() => {
      this.disposed = true;
      this.disarmWatchdog();
      if (DashboardPanel.current === this) DashboardPanel.current = undefined;
      this.disposables.forEach((x) => x.dispose());
    });
    void deps.index.ensureScanned();
  }

  post(m: HostToDashboard): void {
    if (this.successor) {
      this.successor.post(m);
      return;
    }
    if (!this.ready) {
      this.queued.push(m);
      return;
    }
    void this.send(m);
  }

  private armWatchdog(): void {
    if (!this.ready && !this.disposed && this.panel.visible && !this.watchdog) this.watchdog = setTimeout(() => this.pageStalled(), testHooks.faults.dashboardStallMs ?? STALLED_PAGE_MS);
  }

  private disarmWatchdog(): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  /** The page did not say it is ready in time: open the panel again where it was, with what was waiting for it. */
  private pageStalled(): void {
    this.watchdog = undefined;
    if (this.ready || this.disposed || !this.panel.visible) return;
    const seconds = (testHooks.faults.dashboardStallMs ?? STALLED_PAGE_MS) / 1000;
    if (this.retry) {
      this.deps.log.error(`dashboard: the page has still not loaded ${seconds} s after the panel was opened again; close the dashboard and open it once more`);
      return;
    }
    this.deps.log.warn(`dashboard: the page did not load within ${seconds} s (the editor's webview loader stalled); opening the panel again`);
    const { viewColumn, active } = this.panel;
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'LIM Lens Dashboard', { viewColumn: viewColumn ?? vscode.ViewColumn.Active, preserveFocus: !active }, DashboardPanel.options(this.deps.extensionUri));
    // The selection as it stands: one chosen, or none yet (then the active editor's run, as this panel would have).
    const next = new DashboardPanel(panel, this.deps, { selection: this.chosen ? this.selection : undefined }, true);
    next.preferred = this.preferred;
    next.queued.push(...this.queued.splice(0));
    this.successor = next;
    this.panel.dispose();
  }

  /** Every message to the webview goes through here; the test hooks see what the page was sent. */
  private send(m: HostToDashboard): Thenable<boolean> {
    // A result that arrives after the panel was closed (an energy view, a simulation's points) is dropped:
    // posting to a disposed webview throws "Webview is disposed", which surfaced as an error notification
    // (found by test/integration/suite/sidebar.test.ts, closing the dashboard right after opening it).
    if (this.disposed) return Promise.resolve(false);
    testHooks.reportPosted('dashboard', m);
    return this.panel.webview.postMessage(m);
  }

  private initMessage(): HostToDashboard {
    const s = readSettings();
    const simulation: SimulationOptions = {
      devices: DEVICE_CHOICES.map((d) => ({ id: d.id, label: d.label })),
      experiments: EXPERIMENT_CHOICES.map((e) => ({ ...e })),
      defaults: simulationSettingsFrom(s.simulation),
    };
    return {
      type: 'init',
      hardware: hardwareOptions(),
      hardwareId: s.hardwareId,
      presets: BOUND_PRESETS.map((p) => ({ id: p.id, label: presetLabel(p.id) })),
      simulation,
    };
  }

  /**
   * Computes and shows the energy view of a run id (a file URI) or `preset:<id>`; `requestId` is the page's, when the
   * page asked (its `select`), and goes back with the answer. The latest request wins: an answer overtaken by a newer
   * request (another run, or the same one with other settings) is dropped, and so is its error.
   */
  async select(selection: string, requestId?: number): Promise<void> {
    this.selection = selection;
    this.chosen = true;
    try {
      const answer = await this.energyRequests.run(async () => {
        const { inputs, title } = await this.inputsFor(selection);
        return this.deps.worker.run('energyView', { inputs, selection, title });
      });
      if (!answer.stale) this.post({ type: 'energy', view: answer.value, requestId });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.deps.log.error(`dashboard: ${msg}`);
      this.post({ type: 'error', message: msg, requestId });
    }
  }

  private async inputsFor(selection: string): Promise<{ inputs: PartialBoundInputs; title: string }> {
    if (selection.startsWith('preset:')) {
      const preset = findBoundPreset(selection.slice(7));
      if (!preset) throw new Error(`unknown preset ${selection.slice(7)}`);
      const s = readSettings();
      const title = preset.id === 'brain-scale' ? 'Brain-scale model (1e15 parameters)' : preset.description;
      // The hardware chosen in the toolbar applies to presets too: with A100 chosen, a preset shows A100 figures.
      return { inputs: { ...preset.inputs, hardwareId: s.hardwareId, utilization: s.utilization, pue: s.pue, ...(s.powerW ? { powerW: s.powerW } : {}) }, title };
    }
    const uri = vscode.Uri.parse(selection);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open?.getText() ?? (await readTextFile(uri, readSettings(uri).maxFileSizeKB * 1024));
    if (typeof text !== 'string' && !text.ok) throw new Error(`${vscode.workspace.asRelativePath(uri)} ${text.reason}`);
    const [r] = await this.deps.analysis.analyze([{ uri, text: typeof text === 'string' ? text : text.text, explicit: true }], 'full');
    const report = r?.analysis?.report;
    if (!report) {
      const first = r?.analysis?.diagnostics.find((d) => d.severity === 'error');
      throw new Error(`no estimate for ${vscode.workspace.asRelativePath(uri)}${first ? `: ${first.message}` : ''}`);
    }
    return { inputs: inputsOfReport(report), title: `${report.name ?? report.modelType ?? 'Run'}${report.perRows ? ` (${report.perRows.label}: no total)` : ''} — ${vscode.workspace.asRelativePath(uri)}` };
  }

  /** Whether a file holds a run with an estimate (the active editor's config, when a new panel opens). */
  private async hasEstimate(uri: vscode.Uri): Promise<boolean> {
    if (this.deps.index.byUri(uri)?.flops !== undefined) return true;
    // Not (yet) in the index, or listed before its last edit: the editor's own text decides.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!open) return false;
    try {
      const [r] = await this.deps.analysis.analyze([{ uri, text: open.getText() }], 'figures');
      const yes = r?.recognised === true && r.figures?.flops !== undefined;
      if (!yes) this.deps.log.info(`dashboard: ${vscode.workspace.asRelativePath(uri)} in the active editor has no estimate; opening on the brain-scale preset`);
      return yes;
    } catch (e) {
      this.deps.log.warn(`dashboard: could not analyse ${vscode.workspace.asRelativePath(uri)}: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  /** Shows configs side by side on the compare tab (Compare Configs). */
  showComparison(runs: RunSummary[]): void {
    this.post({ type: 'comparison', runs });
    this.post({ type: 'showTab', tab: 'compare' });
  }

  /** Starts simulations from a command (the quick-pick flow) as if the dashboard's Run button was pressed. */
  runSimulation(settings: SimulationSettings): void {
    this.post({ type: 'showTab', tab: 'analog' });
    void this.simulate(settings);
  }

  private simulate(settings: SimulationSettings, sweep?: { param: 'tau' | 'noise' | 'lr'; values: number[] }): Promise<void> {
    if (!dataChosen(settings)) {
      // Said, not thrown: a command's run (runSimulation) has no caller to catch it.
      this.deps.log.warn('dashboard: a simulation asked for data the file dialog did not return in this session');
      void vscode.window.showErrorMessage('LIM Lens: the simulation\'s data was not chosen in this session: choose it again with the analog tab\'s data buttons.');
      return Promise.resolve();
    }
    const progressAt = new Map<string, number>();
    return this.deps.simulations.run(
      // The form's settings, with what it has no field for (the energy per pulse) from the settings as they are now.
      simulationSettingsFrom(readSettings().simulation, settings),
      {
        started: (simId, series, s, algorithm, index, total) =>
          // The batch's settings and this run's algorithm: the page's form shows what ran, also when a command
          // (not the form) started it.
          this.post({ type: 'simStarted', simId, series, settings: s, algorithm: algorithm as SimulationSettings['algorithms'][number], index, total }),
        points: (simId, points) => this.post({ type: 'simPoints', simId, points }),
        progress: (simId, fraction) => {
          const now = Date.now();
          if (now - (progressAt.get(simId) ?? -Infinity) < PROGRESS_EVERY_MS) return;
          progressAt.set(simId, now);
          this.post({ type: 'simProgress', simId, fraction });
        },
        done: (simId, summary) => this.post({ type: 'simDone', simId, summary }),
        failed: (simId, message) => this.post({ type: 'simError', simId, message }),
      },
      sweep,
    );
  }

  /**
   * The networks' data, from the file dialog: a folder of MNIST IDX files, or one IDX images file or CSV. The simulator
   * reads it with Node in the worker, so only a local file will do.
   */
  private async chooseData(folder: boolean): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: !folder,
      canSelectFolders: folder,
      canSelectMany: false,
      openLabel: 'Use as data',
      title: folder ? 'A folder of MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-…)' : 'An IDX images file (its labels file beside it) or a CSV',
    });
    const uri = picked?.[0];
    if (!uri) return;
    if (uri.scheme !== 'file') throw new Error(`the simulator reads local files only; ${uri.scheme}: is not one`);
    chosenDataPaths.add(uri.fsPath);
    this.post({ type: 'dataChosen', path: uri.fsPath, folder });
  }

  private onMessage(raw: unknown): void {
    const parsed = DashboardToHost.parse(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`dashboard: dropped a malformed message (${parsed.reason}) ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const m = parsed.value;
    if (m.type === 'ready' && this.ignoreReady) return;
    testHooks.reportMessage('dashboard', m);
    void this.handle(m).catch((e: unknown) => {
      const msg = e instanceof Error ? e.message : String(e);
      this.deps.log.error(`dashboard: ${msg}`);
      void vscode.window.showErrorMessage(`LIM Lens: ${notificationText(msg, 500)}`);
    });
  }

  private async handle(m: DashboardToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.disarmWatchdog();
        // Sent in one go, in order: awaiting each one let messages posted meanwhile (a simulation that started with
        // the panel streams its points) overtake the queued ones, so the page got a batch's simulations out of order
        // (found by test/integration/suite/simulation.test.ts). webview.postMessage keeps the order of its calls.
        this.ready = true;
        void this.send(this.initMessage());
        void this.send({ type: 'runs', runs: this.deps.index.list() });
        for (const q of this.queued.splice(0)) void this.send(q);
        if (!this.chosen && this.preferred && (await this.hasEstimate(this.preferred))) await this.select(this.preferred.toString());
        else await this.select(this.selection);
        break;
      case 'compare':
        await vscode.commands.executeCommand('limLens.compareConfigs');
        break;
      case 'select':
        await this.select(m.selection, m.requestId);
        break;
      case 'setHardware':
        await updateSetting('hardware', m.hardwareId);
        break;
      case 'openRun':
        await vscode.commands.executeCommand('limLens.openRun', m.runId);
        break;
      case 'simulate':
        await this.simulate(m.settings, m.sweep);
        break;
      case 'cancelSimulation':
        this.deps.simulations.cancel();
        break;
      case 'chooseData':
        await this.chooseData(m.folder);
        break;
      case 'exportPng':
        await saveBytes(`${m.name}.png`, Buffer.from(m.dataUrl.slice('data:image/png;base64,'.length), 'base64'), { PNG: ['png'] });
        break;
      case 'exportTable':
        await saveBytes(`${m.name}.${m.format === 'csv' ? 'csv' : 'md'}`, new TextEncoder().encode(m.content), m.format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] });
        break;
      case 'exportAihwkit':
        // Data not chosen in the dialog is dropped: the page cannot name a file for the worker to look at.
        await vscode.commands.executeCommand('limLens.exportAihwkit', dataChosen(m.settings) ? m.settings : withoutData(m.settings));
        break;
      case 'stateChanged':
        // Not adopted: the page echoes the selection it shows, which lags behind one the host is computing (a tab
        // switch right after "open this run" put the old one back, and the new run's view was dropped; found by
        // test/integration/suite/dashboard.test.ts). The page's own choices arrive as 'select'.
        break;
      case 'showGlossary':
        await vscode.commands.executeCommand('limLens.showGlossary');
        break;
      case 'rendered':
        break;
      case 'log':
        this.deps.log[m.level](`dashboard: ${m.message}`);
        break;
    }
  }
}
