import type { FieldReader } from '../reader';
import type { ParsedDoc } from '../parse';
import type { RunFacts } from '../facts';
import type { Source, Sourced } from '../types';
import { basenameOf } from '../relpath';
import { finishFacts, type FormatContext } from './context';

/**
 * Records the Hugging Face Trainer writes when a run ends, in the run's output folder beside its config.json:
 * what the run measured, not what a config asks for. They belong to the run of that folder: beside a config.json
 * they enrich its estimate (one run, not two); alone they say what they lack.
 */
export const RECORD_FILES = ['trainer_state.json', 'all_results.json', 'train_results.json'] as const;

export function isRecordFile(path: string): boolean {
  return (RECORD_FILES as readonly string[]).includes(basenameOf(path).toLowerCase());
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function measured(doc: ParsedDoc, field: string, value: number): Sourced<number> {
  const loc = doc.locate([field]);
  const source: Source = { kind: 'measured', file: doc.file, field, line: loc?.line ?? 1, column: loc?.column ?? 1, offset: loc?.offset ?? 0, length: loc?.length ?? 0 };
  return { value, source };
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** The Trainer's final log entry of a trainer_state.json (the one with train_runtime), with its index. */
export function finalLogEntry(d: Record<string, unknown>): { index: number; entry: Record<string, unknown> } | undefined {
  const log = Array.isArray(d.log_history) ? d.log_history : undefined;
  if (!log) return undefined;
  for (let i = log.length - 1; i >= 0; i--) {
    const e: unknown = log[i];
    if (isObject(e) && 'train_runtime' in e) return { index: i, entry: e };
  }
  return undefined;
}

/**
 * The measured values of the Trainer records beside a config.json, preferred to estimates: `total_flos` (the
 * Trainer's count of training FLOPs, summed over processes), `train_runtime` (wall-clock seconds) and
 * `num_input_tokens_seen`. A total_flos of 0 is not a measurement: the Trainer leaves it at 0 when it cannot count
 * (FSDP and other wrapped models), so the FLOPs are then estimated, and the report says so.
 */
export function measuredFromRecords(r: FieldReader, ctx: FormatContext): Pick<RunFacts, 'flops' | 'hours' | 'tokens'> {
  const out: Pick<RunFacts, 'flops' | 'hours' | 'tokens'> = {};
  if (!ctx.siblingDoc) return out;
  let zeroFlos: string | undefined;
  for (const name of RECORD_FILES) {
    const doc = ctx.siblingDoc(name);
    if (!doc || !isObject(doc.data)) continue;
    const d = doc.data;
    if (!out.flops && positive(d.total_flos)) out.flops = measured(doc, 'total_flos', d.total_flos);
    else if (d.total_flos === 0) zeroFlos ??= name;
    if (!out.hours && positive(d.train_runtime)) {
      const s = measured(doc, 'train_runtime', d.train_runtime);
      out.hours = { value: d.train_runtime / 3600, source: s.source };
    } else if (!out.hours) {
      // trainer_state.json keeps the run's totals in its final log entry, not at the top.
      const fin = finalLogEntry(d);
      if (fin && positive(fin.entry.train_runtime)) {
        const loc = doc.locate(['log_history', String(fin.index), 'train_runtime']);
        const field = `log_history.${fin.index}.train_runtime`;
        out.hours = { value: fin.entry.train_runtime / 3600, source: { kind: 'measured', file: doc.file, field, line: loc?.line ?? 1, column: loc?.column ?? 1, offset: loc?.offset ?? 0, length: loc?.length ?? 0 } };
      }
    }
    if (!out.tokens && positive(d.num_input_tokens_seen)) out.tokens = measured(doc, 'num_input_tokens_seen', d.num_input_tokens_seen);
  }
  if (!out.flops && zeroFlos) {
    r.report([], 'not-measured', `${zeroFlos}: total_flos is 0, which is not a measurement (the Trainer cannot count FLOPs of FSDP- or DeepSpeed-wrapped models); the FLOPs are estimated instead`, 'info');
  }
  if (out.flops || out.hours || out.tokens) {
    const what = [out.flops && 'total_flos', out.tokens && 'num_input_tokens_seen', out.hours && 'train_runtime'].filter(Boolean).join(', ');
    r.report([], 'measured', `measured by the training run (the Trainer's records beside this file): ${what}; these replace the estimates`, 'info');
  }
  return out;
}

/**
 * A Trainer record analysed on its own. Beside a config.json it is part of that run (its values are shown there,
 * and it is no run of its own); alone it cannot say what model it trained.
 */
export function readTrainerRecord(r: FieldReader, ctx: FormatContext): RunFacts {
  const name = basenameOf(r.file);
  const config = ctx.siblingDoc?.('config.json');
  // Several records of one folder are one run: the first of RECORD_FILES present is it, the others part of it.
  const earlier = RECORD_FILES.slice(0, Math.max(0, RECORD_FILES.indexOf(name.toLowerCase() as (typeof RECORD_FILES)[number]))).find((n) => isObject(ctx.siblingDoc?.(n)?.data));
  if (config && isObject(config.data) && ('model_type' in config.data || 'architectures' in config.data)) {
    r.partOfRun = 'config.json';
    r.report([], 'measured-record', `${name} holds what the run measured (total_flos, train_runtime, steps); they are part of the run of config.json in this folder and shown there`, 'info');
  } else if (earlier) {
    r.partOfRun = earlier;
    r.report([], 'measured-record', `${name} records the same run as ${earlier} beside it; its values are shown there`, 'info');
  } else {
    const d = isObject(r.doc.data) ? r.doc.data : {};
    const facts = [positive(d.total_flos) && `total_flos ${d.total_flos.toExponential(3)}`, positive(d.global_step) && `${d.global_step} steps`, positive(d.train_runtime) && `${(d.train_runtime / 3600).toFixed(1)} h`].filter(Boolean);
    r.report(
      [],
      'no-model',
      `${name} is a Hugging Face Trainer record${facts.length ? ` (${facts.join(', ')}, measured)` : ''} but names no model: LIM Lens needs the model's config.json in the same folder to estimate this run`,
      'warning',
    );
  }
  return finishFacts({ file: r.file, format: 'trainer-record' });
}
