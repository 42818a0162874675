/**
 * Calibration from measured runs: the utilisation and the power per device that make LIM Lens's estimates match what
 * the workspace's runs measured. Each run gives a value where its record allows, or says why it cannot; the proposal
 * is the median over the runs (one odd run does not move it), rounded, and is only a proposal: the editor shows
 * "current → proposed, from N runs" and changes nothing unless the user agrees.
 *
 * - Utilisation = FLOPs / (measured time × devices × peak FLOP/s). The FLOPs are the record's own (the Trainer's
 *   total_flos) or else the estimate's, but only when the config fixes the run's size (never the tokens-per-parameter
 *   default); the devices are the record's or the config's, never an assumed count; the peak is the recorded GPU's
 *   where LIM Lens knows it, else the estimate's hardware.
 * - Power per device = measured energy / (measured time × devices): what CodeCarbon counted (GPU, CPU and RAM) spread
 *   over the accelerators, so that the estimate (power × device-hours × PUE) gives the measured energy times the PUE.
 */
import type { DocumentAnalysis } from '../estimate/report';
import { formatSig } from '../units/format';
import { hardwareOfRecorded } from './join';

export type CalibratedSetting = 'utilization' | 'powerW';

export interface CalibrationRun {
  /** The config (or record) whose run this is, and the record's label. */
  file: string;
  label: string;
  utilization?: number;
  powerW?: number;
  /** Why a value could not be had from this run, per setting. */
  skipped: Partial<Record<CalibratedSetting, string>>;
}

export interface SettingProposal {
  key: CalibratedSetting;
  /** The value in force now (a setting, else the built-in default); undefined for a power taken from the profile. */
  current?: number;
  proposed: number;
  /** The runs the proposal is the median of. */
  from: Array<{ file: string; label: string; value: number }>;
}

export interface CalibrationProposal {
  proposals: SettingProposal[];
  runs: CalibrationRun[];
}

/** Median of a non-empty list. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A proposal rounded as the settings are written: utilisation to 2 significant digits, power to 3. */
const round = (key: CalibratedSetting, v: number) => Number(formatSig(v, key === 'utilization' ? 2 : 3).replace(/,/g, ''));

export function proposeCalibration(analyses: DocumentAnalysis[], current: { utilization: number; powerW?: number }): CalibrationProposal {
  const runs: CalibrationRun[] = [];
  // One record joins every run of its folder (a config.json and a training config beside it): it counts once, for
  // the first run that gives it a value.
  const seen = new Map<string, CalibrationRun>();
  for (const a of analyses) {
    const r = a.report;
    for (const c of r?.measured ?? []) {
      const m = c.measured;
      const key = `${m.file}\n${m.runId ?? m.label}`;
      const before = seen.get(key);
      if (before && before.utilization !== undefined) continue;
      const run: CalibrationRun = { file: a.file, label: m.label, skipped: {} };
      if (before) runs.splice(runs.indexOf(before), 1);
      seen.set(key, run);
      runs.push(run);
      const t = m.durationS?.value;
      const acc = r!.accelerator;
      const devices = m.gpuCount ?? (acc.devicesAssumed ? undefined : acc.devices);
      const sizeDefaulted = r!.assumptions.some((x) => x.name === 'tokensPerParameter') || r!.run.flops.source.kind === 'default';
      const flops = m.flops?.value ?? (sizeDefaulted || r!.perRows ? undefined : r!.flops);
      const peak = (m.gpuModel ? hardwareOfRecorded(m.gpuModel)?.peakFlops : undefined) ?? acc.peakFlops;
      if (t === undefined || t <= 0) run.skipped.utilization = 'no measured time';
      else if (devices === undefined) run.skipped.utilization = 'no device count in the record or the config';
      else if (flops === undefined) run.skipped.utilization = r!.perRows ? 'the config does not bound the run (no total)' : 'the run\u2019s size is LIM Lens\u2019s default (tokens per parameter), not the config\u2019s';
      else {
        const u = flops / (t * devices * peak);
        if (u > 0 && u <= 1) run.utilization = u;
        else run.skipped.utilization = `the implied utilisation ${formatSig(u, 2)} is outside (0, 1]: the FLOPs or the devices do not match this run`;
      }
      const e = m.energyJ?.value;
      if (e === undefined) run.skipped.powerW = 'no measured energy';
      else if (t === undefined || t <= 0) run.skipped.powerW = 'no measured time';
      else if (devices === undefined) run.skipped.powerW = 'no device count in the record or the config';
      else run.powerW = e / (t * devices);
    }
  }
  const proposals: SettingProposal[] = [];
  for (const key of ['utilization', 'powerW'] as const) {
    const from = runs.flatMap((run) => (run[key] !== undefined ? [{ file: run.file, label: run.label, value: run[key]! }] : []));
    if (from.length === 0) continue;
    const proposed = round(key, median(from.map((f) => f.value)));
    const now = key === 'utilization' ? current.utilization : current.powerW;
    if (now !== undefined && round(key, now) === proposed) continue;
    proposals.push({ key, ...(now !== undefined ? { current: now } : {}), proposed, from });
  }
  return { proposals, runs };
}
