import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyzeConfig, type ConfigAnalysis } from '../../../src/core/configs';
import { analyzeDocumentSync, type AnalyzeOptions, type DocumentAnalysis } from '../../../src/core/estimate';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'configs');

export function fixturePath(rel: string): string {
  return join(FIXTURES, rel);
}

/** Reads siblings from disk relative to the fixture, as the CLI does. */
export function diskSiblings(file: string) {
  return (rel: string) => {
    try {
      return readFileSync(resolve(dirname(file), rel), 'utf8');
    } catch {
      return undefined;
    }
  };
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
