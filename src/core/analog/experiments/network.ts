/**
 * A classifier network from a NetworkSpec (network-spec.ts): dense and convolution layers, each an analog tile or
 * digital, sigmoid/tanh/ReLU, max-pooling, softmax cross-entropy, digital biases; the mini-batch goes through
 * every layer at once: one batched read per analog layer (AnalogIO.forwardBatch/backwardBatch), exact float64
 * products for the digital ones.
 *
 * Convolutions map onto one tile as aihwkit's AnalogConv2d does: the tile holds W as channels × (inChannels·k·k)
 * (torch's weight [out, in, kh, kw] flattened), the forward pass is one MVM per unfolded input patch, the backward
 * pass one transposed MVM per output position, folded back onto the input map, and the pulsed update receives every
 * patch of every sample as a rank-1 term (LayerGrad.count = batch × positions, d holding 1/batch).
 *
 * Analog layers are the `shapes` the training algorithm builds tiles for (every algorithm, device, update mode, IO
 * and the energy link apply to them). A dense analog layer wider than MAX_TILE_INPUTS is split along its inputs into
 * as few tiles of near-equal width as fit (aihwkit's TileModuleArray under its default mapping, max_input_size 512:
 * 784 inputs make two tiles of 392): each tile reads its slice of the input through its own IO (its own noise
 * management and output noise), the outputs are summed, and each tile is a shape of its own, with its own pulsed
 * update planning and, under Tiki-Taka, its own column transfers. Digital layers (`digital: true`) are not in `shapes`: their floating-point
 * weights, like every layer's bias (aihwkit's digital_bias), learn by plain SGD at the algorithm's lr in afterStep,
 * from the same step's gradient, and read exactly.
 */
import type { LayerGrad } from '../algorithms/types';
import { mvmBatch, mvmTBatch, type AnalogIO } from '../io';
import type { Rng } from '../rng';
import { scaleFeatures, trainTestSplit } from './dataset';
import { NETWORK_EVAL_CHUNK, networkGeometry, type Activation, type MapShape, type NetworkSpec } from './network-spec';
import type { Dataset, Problem } from './problem';

/** y ← act(y) in place over `len` values. */
function activate(act: Activation, y: Float64Array, len: number): void {
  switch (act) {
    case 'sigmoid':
      for (let k = 0; k < len; k++) y[k] = 1 / (1 + Math.exp(-y[k]));
      return;
    case 'tanh':
      for (let k = 0; k < len; k++) y[k] = Math.tanh(y[k]);
      return;
    case 'relu':
      for (let k = 0; k < len; k++) if (y[k] < 0) y[k] = 0;
      return;
    case 'none':
      return;
  }
}

/** d ← d·act'(z) in place, the derivative written in terms of the activation's output y. */
function activationGrad(act: Activation, y: Float64Array, d: Float64Array, len: number): void {
  switch (act) {
    case 'sigmoid':
      for (let k = 0; k < len; k++) d[k] *= y[k] * (1 - y[k]);
      return;
    case 'tanh':
      for (let k = 0; k < len; k++) d[k] *= 1 - y[k] * y[k];
      return;
    case 'relu':
      for (let k = 0; k < len; k++) if (y[k] <= 0) d[k] = 0;
      return;
    case 'none':
      return;
  }
}

interface WeightedRuntime {
  kind: 'dense' | 'conv2d';
  rows: number;
  cols: number;
  positions: number;
  act: Activation;
  /** Index among the analog layers (W[analog]) of its first tile, or −1 for a digital layer. */
  analog: number;
  /** A dense analog layer split along its inputs (MAX_TILE_INPUTS): its tiles, in input order; null otherwise. */
  tiles: InputTile[] | null;
  /** Digital weights (digital layers only). */
  w: Float32Array | null;
  bias: Float64Array;
  gb: Float64Array;
  grad: LayerGrad;
  /** Convolution geometry. */
  kernel: number;
  stride: number;
  pad: number;
  /** Scratch of the convolution: outputs per position (B·P × rows) and input gradients per patch (B·P × cols). */
  posOut: Float64Array | null;
  patchGrad: Float64Array | null;
}

