import type { EnergyBounds, SweepPoint } from '../core/bounds';
import { param } from '../core/params/registry';
import { checkMessage, hasNumber, hasFigures, hasString, isArrayOf, isFigure, isOneOf, isOptionalNumber, isRecord } from './guards';
import { isHardwareOption, isRunSummary, type HardwareOption, type RunSummary } from './runs';

/** Extension host ⇄ dashboard panel. */

export const DASHBOARD_TABS = ['energy', 'scaling', 'tradeoffs', 'analog', 'compare'] as const;
export type DashboardTab = (typeof DASHBOARD_TABS)[number];

/** The charts of one energy selection (a workspace run or a preset), computed in the worker. */
export interface EnergyView {
  /** A run id or `preset:<id>`. */
  selection: string;
  title: string;
  bounds: EnergyBounds;
  sweeps: {
    size: SweepPoint[];
    precision: SweepPoint[];
    alpha: SweepPoint[];
    barrier: Array<{ n: number; barrierKT: number }>;
  };
}

/** What a person sets before running an analog-training simulation from the dashboard. */
export interface SimulationSettings {
  experiment: 'quadratic' | 'least-squares' | 'mlp-digits';
  algorithms: Array<'sgd' | 'analog-sgd' | 'tiki-taka' | 'ttv2' | 'c-ttv2'>;
  /** A response model (soft-bounds, linear, power, exp) or a technology preset id. */
  device: string;
  mode: 'expected' | 'pulsed';
  /** Dynamic range of the response-model devices (presets carry their own bounds). */
  tau: number;
  /** Learning rate of digital SGD and Analog SGD. */
  lr: number;
  /** Tiki-Taka family: learning rate of the gradient written on A (absolute, aihwkit 0.9.0). */
  fastLr: number;
  /** Tiki-Taka family: transfer rate β from A to C. */
  transferLr: number;
  /** Gradient noise σ (quadratic and least squares). */
  noise: number;
  /** Steps (quadratic and least squares). */
  steps: number;
  /** Epochs (MLP on the digits). */
  epochs: number;
  seed: number;
}

/**
 * The dashboard's starting point: the paper's least-squares problem in the regime where Tiki-Taka converges. What
 * a setting can change (device, mode, τ, lr, σ, steps, seed) is the parameter registry's default.
 */
export const DEFAULT_SIMULATION_SETTINGS: SimulationSettings = {
  experiment: 'least-squares',
  algorithms: ['sgd', 'analog-sgd', 'tiki-taka'],
  device: param('simulation.device').default as string,
  mode: param('simulation.mode').default as SimulationSettings['mode'],
  tau: param('simulation.tau').default as number,
  lr: param('simulation.lr').default as number,
  fastLr: 0.1,
  transferLr: 3e-3,
  noise: param('simulation.noise').default as number,
  steps: param('simulation.steps').default as number,
  epochs: 30,
  seed: param('simulation.seed').default as number,
};

/**
 * What switching to an experiment loads into the form (and the quick pick's settings): its learning rates, and for
 * the MLP the paper's FCN recipe with aihwkit's pulsed update (src/core/analog/config.ts, docs/analog.md). The
 * least-squares rates are tuned for the paper's problem; on the digits they cost 5–10 points of accuracy.
 */
export const EXPERIMENT_RECIPES: Record<SimulationSettings['experiment'], Partial<SimulationSettings>> = {
  'least-squares': { lr: 0.03, fastLr: 0.1, transferLr: 3e-3 },
  quadratic: { lr: 0.01, fastLr: 0.1, transferLr: 1e-3 },
  'mlp-digits': { lr: 0.1, fastLr: 0.05, transferLr: 0.1, mode: 'pulsed' },
};

/** The settings with another experiment: its recipe when the experiment changes; as they are otherwise. */
export function withExperiment(s: SimulationSettings, experiment: SimulationSettings['experiment']): SimulationSettings {
  return experiment === s.experiment ? s : { ...s, experiment, ...EXPERIMENT_RECIPES[experiment] };
}

/** What the run picker calls the bound presets: short enough for a 360 px column; unknown ids show as they are. */
export const PRESET_LABELS: Readonly<Record<string, string>> = {
  'brain-scale': 'Brain-scale model, 1e15 parameters',
  'gpt-3': 'GPT-3 175B (Brown et al. 2020)',
};
export const presetLabel = (id: string): string => (Object.prototype.hasOwnProperty.call(PRESET_LABELS, id) ? PRESET_LABELS[id] : id);

/** At most this many configs side by side: a comparison is read as one table. */
export const MAX_COMPARED = 12;

export const SWEEPABLE = ['tau', 'noise', 'lr'] as const;
export type SweepableParam = (typeof SWEEPABLE)[number];

export interface CurvePoint {
  step: number;
  loss: number;
  accuracy?: number;
}

