import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cliProcess';
import { fixturePath } from '../configs/fixtures';

const WORKSPACE = join(__dirname, '..', '..', 'fixtures', 'workspace');

describe('lim-lens estimate', () => {
  test('--json: one object per run with the promised fields (BLOOM run file)', () => {
    const r = runCli(['estimate', fixturePath('runs/bloom-176b.lim.yaml'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const [j] = JSON.parse(r.stdout);
    assert.match(j.file, /bloom-176b\.lim\.yaml$/);
    assert.equal(j.modelType, 'bloom');
    assert.deepEqual([j.params.total, j.params.active], [176_247_271_424, 176_247_271_424]);
    assert.equal(j.tokens, 366e9);
    assert.equal(typeof j.flops, 'number');
    assert.equal(j.precisionBits, 16);
    assert.equal(j.accelerator.id, 'a100');
    assert.equal(j.accelerator.deviceHours, 1_082_990);
    assert.equal(Math.round(j.accelerator.itEnergyJ / 3.6e6), 433_196);
    for (const k of ['energyJ', 'energyMWh', 'co2Kg']) assert.equal(typeof j.accelerator[k], 'number', k);
    for (const k of ['landauer', 'lim', 'staticBarrier']) assert.ok(j.bounds[k] > 0, k);
    assert.ok(Array.isArray(j.assumptions));
    assert.deepEqual(j.diagnostics, []);
    assert.equal(j.provenance.deviceHours.kind, 'read');
    assert.equal(j.provenance.deviceHours.line, 9);
  });

  test('a folder: every config estimated, table by default, exit 0', () => {
    const r = runCli(['estimate', WORKSPACE]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const s of ['llama', 'mixtral', 'megatron-gpt', 'runs/llama-2-7b-pretrain.lim.yaml', 'E_LIM', 'Assumptions:', '7 estimated']) assert.ok(r.stdout.includes(s), `missing ${s} in\n${r.stdout}`);
  });

  test('--csv and --markdown', () => {
    const csv = runCli(['estimate', fixturePath('runs'), '--csv']);
    assert.equal(csv.status, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines[0], 'file,format,model_type,params_total,params_active,tokens,flops,precision_bits,hardware,devices,device_hours,energy_j,energy_mwh,co2_kg,landauer_j,lim_j,static_barrier_j,orders_acc_over_lim,measured_record,measured_project,measured_energy_j,measured_duration_s,measured_flops,energy_error,time_error,implied_utilization,diagnostics');
    assert.equal(lines.length, 4);
    assert.ok(lines.some((l) => l.includes(',3.15e+23,')), 'GPT-3 FLOPs');
    const md = runCli(['estimate', fixturePath('runs'), '--markdown']);
    assert.match(md.stdout, /^\| file \| model \| params \|/);
    assert.match(md.stdout, /\n\|---\|---\|---:\|/);
  });

  test('flags override the files: --tokens, --hardware, --devices with --hours', () => {
    const r = runCli(['estimate', fixturePath('runs/gpt3-175b.lim.yaml'), '--tokens', '1T', '--hardware', 'H100-SXM', '--devices', '1024', '--hours', '1000', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const [j] = JSON.parse(r.stdout);
    assert.equal(j.tokens, 1e12);
    assert.equal(j.flops, 6 * 175e9 * 1e12);
    assert.equal(j.accelerator.id, 'h100');
    assert.equal(j.accelerator.route, 'time');
    assert.equal(j.accelerator.deviceHours, 1_024_000);
    assert.deepEqual(j.provenance.tokens, { kind: 'setting', name: '--tokens' });
    assert.ok(j.assumptions.some((a: { name: string; origin: string }) => a.name === 'tokens' && a.origin === 'override'));
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['no files', [], /^lim-lens estimate: give at least one file or folder/],
    ['unknown flag', ['x', '--frobnicate'], /^lim-lens estimate: unknown flag --frobnicate$/],
    ['bad number', ['x', '--devices', 'many'], /^lim-lens estimate: --devices: "many" is not a number/],
    ['fractional devices', ['x', '--devices', '2.5'], /^lim-lens estimate: --devices must be a whole number, got 2\.5$/],
    ['utilisation above 1', ['x', '--utilization', '1.5'], /^lim-lens estimate: --utilization must be at most 1, got 1\.5$/],
    ['unknown hardware', ['x', '--hardware', 'tpu-v9'], /^lim-lens estimate: --hardware: unknown hardware "tpu-v9" \(known: v100, a100, h100, b200, tpu-v3, tpu-v4\)$/],
    ['two outputs', ['x', '--json', '--csv'], /^lim-lens estimate: --json and --csv choose different outputs; give one$/],
    ['hours and device-hours', ['x', '--hours', '1', '--device-hours', '2'], /^lim-lens estimate: --hours and --device-hours are alternatives; give one$/],
  ];
  for (const [name, args, message] of usage) {
    test(`usage error (${name}) → one line on stderr, exit 2`, () => {
      const r = runCli(['estimate', ...args]);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr.trimEnd(), message);
    });
  }
});

describe('lim-lens estimate: files it must refuse, with a diagnostic and exit 1', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lim-lens-estimate-'));
    copyFileSync(fixturePath('hf/gpt2/config.json'), join(dir, 'config.json'));
    writeFileSync(join(dir, 'broken.json'), '{"model_type": "gpt2", "n_embd": 768,, }');
    writeFileSync(join(dir, 'weights.json'), Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff]));
    writeFileSync(join(dir, 'huge.json'), '');
    truncateSync(join(dir, 'huge.json'), 100 * 1024 * 1024);
    symlinkSync('loop.yaml', join(dir, 'loop.yaml'));
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'pkg', 'config.json'), '{"model_type": "nope"}');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config.json'), '{"model_type": "nope"}');
    writeFileSync(join(dir, 'package.json'), '{"name": "not-a-config"}');
    writeFileSync(join(dir, 'ci.yaml'), 'jobs:\n  test:\n    runs-on: ubuntu-latest\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('too large, binary, malformed and unreadable files each get a diagnostic; the rest is still printed', () => {
    const r = runCli(['estimate', dir, '--json']);
    assert.equal(r.status, 1, r.stderr);
    const list = JSON.parse(r.stdout) as Array<{ file: string; modelType: string | null; diagnostics: Array<{ line: number; column: number; code: string; message: string }> }>;
    const byName = Object.fromEntries(list.map((x) => [x.file.slice(x.file.lastIndexOf('/') + 1), x]));
    assert.deepEqual(Object.keys(byName).sort(), ['broken.json', 'config.json', 'huge.json', 'loop.yaml', 'weights.json'], 'node_modules, .git and non-configs skipped');
    assert.equal(byName['config.json'].modelType, 'gpt2');
    assert.deepEqual(byName['config.json'].diagnostics, []);
    const d = (name: string) => byName[name].diagnostics[0];
    assert.deepEqual([d('huge.json').line, d('huge.json').column, d('huge.json').code], [1, 1, 'too-large']);
    assert.equal(d('huge.json').message, 'file is 100.0 MB, above the 1.0 MB limit for configs (--max-file-size); not read');
    assert.deepEqual([d('weights.json').code, d('weights.json').message], ['binary', 'binary file (NUL byte at offset 1); configs are text']);
    assert.deepEqual([d('broken.json').line, d('broken.json').column, d('broken.json').code, d('broken.json').message], [1, 38, 'json-syntax', 'invalid JSON: a property name was expected']);
    assert.equal(d('loop.yaml').code, 'unreadable');
    assert.match(d('loop.yaml').message, /^cannot read .*loop\.yaml: too many levels of symbolic links$/);
  });

  test('an unreadable file (permissions) when not running as root; a missing path always', () => {
    const missing = runCli(['estimate', join(dir, 'nope.yaml')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stdout, /nope\.yaml:1:1: error: cannot read .*nope\.yaml: no such file or directory/);
    if (process.getuid?.() !== 0) {
      const p = join(dir, 'secret.lim.yaml');
      writeFileSync(p, 'params: 7B\n');
      chmodSync(p, 0o000);
      const r = runCli(['estimate', p]);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /secret\.lim\.yaml:1:1: error: cannot read .*: permission denied/);
    }
  });

  test('the table lists diagnostics as file:line:column: severity: message [field]', () => {
    const r = runCli(['estimate', join(dir, 'broken.json'), join(dir, 'config.json')]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /broken\.json:1:38: error: invalid JSON: a property name was expected/);
    assert.match(r.stdout, /gpt2/);
  });

  test('a file named explicitly that is not a config is reported', () => {
    const r = runCli(['estimate', join(dir, 'package.json')]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /package\.json:1:1: error: not a recognised model or training config/);
  });
});
