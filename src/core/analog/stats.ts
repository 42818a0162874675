/**
 * Weight statistics of a tile at the end of a run: moments and the saturation histogram |w|/bound (|w|/τ for
 * the soft-bounds device), the quantity behind Analog SGD's asymptotic error (docs/analog.md, section 1).
 */
import type { AnalogTile } from './tile';

export const SATURATION_BINS = 20;

export interface WeightStats {
  name: string;
  layer: number;
  rows: number;
  cols: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  meanAbs: number;
  /** Counts of |w|/bound in SATURATION_BINS equal bins over [0, 1] (values above 1 fall in the last). */
  saturationHistogram: number[];
  /** Fraction of weights with |w|/bound ≥ 0.9. */
  fractionSaturated: number;
  /** Mean of (|w|/bound)². */
  meanSaturationSq: number;
}

export function weightStats(name: string, layer: number, rows: number, cols: number, w: Float32Array, bound: (i: number, v: number) => number): WeightStats {
  const hist = new Array<number>(SATURATION_BINS).fill(0);
  let sum = 0;
  let sum2 = 0;
  let sumAbs = 0;
  let min = Infinity;
  let max = -Infinity;
  let sat = 0;
  let satSq = 0;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const v = w[i];
    sum += v;
    sum2 += v * v;
    sumAbs += Math.abs(v);
    if (v < min) min = v;
    if (v > max) max = v;
    const b = bound(i, v);
    const s = b > 0 ? Math.abs(v) / b : 0;
    satSq += s * s;
    if (s >= 0.9) sat++;
    hist[Math.min(SATURATION_BINS - 1, Math.floor(s * SATURATION_BINS))]++;
  }
  const mean = n ? sum / n : 0;
  return {
    name,
    layer,
    rows,
    cols,
    mean,
    std: n ? Math.sqrt(Math.max(0, sum2 / n - mean * mean)) : 0,
    min: n ? min : 0,
    max: n ? max : 0,
    meanAbs: n ? sumAbs / n : 0,
    saturationHistogram: hist,
    fractionSaturated: n ? sat / n : 0,
    meanSaturationSq: n ? satSq / n : 0,
  };
}

export function tileStats(name: string, layer: number, tile: AnalogTile): WeightStats {
  return weightStats(name, layer, tile.rows, tile.cols, tile.w, (i, v) => (v >= 0 ? tile.upper(i) : -tile.lower(i)));
}
