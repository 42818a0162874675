/**
 * The scalar quadratic f(w) = (L/2)(w − w*)² with stochastic gradient g = L(w − w*) + σξ (docs/analog.md,
 * section 11, cases 1–2), as a 1×1 tile with x = 1 and d = g: its Analog SGD stationary point has a closed form.
 */
import type { LayerGrad } from '../algorithms/types';
import type { Rng } from '../rng';
import type { Problem } from './problem';

export interface QuadraticSpec {
  kind: 'quadratic';
  /** L, curvature. */
  curvature: number;
  /** w*, the minimiser. */
  target: number;
  /** W₀. */
  init: number;
}

export function createQuadratic(spec: QuadraticSpec, noise: number, noiseRng: Rng): Problem {
  const grad: LayerGrad = { x: new Float64Array([1]), d: new Float64Array(1), count: 1 };
  let gradSq = 0;
  return {
    shapes: [{ rows: 1, cols: 1 }],
    stepsPerEpoch: 1,
    hasAccuracy: false,
    exactEveryStep: true,
    macsPerStep: 2,
    grads: [grad],
    initialWeights: () => [new Float32Array([spec.init])],
    computeStep(_step, weights) {
      const e = weights[0][0] - spec.target;
      const g = spec.curvature * e;
      gradSq = g * g;
      grad.d[0] = g + (noise > 0 ? noise * noiseRng.normal() : 0);
      return 0.5 * spec.curvature * e * e;
    },
    lastGradNormSq: () => gradSq,
    afterStep() {},
  };
}

/** E|g| for g ~ N(m, σ²): σ√(2/π)·exp(−m²/2σ²) + m(1 − 2Φ(−m/σ)). */
export function meanAbsNormal(m: number, sigma: number): number {
  if (sigma === 0) return Math.abs(m);
  const z = m / sigma;
  return sigma * Math.sqrt(2 / Math.PI) * Math.exp(-0.5 * z * z) + m * (1 - 2 * normalCdf(-z));
}

/** Φ(x) via the complementary error function (Numerical Recipes' erfc, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

/**
 * Analog SGD's stationary point on the soft-bounds device (docs/analog.md, section 1): the fixed point of
 * w = L·w⋆ / (L + E|g(w)|/τ), with E|g| for Gaussian noise around the mean gradient L(w − w⋆).
 */
export function analogSgdFixedPoint(curvature: number, target: number, tau: number, sigma: number): number {
  let w = target;
  for (let k = 0; k < 500; k++) {
    const next = (curvature * target) / (curvature + meanAbsNormal(curvature * (w - target), sigma) / tau);
    if (Math.abs(next - w) < 1e-15) return next;
    w = next;
  }
  return w;
}
