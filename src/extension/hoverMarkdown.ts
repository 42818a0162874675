import * as vscode from 'vscode';
import { formatCount, formatEnergy, formatInteger, formatSci, formatSig } from '../core/units/format';
import { basenameOf } from '../core/configs/relpath';
import { describeSource, type Source, type Sourced } from '../core/configs/types';
import type { DocumentAnalysis, EnergyReport, FieldSensitivity } from '../core/estimate';
import type { FieldRef } from '../core/configs';
import { markdownText } from '../core/text/escape';
import { glossaryLine, GLOSSARY_TITLE, type GlossaryKey } from '../core/glossary';

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

/** "read" links to the line it was read from; the link title says the whole provenance. */
function tag(source: Source | undefined, docUri: vscode.Uri): string {
  if (!source) return '';
  const title = describeSource(source);
  switch (source.kind) {
    case 'read':
    case 'measured': {
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

function duration(hours: number): string {
  if (hours < 48) return `${formatSig(hours, 3)} hours`;
  if (hours < 24 * 365 * 2) return `${formatSig(hours / 24, 3)} days`;
  return `${formatSig(hours / 24 / 365.25, 3)} years`;
}

/**
 * One table row. With a glossary key and a provenance link, the label links to the glossary page and its link title
 * (the tooltip) is the term's glossary line; the hover stays as short as before.
 */
function row(label: string, value: string, provenance = '', term?: GlossaryKey): string {
  const l = term && provenance ? commandLink(`**${label}**`, 'limLens.showGlossary', undefined, glossaryLine(term)) : `**${label}**`;
  return `| ${l} | ${value} | ${provenance} |`;
}

/** The estimate of a whole config, as a table with the provenance of each number. */
export function reportMarkdown(report: EnergyReport, docUri: vscode.Uri): string[] {
  const run = report.run;
  const a = report.accelerator;
  const src = <T>(s: Sourced<T> | undefined) => tag(s?.source, docUri);
  const lines = [
    `$(zap) **LIM Lens** — ${markdownText(report.name ?? report.modelType ?? basenameOf(report.file), TITLE_NAME_LENGTH)}`,
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
  lines.push(
    row('Training compute', `${formatSci(report.flops, 3)} FLOP${u}`, src(run.flops), 'flops'),
    row('Precision', `${report.precisionBits} bit${run.lora?.baseBits ? ` (frozen base stored in ${run.lora.baseBits.value} bit)` : ''}`, src(run.precisionBits), 'precision'),
    row('Accelerator energy', `≈ **${formatEnergy(a.energyJ)}**${u} on ${formatInteger(a.devices)}× ${markdownText(a.name)}`, tag({ kind: 'computed', formula: a.formula }, docUri)),
    row('Time', `${formatSig(a.deviceHours, 3)} device-hours${per ? u : ` · ${duration(a.wallClockHours)} wall-clock`}`, src(run.hours ?? run.deviceHours ?? run.utilization), 'deviceHours'),
    row('CO₂', `${formatSig(a.co2Kg / 1000, 3)} t CO₂e${u} at ${run.gridKgPerKwh.value} kg/kWh`, src(run.gridKgPerKwh), 'grid'),
  );
  if (report.bounds) {
    const b = report.bounds;
    const model = { kind: 'computed' as const, formula: `${b.model.label} — N·α·kT·lnΓ(U+1) + N·U·b·kT·ln 2` };
    lines.push(
      row('LIM bound', `${formatSci(b.lim, 3)} J (${formatEnergy(b.lim)})${u}`, tag(model, docUri), 'limBound'),
      row('Landauer bound', `${formatSci(b.landauer, 3)} J${u}`, tag({ kind: 'computed', formula: 'N·U·b·kT·ln 2' }, docUri), 'landauer'),
      row('Gap', `accelerator is **${b.ordersAcceleratorOverLim.toFixed(1)} orders of magnitude** above the LIM bound`),
    );
  }
  if (per) lines.push('', `$(warning) *No total:* ${markdownText(per.missing, 400)}`);
  const defaults = report.assumptions.filter((x) => x.origin === 'built-in default');
  if (defaults.length > 0) {
    lines.push('', `*Defaults used:* ${defaults.map((x) => `${markdownText(x.name)} ${markdownText(x.value)}`).join(' · ')}`);
  }
  return lines;
}

function percent(from: number, to: number): string {
  const p = (to / from - 1) * 100;
  return `${p >= 0 ? '+' : ''}${formatSig(p, 2)} %`;
}

/** "hidden_size = 4096, read from …; halving it: …; doubling it: …". */
export function fieldMarkdown(field: FieldRef, sensitivity: FieldSensitivity | undefined, unit?: string): string[] {
  const name = markdownText(field.field, 80);
  const lines = [`**${name}** = ${markdownText(field.value, 120)} — read from ${markdownText(basenameOf(field.file), 80)}:${field.line}`];
  if (!sensitivity) return lines;
  const b = sensitivity.base;
  const part = (label: string, p: FieldSensitivity['halved']) =>
    p ? `${label} (${formatSig(p.value, 4)}): ${formatCount(p.params)} parameters, ${formatEnergy(p.energyJ)}${unit ? ` ${unit}` : ''} (${percent(b.energyJ, p.energyJ)})` : undefined;
  const changes = [part('halved', sensitivity.halved), part('doubled', sensitivity.doubled)].filter(Boolean);
  if (changes.length) lines.push('', `How it moves the estimate — ${changes.join(' · ')}`);
  if (sensitivity.energyElasticity !== undefined && Number.isFinite(sensitivity.energyElasticity)) {
    const e = sensitivity.energyElasticity;
    lines.push('', Math.abs(e) < 0.005 ? 'The energy estimate does not depend on this field.' : `Energy grows as ${name}^${formatSig(e, 3)} around this value.`);
  }
  return lines;
}

export function hoverMarkdown(analysis: DocumentAnalysis, docUri: vscode.Uri, runId: string, field?: FieldRef, sensitivity?: FieldSensitivity): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  md.supportHtml = false;
  const parts: string[] = [];
  if (analysis.report) {
    // The field under the cursor comes right under the title, before the table: hovers are only so tall, and with
    // the field last, what the person pointed at was below the fold (seen in the README screenshot of the hover).
    const [title, ...table] = reportMarkdown(analysis.report, docUri);
    parts.push(title, ...(field ? ['', ...fieldMarkdown(field, sensitivity, analysis.report.perRows?.label), '', '---'] : []), ...table);
  } else {
    // Why there is no estimate: the errors, or when the file is valid and the limit is LIM Lens's, the warnings.
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    const reasons = errors.length > 0 ? errors : analysis.diagnostics.filter((d) => d.severity === 'warning');
    parts.push(
      '$(warning) **LIM Lens** — no estimate for this file',
      '',
      ...reasons.slice(0, 5).map((d) => `- ${markdownText(basenameOf(d.file), 80)}:${d.line}:${d.column}${d.field ? ` *${markdownText(d.field, 80)}*` : ''}: ${markdownText(d.message, 300)}`),
    );
    if (field) parts.push('', '---', '', ...fieldMarkdown(field, sensitivity));
  }
  parts.push(
    '',
    [
      commandLink('$(graph) Open in dashboard', 'limLens.openDashboard', [runId]),
      commandLink('$(chip) Change hardware…', 'limLens.selectHardware'),
      commandLink('$(export) Export report', 'limLens.exportReport'),
      commandLink('$(book) Glossary', 'limLens.showGlossary', undefined, GLOSSARY_TITLE),
    ].join(' · '),
  );
  md.appendMarkdown(parts.join('\n'));
  return md;
}
