import * as vscode from 'vscode';
import { isNotebookPath, joinCells, placeInCells, placeInNotebookFile, type JoinedCells, type NotebookPlace } from '../core/python/notebook';
import { lineStarts, positionAt } from '../core/configs/lines';

/**
 * A notebook in the editor is one text document per cell. LIM Lens analyses a notebook's code cells joined into one
 * Python text (the same joining as for an .ipynb read from disk), under the notebook's own URI, and maps offsets in
 * that text back to the cell they fall in: a hover on `LoraConfig(r=…)` in a cell shows the run of the notebook.
 */
export interface JoinedNotebook {
  notebook: vscode.NotebookDocument;
  /** A read-only text document of the joined code, for the analysis service (its cache is keyed by URI and version). */
  doc: vscode.TextDocument;
  joined: JoinedCells;
  /** The cells behind `joined.cells`, in the same order. */
  cells: vscode.NotebookCell[];
}

export const isNotebookCell = (doc: vscode.TextDocument) => doc.uri.scheme === 'vscode-notebook-cell';

/** The notebook a cell document belongs to. */
export function notebookOfCell(cell: vscode.TextDocument): vscode.NotebookDocument | undefined {
  const key = cell.uri.toString();
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document.uri.toString() === key));
}

const joinedCache = new WeakMap<vscode.NotebookDocument, { version: number; value: JoinedNotebook }>();

/** The notebook's code cells joined; rebuilt only when a cell or the notebook's structure changed. */
export function joinNotebook(notebook: vscode.NotebookDocument): JoinedNotebook {
  const cells = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
  // Every edit of a cell bumps that cell's version, adding or removing cells the notebook's.
  const version = notebook.version * 1_000_003 + cells.reduce((a, c) => a + c.document.version, 0);
  const hit = joinedCache.get(notebook);
  if (hit && hit.version === version) return hit.value;
  const joined = joinCells(cells.map((c) => ({ index: c.index, source: c.document.getText() })));
  const value: JoinedNotebook = { notebook, doc: textDocument(notebook.uri, version, joined.code), joined, cells };
  joinedCache.set(notebook, { version, value });
  return value;
}

/** Offset in the joined text of a position in a cell; undefined when the cell is not a code cell of the notebook. */
export function joinedOffset(j: JoinedNotebook, cell: vscode.TextDocument, position: vscode.Position): number | undefined {
  const i = j.cells.findIndex((c) => c.document.uri.toString() === cell.uri.toString());
  return i < 0 ? undefined : j.joined.cells[i].start + cell.offsetAt(position);
}

/** The cell and the position in it of an offset of the joined text. */
export function cellPosition(j: JoinedNotebook, offset: number): { cell: vscode.NotebookCell; position: vscode.Position } | undefined {
  for (let i = j.joined.cells.length - 1; i >= 0; i--) {
    const span = j.joined.cells[i];
    if (span.start <= offset) {
      const doc = j.cells[i].document;
      return { cell: j.cells[i], position: doc.positionAt(Math.min(offset - span.start, span.length)) };
    }
  }
  return undefined;
}

/**
 * Where a number read from a notebook is, as the notebook shows it: `(file, offset) => cell, line, column`, for the
 * notebook's own file and undefined for any other. The hover labels a value "cell 3, line 2" with it, and its "read"
 * link opens that cell.
 */
export type NotebookLocator = (file: string, offset: number) => NotebookPlace | undefined;

/** The locator of a notebook open in the notebook editor: offsets of its joined code cells. */
export function joinedLocator(j: JoinedNotebook, enginePath: string): NotebookLocator {
  return (file, offset) => (file === enginePath ? placeInCells(j.joined, offset) : undefined);
}

/** The locator of an .ipynb open as its JSON text (offsets in that JSON); undefined for any other document. */
export function jsonLocator(doc: vscode.TextDocument, enginePath: string): NotebookLocator | undefined {
  if (!isNotebookPath(doc.uri.path) || isNotebookCell(doc)) return undefined;
  let read: { version: number; text: string } | undefined;
  return (file, offset) => {
    if (file !== enginePath) return undefined;
    if (!read || read.version !== doc.version) read = { version: doc.version, text: doc.getText() };
    return placeInNotebookFile(read.text, offset);
  };
}

/**
 * Opens a notebook in the notebook editor at a cell (0-based among all its cells, as `NotebookPlace.index`) and a
 * 0-based line and character in that cell. False when the notebook has no such cell.
 */
export async function revealNotebookCell(uri: vscode.Uri, index: number, line: number, character: number): Promise<boolean> {
  const notebook = await vscode.workspace.openNotebookDocument(uri);
  if (index < 0 || index >= notebook.cellCount) return false;
  await vscode.window.showNotebookDocument(notebook, { selections: [new vscode.NotebookRange(index, index + 1)], preview: false });
  const cell = notebook.cellAt(index);
  const pos = cell.document.validatePosition(new vscode.Position(line, character));
  await vscode.window.showTextDocument(cell.document, { selection: new vscode.Range(pos, pos), preview: false });
  return true;
}

/**
 * Opens an .ipynb at the cell holding a 0-based line and character of its JSON text (where the workspace scan and the
 * CLI locate its values). False when that position is not in a code cell's source, or the file is not a notebook.
 */
export async function revealNotebookFilePosition(uri: vscode.Uri, text: string, line: number, character: number): Promise<boolean> {
  const starts = lineStarts(text);
  if (line >= starts.length) return false;
  const place = placeInNotebookFile(text, starts[line] + character);
  return place ? revealNotebookCell(uri, place.index, place.line - 1, place.column - 1) : false;
}

/** The minimal read-only TextDocument the analysis service needs (URI, version, text, offsets, lines). */
function textDocument(uri: vscode.Uri, version: number, text: string): vscode.TextDocument {
  const starts = lineStarts(text);
  const positionOf = (offset: number) => {
    const p = positionAt(starts, Math.max(0, Math.min(offset, text.length)));
    return new vscode.Position(p.line - 1, p.column - 1);
  };
  const offsetOf = (pos: vscode.Position) => Math.min(text.length, (starts[Math.min(pos.line, starts.length - 1)] ?? 0) + pos.character);
  const lineAt = (lineOrPos: number | vscode.Position) => {
    const line = typeof lineOrPos === 'number' ? lineOrPos : lineOrPos.line;
    const start = starts[line] ?? text.length;
    const end = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
    const range = new vscode.Range(positionOf(start), positionOf(end));
    return { lineNumber: line, text: text.slice(start, end), range, rangeIncludingLineBreak: range, firstNonWhitespaceCharacterIndex: 0, isEmptyOrWhitespace: text.slice(start, end).trim() === '' };
  };
  return {
    uri,
    fileName: uri.fsPath,
    isUntitled: false,
    languageId: 'python',
    encoding: 'utf8',
    version,
    isDirty: false,
    isClosed: false,
    eol: vscode.EndOfLine.LF,
    lineCount: starts.length,
    save: () => Promise.resolve(false),
    lineAt,
    offsetAt: offsetOf,
    positionAt: positionOf,
    getText: (range?: vscode.Range) => (range ? text.slice(offsetOf(range.start), offsetOf(range.end)) : text),
    getWordRangeAtPosition: () => undefined,
    validateRange: (r: vscode.Range) => r,
    validatePosition: (p: vscode.Position) => p,
  } as unknown as vscode.TextDocument;
}
