// Runs <dir>/**/*.test.ts with Node's built-in test runner (TypeScript through tsx), one file at a time: the
// webview tests (test/webview) and the UI smoke test (test/smoke) each drive a browser, and the machine may
// have two cores. Node 20's --test does not expand globs, so the files are listed here.
// Usage: node scripts/run-node-tests.mjs <dir> [name filters…] [--node-test-flags…]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { installSharedFixtures } from './shared-fixtures.mjs';

const root = new URL('..', import.meta.url).pathname;

// Fixture files that come from the workplace's shared data are put in place first (scripts/shared-fixtures.mjs).
const missingShared = installSharedFixtures();
if (missingShared.length > 0) {
  console.error(`the workplace's shared data is not here, so these fixture files are missing (set LIM_SHARED_DIR to its folder):\n  ${missingShared.join('\n  ')}`);
  process.exit(1);
}
const [dir, ...rest] = process.argv.slice(2);
if (!dir || !existsSync(join(root, dir))) {
  console.error(`usage: node scripts/run-node-tests.mjs <dir with *.test.ts> [filters]  (got ${dir ?? 'nothing'})`);
  process.exit(1);
}
const filters = rest.filter((a) => !a.startsWith('-'));
const passthrough = rest.filter((a) => a.startsWith('-'));

const walk = (d) =>
  readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });

const files = walk(join(root, dir))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no test files matched ${filters.join(', ') || `${dir}/**/*.test.ts`}`);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  // --test-timeout: a bound for every test that sets none (they drive browsers; nothing should wait forever).
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=300000', `--test-reporter=${process.env.TEST_REPORTER ?? 'spec'}`, ...passthrough, ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
