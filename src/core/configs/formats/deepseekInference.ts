import { modelFromHfConfig } from './hfModel';
import { COUNT, DIMENSION, FieldReader, LAYER_COUNT, VOCAB, type NumberRule } from '../reader';
import type { ModelFacts, RunFacts } from '../facts';
import type { ParsedDoc } from '../parse';
import { finishFacts, precisionAt } from './context';

/**
 * DeepSeek's reference-inference configs (`inference/configs/config_671B.json` of deepseek-ai/DeepSeek-V3, read by
 * its `ModelArgs`): the same architecture as the Hub's config.json under other names. Mapped onto the deepseek_v2 /
 * deepseek_v3 count, so config_671B.json gives the Hub config's 671,026,419,200.
 */

/** ModelArgs's field → the Hub config's field, with ModelArgs's default (inference/model.py) for a missing one. */
const FIELDS: Array<[key: string, hf: string, fallback: number, rule: NumberRule]> = [
  ['vocab_size', 'vocab_size', 102400, VOCAB],
  ['dim', 'hidden_size', 2048, DIMENSION],
  ['inter_dim', 'intermediate_size', 10944, DIMENSION],
  ['moe_inter_dim', 'moe_intermediate_size', 1408, DIMENSION],
  ['n_layers', 'num_hidden_layers', 27, LAYER_COUNT],
  ['n_dense_layers', 'first_k_dense_replace', 1, { integer: true, min: 0, max: 10_000 }],
  ['n_heads', 'num_attention_heads', 16, DIMENSION],
  ['n_routed_experts', 'n_routed_experts', 64, COUNT],
  ['n_shared_experts', 'n_shared_experts', 2, { integer: true, min: 0, max: 1e7 }],
  ['n_activated_experts', 'num_experts_per_tok', 6, COUNT],
  ['q_lora_rank', 'q_lora_rank', 0, { integer: true, min: 0, max: 2 ** 20 }],
  ['kv_lora_rank', 'kv_lora_rank', 512, DIMENSION],
  ['qk_nope_head_dim', 'qk_nope_head_dim', 128, DIMENSION],
  ['qk_rope_head_dim', 'qk_rope_head_dim', 64, DIMENSION],
  ['v_head_dim', 'v_head_dim', 128, DIMENSION],
  ['max_seq_len', 'max_position_embeddings', 16384, { integer: true, max: 1e8 }],
];

/** Recognised by the keys only ModelArgs has: `dim`, `n_layers`, `n_heads` with multi-latent attention or experts. */
export function isDeepSeekInference(data: Record<string, unknown>): boolean {
  return 'dim' in data && 'n_layers' in data && 'n_heads' in data && ('kv_lora_rank' in data || 'n_routed_experts' in data || 'moe_inter_dim' in data);
}

export function readDeepSeekInference(r: FieldReader): RunFacts {
  const config: Record<string, unknown> = { tie_word_embeddings: false };
  let ok = true;
  for (const [key, hf, fallback, rule] of FIELDS) {
    if (!r.has([key])) {
      config[hf] = fallback;
      continue;
    }
    const v = r.num([key], rule);
    if (v === undefined) ok = false;
    else config[hf] = v.value;
  }
  // q_lora_rank 0 is a plain query projection (the Hub writes null).
  if (config.q_lora_rank === 0) config.q_lora_rank = null;
  config.num_key_value_heads = config.num_attention_heads;
  // DeepSeek-V3 routes with sigmoid scores and a per-expert correction bias (the Hub's topk_method noaux_tc);
  // V2 and V2-Lite with softmax (ModelArgs's default), without one.
  const score = typeof r.raw(['score_func']) === 'string' ? r.str(['score_func'])?.value : undefined;
  const v3 = score === 'sigmoid';
  config.model_type = v3 ? 'deepseek_v3' : 'deepseek_v2';
  if (v3) config.topk_method = 'noaux_tc';
  let model: ModelFacts | undefined;
  if (ok) {
    const doc: ParsedDoc = { file: r.file, syntax: 'json', text: '', data: config, diagnostics: [], locate: () => undefined };
    const sub = new FieldReader(doc);
    const hf = modelFromHfConfig(sub);
    for (const dgn of sub.diagnostics) r.report([], dgn.code, `as a ${String(config.model_type)} model: ${dgn.message}`, 'warning');
    if (hf) {
      model = {
        shape: hf.shape,
        source: {
          kind: 'computed',
          formula: `DeepSeek inference ModelArgs counted as ${String(config.model_type)} (dim, n_layers, n_heads, inter_dim, moe_inter_dim, n_dense_layers, ${String(config.n_routed_experts)} routed + ${String(config.n_shared_experts)} shared experts, top-${String(config.num_experts_per_tok)}, q/kv LoRA ranks, head dims${v3 ? ', score_func sigmoid: expert correction biases' : ''}); missing fields at ModelArgs's defaults`,
        },
        anchor: r.locate(['dim']),
      };
    }
  }
  // ModelArgs.dtype: the weights' format, bf16 unless the file says fp8.
  const dtype = precisionAt(r, ['dtype']) ?? { value: 16, source: { kind: 'default' as const, name: 'dtype', reason: 'DeepSeek inference ModelArgs default (bf16)' } };
  return finishFacts({ file: r.file, format: 'deepseek-inference', model, precisionBits: dtype });
}
