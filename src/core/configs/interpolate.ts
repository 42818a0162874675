/**
 * OmegaConf interpolations, as NeMo, Hydra and torchtune YAML write them, resolved the way OmegaConf does:
 *
 * - `${model.hidden_size}` absolute, `${.hidden_size}` relative to the node's parent, `${..x}` one level up;
 * - a value that is one interpolation keeps its type (`${.encoder_seq_length}` is the number 2048); text around
 *   interpolations makes a string (`${data_dir}/vocab.txt`);
 * - resolvers: NeMo's `multiply` and NeMo-Launcher's `divide_ceil` / `divide_floor`, `oc.env` (and the legacy
 *   `env`), `oc.decode`, `oc.select`; arguments may be interpolations themselves (`${multiply:4, ${.hidden_size}}`);
 * - a Hydra config group's package: NeMo-Launcher's `conf/training/gpt3/175b.yaml` is composed under `training`,
 *   so its `${training.model.x}` is this file's `model.x` (tried when the first key is not one of the file's).
 *
 * The environment is never read (the core runs where there is none, and an estimate must not depend on the shell
 * it ran in): `${oc.env:VAR,default}` takes the default, and says so. Resolution is lazy and per field (see
 * FieldReader.raw): a field the model does not use never fails the file.
 */

export type Lookup = (path: string[]) => LookupResult;
export type LookupResult = { found: true; value: unknown } | { found: false; error?: InterpolationError };

export interface InterpolationError {
  code: 'unresolved-reference' | 'interpolation-cycle';
  message: string;
}

/** A default used for an environment variable LIM Lens does not read. */
export interface EnvDefault {
  variable: string;
  value: unknown;
}

export type Resolved = { ok: true; value: unknown; env: EnvDefault[] } | { ok: false; error: InterpolationError };

export const hasInterpolation = (s: string): boolean => s.includes('${');

class Failure extends Error {
  constructor(readonly error: InterpolationError) {
    super(error.message);
  }
}

interface Ctx {
  /** Path of the node that holds the interpolation (relative references start from its parent). */
  at: readonly string[];
  lookup: Lookup;
  env: EnvDefault[];
}

/** Resolves every interpolation in `text`, the value of the node at `at`. */
export function resolveInterpolations(text: string, at: readonly string[], lookup: Lookup): Resolved {
  const ctx: Ctx = { at, lookup, env: [] };
  try {
    const p = new Parser(text, ctx);
    const parts = p.sequence('');
    if (p.i < text.length) throw p.syntax();
    return { ok: true, value: join(parts), env: ctx.env };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, error: e.error };
    throw e;
  }
}

/** A value that is exactly one interpolation keeps its type; anything else is text. */
function join(parts: Array<{ value: unknown; interpolated: boolean }>): unknown {
  if (parts.length === 1 && parts[0].interpolated) return parts[0].value;
  return parts.map((x) => (x.value === null ? 'None' : typeof x.value === 'boolean' ? (x.value ? 'True' : 'False') : String(x.value))).join('');
}

class Parser {
  i = 0;
  constructor(
    readonly s: string,
    readonly ctx: Ctx,
  ) {}

  syntax(): Failure {
    return new Failure({ code: 'unresolved-reference', message: `cannot read the interpolation ${JSON.stringify(this.s)} (OmegaConf syntax)` });
  }

