import { detectFormat } from './detect';
import { findKnownShape } from './knownShapes';
import { hubCachePath } from './hubCache';
import { parseConfigText, syntaxOf, type ParsedDoc } from './parse';
import { FieldReader } from './reader';
import { basenameOf, dirnameOf, joinPath } from './relpath';
import type { ModelFacts, RunFacts } from './facts';
import type { ConfigDiagnostic, ConfigDocument, ConfigFormat, FieldRef, Sourced } from './types';
import { withAnchor, type FormatContext, type FormatReader } from './formats/context';
import { modelFromHfConfig, readHfModel } from './formats/hfModel';
import { readMegatron } from './formats/megatron';
import { readNemo } from './formats/nemo';
import { readLitgpt } from './formats/litgpt';
import { readDeepSeekInference } from './formats/deepseekInference';
import { readAxolotl, readDeepSpeed, readTorchtune, readTrainingArgs } from './formats/finetune';
import { readRunFile } from './formats/runFile';
import { readTrainerRecord, RECORD_FILES } from './formats/records';
import { readPython } from '../python/read';
import { readMeasurement } from '../measured/format';
import { MEASURED_SIBLINGS } from '../measured/join';
import { wandbCompanion } from '../measured/records';

/** Reads a file next to the analysed document, by a path relative to the document's folder. */
export type SiblingReader = (relPath: string) => string | undefined;

export interface ConfigAnalysis {
  file: string;
  /** Undefined when the file is not a model or training config (it is then skipped by scans). */
  format?: ConfigFormat;
  facts?: RunFacts;
  /** Every field the engine read, in this file and in the files it pulled in. */
  fields: FieldRef[];
  diagnostics: ConfigDiagnostic[];
}

export interface AnalyzeConfigOptions {
  readSibling?: SiblingReader;
  /** Field values to substitute (dotted path → value), for "what if" estimates. */
  overrides?: ReadonlyMap<string, unknown>;
  /** The user asked for this file by name: say so when it is not a config instead of skipping it. */
  explicit?: boolean;
}

const READERS: Record<ConfigFormat, FormatReader> = {
  'hf-model': readHfModel,
  'hf-training-args': readTrainingArgs,
  megatron: readMegatron,
  nemo: readNemo,
  deepspeed: readDeepSpeed,
  torchtune: readTorchtune,
  axolotl: readAxolotl,
  litgpt: readLitgpt,
  'deepseek-inference': readDeepSeekInference,
  'trainer-record': readTrainerRecord,
  measurement: readMeasurement,
  'lim-run': readRunFile,
  python: readPython,
  notebook: readPython,
};

const MAX_REFERENCE_DEPTH = 3;

function isLocalPath(p: string): boolean {
  return /^(\.{1,2}(\/|\\|$)|\/|~|[A-Za-z]:[\\/])/.test(p);
}

export function analyzeConfig(doc: ConfigDocument, options: AnalyzeConfigOptions = {}): ConfigAnalysis {
  return analyzeParsed(parseConfigText(doc.path, doc.text), options);
}

