/**
 * aihwkit's stochastic pulsed rank-1 update: W ← W − lr·d·xᵀ realised as coincidences of random pulse trains, the
 * fast kernels of the one-pulse-at-a-time reference in reference/pulsed.ts (referencePlan, referenceTrains,
 * referencePulsedUpdate), which test/unit/analog/differential.test.ts holds them to. With BL ≤ 32 a train is one
 * 32-bit word, the coincidences at (i, j) are popcount(train_d[i] & train_x[j]) and all of them share one
 * direction, so the element can take its n pulses at once. Longer bit lines use several words per train.
 *
 * What the kernels keep equal to the reference: the plan and every random draw of the trains, bit for bit, hence the
 * same pulses on every element. What they change: an element's n pulses of one sample are applied in float64 (or in
 * closed form) and rounded to float32 once, where the reference rounds after each pulse (equal within a few float32
 * ulps per pulse); and devices with cycle noise draw it row by row rather than slot by slot (and ConstantStep sums n
 * Gaussian steps into one draw), so noisy runs are equal in distribution only.
 */
import { packedDoubles, packedInts } from './arrays';
import type { Rng } from './rng';
import { GAIN_BITS_DOWN, GAIN_TABLE_BITS, type AffinePulses, type ClosedFormPulses, type DeviceArray } from './devices/device';
import { referencePlan } from './reference/pulsed';
import type { AnalogTile } from './tile';

export interface UpdateParams {
  /** desired_bl: the bit-line length cap (aihwkit default 31). */
  desiredBl: number;
  /** fixed_bl: without UBLM, always use desired_bl slots. */
  fixedBl: boolean;
  /** update_bl_management: BL = min(⌈k⌉, desired_bl), k the expected pulses at the largest coincidence. */
  updateBlManagement: boolean;
  /** update_management: balance the largest probabilities between x and d. */
  updateManagement: boolean;
  umGradScale: number;
  /** Probability resolution (0 = continuous) and stochastic rounding of it. */
  res: number;
  stoRound: boolean;
}

/** aihwkit `UpdateParameters()` defaults. */
export const AIHWKIT_UPDATE_DEFAULTS: UpdateParams = {
  desiredBl: 31,
  fixedBl: true,
  updateBlManagement: true,
  updateManagement: true,
  umGradScale: 1,
  res: 0,
  stoRound: false,
};

/** Largest bit line the simulator accepts (words per train = ⌈BL/32⌉). */
export const MAX_BL = 32 * 512;

/** Bits set in every 16-bit value: two lookups count a 32-bit train faster than the bit tricks. */
const POP16 = (() => {
  const t = new Uint8Array(65536);
  for (let i = 1; i < 65536; i++) t[i] = (i & 1) + t[i >>> 1];
  return t;
})();

/** Largest tile coincideAffine takes: its hit codes (2·index + direction)·64 + n stay small integers (< 2^30). */
const AFFINE_MAX_SIZE = 1 << 23;

/** Bits set in every value below 2^12 as a plain array (no typed-array checks): one load per coincidence word of BL ≤ 12. */
const POP12 = (() => {
  const t = packedInts(4096);
  for (let i = 1; i < 4096; i++) t[i] = (i & 1) + t[i >>> 1];
  return t;
})();

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Bit-line length and probability scales for one sample. */
export interface PulsePlan {
  bl: number;
  /** Scale of the error-side probabilities p_i = |d_i|·A. */
  a: number;
  /** Scale of the input-side probabilities p_j = |x_j|·B. */
  b: number;
}

/**
 * Bit-line length and probability scales of one sample, written into `out`: aihwkit's planning as referencePlan
 * (reference/pulsed.ts) defines it. Planning is a few operations per sample, not a kernel, so the kernels use the
 * reference's own function rather than a copy of it.
 */
export function planPulses(lr: number, xMax: number, dMax: number, granularity: number, p: UpdateParams, out: PulsePlan): PulsePlan {
  const r = referencePlan(lr, xMax, dMax, granularity, p);
  out.bl = r.bl;
  out.a = r.a;
  out.b = r.b;
  return out;
}

/** Counters of the pulsed updates applied by one updater. */
export interface PulseStats {
  samples: number;
  /** Sum of bit-line lengths over samples (mean BL = blSum / samples). */
  blSum: number;
  /** Device-pulse coincidences applied. */
  coincidences: number;
}

/**
 * Applies pulsed rank-1 updates to tiles. Keeps scratch buffers sized to the largest tile it has seen, so a
 * step allocates nothing once warm.
 */
