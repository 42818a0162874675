/**
 * Differential tests: the fast device and update kernels (src/core/analog/devices/device.ts, pulsed.ts, tile.ts)
 * against the one-pulse-at-a-time reference (src/core/analog/reference/), over every device model × expected and
 * pulsed updates × bit-line lengths at and above the kernels' unrolled widths × odd tile shapes.
 *
 * What the kernels claim, and what is asserted:
 * - device sampling and the mean step: bit for bit, every model;
 * - one pulse: bit for bit, except the soft-bounds family (SoftBoundsReference, soft-bounds, linear) with additive
 *   noise, whose kernel writes n pulses as the closed form b + (w − b)·aⁿ: within PULSE_TOL per pulse;
 * - pulse trains: bit for bit (same draws, same order). Shown through a device whose arithmetic is exact
 *   (ConstantStep with a power-of-two step, no variation), where every kernel path must then give the reference's
 *   weights bit for bit;
 * - pulsed update, noise-free devices: the same pulses on every element; the kernels apply an element's n
 *   same-direction pulses of one sample in float64 (or in closed form) and round once, where the reference rounds
 *   to float32 after each pulse, so the weights agree within (n + 1)·PULSE_TOL;
 * - pulsed update, devices with cycle noise: the kernels draw the noise in another order (row by row, not slot by
 *   slot) and some sum an element's n Gaussian steps into one draw, so only the distribution is the same: the pulse
 *   counts are equal, each weight is within 6 noise standard deviations of the reference's, and both sides deviate
 *   from the noise-free run of the same pulses by noise of the same size (medians of |deviation|/sd within 25 %);
 * - expected update: bit for bit, except the closed form for identical noise-free soft-bounds elements, which
 *   multiplies in another order: within PULSE_TOL per step.
 * Every technology preset is run too (cycle noise off), with its write noise, one-sided pair and extra noise terms.
 * The mutation tests perturb one kernel parameter (a step size, a gain, one random draw) and check that the
 * comparisons then fail.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AIHWKIT_MODELS,
  AIHWKIT_UPDATE_DEFAULTS,
  AnalogTile,
  DEVICE_PRESETS,
  GAIN_TABLE_BITS,
  PulsedUpdater,
  RESPONSE_MODELS,
  Rng,
  createDeviceArray,
  defaultDevice,
  nominalBounds,
  popcount32,
  type DeviceConfig,
  type UpdateParams,
} from '../../../src/core/analog';
import {
  elementBounds,
  meanStep,
  pulseOnce,
  referenceExpectedUpdate,
  referencePulsedUpdate,
  referenceTile,
  sampleElements,
  type ReferenceElements,
  type ReferenceTile,
} from '../../../src/core/analog/reference';
import { ODD_SHAPES } from './shapes';

/** Float32 has a 24-bit significand: 2⁻²² of the weight range is four units in the last place at the bounds. */
const ULP4 = 2 ** -22;

/** Allowed difference per pulse (or expected step) where a kernel rounds differently: four float32 ulps of the range. */
function pulseTol(c: DeviceConfig): number {
  const b = nominalBounds(c);
  return ULP4 * 2 * Math.max(b.wMax - b.wMin, 1);
}

/** Element-to-element variation on, so that sampling is exercised; the response models default to none. */
const VARIATION = { dwMinDtod: 0.2, wMaxDtod: 0.1, wMinDtod: 0.1, upDownDtod: 0.05 };

interface Variant {
  name: string;
  device: DeviceConfig;
}

