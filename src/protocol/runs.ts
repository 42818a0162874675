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

/** A run's figures as the worker computes them; the extension adds the file's URI, id and relative path. */
export type RunFigures = Omit<RunSummary, 'id' | 'uri' | 'relativePath'>;
