import type { ParsedDoc } from './parse';
import { lineStarts, positionAt } from './lines';
import type { ConfigDiagnostic, FieldLocation } from './types';

/**
 * Reads Megatron-style launch scripts: `--flag value` lists spread over continued lines, often with values in
 * shell variables (`--num-layers $NUM_LAYERS`, `${GBS}`, `$((MBS*8))`). The result's data maps each flag (with
 * its dashes, as written) to its value string, or `true` for a switch; the last occurrence wins, as in argparse.
 * Each variable the script sets (`NUM_GPUS=64`, an #SBATCH line's SLURM_NNODES) is there too, as `$NAME`, located
 * at the value of its last assignment, so a count read from one links to where the script states it.
 */
export function parseShellArgs(file: string, text: string): ParsedDoc {
  const starts = lineStarts(text);
  const diagnostics: ConfigDiagnostic[] = [];
  const vars = readAssignments(text);
  const data: Record<string, string | true> = {};
  const unresolved: Record<string, string> = {};
  const spans = new Map<string, [number, number]>();
  const flagRe = /(^|[\s"'(=])--([A-Za-z][\w-]*)(?:=|[ \t]+)?/g;
  for (let m = flagRe.exec(text); m; m = flagRe.exec(text)) {
    const start = m.index + m[1].length;
    if (inComment(text, start)) continue;
    const name = `--${m[2]}`;
    const afterFlag = m.index + m[0].length;
    // A word: quoted, $(( … )), or plain characters and ${ … } groups (whose defaults may be quoted: ${X:-"8"}).
    const raw = /^(?!--|\\)(?:"[^"\n]*"|'[^'\n]*'|\$\(\([^\n]*?\)\)|(?:\$\{[^}\n]*\}|[^\s"'\\;|&)$]|\$(?!\{))+)/.exec(text.slice(afterFlag, afterFlag + 400));
    const valueText = raw && !/^-[A-Za-z]/.test(raw[0]) ? raw[0] : undefined;
    const end = valueText ? afterFlag + valueText.length : start + name.length;
    if (valueText === undefined) data[name] = true;
    else {
      // An unresolved variable stays as written; only the flags the engine reads report it (FieldReader).
      const expanded = expand(unquote(valueText), vars);
      data[name] = expanded.ok ? expanded.value : valueText;
      if (expanded.ok) delete unresolved[name];
      else unresolved[name] = expanded.reason;
    }
    spans.set(name, [start, end]);
  }
  for (const [name, value] of vars.values) {
    const key = `$${name}`;
    data[key] = value;
    const span = vars.spans.get(name);
    if (span) spans.set(key, span);
  }
  const locate = (path: readonly string[]): FieldLocation | undefined => {
    if (path.length !== 1) return undefined;
    const span = spans.get(path[0]);
    if (!span) return undefined;
    const { line, column } = positionAt(starts, span[0]);
    return { path: [...path], line, column, offset: span[0], length: span[1] - span[0] };
  };
  return { file, syntax: 'shell', text, data, diagnostics, locate, shell: { vars: Object.fromEntries(vars.values), unresolved } };
}

function inComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /(^|\s)#/.test(text.slice(lineStart, offset));
}

function unquote(s: string): string {
  return /^(["']).*\1$/s.test(s) ? s.slice(1, -1) : s;
}

/** `NAME=value` and `export NAME=value` lines; later assignments win, as the shell would run them top-down. */
function readAssignments(text: string): ShellVars {
  const vars: ShellVars = { values: new Map(), unknown: new Map(), spans: new Map() };
  // A Slurm batch script's #SBATCH directives are what Slurm puts in the job's environment.
  for (const [name, value, span] of slurmVariables(text)) {
    vars.values.set(name, value);
    vars.spans.set(name, span);
  }
  const re = /^[ \t]*(?:export[ \t]+|declare[ \t]+(?:-\w+[ \t]+)*)?([A-Za-z_]\w*)=("[^"\n]*"|'[^'\n]*'|\$\(\([^\n]*?\)\)|[^\s;#]*)|^[ \t]*:[ \t]+"?\$\{([A-Za-z_]\w*):?=([^}\n]*)\}/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[3] !== undefined) {
      // `: ${NAME:=default}` assigns the default when NAME is unset, the usual way to give a script a default.
      if (!vars.values.has(m[3])) {
        const d = expand(unquote(m[4].trim()), vars);
        if (d.ok) {
          vars.values.set(m[3], d.value);
          const end = m.index + m[0].length - 1;
          vars.spans.set(m[3], [end - m[4].length, end]);
        }
      }
      continue;
    }
    const expanded = expand(unquote(m[2]), vars);
    const valueStart = m.index + m[0].length - m[2].length;
    vars.spans.set(m[1], [valueStart, valueStart + m[2].length]);
    if (expanded.ok) vars.values.set(m[1], expanded.value);
    else {
      vars.values.delete(m[1]);
      vars.unknown.set(m[1], expanded.reason);
    }
  }
  return vars;
}

