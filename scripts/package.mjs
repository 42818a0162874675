// Packages the extension into a .vsix with @vscode/vsce: `npm run package` (a production build, then
// lim-lens-<version>.vsix here), or `node scripts/package.mjs --no-build --out FILE` (the UI smoke test, on the build
// in dist/). The files vsce needs are copied to a staging folder first, so a build started meanwhile in the working
// tree (it empties dist/) cannot end up half in the package. README links stay relative and its pictures are
// packaged, so VS Code's extension page shows them without fetching anything.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outAt = args.indexOf('--out');
const out = resolve(outAt >= 0 ? args[outAt + 1] : join(root, `${pkg.name}-${pkg.version}.vsix`));
const NEEDED = ['dist/extension.js', 'dist/worker.js', 'dist/cli.js', 'dist/webview/dashboard.js', 'dist/webview/sidebar.js', 'dist/THIRD_PARTY_NOTICES.md', 'dist/GLOSSARY.md', 'dist/tree-sitter.wasm', 'dist/tree-sitter-python.wasm'];
const STAGED = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'dist', 'media', 'data', 'docs/images'];

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

if (!args.includes('--no-build')) {
  const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) fail('the build failed');
}
for (const f of NEEDED) if (!existsSync(join(root, f))) fail(`${f} is missing: run npm run build first`);
const stage = join(dirname(out), `.${pkg.name}-stage`);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const f of STAGED) {
  if (!existsSync(join(root, f))) fail(`${f} is missing from the project`);
  cpSync(join(root, f), join(stage, f), { recursive: true });
}
for (const f of NEEDED) if (!existsSync(join(stage, f))) fail(`${f} vanished while staging (a build running at the same time?)`);
rmSync(out, { force: true });
// No `repository` in package.json (nothing is published yet): vsce is told so, and leaves README's links alone.
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], { cwd: stage, encoding: 'utf8', timeout: 180_000 });
rmSync(stage, { recursive: true, force: true });
if (r.status !== 0 || !existsSync(out)) fail(`vsce package failed (exit ${r.status ?? r.signal}):\n${`${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-30).join('\n')}`);
console.log(out);