export interface SimulationSummary {
  finalLoss: number;
  accuracy?: number;
  pulses: number;
  energyJ: number;
  limJ?: number;
  landauerJ?: number;
  wallMs: number;
  cancelled: boolean;
  /** Saturation |w|/τ histogram of the final weights. */
  saturation?: { edges: number[]; counts: number[] };
}

export interface SimulationOptions {
  devices: Array<{ id: string; label: string }>;
  experiments: Array<{ id: SimulationSettings['experiment']; label: string }>;
  defaults: SimulationSettings;
}

export type HostToDashboard =
  | { type: 'init'; hardware: HardwareOption[]; hardwareId: string; presets: Array<{ id: string; label: string }>; simulation: SimulationOptions }
  | { type: 'runs'; runs: RunSummary[] }
  /**
   * Configs side by side (Compare Configs): each as the run lists summarise it, in the order chosen. A config
   * without an estimate is there too, with its diagnostics (the reason the table shows).
   */
  | { type: 'comparison'; runs: RunSummary[] }
  | { type: 'energy'; view: EnergyView }
  | { type: 'showTab'; tab: DashboardTab }
  /**
   * `index` of `total`: the simulation's place in the batch one click (or command) started. Index 0 starts a new
   * comparison: the webview clears the previous curves then, and keeps the batch's curves together until then.
   * With `algorithm` given, `settings` are the whole batch's (the form shows them); without it, `settings.algorithms`
   * holds this simulation's algorithm alone.
   */
  | { type: 'simStarted'; simId: string; series: string; settings: SimulationSettings; algorithm?: SimulationSettings['algorithms'][number]; index?: number; total?: number }
  | { type: 'simPoints'; simId: string; points: CurvePoint[] }
  | { type: 'simDone'; simId: string; summary: SimulationSummary }
  | { type: 'simError'; simId: string; message: string }
  | { type: 'error'; message: string };

/**
 * What is on screen after a draw: per chart its data and how many canvas pixels are painted (0: nothing was
 * drawn). The host passes it to the test hooks, so integration tests assert what the webview drew.
 */
export interface RenderedChart {
  id: string;
  datasets: number;
  points: number;
  painted: number;
}

