/**
 * The training loop: builds the experiment, the tiles and the algorithm from a SimulationConfig, runs it
 * synchronously and cooperatively (a `shouldStop` hook is polled every few milliseconds of work, so a cancel
 * lands well within 100 ms), streams curve points, and returns a plain JSON-serialisable result.
 */
import { createOptimizer, GradientWriter, type AlgorithmContext } from './algorithms';
import { InvalidSimulationConfigError, isClassifier, validateSimulationConfig, type SimulationConfig } from './config';
import { deviceStates, isResponseDevice, nominalBounds, nominalSymmetricPoint, weightGranularity } from './devices/config';
import { runEnergy, type RunEnergy } from './energy';
import { createLeastSquares } from './experiments/least-squares';
import { createMlp } from './experiments/mlp';
import { createNetwork } from './experiments/network';
import type { Dataset, Problem } from './experiments/problem';
import { createQuadratic } from './experiments/quadratic';
import { AnalogIO } from './io';
import { PulsedUpdater } from './pulsed';
import { Rng, STREAM } from './rng';
import { tileStats, weightStats, type WeightStats } from './stats';

export interface SimulationHooks {
  /** Polled every few ms of work; returning true ends the run early with `cancelled: true`. */
  shouldStop?: () => boolean;
  /** Fraction of the run done, 0 … 1: at most every `progressEveryMs`, and at the end of each classifier epoch. */
  onProgress?: (fraction: number) => void;
  /** Every curve point as soon as it is computed. */
  onPoint?: (point: CurvePoint) => void;
  progressEveryMs?: number;
}

export interface CurvePoint {
  /** Step (mini-batch) index the point ends at. */
  step: number;
  /**
   * Mean of the recorded per-step losses since the previous point: the exact objective for the quadratic and
   * full-batch least squares, the mini-batch loss otherwise.
   */
  loss: number;
  /**
   * Mini-batch least squares, at the points chosen for an exact evaluation (a bounded number, see
   * EVALUATION_SHARE): the full-data objective f/D and ‖∇f‖² at the point's weights.
   */
  fullLoss?: number;
  gradNormSq?: number;
  /**
   * Classifiers, at epoch ends: the epoch and the test accuracy (0 … 1, the test split only); on the last point the
   * train accuracy of the last epoch's mini-batches, each sample as classified when it was trained on.
   */
  epoch?: number;
  accuracy?: number;
  trainAccuracy?: number;
}

/**
 * Exact full-data evaluations of a mini-batch run (least squares) are planned so that their multiply-adds stay
 * within this share of the training's, with at least MIN_EVALUATIONS of them: half (at least one) spread over the
 * final 10 % of steps, where final.loss and final.gradNormSq average them, the rest over the curve's points.
 */
export const EVALUATION_SHARE = 0.05;
export const MIN_EVALUATIONS = 2;

export interface SimulationResult {
  config: SimulationConfig;
  derived: {
    totalSteps: number;
    stepsDone: number;
    stepsPerEpoch: number;
    /** Trained weights (Tiki-Taka's fast array not counted). */
    parameters: number;
    /** Learning rate written on A (transfer algorithms) and β = transferLr·lr, as used. */
    fastLr: number | null;
    transferRate: number | null;
    granularity: number;
    deviceStates: number;
    bitsPerWeight: number;
    symmetricPoint: number;
    trainSize: number | null;
    testSize: number | null;
  };
  curve: CurvePoint[];
  final: {
    /**
     * Mean loss over the last 10 % of steps: the exact objective (least squares: f/D) at every step of that window
     * where it comes with the step, else at the exact evaluations planned there (mini-batch least squares);
     * classifiers: the mini-batch NLL.
     */
    loss: number;
    /** Mean ‖∇f‖² over the same steps or evaluations (null for the classifiers). */
    gradNormSq: number | null;
    accuracy: number | null;
    trainAccuracy: number | null;
    /** Quadratic: mean of w over the second half of the run. */
    meanWeight: number | null;
  };
  pulses: {
    total: number;
    perStep: number;
    /** Pulses per weight per step. */
    perWeightStep: number;
    /** True when the count is the expected number (expected mode), not sampled coincidences. */
    expected: boolean;
    /** Pulsed mode: rank-1 updates applied and their mean bit-line length. */
    rank1Updates: number;
    meanBl: number | null;
  };
  /** Null for digital SGD (no device pulses). */
  energy: RunEnergy | null;
  weights: WeightStats[];
  /** Simulation time, excluding building the problem and tiles: trainMs + evalMs. */
  wallMs: number;
  /** Of wallMs, the training steps (forward, backward, update, the per-step loss). */
  trainMs: number;
  /** Of wallMs, evaluation: exact full-data loss and ‖∇f‖², test accuracy. */
  evalMs: number;
  /** Exact full-data evaluations and accuracy passes made. */
  evaluations: number;
  setupMs: number;
  cancelled: boolean;
  warnings: string[];
}

