import { builderAdapter } from '../knownShapes';
import { COUNT, type FieldReader } from '../reader';
import { EMBEDDING_MODULES, type DatasetRef, type EmbeddingModule, type FinetuneFacts, type LoraEmbeddings, type LoraFacts, type RunFacts } from '../facts';
import type { Sourced } from '../types';
import { computed, finishFacts, precisionAt, precisionFlags, withAnchor, type FormatContext } from './context';
import { timesNodes } from './nemo';
import { lineStarts, positionAt } from '../lines';

/** Reads the model a fine-tuning config names, falling back to a config.json beside it. */
function namedModel(r: FieldReader, ctx: FormatContext, path: string[]): Pick<RunFacts, 'model' | 'modelRef'> {
  const ref = r.has(path) ? r.str(path) : undefined;
  if (ref) {
    const model = ctx.resolveModel(ref);
    if (model) return { model: withAnchor(model, r.locate(path)) };
    const nearby = ctx.nearbyModel();
    return nearby ? { model: nearby } : { modelRef: ref };
  }
  const nearby = ctx.nearbyModel();
  return nearby ? { model: nearby } : {};
}

const STEPS = { integer: true, max: 1e10 } as const;
const SEQ = { integer: true, max: 1e8 } as const;
const EPOCHS = { max: 1e6 } as const;
const ROWS = { integer: true, max: 1e12 } as const;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A dataset named by a string field (`dataset_name: tatsu-lab/alpaca`). */
export function datasetAt(r: FieldReader, path: string[], split?: string, fraction?: number): DatasetRef | undefined {
  const raw = r.raw(path);
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const name = r.str(path);
  return name ? { name, ...(split ? { split } : {}), ...(fraction !== undefined && fraction !== 1 ? { fraction } : {}) } : undefined;
}

/** Several datasets in one string (`dataset: identity,alpaca_en_demo`) or a list of strings. */
function datasetList(r: FieldReader, path: string[]): DatasetRef[] {
  const raw = r.raw(path);
  if (typeof raw === 'string') {
    const src = r.source(path);
    r.record(path, raw);
    return raw.split(',').map((s) => s.trim()).filter(Boolean).map((value) => ({ name: { value, source: src } }));
  }
  if (Array.isArray(raw)) return raw.flatMap((_, i) => datasetAt(r, [...path, String(i)]) ?? []);
  return [];
}

/** A held-out share: a fraction below 1 or a row count (val_set_size, val_size, val_split_fraction). */
function heldOutAt(r: FieldReader, path: string[]): Sourced<number> | undefined {
  const raw = r.raw(path);
  if (typeof raw !== 'number' || raw <= 0) return undefined;
  return r.num(path, { max: 1e12 });
}

/** PEFT's, TRL's and LLaMA-Factory's target module spellings: a list, "all-linear", "all" or "q_proj,v_proj". */
function targetList(r: FieldReader, paths: string[][]): string[] | 'all-linear' {
  for (const path of paths) {
    const raw = r.raw(path);
    if (raw === undefined || raw === null) continue;
    if (raw === 'all-linear' || raw === 'all') {
      r.record(path, raw);
      return 'all-linear';
    }
    if (Array.isArray(raw)) {
      r.record(path, raw);
      return raw.filter((x): x is string => typeof x === 'string');
    }
    if (typeof raw === 'string') {
      r.record(path, raw);
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    }
  }
  return ['q_proj', 'v_proj'];
}

/** The embedding modules a list of module names holds (PEFT's names: embed_tokens, lm_head). */
function embeddingNames(names: readonly string[]): EmbeddingModule[] {
  return EMBEDDING_MODULES.filter((m) => names.includes(m));
}

/**
 * The embedding matrices a LoRA run trains besides its blocks: those among its `targets` get adapters of their own
 * (PEFT wraps an embedding or the output head like any linear), those among the modules saved whole (the first of
 * `savedPaths` the file sets: PEFT's modules_to_save, Axolotl's lora_modules_to_save, LLaMA-Factory's
 * additional_target) train in full.
 */
