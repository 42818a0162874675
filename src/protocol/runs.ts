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

export interface RunSummary {
  /** Stable id: the file URI plus the run's index within the file. */
  id: string;
  uri: string;
  relativePath: string;
  /** Model name when known (config `_name_or_path`, builder, Hub id), else the file name. */
  label: string;
  format: string;
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
  gridKgPerKWh: number;
  powerW?: number;
  devices?: number;
  tokensPerParameter: number;
}

const OPTIONAL_FIGURES = ['paramsTotal', 'paramsActive', 'tokens', 'flops', 'precisionBits', 'devices', 'energyJ', 'deviceHours', 'wallClockHours', 'co2Kg', 'limJ', 'landauerJ', 'staticBarrierJ', 'ordersAboveLim'] as const;

const isRunDiagnostic = (x: unknown): x is RunDiagnostic =>
  isRecord(x) && isOneOf(x.severity, ['error', 'warning', 'info'] as const) && hasString(x, 'message') && hasNumber(x, 'line') && hasNumber(x, 'character') && (x.field === undefined || hasString(x, 'field'));

/** The shape the sidebar and the dashboard read; checked on arrival, because both views map over every run. */
export const isRunSummary = (x: unknown): x is RunSummary =>
  isRecord(x) &&
  (['id', 'uri', 'relativePath', 'label', 'format', 'hardwareId', 'hardwareName'] as const).every((k) => hasString(x, k)) &&
  (x.modelType === undefined || hasString(x, 'modelType')) &&
  OPTIONAL_FIGURES.every((k) => isOptionalNumber(x[k])) &&
  isRecord(x.definition) &&
  hasNumber(x.definition, 'line') &&
  hasNumber(x.definition, 'character') &&
  isArrayOf(x.diagnostics, isRunDiagnostic);

export const isHardwareOption = (x: unknown): x is HardwareOption => isRecord(x) && hasString(x, 'id') && hasString(x, 'name') && hasString(x, 'detail');

export const isAssumptionSummary = (x: unknown): x is AssumptionSummary =>
  hasFigures(x, ['utilization', 'pue', 'gridKgPerKWh', 'tokensPerParameter']) && isOptionalNumber(x.powerW) && isOptionalNumber(x.devices);

/** A run's figures as the worker computes them; the extension adds the file's URI, id and relative path. */
export type RunFigures = Omit<RunSummary, 'id' | 'uri' | 'relativePath'>;
