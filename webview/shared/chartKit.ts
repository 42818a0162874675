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

Chart.register(
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
);

/** A horizontal band across the plot between two y values, e.g. the paper's 1e8–1e9 J for brain scale. */
export interface BandOptions {
  from: number;
  to: number;
  /** Restrict the band to an x range (in data units); across the whole plot when absent. */
  xFrom?: number;
  xTo?: number;
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
      ctx.fillStyle = b.color;
      ctx.font = `11px ${readPalette().fontFamily}`;
      const w = ctx.measureText(b.label).width;
      ctx.fillText(b.label, Math.max(chartArea.left + 4, Math.min(left, right - w)), top - 4);
      ctx.restore();
    }
  },
};

/** Paints the editor background under the chart so an exported PNG reads the same as on screen. */
const backgroundPlugin: Plugin = {
  id: 'limBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = readPalette().background;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

Chart.register(bandPlugin, backgroundPlugin);

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
      ...(type === 'logarithmic' ? { callback: (v: number | string) => logTicks(v) } : {}),
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
 * The charts on the page by id: a chart is rebuilt (not patched) on theme change or new data, and the list is
 * what the page reports back to the extension after each render.
 */
export class ChartRegistry {
  private readonly charts = new Map<string, Chart>();

  set<T extends ChartType>(id: string, canvas: HTMLCanvasElement, config: ChartConfiguration<T>): Chart<T> {
    this.charts.get(id)?.destroy();
    Chart.defaults.font.family = readPalette().fontFamily;
    const chart = new Chart(canvas, config as ChartConfiguration);
    this.charts.set(id, chart);
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

  summary(): Array<{ id: string; datasets: number; points: number }> {
    return [...this.charts.entries()]
      .filter(([, c]) => c.canvas?.isConnected)
      .map(([id, c]) => ({
        id,
        datasets: c.data.datasets.length,
        points: c.data.datasets.reduce((s, d) => s + d.data.filter((v) => v !== null && v !== undefined).length, 0),
      }));
  }
}
