import type { ParsedDoc } from '../configs/parse';
import { parseQuantity } from '../units/quantity';
import type { FieldRef } from '../configs/types';
import { analyzeParsedDocument, type AnalyzeOptions, type EnergyReport } from './report';

export interface SensitivityPoint {
  value: number;
  params: number;
  /** Parameters that work on each token (all of them for a dense model). */
  activeParams: number;
  /** Training tokens D at this point; absent for runs sized in samples (vision) or per unit of data. */
  tokens?: number;
  flops: number;
  energyJ: number;
}

/**
 * What the run's training tokens D did while the field moved:
 * - `held`: D came from the tokens-per-parameter default, which would follow the parameter count; it is held at the
 *   run's value, so the change shows what the field itself costs on the same data;
 * - `fixed`: D comes from the file (read, or computed from fields this one is not part of) and did not move;
 * - `tied`: the file computes D from this field (steps × batch × sequence length, rows × epochs …): D moved with it,
 *   and `formula` says how;
 * - `none`: the run has no token count (sized in images, or per unit of data).
 */
export interface TokensHeld {
  mode: 'held' | 'fixed' | 'tied' | 'none';
  formula?: string;
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
  tokens: TokensHeld;
}

/**
 * Re-runs the estimate with one numeric field halved and doubled (rounded for whole-number fields), without
 * re-parsing. The run's tokens are held at their value unless the file ties them to the field (see `TokensHeld`):
 * otherwise a field that changes the parameter count would also change D through the tokens-per-parameter default,
 * and the answer would be "energy grows as N²" for a question about one field. Undefined when the field is not
 * numeric or the base estimate is missing.
 */
export function fieldSensitivity(parsed: ParsedDoc, field: Pick<FieldRef, 'path' | 'field'>, options: AnalyzeOptions = {}): FieldSensitivity | undefined {
  const key = field.path.join('.');
  const baseRun = estimateAt(parsed, options, key, undefined);
  if (!baseRun) return undefined;
  const base = baseRun.point;
  const report = baseRun.report;
  const defaulted = report.assumptions.some((a) => a.name === 'tokensPerParameter' && a.origin !== 'override');
  const hold = defaulted && report.tokens !== undefined ? report.tokens : undefined;
  const at = (factor: number) => {
    const raw = base.value * factor;
    const v = Number.isInteger(base.value) ? Math.max(1, Math.round(raw)) : raw;
    return v === base.value ? undefined : estimateAt(parsed, options, key, v, hold)?.point;
  };
  const halved = at(0.5);
  const doubled = at(2);
  const moved = [halved, doubled].some((p) => p && p.tokens !== base.tokens);
  const tokenSource = report.run.tokens?.source;
  const tokens: TokensHeld =
    base.tokens === undefined
      ? { mode: 'none' }
      : hold !== undefined
        ? { mode: 'held' }
        : moved
          ? { mode: 'tied', ...(tokenSource?.kind === 'computed' ? { formula: tokenSource.formula } : {}) }
          : { mode: 'fixed' };
  const result: FieldSensitivity = { field: field.field, path: field.path, base, ...(halved ? { halved } : {}), ...(doubled ? { doubled } : {}), tokens };
  const lo = halved ?? base;
  const hi = doubled ?? base;
  if (hi.value !== lo.value) {
    const dx = Math.log(hi.value / lo.value);
    result.energyElasticity = Math.log(hi.energyJ / lo.energyJ) / dx;
    result.flopsElasticity = Math.log(hi.flops / lo.flops) / dx;
  }
  return result;
}

/** The estimate with the field at `value` (its own value when undefined), and with D held at `tokens` when given. */
function estimateAt(parsed: ParsedDoc, options: AnalyzeOptions, key: string, value: number | undefined, tokens?: number): { point: SensitivityPoint; report: EnergyReport } | undefined {
  const overrides = new Map(options.overrides ?? []);
  if (value !== undefined) overrides.set(key, value);
  const settings = tokens === undefined ? options.settings : { ...options.settings, overrides: { ...options.settings?.overrides, tokens } };
  const analysis = analyzeParsedDocument(parsed, { ...options, settings, overrides });
  let at = value;
  if (at === undefined) {
    const raw = analysis.fields.find((f) => f.file === parsed.file && f.path.join('.') === key)?.value;
    const q = typeof raw === 'string' ? parseQuantity(raw) : undefined;
    at = typeof raw === 'number' ? raw : q?.ok ? q.value : undefined;
    if (at === undefined || !Number.isFinite(at)) return undefined;
  }
  const r = analysis.report;
  if (!r) return undefined;
  const point: SensitivityPoint = { value: at, params: r.params.total, activeParams: r.params.active, flops: r.flops, energyJ: r.accelerator.energyJ };
  if (r.tokens !== undefined && !r.perRows) point.tokens = r.tokens;
  return { point, report: r };
}
