// The *.test.ts files under a folder of the repository whose path contains one of the filters (all without filters),
// sorted, as paths relative to the repository. Node 20's --test does not expand globs, so the runners list them.
// None matching: says so and exits 1.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

export function testFilesOrExit(dir, filters) {
  const files = walk(join(root, dir))
    .map((f) => relative(root, f))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .sort();
  if (files.length === 0) {
    console.error(`no test files matched ${filters.join(', ') || `${dir}/**/*.test.ts`}`);
    process.exit(1);
  }
  return files;
}
