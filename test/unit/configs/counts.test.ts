import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { findKnownShape, KNOWN_SHAPES, knownModel, normalizeModelName, SUPPORTED_MODEL_TYPES } from '../../../src/core/configs';
import { assertClose } from '../helpers';
import { shapeOf } from './fixtures';

describe('forward cost of the vision fixtures', () => {
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
