/**
 * Device descriptions: one JSON-friendly type per device model, a discriminated union on `model`, so the CLI, the
 * extension settings, the presets and the aihwkit export read and write exactly the fields a model has. Each field
 * says which equation it enters; the equations themselves are written out, one pulse at a time, in
 * ../reference/devices.ts, and docs/analog.md (section 2) lists them as a table.
 *
 * Notation used below: for element i, `s↑`, `s↓` are its up and down step sizes, `b↑`, `b↓` its upper and lower
 * bounds, `ξ` a standard normal draw (a fresh one per use), `σ = dwMinStd`.
 */
import { param } from '../../params/registry';

/** The paper's response-function devices, parameterised by the dynamic-range radius τ (bounds ±τ). */
export type ResponseModel = 'soft-bounds' | 'linear' | 'power' | 'exp';
/** aihwkit's pulsed device classes, named as the Python classes without the "Device" suffix. */
export type AihwkitModel = 'ConstantStep' | 'LinearStep' | 'SoftBounds' | 'SoftBoundsReference' | 'ExpStep' | 'PowStep';
export type DeviceModel = ResponseModel | AihwkitModel;

export const RESPONSE_MODELS: readonly ResponseModel[] = ['soft-bounds', 'linear', 'power', 'exp'];
export const AIHWKIT_MODELS: readonly AihwkitModel[] = ['ConstantStep', 'LinearStep', 'SoftBounds', 'SoftBoundsReference', 'ExpStep', 'PowStep'];

/** Fields every device has: its step size and the element-to-element spread of it (aihwkit `PulsedDevice`). */
export interface DeviceCommon {
  /** Preset this device came from, for reports and the aihwkit export. */
  preset?: string;
  /** Where the parameters come from. */
  source: string;
  /**
   * Δw_min, the nominal size of one pulse (aihwkit `dw_min`): s↑ = s↓ = dwMin before variation and asymmetry;
   * also the weight granularity g_w that sets the bit-line length, k = lr·max|x|·max|d|/g_w.
   */
  dwMin: number;
  /**
   * Device-to-device spread of the step (aihwkit `dw_min_dtod`): each element's gain is 1 + dwMinDtod·ξ, or
   * exp(dwMinDtod·ξ) when `dwMinDtodLogNormal`; s↑,↓ = |(bias↑,↓ + gain ± upDownDtod·ξ)|·dwMin.
   */
  dwMinDtod: number;
  dwMinDtodLogNormal: boolean;
  /** Cycle-to-cycle noise σ of one pulse (aihwkit `dw_min_std`, σ_c of the paper); how it enters is per model. */
  dwMinStd: number;
  /** Device-to-device spread of the up/down asymmetry: ±upDownDtod·ξ in s↑ and s↓ (aihwkit `up_down_dtod`). */
  upDownDtod: number;
  /** Relative spread of the bounds: b↑ = w_max·(1 + wMaxDtod·ξ), b↓ = w_min·(1 + wMinDtod·ξ). */
  wMaxDtod: number;
  wMinDtod: number;
  /**
   * Write noise in units of dwMin (aihwkit `write_noise_std`): pulses move a hidden persistent weight h and the
   * read weight is w = h + writeNoiseStd·dwMin·ξ, redrawn after every write.
   */
  writeNoiseStd: number;
  /**
   * Decay lifetime in mini-batches (0 = none), per element lifetime·(1 + lifetimeDtod·ξ): after each step
   * w ← (w − r)·(1 − 1/lifetime) + r toward r = reset + resetDtod·ξ (aihwkit `lifetime`, `reset`).
   */
  lifetime: number;
  lifetimeDtod: number;
  reset: number;
  resetDtod: number;
  /**
   * Two uni-directional devices per weight, w = g⁺ − g⁻ (aihwkit OneSidedUnitCell, the PCM pair): an up pulse
   * potentiates g⁺, a down pulse potentiates g⁻; a pair past 3/4 of its range is reset and rewritten.
   */
  onesidedPair: boolean;
  /** Energy of one device pulse, joules: energy of a run = pulses × energyPerPulseJ + reads. */
  energyPerPulseJ: number;
}

/** The paper's devices: bounds ±τ, no aihwkit asymmetry (their asymmetry is the response itself). */
interface ResponseCommon extends DeviceCommon {
  /** Dynamic-range radius τ: nominal bounds b↑ = τ, b↓ = −τ, and q± is written in w/τ. */
  tau: number;
}

/** Soft bounds (the 2024 paper's device): one pulse is w ± dwMin·(1 ∓ w/τ), i.e. q± = 1 ∓ w/τ. */
export interface SoftBoundsResponseDevice extends ResponseCommon {
  model: 'soft-bounds';
}

