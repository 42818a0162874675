/**
 * Plain-array scratch for the hot loops. Once any ArrayBuffer in the process has been transferred (tsx's loader
 * thread does it, and so would a worker's postMessage with a transfer list), V8 checks on every typed-array access
 * that the buffer was not detached, on top of the bounds check; the pulsed coincidence loops then run ~50 % slower.
 * A packed plain array needs no such check, so index lists, lookup tables and float64 accumulators that never leave
 * the simulator are plain arrays. They are built packed (no holes) and of one element kind (small integers, or
 * unboxed doubles), which V8 keeps as long as only such values are stored. Weights and caller-supplied vectors stay
 * typed arrays.
 */

/** A packed array of n zeros that holds small integers (V8's PACKED_SMI_ELEMENTS). */
export function packedInts(n: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0);
  return a;
}

/** A packed array of n zeros stored as unboxed doubles (PACKED_DOUBLE_ELEMENTS: a non-integer is pushed first). */
export function packedDoubles(n: number): number[] {
  const a: number[] = [0.5];
  a.pop();
  for (let i = 0; i < n; i++) a.push(0);
  return a;
}
