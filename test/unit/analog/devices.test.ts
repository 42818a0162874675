import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AnalogTile, DEVICE_PRESETS, Rng, createDeviceArray, defaultDevice, deviceStates, nominalBounds, nominalSymmetricPoint, weightGranularity, type DeviceConfig } from '../../../src/core/analog';
import { assertClose } from '../helpers';

/** No device-to-device variation, no cycle noise: the nominal device. */
const ideal = { dwMinDtod: 0, dwMinStd: 0, upDownDtod: 0, wMaxDtod: 0, wMinDtod: 0, gammaUpDtod: 0, gammaDownDtod: 0, powGammaDtod: 0 };

function one(config: DeviceConfig) {
  return createDeviceArray(config, 1, new Rng(7, 2));
}

describe('reference case 8 (docs/analog.md, section 11): soft-bounds pulse response', () => {
  const sbr = defaultDevice('SoftBoundsReference', { ...ideal, wMax: 0.6, wMin: -0.6, dwMin: 1e-3 });
  const rng = new Rng(1);

  test('n up pulses from 0 follow w_n = 0.6(1 − (1 − 1/600)^n), one at a time and in closed form', () => {
    const dev = one(sbr);
    let w = 0;
    const seen: Record<number, number> = {};
    for (let n = 1; n <= 1200; n++) {
      w = Math.fround(dev.pulse(0, w, 1, true, rng));
      seen[n] = w;
    }
    for (const [n, expected] of [[100, 0.09218], [600, 0.37946], [1200, 0.51893]] as const) {
      assert.ok(Math.abs(seen[n] - expected) < 5e-6, `n = ${n}: ${seen[n]} vs ${expected}`);
      assertClose(seen[n], 0.6 * (1 - Math.pow(1 - 1 / 600, n)), 1e-5, `n = ${n} vs the formula`);
      // Device parameters are Float32 (like aihwkit's), so "exact" means to float precision.
      assertClose(dev.pulse(0, 0, n, true, rng), 0.6 * (1 - Math.pow(1 - 1 / 600, n)), 2e-6, `closed form n = ${n}`);
    }
  });

  test('alternating ±pulses settle at the symmetric point 0', () => {
    const dev = one(sbr);
    let w = 0.4;
    for (let k = 0; k < 20000; k++) w = dev.pulse(0, w, 1, k % 2 === 0, rng);
    assert.ok(Math.abs(w) <= 1e-3, `settled at ${w}`);
    assert.ok(Math.abs(dev.symmetricPoint(0)) < 1e-9, `symmetric point ${dev.symmetricPoint(0)}`);
  });

  test('up_down = 0.2 shrinks down steps to 0.8e-3 and moves the symmetric point to 0.0667', () => {
    const dev = one({ ...sbr, upDown: 0.2 });
    assertClose(dev.meanStep(0, 0, false), 0.8e-3, 1e-6, 'down step at 0');
    assertClose(dev.meanStep(0, 0, true), 1e-3, 1e-6, 'up step at 0');
    const wStar = (1e-3 - 0.8e-3) / (1e-3 / 0.6 + 0.8e-3 / 0.6);
    assertClose(wStar, 0.0667, 1e-3, 'reference value');
    let w = 0;
    for (let k = 0; k < 40000; k++) w = dev.pulse(0, w, 1, k % 2 === 0, rng);
    // Within one step of w* after a down half-cycle (reference: 0.0663).
    assert.ok(Math.abs(w - wStar) < 1e-3, `settled at ${w}, w* = ${wStar}`);
    assertClose(dev.symmetricPoint(0), wStar, 1e-6, 'bisected symmetric point');
    assertClose(nominalSymmetricPoint({ ...sbr, upDown: 0.2 }), wStar, 1e-9, 'nominal symmetric point');
  });

  test('subtract_symmetry_point reads the symmetric point as 0', () => {
    const dev = one({ ...sbr, upDown: 0.2, subtractSymmetryPoint: true });
    assert.ok(Math.abs(dev.symmetricPoint(0)) < 1e-6, `symmetric point ${dev.symmetricPoint(0)}`);
    let w = 0.3;
    for (let k = 0; k < 40000; k++) w = dev.pulse(0, w, 1, k % 2 === 0, rng);
    assert.ok(Math.abs(w) < 1e-3, `settled at ${w}`);
  });
});

