/**
 * The IDX format of the MNIST database (LeCun, Cortes & Burges), what users have on disk as
 * train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte:
 *
 *   bytes 0–1  zero
 *   byte  2    element type (0x08 unsigned byte; 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64)
 *   byte  3    number of dimensions
 *   then       one big-endian uint32 per dimension, then the elements, row-major.
 *
 * MNIST's images have the magic number 0x00000803 (unsigned bytes, 3 dimensions: count × rows × columns) and its
 * labels 0x00000801 (unsigned bytes, 1 dimension: count). Pure: the caller reads the bytes (and gunzips them; a
 * gzip stream is recognised here and refused with a message saying so). The parsed arrays are views into the
 * given bytes: nothing is allocated from what a header claims, and the claimed sizes must match the byte length
 * exactly, so a header claiming 2 GB in a 1 KB file is an error, not an allocation.
 */
import { formatInteger } from '../units/format';

export class IdxError extends Error {
  constructor(
    /** The file, as the caller named it. */
    readonly file: string,
    /** The header field or part at fault: 'magic number', 'element type', 'dimension 2 (rows)', 'data', … */
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field}: ${detail}`);
    this.name = 'IdxError';
  }
}

/** IDX element types by their type byte. Only unsigned bytes are read; the others are named in the message. */
const ELEMENT_TYPES: Readonly<Record<number, string>> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

/** Images at most this many pixels wide or high (MNIST's are 28; EMNIST's 28; a 4,096-pixel side is already absurd). */
export const IDX_MAX_SIDE = 4096;

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols pixels (0–255), row-major: a view into the parsed bytes. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  count: number;
  /** A view into the parsed bytes. */
  labels: Uint8Array;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** True when the bytes start with the gzip magic (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads the header; checks the magic's zero bytes, the element type, the rank, and the sizes against the byte length. */
function parseHeader(bytes: Uint8Array, file: string, want: { magic: number; what: string; dimNames: readonly string[] }): number[] {
  if (isGzip(bytes)) {
    throw new IdxError(file, 'format', 'the file is gzip-compressed (it starts with the gzip bytes 1f 8b); decompress it first (gunzip) or let the loader do it');
  }
  if (bytes.length < 4) throw new IdxError(file, 'magic number', `the file is ${bytes.length} bytes long; an IDX header needs at least 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(file, 'magic number', `${hex(magic)} is not IDX (an IDX file starts with two zero bytes); expected ${hex(want.magic)} for ${want.what}`);
  }
  const type = bytes[2];
  const rank = bytes[3];
  if (type !== 0x08) {
    const name = ELEMENT_TYPES[type];
    throw new IdxError(
      file,
      'element type',
      name ? `0x${type.toString(16).padStart(2, '0')} (${name}) is not supported; MNIST ${want.what} are unsigned bytes (0x08)` : `0x${type.toString(16).padStart(2, '0')} is not an IDX element type`,
    );
  }
  if (magic !== want.magic) {
    throw new IdxError(file, 'magic number', `${hex(magic)} has ${rank} dimension${rank === 1 ? '' : 's'}; ${want.what} have ${want.dimNames.length} (${hex(want.magic)})`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new IdxError(file, 'header', `the file is ${bytes.length} bytes long, shorter than its ${headerBytes}-byte header (${rank} dimensions): truncated`);
  }
  const dims: number[] = [];
  for (let k = 0; k < rank; k++) {
    const d = view.getUint32(4 + 4 * k, false);
    if (d === 0) throw new IdxError(file, `dimension ${k + 1} (${want.dimNames[k]})`, 'is 0: the file holds no data');
    dims.push(d);
  }
  // At most three uint32 factors: exact as a double up to 2⁵³ and far beyond any byte length past that.
  const claimed = dims.reduce((a, b) => a * b, 1);
  const held = bytes.length - headerBytes;
  if (claimed !== held) {
    const shape = dims.map(formatInteger).join(' × ');
    throw new IdxError(
      file,
      'data',
      claimed > held
        ? `the header claims ${shape} = ${formatInteger(claimed)} bytes of ${want.what}, the file holds ${formatInteger(held)} after the header: truncated, or not this file's header`
        : `the header claims ${shape} = ${formatInteger(claimed)} bytes of ${want.what}, the file holds ${formatInteger(held)} after the header: ${formatInteger(held - claimed)} bytes too many`,
    );
  }
  return dims;
}

