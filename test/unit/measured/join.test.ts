// A record joins the run of its folder: one run, not two, with the estimate's errors and the implied utilisation
// computed here from the figures themselves; a record alone is a run of its own; the outputs of lim-lens estimate
// show it, escaped for each output; calibration proposes medians and says why a run gives no value.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimatePaths } from '../../../src/cli/commands/estimate';
import { parseConfigText, siblingRequests } from '../../../src/core/configs';
import { analyzeDocumentSync, reportCsv, reportJson, reportTable, type DocumentAnalysis } from '../../../src/core/estimate';
import { MEASURED_SIBLINGS, proposeCalibration } from '../../../src/core/measured';
import { csvCell, markdownText } from '../../../src/core/text/escape';
import { formatSig } from '../../../src/core/units/format';
import { findHardware } from '../../../src/core/hardware/profiles';
import { runFigures } from '../../../src/worker/summarize';

const DIR = join(__dirname, '..', '..', 'fixtures', 'measured');
const scan = (...rels: string[]) => estimatePaths(rels.map((r) => join(DIR, r)), {}).analyses;
const only = (analyses: DocumentAnalysis[], name: string) => analyses.filter((a) => a.file.endsWith(name));

describe('a record beside a config joins its run', () => {
  test('config.json + emissions.csv: one run (the config\'s) with the CodeCarbon run beside its estimate', () => {
    const analyses = scan('joined');
    assert.equal(analyses.length, 1, analyses.map((a) => a.file).join(', '));
    const [a] = analyses;
    assert.match(a.file, /joined[\\/]config\.json$/);
    const r = a.report!;
    assert.equal(r.params.total, 124_439_808, 'GPT-2 small');
    assert.equal(r.measured?.length, 1);
    const [c] = r.measured!;
    assert.equal(c.measured.kind, 'codecarbon');
    assert.equal(c.measured.energyJ?.value, 7.5 * 3.6e6, 'the last snapshot, 7.5 kWh, not 2.5 + 7.5');
    assert.equal(c.measured.durationS?.value, 10_800);
    assert.equal(c.measured.gpuCount, 8);
    assert.equal(c.energyError, (r.accelerator.energyJ - 27e6) / 27e6);
    // The estimate's wall-clock time needs a device count: the config states none, so there is no time to compare.
    assert.equal(r.accelerator.devicesAssumed, true);
    assert.equal(c.timeError, undefined);
    // The record's 8 A100-80GB are the recorded devices: utilisation = FLOPs / (time × 8 × A100 peak).
    assert.equal(c.impliedUtilization, r.flops / (10_800 * 8 * findHardware('a100')!.peakFlops));
  });

  test('named by itself beside its config, the CSV says whose run it is', () => {
    const [a] = scan('joined/emissions.csv');
    assert.equal(a.format, undefined);
    assert.ok(a.diagnostics.some((d) => d.code === 'measured-record' && /part of the run of config\.json/.test(d.message)));
  });

  test('a record beside a run file joins it; a folder scan lists the run once, the record named by itself is printed', () => {
    assert.deepEqual(scan('run').map((a) => a.file.split(/[\\/]/).pop()), ['gpt2-run.lim.yaml']);
    assert.deepEqual(scan('run/emissions.csv').map((a) => a.format), ['measurement']);
  });

  test('a run file with devices and tokens: energy and time errors, implied utilisation', () => {
    const [a] = only(scan('run'), '.lim.yaml');
    const r = a.report!;
    const [c] = r.measured!;
    assert.equal(r.accelerator.devices, 8);
    assert.equal(c.timeError, (r.accelerator.wallClockHours! * 3600 - 10_800) / 10_800);
    assert.equal(c.impliedUtilization, r.flops / (10_800 * 8 * 312e12));
    assert.ok(c.impliedUtilization! > 0.2 && c.impliedUtilization! < 0.3, String(c.impliedUtilization));
  });

  test('the Trainer\'s trainer_state.json beside a config.json: total_flos, and train_runtime from its final log entry', () => {
    const analyses = scan('joined-trainer');
    assert.equal(analyses.length, 1);
    const r = analyses[0].report!;
    assert.equal(r.flops, 1.5e17, 'the Trainer\'s count replaces the estimate (as before)');
    // trainer_state.json keeps train_runtime in its final log entry: the estimate's hours are the measured 2 h.
    assert.equal(r.run.hours?.value, 2);
    assert.equal(r.run.hours?.source.kind, 'measured');
    assert.equal(r.accelerator.deviceHours, 2);
    const [c] = r.measured!;
    assert.equal(c.measured.kind, 'hf-trainer');
    assert.equal(c.measured.durationS?.value, 7200);
    const src = c.measured.durationS!.source;
    assert.ok(src.kind === 'measured' && src.field === 'log_history.1.train_runtime' && src.line === 9, JSON.stringify(src));
    assert.equal(c.measured.steps, 1000);
  });

  test('every run asks for the records of its folder; a record asks for the config beside it', () => {
    const cfg = parseConfigText('/w/run/config.json', readFileSync(join(DIR, 'joined', 'config.json'), 'utf8'));
    for (const f of MEASURED_SIBLINGS) assert.ok(siblingRequests(cfg).includes(f), f);
    const csv = parseConfigText('/w/run/emissions.csv', readFileSync(join(DIR, 'joined', 'emissions.csv'), 'utf8'));
    assert.ok(siblingRequests(csv).includes('config.json'));
  });
});

