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

function renderLadder(bounds: EnergyBounds, title: string): void {
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
  });
}

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
