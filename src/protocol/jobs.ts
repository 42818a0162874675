import type { EnergyBounds, PartialBoundInputs } from '../core';
import type { CurvePoint, EnergyView, SimulationSettings, SimulationSummary } from './dashboard';
import type { AnalyzeRequest, AnalyzedDocument, FieldInfo, FieldInfoRequest } from './analysis';
import type { SimulationConfig } from '../core/analog';

/**
 * The jobs the worker runs, by kind: what goes in, what streams out while it runs, and what comes back.
 * Adding a job = one entry here + one handler in src/worker/handlers.ts; both sides are then type-checked.
 */
export interface JobMap {
  bounds: { input: PartialBoundInputs; partial: never; result: EnergyBounds };
  /** Bounds plus the dashboard's sweeps for one selection. */
  energyView: { input: { inputs: PartialBoundInputs; selection: string; title: string }; partial: never; result: EnergyView };
  /** Config files → analyses (hover, CodeLens) or figures (scans); streams the count done. */
  analyze: { input: AnalyzeRequest; partial: { done: number }; result: AnalyzedDocument[] };
  /** The field under the cursor and its effect on the estimate. */
  fieldInfo: { input: FieldInfoRequest; partial: never; result: FieldInfo };
  /** The simulator configs one dashboard click runs (validated), with their series labels. */
  planSimulations: { input: { settings: SimulationSettings; sweep?: { param: 'tau' | 'noise' | 'lr'; values: number[] } }; partial: never; result: Array<{ label: string; algorithm: string; config: SimulationConfig }> };
  /** One analog-training simulation; streams its loss curve. */
  simulate: { input: { config: SimulationConfig }; partial: CurvePoint[]; result: SimulationSummary };
  /** A runnable aihwkit script for the same study. */
  aihwkitScript: { input: { settings: SimulationSettings; algorithm: string }; partial: never; result: { script: string } };
}

export type JobKind = keyof JobMap;
export type JobInput<K extends JobKind> = JobMap[K]['input'];
export type JobPartial<K extends JobKind> = JobMap[K]['partial'];
export type JobResult<K extends JobKind> = JobMap[K]['result'];

export const JOB_KINDS: readonly JobKind[] = ['bounds', 'energyView', 'analyze', 'fieldInfo', 'planSimulations', 'simulate', 'aihwkitScript'];

export function isJobKind(x: unknown): x is JobKind {
  return typeof x === 'string' && (JOB_KINDS as readonly string[]).includes(x);
}
