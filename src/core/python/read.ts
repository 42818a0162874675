import { decoderSpec } from '../configs/decoder';
import { embeddingParams, type FinetuneFacts, type ModelFacts, type RunFacts } from '../configs/facts';
import { computed, finishFacts, precisionAt, product, withAnchor, type FormatContext } from '../configs/formats/context';
import { readTrainingArgs } from '../configs/formats/finetune';
import { gptShape } from '../configs/formats/gpt';
import { modelFromHfConfig } from '../configs/formats/hfModel';
import { trainerDevices } from '../configs/formats/nemo';
import type { ParsedDoc } from '../configs/parse';
import { COUNT, DIMENSION, FieldReader, LAYER_COUNT, VOCAB, type NumberRule } from '../configs/reader';
import { findKnownShape } from '../configs/knownShapes';
import type { Source, Sourced } from '../configs/types';
import { DEMO_TRANSFORMER, PREFERENCE_CLASSES } from './virtual';
import type { ModelShape } from '../configs/shape';
import { formatInteger } from '../units/format';

const STEPS = { integer: true, max: 1e10 } as const;
const SEQ = { integer: true, max: 1e8 } as const;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** PEFT's default LoRA targets for a model family when LoraConfig names none (peft/utils/constants.py). */
const PEFT_DEFAULT_TARGETS: Record<string, string[]> = {
  bloom: ['query_key_value'], gpt_neox: ['query_key_value'], falcon: ['query_key_value'], gpt2: ['c_attn'], gptj: ['q_proj', 'v_proj'],
  bert: ['query', 'value'], roberta: ['query', 'value'], 'xlm-roberta': ['query', 'value'], distilbert: ['q_lin', 'v_lin'], t5: ['q', 'v'],
  'deberta-v2': ['query_proj', 'value_proj'],
};

/** A Python training script or notebook: what its calls and assignments say about the run. */
export function readPython(r: FieldReader, ctx: FormatContext): RunFacts {
  const view = r.doc.python;
  const format = /\.ipynb$/i.test(r.file) ? 'notebook' : 'python';
  let facts: RunFacts;
  if (view?.form === 'llama2c') facts = readLlama2c(r);
  else if (view?.form === 'nanogpt' || view?.form === 'nanogpt-config') facts = readNanoGpt(r, ctx);
  else facts = readScript(r, ctx);
  if (view?.form === 'lit-loop') facts = litLoop(r, facts);
  const assumptions = [...(facts.assumptions ?? []), ...(view?.assumptions ?? [])];
  return finishFacts({ ...facts, format, ...(assumptions.length > 0 ? { assumptions } : {}) });
}

