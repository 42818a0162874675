// The ESM build: the package's "main" is a UMD bundle whose dynamic requires a bundler cannot follow.
import { getNodeValue, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { lineStarts, positionAt } from './lines';
import { parseShellArgs } from './shellArgs';
import { parseFastYaml } from './yamlFast';
import { parseStrictJson } from './jsonFast';
import type { ConfigDiagnostic, FieldLocation } from './types';
import { parsePythonDoc } from '../python/document';
import type { PythonView } from '../python/virtual';

export type SyntaxKind = 'json' | 'yaml' | 'shell' | 'csv' | 'python';

/** A value read at a path, with where it is written. */
export interface Entry {
  value: unknown;
  loc: FieldLocation;
}

/**
 * A parsed file: its plain data (what `JSON.parse` would give) and a way to locate any path in the text.
 * Interpreters never touch jsonc-parser or yaml nodes, so an override (the sensitivity hover) can swap values
 * without re-parsing.
 */
export interface ParsedDoc {
  file: string;
  syntax: SyntaxKind;
  text: string;
  data: unknown;
  diagnostics: ConfigDiagnostic[];
  locate(path: readonly string[]): FieldLocation | undefined;
  /** Shell scripts: the variables assigned (after expansion) and, per flag, why its value could not be expanded. */
  shell?: { vars: Record<string, string>; unresolved: Record<string, string> };
  /** Python scripts and notebooks: what the syntax tree gave (src/core/python/virtual.ts). */
  python?: PythonView;
}

/** Aliases expanded beyond this many nodes are treated as a resource-exhaustion attack ("billion laughs"). */
export const MAX_YAML_ALIAS_COUNT = 1000;

export function syntaxOf(path: string): SyntaxKind | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json') || lower.endsWith('.jsonc')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  // Slurm batch scripts are shell scripts with #SBATCH comments.
  if (lower.endsWith('.sh') || lower.endsWith('.bash') || lower.endsWith('.slurm') || lower.endsWith('.sbatch')) return 'shell';
  // Measurement records (CodeCarbon's emissions.csv); read in full by src/core/measured.
  if (lower.endsWith('.csv')) return 'csv';
  // Training scripts and Jupyter notebooks (their code cells), read through a Python syntax tree.
  if (lower.endsWith('.py') || lower.endsWith('.ipynb')) return 'python';
  return undefined;
}

export function diagnosticAt(
  file: string,
  starts: number[],
  offset: number,
  length: number,
  field: string,
  code: string,
  message: string,
  severity: ConfigDiagnostic['severity'] = 'error',
): ConfigDiagnostic {
  const { line, column } = positionAt(starts, offset);
  return { file, line, column, field, severity, code, message, offset, length };
}

/** A file whose name does not say (`train`, `job.pbs`): a shell script by its `#!` line, else JSON as before. */
function sniffSyntax(text: string): SyntaxKind {
  return /^(\ufeff)?#![^\n]*\b(ba|z|da|k)?sh\b/.test(text) ? 'shell' : 'json';
}

export function parseConfigText(file: string, text: string, syntax: SyntaxKind = syntaxOf(file) ?? sniffSyntax(text)): ParsedDoc {
  // Editors hide a UTF-8 byte-order mark, so positions are counted without it, as the editor's text has them.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (syntax === 'shell') return parseShellArgs(file, body);
  if (syntax === 'python') return parsePythonDoc(file, body);
  if (syntax === 'csv') return csvHeaderDoc(file, body);
  // JSON.parse and the strict-JSON index are iterative, so they need no depth guard.
  const strict = syntax === 'json' ? strictJsonDoc(file, body) : undefined;
  if (strict) return strict;
  // Both parsers recurse once per nesting level; a hostile file nested thousands deep would exhaust the stack
  // (in V8 sometimes as a fatal, uncatchable error), so it is refused before parsing.
  const deep = tooDeep(body);
  if (deep) {
    const d = diagnosticAt(file, lineStarts(body), deep.offset, 1, '', 'too-deep', `nesting deeper than ${MAX_NESTING_DEPTH} levels; the file was not read`);
    return { file, syntax, text: body, data: undefined, diagnostics: [d], locate: () => undefined };
  }
  try {
    return syntax === 'json' ? parseJson(file, body) : parseYaml(file, body);
  } catch (e) {
    const d = diagnosticAt(file, lineStarts(body), 0, 0, '', `${syntax}-syntax`, `cannot parse: ${e instanceof Error ? e.message : String(e)}`);
    return { file, syntax, text: body, data: undefined, diagnostics: [d], locate: () => undefined };
  }
}

