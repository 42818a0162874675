import type { EnergyBounds, PartialBoundInputs } from '../core';
import type { EnergyView } from './dashboard';

/**
 * The jobs the worker runs, by kind: what goes in, what streams out while it runs, and what comes back.
 * Adding a job = one entry here + one handler in src/worker/jobs; both sides are then type-checked.
 */
export interface JobMap {
  bounds: { input: PartialBoundInputs; partial: never; result: EnergyBounds };
  /** Bounds plus the dashboard's sweeps for one selection. */
  energyView: { input: { inputs: PartialBoundInputs; selection: string; title: string }; partial: never; result: EnergyView };
}

export type JobKind = keyof JobMap;
export type JobInput<K extends JobKind> = JobMap[K]['input'];
export type JobPartial<K extends JobKind> = JobMap[K]['partial'];
export type JobResult<K extends JobKind> = JobMap[K]['result'];

export const JOB_KINDS: readonly JobKind[] = ['bounds', 'energyView'];

export function isJobKind(x: unknown): x is JobKind {
  return typeof x === 'string' && (JOB_KINDS as readonly string[]).includes(x);
}