function readScript(r: FieldReader, ctx: FormatContext): RunFacts {
  const view = r.doc.python;
  const data = (r.doc.data ?? {}) as Record<string, unknown>;
  // A model built from its config with random weights is pretraining: the Hub id names its shape only.
  const fromScratch = view?.fromScratch === true;
  let facts: RunFacts;
  if (fromScratch) {
    const ref = r.str(['model_name_or_path']);
    const model = ref ? ctx.resolveModel(ref) : undefined;
    facts = { file: r.file, format: 'python', ...(model && ref ? { model: withAnchor(model, r.locate(['model_name_or_path'])) } : ref ? { modelRef: ref } : {}) };
    const base = readTrainingArgs(r, { ...ctx, resolveModel: () => model, nearbyModel: () => undefined });
    facts = { ...base, model: facts.model, modelRef: facts.modelRef, finetune: undefined, lora: base.lora };
  } else facts = readTrainingArgs(r, view?.litName ? { ...ctx, resolveModel: (ref) => ctx.resolveModel(litAlias(ref)) } : ctx);
  // A model config constructor: LlamaConfig(hidden_size=…, …) counted as its config.json would be.
  if (!facts.model && isObject(data.model_config)) {
    const model = modelFromHfConfig(r, ['model_config']);
    if (model) {
      facts = { ...facts, model, modelRef: undefined };
      // Built from a config: random weights, so the Trainer's "pretrained checkpoint" evidence does not apply.
      if (facts.finetune && /model_name_or_path/.test(facts.finetune.evidence)) facts = { ...facts, finetune: undefined };
    }
  }
  // lit-llama's from_name builds the model with random weights: only LoRA (or a checkpoint load) makes it a fine-tune.
  if (view?.litName && facts.finetune && /model_name_or_path/.test(facts.finetune.evidence)) facts = { ...facts, finetune: undefined };
  // A task head (AutoModelForSequenceClassification …) on a model of the table: counted with that head.
  if (view?.modelClass && facts.model?.source.kind === 'known-shape') {
    const headed = withHead(facts.model.source.key, view.modelClass, r.has(['num_labels']) ? r.num(['num_labels'], COUNT)?.value : undefined);
    if (headed) facts = { ...facts, model: { ...headed, anchor: facts.model.anchor } };
  }
  // from_pretrained of a checkpoint named on the command line: a fine-tune, whatever the model.
  if (!facts.finetune && view?.pretrainedFromCli && !fromScratch) {
    facts = { ...facts, finetune: { evidence: 'from_pretrained loads a checkpoint named on the command line', objective: 'sft', pairs: false, datasets: [], sizeHint: 'the model and max_steps, or a dataset of known size' } };
  }
  // A model of raw tensors: counted as their sum, a model of no known architecture.
  if (!facts.model && isObject(data.tensor_model)) {
    const n = r.num(['tensor_model', 'params'], { integer: true, max: 1e13 });
    const what = typeof r.raw(['tensor_model', 'tensors']) === 'string' ? String(r.raw(['tensor_model', 'tensors'])) : '';
    if (n) {
      facts = {
        ...facts,
        model: {
          shape: { family: 'tensors', modelType: 'tensors', architecture: 'decoder', params: { total: n.value, active: n.value, embedding: 0 }, convention: 'the sum of the sizes of the tensors in `parameters`', formula: `N = ${what}`, layers: 0, hidden: 0, heads: 0, headDim: 0, vocab: 0, linears: [] },
          source: n.source,
          anchor: r.locate(['tensor_model', 'params']),
        },
        modelRef: undefined,
      };
    }
  }
  // No precision switch in the training arguments: the dtype the model was loaded in.
  if (!facts.precisionBits && r.has(['torch_dtype'])) {
    const bits = precisionAt(r, ['torch_dtype']);
    if (bits) facts = { ...facts, precisionBits: bits };
  }
  // LoRA without target_modules: PEFT's default targets for the model's family.
  if (facts.lora && !r.has(['lora_target_modules']) && facts.model) {
    const t = PEFT_DEFAULT_TARGETS[facts.model.shape.modelType ?? ''];
    if (t) facts = { ...facts, lora: { ...facts.lora, targets: t } };
  }
  // embed_tokens and lm_head among the targets (no linear of a block): PEFT gives them adapters of their own (the
  // generic reader's `embeddings.adapted`); Unsloth's get_peft_model trains them in full instead, as PEFT's
  // modules_to_save would. Counted in the trainable parameters, and said with their size.
  const emb = facts.lora?.embeddings;
  if (emb && view?.unslothLora && emb.adapted.length > 0) facts = { ...facts, lora: { ...facts.lora!, embeddings: { ...emb, full: [...emb.full, ...emb.adapted], adapted: [] } } };
  const shape = facts.model?.shape;
  const counted = facts.lora?.embeddings && shape ? embeddingParams(shape, facts.lora.rank.value, facts.lora.embeddings) : undefined;
  if (counted) {
    const e = facts.lora!.embeddings!;
    const how = [
      e.full.length > 0 ? `${view?.unslothLora ? 'Unsloth trains' : 'trained'} ${e.full.join(' and ')} in full` : '',
      e.adapted.length > 0 ? `PEFT adds LoRA to ${e.adapted.join(' and ')}` : '',
    ].filter(Boolean);
    r.report(e.at, 'lora-embeddings', `${how.join('; ')}: ${formatInteger(counted.params)} trainable parameters besides the adapters of the blocks, counted with them (${counted.formula})`, 'info');
  }
  // TRL preference configs (DPOConfig …) are preference runs whatever keys they set.
  const cls = view?.argsClass;
  if (cls && PREFERENCE_CLASSES.has(cls) && facts.finetune?.objective !== 'preference') {
    const base: FinetuneFacts = facts.finetune ?? { evidence: '', objective: 'preference', pairs: false, datasets: [], sizeHint: 'max_steps, or max_length with a dataset of known size (load_dataset)' };
    facts = { ...facts, finetune: { ...base, evidence: `${cls} (TRL preference training)`, objective: 'preference', pairs: cls !== 'KTOConfig' } };
  }
  // Lightning's Trainer: precision and devices.
  if (isObject(data.lightning)) {
    const bits = r.has(['lightning', 'precision']) ? precisionAt(r, ['lightning', 'precision']) : undefined;
    // The same rule as a NeMo or Lightning YAML's trainer: devices × num_nodes, a list of indices, 'auto' said.
    const devices = r.has(['lightning', 'devices']) ? trainerDevices(r, ['lightning']) : undefined;
    facts = {
      ...facts,
      ...(bits ? { precisionBits: bits } : {}),
      ...(devices ? { devices } : devicesOfStrategy(r, facts)),
    };
  }
  // Lightning's demo Transformer: counted from its constructor, trained from scratch on WikiText2's samples.
  if (!facts.model && isObject(data.lightning_demo)) facts = demoTransformer(r, facts);
  // nanotron: steps × (micro batch × accumulation × data-parallel replicas) × sequence length, on dp × pp × tp GPUs.
  if (isObject(data.nanotron)) {
    const steps = r.num(['nanotron', 'train_steps'], STEPS);
    const micro = r.num(['nanotron', 'micro_batch_size'], COUNT);
    const accum = r.num(['nanotron', 'batch_accumulation_per_replica'], COUNT);
    const seq = r.num(['nanotron', 'sequence_length'], SEQ);
    const dp = r.num(['nanotron', 'dp'], COUNT);
    const pp = r.num(['nanotron', 'pp'], COUNT);
    const tp = r.num(['nanotron', 'tp'], COUNT);
    if (steps && micro) {
      const per = (accum?.value ?? 1) * micro.value * (dp?.value ?? 1);
      facts = {
        ...facts,
        batch: { steps, sequencesPerStep: computed(per, 'micro_batch_size × batch_accumulation_per_replica × dp'), perDevice: false, sequenceLength: seq },
        sequenceLength: seq,
        ...(dp || pp || tp ? { devices: computed((dp?.value ?? 1) * (pp?.value ?? 1) * (tp?.value ?? 1), 'dp × pp × tp') } : {}),
      };
    }
  }
  if (isObject(data.stages)) facts = withStages(r, facts, Object.keys(data.stages).length);
  if (!facts.model) {
    // Say why there is no estimate: the model is chosen on the command line, or nothing names one.
    const cli = view?.assumptions.find((a) => /^(model_name_or_path|ModelConfig|base_model|checkpoint_dir|model_id|model_name)$/.test(a.name) && /command line|environment|caller/.test(a.reason));
    if (cli && !facts.modelRef) r.report(r.has(['model_name_or_path']) ? ['model_name_or_path'] : [], 'model-from-command-line', `${cli.reason}: the file does not fix the model, so LIM Lens cannot count it; name it in a *.lim.yaml run file (model: org/name, config: this file)`, 'warning');
    else if (!facts.modelRef) {
      // Say why a model call's argument could not be read, when there is one.
      const why = view?.assumptions.find((a) => a.name === 'model_name_or_path');
      r.report(r.has(['model_name_or_path']) ? ['model_name_or_path'] : [], 'no-model', `this script defines a training run but no model LIM Lens can read (from_pretrained("org/name"), a *Config(...) with its sizes, or a config.json beside it)${why ? `: ${why.reason}` : ''}`, 'warning');
    }
  }
  return facts;
}

