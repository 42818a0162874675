/**
 * Cycle-to-cycle noise in bulk: the Ziggurat normals of Rng.fillGauss / gauss, the n-pulse single-draw law the
 * kernels use for the soft-bounds family (and where it departs from n pulses drawn one by one), and the per-element
 * affine kernel of the pulsed updater on elements whose step exceeds their bound.
 *
 * The statistical checks use fixed seeds and tolerances of five standard errors (or a chi-square at p < 1e-4), so
 * they are deterministic and fail on a real bias (a wrong Ziggurat table moves the variance or the histogram by many
 * standard errors at these sample sizes; the mutation test at the end shows one).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AIHWKIT_UPDATE_DEFAULTS, AnalogTile, GAUSS_BLOCK, PulsedUpdater, Rng, createDeviceArray, defaultDevice, type DeviceConfig } from '../../../src/core/analog';
import { pulseOnce, referencePulsedUpdate, referenceTile, sampleElements } from '../../../src/core/analog/reference';

/** erf to ~1e-15: its Taylor series below 3, the continued fraction of erfc above. */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  if (a < 3) {
    let sum = a;
    let term = a;
    for (let n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return (s * 2 * sum) / Math.sqrt(Math.PI);
  }
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (a + f);
  return s * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f));
}
const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));

/** Moments, a 42-bin chi-square against Φ over [−4, 4] and the probability beyond the Ziggurat's tail start. */
function normalChecks(v: ArrayLike<number>, what: string): void {
  const n = v.length;
  let m = 0;
  let m2 = 0;
  let m4 = 0;
  let tail = 0;
  const bins = new Array<number>(42).fill(0);
  for (let k = 0; k < n; k++) {
    const x = v[k];
    m += x;
    m2 += x * x;
    m4 += x ** 4;
    if (Math.abs(x) > 3.6541528853610088) tail++;
    bins[x < -4 ? 0 : x >= 4 ? 41 : 1 + Math.floor((x + 4) / 0.2)]++;
  }
  m /= n;
  m2 /= n;
  m4 /= n;
  assert.ok(Math.abs(m) < 5 / Math.sqrt(n), `${what}: mean ${m} (5 se = ${5 / Math.sqrt(n)})`);
  assert.ok(Math.abs(m2 - 1) < 5 * Math.sqrt(2 / n), `${what}: variance ${m2}`);
  assert.ok(Math.abs(m4 - 3) < 5 * Math.sqrt(96 / n), `${what}: fourth moment ${m4}`);
  const pTail = 2 * (1 - Phi(3.6541528853610088));
  assert.ok(Math.abs(tail / n - pTail) < 5 * Math.sqrt(pTail / n), `${what}: P(|x| > R) ${tail / n} vs ${pTail}`);
  let chi = 0;
  for (let b = 0; b < 42; b++) {
    const lo = b === 0 ? 0 : Phi(-4 + 0.2 * (b - 1));
    const hi = b === 41 ? 1 : Phi(-4 + 0.2 * b);
    const e = (hi - lo) * n;
    chi += (bins[b] - e) ** 2 / e;
  }
  // 41 degrees of freedom: P(χ² > 83) < 1e-4.
  assert.ok(chi < 83, `${what}: chi-square ${chi.toFixed(1)} over 42 bins`);
}

describe('Rng.fillGauss / gauss: Ziggurat normals', () => {
  test('2,000,000 draws: mean, variance, fourth moment, tail beyond R and the histogram are those of N(0, 1)', () => {
    const v = new Float64Array(2_000_000);
    new Rng(11, 3).fillGauss(v, v.length);
    normalChecks(v, 'fillGauss');
  });

  test('gauss() hands out the blocks fillGauss draws, and a seed gives the same sequence', () => {
    const a = new Rng(5, 4);
    const b = new Rng(5, 4);
    const block = new Float64Array(2 * GAUSS_BLOCK);
    b.fillGauss(block, GAUSS_BLOCK);
    b.fillGauss(block.subarray(GAUSS_BLOCK), GAUSS_BLOCK);
    for (let k = 0; k < 2 * GAUSS_BLOCK; k++) assert.equal(a.gauss(), block[k], `draw ${k}`);
    const c = new Rng(5, 4);
    const d = new Rng(6, 4);
    let same = 0;
    for (let k = 0; k < 100; k++) same += +(c.gauss() === d.gauss());
    assert.ok(same < 3, 'another seed, other draws');
  });

  test('mutation: the same draws with a 1 % wider spread fail the checks', () => {
    const v = new Float64Array(200_000);
    new Rng(11, 3).fillGauss(v, v.length);
    normalChecks(v, 'unchanged');
    for (let k = 0; k < v.length; k++) v[k] *= 1.01;
    assert.throws(() => normalChecks(v, 'mutated'), /variance/);
  });
});

/**
 * One soft-bounds element (additive noise) pulsed n times up from w0: the kernels' one-draw law (DeviceArray.pulse,
 * the same rule as the updater's affine kernel) against n reference pulses (pulseOnce, clipped after each).
 */
