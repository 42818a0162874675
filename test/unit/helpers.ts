import assert from 'node:assert/strict';

/** |actual − expected| ≤ rel·|expected|, with a message that shows both numbers. */
export function assertClose(actual: number, expected: number, rel = 1e-6, what = 'value'): void {
  const err = Math.abs(actual - expected);
  assert.ok(
    err <= rel * Math.abs(expected),
    `${what}: expected ${expected} within relative ${rel}, got ${actual} (relative error ${(err / Math.abs(expected)).toExponential(2)})`,
  );
}
