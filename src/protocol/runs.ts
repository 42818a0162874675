import * as v from 'valibot';
import { MAX_ID, count, finite, id, optionalFigure, text, type Infer } from './schema';

const MAX_PATH = MAX_ID;

/**
 * What the views show of one training run: a flat, JSON-serialisable summary the extension builds from the
 * engine's report. Webviews depend on this shape only, never on the engine's internal types. Declared once as a
 * schema: the type is its output, the sidebar and the dashboard check every run with it on arrival.
 */

export const RUN_KINDS = ['pretrain', 'finetune', 'preference'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export const RunDiagnosticSchema = v.object({
  severity: v.picklist(['error', 'warning', 'info']),
  message: text(),
  /** 0-based, as VS Code positions are. */
  line: count(),
  character: count(),
  field: v.optional(text(500)),
});
export type RunDiagnostic = Infer<typeof RunDiagnosticSchema>;

/** A run's figures as the worker computes them; the extension adds the file's URI, id and relative path. */
const RUN_FIGURES = {
  /**
   * What names the run: its own name (a run file's `name:`), else the model's Hub id (org/name) or folder name
     * (never a disk path), else framework · file. Never the model type, which is `modelType`.
     */
    label: text(),
    format: text(200),
    /** Pretraining, a fine-tune (SFT, LoRA …) or a preference run (DPO, ORPO …); undefined when nothing was estimated. */
    kind: v.optional(v.picklist(RUN_KINDS)),
    modelType: v.optional(text(200)),
    paramsTotal: optionalFigure(),
    paramsActive: optionalFigure(),
    tokens: optionalFigure(),
    flops: optionalFigure(),
    precisionBits: optionalFigure(),
    hardwareId: id(),
    hardwareName: text(200),
    devices: optionalFigure(),
    energyJ: optionalFigure(),
    deviceHours: optionalFigure(),
    wallClockHours: optionalFigure(),
    co2Kg: optionalFigure(),
    limJ: optionalFigure(),
    landauerJ: optionalFigure(),
    staticBarrierJ: optionalFigure(),
    /** log10(accelerator / LIM). */
    ordersAboveLim: optionalFigure(),
    /**
     * A fine-tune that nothing in its files bounds has no total: the accelerator energy of one unit of data instead
     * (`perUnit`: "per 1,000 rows", "per epoch (52,002 rows)" — the engine's perRows label), both set or neither.
     */
    perUnitEnergyJ: optionalFigure(),
    perUnit: v.optional(text(200)),
    /**
     * What the run recorded about itself (CodeCarbon, the Trainer's records, W&B), when a record joins this run:
     * its label ("CodeCarbon run 8a1d9822"), energy in joules, wall-clock hours and FLOPs, each where recorded.
     */
    measuredLabel: v.optional(text(500)),
    measuredEnergyJ: optionalFigure(),
    measuredHours: optionalFigure(),
    measuredFlops: optionalFigure(),
    /** Where the model is defined in the file (0-based), for "open at the model definition". */
    definition: v.object({ line: count(), character: count() }),
    diagnostics: v.array(RunDiagnosticSchema),
};
const perUnitTogether = <T extends { perUnit?: string; perUnitEnergyJ?: number }>() =>
  v.check<T, string>((r) => (r.perUnit === undefined) === (r.perUnitEnergyJ === undefined), 'perUnit and perUnitEnergyJ are set together or not at all');

export const RunFiguresSchema = v.pipe(v.object(RUN_FIGURES), perUnitTogether());
export type RunFigures = Infer<typeof RunFiguresSchema>;

export const RunSummarySchema = v.pipe(
  v.object({
    ...RUN_FIGURES,
    /** Stable id: the file URI plus the run's index within the file. */
    id: id(),
    uri: id(),
    relativePath: text(MAX_PATH),
  }),
  perUnitTogether(),
);
export type RunSummary = Infer<typeof RunSummarySchema>;

export const HardwareOptionSchema = v.object({ id: id(200), name: text(200), detail: text(500) });
export type HardwareOption = Infer<typeof HardwareOptionSchema>;

/** The assumptions in force, as the toolbar shows them. */
export const AssumptionSummarySchema = v.object({
  utilization: finite(),
  pue: finite(),
  gridKgPerKwh: finite(),
  powerW: v.optional(finite()),
  devices: v.optional(finite()),
  tokensPerParameter: finite(),
});
export type AssumptionSummary = Infer<typeof AssumptionSummarySchema>;
