import { diagnosticAt, type ParsedDoc } from '../configs/parse';
import { lineStarts, positionAt } from '../configs/lines';
import type { ConfigDiagnostic, FieldLocation } from '../configs/types';
import { extract } from './extract';
import { fileOffset, isNotebookPath, readNotebookJson, type JoinedCells } from './notebook';
import { mentionsTrainingConstruct, pythonParser } from './syntax';
import { buildView, type PythonView } from './virtual';

export { isNotebookPath };

/**
 * A Python script or a notebook as the config engine reads it: the data of its recognised calls and assignments
 * (see virtual.ts) with their locations. `data` is undefined when the text defines no model and no run, so a scan
 * skips it like any file that is not a config. A notebook given as JSON is located in its JSON text; one given as
 * its joined code cells (the editor's notebook documents) in that text, with `cells` to map back to the cells.
 */
export function parsePythonDoc(file: string, text: string, joinedCells?: JoinedCells): ParsedDoc {
  const none = (diagnostics: ConfigDiagnostic[] = []): ParsedDoc => ({ file, syntax: 'python', text, data: undefined, diagnostics, locate: () => undefined });
  let code = text;
  let joined: JoinedCells | undefined = joinedCells;
  let jsonText: string | undefined;
  // An .ipynb given as its code cells already joined (the notebook editor's cells, see src/extension/notebookCells.ts)
  // is Python text; one read from disk is JSON, which starts with '{'.
  if (isNotebookPath(file) && !joinedCells && text.trimStart().startsWith('{')) {
    // Cheap first: a notebook that never mentions a training construct is not parsed as JSON at all.
    if (!mentionsTrainingConstruct(text)) return none();
    const nb = readNotebookJson(text);
    if (!nb.ok) return none([diagnosticAt(file, [0], 0, 0, '', nb.code, nb.message)]);
    joined = nb.joined;
    jsonText = nb.jsonText;
    code = joined.code;
  }
  if (!mentionsTrainingConstruct(code)) return none();
  const parse = pythonParser();
  if (!parse) {
    return none([{ file, line: 1, column: 1, field: '', severity: 'warning', code: 'python-parser-unavailable', offset: 0, length: 0, message: 'the Python parser is not loaded here, so this script was not read' }]);
  }
  const starts = lineStarts(jsonText ?? text);
  const locOf = (start: number, end: number, path: string[]): FieldLocation => {
    let s = start;
    let e = end;
    if (jsonText !== undefined && joined) {
      s = fileOffset(joined, jsonText, start);
      e = Math.max(s, fileOffset(joined, jsonText, end));
    }
    const { line, column } = positionAt(starts, s);
    return { path: [...path], line, column, offset: s, length: e - s };
  };
  let view: PythonView;
  let errors: Array<{ start: number; end: number }> = [];
  try {
    ({ view, errors } = parse(code, file, (root) => {
      const x = extract(root, code);
      return { view: buildView(x, code, locOf), errors: x.errors };
    }));
  } catch (e) {
    return none([{ file, line: 1, column: 1, field: '', severity: 'warning', code: 'python-parse', offset: 0, length: 0, message: `the Python parser failed on this file: ${e instanceof Error ? e.message : String(e)}` }]);
  }
  const diagnostics: ConfigDiagnostic[] = [];
  if (errors.length > 0) {
    const first = locOf(errors[0].start, errors[0].end, []);
    diagnostics.push({
      file, line: first.line, column: first.column, field: '', severity: 'info', code: 'python-syntax', offset: first.offset, length: Math.min(first.length, 200),
      message: `syntax error${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}: the calls and assignments around it were still read`,
    });
  }
  const recognised = Object.keys(view.data).some((k) => k !== 'dataset_name' && k !== 'dataset_train_split') || view.assumptions.length > 0;
  const locations = view.locations;
  return {
    file,
    syntax: 'python',
    text,
    data: recognised ? view.data : undefined,
    diagnostics,
    python: view,
    locate: (path) => (path.length === 0 ? { path: [], line: 1, column: 1, offset: 0, length: 0 } : locations.get(path.join('\u0000'))),
  };
}
