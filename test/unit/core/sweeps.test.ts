import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepBounds, barrierCurve, logSpace, linSpace, resolveBoundInputs, findBoundPreset, computeEnergyBounds } from '../../../src/core';
import { assertClose } from '../helpers';

const brain = resolveBoundInputs(findBoundPreset('brain-scale')!.inputs);

test('energy versus model size keeps FLOPs per parameter and passes through the brain-scale point', () => {
  const pts = sweepBounds(brain, 'params', logSpace(1e6, 1e15, 10));
  assert.equal(pts.length, 10);
  assertClose(pts[0].x, 1e6, 1e-12, 'first size');
  assertClose(pts[9].x, 1e15, 1e-12, 'last size');
  assertClose(pts[9].lim, 3.682983e8, 1e-6, 'E_LIM at 1e15');
  // Linear in N at fixed U: one decade of N is one decade of energy.
  for (let i = 1; i < pts.length; i++) assertClose(pts[i].lim / pts[i - 1].lim, 10, 1e-9, `decade ${i}`);
});

test('energy versus precision is affine in b for the LIM bound and linear for Landauer and static', () => {
  const pts = sweepBounds(brain, 'bits', [1, 2, 4, 8, 16, 32, 64]);
  const e16 = pts.find((p) => p.x === 16)!;
  assertClose(e16.lim, 2.856141e8, 1e-6, 'E_LIM at 16 bits');
  const neq = computeEnergyBounds(brain).energy.limNonEquilibrium;
  for (const p of pts) {
    assertClose(p.landauer, (1.653684e8 * p.x) / 32, 1e-6, `E_L at ${p.x} bits`);
    assertClose(p.lim - p.landauer, neq, 1e-9, `E_neq independent of b at ${p.x}`);
  }
});

test('the speed trade-off: E_LIM(α) rises linearly from the Landauer floor at α = 0', () => {
  const pts = sweepBounds(brain, 'alpha', linSpace(0, 3, 7));
  assert.equal(pts[0].lim, pts[0].landauer);
  assertClose(pts[2].lim, 3.682983e8, 1e-6, 'α = 1');
  for (let i = 2; i < pts.length; i++) assertClose(pts[i].lim - pts[i - 1].lim, pts[1].lim - pts[0].lim, 1e-9, `step ${i}`);
});

test('per-update barrier starts at b·ln 2 and grows as α·ln n', () => {
  const c = barrierCurve({ kind: 'power-law', alpha: 1 }, 32, 1.8e12, 13);
  assertClose(c[0].barrierKT, 32 * Math.LN2, 1e-12, 'n = 1');
  assertClose(c[12].n, 1.8e12, 1e-12, 'last n');
  assertClose(c[12].barrierKT, Math.log(1.8e12) + 32 * Math.LN2, 1e-12, 'n = U');
});
