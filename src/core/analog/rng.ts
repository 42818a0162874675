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
