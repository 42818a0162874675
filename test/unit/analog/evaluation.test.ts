// Evaluation that costs what it should: a mini-batch run records the batch loss per step and evaluates the exact
// full-data objective only at a bounded number of planned points; the classifier's per-epoch accuracy is on the
// test split only; wallMs is split into training and evaluation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EVALUATION_SHARE, MIN_EVALUATIONS, Rng, defaultSimulationConfig, runSimulation, type SimulationConfig } from '../../../src/core/analog';
import { AnalogIO, PERFECT_IO, createLeastSquares } from '../../../src/core/analog';
import { loadDigits } from '../../../src/node/data';

function miniBatch(D: number, M: number, N: number, B: number, steps: number): SimulationConfig {
  const c = defaultSimulationConfig('least-squares', 'analog-sgd');
  c.mode = 'pulsed';
  c.experiment = { kind: 'least-squares', inputs: D, outputs: M, samples: N, matrixScale: 0.5, targetScale: 0.3, init: 0, batch: B };
  c.steps = steps;
  return c;
}

/** f/D and ‖∇f‖² at W by their definitions, in plain loops. */
function definition(A: Float64Array, X: Float64Array, W: Float32Array, D: number, M: number, N: number): { loss: number; gradNormSq: number } {
  let f = 0;
  const g = new Float64Array(M * D);
  for (let i = 0; i < N; i++) {
    for (let o = 0; o < M; o++) {
      let wa = 0;
      let y = 0;
      for (let j = 0; j < D; j++) {
        wa += W[o * D + j] * A[i * D + j];
        y += X[o * D + j] * A[i * D + j];
      }
      const r = wa - y;
      f += (0.5 * r * r) / N;
      for (let j = 0; j < D; j++) g[o * D + j] += (r * A[i * D + j]) / N;
    }
  }
  return { loss: f / D, gradNormSq: g.reduce((s, v) => s + v * v, 0) };
}

