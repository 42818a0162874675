import { DIMENSION, LAYER_COUNT, VOCAB, type FieldReader, type NumberRule } from './reader';
import { architectures, flag, labelCount, numOr, p } from './familyKit';
import { NUM_PARAMETERS_CONVENTION, type LinearShape, type ModelShape } from './shape';
import { encoderLinears, HF_DIMS, stackSizes, visionTowerSizes } from './encoders';

/**
 * Whisper, CLIP and DeBERTa-v2 (docs/configs.md), counted as the Hugging Face classes build them. Sub-configs
 * (CLIP's text_config and vision_config) take their config class's defaults for fields a file leaves out.
 */

type Dims = Record<string, [string[], NumberRule]>;

/** One post-LN encoder block with biases on every linear: 4d² + 2df + 9d + f. */
const encoderLayer = (d: number, f: number) => 4 * d * d + 2 * d * f + 9 * d + f;

const attentionLinears = (d: number, inner: number, copies = 1): LinearShape[] => [
  { name: 'q_proj', inFeatures: d, outFeatures: inner, copies },
  { name: 'k_proj', inFeatures: d, outFeatures: inner, copies },
  { name: 'v_proj', inFeatures: d, outFeatures: inner, copies },
  { name: 'out_proj', inFeatures: inner, outFeatures: d, copies },
];

/**
 * WhisperForConditionalGeneration: two convolutions over the mel bins, learned positions in encoder and decoder
 * (parameters, though frozen), k_proj without bias, LayerNorms, the output projection tied to the decoder embedding.
 */
export function countWhisper(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, 'whisper config', {
    V: [['vocab_size'], VOCAB], d: [['d_model'], DIMENSION], Le: [['encoder_layers'], LAYER_COUNT], Ld: [['decoder_layers'], LAYER_COUNT],
    fe: [['encoder_ffn_dim'], DIMENSION], fd: [['decoder_ffn_dim'], DIMENSION], H: [['encoder_attention_heads'], DIMENSION],
  } satisfies Dims);
  if (!x) return undefined;
  const M = numOr(r, at, ['num_mel_bins'], 80, { integer: true, max: 1e5 });
  const Ps = numOr(r, at, ['max_source_positions'], 1500, { integer: true, max: 1e7 });
  const Pt = numOr(r, at, ['max_target_positions'], 448, { integer: true, max: 1e7 });
  const d = x.d;
  const convs = 3 * M * d + d + 3 * d * d + d;
  const enc = convs + Ps * d + x.Le * (4 * d * d + 3 * d + 2 * d + 2 * d * x.fe + x.fe + d + 2 * d) + 2 * d;
  const dec = x.V * d + Pt * d + x.Ld * (8 * d * d + 6 * d + 6 * d + 2 * d * x.fd + x.fd + d) + 2 * d;
  const tied = flag(r, at, 'tie_word_embeddings', true);
  const embedding = x.V * d * (tied ? 1 : 2) + (Ps + Pt) * d;
  const total = enc + dec + (tied ? 0 : x.V * d);
  return {
    family: 'whisper',
    modelType,
    architecture: 'encoder-decoder',
    params: { total, active: total, embedding },
    convention: `${NUM_PARAMETERS_CONVENTION}; WhisperForConditionalGeneration (positions counted: they are parameters, frozen)`,
    formula: 'N = 3·M·d + d + 3d² + d + P_src·d + L_enc·(4d² + 2·d·f + f + 8d) + 2d + V·d + P_tgt·d + L_dec·(8d² + 2·d·f + f + 13d) + 2d',
    ...stackSizes(x.Le + x.Ld, d, x.H, x.V, Pt),
    linears: [...attentionLinears(d, d), { name: 'fc1', inFeatures: d, outFeatures: x.fd, copies: 1 }, { name: 'fc2', inFeatures: x.fd, outFeatures: d, copies: 1 }],
  };
}

/**
 * CLIPModel: a text transformer (token and position embeddings, final LayerNorm), a ViT (class embedding, patch
 * convolution without bias, positions, pre- and post-LayerNorm), the two projections without bias and logit_scale.
 */
export function countClip(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const t = [...at, 'text_config'];
  const v = [...at, 'vision_config'];
  const dt = numOr(r, t, ['hidden_size'], 512);
  const ft = numOr(r, t, ['intermediate_size'], 2048);
  const Lt = numOr(r, t, ['num_hidden_layers'], 12, LAYER_COUNT);
  const Ht = numOr(r, t, ['num_attention_heads'], 8);
  const V = numOr(r, t, ['vocab_size'], 49408, VOCAB);
  const P = numOr(r, t, ['max_position_embeddings'], 77, { integer: true, max: 1e7 });
  const { d: dv, f: fv, L: Lv, C, img, patch } = visionTowerSizes(r, v, 32);
  const proj = numOr(r, at, ['projection_dim'], 512);
  const patches = Math.floor(img / patch) ** 2;
  const text = V * dt + P * dt + Lt * encoderLayer(dt, ft) + 2 * dt;
  const vision = dv + C * patch * patch * dv + (patches + 1) * dv + 2 * dv + Lv * encoderLayer(dv, fv) + 2 * dv;
  const total = text + vision + dv * proj + dt * proj + 1;
  const macs = patches * C * patch * patch * dv + Lv * ((patches + 1) * (4 * dv * dv + 2 * dv * fv) + 2 * (patches + 1) ** 2 * dv);
  return {
    family: 'clip',
    modelType,
    architecture: 'vision-transformer',
    params: { total, active: total, embedding: V * dt + P * dt },
    convention: `${NUM_PARAMETERS_CONVENTION}; CLIPModel (text and vision towers, projections, logit_scale)`,
    formula: 'N = V·d_t + P·d_t + L_t·(4d_t² + 2·d_t·f_t + 9d_t + f_t) + 2d_t + d_v + C·p²·d_v + (n_patches + 1)·d_v + 2d_v + L_v·(4d_v² + 2·d_v·f_v + 9d_v + f_v) + 2d_v + (d_v + d_t)·proj + 1',
    layers: Lt + Lv,
    hidden: dv,
    heads: Ht,
    headDim: dt / Ht,
    vocab: V,
    maxPositions: P,
    linears: attentionLinears(dv, dv),
    forwardMacsPerSample: macs,
    imageSize: img,
  };
}

