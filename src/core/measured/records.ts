/**
 * The JSON records a finished run leaves: the Hugging Face Trainer's trainer_state.json / all_results.json /
 * train_results.json, and a W&B run's wandb-summary.json with the wandb-metadata.json beside it. Each value keeps
 * its file, field and line. A total_flos of 0 is the Trainer's "not counted" (FSDP, DeepSpeed), never a measurement.
 */
import type { ParsedDoc } from '../configs/parse';
import type { Source, Sourced } from '../configs/types';
import { basenameOf } from '../configs/relpath';
import { formatInteger } from '../units/format';
import type { MeasuredRun } from './types';
import { finalLogEntry } from '../configs/formats/records';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

function at(doc: ParsedDoc, path: string[], value: number): Sourced<number> {
  const loc = doc.locate(path);
  const source: Source = { kind: 'measured', file: doc.file, field: path.join('.'), line: loc?.line ?? 1, column: loc?.column ?? 1, offset: loc?.offset ?? 0, length: loc?.length ?? 0 };
  return { value, source };
}

/** W&B's summary, by name or by its own keys (a renamed copy still has them). */
export function isWandbSummary(path: string, data: unknown): boolean {
  if (!isObject(data)) return false;
  if (/wandb-summary\.json$/i.test(basenameOf(path))) return true;
  return ('_wandb' in data || '_runtime' in data) && '_step' in data;
}

/** W&B's run metadata (host, GPUs, program, arguments). */
export function isWandbMetadata(path: string, data: unknown): boolean {
  if (!isObject(data)) return false;
  if (/wandb-metadata\.json$/i.test(basenameOf(path))) return true;
  return 'startedAt' in data && 'program' in data && ('gpu_count' in data || 'cpu_count' in data);
}

/** The metadata file beside a summary: the same name with "metadata" for "summary" (also in flattened copies). */
export function wandbCompanion(summaryName: string): string {
  return /wandb-summary\.json$/i.test(summaryName) ? summaryName.replace(/summary\.json$/i, 'metadata.json') : 'wandb-metadata.json';
}

/** The summary file beside a metadata file, the same way round. */
export function wandbSummaryOf(metadataName: string): string {
  return /wandb-metadata\.json$/i.test(metadataName) ? metadataName.replace(/metadata\.json$/i, 'summary.json') : 'wandb-summary.json';
}

/** A summary key as the Trainer logs it through W&B: `train/train_runtime`, or bare. */
function summaryKey(d: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const n of names) if (n in d) return n;
  return undefined;
}

/** The W&B run id from the run folder's name (`run-20231201_074724-wpk0cwbh`). */
function wandbRunId(path: string): string | undefined {
  return /run-\d{8}_\d{6}-([a-z0-9]+)/i.exec(path)?.[1];
}

export function wandbRun(summary: ParsedDoc, metadata?: ParsedDoc): MeasuredRun {
  const d = isObject(summary.data) ? summary.data : {};
  const notes: string[] = [];
  const id = wandbRunId(summary.file);
  const run: MeasuredRun = { file: summary.file, kind: 'wandb', label: id ? `W&B run ${id}` : 'W&B run', notes };
  if (id) run.runId = id;
  const runtimeKey = summaryKey(d, 'train/train_runtime', 'train_runtime');
  if (runtimeKey && positive(d[runtimeKey])) run.durationS = at(summary, [runtimeKey], d[runtimeKey]);
  const wb = isObject(d._wandb) ? d._wandb : undefined;
  if (wb && positive(wb.runtime)) run.processRuntimeS = at(summary, ['_wandb', 'runtime'], wb.runtime);
  else if (positive(d._runtime)) run.processRuntimeS = at(summary, ['_runtime'], d._runtime);
  if (!run.durationS && run.processRuntimeS) {
    run.durationS = run.processRuntimeS;
    notes.push('no train_runtime: the duration is W&B\'s runtime of the whole process (start-up and evaluation included)');
  }
  const flosKey = summaryKey(d, 'train/total_flos', 'total_flos');
  if (flosKey && positive(d[flosKey])) run.flops = at(summary, [flosKey], d[flosKey]);
  else if (flosKey && d[flosKey] === 0) notes.push(`${flosKey} is 0: the Trainer did not count FLOPs (FSDP- or DeepSpeed-wrapped model), so no FLOPs were measured`);
  const stepKey = summaryKey(d, 'train/global_step', 'global_step');
  if (stepKey && positive(d[stepKey])) run.steps = d[stepKey];
  const epochKey = summaryKey(d, 'train/epoch', 'epoch');
  if (epochKey && positive(d[epochKey])) run.epochs = d[epochKey];
  const m = metadata && isObject(metadata.data) ? metadata.data : undefined;
  if (m) {
    if (typeof m.gpu === 'string' && m.gpu.trim()) run.gpuModel = m.gpu.trim();
    if (positive(m.gpu_count) && Number.isInteger(m.gpu_count)) run.gpuCount = m.gpu_count;
    if (typeof m.startedAt === 'string') run.timestamp = m.startedAt;
  } else notes.push('no wandb-metadata.json beside it: the GPUs are not known');
  run.snapshots = 1;
  return run;
}

/**
 * One run from the Trainer records of one folder (trainer_state.json, all_results.json, train_results.json, in that
 * order of preference per value). `docs` holds the records present; the first is the run's file.
 */
export function trainerRun(docs: ParsedDoc[]): MeasuredRun | undefined {
  const present = docs.filter((doc) => isObject(doc.data));
  if (present.length === 0) return undefined;
  const notes: string[] = [];
  const run: MeasuredRun = { file: present[0].file, kind: 'hf-trainer', label: 'Trainer record', notes };
  let zeroFlos: string | undefined;
  for (const doc of present) {
    const d = doc.data as Record<string, unknown>;
    const name = basenameOf(doc.file);
    const fin = finalLogEntry(d);
    if (!run.flops) {
      if (positive(d.total_flos)) run.flops = at(doc, ['total_flos'], d.total_flos);
      else if (d.total_flos === 0) zeroFlos ??= name;
    }
    if (!run.durationS) {
      if (positive(d.train_runtime)) run.durationS = at(doc, ['train_runtime'], d.train_runtime);
      else if (fin && positive(fin.entry.train_runtime)) run.durationS = at(doc, ['log_history', String(fin.index), 'train_runtime'], fin.entry.train_runtime);
    }
    if (run.steps === undefined && positive(d.global_step)) run.steps = d.global_step;
    if (run.epochs === undefined && positive(d.epoch)) run.epochs = d.epoch;
    if (positive(d.max_steps) && positive(d.global_step) && d.global_step < d.max_steps) {
      notes.push(`${name}: step ${formatInteger(d.global_step)} of ${formatInteger(d.max_steps)}, written before the end of training (a checkpoint's state)`);
    }
  }
  if (!run.flops && zeroFlos) notes.push(`${zeroFlos}: total_flos is 0, the Trainer's "not counted" (FSDP- or DeepSpeed-wrapped model), not a measurement`);
  if (!run.durationS) notes.push('no train_runtime in the records (a checkpoint written before the end of training has none)');
  notes.push('the Trainer records no energy and no hardware');
  run.snapshots = 1;
  return run;
}
