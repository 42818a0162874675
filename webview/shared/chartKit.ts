import {
  Chart,
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type Plugin,
} from 'chart.js';
import { formatSci } from '../../src/core/units/format';
import { readPalette, withAlpha, type Palette } from './theme';

// The chart.js parts the views use (the import above), registered once: what is not registered is left out of the bundles.
Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Title, Tooltip);

/** A horizontal band across the plot between two y values, e.g. the paper's 1e8–1e9 J for brain scale. */
export interface BandOptions {
  from: number;
  to: number;
  /** Restrict the band to an x range (in data units); across the whole plot when absent. */
  xFrom?: number;
  xTo?: number;
  /** Drawn above the band; empty for none (a legend entry can name the band instead). */
  label: string;
  color: string;
}

const bandPlugin: Plugin = {
  id: 'limBand',
  beforeDatasetsDraw(chart, _args, options: { bands?: BandOptions[] }) {
    const { x, y } = chart.scales;
    if (!y || !options.bands?.length) return;
    const { ctx, chartArea } = chart;
    for (const b of options.bands) {
      const top = y.getPixelForValue(b.to);
      const bottom = y.getPixelForValue(b.from);
      const left = b.xFrom !== undefined && x ? Math.max(x.getPixelForValue(b.xFrom), chartArea.left) : chartArea.left;
      const right = b.xTo !== undefined && x ? Math.min(x.getPixelForValue(b.xTo), chartArea.right) : chartArea.right;
      ctx.save();
      ctx.fillStyle = withAlpha(b.color, 0.18);
      ctx.fillRect(left, top, right - left, bottom - top);
      ctx.strokeStyle = withAlpha(b.color, 0.7);
      ctx.strokeRect(left, top, right - left, bottom - top);
      if (b.label) {
        ctx.fillStyle = b.color;
        ctx.font = `11px ${readPalette().fontFamily}`;
        const w = ctx.measureText(b.label).width;
        ctx.fillText(b.label, Math.max(chartArea.left + 4, Math.min(left, right - w)), top - 4);
      }
      ctx.restore();
    }
  },
};

/** Tells the registry a chart finished drawing, so the page can report what is on screen. */
const renderedPlugin: Plugin = {
  id: 'limRendered',
  afterRender(chart) {
    if (chart.width > 0) renderListeners.forEach((l) => l(chart));
  },
};
const renderListeners = new Set<(chart: Chart) => void>();

Chart.register(bandPlugin, renderedPlugin);

/** Canvas pixels that are not fully transparent: 0 means nothing was drawn. */
export function paintedPixels(canvas: HTMLCanvasElement): number {
  const ctx = canvas.getContext('2d');
  if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
  return n;
}

/** The chart as a PNG data URL on the editor's background, so it reads the same outside VS Code. */
export function chartPng(chart: Chart): string {
  const src = chart.canvas;
  const out = document.createElement('canvas');
  out.width = src.width;
  out.height = src.height;
  const ctx = out.getContext('2d');
  if (!ctx) return chart.toBase64Image('image/png', 1);
  ctx.fillStyle = readPalette().background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(src, 0, 0);
  return out.toDataURL('image/png');
}

/** A log axis minimum one decade below the smallest positive value, so the smallest bar still shows. */
export function logMin(values: Array<number | null | undefined>): number | undefined {
  const positive = values.filter((v): v is number => typeof v === 'number' && v > 0);
  if (positive.length === 0) return undefined;
  return 10 ** (Math.floor(Math.log10(Math.min(...positive))) - 1);
}

/** Linear ticks: plain numbers up to 10^5, scientific above ("8e8", not "800,000,000"). */
export function linearTick(v: number): string {
  if (v === 0) return '0';
  return Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? formatSci(v, 2).replace(/\.0e/, 'e') : String(Number(v.toPrecision(4)));
}

/** Only powers of ten get a label on log axes: 1e6, 1e7 … */
export function logTicks(value: number | string): string {
  const v = Number(value);
  const exp = Math.log10(v);
  return Math.abs(exp - Math.round(exp)) < 1e-9 ? `1e${Math.round(exp)}` : '';
}

