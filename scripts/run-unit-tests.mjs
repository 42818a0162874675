// Runs every test/unit/**/*.test.ts with Node's built-in test runner (TypeScript through tsx).
// The files are listed by scripts/test-files.mjs. Extra arguments are passed through
// (e.g. a file filter: npm run test:unit -- bounds).
import { spawnSync } from 'node:child_process';
import { installSharedFixturesOrExit } from './shared-fixtures.mjs';
import { testFilesOrExit } from './test-files.mjs';

const root = new URL('..', import.meta.url).pathname;

// Fixture files that come from the workplace's shared data are put in place first (scripts/shared-fixtures.mjs).
installSharedFixturesOrExit();
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passthrough = process.argv.slice(2).filter((a) => a.startsWith('-'));

const files = testFilesOrExit('test/unit', filters);
const reporter = process.env.UNIT_REPORTER ?? 'spec';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, ...passthrough, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
