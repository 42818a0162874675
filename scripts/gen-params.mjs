// Regenerates what the parameter registry (src/core/params/registry.ts) decides: the `contributes.configuration`
// block of package.json and the defaults tables of docs/settings.md. `npm run gen` writes them; `--check` only
// says whether they are current (test/unit/params.test.ts fails on any difference too).
// Run through tsx (the registry is TypeScript): node --import tsx scripts/gen-params.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// tsx loads the TypeScript as CommonJS, so its exports arrive on the default export.
import params from '../src/core/params/index.ts';

const { docsTables, replaceMarkedBlock, withConfigurationBlock } = params;

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const targets = [
  ['package.json', (text) => withConfigurationBlock(text)],
  ['docs/settings.md', (text) => replaceMarkedBlock(text, docsTables())],
];
let stale = 0;
for (const [file, generate] of targets) {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = generate(before);
  if (after === before) continue;
  stale++;
  if (check) console.error(`${file} is not what the parameter registry generates: run npm run gen`);
  else {
    writeFileSync(path, after);
    console.log(`${file}: regenerated from src/core/params/registry.ts`);
  }
}
process.exit(check && stale > 0 ? 1 : 0);
