import type { SyntaxKind } from './parse';
import type { ConfigFormat } from './types';
import { isRecordFile } from './formats/records';
import { isDeepSeekInference } from './formats/deepseekInference';
import { isCodeCarbonHeader } from '../measured/codecarbon';
import { isWandbMetadata, isWandbSummary } from '../measured/records';

const TRAINING_ARGS_KEYS = [
  'output_dir', 'per_device_train_batch_size', 'num_train_epochs', 'max_steps', 'learning_rate', 'gradient_accumulation_steps',
  'warmup_steps', 'warmup_ratio', 'logging_steps', 'save_steps', 'evaluation_strategy', 'eval_strategy', 'lr_scheduler_type',
  'weight_decay', 'model_name_or_path', 'per_device_eval_batch_size', 'save_strategy', 'report_to',
];

const MODEL_SHAPE_KEYS = ['hidden_size', 'num_hidden_layers', 'n_embd', 'n_layer', 'd_model', 'num_attention_heads'];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Files whose names say what they are, whatever they contain. */
export function isRunFileName(path: string): boolean {
  return /\.lim\.(ya?ml|json)$/i.test(path);
}

/**
 * Which format a parsed file is, or undefined when it is not a training or model config at all (package.json,
 * tokenizer files, CI YAML …): those are skipped, not diagnosed.
 */
export function detectFormat(path: string, syntax: SyntaxKind, data: unknown): ConfigFormat | undefined {
  if (isRunFileName(path)) return 'lim-run';
  if (syntax === 'shell') {
    return isObject(data) && ('--num-layers' in data || '--hidden-size' in data || '--num-attention-heads' in data) ? 'megatron' : undefined;
  }
  // CodeCarbon's emissions.csv, by its header whatever the file is called; any other CSV is no config.
  if (syntax === 'csv') return isObject(data) && Array.isArray(data.header) && isCodeCarbonHeader(data.header as string[]) ? 'measurement' : undefined;
  // A script or notebook has data only when it defines a model or a run (src/core/python/document.ts).
  if (syntax === 'python') return isObject(data) ? (/\.ipynb$/i.test(path) ? 'notebook' : 'python') : undefined;
  if (!isObject(data)) return undefined;
  // A W&B run's wandb-summary.json and wandb-metadata.json.
  if (isWandbSummary(path, data) || isWandbMetadata(path, data)) return 'measurement';
  // The HF Trainer's records of a finished run (trainer_state.json, all_results.json, train_results.json).
  // By content too: a copied or renamed record still has the Trainer's keys.
  if ((isRecordFile(path) && ('total_flos' in data || 'global_step' in data || 'train_runtime' in data)) || ('log_history' in data && 'global_step' in data) || ('total_flos' in data && 'train_runtime' in data) || ('train_runtime' in data && 'train_samples_per_second' in data)) {
    return 'trainer-record';
  }
  // Axolotl files also carry a model_type (the HF class name), so base_model is tested first.
  if ('base_model' in data) return 'axolotl';
  if ('model_type' in data) return 'hf-model';
  if (isObject(data.model) && '_component_' in data.model) return 'torchtune';
  if (isObject(data.trainer) && isObject(data.model)) return 'nemo';
  if ('zero_optimization' in data || 'train_micro_batch_size_per_gpu' in data || ('train_batch_size' in data && ('fp16' in data || 'bf16' in data || 'optimizer' in data))) {
    return 'deepspeed';
  }
  if (isObject(data.train) && ('model_name' in data || 'checkpoint_dir' in data || 'model_config' in data || 'out_dir' in data)) return 'litgpt';
  // DeepSeek's reference-inference ModelArgs (inference/configs/config_671B.json).
  if (isDeepSeekInference(data)) return 'deepseek-inference';
  const taKeys = TRAINING_ARGS_KEYS.filter((k) => k in data).length;
  if ('per_device_train_batch_size' in data || taKeys >= 3) return 'hf-training-args';
  // A config.json that has a model's shape but lost its model_type is still a model config, and the
  // missing field is worth a diagnostic.
  if (/(^|\/)config\.json$/i.test(path.replace(/\\/g, '/')) && MODEL_SHAPE_KEYS.filter((k) => k in data).length >= 2) return 'hf-model';
  return undefined;
}
