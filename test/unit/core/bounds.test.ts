import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  computeEnergyBounds,
  resolveBoundInputs,
  validateBoundInputs,
  findBoundPreset,
  thermalEnergy,
  landauerPerBit,
  perUpdateBarrierKT,
  InvalidBoundInputsError,
  LIM_MODEL_LABEL,
  type PartialBoundInputs,
} from '../../../src/core';
import { assertClose } from '../helpers';

const bounds = (p: PartialBoundInputs) => computeEnergyBounds(resolveBoundInputs(p));

describe('docs/theory.md §5 test vectors (relative tolerance 1e-6)', () => {
  test('kT and kT·ln 2 at 300 K', () => {
    assertClose(thermalEnergy(300), 4.141947e-21, 1e-6, 'kT');
    assertClose(landauerPerBit(300), 2.8709789e-21, 1e-6, 'kT ln2');
  });

  const vectors: Array<[string, PartialBoundInputs, number, number, number]> = [
    ['N=1e15, OPS=1.8e27, b=32', { params: 1e15, flops: 1.8e27, bits: 32 }, 2.029299e8, 1.653684e8, 3.682983e8],
    ['same, b=16', { params: 1e15, flops: 1.8e27, bits: 16 }, 2.029299e8, 8.268419e7, 2.856141e8],
    ['GPT-3 size', { params: 1.75e11, flops: 3.14e23, bits: 32 }, 3.539587e4, 2.88476e4, 6.424346e4],
    ['N=1e6, OPS=1e10, b=8', { params: 1e6, flops: 1e10, bits: 8 }, 3.400908e-10, 2.296783e-10, 5.697691e-10],
    ['same, α=0', { params: 1e6, flops: 1e10, bits: 8, schedule: { kind: 'power-law', alpha: 0 } }, 0, 2.296783e-10, 2.296783e-10],
    ['same, α=2', { params: 1e6, flops: 1e10, bits: 8, schedule: { kind: 'power-law', alpha: 2 } }, 6.801817e-10, 2.296783e-10, 9.0986e-10],
    ['same, T=77 K', { params: 1e6, flops: 1e10, bits: 8, temperatureK: 77 }, 8.728998e-11, 5.895077e-11, 1.462407e-10],
  ];
  for (const [name, input, neq, landauer, lim] of vectors) {
    test(name, () => {
      const e = bounds(input).energy;
      if (neq === 0) assert.equal(e.limNonEquilibrium, 0);
      else assertClose(e.limNonEquilibrium, neq, 1e-6, 'E_neq');
      assertClose(e.landauer, landauer, 1e-6, 'E_L');
      assertClose(e.lim, lim, 1e-6, 'E_LIM');
    });
  }
});

describe('docs/theory.md §5 headline: brain-scale preset', () => {
  const preset = findBoundPreset('brain-scale');
  assert.ok(preset);

  test('E_LIM = 3.682983e8 J inside the paper’s 1e8–1e9 J, E_LIM/E_L = 2.23', () => {
    const b = bounds(preset.inputs);
    assertClose(b.energy.limNonEquilibrium, 2.029299e8, 1e-6, 'E_neq');
    assertClose(b.energy.landauer, 1.653684e8, 1e-6, 'E_L');
    assertClose(b.energy.lim, 3.682983e8, 1e-6, 'E_LIM');
    assert.ok(b.energy.lim > 1e8 && b.energy.lim < 1e9);
    assert.equal(b.derived.limOverLandauer.toFixed(2), '2.23');
  });

  test('static barrier: E_ret = 49.5035 kT, E_static = 1.181036e10 J', () => {
    const b = bounds(preset.inputs);
    assertClose(b.derived.retentionBarrierKT, 49.5035, 1e-6, 'E_ret/kT');
    assertClose(b.energy.staticBarrier, 1.181036e10, 1e-6, 'E_static');
  });

  test('H100 at TDP and full utilisation: 7.075e-13 J/FLOP, 1.2735e15 J, 6.54 orders above LIM', () => {
    const b = bounds({ ...preset.inputs, utilization: 1, pue: 1 });
    assertClose(b.derived.acceleratorJoulesPerFlop, 7.075e-13, 1e-3, 'J/FLOP');
    assertClose(b.energy.accelerator, 1.2735e15, 1e-4, 'E_hw');
    assert.equal(b.derived.ordersAcceleratorOverLim.toFixed(2), '6.54');
  });

  test('at 40 % utilisation: 3.18e15 J, 6.94 orders; with the default PUE 1.1 still inside 6–7', () => {
    const b = bounds({ ...preset.inputs, utilization: 0.4, pue: 1 });
    assertClose(b.energy.accelerator, 3.18e15, 2e-3, 'E_hw at 40 %');
    assert.equal(b.derived.ordersAcceleratorOverLim.toFixed(2), '6.94');
    const d = bounds(preset.inputs);
    assert.equal(d.inputs.accelerator.utilization, 0.4);
    assert.equal(d.inputs.accelerator.pue, 1.1);
    assertClose(d.energy.accelerator, 3.18e15 * 1.1, 2e-3, 'E_hw with PUE');
    assert.ok(d.derived.ordersAcceleratorOverLim >= 6 && d.derived.ordersAcceleratorOverLim <= 7);
  });

  test('the LIM result carries the reconstructed-model label, never “the paper’s equation”', () => {
    const lim = bounds(preset.inputs).results.find((r) => r.modelId === 'lim-reconstructed');
    assert.ok(lim);
    assert.equal(lim.provenance.kind, 'model');
    assert.equal(lim.provenance.label, LIM_MODEL_LABEL);
  });
});