/** Generic linear response (2025 paper): q₊ = (1 + c)(1 − w/τ), q₋ = (1 − c)(1 + w/τ), symmetric point cτ. */
export interface LinearResponseDevice extends ResponseCommon {
  model: 'linear';
  /** c_Lin in the equation above, in (−1, 1). */
  offset: number;
}

/** Power response (2025 paper): q± = (1 ∓ w/τ)^γ_res; one pulse is w ± dwMin·(q±(w) + σξ). */
export interface PowerResponseDevice extends ResponseCommon {
  model: 'power';
  /** γ_res, the exponent of q±. */
  gammaRes: number;
}

/** Exponential response (2025 paper): q± = (e^{γ(1 ∓ w/τ)} − 1)/(e^γ − 1); one pulse is w ± dwMin·(q±(w) + σξ). */
export interface ExpResponseDevice extends ResponseCommon {
  model: 'exp';
  /** γ_res, the rate of q±. */
  gammaRes: number;
}

/** aihwkit's devices: explicit bounds w_min ≤ 0 ≤ w_max and aihwkit's up/down asymmetry. */
interface AihwkitCommon extends DeviceCommon {
  /**
   * aihwkit `up_down`: > 0 shrinks down steps, < 0 up steps, bias↑ = min(upDown, 0), bias↓ = −max(upDown, 0) in
   * s↑,↓ = |(bias↑,↓ + gain ± upDownDtod·ξ)|·dwMin.
   */
  upDown: number;
  /** Nominal upper and lower bounds (aihwkit `w_max`, `w_min`), spread by wMaxDtod, wMinDtod. */
  wMax: number;
  wMin: number;
}

/** aihwkit ConstantStepDevice: w ± s·(1 + σξ), clipped to [b↓, b↑]. */
export interface ConstantStepDevice extends AihwkitCommon {
  model: 'ConstantStep';
}

/**
 * aihwkit LinearStepDevice: the mean step is s↑ − γ↑·s↑·w/r↑ going up and s↓ − γ↓·s↓·w/r↓ going down (r↑,↓ the
 * reference bounds, see meanBoundReference), floored at 0; one pulse is that step ×(1 + σξ) when multNoise, else
 * the step plus s·σξ.
 */
export interface LinearStepDevice extends AihwkitCommon {
  model: 'LinearStep';
  /** γ↑, γ↓ (aihwkit `gamma_up`, `gamma_down`), per element |γ + gammaDtod·ξ|. */
  gammaUp: number;
  gammaDown: number;
  gammaUpDtod: number;
  gammaDownDtod: number;
  /** Cycle noise multiplies the step (true) or is added in units of s (false) (aihwkit `mult_noise`). */
  multNoise: boolean;
  /** r↑,↓ = the nominal w_max, w_min (true) or each element's own b↑, b↓ (false) (aihwkit `mean_bound_reference`). */
  meanBoundReference: boolean;
}

/** aihwkit SoftBoundsDevice: LinearStep with γ = 1 and each element's own bounds, step s·(1 − w/b). */
export interface SoftBoundsDevice extends AihwkitCommon {
  model: 'SoftBounds';
  /** As LinearStep's: noise ×(1 + σξ) on the step, or + s·σξ. */
  multNoise: boolean;
}

/**
 * aihwkit SoftBoundsReferenceDevice: pulses act on w_p = w + ref, one pulse is w_p ± s·(1 − w_p/b)·(1 + σξ) when
 * multNoise, else w_p ± (s·(1 − w_p/b) + s·σξ), clipped to [b↓, b↑].
 */
export interface SoftBoundsReferenceDevice extends AihwkitCommon {
  model: 'SoftBoundsReference';
  multNoise: boolean;
  /** Add to ref each element's symmetric point (s↑ − s↓)/(s↑/b↑ − s↓/b↓), so it reads as 0 (aihwkit `subtract_symmetry_point`). */
  subtractSymmetryPoint: boolean;
  /** ref = referenceMean + referenceStd·ξ per element (aihwkit `reference_mean`, `reference_std`). */
  referenceMean: number;
  referenceStd: number;
  /** Spread of the slopes s/b: b↑ ← b↑/|1 + slopeDtod·ξ|, b↓ likewise (aihwkit `slope_up_dtod`, `slope_down_dtod`). */
  slopeDtod: number;
}

/**
 * aihwkit ExpStepDevice: with z = 2a·w/(b↑ − b↓) + b, the mean step is s↑·max(1 − A↑·e^{γ↑·z}, 0) going up and
 * s↓·max(1 − A↓·e^{−γ↓·z}, 0) going down; one pulse adds σ·(|step| + dwMinStdAdd + dwMinStdSlope·|w|)·ξ when either
 * extra term is set, else multiplies the step by (1 + σξ).
 */
