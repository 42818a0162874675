/**
 * Writes one step's gradient onto a tile, in either update mode:
 * - expected: ΔW = −lr·(Σ_b d_b x_bᵀ + σΞ) applied through the device's mean response (the paper's dynamic);
 * - pulsed: one stochastic pulsed rank-1 update per sample (aihwkit), and the gradient noise σΞ as extra
 *   rank-1 terms e_i ⊗ σξ_i over the smaller tile dimension (same covariance, applied through the device).
 */
import { packedDoubles, packedInts } from '../arrays';
import { MAX_BL, planPulses, type PulsePlan, type PulsedUpdater, type UpdateParams } from '../pulsed';
import type { Rng } from '../rng';
import type { AnalogTile } from '../tile';
import type { LayerGrad } from './types';

export type UpdateMode = 'expected' | 'pulsed';

export class GradientWriter {
  private delta = new Float32Array(0);
  /** Float64 accumulators of 8 rows of the dense gradient (a plain array: see arrays.ts). */
  private acc: number[] = [];
  private xs = new Float64Array(0);
  private ds = new Float64Array(0);
  /**
   * digital(): the columns with a non-zero input (activeCols), and per such column k its terms from colStart[k] to
   * colStart[k + 1]: the sample (colSample) and the input (colX), in sample order; di holds a row's lr·d_b.
   */
  private activeCols: number[] = [];
  private colStart: number[] = [];
  private colSample: number[] = [];
  private colX: number[] = [];
  private di: number[] = [];
  private readonly plan: PulsePlan = { bl: 0, a: 0, b: 0 };
  /** Called between samples so a long step can still be cancelled (set by the simulation). */
  guard: (() => void) | null = null;
  private guardEvery = 1;
  private guardCount = 0;

  constructor(
    readonly mode: UpdateMode,
    readonly updater: PulsedUpdater,
    private readonly noiseRng: Rng,
    private readonly deviceRng: Rng,
    /** Gradient noise σ added per weight coordinate. */
    readonly noise: number,
  ) {}

  /** Poll the guard every `every` samples (chosen so a few ms of work pass between polls). */
  setGuard(guard: () => void, every: number): void {
    this.guard = guard;
    this.guardEvery = Math.max(1, Math.floor(every));
  }

  private tick(): void {
    if (this.guard && ++this.guardCount >= this.guardEvery) {
      this.guardCount = 0;
      this.guard();
    }
  }

  private ensure(size: number, rows: number, cols: number): void {
    if (this.delta.length < size) this.delta = new Float32Array(size);
    if (this.acc.length < 8 * cols) this.acc = packedDoubles(8 * cols);
    if (this.xs.length < cols) this.xs = new Float64Array(cols);
    if (this.ds.length < rows) this.ds = new Float64Array(rows);
  }

