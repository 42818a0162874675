import type { RunSummary } from '../../src/protocol/runs';
import { plainText } from '../../src/core/text/escape';
import { formatCO2, formatCount, formatEnergy, formatSci, formatSig } from '../../src/core/units/format';
import { glossaryLine } from '../../src/core/glossary';
import { axis, baseOptions, logMin, type ChartRegistry } from '../shared/chartKit';
import { h, toCsv, toMarkdown } from '../shared/dom';
import { button } from '../shared/elements';
import { energyColors, withAlpha, type Palette } from '../shared/theme';
import { exportButtons } from './energyTab';
import type { Exporter } from './exporter';
import { COMPARE_CHART, COMPARE_COLUMNS, COMPARE_HEADER } from './labels';

/** Why a config in the comparison has no total: its first error, else its first warning, else what it lacks. */
export function missingReason(r: RunSummary): string {
  if (r.perUnitEnergyJ !== undefined && r.perUnit) return `no total: ${formatEnergy(r.perUnitEnergyJ)} ${r.perUnit}`;
  const d = r.diagnostics.find((x) => x.severity === 'error') ?? r.diagnostics.find((x) => x.severity === 'warning');
  return d ? d.message : 'no estimate';
}

/** A run's name on lines of at most `width` characters, broken after a space, "/" or "·" (a longer piece keeps its line). */
export function nameLines(name: string, width: number): string[] {
  const lines: string[] = [];
  for (const piece of name.split(/(?<=[\s/·])/)) {
    const last = lines.at(-1);
    if (last !== undefined && (last + piece).trimEnd().length <= width) lines[lines.length - 1] = last + piece;
    else lines.push(piece);
  }
  return lines.map((l) => l.trim()).filter(Boolean);
}

/** A path with a line-break opportunity after each "/", so a narrow cell breaks it between folders, not inside a name. */
function pathPieces(path: string): Array<string | HTMLElement> {
  return path.split(/(?<=\/)/).flatMap((piece, i) => (i === 0 ? [piece] : [h('wbr'), piece]));
}

/** The figures of one compared config, as the table shows them (text) and exports them (numbers where there are). */
export function comparisonRows(runs: RunSummary[]): string[][] {
  const first = runs.find((r) => r.energyJ !== undefined);
  return runs.map((r) => {
    const name = plainText(r.label, 80);
    if (r.energyJ === undefined) return [name, r.paramsTotal !== undefined ? formatCount(r.paramsTotal) : '—', '—', '—', '—', '—', '—', plainText(missingReason(r), 200)];
    const params = r.paramsActive !== undefined && r.paramsTotal !== undefined && r.paramsActive !== r.paramsTotal ? `${formatCount(r.paramsTotal)} (${formatCount(r.paramsActive)} active)` : r.paramsTotal !== undefined ? formatCount(r.paramsTotal) : '—';
    const ratio = first?.energyJ ? r.energyJ / first.energyJ : undefined;
    // A ratio far from 1 in scientific notation ("1.48e-5×", not "0.0000148×").
    const vsFirst = r === first ? 'first' : ratio === undefined ? '—' : `${ratio >= 1e-3 && ratio < 1e4 ? formatSig(ratio, 3) : formatSci(ratio, 3)}×`;
    return [
      name,
      params,
      r.tokens !== undefined ? formatCount(r.tokens) : '—',
      `${formatEnergy(r.energyJ)}${r.devices !== undefined ? ` on ${formatCount(r.devices)}× ${plainText(r.hardwareName, 60)}` : ''}`,
      r.co2Kg !== undefined ? formatCO2(r.co2Kg) : '—',
      r.limJ !== undefined ? formatEnergy(r.limJ) : '—',
      vsFirst,
      '',
    ];
  });
}

/**
 * Configs side by side (Compare Configs): the accelerator energy of each as bars on a log axis, and a table with the
 * runs' short names (their paths as tooltips), their size, energy, CO₂ and LIM bound, and how each compares with the
 * first; a config without an estimate keeps its row, with the reason.
 */
