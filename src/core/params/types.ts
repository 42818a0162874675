import type { EstimateAssumptions } from '../estimate/assumptions';

/** What a parameter shapes: a run's estimate, the bounds, an analog simulation, which files are read, the editor. */
export type ParamScope = 'estimate' | 'bounds' | 'simulation' | 'files' | 'ui';

/** The value's kind; `integer` is a whole number. */
export type ParamType = 'number' | 'integer' | 'string' | 'boolean' | 'string[]';

export type ParamValue = number | string | boolean | readonly string[];

/** The command-line commands whose flags come from the registry. */
export type CliCommand = 'estimate' | 'simulate';

/**
 * One parameter, declared once. Everything else is derived from it: the `contributes.configuration` block of
 * package.json, the settings reader and its validation, the CLI flags, their help and validation, the sweepable
 * parameters, the dashboard's defaults, the defaults table of docs/settings.md and the reason shown beside a
 * default that was used.
 */
export interface ParamSpec {
  /** The name inside LIM Lens: an `EstimateAssumptions` key, or `simulation.tau`, `files.include`, … */
  key: string;
  type: ParamType;
  /** Unit of a number, as the docs table shows it ("W", "kg CO₂e/kWh", "K", "J"). */
  unit?: string;
  /**
   * The value used when nothing else gives one. `undefined` only for a parameter whose absence has a meaning of
   * its own (`emptyMeans`), as a device power that is the hardware profile's TDP.
   */
  default: ParamValue | undefined;
  /**
   * The setting may be left empty (null): what that means, in words. The setting's default is then empty, and the
   * value comes from the config, else from `default`.
   */
  emptyMeans?: string;
  /** Range of a number: `min` inclusive unless `exclusiveMin`, `max` inclusive. */
  min?: number;
  exclusiveMin?: boolean;
  max?: number;
  /** The values a string may take, and a line on each for the settings editor. */
  enum?: readonly string[];
  enumDescriptions?: readonly string[];
  applies: readonly ParamScope[];
  /** The CLI flag, without its dashes, the command that takes it, and the placeholder its help shows. */
  cli?: { flag: string; command: CliCommand; metavar: string; help?: string };
  /**
   * The VS Code setting: its key under `limLens.` (the public name users have in their settings, which may be
   * spelled differently from `key`), whether a folder may override it, and its place in the settings editor.
   */
  setting?: { key: string; scope: 'resource' | 'window'; order: number };
  /** The name of the same parameter in IBM's aihwkit, where it has one. */
  aihwkit?: string;
  /** One line of documentation: the settings editor's description, the docs table, the CLI help unless `cli.help`. */
  doc: string;
  /** Why the default is what it is, shown wherever it was used; `{default}` stands for the default's value. */
  reason?: string;
  /** The estimate assumption this parameter feeds (`schedule` is fed by the three schedule parameters). */
  assumption?: keyof EstimateAssumptions;
  /** The name a sweep uses for it (`--sweep tau=…`, the dashboard's sweep menu). */
  sweep?: string;
  /** Its field in the simulator's config, for a simulation parameter (`algorithm.lr`, `device.tau`). */
  configPath?: string;
}
