import { plainText } from '../../src/core/text/escape';
import { DASHBOARD_TABS, DEFAULT_SIMULATION_SETTINGS, HostToDashboard, type DashboardTab, type DashboardToHost, type EnergyView, type SimulationSettings } from '../../src/protocol/dashboard';
import { LatestRequest } from '../../src/protocol/requests';
import type { HardwareOption, RunSummary } from '../../src/protocol/runs';
import { ChartRegistry } from '../shared/chartKit';
import { h } from '../shared/dom';
import { button, select } from '../shared/elements';
import { GLOSSARY_TITLE } from '../../src/core/glossary';
import { readPalette, watchTheme } from '../shared/theme';
import { vscodeApi } from '../vscodeApi';
import { AnalogTab } from './analogTab';
import { renderCompareTab } from './compareTab';
import { renderEnergyTab } from './energyTab';
import { Exporter } from './exporter';
import { renderScalingTab } from './scalingTab';
import { renderTradeoffsTab } from './tradeoffsTab';

/** What survives hiding, reloading and restarting the window (webview state is JSON). */
interface SavedState {
  tab: DashboardTab;
  selection?: string;
  settings?: SimulationSettings;
}

const TAB_LABELS: Record<DashboardTab, string> = { energy: 'Energy', scaling: 'Scaling', tradeoffs: 'Trade-offs', analog: 'Analog training', compare: 'Compare' };
const TAB_SHORT_LABELS: Partial<Record<DashboardTab, string>> = { analog: 'Analog' };

export class DashboardApp {
  private readonly vscode = vscodeApi<SavedState>();
  private readonly charts = new ChartRegistry(() => this.reportRendered());
  private readonly exporter: Exporter;
  private state: SavedState;
  private hardware: HardwareOption[] = [];
  private hardwareId = '';
  private presets: Array<{ id: string; label: string }> = [];
  private runs: RunSummary[] = [];
  /** The configs Compare Configs put side by side (the compare tab), in the order chosen. */
  private compared: RunSummary[] = [];
  private view: EnergyView | undefined;
  /** The page's `select` requests: an answer to an older one than the latest is dropped (the latest one's follows). */
  private readonly selects = new LatestRequest();
  private readonly analog: AnalogTab;
  private readonly panels = new Map<DashboardTab, HTMLElement>();
  private readonly header = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Dashboard selection' });
  private tabs: HTMLElement | undefined;

  constructor(private readonly root: HTMLElement) {
    this.state = this.vscode.getState() ?? { tab: 'energy' };
    this.exporter = new Exporter(this.charts, (m) => this.post(m));
    this.analog = new AnalogTab(
      { ...DEFAULT_SIMULATION_SETTINGS, ...this.state.settings },
      undefined,
      this.charts,
      this.exporter,
      (m) => this.post(m),
      (settings) => this.save({ settings }),
    );
  }

