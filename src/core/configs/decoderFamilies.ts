import { attentionParams, countDecoder, decoderSpec, mlpParams, type DecoderSpec, type MoeSpec } from './decoder';
import { COUNT, DIMENSION, LAYER_COUNT, VOCAB, type FieldReader, type NumberRule } from './reader';
import { architectures, decoderShape, flag, maxPositionsAt, numOr, optionalNum, p, pick } from './familyKit';
import type { ModelShape, ParamCount } from './shape';
import { HF_DIMS, visionTowerSizes } from './encoders';

/**
 * Decoder families beyond the Llama layout (docs/configs.md): OPT, GPT-J, MPT, Qwen-1, Phi-1/2 (and the older
 * mixformer-sequential / phi-msft files), StarCoder2, DBRX, Jamba, Gemma 3 with its vision tower, and the generic
 * approximation for a model_type LIM Lens has no formula for. Each count follows the Hugging Face modelling code of
 * the class the config's `architectures` names (or the model's own remote code for Qwen-1, MPT and mixformer):
 * which projections carry biases, which norms exist and whether the output head is tied.
 */

type Dims = Record<string, [string[], NumberRule]>;

const moe = (experts: number, perToken: number, expertFfn: number, extra: Partial<MoeSpec> = {}): MoeSpec => ({
  experts, perToken, expertFfn, sharedFfn: 0, sharedGate: false, routerBias: false, denseLayers: 0, ...extra,
});

/** A config's dimensions and its head width h = d / H; undefined, with a diagnostic, when one is missing or H does not divide d. */
function headed<K extends string>(r: FieldReader, at: string[], what: string, dims: Record<K | 'd' | 'H', [string[], NumberRule]>): (Record<K | 'd' | 'H', number> & { h: number }) | undefined {
  const x = r.needAll(at, what, dims);
  if (!x) return undefined;
  const h = x.d / x.H;
  if (Number.isInteger(h)) return Object.assign(x, { h });
  r.report(p(at, 'num_attention_heads'), 'bad-value', `hidden size ${x.d} is not divisible by ${x.H} attention heads`);
  return undefined;
}

/** OPTForCausalLM: learned positions with an offset of 2, optional project_in/out, LayerNorms and biases, tied head. */
export function readOpt(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = headed(r, at, 'opt config', {
    V: [['vocab_size'], VOCAB], d: [['hidden_size'], DIMENSION], L: [['num_hidden_layers'], LAYER_COUNT],
    H: [['num_attention_heads'], DIMENSION], f: [['ffn_dim'], DIMENSION], P: [['max_position_embeddings'], { integer: true, max: 1e7 }],
  });
  if (!x) return undefined;
  const e = numOr(r, at, ['word_embed_proj_dim'], x.d);
  const bias = flag(r, at, 'enable_bias', true);
  const finalNorm = flag(r, at, 'do_layer_norm_before', true) && !flag(r, at, '_remove_final_layer_norm', false);
  const spec = decoderSpec(x, {
    qkvBias: bias, outBias: bias, mlpBias: bias, tied: flag(r, at, 'tie_word_embeddings', true),
    // OPTLearnedPositionalEmbedding keeps two extra rows.
    learnedPositions: x.P + 2,
  });
  // Embeddings are V·e; e ≠ d adds project_in (e → d) and project_out (d → e), both without bias.
  const vocabCorrection = x.V * (e - x.d) * (spec.tied ? 1 : 2);
  spec.extra = vocabCorrection + (e !== x.d ? 2 * e * x.d : 0) - (finalNorm ? 0 : 2 * x.d);
  const c = countDecoder(spec);
  const count = { total: c.total, active: c.active, embedding: c.embedding + vocabCorrection };
  return decoderShape('opt', modelType, spec, x.P, 'N = V·e + (P + 2)·d [+ 2·e·d project_in/out when e ≠ d] + L·(4d² + 4d + 2·d·f + f + d + 4d) [+ 2d final LayerNorm]', { count, convention: 'OPTForCausalLM, head tied to the embeddings' });
}

