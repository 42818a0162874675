// The CLI's side of the file policy (src/core/files/policy.ts): which files a folder scan reads, the size limit and
// the binary check, and sibling reads that stay inside the folder scanned. Built in a temporary folder, removed after.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { collectFiles, readTextFile, siblingReader } from '../../../src/cli/scan';
import { DEFAULT_MAX_FILE_BYTES, filePolicy } from '../../../src/core/files';
import { param } from '../../../src/core/params';
import type { ConfigDiagnostic } from '../../../src/core/configs';

let dir = '';

function put(rel: string, content: string | Buffer = '{}\n'): void {
  const p = join(dir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
}

function scanned(policy = filePolicy()): string[] {
  const diagnostics: ConfigDiagnostic[] = [];
  const files = collectFiles([dir], diagnostics, policy).map((e) => relative(dir, e.path));
  assert.deepEqual(diagnostics, []);
  return files;
}

describe('lim-lens estimate <folder>: the file policy', () => {
  before(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'lim-scan-')));
    for (const f of [
      'config.json', 'train.py', 'nb.ipynb', 'run.sbatch', 'job.slurm', 'launch.sh', 'a.yaml', 'b.yml', 'emissions.csv', 'runs/my_emissions_2.csv',
      'node_modules/x/config.json', 'venv/lib/a.py', '.venv/a.py', 'lib/site-packages/m/config.json', 'nb/.ipynb_checkpoints/nb.ipynb', '.git/config.json',
      '__pycache__/a.py', '.vscode/settings.json', 'package.json', 'web/package-lock.json', 'tsconfig.base.json',
      'model/tokenizer.json', 'model/tokenizer_config.json', 'model/vocab.json', 'model/special_tokens_map.json', 'model/generation_config.json',
      'model/model.safetensors.index.json', 'model/config.json', 'data/train.csv', 'x.jsonc', 'notes.txt', 'UPPER.JSON',
    ]) put(f);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the registry defaults: configs, scripts, notebooks and CodeCarbon records; no dependencies, tokenizers or data', () => {
    assert.deepEqual(scanned(), [
      'a.yaml', 'b.yml', 'config.json', 'emissions.csv', 'job.slurm', 'launch.sh', 'model/config.json', 'nb.ipynb', 'run.sbatch', 'runs/my_emissions_2.csv', 'train.py',
    ]);
  });

  test("a user's patterns replace the defaults (the editor passes limLens.files.include / exclude)", () => {
    assert.deepEqual(scanned(filePolicy({ include: ['**/*.yaml', '**/*.{jsonc,txt}'], exclude: ['**/b.*'] })), ['a.yaml', 'notes.txt', 'x.jsonc']);
    assert.deepEqual(scanned(filePolicy({ include: ['model/*.json'], exclude: [] })), ['model/config.json'], 'tokenizer and index files are never candidates');
  });

  test('the size limit is the registry figure, files.maxSizeKB × 1024, at the byte', () => {
    assert.equal(DEFAULT_MAX_FILE_BYTES, Number(param('files.maxSizeKB').default) * 1024);
    assert.equal(DEFAULT_MAX_FILE_BYTES, 1024 * 1024);
    put('big/at-limit.json', `"${'a'.repeat(DEFAULT_MAX_FILE_BYTES - 3)}"\n`);
    put('big/over-limit.json', `"${'a'.repeat(DEFAULT_MAX_FILE_BYTES - 2)}"\n`);
    const at = readTextFile(join(dir, 'big/at-limit.json'), DEFAULT_MAX_FILE_BYTES);
    assert.equal(at.ok && at.text.length, DEFAULT_MAX_FILE_BYTES);
    const over = readTextFile(join(dir, 'big/over-limit.json'), DEFAULT_MAX_FILE_BYTES);
    assert.equal(over.ok ? 'read' : over.diagnostic.message, 'file is 1.0 MB, above the 1.0 MB limit for configs (--max-file-size); not read');
  });

  test('binary: a NUL byte in the first 8 KB, not after', () => {
    const early = Buffer.alloc(9000, 0x20);
    early[8191] = 0;
    put('bin/early.json', early);
    const late = Buffer.alloc(9000, 0x20);
    late[8192] = 0;
    put('bin/late.json', late);
    const e = readTextFile(join(dir, 'bin/early.json'), DEFAULT_MAX_FILE_BYTES);
    assert.equal(e.ok ? 'read' : e.diagnostic.message, 'binary file (NUL byte at offset 8191); configs are text');
    assert.equal(readTextFile(join(dir, 'bin/late.json'), DEFAULT_MAX_FILE_BYTES).ok, true);
  });

  test('siblings: relative to the file, inside the folder scanned; outside it and the current directory, nothing', () => {
    put('sib/run/args.json', '{"a": 1}');
    put('sib/config.json', '{"model_type": "gpt2"}');
    const cache = new Map<string, string | undefined>();
    const read = siblingReader(join(dir, 'sib/run/args.json'), cache, DEFAULT_MAX_FILE_BYTES, join(dir, 'sib'));
    assert.equal(read('../config.json'), '{"model_type": "gpt2"}');
    assert.equal(read('./../run/../config.json'), '{"model_type": "gpt2"}', 'normalised to the same file');
    assert.equal(cache.size, 1, 'read once');
    assert.equal(read('../../config.json'), undefined, 'above the folder scanned (and outside the current directory)');
    assert.equal(read('/etc/passwd'), undefined);
  });
});
