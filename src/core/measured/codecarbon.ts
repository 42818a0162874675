/**
 * CodeCarbon's emissions.csv: one row per tracker record, in every column layout CodeCarbon has written. The old
 * layout (2.0-era: timestamp, experiment_id, project_name, duration, emissions, energy_consumed, country…, no
 * hardware), 2.x (run_id, cpu/gpu/ram power and energy, gpu_count, gpu_model …) and 3.x (run_id and experiment_id
 * both) are read by column name, never by position.
 *
 * Rows sharing a run_id are cumulative snapshots of one tracker run (a long run flushes every few minutes), so a
 * run's figures are those of its last snapshot: summing the rows would count the early part of the run again and
 * again. Rows without an id are grouped as the data shows: consecutive rows whose duration grows by about the time
 * between their timestamps are snapshots of one run; anything else starts a new one.
 */
import { JOULES_PER_KWH } from '../physics/constants';
import { formatInteger } from '../units/format';
import type { ConfigDiagnostic, Sourced } from '../configs/types';
import { readCsv, type CsvRow } from './csv';
import type { MeasuredRun } from './types';

/** Columns every layout has; a CSV without them is not a CodeCarbon record. */
const REQUIRED = ['duration', 'energy_consumed'] as const;

/** Whether a header row is CodeCarbon's (by its column names, whatever the file is called). */
export function isCodeCarbonHeader(cells: readonly string[]): boolean {
  const names = new Set(cells.map((c) => c.trim().toLowerCase()));
  return REQUIRED.every((c) => names.has(c)) && (names.has('emissions') || names.has('run_id') || names.has('experiment_id'));
}

/** Rows beyond this are not read (a tracker flushing every 15 s for a month writes ~170,000); the runs say so. */
export const MAX_CODECARBON_ROWS = 200_000;

/** Snapshots of one id-less run: timestamps and durations advance together within this slack. */
const SLACK_S = 10;
const SLACK_FRACTION = 0.1;

export interface CodeCarbonResult {
  runs: MeasuredRun[];
  diagnostics: ConfigDiagnostic[];
  /** Data rows read. */
  rows: number;
}

interface Row {
  csv: CsvRow;
  index: number;
  id?: string;
  duration?: number;
  energyKWh?: number;
  emissionsKg?: number;
  time?: number;
}

export function readCodeCarbon(file: string, text: string): CodeCarbonResult {
  const diagnostics: ConfigDiagnostic[] = [];
  const diag = (line: number, field: string, code: string, message: string, severity: ConfigDiagnostic['severity'] = 'warning') =>
    diagnostics.push({ file, line, column: 1, field, severity, code, message, offset: 0, length: 0 });
  const table = readCsv(text, { delimiters: [',', ';', '\t'], maxRows: MAX_CODECARBON_ROWS + 1 });
  if (table.rows.length === 0) {
    diag(1, '', 'empty-file', 'the CodeCarbon file is empty: no header and no rows', 'error');
    return { runs: [], diagnostics, rows: 0 };
  }
  const header = table.rows[0].cells.map((c) => c.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    diag(1, missing[0], 'not-codecarbon', `not a CodeCarbon emissions file: no column ${missing.map((m) => `"${m}"`).join(' or ')} in the header`, 'error');
    return { runs: [], diagnostics, rows: 0 };
  }
  const col = (name: string) => header.indexOf(name);
  // 2.x and 3.x name each tracker run run_id (3.x's experiment_id is the project's, shared by every run); the old
  // layout has experiment_id only, one per run.
  const idCol = col('run_id') >= 0 ? col('run_id') : col('experiment_id');
  const idName = idCol >= 0 ? header[idCol] : undefined;
  for (const p of table.problems) diag(p.line ?? 1, '', 'csv-syntax', `CSV: ${p.message}`);
  const body = table.rows.slice(1, MAX_CODECARBON_ROWS + 1);
  if (table.truncated || table.rows.length > MAX_CODECARBON_ROWS + 1) {
    diag(body.at(-1)?.line ?? 1, '', 'too-many-rows', `more than ${formatInteger(MAX_CODECARBON_ROWS)} rows; the rows after line ${body.at(-1)?.line ?? 1} were not read`);
  }
  if (body.length === 0) {
    diag(1, '', 'no-rows', 'the CodeCarbon file has a header but no rows: no run was recorded', 'warning');
    return { runs: [], diagnostics, rows: 0 };
  }

  const number = (r: CsvRow, name: string): number | undefined => {
    const k = col(name);
    if (k < 0) return undefined;
    const raw = (r.cells[k] ?? '').trim();
    if (raw === '') return undefined;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0) {
      diag(r.line, name, 'bad-value', `line ${r.line}, column ${name}: ${JSON.stringify(raw.slice(0, 40))} is not a non-negative number; the cell is left out`);
      return undefined;
    }
    return v;
  };
  const textCell = (r: CsvRow, name: string): string | undefined => {
    const k = col(name);
    const v = k >= 0 ? (r.cells[k] ?? '').trim() : '';
    return v === '' ? undefined : v;
  };

  const rows: Row[] = [];
  body.forEach((csv, index) => {
    if (csv.cells.length !== header.length) {
      diag(csv.line, '', 'csv-columns', `line ${csv.line} has ${csv.cells.length} fields where the header has ${header.length}; read by position as far as it goes`);
    }
    const stamp = textCell(csv, 'timestamp');
    const time = stamp !== undefined ? Date.parse(stamp) : NaN;
    rows.push({
      csv,
      index,
      id: idCol >= 0 ? (csv.cells[idCol] ?? '').trim() || undefined : undefined,
      duration: number(csv, 'duration'),
      energyKWh: number(csv, 'energy_consumed'),
      emissionsKg: number(csv, 'emissions'),
      time: Number.isFinite(time) ? time : undefined,
    });
  });

  // Groups in the order their first row appears.
  const groups: Row[][] = [];
  const byId = new Map<string, Row[]>();
  let open: Row[] | undefined;
  for (const row of rows) {
    if (row.id !== undefined) {
      open = undefined;
      const g = byId.get(row.id);
      if (g) g.push(row);
      else {
        const fresh = [row];
        byId.set(row.id, fresh);
        groups.push(fresh);
      }
      continue;
    }
    const prev = open?.at(-1);
    if (open && prev && continues(prev, row)) open.push(row);
    else {
      open = [row];
      groups.push(open);
    }
  }

  const runs = groups.map((g) => runOf(file, g, idName, header, textCell));
  return { runs, diagnostics, rows: rows.length };
}

