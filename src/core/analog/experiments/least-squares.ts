/**
 * Least squares f(W) = ½·mean_i ‖W·a_i − y_i‖² with y_i = X*·a_i (spec 02 §3.1–3.3): the paper's
 * test bed for Analog SGD's asymptotic error. The reported loss is f/D (per input dimension), as the paper's
 * plots and the reference numbers of spec 02 §6 are.
 */
import type { LayerGrad } from '../algorithms/types';
import type { AnalogIO } from '../io';
import type { Rng } from '../rng';
import type { Problem } from './problem';

export interface LeastSquaresSpec {
  kind: 'least-squares';
  /** D, input dimension. */
  inputs: number;
  /** Outputs (1 in the paper). */
  outputs: number;
  /** N, samples. */
  samples: number;
  /** A = matrixScale·N(0, 1) (0.5 in spec 02 §3.2, 1 in §3.3). */
  matrixScale: number;
  /** X* = targetScale·N(0, 1). */
  targetScale: number;
  /** W₀, every weight. */
  init: number;
  /** Mini-batch size; 0 = full batch. */
  batch: number;
}

export function createLeastSquares(spec: LeastSquaresSpec, dataRng: Rng, shuffleRng: Rng): Problem {
  const { inputs: D, outputs: M, samples: N } = spec;
  const A = new Float64Array(N * D);
  for (let k = 0; k < A.length; k++) A[k] = spec.matrixScale * dataRng.normal();
  const X = new Float64Array(M * D);
  for (let k = 0; k < X.length; k++) X[k] = spec.targetScale * dataRng.normal();
  const Y = new Float64Array(N * M);
  for (let i = 0; i < N; i++) {
    for (let o = 0; o < M; o++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += X[o * D + j] * A[i * D + j];
      Y[i * M + o] = s;
    }
  }
  const B = spec.batch > 0 ? Math.min(spec.batch, N) : N;
  const full = B === N;
  const grad: LayerGrad = { x: new Float64Array(B * D), d: new Float64Array(B * M), count: B };
  const order = new Uint32Array(N).map((_, i) => i);
  const resid = new Float64Array(N * M);
  const gFull = new Float64Array(M * D);
  const yHat = new Float64Array(M);
  let gradSq = 0;
  let cursor = N;

  /** Exact residuals, loss and gradient norm at W (digital, for reporting). */
  function exact(W: Float32Array): number {
    let sum = 0;
    gFull.fill(0);
    for (let i = 0; i < N; i++) {
      for (let o = 0; o < M; o++) {
        let s = 0;
        const row = o * D;
        const ai = i * D;
        for (let j = 0; j < D; j++) s += W[row + j] * A[ai + j];
        const r = s - Y[i * M + o];
        resid[i * M + o] = r;
        sum += r * r;
        for (let j = 0; j < D; j++) gFull[row + j] += (r * A[ai + j]) / N;
      }
    }
    gradSq = 0;
    for (let k = 0; k < gFull.length; k++) gradSq += gFull[k] * gFull[k];
    return (0.5 * sum) / N / D;
  }

  return {
    shapes: [{ rows: M, cols: D }],
    stepsPerEpoch: Math.ceil(N / B),
    hasAccuracy: false,
    macsPerStep: B * M * D,
    grads: [grad],
    initialWeights: () => [new Float32Array(M * D).fill(spec.init)],
    computeStep(_step: number, weights: Float32Array[], io: AnalogIO) {
      const W = weights[0];
      const loss = exact(W);
      const perfect = io.config.isPerfect;
      for (let b = 0; b < B; b++) {
        if (cursor >= N) {
          if (!full) shuffleRng.shuffle(order);
          cursor = 0;
        }
        const i = full ? b : order[cursor];
        cursor++;
        for (let j = 0; j < D; j++) grad.x[b * D + j] = A[i * D + j];
        if (perfect) {
          for (let o = 0; o < M; o++) grad.d[b * M + o] = resid[i * M + o] / B;
        } else {
          io.forward(W, M, D, A, i * D, yHat, 0);
          for (let o = 0; o < M; o++) grad.d[b * M + o] = (yHat[o] - Y[i * M + o]) / B;
        }
      }
      return loss;
    },
    lastGradNormSq: () => gradSq,
    afterStep() {},
  };
}