describe('response-function devices (the paper’s q±)', () => {
  test('soft bounds: F ≡ 1, G = w/τ, range ±τ', () => {
    const dev = one(defaultDevice('soft-bounds', { tau: 2 }));
    for (const w of [-1.5, -0.5, 0, 0.7, 1.9]) {
      const qp = dev.meanStep(0, w, true) / 1e-3;
      const qm = dev.meanStep(0, w, false) / 1e-3;
      assertClose((qp + qm) / 2, 1, 1e-6, `F(${w})`);
      assert.ok(Math.abs((qm - qp) / 2 - w / 2) < 1e-6, `G(${w})`);
    }
    assert.equal(dev.upper(0), 2);
    assert.equal(dev.lower(0), -2);
  });

  test('generic linear: q± = (1 ± c)(1 ∓ w/τ), symmetric point cτ', () => {
    const d = defaultDevice('linear', { tau: 1, offset: 0.3 });
    const dev = one(d);
    assertClose(dev.meanStep(0, 0.5, true) / 1e-3, 1.3 * 0.5, 1e-6, 'q+');
    assertClose(dev.meanStep(0, 0.5, false) / 1e-3, 0.7 * 1.5, 1e-6, 'q−');
    assertClose(dev.symmetricPoint(0), 0.3, 1e-6, 'w⋄');
    assert.equal(nominalSymmetricPoint(d), 0.3);
  });

  test('power and exponential responses', () => {
    const p = one(defaultDevice('power', { tau: 1, gammaRes: 2 }));
    assertClose(p.meanStep(0, 0.5, true) / 1e-3, 0.25, 1e-6, 'power q+');
    assertClose(p.meanStep(0, 0.5, false) / 1e-3, 2.25, 1e-6, 'power q−');
    const e = one(defaultDevice('exp', { tau: 1, gammaRes: 2 }));
    assertClose(e.meanStep(0, 0, true) / 1e-3, 1, 1e-6, 'exp q+(0) = 1');
    assertClose(e.meanStep(0, 0.5, true) / 1e-3, (Math.exp(1) - 1) / (Math.exp(2) - 1), 1e-6, 'exp q+(0.5)');
    assert.equal(e.meanStep(0, 1, true), 0);
  });

  test('cycle noise is applied per pulse, zero-mean, and the weight stays clipped to its bounds', () => {
    const dev = one(defaultDevice('soft-bounds', { tau: 1, dwMinStd: 0.5 }));
    const rng = new Rng(3);
    let sum = 0;
    const n = 20000;
    for (let k = 0; k < n; k++) sum += dev.pulse(0, 0, 1, true, rng);
    assertClose(sum / n, 1e-3, 0.02, 'mean step with noise');
    let w = 0.9;
    for (let k = 0; k < 5000; k++) {
      w = dev.pulse(0, w, 3, true, rng);
      assert.ok(w <= 1 && w >= -1, `out of bounds: ${w}`);
    }
  });
});

