import { stringText, type CliOption, type Extracted } from './extract';
import type { PySyntaxNode } from './syntax';

/**
 * A Python expression's value as far as it can be known without running the script. `cli` says the value is
 * only the default of something the command line (or the environment) sets, and names it.
 */
export type Evaluated =
  | { ok: true; value: unknown; cli?: string }
  /** `either`: a conditional whose branches are both literals (`'bfloat16' if … else 'float16'`). */
  | { ok: false; reason: string; cli?: string; either?: unknown[] };

const MAX_EVAL_DEPTH = 24;

const TORCH_DTYPES = new Set(['float32', 'float', 'float16', 'half', 'bfloat16', 'float64', 'double', 'float8_e4m3fn', 'float8_e5m2']);

const children = (n: PySyntaxNode): PySyntaxNode[] => n.namedChildren.filter((c): c is PySyntaxNode => c !== null);

function short(n: PySyntaxNode): string {
  const t = n.text.replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

export class Evaluator {
  constructor(
    private readonly x: Extracted,
    private readonly text = '',
  ) {}

  private readonly entryPoints = new Map<string, boolean>();

  /**
   * A module-level function this file never calls is called from outside it: by a command line (LitGPT's and
   * jsonargparse's CLIs call `setup(...)` with the flags), so its parameters are the command line's.
   */
  private isEntryPoint(scope: { name: string; node: PySyntaxNode | undefined }): boolean {
    const name = scope.name;
    if (!name || !scope.node || (scope.node.startIndex > 0 && this.text.charCodeAt(scope.node.startIndex - 1) !== 10)) return false;
    let hit = this.entryPoints.get(name);
    // Calls confirmed by the parser (a mention in a comment or a string is not one, nor a method `data.setup()`).
    if (hit === undefined) {
      hit = !this.x.callsOf(name).some((c) => c.callee === name);
      this.entryPoints.set(name, hit);
    }
    return hit;
  }

  /**
   * An f-string whose every field is a plain expression (no conversion, no format spec) of a known string or
   * number: f"hf://datasets/ought/raft/{dataset_name}/train". Undefined when any part is not known.
   */
  private formatted(n: PySyntaxNode, depth: number): Evaluated | undefined {
    if (n.type !== 'string') return undefined;
    let s = '';
    let cli: string | undefined;
    for (const c of children(n)) {
      if (c.type === 'string_start' || c.type === 'string_end') continue;
      if (c.type === 'string_content') s += c.text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      else if (c.type === 'escape_sequence') return undefined;
      else if (c.type === 'interpolation') {
        const parts = children(c);
        const expr = c.childForFieldName('expression');
        if (!expr || parts.length !== 1) return undefined;
        const v = this.eval(expr, depth + 1);
        if (!v.ok || (typeof v.value !== 'string' && typeof v.value !== 'number')) return undefined;
        s += String(v.value);
        cli ??= v.cli;
      } else return undefined;
    }
    return cli ? { ok: true, value: s, cli } : { ok: true, value: s };
  }

  eval(n: PySyntaxNode, depth = 0): Evaluated {
    if (depth > MAX_EVAL_DEPTH) return { ok: false, reason: 'too deeply nested to follow' };
    switch (n.type) {
      case 'integer': {
        const t = n.text.replace(/_/g, '').toLowerCase();
        const v = t.startsWith('0x') ? parseInt(t.slice(2), 16) : t.startsWith('0o') ? parseInt(t.slice(2), 8) : t.startsWith('0b') ? parseInt(t.slice(2), 2) : Number(t.replace(/l$/, ''));
        return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, reason: `${short(n)} is not a number LIM Lens can read` };
      }
      case 'float': {
        const v = Number(n.text.replace(/_/g, ''));
        return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, reason: `${short(n)} is not a number LIM Lens can read` };
      }
      case 'true':
        return { ok: true, value: true };
      case 'false':
        return { ok: true, value: false };
      case 'none':
        return { ok: true, value: null };
      case 'string':
      case 'concatenated_string': {
        const s = stringText(n);
        if (s !== undefined) return { ok: true, value: s };
        return this.formatted(n, depth) ?? { ok: false, reason: `${short(n)} is formatted when the script runs` };
      }
      case 'parenthesized_expression': {
        const inner = children(n)[0];
        return inner ? this.eval(inner, depth + 1) : { ok: false, reason: 'empty parentheses' };
      }
      case 'list':
      case 'tuple':
      case 'set': {
        const out: unknown[] = [];
        let cli: string | undefined;
        for (const c of children(n)) {
          if (c.type === 'comment') continue;
          const v = this.eval(c, depth + 1);
          if (!v.ok) return v;
          cli ??= v.cli;
          out.push(v.value);
        }
        return { ok: true, value: out, ...(cli ? { cli } : {}) };
      }
      case 'unary_operator': {
        const arg = n.childForFieldName('argument');
        const op = n.childForFieldName('operator')?.text ?? n.text.trim()[0];
        const v = arg ? this.eval(arg, depth + 1) : undefined;
        if (!v || !v.ok) return v ?? { ok: false, reason: 'incomplete expression' };
        if (typeof v.value !== 'number') return { ok: false, reason: `${short(n)}: not a number` };
        return { ...v, value: op === '-' ? -v.value : v.value };
      }
      case 'binary_operator':
        return this.binary(n, depth);
      case 'boolean_operator':
      case 'comparison_operator':
      case 'not_operator':
        return { ok: false, reason: `${short(n)} is decided when the script runs` };
      case 'conditional_expression': {
        // `a if cond else b`: the same value either way is that value; two literals are the two possibilities.
        const branches = children(n).filter((c) => c.type !== 'comment');
        const a = branches[0] ? this.eval(branches[0], depth + 1) : undefined;
        const b = branches[2] ? this.eval(branches[2], depth + 1) : undefined;
        if (a?.ok && b?.ok && a.value === b.value) return a;
        const reason = `${short(n)} depends on a condition tested when the script runs`;
        return a?.ok && b?.ok ? { ok: false, reason, either: [a.value, b.value] } : { ok: false, reason };
      }
      case 'identifier':
        return this.name(n, depth);
      case 'attribute':
        return this.attribute(n, depth);
      case 'call':
        return this.call(n, depth);
      case 'dictionary': {
        const out: Record<string, unknown> = {};
        for (const pair of children(n)) {
          if (pair.type === 'comment') continue;
          const k = pair.type === 'pair' ? pair.childForFieldName('key') : null;
          const v = pair.type === 'pair' ? pair.childForFieldName('value') : null;
          const key = k ? this.eval(k, depth + 1) : undefined;
          if (!k || !v || !key?.ok || (typeof key.value !== 'string' && typeof key.value !== 'number')) return { ok: false, reason: `${short(n)}: not a dictionary of literals` };
          // Values are evaluated when a subscript asks for one: a dictionary of settings may hold anything else.
          out[String(key.value)] = v;
        }
        return { ok: true, value: out };
      }
      case 'subscript': {
        const value = n.childForFieldName('value');
        if (value && /^sys\.argv$/.test(value.text)) return { ok: false, reason: `${short(n)}: from the command line`, cli: short(n) };
        // `config["batch_size"]` of a dictionary literal, `sizes[0]` of a list of literals.
        const index = n.childForFieldName('subscript');
        const container = value ? this.eval(value, depth + 1) : undefined;
        const key = index ? this.eval(index, depth + 1) : undefined;
        if (container?.ok && key?.ok) {
          if (Array.isArray(container.value) && typeof key.value === 'number' && Number.isInteger(key.value)) {
            const item = container.value.at(key.value);
            if (item !== undefined) return { ok: true, value: item, ...(container.cli ? { cli: container.cli } : {}) };
          } else if (container.value && typeof container.value === 'object' && (typeof key.value === 'string' || typeof key.value === 'number')) {
            const node = (container.value as Record<string, PySyntaxNode | undefined>)[String(key.value)];
            if (node) return this.eval(node, depth + 1);
          }
        }
        return { ok: false, reason: `${short(n)} is computed when the script runs` };
      }
      default:
        return { ok: false, reason: `${short(n)} is computed when the script runs` };
    }
  }

  private binary(n: PySyntaxNode, depth: number): Evaluated {
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    const op = n.childForFieldName('operator')?.text;
    if (!l || !r || !op) return { ok: false, reason: 'incomplete expression' };
    const a = this.eval(l, depth + 1);
    if (!a.ok) return a;
    const b = this.eval(r, depth + 1);
    if (!b.ok) return b;
    const cli = a.cli ?? b.cli;
    const done = (value: unknown): Evaluated => (typeof value === 'number' && !Number.isFinite(value) ? { ok: false, reason: `${short(n)} is not finite` } : { ok: true, value, ...(cli ? { cli } : {}) });
    if (typeof a.value === 'string' && typeof b.value === 'string' && op === '+') return done(a.value + b.value);
    if (typeof a.value !== 'number' || typeof b.value !== 'number') return { ok: false, reason: `${short(n)}: not arithmetic on numbers` };
    const x = a.value;
    const y = b.value;
    switch (op) {
      case '+': return done(x + y);
      case '-': return done(x - y);
      case '*': return done(x * y);
      case '/': return y === 0 ? { ok: false, reason: `${short(n)} divides by zero` } : done(x / y);
      case '//': return y === 0 ? { ok: false, reason: `${short(n)} divides by zero` } : done(Math.floor(x / y));
      case '%': return y === 0 ? { ok: false, reason: `${short(n)} divides by zero` } : done(((x % y) + y) % y);
      case '**': return Math.abs(y) > 1024 ? { ok: false, reason: `${short(n)}: exponent too large` } : done(x ** y);
      default: return { ok: false, reason: `${short(n)}: operator ${op} is not evaluated` };
    }
  }

  /** A name: the last assignment before it in its function, a parameter's default, else the module's. */
  private name(n: PySyntaxNode, depth: number): Evaluated {
    const name = n.text;
    const scope = this.x.scopeAt(n.startIndex);
    const scopes = scope === this.x.module ? [scope] : [scope, this.x.module];
    for (const s of scopes) {
      const list = this.x.bindingsOf(s, name);
      if (list.length > 0) {
        // The last assignment before the name, not counting one the name is part of (`x = x // world_size`).
        const before = list.filter((b) => b.at < n.startIndex && !(n.startIndex < b.node.endIndex));
        const b = before.length > 0 ? before[before.length - 1] : s === this.x.module ? list[0] : undefined;
        if (!b) continue;
        if (b.cli) return { ok: false, reason: `${name}: from the command line`, cli: name };
        if (b.at <= n.startIndex && n.startIndex < b.node.endIndex) return { ok: false, reason: `${name} refers to itself` };
        return this.eval(b.value, depth + 1);
      }
      if (s.params.has(name)) {
        // A parameter named like a command-line option (click's options passed on as **kwargs) is that option.
        const option = this.x.options.get(name);
        if (option) return this.option(option, depth);
        const def = s.params.get(name);
        const entry = !this.x.cliFunctions.has(s.name) && this.isEntryPoint(s);
        const viaCli = this.x.cliFunctions.has(s.name) || entry;
        const who = entry ? `from the caller of ${s.name}(), which this file does not call (a command line such as LitGPT's)` : viaCli ? 'from the command line' : `a parameter of ${s.name}()`;
        if (!def) return { ok: false, reason: `${name}: ${who}, with no default in the file`, cli: viaCli ? name : undefined };
        const v = this.eval(def, depth + 1);
        if (!v.ok) return { ok: false, reason: `${name}: ${who}; its default ${short(def)} is not a literal`, cli: viaCli ? name : undefined };
        // An empty string or None is no default at all (alpaca-lora's required base_model: str = "").
        if (v.value === '' || v.value === null) return { ok: false, reason: `${name}: ${who}, with no default in the file (${fmt(v.value)})`, cli: viaCli ? name : undefined };
        const tool = this.x.cliFunctions.get(s.name);
        return { ok: true, value: v.value, cli: viaCli && !entry ? `${name}: from the command line (${tool ? `${tool}, ` : ''}default ${fmt(v.value)} in ${s.name}())` : `${name}: ${who} (default ${fmt(v.value)})` };
      }
    }
    return { ok: false, reason: `${name} is not assigned a value in this file` };
  }

  /** `args.model_id`: an argparse or click option's default; `model_args.x`: a dataclass field parsed from argv. */
  private attribute(n: PySyntaxNode, depth: number): Evaluated {
    const obj = n.childForFieldName('object');
    const attr = n.childForFieldName('attribute')?.text ?? '';
    if (!obj) return { ok: false, reason: 'incomplete expression' };
    if (/^os\.environ$/.test(obj.text)) return { ok: false, reason: `${short(n)}: from the environment`, cli: short(n) };
    // torch.bfloat16, torch.float16 …: the dtype's name, as configs write it.
    if (obj.type === 'identifier' && obj.text === 'torch' && TORCH_DTYPES.has(attr)) return { ok: true, value: attr };
    if (obj.type === 'identifier') {
      const fromCli = this.boundToParser(obj);
      const option = this.x.options.get(attr);
      if (fromCli || option) {
        if (option) return this.option(option, depth);
        for (const [cls, fields] of this.x.dataclasses) {
          const f = fields.get(attr);
          if (!f) continue;
          if (!f.default) return { ok: false, reason: `${attr}: from the command line, with no default in ${cls}`, cli: attr };
          const v = this.eval(f.default, depth + 1);
          if (v.ok && v.value !== null) return { ok: true, value: v.value, cli: `${attr}: from the command line (default ${fmt(v.value)} in the dataclass ${cls})` };
          return { ok: false, reason: `${attr}: from the command line (${v.ok ? 'no default' : `default ${short(f.default)}`} in the dataclass ${cls})`, cli: attr };
        }
        return { ok: false, reason: `${attr}: from the command line`, cli: attr };
      }
    }
    return { ok: false, reason: `${short(n)} is computed when the script runs` };
  }

  private option(option: CliOption, depth: number): Evaluated {
    const name = option.name;
    if (!option.default) return { ok: false, reason: `${name}: from the command line, with no default in the file`, cli: name };
    const v = this.eval(option.default, depth + 1);
    if (v.ok && v.value !== null && v.value !== '') return { ok: true, value: v.value, cli: `${name}: from the command line (default ${fmt(v.value)} in the ${option.via} option)` };
    return { ok: false, reason: `${name}: from the command line (${v.ok ? 'no default' : `its default ${short(option.default)} is not a literal`})`, cli: name };
  }

  private boundToParser(id: PySyntaxNode): boolean {
    for (const s of [this.x.scopeAt(id.startIndex), this.x.module]) {
      if (this.x.bindingsOf(s, id.text).some((b) => b.cli)) return true;
    }
    return false;
  }

  private call(n: PySyntaxNode, depth: number): Evaluated {
    const fn = n.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    const args = n.childForFieldName('arguments');
    const list = args ? children(args).filter((c) => c.type !== 'comment') : [];
    if (/^(os\.environ\.get|os\.getenv|environ\.get|getenv)$/.test(fn)) {
      const nameNode = list[0];
      const varName = nameNode?.type === 'string' ? stringText(nameNode) : undefined;
      const def = list[1];
      const label = `environment variable ${varName ?? '?'}`;
      if (!def) return { ok: false, reason: `from the ${label}, with no default in the file`, cli: label };
      const v = this.eval(def, depth + 1);
      return v.ok ? { ok: true, value: v.value, cli: `from the ${label} (default ${fmt(v.value)})` } : { ok: false, reason: `from the ${label}`, cli: label };
    }
    if (/^(int|float|round|abs|str|bool)$/.test(fn) && list.length >= 1) {
      const v = this.eval(list[0], depth + 1);
      if (!v.ok) return v;
      if (fn === 'str') return { ...v, value: String(v.value) };
      if (fn === 'bool') return { ...v, value: Boolean(v.value) };
      const num = typeof v.value === 'number' ? v.value : typeof v.value === 'string' ? Number(v.value) : NaN;
      if (!Number.isFinite(num)) return { ok: false, reason: `${short(n)}: not a number` };
      return { ...v, value: fn === 'int' ? Math.trunc(num) : fn === 'round' ? Math.round(num) : fn === 'abs' ? Math.abs(num) : num };
    }
    if (/^(min|max)$/.test(fn) && list.length >= 2) {
      const vals: number[] = [];
      let cli: string | undefined;
      for (const a of list) {
        const v = this.eval(a, depth + 1);
        if (!v.ok || typeof v.value !== 'number') return v.ok ? { ok: false, reason: `${short(n)}: not numbers` } : v;
        cli ??= v.cli;
        vals.push(v.value);
      }
      return { ok: true, value: fn === 'min' ? Math.min(...vals) : Math.max(...vals), ...(cli ? { cli } : {}) };
    }
    return { ok: false, reason: `${short(n)} is computed when the script runs` };
  }
}

export function fmt(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}…` : v);
  if (Array.isArray(v)) return `[${v.map(fmt).join(', ')}]`;
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return String(v);
}