function posAttTypes(r: FieldReader, at: string[]): string[] {
  const raw = r.raw(p(at, 'pos_att_type'));
  if (Array.isArray(raw)) return raw.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase());
  return typeof raw === 'string' ? raw.toLowerCase().split('|').map((x) => x.trim()) : [];
}

/**
 * DebertaV2Model (DeBERTa-v2 and v3): embeddings (positions only with position_biased_input, token types only when
 * type_vocab_size > 0, embed_proj when embedding_size ≠ d), encoder blocks as BERT's, pos_key_proj / pos_query_proj
 * when attention keys are not shared, relative-position embeddings (2·position_buckets rows) with their LayerNorm,
 * and the optional convolution layer. A task head in `architectures` is added as that class builds it.
 */
export function countDebertaV2(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, `${modelType} config`, HF_DIMS);
  if (!x) return undefined;
  const d = x.d;
  const e = numOr(r, at, ['embedding_size'], d);
  const P = numOr(r, at, ['max_position_embeddings'], 512, { integer: true, max: 1e7 });
  const T = numOr(r, at, ['type_vocab_size'], 0, { integer: true, min: 0, max: 1e6 });
  const positions = flag(r, at, 'position_biased_input', true) ? P * e : 0;
  const embeddings = x.V * e + positions + T * e + (e !== d ? e * d : 0) + 2 * d;
  const relative = flag(r, at, 'relative_attention', false);
  const share = flag(r, at, 'share_att_key', false);
  const types = posAttTypes(r, at);
  const posProj = relative && !share ? (types.includes('c2p') ? d * d + d : 0) + (types.includes('p2c') ? d * d + d : 0) : 0;
  let encoder = x.L * (encoderLayer(d, x.f) + posProj);
  if (relative) {
    const maxRel = numOr(r, at, ['max_relative_positions'], -1, { integer: true, min: -1, max: 1e7 });
    const buckets = numOr(r, at, ['position_buckets'], -1, { integer: true, min: -1, max: 1e7 });
    const rows = buckets > 0 ? 2 * buckets : 2 * (maxRel < 1 ? P : maxRel);
    const normRel = String(r.raw(p(at, 'norm_rel_ebd')) ?? 'none').toLowerCase().split('|').map((s) => s.trim());
    encoder += rows * d + (normRel.includes('layer_norm') ? 2 * d : 0);
  }
  const kernel = numOr(r, at, ['conv_kernel_size'], 0, { integer: true, min: 0, max: 1024 });
  if (kernel > 0) encoder += d * (d / numOr(r, at, ['conv_groups'], 1)) * kernel + d + 2 * d;
  const arch = architectures(r, at)[0] ?? '';
  const labels = labelCount(r, at) ?? 2;
  const pooled = numOr(r, at, ['pooler_hidden_size'], d);
  let head = 0;
  let cls = 'DebertaV2Model (no pooler)';
  if (/ForSequenceClassification$/.test(arch)) {
    head = pooled * d + pooled + pooled * labels + labels;
    cls = `${arch} (context pooler and ${labels} labels)`;
  } else if (/ForMultipleChoice$/.test(arch)) {
    head = pooled * d + pooled + pooled + 1;
    cls = `${arch} (context pooler, one score per choice)`;
  } else if (/ForTokenClassification$/.test(arch)) {
    head = d * labels + labels;
    cls = `${arch} (${labels} labels)`;
  } else if (/ForQuestionAnswering$/.test(arch)) {
    head = 2 * d + 2;
    cls = arch;
  } else if (/ForMaskedLM$/.test(arch)) {
    head = d * d + d + 2 * d + x.V;
    cls = `${arch} (prediction head: dense, LayerNorm, output bias; decoder tied)`;
  }
  const total = embeddings + encoder + head;
  return {
    family: 'deberta-v2',
    modelType,
    architecture: 'encoder',
    params: { total, active: total, embedding: x.V * e + positions + T * e },
    convention: `${NUM_PARAMETERS_CONVENTION}; ${cls}`,
    formula: 'N = V·e + [P·e] + [T·e] + [e·d] + 2d + L·(4d² + 2·d·f + 9d + f [+ pos_key_proj, pos_query_proj]) + rel_embeddings·d [+ 2d] [+ conv] [+ task head]',
    ...stackSizes(x.L, d, x.H, x.V, P),
    linears: encoderLinears(d, x.f, ['query_proj', 'key_proj', 'value_proj', 'dense', 'intermediate', 'output']),
  };
}
