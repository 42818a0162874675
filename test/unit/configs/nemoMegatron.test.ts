// NeMo (OmegaConf interpolations), Megatron-LM / Megatron-DeepSpeed (tokenizers, GQA, MoE, bash, Slurm) and the HF
// Trainer's measured records. The real files here are fixtures of their own, not in the shared corpus (sources in
// test/fixtures/configs/README.md); every number asserted is from the file or a published source, worked out by hand.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parseConfigText, syntaxOf } from '../../../src/core/configs';
import { parseFastYaml } from '../../../src/core/configs/yamlFast';
import { estimateFixture, estimateText } from './fixtures';

const codes = (a: { diagnostics: Array<{ code: string }> }) => a.diagnostics.map((d) => d.code);

describe('NeMo: OmegaConf interpolations resolved as OmegaConf resolves them', () => {
  const nemo = (model: string, trainer = 'trainer:\n  devices: 8\n  num_nodes: 2\n  max_steps: 100\n  precision: bf16\n') =>
    `${trainer}model:\n  global_batch_size: 16\n  encoder_seq_length: 1024\n  num_layers: 2\n  hidden_size: 64\n  num_attention_heads: 4\n  tokenizer:\n    type: GPT2BPETokenizer\n${model}`;

  test('relative ${.x}, absolute ${model.x}, multiply with a nested interpolation, ${..x}', () => {
    const text = nemo('  max_position_embeddings: ${.encoder_seq_length}\n  ffn_hidden_size: ${multiply:4, ${.hidden_size}}\n  kv_channels: ${model.nested.width}\n  nested:\n    width: ${divide_floor:${..hidden_size},4}\n');
    const a = estimateText('gpt.yaml', text);
    assert.deepEqual(a.diagnostics.filter((d) => d.severity !== 'info'), []);
    const f = (field: string) => a.fields.find((x) => x.field === field);
    assert.equal(f('model.ffn_hidden_size')?.value, 256, '4 × hidden_size 64');
    assert.equal(f('model.max_position_embeddings')?.value, 1024);
    // Positions point at the field in the file, not at what it refers to.
    assert.equal(f('model.ffn_hidden_size')?.line, text.split('\n').findIndex((l) => l.startsWith('  ffn_hidden_size')) + 1);
    assert.equal(f('model.kv_channels')?.value, 16, '${model.nested.width} → hidden_size 64 / 4 (the d/H NeMo would use)');
    // d 64, L 2, f 256, learned positions 1024, GPT-2 vocabulary 50257 padded to 128 → 50304, tied, biases, LayerNorm:
    // N = V·d + P·d + L·(4d² + 4d + 2df + f + d + 4d) + 2d
    const d = 64, L = 2, f4 = 256, V = 50304, P = 1024;
    assert.equal(a.report!.params.total, V * d + P * d + L * (4 * d * d + 4 * d + 2 * d * f4 + f4 + d + 4 * d) + 2 * d);
    assert.equal(a.report!.tokens, 100 * 16 * 1024);
    assert.equal(a.report!.accelerator.devices, 16);
  });

  test('oc.env: the environment is never read; its default is used and listed as an assumption', () => {
    const a = estimateText('gpt.yaml', nemo('', 'trainer:\n  devices: ${oc.env:NGPUS,4}\n  max_steps: 10\n'));
    assert.equal(a.report!.accelerator.devices, 4);
    const env = a.report!.assumptions.find((x) => /NGPUS/.test(x.name));
    assert.ok(env, 'listed');
    assert.match(env.reason, /does not read the environment.*NGPUS.*unset.*default 4/);
    assert.ok(a.diagnostics.some((d) => d.code === 'env-default' && d.severity === 'info' && d.field === 'trainer.devices'));
    const noDefault = estimateText('gpt.yaml', nemo('', 'trainer:\n  devices: ${oc.env:NGPUS}\n  max_steps: 10\n'));
    const d = noDefault.diagnostics.find((x) => x.field === 'trainer.devices')!;
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /does not read the environment, and NGPUS has no default/);
  });

  test('a cycle and an unresolvable reference: warnings at the field (file, line), only for fields the estimate reads', () => {
    const text = nemo('  ffn_hidden_size: ${.other}\n  other: ${.ffn_hidden_size}\n  max_position_embeddings: ${run.missing}\n  unused: ${nowhere.at.all}\n');
    const a = estimateText('gpt.yaml', text);
    const cycle = a.diagnostics.find((d) => d.code === 'interpolation-cycle')!;
    assert.equal(cycle.severity, 'warning');
    assert.equal(cycle.field, 'model.ffn_hidden_size');
    assert.equal(cycle.line, text.split('\n').findIndex((l) => l.startsWith('  ffn_hidden_size')) + 1);
    assert.match(cycle.message, /model\.ffn_hidden_size → model\.other → model\.ffn_hidden_size/);
    const missing = a.diagnostics.find((d) => d.code === 'unresolved-reference')!;
    assert.equal(missing.field, 'model.max_position_embeddings');
    assert.match(missing.message, /refers to run\.missing, which this file does not define/);
    assert.ok(!a.diagnostics.some((d) => d.field === 'model.unused'), 'a field the model does not use never fails the file');
    assert.ok(!a.diagnostics.some((d) => d.severity === 'error'));
  });

  test('an override of a field is followed by the interpolations that refer to it (the hover’s what-if)', () => {
    const text = nemo('  ffn_hidden_size: ${multiply:4, ${.hidden_size}}\n');
    const a = estimateText('gpt.yaml', text, { overrides: new Map([['model.hidden_size', 128]]) });
    assert.equal(a.fields.find((x) => x.field === 'model.ffn_hidden_size')?.value, 512);
  });

  test('Nemotron-3 8B (NeMo-Framework-Launcher): launcher references outside the file cost nothing; the unknown tokenizer is an assumption', () => {
    const a = estimateFixture('nemo/nemotron_8b.yaml');
    const r = a.report!;
    assert.equal(r.tokens, 300_000 * 32 * 4096, 'trainer.max_steps × model.global_batch_size × model.encoder_seq_length');
    assert.equal(r.accelerator.devices, 8);
    assert.equal(r.precisionBits, 16);
    assert.deepEqual(codes(a), ['vocab-assumed'], 'only the vocabulary; ${base_results_dir} and ${training.run.name} are not read');
    const vocab = r.assumptions.find((x) => x.name === 'vocabulary')!;
    assert.equal(vocab.value, 50257, 'no published model with this shape uses SentencePiece: GPT-2, listed');
    // squared-ReLU MLP (2·d·f), no biases, LayerNorm (layernorm1p: 2d each), rotary, untied; V padded to 128 × TP 2.
    const d = 4096, L = 32, f = 16384, V = Math.ceil(50257 / 256) * 256;
    assert.equal(r.params.total, 2 * V * d + L * (4 * d * d + 2 * d * f + 2 * 2 * d) + 2 * d);
  });

  test('devices: auto is information and an assumption, not a failure', () => {
    const a = estimateText('gpt.yaml', nemo('', 'trainer:\n  devices: auto\n  max_steps: 10\n'));
    assert.ok(a.report);
    assert.ok(a.diagnostics.some((d) => d.code === 'devices-auto' && d.severity === 'info'));
    assert.ok(a.report.assumptions.some((x) => x.name === 'devices'));
  });

  test('a fine-tuning config whose model is a .nemo checkpoint says so (a warning, no missing-field errors)', () => {
    const a = estimateText('peft.yaml', 'trainer:\n  devices: 1\n  max_steps: 10\nmodel:\n  restore_from_path: ???\n  global_batch_size: 8\n');
    assert.deepEqual(a.diagnostics.map((d) => [d.code, d.severity]), [['no-model', 'warning']]);
    assert.match(a.diagnostics[0].message, /\.nemo checkpoint in model\.restore_from_path/);
  });
});

