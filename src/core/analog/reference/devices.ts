/**
 * Reference device models: each device's element-to-element sampling, its mean step and ONE pulse, written as
 * plainly as the equations, for the differential tests to hold the fast kernels of ../devices/device.ts against.
 * Nothing here is tuned for speed and nothing in the simulator calls it.
 *
 * Semantics follow aihwkit's pulsed devices (and, for the response models, the Wu et al. papers):
 * - sampling draws, per element and in a fixed order, the bounds b↑ = w_max(1 + wMaxDtod·ξ), b↓ = w_min(1 +
 *   wMinDtod·ξ), a gain 1 + dwMinDtod·ξ (or e^{dwMinDtod·ξ}) and an asymmetry r = upDownDtod·ξ, and sets
 *   s↑ = |(bias↑ + gain + r)·dwMin|, s↓ = |(bias↓ + gain − r)·dwMin| (aihwkit's enforce_consistency: steps are
 *   magnitudes; a pair drawn in the wrong order is swapped, then b↑ = |b↑| and b↓ = −|b↓|); then each model draws
 *   its own extra parameters in a second pass;
 * - per-element parameters are stored as float32, as aihwkit stores them, so every value below is rounded once
 *   with Math.fround where it is stored;
 * - one pulse computes the new weight in float64 from the stored float32 parameters and clips it to the element's
 *   own bounds; the caller stores it (as float32).
 *
 * The draw order is the kernel's (../devices/device.ts), so that the same seed gives the same elements: the
 * differential tests check the sampled parameters bit for bit.
 */
import type { Rng } from '../rng';
import { hasReference, nominalBounds, referenceOptions, upDownOf, weightGranularity, type DeviceConfig } from '../devices/config';

/** Per-element parameters of `size` elements of one device, as sampled (float32 values in float64 arrays). */
export interface ReferenceElements {
  readonly config: DeviceConfig;
  readonly size: number;
  /** g_w, the step the bit-line length is computed from. */
  readonly granularity: number;
  /** s↑, s↓: the up and down step sizes. */
  readonly scaleUp: number[];
  readonly scaleDown: number[];
  /** b↑, b↓: the element's bounds (for SoftBoundsReference, of the hidden weight w + ref). */
  readonly bMax: number[];
  readonly bMin: number[];
  /** LinearStep / SoftBounds: slopes k↑ = −γ↑·s↑/r↑ and k↓ = −γ↓·s↓/r↓ of the mean step s + k·w. */
  readonly slopeUp: number[];
  readonly slopeDown: number[];
  /** SoftBoundsReference and the paper's soft-bounds and linear devices: ref, the offset pulses act on (w + ref). */
  readonly ref: number[];
  /** PowStep: the exponents γ↑, γ↓. */
  readonly gammaUp: number[];
  readonly gammaDown: number[];
}

const f32 = Math.fround;

