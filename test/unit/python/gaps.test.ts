// Constructs of real training scripts that LIM Lens once left unread: the Hub's parquet conversion of a dataset's
// subset named through an f-string, a DataLoader's batch_size as the only batch, and a `while True` loop that breaks
// when the iteration counter passes its bound. Each against the figure the script's own arithmetic gives.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeConfig } from '../../../src/core/configs';
import { analyzeDocumentSync } from '../../../src/core/estimate';
import { findDataset, splitRows } from '../../../src/core/estimate/datasets';
import { hubParquetPath } from '../../../src/core/python/virtual';
import { loadPythonParser } from '../../../src/node/pythonParser';

const FIXTURES = resolve(__dirname, '..', '..', 'fixtures', 'python');
const fixture = (name: string) => join(FIXTURES, name);
const read = (name: string) => readFileSync(fixture(name), 'utf8');
const field = (name: string, key: string) => analyzeConfig({ path: fixture(name), text: read(name) }).fields.find((f) => f.path[f.path.length - 1] === key);

before(async () => {
  assert.ok(await loadPythonParser(), 'tree-sitter and its Python grammar load from node_modules');
});

describe('a subset of a Hub dataset read through its parquet conversion', () => {
  test('the hf:// path names the dataset, its subset and the split', () => {
    assert.deepEqual(hubParquetPath('hf://datasets/ought/raft@refs/convert/parquet/twitter_complaints/train/0000.parquet'), { dataset: 'ought/raft/twitter_complaints', split: 'train' });
    assert.deepEqual(hubParquetPath('hf://datasets/ought/raft@refs%2Fconvert%2Fparquet/twitter_complaints/test/0000.parquet'), { dataset: 'ought/raft/twitter_complaints', split: 'test' });
    assert.equal(hubParquetPath('data/train.parquet'), undefined, 'a local file names no dataset');
    assert.equal(hubParquetPath('hf://datasets/ought/raft/twitter_complaints/train.parquet'), undefined, 'not the parquet conversion: no subset to read');
  });
  test('the table knows twitter_complaints: 50 training rows, 3,399 test rows (the dataset card)', () => {
    const d = findDataset('ought/raft/twitter_complaints');
    assert.ok(d);
    assert.equal(splitRows(d, 'train')?.rows, 50);
    assert.equal(splitRows(d, 'test')?.rows, 3_399);
    assert.equal(findDataset('ought/raft'), undefined, 'RAFT as a whole has eleven subsets of other sizes: not one entry');
  });
  test('an f-string over a local subset name is read, and the run is sized: epochs × rows × max_length', () => {
    const text = read('hub_parquet.py');
    const name = field('hub_parquet.py', 'dataset_name');
    assert.equal(name?.value, 'ought/raft/twitter_complaints');
    assert.match(text.slice(name!.offset, name!.offset + name!.length), /^f"hf:\/\/datasets\/ought\/raft@.*\/train\/0000\.parquet"$/, 'located at the train entry of data_files');
    const a = analyzeDocumentSync({ path: fixture('hub_parquet.py'), text }, {});
    assert.ok(a.report, a.diagnostics.map((d) => d.message).join('\n'));
    // 3 epochs × 50 rows × at most 64 tokens: an upper bound.
    assert.equal(a.report.tokens, 3 * 50 * 64);
  });
  test('an f-string with an unknown field, a conversion or a format spec stays unread', () => {
    const text = read('hub_parquet.py').replace('dataset_name = "twitter_complaints"', 'dataset_name = input()');
    assert.equal(analyzeConfig({ path: fixture('hub_parquet.py'), text }).fields.find((f) => f.path[f.path.length - 1] === 'dataset_name'), undefined);
    const spec = read('hub_parquet.py').replace('{dataset_name}/train', '{dataset_name!r}/train');
    assert.equal(analyzeConfig({ path: fixture('hub_parquet.py'), text: spec }).fields.find((f) => f.path[f.path.length - 1] === 'dataset_name'), undefined);
  });
});