export class PulsedUpdater {
  private trainX = new Uint32Array(0);
  private trainD = new Uint32Array(0);
  private activeX = new Int32Array(0);
  /** Active inputs split by sign: all pulses of one row × one list share a direction. */
  private xPos: number[] = [];
  private xNeg: number[] = [];
  /** Their trains, in the same order (saves one dependent load per pair). */
  private tPos: number[] = [];
  private tNeg: number[] = [];
  private nPos = 0;
  private nNeg = 0;
  /** Inputs firing in slot k (k·cols + index), by sign, and their counts. */
  private slotPos: number[] = [];
  private slotNeg: number[] = [];
  private readonly slotPosN = packedInts(32);
  private readonly slotNegN = packedInts(32);
  /** slotPosN + slotNegN. */
  private readonly slotN = packedInts(32);
  private activeD = new Int32Array(0);
  private signX = new Int8Array(0);
  private signD = new Int8Array(0);
  /** coincideAffine's list of pulsed elements, (2·index + direction)·64 + pulses, and their normals. */
  private hitCode: number[] = [];
  private normals: number[] = [];
  /** Rows that take the popcount pass of coincideClosed. */
  private pairRows: number[] = [];
  /** Trains, offsets, gain-table halves and bounds of eight pair rows (pairs8). */
  private readonly t8 = new Int32Array(8);
  private readonly q8 = new Int32Array(8);
  private readonly o8 = new Int32Array(8);
  private readonly b8 = new Float64Array(8);
  /** Rows that take single pulses slot by slot in coincideClosed, per slot k (at k·rows), and their counts. */
  private slotRows: number[] = [];
  private readonly slotRowsN = packedInts(32);
  /**
   * [b_min, b_max, one down pulse's gain, one up pulse's gain] of the closed-form device, indexed by direction
   * (0 down, 1 up): the kernels look bounds and steps up here instead of taking them as arguments, which V8 would
   * box into heap numbers on every call that is not inlined.
   */
  private readonly sel = packedDoubles(4);
  /**
   * The closed-form kernels work on this plain-array copy of the weights, not on tile.w: every Float32Array access
   * pays a detached-buffer check (see arrays.ts), ~10 instructions per weight read or write against ~5 here, and a
   * step reads and writes ~1.8e6 weights on the benchmark. Stores go through Math.fround, so the copy holds exactly
   * the float32 values tile.w would. Between beginBatch and endBatch it is the whole tile (copied once per
   * mini-batch); a lone update copies in and out just the elements it can touch. The two copies cost ~0.3 ms per
   * 256×256 mini-batch: under tsx the step gets ~10 % faster, in a process whose typed arrays are not checked for
   * detachment (plain node) ~5 % slower.
   */
  private mirror: number[] = [];
  private batchTile: AnalogTile | null = null;
  private readonly plan: PulsePlan = { bl: 0, a: 0, b: 0 };
  private lastBl = 0;
  readonly stats: PulseStats = { samples: 0, blSum: 0, coincidences: 0 };

  constructor(private readonly rng: Rng) {}

  private ensure(rows: number, cols: number, words: number): void {
    if (this.trainX.length < cols * words) this.trainX = new Uint32Array(cols * words);
    if (this.trainD.length < rows * words) this.trainD = new Uint32Array(rows * words);
    if (this.activeX.length < cols) {
      this.activeX = new Int32Array(cols);
      this.xPos = packedInts(cols);
      this.xNeg = packedInts(cols);
      this.tPos = packedInts(cols);
      this.tNeg = packedInts(cols);
      this.signX = new Int8Array(cols);
    }
    if (this.activeD.length < rows) {
      this.activeD = new Int32Array(rows);
      this.signD = new Int8Array(rows);
      this.pairRows = packedInts(rows);
    }
  }

  /**
   * Announces that the following updates, until endBatch, all go to `tile`, and that nothing else reads or writes
   * its weights in between (GradientWriter's loop over a mini-batch): the closed-form kernels then keep the tile in
   * their plain-array copy and write it back once, at endBatch. Tiles without the closed form are unaffected.
   */
  beginBatch(tile: AnalogTile): void {
    this.endBatch();
    if (!tile.direct || (!closedFormOf(tile.device) && !affineFormOf(tile.device))) return;
    if (this.mirror.length < tile.size) this.mirror = packedDoubles(tile.size);
    copyIn(this.mirror, tile.w, 0, tile.size);
    this.batchTile = tile;
  }

  /** Writes the batch's weights back to the tile (see beginBatch); a no-op outside a batch. */
  endBatch(): void {
    const tile = this.batchTile;
    if (!tile) return;
    // TypedArray.prototype.set converts a packed double array in native code (float64 → float32, as a store does).
    if (this.mirror.length === tile.size) tile.w.set(this.mirror);
    else copyOut(tile.w, this.mirror, 0, tile.size);
    this.batchTile = null;
  }

