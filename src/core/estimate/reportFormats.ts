import type { ConfigDiagnostic, Source } from '../configs/types';
import { formatBound, formatCO2, formatCount, formatEnergy, formatSci } from '../units/format';
import { describeAssumption } from './assumptions';
import { renderTable } from '../units/table';
import { csvCell, markdownText, terminalText } from '../text/escape';
import type { DocumentAnalysis } from './report';
import { MEASURED_CSV_HEAD, measuredCsvCells, measuredJson, measuredTable } from '../measured/report';

/**
 * The report formats `lim-lens estimate` prints and the editor's "Export Report" saves — one implementation, so
 * both give the same file: JSON (every number with its provenance), CSV, a Markdown table and a text table.
 */

function provenance(a: DocumentAnalysis): Record<string, Source> | null {
  const run = a.report?.run;
  if (!run) return null;
  const p: Record<string, Source> = {
    paramsTotal: run.params.total.source,
    paramsActive: run.params.active.source,
    flops: run.flops.source,
    precisionBits: run.precisionBits.source,
    hardware: run.hardware.source,
    devices: run.devices.source,
    utilization: run.utilization.source,
    pue: run.pue.source,
    gridKgPerKwh: run.gridKgPerKwh.source,
  };
  if (run.model) p.model = run.model.source;
  if (run.tokens) p.tokens = run.tokens.source;
  if (run.samples) p.samples = run.samples.source;
  if (run.sequenceLength) p.sequenceLength = run.sequenceLength.source;
  if (run.hours) p.hours = run.hours.source;
  if (run.deviceHours) p.deviceHours = run.deviceHours.source;
  if (run.powerW) p.powerW = run.powerW.source;
  if (run.lora) p.adapterParams = run.lora.adapterParams.source;
  if (run.lora?.embeddingParams) p.embeddingParams = run.lora.embeddingParams.source;
  if (run.finetune?.rows) p.rows = run.finetune.rows.source;
  if (run.finetune?.epochs) p.epochs = run.finetune.epochs.source;
  if (run.finetune?.tokensPerRow) p.tokensPerRow = run.finetune.tokensPerRow.source;
  if (run.perRows) p.perRowsTokens = run.perRows.tokens.source;
  return p;
}

export function jsonRecord(a: DocumentAnalysis) {
  const r = a.report;
  // Without a total (a fine-tune nothing in its file bounds), the energy figures are those of one unit of data:
  // they go under perRows, and the run's own totals are null.
  const per = r?.perRows;
  const acc = per ? undefined : r?.accelerator;
  return {
    file: a.file,
    format: a.format ?? null,
    name: r?.name ?? null,
    modelType: r?.modelType ?? null,
    params: r ? r.params : null,
    tokens: r?.tokens ?? null,
    samples: r?.samples ?? null,
    sequenceLength: r?.run.sequenceLength?.value ?? null,
    flops: per ? null : (r?.flops ?? null),
    flopsBreakdown: per ? null : (r?.run.flopsBreakdown ?? null),
    precisionBits: r?.precisionBits ?? null,
    accelerator: acc
      ? {
          id: acc.id,
          name: acc.name,
          route: acc.route,
          devices: acc.devices,
          devicesAssumed: acc.devicesAssumed,
          deviceHours: acc.deviceHours,
          // Absent when the device count is assumed: no wall-clock time is made up from it.
          wallClockHours: acc.wallClockHours ?? null,
          utilization: acc.utilization,
          powerW: acc.powerW,
          pue: acc.pue,
          itEnergyJ: acc.itEnergyJ,
          energyJ: acc.energyJ,
          energyKWh: acc.energyKWh,
          energyMWh: acc.energyMWh,
          co2Kg: acc.co2Kg,
        }
      : r && per
        ? { id: r.accelerator.id, name: r.accelerator.name, route: r.accelerator.route, devices: r.accelerator.devices, devicesAssumed: r.accelerator.devicesAssumed, deviceHours: null, wallClockHours: null, utilization: r.accelerator.utilization, powerW: r.accelerator.powerW, pue: r.accelerator.pue, itEnergyJ: null, energyJ: null, energyKWh: null, energyMWh: null, co2Kg: null }
        : null,
    perRows:
      r && per
        ? {
            unit: per.unit,
            label: per.label,
            rows: per.rows ?? null,
            tokensPerRow: per.tokensPerRow ?? null,
            tokens: per.tokens,
            flops: r.flops,
            deviceHours: r.accelerator.deviceHours,
            energyJ: r.accelerator.energyJ,
            energyKWh: r.accelerator.energyKWh,
            co2Kg: r.accelerator.co2Kg,
            limJ: r.bounds?.lim ?? null,
            missing: per.missing,
          }
        : null,
    finetune: r?.run.finetune
      ? {
          objective: r.run.finetune.objective,
          pairs: r.run.finetune.pairs,
          evidence: r.run.finetune.evidence,
          rows: r.run.finetune.rows?.value ?? null,
          epochs: r.run.finetune.epochs?.value ?? null,
          tokensPerRow: r.run.finetune.tokensPerRow?.value ?? null,
        }
      : null,
    bounds: r?.bounds && !per
      ? {
          landauer: r.bounds.landauer,
          lim: r.bounds.lim,
          limNonEquilibrium: r.bounds.limNonEquilibrium,
          staticBarrier: r.bounds.staticBarrier,
          updatesPerParameter: r.bounds.updatesPerParameter,
          ordersAcceleratorOverLim: r.bounds.ordersAcceleratorOverLim,
          model: r.bounds.model.label,
        }
      : null,
    lora: r?.run.lora ? { method: r.run.lora.method, rank: r.run.lora.rank.value, adapterParams: r.run.lora.adapterParams.value, embeddingParams: r.run.lora.embeddingParams?.value ?? null, baseBits: r.run.lora.baseBits?.value ?? null } : null,
    modelAnchor: a.modelAnchor ? { line: a.modelAnchor.line, column: a.modelAnchor.column } : null,
    provenance: provenance(a),
    assumptions: r?.assumptions ?? [],
    // What the run recorded (CodeCarbon, the Trainer, W&B), the report's own field; a lone record's runs without errors.
    measured: measuredJson(a),
    diagnostics: a.diagnostics.map((d) => ({ file: d.file, line: d.line, column: d.column, field: d.field, severity: d.severity, code: d.code, message: d.message })),
  };
}

