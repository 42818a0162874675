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
  /** The assignment statement. */
  node: PySyntaxNode;
  /** The value bound (fetched from the parser only when a lookup needs it). */
  readonly value: PySyntaxNode;
  /** Bound by unpacking the result of a command-line parser (`args = parser.parse_args()`). */
  readonly cli?: string;
}

/** A binding whose value node is asked of the parser on first use: most names of a script are never looked up. */
function lazyBinding(node: PySyntaxNode, pick: () => PySyntaxNode | null | undefined, unpacks?: PySyntaxNode): Binding {
  let value: PySyntaxNode | undefined;
  let cli: string | null | undefined;
  return {
    at: node.startIndex,
    node,
    get value() {
      return (value ??= pick() ?? node);
    },
    // Known once asked: the value (or the tuple it is unpacked from) is a call of a command-line parser.
    get cli() {
      if (cli === undefined) cli = parsesCommandLine(unpacks ?? this.value);
      return cli ?? undefined;
    },
  };
}

/** `parser.parse_args()`, `parser.parse_args_into_dataclasses()[0]` …: the call's text (cut), else null. */
function parsesCommandLine(value: PySyntaxNode): string | null {
  let v: PySyntaxNode | null = value;
  if (v.type === 'subscript') v = v.childForFieldName('value');
  if (!v || v.type !== 'call') return null;
  const fn = v.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
  return name && PARSER_METHODS.has(name) ? v.text.slice(0, 60) : null;
}

const PARSER_METHODS = new Set(['parse_args', 'parse_known_args', 'parse_args_into_dataclasses', 'parse_json_file', 'parse_yaml_file', 'parse_args_and_config', 'parse_dict']);

export interface Scope {
  node: PySyntaxNode | undefined;
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
  cliFunctions: Map<string, string>;
  /** argparse `add_argument` and click `option`, by destination name. */
  options: Map<string, CliOption>;
  /** Classes parsed from the command line (HfArgumentParser, TrlParser), in order. */
  parsedClasses: Array<{ name: string; node: PySyntaxNode; parser: string }>;
  /** Dataclasses defined in the file: class → field → default (undefined when none). */
  dataclasses: Map<string, Map<string, { node: PySyntaxNode; default?: PySyntaxNode }>>;
  /** Offsets of syntax errors. */
  errors: Array<{ start: number; end: number }>;
  /** The innermost function around an offset (the module outside any). */
  scopeAt(offset: number): Scope;
  /** The assignments of a name in a scope, in order (found when first asked for). */
  bindingsOf(scope: Scope, name: string): Binding[];
  /** The assignments of a name in every function and at module level, with their scope. */
  allBindingsOf(name: string): Array<{ scope: Scope; binding: Binding }>;
  /** Module-level names assigned exactly as `name = <expression>`, in order (found when first asked for). */
  readonly moduleAssignments: Array<{ name: string; node: PySyntaxNode; readonly value: PySyntaxNode }>;
  readonly hasFunctions: boolean;
  /** Text of exec()/open() string arguments (nanoGPT's `exec(open('configurator.py').read())`). */
  execs: string[];
  /** Calls of one more callee name, found when first asked for (`tokenizer(` …). */
  callsOf(name: string): CallSite[];
  /** The module a module-level `from M import name` (or `… import x as name`) takes a name from; undefined when none does. */
  importedFrom(name: string): string | undefined;
}

const children = (n: PySyntaxNode): PySyntaxNode[] => n.namedChildren.filter((c): c is PySyntaxNode => c !== null);

