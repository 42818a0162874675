/**
 * Device descriptions (spec 02 §1, §4.2–4.3, §5). One flat, JSON-friendly record per device so the CLI, the
 * extension settings and the aihwkit export can all read and write it; `model` says which update rule applies.
 */

/** The paper's response-function devices (spec 02 §1.3), parameterised by the dynamic-range radius τ. */
export type ResponseModel = 'soft-bounds' | 'linear' | 'power' | 'exp';
/** aihwkit's pulsed device classes (spec 02 §4.3), same names as the Python classes. */
export type AihwkitModel = 'ConstantStep' | 'LinearStep' | 'SoftBounds' | 'SoftBoundsReference' | 'ExpStep' | 'PowStep';
export type DeviceModel = ResponseModel | AihwkitModel;

export const RESPONSE_MODELS: readonly ResponseModel[] = ['soft-bounds', 'linear', 'power', 'exp'];
export const AIHWKIT_MODELS: readonly AihwkitModel[] = ['ConstantStep', 'LinearStep', 'SoftBounds', 'SoftBoundsReference', 'ExpStep', 'PowStep'];

export interface DeviceConfig {
  model: DeviceModel;
  /** Preset this device came from (spec 02 §5), for reports and the aihwkit export. */
  preset?: string;
  /** Δw_min: the nominal size of one pulse (aihwkit `dw_min`). */
  dwMin: number;
  /** Device-to-device spread of the step size (relative); log-normal when `dwMinDtodLogNormal`. */
  dwMinDtod: number;
  dwMinDtodLogNormal: boolean;
  /** Cycle-to-cycle noise of one pulse (aihwkit `dw_min_std`, σ_c of the paper). */
  dwMinStd: number;
  /** Up/down asymmetry in aihwkit's convention: > 0 shrinks down steps by (1 − upDown). */
  upDown: number;
  upDownDtod: number;
  wMax: number;
  wMaxDtod: number;
  wMin: number;
  wMinDtod: number;
  /** Response devices: dynamic-range radius τ (bounds ±τ). */
  tau: number;
  /** Response devices: exponent γ_res of the power and exponential responses. */
  gammaRes: number;
  /** Response device `linear`: the paper's c_Lin, q₊ = (1 + c)(1 − w/τ), q₋ = (1 − c)(1 + w/τ); symmetric point cτ. */
  offset: number;
  /** LinearStep slopes γ_up, γ_down and their device-to-device spread. */
  gammaUp: number;
  gammaDown: number;
  gammaUpDtod: number;
  gammaDownDtod: number;
  /** Cycle noise multiplies the step (true) or is added in units of the step size (false). */
  multNoise: boolean;
  /** LinearStep: slopes refer to the mean bounds w_max/w_min rather than each element's own. */
  meanBoundReference: boolean;
  /** SoftBoundsReference: shift every element so its symmetric point reads as 0. */
  subtractSymmetryPoint: boolean;
  referenceMean: number;
  referenceStd: number;
  /** SoftBoundsReference: device-to-device spread of the slopes s/b. */
  slopeDtod: number;
  /** ExpStep shape (aihwkit a, b, γ_up, γ_down, A_up, A_down) and its extra noise terms. */
  expA: number;
  expB: number;
  expGammaUp: number;
  expGammaDown: number;
  expAUp: number;
  expADown: number;
  dwMinStdAdd: number;
  dwMinStdSlope: number;
  /** PowStep exponent and its asymmetry. */
  powGamma: number;
  powGammaDtod: number;
  powUpDown: number;
  powUpDownDtod: number;
  /** Write noise in units of dwMin: the read weight scatters around a hidden persistent weight. */
  writeNoiseStd: number;
  /** Decay lifetime in mini-batches (0 = none) toward `reset`. */
  lifetime: number;
  lifetimeDtod: number;
  reset: number;
  resetDtod: number;
  /** Two uni-directional devices per weight, w = g⁺ − g⁻ (aihwkit OneSidedUnitCell, the PCM pair). */
  onesidedPair: boolean;
  /** Energy of one device pulse, joules (for the energy of a run). */
  energyPerPulseJ: number;
  /** Where the parameters come from. */
  source: string;
}

/** Energy per update pulse of the Fowler–Nordheim dynamic analog memory used in the LIM papers' group (5 fJ). */
export const DEFAULT_ENERGY_PER_PULSE_J = 5e-15;

const PULSED_DEFAULTS = {
  // aihwkit PulsedDevice defaults (spec 02 §4.2).
  dwMin: 0.001,
  dwMinDtod: 0.3,
  dwMinDtodLogNormal: false,
  dwMinStd: 0.3,
  upDown: 0,
  upDownDtod: 0.01,
  wMax: 0.6,
  wMaxDtod: 0.3,
  wMin: -0.6,
  wMinDtod: 0.3,
};