describe('a loop that breaks when its counter passes max_iters', () => {
  const NAME = 'lit_loop_break.py';
  const tokensOf = (text: string) => {
    const a = analyzeDocumentSync({ path: fixture(NAME), text }, {});
    assert.ok(a.report, a.diagnostics.map((d) => d.message).join('\n'));
    return a.report.tokens;
  };
  // Per device: iterations × micro_batch_size 4 × LLaMA's block_size 2,048; 2 devices.
  const tokens = (iterations: number) => iterations * 4 * 2048 * 2;
  test('`if iter_num > max_iters: break` after the body: max_iters + 2 iterations (0 … max_iters + 1)', () => {
    const text = read(NAME);
    assert.equal(tokensOf(text), tokens(1002));
    const f = field(NAME, 'max_iters_runs');
    assert.equal(f && text.slice(f.offset, f.offset + f.length), 'iter_num > max_iters', 'located at the condition');
  });
  test('>= after the body runs max_iters + 1; the check before the body runs max_iters + 1 (>) or max_iters (>=)', () => {
    const text = read(NAME);
    assert.equal(tokensOf(text.replace('iter_num > max_iters', 'iter_num >= max_iters')), tokens(1001));
    const first = text.replace(/(\n {8}loss = model)/, '\n        if iter_num > max_iters:\n            break$1').replace(/\n\n {8}if iter_num > max_iters:\n {12}break\n$/, '\n');
    assert.match(first, /enumerate\(train_dataloader\):\n {8}if iter_num > max_iters:\n {12}break\n {8}loss/);
    assert.doesNotMatch(first, /backward\(loss\)\n\n/);
    assert.equal(tokensOf(first), tokens(1001));
    assert.equal(tokensOf(first.replace('iter_num > max_iters', 'iter_num >= max_iters')), tokens(1000));
  });
  test('a break in the middle of the body, on another name or another operator is not read: max_iters iterations', () => {
    const text = read(NAME);
    assert.equal(tokensOf(text.replace('iter_num > max_iters', 'step > max_iters')), tokens(1000));
    assert.equal(tokensOf(text.replace('iter_num > max_iters', 'iter_num < max_iters')), tokens(1000));
    assert.equal(tokensOf(text.replace('            break\n', '            break\n        fabric.print(iter_num)\n')), tokens(1000));
  });
});

describe("a DataLoader's batch_size as the run's batch", () => {
  const NAME = 'dataloader_batch.py';
  const batchOf = (text: string) => analyzeConfig({ path: fixture(NAME), text }).fields.find((f) => f.path[f.path.length - 1] === 'per_device_train_batch_size');
  test('the loader bound to a train name gives the batch where the script has no other', () => {
    const text = read(NAME);
    const f = batchOf(text);
    assert.equal(f?.value, 4);
    assert.equal(text.slice(f!.offset, f!.offset + f!.length), 'batch_size=4', 'located at the keyword');
  });
  test('loaders that disagree and none named for training give no batch; loaders that agree give it', () => {
    const text = read(NAME);
    assert.equal(batchOf(text.replace('train_dataloader = DataLoader', 'loader = DataLoader').replace('model, train_dataloader,', 'model, loader,')), undefined);
    assert.equal(batchOf(text.replace('batch_size=32', 'batch_size=4').replace('train_dataloader = DataLoader', 'loader = DataLoader'))?.value, 4);
  });
  test("a batch the script names itself wins over the DataLoader's", () => {
    const text = read(NAME).replace('batch_size=4)', 'batch_size=4)\n    args = TrainingArguments(output_dir="out", per_device_train_batch_size=2)');
    assert.equal(batchOf(text)?.value, 2);
  });
});

