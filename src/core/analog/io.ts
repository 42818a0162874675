/**
 * Forward/backward read non-idealities of an analog MVM (spec 02 §4.5, aihwkit IOParameters): DAC and ADC
 * resolution, input/output bounds, output noise, additive weight read noise, noise management (scale inputs by
 * 1/max|x|) and iterative bound management (halve the input while outputs saturate; forward only).
 */
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

/** Exact y = W·x for a row-major m×n matrix. */
export function mvm(w: Float32Array, m: number, n: number, x: ArrayLike<number>, xOff: number, y: Float64Array | Float32Array, yOff: number): void {
  for (let i = 0; i < m; i++) y[yOff + i] = dot(w, i * n, x, xOff, n);
}

/**
 * Y = X·Wᵀ for a batch (X: B×n rows, Y: B×m rows), the forward pass of a mini-batch with perfect IO. Blocks of
 * 2 rows × 4 samples keep eight independent sums in registers and load each weight once per four samples.
 */
export function mvmBatch(w: Float32Array, m: number, n: number, x: ArrayLike<number>, batch: number, y: Float64Array | Float32Array): void {
  const b4 = batch & ~3;
  const m2 = m & ~1;
  for (let i = 0; i < m2; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    for (let b = 0; b < b4; b += 4) {
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
    for (let b = b4; b < batch; b++) {
      y[b * m + i] = dot(w, r0, x, b * n, n);
      y[b * m + i + 1] = dot(w, r1, x, b * n, n);
    }
  }
  if (m2 < m) for (let b = 0; b < batch; b++) y[b * m + m2] = dot(w, m2 * n, x, b * n, n);
}

/**
 * Z = D·W for a batch (D: B×m rows, Z: B×n rows), the backward pass of a mini-batch with perfect IO. Blocks of
 * 4 rows × 4 samples: four weight loads and four accumulator updates per sixteen multiply-adds.
 */
export function mvmTBatch(w: Float32Array, m: number, n: number, d: ArrayLike<number>, batch: number, z: Float64Array | Float32Array): void {
  z.fill(0, 0, batch * n);
  const m4 = m & ~3;
  const b4 = batch & ~3;
  for (let i = 0; i < m4; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let b = 0; b < b4; b += 4) {
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
  for (let b = 0; b < batch; b++) {
    // Rows left over by the 4-row blocks, and the last batch % 4 samples over all rows.
    const from = b < b4 ? m4 : 0;
    for (let i = from; i < m; i++) {
      const di = d[b * m + i];
      if (di === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) z[b * n + j] += w[row + j] * di;
    }
  }
}

/** Exact z = Wᵀ·d, four rows at a time so memory is read in order and z is loaded and stored once per four. */
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

/** Applies an IOConfig around the MVMs; owns its scratch so a step allocates nothing once warm. */
export class AnalogIO {
  private xs = new Float64Array(0);
  private ys = new Float64Array(0);

  constructor(
    readonly config: IOConfig,
    private readonly rng: Rng,
  ) {}

  private scratch(n: number, m: number): void {
    if (this.xs.length < n) this.xs = new Float64Array(n);
    if (this.ys.length < m) this.ys = new Float64Array(m);
  }

  /** y = W·x through the forward IO (with bound management). */
  forward(w: Float32Array, m: number, n: number, x: ArrayLike<number>, xOff: number, y: Float64Array | Float32Array, yOff: number): void {
    if (this.config.isPerfect) return mvm(w, m, n, x, xOff, y, yOff);
    this.managed(w, m, n, x, xOff, y, yOff, false, this.config.boundManagement === 'iterative');
  }

  /** z = Wᵀ·d through the backward IO (aihwkit switches bound management off there). */
  backward(w: Float32Array, m: number, n: number, d: ArrayLike<number>, dOff: number, z: Float64Array | Float32Array, zOff: number): void {
    if (this.config.isPerfect) return mvmT(w, m, n, d, dOff, z, zOff);
    this.managed(w, m, n, d, dOff, z, zOff, true, false);
  }

  /**
   * Reads column j of W, as a transfer does with a one-hot forward pass (spec 02 §4.7): noise and ADC apply,
   * noise and bound management do not.
   */
  readColumn(w: Float32Array, m: number, n: number, j: number, out: Float64Array | Float32Array): void {
    const c = this.config;
    if (c.isPerfect) {
      for (let i = 0; i < m; i++) out[i] = w[i * n + j];
      return;
    }
    const inStep = c.inpRes * 2 * c.inpBound;
    const xin = Math.min(quantize(1, inStep), c.inpBound) + (c.inpNoise > 0 ? c.inpNoise * this.rng.normal() : 0);
    const outStep = c.outRes * 2 * c.outBound;
    for (let i = 0; i < m; i++) {
      let y = w[i * n + j] * xin;
      if (c.wNoise > 0) y += c.wNoise * Math.abs(xin) * this.rng.normal();
      if (c.outNoise > 0) y += c.outNoise * this.rng.normal();
      y = quantize(y, outStep);
      out[i] = y > c.outBound ? c.outBound : y < -c.outBound ? -c.outBound : y;
    }
  }

  private managed(
    w: Float32Array,
    m: number,
    n: number,
    v: ArrayLike<number>,
    off: number,
    out: Float64Array | Float32Array,
    outOff: number,
    transposed: boolean,
    bm: boolean,
  ): void {
    const c = this.config;
    const inLen = transposed ? m : n;
    const outLen = transposed ? n : m;
    this.scratch(inLen, outLen);
    let vMax = 0;
    for (let k = 0; k < inLen; k++) vMax = Math.max(vMax, Math.abs(v[off + k]));
    if (vMax === 0) {
      for (let k = 0; k < outLen; k++) out[outOff + k] = 0;
      return;
    }
    const nm = c.noiseManagement === 'abs-max' ? 1 / vMax : 1;
    const inStep = c.inpRes * 2 * c.inpBound;
    const outStep = c.outRes * 2 * c.outBound;
    const xs = this.xs;
    const ys = this.ys;
    let factor = 1;
    for (;;) {
      const s = nm / factor;
      let norm2 = 0;
      for (let k = 0; k < inLen; k++) {
        let x = quantize(v[off + k] * s, inStep);
        x = x > c.inpBound ? c.inpBound : x < -c.inpBound ? -c.inpBound : x;
        if (c.inpNoise > 0) x += c.inpNoise * this.rng.normal();
        xs[k] = x;
        norm2 += x * x;
      }
      if (transposed) mvmT(w, m, n, xs, 0, ys, 0);
      else mvm(w, m, n, xs, 0, ys, 0);
      const wn = c.wNoise > 0 ? c.wNoise * Math.sqrt(norm2) : 0;
      let saturated = false;
      for (let k = 0; k < outLen; k++) {
        let y = ys[k];
        if (wn > 0) y += wn * this.rng.normal();
        if (c.outNoise > 0) y += c.outNoise * this.rng.normal();
        y = quantize(y, outStep);
        if (y >= c.outBound || y <= -c.outBound) {
          saturated = true;
          y = y > 0 ? c.outBound : -c.outBound;
        }
        ys[k] = y;
      }
      const next = factor * 2;
      const resLimit = c.inpRes > 0 ? c.maxBmRes / c.inpRes : Infinity;
      if (!bm || !saturated || next > c.maxBmFactor || next > resLimit) {
        for (let k = 0; k < outLen; k++) out[outOff + k] = ys[k] / s;
        return;
      }
      factor = next;
    }
  }
}