export interface ExpStepDevice extends AihwkitCommon {
  model: 'ExpStep';
  /** a and b of z above (aihwkit `a`, `b`). */
  expA: number;
  expB: number;
  /** γ↑, γ↓ of the exponentials (aihwkit `gamma_up`, `gamma_down`). */
  expGammaUp: number;
  expGammaDown: number;
  /** A↑, A↓ of the exponentials (aihwkit `A_up`, `A_down`). */
  expAUp: number;
  expADown: number;
  /** Additive and weight-proportional noise terms above (aihwkit `dw_min_std_add`, `dw_min_std_slope`). */
  dwMinStdAdd: number;
  dwMinStdSlope: number;
}

/**
 * aihwkit PowStepDevice: the mean step is s↑·((b↑ − w)/(b↑ − b↓))^γ↑ going up and s↓·((w − b↓)/(b↑ − b↓))^γ↓
 * going down; one pulse multiplies it by (1 + σξ).
 */
export interface PowStepDevice extends AihwkitCommon {
  model: 'PowStep';
  /** γ (aihwkit `pow_gamma`): γ↑,↓ = |γ·(bias↑,↓ + 1 + powGammaDtod·ξ ± powUpDownDtod·ξ')| per element. */
  powGamma: number;
  powGammaDtod: number;
  /** Asymmetry of the exponents, as upDown is of the steps: bias↑ = min(powUpDown, 0), bias↓ = −max(powUpDown, 0). */
  powUpDown: number;
  powUpDownDtod: number;
}

export type ResponseDevice = SoftBoundsResponseDevice | LinearResponseDevice | PowerResponseDevice | ExpResponseDevice;
export type AihwkitDevice = ConstantStepDevice | LinearStepDevice | SoftBoundsDevice | SoftBoundsReferenceDevice | ExpStepDevice | PowStepDevice;
export type DeviceConfig = ResponseDevice | AihwkitDevice;
/** The device type of one model. */
export type DeviceOf<M extends DeviceModel> = Extract<DeviceConfig, { model: M }>;

/**
 * Energy per update pulse of the Fowler–Nordheim dynamic analog memory used in the LIM papers' group (5 fJ): the
 * parameter registry's default of `simulation.energyPerPulseJ` (the setting and `--energy-per-pulse`).
 */
export const DEFAULT_ENERGY_PER_PULSE_J = param('simulation.energyPerPulseJ').default as number;

/** aihwkit PulsedDevice defaults of the fields every device has. */
const COMMON_DEFAULTS: Omit<DeviceCommon, 'source'> = {
  dwMin: 0.001,
  dwMinDtod: 0.3,
  dwMinDtodLogNormal: false,
  dwMinStd: 0.3,
  upDownDtod: 0.01,
  wMaxDtod: 0.3,
  wMinDtod: 0.3,
  writeNoiseStd: 0,
  lifetime: 0,
  lifetimeDtod: 0,
  reset: 0,
  resetDtod: 0,
  onesidedPair: false,
  energyPerPulseJ: DEFAULT_ENERGY_PER_PULSE_J,
};

/** aihwkit PulsedDevice defaults shared by every aihwkit class. */
const AIHWKIT_COMMON: Omit<AihwkitCommon, 'source'> = { ...COMMON_DEFAULTS, upDown: 0, wMax: 0.6, wMin: -0.6 };

/** The paper's idealised device: bounds ±τ, Δw_min 1e-3, no variation, no cycle noise. */
const RESPONSE_COMMON: Omit<ResponseCommon, 'source'> = {
  ...COMMON_DEFAULTS,
  tau: 1,
  dwMinDtod: 0,
  dwMinStd: 0,
  upDownDtod: 0,
  wMaxDtod: 0,
  wMinDtod: 0,
};

const RESPONSE_SOURCE = 'Wu et al. NeurIPS 2024 (arXiv 2406.12774, section 1.3) and NeurIPS 2025 (arXiv 2502.06309): response-function device';

