// The comparison messages between the extension host and the dashboard: Compare Configs sends the configs side by side
// as run summaries ('comparison'), and the page's "Choose configs…" asks the host for the picker ('compare').
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DASHBOARD_TABS, DashboardToHost, HostToDashboard, MAX_COMPARED } from '../../../src/protocol/dashboard';

const isDashboardToHost = (m: unknown) => DashboardToHost.parse(m).ok;
const isHostToDashboard = (m: unknown) => HostToDashboard.parse(m).ok;
import type { RunSummary } from '../../../src/protocol/runs';

const run = (i: number, extra: Partial<RunSummary> = {}): RunSummary => ({
  id: `file:///w/runs/r${i}.lim.yaml`,
  uri: `file:///w/runs/r${i}.lim.yaml`,
  relativePath: `runs/r${i}.lim.yaml`,
  label: `Run ${i}`,
  format: 'LIM Lens run file',
  hardwareId: 'h100',
  hardwareName: 'NVIDIA H100 SXM',
  paramsTotal: 6.74e9,
  energyJ: 1.06e10,
  definition: { line: 0, character: 0 },
  diagnostics: [],
  ...extra,
});

describe('dashboard protocol: comparisons', () => {
  test('the compare tab is one of the tabs a page may show and report', () => {
    assert.ok(DASHBOARD_TABS.includes('compare'));
    assert.equal(isDashboardToHost({ type: 'stateChanged', tab: 'compare' }), true);
    assert.equal(isHostToDashboard({ type: 'showTab', tab: 'compare' }), true);
  });

  test('comparison: run summaries, a config without an estimate among them, up to MAX_COMPARED', () => {
    const noEstimate = run(3, { energyJ: undefined, paramsTotal: undefined, diagnostics: [{ severity: 'error', message: 'unknown model type "gpt-j"', line: 2, character: 0, field: 'model_type' }] });
    assert.equal(isHostToDashboard({ type: 'comparison', runs: [run(1), run(2), noEstimate] }), true);
    assert.equal(isHostToDashboard({ type: 'comparison', runs: [] }), true, 'an empty comparison clears the tab');
    assert.equal(isHostToDashboard({ type: 'comparison', runs: Array.from({ length: MAX_COMPARED }, (_, i) => run(i)) }), true);
    assert.equal(isHostToDashboard({ type: 'comparison', runs: Array.from({ length: MAX_COMPARED + 1 }, (_, i) => run(i)) }), false, 'more than MAX_COMPARED');
  });

  test('comparison: refuses runs that are missing, not a list, or hold one malformed summary', () => {
    const bad: Array<[string, unknown]> = [
      ['no runs', { type: 'comparison' }],
      ['runs not a list', { type: 'comparison', runs: { 0: run(1) } }],
      ['a run without its label', { type: 'comparison', runs: [run(1), { ...run(2), label: undefined }] }],
      ['a run with a text energy', { type: 'comparison', runs: [{ ...run(1), energyJ: '1 MWh' }] }],
      ['a run whose diagnostics are not a list', { type: 'comparison', runs: [{ ...run(1), diagnostics: 'none' }] }],
      ['a null run', { type: 'comparison', runs: [null] }],
    ];
    for (const [label, m] of bad) assert.equal(isHostToDashboard(m), false, label);
    assert.equal(isDashboardToHost({ type: 'comparison', runs: [run(1)] }), false, 'host → dashboard only');
  });

  test('compare: the page asks for the picker, with nothing else; the host never sends it', () => {
    assert.equal(isDashboardToHost({ type: 'compare' }), true);
    const extra = DashboardToHost.parse({ type: 'compare', uris: ['file:///etc/passwd'] });
    assert.deepEqual(extra, { ok: true, value: { type: 'compare' } }, 'extra fields are dropped: the host opens its own picker');
    assert.equal(isHostToDashboard({ type: 'compare' }), false);
  });
});
