import { DIMENSION, LAYER_COUNT, VOCAB, type FieldReader } from './reader';
import { NUM_PARAMETERS_CONVENTION, type LinearShape, type ModelShape } from './shape';

/** BERT, T5, ViT and ResNet: the non-decoder families of spec 03 §1. */

const p = (at: string[], name: string) => [...at, name];

function encoderLinears(d: number, f: number): LinearShape[] {
  return [
    { name: 'query', inFeatures: d, outFeatures: d, copies: 1 },
    { name: 'key', inFeatures: d, outFeatures: d, copies: 1 },
    { name: 'value', inFeatures: d, outFeatures: d, copies: 1 },
    { name: 'dense', inFeatures: d, outFeatures: d, copies: 1 },
    { name: 'intermediate', inFeatures: d, outFeatures: f, copies: 1 },
    { name: 'output', inFeatures: f, outFeatures: d, copies: 1 },
  ];
}

/** One post-LN encoder block with biases: 4d² + 2df + 9d + f. */
const encoderLayer = (d: number, f: number) => 4 * d * d + 2 * d * f + 9 * d + f;

export function countBert(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const what = `${modelType} config`;
  const V = r.need(p(at, 'vocab_size'), VOCAB, what);
  const d = r.need(p(at, 'hidden_size'), DIMENSION, what);
  const L = r.need(p(at, 'num_hidden_layers'), LAYER_COUNT, what);
  const H = r.need(p(at, 'num_attention_heads'), DIMENSION, what);
  const f = r.need(p(at, 'intermediate_size'), DIMENSION, what);
  const P = r.need(p(at, 'max_position_embeddings'), { integer: true, max: 1e7 }, what);
  if (!V || !d || !L || !H || !f || !P) return undefined;
  const T = r.has(p(at, 'type_vocab_size')) ? (r.num(p(at, 'type_vocab_size'), { integer: true, min: 0, max: 1e6 })?.value ?? 2) : 2;
  const D = d.value;
  const embedding = (V.value + P.value + T) * D;
  const total = embedding + 2 * D + L.value * encoderLayer(D, f.value) + D * D + D;
  return {
    family: 'bert',
    modelType,
    architecture: 'encoder',
    params: { total, active: total, embedding },
    convention: `${NUM_PARAMETERS_CONVENTION}; BertModel with pooler, task heads excluded`,
    formula: 'N = (V + P + T)·d + 2·d + L·(4·d² + 2·d·f + 9·d + f) + d² + d',
    layers: L.value,
    hidden: D,
    heads: H.value,
    headDim: D / H.value,
    vocab: V.value,
    maxPositions: P.value,
    linears: encoderLinears(D, f.value),
  };
}