/** A themed axis; the result goes into a chart's `options.scales`. */
export function axis(p: Palette, title: string, type: 'linear' | 'logarithmic' | 'category' = 'linear'): Record<string, unknown> {
  return {
    type,
    title: { display: true, text: title, color: p.foreground },
    grid: { color: p.grid },
    border: { color: p.grid },
    ticks: {
      color: p.foreground,
      ...(type === 'logarithmic' ? { callback: (v: number | string) => logTicks(v) } : type === 'linear' ? { callback: (v: number | string) => linearTick(Number(v)) } : {}),
    },
  };
}

export function baseOptions(p: Palette) {
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    color: p.foreground,
    font: { family: p.fontFamily },
    plugins: {
      legend: { labels: { color: p.foreground, boxWidth: 12 } },
      tooltip: {},
    },
  };
}

/** Tooltip label: "LIM bound: 3.683e8 J". */
export function joulesLabel(datasetLabel: string | undefined, value: number | null): string {
  return `${datasetLabel ?? ''}: ${value === null ? '—' : formatSci(value, 4)} J`;
}

/**
 * Runs `fn` at most once every `everyMs`: the first request after a quiet interval at once, requests meanwhile
 * coalesced into one run at the end of the interval. Charts that stream (the analog tab's curves) redraw through
 * it, so however many runs stream, the page draws at most ~1000/everyMs times a second and the CPU goes to the
 * runs. A timer, not requestAnimationFrame: a hidden webview gets no frames, and its data must still land.
 */
export class Throttle {
  private lastAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fn: () => void,
    private readonly everyMs: number,
  ) {}

  request(): void {
    if (this.timer) return;
    const wait = this.lastAt + this.everyMs - performance.now();
    if (wait <= 0) this.run();
    else this.timer = setTimeout(() => this.run(), wait);
  }

  /** Drops a pending run (the charts were rebuilt from the full data). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  private run(): void {
    this.timer = undefined;
    this.lastAt = performance.now();
    this.fn();
  }
}

/**
 * The charts on the page by id: a chart is rebuilt (not patched) on theme change or new data, and the list is
 * what the page reports back to the extension after each render.
 */
export class ChartRegistry {
  private readonly charts = new Map<string, Chart>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private drawnAt = 0;

  /** `onRendered` runs once the charts have settled after a draw (debounced: resizes redraw several times). */
  constructor(private readonly onRendered?: () => void) {
    renderListeners.add((c) => {
      if ([...this.charts.values()].includes(c)) this.settled();
    });
  }

  private settled(): void {
    this.drawnAt = Date.now();
    if (!this.onRendered) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(this.onRendered, 60);
  }

  set<T extends ChartType>(id: string, canvas: HTMLCanvasElement, config: ChartConfiguration<T>): Chart<T> {
    this.charts.get(id)?.destroy();
    Chart.defaults.font.family = readPalette().fontFamily;
    const chart = new Chart(canvas, config as ChartConfiguration);
    this.charts.set(id, chart);
    // The first draw happens inside the constructor, before the chart is in the map: report it from here.
    if (chart.width > 0) this.settled();
    return chart as unknown as Chart<T>;
  }

  get(id: string): Chart | undefined {
    return this.charts.get(id);
  }

  delete(id: string): void {
    this.charts.get(id)?.destroy();
    this.charts.delete(id);
  }

  clear(): void {
    for (const c of this.charts.values()) c.destroy();
    this.charts.clear();
  }

  /** The wall clock (Date.now()) of the last draw: the report comes after a debounce and a pixel count. */
  get lastDrawAt(): number {
    return this.drawnAt;
  }

  /** How many charts are on the page (cheap: summary() reads every canvas back). */
  get size(): number {
    let n = 0;
    for (const c of this.charts.values()) if (c.canvas?.isConnected) n++;
    return n;
  }

  summary(): Array<{ id: string; datasets: number; points: number; painted: number }> {
    return [...this.charts.entries()]
      .filter(([, c]) => c.canvas?.isConnected)
      .map(([id, c]) => ({
        id,
        datasets: c.data.datasets.length,
        points: c.data.datasets.reduce((s, d) => s + d.data.filter((v) => v !== null && v !== undefined).length, 0),
        painted: paintedPixels(c.canvas),
      }));
  }
}
