/**
 * Seeded pseudo-random numbers for the simulator. Same seed → same stream on every platform, so a run is
 * reproducible bit for bit (Math.random cannot be seeded). xoshiro128** works on 32-bit integers only, which
 * JavaScript does exactly with Math.imul and `>>> 0`; splitmix32 spreads a small seed over the 128-bit state.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;
  /** Standard normals drawn in bulk by the Ziggurat (gauss), and the next one to hand out. */
  private readonly gBuf: number[] = packedDoublesOf(GAUSS_BLOCK);
  private gPos = GAUSS_BLOCK;
  /** fillGauss's draws outside their layer's rectangle: (position, word) pairs, finished after the block. */
  private readonly rejected: number[] = [];

  constructor(seed: number, stream = 0) {
    // Mixing the stream id into the seed gives independent generators for data, devices, noise and pulses,
    // so changing e.g. the pulse mode does not change the problem instance.
    let x = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /**
   * A word of `slots` (≤ 32) Bernoulli bits: bit k is set iff the k-th of `slots` consecutive nextU32() draws is
   * below `threshold`, exactly as that many nextU32() calls would give. The state stays in locals for the whole
   * word (a pulse train, see pulsed.ts), instead of being read and written back through the object on every draw.
   */
  bits(threshold: number, slots: number): number {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    let t = 0;
    for (let k = 0; k < slots; k++) {
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const u = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= u;
      s3 = rotl(s3, 11);
      // +(r < threshold) turns the comparison into a bit without a (badly predicted) branch.
      t |= +(r < threshold) << k;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return t;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.nextU32() * 2.3283064365386963e-10;
  }

  /** Standard normal (Marsaglia's polar method; the second value is kept for the next call). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /**
   * Standard normal from a block of GAUSS_BLOCK drawn at once by fillGauss, for a caller that takes one normal at a
   * time: about twice as cheap as normal() (~9 against ~19 ns here; fillGauss itself ~4 ns a normal). A block is
   * drawn from this generator's stream when the previous one is used up, so a seed still gives the same sequence,
   * but not normal()'s values: whatever must match a reference draw for draw (element sampling, data, the device
   * classes' per-pulse noise) uses normal.
   */
  gauss(): number {
    if (this.gPos === GAUSS_BLOCK) {
      this.fillGauss(this.gBuf, GAUSS_BLOCK);
      this.gPos = 0;
    }
    return this.gBuf[this.gPos++];
  }

  /**
   * Fills out[0..count) with standard normals: Marsaglia & Tsang's Ziggurat (J. Stat. Softw. 5(8), 2000) with 256
   * layers, each draw from ONE 32-bit word: the low 8 bits pick the layer, the high 24 a signed uniform u in
   * [−1, 1) (bits not shared between the two, the correlation Doornik 2005 warns of). x = u·X[i] is accepted at
   * once when |u| < X[i+1]/X[i] (98.5 % of draws); the wedges and the tail beyond R take exact rejection steps with
   * fresh uniforms.
   */
  fillGauss(out: number[] | Float64Array, count: number): void {
    const K = ZIG_K;
    const X = ZIG_X;
    const rejected = this.rejected;
    let nr = 0;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let k = 0; k < count; k++) {
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const i = r & 255;
      const u = (r >> 8) * 1.1920928955078125e-7;
      out[k] = u * X[i];
      // Outside the layer's rectangle (1.5 %): finished after the block, so the loop keeps the state in registers.
      if (Math.abs(u) >= K[i]) {
        rejected[nr++] = k;
        rejected[nr++] = r;
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    // The wedges and the tail take further uniforms from the stream, in the order of the block.
    for (let q = 0; q < nr; q += 2) {
      const r = rejected[q + 1];
      out[rejected[q]] = this.zigguratSlow(r & 255, (r >> 8) * 1.1920928955078125e-7);
    }
  }

  /** The Ziggurat's slow path for a draw (layer i, signed uniform u) outside its layer's rectangle. */
  private zigguratSlow(i: number, u: number): number {
    for (;;) {
      if (i === 0) {
        // The tail |x| > R (Marsaglia 1964): x = R + e₁/R, accepted when 2e₂ > (e₁/R)², e exponential.
        let x: number;
        let y: number;
        do {
          x = -Math.log(1 - this.uniform()) / ZIG_R;
          y = -Math.log(1 - this.uniform());
        } while (2 * y < x * x);
        return u < 0 ? -(ZIG_R + x) : ZIG_R + x;
      }
      const x = u * ZIG_X[i];
      // The wedge between layer i's rectangle and the density: accept under exp(−x²/2).
      if (ZIG_F[i + 1] + this.uniform() * (ZIG_F[i] - ZIG_F[i + 1]) < Math.exp(-0.5 * x * x)) return x;
      const r = this.nextU32() | 0;
      i = r & 255;
      u = (r >> 8) * 1.1920928955078125e-7;
      if (Math.abs(u) < ZIG_K[i]) return u * ZIG_X[i];
    }
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle(a: Uint32Array | number[]): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

/** Normals per gauss() block: 256 draws cost ~1 µs, a stream changes its block rarely. */
export const GAUSS_BLOCK = 256;

function packedDoublesOf(n: number): number[] {
  // Kept here rather than imported from arrays.ts so the generator has no dependency (see arrays.ts for why).
  const a: number[] = [0.5];
  a.pop();
  for (let i = 0; i < n; i++) a.push(0);
  return a;
}

/**
 * The 256-layer Ziggurat of the standard normal density f(x) = exp(−x²/2) (unnormalised): R the start of the tail,
 * V each layer's area (Marsaglia & Tsang 2000, Table 1). X[i] is layer i's right edge (X[0] = V/f(R), the base
 * layer's rectangle-equivalent width, X[1] = R, X[256] = 0), F[i] = f(X[i]), K[i] = X[i+1]/X[i].
 */
const ZIG_R = 3.6541528853610088;
const ZIG_V = 0.00492867323399;
const ZIG_X = packedDoublesOf(257);
const ZIG_F = packedDoublesOf(257);
const ZIG_K = packedDoublesOf(256);
{
  const f = (x: number) => Math.exp(-0.5 * x * x);
  ZIG_X[0] = ZIG_V / f(ZIG_R);
  ZIG_X[1] = ZIG_R;
  for (let i = 1; i < 255; i++) ZIG_X[i + 1] = Math.sqrt(-2 * Math.log(ZIG_V / ZIG_X[i] + f(ZIG_X[i])));
  ZIG_X[256] = 0;
  for (let i = 0; i <= 256; i++) ZIG_F[i] = f(ZIG_X[i]);
  for (let i = 0; i < 256; i++) ZIG_K[i] = ZIG_X[i + 1] / ZIG_X[i];
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Stream ids, so every consumer of randomness has its own generator derived from the run's seed. */
export const STREAM = {
  data: 1,
  device: 2,
  noise: 3,
  pulses: 4,
  io: 5,
  init: 6,
  chopper: 7,
  shuffle: 8,
} as const;
