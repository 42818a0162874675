import { basenameOf, dirnameOf, FORMAT_LABELS, type ConfigDiagnostic } from '../core/configs';
import type { DocumentAnalysis } from '../core/estimate';
import type { RunDiagnostic, RunFigures, RunKind } from '../protocol/runs';
import type { MeasuredRun } from '../core/measured';

function toRunDiagnostic(d: ConfigDiagnostic, path: string): RunDiagnostic {
  const here = d.file === path;
  return {
    severity: d.severity,
    message: here ? d.message : `in ${basenameOf(d.file)}: ${d.message}`,
    line: here ? Math.max(0, d.line - 1) : 0,
    character: here ? Math.max(0, d.column - 1) : 0,
    ...(d.field ? { field: d.field } : {}),
  };
}

/** A disk path rather than a name: absolute, home-relative, relative to here, or Windows. */
function isDiskPath(s: string): boolean {
  return /^(\/|~|\.{1,2}[\\/]|[A-Za-z]:[\\/]|\\)/.test(s);
}

/**
 * A model reference (`_name_or_path`) that is not a Hub id: a disk path, or a relative one deeper than org/name
 * (`output/run-3/checkpoint-500`). Text with spaces is a name, whatever slashes it holds (a URL in a description).
 */
function isModelPath(s: string): boolean {
  return isDiskPath(s) || (!/\s/.test(s) && (s.includes('\\') || s.split('/').filter(Boolean).length > 2));
}

/** The last folder (or file) name of a path, without a trailing separator. */
function lastSegment(s: string): string {
  const parts = s.split(/[\\/]+/).filter(Boolean);
  return parts.at(-1) ?? s;
}

/**
 * What the views call a run: its own name (a run file's `name:`, a NeMo `name`, a trainer's `run_name`) or the
 * model's name when it is a Hub id (org/name); a model named by a disk path gets its last folder name (someone
 * else's `/home/…/t5-v1_1-base` becomes `t5-v1_1-base`); a model read from another file (a training config's
 * model folder) gets that folder's name, one from the bundled table its key; else framework · file. The model
 * type is not a label (five runs called "llama" say nothing): the views show it on the secondary line.
 */
export function runLabel(a: DocumentAnalysis): string {
  // A record on its own is named by what it recorded ("CodeCarbon run 8a1d9822", "W&B run wpk0cwbh").
  const own = shownMeasured(a);
  if (!a.report && own) {
    if (a.measured && a.measured.length > 1) return `${own.label} (latest of ${a.measured.length})`;
    // The Trainer's records name no run: their folder does (a checkpoint's, a run's output folder).
    const folder = lastSegment(dirnameOf(a.file));
    return own.kind === 'hf-trainer' && folder ? `${own.label} · ${folder}` : own.label;
  }
  const r = a.report;
  const name = r?.name?.trim();
  // A model config's name is its `_name_or_path`, a Hub id or wherever its author's copy was; a run's own name
  // (a run file's `name:`, a trainer's run_name) is free text, shown as written unless it is a disk path.
  if (name) return (a.format === 'hf-model' ? isModelPath(name) : isDiskPath(name)) ? lastSegment(name) : name;
  const source = r?.run.model?.source;
  if (source?.kind === 'read' && source.file !== a.file) return lastSegment(dirnameOf(source.file));
  if (source?.kind === 'known-shape') return source.key;
  const framework = a.format ? FORMAT_LABELS[a.format].replace(/ (config|arguments|model config|run file)$/, '') : 'config';
  const file = basenameOf(a.file);
  // config.json names nothing on its own: its folder does (a Hub snapshot's folder is the model's name).
  const shown = /^config\.json$/i.test(file) && dirnameOf(a.file) ? `${lastSegment(dirnameOf(a.file))}/${file}` : file;
  return `${framework} · ${shown}`;
}

/** Pretraining, a fine-tune, or a preference run (DPO and kin), as the engine's report says; undefined without one. */
export function runKind(a: DocumentAnalysis): RunKind | undefined {
  const r = a.report;
  if (!r) return undefined;
  const f = r.run.finetune;
  if (!f) return 'pretrain';
  return f.objective === 'preference' ? 'preference' : 'finetune';
}

/**
 * The measured run the views show for a file: for an estimate, the first record of its folder that has an energy
 * (CodeCarbon), else the first; for a record on its own, its latest run (CodeCarbon appends runs).
 */
export function shownMeasured(a: DocumentAnalysis): MeasuredRun | undefined {
  const joined = a.report?.measured;
  if (joined && joined.length > 0) return (joined.find((c) => c.measured.energyJ) ?? joined[0]).measured;
  return a.measured?.at(-1);
}

function measuredFigures(m: MeasuredRun | undefined): Partial<RunFigures> {
  if (!m) return {};
  const out: Partial<RunFigures> = { measuredLabel: m.label };
  if (m.energyJ) out.measuredEnergyJ = m.energyJ.value;
  if (m.durationS) out.measuredHours = m.durationS.value / 3600;
  if (m.flops) out.measuredFlops = m.flops.value;
  return out;
}

/** The figures the sidebar, the dashboard's run list and the CodeLens show for one analysed file. */
export function runFigures(a: DocumentAnalysis): RunFigures | undefined {
  if (!a.format) return undefined;
  const r = a.report;
  const anchor = a.modelAnchor;
  const kind = runKind(a);
  const figures: RunFigures = {
    label: runLabel(a),
    format: FORMAT_LABELS[a.format],
    ...(kind ? { kind } : {}),
    hardwareId: r?.accelerator.id ?? '',
    hardwareName: r?.accelerator.name ?? '',
    definition: anchor ? { line: Math.max(0, anchor.line - 1), character: Math.max(0, anchor.column - 1) } : { line: 0, character: 0 },
    diagnostics: a.diagnostics.filter((d) => d.severity !== 'info').map((d) => toRunDiagnostic(d, a.file)),
    ...measuredFigures(shownMeasured(a)),
  };
  if (!r) {
    // A record on its own: the hardware it ran on, as recorded.
    const m = shownMeasured(a);
    if (m?.gpuModel) figures.hardwareName = m.gpuModel;
    if (m?.gpuCount) figures.devices = m.gpuCount;
    return figures;
  }
  // A fine-tune without a total (nothing in its file bounds it): its figures are per unit of data, not the run's, so
  // the views get the model and precision but no tokens, FLOPs, energy or time as totals; its warning says what to
  // add, and the energy of one unit of data (1,000 rows, one epoch) comes with that unit.
  if (r.perRows) {
    return Object.assign(figures, {
      modelType: r.modelType,
      paramsTotal: r.params.total,
      paramsActive: r.params.active,
      precisionBits: r.precisionBits,
      devices: r.accelerator.devices,
      ...(Number.isFinite(r.accelerator.energyJ) ? { perUnitEnergyJ: r.accelerator.energyJ, perUnit: r.perRows.label } : {}),
    });
  }
  return Object.assign(figures, {
    modelType: r.modelType,
    paramsTotal: r.params.total,
    paramsActive: r.params.active,
    tokens: r.tokens,
    flops: r.flops,
    precisionBits: r.precisionBits,
    devices: r.accelerator.devices,
    energyJ: r.accelerator.energyJ,
    deviceHours: r.accelerator.deviceHours,
    wallClockHours: r.accelerator.wallClockHours,
    co2Kg: r.accelerator.co2Kg,
    limJ: r.bounds?.lim,
    landauerJ: r.bounds?.landauer,
    staticBarrierJ: r.bounds?.staticBarrier,
    ordersAboveLim: r.bounds?.ordersAcceleratorOverLim,
  });
}
