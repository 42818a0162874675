import { hasNumber, hasFigures, hasString, isArrayOf, isOneOf, isOptionalNumber, isRecord } from './guards';

/**
 * What the views show of one training run: a flat, JSON-serialisable summary the extension builds from the
 * engine's report. Webviews depend on this shape only, never on the engine's internal types.
 */
export interface RunDiagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** 0-based, as VS Code positions are. */
  line: number;
  character: number;
  field?: string;
}

export type RunKind = 'pretrain' | 'finetune' | 'preference';
export const RUN_KINDS: readonly RunKind[] = ['pretrain', 'finetune', 'preference'];

export interface RunSummary {
  /** Stable id: the file URI plus the run's index within the file. */
  id: string;
  uri: string;
  relativePath: string;
  /**
   * What names the run: its own name (a run file's `name:`), else the model's Hub id (org/name) or folder name
   * (never a disk path), else framework · file. Never the model type, which is `modelType`.
   */
  label: string;
  format: string;
  /** Pretraining, a fine-tune (SFT, LoRA …) or a preference run (DPO, ORPO …); undefined when nothing was estimated. */
  kind?: RunKind;
  modelType?: string;
  paramsTotal?: number;
  paramsActive?: number;
  tokens?: number;
  flops?: number;
  precisionBits?: number;
  hardwareId: string;
  hardwareName: string;
  devices?: number;
  energyJ?: number;
  deviceHours?: number;
  wallClockHours?: number;
  co2Kg?: number;
  limJ?: number;
  landauerJ?: number;
  staticBarrierJ?: number;
  /** log10(accelerator / LIM). */
  ordersAboveLim?: number;
  /**
   * A fine-tune that nothing in its files bounds has no total: the accelerator energy of one unit of data instead
   * (`perUnit`: "per 1,000 rows", "per epoch (52,002 rows)" — the engine's perRows label), both set or neither.
   */
  perUnitEnergyJ?: number;
  perUnit?: string;
  /**
   * What the run recorded about itself (CodeCarbon, the Trainer's records, W&B), when a record joins this run:
   * its label ("CodeCarbon run 8a1d9822"), energy in joules, wall-clock hours and FLOPs, each where recorded.
   */
  measuredLabel?: string;
  measuredEnergyJ?: number;
  measuredHours?: number;
  measuredFlops?: number;
  /** Where the model is defined in the file (0-based), for "open at the model definition". */
  definition: { line: number; character: number };
  diagnostics: RunDiagnostic[];
}

export interface HardwareOption {
  id: string;
  name: string;
  detail: string;
}

/** The assumptions in force, as the toolbar shows them. */
export interface AssumptionSummary {
  utilization: number;
  pue: number;
  gridKgPerKwh: number;
  powerW?: number;
  devices?: number;
  tokensPerParameter: number;
}

const OPTIONAL_FIGURES = ['paramsTotal', 'paramsActive', 'tokens', 'flops', 'precisionBits', 'devices', 'energyJ', 'deviceHours', 'wallClockHours', 'co2Kg', 'limJ', 'landauerJ', 'staticBarrierJ', 'ordersAboveLim', 'perUnitEnergyJ', 'measuredEnergyJ', 'measuredHours', 'measuredFlops'] as const;

const isRunDiagnostic = (x: unknown): x is RunDiagnostic =>
  isRecord(x) && isOneOf(x.severity, ['error', 'warning', 'info'] as const) && hasString(x, 'message') && hasNumber(x, 'line') && hasNumber(x, 'character') && (x.field === undefined || hasString(x, 'field'));

/** The shape the sidebar and the dashboard read; checked on arrival, because both views map over every run. */
export const isRunSummary = (x: unknown): x is RunSummary =>
  isRecord(x) &&
  (['id', 'uri', 'relativePath', 'label', 'format', 'hardwareId', 'hardwareName'] as const).every((k) => hasString(x, k)) &&
  (x.modelType === undefined || hasString(x, 'modelType')) &&
  (x.kind === undefined || isOneOf(x.kind, RUN_KINDS)) &&
  (x.perUnit === undefined || hasString(x, 'perUnit')) &&
  (x.measuredLabel === undefined || hasString(x, 'measuredLabel')) &&
  (x.perUnit === undefined) === (x.perUnitEnergyJ === undefined) &&
  OPTIONAL_FIGURES.every((k) => isOptionalNumber(x[k])) &&
  isRecord(x.definition) &&
  hasNumber(x.definition, 'line') &&
  hasNumber(x.definition, 'character') &&
  isArrayOf(x.diagnostics, isRunDiagnostic);

export const isHardwareOption = (x: unknown): x is HardwareOption => isRecord(x) && hasString(x, 'id') && hasString(x, 'name') && hasString(x, 'detail');

export const isAssumptionSummary = (x: unknown): x is AssumptionSummary =>
  hasFigures(x, ['utilization', 'pue', 'gridKgPerKwh', 'tokensPerParameter']) && isOptionalNumber(x.powerW) && isOptionalNumber(x.devices);

/** A run's figures as the worker computes them; the extension adds the file's URI, id and relative path. */
export type RunFigures = Omit<RunSummary, 'id' | 'uri' | 'relativePath'>;