  /**
   * Dense G = Σ_b d_b x_bᵀ (+ σΞ), times −lr, into this.delta; chopX flips input columns. G equals referenceGradient
   * (reference/mvm.ts) bit for bit before it is stored as float32.
   */
  private denseDelta(rows: number, cols: number, g: LayerGrad, lr: number, chopX: Int8Array | null): Float32Array {
    const delta = this.delta;
    const B = g.count;
    const x = g.x;
    const d = g.d;
    for (let b = 0; b < B; b++) this.tick();
    // Every element is a running sum over the batch in sample order, G_ij = ((d₀x₀ + d₁x₁) + d₂x₂) + …, in
    // float64, then stored as float32. Blocks of 8 rows go through gradBlock8, 8 samples at a time, into 8 rows of
    // float64 accumulators; the rows left over use register blocks of 2 rows × 4 columns.
    const r8 = rows & ~7;
    const b8 = B & ~7;
    const acc = this.acc;
    for (let i = 0; i < r8; i += 8) {
      acc.fill(0, 0, 8 * cols);
      for (let b = 0; b < b8; b += 8) gradBlock8(acc, x, d, rows, cols, i, b);
      for (let b = b8; b < B; b++) {
        for (let r = 0; r < 8; r++) {
          const c = d[b * rows + i + r];
          for (let j = 0; j < cols; j++) acc[r * cols + j] += c * x[b * cols + j];
        }
      }
      storeRows(delta, i * cols, acc, 8 * cols);
    }
    const r2 = r8 + ((rows - r8) & ~1);
    const c4 = cols & ~3;
    for (let i = r8; i < r2; i += 2) {
      for (let j = 0; j < c4; j += 4) {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let e0 = 0;
        let e1 = 0;
        let e2 = 0;
        let e3 = 0;
        for (let b = 0; b < B; b++) {
          const di = d[b * rows + i];
          const dk = d[b * rows + i + 1];
          const o = b * cols + j;
          const x0 = x[o];
          const x1 = x[o + 1];
          const x2 = x[o + 2];
          const x3 = x[o + 3];
          a0 += di * x0;
          a1 += di * x1;
          a2 += di * x2;
          a3 += di * x3;
          e0 += dk * x0;
          e1 += dk * x1;
          e2 += dk * x2;
          e3 += dk * x3;
        }
        const p = i * cols + j;
        delta[p] = a0;
        delta[p + 1] = a1;
        delta[p + 2] = a2;
        delta[p + 3] = a3;
        delta[p + cols] = e0;
        delta[p + cols + 1] = e1;
        delta[p + cols + 2] = e2;
        delta[p + cols + 3] = e3;
      }
      for (let j = c4; j < cols; j++) {
        let a = 0;
        let e = 0;
        for (let b = 0; b < B; b++) {
          a += d[b * rows + i] * x[b * cols + j];
          e += d[b * rows + i + 1] * x[b * cols + j];
        }
        delta[i * cols + j] = a;
        delta[(i + 1) * cols + j] = e;
      }
    }
    if (r2 < rows) {
      for (let j = 0; j < cols; j++) {
        let a = 0;
        for (let b = 0; b < B; b++) a += d[b * rows + r2] * x[b * cols + j];
        delta[r2 * cols + j] = a;
      }
    }
    const size = rows * cols;
    const sigma = this.noise;
    const rng = this.noiseRng;
    for (let k = 0; k < size; k++) {
      let v = delta[k];
      if (sigma > 0) v += sigma * rng.normal();
      delta[k] = -lr * v;
    }
    if (chopX) {
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (chopX[j] < 0) delta[i * cols + j] = -delta[i * cols + j];
    }
    return delta;
  }

  /** Analog write of −lr·gradient on `tile`. */
  write(tile: AnalogTile, g: LayerGrad, lr: number, params: UpdateParams, chopX: Int8Array | null = null): void {
    const rows = tile.rows;
    const cols = tile.cols;
    this.ensure(tile.size, rows, cols);
    if (this.mode === 'expected') {
      tile.expectedUpdate(this.denseDelta(rows, cols, g, lr, chopX), this.deviceRng);
      return;
    }
    const up = this.updater;
    // The tile's weights stay in the updater's plain-array copy for the whole mini-batch (PulsedUpdater.beginBatch)
    // when the batch touches more elements than the two whole-tile copies cost; otherwise each update copies just
    // the elements it can touch (the same weights either way); finally, so that a cancellation thrown by the guard
    // still leaves every applied pulse in tile.w.
    if (this.mirrorPays(tile, g, lr, params)) up.beginBatch(tile);
    try {
      for (let b = 0; b < g.count; b++) {
        this.tick();
        if (chopX) {
          const xs = this.xs;
          for (let j = 0; j < cols; j++) xs[j] = chopX[j] * g.x[b * cols + j];
          up.update(tile, xs, 0, g.d, b * rows, lr, params);
        } else up.update(tile, g.x, b * cols, g.d, b * rows, lr, params);
      }
      if (this.noise > 0) this.pulsedNoise(tile, lr, params, chopX);
    } finally {
      up.endBatch();
    }
  }

  /**
   * digital()'s terms of one step: the active columns and their (sample, input) lists (see activeCols). Returns
   * the number of active columns, or −1 if an input is not finite (the dense loop then keeps ∞·0 = NaN).
   */
  private digitalTerms(x: ArrayLike<number>, B: number, cols: number): number {
    if (this.colStart.length < cols + 1) {
      this.activeCols = packedInts(cols);
      this.colStart = packedInts(cols + 1);
    }
    if (this.colX.length < B * cols) {
      this.colSample = packedInts(B * cols);
      this.colX = packedDoubles(B * cols);
    }
    if (this.di.length < B) this.di = packedDoubles(B);
    for (let b = 0; b < B; b++) this.tick();
    const start = this.colStart;
    const active = this.activeCols;
    const sample = this.colSample;
    const xs = this.colX;
    let n = 0;
    let t = 0;
    for (let j = 0; j < cols; j++) {
      const t0 = t;
      for (let b = 0; b < B; b++) {
        const v = x[b * cols + j];
        if (v === 0) continue;
        if (!Number.isFinite(v)) return -1;
        sample[t] = b;
        xs[t++] = v;
      }
      if (t > t0) {
        active[n] = j;
        start[n++] = t0;
      }
    }
    start[n] = t;
    return n;
  }

