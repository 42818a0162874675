/**
 * Measurement files as the config engine sees them (format 'measurement'): a CodeCarbon emissions.csv or a W&B
 * run's wandb-summary.json / wandb-metadata.json. Beside a model's config.json a record is part of that run (its
 * figures are joined to the estimate there, and it is no run of its own); alone it is a run of its own that says
 * what was measured and estimates nothing.
 */
import type { FieldReader } from '../configs/reader';
import type { RunFacts } from '../configs/facts';
import type { ParsedDoc } from '../configs/parse';
import { basenameOf } from '../configs/relpath';
import { finishFacts, type FormatContext } from '../configs/formats/context';
import { formatEnergy, formatDuration, formatSci } from '../units/format';
import { codeCarbonOf, jsonDocOf } from './join';
import { isWandbMetadata, isWandbSummary, wandbCompanion, wandbRun, wandbSummaryOf } from './records';
import type { MeasuredRun } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A config.json beside the record that describes a model: the run the record belongs to. */
function besideModelConfig(ctx: FormatContext): boolean {
  const config = ctx.siblingDoc?.('config.json');
  return !!config && isObject(config.data) && ('model_type' in config.data || 'architectures' in config.data);
}

/** One line of what a run measured, for messages ("0.368 kWh, 1.05 h, 1 × Tesla V100-PCIE-32GB"). */
export function measuredSummary(run: MeasuredRun): string {
  const parts = [
    run.energyJ && formatEnergy(run.energyJ.value),
    run.durationS && formatDuration(run.durationS.value / 3600),
    run.flops && `${formatSci(run.flops.value, 3)} FLOPs`,
    run.gpuModel && `${run.gpuCount ?? '?'} × ${run.gpuModel}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no energy, time or FLOPs recorded';
}

/** The measured runs a measurement file holds (every run of a CodeCarbon file, in file order). */
export function measuredOfFile(doc: ParsedDoc, read?: (rel: string) => string | undefined): MeasuredRun[] {
  if (doc.syntax === 'csv') return codeCarbonOf(doc.file, doc.text).runs;
  if (isWandbSummary(doc.file, doc.data)) {
    const text = read?.(wandbCompanion(basenameOf(doc.file)));
    const meta = text !== undefined ? jsonDocOf(doc.file.replace(/[^/\\]*$/, wandbCompanion(basenameOf(doc.file))), text) : undefined;
    return [wandbRun(doc, meta && meta.diagnostics.length === 0 && isObject(meta.data) ? meta : undefined)];
  }
  return [];
}

export function readMeasurement(r: FieldReader, ctx: FormatContext): RunFacts {
  const doc = r.doc;
  const name = basenameOf(r.file);
  const done = () => finishFacts({ file: r.file, format: 'measurement' });
  if (doc.syntax !== 'csv' && isWandbMetadata(r.file, doc.data) && !isWandbSummary(r.file, doc.data)) {
    // The metadata says on what the run ran; the summary beside it says what it measured.
    r.partOfRun = wandbSummaryOf(name);
    r.report([], 'measured-record', `${name} holds the hardware of a W&B run (gpu, gpu_count); it is part of the run of ${wandbSummaryOf(name)} beside it`, 'info');
    return done();
  }
  if (besideModelConfig(ctx)) {
    r.partOfRun = 'config.json';
    r.report([], 'measured-record', `${name} holds what the run measured; it is part of the run of config.json in this folder and shown there beside the estimate`, 'info');
    return done();
  }
  if (doc.syntax === 'csv') {
    const cc = codeCarbonOf(r.file, doc.text);
    r.diagnostics.push(...cc.diagnostics);
    const latest = cc.runs.at(-1);
    if (latest) {
      r.report([], 'measured', `CodeCarbon record: ${cc.runs.length} run${cc.runs.length === 1 ? '' : 's'} in ${cc.rows} row${cc.rows === 1 ? '' : 's'}; the latest (${latest.label}): ${measuredSummary(latest)}. Measured, not estimated: LIM Lens needs the model's config beside it to estimate this run`, 'info');
    }
    return done();
  }
  const run = measuredOfFile(doc, (rel) => ctx.siblingDoc?.(rel)?.text)[0];
  if (run) r.report([], 'measured', `W&B record (${run.label}): ${measuredSummary(run)}. Measured, not estimated: LIM Lens needs the model's config beside it to estimate this run`, 'info');
  return done();
}