/** Every device model, noise-free (σ = 0), with variation; plus the identical-element soft bounds of the closed form. */
function noiseFree(): Variant[] {
  const v: Variant[] = [];
  for (const m of RESPONSE_MODELS) {
    const extra = m === 'linear' ? { offset: 0.3 } : m === 'power' || m === 'exp' ? { gammaRes: 2 } : {};
    v.push({ name: `${m} (τ = 0.8)`, device: defaultDevice(m, { ...VARIATION, tau: 0.8, dwMin: 0.01, dwMinStd: 0, ...extra }) });
  }
  for (const m of AIHWKIT_MODELS) v.push({ name: m, device: defaultDevice(m, { dwMin: 0.01, dwMinStd: 0 }) });
  v.push({ name: 'LinearStep, γ 0.3/0.6, own bounds, additive noise form', device: defaultDevice('LinearStep', { dwMin: 0.01, dwMinStd: 0, gammaUp: 0.3, gammaDown: 0.6, meanBoundReference: false, multNoise: false }) });
  v.push({
    name: 'SoftBoundsReference, reference spread, slope spread, symmetry point subtracted',
    device: defaultDevice('SoftBoundsReference', { dwMin: 0.01, dwMinStd: 0, upDown: 0.2, referenceStd: 0.05, slopeDtod: 0.1, subtractSymmetryPoint: true }),
  });
  v.push({ name: 'ExpStep with extra noise terms (σ = 0)', device: defaultDevice('ExpStep', { dwMin: 0.01, dwMinStd: 0, dwMinStdAdd: 0.01, dwMinStdSlope: 0.02 }) });
  v.push({ name: 'soft-bounds, identical elements (closed form)', device: defaultDevice('soft-bounds', { tau: 1, dwMin: 0.01 }) });
  v.push({ name: 'linear, identical elements (closed form)', device: defaultDevice('linear', { tau: 0.6, dwMin: 0.005, offset: -0.2 }) });
  return v;
}

/** The same devices with cycle-to-cycle noise σ = 0.3 (and, for the soft-bounds family, both noise forms). */
function noisy(): Variant[] {
  const v = noiseFree()
    .filter((x) => !x.name.includes('closed form'))
    .map((x) => ({ name: `${x.name}, σ = 0.3`, device: { ...x.device, dwMinStd: 0.3 } as DeviceConfig }));
  v.push({ name: 'SoftBoundsReference, multiplicative noise σ = 0.3', device: defaultDevice('SoftBoundsReference', { dwMin: 0.01, dwMinStd: 0.3, multNoise: true }) });
  return v;
}

/** Bit-line lengths at and above the kernels' unrolled widths: gain table (≤ 12), one word (≤ 32), several words. */
const BLS = [1, 4, GAIN_TABLE_BITS, GAIN_TABLE_BITS + 1, 31, 32, 33, 64, 97];
const SHAPES = ODD_SHAPES;

function uniformVector(n: number, rng: Rng, zeros = 0.15): Float64Array {
  const v = new Float64Array(n);
  for (let k = 0; k < n; k++) v[k] = rng.uniform() < zeros ? 0 : 2 * rng.uniform() - 1;
  return v;
}

/** A kernel tile and a reference tile with the same elements and the same initial weights. */
function twin(rows: number, cols: number, device: DeviceConfig, seed: number): { kernel: AnalogTile; ref: ReferenceTile } {
  const kernel = new AnalogTile(rows, cols, device, new Rng(seed, 2));
  const init = new Rng(seed, 6);
  // Multiples of 2⁻¹⁰, so that on the exact-arithmetic device every sum of steps stays exact.
  const w0 = Array.from({ length: rows * cols }, () => Math.round(512 * (2 * init.uniform() - 1) * nominalBounds(device).wMax) / 1024);
  kernel.setWeights(w0, new Rng(seed, 9));
  const ref = referenceTile(device, rows, cols, w0, new Rng(seed, 2), new Rng(seed, 9));
  assert.equal(ref.elements.size, rows * cols * (device.onesidedPair ? 2 : 1), 'a pair has two elements per weight');
  return { kernel, ref };
}

/** lr that makes k = lr·max|x|·max|d|/g_w about 1.5·BL, so update bit-line management picks BL = desired_bl. */
function lrFor(bl: number, granularity: number, x: ArrayLike<number>, d: ArrayLike<number>): number {
  let xm = 0;
  let dm = 0;
  for (let k = 0; k < x.length; k++) xm = Math.max(xm, Math.abs(x[k]));
  for (let k = 0; k < d.length; k++) dm = Math.max(dm, Math.abs(d[k]));
  return (1.5 * bl * granularity) / Math.max(xm * dm, 1e-12);
}