function loraEmbeddings(r: FieldReader, targets: string[] | 'all-linear', targetPaths: string[][], savedPaths: string[][]): LoraEmbeddings | undefined {
  const adapted = targets === 'all-linear' ? [] : embeddingNames(targets);
  let full: EmbeddingModule[] = [];
  let at = adapted.length > 0 ? targetPaths.find((p) => r.has(p)) : undefined;
  for (const path of savedPaths) {
    const raw = r.raw(path);
    const names = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : typeof raw === 'string' ? raw.split(',').map((x) => x.trim()) : undefined;
    if (!names) continue;
    r.record(path, raw);
    full = embeddingNames(names);
    if (full.length > 0) at = path;
    break;
  }
  if (adapted.length === 0 && full.length === 0) return undefined;
  return { full, adapted: adapted.filter((m) => !full.includes(m)), at: at ?? targetPaths[0] };
}

/** The frozen base's storage bits from 4-/8-bit loading switches (QLoRA and friends). */
function baseBitsOf(r: FieldReader, switches: Array<[string[], number]>): Sourced<number> | undefined {
  for (const [path, bits] of switches) {
    if (r.bool(path)?.value) return { value: bits, source: r.source(path) };
  }
  return undefined;
}

/** A preference objective's name: pairs of chosen + rejected sequences, except KTO's single labelled completions. */
export function preferencePairs(name: string): boolean {
  return !/kto/i.test(name);
}

/** Hugging Face TrainingArguments (JSON or YAML), and the TRL, alignment-handbook and LLaMA-Factory files built on them. */
export function readTrainingArgs(r: FieldReader, ctx: FormatContext): RunFacts {
  const maxSteps = r.raw(['max_steps']);
  // The Trainer's default max_steps is -1: "use num_train_epochs".
  const steps = typeof maxSteps === 'number' && maxSteps < 0 ? undefined : r.num(['max_steps'], STEPS);
  const perDevice = r.num(['per_device_train_batch_size'], COUNT) ?? { value: 8, source: { kind: 'default', name: 'per_device_train_batch_size', reason: 'the Trainer default' } };
  const accum = r.num(['gradient_accumulation_steps'], COUNT);
  // cutoff_len is LLaMA-Factory's; max_seq_length and max_length TRL's (max_length per sequence: prompt + completion).
  const seqPath = r.first([['max_seq_length'], ['cutoff_len'], ['max_length'], ['block_size'], ['model_max_length']]);
  const seq = seqPath ? r.num([...seqPath], SEQ) : undefined;
  const lora = peftLora(r);
  const finetune = trainerFinetune(r, lora, seq, steps !== undefined);
  return finishFacts({
    file: r.file,
    format: 'hf-training-args',
    name: typeof r.raw(['run_name']) === 'string' ? String(r.raw(['run_name'])) : undefined,
    ...namedModel(r, ctx, ['model_name_or_path']),
    batch: steps ? { steps, sequencesPerStep: accum ? computed(perDevice.value * accum.value, 'per_device_train_batch_size × gradient_accumulation_steps') : perDevice, perDevice: true, sequenceLength: seq } : undefined,
    sequenceLength: seq,
    epochsWithoutDataset: steps || finetune ? undefined : r.num(['num_train_epochs'], EPOCHS),
    precisionBits: precisionFlags(r, [[['bf16'], 16], [['fp16'], 16], [['tf32'], 32]]),
    lora,
    finetune,
  });
}

const LLAMA_FACTORY_STAGES: Record<string, 'sft' | 'preference' | 'pretrain'> = { pt: 'pretrain', sft: 'sft', rm: 'preference', ppo: 'preference', dpo: 'preference', kto: 'preference' };

