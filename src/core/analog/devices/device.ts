/**
 * Per-element device state and aihwkit's "update once" rules, the fast form of reference/devices.ts. A DeviceArray
 * holds the parameters every element drew at construction (device-to-device variation) and applies pulses to one
 * element at a time; the tile owns the weights. Cycle-to-cycle noise is drawn per pulse and every result is clipped
 * to the element's own bounds.
 *
 * Each class must equal the reference (test/unit/analog/differential.test.ts): its sampled parameters and meanStep
 * are sampleElements' and meanStep's bit for bit (same draws in the same order, stored as float32); pulse(…, n = 1)
 * is pulseOnce bit for bit (cycle noise from Rng.normal, as the reference draws it), except the soft-bounds family
 * with additive noise, whose closed form b + (w − b)·aⁿ agrees within a few float32 ulps; pulse(…, n) is n
 * pulseOnce calls without the float32 rounding in between, or, with cycle noise in ConstantStep and the additive
 * soft-bounds form, their exact Gaussian sum in one draw (equal in distribution, and only where no pulse but the last
 * would be clipped: test/unit/analog/noise.test.ts measures the bias at a bound). The pulsed updater's inline
 * kernel for the soft-bounds family (AffinePulses) draws its noise in blocks with Rng.fillGauss instead.
 */
import { packedDoubles } from '../arrays';
import type { Rng } from '../rng';
import {
  nominalBounds,
  upDownOf,
  weightGranularity,
  type DeviceConfig,
  type DeviceOf,
  type ExpStepDevice,
  type LinearStepDevice,
  type PowStepDevice,
  type SoftBoundsDevice,
  hasReference,
  referenceOptions,
  type ReferenceOptions,
} from './config';

export interface DeviceArray {
  readonly config: DeviceConfig;
  readonly size: number;
  /** Step the bit-line length is computed from (aihwkit `getWeightGranularity`). */
  readonly granularity: number;
  /** Float32 values stored per element, for the memory estimate. */
  readonly floatsPerElement: number;
  /** Mean size (≥ 0) of one pulse at visible weight w, without noise. */
  meanStep(i: number, w: number, up: boolean): number;
  /** Applies n ≥ 1 same-direction pulses to element i at visible weight w; returns the new, clipped weight. */
  pulse(i: number, w: number, n: number, up: boolean, rng: Rng): number;
  clip(i: number, w: number): number;
  /** Visible bounds of element i. */
  lower(i: number): number;
  upper(i: number): number;
  /** Visible weight where mean up and down steps are equal (NaN if the model has none). */
  symmetricPoint(i: number): number;
  /**
   * When every element is identical and noise-free, n pulses are w ← b + (w − b)·a^n with one table of powers
   * per direction: the pulsed updater then applies them inline. Null otherwise.
   */
  closedForm?(): ClosedFormPulses | null;
  /**
   * When every element's pulse is affine in the weight with additive noise (the soft-bounds family), n pulses of
   * element i are w_p ← b + (w_p − b)·aⁿ + s·σ·√(Σ_{k<n} a^{2k})·ξ on w_p = w + ref, clipped to the element's bounds:
   * the per-element parameters as plain arrays, for the pulsed updater to apply inline. An element with a < 0 (a
   * step larger than its bound, which one pulse overshoots) must take its pulses through pulse(). Null otherwise.
   */
  affineForm?(): AffinePulses | null;
}

/**
 * The per-element parameters of AffinePulses' rule, as packed double arrays (one entry per element, the float32
 * values the device stores), built on first use: the hot loop reads them without the typed-array checks (see
 * arrays.ts). About 7 doubles per element, the price of the speed (in floatsPerElement).
 */
export interface AffinePulses {
  /** a = 1 − s/b at 2·i + direction (0 down, 1 up); a < 0: the element takes its pulses through DeviceArray.pulse. */
  a: number[];
  /** Bounds of w_p = w + ref: b↓ at 2·i, b↑ at 2·i + 1 (so the bound a pulse moves toward is at 2·i + direction). */
  bounds: number[];
  /**
   * The noise of n pulses is s·σ·√(Σ_{k<n} a^{2k}) = c·√(1 − a^{2n}) with c = s·σ/√(1 − a²): c at 2·i + direction,
   * signed (+ up, − down; 0 without cycle noise, and where a = 1, i.e. s = 0).
   */
  noiseScale: number[];
  /** The element's reference (null when every element's is 0). */
  ref: number[] | null;
  /** σ > 0: a normal is drawn per element pulsed. */
  noisy: boolean;
}

