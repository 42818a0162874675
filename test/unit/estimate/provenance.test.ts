import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfigText } from '../../../src/core/configs';
import { ESTIMATE_DEFAULTS, fieldSensitivity, type DocumentAnalysis } from '../../../src/core/estimate';
import { analyzeDocuments } from '../../../src/worker/analysisJobs';
import { MEASURED_SIBLINGS, WANDB_METADATA_FILE } from '../../../src/core/measured';
import { assertClose } from '../helpers';
import { estimateFixture, estimateText, fixturePath } from '../configs/fixtures';

describe('provenance: read, defaulted or computed, and overrides', () => {
  test('a bare config.json: N computed, precision read from torch_dtype, run size and hardware defaulted', () => {
    const a = estimateFixture('hf/llama-2-7b/config.json');
    const run = a.report!.run;
    assert.equal(run.params.total.source.kind, 'computed');
    assert.deepEqual(run.model!.source.kind, 'read');
    assert.deepEqual({ kind: run.precisionBits.source.kind, field: (run.precisionBits.source as { field: string }).field }, { kind: 'read', field: 'torch_dtype' });
    assert.equal(run.tokens!.value, 20 * 6_738_415_616);
    assert.match((run.tokens!.source as { formula: string }).formula, /^D = 20 tokens per parameter × N/);
    const names = a.report!.assumptions.map((x) => `${x.name}:${x.origin}`);
    for (const n of ['tokensPerParameter', 'hardwareId', 'devices', 'utilization', 'pue', 'gridKgPerKwh', 'temperatureK', 'schedule']) assert.ok(names.includes(`${n}:built-in default`), n);
    const util = a.report!.assumptions.find((x) => x.name === 'utilization')!;
    assert.equal(util.value, 0.4);
    assert.match(util.reason, /0\.30–0\.48/);
  });

  test('read values point at file:line:field', () => {
    const r = estimateFixture('megatron/pretrain_llama2_7b.sh').report!;
    assert.equal(r.params.total, 6_738_415_616, 'the Llama-2-7B shape written as Megatron flags');
    const src = r.run.precisionBits.source;
    assert.equal(src.kind, 'read');
    assert.deepEqual(src.kind === 'read' && { field: src.field, line: src.line }, { field: '--bf16', line: 43 });
  });

  test('flags and settings override the file and are reported as such; user assumptions are "setting"', () => {
    const a = estimateFixture('runs/bloom-176b.lim.yaml', {
      settings: { overrides: { tokens: 1e12, hardwareId: 'h100' }, overrideLabel: (k) => `--${k}`, assumptions: { gridKgPerKwh: 0.2, temperatureK: 77 } },
    });
    const r = a.report!;
    assert.equal(r.tokens, 1e12);
    assert.deepEqual(r.run.tokens!.source, { kind: 'setting', name: '--tokens' });
    assert.equal(r.accelerator.id, 'h100');
    assert.equal(r.run.gridKgPerKwh.value, 0.057, 'the file’s grid intensity beats a fallback setting');
    assert.equal(r.run.temperatureK.value, 77);
    assert.deepEqual(r.assumptions.find((x) => x.name === 'tokens'), { name: 'tokens', value: 1e12, origin: 'override', reason: 'set by --tokens' });
    assert.deepEqual(r.assumptions.find((x) => x.name === 'temperatureK'), { name: 'temperatureK', value: 77, origin: 'setting', reason: 'set by setting temperatureK' });
  });

  test('defaults come from one place', () => {
    assert.deepEqual(
      { u: ESTIMATE_DEFAULTS.utilization, pue: ESTIMATE_DEFAULTS.pue, grid: ESTIMATE_DEFAULTS.gridKgPerKwh, tpp: ESTIMATE_DEFAULTS.tokensPerParameter, hw: ESTIMATE_DEFAULTS.hardwareId },
      { u: 0.4, pue: 1.1, grid: 0.385, tpp: 20, hw: 'h100' },
    );
  });
});

