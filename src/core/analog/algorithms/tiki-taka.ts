/**
 * The transfer algorithms (docs/analog.md, section 4). The gradient is written on a fast array A (P of the paper);
 * every `transferEvery` steps a few columns of A are read and moved onto the slow array C (W of the paper):
 * - Tiki-Taka v1 (aihwkit TransferCompound): C[:, j] += β·read(A[:, j]) as an analog (pulsed) update;
 * - TTv2 / c-TTv2 (aihwkit ChoppedTransferCompound): reads go into a digital buffer H, and C only receives
 *   whole pulses when |H| ≥ 1; c-TTv2 additionally flips the sign of A's inputs with a random chopper, which
 *   cancels A's drift toward its symmetric point.
 */
import { AnalogTile } from '../tile';
import type { AlgorithmContext } from './context';
import type { LayerGrad, Optimizer } from './types';

interface Layer {
  a: AnalogTile;
  c: AnalogTile;
  /** Buffer H (buffered variants only). */
  h: Float32Array | null;
  /** Input chopper signs per column of A (all +1 without chopping). */
  chop: Int8Array;
  /** Next column to transfer (round robin). */
  pointer: number;
  eff: Float32Array | null;
  /** Scratch for the whole-array transfer. */
  delta?: Float32Array;
}