/** Samples `size` elements of the device, drawing from `rng` in the kernel's order. */
export function sampleElements(config: DeviceConfig, size: number, rng: Rng): ReferenceElements {
  const c = config;
  const upDown = upDownOf(c);
  const { wMax, wMin } = nominalBounds(c);
  // aihwkit's up_down shrinks one side; the paper's c_Lin scales the up and down branches by (1 ± c).
  const biasUp = Math.min(upDown, 0);
  const biasDown = -Math.max(upDown, 0);
  const factorUp = c.model === 'linear' ? 1 + c.offset : 1;
  const factorDown = c.model === 'linear' ? 1 - c.offset : 1;
  const e = {
    config,
    size,
    granularity: weightGranularity(c),
    scaleUp: [] as number[],
    scaleDown: [] as number[],
    bMax: [] as number[],
    bMin: [] as number[],
    slopeUp: [] as number[],
    slopeDown: [] as number[],
    ref: [] as number[],
    gammaUp: [] as number[],
    gammaDown: [] as number[],
  };
  // First pass, every model: four draws per element, in this order.
  for (let i = 0; i < size; i++) {
    const xMax = rng.normal();
    const xMin = rng.normal();
    const xGain = rng.normal();
    const xAsym = rng.normal();
    let bMax = wMax * (1 + c.wMaxDtod * xMax);
    let bMin = wMin * (1 + c.wMinDtod * xMin);
    const gain = c.dwMinDtodLogNormal ? Math.exp(c.dwMinDtod * xGain) : 1 + c.dwMinDtod * xGain;
    const r = c.upDownDtod * xAsym;
    if (bMin > bMax) [bMin, bMax] = [bMax, bMin];
    e.scaleUp.push(f32(Math.abs(factorUp * (biasUp + gain + r) * c.dwMin)));
    e.scaleDown.push(f32(Math.abs(factorDown * (biasDown + gain - r) * c.dwMin)));
    e.bMax.push(f32(Math.abs(bMax)));
    e.bMin.push(f32(-Math.abs(bMin)));
  }
  // Second pass: the model's own parameters.
  switch (c.model) {
    case 'LinearStep':
    case 'SoftBounds':
      for (let i = 0; i < size; i++) {
        // SoftBounds is LinearStep with γ = 1 referred to the element's own bounds.
        const gUp = c.model === 'LinearStep' ? Math.abs(c.gammaUp + c.gammaUpDtod * rng.normal()) : 1;
        const gDown = c.model === 'LinearStep' ? Math.abs(c.gammaDown + c.gammaDownDtod * rng.normal()) : 1;
        const refUp = c.model === 'LinearStep' && c.meanBoundReference ? c.wMax : e.bMax[i];
        const refDown = c.model === 'LinearStep' && c.meanBoundReference ? c.wMin : e.bMin[i];
        e.slopeUp.push(refUp > 0 ? f32((-gUp * e.scaleUp[i]) / refUp) : 0);
        e.slopeDown.push(refDown < 0 ? f32((-gDown * e.scaleDown[i]) / refDown) : 0);
      }
      break;
    case 'SoftBoundsReference':
    case 'soft-bounds':
    case 'linear': {
      const o = referenceOptions(c);
      if (o.slopeDtod > 0) {
        // Spread of the slopes s/b, applied to the bounds.
        for (let i = 0; i < size; i++) {
          const fUp = Math.abs(1 + o.slopeDtod * rng.normal());
          const fDown = Math.abs(1 + o.slopeDtod * rng.normal());
          if (e.bMax[i] > 0 && fUp > 0) e.bMax[i] = f32(e.bMax[i] / fUp);
          if (e.bMin[i] < 0 && fDown > 0) e.bMin[i] = f32(e.bMin[i] / fDown);
        }
      }
      for (let i = 0; i < size; i++) {
        // An element whose bound collapsed onto 0 cannot move toward it.
        if (e.bMax[i] <= 0) e.scaleUp[i] = 0;
        if (e.bMin[i] >= 0) e.scaleDown[i] = 0;
      }
      for (let i = 0; i < size; i++) {
        let r = 0;
        if (hasReference(o)) {
          r = o.referenceMean + o.referenceStd * rng.normal();
          // subtract_symmetry_point: the symmetric point w⋄ = (s↑ − s↓)/(s↑/b↑ − s↓/b↓) reads as 0.
          const den = e.scaleUp[i] / e.bMax[i] - e.scaleDown[i] / e.bMin[i];
          if (o.subtractSymmetryPoint && den > 0 && Number.isFinite(den)) r += (e.scaleUp[i] - e.scaleDown[i]) / den;
        }
        e.ref.push(f32(r));
      }
      break;
    }
    case 'PowStep':
      for (let i = 0; i < size; i++) {
        const g = c.powGammaDtod * rng.normal();
        const r = c.powUpDownDtod * rng.normal();
        e.gammaUp.push(f32(Math.abs(c.powGamma * (Math.min(c.powUpDown, 0) + 1 + g + r))));
        e.gammaDown.push(f32(Math.abs(c.powGamma * (-Math.max(c.powUpDown, 0) + 1 + g - r))));
      }
      break;
    default:
      break;
  }
  return e;
}

