import { readModelShape, SUPPORTED_MODEL_TYPES } from '../families';
import type { FieldReader } from '../reader';
import type { ModelFacts, RunFacts } from '../facts';
import { finishFacts, precisionAt, type FormatContext } from './context';
import { measuredFromRecords } from './records';
import { basenameOf } from '../relpath';

/** Counts the model a Hugging Face config.json describes; `at` is the config's path inside its document. */
export function modelFromHfConfig(r: FieldReader, at: string[] = []): ModelFacts | undefined {
  const typePath = [...at, 'model_type'];
  const modelType = r.str(typePath);
  if (!modelType) {
    if (!r.has(typePath)) r.report(typePath, 'missing-field', `missing required field ${typePath.join('.')} (it selects the counting formula; supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`);
    return undefined;
  }
  // A model_type without a formula: readModelShape approximates it or says it is unsupported (families.ts).
  const shape = readModelShape(r, at, modelType.value);
  if (!shape) return undefined;
  return { shape, source: modelType.source, anchor: r.locate(typePath) };
}

export function readHfModel(r: FieldReader, ctx: FormatContext): RunFacts {
  const model = modelFromHfConfig(r);
  // A config.json in a run's output folder: the Trainer's records there say what the run measured.
  const records = model && basenameOf(r.file).toLowerCase() === 'config.json' ? measuredFromRecords(r, ctx) : {};
  return finishFacts({
    file: r.file,
    format: 'hf-model',
    name: typeof r.raw(['_name_or_path']) === 'string' ? (r.raw(['_name_or_path']) as string) : undefined,
    model,
    ...records,
    // The checkpoint's dtype is the best a bare config.json says about training precision.
    precisionBits: precisionAt(r, ['torch_dtype']),
  });
}