  /**
   * Whether the whole-tile copy of a mini-batch (PulsedUpdater.beginBatch: the tile copied in and out once) costs
   * less than the per-update copies of the elements an update can touch (its firing rows × firing inputs, in and
   * out). The touched count is estimated from the first sample: under its pulse plan (planPulses) an input fires
   * with probability at most min(1, BL·|x_j|·b), an error row with min(1, BL·|d_i|·a); times the batch. On the
   * 256×256 batch-32 benchmark (dense inputs, BL ≈ 10) nearly every element is touched by every sample and the
   * batch copy pays; on MNIST's FCN (batch 10, ~80 % zero pixels, BL ≈ 2) the first layer's samples touch a few
   * per cent of its 200,704 weights, and the two whole-tile copies per mini-batch were ~0.4 s of a 1.4 s epoch.
   */
  private mirrorPays(tile: AnalogTile, g: LayerGrad, lr: number, params: UpdateParams): boolean {
    const rows = tile.rows;
    const cols = tile.cols;
    const x = g.x;
    const d = g.d;
    let xMax = 0;
    for (let j = 0; j < cols; j++) xMax = Math.max(xMax, Math.abs(x[j]));
    let dMax = 0;
    for (let i = 0; i < rows; i++) dMax = Math.max(dMax, Math.abs(d[i]));
    if (!(xMax > 0 && dMax > 0) || !Number.isFinite(xMax) || !Number.isFinite(dMax) || lr === 0) return true;
    const plan = planPulses(lr, xMax, dMax, tile.granularity, params, this.plan);
    const bl = Math.min(plan.bl, MAX_BL);
    let nx = 0;
    for (let j = 0; j < cols; j++) nx += Math.min(1, bl * Math.abs(x[j]) * plan.b);
    let nd = 0;
    for (let i = 0; i < rows; i++) nd += Math.min(1, bl * Math.abs(d[i]) * plan.a);
    return g.count * nx * nd >= tile.size;
  }

  private pulsedNoise(tile: AnalogTile, lr: number, params: UpdateParams, chopX: Int8Array | null): void {
    const rows = tile.rows;
    const cols = tile.cols;
    const rng = this.noiseRng;
    const sigma = this.noise;
    if (rows <= cols) {
      const xs = this.xs;
      const ds = this.ds;
      for (let i = 0; i < rows; i++) {
        this.tick();
        for (let j = 0; j < cols; j++) xs[j] = sigma * rng.normal() * (chopX ? chopX[j] : 1);
        ds.fill(0, 0, rows);
        ds[i] = 1;
        this.updater.update(tile, xs, 0, ds, 0, lr, params);
      }
    } else {
      const xs = this.xs;
      const ds = this.ds;
      for (let j = 0; j < cols; j++) {
        this.tick();
        for (let i = 0; i < rows; i++) ds[i] = sigma * rng.normal();
        xs.fill(0, 0, cols);
        xs[j] = chopX ? chopX[j] : 1;
        this.updater.update(tile, xs, 0, ds, 0, lr, params);
      }
    }
  }

  /**
   * Floating-point SGD: w ← w − lr·(G + σΞ), no device (aihwkit FloatingPointRPUConfig). Every weight takes the
   * samples' terms one at a time in sample order, w ← fround(w − (lr·d_bi)·x_bj), exactly as a dense loop over the
   * samples storing into the float32 weights would; but each weight is loaded and stored once per step (held in a
   * register over the samples), and only the terms with x_bj ≠ 0 are taken (MNIST's inputs are ~80 % zeros): with
   * every x and lr·d finite, a zero term leaves the weight as it is. A row with a non-finite lr·d_bi (∞·0 = NaN
   * must reach the weight) takes the dense loop. The one difference from the dense loop: a weight that is exactly
   * −0 stays −0 where −0 − (−0) would have made it +0.
   */
  digital(w: Float32Array, rows: number, cols: number, g: LayerGrad, lr: number): void {
    const B = g.count;
    const x = g.x;
    const d = g.d;
    const terms = this.digitalTerms(x, B, cols);
    const di = this.di;
    for (let i = 0; i < rows; i++) {
      let finite = true;
      for (let b = 0; b < B; b++) {
        const v = lr * d[b * rows + i];
        di[b] = v;
        if (!Number.isFinite(v)) finite = false;
      }
      if (finite && terms >= 0) {
        registerRow(w, i * cols, di, this.colStart, this.colSample, this.colX, this.activeCols, terms);
        continue;
      }
      const row = i * cols;
      for (let b = 0; b < B; b++) {
        const v = di[b];
        if (v === 0) continue;
        for (let j = 0; j < cols; j++) w[row + j] -= v * x[b * cols + j];
      }
    }
    if (this.noise > 0) {
      const s = lr * this.noise;
      for (let k = 0; k < rows * cols; k++) w[k] -= s * this.noiseRng.normal();
    }
  }
}

