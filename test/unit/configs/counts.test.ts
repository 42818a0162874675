import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { findKnownShape, KNOWN_SHAPES, knownModel, normalizeModelName, SUPPORTED_MODEL_TYPES } from '../../../src/core/configs';
import { assertClose } from '../helpers';
import { assertTableMatchesFixtures, shapeOf } from './fixtures';

describe('reference counts (model.num_parameters() convention)', () => {
  const table: Array<[string, string, number]> = [
    ['GPT-2 small', 'gpt2', 124_439_808],
    // The published config.json names BertForMaskedLM: BertModel's 109,482,240 without the pooler (d² + d) plus the
    // MLM head (d² + d + 2d + V, decoder tied) = 109,514,298, what from_pretrained loads for that class.
    ['BERT-base-uncased (BertForMaskedLM, as its architectures names)', 'bert-base-uncased', 109_514_298],
    ['T5-small', 't5-small', 60_506_624],
    ['Llama-2-7B', 'llama-2-7b', 6_738_415_616],
    ['Mistral-7B-v0.1', 'mistral-7b-v0.1', 7_241_732_096],
    ['ViT-B/16 (ViTForImageClassification, 1000 labels)', 'vit-base-patch16-224', 86_567_656],
    ['ResNet-50', 'resnet-50', 25_557_032],
  ];
  for (const [name, dir, n] of table) {
    test(`${name}: ${n.toLocaleString('en-US')}`, () => {
      const s = shapeOf(dir);
      assert.equal(s.params.total, n);
      assert.equal(s.params.active, n);
      assert.match(s.convention, /num_parameters\(\)/);
    });
  }

  test('Mixtral-8x7B: total 46,702,792,704, active 12,879,925,248', () => {
    const s = shapeOf('mixtral-8x7b');
    assert.equal(s.params.total, 46_702_792_704);
    assert.equal(s.params.active, 12_879_925_248);
    assert.deepEqual(s.experts, { total: 8, perToken: 2 });
  });
});

describe('other families against their published counts', () => {
  const published: Array<[string, number, number?]> = [
    // Falcon-7B: model.num_parameters() (the Hub's 7,217,189,760 stores the tied head twice).
    ['falcon-7b', 6_921_720_704],
    ['falcon-40b', 41_303_293_952],
    ['bloom', 176_247_271_424],
    ['meta-llama-3-8b', 8_030_261_248],
    ['qwen2-7b', 7_615_616_512],
    ['gemma-7b', 8_537_680_896],
    ['pythia-160m', 162_322_944],
    ['t5-v1_1-base', 247_577_856],
    // DeepSeek-V3: 671B total, 37B activated (the multi-token-prediction module is not part of the HF model).
    ['deepseek-v3', 671_026_419_200, 37_552_297_472],
    // Qwen1.5-MoE-A2.7B: 14.3B total, 2.7B activated.
    ['qwen1.5-moe-a2.7b', 14_315_784_192, 2_689_173_504],
  ];
  for (const [dir, total, active] of published) {
    test(`${dir}: ${total.toLocaleString('en-US')}${active ? ` (active ${active.toLocaleString('en-US')})` : ''}`, () => {
      const s = shapeOf(dir);
      assert.equal(s.params.total, total);
      assert.equal(s.params.active, active ?? total);
    });
  }

  test('ResNet-50 forward cost at 224²: 4.09 GMAC of convolutions and classifier (spec quotes 4.11 with BN/pooling)', () => {
    const s = shapeOf('resnet-50');
    assertClose(s.forwardMacsPerSample!, 4.11e9, 0.01, 'ResNet-50 MACs');
  });

  test('ViT-B/16 forward cost: 17.6 GMAC per image', () => {
    assertClose(shapeOf('vit-base-patch16-224').forwardMacsPerSample!, 17.56e9, 0.005, 'ViT-B/16 MACs');
  });
});

