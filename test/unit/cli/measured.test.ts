// `lim-lens estimate` on measurement files, as a user runs it: a folder with a config and its CodeCarbon record, a
// record on its own, every output format, and files that are empty or crafted.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from './cliProcess';

const DIR = join(__dirname, '..', '..', 'fixtures', 'measured');

describe('lim-lens estimate: measured runs', () => {
  test('--json: the config\'s run with `measured` (the report\'s field names), the record no run of its own', () => {
    const r = runCli(['estimate', join(DIR, 'joined'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Array<Record<string, unknown> & { measured: Array<Record<string, unknown> & { measured: Record<string, unknown> }> | null }>;
    assert.equal(out.length, 1);
    const [j] = out;
    assert.match(String(j.file), /config\.json$/);
    assert.equal(j.measured?.length, 1);
    const [c] = j.measured!;
    assert.deepEqual(Object.keys(c).sort(), ['energyError', 'impliedUtilization', 'measured']);
    const m = c.measured as { kind: string; energyJ: { value: number; source: { kind: string; field: string; line: number } }; durationS: { value: number }; gpuCount: number };
    assert.equal(m.kind, 'codecarbon');
    assert.deepEqual([m.energyJ.value, m.energyJ.source.kind, m.energyJ.source.field, m.energyJ.source.line], [27e6, 'measured', 'energy_consumed', 3]);
    assert.equal(m.durationS.value, 10_800);
    assert.equal(m.gpuCount, 8);
  });

  test('a record named by itself prints what was measured, beside no estimate, and exits 0', () => {
    const r = runCli(['estimate', join(DIR, 'layouts', 'emissions-2.4.csv')]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Measured runs/);
    assert.match(r.stdout, /CodeCarbon run 33333333 .*paper .*360 Wh .*1 h/);
    assert.match(r.stdout, /CodeCarbon run 33333333 .*paper .*180 Wh .*30 min/);
  });

  test('a run file with devices: the table shows the estimate\'s error and the implied utilisation', () => {
    const r = runCli(['estimate', join(DIR, 'run')]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const line = r.stdout.split('\n').find((l) => /gpt2-run\.lim\.yaml .*CodeCarbon run 66666666/.test(l));
    assert.ok(line, r.stdout);
    assert.match(line, /7\.5 kWh +6\.\d+ kWh +−1\d %/);
    assert.match(line, /25 %$/);
  });

  test('--csv has the measured columns; --markdown escapes crafted project names', () => {
    const csv = runCli(['estimate', join(DIR, 'hostile', 'emissions.csv'), '--csv']);
    assert.equal(csv.status, 0, csv.stderr);
    const head = csv.stdout.split('\n')[0].split(',');
    for (const c of ['measured_record', 'measured_project', 'measured_energy_j', 'measured_duration_s', 'measured_flops', 'energy_error', 'time_error', 'implied_utilization']) assert.ok(head.includes(c), c);
    const md = runCli(['estimate', join(DIR, 'hostile', 'emissions.csv'), '--markdown']);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /\\\*\\\*bold\\\*\\\*/);
    assert.doesNotMatch(md.stdout, /\[click\]\(command:/);
    assert.doesNotMatch(md.stdout, /<img/);
    assert.match(md.stdout, /llama, \\"big\\" run; tab here/);
  });

  test('an empty CodeCarbon file named by itself: a clear message naming it, exit 1', () => {
    const r = runCli(['estimate', join(DIR, 'hostile', 'emissions-empty.csv')]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /emissions-empty\.csv:1:1: error: the file is empty/);
  });

  test('a folder scan finds CodeCarbon files by name and leaves other CSV data alone', () => {
    const r = runCli(['estimate', join(DIR, 'layouts'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as Array<{ file: string; format: string }>).map((j) => [j.file.split(/[\\/]/).pop(), j.format]);
    assert.deepEqual(files, [['emissions-2.0.csv', 'measurement'], ['emissions-2.1.csv', 'measurement'], ['emissions-2.4.csv', 'measurement'], ['emissions-3.0.csv', 'measurement']]);
  });
});
