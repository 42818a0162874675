import type { EnergyBounds } from '../core';
import { isRecord } from './guards';

/**
 * Extension host ⇄ webview messages. The webview says `ready` once its script runs; only then does the host
 * post data (a hidden or still-loading webview drops messages).
 */
export type HostToDashboard = { type: 'bounds'; bounds: EnergyBounds; title: string } | { type: 'error'; message: string };

/**
 * `rendered` is posted after every draw: what is on screen (the title, and per chart its data and how many canvas
 * pixels are painted). The host hands it to the test hooks (src/extension/testHooks.ts) so the integration tests
 * can assert what the webview drew.
 */
export interface RenderedChart {
  id: string;
  datasets: number;
  points: number;
  /** Canvas pixels that are not fully transparent: 0 means nothing was drawn. */
  painted: number;
}

export type DashboardToHost =
  | { type: 'ready' }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'rendered'; tab: 'energy'; title: string; charts: RenderedChart[] };

export function isDashboardToHost(m: unknown): m is DashboardToHost {
  if (!isRecord(m)) return false;
  if (m.type === 'ready') return true;
  if (m.type === 'rendered') return typeof m.title === 'string' && Array.isArray(m.charts);
  return m.type === 'log' && typeof m.message === 'string' && ['info', 'warn', 'error'].includes(m.level as string);
}

export function isHostToDashboard(m: unknown): m is HostToDashboard {
  if (!isRecord(m)) return false;
  if (m.type === 'bounds') return isRecord(m.bounds) && isRecord(m.bounds.energy) && typeof m.title === 'string';
  return m.type === 'error' && typeof m.message === 'string';
}
