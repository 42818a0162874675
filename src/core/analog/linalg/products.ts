/**
 * The float32 matrix products of an analog tile's reads, for a mini-batch at once: Y = X·Wᵀ (forward) and Z = D·W
 * (backward), W row-major m×n, with the float64 IO steps around them (noise management and the DAC on the inputs,
 * noise, the ADC and the bounds on the outputs). They run on the WebAssembly SIMD kernels of kernels.wat (compiled
 * into kernels.wasm.ts by `npm run gen:wasm`); where WebAssembly cannot be instantiated, on a JavaScript copy of the
 * same arithmetic, which gives the same bits.
 *
 * Each product output is one float32 sum in a fixed order (kernels.wat says which), whatever the batch size or the
 * row's place in it: a batch reads each row exactly as a batch of one does. Terms with a zero input are skipped
 * (MNIST pictures are ~80 % zeros), which changes no result. The operands live in the module's own memory: the
 * caller fills the views that `buffers` returns (the weights are copied in once per batch) and reads the results.
 */
import { KERNELS_WASM } from './kernels.wasm';

/** The views of one read's operands in the kernels' memory; valid until the next `buffers` call. */
export interface ProductBuffers {
  /** m·n weights, row-major. */
  readonly weights: Float32Array;
  /** (rows + 1) rows of the read's float64 inputs (n forward, m backward); the extra row is for single re-reads. */
  readonly values: Float64Array;
  /** (rows + 1) rows of the float32 inputs of the product. */
  readonly input: Float32Array;
  /** (rows + 1) rows of the float32 products (m forward, n backward). */
  readonly output: Float32Array;
  /** (rows + 1) rows of the read's float64 results. */
  readonly results: Float64Array;
  /** Per row: the input scale of noise management (0 for an all-zero row), and Σ x² of its quantised inputs. */
  readonly scales: Float64Array;
  readonly norms: Float64Array;
  /** Room for two normals per output of a row. */
  readonly noise: Float64Array;
}

/** The IO steps of one read (IOConfig's fields as the kernels take them). */
export interface ReadSteps {
  absMax: boolean;
  inStep: number;
  inBound: number;
  outStep: number;
  outBound: number;
}

interface WasmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  forward(w: number, x: number, y: number, m: number, n: number, bs: number, chunks: number): void;
  backward(w: number, d: number, z: number, m: number, n: number, bs: number): void;
  quantize(v: number, len: number, rows: number, x: number, scale: number, norm: number, absMax: number, step: number, bound: number): void;
  quantizeRow(v: number, len: number, x: number, s: number, step: number, bound: number): number;
  outputs(y: number, g: number, len: number, wn: number, on: number, step: number, bound: number, s: number, out: number): number;
}

/** The part of the WebAssembly API used here (the core's types include neither the DOM's nor Node's). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

function instantiate(): WasmExports | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return null;
  try {
    return new api.Instance(new api.Module(KERNELS_WASM), {}).exports as WasmExports;
  } catch {
    // A host that forbids compiling WebAssembly (a page whose CSP lacks 'wasm-unsafe-eval') runs the JS copy.
    return null;
  }
}

const PAGE = 65536;
const ALIGN = 64;

function aligned(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/** Where the operands of one read sit, in bytes. */
interface Layout {
  w: number;
  v: number;
  x: number;
  y: number;
  out: number;
  scale: number;
  norm: number;
  noise: number;
  chunks: number;
  end: number;
}

/** Math.round's rounding (ties toward +∞) of v to a multiple of step (no rounding for step 0). */
function quantize(v: number, step: number): number {
  return step > 0 ? Math.round(v / step) * step : v;
}

export class Products {
  private layout: Layout = { w: 0, v: 0, x: 0, y: 0, out: 0, scale: 0, norm: 0, noise: 0, chunks: 0, end: 0 };
  private views: ProductBuffers | null = null;
  /** m, n, rows and transposed of the views. */
  private readonly key = [-1, -1, -1, -1];
  private inLen = 0;
  private outLen = 0;
  private jsMemory = new ArrayBuffer(0);

  constructor(private readonly wasm: WasmExports | null) {}

  get kind(): 'wasm-simd' | 'javascript' {
    return this.wasm ? 'wasm-simd' : 'javascript';
  }