/**
 * A CSV file: only its header row is parsed here (`data.header`, for detection); the measurement readers parse the
 * rows themselves, with a CSV parser.
 */
function csvHeaderDoc(file: string, text: string): ParsedDoc {
  const nl = text.indexOf('\n');
  const first = (nl < 0 ? text : text.slice(0, nl)).slice(0, 8192).replace(/\r$/, '');
  const header = first.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  return { file, syntax: 'csv', text, data: { header }, diagnostics: [], locate: () => undefined };
}

/** No real config nests anywhere near this deep. */
export const MAX_NESTING_DEPTH = 256;
const DEEP_INDENT = new RegExp(`^[ -]{${2 * MAX_NESTING_DEPTH + 1}}`, 'm');

/** How many times `ch` occurs in `text`, counting no further than `limit`. */
function countUpTo(text: string, ch: string, limit: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0 && n < limit; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** First offset where bracket nesting (outside quoted strings) or indentation exceeds the limit. */
function tooDeep(text: string): { offset: number } | undefined {
  // The exact scan below walks every character (1.2 ms on a 120 KB config, on every keystroke's re-parse). It can
  // only fail with more opening brackets than the limit or a line starting with that much indentation; both are
  // found by native searches, so ordinary configs skip it.
  if (countUpTo(text, '[', MAX_NESTING_DEPTH + 1) + countUpTo(text, '{', MAX_NESTING_DEPTH + 1) <= MAX_NESTING_DEPTH && !DEEP_INDENT.test(text)) return undefined;
  let depth = 0;
  let quote = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 92 /* \ */ && quote === 34) i++;
      else if (c === quote || c === 10) quote = 0;
      continue;
    }
    if (c === 10) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32 || c === 45 /* - */) {
        if (++indent > 2 * MAX_NESTING_DEPTH) return { offset: i };
        continue;
      }
      lineStart = false;
    }
    if (c === 34 || c === 39) quote = c;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING_DEPTH) return { offset: i };
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

function strictJsonDoc(file: string, text: string): ParsedDoc | undefined {
  const fast = parseStrictJson(text);
  if (!fast) return undefined;
  let starts: number[] | undefined;
  const locate = (path: readonly string[]): FieldLocation | undefined => {
    const span = fast.span(path);
    if (!span) return undefined;
    const { line, column } = positionAt((starts ??= lineStarts(text)), span[0]);
    return { path: [...path], line, column, offset: span[0], length: span[1] - span[0] };
  };
  return { file, syntax: 'json', text, data: fast.data, diagnostics: [], locate };
}

