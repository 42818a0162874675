import { COUNT, DIMENSION, LAYER_COUNT, VOCAB, type FieldReader } from '../reader';
import type { DatasetRef, FinetuneFacts, LoraFacts, RunFacts } from '../facts';
import type { Sourced } from '../types';
import { finishFacts, precisionAt, product, withAnchor, type FormatContext } from './context';
import { trainerDevices } from './nemo';
import { biases, expertsOf, gptShape, padVocab } from './gpt';
import { decoderSpec, type DecoderSpec } from '../decoder';

/** LitGPT pretrain / finetune YAML: `model_name` or `checkpoint_dir` or inline `model_config`, and `train:`. */
export function readLitgpt(r: FieldReader, ctx: FormatContext): RunFacts {
  let model: RunFacts['model'];
  let modelRef: Sourced<string> | undefined;
  const inlinePath = r.has(['model_config']) ? ['model_config'] : r.has(['model']) && typeof r.raw(['model']) === 'object' ? ['model'] : undefined;
  if (inlinePath && r.has([...inlinePath, 'n_layer'])) model = inlineModel(r, inlinePath);
  else {
    const refPath = r.first([['model_name'], ['checkpoint_dir'], [...(inlinePath ?? ['model']), 'name']]);
    if (refPath) {
      modelRef = r.str([...refPath]);
      if (modelRef) {
        model = ctx.resolveModel(modelRef);
        if (model) model = withAnchor(model, r.locate([...refPath]));
      }
    }
  }
  model ??= ctx.nearbyModel();
  const t = (k: string) => ['train', k];
  const direct = r.num(t('max_tokens'), { integer: true, max: 1e16 });
  const seq = r.num(t('max_seq_length'), { integer: true, max: 1e8 });
  const steps = r.num(t('max_steps'), { integer: true, max: 1e10 });
  const gbs = r.num(t('global_batch_size'), COUNT);
  const tokens = direct ?? (steps && gbs && seq ? product([[steps, 'train.max_steps'], [gbs, 'train.global_batch_size'], [seq, 'train.max_seq_length']]) : undefined);
  const epochs = r.num(t('epochs'), { max: 1e6 });
  // `devices: auto` (LitGPT's default: every GPU of the machine) or -1 is information and the count an assumption.
  const devices = trainerDevices(r, []);
  const lora = litLora(r);
  const finetune = tokens ? undefined : litFinetune(r, lora, epochs, seq);
  return finishFacts({
    file: r.file,
    format: 'litgpt',
    model,
    modelRef: model ? undefined : modelRef,
    tokens,
    sequenceLength: seq,
    epochsWithoutDataset: tokens || finetune ? undefined : epochs,
    precisionBits: precisionAt(r, ['precision']),
    devices,
    lora,
    finetune,
  });
}

function inlineModel(r: FieldReader, at: string[]): RunFacts['model'] {
  const c = (k: string) => [...at, k];
  const what = 'LitGPT model_config';
  const L = r.need(c('n_layer'), LAYER_COUNT, what);
  const d = r.need(c('n_embd'), DIMENSION, what);
  const H = r.need(c('n_head'), DIMENSION, what);
  if (!L || !d || !H) return undefined;
  const opt = (k: string, fallback: number) => (r.has(c(k)) ? (r.num(c(k), DIMENSION)?.value ?? fallback) : fallback);
  const vocabPadded = r.num(c('padded_vocab_size'), VOCAB);
  const vocab = vocabPadded?.value ?? padVocab(r.num(c('vocab_size'), VOCAB)?.value ?? 50254, opt('padding_multiple', 512));
  const mlp = String(r.str(c('mlp_class_name'))?.value ?? 'GptNeoxMLP');
  const moe = mlp === 'LLaMAMoE';
  const shared = r.bool(c('shared_attention_norm'))?.value ?? false;
  const ffn = opt('intermediate_size', 4 * d.value);
  const spec = decoderSpec(
    { V: vocab, d: d.value, L: L.value, H: H.value, f: ffn },
    Object.assign(
      {
        kvHeads: opt('n_query_groups', H.value),
        headDim: opt('head_size', d.value / H.value),
        gated: mlp !== 'GptNeoxMLP',
        norm: /rms/i.test(String(r.str(c('norm_class_name'))?.value ?? 'LayerNorm')) ? 'rms' : 'layer',
        normsPerLayer: shared ? 1 : 2,
        // LitGPT keeps a separate lm_head.
        tied: false,
      } satisfies Partial<DecoderSpec>,
      biases(r.bool(c('bias'))?.value ?? true),
      expertsOf(moe ? opt('n_expert', 8) : 0, opt('n_expert_per_token', 2), ffn),
    ),
  );
  const shape = gptShape('litgpt', spec, r.num(c('block_size'), { integer: true, max: 1e8 })?.value);
  return { shape, source: { kind: 'computed', formula: `LitGPT GPT from ${at.join('.')}.n_layer, n_embd, n_head` }, anchor: r.locate(at) };
}