  /** Text and interpolations up to one of `stops` (at the top level) or the end. */
  sequence(stops: string): Array<{ value: unknown; interpolated: boolean }> {
    const parts: Array<{ value: unknown; interpolated: boolean }> = [];
    let literal = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (stops.includes(c)) break;
      if (c === '\\' && this.s[this.i + 1] === '$') {
        literal += '$';
        this.i += 2;
      } else if (c === '$' && this.s[this.i + 1] === '{') {
        if (literal) parts.push({ value: literal, interpolated: false });
        literal = '';
        parts.push({ value: this.interpolation(), interpolated: true });
      } else {
        literal += c;
        this.i++;
      }
    }
    if (literal) parts.push({ value: literal, interpolated: false });
    return parts;
  }

  /** `${…}` at the cursor: a node path or a resolver call. */
  interpolation(): unknown {
    const start = this.i;
    this.i += 2;
    const head = /^\s*([A-Za-z_][\w.-]*)\s*:/.exec(this.s.slice(this.i));
    if (head && !/^\s*[A-Za-z_][\w.-]*\s*:\s*\/\//.test(this.s.slice(this.i))) {
      this.i += head[0].length;
      const args: unknown[] = [];
      for (;;) {
        const parts = this.sequence(',}');
        args.push(argValue(parts));
        const c = this.s[this.i];
        if (c === ',') this.i++;
        else if (c === '}') break;
        else throw this.syntax();
      }
      this.i++;
      return this.call(head[1], args, this.s.slice(start, this.i));
    }
    const close = this.s.indexOf('}', this.i);
    const inner = close === -1 ? '' : this.s.slice(this.i, close).trim();
    if (close === -1 || inner.includes('${') || inner === '') throw this.syntax();
    this.i = close + 1;
    return this.node(inner);
  }

  node(ref: string): unknown {
    const dots = /^\.*/.exec(ref)![0].length;
    const keys = ref
      .slice(dots)
      .replace(/\[(\w+)\]/g, '.$1')
      .split('.')
      .filter((k) => k !== '');
    let path: string[];
    if (dots === 0) path = keys;
    else {
      // `.x` is a sibling of the node holding the interpolation; each further dot goes one level up.
      const base = this.ctx.at.slice(0, Math.max(0, this.ctx.at.length - dots));
      if (this.ctx.at.length - dots < 0) throw new Failure({ code: 'unresolved-reference', message: `\${${ref}} goes above the top of the file` });
      path = [...base, ...keys];
    }
    const hit = this.ctx.lookup(path);
    if (hit.found) return hit.value;
    if (hit.error) throw new Failure(hit.error);
    if (dots === 0 && keys.length > 1) {
      // A Hydra config group's package (`training.` in NeMo-Launcher's conf/training/*.yaml) prefixes the file's keys.
      const inPackage = this.ctx.lookup(keys.slice(1));
      if (inPackage.found) return inPackage.value;
      if (inPackage.error) throw new Failure(inPackage.error);
    }
    throw new Failure({ code: 'unresolved-reference', message: `\${${ref}} refers to ${path.join('.') || '(nothing)'}, which this file does not define (it may come from the command line or another config file)` });
  }

  call(name: string, args: unknown[], text: string): unknown {
    const num = (v: unknown): number => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw new Failure({ code: 'unresolved-reference', message: `${text}: ${name} needs numbers, got ${JSON.stringify(v)}` });
      return n;
    };
    const arity = (n: number) => {
      if (args.length !== n) throw new Failure({ code: 'unresolved-reference', message: `${text}: ${name} takes ${n} arguments, got ${args.length}` });
    };
    switch (name) {
      case 'multiply':
        arity(2);
        return num(args[0]) * num(args[1]);
      case 'divide_ceil':
        arity(2);
        return Math.ceil(num(args[0]) / num(args[1]));
      case 'divide_floor':
        arity(2);
        return Math.floor(num(args[0]) / num(args[1]));
      case 'oc.env':
      case 'env': {
        const variable = String(args[0] ?? '');
        if (args.length < 2) {
          throw new Failure({ code: 'unresolved-reference', message: `${text}: LIM Lens does not read the environment, and ${variable} has no default here` });
        }
        // OmegaConf returns the variable's text; a default written as a number is used as that number.
        const value = args[1];
        this.ctx.env.push({ variable, value });
        return value;
      }
      case 'oc.decode':
        arity(1);
        return typeof args[0] === 'string' ? primitive(args[0].trim()) : args[0];
      case 'oc.select': {
        const key = String(args[0] ?? '');
        const hit = this.ctx.lookup(key.split('.'));
        if (hit.found) return hit.value;
        if (args.length > 1) return args[1];
        return null;
      }
      default:
        throw new Failure({ code: 'unresolved-reference', message: `${text}: the resolver ${name} is registered by the training code, not in this file; LIM Lens knows multiply, divide_ceil, divide_floor and oc.env/oc.decode/oc.select` });
    }
  }
}

/** A resolver argument: one interpolation keeps its type; unquoted text is typed as OmegaConf's grammar types it. */
function argValue(parts: Array<{ value: unknown; interpolated: boolean }>): unknown {
  const trimmed = parts.filter((p, k) => p.interpolated || !(typeof p.value === 'string' && p.value.trim() === '' && (k === 0 || k === parts.length - 1)));
  if (trimmed.length === 1 && trimmed[0].interpolated) return trimmed[0].value;
  if (trimmed.every((p) => !p.interpolated)) {
    const text = trimmed.map((p) => String(p.value)).join('').trim();
    const q = /^(['"])(.*)\1$/s.exec(text);
    return q ? q[2] : primitive(text);
  }
  return String(join(trimmed)).trim();
}

/** null, booleans, integers and floats as YAML/OmegaConf read them; anything else stays text. */
function primitive(s: string): unknown {
  if (/^(null|~)$/i.test(s)) return null;
  if (/^true$/i.test(s)) return true;
  if (/^false$/i.test(s)) return false;
  if (/^[-+]?\d+$/.test(s)) return Number(s);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  return s;
}
