// The dashboard's simulation settings become the simulator's configs (src/worker/simulationPlan.ts): the recipes
// an experiment loads reproduce the core's reference settings, which docs/analog.md's figures were measured with.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALGORITHM_KINDS, defaultSimulationConfig, type AlgorithmKind } from '../../../src/core/analog';
import { DEFAULT_SIMULATION_SETTINGS, EXPERIMENT_RECIPES, withExperiment } from '../../../src/protocol/dashboard';
import { configFor, planSimulations } from '../../../src/worker/simulationPlan';

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
