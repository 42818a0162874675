// The run figures the views get (src/worker/summarize.ts): what names a run, and its kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocumentSync } from '../../../src/core/estimate';
import { runFigures } from '../../../src/worker/summarize';
import { ROOT } from '../../harness/paths';

const LLAMA = readFileSync(join(ROOT, 'test', 'fixtures', 'workspace', 'models', 'llama-2-7b', 'config.json'), 'utf8');
const figures = (path: string, text: string) => runFigures(analyzeDocumentSync({ path, text }))!;
const withName = (name: string) => LLAMA.replace('"meta-llama/Llama-2-7b-hf"', JSON.stringify(name));

test('a model config is named by its Hub id, or by the last folder of a disk path, never by the path or the model type', () => {
  assert.equal(figures('/ws/m/config.json', LLAMA).label, 'meta-llama/Llama-2-7b-hf');
  assert.equal(figures('/ws/m/config.json', LLAMA).modelType, 'llama');
  for (const [name, label] of [
    ['/home/someone/checkpoints/t5-v1_1-base', 't5-v1_1-base'],
    ['/home/someone/checkpoints/t5-v1_1-base/', 't5-v1_1-base'],
    ['~/models/llama-2-7b', 'llama-2-7b'],
    ['./llama-2-7b', 'llama-2-7b'],
    ['C:\\Users\\me\\models\\llama-2-7b', 'llama-2-7b'],
    ['output/run-3/checkpoint-500', 'checkpoint-500'],
    ['NousResearch/Llama-2-7b-hf', 'NousResearch/Llama-2-7b-hf'],
    ['Llama 2, see https://example.org/a/b', 'Llama 2, see https://example.org/a/b'],
  ]) assert.equal(figures('/ws/m/config.json', withName(name)).label, label, name);
});

test('without a name: framework · file (config.json with its folder)', () => {
  const bare = JSON.parse(LLAMA) as Record<string, unknown>;
  delete bare._name_or_path;
  assert.equal(figures('/ws/models/llama-2-7b/config.json', JSON.stringify(bare)).label, 'Hugging Face · llama-2-7b/config.json');
  assert.equal(figures('/ws/runs/empty.lim.yaml', 'tokens: 1e9\n').label, 'LIM Lens · empty.lim.yaml');
});

test('a run file’s name is shown as written, unless it is a disk path', () => {
  const run = (name: string) => figures('/ws/runs/r.lim.yaml', `name: ${JSON.stringify(name)}\nmodel: llama-2-7b\ntokens: 1e9\n`);
  assert.equal(run('Llama 7B, 1T tokens').label, 'Llama 7B, 1T tokens');
  assert.equal(run('see https://example.org/a/b').label, 'see https://example.org/a/b');
  assert.equal(run('/home/me/runs/ablation-4').label, 'ablation-4');
  assert.equal(figures('/ws/runs/r.lim.yaml', 'model: llama-2-7b\ntokens: 1e9\n').label, 'llama-2-7b', 'the bundled model’s name');
});

test('kind: pretraining, a fine-tune, a preference run; none without an estimate', () => {
  assert.equal(figures('/ws/m/config.json', LLAMA).kind, 'pretrain');
  const fixture = (rel: string) => figures(join(ROOT, 'test', 'fixtures', rel), readFileSync(join(ROOT, 'test', 'fixtures', rel), 'utf8'));
  assert.equal(fixture('workspace/axolotl/qlora.yml').kind, 'finetune');
  const dpo = fixture('configs/axolotl/llama-3-instruct-dpo-lora-8b.yml');
  assert.equal(dpo.kind, 'preference');
  assert.equal(dpo.perUnit, 'per 1,000 rows');
  assert.ok(dpo.perUnitEnergyJ! > 0 && dpo.energyJ === undefined);
  assert.equal(figures('/ws/runs/empty.lim.yaml', 'tokens: 1e9\n').kind, undefined);
});
