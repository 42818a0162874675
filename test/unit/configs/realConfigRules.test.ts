// The rules behind the last gaps of the real-config corpus (test/realworld), each on fixtures of its own, none of
// them in the corpus: LitGPT's `devices: auto` and its own model names, a BLOOM re-release named by Hub id with PEFT's
// fused query_key_value adapters, DeepSeek's reference-inference ModelArgs, and Llama 4 named by a torchtune builder.
// Every number asserted comes from a published source named beside it, or from the fixture itself.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findKnownShape, knownModel } from '../../../src/core/configs';
import { estimateFixture, estimateText } from './fixtures';

const close = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * b, `${what}: ${a} vs ${b}`);

describe('LitGPT: devices auto, LitGPT model names', () => {
  test('devices: auto is information and the device count an assumption, never an error', () => {
    const a = estimateFixture('litgpt/pretrain-microllama-auto.yaml');
    assert.ok(a.report, 'estimated');
    assert.deepEqual(a.diagnostics.filter((d) => d.severity !== 'info'), []);
    const auto = a.diagnostics.find((d) => d.code === 'devices-auto');
    assert.equal(auto?.severity, 'info');
    assert.equal(auto?.field, 'devices');
    assert.ok(a.report.assumptions.some((x) => x.name === 'devices'), 'the device count is listed as an assumption');
  });

  test('model_name micro-llama-300M, train.max_tokens and precision as the file writes them', () => {
    const r = estimateFixture('litgpt/pretrain-microllama-auto.yaml').report!;
    // litgpt/config.py micro-llama-300M: n_layer 12, n_embd 1024, n_head 16, n_query_groups 4 (head 64), LLaMAMLP 5632,
    // RMSNorm, no bias, vocab 32000 (padding_multiple 64), lm_head untied. Per layer q 1,048,576 + k,v 2 × 262,144 +
    // o 1,048,576 + MLP 3 × 1024 × 5632 = 17,301,504 + two RMSNorms 2,048 = 19,924,992; × 12 = 239,099,904;
    // + wte 32,768,000 + lm_head 32,768,000 + ln_f 1,024.
    assert.equal(r.params.total, 304_636_928);
    assert.equal(r.tokens, 50e9);
    assert.equal(r.precisionBits, 16);
  });

  test('LitGPT names of config.py resolve: tiny-llama-1.1b and its -chat variant, micro-llama-300M', () => {
    assert.equal(findKnownShape('tiny-llama-1.1b')?.key, 'tinyllama-1.1b');
    assert.equal(findKnownShape('tiny-llama-1.1b-chat')?.key, 'tinyllama-1.1b');
    assert.equal(findKnownShape('micro-llama-300M')?.key, 'micro-llama-300m');
    // TinyLlama-1.1B's published count (the Hub's safetensors metadata): 1,100,048,384.
    assert.equal(knownModel('tiny-llama-1.1b')!.shape.params.total, 1_100_048_384);
  });
});

describe('HF TrainingArguments + PEFT on BLOOM', () => {
  test('Langboat/bloom-1b4-zh: bloom-1b7 with a 46,145-token vocabulary', () => {
    // PEFT's print_trainable_parameters on it, as published with a prompt-tuning example: "trainable params: 14,336 ||
    // all params: 1,303,126,016", i.e. 1,303,111,680 in the base model.
    assert.equal(knownModel('Langboat/bloom-1b4-zh')!.shape.params.total, 1_303_111_680);
    const a = estimateFixture('hf-trainer/bloom-lora/bloom_1b4_zh_args.json');
    assert.ok(a.report, 'estimated');
    assert.equal(a.report.params.total, 1_303_111_680);
    assert.equal(a.report.run.lora?.rank.value, 8, 'lora_rank');
    assert.equal(a.report.precisionBits, 16, 'bf16: true');
  });

  test('query_key_value is one fused linear to PEFT: rank × (d + 3d) per layer, not three adapters', () => {
    const r = estimateFixture('hf-trainer/bloom-lora/training_args.json').report!;
    assert.equal(r.run.lora?.rank.value, 16);
    // tayyibsupercool/bloom-560m-lora (r 16, target_modules ["query_key_value"]): adapter_model.safetensors 6.3 MB,
    // 1,572,864 fp32 parameters = 16 × (1024 + 3072) × 24 layers (three separate adapters would be 2,359,296, 9.4 MB).
    assert.equal(r.run.lora?.adapterParams.value, 1_572_864);
    // bigscience/bloom-560m: 559,214,592 (KerasHub's bloom_560m_multi preset metadata).
    assert.equal(r.params.total, 559_214_592);
    assert.equal(r.tokens, 500 * 8 * 2 * 512);
  });
});

