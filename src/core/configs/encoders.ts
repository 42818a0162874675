import { DIMENSION, LAYER_COUNT, VOCAB, type FieldReader, type NumberRule } from './reader';
import { architectures, labelCount, numOr } from './familyKit';
import { NUM_PARAMETERS_CONVENTION, type LinearShape, type ModelShape } from './shape';

/** BERT, T5, ViT and ResNet: the non-decoder families (docs/configs.md, "Parameters N"). */

const p = (at: string[], name: string) => [...at, name];

/** The sizes every shape reports of its stack: layers, width, heads (each d / H wide), vocabulary, positions. */
export function stackSizes(L: number, d: number, H: number, V: number, P?: number): Pick<ModelShape, 'layers' | 'hidden' | 'heads' | 'headDim' | 'vocab' | 'maxPositions'> {
  return { layers: L, hidden: d, heads: H, headDim: d / H, vocab: V, ...(P !== undefined ? { maxPositions: P } : {}) };
}

/** BERT's six linears of a layer, under the module names the family uses (LoRA targets match on them). */
const BERT_LINEAR_NAMES = ['query', 'key', 'value', 'dense', 'intermediate', 'output'] as const;

/** The linears of one post-norm encoder layer: q, k, v and output projections (d × d), then d → f → d. */
export function encoderLinears(d: number, f: number, names: readonly [string, string, string, string, string, string] = BERT_LINEAR_NAMES): LinearShape[] {
  const [q, k, v, o, up, down] = names;
  return [
    { name: q, inFeatures: d, outFeatures: d, copies: 1 },
    { name: k, inFeatures: d, outFeatures: d, copies: 1 },
    { name: v, inFeatures: d, outFeatures: d, copies: 1 },
    { name: o, inFeatures: d, outFeatures: d, copies: 1 },
    { name: up, inFeatures: d, outFeatures: f, copies: 1 },
    { name: down, inFeatures: f, outFeatures: d, copies: 1 },
  ];
}

const ENCODER_DIMS = {
  d: [['hidden_size'], DIMENSION],
  L: [['num_hidden_layers'], LAYER_COUNT],
  H: [['num_attention_heads'], DIMENSION],
  f: [['intermediate_size'], DIMENSION],
} satisfies Record<string, [string[], NumberRule]>;

/** The dimensions most Hugging Face configs name alike: ENCODER_DIMS and the vocabulary. */
export const HF_DIMS = { ...ENCODER_DIMS, V: [['vocab_size'], VOCAB] } satisfies Record<string, [string[], NumberRule]>;

/** A vision tower's sizes from its sub-config (CLIP's, SigLIP's), each defaulting as their config classes do. */
export function visionTowerSizes(r: FieldReader, at: string[], patchDefault: number) {
  return {
    d: numOr(r, at, ['hidden_size'], 768),
    f: numOr(r, at, ['intermediate_size'], 3072),
    L: numOr(r, at, ['num_hidden_layers'], 12, LAYER_COUNT),
    C: numOr(r, at, ['num_channels'], 3, { integer: true, max: 1024 }),
    img: numOr(r, at, ['image_size'], 224, { integer: true, max: 65_536 }),
    patch: numOr(r, at, ['patch_size'], patchDefault, { integer: true, max: 65_536 }),
  };
}

/** One post-LN encoder block with biases: 4d² + 2df + 9d + f. */
const encoderLayer = (d: number, f: number) => 4 * d * d + 2 * d * f + 9 * d + f;

/**
 * The task head a BERT or RoBERTa class adds, as from_pretrained builds it: which classes keep the pooler
 * (d² + d) and what head they add. The MLM decoder is tied to the word embeddings (only its bias V counts).
 */
function bertHead(arch: string, roberta: boolean, d: number, V: number, labels: number): { pooler: boolean; head: number; what: string } {
  const mlm = d * d + d + 2 * d + V;
  const suffix = arch.replace(/^(Bert|Roberta|XLMRoberta|Camembert)/, '');
  switch (suffix) {
    case 'ForPreTraining': return { pooler: true, head: mlm + 2 * d + 2, what: 'pooler, MLM head (tied decoder) and next-sentence head' };
    case 'ForMaskedLM':
    case 'LMHeadModel':
    case 'ForCausalLM': return { pooler: false, head: mlm, what: 'no pooler; MLM head: dense, LayerNorm, output bias, decoder tied' };
    case 'ForNextSentencePrediction': return { pooler: true, head: 2 * d + 2, what: 'pooler and next-sentence head' };
    case 'ForSequenceClassification':
      return roberta
        ? { pooler: false, head: d * d + d + d * labels + labels, what: `no pooler; classification head dense + out_proj, ${labels} labels` }
        : { pooler: true, head: d * labels + labels, what: `pooler and classifier, ${labels} labels` };
    case 'ForMultipleChoice': return { pooler: true, head: d + 1, what: 'pooler and one score per choice' };
    case 'ForTokenClassification': return { pooler: false, head: d * labels + labels, what: `no pooler; classifier, ${labels} labels` };
    case 'ForQuestionAnswering': return { pooler: false, head: 2 * d + 2, what: 'no pooler; span start/end head' };
    default: return { pooler: true, head: 0, what: 'with pooler, task heads excluded' };
  }
}

