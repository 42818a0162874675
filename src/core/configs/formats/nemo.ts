import { COUNT, DIMENSION, FieldReader, LAYER_COUNT, VOCAB, type NumberRule } from '../reader';
import type { RunFacts } from '../facts';
import type { Sourced } from '../types';
import type { ParsedDoc } from '../parse';
import { countBert } from '../encoders';
import { computed, finishFacts, precisionAt, product, type FormatContext } from './context';
import { assumedVocab, biases, expertsOf, gptShape, padVocab, tokenizerVocab, vocabFromTokenizerPath } from './gpt';
import { decoderSpec, type DecoderSpec } from '../decoder';

/**
 * NeMo (1.x, Megatron GPT and BERT) YAML: `model:` holds the shape and batch, `trainer:` the devices and steps.
 * OmegaConf interpolations (`${.hidden_size}`, `${multiply:4, ${.hidden_size}}`) are resolved as they are read
 * (FieldReader, interpolate.ts).
 */
export function readNemo(r: FieldReader, ctx: FormatContext): RunFacts {
  const m = (k: string) => ['model', k];
  const seq = r.num(m('encoder_seq_length'), { integer: true, max: 1e8 }) ?? r.num(m('seq_length'), { integer: true, max: 1e8 });
  const seqName = r.has(m('encoder_seq_length')) ? 'model.encoder_seq_length' : 'model.seq_length';
  let model: RunFacts['model'];
  if (!r.has(m('num_layers')) && !r.has(m('hidden_size')) && r.has(m('restore_from_path'))) {
    // A fine-tuning config: the model is a .nemo checkpoint given at launch, not described here.
    r.report(
      m('restore_from_path'),
      'no-model',
      'the model is the .nemo checkpoint in model.restore_from_path, which LIM Lens does not open; name it in a *.lim.yaml run file (model: or params:) with config: pointing here',
      'warning',
    );
  } else if (unsupported(r)) {
    r.report(['model'], 'unsupported-model', `${unsupported(r)}: this model family is not supported by LIM Lens (NeMo GPT, Llama-style, MoE and BERT models are), so its parameters are not counted; give params: in a *.lim.yaml run file`, 'warning');
  } else model = isBert(r) ? nemoBert(r, ctx, seq?.value) : nemoGpt(r, ctx, seq?.value);

  const steps = r.num(['trainer', 'max_steps'], { integer: true, min: 1, max: 1e10 });
  const gbs = r.num(m('global_batch_size'), COUNT);
  const tokens = steps && gbs && seq ? product([[steps, 'trainer.max_steps'], [gbs, 'model.global_batch_size'], [seq, seqName]]) : undefined;
  const fp8 = r.bool(m('fp8'));
  return finishFacts({
    file: r.file,
    format: 'nemo',
    name: typeof r.raw(['name']) === 'string' ? String(r.raw(['name'])) : undefined,
    model,
    tokens,
    sequenceLength: seq,
    precisionBits: fp8?.value ? { value: 8, source: fp8.source } : precisionAt(r, ['trainer', 'precision']),
    devices: trainerDevices(r) ?? atLeastDevices(r, [[m('tensor_model_parallel_size'), 'TP'], [m('pipeline_model_parallel_size'), 'PP'], [m('context_parallel_size'), 'CP']]),
  });
}

/** NeMo's and Lightning's `trainer.devices` × `trainer.num_nodes`; `auto` and -1 (every visible GPU) depend on the machine. */
export function trainerDevices(r: FieldReader, at: readonly string[] = ['trainer']): Sourced<number> | undefined {
  const devicesPath = [...at, 'devices'];
  const nodesPath = [...at, 'num_nodes'];
  const raw = r.raw(devicesPath);
  const nodes = r.num(nodesPath, COUNT);
  if (raw === 'auto' || raw === -1 || raw === '-1') {
    r.record(devicesPath, raw);
    r.report(devicesPath, 'devices-auto', `${devicesPath.join('.')}: ${String(raw)} uses every accelerator of the machine it runs on, which the file does not say; the device count is an assumption${nodes ? ` (× ${nodes.value} nodes)` : ''}`, 'info');
    return undefined;
  }
  // Lightning also takes a list of device indices.
  const perNode = Array.isArray(raw)
    ? (r.record(devicesPath, raw), computed(raw.length, `${devicesPath.join('.')} (${raw.length} listed)`))
    : r.num(devicesPath, { integer: true, max: 1e7, allowString: typeof raw === 'string' });
  return perNode && timesNodes(perNode, devicesPath.join('.'), nodes, nodesPath.join('.'));
}