/**
 * One row of digital(): w[row + j] ← fround(w − di[b]·x_bj) over the terms of each active column j, in sample
 * order, the weight held in a register between them (Math.fround rounds as the float32 store would).
 */
function registerRow(w: Float32Array, row: number, di: number[], start: number[], sample: number[], xs: number[], cols: number[], n: number): void {
  for (let k = 0; k < n; k++) {
    const p = row + cols[k];
    let v = w[p];
    const end = start[k + 1];
    for (let t = start[k]; t < end; t++) {
      const e = di[sample[t]];
      if (e !== 0) v = Math.fround(v - e * xs[t]);
    }
    w[p] = v;
  }
}

/**
 * delta[off + k] = acc[k] (float64 → float32) for k < len. The long loops of a step are small functions called many
 * times: a function that runs one long loop once per step is entered by on-stack replacement before the code after
 * the loop has type feedback, and V8 then deoptimises it again and again (measured 2× slower in some runs).
 */
function storeRows(delta: Float32Array, off: number, acc: number[], len: number): void {
  for (let k = 0; k < len; k++) delta[(off + k) | 0] = acc[k];
}

/**
 * acc[r][j] += Σ_{s<8} d[b0+s][i0+r]·x[b0+s][j] for 8 rows r and all columns j, summed in sample order
 * (acc = acc + d₀x₀ + d₁x₁ + …, exactly as a running sum over the batch would). The 64 errors are held in locals
 * (TurboFan keeps them on the stack and uses them as memory operands), the 8 samples' inputs of one column in
 * registers, and the 8 accumulator rows (8 × cols doubles) stay in L1: 24 typed-array accesses per 64
 * multiply-adds instead of 6 per 8 with register blocking (see forward16 in io.ts). `(a + b) | 0` is a
 * wrapping int32 add, without the overflow check of a plain `a + b`.
 */
