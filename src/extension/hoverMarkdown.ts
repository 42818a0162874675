import * as vscode from 'vscode';
import { formatBound, formatChange, formatCO2, formatCount, formatDeviceHours, formatDuration, formatEnergy, formatInteger, formatSci, formatSig } from '../core/units/format';
import { basenameOf } from '../core/configs/relpath';
import { describeSource, type Source, type Sourced } from '../core/configs/types';
import type { DocumentAnalysis, EnergyReport, FieldSensitivity } from '../core/estimate';
import { describeAssumption } from '../core/estimate/assumptions';
import { runHeadline, shortHardwareName } from '../core/estimate/headline';
import type { FieldRef } from '../core/configs';
import { labelText, markdownText } from '../core/text/escape';
import { glossaryLine, GLOSSARY_TITLE, type GlossaryKey } from '../core/glossary';
import type { NotebookPlace } from '../core/python/notebook';
import { parseHubCachePath } from '../core/configs/hubCache';

/**
 * Where a value read from a notebook is, as the notebook shows it (cell, line, column), for the notebook's own file;
 * undefined for any other file. The extension builds one per notebook (src/extension/notebookCells.ts).
 */
export type PlaceLocator = (file: string, offset: number) => NotebookPlace | undefined;

/** "cell 3, line 2": the cell as the notebook numbers it (1-based, markdown cells counted) and the line in that cell. */
export const cellLabel = (p: NotebookPlace) => `cell ${p.index + 1}, line ${p.line}`;

/**
 * Commands a hover may run; the MarkdownString trusts these and nothing else. Each link is built here from LIM
 * Lens's own ids and arguments, and each of these commands checks what it is given (src/extension/commands.ts):
 * none takes a file-system target to write to.
 */
export const HOVER_COMMANDS = ['limLens.openDashboard', 'limLens.selectHardware', 'limLens.exportReport', 'limLens.revealSource', 'workbench.action.openSettings', 'limLens.showGlossary'] as const;
type HoverCommand = (typeof HOVER_COMMANDS)[number];

/** The longest model name the title line shows; the rest of a longer one is cut with an ellipsis. */
const TITLE_NAME_LENGTH = 80;

/**
 * A command link. `label` is LIM Lens's own Markdown; `title` (the tooltip) may quote a file and is escaped here.
 * The arguments travel JSON-encoded and percent-encoded inside the link target, so no argument can end it.
 */
function commandLink(label: string, command: HoverCommand, args?: unknown, title?: string): string {
  const q = args === undefined ? '' : `?${encodeURIComponent(JSON.stringify(args))}`;
  return `[${label}](command:${command}${q}${title ? ` "${markdownText(title, 300)}"` : ''})`;
}

/**
 * "read" links to the line it was read from; the link title says the whole provenance. A value read from a notebook
 * names its cell and links to that cell's line (the fourth argument of limLens.revealSource is the cell).
 */
function tag(source: Source | undefined, docUri: vscode.Uri, locate?: PlaceLocator): string {
  if (!source) return '';
  const title = describeSource(source);
  switch (source.kind) {
    case 'read':
    case 'measured': {
      // A model read from the user's Hugging Face cache: outside the workspace, so no link opens it; the link opens
      // the setting that allowed the read.
      const cached = source.kind === 'read' ? parseHubCachePath(source.file) : undefined;
      if (cached) return commandLink('read', 'workbench.action.openSettings', ['limLens.huggingFaceCache'], `read from the config.json of ${cached.id} in the Hugging Face cache (${source.field})`);
      const place = locate?.(source.file, source.offset);
      if (place) {
        const where = source.kind === 'read' ? `read from ${basenameOf(source.file)}, ${cellLabel(place)} (${source.field})` : `measured: ${source.field} in ${basenameOf(source.file)}, ${cellLabel(place)}`;
        return commandLink(source.kind, 'limLens.revealSource', [docUri.toString(), place.line - 1, place.column - 1, place.index], where);
      }
      const target = docUri.with({ path: source.file.startsWith('/') ? source.file : docUri.path });
      return commandLink(source.kind, 'limLens.revealSource', [target.toString(), source.line - 1, source.column - 1], title);
    }
    case 'default':
      return commandLink('defaulted', 'workbench.action.openSettings', ['limLens'], title);
    case 'setting':
      return commandLink('setting', 'workbench.action.openSettings', ['limLens'], title);
    case 'known-shape':
      return commandLink('known shape', 'limLens.openDashboard', undefined, title);
    case 'computed':
      return commandLink('computed', 'limLens.openDashboard', undefined, title);
  }
}