function parseJson(file: string, text: string): ParsedDoc {
  const starts = lineStarts(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const diagnostics = errors.map((e) =>
    diagnosticAt(file, starts, e.offset, e.length, '', 'json-syntax', `invalid JSON: ${describeJsonError(printParseErrorCode(e.error))}`),
  );
  const locate = (path: readonly string[]): FieldLocation | undefined => {
    const node = jsonNodeAt(root, path);
    if (!node) return undefined;
    const span: JsonNode = node.parent?.type === 'property' ? node.parent : node;
    const { line, column } = positionAt(starts, span.offset);
    return { path: [...path], line, column, offset: span.offset, length: span.length };
  };
  return { file, syntax: 'json', text, data: root ? getNodeValue(root) : undefined, diagnostics, locate };
}

function jsonNodeAt(root: JsonNode | undefined, path: readonly string[]): JsonNode | undefined {
  let node = root;
  for (const segment of path) {
    if (!node?.children) return undefined;
    if (node.type === 'object') {
      // The last duplicate wins, as in JSON.parse and getNodeValue.
      let hit: JsonNode | undefined;
      for (const prop of node.children) if (prop.children?.[0]?.value === segment) hit = prop.children[1];
      node = hit;
    } else if (node.type === 'array') node = node.children[Number(segment)];
    else return undefined;
  }
  return node;
}

function describeJsonError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'malformed number',
    PropertyNameExpected: 'a property name was expected',
    ValueExpected: 'a value was expected',
    ColonExpected: 'a colon was expected',
    CommaExpected: 'a comma was expected',
    CloseBraceExpected: 'a closing } was expected',
    CloseBracketExpected: 'a closing ] was expected',
    EndOfFileExpected: 'extra content after the end of the document',
    InvalidCommentToken: 'malformed comment',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  };
  return words[code] ?? code;
}

function parseYaml(file: string, text: string): ParsedDoc {
  const starts = lineStarts(text);
  const fast = parseFastYaml(text);
  if (fast) {
    const rootEnd = text.trimEnd().length;
    const rootStart = text.length - text.trimStart().length;
    const locate = (path: readonly string[]): FieldLocation | undefined => {
      const span = path.length === 0 ? ([rootStart, rootEnd] as [number, number]) : fast.spans.get(path.join('\u0000'));
      if (!span) return undefined;
      const { line, column } = positionAt(starts, span[0]);
      return { path: [...path], line, column, offset: span[0], length: span[1] - span[0] };
    };
    return { file, syntax: 'yaml', text, data: fast.data, diagnostics: [], locate };
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, merge: true });
  const diagnostics = doc.errors.map((e) =>
    diagnosticAt(file, starts, e.pos[0], Math.max(1, e.pos[1] - e.pos[0]), '', 'yaml-syntax', `invalid YAML: ${e.message.split('\n')[0]}`),
  );
  let data: unknown;
  if (doc.errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
    } catch (e) {
      const alias = firstAlias(doc.contents);
      const offset = alias?.range?.[0] ?? 0;
      const isBomb = e instanceof ReferenceError && /alias/i.test(e.message);
      diagnostics.push(
        diagnosticAt(
          file,
          starts,
          offset,
          1,
          '',
          isBomb ? 'yaml-alias-bomb' : 'yaml-syntax',
          isBomb
            ? `YAML aliases expand to more than ${MAX_YAML_ALIAS_COUNT} nodes (an alias bomb?); the file was not read`
            : `invalid YAML: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    }
  }
  const locate = (path: readonly string[]): FieldLocation | undefined => {
    const span = yamlSpan(doc, path);
    if (!span) return undefined;
    const { line, column } = positionAt(starts, span[0]);
    return { path: [...path], line, column, offset: span[0], length: span[1] - span[0] };
  };
  return { file, syntax: 'yaml', text, data, diagnostics, locate };
}

function firstAlias(node: unknown): YamlNode | undefined {
  if (isAlias(node)) return node;
  if (isMap(node)) {
    for (const pair of node.items) {
      const hit = firstAlias(pair.key) ?? firstAlias(pair.value);
      if (hit) return hit;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const hit = firstAlias(item);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Range of `key: value` for a path, following aliases into their anchors. */
function yamlSpan(doc: Document, path: readonly string[]): [number, number] | undefined {
  let node: unknown = doc.contents;
  let span: [number, number] | undefined = rangeOf(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment);
      if (!pair) return undefined;
      const keyRange = rangeOf(pair.key);
      const valueRange = rangeOf(pair.value);
      node = pair.value;
      if (keyRange) span = [keyRange[0], valueRange ? valueRange[1] : keyRange[1]];
      else span = valueRange;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) return undefined;
      node = item;
      span = rangeOf(item);
    } else return undefined;
  }
  return span;
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] | null } | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}
