import type { PySyntaxNode } from './syntax';

/**
 * What a Python training script says, read from its syntax tree without running it: the calls (callee, positional
 * and keyword arguments), the names bound to values, function parameters with defaults, command-line options
 * (argparse, click) and dataclass fields. Values are evaluated only when they are literals, names bound to
 * literals, or arithmetic on them; anything else says why it cannot be known.
 */

export interface CallSite {
  /** The callee as written, without whitespace: `AutoModelForCausalLM.from_pretrained`, `LoraConfig`. */
  callee: string;
  /** Its last dotted part: `from_pretrained`, `LoraConfig`. */
  name: string;
  /** The object part for a method call (`AutoModelForCausalLM`), '' for a plain call. */
  receiver: string;
  node: PySyntaxNode;
  positional: PySyntaxNode[];
  keywords: Map<string, { node: PySyntaxNode; value: PySyntaxNode }>;
  /** Read from a half-typed call inside a syntax error. */
  partial: boolean;
}

interface Binding {
  at: number;
  value: PySyntaxNode;
  /** Bound by unpacking the result of a command-line parser (`args = parser.parse_args()`). */
  cli?: string;
}

interface Scope {
  node: PySyntaxNode | undefined;
  bindings: Map<string, Binding[]>;
  /** Function parameters and their defaults (undefined: no default). */
  params: Map<string, PySyntaxNode | undefined>;
  name: string;
}

export interface CliOption {
  name: string;
  default?: PySyntaxNode;
  node: PySyntaxNode;
  via: string;
}

export interface Extracted {
  calls: CallSite[];
  module: Scope;
  /** Names given to a command-line interface (`fire.Fire(train)`, `@click.command`): their parameters are flags. */
  cliFunctions: Set<string>;
  /** argparse `add_argument` and click `option`, by destination name. */
  options: Map<string, CliOption>;
  /** Classes parsed from the command line (HfArgumentParser, TrlParser), in order. */
  parsedClasses: Array<{ name: string; node: PySyntaxNode; parser: string }>;
  /** Dataclasses defined in the file: class → field → default (undefined when none). */
  dataclasses: Map<string, Map<string, { node: PySyntaxNode; default?: PySyntaxNode }>>;
  /** Offsets of syntax errors. */
  errors: Array<{ start: number; end: number }>;
  scopeAt(offset: number): Scope;
  /** Module-level names assigned exactly as `name = <expression>`, in order. */
  moduleAssignments: Array<{ name: string; node: PySyntaxNode; value: PySyntaxNode }>;
  hasFunctions: boolean;
  hasImports: boolean;
  /** Text of exec()/open() string arguments (nanoGPT's `exec(open('configurator.py').read())`). */
  execs: string[];
}

const MAX_DEPTH = 400;

const children = (n: PySyntaxNode): PySyntaxNode[] => n.namedChildren.filter((c): c is PySyntaxNode => c !== null);

function calleeText(n: PySyntaxNode): string {
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') {
    const obj = n.childForFieldName('object');
    const attr = n.childForFieldName('attribute');
    return obj && attr ? `${calleeText(obj)}.${attr.text}` : n.text.replace(/\s+/g, '');
  }
  if (n.type === 'call') {
    const f = n.childForFieldName('function');
    return f ? `${calleeText(f)}()` : '?';
  }
  return n.text.length > 80 ? '?' : n.text.replace(/\s+/g, '');
}

function callSite(node: PySyntaxNode, fn: PySyntaxNode, argList: PySyntaxNode[], partial: boolean): CallSite {
  const callee = calleeText(fn);
  const dot = callee.lastIndexOf('.');
  const positional: PySyntaxNode[] = [];
  const keywords = new Map<string, { node: PySyntaxNode; value: PySyntaxNode }>();
  for (const a of argList) {
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name');
      const value = a.childForFieldName('value');
      if (name && value) keywords.set(name.text, { node: a, value });
    } else if (a.type !== 'comment' && a.type !== 'list_splat' && a.type !== 'dictionary_splat' && a.type !== 'ERROR') positional.push(a);
  }
  return { callee, name: dot >= 0 ? callee.slice(dot + 1) : callee, receiver: dot >= 0 ? callee.slice(0, dot) : '', node, positional, keywords, partial };
}

