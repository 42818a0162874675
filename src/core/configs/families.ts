import { decoderSpec, type DecoderSpec, type MoeSpec } from './decoder';
import { DIMENSION, LAYER_COUNT, VOCAB, COUNT, type FieldReader, type NumberRule } from './reader';
import { countBert, countDistilBert, countT5, countViT, countResNet, HF_DIMS } from './encoders';
import { decoderShape, flag, maxPositionsAt, numOr, optionalNum, p, pick } from './familyKit';
import type { ModelShape } from './shape';
import { readDbrx, readGemma3, readGenericDecoder, readGptJ, readJamba, readMamba, readMpt, readOpt, readPhi, readQwen1, readStarcoder2 } from './decoderFamilies';
import { countClip, countDebertaV2, countWhisper } from './speechVision';

export { pick } from './familyKit';

/**
 * Hugging Face `config.json` → ModelShape, dispatching on `model_type` (docs/configs.md, "Parameters N"). Each reader takes the
 * path prefix of the config inside its document ([] for a config.json, e.g. ['model'] elsewhere) and reports
 * missing or bad fields through the FieldReader instead of throwing.
 */
type FamilyReader = (r: FieldReader, at: string[], modelType: string) => ModelShape | undefined;

interface LlamaTraits {
  tiedDefault: boolean;
  /** Q/K/V biases always on (Qwen2), whatever attention_bias says; o_proj stays bias-free. */
  qkvBias: boolean;
  normsPerLayer: number;
  /** Per-head RMSNorm on queries and keys, over head_dim (Qwen3, Gemma 3): 2·h per layer. */
  qkNorm?: 'head' | 'cohere';
  /** LayerNorm with a bias (Phi-3.5-MoE) instead of RMSNorm. */
  layerNorm?: boolean;
  /** head_dim when the file leaves it out and the config class has its own default (Qwen3: 128). */
  headDim?: number;
  /** The config class's defaults for fields a file may leave out (Gemma 3 text_config). */
  defaults?: { V: number; d: number; L: number; H: number; f: number; K: number; h: number };
  /** What the family's formula adds to the llama one. */
  note?: string;
}

const LLAMA_LIKE: Record<string, LlamaTraits> = {
  llama: { tiedDefault: false, qkvBias: false, normsPerLayer: 2 },
  mistral: { tiedDefault: false, qkvBias: false, normsPerLayer: 2 },
  qwen2: { tiedDefault: false, qkvBias: true, normsPerLayer: 2 },
  gemma: { tiedDefault: true, qkvBias: false, normsPerLayer: 2 },
  gemma2: { tiedDefault: true, qkvBias: false, normsPerLayer: 4 },
  mixtral: { tiedDefault: false, qkvBias: false, normsPerLayer: 2 },
  qwen2_moe: { tiedDefault: false, qkvBias: true, normsPerLayer: 2 },
  deepseek_v2: { tiedDefault: false, qkvBias: false, normsPerLayer: 2 },
  deepseek_v3: { tiedDefault: false, qkvBias: false, normsPerLayer: 2 },
  qwen3: { tiedDefault: false, qkvBias: false, normsPerLayer: 2, qkNorm: 'head', headDim: 128, note: 'q_norm and k_norm: + 2·h per layer' },
  qwen3_moe: { tiedDefault: false, qkvBias: false, normsPerLayer: 2, qkNorm: 'head', headDim: 128, note: 'q_norm and k_norm: + 2·h per layer' },
  gemma3_text: {
    tiedDefault: true, qkvBias: false, normsPerLayer: 4, qkNorm: 'head', note: 'four RMSNorms and q_norm, k_norm (2·h) per layer',
    defaults: { V: 262_208, d: 2304, L: 26, H: 8, f: 9216, K: 4, h: 256 },
  },
  phi3: { tiedDefault: false, qkvBias: false, normsPerLayer: 2, note: 'fused qkv_proj and gate_up_proj, same count' },
  phimoe: { tiedDefault: false, qkvBias: false, normsPerLayer: 2, layerNorm: true, note: 'LayerNorms with bias, lm_head bias with lm_head_bias' },
  granite: { tiedDefault: false, qkvBias: false, normsPerLayer: 2 },
  granitemoe: { tiedDefault: false, qkvBias: false, normsPerLayer: 2 },
  granitemoeshared: { tiedDefault: false, qkvBias: false, normsPerLayer: 2 },
  cohere: { tiedDefault: true, qkvBias: false, normsPerLayer: 1, qkNorm: 'cohere', note: 'one bias-free LayerNorm (d) per layer feeding attention and MLP in parallel; use_qk_norm: + H·h + K·h' },
  llama4_text: { tiedDefault: false, qkvBias: false, normsPerLayer: 2, note: 'weight-free L2 q/k norm' },
  cohere2: { tiedDefault: true, qkvBias: false, normsPerLayer: 1, note: 'one bias-free LayerNorm (d) per layer feeding attention and MLP in parallel' },
};

