import { basenameOf, FORMAT_LABELS, type ConfigDiagnostic } from '../core/configs';
import type { DocumentAnalysis } from '../core/estimate';
import type { RunDiagnostic, RunFigures } from '../protocol/runs';

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

/** The figures the sidebar, the dashboard's run list and the CodeLens show for one analysed file. */
export function runFigures(a: DocumentAnalysis): RunFigures | undefined {
  if (!a.format) return undefined;
  const r = a.report;
  const anchor = a.modelAnchor;
  const figures: RunFigures = {
    label: r?.name ?? r?.modelType ?? basenameOf(a.file),
    format: FORMAT_LABELS[a.format],
    hardwareId: r?.accelerator.id ?? '',
    hardwareName: r?.accelerator.name ?? '',
    definition: anchor ? { line: Math.max(0, anchor.line - 1), character: Math.max(0, anchor.column - 1) } : { line: 0, character: 0 },
    diagnostics: a.diagnostics.filter((d) => d.severity !== 'info').map((d) => toRunDiagnostic(d, a.file)),
  };
  if (!r) return figures;
  // A fine-tune without a total (nothing in its file bounds it): its figures are per unit of data, not the run's, so
  // the views get the model and precision but no tokens, FLOPs, energy or time; its warning says what to add.
  if (r.perRows) {
    return Object.assign(figures, { modelType: r.modelType, paramsTotal: r.params.total, paramsActive: r.params.active, precisionBits: r.precisionBits, devices: r.accelerator.devices });
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