  /**
   * W ← W − lr·d·xᵀ on `tile` with stochastic pulses. `x` (length cols) and `d` (length rows) are read from
   * offsets xOff and dOff, so a batch can be passed without copying. Returns the coincidences applied. Must equal
   * referencePulsedUpdate (reference/pulsed.ts): the same pulses, weights within a few float32 ulps per pulse (see
   * the file's comment).
   */
  update(tile: AnalogTile, x: ArrayLike<number>, xOff: number, d: ArrayLike<number>, dOff: number, lr: number, params: UpdateParams): number {
    if (lr === 0) return 0;
    const n = tile.cols;
    const m = tile.rows;
    let xMax = 0;
    for (let j = 0; j < n; j++) {
      const v = Math.abs(x[xOff + j]);
      if (v > xMax) xMax = v;
    }
    let dMax = 0;
    for (let i = 0; i < m; i++) {
      const v = Math.abs(d[dOff + i]);
      if (v > dMax) dMax = v;
    }
    if (xMax === 0 || dMax === 0 || !Number.isFinite(xMax) || !Number.isFinite(dMax)) return 0;
    const plan = planPulses(lr, xMax, dMax, tile.granularity, params, this.plan);
    const bl = Math.min(plan.bl, MAX_BL);
    this.lastBl = bl;
    const words = (bl + 31) >>> 5;
    this.ensure(m, n, words);
    const rng = this.rng;
    // The probability scales are read from this.plan inside makeTrains: a double passed to a call V8 does not
    // inline is boxed, one heap number per call.
    const nx = this.makeTrains(x, xOff, n, false, bl, words, this.trainX, this.activeX, this.signX, params, rng);
    if (nx === 0) return this.done(bl, 0);
    const nd = this.makeTrains(d, dOff, m, true, bl, words, this.trainD, this.activeD, this.signD, params, rng);
    if (nd === 0) return this.done(bl, 0);
    // A positive product sign(x)·sign(d)·sign(lr) means a DOWN pulse (the weight decreases).
    const lrSign = lr > 0 ? 1 : -1;
    let count: number;
    if (words === 1) {
      let np = 0;
      let nn = 0;
      for (let b = 0; b < nx; b++) {
        const j = this.activeX[b];
        // Trains as int32 (| 0), so that the plain arrays keep small integers (see arrays.ts).
        if (this.signX[j] > 0) {
          this.tPos[np] = this.trainX[j] | 0;
          this.xPos[np++] = j;
        } else {
          this.tNeg[nn] = this.trainX[j] | 0;
          this.xNeg[nn++] = j;
        }
      }
      this.nPos = np;
      this.nNeg = nn;
      const closed = tile.direct ? closedFormOf(tile.device) : null;
      // The affine kernel packs (2·index + direction)·64 + n into one small integer (below 2^30).
      const affine = tile.direct && !closed && tile.size <= AFFINE_MAX_SIZE ? affineFormOf(tile.device) : null;
      // Sparse trains: walk the coincidences slot by slot, as aihwkit does (no unpredictable branch per pair);
      // dense ones: one popcount per pair and all of an element's pulses at once (one noise draw for n pulses).
      // Crossovers measured on the 256×256 benchmark: 2 coincidences per pair in closed form, 0.5 otherwise.
      // The affine form always takes the pairs: its per-element cost is in the noise draw, one per element there
      // against one per pulse slot by slot.
      this.buildSlots(n);
      if (closed || affine) {
        const lone = this.batchTile !== tile;
        if (lone) {
          // A lone update (or one to another tile during a batch): copy just the elements it can touch.
          this.endBatch();
          if (this.mirror.length < tile.size) this.mirror = packedDoubles(tile.size);
          this.copyTouched(tile, nd, true);
        }
        count = closed ? this.coincideClosed(tile, nd, nx, lrSign, closed) : this.coincideAffine(tile, nd, lrSign, affine!);
        if (lone) this.copyTouched(tile, nd, false);
      } else count = this.countCoincidences(nd) <= 0.5 * nx * nd ? this.coincideSlots(tile, nd, lrSign) : this.coincide1(tile, nd, lrSign);
    } else {
      // Longer bit lines work on tile.w directly.
      if (this.batchTile === tile) this.endBatch();
      count = this.coincideN(tile, nx, nd, words, lrSign);
    }
    tile.pulses += count;
    return this.done(bl, count);
  }

  /** Copies the elements (active row, active input) between tile.w and the plain-array copy, in or out. */
  private copyTouched(tile: AnalogTile, nd: number, into: boolean): void {
    const n = tile.cols;
    const w = tile.w;
    const mirror = this.mirror;
    for (let a = 0; a < nd; a++) {
      const row = this.activeD[a] * n;
      for (let half = 0; half < 2; half++) {
        const list = half === 0 ? this.xPos : this.xNeg;
        const len = half === 0 ? this.nPos : this.nNeg;
        if (into) for (let b = 0; b < len; b++) mirror[row + list[b]] = w[row + list[b]];
        else for (let b = 0; b < len; b++) w[row + list[b]] = mirror[row + list[b]];
      }
    }
  }

  /** Per slot k, the active inputs firing in k, split by sign (each list in increasing input order), and their counts. */
  private buildSlots(cols: number): void {
    if (this.slotPos.length < 32 * cols) {
      this.slotPos = packedInts(32 * cols);
      this.slotNeg = packedInts(32 * cols);
    }
    const posN = this.slotPosN;
    const negN = this.slotNegN;
    posN.fill(0);
    negN.fill(0);
    fillSlots(this.slotPos, posN, this.xPos, this.tPos, this.nPos, cols);
    fillSlots(this.slotNeg, negN, this.xNeg, this.tNeg, this.nNeg, cols);
    const slotN = this.slotN;
    for (let k = 0; k < 32; k++) slotN[k] = posN[k] + negN[k];
  }

  /** Coincidences the active rows will receive: Σ over each row's slots of the inputs firing in them. */
  private countCoincidences(nd: number): number {
    let total = 0;
    for (let a = 0; a < nd; a++) {
      for (let t = this.trainD[this.activeD[a]]; t !== 0; t &= t - 1) total += this.slotN[31 - Math.clz32(t & -t)];
    }
    return total;
  }

  /**
   * Any device, sparse trains: one pulse per coincidence, each row's slots in order. Per element the pulses and
   * their order are referencePulsedUpdate's, so noise-free devices give its weights bit for bit.
   */
  private coincideSlots(tile: AnalogTile, nd: number, lrSign: number): number {
    const n = tile.cols;
    const rng = this.rng;
    let total = 0;
    for (let a = 0; a < nd; a++) {
      const i = this.activeD[a];
      const row = i * n;
      const upPos = this.signD[i] * lrSign < 0;
      for (let t = this.trainD[i]; t !== 0; t &= t - 1) {
        const k = 31 - Math.clz32(t & -t);
        for (let half = 0; half < 2; half++) {
          const list = half === 0 ? this.slotPos : this.slotNeg;
          const len = half === 0 ? this.slotPosN[k] : this.slotNegN[k];
          const up = half === 0 ? upPos : !upPos;
          const base = k * n;
          total += len;
          for (let b = 0; b < len; b++) {
            const idx = row + list[base + b];
            pulseAt(tile, idx, 1, up, rng);
          }
        }
      }
    }
    return total;
  }