function trainerFinetune(r: FieldReader, lora: LoraFacts | undefined, lengthCap: Sourced<number> | undefined, stepped: boolean): FinetuneFacts | undefined {
  const stage = typeof r.raw(['stage']) === 'string' ? r.str(['stage']) : undefined;
  const stageKind = stage ? LLAMA_FACTORY_STAGES[stage.value.toLowerCase()] : undefined;
  // TRL's preference configs: beta (DPO, ORPO, KTO, CPO), max_prompt_length; KTO's desirable/undesirable weights.
  const trlPreference = r.has(['beta']) || r.has(['max_prompt_length']);
  const kto = stage?.value.toLowerCase() === 'kto' || r.has(['desirable_weight']) || r.has(['undesirable_weight']) || /kto/i.test(String(r.raw(['loss_type']) ?? ''));
  const datasets: DatasetRef[] = [];
  let heldOut = heldOutAt(r, ['val_size']);
  // LLaMA-Factory: dataset: "identity,alpaca_en_demo"; TRL: dataset_name (+ dataset_train_split).
  datasets.push(...datasetList(r, ['dataset']));
  const trainSplit = typeof r.raw(['dataset_train_split']) === 'string' ? r.str(['dataset_train_split'])?.value : undefined;
  const named = datasetAt(r, ['dataset_name'], trainSplit);
  if (named) datasets.push(named);
  // run_clm.py, run_summarization.py …: a local train_file, whose size only the file system knows.
  const local = named ? undefined : datasetAt(r, ['train_file']);
  if (local) datasets.push(local);
  // alignment-handbook: dataset_mixer {id: fraction} with dataset_splits, or dataset_mixture {datasets: [{id, split, weight}]}.
  const mixer = r.raw(['dataset_mixer']);
  if (isObject(mixer)) {
    const splitsRaw = r.raw(['dataset_splits']);
    const splits = Array.isArray(splitsRaw) ? splitsRaw.filter((s): s is string => typeof s === 'string' && /train/i.test(s)) : [];
    if (Array.isArray(splitsRaw)) r.record(['dataset_splits'], splitsRaw);
    for (const id of Object.keys(mixer)) {
      const w = typeof mixer[id] === 'number' ? (mixer[id] as number) : 1;
      r.record(['dataset_mixer', id], mixer[id]);
      const name = { value: id, source: r.source(['dataset_mixer', id]) };
      // A value above 1 is a row count (open-instruct), at most 1 a share of the rows (alignment-handbook).
      if (w > 1) datasets.push({ name, rows: Math.floor(w) });
      else for (const split of splits.length > 0 ? splits : [undefined]) datasets.push({ name, ...(split ? { split } : {}), ...(w !== 1 ? { fraction: w } : {}) });
    }
  }
  const mixture = r.raw(['dataset_mixture', 'datasets']);
  if (Array.isArray(mixture)) {
    mixture.forEach((entry, i) => {
      if (!isObject(entry) || typeof entry.id !== 'string') return;
      const at = ['dataset_mixture', 'datasets', String(i)];
      const split = typeof entry.split === 'string' ? entry.split : undefined;
      const weight = typeof entry.weight === 'number' ? entry.weight : 1;
      const ref = datasetAt(r, [...at, 'id'], split, weight);
      if (ref) datasets.push(ref);
    });
    heldOut = r.num(['dataset_mixture', 'test_split_size'], ROWS) ?? heldOut;
  }
  let evidence: string | undefined;
  if (lora) evidence = `${lora.method === 'qlora' ? 'QLoRA' : lora.method === 'dora' ? 'DoRA' : 'LoRA'} adapters (rank ${lora.rank.value})`;
  else if (stage && stageKind && stageKind !== 'pretrain') evidence = `stage: ${stage.value}`;
  else if (trlPreference) evidence = r.has(['beta']) ? 'a preference objective (beta)' : 'a preference objective (max_prompt_length)';
  else if (stageKind !== 'pretrain' && r.has(['model_name_or_path'])) evidence = 'trains the pretrained checkpoint in model_name_or_path';
  if (!evidence) return undefined;
  const preference = stageKind === 'preference' || trlPreference;
  // The Trainer's num_train_epochs defaults to 3.0 (TrainingArguments), which LLaMA-Factory and TRL inherit.
  const epochs = r.num(['num_train_epochs'], EPOCHS) ?? (stepped ? undefined : { value: 3, source: { kind: 'default' as const, name: 'num_train_epochs', reason: 'the Hugging Face Trainer default, 3.0' } });
  const packing = r.bool(['packing'])?.value ?? r.bool(['neat_packing'])?.value;
  return {
    evidence,
    objective: preference ? 'preference' : 'sft',
    pairs: preference && !kto,
    datasets,
    maxSamplesPerDataset: r.num(['max_samples'], ROWS),
    heldOut,
    epochs,
    lengthCap,
    ...(packing !== undefined ? { packed: packing } : {}),
    sizeHint: 'max_steps, or a length cap (max_seq_length, max_length or cutoff_len) with a dataset of known size (dataset, dataset_name)',
  };
}

