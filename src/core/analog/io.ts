/**
 * Forward/backward read non-idealities of an analog MVM (aihwkit IOParameters): DAC and ADC
 * resolution, input/output bounds, output noise, additive weight read noise, noise management (scale inputs by
 * 1/max|x|) and iterative bound management (halve the input while outputs saturate; forward only).
 *
 * The MVM kernels here are the fast forms of reference/mvm.ts (plain sums in index order) and AnalogIO that of
 * reference/io.ts; test/unit/analog/differential-io.test.ts holds each to its reference, bit for bit where its
 * comment says so and otherwise within the rounding bound of a sum taken in another order.
 */
import { packedDoubles } from './arrays';
import { products, type ProductBuffers, type ReadSteps } from './linalg/products';
import type { Rng } from './rng';

export interface IOConfig {
  /** Exact MVM; every other field is ignored. */
  isPerfect: boolean;
  inpBound: number;
  /** DAC resolution as a fraction of the input range (step = inpRes·2·inpBound; 0 = continuous). */
  inpRes: number;
  inpNoise: number;
  outBound: number;
  outNoise: number;
  /** ADC resolution as a fraction of the output range (step = outRes·2·outBound; 0 = continuous). */
  outRes: number;
  /** aihwkit ADDITIVE_CONSTANT weight noise: y_i += wNoise·‖x‖₂·ξ_i. */
  wNoise: number;
  noiseManagement: 'abs-max' | 'none';
  boundManagement: 'iterative' | 'none';
  maxBmFactor: number;
  maxBmRes: number;
}

export const PERFECT_IO: IOConfig = {
  isPerfect: true,
  inpBound: 1,
  inpRes: 0,
  inpNoise: 0,
  outBound: 12,
  outNoise: 0,
  outRes: 0,
  wNoise: 0,
  noiseManagement: 'none',
  boundManagement: 'none',
  maxBmFactor: 1000,
  maxBmRes: 0.25,
};

/** aihwkit `IOParameters()` defaults: 7-bit DAC, 9-bit ADC, output noise 0.06, NM abs-max, BM iterative. */
export const AIHWKIT_IO_DEFAULTS: IOConfig = {
  isPerfect: false,
  inpBound: 1,
  inpRes: 1 / 126,
  inpNoise: 0,
  outBound: 12,
  outNoise: 0.06,
  outRes: 1 / 510,
  wNoise: 0,
  noiseManagement: 'abs-max',
  boundManagement: 'iterative',
  maxBmFactor: 1000,
  maxBmRes: 0.25,
};

/** aihwkit `PresetIOParameters`: out_bound 20, out_noise 0.1. */
export const AIHWKIT_PRESET_IO: IOConfig = { ...AIHWKIT_IO_DEFAULTS, outBound: 20, outNoise: 0.1 };

export const IO_PRESETS = { perfect: PERFECT_IO, aihwkit: AIHWKIT_IO_DEFAULTS, 'aihwkit-preset': AIHWKIT_PRESET_IO } as const;
export type IOPresetId = keyof typeof IO_PRESETS;

function quantize(v: number, step: number): number {
  return step > 0 ? Math.round(v / step) * step : v;
}

/** Σ a[aOff + k]·b[bOff + k] over n terms; four partial sums break the add dependency chain (V8 does not vectorise). */
export function dot(a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n4 = n & ~3;
  let j = 0;
  for (; j < n4; j += 4) {
    s0 += a[aOff + j] * b[bOff + j];
    s1 += a[aOff + j + 1] * b[bOff + j + 1];
    s2 += a[aOff + j + 2] * b[bOff + j + 2];
    s3 += a[aOff + j + 3] * b[bOff + j + 3];
  }
  for (; j < n; j++) s0 += a[aOff + j] * b[bOff + j];
  return s0 + s1 + (s2 + s3);
}

/** Exact y = W·x for a row-major m×n matrix; referenceForward to rounding (dot sums in four partial sums). */
export function mvm(w: Float32Array, m: number, n: number, x: ArrayLike<number>, xOff: number, y: Float64Array | Float32Array, yOff: number): void {
  for (let i = 0; i < m; i++) y[yOff + i] = dot(w, i * n, x, xOff, n);
}

/** Float64 accumulators of the batched kernels: a plain array (see arrays.ts), grown as needed and reused. */
let accScratch: number[] = [];

function accumulators(n: number): number[] {
  if (accScratch.length < n) accScratch = packedDoubles(n);
  return accScratch;
}

/** dst[off + k] = src[k] for k < len. */
function copyOut(dst: Float64Array | Float32Array, off: number, src: number[], len: number): void {
  for (let k = 0; k < len; k++) dst[(off + k) | 0] = src[k];
}

/**
 * Y = X·Wᵀ for a batch (X: B×n rows, Y: B×m rows), the forward pass of a mini-batch with perfect IO. Every output
 * is summed over j in order, y = ((w₀x₀ + w₁x₁) + w₂x₂) + …, whichever kernel computes it. Groups of 16 samples
 * go through forwardBlock, 8 columns at a time, into float64 accumulators; the samples left over use blocks of
 * 2 rows × 4 samples. Equals referenceForward (reference/mvm.ts) bit for bit.
 */
export function mvmBatch(w: Float32Array, m: number, n: number, x: ArrayLike<number>, batch: number, y: Float64Array | Float32Array): void {
  const g = batch & ~15;
  const n8 = n & ~7;
  if (g > 0) {
    const acc = accumulators(16 * m);
    for (let b = 0; b < g; b += 16) {
      acc.fill(0, 0, 16 * m);
      for (let j = 0; j < n8; j += 8) forwardBlock(w, m, n, x, b, j, acc);
      copyOut(y, b * m, acc, 16 * m);
      if (n8 < n) forwardColumns(w, m, n, x, b, n8, y);
    }
  }
  if (g < batch) forwardBlocked(w, m, n, x, g, batch, y);
}

