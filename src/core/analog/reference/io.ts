/**
 * Reference of an analog read through aihwkit's IO non-idealities, one value at a time: the forward read y = W·x
 * or the backward read z = Wᵀ·d of a tile, with noise management, the DAC, input noise, the MVM (in float32, as
 * aihwkit computes it: referenceForward32 / referenceBackward32), weight read noise, output noise, the ADC, output
 * bounds and iterative bound management. Noise values are the generator's standard normals, drawn as blocks of its
 * Ziggurat (Rng.fillGauss, whose values depend on the block's length): one for a read's input noise, then one for
 * its outputs (two values per output, in output order, when both weight and output noise apply). AnalogIO (../io.ts)
 * must equal it bit for bit, read by read and batch by batch.
 */
import type { IOConfig } from '../io';
import type { Rng } from '../rng';
import { referenceBackward32, referenceForward32 } from './mvm';

/** The next `count` standard normals of `rng`, drawn as one block. */
function block(rng: Rng, count: number): Float64Array {
  const g = new Float64Array(count);
  if (count > 0) rng.fillGauss(g, count);
  return g;
}

/** v rounded to the nearest multiple of `step` (no rounding for step 0). */
function quantize(v: number, step: number): number {
  return step > 0 ? Math.round(v / step) * step : v;
}

/**
 * One read of `v` (length n forward, m when `transposed`) through `c`:
 * 1. noise management: s = 1/max|v| (abs-max) or 1; an all-zero input reads 0 without drawing;
 * 2. for the bound-management factor f = 1, 2, 4, …: every input x = clip(quantize(v·s/f, inpRes·2·inpBound),
 *    ±inpBound) + inpNoise·ξ (in index order); the float32 MVM of those; then per output, in index order,
 *    y + wNoise·‖x‖₂·ξ + outNoise·ξ (each term drawn only when its factor is > 0), quantised to outRes·2·outBound
 *    and clipped to ±outBound;
 * 3. with iterative bound management (`bm`), while an output reached ±outBound and 2f is within both maxBmFactor
 *    and maxBmRes/inpRes, repeat with 2f (fresh draws);
 * 4. the outputs divided by s/f.
 * With `isPerfect` the read is the float32 MVM alone.
 */
export function referenceRead(c: IOConfig, w: ArrayLike<number>, m: number, n: number, v: ArrayLike<number>, transposed: boolean, bm: boolean, rng: Rng): Float64Array {
  const mvm = (x: ArrayLike<number>) => (transposed ? referenceBackward32(w, m, n, x, 1) : referenceForward32(w, m, n, x, 1));
  if (c.isPerfect) return mvm(v);
  const inLen = transposed ? m : n;
  const outLen = transposed ? n : m;
  let vMax = 0;
  for (let k = 0; k < inLen; k++) vMax = Math.max(vMax, Math.abs(v[k]));
  if (vMax === 0) return new Float64Array(outLen);
  const nm = c.noiseManagement === 'abs-max' ? 1 / vMax : 1;
  const inStep = c.inpRes * 2 * c.inpBound;
  const outStep = c.outRes * 2 * c.outBound;
  for (let factor = 1; ; factor *= 2) {
    const s = nm / factor;
    const x = new Float64Array(inLen);
    const inNoise = block(rng, c.inpNoise > 0 ? inLen : 0);
    let norm2 = 0;
    for (let k = 0; k < inLen; k++) {
      const q = quantize(v[k] * s, inStep);
      x[k] = (q > c.inpBound ? c.inpBound : q < -c.inpBound ? -c.inpBound : q) + (c.inpNoise > 0 ? c.inpNoise * inNoise[k] : 0);
      norm2 += x[k] * x[k];
    }
    const y = mvm(x);
    const wn = c.wNoise * Math.sqrt(norm2);
    const outNoise = block(rng, outLen * ((wn > 0 ? 1 : 0) + (c.outNoise > 0 ? 1 : 0)));
    let q = 0;
    let saturated = false;
    for (let k = 0; k < outLen; k++) {
      let out = y[k];
      if (wn > 0) out += wn * outNoise[q++];
      if (c.outNoise > 0) out += c.outNoise * outNoise[q++];
      out = quantize(out, outStep);
      if (Math.abs(out) >= c.outBound) {
        saturated = true;
        out = out > 0 ? c.outBound : -c.outBound;
      }
      y[k] = out;
    }
    const resLimit = c.inpRes > 0 ? c.maxBmRes / c.inpRes : Infinity;
    if (!bm || !saturated || 2 * factor > c.maxBmFactor || 2 * factor > resLimit) return y.map((out) => out / s);
  }
}

/**
 * Column j of W as a transfer reads it, a forward read of the one-hot input e_j without noise or bound management:
 * x = min(quantize(1, inpRes·2·inpBound), inpBound) + inpNoise·ξ, then per row i in order y = w_ij·x + wNoise·|x|·ξ
 * + outNoise·ξ (each drawn only when its factor is > 0; the input's ξ one block, the outputs' another), quantised to outRes·2·outBound and clipped to ±outBound.
 * With `isPerfect`, the column itself.
 */
export function referenceReadColumn(c: IOConfig, w: ArrayLike<number>, m: number, n: number, j: number, rng: Rng): Float64Array {
  const out = new Float64Array(m);
  if (c.isPerfect) {
    for (let i = 0; i < m; i++) out[i] = w[i * n + j];
    return out;
  }
  const x = Math.min(quantize(1, c.inpRes * 2 * c.inpBound), c.inpBound) + (c.inpNoise > 0 ? c.inpNoise * block(rng, 1)[0] : 0);
  const noise = block(rng, m * ((c.wNoise > 0 ? 1 : 0) + (c.outNoise > 0 ? 1 : 0)));
  let q = 0;
  for (let i = 0; i < m; i++) {
    let y = w[i * n + j] * x;
    if (c.wNoise > 0) y += c.wNoise * Math.abs(x) * noise[q++];
    if (c.outNoise > 0) y += c.outNoise * noise[q++];
    y = quantize(y, c.outRes * 2 * c.outBound);
    out[i] = y > c.outBound ? c.outBound : y < -c.outBound ? -c.outBound : y;
  }
  return out;
}