class Cancelled extends Error {}

const now: () => number = (() => {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? () => perf.now() : () => Date.now();
})();

function buildProblem(c: SimulationConfig, data: Dataset | undefined): Problem & { trainSize?: number; testSize?: number } {
  const e = c.experiment;
  switch (e.kind) {
    case 'quadratic':
      return createQuadratic(e, c.noise, new Rng(c.seed, STREAM.noise));
    case 'least-squares':
      return createLeastSquares(e, new Rng(c.seed, STREAM.data), new Rng(c.seed, STREAM.shuffle), c.mode === 'expected' && c.io.isPerfect);
    case 'mlp':
      if (!data) throw new Error('the classifier experiment needs its data set: pass the parsed Dataset (see parseCsvDataset)');
      return createMlp(e, data, new Rng(c.seed, STREAM.data), new Rng(c.seed, STREAM.shuffle), new Rng(c.seed, STREAM.init));
    case 'network':
      if (!data) throw new Error('the network experiment needs its data set: pass the parsed Dataset (see parseCsvDataset, loadMnist)');
      return createNetwork(e, data, new Rng(c.seed, STREAM.data), new Rng(c.seed, STREAM.shuffle), new Rng(c.seed, STREAM.init));
  }
}

export function runSimulation(config: SimulationConfig, hooks: SimulationHooks = {}, data?: Dataset): SimulationResult {
  const t0 = now();
  const issues = validateSimulationConfig(config, data);
  if (issues.some((i) => i.severity === 'error')) throw new InvalidSimulationConfigError(issues);
  const warnings = issues.filter((i) => i.severity === 'warning').map((i) => `${i.field}: ${i.message}`);
  const c: SimulationConfig = JSON.parse(JSON.stringify(config));
  const problem = buildProblem(c, data);
  const deviceRng = new Rng(c.seed, STREAM.device);
  const updater = new PulsedUpdater(new Rng(c.seed, STREAM.pulses));
  // The quadratic draws its own noise into d; the others get σ per coordinate from the writer.
  const writerNoise = c.experiment.kind === 'quadratic' ? 0 : c.noise;
  const writer = new GradientWriter(c.mode, updater, new Rng(c.seed, STREAM.noise), deviceRng, writerNoise);
  const io = new AnalogIO(c.io, new Rng(c.seed, STREAM.io));
  const ctx: AlgorithmContext = {
    config: c.algorithm,
    shapes: problem.shapes,
    init: problem.initialWeights(),
    device: c.device,
    update: c.update,
    transferUpdate: c.transferUpdate,
    transferIo: new AnalogIO({ ...c.transferIo, noiseManagement: 'none', boundManagement: 'none' }, new Rng(c.seed, STREAM.io + 100)),
    writer,
    deviceRng,
    algoRng: new Rng(c.seed, STREAM.chopper),
  };
  const opt = createOptimizer(ctx);
  const e = c.experiment;
  const classifier = isClassifier(e);
  const total = isClassifier(e) ? e.epochs * problem.stepsPerEpoch : c.steps;
  const finalCount = Math.max(1, Math.ceil(0.1 * total));
  const finalStart = total - finalCount;
  const halfStart = Math.floor(total / 2);
  const stride = classifier ? problem.stepsPerEpoch : Math.max(1, Math.ceil(total / c.curvePoints));
  const progressEvery = hooks.progressEveryMs ?? 100;

  // Poll the clock every `checkEvery` steps so that a few ms of work pass between polls.
  const tileWork = problem.shapes.reduce((s, sh) => s + sh.rows * sh.cols, 0) * (c.mode === 'pulsed' ? 4 : 2);
  const workPerStep = problem.macsPerStep * 3 + tileWork * Math.max(1, problem.grads[0].count);
  const checkEvery = Math.max(1, Math.floor(2e5 / workPerStep));
  let lastProgress = now();
  let current = 0;
  const poll = (step: number) => {
    if (hooks.shouldStop?.()) throw new Cancelled();
    if (hooks.onProgress) {
      const t = now();
      if (t - lastProgress >= progressEvery) {
        lastProgress = t;
        hooks.onProgress(step / total);
      }
    }
  };

  // Inside a step, between samples: large tiles make a single step long.
  const largest = Math.max(...problem.shapes.map((sh) => sh.rows * sh.cols));
  const guardEvery = Math.max(1, Math.floor(2e5 / largest));
  let guardCount = 0;
  const tick = () => {
    if (++guardCount >= guardEvery) {
      guardCount = 0;
      poll(current);
    }
  };
  writer.setGuard(() => poll(current), guardEvery);

  const curve: CurvePoint[] = [];
  const emit = (p: CurvePoint) => {
    curve.push(p);
    hooks.onPoint?.(p);
  };
  const isCurveStep = (k: number) => k === 0 || k % stride === 0 || k === total - 1;

  // Mini-batch problems with an exact objective: the steps at which it is evaluated, within the budget.
  const evalAt = new Set<number>();
  if (!problem.exactEveryStep && problem.evaluate && problem.planEvaluations && !classifier) {
    const budget = EVALUATION_SHARE * total * workPerStep;
    const curveSteps: number[] = [];
    for (let k = 0; k < total; k += stride) curveSteps.push(k);
    if (curveSteps[curveSteps.length - 1] !== total - 1) curveSteps.push(total - 1);
    const most = curveSteps.length + finalCount;
    let lo = Math.min(MIN_EVALUATIONS, most);
    let hi = most;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (problem.planEvaluations(mid) <= budget) lo = mid;
      else hi = mid - 1;
    }
    const nFinal = Math.min(finalCount, Math.max(1, Math.floor(lo / 2)));
    for (let j = 0; j < nFinal; j++) evalAt.add(total - 1 - Math.floor((j * finalCount) / nFinal));
    const nCurve = lo - nFinal;
    if (nCurve > 0) {
      const every = Math.max(1, Math.ceil(curveSteps.length / nCurve));
      for (let j = 0; j < curveSteps.length; j += every) evalAt.add(curveSteps[j]);
    }
    problem.planEvaluations(evalAt.size);
  }

  let windowSum = 0;
  let windowCount = 0;
  let finalLoss = 0;
  let finalGrad = 0;
  let finalGradCount = 0;
  let finalN = 0;
  let wSum = 0;
  let wN = 0;
  let done = 0;
  let cancelled = false;
  let evalMs = 0;
  let evaluations = 0;
  const setupMs = now() - t0;
  const tStart = now();
  try {
    for (let k = 0; k < total; k++) {
      current = k;
      if (k % checkEvery === 0) poll(k);
      const W = opt.effectiveWeights();
      if (k >= halfStart && e.kind === 'quadratic') {
        wSum += W[0][0];
        wN++;
      }
      let exact: { loss: number; gradNormSq: number } | null = null;
      if (evalAt.has(k)) {
        const te = now();
        exact = problem.evaluate!(W, tick);
        evalMs += now() - te;
        evaluations++;
        if (k >= finalStart) {
          finalLoss += exact.loss;
          finalN++;
          finalGrad += exact.gradNormSq;
          finalGradCount++;
        }
      }
      const loss = problem.computeStep(k, W, io, tick);
      // The step's own loss counts in final.loss where it is exact, or where there is nothing exact to evaluate
      // (the classifiers' mini-batch NLL).
      if (k >= finalStart && (problem.exactEveryStep || !problem.evaluate)) {
        finalLoss += loss;
        finalN++;
        const te = now();
        const g = problem.lastGradNormSq();
        evalMs += now() - te;
        if (g !== null) {
          finalGrad += g;
          finalGradCount++;
        }
      }
      windowSum += loss;
      windowCount++;
      if (!classifier && isCurveStep(k)) {
        emit({ step: k, loss: windowSum / windowCount, ...(exact ? { fullLoss: exact.loss, gradNormSq: exact.gradNormSq } : {}) });
        windowSum = 0;
        windowCount = 0;
      }
      opt.step(problem.grads, k);
      problem.afterStep(c.algorithm.lr);
      done = k + 1;
      if (classifier && done % stride === 0 && problem.accuracy) {
        const last = done === total;
        const te = now();
        const acc = problem.accuracy(opt.effectiveWeights(), io);
        evalMs += now() - te;
        evaluations++;
        emit({ step: done, epoch: done / stride, loss: windowSum / windowCount, accuracy: acc.test, ...(last ? { trainAccuracy: acc.train } : {}) });
        windowSum = 0;
        windowCount = 0;
        // An epoch's end is progress worth saying however fast the epoch was (the dashboard shows "epoch k (p %)").
        if (hooks.onProgress) {
          lastProgress = now();
          hooks.onProgress(done / total);
        }
      }
    }
  } catch (err) {
    if (!(err instanceof Cancelled)) throw err;
    cancelled = true;
    if (windowCount > 0 && !classifier) emit({ step: done - 1, loss: windowSum / windowCount });
  }

  let accuracy: number | null = null;
  let trainAccuracy: number | null = null;
  if (problem.accuracy && done > 0) {
    const last = curve[curve.length - 1];
    if (last && last.step === done && last.accuracy !== undefined) {
      accuracy = last.accuracy;
      trainAccuracy = last.trainAccuracy ?? null;
    } else {
      // Stopped within an epoch: the test accuracy of the weights reached, the train accuracy of the partial epoch.
      const te = now();
      const acc = problem.accuracy(opt.effectiveWeights(), io);
      evalMs += now() - te;
      evaluations++;
      accuracy = acc.test;
      trainAccuracy = Number.isNaN(acc.train) ? null : acc.train;
    }
  }
  const wallMs = now() - tStart;
  const parameters = problem.shapes.reduce((s, sh) => s + sh.rows * sh.cols, 0);
  const granularity = weightGranularity(c.device);
  const states = deviceStates(c.device);
  const bits = c.algorithm.kind === 'sgd' ? 32 : Math.log2(Math.max(2, states));
  const pulses = opt.pulses();
  const macs = problem.macsPerStep * done + opt.readMacs();
  const analog = c.algorithm.kind !== 'sgd';
  const energy = analog
    ? runEnergy({ pulses, energyPerPulseJ: c.device.energyPerPulseJ, macs, energyPerMacJ: c.energyPerMacJ, params: parameters, updates: done, bits })
    : null;
  const tiles = opt.tiles();
  const bounds = nominalBounds(c.device);
  const tau = Math.max(bounds.wMax, -bounds.wMin);
  const weights: WeightStats[] =
    tiles.length > 0
      ? tiles.map((t) => tileStats(t.name, t.layer, t.tile))
      : opt.effectiveWeights().map((w, l) => weightStats(`W${l + 1}`, l, problem.shapes[l].rows, problem.shapes[l].cols, w, () => tau));
  const transfer = c.algorithm.kind === 'tiki-taka' || c.algorithm.kind === 'ttv2' || c.algorithm.kind === 'c-ttv2';
  return {
    config: c,
    derived: {
      totalSteps: total,
      stepsDone: done,
      stepsPerEpoch: problem.stepsPerEpoch,
      parameters,
      fastLr: transfer ? (c.algorithm.fastLr > 0 ? c.algorithm.fastLr : c.algorithm.lr) : null,
      transferRate: transfer ? c.algorithm.transferLr * c.algorithm.lr : null,
      granularity,
      deviceStates: states,
      bitsPerWeight: bits,
      symmetricPoint: nominalSymmetricPoint(c.device),
      trainSize: problem.trainSize ?? null,
      testSize: problem.testSize ?? null,
    },
    curve,
    final: {
      loss: finalN > 0 ? finalLoss / finalN : NaN,
      gradNormSq: finalGradCount > 0 ? finalGrad / finalGradCount : null,
      accuracy,
      trainAccuracy,
      meanWeight: wN > 0 ? wSum / wN : null,
    },
    pulses: {
      total: pulses,
      perStep: done > 0 ? pulses / done : 0,
      perWeightStep: done > 0 ? pulses / done / parameters : 0,
      expected: c.mode === 'expected',
      rank1Updates: updater.stats.samples,
      meanBl: updater.stats.samples > 0 ? updater.stats.blSum / updater.stats.samples : null,
    },
    energy,
    weights,
    wallMs,
    trainMs: Math.max(0, wallMs - evalMs),
    evalMs,
    evaluations,
    setupMs,
    cancelled,
    warnings,
  };
}

