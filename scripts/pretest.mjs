// Runs before `npm test`: installs what the real-editor tests need (Debian packages, code-server) into the
// project's git-ignored .vscode-test/ folder. Idempotent; fast when everything is present.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const script = `${root}scripts/install-test-harness.sh`;
if (!existsSync(script)) process.exit(0);
const r = spawnSync('bash', [script], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