/** Offset of element i: pulses act on w + ref (0 for the models without one). */
function refOf(e: ReferenceElements, i: number): number {
  return e.ref.length > 0 ? e.ref[i] : 0;
}

/** Visible bounds of element i (the hidden bounds minus ref). */
export function elementBounds(e: ReferenceElements, i: number): { lo: number; hi: number } {
  const r = refOf(e, i);
  return { lo: e.bMin[i] - r, hi: e.bMax[i] - r };
}

/** w clipped to element i's visible bounds. */
export function clipElement(e: ReferenceElements, i: number, w: number): number {
  const { lo, hi } = elementBounds(e, i);
  return w > hi ? hi : w < lo ? lo : w;
}

/**
 * The mean size (≥ 0, no noise) of one pulse on element i at visible weight w:
 * - ConstantStep: s;
 * - LinearStep, SoftBounds: max(s + k·w, 0);
 * - SoftBoundsReference, soft-bounds, linear: with w_p = w + ref, max(s·(1 − w_p/b), 0), b the bound it moves to;
 * - ExpStep: z = 2a·w/(b↑ − b↓) + b_exp, s↑·max(1 − A↑·e^{γ↑z}, 0) up, s↓·max(1 − A↓·e^{−γ↓z}, 0) down;
 * - PowStep: s↑·((b↑ − w)/(b↑ − b↓))^γ↑ up, s↓·((w − b↓)/(b↑ − b↓))^γ↓ down;
 * - power, exp: s·q±(w) with u = max(1 − w/b, 0), q = u^γ (power) or (e^{γu} − 1)/(e^γ − 1) (exp).
 */
export function meanStep(e: ReferenceElements, i: number, w: number, up: boolean): number {
  const c = e.config;
  const s = up ? e.scaleUp[i] : e.scaleDown[i];
  switch (c.model) {
    case 'ConstantStep':
      return s;
    case 'LinearStep':
    case 'SoftBounds': {
      const step = s + (up ? e.slopeUp[i] : e.slopeDown[i]) * w;
      return step > 0 ? step : 0;
    }
    case 'SoftBoundsReference':
    case 'soft-bounds':
    case 'linear': {
      const step = s * (1 - (w + refOf(e, i)) / (up ? e.bMax[i] : e.bMin[i]));
      return step > 0 ? step : 0;
    }
    case 'ExpStep': {
      const z = (2 * c.expA * w) / (e.bMax[i] - e.bMin[i] || 1) + c.expB;
      return up ? Math.max(1 - c.expAUp * Math.exp(c.expGammaUp * z), 0) * s : Math.max(1 - c.expADown * Math.exp(-c.expGammaDown * z), 0) * s;
    }
    case 'PowStep': {
      const range = e.bMax[i] - e.bMin[i];
      if (range <= 0) return 0;
      return up ? s * Math.pow(Math.max((e.bMax[i] - w) / range, 0), e.gammaUp[i]) : s * Math.pow(Math.max((w - e.bMin[i]) / range, 0), e.gammaDown[i]);
    }
    case 'power':
    case 'exp':
      return s * responseQ(e, i, w, up);
  }
}

/** q±(w) of the power and exponential responses: u = max(1 − w/b, 0), q = u^γ or (e^{γu} − 1)/(e^γ − 1). */
function responseQ(e: ReferenceElements, i: number, w: number, up: boolean): number {
  const c = e.config;
  if (c.model !== 'power' && c.model !== 'exp') return NaN;
  const b = up ? e.bMax[i] : e.bMin[i];
  if (b === 0) return 0;
  const u = Math.max(1 - w / b, 0);
  const g = c.gammaRes;
  return c.model === 'power' ? Math.pow(u, g) : (Math.exp(g * u) - 1) / (Math.exp(g) - 1);
}