export const FAMILY_READERS: Record<string, FamilyReader> = {
  ...Object.fromEntries(Object.keys(LLAMA_LIKE).map((t) => [t, readLlamaLike])),
  gpt2: readGpt2,
  gpt_bigcode: readGpt2,
  gpt_neo: readGptNeo,
  mamba: readMamba,
  gpt_neox: readGptNeox,
  bloom: readBloom,
  falcon: readFalcon,
  RefinedWeb: readFalcon,
  RefinedWebModel: readFalcon,
  bert: countBert,
  roberta: countBert,
  'xlm-roberta': countBert,
  camembert: countBert,
  distilbert: countDistilBert,
  t5: countT5,
  vit: countViT,
  resnet: countResNet,
  opt: readOpt,
  gptj: readGptJ,
  mpt: readMpt,
  qwen: readQwen1,
  phi: readPhi,
  'phi-msft': readPhi,
  'mixformer-sequential': readPhi,
  starcoder2: readStarcoder2,
  dbrx: readDbrx,
  jamba: readJamba,
  gemma3: (r, at, t) => readGemma3(r, at, t, readLlamaLike),
  whisper: countWhisper,
  clip: countClip,
  'deberta-v2': countDebertaV2,
};

export const SUPPORTED_MODEL_TYPES = Object.keys(FAMILY_READERS).filter((t) => !t.startsWith('Refined'));

/**
 * The model a config describes. A model_type without a formula gets the generic decoder approximation (a warning
 * that says so) or, without the standard fields, an "unsupported model_type" note: information, not an error.
 */
export function readModelShape(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const reader: FamilyReader = FAMILY_READERS[modelType] ?? ((rr, aa, t) => readWrapperTextModel(rr, aa, t) ?? readGenericDecoder(rr, aa, t, SUPPORTED_MODEL_TYPES));
  const errorsBefore = r.diagnostics.filter((d) => d.severity === 'error').length;
  const shape = reader(r, at, modelType);
  // A count built on a missing or bad field would be wrong; the diagnostics say which field to fix.
  return r.diagnostics.filter((d) => d.severity === 'error').length > errorsBefore ? undefined : shape;
}

/**
 * A multimodal wrapper LIM Lens has no formula for (LLaVA, Mllama, PaliGemma …) whose `text_config` is a family it
 * counts: the text model, exactly, with a warning that the other towers are left out. A text_config that leans on
 * its config class's defaults (missing sizes) is not this file's error: its diagnostics are dropped and the caller
 * falls back to the generic count, which says what it needs.
 */
function readWrapperTextModel(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const textAt = p(at, 'text_config');
  const textType = r.raw(p(textAt, 'model_type'));
  if (typeof textType !== 'string' || !FAMILY_READERS[textType] || r.has(p(at, 'hidden_size'))) return undefined;
  const before = r.diagnostics.length;
  const text = FAMILY_READERS[textType](r, textAt, textType);
  if (!text || r.diagnostics.slice(before).some((d) => d.severity === 'error')) {
    r.diagnostics.splice(before);
    return undefined;
  }
  r.report(
    p(at, 'model_type'), 'approximate-count',
    `model_type "${modelType}" has no formula in LIM Lens: ${text.params.total.toLocaleString('en-US')} counts its text model only (text_config, ${textType}); the other towers of the model are left out, so the whole model is larger`,
    'warning',
  );
  return { ...text, modelType, convention: `${text.convention}; the text model only (text_config, ${textType}) of ${modelType}: other towers not counted` };
}

