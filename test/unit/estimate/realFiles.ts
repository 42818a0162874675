// Real configs from public repositories (the workplace's shared test data, never copied into this repository), read
// from ../shared/data/realworld-configs beside the checkout, or LIM_SHARED_DIR / LIM_REALWORLD_CONFIGS. Tests that use
// them skip, saying so, where the folder is absent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigText, type ParsedDoc } from '../../../src/core/configs/parse';
import { analyzeParsedDocument, fieldSensitivity, type DocumentAnalysis, type FieldSensitivity } from '../../../src/core/estimate';
import type { FieldRef } from '../../../src/core/configs';
import { diskSiblings } from '../../harness/siblings';

const SHARED = process.env.LIM_SHARED_DIR ?? join(__dirname, '..', '..', '..', '..', 'shared');
export const REALWORLD = process.env.LIM_REALWORLD_CONFIGS ?? join(SHARED, 'data', 'realworld-configs');

/** `false` when the corpus is here, else the reason to skip (node:test's `skip` option). */
export const realworldSkip: string | false = existsSync(join(REALWORLD, 'expected-runs.json'))
  ? false
  : `the real-config corpus is not at ${REALWORLD} (the workplace's shared test data; set LIM_SHARED_DIR to run these tests)`;

export interface Analysed {
  path: string;
  parsed: ParsedDoc;
  analysis: DocumentAnalysis;
  /** The field the engine read at this path (dotted) or with this name, and how it moves the estimate. */
  field(name: string): { field: FieldRef; sensitivity: FieldSensitivity };
}

/** Analyses a file as the editor does: its siblings read from disk, the field sensitivity through the same engine. */
export function analysePath(path: string): Analysed {
  const parsed = parseConfigText(path, readFileSync(path, 'utf8'));
  const readSibling = diskSiblings(path);
  const analysis = analyzeParsedDocument(parsed, { readSibling, explicit: true });
  return {
    path,
    parsed,
    analysis,
    field(name) {
      const field = analysis.fields.find((f) => f.file === path && (f.path.join('.') === name || f.field === name));
      if (!field) throw new Error(`${path}: no field ${name} among ${analysis.fields.map((f) => f.field).join(', ')}`);
      const sensitivity = fieldSensitivity(parsed, field, { readSibling, explicit: true });
      if (!sensitivity) throw new Error(`${path}: no sensitivity for ${name}`);
      return { field, sensitivity };
    },
  };
}

export const realFile = (rel: string) => analysePath(join(REALWORLD, rel));
