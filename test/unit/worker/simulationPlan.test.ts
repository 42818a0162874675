// The dashboard's simulation settings become the simulator's configs (src/worker/simulationPlan.ts): the recipes
// an experiment loads reproduce the core's reference settings, which docs/analog.md's figures were measured with.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALGORITHM_KINDS, defaultSimulationConfig, runSimulation, withParam, type AlgorithmKind } from '../../../src/core/analog';
import { simulateArgs } from '../../../src/cli/commands/simulate';
import { readParamSettings } from '../../../src/core/params/read';
import { param } from '../../../src/core/params/registry';
import { DEFAULT_SIMULATION_SETTINGS, EXPERIMENT_RECIPES, simulationSettingsFrom, withExperiment } from '../../../src/protocol/dashboard';
import { configFor, planSimulations, summarizeSimulation } from '../../../src/worker/simulationPlan';

const TRANSFER: readonly AlgorithmKind[] = ['tiki-taka', 'ttv2', 'c-ttv2'];

/** What decides a run's learning: the rate on the weights (SGD) or on A, and the transfer rate β (Tiki-Taka). */
function rates(c: ReturnType<typeof defaultSimulationConfig>, algorithm: AlgorithmKind) {
  return TRANSFER.includes(algorithm) ? { fastLr: c.algorithm.fastLr, beta: c.algorithm.lr * c.algorithm.transferLr, mode: c.mode } : { lr: c.algorithm.lr, mode: c.mode };
}

