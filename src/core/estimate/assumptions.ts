import type { Schedule } from '../bounds/inputs';
import { findHardware } from '../hardware/profiles';
import { defaultReasons, estimateDefaults } from '../params/derive';
import { formatCount, formatInteger, formatSig } from '../units/format';

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

/** The defaults of every assumption, as the parameter registry (src/core/params) declares them. */
export const ESTIMATE_DEFAULTS: Readonly<EstimateAssumptions> = Object.freeze(estimateDefaults());

/**
 * Why each default is what it is; shown next to the value wherever it was used. From the parameter registry
 * (src/core/params), where each default is declared once with its reason.
 */
export const DEFAULT_REASONS: Record<keyof EstimateAssumptions, string> = defaultReasons();

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

/** Why a built-in default was used, in a few words, for lists that name many of them at once. */
const SHORT_REASONS: Partial<Record<string, string>> = {
  hardwareId: 'none in the file',
  devices: 'none in the file',
  utilization: 'typical of large runs',
  powerW: 'board TDP',
  pue: 'typical data centre',
  gridKgPerKwh: 'US average grid',
  tokensPerParameter: 'Chinchilla',
  bits: 'no precision flag in the file',
  temperatureK: 'room temperature',
  schedule: 'SGD-like',
  visionSamples: 'ImageNet-1k',
  visionEpochs: 'the standard ResNet schedule',
  sequenceLength: "the model's context length",
};

/** An assumed value in words: "1 device", "20 tokens per parameter", "H100 SXM", "fp32 (32 bits per parameter)". */
function valueInWords(name: string, value: unknown): string | undefined {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  switch (name) {
    case 'hardwareId':
      return typeof value === 'string' ? (findHardware(value)?.name.replace(/^(NVIDIA|Google) /, '') ?? value) : undefined;
    case 'devices':
      return n === undefined ? undefined : `${formatInteger(n)} device${n === 1 ? '' : 's'}`;
    case 'utilization':
      return n === undefined ? undefined : `${formatSig(n * 100, 2)} % utilisation`;
    case 'powerW':
      return n === undefined ? undefined : `${formatSig(n, 3)} W per device`;
    case 'pue':
      return n === undefined ? undefined : `PUE ${formatSig(n, 3)}`;
    case 'gridKgPerKwh':
      return n === undefined ? undefined : `${formatSig(n, 3)} kg CO₂/kWh`;
    case 'tokensPerParameter':
      return n === undefined ? undefined : `${formatSig(n, 3)} tokens per parameter`;
    case 'bits':
      return n === undefined ? undefined : `${formatSig(n, 3)}-bit precision`;
    case 'temperatureK':
      return n === undefined ? undefined : `${formatSig(n, 3)} K`;
    case 'schedule': {
      const sch = value as Partial<Schedule> | undefined;
      if (sch?.kind === 'power-law') return `plasticity falling as 1/n^${formatSig(sch.alpha ?? 1, 3)}`;
      if (sch?.kind === 'exponential') return `plasticity decaying over ${formatCount(sch.tau ?? 0)} updates`;
      return undefined;
    }
    case 'visionSamples':
      return n === undefined ? undefined : `${formatCount(n)} images per epoch`;
    case 'visionEpochs':
      return n === undefined ? undefined : `${formatSig(n, 3)} epochs`;
    case 'sequenceLength':
      return n === undefined ? undefined : `sequence length ${formatInteger(n)}`;
    default:
      return undefined;
  }
}

/**
 * One assumption as a reader wants it, in plain words with where it came from: "1 device (none in the file)",
 * "20 tokens per parameter (Chinchilla)", "H100 SXM (setting limLens.hardware)", "vocabulary 50,257 (…)". Never an
 * internal key or JSON. Plain text: the caller escapes it for its output (the value or reason may quote a file).
 */
export function describeAssumption(a: Assumption, detail: 'short' | 'long' = 'short'): string {
  const words = valueInWords(a.name, a.value);
  // The long form (reports) gives a default's whole reason, with its source, instead of the few words.
  if (words && detail === 'long' && a.origin === 'built-in default') return `${words} — ${a.reason}`;
  const where = a.origin === 'built-in default' ? (SHORT_REASONS[a.name] ?? undefined) : a.reason.replace(/^set by /, '');
  if (words) return where ? `${words} (${where})` : words;
  if (detail === 'long' && a.origin === 'built-in default') return `${a.name} — ${a.reason}`;
  // A default the file's own numbers rest on (a vocabulary, an environment variable's default): its name, its value
  // when it is a plain number or short text, and the reason, which says it in words.
  const v = typeof a.value === 'number' && Number.isFinite(a.value) ? formatInteger(a.value) : typeof a.value === 'string' && a.value.length <= 60 ? a.value : undefined;
  return `${a.name}${v !== undefined ? ` ${v}` : ''}${a.origin === 'built-in default' ? '' : ` (${where})`}`;
}