export function extract(root: PySyntaxNode, text: string): Extracted {
  const calls: CallSite[] = [];
  const module: Scope = { node: undefined, bindings: new Map(), params: new Map(), name: '' };
  const scopes: Scope[] = [];
  const out: Extracted = {
    calls,
    module,
    cliFunctions: new Set(),
    options: new Map(),
    parsedClasses: [],
    dataclasses: new Map(),
    errors: [],
    moduleAssignments: [],
    hasFunctions: false,
    hasImports: false,
    execs: [],
    scopeAt(offset: number): Scope {
      let best = module;
      for (const s of scopes) if (s.node && s.node.startIndex <= offset && offset < s.node.endIndex && (best === module || s.node.startIndex >= best.node!.startIndex)) best = s;
      return best;
    },
  };

  const bind = (scope: Scope, name: string, b: Binding) => {
    const list = scope.bindings.get(name);
    if (list) list.push(b);
    else scope.bindings.set(name, [b]);
  };

  const visit = (n: PySyntaxNode, scope: Scope, depth: number, moduleLevel: boolean): void => {
    if (depth > MAX_DEPTH) return;
    switch (n.type) {
      case 'ERROR':
        out.errors.push({ start: n.startIndex, end: n.endIndex });
        partialCalls(n, text, calls);
        break;
      case 'import_statement':
      case 'import_from_statement':
        out.hasImports = true;
        return;
      case 'function_definition': {
        out.hasFunctions = true;
        const name = n.childForFieldName('name')?.text ?? '';
        const s: Scope = { node: n, bindings: new Map(), params: new Map(), name };
        const params = n.childForFieldName('parameters');
        for (const p of params ? children(params) : []) {
          if (p.type === 'identifier') s.params.set(p.text, undefined);
          else if (p.type === 'typed_parameter') {
            const id = children(p).find((c) => c.type === 'identifier');
            if (id) s.params.set(id.text, undefined);
          } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
            const pn = p.childForFieldName('name');
            if (pn) s.params.set(pn.text, p.childForFieldName('value') ?? undefined);
          }
        }
        scopes.push(s);
        const body = n.childForFieldName('body');
        if (body) visit(body, s, depth + 1, false);
        return;
      }
      case 'decorated_definition': {
        const def = n.childForFieldName('definition');
        for (const d of children(n)) {
          if (d.type !== 'decorator') continue;
          const t = d.text;
          if (def?.type === 'function_definition' && /click\.(command|option|argument)|@command\b/.test(t)) {
            const fname = def.childForFieldName('name')?.text;
            if (fname) out.cliFunctions.add(fname);
          }
          if (def?.type === 'class_definition' && /^@\s*(dataclasses\.)?dataclass\b/.test(t)) {
            const cname = def.childForFieldName('name')?.text;
            if (cname) out.dataclasses.set(cname, dataclassFields(def));
          }
          visit(d, scope, depth + 1, moduleLevel);
        }
        if (def) visit(def, scope, depth + 1, moduleLevel);
        return;
      }
      case 'class_definition': {
        const body = n.childForFieldName('body');
        // A class body is not the module: its assignments are fields, not globals.
        if (body) for (const c of children(body)) visit(c, { ...scope, bindings: new Map() }, depth + 1, false);
        return;
      }
      case 'assignment': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left && right) {
          const fromParser = /parse_args|parse_known_args|parse_args_into_dataclasses|parse_json_file|parse_yaml_file|parse_args_and_config|parse_dict/.test(right.text.slice(0, 400));
          if (left.type === 'identifier') {
            bind(scope, left.text, { at: n.startIndex, value: right, ...(fromParser ? { cli: right.text.slice(0, 60) } : {}) });
            if (moduleLevel) out.moduleAssignments.push({ name: left.text, node: n, value: right });
          } else if ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && fromParser) {
            for (const id of children(left)) if (id.type === 'identifier') bind(scope, id.text, { at: n.startIndex, value: right, cli: right.text.slice(0, 60) });
          } else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
            // `model_id, output_dir = "org/name", "out"`: each name takes its own value.
            const names = children(left);
            const values = right.type === 'expression_list' || right.type === 'tuple' ? children(right).filter((c) => c.type !== 'comment') : [];
            if (values.length === names.length) {
              names.forEach((id, i) => {
                if (id.type !== 'identifier') return;
                bind(scope, id.text, { at: n.startIndex, value: values[i] });
                if (moduleLevel) out.moduleAssignments.push({ name: id.text, node: n, value: values[i] });
              });
            }
          }
        }
        break;
      }
      case 'call': {
        const fn = n.childForFieldName('function');
        const args = n.childForFieldName('arguments');
        if (fn) {
          const site = callSite(n, fn, args && args.type === 'argument_list' ? children(args) : [], false);
          calls.push(site);
          noteCall(site, out);
        }
        break;
      }
    }
    for (const c of n.namedChildren) if (c) visit(c, scope, depth + 1, moduleLevel && (n.type === 'module' || n.type === 'expression_statement' || n.type === 'ERROR'));
  };
  visit(root, module, 0, true);
  return out;
}

