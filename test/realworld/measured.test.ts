// The real-files stage for measured runs: every measurement file of the shared corpus of real Python training code
// (CodeCarbon CSVs of three column layouts, Trainer records, a W&B run), read as `lim-lens estimate <file>` reads it
// and checked against the figures that come with the corpus (expected.json, copied from the files by hand): energy,
// duration, emissions, GPU model and count, total_flos, train_runtime exactly as recorded; per-run totals of the
// cumulative CodeCarbon file, never the sum of its snapshots. Skips, saying so, where the corpus is absent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimatePaths } from '../../src/cli/commands/estimate';
import type { DocumentAnalysis } from '../../src/core/estimate';
import type { MeasuredRun } from '../../src/core/measured';
import { JOULES_PER_KWH } from '../../src/core/physics/constants';

const SHARED = process.env.LIM_SHARED_DIR ?? join(__dirname, '..', '..', '..', 'shared');
const DIR = join(SHARED, 'data', 'realworld-python');
const present = existsSync(join(DIR, 'expected.json')) && existsSync(join(DIR, 'measured'));

type Expected = Record<string, unknown> & { kind: string; format: string };

const kWh = (r: MeasuredRun) => (r.energyJ ? r.energyJ.value / JOULES_PER_KWH : undefined);
const sum = (xs: Array<number | undefined>) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);
/** The corpus gives its sums rounded (to 12 decimals for kWh and kg, 6 for seconds): equal to half its last digit. */
const close = (actual: number, expected: number, what: string) => {
  const decimals = (String(expected).split('.')[1] ?? '').length;
  const tolerance = 0.5 * 10 ** -decimals + 1e-12 * Math.abs(expected);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected} (±${tolerance})`);
};
/** A single record's energy, exactly: the file's kWh in joules. */
const sameEnergy = (r: MeasuredRun, kwh: number | null) => assert.equal(r.energyJ?.value, kwh === null ? undefined : kwh * JOULES_PER_KWH, `${r.label}: energy`);

describe('measured runs of real training code (CodeCarbon, Trainer, W&B)', { skip: present ? false : `the corpus is not at ${DIR} (test data of this workplace; set LIM_SHARED_DIR to run it)` }, () => {
  if (!present) return;
  const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected>;
  const keys = Object.keys(expected).filter((k) => k.startsWith('measured/'));
  const analyses = new Map<string, DocumentAnalysis>();
  // Each file named on the command line, as `lim-lens estimate <file>` reads it (the W&B summary finds its metadata).
  const results = estimatePaths(keys.map((k) => join(DIR, k)), {});
  for (const a of results.analyses) analyses.set(`measured/${a.file.split(/[\\/]/).pop()}`, a);
  const runsOf = (key: string): MeasuredRun[] => analyses.get(key)?.measured ?? [];

  test('the corpus has the ten measured files the README lists, and each is read', () => {
    assert.equal(keys.length, 10);
    for (const k of keys) assert.ok(analyses.has(k), `${k} was not analysed`);
  });

  for (const key of keys) {
    const e = expected[key];
    describe(key, () => {
      if (e.format.startsWith('codecarbon')) {
        test('read as CodeCarbon, one run per run id, every row accounted for', () => {
          const a = analyses.get(key)!;
          assert.equal(a.format, 'measurement');
          const runs = runsOf(key);
          assert.ok(runs.length > 0);
          assert.equal(sum(runs.map((r) => r.snapshots)), e.rows, 'rows');
          assert.equal(new Set(runs.filter((r) => r.runId).map((r) => r.runId)).size, e.distinct_nonempty_run_ids);
          assert.equal(a.diagnostics.filter((d) => d.severity !== 'info').length, 0, a.diagnostics.map((d) => d.message).join('\n'));
        });
        test('GPU model and count as recorded', () => {
          for (const r of runsOf(key)) {
            if (e.gpu === null) assert.equal(r.gpuModel, undefined);
            // "Apple M1 (integrated)": the corpus's words; the file writes "Apple M1".
            else assert.ok(typeof e.gpu === 'string' && e.gpu.startsWith(r.gpuModel ?? '\0'), `${r.gpuModel} vs ${String(e.gpu)}`);
            assert.equal(r.gpuCount, e.gpu_count ?? undefined);
          }
        });
        if (e.rows_are_separate_runs) {
          test('separate runs: one per row, totals as the corpus sums them', () => {
            const runs = runsOf(key);
            assert.equal(runs.length, e.rows);
            close(sum(runs.map(kWh)), e.energy_kwh_total as number, 'energy kWh');
            close(sum(runs.map((r) => r.durationS?.value)), e.duration_s_total as number, 'duration s');
            close(sum(runs.map((r) => r.emissionsKg?.value)), e.emissions_kg_total as number, 'emissions kg');
            const largest = e.largest_row as { duration_s: number; energy_kwh: number; timestamp: string };
            const hit = runs.find((r) => r.durationS?.value === largest.duration_s);
            assert.ok(hit, 'the largest row is a run');
            sameEnergy(hit, largest.energy_kwh);
            assert.equal(hit.timestamp, largest.timestamp);
          });
        } else {
          test('cumulative snapshots: each run is its last snapshot, never a sum of rows', () => {
            const runs = runsOf(key);
            const per = e.per_run as Record<string, number | Record<string, number | null>>;
            const withId = runs.filter((r) => r.runId);
            assert.equal(withId.length, per.runs_with_run_id);
            close(sum(withId.map(kWh)), per.energy_kwh_runs_with_run_id as number, 'energy of runs with a run_id');
            close(sum(withId.map((r) => r.durationS?.value)), per.duration_s_runs_with_run_id as number, 'duration of runs with a run_id');
            close(sum(withId.map((r) => r.emissionsKg?.value)), per.emissions_kg_runs_with_run_id as number, 'emissions of runs with a run_id');
            close(sum(runs.map(kWh)), per.energy_kwh_all_runs_lower_bound as number, 'energy of all runs (lower bound)');
            close(sum(runs.map((r) => r.durationS?.value)), per.duration_s_all_runs as number, 'duration of all runs');
            // The trap: summing the rows counts the early part of each cumulative run again.
            const over = e.energy_kwh_sum_of_rows_overcounts as number;
            assert.ok(Math.abs(sum(runs.map(kWh)) - over) > 0.05 * over, 'the energy is not the sum of the rows');
            assert.ok(Math.abs(sum(runs.map((r) => r.durationS?.value)) - (e.duration_s_sum_of_rows_overcounts as number)) > 100, 'the duration is not the sum of the rows');
            assert.ok(Math.abs(sum(runs.map((r) => r.emissionsKg?.value)) - (e.emissions_kg_sum_of_rows_overcounts as number)) > 1e-6, 'the emissions are not the sum of the rows');
          });
          test('rows without a run id: one separate run, then one cumulative run whose last energy cells are empty', () => {
            const per = e.per_run as Record<string, Record<string, number | null>>;
            const noId = runsOf(key).filter((r) => !r.runId);
            assert.equal(noId.length, 2);
            const [a, b] = noId;
            assert.equal(a.durationS?.value, per.no_id_run_A.duration_s);
            sameEnergy(a, per.no_id_run_A.energy_kwh);
            assert.equal(a.snapshots, 1);
            assert.equal(b.durationS?.value, per.no_id_run_B.duration_s);
            assert.equal(per.no_id_run_B.energy_kwh, null);
            sameEnergy(b, per.no_id_run_B.last_known_energy_kwh);
            assert.equal(b.snapshots, 4);
            assert.ok(b.notes.some((n) => /energy_consumed is empty/.test(n) && n.includes(`${(per.no_id_run_B.at_duration_s as number).toFixed(1)} s`) && /lower bound/.test(n)), b.notes.join('\n'));
          });
          test('the cumulative runs the corpus names: 8a1d9822 (6 rows), b9e7def2 and 67e9ec7b (2 rows)', () => {
            const byId = (p: string) => runsOf(key).find((r) => r.runId?.startsWith(p))!;
            assert.equal(byId('8a1d9822').snapshots, 6);
            assert.equal(Math.round(byId('8a1d9822').durationS!.value * 10) / 10, 91.8);
            const largest = e.largest_row as { duration_s: number; energy_kwh: number };
            assert.equal(byId('b9e7def2').durationS?.value, largest.duration_s);
            sameEnergy(byId('b9e7def2'), largest.energy_kwh);
            assert.equal(Math.round(byId('67e9ec7b').durationS!.value), 268);
          });
        }
        return;
      }
      if (e.format.startsWith('HF Trainer')) {
        test('a Trainer record: total_flos, train_runtime, steps and epochs as recorded', () => {
          const a = analyses.get(key)!;
          assert.equal(a.format, 'trainer-record');
          const [run] = runsOf(key);
          assert.ok(run, 'a measured run');
          assert.equal(run.kind, 'hf-trainer');
          assert.equal(run.flops?.value, (e.total_flos as number | null) ?? undefined);
          assert.equal(run.durationS?.value, (e.train_runtime_s as number | null) ?? undefined);
          if (e.global_step !== undefined) assert.equal(run.steps, e.global_step);
          assert.equal(run.epochs, e.epoch);
          assert.equal(run.energyJ, undefined, 'the Trainer records no energy');
          assert.equal(run.gpuModel, undefined, 'nor hardware');
          if (run.flops) assert.equal(run.flops.source.kind, 'measured');
          if (e.train_runtime_s === null) assert.ok(run.notes.some((n) => /no train_runtime/.test(n)));
          if (typeof e.max_steps === 'number' && (e.global_step as number) < e.max_steps) assert.ok(run.notes.some((n) => /before the end of training/.test(n)));
        });
        return;
      }
      if (key.endsWith('wandb-summary.json')) {
        test('the W&B summary with its metadata: runtime, steps, epochs, GPUs; total_flos 0 is not a measurement', () => {
          const [run] = runsOf(key);
          assert.equal(run.kind, 'wandb');
          assert.equal(run.runId, 'wpk0cwbh');
          assert.equal(run.durationS?.value, e.train_runtime_s);
          assert.equal(run.processRuntimeS?.value, e.wandb_runtime_s);
          assert.equal(run.steps, e.global_step);
          assert.equal(run.epochs, e.epoch);
          assert.equal(e.total_flos, 0);
          assert.equal(run.flops, undefined);
          assert.ok(run.notes.some((n) => /total_flos is 0/.test(n)));
          const meta = expected[key.replace('summary', 'metadata')];
          assert.equal(run.gpuModel, meta.gpu);
          assert.equal(run.gpuCount, meta.gpu_count);
        });
        return;
      }
      if (key.endsWith('wandb-metadata.json')) {
        test('the W&B metadata is part of its summary\'s run, not a run of its own', () => {
          const a = analyses.get(key)!;
          assert.equal(a.format, undefined);
          assert.equal(a.measured, undefined);
          assert.ok(a.diagnostics.some((d) => d.code === 'measured-record' && d.message.includes('wandb-summary.json')));
        });
        return;
      }
      test('is a measurement this stage knows', () => assert.fail(`no check for ${key} (${e.format})`));
    });
  }
});
