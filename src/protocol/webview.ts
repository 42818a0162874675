import type { EnergyBounds } from '../core';
import { isRecord } from './guards';

/**
 * Extension host ⇄ webview messages. The webview says `ready` once its script runs; only then does the host
 * post data (a hidden or still-loading webview drops messages).
 */
export type HostToDashboard = { type: 'bounds'; bounds: EnergyBounds; title: string } | { type: 'error'; message: string };

export type DashboardToHost = { type: 'ready' } | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export function isDashboardToHost(m: unknown): m is DashboardToHost {
  if (!isRecord(m)) return false;
  if (m.type === 'ready') return true;
  return m.type === 'log' && typeof m.message === 'string' && ['info', 'warn', 'error'].includes(m.level as string);
}

export function isHostToDashboard(m: unknown): m is HostToDashboard {
  if (!isRecord(m)) return false;
  if (m.type === 'bounds') return isRecord(m.bounds) && isRecord(m.bounds.energy) && typeof m.title === 'string';
  return m.type === 'error' && typeof m.message === 'string';
}
