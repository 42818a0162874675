/** Siblings can name siblings (a run file → a training config → its model folder): at most this many rounds. */
export const MAX_ANALYSIS_ROUNDS = 4;

/**
 * What one analysis round gives back per document: its path, the sibling files it needed but was not sent, and
 * those it read among the files sent (which may have been fetched for another document of the round).
 */
export interface RoundResult {
  path: string;
  missing: string[];
  read: string[];
}

export interface AnalysisRounds<D, R extends RoundResult> {
  /** The path a document is analysed under (the key of its result). */
  pathOf(doc: D): string;
  /**
   * Analyses `docs` given the sibling texts fetched so far (path → text, `null` for a file that could not be read);
   * `undefined` stops the rounds (cancelled), and what that round gave counts for nothing.
   */
  analyze(docs: D[], files: Record<string, string | null>): Promise<R[] | undefined>;
  /** Fetches the files a round reported missing, each with the document that needed it (path → text or `null`). */
  read(wanted: Array<{ doc: D; path: string }>): Promise<Record<string, string | null>>;
  /** Texts fetched before (kept and added to, so a later call reads each file once). */
  files?: Map<string, string | null>;
  /** Called as each document is finished, with the count finished so far. */
  onDone?: (finished: number) => void;
}

/**
 * Analyses documents in rounds, as the editor does over the worker: files a round reports missing are fetched once
 * the round is over, and the documents that needed them are analysed again, each with the files it has needed so far;
 * the last round's result stands whatever it still misses. Each result carries every file it read or asked for
 * (`dependencies`), so a change to one of them can invalidate it. Results are in the order of `docs`; a document
 * is absent only when the rounds were stopped before it finished.
 */
export async function analyzeInRounds<D, R extends RoundResult>(docs: readonly D[], rounds: AnalysisRounds<D, R>): Promise<Array<R & { dependencies: string[] }>> {
  const files = rounds.files ?? new Map<string, string | null>();
  const byPath = new Map(docs.map((d) => [rounds.pathOf(d), d]));
  const results = new Map<string, R & { dependencies: string[] }>();
  const dependencies = new Map<string, Set<string>>();
  let pending = [...docs];
  for (let round = 0; pending.length > 0 && round < MAX_ANALYSIS_ROUNDS; round++) {
    const needed: Record<string, string | null> = {};
    for (const d of pending) for (const p of dependencies.get(rounds.pathOf(d)) ?? []) needed[p] = files.get(p) ?? null;
    const out = await rounds.analyze(pending, needed);
    if (out === undefined) break;
    const again: D[] = [];
    const wanted: Array<{ doc: D; path: string }> = [];
    for (const r of out) {
      const deps = dependencies.get(r.path) ?? new Set<string>();
      dependencies.set(r.path, deps);
      // A document depends on every file it read, fetched for it or not, and on every file it asked for.
      r.read.forEach((p) => deps.add(p));
      r.missing.forEach((p) => deps.add(p));
      const doc = byPath.get(r.path)!;
      // What it missed goes to it next round: fetched now, or already (for another document, or by an earlier call).
      if (r.missing.length > 0 && round < MAX_ANALYSIS_ROUNDS - 1) {
        again.push(doc);
        wanted.push(...r.missing.filter((p) => !files.has(p)).map((path) => ({ doc, path })));
      } else {
        results.set(r.path, { ...r, dependencies: [...deps] });
        rounds.onDone?.(results.size);
      }
    }
    if (wanted.length > 0) for (const [p, t] of Object.entries(await rounds.read(wanted))) files.set(p, t);
    pending = again;
  }
  return docs.map((d) => results.get(rounds.pathOf(d))).filter((r): r is R & { dependencies: string[] } => r !== undefined);
}