/**
 * acc[s·m + i] += Σ_{k<8} w[i][j+k]·x[b0+s][j+k] for the 16 samples s of a group and every row i, added term by
 * term in column order. Coefficient-stationary: the 128 inputs are held in locals, which TurboFan keeps on the
 * stack and reads as memory operands of the multiplies, and the kernel streams over the rows with 8 weight loads
 * and 16 accumulator loads/stores per 128 multiply-adds; each typed-array access costs a map, bounds (and, with
 * the detaching protector gone, detached-buffer) check, which register blocking (6 accesses per 8 multiply-adds)
 * spends most of its time on. Indices are written (a + b) | 0: a wrapping int32 add, without the overflow check of
 * a + b. Called once per block of 8 columns (not once per group with a loop over the blocks) so that V8 optimises it
 * as a hot function with complete type feedback instead of entering it by on-stack replacement.
 */
function forwardBlock(w: Float32Array, m: number, n: number, x: ArrayLike<number>, b0: number, j: number, acc: number[]): void {
  const o0 = b0 * n + j;
  const o1 = o0 + n;
  const o2 = o1 + n;
  const o3 = o2 + n;
  const o4 = o3 + n;
  const o5 = o4 + n;
  const o6 = o5 + n;
  const o7 = o6 + n;
  const o8 = o7 + n;
  const o9 = o8 + n;
  const o10 = o9 + n;
  const o11 = o10 + n;
  const o12 = o11 + n;
  const o13 = o12 + n;
  const o14 = o13 + n;
  const o15 = o14 + n;
  const x0_0 = x[o0], x0_1 = x[o0 + 1], x0_2 = x[o0 + 2], x0_3 = x[o0 + 3], x0_4 = x[o0 + 4], x0_5 = x[o0 + 5], x0_6 = x[o0 + 6], x0_7 = x[o0 + 7];
  const x1_0 = x[o1], x1_1 = x[o1 + 1], x1_2 = x[o1 + 2], x1_3 = x[o1 + 3], x1_4 = x[o1 + 4], x1_5 = x[o1 + 5], x1_6 = x[o1 + 6], x1_7 = x[o1 + 7];
  const x2_0 = x[o2], x2_1 = x[o2 + 1], x2_2 = x[o2 + 2], x2_3 = x[o2 + 3], x2_4 = x[o2 + 4], x2_5 = x[o2 + 5], x2_6 = x[o2 + 6], x2_7 = x[o2 + 7];
  const x3_0 = x[o3], x3_1 = x[o3 + 1], x3_2 = x[o3 + 2], x3_3 = x[o3 + 3], x3_4 = x[o3 + 4], x3_5 = x[o3 + 5], x3_6 = x[o3 + 6], x3_7 = x[o3 + 7];
  const x4_0 = x[o4], x4_1 = x[o4 + 1], x4_2 = x[o4 + 2], x4_3 = x[o4 + 3], x4_4 = x[o4 + 4], x4_5 = x[o4 + 5], x4_6 = x[o4 + 6], x4_7 = x[o4 + 7];
  const x5_0 = x[o5], x5_1 = x[o5 + 1], x5_2 = x[o5 + 2], x5_3 = x[o5 + 3], x5_4 = x[o5 + 4], x5_5 = x[o5 + 5], x5_6 = x[o5 + 6], x5_7 = x[o5 + 7];
  const x6_0 = x[o6], x6_1 = x[o6 + 1], x6_2 = x[o6 + 2], x6_3 = x[o6 + 3], x6_4 = x[o6 + 4], x6_5 = x[o6 + 5], x6_6 = x[o6 + 6], x6_7 = x[o6 + 7];
  const x7_0 = x[o7], x7_1 = x[o7 + 1], x7_2 = x[o7 + 2], x7_3 = x[o7 + 3], x7_4 = x[o7 + 4], x7_5 = x[o7 + 5], x7_6 = x[o7 + 6], x7_7 = x[o7 + 7];
  const x8_0 = x[o8], x8_1 = x[o8 + 1], x8_2 = x[o8 + 2], x8_3 = x[o8 + 3], x8_4 = x[o8 + 4], x8_5 = x[o8 + 5], x8_6 = x[o8 + 6], x8_7 = x[o8 + 7];
  const x9_0 = x[o9], x9_1 = x[o9 + 1], x9_2 = x[o9 + 2], x9_3 = x[o9 + 3], x9_4 = x[o9 + 4], x9_5 = x[o9 + 5], x9_6 = x[o9 + 6], x9_7 = x[o9 + 7];
  const x10_0 = x[o10], x10_1 = x[o10 + 1], x10_2 = x[o10 + 2], x10_3 = x[o10 + 3], x10_4 = x[o10 + 4], x10_5 = x[o10 + 5], x10_6 = x[o10 + 6], x10_7 = x[o10 + 7];
  const x11_0 = x[o11], x11_1 = x[o11 + 1], x11_2 = x[o11 + 2], x11_3 = x[o11 + 3], x11_4 = x[o11 + 4], x11_5 = x[o11 + 5], x11_6 = x[o11 + 6], x11_7 = x[o11 + 7];
  const x12_0 = x[o12], x12_1 = x[o12 + 1], x12_2 = x[o12 + 2], x12_3 = x[o12 + 3], x12_4 = x[o12 + 4], x12_5 = x[o12 + 5], x12_6 = x[o12 + 6], x12_7 = x[o12 + 7];
  const x13_0 = x[o13], x13_1 = x[o13 + 1], x13_2 = x[o13 + 2], x13_3 = x[o13 + 3], x13_4 = x[o13 + 4], x13_5 = x[o13 + 5], x13_6 = x[o13 + 6], x13_7 = x[o13 + 7];
  const x14_0 = x[o14], x14_1 = x[o14 + 1], x14_2 = x[o14 + 2], x14_3 = x[o14 + 3], x14_4 = x[o14 + 4], x14_5 = x[o14 + 5], x14_6 = x[o14 + 6], x14_7 = x[o14 + 7];
  const x15_0 = x[o15], x15_1 = x[o15 + 1], x15_2 = x[o15 + 2], x15_3 = x[o15 + 3], x15_4 = x[o15 + 4], x15_5 = x[o15 + 5], x15_6 = x[o15 + 6], x15_7 = x[o15 + 7];
  const a0 = 0, a1 = 1 * m, a2 = 2 * m, a3 = 3 * m, a4 = 4 * m, a5 = 5 * m, a6 = 6 * m, a7 = 7 * m, a8 = 8 * m, a9 = 9 * m, a10 = 10 * m, a11 = 11 * m, a12 = 12 * m, a13 = 13 * m, a14 = 14 * m, a15 = 15 * m;
  for (let i = 0, r = j; i < m; i++, r += n) {
    const w0 = w[r], w1 = w[(r + 1) | 0], w2 = w[(r + 2) | 0], w3 = w[(r + 3) | 0], w4 = w[(r + 4) | 0], w5 = w[(r + 5) | 0], w6 = w[(r + 6) | 0], w7 = w[(r + 7) | 0];
    const e0 = (a0 + i) | 0;
    acc[e0] = acc[e0] + w0 * x0_0 + w1 * x0_1 + w2 * x0_2 + w3 * x0_3 + w4 * x0_4 + w5 * x0_5 + w6 * x0_6 + w7 * x0_7;
    const e1 = (a1 + i) | 0;
    acc[e1] = acc[e1] + w0 * x1_0 + w1 * x1_1 + w2 * x1_2 + w3 * x1_3 + w4 * x1_4 + w5 * x1_5 + w6 * x1_6 + w7 * x1_7;
    const e2 = (a2 + i) | 0;
    acc[e2] = acc[e2] + w0 * x2_0 + w1 * x2_1 + w2 * x2_2 + w3 * x2_3 + w4 * x2_4 + w5 * x2_5 + w6 * x2_6 + w7 * x2_7;
    const e3 = (a3 + i) | 0;
    acc[e3] = acc[e3] + w0 * x3_0 + w1 * x3_1 + w2 * x3_2 + w3 * x3_3 + w4 * x3_4 + w5 * x3_5 + w6 * x3_6 + w7 * x3_7;
    const e4 = (a4 + i) | 0;
    acc[e4] = acc[e4] + w0 * x4_0 + w1 * x4_1 + w2 * x4_2 + w3 * x4_3 + w4 * x4_4 + w5 * x4_5 + w6 * x4_6 + w7 * x4_7;
    const e5 = (a5 + i) | 0;
    acc[e5] = acc[e5] + w0 * x5_0 + w1 * x5_1 + w2 * x5_2 + w3 * x5_3 + w4 * x5_4 + w5 * x5_5 + w6 * x5_6 + w7 * x5_7;
    const e6 = (a6 + i) | 0;
    acc[e6] = acc[e6] + w0 * x6_0 + w1 * x6_1 + w2 * x6_2 + w3 * x6_3 + w4 * x6_4 + w5 * x6_5 + w6 * x6_6 + w7 * x6_7;
    const e7 = (a7 + i) | 0;
    acc[e7] = acc[e7] + w0 * x7_0 + w1 * x7_1 + w2 * x7_2 + w3 * x7_3 + w4 * x7_4 + w5 * x7_5 + w6 * x7_6 + w7 * x7_7;
    const e8 = (a8 + i) | 0;
    acc[e8] = acc[e8] + w0 * x8_0 + w1 * x8_1 + w2 * x8_2 + w3 * x8_3 + w4 * x8_4 + w5 * x8_5 + w6 * x8_6 + w7 * x8_7;
    const e9 = (a9 + i) | 0;
    acc[e9] = acc[e9] + w0 * x9_0 + w1 * x9_1 + w2 * x9_2 + w3 * x9_3 + w4 * x9_4 + w5 * x9_5 + w6 * x9_6 + w7 * x9_7;
    const e10 = (a10 + i) | 0;
    acc[e10] = acc[e10] + w0 * x10_0 + w1 * x10_1 + w2 * x10_2 + w3 * x10_3 + w4 * x10_4 + w5 * x10_5 + w6 * x10_6 + w7 * x10_7;
    const e11 = (a11 + i) | 0;
    acc[e11] = acc[e11] + w0 * x11_0 + w1 * x11_1 + w2 * x11_2 + w3 * x11_3 + w4 * x11_4 + w5 * x11_5 + w6 * x11_6 + w7 * x11_7;
    const e12 = (a12 + i) | 0;
    acc[e12] = acc[e12] + w0 * x12_0 + w1 * x12_1 + w2 * x12_2 + w3 * x12_3 + w4 * x12_4 + w5 * x12_5 + w6 * x12_6 + w7 * x12_7;
    const e13 = (a13 + i) | 0;
    acc[e13] = acc[e13] + w0 * x13_0 + w1 * x13_1 + w2 * x13_2 + w3 * x13_3 + w4 * x13_4 + w5 * x13_5 + w6 * x13_6 + w7 * x13_7;
    const e14 = (a14 + i) | 0;
    acc[e14] = acc[e14] + w0 * x14_0 + w1 * x14_1 + w2 * x14_2 + w3 * x14_3 + w4 * x14_4 + w5 * x14_5 + w6 * x14_6 + w7 * x14_7;
    const e15 = (a15 + i) | 0;
    acc[e15] = acc[e15] + w0 * x15_0 + w1 * x15_1 + w2 * x15_2 + w3 * x15_3 + w4 * x15_4 + w5 * x15_5 + w6 * x15_6 + w7 * x15_7;
  }
}

