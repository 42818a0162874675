import * as vscode from 'vscode';
import { BOUND_DEFAULTS, DEFAULT_HARDWARE_ID, findHardware } from '../core';
import type { EstimateAssumptions } from '../core/estimate';

/** Typed view of the `limLens.*` settings, read fresh on each use so a change applies at once. */
export interface LimLensSettings {
  hardwareId: string;
  devices: number | undefined;
  utilization: number;
  pue: number;
  powerW: number | undefined;
  gridKgPerKWh: number;
  tokensPerParameter: number;
  precisionBits: number | undefined;
  temperatureK: number;
  schedule: { kind: 'power-law'; alpha: number } | { kind: 'exponential'; tau: number };
  simulation: {
    device: string;
    mode: 'expected' | 'pulsed';
    tau: number;
    lr: number;
    noise: number;
    steps: number;
    seed: number;
    energyPerPulseJ: number;
  };
  hoverEnabled: boolean;
  codeLensEnabled: boolean;
  include: string[];
  exclude: string[];
  maxFileSizeKB: number;
}

export const SECTION = 'limLens';

function positive(v: unknown, fallback: number, max = Infinity): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= max ? v : fallback;
}

function optionalPositive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * Reads the settings for a resource (folder-level overrides apply). Out-of-range values fall back to the
 * defaults; `invalidSettings` reports them so the user is told rather than silently corrected.
 */
export function readSettings(scope?: vscode.Uri): LimLensSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const hardwareId = findHardware(c.get<string>('hardware') ?? '')?.id ?? DEFAULT_HARDWARE_ID;
  const kind = c.get<string>('schedule.kind') === 'exponential' ? 'exponential' : 'power-law';
  const mode = c.get<string>('simulation.mode') === 'pulsed' ? 'pulsed' : 'expected';
  return {
    hardwareId,
    devices: optionalPositive(c.get('devices')),
    utilization: positive(c.get('utilization'), BOUND_DEFAULTS.utilization, 1),
    pue: Math.max(1, positive(c.get('pue'), BOUND_DEFAULTS.pue)),
    powerW: optionalPositive(c.get('powerW')),
    gridKgPerKWh: typeof c.get('gridKgPerKWh') === 'number' && (c.get<number>('gridKgPerKWh') as number) >= 0 ? (c.get<number>('gridKgPerKWh') as number) : 0.385,
    tokensPerParameter: positive(c.get('tokensPerParameter'), 20),
    precisionBits: optionalPositive(c.get('precisionBits')),
    temperatureK: positive(c.get('temperatureK'), BOUND_DEFAULTS.temperatureK),
    schedule: kind === 'exponential' ? { kind, tau: positive(c.get('schedule.tau'), 1e12) } : { kind, alpha: typeof c.get('schedule.alpha') === 'number' && (c.get<number>('schedule.alpha') as number) >= 0 ? (c.get<number>('schedule.alpha') as number) : 1 },
    simulation: {
      device: c.get<string>('simulation.device') || 'soft-bounds',
      mode,
      tau: positive(c.get('simulation.tau'), 1),
      lr: positive(c.get('simulation.lr'), 0.03),
      noise: typeof c.get('simulation.noise') === 'number' && (c.get<number>('simulation.noise') as number) >= 0 ? (c.get<number>('simulation.noise') as number) : 0.1,
      steps: Math.round(positive(c.get('simulation.steps'), 2500, 1e7)),
      seed: Math.max(0, Math.round(Number(c.get('simulation.seed') ?? 1)) || 0),
      energyPerPulseJ: positive(c.get('simulation.energyPerPulseJ'), 5e-15),
    },
    hoverEnabled: c.get<boolean>('hover.enabled') !== false,
    codeLensEnabled: c.get<boolean>('codeLens.enabled') !== false,
    include: (c.get<string[]>('files.include') ?? []).filter((s) => typeof s === 'string' && s.trim() !== ''),
    exclude: (c.get<string[]>('files.exclude') ?? []).filter((s) => typeof s === 'string' && s.trim() !== ''),
    maxFileSizeKB: positive(c.get('files.maxSizeKB'), 1024),
  };
}