export function countBert(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, `${modelType} config`, { ...ENCODER_DIMS, V: [['vocab_size'], VOCAB], P: [['max_position_embeddings'], { integer: true, max: 1e7 }] });
  if (!x) return undefined;
  const T = r.has(p(at, 'type_vocab_size')) ? (r.num(p(at, 'type_vocab_size'), { integer: true, min: 0, max: 1e6 })?.value ?? 2) : 2;
  const D = x.d;
  const embedding = (x.V + x.P + T) * D;
  const arch = architectures(r, at)[0];
  const roberta = modelType !== 'bert';
  const base = roberta ? (modelType === 'xlm-roberta' ? 'XLMRobertaModel' : modelType === 'camembert' ? 'CamembertModel' : 'RobertaModel') : 'BertModel';
  const h = bertHead(arch ?? '', roberta, D, x.V, /ForMultipleChoice$/.test(arch ?? '') ? 1 : (labelCount(r, at) ?? 2));
  const total = embedding + 2 * D + x.L * encoderLayer(D, x.f) + (h.pooler ? D * D + D : 0) + h.head;
  return {
    family: 'bert',
    modelType,
    architecture: 'encoder',
    params: { total, active: total, embedding },
    convention: `${NUM_PARAMETERS_CONVENTION}; ${arch && h.head > 0 ? arch : base} as from_pretrained builds it (${h.what})`,
    formula: 'N = (V + P + T)·d + 2·d + L·(4·d² + 2·d·f + 9·d + f) [+ d² + d pooler] [+ task head]',
    ...stackSizes(x.L, D, x.H, x.V, x.P),
    linears: encoderLinears(D, x.f),
  };
}

/**
 * DistilBERT (DistilBertModel and its task classes): word and position embeddings with a LayerNorm, BERT's block
 * (4d² + 2df + 9d + f), no pooler; the MLM head is vocab_transform (d² + d), a LayerNorm and the tied projector's
 * bias (V); sequence classification adds pre_classifier (d² + d) and the classifier.
 */
export function countDistilBert(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, 'distilbert config', {
    V: [['vocab_size'], VOCAB], d: [['dim', 'hidden_size'], DIMENSION], L: [['n_layers', 'num_hidden_layers'], LAYER_COUNT], H: [['n_heads', 'num_attention_heads'], DIMENSION],
    f: [['hidden_dim', 'intermediate_size'], DIMENSION], P: [['max_position_embeddings'], { integer: true, max: 1e7 }],
  });
  if (!x) return undefined;
  const D = x.d;
  const embedding = (x.V + x.P) * D;
  const arch = architectures(r, at)[0] ?? '';
  const labels = labelCount(r, at) ?? 2;
  const heads: Array<[RegExp, number, string]> = [
    [/ForMaskedLM$/, D * D + D + 2 * D + x.V, 'vocab_transform, LayerNorm, projector bias (projector tied)'],
    [/ForSequenceClassification$/, D * D + D + D * labels + labels, `pre_classifier and classifier, ${labels} labels`],
    [/ForMultipleChoice$/, D * D + D + D + 1, 'pre_classifier and one score per choice'],
    [/ForTokenClassification$/, D * labels + labels, `classifier, ${labels} labels`],
    [/ForQuestionAnswering$/, 2 * D + 2, 'span start/end head'],
  ];
  const head = heads.find(([re]) => re.test(arch));
  const total = embedding + 2 * D + x.L * encoderLayer(D, x.f) + (head?.[1] ?? 0);
  return {
    family: 'distilbert',
    modelType,
    architecture: 'encoder',
    params: { total, active: total, embedding },
    convention: `${NUM_PARAMETERS_CONVENTION}; ${head ? `${arch} as from_pretrained builds it (${head[2]})` : 'DistilBertModel (no pooler)'}`,
    formula: 'N = (V + P)·d + 2d + L·(4d² + 2·d·f + 9d + f) [+ task head]',
    ...stackSizes(x.L, D, x.H, x.V, x.P),
    linears: encoderLinears(D, x.f, ['q_lin', 'k_lin', 'v_lin', 'out_lin', 'lin1', 'lin2']),
  };
}