/** Parameters a sweep can vary, by their CLI names. */
export const SWEEP_PARAMS = [
  'lr', 'fast-lr', 'transfer-lr', 'gamma', 'transfer-every', 'columns-per-transfer', 'tau', 'noise', 'dw-min', 'offset', 'gamma-res', 'up-down',
  'seed', 'init', 'steps', 'epochs', 'batch', 'hidden', 'bl', 'curvature', 'target',
] as const;
export type SweepParam = (typeof SWEEP_PARAMS)[number];

/** A copy of `base` with one parameter set, as the CLI flag of the same name would set it. */
export function withParam(base: SimulationConfig, param: SweepParam, value: number): SimulationConfig {
  const c: SimulationConfig = JSON.parse(JSON.stringify(base));
  const e = c.experiment;
  switch (param) {
    case 'lr': c.algorithm.lr = value; break;
    case 'fast-lr': c.algorithm.fastLr = value; break;
    case 'transfer-lr': c.algorithm.transferLr = value; break;
    case 'gamma': c.algorithm.gamma = value; break;
    case 'transfer-every': c.algorithm.transferEvery = value; break;
    case 'columns-per-transfer': c.algorithm.columnsPerTransfer = value; break;
    case 'tau':
      // τ of a response device; an aihwkit device gets the bounds ±τ.
      if (isResponseDevice(c.device)) c.device.tau = value;
      else {
        c.device.wMax = value;
        c.device.wMin = -value;
      }
      break;
    case 'noise': c.noise = value; break;
    case 'dw-min': c.device.dwMin = value; break;
    case 'offset':
      if (c.device.model !== 'linear') throw new RangeError('offset applies to the linear response device');
      c.device.offset = value;
      break;
    case 'gamma-res':
      if (c.device.model !== 'power' && c.device.model !== 'exp') throw new RangeError('gamma-res applies to the power and exp response devices');
      c.device.gammaRes = value;
      break;
    case 'up-down':
      if (isResponseDevice(c.device)) throw new RangeError('up-down applies to the aihwkit device models and presets');
      c.device.upDown = value;
      break;
    case 'seed': c.seed = value; break;
    case 'init':
      if (isClassifier(e)) throw new RangeError('init applies to the quadratic and least-squares experiments');
      e.init = value;
      break;
    case 'steps': c.steps = value; break;
    case 'epochs':
      if (!isClassifier(e)) throw new RangeError('epochs applies to the classifier experiments');
      e.epochs = value;
      break;
    case 'hidden':
      if (e.kind === 'mlp') e.hidden = value;
      else if (e.kind === 'network') {
        // The width of a network's one hidden dense layer; with several, each is its own (--layers).
        const hidden = e.layers.slice(0, -1).filter((l) => l.type === 'dense');
        if (hidden.length !== 1) throw new RangeError(`hidden sets the width of a network's one hidden dense layer; this one has ${hidden.length} (use --layers)`);
        hidden[0].units = value;
      } else throw new RangeError('hidden applies to the classifier experiments');
      break;
    case 'batch':
      if (e.kind === 'quadratic') throw new RangeError('batch does not apply to the quadratic');
      e.batch = value;
      break;
    case 'bl': c.update.desiredBl = value; break;
    case 'curvature':
    case 'target':
      if (e.kind !== 'quadratic') throw new RangeError(`${param} applies to the quadratic`);
      e[param] = value;
      break;
  }
  return c;
}