/** Doubles per element that AffinePulses keeps, counted in floats (float32 units) for the memory estimate. */
const AFFINE_FLOATS = 2 * 7;

export interface ClosedFormPulses {
  bMax: number;
  bMin: number;
  /** Step sizes of one up and one down pulse at w = 0. */
  scaleUp: number;
  scaleDown: number;
  /** powUp[n] = (1 − s_up/b_max)^n, powDown[n] = (1 + s_down/b_min)^n, n ≤ 64. */
  powUp: Float64Array;
  powDown: Float64Array;
  /** 1 − powUp[n] and 1 − powDown[n]: w + (b − w)·gain[n] leaves w exactly unchanged for n = 0. */
  gainUp: Float64Array;
  gainDown: Float64Array;
  /**
   * The gains looked up by coincidence word instead of pulse count: gainByBits[c] = gainUp[popcount(c)] and
   * gainByBits[GAIN_BITS_DOWN + c] = gainDown[popcount(c)] for c < 2^GAIN_TABLE_BITS. One table load replaces a
   * popcount lookup plus a gain lookup per element when BL ≤ GAIN_TABLE_BITS.
   */
  gainByBits: number[];
}

/** Bit-line lengths up to this use ClosedFormPulses.gainByBits (2 × 4,096 doubles, 64 KB; BL ≈ 9 touches 8 KB). */
export const GAIN_TABLE_BITS = 12;
/** Offset of the down-pulse half of gainByBits. */
export const GAIN_BITS_DOWN = 1 << GAIN_TABLE_BITS;

/** Floats kept per element by the common part: scale up/down and bounds. */
const COMMON_FLOATS = 4;

abstract class BaseArray implements DeviceArray {
  readonly granularity: number;
  readonly scaleUp: Float32Array;
  readonly scaleDown: Float32Array;
  readonly bMax: Float32Array;
  readonly bMin: Float32Array;
  abstract readonly floatsPerElement: number;
  protected readonly sigma: number;

  constructor(
    readonly config: DeviceConfig,
    readonly size: number,
    rng: Rng,
  ) {
    this.granularity = weightGranularity(config);
    this.sigma = config.dwMinStd;
    this.scaleUp = new Float32Array(size);
    this.scaleDown = new Float32Array(size);
    this.bMax = new Float32Array(size);
    this.bMin = new Float32Array(size);
    const c = config;
    // The paper's c_Lin multiplies the two branches by (1 ± c); aihwkit's up_down only ever shrinks one side.
    const upDown = upDownOf(c);
    const upBias = Math.min(upDown, 0);
    const downBias = -Math.max(upDown, 0);
    const upFactor = c.model === 'linear' ? 1 + c.offset : 1;
    const downFactor = c.model === 'linear' ? 1 - c.offset : 1;
    const { wMax, wMin } = nominalBounds(c);
    for (let i = 0; i < size; i++) {
      // Always four draws per element in a fixed order, so changing one spread leaves the others' draws alone.
      const x1 = rng.normal();
      const x2 = rng.normal();
      const x3 = rng.normal();
      const x4 = rng.normal();
      let bmax = wMax * (1 + c.wMaxDtod * x1);
      let bmin = wMin * (1 + c.wMinDtod * x2);
      const gain = c.dwMinDtodLogNormal ? Math.exp(c.dwMinDtod * x3) : 1 + c.dwMinDtod * x3;
      const r = c.upDownDtod * x4;
      let su = upFactor * (upBias + gain + r) * c.dwMin;
      let sd = downFactor * (downBias + gain - r) * c.dwMin;
      // aihwkit's enforce_consistency (on by default in its Python configs).
      su = Math.abs(su);
      sd = Math.abs(sd);
      // Then b↑ = |b↑| and b↓ = −|b↓| (a bound drawn across 0 is mirrored, not collapsed onto 0).
      if (bmin > bmax) [bmin, bmax] = [bmax, bmin];
      bmax = Math.abs(bmax);
      bmin = -Math.abs(bmin);
      this.scaleUp[i] = su;
      this.scaleDown[i] = sd;
      this.bMax[i] = bmax;
      this.bMin[i] = bmin;
    }
  }