/** GPTJForCausalLM: one LayerNorm per block (parallel attention and MLP), bias-free attention, untied head with bias. */
export function readGptJ(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = headed(r, at, 'gptj config', {
    V: [['vocab_size'], VOCAB], d: [['n_embd', 'hidden_size'], DIMENSION], L: [['n_layer', 'num_hidden_layers'], LAYER_COUNT], H: [['n_head', 'num_attention_heads'], DIMENSION],
  });
  if (!x) return undefined;
  const f = numOr(r, at, ['n_inner'], 4 * x.d);
  const spec = decoderSpec({ ...x, f }, { normsPerLayer: 1, qkvBias: false, outBias: false, tied: flag(r, at, 'tie_word_embeddings', false), headBias: true });
  return decoderShape('gptj', modelType, spec, maxPositionsAt(r, at, ['n_positions', 'max_position_embeddings']), 'N = V·d + L·(2d + 4d² + 2·d·f + f + d) + 2d + (d·V + V) (untied head with bias)', { convention: 'GPTJForCausalLM' });
}

/** MPT (MosaicML remote code and MptForCausalLM): fused Wqkv, LayerNorms and linears without bias under no_bias, tied head. */
export function readMpt(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = headed(r, at, 'mpt config', {
    V: [['vocab_size'], VOCAB], d: [['d_model'], DIMENSION], L: [['n_layers'], LAYER_COUNT], H: [['n_heads'], DIMENSION],
  });
  if (!x) return undefined;
  const { h } = x;
  const attn = [...at, 'attn_config'];
  const ffn = [...at, 'ffn_config'];
  const ratio = numOr(r, at, ['expansion_ratio'], 4, { min: 0 });
  const f = r.has(p(ffn, 'ffn_hidden_size')) ? numOr(r, ffn, ['ffn_hidden_size'], Math.round(ratio * x.d)) : Math.round(ratio * x.d);
  const gated = r.raw(p(ffn, 'ffn_type')) === 'mptglu';
  const gqa = r.raw(p(attn, 'attn_type')) === 'grouped_query_attention';
  const K = gqa ? numOr(r, attn, ['kv_n_heads'], x.H) : r.raw(p(attn, 'attn_type')) === 'multiquery_attention' ? 1 : x.H;
  const noBias = flag(r, at, 'no_bias', true);
  const alibi = r.bool(p(attn, 'alibi'))?.value ?? false;
  const learned = flag(r, at, 'learned_pos_emb', true) && !alibi && !(r.bool(p(attn, 'rope'))?.value ?? false);
  const P = numOr(r, at, ['max_seq_len'], 2048, { integer: true, max: 1e7 });
  const spec = decoderSpec({ ...x, f }, {
    kvHeads: K, headDim: h, gated,
    // no_bias removes the LayerNorms' biases too: d per norm, as an RMSNorm counts.
    norm: noBias ? 'rms' : 'layer', qkvBias: !noBias, outBias: !noBias, mlpBias: !noBias,
    tied: flag(r, at, 'tie_word_embeddings', true), learnedPositions: learned ? P : 0,
  });
  return decoderShape('mpt', modelType, spec, P, 'N = V·d [+ P·d without ALiBi] + L·(2·norm + d·(d + 2·K·h) + d² + 2·d·f) + norm; norm = d under no_bias, else 2d with biases on every linear', { convention: 'MPTForCausalLM, head tied to wte' });
}

/** Qwen-1 (QWenLMHeadModel, remote code): c_attn with bias, MLP w1/w2 of width intermediate_size/2, RMSNorm, untied head. */
export function readQwen1(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, 'qwen config', {
    V: [['vocab_size', 'padded_vocab_size'], VOCAB], d: [['hidden_size'], DIMENSION], L: [['num_hidden_layers'], LAYER_COUNT], H: [['num_attention_heads'], DIMENSION], f2: [['intermediate_size'], DIMENSION],
  } satisfies Dims);
  if (!x) return undefined;
  const h = numOr(r, at, ['kv_channels'], 128);
  const noBias = flag(r, at, 'no_bias', true);
  const spec = decoderSpec({ ...x, f: Math.floor(x.f2 / 2) }, {
    headDim: h, gated: true, norm: 'rms', qkvBias: true, outBias: !noBias, mlpBias: !noBias, tied: flag(r, at, 'tie_word_embeddings', false),
  });
  return decoderShape('qwen', modelType, spec, maxPositionsAt(r, at, ['max_position_embeddings', 'seq_length']), 'N = 2·V·d + L·(d·3·H·h + 3·H·h + H·h·d + 3·d·(f/2) + 2d) + d (c_attn bias; MLP width intermediate_size/2)', { convention: 'QWenLMHeadModel (remote code)' });
}

