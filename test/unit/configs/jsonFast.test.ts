import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseConfigText, type ParsedDoc } from '../../../src/core/configs';
import { parseStrictJson } from '../../../src/core/configs/jsonFast';

/** Every path of a value, depth-first. */
function paths(v: unknown, prefix: string[] = []): string[][] {
  if (v === null || typeof v !== 'object') return [prefix];
  const keys = Array.isArray(v) ? v.map((_, i) => String(i)) : Object.keys(v);
  return [prefix, ...keys.flatMap((k) => paths((v as Record<string, unknown>)[k], [...prefix, k]))];
}

/** The same text through jsonc-parser: a trailing comment makes it JSONC, so JSON.parse declines it. */
function viaJsonc(text: string): ParsedDoc {
  const doc = parseConfigText('x.json', `${text}\n// jsonc`);
  assert.deepEqual(doc.diagnostics, []);
  return doc;
}

function agree(text: string, where: string): void {
  const fast = parseConfigText('x.json', text);
  assert.ok(parseStrictJson(text), `${where}: strict JSON`);
  const slow = viaJsonc(text);
  // jsonc-parser builds null-prototype objects; compare the values, not the prototypes.
  assert.deepEqual(JSON.parse(JSON.stringify(fast.data)), JSON.parse(JSON.stringify(slow.data)), `${where}: data`);
  for (const p of paths(fast.data)) assert.deepEqual(fast.locate(p), slow.locate(p), `${where}: ${p.join('.')}`);
  assert.equal(fast.locate(['no', 'such', 'path']), undefined);
}

describe('strict JSON fast path agrees with jsonc-parser', () => {
  test('every JSON fixture: same data and the same span for every path', () => {
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    const files = walk(join(__dirname, '..', '..', 'fixtures')).filter((f) => f.endsWith('.json'));
    let strict = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (!parseStrictJson(text)) continue;
      strict++;
      agree(text, f);
    }
    assert.ok(strict >= 20, `${strict} strict JSON fixtures`);
  });

  test('escaped keys and strings, nested arrays, odd spacing, duplicates (last wins)', () => {
    agree('{ "a\\"b" : [1, {"c": "x\\\\"}, [ ]], "d":{"e" :null},"a\\"b":2 ,"f": "}]" }', 'hand-written');
  });

  test('generated JSON (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 0, max: 4 }), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        if (text === undefined) return;
        agree(text, text);
      }),
      { numRuns: 300, seed: 99 },
    );
  });
});
