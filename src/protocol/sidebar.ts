import { checkMessage, hasNumber, hasString, isArrayOf, isOneOf } from './guards';
import { isAssumptionSummary, isHardwareOption, isRunSummary, type AssumptionSummary, type HardwareOption, type RunSummary } from './runs';

/** Extension host ⇄ sidebar (the "Training runs" webview view). */
export type HostToSidebar =
  | {
      type: 'state';
      workspaceOpen: boolean;
      scanning: boolean;
      runs: RunSummary[];
      hardware: HardwareOption[];
      hardwareId: string;
      assumptions: AssumptionSummary;
      /** Glob patterns the scan looks at, for the empty state's explanation. */
      patterns: string[];
    }
  | { type: 'progress'; done: number; total: number };

export type SidebarToHost =
  | { type: 'ready' }
  | { type: 'openRun'; runId: string }
  | { type: 'openDashboard'; runId?: string }
  | { type: 'setHardware'; hardwareId: string }
  | { type: 'refresh' }
  | { type: 'createExample' }
  | { type: 'editAssumptions' }
  | { type: 'rendered'; rows: number; empty: boolean; scanning: boolean }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export function isSidebarToHost(m: unknown): m is SidebarToHost {
  return checkMessage<SidebarToHost>(m, {
    ready: () => true,
    openRun: (x) => hasString(x, 'runId'),
    openDashboard: (x) => x.runId === undefined || hasString(x, 'runId'),
    setHardware: (x) => hasString(x, 'hardwareId'),
    refresh: () => true,
    createExample: () => true,
    editAssumptions: () => true,
    rendered: (x) => hasNumber(x, 'rows') && typeof x.empty === 'boolean' && typeof x.scanning === 'boolean',
    log: (x) => isOneOf(x.level, ['info', 'warn', 'error'] as const) && hasString(x, 'message'),
  });
}

export function isHostToSidebar(m: unknown): m is HostToSidebar {
  return checkMessage<HostToSidebar>(m, {
    state: (x) =>
      typeof x.workspaceOpen === 'boolean' &&
      typeof x.scanning === 'boolean' &&
      isArrayOf(x.runs, isRunSummary) &&
      isArrayOf(x.hardware, isHardwareOption) &&
      hasString(x, 'hardwareId') &&
      isAssumptionSummary(x.assumptions) &&
      isArrayOf(x.patterns, (p): p is string => typeof p === 'string'),
    progress: (x) => hasNumber(x, 'done') && hasNumber(x, 'total'),
  });
}
