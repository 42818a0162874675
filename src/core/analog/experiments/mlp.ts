/**
 * A one-hidden-layer classifier (inputs → hidden sigmoid → classes, log-softmax + NLL), the small-data version
 * of the paper's MNIST FCN (Wu et al. 2024, Fig. 5): both weight matrices are analog tiles, biases are digital
 * (aihwkit's digital_bias default) and learn by plain SGD at the same learning rate.
 */
import type { LayerGrad } from '../algorithms/types';
import type { AnalogIO } from '../io';
import type { Rng } from '../rng';
import { scaleFeatures, splitIndices } from './dataset';
import type { Dataset, Problem } from './problem';

export interface MlpSpec {
  kind: 'mlp';
  /** 'digits' (the bundled UCI digits) or 'csv' (user data). */
  dataset: 'digits' | 'csv';
  /** Path of the CSV (reported only; the caller loads the data). */
  path?: string;
  hidden: number;
  /** Mini-batch size (the paper's FCN: 10). */
  batch: number;
  epochs: number;
  testFraction: number;
  /** Feature scaling into [0, 1]: by the global range (images) or per column. */
  scaling: 'global' | 'column';
}

export function createMlp(spec: MlpSpec, data: Dataset, splitRng: Rng, shuffleRng: Rng, initRng: Rng): Problem & { trainSize: number; testSize: number } {
  const D = data.cols;
  const H = spec.hidden;
  const C = data.classes;
  // Float64 like every other vector the MVMs see, so their element loads stay monomorphic.
  const X = Float64Array.from(scaleFeatures(data, spec.scaling));
  const { train, test } = splitIndices(data.rows, spec.testFraction, splitRng);
  const B = Math.max(1, Math.min(spec.batch, train.length));
  const b1 = new Float64Array(H);
  const b2 = new Float64Array(C);
  const gb1 = new Float64Array(H);
  const gb2 = new Float64Array(C);
  const g1: LayerGrad = { x: new Float64Array(B * D), d: new Float64Array(B * H), count: B };
  const g2: LayerGrad = { x: new Float64Array(B * H), d: new Float64Array(B * C), count: B };
  const z1 = new Float64Array(H);
  const z2 = new Float64Array(C);
  const back = new Float64Array(H);
  const order = Uint32Array.from(train);
  let cursor = order.length;
  const stepsPerEpoch = Math.ceil(train.length / B);

  // Bias-free initialisation as torch.nn.Linear: U(−1/√fan_in, 1/√fan_in).
  function init(rows: number, cols: number): Float32Array {
    const w = new Float32Array(rows * cols);
    const a = 1 / Math.sqrt(cols);
    for (let k = 0; k < w.length; k++) w[k] = (2 * initRng.uniform() - 1) * a;
    return w;
  }
  const init1 = init(H, D);
  const init2 = init(C, H);
  for (let k = 0; k < H; k++) b1[k] = (2 * initRng.uniform() - 1) / Math.sqrt(D);
  for (let k = 0; k < C; k++) b2[k] = (2 * initRng.uniform() - 1) / Math.sqrt(H);

  /** Forward pass of one row; leaves hidden activations in `hOut` and returns log-probabilities in z2. */
  function forward(W: Float32Array[], io: AnalogIO, row: number, hOut: Float64Array, hOff: number): void {
    io.forward(W[0], H, D, X, row * D, z1, 0);
    for (let k = 0; k < H; k++) hOut[hOff + k] = 1 / (1 + Math.exp(-(z1[k] + b1[k])));
    io.forward(W[1], C, H, hOut, hOff, z2, 0);
    let max = -Infinity;
    for (let c = 0; c < C; c++) {
      z2[c] += b2[c];
      if (z2[c] > max) max = z2[c];
    }
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(z2[c] - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < C; c++) z2[c] -= lse;
  }

  const hEval = new Float64Array(H);
  // Training samples classified right (by the forward pass of their own step) since the last accuracy() call.
  let seen = 0;
  let seenRight = 0;
  function accuracyOf(W: Float32Array[], io: AnalogIO, rows: Uint32Array): number {
    let right = 0;
    for (const r of rows) {
      forward(W, io, r, hEval, 0);
      let best = 0;
      for (let c = 1; c < C; c++) if (z2[c] > z2[best]) best = c;
      if (best === data.y[r]) right++;
    }
    return right / rows.length;
  }

  return {
    shapes: [
      { rows: H, cols: D },
      { rows: C, cols: H },
    ],
    stepsPerEpoch,
    hasAccuracy: true,
    macsPerStep: B * (H * D + 2 * C * H),
    grads: [g1, g2],
    trainSize: train.length,
    testSize: test.length,
    initialWeights: () => [init1, init2],
    exactEveryStep: false,
    computeStep(_step: number, W: Float32Array[], io: AnalogIO, tick: () => void) {
      gb1.fill(0);
      gb2.fill(0);
      let loss = 0;
      for (let b = 0; b < B; b++) {
        if (cursor >= order.length) {
          shuffleRng.shuffle(order);
          cursor = 0;
        }
        const r = order[cursor++];
        tick();
        for (let j = 0; j < D; j++) g1.x[b * D + j] = X[r * D + j];
        forward(W, io, r, g2.x, b * H);
        const label = data.y[r];
        loss -= z2[label];
        let best = 0;
        for (let c = 1; c < C; c++) if (z2[c] > z2[best]) best = c;
        if (best === label) seenRight++;
        seen++;
        for (let c = 0; c < C; c++) {
          const d = (Math.exp(z2[c]) - (c === label ? 1 : 0)) / B;
          g2.d[b * C + c] = d;
          gb2[c] += d;
        }
        io.backward(W[1], C, H, g2.d, b * C, back, 0);
        for (let k = 0; k < H; k++) {
          const h = g2.x[b * H + k];
          const d = back[k] * h * (1 - h);
          g1.d[b * H + k] = d;
          gb1[k] += d;
        }
      }
      return loss / B;
    },
    lastGradNormSq: () => null,
    afterStep(lr: number) {
      for (let k = 0; k < H; k++) b1[k] -= lr * gb1[k];
      for (let c = 0; c < C; c++) b2[c] -= lr * gb2[c];
    },
    accuracy(W: Float32Array[], io: AnalogIO) {
      const train = seen > 0 ? seenRight / seen : NaN;
      seen = 0;
      seenRight = 0;
      return { test: accuracyOf(W, io, test), train };
    },
  };
}