describe('aihwkit device classes (sampling and one pulse)', () => {
  test('ConstantStep, LinearStep, SoftBounds, ExpStep and PowStep update-once rules', () => {
    const c = one(defaultDevice('ConstantStep', { ...ideal, dwMin: 0.01, wMax: 1, wMin: -1 }));
    assertClose(c.pulse(0, 0, 3, true, new Rng(1)), 0.03, 1e-6, 'constant step');
    assertClose(c.pulse(0, 0.995, 3, true, new Rng(1)), 1, 1e-6, 'clipped at b_max');
    const l = one(defaultDevice('LinearStep', { ...ideal, gammaUp: 0.5, gammaDown: 0.5, wMax: 1, wMin: -1 }));
    assertClose(l.meanStep(0, 0.4, true), 1e-3 * (1 - 0.5 * 0.4), 1e-6, 'linear up = s(1 − γw/w_max)');
    assertClose(l.meanStep(0, 0.4, false), 1e-3 * (1 + 0.5 * 0.4), 1e-6, 'linear down = s(1 + γw/|w_min|)');
    const sb = one(defaultDevice('SoftBounds', { ...ideal, wMax: 0.6, wMin: -0.6 }));
    assertClose(sb.meanStep(0, 0.3, true), 1e-3 * 0.5, 1e-6, 'soft bounds up');
    assert.ok(sb.meanStep(0, 0.6, true) < 1e-9, 'no up step at the bound');
    const ex = one(defaultDevice('ExpStep', { ...ideal }));
    const z = (2 * 0.244 * 0.1) / 1.2 + 0.2425;
    assertClose(ex.meanStep(0, 0.1, true), 1e-3 * Math.max(1 - 0.00081 * Math.exp(12.44625 * z), 0), 1e-6, 'exp-step up');
    assertClose(ex.meanStep(0, 0.1, false), 1e-3 * Math.max(1 - 0.36833 * Math.exp(-12.78785 * z), 0), 1e-6, 'exp-step down');
    const pw = defaultDevice('PowStep', { ...ideal, powGamma: 2, wMax: 1, wMin: -1 });
    assertClose(one(pw).meanStep(0, 0, true), 1e-3 * 0.25, 1e-6, 'pow-step at mid-range = dw_min·0.5^γ');
    assertClose(weightGranularity(pw), 1e-3 * 0.25, 1e-12, 'granularity');
  });

  test('device-to-device variation is drawn at construction: relative spread of the step ≈ dw_min_dtod', () => {
    const d = defaultDevice('ConstantStep', { dwMinDtod: 0.3, upDownDtod: 0 });
    const arr = createDeviceArray(d, 20000, new Rng(11));
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < arr.size; i++) {
      const v = arr.meanStep(i, 0, true) / 1e-3;
      s += v;
      s2 += v * v;
    }
    const mean = s / arr.size;
    const sd = Math.sqrt(s2 / arr.size - mean * mean);
    assertClose(mean, 1, 0.02, 'mean gain');
    // |1 + 0.3ξ| folds a little mass; the spread stays within 5 % of 0.3.
    assertClose(sd, 0.3, 0.05, 'gain spread');
    // Same construction seed → same devices.
    const again = createDeviceArray(d, 20000, new Rng(11));
    for (let i = 0; i < 100; i++) assert.equal(again.meanStep(i, 0, true), arr.meanStep(i, 0, true));
  });

  test('a bound drawn across 0 is mirrored, as aihwkit enforce_consistency does (|b↑|, −|b↓|)', () => {
    // w_max(1 + 1.5ξ) < 0 for ξ < −2/3: about a quarter of the elements draw their upper bound below 0.
    const d = defaultDevice('SoftBounds', { ...ideal, wMax: 0.7, wMin: -0.7, wMaxDtod: 1.5 });
    const n = 4000;
    const arr = createDeviceArray(d, n, new Rng(13));
    // The same draws by hand: four normals per element (upper bound, lower bound, gain, asymmetry).
    const rng = new Rng(13);
    let mirrored = 0;
    let swapped = 0;
    let firstMirrored = -1;
    for (let i = 0; i < n; i++) {
      let up = 0.7 * (1 + 1.5 * rng.normal());
      let lo = -0.7;
      rng.normal();
      rng.normal();
      rng.normal();
      // Below −0.7 the pair is first swapped (aihwkit: if w_min_bound > w_max_bound, swap), then both mirrored.
      if (lo > up) {
        [lo, up] = [up, lo];
        swapped++;
      } else if (up < 0) {
        mirrored++;
        if (firstMirrored < 0) firstMirrored = i;
      }
      assertClose(arr.upper(i), Math.fround(Math.abs(up)), 1e-7, `b↑ of element ${i}`);
      assertClose(arr.lower(i), Math.fround(-Math.abs(lo)), 1e-7, `b↓ of element ${i}`);
    }
    // P(−2/3 > ξ > −1.2) ≈ 0.14 and P(ξ < −1.2) ≈ 0.115.
    assert.ok(mirrored > 0.1 * n && mirrored < 0.18 * n, `${mirrored} of ${n} upper bounds drawn in (−0.7, 0)`);
    assert.ok(swapped > 0.08 * n && swapped < 0.15 * n, `${swapped} of ${n} upper bounds drawn below −0.7`);
    // Such an element still steps up from 0, toward its mirrored bound (collapsed onto 0 it could not).
    assert.ok(firstMirrored >= 0 && arr.meanStep(firstMirrored, 0, true) > 0, 'positive up step below a mirrored bound');
  });

  test('every technology preset builds, names its source and keeps weights inside its bounds', () => {
    assert.ok(DEVICE_PRESETS.length >= 10);
    for (const p of DEVICE_PRESETS) {
      assert.ok(p.source.length > 10 && p.device.source === p.source, p.id);
      const rng = new Rng(5);
      const tile = new AnalogTile(4, 4, p.device, rng);
      tile.setWeights(0, rng);
      for (let k = 0; k < 200; k++) {
        for (let i = 0; i < tile.size; i++) {
          tile.pulseElement(i, 1 + (k % 5), k % 3 !== 0, rng);
          tile.expectedElement(i, (k % 2 ? 1 : -1) * 0.05, rng);
        }
        tile.endOfStep(rng);
      }
      for (let i = 0; i < tile.size; i++) {
        assert.ok(Number.isFinite(tile.w[i]), `${p.id}: weight ${tile.w[i]}`);
        // Write noise scatters the read weight around the stored one by write_noise_std·dw_min.
        const slack = 6 * p.device.writeNoiseStd * p.device.dwMin + 1e-6;
        assert.ok(tile.w[i] <= tile.upper(i) + slack && tile.w[i] >= tile.lower(i) - slack, `${p.id}: ${tile.w[i]} outside [${tile.lower(i)}, ${tile.upper(i)}]`);
      }
      assert.ok(deviceStates(p.device) > 1, p.id);
    }
  });

  test('PCM pair: up pulses move g⁺, down pulses g⁻, w = g⁺ − g⁻, and saturated pairs are reprogrammed', () => {
    const pcm = DEVICE_PRESETS.find((p) => p.id === 'pcm')!.device;
    assert.ok(pcm.model === 'ExpStep', 'the PCM preset is an ExpStep device');
    const rng = new Rng(2);
    const tile = new AnalogTile(1, 1, { ...pcm, dwMinStd: 0, dwMinStdAdd: 0, dwMinStdSlope: 0, dwMinDtod: 0, wMaxDtod: 0, resetDtod: 0 }, rng);
    tile.setWeights(0, rng);
    const before = tile.w[0];
    tile.pulseElement(0, 5, true, rng);
    assert.ok(tile.w[0] > before, 'up raises w');
    const mid = tile.w[0];
    tile.pulseElement(0, 5, false, rng);
    assert.ok(tile.w[0] < mid, 'down lowers w');
    for (let k = 0; k < 400; k++) tile.pulseElement(0, 10, k % 2 === 0, rng);
    const pulses = tile.pulses;
    tile.endOfStep(rng);
    assert.ok(tile.pulses > pulses || Math.abs(tile.w[0]) < 2, 'refresh counted its pulses');
  });
});

