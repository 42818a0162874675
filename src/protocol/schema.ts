import * as v from 'valibot';
import { truncate } from '../core/text/escape';

/**
 * The building blocks every message schema of the protocol is made of (valibot: small, tree-shaken, no `eval`, so
 * it runs under the webviews' strict CSP; the choice and its measurements are in docs/architecture.md and
 * BENCHMARKS.md; import it as `import * as v from 'valibot'` in each module and re-export no namespace, or the
 * bundles keep all of valibot). A message is declared once, as a schema; its TypeScript type is the schema's output
 * (`v.InferOutput`) and its runtime check is the schema itself, so a field cannot be declared without being checked.
 *
 * What a receiver gets from `parse` is the schema's output, never the value that arrived:
 * - a field the schema does not declare is dropped (an extra key reaches no view);
 * - display text is cut to its bound (`text`), an identifier longer than its bound refuses the message (`id`);
 * - a figure sent as `null` (JSON has no NaN or ±Infinity, and VS Code passes webview messages as JSON) is NaN again,
 *   so the views print it as a missing number rather than dropping the message;
 * - everything else must have its declared type, or the message is refused with the path of the first bad field.
 */
/** A schema's output type: what a receiver reads. */
export type Infer<S extends v.GenericSchema> = v.InferOutput<S>;

/** Display text is cut to this many code points on arrival (a view cuts further; `plainText` escapes it). */
export const MAX_TEXT = 10_000;
/** Identifiers (run ids, URIs, selections, hardware ids) longer than this refuse the message. */
export const MAX_ID = 4_096;

/** A plain object: not null, not an array. Every message is one. */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Text shown to a person: any string, cut to `max` code points (so a huge string costs no view anything). */
export const text = (max = MAX_TEXT) => v.pipe(v.string(), v.metadata({ text: max }), v.transform((s) => truncate(s, max)));

/** A string that is looked up or compared (an id, a URI, a selection): refused when longer than `max`. */
export const id = (max = MAX_ID) => v.pipe(v.string(), v.maxLength(max));

/** A finite number (a count, a position, a setting): NaN and ±Infinity are refused. */
export const finite = () => v.pipe(v.number(), v.finite());

/** A whole number ≥ 0 (a line, a count of items). */
export const count = () => v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/**
 * A computed figure: any number, NaN included (a diverged run's loss, over the worker's structured clone), or null,
 * which is what JSON makes of NaN and ±Infinity; null arrives as NaN.
 */
export const figure = () => v.pipe(v.union([v.number(), v.nan(), v.null()]), v.metadata({ figure: true }), v.transform((x): number => x ?? NaN));

/** A figure that may be absent. */
export const optionalFigure = () => v.optional(figure());

/** One message of a family: its `type` and its fields. */
export function message<const T extends string, const E extends v.ObjectEntries>(type: T, entries: E) {
  return v.object({ type: v.literal(type), ...entries });
}

/** The result of reading a message: the message as its schema gives it, or why it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Reads a value against a schema: the schema's output, or the first issue with the path of its field. */
export function parseWith<S extends v.GenericSchema>(schema: S, x: unknown): Parsed<v.InferOutput<S>> {
  if (!isRecord(x)) return { ok: false, reason: `not an object (${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x})` };
  return parseValue(schema, x);
}

/** Reads any value (a job's partial result, say) against a schema, as `parseWith` reads a message. */
export function parseValue<S extends v.GenericSchema>(schema: S, x: unknown): Parsed<v.InferOutput<S>> {
  const r = v.safeParse(schema, x, { abortEarly: true });
  if (r.success) return { ok: true, value: r.output };
  const issue = r.issues[0];
  const path = v.getDotPath(issue);
  return { ok: false, reason: `${path ? `${path}: ` : ''}${truncate(issue.message, 200)}` };
}

/**
 * A family of messages (one direction of one channel), declared as a variant on `type`. `parse` is what a receiver
 * calls on everything that arrives; `types` lists the family's message types (the tests walk them).
 */
export interface Family<S extends v.GenericSchema> {
  readonly schema: S;
  readonly types: readonly string[];
  parse(x: unknown): Parsed<v.InferOutput<S>>;
}

export function family<const O extends v.VariantOptions<'type'>>(options: O): Family<v.VariantSchema<'type', O, undefined>> {
  const schema = v.variant('type', options);
  return {
    schema,
    types: options.map((o) => ((o as v.ObjectSchema<v.ObjectEntries, undefined>).entries.type as v.LiteralSchema<string, undefined>).literal),
    parse: (x) => parseWith(schema, x),
  };
}