export function createTransferAlgorithm(ctx: AlgorithmContext): Optimizer {
  const cfg = ctx.config;
  const buffered = cfg.kind === 'ttv2' || cfg.kind === 'c-ttv2';
  const layers: Layer[] = ctx.shapes.map((s, l) => {
    // Both arrays use the same device specification with independent device-to-device draws.
    const a = new AnalogTile(s.rows, s.cols, ctx.device, ctx.deviceRng);
    const c = new AnalogTile(s.rows, s.cols, ctx.device, ctx.deviceRng);
    // aihwkit's set_weights puts the initial weights on the last device and zeros A.
    a.setWeights(0, ctx.deviceRng);
    c.setWeights(ctx.init[l], ctx.deviceRng);
    return {
      a,
      c,
      h: buffered ? new Float32Array(s.rows * s.cols) : null,
      chop: new Int8Array(s.cols).fill(1),
      pointer: 0,
      eff: cfg.gamma !== 0 ? new Float32Array(s.rows * s.cols) : null,
    };
  });
  const maxRows = Math.max(...ctx.shapes.map((s) => s.rows));
  const maxCols = Math.max(...ctx.shapes.map((s) => s.cols));
  const column = new Float64Array(maxRows);
  const negColumn = new Float64Array(maxRows);
  const oneHot = new Float64Array(maxCols);
  const beta = cfg.transferLr * cfg.lr;
  const every = Math.max(1, Math.round(cfg.transferEvery));
  let mx = 0;
  let md = 0;
  let readMacs = 0;

  function fastLr(grads: LayerGrad[]): number {
    const base = cfg.fastLr > 0 ? cfg.fastLr : cfg.lr;
    if (!cfg.autoScale) return base;
    // c-TTv2 auto_scale: keep the expected pulses per update near desired_bl whatever the gradient scale,
    // using running means of max|x| and max|d| (aihwkit's auto_scale).
    let xm = 0;
    let dm = 0;
    for (const g of grads) {
      for (let k = 0; k < g.x.length; k++) xm = Math.max(xm, Math.abs(g.x[k]));
      for (let k = 0; k < g.d.length; k++) dm = Math.max(dm, Math.abs(g.d[k]));
    }
    const rate = 1 - cfg.autoMomentum;
    mx = mx === 0 ? xm : mx + rate * (xm - mx);
    md = md === 0 ? dm : md + rate * (dm - md);
    if (mx === 0 || md === 0) return base;
    return (base * ctx.update.desiredBl * layers[0].a.granularity) / (mx * md);
  }

  function transferColumn(L: Layer, j: number): void {
    const { a, c } = L;
    const rows = a.rows;
    const cols = a.cols;
    ctx.transferIo.readColumn(a.w, rows, cols, j, column);
    readMacs += rows;
    if (!buffered) {
      if (ctx.writer.mode === 'expected') {
        for (let i = 0; i < rows; i++) c.expectedElement(i * cols + j, beta * column[i], ctx.deviceRng);
      } else {
        // C[:, j] += β·v is the rank-1 update with x = e_j, d = −v.
        for (let i = 0; i < rows; i++) negColumn[i] = -column[i];
        oneHot.fill(0, 0, cols);
        oneHot[j] = 1;
        ctx.writer.updater.update(c, oneHot, 0, negColumn, 0, beta, ctx.transferUpdate);
      }
      return;
    }
    const h = L.h!;
    const sign = L.chop[j];
    const gA = a.granularity;
    const gC = c.granularity;
    const granularity = cfg.bufferGranularity * gA * (cfg.autoGranularity > 0 ? cfg.autoGranularity / (cols * every) : 1);
    const scale = Math.abs(beta) / granularity;
    const cap = Math.max(1, Math.round(cfg.transferBl));
    for (let i = 0; i < rows; i++) {
      const idx = i * cols + j;
      let hv = h[idx] + sign * scale * column[i];
      if (Math.abs(hv) >= 1) {
        const n = Math.max(-cap, Math.min(cap, Math.trunc(hv)));
        const pulses = Math.max(1, Math.round(Math.abs(n) * cfg.transferStep));
        if (ctx.writer.mode === 'expected') c.expectedElement(idx, Math.sign(n) * pulses * gC, ctx.deviceRng);
        else {
          c.pulseElement(idx, pulses, n > 0, ctx.deviceRng);
          c.pulses += pulses;
        }
        hv = cfg.forgetBuffer ? cfg.momentum * hv : hv - (1 - cfg.momentum) * n;
      }
      h[idx] = hv;
    }
    if (cfg.inChopProb > 0 && ctx.algoRng.uniform() < cfg.inChopProb) L.chop[j] = -L.chop[j] as -1 | 1;
  }

  const optimizer: Optimizer = {
    kind: cfg.kind,
    effectiveWeights() {
      return layers.map((L) => {
        if (!L.eff) return L.c.w;
        const cols = L.a.cols;
        for (let k = 0; k < L.eff.length; k++) L.eff[k] = L.c.w[k] + cfg.gamma * L.chop[k % cols] * L.a.w[k];
        return L.eff;
      });
    },
    step(grads: LayerGrad[], step: number) {
      const lrA = fastLr(grads);
      for (let l = 0; l < layers.length; l++) {
        const L = layers[l];
        ctx.writer.write(L.a, grads[l], lrA, ctx.update, cfg.inChopProb > 0 || cfg.kind === 'c-ttv2' ? L.chop : null);
      }
      if ((step + 1) % every === 0) {
        for (const L of layers) {
          const cols = L.a.cols;
          const count = cfg.columnsPerTransfer <= 0 ? cols : Math.min(Math.round(cfg.columnsPerTransfer), cols);
          if (count === cols && !buffered && ctx.writer.mode === 'expected' && ctx.transferIo.config.isPerfect) {
            // Full exact-read transfer in the mean dynamic: C += β·A for the whole array at once.
            const delta = L.delta ?? (L.delta = new Float32Array(L.a.size));
            for (let k = 0; k < delta.length; k++) delta[k] = beta * L.a.w[k];
            L.c.expectedUpdate(delta, ctx.deviceRng);
            readMacs += L.a.size;
            continue;
          }
          for (let k = 0; k < count; k++) {
            transferColumn(L, L.pointer);
            L.pointer = (L.pointer + 1) % cols;
          }
        }
      }
      for (const L of layers) {
        L.a.endOfStep(ctx.deviceRng);
        L.c.endOfStep(ctx.deviceRng);
      }
    },
    tiles: () =>
      layers.flatMap((L, layer) => [
        { name: `A${layer + 1}`, layer, tile: L.a },
        { name: `C${layer + 1}`, layer, tile: L.c },
      ]),
    pulses: () => layers.reduce((s, L) => s + L.a.pulses + L.c.pulses, 0),
    readMacs: () => readMacs,
  };
  return optimizer;
}