export function countT5(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const what = 't5 config';
  const V = r.need(p(at, 'vocab_size'), VOCAB, what);
  const d = r.need(p(at, 'd_model'), DIMENSION, what);
  const dkv = r.need(p(at, 'd_kv'), DIMENSION, what);
  const dff = r.need(p(at, 'd_ff'), DIMENSION, what);
  const Le = r.need(p(at, 'num_layers'), LAYER_COUNT, what);
  const heads = r.need(p(at, 'num_heads'), DIMENSION, what);
  if (!V || !d || !dkv || !dff || !Le || !heads) return undefined;
  const Ld = r.has(p(at, 'num_decoder_layers')) ? (r.num(p(at, 'num_decoder_layers'), LAYER_COUNT)?.value ?? Le.value) : Le.value;
  const B = r.has(p(at, 'relative_attention_num_buckets'))
    ? (r.num(p(at, 'relative_attention_num_buckets'), { integer: true, max: 1e6 })?.value ?? 32)
    : 32;
  const proj = r.str(p(at, 'feed_forward_proj'))?.value ?? 'relu';
  const gated = proj.startsWith('gated');
  const tied = r.bool(p(at, 'tie_word_embeddings'))?.value ?? true;
  const D = d.value;
  const inner = heads.value * dkv.value;
  const F = (gated ? 3 : 2) * D * dff.value;
  const enc = 4 * D * inner + F + 2 * D;
  const dec = 8 * D * inner + F + 3 * D;
  const embedding = V.value * D * (tied ? 1 : 2);
  const total = embedding + Le.value * enc + Ld * dec + 2 * B * heads.value + 2 * D;
  const ffLinears: LinearShape[] = gated
    ? [
        { name: 'wi_0', inFeatures: D, outFeatures: dff.value, copies: 1 },
        { name: 'wi_1', inFeatures: D, outFeatures: dff.value, copies: 1 },
        { name: 'wo', inFeatures: dff.value, outFeatures: D, copies: 1 },
      ]
    : [
        { name: 'wi', inFeatures: D, outFeatures: dff.value, copies: 1 },
        { name: 'wo', inFeatures: dff.value, outFeatures: D, copies: 1 },
      ];
  return {
    family: 't5',
    modelType,
    architecture: 'encoder-decoder',
    params: { total, active: total, embedding },
    convention: `${NUM_PARAMETERS_CONVENTION}; T5ForConditionalGeneration`,
    formula: 'N = V·d + L_enc·(4·d·inner + F + 2·d) + L_dec·(8·d·inner + F + 3·d) + 2·B·heads + 2·d (+ V·d untied)',
    layers: Le.value + Ld,
    hidden: D,
    heads: heads.value,
    headDim: dkv.value,
    vocab: V.value,
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

/** Number of classes from num_labels or id2label; undefined when neither is set. */
function labelCount(r: FieldReader, at: string[]): number | undefined {
  const id2label = r.raw(p(at, 'id2label'));
  if (id2label && typeof id2label === 'object' && !Array.isArray(id2label)) {
    r.record(p(at, 'id2label'), `${Object.keys(id2label).length} labels`);
    return Object.keys(id2label).length;
  }
  return r.num(p(at, 'num_labels'), { integer: true, max: 1e7 })?.value;
}

function architectures(r: FieldReader, at: string[]): string[] {
  const a = r.raw(p(at, 'architectures'));
  return Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : [];
}

export function countViT(r: FieldReader, at: string[], modelType: string): ModelShape | undefined {
  const what = 'vit config';
  const d = r.need(p(at, 'hidden_size'), DIMENSION, what);
  const L = r.need(p(at, 'num_hidden_layers'), LAYER_COUNT, what);
  const H = r.need(p(at, 'num_attention_heads'), DIMENSION, what);
  const f = r.need(p(at, 'intermediate_size'), DIMENSION, what);
  const img = r.need(p(at, 'image_size'), { integer: true, max: 65_536 }, what);
  const patch = r.need(p(at, 'patch_size'), { integer: true, max: 65_536 }, what);
  if (!d || !L || !H || !f || !img || !patch) return undefined;
  const C = r.has(p(at, 'num_channels')) ? (r.num(p(at, 'num_channels'), { integer: true, max: 1024 })?.value ?? 3) : 3;
  const D = d.value;
  const nPatches = Math.floor(img.value / patch.value) ** 2;
  const classifier = architectures(r, at).some((a) => a.endsWith('ForImageClassification'));
  const labels = classifier ? (labelCount(r, at) ?? 2) : 0;
  const patchEmbed = C * patch.value ** 2 * D + D;
  const embedding = patchEmbed + D + (nPatches + 1) * D;
  const head = classifier ? D * labels + labels : D * D + D;
  const total = embedding + L.value * encoderLayer(D, f.value) + 2 * D + head;
  const T = nPatches + 1;
  const macs = nPatches * C * patch.value ** 2 * D + L.value * (T * (4 * D * D + 2 * D * f.value) + 2 * T * T * D) + D * labels;
  return {
    family: 'vit',
    modelType,
    architecture: 'vision-transformer',
    params: { total, active: total, embedding },
    convention: `${NUM_PARAMETERS_CONVENTION}; ${classifier ? `ViTForImageClassification (${labels} labels, no pooler)` : 'ViTModel with pooler'}`,
    formula: 'N = C·p²·d + d + d + (n_patches + 1)·d + L·(4d² + 2·d·f + 9d + f) + 2d [+ d² + d pooler] [+ d·labels + labels]',
    layers: L.value,
    hidden: D,
    heads: H.value,
    headDim: D / H.value,
    vocab: 0,
    linears: encoderLinears(D, f.value),
    forwardMacsPerSample: macs,
    imageSize: img.value,
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