  private done(bl: number, count: number): number {
    this.stats.samples++;
    this.stats.blSum += bl;
    this.stats.coincidences += count;
    return count;
  }

  /** The trains of one vector: referenceTrains (reference/pulsed.ts) packed into 32-bit words, the same draws. */
  private makeTrains(
    v: ArrayLike<number>,
    off: number,
    len: number,
    errors: boolean,
    bl: number,
    words: number,
    trains: Uint32Array,
    active: Int32Array,
    signs: Int8Array,
    params: UpdateParams,
    rng: Rng,
  ): number {
    // Inputs fire with probability |x_j|·B, errors with |d_i|·A (planPulses).
    const scale = errors ? this.plan.a : this.plan.b;
    if (words === 1 && params.res === 0) return oneWordTrains(v, off, len, scale, bl, trains, active, signs, rng);
    let count = 0;
    const res = params.res;
    for (let j = 0; j < len; j++) {
      const val = v[off + j];
      let p = Math.abs(val) * scale;
      if (p === 0) continue;
      if (res > 0) {
        const q = p / res;
        const lo = Math.floor(q);
        p = (params.stoRound ? (rng.uniform() < q - lo ? lo + 1 : lo) : Math.round(q)) * res;
        if (p === 0) continue;
      }
      const base = j * words;
      let any = 0;
      // u·2⁻³² < p ⇔ u < p·2³² exactly (scaling by a power of two), without a multiply per draw.
      const threshold = p * 4294967296;
      for (let w = 0; w < words; w++) {
        const slots = Math.min(32, bl - 32 * w);
        let t = 0;
        if (p >= 1) t = slots === 32 ? -1 : (1 << slots) - 1;
        else t = rng.bits(threshold, slots);
        trains[base + w] = t;
        any |= t;
      }
      if (any !== 0) {
        active[count] = j;
        signs[j] = val > 0 ? 1 : -1;
        count++;
      }
    }
    return count;
  }

  /**
   * BL ≤ 32, any device: element (i, j) takes n = popcount(train_d[i] & train_x[j]) same-direction pulses at once
   * through DeviceArray.pulse: referencePulsedUpdate's n single pulses, rounded to float32 once at the end.
   */
  private coincide1(tile: AnalogTile, nd: number, lrSign: number): number {
    const tx = this.trainX;
    const n = tile.cols;
    const rng = this.rng;
    let total = 0;
    for (let a = 0; a < nd; a++) {
      const i = this.activeD[a];
      const ti = this.trainD[i];
      const row = i * n;
      // With x > 0 the coincidence sign is sign(d_i)·sign(lr); positive means DOWN.
      const upPos = this.signD[i] * lrSign < 0;
      for (let half = 0; half < 2; half++) {
        const list = half === 0 ? this.xPos : this.xNeg;
        const len = half === 0 ? this.nPos : this.nNeg;
        const up = half === 0 ? upPos : !upPos;
        for (let b = 0; b < len; b++) {
          const j = list[b];
          const c = ti & tx[j];
          if (c === 0) continue;
          const k = POP16[c & 0xffff] + POP16[c >>> 16];
          total += k;
          const idx = row + j;
          pulseAt(tile, idx, k, up, rng);
        }
      }
    }
    return total;
  }

  /**
   * Soft-bounds elements with their own parameters and additive cycle noise (AffinePulses): per element the n
   * coincidences of coincide1 at once, inline on the plain-array weight copy. In two passes, so that neither has a
   * branch that depends on the data: the first lists every pair's element, direction and n (a pair without
   * coincidence is written and not counted), then one block of normals is drawn for the elements listed, then the
   * second applies w_p ← b + (w_p − b)·aⁿ + c·√(1 − a^{2n})·ξ to each. Equal to SoftBoundsReferenceArray's
   * pulse(…, n) in distribution, and without noise to its result within float64 rounding (aⁿ as a product of
   * squarings instead of Math.pow).
   */
  private coincideAffine(tile: AnalogTile, nd: number, lrSign: number, f: AffinePulses): number {
    const n = tile.cols;
    // Room for every element plus the three that listHits4 may write past the last hit.
    if (this.hitCode.length < tile.size + 4) this.hitCode = packedInts(tile.size + 4);
    const code = this.hitCode;
    let hits = 0;
    // Four rows at a time, so each input's index and train are loaded once for the four (as in coincideClosed).
    const R = this.q8;
    let a = 0;
    for (; a + 4 <= nd; a += 4) {
      for (let r = 0; r < 4; r++) {
        const i = this.activeD[a + r];
        // 2·row + direction of the inputs x > 0 (1 up: sign(d)·sign(lr) < 0); inputs x < 0 go the other way.
        R[r] = ((i * n) << 1) | +(this.signD[i] * lrSign < 0);
        R[4 + r] = this.trainD[i] | 0;
      }
      hits = listHits4(code, hits, R[0], R[1], R[2], R[3], R[4], R[5], R[6], R[7], this.xPos, this.tPos, this.nPos);
      hits = listHits4(code, hits, R[0] ^ 1, R[1] ^ 1, R[2] ^ 1, R[3] ^ 1, R[4], R[5], R[6], R[7], this.xNeg, this.tNeg, this.nNeg);
    }
    for (; a < nd; a++) {
      const i = this.activeD[a];
      const q = ((i * n) << 1) | +(this.signD[i] * lrSign < 0);
      const ti = this.trainD[i] | 0;
      hits = listHits4(code, hits, q, q, q, q, ti, 0, 0, 0, this.xPos, this.tPos, this.nPos);
      hits = listHits4(code, hits, q ^ 1, q, q, q, ti, 0, 0, 0, this.xNeg, this.tNeg, this.nNeg);
    }
    // The pulses: every active row's slots × the inputs firing in them (cheap: rows × BL, not a pass over the hits).
    const total = this.countCoincidences(nd);
    if (f.noisy) {
      if (this.normals.length < hits) this.normals = packedDoubles(Math.max(hits, tile.size));
      this.rng.fillGauss(this.normals, hits);
    }
    affineHits(this.mirror, code, hits, f, this.normals, tile.device, this.rng);
    return total;
  }