const LLAMA_FORMULA = 'N = V·d·(tied ? 1 : 2) + L·(d·H·h + 2·d·K·h + H·h·d [+ biases] + 3·d·f + 2·d) + d';

function readLlamaLike(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const traits = LLAMA_LIKE[modelType];
  const what = `${modelType} config`;
  const dflt = traits.defaults;
  const x = dflt
    ? { V: numOr(r, at, ['vocab_size'], dflt.V, VOCAB), d: numOr(r, at, ['hidden_size'], dflt.d), L: numOr(r, at, ['num_hidden_layers'], dflt.L, LAYER_COUNT), H: numOr(r, at, ['num_attention_heads'], dflt.H), f: numOr(r, at, ['intermediate_size'], dflt.f) }
    : r.needAll(at, what, HF_DIMS);
  if (!x) return undefined;
  const h = optionalNum(r, at, 'head_dim', dflt?.h ?? traits.headDim ?? x.d / x.H);
  if (!Number.isInteger(h)) {
    r.report(p(at, 'num_attention_heads'), 'bad-value', `hidden_size ${x.d} is not divisible by num_attention_heads ${x.H}; set head_dim`);
    return undefined;
  }
  const K = optionalNum(r, at, 'num_key_value_heads', dflt?.K ?? x.H);
  const attnBias = traits.qkvBias || flag(r, at, 'attention_bias', false);
  const qkNorm = traits.qkNorm === 'head' ? 2 * h : traits.qkNorm === 'cohere' && flag(r, at, 'use_qk_norm', false) ? (x.H + K) * h : 0;
  const spec = decoderSpec(x, {
    kvHeads: K,
    headDim: h,
    gated: true,
    norm: traits.layerNorm ? 'layer' : 'rms',
    normsPerLayer: traits.normsPerLayer,
    qkvBias: attnBias,
    // Llama's attention_bias also puts a bias on o_proj; Qwen2's fixed q/k/v bias does not.
    outBias: !traits.qkvBias && attnBias,
    mlpBias: flag(r, at, 'mlp_bias', false),
    tied: flag(r, at, 'tie_word_embeddings', traits.tiedDefault),
    layerExtra: qkNorm,
    headBias: modelType === 'phimoe' && flag(r, at, 'lm_head_bias', false),
  });
  const maxPositions = maxPositionsAt(r, at);
  let formula = traits.note ? `${LLAMA_FORMULA}; ${modelType}: ${traits.note}` : LLAMA_FORMULA;
  if (modelType === 'mixtral' || modelType === 'phimoe' || modelType.startsWith('granitemoe')) {
    const E = r.need(p(at, 'num_local_experts'), COUNT, what);
    const k = r.need(p(at, 'num_experts_per_tok'), COUNT, what);
    if (!E || !k) return undefined;
    const fs = modelType === 'granitemoeshared' ? optionalNum(r, at, 'shared_intermediate_size', 0, { ...DIMENSION, min: 0 }) : 0;
    spec.moe = moe(E.value, k.value, x.f, { sharedFfn: fs });
    formula = `${modelType}: mlp_total = E·3·d·f + d·E${fs ? ' + 3·d·f_shared' : ''}, mlp_active = k·3·d·f + d·E; otherwise as llama${traits.note ? ` (${traits.note})` : ''}`;
  } else if (modelType === 'qwen2_moe' || modelType === 'qwen3_moe') {
    if (!readQwenMoe(r, at, spec, what)) return undefined;
    formula = modelType === 'qwen2_moe'
      ? 'qwen2_moe: E·3·d·f_e + 3·d·f_shared + d (shared gate) + d·E per sparse layer; k experts active'
      : 'qwen3_moe: E·3·d·f_e + d·E per sparse layer (decoder_sparse_step, mlp_only_layers), k experts active; q_norm and k_norm 2·h per layer';
  } else if (modelType === 'llama4_text') {
    if (!readLlama4Moe(r, at, spec, what)) return undefined;
    formula = 'llama4_text: per MoE layer (moe_layers, or every interleave_moe_layer_step-th) E·3·d·f + 3·d·f shared expert + d·E router, k experts active; other layers a dense MLP 3·d·intermediate_size_mlp; otherwise as llama';
  } else if (modelType.startsWith('deepseek')) {
    if (!readDeepSeek(r, at, spec, what, modelType)) return undefined;
    formula = 'deepseek: multi-head latent attention + (E + shared)·3·d·f_e + d·E per MoE layer, first_k_dense_replace dense layers';
  }
  if (spec.moe && spec.moe.perToken > spec.moe.experts) {
    r.report(p(at, 'num_experts_per_tok'), 'bad-value', `num_experts_per_tok ${spec.moe.perToken} exceeds the number of experts ${spec.moe.experts}`);
    return undefined;
  }
  return decoderShape(modelType, modelType, spec, maxPositions, formula);
}

