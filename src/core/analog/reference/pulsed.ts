/**
 * Reference update rules of one crossbar tile, one pulse at a time: aihwkit's stochastic pulsed rank-1 update
 * (bit-line planning, pulse trains, coincidences applied slot by slot) and the paper's expected-mode update. The
 * fast kernels (../pulsed.ts, ../tile.ts) must equal these; the differential tests say where bit for bit and where
 * within a stated tolerance. Nothing here is tuned for speed; the simulator calls only referencePlan (through
 * planPulses), the per-sample planning, which is no kernel.
 */
import { MAX_BL, type UpdateParams } from '../pulsed';
import type { Rng } from '../rng';
import type { DeviceConfig } from '../devices/config';
import { clipElement, expectedStep, pulseOnce, sampleElements, type ReferenceElements } from './devices';

/**
 * An m×n tile: the visible weights w (row-major, float32) and the device elements behind them. With write noise,
 * pulses move a hidden persistent weight h and the visible weight is h + writeNoise·ξ, redrawn for every weight
 * after each rank-1 update (aihwkit's applyUpdateWriteNoise at the end of an update cycle). A one-sided pair holds two elements per weight (element k and element size + k), g⁺ in `hidden` and
 * g⁻ in `minus`, and w = g⁺ − g⁻. Decay toward the reset value is per-step housekeeping, not an update rule, and is
 * not modelled here.
 */
export interface ReferenceTile {
  readonly rows: number;
  readonly cols: number;
  readonly w: Float32Array;
  readonly elements: ReferenceElements;
  /** g⁺ of a one-sided pair, or the persistent weight under write noise; null for a plain tile. */
  readonly hidden: Float32Array | null;
  /** g⁻ of a one-sided pair; null otherwise. */
  readonly minus: Float32Array | null;
  /** writeNoiseStd·dwMin: the spread of the visible weight around the persistent one. */
  readonly writeNoise: number;
}

/**
 * A tile of `config` with its elements sampled from `deviceRng` and its weights set to `values` (clipped to each
 * element's bounds, as aihwkit's set_weights): a pair writes v > 0 on g⁺ and v < 0 on g⁻, each from the reset
 * value; write noise draws each visible weight from `initRng`, in element order.
 */
export function referenceTile(config: DeviceConfig, rows: number, cols: number, values: ArrayLike<number>, deviceRng: Rng, initRng: Rng): ReferenceTile {
  const size = rows * cols;
  const pair = config.onesidedPair;
  const elements = sampleElements(config, pair ? 2 * size : size, deviceRng);
  const writeNoise = config.writeNoiseStd * config.dwMin;
  const hidden = pair || writeNoise > 0 ? new Float32Array(size) : null;
  const minus = pair ? new Float32Array(size) : null;
  const w = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    if (minus && hidden) {
      hidden[k] = clipElement(elements, k, Math.max(values[k], 0) + config.reset);
      minus[k] = clipElement(elements, size + k, Math.max(-values[k], 0) + config.reset);
      w[k] = hidden[k] - minus[k];
    } else if (hidden) {
      hidden[k] = clipElement(elements, k, values[k]);
      w[k] = hidden[k] + writeNoise * initRng.normal();
    } else w[k] = clipElement(elements, k, values[k]);
  }
  return { rows, cols, w, elements, hidden, minus, writeNoise };
}

/**
 * ONE pulse on weight k: a plain element takes it directly; under write noise the persistent weight takes it (the
 * visible one is redrawn at the end of the update); in a one-sided pair an up pulse potentiates g⁺ and a down pulse
 * potentiates g⁻.
 */
export function referenceWrite(tile: ReferenceTile, k: number, up: boolean, rng: Rng): void {
  const e = tile.elements;
  if (tile.minus && tile.hidden) {
    if (up) tile.hidden[k] = pulseOnce(e, k, tile.hidden[k], true, rng);
    else tile.minus[k] = pulseOnce(e, tile.w.length + k, tile.minus[k], true, rng);
    tile.w[k] = tile.hidden[k] - tile.minus[k];
  } else if (tile.hidden) tile.hidden[k] = pulseOnce(e, k, tile.hidden[k], up, rng);
  else tile.w[k] = pulseOnce(e, k, tile.w[k], up, rng);
}