  start(): void {
    this.buildShell();
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.onMessage(event.data));
    watchTheme(() => this.renderActive());
    this.post({ type: 'ready' });
  }

  private post(m: DashboardToHost): void {
    this.vscode.postMessage(m);
  }

  private save(patch: Partial<SavedState>): void {
    this.state = { ...this.state, ...patch };
    this.vscode.setState(this.state);
    if (patch.tab || patch.selection) this.post({ type: 'stateChanged', tab: this.state.tab, selection: this.state.selection });
  }

  private buildShell(): void {
    const tabs = h('vscode-tabs', { 'aria-label': 'Dashboard sections' });
    for (const t of DASHBOARD_TABS) {
      // A side column shows the short label (the stylesheet picks one by width), so the five headers fit in 360 px.
      const [long, short] = [TAB_LABELS[t], TAB_SHORT_LABELS[t] ?? TAB_LABELS[t]];
      tabs.append(h('vscode-tab-header', { slot: 'header', id: `tab-${t}`, title: long }, ...(long === short ? [long] : [h('span', { class: 'wide-only' }, long), h('span', { class: 'narrow-only', 'aria-hidden': 'true' }, short)])));
      const panel = h('vscode-tab-panel', { id: `panel-${t}` }, h('div', { class: 'placeholder' }, h('vscode-progress-ring'), ' Computing…'));
      this.panels.set(t, panel);
      tabs.append(panel);
    }
    (tabs as unknown as { selectedIndex: number }).selectedIndex = DASHBOARD_TABS.indexOf(this.state.tab);
    tabs.addEventListener('vsc-tabs-select', (e: Event) => {
      const tab = DASHBOARD_TABS[(e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex];
      if (!tab || tab === this.state.tab) return;
      this.save({ tab });
      this.renderActive();
    });
    this.tabs = tabs;
    this.root.replaceChildren(h('header', { class: 'page-header' }, h('h1', {}, 'LIM Lens'), this.header), tabs);
  }

  private renderHeader(): void {
    const options = [
      ...this.presets.map((p) => ({ value: `preset:${p.id}`, label: p.label, description: 'preset' })),
      ...pickerRuns(this.runs).map((r) => ({ value: r.id, label: plainText(r.label, 80), description: plainText(r.relativePath, 200) })),
    ];
    const selection = this.view?.selection ?? this.state.selection ?? options[0]?.value ?? '';
    const count = this.runs.filter((r) => r.flops).length;
    this.header.replaceChildren(
      h(
        'label',
        { class: 'field run-field' },
        h('span', {}, count > 0 ? `Run (${count} in the workspace; type to search)` : 'Run'),
        select(options, selection, (v) => {
          this.save({ selection: v });
          this.post({ type: 'select', selection: v, requestId: this.selects.next() });
        }, 'Run to analyse: type part of its name to search', { search: true, id: 'run-picker' }),
      ),
      h('label', { class: 'field hardware-field' }, h('span', {}, 'Hardware'), select(this.hardware.map((x) => ({ value: x.id, label: x.name })), this.hardwareId, (v) => this.post({ type: 'setHardware', hardwareId: v }), 'Hardware profile', { id: 'hardware-picker' })),
      button(GLOSSARY_TITLE, () => this.post({ type: 'showGlossary' }), { icon: 'book', secondary: true, title: 'Open the glossary: what each term and number on this page means', id: 'glossary-button' }),
    );
  }

  private onMessage(raw: unknown): void {
    // What the host sent, as the protocol's schema reads it (extra fields dropped, text cut, null figures NaN).
    const m = HostToDashboard.parse(raw);
    if (!m.ok) {
      this.post({ type: 'log', level: 'warn', message: `dropped a malformed message (${m.reason}): ${JSON.stringify(raw)?.slice(0, 120)}` });
      return;
    }
    // An answer to a select the page has since replaced: the newer one's answer is on its way.
    if ((m.value.type === 'energy' || m.value.type === 'error') && m.value.requestId !== undefined && !this.selects.isLatest(m.value.requestId)) return;
    this.handle(m.value);
  }

  private handle(m: HostToDashboard): void {
    switch (m.type) {
      case 'init':
        this.hardware = m.hardware;
        this.hardwareId = m.hardwareId;
        this.presets = m.presets;
        this.analog.setOptions(m.simulation);
        if (!this.state.settings) this.save({ settings: m.simulation.defaults });
        this.renderHeader();
        if (this.state.tab === 'analog') this.renderActive();
        break;
      case 'runs':
        this.runs = m.runs;
        this.renderHeader();
        if (this.state.tab === 'scaling' && this.view) this.renderActive();
        break;
      case 'comparison':
        this.compared = m.runs;
        if (this.state.tab === 'compare') this.renderActive();
        break;
      case 'energy':
        this.view = m.view;
        this.save({ selection: m.view.selection });
        this.renderHeader();
        if (this.state.tab !== 'analog' && this.state.tab !== 'compare') this.renderActive();
        break;
      case 'showTab':
        this.save({ tab: m.tab });
        if (this.tabs) (this.tabs as unknown as { selectedIndex: number }).selectedIndex = DASHBOARD_TABS.indexOf(m.tab);
        this.renderActive();
        break;
      case 'simStarted':
        // A batch (digital SGD, Analog SGD, Tiki-Taka…) runs its simulations side by side; index 0 clears the
        // previous comparison. Guessing that from "nothing is running" cleared the curves between the members of a
        // batch, so only the last algorithm was ever shown (found by test/integration/suite/simulation.test.ts).
        {
          const fresh = m.index !== undefined ? m.index === 0 : !this.analog.isRunning;
          // The form shows the settings of the batch that runs (a command may have started it, not the form).
          if (fresh && m.algorithm !== undefined) {
            this.analog.setSettings(m.settings);
            this.save({ settings: m.settings });
          }
          this.analog.onStarted(m.simId, m.series, m.algorithm !== undefined ? { ...m.settings, algorithms: [m.algorithm] } : m.settings, fresh);
        }
        if (this.state.tab === 'analog') this.renderActive();
        break;
      case 'simPoints':
        if (!this.analog.onPoints(m.simId, m.points) && this.state.tab === 'analog') this.renderActive();
        break;
      case 'simProgress':
        this.analog.onProgress(m.simId, m.fraction);
        break;
      case 'dataChosen':
        // Saved with the settings (analog.onSettings); the form shows it as text.
        this.analog.onDataChosen(m.path);
        if (this.state.tab === 'analog') this.renderActive();
        break;
      case 'simDone':
        this.analog.onDone(m.simId, m.summary);
        if (this.state.tab === 'analog') this.renderActive();
        break;
      case 'simError':
        this.analog.onError(m.simId, plainText(m.message, 500));
        if (this.state.tab === 'analog') this.renderActive();
        break;
      case 'error':
        // Errors are about the energy selection (the host's select()): they go on the tabs that draw it. Put on the
        // active tab, an energy view that failed while a simulation ran (the worker killed, say) wiped the analog
        // tab, its settings, curves and status (found by test/integration/suite/worker.test.ts).
        for (const t of ['energy', 'scaling', 'tradeoffs'] as const) this.panels.get(t)?.replaceChildren(h('div', { class: 'error', role: 'alert' }, plainText(m.message, 500)));
        break;
    }
  }

  private renderActive(): void {
    const tab = this.state.tab;
    const panel = this.panels.get(tab);
    if (!panel) return;
    const p = readPalette();
    // Charts of other tabs are dropped: hidden canvases have no size, and the registry reports what is visible.
    this.charts.clear();
    if (tab === 'analog') this.analog.render(panel, p);
    else if (tab === 'compare') renderCompareTab(panel, this.compared, p, this.charts, this.exporter, () => this.post({ type: 'compare' }));
    else if (!this.view) return;
    else if (tab === 'energy') renderEnergyTab(panel, this.view, p, this.charts, this.exporter);
    else if (tab === 'scaling') renderScalingTab(panel, this.view, this.runs, p, this.charts, this.exporter);
    else renderTradeoffsTab(panel, this.view, p, this.charts, this.exporter);
    if (this.charts.size === 0) this.reportRendered();
  }

  /** Posted after the charts settle; the extension's test hooks read it (what is drawn, how many pixels). */
  private reportRendered(): void {
    const tab = this.state.tab;
    const title = tab === 'analog' ? 'Analog training' : tab === 'compare' ? `Comparison of ${this.compared.length}` : (this.view?.title ?? '');
    const charts = this.charts.summary();
    this.post({ type: 'rendered', tab, title, charts, drawnAt: charts.length ? this.charts.lastDrawAt : Date.now() });
  }
}

/**
 * The runs the picker offers (those with an estimate), sorted by folder and then by name, so the runs of one folder
 * stand together and a name is found by typing.
 */
export function pickerRuns(runs: RunSummary[]): RunSummary[] {
  const folder = (r: RunSummary) => r.relativePath.slice(0, Math.max(0, r.relativePath.lastIndexOf('/')));
  return runs
    .filter((r) => r.flops)
    .sort((a, b) => folder(a).localeCompare(folder(b)) || a.label.localeCompare(b.label) || a.relativePath.localeCompare(b.relativePath));
}
