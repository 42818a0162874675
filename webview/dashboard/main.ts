import { Chart, BarController, BarElement, CategoryScale, LogarithmicScale, Tooltip, Legend } from 'chart.js';
import type { EnergyBounds } from '../../src/core';
import { formatEnergy, formatSci } from '../../src/core/units/format';
import { isHostToDashboard, type DashboardToHost } from '../../src/protocol/webview';
import { vscodeApi } from '../vscodeApi';

Chart.register(BarController, BarElement, CategoryScale, LogarithmicScale, Tooltip, Legend);

const vscode = vscodeApi<unknown>();
const post = (m: DashboardToHost) => vscode.postMessage(m);
const app = document.getElementById('app') as HTMLElement;

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

let chart: Chart | undefined;
let shown: { bounds: EnergyBounds; title: string } | undefined;
/** Set by renderLadder; the next completed draw reports what is on screen (`rendered`, read by the tests). */
let pendingReport: { title: string; points: number } | undefined;

/** Canvas pixels that are not fully transparent. */
function paintedPixels(canvas: HTMLCanvasElement): number {
  const ctx = canvas.getContext('2d');
  if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
  return n;
}

const reportRendered = {
  id: 'limLensRendered',
  afterRender(c: Chart) {
    if (!pendingReport || c.width === 0) return;
    const { title, points } = pendingReport;
    pendingReport = undefined;
    post({ type: 'rendered', tab: 'energy', title, charts: [{ id: 'ladder', datasets: c.data.datasets.length, points, painted: paintedPixels(c.canvas) }] });
  },
};

function renderLadder(bounds: EnergyBounds, title: string): void {
  shown = { bounds, title };
  app.replaceChildren();
  const h = document.createElement('h1');
  h.textContent = title;
  const canvas = document.createElement('canvas');
  canvas.id = 'ladder';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'Energy ladder, log scale');
  app.append(h, canvas);
  const e = bounds.energy;
  const rows: Array<[string, number]> = [
    ['Landauer', e.landauer],
    ['LIM bound', e.lim],
    ['Static barrier', e.staticBarrier],
    [bounds.inputs.accelerator.name, e.accelerator],
  ];
  const fg = cssVar('--vscode-foreground', '#333');
  chart?.destroy();
  pendingReport = { title, points: rows.length };
  chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((r) => r[0]),
      datasets: [{ label: 'Energy (J)', data: rows.map((r) => r[1]), backgroundColor: cssVar('--vscode-charts-blue', '#3794ff') }],
    },
    options: {
      animation: false,
      indexAxis: 'y',
      scales: {
        x: { type: 'logarithmic', ticks: { color: fg, callback: (v) => formatSci(Number(v), 1) }, title: { display: true, text: 'joules (log scale)', color: fg } },
        y: { ticks: { color: fg } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (c) => `${formatSci(c.parsed.x ?? 0, 4)} J · ${formatEnergy(c.parsed.x ?? 0)}` } },
      },
    },
    plugins: [reportRendered],
  });
}

// VS Code switches themes by rewriting the body's class and the --vscode-* variables on <html>: redraw then,
// since the chart's colours are read from those variables.
const redraw = () => shown && renderLadder(shown.bounds, shown.title);
new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new MutationObserver(redraw).observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data;
  if (!isHostToDashboard(m)) {
    post({ type: 'log', level: 'warn', message: 'dropped a malformed message' });
    return;
  }
  if (m.type === 'bounds') renderLadder(m.bounds, m.title);
  else app.textContent = m.message;
});

post({ type: 'ready' });