/**
 * The devices of Lightning's ModelParallelStrategy: data_parallel_size × tensor_parallel_size, both literal. The
 * Trainer's batch is per data-parallel rank, so with tensor parallelism the sequences per step are counted over the
 * data-parallel ranks only.
 */
function devicesOfStrategy(r: FieldReader, facts: RunFacts): Pick<RunFacts, 'devices' | 'batch'> {
  const dpPath = ['lightning', 'data_parallel_size'];
  const tpPath = ['lightning', 'tensor_parallel_size'];
  if (!r.has(dpPath) && !r.has(tpPath)) return {};
  const literal = (path: string[]) => (typeof r.raw(path) === 'number' ? r.num(path, COUNT) : undefined);
  const dp = literal(dpPath);
  const tp = literal(tpPath);
  if (!dp || !tp) {
    // A number that is not a size has its message from r.num; "auto" (or a size left out: its default) is the machine's.
    const auto = [dpPath, tpPath].find((p) => !r.has(p) || typeof r.raw(p) !== 'number');
    if (auto) r.report(r.has(auto) ? auto : dpPath, 'devices-auto', `ModelParallelStrategy: ${auto[auto.length - 1]} is ${r.has(auto) ? JSON.stringify(r.raw(auto)) : '"auto" (its default)'}, decided by the machine it runs on; the device count is an assumption`, 'info');
    return {};
  }
  if (tp.value === 1) return { devices: dp };
  const devices = product([[dp, 'data_parallel_size'], [tp, 'tensor_parallel_size']]);
  const b = facts.batch;
  if (!b?.perDevice) return { devices };
  return { devices, batch: { ...b, perDevice: false, sequencesPerStep: product([[b.sequencesPerStep, 'sequences per data-parallel rank'], [dp, 'data_parallel_size']]) } };
}

