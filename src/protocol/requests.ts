/**
 * "Latest request wins": a slot for requests whose answers may arrive out of order (an energy view computed in the
 * worker while the person picks another run, a page's `select` whose answer is still in flight when it sends the
 * next one). Each request takes the next id; an answer is used only while its id is still the latest, so an
 * answer that a newer request has overtaken is dropped, however the two were ordered on the way.
 */
export class LatestRequest {
  private last = 0;

  /** A new request: every request before it is stale from now on. Returns its id (1, 2, …). */
  next(): number {
    return ++this.last;
  }

  /** Whether `id` is the latest request's id. */
  isLatest(id: number): boolean {
    return id === this.last;
  }

  /** The latest request's id (0 before the first). */
  get latest(): number {
    return this.last;
  }

  /**
   * Runs `work` as a new request and gives its answer, or `{ stale: true }` when a newer request started before it
   * finished (its answer, or its error, is then dropped: the newer request answers instead).
   */
  async run<T>(work: (id: number) => Promise<T>): Promise<{ stale: false; id: number; value: T } | { stale: true; id: number }> {
    const id = this.next();
    try {
      const value = await work(id);
      return this.isLatest(id) ? { stale: false, id, value } : { stale: true, id };
    } catch (e) {
      if (!this.isLatest(id)) return { stale: true, id };
      throw e;
    }
  }
}
