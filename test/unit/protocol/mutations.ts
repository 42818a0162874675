// Messages and their mutations, derived from the protocol's schemas (src/protocol/schema.ts) rather than written by
// hand: `sample` builds a message with every field of its schema (optional ones included), `fields` walks a message
// beside its schema, and `mutations` gives, for every field, the values a sender could put there instead and what the
// receiver must make of each. A field added to a schema is sampled, walked and mutated without a line of test.
import * as v from 'valibot';
import { MAX_TEXT } from '../../../src/protocol/schema';

type Schema = v.GenericSchema & {
  type: string;
  pipe?: ReadonlyArray<{ kind: string; type: string; requirement?: unknown; metadata?: Record<string, unknown> }>;
  entries?: Record<string, Schema>;
  options?: readonly unknown[];
  item?: Schema;
  wrapped?: Schema;
  literal?: unknown;
  key?: string;
  class?: unknown;
};

/** What a field holds, as the walk classifies its schema. */
export type Kind =
  | 'text' // display text: any string, cut to its bound
  | 'id' // a bounded string: longer refuses the message
  | 'prefixed' // a bounded string with a required prefix (a PNG data URL)
  | 'finite' // a finite number
  | 'count' // a whole number ≥ 0
  | 'figure' // a number, NaN or null (→ NaN)
  | 'boolean'
  | 'literal'
  | 'picklist'
  | 'object'
  | 'array'
  | 'instance'
  | 'custom' // checked by a function (a job's input: an object)
  | 'unknown'; // anything (a job's result, checked where it is used)

/** The actions of a schema's pipe, those of a piped schema it pipes further included (pipe(count(), minValue(1))). */
const actions = (s: Schema): NonNullable<Schema['pipe']> => {
  const [head, ...rest] = s.pipe ?? [];
  const inner = head as unknown as Schema | undefined;
  return [...(inner && inner !== s && inner.pipe ? actions(inner) : []), ...rest];
};
const metadata = (s: Schema, key: string): unknown => actions(s).find((a) => a.type === 'metadata' && a.metadata && key in a.metadata)?.metadata?.[key];
const requirement = (s: Schema, type: string): unknown => actions(s).find((a) => a.type === type)?.requirement;

export function unwrap(s: Schema): { schema: Schema; optional: boolean } {
  return s.type === 'optional' ? { schema: s.wrapped as Schema, optional: true } : { schema: s, optional: false };
}

export function kindOf(s: Schema): Kind {
  switch (s.type) {
    case 'string':
      if (metadata(s, 'text') !== undefined) return 'text';
      if (requirement(s, 'starts_with') !== undefined) return 'prefixed';
      if (requirement(s, 'max_length') !== undefined) return 'id';
      throw new Error('an unbounded string in a message schema: use text() or id()');
    case 'number':
      if (requirement(s, 'safe_integer') !== undefined) return 'count';
      if (actions(s).some((a) => a.type === 'finite')) return 'finite';
      throw new Error('a number that may be NaN or ±Infinity: use finite(), count() or figure()');
    case 'union':
      if (metadata(s, 'figure') === true) return 'figure';
      throw new Error('a union other than figure() in a message schema');
    case 'boolean':
    case 'literal':
    case 'picklist':
    case 'object':
    case 'array':
    case 'instance':
    case 'custom':
    case 'unknown':
      return s.type as Kind;
    case 'variant':
      return 'object';
    default:
      throw new Error(`a ${s.type} schema in a message: teach test/unit/protocol/mutations.ts what it accepts`);
  }
}

/** The option of a variant that `value` selects. */
function variantOption(s: Schema, value: unknown): Schema | undefined {
  const key = s.key as string;
  const tag = (value as Record<string, unknown> | undefined)?.[key];
  return (s.options as Schema[]).find((o) => (o.type === 'variant' ? variantOption(o, value) : o.entries?.[key]?.literal === tag));
}

