/**
 * Loading data sets from disk for the simulator (Node only; the core takes parsed arrays). `src/node/` holds the
 * Node-side code that both the CLI and the worker need, so neither imports the other: `lim-lens simulate` and the
 * worker's simulations both read the bundled digits through here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatasetError, parseCsvDataset, type Dataset } from '../core/analog';

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