/** PEFT options of training-argument files: TRL's `use_peft`, `lora_r`, `lora_target_modules`; LLaMA-Factory's `finetuning_type`, `lora_rank`, `lora_target`, `quantization_bit`. */
function peftLora(r: FieldReader): LoraFacts | undefined {
  const type = typeof r.raw(['finetuning_type']) === 'string' ? r.str(['finetuning_type'])?.value.toLowerCase() : undefined;
  if (type !== undefined && type !== 'lora') return undefined;
  if (r.bool(['use_peft'])?.value === false) return undefined;
  let rank = r.num(['lora_r'], COUNT) ?? r.num(['lora_rank'], COUNT);
  // LLaMA-Factory's finetuning_type defaults to lora, its lora_rank to 8.
  if (!rank && (type === 'lora' || (typeof r.raw(['stage']) === 'string' && type === undefined && r.has(['lora_target'])))) {
    rank = { value: 8, source: { kind: 'default', name: 'lora_rank', reason: 'the LLaMA-Factory default rank' } };
  }
  if (!rank) return undefined;
  const qbits = r.num(['quantization_bit'], { integer: true, max: 16 });
  const baseBits = qbits ?? baseBitsOf(r, [[['load_in_4bit'], 4], [['load_in_8bit'], 8]]);
  const dora = r.bool(['use_dora'])?.value;
  const targetPaths = [['lora_target_modules'], ['lora_target'], ['target_modules'], ['trainable']];
  const targets = targetList(r, targetPaths);
  const embeddings = loraEmbeddings(r, targets, targetPaths, [['lora_modules_to_save'], ['modules_to_save'], ['additional_target']]);
  return {
    method: dora ? 'dora' : baseBits && baseBits.value <= 4 ? 'qlora' : 'lora',
    rank,
    targets,
    ...(baseBits ? { baseBits } : {}),
    ...(embeddings ? { embeddings } : {}),
  };
}

/** DeepSpeed JSON: batch and precision only; the model comes from a config.json nearby. */
export function readDeepSpeed(r: FieldReader, ctx: FormatContext): RunFacts {
  const facts: RunFacts = {
    file: r.file,
    format: 'deepspeed',
    ...namedModel(r, ctx, ['model_name_or_path']),
    precisionBits: precisionFlags(r, [[['bf16'], 16], [['fp16'], 16]]),
  };
  for (const k of ['train_batch_size', 'train_micro_batch_size_per_gpu', 'gradient_accumulation_steps']) if (r.raw([k]) !== 'auto') r.num([k], COUNT);
  if (!facts.model) r.report([], 'no-model', 'DeepSpeed configs do not name the model: put its config.json in this folder or its parent, or describe the run in a *.lim.yaml file', 'warning');
  return finishFacts(facts);
}