/** The unit of a run without a total, as table cells show it. */
const UNIT_SHORT = { rows: '/1k rows', epoch: '/epoch', tokens: '/1M tok' } as const;

const COLUMNS = ['file', 'model', 'params', 'tokens', 'FLOPs', 'bits', 'hardware', 'device-h', 'energy', 'CO2', 'E_LIM', 'acc/LIM'] as const;

/** One row of the table, as text; the caller escapes each cell for its output. */
function row(a: DocumentAnalysis): string[] {
  const r = a.report;
  if (!r) return [a.file, a.format ? '—' : '?', '', '', '', '', '', '', '', '', '', ''];
  const p = r.params.total === r.params.active ? formatCount(r.params.total) : `${formatCount(r.params.total)} (${formatCount(r.params.active)} act.)`;
  const acc = r.accelerator;
  // No total: every figure is per unit of data, and says so.
  const u = r.perRows ? ` ${UNIT_SHORT[r.perRows.unit]}` : '';
  return [
    a.file,
    r.modelType ?? (r.run.params.total.source.kind === 'read' ? 'params' : '—'),
    p,
    r.tokens !== undefined ? formatCount(r.tokens) : r.samples !== undefined ? `${formatCount(r.samples)} img` : r.perRows ? `no total` : '—',
    `${formatSci(r.flops, 3)}${u}`,
    String(r.precisionBits),
    // An assumed device count is said, not shown as if the file gave it.
    acc.devicesAssumed ? `${acc.id} (${acc.devices} dev. assumed)` : `${acc.devices}×${acc.id}`,
    `${formatCount(acc.deviceHours)}${u}`,
    `${formatEnergy(acc.energyJ)}${u}`,
    `${formatCO2(acc.co2Kg)}${u}`,
    r.bounds ? `${formatBound(r.bounds.lim)}${u}` : '—',
    r.bounds ? r.bounds.ordersAcceleratorOverLim.toFixed(1) : '—',
  ];
}

