// Bundles every entry point with esbuild: extension host, worker, CLI (Node, CommonJS) and the webviews
// (browser, IIFE). `--production` minifies; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Prints esbuild's errors as file:line:col so VS Code's problem matcher (and people) can jump to them. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onEnd((r) => {
      for (const { text, location } of r.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  define: { LIM_LENS_VERSION: JSON.stringify(pkg.version) },
  plugins: [problemMatcher],
};

// web-tree-sitter's ES module finds its folder through import.meta.url, which a CommonJS bundle does not have: the
// Node bundles take its CommonJS build (the WebAssembly is passed in as bytes either way).
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' } };
const browser = { ...common, platform: 'browser', format: 'iife', target: 'chrome120' };

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/worker/worker.ts'], outfile: 'dist/worker.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The worker threads of lim-lens simulate's sweeps and comparisons (src/node/pool.ts), beside dist/cli.js.
  { ...node, entryPoints: ['src/node/poolSimulation.ts'], outfile: 'dist/simulate-worker.js' },
  { ...browser, entryPoints: { dashboard: 'webview/dashboard/main.ts', sidebar: 'webview/sidebar/main.ts' }, outdir: 'dist/webview' },
];

function copyAssets() {
  // Codicons are a font + stylesheet that the webviews load through asWebviewUri.
  const codicons = join(root, 'node_modules/@vscode/codicons/dist');
  mkdirSync(join(root, 'dist/codicons'), { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(join(codicons, f), join(root, 'dist/codicons', f));
  // tree-sitter's runtime and its Python grammar (WebAssembly), loaded by the worker and the CLI beside their bundles.
  cpSync(join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'), join(root, 'dist/tree-sitter.wasm'));
  cpSync(join(root, 'node_modules/tree-sitter-python/tree-sitter-python.wasm'), join(root, 'dist/tree-sitter-python.wasm'));
  chmodSync(join(root, 'dist/cli.js'), 0o755);
}

/** The npm package folder an esbuild input comes from: the last "node_modules/[@scope/]name/" of its path. */
function packageOf(input) {
  const m = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
  return m ? m[1] : undefined;
}

/**
 * dist/THIRD_PARTY_NOTICES.md: the license of every package the bundles contain (read from esbuild's metafiles,
 * so a new dependency is listed without anyone remembering to), of the copied codicons, and of the bundled data.
 */
function writeNotices(metafiles) {
  // Copied, not bundled: the codicons and tree-sitter's Python grammar (dist/tree-sitter-python.wasm).
  const dirs = new Set(['node_modules/@vscode/codicons', 'node_modules/tree-sitter-python', 'node_modules/web-tree-sitter']);
  for (const m of metafiles) for (const input of Object.keys(m.inputs)) {
    const dir = packageOf(input);
    if (dir) dirs.add(dir);
  }
  const packages = [...dirs].map((d) => ({ dir: join(root, d), meta: JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')) }));
  packages.sort((a, b) => a.meta.name.localeCompare(b.meta.name) || a.meta.version.localeCompare(b.meta.version));
  const parts = ['# Third-party notices', '', 'LIM Lens bundles the following software and data. Their licenses follow.', ''];
  for (const { dir, meta } of packages) {
    const name = meta.name;
    parts.push(`## ${name} ${meta.version} (${meta.license})`, '');
    const files = readdirSync(dir).filter((f) => /^(licen[cs]e|notice)/i.test(f)).sort();
    if (files.length === 0) throw new Error(`${name}: no LICENSE file to include in the notices`);
    for (const f of files) parts.push('```text', readFileSync(join(dir, f), 'utf8').trim(), '```', '');
  }
  parts.push('## Data: UCI Optical Recognition of Handwritten Digits (CC BY 4.0)', '', readFileSync(join(root, 'data/README.md'), 'utf8').replace(/^# .*\n+/, '').trim(), '');
  writeFileSync(join(root, 'dist/THIRD_PARTY_NOTICES.md'), parts.join('\n'));
}

/**
 * dist/meta/<bundle>.json: esbuild's metafile of each bundle (which source files went into it, and how many bytes
 * each), named after its output file. Not packaged (.vscodeignore lists what is); test/unit/architecture.test.ts
 * reads dist/meta/extension.json to check that the extension host bundle carries no simulator code, and
 * https://esbuild.github.io/analyze/ draws any of them.
 */
function writeMetafiles(metafiles) {
  mkdirSync(join(root, 'dist/meta'), { recursive: true });
  for (const m of metafiles) {
    const outputs = Object.keys(m.outputs).filter((o) => o.endsWith('.js'));
    const name = outputs.length === 1 ? outputs[0].replace(/^dist\//, '').replace(/\.js$/, '').replace(/\//g, '-') : 'webview';
    writeFileSync(join(root, 'dist/meta', `${name}.json`), JSON.stringify(m));
  }
}

/**
 * dist/GLOSSARY.md, the "What do these numbers mean?" page that `limLens.showGlossary` opens: written from the one
 * glossary in src/core/glossary.ts (bundled in memory and imported here), so the page and the tooltips agree.
 */
async function writeGlossary() {
  const r = await esbuild.build({ entryPoints: ['src/core/glossary.ts'], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'warning' });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(r.outputFiles[0].text).toString('base64')}`);
  writeFileSync(join(root, 'dist/GLOSSARY.md'), mod.glossaryMarkdown());
}

process.chdir(root);
if (!watch) rmSync(join(root, 'dist'), { recursive: true, force: true });
const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
try {
  if (watch) {
    mkdirSync(join(root, 'dist'), { recursive: true });
    await writeGlossary();
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('watching for changes…');
  } else {
    const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
    if (results.some((r) => r.status === 'rejected')) process.exitCode = 1;
    else {
      copyAssets();
      writeMetafiles(results.map((r) => r.value.metafile));
      writeNotices(results.map((r) => r.value.metafile));
      await writeGlossary();
    }
  }
} finally {
  if (!watch) await Promise.all(contexts.map((c) => c.dispose()));
}
