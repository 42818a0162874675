// What checking a message costs (src/protocol's schemas, valibot), per message type, beside what carrying it costs
// anyway (JSON.stringify + JSON.parse, as VS Code passes webview messages), and what the schemas add to each bundle
// (a production build in memory, as scripts/build.mjs --production makes it; bytes per input from esbuild's metafile).
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { resolveBoundInputs } from '../src/core';
import { DEFAULT_SIMULATION_SETTINGS, DashboardToHost, HostToDashboard } from '../src/protocol/dashboard';
import { HostToSidebar } from '../src/protocol/sidebar';
import { WorkerToHost } from '../src/protocol/worker';
import { parseJobPartial } from '../src/protocol/jobs';
import { HANDLERS } from '../src/worker/handlers';
import { brainScaleView, fixtureRuns, initMessage, sidebarState, simulationBatch } from '../test/webview/fixtures';
import { percentile, record, timeCalls } from './harness';

const runs = fixtureRuns();
/** A large workspace: the fixture runs repeated to 500 (ids made unique). */
const many = Array.from({ length: 500 }, (_, i) => ({ ...runs[i % runs.length], id: `${runs[i % runs.length].id}#${i}` }));
const [sim] = simulationBatch({ ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['tiki-taka'], steps: 400 }, 100);
const points = sim.messages.find((m) => m.type === 'simPoints');
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const cases: Array<[string, { parse(x: unknown): { ok: boolean } }, unknown]> = [
  ['sidebar state, 500 runs', HostToSidebar, json(sidebarState(many))],
  [`sidebar state, ${runs.length} runs (fixture workspace)`, HostToSidebar, json(sidebarState(runs))],
  ['dashboard runs, 500 runs', HostToDashboard, json({ type: 'runs', runs: many })],
  ['dashboard energy (brain-scale view)', HostToDashboard, json({ type: 'energy', view: brainScaleView(), requestId: 1 })],
  ['dashboard init', HostToDashboard, json(initMessage())],
  ['dashboard simPoints, 100 points', HostToDashboard, json(points)],
  ['dashboard → host select', DashboardToHost, { type: 'select', selection: runs[0].id, requestId: 3 }],
  ['dashboard → host simulate', DashboardToHost, { type: 'simulate', settings: DEFAULT_SIMULATION_SETTINGS, sweep: { param: 'tau', values: [0.3, 0.6, 1.2] } }],
  ['worker → host progress', WorkerToHost, { type: 'progress', id: 9, fraction: 0.5 }],
  ['worker → host result (bounds)', WorkerToHost, { type: 'result', id: 9, data: HANDLERS.bounds(resolveBoundInputs({ params: 7e9, flops: 5.88e21 }), undefined as never) }],
];

for (const [name, family, message] of cases) {
  if (!family.parse(message).ok) throw new Error(`${name}: the example is refused`);
  const bytes = JSON.stringify(message).length;
  const samples = bytes > 100_000 ? 200 : 2_000;
  const check = timeCalls(() => family.parse(message), samples);
  const carry = timeCalls(() => JSON.parse(JSON.stringify(message)), samples);
  const p50 = percentile(check, 50);
  record({
    name: `protocol: parse ${name}`,
    value: p50 * 1000,
    unit: 'µs (p50)',
    p50Ms: p50,
    p99Ms: percentile(check, 99),
    samples,
    note: `${(bytes / 1024).toFixed(1)} KB as JSON; JSON round trip p50 ${(percentile(carry, 50) * 1000).toFixed(1)} µs`,
  });
}

{
  const pts = json(points && points.type === 'simPoints' ? points.points : []);
  const t = timeCalls(() => parseJobPartial('simulate', pts), 2_000);
  record({ name: 'protocol: parseJobPartial simulate, 100 points', value: percentile(t, 50) * 1000, unit: 'µs (p50)', p50Ms: percentile(t, 50), p99Ms: percentile(t, 99), samples: 2_000 });
}

// Bundle sizes: what src/protocol and valibot weigh in each bundle, minified as the package ships them.
const root = join(__dirname, '..');
const common = { absWorkingDir: root, bundle: true, minify: true, write: false, metafile: true, logLevel: 'error' as const, define: { LIM_LENS_VERSION: '"bench"' } };
const builds: Array<[string, esbuild.BuildOptions]> = [
  ['extension', { ...common, platform: 'node', format: 'cjs', target: 'node20', entryPoints: ['src/extension/extension.ts'], outfile: 'out/extension.js', external: ['vscode'] }],
  ['worker', { ...common, platform: 'node', format: 'cjs', target: 'node20', entryPoints: ['src/worker/worker.ts'], outfile: 'out/worker.js', alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' } }],
  ['webview', { ...common, platform: 'browser', format: 'iife', target: 'chrome120', entryPoints: { dashboard: 'webview/dashboard/main.ts', sidebar: 'webview/sidebar/main.ts' }, outdir: 'out/webview' }],
];
void (async () => {
  for (const [, options] of builds) {
    const r = await esbuild.build(options);
    for (const f of r.outputFiles ?? []) {
      if (!f.path.endsWith('.js')) continue;
      const key = Object.keys(r.metafile?.outputs ?? {}).find((k) => f.path.endsWith(k));
      const inputs = key ? r.metafile!.outputs[key].inputs : {};
      let protocol = 0;
      let valibot = 0;
      for (const [input, x] of Object.entries(inputs)) {
        if (input.startsWith('src/protocol/')) protocol += x.bytesInOutput;
        if (input.includes('node_modules/valibot/')) valibot += x.bytesInOutput;
      }
      const bundle = f.path.slice(f.path.indexOf('out/') + 4);
      record({
        name: `protocol: bundle ${bundle}`,
        value: f.contents.length,
        unit: 'bytes minified',
        note: `gzip ${gzipSync(f.contents, { level: 9 }).length} B; src/protocol ${protocol} B, valibot ${valibot} B`,
      });
    }
  }
})();