interface Run {
  kernelW: Float32Array;
  refW: Float32Array;
  /** The persistent weights under write noise (null without). */
  kernelHidden: Float32Array | null;
  refHidden: Float32Array | null;
  /** Pulses per element, summed over the samples (reference). */
  counts: Int32Array;
  kernelPulses: number;
  refPulses: number;
  /** Largest BL the kernel used. */
  bl: number;
}

/**
 * `samples` pulsed rank-1 updates on both tiles with the same seeds. batch: the kernel keeps the tile in its
 * plain-array copy between samples (as the gradient writer does); otherwise each update stands alone.
 */
function runPulsed(
  rows: number,
  cols: number,
  device: DeviceConfig,
  bl: number,
  samples: number,
  seed: number,
  batch: boolean,
  mutate?: (t: AnalogTile, u: PulsedUpdater) => void,
  update: Partial<UpdateParams> = {},
): Run {
  const { kernel, ref } = twin(rows, cols, device, seed);
  const updater = new PulsedUpdater(new Rng(seed, 4));
  const refRng = new Rng(seed, 4);
  mutate?.(kernel, updater);
  const data = new Rng(seed, 1);
  const params: UpdateParams = { ...AIHWKIT_UPDATE_DEFAULTS, desiredBl: bl, ...update };
  const counts = new Int32Array(rows * cols);
  let refPulses = 0;
  let kernelPulses = 0;
  let maxBl = 0;
  if (batch) updater.beginBatch(kernel);
  for (let s = 0; s < samples; s++) {
    const x = uniformVector(cols, data);
    const d = uniformVector(rows, data);
    const lr = (s % 2 === 0 ? 1 : -1) * lrFor(bl, kernel.granularity, x, d);
    kernelPulses += updater.update(kernel, x, 0, d, 0, lr, params);
    const r = referencePulsedUpdate(ref, x, d, lr, params, refRng);
    refPulses += r.pulses;
    maxBl = Math.max(maxBl, r.plan.bl);
    for (let k = 0; k < counts.length; k++) counts[k] += r.counts[k];
  }
  if (batch) updater.endBatch();
  const kernelHidden = (kernel as unknown as { hidden: Float32Array | null }).hidden;
  return { kernelW: kernel.w, refW: ref.w, kernelHidden, refHidden: ref.hidden, counts, kernelPulses, refPulses, bl: maxBl };
}

function assertBitEqual(run: Run, what: string): void {
  assert.equal(run.kernelPulses, run.refPulses, `${what}: pulses`);
  for (let k = 0; k < run.refW.length; k++) {
    if (!Object.is(run.kernelW[k], run.refW[k])) assert.fail(`${what}: weight ${k} is ${run.kernelW[k]} in the kernel, ${run.refW[k]} in the reference (${run.counts[k]} pulses)`);
  }
}

function assertWithinPulses(run: Run, tol: number, what: string): void {
  assert.equal(run.kernelPulses, run.refPulses, `${what}: pulses`);
  for (let k = 0; k < run.refW.length; k++) {
    const diff = Math.abs(run.kernelW[k] - run.refW[k]);
    const allowed = (run.counts[k] + 1) * tol;
    if (!(diff <= allowed)) assert.fail(`${what}: weight ${k} differs by ${diff.toExponential(3)} after ${run.counts[k]} pulses (allowed ${allowed.toExponential(3)}): kernel ${run.kernelW[k]}, reference ${run.refW[k]}`);
  }
}

