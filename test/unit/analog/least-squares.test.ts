import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSimulationConfig, runSimulation, withParam, type AlgorithmKind, type SimulationConfig } from '../../../src/core/analog';
import { assertClose } from '../helpers';

// Floors are averaged over ≥ 3 seeds (we use 5, as the reference's own [S] runs) and the last 10 % of
// steps; absolute values within a factor 1.5 of the reference's [S] numbers (the problem instance and the RNG differ).
const SEEDS = [1, 2, 3, 4, 5];
const FACTOR = 1.5;

function floor(algorithm: AlgorithmKind, set: (c: SimulationConfig) => SimulationConfig, seeds = SEEDS): number {
  let sum = 0;
  for (const seed of seeds) {
    let c = defaultSimulationConfig('least-squares', algorithm);
    c.seed = seed;
    c.curvePoints = 50;
    c = set(c);
    const r = runSimulation(c);
    sum += r.final.loss;
  }
  return sum / seeds.length;
}

function within(actual: number, expected: number, what: string): void {
  assert.ok(actual <= expected * FACTOR && actual >= expected / FACTOR, `${what}: ${actual.toExponential(3)} vs reference ${expected.toExponential(2)} (factor ${FACTOR})`);
}

describe('reference case 3 (docs/analog.md, section 11): the asymptotic error of Analog SGD does not fall with α (Fig. 1)', () => {
  // The case's own pass criteria (flat ASGD, falling SGD) on three seeds; the absolute level against the reference's
  // numbers is checked on five seeds in case 4 (same instance, α = 0.03).
  test('ASGD varies < 20 % over α ∈ {0.03 … 0.001} while digital SGD drops ≥ 10×', () => {
    const alphas = [0.03, 0.01, 0.003, 0.001];
    const seeds = [1, 2, 3];
    const run = (alg: AlgorithmKind, a: number) => floor(alg, (c) => ({ ...c, steps: Math.round((2500 * 0.03) / a), algorithm: { ...c.algorithm, lr: a } }), seeds);
    const asgd = alphas.map((a) => run('analog-sgd', a));
    // Digital SGD at the ends of the sweep (its floor ≈ α·σ²/4 is the well-known part).
    const sgd = [run('sgd', alphas[0]), run('sgd', alphas[3])];
    const spread = (Math.max(...asgd) - Math.min(...asgd)) / Math.min(...asgd);
    assert.ok(spread < 0.2, `ASGD floors ${asgd.map((v) => v.toExponential(2)).join(', ')} vary by ${(100 * spread).toFixed(0)} %`);
    assert.ok(sgd[0] / sgd[1] >= 10, `SGD ${sgd.map((v) => v.toExponential(2)).join(', ')} drops ${(sgd[0] / sgd[1]).toFixed(1)}×`);
    within(sgd[0], 6.7e-5, 'SGD α = 0.03');
    within(sgd[1], 2.2e-6, 'SGD α = 0.001');
  });
});

describe('reference case 4 (docs/analog.md, section 11): the floor falls with τ (Fig. 3, Fig. 4 left)', () => {
  test('strictly decreasing in τ and always above digital SGD; same shape as the reference', () => {
    const taus = [1, 1.5, 2, 2.5];
    const asgd = taus.map((t) => floor('analog-sgd', (c) => withParam(c, 'tau', t)));
    const sgd = floor('sgd', (c) => c);
    for (let k = 1; k < taus.length; k++) assert.ok(asgd[k] < asgd[k - 1], `τ ${taus[k]}: ${asgd[k]} not below ${asgd[k - 1]}`);
    for (const v of asgd) assert.ok(v > sgd, `ASGD ${v} above SGD ${sgd}`);
    within(sgd, 7.1e-5, 'SGD');
    within(asgd[0], 6.4e-4, 'ASGD τ = 1');
    // The instance sets the absolute level; the τ-dependence relative to τ = 1 is the paper's mechanism.
    const specRatios = [3.7e-4 / 6.4e-4, 2.5e-4 / 6.4e-4, 1.9e-4 / 6.4e-4];
    specRatios.forEach((r, k) => assertClose(asgd[k + 1] / asgd[0], r, 0.15, `floor(τ = ${taus[k + 1]}) / floor(1)`));
  });
});

