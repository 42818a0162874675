import { builderAdapter } from '../knownShapes';
import { COUNT, type FieldReader } from '../reader';
import type { LoraFacts, RunFacts } from '../facts';
import type { Sourced } from '../types';
import { computed, finishFacts, precisionAt, precisionFlags, withAnchor, type FormatContext } from './context';

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

/** Hugging Face TrainingArguments (JSON or YAML, as run_clm.py and the Trainer accept them). */
export function readTrainingArgs(r: FieldReader, ctx: FormatContext): RunFacts {
  const maxSteps = r.raw(['max_steps']);
  // The Trainer's default max_steps is -1: "use num_train_epochs".
  const steps = typeof maxSteps === 'number' && maxSteps < 0 ? undefined : r.num(['max_steps'], STEPS);
  const perDevice = r.num(['per_device_train_batch_size'], COUNT) ?? { value: 8, source: { kind: 'default', name: 'per_device_train_batch_size', reason: 'the Trainer default' } };
  const accum = r.num(['gradient_accumulation_steps'], COUNT);
  const seqPath = r.first([['max_seq_length'], ['block_size'], ['max_length'], ['model_max_length']]);
  const seq = seqPath ? r.num([...seqPath], SEQ) : undefined;
  return finishFacts({
    file: r.file,
    format: 'hf-training-args',
    name: typeof r.raw(['run_name']) === 'string' ? String(r.raw(['run_name'])) : undefined,
    ...namedModel(r, ctx, ['model_name_or_path']),
    batch: steps ? { steps, sequencesPerStep: accum ? computed(perDevice.value * accum.value, 'per_device_train_batch_size × gradient_accumulation_steps') : perDevice, perDevice: true, sequenceLength: seq } : undefined,
    sequenceLength: seq,
    epochsWithoutDataset: steps ? undefined : r.num(['num_train_epochs'], { max: 1e6 }),
    precisionBits: precisionFlags(r, [[['bf16'], 16], [['fp16'], 16], [['tf32'], 32]]),
    lora: peftLora(r),
  });
}

/** PEFT options some training-argument files carry (`use_peft`, `lora_r`, `lora_target_modules`). */
function peftLora(r: FieldReader): LoraFacts | undefined {
  const rank = r.num(['lora_r'], COUNT);
  if (!rank || r.bool(['use_peft'])?.value === false) return undefined;
  return { method: r.bool(['load_in_4bit'])?.value ? 'qlora' : 'lora', rank, targets: targetList(r, ['lora_target_modules']) };
}

function targetList(r: FieldReader, path: string[]): string[] | 'all-linear' {
  const raw = r.raw(path);
  if (raw === 'all-linear') return 'all-linear';
  if (Array.isArray(raw)) {
    r.record(path, raw);
    return raw.filter((x): x is string => typeof x === 'string');
  }
  return ['q_proj', 'v_proj'];
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

/** torchtune recipe YAML: `model._component_` is a builder (torchtune.models.llama3.lora_llama3_8b). */
export function readTorchtune(r: FieldReader, ctx: FormatContext): RunFacts {
  const builderPath = ['model', '_component_'];
  const builder = r.str(builderPath);
  const found = builder ? ctx.resolveModel(builder) : undefined;
  const model = found ? withAnchor(found, r.locate(builderPath)) : ctx.nearbyModel();
  const epochs = r.num(['epochs'], { max: 1e6 });
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
    lora = { method: adapter, rank, targets };
  }
  return finishFacts({
    file: r.file,
    format: 'torchtune',
    model,
    modelRef: model ? undefined : builder,
    batch: steps && batch ? { steps, sequencesPerStep: accum ? computed(batch.value * accum.value, 'batch_size × gradient_accumulation_steps') : batch, perDevice: true, sequenceLength: seq } : undefined,
    sequenceLength: seq,
    epochsWithoutDataset: steps ? undefined : epochs,
    precisionBits: precisionAt(r, ['dtype']),
    lora,
  });
}

/** Axolotl YAML: `base_model` is a Hub id; LoRA and QLoRA through `adapter`. */
export function readAxolotl(r: FieldReader, ctx: FormatContext): RunFacts {
  const steps = r.num(['max_steps'], STEPS);
  const micro = r.num(['micro_batch_size'], COUNT);
  const accum = r.num(['gradient_accumulation_steps'], COUNT);
  const seq = r.num(['sequence_len'], SEQ);
  const adapter = r.str(['adapter'])?.value?.toLowerCase();
  let lora: LoraFacts | undefined;
  if (adapter === 'lora' || adapter === 'qlora') {
    const rank = r.num(['lora_r'], COUNT) ?? { value: 8, source: { kind: 'default', name: 'lora_r', reason: 'PEFT default rank' } };
    const linear = r.bool(['lora_target_linear'])?.value;
    lora = { method: adapter, rank, targets: linear ? 'all-linear' : targetList(r, ['lora_target_modules']) };
  }
  return finishFacts({
    file: r.file,
    format: 'axolotl',
    ...namedModel(r, ctx, ['base_model']),
    batch: steps && micro ? { steps, sequencesPerStep: accum ? computed(micro.value * accum.value, 'micro_batch_size × gradient_accumulation_steps') : micro, perDevice: true, sequenceLength: seq } : undefined,
    sequenceLength: seq,
    epochsWithoutDataset: steps ? undefined : r.num(['num_epochs'], { max: 1e6 }),
    precisionBits: precisionFlags(r, [[['bf16'], 16], [['fp16'], 16], [['tf32'], 32]]),
    lora,
  });
}