export function renderCompareTab(root: HTMLElement, runs: RunSummary[], p: Palette, charts: ChartRegistry, exporter: Exporter, choose: () => void): void {
  const chooseButton = button('Choose configs…', choose, { icon: 'diff', secondary: runs.length > 0, id: 'compare-choose', title: 'Choose two or more configs of the workspace to compare' });
  if (runs.length === 0) {
    charts.delete('chart-compare');
    root.replaceChildren(h('div', { class: 'placeholder column' }, h('p', {}, 'Compare two or more configs side by side: their energy, size and LIM bound.'), chooseButton));
    return;
  }
  const c = energyColors(p);
  const rows = comparisonRows(runs);
  const header = COMPARE_HEADER;
  const withEnergy = runs.filter((r) => r.energyJ !== undefined);
  const canvas = h('canvas', { id: 'chart-compare', role: 'img', 'aria-label': 'Accelerator energy of each compared config, log scale' });
  const box = h('div', { class: 'chart-box' }, canvas);
  // One bar group per config: the box grows with them (CSSOM, which the page's CSP allows; inline styles it does not).
  const lines = Math.max(1, ...withEnergy.map((r) => nameLines(plainText(r.label, 60), 20).length));
  const perConfig = Math.max(withEnergy.some((r) => r.measuredEnergyJ !== undefined) ? 54 : 40, 14 * lines + 8);
  box.style.height = `${Math.max(160, 60 + withEnergy.length * perConfig)}px`;
  const exportRows = runs.map((r, i) => [plainText(r.label, 200), plainText(r.relativePath, 300), ...rows[i].slice(1)]);
  const exportHeader = [header[0], 'file', ...header.slice(1)];
  root.replaceChildren(
    h('div', { class: 'tab-actions' }, chooseButton),
    h(
      'figure',
      {},
      h('figcaption', { title: glossaryLine(COMPARE_CHART.term) }, COMPARE_CHART.title, exportButtons(exporter, 'chart-compare', 'comparison')),
      box,
    ),
    h(
      'figure',
      {},
      h(
        'figcaption',
        {},
        'Side by side',
        h(
          'span',
          { class: 'actions' },
          button('CSV', () => exporter.table('comparison', 'csv', toCsv(exportHeader, exportRows)), { icon: 'export', secondary: true }),
          button('Markdown', () => exporter.table('comparison', 'markdown', toMarkdown(exportHeader, exportRows)), { icon: 'markdown', secondary: true }),
        ),
      ),
      h(
        'table',
        { class: 'data stack', id: 'compare-table' },
        h('thead', {}, h('tr', {}, ...header.map((t, i) => h('th', { class: i > 0 && i < 7 ? 'num' : '', title: COMPARE_COLUMNS[i].term ? glossaryLine(COMPARE_COLUMNS[i].term) : undefined }, t)))),
        h(
          'tbody',
          {},
          ...rows.map((r, j) =>
            h(
              'tr',
              { class: runs[j].energyJ === undefined ? 'no-estimate' : '' },
              ...r.map((cell, i) =>
                i === 0
                  ? h('th', { scope: 'row', class: 'run-name', title: plainText(runs[j].relativePath, 300) }, h('div', {}, cell), h('div', { class: 'muted path' }, ...pathPieces(plainText(runs[j].relativePath, 120))))
                  : h('td', { class: i < 7 ? 'num' : 'reason', 'data-label': header[i] }, cell),
              ),
            ),
          ),
        ),
      ),
      h('p', { class: 'provenance' }, 'Energy: accelerators at TDP × PUE for each config’s own tokens and hardware. × first: energy relative to the first config with an estimate.'),
    ),
  );
  // Names on lines of at most 20 characters (broken after a space, "/" or "·"): whole in a 360 px column.
  const labels = withEnergy.map((r) => nameLines(plainText(r.label, 60), 20));
  charts.set('chart-compare', canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'Accelerator energy', data: withEnergy.map((r) => r.energyJ as number), backgroundColor: withAlpha(c.accelerator, 0.85), borderColor: c.accelerator, borderWidth: 1 },
        ...(withEnergy.some((r) => r.measuredEnergyJ !== undefined)
          ? [{ label: 'Measured', data: withEnergy.map((r) => r.measuredEnergyJ ?? null), backgroundColor: withAlpha(c.cim, 0.85), borderColor: c.cim, borderWidth: 1 }]
          : []),
        { label: 'LIM bound', data: withEnergy.map((r) => r.limJ ?? null), backgroundColor: withAlpha(c.lim, 0.85), borderColor: c.lim, borderWidth: 1 },
      ],
    },
    options: {
      ...baseOptions(p),
      indexAxis: 'y',
      scales: {
        x: { ...axis(p, 'joules (log scale)', 'logarithmic'), min: logMin(withEnergy.flatMap((r) => [r.energyJ, r.limJ, r.measuredEnergyJ])) },
        y: { ...axis(p, '', 'category'), ticks: { color: p.foreground, autoSkip: false } },
      },
      plugins: { ...baseOptions(p).plugins, tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label ?? ''}: ${formatEnergy(ctx.parsed.x ?? 0)}` } } },
    },
  });
}
