/**
 * Writes one step's gradient onto a tile, in either update mode:
 * - expected: ΔW = −lr·(Σ_b d_b x_bᵀ + σΞ) applied through the device's mean response (the paper's dynamic);
 * - pulsed: one stochastic pulsed rank-1 update per sample (aihwkit), and the gradient noise σΞ as extra
 *   rank-1 terms e_i ⊗ σξ_i over the smaller tile dimension (same covariance, applied through the device).
 */
import type { PulsedUpdater, UpdateParams } from '../pulsed';
import type { Rng } from '../rng';
import type { AnalogTile } from '../tile';
import type { LayerGrad } from './types';

export type UpdateMode = 'expected' | 'pulsed';

export class GradientWriter {
  private delta = new Float32Array(0);
  private xs = new Float64Array(0);
  private ds = new Float64Array(0);
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
    if (this.xs.length < cols) this.xs = new Float64Array(cols);
    if (this.ds.length < rows) this.ds = new Float64Array(rows);
  }

  /** Dense G = Σ_b d_b x_bᵀ (+ σΞ), times −lr, into this.delta; chopX flips input columns. */
  private denseDelta(rows: number, cols: number, g: LayerGrad, lr: number, chopX: Int8Array | null): Float32Array {
    const delta = this.delta;
    const B = g.count;
    const x = g.x;
    const d = g.d;
    for (let b = 0; b < B; b++) this.tick();
    // G = Dᵀ·X as a small matrix product: blocks of 2 rows × 4 columns summed over the batch in registers.
    const r2 = rows & ~1;
    const c4 = cols & ~3;
    for (let i = 0; i < r2; i += 2) {
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
    for (let b = 0; b < g.count; b++) {
      this.tick();
      if (chopX) {
        const xs = this.xs;
        for (let j = 0; j < cols; j++) xs[j] = chopX[j] * g.x[b * cols + j];
        up.update(tile, xs, 0, g.d, b * rows, lr, params);
      } else up.update(tile, g.x, b * cols, g.d, b * rows, lr, params);
    }
    if (this.noise > 0) this.pulsedNoise(tile, lr, params, chopX);
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

  /** Floating-point SGD: w ← w − lr·(G + σΞ), no device (aihwkit FloatingPointRPUConfig). */
  digital(w: Float32Array, rows: number, cols: number, g: LayerGrad, lr: number): void {
    for (let b = 0; b < g.count; b++) {
      this.tick();
      const xo = b * cols;
      const dOff = b * rows;
      for (let i = 0; i < rows; i++) {
        const di = lr * g.d[dOff + i];
        if (di === 0) continue;
        const row = i * cols;
        for (let j = 0; j < cols; j++) w[row + j] -= di * g.x[xo + j];
      }
    }
    if (this.noise > 0) {
      const s = lr * this.noise;
      for (let k = 0; k < rows * cols; k++) w[k] -= s * this.noiseRng.normal();
    }
  }
}
