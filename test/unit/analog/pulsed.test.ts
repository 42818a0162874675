import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AIHWKIT_UPDATE_DEFAULTS, AnalogTile, PulsedUpdater, Rng, defaultDevice, planPulses, popcount32 } from '../../../src/core/analog';
import { assertClose } from '../helpers';

// A ConstantStep device without noise or variation has q ≡ 1, so every coincidence is exactly one dw_min.
const unit = defaultDevice('ConstantStep', { dwMin: 1e-3, dwMinDtod: 0, dwMinStd: 0, upDownDtod: 0, wMaxDtod: 0, wMinDtod: 0, wMax: 100, wMin: -100 });

test('popcount of 32-bit trains', () => {
  assert.equal(popcount32(0), 0);
  assert.equal(popcount32(-1), 32);
  assert.equal(popcount32(0x7fffffff), 31);
  assert.equal(popcount32(0b1011), 3);
});

describe('reference case 9 (docs/analog.md, section 11): pulse statistics (aihwkit UBLM + UM)', () => {
  test('k = 5 → BL = 5, A = 20 (d side), B = 1 (x side)', () => {
    const p = planPulses(0.1, 1, 0.05, 1e-3, AIHWKIT_UPDATE_DEFAULTS, { bl: 0, a: 0, b: 0 });
    assert.equal(p.bl, 5);
    assertClose(p.a, 20, 1e-12, 'A');
    assertClose(p.b, 1, 1e-12, 'B');
    // Before update management both were √(0.1/(1e-3·5)) = 4.472.
    const noUm = planPulses(0.1, 1, 0.05, 1e-3, { ...AIHWKIT_UPDATE_DEFAULTS, updateManagement: false, updateBlManagement: false }, { bl: 0, a: 0, b: 0 });
    assert.equal(noUm.bl, 31);
    assertClose(planPulses(0.1, 1, 0.05, 1e-3, { ...AIHWKIT_UPDATE_DEFAULTS, updateManagement: false, updateBlManagement: false, desiredBl: 5 }, { bl: 0, a: 0, b: 0 }).a, 4.472, 1e-3, 'A before UM');
  });

  test('over 1e5 repeats the mean change is −lr·d_i·x_j within 1 % and the variance is binomial (≈ dw_min·|Δw|)', () => {
    const x = [1, 0.5, -0.8];
    const d = [0.05, -0.03, 0.04];
    const lr = 0.1;
    const rng = new Rng(42);
    const tile = new AnalogTile(3, 3, unit, rng);
    const up = new PulsedUpdater(new Rng(43, 4));
    const n = 100000;
    const sum = new Float64Array(9);
    const sum2 = new Float64Array(9);
    for (let r = 0; r < n; r++) {
      tile.w.fill(0);
      up.update(tile, x, 0, d, 0, lr, AIHWKIT_UPDATE_DEFAULTS);
      for (let k = 0; k < 9; k++) {
        sum[k] += tile.w[k];
        sum2[k] += tile.w[k] * tile.w[k];
      }
    }
    assert.equal(up.stats.blSum / up.stats.samples, 5, 'BL = 5 every time');
    const pd = d.map((v) => Math.min(1, 20 * Math.abs(v)));
    const px = x.map((v) => Math.min(1, Math.abs(v)));
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const k = i * 3 + j;
        const mean = sum[k] / n;
        const expected = -lr * d[i] * x[j];
        assertClose(mean, expected, 0.01, `mean Δw(${i},${j})`);
        const p = pd[i] * px[j];
        const variance = sum2[k] / n - mean * mean;
        const binomial = 1e-6 * 5 * p * (1 - p);
        if (binomial > 0) assertClose(variance, binomial, 0.05, `variance Δw(${i},${j})`);
        else assert.ok(variance < 1e-15, `deterministic element (${i},${j}) has variance ${variance}`);
        assertClose(binomial, 1e-3 * Math.abs(expected) * (1 - p), 1e-9, 'binomial = dw_min·|Δw|·(1 − p)');
      }
    }
  });

  test('k = 100 > 31: BL = 31, A = 3.226, B = 1; only |d_i| > 0.31 is clipped', () => {
    const plan = planPulses(0.1, 1, 1, 1e-3, AIHWKIT_UPDATE_DEFAULTS, { bl: 0, a: 0, b: 0 });
    assert.equal(plan.bl, 31);
    assertClose(plan.a, 3.226, 1e-3, 'A');
    assertClose(plan.b, 1.0, 1e-3, 'B');
    const rng = new Rng(9);
    const tile = new AnalogTile(3, 1, unit, rng);
    const up = new PulsedUpdater(new Rng(10, 4));
    const d = [1, 0.2, -0.1];
    const n = 20000;
    const sum = new Float64Array(3);
    for (let r = 0; r < n; r++) {
      tile.w.fill(0);
      up.update(tile, [1], 0, d, 0, 0.1, AIHWKIT_UPDATE_DEFAULTS);
      for (let k = 0; k < 3; k++) sum[k] += tile.w[k];
    }
    assertClose(sum[0] / n, -31e-3, 1e-6, 'largest error gets 31 pulses, not 100');
    assertClose(sum[1] / n, -0.1 * 0.2, 0.01, 'unclipped error exact in mean');
    assertClose(sum[2] / n, 0.1 * 0.1, 0.01, 'negative error exact in mean');
  });

  test('coincidence direction: sign(x)·sign(d)·sign(lr) > 0 is a DOWN pulse', () => {
    const rng = new Rng(1);
    const tile = new AnalogTile(2, 2, unit, rng);
    const up = new PulsedUpdater(new Rng(2));
    up.update(tile, [1, -1], 0, [1, -1], 0, 0.01, AIHWKIT_UPDATE_DEFAULTS);
    assert.ok(tile.w[0] < 0 && tile.w[3] < 0, 'same signs → down');
    assert.ok(tile.w[1] > 0 && tile.w[2] > 0, 'opposite signs → up');
  });

  test('bit lines longer than 32 slots use several words per train and stay exact in mean', () => {
    const rng = new Rng(4);
    const tile = new AnalogTile(1, 2, unit, rng);
    const up = new PulsedUpdater(new Rng(5));
    const params = { ...AIHWKIT_UPDATE_DEFAULTS, desiredBl: 800 };
    const n = 4000;
    let s0 = 0;
    let s1 = 0;
    for (let r = 0; r < n; r++) {
      tile.w.fill(0);
      up.update(tile, [0.9, 0.3], 0, [0.5], 0, 1, params);
      s0 += tile.w[0];
      s1 += tile.w[1];
    }
    assert.equal(up.stats.blSum / up.stats.samples, 450, 'BL = ⌈k⌉ = 450 under UBLM');
    assertClose(s0 / n, -0.45, 0.01, 'Δw0');
    assertClose(s1 / n, -0.15, 0.01, 'Δw1');
  });
});