function moe(experts: number, perToken: number, expertFfn: number, extra: Partial<MoeSpec> = {}): MoeSpec {
  return { experts, perToken, expertFfn, sharedFfn: 0, sharedGate: false, routerBias: false, denseLayers: 0, ...extra };
}

function readQwenMoe(r: FieldReader, at: string[], spec: DecoderSpec, what: string): boolean {
  const E = r.need(p(at, 'num_experts'), COUNT, what);
  const k = r.need(p(at, 'num_experts_per_tok'), COUNT, what);
  const fe = r.need(p(at, 'moe_intermediate_size'), DIMENSION, what);
  if (!E || !k || !fe) return false;
  const fs = r.has(p(at, 'shared_expert_intermediate_size')) ? (r.num(p(at, 'shared_expert_intermediate_size'), { ...DIMENSION, min: 0 })?.value ?? 0) : 0;
  const step = optionalNum(r, at, 'decoder_sparse_step', 1, LAYER_COUNT);
  const only = r.raw(p(at, 'mlp_only_layers'));
  const dense = new Set(Array.isArray(only) ? only.filter((x): x is number => typeof x === 'number') : []);
  let denseLayers = 0;
  for (let i = 0; i < spec.layers; i++) if (dense.has(i) || (i + 1) % step !== 0) denseLayers++;
  spec.moe = moe(E.value, k.value, fe.value, { sharedFfn: fs, sharedGate: fs > 0, denseLayers });
  return true;
}

/**
 * Llama 4 (Llama4TextConfig): routed experts of width intermediate_size plus one always-on shared expert of the same
 * width in each MoE layer (moe_layers, default every interleave_moe_layer_step-th layer from step − 1); the other
 * layers have a dense MLP of width intermediate_size_mlp.
 */
function readLlama4Moe(r: FieldReader, at: string[], spec: DecoderSpec, what: string): boolean {
  const E = r.need(p(at, 'num_local_experts'), COUNT, what);
  const k = r.need(p(at, 'num_experts_per_tok'), COUNT, what);
  if (!E || !k) return false;
  const L = spec.layers;
  const listed = r.raw(p(at, 'moe_layers'));
  let sparse: number;
  if (Array.isArray(listed)) sparse = new Set(listed.filter((x): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < L)).size;
  else {
    const step = optionalNum(r, at, 'interleave_moe_layer_step', 1, LAYER_COUNT);
    sparse = step > L ? 0 : Math.floor((L - step) / step) + 1;
  }
  const fe = spec.ffn;
  spec.ffn = optionalNum(r, at, 'intermediate_size_mlp', 16384);
  spec.moe = moe(E.value, k.value, fe, { sharedFfn: fe, denseLayers: L - sparse });
  return true;
}