describe('a record alone is a run of its own', () => {
  test('a W&B run folder: the summary with its metadata; the metadata is no run', () => {
    const analyses = scan('alone');
    assert.equal(analyses.length, 1);
    const [a] = analyses;
    assert.equal(a.format, 'measurement');
    assert.equal(a.report, undefined);
    const [m] = a.measured!;
    assert.deepEqual([m.label, m.durationS?.value, m.processRuntimeS?.value, m.flops?.value, m.steps, m.epochs, m.gpuModel, m.gpuCount], ['W&B run k3x9q2ab', 5300.25, 5410, 2.5e17, 600, 2, 'NVIDIA H100 80GB HBM3', 2]);
    // The views: named by the record, with the "measured" figures and the recorded hardware.
    const f = runFigures(a)!;
    assert.equal(f.label, 'W&B run k3x9q2ab');
    assert.equal(f.measuredLabel, 'W&B run k3x9q2ab');
    assert.equal(f.measuredHours, 5300.25 / 3600);
    assert.equal(f.measuredFlops, 2.5e17);
    assert.equal(f.devices, 2);
    assert.equal(f.energyJ, undefined);
  });

  test('a CodeCarbon file of several runs: every run in --json, the latest in the views', () => {
    const [a] = scan('layouts/emissions-2.4.csv');
    assert.equal(a.measured?.length, 2);
    const f = runFigures(a)!;
    assert.equal(f.label, 'CodeCarbon run 33333333 (latest of 2)');
    assert.equal(f.measuredEnergyJ, 0.18 * 3.6e6);
    const [j] = JSON.parse(reportJson([a]));
    assert.equal(j.measured.length, 2);
    assert.equal(j.measured[0].measured.energyJ.value, 0.36 * 3.6e6);
    assert.equal(j.measured[0].measured.energyJ.source.line, 2);
  });
});

describe('a lone Trainer record', () => {
  test('is a measured run named by its folder; the model it lacks is still a warning', () => {
    const text = readFileSync(join(DIR, 'joined-trainer', 'trainer_state.json'), 'utf8');
    const a = analyzeDocumentSync({ path: '/w/results/checkpoint-1000/trainer_state.json', text });
    assert.equal(a.format, 'trainer-record');
    assert.equal(a.measured?.[0].durationS?.value, 7200);
    assert.ok(a.diagnostics.some((d) => d.code === 'no-model' && d.severity === 'warning'));
    const f = runFigures(a)!;
    assert.equal(f.label, 'Trainer record · checkpoint-1000');
    assert.equal(f.measuredHours, 2);
    assert.equal(f.measuredFlops, 1.5e17);
  });
});

describe('lim-lens estimate outputs', () => {
  test('the table sets measured beside estimated', () => {
    const text = reportTable(scan('run'), 0, false);
    assert.match(text, /Measured runs/);
    const line = text.split('\n').find((l) => l.includes('gpt2-run.lim.yaml') && l.includes('CodeCarbon run 66666666'))!;
    assert.ok(line, text);
    assert.match(line, /7\.5 kWh/);
    assert.match(line, /3 h/);
    assert.match(line, /25 %/);
  });

  test('crafted project names stay inert: a formula is text in CSV, Markdown syntax is escaped', () => {
    const analyses = scan('hostile/emissions.csv');
    const formula = '=HYPERLINK("http://evil.example","x")';
    const markdown = analyses[0].measured![2].project!;
    // The CSV shows the latest run's project per file; check the cell of each run's project as the CSV writes it.
    const csv = reportCsv(analyses);
    assert.ok(csv.includes(csvCell(markdown, 300)), csv);
    // A file whose latest run is the formula one: its CSV cell starts with a quote mark, so a spreadsheet shows text.
    const text = readFileSync(join(DIR, 'hostile', 'emissions.csv'), 'utf8').split('\n').slice(0, 3).join('\n');
    const formulaCsv = reportCsv([analyzeDocumentSync({ path: 'w/emissions.csv', text })]);
    assert.ok(formulaCsv.includes(`,"'=HYPERLINK(""http://evil.example"",""x"")",`), formulaCsv);
    assert.ok(!/,=HYPERLINK/.test(formulaCsv));
    const md = reportTable(analyses, 0, true);
    assert.ok(md.includes(markdownText(formula, 60)));
    assert.ok(md.includes(markdownText(markdown, 60)));
    assert.ok(!md.includes('[click](command:'), 'no live link');
    assert.ok(!md.includes('<img'), 'no raw HTML');
    assert.ok(!md.includes('$(zap)'), 'no theme icon');
  });
});

