// The extension-test entry point (extensionTestsPath): VS Code loads this in the extension host and awaits run().
// Runs every *.test.js bundled next to it with mocha (tdd UI: suite/test/suiteSetup) and prints one count line,
// "mocha: N passed, N failed", which the code-server runner and scripts/test-all.mjs read.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false,
    timeout: 120_000, // a webview may wait 30 s for code-server's service worker (docs/testing.md)
    slow: 5_000,
    forbidOnly: true,
    forbidPending: true, // a skipped test is a failure: nothing is skipped silently
    ...(process.env.LIM_TEST_GREP ? { grep: process.env.LIM_TEST_GREP } : {}),
  });
  for (const f of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passes = runner.stats?.passes ?? 0;
        console.log(`mocha: ${passes} passed, ${failures} failed`);
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