/** Settings whose value was refused, with the reason, for a warning the user can act on. */
export function invalidSettings(scope?: vscode.Uri): string[] {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const problems: string[] = [];
  const check = (key: string, ok: (v: unknown) => boolean, rule: string) => {
    const v = c.get(key);
    if (v !== undefined && v !== null && !ok(v)) problems.push(`limLens.${key} = ${JSON.stringify(v)}: ${rule}`);
  };
  check('hardware', (v) => typeof v === 'string' && findHardware(v) !== undefined, 'not a known hardware profile');
  check('utilization', (v) => typeof v === 'number' && v > 0 && v <= 1, 'must be in (0, 1]');
  check('pue', (v) => typeof v === 'number' && v >= 1, 'must be at least 1');
  check('powerW', (v) => typeof v === 'number' && v > 0, 'must be positive');
  check('gridKgPerKWh', (v) => typeof v === 'number' && v >= 0, 'must be zero or positive');
  check('tokensPerParameter', (v) => typeof v === 'number' && v > 0, 'must be positive');
  check('temperatureK', (v) => typeof v === 'number' && v > 0, 'must be positive');
  return problems;
}

export async function updateSetting(key: string, value: unknown, scope?: vscode.Uri): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const inspect = c.inspect(key);
  // Write where the user keeps it: the folder or workspace when overridden there, else the user settings.
  const target =
    inspect?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspect?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await c.update(key, value, target);
}

/** True when the user (or the workspace or folder) set the key, as opposed to the contributed default. */
function isUserSet(c: vscode.WorkspaceConfiguration, key: string): boolean {
  const i = c.inspect(key);
  return i !== undefined && (i.globalValue !== undefined || i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
}

/**
 * The estimate assumptions the user chose, and only those: the engine reports everything else as its
 * documented built-in default, so a hover can say "default" rather than "set by you".
 */
export function userAssumptions(scope?: vscode.Uri): Partial<EstimateAssumptions> {
  // Kept until a setting changes: `inspect` costs about 0.1 ms a key, and every analysis (each hover after an edit,
  // each CodeLens) asks; measured 1 ms a call on the large config of bench/editor/suite.ts.
  const key = (scope && vscode.workspace.getWorkspaceFolder(scope)?.uri.toString()) ?? '';
  const hit = assumptionsByFolder.get(key);
  if (hit) return hit;
  const out = Object.freeze(readUserAssumptions(scope));
  assumptionsByFolder.set(key, out);
  return out;
}

const assumptionsByFolder = new Map<string, Readonly<Partial<EstimateAssumptions>>>();

/**
 * Forgets cached settings when `limLens.*` changes. activate() registers it before any other listener, so
 * listeners that re-read settings on the same change already read the new values.
 */
export function watchSettings(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) assumptionsByFolder.clear();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => assumptionsByFolder.clear()),
  );
}

function readUserAssumptions(scope?: vscode.Uri): Partial<EstimateAssumptions> {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const s = readSettings(scope);
  const out: Partial<EstimateAssumptions> = {};
  if (isUserSet(c, 'hardware')) out.hardwareId = s.hardwareId;
  if (isUserSet(c, 'devices') && s.devices !== undefined) out.devices = s.devices;
  if (isUserSet(c, 'utilization')) out.utilization = s.utilization;
  if (isUserSet(c, 'powerW') && s.powerW !== undefined) out.powerW = s.powerW;
  if (isUserSet(c, 'pue')) out.pue = s.pue;
  if (isUserSet(c, 'gridKgPerKWh')) out.gridKgPerKwh = s.gridKgPerKWh;
  if (isUserSet(c, 'tokensPerParameter')) out.tokensPerParameter = s.tokensPerParameter;
  if (isUserSet(c, 'precisionBits') && s.precisionBits !== undefined) out.bits = s.precisionBits;
  if (isUserSet(c, 'temperatureK')) out.temperatureK = s.temperatureK;
  if (isUserSet(c, 'schedule.kind') || isUserSet(c, 'schedule.alpha') || isUserSet(c, 'schedule.tau')) out.schedule = s.schedule;
  return out;
}
