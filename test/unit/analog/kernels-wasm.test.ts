/**
 * The WebAssembly bytes the core carries (src/core/analog/linalg/kernels.wasm.ts) are those of kernels.wat as
 * scripts/gen-wasm.mjs compiles it: an edit of the .wat without `npm run gen:wasm` fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KERNELS_WASM } from '../../../src/core/analog/linalg/kernels.wasm';
// @ts-expect-error: a plain ES module script without type declarations
import { compileKernels, kernelsSource } from '../../../scripts/gen-wasm.mjs';

test('kernels.wasm.ts holds the bytes of kernels.wat, compiled', async () => {
  const bytes: Uint8Array = await compileKernels();
  assert.equal(KERNELS_WASM.length, bytes.length, 'run `npm run gen:wasm`: the module size differs');
  assert.ok(KERNELS_WASM.every((b, k) => b === bytes[k]), 'run `npm run gen:wasm`: the bytes differ');
  assert.match(kernelsSource(bytes), /^\/\/ Generated from kernels\.wat/);
});

test('the module exports its kernels and its memory, and validates with SIMD', () => {
  const names = WebAssembly.Module.exports(new WebAssembly.Module(KERNELS_WASM)).map((e) => `${e.kind} ${e.name}`).sort();
  assert.deepEqual(names, ['function backward', 'function forward', 'function outputs', 'function quantize', 'function quantizeRow', 'memory memory']);
});
