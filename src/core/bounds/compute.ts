import { BOLTZMANN_J_PER_K } from '../physics/constants';
import { updatesPerParameter, validateBoundInputs, type BoundInputs, type InputIssue } from './inputs';
import { acceleratorJoulesPerFlop, acceleratorModel, landauerModel, limReconstructedModel, retentionBarrierKT, staticBarrierModel } from './models';
import { term, type BoundModel, type BoundResult } from './model';
import { wallBreakdown, type WallBreakdown } from './walls';

/** The model used in each role; pass a different one to compare, e.g. a model taken from the full paper. */
export interface BoundModelSet {
  landauer: BoundModel;
  lim: BoundModel;
  staticBarrier: BoundModel;
  accelerator: BoundModel;
}

export const DEFAULT_MODELS: BoundModelSet = {
  landauer: landauerModel,
  lim: limReconstructedModel,
  staticBarrier: staticBarrierModel,
  accelerator: acceleratorModel,
};

export interface EnergyBounds {
  inputs: BoundInputs;
  derived: {
    updatesPerParameter: number;
    kT: number;
    retentionBarrierKT: number;
    acceleratorJoulesPerFlop: number;
    /** log10(E_accelerator / E_LIM): how many orders of magnitude LIM sits below the accelerator. */
    ordersAcceleratorOverLim: number;
    limOverLandauer: number;
  };
  /** Joules, keyed as the CLI's JSON promises. */
  energy: {
    landauer: number;
    limNonEquilibrium: number;
    lim: number;
    staticBarrier: number;
    accelerator: number;
  };
  results: BoundResult[];
  walls: WallBreakdown[];
}

export class InvalidBoundInputsError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
    this.name = 'InvalidBoundInputsError';
  }
}

export function computeEnergyBounds(inputs: BoundInputs, models: BoundModelSet = DEFAULT_MODELS): EnergyBounds {
  const issues = validateBoundInputs(inputs);
  if (issues.length > 0) throw new InvalidBoundInputsError(issues);
  const landauer = models.landauer.evaluate(inputs);
  const lim = models.lim.evaluate(inputs);
  const staticBarrier = models.staticBarrier.evaluate(inputs);
  const accelerator = models.accelerator.evaluate(inputs);
  const energy = {
    landauer: landauer.totalJ,
    limNonEquilibrium: term(lim, 'limNonEquilibrium') ?? lim.totalJ - landauer.totalJ,
    lim: lim.totalJ,
    staticBarrier: staticBarrier.totalJ,
    accelerator: accelerator.totalJ,
  };
  return {
    inputs,
    derived: {
      updatesPerParameter: updatesPerParameter(inputs),
      kT: BOLTZMANN_J_PER_K * inputs.temperatureK,
      retentionBarrierKT: retentionBarrierKT(inputs),
      acceleratorJoulesPerFlop: acceleratorJoulesPerFlop(inputs),
      ordersAcceleratorOverLim: Math.log10(energy.accelerator / energy.lim),
      limOverLandauer: energy.lim / energy.landauer,
    },
    energy,
    results: [landauer, lim, staticBarrier, accelerator],
    walls: wallBreakdown(energy),
  };
}
