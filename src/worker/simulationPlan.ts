import {
  ALGORITHM_KINDS,
  DEVICE_PRESETS,
  RESPONSE_MODELS,
  defaultDevice,
  defaultSimulationConfig,
  findDevicePreset,
  PAPER_DEVICE_PRESET_ID,
  type AlgorithmKind,
  type ResponseModel,
  type SimulationConfig,
  type SimulationResult,
  withParam,
} from '../core/analog';
import type { SimulationSettings, SimulationSummary, SweepableParam } from '../protocol/dashboard';
import { dataKindOf } from '../node/data';

/** One simulation of a plan: what the dashboard calls the series, and the full config the worker runs. */
export interface PlannedRun {
  label: string;
  algorithm: AlgorithmKind;
  config: SimulationConfig;
}

const ALGORITHM_LABELS: Record<AlgorithmKind, string> = {
  sgd: 'Digital SGD',
  'analog-sgd': 'Analog SGD',
  'tiki-taka': 'Tiki-Taka',
  ttv2: 'TTv2',
  'c-ttv2': 'c-TTv2',
};

const TRANSFER: readonly AlgorithmKind[] = ['tiki-taka', 'ttv2', 'c-ttv2'];

export const RESPONSE_MODEL_LABELS: Record<ResponseModel, string> = {
  'soft-bounds': 'Soft bounds (the paper’s device, range ±τ)',
  linear: 'Generic linear response',
  power: 'Power response',
  exp: 'Exponential response',
};

/** The device choices the dashboard and the quick pick offer: the response models, then the technology presets. */
export function deviceChoices(): Array<{ id: string; label: string; detail: string }> {
  return [
    ...RESPONSE_MODELS.map((m) => ({ id: m, label: RESPONSE_MODEL_LABELS[m], detail: 'response-function device model (Wu et al. 2024): its step shrinks near the ends of its dynamic range τ' })),
    ...DEVICE_PRESETS.map((p) => ({ id: p.id, label: `${p.technology} (${p.aihwkitName})`, detail: p.source })),
  ];
}

/** The full simulator config for one algorithm under the dashboard's settings. */
export function configFor(s: SimulationSettings, algorithm: AlgorithmKind): SimulationConfig {
  if (!ALGORITHM_KINDS.includes(algorithm)) throw new RangeError(`unknown algorithm "${algorithm}"`);
  const c = defaultSimulationConfig(s.experiment, algorithm);
  const preset = findDevicePreset(s.device);
  if (preset) c.device = { ...preset.device };
  else if ((RESPONSE_MODELS as readonly string[]).includes(s.device)) c.device = defaultDevice(s.device as ResponseModel, { tau: s.tau });
  else throw new RangeError(`unknown device "${s.device}" (response models: ${RESPONSE_MODELS.join(', ')}; presets: ${DEVICE_PRESETS.map((p) => p.id).join(', ')})`);
  // The paper's device is soft bounds ±τ: the form's τ is its range (the recipes' 0.7, or the paper's 0.8).
  if (preset?.id === PAPER_DEVICE_PRESET_ID) Object.assign(c, withParam(c, 'tau', s.tau));
  if (s.energyPerPulseJ !== undefined) c.device.energyPerPulseJ = s.energyPerPulseJ;
  c.mode = s.mode;
  c.seed = s.seed;
  c.algorithm.lr = s.lr;
  if (TRANSFER.includes(algorithm)) {
    // As the parameter registry's flags say: fast lr absolute (aihwkit 0.9.0), β = transferLr × lr.
    c.algorithm.fastLr = s.fastLr;
    c.algorithm.transferLr = s.transferLr;
  }
  if (c.experiment.kind === 'network') {
    // The networks' data: the person's file or folder (what it holds, from its first bytes), else the npm digits.
    c.experiment = { ...c.experiment, epochs: s.epochs, ...(s.dataPath !== undefined ? { dataset: dataKindOf(s.dataPath), path: s.dataPath } : {}) };
  } else if (c.experiment.kind === 'mlp') c.experiment = { ...c.experiment, epochs: s.epochs };
  else {
    c.noise = s.noise;
    c.steps = s.steps;
  }
  return c;
}

/**
 * The runs one click starts: each chosen algorithm once, or each chosen algorithm at each value of a sweep. A sweep
 * means what `--sweep P=…` means on the command line (`withParam`): lr is every algorithm's learning rate (the
 * Tiki-Taka family's β = transferLr × lr with it); τ a response device's τ, or an aihwkit device's or technology
 * preset's bounds ±τ.
 */
export function planSimulations(s: SimulationSettings, sweep?: { param: SweepableParam; values: number[] }): PlannedRun[] {
  const algorithms = s.algorithms.filter((a): a is AlgorithmKind => ALGORITHM_KINDS.includes(a));
  if (!sweep) return algorithms.map((a) => ({ label: ALGORITHM_LABELS[a], algorithm: a, config: configFor(s, a) }));
  const runs: PlannedRun[] = [];
  for (const a of algorithms) {
    for (const v of sweep.values) {
      const at: SimulationSettings = sweep.param === 'noise' ? { ...s, noise: v } : sweep.param === 'tau' ? s : { ...s, lr: v };
      const name = sweep.param === 'tau' ? 'τ' : sweep.param === 'noise' ? 'σ²' : 'lr';
      const shown = sweep.param === 'noise' ? v * v : v;
      const config = sweep.param === 'tau' ? withParam(configFor(at, a), 'tau', v) : configFor(at, a);
      runs.push({ label: `${ALGORITHM_LABELS[a]}, ${name} = ${Number(shown.toPrecision(3))}`, algorithm: a, config });
    }
  }
  return runs;
}

/** What the dashboard shows of a finished run. */
export function summarizeSimulation(r: SimulationResult): SimulationSummary {
  const first = r.weights[0];
  const bins = first?.saturationHistogram.length ?? 0;
  const counts = new Array<number>(bins).fill(0);
  for (const w of r.weights) w.saturationHistogram.forEach((n, i) => (counts[i] += n));
  return {
    finalLoss: r.final.loss,
    ...(r.final.accuracy !== null ? { accuracy: r.final.accuracy } : {}),
    ...(r.final.trainAccuracy !== null ? { trainAccuracy: r.final.trainAccuracy } : {}),
    pulses: r.pulses.total,
    energyJ: r.energy?.totalJ ?? 0,
    ...(r.energy?.bounds ? { limJ: r.energy.bounds.limJ, landauerJ: r.energy.bounds.landauerJ } : {}),
    wallMs: r.wallMs,
    cancelled: r.cancelled,
    ...(bins > 0 ? { saturation: { edges: Array.from({ length: bins + 1 }, (_, i) => i / bins), counts } } : {}),
  };
}
