/**
 * Differential tests of the read kernels (src/core/analog/io.ts) against the plain-sum reference
 * (src/core/analog/reference/mvm.ts, io.ts), over odd shapes and batch sizes at and above the kernels' unrolled
 * widths (8 columns × 16 samples forward, 8 rows × 16 samples backward, blocks of 2 × 4 and 4 × 4 for the rest).
 *
 * Claims: mvmBatch sums every output in column order from 0, like the reference: bit for bit. mvm (four partial
 * sums), mvmTBatch and mvmT (blocks of four rows) sum in another order: within the bound on reordered sums,
 * 2·γ_K·Σ|w·x| (Higham §3.1). The float32 products of the reads (linalg/products.ts: WebAssembly SIMD and its
 * JavaScript copy) equal referenceForward32 / referenceBackward32 bit for bit, and those lie within float32 rounding
 * of the float64 sums (float32SumBound, u = 2⁻²⁴). AnalogIO reads equal referenceRead bit for bit with the same
 * draws, and forwardBatch / backwardBatch equal forward / backward row by row bit for bit with the same draws (every
 * IO preset and management mode, batches 1, 10 and 33, dense and sparse inputs). The expected mode's dense gradient
 * (GradientWriter, blocks of 8 rows × 8 samples) sums in sample order like referenceGradient: bit for bit. A
 * transfer's column read (AnalogIO.readColumn) involves no sum and equals referenceReadColumn bit for bit.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AIHWKIT_IO_DEFAULTS, AIHWKIT_PRESET_IO, AnalogIO, GradientWriter, IO_PRESETS, PERFECT_IO, PulsedUpdater, Rng, mvm, mvmBatch, mvmT, mvmTBatch, type IOConfig, type LayerGrad } from '../../../src/core/analog';
import { Products, products as sharedProducts, productsKind, useJavaScriptProducts } from '../../../src/core/analog/linalg/products';
import {
  float32SumBound,
  referenceBackward,
  referenceBackward32,
  referenceForward,
  referenceForward32,
  referenceGradient,
  referenceRead,
  referenceReadColumn,
  reorderedSumBound,
} from '../../../src/core/analog/reference';
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
  ['aihwkit preset (out_bound 20, out_noise 0.1)', AIHWKIT_PRESET_IO],
  ['weight and input noise, no noise management, tight output bound', { ...AIHWKIT_IO_DEFAULTS, wNoise: 0.02, inpNoise: 0.01, noiseManagement: 'none', outBound: 2 }],
  ['weight noise, no bound management', { ...AIHWKIT_IO_DEFAULTS, wNoise: 0.05, boundManagement: 'none', outBound: 3 }],
  ['continuous converters, noise-free (only the products)', { ...AIHWKIT_IO_DEFAULTS, inpRes: 0, outRes: 0, outNoise: 0 }],
];

/** An Rng that counts the blocks of normals drawn from it. */
class CountingRng extends Rng {
  blocks = 0;
  override fillGauss(out: number[] | Float64Array, count: number): void {
    this.blocks++;
    super.fillGauss(out, count);
  }
}

