/**
 * A fast reader for the plain YAML that training configs are written in: block mappings and sequences,
 * single-line plain and quoted scalars, one-line flow sequences of scalars, comments. It exists because the
 * `yaml` package needs about 7 µs per line and the editor re-reads a config on every (debounced) keystroke.
 *
 * It answers only when it is sure: anchors, aliases, tags, block scalars, flow mappings, multi-line scalars,
 * tabs, documents markers, merge keys, duplicate keys or anything else unexpected return undefined, and the
 * caller parses with `yaml`, which also produces every diagnostic. Scalars resolve with the YAML 1.2 core
 * schema, as `yaml` does by default; tests compare both parsers on the fixtures and on generated documents.
 */

export interface FastYaml {
  data: unknown;
  /** Span of `key: value` (or of a sequence item) per path, keys joined with "\u0000". */
  spans: Map<string, [number, number]>;
}

interface Line {
  start: number;
  indent: number;
  /** Content without indentation and trailing comment/whitespace; '' for blank and comment lines. */
  body: string;
  bodyStart: number;
}

const NULL_RE = /^(?:~|null|Null|NULL)$/;
const TRUE_RE = /^(?:true|True|TRUE)$/;
const FALSE_RE = /^(?:false|False|FALSE)$/;
const INT_RE = /^[-+]?[0-9]+$/;
const OCT_RE = /^0o[0-7]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INF_RE = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN_RE = /^\.(?:nan|NaN|NAN)$/;
const MAYBE_NOT_STRING = /^[-+.~0-9nNtTfF]/;
// Characters that start something this reader does not handle (anchors, aliases, tags, block scalars, flow
// mappings, directives, reserved indicators).
const SPECIAL_START = /^[&*!|>{%@`]/;

class Unsupported extends Error {}

function fail(): never {
  throw new Unsupported();
}

export function parseFastYaml(text: string): FastYaml | undefined {
  if (text.includes('\t') || text.includes('\r') || /^(---|\.\.\.)/m.test(text)) return undefined;
  try {
    const lines = splitLines(text);
    const spans = new Map<string, [number, number]>();
    const state = { i: 0 };
    skipBlank(lines, state);
    if (state.i >= lines.length) return { data: null, spans };
    const first = lines[state.i];
    const data = first.body.startsWith('- ') || first.body === '-' ? readSeq(lines, state, first.indent, null, spans) : readMap(lines, state, first.indent, null, spans);
    skipBlank(lines, state);
    if (state.i < lines.length) fail();
    return { data, spans };
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end);
    let indent = 0;
    while (indent < raw.length && raw.charCodeAt(indent) === 32) indent++;
    const content = stripComment(raw.slice(indent));
    out.push({ start, indent, body: content, bodyStart: start + indent });
    if (end === text.length) break;
    start = end + 1;
  }
  return out;
}

/** Removes a trailing comment (` #` outside quotes) and trailing spaces. */
function stripComment(s: string): string {
  if (s.startsWith('#')) return '';
  // Most lines (keys, numbers, paths) have neither a comment nor quotes.
  if (s.indexOf('#') === -1 && s.indexOf('"') === -1 && s.indexOf("'") === -1) return s.trimEnd();
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      // Quotes only open a string at the start of a scalar; inside a plain scalar they are ordinary characters.
      if (i === 0 || /[\s[,:-]/.test(s[i - 1])) quote = c;
    } else if (c === '#' && i > 0 && s[i - 1] === ' ') return s.slice(0, i).trimEnd();
  }
  if (quote) fail();
  return s.trimEnd();
}

function skipBlank(lines: Line[], state: { i: number }): void {
  while (state.i < lines.length && lines[state.i].body === '') state.i++;
}

/**
 * A path's key: the keys joined with "\u0000", built one level at a time (no array per item: a 4,000-line data list
 * spent more time copying paths than reading values). `null` is the root, so a key '' stays distinct from it.
 */
const childKey = (parent: string | null, key: string) => (parent === null ? key : `${parent}\u0000${key}`);

function readMap(lines: Line[], state: { i: number }, indent: number, path: string | null, spans: Map<string, [number, number]>, firstBody?: { body: string; bodyStart: number }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let pending = firstBody;
  for (;;) {
    let body: string;
    let bodyStart: number;
    if (pending) {
      ({ body, bodyStart } = pending);
      pending = undefined;
    } else {
      skipBlank(lines, state);
      if (state.i >= lines.length) break;
      const line = lines[state.i];
      if (line.indent < indent) break;
      if (line.indent > indent) fail();
      body = line.body;
      bodyStart = line.bodyStart;
    }
    state.i++;
    const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},:&*!|>%@`-][^:]*?|-[^\s:][^:]*?)\s*:(?:\s+(.*))?$/.exec(body);
    if (!m) fail();
    const key = m[1].startsWith('"') || m[1].startsWith("'") ? quoted(m[1]) : m[1];
    if (key === '<<' || Object.prototype.hasOwnProperty.call(out, key)) fail();
    const childPath = childKey(path, key);
    const rest = m[2];
    if (rest !== undefined && rest.startsWith('[') && !rest.endsWith(']')) {
      // A flow sequence over several lines (`checkpoint_files: [` … `]`), read as one line.
      let flow = rest;
      let last: Line | undefined;
      while (state.i < lines.length && !flow.endsWith(']')) {
        last = lines[state.i++];
        if (last.body !== '') flow += ` ${last.body}`;
      }
      if (!last || !flow.endsWith(']')) fail();
      out[key] = scalarOrFlow(flow.replace(/,\s*\]$/, ']').replace(/\[\s+/, '['));
      spans.set(childPath, [bodyStart, last.bodyStart + last.body.length]);
      continue;
    }
    if (rest !== undefined && rest !== '') {
      const valueStart = bodyStart + body.length - rest.length;
      out[key] = scalarOrFlow(rest);
      spans.set(childPath, [bodyStart, valueStart + rest.length]);
      continue;
    }
    // A nested block (more indented, or a sequence at the same indent), or null.
    const next = peek(lines, state);
    let value: unknown = null;
    let end = bodyStart + body.length;
    if (next && next.indent > indent && next.body.startsWith('[')) {
      // A flow sequence on the line below its key (torchtune's checkpoint_files).
      while (state.i < lines.length && lines[state.i] !== next) state.i++;
      state.i++;
      value = scalarOrFlow(next.body);
      end = next.bodyStart + next.body.length;
    } else if (next && (next.indent > indent || (next.indent === indent && (next.body.startsWith('- ') || next.body === '-')))) {
      value = next.body.startsWith('- ') || next.body === '-' ? readSeq(lines, state, next.indent, childPath, spans) : readMap(lines, state, next.indent, childPath, spans);
      end = lastEnd(lines, state);
    }
    out[key] = value;
    spans.set(childPath, [bodyStart, end]);
  }
  return out;
}

function readSeq(lines: Line[], state: { i: number }, indent: number, path: string | null, spans: Map<string, [number, number]>): unknown[] {
  const out: unknown[] = [];
  for (;;) {
    skipBlank(lines, state);
    if (state.i >= lines.length) break;
    const line = lines[state.i];
    if (line.indent < indent || !(line.body.startsWith('- ') || line.body === '-')) {
      if (line.indent > indent) fail();
      break;
    }
    if (line.indent > indent) fail();
    const itemPath = childKey(path, String(out.length));
    let from = line.body === '-' ? 1 : 2;
    while (from < line.body.length && line.body.charCodeAt(from) === 32) from++;
    const rest = line.body.slice(from);
    let itemStart = line.bodyStart + line.body.length - rest.length;
    const restStart = itemStart;
    if (rest === '') {
      state.i++;
      const next = peek(lines, state);
      if (next) itemStart = next.bodyStart;
      if (next && next.indent > indent) {
        out.push(next.body.startsWith('- ') ? readSeq(lines, state, next.indent, itemPath, spans) : readMap(lines, state, next.indent, itemPath, spans));
      } else out.push(null);
    } else if (rest.startsWith('- ')) fail();
    else if (rest.includes(':') && (/^[^'"[\]{}][^:]*?:(\s|$)/.test(rest) || /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')\s*:(\s|$)/.test(rest))) {
      // "- key: value" opens a mapping whose keys sit where "key" starts.
      out.push(readMap(lines, state, indent + (restStart - line.bodyStart), itemPath, spans, { body: rest, bodyStart: restStart }));
    } else {
      state.i++;
      out.push(scalarOrFlow(rest));
    }
    spans.set(itemPath, [itemStart, lastEnd(lines, state)]);
  }
  return out;
}

function peek(lines: Line[], state: { i: number }): Line | undefined {
  let j = state.i;
  while (j < lines.length && lines[j].body === '') j++;
  return lines[j];
}

/** End offset of the last non-blank line consumed so far. */
function lastEnd(lines: Line[], state: { i: number }): number {
  for (let j = state.i - 1; j >= 0; j--) if (lines[j].body !== '') return lines[j].bodyStart + lines[j].body.length;
  return 0;
}

function scalarOrFlow(s: string): unknown {
  if (s.startsWith('[')) {
    if (!s.endsWith(']')) fail();
    const inner = s.slice(1, -1).trim();
    if (inner === '') return [];
    const items: unknown[] = [];
    const re = /\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,[\]{}"'#]+?)\s*(?:,|$)/y;
    let pos = 0;
    while (pos < inner.length) {
      re.lastIndex = pos;
      const m = re.exec(inner);
      if (!m || m[0].length === 0) fail();
      items.push(scalar(m[1]));
      pos = re.lastIndex;
    }
    return items;
  }
  return scalar(s);
}

function scalar(s: string): unknown {
  if (s.startsWith('"') || s.startsWith("'")) return quoted(s);
  if (SPECIAL_START.test(s) || s.includes(': ') || s.endsWith(':') || s.startsWith('[') || s.startsWith(']') || s.startsWith('}') || s.startsWith('- ') || s === '-' || s.startsWith('? ')) fail();
  // Only these first characters can start a null, boolean, number, infinity or NaN; anything else is a string.
  if (!MAYBE_NOT_STRING.test(s)) return s;
  if (NULL_RE.test(s)) return null;
  if (TRUE_RE.test(s)) return true;
  if (FALSE_RE.test(s)) return false;
  if (INT_RE.test(s)) return Number(s);
  if (OCT_RE.test(s)) return parseInt(s.slice(2), 8);
  if (HEX_RE.test(s)) return parseInt(s.slice(2), 16);
  if (FLOAT_RE.test(s)) return Number(s);
  if (INF_RE.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (NAN_RE.test(s)) return NaN;
  return s;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', ' ': ' ',
  a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

function quoted(s: string): string {
  const q = s[0];
  if (s.length < 2 || s[s.length - 1] !== q) fail();
  const inner = s.slice(1, -1);
  if (q === "'") {
    if (/'(?!')/.test(inner.replace(/''/g, ''))) fail();
    return inner.replace(/''/g, "'");
  }
  // YAML 1.2's escapes, \xXX / \uXXXX / \UXXXXXXXX included (NeMo's chat templates write "\x00").
  return inner.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, c: string) => {
    if (c.length > 1) {
      const code = parseInt(c.slice(1), 16);
      if (code > 0x10ffff) fail();
      return String.fromCodePoint(code);
    }
    if (!(c in SIMPLE_ESCAPES)) fail();
    return SIMPLE_ESCAPES[c];
  });
}
