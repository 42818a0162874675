import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { runCli } from '../cli/cliProcess';

async function inProcess(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('lim-lens simulate', () => {
  test('--json has config, curve [step, loss], final, pulses, energyJ and wallMs (trainMs + evalMs)', () => {
    const r = runCli(['simulate', '--experiment', 'quadratic', '--steps', '20000', '--tau', '1', '--noise', '0.1', '--lr', '0.01', '--seed', '3', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.config.device.tau, 1);
    assert.equal(j.config.algorithm.kind, 'analog-sgd');
    assert.equal(j.config.seed, 3);
    assert.equal(j.config.mode, 'expected');
    assert.ok(Array.isArray(j.curve) && j.curve.every((p: unknown[]) => p.length === 2 && typeof p[0] === 'number'));
    for (const k of ['loss', 'gradNormSq', 'accuracy', 'meanWeight']) assert.ok(k in j.final, k);
    assert.ok(Math.abs(j.final.meanWeight - 0.46) < 0.02, `mean w ${j.final.meanWeight}`);
    assert.equal(typeof j.pulses, 'number');
    assert.equal(typeof j.energyJ, 'number');
    assert.equal(typeof j.wallMs, 'number');
    // The time split: training and evaluation (the quadratic's ‖∇f‖² over the final window) add up to wallMs.
    assert.ok(j.trainMs > 0 && j.evalMs >= 0 && Math.abs(j.trainMs + j.evalMs - j.wallMs) < 1e-6, `${j.trainMs} + ${j.evalMs} vs ${j.wallMs}`);
    assert.ok(j.energy.bounds.limJ > 0 && j.energy.bounds.landauerJ > 0);
  });

  test('same seed, same output curve (bit for bit through the CLI)', async () => {
    const args = ['simulate', '--experiment', 'least-squares', '--algorithm', 'tiki-taka', '--mode', 'pulsed', '--steps', '200', '--json'];
    const a = JSON.parse((await inProcess(args)).stdout);
    const b = JSON.parse((await inProcess(args)).stdout);
    assert.deepEqual(a.curve, b.curve);
  });

  test('human table and flags for every algorithm and a preset device', async () => {
    for (const alg of ['sgd', 'analog-sgd', 'tiki-taka', 'ttv2', 'c-ttv2']) {
      const r = await inProcess(['simulate', '--experiment', 'least-squares', '--algorithm', alg, '--steps', '100', '--device', 'reram-om', '--mode', 'pulsed']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /final loss/);
    }
    const t = await inProcess(['simulate', '--experiment', 'least-squares', '--steps', '300']);
    for (const s of ['LIM Lens — analog training simulation', 'soft-bounds', 'LIM bound E_LIM', 'Landauer E_L', 'mean s²', 'Curve']) assert.ok(t.stdout.includes(s), `missing ${s}\n${t.stdout}`);
  });

  test('--sweep runs one simulation per value', async () => {
    const r = await inProcess(['simulate', '--experiment', 'least-squares', '--sweep', 'tau=1,2', '--steps', '500', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.sweep, { param: 'tau', values: [1, 2] });
    assert.equal(j.runs.length, 2);
    assert.ok(j.runs[1].final.loss < j.runs[0].final.loss, 'floor falls with τ');
    const table = await inProcess(['simulate', '--experiment', 'least-squares', '--sweep', 'lr=0.03,0.01', '--steps', '300']);
    assert.match(table.stdout, /LIM Lens — analog training sweep/);
  });

  test('csv:PATH trains the classifier on user data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lim-analog-'));
    const lines = ['x1,x2,cls'];
    for (let i = 0; i < 200; i++) {
      const a = (i * 7919) % 100 / 100;
      const b = (i * 104729) % 100 / 100;
      lines.push(`${a},${b},${a + b > 1 ? 'high' : 'low'}`);
    }
    const file = join(dir, 'data.csv');
    writeFileSync(file, lines.join('\n'));
    const r = runCli(['simulate', '--experiment', `csv:${file}`, '--algorithm', 'sgd', '--epochs', '40', '--hidden', '8', '--lr', '0.5', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.ok(j.final.accuracy > 0.85, `accuracy ${j.final.accuracy}`);
    assert.equal(j.curve[0].length, 3);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['negative lr', ['--lr', '-1'], /^lim-lens simulate: --lr must be greater than 0, got -1$/],
    ['unknown device', ['--device', 'flux'], /^lim-lens simulate: --device: unknown device "flux" \(known: soft-bounds, /],
    ['unknown algorithm', ['--algorithm', 'adam'], /^lim-lens simulate: --algorithm: unknown algorithm "adam"/],
    ['bad mode', ['--mode', 'fast'], /^lim-lens simulate: --mode must be expected or pulsed, got "fast"$/],
    ['flag of another experiment', ['--hidden', '10'], /^lim-lens simulate: --hidden applies to the classifier experiments/],
    ['transfer flag on analog-sgd', ['--fast-lr', '0.1'], /^lim-lens simulate: --fast-lr applies to the transfer algorithms/],
    ['missing csv', ['--experiment', 'csv:/no/such/file.csv'], /^lim-lens simulate: --experiment: \/no\/such\/file\.csv: no such file/],
    ['bad sweep', ['--sweep', 'colour=1,2'], /^lim-lens simulate: --sweep: unknown parameter "colour"/],
    ['too large', ['--experiment', 'least-squares', '--inputs', '100000', '--outputs', '10000'], /^lim-lens simulate: --inputs: the run needs about [\d.]+ GiB of simulator state .* above the limit of 512\.0 MiB$/],
    ['fractional steps', ['--steps', '1.5'], /^lim-lens simulate: --steps must be a whole number, got 1\.5$/],
    ['unknown flag', ['--colour', 'red'], /^lim-lens simulate: unknown flag --colour$/],
    ['aihwkit asymmetry on a response device', ['--device', 'soft-bounds', '--up-down', '0.2'], /^lim-lens simulate: --up-down applies to the aihwkit device models and presets$/],
    ['sweep of a parameter the device does not have', ['--device', 'power', '--sweep', 'offset=0.1,0.2'], /^lim-lens simulate: --sweep: offset applies to the linear response device$/],
  ];
  for (const [name, args, re] of bad) {
    test(`bad input, one clear line and exit 2: ${name}`, async () => {
      const r = await inProcess(['simulate', ...args]);
      assert.equal(r.status, 2, r.stdout);
      assert.equal(r.stderr.split('\n').length, 1, r.stderr);
      assert.match(r.stderr, re);
    });
  }

  test('--export-aihwkit writes a valid Python script (python3 -m py_compile) for every algorithm and device family', () => {
    const py = spawnSync('python3', ['--version'], { encoding: 'utf8' });
    assert.ok(!py.error && py.status === 0, 'python3 is required to check the exported aihwkit scripts (python3 -m py_compile); install it');
    const dir = mkdtempSync(join(tmpdir(), 'lim-aihwkit-'));
    const cases: string[][] = [
      ['--experiment', 'quadratic', '--algorithm', 'analog-sgd', '--device', 'soft-bounds', '--steps', '10'],
      ['--experiment', 'least-squares', '--algorithm', 'tiki-taka', '--device', 'linear', '--offset', '0.2', '--mode', 'pulsed', '--steps', '10'],
      ['--experiment', 'least-squares', '--algorithm', 'ttv2', '--device', 'power', '--gamma-res', '2', '--steps', '10'],
      ['--experiment', 'least-squares', '--algorithm', 'c-ttv2', '--device', 'exp', '--steps', '10', '--io', 'aihwkit'],
      ['--experiment', 'mlp-digits', '--algorithm', 'tiki-taka', '--device', 'pcm', '--epochs', '1'],
      ['--experiment', 'mlp-digits', '--algorithm', 'sgd', '--epochs', '1'],
      ['--experiment', 'least-squares', '--algorithm', 'analog-sgd', '--device', 'SoftBoundsReference', '--subtract-symmetry-point', '--up-down', '0.3', '--steps', '10'],
      ['--experiment', 'least-squares', '--algorithm', 'analog-sgd', '--device', 'LinearStep', '--steps', '10'],
    ];
    cases.forEach((args, k) => {
      const file = join(dir, `run${k}.py`);
      const r = runCli(['simulate', ...args, '--export-aihwkit', file]);
      assert.equal(r.status, 0, r.stderr);
      const text = readFileSync(file, 'utf8');
      assert.match(text, /from aihwkit\.optim import AnalogSGD/);
      const c = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
      assert.equal(c.status, 0, `py_compile failed for ${args.join(' ')}:\n${c.stderr}`);
    });
    const tt = readFileSync(join(dir, 'run1.py'), 'utf8');
    assert.match(tt, /TransferCompound\(/);
    assert.match(tt, /scale_fast_lr = False/);
    assert.match(readFileSync(join(dir, 'run4.py'), 'utf8'), /PCMPresetUnitCell\(\)/);
  });
});
