/**
 * Differential tests of the read kernels (src/core/analog/io.ts) against the plain-sum reference
 * (src/core/analog/reference/mvm.ts, io.ts), over odd shapes and batch sizes at and above the kernels' unrolled
 * widths (8 columns × 16 samples forward, 8 rows × 16 samples backward, blocks of 2 × 4 and 4 × 4 for the rest).
 *
 * Claims: mvmBatch sums every output in column order from 0, like the reference: bit for bit. mvm (four partial
 * sums), mvmTBatch and mvmT (blocks of four rows) sum in another order: within the bound on reordered sums,
 * 2·γ_K·Σ|w·x| (Higham §3.1). AnalogIO draws its noise in the reference's order, so with the same seed the reads agree
 * to that rounding, and to one ADC step where the rounding moves a value across a quantisation boundary (at most a
 * few values in a thousand). The expected mode's dense gradient (GradientWriter, blocks of 8 rows × 8 samples) sums in
 * sample order like referenceGradient: bit for bit. A transfer's column read (AnalogIO.readColumn) involves no sum and
 * equals referenceReadColumn bit for bit.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AIHWKIT_IO_DEFAULTS, AnalogIO, GradientWriter, PERFECT_IO, PulsedUpdater, Rng, mvm, mvmBatch, mvmT, mvmTBatch, type IOConfig, type LayerGrad } from '../../../src/core/analog';
import { referenceBackward, referenceForward, referenceGradient, referenceRead, referenceReadColumn, reorderedSumBound } from '../../../src/core/analog/reference';
import { ODD_SHAPES } from './shapes';

/** The odd shapes, then a row that spans several 4-wide column blocks with a remainder, and a tall one of 31 columns. */
const SHAPES: ReadonlyArray<readonly [number, number]> = [...ODD_SHAPES, [5, 24], [16, 31]];
const BATCHES = [1, 3, 4, 15, 16, 17, 33];

function filled(n: number, rng: Rng, zeros = 0.1): Float32Array {
  const v = new Float32Array(n);
  for (let k = 0; k < n; k++) v[k] = rng.uniform() < zeros ? 0 : 2 * rng.uniform() - 1;
  return v;
}

/** Σ_j |w_ij·x_j| for output i of sample b (forward) or Σ_i |w_ij·d_i| (backward): the scale of its rounding. */
function absSums(w: Float32Array, m: number, n: number, v: ArrayLike<number>, batch: number, transposed: boolean): Float64Array {
  const abs = (a: ArrayLike<number>) => Float64Array.from(a, Math.abs);
  return transposed ? referenceBackward(abs(w), m, n, abs(v), batch) : referenceForward(abs(w), m, n, abs(v), batch);
}

function assertWithinReorder(actual: ArrayLike<number>, expected: Float64Array, sums: Float64Array, terms: number, what: string): void {
  for (let k = 0; k < expected.length; k++) {
    const bound = reorderedSumBound(terms, sums[k]);
    if (!(Math.abs(actual[k] - expected[k]) <= bound)) assert.fail(`${what}: output ${k} is ${actual[k]}, reference ${expected[k]} (bound ${bound.toExponential(2)})`);
  }
}

describe('perfect reads', () => {
  for (const [m, n] of SHAPES) {
    test(`${m}×${n}: mvmBatch bit for bit; mvm, mvmTBatch and mvmT within the reordering bound`, () => {
      const rng = new Rng(m * 100 + n, 1);
      const w = filled(m * n, rng);
      for (const batch of BATCHES) {
        const x = filled(batch * n, rng);
        const d = filled(batch * m, rng);
        const y = new Float64Array(batch * m);
        mvmBatch(w, m, n, x, batch, y);
        const yRef = referenceForward(w, m, n, x, batch);
        for (let k = 0; k < y.length; k++) if (!Object.is(y[k], yRef[k])) assert.fail(`batch ${batch}: forward output ${k} is ${y[k]}, reference ${yRef[k]}`);
        const ySums = absSums(w, m, n, x, batch, false);
        const y1 = new Float64Array(batch * m);
        for (let b = 0; b < batch; b++) mvm(w, m, n, x, b * n, y1, b * m);
        assertWithinReorder(y1, yRef, ySums, n, `batch ${batch}, mvm`);
        const zRef = referenceBackward(w, m, n, d, batch);
        const zSums = absSums(w, m, n, d, batch, true);
        const z = new Float64Array(batch * n);
        mvmTBatch(w, m, n, d, batch, z);
        assertWithinReorder(z, zRef, zSums, m, `batch ${batch}, mvmTBatch`);
        const z1 = new Float64Array(batch * n);
        for (let b = 0; b < batch; b++) mvmT(w, m, n, d, b * m, z1, b * n);
        assertWithinReorder(z1, zRef, zSums, m, `batch ${batch}, mvmT`);
      }
    });
  }
});

const NOISY_IO: Array<[string, IOConfig]> = [
  ['aihwkit defaults (7-bit DAC, 9-bit ADC, output noise 0.06, abs-max NM, iterative BM)', AIHWKIT_IO_DEFAULTS],
  ['weight and input noise, no noise management, tight output bound', { ...AIHWKIT_IO_DEFAULTS, wNoise: 0.02, inpNoise: 0.01, noiseManagement: 'none', outBound: 2 }],
  ['continuous converters, noise-free (only the MVM rounding differs)', { ...AIHWKIT_IO_DEFAULTS, inpRes: 0, outRes: 0, outNoise: 0 }],
];