/** The environment Slurm gives a job from its #SBATCH lines: node count and GPUs per node, each with its line's span. */
function slurmVariables(text: string): Array<[string, string, [number, number]]> {
  const out: Array<[string, string, [number, number]]> = [];
  const re = /^#SBATCH[ \t]+(?:--([\w-]+)(?:[= \t]+(\S+))?|-N[ \t]*(\d+))/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [flag, value] = m[3] ? ['nodes', m[3]] : [m[1], m[2] ?? ''];
    const span: [number, number] = [m.index, m.index + m[0].length];
    if (flag === 'nodes' && /^\d+$/.test(value)) out.push(['SLURM_NNODES', value, span], ['SLURM_JOB_NUM_NODES', value, span]);
    else if (flag === 'ntasks-per-node' && /^\d+$/.test(value)) out.push(['SLURM_NTASKS_PER_NODE', value, span]);
    else if (flag === 'gpus-per-node' && /^(\w+:)?\d+$/.test(value)) out.push(['SLURM_GPUS_PER_NODE', value.replace(/^\w+:/, ''), span]);
    else if (flag === 'gres' && /^gpu:(\w+:)?\d+$/.test(value)) out.push(['SLURM_GPUS_ON_NODE', value.replace(/^gpu:(\w+:)?/, ''), span]);
  }
  return out;
}

/** Variables as the script sets them, and why one assigned from something unknown (bs=$4) has no value. */
interface ShellVars {
  values: Map<string, string>;
  unknown: Map<string, string>;
  /** Where each variable's last assignment puts its value: [start, end) offsets in the script. */
  spans: Map<string, [number, number]>;
}

type Expanded = { ok: true; value: string } | { ok: false; reason: string };

const POSITIONAL = (n: string) => `$${n} is the script's ${ordinal(Number(n))} argument, given when it is run`;
const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/**
 * Expands `$NAME`, `${NAME}`, `${NAME:-default}` / `${NAME-default}` (the default quoted or not, itself expanded),
 * `${NAME:=default}` (which also assigns), `$(( … ))`; `$1`…`$9` and `${10}` are the script's arguments, unknown here.
 */
function expand(value: string, vars: ShellVars): Expanded {
  let missing: string | undefined;
  const lookup = (name: string, op?: string, fallback?: string): string => {
    const v = vars.values.get(name);
    const unset = v === undefined || (op !== undefined && op.startsWith(':') && v === '');
    if (!unset || op === undefined) {
      if (v === undefined) missing ??= /^\d+$/.test(name) ? POSITIONAL(name) : vars.unknown.has(name) ? `$${name}: ${vars.unknown.get(name)!}` : `the shell variable ${name} is not set in this script`;
      return v ?? '';
    }
    const inner = expand(unquote((fallback ?? '').trim()), vars);
    if (!inner.ok) {
      missing ??= inner.reason;
      return '';
    }
    if (op.endsWith('=')) vars.values.set(name, inner.value);
    return inner.value;
  };
  const arith = /^\$\(\((.*)\)\)$/s.exec(value.trim());
  if (arith) {
    const expr = arith[1].replace(/\$?\{?([A-Za-z_]\w*|\d+)\}?/g, (_m, n: string) => (/^\d+$/.test(n) && !_m.startsWith('$') ? n : lookup(n)));
    if (missing) return { ok: false, reason: missing };
    const n = evalArithmetic(expr);
    return n === undefined ? { ok: false, reason: `cannot evaluate the arithmetic $((${arith[1]}))` } : { ok: true, value: String(n) };
  }
  const out = value.replace(/\$\{([A-Za-z_]\w*|\d+)(?:(:?[-=])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_]\w*|\d)/g, (_m, braced: string | undefined, op: string | undefined, fallback: string | undefined, bare: string | undefined) =>
    lookup(braced ?? bare ?? '', op, fallback),
  );
  if (missing) return { ok: false, reason: missing };
  return { ok: true, value: out };
}

/** Integer arithmetic of `$(( ))`: + − * / % and parentheses over whole numbers; undefined for anything else. */
export function evalArithmetic(expr: string): number | undefined {
  const tokens = expr.match(/\d+|[-+*/%()]|\S/g) ?? [];
  let i = 0;
  const primary = (): number | undefined => {
    const t = tokens[i++];
    if (t === undefined) return undefined;
    if (/^\d+$/.test(t)) return Number(t);
    if (t === '-') {
      const v = primary();
      return v === undefined ? undefined : -v;
    }
    if (t === '(') {
      const v = sum();
      return tokens[i++] === ')' ? v : undefined;
    }
    return undefined;
  };
  const product = (): number | undefined => {
    let v = primary();
    while (v !== undefined && (tokens[i] === '*' || tokens[i] === '/' || tokens[i] === '%')) {
      const op = tokens[i++];
      const r = primary();
      if (r === undefined || (op !== '*' && r === 0)) return undefined;
      v = op === '*' ? v * r : op === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = (): number | undefined => {
    let v = product();
    while (v !== undefined && (tokens[i] === '+' || tokens[i] === '-')) {
      const op = tokens[i++];
      const r = product();
      if (r === undefined) return undefined;
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  const v = sum();
  return i === tokens.length && v !== undefined && Number.isFinite(v) ? v : undefined;
}