describe('one type per device model', () => {
  test('defaultDevice keeps only the model’s own fields: a flat record of every model’s fields gives the same device', () => {
    // The shape a device had as one flat record: every model's fields at once.
    const flat = { ...defaultDevice('LinearStep'), ...defaultDevice('ExpStep'), ...defaultDevice('PowStep'), ...defaultDevice('linear'), tau: 2, offset: 0.25 };
    const fromFlat = defaultDevice('linear', flat);
    const direct = defaultDevice('linear', { tau: 2, offset: 0.25, dwMinDtod: flat.dwMinDtod, dwMinStd: flat.dwMinStd, upDownDtod: flat.upDownDtod, wMaxDtod: flat.wMaxDtod, wMinDtod: flat.wMinDtod, source: flat.source });
    assert.deepEqual(fromFlat, direct);
    assert.ok(!('wMax' in fromFlat) && !('gammaUp' in fromFlat) && !('expA' in fromFlat), `fields of other models dropped: ${Object.keys(fromFlat).join(', ')}`);
    assert.deepEqual(nominalBounds(fromFlat), { wMin: -2, wMax: 2 });
    // Same elements as the device built directly.
    const a = createDeviceArray(fromFlat, 5, new Rng(3));
    const b = createDeviceArray(direct, 5, new Rng(3));
    for (let i = 0; i < 5; i++) assert.equal(a.meanStep(i, 0.3, true), b.meanStep(i, 0.3, true));
  });

  test('an unknown model is refused with its name', () => {
    assert.throws(() => defaultDevice('Memristor' as 'ConstantStep'), /unknown device model "Memristor"/);
  });

  test('every preset is a complete device of its model', () => {
    for (const p of DEVICE_PRESETS) {
      const again = defaultDevice(p.device.model, p.device as never);
      assert.deepEqual(again, p.device, p.id);
    }
  });
});
