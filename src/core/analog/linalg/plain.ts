/**
 * The plain float64 matrix product, every output one sum from 0 over its terms in increasing order: what the
 * reference reads and gradient (../reference/mvm.ts) are defined by, and what the experiments use where they need a
 * product once (least squares' targets and its Hessian's linear term). The strides say how each operand is laid out,
 * so the same loop serves W·x, Wᵀ·d and Σ_b d_b·x_bᵀ without copying a transpose.
 */

/**
 * out[r·cols + c] = Σ_k a[r·aRow + k·aStep]·b[c·bCol + k·bStep] for r < rows, c < cols, summed in increasing k from
 * 0 over `terms` terms, in float64.
 */
export function plainProduct(
  a: ArrayLike<number>,
  aRow: number,
  aStep: number,
  b: ArrayLike<number>,
  bCol: number,
  bStep: number,
  rows: number,
  cols: number,
  terms: number,
): Float64Array<ArrayBuffer> {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let k = 0; k < terms; k++) s += a[r * aRow + k * aStep] * b[c * bCol + k * bStep];
      out[r * cols + c] = s;
    }
  }
  return out;
}