/** Devices per node × nodes. One node (or none stated) leaves the per-node count as read, with its location. */
export function timesNodes(perNode: Sourced<number>, perNodeName: string, nodes: Sourced<number> | undefined, nodesName: string): Sourced<number> {
  return nodes && nodes.value !== 1 ? product([[perNode, perNodeName], [nodes, nodesName]]) : perNode;
}

/**
 * The least device count a model-parallel layout needs: the product of the parallel sizes the file states (tensor ×
 * pipeline × context). The data-parallel size multiplies it and is rarely written down, so this is a lower bound, used
 * as one: the count is an assumption (a default, listed with the run's assumptions), so the surfaces show
 * device-hours, which do not depend on it, and derive no wall-clock time from it (a time on "at least 32 devices"
 * would be an upper bound dressed as an estimate).
 */
export function atLeastDevices(r: FieldReader, sizes: ReadonlyArray<readonly [path: string[], label: string]>, rule: NumberRule = COUNT): Sourced<number> | undefined {
  const stated: Array<[Sourced<number>, string]> = [];
  for (const [path, label] of sizes) {
    const n = r.has(path) ? r.num(path, rule) : undefined;
    if (n) stated.push([n, `${label} ${n.value} (${path.join('.')})`]);
  }
  const value = stated.reduce((acc, [n]) => acc * n.value, 1);
  if (value <= 1) return undefined;
  const reason = `at least ${value} devices (${stated.map(([, t]) => t).join(' × ')}); the data-parallel size, which multiplies it, is not in the file`;
  r.assume('devices', value, reason);
  return { value, source: { kind: 'default', name: 'devices', reason } };
}

/** NeMo models this reader cannot count, named. */
function unsupported(r: FieldReader): string | undefined {
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(r.raw(['model', 'encoder'])) && isObj(r.raw(['model', 'decoder']))) return 'NeMo encoder-decoder model (T5, BART: model.encoder and model.decoder)';
  if (r.has(['model', 'hybrid_override_pattern']) || r.has(['model', 'mamba_ssm_ngroups'])) return 'NeMo hybrid Mamba model';
  if (isObj(r.raw(['model', 'vision_encoder'])) || isObj(r.raw(['model', 'mm_cfg']))) return 'NeMo multimodal model';
  return undefined;
}

function isBert(r: FieldReader): boolean {
  const type = r.raw(['model', 'tokenizer', 'type']);
  return r.raw(['model', 'bert_binary_head']) !== undefined || (typeof type === 'string' && /^bert/i.test(type)) || /bert/i.test(String(r.raw(['name']) ?? ''));
}

/** model.num_layers, hidden_size and num_attention_heads; a missing one is a warning, as Hydra may compose it from another file. */
function nemoDims(r: FieldReader, what: string): { L: number; d: number; H: number } | undefined {
  const hint = '; it may come from a config this one composes (Hydra defaults), which LIM Lens does not follow';
  const need = (k: string, rule: NumberRule) => r.need(['model', k], rule, what, 'warning', hint)?.value;
  const [L, d, H] = [need('num_layers', LAYER_COUNT), need('hidden_size', DIMENSION), need('num_attention_heads', DIMENSION)];
  return L !== undefined && d !== undefined && H !== undefined ? { L, d, H } : undefined;
}

function nemoGpt(r: FieldReader, ctx: FormatContext, seq: number | undefined): RunFacts['model'] {
  const m = (k: string) => ['model', k];
  const x = nemoDims(r, 'NeMo GPT model');
  if (!x) return undefined;
  const { L, d, H } = x;
  const opt = (k: string, fallback: number) => (r.has(m(k)) ? (r.num(m(k), DIMENSION)?.value ?? fallback) : fallback);
  const text = (k: string, fallback: string) => (r.has(m(k)) ? (r.str(m(k))?.value ?? fallback) : fallback);
  const flag = (k: string, fallback: boolean) => r.bool(m(k))?.value ?? fallback;
  const activation = text('activation', 'gelu');
  const positions = text('position_embedding_type', 'learned_absolute');
  const maxPositions = opt('max_position_embeddings', seq ?? 0);
  const experts = r.has(m('num_moe_experts')) ? (r.num(m('num_moe_experts'), COUNT)?.value ?? 0) : 0;
  const ffn = opt('ffn_hidden_size', 4 * d);
  const vocab = nemoVocab(r, ctx, { L, d, H, f: ffn, gated: /glu/i.test(activation) });
  const spec = decoderSpec(
    { V: vocab.value, d, L, H, f: ffn },
    Object.assign(
      {
        kvHeads: opt('num_query_groups', H),
        headDim: opt('kv_channels', d / H),
        gated: /glu/i.test(activation),
        norm: /rms/i.test(text('normalization', 'layernorm')) ? 'rms' : 'layer',
        tied: flag('share_embeddings_and_output_weights', true),
        learnedPositions: positions === 'learned_absolute' ? maxPositions : 0,
      } satisfies Partial<DecoderSpec>,
      biases(flag('bias', true)),
      // Qwen in NeMo: biases on q, k and v only (bias: False, qkv_bias: True).
      r.has(m('qkv_bias')) ? { qkvBias: flag('qkv_bias', false) } : {},
      expertsOf(experts, opt('moe_router_topk', 2), ffn),
    ),
  );
  const shape = gptShape('nemo-gpt', spec, maxPositions || undefined);
  return { shape, source: { kind: 'computed', formula: `NeMo GPT from model.num_layers, model.hidden_size, model.num_attention_heads; vocabulary ${vocab.value}` }, anchor: r.locate(['model']) };
}

