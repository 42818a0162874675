import { SECONDS_PER_YEAR } from '../physics/constants';
import { findHardware, type HardwareProfile } from '../hardware/profiles';
import { param } from '../params/registry';

/** Plasticity schedule of the LIM memory: how fast the barrier rises as training converges (docs/theory.md §2). */
export type Schedule =
  | { kind: 'power-law'; /** P_n ∝ n^(−α); α = 1 is SGD's 1/n step */ alpha: number }
  | { kind: 'exponential'; /** P_n = exp(−n/τ), τ in updates */ tau: number };

/**
 * What each update pays for the plasticity barrier, a free choice of the reconstruction (docs/theory.md §3.5):
 * - `every-update`: the barrier is lowered for each update and raised again, and its full height kT·ln(1/P_n) is
 *   dissipated every time: E_neq = N·α·kT·ln Γ(U+1). LIM Lens's default, which reproduces the paper's band.
 * - `rises-only`: the barrier only climbs as training converges, and only its rises cost work; the total is its
 *   final height, once per parameter: E_neq = N·α·kT·ln U (power law) or N·kT·U/τ (exponential).
 */
export type BarrierCharge = 'every-update' | 'rises-only';

/**
 * What the training operations OPS count, another free choice (docs/theory.md §3.5):
 * - `flops`: OPS is the run's FLOPs and every c_u of them is one update of one parameter, U = OPS/(c_u·N), as the
 *   paper's v1 and v2 count. LIM Lens's default.
 * - `model-updates`: OPS counts model-update operations, as the paper's v3 does; a FLOP count is turned into them at
 *   one update per parameter per training token, FLOPS_PER_MODEL_UPDATE FLOPs each, U = OPS/(6·c_u·N).
 */
export type OpsCount = 'flops' | 'model-updates';

/**
 * FLOPs per parameter per training token, C ≈ 6·N·D (2 in the forward pass, 4 in the backward; Kaplan et al. 2020,
 * "Scaling Laws for Neural Language Models", arXiv 2001.08361): the FLOPs behind one model update of one parameter
 * when every token updates every parameter.
 */
export const FLOPS_PER_MODEL_UPDATE = 6;

/** The accelerator operating point the projection uses. */
export interface AcceleratorPoint {
  id: string;
  name: string;
  peakFlops: number;
  powerW: number;
  utilization: number;
  pue: number;
}

/** Every input of the bound models, defaults already applied. */
export interface BoundInputs {
  /** N, trained parameters. */
  params: number;
  /** OPS, training operations (FLOPs). */
  flops: number;
  /** b, bits of precision per parameter. */
  bits: number;
  temperatureK: number;
  /** c_u, operations per parameter update. */
  opsPerUpdate: number;
  schedule: Schedule;
  /** f0, attempt frequency of the memory (Hz). */
  attemptFrequencyHz: number;
  /** t_ret, retention time required of consolidated memory (s). */
  retentionS: number;
  /** What each update pays for the plasticity barrier. */
  barrierCharge: BarrierCharge;
  /** What OPS counts: FLOPs, or model-update operations. */
  opsCount: OpsCount;
  accelerator: AcceleratorPoint;
}

/** The bound models' defaults; those a user can set (a setting or a flag) come from the parameter registry. */
export const BOUND_DEFAULTS = {
  bits: param('bits').default as number,
  temperatureK: param('temperatureK').default as number,
  opsPerUpdate: 1,
  alpha: param('schedule.alpha').default as number,
  attemptFrequencyHz: 1e13,
  retentionS: 10 * SECONDS_PER_YEAR,
  barrierCharge: 'every-update' as BarrierCharge,
  opsCount: 'flops' as OpsCount,
  hardwareId: param('hardwareId').default as string,
  utilization: param('utilization').default as number,
  pue: param('pue').default as number,
} as const;

