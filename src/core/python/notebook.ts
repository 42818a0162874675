import { parseStrictJson } from '../configs/jsonFast';

export const isNotebookPath = (path: string) => path.toLowerCase().endsWith('.ipynb');

/**
 * A Jupyter notebook's code cells joined into one Python text, with a map from offsets in that text back to the
 * notebook: the cell (0-based among all cells), the offset inside the cell's source, and — for an .ipynb read from
 * disk — the offset in the JSON file where that character is written. Outputs are never looked at, however large.
 */
export interface JoinedCells {
  code: string;
  cells: CellSpan[];
}

export interface CellSpan {
  /** Index of the cell in the notebook (markdown cells count too, as the editor numbers them). */
  index: number;
  /** Where the cell starts in the joined text, and its length there. */
  start: number;
  length: number;
  /** JSON text only: each source line's start in the joined text and the offset of its opening quote in the file. */
  lines?: Array<{ at: number; quote: number }>;
}

export type NotebookRead = { ok: true; joined: JoinedCells; jsonText: string } | { ok: false; code: string; message: string };

/** Shell escapes and magics (`!pip install`, `%%capture`) are not Python: each becomes a comment of the same length. */
export function neutraliseMagics(source: string): string {
  if (!/^[ \t]*[!%]/m.test(source)) return source;
  return source.replace(/^([ \t]*)[!%]/gm, '$1#');
}

/** Joins the code cells' sources (each ending in a newline) into one text. */
export function joinCells(sources: Array<{ index: number; source: string }>): JoinedCells {
  let code = '';
  const cells: CellSpan[] = [];
  for (const s of sources) {
    const text = neutraliseMagics(s.source);
    cells.push({ index: s.index, start: code.length, length: text.length });
    code += text.endsWith('\n') || text === '' ? text : `${text}\n`;
  }
  return { code, cells };
}

