/**
 * The LIM paper by version, and the reconstruction's free choices (docs/theory.md, "The paper by version" and
 * "Free choices of the reconstruction"). Reference figures: the abstracts of arXiv 2402.14878 v1 (21 Feb 2024) and
 * v2 (21 May 2024), 1e8–1e9 J for a brain-scale model of 1e15 parameters; v1 also puts that at the magnitude of
 * Landauer's bound and 6–7 orders of magnitude below accelerators. The per-update sums are checked against explicit
 * loops, not against the closed forms the code uses.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BOUND_PRESETS,
  FLOPS_PER_MODEL_UPDATE,
  PAPER_BRAIN_SCALE_BAND_J,
  PAPER_VERSIONS,
  PROVENANCE,
  computeEnergyBounds,
  findBoundPreset,
  limNonEquilibriumEnergy,
  paperSource,
  provenanceTag,
  resolveBoundInputs,
  updatesPerParameter,
  validateBoundInputs,
  type BarrierCharge,
  type OpsCount,
  type PartialBoundInputs,
  type Schedule,
} from '../../../src/core';
import { main } from '../../../src/cli/main';
import { assertClose } from '../helpers';

const K_B = 1.380649e-23; // exact SI
const kT300 = K_B * 300;
const brainScale = findBoundPreset('brain-scale')!;
const bounds = (p: PartialBoundInputs) => computeEnergyBounds(resolveBoundInputs(p));

describe('[paper] labels name their version', () => {
  test('every [paper] provenance names at least one version, and its tag shows them', () => {
    const paper = Object.values(PROVENANCE).filter((p) => p.kind === 'paper');
    assert.ok(paper.length >= 3, 'the headline, the Landauer comparison and the model-update count');
    for (const p of paper) {
      assert.ok('paperVersions' in p && p.paperVersions.length > 0, `${p.label} names no version`);
      assert.match(provenanceTag(p), /^\[paper v\d(, v\d)*\]$/);
      for (const v of p.paperVersions) assert.ok(p.source.includes(`2402.14878${v}`), `${p.label}: its source cites ${v}`);
    }
    assert.equal(provenanceTag(PROVENANCE.paperHeadline), '[paper v1, v2]');
    assert.equal(provenanceTag(PROVENANCE.paperLandauer), '[paper v1]');
    assert.equal(provenanceTag(PROVENANCE.paperModelUpdates), '[paper v3]');
    assert.equal(provenanceTag(PROVENANCE.limModel), '[model]');
    assert.equal(provenanceTag(PROVENANCE.accelerator), '[data]');
  });

  test('the versions: dates from the arXiv listing, v3 retitled', () => {
    assert.deepEqual(
      Object.values(PAPER_VERSIONS).map((v) => [v.version, v.date]),
      [['v1', '2024-02-21'], ['v2', '2024-05-21'], ['v3', '2025-08-19']],
    );
    assert.equal(PAPER_VERSIONS.v1.title, PAPER_VERSIONS.v2.title);
    assert.equal(PAPER_VERSIONS.v3.title, 'Estimation of Energy-dissipation Lower-bounds for Neuromorphic Learning-in-memory');
    assert.match(PAPER_VERSIONS.v1.framing, /lower bounds/);
    assert.match(PAPER_VERSIONS.v2.framing, /estimates/);
    assert.match(PAPER_VERSIONS.v3.framing, /model-update operations/);
    assert.equal(paperSource('v3'), 'Chen, Ahsan, Leugering, Cauwenberghs, Chakrabartty, "Estimation of Energy-dissipation Lower-bounds for Neuromorphic Learning-in-memory", arXiv 2402.14878v3 (2025-08-19)');
  });

  test('lim-lens bounds tags the headline with its versions, in the table and the JSON', async () => {
    const out: string[] = [];
    assert.equal(await main(['bounds', '--preset', 'brain-scale'], (s) => out.push(s), () => undefined), 0);
    assert.match(out.join('\n'), /^ {2}\[paper v1, v2\] 1e8–1e9 J for a 1e15-parameter model/m);
    assert.doesNotMatch(out.join('\n'), /\[paper\]/);
    const json: string[] = [];
    await main(['bounds', '--preset', 'brain-scale', '--json'], (s) => json.push(s), () => undefined);
    assert.deepEqual(JSON.parse(json.join('\n')).paper.versions, ['v1', 'v2']);
  });
});

describe('the brain-scale preset says which inputs are the paper’s and which are calibration', () => {
  const sources = brainScale.sources ?? [];
  const byInput = new Map(sources.map((s) => [s.input, s]));

  test('1e15 parameters and the 1e8–1e9 J band are the paper’s (v1, v2)', () => {
    assert.equal(brainScale.inputs.params, 1e15);
    assert.deepEqual([...PAPER_BRAIN_SCALE_BAND_J], [1e8, 1e9]);
    for (const input of ['params', 'target']) {
      const s = byInput.get(input);
      assert.equal(s?.from, 'paper', input);
      assert.deepEqual(s?.paperVersions, ['v1', 'v2'], input);
    }
  });

  test('OPS 1.8e27, 32 bits, 300 K, α = 1, c_u = 1 and the H100 are LIM Lens’s calibration', () => {
    const expected: Array<[string, unknown]> = [
      ['flops', brainScale.inputs.flops],
      ['bits', brainScale.inputs.bits],
      ['temperature', brainScale.inputs.temperatureK],
      ['alpha', brainScale.inputs.schedule?.kind === 'power-law' ? brainScale.inputs.schedule.alpha : undefined],
      ['cu', brainScale.inputs.opsPerUpdate],
      ['hardware', brainScale.inputs.hardwareId],
    ];
    assert.deepEqual(expected.map(([, v]) => v), [1.8e27, 32, 300, 1, 1, 'h100']);
    for (const [input] of expected) {
      const s = byInput.get(input);
      assert.equal(s?.from, 'calibration', `${input} is calibration`);
      assert.equal(s?.paperVersions, undefined, `${input} cites no version`);
      assert.ok((s?.why.length ?? 0) > 10, `${input} says why`);
    }
    // OPS is GPT-3's FLOPs per parameter (3.14e23 / 1.75e11, Brown et al. 2020) at 1e15 parameters, to two digits.
    assertClose(brainScale.inputs.flops, (3.14e23 / 1.75e11) * 1e15, 0.004, 'OPS');
  });

  test('every input the preset sets has a source, and its description says so', () => {
    const named: Record<string, string> = { params: 'params', flops: 'flops', bits: 'bits', temperatureK: 'temperature', opsPerUpdate: 'cu', schedule: 'alpha', hardwareId: 'hardware' };
    for (const key of Object.keys(brainScale.inputs)) assert.ok(byInput.has(named[key] ?? key), `no source for ${key}`);
    assert.match(brainScale.description, /paper's brain-scale model \(1e15 parameters, 1e8–1e9 J; v1 and v2\) with LIM Lens's calibration/);
    assert.ok(BOUND_PRESETS.every((p) => p.sources === undefined || p.sources.every((s) => (s.from === 'paper') === (s.paperVersions !== undefined))));
  });
});

/** Σ_{n=1..U} of the barrier height at update n (in kT), and of its rises from a flat start, by explicit loops. */
function barrierSums(schedule: Schedule, u: number): { every: number; rises: number } {
  const height = (n: number) => (schedule.kind === 'power-law' ? schedule.alpha * Math.log(n) : n / schedule.tau);
  let every = 0;
  let rises = 0;
  let previous = 0;
  for (let n = 1; n <= u; n++) {
    const h = height(n);
    every += h;
    rises += Math.max(0, h - previous);
    previous = h;
  }
  return { every, rises };
}

