import type { ParsedDoc } from './parse';
import { lineStarts, positionAt } from './lines';
import type { ConfigDiagnostic, FieldLocation } from './types';

/**
 * Reads Megatron-style launch scripts: `--flag value` lists spread over continued lines, often with values in
 * shell variables (`--num-layers $NUM_LAYERS`, `${GBS}`, `$((MBS*8))`). The result's data maps each flag (with
 * its dashes, as written) to its value string, or `true` for a switch; the last occurrence wins, as in argparse.
 */
export function parseShellArgs(file: string, text: string): ParsedDoc {
  const starts = lineStarts(text);
  const diagnostics: ConfigDiagnostic[] = [];
  const vars = readAssignments(text);
  const data: Record<string, string | true> = {};
  const spans = new Map<string, [number, number]>();
  const flagRe = /(^|[\s"'(=])--([A-Za-z][\w-]*)(?:=|[ \t]+)?/g;
  for (let m = flagRe.exec(text); m; m = flagRe.exec(text)) {
    const start = m.index + m[1].length;
    if (inComment(text, start)) continue;
    const name = `--${m[2]}`;
    const afterFlag = m.index + m[0].length;
    const raw = /^(?!--|\\)(?:"[^"\n]*"|'[^'\n]*'|\$\(\([^\n]*?\)\)|[^\s"'\\;|&)]+)/.exec(text.slice(afterFlag, afterFlag + 400));
    const valueText = raw && !/^-[A-Za-z]/.test(raw[0]) ? raw[0] : undefined;
    const end = valueText ? afterFlag + valueText.length : start + name.length;
    if (valueText === undefined) data[name] = true;
    else {
      // An unresolved variable stays as written; only the flags the engine reads report it (FieldReader).
      const expanded = expand(unquote(valueText), vars);
      data[name] = expanded.ok ? expanded.value : valueText;
    }
    spans.set(name, [start, end]);
  }
  const locate = (path: readonly string[]): FieldLocation | undefined => {
    if (path.length !== 1) return undefined;
    const span = spans.get(path[0]);
    if (!span) return undefined;
    const { line, column } = positionAt(starts, span[0]);
    return { path: [...path], line, column, offset: span[0], length: span[1] - span[0] };
  };
  return { file, syntax: 'shell', text, data, diagnostics, locate };
}

function inComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /(^|\s)#/.test(text.slice(lineStart, offset));
}

function unquote(s: string): string {
  return /^(["']).*\1$/s.test(s) ? s.slice(1, -1) : s;
}

/** `NAME=value` and `export NAME=value` lines; later assignments win, as the shell would run them top-down. */
function readAssignments(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  const re = /^[ \t]*(?:export[ \t]+|declare[ \t]+(?:-\w+[ \t]+)*)?([A-Za-z_]\w*)=("[^"\n]*"|'[^'\n]*'|\$\(\([^\n]*?\)\)|[^\s;#]*)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const expanded = expand(unquote(m[2]), vars);
    vars.set(m[1], expanded.ok ? expanded.value : m[2]);
  }
  return vars;
}

type Expanded = { ok: true; value: string } | { ok: false; reason: string };

function expand(value: string, vars: Map<string, string>): Expanded {
  let missing: string | undefined;
  const lookup = (name: string, fallback?: string) => {
    const v = vars.get(name) ?? fallback;
    if (v === undefined) missing ??= name;
    return v ?? '';
  };
  const arith = /^\$\(\((.*)\)\)$/s.exec(value.trim());
  if (arith) {
    const expr = arith[1].replace(/\$?\{?([A-Za-z_]\w*)\}?/g, (_m, n: string) => lookup(n));
    if (missing) return { ok: false, reason: `the shell variable ${missing} is not set in this script` };
    const n = evalArithmetic(expr);
    return n === undefined ? { ok: false, reason: `cannot evaluate the arithmetic $((${arith[1]}))` } : { ok: true, value: String(n) };
  }
  const out = value.replace(/\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g, (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) =>
    lookup(braced ?? bare ?? '', fallback),
  );
  if (missing) return { ok: false, reason: `the shell variable ${missing} is not set in this script` };
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