describe('Megatron-LM and Megatron-DeepSpeed', () => {
  test('BLOOM-176B, bigscience tr11-176B-ml.slurm: a Slurm script read as shell, #SBATCH nodes, --pad-vocab-size-to, --embed-layernorm, ALiBi', () => {
    assert.equal(syntaxOf('train/tr11-176B-ml.slurm'), 'shell');
    assert.equal(syntaxOf('job.sbatch'), 'shell');
    const a = estimateFixture('megatron/tr11-176B-ml.slurm');
    const r = a.report!;
    assert.equal(r.params.total, 176_247_271_424, 'BLOOM as published');
    assert.equal(r.tokens, 220_000_000 * 2048, 'TRAIN_SAMPLES=220_000_000 × SEQ_LEN 2048');
    assert.equal(r.accelerator.devices, 48 * 8, '#SBATCH --nodes=48 ($SLURM_NNODES) × GPUS_PER_NODE 8');
    assert.equal(r.precisionBits, 16);
    assert.ok(!a.diagnostics.some((d) => d.severity === 'error'), a.diagnostics.map((d) => d.message).join('\n'));
  });

  test('Megatron-DeepSpeed Llama 2 example: --num-key-value-heads; a SentencePiece model file is no vocabulary, so it is assumed and said', () => {
    const a = estimateFixture('megatron/pretrain_llama2_distributed.sh');
    const r = a.report!;
    assert.equal(r.tokens, 250_000 * 32 * 2048);
    assert.equal(r.accelerator.devices, 2);
    const vocab = r.assumptions.find((x) => x.name === 'vocabulary')!;
    assert.equal(vocab.value, 50257);
    assert.ok(a.diagnostics.some((x) => x.code === 'vocab-assumed' && x.severity === 'warning' && x.field === '--tokenizer-type'));
    // d 1024, 12 layers, 8 heads of 128, 4 KV heads, SwiGLU f 2048, RMSNorm, no biases, untied; V padded to 128 × TP 2.
    const d = 1024, L = 12, h = 128, H = 8, K = 4, f = 2048, V = Math.ceil(50257 / 256) * 256;
    assert.equal(r.params.total, 2 * V * d + L * (d * H * h + 2 * d * K * h + H * h * d + 3 * d * f + 2 * d) + d);
  });

  test('bash: quoted defaults, := assignments, positional arguments, unknown values degrade to warnings', () => {
    const script = [
      'LAYERS=${NUM_LAYERS:-"24"}',
      ': ${HIDDEN:=2048}',
      'ITERS=$5',
      'torchrun pretrain_gpt.py --num-layers $LAYERS --hidden-size ${HIDDEN} --num-attention-heads ${HEADS:-\'16\'} \\',
      '  --seq-length 2048 --max-position-embeddings 2048 --global-batch-size 8 --train-iters $ITERS --vocab-size 50257',
    ].join('\n');
    const a = estimateText('train.sh', script);
    assert.equal(a.fields.find((x) => x.field === '--num-layers')?.value, '24');
    assert.equal(a.fields.find((x) => x.field === '--hidden-size')?.value, '2048');
    assert.equal(a.fields.find((x) => x.field === '--num-attention-heads')?.value, '16');
    const iters = a.diagnostics.find((d) => d.field === '--train-iters')!;
    assert.equal(iters.severity, 'warning');
    assert.match(iters.message, /\$ITERS: \$5 is the script's 5th argument, given when it is run/);
    assert.ok(a.report, 'N is still estimated');
  });

  test('Megatron-DeepSpeed MoE: --num-experts in every 2nd layer (--expert-interval default) with top-1 (--topk default); --train-tokens stops first', () => {
    const flags = '--num-layers 4 --hidden-size 64 --num-attention-heads 4 --seq-length 128 --max-position-embeddings 128 --vocab-size 1024 --global-batch-size 8 --train-iters 1000 --train-tokens 500000 --moe-expert-parallel-size 8 --num-experts 8';
    const r = estimateText('ds.sh', `deepspeed pretrain_gpt.py ${flags}\n`).report!;
    const d = 64, f = 256, mlp = 2 * d * f + f + d;
    const dense = estimateText('dense.sh', `deepspeed pretrain_gpt.py ${flags.replace('--num-experts 8', '')}\n`).report!;
    // 2 MoE layers of 4, each with 8 experts and a d·E gate; one expert per token.
    assert.equal(r.params.total - dense.params.total, 2 * (7 * mlp + d * 8));
    assert.equal(r.params.active - dense.params.active, 2 * (d * 8));
    assert.equal(r.tokens, 500_000, '--train-tokens 500,000 before 1000 × 8 × 128 = 1,024,000');
  });

  test('a hybrid Mamba script says the family is unsupported, as a warning', () => {
    const a = estimateText('mamba.sh', 'torchrun pretrain_mamba.py --num-layers 56 --hidden-size 4096 --hybrid-override-pattern M-M-M*-\n');
    assert.equal(a.report, undefined);
    assert.deepEqual(a.diagnostics.map((d) => [d.code, d.severity]), [['unsupported-model', 'warning']]);
    assert.match(a.diagnostics[0].message, /Mamba.*not supported/);
  });
});

describe('measured records of the HF Trainer', () => {
  const config = JSON.stringify({ model_type: 'gpt2', vocab_size: 50257, n_embd: 768, n_layer: 12, n_head: 12, n_positions: 1024 });
  const folder = (files: Record<string, string>) => (rel: string) => files[rel];

  test('beside a config.json: total_flos and train_runtime are measured and replace the estimates; the record is no second run', () => {
    const state = '{\n  "global_step": 1000,\n  "total_flos": 3.5e17,\n  "train_batch_size": 8,\n  "log_history": []\n}\n';
    const results = '{\n  "epoch": 1.0,\n  "total_flos": 3.5e17,\n  "train_runtime": 7200.0\n}\n';
    const read = folder({ 'trainer_state.json': state, 'train_results.json': results, 'config.json': config });
    const a = estimateText('run/config.json', config, { readSibling: read });
    const run = a.report!.run;
    assert.equal(a.report!.flops, 3.5e17);
    assert.deepEqual({ kind: run.flops.source.kind, field: (run.flops.source as { field: string }).field, line: (run.flops.source as { line: number }).line }, { kind: 'measured', field: 'total_flos', line: 3 });
    assert.equal(run.hours?.value, 2);
    assert.equal(run.hours?.source.kind, 'measured');
    const rec = estimateText('run/trainer_state.json', state, { readSibling: read });
    assert.equal(rec.report, undefined);
    assert.equal(rec.format, undefined, 'part of the run of config.json');
    assert.deepEqual(rec.diagnostics.map((d) => [d.code, d.severity]), [['measured-record', 'info']], 'named by itself: says whose run it is');
    const scanned = estimateText('run/trainer_state.json', state, { readSibling: read, explicit: false });
    assert.deepEqual([scanned.format, scanned.diagnostics], [undefined, []], 'in a scan: skipped, no row of its own');
  });

  test('total_flos = 0 (FSDP) is not a measurement', () => {
    const read = folder({ 'trainer_state.json': '{"global_step": 10, "total_flos": 0, "log_history": []}' });
    const a = estimateText('run/config.json', config, { readSibling: read });
    assert.notEqual(a.report!.run.flops.source.kind, 'measured');
    assert.ok(a.diagnostics.some((d) => d.code === 'not-measured' && d.severity === 'info'));
  });

  test('alone, a trainer_state (also renamed) says it needs the model config', () => {
    const a = estimateText('copied_trainer_state.json', '{"global_step": 215337, "total_flos": 2.29e17, "log_history": []}');
    assert.equal(a.report, undefined);
    assert.deepEqual(a.diagnostics.map((d) => [d.code, d.severity]), [['no-model', 'warning']]);
    assert.match(a.diagnostics[0].message, /needs the model's config\.json/);
  });
});

test('fast YAML reader: YAML 1.2 escapes (NeMo chat templates write "\\x00") agree with the yaml package', () => {
  for (const text of ['a: "\\x00"', 'a: "\\u00e9\\U0001F600"', 'a: "\\a\\b\\e\\f\\v\\N\\_\\L\\P"']) {
    assert.deepEqual(parseFastYaml(text)?.data, parse(text), text);
  }
  assert.equal(parseConfigText('x.yaml', 'system: "\\x00"\n').syntax, 'yaml');
});

test('unsupported NeMo and Megatron models are named as unsupported (warnings), fine-tunes are not sized as pretraining', () => {
  const t5 = estimateText('t5.yaml', 'trainer:\n  devices: 1\nmodel:\n  encoder:\n    num_layers: 12\n    hidden_size: 768\n  decoder:\n    num_layers: 12\n    hidden_size: 768\n');
  assert.deepEqual(t5.diagnostics.map((d) => [d.code, d.severity]), [['unsupported-model', 'warning']]);
  assert.match(t5.diagnostics[0].message, /encoder-decoder .*not supported/);
  const ft = estimateText('finetune.sh', 'torchrun finetune_gpt.py --num-layers 2 --hidden-size 64 --num-attention-heads 4 --seq-length 128 --vocab-size 1024 --finetune --train-iters $5\n');
  assert.ok(!ft.report?.assumptions.some((x) => x.name === 'tokensPerParameter'), 'no 20 tokens per parameter for a fine-tune');
  assert.ok(ft.diagnostics.some((d) => d.code === 'finetune-unsized'));
});

test('NeMo qkv_bias (Qwen): biases on q, k and v only; a Hub tokenizer of a known model gives its vocabulary', () => {
  const base = 'trainer:\n  devices: 1\n  max_steps: 1\nmodel:\n  global_batch_size: 1\n  encoder_seq_length: 128\n  num_layers: 2\n  hidden_size: 64\n  num_attention_heads: 4\n  ffn_hidden_size: 128\n  activation: swiglu\n  normalization: rmsnorm\n  position_embedding_type: rope\n  share_embeddings_and_output_weights: false\n  make_vocab_size_divisible_by: 1\n  bias: false\n  tokenizer:\n    library: huggingface\n    type: Qwen/Qwen1.5-4B\n';
  const plain = estimateText('q.yaml', base).report!;
  const withQkv = estimateText('q.yaml', `${base}  qkv_bias: true\n`).report!;
  assert.equal(withQkv.params.total - plain.params.total, 2 * 3 * 64, 'q, k, v biases of d each, in 2 layers');
  // Qwen1.5-4B's published config.json: vocab_size 151936 (untied: 2·V·d).
  const d = 64, L = 2, f = 128;
  assert.equal(plain.params.total, 2 * 151936 * d + L * (4 * d * d + 3 * d * f + 2 * d) + d);
});

test('a tokenizer in the workspace: the vocab_size of the config.json in its folder, read from that file', () => {
  const tokConfig = '{\n  "model_type": "llama",\n  "vocab_size": 32000\n}\n';
  const read = (rel: string) => (rel === 'tok/config.json' ? tokConfig : undefined);
  const flags = '--num-layers 2 --hidden-size 64 --num-attention-heads 4 --make-vocab-size-divisible-by 1 --tokenizer-type GPTSentencePieceTokenizer';
  const a = estimateText('train.sh', `torchrun pretrain_gpt.py ${flags} --tokenizer-model ./tok/tokenizer.model\n`, { readSibling: read });
  assert.ok(!a.diagnostics.some((d) => d.code === 'vocab-assumed'));
  const viaVar = estimateText('train.sh', `TOKENIZER_MODEL=./tok\ntorchrun pretrain_gpt.py ${flags}\n`, { readSibling: read });
  const without = estimateText('train.sh', `torchrun pretrain_gpt.py ${flags}\n`);
  // Tied embeddings: the count moves by (32000 − 50257) × d.
  assert.equal(a.report!.params.total - without.report!.params.total, (32000 - 50257) * 64);
  assert.equal(viaVar.report!.params.total, a.report!.params.total);
  const nemo = estimateText('conf/gpt.yaml', 'trainer:\n  devices: 1\nmodel:\n  num_layers: 2\n  hidden_size: 64\n  num_attention_heads: 4\n  make_vocab_size_divisible_by: 1\n  tokenizer:\n    library: sentencepiece\n    model: ./tok/tokenizer.model\n', { readSibling: read });
  assert.ok(!nemo.diagnostics.some((d) => d.code === 'vocab-assumed'));
});

test('model sizes a script or a composed config leaves to another file are warnings that say so, not errors', () => {
  const sh = estimateText('launch.sh', 'source ./model.sh\ntorchrun pretrain_gpt.py $MODEL_ARGS --hidden-size 4096 --seq-length 4096\n');
  assert.equal(sh.report, undefined);
  assert.ok(sh.diagnostics.length > 0 && sh.diagnostics.every((d) => d.severity === 'warning'), JSON.stringify(sh.diagnostics.map((d) => d.severity)));
  assert.match(sh.diagnostics.find((d) => d.field === '--num-layers')!.message, /sources or a launcher adds/);
  const yaml = estimateText('nemo.yaml', 'defaults:\n  - model: gpt\ntrainer:\n  devices: 8\nmodel:\n  global_batch_size: 8\n');
  assert.ok(yaml.diagnostics.length > 0 && yaml.diagnostics.every((d) => d.severity === 'warning'));
});

test('a script whose name does not say what it is, read as shell by its #! line', () => {
  assert.equal(parseConfigText('jobs/train_gpt', '#!/bin/bash\n#SBATCH --nodes=2\ntorchrun pretrain_gpt.py --num-layers 2\n').syntax, 'shell');
  assert.equal(parseConfigText('x.pbs', '#!/usr/bin/env bash\necho\n').syntax, 'shell');
  assert.equal(parseConfigText('config', '{"model_type": "gpt2"}').syntax, 'json');
});

test('Megatron T5 and other non-GPT scripts say which family is unsupported', () => {
  const a = estimateText('t5.sh', 'torchrun pretrain_t5.py --num-layers 12 --hidden-size 768 --num-attention-heads 12 --kv-channels 64\n');
  assert.deepEqual(a.diagnostics.map((d) => [d.code, d.severity]), [['unsupported-model', 'warning']]);
  assert.match(a.diagnostics[0].message, /pretrain_t5\.py: this model family is not supported/);
});

test('Megatron-DeepSpeed PR-MoE: per-layer expert lists (written out or bracketed) and --mlp-type residual', () => {
  const base = 'deepspeed pretrain_gpt.py --num-layers 4 --hidden-size 64 --num-attention-heads 4 --seq-length 128 --max-position-embeddings 128 --vocab-size 1024 --moe-expert-parallel-size 2';
  const d = 64, f = 256, mlp = 2 * d * f + f + d;
  const dense = estimateText('dense.sh', `${base}\n`).report!;
  const listed = estimateText('pr.sh', `${base} --num-experts 4 8\n`).report!;
  const bracketed = estimateText('pr.sh', `${base} --num-experts "[4, 8]"\n`).report!;
  // MoE layers 2 and 4: 4 and 8 experts, each a d·E router; the dense MLP of those layers becomes expert 1.
  assert.equal(listed.params.total - dense.params.total, (3 * mlp + d * 4) + (7 * mlp + d * 8));
  assert.equal(bracketed.params.total, listed.params.total);
  const residual = estimateText('pr.sh', `${base} --num-experts 4 8 --mlp-type residual\n`).report!;
  // Residual: a dense MLP and a Linear(d, 2) with bias beside the experts in each MoE layer, always active.
  assert.equal(residual.params.total - listed.params.total, 2 * (mlp + 2 * d + 2));
  assert.equal(residual.params.active - listed.params.active, 2 * (mlp + 2 * d + 2));
});
