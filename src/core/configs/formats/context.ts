import type { FieldReader } from '../reader';
import type { ModelFacts, RunFacts } from '../facts';
import { bitsFromPrecision } from '../facts';
import type { FieldLocation, Sourced } from '../types';
import type { ParsedDoc } from '../parse';

/** What a format reader may ask of the analysis around it; nothing here touches a file system. */
export interface FormatContext {
  /** A model named by Hub id, builder or LitGPT name (bundled table), or by a relative folder or file path. */
  resolveModel(ref: Sourced<string>): ModelFacts | undefined;
  /** A config.json in the same or the parent folder. */
  nearbyModel(): ModelFacts | undefined;
  /** The facts of another config a run file points at (`config: ./train.yaml`), relative to this file. */
  referencedRun(relPath: string): RunFacts | undefined;
  /** Another file of the same folder, parsed (the Trainer's records beside a config.json); undefined when absent. */
  siblingDoc?(relPath: string): ParsedDoc | undefined;
}

export type FormatReader = (r: FieldReader, ctx: FormatContext) => RunFacts;

export const computed = (value: number, formula: string): Sourced<number> => ({ value, source: { kind: 'computed', formula } });

/** A precision written as text ("bf16-mixed", "float16") or a number (16, 32). */
export function precisionAt(r: FieldReader, path: string[]): Sourced<number> | undefined {
  const raw = r.raw(path);
  if (raw === undefined || raw === null) return undefined;
  const bits = typeof raw === 'number' ? ([4, 8, 16, 32, 64].includes(raw) ? raw : undefined) : typeof raw === 'string' ? bitsFromPrecision(raw) : undefined;
  if (bits === undefined) {
    r.report(path, 'bad-value', `${path.join('.')}: unknown precision ${JSON.stringify(raw)} (expected bf16, fp16, fp32, fp8, 16, 32 …)`, 'warning');
    return undefined;
  }
  r.record(path, raw);
  return { value: bits, source: r.source(path) };
}

/** The first of several switches that is on (`--bf16`, `bf16: true`, `fp16: {enabled: true}` …), as bits. */
export function precisionFlags(r: FieldReader, flags: Array<[string[], number]>): Sourced<number> | undefined {
  for (const [path, bits] of flags) {
    const v = r.raw(path);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const enabledPath = [...path, 'enabled'];
      const enabled = r.raw(enabledPath);
      if (enabled === true || enabled === 'auto' || enabled === 'true') {
        r.record(enabledPath, enabled);
        return { value: bits, source: r.source(enabledPath) };
      }
      continue;
    }
    // A shell switch with a value (--fp8-format hybrid) is on; so are YAML's true / "auto".
    const on = v === true || (typeof v === 'string' && (r.doc.syntax === 'shell' || /^(true|auto|yes)$/i.test(v)));
    if (on) {
      r.record(path, v);
      return { value: bits, source: r.source(path) };
    }
  }
  return undefined;
}

/** Tokens = steps × sequences × length, with the formula spelled out from the names the config uses. */
export function product(parts: Array<[Sourced<number>, string]>): Sourced<number> {
  return computed(
    parts.reduce((acc, [s]) => acc * s.value, 1),
    parts.map(([s, name]) => `${name} (${s.value})`).join(' × '),
  );
}

/** The model as resolved elsewhere, anchored at the field of this file that names it. */
export function withAnchor(model: ModelFacts, anchor: FieldLocation): ModelFacts {
  return { shape: model.shape, source: model.source, anchor };
}

/** Drops undefined members, so results compare equal after a JSON round trip (the worker boundary). */
export function finishFacts(facts: RunFacts): RunFacts {
  return compact(facts);
}

// Copying beats `delete`, which turns the object into a slow dictionary-mode object.
export function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out as T;
}
