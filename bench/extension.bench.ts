// The extension in a real VS Code (code-server + Chromium, the integration-test launcher): activation, hover
// latency on a large config, CodeLens, time to first chart; plus bundle sizes and the bundle's load time.
import Module from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { record } from './harness';
import { runInEditor } from './inEditor';

const ROOT = join(__dirname, '..');
const dist = join(ROOT, 'dist');
if (!existsSync(join(dist, 'extension.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(1);
}

// Bundle sizes: what the .vsix ships (source maps excluded), raw and gzipped.
const bundles = [['extension host', 'extension.js'], ['worker', 'worker.js'], ['CLI', 'cli.js'], ['dashboard webview', 'webview/dashboard.js'], ['sidebar webview', 'webview/sidebar.js']] as const;
for (const [label, rel] of bundles) {
  const bytes = readFileSync(join(dist, rel));
  record({ name: `bundle: ${label} (dist/${rel})`, value: bytes.length / 1024, unit: 'KiB', note: `${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzipped` });
}
const production = readdirSync(join(dist, 'webview')).length > 0 && !existsSync(join(dist, 'extension.js.map'));
console.error(`bench: bundles are ${production ? 'minified (production)' : 'unminified (npm run build); `node scripts/build.mjs --production` minifies'}`);

// Loading the extension bundle (parse + evaluate), which VS Code does before calling activate().
const load: number[] = [];
const original = (Module as unknown as { _load: (r: string, ...a: unknown[]) => unknown })._load;
(Module as unknown as { _load: unknown })._load = function (request: string, ...rest: unknown[]) {
  // Only what the bundle touches while loading: the test hooks' event emitter. activate() is not called here.
  if (request === 'vscode') return { EventEmitter: class { event = () => ({ dispose() {} }); fire() {} dispose() {} } };
  return original.call(this, request, ...rest);
};
for (let i = 0; i < 20; i++) {
  delete require.cache[require.resolve(join(dist, 'extension.js'))];
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- timing CommonJS loading is the point
  require(join(dist, 'extension.js'));
  load.push(performance.now() - t0);
}
(Module as unknown as { _load: unknown })._load = original;
load.sort((a, b) => a - b);
record({ name: 'extension: load dist/extension.js (parse + evaluate)', value: load[10], unit: 'ms (p50)', p50Ms: load[10], p99Ms: load[19], samples: 20 });

async function inEditor(): Promise<void> {
  await runInEditor({ entry: join(__dirname, 'editor', 'suite.ts'), outDir: join(ROOT, 'out', 'bench', 'editor'), workspace: join(ROOT, 'test', 'fixtures', 'workspace') });
}

inEditor().catch((e: unknown) => {
  console.error(`bench: the in-editor benchmark failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
