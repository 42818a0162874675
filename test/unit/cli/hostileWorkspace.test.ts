// `lim-lens estimate` on hostile folders: symbolic-link loops and links out of the folder, a named pipe, a
// 1 GB config. It must end, read nothing outside the folder it was given, and refuse what it cannot read with
// one diagnostic per file.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFifo, generateHugeFile, generateSymlinkLoops } from '../../../bench/hostileWorkspace';
import { estimatePaths } from '../../../src/cli/commands/estimate';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CLI } from './cliProcess';

/** The built CLI with a time limit: a read that waits for ever (a pipe) must fail the test, not hang it. */
function runCli(args: string[], opts: { timeoutMs: number }) {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` before the unit tests (npm test does)');
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: opts.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  assert.equal(r.error, undefined, `lim-lens ${args.join(' ')}: ${r.error?.message} (did it wait on a pipe?)`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Row = { file: string; params: { total: number } | null; diagnostics: Array<{ code: string; message: string }> };

describe('lim-lens estimate: hostile folders', () => {
  let dir: string;
  let outside: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lim-lens-hostile-'));
    outside = mkdtempSync(join(tmpdir(), 'lim-lens-outside-'));
    writeFileSync(join(outside, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_embd: 768, n_layer: 12, n_head: 12, vocab_size: 50257, n_positions: 1024 }));
    writeFileSync(join(outside, 'secret.yaml'), 'base_model: meta-llama/Llama-2-7b-hf\nsequence_len: 4096\n');
    generateSymlinkLoops(join(dir, 'links'), outside);
    symlinkSync(join(outside, 'secret.yaml'), join(dir, 'links', 'secret.yaml'));
    generateFifo(join(dir, 'links'));
    generateHugeFile(join(dir, 'huge'), 'train.yaml', 1024 ** 3);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  test('symbolic-link loops, a pipe and links out of the folder: the scan ends and reads nothing outside', () => {
    const r = runCli(['estimate', join(dir, 'links'), '--json'], { timeoutMs: 20_000 });
    assert.equal(r.status, 1, r.stderr);
    const rows = JSON.parse(r.stdout) as Row[];
    const byName = new Map(rows.map((x) => [x.file.slice(x.file.indexOf('links/') + 6), x]));
    assert.deepEqual([...byName.keys()].sort(), ['a.json', 'b.json', 'escape.lim.yaml', 'loop.lim.yaml', 'models/m/config.json', 'pipe.lim.yaml', 'secret.yaml', 'selflink.lim.yaml']);
    // Nothing from the folder outside: no estimate through the `outside` link, the file linked from there refused.
    assert.equal(r.stdout.split(outside).length - 1, 1, 'the folder outside is named once, in the diagnostic of the link to it');
    assert.equal(byName.get('escape.lim.yaml')?.params, null);
    assert.match(byName.get('escape.lim.yaml')!.diagnostics[0].message, /config "\.\/outside\/config\.json" was not found/);
    assert.deepEqual(byName.get('secret.yaml')!.diagnostics.map((d) => [d.code, d.message]), [['outside', `a symbolic link to ${join(outside, 'secret.yaml')}, outside the folder scanned; not read`]]);
    // The loop a.json → b.json → a.json: one diagnostic each; the run file that names it gets no model from it.
    for (const f of ['a.json', 'b.json']) assert.deepEqual(byName.get(f)!.diagnostics.map((d) => d.code), ['unreadable'], f);
    assert.match(byName.get('a.json')!.diagnostics[0].message, /too many levels of symbolic links$/);
    assert.equal(byName.get('loop.lim.yaml')?.params, null);
    // A config: naming a pipe reads nothing and does not wait; one through the self-link (inside) is read.
    assert.equal(byName.get('pipe.lim.yaml')?.params, null);
    assert.ok(byName.get('selflink.lim.yaml')?.params?.total);
    assert.equal(byName.get('selflink.lim.yaml')?.params?.total, byName.get('models/m/config.json')?.params?.total);
  });

  test('a pipe named on the command line: one diagnostic, no wait', () => {
    const r = runCli(['estimate', join(dir, 'links', 'fifo.json'), '--json'], { timeoutMs: 20_000 });
    assert.equal(r.status, 1, r.stderr);
    const [row] = JSON.parse(r.stdout) as Row[];
    assert.deepEqual(row.diagnostics.map((d) => [d.code, d.message]), [['not-a-file', 'not a regular file (a named pipe); not read']]);
  });

  test('a 1 GB config: refused from its size, one diagnostic', () => {
    const r = runCli(['estimate', join(dir, 'huge'), '--json'], { timeoutMs: 20_000 });
    assert.equal(r.status, 1, r.stderr);
    const rows = JSON.parse(r.stdout) as Row[];
    const big = rows.find((x) => x.file.endsWith('train.yaml'));
    assert.deepEqual(big?.diagnostics.map((d) => [d.code, d.message]), [['too-large', 'file is 1.0 GB, above the 1.0 MB limit for configs (--max-file-size); not read']]);
    assert.ok(rows.find((x) => x.file.endsWith('config.json'))?.params?.total, 'the config beside it is read');
  });

  test('a 1 GB file under a raised limit is not read into memory: 8 KB say it is binary', () => {
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    const r = estimatePaths([join(dir, 'huge', 'train.yaml')], {}, 2 * 1024 ** 3);
    const grew = process.memoryUsage().rss - rss0;
    assert.deepEqual(r.analyses[0].diagnostics.map((d) => [d.code, d.message]), [['binary', 'binary file (NUL byte at offset 0); configs are text']]);
    assert.ok(grew < 64 * 2 ** 20, `the process grew by ${(grew / 2 ** 20).toFixed(0)} MB`);
  });
});
