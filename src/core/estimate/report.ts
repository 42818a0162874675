import { analyzeParsed, type ConfigAnalysis, type SiblingReader } from '../configs/analyze';
import { parseConfigText, type ParsedDoc } from '../configs/parse';
import type { ConfigDiagnostic, ConfigDocument, ConfigFormat, FieldLocation, FieldRef } from '../configs/types';
import type { Assumption, EstimateSettings } from './assumptions';
import { estimateEnergy, type AcceleratorEstimate, type BoundEnergies } from './energy';
import { resolveRun, type TrainingRun } from './run';
import { compact } from '../configs/formats/context';
import { dirnameOf } from '../configs/relpath';
import { compareMeasured, measuredInFolder, trainerRecordsOf } from '../measured/join';
import { measuredOfFile } from '../measured/format';
import type { MeasuredComparison, MeasuredRun } from '../measured/types';

/**
 * The estimate for one file, shaped for the CLI's JSON and the editor alike: the headline numbers at the top
 * (what `lim-lens estimate --json` prints), the fully sourced run underneath.
 */
export interface EnergyReport {
  file: string;
  format: ConfigFormat;
  name?: string;
  modelType?: string;
  /** `nonEmbedding` is Kaplan's convention (embeddings and output head left out), when the shape is known. */
  params: { total: number; active: number; trained: number; nonEmbedding?: number; convention?: string };
  /** Absent for a fine-tune that nothing in its file bounds (see `perRows`). */
  tokens?: number;
  samples?: number;
  /**
   * Training FLOPs. When `perRows` is set the run has no total, and this, `accelerator`'s energy, time and CO2 and
   * `bounds` are those of one unit of data (`perRows.label`: 1,000 rows, one epoch, or a million tokens).
   */
  flops: number;
  perRows?: { unit: 'rows' | 'epoch' | 'tokens'; rows?: number; tokens: number; tokensPerRow?: number; label: string; missing: string };
  precisionBits: number;
  accelerator: AcceleratorEstimate;
  /** Joules; absent when the bound models' inputs are out of range (a diagnostic says why). */
  bounds?: BoundEnergies;
  run: TrainingRun;
  assumptions: Assumption[];
  /**
   * What the run measured, beside the estimate: one comparison per record in the run's folder (CodeCarbon's
   * emissions.csv, the Trainer's records, W&B's summary), each with the estimate's energy and time errors and the
   * implied utilisation. Absent when the folder holds no record. A CodeCarbon file with several runs gives its latest.
   */
  measured?: MeasuredComparison[];
}

export interface DocumentAnalysis {
  file: string;
  format?: ConfigFormat;
  report?: EnergyReport;
  /** Fields the engine read (for hover: see fieldAtOffset). */
  fields: FieldRef[];
  /** Where the model is defined in this file (for a CodeLens). */
  modelAnchor?: FieldLocation;
  diagnostics: ConfigDiagnostic[];
  /**
   * A record analysed on its own (format 'measurement' or 'trainer-record', no config beside it): the runs it
   * recorded, every run of a CodeCarbon file in file order. No estimate is made from them.
   */
  measured?: MeasuredRun[];
}

export interface AnalyzeOptions {
  readSibling?: SiblingReader;
  settings?: EstimateSettings;
  overrides?: ReadonlyMap<string, unknown>;
  explicit?: boolean;
}

export function reportFromAnalysis(analysis: ConfigAnalysis, settings: EstimateSettings = {}): DocumentAnalysis {
  const base: DocumentAnalysis = { file: analysis.file, format: analysis.format, fields: analysis.fields, diagnostics: [...analysis.diagnostics] };
  if (!analysis.facts || analysis.diagnostics.some((d) => d.severity === 'error' && d.file === analysis.file)) return base;
  // A record alone is what was measured; there is no model to estimate.
  if (analysis.format === 'measurement') return base;
  const resolved = resolveRun(analysis.facts, settings);
  base.diagnostics.push(...resolved.diagnostics);
  const run = resolved.run;
  if (!run) return base;
  const energy = estimateEnergy(run);
  base.diagnostics.push(...energy.diagnostics);
  base.modelAnchor = run.model?.anchor;
  base.report = compact<EnergyReport>({
    file: run.file,
    format: run.format,
    name: run.name,
    modelType: run.model?.modelType,
    params: compact({
      total: run.params.total.value,
      active: run.params.active.value,
      trained: run.params.trained.value,
      nonEmbedding: run.model && !run.params.total.source.kind.startsWith('read') ? run.params.total.value - run.model.embeddingParams : undefined,
      convention: run.model?.convention,
    }),
    tokens: run.tokens?.value,
    samples: run.samples ? run.samples.value * (run.epochs?.value ?? 1) : undefined,
    flops: run.flops.value,
    perRows: run.perRows
      ? compact({ unit: run.perRows.unit, rows: run.perRows.rows, tokens: run.perRows.tokens.value, tokensPerRow: run.perRows.tokensPerRow?.value, label: run.perRows.label, missing: run.perRows.missing })
      : undefined,
    precisionBits: run.precisionBits.value,
    accelerator: energy.accelerator,
    bounds: energy.bounds,
    run,
    assumptions: resolved.assumptions,
  });
  return base;
}

/** Parse, read and estimate one document synchronously (sibling files through a synchronous reader). */
export function analyzeDocumentSync(doc: ConfigDocument, options: AnalyzeOptions = {}): DocumentAnalysis {
  return analyzeParsedDocument(parseConfigText(doc.path, doc.text), options);
}

export function analyzeParsedDocument(parsed: ParsedDoc, options: AnalyzeOptions = {}): DocumentAnalysis {
  const analysis = analyzeParsed(parsed, { readSibling: options.readSibling, overrides: options.overrides, explicit: options.explicit });
  return withMeasured(reportFromAnalysis(analysis, options.settings), parsed, options.readSibling);
}

/**
 * Joins the records of the run's folder to its estimate (`report.measured`), or, for a record that is a run of its
 * own, lists what it recorded (`measured`). Records are read through the sibling reader, so the editor fetches them
 * in its missing-files rounds.
 */
function withMeasured(a: DocumentAnalysis, parsed: ParsedDoc, read: SiblingReader | undefined): DocumentAnalysis {
  const noRead = () => undefined;
  if (a.format === 'measurement') {
    const runs = measuredOfFile(parsed, read ?? noRead);
    if (runs.length > 0) a.measured = runs;
    return a;
  }
  if (a.format === 'trainer-record') {
    const run = trainerRecordsOf(parsed, read ?? noRead);
    if (run) a.measured = [run];
    return a;
  }
  const r = a.report;
  // Asked for by every run, estimated or not yet: in the editor, a run whose model is in a file still being fetched
  // gets its folder's records in the same round, not in one more.
  if (!read || !a.format) return a;
  const runs = measuredInFolder(dirnameOf(parsed.file), read);
  if (!r || runs.length === 0) return a;
  const acc = r.accelerator;
  const estimate = { flops: r.flops, energyJ: acc.energyJ, wallClockHours: acc.wallClockHours, devices: acc.devicesAssumed ? undefined : acc.devices, peakFlops: acc.peakFlops, perUnit: r.perRows !== undefined };
  r.measured = runs.map((m) => compareMeasured(estimate, m));
  return a;
}