export function acceleratorPoint(
  profile: HardwareProfile,
  overrides: { utilization?: number; pue?: number; powerW?: number } = {},
): AcceleratorPoint {
  return {
    id: profile.id,
    name: profile.name,
    peakFlops: profile.peakFlops,
    powerW: overrides.powerW ?? profile.tdpW,
    utilization: overrides.utilization ?? BOUND_DEFAULTS.utilization,
    pue: overrides.pue ?? BOUND_DEFAULTS.pue,
  };
}

/** What a caller may leave out; `resolveBoundInputs` fills it from BOUND_DEFAULTS. */
export interface PartialBoundInputs {
  params: number;
  flops: number;
  bits?: number;
  temperatureK?: number;
  opsPerUpdate?: number;
  schedule?: Schedule;
  attemptFrequencyHz?: number;
  retentionS?: number;
  barrierCharge?: BarrierCharge;
  opsCount?: OpsCount;
  hardwareId?: string;
  utilization?: number;
  pue?: number;
  powerW?: number;
}

export function resolveBoundInputs(p: PartialBoundInputs): BoundInputs {
  const hardwareId = p.hardwareId ?? BOUND_DEFAULTS.hardwareId;
  const profile = findHardware(hardwareId);
  if (!profile) throw new RangeError(`unknown hardware profile "${hardwareId}"`);
  return {
    params: p.params,
    flops: p.flops,
    bits: p.bits ?? BOUND_DEFAULTS.bits,
    temperatureK: p.temperatureK ?? BOUND_DEFAULTS.temperatureK,
    opsPerUpdate: p.opsPerUpdate ?? BOUND_DEFAULTS.opsPerUpdate,
    schedule: p.schedule ?? { kind: 'power-law', alpha: BOUND_DEFAULTS.alpha },
    attemptFrequencyHz: p.attemptFrequencyHz ?? BOUND_DEFAULTS.attemptFrequencyHz,
    retentionS: p.retentionS ?? BOUND_DEFAULTS.retentionS,
    barrierCharge: p.barrierCharge ?? BOUND_DEFAULTS.barrierCharge,
    opsCount: p.opsCount ?? BOUND_DEFAULTS.opsCount,
    accelerator: acceleratorPoint(profile, { utilization: p.utilization, pue: p.pue, powerW: p.powerW }),
  };
}

/** A problem with one input, named by its field path so each front end can map it to a flag or a setting. */
export interface InputIssue {
  field: string;
  message: string;
}

function positiveFinite(issues: InputIssue[], field: string, value: number, what: string): boolean {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    issues.push({ field, message: `${what} must be a number, got ${String(value)}` });
    return false;
  }
  if (!Number.isFinite(value)) {
    issues.push({ field, message: `${what} must be finite, got ${value}` });
    return false;
  }
  if (value <= 0) {
    issues.push({ field, message: `${what} must be greater than 0, got ${value}` });
    return false;
  }
  return true;
}

/**
 * Checks the inputs the bound models need to stay physical: positive finite sizes, at least one update per
 * parameter (ln Γ(U+1) < 0 below that), utilisation in (0, 1], PUE ≥ 1 and a retention barrier above kT·ln 2.
 */
