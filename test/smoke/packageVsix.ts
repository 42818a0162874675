// Packages the built extension into a .vsix with @vscode/vsce, the way it would be published. The files vsce
// needs are copied to a staging folder first, so a build started meanwhile in the working tree (it empties
// dist/) cannot end up half in the package.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tail } from '../harness/lifecycle';
import { ROOT } from '../harness/paths';

const NEEDED = ['dist/extension.js', 'dist/worker.js', 'dist/webview/dashboard.js', 'dist/webview/sidebar.js', 'dist/THIRD_PARTY_NOTICES.md'];

export function packageVsix(outDir: string): string {
  for (const f of NEEDED) if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run npm run build first`);
  const stage = join(outDir, 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'dist', 'media', 'data']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing from the project`);
    cpSync(join(ROOT, f), join(stage, f), { recursive: true });
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

/** The entry names of a .vsix (a zip), read from its central directory. */
export function vsixEntries(vsix: string): string[] {
  const buf = readFileSync(vsix);
  // The end-of-central-directory record: signature, then (at +10) the entry count and (at +16) the directory's offset.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${vsix} is not a zip file (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  const names: string[] = [];
  for (let i = 0, at = buf.readUInt32LE(eocd + 16); i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${vsix}: damaged central directory at byte ${at}`);
    const nameLength = buf.readUInt16LE(at + 28);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return names;
}
