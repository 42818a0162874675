/**
 * Least squares f(W) = ½·mean_i ‖W·a_i − y_i‖² with y_i = X*·a_i: the paper's
 * test bed for Analog SGD's asymptotic error. The reported loss is f/D (per input dimension), as the paper's
 * plots and the reference numbers of docs/analog.md, section 11, are.
 */
import type { LayerGrad } from '../algorithms/types';
import { dot, type AnalogIO } from '../io';
import { plainProduct } from '../linalg/plain';
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
  /** A = matrixScale·N(0, 1) (0.5 in the paper's least-squares instance). */
  matrixScale: number;
  /** X* = targetScale·N(0, 1). */
  targetScale: number;
  /** W₀, every weight. */
  init: number;
  /** Mini-batch size; 0 = full batch. */
  batch: number;
}

/**
 * `aggregate`: the caller only needs the batch gradient as a matrix (expected mode, perfect IO, full batch), so
 * it is computed from the precomputed Hessian, ∇f = W·H − B with H = AᵀA/N and B = X*·H — O(M·D²) per step
 * instead of O(N·M·D). Otherwise every sample is its own rank-1 term, as aihwkit applies them.
 */
export function createLeastSquares(spec: LeastSquaresSpec, dataRng: Rng, shuffleRng: Rng, aggregate: boolean): Problem {
  const { inputs: D, outputs: M, samples: N } = spec;
  const A = new Float64Array(N * D);
  for (let k = 0; k < A.length; k++) A[k] = spec.matrixScale * dataRng.normal();
  const X = new Float64Array(M * D);
  for (let k = 0; k < X.length; k++) X[k] = spec.targetScale * dataRng.normal();
  // Y[i·M + o] = Σ_j A[i·D + j]·X[o·D + j].
  const Y = plainProduct(A, D, 1, X, D, 1, N, M, D);
  const B = spec.batch > 0 ? Math.min(spec.batch, N) : N;
  const full = B === N;
  const fast = aggregate && full;
  const invN = 1 / N;
  // Hessian H = AᵀA/N, linear term Bt = X*·H and constant c = ½·mean‖y‖²: built up front for the aggregated
  // path, or on the first exact evaluation of a mini-batch run when that is the cheaper way to evaluate.
  let H = new Float64Array(0);
  let Bt = new Float64Array(0);
  let c0 = 0;
  let hessianReady = false;
  function buildHessian(tick: () => void): void {
    if (hessianReady) return;
    H = new Float64Array(D * D);
    // Upper triangle, then mirrored: N·D²/2 multiply-adds, eight samples per pass over H (an eighth of its loads
    // and stores), the remainder one at a time.
    let i = 0;
    const x = new Float64Array(8);
    for (; i + 8 <= N; i += 8) {
      tick();
      const a0 = i * D;
      for (let p = 0; p < D; p++) {
        for (let u = 0; u < 8; u++) x[u] = A[a0 + u * D + p] * invN;
        const x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4], x5 = x[5], x6 = x[6], x7 = x[7];
        const hp = p * D;
        for (let q = p; q < D; q++) {
          const b = a0 + q;
          H[hp + q] +=
            x0 * A[b] + x1 * A[b + D] + x2 * A[b + 2 * D] + x3 * A[b + 3 * D] + x4 * A[b + 4 * D] + x5 * A[b + 5 * D] + x6 * A[b + 6 * D] + x7 * A[b + 7 * D];
        }
      }
    }
    for (; i < N; i++) {
      tick();
      const ai = i * D;
      for (let p = 0; p < D; p++) {
        const ap = A[ai + p] * invN;
        const hp = p * D;
        for (let q = p; q < D; q++) H[hp + q] += ap * A[ai + q];
      }
    }
    for (let p = 0; p < D; p++) for (let q = 0; q < p; q++) H[p * D + q] = H[q * D + p];
    // Bt[o·D + q] = Σ_p X[o·D + p]·H[p·D + q].
    Bt = plainProduct(X, D, 1, H, 1, D, M, D, D);
    c0 = 0;
    for (let k = 0; k < Y.length; k++) c0 += 0.5 * Y[k] * Y[k] * invN;
    hessianReady = true;
  }
  if (fast) buildHessian(() => {});
  const count = fast ? M : B;
  const grad: LayerGrad = { x: new Float64Array(count * D), d: new Float64Array(count * M), count };
  if (fast) for (let o = 0; o < M; o++) grad.d[o * M + o] = 1;
  const order = new Uint32Array(N).map((_, i) => i);
  const resid = new Float64Array(N * M);
  const yHat = new Float64Array(M);
  let gradSq = 0;
  let residFresh = false;
  let cursor = N;

  /**
   * Loss and gradient from the Hessian: g = W·H − Bt, f = ½·Σ_o W_o·(g_o − Bt_o) + c, M·D² multiply-adds. Writes g
   * into `out` when given (the aggregated step's gradient) and its squared norm into gradSq.
   */
  function aggregated(W: Float32Array, out: Float64Array | null): number {
    let f = c0;
    gradSq = 0;
    for (let o = 0; o < M; o++) {
      const row = o * D;
      for (let q = 0; q < D; q++) {
        // H is symmetric: read its row q, contiguous in memory.
        const g = dot(W, row, H, q * D, D) - Bt[row + q];
        if (out) out[row + q] = g;
        gradSq += g * g;
        f += 0.5 * W[row + q] * (g - Bt[row + q]);
      }
    }
    return Math.max(f, 0) / D;
  }

  /** Exact residuals and loss at W (N·M·D multiply-adds); the full gradient's norm is left to gradNormFromResiduals. */
  function exact(W: Float32Array, tick: () => void): number {
    let sum = 0;
    for (let i = 0; i < N; i++) {
      tick();
      const ai = i * D;
      for (let o = 0; o < M; o++) {
        let s = 0;
        const row = o * D;
        for (let j = 0; j < D; j++) s += W[row + j] * A[ai + j];
        const r = s - Y[i * M + o];
        resid[i * M + o] = r;
        sum += r * r;
      }
    }
    residFresh = true;
    return (0.5 * sum * invN) / D;
  }

  /** ‖∇f‖² from the residuals of the last `exact` call, ∇f = mean_i r_i·a_iᵀ: another N·M·D multiply-adds. */
  function gradNormFromResiduals(tick: () => void): number {
    let sq = 0;
    for (let o = 0; o < M; o++) {
      tick();
      for (let j = 0; j < D; j++) {
        let g = 0;
        for (let i = 0; i < N; i++) g += resid[i * M + o] * A[i * D + j];
        g *= invN;
        sq += g * g;
      }
    }
    return sq;
  }

  // Exact evaluations of a mini-batch run: from the Hessian (built once, N·D²/2, then M·D² each) or from the
  // residuals (2·N·M·D each), whichever costs fewer multiply-adds for the number of evaluations planned (the
  // Hessian only for D ≤ N).
  const hessianMacs = (count: number) => (N * D * D) / 2 + M * D * D + count * (M * D * D + 2 * M * D);
  const residualMacs = (count: number) => count * 2 * N * M * D;
  let evalByHessian = false;
  let lastTick: () => void = () => {};

  return {
    shapes: [{ rows: M, cols: D }],
    stepsPerEpoch: Math.ceil(N / B),
    hasAccuracy: false,
    macsPerStep: B * M * D,
    grads: [grad],
    initialWeights: () => [new Float32Array(M * D).fill(spec.init)],
    exactEveryStep: full,
    computeStep(_step: number, weights: Float32Array[], io: AnalogIO, tick: () => void) {
      const W = weights[0];
      lastTick = tick;
      if (fast) return aggregated(W, grad.x);
      const perfect = io.config.isPerfect;
      const invB = 1 / B;
      if (full) {
        // The full batch: the step's residuals are the exact objective's, so its loss is exact at no extra cost.
        const loss = exact(W, tick);
        for (let b = 0; b < B; b++) {
          for (let j = 0; j < D; j++) grad.x[b * D + j] = A[b * D + j];
          if (perfect) {
            for (let o = 0; o < M; o++) grad.d[b * M + o] = resid[b * M + o] * invB;
          } else {
            tick();
            io.forward(W, M, D, A, b * D, yHat, 0);
            for (let o = 0; o < M; o++) grad.d[b * M + o] = (yHat[o] - Y[b * M + o]) * invB;
          }
        }
        return loss;
      }
      // A mini-batch: the loss of the batch at W (B·M·D multiply-adds), the full-data objective only in evaluate().
      residFresh = false;
      let sum = 0;
      for (let b = 0; b < B; b++) {
        if (cursor >= N) {
          shuffleRng.shuffle(order);
          cursor = 0;
        }
        const i = order[cursor];
        cursor++;
        tick();
        for (let j = 0; j < D; j++) grad.x[b * D + j] = A[i * D + j];
        for (let o = 0; o < M; o++) {
          const r = dot(W, o * D, A, i * D, D) - Y[i * M + o];
          sum += r * r;
          if (perfect) grad.d[b * M + o] = r * invB;
        }
        if (!perfect) {
          io.forward(W, M, D, A, i * D, yHat, 0);
          for (let o = 0; o < M; o++) grad.d[b * M + o] = (yHat[o] - Y[i * M + o]) * invB;
        }
      }
      return (0.5 * sum * invB) / D;
    },
    planEvaluations(count: number): number {
      // H (D² doubles) only where it is no larger than A, which the memory estimate already counts.
      evalByHessian = D <= N && hessianMacs(count) < residualMacs(count);
      return evalByHessian ? hessianMacs(count) : residualMacs(count);
    },
    evaluate(weights: Float32Array[], tick: () => void) {
      const W = weights[0];
      if (evalByHessian) {
        buildHessian(tick);
        const loss = aggregated(W, null);
        return { loss, gradNormSq: gradSq };
      }
      const loss = exact(W, tick);
      return { loss, gradNormSq: gradNormFromResiduals(tick) };
    },
    lastGradNormSq() {
      if (residFresh) {
        gradSq = gradNormFromResiduals(lastTick);
        residFresh = false;
      }
      return gradSq;
    },
    afterStep() {},
  };
}