function gradBlock8(acc: number[], x: ArrayLike<number>, d: ArrayLike<number>, rows: number, cols: number, i0: number, b0: number): void {
  const p0 = b0 * rows + i0;
  const p1 = (b0 + 1) * rows + i0;
  const p2 = (b0 + 2) * rows + i0;
  const p3 = (b0 + 3) * rows + i0;
  const p4 = (b0 + 4) * rows + i0;
  const p5 = (b0 + 5) * rows + i0;
  const p6 = (b0 + 6) * rows + i0;
  const p7 = (b0 + 7) * rows + i0;
  const d0_0 = d[p0], d0_1 = d[p1], d0_2 = d[p2], d0_3 = d[p3], d0_4 = d[p4], d0_5 = d[p5], d0_6 = d[p6], d0_7 = d[p7];
  const d1_0 = d[p0 + 1], d1_1 = d[p1 + 1], d1_2 = d[p2 + 1], d1_3 = d[p3 + 1], d1_4 = d[p4 + 1], d1_5 = d[p5 + 1], d1_6 = d[p6 + 1], d1_7 = d[p7 + 1];
  const d2_0 = d[p0 + 2], d2_1 = d[p1 + 2], d2_2 = d[p2 + 2], d2_3 = d[p3 + 2], d2_4 = d[p4 + 2], d2_5 = d[p5 + 2], d2_6 = d[p6 + 2], d2_7 = d[p7 + 2];
  const d3_0 = d[p0 + 3], d3_1 = d[p1 + 3], d3_2 = d[p2 + 3], d3_3 = d[p3 + 3], d3_4 = d[p4 + 3], d3_5 = d[p5 + 3], d3_6 = d[p6 + 3], d3_7 = d[p7 + 3];
  const d4_0 = d[p0 + 4], d4_1 = d[p1 + 4], d4_2 = d[p2 + 4], d4_3 = d[p3 + 4], d4_4 = d[p4 + 4], d4_5 = d[p5 + 4], d4_6 = d[p6 + 4], d4_7 = d[p7 + 4];
  const d5_0 = d[p0 + 5], d5_1 = d[p1 + 5], d5_2 = d[p2 + 5], d5_3 = d[p3 + 5], d5_4 = d[p4 + 5], d5_5 = d[p5 + 5], d5_6 = d[p6 + 5], d5_7 = d[p7 + 5];
  const d6_0 = d[p0 + 6], d6_1 = d[p1 + 6], d6_2 = d[p2 + 6], d6_3 = d[p3 + 6], d6_4 = d[p4 + 6], d6_5 = d[p5 + 6], d6_6 = d[p6 + 6], d6_7 = d[p7 + 6];
  const d7_0 = d[p0 + 7], d7_1 = d[p1 + 7], d7_2 = d[p2 + 7], d7_3 = d[p3 + 7], d7_4 = d[p4 + 7], d7_5 = d[p5 + 7], d7_6 = d[p6 + 7], d7_7 = d[p7 + 7];
  const o0 = b0 * cols;
  const o1 = (b0 + 1) * cols;
  const o2 = (b0 + 2) * cols;
  const o3 = (b0 + 3) * cols;
  const o4 = (b0 + 4) * cols;
  const o5 = (b0 + 5) * cols;
  const o6 = (b0 + 6) * cols;
  const o7 = (b0 + 7) * cols;
  const a0 = 0, a1 = 1 * cols, a2 = 2 * cols, a3 = 3 * cols, a4 = 4 * cols, a5 = 5 * cols, a6 = 6 * cols, a7 = 7 * cols;
  for (let j = 0; j < cols; j++) {
    const x0 = x[(o0 + j) | 0], x1 = x[(o1 + j) | 0], x2 = x[(o2 + j) | 0], x3 = x[(o3 + j) | 0], x4 = x[(o4 + j) | 0], x5 = x[(o5 + j) | 0], x6 = x[(o6 + j) | 0], x7 = x[(o7 + j) | 0];
    const e0 = (a0 + j) | 0;
    acc[e0] = acc[e0] + d0_0 * x0 + d0_1 * x1 + d0_2 * x2 + d0_3 * x3 + d0_4 * x4 + d0_5 * x5 + d0_6 * x6 + d0_7 * x7;
    const e1 = (a1 + j) | 0;
    acc[e1] = acc[e1] + d1_0 * x0 + d1_1 * x1 + d1_2 * x2 + d1_3 * x3 + d1_4 * x4 + d1_5 * x5 + d1_6 * x6 + d1_7 * x7;
    const e2 = (a2 + j) | 0;
    acc[e2] = acc[e2] + d2_0 * x0 + d2_1 * x1 + d2_2 * x2 + d2_3 * x3 + d2_4 * x4 + d2_5 * x5 + d2_6 * x6 + d2_7 * x7;
    const e3 = (a3 + j) | 0;
    acc[e3] = acc[e3] + d3_0 * x0 + d3_1 * x1 + d3_2 * x2 + d3_3 * x3 + d3_4 * x4 + d3_5 * x5 + d3_6 * x6 + d3_7 * x7;
    const e4 = (a4 + j) | 0;
    acc[e4] = acc[e4] + d4_0 * x0 + d4_1 * x1 + d4_2 * x2 + d4_3 * x3 + d4_4 * x4 + d4_5 * x5 + d4_6 * x6 + d4_7 * x7;
    const e5 = (a5 + j) | 0;
    acc[e5] = acc[e5] + d5_0 * x0 + d5_1 * x1 + d5_2 * x2 + d5_3 * x3 + d5_4 * x4 + d5_5 * x5 + d5_6 * x6 + d5_7 * x7;
    const e6 = (a6 + j) | 0;
    acc[e6] = acc[e6] + d6_0 * x0 + d6_1 * x1 + d6_2 * x2 + d6_3 * x3 + d6_4 * x4 + d6_5 * x5 + d6_6 * x6 + d6_7 * x7;
    const e7 = (a7 + j) | 0;
    acc[e7] = acc[e7] + d7_0 * x0 + d7_1 * x1 + d7_2 * x2 + d7_3 * x3 + d7_4 * x4 + d7_5 * x5 + d7_6 * x6 + d7_7 * x7;
  }
}