/** Each model's defaults: aihwkit's class defaults, the paper's idealised device for the response models. */
const DEFAULTS: { [M in DeviceModel]: DeviceOf<M> } = {
  'soft-bounds': { ...RESPONSE_COMMON, model: 'soft-bounds', source: RESPONSE_SOURCE },
  linear: { ...RESPONSE_COMMON, model: 'linear', offset: 0, source: RESPONSE_SOURCE },
  power: { ...RESPONSE_COMMON, model: 'power', gammaRes: 1, source: RESPONSE_SOURCE },
  exp: { ...RESPONSE_COMMON, model: 'exp', gammaRes: 1, source: RESPONSE_SOURCE },
  ConstantStep: { ...AIHWKIT_COMMON, model: 'ConstantStep', source: 'aihwkit ConstantStepDevice defaults' },
  LinearStep: {
    ...AIHWKIT_COMMON,
    model: 'LinearStep',
    gammaUp: 0,
    gammaDown: 0,
    gammaUpDtod: 0.05,
    gammaDownDtod: 0.05,
    multNoise: true,
    meanBoundReference: true,
    source: 'aihwkit LinearStepDevice defaults',
  },
  SoftBounds: { ...AIHWKIT_COMMON, model: 'SoftBounds', multNoise: true, source: 'aihwkit SoftBoundsDevice defaults' },
  SoftBoundsReference: {
    ...AIHWKIT_COMMON,
    model: 'SoftBoundsReference',
    multNoise: false,
    subtractSymmetryPoint: false,
    referenceMean: 0,
    referenceStd: 0,
    slopeDtod: 0,
    source: 'aihwkit SoftBoundsReferenceDevice defaults',
  },
  ExpStep: {
    ...AIHWKIT_COMMON,
    model: 'ExpStep',
    expA: 0.244,
    expB: 0.2425,
    expGammaUp: 12.44625,
    expGammaDown: 12.78785,
    expAUp: 0.00081,
    expADown: 0.36833,
    dwMinStdAdd: 0,
    dwMinStdSlope: 0,
    source: 'aihwkit ExpStepDevice defaults',
  },
  PowStep: { ...AIHWKIT_COMMON, model: 'PowStep', powGamma: 1, powGammaDtod: 0.1, powUpDown: 0, powUpDownDtod: 0, source: 'aihwkit PowStepDevice defaults' },
};

/**
 * A complete device of the given model with its defaults (aihwkit's class defaults for the aihwkit models, the
 * paper's idealised device for the response models), then `overrides`. Only the model's own fields are kept, so a
 * flat record with other models' fields (an older JSON, a generic override) gives the same device.
 */
export function defaultDevice<M extends DeviceModel>(model: M, overrides: Partial<DeviceOf<M>> = {}): DeviceOf<M> {
  const base = DEFAULTS[model] as DeviceOf<M>;
  if (!base) throw new RangeError(`unknown device model "${String(model)}"`);
  const out: Record<string, unknown> = { ...(base as object) };
  for (const [k, v] of Object.entries(overrides)) if ((k in base || k === 'preset') && v !== undefined) out[k] = v;
  out.model = model;
  return out as unknown as DeviceOf<M>;
}

export function isResponseModel(m: DeviceModel): m is ResponseModel {
  return (RESPONSE_MODELS as readonly string[]).includes(m);
}

export function isResponseDevice(d: DeviceConfig): d is ResponseDevice {
  return isResponseModel(d.model);
}

/** Nominal bounds [w_min, w_max] before device-to-device variation: ±τ for the response models. */
export function nominalBounds(d: DeviceConfig): { wMin: number; wMax: number } {
  return isResponseDevice(d) ? { wMin: -d.tau, wMax: d.tau } : { wMin: d.wMin, wMax: d.wMax };
}

/** The SoftBoundsReference options, as the paper's soft-bounds and linear devices (simulated by the same rule) set them. */
export type ReferenceOptions = Pick<SoftBoundsReferenceDevice, 'multNoise' | 'subtractSymmetryPoint' | 'referenceMean' | 'referenceStd' | 'slopeDtod'>;

const NO_REFERENCE: ReferenceOptions = { multNoise: false, subtractSymmetryPoint: false, referenceMean: 0, referenceStd: 0, slopeDtod: 0 };

export function referenceOptions(d: SoftBoundsReferenceDevice | SoftBoundsResponseDevice | LinearResponseDevice): ReferenceOptions {
  return d.model === 'SoftBoundsReference' ? d : NO_REFERENCE;
}

/** True when the device keeps a per-element reference (ref ≠ 0 somewhere). */
export function hasReference(o: ReferenceOptions): boolean {
  return o.referenceStd > 0 || o.referenceMean !== 0 || o.subtractSymmetryPoint;
}

/** aihwkit's up_down of a device (0 for the response models, whose asymmetry is their response). */
export function upDownOf(d: DeviceConfig): number {
  return isResponseDevice(d) ? 0 : d.upDown;
}

/**
 * aihwkit's weight granularity: the step the bit-line length is computed from. PowStep's step at mid-range is
 * dw_min·0.5^γ.
 */
export function weightGranularity(d: DeviceConfig): number {
  return d.model === 'PowStep' ? d.dwMin * Math.pow(0.5, d.powGamma) : d.dwMin;
}

/** Number of distinguishable states over the range, (w_max − w_min)/granularity. */
export function deviceStates(d: DeviceConfig): number {
  const b = nominalBounds(d);
  return (b.wMax - b.wMin) / weightGranularity(d);
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