/** The columns [n8, n) left over by the blocks of 8, added to y in order after them. */
function forwardColumns(w: Float32Array, m: number, n: number, x: ArrayLike<number>, b0: number, n8: number, y: Float64Array | Float32Array): void {
  for (let j = n8; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const v = w[i * n + j];
      for (let s = 0; s < 16; s++) y[(b0 + s) * m + i] += v * x[(b0 + s) * n + j];
    }
  }
}


/** Samples [bs, be) of mvmBatch: blocks of 2 rows × 4 samples keep eight sums in registers. */
function forwardBlocked(w: Float32Array, m: number, n: number, x: ArrayLike<number>, bs: number, be: number, y: Float64Array | Float32Array): void {
  const b4 = bs + ((be - bs) & ~3);
  const m2 = m & ~1;
  for (let i = 0; i < m2; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    for (let b = bs; b < b4; b += 4) {
      const o0 = b * n;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      for (let j = 0; j < n; j++) {
        const w0 = w[r0 + j];
        const w1 = w[r1 + j];
        const x0 = x[o0 + j];
        const x1 = x[o1 + j];
        const x2 = x[o2 + j];
        const x3 = x[o3 + j];
        a0 += w0 * x0;
        a1 += w0 * x1;
        a2 += w0 * x2;
        a3 += w0 * x3;
        c0 += w1 * x0;
        c1 += w1 * x1;
        c2 += w1 * x2;
        c3 += w1 * x3;
      }
      y[b * m + i] = a0;
      y[(b + 1) * m + i] = a1;
      y[(b + 2) * m + i] = a2;
      y[(b + 3) * m + i] = a3;
      y[b * m + i + 1] = c0;
      y[(b + 1) * m + i + 1] = c1;
      y[(b + 2) * m + i + 1] = c2;
      y[(b + 3) * m + i + 1] = c3;
    }
  }
  // The last row and the last samples, one output at a time.
  for (let b = bs; b < be; b++) {
    for (let i = b < b4 ? m2 : 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += w[i * n + j] * x[b * n + j];
      y[b * m + i] = s;
    }
  }
}