describe('bundled table of known shapes', () => {
  test('every entry counts without diagnostics and names a supported family (or a multimodal wrapper whose text_config is one)', () => {
    for (const k of KNOWN_SHAPES) {
      const text = k.config.text_config as Record<string, unknown> | undefined;
      assert.ok(SUPPORTED_MODEL_TYPES.includes(String(k.config.model_type)) || SUPPORTED_MODEL_TYPES.includes(String(text?.model_type)), k.key);
      const m = knownModel(k.key);
      assert.ok(m, `${k.key} counts`);
      assert.ok(m.shape.params.total > 1e6, k.key);
      assert.deepEqual(m.source, { kind: 'known-shape', key: k.key, source: k.source });
    }
  });

  test('every table entry with a published config.json fixture counts as the fixture does', () => {
    const pairs: Array<[string, string]> = [
      ['meta-llama/Llama-2-7b-hf', 'llama-2-7b'],
      ['meta-llama/Meta-Llama-3-8B', 'meta-llama-3-8b'],
      ['mistralai/Mistral-7B-v0.1', 'mistral-7b-v0.1'],
      ['mistralai/Mixtral-8x7B-v0.1', 'mixtral-8x7b'],
      ['Qwen/Qwen2-7B', 'qwen2-7b'],
      ['google/gemma-7b', 'gemma-7b'],
      ['gpt2', 'gpt2'],
      ['t5-small', 't5-small'],
      ['google/t5-v1_1-base', 't5-v1_1-base'],
      ['tiiuae/falcon-7b', 'falcon-7b'],
      ['tiiuae/falcon-40b', 'falcon-40b'],
      ['bigscience/bloom', 'bloom'],
      ['EleutherAI/pythia-160m', 'pythia-160m'],
      ['google/vit-base-patch16-224', 'vit-base-patch16-224'],
      ['microsoft/resnet-50', 'resnet-50'],
      // The popular open models of test/unit/configs/families.test.ts.
      ['Qwen/Qwen3-8B', 'qwen3-8b'],
      ['Qwen/Qwen3-30B-A3B', 'qwen3-30b-a3b'],
      ['microsoft/Phi-3-mini-4k-instruct', 'phi-3-mini-4k-instruct'],
      ['microsoft/Phi-3.5-MoE-instruct', 'phi-3.5-moe-instruct'],
      ['google/gemma-2-9b', 'gemma-2-9b'],
      ['google/gemma-3-1b-it', 'gemma-3-1b-it'],
      ['google/gemma-3-4b-it', 'gemma-3-4b-it'],
      ['facebook/opt-125m', 'opt-125m'],
      ['facebook/opt-350m', 'opt-350m'],
      ['EleutherAI/gpt-j-6b', 'gpt-j-6b'],
      ['ibm-granite/granite-3.0-2b-instruct', 'granite-3.0-2b-instruct'],
      ['ibm-granite/granite-3.0-1b-a400m-instruct', 'granite-3.0-1b-a400m-instruct'],
      ['bigcode/starcoder2-3b', 'starcoder2-3b'],
      ['databricks/dbrx-base', 'dbrx-base'],
      ['ai21labs/Jamba-v0.1', 'jamba-v0.1'],
      ['CohereForAI/c4ai-command-r-v01', 'c4ai-command-r-v01'],
      ['openai/whisper-tiny', 'whisper-tiny'],
      ['openai/whisper-large-v3', 'whisper-large-v3'],
      ['openai/clip-vit-base-patch32', 'clip-vit-base-patch32'],
      ['openai/clip-vit-large-patch14', 'clip-vit-large-patch14'],
      ['microsoft/deberta-v3-base', 'deberta-v3-base'],
      ['Qwen/Qwen-7B', 'qwen-7b'],
      ['microsoft/phi-1_5', 'phi-1_5'],
      ['EleutherAI/gpt-neo-125m', 'gpt-neo-125m'],
      ['bigcode/starcoder', 'starcoder'],
      ['state-spaces/mamba-130m-hf', 'mamba-130m-hf'],
      ['Qwen/Qwen1.5-MoE-A2.7B', 'qwen1.5-moe-a2.7b'],
      ['deepseek-ai/DeepSeek-V3', 'deepseek-v3'],
    ];
    assertTableMatchesFixtures(pairs);
  });

  test('Hub ids, torchtune builders and LitGPT names resolve to the same shape', () => {
    for (const name of ['meta-llama/Meta-Llama-3-8B', 'torchtune.models.llama3.llama3_8b', 'torchtune.models.llama3.lora_llama3_8b', 'torchtune.models.llama3.qlora_llama3_8b', 'Meta-Llama-3-8B', 'checkpoints/meta-llama/Meta-Llama-3-8B']) {
      assert.equal(findKnownShape(name)?.key, 'llama-3-8b', name);
    }
    assert.equal(findKnownShape('NousResearch/Llama-2-7b-hf')?.key, 'llama-2-7b');
    assert.equal(findKnownShape('torchtune.models.qwen2.qwen2_7b')?.key, 'qwen2-7b');
    assert.equal(findKnownShape('torchtune.models.gemma.gemma_2b')?.key, 'gemma-2b');
    assert.equal(normalizeModelName('torchtune.models.llama2.lora_llama2_7b'), 'llama2-7b');
    assert.equal(findKnownShape('my-org/my-private-model'), undefined);
  });

  test('published totals of table-only models', () => {
    const published: Array<[string, number]> = [
      ['llama-2-13b', 13_015_864_320],
      ['llama-2-70b', 68_976_648_192],
      ['llama-3.1-405b', 405_853_388_800],
      ['llama-3.2-1b', 1_235_814_400],
      ['gpt2-xl', 1_557_611_200],
      ['bert-base-uncased', 109_482_240],
      ['bert-large-uncased', 335_141_888],
      ['t5-base', 222_903_552],
      ['resnet-18', 11_689_512],
      ['resnet-101', 44_549_160],
      ['vit-large-patch16-224', 304_326_632],
    ];
    for (const [key, n] of published) assert.equal(knownModel(key)!.shape.params.total, n, key);
  });
});
