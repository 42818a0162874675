/**
 * The few things the Python reader asks of a syntax tree, so the core stays free of the parser's runtime: the
 * adapters (worker, CLI, tests) load tree-sitter's WebAssembly with their own file APIs and register a parse
 * function here. web-tree-sitter's nodes satisfy this interface as they are; offsets are UTF-16 code units, as
 * JavaScript strings index them.
 */
export interface PySyntaxNode {
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly namedChildren: ReadonlyArray<PySyntaxNode | null>;
  readonly isNamed: boolean;
  readonly parent: PySyntaxNode | null;
  /** This node or one below it is a syntax error. */
  readonly hasError: boolean;
  childForFieldName(name: string): PySyntaxNode | null;
  /** The first child that contains or starts after the offset. */
  firstChildForIndex(index: number): PySyntaxNode | null;
  /** Every node of these types below this one, in document order: one call into the parser, not a walk in JavaScript. */
  descendantsOfType(types: string | string[]): ReadonlyArray<PySyntaxNode | null>;
}

/**
 * Parses `text` and hands the tree's root to `use` while the tree is alive. `key` (a document's path) lets an
 * adapter keep the last tree of that document and reparse an edit of it incrementally; without a key the tree
 * is freed as soon as `use` returns.
 */
export type PythonParse = <T>(text: string, key: string | undefined, use: (root: PySyntaxNode) => T) => T;

let registered: PythonParse | undefined;

/** Called once by an adapter after the WebAssembly parser is loaded. */
export function registerPythonParser(parse: PythonParse | undefined): void {
  registered = parse;
}

export function pythonParser(): PythonParse | undefined {
  return registered;
}

/** Identifiers whose presence makes a Python text worth parsing: anything else is not a training script. */
export const PYTHON_TRIGGERS = [
  'from_pretrained', 'from_config', 'TrainingArguments', 'SFTConfig', 'DPOConfig', 'ORPOConfig', 'KTOConfig', 'CPOConfig',
  'RewardConfig', 'GRPOConfig', 'LoraConfig', 'get_peft_model', 'load_dataset', 'Trainer(', 'Config(', 'max_iters',
  'n_layer', 'TokensArgs', 'from_name', 'requires_grad', 'lora_r', 'Fabric(',
];

/** The cheap check before any parse: does the text mention one of the constructs LIM Lens reads? */
export function mentionsTrainingConstruct(text: string): boolean {
  for (const t of PYTHON_TRIGGERS) if (text.includes(t)) return true;
  return false;
}