/**
 * Z = D·W for a batch (D: B×m rows, Z: B×n rows), the backward pass of a mini-batch with perfect IO. Every output
 * is z = 0 + Σ over blocks of 4 rows of ((w₀d₀ + w₁d₁) + (w₂d₂ + w₃d₃)), in row order, then the rows left over one
 * by one: groups of 16 samples take their blocks of 8 rows from backwardBlock and the rest from backwardBlocked.
 * Equals referenceBackward (reference/mvm.ts) to the rounding of that order.
 */
export function mvmTBatch(w: Float32Array, m: number, n: number, d: ArrayLike<number>, batch: number, z: Float64Array | Float32Array): void {
  z.fill(0, 0, batch * n);
  const g = batch & ~15;
  const m8 = m & ~7;
  if (g > 0) {
    const acc = accumulators(16 * n);
    for (let b = 0; b < g; b += 16) {
      acc.fill(0, 0, 16 * n);
      for (let i = 0; i < m8; i += 8) backwardBlock(w, m, n, d, b, i, acc);
      // z was zero: 0 + s has the bits of s.
      copyOut(z, b * n, acc, 16 * n);
    }
    if (m8 < m) backwardBlocked(w, m, n, d, m8, 0, g, z);
  }
  if (g < batch) backwardBlocked(w, m, n, d, 0, g, batch, z);
}

/**
 * acc[s·n + j] += ((w0·d0 + w1·d1) + (w2·d2 + w3·d3)) + (the same for rows i0+4 … i0+7) for the 16 samples s of a
 * group, rows i0 … i0+7 and every column j: forwardBlock's scheme with the 128 errors in locals, streaming over the
 * columns.
 */