/**
 * lightning.pytorch.demos.Transformer(vocab_size, ninp, nhead, nhid, nlayers): an embedding, torch's nn.Transformer
 * (nlayers encoder and nlayers decoder layers of width ninp, feed-forward nhid, a final LayerNorm on each side) and a
 * Linear decoder back to the vocabulary; its positional encoding is a tensor, not a parameter. Each sample of
 * WikiText2 is block_size tokens (35 by default).
 */
function demoTransformer(r: FieldReader, facts: RunFacts): RunFacts {
  const rules: Record<keyof typeof DEMO_TRANSFORMER, NumberRule> = { vocab_size: VOCAB, ninp: DIMENSION, nhead: DIMENSION, nhid: DIMENSION, nlayers: LAYER_COUNT, block_size: SEQ };
  let bad = false;
  const at = (k: keyof typeof DEMO_TRANSFORMER): Sourced<number> => {
    const path = ['lightning_demo', k];
    const read = r.has(path) ? r.num(path, rules[k]) : undefined;
    if (r.has(path) && !read) bad = true;
    return read ?? { value: DEMO_TRANSFORMER[k], source: { kind: 'default', name: k, reason: `the default of lightning.pytorch.demos.${k === 'block_size' ? 'WikiText2' : 'Transformer'}` } };
  };
  const V = at('vocab_size').value;
  const d = at('ninp').value;
  const H = at('nhead').value;
  const f = at('nhid').value;
  const L = at('nlayers').value;
  // A size that is not a number LIM Lens can use has its message already; torch refuses heads that do not divide the width.
  if (bad) return facts;
  if (d % H !== 0) {
    r.report(r.has(['lightning_demo', 'nhead']) ? ['lightning_demo', 'nhead'] : ['lightning_demo', 'class'], 'bad-value', `Transformer: ninp (${d}) must be divisible by nhead (${H}), as torch's nn.MultiheadAttention requires`, 'warning');
    return facts;
  }
  // Per encoder layer: self-attention (in_proj 3d² + 3d, out_proj d² + d), linear1 and linear2 (2·d·f + f + d), two LayerNorms (4d).
  const enc = 4 * d * d + 4 * d + 2 * d * f + f + d + 4 * d;
  // A decoder layer adds cross-attention (4d² + 4d) and a third LayerNorm (2d).
  const dec = enc + 4 * d * d + 4 * d + 2 * d;
  const embedding = V * d + d * V + V;
  const total = L * enc + L * dec + 4 * d + embedding;
  const shape: ModelShape = {
    family: 'lightning-demo-transformer', modelType: 'lightning-demo-transformer', architecture: 'encoder-decoder',
    params: { total, active: total, embedding },
    convention: 'sum(p.numel() for p in model.parameters())',
    formula: 'Lightning demo Transformer: N = V·d (embedding) + L·(enc) + L·(enc + 4·d² + 4·d + 2·d) + 4·d (final norms) + d·V + V (decoder), enc = 4·d² + 4·d + 2·d·f + f + 5·d',
    layers: 2 * L, hidden: d, heads: H, headDim: d / H, vocab: V,
    linears: [
      { name: 'out_proj', inFeatures: d, outFeatures: d, copies: 1 },
      { name: 'linear1', inFeatures: d, outFeatures: f, copies: 1 },
      { name: 'linear2', inFeatures: f, outFeatures: d, copies: 1 },
    ],
  };
  const seq = r.has(['lightning_demo', 'block_size']) || r.has(['lightning_demo', 'wikitext2']) ? at('block_size') : undefined;
  if (r.has(['lightning_demo', 'wikitext2'])) r.record(['lightning_demo', 'wikitext2'], true);
  const sized = r.has(['lightning_demo', 'nlayers']) ? ['lightning_demo', 'nlayers'] : ['lightning_demo', 'class'];
  return {
    ...facts,
    model: { shape, source: r.has(sized) ? r.source(sized) : at('nlayers').source, anchor: r.locate(['lightning_demo', 'class']) },
    modelRef: undefined,
    ...(seq ? { sequenceLength: seq, ...(facts.batch ? { batch: { ...facts.batch, sequenceLength: seq } } : {}) } : {}),
  };
}

