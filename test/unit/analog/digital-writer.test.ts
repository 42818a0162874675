/**
 * GradientWriter.digital (digital SGD's float update) against the plain dense loop it replaces: per sample, per row,
 * w[i][j] −= (lr·d_bi)·x_bj stored into the float32 weights, over every column. The writer skips zero inputs and
 * holds each weight in a register over the samples; the weights must come out bit for bit the same, on sparse
 * MNIST-like inputs, dense ones, odd shapes, and with non-finite values (∞·0 = NaN must still reach the weights).
 * GradientWriter.write (pulsed) chooses per mini-batch between the updater's whole-tile copy (beginBatch) and
 * per-update copies of the touched elements: both must give the same pulses and weights.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AIHWKIT_UPDATE_DEFAULTS, AnalogTile, GradientWriter, PAPER_DEVICE_PRESET_ID, PulsedUpdater, Rng, findDevicePreset, type LayerGrad } from '../../../src/core/analog';

function denseReference(w: Float32Array, rows: number, cols: number, g: LayerGrad, lr: number): void {
  for (let b = 0; b < g.count; b++) {
    for (let i = 0; i < rows; i++) {
      const di = lr * g.d[b * rows + i];
      if (di === 0) continue;
      for (let j = 0; j < cols; j++) w[i * cols + j] -= di * g.x[b * cols + j];
    }
  }
}

function problem(rows: number, cols: number, B: number, zeroShare: number, seed: number) {
  const rng = new Rng(seed);
  const w = new Float32Array(rows * cols);
  for (let k = 0; k < w.length; k++) w[k] = rng.uniform() - 0.5;
  const x = new Float64Array(B * cols);
  for (let k = 0; k < x.length; k++) x[k] = rng.uniform() < zeroShare ? 0 : rng.uniform();
  const d = new Float64Array(B * rows);
  for (let k = 0; k < d.length; k++) d[k] = rng.uniform() < 0.1 ? 0 : rng.normal() * 0.1;
  return { w, g: { x, d, count: B } as LayerGrad };
}

function writer(): GradientWriter {
  return new GradientWriter('pulsed', new PulsedUpdater(new Rng(1, 4)), new Rng(1, 3), new Rng(1, 2), 0);
}

function sameBits(a: Float32Array, b: Float32Array): void {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let k = 0; k < a.length; k++) if (ua[k] !== ub[k]) assert.fail(`weight ${k}: ${a[k]} against the dense loop's ${b[k]}`);
}

describe('GradientWriter.digital: the same weights as the dense loop', () => {
  const cases: [string, number, number, number, number][] = [
    ['MNIST-like first layer (256 × 784, batch 10, 80 % zeros)', 256, 784, 10, 0.8],
    ['dense hidden layer (128 × 256, batch 10)', 128, 256, 10, 0],
    ['odd shape (7 × 13, batch 3, half zeros)', 7, 13, 3, 0.5],
    ['one sample, all inputs zero', 5, 9, 1, 1],
  ];
  for (const [name, rows, cols, B, zeros] of cases) {
    test(name, () => {
      const w = writer();
      const a = problem(rows, cols, B, zeros, rows * cols + B);
      const ref = Float32Array.from(a.w);
      // Three steps on the same writer (its scratch is reused across steps and shapes).
      for (let s = 0; s < 3; s++) {
        w.digital(a.w, rows, cols, a.g, 0.05);
        denseReference(ref, rows, cols, a.g, 0.05);
      }
      sameBits(a.w, ref);
      if (zeros < 1) assert.ok(a.w.some((v, k) => v !== problem(rows, cols, B, zeros, rows * cols + B).w[k]), 'the step changed the weights');
    });
  }

  test('a non-finite input or error reaches the weights as the dense loop has it (∞, and NaN from ∞·0)', () => {
    for (const where of ['x', 'd'] as const) {
      const a = problem(6, 11, 4, 0.5, 9);
      if (where === 'x') a.g.x[2 * 11 + 3] = Infinity;
      else a.g.d[1 * 6 + 2] = Infinity;
      const ref = Float32Array.from(a.w);
      writer().digital(a.w, 6, 11, a.g, 0.05);
      denseReference(ref, 6, 11, a.g, 0.05);
      sameBits(a.w, ref);
      assert.ok(a.w.some((v) => !Number.isFinite(v)), `${where}: a non-finite weight`);
    }
  });
});

describe('GradientWriter.write: the whole-tile copy or per-update copies, the same pulses and weights', () => {
  // The paper's device (soft bounds with element spread and cycle noise: the updater's plain-array kernels).
  const device = findDevicePreset(PAPER_DEVICE_PRESET_ID)!.device;
  const cases: [string, number, number, number, number, number, boolean][] = [
    // MNIST's first layer at its operating point: few elements touched, per-update copies.
    ['sparse inputs, small steps (64 × 196, batch 10, 80 % zeros): per-update copies', 64, 196, 10, 0.8, 0.01, false],
    // Dense inputs and large steps: most elements touched, the whole-tile copy.
    ['dense inputs, large steps (32 × 32, batch 32): the whole-tile copy', 32, 32, 32, 0, 5, true],
  ];
  for (const [name, rows, cols, B, zeros, lr, wholeTile] of cases) {
    test(name, () => {
      const { g } = problem(rows, cols, B, zeros, rows + cols);
      // Errors of MNIST's size (the softmax error over a batch of 10 is ~0.01 per output).
      if (!wholeTile) for (let k = 0; k < g.d.length; k++) g.d[k] *= 0.1;
      const viaWriter = new AnalogTile(rows, cols, device, new Rng(5, 1));
      const viaBatch = new AnalogTile(rows, cols, device, new Rng(5, 1));
      const init = new Rng(6);
      for (let k = 0; k < viaWriter.size; k++) viaWriter.w[k] = viaBatch.w[k] = (init.uniform() - 0.5) * 0.5;
      const updater = new PulsedUpdater(new Rng(7, 1));
      let batched = false;
      const begin = updater.beginBatch.bind(updater);
      updater.beginBatch = (t) => {
        batched = true;
        begin(t);
      };
      new GradientWriter('pulsed', updater, new Rng(1, 3), new Rng(1, 2), 0).write(viaWriter, g, lr, AIHWKIT_UPDATE_DEFAULTS);
      // The same updates through the whole-tile copy, always.
      const direct = new PulsedUpdater(new Rng(7, 1));
      direct.beginBatch(viaBatch);
      let coincidences = 0;
      for (let b = 0; b < B; b++) coincidences += direct.update(viaBatch, g.x, b * cols, g.d, b * rows, lr, AIHWKIT_UPDATE_DEFAULTS);
      direct.endBatch();
      assert.equal(batched, wholeTile, 'the copy the writer chose');
      assert.ok(coincidences > 0, 'pulses were applied');
      assert.equal(updater.stats.coincidences, direct.stats.coincidences);
      assert.equal(viaWriter.pulses, viaBatch.pulses);
      sameBits(viaWriter.w, viaBatch.w);
    });
  }
});