function backwardBlock(w: Float32Array, m: number, n: number, d: ArrayLike<number>, b0: number, i0: number, acc: number[]): void {
  const p0 = b0 * m + i0;
  const p1 = p0 + m;
  const p2 = p1 + m;
  const p3 = p2 + m;
  const p4 = p3 + m;
  const p5 = p4 + m;
  const p6 = p5 + m;
  const p7 = p6 + m;
  const p8 = p7 + m;
  const p9 = p8 + m;
  const p10 = p9 + m;
  const p11 = p10 + m;
  const p12 = p11 + m;
  const p13 = p12 + m;
  const p14 = p13 + m;
  const p15 = p14 + m;
  const d0_0 = d[p0], d0_1 = d[p0 + 1], d0_2 = d[p0 + 2], d0_3 = d[p0 + 3], d0_4 = d[p0 + 4], d0_5 = d[p0 + 5], d0_6 = d[p0 + 6], d0_7 = d[p0 + 7];
  const d1_0 = d[p1], d1_1 = d[p1 + 1], d1_2 = d[p1 + 2], d1_3 = d[p1 + 3], d1_4 = d[p1 + 4], d1_5 = d[p1 + 5], d1_6 = d[p1 + 6], d1_7 = d[p1 + 7];
  const d2_0 = d[p2], d2_1 = d[p2 + 1], d2_2 = d[p2 + 2], d2_3 = d[p2 + 3], d2_4 = d[p2 + 4], d2_5 = d[p2 + 5], d2_6 = d[p2 + 6], d2_7 = d[p2 + 7];
  const d3_0 = d[p3], d3_1 = d[p3 + 1], d3_2 = d[p3 + 2], d3_3 = d[p3 + 3], d3_4 = d[p3 + 4], d3_5 = d[p3 + 5], d3_6 = d[p3 + 6], d3_7 = d[p3 + 7];
  const d4_0 = d[p4], d4_1 = d[p4 + 1], d4_2 = d[p4 + 2], d4_3 = d[p4 + 3], d4_4 = d[p4 + 4], d4_5 = d[p4 + 5], d4_6 = d[p4 + 6], d4_7 = d[p4 + 7];
  const d5_0 = d[p5], d5_1 = d[p5 + 1], d5_2 = d[p5 + 2], d5_3 = d[p5 + 3], d5_4 = d[p5 + 4], d5_5 = d[p5 + 5], d5_6 = d[p5 + 6], d5_7 = d[p5 + 7];
  const d6_0 = d[p6], d6_1 = d[p6 + 1], d6_2 = d[p6 + 2], d6_3 = d[p6 + 3], d6_4 = d[p6 + 4], d6_5 = d[p6 + 5], d6_6 = d[p6 + 6], d6_7 = d[p6 + 7];
  const d7_0 = d[p7], d7_1 = d[p7 + 1], d7_2 = d[p7 + 2], d7_3 = d[p7 + 3], d7_4 = d[p7 + 4], d7_5 = d[p7 + 5], d7_6 = d[p7 + 6], d7_7 = d[p7 + 7];
  const d8_0 = d[p8], d8_1 = d[p8 + 1], d8_2 = d[p8 + 2], d8_3 = d[p8 + 3], d8_4 = d[p8 + 4], d8_5 = d[p8 + 5], d8_6 = d[p8 + 6], d8_7 = d[p8 + 7];
  const d9_0 = d[p9], d9_1 = d[p9 + 1], d9_2 = d[p9 + 2], d9_3 = d[p9 + 3], d9_4 = d[p9 + 4], d9_5 = d[p9 + 5], d9_6 = d[p9 + 6], d9_7 = d[p9 + 7];
  const d10_0 = d[p10], d10_1 = d[p10 + 1], d10_2 = d[p10 + 2], d10_3 = d[p10 + 3], d10_4 = d[p10 + 4], d10_5 = d[p10 + 5], d10_6 = d[p10 + 6], d10_7 = d[p10 + 7];
  const d11_0 = d[p11], d11_1 = d[p11 + 1], d11_2 = d[p11 + 2], d11_3 = d[p11 + 3], d11_4 = d[p11 + 4], d11_5 = d[p11 + 5], d11_6 = d[p11 + 6], d11_7 = d[p11 + 7];
  const d12_0 = d[p12], d12_1 = d[p12 + 1], d12_2 = d[p12 + 2], d12_3 = d[p12 + 3], d12_4 = d[p12 + 4], d12_5 = d[p12 + 5], d12_6 = d[p12 + 6], d12_7 = d[p12 + 7];
  const d13_0 = d[p13], d13_1 = d[p13 + 1], d13_2 = d[p13 + 2], d13_3 = d[p13 + 3], d13_4 = d[p13 + 4], d13_5 = d[p13 + 5], d13_6 = d[p13 + 6], d13_7 = d[p13 + 7];
  const d14_0 = d[p14], d14_1 = d[p14 + 1], d14_2 = d[p14 + 2], d14_3 = d[p14 + 3], d14_4 = d[p14 + 4], d14_5 = d[p14 + 5], d14_6 = d[p14 + 6], d14_7 = d[p14 + 7];
  const d15_0 = d[p15], d15_1 = d[p15 + 1], d15_2 = d[p15 + 2], d15_3 = d[p15 + 3], d15_4 = d[p15 + 4], d15_5 = d[p15 + 5], d15_6 = d[p15 + 6], d15_7 = d[p15 + 7];
  const r0 = i0 * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n, r4 = r3 + n, r5 = r4 + n, r6 = r5 + n, r7 = r6 + n;
  const a0 = 0, a1 = 1 * n, a2 = 2 * n, a3 = 3 * n, a4 = 4 * n, a5 = 5 * n, a6 = 6 * n, a7 = 7 * n, a8 = 8 * n, a9 = 9 * n, a10 = 10 * n, a11 = 11 * n, a12 = 12 * n, a13 = 13 * n, a14 = 14 * n, a15 = 15 * n;
  for (let j = 0; j < n; j++) {
    const w0 = w[(r0 + j) | 0], w1 = w[(r1 + j) | 0], w2 = w[(r2 + j) | 0], w3 = w[(r3 + j) | 0], w4 = w[(r4 + j) | 0], w5 = w[(r5 + j) | 0], w6 = w[(r6 + j) | 0], w7 = w[(r7 + j) | 0];
    const e0 = (a0 + j) | 0;
    acc[e0] = acc[e0] + (w0 * d0_0 + w1 * d0_1 + (w2 * d0_2 + w3 * d0_3)) + (w4 * d0_4 + w5 * d0_5 + (w6 * d0_6 + w7 * d0_7));
    const e1 = (a1 + j) | 0;
    acc[e1] = acc[e1] + (w0 * d1_0 + w1 * d1_1 + (w2 * d1_2 + w3 * d1_3)) + (w4 * d1_4 + w5 * d1_5 + (w6 * d1_6 + w7 * d1_7));
    const e2 = (a2 + j) | 0;
    acc[e2] = acc[e2] + (w0 * d2_0 + w1 * d2_1 + (w2 * d2_2 + w3 * d2_3)) + (w4 * d2_4 + w5 * d2_5 + (w6 * d2_6 + w7 * d2_7));
    const e3 = (a3 + j) | 0;
    acc[e3] = acc[e3] + (w0 * d3_0 + w1 * d3_1 + (w2 * d3_2 + w3 * d3_3)) + (w4 * d3_4 + w5 * d3_5 + (w6 * d3_6 + w7 * d3_7));
    const e4 = (a4 + j) | 0;
    acc[e4] = acc[e4] + (w0 * d4_0 + w1 * d4_1 + (w2 * d4_2 + w3 * d4_3)) + (w4 * d4_4 + w5 * d4_5 + (w6 * d4_6 + w7 * d4_7));
    const e5 = (a5 + j) | 0;
    acc[e5] = acc[e5] + (w0 * d5_0 + w1 * d5_1 + (w2 * d5_2 + w3 * d5_3)) + (w4 * d5_4 + w5 * d5_5 + (w6 * d5_6 + w7 * d5_7));
    const e6 = (a6 + j) | 0;
    acc[e6] = acc[e6] + (w0 * d6_0 + w1 * d6_1 + (w2 * d6_2 + w3 * d6_3)) + (w4 * d6_4 + w5 * d6_5 + (w6 * d6_6 + w7 * d6_7));
    const e7 = (a7 + j) | 0;
    acc[e7] = acc[e7] + (w0 * d7_0 + w1 * d7_1 + (w2 * d7_2 + w3 * d7_3)) + (w4 * d7_4 + w5 * d7_5 + (w6 * d7_6 + w7 * d7_7));
    const e8 = (a8 + j) | 0;
    acc[e8] = acc[e8] + (w0 * d8_0 + w1 * d8_1 + (w2 * d8_2 + w3 * d8_3)) + (w4 * d8_4 + w5 * d8_5 + (w6 * d8_6 + w7 * d8_7));
    const e9 = (a9 + j) | 0;
    acc[e9] = acc[e9] + (w0 * d9_0 + w1 * d9_1 + (w2 * d9_2 + w3 * d9_3)) + (w4 * d9_4 + w5 * d9_5 + (w6 * d9_6 + w7 * d9_7));
    const e10 = (a10 + j) | 0;
    acc[e10] = acc[e10] + (w0 * d10_0 + w1 * d10_1 + (w2 * d10_2 + w3 * d10_3)) + (w4 * d10_4 + w5 * d10_5 + (w6 * d10_6 + w7 * d10_7));
    const e11 = (a11 + j) | 0;
    acc[e11] = acc[e11] + (w0 * d11_0 + w1 * d11_1 + (w2 * d11_2 + w3 * d11_3)) + (w4 * d11_4 + w5 * d11_5 + (w6 * d11_6 + w7 * d11_7));
    const e12 = (a12 + j) | 0;
    acc[e12] = acc[e12] + (w0 * d12_0 + w1 * d12_1 + (w2 * d12_2 + w3 * d12_3)) + (w4 * d12_4 + w5 * d12_5 + (w6 * d12_6 + w7 * d12_7));
    const e13 = (a13 + j) | 0;
    acc[e13] = acc[e13] + (w0 * d13_0 + w1 * d13_1 + (w2 * d13_2 + w3 * d13_3)) + (w4 * d13_4 + w5 * d13_5 + (w6 * d13_6 + w7 * d13_7));
    const e14 = (a14 + j) | 0;
    acc[e14] = acc[e14] + (w0 * d14_0 + w1 * d14_1 + (w2 * d14_2 + w3 * d14_3)) + (w4 * d14_4 + w5 * d14_5 + (w6 * d14_6 + w7 * d14_7));
    const e15 = (a15 + j) | 0;
    acc[e15] = acc[e15] + (w0 * d15_0 + w1 * d15_1 + (w2 * d15_2 + w3 * d15_3)) + (w4 * d15_4 + w5 * d15_5 + (w6 * d15_6 + w7 * d15_7));
  }
}