/** The cell holding a joined-text offset, and the offset inside it. */
export function cellAt(joined: JoinedCells, offset: number): { cell: CellSpan; offset: number } | undefined {
  let lo = 0;
  let hi = joined.cells.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (joined.cells[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const cell = joined.cells[lo];
  return { cell, offset: Math.min(offset - cell.start, cell.length) };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads an .ipynb file's code cells; invalid JSON or something that is not a notebook is a clear error. */
export function readNotebookJson(text: string): NotebookRead {
  const fast = parseStrictJson(text);
  if (!fast) {
    let why = 'invalid JSON';
    try {
      JSON.parse(text);
    } catch (e) {
      why = `invalid JSON (${e instanceof Error ? e.message.slice(0, 120) : String(e)})`;
    }
    return { ok: false, code: 'notebook-json', message: `not a readable notebook: ${why}` };
  }
  const nb = fast.data;
  const v3 = isObject(nb) && Array.isArray(nb.worksheets) && isObject(nb.worksheets[0]) ? (nb.worksheets[0] as Record<string, unknown>) : undefined;
  const cellsRaw = isObject(nb) ? (Array.isArray(nb.cells) ? nb.cells : Array.isArray(v3?.cells) ? v3!.cells : undefined) : undefined;
  if (!Array.isArray(cellsRaw)) return { ok: false, code: 'notebook-format', message: 'not a Jupyter notebook: no "cells" list' };
  const base = v3 ? ['worksheets', '0', 'cells'] : ['cells'];
  const sources: Array<{ index: number; source: string; parts: string[] }> = [];
  cellsRaw.forEach((c, index) => {
    if (!isObject(c) || c.cell_type !== 'code') return;
    const key = v3 ? 'input' : 'source';
    const src = c[key];
    const parts = typeof src === 'string' ? [src] : Array.isArray(src) ? src.filter((s): s is string => typeof s === 'string') : [];
    sources.push({ index, source: parts.join(''), parts });
  });
  const joined = joinCells(sources);
  // Where each source line is written in the file, found lazily by the strict-JSON index (outputs are skipped
  // over, never parsed into nodes).
  joined.cells.forEach((cell, i) => {
    const s = sources[i];
    const key = v3 ? 'input' : 'source';
    let at = cell.start;
    const lines: Array<{ at: number; quote: number }> = [];
    const whole = typeof cellsRaw[s.index] === 'object' && typeof (cellsRaw[s.index] as Record<string, unknown>)[key] === 'string';
    s.parts.forEach((part, j) => {
      const span = fast.span(whole ? [...base, String(s.index), key] : [...base, String(s.index), key, String(j)]);
      if (span) lines.push({ at, quote: valueStart(text, span[0]) });
      at += part.length;
    });
    cell.lines = lines;
  });
  return { ok: true, joined, jsonText: text };
}

/** A span from parseStrictJson starts at a member's key; the string value starts at the quote after the colon. */
function valueStart(text: string, spanStart: number): number {
  if (text.charCodeAt(spanStart) !== 34) return spanStart;
  // `"source": "…"` (a key) or an array item `"…"`: an item is followed by , or ], a key by :
  let i = spanStart + 1;
  while (i < text.length && text.charCodeAt(i) !== 34) i += text.charCodeAt(i) === 92 ? 2 : 1;
  let j = i + 1;
  while (j < text.length && /\s/.test(text[j])) j++;
  if (text[j] !== ':') return spanStart;
  j++;
  while (j < text.length && /\s/.test(text[j])) j++;
  return j;
}

/**
 * The offset in the JSON file of a character of the joined code: the source line's quote, then the JSON-escaped
 * characters before it counted one decoded character at a time.
 */
export function fileOffset(joined: JoinedCells, jsonText: string, offset: number): number {
  const hit = cellAt(joined, offset);
  const lines = hit?.cell.lines;
  if (!hit || !lines || lines.length === 0) return 0;
  let k = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i].at <= offset) k = i;
  let want = offset - lines[k].at;
  let i = lines[k].quote + 1;
  while (want > 0 && i < jsonText.length) {
    const c = jsonText.charCodeAt(i);
    if (c === 34) break;
    if (c === 92) i += jsonText[i + 1] === 'u' ? 6 : 2;
    else i++;
    want--;
  }
  return i;
}

/** A place in a notebook as the notebook editor shows it: the cell (0-based among all cells) and 1-based line and column in its source. */
export interface NotebookPlace {
  index: number;
  line: number;
  column: number;
}

/** The cell, line and column of an offset of the joined code; undefined when there are no code cells. */
export function placeInCells(joined: JoinedCells, offset: number): NotebookPlace | undefined {
  const hit = cellAt(joined, Math.max(0, offset));
  if (!hit) return undefined;
  const before = joined.code.slice(hit.cell.start, hit.cell.start + hit.offset);
  const nl = before.lastIndexOf('\n');
  let line = 1;
  for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
  return { index: hit.cell.index, line, column: hit.offset - nl };
}

/**
 * The offset in the joined code of the character written at `offset` in the notebook's JSON text: the inverse of
 * fileOffset. Undefined when that character is not inside the source of a code cell (an output, a key, metadata).
 */
export function joinedOffsetOfFile(joined: JoinedCells, jsonText: string, offset: number): number | undefined {
  let best: { at: number; quote: number } | undefined;
  for (const cell of joined.cells) {
    for (const l of cell.lines ?? []) {
      if (l.quote < offset && (!best || l.quote > best.quote)) best = l;
    }
  }
  if (!best) return undefined;
  let i = best.quote + 1;
  let n = 0;
  while (i < offset) {
    const c = jsonText.charCodeAt(i);
    if (c === 34 || i >= jsonText.length) return undefined;
    i += c === 92 ? (jsonText[i + 1] === 'u' ? 6 : 2) : 1;
    n++;
  }
  return best.at + n;
}

/** The cell, line and column of an offset of an .ipynb file's JSON text; undefined outside every code cell's source. */
export function placeInNotebookFile(jsonText: string, offset: number): NotebookPlace | undefined {
  const nb = readNotebookJson(jsonText);
  if (!nb.ok) return undefined;
  const at = joinedOffsetOfFile(nb.joined, jsonText, offset);
  return at === undefined ? undefined : placeInCells(nb.joined, at);
}
