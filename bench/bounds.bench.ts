import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { computeEnergyBounds, resolveBoundInputs, lnGamma } from '../src/core';
import { record, throughput, percentile } from './harness';

// Bound evaluation: the full four-model evaluation with walls, as a hover or a sweep point needs it.
let n = 0;
const inputs = resolveBoundInputs({ params: 7e9, flops: 6 * 7e9 * 2e12, bits: 16 });
const full = throughput(() => {
  n++;
  return computeEnergyBounds({ ...inputs, params: 7e9 + (n & 1023) });
});
record({ name: 'bounds: computeEnergyBounds (4 models + walls)', value: full.perSecond, unit: 'evaluations/s', samples: full.calls });

const lg = throughput(() => lnGamma(1.8e12 + (n++ & 1023)));
record({ name: 'bounds: lnGamma, Stirling branch', value: lg.perSecond, unit: 'calls/s', samples: lg.calls });
const lgSmall = throughput(() => lnGamma(2.5 + (n++ & 7)));
record({ name: 'bounds: lnGamma, x < 16 (recurrence + series)', value: lgSmall.perSecond, unit: 'calls/s', samples: lgSmall.calls });

// CLI cold start: a fresh Node process running `lim-lens bounds --preset brain-scale --json`.
const cli = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('bench: dist/cli.js is missing; run `npm run build` first');
  process.exit(1);
}
function coldStart(args: string[]): number[] {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  }
  return times.sort((a, b) => a - b);
}
const baseline = coldStart(['-e', '0']);
record({ name: 'node: bare start (node -e 0), baseline', value: percentile(baseline, 50), unit: 'ms (p50)', p50Ms: percentile(baseline, 50), p99Ms: percentile(baseline, 99), samples: baseline.length });
const times = coldStart([cli, 'bounds', '--preset', 'brain-scale', '--json']);
record({ name: 'cli: cold start, bounds --preset brain-scale --json', value: percentile(times, 50), unit: 'ms (p50)', p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), samples: times.length });