/**
 * Rows [i0, m) of samples [bs, be) of mvmTBatch, added to z: blocks of 4 rows × 4 samples (four weight loads and
 * four accumulator updates per sixteen multiply-adds), then the rows and samples left over.
 */
function backwardBlocked(w: Float32Array, m: number, n: number, d: ArrayLike<number>, i0: number, bs: number, be: number, z: Float64Array | Float32Array): void {
  const m4 = i0 + ((m - i0) & ~3);
  const b4 = bs + ((be - bs) & ~3);
  for (let i = i0; i < m4; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let b = bs; b < b4; b += 4) {
      const p0 = b * m + i;
      const p1 = p0 + m;
      const p2 = p1 + m;
      const p3 = p2 + m;
      const d00 = d[p0];
      const d01 = d[p0 + 1];
      const d02 = d[p0 + 2];
      const d03 = d[p0 + 3];
      const d10 = d[p1];
      const d11 = d[p1 + 1];
      const d12 = d[p1 + 2];
      const d13 = d[p1 + 3];
      const d20 = d[p2];
      const d21 = d[p2 + 1];
      const d22 = d[p2 + 2];
      const d23 = d[p2 + 3];
      const d30 = d[p3];
      const d31 = d[p3 + 1];
      const d32 = d[p3 + 2];
      const d33 = d[p3 + 3];
      const z0 = b * n;
      const z1 = z0 + n;
      const z2 = z1 + n;
      const z3 = z2 + n;
      for (let j = 0; j < n; j++) {
        const w0 = w[r0 + j];
        const w1 = w[r1 + j];
        const w2 = w[r2 + j];
        const w3 = w[r3 + j];
        z[z0 + j] += w0 * d00 + w1 * d01 + (w2 * d02 + w3 * d03);
        z[z1 + j] += w0 * d10 + w1 * d11 + (w2 * d12 + w3 * d13);
        z[z2 + j] += w0 * d20 + w1 * d21 + (w2 * d22 + w3 * d23);
        z[z3 + j] += w0 * d30 + w1 * d31 + (w2 * d32 + w3 * d33);
      }
    }
  }
  for (let b = bs; b < be; b++) {
    // Rows left over by the 4-row blocks, and the last (be − bs) % 4 samples over all rows.
    for (let i = b < b4 ? m4 : i0; i < m; i++) {
      const di = d[b * m + i];
      if (di === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) z[b * n + j] += w[row + j] * di;
    }
  }
}