export function analyzeParsed(parsed: ParsedDoc, options: AnalyzeConfigOptions = {}, depth = 0): ConfigAnalysis {
  const file = parsed.file;
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return { file, fields: [], diagnostics: [...parsed.diagnostics] };
  const format = detectFormat(file, parsed.syntax, parsed.data);
  if (!format) {
    const diagnostics = [...parsed.diagnostics];
    if (options.explicit) {
      // A script or notebook has no data when it defines no run: it is empty only when it has no text.
      const empty = parsed.syntax === 'python' ? parsed.text.trim() === '' : parsed.data === undefined || parsed.data === null || parsed.text.trim() === '';
      diagnostics.push({
        file, line: 1, column: 1, field: '', severity: 'error', code: empty ? 'empty-file' : 'not-a-config', offset: 0, length: 0,
        message: empty
          ? 'the file is empty'
          : 'not a recognised model or training config (Hugging Face config.json or TrainingArguments, Megatron-LM, NeMo, DeepSpeed, torchtune, Axolotl, LitGPT, a DeepSeek inference config, a Python training script or notebook that defines a model or a run, or a *.lim.yaml run file)',
      });
    }
    return { file, fields: [], diagnostics };
  }
  const reader = new FieldReader(parsed, options.overrides);
  const extra: { fields: FieldRef[]; diagnostics: ConfigDiagnostic[] } = { fields: [], diagnostics: [] };
  const facts = READERS[format](reader, contextFor(parsed, options, depth, extra));
  // A model found beside the file (or through a file it names) is shown at the top of this file.
  if (facts.model && !facts.model.anchor) facts.model = withAnchor(facts.model, reader.locate([]));
  if (reader.assumptions.length > 0) facts.assumptions = [...(facts.assumptions ?? []), ...reader.assumptions];
  return {
    file,
    // A record that belongs to the run of another file is not a run of its own (its diagnostic says whose it is).
    format: reader.partOfRun ? undefined : format,
    facts: reader.partOfRun ? undefined : facts,
    fields: [...reader.reads, ...extra.fields],
    // In a scan it is skipped like any file that is no run; named by itself, it says whose run it belongs to.
    diagnostics: reader.partOfRun && !options.explicit ? [...parsed.diagnostics] : [...parsed.diagnostics, ...reader.diagnostics, ...extra.diagnostics],
  };
}

interface SiblingModel {
  text: string;
  model?: ModelFacts;
  fields: FieldRef[];
  diagnostics: ConfigDiagnostic[];
}

// A config.json is read by every training config beside it (and on every keystroke in the editor); its
// counted shape is kept while its text is unchanged.
const siblingCache = new Map<string, SiblingModel>();
const SIBLING_CACHE_SIZE = 256;

function siblingModel(path: string, text: string): SiblingModel {
  const cached = siblingCache.get(path);
  if (cached && cached.text === text) return cached;
  const sub = parseConfigText(path, text);
  let entry: SiblingModel;
  if (sub.diagnostics.length > 0 || !sub.data || typeof sub.data !== 'object') entry = { text, fields: [], diagnostics: sub.diagnostics };
  else {
    const r = new FieldReader(sub);
    const model = modelFromHfConfig(r);
    // The sibling's own model_type position means nothing in the file being analysed; it anchors there instead.
    entry = { text, model: model && { shape: model.shape, source: model.source }, fields: r.reads, diagnostics: r.diagnostics };
  }
  if (siblingCache.size >= SIBLING_CACHE_SIZE) siblingCache.clear();
  siblingCache.set(path, entry);
  return entry;
}

// Records beside a config.json (a trainer_state.json is tens of KB) are parsed once per text.
const siblingDocs = new Map<string, ParsedDoc>();

const knownCache = new Map<string, ModelFacts | undefined>();

/** Shapes of the bundled table, counted once per process by the same code as a config.json. */
export function knownModel(name: string): ModelFacts | undefined {
  const known = findKnownShape(name);
  if (!known) return undefined;
  if (!knownCache.has(known.key)) {
    const doc: ParsedDoc = { file: `known:${known.key}`, syntax: 'json', text: '', data: known.config, diagnostics: [], locate: () => undefined };
    const model = modelFromHfConfig(new FieldReader(doc));
    knownCache.set(known.key, model && { shape: model.shape, source: { kind: 'known-shape', key: known.key, source: known.source } });
  }
  return knownCache.get(known.key);
}

