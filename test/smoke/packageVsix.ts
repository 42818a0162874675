// Packages the built extension into a .vsix the way `npm run package` does (scripts/package.mjs, on the build
// already in dist/), and reads a .vsix's file list.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tail } from '../harness/lifecycle';
import { ROOT } from '../harness/paths';

export function packageVsix(outDir: string): string {
  const vsix = join(outDir, 'lim-lens.vsix');
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/package.mjs'), '--no-build', '--out', vsix], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0 || !existsSync(vsix)) throw new Error(`packaging failed (exit ${r.status ?? r.signal}):\n${tail(`${r.stdout ?? ''}${r.stderr ?? ''}`, 30)}`);
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
