/**
 * Measured runs in the reports `lim-lens estimate` prints and the editor exports: the JSON field, the table of what
 * was measured beside what was estimated, and the CSV columns. Labels and project names come from the files: each
 * output escapes them (the caller's `esc` for tables, csvCell for CSV).
 */
import { formatChange, formatDuration, formatEnergy, formatSci, formatSig } from '../units/format';
import { renderTable } from '../units/table';
import type { DocumentAnalysis } from '../estimate/report';
import type { MeasuredComparison } from './types';

/** The records of a file as comparisons: joined ones with their errors; a lone record's runs with none. */
export function measuredOf(a: DocumentAnalysis): MeasuredComparison[] {
  return a.report?.measured ?? a.measured?.map((m) => ({ measured: m })) ?? [];
}

/** The comparison a one-line summary shows: the first with an energy (CodeCarbon), else the first; a lone file's latest. */
export function shownComparison(a: DocumentAnalysis): MeasuredComparison | undefined {
  const joined = a.report?.measured;
  if (joined && joined.length > 0) return joined.find((c) => c.measured.energyJ) ?? joined[0];
  const last = a.measured?.at(-1);
  return last ? { measured: last } : undefined;
}

/** `measured` of `lim-lens estimate --json`: the report's field, or a lone record's runs; null when there is none. */
export function measuredJson(a: DocumentAnalysis): MeasuredComparison[] | null {
  const list = measuredOf(a);
  return list.length > 0 ? list : null;
}

/** Runs of one file listed in the table; --json has them all. */
export const MAX_TABLE_RUNS = 20;

const COLUMNS = ['file', 'record', 'project', 'energy', 'est. energy', 'error', 'time', 'est. time', 'FLOPs', 'impl. util.'] as const;
const RIGHT = new Set(['energy', 'est. energy', 'error', 'time', 'est. time', 'FLOPs', 'impl. util.']);

/**
 * The table of measured runs beside their estimates, or undefined when no file has a record. `esc` makes a string from
 * a file safe for the output (Markdown or terminal); LIM Lens's own figures are written as they are.
 */
export function measuredTable(analyses: DocumentAnalysis[], markdown: boolean, esc: (s: string, max?: number) => string): string | undefined {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const a of analyses) {
    const list = measuredOf(a);
    if (list.length === 0) continue;
    const acc = a.report && !a.report.perRows ? a.report.accelerator : undefined;
    for (const c of list.slice(-MAX_TABLE_RUNS)) {
      const m = c.measured;
      rows.push([
        esc(a.file, 200),
        esc(m.label, 80),
        m.project !== undefined ? esc(m.project, 60) : '',
        m.energyJ ? formatEnergy(m.energyJ.value) : '—',
        acc ? formatEnergy(acc.energyJ) : '—',
        c.energyError !== undefined ? formatChange(c.energyError) : '',
        m.durationS ? formatDuration(m.durationS.value / 3600) : '—',
        acc?.wallClockHours !== undefined ? formatDuration(acc.wallClockHours) : '—',
        m.flops ? formatSci(m.flops.value, 3) : '—',
        c.impliedUtilization !== undefined ? `${formatSig(c.impliedUtilization * 100, 2)} %` : '',
      ]);
    }
    if (list.length > MAX_TABLE_RUNS) notes.push(esc(`${a.file}: the latest ${MAX_TABLE_RUNS} of ${list.length} runs shown (--json lists them all)`, 300));
  }
  if (rows.length === 0) return undefined;
  const table = markdown
    ? [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map((c) => (RIGHT.has(c) ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
    : renderTable(COLUMNS.map((c) => ({ header: c, align: RIGHT.has(c) ? ('right' as const) : ('left' as const) })), rows);
  return [
    markdown ? '**Measured runs**' : 'Measured runs (what the runs recorded, beside the estimate):',
    '',
    table,
    ...notes.map((n) => `${markdown ? '- ' : '  '}${n}`),
    '',
    'error: (estimated − measured) / measured; impl. util.: the utilisation that makes the estimate\u2019s FLOPs take the measured time on the recorded devices.',
  ].join('\n');
}

/** CSV columns of the measured run a file shows (one per file, like the rest of the row). */
export const MEASURED_CSV_HEAD = ['measured_record', 'measured_project', 'measured_energy_j', 'measured_duration_s', 'measured_flops', 'energy_error', 'time_error', 'implied_utilization'] as const;

export function measuredCsvCells(a: DocumentAnalysis): Array<string | number | undefined> {
  const c = shownComparison(a);
  const m = c?.measured;
  return [m?.label, m?.project, m?.energyJ?.value, m?.durationS?.value, m?.flops?.value, c?.energyError, c?.timeError, c?.impliedUtilization];
}
