import { countDecoder, decoderLinears, type DecoderSpec } from './decoder';
import { DIMENSION, type FieldReader, type NumberRule } from './reader';
import { NUM_PARAMETERS_CONVENTION, type ModelShape, type ParamCount } from './shape';

/** Helpers the family readers share (families.ts, decoderFamilies.ts, speechVision.ts). */

export const p = (at: string[], name: string) => [...at, name];

/** The first of several field spellings that is present (HF attribute maps: n_embd ↔ hidden_size …). */
export function pick(r: FieldReader, at: string[], names: string[]): string[] {
  return r.first(names.map((n) => p(at, n))) as string[] | undefined ?? p(at, names[0]);
}

export function flag(r: FieldReader, at: string[], name: string, fallback: boolean): boolean {
  return r.bool(p(at, name))?.value ?? fallback;
}

export function optionalNum(r: FieldReader, at: string[], name: string, fallback: number, rule = DIMENSION): number {
  return r.has(p(at, name)) ? (r.num(p(at, name), rule)?.value ?? fallback) : fallback;
}

export interface ShapeOptions {
  /** A count made outside countDecoder (hybrid stacks such as Jamba). */
  count?: ParamCount;
  /** Appended to the num_parameters() convention: which class, what is left out. */
  convention?: string;
}

export function decoderShape(family: string, modelType: string, s: DecoderSpec, maxPositions: number | undefined, formula: string, o: ShapeOptions = {}): ModelShape {
  const c = o.count ?? countDecoder(s);
  return {
    family,
    modelType,
    architecture: 'decoder',
    params: { total: c.total, active: c.active, embedding: c.embedding },
    convention: o.convention ? `${NUM_PARAMETERS_CONVENTION}; ${o.convention}` : NUM_PARAMETERS_CONVENTION,
    formula,
    layers: s.layers,
    hidden: s.hidden,
    heads: s.heads,
    headDim: s.headDim,
    vocab: s.vocab,
    maxPositions,
    experts: s.moe ? { total: s.moe.experts, perToken: s.moe.perToken } : undefined,
    linears: decoderLinears(s),
  };
}


/** An optional whole number with a default (fields a config class defaults when the file leaves them out). */
export function numOr(r: FieldReader, at: string[], names: string[], fallback: number, rule: NumberRule = DIMENSION): number {
  const path = pick(r, at, names);
  return r.has(path) ? (r.num(path, rule)?.value ?? fallback) : fallback;
}

export function maxPositionsAt(r: FieldReader, at: string[], names: string[] = ['max_position_embeddings']): number | undefined {
  const path = pick(r, at, names);
  return r.has(path) ? r.num(path, { integer: true, max: 1e8 })?.value : undefined;
}

export function architectures(r: FieldReader, at: string[]): string[] {
  const a = r.raw(p(at, 'architectures'));
  return Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : [];
}

/** Number of classes from id2label or num_labels; undefined when neither is set. */
export function labelCount(r: FieldReader, at: string[]): number | undefined {
  const id2label = r.raw(p(at, 'id2label'));
  if (id2label && typeof id2label === 'object' && !Array.isArray(id2label)) {
    r.record(p(at, 'id2label'), `${Object.keys(id2label).length} labels`);
    return Object.keys(id2label).length;
  }
  return r.has(p(at, 'num_labels')) ? r.num(p(at, 'num_labels'), { integer: true, max: 1e7 })?.value : undefined;
}
