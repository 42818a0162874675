import type { EnergyView } from '../../src/protocol/dashboard';
import { formatEnergy, formatSci, formatSig, formatCount } from '../../src/core/units/format';
import { axis, baseOptions, joulesLabel, logMin, type ChartRegistry } from '../shared/chartKit';
import { h, toCsv, toMarkdown } from '../shared/dom';
import { button } from '../shared/elements';
import { energyColors, withAlpha, type Palette } from '../shared/theme';
import type { Exporter } from './exporter';

const KIND_TAG: Record<string, string> = { model: '[model]', paper: '[paper]', data: '[data]', physics: '[physics]' };

/** The energy ladder of one run, the walls per paradigm, and the table of every bound with its provenance. */
export function renderEnergyTab(root: HTMLElement, view: EnergyView, p: Palette, charts: ChartRegistry, exporter: Exporter): void {
  const b = view.bounds;
  const e = b.energy;
  const x = b.inputs;
  const c = energyColors(p);

  const facts: Array<[string, string]> = [
    ['Parameters N', formatCount(x.params)],
    ['Training FLOPs', formatSci(x.flops, 3)],
    ['Updates per parameter U', formatSci(b.derived.updatesPerParameter, 3)],
    ['Precision b', `${x.bits} bit`],
    ['LIM bound', formatEnergy(e.lim)],
    [x.accelerator.name, formatEnergy(e.accelerator)],
    ['Accelerator / LIM', `${b.derived.ordersAcceleratorOverLim.toFixed(2)} orders`],
    ['LIM / Landauer', `${formatSig(b.derived.limOverLandauer, 3)}×`],
  ];
  const ladderCanvas = h('canvas', { id: 'chart-ladder', role: 'img', 'aria-label': 'Energy ladder, log scale' });
  const wallsCanvas = h('canvas', { id: 'chart-walls', role: 'img', 'aria-label': 'Walls per paradigm, log scale' });

  const rows: Array<[string, number, string]> = [
    ['Landauer (adiabatic) E_L', e.landauer, 'model'],
    ['LIM non-equilibrium E_neq', e.limNonEquilibrium, 'model'],
    ['LIM bound E_LIM', e.lim, 'model'],
    ['Static-barrier memory E_static', e.staticBarrier, 'model'],
    [`${x.accelerator.name}, ${Math.round(x.accelerator.utilization * 100)} % utilisation, PUE ${x.accelerator.pue}`, e.accelerator, 'data'],
  ];
  const header = ['bound', 'joules', 'energy', '× E_L', 'provenance'];
  const tableRows = rows.map(([label, j, kind]) => [label, formatSci(j, 4), formatEnergy(j), formatSig(j / e.landauer, 3), KIND_TAG[kind]]);
  const lim = b.results.find((r) => r.modelId === 'lim-reconstructed');

  root.replaceChildren(
    h('section', { class: 'facts', 'aria-label': 'Key figures' }, ...facts.map(([k, v]) => h('div', { class: 'fact' }, h('div', { class: 'fact-label' }, k), h('div', { class: 'fact-value' }, v)))),
    h(
      'div',
      { class: 'grid2' },
      h('figure', {}, h('figcaption', {}, 'Energy ladder', exportButtons(exporter, 'chart-ladder', 'energy-ladder')), h('div', { class: 'chart-box' }, ladderCanvas)),
      h('figure', {}, h('figcaption', {}, 'The three walls by paradigm', exportButtons(exporter, 'chart-walls', 'walls')), h('div', { class: 'chart-box' }, wallsCanvas)),
    ),
    h(
      'figure',
      {},
      h(
        'figcaption',
        {},
        'Bounds',
        h(
          'span',
          { class: 'actions' },
          button('CSV', () => exporter.table('bounds', 'csv', toCsv(header, rows.map(([l, j, k]) => [l, j, formatEnergy(j), j / e.landauer, KIND_TAG[k]]))), { icon: 'export', secondary: true }),
          button('Markdown', () => exporter.table('bounds', 'markdown', toMarkdown(header, tableRows, ['l', 'r', 'r', 'r', 'l'])), { icon: 'markdown', secondary: true }),
        ),
      ),
      h(
        'table',
        { class: 'data', id: 'bounds-table' },
        h('thead', {}, h('tr', {}, ...header.map((t, i) => h('th', { class: i > 0 && i < 4 ? 'num' : '' }, t)))),
        h('tbody', {}, ...tableRows.map((r) => h('tr', {}, ...r.map((cell, i) => h('td', { class: i > 0 && i < 4 ? 'num' : '' }, cell))))),
      ),
      h('p', { class: 'provenance' }, `[model] ${lim?.provenance.label ?? ''}. [data] hardware profile, utilisation and PUE. See docs/theory.md.`),
    ),
  );

  charts.set('chart-ladder', ladderCanvas, {
    type: 'bar',
    data: {
      labels: ['Landauer', 'LIM bound', 'Static barrier', x.accelerator.name],
      datasets: [
        {
          label: 'Energy',
          data: [e.landauer, e.lim, e.staticBarrier, e.accelerator],
          backgroundColor: [c.landauer, c.lim, c.staticBarrier, c.accelerator].map((col) => withAlpha(col, 0.85)),
          borderColor: [c.landauer, c.lim, c.staticBarrier, c.accelerator],
          borderWidth: 1,
        },
      ],
    },
    options: {
      ...baseOptions(p),
      indexAxis: 'y',
      scales: { x: { ...axis(p, 'joules (log scale)', 'logarithmic'), min: logMin([e.landauer]) }, y: axis(p, '', 'category') },
      plugins: { ...baseOptions(p).plugins, legend: { display: false }, tooltip: { callbacks: { label: (ctx) => `${formatSci(ctx.parsed.x ?? 0, 4)} J · ${formatEnergy(ctx.parsed.x ?? 0)}` } } },
    },
  });

  // Zero walls ("removed") are left out: a log axis has no zero, and the table under the chart says so.
  const wall = (v: number) => (v > 0 ? v : null);
  charts.set('chart-walls', wallsCanvas, {
    type: 'bar',
    data: {
      labels: b.walls.map((w) => w.label),
      datasets: [
        { label: 'Memory wall', data: b.walls.map((w) => wall(w.memoryJ)), backgroundColor: withAlpha(c.accelerator, 0.8) },
        { label: 'Update wall', data: b.walls.map((w) => wall(w.updateJ)), backgroundColor: withAlpha(c.landauer, 0.8) },
        { label: 'Consolidation wall', data: b.walls.map((w) => wall(w.consolidationJ)), backgroundColor: withAlpha(c.staticBarrier, 0.8) },
      ],
    },
    options: {
      ...baseOptions(p),
      scales: { x: axis(p, '', 'category'), y: { ...axis(p, 'joules (log scale)', 'logarithmic'), min: logMin(b.walls.flatMap((w) => [w.memoryJ, w.updateJ, w.consolidationJ])) } },
      plugins: { ...baseOptions(p).plugins, tooltip: { callbacks: { label: (ctx) => joulesLabel(ctx.dataset.label, ctx.parsed.y) } } },
    },
  });
}

export function exportButtons(exporter: Exporter, chartId: string, name: string): HTMLElement {
  return h('span', { class: 'actions' }, button('PNG', () => exporter.png(chartId, name), { icon: 'file-media', secondary: true, title: `Export ${name} as PNG` }));
}
