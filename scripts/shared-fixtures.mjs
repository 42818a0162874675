// Puts the fixture files that come from the workplace's shared data (test/fixtures/shared-fixtures.json) in place,
// from ../shared beside the checkout (or LIM_SHARED_DIR), before a test or benchmark stage reads them. The copies
// are git-ignored: the shared corpus is never committed here. Run as a script, or import
// installSharedFixtures() (or installSharedFixturesOrExit()).
// Where the shared folder is absent, it says which files are missing and where it looked, and exits 1.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function installSharedFixtures() {
  const shared = process.env.LIM_SHARED_DIR ?? resolve(root, '..', 'shared');
  const { files } = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'shared-fixtures.json'), 'utf8'));
  const missing = [];
  for (const [target, source] of Object.entries(files)) {
    const from = join(shared, source);
    const to = join(root, target);
    if (!existsSync(from)) {
      if (!existsSync(to)) missing.push(`${target} (from ${from})`);
      continue;
    }
    mkdirSync(dirname(to), { recursive: true });
    rmSync(to, { force: true });
    copyFileSync(from, to);
    chmodSync(to, 0o644); // the shared folder is read-only; tests edit their copies of the fixture workspace
  }
  return missing;
}

/** installSharedFixtures(), and where files are missing: says which and where it looked, and exits 1. */
export function installSharedFixturesOrExit() {
  const missing = installSharedFixtures();
  if (missing.length > 0) {
    console.error(`the workplace's shared data is not here, so these fixture files are missing (set LIM_SHARED_DIR to its folder):\n  ${missing.join('\n  ')}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) installSharedFixturesOrExit();
