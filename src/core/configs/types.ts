/**
 * Shared shapes of the config engine. Everything here is plain data so results can cross the worker boundary
 * as JSON and a hover provider can map a cursor offset back to the field that produced a number.
 */

/** Where a field sits in its file. `line` and `column` are 1-based for display; `offset` is 0-based. */
export interface FieldLocation {
  path: string[];
  line: number;
  column: number;
  offset: number;
  length: number;
}

/** A field the engine read, with the value it used (after variable substitution in shell scripts). */
export interface FieldRef extends FieldLocation {
  file: string;
  /** Dotted display name, e.g. "model.hidden_size" or "--num-layers". */
  field: string;
  value: unknown;
}

export type Severity = 'error' | 'warning' | 'info';

export interface ConfigDiagnostic {
  file: string;
  line: number;
  column: number;
  /** Dotted field name the problem is about, "" for the whole file. */
  field: string;
  severity: Severity;
  /** Stable identifier for tests and quick fixes, e.g. "json-syntax", "missing-field". */
  code: string;
  message: string;
  offset: number;
  length: number;
}

/**
 * Where a number comes from: read from a file, measured (a training record of the run that happened: the HF
 * Trainer's total_flos, train_runtime), a default (which and why), a formula over other numbers, a setting or flag
 * that overrode the file, or the bundled table of known model shapes.
 */
export type Source =
  | { kind: 'read'; file: string; field: string; line: number; column: number; offset: number; length: number }
  | { kind: 'measured'; file: string; field: string; line: number; column: number; offset: number; length: number }
  | { kind: 'default'; name: string; reason: string }
  | { kind: 'computed'; formula: string }
  | { kind: 'setting'; name: string }
  | { kind: 'known-shape'; key: string; source: string };

export interface Sourced<T> {
  value: T;
  source: Source;
}

export type ConfigFormat =
  | 'hf-model'
  | 'hf-training-args'
  | 'megatron'
  | 'nemo'
  | 'deepspeed'
  | 'torchtune'
  | 'axolotl'
  | 'litgpt'
  | 'deepseek-inference'
  | 'trainer-record'
  | 'measurement'
  | 'lim-run'
  | 'python'
  | 'notebook';

export const FORMAT_LABELS: Record<ConfigFormat, string> = {
  'hf-model': 'Hugging Face model config',
  'hf-training-args': 'Hugging Face TrainingArguments',
  megatron: 'Megatron-LM arguments',
  nemo: 'NeMo config',
  deepspeed: 'DeepSpeed config',
  torchtune: 'torchtune config',
  axolotl: 'Axolotl config',
  litgpt: 'LitGPT config',
  'deepseek-inference': 'DeepSeek inference config',
  'trainer-record': 'Hugging Face Trainer record',
  measurement: 'Measured run record',
  'lim-run': 'LIM Lens run file',
  python: 'Python training script',
  notebook: 'Jupyter notebook',
};

/** A document as the editor or the CLI holds it: a path (for messages and sibling lookup) and its text. */
export interface ConfigDocument {
  path: string;
  text: string;
}

export function describeSource(s: Source): string {
  switch (s.kind) {
    case 'read':
      return `read from ${s.file}:${s.line}:${s.column} (${s.field})`;
    case 'measured':
      return `measured: ${s.field} in ${s.file}:${s.line}:${s.column}, recorded by the training run`;
    case 'default':
      return `default ${s.name}: ${s.reason}`;
    case 'computed':
      return `computed: ${s.formula}`;
    case 'setting':
      return `set by ${s.name}`;
    case 'known-shape':
      return `known shape ${s.key} (${s.source})`;
  }
}