describe('a batch the hover shows without changing the tokens', () => {
  test("lit-llama's batch_size (sequences per optimizer step) is read where it is written; the tokens still count micro-batches", () => {
    const NAME = 'lit_loop_break.py';
    // lit-llama: gradient_accumulation_iters = batch_size // micro_batch_size; the loop runs max_iters micro-batches.
    const text = read(NAME).replace('micro_batch_size = 4\n', 'batch_size = 64\nmicro_batch_size = 4\n');
    const a = analyzeDocumentSync({ path: fixture(NAME), text }, {});
    const f = a.fields.find((x) => x.field === 'globals.batch_size');
    assert.equal(f?.value, 64);
    assert.equal(text.slice(f!.offset, f!.offset + f!.length), 'batch_size = 64');
    assert.equal(a.report?.tokens, 1002 * 4 * 2048 * 2, 'max_iters + 2 micro-batches of 4 × 2,048 tokens on 2 devices, as without it');
    const halved = analyzeDocumentSync({ path: fixture(NAME), text: text.replace('batch_size = 64', 'batch_size = 32') }, {});
    assert.equal(halved.report?.tokens, a.report?.tokens);
  });
  test("a hand-written loop's minibatch draw, torch.randint(0, n, (32,)), is the batch of a model of raw tensors", () => {
    const NAME = 'raw_tensors.py';
    const loop = '\nfor i in range(1000):\n    ix = torch.randint(0, Xtr.shape[0], (32,))\n    loss = F.cross_entropy(C[Xtr[ix]].view(-1, 30) @ W1, Ytr[ix])\n';
    const batchOf = (text: string) => analyzeConfig({ path: fixture(NAME), text }).fields.find((x) => x.path[x.path.length - 1] === 'per_device_train_batch_size');
    const text = read(NAME) + loop;
    const f = batchOf(text);
    assert.equal(f?.value, 32);
    assert.equal(text.slice(f!.offset, f!.offset + f!.length), '32');
    const before = analyzeDocumentSync({ path: fixture(NAME), text: read(NAME) }, {}).report?.tokens;
    assert.equal(analyzeDocumentSync({ path: fixture(NAME), text }, {}).report?.tokens, before, 'without a step count the batch sizes nothing');
    // Outside a loop, or two draws that disagree: no batch.
    assert.equal(batchOf(read(NAME) + '\nix = torch.randint(0, 100, (32,))\n'), undefined);
    assert.equal(batchOf(text + loop.replace('(32,)', '(64,)')), undefined);
  });
});

describe('a model trained in stages: training arguments, then trainer.train(), twice', () => {
  const NAME = 'two_stages.py';
  const run = (text: string) => analyzeDocumentSync({ path: fixture(NAME), text }, {});
  test('stages of the same batch and length add their steps: (100 + 50) × 4 × 2 × 512 tokens', () => {
    const text = read(NAME);
    const a = run(text);
    assert.ok(a.report, a.diagnostics.map((d) => d.message).join('\n'));
    assert.equal(a.report.tokens, (100 + 50) * 4 * 2 * 512);
    assert.equal(a.report.params.trained, 4_194_304, "PEFT's count for r = 8 on q_proj and v_proj of Llama-2-7B");
    // The second stage's values are read where they are written, under their stage.
    const steps = a.fields.find((f) => f.field === 'stages.2.max_steps');
    assert.equal(steps?.value, 50);
    assert.equal(text.slice(steps!.offset, steps!.offset + steps!.length), 'max_steps=50');
    assert.equal(a.diagnostics.find((d) => d.code === 'python-stages'), undefined);
  });
  test('a stage of another batch is not added, and a message names it; one .train() is one stage', () => {
    const text = read(NAME);
    const other = run(text.replace('max_steps=50, per_device_train_batch_size=4', 'max_steps=50, per_device_train_batch_size=2'));
    assert.equal(other.report?.tokens, 100 * 4 * 2 * 512);
    const d = other.diagnostics.find((x) => x.code === 'python-stages');
    assert.match(d?.message ?? '', /trains 2 times .* counts the first stage, not stage 2/);
    assert.equal(text.slice(d!.offset, d!.offset + 11), 'SFTConfig(o', 'located at the second stage');
    const once = run(text.slice(0, text.lastIndexOf('trainer.train()')));
    assert.equal(once.report?.tokens, 100 * 4 * 2 * 512);
    assert.equal(once.fields.find((f) => f.path[0] === 'stages'), undefined);
    // PyTorch's model.train() switches a module to training mode: it trains nothing. A trainer resumed from a
    // checkpoint still trains.
    const last = text.lastIndexOf('trainer.train()');
    const modeSwitch = run(`${text.slice(0, last)}model.train()\n`);
    assert.equal(modeSwitch.report?.tokens, 100 * 4 * 2 * 512);
    const resumed = run(`${text.slice(0, last)}trainer.train(resume_from_checkpoint=True)\n`);
    assert.equal(resumed.report?.tokens, (100 + 50) * 4 * 2 * 512);
  });
});
