import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evalArithmetic, fieldAtOffset, joinPath, parseConfigText, positionAt, lineStarts } from '../../../src/core/configs';
import { estimateFixture, estimateText } from './fixtures';

describe('positions: every field read keeps path, 1-based line/column, offset and length', () => {
  test('JSON with comments and trailing commas: the span covers "key": value', () => {
    const text = '{\n  // a comment\n  "model_type": "gpt2",\n  "n_embd": 768,\n}\n';
    const doc = parseConfigText('config.json', text);
    assert.deepEqual(doc.diagnostics, []);
    const loc = doc.locate(['n_embd']);
    assert.ok(loc);
    assert.deepEqual({ line: loc.line, column: loc.column }, { line: 4, column: 3 });
    assert.equal(text.slice(loc.offset, loc.offset + loc.length), '"n_embd": 768');
  });

  test('YAML: nested paths, aliases followed to their anchors', () => {
    const text = 'defaults: &d\n  hidden_size: 2048\nmodel:\n  <<: *d\n  num_layers: 24\ntrainer:\n  devices: 8\n';
    const doc = parseConfigText('x.yaml', text);
    const loc = doc.locate(['model', 'num_layers']);
    assert.deepEqual({ line: loc?.line, column: loc?.column }, { line: 5, column: 3 });
    assert.equal(text.slice(loc!.offset, loc!.offset + loc!.length), 'num_layers: 24');
    assert.equal((doc.data as { model: { hidden_size: number } }).model.hidden_size, 2048);
  });

  test('shell: flags with variables, ${VAR:-default} and $(( )) arithmetic; the flag is located', () => {
    const text = 'L=24\nMBS=2\nexport GPUS=8\ntorchrun pretrain_gpt.py \\\n  --num-layers $L \\\n  --hidden-size ${H:-1024} \\\n  --global-batch-size $((MBS*GPUS*4)) \\\n  # --seq-length 99\n  --seq-length=2048 --bf16\n';
    const doc = parseConfigText('run.sh', text);
    const data = doc.data as Record<string, unknown>;
    assert.equal(data['--num-layers'], '24');
    assert.equal(data['--hidden-size'], '1024');
    assert.equal(data['--global-batch-size'], '64');
    assert.equal(data['--seq-length'], '2048');
    assert.equal(data['--bf16'], true);
    const loc = doc.locate(['--num-layers']);
    assert.deepEqual({ line: loc?.line, column: loc?.column }, { line: 5, column: 3 });
    assert.equal(text.slice(loc!.offset, loc!.offset + loc!.length), '--num-layers $L');
  });

  test('$(( )) evaluates integer arithmetic and refuses anything else', () => {
    assert.equal(evalArithmetic('2*(3+4)-10/3'), 11);
    assert.equal(evalArithmetic('7 % 4'), 3);
    assert.equal(evalArithmetic('1/0'), undefined);
    assert.equal(evalArithmetic('rm -rf'), undefined);
  });

  test('positionAt and joinPath', () => {
    const starts = lineStarts('ab\ncd\n\nx');
    assert.deepEqual(positionAt(starts, 0), { line: 1, column: 1 });
    assert.deepEqual(positionAt(starts, 4), { line: 2, column: 2 });
    assert.deepEqual(positionAt(starts, 7), { line: 4, column: 1 });
    assert.equal(joinPath('a/b', '../c/config.json'), 'a/c/config.json');
    assert.equal(joinPath('/work/x', './y'), '/work/x/y');
    assert.equal(joinPath('', '../config.json'), '../config.json');
  });

  test('a byte-order mark does not shift columns', () => {
    const doc = parseConfigText('c.json', '\ufeff{"model_type": "gpt2"}');
    assert.deepEqual(doc.diagnostics, []);
    assert.equal(doc.locate(['model_type'])?.column, 2);
  });
});

describe('fieldAtOffset: the hover finds the field under the cursor', () => {
  test('in a config.json, on the key and on the value; the innermost span wins', () => {
    const a = estimateFixture('hf/llama-2-7b/config.json');
    const file = a.file;
    const text = readFileSync(file, 'utf8');
    const onKey = text.indexOf('"hidden_size"') + 3;
    const onValue = text.indexOf('4096', onKey);
    assert.equal(fieldAtOffset(a.fields, file, onKey)?.field, 'hidden_size');
    assert.equal(fieldAtOffset(a.fields, file, onValue)?.field, 'hidden_size');
    assert.equal(fieldAtOffset(a.fields, file, text.indexOf('"bos_token_id"') + 2), undefined);
    assert.deepEqual(a.modelAnchor?.path, ['model_type']);
  });

  test('in YAML, nested fields beat their parents', () => {
    const text = 'trainer:\n  devices: 8\n  max_steps: 100\nmodel:\n  num_layers: 2\n  hidden_size: 64\n  num_attention_heads: 4\n  encoder_seq_length: 128\n  global_batch_size: 8\n';
    const a = estimateText('nemo.yaml', text);
    assert.equal(a.format, 'nemo');
    const f = fieldAtOffset(a.fields, 'nemo.yaml', text.indexOf('hidden_size: 64') + 13);
    assert.deepEqual(f?.path, ['model', 'hidden_size']);
    assert.equal(f?.line, 6);
    assert.equal(f?.value, 64);
  });
});
