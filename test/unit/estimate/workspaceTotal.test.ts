// A workspace's total counts each run once and only runs whose size is known; the report lists runs with a total
// first, largest energy first. Checked on the example workspace (test/fixtures/workspace), whose files are real
// configs and run files, and on the same files twice (a copied config.json, as real repositories hold).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { estimatePaths } from '../../../src/cli/commands/estimate';
import { sortForReport } from '../../../src/core/estimate/reportFormats';
import { exclusionOf, exclusionSummary, workspaceMessage, workspaceTotal } from '../../../src/core/estimate/workspaceTotal';
import type { DocumentAnalysis } from '../../../src/core/estimate';
import { formatEnergy } from '../../../src/core/units/format';
import { assertClose } from '../helpers';

const WORKSPACE = join(__dirname, '..', '..', 'fixtures', 'workspace');
const analyses = (): DocumentAnalysis[] => estimatePaths([WORKSPACE], {}).analyses.filter((a) => a.format);
const byFile = (list: DocumentAnalysis[], suffix: string) => {
  const a = list.find((x) => x.file.endsWith(suffix));
  assert.ok(a, `${suffix} analysed: ${list.map((x) => x.file).join(', ')}`);
  return a;
};

describe('workspace total', () => {
  test('a bare model config (tokens defaulted) is left out; a run file with its own tokens and device-hours counts', () => {
    const list = analyses();
    const model = byFile(list, 'models/llama-2-7b/config.json');
    assert.ok(model.report?.assumptions.some((x) => x.name === 'tokensPerParameter'), 'the fixture model config names no tokens: they come from tokens per parameter');
    assert.equal(exclusionOf(model), 'size-defaulted');
    const run = byFile(list, 'runs/llama-2-7b-pretrain.lim.yaml');
    assert.equal(exclusionOf(run), undefined);
    // Touvron et al. (2023), Table 2: 184,320 A100 GPU-hours at 400 W; the run file states both.
    assert.equal(run.report?.accelerator.route, 'time');
    assert.equal(run.report?.accelerator.deviceHours, 184_320);
  });

  test('the total is the sum of the counted runs only, and every file is either counted or left out with a reason', () => {
    const list = analyses();
    const t = workspaceTotal(list);
    assert.equal(t.counted.length + t.excluded.length, list.length);
    const expected = list.filter((a) => t.counted.includes(a.file)).reduce((s, a) => s + (a.report?.accelerator.energyJ ?? NaN), 0);
    assertClose(t.energyJ, expected, 1e-12, 'total energy');
    assert.ok(t.counted.some((f) => f.endsWith('runs/llama-2-7b-pretrain.lim.yaml')));
    for (const e of t.excluded) assert.notEqual(exclusionOf(byFile(list, e.file)) ?? 'duplicate', undefined);
    // The bare model configs (Llama-2-7B and Mixtral config.json) are out: nobody ran 20 tokens per parameter on them.
    for (const f of ['models/llama-2-7b/config.json', 'models/mixtral-8x7b/config.json']) assert.equal(t.excluded.find((e) => e.file.endsWith(f))?.reason, 'size-defaulted', f);
  });

  test('the same run twice (a copied file) counts once, and the copy is named as a duplicate of the first', () => {
    const list = analyses();
    const run = byFile(list, 'runs/llama-2-7b-pretrain.lim.yaml');
    const copy = { ...run, file: 'copies/llama-2-7b-pretrain.lim.yaml' };
    const once = workspaceTotal(list);
    const twice = workspaceTotal([...list, copy]);
    assertClose(twice.energyJ, once.energyJ, 1e-12, 'the copy adds nothing');
    assert.deepEqual(twice.excluded.at(-1), { file: copy.file, reason: 'duplicate', of: run.file });
    assert.match(exclusionSummary(twice), /duplicates of a run already counted/);
  });

  test('the summary says how many were left out and why, by reason; nothing when none is', () => {
    const list = analyses();
    const t = workspaceTotal(list);
    const s = exclusionSummary(t);
    assert.match(s, new RegExp(`^${t.excluded.length} left out of the total: `));
    const defaulted = t.excluded.filter((e) => e.reason === 'size-defaulted').length;
    assert.match(s, new RegExp(`${defaulted} with a defaulted size`));
    assert.equal(exclusionSummary(workspaceTotal(list.filter((a) => exclusionOf(a) === undefined))), '');
  });

  test('a file without an estimate is left out as such (the fixture package.json, asked for by name)', () => {
    const pkg = estimatePaths([join(WORKSPACE, 'package.json')], {}).analyses[0];
    assert.equal(pkg.report, undefined);
    assert.equal(exclusionOf(pkg), 'no-estimate');
  });
});

describe('report order', () => {
  test('runs with a total first, largest energy first; then per-unit fine-tunes; then files without an estimate', () => {
    const list = analyses();
    const pkg = estimatePaths([join(WORKSPACE, 'package.json')], {}).analyses[0];
    const sorted = sortForReport([pkg, ...list]);
    const rank = (a: DocumentAnalysis) => (!a.report ? 2 : a.report.perRows ? 1 : 0);
    const ranks = sorted.map(rank);
    assert.deepEqual(ranks, [...ranks].sort((x, y) => x - y), 'estimated, then per-unit, then none');
    assert.equal(sorted.at(-1), pkg);
    const totals = sorted.filter((a) => rank(a) === 0).map((a) => a.report!.accelerator.energyJ);
    assert.ok(totals.length >= 4, `${totals.length} runs with a total`);
    assert.deepEqual(totals, [...totals].sort((x, y) => y - x), 'largest energy first');
    assert.equal(sortForReport(list).length, list.length);
  });
});

describe('Estimate Workspace message', () => {
  test('configs, how many have an estimate, the total of distinct runs of known size, what it leaves out and why', () => {
    const list = analyses();
    const t = workspaceTotal(list);
    const m = workspaceMessage(list.length, list.filter((a) => a.report).length, t, 0);
    assert.equal(m, `LIM Lens: 7 configs, 7 with an estimate · ≈ ${formatEnergy(t.energyJ)} on accelerators for ${t.counted.length} distinct runs · ${exclusionSummary(t, true)}`);
    assert.match(m, /left out of the total: \d+ size defaulted/);
    assert.equal(workspaceMessage(1, 0, workspaceTotal([]), 1), 'LIM Lens: 1 config, 0 with an estimate · no run of known size to total · 1 with problems');
  });
});
