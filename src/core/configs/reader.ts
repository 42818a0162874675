import { parseQuantity } from '../units/quantity';
import { formatInteger } from '../units/format';
import type { ParsedDoc } from './parse';
import { hasInterpolation, resolveInterpolations, type EnvDefault, type InterpolationError, type LookupResult } from './interpolate';
import type { ConfigDiagnostic, FieldLocation, FieldRef, Source, Sourced } from './types';

export interface NumberRule {
  integer?: boolean;
  /** Smallest accepted value (default: greater than 0). */
  min?: number;
  /** Values above this are not a real model or run: reported as such instead of silently computed. */
  max?: number;
  /** Accept "7B", "1e12", "1,024" strings (run files, shell arguments, hand-written YAML). */
  allowString?: boolean;
}

/** A default a file's value rests on, for the report's assumptions (e.g. an environment variable's default). */
export interface FileAssumption {
  name: string;
  value: unknown;
  reason: string;
}

type ResolvedLookup = (LookupResult & { found: false }) | { found: true; value: unknown; env: EnvDefault[] };

export const DIMENSION: NumberRule = { integer: true, max: 2 ** 20 };
export const LAYER_COUNT: NumberRule = { integer: true, max: 10_000 };
export const VOCAB: NumberRule = { integer: true, max: 1e8 };
export const COUNT: NumberRule = { integer: true, max: 1e7 };

/**
 * Typed, located access to a parsed document. Every successful read is recorded (the hover and CodeLens need
 * the fields the engine used) and every bad value becomes a diagnostic at the field, never an exception.
 * `overrides` replace values at paths (dotted keys) without re-parsing, for "what if this field doubled".
 */
export class FieldReader {
  readonly reads: FieldRef[] = [];
  readonly diagnostics: ConfigDiagnostic[] = [];
  private readonly seen = new Set<string>();
  // Locating walks the syntax tree; a field is usually located twice (record + source), so keep the answer.
  private readonly located = new Map<string, FieldLocation | undefined>();

  constructor(
    readonly doc: ParsedDoc,
    private readonly overrides: ReadonlyMap<string, unknown> = new Map(),
  ) {
    this.interpolates = doc.syntax === 'yaml' && doc.text.includes('${');
  }

  get file(): string {
    return this.doc.file;
  }

  raw(path: readonly string[]): unknown {
    const key = path.join('.');
    if (this.overrides.has(key)) return this.overrides.get(key);
    if (this.interpolates) {
      const hit = this.lookup(path, []);
      if (hit.found) {
        if (hit.env.length > 0 && !this.envDefaults.has(key)) this.envDefaults.set(key, hit.env);
        return hit.value;
      }
      if (hit.error) {
        // The text as written; num/str/bool report the reason instead of a wrong type.
        if (!this.unresolved.has(key)) this.unresolved.set(key, hit.error);
        return this.plain(path);
      }
      return undefined;
    }
    return this.plain(path);
  }

