// Compiles src/core/analog/linalg/kernels.wat (WebAssembly text, SIMD) with wabt and writes its bytes into
// src/core/analog/linalg/kernels.wasm.ts, so the core carries them as data and compiles them with the WebAssembly
// global wherever it runs (no file to load, nothing downloaded). Run `npm run gen:wasm` after editing the .wat;
// test/unit/analog/kernels-wasm.test.ts fails while the two differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'src/core/analog/linalg');

/** The module's bytes, compiled from kernels.wat. */
export async function compileKernels() {
  const wabt = await initWabt();
  const mod = wabt.parseWat('kernels.wat', readFileSync(join(dir, 'kernels.wat'), 'utf8'), { simd: true, bulk_memory: true });
  try {
    mod.validate();
    return Uint8Array.from(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

/** The text of kernels.wasm.ts for these bytes. */
export function kernelsSource(bytes) {
  const lines = [];
  for (let k = 0; k < bytes.length; k += 32) lines.push(`  ${Array.from(bytes.subarray(k, k + 32)).join(', ')},`);
  return [
    '// Generated from kernels.wat by `npm run gen:wasm` (scripts/gen-wasm.mjs); do not edit.',
    `/** The WebAssembly module of kernels.wat, ${bytes.length} bytes. */`,
    'export const KERNELS_WASM = new Uint8Array([',
    ...lines,
    ']);',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  compileKernels().then((bytes) => {
    writeFileSync(join(dir, 'kernels.wasm.ts'), kernelsSource(bytes));
    console.log(`src/core/analog/linalg/kernels.wasm.ts: ${bytes.length} bytes`);
  });
}
