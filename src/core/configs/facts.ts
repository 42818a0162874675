import { formatInteger } from '../units/format';
import type { ModelShape } from './shape';
import type { ConfigFormat, FieldLocation, Source, Sourced } from './types';

/** The model a run trains: its counted shape, where that came from and where a CodeLens should sit. */
export interface ModelFacts {
  shape: ModelShape;
  source: Source;
  /** The field that defines the model (model_type, model._component_, base_model …) in the analysed file. */
  anchor?: FieldLocation;
}

export interface LoraFacts {
  method: 'lora' | 'qlora' | 'dora';
  rank: Sourced<number>;
  /** Module names as the config writes them, or every linear layer. */
  targets: string[] | 'all-linear';
  /** The frozen base weights' storage when quantised (QLoRA: 4); the adapters train at the run's precision. */
  baseBits?: Sourced<number>;
  /** The embedding matrices the run trains besides the adapters of its blocks, and how. */
  embeddings?: LoraEmbeddings;
}

/** The input embedding and the output head, as PEFT names them. */
export type EmbeddingModule = 'embed_tokens' | 'lm_head';
export const EMBEDDING_MODULES: readonly EmbeddingModule[] = ['embed_tokens', 'lm_head'];

/**
 * Embedding matrices a LoRA run trains. `full`: every weight of the matrix (PEFT's modules_to_save, Axolotl's
 * lora_modules_to_save, LLaMA-Factory's additional_target, and Unsloth's get_peft_model when they are among its
 * target_modules): vocabulary × width each, one matrix when input and output are tied. `adapted`: a LoRA adapter of
 * its own (PEFT, Axolotl or LLaMA-Factory with them among the targets, torchtune's apply_lora_to_output):
 * rank × (vocabulary + width) each.
 */
export interface LoraEmbeddings {
  full: EmbeddingModule[];
  adapted: EmbeddingModule[];
  /** The field that named them, for the message that counts them. */
  at: string[];
}

/**
 * Trainable parameters of the embedding matrices a LoRA run trains besides its blocks' adapters (LoraEmbeddings):
 * vocabulary × width for each matrix trained in full (one matrix when the input and output embeddings are tied),
 * rank × (vocabulary + width) for each one given an adapter of its own. Undefined when there are none or the
 * model's vocabulary is unknown.
 */
export function embeddingParams(shape: ModelShape, rank: number, e: LoraEmbeddings): { params: number; formula: string } | undefined {
  const V = shape.vocab;
  const d = shape.hidden;
  if (!(V > 0 && d > 0)) return undefined;
  const full = [...new Set(e.full)];
  const adapted = [...new Set(e.adapted)].filter((m) => !full.includes(m));
  // Tied input and output embeddings are one matrix: the embedding count then holds one vocabulary × width.
  const tied = shape.params.embedding < 2 * V * d;
  const matrices = full.length > 1 && tied ? 1 : full.length;
  const parts: string[] = [];
  let params = 0;
  if (matrices > 0) {
    params += matrices * V * d;
    parts.push(`${full.join(' + ')} in full: ${matrices > 1 ? `${matrices} × ` : ''}vocabulary (${formatInteger(V)}) × width (${formatInteger(d)})${full.length > 1 && tied ? ', one matrix: tied' : ''}`);
  }
  if (adapted.length > 0) {
    params += adapted.length * rank * (V + d);
    parts.push(`LoRA on ${adapted.join(' + ')}: ${adapted.length > 1 ? `${adapted.length} × ` : ''}rank (${rank}) × (vocabulary ${formatInteger(V)} + width ${formatInteger(d)})`);
  }
  return params > 0 ? { params, formula: parts.join('; ') } : undefined;
}

/** A dataset a fine-tune names, as written, with the split and the share of it the run reads. */
export interface DatasetRef {
  name: Sourced<string>;
  split?: string;
  /** Share of the split's rows used (a mixer weight); 1 when absent. */
  fraction?: number;
  /** Rows taken, when the file gives a count instead of a share (open-instruct's dataset_mixer values above 1). */
  rows?: number;
}