/**
 * A file that trains its model in stages (each training arguments followed by a trainer's .train()): the later
 * stages' steps are added to the first's when each takes as many sequences of the same length per step, so D covers
 * every stage. Otherwise the estimate stays the first stage's, and a message says what it leaves out.
 */
function withStages(r: FieldReader, facts: RunFacts, count: number): RunFacts {
  const b = facts.batch;
  const steps: Array<Sourced<number>> = b ? [b.steps] : [];
  const differ: Array<{ k: number; label: string }> = [];
  for (let k = 2; k <= count; k++) {
    const at = (key: string) => ['stages', String(k), key];
    const maxSteps = r.has(at('max_steps')) ? r.num(at('max_steps'), STEPS) : undefined;
    const per = r.has(at('per_device_train_batch_size')) ? r.num(at('per_device_train_batch_size'), COUNT)?.value : 8;
    const accum = r.has(at('gradient_accumulation_steps')) ? r.num(at('gradient_accumulation_steps'), COUNT)?.value : 1;
    const lengthPath = r.first([at('max_seq_length'), at('max_length')]);
    const length = lengthPath ? r.num(lengthPath, SEQ)?.value : b?.sequenceLength?.value;
    const same = b && maxSteps && per !== undefined && accum !== undefined && per * accum === b.sequencesPerStep.value && length === b.sequenceLength?.value;
    if (same) steps.push(maxSteps);
    else differ.push({ k, label: `stage ${k}${maxSteps ? '' : ' (no max_steps)'}` });
  }
  if (differ.length > 0) {
    const counted = steps.length > 1 ? 'the stages of the same batch and length' : 'the first stage';
    r.report(['stages', String(differ[0].k), 'train'], 'python-stages', `this file trains ${count} times (training arguments, then trainer.train()); the estimate counts ${counted}, not ${differ.map((d) => d.label).join(', ')}, whose steps, batch or length differ or are not fixed`, 'info');
  }
  if (!b || steps.length < 2) return facts;
  const total = computed(steps.reduce((sum, s) => sum + s.value, 0), `max_steps of the ${steps.length} training stages, each followed by trainer.train(): ${steps.map((s) => s.value).join(' + ')}`);
  return { ...facts, batch: { ...b, steps: total } };
}