/**
 * PhiForCausalLM (Phi-1, 1.5, 2) and the older remote-code files of the same network (mixformer-sequential,
 * phi-msft): one LayerNorm per block, biases everywhere, an untied head with bias.
 */
export function readPhi(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = headed(r, at, `${modelType} config`, {
    V: [['vocab_size'], VOCAB], d: [['hidden_size', 'n_embd'], DIMENSION], L: [['num_hidden_layers', 'n_layer'], LAYER_COUNT], H: [['num_attention_heads', 'n_head'], DIMENSION],
  });
  if (!x) return undefined;
  const { h } = x;
  const f = numOr(r, at, ['intermediate_size', 'n_inner'], 4 * x.d);
  const K = numOr(r, at, ['num_key_value_heads', 'n_head_kv'], x.H);
  const qkLayerNorm = flag(r, at, 'qk_layernorm', false);
  const spec = decoderSpec({ ...x, f }, { kvHeads: K, normsPerLayer: 1, tied: flag(r, at, 'tie_word_embeddings', false), headBias: true, layerExtra: qkLayerNorm ? 4 * h : 0 });
  const cls = modelType === 'phi' ? 'PhiForCausalLM' : `${architectures(r, at)[0] ?? modelType} (remote code, same network as PhiForCausalLM)`;
  return decoderShape('phi', modelType, spec, maxPositionsAt(r, at, ['max_position_embeddings', 'n_positions']), 'N = V·d + L·(2d + 4d² + 4d + 2·d·f + f + d) + 2d + d·V + V (one LayerNorm per block, untied head with bias)', { convention: cls });
}

/** Starcoder2ForCausalLM: GQA, LayerNorms with bias, biases on every linear under use_bias, GELU MLP, tied head by default. */
export function readStarcoder2(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = headed(r, at, 'starcoder2 config', HF_DIMS);
  if (!x) return undefined;
  const { h } = x;
  const bias = flag(r, at, 'use_bias', true);
  const spec = decoderSpec(x, { kvHeads: optionalNum(r, at, 'num_key_value_heads', x.H), headDim: h, qkvBias: bias, outBias: bias, mlpBias: bias, tied: flag(r, at, 'tie_word_embeddings', true) });
  return decoderShape('starcoder2', modelType, spec, maxPositionsAt(r, at), 'N = V·d·(tied ? 1 : 2) + L·(d·H·h + 2·d·K·h + H·h·d + biases + 2·d·f + f + d + 4d) + 2d', { convention: 'Starcoder2ForCausalLM' });
}

/** DbrxForCausalLM: fused Wqkv (GQA), bias-free LayerNorms (d each), 16 experts of w1, v1, w2 without bias, untied head. */
export function readDbrx(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const what = 'dbrx config';
  const x = headed(r, at, what, {
    V: [['vocab_size'], VOCAB], d: [['d_model', 'hidden_size'], DIMENSION], L: [['n_layers', 'num_hidden_layers'], LAYER_COUNT], H: [['n_heads', 'num_attention_heads'], DIMENSION],
  });
  if (!x) return undefined;
  const { h } = x;
  const ffn = [...at, 'ffn_config'];
  const f = r.need(p(ffn, 'ffn_hidden_size'), DIMENSION, what);
  const E = r.need(p(ffn, 'moe_num_experts'), COUNT, what);
  const k = r.need(p(ffn, 'moe_top_k'), COUNT, what);
  if (!f || !E || !k) return undefined;
  const K = numOr(r, [...at, 'attn_config'], ['kv_n_heads'], x.H);
  const spec = decoderSpec({ ...x, f: f.value }, {
    kvHeads: K, headDim: h, gated: true, norm: 'rms', qkvBias: false, outBias: false, mlpBias: false, tied: flag(r, at, 'tie_word_embeddings', false),
    moe: moe(E.value, k.value, f.value),
  });
  return decoderShape('dbrx', modelType, spec, maxPositionsAt(r, at, ['max_seq_len']), 'N = 2·V·d + L·(d·(d + 2·K·h) + d² + 2d + E·3·d·f + d·E) + d; active with k of E experts (LayerNorms without bias)', { convention: 'DbrxForCausalLM' });
}