function nPulseMoments(n: number, distance: number, trials: number): { oneDraw: [number, number]; perPulse: [number, number]; unit: number; w0: number } {
  const device = defaultDevice('SoftBoundsReference', { wMax: 1, wMin: -1, dwMin: 1e-3, dwMinStd: 0.3, dwMinDtod: 0, upDownDtod: 0, wMaxDtod: 0, wMinDtod: 0 });
  const kernel = createDeviceArray(device, 1, new Rng(1, 2));
  const ref = sampleElements(device, 1, new Rng(1, 2));
  const unit = ref.scaleUp[0] * device.dwMinStd;
  const w0 = Math.fround(ref.bMax[0] - distance * unit * Math.sqrt(n));
  const kr = new Rng(3, 4);
  const rr = new Rng(4, 4);
  const sum = [0, 0, 0, 0];
  for (let t = 0; t < trials; t++) {
    const a = Math.fround(kernel.pulse(0, w0, n, true, kr));
    let b = w0;
    for (let k = 0; k < n; k++) b = Math.fround(pulseOnce(ref, 0, b, true, rr));
    sum[0] += a;
    sum[1] += a * a;
    sum[2] += b;
    sum[3] += b * b;
  }
  const moments = (s: number, s2: number): [number, number] => [s / trials, Math.sqrt(Math.max(s2 / trials - (s / trials) ** 2, 0))];
  return { oneDraw: moments(sum[0], sum[1]), perPulse: moments(sum[2], sum[3]), unit, w0 };
}

describe('n pulses with one noise draw (soft-bounds family, additive noise): where it equals n draws', () => {
  // The recursion w_p ← a·w_p + s(1 + σξ) is linear, so without clipping n pulses are exactly b + (w_p − b)·aⁿ plus
  // one normal of variance s²σ²·Σ_{k<n} a^{2k}. Only the per-pulse clipping differs: it matters within ~2 noise sd
  // (s·σ·√n) of a bound.
  for (const n of [2, 4, 8]) {
    test(`n = ${n}: at ≥ 3 s·σ·√n from the bound, mean and sd equal the per-pulse law's (5 se)`, () => {
      const trials = 100_000;
      const r = nPulseMoments(n, 3, trials);
      const se = r.perPulse[1] / Math.sqrt(trials);
      assert.ok(Math.abs(r.oneDraw[0] - r.perPulse[0]) < 5 * Math.SQRT2 * se, `mean ${r.oneDraw[0]} vs ${r.perPulse[0]} (se ${se})`);
      assert.ok(Math.abs(r.oneDraw[1] / r.perPulse[1] - 1) < 5 * Math.sqrt(1 / trials), `sd ${r.oneDraw[1]} vs ${r.perPulse[1]}`);
      // The mean moved by the drift of n pulses: the test is not comparing two unmoved weights.
      assert.ok(r.perPulse[0] - r.w0 > 0.5 * n * 1e-3 * (1 - r.w0), 'the pulses moved the weight');
    });
    test(`n = ${n}: at the bound the one-draw mean sits above the per-pulse one by at most 0.3·s·σ·√n`, () => {
      const trials = 100_000;
      const r = nPulseMoments(n, 0, trials);
      const bias = (r.oneDraw[0] - r.perPulse[0]) / r.unit;
      // Clipping after each pulse only ever pulls back down, so the per-pulse mean is the lower one.
      assert.ok(bias > 0, `bias ${bias.toFixed(3)} s·σ`);
      assert.ok(bias < 0.3 * Math.sqrt(n), `bias ${bias.toFixed(3)} s·σ (n = ${n})`);
    });
  }
});

describe('pulsed updater, affine kernel: elements whose step exceeds their bound (a < 0) take their pulses one by one', () => {
  // Wide bound spread and a large step: some elements have 0 < b < s, where a = 1 − s/b < 0.
  const device = defaultDevice('SoftBoundsReference', { wMax: 0.6, wMin: -0.6, dwMin: 0.1, dwMinStd: 0, wMaxDtod: 0.5, wMinDtod: 0.5 }) as DeviceConfig;
  test('noise-free: the same pulses as the reference and weights within (n + 1) × four float32 ulps of the range', () => {
    const rows = 24;
    const cols = 24;
    const kernel = new AnalogTile(rows, cols, device, new Rng(7, 2));
    const ref = referenceTile(device, rows, cols, new Float64Array(rows * cols), new Rng(7, 2), new Rng(7, 9));
    let negative = 0;
    for (let i = 0; i < rows * cols; i++) negative += +(ref.elements.bMax[i] > 0 && ref.elements.scaleUp[i] > ref.elements.bMax[i]) + +(ref.elements.bMin[i] < 0 && ref.elements.scaleDown[i] > -ref.elements.bMin[i]);
    assert.ok(negative >= 5, `${negative} elements with a step beyond their bound`);
    assert.ok(kernel.device.affineForm?.(), 'the kernel takes the affine path');
    const updater = new PulsedUpdater(new Rng(7, 4));
    const refRng = new Rng(7, 4);
    const data = new Rng(7, 1);
    const params = { ...AIHWKIT_UPDATE_DEFAULTS, desiredBl: 8 };
    const counts = new Int32Array(rows * cols);
    updater.beginBatch(kernel);
    for (let s = 0; s < 20; s++) {
      const x = Array.from({ length: cols }, () => 2 * data.uniform() - 1);
      const d = Array.from({ length: rows }, () => 2 * data.uniform() - 1);
      const lr = s % 2 === 0 ? 2 : -2;
      const kp = updater.update(kernel, x, 0, d, 0, lr, params);
      const r = referencePulsedUpdate(ref, x, d, lr, params, refRng);
      assert.equal(kp, r.pulses, `sample ${s}: pulses`);
      for (let k = 0; k < counts.length; k++) counts[k] += r.counts[k];
    }
    updater.endBatch();
    const tol = 4 * 2 ** -23 * 2 * 1.2;
    for (let k = 0; k < rows * cols; k++) {
      const diff = Math.abs(kernel.w[k] - ref.w[k]);
      assert.ok(diff <= (counts[k] + 1) * tol, `weight ${k}: ${kernel.w[k]} vs ${ref.w[k]} after ${counts[k]} pulses`);
    }
  });
});
