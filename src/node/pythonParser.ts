import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser, type Edit, type Tree } from 'web-tree-sitter';
import { registerPythonParser, type PySyntaxNode, type PythonParse } from '../core/python/syntax';

/**
 * Loads tree-sitter and its Python grammar (WebAssembly) once per process, lazily, and registers a parse function
 * with the core. The last tree of each document (by key) is kept, so the next text of that document is reparsed
 * incrementally: the edit is the changed middle between the common prefix and suffix of the two texts.
 * Shared by the worker, the CLI and the tests (Node-side code, hence src/node/); the core never touches the files.
 */

/** Where the two .wasm files are: beside the bundle in dist/, or in node_modules when run from source. */
export function wasmPaths(baseDir: string = __dirname): { runtime: string; python: string } {
  const candidates = [baseDir, join(baseDir, '..'), join(baseDir, '..', '..')];
  for (const dir of candidates) {
    if (existsSync(join(dir, 'tree-sitter-python.wasm')) && existsSync(join(dir, 'tree-sitter.wasm'))) {
      return { runtime: join(dir, 'tree-sitter.wasm'), python: join(dir, 'tree-sitter-python.wasm') };
    }
  }
  const root = join(baseDir, '..', '..');
  return { runtime: join(root, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'), python: join(root, 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm') };
}

const KEEP_TREES = 16;

let loading: Promise<boolean> | undefined;
let loadError: string | undefined;

/** Loads the parser once; resolves false (with the reason in pythonParserError()) when the WebAssembly cannot load. */
export function loadPythonParser(paths = wasmPaths()): Promise<boolean> {
  loading ??= (async () => {
    try {
      await Parser.init({ wasmBinary: readFileSync(paths.runtime) });
      const language = await Language.load(readFileSync(paths.python));
      const parser = new Parser();
      parser.setLanguage(language);
      registerPythonParser(makeParse(parser));
      return true;
    } catch (e) {
      loadError = e instanceof Error ? e.message : String(e);
      return false;
    }
  })();
  return loading;
}

export function pythonParserError(): string | undefined {
  return loadError;
}

interface Kept {
  text: string;
  tree: Tree;
}

/** The edit that turns `a` into `b`: the differing middle between their common prefix and suffix. */
export function editBetween(a: string, b: string): Edit {
  let start = 0;
  const min = Math.min(a.length, b.length);
  while (start < min && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  // Rows up to the start are shared by both texts: counted once, then each end counted on from there.
  const startPosition = pointFrom(a, 0, 0, 0, start);
  return { startIndex: start, oldEndIndex: endA, newEndIndex: endB, startPosition, oldEndPosition: pointFrom(a, start, startPosition.row, start - startPosition.column, endA), newEndPosition: pointFrom(b, start, startPosition.row, start - startPosition.column, endB) };
}

/** Row and column of `index`, counting lines on from `from` (at `row`, whose line starts at `lineStart`). */
function pointFrom(text: string, from: number, row: number, lineStart: number, index: number): { row: number; column: number } {
  for (let i = text.indexOf('\n', from); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

function makeParse(parser: Parser): PythonParse {
  const kept = new Map<string, Kept>();
  return <T>(text: string, key: string | undefined, use: (root: PySyntaxNode) => T): T => {
    const old = key !== undefined ? kept.get(key) : undefined;
    let tree: Tree | null;
    if (old && old.text === text) tree = old.tree;
    else if (old) {
      old.tree.edit(editBetween(old.text, text));
      tree = parser.parse(text, old.tree);
    } else tree = parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      return use(tree.rootNode as unknown as PySyntaxNode);
    } finally {
      if (key === undefined) tree.delete();
      else if (!old || old.tree !== tree) {
        if (old) old.tree.delete();
        kept.delete(key);
        kept.set(key, { text, tree });
        if (kept.size > KEEP_TREES) {
          const [firstKey, first] = kept.entries().next().value as [string, Kept];
          first.tree.delete();
          kept.delete(firstKey);
        }
      }
    }
  };
}
