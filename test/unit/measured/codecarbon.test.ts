// CodeCarbon's emissions.csv in each column layout it has written, and what a careful reader of the file concludes:
// one run per run id, the last of a run's cumulative snapshots, id-less rows grouped as the data shows, hostile cells
// reported with their line and column, never a crash.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_CODECARBON_ROWS, readCodeCarbon, readCsv } from '../../../src/core/measured';
import { JOULES_PER_KWH } from '../../../src/core/physics/constants';
import { parseCsvDataset } from '../../../src/core/analog';
import { analyzeDocumentSync } from '../../../src/core/estimate';

const DIR = join(__dirname, '..', '..', 'fixtures', 'measured');
const read = (rel: string) => {
  const path = join(DIR, rel);
  return readCodeCarbon(path, readFileSync(path, 'utf8'));
};
const kWh = (j?: { value: number }) => (j ? j.value / JOULES_PER_KWH : undefined);

describe('CodeCarbon layouts', () => {
  test('2.0 (experiment_id, no hardware columns): one run per experiment_id, hardware not recorded', () => {
    const cc = read('layouts/emissions-2.0.csv');
    assert.deepEqual(cc.diagnostics, []);
    assert.equal(cc.runs.length, 2);
    const [a, b] = cc.runs;
    assert.equal(a.runId, '11111111-aaaa-4bbb-8ccc-000000000001');
    assert.equal(a.label, 'CodeCarbon run 11111111');
    assert.equal(a.energyJ?.value, 0.0025 * JOULES_PER_KWH);
    assert.equal(a.durationS?.value, 120.5);
    assert.equal(a.emissionsKg?.value, 0.0012);
    assert.equal(b.durationS?.value, 300);
    assert.equal(a.gpuModel, undefined);
    assert.equal(a.gpuCount, undefined);
    assert.ok(a.notes.some((n) => /hardware not recorded/.test(n)));
    // Each value says where it was read: the row's line and the column's name.
    assert.deepEqual([b.energyJ?.source.kind, b.energyJ?.source.kind === 'measured' && b.energyJ.source.line, b.energyJ?.source.kind === 'measured' && b.energyJ.source.field], ['measured', 3, 'energy_consumed']);
  });

  test('2.1 (run_id, gpu columns, no pue): three cumulative snapshots are one run, its last row, not their sum', () => {
    const cc = read('layouts/emissions-2.1.csv');
    assert.equal(cc.rows, 3);
    assert.equal(cc.runs.length, 1);
    const [r] = cc.runs;
    assert.equal(kWh(r.energyJ), 2.7);
    assert.notEqual(kWh(r.energyJ), 0.9 + 1.8 + 2.7);
    assert.equal(r.durationS?.value, 2700);
    assert.equal(r.emissionsKg?.value, 0.15);
    assert.equal(r.snapshots, 3);
    assert.equal(r.gpuModel, 'NVIDIA A100-SXM4-40GB');
    assert.equal(r.gpuCount, 4);
    assert.equal(r.project, 'sft');
    assert.equal(r.timestamp, '2023-02-01T12:30:00');
    assert.ok(r.notes.some((n) => /3 cumulative snapshots \(lines 2, 3, 4\)/.test(n)), r.notes.join('\n'));
    assert.equal(r.durationS?.source.kind === 'measured' && r.durationS.source.line, 4);
  });

  test('2.4 (codecarbon_version, pue): separate runs, "1 x Tesla V100-PCIE-32GB" read as one V100', () => {
    const cc = read('layouts/emissions-2.4.csv');
    assert.equal(cc.runs.length, 2);
    assert.deepEqual(cc.runs.map((r) => kWh(r.energyJ)), [0.36, 0.18]);
    assert.deepEqual(cc.runs.map((r) => [r.gpuModel, r.gpuCount]), [['Tesla V100-PCIE-32GB', 1], ['Tesla V100-PCIE-32GB', 1]]);
  });

  test('3.0 (run_id and a shared experiment_id): runs by run_id, not by the project-wide experiment_id', () => {
    const cc = read('layouts/emissions-3.0.csv');
    assert.equal(cc.runs.length, 2);
    assert.deepEqual(cc.runs.map((r) => r.runId), ['44444444-aaaa-4bbb-8ccc-000000000001', '44444444-aaaa-4bbb-8ccc-000000000002']);
    assert.equal(cc.runs[1].durationS?.value, 2400);
  });
});

