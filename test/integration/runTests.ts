// `npm run test:integration`: bundles the suite (test/integration/suite → out/test/integration) and runs it in
// the extension host of a real VS Code through @vscode/test-electron's runTests().
//
// Here (no Electron VS Code can be downloaded) vscodeExecutablePath is launcher/code-server-as-code.sh, which
// runs the suite in code-server + Chromium. On a desktop with VS Code: LIM_VSCODE_EXECUTABLE=/path/to/code runs
// the same suite in that VS Code, and LIM_VSCODE_DOWNLOAD=1 lets test-electron download one (needs internet).
// Arguments are mocha --grep patterns: npm run test:integration -- worker
import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { FIXTURE_WORKSPACE, ROOT } from '../harness/paths';

const SUITE_DIR = join(ROOT, 'test', 'integration', 'suite');
const OUT_DIR = join(ROOT, 'out', 'test', 'integration');

/** One CommonJS file per test file plus index.js; `vscode` comes from the extension host, mocha from node_modules. */
export async function bundleSuite(): Promise<string> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  const entries = readdirSync(SUITE_DIR).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
  await esbuild.build({
    entryPoints: entries.map((f) => join(SUITE_DIR, f)),
    outdir: OUT_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(OUT_DIR, 'index.js');
}

async function main(): Promise<number> {
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
    console.error('dist/extension.js is missing: run `npm run build` first (npm run test:integration does).');
    console.log('integration: 0 passed, 1 failed');
    return 1;
  }
  // Fixture files that come from the workplace's shared data are put in place first (scripts/shared-fixtures.mjs).
  if (spawnSync(process.execPath, [join(ROOT, 'scripts', 'shared-fixtures.mjs')], { stdio: 'inherit' }).status !== 0) {
    console.log('integration: 0 passed, 1 failed');
    return 1;
  }
  const extensionTestsPath = await bundleSuite();
  const grep = process.argv.slice(2).join('|');
  const desktop = process.env.LIM_VSCODE_EXECUTABLE;
  const vscodeExecutablePath = desktop ?? (process.env.LIM_VSCODE_DOWNLOAD === '1' ? undefined : join(__dirname, 'launcher', 'code-server-as-code.sh'));
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath,
      launchArgs: [FIXTURE_WORKSPACE, '--disable-extensions'],
      // (the code-server runner sets LIM_SCREENSHOT_DIR itself; a desktop VS Code has no one to take them)
      extensionTestsEnv: grep ? { LIM_TEST_GREP: grep } : {},
    });
    return 0;
  } catch (e) {
    // The runner has printed the details and the closing count line; test-electron only says "Failed".
    console.error(`integration tests failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    console.log('integration: 0 passed, 1 failed');
    process.exit(1);
  },
);