  /**
   * Identical noise-free soft-bounds elements: n pulses are w ← w + (b − w)·(1 − a^n). Each row takes the cheaper
   * of one pass over all active inputs (n from a popcount, branch-free: n = 0 changes nothing) or one pass per
   * slot of its train over the inputs firing in that slot. Both kinds of rows are collected first and then done
   * several rows at a time (pairs8, slot4), so each input's index (and train) is loaded once for all of them:
   * every array access costs checks, and sharing them is most of the gain. Rows are independent, and each element
   * still takes its slot-by-slot pulses in slot order, so the results are those of one row at a time. Reference:
   * referencePulsedUpdate with pulseOnce's soft-bounds step w + s(1 − w/b), n times; here aⁿ = (1 − s/b)ⁿ comes
   * from a table of powers of the float32 a, so the weights agree within a few float32 ulps per pulse.
   */
  private coincideClosed(tile: AnalogTile, nd: number, nx: number, lrSign: number, f: ClosedFormPulses): number {
    const n = tile.cols;
    const w = this.mirror;
    const sel = this.sel;
    sel[0] = f.bMin;
    sel[1] = f.bMax;
    sel[2] = f.gainDown[1];
    sel[3] = f.gainUp[1];
    const m = tile.rows;
    const pairRows = this.pairRows;
    const slotN = this.slotN;
    if (this.slotRows.length < 32 * m) this.slotRows = packedInts(32 * m);
    const slotRows = this.slotRows;
    const slotRowsN = this.slotRowsN;
    slotRowsN.fill(0);
    let np = 0;
    let total = 0;
    for (let a = 0; a < nd; a++) {
      const i = this.activeD[a];
      const ti = this.trainD[i];
      let rowCount = 0;
      for (let t = ti; t !== 0; t &= t - 1) rowCount += slotN[31 - Math.clz32(t & -t)];
      total += rowCount;
      if (rowCount > nx) {
        pairRows[np++] = i;
        continue;
      }
      for (let t = ti; t !== 0; t &= t - 1) {
        const k = 31 - Math.clz32(t & -t);
        slotRows[(k * m + slotRowsN[k]++) | 0] = i;
      }
    }
    // Slot by slot in increasing order (each element still takes its single pulses in slot order), the rows
    // firing in a slot four at a time against its two input lists.
    for (let k = 0; k < this.lastBl; k++) {
      const cnt = slotRowsN[k];
      const base = k * n;
      const lp = this.slotPosN[k];
      const ln = this.slotNegN[k];
      let r = 0;
      for (; r + 4 <= cnt; r += 4) {
        const i0 = slotRows[k * m + r];
        const i1 = slotRows[k * m + r + 1];
        const i2 = slotRows[k * m + r + 2];
        const i3 = slotRows[k * m + r + 3];
        // Direction of each row for inputs x > 0 (1 up, 0 down); inputs x < 0 go the other way.
        const u0 = +(this.signD[i0] * lrSign < 0);
        const u1 = +(this.signD[i1] * lrSign < 0);
        const u2 = +(this.signD[i2] * lrSign < 0);
        const u3 = +(this.signD[i3] * lrSign < 0);
        const q0 = i0 * n;
        const q1 = i1 * n;
        const q2 = i2 * n;
        const q3 = i3 * n;
        slot4(w, this.slotPos, base, lp, q0, q1, q2, q3, u0, u1, u2, u3, sel);
        slot4(w, this.slotNeg, base, ln, q0, q1, q2, q3, 1 - u0, 1 - u1, 1 - u2, 1 - u3, sel);
      }
      for (; r < cnt; r++) {
        const i = slotRows[k * m + r];
        const u = +(this.signD[i] * lrSign < 0);
        slot1(w, i * n, this.slotPos, base, lp, u, sel);
        slot1(w, i * n, this.slotNeg, base, ln, 1 - u, sel);
      }
    }
    if (this.lastBl <= GAIN_TABLE_BITS) {
      const g = f.gainByBits;
      let r = 0;
      const T = this.t8;
      const Q = this.q8;
      const O = this.o8;
      const BD = this.b8;
      for (; r + 8 <= np; r += 8) {
        // Inputs x > 0 move a row up (table half 0, bound b_max) when sign(d)·sign(lr) < 0, inputs x < 0 the other way.
        for (let k = 0; k < 8; k++) {
          const i = pairRows[r + k];
          const up = this.signD[i] * lrSign < 0;
          T[k] = this.trainD[i];
          Q[k] = i * n;
          O[k] = up ? 0 : GAIN_BITS_DOWN;
          BD[k] = up ? f.bMax : f.bMin;
        }
        pairs8(w, g, this.xPos, this.tPos, this.nPos, T, Q, O, BD);
        for (let k = 0; k < 8; k++) {
          const up = O[k] === 0;
          O[k] = up ? GAIN_BITS_DOWN : 0;
          BD[k] = up ? f.bMin : f.bMax;
        }
        pairs8(w, g, this.xNeg, this.tNeg, this.nNeg, T, Q, O, BD);
      }
      for (; r < np; r++) {
        const i = pairRows[r];
        const u = +(this.signD[i] * lrSign < 0);
        const ti = this.trainD[i];
        pairs1(w, g, this.xPos, this.tPos, this.nPos, ti, i * n, u, sel);
        pairs1(w, g, this.xNeg, this.tNeg, this.nNeg, ti, i * n, 1 - u, sel);
      }
    } else {
      for (let r = 0; r < np; r++) {
        const i = pairRows[r];
        const u = +(this.signD[i] * lrSign < 0);
        const ti = this.trainD[i];
        pairsRow(w, i * n, ti, this.xPos, this.tPos, this.nPos, u, sel, u === 1 ? f.gainUp : f.gainDown);
        pairsRow(w, i * n, ti, this.xNeg, this.tNeg, this.nNeg, 1 - u, sel, u === 1 ? f.gainDown : f.gainUp);
      }
    }
    return total;
  }