/** A value with every field of the schema (the first of each variant, picklist or union). */
export function sample(schema: v.GenericSchema): unknown {
  const s = schema as Schema;
  switch (s.type) {
    case 'optional':
      return sample(s.wrapped as Schema);
    case 'object':
      return Object.fromEntries(Object.entries(s.entries ?? {}).map(([k, e]) => [k, sample(e)]));
    case 'variant':
      return sample((s.options as Schema[])[0]);
    case 'array': {
      const min = Number(requirement(s, 'min_length') ?? 1);
      return Array.from({ length: Math.max(1, min) }, () => sample(s.item as Schema));
    }
    case 'literal':
      return s.literal;
    case 'picklist':
      return (s.options as unknown[])[0];
    case 'boolean':
      return true;
    case 'instance':
      return s.class === SharedArrayBuffer ? new SharedArrayBuffer(4) : {};
    case 'custom':
      return { any: 'object' };
    case 'unknown':
      return { any: ['value'] };
    default:
      break;
  }
  switch (kindOf(s)) {
    case 'text':
      return 'A text';
    case 'id':
      return 'id-1';
    case 'prefixed':
      return `${String(requirement(s, 'starts_with'))}iVBORw0KGgo=`;
    case 'count':
      return 3;
    case 'finite':
      return 0.25;
    case 'figure':
      return 6.02e23;
    default:
      throw new Error(`cannot sample a ${s.type} schema`);
  }
}

export type Path = Array<string | number>;

export interface Field {
  path: Path;
  /** The field's schema, optional unwrapped. */
  schema: Schema;
  kind: Kind;
  optional: boolean;
  /** The object holding the field, its schema (checks on the whole object live there) and the field's key. */
  parentSchema?: Schema;
  value: unknown;
}

/** Every field of `value` (a message) beside its schema, depth first; the message itself is not listed. */
export function fields(schema: v.GenericSchema, value: unknown): Field[] {
  const out: Field[] = [];
  const walk = (raw: Schema, x: unknown, path: Path, parentSchema?: Schema) => {
    const { schema: s0, optional } = unwrap(raw);
    const s = s0.type === 'variant' ? (variantOption(s0, x) ?? s0) : s0;
    const kind = kindOf(s);
    if (path.length > 0) out.push({ path, schema: s, kind, optional, parentSchema, value: x });
    if (kind === 'object' && s.entries && x && typeof x === 'object') {
      for (const [k, e] of Object.entries(s.entries)) if (k in (x as object)) walk(e, (x as Record<string, unknown>)[k], [...path, k], s);
    } else if (kind === 'array' && Array.isArray(x)) x.forEach((e, i) => walk(s.item as Schema, e, [...path, i]));
  };
  walk(schema as Schema, value, []);
  return out;
}

export function getAt(x: unknown, path: Path): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], x);
}

/** A deep copy of a message (SharedArrayBuffers kept as they are) with `path` set to `value`, or deleted. */
export function setAt(x: unknown, path: Path, value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const [k, ...rest] = path;
  const copy = (Array.isArray(x) ? [...x] : { ...(x as object) }) as Record<string | number, unknown>;
  if (rest.length === 0 && remove) delete copy[k];
  else copy[k] = setAt(copy[k], rest, value, remove);
  return copy;
}

/** Strings a user's file may hold that would do something if a view rendered them as markup or a formula. */
export const HOSTILE_STRINGS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '[click](command:workbench.action.terminal.new) **bold** $(alert)',
  '=HYPERLINK("http://example.invalid","x")',
  '\u202Eevil\u202C \u0000\u001B[31m',
  '{{constructor.constructor("return 1")()}}',
] as const;

/** Text four times the longest bound of any text or id field: what a view must never have to lay out. */
export const HUGE_STRING = 'x'.repeat(MAX_TEXT * 4);