/**
 * JambaForCausalLM: a hybrid stack. Layer i is attention when i % attn_layer_period = attn_layer_offset, Mamba
 * otherwise; its feed-forward is a mixture of experts when i % expert_layer_period = expert_layer_offset.
 * Mamba mixer: in_proj d → 2I, depthwise conv (I·k + I), x_proj I → r + 2s, dt_proj r → I (+ I), A_log I·s, D I,
 * out_proj I → d, and RMSNorms over r, s, s; I = expand·d, r = ceil(d/16) for "auto".
 */
export function readJamba(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = headed(r, at, 'jamba config', HF_DIMS);
  if (!x) return undefined;
  const { h } = x;
  const n = (name: string, fallback: number, rule: NumberRule = { integer: true, min: 0, max: 1e7 }) => numOr(r, at, [name], fallback, rule);
  const attnPeriod = Math.max(1, n('attn_layer_period', 8));
  const attnOffset = n('attn_layer_offset', 4);
  const expertPeriod = Math.max(1, n('expert_layer_period', 2));
  const expertOffset = n('expert_layer_offset', 1);
  const E = n('num_experts', 16);
  const k = Math.min(n('num_experts_per_tok', 2), E);
  const spec = decoderSpec(x, { kvHeads: optionalNum(r, at, 'num_key_value_heads', x.H), headDim: h, gated: true, norm: 'rms', qkvBias: false, outBias: false, mlpBias: false, tied: flag(r, at, 'tie_word_embeddings', false) });
  const attention = attentionParams(spec);
  const mamba = mambaMixer(r, at, x.d, { state: 'mamba_d_state', conv: 'mamba_d_conv', expand: 'mamba_expand', rank: 'mamba_dt_rank', convBias: 'mamba_conv_bias', projBias: 'mamba_proj_bias', innerNorms: true });
  const expert = mlpParams(spec, x.f);
  let total = 0;
  let active = 0;
  let moeLayers = 0;
  for (let i = 0; i < x.L; i++) {
    const mixer = i % attnPeriod === attnOffset ? attention : mamba;
    const sparse = E > 1 && i % expertPeriod === expertOffset;
    if (sparse) moeLayers++;
    total += 2 * x.d + mixer + (sparse ? E * expert + x.d * E : expert);
    active += 2 * x.d + mixer + (sparse ? k * expert + x.d * E : expert);
  }
  const embedding = x.V * x.d * (spec.tied ? 1 : 2);
  const count: ParamCount = { total: total + embedding + x.d, active: active + embedding + x.d, embedding };
  if (moeLayers > 0) spec.moe = moe(E, k, x.f);
  return decoderShape('jamba', modelType, spec, maxPositionsAt(r, at), 'N = V·d·(tied ? 1 : 2) + Σ layers (2d + attention or Mamba mixer + MLP 3·d·f or E·3·d·f + d·E) + d; Mamba = 2·d·I + I·k_conv (+ I) + I·(r + 2s) + r·I + I + I·s + I + I·d + r + 2s', { count, convention: 'JambaForCausalLM (Mamba and attention layers as attn_layer_period/offset place them)' });
}

/**
 * One Mamba mixer: in_proj d → 2I, depthwise conv (I·k, + I with conv bias), x_proj I → r + 2s, dt_proj r → I + I,
 * A_log I·s, D I, out_proj I → d (+ biases on in/out_proj with the projection-bias flag) and, in Jamba, RMSNorms
 * over r, s and s. I = expand·d, r = ceil(d/16) when the rank is "auto".
 */