/**
 * One table row. With a glossary key and a provenance link, the label links to the glossary page and its link title
 * (the tooltip) is the term's glossary line; the hover stays as short as before.
 */
function row(label: string, value: string, provenance = '', term?: GlossaryKey): string {
  const l = term && provenance ? commandLink(`**${label}**`, 'limLens.showGlossary', undefined, glossaryLine(term)) : `**${label}**`;
  return `| ${l} | ${value} | ${provenance} |`;
}

/**
 * The answer first: energy, time and CO₂ of the run, then its one most important caveat, then what the run's own
 * record measured when one joins it. Everything after this line is detail.
 */
export function headlineMarkdown(report: EnergyReport): string {
  const h = runHeadline(report);
  const parts = [`$(zap) **≈ ${markdownText(h.energy)}**`, markdownText(h.time), markdownText(h.co2)];
  if (h.caveat) parts.push(`*${markdownText(h.caveat)}*`);
  if (h.measured) parts.push(`$(pulse) ${markdownText(h.measured)}`);
  return parts.join(' · ');
}

/**
 * "≈ 2.94 MWh · 3.82K device-hours on H100 SXM · 1.13 t CO₂ · tokens defaulted: 20 per parameter · LIM bound 847 J"
 * (plain label text). The caveat comes before the bound: a narrow editor cuts the line at its end, and the caveat
 * says how far the figures before it hold.
 */
export function codeLensTitle(report: EnergyReport): string {
  const h = runHeadline(report);
  const parts = [`$(zap) ≈ ${labelText(h.energy)}`, labelText(h.time), labelText(h.co2)];
  if (h.caveat) parts.push(labelText(h.caveat));
  if (h.bound) parts.push(labelText(h.bound));
  return parts.join(' · ');
}

