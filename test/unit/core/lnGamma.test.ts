import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lnGamma, lnFactorial } from '../../../src/core/math/lnGamma';
import { assertClose } from '../helpers';

test('lnΓ(11) = ln(10!) = ln 3,628,800 = 15.104412573 to 1e-9', () => {
  assertClose(lnGamma(11), 15.104412573, 1e-10, 'lnΓ(11)');
  assertClose(lnFactorial(10), Math.log(3628800), 1e-14, 'ln 10!');
});

test('lnΓ equals the exact sum Σ ln n for every integer up to 1e5', () => {
  let sum = 0;
  let worst = 0;
  for (let n = 2; n <= 100_000; n++) {
    sum += Math.log(n);
    worst = Math.max(worst, Math.abs(lnGamma(n + 1) - sum) / sum);
  }
  // The running sum itself carries ~n·ε of rounding; the series is closer to the truth than that.
  assert.ok(worst < 1e-13, `worst relative difference ${worst}`);
});

test('lnΓ at half-integers and small arguments matches closed forms', () => {
  assertClose(lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14, 'lnΓ(1/2)');
  assertClose(lnGamma(1.5), Math.log(Math.sqrt(Math.PI) / 2), 1e-13, 'lnΓ(3/2)');
  assertClose(lnGamma(1e-10), -Math.log(1e-10) - 0.5772156649015329e-10, 1e-12, 'lnΓ(ε) ≈ −ln ε − γε');
  assert.equal(lnGamma(1), 0);
  assert.equal(lnGamma(2), 0);
});

test('lnΓ for huge arguments follows Stirling (U up to 1e13)', () => {
  const x = 1.8e12 + 1;
  const stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x);
  assertClose(lnGamma(x), stirling, 1e-15, 'lnΓ(1.8e12 + 1)');
});

test('lnΓ is increasing above its minimum near 1.4616 and rejects non-positive input', () => {
  let prev = lnGamma(1.47);
  for (let x = 1.5; x < 1e6; x *= 1.7) {
    const v = lnGamma(x);
    assert.ok(v > prev, `lnΓ(${x}) = ${v} not above ${prev}`);
    prev = v;
  }
  assert.throws(() => lnGamma(0), RangeError);
  assert.throws(() => lnGamma(-1), RangeError);
  assert.throws(() => lnGamma(Number.NaN), RangeError);
});
