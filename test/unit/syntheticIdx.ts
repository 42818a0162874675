import { Rng } from '../../src/core/analog';

/** A 32-bit size as IDX headers write it: big-endian bytes. */
export const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

/**
 * A learnable set of `count` 4×4 images as IDX bytes (images 00 00 08 03, labels 00 00 08 01): row i is of class
 * i % `classes`, and `pixel(c, r, k, rng)` gives the pixel at row r, column k of an image of class c.
 */
export function idx4x4(count: number, classes: number, seed: number, pixel: (c: number, r: number, k: number, rng: Rng) => number): { images: Uint8Array; labels: Uint8Array } {
  const rng = new Rng(seed);
  const px: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const c = i % classes;
    labels.push(c);
    for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) px.push(pixel(c, r, k, rng));
  }
  return {
    images: Uint8Array.from([0, 0, 8, 3, ...u32(count), ...u32(4), ...u32(4), ...px]),
    labels: Uint8Array.from([0, 0, 8, 1, ...u32(count), ...labels]),
  };
}