/** Exact z = Wᵀ·d, four rows at a time so memory is read in order and z is loaded and stored once per four; referenceBackward to rounding. */
export function mvmT(w: Float32Array, m: number, n: number, d: ArrayLike<number>, dOff: number, z: Float64Array | Float32Array, zOff: number): void {
  for (let j = 0; j < n; j++) z[zOff + j] = 0;
  const m4 = m & ~3;
  let i = 0;
  for (; i < m4; i += 4) {
    const d0 = d[dOff + i];
    const d1 = d[dOff + i + 1];
    const d2 = d[dOff + i + 2];
    const d3 = d[dOff + i + 3];
    if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let j = 0; j < n; j++) z[zOff + j] += w[r0 + j] * d0 + w[r1 + j] * d1 + (w[r2 + j] * d2 + w[r3 + j] * d3);
  }
  for (; i < m; i++) {
    const di = d[dOff + i];
    if (di === 0) continue;
    const row = i * n;
    for (let j = 0; j < n; j++) z[zOff + j] += w[row + j] * di;
  }
}

/** dst[k] = v[off + k] for k < len. */
function copyIn(dst: Float32Array | Float64Array, v: ArrayLike<number>, off: number, len: number): void {
  if (v instanceof Float64Array || v instanceof Float32Array) dst.set(off === 0 && v.length === len ? v : v.subarray(off, off + len));
  else for (let k = 0; k < len; k++) dst[k] = v[off + k];
}

/**
 * Applies an IOConfig around the tile's products; owns its scratch so a step allocates nothing once warm.
 * Reference: referenceRead and referenceReadColumn (reference/io.ts), with the same random draws in the same order.
 *
 * Every read, of one row or of a mini-batch, goes through the float32 products of linalg/products.ts, whose outputs
 * do not depend on the batch: `forwardBatch` gives each row the bits `forward` gives it and draws the same random
 * numbers in the same order, so a seed gives the same run either way. A batch quantises all its rows' inputs, takes
 * one product, then adds each row's output noise in row order, re-reading a row on its own when bound management
 * halves its input. With input noise (drawn before each row's output noise), rows are read one at a time.
 *
 * The noise is the generator's standard normals from its Ziggurat (Rng.fillGauss), one block for a read's inputs and
 * one for its outputs, drawn when they are used and exactly as many as the read needs, so the generator may be shared.
 */
export class AnalogIO {
  private noise = new Float64Array(0);
  private readonly steps: ReadSteps;

  constructor(
    readonly config: IOConfig,
    private readonly rng: Rng,
  ) {
    const c = config;
    this.steps = { absMax: c.noiseManagement === 'abs-max', inStep: c.inpRes * 2 * c.inpBound, inBound: c.inpBound, outStep: c.outRes * 2 * c.outBound, outBound: c.outBound };
  }

  /** y = W·x through the forward IO (with bound management). */
  forward(w: Float32Array, m: number, n: number, x: ArrayLike<number>, xOff: number, y: Float64Array | Float32Array, yOff: number): void {
    this.read(w, m, n, x, xOff, 1, y, yOff, false);
  }

  /** z = Wᵀ·d through the backward IO (aihwkit switches bound management off there). */
  backward(w: Float32Array, m: number, n: number, d: ArrayLike<number>, dOff: number, z: Float64Array | Float32Array, zOff: number): void {
    this.read(w, m, n, d, dOff, 1, z, zOff, true);
  }

  /**
   * Y = X·Wᵀ through the forward IO for a mini-batch (x: batch×n rows, y: batch×m rows): each row as `forward`
   * reads it, bit for bit, with the random draws in the same order as calling `forward` row by row.
   */
  forwardBatch(w: Float32Array, m: number, n: number, x: Float32Array | Float64Array, batch: number, y: Float32Array | Float64Array): void {
    this.read(w, m, n, x, 0, batch, y, 0, false);
  }

  /** Z = D·W through the backward IO for a mini-batch (d: batch×m rows, z: batch×n rows), each row as `backward` reads it. */
  backwardBatch(w: Float32Array, m: number, n: number, d: Float32Array | Float64Array, batch: number, z: Float32Array | Float64Array): void {
    this.read(w, m, n, d, 0, batch, z, 0, true);
  }