  /** The operand views of a read of an m×n tile over `rows` samples, forward or (`transposed`) backward. */
  buffers(m: number, n: number, rows: number, transposed: boolean): ProductBuffers {
    const key = this.key;
    if (this.views && key[0] === m && key[1] === n && key[2] === rows && key[3] === +transposed && this.views.weights.buffer === this.memory()) return this.views;
    const inLen = transposed ? m : n;
    const outLen = transposed ? n : m;
    const r = rows + 1;
    const w = 0;
    const v = aligned(w + 4 * m * n);
    const x = aligned(v + 8 * r * inLen);
    const y = aligned(x + 4 * r * inLen);
    const out = aligned(y + 4 * r * outLen);
    const scale = aligned(out + 8 * r * outLen);
    const norm = aligned(scale + 8 * r);
    const noise = aligned(norm + 8 * r);
    const chunks = aligned(noise + 16 * outLen);
    const end = aligned(chunks + 4 * (Math.ceil(n / 4) + 1));
    this.reserve(end);
    const buffer = this.memory();
    key[0] = m;
    key[1] = n;
    key[2] = rows;
    key[3] = +transposed;
    this.inLen = inLen;
    this.outLen = outLen;
    this.layout = { w, v, x, y, out, scale, norm, noise, chunks, end };
    this.views = {
      weights: new Float32Array(buffer, w, m * n),
      values: new Float64Array(buffer, v, r * inLen),
      input: new Float32Array(buffer, x, r * inLen),
      output: new Float32Array(buffer, y, r * outLen),
      results: new Float64Array(buffer, out, r * outLen),
      scales: new Float64Array(buffer, scale, r),
      norms: new Float64Array(buffer, norm, r),
      noise: new Float64Array(buffer, noise, 2 * outLen),
    };
    return this.views;
  }

  /** Product rows [row, row + count) of input rows [row, row + count), for the last buffers(). */
  run(m: number, n: number, row: number, count: number, transposed: boolean): void {
    const l = this.layout;
    const xOff = l.x + 4 * row * this.inLen;
    const yOff = l.y + 4 * row * this.outLen;
    if (this.wasm) {
      if (transposed) this.wasm.backward(l.w, xOff, yOff, m, n, count);
      else this.wasm.forward(l.w, xOff, yOff, m, n, count, l.chunks);
      return;
    }
    const v = this.views as ProductBuffers;
    if (transposed) backward32(v.weights, m, n, v.input, row * this.inLen, count, v.output, row * this.outLen);
    else forward32(v.weights, m, n, v.input, row * this.inLen, count, v.output, row * this.outLen);
  }

  /**
   * Noise management and the DAC on value rows [0, rows): per row, m = max |v|; scale 0 for an all-zero row, else
   * s = 1/m (absMax) or 1 and the input row clip(quantize(v·s, inStep), ±inBound) (zeros stay 0), norm = Σ x².
   */
  quantize(rows: number, st: ReadSteps): void {
    const len = this.inLen;
    if (this.wasm) {
      const l = this.layout;
      this.wasm.quantize(l.v, len, rows, l.x, l.scale, l.norm, st.absMax ? 1 : 0, st.inStep, st.inBound);
      return;
    }
    const { values, input, scales, norms } = this.views as ProductBuffers;
    for (let r = 0; r < rows; r++) {
      let vMax = 0;
      for (let k = 0; k < len; k++) {
        const a = Math.abs(values[r * len + k]);
        if (a > vMax) vMax = a;
      }
      if (vMax === 0) {
        scales[r] = 0;
        input.fill(0, r * len, (r + 1) * len);
        continue;
      }
      scales[r] = st.absMax ? 1 / vMax : 1;
      norms[r] = this.quantizeRow(r, r, scales[r], st);
    }
  }

  /** Input row `row` = value row `from` quantised at scale s, as `quantize` does; returns Σ x². */
  quantizeRow(from: number, row: number, s: number, st: ReadSteps): number {
    const len = this.inLen;
    if (this.wasm) {
      const l = this.layout;
      return this.wasm.quantizeRow(l.v + 8 * from * len, len, l.x + 4 * row * len, s, st.inStep, st.inBound);
    }
    const { values, input } = this.views as ProductBuffers;
    const bound = st.inBound;
    let norm2 = 0;
    for (let k = 0; k < len; k++) {
      const u = values[from * len + k];
      if (u === 0) {
        input[row * len + k] = 0;
        continue;
      }
      let x = quantize(u * s, st.inStep);
      x = x > bound ? bound : x < -bound ? -bound : x;
      input[row * len + k] = x;
      norm2 += x * x;
    }
    return norm2;
  }