/** argparse, click, fire, HfArgumentParser: where a script's values come from the command line. */
function noteCall(site: CallSite, out: Extracted): void {
  if (site.name === 'add_argument' || (site.name === 'option' && /click/.test(site.receiver)) || site.name === 'argument') {
    const dest = site.keywords.get('dest')?.value;
    const flags = site.positional.filter((p) => p.type === 'string').map((p) => stringText(p)).filter((s): s is string => s !== undefined);
    const long = flags.find((f) => f.startsWith('--')) ?? flags.find((f) => !f.startsWith('-')) ?? flags[0];
    const name = dest && dest.type === 'string' ? stringText(dest) : long?.replace(/^-+/, '').replace(/-/g, '_');
    if (name) out.options.set(name, { name, default: site.keywords.get('default')?.value, node: site.node, via: site.name === 'add_argument' ? 'argparse' : 'click' });
  }
  if (site.callee === 'fire.Fire' || site.callee === 'Fire' || site.callee === 'typer.run' || site.callee === 'CLI' || site.callee === 'jsonargparse.CLI') {
    const first = site.positional[0];
    if (first?.type === 'identifier') out.cliFunctions.add(first.text);
    if (first?.type === 'dictionary' || first?.type === 'list') for (const id of children(first)) for (const c of [id, ...children(id)]) if (c.type === 'identifier') out.cliFunctions.add(c.text);
  }
  if (/(HfArgumentParser|TrlParser|ArgumentParser)$/.test(site.name) && site.name !== 'ArgumentParser') {
    const first = site.positional[0];
    const list = first && (first.type === 'tuple' || first.type === 'list') ? children(first) : first ? [first] : [];
    for (const c of list) if (c.type === 'identifier' || c.type === 'attribute') out.parsedClasses.push({ name: c.text.split('.').pop()!, node: c, parser: site.name });
  }
  if ((site.name === 'exec' || site.name === 'open') && site.positional[0]) {
    const inner = site.positional[0];
    out.execs.push(inner.type === 'string' ? stringText(inner) ?? '' : inner.text.slice(0, 200));
  }
}

function dataclassFields(def: PySyntaxNode): Map<string, { node: PySyntaxNode; default?: PySyntaxNode }> {
  const fields = new Map<string, { node: PySyntaxNode; default?: PySyntaxNode }>();
  const body = def.childForFieldName('body');
  for (const stmt of body ? children(body) : []) {
    const a = stmt.type === 'expression_statement' ? children(stmt)[0] : undefined;
    if (!a || a.type !== 'assignment') continue;
    const left = a.childForFieldName('left');
    if (left?.type !== 'identifier') continue;
    let value = a.childForFieldName('right') ?? undefined;
    // field(default=..., metadata=...) / field(default_factory=...)
    if (value?.type === 'call' && /(^|\.)field$/.test(value.childForFieldName('function')?.text ?? '')) {
      const args = value.childForFieldName('arguments');
      const kw = args ? children(args).find((k) => k.type === 'keyword_argument' && k.childForFieldName('name')?.text === 'default') : undefined;
      value = kw?.childForFieldName('value') ?? undefined;
    }
    fields.set(left.text, { node: a, default: value });
  }
  return fields;
}

/**
 * A call being typed is a syntax error: tree-sitter then gives an ERROR node holding the callee and the keyword
 * arguments written so far (`LoraConfig(r=16, lora_alpha=`). Each run of keyword arguments after an identifier
 * followed by '(' is read as that call's.
 */
function partialCalls(err: PySyntaxNode, text: string, calls: CallSite[]): void {
  const kids = children(err);
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i];
    if ((k.type !== 'identifier' && k.type !== 'attribute') || text.charCodeAt(skipSpaces(text, k.endIndex)) !== 40 /* ( */) continue;
    const args: PySyntaxNode[] = [];
    let j = i + 1;
    for (; j < kids.length && (kids[j].type === 'keyword_argument' || kids[j].type === 'comment'); j++) args.push(kids[j]);
    if (args.length === 0) continue;
    calls.push(callSite(k, k, args, true));
    i = j - 1;
  }
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

/** The value of a plain string literal (no f-string interpolation); undefined otherwise. */
export function stringText(n: PySyntaxNode): string | undefined {
  if (n.type === 'concatenated_string') {
    let s = '';
    for (const c of children(n)) {
      const part = stringText(c);
      if (part === undefined) return undefined;
      s += part;
    }
    return s;
  }
  if (n.type !== 'string') return undefined;
  let s = '';
  for (const c of children(n)) {
    if (c.type === 'string_start') {
      if (/f/i.test(c.text) && children(n).some((x) => x.type === 'interpolation')) return undefined;
      continue;
    }
    if (c.type === 'string_content') s += c.text;
    else if (c.type === 'escape_sequence') s += unescape(c.text);
    else if (c.type === 'interpolation') return undefined;
  }
  return s;
}

function unescape(e: string): string {
  const map: Record<string, string> = { '\\n': '\n', '\\t': '\t', '\\r': '\r', '\\\\': '\\', "\\'": "'", '\\"': '"', '\\0': '\0' };
  if (map[e] !== undefined) return map[e];
  const hex = /^\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})$/i.exec(e);
  return hex ? String.fromCodePoint(parseInt(hex[1].slice(1), 16)) : e.slice(1);
}
