import type { Schedule } from '../bounds/inputs';
import type { EstimateAssumptions } from '../estimate/assumptions';
import { findHardware } from '../hardware/profiles';
import { formatInteger } from '../units/format';
import { PARAMS, param } from './registry';
import type { CliCommand, ParamSpec, ParamValue } from './types';

/** The settings section: every setting is `limLens.<setting.key>`. */
export const SETTINGS_SECTION = 'limLens';

/** "limLens.gridKgPerKWh": the public key of a parameter's setting. */
export function settingId(p: ParamSpec): string | undefined {
  return p.setting ? `${SETTINGS_SECTION}.${p.setting.key}` : undefined;
}

/** A number as the docs, the help and the reasons print it: "0.385", "2,500", "1,281,167", "1e12", "5e-15". */
export function formatNumber(v: number): string {
  const abs = Math.abs(v);
  const sci = v.toExponential().replace('e+', 'e');
  if (Number.isInteger(v) && (abs < 1e7 || sci.length > 6)) return formatInteger(v);
  if (abs >= 1e7 || (abs !== 0 && abs < 1e-3)) return sci;
  return String(v);
}

/** A default as text; `undefined` (a default that is the absence of a value) as "—". */
export function formatDefault(v: ParamValue | undefined): string {
  if (v === undefined) return '—';
  if (typeof v === 'number') return formatNumber(v);
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

/** The reason shown beside a default that was used, with the default's value in it. */
export function reasonText(p: ParamSpec): string | undefined {
  return p.reason?.replace('{default}', formatDefault(p.default));
}

/** What leaving the parameter empty means, with the default's value in it. */
export function emptyText(p: ParamSpec): string | undefined {
  return p.emptyMeans?.replace('{default}', formatDefault(p.default));
}

// ── The estimate's defaults and reasons ──────────────────────────────────────────────────────────────────────────

function scheduleOf(params: readonly ParamSpec[]): { schedule: Schedule; from: ParamSpec } {
  const kind = param('schedule.kind', params).default;
  const from = param(kind === 'exponential' ? 'schedule.tau' : 'schedule.alpha', params);
  const v = from.default as number;
  return { schedule: kind === 'exponential' ? { kind: 'exponential', tau: v } : { kind: 'power-law', alpha: v }, from };
}

/** Every number the estimate uses when a config is silent, from the registry. */
export function estimateDefaults(params: readonly ParamSpec[] = PARAMS): EstimateAssumptions {
  const out: Record<string, unknown> = {};
  for (const p of params) if (p.assumption && p.assumption !== 'schedule') out[p.assumption] = p.default;
  out.schedule = scheduleOf(params).schedule;
  return out as unknown as EstimateAssumptions;
}

/** Why each default is what it is, from the registry: the text reports show beside a default that was used. */
export function defaultReasons(params: readonly ParamSpec[] = PARAMS): Record<keyof EstimateAssumptions, string> {
  const out: Record<string, string> = {};
  for (const p of params) if (p.assumption && p.assumption !== 'schedule' && p.reason) out[p.assumption] = reasonText(p)!;
  out.schedule = reasonText(scheduleOf(params).from)!;
  return out as Record<keyof EstimateAssumptions, string>;
}

/** The setting each estimate assumption comes from ("limLens.gridKgPerKWh"); `schedule` is `limLens.schedule`. */
export function assumptionSettingNames(params: readonly ParamSpec[] = PARAMS): Record<keyof EstimateAssumptions, string> {
  const out: Record<string, string> = {};
  for (const p of params) {
    if (!p.assumption) continue;
    if (p.assumption === 'schedule') out.schedule = `${SETTINGS_SECTION}.schedule`;
    else out[p.assumption] = settingId(p) ?? `the built-in ${p.key}`;
  }
  return out as Record<keyof EstimateAssumptions, string>;
}

// ── Validation, one rule for the settings and the flags ─────────────────────────────────────────────────────────

/** The range of a number in the settings' and the flags' terms. */
export function numberRule(p: ParamSpec): { min?: number; exclusive?: boolean; max?: number; integer?: boolean } {
  return {
    ...(p.min !== undefined ? { min: p.min } : {}),
    ...(p.exclusiveMin ? { exclusive: true } : {}),
    ...(p.max !== undefined ? { max: p.max } : {}),
    ...(p.type === 'integer' ? { integer: true } : {}),
  };
}

/** What a valid value is, in words: "a number in (0, 1]", "one of power-law, exponential". */
export function ruleText(p: ParamSpec): string {
  if (p.enum) return `must be one of ${p.enum.join(', ')}`;
  if (p.type === 'boolean') return 'must be true or false';
  if (p.type === 'string') return 'must be non-empty text';
  if (p.type === 'string[]') return 'must be a list of glob patterns';
  const what = p.type === 'integer' ? 'a whole number' : 'a number';
  const lo = p.min === undefined ? undefined : formatNumber(p.min);
  const hi = p.max === undefined ? undefined : formatNumber(p.max);
  if (lo !== undefined && hi !== undefined) return `must be ${what} in ${p.exclusiveMin ? '(' : '['}${lo}, ${hi}]`;
  if (lo !== undefined) return `must be ${what} ${p.exclusiveMin ? 'greater than' : 'at least'} ${lo}`;
  if (hi !== undefined) return `must be ${what} at most ${hi}`;
  return `must be ${what}`;
}

/** True when `v` is a valid value of `p` (an empty value is valid when the parameter may be left empty). */
export function isValidValue(p: ParamSpec, v: unknown): boolean {
  if (v === null || v === undefined) return p.emptyMeans !== undefined;
  switch (p.type) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      if (typeof v !== 'string' || v.trim() === '') return false;
      if (p.key === 'hardwareId') return findHardware(v) !== undefined;
      return p.enum ? p.enum.includes(v) : true;
    case 'string[]':
      return Array.isArray(v) && v.every((s) => typeof s === 'string');
    default: {
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      if (p.type === 'integer' && !Number.isInteger(v)) return false;
      if (p.min !== undefined && (p.exclusiveMin ? v <= p.min : v < p.min)) return false;
      return p.max === undefined || v <= p.max;
    }
  }
}