/** The estimate of a whole config, as a table with the provenance of each number; the detail under the headline. */
export function reportMarkdown(report: EnergyReport, docUri: vscode.Uri, locate?: PlaceLocator): string[] {
  const run = report.run;
  const a = report.accelerator;
  const src = <T>(s: Sourced<T> | undefined) => tag(s?.source, docUri, locate);
  const name = report.name ?? report.modelType ?? basenameOf(report.file);
  const lines = [
    `**LIM Lens** — ${markdownText(name, TITLE_NAME_LENGTH)}${report.modelType && report.modelType !== name ? ` (${markdownText(report.modelType, 80)})` : ''}`,
    '',
    '| | | |',
    '|---|---|---|',
    row('Parameters N', `${formatCount(report.params.total)} total${report.params.active !== report.params.total ? ` · ${formatCount(report.params.active)} active` : ''}${report.params.trained !== report.params.total ? ` · ${formatCount(report.params.trained)} trained` : ''}`, src(run.params.total), 'params'),
  ];
  if (report.tokens !== undefined) lines.push(row('Training tokens D', formatCount(report.tokens), src(run.tokens), 'tokens'));
  if (report.samples !== undefined) lines.push(row('Training samples', formatCount(report.samples), src(run.samples)));
  // A fine-tune that nothing in its file bounds has no total: every figure below is per unit of data, and says so.
  const per = report.perRows;
  const u = per ? ` ${per.label}` : '';
  const ft = run.finetune;
  if (ft) {
    const size = [ft.rows && `${formatCount(ft.rows.value)} rows ${src(ft.rows)}`, ft.epochs && `${formatSig(ft.epochs.value, 3)} epochs ${src(ft.epochs)}`, ft.tokensPerRow && `≤ ${formatCount(ft.tokensPerRow.value)} tokens/row ${src(ft.tokensPerRow)}`].filter(Boolean);
    lines.push(row(ft.objective === 'preference' ? 'Preference run' : 'Fine-tune', `${markdownText(ft.evidence, 160)}${size.length ? ` · ${size.join(' · ')}` : ''}`));
  }
  if (per) lines.push(row('Training tokens D', `**no total** — ${formatCount(per.tokens)} tokens${u}`, src(run.perRows?.tokens), 'tokens'));
  const hw = markdownText(shortHardwareName(a.name));
  const wall = a.wallClockHours !== undefined && !per ? ` · ${formatDuration(a.wallClockHours)} wall-clock` : per ? '' : ' · no wall-clock time: the file gives no device count (the setting limLens.devices can)';
  lines.push(
    row('Training compute', `${formatSci(report.flops, 3)} FLOP${u}`, src(run.flops), 'flops'),
    row('Precision', `${report.precisionBits} bit${run.lora?.baseBits ? ` (frozen base stored in ${run.lora.baseBits.value} bit)` : ''}`, src(run.precisionBits), 'precision'),
    row('Accelerator energy', `≈ **${formatEnergy(a.energyJ)}**${u} on ${a.devicesAssumed ? `${hw} (${formatInteger(a.devices)} device${a.devices === 1 ? '' : 's'} assumed)` : `${formatInteger(a.devices)}× ${hw}`}`, tag({ kind: 'computed', formula: a.formula }, docUri)),
    row('Time', `${formatDeviceHours(a.deviceHours)}${u}${wall}`, src(run.hours ?? run.deviceHours ?? run.utilization), 'deviceHours'),
    row('CO₂', `${formatCO2(a.co2Kg)}${u} at ${formatSig(run.gridKgPerKwh.value, 3)} kg/kWh`, src(run.gridKgPerKwh), 'grid'),
  );
  if (report.bounds) {
    const b = report.bounds;
    const model = { kind: 'computed' as const, formula: `${b.model.label} — N·α·kT·lnΓ(U+1) + N·U·b·kT·ln 2` };
    lines.push(
      row('LIM bound', `${formatBound(b.lim)}${u}`, tag(model, docUri), 'limBound'),
      row('Landauer bound', `${formatBound(b.landauer)}${u}`, tag({ kind: 'computed', formula: 'N·U·b·kT·ln 2' }, docUri), 'landauer'),
      row('Gap', `accelerator is **${b.ordersAcceleratorOverLim.toFixed(1)} orders of magnitude** above the LIM bound`),
    );
  }
  if (per) lines.push('', `$(warning) *No total:* ${markdownText(per.missing, 400)}`);
  const assumed = report.assumptions.filter((x) => x.origin !== 'override');
  if (assumed.length > 0) lines.push('', `*Assumed:* ${assumed.map((x) => markdownText(describeAssumption(x), 200)).join(' · ')}`);
  return lines;
}

/** A relative change between two estimates, or undefined when the energies are the same to the last digit shown. */
function change(from: number, to: number): string | undefined {
  const f = to / from - 1;
  return Math.abs(f) < 1e-6 ? undefined : formatChange(f);
}

/**
 * The field under the cursor and what it does, with what was held fixed: "**model.hidden_size** = 12288 (175b.yaml:70)
 * — halved (6,144): −74 % energy (43.8B parameters) · doubled (24,576): +294 % energy (697B parameters) · tokens 315B
 * as the file gives them". A change too small to show is "energy unchanged", with the reason; a real one, however
 * small, is its percentage.
 */