describe('device sampling and the mean step: bit for bit', () => {
  for (const { name, device } of [...noiseFree(), ...noisy()]) {
    test(name, () => {
      const size = 37;
      const kRng = new Rng(11, 2);
      const rRng = new Rng(11, 2);
      const dev = createDeviceArray(device, size, kRng);
      const e = sampleElements(device, size, rRng);
      assert.equal(kRng.nextU32(), rRng.nextU32(), 'both drew the same number of random numbers');
      assert.equal(dev.granularity, e.granularity, 'granularity');
      for (let i = 0; i < size; i++) {
        const { lo, hi } = elementBounds(e, i);
        assert.ok(Object.is(dev.lower(i), lo) && Object.is(dev.upper(i), hi), `element ${i}: bounds [${dev.lower(i)}, ${dev.upper(i)}] vs [${lo}, ${hi}]`);
        for (const t of [0, 0.1, 0.37, 0.5, 0.81, 1]) {
          const w = Math.fround(lo + t * (hi - lo));
          for (const up of [true, false]) {
            const k = dev.meanStep(i, w, up);
            const r = meanStep(e, i, w, up);
            assert.ok(Object.is(k, r), `element ${i}, w = ${w}, ${up ? 'up' : 'down'}: mean step ${k} vs ${r}`);
          }
        }
      }
    });
  }
});

/** The soft-bounds family with additive noise (or none): the kernel's n-pulse closed form. */
function closedFormPulse(c: DeviceConfig): boolean {
  if (c.model !== 'SoftBoundsReference' && c.model !== 'soft-bounds' && c.model !== 'linear') return false;
  return !(c.model === 'SoftBoundsReference' && c.multNoise && c.dwMinStd > 0);
}

describe('one pulse', () => {
  for (const { name, device } of [...noiseFree(), ...noisy()]) {
    const exact = !closedFormPulse(device);
    test(`${name}: ${exact ? 'bit for bit' : 'within four float32 ulps of the range (closed form)'}`, () => {
      const size = 23;
      const dev = createDeviceArray(device, size, new Rng(5, 2));
      const e = sampleElements(device, size, new Rng(5, 2));
      const kRng = new Rng(5, 3);
      const rRng = new Rng(5, 3);
      const pick = new Rng(5, 8);
      const tol = pulseTol(device);
      for (let trial = 0; trial < 400; trial++) {
        const i = pick.int(size);
        const up = pick.uniform() < 0.5;
        const { lo, hi } = elementBounds(e, i);
        const w = Math.fround(lo + pick.uniform() * (hi - lo));
        const k = Math.fround(dev.pulse(i, w, 1, up, kRng));
        const r = Math.fround(pulseOnce(e, i, w, up, rRng));
        if (exact) assert.ok(Object.is(k, r), `element ${i}, w = ${w}, ${up ? 'up' : 'down'}: ${k} vs ${r}`);
        else assert.ok(Math.abs(k - r) <= tol, `element ${i}, w = ${w}, ${up ? 'up' : 'down'}: ${k} vs ${r}, tolerance ${tol}`);
      }
      assert.equal(kRng.nextU32(), rRng.nextU32(), 'both drew the same number of random numbers');
    });
  }
});

describe('pulse trains: bit for bit, shown on a device with exact arithmetic', () => {
  // Steps of 2⁻¹⁰ and bounds ±0.5: every sum of steps is exact in float32, so any grouping of the pulses gives the
  // same bits and the only way to differ is a different pulse.
  const exactDevice = defaultDevice('ConstantStep', { dwMin: 2 ** -10, dwMinDtod: 0, dwMinStd: 0, upDownDtod: 0, wMaxDtod: 0, wMinDtod: 0, wMax: 0.5, wMin: -0.5 });
  for (const bl of BLS) {
    test(`BL ${bl}: every shape, batched and lone updates`, () => {
      for (const [rows, cols] of SHAPES) {
        for (const batch of [true, false]) {
          const run = runPulsed(rows, cols, exactDevice, bl, 4, 100 + bl + rows, batch);
          assert.ok(run.bl === bl || rows * cols === 1, `the plan used BL ${run.bl}, not ${bl}`);
          assertBitEqual(run, `${rows}×${cols}, BL ${bl}${batch ? ', batch' : ''}`);
        }
      }
    });
  }
});

