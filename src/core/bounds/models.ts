import { BOLTZMANN_J_PER_K, LN2 } from '../physics/constants';
import { lnGamma } from '../math/lnGamma';
import { PROVENANCE } from './provenance';
import { updatesPerParameter, type BoundInputs, type Schedule } from './inputs';
import { result, type BoundModel, type EnergyTerm } from './model';

/** E_L = N·U·b·kT·ln 2: selecting one of 2^b levels at every update, adiabatically. */
export function landauerEnergy(x: BoundInputs): number {
  const kT = BOLTZMANN_J_PER_K * x.temperatureK;
  return x.params * updatesPerParameter(x) * x.bits * kT * LN2;
}

/**
 * Non-equilibrium (speed / consolidation) term of the LIM model: the barrier work that makes update n as
 * plastic as the schedule asks, summed over U updates of N parameters (docs/theory.md §3.2 and §3.5).
 * Every update pays the full barrier (`barrierCharge: 'every-update'`, the default):
 *   power law P_n ∝ n^−α: N·α·kT·ln Γ(U+1); exponential P_n = e^(−n/τ): N·kT·U(U+1)/(2τ).
 * Only the barrier's rises are paid (`'rises-only'`), which sum to its final height:
 *   power law: N·α·kT·ln U; exponential: N·kT·U/τ.
 */
export function limNonEquilibriumEnergy(x: BoundInputs): number {
  const kT = BOLTZMANN_J_PER_K * x.temperatureK;
  const u = updatesPerParameter(x);
  const risesOnly = x.barrierCharge === 'rises-only';
  if (x.schedule.kind === 'power-law') {
    if (x.schedule.alpha === 0) return 0;
    return x.params * x.schedule.alpha * kT * (risesOnly ? Math.log(u) : lnGamma(u + 1));
  }
  return risesOnly ? (x.params * kT * u) / x.schedule.tau : (x.params * kT * u * (u + 1)) / (2 * x.schedule.tau);
}

/** Barrier E_ret = kT·ln(f0·t_ret) that retains a value for t_ret against thermal activation, in units of kT. */
export function retentionBarrierKT(x: Pick<BoundInputs, 'attemptFrequencyHz' | 'retentionS'>): number {
  return Math.log(x.attemptFrequencyHz * x.retentionS);
}

/** E_static = N·U·b·E_ret: a memory whose barrier never moves pays the full retention barrier on each write. */
export function staticBarrierEnergy(x: BoundInputs): number {
  const kT = BOLTZMANN_J_PER_K * x.temperatureK;
  return x.params * updatesPerParameter(x) * x.bits * kT * retentionBarrierKT(x);
}

/** e_hw = TDP / (peak·utilisation) · PUE, the energy a real accelerator spends per FLOP (J/FLOP). */
export function acceleratorJoulesPerFlop(x: BoundInputs): number {
  const a = x.accelerator;
  return (a.powerW / (a.peakFlops * a.utilization)) * a.pue;
}

export function acceleratorEnergy(x: BoundInputs): number {
  return x.flops * acceleratorJoulesPerFlop(x);
}

/** Per-update dissipated barrier E_n/kT = α·ln n + b·ln 2 (power law) or n/τ + b·ln 2 (exponential). */
export function perUpdateBarrierKT(n: number, schedule: Schedule, bits: number): number {
  const plastic = schedule.kind === 'power-law' ? schedule.alpha * Math.log(n) : n / schedule.tau;
  return plastic + bits * LN2;
}

function scheduleFormula(s: Schedule, charge: BoundInputs['barrierCharge']): string {
  if (charge === 'rises-only') return s.kind === 'power-law' ? 'N·α·kT·ln U' : 'N·kT·U/τ';
  return s.kind === 'power-law' ? 'N·α·kT·lnΓ(U+1)' : 'N·kT·U(U+1)/(2τ)';
}

/** A bound model whose result is the sum of its terms, each with the formula it comes from. */
function boundModel(id: string, name: string, provenance: BoundModel['provenance'], terms: (x: BoundInputs) => EnergyTerm[]): BoundModel {
  return {
    id,
    name,
    provenance,
    evaluate(x) {
      return result(this, terms(x));
    },
  };
}

const landauerTerm = (x: BoundInputs): EnergyTerm => ({ id: 'landauer', label: 'Landauer (adiabatic)', joules: landauerEnergy(x), formula: 'N·U·b·kT·ln 2' });

export const landauerModel = boundModel('landauer-adiabatic', 'Adiabatic Landauer bound', PROVENANCE.landauer, (x) => [landauerTerm(x)]);

export const limReconstructedModel = boundModel('lim-reconstructed', 'Learning-in-memory bound', PROVENANCE.limModel, (x) => [
  { id: 'limNonEquilibrium', label: 'LIM non-equilibrium (speed / consolidation)', joules: limNonEquilibriumEnergy(x), formula: scheduleFormula(x.schedule, x.barrierCharge) },
  landauerTerm(x),
]);

export const staticBarrierModel = boundModel('static-barrier', 'Static-barrier memory (CIM without LIM)', PROVENANCE.staticBarrier, (x) => [
  { id: 'staticBarrier', label: 'Static-barrier writes', joules: staticBarrierEnergy(x), formula: 'N·U·b·kT·ln(f0·t_ret)' },
]);

export const acceleratorModel = boundModel('accelerator-projection', 'Accelerator projection', PROVENANCE.accelerator, (x) => [
  { id: 'accelerator', label: `${x.accelerator.name} at ${Math.round(x.accelerator.utilization * 100)} % utilisation`, joules: acceleratorEnergy(x), formula: 'OPS·TDP/(peak·utilisation)·PUE' },
]);