/** One tile of a split dense layer: inputs [c0, c0 + cols) of the layer, W[analog], and its own gradient terms. */
interface InputTile {
  analog: number;
  c0: number;
  cols: number;
  /** x: this tile's slice of the layer's input (batch × cols), copied at each forward pass; d: the layer's. */
  grad: LayerGrad;
  /** Scratch: this tile's outputs (forward) or input gradients (backward). */
  out: Float64Array;
}

/** aihwkit MappingParameter.max_input_size default: the widest input a single analog tile takes. */
export const MAX_TILE_INPUTS = 512;

/** aihwkit's TileModuleArray.get_split_sizes: ⌈size/max⌉ tiles, the first (size mod n) one wider. */
export function splitSizes(size: number, max: number): number[] {
  if (max <= 0 || size <= max) return [size];
  const n = Math.ceil(size / max);
  const base = Math.floor(size / n);
  const extra = size % n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

interface LayerRuntime {
  type: 'dense' | 'conv2d' | 'maxpool';
  inMap: MapShape;
  outMap: MapShape;
  weighted: WeightedRuntime | null;
  pool: number;
  /** Max-pool: flat input index of each output's maximum, per sample. */
  argmax: Int32Array | null;
  /** Outputs (B × outSize) and the loss gradient with respect to them. */
  out: Float64Array;
  dOut: Float64Array;
}

const size = (m: MapShape) => m.channels * m.height * m.width;

/** A weighted layer's parts outside the analog tiles, for tests and reports. */
export interface NetworkLayerState {
  /** Index in NetworkSpec.layers. */
  index: number;
  /** Index among the analog tiles (the optimizer's weights) of the layer's first tile, −1 for a digital layer. */
  analog: number;
  bias: Float64Array;
  /** ∂loss/∂bias of the last step. */
  biasGrad: Float64Array;
  /** The weights of a digital layer (null for an analog one). */
  digitalWeights: Float32Array | null;
  /** The last step's gradient terms: G = Σ_t d_t·x_tᵀ over grad.count terms. */
  grad: LayerGrad;
}

export interface NetworkProblem extends Problem {
  trainSize: number;
  testSize: number;
  readonly layers: NetworkLayerState[];
  /** The logits (rows × classes) of the given data rows at the given analog weights, read through `io`. */
  logits(weights: Float32Array[], io: AnalogIO, rows: ArrayLike<number>): Float64Array;
}

/**
 * Builds the network over `data`: features scaled into [0, 1], the data's own split or a seeded `testFraction` one,
 * the mini-batches drawn from a reshuffled order each epoch.
 */
export function createNetwork(spec: NetworkSpec, data: Dataset, splitRng: Rng, shuffleRng: Rng, initRng: Rng): NetworkProblem {
  const D = data.cols;
  const C = data.classes;
  const geo = networkGeometry(spec, D);
  const X = scaleFeatures(data, spec.scaling);
  const split = trainTestSplit(data, spec.testFraction, splitRng);
  const train = split.train;
  const test = split.test;
  const B = Math.max(1, Math.min(spec.batch, train.length));
  // Evaluation runs the test rows through in chunks of at least the training batch.
  const cap = Math.max(B, NETWORK_EVAL_CHUNK);
  const order = Uint32Array.from(train);
  let cursor = order.length;
  const stepsPerEpoch = Math.ceil(train.length / B);
  const input = new Float64Array(cap * D);

  let analogCount = 0;
  const layers: LayerRuntime[] = spec.layers.map((l, k) => {
    const inMap = geo.maps[k];
    const outMap = geo.maps[k + 1];
    const rt: LayerRuntime = { type: l.type, inMap, outMap, weighted: null, pool: 0, argmax: null, out: new Float64Array(cap * size(outMap)), dOut: new Float64Array(cap * size(outMap)) };
    if (l.type === 'maxpool') {
      rt.pool = l.size;
      rt.argmax = new Int32Array(cap * size(outMap));
      return rt;
    }
    const shape = geo.weighted.find((w) => w.index === k)!;
    const P = shape.positions;
    const digital = shape.digital;
    rt.weighted = {
      kind: l.type,
      rows: shape.rows,
      cols: shape.cols,
      positions: P,
      act: l.activation,
      analog: digital ? -1 : analogCount,
      tiles: null,
      w: null,
      bias: new Float64Array(shape.rows),
      gb: new Float64Array(shape.rows),
      // A dense layer's gradient inputs are its input buffer (filled by the layer before), set below.
      grad: { x: l.type === 'conv2d' ? new Float64Array(cap * P * shape.cols) : new Float64Array(0), d: new Float64Array(cap * P * shape.rows), count: B * P },
      kernel: l.type === 'conv2d' ? l.kernel : 0,
      stride: l.type === 'conv2d' ? (l.stride ?? 1) : 0,
      pad: l.type === 'conv2d' ? (l.padding ?? 0) : 0,
      posOut: l.type === 'conv2d' ? new Float64Array(cap * P * shape.rows) : null,
      patchGrad: l.type === 'conv2d' && k > 0 ? new Float64Array(cap * P * shape.cols) : null,
    };
    const widths = !digital && l.type === 'dense' ? splitSizes(shape.cols, MAX_TILE_INPUTS) : [shape.cols];
    if (widths.length > 1) {
      const d = rt.weighted.grad.d;
      let c0 = 0;
      rt.weighted.tiles = widths.map((cols) => {
        const t: InputTile = { analog: analogCount++, c0, cols, grad: { x: new Float64Array(cap * cols), d, count: B }, out: new Float64Array(cap * Math.max(cols, shape.rows)) };
        c0 += cols;
        return t;
      });
    } else if (!digital) analogCount++;
    return rt;
  });
  layers.forEach((L, k) => {
    if (L.weighted && L.type === 'dense') L.weighted.grad.x = k === 0 ? input : layers[k - 1].out;
  });
  const weightedLayers = layers.filter((L) => L.weighted).map((L) => L.weighted!);
  const analogLayers = weightedLayers.filter((w) => w.analog >= 0);
  // The training algorithm's tiles: one per analog layer, or one per input slice of a split layer.
  const tileShapes = analogLayers.flatMap((w) =>
    w.tiles ? w.tiles.map((t) => ({ rows: w.rows, cols: t.cols, grad: t.grad })) : [{ rows: w.rows, cols: w.cols, grad: w.grad }],
  );

  // torch's default initialisation of Linear and Conv2d, which aihwkit's analog layers keep: weights and biases
  // U(−1/√fan_in, 1/√fan_in), fan_in = the tile's columns; all weights in layer order, then all biases.
  const init: Float32Array[] = [];
  for (const w of weightedLayers) {
    const a = 1 / Math.sqrt(w.cols);
    const v = new Float32Array(w.rows * w.cols);
    for (let k = 0; k < v.length; k++) v[k] = (2 * initRng.uniform() - 1) * a;
    if (w.tiles) {
      for (const t of w.tiles) {
        const part = new Float32Array(w.rows * t.cols);
        for (let i = 0; i < w.rows; i++) part.set(v.subarray(i * w.cols + t.c0, i * w.cols + t.c0 + t.cols), i * t.cols);
        init.push(part);
      }
    } else if (w.analog >= 0) init.push(v);
    else w.w = v;
  }
  for (const w of weightedLayers) {
    const a = 1 / Math.sqrt(w.cols);
    for (let k = 0; k < w.rows; k++) w.bias[k] = (2 * initRng.uniform() - 1) * a;
  }

  /**
   * Where each patch element of one sample comes from: the input offset (c, y, x) of patch position q, element j in
   * torch's weight order (c, ky, kx), or −1 where the kernel lies over the padding. One map per layer serves both
   * unfold and its transpose fold.
   */
  const patchMaps = new WeakMap<WeightedRuntime, Int32Array>();
  function patchMap(m: MapShape, w: WeightedRuntime, om: MapShape): Int32Array {
    const known = patchMaps.get(w);
    if (known) return known;
    const { kernel: k, stride: s, pad: p, cols } = w;
    const H = m.height;
    const Wd = m.width;
    const map = new Int32Array(w.positions * cols);
    let q = 0;
    for (let oy = 0; oy < om.height; oy++) {
      for (let ox = 0; ox < om.width; ox++) {
        for (let c = 0; c < m.channels; c++) {
          for (let ky = 0; ky < k; ky++) {
            const y = oy * s + ky - p;
            for (let kx = 0; kx < k; kx++) {
              const x = ox * s + kx - p;
              map[q++] = y >= 0 && y < H && x >= 0 && x < Wd ? c * H * Wd + y * Wd + x : -1;
            }
          }
        }
      }
    }
    patchMaps.set(w, map);
    return map;
  }

  /** Unfolds the input maps of `batch` samples into patches (B·P × inC·k·k), torch's weight order (c, ky, kx). */
  function unfold(src: Float64Array, m: MapShape, w: WeightedRuntime, om: MapShape, batch: number, patches: Float64Array): void {
    const map = patchMap(m, w, om);
    const inSize = size(m);
    const n = map.length;
    for (let b = 0; b < batch; b++) {
      const from = b * inSize;
      const to = b * n;
      for (let q = 0; q < n; q++) {
        const at = map[q];
        patches[to + q] = at >= 0 ? src[from + at] : 0;
      }
    }
  }

  /** Adds the per-patch input gradients back onto the input maps (the transpose of unfold). */
  function fold(patchGrad: Float64Array, m: MapShape, w: WeightedRuntime, om: MapShape, batch: number, dst: Float64Array): void {
    const map = patchMap(m, w, om);
    const inSize = size(m);
    const n = map.length;
    dst.fill(0, 0, batch * inSize);
    for (let b = 0; b < batch; b++) {
      const into = b * inSize;
      const from = b * n;
      for (let q = 0; q < n; q++) {
        const at = map[q];
        if (at >= 0) dst[into + at] += patchGrad[from + q];
      }
    }
  }

  /** A split dense layer's forward read: each tile reads its input slice (kept as its gradient input), outputs summed. */
  function forwardTiles(W: Float32Array[], io: AnalogIO, w: WeightedRuntime, tiles: InputTile[], src: Float64Array, batch: number, out: Float64Array): void {
    out.fill(0, 0, batch * w.rows);
    for (const t of tiles) {
      const x = t.grad.x;
      for (let b = 0; b < batch; b++) for (let j = 0; j < t.cols; j++) x[b * t.cols + j] = src[b * w.cols + t.c0 + j];
      io.forwardBatch(W[t.analog], w.rows, t.cols, x, batch, t.out);
      for (let q = 0; q < batch * w.rows; q++) out[q] += t.out[q];
    }
  }

  /** A split dense layer's backward read: each tile gives the input gradients of its slice. */
  function backwardTiles(W: Float32Array[], io: AnalogIO, w: WeightedRuntime, tiles: InputTile[], d: Float64Array, batch: number, dst: Float64Array): void {
    for (const t of tiles) {
      io.backwardBatch(W[t.analog], w.rows, t.cols, d, batch, t.out);
      for (let b = 0; b < batch; b++) for (let j = 0; j < t.cols; j++) dst[b * w.cols + t.c0 + j] = t.out[b * t.cols + j];
    }
  }

  /** Forward pass of `batch` rows already in `input`; leaves the logits in the last layer's `out`. */
  function forward(W: Float32Array[], io: AnalogIO, batch: number, tick: () => void): void {
    let src: Float64Array = input;
    for (const L of layers) {
      const w = L.weighted;
      const outSize = size(L.outMap);
      if (!w) {
        maxPool(L, src, batch);
      } else {
        const weights = w.analog >= 0 ? W[w.analog] : w.w!;
        const exact = w.analog < 0;
        if (w.kind === 'dense') {
          if (exact) mvmBatch(weights, w.rows, w.cols, src, batch, L.out);
          else if (w.tiles) forwardTiles(W, io, w, w.tiles, src, batch, L.out);
          else io.forwardBatch(weights, w.rows, w.cols, src, batch, L.out);
          for (let b = 0; b < batch; b++) for (let i = 0; i < w.rows; i++) L.out[b * w.rows + i] += w.bias[i];
        } else {
          const P = w.positions;
          unfold(src, L.inMap, w, L.outMap, batch, w.grad.x);
          if (exact) mvmBatch(weights, w.rows, w.cols, w.grad.x, batch * P, w.posOut!);
          else io.forwardBatch(weights, w.rows, w.cols, w.grad.x, batch * P, w.posOut!);
          // Position-major (B·P × channels) to channel-major maps (B × channels × P), plus the bias.
          const po = w.posOut!;
          for (let b = 0; b < batch; b++) {
            for (let o = 0; o < w.rows; o++) {
              const dst = b * outSize + o * P;
              const bo = w.bias[o];
              for (let q = 0; q < P; q++) L.out[dst + q] = po[(b * P + q) * w.rows + o] + bo;
            }
          }
        }
        activate(w.act, L.out, batch * outSize);
      }
      for (let b = 0; b < batch; b++) tick();
      src = L.out;
    }
  }

  function maxPool(L: LayerRuntime, src: Float64Array, batch: number): void {
    const im = L.inMap;
    const om = L.outMap;
    const s = L.pool;
    const inSize = size(im);
    const outSize = size(om);
    const am = L.argmax!;
    for (let b = 0; b < batch; b++) {
      for (let c = 0; c < om.channels; c++) {
        for (let oy = 0; oy < om.height; oy++) {
          for (let ox = 0; ox < om.width; ox++) {
            let best = -Infinity;
            let at = 0;
            for (let ky = 0; ky < s; ky++) {
              for (let kx = 0; kx < s; kx++) {
                const idx = c * im.height * im.width + (oy * s + ky) * im.width + ox * s + kx;
                const v = src[b * inSize + idx];
                if (v > best) {
                  best = v;
                  at = idx;
                }
              }
            }
            const o = b * outSize + c * om.height * om.width + oy * om.width + ox;
            L.out[o] = best;
            am[o] = at;
          }
        }
      }
    }
  }

  /** Backward pass from the last layer's dOut; fills every weighted layer's grad.d and bias gradient. */
  function backward(W: Float32Array[], io: AnalogIO, batch: number, tick: () => void): void {
    for (let k = layers.length - 1; k >= 0; k--) {
      const L = layers[k];
      const w = L.weighted;
      const outSize = size(L.outMap);
      const below = k > 0 ? layers[k - 1] : null;
      if (!w) {
        if (!below) continue;
        const inSize = size(L.inMap);
        below.dOut.fill(0, 0, batch * inSize);
        const am = L.argmax!;
        for (let b = 0; b < batch; b++) for (let o = 0; o < outSize; o++) below.dOut[b * inSize + am[b * outSize + o]] += L.dOut[b * outSize + o];
        continue;
      }
      activationGrad(w.act, L.out, L.dOut, batch * outSize);
      const weights = w.analog >= 0 ? W[w.analog] : w.w!;
      const exact = w.analog < 0;
      const gb = w.gb;
      if (w.kind === 'dense') {
        const d = w.grad.d;
        for (let q = 0; q < batch * w.rows; q++) d[q] = L.dOut[q];
        for (let b = 0; b < batch; b++) for (let i = 0; i < w.rows; i++) gb[i] += d[b * w.rows + i];
        if (below) {
          if (exact) mvmTBatch(weights, w.rows, w.cols, d, batch, below.dOut);
          else if (w.tiles) backwardTiles(W, io, w, w.tiles, d, batch, below.dOut);
          else io.backwardBatch(weights, w.rows, w.cols, d, batch, below.dOut);
        }
      } else {
        const P = w.positions;
        const d = w.grad.d;
        for (let b = 0; b < batch; b++) {
          for (let o = 0; o < w.rows; o++) {
            const srcOff = b * outSize + o * P;
            let s = 0;
            for (let q = 0; q < P; q++) {
              const v = L.dOut[srcOff + q];
              d[(b * P + q) * w.rows + o] = v;
              s += v;
            }
            gb[o] += s;
          }
        }
        if (below) {
          const pg = w.patchGrad!;
          if (exact) mvmTBatch(weights, w.rows, w.cols, d, batch * P, pg);
          else io.backwardBatch(weights, w.rows, w.cols, d, batch * P, pg);
          fold(pg, L.inMap, w, L.outMap, batch, below.dOut);
        }
      }
      for (let b = 0; b < batch; b++) tick();
    }
  }

  const last = layers[layers.length - 1];
  /** Log-softmax of sample b's logits into `logp`; returns the predicted class. */
  const logp = new Float64Array(C);
  function logSoftmax(b: number): number {
    const z = last.out;
    let max = -Infinity;
    let best = 0;
    for (let c = 0; c < C; c++) {
      const v = z[b * C + c];
      if (v > max) {
        max = v;
        best = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(z[b * C + c] - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < C; c++) logp[c] = z[b * C + c] - lse;
    return best;
  }

  function load(rows: ArrayLike<number>, from: number, count: number): void {
    for (let b = 0; b < count; b++) {
      const r = rows[from + b];
      input.set(X.subarray(r * D, r * D + D), b * D);
    }
  }

  let seen = 0;
  let seenRight = 0;
  const batchRows = new Uint32Array(B);

  // Read multiply-accumulates of one step, analog layers only (digital layers' arithmetic is not an analog read).
  let macsPerStep = 0;
  layers.forEach((L, k) => {
    const w = L.weighted;
    if (!w || w.analog < 0) return;
    macsPerStep += B * w.positions * w.rows * w.cols * (k > 0 ? 2 : 1);
  });

  return {
    shapes: tileShapes.map((t) => ({ rows: t.rows, cols: t.cols })),
    stepsPerEpoch,
    hasAccuracy: true,
    macsPerStep,
    grads: tileShapes.map((t) => t.grad),
    trainSize: train.length,
    testSize: test.length,
    layers: layers.flatMap((L, index) =>
      L.weighted ? [{ index, analog: L.weighted.analog, bias: L.weighted.bias, biasGrad: L.weighted.gb, digitalWeights: L.weighted.w, grad: L.weighted.grad }] : [],
    ),
    initialWeights: () => init,
    exactEveryStep: false,
    computeStep(_step: number, W: Float32Array[], io: AnalogIO, tick: () => void) {
      for (let b = 0; b < B; b++) {
        if (cursor >= order.length) {
          shuffleRng.shuffle(order);
          cursor = 0;
        }
        batchRows[b] = order[cursor++];
      }
      load(batchRows, 0, B);
      forward(W, io, B, tick);
      let loss = 0;
      for (let b = 0; b < B; b++) {
        const label = data.y[batchRows[b]];
        const best = logSoftmax(b);
        loss -= logp[label];
        if (best === label) seenRight++;
        seen++;
        for (let c = 0; c < C; c++) last.dOut[b * C + c] = (Math.exp(logp[c]) - (c === label ? 1 : 0)) / B;
      }
      for (const w of weightedLayers) w.gb.fill(0);
      backward(W, io, B, tick);
      return loss / B;
    },
    logits(W: Float32Array[], io: AnalogIO, rows: ArrayLike<number>) {
      const out = new Float64Array(rows.length * C);
      for (let from = 0; from < rows.length; from += cap) {
        const n = Math.min(cap, rows.length - from);
        load(rows, from, n);
        forward(W, io, n, () => {});
        out.set(last.out.subarray(0, n * C), from * C);
      }
      return out;
    },
    lastGradNormSq: () => null,
    afterStep(lr: number) {
      for (const w of weightedLayers) {
        for (let i = 0; i < w.rows; i++) w.bias[i] -= lr * w.gb[i];
        if (w.w) digitalUpdate(w.w, w.rows, w.cols, w.grad, lr);
      }
    },
    accuracy(W: Float32Array[], io: AnalogIO) {
      const trainAcc = seen > 0 ? seenRight / seen : NaN;
      seen = 0;
      seenRight = 0;
      let right = 0;
      for (let from = 0; from < test.length; from += cap) {
        const n = Math.min(cap, test.length - from);
        load(test, from, n);
        forward(W, io, n, () => {});
        for (let b = 0; b < n; b++) if (logSoftmax(b) === data.y[test[from + b]]) right++;
      }
      return { test: right / test.length, train: trainAcc };
    },
  };
}

/** w ← w − lr·Σ_t d_t x_tᵀ over the layer's rank-1 terms (a digital layer's SGD step). */
function digitalUpdate(w: Float32Array, rows: number, cols: number, g: LayerGrad, lr: number): void {
  for (let t = 0; t < g.count; t++) {
    const xo = t * cols;
    for (let i = 0; i < rows; i++) {
      const di = lr * g.d[t * rows + i];
      if (di === 0) continue;
      const row = i * cols;
      for (let j = 0; j < cols; j++) w[row + j] -= di * g.x[xo + j];
    }
  }
}