export interface SweepResult {
  param: SweepParam;
  values: number[];
  runs: SimulationResult[];
  cancelled: boolean;
}

/** Runs `base` once per value of `param`; hooks see the progress of the whole sweep. */
export function runSweep(base: SimulationConfig, param: SweepParam, values: number[], hooks: SimulationHooks = {}, data?: Dataset): SweepResult {
  const configs = values.map((v) => withParam(base, param, v));
  for (const [k, cfg] of configs.entries()) {
    const errors = validateSimulationConfig(cfg, data).filter((i) => i.severity === 'error');
    if (errors.length > 0) throw new InvalidSimulationConfigError(errors.map((i) => ({ ...i, message: `${param} = ${values[k]}: ${i.message}` })));
  }
  const runs: SimulationResult[] = [];
  let stopped = false;
  for (let k = 0; k < configs.length && !stopped; k++) {
    const r = runSimulation(
      configs[k],
      {
        shouldStop: hooks.shouldStop,
        onPoint: hooks.onPoint,
        progressEveryMs: hooks.progressEveryMs,
        onProgress: hooks.onProgress ? (f) => hooks.onProgress!((k + f) / configs.length) : undefined,
      },
      data,
    );
    runs.push(r);
    stopped = r.cancelled;
  }
  return { param, values, runs, cancelled: stopped };
}
