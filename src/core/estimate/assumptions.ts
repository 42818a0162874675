import { BOUND_DEFAULTS, type Schedule } from '../bounds/inputs';

/**
 * Every number the estimate uses when a config is silent, in one place. The extension maps its settings onto
 * this object and the CLI its flags; whatever is used is reported back as an assumption.
 */
export interface EstimateAssumptions {
  hardwareId: string;
  devices: number;
  /** Model FLOP utilisation for the compute-only route. */
  utilization: number;
  /** Power per device instead of the profile's TDP (W); undefined = TDP. */
  powerW?: number;
  pue: number;
  gridKgPerKwh: number;
  /** D = tokensPerParameter × N when nothing gives the run size. */
  tokensPerParameter: number;
  /** Bits per parameter when no precision flag is found. */
  bits: number;
  temperatureK: number;
  schedule: Schedule;
  /** Vision models without a run size: samples per epoch and epochs. */
  visionSamples: number;
  visionEpochs: number;
}

export const ESTIMATE_DEFAULTS: Readonly<EstimateAssumptions> = {
  hardwareId: BOUND_DEFAULTS.hardwareId,
  devices: 1,
  utilization: BOUND_DEFAULTS.utilization,
  powerW: undefined,
  pue: BOUND_DEFAULTS.pue,
  gridKgPerKwh: 0.385,
  tokensPerParameter: 20,
  bits: BOUND_DEFAULTS.bits,
  temperatureK: BOUND_DEFAULTS.temperatureK,
  schedule: { kind: 'power-law', alpha: BOUND_DEFAULTS.alpha },
  visionSamples: 1_281_167,
  visionEpochs: 90,
};

/** Why each default is what it is; shown next to the value wherever it was used. */
export const DEFAULT_REASONS: Record<keyof EstimateAssumptions, string> = {
  hardwareId: 'no hardware in the config: the default accelerator profile',
  devices: 'no device count in the config: one device',
  utilization: 'model FLOP utilisation 0.40 (published large runs imply 0.30–0.48)',
  powerW: 'board TDP of the hardware profile (what published training energies almost all use)',
  pue: 'data-centre PUE 1.1',
  gridKgPerKwh: 'US average grid intensity 0.385 kg CO2e/kWh, as used in the LLaMA papers',
  tokensPerParameter: 'no run size in the config: 20 tokens per parameter (Chinchilla-optimal, Hoffmann et al. 2022)',
  bits: 'no precision flag in the config: fp32',
  temperatureK: 'room temperature 300 K',
  schedule: 'SGD-like plasticity schedule, α = 1',
  visionSamples: 'no dataset size: ImageNet-1k training set, 1,281,167 images',
  visionEpochs: 'no epoch count: 90 epochs (the standard ResNet ImageNet schedule)',
};

/** Values that replace what the config says (CLI flags, an explicit "override" setting). */
export interface RunOverrides {
  hardwareId?: string;
  devices?: number;
  hours?: number;
  deviceHours?: number;
  utilization?: number;
  powerW?: number;
  pue?: number;
  gridKgPerKwh?: number;
  tokens?: number;
  flops?: number;
  bits?: number;
}

export interface EstimateSettings {
  /** Fallbacks for what configs leave out; missing keys take ESTIMATE_DEFAULTS. */
  assumptions?: Partial<EstimateAssumptions>;
  overrides?: RunOverrides;
  /** How to name an override in provenance ("--tokens", "limLens.tokens"); default "override <key>". */
  overrideLabel?: (key: keyof RunOverrides) => string;
  /** How to name a user-set assumption ("setting limLens.pue"); default "setting <key>". */
  settingLabel?: (key: keyof EstimateAssumptions) => string;
}

/** One default or setting that shaped a result, for the "assumptions" list of a report. */
export interface Assumption {
  name: string;
  value: unknown;
  origin: 'built-in default' | 'setting' | 'override';
  reason: string;
}
