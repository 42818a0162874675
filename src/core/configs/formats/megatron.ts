import { COUNT, DIMENSION, LAYER_COUNT, VOCAB, type FieldReader, type NumberRule } from '../reader';
import { findKnownShape } from '../knownShapes';
import type { Sourced } from '../types';
import type { RunFacts } from '../facts';
import { deviceCount, finishFacts, precisionFlags, product, type FormatContext } from './context';
import { biases, expertsOf, gptShape, padVocab, TOKENIZER_VOCAB } from './gpt';
import { decoderSpec, type DecoderSpec } from '../decoder';

const S = { allowString: true } as const;
const rule = (r: NumberRule): NumberRule => Object.assign({}, r, S);

/** Megatron-LM launch scripts: `pretrain_gpt.py --num-layers 32 --hidden-size 4096 …`. */
export function readMegatron(r: FieldReader, _ctx: FormatContext): RunFacts {
  const what = 'Megatron-LM GPT model';
  const L = r.need(['--num-layers'], rule(LAYER_COUNT), what);
  const d = r.need(['--hidden-size'], rule(DIMENSION), what);
  const H = r.need(['--num-attention-heads'], rule(DIMENSION), what);
  const seq = r.num(['--seq-length'], rule({ integer: true, max: 1e8 }));
  const n = (flag: string, fallback: number, rl: NumberRule = rule(DIMENSION)) => (r.has([flag]) ? (r.num([flag], rl)?.value ?? fallback) : fallback);
  const on = (flag: string) => r.has([flag]) && r.raw([flag]) !== 'false' && (r.record([flag], r.raw([flag])), true);

  let model: RunFacts['model'];
  if (L && d && H) {
    const swiglu = on('--swiglu');
    const ffnDefault = swiglu ? Math.floor((4 * d.value * 2) / 3 / 64) * 64 : 4 * d.value;
    const K = on('--group-query-attention') ? n('--num-query-groups', H.value) : H.value;
    const vocab = megatronVocab(r);
    const positionType = typeof r.raw(['--position-embedding-type']) === 'string' ? String(r.raw(['--position-embedding-type'])) : on('--use-rotary-position-embeddings') ? 'rope' : 'learned_absolute';
    if (r.has(['--position-embedding-type'])) r.record(['--position-embedding-type'], positionType);
    const maxPositions = n('--max-position-embeddings', seq?.value ?? 0, rule({ integer: true, max: 1e8 }));
    const norm = /rms/i.test(String(r.raw(['--normalization']) ?? '')) ? 'rms' : 'layer';
    if (r.has(['--normalization'])) r.record(['--normalization'], r.raw(['--normalization']));
    const experts = n('--num-experts', 0, rule(COUNT));
    const ffn = n('--ffn-hidden-size', ffnDefault);
    const spec = decoderSpec(
      { V: vocab.value, d: d.value, L: L.value, H: H.value, f: ffn },
      Object.assign(
        {
          kvHeads: K,
          headDim: n('--kv-channels', d.value / H.value),
          gated: swiglu,
          norm,
          tied: !on('--untie-embeddings-and-output-weights'),
          learnedPositions: positionType === 'learned_absolute' ? maxPositions : 0,
        } satisfies Partial<DecoderSpec>,
        biases(!on('--disable-bias-linear')),
        expertsOf(experts, n('--moe-router-topk', 2, rule(COUNT)), n('--moe-ffn-hidden-size', ffn)),
      ),
    );
    const shape = gptShape('megatron-gpt', spec, maxPositions || undefined);
    model = { shape, source: { kind: 'computed', formula: `Megatron GPT from --num-layers, --hidden-size, --num-attention-heads; vocabulary ${vocab.value} after Megatron's padding` }, anchor: r.locate(['--num-layers']) };
  }

  const gbs = r.num(['--global-batch-size'], rule(COUNT));
  const iters = r.num(['--train-iters'], rule({ integer: true, max: 1e10 }));
  const samples = r.num(['--train-samples'], rule({ integer: true, max: 1e13 }));
  let tokens: Sourced<number> | undefined;
  if (samples && seq) tokens = product([[samples, '--train-samples'], [seq, '--seq-length']]);
  else if (iters && gbs && seq) tokens = product([[iters, '--train-iters'], [gbs, '--global-batch-size'], [seq, '--seq-length']]);
  else if (iters && !gbs) r.report(['--train-iters'], 'incomplete-run', 'D needs --global-batch-size with --train-iters (D = train_iters × global_batch × seq_length)', 'warning');

  const devices = deviceCount(r, r.first([['--nproc_per_node'], ['--nproc-per-node']]) ?? ['--nproc_per_node'], ['--nnodes'], rule(COUNT));

  return finishFacts({
    file: r.file,
    format: 'megatron',
    model,
    tokens,
    sequenceLength: seq,
    precisionBits: precisionFlags(r, [[['--fp8-format'], 8], [['--bf16'], 16], [['--fp16'], 16]]),
    devices,
  });
}

function megatronVocab(r: FieldReader): Sourced<number> {
  const multiple =
    (r.has(['--make-vocab-size-divisible-by']) ? (r.num(['--make-vocab-size-divisible-by'], rule(COUNT))?.value ?? 128) : 128) *
    (r.has(['--tensor-model-parallel-size']) ? (r.num(['--tensor-model-parallel-size'], rule(COUNT))?.value ?? 1) : 1);
  const given = r.num(['--vocab-size'], rule(VOCAB));
  if (given) return { value: padVocab(given.value, multiple), source: given.source };
  const tokenizer = r.raw(['--tokenizer-type']);
  const tokModel = r.raw(['--tokenizer-model']);
  const known = typeof tokModel === 'string' ? findKnownShape(tokModel) : undefined;
  const fromTable = known ? Number(known.config.vocab_size) : typeof tokenizer === 'string' ? TOKENIZER_VOCAB[tokenizer.toLowerCase()] : undefined;
  if (fromTable) {
    if (typeof tokenizer === 'string') r.record(['--tokenizer-type'], tokenizer);
    return { value: padVocab(fromTable, multiple), source: r.source(known ? ['--tokenizer-model'] : ['--tokenizer-type']) };
  }
  return { value: padVocab(50257, multiple), source: { kind: 'default', name: 'vocabulary', reason: 'no --vocab-size or known tokenizer: the GPT-2 BPE vocabulary (50,257) Megatron uses by default' } };
}