export function diagnosticLine(d: ConfigDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${d.field ? ` [${d.field}]` : ''}`;
}

/**
 * The report as a table: Markdown (`markdown`) or text for a terminal. Every string from a file (paths, model types,
 * diagnostics, assumed values) goes through the escaping for that output, so a crafted name is shown, never run.
 */
export function reportTable(analyses: DocumentAnalysis[], skipped: number, markdown: boolean): string {
  const esc = markdown ? (s: string, max?: number) => markdownText(s, max) : (s: string, max?: number) => terminalText(s, max);
  // The file and model columns come from files; the others are LIM Lens's own figures, written as they are.
  const rows = analyses.map((a) => row(a).map((c, i) => (i === 0 ? esc(c, 200) : i === 1 ? esc(c, 80) : c)));
  const right = new Set(['params', 'tokens', 'FLOPs', 'bits', 'device-h', 'energy', 'CO2', 'E_LIM', 'acc/LIM']);
  const table = markdown
    ? [
        `| ${COLUMNS.join(' | ')} |`,
        `|${COLUMNS.map((c) => (right.has(c) ? '---:' : '---')).join('|')}|`,
        ...rows.map((r) => `| ${r.join(' | ')} |`),
      ].join('\n')
    : renderTable(COLUMNS.map((c) => ({ header: c, align: right.has(c) ? ('right' as const) : ('left' as const) })), rows);
  const diagnostics = analyses.flatMap((a) => a.diagnostics);
  const estimated = analyses.filter((a) => a.report).length;
  const lines = [table, ''];
  const measured = measuredTable(analyses, markdown, esc);
  if (measured) lines.push(measured, '');
  // In words, as the hover says them ("1 device (none in the file)"), with the reason; never a key or JSON.
  const usedDefaults = new Set(analyses.flatMap((a) => a.report?.assumptions ?? []).map((x) => esc(describeAssumption(x, 'long'), 400)));
  if (usedDefaults.size > 0) lines.push(markdown ? '**Assumptions**' : 'Assumptions:', ...[...usedDefaults].sort().map((s) => `${markdown ? '-' : ' '} ${s}`), '');
  if (diagnostics.length > 0) lines.push(markdown ? '**Diagnostics**' : 'Diagnostics:', ...diagnostics.map((d) => `${markdown ? '- ' : '  '}${esc(diagnosticLine(d), 500)}`), '');
  if (analyses.some((a) => a.report?.perRows)) {
    lines.push('Figures marked /1k rows, /epoch or /1M tok are fine-tunes without a total (nothing in the file bounds them): per 1,000 training rows, per epoch or per million training tokens; the diagnostics say what to add.', '');
  }
  lines.push(
    `${estimated} estimated, ${analyses.length - estimated} without an estimate, ${skipped} other file${skipped === 1 ? '' : 's'} skipped. ` +
      'Energy: accelerator at TDP × PUE; E_LIM: LIM model (reconstructed from the paper’s stated assumptions and headline results).',
  );
  return lines.join('\n');
}

export function reportCsv(analyses: DocumentAnalysis[]): string {
  const head = ['file', 'format', 'model_type', 'params_total', 'params_active', 'tokens', 'flops', 'precision_bits', 'hardware', 'devices', 'device_hours', 'energy_j', 'energy_mwh', 'co2_kg', 'landauer_j', 'lim_j', 'static_barrier_j', 'orders_acc_over_lim', ...MEASURED_CSV_HEAD, 'diagnostics'];
  const lines = [head.join(',')];
  for (const a of analyses) {
    const r = a.report;
    const acc = r?.accelerator;
    // A run without a total leaves the totals empty; its warning (in diagnostics) says why and what to add.
    const t = r?.perRows ? undefined : r;
    const tacc = r?.perRows ? undefined : acc;
    const cells = [
      a.file, a.format ?? '', r?.modelType ?? '', r?.params.total, r?.params.active, r?.tokens, t?.flops, r?.precisionBits, acc?.id, acc?.devices,
      tacc?.deviceHours, tacc?.energyJ, tacc?.energyMWh, tacc?.co2Kg, t?.bounds?.landauer, t?.bounds?.lim, t?.bounds?.staticBarrier, t?.bounds?.ordersAcceleratorOverLim,
      ...measuredCsvCells(a),
      a.diagnostics.map(diagnosticLine).join(' | '),
    ].map((v, i) => csvCell(v, i === head.length - 1 ? 2000 : 300));
    lines.push(cells.join(','));
  }
  return lines.join('\n');
}

export function reportJson(analyses: DocumentAnalysis[]): string {
  return JSON.stringify(analyses.map(jsonRecord), null, 2);
}

/**
 * The order of a report: runs with a total first, largest energy first; then fine-tunes without a total (by their
 * energy per unit of data); then files without an estimate, by path. Ties keep the path order.
 */
export function sortForReport<T extends DocumentAnalysis>(analyses: readonly T[]): T[] {
  const rank = (a: DocumentAnalysis) => (!a.report || !Number.isFinite(a.report.accelerator.energyJ) ? 2 : a.report.perRows ? 1 : 0);
  return [...analyses].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    const ea = a.report?.accelerator.energyJ ?? 0;
    const eb = b.report?.accelerator.energyJ ?? 0;
    if (ra < 2 && ea !== eb) return eb - ea;
    return a.file.localeCompare(b.file);
  });
}