describe('the barrier charge: every update pays the full barrier, or only its rises', () => {
  const schedules: Schedule[] = [
    { kind: 'power-law', alpha: 1 },
    { kind: 'power-law', alpha: 2.5 },
    { kind: 'exponential', tau: 300 },
  ];
  for (const schedule of schedules) {
    test(`${JSON.stringify(schedule)}, U = 5000: E_neq equals the explicit sums over updates`, () => {
      const u = 5000;
      const sums = barrierSums(schedule, u);
      for (const [charge, expectedKT] of [['every-update', sums.every], ['rises-only', sums.rises]] as const) {
        const x = resolveBoundInputs({ params: 7, flops: 7 * u, bits: 8, schedule, barrierCharge: charge });
        assertClose(limNonEquilibriumEnergy(x), 7 * kT300 * expectedKT, 1e-9, charge);
      }
    });
  }

  // For 1 < U < 2, Γ(U) < 1, so the full charge's ln Γ(U+1) = ln U + ln Γ(U) falls below the rises' ln U (by at
  // most 0.1215 kT per parameter, at U ≈ 1.46): fast-check found it. From U = 2 on, rises-only is the smaller.
  test('U ≥ 2, any inputs: rises-only ≤ every-update, both ≥ 0, and E_L is the same under both', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e15, noNaN: true }),
        fc.double({ min: 2, max: 1e13, noNaN: true }),
        fc.oneof(
          fc.double({ min: 0, max: 3, noNaN: true }).map((alpha): Schedule => ({ kind: 'power-law', alpha })),
          fc.double({ min: 1, max: 1e15, noNaN: true }).map((tau): Schedule => ({ kind: 'exponential', tau })),
        ),
        (params, u, schedule) => {
          const base = { params, flops: params * u, bits: 16, schedule };
          const every = bounds({ ...base, barrierCharge: 'every-update' }).energy;
          const rises = bounds({ ...base, barrierCharge: 'rises-only' }).energy;
          assert.ok(rises.limNonEquilibrium >= 0 && rises.limNonEquilibrium <= every.limNonEquilibrium * (1 + 1e-12), `${rises.limNonEquilibrium} > ${every.limNonEquilibrium}`);
          assert.equal(rises.landauer, every.landauer);
        },
      ),
    );
  });

  test('1 < U < 2: the full charge interpolated by ln Γ is the smaller, by at most 0.1215 kT per parameter', () => {
    for (const u of [1.1, 1.4616321, 1.9]) {
      const x = { params: 1, flops: u, bits: 8, temperatureK: 300 };
      const every = limNonEquilibriumEnergy(resolveBoundInputs({ ...x, barrierCharge: 'every-update' })) / kT300;
      const rises = limNonEquilibriumEnergy(resolveBoundInputs({ ...x, barrierCharge: 'rises-only' })) / kT300;
      assert.ok(every < rises && rises - every <= 0.1215 + 1e-4, `U = ${u}: ${every} vs ${rises}`);
    }
  });

  test('the default is every-update, and leaves the brain-scale figure at 3.682983e8 J', () => {
    assert.equal(resolveBoundInputs(brainScale.inputs).barrierCharge, 'every-update');
    assertClose(bounds(brainScale.inputs).energy.lim, 3.682983e8, 1e-6, 'E_LIM');
    assertClose(bounds({ ...brainScale.inputs, barrierCharge: 'every-update' }).energy.lim, 3.682983e8, 1e-6, 'E_LIM');
  });

  test('rises-only at brain scale: E_neq = N·kT·ln(1.8e12) ≈ 1.2e-4 J, so E_LIM is the Landauer term, still in the paper’s band', () => {
    const b = bounds({ ...brainScale.inputs, barrierCharge: 'rises-only' });
    assertClose(b.energy.limNonEquilibrium, 1e15 * kT300 * Math.log(1.8e12), 1e-12, 'E_neq');
    assertClose(b.energy.limNonEquilibrium, 1.168808e-4, 1e-6, 'E_neq');
    assertClose(b.energy.lim, 1.653684e8, 1e-6, 'E_LIM');
    assert.ok(b.energy.lim >= PAPER_BRAIN_SCALE_BAND_J[0] && b.energy.lim <= PAPER_BRAIN_SCALE_BAND_J[1]);
    assert.equal(b.results.find((r) => r.modelId === 'lim-reconstructed')?.terms[0].formula, 'N·α·kT·ln U');
  });
});