/** Bit-line length BL and the probability scales: input j fires with probability |x_j|·B, error i with |d_i|·A. */
export interface ReferencePlan {
  bl: number;
  a: number;
  b: number;
}

/**
 * aihwkit's pulse planning for one sample with x_max = max|x|, d_max = max|d| and weight granularity g_w:
 * - k = |lr|·x_max·(umGradScale·d_max)/g_w, the expected number of pulses at the largest coincidence;
 * - with update bit-line management BL = min(⌈k⌉, desired_bl) (at least 1); else desired_bl when fixed_bl or when
 *   desired_bl slots can carry lr (g_w·desired_bl ≥ |lr|); else BL = ⌈|lr|/g_w⌉ with A = B = 1;
 * - A = B = √(|lr|/(g_w·BL)); update management (or UBLM) balances them, A·√(x_max/d), B·√(d/x_max), with
 *   d = umGradScale·d_max shrunk by desired_bl/k when k exceeds desired_bl.
 * ⌈k⌉ is taken of k·(1 − 10⁻¹²) so that a k that is an integer up to rounding (0.1·0.05/1e-3) is not rounded up.
 */
export function referencePlan(lr: number, xMax: number, dMax: number, granularity: number, p: UpdateParams): ReferencePlan {
  const absLr = Math.abs(lr);
  const d0 = p.umGradScale * dMax;
  const k = (absLr * xMax * d0) / granularity;
  let bl: number;
  if (p.updateBlManagement) bl = Math.max(1, Math.min(Math.ceil(k * (1 - 1e-12)), p.desiredBl));
  else if (p.fixedBl || granularity * p.desiredBl >= absLr) bl = p.desiredBl;
  else return { bl: Math.ceil(absLr / granularity), a: 1, b: 1 };
  let a = Math.sqrt(absLr / (granularity * bl));
  let b = a;
  if (p.updateManagement || p.updateBlManagement) {
    const d = k > p.desiredBl ? (d0 * p.desiredBl) / k : d0;
    a *= Math.sqrt(xMax / d);
    b *= Math.sqrt(d / xMax);
  }
  return { bl, a, b };
}

/**
 * The pulse train of each value: fires[j][t] is true when value j fires in slot t. A value with p = |v_j|·scale
 * (p rounded to a multiple of `res` when res > 0, stochastically when stoRound, one uniform draw) fires in every slot
 * when p ≥ 1 and otherwise in slot t when the t-th uniform 32-bit draw u_t satisfies u_t·2⁻³² < p. A value with
 * p = 0 draws nothing. Values are taken in index order, slots in increasing order.
 */
export function referenceTrains(v: ArrayLike<number>, scale: number, bl: number, p: UpdateParams, rng: Rng): boolean[][] {
  const fires: boolean[][] = [];
  for (let j = 0; j < v.length; j++) {
    let prob = Math.abs(v[j]) * scale;
    if (prob > 0 && p.res > 0) {
      const q = prob / p.res;
      const lo = Math.floor(q);
      prob = (p.stoRound ? (rng.uniform() < q - lo ? lo + 1 : lo) : Math.round(q)) * p.res;
    }
    const train: boolean[] = [];
    for (let t = 0; t < bl; t++) train.push(prob === 0 ? false : prob >= 1 ? true : rng.nextU32() < prob * 4294967296);
    fires.push(train);
  }
  return fires;
}

/** What one reference pulsed update did. */
export interface ReferenceUpdate {
  plan: ReferencePlan;
  /** Coincidences applied, i.e. device pulses. */
  pulses: number;
  /** Pulses per element (row-major). */
  counts: Int32Array;
}