  /** BL > 32, any device: coincide1 with several words per train (n summed over the words), the same reference. */
  private coincideN(tile: AnalogTile, nx: number, nd: number, words: number, lrSign: number): number {
    const tx = this.trainX;
    const td = this.trainD;
    const n = tile.cols;
    const rng = this.rng;
    let total = 0;
    for (let a = 0; a < nd; a++) {
      const i = this.activeD[a];
      const si = this.signD[i] * lrSign;
      for (let b = 0; b < nx; b++) {
        const j = this.activeX[b];
        let c = 0;
        for (let k = 0; k < words; k++) c += popcount32(td[i * words + k] & tx[j * words + k]);
        if (c === 0) continue;
        total += c;
        const up = si * this.signX[j] < 0;
        const idx = i * n + j;
        pulseAt(tile, idx, c, up, rng);
      }
    }
    return total;
  }
}

/** n same-direction pulses on element idx of any tile: straight through its device when the tile is direct. */
function pulseAt(tile: AnalogTile, idx: number, n: number, up: boolean, rng: Rng): void {
  if (tile.direct) tile.w[idx] = tile.device.pulse(idx, tile.w[idx], n, up, rng);
  else tile.pulseElement(idx, n, up, rng);
}

function closedFormOf(d: DeviceArray): ClosedFormPulses | null {
  return d.closedForm ? d.closedForm() : null;
}

function affineFormOf(d: DeviceArray): AffinePulses | null {
  return d.affineForm ? d.affineForm() : null;
}

/**
 * Appends the elements of four rows × one sign list of inputs that take pulses: code (2·index + direction)·64 + n,
 * n = popcount(t_r & train_j) ≤ 32, row by row within each input. Rows are given as 2·offset + direction (q) and train
 * (t); a row with train 0 adds nothing. Every pair is written, the end advanced only for n > 0.
 */
function listHits4(code: number[], hits: number, q0: number, q1: number, q2: number, q3: number, t0: number, t1: number, t2: number, t3: number, list: number[], trains: number[], len: number): number {
  for (let b = 0; b < len; b++) {
    const j2 = list[b] << 1;
    const tj = trains[b];
    const c0 = t0 & tj;
    const c1 = t1 & tj;
    const c2 = t2 & tj;
    const c3 = t3 & tj;
    const k0 = c0 >>> 12 === 0 ? POP12[c0] : popcount32(c0);
    const k1 = c1 >>> 12 === 0 ? POP12[c1] : popcount32(c1);
    const k2 = c2 >>> 12 === 0 ? POP12[c2] : popcount32(c2);
    const k3 = c3 >>> 12 === 0 ? POP12[c3] : popcount32(c3);
    code[hits] = (((q0 + j2) << 6) | k0) | 0;
    hits += +(k0 !== 0);
    code[hits] = (((q1 + j2) << 6) | k1) | 0;
    hits += +(k1 !== 0);
    code[hits] = (((q2 + j2) << 6) | k2) | 0;
    hits += +(k2 !== 0);
    code[hits] = (((q3 + j2) << 6) | k3) | 0;
    hits += +(k3 !== 0);
  }
  return hits;
}

/**
 * The listed elements' pulses (codes of listHits4): n pulses in the element's direction as w_p ← b + (w_p − b)·aⁿ +
 * c·√(1 − a^{2n})·ξ on w_p = w + ref, clipped to [b↓, b↑]; ξ the h-th of `normals`. Parameters are read at
 * 2·index + direction (a, c, the target bound) and 2·index, 2·index + 1 (the two bounds). An element with a < 0
 * takes its pulses one by one through `dev`.
 */
