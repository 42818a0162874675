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
  return pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : undefined;
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
];

function run(stage) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(stage.cmd[0], stage.cmd.slice(1), {
      cwd: root,
      env: { ...process.env, ...(stage.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const relay = (stream) => (d) => {
      const s = d.toString();
      out += s;
      // Keep the stages' own "N passed, N failed" lines from being mistaken for the final summary.
      stream.write(s.replace(/^(\d+ passed, \d+ failed)/gm, '  $1'));
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('error', (e) => {
      out += String(e);
      resolve({ code: 127, out, ms: performance.now() - t0 });
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out, ms: performance.now() - t0 }));
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
  if (stage.required && code !== 0) {
    summary.push(`  stopped: later stages need ${stage.name}`);
    break;
  }
}
console.log('\n━━ summary ━━');
for (const line of summary) console.log(line.replace(/(\d+) passed, (\d+) failed/, '$1 ok, $2 not ok'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
