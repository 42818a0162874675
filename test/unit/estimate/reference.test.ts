import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeEnergyBounds, resolveBoundInputs } from '../../../src/core';
import { assertClose } from '../helpers';
import { estimateFixture, estimateText } from '../configs/fixtures';

describe('published reference numbers reproduced from files', () => {
  test('BLOOM-176B: 1,082,990 A100-hours at 400 W = 433,196 kWh of dynamic energy (run file)', () => {
    const a = estimateFixture('runs/bloom-176b.lim.yaml');
    assert.deepEqual(a.diagnostics, []);
    const r = a.report!;
    assert.equal(r.modelType, 'bloom');
    assert.equal(r.params.total, 176_247_271_424);
    assert.equal(r.accelerator.route, 'time');
    assert.equal(r.accelerator.id, 'a100');
    assert.equal(r.accelerator.deviceHours, 1_082_990);
    assert.equal(Math.round((r.accelerator.itEnergyJ / 3.6e6) * 1e6) / 1e6, 433_196);
    // With the file's PUE 1.2 and the French grid (57 g/kWh) of the published study.
    assertClose(r.accelerator.energyKWh, 433_196 * 1.2, 1e-12, 'energy with PUE');
    assertClose(r.accelerator.co2Kg, 433_196 * 1.2 * 0.057, 1e-12, 'CO2');
    // 384 GPUs: about 118 days of wall-clock time, as reported.
    assertClose(r.accelerator.wallClockHours! / 24, 117.5, 0.005, 'days');
    // Implied utilisation of 6·N·D + attention over the stated device-hours: plausible, below 1.
    assert.ok(r.accelerator.utilization > 0.3 && r.accelerator.utilization < 0.5, String(r.accelerator.utilization));
  });

  test('Llama 2 7B: 184,320 A100-hours at 400 W → 31.22 t CO2e as published (PUE 1.1, 0.385 kg/kWh defaults)', () => {
    const a = estimateFixture('../workspace/runs/llama-2-7b-pretrain.lim.yaml');
    assert.deepEqual(a.diagnostics, []);
    const r = a.report!;
    assert.equal(r.accelerator.deviceHours, 184_320);
    assertClose(r.accelerator.co2Kg, 31_223.808, 1e-12, 'CO2');
    assert.equal((r.accelerator.co2Kg / 1000).toFixed(2), '31.22');
    assert.deepEqual(a.modelAnchor?.path, ['config'], 'the CodeLens sits on the run file’s config: line');
    assert.equal(a.modelAnchor?.line, 4);
  });

  test('GPT-3 size: 6·N·D = 6 × 175e9 × 300e9 = 3.15e23 FLOPs (run file)', () => {
    const r = estimateFixture('runs/gpt3-175b.lim.yaml').report!;
    assert.equal(r.params.total, 175e9);
    assert.equal(r.tokens, 300e9);
    assert.equal(r.flops, 3.15e23);
    assert.equal(r.run.flopsBreakdown.method, 'dense');
    assert.equal(r.run.flopsBreakdown.attention, 0, 'no sequence length, no attention term');
    assert.equal(r.precisionBits, 16);
  });

  test('GPT-3 175B from a Megatron-LM script: 6·N·D = 3.14e23 (published), attention term on top', () => {
    const r = estimateFixture('megatron/pretrain_gpt3_175b.sh').report!;
    // Vocabulary 50,257 padded to 50,304 (16 × tensor-parallel 8), learned positions, tied output.
    assert.equal(r.params.total, 174_604_836_864);
    // Kaplan's non-embedding count: 96 × (12·d² + 13·d) + 2·d.
    assert.equal(r.params.nonEmbedding, 96 * (12 * 12288 ** 2 + 13 * 12288) + 2 * 12288);
    assert.equal(r.tokens, 146_484_375 * 2048);
    assertClose(r.run.flopsBreakdown.weights, 3.14e23, 1e-3, '6·N·D');
    assert.equal(r.run.flopsBreakdown.attention, 12 * 96 * 96 * 128 * 2048 * 300e9);
    assert.equal(r.flops, r.run.flopsBreakdown.weights + r.run.flopsBreakdown.attention);
    assert.equal(r.accelerator.devices, 1024, '--nproc_per_node 8 × --nnodes 128');
    assert.equal(r.precisionBits, 16, '--fp16');
  });

  test('attention term: +27 % for an 8B model at T = 8192, +6.7 % at 2048', () => {
    for (const [T, share] of [[8192, 0.267], [2048, 0.0669]] as const) {
      const r = estimateText('l.lim.yaml', `model: meta-llama/Meta-Llama-3-8B\ntokens: 1T\nsequence_length: ${T}\n`).report!;
      const b = r.run.flopsBreakdown;
      assert.equal(b.weights, 6 * 8_030_261_248 * 1e12);
      assert.equal(b.attention, 12 * 32 * 32 * 128 * T * 1e12);
      assertClose(b.attention / b.weights, share, 0.005, `attention share at ${T}`);
    }
  });

  test('Mixtral: 6 × active (12.88e9) per token, not 6 × 46.7e9', () => {
    const r = estimateText('m.lim.yaml', 'model: mistralai/Mixtral-8x7B-v0.1\ntokens: 1T\n').report!;
    assert.equal(r.run.flopsBreakdown.method, 'moe');
    assert.equal(r.flops, 6 * 12_879_925_248 * 1e12);
    assert.equal(r.params.active, 12_879_925_248);
  });

  test('ResNet-50: per-sample forward MACs × 2 × 3 × samples × epochs', () => {
    const r = estimateText('r.lim.yaml', 'model: microsoft/resnet-50\nsamples: 1281167\nepochs: 90\n').report!;
    assert.equal(r.run.flopsBreakdown.method, 'vision');
    assertClose(r.flops, 2 * 3 * 4.09e9 * 1_281_167 * 90, 2e-3, 'ResNet-50 training FLOPs');
    assert.equal(r.tokens, undefined);
    assert.equal(r.samples, 1_281_167 * 90);
  });
});