/**
 * What makes a run a fine-tune or preference run, and what in the file bounds its size: the datasets, their caps,
 * the epochs and the length cap of a row. Sized by the estimate stage from the table of known datasets.
 */
export interface FinetuneFacts {
  /** Why this is a fine-tune, as the file says it ("adapter: qlora", "stage: dpo", "checkpoint_dir"). */
  evidence: string;
  objective: 'sft' | 'preference';
  /** Each row is a chosen + rejected pair (DPO, ORPO, IPO, SimPO, reward models): two sequences per row. */
  pairs: boolean;
  datasets: DatasetRef[];
  /** At most this many rows from each dataset (LLaMA-Factory max_samples). */
  maxSamplesPerDataset?: Sourced<number>;
  /** Rows held out for evaluation from the merged datasets: a fraction below 1, or a count. */
  heldOut?: Sourced<number>;
  epochs?: Sourced<number>;
  /** The longest a row's sequence can be (each of chosen and rejected for pairs). */
  lengthCap?: Sourced<number>;
  packed?: boolean;
  /** The file's step cap never runs past its epochs (torchtune's max_steps_per_epoch): D is the lesser of the two bounds. */
  stepsWithinEpochs?: boolean;
  /** What to add to this file to bound the run, in this format's own keys. */
  sizeHint: string;
}

/**
 * Tokens as steps × sequences per step × sequence length, where the batch may be per device (HF Trainer,
 * Axolotl, torchtune): then D depends on the device count, which only the estimate stage knows.
 */
export interface BatchRecipe {
  steps: Sourced<number>;
  sequencesPerStep: Sourced<number>;
  perDevice: boolean;
  sequenceLength?: Sourced<number>;
}

/** Everything one file says about a training run, each value with where it was read. */
export interface RunFacts {
  file: string;
  format: ConfigFormat;
  name?: string;
  model?: ModelFacts;
  /** A model name or path that could not be resolved (reported as a diagnostic). */
  modelRef?: Sourced<string>;
  params?: Sourced<number>;
  activeParams?: Sourced<number>;
  tokens?: Sourced<number>;
  flops?: Sourced<number>;
  batch?: BatchRecipe;
  sequenceLength?: Sourced<number>;
  samples?: Sourced<number>;
  epochs?: Sourced<number>;
  /** Epochs were given but not the dataset size, so they cannot give D on their own. */
  epochsWithoutDataset?: Sourced<number>;
  precisionBits?: Sourced<number>;
  hardware?: Sourced<string>;
  devices?: Sourced<number>;
  hours?: Sourced<number>;
  deviceHours?: Sourced<number>;
  utilization?: Sourced<number>;
  powerW?: Sourced<number>;
  pue?: Sourced<number>;
  gridKgPerKwh?: Sourced<number>;
  temperatureK?: Sourced<number>;
  lora?: LoraFacts;
  /** Set for fine-tunes and preference runs: they are never sized by the pretraining default. */
  finetune?: FinetuneFacts;
  /** Defaults the file's own values rest on (an environment variable's default, an assumed vocabulary …). */
  assumptions?: Array<{ name: string; value: unknown; reason: string }>;
}

/** Bits per parameter from the ways configs name a precision; undefined when the text is not one. */
export function bitsFromPrecision(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^(fp8|float8|e4m3|e5m2|hybrid|8|8-mixed|transformer-engine)$/.test(t) || t.startsWith('float8')) return 8;
  if (/^(bf16|bfloat16|fp16|float16|half|16|16-mixed|bf16-mixed|bf16-true|16-true|amp|mixed)$/.test(t)) return 16;
  if (/^(fp32|float32|float|32|32-true|tf32|full)$/.test(t)) return 32;
  if (/^(fp64|float64|double|64|64-true)$/.test(t)) return 64;
  if (/^(nf4|fp4|int4|4bit|4-bit)$/.test(t)) return 4;
  if (/^(int8|8bit|8-bit)$/.test(t)) return 8;
  return undefined;
}
