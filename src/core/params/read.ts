import type { Schedule } from '../bounds/inputs';
import type { EstimateAssumptions } from '../estimate/assumptions';
import { findHardware } from '../hardware/profiles';
import { isValidValue, ruleText, settingId } from './derive';
import { PARAMS, param } from './registry';
import type { ParamSpec, ParamValue } from './types';

/** Typed view of the `limLens.*` settings. */
export interface LimLensSettings {
  hardwareId: string;
  devices: number | undefined;
  utilization: number;
  pue: number;
  powerW: number | undefined;
  gridKgPerKwh: number;
  tokensPerParameter: number;
  precisionBits: number | undefined;
  temperatureK: number;
  schedule: Schedule;
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

/** Reads one setting by its key under `limLens.` ("pue", "simulation.tau"). */
export type SettingGetter = (settingKey: string) => unknown;

/**
 * The value of one parameter from its setting: the setting when valid, else the registry's default (`undefined`
 * for a parameter that may be left empty). A hardware name is turned into its profile id.
 */
export function paramValue(p: ParamSpec, get: SettingGetter): ParamValue | undefined {
  if (!p.setting) return p.default;
  const raw = get(p.setting.key);
  if (!isValidValue(p, raw) || raw === null || raw === undefined) return p.emptyMeans !== undefined ? undefined : p.default;
  if (p.key === 'hardwareId') return findHardware(raw as string)!.id;
  if (p.type === 'string[]') return (raw as string[]).filter((s) => s.trim() !== '');
  return raw as ParamValue;
}

/** Every setting, each valid or its default. */
export function readParamSettings(get: SettingGetter, params: readonly ParamSpec[] = PARAMS): LimLensSettings {
  const v = (key: string) => paramValue(param(key, params), get);
  const kind = v('schedule.kind') as Schedule['kind'];
  return {
    hardwareId: v('hardwareId') as string,
    devices: v('devices') as number | undefined,
    utilization: v('utilization') as number,
    pue: v('pue') as number,
    powerW: v('powerW') as number | undefined,
    gridKgPerKwh: v('gridKgPerKwh') as number,
    tokensPerParameter: v('tokensPerParameter') as number,
    precisionBits: v('bits') as number | undefined,
    temperatureK: v('temperatureK') as number,
    schedule: kind === 'exponential' ? { kind, tau: v('schedule.tau') as number } : { kind: 'power-law', alpha: v('schedule.alpha') as number },
    simulation: {
      device: v('simulation.device') as string,
      mode: v('simulation.mode') as 'expected' | 'pulsed',
      tau: v('simulation.tau') as number,
      lr: v('simulation.lr') as number,
      noise: v('simulation.noise') as number,
      steps: v('simulation.steps') as number,
      seed: v('simulation.seed') as number,
      energyPerPulseJ: v('simulation.energyPerPulseJ') as number,
    },
    hoverEnabled: v('hover.enabled') as boolean,
    codeLensEnabled: v('codeLens.enabled') as boolean,
    include: v('files.include') as string[],
    exclude: v('files.exclude') as string[],
    maxFileSizeKB: v('files.maxSizeKB') as number,
  };
}

/** A refused value as the log shows it: JSON, cut to 60 characters (a setting may hold a megabyte of text). */
function shown(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = Object.prototype.toString.call(raw);
  }
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** Every setting whose value was refused, with the rule it broke: `limLens.pue = 0.5: must be a number in [1, 10]`. */
export function invalidParamSettings(get: SettingGetter, params: readonly ParamSpec[] = PARAMS): string[] {
  const problems: string[] = [];
  for (const p of params) {
    if (!p.setting) continue;
    const raw = get(p.setting.key);
    if (raw === undefined || raw === null || isValidValue(p, raw)) continue;
    const rule = p.key === 'hardwareId' ? 'not a known hardware profile' : ruleText(p);
    problems.push(`${settingId(p)} = ${shown(raw)}: ${rule}`);
  }
  return problems;
}

/**
 * The estimate assumptions the user set, and only those (`isSet` says whether the user, the workspace or the folder
 * set a key): the engine reports everything else as its built-in default.
 */
export function userParamAssumptions(get: SettingGetter, isSet: (settingKey: string) => boolean, params: readonly ParamSpec[] = PARAMS): Partial<EstimateAssumptions> {
  const out: Record<string, unknown> = {};
  let schedule = false;
  for (const p of params) {
    if (!p.assumption || !p.setting || !isSet(p.setting.key)) continue;
    if (p.assumption === 'schedule') {
      schedule = true;
      continue;
    }
    const value = paramValue(p, get);
    if (value !== undefined) out[p.assumption] = value;
  }
  if (schedule) out.schedule = readParamSettings(get, params).schedule;
  return out as Partial<EstimateAssumptions>;
}