export function countT5(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, 't5 config', {
    V: [['vocab_size'], VOCAB],
    d: [['d_model'], DIMENSION],
    dkv: [['d_kv'], DIMENSION],
    dff: [['d_ff'], DIMENSION],
    Le: [['num_layers'], LAYER_COUNT],
    heads: [['num_heads'], DIMENSION],
  });
  if (!x) return undefined;
  const Ld = r.has(p(at, 'num_decoder_layers')) ? (r.num(p(at, 'num_decoder_layers'), LAYER_COUNT)?.value ?? x.Le) : x.Le;
  const B = r.has(p(at, 'relative_attention_num_buckets'))
    ? (r.num(p(at, 'relative_attention_num_buckets'), { integer: true, max: 1e6 })?.value ?? 32)
    : 32;
  const proj = r.str(p(at, 'feed_forward_proj'))?.value ?? 'relu';
  const gated = proj.startsWith('gated');
  const tied = r.bool(p(at, 'tie_word_embeddings'))?.value ?? true;
  const D = x.d;
  const inner = x.heads * x.dkv;
  const F = (gated ? 3 : 2) * D * x.dff;
  const enc = 4 * D * inner + F + 2 * D;
  const dec = 8 * D * inner + F + 3 * D;
  const embedding = x.V * D * (tied ? 1 : 2);
  const total = embedding + x.Le * enc + Ld * dec + 2 * B * x.heads + 2 * D;
  const ffLinears: LinearShape[] = gated
    ? [
        { name: 'wi_0', inFeatures: D, outFeatures: x.dff, copies: 1 },
        { name: 'wi_1', inFeatures: D, outFeatures: x.dff, copies: 1 },
        { name: 'wo', inFeatures: x.dff, outFeatures: D, copies: 1 },
      ]
    : [
        { name: 'wi', inFeatures: D, outFeatures: x.dff, copies: 1 },
        { name: 'wo', inFeatures: x.dff, outFeatures: D, copies: 1 },
      ];
  return {
    family: 't5',
    modelType,
    architecture: 'encoder-decoder',
    params: { total, active: total, embedding },
    convention: `${NUM_PARAMETERS_CONVENTION}; T5ForConditionalGeneration`,
    formula: 'N = V·d + L_enc·(4·d·inner + F + 2·d) + L_dec·(8·d·inner + F + 3·d) + 2·B·heads + 2·d (+ V·d untied)',
    layers: x.Le + Ld,
    hidden: D,
    heads: x.heads,
    headDim: x.dkv,
    vocab: x.V,
    // T5 uses relative positions; the usual pre-training length is 512 tokens.
    maxPositions: r.num(p(at, 'n_positions'), { integer: true, max: 1e7 })?.value,
    linears: [
      { name: 'q', inFeatures: D, outFeatures: inner, copies: 1 },
      { name: 'k', inFeatures: D, outFeatures: inner, copies: 1 },
      { name: 'v', inFeatures: D, outFeatures: inner, copies: 1 },
      { name: 'o', inFeatures: inner, outFeatures: D, copies: 1 },
      ...ffLinears,
    ],
  };
}

export function countViT(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const x = r.needAll(at, 'vit config', { ...ENCODER_DIMS, img: [['image_size'], { integer: true, max: 65_536 }], patch: [['patch_size'], { integer: true, max: 65_536 }] });
  if (!x) return undefined;
  const C = r.has(p(at, 'num_channels')) ? (r.num(p(at, 'num_channels'), { integer: true, max: 1024 })?.value ?? 3) : 3;
  const D = x.d;
  const nPatches = Math.floor(x.img / x.patch) ** 2;
  const classifier = architectures(r, at).some((a) => a.endsWith('ForImageClassification'));
  const labels = classifier ? (labelCount(r, at) ?? 2) : 0;
  const patchEmbed = C * x.patch ** 2 * D + D;
  const embedding = patchEmbed + D + (nPatches + 1) * D;
  const head = classifier ? D * labels + labels : D * D + D;
  const total = embedding + x.L * encoderLayer(D, x.f) + 2 * D + head;
  const T = nPatches + 1;
  const macs = nPatches * C * x.patch ** 2 * D + x.L * (T * (4 * D * D + 2 * D * x.f) + 2 * T * T * D) + D * labels;
  return {
    family: 'vit',
    modelType,
    architecture: 'vision-transformer',
    params: { total, active: total, embedding },
    convention: `${NUM_PARAMETERS_CONVENTION}; ${classifier ? `ViTForImageClassification (${labels} labels, no pooler)` : 'ViTModel with pooler'}`,
    formula: 'N = C·p²·d + d + d + (n_patches + 1)·d + L·(4d² + 2·d·f + 9d + f) + 2d [+ d² + d pooler] [+ d·labels + labels]',
    ...stackSizes(x.L, D, x.H, 0),
    linears: encoderLinears(D, x.f),
    forwardMacsPerSample: macs,
    imageSize: x.img,
  };
}