describe('properties of the bound models', () => {
  const realistic = fc.record({
    params: fc.double({ min: 1e3, max: 1e16, noNaN: true }),
    updates: fc.double({ min: 1, max: 1e14, noNaN: true }),
    // Training precision is at least 4 bits; with 1–2 bits and α near 3 the schedule term can exceed the
    // retention barrier (α·(ln U − 1) > b·(ln(f0·t_ret) − ln 2)), which docs/theory.md states as the limit.
    bits: fc.integer({ min: 4, max: 64 }),
    temperatureK: fc.double({ min: 1, max: 1000, noNaN: true }),
    // α = 0 exactly or a realistic exponent: subnormal α only tests float underflow, not the model.
    alpha: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 3, noNaN: true })),
    hardwareId: fc.constantFrom('v100', 'a100', 'h100', 'b200', 'tpu-v3', 'tpu-v4'),
    utilization: fc.double({ min: 0.05, max: 1, noNaN: true }),
  });
  type Realistic = typeof realistic extends fc.Arbitrary<infer T> ? T : never;
  const toInputs = (r: Realistic): PartialBoundInputs => ({
    params: r.params,
    flops: r.params * r.updates,
    bits: r.bits,
    temperatureK: r.temperatureK,
    schedule: { kind: 'power-law', alpha: r.alpha },
    hardwareId: r.hardwareId,
    utilization: r.utilization,
  });

  test('E_LIM → E_L as α → 0', () => {
    const base = { params: 1e9, flops: 1e21, bits: 16 };
    const landauer = bounds(base).energy.landauer;
    let prevGap = Infinity;
    for (const alpha of [1, 0.1, 1e-2, 1e-4, 1e-8]) {
      const gap = bounds({ ...base, schedule: { kind: 'power-law', alpha } }).energy.lim / landauer - 1;
      assert.ok(gap < prevGap, `gap ${gap} at α=${alpha} did not shrink`);
      prevGap = gap;
    }
    assert.ok(prevGap < 1e-7);
  });

  test('E_LIM grows with b, α, T and 1/τ', () => {
    const base: PartialBoundInputs = { params: 1e9, flops: 1e21 };
    const lim = (p: Partial<PartialBoundInputs>) => bounds({ ...base, ...p }).energy.lim;
    for (let b = 1; b < 64; b++) assert.ok(lim({ bits: b + 1 }) > lim({ bits: b }), `b=${b}`);
    for (let a = 0; a < 3; a += 0.25) assert.ok(lim({ schedule: { kind: 'power-law', alpha: a + 0.25 } }) > lim({ schedule: { kind: 'power-law', alpha: a } }), `α=${a}`);
    for (let t = 1; t < 1000; t *= 2) assert.ok(lim({ temperatureK: 2 * t }) > lim({ temperatureK: t }), `T=${t}`);
    for (let tau = 1e10; tau < 1e20; tau *= 10) {
      assert.ok(lim({ schedule: { kind: 'exponential', tau } }) > lim({ schedule: { kind: 'exponential', tau: tau * 10 } }), `τ=${tau}`);
    }
  });

  test('E_L ≤ E_LIM ≤ E_static ≤ E_accelerator for realistic inputs', () => {
    fc.assert(
      fc.property(realistic, (r) => {
        const e = bounds(toInputs(r)).energy;
        return e.landauer <= e.lim && e.lim <= e.staticBarrier && e.staticBarrier <= e.accelerator;
      }),
      { numRuns: 2000 },
    );
  });

  test('every energy is linear in N at fixed U', () => {
    fc.assert(
      fc.property(realistic, fc.double({ min: 2, max: 1000, noNaN: true }), (r, k) => {
        const a = bounds(toInputs(r)).energy;
        const b = bounds(toInputs({ ...r, params: r.params * k })).energy;
        return (Object.keys(a) as Array<keyof typeof a>).every((key) =>
          a[key] === 0 ? b[key] === 0 : Math.abs(b[key] / a[key] - k) <= 1e-9 * k,
        );
      }),
      { numRuns: 1000 },
    );
  });

  test('walls add up to each paradigm’s bound, and only von Neumann pays the memory wall', () => {
    const b = bounds({ params: 1e12, flops: 1e24 });
    const [vn, cim, lim] = b.walls;
    assertClose(vn.totalJ, b.energy.accelerator, 1e-12, 'von Neumann total');
    assertClose(cim.totalJ, b.energy.staticBarrier, 1e-12, 'CIM total');
    assertClose(lim.totalJ, b.energy.lim, 1e-12, 'LIM total');
    assert.ok(vn.memoryJ > 0);
    assert.equal(cim.memoryJ, 0);
    assert.equal(lim.memoryJ, 0);
    assert.ok(lim.consolidationJ < cim.consolidationJ);
  });

  test('exponential schedule: E_neq = N·kT·U(U+1)/(2τ)', () => {
    const b = bounds({ params: 1e6, flops: 1e10, schedule: { kind: 'exponential', tau: 1e6 } });
    const u = 1e4;
    assertClose(b.energy.limNonEquilibrium, (1e6 * thermalEnergy(300) * u * (u + 1)) / 2e6, 1e-12, 'E_neq');
  });

  test('per-update barrier E_n/kT = α ln n + b ln 2', () => {
    assertClose(perUpdateBarrierKT(1, { kind: 'power-law', alpha: 1 }, 32), 32 * Math.LN2, 1e-15, 'n=1');
    assertClose(perUpdateBarrierKT(1e6, { kind: 'power-law', alpha: 2 }, 8), 2 * Math.log(1e6) + 8 * Math.LN2, 1e-15, 'n=1e6');
  });
});