describe('pulse trains with a probability resolution (aihwkit res, sto_round): bit for bit', () => {
  const exactDevice = defaultDevice('ConstantStep', { dwMin: 2 ** -10, dwMinDtod: 0, dwMinStd: 0, upDownDtod: 0, wMaxDtod: 0, wMinDtod: 0, wMax: 0.5, wMin: -0.5 });
  for (const stoRound of [false, true]) {
    test(`res 0.05, ${stoRound ? 'stochastic' : 'nearest'} rounding, BL 4, 31, 33`, () => {
      for (const bl of [4, 31, 33]) {
        for (const [rows, cols] of SHAPES) {
          const run = runPulsed(rows, cols, exactDevice, bl, 3, 17 * bl + rows, bl === 31, undefined, { res: 0.05, stoRound });
          assertBitEqual(run, `${rows}×${cols}, BL ${bl}`);
        }
      }
    });
  }
});

describe('pulsed update, noise-free devices: same pulses, weights within (n + 1) × four float32 ulps', () => {
  for (const { name, device } of noiseFree()) {
    test(name, () => {
      const tol = pulseTol(device);
      let pulses = 0;
      for (const bl of BLS) {
        for (const [rows, cols] of SHAPES) {
          const run = runPulsed(rows, cols, device, bl, 3, 7 * bl + rows + cols, (bl + rows) % 2 === 0);
          assertWithinPulses(run, tol, `${rows}×${cols}, BL ${bl}`);
          pulses += run.refPulses;
        }
      }
      assert.ok(pulses > 10_000, `the cases applied ${pulses} pulses`);
    });
  }
});

/**
 * The noisy-device comparison: one-sample updates over BL 4, 31, 33 and shapes 17×9, 9×17. Asserts the same pulse
 * counts, untouched elements unchanged and every weight within 6 noise sd of the reference's; returns, per side, the
 * deviations from the noise-free run of the same pulses in units of one element's noise.
 */
function noisyComparison(device: DeviceConfig, mutate?: (t: AnalogTile, u: PulsedUpdater) => void): { zKernel: number[]; zRef: number[] } {
  const sigma = device.dwMinStd;
  const zKernel: number[] = [];
  const zRef: number[] = [];
  for (const bl of [4, 31, 33]) {
    for (const [rows, cols] of [[17, 9], [9, 17]] as const) {
      // One sample: its trains are drawn before any noise, so both sides pulse the same elements.
      const run = runPulsed(rows, cols, device, bl, 1, 31 * bl + rows, bl === 31, mutate);
      assert.equal(run.kernelPulses, run.refPulses, 'pulses');
      const e = sampleElements(device, rows * cols, new Rng(31 * bl + rows, 2));
      for (let k = 0; k < run.refW.length; k++) {
        const n = run.counts[k];
        if (n === 0) {
          assert.ok(Object.is(run.kernelW[k], run.refW[k]), `element ${k} took no pulse but changed`);
          continue;
        }
        // Largest step the element can take (its mean step at either bound) plus ExpStep's extra terms.
        const { lo, hi } = elementBounds(e, k);
        let step = 0;
        for (const w of [lo, hi]) for (const up of [true, false]) step = Math.max(step, meanStep(e, k, w, up));
        step = Math.max(step, up0(e, k));
        if (device.model === 'ExpStep') step += device.dwMinStdAdd + device.dwMinStdSlope * Math.max(-lo, hi);
        const sd = sigma * step * Math.sqrt(2 * n);
        const diff = Math.abs(run.kernelW[k] - run.refW[k]);
        assert.ok(diff <= 6 * sd + (n + 1) * pulseTol(device), `element ${k}: ${n} pulses, difference ${diff.toExponential(3)} above 6 noise sd (${(6 * sd).toExponential(3)})`);
      }
      // Both sides against the noise-free run of the same pulses: the deviation in units of one element's noise.
      const quiet = runPulsed(rows, cols, { ...device, dwMinStd: 0 } as DeviceConfig, bl, 1, 31 * bl + rows, bl === 31);
      for (let k = 0; k < run.refW.length; k++) {
        const n = run.counts[k];
        const w0 = quiet.refW[k];
        const { lo, hi } = elementBounds(e, k);
        if (n === 0 || w0 <= lo + 0.05 * (hi - lo) || w0 >= hi - 0.05 * (hi - lo)) continue;
        const scale = sigma * Math.sqrt(n) * noiseScale(device, e, k, w0);
        if (!(scale > 0)) continue;
        zKernel.push(Math.abs(run.kernelW[k] - w0) / scale);
        zRef.push(Math.abs(run.refW[k] - w0) / scale);
      }
    }
  }
  return { zKernel, zRef };
}