/** A model of the table counted with the task head of a from_pretrained class, as a config.json naming it would be. */
function withHead(key: string, cls: string, labels?: number): ModelFacts | undefined {
  const known = findKnownShape(key);
  if (!known) return undefined;
  const config = { ...known.config, architectures: [`${String(known.config.model_type ?? '').replace(/^./, (c) => c.toUpperCase())}${cls}`], ...(labels ? { num_labels: labels } : {}) };
  // The family's class name prefix does not matter to the counters: they read the suffix (ForSequenceClassification …).
  const doc: ParsedDoc = { file: `known:${known.key}`, syntax: 'json', text: '', data: config, diagnostics: [], locate: () => undefined };
  const model = modelFromHfConfig(new FieldReader(doc));
  return model && { shape: model.shape, source: { kind: 'known-shape', key: known.key, source: `${known.source}, with the ${cls} head` } };
}

/** lit-llama's size names: LLaMA 7B and 13B have the shapes of Llama-2-7B and -13B (only the context length differs, which N does not depend on). */
const LIT_LLAMA: Record<string, string> = { '7B': 'meta-llama/Llama-2-7b-hf', '13B': 'meta-llama/Llama-2-13b-hf' };

function litAlias(ref: Sourced<string>): Sourced<string> {
  const alias = LIT_LLAMA[ref.value];
  return alias ? { value: alias, source: ref.source } : ref;
}

/**
 * lit-llama's training scripts: a Fabric loop of `max_iters` micro-batch iterations per device, each of
 * `micro_batch_size` sequences of `max_seq_length` (or `block_size`) tokens; devices from `L.Fabric(devices=…)`.
 */
function litLoop(r: FieldReader, facts: RunFacts): RunFacts {
  const g = globalsOf(r, undefined, {}, '');
  const iters = num(g, 'max_iters');
  const micro = num(g, 'micro_batch_size');
  // lit-llama's LLaMAConfig has a block_size of 2,048 (LLaMA's context), which the script trains at unless it sets one.
  const seq = num(g, 'max_seq_length') ?? num(g, 'block_size') ?? (r.doc.python?.litName ? { value: 2048, source: { kind: 'default' as const, name: 'block_size', reason: "lit-llama's LLaMAConfig block_size (LLaMA's context of 2,048 tokens)" } } : undefined);
  if (!iters || !micro) return facts;
  // lit-llama's batch_size is the sequences of one optimizer step: it sets the accumulation (batch_size //
  // micro_batch_size, per device), not how many micro-batches run, so the tokens do not depend on it. Read, so the
  // hover shows it and says so.
  g('batch_size');
  return {
    ...facts,
    batch: { steps: loopSteps(r, iters.value), sequencesPerStep: micro, perDevice: true, ...(seq ? { sequenceLength: seq } : {}) },
    ...(seq ? { sequenceLength: seq } : {}),
    epochsWithoutDataset: undefined,
  };
}

/** Micro-batch iterations per device: max_iters, or as many more as the loop's `if iter_num > max_iters: break` runs. */
function loopSteps(r: FieldReader, iters: number): Sourced<number> {
  const path = ['loop', 'max_iters_runs'];
  const run = r.has(path) ? (r.raw(path) as { offset?: unknown; condition?: unknown }) : undefined;
  if (!run || typeof run.offset !== 'number' || typeof run.condition !== 'string') return computed(iters, 'max_iters (micro-batch iterations per device)');
  r.record(path, run);
  return computed(iters + run.offset, `max_iters + ${run.offset} micro-batch iterations per device (the loop counts from 0 and breaks on ${run.condition})`);
}

/** A global of the script, else of the train.py it is exec()'d over, else that script's published default. */
type Global = (name: string) => Sourced<unknown> | undefined;

