// The overall progress of runs that go side by side on the batch workers (SimulationRunner's notification).

/**
 * The progress notification of a batch: its fraction is the mean of the runs' fractions (a run not started counts
 * 0, a finished one 1), in percent, never above 100; `set` returns the increment to report since the last call.
 */
export class OverallProgress {
  private readonly fractions: number[];
  private reported = 0;

  constructor(runs: number) {
    this.fractions = new Array<number>(Math.max(1, runs)).fill(0);
  }

  set(run: number, fraction: number): number {
    if (run < 0 || run >= this.fractions.length) return 0;
    const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
    this.fractions[run] = Math.max(this.fractions[run], f); // never backwards
    const percent = Math.min(100, (this.fractions.reduce((a, b) => a + b, 0) / this.fractions.length) * 100);
    const increment = percent - this.reported;
    if (increment <= 0) return 0;
    this.reported = percent;
    return increment;
  }

  get percent(): number {
    return this.reported;
  }
}