function affineHits(w: number[], code: number[], hits: number, f: AffinePulses, normals: number[], dev: DeviceArray, rng: Rng): void {
  const A = f.a;
  const BND = f.bounds;
  const C = f.noiseScale;
  const ref = f.ref;
  const noisy = f.noisy;
  for (let h = 0; h < hits; h++) {
    const e = code[h];
    const q = e >> 6;
    const k = e & 63;
    const idx = q >> 1;
    const a = A[q];
    if (a < 0) {
      w[idx] = Math.fround(dev.pulse(idx, w[idx], k, (q & 1) === 1, rng));
      continue;
    }
    const r = ref === null ? 0 : ref[idx];
    // aⁿ without a data-dependent branch (n is 1 in half the elements, 2–6 in most others): the product of
    // a^(2^m) over the bits m of n, each factor 1 + (a^(2^m) − 1)·bit, which is exactly a^(2^m) or 1.
    const a2 = a * a;
    const a4 = a2 * a2;
    const a8 = a4 * a4;
    let an = (1 + (a - 1) * (k & 1)) * (1 + (a2 - 1) * ((k >> 1) & 1)) * (1 + (a4 - 1) * ((k >> 2) & 1)) * (1 + (a8 - 1) * ((k >> 3) & 1));
    if (k >= 16) an *= Math.pow(a, k & ~15);
    const bound = BND[q];
    let wp = bound + (w[idx] + r - bound) * an;
    // The noise of n pulses, s·σ·√(Σ_{p<n} a^{2p}) = [s·σ/√(1 − a²)]·√(1 − a^{2n}).
    if (noisy) wp += C[q] * Math.sqrt(1 - an * an) * normals[h];
    const lo = BND[q & ~1];
    const hi = BND[q | 1];
    w[idx] = Math.fround((wp > hi ? hi : wp < lo ? lo : wp) - r);
  }
}

/**
 * One single pulse on each input of one slot list (distinct indices, from `base`) for four rows (offsets q): each
 * element moves by step·(bound − w), bound and step those of its row's direction. The list is read once for the
 * four rows.
 */
function slot4(
  w: number[],
  list: number[],
  base: number,
  len: number,
  q0: number,
  q1: number,
  q2: number,
  q3: number,
  u0: number,
  u1: number,
  u2: number,
  u3: number,
  sel: number[],
): void {
  const b0 = sel[u0];
  const b1 = sel[u1];
  const b2 = sel[u2];
  const b3 = sel[u3];
  const s0 = sel[2 + u0];
  const s1 = sel[2 + u1];
  const s2 = sel[2 + u2];
  const s3 = sel[2 + u3];
  for (let b = 0; b < len; b++) {
    const j = list[(base + b) | 0];
    const i0 = (q0 + j) | 0;
    const i1 = (q1 + j) | 0;
    const i2 = (q2 + j) | 0;
    const i3 = (q3 + j) | 0;
    const v0 = w[i0];
    const v1 = w[i1];
    const v2 = w[i2];
    const v3 = w[i3];
    w[i0] = Math.fround(v0 + (b0 - v0) * s0);
    w[i1] = Math.fround(v1 + (b1 - v1) * s1);
    w[i2] = Math.fround(v2 + (b2 - v2) * s2);
    w[i3] = Math.fround(v3 + (b3 - v3) * s3);
  }
}

/** makeTrains for BL ≤ 32 and continuous probabilities, the common case, without the per-value word loop (same draws). */
function oneWordTrains(v: ArrayLike<number>, off: number, len: number, scale: number, bl: number, trains: Uint32Array, active: Int32Array, signs: Int8Array, rng: Rng): number {
  const full = bl === 32 ? -1 : (1 << bl) - 1;
  let count = 0;
  for (let j = 0; j < len; j++) {
    const val = v[(off + j) | 0];
    const p = Math.abs(val) * scale;
    if (p === 0) continue;
    // u·2⁻³² < p ⇔ u < p·2³² exactly (scaling by a power of two), without a multiply per draw.
    const t = p >= 1 ? full : rng.bits(p * 4294967296, bl);
    trains[j] = t;
    if (t !== 0) {
      active[count++] = j;
      signs[j] = val > 0 ? 1 : -1;
    }
  }
  return count;
}

/** Appends each input j of `list` to the slot list of every slot its train fires in (slot k at k·cols). */
function fillSlots(slots: number[], counts: number[], list: number[], trains: number[], len: number, cols: number): void {
  for (let b = 0; b < len; b++) {
    const j = list[b];
    for (let t = trains[b]; t !== 0; t &= t - 1) {
      const k = 31 - Math.clz32(t & -t);
      slots[(k * cols + counts[k]++) | 0] = j;
    }
  }
}

/**
 * Eight rows (trains t, offsets q, gain-table halves o and bounds, in small scratch arrays) against one sign list of
 * inputs (indices `list`, trains `trains`): element (row, j) moves by gain[popcount(t & train_j)] toward its bound,
 * the gain read straight from the coincidence word (g = gainByBits). The input's index and train are loaded once for
 * the eight rows: every array access costs a bounds check and more, so sharing them is most of the gain. The rows
 * left over (fewer than eight) take pairs1 one by one.
 */