export type DashboardToHost =
  | { type: 'ready' }
  | { type: 'select'; selection: string }
  | { type: 'setHardware'; hardwareId: string }
  | { type: 'openRun'; runId: string }
  | { type: 'simulate'; settings: SimulationSettings; sweep?: { param: SweepableParam; values: number[] } }
  | { type: 'cancelSimulation' }
  | { type: 'exportPng'; name: string; dataUrl: string }
  | { type: 'exportTable'; name: string; format: 'csv' | 'markdown'; content: string }
  | { type: 'exportAihwkit'; settings: SimulationSettings }
  | { type: 'stateChanged'; tab: DashboardTab; selection?: string }
  /** Open the "What do these numbers mean?" page (the command limLens.showGlossary). */
  | { type: 'showGlossary' }
  /** Choose configs to compare (the command limLens.compareConfigs, its quick pick). */
  | { type: 'compare' }
  /** drawnAt: Date.now() in the page at the last chart draw (the report follows a debounce and a pixel count). */
  | { type: 'rendered'; tab: DashboardTab; title: string; charts: RenderedChart[]; drawnAt: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** Simulation settings as every boundary checks them: a webview message, a command's argument. */
export const isSimulationSettings = (x: unknown): x is SimulationSettings =>
  isRecord(x) &&
  isOneOf(x.experiment, ['quadratic', 'least-squares', 'mlp-digits'] as const) &&
  Array.isArray(x.algorithms) &&
  x.algorithms.length > 0 &&
  x.algorithms.every((a) => isOneOf(a, ['sgd', 'analog-sgd', 'tiki-taka', 'ttv2', 'c-ttv2'] as const)) &&
  hasString(x, 'device') &&
  isOneOf(x.mode, ['expected', 'pulsed'] as const) &&
  ['tau', 'lr', 'fastLr', 'transferLr', 'noise', 'steps', 'epochs', 'seed'].every((k) => hasNumber(x, k));

export function isDashboardToHost(m: unknown): m is DashboardToHost {
  return checkMessage<DashboardToHost>(m, {
    ready: () => true,
    select: (x) => hasString(x, 'selection'),
    setHardware: (x) => hasString(x, 'hardwareId'),
    openRun: (x) => hasString(x, 'runId'),
    simulate: (x) =>
      isSimulationSettings(x.settings) &&
      (x.sweep === undefined ||
        (isRecord(x.sweep) && isOneOf(x.sweep.param, SWEEPABLE) && Array.isArray(x.sweep.values) && x.sweep.values.length > 0 && x.sweep.values.length <= 12 && x.sweep.values.every((v) => typeof v === 'number' && Number.isFinite(v)))),
    cancelSimulation: () => true,
    exportPng: (x) => hasString(x, 'name') && hasString(x, 'dataUrl') && x.dataUrl.startsWith('data:image/png;base64,'),
    exportTable: (x) => hasString(x, 'name') && isOneOf(x.format, ['csv', 'markdown'] as const) && hasString(x, 'content'),
    exportAihwkit: (x) => isSimulationSettings(x.settings),
    stateChanged: (x) => isOneOf(x.tab, DASHBOARD_TABS) && (x.selection === undefined || hasString(x, 'selection')),
    showGlossary: () => true,
    compare: () => true,
    rendered: (x) => isOneOf(x.tab, DASHBOARD_TABS) && hasString(x, 'title') && Array.isArray(x.charts) && hasNumber(x, 'drawnAt'),
    log: (x) => isOneOf(x.level, ['info', 'warn', 'error'] as const) && hasString(x, 'message'),
  });
}

const isIdLabel = (x: unknown): x is { id: string; label: string } => isRecord(x) && hasString(x, 'id') && hasString(x, 'label');
const isSweepPoint = (x: unknown): x is SweepPoint => isRecord(x);
const isCurvePoint = (x: unknown): x is CurvePoint => isRecord(x) && typeof x.step === 'number' && isFigure(x.loss) && isOptionalNumber(x.accuracy);

/** What the tabs read of a view: every table they index into, so a partial view is dropped rather than crashing a tab. */
const isEnergyView = (x: unknown): x is EnergyView =>
  isRecord(x) &&
  hasString(x, 'selection') &&
  hasString(x, 'title') &&
  isRecord(x.bounds) &&
  isRecord(x.bounds.inputs) &&
  hasFigures(x.bounds.energy, ['landauer', 'limNonEquilibrium', 'lim', 'staticBarrier', 'accelerator']) &&
  hasFigures(x.bounds.derived, ['updatesPerParameter', 'kT', 'retentionBarrierKT', 'acceleratorJoulesPerFlop', 'ordersAcceleratorOverLim', 'limOverLandauer']) &&
  Array.isArray(x.bounds.results) &&
  isArrayOf(x.bounds.walls, isRecord) &&
  isRecord(x.sweeps) &&
  isArrayOf(x.sweeps.size, isSweepPoint) &&
  isArrayOf(x.sweeps.precision, isSweepPoint) &&
  isArrayOf(x.sweeps.alpha, isSweepPoint) &&
  isArrayOf(x.sweeps.barrier, (b): b is { n: number; barrierKT: number } => hasFigures(b, ['n', 'barrierKT']));

const isSummary = (x: unknown): x is SimulationSummary =>
  hasFigures(x, ['finalLoss', 'pulses', 'energyJ', 'wallMs']) &&
  typeof x.cancelled === 'boolean' &&
  isOptionalNumber(x.accuracy) &&
  isOptionalNumber(x.limJ) &&
  isOptionalNumber(x.landauerJ) &&
  (x.saturation === undefined || (isRecord(x.saturation) && isArrayOf(x.saturation.edges, isFigure) && isArrayOf(x.saturation.counts, isFigure)));

export function isHostToDashboard(m: unknown): m is HostToDashboard {
  return checkMessage<HostToDashboard>(m, {
    init: (x) =>
      isArrayOf(x.hardware, isHardwareOption) &&
      hasString(x, 'hardwareId') &&
      isArrayOf(x.presets, isIdLabel) &&
      isRecord(x.simulation) &&
      isArrayOf(x.simulation.devices, isIdLabel) &&
      isArrayOf(x.simulation.experiments, isIdLabel) &&
      isSimulationSettings(x.simulation.defaults),
    runs: (x) => isArrayOf(x.runs, isRunSummary),
    comparison: (x) => isArrayOf(x.runs, isRunSummary) && x.runs.length <= MAX_COMPARED,
    energy: (x) => isEnergyView(x.view),
    showTab: (x) => isOneOf(x.tab, DASHBOARD_TABS),
    simStarted: (x) =>
      hasString(x, 'simId') &&
      hasString(x, 'series') &&
      isSimulationSettings(x.settings) &&
      (x.algorithm === undefined || isOneOf(x.algorithm, ['sgd', 'analog-sgd', 'tiki-taka', 'ttv2', 'c-ttv2'] as const)) &&
      (x.index === undefined || hasNumber(x, 'index')) &&
      (x.total === undefined || hasNumber(x, 'total')),
    simPoints: (x) => hasString(x, 'simId') && isArrayOf(x.points, isCurvePoint),
    simDone: (x) => hasString(x, 'simId') && isSummary(x.summary),
    simError: (x) => hasString(x, 'simId') && hasString(x, 'message'),
    error: (x) => hasString(x, 'message'),
  });
}