/** torchtune dataset builders and sources: one dict or a list of them. */
function torchtuneDatasets(r: FieldReader): { refs: DatasetRef[]; packed?: boolean; builders: string[] } {
  const raw = r.raw(['dataset']);
  const entries: string[][] = Array.isArray(raw) ? raw.map((_, i) => ['dataset', String(i)]) : isObject(raw) ? [['dataset']] : [];
  const refs: DatasetRef[] = [];
  const builders: string[] = [];
  let packed: boolean | undefined;
  for (const at of entries) {
    const builder = typeof r.raw([...at, '_component_']) === 'string' ? r.str([...at, '_component_']) : undefined;
    if (builder) builders.push(builder.value);
    const split = typeof r.raw([...at, 'split']) === 'string' ? r.str([...at, 'split'])?.value : undefined;
    // Generic builders (instruct_dataset, chat_dataset, preference_dataset) read `source`; the named ones know theirs.
    const ref = datasetAt(r, [...at, 'source'], split) ?? (builder ? { name: builder, ...(split ? { split } : {}) } : undefined);
    if (ref) refs.push(ref);
    const p = r.bool([...at, 'packed'])?.value;
    if (p !== undefined) packed = (packed ?? false) || p;
  }
  return { refs, packed, builders };
}

/** torchtune recipe YAML: `model._component_` is a builder (torchtune.models.llama3.lora_llama3_8b). */
export function readTorchtune(r: FieldReader, ctx: FormatContext): RunFacts {
  const builderPath = ['model', '_component_'];
  const builder = r.str(builderPath);
  const found = builder ? ctx.resolveModel(builder) : undefined;
  const model = found ? withAnchor(found, r.locate(builderPath)) : ctx.nearbyModel();
  const epochs = r.num(['epochs'], EPOCHS);
  const perEpoch = r.num(['max_steps_per_epoch'], STEPS);
  const batch = r.num(['batch_size'], COUNT);
  const accum = r.num(['gradient_accumulation_steps'], COUNT);
  const seq = r.num(['tokenizer', 'max_seq_len'], SEQ);
  const steps: Sourced<number> | undefined = perEpoch ? (epochs ? computed(epochs.value * perEpoch.value, 'epochs × max_steps_per_epoch') : perEpoch) : undefined;
  const adapter = builder ? builderAdapter(builder.value) : undefined;
  let lora: LoraFacts | undefined;
  if (adapter) {
    const rank = r.num(['model', 'lora_rank'], COUNT) ?? { value: 8, source: { kind: 'default', name: 'lora_rank', reason: 'torchtune builder default' } };
    const attn = r.raw(['model', 'lora_attn_modules']);
    const targets = (Array.isArray(attn) ? attn : ['q_proj', 'v_proj']).map((t) => (t === 'output_proj' ? 'o_proj' : String(t)));
    if (Array.isArray(attn)) r.record(['model', 'lora_attn_modules'], attn);
    if (r.bool(['model', 'apply_lora_to_mlp'])?.value) targets.push('gate_proj', 'up_proj', 'down_proj');
    // The output projection (torchtune's `output`, PEFT's lm_head) with an adapter of its own; torchtune puts none
    // on the token embeddings.
    const output = r.bool(['model', 'apply_lora_to_output'])?.value === true;
    const dora = r.bool(['model', 'use_dora'])?.value;
    lora = {
      method: dora ? 'dora' : adapter,
      rank,
      targets,
      ...(adapter === 'qlora' && builder ? { baseBits: { value: 4, source: builder.source } } : {}),
      ...(output ? { embeddings: { full: [], adapted: ['lm_head'], at: ['model', 'apply_lora_to_output'] } } : {}),
    };
  }
  const data = torchtuneDatasets(r);
  const lossRaw = r.raw(['loss', '_component_']);
  const loss = typeof lossRaw === 'string' ? lossRaw : '';
  const preference = /(DPO|ORPO|SimPO|RSO|IPO|KTO)Loss/i.test(loss) || data.builders.some((b) => /(paired|preference|hh_rlhf)/i.test(b));
  let finetune: FinetuneFacts | undefined;
  // torchtune fine-tunes a checkpoint: every recipe loads one (checkpointer) and trains it on a dataset.
  const evidence = lora ? `${lora.method === 'qlora' ? 'QLoRA' : lora.method === 'dora' ? 'DoRA' : 'LoRA'} builder ${builder?.value}` : r.has(['checkpointer', 'checkpoint_dir']) ? 'the recipe loads a base checkpoint (checkpointer.checkpoint_dir)' : data.refs.length > 0 ? 'a torchtune fine-tuning recipe' : undefined;
  if (evidence) {
    if (loss) r.record(['loss', '_component_'], loss);
    finetune = {
      evidence,
      objective: preference ? 'preference' : 'sft',
      pairs: preference && preferencePairs(loss || data.builders.join(' ')),
      datasets: data.refs,
      epochs,
      lengthCap: seq,
      ...(data.packed !== undefined ? { packed: data.packed } : {}),
      ...(perEpoch ? { stepsWithinEpochs: true } : {}),
      sizeHint: 'tokenizer.max_seq_len (a length cap per row) or max_steps_per_epoch',
    };
  }
  return finishFacts({
    file: r.file,
    format: 'torchtune',
    model,
    modelRef: model ? undefined : builder,
    batch: steps && batch ? { steps, sequencesPerStep: accum ? computed(batch.value * accum.value, 'batch_size × gradient_accumulation_steps') : batch, perDevice: true, sequenceLength: seq } : undefined,
    sequenceLength: seq,
    epochsWithoutDataset: steps || finetune ? undefined : epochs,
    precisionBits: precisionAt(r, ['dtype']),
    devices: tuneRunDevices(r),
    lora,
    finetune,
  });
}

