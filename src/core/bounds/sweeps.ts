import { computeEnergyBounds } from './compute';
import { perUpdateBarrierKT } from './models';
import { updatesPerParameter, type BoundInputs, type Schedule } from './inputs';

/** One point of a sweep: the swept value and the four energies (J) at it. */
export interface SweepPoint {
  x: number;
  landauer: number;
  lim: number;
  staticBarrier: number;
  accelerator: number;
}

export type SweepParameter = 'params' | 'bits' | 'alpha' | 'temperatureK';

/** n values spaced evenly in log10 from `from` to `to`, both included. */
export function logSpace(from: number, to: number, n: number): number[] {
  const a = Math.log10(from);
  const b = Math.log10(to);
  return Array.from({ length: n }, (_, i) => 10 ** (a + ((b - a) * i) / Math.max(n - 1, 1)));
}

export function linSpace(from: number, to: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => from + ((to - from) * i) / Math.max(n - 1, 1));
}

function withValue(base: BoundInputs, parameter: SweepParameter, x: number): BoundInputs {
  switch (parameter) {
    case 'params':
      // Scale the run with the model: keep the updates per parameter (FLOPs per parameter) fixed.
      return { ...base, params: x, flops: (base.flops / base.params) * x };
    case 'bits':
      return { ...base, bits: x };
    case 'temperatureK':
      return { ...base, temperatureK: x };
    case 'alpha':
      return { ...base, schedule: { kind: 'power-law', alpha: x } };
  }
}

/** The four energies as one input varies and the rest stay at `base` (the charts of docs/theory.md §6). */
export function sweepBounds(base: BoundInputs, parameter: SweepParameter, values: readonly number[]): SweepPoint[] {
  return values.map((x) => {
    const e = computeEnergyBounds(withValue(base, parameter, x)).energy;
    return { x, landauer: e.landauer, lim: e.lim, staticBarrier: e.staticBarrier, accelerator: e.accelerator };
  });
}

/** The per-update barrier E_n/kT at updates n (log-spaced from 1 to U): the consolidation schedule. */
export function barrierCurve(schedule: Schedule, bits: number, maxUpdates: number, points = 60): Array<{ n: number; barrierKT: number }> {
  return logSpace(1, Math.max(maxUpdates, 1), points).map((n) => ({ n, barrierKT: perUpdateBarrierKT(n, schedule, bits) }));
}

/** The sweeps the dashboard draws for one set of inputs (docs/theory.md §6). */
export function chartSweeps(base: BoundInputs) {
  const bits = Array.from({ length: 64 }, (_, i) => i + 1);
  return {
    size: sweepBounds(base, 'params', logSpace(1e6, 1e15, 37)),
    precision: sweepBounds(base, 'bits', bits),
    alpha: sweepBounds(base, 'alpha', linSpace(0, 3, 31)),
    barrier: barrierCurve(base.schedule.kind === 'power-law' ? base.schedule : { kind: 'power-law', alpha: 1 }, base.bits, updatesPerParameter(base)),
  };
}
