import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Runs the built CLI as a user would; fails clearly when the bundle has not been built. */
export function runCli(args: string[], opts: { cwd?: string; input?: string } = {}) {
  assert.ok(existsSync(CLI), `dist/cli.js is missing: run \`npm run build\` before the unit tests (npm test does)`);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: opts.cwd, input: opts.input, maxBuffer: 256 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI's main() in this process (no build needed), collecting what it prints. */
export async function runInProcess(args: string[]) {
  const { main } = await import('../../../src/cli/main');
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}
