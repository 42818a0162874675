/**
 * Runs a benchmark suite in the extension host of a real VS Code (code-server, through the integration tests'
 * launcher): bundles `entry` for Node with `vscode` left external, then opens `workspace` with only LIM Lens loaded.
 */
import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

export async function runInEditor(opts: { entry: string; outDir: string; workspace: string; env?: Record<string, string> }): Promise<void> {
  await esbuild.build({
    entryPoints: [opts.entry],
    outfile: join(opts.outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const codeServer = join(ROOT, '.vscode-test', 'code-server');
  if (!existsSync(codeServer) || !statSync(codeServer).isDirectory()) throw new Error('code-server is not installed: run `npm run test:setup` first');
  await runTests({
    vscodeExecutablePath: join(ROOT, 'test', 'integration', 'launcher', 'code-server-as-code.sh'),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(opts.outDir, 'index.js'),
    // The launcher copies the folder into its sandbox (test/harness/workspace.ts) and opens the copy.
    launchArgs: [opts.workspace, '--disable-extensions'],
    ...(opts.env ? { extensionTestsEnv: opts.env } : {}),
  });
}