/**
 * LitGPT's finetune scripts (`litgpt finetune lora|full|adapter`) start from `checkpoint_dir` and read `data:`, a
 * data module (`litgpt.data.Alpaca2k`) or its short name, with `init_args.val_split_fraction` held out.
 */
function litFinetune(r: FieldReader, lora: LoraFacts | undefined, epochs: Sourced<number> | undefined, seq: Sourced<number> | undefined): FinetuneFacts | undefined {
  const dataPath = typeof r.raw(['data']) === 'string' ? ['data'] : typeof r.raw(['data', 'class_path']) === 'string' ? ['data', 'class_path'] : undefined;
  const data = dataPath ? r.str(dataPath) : undefined;
  // LitGPT's finetune scripts default to litgpt.data.Alpaca when `data` is not given.
  const refs: DatasetRef[] = data ? [{ name: data }] : [{ name: { value: 'litgpt.data.Alpaca', source: { kind: 'default', name: 'data', reason: 'LitGPT finetune default data module (litgpt.data.Alpaca)' } } }];
  const evidence = lora
    ? `${lora.method === 'qlora' ? 'QLoRA' : 'LoRA'} adapters (lora_r ${lora.rank.value})`
    : r.has(['checkpoint_dir']) && !r.has(['model_config'])
      ? 'fine-tunes the checkpoint in checkpoint_dir'
      : undefined;
  if (!evidence) return undefined;
  const valPath = ['data', 'init_args', 'val_split_fraction'];
  return {
    evidence,
    objective: 'sft',
    pairs: false,
    datasets: refs,
    heldOut: typeof r.raw(valPath) === 'number' && (r.raw(valPath) as number) > 0 ? r.num(valPath, { max: 1 }) : undefined,
    // LitGPT's finetune scripts run 5 epochs unless train.epochs says otherwise (their config_hub files document it).
    epochs: epochs ?? { value: 5, source: { kind: 'default', name: 'train.epochs', reason: 'LitGPT finetune default (train.epochs: 5)' } },
    lengthCap: seq,
    sizeHint: 'train.max_steps or train.max_tokens, or train.epochs and train.max_seq_length with a data module of known size',
  };
}

function litLora(r: FieldReader): LoraFacts | undefined {
  const rank = r.num(['lora_r'], COUNT);
  if (!rank) return undefined;
  const names: Array<[string, string[]]> = [
    ['lora_query', ['q_proj']],
    ['lora_key', ['k_proj']],
    ['lora_value', ['v_proj']],
    ['lora_projection', ['o_proj']],
    ['lora_mlp', ['gate_proj', 'up_proj', 'down_proj']],
  ];
  const targets = names.filter(([k]) => r.bool([k])?.value).flatMap(([, t]) => t);
  // quantize: bnb.nf4 (QLoRA), bnb.nf4-dq, bnb.fp4, bnb.int8: the frozen base is stored in 4 or 8 bits.
  const q = typeof r.raw(['quantize']) === 'string' ? r.str(['quantize']) : undefined;
  const baseBits = q ? (/(nf4|fp4)/i.test(q.value) ? 4 : /int8/i.test(q.value) ? 8 : undefined) : undefined;
  // lora_head: an adapter on the output head (LitGPT's lm_head), rank × (width + vocabulary).
  const head = r.bool(['lora_head'])?.value === true;
  return {
    method: baseBits === 4 ? 'qlora' : 'lora',
    rank,
    targets,
    ...(baseBits && q ? { baseBits: { value: baseBits, source: q.source } } : {}),
    ...(head ? { embeddings: { full: [], adapted: ['lm_head'], at: ['lora_head'] } } : {}),
  };
}