describe('reads through the IO non-idealities', () => {
  for (const [name, io] of NOISY_IO) {
    test(name, () => {
      let values = 0;
      let offByAStep = 0;
      for (const [m, n] of SHAPES) {
        const rng = new Rng(7 * m + n, 1);
        // Weights large enough that some outputs saturate and bound management halves the input.
        const w = filled(m * n, rng).map((v) => 3 * v);
        for (const transposed of [false, true]) {
          const kernel = new AnalogIO(io, new Rng(m + n, 5));
          const refRng = new Rng(m + n, 5);
          const inLen = transposed ? m : n;
          const outLen = transposed ? n : m;
          for (let r = 0; r < 5; r++) {
            const v = filled(inLen, rng);
            const out = new Float64Array(outLen);
            if (transposed) kernel.backward(w, m, n, v, 0, out, 0);
            else kernel.forward(w, m, n, v, 0, out, 0);
            const ref = referenceRead(io, w, m, n, v, transposed, !transposed && io.boundManagement === 'iterative', refRng);
            let vMax = 0;
            for (const x of v) vMax = Math.max(vMax, Math.abs(x));
            // One ADC step in output units, for the largest bound-management factor.
            const step = (io.outRes * 2 * io.outBound * (io.noiseManagement === 'abs-max' ? vMax : 1)) * io.maxBmFactor;
            for (let k = 0; k < outLen; k++) {
              values++;
              const diff = Math.abs(out[k] - ref[k]);
              if (diff <= 1e-9 * Math.max(1, Math.abs(ref[k]))) continue;
              offByAStep++;
              assert.ok(io.outRes > 0 && diff <= step, `${m}×${n}${transposed ? ' backward' : ''}: output ${k} is ${out[k]}, reference ${ref[k]}`);
            }
          }
          assert.equal(kernel['rng'].nextU32(), refRng.nextU32(), 'both drew the same number of random numbers');
        }
      }
      assert.ok(offByAStep <= values / 100, `${offByAStep} of ${values} outputs differ by an ADC step`);
    });
  }

  for (const [name, io] of [...NOISY_IO, ['perfect', PERFECT_IO] as [string, IOConfig]]) {
    test(`transfer column reads, ${name}: bit for bit (the same draws)`, () => {
      const rng = new Rng(21, 1);
      const [m, n] = [17, 9];
      const w = filled(m * n, rng).map((v) => 3 * v);
      const kernel = new AnalogIO(io, new Rng(4, 5));
      const refRng = new Rng(4, 5);
      for (let j = 0; j < n; j++) {
        const out = new Float64Array(m);
        kernel.readColumn(w, m, n, j, out);
        const ref = referenceReadColumn(io, w, m, n, j, refRng);
        for (let i = 0; i < m; i++) assert.ok(Object.is(out[i], ref[i]), `column ${j}, row ${i}: ${out[i]} vs ${ref[i]}`);
      }
    });
  }

  test('perfect IO is the exact MVM', () => {
    const rng = new Rng(3, 1);
    const w = filled(17 * 9, rng);
    const x = filled(9, rng);
    const out = new Float64Array(17);
    new AnalogIO(PERFECT_IO, new Rng(1, 5)).forward(w, 17, 9, x, 0, out, 0);
    const ref = referenceRead(PERFECT_IO, w, 17, 9, x, false, false, new Rng(1, 5));
    assertWithinReorder(out, ref, absSums(w, 17, 9, x, 1, false), 9, 'perfect forward');
  });
});

describe('mutation: a perturbed kernel input fails the comparison', () => {
  test('one weight moved by one float32 ulp changes an mvmBatch output bit', () => {
    const rng = new Rng(5, 1);
    const [m, n, batch] = [17, 9, 16];
    const w = filled(m * n, rng, 0);
    const x = filled(batch * n, rng, 0);
    const yRef = referenceForward(w, m, n, x, batch);
    const bumped = Float32Array.from(w);
    bumped[3 * n + 4] = bumped[3 * n + 4] * (1 + 2 ** -23);
    const y = new Float64Array(batch * m);
    mvmBatch(bumped, m, n, x, batch, y);
    assert.ok(Array.from(y).some((v, k) => !Object.is(v, yRef[k])), 'the bit-for-bit comparison sees the change');
  });
});

describe('the expected mode’s dense gradient', () => {
  for (const [m, n] of SHAPES) {
    test(`${m}×${n}: −lr·G bit for bit, every batch size`, () => {
      const rng = new Rng(m * 7 + n, 1);
      const writer = new GradientWriter('expected', new PulsedUpdater(new Rng(1, 4)), new Rng(1, 3), new Rng(1, 2), 0);
      const denseDelta = (writer as unknown as { ensure(size: number, rows: number, cols: number): void; denseDelta(rows: number, cols: number, g: LayerGrad, lr: number, chop: Int8Array | null): Float32Array });
      for (const batch of BATCHES) {
        const g: LayerGrad = { x: Float64Array.from(filled(batch * n, rng)), d: Float64Array.from(filled(batch * m, rng)), count: batch };
        const lr = 0.37;
        denseDelta.ensure.call(writer, m * n, m, n);
        const delta = denseDelta.denseDelta.call(writer, m, n, g, lr, null);
        const ref = referenceGradient(g.x, g.d, m, n, batch);
        for (let k = 0; k < m * n; k++) {
          const expected = Math.fround(-lr * Math.fround(ref[k]));
          if (!Object.is(delta[k], expected)) assert.fail(`batch ${batch}: element ${k} is ${delta[k]}, reference ${expected}`);
        }
      }
    });
  }
});
