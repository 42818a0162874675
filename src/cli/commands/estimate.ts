import type { ConfigDiagnostic, Source } from '../../core/configs';
import { analyzeDocumentSync, ESTIMATE_DEFAULTS, type DocumentAnalysis, type RunOverrides } from '../../core/estimate';
import { findHardware, hardwareIds } from '../../core/hardware/profiles';
import { formatCount, formatEnergy, formatSci, formatSig } from '../../core/units/format';
import { numberFlag, parseFlags, stringFlag, type FlagSpecs } from '../args';
import { collectFiles, DEFAULT_MAX_FILE_BYTES, displayPath, readTextFile, siblingReader } from '../scan';
import { renderTable } from '../table';
import { EXIT_DIAGNOSTICS, EXIT_OK, UsageError } from '../usage';

const FLAGS: FlagSpecs = {
  hardware: { type: 'string' },
  devices: { type: 'string' },
  hours: { type: 'string' },
  'device-hours': { type: 'string' },
  utilization: { type: 'string' },
  'power-w': { type: 'string' },
  pue: { type: 'string' },
  'grid-kg-per-kwh': { type: 'string' },
  tokens: { type: 'string' },
  flops: { type: 'string' },
  bits: { type: 'string' },
  'max-file-size': { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  markdown: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const ESTIMATE_HELP = `lim-lens estimate — parameters, training compute, energy and CO2 of model and training configs

Usage: lim-lens estimate <file|dir>... [options]

Reads Hugging Face config.json and TrainingArguments, Megatron-LM launch scripts (*.sh), NeMo, DeepSpeed,
torchtune, Axolotl and LitGPT configs and LIM Lens run files (*.lim.yaml). Folders are scanned recursively
(node_modules and .git skipped). Flags override what the files say; see docs/configs.md.

Run:
  --tokens D            training tokens (default: from the config, else ${ESTIMATE_DEFAULTS.tokensPerParameter} tokens per parameter)
  --flops F             training FLOPs instead of 6·N·D
  --bits B              precision per parameter in bits (default: from dtype flags, else ${ESTIMATE_DEFAULTS.bits})
Hardware and time:
  --hardware ID         ${hardwareIds().join(', ')} (default ${ESTIMATE_DEFAULTS.hardwareId})
  --devices N           number of accelerators (default ${ESTIMATE_DEFAULTS.devices})
  --hours H             wall-clock hours (energy = devices × hours × power × PUE)
  --device-hours H      accelerator-hours instead of devices × hours
  --utilization U       model FLOP utilisation when no time is given (default ${ESTIMATE_DEFAULTS.utilization})
  --power-w W           power per device instead of the profile's TDP
  --pue P               data-centre PUE (default ${ESTIMATE_DEFAULTS.pue})
  --grid-kg-per-kwh G   grid carbon intensity (default ${ESTIMATE_DEFAULTS.gridKgPerKwh})
Output:
  --json | --csv | --markdown   instead of the table
  --max-file-size BYTES         skip larger files with a diagnostic (default 2 MiB)

Exit status: 0 every file understood, 1 some files had diagnostics, 2 usage error.`;

const FLAG_OF: Record<keyof RunOverrides, string> = {
  hardwareId: '--hardware',
  devices: '--devices',
  hours: '--hours',
  deviceHours: '--device-hours',
  utilization: '--utilization',
  powerW: '--power-w',
  pue: '--pue',
  gridKgPerKwh: '--grid-kg-per-kwh',
  tokens: '--tokens',
  flops: '--flops',
  bits: '--bits',
};

function overridesFromFlags(values: ReturnType<typeof parseFlags>['values']): RunOverrides {
  const hardware = stringFlag(values, 'hardware');
  if (hardware !== undefined && !findHardware(hardware)) {
    throw new UsageError(`--hardware: unknown hardware "${hardware}" (known: ${hardwareIds().join(', ')})`);
  }
  if (values.hours !== undefined && values['device-hours'] !== undefined) throw new UsageError('--hours and --device-hours are alternatives; give one');
  if (values.tokens !== undefined && values.flops !== undefined) throw new UsageError('--tokens and --flops are alternatives; give one');
  const o: RunOverrides = {
    hardwareId: hardware ? findHardware(hardware)!.id : undefined,
    devices: numberFlag(values, 'devices', { min: 1, integer: true, max: 1e7 }),
    hours: numberFlag(values, 'hours'),
    deviceHours: numberFlag(values, 'device-hours'),
    utilization: numberFlag(values, 'utilization', { min: 0, exclusive: true, max: 1 }),
    powerW: numberFlag(values, 'power-w'),
    pue: numberFlag(values, 'pue', { min: 1, max: 10 }),
    gridKgPerKwh: numberFlag(values, 'grid-kg-per-kwh', { min: 0, max: 10 }),
    tokens: numberFlag(values, 'tokens'),
    flops: numberFlag(values, 'flops'),
    bits: numberFlag(values, 'bits', { min: 0, exclusive: true, max: 64 }),
  };
  for (const k of Object.keys(o) as Array<keyof RunOverrides>) if (o[k] === undefined) delete o[k];
  return o;
}

export async function runEstimate(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, true);
  if (values.help) {
    out(ESTIMATE_HELP);
    return EXIT_OK;
  }
  const formats = (['json', 'csv', 'markdown'] as const).filter((f) => values[f] === true);
  if (formats.length > 1) throw new UsageError(`--${formats[0]} and --${formats[1]} choose different outputs; give one`);
  if (positionals.length === 0) throw new UsageError('give at least one file or folder (lim-lens estimate --help)');
  const overrides = overridesFromFlags(values);
  const maxBytes = numberFlag(values, 'max-file-size', { min: 1, integer: true }) ?? DEFAULT_MAX_FILE_BYTES;

  const results = estimatePaths(positionals, overrides, maxBytes);
  const output = formats[0];
  if (output === 'json') out(JSON.stringify(results.analyses.map(jsonRecord), null, 2));
  else if (output === 'csv') out(csv(results.analyses));
  else out(human(results.analyses, results.skipped, output === 'markdown'));
  const problems = results.analyses.some((a) => a.diagnostics.some((d) => d.severity !== 'info'));
  return problems ? EXIT_DIAGNOSTICS : EXIT_OK;
}

export interface EstimateResults {
  analyses: DocumentAnalysis[];
  /** Files scanned that are not configs. */
  skipped: number;
}

/** Scans, reads and estimates; every failure becomes a diagnostic on its file. */
export function estimatePaths(paths: string[], overrides: RunOverrides, maxBytes = DEFAULT_MAX_FILE_BYTES): EstimateResults {
  const walkDiagnostics: ConfigDiagnostic[] = [];
  const entries = collectFiles(paths, walkDiagnostics);
  const analyses: DocumentAnalysis[] = walkDiagnostics.map((d) => ({ file: displayPath(d.file), fields: [], diagnostics: [{ ...d, file: displayPath(d.file) }] }));
  const cache = new Map<string, string | undefined>();
  const settings = { overrides, overrideLabel: (k: keyof RunOverrides) => FLAG_OF[k] };
  let skipped = 0;
  for (const entry of entries) {
    const file = displayPath(entry.path);
    const read = readTextFile(entry.path, maxBytes);
    if (!read.ok) {
      analyses.push({ file, fields: [], diagnostics: [{ ...read.diagnostic, file }] });
      continue;
    }
    const a = analyzeDocumentSync({ path: file, text: read.text }, { readSibling: siblingReader(entry.path, cache, maxBytes), settings, explicit: entry.explicit });
    if (!a.format && a.diagnostics.length === 0) skipped++;
    else analyses.push(a);
  }
  return { analyses, skipped };
}

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
  return p;
}

