import { FORMAT_LABELS } from '../configs/types';

/** A run as a list shows it: its path, its format's label, and whether a record joined it. */
export interface ListedRun {
  path: string;
  format: string;
  measured: boolean;
}

const isRecord = (r: ListedRun) => r.format === FORMAT_LABELS.measurement;

/**
 * A list of runs without the records (CodeCarbon's emissions.csv, a W&B summary, …) that joined the run of another
 * file of their folder: such a record is shown inside that run, never again as an entry of its own, so the Training
 * Runs view and `lim-lens estimate .` list the same runs. `reads` gives the files a run's analysis read. Only a run
 * that is not itself a record takes one in: two records alone in a folder stay two entries.
 */
export function withoutJoinedRecords<T>(runs: readonly T[], listed: (run: T) => ListedRun, reads: (path: string) => Iterable<string>): T[] {
  const views = runs.map(listed);
  const joined = new Set<string>();
  for (const v of views) if (v.measured && !isRecord(v)) for (const p of reads(v.path)) if (p !== v.path) joined.add(p);
  return runs.filter((_, i) => !(isRecord(views[i]) && joined.has(views[i].path)));
}