export function fieldMarkdown(field: FieldRef, sensitivity: FieldSensitivity | undefined, report?: EnergyReport, locate?: PlaceLocator): string[] {
  const name = markdownText(field.field, 80);
  // The value as written, and a large number also as a count a person reads at a glance ("1953125000 (1.95B, …").
  const v = typeof field.value === 'number' ? field.value : typeof field.value === 'string' && /^\s*\d+\s*$/.test(field.value) ? Number(field.value) : undefined;
  const big = v !== undefined && Math.abs(v) >= 1e6 ? `${formatCount(v)}, ` : '';
  // In a notebook, the cell and the line in it ("tune.ipynb, cell 3, line 2"), not a line of the joined code or the JSON.
  const place = locate?.(field.file, field.offset);
  const where = place ? `, ${cellLabel(place)}` : `:${field.line}`;
  const head = `**${name}** = ${markdownText(field.value, 120)} (${big}${markdownText(basenameOf(field.file), 80)}${where})`;
  const b = sensitivity?.base;
  // No relative change from nothing (a run of zero tokens): the field and its value only.
  if (!sensitivity || !b || !(b.energyJ > 0) || !Number.isFinite(b.energyJ)) return [head];
  const points = [
    ['halved', sensitivity.halved],
    ['doubled', sensitivity.doubled],
  ] as const;
  const effects: string[] = [];
  let moved = false;
  for (const [label, p] of points) {
    if (!p) continue;
    const c = change(b.energyJ, p.energyJ);
    if (c) moved = true;
    // The parameter count where it changes to the digits shown (a ResNet's 25.6M moves in the fourth digit).
    const params = formatCount(p.params) !== formatCount(b.params) ? ` (${formatCount(p.params)} parameters${p.activeParams !== p.params && p.activeParams === b.activeParams ? `, ${formatCount(p.activeParams)} active` : ''})` : '';
    const at = Math.abs(p.value) >= 1e6 ? formatCount(p.value) : formatSig(p.value, 4);
    effects.push(`${label} (${at}): ${c ? `**${c}** energy` : 'energy unchanged'}${params}`);
  }
  const t = sensitivity.tokens;
  const held =
    t?.mode === 'held' && b.tokens !== undefined
      ? `tokens held at ${formatCount(b.tokens)}`
      : t?.mode === 'fixed' && b.tokens !== undefined
        ? `tokens ${formatCount(b.tokens)} as the file gives them`
        : t?.mode === 'tied'
          ? `tokens change with it${t.formula ? ` (D = ${markdownText(t.formula.replace(/^D = /, ''), 200)})` : ''}`
          : undefined;
  if (effects.length === 0) return [head];
  // Unchanged to the last digit: say why, from what the estimate rests on.
  const why = moved
    ? ''
    : report?.run.flopsBreakdown.method === 'given'
      ? ' — the training FLOPs are given, so the energy does not follow this field'
      : report?.accelerator.route === 'time'
        ? ' — the time is stated, so the energy follows it, not this field'
        : b.activeParams !== b.params
          ? ' — the energy follows the active parameters and the tokens, which this field leaves as they are'
          : ' — the energy estimate does not depend on this field';
  return [`${head} — ${effects.join(' · ')}${held ? ` · ${held}` : ''}${why}`];
}

/**
 * The hover, answer first: line 1 the run's energy, time and CO₂ with its main caveat; line 2 the field under the
 * cursor and its effect with what was held fixed; then the actions; then the table with the provenance of every
 * number and the assumptions in words. A hover is a small box: what is read first must answer the question.
 */
export function hoverMarkdown(analysis: DocumentAnalysis, docUri: vscode.Uri, runId: string, field?: FieldRef, sensitivity?: FieldSensitivity, locate?: PlaceLocator): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  md.supportHtml = false;
  const parts: string[] = [];
  const actions = [
    commandLink('$(graph) Open in dashboard', 'limLens.openDashboard', [runId]),
    commandLink('$(chip) Change hardware…', 'limLens.selectHardware'),
    commandLink('$(export) Export report', 'limLens.exportReport'),
    commandLink('$(book) Glossary', 'limLens.showGlossary', undefined, GLOSSARY_TITLE),
  ].join(' · ');
  if (analysis.report) {
    parts.push(headlineMarkdown(analysis.report));
    if (field) parts.push('', ...fieldMarkdown(field, sensitivity, analysis.report, locate));
    parts.push('', actions, '', '---', '', ...reportMarkdown(analysis.report, docUri, locate));
  } else {
    // Why there is no estimate: the errors, or when the file is valid and the limit is LIM Lens's, the warnings.
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    const reasons = errors.length > 0 ? errors : analysis.diagnostics.filter((d) => d.severity === 'warning');
    parts.push(
      '$(warning) **LIM Lens** — no estimate for this file',
      '',
      ...reasons.slice(0, 5).map((d) => {
        const place = locate?.(d.file, d.offset);
        return `- ${markdownText(basenameOf(d.file), 80)}${place ? `, ${cellLabel(place)}` : `:${d.line}:${d.column}`}${d.field ? ` *${markdownText(d.field, 80)}*` : ''}: ${markdownText(d.message, 300)}`;
      }),
    );
    if (field) parts.push('', '---', '', ...fieldMarkdown(field, sensitivity, undefined, locate));
    parts.push('', actions);
  }
  md.appendMarkdown(parts.join('\n'));
  return md;
}
