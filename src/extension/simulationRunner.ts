import * as vscode from 'vscode';
import { notificationText } from '../core/text/escape';
import type { CurvePoint, SimulationSettings, SimulationSummary, SweepableParam } from '../protocol/dashboard';
import { JobError, type WorkerClient } from './workerClient';
import { runInLanes, StreamBuffer } from './workerPool';
import { OverallProgress } from './workerPoolProgress';

/** The progress notification is updated at most this often while runs stream. */
const REPORT_EVERY_MS = 250;
/**
 * Each run's curve goes to the dashboard at most this often (the worker posts a batch every 50 ms). Every message
 * costs a structured clone on the host and a chart update in the webview, on the same cores as the runs; 200 ms
 * still looks live. The first batch goes at once, the last one (and whatever is buffered) before `done`.
 */
export const FORWARD_POINTS_EVERY_MS = 200;

export interface SimulationEvents {
  /** `index` of `total`: its place in the batch (index 0 starts a new comparison). */
  started(simId: string, series: string, settings: SimulationSettings, algorithm: string, index: number, total: number): void;
  points(simId: string, points: CurvePoint[]): void;
  /** How far a run is, 0 … 1, as often as the worker reports it (every 100 ms): a listener throttles. */
  progress?(simId: string, fraction: number): void;
  done(simId: string, summary: SimulationSummary): void;
  failed(simId: string, message: string): void;
}

/**
 * Runs the simulations one dashboard click asks for side by side, as many at once as the worker pool has batch
 * workers (one per core plus one: a comparison of up to cores + 1 runs starts at once), streaming each curve
 * (keyed by simId, coalesced to a message every FORWARD_POINTS_EVERY_MS), with one cancellable progress
 * notification whose fraction is the mean of the runs'. Stop cancels every run; starting a new batch cancels the
 * one running.
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
          // Each report re-renders the notification in the workbench, on the cores the runs use: reports go out
          // at most every REPORT_EVERY_MS (increments add up meanwhile). A run starting or ending is reported at
          // once when the last report is older than that, else with the next one, which a timer sends (runs that
          // start together make one report, not one each).
          let owed = 0;
          let lastAt = -Infinity;
          let timer: ReturnType<typeof setTimeout> | undefined;
          const send = () => {
            timer = undefined;
            lastAt = Date.now();
            progress.report({ increment: owed > 0 ? owed : undefined, message: `${[...running.values()].join(', ') || 'finishing'} · ${finished} of ${total} done` });
            owed = 0;
          };
          const report = (increment = 0, changed = false) => {
            owed += increment;
            if (timer) return;
            const wait = lastAt + REPORT_EVERY_MS - Date.now();
            if (wait <= 0) send();
            else if (changed) timer = setTimeout(send, wait);
          };
          // Each lane takes the next planned run when its previous one ends; `started` goes out in plan order.
          const runOne = async (i: number) => {
            const p = plan[i];
            const simId = `sim-${++this.seq}`;
            events.started(simId, p.label, settings, p.algorithm, i, total);
            running.set(simId, p.label);
            report(0, true);
            const points = new StreamBuffer<CurvePoint>((pts) => events.points(simId, pts), FORWARD_POINTS_EVERY_MS);
            try {
              const summary = await this.worker.run('simulate', { config: p.config }, {
                token: source.token,
                onPartial: (pts) => points.push(pts),
                onProgress: (f) => {
                  report(progressOf.set(i, f));
                  events.progress?.(simId, f);
                },
              });
              points.flush(); // the curve's last points before its summary
              events.done(simId, summary);
            } catch (e) {
              points.flush();
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
          };
          try {
            await runInLanes(total, this.worker.batchWorkers, runOne, () => source.token.isCancellationRequested);
          } finally {
            if (timer) clearTimeout(timer);
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