function calleeText(n: PySyntaxNode): string {
  // Iterative: a hostile `a.a.a….f(` thousands deep must not exhaust the stack.
  let suffix = '';
  let cur: PySyntaxNode | null = n;
  for (let depth = 0; cur && depth < 64; depth++) {
    if (cur.type === 'identifier') return cur.text + suffix;
    if (cur.type === 'attribute') {
      suffix = `.${cur.childForFieldName('attribute')?.text ?? '?'}${suffix}`;
      cur = cur.childForFieldName('object');
    } else if (cur.type === 'call') {
      suffix = `()${suffix}`;
      cur = cur.childForFieldName('function');
    } else return (cur.endIndex - cur.startIndex > 80 ? '?' : cur.text.replace(/\s+/g, '')) + suffix;
  }
  return `?${suffix}`;
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

/**
 * Reads a syntax tree the way a 2,000-line script stays cheap to read on every keystroke: every step that would
 * visit each node from JavaScript (one call into the WebAssembly per node) is replaced by a text search for the
 * names LIM Lens reads, each hit confirmed by the parser (the node at that offset, and its parents). Calls are found
 * by their callee's name followed by '(', assignments of a name when that name is looked up, functions by walking
 * up from the offset that needs one.
 */
export function extract(root: PySyntaxNode, text: string): Extracted {
  const calls: CallSite[] = [];
  const module: Scope = { node: undefined, params: new Map(), name: '' };
  const scopes = new Map<number, Scope>();
  const byName = new Map<string, Array<{ scope: Scope; binding: Binding }>>();

  const scopeOfFunction = (fn: PySyntaxNode): Scope => {
    const hit = scopes.get(fn.startIndex);
    if (hit) return hit;
    const s: Scope = { node: fn, params: new Map(), name: fn.childForFieldName('name')?.text ?? '' };
    const params = fn.childForFieldName('parameters');
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
    scopes.set(fn.startIndex, s);
    return s;
  };
  /** The function a path ends in (a class body is not one: its names are fields), or the module; null for a class body. */
  const enclosing = (path: PySyntaxNode[], below = path.length): Scope | null => {
    for (let k = below - 1; k >= 0; k--) {
      const t = path[k].type;
      if (t === 'function_definition') return scopeOfFunction(path[k]);
      if (t === 'class_definition') return null;
    }
    return module;
  };

  const findBindings = (name: string) => {
    const found: Array<{ scope: Scope; binding: Binding }> = [];
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + name.length)) {
      if ((i > 0 && isNameChar(text.charCodeAt(i - 1))) || isNameChar(text.charCodeAt(i + name.length))) continue;
      let j = i + name.length;
      while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
      const c = text.charCodeAt(j);
      if (!(c === 58 /* : */ || c === 44 /* , */ || c === 41 /* ) */ || (c === 61 /* = */ && text.charCodeAt(j + 1) !== 61))) continue;
      const path = pathTo(root, i);
      const id = path[path.length - 1];
      if (id.type !== 'identifier' || id.startIndex !== i) continue;
      let t = path.length - 2;
      let index = -1;
      if (t > 0 && (path[t].type === 'pattern_list' || path[t].type === 'tuple_pattern')) {
        const list = path[t];
        index = children(list).findIndex((k) => k.startIndex === i);
        t--;
      }
      const target = path[t];
      if (!target || target.type !== 'assignment' || target.startIndex > i) continue;
      const left = index < 0 ? target.childForFieldName('left') : undefined;
      if (index < 0 && left?.startIndex !== i) continue;
      const scope = enclosing(path, t);
      if (!scope) continue;
      const assignment = target;
      if (index < 0) found.push({ scope, binding: lazyBinding(assignment, () => assignment.childForFieldName('right')) });
      else {
        // `model_id, output_dir = "org/name", "out"`: each name takes its own value; `a, b = parser.parse_…()`
        // binds each to the command line.
        const right = assignment.childForFieldName('right');
        const values = right && (right.type === 'expression_list' || right.type === 'tuple') ? children(right).filter((k) => k.type !== 'comment') : [];
        if (values.length > 1) {
          if (values[index]) found.push({ scope, binding: lazyBinding(assignment, () => values[index]) });
        } else if (right) found.push({ scope, binding: lazyBinding(assignment, () => right, right) });
      }
    }
    return found;
  };

  let moduleAssignments: Extracted['moduleAssignments'] | undefined;
  let hasFunctions: boolean | undefined;
  const out: Extracted = {
    calls,
    module,
    cliFunctions: new Map(),
    options: new Map(),
    parsedClasses: [],
    dataclasses: new Map(),
    errors: [],
    execs: [],
    callsOf: () => [],
    importedFrom(name: string): string | undefined {
      for (const stmt of children(root)) {
        if (stmt.type !== 'import_from_statement') continue;
        const from = stmt.childForFieldName('module_name');
        for (const n of children(stmt)) {
          if (n.startIndex === from?.startIndex) continue;
          const bound = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.type === 'dotted_name' ? n.text : undefined;
          if (bound === name && from) return from.text;
        }
      }
      return undefined;
    },
    scopeAt(offset: number): Scope {
      return enclosing(pathTo(root, offset)) ?? module;
    },
    bindingsOf(scope: Scope, name: string): Binding[] {
      let all = byName.get(name);
      if (!all) {
        all = findBindings(name);
        byName.set(name, all);
      }
      return all.filter((b) => b.scope === scope).map((b) => b.binding);
    },
    allBindingsOf(name: string) {
      let all = byName.get(name);
      if (!all) {
        all = findBindings(name);
        byName.set(name, all);
      }
      return all;
    },
    get moduleAssignments() {
      if (!moduleAssignments) {
        moduleAssignments = [];
        for (const stmt of children(root)) {
          if (stmt.type !== 'expression_statement') continue;
          const a = children(stmt)[0];
          if (!a || a.type !== 'assignment') continue;
          const left = a.childForFieldName('left');
          const right = a.childForFieldName('right');
          if (!left || !right) continue;
          if (left.type === 'identifier') moduleAssignments.push({ name: left.text, node: a, value: right });
          else if (left.type === 'pattern_list' && (right.type === 'expression_list' || right.type === 'tuple')) {
            const names = children(left);
            const values = children(right).filter((k) => k.type !== 'comment');
            if (names.length === values.length) names.forEach((id, k) => id.type === 'identifier' && moduleAssignments!.push({ name: id.text, node: a, value: values[k] }));
          }
        }
      }
      return moduleAssignments;
    },
    get hasFunctions() {
      return (hasFunctions ??= root.descendantsOfType('function_definition').length > 0);
    },
  };

  // Calls: each callee name LIM Lens reads, followed by '(' — confirmed as a call by the parser.
  const scanCalls = (wanted: (name: string) => boolean): CallSite[] => {
    const found: CallSite[] = [];
    const seen = new Set<number>();
    for (let i = text.indexOf('('); i >= 0; i = text.indexOf('(', i + 1)) {
      let k = i;
      while (k > 0 && isNameChar(text.charCodeAt(k - 1))) k--;
      if (k === i || !wanted(text.slice(k, i))) continue;
      const path = pathTo(root, i);
      const a = path.findIndex((n, j) => j > 0 && n.type === 'argument_list' && n.startIndex === i);
      const args = a > 0 ? path[a] : undefined;
      const call = a > 0 ? path[a - 1] : undefined;
      if (!args || !call || call.type !== 'call' || seen.has(i)) continue;
      seen.add(i);
      const fn = call.childForFieldName('function');
      if (fn) found.push(callSite(call, fn, children(args), false));
    }
    return found;
  };
  for (const site of scanCalls((name) => INTERESTING_CALL.test(name))) {
    calls.push(site);
    noteCall(site, out);
  }
  const byCallee = new Map<string, CallSite[]>();
  out.callsOf = (name: string) => {
    let hit = byCallee.get(name);
    if (!hit) byCallee.set(name, (hit = scanCalls((n) => n === name)));
    return hit;
  };
  calls.sort((a, b) => a.node.startIndex - b.node.startIndex);
  // Decorators: @click.command / @click.option make a function a command line; @dataclass classes are argument sets.
  for (let i = text.indexOf('@'); i >= 0; i = text.indexOf('@', i + 1)) {
    const path = pathTo(root, i);
    const d = path.findIndex((n) => n.type === 'decorator');
    const decorated = d > 0 ? path[d - 1] : undefined;
    const def = decorated?.type === 'decorated_definition' ? decorated.childForFieldName('definition') : undefined;
    if (!def) continue;
    // The decorator's name as the parser gives it: `click.option(...)` → click.option, `dataclass` → dataclass.
    const expr = children(path[d])[0];
    const named = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
    const decoratorName = named ? calleeText(named) : '';
    if (def.type === 'function_definition' && /^(click\.(command|option|argument)|command)$/.test(decoratorName)) {
      const fname = def.childForFieldName('name')?.text;
      if (fname) out.cliFunctions.set(fname, 'click');
    }
    if (def.type === 'class_definition' && /^(dataclasses\.)?dataclass$/.test(decoratorName)) {
      const cname = def.childForFieldName('name')?.text;
      if (cname && !out.dataclasses.has(cname)) out.dataclasses.set(cname, dataclassFields(def));
    }
  }
  // Syntax errors (the parser cannot list them by type): only the subtrees that hold one are walked.
  if (root.hasError) {
    const stack: PySyntaxNode[] = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'ERROR') {
        out.errors.push({ start: n.startIndex, end: n.endIndex });
        partialCalls(n, text, calls);
      }
      for (const c of n.namedChildren) if (c && c.hasError) stack.push(c);
    }
    out.errors.sort((a, b) => a.start - b.start);
  }
  return out;
}