interface MambaFields { state: string; conv: string; expand: string; rank: string; convBias: string; projBias: string; inner?: string; innerNorms: boolean }

function mambaMixer(r: FieldReader, at: string[], d: number, f: MambaFields): number {
  const n = (name: string, fallback: number) => numOr(r, at, [name], fallback, { integer: true, min: 0, max: 2 ** 22 });
  const state = n(f.state, 16);
  const conv = n(f.conv, 4);
  const I = f.inner && r.has(p(at, f.inner)) ? n(f.inner, 2 * d) : Math.round(numOr(r, at, [f.expand], 2, { min: 0, max: 64 }) * d);
  const rank = typeof r.raw(p(at, f.rank)) === 'number' ? n(f.rank, Math.ceil(d / 16)) : Math.ceil(d / 16);
  const convBias = flag(r, at, f.convBias, true);
  const projBias = flag(r, at, f.projBias, false);
  return d * 2 * I + (projBias ? 2 * I : 0) + I * conv + (convBias ? I : 0) + I * (rank + 2 * state) + rank * I + I + I * state + I + I * d + (projBias ? d : 0) + (f.innerNorms ? rank + 2 * state : 0);
}

/** MambaForCausalLM (Mamba-1, Falcon-Mamba): an RMSNorm and a Mamba mixer per layer, a final RMSNorm, the head tied by default. */
export function readMamba(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, 'mamba config', { V: [['vocab_size'], VOCAB], d: [['hidden_size', 'd_model'], DIMENSION], L: [['num_hidden_layers', 'n_layer'], LAYER_COUNT] } satisfies Dims);
  if (!x) return undefined;
  const mixer = mambaMixer(r, at, x.d, { state: 'state_size', conv: 'conv_kernel', expand: 'expand', rank: 'time_step_rank', convBias: 'use_conv_bias', projBias: 'use_bias', inner: 'intermediate_size', innerNorms: false });
  const tied = flag(r, at, 'tie_word_embeddings', true);
  const embedding = x.V * x.d * (tied ? 1 : 2);
  const total = embedding + x.L * (x.d + mixer) + x.d;
  const spec = decoderSpec({ ...x, H: 1, f: 0 }, { norm: 'rms', headDim: x.d, tied });
  return decoderShape('mamba', modelType, spec, undefined, 'N = V·d·(tied ? 1 : 2) + L·(d + 2·d·I + I·k_conv + I + I·(r + 2s) + r·I + I + I·s + I + I·d) + d (I = intermediate_size or expand·d)', {
    count: { total, active: total, embedding },
    convention: 'MambaForCausalLM',
  });
}

/** SigLIP vision tower (SiglipVisionModel) with the SiglipVisionConfig defaults for what a file leaves out. */
function siglipVision(r: FieldReader, at: string[]): { params: number; d: number; formula: string } {
  const { d, f, L, C, img, patch } = visionTowerSizes(r, at, 16);
  const head = flag(r, at, 'vision_use_head', true);
  const patches = Math.floor(img / patch) ** 2;
  const layer = 4 * d * d + 2 * d * f + 9 * d + f;
  // Multihead attention pooling head: probe d, in_proj 3d² + 3d, out_proj d² + d, LayerNorm 2d, MLP 2·d·f + f + d.
  const mapHead = head ? d + 4 * d * d + 4 * d + 2 * d + 2 * d * f + f + d : 0;
  return { params: C * patch * patch * d + d + patches * d + L * layer + 2 * d + mapHead, d, formula: 'SigLIP: C·p²·d + d + n_patches·d + L·(4d² + 2·d·f + 9d + f) + 2d [+ attention-pooling head]' };
}

/**
 * Gemma3ForConditionalGeneration: the Gemma 3 text model (text_config, with Gemma3TextConfig's defaults), the SigLIP
 * vision tower (vision_config) and the projector (vision d × text d and an RMSNorm over vision d); the head is tied.
 */
