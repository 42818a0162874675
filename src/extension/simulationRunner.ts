import * as vscode from 'vscode';
import { notificationText } from '../core/text/escape';
import type { CurvePoint, SimulationSettings, SimulationSummary, SweepableParam } from '../protocol/dashboard';
import { JobError, type WorkerClient } from './workerClient';
import { OverallProgress } from './workerPoolProgress';

/** The progress notification is updated at most this often while runs stream. */
const REPORT_EVERY_MS = 250;

export interface SimulationEvents {
  /** `index` of `total`: its place in the batch (index 0 starts a new comparison). */
  started(simId: string, series: string, settings: SimulationSettings, algorithm: string, index: number, total: number): void;
  points(simId: string, points: CurvePoint[]): void;
  done(simId: string, summary: SimulationSummary): void;
  failed(simId: string, message: string): void;
}

/**
 * Runs the simulations one dashboard click asks for side by side, as many at once as the worker pool has batch
 * workers, streaming each curve (keyed by simId), with one cancellable progress notification whose fraction is
 * the mean of the runs'. Stop cancels every run; starting a new batch cancels the one running.
 */
export class SimulationRunner {
  private current: vscode.CancellationTokenSource | undefined;
  private seq = 0;

  constructor(
    private readonly worker: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  cancel(): void {
    this.current?.cancel();
  }

  async run(settings: SimulationSettings, events: SimulationEvents, sweep?: { param: SweepableParam; values: number[] }): Promise<void> {
    this.current?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.current = source;
    try {
      const plan = await this.worker.run('planSimulations', { settings, sweep }, { token: source.token });
      if (source.token.isCancellationRequested) return;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'LIM Lens: analog training', cancellable: true },
        async (progress, token) => {
          const stop = token.onCancellationRequested(() => source.cancel());
          const total = plan.length;
          const progressOf = new OverallProgress(total);
          const running = new Map<string, string>(); // simId → label
          let finished = 0;
          // Each report re-renders the notification in the workbench: progress goes out at most every
          // REPORT_EVERY_MS (increments add up meanwhile); a run starting or ending goes out at once.
          let owed = 0;
          let lastAt = 0;
          const report = (increment = 0, now = false) => {
            owed += increment;
            if (!now && Date.now() - lastAt < REPORT_EVERY_MS) return;
            lastAt = Date.now();
            progress.report({ increment: owed > 0 ? owed : undefined, message: `${[...running.values()].join(', ') || 'finishing'} · ${finished} of ${total} done` });
            owed = 0;
          };
          let next = 0;
          // Each lane takes the next planned run when its previous one ends; `started` goes out in plan order.
          const lane = async () => {
            while (next < total && !source.token.isCancellationRequested) {
              const i = next++;
              const p = plan[i];
              const simId = `sim-${++this.seq}`;
              events.started(simId, p.label, settings, p.algorithm, i, total);
              running.set(simId, p.label);
              report(0, true);
              try {
                const summary = await this.worker.run('simulate', { config: p.config }, {
                  token: source.token,
                  onPartial: (pts) => events.points(simId, pts as CurvePoint[]),
                  onProgress: (f) => report(progressOf.set(i, f)),
                });
                events.done(simId, summary);
              } catch (e) {
                const msg = e instanceof Error ? e.message : String(e);
                if (e instanceof JobError && e.code === 'cancelled') events.failed(simId, 'stopped');
                else {
                  this.log.error(`simulation ${p.label}: ${msg}`);
                  events.failed(simId, msg);
                }
              } finally {
                running.delete(simId);
                finished++;
                report(progressOf.set(i, 1), true);
              }
            }
          };
          try {
            await Promise.all(Array.from({ length: Math.min(this.worker.batchWorkers, total) }, lane));
          } finally {
            stop.dispose();
          }
        },
      );
    } catch (e) {
      if (e instanceof JobError && e.code === 'cancelled') return; // replaced by a newer batch while planning
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`simulation: ${msg}`);
      void vscode.window.showErrorMessage(`LIM Lens: the simulation could not start: ${notificationText(msg, 500)}`);
    } finally {
      if (this.current === source) this.current = undefined;
      source.dispose();
    }
  }
}
