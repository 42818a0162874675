import { fieldAtOffset, isRunFileName, parseConfigText } from '../core/configs';
import { fetchedLookup, siblingReader as coreSiblingReader } from '../core/files/siblings';
import { analyzeParsedDocument, fieldSensitivity, type EstimateAssumptions, type EstimateSettings } from '../core/estimate';
import { assumptionSettingNames } from '../core/params';
import type { AnalyzeRequest, AnalyzedDocument, FieldInfo, FieldInfoRequest } from '../protocol/analysis';
import { runFigures } from './summarize';
import { loadPythonParser } from '../node/pythonParser';
import { syntaxOf } from '../core/configs/parse';

/**
 * The Python parser (WebAssembly) loads once per worker, on the first script or notebook it is asked about: a
 * workspace without Python never pays for it.
 */
export async function pythonReady(paths: readonly string[]): Promise<void> {
  if (paths.some((p) => syntaxOf(p) === 'python')) await loadPythonParser();
}

/** The setting each assumption comes from (the parameter registry's), so provenance says "set by setting limLens.pue". */
const SETTING_NAMES: Record<keyof EstimateAssumptions, string> = assumptionSettingNames();

function estimateSettings(assumptions: Partial<EstimateAssumptions>): EstimateSettings {
  return { assumptions, settingLabel: (key) => `setting ${SETTING_NAMES[key]}` };
}

/**
 * A sibling reader over the texts the extension sent; paths it lacks are collected for the next round, and the
 * paths it found in `read` (the texts are shared by every document of a request).
 */
function siblingReader(docPath: string, files: Record<string, string | null>, missing: Set<string>, read?: Set<string>) {
  return coreSiblingReader(docPath, fetchedLookup(files, missing, read));
}

/**
 * The last few parses, by path: a hover asks for the document's analysis and then for the field under the
 * cursor, and the CodeLens and the problems ask again after the same edit — parse once, analyse many times.
 */
const PARSE_CACHE_SIZE = 16;
const parses = new Map<string, { text: string; parsed: ReturnType<typeof parseConfigText> }>();

function parsed(path: string, text: string) {
  const hit = parses.get(path);
  if (hit && hit.text === text) {
    parses.delete(path);
    parses.set(path, hit);
    return hit.parsed;
  }
  const p = parseConfigText(path, text);
  parses.set(path, { text, parsed: p });
  if (parses.size > PARSE_CACHE_SIZE) parses.delete(parses.keys().next().value as string);
  return p;
}

export function analyzeDocuments(req: AnalyzeRequest, isCancelled: () => boolean = () => false): AnalyzedDocument[] {
  const settings = estimateSettings(req.assumptions);
  const out: AnalyzedDocument[] = [];
  for (const doc of req.docs) {
    if (isCancelled()) break;
    const missing = new Set<string>();
    const read = new Set<string>();
    // Scans (many documents, each seen once) bypass the cache; editor requests (one document) use it.
    const analysis = analyzeParsedDocument(req.docs.length === 1 ? parsed(doc.path, doc.text) : parseConfigText(doc.path, doc.text), {
      readSibling: siblingReader(doc.path, req.files, missing, read),
      settings,
      explicit: doc.explicit,
    });
    // A *.lim.* file is a LIM Lens run file by its name: when it does not parse (no format can be detected), its
    // syntax error is still reported, as for a file asked for by name; otherwise a broken run file would show no
    // problem at all (found by test/integration/suite/problems.test.ts).
    const recognised = analysis.format !== undefined || ((doc.explicit === true || isRunFileName(doc.path)) && analysis.diagnostics.length > 0);
    out.push({
      path: doc.path,
      missing: [...missing],
      read: [...read],
      recognised,
      ...(recognised ? { figures: runFigures(analysis) } : {}),
      ...(req.detail === 'full' ? { analysis } : {}),
    });
  }
  return out;
}

/** The field under the cursor and how halving or doubling it moves the estimate. */
export function fieldInfo(req: FieldInfoRequest): FieldInfo {
  const settings = estimateSettings(req.assumptions);
  const missing = new Set<string>();
  const doc = parsed(req.doc.path, req.doc.text);
  const readSibling = siblingReader(req.doc.path, req.files, missing);
  const analysis = analyzeParsedDocument(doc, { readSibling, settings });
  const field = fieldAtOffset(analysis.fields, req.doc.path, req.offset);
  if (!field) return {};
  const sensitivity = typeof field.value === 'number' || typeof field.value === 'string' ? fieldSensitivity(doc, field, { readSibling, settings }) : undefined;
  return { field, ...(sensitivity ? { sensitivity } : {}) };
}