function globalsOf(r: FieldReader, parent: ParsedDoc | undefined, defaults: Record<string, unknown>, defaultsReason: string): Global {
  return (name) => {
    if (r.has(['globals', name])) {
      const v = r.raw(['globals', name]);
      r.record(['globals', name], v);
      return { value: v, source: r.source(['globals', name]) };
    }
    const pg = parent?.python?.globals;
    if (pg && name in pg) {
      const loc = parent!.locate(['globals', name]);
      if (loc) return { value: pg[name], source: { kind: 'read', file: parent!.file, field: name, line: loc.line, column: loc.column, offset: loc.offset, length: loc.length } };
    }
    if (name in defaults) return { value: defaults[name], source: { kind: 'default', name, reason: defaultsReason } };
    return undefined;
  };
}

function num(g: Global, name: string): Sourced<number> | undefined {
  const v = g(name);
  return v && typeof v.value === 'number' && Number.isFinite(v.value) && v.value > 0 ? (v as Sourced<number>) : undefined;
}

/** nanoGPT's train.py globals (karpathy/nanoGPT), which its config/*.py files override. */
const NANOGPT_DEFAULTS: Record<string, unknown> = {
  n_layer: 12, n_head: 12, n_embd: 768, block_size: 1024, bias: false, batch_size: 12, gradient_accumulation_steps: 40, max_iters: 600000,
  dataset: 'openwebtext', init_from: 'scratch',
};
/** Vocabularies of nanoGPT's own datasets (the meta.pkl their prepare.py writes); others use GPT-2's padded 50,304. */
const NANOGPT_META_VOCAB: Record<string, number> = { shakespeare_char: 65 };

function readNanoGpt(r: FieldReader, ctx: FormatContext): RunFacts {
  const view = r.doc.python!;
  const isConfig = view.form === 'nanogpt-config';
  const parent = isConfig ? ctx.siblingDoc?.('../train.py') : undefined;
  const parentOk = parent?.python?.form === 'nanogpt';
  const g = globalsOf(r, parentOk ? parent : undefined, NANOGPT_DEFAULTS, "nanoGPT train.py's default (no train.py in the parent folder to read it from)");
  const assumptions: NonNullable<RunFacts['assumptions']> = [];
  if (isConfig && !parentOk) {
    assumptions.push({ name: 'train.py', value: null, reason: "a nanoGPT config/*.py is exec()'d over train.py's globals; no nanoGPT train.py in the parent folder, so the values it does not set take nanoGPT's train.py defaults" });
  }
  const L = num(g, 'n_layer');
  const H = num(g, 'n_head');
  const d = num(g, 'n_embd');
  const T = num(g, 'block_size');
  const bias = g('bias')?.value === true;
  const initFrom = g('init_from');
  const dataset = g('dataset');
  let model: ModelFacts | undefined;
  let finetune: FinetuneFacts | undefined;
  if (typeof initFrom?.value === 'string' && initFrom.value.startsWith('gpt2')) {
    const known = ctx.resolveModel(initFrom as Sourced<string>);
    const loc = r.has(['globals', 'init_from']) ? r.locate(['globals', 'init_from']) : undefined;
    if (known) model = loc ? withAnchor(known, loc) : known;
    finetune = { evidence: `init_from = '${initFrom.value}' (starts from OpenAI's GPT-2 weights)`, objective: 'sft', pairs: false, datasets: [], sizeHint: 'max_iters, batch_size, gradient_accumulation_steps and block_size' };
  } else if (L && H && d && T) {
    const metaVocab = typeof dataset?.value === 'string' ? NANOGPT_META_VOCAB[dataset.value] : undefined;
    const V = metaVocab ?? 50304;
    assumptions.push({
      name: 'vocab_size', value: V,
      reason: metaVocab
        ? `nanoGPT reads the vocabulary from data/${String(dataset?.value)}/meta.pkl (${V} characters, as its prepare.py writes it), which LIM Lens does not read`
        : "nanoGPT's default when the dataset has no meta.pkl: GPT-2's 50,257 tokens padded to 50,304",
    });
    const spec = decoderSpec(
      { V, d: d.value, L: L.value, H: H.value, f: 4 * d.value },
      // bias=False drops the Linear biases and the LayerNorm biases (nanoGPT's own LayerNorm): d per norm.
      { learnedPositions: T.value, norm: bias ? 'layer' : 'rms', qkvBias: bias, outBias: bias, mlpBias: bias, tied: true },
    );
    const shape = gptShape('gpt2', spec, T.value);
    const anchorPath = r.has(['globals', 'n_layer']) ? ['globals', 'n_layer'] : r.has(['globals', 'n_embd']) ? ['globals', 'n_embd'] : [];
    model = { shape: { ...shape, formula: `nanoGPT GPT: N = V·d + T·d + L·(12·d²${bias ? ' + 13·d' : ' + 2·d'}) + ${bias ? '2·d' : 'd'} (lm_head tied to wte)` }, source: L.source, anchor: r.locate(anchorPath) };
  }
  return {
    file: r.file,
    format: 'python',
    model,
    ...karpathyLoop(r, g, T),
    finetune,
    ...(assumptions.length > 0 ? { assumptions } : {}),
  };
}

