import { COUNT, DIMENSION, LAYER_COUNT, VOCAB, type FieldReader } from '../reader';
import { findKnownShape } from '../knownShapes';
import type { RunFacts } from '../facts';
import type { Sourced } from '../types';
import { deviceCount, finishFacts, precisionAt, product, type FormatContext } from './context';
import { biases, expertsOf, gptShape, padVocab, TOKENIZER_VOCAB } from './gpt';
import { decoderSpec, type DecoderSpec } from '../decoder';

/** NeMo (1.x, Megatron GPT) YAML: `model:` holds the shape and batch, `trainer:` the devices and steps. */
export function readNemo(r: FieldReader, _ctx: FormatContext): RunFacts {
  const m = (k: string) => ['model', k];
  const what = 'NeMo GPT model';
  const L = r.need(m('num_layers'), LAYER_COUNT, what);
  const d = r.need(m('hidden_size'), DIMENSION, what);
  const H = r.need(m('num_attention_heads'), DIMENSION, what);
  const seq = r.num(m('encoder_seq_length'), { integer: true, max: 1e8 });
  const opt = (k: string, fallback: number) => (r.has(m(k)) ? (r.num(m(k), DIMENSION)?.value ?? fallback) : fallback);
  const text = (k: string, fallback: string) => (r.has(m(k)) ? (r.str(m(k))?.value ?? fallback) : fallback);
  const flag = (k: string, fallback: boolean) => r.bool(m(k))?.value ?? fallback;

  let model: RunFacts['model'];
  if (L && d && H) {
    const activation = text('activation', 'gelu');
    const gated = /glu/i.test(activation);
    const positions = text('position_embedding_type', 'learned_absolute');
    const maxPositions = opt('max_position_embeddings', seq?.value ?? 0);
    const vocab = nemoVocab(r);
    const experts = r.has(m('num_moe_experts')) ? (r.num(m('num_moe_experts'), COUNT)?.value ?? 0) : 0;
    const ffn = opt('ffn_hidden_size', 4 * d.value);
    const spec = decoderSpec(
      { V: vocab.value, d: d.value, L: L.value, H: H.value, f: ffn },
      Object.assign(
        {
          kvHeads: opt('num_query_groups', H.value),
          headDim: opt('kv_channels', d.value / H.value),
          gated,
          norm: /rms/i.test(text('normalization', 'layernorm')) ? 'rms' : 'layer',
          tied: flag('share_embeddings_and_output_weights', true),
          learnedPositions: positions === 'learned_absolute' ? maxPositions : 0,
        } satisfies Partial<DecoderSpec>,
        biases(flag('bias', true)),
        expertsOf(experts, opt('moe_router_topk', 2), ffn),
      ),
    );
    const shape = gptShape('nemo-gpt', spec, maxPositions || undefined);
    model = { shape, source: { kind: 'computed', formula: `NeMo GPT from model.num_layers, model.hidden_size, model.num_attention_heads; vocabulary ${vocab.value}` }, anchor: r.locate(['model']) };
  }
  const steps = r.num(['trainer', 'max_steps'], { integer: true, max: 1e10 });
  const gbs = r.num(m('global_batch_size'), COUNT);
  const tokens = steps && gbs && seq ? product([[steps, 'trainer.max_steps'], [gbs, 'model.global_batch_size'], [seq, 'model.encoder_seq_length']]) : undefined;
  const devices = deviceCount(r, ['trainer', 'devices'], ['trainer', 'num_nodes']);
  const fp8 = r.bool(m('fp8'));
  return finishFacts({
    file: r.file,
    format: 'nemo',
    name: typeof r.raw(['name']) === 'string' ? String(r.raw(['name'])) : undefined,
    model,
    tokens,
    sequenceLength: seq,
    precisionBits: fp8?.value ? { value: 8, source: fp8.source } : precisionAt(r, ['trainer', 'precision']),
    devices,
  });
}

function nemoVocab(r: FieldReader): Sourced<number> {
  const multiple =
    (r.has(['model', 'make_vocab_size_divisible_by']) ? (r.num(['model', 'make_vocab_size_divisible_by'], COUNT)?.value ?? 128) : 128) *
    (r.has(['model', 'tensor_model_parallel_size']) ? (r.num(['model', 'tensor_model_parallel_size'], COUNT)?.value ?? 1) : 1);
  for (const path of [['model', 'padded_vocab_size'], ['model', 'vocab_size']]) {
    const v = r.num(path, VOCAB);
    if (v) return { value: padVocab(v.value, multiple), source: v.source };
  }
  const type = r.raw(['model', 'tokenizer', 'type']);
  if (typeof type === 'string') {
    const known = findKnownShape(type);
    const v = known ? Number(known.config.vocab_size) : TOKENIZER_VOCAB[type.toLowerCase()];
    if (v) {
      r.record(['model', 'tokenizer', 'type'], type);
      return { value: padVocab(v, multiple), source: r.source(['model', 'tokenizer', 'type']) };
    }
  }
  return { value: padVocab(50257, multiple), source: { kind: 'default', name: 'vocabulary', reason: 'tokenizer not recognised: the GPT-2 BPE vocabulary (50,257) of NeMo’s default GPT config' } };
}