describe('exact evaluation of mini-batch least squares', () => {
  test('from the Hessian and from the residuals, both equal the definition (D = 13, M = 3, N = 37: the 8-sample blocks and the remainder)', () => {
    const [D, M, N] = [13, 3, 37];
    const spec = { kind: 'least-squares' as const, inputs: D, outputs: M, samples: N, matrixScale: 0.5, targetScale: 0.3, init: 0, batch: 4 };
    // The instance as createLeastSquares draws it: A then X* from the data stream.
    const rng = new Rng(5, 1);
    const A = Float64Array.from({ length: N * D }, () => spec.matrixScale * rng.normal());
    const X = Float64Array.from({ length: M * D }, () => spec.targetScale * rng.normal());
    const wr = new Rng(9);
    const W = Float32Array.from({ length: M * D }, () => 0.4 * wr.normal());
    const want = definition(A, X, W, D, M, N);
    for (const count of [1, 1e6]) {
      const p = createLeastSquares(spec, new Rng(5, 1), new Rng(5, 2), false);
      const macs = p.planEvaluations!(count);
      // One evaluation: the residuals (2·N·M·D) are cheaper; a million: the Hessian (N·D²/2 once, then M·D² each).
      const residual = count * 2 * N * M * D;
      assert.equal(macs, Math.min(residual, (N * D * D) / 2 + M * D * D + count * (M * D * D + 2 * M * D)));
      const got = p.evaluate!([W], () => {});
      assert.ok(Math.abs(got.loss / want.loss - 1) < 1e-12, `count ${count}: loss ${got.loss} vs ${want.loss}`);
      assert.ok(Math.abs(got.gradNormSq / want.gradNormSq - 1) < 1e-10, `count ${count}: ‖∇f‖² ${got.gradNormSq} vs ${want.gradNormSq}`);
    }
    // D > N: never the Hessian (D² doubles, more than the data), however many evaluations.
    const wide = createLeastSquares({ ...spec, inputs: 50, samples: 20 }, new Rng(5, 1), new Rng(5, 2), false);
    assert.equal(wide.planEvaluations!(1e6), 1e6 * 2 * 20 * M * 50);
  });

  test('the per-step loss is the mini-batch loss: its mean over an epoch at fixed weights is the full-data loss', () => {
    const [D, M, N, B] = [6, 2, 40, 8];
    const spec = { kind: 'least-squares' as const, inputs: D, outputs: M, samples: N, matrixScale: 0.5, targetScale: 0.3, init: 0.1, batch: B };
    const p = createLeastSquares(spec, new Rng(3, 1), new Rng(3, 2), false);
    const W = p.initialWeights();
    const io = new AnalogIO(PERFECT_IO, new Rng(1));
    let sum = 0;
    const losses: number[] = [];
    for (let k = 0; k < N / B; k++) {
      const l = p.computeStep(k, W, io, () => {});
      losses.push(l);
      sum += l;
    }
    p.planEvaluations!(1);
    const exact = p.evaluate!(W, () => {}).loss;
    assert.ok(Math.abs(sum / (N / B) / exact - 1) < 1e-12, `mean of the epoch's batch losses ${sum / (N / B)} vs ${exact}`);
    assert.ok(new Set(losses).size > 1, 'the batches differ');
  });

  test('evaluations are planned within EVALUATION_SHARE of the training work, half in the final 10 %; final.loss is their mean there', () => {
    const [D, M, N, B, steps] = [8, 4, 256, 4, 400];
    const c = miniBatch(D, M, N, B, steps);
    c.curvePoints = 100;
    const r = runSimulation(c);
    const exact = r.curve.filter((p) => p.fullLoss !== undefined);
    // Training work per step as the loop estimates it: forward + backward + per-step loss, and the pulsed update.
    const stepWork = B * M * D * 3 + M * D * 4 * B;
    const hessian = (n: number) => (N * D * D) / 2 + M * D * D + n * (M * D * D + 2 * M * D);
    const residual = (n: number) => n * 2 * N * M * D;
    const budget = EVALUATION_SHARE * steps * stepWork;
    // As many as the share allows (here well above the minimum), and not one more.
    assert.ok(r.evaluations > MIN_EVALUATIONS, `${r.evaluations} evaluations`);
    assert.ok(Math.min(hessian(r.evaluations), residual(r.evaluations)) <= budget, `${r.evaluations} evaluations within ${budget}`);
    assert.ok(Math.min(hessian(r.evaluations + 1), residual(r.evaluations + 1)) > budget, 'as many as the share allows');
    assert.ok(exact.length < r.curve.length / 3, `${exact.length} of the ${r.curve.length} curve points evaluated`);
    // The last step is evaluated; the curve's exact points are curve points; the final window holds half.
    assert.equal(r.curve[r.curve.length - 1].step, steps - 1);
    assert.ok(r.curve[r.curve.length - 1].fullLoss !== undefined);
    const inFinal = exact.filter((p) => p.step >= steps - steps / 10);
    assert.ok(inFinal.length >= 1 && inFinal.length <= Math.ceil(r.evaluations / 2), `${inFinal.length} of ${r.evaluations} in the final window`);
    const mean = inFinal.reduce((s, p) => s + p.fullLoss!, 0) / inFinal.length;
    // Final-window evaluations at steps that are not curve points count too: final.loss is at least as well sampled.
    assert.ok(Number.isFinite(r.final.loss) && r.final.loss > 0);
    assert.ok(Math.abs(r.final.loss / mean - 1) < 0.2, `final ${r.final.loss} vs mean of the final curve evaluations ${mean}`);
    assert.ok(r.final.gradNormSq !== null && r.final.gradNormSq > 0);
    // The time split adds up.
    assert.ok(Math.abs(r.trainMs + r.evalMs - r.wallMs) < 1e-6 && r.evalMs > 0 && r.trainMs > 0);
  });

  test('the exact evaluation takes no random draws: the training and its curve losses are the same with 2 or 400 curve points', () => {
    const a = runSimulation({ ...miniBatch(12, 3, 300, 10, 120), curvePoints: 2 });
    const b = runSimulation({ ...miniBatch(12, 3, 300, 10, 120), curvePoints: 400 });
    assert.equal(a.pulses.total, b.pulses.total);
    assert.deepEqual(a.weights, b.weights);
  });

  test('full batch: every step is exact, as before (no planned evaluations, the ‖∇f‖² of the final window counted as evaluation time)', () => {
    const c = defaultSimulationConfig('least-squares', 'analog-sgd');
    c.steps = 200;
    const r = runSimulation(c);
    assert.equal(r.evaluations, 0);
    assert.ok(r.curve.every((p) => p.fullLoss === undefined));
    assert.ok(r.final.gradNormSq !== null && r.evalMs >= 0 && r.evalMs < r.wallMs);
  });
});

describe('classifier evaluation', () => {
  test('accuracy per epoch on the test split only; the train accuracy comes from the last epoch\'s own mini-batches', () => {
    const c = defaultSimulationConfig('mlp-digits', 'analog-sgd');
    c.experiment = { ...(c.experiment as Extract<SimulationConfig['experiment'], { kind: 'mlp' }>), epochs: 3 };
    const r = runSimulation(c, {}, loadDigits());
    assert.equal(r.evaluations, 3, 'one test pass per epoch, no final pass over the training rows');
    assert.equal(r.curve.length, 3);
    assert.ok(r.curve.every((p) => p.accuracy !== undefined && p.accuracy > 0.1));
    assert.ok(r.curve.slice(0, -1).every((p) => p.trainAccuracy === undefined));
    const last = r.curve[r.curve.length - 1];
    assert.ok(last.trainAccuracy !== undefined && last.trainAccuracy > 0.1 && last.trainAccuracy <= 1);
    // A fraction of the epoch's samples: stepsPerEpoch mini-batches of the configured size.
    const n = r.derived.stepsPerEpoch * (r.config.experiment as { batch: number }).batch;
    assert.ok(Math.abs(last.trainAccuracy! * n - Math.round(last.trainAccuracy! * n)) < 1e-9);
    assert.equal(r.final.trainAccuracy, last.trainAccuracy);
    // final.loss: the mini-batch NLL over the last 10 % of steps, between 0 and the chance level ln 10.
    assert.ok(r.final.loss > 0 && r.final.loss < Math.log(10), `final loss ${r.final.loss}`);
    assert.equal(r.final.gradNormSq, null);
  });
});
