import { dirnameOf, fieldAtOffset, joinPath, parseConfigText } from '../core/configs';
import { analyzeParsedDocument, fieldSensitivity, type EstimateAssumptions, type EstimateSettings } from '../core/estimate';
import type { AnalyzeRequest, AnalyzedDocument, FieldInfo, FieldInfoRequest } from '../protocol/analysis';
import { runFigures } from './summarize';

/** The setting each assumption comes from, so provenance says "set by setting limLens.pue". */
const SETTING_NAMES: Record<keyof EstimateAssumptions, string> = {
  hardwareId: 'limLens.hardware',
  devices: 'limLens.devices',
  utilization: 'limLens.utilization',
  powerW: 'limLens.powerW',
  pue: 'limLens.pue',
  gridKgPerKwh: 'limLens.gridKgPerKWh',
  tokensPerParameter: 'limLens.tokensPerParameter',
  bits: 'limLens.precisionBits',
  temperatureK: 'limLens.temperatureK',
  schedule: 'limLens.schedule',
  visionSamples: 'limLens.visionSamples',
  visionEpochs: 'limLens.visionEpochs',
};

function estimateSettings(assumptions: Partial<EstimateAssumptions>): EstimateSettings {
  return { assumptions, settingLabel: (key) => `setting ${SETTING_NAMES[key]}` };
}

/** A sibling reader over the texts the extension sent; paths it lacks are collected for the next round. */
function siblingReader(docPath: string, files: Record<string, string | null>, missing: Set<string>) {
  const dir = dirnameOf(docPath);
  return (rel: string): string | undefined => {
    const abs = joinPath(dir, rel);
    if (Object.prototype.hasOwnProperty.call(files, abs)) return files[abs] ?? undefined;
    missing.add(abs);
    return undefined;
  };
}

export function analyzeDocuments(req: AnalyzeRequest, isCancelled: () => boolean = () => false): AnalyzedDocument[] {
  const settings = estimateSettings(req.assumptions);
  const out: AnalyzedDocument[] = [];
  for (const doc of req.docs) {
    if (isCancelled()) break;
    const missing = new Set<string>();
    const analysis = analyzeParsedDocument(parseConfigText(doc.path, doc.text), {
      readSibling: siblingReader(doc.path, req.files, missing),
      settings,
      explicit: doc.explicit,
    });
    const recognised = analysis.format !== undefined || (doc.explicit === true && analysis.diagnostics.length > 0);
    out.push({
      path: doc.path,
      missing: [...missing],
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
  const parsed = parseConfigText(req.doc.path, req.doc.text);
  const readSibling = siblingReader(req.doc.path, req.files, missing);
  const analysis = analyzeParsedDocument(parsed, { readSibling, settings });
  const field = fieldAtOffset(analysis.fields, req.doc.path, req.offset);
  if (!field) return {};
  const sensitivity = typeof field.value === 'number' || typeof field.value === 'string' ? fieldSensitivity(parsed, field, { readSibling, settings }) : undefined;
  return { field, ...(sensitivity ? { sensitivity } : {}) };
}