/** Noise of the same size on both sides: |z| of a standard normal has median 0.674, a side without noise ≈ 0. */
function assertSameNoise({ zKernel, zRef }: { zKernel: number[]; zRef: number[] }): void {
  for (const [who, z] of [['kernel', zKernel], ['reference', zRef]] as const) {
    assert.ok(z.length >= 50, `${z.length} elements to judge the noise by`);
    const med = median(z);
    assert.ok(med > 0.25 && med < 2.5, `${who}: median |deviation| ${med.toFixed(3)} noise sd over ${z.length} elements`);
  }
  // Measured medians agree within 10 % on every device; ±25 % allowed.
  const ratio = median(zKernel) / median(zRef);
  assert.ok(ratio > 0.75 && ratio < 1.33, `kernel/reference noise ratio ${ratio.toFixed(3)}`);
}

describe('pulsed update, devices with cycle noise: same pulse counts, weights within the noise, noise of the same size', () => {
  for (const { name, device } of noisy()) test(name, () => assertSameNoise(noisyComparison(device)));
});

/**
 * The noise of one pulse at w, per unit σ: the mean step for multiplicative noise, the step size s for additive
 * noise, and ExpStep's σ·(step + dwMinStdAdd + dwMinStdSlope·|w|) when those terms are set.
 */