  abstract meanStep(i: number, w: number, up: boolean): number;

  /** Default: pulse by pulse, each with its own cycle noise and clipping. */
  pulse(i: number, w: number, n: number, up: boolean, rng: Rng): number {
    for (let k = 0; k < n; k++) w = this.once(i, w, up, rng);
    return w;
  }

  protected abstract once(i: number, w: number, up: boolean, rng: Rng): number;

  clip(i: number, w: number): number {
    const hi = this.bMax[i];
    const lo = this.bMin[i];
    return w > hi ? hi : w < lo ? lo : w;
  }

  lower(i: number): number {
    return this.bMin[i];
  }

  upper(i: number): number {
    return this.bMax[i];
  }

  symmetricPoint(i: number): number {
    return bisectSymmetricPoint(this, i);
  }
}

/** Finds w with meanStep(up) = meanStep(down) by bisection; NaN when the steps never cross inside the bounds. */
function bisectSymmetricPoint(d: DeviceArray, i: number): number {
  let lo = d.lower(i);
  let hi = d.upper(i);
  const diff = (w: number) => d.meanStep(i, w, true) - d.meanStep(i, w, false);
  let flo = diff(lo);
  const fhi = diff(hi);
  if (flo === 0) return lo;
  if (fhi === 0) return hi;
  if (Math.sign(flo) === Math.sign(fhi)) return NaN;
  for (let k = 0; k < 60; k++) {
    const mid = 0.5 * (lo + hi);
    const f = diff(mid);
    if (Math.sign(f) === Math.sign(flo)) {
      lo = mid;
      flo = f;
    } else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** aihwkit ConstantStep: steps independent of the weight, hard bounds. */
class ConstantStepArray extends BaseArray {
  readonly floatsPerElement = COMMON_FLOATS;

  meanStep(i: number, _w: number, up: boolean): number {
    return up ? this.scaleUp[i] : this.scaleDown[i];
  }

  protected once(i: number, w: number, up: boolean, rng: Rng): number {
    const s = up ? this.scaleUp[i] : -this.scaleDown[i];
    return this.clip(i, w + s * (1 + (this.sigma > 0 ? this.sigma * rng.normal() : 0)));
  }

  override pulse(i: number, w: number, n: number, up: boolean, rng: Rng): number {
    if (n === 1 || this.sigma === 0) {
      if (this.sigma === 0) return this.clip(i, w + n * (up ? this.scaleUp[i] : -this.scaleDown[i]));
      return this.once(i, w, up, rng);
    }
    // The sum of n independent Gaussian step noises is one Gaussian with √n the spread; intermediate clipping
    // is only applied at the end, which differs from pulse-by-pulse only for elements already at a bound.
    const s = up ? this.scaleUp[i] : -this.scaleDown[i];
    if ((up && w >= this.bMax[i]) || (!up && w <= this.bMin[i])) return this.clip(i, w);
    return this.clip(i, w + s * (n + this.sigma * Math.sqrt(n) * rng.normal()));
  }
}

/** aihwkit LinearStep (and SoftBounds, its γ = 1 special case with the element's own bounds). */
class LinearStepArray extends BaseArray {
  readonly floatsPerElement = COMMON_FLOATS + 2;
  private readonly kUp: Float32Array;
  private readonly kDown: Float32Array;
  private readonly multNoise: boolean;

  constructor(config: LinearStepDevice | SoftBoundsDevice, size: number, rng: Rng) {
    super(config, size, rng);
    this.kUp = new Float32Array(size);
    this.kDown = new Float32Array(size);
    this.multNoise = config.multNoise;
    const linear = config.model === 'LinearStep' ? config : null;
    for (let i = 0; i < size; i++) {
      const gu = linear ? Math.abs(linear.gammaUp + linear.gammaUpDtod * rng.normal()) : 1;
      const gd = linear ? Math.abs(linear.gammaDown + linear.gammaDownDtod * rng.normal()) : 1;
      const rUp = linear?.meanBoundReference ? linear.wMax : this.bMax[i];
      const rDown = linear?.meanBoundReference ? linear.wMin : this.bMin[i];
      this.kUp[i] = rUp > 0 ? (-gu * this.scaleUp[i]) / rUp : 0;
      this.kDown[i] = rDown < 0 ? (-gd * this.scaleDown[i]) / rDown : 0;
    }
  }

  meanStep(i: number, w: number, up: boolean): number {
    const s = up ? this.scaleUp[i] + this.kUp[i] * w : this.scaleDown[i] + this.kDown[i] * w;
    return s > 0 ? s : 0;
  }

  protected once(i: number, w: number, up: boolean, rng: Rng): number {
    const xi = this.sigma > 0 ? this.sigma * rng.normal() : 0;
    let dw: number;
    if (this.multNoise) {
      dw = this.meanStep(i, w, up) * (1 + xi);
    } else {
      const slope = up ? this.kUp[i] * w : this.kDown[i] * w;
      const s = up ? this.scaleUp[i] : this.scaleDown[i];
      dw = slope + s * (1 + xi);
    }
    return this.clip(i, up ? w + dw : w - dw);
  }
}

/**
 * aihwkit SoftBoundsReference, which is also the paper's soft-bounds device (w_max = −w_min = τ) and, with
 * scales (1 ± c_Lin), its generic linear response. Pulses act on w + reference.
 */
class SoftBoundsReferenceArray extends BaseArray {
  readonly floatsPerElement: number;
  /** Per-element reference added before the pulse (null when all zero). */
  private readonly ref: Float32Array | null;
  /** Per-pulse contraction factors a = 1 − s/b of the linear recursion, for the n-pulse closed form. */
  private readonly aUp: Float32Array;
  private readonly aDown: Float32Array;
  /** Powers a^n for n ≤ 64 when every element shares the same factors (no variation). */
  private readonly powUp: Float64Array | null;
  private readonly powDown: Float64Array | null;
  /** Built on first use and kept: the pulsed updater asks for it once per rank-1 update. */
  private closed: ClosedFormPulses | null = null;
  private affine: AffinePulses | null = null;
  /** Whether affineForm applies (additive noise or none) and closedForm does not. */
  private readonly affineApplies: boolean;

  private readonly multNoise: boolean;

  constructor(config: DeviceOf<'SoftBoundsReference' | 'soft-bounds' | 'linear'>, size: number, rng: Rng) {
    super(config, size, rng);
    const opts: ReferenceOptions = referenceOptions(config);
    this.multNoise = opts.multNoise;
    if (opts.slopeDtod > 0) {
      for (let i = 0; i < size; i++) {
        const fu = Math.abs(1 + opts.slopeDtod * rng.normal());
        const fd = Math.abs(1 + opts.slopeDtod * rng.normal());
        if (this.bMax[i] > 0 && fu > 0) this.bMax[i] = this.bMax[i] / fu;
        if (this.bMin[i] < 0 && fd > 0) this.bMin[i] = this.bMin[i] / fd;
      }
    }
    this.aUp = new Float32Array(size);
    this.aDown = new Float32Array(size);
    let uniform = true;
    for (let i = 0; i < size; i++) {
      // An element whose bound collapsed onto 0 cannot move past it: treat its step toward that bound as 0.
      if (this.bMax[i] <= 0) this.scaleUp[i] = 0;
      if (this.bMin[i] >= 0) this.scaleDown[i] = 0;
      this.aUp[i] = this.bMax[i] > 0 ? 1 - this.scaleUp[i] / this.bMax[i] : 1;
      this.aDown[i] = this.bMin[i] < 0 ? 1 + this.scaleDown[i] / this.bMin[i] : 1;
      if (this.aUp[i] !== this.aUp[0] || this.aDown[i] !== this.aDown[0]) uniform = false;
    }
    let ref: Float32Array | null = null;
    if (hasReference(opts)) {
      ref = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        let r = opts.referenceMean + opts.referenceStd * rng.normal();
        if (opts.subtractSymmetryPoint) {
          const den = this.scaleUp[i] / this.bMax[i] - this.scaleDown[i] / this.bMin[i];
          if (den > 0 && Number.isFinite(den)) r += (this.scaleUp[i] - this.scaleDown[i]) / den;
        }
        ref[i] = r;
      }
    }
    this.ref = ref;
    if (uniform && size > 0) {
      this.powUp = powers(this.aUp[0], 64);
      this.powDown = powers(this.aDown[0], 64);
    } else {
      this.powUp = null;
      this.powDown = null;
    }
    this.affineApplies = size > 0 && !(this.multNoise && this.sigma > 0) && this.closedForm() === null;
    this.floatsPerElement = COMMON_FLOATS + 2 + (ref ? 1 : 0) + (this.affineApplies ? AFFINE_FLOATS : 0);
  }

  affineForm(): AffinePulses | null {
    if (!this.affineApplies) return null;
    if (!this.affine) {
      const n = this.size;
      const sigma = this.sigma;
      const f: AffinePulses = {
        a: packedDoubles(2 * n),
        bounds: packedDoubles(2 * n),
        noiseScale: packedDoubles(2 * n),
        ref: this.ref ? packedDoubles(n) : null,
        noisy: sigma > 0,
      };
      for (let i = 0; i < n; i++) {
        f.a[2 * i] = this.aDown[i];
        f.a[2 * i + 1] = this.aUp[i];
        f.bounds[2 * i] = this.bMin[i];
        f.bounds[2 * i + 1] = this.bMax[i];
        f.noiseScale[2 * i] = -noiseScale(this.scaleDown[i] * sigma, this.aDown[i]);
        f.noiseScale[2 * i + 1] = noiseScale(this.scaleUp[i] * sigma, this.aUp[i]);
        if (f.ref && this.ref) f.ref[i] = this.ref[i];
      }
      this.affine = f;
    }
    return this.affine;
  }

  closedForm(): ClosedFormPulses | null {
    if (!this.powUp || !this.powDown || this.ref || this.sigma > 0 || this.size === 0) return null;
    // A step larger than the bound (a < 0) overshoots and is clipped after the first pulse: no closed form.
    if (this.aUp[0] < 0 || this.aDown[0] < 0) return null;
    if (!this.closed) {
      const gainUp = this.powUp.map((v) => 1 - v);
      const gainDown = this.powDown.map((v) => 1 - v);
      // A plain array of doubles, not a Float64Array: see arrays.ts.
      const gainByBits = packedDoubles(2 * GAIN_BITS_DOWN);
      for (let c = 0; c < GAIN_BITS_DOWN; c++) {
        const k = popcount(c);
        gainByBits[c] = gainUp[k];
        gainByBits[GAIN_BITS_DOWN + c] = gainDown[k];
      }
      this.closed = {
        bMax: this.bMax[0],
        bMin: this.bMin[0],
        scaleUp: this.scaleUp[0],
        scaleDown: this.scaleDown[0],
        powUp: this.powUp,
        powDown: this.powDown,
        gainUp,
        gainDown,
        gainByBits,
      };
    }
    return this.closed;
  }

  meanStep(i: number, w: number, up: boolean): number {
    const wp = this.ref ? w + this.ref[i] : w;
    const s = up ? this.scaleUp[i] * (1 - wp / this.bMax[i]) : this.scaleDown[i] * (1 - wp / this.bMin[i]);
    return s > 0 ? s : 0;
  }

  protected once(i: number, w: number, up: boolean, rng: Rng): number {
    return this.pulse(i, w, 1, up, rng);
  }

  override pulse(i: number, w: number, n: number, up: boolean, rng: Rng): number {
    const r = this.ref ? this.ref[i] : 0;
    let wp = w + r;
    const sigma = this.sigma;
    const a = up ? this.aUp[i] : this.aDown[i];
    // Pulse by pulse with multiplicative noise, and for an element whose step exceeds its bound (a < 0): one pulse
    // then overshoots the bound and is clipped, which the closed form below does not do.
    if ((this.multNoise && sigma > 0) || a < 0) {
      const s = up ? this.scaleUp[i] : this.scaleDown[i];
      const b = up ? this.bMax[i] : this.bMin[i];
      for (let k = 0; k < n; k++) {
        // The mean step, floored at 0 as in meanStep: a bound collapsed onto 0 (s = 0, w/b = ±∞) gives 0, not NaN.
        const raw = s * (1 - wp / b);
        const step = raw > 0 ? raw : 0;
        const xi = sigma > 0 ? rng.normal() : 0;
        const dw = this.multNoise ? step * (1 + sigma * xi) : step + s * sigma * xi;
        wp = this.clipHidden(i, up ? wp + dw : wp - dw);
      }
      return wp - r;
    }
    // Additive noise keeps the recursion linear, w' = a·w + s(1 + σξ) → closed form for n pulses; the noise
    // sum is one Gaussian with variance s²σ²(1 − a^{2n})/(1 − a²).
    const b = up ? this.bMax[i] : this.bMin[i];
    const table = up ? this.powUp : this.powDown;
    const an = table !== null && n <= 64 ? table[n] : Math.pow(a, n);
    wp = b + (wp - b) * an;
    if (sigma > 0) {
      const s = up ? this.scaleUp[i] : -this.scaleDown[i];
      const varSum = a * a === 1 ? n : (1 - an * an) / (1 - a * a);
      wp += s * sigma * Math.sqrt(varSum) * rng.normal();
    }
    return this.clipHidden(i, wp) - r;
  }

  override lower(i: number): number {
    return this.bMin[i] - (this.ref ? this.ref[i] : 0);
  }

  override upper(i: number): number {
    return this.bMax[i] - (this.ref ? this.ref[i] : 0);
  }

  /** Clips a visible weight; `pulse` clips w + reference against the bounds directly. */
  override clip(i: number, w: number): number {
    const lo = this.lower(i);
    const hi = this.upper(i);
    return w > hi ? hi : w < lo ? lo : w;
  }

  private clipHidden(i: number, wp: number): number {
    const hi = this.bMax[i];
    const lo = this.bMin[i];
    return wp > hi ? hi : wp < lo ? lo : wp;
  }
}

/** aihwkit ExpStep: exponentially saturating steps; also models the PCM (GST) preset. */
class ExpStepArray extends BaseArray {
  readonly floatsPerElement = COMMON_FLOATS;

  constructor(
    private readonly exp: ExpStepDevice,
    size: number,
    rng: Rng,
  ) {
    super(exp, size, rng);
  }

  meanStep(i: number, w: number, up: boolean): number {
    const c = this.exp;
    const z = (2 * c.expA * w) / (this.bMax[i] - this.bMin[i] || 1) + c.expB;
    if (up) return Math.max(1 - c.expAUp * Math.exp(c.expGammaUp * z), 0) * this.scaleUp[i];
    return Math.max(1 - c.expADown * Math.exp(-c.expGammaDown * z), 0) * this.scaleDown[i];
  }

  protected once(i: number, w: number, up: boolean, rng: Rng): number {
    const c = this.exp;
    const dw = up ? this.meanStep(i, w, true) : -this.meanStep(i, w, false);
    const complex = c.dwMinStdAdd !== 0 || c.dwMinStdSlope !== 0;
    if (this.sigma === 0 && !complex) return this.clip(i, w + dw);
    const xi = rng.normal();
    const next = complex ? w + dw + this.sigma * (Math.abs(dw) + c.dwMinStdAdd + c.dwMinStdSlope * Math.abs(w)) * xi : w + dw * (1 + this.sigma * xi);
    return this.clip(i, next);
  }
}

/** aihwkit PowStep: steps ∝ the distance to the bound raised to γ (per element). */
class PowStepArray extends BaseArray {
  readonly floatsPerElement = COMMON_FLOATS + 2;
  private readonly gUp: Float32Array;
  private readonly gDown: Float32Array;

  constructor(config: PowStepDevice, size: number, rng: Rng) {
    super(config, size, rng);
    this.gUp = new Float32Array(size);
    this.gDown = new Float32Array(size);
    const upBias = Math.min(config.powUpDown, 0);
    const downBias = -Math.max(config.powUpDown, 0);
    for (let i = 0; i < size; i++) {
      const g = config.powGammaDtod * rng.normal();
      const r = config.powUpDownDtod * rng.normal();
      this.gUp[i] = Math.abs(config.powGamma * (upBias + 1 + g + r));
      this.gDown[i] = Math.abs(config.powGamma * (downBias + 1 + g - r));
    }
  }

  meanStep(i: number, w: number, up: boolean): number {
    const range = this.bMax[i] - this.bMin[i];
    if (range <= 0) return 0;
    if (up) return this.scaleUp[i] * Math.pow(Math.max((this.bMax[i] - w) / range, 0), this.gUp[i]);
    return this.scaleDown[i] * Math.pow(Math.max((w - this.bMin[i]) / range, 0), this.gDown[i]);
  }

  protected once(i: number, w: number, up: boolean, rng: Rng): number {
    const s = this.meanStep(i, w, up) * (1 + (this.sigma > 0 ? this.sigma * rng.normal() : 0));
    return this.clip(i, up ? w + s : w - s);
  }
}

/** The paper's power and exponential responses ([P25]): w ± Δw_min·(q±(w) + σ_c ξ). */
class ResponseArray extends BaseArray {
  readonly floatsPerElement = COMMON_FLOATS;
  private readonly expNorm: number;
  private readonly gammaRes: number;
  private readonly power: boolean;

  constructor(config: DeviceOf<'power' | 'exp'>, size: number, rng: Rng) {
    super(config, size, rng);
    this.gammaRes = config.gammaRes;
    this.power = config.model === 'power';
    this.expNorm = Math.exp(config.gammaRes) - 1;
  }

  private q(i: number, w: number, up: boolean): number {
    // Distance to the bound in units of the bound: 1 − w/b_max going up, 1 − w/b_min going down (b_min < 0).
    const b = up ? this.bMax[i] : this.bMin[i];
    if (b === 0) return 0;
    const u = Math.max(1 - w / b, 0);
    const g = this.gammaRes;
    return this.power ? Math.pow(u, g) : (Math.exp(g * u) - 1) / this.expNorm;
  }

  meanStep(i: number, w: number, up: boolean): number {
    return (up ? this.scaleUp[i] : this.scaleDown[i]) * this.q(i, w, up);
  }

  protected once(i: number, w: number, up: boolean, rng: Rng): number {
    const s = up ? this.scaleUp[i] : this.scaleDown[i];
    const step = s * (this.q(i, w, up) + (this.sigma > 0 ? this.sigma * rng.normal() : 0));
    return this.clip(i, up ? w + step : w - step);
  }
}

/** s·σ/√(1 − a²), the AffinePulses noise scale (0 when there is no noise or a² = 1, where s = 0). */
function noiseScale(sSigma: number, a: number): number {
  const d = 1 - a * a;
  return sSigma === 0 || d <= 0 ? 0 : sSigma / Math.sqrt(d);
}

function popcount(c: number): number {
  let k = 0;
  for (let t = c; t !== 0; t &= t - 1) k++;
  return k;
}

function powers(a: number, n: number): Float64Array {
  const out = new Float64Array(n + 1);
  out[0] = 1;
  for (let k = 1; k <= n; k++) out[k] = out[k - 1] * a;
  return out;
}

/** Samples `size` elements of the device (device-to-device variation drawn from `rng`). */
export function createDeviceArray(config: DeviceConfig, size: number, rng: Rng): DeviceArray {
  switch (config.model) {
    case 'ConstantStep':
      return new ConstantStepArray(config, size, rng);
    case 'LinearStep':
    case 'SoftBounds':
      return new LinearStepArray(config, size, rng);
    case 'SoftBoundsReference':
    case 'soft-bounds':
    case 'linear':
      return new SoftBoundsReferenceArray(config, size, rng);
    case 'ExpStep':
      return new ExpStepArray(config, size, rng);
    case 'PowStep':
      return new PowStepArray(config, size, rng);
    case 'power':
    case 'exp':
      return new ResponseArray(config, size, rng);
  }
}

/** Float32 values per element a device of this config keeps (memory estimate before construction). */
export function deviceFloatsPerElement(config: DeviceConfig): number {
  switch (config.model) {
    case 'ConstantStep':
    case 'ExpStep':
    case 'power':
    case 'exp':
      return COMMON_FLOATS;
    case 'LinearStep':
    case 'SoftBounds':
    case 'PowStep':
      return COMMON_FLOATS + 2;
    default: {
      const o = referenceOptions(config);
      const ref = hasReference(o);
      // SoftBoundsReferenceArray keeps the AffinePulses copy (when the updater asks for it) unless its noise is
      // multiplicative or its elements are identical, noise-free and without reference (the closed form).
      const identical = config.dwMinDtod === 0 && config.upDownDtod === 0 && config.wMaxDtod === 0 && config.wMinDtod === 0 && o.slopeDtod === 0;
      const affine = !(o.multNoise && config.dwMinStd > 0) && !(identical && !ref && config.dwMinStd === 0);
      return COMMON_FLOATS + 2 + (ref ? 1 : 0) + (affine ? AFFINE_FLOATS : 0);
    }
  }
}