export function readGemma3(r: FieldReader, at: string[], modelType: string, readText: (r: FieldReader, at: string[], modelType: string) => ModelShape | undefined): ModelShape | undefined {
  const textAt = r.has(p(at, 'text_config')) ? [...at, 'text_config'] : at;
  const text = readText(r, textAt, 'gemma3_text');
  if (!text) return undefined;
  if (!r.has(p(at, 'vision_config'))) {
    return { ...text, family: 'gemma3', modelType, convention: `${text.convention}; the text model only (the file has no vision_config)` };
  }
  const vision = siglipVision(r, [...at, 'vision_config']);
  const projector = vision.d * text.hidden + vision.d;
  const extra = vision.params + projector;
  return {
    ...text,
    family: 'gemma3',
    modelType,
    params: { total: text.params.total + extra, active: text.params.active + extra, embedding: text.params.embedding },
    convention: `${text.convention.replace(/;.*$/, '')}; Gemma3ForConditionalGeneration: text model + SigLIP vision tower (${vision.params.toLocaleString('en-US')}) + projector (${projector.toLocaleString('en-US')})`,
    formula: `${text.formula}; + ${vision.formula}; + projector d_vision·d + d_vision`,
  };
}

/** The standard decoder fields and their GPT-style spellings, for a model_type without a formula. */
const GENERIC = {
  d: ['hidden_size', 'n_embd', 'd_model', 'dim', 'n_embed'],
  L: ['num_hidden_layers', 'n_layer', 'n_layers', 'num_layers'],
  H: ['num_attention_heads', 'n_head', 'n_heads', 'num_heads'],
  K: ['num_key_value_heads', 'n_head_kv', 'num_kv_heads', 'n_kv_heads', 'multi_query_group_num'],
  f: ['intermediate_size', 'ffn_hidden_size', 'n_inner', 'ffn_dim', 'd_ff'],
  V: ['vocab_size', 'padded_vocab_size', 'n_vocab'],
};

const ENCODER_CLASS = /(ForMaskedLM|ForCTC|ForSequenceClassification|ForTokenClassification|ForQuestionAnswering|ForMultipleChoice|ForAudioClassification|ForImageClassification|ForPreTraining|ForSpeechSeq2Seq|ForSeq2SeqLM|ForXVector|ForAudioFrameClassification)$/;

export const GENERIC_CONVENTION = 'approximate: a generic Llama-style decoder (standard attention, gated MLP 3·d·f or experts, 2·d·4d without a width; RMSNorm; no biases)';

/**
 * A model_type LIM Lens has no formula for: a generic decoder count from the standard fields, labelled as an
 * approximation (a warning that names the model_type). Without those fields: "unsupported model_type", as
 * information. Never an error: the file is valid, the limit is LIM Lens's.
 */
