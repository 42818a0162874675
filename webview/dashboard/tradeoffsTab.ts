import type { EnergyView } from '../../src/protocol/dashboard';
import { formatSci, formatSig } from '../../src/core/units/format';
import { axis, baseOptions, joulesLabel, type ChartRegistry } from '../shared/chartKit';
import { h } from '../shared/dom';
import { energyColors, type Palette } from '../shared/theme';
import { exportButtons } from './energyTab';
import type { Exporter } from './exporter';
import { termTitle } from '../../src/core/glossary';
import { CHART_TITLES } from './labels';

/** Precision, speed (α) and the per-update barrier: the trade-offs the LIM model exposes. */
export function renderTradeoffsTab(root: HTMLElement, view: EnergyView, p: Palette, charts: ChartRegistry, exporter: Exporter): void {
  const c = energyColors(p);
  const s = view.sweeps;
  const canvases = {
    precision: h('canvas', { id: 'chart-precision', role: 'img', 'aria-label': 'Energy versus precision' }),
    alpha: h('canvas', { id: 'chart-alpha', role: 'img', 'aria-label': 'LIM bound versus schedule exponent alpha' }),
    barrier: h('canvas', { id: 'chart-barrier', role: 'img', 'aria-label': 'Per-update barrier versus update number' }),
  };
  const figure = (id: keyof typeof canvases, title: string, note: string) =>
    h('figure', {}, h('figcaption', { title: termTitle(title) }, title, exportButtons(exporter, `chart-${id}`, `tradeoff-${id}`)), h('p', { class: 'note' }, note), h('div', { class: 'chart-box' }, canvases[id]));
  root.replaceChildren(
    h(
      'div',
      { class: 'grid2' },
      figure('precision', CHART_TITLES.precision, 'Landauer and static-barrier energies grow linearly with the bits per parameter; the LIM bound adds the precision-independent E_neq.'),
      figure('alpha', CHART_TITLES.alpha, 'α = 0 is the Landauer floor; a faster-converging (steeper) schedule costs more barrier work per update.'),
    ),
    figure('barrier', CHART_TITLES.barrier, `The barrier a LIM cell dissipates at update n: α·ln n + b·ln 2, rising as training converges (U = ${formatSci(view.bounds.derived.updatesPerParameter, 3)}).`),
  );
  const line = (label: string, color: string, data: Array<{ x: number; y: number }>, dash?: number[]) => ({
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    pointRadius: 2,
    borderWidth: 2,
    borderDash: dash,
  });
  const opts = (xTitle: string, xType: 'linear' | 'logarithmic', yTitle: string, yType: 'linear' | 'logarithmic', label = true) => ({
    ...baseOptions(p),
    scales: { x: axis(p, xTitle, xType), y: axis(p, yTitle, yType) },
    plugins: { ...baseOptions(p).plugins, ...(label ? { tooltip: { callbacks: { label: (ctx: { dataset: { label?: string }; parsed: { y: number | null } }) => joulesLabel(ctx.dataset.label, ctx.parsed.y) } } } : {}) },
  });

  charts.set('chart-precision', canvases.precision, {
    type: 'line',
    data: {
      datasets: [
        line('Static-barrier memory', c.staticBarrier, s.precision.map((q) => ({ x: q.x, y: q.staticBarrier }))),
        line('LIM bound', c.lim, s.precision.map((q) => ({ x: q.x, y: q.lim }))),
        line('Landauer', c.landauer, s.precision.map((q) => ({ x: q.x, y: q.landauer }))),
      ],
    },
    options: opts('bits per parameter', 'linear', 'joules (log scale)', 'logarithmic'),
  });
  charts.set('chart-alpha', canvases.alpha, {
    type: 'line',
    data: {
      datasets: [
        line('LIM bound', c.lim, s.alpha.map((q) => ({ x: q.x, y: q.lim }))),
        line('Landauer floor', c.landauer, s.alpha.map((q) => ({ x: q.x, y: q.landauer })), [6, 4]),
      ],
    },
    options: opts('schedule exponent α', 'linear', 'joules', 'linear'),
  });
  charts.set('chart-barrier', canvases.barrier, {
    type: 'line',
    data: { datasets: [line('E_n / kT', c.lim, s.barrier.map((q) => ({ x: q.n, y: q.barrierKT })))] },
    options: {
      ...opts('update n (log scale)', 'logarithmic', 'barrier (kT)', 'linear', false),
      plugins: { ...baseOptions(p).plugins, tooltip: { callbacks: { label: (ctx: { parsed: { x: number | null; y: number | null } }) => `n = ${formatSci(ctx.parsed.x ?? 0, 3)}: ${formatSig(ctx.parsed.y ?? 0, 4)} kT` } } },
    },
  });
}
