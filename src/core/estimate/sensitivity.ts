import type { ParsedDoc } from '../configs/parse';
import { parseQuantity } from '../units/quantity';
import type { FieldRef } from '../configs/types';
import { analyzeParsedDocument, type AnalyzeOptions } from './report';

export interface SensitivityPoint {
  value: number;
  params: number;
  flops: number;
  energyJ: number;
}

/** How one field moves the estimate: the estimate at half and double its value, and the elasticity. */
export interface FieldSensitivity {
  field: string;
  path: string[];
  base: SensitivityPoint;
  halved?: SensitivityPoint;
  doubled?: SensitivityPoint;
  /** d ln E / d ln x between the halved and doubled points (1: energy proportional to the field). */
  energyElasticity?: number;
  flopsElasticity?: number;
}

/**
 * Re-runs the estimate with one numeric field halved and doubled (rounded for whole-number fields), without
 * re-parsing. Undefined when the field is not numeric or the base estimate is missing.
 */
export function fieldSensitivity(parsed: ParsedDoc, field: Pick<FieldRef, 'path' | 'field'>, options: AnalyzeOptions = {}): FieldSensitivity | undefined {
  const key = field.path.join('.');
  const base = point(parsed, options, undefined, key);
  if (!base) return undefined;
  const at = (factor: number) => {
    const raw = base.value * factor;
    const v = Number.isInteger(base.value) ? Math.max(1, Math.round(raw)) : raw;
    return v === base.value ? undefined : point(parsed, options, v, key);
  };
  const halved = at(0.5);
  const doubled = at(2);
  const result: FieldSensitivity = { field: field.field, path: field.path, base, ...(halved ? { halved } : {}), ...(doubled ? { doubled } : {}) };
  const lo = halved ?? base;
  const hi = doubled ?? base;
  if (hi.value !== lo.value) {
    const dx = Math.log(hi.value / lo.value);
    result.energyElasticity = Math.log(hi.energyJ / lo.energyJ) / dx;
    result.flopsElasticity = Math.log(hi.flops / lo.flops) / dx;
  }
  return result;
}

function point(parsed: ParsedDoc, options: AnalyzeOptions, value: number | undefined, key: string): SensitivityPoint | undefined {
  let baseValue: number | undefined;
  const overrides = new Map(options.overrides ?? []);
  if (value !== undefined) overrides.set(key, value);
  const analysis = analyzeParsedDocument(parsed, { ...options, overrides });
  const read = analysis.fields.find((f) => f.file === parsed.file && f.path.join('.') === key);
  if (value === undefined) {
    const raw = read?.value;
    const q = typeof raw === 'string' ? parseQuantity(raw) : undefined;
    baseValue = typeof raw === 'number' ? raw : q?.ok ? q.value : undefined;
    if (baseValue === undefined || !Number.isFinite(baseValue)) return undefined;
  }
  const r = analysis.report;
  if (!r) return undefined;
  return { value: value ?? baseValue!, params: r.params.total, flops: r.flops, energyJ: r.accelerator.energyJ };
}