// ── The settings block of package.json ──────────────────────────────────────────────────────────────────────────

/** `contributes.configuration` of package.json, exactly as it is checked in. */
export function configurationBlock(params: readonly ParamSpec[] = PARAMS): { title: string; properties: Record<string, unknown> } {
  const properties: Record<string, unknown> = {};
  const withSetting = params.filter((p) => p.setting).sort((a, b) => a.setting!.order - b.setting!.order);
  for (const p of withSetting) {
    const base = p.type === 'string[]' ? 'array' : p.type;
    const prop: Record<string, unknown> = { type: p.emptyMeans !== undefined ? [base, 'null'] : base };
    if (p.type === 'string[]') prop.items = { type: 'string' };
    prop.default = p.emptyMeans !== undefined ? null : Array.isArray(p.default) ? [...p.default] : p.default;
    if (p.min !== undefined) prop[p.exclusiveMin ? 'exclusiveMinimum' : 'minimum'] = p.min;
    if (p.max !== undefined) prop.maximum = p.max;
    if (p.enum) prop.enum = [...p.enum];
    if (p.enumDescriptions) prop.enumDescriptions = [...p.enumDescriptions];
    prop.scope = p.setting!.scope;
    prop.order = p.setting!.order;
    prop.markdownDescription = p.emptyMeans !== undefined && !p.doc.includes('Empty:') ? `${p.doc} Empty: ${emptyText(p)}.` : p.doc;
    properties[settingId(p)!] = prop;
  }
  return { title: 'LIM Lens', properties };
}

// ── The CLI ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** The registry's flags of one command, in registry order. */
export function flagsOf(command: CliCommand, params: readonly ParamSpec[] = PARAMS): ParamSpec[] {
  return params.filter((p) => p.cli?.command === command);
}

/** The registry entry behind `--flag` of a command. */
export function flagParam(command: CliCommand, flag: string, params: readonly ParamSpec[] = PARAMS): ParamSpec {
  const p = params.find((x) => x.cli?.command === command && x.cli.flag === flag);
  if (!p) throw new RangeError(`no flag --${flag} of lim-lens ${command} in the registry`);
  return p;
}

/**
 * "  --pue P               data-centre PUE (default 1.1)": one line of a command's help, aligned at `width`; `extra`
 * follows the description as it is (": v100, a100, …").
 */
export function helpLine(p: ParamSpec, opts: { width?: number; defaultText?: string; extra?: string } = {}): string {
  const cli = p.cli!;
  const head = `  --${cli.flag} ${cli.metavar}`;
  const text = cli.help ?? p.doc.replace(/\.$/, '');
  const dflt = opts.defaultText !== undefined ? ` (default ${opts.defaultText})` : p.emptyMeans !== undefined ? ` (default: ${emptyText(p)})` : ` (default ${formatDefault(p.default)})`;
  const extra = opts.extra ?? '';
  return `${head.padEnd(Math.max(opts.width ?? 24, head.length + 2))}${text}${extra}${dflt}`;
}