/** ResNet as Hugging Face configures it: convolutions without bias, BatchNorm (γ, β), a linear classifier. */
export function countResNet(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const what = 'resnet config';
  const hidden = intList(r, p(at, 'hidden_sizes'), what);
  const depths = intList(r, p(at, 'depths'), what);
  if (!hidden || !depths) return undefined;
  if (hidden.length !== depths.length) {
    r.report(p(at, 'depths'), 'bad-value', `depths has ${depths.length} stages but hidden_sizes has ${hidden.length}`);
    return undefined;
  }
  const C = r.has(p(at, 'num_channels')) ? (r.num(p(at, 'num_channels'), { integer: true, max: 1024 })?.value ?? 3) : 3;
  const stem = r.has(p(at, 'embedding_size')) ? (r.num(p(at, 'embedding_size'), DIMENSION)?.value ?? 64) : 64;
  const layerType = r.str(p(at, 'layer_type'))?.value ?? 'bottleneck';
  const downsampleFirst = r.bool(p(at, 'downsample_in_first_stage'))?.value ?? false;
  const labels = architectures(r, at).some((a) => a.endsWith('ForImageClassification')) || r.has(p(at, 'id2label')) ? (labelCount(r, at) ?? 1000) : 0;
  const imageSize = 224;
  let params = 0;
  let macs = 0;
  let size = imageSize / 2;
  const conv = (k: number, cin: number, cout: number, out: number) => {
    params += k * k * cin * cout + 2 * cout;
    macs += k * k * cin * cout * out * out;
  };
  conv(7, C, stem, size);
  size = size / 2; // max-pool
  let cin = stem;
  hidden.forEach((cout, stage) => {
    for (let i = 0; i < depths[stage]; i++) {
      const stride = i === 0 && (stage > 0 || downsampleFirst) ? 2 : 1;
      const out = size / stride;
      if (i === 0 && (cin !== cout || stride !== 1)) conv(1, cin, cout, out);
      if (layerType === 'basic') {
        conv(3, cin, cout, out);
        conv(3, cout, cout, out);
      } else {
        const reduced = cout / 4;
        conv(1, cin, reduced, size);
        conv(3, reduced, reduced, out);
        conv(1, reduced, cout, out);
      }
      cin = cout;
      size = out;
    }
  });
  if (labels > 0) {
    params += cin * labels + labels;
    macs += cin * labels;
  }
  return {
    family: 'resnet',
    modelType,
    architecture: 'cnn',
    params: { total: params, active: params, embedding: 0 },
    convention: `${NUM_PARAMETERS_CONVENTION}; ${labels > 0 ? `ResNetForImageClassification (${labels} labels)` : 'ResNetModel'}`,
    formula: 'N = Σ convolutions k²·c_in·c_out + Σ BatchNorm 2·c + classifier (c·labels + labels)',
    layers: depths.reduce((a, b) => a + b, 0),
    hidden: cin,
    heads: 0,
    headDim: 0,
    vocab: 0,
    linears: [],
    forwardMacsPerSample: macs,
    imageSize,
  };
}

function intList(r: FieldReader, path: string[], what: string): number[] | undefined {
  const raw = r.raw(path);
  if (raw === undefined || raw === null) {
    r.report(path, 'missing-field', `missing required field ${path.join('.')} (${what})`);
    return undefined;
  }
  if (!Array.isArray(raw) || raw.length === 0 || raw.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x <= 0 || x > DIMENSION.max!)) {
    r.report(path, 'bad-value', `${path.join('.')} must be a non-empty list of positive whole numbers, got ${JSON.stringify(raw).slice(0, 60)}`);
    return undefined;
  }
  r.record(path, raw);
  return raw as number[];
}