  /**
   * Reads column j of W, as a Tiki-Taka transfer does with a one-hot forward pass: noise and ADC apply,
   * noise and bound management do not. Equals referenceReadColumn (reference/io.ts) bit for bit.
   */
  readColumn(w: Float32Array, m: number, n: number, j: number, out: Float64Array | Float32Array): void {
    const c = this.config;
    if (c.isPerfect) {
      for (let i = 0; i < m; i++) out[i] = w[i * n + j];
      return;
    }
    const inStep = c.inpRes * 2 * c.inpBound;
    const xin = Math.min(quantize(1, inStep), c.inpBound) + (c.inpNoise > 0 ? c.inpNoise * this.draw(1)[0] : 0);
    const outStep = c.outRes * 2 * c.outBound;
    const g = this.draw(m * ((c.wNoise > 0 ? 1 : 0) + (c.outNoise > 0 ? 1 : 0)));
    let q = 0;
    for (let i = 0; i < m; i++) {
      let y = w[i * n + j] * xin;
      if (c.wNoise > 0) y += c.wNoise * Math.abs(xin) * g[q++];
      if (c.outNoise > 0) y += c.outNoise * g[q++];
      y = quantize(y, outStep);
      out[i] = y > c.outBound ? c.outBound : y < -c.outBound ? -c.outBound : y;
    }
  }

  /** The next `count` standard normals of the generator, in order (a view valid until the next draw). */
  private draw(count: number): Float64Array {
    if (this.noise.length < count) this.noise = new Float64Array(Math.max(count, 2 * this.noise.length));
    if (count > 0) this.rng.fillGauss(this.noise, count);
    return this.noise;
  }

  /** `batch` rows of v (from `off`) read forward, or backward when `transposed`, into out (from `outOff`). */
  private read(w: Float32Array, m: number, n: number, v: ArrayLike<number>, off: number, batch: number, out: Float64Array | Float32Array, outOff: number, transposed: boolean): void {
    if (batch <= 0) return;
    const c = this.config;
    const inLen = transposed ? m : n;
    const outLen = transposed ? n : m;
    const p = products();
    const buf = p.buffers(m, n, batch, transposed);
    buf.weights.set(w.length === m * n ? w : w.subarray(0, m * n));
    if (c.isPerfect) {
      copyIn(buf.input, v, off, batch * inLen);
      p.run(m, n, 0, batch, transposed);
      out.set(buf.output.subarray(0, batch * outLen), outOff);
      return;
    }
    const st = this.steps;
    const bm = !transposed && c.boundManagement === 'iterative';
    const resLimit = c.inpRes > 0 ? c.maxBmRes / c.inpRes : Infinity;
    copyIn(buf.values, v, off, batch * inLen);
    // Without input noise no row draws before its product, so all rows are quantised and multiplied at once.
    const together = c.inpNoise === 0;
    if (together) {
      p.quantize(batch, st);
      p.run(m, n, 0, batch, transposed);
    } else {
      for (let b = 0; b < batch; b++) buf.scales[b] = this.noiseManagement(buf.values, b * inLen, inLen);
    }
    for (let b = 0; b < batch; b++) {
      const nm = buf.scales[b];
      if (nm === 0) {
        // An all-zero input reads 0 without drawing.
        buf.results.fill(0, b * outLen, (b + 1) * outLen);
        continue;
      }
      let row = b;
      let norm2 = buf.norms[b];
      if (!together) {
        norm2 = this.noisyInputs(buf, b, b, inLen, nm);
        p.run(m, n, b, 1, transposed);
      }
      for (let factor = 1; ; ) {
        const wn = c.wNoise > 0 ? c.wNoise * Math.sqrt(norm2) : 0;
        this.normals(buf.noise, outLen * ((wn > 0 ? 1 : 0) + (c.outNoise > 0 ? 1 : 0)));
        const saturated = p.outputs(row, b, wn, c.outNoise, nm / factor, st);
        const next = factor * 2;
        if (!bm || !saturated || next > c.maxBmFactor || next > resLimit) break;
        // Bound management: read this row again with its input halved, in the spare row after the batch.
        factor = next;
        row = batch;
        norm2 = together ? p.quantizeRow(b, row, nm / factor, st) : this.noisyInputs(buf, b, row, inLen, nm / factor);
        p.run(m, n, row, 1, transposed);
      }
    }
    out.set(buf.results.subarray(0, batch * outLen), outOff);
  }

  /** The noise-management scale of a row: 0 when it is all zeros, else 1/max|v| (abs-max) or 1. */
  private noiseManagement(v: Float64Array, off: number, len: number): number {
    let vMax = 0;
    for (let k = 0; k < len; k++) {
      const a = Math.abs(v[off + k]);
      if (a > vMax) vMax = a;
    }
    return vMax === 0 ? 0 : this.config.noiseManagement === 'abs-max' ? 1 / vMax : 1;
  }

  /** Input row `row` = clip(quantize(value row `from`·s)) + input noise (one block of normals); returns Σ x². */
  private noisyInputs(buf: ProductBuffers, from: number, row: number, len: number, s: number): number {
    const c = this.config;
    const st = this.steps;
    const g = this.draw(len);
    let norm2 = 0;
    for (let k = 0; k < len; k++) {
      let x = buf.values[from * len + k] * s;
      if (st.inStep > 0) x = Math.round(x / st.inStep) * st.inStep;
      x = x > st.inBound ? st.inBound : x < -st.inBound ? -st.inBound : x;
      x += c.inpNoise * g[k];
      buf.input[row * len + k] = x;
      norm2 += x * x;
    }
    return norm2;
  }

  /** dst[0, count) = the generator's next `count` standard normals, one block. */
  private normals(dst: Float64Array, count: number): void {
    if (count > 0) this.rng.fillGauss(dst, count);
  }
}