describe('input validation', () => {
  const good = resolveBoundInputs({ params: 1e9, flops: 1e21 });
  const cases: Array<[string, Partial<typeof good>, string, RegExp]> = [
    ['negative N', { params: -5 }, 'params', /greater than 0/],
    ['NaN OPS', { flops: Number.NaN }, 'flops', /must be a number/],
    ['infinite OPS', { flops: Infinity }, 'flops', /finite/],
    ['fewer than one update per parameter', { flops: 1e8 }, 'flops', /at least one update per parameter/],
    ['zero bits', { bits: 0 }, 'bits', /greater than 0/],
    ['128 bits', { bits: 128 }, 'bits', /at most 64/],
    ['negative α', { schedule: { kind: 'power-law', alpha: -1 } }, 'schedule.alpha', /≥ 0/],
    ['zero τ', { schedule: { kind: 'exponential', tau: 0 } }, 'schedule.tau', /greater than 0/],
    ['utilisation above 1', { accelerator: { ...good.accelerator, utilization: 1.5 } }, 'accelerator.utilization', /at most 1/],
    ['PUE below 1', { accelerator: { ...good.accelerator, pue: 0.9 } }, 'accelerator.pue', /at least 1/],
    ['retention barrier below kT ln 2', { retentionS: 1e-14 }, 'retentionS', /f0·t_ret/],
  ];
  for (const [name, patch, field, message] of cases) {
    test(name, () => {
      const issues = validateBoundInputs({ ...good, ...patch });
      assert.equal(issues.length, 1, JSON.stringify(issues));
      assert.equal(issues[0].field, field);
      assert.match(issues[0].message, message);
      assert.throws(() => computeEnergyBounds({ ...good, ...patch }), InvalidBoundInputsError);
    });
  }
  test('unknown hardware is refused with its name', () => {
    assert.throws(() => resolveBoundInputs({ params: 1, flops: 1, hardwareId: 'tpu-v9' }), /unknown hardware profile "tpu-v9"/);
  });
});
