// `npm test`: every check in order, each one's output streamed, then one closing line CI reads:
// "N passed, N failed". A stage that cannot run (a missing tool, a failed install) counts as failed with a
// message saying why; nothing is skipped silently.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;

/** How to read a stage's own pass/fail counts from its output; stages without one count as one check. */
const nodeTestCounts = (out) => {
  const pass = /^ℹ pass (\d+)$/m.exec(out);
  const fail = /^ℹ fail (\d+)$/m.exec(out);
  // A test cancelled because its suite's `before` failed did not pass either.
  const cancelled = /^ℹ cancelled (\d+)$/m.exec(out);
  return pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) + Number(cancelled?.[1] ?? 0) } : undefined;
};
export const plainCounts = (out) => {
  const all = [...out.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed/gm)];
  const last = all.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : undefined;
};

export const STAGES = [
  { name: 'type-check', cmd: ['npm', 'run', '--silent', 'check-types'] },
  { name: 'lint', cmd: ['npm', 'run', '--silent', 'lint'] },
  { name: 'build', cmd: ['npm', 'run', '--silent', 'build'], required: true },
  { name: 'unit tests', cmd: ['node', 'scripts/run-unit-tests.mjs'], counts: nodeTestCounts },
  // Real configs from public repositories (the workplace's shared corpus, read in place): to-dos are its known gaps.
  { name: 'real-file tests', cmd: ['node', 'scripts/run-node-tests.mjs', 'test/realworld'], counts: nodeTestCounts },
  // The real-browser and real-editor stages (docs/testing.md). They need the harness that `pretest` installs
  // (scripts/install-test-harness.sh); without it each fails with a message saying what is missing.
  { name: 'webview tests', cmd: ['node', 'scripts/run-node-tests.mjs', 'test/webview'], counts: nodeTestCounts, timeoutMs: 10 * 60_000 },
  { name: 'integration tests', cmd: ['node', '--import', 'tsx', 'test/integration/runTests.ts'], counts: plainCounts, timeoutMs: 15 * 60_000 },
  { name: 'UI smoke test', cmd: ['node', 'scripts/run-node-tests.mjs', 'test/smoke'], counts: nodeTestCounts, timeoutMs: 15 * 60_000 },
];

let interrupted;

function run(stage) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(stage.cmd[0], stage.cmd.slice(1), {
      cwd: root,
      env: { ...process.env, ...(stage.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout can stop everything it started
    });
    let out = '';
    let timer;
    if (stage.timeoutMs) {
      timer = setTimeout(() => {
        const msg = `\n${stage.name}: stopped after ${stage.timeoutMs / 60_000} min (stage timeout)\n`;
        out += msg;
        process.stderr.write(msg);
        for (const [sig, delay] of [['SIGTERM', 0], ['SIGKILL', 10_000]]) {
          setTimeout(() => {
            try {
              process.kill(-child.pid, sig);
            } catch {
              // already gone
            }
          }, delay).unref();
        }
      }, stage.timeoutMs);
    }
    // Ctrl+C / SIGTERM: the stage runs in its own process group, so pass the stop on, then stop the run.
    const stopGroup = (sig) => {
      interrupted = sig;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    process.once('SIGINT', stopGroup);
    process.once('SIGTERM', stopGroup);
    const relay = (stream) => (d) => {
      const s = d.toString();
      out += s;
      // Keep the stages' own "N passed, N failed" lines from being mistaken for the final summary.
      stream.write(s.replace(/^(\d+ passed, \d+ failed)/gm, '  $1'));
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('error', (e) => {
      clearTimeout(timer);
      out += String(e);
      resolve({ code: 127, out, ms: performance.now() - t0 });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      process.off('SIGINT', stopGroup);
      process.off('SIGTERM', stopGroup);
      resolve({ code: code ?? 1, out, ms: performance.now() - t0 });
    });
  });
}

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const summary = [];
for (const stage of STAGES) {
  if (only.length && !only.some((o) => stage.name.includes(o))) continue;
  console.log(`\n━━ ${stage.name} ━━`);
  const { code, out, ms } = await run(stage);
  let counts = stage.counts?.(out);
  if (!counts) counts = code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  else if (code !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 }; // crashed after reporting
  passed += counts.passed;
  failed += counts.failed;
  summary.push(`${code === 0 ? '✔' : '✖'} ${stage.name}: ${counts.passed} passed, ${counts.failed} failed (${(ms / 1000).toFixed(1)} s)`);
  if (interrupted) {
    summary.push(`  stopped: ${interrupted}`);
    failed += 1;
    break;
  }
  if (stage.required && code !== 0) {
    summary.push(`  stopped: later stages need ${stage.name}`);
    break;
  }
}
console.log('\n━━ summary ━━');
for (const line of summary) console.log(line.replace(/(\d+) passed, (\d+) failed/, '$1 ok, $2 not ok'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
