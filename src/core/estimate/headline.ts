import type { MeasuredComparison } from '../measured/types';
import { formatBound, formatChange, formatCO2, formatDeviceHours, formatDuration, formatEnergy, formatInteger } from '../units/format';
import type { EnergyReport } from './report';

/**
 * The answer a surface gives first, for one estimated run, as plain text pieces: the hover's first line, the CodeLens
 * and the sidebar's energy line are built from here, and the reports and the CLI print the same figures through the
 * same formatters (src/core/units/format.ts), so a run reads the same everywhere. Callers escape for their output
 * (the pieces hold no file text but a hardware profile's name).
 */
export interface Headline {
  /** "84.1 MWh"; for a run without a total, that of one unit of data, which the caveat names. */
  energy: string;
  /**
   * "9.8 days on 1,024× H100 SXM" where the device count is known (or a time was stated), else the device-hours on
   * the hardware: "3.82K device-hours on H100 SXM". Never a wall-clock time from an assumed device count.
   */
  time: string;
  /** "32.4 t CO₂". */
  co2: string;
  /** "LIM bound 102 kWh" (the one notation of every bound, `formatBound`); absent without bounds. */
  bound?: string;
  /** The one caveat that most changes how far the figures can be trusted, in words; absent when the file says it all. */
  caveat?: string;
  /** "measured: 1.2 MWh in 3.4 h (estimate +12 %)" when the run's own record joins it. */
  measured?: string;
}

/** The hardware name as lines show it: without the vendor ("H100 SXM", "TPU v4"). */
export function shortHardwareName(name: string): string {
  return name.replace(/^(NVIDIA|Google|AMD|Intel) /, '');
}

export function runHeadline(report: EnergyReport): Headline {
  const a = report.accelerator;
  // A run without a total: the figures are those of one unit of data, said once, by the caveat that follows them
  // ("no total: each figure per 1,000 rows"), rather than after every figure.
  const time = timeText({ wallClockHours: report.perRows ? undefined : a.wallClockHours, devices: a.devicesAssumed ? undefined : a.devices, deviceHours: a.deviceHours, hardwareName: a.name });
  const h: Headline = { energy: formatEnergy(a.energyJ), time, co2: formatCO2(a.co2Kg) };
  if (report.bounds) h.bound = `LIM bound ${formatBound(report.bounds.lim)}`;
  const caveat = mainCaveat(report);
  if (caveat) h.caveat = caveat;
  // Several records of one run (a CodeCarbon log and the Trainer's): the first that measured energy, else the first.
  const records = report.measured ?? [];
  const record = records.find((c) => c.measured.energyJ) ?? records[0];
  const m = record ? measuredText(record) : undefined;
  if (m) h.measured = m;
  return h;
}

/** The figures `timeText` needs: the engine's report has them, and so does a view's flat run summary. */
export interface TimeFigures {
  /** Absent when the device count is assumed (and no time was stated). */
  wallClockHours?: number;
  /** Absent when it is assumed: a stated time is then shown without a count. */
  devices?: number;
  deviceHours?: number;
  hardwareName: string;
}

/**
 * "9.8 days on 1,024× H100 SXM" when there is a wall-clock time, else "3.82K device-hours on H100 SXM": the time of a
 * run as every surface says it.
 */
export function timeText(f: TimeFigures): string {
  const hw = shortHardwareName(f.hardwareName);
  if (f.wallClockHours !== undefined) return `${formatDuration(f.wallClockHours)} on ${f.devices !== undefined ? `${formatInteger(f.devices)}× ` : ''}${hw}`;
  return f.deviceHours !== undefined ? `${formatDeviceHours(f.deviceHours)} on ${hw}` : `on ${hw}`;
}

/**
 * The caveat that matters most, first match wins: no total; tokens from the per-parameter rule (with what it was
 * applied to); a fine-tune's tokens that are a ceiling; a defaulted dataset; an assumed device count where a figure
 * rests on it; a defaulted sequence length; the default hardware.
 */
export function mainCaveat(report: EnergyReport): string | undefined {
  if (report.perRows) return `no total: each figure ${report.perRows.label}`;
  const run = report.run;
  const defaulted = (name: string) => report.assumptions.find((x) => x.name === name && x.origin === 'built-in default');
  const tpp = report.assumptions.find((x) => x.name === 'tokensPerParameter');
  if (tpp && run.tokens?.source.kind === 'computed' && /tokens per parameter/.test(run.tokens.source.formula)) {
    const arch = run.model?.architecture;
    const moe = report.params.active !== report.params.total;
    const per = `${formatInteger(Number(tpp.value))} per ${moe ? 'active ' : ''}parameter`;
    const rule = tpp.origin === 'built-in default' ? `tokens defaulted: ${per}` : `tokens from ${tpp.reason.replace(/^set by /, '')}: ${per}`;
    return arch === 'encoder' || arch === 'encoder-decoder' ? `${rule}, a rule for decoder LMs (this is an ${arch})` : rule;
  }
  // A fine-tune sized from its data counts every row at the length cap: its tokens, and all that follows, are a ceiling.
  if (run.finetune && run.tokens?.source.kind === 'computed' && /^(at most|the lesser)/.test(run.tokens.source.formula)) return 'an upper bound: every row at its length cap';
  if (defaulted('visionSamples') || defaulted('visionEpochs')) return 'dataset defaulted: ImageNet-1k, 90 epochs';
  // An assumed device count matters where a figure rests on it: a stated wall-clock time (energy = devices × hours ×
  // power), or a per-device batch (D = steps × batch × devices × length). Elsewhere the time is device-hours.
  if (report.accelerator.devicesAssumed) {
    const n = report.accelerator.devices;
    const count = `${formatInteger(n)} device${n === 1 ? '' : 's'}`;
    if (run.hours && !run.deviceHours) return `on ${count} (assumed)`;
    if (run.tokens?.source.kind === 'computed' && /× devices \(/.test(run.tokens.source.formula)) return `per-device batch on ${count} (assumed)`;
  }
  const seq = defaulted('sequenceLength');
  if (seq) return `sequence length assumed: ${formatInteger(Number(seq.value))}`;
  if (defaulted('hardwareId')) return `hardware assumed: ${shortHardwareName(report.accelerator.name)}`;
  return undefined;
}

/**
 * "measured: 1.2 MWh in 3.4 h (estimate +12 %)", or "measured: 15.2 h of training" when the record has no energy. A
 * time the estimate itself took from the record is not compared with itself.
 */
export function measuredText(c: MeasuredComparison): string | undefined {
  const m = c.measured;
  const hours = m.durationS ? formatDuration(m.durationS.value / 3600) : undefined;
  const what = m.energyJ ? `${formatEnergy(m.energyJ.value)}${hours ? ` in ${hours}` : ''}` : hours ? `${hours} of training` : undefined;
  if (!what) return undefined;
  const vs =
    m.energyJ && c.energyError !== undefined && Number.isFinite(c.energyError)
      ? ` (estimate ${formatChange(c.energyError)})`
      : c.timeError !== undefined && Number.isFinite(c.timeError) && Math.abs(c.timeError) > 1e-6
        ? ` (estimated time ${formatChange(c.timeError)})`
        : '';
  return `measured: ${what}${vs}`;
}
