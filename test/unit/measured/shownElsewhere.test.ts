import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutJoinedRecords, type ListedRun } from '../../../src/core/measured/shownElsewhere';
import { FORMAT_LABELS } from '../../../src/core/configs/types';

const record = (path: string, measured = true): ListedRun => ({ path, format: FORMAT_LABELS.measurement, measured });
const run = (path: string, measured: boolean): ListedRun => ({ path, format: FORMAT_LABELS['lim-run'], measured });

function visible(runs: ListedRun[], reads: Record<string, string[]>): string[] {
  return withoutJoinedRecords(runs, (r) => r, (p) => reads[p] ?? []).map((r) => r.path);
}

describe('records shown inside the run they joined', () => {
  test('a CodeCarbon record read by the run file beside it is listed once, inside that run', () => {
    const runs = [run('/w/a/train.lim.yaml', true), record('/w/a/emissions.csv')];
    assert.deepEqual(visible(runs, { '/w/a/train.lim.yaml': ['/w/a/config.json', '/w/a/emissions.csv'] }), ['/w/a/train.lim.yaml']);
  });

  test('a run that read the record but took nothing from it (no measured figures) does not hide it', () => {
    const runs = [run('/w/a/train.lim.yaml', false), record('/w/a/emissions.csv')];
    assert.deepEqual(visible(runs, { '/w/a/train.lim.yaml': ['/w/a/emissions.csv'] }), ['/w/a/train.lim.yaml', '/w/a/emissions.csv']);
  });

  test('two records alone in a folder stay two entries, even when each reads the other', () => {
    const runs = [record('/w/b/emissions.csv'), record('/w/b/wandb-summary.json')];
    const reads = { '/w/b/emissions.csv': ['/w/b/wandb-summary.json'], '/w/b/wandb-summary.json': ['/w/b/emissions.csv'] };
    assert.deepEqual(visible(runs, reads), ['/w/b/emissions.csv', '/w/b/wandb-summary.json']);
  });

  test('a record of another folder is not hidden by a run that never read it', () => {
    const runs = [run('/w/a/train.lim.yaml', true), record('/w/c/emissions.csv')];
    assert.deepEqual(visible(runs, { '/w/a/train.lim.yaml': ['/w/a/emissions.csv'] }), ['/w/a/train.lim.yaml', '/w/c/emissions.csv']);
  });
});
