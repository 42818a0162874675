import * as v from 'valibot';
import { count, family, id, message, text, type Infer } from './schema';
import { AssumptionSummarySchema, HardwareOptionSchema, RunSummarySchema } from './runs';

/** Extension host ⇄ sidebar (the "Training runs" webview view), each message declared once. */

export const LOG_LEVELS = ['info', 'warn', 'error'] as const;

export const HostToSidebar = family([
  message('state', {
    workspaceOpen: v.boolean(),
    scanning: v.boolean(),
    runs: v.array(RunSummarySchema),
    hardware: v.array(HardwareOptionSchema),
    hardwareId: id(200),
    assumptions: AssumptionSummarySchema,
    /** Glob patterns the scan looks at, for the empty state's explanation. */
    patterns: v.array(text(1_000)),
  }),
  message('progress', { done: count(), total: count() }),
]);
export type HostToSidebar = Infer<typeof HostToSidebar.schema>;

export const SidebarToHost = family([
  message('ready', {}),
  message('openRun', { runId: id() }),
  message('openDashboard', { runId: v.optional(id()) }),
  message('setHardware', { hardwareId: id(200) }),
  message('refresh', {}),
  message('createExample', {}),
  message('editAssumptions', {}),
  message('rendered', { rows: count(), empty: v.boolean(), scanning: v.boolean() }),
  message('log', { level: v.picklist(LOG_LEVELS), message: text() }),
]);
export type SidebarToHost = Infer<typeof SidebarToHost.schema>;