/**
 * ONE pulse on element i at visible weight w, up or down; returns the new visible weight, clipped to the element's
 * bounds. σ = dwMinStd; a normal draw ξ is taken from `rng` only when the model uses one (σ > 0, or ExpStep's
 * extra noise terms), so noise-free devices draw nothing:
 * - ConstantStep, PowStep: w ± step·(1 + σξ);
 * - LinearStep, SoftBounds: multNoise: w ± step·(1 + σξ); otherwise w ± (k·w + s·(1 + σξ));
 * - SoftBoundsReference, soft-bounds, linear, on w_p = w + ref, with the drift D = max(s(1 − w_p/b), 0): multNoise:
 *   w_p ± D·(1 + σξ), otherwise w_p ± (D + s·σξ); clipped to [b↓, b↑], then minus ref;
 * - ExpStep: with σ_add = dwMinStdAdd, σ_slope = dwMinStdSlope both 0: w ± step·(1 + σξ); otherwise
 *   w ± step + σ·(step + σ_add + σ_slope·|w|)·ξ;
 * - power, exp: w ± s·(q±(w) + σξ).
 * (step = meanStep(w), s the element's step size, k its slope.)
 */
export function pulseOnce(e: ReferenceElements, i: number, w: number, up: boolean, rng: Rng): number {
  const c = e.config;
  const sigma = c.dwMinStd;
  const sign = up ? 1 : -1;
  const s = up ? e.scaleUp[i] : e.scaleDown[i];
  switch (c.model) {
    case 'ConstantStep':
    case 'PowStep': {
      const xi = sigma > 0 ? rng.normal() : 0;
      return clipElement(e, i, w + sign * meanStep(e, i, w, up) * (1 + sigma * xi));
    }
    case 'LinearStep':
    case 'SoftBounds': {
      const xi = sigma > 0 ? rng.normal() : 0;
      const dw = c.multNoise ? meanStep(e, i, w, up) * (1 + sigma * xi) : (up ? e.slopeUp[i] : e.slopeDown[i]) * w + s * (1 + sigma * xi);
      return clipElement(e, i, w + sign * dw);
    }
    case 'SoftBoundsReference':
    case 'soft-bounds':
    case 'linear': {
      const r = refOf(e, i);
      const wp = w + r;
      const b = up ? e.bMax[i] : e.bMin[i];
      const mult = referenceOptions(c).multNoise;
      const xi = sigma > 0 ? rng.normal() : 0;
      // The drift s·(1 − w_p/b), floored at 0: a bound collapsed onto 0 (s = 0) gives no step.
      const raw = s * (1 - wp / b);
      const drift = raw > 0 ? raw : 0;
      const next = mult ? wp + sign * drift * (1 + sigma * xi) : wp + sign * (drift + s * sigma * xi);
      const hidden = next > e.bMax[i] ? e.bMax[i] : next < e.bMin[i] ? e.bMin[i] : next;
      return hidden - r;
    }
    case 'ExpStep': {
      const step = meanStep(e, i, w, up);
      const extra = c.dwMinStdAdd !== 0 || c.dwMinStdSlope !== 0;
      if (sigma === 0 && !extra) return clipElement(e, i, w + sign * step);
      const xi = rng.normal();
      if (extra) return clipElement(e, i, w + sign * step + sigma * (step + c.dwMinStdAdd + c.dwMinStdSlope * Math.abs(w)) * xi);
      return clipElement(e, i, w + sign * step * (1 + sigma * xi));
    }
    case 'power':
    case 'exp': {
      const xi = sigma > 0 ? rng.normal() : 0;
      return clipElement(e, i, w + sign * s * (responseQ(e, i, w, up) + sigma * xi));
    }
  }
}

/**
 * The expected (mean) update of element i by a desired increment Δw (the paper's dynamic): one pulse moves it by
 * meanStep on average and Δw asks for |Δw|/g_w pulses, so w ← clip(w + Δw·meanStep(w)/g_w), the step taken in
 * the direction of Δw. Returns the new visible weight; the expected pulse count of the update is |Δw|/g_w.
 */
export function expectedStep(e: ReferenceElements, i: number, w: number, dw: number): number {
  if (dw === 0) return w;
  return clipElement(e, i, w + (dw * meanStep(e, i, w, dw > 0)) / e.granularity);
}
