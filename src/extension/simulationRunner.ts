import * as vscode from 'vscode';
import type { CurvePoint, SimulationSettings, SimulationSummary, SweepableParam } from '../protocol/dashboard';
import { JobError, type WorkerClient } from './workerClient';

export interface SimulationEvents {
  /** `index` of `total`: its place in the batch (index 0 starts a new comparison). */
  started(simId: string, series: string, settings: SimulationSettings, algorithm: string, index: number, total: number): void;
  points(simId: string, points: CurvePoint[]): void;
  done(simId: string, summary: SimulationSummary): void;
  failed(simId: string, message: string): void;
}

/**
 * Runs the simulations one dashboard click asks for, one after another in the worker, streaming each curve,
 * with a cancellable progress notification. Starting a new batch cancels the one running.
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
      const plan = await this.worker.run('planSimulations', { settings, sweep });
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'LIM Lens: analog training', cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => source.cancel());
          for (let i = 0; i < plan.length && !source.token.isCancellationRequested; i++) {
            const p = plan[i];
            const simId = `sim-${++this.seq}`;
            events.started(simId, p.label, settings, p.algorithm, i, plan.length);
            progress.report({ message: `${p.label} (${i + 1} of ${plan.length})` });
            let reported = 0;
            try {
              const summary = await this.worker.run('simulate', { config: p.config }, {
                token: source.token,
                onPartial: (pts) => events.points(simId, pts as CurvePoint[]),
                onProgress: (f) => {
                  const step = ((i + f) / plan.length) * 100;
                  progress.report({ increment: step - reported });
                  reported = step;
                },
              });
              events.done(simId, summary);
            } catch (e) {
              const msg = e instanceof Error ? e.message : String(e);
              if (e instanceof JobError && e.code === 'cancelled') events.failed(simId, 'stopped');
              else {
                this.log.error(`simulation ${p.label}: ${msg}`);
                events.failed(simId, msg);
              }
            }
          }
        },
      );
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`simulation: ${msg}`);
      void vscode.window.showErrorMessage(`LIM Lens: the simulation could not start: ${msg}`);
    } finally {
      if (this.current === source) this.current = undefined;
      source.dispose();
    }
  }
}