function pairs8(w: number[], g: number[], list: number[], trains: number[], len: number, t: Int32Array, q: Int32Array, o: Int32Array, bnd: Float64Array): void {
  const t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7];
  const q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3], q4 = q[4], q5 = q[5], q6 = q[6], q7 = q[7];
  const o0 = o[0], o1 = o[1], o2 = o[2], o3 = o[3], o4 = o[4], o5 = o[5], o6 = o[6], o7 = o[7];
  const b0 = bnd[0], b1 = bnd[1], b2 = bnd[2], b3 = bnd[3], b4 = bnd[4], b5 = bnd[5], b6 = bnd[6], b7 = bnd[7];
  for (let b = 0; b < len; b++) {
    const j = list[b];
    const tj = trains[b];
    const g0 = g[(o0 + (t0 & tj)) | 0];
    const g1 = g[(o1 + (t1 & tj)) | 0];
    const g2 = g[(o2 + (t2 & tj)) | 0];
    const g3 = g[(o3 + (t3 & tj)) | 0];
    const g4 = g[(o4 + (t4 & tj)) | 0];
    const g5 = g[(o5 + (t5 & tj)) | 0];
    const g6 = g[(o6 + (t6 & tj)) | 0];
    const g7 = g[(o7 + (t7 & tj)) | 0];
    const i0 = (q0 + j) | 0;
    const i1 = (q1 + j) | 0;
    const i2 = (q2 + j) | 0;
    const i3 = (q3 + j) | 0;
    const i4 = (q4 + j) | 0;
    const i5 = (q5 + j) | 0;
    const i6 = (q6 + j) | 0;
    const i7 = (q7 + j) | 0;
    const v0 = w[i0];
    const v1 = w[i1];
    const v2 = w[i2];
    const v3 = w[i3];
    const v4 = w[i4];
    const v5 = w[i5];
    const v6 = w[i6];
    const v7 = w[i7];
    w[i0] = Math.fround(v0 + (b0 - v0) * g0);
    w[i1] = Math.fround(v1 + (b1 - v1) * g1);
    w[i2] = Math.fround(v2 + (b2 - v2) * g2);
    w[i3] = Math.fround(v3 + (b3 - v3) * g3);
    w[i4] = Math.fround(v4 + (b4 - v4) * g4);
    w[i5] = Math.fround(v5 + (b5 - v5) * g5);
    w[i6] = Math.fround(v6 + (b6 - v6) * g6);
    w[i7] = Math.fround(v7 + (b7 - v7) * g7);
  }
}

/** pairs8 for one row (offset q, train t, direction u: 1 up toward b_max, 0 down toward b_min). */
function pairs1(w: number[], g: number[], list: number[], trains: number[], len: number, t: number, q: number, u: number, sel: number[]): void {
  const o = (1 - u) * GAIN_BITS_DOWN;
  const bound = sel[u];
  for (let b = 0; b < len; b++) {
    const idx = (q + list[b]) | 0;
    const v = w[idx];
    w[idx] = Math.fround(v + (bound - v) * g[(o + (t & trains[b])) | 0]);
  }
}

/** One row against one list of inputs, n from popcounts (BL > GAIN_TABLE_BITS); four per round, loads before stores. */
function pairsRow(w: number[], row: number, ti: number, list: number[], trains: number[], len: number, u: number, sel: number[], gain: Float64Array): void {
  const bound = sel[u];
  const len4 = len & ~3;
  let b = 0;
  for (; b < len4; b += 4) {
    const c0 = ti & trains[b];
    const c1 = ti & trains[b + 1];
    const c2 = ti & trains[b + 2];
    const c3 = ti & trains[b + 3];
    const k0 = POP16[c0 & 0xffff] + POP16[c0 >>> 16];
    const k1 = POP16[c1 & 0xffff] + POP16[c1 >>> 16];
    const k2 = POP16[c2 & 0xffff] + POP16[c2 >>> 16];
    const k3 = POP16[c3 & 0xffff] + POP16[c3 >>> 16];
    const i0 = row + list[b];
    const i1 = row + list[b + 1];
    const i2 = row + list[b + 2];
    const i3 = row + list[b + 3];
    const v0 = w[i0];
    const v1 = w[i1];
    const v2 = w[i2];
    const v3 = w[i3];
    w[i0] = Math.fround(v0 + (bound - v0) * gain[k0]);
    w[i1] = Math.fround(v1 + (bound - v1) * gain[k1]);
    w[i2] = Math.fround(v2 + (bound - v2) * gain[k2]);
    w[i3] = Math.fround(v3 + (bound - v3) * gain[k3]);
  }
  for (; b < len; b++) {
    const c = ti & trains[b];
    const k = POP16[c & 0xffff] + POP16[c >>> 16];
    const idx = row + list[b];
    const v = w[idx];
    w[idx] = Math.fround(v + (bound - v) * gain[k]);
  }
}

/** One pulse on each input of one slot list (distinct indices) for one row; four per round, loads before stores. */
function slot1(w: number[], row: number, list: number[], base: number, len: number, u: number, sel: number[]): void {
  const bound = sel[u];
  const step = sel[2 + u];
  const len4 = len & ~3;
  let b = 0;
  for (; b < len4; b += 4) {
    const p = (base + b) | 0;
    const i0 = (row + list[p]) | 0;
    const i1 = (row + list[(p + 1) | 0]) | 0;
    const i2 = (row + list[(p + 2) | 0]) | 0;
    const i3 = (row + list[(p + 3) | 0]) | 0;
    const v0 = w[i0];
    const v1 = w[i1];
    const v2 = w[i2];
    const v3 = w[i3];
    w[i0] = Math.fround(v0 + (bound - v0) * step);
    w[i1] = Math.fround(v1 + (bound - v1) * step);
    w[i2] = Math.fround(v2 + (bound - v2) * step);
    w[i3] = Math.fround(v3 + (bound - v3) * step);
  }
  for (; b < len; b++) {
    const idx = (row + list[(base + b) | 0]) | 0;
    const v = w[idx];
    w[idx] = Math.fround(v + (bound - v) * step);
  }
}

/** dst[off + k] = src[off + k] for k < len, a Float32Array into the plain-array weight copy. */
function copyIn(dst: number[], src: Float32Array, off: number, len: number): void {
  for (let k = off; k < off + len; k++) dst[k] = src[k];
}

/** The plain-array weight copy back into the Float32Array (its values are already float32). */
function copyOut(dst: Float32Array, src: number[], off: number, len: number): void {
  for (let k = off; k < off + len; k++) dst[k] = src[k];
}