export function jsonRecord(a: DocumentAnalysis) {
  const r = a.report;
  const acc = r?.accelerator;
  return {
    file: a.file,
    format: a.format ?? null,
    name: r?.name ?? null,
    modelType: r?.modelType ?? null,
    params: r ? r.params : null,
    tokens: r?.tokens ?? null,
    samples: r?.samples ?? null,
    sequenceLength: r?.run.sequenceLength?.value ?? null,
    flops: r?.flops ?? null,
    flopsBreakdown: r?.run.flopsBreakdown ?? null,
    precisionBits: r?.precisionBits ?? null,
    accelerator: acc
      ? {
          id: acc.id,
          name: acc.name,
          route: acc.route,
          devices: acc.devices,
          deviceHours: acc.deviceHours,
          wallClockHours: acc.wallClockHours,
          utilization: acc.utilization,
          powerW: acc.powerW,
          pue: acc.pue,
          itEnergyJ: acc.itEnergyJ,
          energyJ: acc.energyJ,
          energyKWh: acc.energyKWh,
          energyMWh: acc.energyMWh,
          co2Kg: acc.co2Kg,
        }
      : null,
    bounds: r?.bounds
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
    lora: r?.run.lora ? { method: r.run.lora.method, rank: r.run.lora.rank.value, adapterParams: r.run.lora.adapterParams.value } : null,
    modelAnchor: a.modelAnchor ? { line: a.modelAnchor.line, column: a.modelAnchor.column } : null,
    provenance: provenance(a),
    assumptions: r?.assumptions ?? [],
    diagnostics: a.diagnostics.map((d) => ({ file: d.file, line: d.line, column: d.column, field: d.field, severity: d.severity, code: d.code, message: d.message })),
  };
}