/**
 * torchtune recipes state their launch in a comment at the top: `# tune run --nnodes 1 --nproc_per_node 4
 * lora_finetune_distributed --config …`. The counts are read from those comment lines, each located where it is
 * written; when the lines disagree the file does not state one count, and none is read.
 */
function tuneRunDevices(r: FieldReader): Sourced<number> | undefined {
  const text = r.doc.text;
  const found: Array<{ perNode: Sourced<number>; nodes?: Sourced<number> }> = [];
  const starts = lineStarts(text);
  const at = (offset: number, digits: string, field: string): Sourced<number> => {
    const { line, column } = positionAt(starts, offset);
    return { value: Number(digits), source: { kind: 'read', file: r.file, field, line, column, offset, length: digits.length } };
  };
  const lineRe = /^[ \t]*#[^\n]*?\btune[ \t]+run\b[^\n]*/gm;
  for (let m = lineRe.exec(text); m && found.length < 100; m = lineRe.exec(text)) {
    const flag = (re: RegExp, name: string) => {
      const f = re.exec(m![0]);
      return f && Number(f[1]) >= 1 ? at(m!.index + f.index + f[0].length - f[1].length, f[1], `tune run ${name}`) : undefined;
    };
    const perNode = flag(/(?:^|\s)--nproc[_-]per[_-]node(?:=|[ \t]+)(\d{1,7})\b/, '--nproc_per_node');
    if (perNode) found.push({ perNode, nodes: flag(/(?:^|\s)--nnodes(?:=|[ \t]+)(\d{1,7})\b/, '--nnodes') });
  }
  const total = (x: (typeof found)[number]) => x.perNode.value * (x.nodes?.value ?? 1);
  if (found.length === 0 || found.some((x) => total(x) !== total(found[0]))) return undefined;
  const { perNode, nodes } = found[0];
  return timesNodes(perNode, 'tune run --nproc_per_node', nodes, 'tune run --nnodes');
}