describe('reference case 5 (docs/analog.md, section 11): Tiki-Taka goes below the Analog SGD floor', () => {
  test('error ∝ β (≈ 3× per 3× β) and below ASGD for β ≤ 1e-3, at τ = 1 and 2', () => {
    const spec: Record<number, number[]> = { 1: [1.1e-4, 3.7e-5, 1.5e-5], 2: [2.1e-4, 6.9e-5, 2.0e-5] };
    // Three seeds; the 67k-step β = 3e-4 runs only at τ = 1 (τ = 2 checks the first 3× step), to keep the suite
    // within its time budget.
    const seeds = [1, 2, 3];
    for (const tau of [1, 2]) {
      const betas = tau === 1 ? [3e-3, 1e-3, 3e-4] : [3e-3, 1e-3];
      const asgd = floor('analog-sgd', (c) => withParam(c, 'tau', tau), seeds);
      const tt = betas.map((b) =>
        floor('tiki-taka', (c) => ({ ...withParam(c, 'tau', tau), steps: Math.round((2e4 * 1e-3) / b), algorithm: { ...c.algorithm, lr: b, transferLr: 1, fastLr: 0.1 } }), seeds),
      );
      for (let k = 1; k < tt.length; k++) {
        const ratio = tt[k - 1] / tt[k];
        assert.ok(ratio > 1.8 && ratio < 4.5, `τ ${tau}: TT error ratio per 3× β = ${ratio.toFixed(2)} (${tt.map((v) => v.toExponential(2)).join(', ')})`);
      }
      for (let k = 1; k < tt.length; k++) assert.ok(tt[k] < asgd, `τ ${tau}: TT ${tt[k]} (β = ${betas[k]}) below ASGD ${asgd}`);
      tt.forEach((v, k) => within(v, spec[tau][k], `TT τ = ${tau}, β = ${betas[k]}`));
    }
  });

  test('failure mode: fast lr = transfer lr = 0.03 makes TT worse than ASGD for τ ≥ 1.5, and validation warns', () => {
    for (const [tau, spec] of [[1.5, 9.3e-4], [2.5, 1.5e-3]] as const) {
      const asgd = floor('analog-sgd', (c) => withParam(c, 'tau', tau), [1, 2, 3]);
      const tt = floor('tiki-taka', (c) => ({ ...withParam(c, 'tau', tau), steps: 2500, algorithm: { ...c.algorithm, lr: 0.03, fastLr: 0.03, transferLr: 1 } }), [1, 2, 3]);
      assert.ok(tt > asgd, `τ ${tau}: TT ${tt} should be above ASGD ${asgd}`);
      within(tt, spec, `TT failure τ = ${tau}`);
    }
    const c = defaultSimulationConfig('least-squares', 'tiki-taka');
    c.algorithm = { ...c.algorithm, lr: 0.03, fastLr: 0.03, transferLr: 1 };
    const r = runSimulation({ ...c, steps: 10 });
    assert.ok(r.warnings.some((w) => w.startsWith('algorithm.transferLr') && w.includes('fast ≫ β')), r.warnings.join('; '));
  });
});

describe('reference cases 6–7 (docs/analog.md, section 11): noise and initialisation (Fig. 4 middle, right)', () => {
  const instance = (c: SimulationConfig): SimulationConfig => ({
    ...withParam(c, 'tau', 2),
    experiment: { kind: 'least-squares', inputs: 50, outputs: 1, samples: 100, matrixScale: 1, targetScale: 0.5, init: 0, batch: 0 },
    steps: 2000,
    algorithm: { ...c.algorithm, lr: 0.1 },
  });

  test('the floor grows ≈ linearly with σ²; digital SGD 2.6e-5 / 2.6e-4 / 2.6e-3', () => {
    const s2 = [1e-3, 1e-2, 1e-1];
    const asgd = s2.map((v) => floor('analog-sgd', (c) => ({ ...instance(c), noise: Math.sqrt(v) })));
    const sgd = s2.map((v) => floor('sgd', (c) => ({ ...instance(c), noise: Math.sqrt(v) })));
    [5.7e-5, 5.0e-4, 3.9e-3].forEach((v, k) => within(asgd[k], v, `ASGD σ² = ${s2[k]}`));
    [2.6e-5, 2.6e-4, 2.6e-3].forEach((v, k) => within(sgd[k], v, `SGD σ² = ${s2[k]}`));
    for (let k = 1; k < 3; k++) {
      const ratio = asgd[k] / asgd[k - 1];
      assert.ok(ratio > 5 && ratio < 15, `×10 in σ² gives ×${ratio.toFixed(1)} in the floor`);
      assert.ok(asgd[k] > sgd[k], 'above SGD');
    }
  });

  test('W₀ ∈ {1, 0.5, 0, −1} give the same floor to 3 digits (common noise seed)', () => {
    const floors = [1, 0.5, 0, -1].map((w0) =>
      floor('analog-sgd', (c) => {
        const x = instance(c);
        return { ...withParam(x, 'tau', 1), noise: 0.05, experiment: { ...(x.experiment as { kind: 'least-squares' } & typeof x.experiment), init: w0 } as SimulationConfig['experiment'] };
      }, [1]),
    );
    for (const f of floors) assertClose(f, floors[0], 5e-4, 'same floor');
    within(floors[0], 4.51e-4, 'floor');
  });
});