function readDeepSeek(r: FieldReader, at: string[], spec: DecoderSpec, what: string, modelType: string): boolean {
  const E = r.need(p(at, 'n_routed_experts'), COUNT, what);
  const k = r.need(p(at, 'num_experts_per_tok'), COUNT, what);
  const fe = r.need(p(at, 'moe_intermediate_size'), DIMENSION, what);
  const kvRank = r.need(p(at, 'kv_lora_rank'), DIMENSION, what);
  const nope = r.need(p(at, 'qk_nope_head_dim'), DIMENSION, what);
  const rope = r.need(p(at, 'qk_rope_head_dim'), DIMENSION, what);
  const vDim = r.need(p(at, 'v_head_dim'), DIMENSION, what);
  if (!E || !k || !fe || !kvRank || !nope || !rope || !vDim) return false;
  const shared = optionalNum(r, at, 'n_shared_experts', 0, COUNT);
  const firstDense = r.has(p(at, 'first_k_dense_replace')) ? (r.num(p(at, 'first_k_dense_replace'), { integer: true, min: 0, max: 10_000 })?.value ?? 0) : 0;
  const qRank = r.has(p(at, 'q_lora_rank')) ? r.num(p(at, 'q_lora_rank'), DIMENSION)?.value : undefined;
  const d = spec.hidden;
  const H = spec.heads;
  const qkHead = nope.value + rope.value;
  const q = qRank ? d * qRank + qRank + qRank * H * qkHead : d * H * qkHead;
  const kv = d * (kvRank.value + rope.value) + kvRank.value + kvRank.value * H * (nope.value + vDim.value);
  const o = H * vDim.value * d;
  spec.attentionParams = q + kv + o;
  spec.attentionLinears = [
    { name: 'q_proj', inFeatures: qRank ?? d, outFeatures: H * qkHead, copies: 1 },
    { name: 'kv_b_proj', inFeatures: kvRank.value, outFeatures: H * (nope.value + vDim.value), copies: 1 },
    { name: 'o_proj', inFeatures: H * vDim.value, outFeatures: d, copies: 1 },
  ];
  spec.headDim = (qkHead + vDim.value) / 2;
  const topk = r.raw(p(at, 'topk_method'));
  spec.moe = moe(E.value, k.value, fe.value, {
    sharedFfn: shared * fe.value,
    denseLayers: Math.min(firstDense, spec.layers),
    routerBias: modelType === 'deepseek_v3' && topk === 'noaux_tc',
  });
  return true;
}

function readGpt2(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, 'gpt2 config', {
    V: [['vocab_size'], VOCAB],
    d: [['n_embd', 'hidden_size'], DIMENSION],
    L: [['n_layer', 'num_hidden_layers'], LAYER_COUNT],
    H: [['n_head', 'num_attention_heads'], DIMENSION],
    P: [['n_positions', 'max_position_embeddings'], { integer: true, max: 1e7 }],
  });
  if (!x) return undefined;
  const f = r.has(p(at, 'n_inner')) ? (r.num(p(at, 'n_inner'), DIMENSION)?.value ?? 4 * x.d) : 4 * x.d;
  if (modelType === 'gpt_bigcode') {
    // GPTBigCode (StarCoder, SantaCoder): GPT-2 with one shared key/value head under multi_query (the default).
    const spec = decoderSpec({ ...x, f }, { kvHeads: flag(r, at, 'multi_query', true) ? 1 : x.H, tied: flag(r, at, 'tie_word_embeddings', true), learnedPositions: x.P });
    return decoderShape('gpt_bigcode', modelType, spec, x.P, 'N = V·d + P·d + L·(d·(d + 2h) + (d + 2h) + d² + d + 2·d·f + f + d + 4d) + 2d (multi-query: one key/value head)', { convention: 'GPTBigCodeForCausalLM' });
  }
  const spec = decoderSpec({ ...x, f }, { tied: flag(r, at, 'tie_word_embeddings', true), learnedPositions: x.P });
  return decoderShape('gpt2', modelType, spec, x.P, 'N = V·d + P·d + L·(12·d² + 13·d) + 2·d  (f = 4d; in general 4d² + 2df + 9d + f per layer)');
}

