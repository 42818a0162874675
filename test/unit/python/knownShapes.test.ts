// The models the Python corpus names by Hub id, counted from the bundled table against their published totals.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findKnownShape, knownModel } from '../../../src/core/configs';

describe('known shapes named by real training scripts and notebooks', () => {
  // DistilGPT2: the distilbert/distilgpt2 config.json (n_layer 6, n_embd 768, n_head 12, vocabulary 50,257, 1,024
  // positions): 50257·768 + 1024·768 + 6·(12·768² + 13·768) + 2·768.
  test('distilgpt2: 81,912,576', () => {
    assert.equal(findKnownShape('distilgpt2')?.key, 'distilgpt2');
    assert.equal(findKnownShape('distilbert/distilgpt2')?.key, 'distilgpt2');
    assert.equal(knownModel('distilgpt2')!.shape.params.total, 81_912_576);
  });

  // BLOOMZ keeps its BLOOM base's shape; the totals are those the BLOOM model cards publish.
  const bloomz: Array<[string, number]> = [
    ['bigscience/bloomz-560m', 559_214_592],
    ['bigscience/bloomz-1b1', 1_065_314_304],
    ['bigscience/bloomz-1b7', 1_722_408_960],
    ['bigscience/bloomz-3b', 3_002_557_440],
    ['bigscience/bloomz-7b1', 7_069_016_064],
    ['bigscience/bloomz-7b1-mt', 7_069_016_064],
    ['bigscience/bloomz', 176_247_271_424],
  ];
  for (const [id, n] of bloomz) {
    test(`${id}: ${n.toLocaleString('en-US')}, the same as its BLOOM base`, () => {
      const shape = findKnownShape(id);
      assert.ok(shape, `${id} is in the table`);
      assert.match(shape.source, /bigscience\/bloomz/);
      assert.equal(knownModel(id)!.shape.params.total, n);
    });
  }
});