const NEUTRAL: Omit<DeviceConfig, 'model' | 'source'> = {
  ...PULSED_DEFAULTS,
  tau: 0.6,
  gammaRes: 1,
  offset: 0,
  gammaUp: 0,
  gammaDown: 0,
  gammaUpDtod: 0.05,
  gammaDownDtod: 0.05,
  multNoise: true,
  meanBoundReference: true,
  subtractSymmetryPoint: false,
  referenceMean: 0,
  referenceStd: 0,
  slopeDtod: 0,
  expA: 0.244,
  expB: 0.2425,
  expGammaUp: 12.44625,
  expGammaDown: 12.78785,
  expAUp: 0.00081,
  expADown: 0.36833,
  dwMinStdAdd: 0,
  dwMinStdSlope: 0,
  powGamma: 1,
  powGammaDtod: 0.1,
  powUpDown: 0,
  powUpDownDtod: 0,
  writeNoiseStd: 0,
  lifetime: 0,
  lifetimeDtod: 0,
  reset: 0,
  resetDtod: 0,
  onesidedPair: false,
  energyPerPulseJ: DEFAULT_ENERGY_PER_PULSE_J,
};

/**
 * A complete device of the given model with its defaults: aihwkit's class defaults for the aihwkit models, the
 * paper's idealised device (bounds ±τ, no variation, no cycle noise) for the response models.
 */
export function defaultDevice(model: DeviceModel, overrides: Partial<DeviceConfig> = {}): DeviceConfig {
  const base: DeviceConfig = { ...NEUTRAL, model, source: '' };
  switch (model) {
    case 'soft-bounds':
    case 'linear':
    case 'power':
    case 'exp':
      Object.assign(base, {
        tau: 1,
        dwMin: 0.001,
        dwMinDtod: 0,
        dwMinStd: 0,
        upDownDtod: 0,
        wMaxDtod: 0,
        wMinDtod: 0,
        multNoise: false,
        source: 'Wu et al. NeurIPS 2024 (arXiv 2406.12774, section 1.3) and NeurIPS 2025 (arXiv 2502.06309): response-function device',
      });
      break;
    case 'ConstantStep':
      base.source = 'aihwkit ConstantStepDevice defaults';
      break;
    case 'LinearStep':
      base.source = 'aihwkit LinearStepDevice defaults';
      break;
    case 'SoftBounds':
      Object.assign(base, { gammaUp: 1, gammaDown: 1, gammaUpDtod: 0, gammaDownDtod: 0, meanBoundReference: false, source: 'aihwkit SoftBoundsDevice defaults' });
      break;
    case 'SoftBoundsReference':
      Object.assign(base, { multNoise: false, source: 'aihwkit SoftBoundsReferenceDevice defaults' });
      break;
    case 'ExpStep':
      base.source = 'aihwkit ExpStepDevice defaults';
      break;
    case 'PowStep':
      base.source = 'aihwkit PowStepDevice defaults';
      break;
  }
  const out = { ...base, ...overrides };
  if (isResponseModel(model) && overrides.tau !== undefined) {
    out.wMax = overrides.tau;
    out.wMin = -overrides.tau;
  } else if (isResponseModel(model)) {
    out.wMax = out.tau;
    out.wMin = -out.tau;
  }
  return out;
}

export function isResponseModel(m: DeviceModel): m is ResponseModel {
  return (RESPONSE_MODELS as readonly string[]).includes(m);
}

/**
 * aihwkit's weight granularity (spec 02 §4.4): the step the bit-line length is computed from.
 * PowStep's step at mid-range is dw_min·0.5^γ.
 */
export function weightGranularity(d: DeviceConfig): number {
  return d.model === 'PowStep' ? d.dwMin * Math.pow(0.5, d.powGamma) : d.dwMin;
}

/** Number of distinguishable states over the range, (w_max − w_min)/granularity. */
export function deviceStates(d: DeviceConfig): number {
  return (d.wMax - d.wMin) / weightGranularity(d);
}

/** Nominal symmetric point (no variation) of a device, where mean up and down steps are equal. */
export function nominalSymmetricPoint(d: DeviceConfig): number {
  switch (d.model) {
    case 'linear':
      return d.offset * d.tau;
    case 'soft-bounds':
    case 'power':
    case 'exp':
    case 'ConstantStep':
      return 0;
    case 'SoftBoundsReference': {
      if (d.subtractSymmetryPoint) return 0;
      const su = 1 + Math.min(d.upDown, 0);
      const sd = 1 - Math.max(d.upDown, 0);
      return (su - sd) / (su / d.wMax - sd / d.wMin);
    }
    default:
      return NaN;
  }
}
