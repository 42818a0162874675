import type { EnergyBounds, PartialBoundInputs } from '../core';
import { CurvePointSchema, SimulationSettingsSchema, SweepSchema, type EnergyView, type SimulationSummary } from './dashboard';
import * as v from 'valibot';
import { count, id, parseValue, type Infer, type Parsed } from './schema';
import type { AnalyzeRequest, AnalyzedDocument, FieldInfo, FieldInfoRequest } from './analysis';
import type { SimulationConfig } from '../core/analog';
import type { DocumentAnalysis } from '../core/estimate';
import type { CalibrationProposal } from '../core/measured/calibrate';

/**
 * What each job kind streams while it runs (`partial` messages), declared once: the worker's handler may send only
 * this (its context is typed by it), and the host checks every partial against it before the caller sees it.
 * A kind that is not here streams nothing, and a partial for it is dropped.
 */
export const JOB_PARTIALS = {
  /** A simulation's curve as it grows, in batches. */
  simulate: v.array(CurvePointSchema),
  /** How many documents of an analysis are done. */
  analyze: v.object({ done: count() }),
} as const;
type PartialOf<K extends string> = K extends keyof typeof JOB_PARTIALS ? Infer<(typeof JOB_PARTIALS)[K]> : never;

/** A partial a worker sent for a job of this kind, as its schema reads it, or why it was refused. */
export function parseJobPartial<K extends JobKind>(kind: K, data: unknown): Parsed<JobPartial<K>> {
  const schema = (JOB_PARTIALS as Partial<Record<JobKind, v.GenericSchema>>)[kind];
  if (!schema) return { ok: false, reason: `a ${kind} job streams no partial results` };
  return parseValue(schema, data) as Parsed<JobPartial<K>>;
}

/**
 * What a job kind takes, where the protocol owns its shape: the worker reads a job's input with it before the handler
 * runs, and answers `invalid-input` naming the field. The other kinds take the engine's own values (bound inputs, a
 * simulator config, analyses, documents and their assumptions), which their handlers check with the engine's
 * validators (validateBoundInputs, validateSimulationConfig), and which the host builds from values it checked.
 */
export const JOB_INPUTS = {
  planSimulations: v.object({ settings: SimulationSettingsSchema, sweep: v.optional(SweepSchema) }),
  /** `algorithm`: one of the settings' algorithms (the simulator's validation names one it does not know). */
  aihwkitScript: v.object({ settings: SimulationSettingsSchema, algorithm: id(100) }),
} as const;

/** A job's input as its kind's schema reads it (JOB_INPUTS), or why it was refused; a kind without one passes as is. */
export function parseJobInput<K extends JobKind>(kind: K, input: unknown): Parsed<JobInput<K>> {
  const schema = (JOB_INPUTS as Partial<Record<JobKind, v.GenericSchema>>)[kind];
  return schema ? (parseValue(schema, input) as Parsed<JobInput<K>>) : { ok: true, value: input as JobInput<K> };
}

/**
 * The jobs the worker runs, by kind: what goes in, what streams out while it runs (JOB_PARTIALS), and what comes
 * back. Adding a job = one entry here + one handler in src/worker/handlers.ts; both sides are then type-checked.
 */
export interface JobMap {
  bounds: { input: PartialBoundInputs; partial: never; result: EnergyBounds };
  /** Bounds plus the dashboard's sweeps for one selection. */
  energyView: { input: { inputs: PartialBoundInputs; selection: string; title: string }; partial: never; result: EnergyView };
  /** Config files → analyses (hover, CodeLens) or figures (scans); streams the count done. */
  analyze: { input: AnalyzeRequest; partial: PartialOf<'analyze'>; result: AnalyzedDocument[] };
  /** The field under the cursor and its effect on the estimate. */
  fieldInfo: { input: FieldInfoRequest; partial: never; result: FieldInfo };
  /** The simulator configs one dashboard click runs (validated), with their series labels. */
  planSimulations: { input: Infer<typeof JOB_INPUTS.planSimulations>; partial: never; result: Array<{ label: string; algorithm: string; config: SimulationConfig }> };
  /** One analog-training simulation; streams its loss curve. */
  simulate: { input: { config: SimulationConfig }; partial: PartialOf<'simulate'>; result: SimulationSummary };
  /** Utilisation and power per device proposed from the measured runs among these analyses (the extension asks first). */
  calibrate: { input: { analyses: DocumentAnalysis[]; current: { utilization: number; powerW?: number } }; partial: never; result: CalibrationProposal };
  /** A runnable aihwkit script for the same study, and what it cannot reproduce (also written at its top). */
  aihwkitScript: { input: Infer<typeof JOB_INPUTS.aihwkitScript>; partial: never; result: { script: string; caveats: string[] } };
}

export type JobKind = keyof JobMap;
export type JobInput<K extends JobKind> = JobMap[K]['input'];
export type JobPartial<K extends JobKind> = JobMap[K]['partial'];
export type JobResult<K extends JobKind> = JobMap[K]['result'];

/**
 * Which worker a job runs on: `interactive` jobs are what a hover, a CodeLens, the problems or a view waits for,
 * and run on one dedicated worker that never queues behind `batch` jobs (simulations, planning, exports), which
 * share a pool of lower-priority workers (src/extension/workerPool.ts).
 */
export type JobLane = 'interactive' | 'batch';

export interface JobSchedule {
  lane: JobLane;
  /** A job still running this long after it started is cancelled and fails with `timeout`. */
  deadlineMs: number;
}

/** The lane and deadline of every job kind: the one table the pool, the guards and JOB_KINDS derive from. */
export const JOB_SCHEDULE: { readonly [K in JobKind]: JobSchedule } = {
  bounds: { lane: 'interactive', deadlineMs: 10_000 },
  energyView: { lane: 'interactive', deadlineMs: 10_000 },
  // A workspace scan sends chunks of 200 files; one large config takes ~10 ms.
  analyze: { lane: 'interactive', deadlineMs: 30_000 },
  fieldInfo: { lane: 'interactive', deadlineMs: 10_000 },
  calibrate: { lane: 'interactive', deadlineMs: 10_000 },
  planSimulations: { lane: 'batch', deadlineMs: 30_000 },
  // The digits MLP takes 2–8 s per run on a slow machine; a sweep's long runs get a generous margin.
  simulate: { lane: 'batch', deadlineMs: 15 * 60_000 },
  aihwkitScript: { lane: 'batch', deadlineMs: 30_000 },
};

export const JOB_KINDS = Object.keys(JOB_SCHEDULE) as readonly JobKind[];

export function isJobKind(x: unknown): x is JobKind {
  return typeof x === 'string' && (JOB_KINDS as readonly string[]).includes(x);
}