describe('reads through the IO non-idealities', () => {
  for (const [name, io] of NOISY_IO) {
    test(`${name}: bit for bit, the same draws`, () => {
      let reReads = 0;
      for (const [m, n] of SHAPES) {
        const rng = new Rng(7 * m + n, 1);
        // Weights large enough that some outputs saturate and bound management halves the input.
        const w = filled(m * n, rng).map((v) => Math.max(3, io.outBound / 4) * v);
        for (const transposed of [false, true]) {
          const kernel = new AnalogIO(io, new Rng(m + n, 5));
          const refRng = new CountingRng(m + n, 5);
          const inLen = transposed ? m : n;
          const outLen = transposed ? n : m;
          for (let r = 0; r < 5; r++) {
            const v = filled(inLen, rng);
            const out = new Float64Array(outLen);
            if (transposed) kernel.backward(w, m, n, v, 0, out, 0);
            else kernel.forward(w, m, n, v, 0, out, 0);
            const bm = !transposed && io.boundManagement === 'iterative';
            const blocks = refRng.blocks;
            const ref = referenceRead(io, w, m, n, v, transposed, bm, refRng);
            // A read draws one block of output noise (and one of input noise), more when bound management re-reads.
            if (refRng.blocks - blocks > (io.inpNoise > 0 ? 2 : 1)) reReads++;
            for (let k = 0; k < outLen; k++) assert.ok(Object.is(out[k], ref[k]), `${m}×${n}${transposed ? ' backward' : ''}: output ${k} is ${out[k]}, reference ${ref[k]}`);
          }
          assert.equal(kernel['rng'].nextU32(), refRng.nextU32(), 'both drew the same random numbers');
        }
      }
      if (io.boundManagement === 'iterative' && io.outRes > 0) assert.ok(reReads > 0, 'some reads went through bound management');
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

  test('perfect IO is the float32 product, within float32 rounding of the exact float64 one', () => {
    const rng = new Rng(3, 1);
    const w = filled(17 * 9, rng);
    const x = filled(9, rng);
    const out = new Float64Array(17);
    new AnalogIO(PERFECT_IO, new Rng(1, 5)).forward(w, 17, 9, x, 0, out, 0);
    const ref = referenceRead(PERFECT_IO, w, 17, 9, x, false, false, new Rng(1, 5));
    for (let k = 0; k < 17; k++) assert.ok(Object.is(out[k], ref[k]), `output ${k}`);
    const exact = referenceForward(w, 17, 9, x, 1);
    const sums = absSums(w, 17, 9, x, 1, false);
    for (let k = 0; k < 17; k++) assert.ok(Math.abs(out[k] - exact[k]) <= float32SumBound(9, sums[k]), `output ${k}: ${out[k]} vs exact ${exact[k]}`);
  });
});

/**
 * The float32 products of the reads (linalg/products.ts): the WebAssembly SIMD kernels and their JavaScript copy give
 * referenceForward32 / referenceBackward32 bit for bit, which lie within the float32 rounding bound of the exact
 * float64 sums (float32SumBound: inputs rounded to float32, then K products and sums at u = 2⁻²⁴).
 */
const PRODUCT_SHAPES: ReadonlyArray<readonly [number, number]> = [...SHAPES, [3, 7], [257, 129], [784, 256]];

/** A read of the products of an m×n tile on the inputs v, as a function of the weights (kernels, or their JavaScript copy when `js`). */
function products(m: number, n: number, v: Float32Array, batch: number, transposed: boolean, js: boolean): (w: Float32Array) => Float64Array {
  const p = js ? new Products(null) : sharedProducts();
  const outLen = transposed ? n : m;
  const buf = p.buffers(m, n, batch, transposed);
  return (w: Float32Array) => {
    buf.weights.set(w);
    buf.input.set(v);
    p.run(m, n, 0, batch, transposed);
    return Float64Array.from(buf.output.subarray(0, batch * outLen));
  };
}

describe('float32 products', () => {
  test(`the kernels run as WebAssembly SIMD here (${productsKind()})`, () => {
    assert.equal(productsKind(), 'wasm-simd', 'Node 20 has WebAssembly SIMD: the JavaScript copy should only run where it cannot be compiled');
  });

  for (const [m, n] of PRODUCT_SHAPES) {
    const big = m * n > 10000;
    for (const sparse of [false, true]) {
      test(`${m}×${n}, ${sparse ? '80 % zero inputs' : 'dense inputs'}: kernels = JavaScript copy = float32 reference, within float32 rounding of float64`, () => {
        const rng = new Rng(m * 31 + n, sparse ? 2 : 1);
        const w = filled(m * n, rng, 0);
        for (const batch of big ? [1, 10, 33] : [1, 2, 3, 10, 33]) {
          const x = filled(batch * n, rng, sparse ? 0.8 : 0);
          const d = filled(batch * m, rng, sparse ? 0.8 : 0);
          for (const transposed of [false, true]) {
            const v = transposed ? d : x;
            const ref32 = transposed ? referenceBackward32(w, m, n, v, batch) : referenceForward32(w, m, n, v, batch);
            const ref64 = transposed ? referenceBackward(w, m, n, v, batch) : referenceForward(w, m, n, v, batch);
            const sums = absSums(w, m, n, v, batch, transposed);
            const wasm = products(m, n, v, batch, transposed, false)(w);
            const js = big && batch > 1 ? wasm : products(m, n, v, batch, transposed, true)(w);
            const what = `batch ${batch}${transposed ? ' backward' : ' forward'}`;
            for (let k = 0; k < ref32.length; k++) {
              if (!Object.is(wasm[k], ref32[k])) assert.fail(`${what}: kernel output ${k} is ${wasm[k]}, float32 reference ${ref32[k]}`);
              if (!Object.is(js[k], ref32[k])) assert.fail(`${what}: JavaScript output ${k} is ${js[k]}, float32 reference ${ref32[k]}`);
              const bound = float32SumBound(transposed ? m : n, sums[k]);
              if (!(Math.abs(wasm[k] - ref64[k]) <= bound)) assert.fail(`${what}: output ${k} is ${wasm[k]}, float64 ${ref64[k]} (bound ${bound.toExponential(2)})`);
            }
          }
        }
      });
    }
  }

  test("the kernels' DAC and ADC round as Math.round does: ties up, −0 for −0.5 ≤ t < 0, near-halves", () => {
    const crafted = [0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999997, -0.49999997, -0.50000006, 0, -0, -1, -0.99999994, 8388607.5, -8388607.5, 1e-30, -1e-30];
    const rng = new Rng(11, 1);
    const random = Array.from({ length: 4000 }, () => (rng.uniform() - 0.5) * 40);
    const ys = Float32Array.from([...crafted, ...random]);
    const len = ys.length;
    for (const step of [1, 0.1, 24 / 510, 2 / 126]) {
      const st = { absMax: false, inStep: step, inBound: 1e30, outStep: step, outBound: 1e30 };
      for (const p of [sharedProducts(), new Products(null)]) {
        // An m×1 tile's outputs go through the ADC, a 1×n tile's inputs through the DAC.
        const out = p.buffers(len, 1, 1, false);
        out.output.set(ys);
        p.outputs(0, 0, 0, 0, 1, st);
        const adc = Float64Array.from(out.results.subarray(0, len));
        const inp = p.buffers(1, len, 1, false);
        inp.values.set(ys);
        p.quantizeRow(0, 0, 1, st);
        for (let k = 0; k < len; k++) {
          const expected = Math.round(ys[k] / step) * step;
          if (!Object.is(adc[k], expected)) assert.fail(`${p.kind}, step ${step}: ADC of ${ys[k]} is ${adc[k]}, Math.round gives ${expected}`);
          const dac = ys[k] === 0 ? 0 : Math.fround(expected);
          if (!Object.is(inp.input[k], dac)) assert.fail(`${p.kind}, step ${step}: DAC of ${ys[k]} is ${inp.input[k]}, Math.round gives ${dac}`);
        }
      }
    }
  });

  test('one weight moved by one float32 ulp changes a kernel output', () => {
    const rng = new Rng(5, 1);
    const [m, n, batch] = [17, 9, 10];
    const w = filled(m * n, rng, 0);
    const x = filled(batch * n, rng, 0);
    const read = products(m, n, x, batch, false, false);
    const y = read(w);
    const bumped = Float32Array.from(w);
    bumped[3 * n + 4] = Math.fround(bumped[3 * n + 4] * (1 + 2 ** -22));
    const y2 = read(bumped);
    assert.ok(Array.from(y2).some((v, k) => !Object.is(v, y[k])), 'the bit-for-bit comparison sees the change');
  });
});

/**
 * forwardBatch / backwardBatch against forward / backward row by row: the same bits and the same random draws, for
 * every IO preset and management mode, odd shapes, batches of 1, 10 and 33, dense and sparse inputs.
 */
const BATCH_IO: Array<[string, IOConfig]> = [
  ...Object.entries(IO_PRESETS).map(([id, io]) => [id, io] as [string, IOConfig]),
  ['aihwkit, no noise management', { ...AIHWKIT_IO_DEFAULTS, noiseManagement: 'none' }],
  ['aihwkit, no bound management', { ...AIHWKIT_IO_DEFAULTS, boundManagement: 'none' }],
  ['aihwkit, tight output bound (bound management re-reads)', { ...AIHWKIT_IO_DEFAULTS, outBound: 1.5 }],
  ['aihwkit with input and weight noise', { ...AIHWKIT_IO_DEFAULTS, inpNoise: 0.02, wNoise: 0.03, outBound: 2 }],
];

describe('batched reads equal reads row by row', () => {
  for (const [name, io] of BATCH_IO) {
    test(`${name}: bit for bit, the same draws`, () => {
      let saturatedRows = 0;
      for (const [m, n] of [[1, 1], [3, 7], [257, 129], [784, 256]] as const) {
        const rng = new Rng(m + 3 * n, 9);
        const w = filled(m * n, rng, 0).map((v) => (1.5 * v) / Math.sqrt(Math.max(1, n / 16)));
        for (const batch of [1, 10, 33]) {
          for (const sparse of [false, true]) {
            for (const transposed of [false, true]) {
              const inLen = transposed ? m : n;
              const outLen = transposed ? n : m;
              const v = Float64Array.from(filled(batch * inLen, rng, sparse ? 0.8 : 0));
              // One all-zero row, which reads 0 without drawing.
              if (batch > 2) v.fill(0, inLen, 2 * inLen);
              const batched = new AnalogIO(io, new Rng(batch, 5));
              const single = new AnalogIO(io, new Rng(batch, 5));
              const yb = new Float64Array(batch * outLen);
              const ys = new Float64Array(batch * outLen);
              if (transposed) batched.backwardBatch(w, m, n, v, batch, yb);
              else batched.forwardBatch(w, m, n, v, batch, yb);
              for (let b = 0; b < batch; b++) {
                if (transposed) single.backward(w, m, n, v, b * inLen, ys, b * outLen);
                else single.forward(w, m, n, v, b * inLen, ys, b * outLen);
              }
              const what = `${m}×${n}, batch ${batch}, ${sparse ? 'sparse' : 'dense'}${transposed ? ', backward' : ''}`;
              for (let k = 0; k < yb.length; k++) if (!Object.is(yb[k], ys[k])) assert.fail(`${what}: output ${k} is ${yb[k]} batched, ${ys[k]} row by row`);
              assert.equal(batched['rng'].nextU32(), single['rng'].nextU32(), `${what}: the same draws`);
              if (!transposed && !io.isPerfect) for (let k = 0; k < yb.length; k++) if (Math.abs(yb[k]) >= io.outBound) saturatedRows++;
            }
          }
        }
      }
      if (name.includes('re-reads')) assert.ok(saturatedRows > 0, 'bound management re-read some rows');
    });
  }

  test('the JavaScript copy of the kernels reads the same bits with the same draws', () => {
    const read = (io: IOConfig, m: number, n: number, v: Float64Array, batch: number, transposed: boolean): Float64Array => {
      const out = new Float64Array(batch * (transposed ? n : m));
      const rng = new Rng(batch, 5);
      const w = filled(m * n, new Rng(m, n), 0).map((x) => (2 * x) / Math.sqrt(n / 16));
      if (transposed) new AnalogIO(io, rng).backwardBatch(w, m, n, v, batch, out);
      else new AnalogIO(io, rng).forwardBatch(w, m, n, v, batch, out);
      return Float64Array.from([...out, rng.nextU32()]);
    };
    for (const [, io] of BATCH_IO) {
      for (const [m, n, batch] of [[3, 7, 10], [257, 129, 33]] as const) {
        for (const transposed of [false, true]) {
          const v = Float64Array.from(filled(batch * (transposed ? m : n), new Rng(n, m), 0.5));
          const kernels = read(io, m, n, v, batch, transposed);
          useJavaScriptProducts(true);
          let js: Float64Array;
          try {
            assert.equal(productsKind(), 'javascript');
            js = read(io, m, n, v, batch, transposed);
          } finally {
            useJavaScriptProducts(false);
          }
          for (let k = 0; k < kernels.length; k++) if (!Object.is(js[k], kernels[k])) assert.fail(`${m}×${n}${transposed ? ' backward' : ''}: value ${k} is ${js[k]} in JavaScript, ${kernels[k]} in WebAssembly`);
        }
      }
    }
  });

  test('a float32 batch reads as the same values in float64', () => {
    const rng = new Rng(2, 9);
    const [m, n, batch] = [17, 9, 10];
    const w = filled(m * n, rng, 0);
    const x32 = filled(batch * n, rng, 0.3);
    const y32 = new Float32Array(batch * m);
    const y64 = new Float64Array(batch * m);
    new AnalogIO(AIHWKIT_IO_DEFAULTS, new Rng(1, 5)).forwardBatch(w, m, n, x32, batch, y32);
    new AnalogIO(AIHWKIT_IO_DEFAULTS, new Rng(1, 5)).forwardBatch(w, m, n, Float64Array.from(x32), batch, y64);
    for (let k = 0; k < y64.length; k++) assert.equal(y32[k], Math.fround(y64[k]));
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