/** An IDX images file (magic 0x00000803: count × rows × columns unsigned bytes). */
export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  const dimNames = ['count', 'rows', 'columns'] as const;
  // The sides are checked before the byte count, so an absurd header is named for what is absurd in it.
  if (bytes.length >= 16 && !isGzip(bytes) && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08 && bytes[3] === 3) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const k of [1, 2]) {
      const side = view.getUint32(4 + 4 * k, false);
      if (side > IDX_MAX_SIDE) throw new IdxError(file, `dimension ${k + 1} (${dimNames[k]})`, `${formatInteger(side)} pixels; at most ${formatInteger(IDX_MAX_SIDE)} are read`);
    }
  }
  const [count, rows, cols] = parseHeader(bytes, file, { magic: IDX_IMAGES_MAGIC, what: 'images', dimNames });
  return { count, rows, cols, pixels: bytes.subarray(16, 16 + count * rows * cols) };
}

/** An IDX labels file (magic 0x00000801: count unsigned bytes). */
export function parseIdxLabels(bytes: Uint8Array, file: string): IdxLabels {
  const [count] = parseHeader(bytes, file, { magic: IDX_LABELS_MAGIC, what: 'labels', dimNames: ['count'] });
  return { count, labels: bytes.subarray(8, 8 + count) };
}

/** The kind of an IDX file from its first four bytes, or undefined when they are not an IDX unsigned-byte header. */
export function idxKind(bytes: Uint8Array): 'images' | 'labels' | undefined {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08) return undefined;
  return bytes[3] === 3 ? 'images' : bytes[3] === 1 ? 'labels' : undefined;
}

/**
 * The usual MNIST file names (also EMNIST's and Fashion-MNIST's): train-images-idx3-ubyte, t10k-labels-idx1-ubyte,
 * the Kaggle spelling train-images.idx3-ubyte, each optionally ending in .gz. Case-insensitive.
 */
const MNIST_NAME = /^(?<prefix>.*?)(?<part>train|t10k|test)-(?<kind>images|labels)[-.](?<idx>idx[13])-ubyte(?<gz>\.gz)?$/i;

export interface MnistName {
  part: 'train' | 'test';
  kind: 'images' | 'labels';
}

/** What a file name says it is, by the usual MNIST names; undefined for any other name. */
export function mnistFileName(name: string): MnistName | undefined {
  const m = MNIST_NAME.exec(name);
  if (!m?.groups) return undefined;
  const kind = m.groups.kind.toLowerCase() as 'images' | 'labels';
  if ((kind === 'images') !== (m.groups.idx.toLowerCase() === 'idx3')) return undefined;
  return { part: m.groups.part.toLowerCase() === 'train' ? 'train' : 'test', kind };
}

/**
 * The labels file that goes with an images file by the usual names (train-images-idx3-ubyte → train-labels-idx1-ubyte,
 * the same spelling, case and compression), or undefined when the name is not one of them.
 */
export function labelsNameFor(imagesName: string): string | undefined {
  if (mnistFileName(imagesName)?.kind !== 'images') return undefined;
  const prefix = MNIST_NAME.exec(imagesName)!.groups!.prefix;
  const rest = imagesName
    .slice(prefix.length)
    .replace(/images/i, (w) => (w === 'IMAGES' ? 'LABELS' : 'labels'))
    .replace(/idx3/i, (w) => (w === 'IDX3' ? 'IDX1' : 'idx1'));
  return prefix + rest;
}

export interface MnistFiles {
  train: { images: string; labels: string };
  test?: { images: string; labels: string };
}

/**
 * Pairs the files of a folder by the usual MNIST names: the training images with their labels, and the t10k (test)
 * images with theirs when both are there. Where a name is there both plain and gzipped, the plain file is taken.
 * Throws with the names that are missing, or that are there more than once in different spellings.
 */
