// Runs every test/unit/**/*.test.ts with Node's built-in test runner (TypeScript through tsx).
// Node 20's --test does not expand globs, so the files are listed here. Extra arguments are passed through
// (e.g. a file filter: npm run test:unit -- bounds).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { installSharedFixtures } from './shared-fixtures.mjs';

const root = new URL('..', import.meta.url).pathname;

// Fixture files that come from the workplace's shared data are put in place first (scripts/shared-fixtures.mjs).
const missingShared = installSharedFixtures();
if (missingShared.length > 0) {
  console.error(`the workplace's shared data is not here, so these fixture files are missing (set LIM_SHARED_DIR to its folder):\n  ${missingShared.join('\n  ')}`);
  process.exit(1);
}
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passthrough = process.argv.slice(2).filter((a) => a.startsWith('-'));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

const files = walk(join(root, 'test/unit'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no unit test files matched ${filters.join(', ') || 'test/unit/**/*.test.ts'}`);
  process.exit(1);
}
const reporter = process.env.UNIT_REPORTER ?? 'spec';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, ...passthrough, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