/** What the receiver must do with a mutated message. */
export type Expect =
  | { accept: false }
  /** Accepted; `check(output field)` says whether it arrived as it should (undefined: removed). */
  | { accept: true; check: (out: unknown) => boolean; note: string };

export interface Mutation {
  label: string;
  /** The message as it arrives (after JSON, for a webview channel). */
  message: unknown;
  path: Path;
  expect: Expect;
}

/** How a message crosses its channel: VS Code passes webview messages as JSON; worker_threads clone them. */
export type Wire = 'json' | 'clone';

const reject: Expect = { accept: false };
const same = (expected: unknown): Expect => ({
  accept: true,
  check: (o) => Object.is(o, expected) || (typeof expected === 'object' && JSON.stringify(o) === JSON.stringify(expected)),
  note: 'arrives as sent',
});
const nan: Expect = { accept: true, check: (o) => Number.isNaN(o), note: 'arrives as NaN' };
const absent: Expect = { accept: true, check: (o) => o === undefined, note: 'is absent' };

/** What JSON makes of a value (undefined: the key is dropped). */
function overJson(x: unknown): unknown {
  const s = JSON.stringify({ x });
  return (JSON.parse(s) as { x?: unknown }).x;
}

/** What the schema of field `f` must make of `value` arriving there (undefined: the key is absent). */
export function expectFor(f: Pick<Field, 'kind' | 'schema' | 'optional'>, value: unknown, parentPasses = true, keyPresent = false): Expect {
  if (value === undefined) return f.optional ? (parentPasses ? absent : reject) : f.kind === 'unknown' && keyPresent ? same(undefined) : reject;
  const isString = typeof value === 'string';
  switch (f.kind) {
    case 'unknown':
      return same(value);
    case 'figure':
      return value === null || (typeof value === 'number' && Number.isNaN(value)) ? nan : typeof value === 'number' ? same(value) : reject;
    case 'finite':
      return typeof value === 'number' && Number.isFinite(value) ? same(value) : reject;
    case 'count':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? same(value) : reject;
    case 'boolean':
      return typeof value === 'boolean' ? same(value) : reject;
    case 'literal':
      return value === f.schema.literal ? same(value) : reject;
    case 'picklist':
      return (f.schema.options as unknown[]).includes(value) ? same(value) : reject;
    case 'text': {
      if (!isString) return reject;
      const max = Number(metadata(f.schema, 'text'));
      return Array.from(value).length <= max ? same(value) : { accept: true, check: (o) => typeof o === 'string' && Array.from(o).length === max && o.endsWith('…'), note: `is cut to ${max} characters` };
    }
    case 'id':
      return isString && value.length <= Number(requirement(f.schema, 'max_length')) ? same(value) : reject;
    case 'prefixed':
      return isString && value.startsWith(String(requirement(f.schema, 'starts_with'))) && value.length <= Number(requirement(f.schema, 'max_length')) ? same(value) : reject;
    case 'instance':
      return value instanceof (f.schema.class as new () => unknown) ? same(value) : reject;
    case 'custom':
      return (f.schema as unknown as { check: (x: unknown) => boolean }).check(value) ? same(value) : reject;
    case 'object':
    case 'array':
      // Only wrong types reach here (a value of the right type is walked field by field instead).
      return (f.kind === 'array' ? Array.isArray(value) : typeof value === 'object' && value !== null && !Array.isArray(value)) ? same(value) : reject;
  }
}

/** A value of another type than the field's, and values outside a field's choices or range. */
function wrongValues(f: Field): unknown[] {
  switch (f.kind) {
    case 'text':
    case 'id':
    case 'prefixed':
      return [7, true, ['a'], { toString: 'a' }];
    case 'finite':
    case 'figure':
      return ['7', true, [7], { valueOf: 7 }];
    case 'count':
      return ['7', true, [7], { valueOf: 7 }, -1, 1.5];
    case 'boolean':
      return ['true', 1];
    case 'literal':
    case 'picklist':
      return ['not-one-of-them', 7, String(f.value).toUpperCase(), ` ${String(f.value)}`];
    case 'object':
      return ['object', 7, true];
    case 'array':
      return ['list', 7, { 0: sampleItem(f), length: 1 }];
    case 'instance':
    case 'custom':
      return ['object', 7];
    case 'unknown':
      return [];
  }
}