/** The parameters a sweep can vary, by the name the sweep uses. */
export function sweepNames(params: readonly ParamSpec[] = PARAMS): string[] {
  return params.filter((p) => p.sweep).map((p) => p.sweep!);
}

// ── The docs table ──────────────────────────────────────────────────────────────────────────────────────────────

export const DOCS_BEGIN = '<!-- params:begin -->';
export const DOCS_END = '<!-- params:end -->';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(s: string): string {
  return `\`${s}\``;
}

function rangeText(p: ParamSpec): string {
  if (p.enum) return p.enum.map(code).join(', ');
  if (p.type !== 'number' && p.type !== 'integer') return '';
  const lo = p.min === undefined ? '' : formatNumber(p.min);
  const hi = p.max === undefined ? '' : formatNumber(p.max);
  const span = lo !== '' && hi !== '' ? `${p.exclusiveMin ? '(' : '['}${lo}, ${hi}]` : lo !== '' ? `${p.exclusiveMin ? '>' : '≥'} ${lo}` : hi !== '' ? `≤ ${hi}` : 'any';
  return p.type === 'integer' ? `whole, ${span}` : span;
}

function defaultCell(p: ParamSpec): string {
  const d = p.default === undefined ? '' : Array.isArray(p.default) ? p.default.map(code).join(', ') : code(formatDefault(p.default));
  const unit = p.unit && p.default !== undefined && !Array.isArray(p.default) ? ` ${p.unit}` : '';
  if (p.emptyMeans !== undefined) return `${p.setting ? 'empty: ' : 'not given: '}${emptyText(p)}`;
  return `${d}${unit}`;
}

/** The defaults tables of docs/settings.md, markers included. */
export function docsTables(params: readonly ParamSpec[] = PARAMS): string {
  const groups: Array<[string, (p: ParamSpec) => boolean]> = [
    ['Estimate and bounds', (p) => p.applies.includes('estimate') || p.applies.includes('bounds')],
    ['Analog-training simulation', (p) => p.applies.includes('simulation')],
    ['Editor and files', (p) => p.applies.includes('ui') || p.applies.includes('files')],
  ];
  const out = [DOCS_BEGIN, '<!-- Generated from src/core/params/registry.ts by `npm run gen`; edit the registry, not this table. -->'];
  const seen = new Set<ParamSpec>();
  for (const [title, inGroup] of groups) {
    const rows = params.filter((p) => !seen.has(p) && inGroup(p));
    rows.forEach((p) => seen.add(p));
    out.push('', `### ${title}`, '', '| Parameter | Setting | CLI flag | Default | Range | aihwkit | What it is |', '|---|---|---|---|---|---|---|');
    for (const p of rows) {
      const flag = p.cli ? `${code(`--${p.cli.flag}`)} (${p.cli.command})` : '';
      const sweep = p.sweep ? ` Sweepable as ${code(p.sweep)}.` : '';
      const reason = reasonText(p);
      const why = reason ? ` When defaulted: “${reason}”.` : '';
      out.push(
        `| ${[code(p.key), p.setting ? code(settingId(p)!) : '', flag, defaultCell(p), rangeText(p), p.aihwkit ? code(p.aihwkit) : '', `${p.doc}${sweep}${why}`].map(cell).join(' | ')} |`,
      );
    }
  }
  out.push('', DOCS_END);
  return out.join('\n');
}

/** `text` with its marked block replaced by `block`; throws when the markers are missing. */
export function replaceMarkedBlock(text: string, block: string): string {
  const a = text.indexOf(DOCS_BEGIN);
  const b = text.indexOf(DOCS_END);
  if (a < 0 || b < a) throw new Error(`the markers ${DOCS_BEGIN} … ${DOCS_END} are missing`);
  return text.slice(0, a) + block + text.slice(b + DOCS_END.length);
}

/** package.json's text with its `contributes.configuration` block regenerated; every other key keeps its place. */
export function withConfigurationBlock(packageJsonText: string, params: readonly ParamSpec[] = PARAMS): string {
  const pkg = JSON.parse(packageJsonText) as { contributes?: Record<string, unknown> };
  if (!pkg.contributes) throw new Error('package.json has no "contributes"');
  pkg.contributes.configuration = configurationBlock(params);
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