describe('OPS as FLOPs (v1, v2) or as model-update operations (v3)', () => {
  test('model-updates: one update per parameter per token, U = OPS/(6·c_u·N), the same as c_u = 6 on FLOPs', () => {
    assert.equal(FLOPS_PER_MODEL_UPDATE, 6);
    const x = resolveBoundInputs({ ...brainScale.inputs, opsCount: 'model-updates' });
    assert.equal(updatesPerParameter(x), 3e11);
    const asUpdates = computeEnergyBounds(x).energy;
    const asCu6 = bounds({ ...brainScale.inputs, opsPerUpdate: 6 }).energy;
    assert.deepEqual(asUpdates, asCu6);
  });

  test('at brain scale: U = 3e11, E_L = 2.756140e7 J, E_LIM = 5.915664e7 J, below the paper’s 1e8–1e9 J band', () => {
    const b = bounds({ ...brainScale.inputs, opsCount: 'model-updates' });
    assertClose(b.energy.landauer, 1e15 * 3e11 * 32 * kT300 * Math.LN2, 1e-12, 'E_L');
    assertClose(b.energy.landauer, 2.75614e7, 1e-6, 'E_L');
    assertClose(b.energy.lim, 5.915664e7, 1e-6, 'E_LIM');
    assert.ok(b.energy.lim < PAPER_BRAIN_SCALE_BAND_J[0]);
    // The accelerator still burns the same FLOPs, so LIM sits further below it.
    assertClose(b.energy.accelerator, bounds(brainScale.inputs).energy.accelerator, 1e-12, 'E_hw');
    assertClose(b.derived.ordersAcceleratorOverLim, 7.772, 2e-4, 'orders');
  });

  test('option → E_LIM for the brain-scale preset', () => {
    const table: Array<[BarrierCharge, OpsCount, number]> = [
      ['every-update', 'flops', 3.682983e8],
      ['rises-only', 'flops', 1.653684e8],
      ['every-update', 'model-updates', 5.915664e7],
      ['rises-only', 'model-updates', 2.75614e7],
    ];
    for (const [barrierCharge, opsCount, lim] of table) assertClose(bounds({ ...brainScale.inputs, barrierCharge, opsCount }).energy.lim, lim, 1e-6, `${barrierCharge}, ${opsCount}`);
  });

  test('docs/theory.md §3.5: every figure of its table is what the model computes', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'theory.md'), 'utf8');
    const rows = doc.split('\n').filter((l) => /^\| (every-update|rises-only)\b/.test(l));
    assert.equal(rows.length, 4, 'the table has one row per combination');
    const superscript: Record<string, string> = { '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9', '⁻': '-' };
    /** "2.029299 × 10⁸ J" → 2.029299e8; "3 × 10¹¹" → 3e11. */
    const num = (cell: string): number => {
      const m = /([\d.]+) × 10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)/.exec(cell);
      assert.ok(m, `not a number: ${cell}`);
      return Number(`${m[1]}e${[...m[2]].map((c) => superscript[c]).join('')}`);
    };
    for (const row of rows) {
      const cells = row.split('|').slice(1, -1).map((c) => c.trim());
      const barrierCharge = cells[0].split(' ')[0] as BarrierCharge;
      const opsCount: OpsCount = cells[1].startsWith('FLOPs') ? 'flops' : 'model-updates';
      const b = bounds({ ...brainScale.inputs, barrierCharge, opsCount });
      const what = `${barrierCharge}, ${opsCount}`;
      assertClose(num(cells[2]), b.derived.updatesPerParameter, 1e-12, `${what}: U`);
      assertClose(num(cells[3]), b.energy.limNonEquilibrium, 1e-6, `${what}: E_neq`);
      assertClose(num(cells[4]), b.energy.landauer, 1e-6, `${what}: E_L`);
      assertClose(num(cells[5]), b.energy.lim, 1e-6, `${what}: E_LIM`);
      const inBand = b.energy.lim >= PAPER_BRAIN_SCALE_BAND_J[0] && b.energy.lim <= PAPER_BRAIN_SCALE_BAND_J[1];
      assert.equal(cells[6].startsWith('yes'), inBand, `${what}: inside the band`);
      assert.equal(cells[7], b.derived.ordersAcceleratorOverLim.toFixed(2), `${what}: orders`);
    }
  });

  test('with fewer than one model update per parameter the inputs are refused, naming the field', () => {
    const issues = validateBoundInputs(resolveBoundInputs({ params: 1e9, flops: 3e9, opsCount: 'model-updates' }));
    assert.deepEqual(issues.map((i) => i.field), ['flops']);
    assert.match(issues[0].message, /OPS ≥ 6·c_u·N = 6000000000/);
  });
});