/** GPTNeoForCausalLM: GPT-2's layout with bias-free q/k/v (out_proj keeps its bias), learned positions, tied head. */
function readGptNeo(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, 'gpt_neo config', {
    V: [['vocab_size'], VOCAB],
    d: [['hidden_size'], DIMENSION],
    L: [['num_layers', 'num_hidden_layers'], LAYER_COUNT],
    H: [['num_heads', 'num_attention_heads'], DIMENSION],
    P: [['max_position_embeddings'], { integer: true, max: 1e7 }],
  });
  if (!x) return undefined;
  const f = r.has(p(at, 'intermediate_size')) ? (r.num(p(at, 'intermediate_size'), DIMENSION)?.value ?? 4 * x.d) : 4 * x.d;
  const spec = decoderSpec({ ...x, f }, { qkvBias: false, tied: flag(r, at, 'tie_word_embeddings', true), learnedPositions: x.P });
  return decoderShape('gpt_neo', modelType, spec, x.P, 'N = V·d + P·d + L·(4d² + d + 2·d·f + f + d + 4d) + 2d (q, k, v without bias)', { convention: 'GPTNeoForCausalLM' });
}

function readGptNeox(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, 'gpt_neox config', HF_DIMS);
  if (!x) return undefined;
  const bias = flag(r, at, 'attention_bias', true);
  const spec = decoderSpec(x, { qkvBias: bias, outBias: bias, tied: flag(r, at, 'tie_word_embeddings', false) });
  const maxPositions = r.num(p(at, 'max_position_embeddings'), { integer: true, max: 1e8 })?.value;
  return decoderShape('gpt_neox', modelType, spec, maxPositions, 'N = 2·V·d + L·(4d² + 2df + 9d + f) + 2d (untied, biases everywhere)');
}

/** BLOOM and Falcon spell their sizes either way (BloomConfig and FalconConfig attribute maps). */
const ALT_DIMS = {
  V: [['vocab_size'], VOCAB],
  d: [['hidden_size', 'n_embed'], DIMENSION],
  L: [['num_hidden_layers', 'n_layer'], LAYER_COUNT],
  H: [['num_attention_heads', 'n_head'], DIMENSION],
} satisfies Record<string, [string[], NumberRule]>;

function readBloom(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, 'bloom config', ALT_DIMS);
  if (!x) return undefined;
  const spec = decoderSpec({ ...x, f: 4 * x.d }, { embeddingNorm: true });
  return decoderShape('bloom', modelType, spec, undefined, 'N = V·d + L·(12·d² + 13·d) + 4·d (ALiBi, embedding LayerNorm, tied)');
}

function readFalcon(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, 'falcon config', ALT_DIMS);
  if (!x) return undefined;
  // The remote-code RefinedWeb (Falcon-40B) is the new decoder architecture with n_head_kv key/value heads and two
  // LayerNorms; RefinedWebModel (Falcon-7B) the multi-query one. Transformers' FalconConfig says so with flags.
  const newArch = flag(r, at, 'new_decoder_architecture', modelType === 'RefinedWeb');
  const multiQuery = flag(r, at, 'multi_query', true);
  const kvPath = pick(r, at, ['num_kv_heads', 'n_head_kv']);
  const K = newArch ? (r.has(kvPath) ? (r.num(kvPath, DIMENSION)?.value ?? x.H) : x.H) : multiQuery ? 1 : x.H;
  const bias = flag(r, at, 'bias', false);
  const parallel = flag(r, at, 'parallel_attn', true);
  const spec = decoderSpec(
    { ...x, f: optionalNum(r, at, 'ffn_hidden_size', 4 * x.d) },
    {
      kvHeads: K,
      headDim: optionalNum(r, at, 'head_dim', x.d / x.H),
      // 7B: one LayerNorm feeds attention and MLP in parallel; 40B/180B (new_decoder_architecture) have two.
      normsPerLayer: newArch || !parallel ? 2 : 1,
      qkvBias: bias,
      outBias: bias,
      mlpBias: bias,
      tied: flag(r, at, 'tie_word_embeddings', true),
    },
  );
  return decoderShape('falcon', modelType, spec, undefined, 'N = V·d + L·(LayerNorm + d·(H·h + 2·K·h) + d² + 8·d²) + 2·d; 7B: layer = 2d + d(d + 2h) + 9d²');
}
