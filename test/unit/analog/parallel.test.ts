// Sweeps and comparisons on worker threads (src/node/poolSimulation.ts, `lim-lens simulate --jobs`): each run is
// the same bit for bit as it is alone and serial, the output keeps the order asked for, and a comparison is one
// command (`--algorithm a,b,c`).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSimulationConfig, withParam, type SimulationResult } from '../../../src/core/analog';
import { main } from '../../../src/cli/main';
import { loadDigits } from '../../../src/node/data';
import { defaultJobs, runSimulations } from '../../../src/node/poolSimulation';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(['simulate', ...args], (s) => out.push(s), (s) => err.push(s));
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** A result without its timings (the only thing that may differ between a serial and a parallel run). */
function untimed(r: object): unknown {
  return JSON.parse(JSON.stringify(r, (k, v) => (k === 'wallMs' || k === 'trainMs' || k === 'evalMs' || k === 'setupMs' ? undefined : v)));
}

describe('simulations on worker threads', () => {
  test('a three-algorithm comparison, pulsed: the same results on 1 and 3 threads, in the order of the runs', async () => {
    const runs = (['analog-sgd', 'tiki-taka', 'sgd'] as const).map((a) => {
      const config = defaultSimulationConfig('least-squares', a);
      config.mode = 'pulsed';
      config.steps = 300;
      return { name: a, config };
    });
    const serial = await runSimulations(runs, undefined, { jobs: 1 });
    const parallel = await runSimulations(runs, undefined, { jobs: 3 });
    assert.deepEqual(parallel.map((r) => r.config.algorithm.kind), ['analog-sgd', 'tiki-taka', 'sgd']);
    assert.deepEqual(parallel.map(untimed), serial.map(untimed));
    // The runs differ from one another (so equality above is not of three copies of one run).
    assert.notDeepEqual(untimed(serial[0]), untimed(serial[1]));
    assert.ok(serial[0].pulses.total > 0 && serial[2].pulses.total === 0, 'pulsed analog runs count pulses; digital SGD none');
  });

  test('a sweep on the digits MLP (data shared with the workers): the same results on 1 and 2 threads', async () => {
    const base = defaultSimulationConfig('mlp-digits', 'sgd');
    if (base.experiment.kind === 'mlp') base.experiment.epochs = 2;
    const runs = [1, 2, 3].map((seed) => ({ name: `seed = ${seed}`, config: withParam(base, 'seed', seed) }));
    const data = loadDigits();
    const serial: SimulationResult[] = await runSimulations(runs, data, { jobs: 1 });
    const parallel = await runSimulations(runs, data, { jobs: 2 });
    assert.deepEqual(parallel.map(untimed), serial.map(untimed));
    // Above twice chance (10 classes): the workers read the shared data set, not an empty or scrambled one.
    assert.ok(serial.every((r) => (r.final.accuracy ?? 0) > 0.25), `accuracies ${serial.map((r) => r.final.accuracy)}`);
    assert.notEqual(serial[0].final.loss, serial[1].final.loss, 'another seed, another run');
  });

  test('lim-lens simulate --algorithm a,b,c: one run per algorithm, each the same as alone, --jobs 1 and 2 alike', async () => {
    const common = ['--experiment', 'least-squares', '--mode', 'pulsed', '--steps', '200', '--seed', '5', '--json'];
    const two = await cli(['--algorithm', 'analog-sgd,tt,sgd', '--jobs', '2', ...common]);
    assert.equal(two.status, 0, two.stderr);
    const j = JSON.parse(two.stdout);
    assert.deepEqual(j.comparison, { algorithms: ['analog-sgd', 'tiki-taka', 'sgd'] });
    assert.deepEqual(j.runs.map((r: { algorithm: string }) => r.algorithm), ['analog-sgd', 'tiki-taka', 'sgd']);
    const one = JSON.parse((await cli(['--algorithm', 'analog-sgd,tt,sgd', '--jobs', '1', ...common])).stdout);
    assert.deepEqual(untimed(j), untimed(one));
    const alone = JSON.parse((await cli(['--algorithm', 'tiki-taka', ...common])).stdout);
    const { algorithm, ...ttInComparison } = j.runs[1];
    assert.equal(algorithm, 'tiki-taka');
    assert.deepEqual(untimed(ttInComparison), untimed(alone));
  });

  test('a comparison swept: algorithm by algorithm, each at every value; the table names both', async () => {
    const args = ['--experiment', 'quadratic', '--algorithm', 'analog-sgd,tiki-taka', '--sweep', 'tau=0.5,1', '--steps', '2000'];
    const r = await cli([...args, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.sweep, { param: 'tau', values: [0.5, 1] });
    assert.deepEqual(j.runs.map((x: { algorithm: string; value: number; config: { device: { tau: number } } }) => [x.algorithm, x.value, x.config.device.tau]), [
      ['analog-sgd', 0.5, 0.5],
      ['analog-sgd', 1, 1],
      ['tiki-taka', 0.5, 0.5],
      ['tiki-taka', 1, 1],
    ]);
    const t = await cli(args);
    assert.match(t.stdout, /LIM Lens — analog training comparison/);
    assert.match(t.stdout, /algorithm\s+tau\s+final loss/);
    assert.match(t.stdout, /analog-sgd:/);
    assert.match(t.stdout, /tiki-taka:/);
    assert.equal(t.stdout.split('\n').filter((l) => /^\s*(analog-sgd|tiki-taka)\s+(0\.5|1)\s/.test(l)).length, 4, t.stdout);
  });

  test('the transfer flags set only the transfer algorithms of a comparison, and need one', async () => {
    const r = await cli(['--experiment', 'quadratic', '--algorithm', 'sgd,tiki-taka', '--fast-lr', '0.2', '--steps', '100', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const [sgd, tt] = JSON.parse(r.stdout).runs;
    assert.equal(tt.config.algorithm.fastLr, 0.2);
    assert.equal(sgd.config.algorithm.fastLr, defaultSimulationConfig('quadratic', 'sgd').algorithm.fastLr);
    const refused = await cli(['--algorithm', 'sgd,analog-sgd', '--fast-lr', '0.2']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /--fast-lr applies to the transfer algorithms/);
  });

  test('--jobs by default: all runs at once up to one more than the cores, else one per core', () => {
    // 3 equal runs on 2 cores: at once they end after 1.5 run-lengths, 2 at a time after 2.
    assert.deepEqual([1, 2, 3, 4, 10].map((runs) => defaultJobs(runs, 2)), [1, 2, 3, 2, 2]);
    assert.deepEqual([1, 5, 9, 40].map((runs) => defaultJobs(runs, 8)), [1, 5, 9, 8]);
    assert.deepEqual([2, 3].map((runs) => defaultJobs(runs, 1)), [2, 1]);
  });

  for (const [what, args, message] of [
    ['an algorithm listed twice', ['--algorithm', 'sgd,tiki-taka,sgd'], /--algorithm: sgd is listed twice/],
    ['an unknown algorithm in the list', ['--algorithm', 'sgd,adam'], /--algorithm: unknown algorithm "adam"/],
    ['--jobs 0', ['--jobs', '0'], /--jobs/],
    ['--jobs 1.5', ['--jobs', '1.5'], /--jobs/],
    ['an export of a comparison', ['--algorithm', 'sgd,tiki-taka', '--export-aihwkit', '/tmp/lim-lens-never-written.py'], /--export-aihwkit writes the script of one algorithm/],
    ['an invalid run of a comparison, named', ['--experiment', 'least-squares', '--algorithm', 'sgd,tiki-taka', '--sweep', 'steps=10,0'], /--steps: .*\(--algorithm sgd, --sweep steps=0\)/],
  ] as const) {
    test(`refused: ${what}`, async () => {
      const r = await cli([...args]);
      assert.equal(r.status, 2, r.stdout);
      assert.match(r.stderr, message);
    });
  }
});