describe("DeepSeek's reference-inference ModelArgs (inference/configs/*.json)", () => {
  test('DeepSeek-V3 in ModelArgs names gives the Hub config count; dtype fp8 is 8 bits', () => {
    const a = estimateFixture('deepseek-inference/config_v3.json');
    assert.equal(a.format, 'deepseek-inference');
    assert.ok(a.report, 'estimated');
    // The Hub config.json's count without the multi-token-prediction module (docs/configs.md reference counts).
    assert.equal(a.report.params.total, 671_026_419_200);
    // "37B activated" (DeepSeek-V3 technical report).
    close(a.report.params.active, 37e9, 0.02, 'active');
    assert.equal(a.report.precisionBits, 8);
  });

  test('DeepSeek-V2-Lite in ModelArgs names (q_lora_rank 0, softmax routing): its published 15,706,484,224', () => {
    const a = estimateFixture('deepseek-inference/config_v2_lite.json');
    assert.equal(a.report?.params.total, 15_706_484_224);
    // No dtype: ModelArgs's default, bf16, listed as a default.
    assert.equal(a.report?.precisionBits, 16);
  });

  test('a missing field takes ModelArgs\'s default (the defaults are DeepSeek-V2-Lite\'s shape)', () => {
    const a = estimateText('config_small.json', JSON.stringify({ dim: 2048, n_layers: 27, n_heads: 16, kv_lora_rank: 512 }));
    assert.equal(a.report?.params.total, 15_706_484_224);
  });

  test('Llama\'s params.json (dim, n_layers, n_heads without latent attention or experts) is not taken for one', () => {
    const a = estimateText('params.json', JSON.stringify({ dim: 4096, n_layers: 32, n_heads: 32, vocab_size: 32000, multiple_of: 256, norm_eps: 1e-5 }));
    assert.equal(a.report, undefined);
    assert.ok(a.diagnostics.some((d) => d.code === 'not-a-config'));
  });
});

describe('Llama 4 named by a torchtune builder', () => {
  test('llama4_scout_17b_16e: the text model, 17B active of 16 experts + a shared one; dtype bf16 read', () => {
    const a = estimateFixture('torchtune/llama4_scout_full_steps.yaml');
    assert.ok(a.report, 'estimated');
    const p = a.report.params;
    // Meta's card: 17B active, 109B total with the vision tower, which is not counted (and says so).
    close(p.active, 17e9, 0.015, 'active');
    assert.ok(p.total < 109e9 && p.total > 105e9, `text model ${p.total}`);
    assert.match(p.convention ?? '', /text model only/);
    assert.equal(a.report.precisionBits, 16);
    // epochs 1 × max_steps_per_epoch 100 × batch_size 2 × gradient_accumulation_steps 4 × max_seq_len 4096.
    assert.equal(a.report.tokens, 100 * 2 * 4 * 4096);
  });

  test('Maverick: 128 experts in every second layer (interleave_moe_layer_step 2), dense MLP 16384 in the others', () => {
    const p = knownModel('meta-llama/Llama-4-Maverick-17B-128E-Instruct')!.shape.params;
    // Meta's card: 17B active, 400B total.
    close(p.active, 17e9, 0.015, 'active');
    close(p.total, 400e9, 0.01, 'total');
  });
});