describe('the options are validated and reach the CLI', () => {
  test('an unknown option value is an issue naming its field', () => {
    const x = { ...resolveBoundInputs({ params: 1e9, flops: 1e21 }), barrierCharge: 'half' as BarrierCharge, opsCount: 'tokens' as OpsCount };
    assert.deepEqual(validateBoundInputs(x).map((i) => i.field), ['barrierCharge', 'opsCount']);
  });

  test('--barrier-charge and --ops-count set the options; the table says which were used', async () => {
    const out: string[] = [];
    const status = await main(['bounds', '--preset', 'brain-scale', '--barrier-charge', 'rises-only', '--ops-count', 'model-updates', '--json'], (s) => out.push(s), () => undefined);
    assert.equal(status, 0);
    const j = JSON.parse(out.join('\n'));
    assert.equal(j.inputs.barrierCharge, 'rises-only');
    assert.equal(j.inputs.opsCount, 'model-updates');
    assertClose(j.energy.lim, 2.75614e7, 1e-6, 'E_LIM');
    const table: string[] = [];
    await main(['bounds', '--preset', 'brain-scale', '--ops-count', 'model-updates'], (s) => table.push(s), () => undefined);
    assert.match(table.join('\n'), /reconstruction: barrier charged in full on every update · OPS counted as model updates/);
  });

  test('an unknown flag value is a usage error naming the flag and the choices', async () => {
    const err: string[] = [];
    const status = await main(['bounds', '--preset', 'brain-scale', '--ops-count', 'tokens'], () => undefined, (s) => err.push(s));
    assert.equal(status, 2);
    assert.match(err.join('\n'), /--ops-count: unknown value "tokens" \(known: flops, model-updates\)/);
  });
});
