// Runs every bench/*.bench.ts (or those matching the arguments) in its own Node process and prints one table.
// Usage: npm run bench [-- filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { installSharedFixturesOrExit } from './shared-fixtures.mjs';

const root = new URL('..', import.meta.url).pathname;

// Fixture files that come from the workplace's shared data are put in place first (scripts/shared-fixtures.mjs).
installSharedFixturesOrExit();
const filters = process.argv.slice(2);
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

const results = [];
let failed = 0;
for (const f of files) {
  process.stderr.write(`running bench/${f} …\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join('bench', f)], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  for (const line of r.stdout.split('\n')) {
    const t = line.trim();
    if (t.startsWith('BENCH_RESULT ')) results.push({ file: f, ...JSON.parse(t.slice(13)) });
    else if (line.trim()) process.stderr.write(`  ${line}\n`);
  }
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench/${f} failed (exit ${r.status}):\n${r.stderr}\n`);
  }
}

const fmt = (x) => (x === undefined ? '' : Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-2 && x !== 0) ? x.toExponential(3) : x.toFixed(x >= 100 ? 0 : 3));
const rows = results.map((r) => [r.name, `${fmt(r.value)} ${r.unit}`, fmt(r.p50Ms), fmt(r.p99Ms), r.note ?? '']);
const head = ['benchmark', 'result', 'p50 ms', 'p99 ms', 'note'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
process.exit(failed ? 1 : 0);