/** Whether an id-less row is the next snapshot of the run before it: longer, and later by about as much. */
function continues(prev: Row, row: Row): boolean {
  if (prev.duration === undefined || row.duration === undefined || row.duration <= prev.duration) return false;
  if (prev.time === undefined || row.time === undefined) return false;
  const dt = (row.time - prev.time) / 1000;
  const dd = row.duration - prev.duration;
  return dt > 0 && Math.abs(dt - dd) <= Math.max(SLACK_S, SLACK_FRACTION * dd);
}

const short = (id: string) => (/^[0-9a-f]{8}-/i.test(id) ? id.slice(0, 8) : id.slice(0, 24));

function runOf(file: string, g: Row[], idName: string | undefined, header: string[], textCell: (r: CsvRow, name: string) => string | undefined): MeasuredRun {
  // The last snapshot is the one with the longest duration (the file's order, should it have been sorted, aside).
  let last = g[g.length - 1];
  for (const r of g) if (r.duration !== undefined && (last.duration === undefined || r.duration > last.duration)) last = r;
  const id = last.id;
  const notes: string[] = [];
  const src = (row: Row, field: string): Sourced<number>['source'] => ({ kind: 'measured', file, field, line: row.csv.line, column: 1, offset: row.csv.offset, length: row.csv.length });
  if (g.length > 1) {
    notes.push(`${g.length} cumulative snapshots (lines ${g.map((r) => r.csv.line).join(', ')}); the last one, line ${last.csv.line}, is the run's total`);
  }
  if (!id) notes.push(idName ? `no ${idName}: grouped by duration and timestamps` : 'the file has no run id column: rows grouped by duration and timestamps');

  /** The snapshot's value, else the last one known before it (a lower bound, said in the notes). */
  const lastKnown = (pick: (r: Row) => number | undefined, field: string, unit: (v: number) => number): Sourced<number> | undefined => {
    const own = pick(last);
    if (own !== undefined) return { value: unit(own), source: src(last, field) };
    const ordered = [...g].sort((a, b) => (a.duration ?? -1) - (b.duration ?? -1));
    const known = ordered.filter((r) => pick(r) !== undefined).at(-1);
    if (!known) {
      notes.push(`${field} is empty in every snapshot: not recorded`);
      return undefined;
    }
    const empty = g.filter((r) => pick(r) === undefined).length;
    notes.push(
      `${field} is empty in ${empty} snapshot${empty === 1 ? '' : 's'} (the last, line ${last.csv.line}); the last known value, line ${known.csv.line}` +
        `${known.duration !== undefined ? ` at ${known.duration.toFixed(1)} s` : ''}${last.duration !== undefined ? ` of ${last.duration.toFixed(1)} s` : ''}, is kept: a lower bound`,
    );
    return { value: unit(pick(known)!), source: src(known, field) };
  };

  const run: MeasuredRun = {
    file,
    kind: 'codecarbon',
    label: id ? `CodeCarbon run ${short(id)}` : `CodeCarbon run at ${textCell(g[0].csv, 'timestamp') ?? `line ${g[0].csv.line}`}`,
    notes,
  };
  if (id) run.runId = id;
  const energy = lastKnown((r) => r.energyKWh, 'energy_consumed', (v) => v * JOULES_PER_KWH);
  if (energy) run.energyJ = energy;
  if (last.duration !== undefined) run.durationS = { value: last.duration, source: src(last, 'duration') };
  const emissions = lastKnown((r) => r.emissionsKg, 'emissions', (v) => v);
  if (emissions) run.emissionsKg = emissions;
  const gpu = gpuOf(textCell(last.csv, 'gpu_model'), textCell(last.csv, 'gpu_count'));
  if (gpu.model) run.gpuModel = gpu.model;
  if (gpu.count !== undefined) run.gpuCount = gpu.count;
  if (!header.includes('gpu_model') && !header.includes('gpu_count')) notes.push('hardware not recorded (an older CodeCarbon layout without gpu/cpu columns)');
  const project = textCell(last.csv, 'project_name');
  if (project) run.project = project;
  const stamp = textCell(last.csv, 'timestamp');
  if (stamp) run.timestamp = stamp;
  run.snapshots = g.length;
  return run;
}

/** "1 x Tesla V100-PCIE-32GB" → Tesla V100-PCIE-32GB, 1; a count column wins over the prefix. */
function gpuOf(model: string | undefined, count: string | undefined): { model?: string; count?: number } {
  const n = count !== undefined && /^\d+(\.0+)?$/.test(count) ? Number(count) : undefined;
  if (!model) return { count: n };
  const m = /^(\d+)\s*x\s+(.+)$/i.exec(model);
  if (m) return { model: m[2].trim(), count: n ?? Number(m[1]) };
  return { model, count: n };
}