export function validateBoundInputs(x: BoundInputs): InputIssue[] {
  const issues: InputIssue[] = [];
  const okParams = positiveFinite(issues, 'params', x.params, 'the parameter count N');
  const okFlops = positiveFinite(issues, 'flops', x.flops, 'the training operations OPS');
  if (positiveFinite(issues, 'bits', x.bits, 'the precision b') && x.bits > 64) {
    issues.push({ field: 'bits', message: `the precision b must be at most 64 bits, got ${x.bits}` });
  }
  if (positiveFinite(issues, 'temperatureK', x.temperatureK, 'the temperature T') && x.temperatureK > 1e4) {
    issues.push({ field: 'temperatureK', message: `the temperature T must be at most 10,000 K, got ${x.temperatureK}` });
  }
  const okCu = positiveFinite(issues, 'opsPerUpdate', x.opsPerUpdate, 'the operations per update c_u');
  oneOf(issues, 'barrierCharge', x.barrierCharge, BARRIER_CHARGES, 'the barrier charge');
  const okCount = oneOf(issues, 'opsCount', x.opsCount, OPS_COUNTS, 'what OPS counts');
  if (okParams && okFlops && okCu && okCount && updatesPerParameter(x) < 1) {
    const perUpdate = x.opsPerUpdate * (x.opsCount === 'model-updates' ? FLOPS_PER_MODEL_UPDATE : 1);
    issues.push({
      field: 'flops',
      message: `the training operations must give at least one update per parameter (OPS ≥ ${x.opsCount === 'model-updates' ? `${FLOPS_PER_MODEL_UPDATE}·` : ''}c_u·N = ${perUpdate * x.params}), got ${x.flops}`,
    });
  }
  if (x.schedule.kind === 'power-law') {
    const a = x.schedule.alpha;
    if (typeof a !== 'number' || !Number.isFinite(a) || a < 0) {
      issues.push({ field: 'schedule.alpha', message: `the schedule exponent α must be a finite number ≥ 0, got ${a}` });
    }
  } else {
    positiveFinite(issues, 'schedule.tau', x.schedule.tau, 'the schedule time constant τ');
  }
  const okF0 = positiveFinite(issues, 'attemptFrequencyHz', x.attemptFrequencyHz, 'the attempt frequency f0');
  const okRet = positiveFinite(issues, 'retentionS', x.retentionS, 'the retention time t_ret');
  if (okF0 && okRet && x.attemptFrequencyHz * x.retentionS < 2) {
    issues.push({
      field: 'retentionS',
      message: `f0·t_ret must be at least 2 so the retention barrier exceeds kT·ln 2, got ${x.attemptFrequencyHz * x.retentionS}`,
    });
  }
  positiveFinite(issues, 'accelerator.peakFlops', x.accelerator.peakFlops, 'the accelerator peak FLOP/s');
  positiveFinite(issues, 'accelerator.powerW', x.accelerator.powerW, 'the accelerator power');
  if (positiveFinite(issues, 'accelerator.utilization', x.accelerator.utilization, 'the utilisation') && x.accelerator.utilization > 1) {
    issues.push({ field: 'accelerator.utilization', message: `the utilisation must be at most 1, got ${x.accelerator.utilization}` });
  }
  if (positiveFinite(issues, 'accelerator.pue', x.accelerator.pue, 'the PUE') && x.accelerator.pue < 1) {
    issues.push({ field: 'accelerator.pue', message: `the PUE must be at least 1, got ${x.accelerator.pue}` });
  }
  return issues;
}

export const BARRIER_CHARGES: readonly BarrierCharge[] = ['every-update', 'rises-only'];
export const OPS_COUNTS: readonly OpsCount[] = ['flops', 'model-updates'];

function oneOf<T extends string>(issues: InputIssue[], field: string, value: T, allowed: readonly T[], what: string): boolean {
  if (allowed.includes(value)) return true;
  issues.push({ field, message: `${what} must be one of ${allowed.join(', ')}, got ${String(value)}` });
  return false;
}

/**
 * U, the number of updates each parameter receives: OPS / (c_u·N) when OPS counts FLOPs (the default), and
 * OPS / (6·c_u·N) when FLOPs are turned into model-update operations (`opsCount: 'model-updates'`).
 */
export function updatesPerParameter(x: Pick<BoundInputs, 'flops' | 'opsPerUpdate' | 'params'> & { opsCount?: OpsCount }): number {
  const flopsPerUpdate = x.opsCount === 'model-updates' ? FLOPS_PER_MODEL_UPDATE : 1;
  return x.flops / (flopsPerUpdate * x.opsPerUpdate * x.params);
}