describe('accelerator energy, both routes (docs/configs.md, Accelerator energy)', () => {
  test('compute only: device-seconds = FLOPs / (peak × 0.40); E = · TDP · PUE 1.1; CO2 at 0.385 kg/kWh', () => {
    const r = estimateFixture('runs/gpt3-175b.lim.yaml').report!;
    const seconds = 3.15e23 / (125e12 * 0.4);
    assert.equal(r.accelerator.route, 'compute');
    assertClose(r.accelerator.deviceHours, seconds / 3600, 1e-12, 'device-hours');
    assertClose(r.accelerator.energyJ, seconds * 300 * 1.1, 1e-12, 'energy');
    assertClose(r.accelerator.co2Kg, ((seconds * 300 * 1.1) / 3.6e6) * 0.385, 1e-12, 'CO2');
    assertClose(r.accelerator.energyMWh, (seconds * 300 * 1.1) / 3.6e9, 1e-12, 'MWh');
  });

  test('time given as devices × hours, and wall-clock time for the device count', () => {
    const r = estimateText('t.lim.yaml', 'params: 7B\ntokens: 1T\nhardware: h100\ndevices: 256\nhours: 240\n').report!;
    assert.equal(r.accelerator.route, 'time');
    assert.equal(r.accelerator.deviceHours, 256 * 240);
    assert.equal(r.accelerator.wallClockHours, 240);
    assertClose(r.accelerator.energyJ, 256 * 240 * 3600 * 700 * 1.1, 1e-12, 'energy');
    assertClose(r.accelerator.utilization, (6 * 7e9 * 1e12) / (256 * 240 * 3600 * 989.4e12), 1e-12, 'implied MFU');
  });

  test('a stated time too short for the FLOPs even at peak is flagged', () => {
    const a = estimateText('t.lim.yaml', 'params: 7B\ntokens: 2T\nhardware: h100\ndevice_hours: 10\n');
    assert.equal(a.diagnostics.length, 1);
    assert.equal(a.diagnostics[0].code, 'implausible-time');
    assert.match(a.diagnostics[0].message, /^the stated time is shorter than NVIDIA H100 SXM allows at peak: implied utilisation \d+\.\d\d > 1/);
  });

  test('the LIM, Landauer and static-barrier bounds are those of docs/theory.md §3 for the same N, OPS and b', () => {
    const r = estimateFixture('runs/gpt3-175b.lim.yaml').report!;
    const b = computeEnergyBounds(resolveBoundInputs({ params: 175e9, flops: 3.15e23, bits: 16, hardwareId: 'v100' }));
    assert.equal(r.bounds!.lim, b.energy.lim);
    assert.equal(r.bounds!.landauer, b.energy.landauer);
    assert.equal(r.bounds!.staticBarrier, b.energy.staticBarrier);
    assert.equal(r.bounds!.updatesPerParameter, 3.15e23 / 175e9);
    assert.equal(r.bounds!.ordersAcceleratorOverLim, Math.log10(r.accelerator.energyJ / b.energy.lim));
    assert.match(r.bounds!.model.label, /reconstructed from the paper's stated assumptions/);
  });

  test('TPU v4 run from a run file pointing at a config.json: utilisation and devices from the file', () => {
    const a = estimateFixture('runs/llama2-7b-on-tpu.lim.json');
    assert.deepEqual(a.diagnostics, []);
    const r = a.report!;
    assert.equal(r.params.total, 6_738_415_616);
    assert.equal(r.accelerator.id, 'tpu-v4');
    assert.equal(r.accelerator.devices, 1024);
    assert.equal(r.accelerator.utilization, 0.45);
    assertClose(r.accelerator.deviceHours, r.flops / (275e12 * 0.45) / 3600, 1e-12, 'device-hours');
    assert.ok(a.fields.some((f) => f.file.endsWith('hf/llama-2-7b/config.json') && f.field === 'hidden_size'), 'fields of the referenced config are kept');
  });
});
