import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigDiagnostic } from '../../../src/core/configs';
import { estimateText } from './fixtures';

/** The one diagnostic a bad document must produce, with where it points. */
function only(path: string, text: string): ConfigDiagnostic {
  const a = estimateText(path, text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(a.diagnostics, null, 1));
  assert.equal(a.report, undefined, 'no estimate from a bad file');
  return errors[0];
}

function at(d: ConfigDiagnostic, expected: { line: number; column: number; field: string; code: string; message: RegExp | string }) {
  assert.deepEqual({ line: d.line, column: d.column, field: d.field, code: d.code }, { line: expected.line, column: expected.column, field: expected.field, code: expected.code });
  if (typeof expected.message === 'string') assert.equal(d.message, expected.message);
  else assert.match(d.message, expected.message);
}

const llama = (over: Record<string, string>) => {
  const fields: Record<string, string> = {
    model_type: '"llama"', vocab_size: '32000', hidden_size: '4096', num_hidden_layers: '32', num_attention_heads: '32', intermediate_size: '11008', ...over,
  };
  return '{\n' + Object.entries(fields).filter(([, v]) => v !== 'OMIT').map(([k, v]) => `  "${k}": ${v}`).join(',\n') + '\n}\n';
};

describe('bad input → a located diagnostic, never an exception', () => {
  test('malformed JSON: where the parser stopped', () => {
    at(only('config.json', '{\n  "model_type": "llama",\n  "hidden_size": 4096\n  "num_hidden_layers": 32\n}\n'), {
      line: 4, column: 3, field: '', code: 'json-syntax', message: 'invalid JSON: a comma was expected',
    });
  });

  test('malformed YAML: every parser error is reported, the first where the structure broke', () => {
    const a = estimateText('train.yaml', 'model:\n  num_layers: 2\n   hidden_size: [64\n');
    assert.equal(a.report, undefined);
    assert.deepEqual(
      a.diagnostics.map((d) => [d.line, d.column, d.code, d.message]),
      [
        [2, 15, 'yaml-syntax', 'invalid YAML: Nested mappings are not allowed in compact mappings'],
        [2, 15, 'yaml-syntax', 'invalid YAML: Implicit keys need to be on a single line'],
        [4, 1, 'yaml-syntax', 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
      ],
    );
  });

  test('duplicate YAML keys', () => {
    at(only('train.yaml', 'base_model: gpt2\nbase_model: gpt2\n'), { line: 2, column: 1, field: '', code: 'yaml-syntax', message: /^invalid YAML: Map keys must be unique/ });
  });

  test('missing required field: named, with the family, at the enclosing object', () => {
    at(only('config.json', llama({ intermediate_size: 'OMIT' })), {
      line: 1, column: 1, field: 'intermediate_size', code: 'missing-field', message: 'missing required field intermediate_size (llama config)',
    });
  });

  test('wrong type', () => {
    at(only('config.json', llama({ hidden_size: '"4096"' })), {
      line: 4, column: 3, field: 'hidden_size', code: 'wrong-type', message: 'hidden_size must be a number, got a string ("4096")',
    });
  });

  test('zero', () => {
    at(only('config.json', llama({ num_hidden_layers: '0' })), { line: 5, column: 3, field: 'num_hidden_layers', code: 'bad-value', message: 'num_hidden_layers must be greater than 0, got 0' });
  });

  test('negative', () => {
    at(only('config.json', llama({ vocab_size: '-32000' })), { line: 3, column: 3, field: 'vocab_size', code: 'bad-value', message: 'vocab_size must be greater than 0, got -32000' });
  });

  test('fractional where a whole number is needed', () => {
    at(only('config.json', llama({ num_attention_heads: '32.5' })), { line: 6, column: 3, field: 'num_attention_heads', code: 'bad-value', message: 'num_attention_heads must be a whole number, got 32.5' });
  });

  test('NaN (YAML .nan) and infinity', () => {
    const yaml = 'model_type: llama\nvocab_size: 32000\nhidden_size: .nan\nnum_hidden_layers: 32\nnum_attention_heads: 32\nintermediate_size: 11008\n';
    at(only('config.yaml', yaml), { line: 3, column: 1, field: 'hidden_size', code: 'bad-value', message: 'hidden_size must be a finite number, got NaN' });
    at(only('config.yaml', yaml.replace('.nan', '.inf')), { line: 3, column: 1, field: 'hidden_size', code: 'bad-value', message: 'hidden_size must be a finite number, got Infinity' });
  });

  test('astronomical sizes', () => {
    at(only('config.json', llama({ hidden_size: '1e12' })), {
      line: 4, column: 3, field: 'hidden_size', code: 'too-large', message: 'hidden_size = 1000000000000 is larger than any real model or run (at most 1,048,576)',
    });
    at(only('big.lim.yaml', 'params: 7B\ntokens: 1e30\n'), {
      line: 2, column: 1, field: 'tokens', code: 'too-large', message: 'tokens = 1e+30 is larger than any real model or run (at most 10,000,000,000,000,000)',
    });
  });

  test('unknown model_type: a warning naming the supported families (the file is valid; the limit is LIM Lens\'s)', () => {
    const a = estimateText('config.json', '{\n  "model_type": "wav2vec2",\n  "hidden_size": 768\n}\n');
    assert.equal(a.report, undefined);
    assert.equal(a.diagnostics.length, 1, JSON.stringify(a.diagnostics));
    assert.equal(a.diagnostics[0].severity, 'warning');
    at(a.diagnostics[0], { line: 2, column: 3, field: 'model_type', code: 'unknown-model-type', message: /^unsupported model_type "wav2vec2" \(unknown model_type: .*needs num_hidden_layers, num_attention_heads, vocab_size\); supported families: llama, mistral, qwen2,/ });
  });

  test('a config.json with a model shape but no model_type', () => {
    at(only('models/config.json', '{"hidden_size": 768, "num_hidden_layers": 12}'), { line: 1, column: 1, field: 'model_type', code: 'missing-field', message: /^missing required field model_type \(it selects the counting formula; supported: llama,/ });
  });

  test('YAML alias bomb ("billion laughs") is refused at the first alias', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f']]) bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    const t0 = performance.now();
    const d = only('bomb.yaml', bomb.join('\n') + '\n');
    assert.ok(performance.now() - t0 < 1000, 'refused quickly');
    at(d, { line: 2, column: 8, field: '', code: 'yaml-alias-bomb', message: 'YAML aliases expand to more than 1000 nodes (an alias bomb?); the file was not read' });
  });

  test('nesting thousands deep is refused before parsing (the parsers would exhaust the stack)', () => {
    at(only('config.json', '{"a":'.repeat(100_000)), { line: 1, column: 1281, field: '', code: 'too-deep', message: 'nesting deeper than 256 levels; the file was not read' });
    at(only('x.yaml', 'a: ' + '['.repeat(100_000)), { line: 1, column: 260, field: '', code: 'too-deep', message: 'nesting deeper than 256 levels; the file was not read' });
    at(only('x.yaml', Array.from({ length: 600 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')), { line: 514, column: 513, field: '', code: 'too-deep', message: 'nesting deeper than 256 levels; the file was not read' });
  });

  test('many brackets that do not nest deep, and deep-looking brackets inside strings, are read (the depth scan is exact)', () => {
    // More than 256 opening brackets in all, so the quick pre-check cannot clear the file: the exact scan decides.
    const flat = `{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32, "intermediate_size": 11008, "vocab_size": 32000, "extra": [${Array.from({ length: 400 }, (_, i) => `[${i}]`).join(', ')}]}`;
    assert.ok(!estimateText('config.json', flat).diagnostics.some((d) => d.code === 'too-deep'), 'flat lists: not too deep');
    const quoted = `model_type: llama\nhidden_size: 4096\nnum_hidden_layers: 32\nnum_attention_heads: 32\nintermediate_size: 11008\nvocab_size: 32000\nnote: "${'['.repeat(300)}"\n`;
    assert.ok(!estimateText('x.yaml', quoted).diagnostics.some((d) => d.code === 'too-deep'), 'brackets in a string: not too deep');
    const report = estimateText('x.yaml', quoted).report;
    assert.ok(report && report.params.total > 6e9, `the config is read: N = ${report?.params.total}`);
    assert.equal(report.params.total, estimateText('x.yaml', quoted.replace(/note: .*\n/, '')).report?.params.total);
  });

  test('shell flag whose variable the script never sets', () => {
    const a = estimateText('train.sh', 'pretrain_gpt.py --num-layers $LAYERS --hidden-size 1024 --num-attention-heads 16 --master_addr $MASTER\n');
    // A value only known when the script runs is LIM Lens's limit, not a broken file: a warning.
    const unresolved = a.diagnostics.filter((d) => d.code === 'shell-unresolved');
    assert.equal(unresolved.length, 1, 'unused flags with unset variables are not reported');
    assert.equal(unresolved[0].severity, 'warning');
    at(unresolved[0], { line: 1, column: 17, field: '--num-layers', code: 'shell-unresolved', message: '--num-layers: the shell variable LAYERS is not set in this script; its value is unknown here' });
  });

  test('run file: unknown hardware, unknown model, unknown field, bad precision', () => {
    const a = estimateText('x.lim.yaml', 'model: gpt-9\nhardware: tpu-v9\ntokns: 1T\nprecision: fp12\n');
    const byCode = Object.fromEntries(a.diagnostics.map((d) => [d.code, d]));
    at(byCode['unknown-model'], { line: 1, column: 1, field: 'model', code: 'unknown-model', message: /^unknown model "gpt-9": not in the bundled table/ });
    at(byCode['unknown-hardware'], { line: 2, column: 1, field: 'hardware', code: 'unknown-hardware', message: 'unknown hardware "tpu-v9" (known: v100, a100, h100, b200, tpu-v3, tpu-v4)' });
    at(byCode['unknown-field'], { line: 3, column: 1, field: 'tokns', code: 'unknown-field', message: /^unknown field tokns in a LIM Lens run file \(known: name, model, config/ });
    at(byCode['bad-value'], { line: 4, column: 1, field: 'precision', code: 'bad-value', message: 'precision "fp12" is not one of bf16, fp16, fp32, fp8, fp64, int8, nf4' });
  });

  test('a named file that is not a config, and an empty one', () => {
    at(only('package.json', '{"name": "x", "version": "1.0.0"}'), { line: 1, column: 1, field: '', code: 'not-a-config', message: /^not a recognised model or training config/ });
    at(only('empty.yaml', ''), { line: 1, column: 1, field: '', code: 'empty-file', message: 'the file is empty' });
  });

  test('inside a scan, unrelated JSON/YAML is skipped silently', () => {
    const a = estimateText('ci.yaml', 'jobs:\n  build:\n    runs-on: ubuntu-latest\n', { explicit: false });
    assert.equal(a.format, undefined);
    assert.deepEqual(a.diagnostics, []);
  });

  test('no input crashes the engine (random bytes, truncations, deep nesting)', () => {
    const samples = ['{', '[', '{"model_type": ', 'model:\n  - [', '\u0000\u0001', '{"model_type": null}', '{"model_type": 7}', '[1,2,3]', '"just a string"', 'a: b: c', '{'.repeat(5000)];
    for (const s of samples) for (const path of ['config.json', 'x.yaml', 'run.sh', 'r.lim.yaml']) estimateText(path, s);
  });
});
