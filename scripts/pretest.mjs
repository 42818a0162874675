// Runs before `npm test`: installs what the real-editor tests need (Debian packages, code-server) into the
// project's git-ignored .vscode-test/ folder. Idempotent; fast when everything is present.
//
// If the install fails, this still exits 0 so that `npm test` goes on and ends with its "N passed, N failed"
// line: the webview, integration and smoke stages then fail, each saying what is missing (they read
// .vscode-test/install-error.txt), while type-check, lint, build and unit tests still report.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const script = `${root}scripts/install-test-harness.sh`;
if (!existsSync(script)) process.exit(0);
const t0 = Date.now();
const r = spawnSync('bash', [script], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.error(
    `\n[pretest] the test harness could not be installed (exit ${r.status ?? r.signal}); the browser and editor test stages will fail.\n` +
      '[pretest] see the message above and .vscode-test/install.log; retry with: npm run test:setup\n',
  );
} else if (Date.now() - t0 > 5000) {
  console.log(`[pretest] harness installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
process.exit(0);
