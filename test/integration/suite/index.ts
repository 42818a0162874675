// The extension-test entry point (extensionTestsPath): VS Code loads this in the extension host and awaits run().
// Runs every *.test.js bundled next to it with mocha (tdd UI: suite/test/suiteSetup) and prints one count line,
// "mocha: N passed, N failed" (", N skipped" where tests were skipped), which the code-server runner and
// scripts/test-all.mjs read.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The code-server runner (runInCodeServer.ts) sets these; helpers.ts's uiAvailable() reads the same. */
const UNDER_RUNNER = !!process.env.LIM_TEST_OUTPUT_DIR && !!process.env.LIM_SCREENSHOT_DIR;

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false,
    timeout: 120_000, // a webview may wait 30 s for code-server's service worker (docs/testing.md)
    slow: 5_000,
    forbidOnly: true,
    // Under the code-server runner (CI, npm test) every test applies, so a skipped test is a failure. In a desktop
    // VS Code (LIM_VSCODE_EXECUTABLE) the steps that click the workbench cannot run: those tests skip, each saying
    // what it did not check (helpers.ts: skipWithoutUi), and the count line reports them.
    forbidPending: UNDER_RUNNER,
    ...(process.env.LIM_TEST_GREP ? { grep: process.env.LIM_TEST_GREP } : {}),
  });
  for (const f of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passes = runner.stats?.passes ?? 0;
        const pending = runner.stats?.pending ?? 0;
        console.log(`mocha: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else if (passes === 0) reject(new Error('no integration test ran (check LIM_TEST_GREP)'));
        else resolve();
      });
    } catch (e) {
      console.log('mocha: 0 passed, 1 failed');
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
