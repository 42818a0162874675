// Runs <dir>/**/*.test.ts with Node's built-in test runner (TypeScript through tsx), one file at a time: the
// webview tests (test/webview) and the UI smoke test (test/smoke) each drive a browser, and the machine may
// have two cores. The files are listed by scripts/test-files.mjs.
// Usage: node scripts/run-node-tests.mjs <dir> [name filters…] [--node-test-flags…]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { installSharedFixturesOrExit } from './shared-fixtures.mjs';
import { testFilesOrExit } from './test-files.mjs';

const root = new URL('..', import.meta.url).pathname;

// Fixture files that come from the workplace's shared data are put in place first (scripts/shared-fixtures.mjs).
installSharedFixturesOrExit();
const [dir, ...rest] = process.argv.slice(2);
if (!dir || !existsSync(join(root, dir))) {
  console.error(`usage: node scripts/run-node-tests.mjs <dir with *.test.ts> [filters]  (got ${dir ?? 'nothing'})`);
  process.exit(1);
}
const filters = rest.filter((a) => !a.startsWith('-'));
const passthrough = rest.filter((a) => a.startsWith('-'));

const files = testFilesOrExit(dir, filters);
const r = spawnSync(
  process.execPath,
  // --test-timeout: a bound for every test that sets none (they drive browsers; nothing should wait forever).
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=300000', `--test-reporter=${process.env.TEST_REPORTER ?? 'spec'}`, ...passthrough, ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