function contextFor(parsed: ParsedDoc, options: AnalyzeConfigOptions, depth: number, extra: { fields: FieldRef[]; diagnostics: ConfigDiagnostic[] }): FormatContext {
  const dir = dirnameOf(parsed.file);
  const read = options.readSibling;
  const modelFile = (rel: string): ModelFacts | undefined => {
    const text = read?.(rel);
    if (text === undefined) return undefined;
    const hit = siblingModel(joinPath(dir, rel), text);
    extra.fields.push(...hit.fields);
    extra.diagnostics.push(...hit.diagnostics);
    return hit.model;
  };
  return {
    resolveModel(ref: Sourced<string>) {
      const rel = ref.value.replace(/\/+$/, '');
      const fromDisk = () => (/\.json$/i.test(rel) ? modelFile(rel) : modelFile(joinPath(rel, 'config.json')));
      // A written path ("./models/llama", "../ckpt") means the files there, even if its name is in the table.
      if (isLocalPath(rel)) return fromDisk() ?? knownModel(rel);
      // Last, the user's Hugging Face cache, which the host answers only when the user turned it on (hubCache.ts).
      const cached = hubCachePath(rel);
      return knownModel(rel) ?? fromDisk() ?? (cached ? modelFile(cached) : undefined);
    },
    nearbyModel() {
      if (basenameOf(parsed.file).toLowerCase() !== 'config.json') {
        const here = modelFile('config.json');
        if (here) return here;
      }
      return modelFile('../config.json');
    },
    siblingDoc(rel: string) {
      const text = read?.(rel);
      if (text === undefined) return undefined;
      const path = joinPath(dir, rel);
      const cached = siblingDocs.get(path);
      if (cached && cached.text === text) return cached;
      const doc = parseConfigText(path, text);
      if (siblingDocs.size >= SIBLING_CACHE_SIZE) siblingDocs.clear();
      siblingDocs.set(path, doc);
      return doc;
    },
    referencedRun(relPath: string) {
      if (depth >= MAX_REFERENCE_DEPTH || !read) return undefined;
      const text = read(relPath);
      if (text === undefined) return undefined;
      const subDir = dirnameOf(relPath);
      const sub = analyzeParsed(
        parseConfigText(joinPath(dir, relPath), text, syntaxOf(relPath)),
        { readSibling: (p) => read(joinPath(subDir, p)) },
        depth + 1,
      );
      extra.fields.push(...sub.fields);
      extra.diagnostics.push(...sub.diagnostics);
      return sub.facts;
    },
  };
}

/**
 * Relative paths an analysis of this document may read, so an asynchronous host (the editor's workspace.fs)
 * can fetch them first and then analyse synchronously.
 */
export function siblingRequests(parsed: ParsedDoc): string[] {
  const format = detectFormat(parsed.file, parsed.syntax, parsed.data);
  if (format === 'measurement') return ['config.json', wandbCompanion(basenameOf(parsed.file))];
  if (format === 'trainer-record') return ['config.json', ...RECORD_FILES];
  if (!format) return [];
  // Every run joins the records of its folder (what CodeCarbon, the Trainer or W&B measured).
  return [...new Set([...referencedFiles(parsed, format), ...MEASURED_SIBLINGS])];
}

function referencedFiles(parsed: ParsedDoc, format: ConfigFormat): string[] {
  if (format === 'hf-model' || format === 'megatron' || format === 'nemo' || format === 'deepseek-inference') return [];
  const data = (parsed.data ?? {}) as Record<string, unknown>;
  const refs: string[] = [];
  const add = (v: unknown) => {
    if (typeof v !== 'string' || (!isLocalPath(v) && findKnownShape(v))) return;
    refs.push(/\.(json|ya?ml|sh)$/i.test(v) ? v : joinPath(v, 'config.json'));
    const cached = isLocalPath(v) ? undefined : hubCachePath(v);
    if (cached) refs.push(cached);
  };
  add(data.model_name_or_path);
  add(data.base_model);
  add(data.checkpoint_dir);
  add(data.model_name);
  if (format === 'lim-run') {
    add(data.model);
    if (typeof data.config === 'string') refs.push(data.config, joinPath(dirnameOf(data.config), 'config.json'), joinPath(dirnameOf(data.config), '../config.json'));
  }
  // A nanoGPT config/*.py is exec()'d over the globals of the train.py beside its folder.
  if (parsed.python?.form === 'nanogpt-config') refs.push('../train.py');
  if (basenameOf(parsed.file).toLowerCase() !== 'config.json') refs.push('config.json');
  refs.push('../config.json');
  return [...new Set(refs)];
}