const COLUMNS = ['file', 'model', 'params', 'tokens', 'FLOPs', 'bits', 'hardware', 'device-h', 'energy', 'CO2', 'E_LIM', 'acc/LIM'] as const;

function row(a: DocumentAnalysis): string[] {
  const r = a.report;
  if (!r) return [a.file, a.format ? '—' : '?', '', '', '', '', '', '', '', '', '', ''];
  const p = r.params.total === r.params.active ? formatCount(r.params.total) : `${formatCount(r.params.total)} (${formatCount(r.params.active)} act.)`;
  const acc = r.accelerator;
  return [
    a.file,
    r.modelType ?? (r.run.params.total.source.kind === 'read' ? 'params' : '—'),
    p,
    r.tokens !== undefined ? formatCount(r.tokens) : r.samples !== undefined ? `${formatCount(r.samples)} img` : '—',
    formatSci(r.flops, 3),
    String(r.precisionBits),
    `${acc.devices}×${acc.id}`,
    formatCount(acc.deviceHours),
    formatEnergy(acc.energyJ),
    acc.co2Kg >= 1000 ? `${formatSig(acc.co2Kg / 1000, 3)} t` : `${formatSig(acc.co2Kg, 3)} kg`,
    r.bounds ? `${formatSci(r.bounds.lim, 3)} J` : '—',
    r.bounds ? r.bounds.ordersAcceleratorOverLim.toFixed(1) : '—',
  ];
}

function diagnosticLine(d: ConfigDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${d.field ? ` [${d.field}]` : ''}`;
}

function human(analyses: DocumentAnalysis[], skipped: number, markdown: boolean): string {
  const rows = analyses.map(row);
  const right = new Set(['params', 'tokens', 'FLOPs', 'bits', 'device-h', 'energy', 'CO2', 'E_LIM', 'acc/LIM']);
  const table = markdown
    ? [
        `| ${COLUMNS.join(' | ')} |`,
        `|${COLUMNS.map((c) => (right.has(c) ? '---:' : '---')).join('|')}|`,
        ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
      ].join('\n')
    : renderTable(COLUMNS.map((c) => ({ header: c, align: right.has(c) ? ('right' as const) : ('left' as const) })), rows);
  const diagnostics = analyses.flatMap((a) => a.diagnostics);
  const estimated = analyses.filter((a) => a.report).length;
  const lines = [table, ''];
  const usedDefaults = new Set(analyses.flatMap((a) => a.report?.assumptions ?? []).map((x) => `${x.name} = ${JSON.stringify(x.value)} (${x.origin}: ${x.reason})`));
  if (usedDefaults.size > 0) lines.push(markdown ? '**Assumptions**' : 'Assumptions:', ...[...usedDefaults].sort().map((s) => `${markdown ? '-' : ' '} ${s}`), '');
  if (diagnostics.length > 0) lines.push(markdown ? '**Diagnostics**' : 'Diagnostics:', ...diagnostics.map((d) => `${markdown ? '- ' : '  '}${diagnosticLine(d)}`), '');
  lines.push(
    `${estimated} estimated, ${analyses.length - estimated} without an estimate, ${skipped} other file${skipped === 1 ? '' : 's'} skipped. ` +
      'Energy: accelerator at TDP × PUE; E_LIM: LIM model (reconstructed from the paper’s stated assumptions and headline results).',
  );
  return lines.join('\n');
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(analyses: DocumentAnalysis[]): string {
  const head = ['file', 'format', 'model_type', 'params_total', 'params_active', 'tokens', 'flops', 'precision_bits', 'hardware', 'devices', 'device_hours', 'energy_j', 'energy_mwh', 'co2_kg', 'landauer_j', 'lim_j', 'static_barrier_j', 'orders_acc_over_lim', 'diagnostics'];
  const lines = [head.join(',')];
  for (const a of analyses) {
    const r = a.report;
    const acc = r?.accelerator;
    const cells = [
      a.file, a.format ?? '', r?.modelType ?? '', r?.params.total, r?.params.active, r?.tokens, r?.flops, r?.precisionBits, acc?.id, acc?.devices,
      acc?.deviceHours, acc?.energyJ, acc?.energyMWh, acc?.co2Kg, r?.bounds?.landauer, r?.bounds?.lim, r?.bounds?.staticBarrier, r?.bounds?.ordersAcceleratorOverLim,
      a.diagnostics.map(diagnosticLine).join(' | '),
    ].map((v) => csvCell(v === undefined ? '' : String(v)));
    lines.push(cells.join(','));
  }
  return lines.join('\n');
}