/**
 * The training loop nanoGPT and llama2.c share: iter_num runs 0 … max_iters inclusive, each step batch_size ×
 * gradient_accumulation_steps sequences of T tokens (DDP divides the accumulation by the world size, so a step's
 * tokens do not depend on the device count), at the precision of `dtype`.
 */
function karpathyLoop(r: FieldReader, g: Global, T: Sourced<number> | undefined): Pick<RunFacts, 'batch' | 'sequenceLength' | 'precisionBits'> {
  const iters = num(g, 'max_iters');
  const batch = num(g, 'batch_size');
  const accum = num(g, 'gradient_accumulation_steps');
  const steps = iters ? computed(iters.value + 1, 'max_iters + 1 (the loop runs 0 … max_iters)') : undefined;
  const seqs = batch ? (accum ? computed(batch.value * accum.value, 'batch_size × gradient_accumulation_steps') : batch) : undefined;
  return {
    batch: steps && seqs && T ? { steps, sequencesPerStep: seqs, perDevice: false, sequenceLength: T } : undefined,
    sequenceLength: T,
    precisionBits: r.has(['globals', 'dtype']) ? precisionAt(r, ['globals', 'dtype']) : undefined,
  };
}

/** llama2.c's train.py (karpathy/llama2.c): a Llama-2 Transformer of its own ModelArgs. */
function readLlama2c(r: FieldReader): RunFacts {
  const g = globalsOf(r, undefined, {}, '');
  const d = num(g, 'dim');
  const L = num(g, 'n_layers');
  const H = num(g, 'n_heads');
  const K = num(g, 'n_kv_heads') ?? H;
  const V = num(g, 'vocab_size');
  const T = num(g, 'max_seq_len');
  const multiple = num(g, 'multiple_of') ?? { value: 256, source: { kind: 'default', name: 'multiple_of', reason: "llama2.c ModelArgs' default" } as Source };
  let model: ModelFacts | undefined;
  if (d && L && H && K && V) {
    // model.py: hidden_dim = multiple_of · ceil(int(2 · 4·dim / 3) / multiple_of)
    const hidden = multiple.value * Math.ceil(Math.trunc((2 * 4 * d.value) / 3) / multiple.value);
    const spec = decoderSpec({ V: V.value, d: d.value, L: L.value, H: H.value, f: hidden }, { kvHeads: K.value, gated: true, norm: 'rms', qkvBias: false, outBias: false, mlpBias: false, tied: true });
    const shape = gptShape('llama', spec, T?.value);
    model = { shape: { ...shape, formula: 'llama2.c Transformer: N = V·d (tied) + L·(4·d² with GQA + 3·d·f + 2·d) + d, f = multiple_of·⌈⌊8d/3⌋/multiple_of⌉' }, source: d.source, anchor: r.locate(['globals', 'dim']) };
  }
  return { file: r.file, format: 'python', model, ...karpathyLoop(r, g, T) };
}
