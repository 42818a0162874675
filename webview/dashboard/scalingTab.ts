import { plainText } from '../../src/core/text/escape';
import type { TooltipItem } from 'chart.js';
import type { EnergyView } from '../../src/protocol/dashboard';
import type { RunSummary } from '../../src/protocol/runs';
import { formatCount, formatEnergy, formatSci } from '../../src/core/units/format';
import { axis, baseOptions, type ChartRegistry } from '../shared/chartKit';
import { h } from '../shared/dom';
import { energyColors, withAlpha, type Palette } from '../shared/theme';
import { exportButtons } from './energyTab';
import type { Exporter } from './exporter';
import { termTitle } from '../../src/core/glossary';
import { CHART_TITLES } from './labels';

/** The paper's projection for a 1e15-parameter model [paper]. */
const PAPER_BAND = { params: 1e15, from: 1e8, to: 1e9 };

/**
 * Energy versus model size, 1e6–1e15 parameters, at the selected run's updates per parameter and precision,
 * with the workspace's configs and the paper's brain-scale band on the same axes.
 */
export function renderScalingTab(root: HTMLElement, view: EnergyView, runs: RunSummary[], p: Palette, charts: ChartRegistry, exporter: Exporter): void {
  const c = energyColors(p);
  const canvas = h('canvas', { id: 'chart-scaling', role: 'img', 'aria-label': 'Energy versus model size, log-log' });
  const estimated = runs.filter((r) => r.paramsTotal && r.energyJ && r.limJ);
  // Runs whose own record (CodeCarbon, the Trainer, W&B) gives their energy: a series of their own.
  const measured = runs.filter((r) => r.paramsTotal && r.measuredEnergyJ);
  const x = view.bounds.inputs;
  root.replaceChildren(
    h(
      'figure',
      {},
      h('figcaption', { title: termTitle(CHART_TITLES.scaling) }, CHART_TITLES.scaling, exportButtons(exporter, 'chart-scaling', 'energy-vs-size')),
      h(
        'p',
        { class: 'note' },
        `Lines: ${formatSci(view.bounds.derived.updatesPerParameter, 3)} updates per parameter and ${x.bits}-bit precision, as in “${plainText(view.title, 200)}”. `,
        `Points: the ${estimated.length} workspace run${estimated.length === 1 ? '' : 's'} at their own size and length`,
        measured.length ? `, and ${measured.length} with measured energy (their own records). ` : '. ',
        'Box: the paper’s 1e8–1e9 J for a 1e15-parameter model [paper].',
      ),
      h('div', { class: 'chart-box tall' }, canvas),
    ),
  );
  const line = (key: 'landauer' | 'lim' | 'staticBarrier' | 'accelerator', label: string, color: string) => ({
    type: 'line' as const,
    label,
    data: view.sweeps.size.map((s) => ({ x: s.x, y: s[key] })),
    borderColor: color,
    backgroundColor: color,
    pointRadius: 0,
    borderWidth: 2,
  });
  charts.set('chart-scaling', canvas, {
    type: 'scatter',
    data: {
      datasets: [
        line('accelerator', `${x.accelerator.name} (projection)`, c.accelerator),
        line('staticBarrier', 'Static-barrier memory', c.staticBarrier),
        line('lim', 'LIM bound', c.lim),
        line('landauer', 'Landauer', c.landauer),
        {
          type: 'scatter' as const,
          label: 'Workspace runs: accelerator',
          data: estimated.map((r) => ({ x: r.paramsTotal as number, y: r.energyJ as number, label: plainText(r.label, 80) })),
          backgroundColor: withAlpha(c.accelerator, 0.9),
          pointStyle: 'rectRot',
          pointRadius: 5,
        },
        {
          type: 'scatter' as const,
          label: 'Workspace runs: LIM bound',
          data: estimated.map((r) => ({ x: r.paramsTotal as number, y: r.limJ as number, label: plainText(r.label, 80) })),
          backgroundColor: withAlpha(c.lim, 0.9),
          pointStyle: 'rectRot',
          pointRadius: 5,
        },
        ...(measured.length
          ? [
              {
                type: 'scatter' as const,
                label: 'Measured',
                data: measured.map((r) => ({ x: r.paramsTotal as number, y: r.measuredEnergyJ as number, label: `${plainText(r.label, 80)} (${plainText(r.measuredLabel ?? 'measured', 80)})` })),
                backgroundColor: withAlpha(c.cim, 0.95),
                borderColor: p.foreground,
                borderWidth: 1,
                pointStyle: 'triangle',
                pointRadius: 6,
              },
            ]
          : []),
        // The paper's box, named in the legend: a label drawn on the plot sat on the scaling lines.
        { type: 'scatter' as const, label: 'Paper: 1e8–1e9 J at 1e15 parameters', data: [], backgroundColor: withAlpha(c.band, 0.3), borderColor: c.band, borderWidth: 1, pointStyle: 'rect' },
      ],
    },
    options: {
      ...baseOptions(p),
      scales: { x: { ...axis(p, 'parameters N (log scale)', 'logarithmic'), min: 1e6, max: 3e15 }, y: axis(p, 'joules (log scale)', 'logarithmic') },
      plugins: {
        ...baseOptions(p).plugins,
        limBand: { bands: [{ from: PAPER_BAND.from, to: PAPER_BAND.to, xFrom: PAPER_BAND.params / 2.5, xTo: PAPER_BAND.params * 2.5, label: '', color: c.band }] },
        tooltip: {
          callbacks: {
            label: (ctx: TooltipItem<'scatter'>) => {
              const raw = ctx.raw as { x: number; y: number; label?: string };
              return `${raw.label ? raw.label + ' — ' : ctx.dataset.label + ': '}N = ${formatCount(raw.x)}, ${formatEnergy(raw.y)}`;
            },
          },
        },
      } as Record<string, unknown>,
    },
  });
}
