import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DatasetError, Rng, defaultSimulationConfig, parseCsvDataset, runSimulation, splitIndices, withParam, type AlgorithmKind } from '../../../src/core/analog';
import { loadDigits } from '../../../src/node/data';

describe('CSV data (pure parser)', () => {
  test('header, string labels, separators and comments', () => {
    const ds = parseCsvDataset('# comment\nlen;width;kind\n1.5;2;cat\n3;4.25;dog\n5;6;cat\n', { name: 't' });
    assert.deepEqual([ds.rows, ds.cols, ds.classes], [3, 2, 2]);
    assert.deepEqual(Array.from(ds.x), [1.5, 2, 3, 4.25, 5, 6]);
    assert.deepEqual(Array.from(ds.y), [0, 1, 0]);
    const byName = parseCsvDataset('kind,a,b\nx,1,2\ny,3,4\n', { labelColumn: 'kind' });
    assert.deepEqual(Array.from(byName.x), [1, 2, 3, 4]);
    const noHeader = parseCsvDataset('1,2,0\n3,4,1\n');
    assert.equal(noHeader.rows, 2);
  });

  test('clear errors for bad data', () => {
    assert.throws(() => parseCsvDataset(''), DatasetError);
    assert.throws(() => parseCsvDataset('1,2,0\n3,x,1\n'), /row 2, column 2: "x" is not a number/);
    assert.throws(() => parseCsvDataset('1,2,0\n3,4\n'), /row 2 has 2 columns, expected 3/);
    assert.throws(() => parseCsvDataset('1,2,0\n3,4,0\n'), /single class/);
    assert.throws(() => parseCsvDataset('a,b\n1,0\n', { labelColumn: 'c' }), /no column named "c"/);
  });

  test('seeded train/test split is a partition', () => {
    const { train, test: held } = splitIndices(100, 0.25, new Rng(3));
    assert.equal(held.length, 25);
    assert.deepEqual([...train, ...held].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('MLP on the bundled UCI digits (the paper’s FCN recipe scaled down)', () => {
  const digits = loadDigits();

  test('the bundled data set: 1,797 rows of 64 pixels, 10 classes', () => {
    assert.deepEqual([digits.rows, digits.cols, digits.classes], [1797, 64, 10]);
    assert.match(digits.source!, /CC BY 4\.0/);
  });

  // 15 of the default 30 epochs keep the suite short; the ordering is already clear (docs/analog.md has 30).
  test('τ = 1: Tiki-Taka within 1 % of digital SGD, Analog SGD far below (15 epochs, seed 1)', () => {
    const acc = (alg: AlgorithmKind) => {
      const c = withParam(defaultSimulationConfig('mlp-digits', alg), 'epochs', 15);
      const r = runSimulation(c, {}, digits);
      assert.equal(r.curve.length, 15);
      assert.ok(r.curve.every((p) => p.accuracy !== undefined && p.epoch !== undefined));
      assert.equal(r.derived.trainSize! + r.derived.testSize!, 1797);
      return r.final.accuracy!;
    };
    const sgd = acc('sgd');
    const tt = acc('tiki-taka');
    const asgd = acc('analog-sgd');
    assert.ok(sgd > 0.9, `digital SGD ${sgd}`);
    assert.ok(tt >= sgd - 0.01, `Tiki-Taka ${tt} vs digital ${sgd}`);
    assert.ok(asgd < sgd - 0.1, `Analog SGD ${asgd} should be visibly below digital ${sgd}`);
  });
});