describe('rows without a run id', () => {
  const head = 'timestamp,project_name,run_id,duration,emissions,energy_consumed\n';
  test('grow by about the time between them: one run; a shorter duration or a gap starts another', () => {
    const text =
      head +
      '2024-05-31T10:00:00,p,,100,0.1,1\n' + // run A
      '2024-05-31T10:00:30,p,,20,0.01,0.1\n' + // shorter: run B starts
      '2024-05-31T10:01:00,p,,50,0.02,0.2\n' + // +30 s, +30 s: B
      '2024-05-31T10:01:10,p,,60,,\n' + // +10 s, +10 s: B, energy empty
      '2024-05-31T11:00:00,p,,70,0.03,0.3\n'; // +10 s of duration an hour later: run C
    const cc = readCodeCarbon('e.csv', text);
    assert.deepEqual(cc.runs.map((r) => r.snapshots), [1, 3, 1]);
    const b = cc.runs[1];
    assert.equal(b.durationS?.value, 60);
    assert.equal(kWh(b.energyJ), 0.2, 'the last known energy');
    assert.equal(b.energyJ?.source.kind === 'measured' && b.energyJ.source.line, 4);
    assert.ok(b.notes.some((n) => /energy_consumed is empty in 1 snapshot .*line 5.*line 4 at 50\.0 s of 60\.0 s.*lower bound/.test(n)), b.notes.join('\n'));
    assert.ok(cc.runs.every((r) => r.runId === undefined && /^CodeCarbon run at 2024-05-31T/.test(r.label)));
  });

  test('a run whose every energy cell is empty has no energy, and says so', () => {
    const cc = readCodeCarbon('e.csv', `${head}2024-01-01T00:00:00,p,x,10,,\n`);
    assert.equal(cc.runs[0].energyJ, undefined);
    assert.ok(cc.runs[0].notes.some((n) => /energy_consumed is empty in every snapshot/.test(n)));
  });
});

describe('hostile CodeCarbon files', () => {
  test('quoted fields with separators, quotes and tabs are read whole', () => {
    const cc = read('hostile/emissions.csv');
    assert.deepEqual(cc.diagnostics, []);
    assert.equal(cc.runs.length, 3);
    assert.equal(cc.runs[0].project, 'llama, "big" run; tab\there');
    assert.equal(cc.runs[1].project, '=HYPERLINK("http://evil.example","x")');
    assert.equal(kWh(cc.runs[2].energyJ), 0.01);
  });

  test('an empty file: an error on line 1, no run', () => {
    const cc = read('hostile/emissions-empty.csv');
    assert.deepEqual(cc.runs, []);
    assert.equal(cc.diagnostics[0].code, 'empty-file');
    assert.equal(cc.diagnostics[0].line, 1);
    assert.match(cc.diagnostics[0].message, /empty/);
  });

  test('a header and no rows: a warning that no run was recorded', () => {
    const cc = read('hostile/emissions-header-only.csv');
    assert.deepEqual(cc.runs, []);
    assert.equal(cc.diagnostics[0].code, 'no-rows');
    assert.equal(cc.diagnostics[0].severity, 'warning');
  });

  test('an unclosed quote: a diagnostic naming its line, and no crash', () => {
    const cc = read('hostile/emissions-broken-quote.csv');
    const d = cc.diagnostics.find((x) => x.code === 'csv-syntax');
    assert.ok(d, cc.diagnostics.map((x) => x.message).join('\n'));
    assert.equal(d.line, 2);
    assert.match(d.message, /quoted field is not closed/);
  });

  test('a cell that is not a number is named by line and column and left out', () => {
    const cc = readCodeCarbon('e.csv', 'timestamp,run_id,duration,emissions,energy_consumed\n2024-01-01T00:00:00,a,12,0.1,=cmd|x\n');
    const d = cc.diagnostics.find((x) => x.code === 'bad-value')!;
    assert.equal(d.line, 2);
    assert.equal(d.field, 'energy_consumed');
    assert.match(d.message, /line 2, column energy_consumed: "=cmd\|x" is not a non-negative number/);
    assert.equal(cc.runs[0].energyJ, undefined);
    assert.equal(cc.runs[0].durationS?.value, 12);
  });

  test('a CSV that is not CodeCarbon says which column it lacks', () => {
    const cc = readCodeCarbon('data.csv', 'a,b,c\n1,2,3\n');
    assert.equal(cc.diagnostics[0].code, 'not-codecarbon');
    assert.match(cc.diagnostics[0].message, /no column "duration" or "energy_consumed"/);
  });

  test('a row with too few fields is read as far as it goes, with a warning', () => {
    const cc = readCodeCarbon('e.csv', 'timestamp,run_id,duration,emissions,energy_consumed,gpu_model\n2024-01-01T00:00:00,a,12,0.1,0.5\n');
    assert.equal(cc.diagnostics[0].code, 'csv-columns');
    assert.equal(kWh(cc.runs[0].energyJ), 0.5);
  });

  test('a huge file: 40,000 separate runs and a 20,000-snapshot cumulative run, read in well under a second each', () => {
    const head = 'timestamp,project_name,run_id,duration,emissions,energy_consumed,gpu_count,gpu_model\n';
    const many = head + Array.from({ length: 40_000 }, (_, i) => `2024-01-01T00:00:00,p,id-${i},${i + 1},0.001,0.01,1,1 x NVIDIA H100 80GB HBM3`).join('\n');
    // CPU time, not wall time: on a machine shared with other work the wall clock measures the neighbours.
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const u = process.cpuUsage(since);
      return (u.user + u.system) / 1000;
    };
    let t = process.cpuUsage();
    const a = readCodeCarbon('big.csv', many);
    const msMany = cpuMs(t);
    assert.equal(a.runs.length, 40_000);
    assert.equal(a.runs[39_999].durationS?.value, 40_000);
    const one = head + Array.from({ length: 20_000 }, (_, i) => `2024-01-01T00:00:00,p,same,${i + 1},${(i + 1) / 1000},${(i + 1) / 100},1,x`).join('\n');
    t = process.cpuUsage();
    const b = readCodeCarbon('cumulative.csv', one);
    const msOne = cpuMs(t);
    assert.equal(b.runs.length, 1);
    assert.equal(b.runs[0].durationS?.value, 20_000);
    assert.equal(kWh(b.runs[0].energyJ), 200);
    assert.ok(msMany < 1500 && msOne < 1500, `${msMany.toFixed(0)} ms, ${msOne.toFixed(0)} ms of CPU`);
    assert.ok(MAX_CODECARBON_ROWS >= 100_000);
  });
});