  /**
   * Result row `to` = product row `row` + wn·ξ + on·ξ (the normals of the noise view in order, each term only when
   * its factor is > 0), quantised to outStep, clipped to ±outBound, divided by s; true when an output reached a bound.
   */
  outputs(row: number, to: number, wn: number, on: number, s: number, st: ReadSteps): boolean {
    const len = this.outLen;
    if (this.wasm) {
      const l = this.layout;
      return this.wasm.outputs(l.y + 4 * row * len, l.noise, len, wn, on, st.outStep, st.outBound, s, l.out + 8 * to * len) !== 0;
    }
    const { output, noise, results } = this.views as ProductBuffers;
    const bound = st.outBound;
    let saturated = false;
    let q = 0;
    for (let k = 0; k < len; k++) {
      let y = output[row * len + k];
      if (wn > 0) y += wn * noise[q++];
      if (on > 0) y += on * noise[q++];
      y = quantize(y, st.outStep);
      if (y >= bound || y <= -bound) {
        saturated = true;
        y = y > 0 ? bound : -bound;
      }
      results[to * len + k] = y / s;
    }
    return saturated;
  }

  private memory(): ArrayBuffer {
    return this.wasm ? this.wasm.memory.buffer : this.jsMemory;
  }

  private reserve(bytes: number): void {
    const have = this.memory().byteLength;
    if (have >= bytes) return;
    if (this.wasm) this.wasm.memory.grow(Math.ceil((bytes - have) / PAGE));
    else this.jsMemory = new ArrayBuffer(Math.ceil(bytes / PAGE) * PAGE);
  }
}

const f = Math.fround;

/**
 * Forward products in JavaScript, in the kernels' order: lanes l = 0…3 over the columns j ≡ l (mod 4) below
 * n − n mod 4, then (l0 + l1) + (l2 + l3), then the last columns in order, each product and sum rounded to float32.
 * Products of float32 values are exact in float64, and a float64 sum of two float32 values rounds to the float32
 * sum (53 ≥ 2·24 + 2), so Math.fround gives the kernels' bits.
 */
export function forward32(w: Float32Array, m: number, n: number, x: Float32Array, xOff: number, batch: number, y: Float32Array, yOff: number): void {
  const n4 = n & ~3;
  for (let b = 0; b < batch; b++) {
    const xr = xOff + b * n;
    for (let i = 0; i < m; i++) {
      const wr = i * n;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let j = 0; j < n4; j += 4) {
        a0 = f(a0 + f(w[wr + j] * x[xr + j]));
        a1 = f(a1 + f(w[wr + j + 1] * x[xr + j + 1]));
        a2 = f(a2 + f(w[wr + j + 2] * x[xr + j + 2]));
        a3 = f(a3 + f(w[wr + j + 3] * x[xr + j + 3]));
      }
      let s = f(f(a0 + a1) + f(a2 + a3));
      for (let j = n4; j < n; j++) s = f(s + f(w[wr + j] * x[xr + j]));
      y[yOff + b * m + i] = s;
    }
  }
}

/** Backward products in JavaScript, in the kernels' order: z[b][j] summed from 0 over i in increasing order in float32. */
export function backward32(w: Float32Array, m: number, n: number, d: Float32Array, dOff: number, batch: number, z: Float32Array, zOff: number): void {
  for (let b = 0; b < batch; b++) {
    const zr = zOff + b * n;
    z.fill(0, zr, zr + n);
    for (let i = 0; i < m; i++) {
      const di = d[dOff + b * m + i];
      if (di === 0) continue;
      const wr = i * n;
      for (let j = 0; j < n; j++) z[zr + j] = f(z[zr + j] + f(w[wr + j] * di));
    }
  }
}

let shared: Products | null = null;
let forceJavaScript = false;

/** The products every AnalogIO uses: the WebAssembly kernels where they compile, else the JavaScript copy. */
export function products(): Products {
  shared ??= new Products(forceJavaScript ? null : instantiate());
  return shared;
}

/** Which implementation runs the products here: the WebAssembly SIMD kernels, or their JavaScript copy. */
export function productsKind(): 'wasm-simd' | 'javascript' {
  return products().kind;
}

/**
 * For the tests that hold the kernels to their JavaScript copy: from now on every read runs on the JavaScript copy
 * (`true`) or on the kernels where they compile (`false`).
 */
export function useJavaScriptProducts(on: boolean): void {
  forceJavaScript = on;
  shared = null;
}