describe('simulation plan: dashboard settings → simulator configs', () => {
  for (const experiment of ['mlp-digits', 'quadratic'] as const) {
    test(`switching to ${experiment} loads the core's reference rates for every algorithm`, () => {
      const s = withExperiment(DEFAULT_SIMULATION_SETTINGS, experiment);
      for (const a of ALGORITHM_KINDS) {
        const core = defaultSimulationConfig(experiment, a);
        const ours = configFor(s, a);
        const expected = rates(core, a);
        // The quadratic's mode is the user's (expected by default, as the core's); the MLP's is the paper's pulsed.
        assert.deepEqual(rates(ours, a), experiment === 'mlp-digits' ? expected : { ...expected, mode: s.mode }, `${experiment} ${a}`);
      }
    });
  }

  test('least squares: SGD and Analog SGD at the core’s rate; Tiki-Taka with β = 3e-3 to converge within the dashboard’s steps', () => {
    const s = withExperiment(withExperiment(DEFAULT_SIMULATION_SETTINGS, 'mlp-digits'), 'least-squares');
    assert.equal(configFor(s, 'analog-sgd').algorithm.lr, defaultSimulationConfig('least-squares', 'analog-sgd').algorithm.lr);
    const tt = configFor(s, 'tiki-taka');
    assert.equal(tt.algorithm.lr * tt.algorithm.transferLr, 3e-3);
    assert.equal(tt.algorithm.fastLr, 0.1);
  });

  test('the transfer lr means what --transfer-lr means (× lr), and the fast lr what --fast-lr means: the same config', () => {
    const s = { ...DEFAULT_SIMULATION_SETTINGS, lr: 0.02, fastLr: 0.3, transferLr: 0.5, seed: 4 };
    for (const a of ['tiki-taka', 'ttv2', 'c-ttv2'] as const) {
      const cli = simulateArgs(['--experiment', 'least-squares', '--algorithm', a, '--lr', '0.02', '--fast-lr', '0.3', '--transfer-lr', '0.5', '--seed', '4']);
      assert.ok(cli !== 'help');
      const ours = configFor(s, a);
      assert.deepEqual(ours.algorithm, cli.config.algorithm, a);
      assert.equal(ours.algorithm.transferLr * ours.algorithm.lr, 0.01, 'β = transferLr × lr');
    }
    // An lr sweep sets every algorithm's lr, as --sweep lr=… does: Tiki-Taka's β moves with it.
    const sweep = planSimulations({ ...s, algorithms: ['analog-sgd', 'tiki-taka'] }, { param: 'lr', values: [0.01, 0.04] });
    assert.deepEqual(sweep.map((r) => r.label), ['Analog SGD, lr = 0.01', 'Analog SGD, lr = 0.04', 'Tiki-Taka, lr = 0.01', 'Tiki-Taka, lr = 0.04']);
    assert.deepEqual(sweep[3].config.algorithm, withParam(configFor(s, 'tiki-taka'), 'lr', 0.04).algorithm);
    assert.equal(sweep[3].config.algorithm.transferLr * sweep[3].config.algorithm.lr, 0.02);
  });

  test('the recipes keep their transfer rates β: least squares 3e-3, quadratic 1e-3, digits 0.1 (the digits recipe: 1 × lr)', () => {
    const beta = (e: 'least-squares' | 'quadratic' | 'mlp-digits') => {
      const c = configFor(withExperiment({ ...DEFAULT_SIMULATION_SETTINGS, experiment: e === 'quadratic' ? 'least-squares' : 'quadratic' }, e), 'tiki-taka');
      return c.algorithm.transferLr * c.algorithm.lr;
    };
    assert.deepEqual([beta('least-squares'), beta('quadratic'), beta('mlp-digits')], [3e-3, 1e-3, 0.1]);
    assert.equal(EXPERIMENT_RECIPES['mlp-digits'].transferLr, 1);
  });

  test('limLens.simulation.energyPerPulseJ reaches the device and changes the energy the dashboard shows', () => {
    const settingsWith = (energy: unknown) => readParamSettings((key) => (key === 'simulation.energyPerPulseJ' ? energy : undefined)).simulation;
    const fallback = simulationSettingsFrom(settingsWith(undefined));
    assert.equal(fallback.energyPerPulseJ, param('simulation.energyPerPulseJ').default, 'unset: the registry default');
    const s = { ...simulationSettingsFrom(settingsWith(2e-13)), steps: 300, mode: 'pulsed' as const };
    assert.equal(s.energyPerPulseJ, 2e-13);
    const run = (settings: typeof s) => summarizeSimulation(runSimulation(configFor(settings, 'analog-sgd')));
    const mine = run(s);
    const base = run({ ...s, energyPerPulseJ: fallback.energyPerPulseJ });
    assert.equal(mine.pulses, base.pulses, 'the same run');
    assert.ok(mine.pulses > 1000, `pulses ${mine.pulses}`);
    // energy = pulses × energy per pulse + reads: the difference is the pulses' share alone.
    const expected = mine.pulses * (2e-13 - (fallback.energyPerPulseJ as number));
    assert.ok(Math.abs(mine.energyJ - base.energyJ - expected) <= 1e-9 * mine.energyJ, `${mine.energyJ} − ${base.energyJ} vs ${expected}`);
    // The form's settings (no energy field) take the setting's value; a refused setting falls back to the default.
    assert.equal(simulationSettingsFrom(settingsWith(2e-13), DEFAULT_SIMULATION_SETTINGS).energyPerPulseJ, 2e-13);
    assert.equal(simulationSettingsFrom(settingsWith(-1)).energyPerPulseJ, param('simulation.energyPerPulseJ').default);
  });

  test('the settings a run starts from are the registry\'s settings over the dashboard defaults', () => {
    const get = (key: string) => ({ 'simulation.tau': 0.7, 'simulation.lr': 0.05, 'simulation.mode': 'pulsed', 'simulation.seed': 9 })[key];
    const s = simulationSettingsFrom(readParamSettings(get).simulation);
    assert.deepEqual({ tau: s.tau, lr: s.lr, mode: s.mode, seed: s.seed }, { tau: 0.7, lr: 0.05, mode: 'pulsed', seed: 9 });
    assert.deepEqual({ ...s, tau: 1, lr: DEFAULT_SIMULATION_SETTINGS.lr, mode: DEFAULT_SIMULATION_SETTINGS.mode, seed: 1, energyPerPulseJ: undefined }, { ...DEFAULT_SIMULATION_SETTINGS, energyPerPulseJ: undefined });
  });

  test('the same experiment keeps the settings as they are (a person’s own learning rate survives)', () => {
    const mine = { ...DEFAULT_SIMULATION_SETTINGS, lr: 0.2, fastLr: 0.7 };
    assert.equal(withExperiment(mine, 'least-squares'), mine);
    const digits = withExperiment(mine, 'mlp-digits');
    assert.deepEqual({ lr: digits.lr, fastLr: digits.fastLr, transferLr: digits.transferLr, mode: digits.mode }, EXPERIMENT_RECIPES['mlp-digits']);
    assert.equal(digits.seed, mine.seed);
    assert.equal(digits.device, mine.device);
  });

  test('a plan runs each chosen algorithm once, in the order of the form; a sweep runs each at each value', () => {
    const s = { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['tiki-taka', 'sgd'] as AlgorithmKind[] };
    assert.deepEqual(planSimulations(s).map((r) => r.algorithm), ['tiki-taka', 'sgd']);
    const sweep = planSimulations(s, { param: 'tau', values: [0.5, 2] });
    assert.equal(sweep.length, 4);
    assert.deepEqual(sweep.map((r) => ('tau' in r.config.device ? r.config.device.tau : NaN)).sort(), [0.5, 0.5, 2, 2]);
  });
});