/**
 * W ← W − lr·d·xᵀ as aihwkit realises it: plan BL, A and B (referencePlan); draw the input trains (scale B), then
 * the error trains (scale A), from `rng`; then, slot by slot, every error i firing in the slot and, for each, every
 * input j firing in it (both in index order) gives element (i, j) ONE pulse, DOWN when sign(x_j)·sign(d_i)·sign(lr)
 * > 0 and UP otherwise, through referenceWrite (cycle noise drawn from the same `rng`, after the trains), the
 * weight stored as float32 after each pulse; under write noise, finally every visible weight is redrawn. BL is capped at MAX_BL. Nothing happens when lr is 0 or the largest |x| or
 * |d| is 0 or infinite.
 */
export function referencePulsedUpdate(tile: ReferenceTile, x: ArrayLike<number>, d: ArrayLike<number>, lr: number, p: UpdateParams, rng: Rng): ReferenceUpdate {
  const counts = new Int32Array(tile.rows * tile.cols);
  const xMax = largestMagnitude(x);
  const dMax = largestMagnitude(d);
  const none = { plan: { bl: 0, a: 0, b: 0 }, pulses: 0, counts };
  if (lr === 0 || xMax === 0 || dMax === 0 || !Number.isFinite(xMax) || !Number.isFinite(dMax)) return none;
  const plan = referencePlan(lr, xMax, dMax, tile.elements.granularity, p);
  const bl = Math.min(plan.bl, MAX_BL);
  const xFires = referenceTrains(x, plan.b, bl, p, rng);
  if (!xFires.some((t) => t.includes(true))) return { ...none, plan };
  const dFires = referenceTrains(d, plan.a, bl, p, rng);
  let pulses = 0;
  for (let t = 0; t < bl; t++) {
    for (let i = 0; i < tile.rows; i++) {
      if (!dFires[i][t]) continue;
      for (let j = 0; j < tile.cols; j++) {
        if (!xFires[j][t]) continue;
        const down = Math.sign(x[j]) * Math.sign(d[i]) * Math.sign(lr) > 0;
        const k = i * tile.cols + j;
        referenceWrite(tile, k, !down, rng);
        counts[k]++;
        pulses++;
      }
    }
  }
  // Write noise: every visible weight redrawn around its persistent one, in element order.
  if (tile.hidden && !tile.minus) for (let k = 0; k < tile.w.length; k++) tile.w[k] = tile.hidden[k] + tile.writeNoise * rng.normal();
  return { plan: { ...plan, bl }, pulses, counts };
}

/** max |v_j| over the values that are numbers (a NaN entry is passed over, and then fires in no slot). */
function largestMagnitude(v: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < v.length; j++) if (Math.abs(v[j]) > m) m = Math.abs(v[j]);
  return m;
}

/**
 * The expected-mode update of the whole tile by the increment matrix Δ (row-major like the weights): every element
 * takes expectedStep (w + Δw·meanStep(w)/g_w, clipped), stored as float32 — under write noise on the persistent
 * weight, the visible one then redrawn from `rng` (in element order, elements with Δw ≠ 0 only); in a one-sided pair
 * on g⁺ for Δw > 0 and on g⁻ (by |Δw|, potentiating) for Δw < 0. Returns the expected pulse count Σ|Δw|/g_w.
 */
export function referenceExpectedUpdate(tile: ReferenceTile, delta: ArrayLike<number>, rng: Rng): number {
  const e = tile.elements;
  let sumAbs = 0;
  for (let k = 0; k < tile.rows * tile.cols; k++) {
    const dw = delta[k];
    if (dw === 0) continue;
    sumAbs += Math.abs(dw);
    if (tile.minus && tile.hidden) {
      if (dw > 0) tile.hidden[k] = expectedStep(e, k, tile.hidden[k], dw);
      else tile.minus[k] = expectedStep(e, tile.w.length + k, tile.minus[k], -dw);
      tile.w[k] = tile.hidden[k] - tile.minus[k];
    } else if (tile.hidden) {
      tile.hidden[k] = expectedStep(e, k, tile.hidden[k], dw);
      tile.w[k] = tile.hidden[k] + tile.writeNoise * rng.normal();
    } else tile.w[k] = expectedStep(e, k, tile.w[k], dw);
  }
  return sumAbs / e.granularity;
}
