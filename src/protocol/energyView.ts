import type { EnergyBounds, SweepPoint } from '../core/bounds';
import * as v from 'valibot';
import { figure, id, text, type Infer } from './schema';

/**
 * The charts of one energy selection (a workspace run or a preset), computed in the worker and drawn by the
 * dashboard's energy, scaling and trade-offs tabs. The bounds are the engine's `EnergyBounds`, declared here as a
 * schema field for field; the compiler checks below that the schema's type and the engine's type are the same, so
 * a field added to either without the other fails `tsc`, and the unit tests send real results through it.
 */

const accelerator = v.object({ id: id(200), name: text(200), peakFlops: figure(), powerW: figure(), utilization: figure(), pue: figure() });

const BoundInputsSchema = v.object({
  params: figure(),
  flops: figure(),
  bits: figure(),
  temperatureK: figure(),
  opsPerUpdate: figure(),
  schedule: v.variant('kind', [v.object({ kind: v.literal('power-law'), alpha: figure() }), v.object({ kind: v.literal('exponential'), tau: figure() })]),
  attemptFrequencyHz: figure(),
  retentionS: figure(),
  barrierCharge: v.picklist(['every-update', 'rises-only']),
  opsCount: v.picklist(['flops', 'model-updates']),
  accelerator,
});

const ProvenanceSchema = v.object({
  kind: v.picklist(['paper', 'model', 'physics', 'data']),
  label: text(500),
  source: text(2_000),
  paperVersions: v.optional(v.pipe(v.array(v.picklist(['v1', 'v2', 'v3'])), v.readonly())),
});

const BoundResultSchema = v.object({
  modelId: id(200),
  name: text(500),
  provenance: ProvenanceSchema,
  terms: v.array(v.object({ id: id(200), label: text(500), joules: figure(), formula: text(2_000) })),
  totalJ: figure(),
});

const WallSchema = v.object({
  paradigm: v.picklist(['von-neumann', 'cim', 'lim']),
  label: text(500),
  memoryJ: figure(),
  updateJ: figure(),
  consolidationJ: figure(),
  totalJ: figure(),
});

export const EnergyBoundsSchema = v.object({
  inputs: BoundInputsSchema,
  derived: v.object({
    updatesPerParameter: figure(),
    kT: figure(),
    retentionBarrierKT: figure(),
    acceleratorJoulesPerFlop: figure(),
    ordersAcceleratorOverLim: figure(),
    limOverLandauer: figure(),
  }),
  energy: v.object({ landauer: figure(), limNonEquilibrium: figure(), lim: figure(), staticBarrier: figure(), accelerator: figure() }),
  results: v.array(BoundResultSchema),
  walls: v.array(WallSchema),
});

export const SweepPointSchema = v.object({ x: figure(), landauer: figure(), lim: figure(), staticBarrier: figure(), accelerator: figure() });

export const EnergyViewSchema = v.object({
  /** A run id or `preset:<id>`. */
  selection: id(),
  title: text(1_000),
  bounds: EnergyBoundsSchema,
  sweeps: v.object({
    size: v.array(SweepPointSchema),
    precision: v.array(SweepPointSchema),
    alpha: v.array(SweepPointSchema),
    barrier: v.array(v.object({ n: figure(), barrierKT: figure() })),
  }),
});
export type EnergyView = Infer<typeof EnergyViewSchema>;

/** True when A and B are assignable both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The engine's types and the schema's: the same, or `tsc` fails here.
const boundsAreTheEngines: Same<Infer<typeof EnergyBoundsSchema>, EnergyBounds> = true;
const sweepPointsAreTheEngines: Same<Infer<typeof SweepPointSchema>, SweepPoint> = true;
void boundsAreTheEngines;
void sweepPointsAreTheEngines;
