import type { SiblingReader } from '../configs/analyze';
import { dirnameOf, joinPath } from '../configs/relpath';

/**
 * The one way a config reads the files beside it (a training config's config.json, a run file's `config:`, the
 * records of its folder): a path relative to the document's folder, joined and normalised with `/`, then looked
 * up. The CLI looks it up on disk (src/cli/scan.ts), the worker among the texts the editor sent
 * (src/worker/analysisJobs.ts); the lookup decides what may be read, this decides which path is meant.
 */
export function siblingReader(docPath: string, lookup: (path: string) => string | undefined): SiblingReader {
  const dir = dirnameOf(docPath);
  return (rel) => lookup(joinPath(dir, rel));
}

/**
 * A lookup over texts already fetched (path → text, `null` for a file that could not be read); paths it lacks
 * are added to `missing`, for the caller to fetch before it asks again, and paths it has to `read` (when given):
 * the texts may have been fetched for another document, so what a document depends on is what it looked up, not
 * what it was sent.
 */
export function fetchedLookup(files: Readonly<Record<string, string | null>>, missing: Set<string>, read?: Set<string>): (path: string) => string | undefined {
  return (path) => {
    if (Object.prototype.hasOwnProperty.call(files, path)) {
      read?.add(path);
      return files[path] ?? undefined;
    }
    missing.add(path);
    return undefined;
  };
}
