// The local Hugging Face cache, opt-in and read only: a model named by Hub id that is neither in the bundled table
// nor in the workspace is counted from `<cache>/models--org--name/snapshots/<refs/main>/config.json`, in a fake cache
// built here the way huggingface_hub lays one out (the snapshot's file a link into blobs/). Nothing else is read.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimatePaths, runEstimate } from '../../../src/cli/commands/estimate';
import { hubCacheDirFrom, hubCachePath, parseHubCachePath, hubRevision } from '../../../src/core/configs/hubCache';
import { readHubCacheSync } from '../../../src/node/hubCache';
import { loadPythonParser } from '../../../src/node/pythonParser';

// Llama-2-7B's published config.json shape under a Hub id no table knows: 6,738,415,616 parameters when read.
const LLAMA_2_7B = { architectures: ['LlamaForCausalLM'], model_type: 'llama', vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, max_position_embeddings: 4096, tie_word_embeddings: false };
const ID = 'acme-research/fancy-model';
const REV = '0123456789abcdef0123456789abcdef01234567';

let root: string;
let hub: string;
let work: string;

/** One cached model: refs/main naming REV, the snapshot's config.json a link to its blob. */
function cacheModel(id: string, config: unknown, ref = `${REV}\n`) {
  const folder = join(hub, `models--${id.replace('/', '--')}`);
  mkdirSync(join(folder, 'refs'), { recursive: true });
  mkdirSync(join(folder, 'blobs'), { recursive: true });
  mkdirSync(join(folder, 'snapshots', REV), { recursive: true });
  writeFileSync(join(folder, 'refs', 'main'), ref);
  writeFileSync(join(folder, 'blobs', 'f00d'), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  symlinkSync(join('..', '..', 'blobs', 'f00d'), join(folder, 'snapshots', REV, 'config.json'));
  return folder;
}

const script = (id: string) => `from transformers import AutoModelForCausalLM, TrainingArguments\nmodel = AutoModelForCausalLM.from_pretrained(${JSON.stringify(id)})\nargs = TrainingArguments(output_dir="o", per_device_train_batch_size=4, max_steps=100)\n`;

before(async () => {
  assert.ok(await loadPythonParser());
  root = mkdtempSync(join(tmpdir(), 'lim-hub-'));
  hub = join(root, 'hub');
  work = join(root, 'work');
  mkdirSync(work, { recursive: true });
  cacheModel(ID, LLAMA_2_7B);
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('the Hugging Face cache', () => {
  test('virtual paths: only "org/name" (or a legacy "name") Hub ids, only their config.json', () => {
    assert.equal(hubCachePath(ID), '/[huggingface-cache]/acme-research/fancy-model/config.json');
    assert.deepEqual(parseHubCachePath(hubCachePath(ID)!), { id: ID, folder: 'models--acme-research--fancy-model' });
    assert.deepEqual(parseHubCachePath(hubCachePath('gpt2')!), { id: 'gpt2', folder: 'models--gpt2' });
    for (const bad of ['../etc/passwd', 'a/b/c', 'org/..', '.hidden/x', '/abs/path', 'org/name with space', '']) assert.equal(hubCachePath(bad), undefined, bad);
    for (const bad of ['/[huggingface-cache]/a/../../etc/config.json', '/[huggingface-cache]/a/b/model.safetensors', '/[huggingface-cache]/a/b/c/config.json', '/work/a/b/config.json']) {
      assert.equal(parseHubCachePath(bad), undefined, bad);
    }
    assert.equal(hubRevision(`${REV}\n`), REV);
    for (const bad of ['../../../../etc', 'main', `${REV}/../x`, '']) assert.equal(hubRevision(bad), undefined, bad);
  });

  test('the cache folder is the one the Hugging Face libraries use', () => {
    assert.equal(hubCacheDirFrom({ HF_HUB_CACHE: '/c/hub', HF_HOME: '/h' }, '/home/u'), '/c/hub');
    assert.equal(hubCacheDirFrom({ HF_HOME: '/h/' }, '/home/u'), '/h/hub');
    assert.equal(hubCacheDirFrom({ XDG_CACHE_HOME: '/x' }, '/home/u'), '/x/huggingface/hub');
    assert.equal(hubCacheDirFrom({}, '/home/u'), '/home/u/.cache/huggingface/hub');
  });

  test('from_pretrained("org/name") is counted from the cache when it is given, and not otherwise', () => {
    const file = join(work, 'train.py');
    writeFileSync(file, script(ID));
    const off = estimatePaths([file], {}).analyses[0];
    assert.equal(off.report, undefined, 'no count without the cache');
    assert.ok(off.diagnostics.some((d) => d.code === 'unknown-model'), off.diagnostics.map((d) => d.message).join(' | '));
    const on = estimatePaths([file], {}, undefined, hub).analyses[0];
    assert.equal(on.report?.params.total, 6_738_415_616, on.diagnostics.map((d) => d.message).join(' | '));
    // The fields read say where from: the model's config.json in the cache.
    assert.ok(on.fields.some((f) => f.file === hubCachePath(ID) && f.field.includes('hidden_size')), on.fields.map((f) => `${f.file} ${f.field}`).join('\n'));
  });

  test('the hover says a figure came from the cache, and its link opens the setting that allowed it, not the file', async () => {
    await import('../estimate/vscodeStub');
    const { hoverMarkdown, reportMarkdown } = await import('../../../src/extension/hoverMarkdown');
    const file = join(work, 'hover.py');
    writeFileSync(file, script(ID));
    const a = estimatePaths([file], {}, undefined, hub).analyses[0];
    const uri = { path: file, with: () => uri, toString: () => `file://${file}` };
    const md = (hoverMarkdown(a, uri as never, 'run') as unknown as { value: string }).value;
    assert.doesNotMatch(md, /revealSource\?[^)]*huggingface-cache/, 'no link tries to open the virtual path');
    // A row whose figure was read from the cached config.json (as a precision from its torch_dtype would be).
    const report = structuredClone(a.report!);
    report.run.precisionBits = { value: 16, source: { kind: 'read', file: hubCachePath(ID)!, field: 'torch_dtype', line: 3, column: 3, offset: 20, length: 10 } };
    const rows = reportMarkdown(report, uri as never).join('\n');
    assert.match(rows, /\[read\]\(command:workbench\.action\.openSettings\?%5B%22limLens\.huggingFaceCache%22%5D "read from the config\.json of acme-research\/fancy-model in the Hugging Face cache \\\(torch\\_dtype\\\)"\)/, rows);
    assert.doesNotMatch(rows, /revealSource/);
  });

  test('model_name_or_path and base_model in configs resolve through the cache too', () => {
    const yaml = join(work, 'axolotl.yml');
    writeFileSync(yaml, `base_model: ${ID}\nadapter: lora\nlora_r: 8\nlora_target_modules: [q_proj, v_proj]\nsequence_len: 512\nmicro_batch_size: 2\nmax_steps: 10\n`);
    const args = join(work, 'training_args.json');
    writeFileSync(args, JSON.stringify({ model_name_or_path: ID, per_device_train_batch_size: 2, max_steps: 10 }));
    for (const f of [yaml, args]) {
      assert.equal(estimatePaths([f], {}).analyses[0].report?.params.total, undefined, `${f} without the cache`);
      const a = estimatePaths([f], {}, undefined, hub).analyses[0];
      assert.equal(a.report?.params.total, 6_738_415_616, `${f}: ${a.diagnostics.map((d) => d.message).join(' | ')}`);
    }
  });

  test('a bundled or workspace model wins over the cache', () => {
    // A cached "meta-llama/Llama-2-7b-hf" whose config.json says 2 layers: the bundled table's shape is used.
    cacheModel('meta-llama/Llama-2-7b-hf', { ...LLAMA_2_7B, num_hidden_layers: 2 });
    const file = join(work, 'known.py');
    writeFileSync(file, script('meta-llama/Llama-2-7b-hf'));
    assert.equal(estimatePaths([file], {}, undefined, hub).analyses[0].report?.params.total, 6_738_415_616);
  });

  test('hostile caches read nothing: a ref that is a path, a link out of the cache, an oversized or binary config, no ref', () => {
    const outside = join(root, 'secret.json');
    writeFileSync(outside, JSON.stringify(LLAMA_2_7B));
    cacheModel('evil/ref', LLAMA_2_7B, '../../../../secret');
    const link = join(hub, 'models--evil--link');
    mkdirSync(join(link, 'refs'), { recursive: true });
    mkdirSync(join(link, 'snapshots', REV), { recursive: true });
    writeFileSync(join(link, 'refs', 'main'), REV);
    symlinkSync(outside, join(link, 'snapshots', REV, 'config.json'));
    cacheModel('evil/huge', `{"model_type": "llama", "pad": "${'x'.repeat(5000)}"}`);
    cacheModel('evil/binary', 'ab\u0000cd');
    mkdirSync(join(hub, 'models--evil--noref', 'snapshots', REV), { recursive: true });
    const reasons: Record<string, RegExp> = { 'evil/ref': /names no revision|does not name/, 'evil/link': /outside the cache/, 'evil/huge': /size limit/, 'evil/binary': /binary/, 'evil/noref': /not in the cache/ };
    for (const [id, why] of Object.entries(reasons)) {
      const r = readHubCacheSync(hub, hubCachePath(id)!, 4096);
      assert.equal(r.ok, false, id);
      assert.match((r as { reason: string }).reason, why, id);
    }
    assert.equal(readHubCacheSync(join(root, 'nowhere'), hubCachePath(ID)!, 4096).ok, false);
    assert.equal(readHubCacheSync(hub, '/[huggingface-cache]/a/../../secret/config.json', 4096).ok, false);
    // Through the CLI's estimate: the hostile ones are unknown models, never a crash.
    const file = join(work, 'evil.py');
    writeFileSync(file, script('evil/link'));
    const a = estimatePaths([file], {}, 4096, hub).analyses[0];
    assert.equal(a.report, undefined);
    assert.ok(a.diagnostics.some((d) => d.code === 'unknown-model'));
  });

  test('lim-lens estimate --hf-cache[=DIR]: the folder given, or the default one; a bare flag takes no file', async () => {
    const file = join(work, 'cli.py');
    writeFileSync(file, script(ID));
    const run = async (argv: string[]) => {
      let out = '';
      const code = await runEstimate(argv, (s) => (out += s));
      return { code, json: JSON.parse(out) as Array<{ params?: { total?: number } }> };
    };
    assert.equal((await run([`--hf-cache=${hub}`, '--json', file])).json[0].params?.total, 6_738_415_616);
    // A cache folder that is not there is said on stderr, and the model stays unknown.
    const writes: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stderr.write;
    let missing;
    try {
      missing = await run([`--hf-cache=${join(root, 'no-such-cache')}`, '--json', file]);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(missing.json[0].params?.total, undefined);
    assert.match(writes.join(''), /--hf-cache: .*no-such-cache is not a folder/);
    const saved = process.env.HF_HUB_CACHE;
    process.env.HF_HUB_CACHE = hub;
    try {
      assert.equal((await run(['--hf-cache', file, '--json'])).json[0].params?.total, 6_738_415_616, 'a bare --hf-cache reads $HF_HUB_CACHE and leaves the file a file');
      const without = await run([file, '--json']);
      assert.equal(without.json[0].params?.total, undefined, 'without the flag the cache is not read, whatever the environment');
    } finally {
      if (saved === undefined) delete process.env.HF_HUB_CACHE;
      else process.env.HF_HUB_CACHE = saved;
    }
  });
});
