import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AIHWKIT_IO_DEFAULTS, AnalogIO, Rng, mvm, mvmBatch, mvmT, mvmTBatch } from '../../../src/core/analog';

function naive(w: Float32Array, m: number, n: number, x: Float64Array, xOff: number): number[] {
  return Array.from({ length: m }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += w[i * n + j] * x[xOff + j];
    return s;
  });
}

test('batched and single MVMs agree with the definition for odd shapes', () => {
  const rng = new Rng(1);
  for (const [m, n, b] of [[1, 1, 1], [3, 5, 7], [8, 4, 4], [7, 13, 6], [2, 9, 1]]) {
    const w = new Float32Array(m * n).map(() => rng.normal());
    const x = new Float64Array(b * n).map(() => rng.normal());
    const d = new Float64Array(b * m).map(() => rng.normal());
    const y = new Float64Array(b * m);
    mvmBatch(w, m, n, x, b, y);
    const z = new Float64Array(b * n);
    mvmTBatch(w, m, n, d, b, z);
    for (let s = 0; s < b; s++) {
      const ref = naive(w, m, n, x, s * n);
      const single = new Float64Array(m);
      mvm(w, m, n, x, s * n, single, 0);
      for (let i = 0; i < m; i++) {
        assert.ok(Math.abs(y[s * m + i] - ref[i]) < 1e-12 && Math.abs(single[i] - ref[i]) < 1e-12, `forward ${m}×${n}`);
      }
      const zt = new Float64Array(n);
      mvmT(w, m, n, d, s * m, zt, 0);
      for (let j = 0; j < n; j++) {
        let r = 0;
        for (let i = 0; i < m; i++) r += w[i * n + j] * d[s * m + i];
        assert.ok(Math.abs(z[s * n + j] - r) < 1e-12 && Math.abs(zt[j] - r) < 1e-12, `backward ${m}×${n}`);
      }
    }
  }
});

test('aihwkit IO: quantised, bounded outputs; bound management rescales saturated inputs', () => {
  const io = new AnalogIO({ ...AIHWKIT_IO_DEFAULTS, outNoise: 0 }, new Rng(2));
  const w = new Float32Array([0.5, -0.25, 1, 1]);
  const y = new Float64Array(2);
  io.forward(w, 2, 2, [0.4, 0.8], 0, y, 0);
  // Noise management scales x to max|x| = 1, the ADC step is 24/510; results come back in the input's units.
  assert.ok(Math.abs(y[0] - 0) < 0.05 && Math.abs(y[1] - 1.2) < 0.05, `y = ${Array.from(y)}`);
  // An output beyond the bound (12) triggers bound management: the input is halved until it fits.
  const big = new Float32Array([20, 0]);
  const out = new Float64Array(1);
  io.forward(big, 1, 2, [1, 0], 0, out, 0);
  // (within the 7-bit DAC's quantisation of the halved input)
  assert.ok(Math.abs(out[0] - 20) < 0.5, `bound-managed output ${out[0]}`);
  const noBm = new AnalogIO({ ...AIHWKIT_IO_DEFAULTS, outNoise: 0, boundManagement: 'none' }, new Rng(2));
  noBm.forward(big, 1, 2, [1, 0], 0, out, 0);
  assert.equal(out[0], 12);
});
