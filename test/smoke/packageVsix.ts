// Packages the built extension into a .vsix with @vscode/vsce, the way it would be published. The files vsce
// needs are copied to a staging folder first, so a build started meanwhile in the working tree (it empties
// dist/) cannot end up half in the package.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tail } from '../harness/lifecycle';
import { ROOT } from '../harness/paths';

const NEEDED = ['dist/extension.js', 'dist/worker.js', 'dist/webview/dashboard.js'];

export function packageVsix(outDir: string): string {
  for (const f of NEEDED) if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run npm run build first`);
  const stage = join(outDir, 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'THIRD_PARTY_NOTICES.md', '.vscodeignore', 'dist', 'media']) {
    if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(stage, f), { recursive: true });
  }
  for (const f of NEEDED) if (!existsSync(join(stage, f))) throw new Error(`${f} vanished while staging (a build running at the same time?)`);
  const vsix = join(outDir, 'lim-lens.vsix');
  rmSync(vsix, { force: true });
  const vsce = join(ROOT, 'node_modules', '.bin', 'vsce');
  // package.json has no `repository` yet, so vsce cannot resolve README's relative links; give it a base URL
  // (.invalid never resolves, so a page that tried to load one would trip the loopback guard).
  const r = spawnSync(
    vsce,
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--baseContentUrl', 'https://lim-lens.invalid/', '--baseImagesUrl', 'https://lim-lens.invalid/', '-o', vsix],
    { cwd: stage, encoding: 'utf8', timeout: 180_000 },
  );
  if (r.status !== 0 || !existsSync(vsix)) throw new Error(`vsce package failed (exit ${r.status ?? r.signal}):\n${tail(`${r.stdout ?? ''}${r.stderr ?? ''}`, 30)}`);
  return vsix;
}