const sampleItem = (f: Field) => (f.schema.item ? sample(f.schema.item) : undefined);

/** Whether the object holding the field still passes its own checks (perUnit with perUnitEnergyJ) without it. */
function parentChecks(f: Field, parent: unknown): boolean {
  const checks = (f.parentSchema?.pipe ?? []).filter((a) => a.type === 'check');
  return checks.every((c) => (c.requirement as (x: unknown) => boolean)(parent));
}

/**
 * Every mutation of every field of `message`, as it arrives over `wire`, with what the receiver must do: JSON turns
 * NaN and ±Infinity into null and drops undefined, so a webview receives that rather than the mutation itself.
 */
export function mutations(schema: v.GenericSchema, message: unknown, wire: Wire): Mutation[] {
  const out: Mutation[] = [];
  const arrive = (x: unknown) => (wire === 'json' ? overJson(x) : x);
  for (const f of fields(schema, message)) {
    const inArray = typeof f.path[f.path.length - 1] === 'number';
    const parentWith = (value: unknown, remove: boolean) => getAt(setAt(message, f.path, value, remove), f.path.slice(0, -1));
    const put = (label: string, value: unknown, expect?: Expect, removeKey = false) => {
      const arrived = arrive(value);
      const remove = !inArray && (removeKey || (arrived === undefined && wire === 'json'));
      out.push({
        label: `${f.path.join('.')}: ${label}`,
        message: setAt(message, f.path, arrived, remove),
        path: f.path,
        expect: expect ?? expectFor(f, arrived, parentChecks(f, parentWith(arrived, remove)), !remove),
      });
    };
    if (!inArray) {
      put('missing', undefined, undefined, true);
      put('undefined', undefined);
    }
    for (const x of [...wrongValues(f), null, NaN, Infinity, -Infinity, HUGE_STRING, ...HOSTILE_STRINGS]) put(`${typeof x === 'string' && x.length > 100 ? 'a huge string' : JSON.stringify(x) ?? String(x)}`, x);
    if (f.kind === 'prefixed') {
      const prefix = String(requirement(f.schema, 'starts_with'));
      for (const h of HOSTILE_STRINGS) put(`prefix + ${JSON.stringify(h)}`, `${prefix}${h}`);
    }
    if (f.kind === 'object') {
      put('an extra key', { ...(f.value as object), injected: '<b>x</b>' }, { accept: true, check: (o) => typeof o === 'object' && o !== null && !('injected' in o), note: 'drops the extra key' });
    }
    if (f.kind === 'array') {
      const items = f.value as unknown[];
      const maxItems = requirement(f.schema, 'max_length');
      const minItems = requirement(f.schema, 'min_length');
      if (typeof maxItems === 'number') put(`${maxItems + 1} items`, Array.from({ length: maxItems + 1 }, () => items[0] ?? sampleItem(f)), reject);
      put('empty', [], typeof minItems === 'number' && minItems > 0 ? reject : same([]));
      // A hole: undefined over a clone, null over JSON; what the item's schema makes of that.
      const hole = arrive([undefined]) as unknown[];
      const item = unwrap(f.schema.item as Schema);
      const e = expectFor({ kind: kindOf(item.schema), schema: item.schema, optional: false }, hole[0]);
      put('a hole', [undefined], e.accept ? { accept: true, check: (o) => Array.isArray(o) && o.length === 1 && e.check(o[0]), note: `holds ${e.note}` } : reject);
    }
  }
  return out;
}