/** Megatron BERT in NeMo, counted as a BERT encoder with NeMo's dimensions (the formula of the bert family). */
function nemoBert(r: FieldReader, ctx: FormatContext, seq: number | undefined): RunFacts['model'] {
  const m = (k: string) => ['model', k];
  const x = nemoDims(r, 'NeMo BERT model');
  if (!x) return undefined;
  const { L, d, H } = x;
  const f = r.has(m('ffn_hidden_size')) ? (r.num(m('ffn_hidden_size'), DIMENSION)?.value ?? 4 * d) : 4 * d;
  const P = r.has(m('max_position_embeddings')) ? (r.num(m('max_position_embeddings'), { integer: true, max: 1e8 })?.value ?? seq ?? 512) : (seq ?? 512);
  const vocab = nemoVocab(r, ctx, { L, d, H, f });
  const doc: ParsedDoc = {
    file: r.file,
    syntax: 'json',
    text: '',
    data: { model_type: 'bert', vocab_size: vocab.value, hidden_size: d, num_hidden_layers: L, num_attention_heads: H, intermediate_size: f, max_position_embeddings: P, type_vocab_size: 2 },
    diagnostics: [],
    locate: () => undefined,
  };
  const shape = countBert(new FieldReader(doc), [], 'megatron-bert');
  if (!shape) return undefined;
  return {
    shape,
    source: { kind: 'computed', formula: `NeMo BERT from model.num_layers, model.hidden_size, model.num_attention_heads as a BERT encoder (${shape.formula}; Megatron's LM head and binary head not counted); vocabulary ${vocab.value}` },
    anchor: r.locate(['model']),
  };
}

function nemoVocab(r: FieldReader, ctx: FormatContext, dims: { L: number; d: number; H: number; f: number; gated?: boolean }): Sourced<number> {
  const multiple =
    (r.has(['model', 'make_vocab_size_divisible_by']) ? (r.num(['model', 'make_vocab_size_divisible_by'], COUNT)?.value ?? 128) : 128) *
    (r.has(['model', 'tensor_model_parallel_size']) ? (r.num(['model', 'tensor_model_parallel_size'], COUNT)?.value ?? 1) : 1);
  for (const path of [['model', 'padded_vocab_size'], ['model', 'vocab_size'], ['model', 'tokenizer', 'vocab_size']]) {
    if (!r.has(path)) continue;
    const v = r.num(path, VOCAB);
    if (v) return { value: padVocab(v.value, multiple), source: v.source };
  }
  // The tokenizer by class (GPT2BPETokenizer), or by the model it comes from (a Hub id as type or model).
  for (const field of ['type', 'model']) {
    const path = ['model', 'tokenizer', field];
    const name = r.raw(path);
    if (typeof name !== 'string' || r.unresolvedAt(path)) continue;
    const hit = tokenizerVocab(name);
    if (hit) {
      r.record(path, name);
      return { value: padVocab(hit.vocab, multiple), source: r.source(path) };
    }
    // A tokenizer in the workspace: the config.json of its folder.
    const local = vocabFromTokenizerPath(name, ctx);
    if (local) {
      r.record(path, name);
      return { value: padVocab(local.value, multiple), source: local.source };
    }
  }
  const lib = r.raw(['model', 'tokenizer', 'library']);
  const a = assumedVocab(r, r.has(['model', 'tokenizer']) ? ['model', 'tokenizer'] : ['model'], { ...dims, library: typeof lib === 'string' ? lib : undefined }, `the ${typeof lib === 'string' ? `${lib} ` : ''}tokenizer is not one LIM Lens knows`);
  return { value: padVocab(a.vocab, multiple), source: { kind: 'default', name: 'vocabulary', reason: a.reason } };
}
