// The real-files stage: every config of the shared corpus of real files from public repositories, analysed as
// `lim-lens estimate` analyses it and checked against the values that come with the corpus (computed independently
// of LIM Lens): exact parameter counts, tokens within the stated tolerance or under the file's own upper bound, LoRA
// rank, precision, devices, no fine-tune sized as pretraining, no silent result, no crash. Skips, saying so, where
// the corpus is absent (outside this workplace).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CORPUS_DIR, corpusEntries, corpusPresent, evaluate, summarize } from './corpus';
import { KNOWN_GAPS } from './knownGaps';

const present = corpusPresent();
const key = (file: string, check: string) => `${file}\n${check}`;

describe('real configs from public repositories', { skip: present ? false : `the corpus is not at ${CORPUS_DIR} (it is test data of this workplace; set LIM_REALWORLD_CONFIGS to run it)` }, () => {
  if (!present) return;
  const gaps = new Set(KNOWN_GAPS.map(([f, c]) => key(f, c)));
  const results = corpusEntries().map((e) => evaluate(e));
  for (const r of results) {
    describe(r.file, () => {
      for (const c of r.checks) {
        const todo = gaps.has(key(r.file, c.name)) ? `known gap: ${c.detail.slice(0, 200)}` : undefined;
        test(c.name, { todo }, () => assert.ok(c.ok, c.detail));
      }
    });
  }

  test('every known gap names a check that exists and still fails (fixed ones are taken off the list)', () => {
    const byKey = new Map(results.flatMap((r) => r.checks.map((c) => [key(r.file, c.name), c] as const)));
    const unknown = KNOWN_GAPS.filter(([f, c]) => !byKey.has(key(f, c))).map(([f, c]) => `${f}: ${c}`);
    const fixed = KNOWN_GAPS.filter(([f, c]) => byKey.get(key(f, c))?.ok).map(([f, c]) => `${f}: ${c}`);
    assert.deepEqual(unknown, [], 'gaps that name no check');
    assert.deepEqual(fixed, [], 'gaps that pass now: take them off test/realworld/knownGaps.ts');
  });

  test('figures', () => {
    const s = summarize(results);
    const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)} %`;
    console.log(
      `  real configs: ${s.files} entries; ${s.estimatedClaimed} of ${s.claimed} files in formats LIM Lens claims get an estimate (${pct(s.estimatedClaimed, s.claimed)}); ` +
        `${s.passed} of ${s.checks} checks pass, ${KNOWN_GAPS.length} known gaps`,
    );
    assert.ok(s.files >= 80, `the corpus has ${s.files} entries`);
  });
});
