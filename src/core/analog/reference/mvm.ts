/**
 * Reference matrix-vector products of a tile with perfect IO, as plain sums: the forward read y = W·x and the
 * backward read z = Wᵀ·d of a row-major m×n matrix, each output summed from 0 over its terms in index order in
 * float64. The blocked kernels of ../io.ts must equal these, bit for bit where their doc comment says so. The
 * float32 products of the reads (../linalg/products.ts) have their own reference below, in their summation order.
 */
import { plainProduct } from '../linalg/plain';

/** y[b·m + i] = Σ_j w[i·n + j]·x[b·n + j], summed in increasing j, for `batch` samples. */
export function referenceForward(w: ArrayLike<number>, m: number, n: number, x: ArrayLike<number>, batch: number): Float64Array {
  return plainProduct(x, n, 1, w, n, 1, batch, m, n);
}

/** z[b·n + j] = Σ_i w[i·n + j]·d[b·m + i], summed in increasing i, for `batch` samples. */
export function referenceBackward(w: ArrayLike<number>, m: number, n: number, d: ArrayLike<number>, batch: number): Float64Array {
  return plainProduct(d, m, 1, w, 1, n, batch, n, m);
}

/**
 * The rounding error bound of a sum of products taken in another order: |Σ̂ − Σ| ≤ γ_K·Σ|w·x| with γ_K = K·u/(1 − K·u),
 * u = 2⁻⁵³, for K terms (Higham, Accuracy and Stability of Numerical Algorithms, §3.1); twice that bounds the
 * difference of two orders.
 */
export function reorderedSumBound(terms: number, sumAbs: number): number {
  const u = 2 ** -53;
  const gamma = (terms * u) / (1 - terms * u);
  return 2 * gamma * sumAbs;
}

/**
 * The mini-batch gradient of a tile, G[i·n + j] = Σ_b d[b·m + i]·x[b·n + j], summed in increasing b from 0 in
 * float64: what the expected mode writes (times −lr). GradientWriter's blocked kernel must equal it bit for bit.
 */
export function referenceGradient(x: ArrayLike<number>, d: ArrayLike<number>, m: number, n: number, batch: number): Float64Array {
  return plainProduct(d, 1, m, x, 1, n, m, n, batch);
}

const f32 = Math.fround;

/**
 * The float32 forward products of an analog read, one output at a time: inputs rounded to float32; four lanes,
 * lane l summing w_ij·x_j over the columns j ≡ l (mod 4) below n − n mod 4 in increasing j; then (l0 + l1) +
 * (l2 + l3); then the last n mod 4 columns in order; every product and every sum rounded to float32.
 */
export function referenceForward32(w: ArrayLike<number>, m: number, n: number, x: ArrayLike<number>, batch: number): Float64Array {
  const out = new Float64Array(batch * m);
  const n4 = n - (n % 4);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < m; i++) {
      const lanes = [0, 0, 0, 0];
      for (let j = 0; j < n4; j++) lanes[j % 4] = f32(lanes[j % 4] + f32(f32(w[i * n + j]) * f32(x[b * n + j])));
      let s = f32(f32(lanes[0] + lanes[1]) + f32(lanes[2] + lanes[3]));
      for (let j = n4; j < n; j++) s = f32(s + f32(f32(w[i * n + j]) * f32(x[b * n + j])));
      out[b * m + i] = s;
    }
  }
  return out;
}

/** The float32 backward products of an analog read: z_bj = Σ_i w_ij·d_bi from 0 in increasing i, inputs, products and sums rounded to float32. */
export function referenceBackward32(w: ArrayLike<number>, m: number, n: number, d: ArrayLike<number>, batch: number): Float64Array {
  const out = new Float64Array(batch * n);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s = f32(s + f32(f32(w[i * n + j]) * f32(d[b * m + i])));
      out[b * n + j] = s;
    }
  }
  return out;
}

/**
 * The rounding error bound of a float32 sum of K products of float32-rounded inputs, against the exact float64
 * sum of the unrounded ones: each input carries a relative error ≤ u, each product and sum adds γ_K (Higham §3.1),
 * u = 2⁻²⁴: |ŝ − s| ≤ (2u + γ_{K+1})·Σ|w·x|, with γ_K = K·u/(1 − K·u).
 */
export function float32SumBound(terms: number, sumAbs: number): number {
  const u = 2 ** -24;
  const gamma = ((terms + 1) * u) / (1 - (terms + 1) * u);
  return (2 * u + gamma) * sumAbs * (1 + 1e-12);
}
