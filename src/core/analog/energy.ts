/**
 * Energy of a simulated run and the thermodynamic bounds for the same job (../bounds/): pulses × energy per pulse
 * plus analog reads × energy per MAC, beside the LIM and Landauer bounds for the same number of parameters
 * and updates. This is the link between the two papers: how far a device-level run sits above the floor.
 */
import { computeEnergyBounds } from '../bounds/compute';
import { resolveBoundInputs } from '../bounds/inputs';

export interface RunEnergyInput {
  /** Device pulses applied (expected mode: their expected number). */
  pulses: number;
  energyPerPulseJ: number;
  /** Analog multiply-accumulates (forward, backward, transfer reads). */
  macs: number;
  energyPerMacJ: number;
  /** Trained parameters (weights of the model, not counting Tiki-Taka's second array). */
  params: number;
  /** Update steps each parameter received. */
  updates: number;
  /** Bits of precision per parameter: log2 of the device's number of states. */
  bits: number;
  temperatureK?: number;
}

export interface RunEnergy {
  pulsesJ: number;
  readJ: number;
  totalJ: number;
  energyPerPulseJ: number;
  energyPerMacJ: number;
  macs: number;
  /** The bounds for N = params, U = updates, b = bits (null when fewer than one update was made). */
  bounds: {
    params: number;
    updatesPerParameter: number;
    bits: number;
    landauerJ: number;
    limJ: number;
    limNonEquilibriumJ: number;
    staticBarrierJ: number;
    /** totalJ / limJ and totalJ / landauerJ. */
    runOverLim: number;
    runOverLandauer: number;
    model: string;
  } | null;
}

export function runEnergy(x: RunEnergyInput): RunEnergy {
  const pulsesJ = x.pulses * x.energyPerPulseJ;
  const readJ = x.macs * x.energyPerMacJ;
  const totalJ = pulsesJ + readJ;
  let bounds: RunEnergy['bounds'] = null;
  const bits = Math.min(64, Math.max(1, x.bits));
  if (x.updates >= 1 && x.params >= 1) {
    // One update per parameter per step: OPS = c_u·N·U with c_u = 1.
    const b = computeEnergyBounds(resolveBoundInputs({ params: x.params, flops: x.params * x.updates, bits, temperatureK: x.temperatureK }));
    bounds = {
      params: x.params,
      updatesPerParameter: x.updates,
      bits,
      landauerJ: b.energy.landauer,
      limJ: b.energy.lim,
      limNonEquilibriumJ: b.energy.limNonEquilibrium,
      staticBarrierJ: b.energy.staticBarrier,
      runOverLim: totalJ / b.energy.lim,
      runOverLandauer: totalJ / b.energy.landauer,
      model: b.results[1]?.provenance.label ?? 'LIM model',
    };
  }
  return { pulsesJ, readJ, totalJ, energyPerPulseJ: x.energyPerPulseJ, energyPerMacJ: x.energyPerMacJ, macs: x.macs, bounds };
}
