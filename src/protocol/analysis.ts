import type { DocumentAnalysis, EstimateAssumptions, FieldSensitivity } from '../core/estimate';
import type { FieldRef } from '../core/configs';
import type { RunFigures } from './runs';

/**
 * Config analysis jobs. Paths are URI paths (POSIX, e.g. "/work/models/llama/config.json"), so the worker can
 * resolve a sibling's relative path without knowing the URI scheme; the extension reads the files through
 * `workspace.fs` and sends their text. A file the worker needed but was not sent comes back in `missing`, and
 * the extension asks again with it (at most a few rounds: siblings name siblings).
 */
export interface AnalyzeRequest {
  docs: Array<{ path: string; text: string; explicit?: boolean }>;
  /** Texts of files the documents may refer to, by path; null = known not to exist or unreadable. */
  files: Record<string, string | null>;
  /** The assumptions the user set (only those: the rest are reported as built-in defaults). */
  assumptions: Partial<EstimateAssumptions>;
  /** 'full' returns the whole analysis (hover, CodeLens); 'figures' only what the lists show (scans). */
  detail: 'full' | 'figures';
}

export interface AnalyzedDocument {
  path: string;
  missing: string[];
  /**
   * The files of `files` it read (a text or `null`). The files of a request are shared by its documents, so one
   * may read a file fetched for another without ever reporting it missing; this is how it still depends on it.
   */
  read: string[];
  /** False when the file is not a model or training config (and was not asked for by name). */
  recognised: boolean;
  figures?: RunFigures;
  analysis?: DocumentAnalysis;
}

export interface FieldInfoRequest {
  doc: { path: string; text: string };
  files: Record<string, string | null>;
  assumptions: Partial<EstimateAssumptions>;
  /** 0-based character offset of the cursor. */
  offset: number;
}

export interface FieldInfo {
  field?: FieldRef;
  sensitivity?: FieldSensitivity;
}
