/**
 * The float32 matrix products of an analog tile's reads, for a mini-batch at once: Y = X·Wᵀ (forward) and Z = D·W
 * (backward), W row-major m×n. They run on the WebAssembly SIMD kernels of kernels.wat (compiled into
 * kernels.wasm.ts by `npm run gen:wasm`); where WebAssembly cannot be instantiated, on a JavaScript copy of the
 * same arithmetic, which gives the same bits.
 *
 * Each output is one float32 sum in a fixed order (kernels.wat says which), whatever the batch size or the row's
 * place in it: a batch reads each row exactly as a batch of one does. Terms with a zero input are skipped (MNIST
 * pictures are ~80 % zeros), which changes no result. The operands live in the module's own memory: the caller
 * fills the views that `productBuffers` returns (the weights are copied in once per batch) and reads the output.
 */
import { KERNELS_WASM } from './kernels.wasm';

/** The views of one product's operands in the kernels' memory; valid until the next productBuffers call. */
export interface ProductBuffers {
  /** m·n weights, row-major. */
  readonly weights: Float32Array;
  /** (rows + 1) input rows of n floats forward, m backward; the extra row is for single re-reads. */
  readonly input: Float32Array;
  /** (rows + 1) output rows of m floats forward, n backward. */
  readonly output: Float32Array;
}

interface WasmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  forward(w: number, x: number, y: number, m: number, n: number, bs: number, chunks: number): void;
  backward(w: number, d: number, z: number, m: number, n: number, bs: number): void;
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

/** Where the operands of one product sit, in bytes. */
interface Layout {
  w: number;
  x: number;
  y: number;
  chunks: number;
  end: number;
}

class Products {
  private layout: Layout = { w: 0, x: 0, y: 0, chunks: 0, end: 0 };
  private views: ProductBuffers | null = null;
  /** m, n, rows and transposed of the views. */
  private readonly key = [-1, -1, -1, -1];
  private jsMemory = new ArrayBuffer(0);

  constructor(private readonly wasm: WasmExports | null) {}

  get kind(): 'wasm-simd' | 'javascript' {
    return this.wasm ? 'wasm-simd' : 'javascript';
  }

  buffers(m: number, n: number, rows: number, transposed: boolean): ProductBuffers {
    const inLen = transposed ? m : n;
    const outLen = transposed ? n : m;
    const w = 0;
    const x = aligned(w + 4 * m * n);
    const y = aligned(x + 4 * (rows + 1) * inLen);
    const chunks = aligned(y + 4 * (rows + 1) * outLen);
    const end = aligned(chunks + 4 * (Math.ceil(n / 4) + 1));
    const key = this.key;
    if (this.views && key[0] === m && key[1] === n && key[2] === rows && key[3] === +transposed && this.views.weights.buffer === this.memory()) return this.views;
    this.reserve(end);
    const buffer = this.memory();
    key[0] = m;
    key[1] = n;
    key[2] = rows;
    key[3] = +transposed;
    this.layout = { w, x, y, chunks, end };
    this.views = {
      weights: new Float32Array(buffer, w, m * n),
      input: new Float32Array(buffer, x, (rows + 1) * inLen),
      output: new Float32Array(buffer, y, (rows + 1) * outLen),
    };
    return this.views;
  }

  /** Output rows [row, row + count) = the product of input rows [row, row + count), for the last buffers(). */
  run(m: number, n: number, row: number, count: number, transposed: boolean): void {
    const l = this.layout;
    const inLen = transposed ? m : n;
    const outLen = transposed ? n : m;
    const xOff = l.x + 4 * row * inLen;
    const yOff = l.y + 4 * row * outLen;
    if (this.wasm) {
      if (transposed) this.wasm.backward(l.w, xOff, yOff, m, n, count);
      else this.wasm.forward(l.w, xOff, yOff, m, n, count, l.chunks);
      return;
    }
    const v = this.views as ProductBuffers;
    if (transposed) backward32(v.weights, m, n, v.input, row * inLen, count, v.output, row * outLen);
    else forward32(v.weights, m, n, v.input, row * inLen, count, v.output, row * outLen);
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

function products(): Products {
  shared ??= new Products(instantiate());
  return shared;
}

/**
 * The operand views for a product of an m×n tile over `rows` samples (forward, or `transposed` for backward),
 * reusing the memory of earlier calls; any earlier views may be invalid after this call.
 */
export function productBuffers(m: number, n: number, rows: number, transposed: boolean): ProductBuffers {
  return products().buffers(m, n, rows, transposed);
}

/** Computes output rows [row, row + count) from the input rows and weights placed in the last productBuffers() views. */
export function runProducts(m: number, n: number, row: number, count: number, transposed: boolean): void {
  products().run(m, n, row, count, transposed);
}

/** Which implementation runs the products here: the WebAssembly SIMD kernels, or their JavaScript copy. */
export function productsKind(): 'wasm-simd' | 'javascript' {
  return products().kind;
}

/** A Products on the JavaScript copy only, for the tests that hold the kernels to it. */
export function javascriptProducts(): { buffers: Products['buffers']; run: Products['run'] } {
  const p = new Products(null);
  return { buffers: p.buffers.bind(p), run: p.run.bind(p) };
}