describe('training-config formats', () => {
  test('HF TrainingArguments (JSONC): model by Hub id, D = steps × per-device batch × accumulation × devices × block_size', () => {
    const one = estimateFixture('hf-trainer/llama-2-7b-sft/training_args.json').report!;
    assert.equal(one.format, 'hf-training-args');
    assert.equal(one.params.total, 6_738_415_616);
    assert.equal(one.tokens, 2000 * 4 * 8 * 1 * 4096);
    const eight = estimateFixture('hf-trainer/llama-2-7b-sft/training_args.json', { settings: { overrides: { devices: 8 } } }).report!;
    assert.equal(eight.tokens, 2000 * 4 * 8 * 8 * 4096);
    assert.equal(one.precisionBits, 16);
  });

  test('DeepSpeed: precision from bf16.enabled, the model from the config.json beside it', () => {
    const a = estimateFixture('deepspeed/llama-2-7b/ds_config_zero3.json');
    assert.equal(a.format, 'deepspeed');
    assert.equal(a.report!.params.total, 6_738_415_616);
    assert.deepEqual((a.report!.run.precisionBits.source as { field: string }).field, 'bf16.enabled');
    assert.deepEqual([a.modelAnchor?.line, a.modelAnchor?.column], [1, 1], 'a model from beside the file anchors at its top');
  });

  test('DeepSpeed alone: no model, a warning that says how to give one', () => {
    const a = estimateText('/nowhere/ds.json', '{"train_micro_batch_size_per_gpu": 4, "zero_optimization": {"stage": 2}}');
    assert.equal(a.report, undefined);
    assert.match(a.diagnostics[0].message, /^DeepSpeed configs do not name the model/);
  });

  test('NeMo: GPT-3 style 1.3B, D = max_steps × global_batch × encoder_seq_length, devices × nodes', () => {
    const r = estimateFixture('nemo/megatron_gpt_1.3b.yaml').report!;
    assert.equal(r.format, 'nemo');
    // V 50,257 → 50,304, learned positions 2048, LayerNorm, biases, tied.
    assert.equal(r.params.total, 50304 * 2048 + 2048 * 2048 + 24 * (12 * 2048 * 2048 + 13 * 2048) + 2 * 2048);
    assert.equal(r.tokens, 300_000 * 512 * 2048);
    assert.equal(r.accelerator.devices, 32);
    assert.equal(r.precisionBits, 16);
  });

  test('torchtune LoRA: builder name → Llama-3-8B; adapters on q, v, o and the MLP; 4·N·D + 6·N_adapter·D', () => {
    const r = estimateFixture('torchtune/llama3_8B_lora.yaml').report!;
    assert.equal(r.params.total, 8_030_261_248);
    const perLayer = 8 * (4096 + 4096) + 8 * (4096 + 1024) + 8 * (4096 + 4096) + 3 * 8 * (4096 + 14336);
    assert.equal(r.run.lora!.adapterParams.value, 32 * perLayer);
    assert.equal(r.params.trained, 32 * perLayer);
    // max_steps_per_epoch 1000 × batch 2 × accumulation 32 × 2,048 would run past the data: an epoch of
    // alpaca_cleaned_dataset is 51,760 rows (the card) of at most max_seq_len 2,048 tokens, the lesser bound.
    assert.ok(1 * 1000 * 2 * 32 * 2048 > 51_760 * 2048);
    const D = 1 * 51_760 * 2048;
    assert.equal(r.tokens, D);
    assert.equal(r.run.flopsBreakdown.weights, 4 * 8_030_261_248 * D + 6 * 32 * perLayer * D);
    assert.match(r.run.flopsBreakdown.approximation!, /approximation/);
  });

  test('Axolotl QLoRA: Hub id base_model, every linear layer, 4-bit base reported as qlora', () => {
    const r = estimateFixture('axolotl/qlora-llama2-7b.yml').report!;
    assert.equal(r.format, 'axolotl');
    assert.equal(r.run.lora!.method, 'qlora');
    assert.equal(r.run.lora!.adapterParams.value, 32 * 32 * (4 * (4096 + 4096) + 3 * (4096 + 11008)));
    assert.equal(r.tokens, 400 * 1 * 4 * 4096);
  });

  test('LitGPT: inline model_config (TinyLlama 1.1B) and max_tokens as a direct D', () => {
    const r = estimateFixture('litgpt/pretrain-tinyllama.yaml').report!;
    assert.equal(r.params.total, 1_100_048_384);
    assert.equal(r.tokens, 3e12);
    assert.equal(r.accelerator.devices, 8);
  });

  test('LitGPT LoRA fine-tune: checkpoint_dir resolves through the table; sized from its data module, never as pretraining', () => {
    const r = estimateFixture('litgpt/finetune-lora-llama2.yaml').report!;
    assert.equal(r.params.total, 6_738_415_616);
    // lora_query and lora_value at rank 32: 32 × (4096 + 4096) each, in 32 layers.
    assert.equal(r.run.lora!.adapterParams.value, 32 * 2 * 32 * (4096 + 4096));
    assert.equal(r.run.lora!.embeddingParams, undefined, 'lora_head: false');
    // lora_head: true adds an adapter on the output head: rank 32 × (width 4,096 + vocabulary 32,000).
    const text = readFileSync(fixturePath('litgpt/finetune-lora-llama2.yaml'), 'utf8').replace('lora_head: false', 'lora_head: true');
    const head = estimateText(fixturePath('litgpt/finetune-lora-llama2.yaml'), text).report!;
    assert.equal(head.run.lora!.embeddingParams?.value, 32 * (4096 + 32_000));
    assert.equal(head.params.trained, 32 * 2 * 32 * (4096 + 4096) + 32 * (4096 + 32_000));
    assert.equal(r.assumptions.find((x) => x.name === 'tokensPerParameter'), undefined);
    // Alpaca2k: 2,000 samples (LitGPT's dataset table), val_split_fraction 0.05 held out, epochs 4, max_seq_length 512.
    assert.equal(r.tokens, 4 * 1900 * 512);
  });
});

/**
 * The editor's path: the worker analyses, names the sibling files it missed (joined paths), is sent them and
 * analyses again, at most four rounds (as src/extension/analysisService.ts drives it). Returns what it asked for.
 */