export function pairMnistFiles(names: readonly string[], folder: string): MnistFiles {
  const found: Record<string, string[]> = {};
  for (const n of [...names].sort()) {
    const what = mnistFileName(n);
    if (what) (found[`${what.part}-${what.kind}`] ??= []).push(n);
  }
  const pick = (key: string): string | undefined => {
    const list = found[key];
    if (!list) return undefined;
    const plain = list.filter((n) => !/\.gz$/i.test(n));
    const choice = plain.length > 0 ? plain : list;
    if (choice.length > 1) throw new IdxError(folder, key, `more than one file: ${choice.join(', ')}; keep one or name the images file itself`);
    return choice[0];
  };
  const trainImages = pick('train-images');
  const trainLabels = pick('train-labels');
  const testImages = pick('test-images');
  const testLabels = pick('test-labels');
  if (!trainImages || !trainLabels) {
    const missing = [!trainImages && 'train-images-idx3-ubyte', !trainLabels && 'train-labels-idx1-ubyte'].filter(Boolean).join(' and ');
    throw new IdxError(folder, 'files', `no ${missing} (gzipped or not) in the folder; MNIST's files are train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte`);
  }
  if (!!testImages !== !!testLabels) {
    throw new IdxError(folder, 'files', `${testImages ?? testLabels} is there without its ${testImages ? 'labels' : 'images'} (t10k-${testImages ? 'labels-idx1' : 'images-idx3'}-ubyte)`);
  }
  return { train: { images: trainImages, labels: trainLabels }, test: testImages && testLabels ? { images: testImages, labels: testLabels } : undefined };
}

/** Largest number of pixel values turned into a table (256 MB as Float32; all 70,000 MNIST digits are 54.9 M). */
export const IDX_MAX_VALUES = 2 ** 26;

export interface IdxTable {
  /** rows × cols pixels scaled to [0, 1] (value / 255), row-major. */
  x: Float32Array;
  y: Uint8Array;
  rows: number;
  cols: number;
  /** Largest label + 1. */
  classes: number;
  /** Row indices of each part, when a test part was given: the training rows first, then the test rows. */
  split?: { train: Uint32Array; test: Uint32Array };
}

/**
 * One table from parsed images and labels: the training part, and the test part after it when given (then `split`
 * says which rows are which). Counts must agree per part, image sizes across parts.
 */
export function idxTable(train: { images: IdxImages; labels: IdxLabels; imagesFile: string; labelsFile: string }, test?: { images: IdxImages; labels: IdxLabels; imagesFile: string; labelsFile: string }): IdxTable {
  const parts = test ? [train, test] : [train];
  for (const p of parts) {
    if (p.images.count !== p.labels.count) {
      throw new IdxError(p.labelsFile, 'dimension 1 (count)', `${formatInteger(p.labels.count)} labels for the ${formatInteger(p.images.count)} images of ${p.imagesFile}`);
    }
  }
  if (test && (test.images.rows !== train.images.rows || test.images.cols !== train.images.cols)) {
    throw new IdxError(test.imagesFile, 'dimensions 2–3 (rows × columns)', `${test.images.rows} × ${test.images.cols} pixels where ${train.imagesFile} has ${train.images.rows} × ${train.images.cols}`);
  }
  const cols = train.images.rows * train.images.cols;
  const rows = parts.reduce((a, p) => a + p.images.count, 0);
  if (rows * cols > IDX_MAX_VALUES) {
    throw new IdxError(train.imagesFile, 'data', `${formatInteger(rows)} images of ${formatInteger(cols)} pixels are ${formatInteger(rows * cols)} values; at most ${formatInteger(IDX_MAX_VALUES)} are read`);
  }
  const x = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  let at = 0;
  let classes = 0;
  for (const p of parts) {
    const px = p.images.pixels;
    for (let k = 0; k < px.length; k++) x[at * cols + k] = px[k] / 255;
    y.set(p.labels.labels, at);
    for (const l of p.labels.labels) if (l + 1 > classes) classes = l + 1;
    at += p.images.count;
  }
  if (classes < 2) throw new IdxError(train.labelsFile, 'labels', 'every label is 0; a classifier needs at least two classes');
  const nTrain = train.images.count;
  const split = test ? { train: Uint32Array.from({ length: nTrain }, (_, i) => i), test: Uint32Array.from({ length: rows - nTrain }, (_, i) => nTrain + i) } : undefined;
  return { x, y, rows, cols, classes, split };
}