  private plain(path: readonly string[]): unknown {
    let v: unknown = this.doc.data;
    for (const p of path) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string, unknown>)[p];
    }
    return v;
  }

  /**
   * OmegaConf YAML (NeMo, Hydra, torchtune): a value is resolved when it is read, so `${.hidden_size}` follows an
   * override of hidden_size and a broken reference in a field the engine never reads costs nothing.
   */
  private readonly interpolates: boolean;
  private readonly resolved = new Map<string, ResolvedLookup>();
  /** Fields whose interpolation cannot be resolved, with the reason. */
  private readonly unresolved = new Map<string, InterpolationError>();
  private readonly envDefaults = new Map<string, EnvDefault[]>();
  /** Set by a record that belongs to another file's run (a trainer_state.json beside its config.json). */
  partOfRun?: string;
  /** Defaults this file's values rest on (an environment variable LIM Lens does not read). */
  readonly assumptions: FileAssumption[] = [];

  private lookup(path: readonly string[], stack: readonly string[]): ResolvedLookup {
    const key = path.join('.');
    if (this.overrides.has(key)) return { found: true, value: this.overrides.get(key), env: [] };
    const cached = this.resolved.get(key);
    if (cached) return cached;
    let v: unknown = this.doc.data;
    const env: EnvDefault[] = [];
    let result: ResolvedLookup | undefined;
    for (let i = 0; i < path.length && !result; i++) {
      if (v === null || typeof v !== 'object') result = { found: false };
      else {
        v = (v as Record<string, unknown>)[path[i]];
        if (typeof v === 'string' && hasInterpolation(v)) {
          const at = path.slice(0, i + 1);
          const atKey = at.join('.');
          if (stack.includes(atKey)) {
            const loop = [...stack.slice(stack.indexOf(atKey)), atKey];
            result = { found: false, error: { code: 'interpolation-cycle', message: `the interpolations ${loop.join(' → ')} refer to each other in a cycle` } };
            break;
          }
          const r = resolveInterpolations(v, at, (p) => this.lookup(p, [...stack, atKey]));
          if (!r.ok) result = { found: false, error: r.error };
          else {
            v = r.value;
            env.push(...r.env);
          }
        }
      }
    }
    result ??= v === undefined ? { found: false } : { found: true, value: v, env };
    this.resolved.set(key, result);
    return result;
  }

  has(path: readonly string[]): boolean {
    const v = this.raw(path);
    return v !== undefined && v !== null;
  }

  /** Location of a path, or of its nearest located ancestor (for "missing field" messages). */
  locate(path: readonly string[]): FieldLocation {
    for (let n = path.length; n >= 0; n--) {
      const loc = this.exact(n === path.length ? path : path.slice(0, n));
      if (loc) return loc;
    }
    return { path: [], line: 1, column: 1, offset: 0, length: 0 };
  }

  private exact(path: readonly string[]): FieldLocation | undefined {
    const key = path.join('.');
    if (!this.located.has(key)) this.located.set(key, this.doc.locate(path));
    return this.located.get(key);
  }

  source(path: readonly string[]): Source {
    const loc = this.locate(path);
    return { kind: 'read', file: this.file, field: path.join('.'), line: loc.line, column: loc.column, offset: loc.offset, length: loc.length };
  }

  /** A default this file's numbers rest on, listed in the report's assumptions (once per name). */
  assume(name: string, value: unknown, reason: string): void {
    if (!this.assumptions.some((a) => a.name === name)) this.assumptions.push({ name, value, reason });
  }

  /** Reports (once) why an interpolation at this path cannot be resolved; true when it cannot. */
  unresolvedAt(path: readonly string[]): boolean {
    const key = path.join('.');
    const err = this.unresolved.get(key);
    if (!err) return false;
    if (!this.seen.has(`!${key}`)) {
      this.seen.add(`!${key}`);
      this.report(path, err.code, `${key}: ${err.message}`, 'warning');
    }
    return true;
  }

  record(path: readonly string[], value: unknown): void {
    const key = path.join('.');
    if (this.seen.has(key)) return;
    const loc = this.exact(path);
    if (!loc) return;
    this.seen.add(key);
    const env = this.envDefaults.get(key);
    if (env) {
      for (const e of env) {
        const reason = `${key}: \${oc.env:${e.variable},…}: LIM Lens does not read the environment, so ${e.variable} is taken as unset and its default ${JSON.stringify(e.value)} is used`;
        this.assumptions.push({ name: `${key} (env ${e.variable})`, value: e.value, reason });
        this.report(path, 'env-default', reason, 'info');
      }
    }
    // Explicit copies: `{ ...loc, more }` is several times slower in V8, and this runs for every field read.
    this.reads.push({ path: loc.path, line: loc.line, column: loc.column, offset: loc.offset, length: loc.length, file: this.doc.file, field: key, value });
  }

  report(path: readonly string[], code: string, message: string, severity: ConfigDiagnostic['severity'] = 'error'): void {
    const loc = this.locate(path);
    this.diagnostics.push({ file: this.file, line: loc.line, column: loc.column, field: path.join('.'), severity, code, message, offset: loc.offset, length: loc.length });
  }

  num(path: readonly string[], rule: NumberRule = {}): Sourced<number> | undefined {
    const raw = this.raw(path);
    if (raw === undefined || raw === null) return undefined;
    const name = path.join('.');
    if (typeof raw === 'string' && this.unresolvedAt(path)) return undefined;
    let value: number;
    if (typeof raw === 'number') value = raw;
    else if (typeof raw === 'string' && rule.allowString) {
      // Python's int() (argparse) reads 220_000_000.
      const q = parseQuantity(this.doc.syntax === 'shell' && /^\d+(_\d+)+$/.test(raw) ? raw.replace(/_/g, '') : raw);
      if (!q.ok) {
        // A value only known when the script runs is a limit of reading the file, not a broken file.
        if (/\$/.test(raw)) this.report(path, 'shell-unresolved', `${name}: ${this.doc.shell?.unresolved[name] ?? `${raw} uses a shell variable this script does not set`}; its value is unknown here`, 'warning');
        else this.report(path, 'wrong-type', `${name} must be a number, got ${JSON.stringify(raw)}`);
        return undefined;
      }
      value = q.value;
    } else {
      this.report(path, 'wrong-type', `${name} must be a number, got ${describeValue(raw)}`);
      return undefined;
    }
    if (Number.isNaN(value) || !Number.isFinite(value)) {
      this.report(path, 'bad-value', `${name} must be a finite number, got ${value}`);
      return undefined;
    }
    const min = rule.min ?? 0;
    if (rule.min === undefined ? value <= 0 : value < min) {
      this.report(path, 'bad-value', `${name} must be ${rule.min === undefined ? 'greater than 0' : `at least ${min}`}, got ${value}`);
      return undefined;
    }
    if (rule.integer && !Number.isInteger(value)) {
      this.report(path, 'bad-value', `${name} must be a whole number, got ${value}`);
      return undefined;
    }
    if (rule.max !== undefined && value > rule.max) {
      this.report(path, 'too-large', `${name} = ${value} is larger than any real model or run (at most ${formatInteger(rule.max)})`);
      return undefined;
    }
    this.record(path, raw);
    return { value, source: this.source(path) };
  }

  /** A required number: a missing field is a diagnostic naming what needs it. */
  need(path: readonly string[], rule: NumberRule, what: string, severity: ConfigDiagnostic['severity'] = 'error', hint = ''): Sourced<number> | undefined {
    if (!this.has(path)) {
      this.report(path, 'missing-field', `missing required field ${path.join('.')} (${what})${hint}`, severity);
      return undefined;
    }
    return this.num(path, rule);
  }

  /**
   * Several required numbers at once, each under the first present of its spellings (n_embd / hidden_size …).
   * Every missing or bad field is reported before giving up, so one pass shows all of them.
   */
  needAll<K extends string>(at: readonly string[], what: string, fields: Record<K, [string[], NumberRule]>): Record<K, number> | undefined {
    const out = {} as Record<K, number>;
    let ok = true;
    for (const key of Object.keys(fields) as K[]) {
      const [names, rule] = fields[key];
      const path = this.first(names.map((n) => [...at, n])) ?? [...at, names[0]];
      const v = this.need(path, rule, what);
      if (v) out[key] = v.value;
      else ok = false;
    }
    return ok ? out : undefined;
  }

  str(path: readonly string[]): Sourced<string> | undefined {
    const raw = this.raw(path);
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'string') {
      this.report(path, 'wrong-type', `${path.join('.')} must be a string, got ${describeValue(raw)}`);
      return undefined;
    }
    if (this.unresolvedAt(path)) return undefined;
    this.record(path, raw);
    return { value: raw, source: this.source(path) };
  }

  /** Booleans as configs write them: true/false, and "true"/"false"/"auto" strings in YAML and shell. */
  bool(path: readonly string[]): Sourced<boolean> | undefined {
    const raw = this.raw(path);
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === 'string' && this.unresolvedAt(path)) return undefined;
    let value: boolean | undefined;
    if (typeof raw === 'boolean') value = raw;
    else if (typeof raw === 'string' && /^(true|false|auto|yes|no)$/i.test(raw)) value = /^(true|auto|yes)$/i.test(raw);
    else if (raw === 0 || raw === 1) value = raw === 1;
    if (value === undefined) {
      this.report(path, 'wrong-type', `${path.join('.')} must be true or false, got ${describeValue(raw)}`);
      return undefined;
    }
    this.record(path, raw);
    return { value, source: this.source(path) };
  }

  /** The first present path among alternatives, e.g. n_embd / hidden_size. */
  first(paths: ReadonlyArray<readonly string[]>): readonly string[] | undefined {
    return paths.find((p) => this.has(p));
  }
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)})`;
  return `${typeof v} ${String(v)}`;
}