function editorRounds(path: string, text: string, read: (path: string) => string | undefined): { analysis: DocumentAnalysis; asked: string[][] } {
  const files: Record<string, string | null> = {};
  const asked: string[][] = [];
  for (let round = 0; ; round++) {
    const [r] = analyzeDocuments({ docs: [{ path, text }], files, assumptions: {}, detail: 'full' });
    const unknown = r.missing.filter((p) => !(p in files));
    if (unknown.length === 0 || round === 3) return { analysis: r.analysis!, asked };
    asked.push(unknown);
    for (const p of unknown) files[p] = read(p) ?? null;
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

describe('editor API: siblings in rounds, sensitivity, serialisable results', () => {
  test('the worker asks for the siblings it needs, by path, and counts the model once it has them', () => {
    const path = fixturePath('deepspeed/llama-2-7b/ds_config_zero3.json');
    const { analysis: a, asked } = editorRounds(path, readFileSync(path, 'utf8'), readOrUndefined);
    // One round: the model's config (beside it, then one folder up), and the records a finished run leaves in its
    // folder (joined as `measured`); W&B's metadata only beside a summary, and there is none here.
    const dir = path.slice(0, path.lastIndexOf('/'));
    const up = dir.slice(0, dir.lastIndexOf('/'));
    assert.equal(asked.length, 1, asked.join(' | '));
    assert.deepEqual(asked[0].slice(0, 2), [`${dir}/config.json`, `${up}/config.json`]);
    assert.deepEqual([...asked[0].slice(2)].sort(), MEASURED_SIBLINGS.filter((m) => m !== WANDB_METADATA_FILE).map((m) => `${dir}/${m}`).sort());
    assert.equal(a.report?.params.total, 6_738_415_616);
  });

  test('results survive JSON (they cross a worker boundary)', () => {
    for (const rel of ['runs/bloom-176b.lim.yaml', 'torchtune/llama3_8B_lora.yaml', 'hf/mixtral-8x7b/config.json', 'megatron/pretrain_gpt3_175b.sh']) {
      const a = estimateFixture(rel);
      assert.deepEqual(JSON.parse(JSON.stringify(a)), a, rel);
    }
  });

  test('sensitivity: energy is proportional to tokens (elasticity 1); layers move it a little less than 1', () => {
    const text = 'model: meta-llama/Llama-2-7b-hf\ntokens: 2T\nsequence_length: 4096\n';
    const parsed = parseConfigText('s.lim.yaml', text);
    const s = fieldSensitivity(parsed, { path: ['tokens'], field: 'tokens' })!;
    assert.equal(s.base.value, 2e12);
    assert.equal(s.doubled!.value, 4e12);
    assert.equal(s.halved!.value, 1e12);
    assertClose(s.energyElasticity!, 1, 1e-9, 'd ln E / d ln D');
    assertClose(s.doubled!.energyJ / s.base.energyJ, 2, 1e-9, 'doubling');

    const cfg = fixturePath('hf/llama-2-7b/config.json');
    const layers = fieldSensitivity(parseConfigText(cfg, readFileSync(cfg, 'utf8')), { path: ['num_hidden_layers'], field: 'num_hidden_layers' }, { settings: { overrides: { tokens: 1e12 } } })!;
    assert.deepEqual([layers.halved!.value, layers.base.value, layers.doubled!.value], [16, 32, 64]);
    assert.ok(layers.energyElasticity! > 0.9 && layers.energyElasticity! < 1, String(layers.energyElasticity));
    assert.equal(layers.doubled!.params, 6_738_415_616 + 32 * 202_383_360);
  });

  test('sensitivity of a non-numeric field is undefined', () => {
    const parsed = parseConfigText('s.lim.yaml', 'model: gpt2\nhardware: a100\n');
    assert.equal(fieldSensitivity(parsed, { path: ['hardware'], field: 'hardware' }), undefined);
  });
});

describe('editor API: files named inside siblings are fetched in a second round', () => {
  test('run file → training config → its model folder, each fetched when the worker names it', () => {
    const files: Record<string, string> = {
      'train/args.json': JSON.stringify({ model_name_or_path: '../models/tiny', per_device_train_batch_size: 2, max_steps: 10, block_size: 128, output_dir: 'o' }),
      'models/tiny/config.json': JSON.stringify({ model_type: 'gpt2', vocab_size: 1000, n_embd: 64, n_layer: 2, n_head: 4, n_positions: 128 }),
    };
    const { analysis: a, asked } = editorRounds('runs/tiny.lim.yaml', 'config: ../train/args.json\nhardware: a100\n', (p) => files[p]);
    assert.deepEqual(a.diagnostics, []);
    assert.equal(a.report?.params.total, 1000 * 64 + 128 * 64 + 2 * (12 * 64 * 64 + 13 * 64) + 2 * 64);
    assert.equal(a.report?.tokens, 10 * 2 * 128);
    assert.ok(asked[0].includes('train/args.json'), asked.join(' | '));
    assert.ok(asked[1].includes('models/tiny/config.json'), `the model folder named inside the training config, in the second round: ${asked.join(' | ')}`);
  });
});