describe('calibration from measured runs', () => {
  test('the lim run: utilisation = FLOPs / (time × devices × peak), power = energy / (time × devices)', () => {
    const analyses = scan('run');
    const r = analyses.find((a) => a.report)!.report!;
    const p = proposeCalibration(analyses, { utilization: 0.4 });
    const u = p.proposals.find((x) => x.key === 'utilization')!;
    assert.equal(u.current, 0.4);
    assert.equal(u.from.length, 1);
    assert.equal(u.from[0].value, r.flops / (10_800 * 8 * 312e12));
    assert.equal(u.proposed, 0.25);
    const w = p.proposals.find((x) => x.key === 'powerW')!;
    assert.equal(w.current, undefined);
    assert.equal(w.from[0].value, 27e6 / (10_800 * 8));
    assert.equal(w.proposed, 313);
  });

  test('the median over runs: one run twice as fast and one twice as slow do not move it; a record joined twice counts once', () => {
    const root = mkdtempSync(join(tmpdir(), 'lim-calibrate-'));
    try {
      const runFile = readFileSync(join(DIR, 'run', 'gpt2-run.lim.yaml'), 'utf8');
      const head = 'timestamp,project_name,run_id,duration,emissions,energy_consumed,gpu_count,gpu_model\n';
      // Same run size; 3 h at 7.5 kWh, 1.5 h at 7.5 kWh, 6 h at 3.75 kWh on 8 A100s.
      const records: Array<[string, number, number]> = [['a', 10_800, 7.5], ['b', 5_400, 7.5], ['c', 21_600, 3.75]];
      for (const [name, seconds, kwh] of records) {
        mkdirSync(join(root, name));
        writeFileSync(join(root, name, 'gpt2-run.lim.yaml'), runFile);
        writeFileSync(join(root, name, 'emissions.csv'), `${head}2024-02-01T12:00:00,p,${name}-run,${seconds},1,${kwh},8,8 x NVIDIA A100-SXM4-80GB\n`);
      }
      // Folder a also has a GPT-2 config.json: its record joins two runs there and must count once.
      writeFileSync(join(root, 'a', 'config.json'), readFileSync(join(DIR, 'joined', 'config.json'), 'utf8'));
      const analyses = estimatePaths([root], {}).analyses;
      const flops = analyses.find((a) => a.file.endsWith('.lim.yaml'))!.report!.flops;
      const p = proposeCalibration(analyses, { utilization: 0.4 });
      const u = p.proposals.find((x) => x.key === 'utilization')!;
      assert.deepEqual(u.from.map((f) => f.value).sort((x, y) => x - y), [flops / (21_600 * 8 * 312e12), flops / (10_800 * 8 * 312e12), flops / (5_400 * 8 * 312e12)]);
      assert.equal(u.proposed, Number(formatSig(flops / (10_800 * 8 * 312e12), 2)));
      const w = p.proposals.find((x) => x.key === 'powerW')!;
      assert.equal(w.from.length, 3, 'folder a\'s record once, though two runs there joined it');
      assert.deepEqual(w.from.map((f) => f.value).sort((x, y) => x - y), [3.75 * 3.6e6 / (21_600 * 8), 7.5 * 3.6e6 / (10_800 * 8), 7.5 * 3.6e6 / (5_400 * 8)]);
      assert.equal(w.proposed, 313);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('runs give no value where the record or config cannot: said per run; the median of the rest', () => {
    const analyses = [...scan('run'), ...scan('joined'), ...scan('joined-trainer')];
    const p = proposeCalibration(analyses, { utilization: 0.4, powerW: 313 });
    const joined = p.runs.find((x) => /joined[\\/]config\.json$/.test(x.file) && x.label.startsWith('CodeCarbon'))!;
    assert.match(joined.skipped.utilization!, /default/);
    const trainer = p.runs.find((x) => x.label === 'Trainer record')!;
    assert.match(trainer.skipped.utilization!, /no device count/);
    assert.match(trainer.skipped.powerW!, /no measured energy/);
    // Power: both CodeCarbon runs give 312.5 W, which rounds to the current 313 W: nothing to change.
    assert.equal(p.proposals.find((x) => x.key === 'powerW'), undefined);
    assert.equal(p.proposals.find((x) => x.key === 'utilization')?.from.length, 1);
  });
});
