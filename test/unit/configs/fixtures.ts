import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diskSiblings } from '../../harness/siblings';
import { analyzeConfig, type ConfigAnalysis } from '../../../src/core/configs';
import { analyzeDocumentSync, type AnalyzeOptions, type DocumentAnalysis } from '../../../src/core/estimate';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'configs');

export function fixturePath(rel: string): string {
  return join(FIXTURES, rel);
}

export function readFixture(rel: string): ConfigAnalysis {
  const path = fixturePath(rel);
  return analyzeConfig({ path, text: readFileSync(path, 'utf8') }, { readSibling: diskSiblings(path), explicit: true });
}

export function estimateFixture(rel: string, options: AnalyzeOptions = {}): DocumentAnalysis {
  const path = fixturePath(rel);
  return analyzeDocumentSync({ path, text: readFileSync(path, 'utf8') }, { readSibling: diskSiblings(path), explicit: true, ...options });
}

/** Analyses an in-memory document (bad-input tests). */
export function estimateText(path: string, text: string, options: AnalyzeOptions = {}): DocumentAnalysis {
  return analyzeDocumentSync({ path, text }, { explicit: true, ...options });
}

/** The shape counted from a published config.json fixture (test/fixtures/configs/hf/<dir>), which must read cleanly. */
export function shapeOf(dir: string) {
  const a = readFixture(`hf/${dir}/config.json`);
  assert.deepEqual(a.diagnostics, [], `${dir}: ${JSON.stringify(a.diagnostics)}`);
  assert.equal(a.format, 'hf-model');
  assert.ok(a.facts?.model, `${dir} has a model`);
  return a.facts.model.shape;
}