/** Names of the calls the readers look at (virtual.ts) and of the command-line interfaces (noteCall). */
const INTERESTING_CALL = /^(from_pretrained|from_config|from_name|load|get_peft_model|lora|load_dataset|add_argument|option|argument|Fire|run|CLI|exec|open|Fabric|from_file|\w*(Config|Arguments|Args|Trainer|Parser|_tokenizer))$/;

/**
 * The nodes from the root down to the deepest one at an offset: one call into the parser per level (a node's
 * `parent` would descend again from the root each time).
 */
function pathTo(root: PySyntaxNode, offset: number): PySyntaxNode[] {
  const path = [root];
  for (let n: PySyntaxNode | null = root.firstChildForIndex(offset); n && n.startIndex <= offset && path.length < 500; n = n.firstChildForIndex(offset)) path.push(n);
  return path;
}

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);

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
    const via = site.callee.includes('Fire') ? 'fire' : site.callee.startsWith('typer') ? 'typer' : 'jsonargparse';
    if (first?.type === 'identifier') out.cliFunctions.set(first.text, via);
    if (first?.type === 'dictionary' || first?.type === 'list') for (const id of children(first)) for (const c of [id, ...children(id)]) if (c.type === 'identifier') out.cliFunctions.set(c.text, via);
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