export function readGenericDecoder(r: FieldReader, outer: string[], modelType: string, supported: readonly string[]): ModelShape | undefined {
  const typePath = p(outer, 'model_type');
  const fieldsAt = (at: string[]) => Object.fromEntries(Object.entries(GENERIC).map(([k, names]) => [k, pick(r, at, names)])) as Record<keyof typeof GENERIC, string[]>;
  const missingAt = (paths: Record<keyof typeof GENERIC, string[]>) => (['d', 'L', 'H', 'V'] as const).filter((k) => !r.has(paths[k]) || typeof r.raw(paths[k]) !== 'number');
  // A multimodal wrapper keeps its language model's sizes in text_config: count that, and say it is the text part.
  let at = outer;
  let paths = fieldsAt(at);
  let missing = missingAt(paths);
  const textOnly = missing.length > 0 && r.has(p(outer, 'text_config')) && missingAt(fieldsAt(p(outer, 'text_config'))).length === 0;
  if (textOnly) {
    at = p(outer, 'text_config');
    paths = fieldsAt(at);
    missing = [];
  }
  // An encoder or encoder-decoder (a masked-LM, CTC, classification or seq2seq class) is no decoder to approximate.
  const encoder = r.raw(p(outer, 'is_encoder_decoder')) === true || architectures(r, outer).some((a) => ENCODER_CLASS.test(a));
  if (missing.length > 0 || encoder) {
    const why = encoder ? 'it is an encoder or encoder-decoder, which the generic decoder count does not fit' : `the generic decoder count needs ${missing.map((k) => GENERIC[k][0]).join(', ')}`;
    r.report(typePath, 'unknown-model-type', `unsupported model_type "${modelType}" (unknown model_type: no formula for it, and ${why}); supported families: ${supported.join(', ')}`, 'warning');
    return undefined;
  }
  const before = r.diagnostics.length;
  const num = (k: keyof typeof GENERIC, rule: NumberRule) => r.num(paths[k], rule)?.value;
  const d = num('d', DIMENSION);
  const L = num('L', LAYER_COUNT);
  const H = num('H', DIMENSION);
  const V = num('V', VOCAB);
  if (d === undefined || L === undefined || H === undefined || V === undefined || r.diagnostics.length > before) return undefined;
  const f = r.has(paths.f) ? num('f', DIMENSION) : undefined;
  const K = r.has(paths.K) ? (num('K', DIMENSION) ?? H) : H;
  const h = numOr(r, at, ['head_dim', 'kv_channels'], Number.isInteger(d / H) ? d / H : Math.round(d / H));
  const spec: DecoderSpec = decoderSpec({ V, d, L, H, f: f ?? 4 * d }, {
    kvHeads: K, headDim: h, gated: f !== undefined, norm: 'rms', qkvBias: false, outBias: false, mlpBias: false, tied: flag(r, at, 'tie_word_embeddings', false),
  });
  // Mixture-of-experts fields in their usual spellings: E experts of width f_e, k per token, shared experts.
  const E = numOr(r, at, ['num_experts', 'num_local_experts', 'n_routed_experts', 'moe_num_experts'], 0, { integer: true, min: 0, max: 1e7 });
  const k = numOr(r, at, ['num_experts_per_tok', 'moe_top_k', 'top_k'], 0, { integer: true, min: 0, max: 1e7 });
  if (E > 1 && k > 0 && k <= E) {
    const fe = numOr(r, at, ['moe_intermediate_size', 'expert_intermediate_size'], f ?? 4 * d);
    const fs = numOr(r, at, ['shared_expert_intermediate_size'], 0, { integer: true, min: 0, max: 2 ** 20 }) + numOr(r, at, ['n_shared_experts'], 0, { integer: true, min: 0, max: 1e4 }) * (r.has(p(at, 'n_shared_experts')) ? fe : 0);
    spec.gated = true;
    spec.moe = moe(E, k, fe, { sharedFfn: fs });
  }
  const mlp = spec.moe ? 'E·3·d·f_e + 3·d·f_shared + d·E (k of E active)' : f !== undefined ? '3·d·f' : '2·d·4d';
  const towers = ['vision_config', 'audio_config', 'speech_config'].filter((k) => r.has(p(outer, k)));
  const scope = textOnly ? '; the text model only (text_config), other towers not counted' : towers.length ? `; the language model only (${towers.join(', ')} not counted)` : '';
  const shape = decoderShape(modelType, modelType, spec, maxPositionsAt(r, at, ['max_position_embeddings', 'n_positions', 'max_seq_len', 'seq_length']), `approximate (generic decoder): N ≈ V·d·(tied ? 1 : 2) + L·(d·H·h + 2·d·K·h + H·h·d + ${mlp} + 2d) + d`, { convention: GENERIC_CONVENTION + scope });
  r.report(
    typePath, 'approximate-count',
    `model_type "${modelType}" has no formula in LIM Lens: the parameter count ${shape.params.total.toLocaleString('en-US')} is approximate, from the standard fields${textOnly ? ' of its text_config (the text model only; its other towers are left out)' : towers.length ? ` (the language model only; its ${towers.join(', ')} tower is left out)` : ''} as a generic Llama-style decoder (params convention: ${GENERIC_CONVENTION.replace(/^approximate: /, '')})`,
    'warning',
  );
  return shape;
}
