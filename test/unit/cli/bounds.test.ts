import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../helpers';
import { runCli, runInProcess as inProcess } from './cliProcess';

describe('lim-lens bounds', () => {
  test('--preset brain-scale --json: E_LIM in 1e8–1e9 J and the accelerator 6–7 orders above', () => {
    const r = runCli(['bounds', '--preset', 'brain-scale', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.ok(j.energy.lim > 1e8 && j.energy.lim < 1e9, `E_LIM ${j.energy.lim}`);
    assertClose(j.energy.lim, 3.682983e8, 1e-6, 'E_LIM');
    const orders = Math.log10(j.energy.accelerator / j.energy.lim);
    assert.ok(orders >= 6 && orders <= 7, `orders ${orders}`);
    for (const k of ['landauer', 'limNonEquilibrium', 'lim', 'staticBarrier', 'accelerator']) assert.equal(typeof j.energy[k], 'number', k);
    assert.equal(j.model.id, 'lim-reconstructed');
    assert.match(j.model.label, /reconstructed from the paper's stated assumptions/);
    // Every value used is reported, defaults included.
    assert.deepEqual(
      { bits: j.inputs.bits, T: j.inputs.temperatureK, cu: j.inputs.opsPerUpdate, util: j.inputs.hardware.utilization, pue: j.inputs.hardware.pue },
      { bits: 32, T: 300, cu: 1, util: 0.4, pue: 1.1 },
    );
    assert.deepEqual(j.inputs.schedule, { kind: 'power-law', alpha: 1 });
  });

  test('numbers accept 1e15, 1.8e27, 7B and 300B; --tokens gives OPS = 6·N·D', async () => {
    const a = JSON.parse((await inProcess(['bounds', '--params', '1e15', '--flops', '1.8e27', '--json'])).stdout);
    assertClose(a.energy.lim, 3.682983e8, 1e-6, 'E_LIM');
    const b = JSON.parse((await inProcess(['bounds', '--params', '7B', '--tokens', '300B', '--json'])).stdout);
    assert.equal(b.inputs.params, 7e9);
    assert.equal(b.inputs.flops, 6 * 7e9 * 300e9);
  });

  test('flags override the preset; --tau selects the exponential schedule', async () => {
    const r = JSON.parse((await inProcess(['bounds', '--preset', 'brain-scale', '--bits', '16', '--tau', '1e20', '--hardware', 'a100', '--json'])).stdout);
    assert.equal(r.inputs.bits, 16);
    assert.deepEqual(r.inputs.schedule, { kind: 'exponential', tau: 1e20 });
    assert.equal(r.inputs.hardware.id, 'a100');
    assertClose(r.energy.landauer, 8.268419e7, 1e-6, 'E_L at 16 bits');
  });

  test('human table shows every bound with its provenance kind', async () => {
    const r = await inProcess(['bounds', '--preset', 'brain-scale']);
    assert.equal(r.status, 0);
    for (const s of ['Landauer', 'LIM bound', 'Static-barrier', 'NVIDIA H100 SXM', '[model]', '[data]', '3.683e8', 'orders of magnitude']) {
      assert.ok(r.stdout.includes(s), `missing "${s}" in\n${r.stdout}`);
    }
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['negative', ['--params', '-5', '--flops', '1e20'], /^lim-lens bounds: --params must be greater than 0, got -5$/],
    ['zero', ['--params', '1e9', '--flops', '0'], /^lim-lens bounds: --flops must be greater than 0, got 0$/],
    ['NaN', ['--params', 'NaN', '--flops', '1e20'], /^lim-lens bounds: --params: NaN is not a number$/],
    ['not a number', ['--params', 'seven', '--flops', '1e20'], /^lim-lens bounds: --params: "seven" is not a number/],
    ['unknown hardware', ['--preset', 'brain-scale', '--hardware', 'tpu-v9'], /^lim-lens bounds: --hardware: unknown hardware "tpu-v9" \(known: v100, a100/],
    ['unknown flag', ['--preset', 'brain-scale', '--frobnicate'], /^lim-lens bounds: unknown flag --frobnicate$/],
    ['missing value', ['--params'], /^lim-lens bounds: --params needs a value$/],
    ['utilisation above 1', ['--preset', 'brain-scale', '--utilization', '1.5'], /^lim-lens bounds: --utilization must be at most 1, got 1\.5$/],
    ['too few FLOPs', ['--params', '1e9', '--flops', '1e8'], /^lim-lens bounds: --flops: the training operations must give at least one update per parameter/],
    ['both schedules', ['--preset', 'brain-scale', '--alpha', '1', '--tau', '5'], /^lim-lens bounds: --alpha and --tau/],
    ['no params', ['--flops', '1e20'], /^lim-lens bounds: --params is required/],
    ['unknown preset', ['--preset', 'galaxy-brain'], /^lim-lens bounds: --preset: unknown preset "galaxy-brain"/],
  ];
  for (const [name, args, message] of bad) {
    test(`bad input (${name}) → one line on stderr, exit 2, no stack trace`, () => {
      const r = runCli(['bounds', ...args]);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `stderr:\n${r.stderr}`);
      assert.match(lines[0], message);
    });
  }

  test('unknown command exits 2 with the list of commands', () => {
    const r = runCli(['frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr.trim(), /^lim-lens: unknown command "frobnicate" \(commands: bounds, hardware/);
  });

  test('lim-lens hardware lists the profiles with J/FLOP', async () => {
    const r = await inProcess(['hardware', '--json']);
    const list = JSON.parse(r.stdout) as Array<{ id: string; joulesPerFlopAtPeak: number }>;
    const ids = list.map((p) => p.id);
    for (const id of ['v100', 'a100', 'h100', 'b200', 'tpu-v3', 'tpu-v4']) assert.ok(ids.includes(id), id);
    const jpf = Object.fromEntries(list.map((p) => [p.id, p.joulesPerFlopAtPeak]));
    assertClose(jpf.v100, 2.4e-12, 1e-3, 'V100');
    assertClose(jpf.a100, 1.282e-12, 1e-3, 'A100');
    assertClose(jpf.h100, 7.075e-13, 1e-3, 'H100');
    assertClose(jpf['tpu-v3'], 3.659e-12, 1e-3, 'TPU v3');
  });
});

test('lim-lens help <command> prints that command’s help', async () => {
  for (const [command, first] of [['bounds', /^lim-lens bounds —/], ['estimate', /^lim-lens estimate —/], ['simulate', /^lim-lens simulate —/], ['hardware', /^lim-lens hardware —/]] as const) {
    const r = await inProcess(['help', command]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, first);
  }
});
