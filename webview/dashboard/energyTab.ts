import type { EnergyView } from '../../src/protocol/dashboard';
import { formatEnergy, formatSci, formatSig, formatCount } from '../../src/core/units/format';
import { axis, baseOptions, joulesLabel, logMin, type ChartRegistry } from '../shared/chartKit';
import { h, toCsv, toMarkdown } from '../shared/dom';
import { button } from '../shared/elements';
import { energyColors, withAlpha, type Palette } from '../shared/theme';
import type { Exporter } from './exporter';
import { glossaryLine, termTitle } from '../../src/core/glossary';
import { BOUND_ROWS, BOUNDS_HEADER, CHART_TITLES, ENERGY_FACTS } from './labels';

const KIND_TAG: Record<string, string> = { model: '[model]', paper: '[paper]', data: '[data]', physics: '[physics]' };

/** The energy ladder of one run, the walls per paradigm, and the table of every bound with its provenance. */
export function renderEnergyTab(root: HTMLElement, view: EnergyView, p: Palette, charts: ChartRegistry, exporter: Exporter): void {
  const b = view.bounds;
  const e = b.energy;
  const x = b.inputs;
  const c = energyColors(p);

  const facts: Array<[string, string, string | undefined]> = [
    [ENERGY_FACTS.params, formatCount(x.params), termTitle(ENERGY_FACTS.params)],
    [ENERGY_FACTS.flops, formatSci(x.flops, 3), termTitle(ENERGY_FACTS.flops)],
    [ENERGY_FACTS.updates, formatSci(b.derived.updatesPerParameter, 3), termTitle(ENERGY_FACTS.updates)],
    [ENERGY_FACTS.precision, `${x.bits} bit`, termTitle(ENERGY_FACTS.precision)],
    [ENERGY_FACTS.lim, formatEnergy(e.lim), termTitle(ENERGY_FACTS.lim)],
    [x.accelerator.name, formatEnergy(e.accelerator), glossaryLine('accelerator')],
    [ENERGY_FACTS.orders, `${b.derived.ordersAcceleratorOverLim.toFixed(2)} orders`, termTitle(ENERGY_FACTS.orders)],
    [ENERGY_FACTS.ratio, `${formatSig(b.derived.limOverLandauer, 3)}×`, termTitle(ENERGY_FACTS.ratio)],
  ];
  const ladderCanvas = h('canvas', { id: 'chart-ladder', role: 'img', 'aria-label': 'Energy ladder, log scale' });
  const wallsCanvas = h('canvas', { id: 'chart-walls', role: 'img', 'aria-label': 'Walls per paradigm, log scale' });

  const rows: Array<[string, number, string]> = [
    [BOUND_ROWS.landauer, e.landauer, 'model'],
    [BOUND_ROWS.neq, e.limNonEquilibrium, 'model'],
    [BOUND_ROWS.lim, e.lim, 'model'],
    [BOUND_ROWS.staticBarrier, e.staticBarrier, 'model'],
    [`${x.accelerator.name}, ${Math.round(x.accelerator.utilization * 100)} % utilisation, PUE ${x.accelerator.pue}`, e.accelerator, 'data'],
  ];
  const header = BOUNDS_HEADER;
  // Each row's tooltip is its term's glossary line (the accelerator row: what the accelerator energy is).
  const rowTitles = rows.map(([label], i) => termTitle(label) ?? (i === rows.length - 1 ? glossaryLine('accelerator') : undefined));
  const tableRows = rows.map(([label, j, kind]) => [label, formatSci(j, 4), formatEnergy(j), formatSig(j / e.landauer, 3), KIND_TAG[kind]]);
  const lim = b.results.find((r) => r.modelId === 'lim-reconstructed');

  root.replaceChildren(
    h('section', { class: 'facts', 'aria-label': 'Key figures' }, ...facts.map(([k, v, t]) => h('div', { class: 'fact', title: t }, h('div', { class: 'fact-label' }, k), h('div', { class: 'fact-value' }, v)))),
    h(
      'div',
      { class: 'grid2' },
      h('figure', {}, h('figcaption', { title: termTitle(CHART_TITLES.ladder) }, CHART_TITLES.ladder, exportButtons(exporter, 'chart-ladder', 'energy-ladder')), h('div', { class: 'chart-box' }, ladderCanvas)),
      h('figure', {}, h('figcaption', { title: termTitle(CHART_TITLES.walls) }, CHART_TITLES.walls, exportButtons(exporter, 'chart-walls', 'walls')), h('div', { class: 'chart-box' }, wallsCanvas)),
    ),
    h(
      'figure',
      {},
      h(
        'figcaption',
        { title: termTitle(CHART_TITLES.bounds) },
        CHART_TITLES.bounds,
        h(
          'span',
          { class: 'actions' },
          button('CSV', () => exporter.table('bounds', 'csv', toCsv(header, rows.map(([l, j, k]) => [l, j, formatEnergy(j), j / e.landauer, KIND_TAG[k]]))), { icon: 'export', secondary: true }),
          button('Markdown', () => exporter.table('bounds', 'markdown', toMarkdown(header, tableRows, ['l', 'r', 'r', 'r', 'l'])), { icon: 'markdown', secondary: true }),
        ),
      ),
      h(
        'table',
        { class: 'data stack', id: 'bounds-table' },
        h('thead', {}, h('tr', {}, ...header.map((t, i) => h('th', { class: i > 0 && i < 4 ? 'num' : '', title: termTitle(t) }, t)))),
        h('tbody', {}, ...tableRows.map((r, j) => h('tr', {}, ...r.map((cell, i) => h('td', { class: i === 0 ? 'row-head' : i < 4 ? 'num' : '', 'data-label': i > 0 ? header[i] : undefined, title: i === 0 ? rowTitles[j] : i === 4 ? termTitle(cell) : undefined }, cell))))),
      ),
      h('p', { class: 'provenance' }, `The LIM, Landauer and static-barrier bounds are physical floors for hypothetical learning-in-memory hardware, not estimates of this run. [model] ${lim?.provenance.label ?? ''}. [data] hardware profile, utilisation and PUE.`),
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
      // Each paradigm's name on lines of at most 16 characters, level: rotated, they took half a narrow chart.
      labels: b.walls.map((w) => wrapLabel(w.label, 16)),
      datasets: [
        { label: 'Memory wall', data: b.walls.map((w) => wall(w.memoryJ)), backgroundColor: withAlpha(c.accelerator, 0.8) },
        { label: 'Update wall', data: b.walls.map((w) => wall(w.updateJ)), backgroundColor: withAlpha(c.landauer, 0.8) },
        { label: 'Consolidation wall', data: b.walls.map((w) => wall(w.consolidationJ)), backgroundColor: withAlpha(c.staticBarrier, 0.8) },
      ],
    },
    options: {
      ...baseOptions(p),
      scales: {
        x: { ...axis(p, '', 'category'), ticks: { color: p.foreground, maxRotation: 0, autoSkip: false } },
        y: { ...axis(p, 'joules (log scale)', 'logarithmic'), min: logMin(b.walls.flatMap((w) => [w.memoryJ, w.updateJ, w.consolidationJ])) },
      },
      plugins: { ...baseOptions(p).plugins, tooltip: { callbacks: { label: (ctx) => joulesLabel(ctx.dataset.label, ctx.parsed.y) } } },
    },
  });
}

/** A label as lines of at most `width` characters, broken at spaces (a word longer than that keeps its line). */
export function wrapLabel(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

export function exportButtons(exporter: Exporter, chartId: string, name: string): HTMLElement {
  return h('span', { class: 'actions' }, button('PNG', () => exporter.png(chartId, name), { icon: 'file-media', secondary: true, title: `Export ${name} as PNG` }));
}