function noiseScale(c: DeviceConfig, e: ReferenceElements, k: number, w: number): number {
  const step = Math.max(meanStep(e, k, w, true), meanStep(e, k, w, false));
  switch (c.model) {
    case 'ExpStep':
      return c.dwMinStdAdd !== 0 || c.dwMinStdSlope !== 0 ? step + c.dwMinStdAdd + c.dwMinStdSlope * Math.abs(w) : step;
    case 'LinearStep':
    case 'SoftBounds':
    case 'SoftBoundsReference':
      return c.multNoise ? step : up0(e, k);
    case 'soft-bounds':
    case 'linear':
    case 'power':
    case 'exp':
      return up0(e, k);
    default:
      return step;
  }
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The element's step size scale (s↑ or s↓, the larger): the additive noise forms scale with it. */
function up0(e: ReferenceElements, k: number): number {
  return Math.max(e.scaleUp[k], e.scaleDown[k]);
}

describe('expected update', () => {
  for (const { name, device } of [...noiseFree(), ...noisy()]) {
    const closed = name.includes('closed form');
    test(`${name}: ${closed ? 'within four float32 ulps per step (closed form)' : 'bit for bit'}`, () => {
      for (const [rows, cols] of SHAPES) {
        const { kernel, ref } = twin(rows, cols, device, 3 * rows + cols);
        const g = new Rng(rows * 31 + cols, 1);
        let refPulses = 0;
        const steps = 6;
        for (let s = 0; s < steps; s++) {
          const delta = new Float32Array(rows * cols);
          for (let k = 0; k < delta.length; k++) delta[k] = g.uniform() < 0.1 ? 0 : (2 * g.uniform() - 1) * 40 * kernel.granularity;
          kernel.expectedUpdate(delta, new Rng(1, 9));
          refPulses += referenceExpectedUpdate(ref, delta, new Rng(1, 9));
        }
        assert.ok(Math.abs(kernel.pulses - refPulses) <= 1e-12 * refPulses, `${rows}×${cols}: expected pulses ${kernel.pulses} vs ${refPulses}`);
        for (let k = 0; k < ref.w.length; k++) {
          if (closed) assert.ok(Math.abs(kernel.w[k] - ref.w[k]) <= steps * pulseTol(device), `${rows}×${cols}, weight ${k}: ${kernel.w[k]} vs ${ref.w[k]}`);
          else assert.ok(Object.is(kernel.w[k], ref.w[k]), `${rows}×${cols}, weight ${k}: ${kernel.w[k]} vs ${ref.w[k]}`);
        }
      }
    });
  }
});

describe('tile level: the one-sided pair and write noise', () => {
  const pcm = defaultDevice('ExpStep', {
    dwMin: 0.01, wMax: 2, wMin: 0, expA: -1, expB: 0, expGammaUp: 2.5, expGammaDown: 2.5, expAUp: -27.235, expADown: -2.235,
    dwMinDtod: 0.2, upDownDtod: 0.05, wMaxDtod: 0.1, wMinDtod: 0, dwMinStd: 0, reset: 0.01, onesidedPair: true,
  });
  const written = defaultDevice('SoftBoundsReference', { dwMin: 0.01, dwMinStd: 0, writeNoiseStd: 5 });

  test('one-sided pair (the PCM preset without cycle noise): same pulses, g⁺ − g⁻ within (n + 2) × the pulse tolerance', () => {
    const tol = pulseTol(pcm);
    for (const bl of BLS) {
      for (const [rows, cols] of SHAPES) {
        const run = runPulsed(rows, cols, pcm, bl, 3, 5 * bl + rows, bl % 2 === 0);
        // Two elements per weight: each side within (its pulses + 1)·tol.
        assertWithinPulses({ ...run, counts: run.counts.map((n) => n + 1) }, tol, `${rows}×${cols}, BL ${bl}`);
      }
    }
  });

  test('write noise: the persistent weights as a plain tile, the visible ones within 6 write-noise sd of them', () => {
    const tol = pulseTol(written);
    const sd = written.writeNoiseStd * written.dwMin;
    for (const bl of [1, 13, 31, 33]) {
      for (const [rows, cols] of SHAPES) {
        // One sample: the kernel redraws the visible weight of each element it pulsed, once per sample; the reference,
        // like aihwkit, every visible weight after the update; their random streams part after the first trains.
        const run = runPulsed(rows, cols, written, bl, 1, 3 * bl + cols, false);
        assertWithinPulses({ ...run, kernelW: run.kernelHidden!, refW: run.refHidden! }, tol, `persistent weights, ${rows}×${cols}, BL ${bl}`);
        for (let k = 0; k < run.refW.length; k++) {
          assert.ok(Math.abs(run.kernelW[k] - run.kernelHidden![k]) <= 6 * sd, `kernel visible weight ${k} is ${run.kernelW[k] - run.kernelHidden![k]} from its persistent one`);
          assert.ok(Math.abs(run.refW[k] - run.refHidden![k]) <= 6 * sd, `reference visible weight ${k} is ${run.refW[k] - run.refHidden![k]} from its persistent one`);
        }
      }
    }
  });

  for (const [name, device] of [['one-sided pair', pcm], ['write noise', written]] as const) {
    test(`expected update, ${name}: bit for bit (the same write-noise draws)`, () => {
      for (const [rows, cols] of SHAPES) {
        const { kernel, ref } = twin(rows, cols, device, 3 * rows + cols);
        const g = new Rng(rows * 31 + cols, 1);
        for (let s = 0; s < 6; s++) {
          const delta = new Float32Array(rows * cols);
          for (let k = 0; k < delta.length; k++) delta[k] = g.uniform() < 0.1 ? 0 : (2 * g.uniform() - 1) * 40 * kernel.granularity;
          kernel.expectedUpdate(delta, new Rng(s, 9));
          referenceExpectedUpdate(ref, delta, new Rng(s, 9));
        }
        for (let k = 0; k < ref.w.length; k++) assert.ok(Object.is(kernel.w[k], ref.w[k]), `${rows}×${cols}, weight ${k}: ${kernel.w[k]} vs ${ref.w[k]}`);
      }
    });
  }
});

describe('every technology preset, cycle noise off: same pulses, weights within the pulse tolerance', () => {
  for (const preset of DEVICE_PRESETS) {
    test(preset.id, () => {
      const device = { ...preset.device, dwMinStd: 0 } as DeviceConfig;
      const tol = pulseTol(device);
      for (const bl of [1, 13, 31, 33]) {
        for (const [rows, cols] of SHAPES) {
          // Write-noise presets: one sample (see the write-noise test above) and their persistent weights.
          const samples = device.writeNoiseStd > 0 ? 1 : 3;
          const run = runPulsed(rows, cols, device, bl, samples, 11 * bl + rows, bl === 31);
          const pair = device.onesidedPair ? run.counts.map((n) => n + 1) : run.counts;
          const hidden = device.writeNoiseStd > 0 ? { kernelW: run.kernelHidden!, refW: run.refHidden! } : {};
          assertWithinPulses({ ...run, counts: pair, ...hidden }, tol, `${rows}×${cols}, BL ${bl}`);
        }
      }
    });
  }
});

describe('mutations: a perturbed kernel fails the comparison', () => {
  // The tolerance is four float32 ulps of the range per pulse (≈ 1e-6 here); the perturbations are well above it.
  test('the step sizes of a LinearStep kernel changed by 2⁻⁸', () => {
    const device = defaultDevice('LinearStep', { dwMin: 0.01, dwMinStd: 0, gammaUp: 0.3, gammaDown: 0.6 });
    const tol = pulseTol(device);
    // One sample, so that the element's pulses all go one way and the perturbation cannot cancel out.
    assertWithinPulses(runPulsed(3, 5, device, 31, 1, 9, true), tol, 'unperturbed');
    const perturbed = runPulsed(3, 5, device, 31, 1, 9, true, (t) => {
      const scales = (t.device as unknown as { scaleUp: Float32Array; scaleDown: Float32Array });
      for (let k = 0; k < t.size; k++) {
        scales.scaleUp[k] *= 1 + 2 ** -8;
        scales.scaleDown[k] *= 1 + 2 ** -8;
      }
    });
    assert.throws(() => assertWithinPulses(perturbed, tol, 'perturbed'), /differs/);
  });

  test('the two-pulse gains of the closed-form table changed by 2⁻⁸', () => {
    const device = defaultDevice('soft-bounds', { tau: 1, dwMin: 0.01 });
    const tol = pulseTol(device);
    assertWithinPulses(runPulsed(17, 9, device, 12, 1, 4, true), tol, 'unperturbed');
    const perturbed = runPulsed(17, 9, device, 12, 1, 4, true, (t) => {
      const f = t.device.closedForm!()!;
      // Every coincidence word with two bits set, in the table's up half: two up pulses at once.
      for (let word = 0; word < 1 << GAIN_TABLE_BITS; word++) if (popcount32(word) === 2) f.gainByBits[word] *= 1 + 2 ** -8;
    });
    assert.throws(() => assertWithinPulses(perturbed, tol, 'perturbed'), /differs/);
  });

  test('the cycle noise halved in a kernel', () => {
    const device = defaultDevice('LinearStep', { dwMin: 0.01, dwMinStd: 0.3, gammaUp: 0.3, gammaDown: 0.6 });
    assertSameNoise(noisyComparison(device));
    const halved = noisyComparison(device, (t) => {
      (t.device as unknown as { sigma: number }).sigma = 0.15;
    });
    assert.throws(() => assertSameNoise(halved), /noise ratio|median/);
  });

  test('one random draw skipped by the kernel', () => {
    const exactDevice = defaultDevice('ConstantStep', { dwMin: 2 ** -10, dwMinDtod: 0, dwMinStd: 0, upDownDtod: 0, wMaxDtod: 0, wMinDtod: 0, wMax: 0.5, wMin: -0.5 });
    assertBitEqual(runPulsed(9, 17, exactDevice, 31, 2, 5, false), 'unperturbed');
    const perturbed = runPulsed(9, 17, exactDevice, 31, 2, 5, false, (_t, u) => {
      (u as unknown as { rng: Rng }).rng.nextU32();
    });
    assert.throws(() => assertBitEqual(perturbed, 'perturbed'), /pulses|weight/);
  });
});
