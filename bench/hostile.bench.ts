// Hostile and huge workspaces: a generated 50,000-file workspace scanned by `lim-lens estimate` (new process,
// peak memory from /usr/bin/time) and by the extension's workspace index in a real VS Code (code-server, the
// integration-test launcher), plus a 1 GB config and a storm of writes. Generated in a temp dir, never committed.
// LIM_BENCH_FILES=n changes the size; LIM_BENCH_CLI_ONLY=1 / LIM_BENCH_EDITOR_ONLY=1 run one half.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateHugeFile, generateManyFiles } from './hostileWorkspace';
import { record } from './harness';
import { runInEditor } from './inEditor';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FILES = Number(process.env.LIM_BENCH_FILES ?? 50_000);
if (!existsSync(CLI) || !existsSync(join(ROOT, 'dist', 'extension.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(1);
}

/** Wall time and peak resident memory of a command, from GNU time (`/usr/bin/time -f '%e %M'`). */
function timed(args: string[]): { seconds: number; peakMB: number; status: number | null } {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const m = /TIME ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  if (!m) throw new Error(`/usr/bin/time gave no figures (is GNU time installed?): ${r.stderr?.slice(-300)}`);
  return { seconds: Number(m[1]), peakMB: Number(m[2]) / 1024, status: r.status };
}

function cli(dir: string, hugeDir: string): void {
  for (const mode of [[], ['--json']]) {
    const runs = [timed([CLI, 'estimate', dir, ...mode]), timed([CLI, 'estimate', dir, ...mode]), timed([CLI, 'estimate', dir, ...mode])];
    runs.sort((a, b) => a.seconds - b.seconds);
    const label = mode.length ? mode.join(' ') : 'table';
    record({ name: `hostile: lim-lens estimate <${FILES.toLocaleString('en-US')} files> (${label}), new process`, value: runs[0].seconds, unit: 's (best of 3)', note: `peak rss ${Math.max(...runs.map((r) => r.peakMB)).toFixed(0)} MB (/usr/bin/time)` });
  }
  const refused = timed([CLI, 'estimate', hugeDir, '--json']);
  record({ name: 'hostile: lim-lens estimate on a folder with a 1 GB config (refused by size)', value: refused.peakMB, unit: 'MB peak rss', note: `${refused.seconds.toFixed(2)} s` });
  const raised = timed([CLI, 'estimate', hugeDir, '--json', '--max-file-size', String(2 * 1024 ** 3)]);
  record({ name: 'hostile: the same with --max-file-size 2 GiB (8 KB read, refused as binary)', value: raised.peakMB, unit: 'MB peak rss', note: `${raised.seconds.toFixed(2)} s` });
}

async function inEditor(dir: string): Promise<void> {
  await runInEditor({ entry: join(__dirname, 'hostile', 'editorSuite.ts'), outDir: join(ROOT, 'out', 'bench', 'hostile'), workspace: dir, env: { LIM_BENCH_FILES: String(FILES) } });
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'lim-lens-hostile-bench-'));
  try {
    const dir = join(base, 'workspace');
    const t0 = Date.now();
    const { files, configs } = generateManyFiles(dir, FILES);
    console.error(`bench: generated ${files} files (${configs} configs) in ${Date.now() - t0} ms`);
    const hugeDir = join(base, 'huge');
    generateHugeFile(hugeDir, 'train.yaml', 1024 ** 3);
    if (process.env.LIM_BENCH_EDITOR_ONLY !== '1') cli(dir, hugeDir);
    if (process.env.LIM_BENCH_CLI_ONLY !== '1') await inEditor(dir);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
