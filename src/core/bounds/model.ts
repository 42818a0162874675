import type { Provenance } from './provenance';
import type { BoundInputs } from './inputs';

/** One named energy contribution of a bound model, in joules, with the formula that produced it. */
export interface EnergyTerm {
  id: string;
  label: string;
  joules: number;
  formula: string;
}

export interface BoundResult {
  modelId: string;
  name: string;
  provenance: Provenance;
  terms: EnergyTerm[];
  /** Sum of the terms (J). */
  totalJ: number;
}

/**
 * A lower-bound (or projection) model: inputs → named energy terms. Every model takes the full input set and
 * reads what it needs, so a model transcribed from the full paper can later sit beside the reconstructed one
 * and be passed to `computeEnergyBounds` without any caller changing.
 */
export interface BoundModel {
  readonly id: string;
  readonly name: string;
  readonly provenance: Provenance;
  evaluate(inputs: BoundInputs): BoundResult;
}

export function result(model: BoundModel, terms: EnergyTerm[]): BoundResult {
  return {
    modelId: model.id,
    name: model.name,
    provenance: model.provenance,
    terms,
    totalJ: terms.reduce((s, t) => s + t.joules, 0),
  };
}

export function term(r: BoundResult, id: string): number | undefined {
  return r.terms.find((t) => t.id === id)?.joules;
}