/** Axolotl YAML: `base_model` is a Hub id; LoRA and QLoRA through `adapter`; preference training through `rl`. */
export function readAxolotl(r: FieldReader, ctx: FormatContext): RunFacts {
  const steps = r.num(['max_steps'], STEPS);
  const micro = r.num(['micro_batch_size'], COUNT);
  const accum = r.num(['gradient_accumulation_steps'], COUNT);
  const seq = r.num(['sequence_len'], SEQ);
  const adapter = typeof r.raw(['adapter']) === 'string' ? r.str(['adapter'])?.value?.toLowerCase() : undefined;
  let lora: LoraFacts | undefined;
  if (adapter === 'lora' || adapter === 'qlora') {
    const rank = r.num(['lora_r'], COUNT) ?? { value: 8, source: { kind: 'default', name: 'lora_r', reason: 'PEFT default rank' } };
    const linear = r.bool(['lora_target_linear'])?.value;
    const baseBits = baseBitsOf(r, [[['load_in_4bit'], 4], [['load_in_8bit'], 8]]);
    // lora_target_linear adds every linear of the blocks to lora_target_modules (the output head is no block's).
    const listed = targetList(r, [['lora_target_modules']]);
    const embeddings = loraEmbeddings(r, listed, [['lora_target_modules']], [['lora_modules_to_save']]);
    lora = {
      method: r.bool(['peft_use_dora'])?.value ? 'dora' : adapter,
      rank,
      targets: linear ? 'all-linear' : listed,
      ...(baseBits ? { baseBits } : adapter === 'qlora' ? { baseBits: { value: 4, source: r.source(['adapter']) } } : {}),
      ...(embeddings ? { embeddings } : {}),
    };
  }
  const raw = r.raw(['datasets']);
  const refs: DatasetRef[] = [];
  if (Array.isArray(raw)) {
    raw.forEach((entry, i) => {
      if (!isObject(entry)) return;
      const at = ['datasets', String(i)];
      const split = typeof entry.split === 'string' ? entry.split : undefined;
      const ref = datasetAt(r, [...at, 'path'], split);
      if (ref) refs.push(ref);
    });
  }
  const rl = typeof r.raw(['rl']) === 'string' ? r.str(['rl']) : undefined;
  const pretraining = r.has(['pretraining_dataset']);
  let finetune: FinetuneFacts | undefined;
  const evidence = lora
    ? `${lora.method === 'qlora' ? 'QLoRA' : lora.method === 'dora' ? 'DoRA' : 'LoRA'} adapters (adapter: ${adapter})`
    : rl
      ? `rl: ${rl.value}`
      : refs.length > 0 && !pretraining
        ? 'trains base_model on fine-tuning datasets'
        : undefined;
  if (evidence) {
    finetune = {
      evidence,
      objective: rl ? 'preference' : 'sft',
      pairs: rl ? preferencePairs(rl.value) : false,
      datasets: refs,
      heldOut: heldOutAt(r, ['val_set_size']),
      epochs: r.num(['num_epochs'], EPOCHS),
      lengthCap: seq,
      ...(r.bool(['sample_packing'])?.value !== undefined ? { packed: r.bool(['sample_packing'])!.value } : {}),
      sizeHint: 'max_steps, or sequence_len and num_epochs with datasets of known size',
    };
  }
  return finishFacts({
    file: r.file,
    format: 'axolotl',
    ...namedModel(r, ctx, ['base_model']),
    batch: steps && micro ? { steps, sequencesPerStep: accum ? computed(micro.value * accum.value, 'micro_batch_size × gradient_accumulation_steps') : micro, perDevice: true, sequenceLength: seq } : undefined,
    sequenceLength: seq,
    epochsWithoutDataset: steps || finetune ? undefined : r.num(['num_epochs'], EPOCHS),
    precisionBits: precisionFlags(r, [[['bf16'], 16], [['fp16'], 16], [['tf32'], 32]]),
    lora,
    finetune,
  });
}
