import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SUPPORTED_MODEL_TYPES } from '../../../src/core/configs';
import { estimateText } from './fixtures';

const FIELDS = [
  'vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'intermediate_size', 'head_dim',
  'n_embd', 'n_layer', 'n_head', 'n_positions', 'd_model', 'd_kv', 'd_ff', 'num_layers', 'num_heads', 'image_size', 'patch_size',
  'hidden_sizes', 'depths', 'num_local_experts', 'num_experts_per_tok', 'tie_word_embeddings', 'max_position_embeddings',
];

const anyValue = fc.oneof(
  fc.integer({ min: -10, max: 100_000 }),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: -5, max: 5000 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 3 }),
);

describe('no config crashes the engine (property tests)', () => {
  test('random model configs: a report or diagnostics, never an exception, never a non-finite number', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUPPORTED_MODEL_TYPES), fc.dictionary(fc.constantFrom(...FIELDS), anyValue), (modelType, fields) => {
        const a = estimateText('config.json', JSON.stringify({ model_type: modelType, ...fields }));
        if (a.report) {
          for (const v of [a.report.params.total, a.report.flops, a.report.accelerator.energyJ]) assert.ok(Number.isFinite(v) && v > 0, String(v));
        } else assert.ok(a.diagnostics.length > 0, 'no report must come with a reason');
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  test('random run files and training YAML', () => {
    const keys = ['model', 'config', 'params', 'tokens', 'flops', 'hardware', 'devices', 'hours', 'device_hours', 'precision', 'utilization', 'pue', 'base_model', 'max_steps', 'sequence_len', 'micro_batch_size'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.oneof(anyValue, fc.constantFrom('7B', '1T', 'a100', 'bf16', 'gpt2', 'meta-llama/Llama-2-7b-hf'))), fc.boolean(), (obj, runFile) => {
        const text = Object.entries(obj).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n');
        estimateText(runFile ? 'r.lim.yaml' : 'train.yaml', text);
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});