describe('the core CSV reader', () => {
  test('lines of rows, quoted line breaks, comments, CRLF and blank lines', () => {
    const t = readCsv('a,b\r\n\r\n# note\r\n1,"x\r\ny"\r\n2,3\r\n', { comments: '#' });
    assert.deepEqual(t.rows.map((r) => [r.line, r.cells]), [[1, ['a', 'b']], [4, ['1', 'x\r\ny']], [6, ['2', '3']]]);
    assert.equal(t.truncated, false);
    assert.equal(readCsv('a\n1\n2\n3\n', { maxRows: 2 }).truncated, true);
  });

  test('the simulator\'s datasets: a quoted field with a comma (a label) and a quoted number', () => {
    const ds = parseCsvDataset('w,h,kind\n"1.5",2,"cat, big"\n3,4,dog\n5,6,"cat, big"\n', { name: 't' });
    assert.deepEqual([ds.rows, ds.cols, ds.classes], [3, 2, 2]);
    assert.deepEqual(Array.from(ds.x), [1.5, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from(ds.y), [0, 1, 0]);
    // A quoted comma inside a number column is one cell, and not a number: said with its row, column and line.
    assert.throws(() => parseCsvDataset('w,h,kind\n1,"4,5",dog\n2,3,cat\n'), /row 2, column 2: "4,5" is not a number \(line 2\)/);
    assert.throws(() => parseCsvDataset('1,2,0\n3,"4\n'), /line 2: a quoted field is not closed/);
  });
});

describe('hostile W&B and Trainer records', () => {
  test('invalid JSON in a wandb-summary.json: a syntax error with its line, no run, no crash', () => {
    const a = analyzeDocumentSync({ path: '/w/run-20240101_000000-abc/files/wandb-summary.json', text: '{"_runtime": 12,\n "_step": \n' }, { explicit: true });
    assert.equal(a.measured, undefined);
    assert.ok(a.diagnostics.some((d) => d.severity === 'error' && /json/i.test(d.code) && d.line >= 2), a.diagnostics.map((d) => `${d.line} ${d.message}`).join('\n'));
  });

  test('values of the wrong type or sign are left out, never taken as measurements', () => {
    const text = JSON.stringify({ _step: 3, _runtime: -5, 'train/train_runtime': '100', 'train/total_flos': 'NaN', 'train/global_step': -1, 'train/epoch': null, _wandb: 'x' });
    const a = analyzeDocumentSync({ path: '/w/files/wandb-summary.json', text }, { readSibling: (p) => (p === 'wandb-metadata.json' ? JSON.stringify({ startedAt: 'x', program: 'p', gpu: { name: '<b>' }, gpu_count: 2.5 }) : undefined) });
    const [m] = a.measured!;
    assert.deepEqual([m.durationS, m.processRuntimeS, m.flops, m.steps, m.epochs, m.gpuModel, m.gpuCount], [undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  test('a trainer_state.json whose log_history is not a list, or holds junk, gives what it can', () => {
    const a = analyzeDocumentSync({ path: '/w/ckpt/trainer_state.json', text: JSON.stringify({ global_step: 10, total_flos: 5e15, log_history: [null, 7, 'x', { train_runtime: 'soon' }] }) });
    const [m] = a.measured!;
    assert.equal(m.flops?.value, 5e15);
    assert.equal(m.steps, 10);
    assert.equal(m.durationS, undefined);
    const b = analyzeDocumentSync({ path: '/w/ckpt/trainer_state.json', text: JSON.stringify({ global_step: 10, log_history: { a: 1 } }) });
    assert.equal(b.measured?.[0].steps, 10);
  });
});
