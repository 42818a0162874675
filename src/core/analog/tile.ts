/**
 * One crossbar tile: an m×n weight matrix (rows = outputs, columns = inputs, row-major like aihwkit's
 * "x-major" layout) stored in a Float32Array, the device elements behind it, and the two ways to write it —
 * the expected (mean) update of the paper's dynamic and aihwkit's stochastic pulses (pulsed.ts).
 */
import type { DeviceConfig } from './devices/config';
import { createDeviceArray, type DeviceArray } from './devices/device';
import type { Rng } from './rng';

/** Reprogramming thresholds of a one-sided pair, as fractions of the device's upper bound. */
const PAIR_REFRESH_UPPER = 0.75;

export class AnalogTile {
  readonly size: number;
  /** Visible (read) weights. */
  readonly w: Float32Array;
  readonly device: DeviceArray;
  /** Persistent weights under write noise, or g⁺ of a one-sided pair; null otherwise. */
  private readonly hidden: Float32Array | null;
  /** g⁻ of a one-sided pair. */
  private readonly minus: Float32Array | null;
  private readonly decayFactor: Float32Array | null;
  private readonly decayTarget: Float32Array | null;
  private readonly writeNoise: number;
  /** True when a pulse can be applied to `w` directly (no write noise, no pair). */
  readonly direct: boolean;
  /** Device pulses applied so far (expected mode: their expected number). */
  pulses = 0;
  /** Down/up slope and bound of the closed-form expected update, indexed by +(Δw > 0). */
  private readonly expectedSel = new Float64Array(4);

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly config: DeviceConfig,
    rng: Rng,
  ) {
    this.size = rows * cols;
    this.w = new Float32Array(this.size);
    const pair = config.onesidedPair;
    this.device = createDeviceArray(config, pair ? 2 * this.size : this.size, rng);
    this.writeNoise = config.writeNoiseStd * config.dwMin;
    this.hidden = pair || this.writeNoise > 0 ? new Float32Array(this.size) : null;
    this.minus = pair ? new Float32Array(this.size) : null;
    if (pair) {
      for (let i = 0; i < this.size; i++) {
        this.hidden![i] = this.device.clip(i, config.reset);
        this.minus![i] = this.device.clip(this.size + i, config.reset);
      }
    }
    if (config.lifetime > 0) {
      this.decayFactor = new Float32Array(this.size);
      this.decayTarget = new Float32Array(this.size);
      for (let i = 0; i < this.size; i++) {
        const life = config.lifetime * (1 + config.lifetimeDtod * rng.normal());
        this.decayFactor[i] = life > 1 ? 1 - 1 / life : 0;
        this.decayTarget[i] = config.reset + config.resetDtod * rng.normal();
      }
    } else {
      this.decayFactor = null;
      this.decayTarget = null;
    }
    this.direct = this.hidden === null;
    this.refreshVisible(rng);
  }

  get granularity(): number {
    return this.device.granularity;
  }

  /** Float32 values this tile keeps per weight (for the memory estimate). */
  static floatsPerWeight(config: DeviceConfig, deviceFloats: number): number {
    const pair = config.onesidedPair ? 2 : 1;
    return 1 + pair * deviceFloats + (config.onesidedPair ? 2 : config.writeNoiseStd > 0 ? 1 : 0) + (config.lifetime > 0 ? 2 : 0);
  }

  /** Programs the weights (clipped to each element's bounds), like aihwkit's set_weights. */
  setWeights(values: ArrayLike<number> | number, rng: Rng): void {
    for (let i = 0; i < this.size; i++) {
      const v = typeof values === 'number' ? values : values[i];
      if (this.minus) {
        this.hidden![i] = this.device.clip(i, Math.max(v, 0) + this.config.reset);
        this.minus[i] = this.device.clip(this.size + i, Math.max(-v, 0) + this.config.reset);
      } else if (this.hidden) this.hidden[i] = this.device.clip(i, v);
      else this.w[i] = this.device.clip(i, v);
    }
    this.refreshVisible(rng);
  }

  private refreshVisible(rng: Rng): void {
    if (this.minus) for (let i = 0; i < this.size; i++) this.w[i] = this.hidden![i] - this.minus[i];
    else if (this.hidden) for (let i = 0; i < this.size; i++) this.w[i] = this.hidden[i] + this.writeNoise * rng.normal();
  }

  /**
   * n same-direction pulses on element i through write noise or the pair; `direct` tiles are written by the
   * pulsed updater itself for speed.
   */
  pulseElement(i: number, n: number, up: boolean, rng: Rng): void {
    if (this.minus) {
      // A one-sided pair only ever potentiates: up moves g⁺, down moves g⁻.
      if (up) this.hidden![i] = this.device.pulse(i, this.hidden![i], n, true, rng);
      else this.minus[i] = this.device.pulse(this.size + i, this.minus[i], n, true, rng);
      this.w[i] = this.hidden![i] - this.minus[i];
    } else if (this.hidden) {
      this.hidden[i] = this.device.pulse(i, this.hidden[i], n, up, rng);
      this.w[i] = this.hidden[i] + this.writeNoise * rng.normal();
    } else {
      this.w[i] = this.device.pulse(i, this.w[i], n, up, rng);
    }
  }

  /** Expected (mean) update of one element by a desired increment dw: w + dw·q±(w), the paper's mean dynamic (reference: expectedStep). */
  expectedElement(i: number, dw: number, rng: Rng): void {
    if (dw === 0) return;
    const g = this.device.granularity;
    const up = dw > 0;
    this.pulses += Math.abs(dw) / g;
    if (this.minus) {
      const k = up ? i : this.size + i;
      const arr = up ? this.hidden! : this.minus;
      const a = Math.abs(dw);
      arr[i] = this.device.clip(k, arr[i] + (a * this.device.meanStep(k, arr[i], true)) / g);
      this.w[i] = this.hidden![i] - this.minus[i];
    } else if (this.hidden) {
      const h = this.hidden[i];
      this.hidden[i] = this.device.clip(i, h + (dw * this.device.meanStep(i, h, up)) / g);
      this.w[i] = this.hidden[i] + this.writeNoise * rng.normal();
    } else {
      const w = this.w[i];
      this.w[i] = this.device.clip(i, w + (dw * this.device.meanStep(i, w, up)) / g);
    }
  }

  /**
   * Expected update of the whole tile by the increment matrix `delta` (same layout as `w`). Reference:
   * referenceExpectedUpdate (reference/pulsed.ts), bit for bit, except the closed form for identical noise-free
   * soft-bounds elements, which multiplies in another order (within a few float32 ulps per step).
   */
  expectedUpdate(delta: Float32Array, rng: Rng): void {
    const dev = this.device;
    const size = this.size;
    const f = this.direct && dev.closedForm ? dev.closedForm() : null;
    if (f) {
      const g = dev.granularity;
      const sel = this.expectedSel;
      sel[0] = f.scaleDown / g;
      sel[1] = f.scaleUp / g;
      sel[2] = f.bMin;
      sel[3] = f.bMax;
      // In chunks, so that the kernel is a frequently called function that V8 optimises with complete type
      // feedback rather than one long loop entered by on-stack replacement once per step (which ran 2× slower
      // in some runs). The running sum is passed along: same additions in the same order.
      let sumAbs = 0;
      for (let s = 0; s < size; s += EXPECTED_CHUNK) sumAbs = expectedClosedForm(this.w, delta, s, Math.min(size, s + EXPECTED_CHUNK), sel, sumAbs);
      this.pulses += sumAbs / g;
      return;
    }
    if (this.direct) {
      // Inlined hot path of expectedElement for plain tiles.
      const g = dev.granularity;
      const w = this.w;
      let sumAbs = 0;
      for (let i = 0; i < size; i++) {
        const dw = delta[i];
        if (dw === 0) continue;
        const wi = w[i];
        const up = dw > 0;
        sumAbs += up ? dw : -dw;
        w[i] = dev.clip(i, wi + (dw * dev.meanStep(i, wi, up)) / g);
      }
      this.pulses += sumAbs / g;
      return;
    }
    for (let i = 0; i < size; i++) this.expectedElement(i, delta[i], rng);
  }

  /** Per-step housekeeping: decay toward the reset value and reprogramming of saturated one-sided pairs. */
  endOfStep(rng: Rng): void {
    if (this.decayFactor) {
      const src = this.hidden && !this.minus ? this.hidden : this.w;
      for (let i = 0; i < this.size; i++) {
        const b = this.decayTarget![i];
        src[i] = this.device.clip(i, (src[i] - b) * this.decayFactor[i] + b);
      }
      if (src !== this.w) this.refreshVisible(rng);
    }
    if (this.minus) {
      const hp = this.hidden!;
      for (let i = 0; i < this.size; i++) {
        if (hp[i] > PAIR_REFRESH_UPPER * this.device.upper(i) || this.minus[i] > PAIR_REFRESH_UPPER * this.device.upper(this.size + i)) {
          // Reset both devices and re-write the difference onto one side (counted at its expected pulse number).
          const w = hp[i] - this.minus[i];
          const reset = this.config.reset;
          hp[i] = this.device.clip(i, reset + Math.max(w, 0));
          this.minus[i] = this.device.clip(this.size + i, reset + Math.max(-w, 0));
          this.pulses += Math.abs(w) / this.device.granularity;
          this.w[i] = hp[i] - this.minus[i];
        }
      }
    }
  }

  /** Saturation |w − w⋄| / half-range per element is computed by stats.ts from these bounds. */
  lower(i: number): number {
    return this.minus ? -this.device.upper(this.size + i) : this.device.lower(i);
  }

  upper(i: number): number {
    return this.minus ? this.device.upper(i) : this.device.upper(i);
  }
}

/** Elements per call of expectedClosedForm. */
const EXPECTED_CHUNK = 1024;

/**
 * Expected update of identical noise-free soft-bounds elements [from, to): w + Δw·(s/g)(1 − w/b), b the bound Δw
 * moves toward, clipped; returns sumAbs + Σ|Δw|, added in element order. sel = [down slope, up slope, b_min, b_max]:
 * the sign of Δw is a coin flip per element, so a branch on it would be mispredicted half the time; the slope and
 * bound are looked up by +(Δw > 0) instead.
 */
function expectedClosedForm(w: Float32Array, delta: Float32Array, from: number, to: number, sel: Float64Array, sumAbs: number): number {
  const lo = sel[2];
  const hi = sel[3];
  for (let i = from; i < to; i++) {
    const dw = delta[i];
    if (dw === 0) continue;
    const wi = w[i];
    const up = +(dw > 0);
    sumAbs += Math.abs(dw);
    const next = wi + dw * sel[up] * (1 - wi / sel[2 + up]);
    w[i] = next > hi ? hi : next < lo ? lo : next;
  }
  return sumAbs;
}
